// clustering.infomap: BREs as Infomap modules (igraph) of the cooperation network or
// of an input network (DOMAIN.md §1-2). The algorithm lives in infomap.cpp; this file
// maps parameters and turns the membership into a Partition (clustering_plugin.hpp).
#include <string>

#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "clustering_plugin.hpp"
#include "infomap.hpp"

namespace {

constexpr const char* kPluginName = "clustering.infomap";

class InfomapPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::clustering::describe_clustering(
        kPluginName,
        "BREs as Infomap modules (igraph): the regions that best compress a random walk on the "
        "cooperation network, or on the first input network; untied municipalities are left "
        "unassigned (DOMAIN.md §2).",
        {bre::int_param("trials", 10, 1, 1000, "Independent Infomap attempts; the shortest code length wins.")},
        "igraph's random number generator");
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
    bre::clustering::InfomapParameters parameters;
    parameters.trials = context.params().get_int("trials");
    parameters.seed = context.seed();
    bre::clustering::IgraphInfomap algorithm(*graph, parameters);
    BRE_RETURN_IF_ERROR(algorithm.run().with_context(where + ": igraph Infomap"));
    return bre::clustering::emit_clustering_partition(context, *graph, algorithm.membership(), kPluginName, 1.0, out);
  }
};

}  // namespace

BRE_PLUGIN(InfomapPlugin)
