// Internal to the community module: the parallel schedule of Leiden and Louvain
// (bre/clustering/schedule.hpp). Each step is deterministic for any thread count:
// work is split by the data (colour classes, communities, fixed chunks of groups),
// never by thread, and everything that sums floating-point values across tasks does so
// serially in node order.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <cstdint>
#include <vector>

#include "bre/random.hpp"
#include "work_graph.hpp"

namespace bre::clustering::detail {

/// Nodes in classes without an edge inside: a greedy colouring in node order (each
/// node takes the smallest colour none of its coloured neighbours has), which streams
/// the adjacency once, the classes then in a random order drawn from `rng`. O(n + m),
/// serial; a graph that is moved on again keeps its classes.
struct ColourClasses {
  std::vector<std::uint32_t> nodes;  // grouped by colour, ascending node id inside a colour
  std::vector<std::size_t> start;    // colour count + 1 offsets into nodes
};
ColourClasses colour_greedily(const WorkGraph& graph, SplitMix64& rng);

/// Buffers of the parallel schedule reused across the levels and iterations of one run,
/// each thread's scratch included: fresh buffers per level cost page faults over the
/// whole graph each time (with fresh aggregates, about a sixth of the CPU time of a run
/// on 10^6 nodes). `node_capacity` is the largest node count of the run (level 0).
struct ParallelWorkspace {
  explicit ParallelWorkspace(std::size_t node_capacity)
      : scratch([node_capacity] { return Scratch(node_capacity); }) {}
  struct Scratch {
    explicit Scratch(std::size_t capacity) : tables(capacity) {}
    SumTables tables;
    std::vector<std::uint32_t> labels;  // the communities of one node's neighbours
    RefinementCandidates candidates;
    std::vector<std::uint32_t> order;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  // Local moving: per community its total and size, the empty labels, each node's
  // choice, and the active flags (set from several tasks, so through std::atomic_ref).
  std::vector<double> total;
  std::vector<std::uint32_t> size;
  std::vector<std::uint32_t> empty;
  std::vector<std::uint32_t> choice;
  std::vector<std::uint8_t> active;
  // Refinement: the members of each community, and the refined communities.
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> members;
  Refinement refinement;
};

/// Local moving by colour classes: the active nodes of one class choose their best
/// community in parallel (tasks of about equal adjacency size) against the state
/// before the class, then the moves are applied in node order. A node that moves
/// activates its neighbours outside its new community (Leiden's pruning); sweeps over
/// the classes repeat until no node is active. `community` holds labels < node count
/// on entry and on exit (not compact). Returns true when any node moved.
bool parallel_local_moving(const WorkGraph& graph, const ColourClasses& classes, double scaled_resolution,
                           ParallelWorkspace& workspace, std::vector<std::uint32_t>& community);

/// Leiden's refinement of `community` (compact labels < k), each community in its own
/// task with its own random stream derive_seed(seed, community): returns the refined
/// labels (< node count, not compact). Same rule as the sequential refinement.
std::vector<std::uint32_t> parallel_refine(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                                           std::uint32_t k, double scaled_resolution, double beta, std::uint64_t seed,
                                           ParallelWorkspace& workspace);

}  // namespace bre::clustering::detail
