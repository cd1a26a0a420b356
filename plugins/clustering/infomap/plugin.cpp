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
    bre::clustering::InfomapParameters parameters;
    parameters.trials = context.params().get_int("trials");
    parameters.seed = context.seed();
    bre::clustering::IgraphInfomap algorithm(*graph, parameters);
    return bre::clustering::cluster_and_emit(context, *graph, {kPluginName, "igraph Infomap", 1.0, /*needs_ties=*/true},
                                             [&] { return bre::clustering::run_for_membership(algorithm); }, out)
        .status();
  }
};

}  // namespace

BRE_PLUGIN(InfomapPlugin)
