// Leiden community detection through igraph (Traag, Waltman & van Eck 2019,
// igraph_community_leiden). DOMAIN.md §2: one of the interchangeable clustering
// algorithms; also the reference the native, thread-parallel Leiden is tested against.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "region_clustering.hpp"

namespace bre::clustering {

/// What the Leiden algorithm maximises.
enum class LeidenObjective {
  /// Modularity with resolution gamma (igraph_modularity convention):
  /// Q = 1/(2m) sum_ij [A_ij - gamma k_i k_j / (2m)] delta(c_i, c_j).
  kModularity,
  /// Constant Potts model: 1/(2m) sum_ij [A_ij - gamma] delta(c_i, c_j); gamma is a
  /// density threshold in units of edge weight, not comparable with modularity's.
  kCpm,
};

/// Parses "modularity" / "cpm"; an error names the text and the choices.
Expected<LeidenObjective> parse_leiden_objective(const std::string& text);

struct IgraphLeidenParameters {
  LeidenObjective objective = LeidenObjective::kModularity;
  /// gamma >= 0. For modularity, 1 is classic modularity and larger values give more,
  /// smaller regions. For CPM, in units of edge weight.
  double resolution = 1.0;
  /// Randomness of the refinement step, > 0 (igraph's beta; 0.01 works well).
  double beta = 0.01;
  /// Iterations of the whole Leiden procedure; negative = until an iteration leaves
  /// the clustering unchanged (igraph's documented n_iterations convention, driven
  /// from here because igraph 0.10.2's own loop for it is broken); 0 returns the
  /// starting partition.
  std::int64_t iterations = -1;
  /// Seeds igraph's random number generator for this call only.
  std::uint64_t seed = 0;
  /// Starting partition (one non-negative label per node); empty = singletons.
  Membership initial_membership;
};

/// Leiden on a bre::Graph through igraph_community_leiden, following NetworKit's
/// shape: construct from a graph and parameters, run(), then read the accessors.
///
/// For the modularity objective igraph is given node weights k_i (strengths, a
/// self-loop counted twice) and resolution gamma / (2m), as igraph documents; for
/// CPM, unit node weights and gamma itself.
///
/// Thread safety: Debian's igraph is not thread-safe, so run() holds
/// bre::igraph_mutex() for every igraph call, from creating the igraph objects to
/// destroying them, and seeds igraph's default RNG under it. Concurrent run()s on
/// the same or different graphs are safe and serialised; each result depends only
/// on (graph, parameters). igraph errors become a Status (never an abort).
///
/// Complexity: near-linear in n + m per iteration (igraph), plus O(n + m) to copy
/// the graph into igraph.
class IgraphLeiden : public RegionClustering<IgraphLeidenParameters> {
 public:
  /// `graph` must outlive this object.
  IgraphLeiden(const Graph& graph, IgraphLeidenParameters parameters);

  /// Validates the graph and parameters, then clusters. Errors: a graph without
  /// nodes; for modularity, a graph without edge weight (modularity undefined); a
  /// resolution that is negative or not finite; beta not positive and finite; an
  /// initial membership of the wrong size or with negative labels; an igraph error.
  Status run();

  // Accessors (and RegionClustering's membership(), region_count(), modularity():
  // at `resolution` for the modularity objective, at resolution 1 (classic
  // modularity) for CPM, NaN for a graph without edges); each throws
  // std::logic_error before a successful run().
  /// The objective value igraph reports (for modularity equal to modularity()); NaN
  /// when no iteration ran (iterations = 0).
  double quality() const;

 private:
  Status validate() const;

  double quality_ = 0.0;
};

}  // namespace bre::clustering
