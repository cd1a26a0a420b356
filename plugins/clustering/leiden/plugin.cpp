// clustering.leiden: BREs as Leiden clusters (native, thread-safe) of the step's
// network (DOMAIN.md §1-2). The algorithm is bre::community::Leiden; this file maps
// parameters, picks the network and turns the membership into a Partition.
#include <string>
#include <utility>

#include "bre/community/leiden.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "bre/region_constraints.hpp"
#include "clustering_output.hpp"
#include "leiden.hpp"

namespace {

constexpr const char* kPluginName = "clustering.leiden";

class LeidenPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name(kPluginName);
    d.set_kind(bre::v1::PLUGIN_KIND_CLUSTERING);
    d.set_version("1.0.0");
    d.set_summary(
        "BREs as Leiden clusters (native, thread-safe; Traag et al. 2019) of the cooperation network or "
        "an input network, maximising modularity at a resolution or CPM; municipalities without any tie "
        "are left unassigned (DOMAIN.md §1-2).");
    for (auto& spec : bre::clustering::native_leiden_parameters()) *d.add_parameters() = std::move(spec);
    for (auto& spec : bre::network_parameters()) *d.add_parameters() = std::move(spec);
    for (auto& spec : bre::region_constraint_parameters()) *d.add_parameters() = std::move(spec);
    *d.add_parameters() = bre::seed_param("the node orders and the refinement's random choices");
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
    bre::Expected<bre::community::LeidenParameters> options =
        bre::clustering::native_leiden_options(context.params(), context.seed());
    if (!options) return options.status().with_context(where);
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);
    if (context.cancelled()) return {bre::StatusCode::kCancelled, where + ": cancelled"};

    bre::community::Leiden leiden(*graph, *options);
    BRE_RETURN_IF_ERROR(leiden.run().with_context(where + ": Leiden"));
    bre::Membership membership = leiden.membership();
    const bool modularity_objective = options->objective == bre::community::Objective::kModularity;
    return bre::clustering::emit_clustering_partition(context, *graph, std::move(membership), kPluginName,
                                                     modularity_objective ? options->resolution : 1.0, out);
  }
};

}  // namespace

BRE_PLUGIN(LeidenPlugin)
