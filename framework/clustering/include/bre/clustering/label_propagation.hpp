// Native weighted label propagation (Raghavan, Albert & Kumara 2007), asynchronous
// with a seeded node order, DOMAIN.md §2. Thread-safe, deterministic per seed.
#pragma once

#include <cstdint>

#include "bre/algorithm.hpp"
#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::clustering {

struct LabelPropagationParameters {
  /// Upper bound on sweeps over all nodes, >= 1; the usual stop is earlier, when
  /// every node already carries a label of maximal neighbour weight.
  std::int64_t max_sweeps = 1000;
  /// Seeds each sweep's node order and the choice among tied labels.
  std::uint64_t seed = 0;
};

/// Label propagation: every node starts with its own label; each sweep visits the
/// nodes in a fresh random order and gives each the label of largest total edge
/// weight among its neighbours (self-loops ignored), keeping its own label when that
/// is among the largest, else choosing uniformly among the tied ones. Stops after a
/// sweep that changes no label. An isolated node keeps its own label.
///
/// Complexity: O(m) per sweep. Not an optimiser of any quality; fast and crude.
class LabelPropagation : public AlgorithmBase {
 public:
  /// `graph` must outlive this object.
  LabelPropagation(const Graph& graph, LabelPropagationParameters parameters);

  /// Errors (argument named): a graph without nodes, max_sweeps < 1.
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  const Membership& membership() const;
  std::int32_t community_count() const;
  /// Sweeps that ran; converged() tells whether the last one changed nothing.
  std::int64_t sweeps() const;
  bool converged() const;

 private:
  const Graph* graph_;
  LabelPropagationParameters parameters_;
  Membership membership_;
  std::int32_t community_count_ = 0;
  std::int64_t sweeps_ = 0;
  bool converged_ = false;
};

}  // namespace bre::clustering
