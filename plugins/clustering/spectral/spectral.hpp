// Spectral community detection through igraph: Newman's leading eigenvector method
// (Newman 2006, igraph_community_leading_eigenvector). Starting from one region, each
// region is split in two by the signs of the leading eigenvector of its modularity
// matrix, as long as a split raises modularity. DOMAIN.md §2.
#pragma once

#include <cstdint>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "region_clustering.hpp"

namespace bre::clustering {

struct SpectralParameters {
  /// Upper bound on the number of regions (splits stop there); 0 = split while a split
  /// raises modularity. The method cannot force a count: fewer regions come back when
  /// no further split raises modularity.
  std::int64_t max_regions = 0;
  /// Seeds igraph's random number generator (ARPACK's start vectors).
  std::uint64_t seed = 0;
};

/// Leading eigenvector on a bre::Graph (weighted, classic modularity): construct,
/// run(), read the accessors. run() holds bre::igraph_mutex() for every igraph call
/// and seeds igraph's RNG under it.
///
/// Complexity: O(k · (n + m) · ARPACK iterations) for k splits (igraph).
class IgraphSpectral : public RegionClustering<SpectralParameters> {
 public:
  /// `graph` must outlive this object.
  IgraphSpectral(const Graph& graph, SpectralParameters parameters);

  /// Errors: a graph without nodes or without edge weight, max_regions negative, an
  /// igraph error.
  Status run();
  // membership(), region_count(), modularity() (classic, resolution 1): RegionClustering.
};

}  // namespace bre::clustering
