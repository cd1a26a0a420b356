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
/// O(n + m).
WorkGraph level_zero(const Graph& graph, bool use_strength);

/// Sums, per community, the weights a node has towards each community it touches,
/// in order of first encounter (so results are deterministic), and forgets them in
/// O(touched) afterwards. Sized once for the largest level; no allocation per node.
class NeighbourWeights {
 public:
  explicit NeighbourWeights(std::size_t community_capacity)
      : weight_(community_capacity, 0.0), seen_(community_capacity, 0) {
    touched_.reserve(64);
  }
  void add(std::uint32_t community, double weight) {
    if (!seen_[community]) {
      seen_[community] = 1;
      touched_.push_back(community);
    }
    weight_[community] += weight;
  }
  /// Makes `community` a candidate even without an edge to it (weight 0).
  void touch(std::uint32_t community) { add(community, 0.0); }
  const std::vector<std::uint32_t>& touched() const { return touched_; }
  double weight(std::uint32_t community) const { return weight_[community]; }
  void clear() {
    for (std::uint32_t c : touched_) {
      weight_[c] = 0.0;
      seen_[c] = 0;
    }
    touched_.clear();
  }

 private:
  std::vector<double> weight_;
  std::vector<std::uint8_t> seen_;
  std::vector<std::uint32_t> touched_;
};

/// Relabels `labels` (values < capacity) to 0..k-1 in order of first appearance and
/// returns k. O(n + capacity).
std::uint32_t compact_labels(std::vector<std::uint32_t>& labels, std::size_t capacity);

/// The aggregate of `graph` whose nodes are the groups 0..group_count-1 of `group`:
/// edge weights between groups summed, edges inside a group become the group's
/// self-weight, node weights summed. Neighbour order is first encounter when walking
/// the groups' members in node order, so the result is deterministic. O(n + m).
WorkGraph aggregate(const WorkGraph& graph, const std::vector<std::uint32_t>& group,
                    std::uint32_t group_count, NeighbourWeights& scratch);

/// A uniformly random permutation of 0..n-1 (Fisher-Yates with `rng`), into `order`.
void random_order(std::size_t n, SplitMix64& rng, std::vector<std::uint32_t>& order);

/// Quality sum_c [w_in(c) - gamma' K_c^2 / 2] of `community` on `graph` (w_in counts
/// each internal edge once, self-weights included). O(n + m).
double objective_value(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                       double scaled_resolution);

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

}  // namespace bre::clustering::detail
