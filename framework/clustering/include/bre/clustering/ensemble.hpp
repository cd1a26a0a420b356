// Clustering ensembles (DOMAIN.md §2): many runs of the native algorithms (seeds x
// resolutions x algorithms) in parallel on TBB, their co-assignment P(i,j), a
// consensus partition and each node's membership confidence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "bre/algorithm.hpp"
#include "bre/clustering/algorithm.hpp"
#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::clustering {

struct EnsembleParameters {
  /// Member i runs algorithms[i % A] at resolutions[(i / A) % R] (an algorithm without
  /// a resolution ignores it) with seed derive_seed(seed, i).
  CommunityDetectionList algorithms = {leiden_detection()};
  /// Modularity resolutions gamma > 0.
  std::vector<double> resolutions = {1.0};
  /// Number of members N >= 1.
  std::int64_t members = 100;
  /// Co-assignment below this share, in [0, 1), is left out of the consensus graph.
  double consensus_threshold = 0.5;
  std::uint64_t seed = 0;
  /// Polled before each member; when it returns true, run() stops with kCancelled.
  std::function<bool()> cancelled = nullptr;
  /// Called after each member with the number of members done so far and N, from
  /// worker threads (thread-safe callback required); for progress displays only.
  std::function<void(std::size_t done, std::size_t total)> progress = nullptr;
};

/// Co-assignment over the graph's edges (i < j, self-loops left out): P(i,j) = share
/// of members with i and j in one community. Sparse by design: the consensus only
/// needs P where the graph has a tie; any other pair is Ensemble::co_assignment().
struct CoAssignmentEdges {
  std::vector<WeightedEdge> pairs;  // weight = P(u, v), sorted by (u, v)
};

/// Runs the ensemble and derives its consensus.
///
/// Consensus (after Lancichinetti & Fortunato 2012): the graph on the same nodes with
/// an edge of weight P(i,j) for every edge of the input graph with P(i,j) >=
/// consensus_threshold, clustered by Leiden (modularity, resolution 1, until stable,
/// seed derive_seed(seed, "consensus")). When no pair reaches the threshold every
/// node is its own consensus region.
///
/// Membership confidence of node i with consensus region R: the share of members in
/// which i sits in the community that holds the plurality of R's nodes in that member
/// (ties: the smallest community label). 1 = always with its region; about 1/2 for a
/// node split evenly between two regions.
///
/// Parallelism: members run in a tbb::parallel_for in the caller's task arena; each
/// writes only its own column, and all sums run in member or node order, so results
/// are identical for any thread count. Memory: N x n labels (4 bytes each).
/// Complexity: N runs of the algorithms + O(N (m + n log n)).
class Ensemble : public AlgorithmBase {
 public:
  /// `graph` must outlive this object.
  Ensemble(const Graph& graph, EnsembleParameters parameters);

  /// Errors (argument named): a graph without nodes or without edge weight (the
  /// modularity members and the consensus need it), members < 1, an empty algorithm
  /// or resolution list, a resolution not finite or <= 0, a threshold outside [0, 1);
  /// the first failing member's error; kCancelled when cancelled.
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  std::size_t member_count() const;
  /// Member `index`'s communities (canonical labels).
  Membership member(std::size_t index) const;
  /// P(i, j) for any pair; P(i, i) = 1. O(N).
  double co_assignment(std::uint32_t i, std::uint32_t j) const;
  /// P over the graph's edges.
  const CoAssignmentEdges& co_assignment_edges() const;
  /// Consensus regions (canonical labels).
  const Membership& consensus() const;
  /// Per node, in [0, 1].
  const std::vector<double>& confidence() const;
  /// Modularity of the consensus on the input graph at resolution 1.
  double consensus_modularity() const;

 private:
  Status validate() const;
  double together_share(std::uint32_t i, std::uint32_t j) const;
  /// Fills co_assignment_ and returns the pairs that make the consensus graph.
  std::vector<WeightedEdge> co_assign_edges();
  Expected<Membership> consensus_of(std::vector<WeightedEdge> consensus_edges) const;
  std::vector<double> membership_confidence(const Membership& consensus) const;

  const Graph* graph_;
  EnsembleParameters parameters_;
  std::size_t members_ = 0;
  std::vector<std::int32_t> labels_;  // node-major: labels_[node * members_ + member]
  CoAssignmentEdges co_assignment_;
  Membership consensus_;
  std::vector<double> confidence_;
  double consensus_modularity_ = 0.0;
};

}  // namespace bre::clustering
