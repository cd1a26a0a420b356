// How native Leiden and Louvain move nodes: one after another (the reference, as
// igraph and leidenalg do) or in parallel, by chunks of consecutive nodes or by colour
// classes. Both give the same result for any thread count; they give different results
// from each other.
#pragma once

#include <cstddef>
#include <string>

#include "bre/status.hpp"

namespace bre::clustering {

enum class Schedule {
  /// kSequential below kParallelFromNodes nodes, kParallel from there: the national
  /// network (hundreds of nodes) keeps its results, large graphs use every core.
  kAuto,
  /// A queue of nodes in random order, each move seen by the next node.
  kSequential,
  /// A sparse level (mean degree <= 64) in chunks of consecutive nodes moved in
  /// parallel, each chunk seeing its own moves at once and the rest as the sweep began
  /// (blocks of a chunk visited in an order drawn from the seed), moves applied in
  /// chunk order; a dense level in greedy colour classes (no edge inside a class;
  /// coloured in node order, swept in an order drawn from the seed) moved in parallel
  /// against the state before the class, moves applied in node order. In Louvain and
  /// a given number of Leiden iterations a node is visited again once its neighbours'
  /// moves may have made another community better for it (pruning by slack,
  /// framework/clustering/src/parallel_moving.hpp); Leiden until stable revisits every
  /// neighbour outside a mover's new community, as the sequential queue. Refinement in
  /// parallel per community, each with its own random stream; aggregation in parallel.
  /// Buffers are sized once per run and reused by every level and iteration.
  kParallel,
};

/// Graphs with at least this many nodes run in parallel under Schedule::kAuto: below
/// it the parallel steps cost more than they save on two cores (tools/bench/run.sh).
inline constexpr std::size_t kParallelFromNodes = 20000;

/// Whether `schedule` runs a graph of `node_count` nodes in parallel.
inline bool runs_in_parallel(Schedule schedule, std::size_t node_count) {
  return schedule == Schedule::kParallel || (schedule == Schedule::kAuto && node_count >= kParallelFromNodes);
}

/// Parses "auto" / "sequential" / "parallel"; an error names the text and the choices.
Expected<Schedule> parse_schedule(const std::string& text);

}  // namespace bre::clustering
