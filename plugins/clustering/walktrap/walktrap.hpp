// Walktrap community detection through igraph (Pons & Latapy 2005,
// igraph_community_walktrap): agglomerative clustering by the distance between the
// random-walk distributions of short walks; the dendrogram is cut at its maximum
// modularity or at a given number of regions. DOMAIN.md §2.
#pragma once

#include <cstdint>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "region_clustering.hpp"

namespace bre::clustering {

struct WalktrapParameters {
  /// Length of the random walks, >= 1 (Pons & Latapy recommend 3-5).
  std::int64_t steps = 4;
  /// Regions among the tied nodes (nodes without a tie to another node are singletons
  /// on top); 0 = cut the dendrogram where modularity is largest.
  std::int64_t regions = 0;
};

/// Walktrap on a bre::Graph (weighted): construct, run(), read the accessors.
/// Deterministic (no randomness). run() holds bre::igraph_mutex() for every igraph call.
///
/// Cutting at k regions: with n nodes, u of them without a tie and c connected
/// components, the dendrogram has n - c merges; after n - u - k of them the tied nodes
/// form k regions. So k must lie in [c - u, n - u].
///
/// Complexity: O(m · n²) worst case, O(n² log n) on sparse graphs (igraph).
class IgraphWalktrap : public RegionClustering<WalktrapParameters> {
 public:
  /// `graph` must outlive this object.
  IgraphWalktrap(const Graph& graph, WalktrapParameters parameters);

  /// Errors: a graph without nodes or without edge weight, steps < 1, regions
  /// negative or outside [c - u, n - u] (named with both bounds), an igraph error.
  Status run();
  // membership(), region_count(), modularity() (classic, resolution 1): RegionClustering;
  // an untied node is its own region.
};

}  // namespace bre::clustering
