// Internal to the community module: the parallel schedule of Leiden and Louvain
// (bre/clustering/schedule.hpp). Each step is deterministic for any thread count:
// work is split by the data (chunks of nodes, colour classes, communities, fixed
// chunks of groups), never by thread, and everything that sums floating-point values
// across tasks does so serially in a fixed order (node order, or chunk order).
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <cstdint>
#include <optional>
#include <utility>
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

/// The changes one chunk of chunked_local_moving made to community totals and sizes
/// this sweep: open addressing over a table sized once for the largest chunk, cleared
/// through the slots used.
class CommunityChanges {
 public:
  explicit CommunityChanges(std::size_t max_keys);
  // Inline: asked for every candidate community of every visit.
  void add(std::uint32_t community, double weight, std::int32_t count) {
    const std::size_t slot = find_slot(slots_, mask_, community);
    Slot& entry = slots_[slot];
    if (entry.key == kNoLabel) {
      entry = Slot{community, count, weight};
      used_.push_back(static_cast<std::uint32_t>(slot));
    } else {
      entry.count += count;
      entry.weight += weight;
    }
  }
  /// The change of `community` so far (0 and 0 when it has none).
  std::pair<double, std::int32_t> of(std::uint32_t community) const {
    if (used_.empty()) return {0.0, 0};
    const Slot& entry = slots_[find_slot(slots_, mask_, community)];
    return entry.key == kNoLabel ? std::pair<double, std::int32_t>{0.0, 0} : std::pair{entry.weight, entry.count};
  }
  void clear();

 private:
  struct Slot {
    std::uint32_t key;
    std::int32_t count;
    double weight;
  };
  std::size_t mask_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> used_;
};

