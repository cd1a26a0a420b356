// Native Louvain (multilevel) modularity optimisation (Blondel, Guillaume, Lambiotte
// & Lefebvre 2008), DOMAIN.md §2. Thread-safe, deterministic per seed. Checked
// against igraph_community_multilevel (tests/framework/test_community.cpp).
#pragma once

#include <cstdint>

#include "bre/algorithm.hpp"
#include "bre/clustering/schedule.hpp"
#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::clustering {

struct LouvainParameters {
  /// gamma > 0 in Q = 1/(2m) sum_ij [A_ij - gamma k_i k_j / (2m)] delta(c_i, c_j).
  double resolution = 1.0;
  /// Seeds the node order of each level's sweeps (in parallel, the chunks' block order
  /// or the colour classes' order).
  std::uint64_t seed = 0;
  /// Sequential or parallel node moves (bre/clustering/schedule.hpp).
  Schedule schedule = Schedule::kAuto;
};

/// Louvain: at each level, sweep the nodes (one random order per level) moving each
/// to the neighbouring community of largest modularity gain, until a sweep moves
/// nothing; then aggregate the communities into nodes and repeat until a level moves
/// nothing. Every node gets a community; an isolated node stays alone.
///
/// Thread safety and determinism as Leiden. Complexity: O(m) per sweep; a few sweeps
/// per level and O(log n) levels in practice.
class Louvain : public AlgorithmBase {
 public:
  /// `graph` must outlive this object.
  Louvain(const Graph& graph, LouvainParameters parameters);

  /// Errors (argument named): a graph without nodes, resolution not finite or <= 0,
  /// a graph whose total edge weight is 0.
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  /// Community per node, canonical labels.
  const Membership& membership() const;
  std::int32_t community_count() const;
  /// Modularity at `resolution`.
  double modularity() const;
  /// Aggregation levels that moved a node.
  std::int32_t levels() const;

 private:
  const Graph* graph_;
  LouvainParameters parameters_;
  Membership membership_;
  std::int32_t community_count_ = 0;
  double modularity_ = 0.0;
  std::int32_t levels_ = 0;
};

}  // namespace bre::clustering
