#include "bre/community/clustering_step.hpp"

namespace bre::community {

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
  membership = canonical_labels(membership);
  return untied;
}

void add_clustering_partition(const StepContext& context, const Graph& graph, const Membership& membership,
                              const std::vector<std::uint32_t>& untied, const std::string& source,
                              double resolution, v1::Artifacts& out) {
  const DatasetIndex& index = context.dataset();
  const double q = modularity(graph, membership, resolution);
  *out.add_partitions() = to_partition(index, membership, context.step_id(), source, q, resolution);
  if (untied.empty()) return;
  constexpr std::size_t kListed = 10;
  std::string codes;
  for (std::size_t i = 0; i < untied.size() && i < kListed; ++i) {
    codes += (i == 0 ? "" : ", ") + index.municipality_at(untied[i]).code();
  }
  if (untied.size() > kListed) codes += ", ...";
  out.add_warnings("step '" + context.step_id() + "': " + std::to_string(untied.size()) +
                   " municipalities have no tie in the clustered network and are left unassigned: " + codes);
}

}  // namespace bre::community
