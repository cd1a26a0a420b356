// clustering.label_propagation: BREs by weighted asynchronous label propagation
// (native, thread-safe; Raghavan et al. 2007) on the step's network (DOMAIN.md §1-2).
#include <string>
#include <utility>

#include "bre/clustering/label_propagation.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "clustering_plugin.hpp"
#include "label_propagation.hpp"

namespace {

constexpr const char* kPluginName = "clustering.label_propagation";

class LabelPropagationPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::clustering::describe_clustering(
        kPluginName,
        "BREs by weighted label propagation (native, seeded asynchronous order; Raghavan et al. 2007) on "
        "the cooperation network or an input network; the partition reports classic modularity; "
        "municipalities without any tie are left unassigned (DOMAIN.md §1-2).",
        bre::clustering::native_label_propagation_parameters(),
        "each sweep's node order and the choice among tied labels");
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::clustering::LabelPropagationParameters options =
        bre::clustering::native_label_propagation_options(context.params(), context.seed());
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);

    bre::clustering::LabelPropagation propagation(*graph, options);
    const auto cluster = [&]() -> bre::Expected<bre::Membership> {
      BRE_RETURN_IF_ERROR(propagation.run());
      if (!propagation.converged()) {
        out.add_warnings(bre::warning_where(context) + ": " +
                         bre::Bilingual{"label propagation stopte na max_sweeps = " +
                                            std::to_string(options.max_sweeps) + " rondes zonder te convergeren",
                                        "label propagation stopped after max_sweeps = " +
                                            std::to_string(options.max_sweeps) + " sweeps without converging"}
                             .in(bre::run_language(context)));
      }
      return propagation.membership();
    };
    return bre::clustering::cluster_and_emit(context, *graph, {kPluginName, "label propagation"}, cluster, out)
        .status();
  }
};

}  // namespace

BRE_PLUGIN(LabelPropagationPlugin)
