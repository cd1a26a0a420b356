// clustering.louvain: BREs as Louvain (multilevel modularity) clusters, native and
// thread-safe, of the step's network (DOMAIN.md §1-2).
#include <string>
#include <utility>

#include "bre/community/louvain.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "bre/region_constraints.hpp"
#include "clustering_output.hpp"
#include "louvain.hpp"

namespace {

constexpr const char* kPluginName = "clustering.louvain";

class LouvainPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name(kPluginName);
    d.set_kind(bre::v1::PLUGIN_KIND_CLUSTERING);
    d.set_version("1.0.0");
    d.set_summary(
        "BREs as Louvain clusters (native multilevel modularity, Blondel et al. 2008) of the cooperation "
        "network or an input network; municipalities without any tie are left unassigned (DOMAIN.md §1-2).");
    for (auto& spec : bre::clustering::native_louvain_parameters()) *d.add_parameters() = std::move(spec);
    for (auto& spec : bre::network_parameters()) *d.add_parameters() = std::move(spec);
    for (auto& spec : bre::region_constraint_parameters()) *d.add_parameters() = std::move(spec);
    *d.add_parameters() = bre::seed_param("the node order of each level");
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
    const bre::community::LouvainParameters options =
        bre::clustering::native_louvain_options(context.params(), context.seed());
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);
    if (context.cancelled()) return {bre::StatusCode::kCancelled, where + ": cancelled"};

    bre::community::Louvain louvain(*graph, options);
    BRE_RETURN_IF_ERROR(louvain.run().with_context(where + ": Louvain"));
    bre::Membership membership = louvain.membership();
    return bre::clustering::emit_clustering_partition(context, *graph, std::move(membership), kPluginName,
                                                     options.resolution, out);
  }
};

}  // namespace

BRE_PLUGIN(LouvainPlugin)
