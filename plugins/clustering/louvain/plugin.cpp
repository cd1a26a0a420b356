// clustering.louvain: BREs as Louvain (multilevel modularity) clusters, native and
// thread-safe, of the step's network (DOMAIN.md §1-2).
#include <string>
#include <utility>

#include "bre/clustering/louvain.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "clustering_plugin.hpp"
#include "louvain.hpp"

namespace {

constexpr const char* kPluginName = "clustering.louvain";

class LouvainPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::clustering::describe_clustering(
        kPluginName,
        "BREs as Louvain clusters (native multilevel modularity, Blondel et al. 2008) of the cooperation "
        "network or an input network; municipalities without any tie are left unassigned (DOMAIN.md §1-2).",
        bre::clustering::native_louvain_parameters(), "the node order of each level");
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::clustering::LouvainParameters options =
        bre::clustering::native_louvain_options(context.params(), context.seed());
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);

    bre::clustering::Louvain louvain(*graph, options);
    return bre::clustering::cluster_and_emit(context, *graph, {kPluginName, "Louvain", options.resolution},
                                             [&] { return bre::clustering::run_for_membership(louvain); }, out)
        .status();
  }
};

}  // namespace

BRE_PLUGIN(LouvainPlugin)
