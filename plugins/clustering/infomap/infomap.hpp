// Infomap community detection through igraph (Rosvall & Bergstrom 2008,
// igraph_community_infomap): regions are the modules of the two-level map equation,
// the partition that most compresses the description of a random walk on the graph.
// DOMAIN.md §2: the flow-based one of the interchangeable clustering algorithms.
#pragma once

#include <cstdint>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "region_clustering.hpp"

namespace bre::clustering {

struct InfomapParameters {
  /// Independent attempts; the one with the shortest code length wins. >= 1.
  std::int64_t trials = 10;
  /// Seeds igraph's random number generator for this call only.
  std::uint64_t seed = 0;
};

/// Infomap on a bre::Graph (edge weights as flow weights, unit node weights):
/// construct, run(), read the accessors.
///
/// Thread safety: run() holds bre::igraph_mutex() for every igraph call and seeds
/// igraph's RNG under it, so concurrent runs are safe, serialised, and each result
/// depends only on (graph, parameters).
///
/// Complexity: O(trials · m · iterations) in igraph, plus O(n + m) to copy the graph.
class IgraphInfomap : public RegionClustering<InfomapParameters> {
 public:
  /// `graph` must outlive this object.
  IgraphInfomap(const Graph& graph, InfomapParameters parameters);

  /// Errors: a graph without nodes, trials < 1, an igraph error.
  Status run();

  /// membership(), region_count(), modularity() (classic, resolution 1; NaN without
  /// edges), and the map equation's code length of the result, in bits per step; each
  /// throws std::logic_error before a successful run(). An isolated node is its own region.
  double codelength() const;

 private:
  double codelength_ = 0.0;
};

}  // namespace bre::clustering
