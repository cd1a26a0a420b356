// clustering.spectral: BREs by Newman's leading eigenvector method (igraph) on the
// cooperation network or an input network (DOMAIN.md §1-2). The algorithm lives in
// spectral.cpp.
#include <string>

#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "clustering_plugin.hpp"
#include "spectral.hpp"

namespace {

constexpr const char* kPluginName = "clustering.spectral";

class SpectralPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    // max_regions is only a bound, so no fixed region count.
    return bre::clustering::describe_clustering(
        kPluginName,
        "BREs by spectral bisection (igraph's leading eigenvector of the modularity matrix), split "
        "while modularity rises, on the cooperation network or the first input network; untied "
        "municipalities are left unassigned (DOMAIN.md §2).",
        {bre::int_param("max_regions", 0, 0, 100000,
                        "Most regions to split into (an upper bound, not a target); 0 = split while modularity "
                        "rises.")},
        "igraph's random number generator (ARPACK start vectors)");
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);
    bre::clustering::SpectralParameters parameters;
    parameters.max_regions = context.params().get_int("max_regions");
    parameters.seed = context.seed();
    bre::clustering::IgraphSpectral algorithm(*graph, parameters);
    return bre::clustering::cluster_and_emit(context, *graph, {kPluginName, "igraph leading eigenvector", 1.0, /*needs_ties=*/true},
                                             [&] { return bre::clustering::run_for_membership(algorithm); }, out)
        .status();
  }
};

}  // namespace

BRE_PLUGIN(SpectralPlugin)
