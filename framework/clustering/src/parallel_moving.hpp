// Internal to the community module: the parallel schedule of Leiden and Louvain
// (bre/clustering/schedule.hpp). Each step is deterministic for any thread count:
// work is split by the data (colour classes, communities, fixed chunks of groups),
// never by thread, and everything that sums floating-point values across tasks does so
// serially in node order.
#pragma once

#include <cstdint>
#include <vector>

#include "bre/random.hpp"
#include "work_graph.hpp"

namespace bre::clustering::detail {

/// Nodes in classes without an edge inside: a greedy colouring in a random node order
/// drawn from `rng` (each node takes the smallest colour none of its coloured
/// neighbours has). O(n + m), serial; a graph that is moved on again keeps its classes.
struct ColourClasses {
  std::vector<std::uint32_t> nodes;  // grouped by colour, ascending node id inside a colour
  std::vector<std::size_t> start;    // colour count + 1 offsets into nodes
};
ColourClasses colour_greedily(const WorkGraph& graph, SplitMix64& rng);

/// Local moving by colour classes: the active nodes of one class choose their best
/// community in parallel against the state before the class, then the moves are
/// applied in node order. A node that moves activates its neighbours outside its new
/// community (Leiden's pruning); sweeps over the classes repeat until no node is
/// active. `community` holds labels < node count on entry and on exit (not compact).
/// Returns true when any node moved.
bool parallel_local_moving(const WorkGraph& graph, const ColourClasses& classes, double scaled_resolution,
                           std::vector<std::uint32_t>& community);

/// Renumbers `graph`'s nodes so that each community of `membership` (labels < node
/// count) is contiguous, communities in label order and nodes in their old order inside;
/// neighbour order, colour classes and `membership` follow. Returns new_id (old node ->
/// new node). In parallel over nodes, O(n + m).
std::vector<std::uint32_t> renumber_by_community(WorkGraph& graph, ColourClasses& classes,
                                                 std::vector<std::uint32_t>& membership);

/// Leiden's refinement of `community` (compact labels < k), each community in its own
/// task with its own random stream derive_seed(seed, community): returns the refined
/// labels (< node count, not compact). Same rule as the sequential refinement.
std::vector<std::uint32_t> parallel_refine(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                                           std::uint32_t k, double scaled_resolution, double beta,
                                           std::uint64_t seed);

}  // namespace bre::clustering::detail
