// clustering.leiden: BREs as Leiden clusters (native, thread-safe) of the step's
// network (DOMAIN.md §1-2). The algorithm is bre::clustering::Leiden; this file maps
// parameters, picks the network and turns the membership into a Partition.
#include <string>
#include <utility>

#include "bre/clustering/leiden.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "clustering_plugin.hpp"
#include "leiden.hpp"

namespace {

constexpr const char* kPluginName = "clustering.leiden";

class LeidenPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::clustering::describe_clustering(
        kPluginName,
        "BREs as Leiden clusters (native, thread-safe; Traag et al. 2019) of the cooperation network or "
        "an input network, maximising modularity at a resolution or CPM; municipalities without any tie "
        "are left unassigned (DOMAIN.md §1-2).",
        bre::clustering::native_leiden_parameters(), "the node orders and the refinement's random choices");
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    bre::Expected<bre::clustering::LeidenParameters> options =
        bre::clustering::native_leiden_options(context.params(), context.seed());
    if (!options) return options.status().with_context(where);
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);

    const bool modularity_objective = options->objective == bre::clustering::Objective::kModularity;
    bre::clustering::Leiden leiden(*graph, *options);
    return bre::clustering::cluster_and_emit(
               context, *graph, {kPluginName, "Leiden", modularity_objective ? options->resolution : 1.0},
               [&] { return bre::clustering::run_for_membership(leiden); }, out)
        .status();
  }
};

}  // namespace

BRE_PLUGIN(LeidenPlugin)
