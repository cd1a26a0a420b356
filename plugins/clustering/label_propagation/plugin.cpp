// clustering.label_propagation: BREs by weighted asynchronous label propagation
// (native, thread-safe; Raghavan et al. 2007) on the step's network (DOMAIN.md §1-2).
#include <string>
#include <utility>

#include "bre/community/label_propagation.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "bre/region_constraints.hpp"
#include "clustering_output.hpp"
#include "label_propagation.hpp"

namespace {

constexpr const char* kPluginName = "clustering.label_propagation";

class LabelPropagationPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name(kPluginName);
    d.set_kind(bre::v1::PLUGIN_KIND_CLUSTERING);
    d.set_version("1.0.0");
    d.set_summary(
        "BREs by weighted label propagation (native, seeded asynchronous order; Raghavan et al. 2007) on "
        "the cooperation network or an input network; the partition reports classic modularity; "
        "municipalities without any tie are left unassigned (DOMAIN.md §1-2).");
    for (auto& spec : bre::clustering::native_label_propagation_parameters()) *d.add_parameters() = std::move(spec);
    for (auto& spec : bre::network_parameters()) *d.add_parameters() = std::move(spec);
    for (auto& spec : bre::region_constraint_parameters()) *d.add_parameters() = std::move(spec);
    *d.add_parameters() = bre::seed_param("each sweep's node order and the choice among tied labels");
    d.add_produces(bre::v1::ARTIFACT_KIND_PARTITION);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(true);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    caps->set_honours_min_region_size(true);
    caps->set_honours_contiguity(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::community::LabelPropagationParameters options =
        bre::clustering::native_label_propagation_options(context.params(), context.seed());
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);
    if (context.cancelled()) return {bre::StatusCode::kCancelled, where + ": cancelled"};

    bre::community::LabelPropagation propagation(*graph, options);
    BRE_RETURN_IF_ERROR(propagation.run().with_context(where + ": label propagation"));
    if (!propagation.converged()) {
      out.add_warnings(where + ": label propagation stopped after max_sweeps = " +
                       std::to_string(options.max_sweeps) + " sweeps without converging");
    }
    bre::Membership membership = propagation.membership();
    return bre::clustering::emit_clustering_partition(context, *graph, std::move(membership), kPluginName,
                                                     1.0, out);
  }
};

}  // namespace

BRE_PLUGIN(LabelPropagationPlugin)
