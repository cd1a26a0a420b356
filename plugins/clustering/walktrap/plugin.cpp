// clustering.walktrap: BREs as walktrap clusters (igraph) of the cooperation network
// or of an input network (DOMAIN.md §1-2), cut at maximum modularity or at a given
// number of regions. The algorithm lives in walktrap.cpp.
#include <string>

#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "clustering_plugin.hpp"
#include "walktrap.hpp"

namespace {

constexpr const char* kPluginName = "clustering.walktrap";

class WalktrapPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::clustering::describe_clustering(
        kPluginName,
        "BREs as walktrap clusters (igraph): municipalities that short random walks on the "
        "cooperation network (or the first input network) reach alike, cut at maximum modularity "
        "or at a number of regions; untied municipalities are left unassigned (DOMAIN.md §2).",
        {bre::int_param("steps", 4, 1, 100, "Length of the random walks, in steps."),
         bre::int_param("regions", 0, 0, 100000,
                        "Number of regions among the tied municipalities (before min_region_size merges); "
                        "0 = cut where modularity is largest.")},
        /*seed_use=*/"", /*fixed_region_count=*/true);  // no randomness at all
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);
    bre::clustering::WalktrapParameters parameters;
    parameters.steps = context.params().get_int("steps");
    parameters.regions = context.params().get_int("regions");
    bre::clustering::IgraphWalktrap algorithm(*graph, parameters);
    return bre::clustering::cluster_and_emit(context, *graph, {kPluginName, "igraph walktrap", 1.0, /*needs_ties=*/true},
                                             [&] { return bre::clustering::run_for_membership(algorithm); }, out)
        .status();
  }
};

}  // namespace

BRE_PLUGIN(WalktrapPlugin)
