#include "walktrap.hpp"

#include <igraph/igraph.h>

#include <string>
#include <vector>

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
    : RegionClustering("IgraphWalktrap", graph, parameters) {}

Status IgraphWalktrap::run() {
  set_has_run(false);
  BRE_RETURN_IF_ERROR(check_graph("random walks cannot move"));
  const WalktrapParameters& p = parameters();
  if (p.steps < 1) return invalid_argument("steps: expected an integer >= 1, found " + std::to_string(p.steps));
  const std::size_t n = graph().node_count();
  std::size_t merge_steps = 0;
  if (p.regions != 0) {
    const Components parts = count_components(graph());
    const auto lowest = static_cast<std::int64_t>(parts.components - parts.untied);
    const auto highest = static_cast<std::int64_t>(n - parts.untied);
    if (p.regions < lowest || p.regions > highest) {
      return invalid_argument("regions: expected 0 (maximum modularity) or a number in [" + std::to_string(lowest) +
                              ", " + std::to_string(highest) + "] (the tied parts of the graph and its tied nodes), found " +
                              std::to_string(p.regions));
    }
    merge_steps = n - parts.untied - static_cast<std::size_t>(p.regions);
  }
  Expected<Membership> result =
      with_igraph(graph(), std::nullopt, [&](IgraphGraph& igraph_graph) -> Expected<Membership> {
        IntMatrix merges;
        RealVector merge_modularity;  // igraph needs it to find the maximum-modularity cut
        IntVector membership;
        BRE_RETURN_IF_ERROR(merges.init());
        BRE_RETURN_IF_ERROR(merge_modularity.init({}));
        BRE_RETURN_IF_ERROR(membership.init({}));
        const bool at_maximum = p.regions == 0;
        igraph_error_t code = igraph_community_walktrap(igraph_graph.get(), igraph_graph.weights(),
                                                        static_cast<igraph_integer_t>(p.steps), merges.get(),
                                                        merge_modularity.get(), at_maximum ? membership.get() : nullptr);
        if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_walktrap");
        if (at_maximum) return membership.to_membership();
        if (static_cast<std::size_t>(igraph_matrix_int_nrow(merges.get())) < merge_steps) {
          return internal_error("igraph_community_walktrap returned " +
                                std::to_string(igraph_matrix_int_nrow(merges.get())) + " merges, " +
                                std::to_string(merge_steps) + " are needed");
        }
        code = igraph_community_to_membership(merges.get(), static_cast<igraph_integer_t>(n),
                                              static_cast<igraph_integer_t>(merge_steps), membership.get(),
                                              /*csize=*/nullptr);
        if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_to_membership");
        return membership.to_membership();
      });
  if (!result) return result.status();
  return finish(*result, 1.0);
}

}  // namespace bre::clustering
