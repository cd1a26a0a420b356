// Internal to the community module: the graph Leiden and Louvain work on at each
// level (the input graph, then aggregates of it), and the scratch buffers they share.
// Not part of the SDK.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bre/graph.hpp"
#include "bre/random.hpp"

namespace bre::clustering::detail {

/// No label, no colour, no node: labels are < node count < 2^32 - 1.
inline constexpr std::uint32_t kNoLabel = 0xffffffffU;

/// An undirected weighted graph in CSR form without self-loops in the adjacency:
/// the weight of a node's self-loop (each internal edge of an aggregate once) is kept
/// apart, because it moves with the node and never changes a move's gain. Node
/// weights are the strengths (modularity) or node counts (CPM) of what the node
/// stands for.
struct WorkGraph {
  std::vector<std::size_t> offsets;     // node_count + 1
  std::vector<std::uint32_t> targets;   // neighbours, both directions
  std::vector<double> weights;          // parallel to targets
  std::vector<double> self_weight;      // per node
  std::vector<double> node_weight;      // per node

  std::size_t node_count() const { return self_weight.size(); }
};

/// Level 0: the input graph with node weights = strengths (use_strength) or 1.
/// O(n + m), in parallel over nodes.
WorkGraph level_zero(const Graph& graph, bool use_strength);

/// Sums, per community, the weights a node has towards each community it touches,
/// in order of first encounter (so results are deterministic), and forgets them in
/// O(touched) afterwards. Sized once for the largest level; no allocation per node.
class NeighbourWeights {
 public:
  explicit NeighbourWeights(std::size_t community_capacity) : weight_(community_capacity, kUnseen) {
    touched_.reserve(64);
  }
  void add(std::uint32_t community, double weight) {
    // One array for the sum and the seen mark: one cache miss per neighbour, not two.
    double& sum = weight_[community];
    if (sum == kUnseen) {
      sum = weight;
      touched_.push_back(community);
    } else {
      sum += weight;
    }
  }
  /// Makes `community` a candidate even without an edge to it (weight 0).
  void touch(std::uint32_t community) { add(community, 0.0); }
  const std::vector<std::uint32_t>& touched() const { return touched_; }
  double weight(std::uint32_t community) const {
    const double sum = weight_[community];
    return sum == kUnseen ? 0.0 : sum;
  }
  void clear() {
    for (std::uint32_t c : touched_) weight_[c] = kUnseen;
    touched_.clear();
  }

 private:
  // Weights are >= 0, so a negative sum marks a community not met yet.
  static constexpr double kUnseen = -1.0;
  std::vector<double> weight_;
  std::vector<std::uint32_t> touched_;
};

/// NeighbourWeights for at most kSmallEntries additions (a node of small degree, a
/// small group): open addressing in a table of at most 4 * kSmallEntries slots that
/// stays in the first levels of cache, where the dense array costs a cache miss per
/// entry on a large graph. Same interface, same first-encounter order and the same sums
/// in the same order, so whoever uses it gets the same result.
inline constexpr std::size_t kSmallEntries = 512;
class SmallWeights {
 public:
  /// Empties the table for up to `entries` additions (<= kSmallEntries) and a touch.
  void reset(std::size_t entries) {
    std::size_t capacity = 8;
    while (capacity < 2 * (entries + 1)) capacity *= 2;
    mask_ = capacity - 1;
    keys_.assign(capacity, kNoLabel);
    sums_.resize(capacity);
    touched_.clear();
  }
  void add(std::uint32_t community, double weight) {
    const std::size_t slot = find(community);
    if (keys_[slot] == kNoLabel) {
      keys_[slot] = community;
      sums_[slot] = weight;
      touched_.push_back(community);
    } else {
      sums_[slot] += weight;
    }
  }
  void touch(std::uint32_t community) { add(community, 0.0); }
  const std::vector<std::uint32_t>& touched() const { return touched_; }
  double weight(std::uint32_t community) const {
    const std::size_t slot = find(community);
    return keys_[slot] == kNoLabel ? 0.0 : sums_[slot];
  }
  void clear() {}

