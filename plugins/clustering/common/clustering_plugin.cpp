#include "clustering_plugin.hpp"

#include <utility>

#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/region_constraints.hpp"

namespace bre::clustering {

v1::PluginDescription describe_clustering(const std::string& name, const std::string& summary,
                                          std::vector<v1::ParameterSpec> own_parameters,
                                          const std::string& seed_use, bool fixed_region_count) {
  v1::PluginDescription d;
  d.set_name(name);
  d.set_kind(v1::PLUGIN_KIND_CLUSTERING);
  d.set_version("1.0.0");
  d.set_summary(summary);
  for (auto& spec : own_parameters) *d.add_parameters() = std::move(spec);
  for (auto& spec : network_parameters()) *d.add_parameters() = std::move(spec);
  for (auto& spec : region_constraint_parameters()) *d.add_parameters() = std::move(spec);
  if (!seed_use.empty()) *d.add_parameters() = seed_param(seed_use);
  d.add_produces(v1::ARTIFACT_KIND_PARTITION);
  v1::Capabilities* caps = d.mutable_capabilities();
  caps->set_uses_weights(true);
  caps->set_deterministic_per_seed(true);
  // Native algorithms keep no shared state; igraph calls all hold bre::igraph_mutex().
  caps->set_thread_safe(true);
  caps->set_honours_contiguity(true);
  caps->set_honours_min_region_size(true);
  caps->set_honours_fixed_region_count(fixed_region_count);
  return d;
}

std::vector<std::uint32_t> unassign_untied(const Graph& graph, Membership& membership) {
  std::vector<std::uint32_t> untied;
  for (std::uint32_t node = 0; node < graph.node_count(); ++node) {
    bool tied = false;
    for (const Neighbour& neighbour : graph.neighbours(node)) tied = tied || neighbour.node != node;
    if (!tied) {
      membership[node] = kUnassigned;
      untied.push_back(node);
    }
  }
  return untied;
}

Expected<Membership> emit_clustering_partition(const StepContext& context, const Graph& graph, Membership membership,
                                               const std::string& plugin_name, double resolution, v1::Artifacts& out) {
  return emit_named_partition(context, graph, std::move(membership), context.step_id(), plugin_name, resolution, out);
}

std::string municipality_list_warning(const DatasetIndex& index, const std::vector<std::uint32_t>& nodes,
                                      Language language, const Bilingual& what) {
  std::string codes;
  for (std::size_t i = 0; i < nodes.size() && i < 10; ++i) {
    codes += (i == 0 ? "" : ", ") + index.municipality_at(nodes[i]).code();
  }
  if (nodes.size() > 10) codes += ", ...";
  return std::to_string(nodes.size()) + text_in(language, " gemeenten ", " municipalities ") +
         what.in(language) + ": " + codes;
}

Expected<Membership> emit_named_partition(const StepContext& context, const Graph& graph, Membership membership,
                                          const std::string& partition_name, const std::string& plugin_name,
                                          double resolution, v1::Artifacts& out) {
  const std::string where = warning_where(context) + (partition_name == context.step_id() ? "" : " (" + partition_name + ")");
  const Language language = run_language(context);
  const DatasetIndex& index = context.dataset();
  const std::vector<std::uint32_t> untied = unassign_untied(graph, membership);
  Expected<ConstrainedMembership> constrained = apply_region_constraints(context, graph, membership);
  if (!constrained) return constrained.status().with_context(step_where(context));
  const double q = modularity(graph, constrained->membership, resolution);
  *out.add_partitions() = to_partition(index, constrained->membership, partition_name, plugin_name, q, resolution);
  if (!untied.empty()) {
    out.add_warnings(where + ": " +
                     municipality_list_warning(index, untied, language,
                                               {"hebben geen band in het geclusterde netwerk en blijven zonder regio",
                                                "have no tie in the clustered network and are left unassigned"}));
  }
  for (const std::string& warning : constrained->warnings) out.add_warnings(where + ": " + warning);
  // to_partition lists region r = canonical label r.
  return canonical_labels(constrained->membership);
}

Expected<Membership> cluster_and_emit(const StepContext& context, const Graph& graph, const ClusteringRun& run,
                                      const std::function<Expected<Membership>()>& cluster, v1::Artifacts& out) {
  const std::string where = "step '" + context.step_id() + "'";
  if (run.needs_ties && !(graph.total_weight() > 0.0)) {
    return failed_precondition(where + ": the network of " + std::to_string(graph.node_count()) +
                               " municipalities has no ties; there is nothing to cluster");
  }
  if (context.cancelled()) return Status{StatusCode::kCancelled, where + ": cancelled"};
  Expected<Membership> membership = cluster();
  if (!membership) return membership.status().with_context(where + ": " + run.algorithm);
  return emit_clustering_partition(context, graph, std::move(*membership), run.plugin_name, run.resolution, out);
}

}  // namespace bre::clustering
