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
    if (!(graph->total_weight() > 0.0)) {
      return bre::failed_precondition(where + ": the network of " + std::to_string(graph->node_count()) +
                                      " municipalities has no ties; there is nothing to cluster");
    }
    if (context.cancelled()) return {bre::StatusCode::kCancelled, where + ": cancelled"};
    bre::clustering::WalktrapParameters parameters;
    parameters.steps = context.params().get_int("steps");
    parameters.regions = context.params().get_int("regions");
    bre::clustering::IgraphWalktrap algorithm(*graph, parameters);
    BRE_RETURN_IF_ERROR(algorithm.run().with_context(where + ": igraph walktrap"));
    return bre::clustering::emit_clustering_partition(context, *graph, algorithm.membership(), kPluginName, 1.0, out);
  }
};

}  // namespace

BRE_PLUGIN(WalktrapPlugin)
