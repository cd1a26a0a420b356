#include "walktrap.hpp"

#include <igraph/igraph.h>

#include <mutex>
#include <string>
#include <vector>

#include "bre/igraph_lock.hpp"
#include "igraph_support.hpp"

namespace bre::clustering {
namespace {

// Connected components (self-loops ignored) and nodes without a tie to another node.
struct Components {
  std::size_t components = 0;
  std::size_t untied = 0;
};

Components count_components(const Graph& graph) {
  const std::size_t n = graph.node_count();
  Components result;
  std::vector<bool> seen(n, false);
  std::vector<std::uint32_t> queue;
  for (std::uint32_t start = 0; start < n; ++start) {
    if (seen[start]) continue;
    ++result.components;
    seen[start] = true;
    queue.assign(1, start);
    bool tied = false;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (const Neighbour& next : graph.neighbours(queue[head])) {
        if (next.node == queue[head]) continue;
        tied = true;
        if (!seen[next.node]) {
          seen[next.node] = true;
          queue.push_back(next.node);
        }
      }
    }
    if (!tied) ++result.untied;
  }
  return result;
}

}  // namespace

IgraphWalktrap::IgraphWalktrap(const Graph& graph, WalktrapParameters parameters)
    : AlgorithmBase("IgraphWalktrap"), graph_(&graph), parameters_(parameters) {}

const Membership& IgraphWalktrap::membership() const {
  require_run("membership");
  return membership_;
}
std::int32_t IgraphWalktrap::region_count() const {
  require_run("region_count");
  return region_count_;
}
double IgraphWalktrap::modularity() const {
  require_run("modularity");
  return modularity_;
}

Status IgraphWalktrap::run() {
  set_has_run(false);
  const Graph& graph = *graph_;
  const std::size_t n = graph.node_count();
  if (n == 0) return invalid_argument("graph: has no nodes; there is nothing to cluster");
  if (!(graph.total_weight() > 0.0)) {
    return failed_precondition("graph: has no edge weight, so random walks cannot move; there is nothing to cluster");
  }
  if (parameters_.steps < 1) {
    return invalid_argument("steps: expected an integer >= 1, found " + std::to_string(parameters_.steps));
  }
  std::size_t merge_steps = 0;
  if (parameters_.regions != 0) {
    const Components parts = count_components(graph);
    const auto lowest = static_cast<std::int64_t>(parts.components - parts.untied);
    const auto highest = static_cast<std::int64_t>(n - parts.untied);
    if (parameters_.regions < lowest || parameters_.regions > highest) {
      return invalid_argument("regions: expected 0 (maximum modularity) or a number in [" + std::to_string(lowest) +
                              ", " + std::to_string(highest) + "] (the tied parts of the graph and its tied nodes), found " +
                              std::to_string(parameters_.regions));
    }
    merge_steps = n - parts.untied - static_cast<std::size_t>(parameters_.regions);
  }

  Membership result;
  {
    std::lock_guard<std::mutex> lock(igraph_mutex());
    IgraphHandlerScope handlers;
    // Declared after the lock: destroyed before it is released.
    IgraphGraph igraph_graph;
    IntMatrix merges;
    RealVector merge_modularity;  // igraph needs it to find the maximum-modularity cut
    IntVector membership;
    BRE_RETURN_IF_ERROR(igraph_graph.init(graph));
    igraph_error_t code = merges.init();
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_matrix_int_init");
    if ((code = merge_modularity.init({})) != IGRAPH_SUCCESS) return igraph_status(code, "igraph_vector_init_array");
    if ((code = membership.init({})) != IGRAPH_SUCCESS) return igraph_status(code, "igraph_vector_int_init_array");
    const bool at_maximum = parameters_.regions == 0;
    code = igraph_community_walktrap(igraph_graph.get(), igraph_graph.weights(),
                                     static_cast<igraph_integer_t>(parameters_.steps), merges.get(),
                                     merge_modularity.get(), at_maximum ? membership.get() : nullptr);
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_walktrap");
    if (!at_maximum) {
      if (static_cast<std::size_t>(igraph_matrix_int_nrow(merges.get())) < merge_steps) {
        return internal_error("igraph_community_walktrap returned " +
                              std::to_string(igraph_matrix_int_nrow(merges.get())) + " merges, " +
                              std::to_string(merge_steps) + " are needed");
      }
      code = igraph_community_to_membership(merges.get(), static_cast<igraph_integer_t>(n),
                                            static_cast<igraph_integer_t>(merge_steps), membership.get(),
                                            /*csize=*/nullptr);
      if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_to_membership");
    }
    result = membership.to_membership();
  }
  if (result.size() != n) return internal_error("igraph walktrap returned a membership of the wrong size");
  membership_ = canonical_labels(result);
  region_count_ = bre::region_count(membership_);
  modularity_ = bre::modularity(graph, membership_, 1.0);
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
