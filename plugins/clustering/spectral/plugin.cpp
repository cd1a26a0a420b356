// clustering.spectral: BREs by Newman's leading eigenvector method (igraph) on the
// cooperation network or an input network (DOMAIN.md §1-2). The algorithm lives in
// spectral.cpp.
#include <string>
#include <utility>

#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/region_constraints.hpp"
#include "clustering_output.hpp"
#include "spectral.hpp"

namespace {

constexpr const char* kPluginName = "clustering.spectral";

class SpectralPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name(kPluginName);
    d.set_kind(bre::v1::PLUGIN_KIND_CLUSTERING);
    d.set_version("1.0.0");
    d.set_summary(
        "BREs by spectral bisection (igraph's leading eigenvector of the modularity matrix), split "
        "while modularity rises, on the cooperation network or the first input network; untied "
        "municipalities are left unassigned (DOMAIN.md §2).");
    *d.add_parameters() = bre::int_param(
        "max_regions", 0, 0, 100000,
        "Most regions to split into (an upper bound, not a target); 0 = split while modularity rises.");
    for (auto& spec : bre::network_parameters()) *d.add_parameters() = std::move(spec);
    *d.add_parameters() = bre::seed_param("igraph's random number generator (ARPACK start vectors)");
    for (auto& spec : bre::region_constraint_parameters()) *d.add_parameters() = std::move(spec);
    d.add_produces(bre::v1::ARTIFACT_KIND_PARTITION);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(true);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);  // every igraph call holds bre::igraph_mutex()
    caps->set_honours_contiguity(true);
    caps->set_honours_min_region_size(true);
    // max_regions is only a bound: no fixed region count.
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);
    if (!(graph->total_weight() > 0.0)) {
      return bre::failed_precondition(where + ": the network of " + std::to_string(graph->node_count()) +
                                      " municipalities has no ties; there is nothing to cluster");
    }
    if (context.cancelled()) return {bre::StatusCode::kCancelled, where + ": cancelled"};
    bre::clustering::SpectralParameters parameters;
    parameters.max_regions = context.params().get_int("max_regions");
    parameters.seed = context.seed();
    bre::clustering::IgraphSpectral algorithm(*graph, parameters);
    BRE_RETURN_IF_ERROR(algorithm.run().with_context(where + ": igraph leading eigenvector"));
    return bre::clustering::emit_clustering_partition(context, *graph, algorithm.membership(), kPluginName, 1.0, out);
  }
};

}  // namespace

BRE_PLUGIN(SpectralPlugin)
