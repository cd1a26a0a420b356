#include "common.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <sstream>
#include <vector>

#include "work_graph.hpp"

namespace bre::clustering::detail {

Status validate_graph(const Graph& graph, bool needs_weight) {
  if (graph.node_count() == 0) return invalid_argument("graph: has no nodes; there is nothing to cluster");
  if (graph.node_count() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return invalid_argument("graph: " + std::to_string(graph.node_count()) +
                            " nodes exceed the community label range");
  }
  if (needs_weight && !(graph.total_weight() > 0.0)) {
    return failed_precondition("graph: has " + std::to_string(graph.edge_count()) +
                               " edges of total weight 0, so modularity is undefined");
  }
  return Status::ok();
}

Status validate_positive(const std::string& argument, double value) {
  if (std::isfinite(value) && value > 0.0) return Status::ok();
  std::ostringstream found;
  found << value;
  return invalid_argument(argument + ": expected a finite number > 0, found " + found.str());
}

Status run_members_in_parallel(std::size_t count, const std::string& what, const std::function<bool()>& cancelled,
                               const std::function<void(std::size_t, std::size_t)>& progress,
                               const std::function<Status(std::size_t)>& member) {
  std::vector<Status> statuses(count);
  std::atomic<bool> stopped{false};
  std::atomic<std::size_t> done{0};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t t = range.begin(); t != range.end(); ++t) {
      if (stopped.load(std::memory_order_relaxed)) return;
      if (cancelled && cancelled()) {
        stopped = true;
        statuses[t] = {StatusCode::kCancelled, what + " cancelled before member " + std::to_string(t)};
        return;
      }
      statuses[t] = member(t);
      if (!statuses[t].is_ok()) {
        stopped = true;
        return;
      }
      const std::size_t finished = done.fetch_add(1, std::memory_order_relaxed) + 1;
      if (progress) progress(finished, count);
    }
  });
  for (const Status& status : statuses) {
    if (!status.is_ok()) return status;
  }
  if (stopped) return {StatusCode::kCancelled, what + " cancelled"};
  return Status::ok();
}

Status validate_algorithms(const CommunityDetectionList& algorithms) {
  if (algorithms.empty()) return invalid_argument("algorithms: expected at least one algorithm, found none");
  for (std::size_t a = 0; a < algorithms.size(); ++a) {
    if (!algorithms[a]) return invalid_argument("algorithms[" + std::to_string(a) + "]: expected an algorithm, found none");
  }
  return Status::ok();
}

double modularity_in_parallel(const Graph& graph, const std::vector<std::uint32_t>& community, std::uint32_t count,
                              double resolution) {
  // Fixed grains with parallel_deterministic_reduce: the same split and the same order of
  // sums for any thread count.
  constexpr std::size_t kNodesPerTask = 4096;
  constexpr std::size_t kCommunitiesPerTask = 256;
  const std::size_t n = graph.node_count();
  const std::span<const std::size_t> offsets = graph.adjacency_offsets();
  const std::span<const std::uint32_t> targets = graph.adjacency_targets();
  const std::span<const double> weights = graph.adjacency_weights();
  // Twice the weight inside communities: an edge seen from both ends, a self-loop (listed
  // once) counted twice.
  const double inside = tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, n, kNodesPerTask), 0.0,
      [&](const tbb::blocked_range<std::size_t>& r, double sum) {
        for (std::size_t v = r.begin(); v != r.end(); ++v) {
          for (std::size_t e = offsets[v]; e < offsets[v + 1]; ++e) {
            if (community[targets[e]] == community[v]) sum += targets[e] == v ? 2.0 * weights[e] : weights[e];
          }
        }
        return sum;
      },
      std::plus<>());
  // Each community's strength over its members in node order.
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> members;
  members_by_label(community, count, start, members);
  const double two_m = 2.0 * graph.total_weight();
  const double squares = tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, count, kCommunitiesPerTask), 0.0,
      [&](const tbb::blocked_range<std::size_t>& r, double sum) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) {
          double strength = 0.0;
          for (std::size_t i = start[c]; i < start[c + 1]; ++i) strength += graph.strength(members[i]);
          const double share = strength / two_m;
          sum += share * share;
        }
        return sum;
      },
      std::plus<>());
  return inside / two_m - resolution * squares;
}

}  // namespace bre::clustering::detail
