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

/// Local moving by colour classes: a greedy colouring (in a random node order drawn
/// from `rng`) splits the nodes into classes without an edge inside; the active nodes
/// of one class choose their best community in parallel against the state before the
/// class, then the moves are applied in node order. A node that moves activates its
/// neighbours outside its new community (Leiden's pruning); sweeps over the classes
/// repeat until no node is active. `community` holds labels < node count on entry and
/// on exit (not compact). Returns true when any node moved.
bool parallel_local_moving(const WorkGraph& graph, double scaled_resolution, SplitMix64& rng,
                           std::vector<std::uint32_t>& community);

/// Leiden's refinement of `community` (compact labels < k), each community in its own
/// task with its own random stream derive_seed(seed, community): returns the refined
/// labels (< node count, not compact). Same rule as the sequential refinement.
std::vector<std::uint32_t> parallel_refine(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                                           std::uint32_t k, double scaled_resolution, double beta,
                                           std::uint64_t seed);

}  // namespace bre::clustering::detail