 private:
  std::size_t find(std::uint32_t community) const {
    std::size_t slot = (community * 0x9E3779B1U) & mask_;
    while (keys_[slot] != kNoLabel && keys_[slot] != community) slot = (slot + 1) & mask_;
    return slot;
  }
  std::size_t mask_ = 0;
  std::vector<std::uint32_t> keys_;
  std::vector<double> sums_;
  std::vector<std::uint32_t> touched_;
};

/// Members of each label 0..count-1 in node order (a counting sort): label c's members
/// are members[start[c] .. start[c + 1]). O(n + count).
void members_by_label(const std::vector<std::uint32_t>& label, std::uint32_t count, std::vector<std::size_t>& start,
                      std::vector<std::uint32_t>& members);

/// Relabels `labels` (values < capacity) to 0..k-1 in order of first appearance and
/// returns k. O(n + capacity).
std::uint32_t compact_labels(std::vector<std::uint32_t>& labels, std::size_t capacity);

/// The aggregate of `graph` whose nodes are the groups 0..group_count-1 of `group`:
/// edge weights between groups summed, edges inside a group become the group's
/// self-weight, node weights summed. Neighbour order is first encounter when walking
/// the groups' members in node order, so the result is deterministic. O(n + m).
/// Built in parallel over fixed chunks of groups, so it does not depend on the thread
/// count.
WorkGraph aggregate(const WorkGraph& graph, const std::vector<std::uint32_t>& group, std::uint32_t group_count);

/// A uniformly random permutation of 0..n-1 (Fisher-Yates with `rng`), into `order`.
void random_order(std::size_t n, SplitMix64& rng, std::vector<std::uint32_t>& order);

}  // namespace bre::clustering::detail

namespace bre::clustering::detail {

/// Communities over a WorkGraph's nodes with their total node weights K_c and sizes,
/// and the local move both Leiden and Louvain make: take a node out of its community
/// and put it where the gain w(v, C) - gamma' k_v K_C is largest (an empty community
/// has gain 0). Ties keep the first candidate met: the own community, then neighbours'
/// communities in adjacency order.
class CommunityState {
 public:
  /// `labels` are < graph.node_count().
  void reset(const WorkGraph& graph, const std::vector<std::uint32_t>& labels);
  /// Moves `v` to its best community; true when that differs from its old one.
  /// O(degree(v)).
  bool move_to_best(const WorkGraph& graph, std::uint32_t v, double scaled_resolution, NeighbourWeights& scratch);

  std::vector<std::uint32_t> community;

 private:
  std::vector<double> total_;
  std::vector<std::uint32_t> size_;
  std::vector<std::uint32_t> empty_;
};

/// Leiden's refinement state over a WorkGraph's nodes: each node's refined community
/// (the id of the node it started from), and per refined community its total node
/// weight K_S, node count and weight w(S, C - S) of edges to the rest of its community C.
struct Refinement {
  /// Every node a singleton; w(v, C - v) from `community`. In parallel over nodes.
  void reset(const WorkGraph& graph, const std::vector<std::uint32_t>& community);

  std::vector<std::uint32_t> refined;
  std::vector<double> total;
  std::vector<std::uint32_t> size;
  std::vector<double> external;
};

/// Scratch of refine_node, reused across nodes.
struct RefinementCandidates {
  std::vector<std::uint32_t> communities;
  std::vector<double> weights;
};

/// One step of Leiden's refinement: if `v` is still a singleton and well connected to
/// its community C (w(v, C - v) >= gamma k_v (K_C - k_v), K_C = `community_total`),
/// it joins a well-connected refined community S of C (w(S, C - S) >= gamma K_S
/// (K_C - K_S)) with non-negative gain, chosen with probability ~ exp(gain / beta);
/// staying alone (gain 0) is one of the choices. Touches only `state` entries of C's
/// nodes, so communities can be refined concurrently. O(degree(v)).
/// Sums in `small` when v's degree allows, else in `dense`.
void refine_node(const WorkGraph& graph, const std::vector<std::uint32_t>& community, std::uint32_t v,
                 double community_total, double scaled_resolution, double beta, SplitMix64& rng, Refinement& state,
                 NeighbourWeights& dense, SmallWeights& small, RefinementCandidates& candidates);

}  // namespace bre::clustering::detail
