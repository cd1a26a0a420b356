#include "clustering_output.hpp"

#include <utility>

#include "bre/region_constraints.hpp"

namespace bre::clustering {

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

Status emit_clustering_partition(const StepContext& context, const Graph& graph, Membership membership,
                                 const std::string& plugin_name, double resolution, v1::Artifacts& out) {
  const std::string where = "step '" + context.step_id() + "'";
  const DatasetIndex& index = context.dataset();
  const std::vector<std::uint32_t> untied = unassign_untied(graph, membership);
  Expected<ConstrainedMembership> constrained = apply_region_constraints(context, graph, membership);
  if (!constrained) return constrained.status().with_context(where);
  const double q = modularity(graph, constrained->membership, resolution);
  *out.add_partitions() = to_partition(index, constrained->membership, context.step_id(), plugin_name, q, resolution);
  if (!untied.empty()) {
    std::string codes;
    for (std::size_t i = 0; i < untied.size() && i < 10; ++i) {
      codes += (i == 0 ? "" : ", ") + index.municipality_at(untied[i]).code();
    }
    if (untied.size() > 10) codes += ", ...";
    out.add_warnings(where + ": " + std::to_string(untied.size()) +
                     " municipalities have no tie in the clustered network and are left unassigned: " + codes);
  }
  for (const std::string& warning : constrained->warnings) out.add_warnings(where + ": " + warning);
  return Status::ok();
}

}  // namespace bre::clustering
