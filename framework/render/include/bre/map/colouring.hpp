// Colours for region maps: which regions touch (from Dataset.adjacency), a greedy
// graph colouring that gives touching regions different colours, and the palette.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/algorithm.hpp"
#include "bre/dataset.hpp"
#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::map {

/// The region adjacency graph: one node per region 0..region_count-1, an edge between
/// two regions when some municipality of one shares a border with some municipality of
/// the other (Dataset.adjacency, DOMAIN.md §1 adjacency). The weight is the number of
/// such municipality pairs. Unassigned municipalities (kUnassigned) touch nothing.
/// A dataset without adjacency entries gets them from its polygons
/// (municipality_adjacency), so a map of it still tells touching regions apart.
/// Errors: a membership whose size is not the municipality count, a label outside
/// [kUnassigned, region_count), an adjacency entry naming an unknown municipality
/// (names adjacency[i] and the code). Complexity: O(n + A + m log m) for A entries.
Expected<Graph> region_adjacency(const DatasetIndex& index, const Membership& membership, std::int32_t region_count);

/// Greedy DSatur colouring (Brélaz 1979): repeatedly colour the uncoloured node with
/// the most distinctly coloured neighbours (ties: most uncoloured neighbours, then the
/// lowest node id) with the smallest colour none of its neighbours has. Adjacent nodes
/// always differ; deterministic. Self-loops are ignored. Edge weights play no part.
/// Used with the shape of the other algorithms: construct, run(), read the accessors.
/// `preset` (empty, or one entry per node, -1 = free) fixes colours first, so a map can
/// keep another map's colours; a preset that would give two adjacent nodes the same
/// colour is kept for the lower node id only, and the other node is coloured freely.
/// Complexity: O(n^2 + m).
class DsaturColouring : public AlgorithmBase {
 public:
  explicit DsaturColouring(const Graph& graph, std::vector<std::int32_t> preset = {});

  /// Colours the graph; never fails (an empty graph has no colours).
  Status run();

  // Accessors; each throws std::logic_error before run().
  /// Colour index per node, 0..colour_count()-1.
  const std::vector<std::int32_t>& colours() const;
  std::int32_t colour_count() const;

 private:
  const Graph* graph_;
  std::vector<std::int32_t> preset_;
  std::vector<std::int32_t> colours_;
  std::int32_t colour_count_ = 0;
};

/// Colours of `membership`'s regions that follow `reference`'s own map: each region
/// matched to a reference region (match_regions_by_overlap) gets the colour that region
/// has on a map of `reference` alone; the others, colours their touching regions do
/// not have. Both memberships are over the dataset's municipalities. Errors: those of
/// region_adjacency. Complexity: that of two colourings.
Expected<std::vector<std::int32_t>> region_colours_following(const DatasetIndex& index, const Membership& membership,
                                                             std::int32_t region_count, const Membership& reference,
                                                             std::int32_t reference_region_count);

/// Number of hand-picked region colours (light, mutually distinguishable, dark text
/// stays readable on each).
inline constexpr std::int32_t kRegionPaletteSize = 8;

/// The fill of colour index `colour` as "#rrggbb": the palette for the first
/// kRegionPaletteSize indices, then further light colours at golden-angle hue steps,
/// so a colouring that needs more colours still gets distinct ones. colour >= 0.
std::string region_colour(std::int32_t colour);

}  // namespace bre::map
