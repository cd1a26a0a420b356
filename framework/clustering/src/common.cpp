#include "common.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <vector>

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

}  // namespace bre::clustering::detail
