// Internal to the community module: argument checks shared by its algorithms.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "bre/clustering/algorithm.hpp"
#include "bre/graph.hpp"
#include "bre/status.hpp"

namespace bre::clustering::detail {

/// A graph with nodes whose labels fit a Membership; with `needs_weight`, also a
/// positive total edge weight (modularity is undefined otherwise).
Status validate_graph(const Graph& graph, bool needs_weight);

/// `value` finite and > 0; the error names `argument`.
Status validate_positive(const std::string& argument, double value);

/// Runs member(t) for every t in [0, count) in a tbb::parallel_for in the caller's
/// task arena; each member must write only its own results. Polls `cancelled` before
/// each member and calls `progress` (members done, count) after each; after the
/// first failure or cancellation no further member starts. Returns the cancellation
/// or the first failing member's error in member order, so the outcome does not
/// depend on scheduling; `what` names the run in the cancellation message.
Status run_members_in_parallel(std::size_t count, const std::string& what, const std::function<bool()>& cancelled,
                               const std::function<void(std::size_t, std::size_t)>& progress,
                               const std::function<Status(std::size_t)>& member);

/// At least one algorithm, none of them null.
Status validate_algorithms(const CommunityDetectionList& algorithms);

/// bre::modularity (igraph's definition) in parallel, for the parallel schedule's
/// results: sums in fixed chunks of nodes and communities combined in a fixed order, so
/// the value does not depend on the thread count; it may differ from bre::modularity's
/// serial sum in the last bits. Every node has a label `community` < `count`; the graph
/// has a positive total weight.
double modularity_in_parallel(const Graph& graph, const std::vector<std::uint32_t>& community, std::uint32_t count,
                              double resolution);

}  // namespace bre::clustering::detail