/// Buffers of the parallel schedule reused across the levels and iterations of one run,
/// each thread's scratch included: fresh buffers per level cost page faults over the
/// whole graph each time (with fresh aggregates, about a sixth of the CPU time of a run
/// on 10^6 nodes). `node_capacity` is the largest node count of the run (level 0).
struct ParallelWorkspace {
  explicit ParallelWorkspace(std::size_t node_capacity)
      : scratch([node_capacity] { return Scratch(node_capacity); }) {}
  struct Scratch {
    explicit Scratch(std::size_t capacity);
    SumTables tables;
    CommunityChanges changes;
    std::vector<std::uint32_t> labels;  // the communities of one node's neighbours
    RefinementCandidates candidates;
    std::vector<std::uint32_t> order;
    std::vector<std::uint32_t> blocks;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  /// Sets total and size from `community` (labels < node count), in node order.
  void count_communities(const WorkGraph& graph, const std::vector<std::uint32_t>& community);
  /// Moves v from its community to `to`, in community and in total and size.
  void move(const WorkGraph& graph, std::uint32_t v, std::uint32_t to, std::vector<std::uint32_t>& community);
  // Local moving: per community its total and size, the empty labels, each node's
  // choice (chunked moving: the labels as each chunk's moves leave them).
  std::vector<double> total;
  std::vector<std::uint32_t> size;
  std::vector<std::uint32_t> empty;
  std::vector<std::uint32_t> choice;
  // Pruning by slack. Leiden's pruning wakes every neighbour outside its new community
  // of a node that moves; on a dense aggregate that is nearly every node, and sweeps
  // visit thousands of nodes to move tens. Instead each node keeps its slack, how much
  // more its choice gained than the next best at its last visit, and a neighbour's move
  // erodes it by the most that move can change its gains (|w(u, v) - gamma' k_u k_v| per
  // community of the two it changes; SlackScale in parallel_moving.cpp). A node is
  // visited again once the erosion exceeds the slack: until then no neighbour's move can
  // have made another choice better than its own. Like Leiden's rule this follows the
  // moves of neighbours only, not what other moves do to community totals. In fixed
  // point, per node; the erosion is added to from several tasks through std::atomic_ref.
  std::vector<std::int64_t> slack;
  std::vector<std::int64_t> erosion;
  std::vector<std::uint8_t> alone;  // alone in its community at its last visit
  /// No slack, erosion or node alone, for `n` nodes.
  void reset_pruning(std::size_t n);
  // Chunked moving: the active flags, each chunk's moves, and the erosion by moves in
  // the node's own chunk.
  std::vector<std::uint8_t> active;
  std::vector<std::vector<std::uint32_t>> chunk_moves;
  std::vector<std::int64_t> own_erosion;
  std::vector<std::uint8_t> woken;
  std::vector<std::uint8_t> alone_before;
  // Refinement: the members of each community, and the refined communities.
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> members;
  Refinement refinement;
};

/// Which nodes local moving visits again after a move: every neighbour outside the
/// mover's new community (Leiden's rule), or those whose slack the move may have used
/// up (ParallelWorkspace). Slack spares visits, so a given number of Leiden iterations
/// (and Louvain) runs faster at the same quality; but Leiden run until stable took
/// more iterations with it (on 10^6 planted nodes, seeds 1-3: 36, 22, 26 against 15,
/// 23, 20; tools/bench/README.md), so it keeps Leiden's rule.
enum class Pruning { kNeighbours, kSlack };

/// Local moving by colour classes: the due nodes of one class choose their best
/// community in parallel (tasks of about equal adjacency size) against the state
/// before the class, then the moves are applied in node order. A node is due in the
/// first sweep and then as `pruning` says; sweeps over the classes repeat until no
/// node moves. `community` holds labels < node count on entry and on exit (not
/// compact). Returns true when any node moved.
bool parallel_local_moving(const WorkGraph& graph, const ColourClasses& classes, double scaled_resolution,
                           Pruning pruning, ParallelWorkspace& workspace, std::vector<std::uint32_t>& community);

/// Consecutive nodes that chunked_local_moving moves together: chunk c is
/// start[c] .. start[c + 1] - 1, fixed by the graph (about kEntriesPerTask adjacency
/// entries each), not by the thread count.
struct Chunks {
  std::vector<std::uint32_t> start;
};

/// The chunks to move `graph` by, or none when colour classes suit it better: a dense
/// graph (mean degree > 64, an aggregate high up), where most of a node's neighbours lie
/// in other chunks, or a graph whose chunks hold less than a quarter of its adjacency
/// entries (node ids with little locality). Chunks see each other's moves a sweep late;
/// colour classes at once.
std::optional<Chunks> chunks_for_moving(const WorkGraph& graph);

/// Local moving by chunks of consecutive nodes: the chunks of a sweep run in parallel,
/// each visiting its active nodes in blocks of consecutive nodes in an order drawn from
/// `seed`, the sweep and the chunk, and seeing its own moves at once and the rest of the
/// graph as it was when the sweep began. The moves are then applied in chunk order.
/// Deterministic for any thread count, and each chunk reads the graph where it lies,
/// where colour classes scatter every sweep over the whole of it (on 10^6 planted
/// nodes, level 0 of Leiden's first iteration takes 1.6 s instead of 2.3 s). A node
/// alone does not join another lone node with a larger label (two nodes in different
/// chunks would otherwise swap places every sweep), and once sweeps stop shrinking, or
/// few nodes are active, the rest is moved on one thread in node order, where every
/// move raises the quality: the sweeps end. Same contract as parallel_local_moving.
bool chunked_local_moving(const WorkGraph& graph, const Chunks& chunks, double scaled_resolution, std::uint64_t seed,
                          Pruning pruning, ParallelWorkspace& workspace, std::vector<std::uint32_t>& community);

/// How the parallel schedule moves a graph: by chunks of nodes when chunks_for_moving
/// finds them, else by colour classes drawn from `rng`. A graph moved more than once
/// (the graph Leiden's iterations start from) keeps its split.
struct MovingSplit {
  MovingSplit(const WorkGraph& graph, SplitMix64& rng);
  std::optional<Chunks> chunks;
  ColourClasses classes;
};

/// Local moving on the parallel schedule as `split` says: chunked_local_moving, seeded
/// from `rng`, or parallel_local_moving. Same contract as those.
bool move_in_parallel(const WorkGraph& graph, const MovingSplit& split, double scaled_resolution, SplitMix64& rng,
                      Pruning pruning, ParallelWorkspace& workspace, std::vector<std::uint32_t>& community);

/// Leiden's refinement of `community` (compact labels < k), each community in its own
/// task with its own random stream derive_seed(seed, community): returns the refined
/// labels (< node count, not compact). Same rule as the sequential refinement.
std::vector<std::uint32_t> parallel_refine(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                                           std::uint32_t k, double scaled_resolution, double beta, std::uint64_t seed,
                                           ParallelWorkspace& workspace);

}  // namespace bre::clustering::detail
