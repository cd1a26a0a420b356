#include "common.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>

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

}  // namespace bre::clustering::detail
