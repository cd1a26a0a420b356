// Internal to the community module: argument checks shared by its algorithms.
#pragma once

#include <string>

#include "bre/graph.hpp"
#include "bre/status.hpp"

namespace bre::clustering::detail {

/// A graph with nodes whose labels fit a Membership; with `needs_weight`, also a
/// positive total edge weight (modularity is undefined otherwise).
Status validate_graph(const Graph& graph, bool needs_weight);

/// `value` finite and > 0; the error names `argument`.
Status validate_positive(const std::string& argument, double value);

}  // namespace bre::clustering::detail
