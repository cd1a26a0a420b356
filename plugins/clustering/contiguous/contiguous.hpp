// Spatially constrained regionalisation (DOMAIN.md §2): every region is one connected
// piece on the map. Agglomerative clustering in the manner of Clauset, Newman & Moore
// (2004), with the contiguity constraint of regionalisation methods (as in REDCAP's
// "only adjacent regions merge", Guo 2008): start from one region per municipality and
// repeatedly merge the pair of regions that are NEIGHBOURS ON THE MAP with the largest
// modularity gain on the tie graph, until the best point of the merge path (maximum
// modularity) or a given number of regions.
#pragma once

#include <cstdint>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "region_clustering.hpp"

namespace bre::clustering {

struct ContiguousParameters {
  /// Resolution gamma > 0 of the modularity maximised (1 = classic modularity).
  double resolution = 1.0;
  /// Number of regions of the land municipalities; 0 = stop at maximum modularity.
  std::int64_t regions = 0;
};

/// Greedy contiguity-constrained agglomeration: construct, run(), read the accessors.
///
/// Rule. Land municipalities (those with a neighbour on the map) start as singletons.
/// Merging regions A and B changes modularity by
///   dQ = w_AB / m - 2 gamma a_A a_B,  a_X = (total strength of X) / 2m,
/// with w_AB the tie weight between them and m the graph's total weight (the CNM
/// gain). Only pairs adjacent on the map are candidates; the largest dQ merges first
/// (ties: the pair with the smaller region ids, a region's id being its first node).
/// Merging goes on until every land piece of the map is one region; the result is the
/// point of that path with the largest modularity (the later point on a tie), or the
/// point with `regions` regions. Islands (no map neighbour, e.g. the Wadden islands)
/// cannot be contiguous with anything and are the documented exception: each joins the
/// region it has the largest tie weight to (ties: the smaller region), or forms a
/// region of its own without a tie to any land region.
///
/// Deterministic: no randomness; every choice is ordered.
/// Complexity: O(sum over merges of the absorbed region's neighbour count, times
/// log(m + m_map)); O(n · d log(m + m_map)) for regions with at most d neighbours.
class ContiguousAgglomeration : public RegionClustering<ContiguousParameters> {
 public:
  /// `ties` (clustered graph) and `map` (map_adjacency_graph()) have the same nodes
  /// and must outlive this object.
  ContiguousAgglomeration(const Graph& ties, const Graph& map, ContiguousParameters parameters);

  /// Errors: no nodes; graphs of different sizes; no tie weight (modularity undefined);
  /// a map without any adjacent pair; resolution not a finite number > 0; regions
  /// negative or outside [land pieces, land municipalities] (both bounds named).
  Status run();

  // Accessors (and RegionClustering's membership(), region_count(), modularity() at
  // `resolution`); each throws std::logic_error before a successful run().
  /// Islands (nodes without a map neighbour), in node order.
  const std::vector<std::uint32_t>& islands() const;

 private:
  Status validate() const;

  const Graph* map_;
  std::vector<std::uint32_t> islands_;
};

}  // namespace bre::clustering
