// SVG maps of municipalities for reading on paper (A4) or screen: the cooperation
// network (the study's Figure 3), a partition into regions (Figure 3a) and any
// per-municipality value as a choropleth.
//
// Every map is one self-contained SVG document: width and height in millimetres, a
// viewBox in the same millimetres, the data's bounding box fitted into at most
// 190 × 297 mm with margins and the legend below it, the generic font family
// sans-serif, no scripts, no external fonts, images or URLs (the hatch pattern is a
// reference inside the document). Coordinates are rounded to 0.01 mm. Each
// municipality is exactly one <path> with a data-code attribute (its code) and a
// <title> (its name); other shapes are <polyline>, <line>, <rect> and <text>. All text
// is escaped. The same inputs give the same bytes.
//
// Coordinates are the dataset's planar metres (EPSG:28992 for Dutch data): north is up.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/map/classification.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::map {

/// `text` made safe as XML character data and attribute values: & < > " ' become
/// entities, tab/newline/carriage return become spaces, other control characters and
/// bytes that are not well-formed UTF-8 become U+FFFD (visible, never dropped).
std::string escape_xml(std::string_view text);

/// Page coordinates are written within ±10^15 mm; further out is off the page anyway.
inline constexpr double kMaxFormattedMm = 1e15;

/// A length in millimetres rounded to 0.01 mm, shortest form ("12.5", "3", "-0.25").
/// Defined for every double: beyond ±kMaxFormattedMm it writes ±kMaxFormattedMm, NaN
/// as "0".
std::string format_mm(double millimetres);

enum class RegionLabel { kName, kId };

/// Parses "name" / "id".
Expected<RegionLabel> parse_region_label(const std::string& text);

struct NetworkMapOptions {
  std::string title = "Cooperation network";
  /// Legend heading for the edge weights (with their unit).
  std::string weight_label = "Shared arrangements";
  /// Classes of edge weight; each class is one line colour and width. Geometric by
  /// default: weights are skewed counts, and the heaviest class should stay sparse.
  ClassificationParameters classes{ClassMethod::kGeometric, 5};
};

struct PartitionMapOptions {
  /// Empty = "Regions: <partition name>".
  std::string title;
  RegionLabel label = RegionLabel::kName;
  /// When set, regions take the colours of the regions of this partition they match
  /// by overlap (region_colours_following), so maps of one country keep a region's
  /// colour: the DUS map or a coarser level beside the BRE map.
  const v1::Partition* colour_reference = nullptr;
};

struct ValueMapOptions {
  std::string title = "Values per municipality";
  /// Legend heading: what the value is, with its unit.
  std::string value_label = "Value";
  ClassificationParameters classes;
};

/// The cooperation network map (DOMAIN.md §1; the study's Figure 3): municipality
/// outlines and a straight line between the centroids of every pair with a positive
/// weight, drawn in weight classes from light and thin to dark and thick, lightest
/// first so strong ties lie on top; the legend shows each class's weight range.
/// Centroids are Municipality.centroid when set, else computed from the polygons.
/// Errors: a dataset without municipalities; a municipality without a polygon of at
/// least three points or with a non-finite coordinate (names it); a network that
/// does not fit the dataset (graph_from_network). Complexity: O(V + m log m) for V
/// polygon vertices and m edges.
Expected<std::string> render_network_map(const DatasetIndex& index, const v1::Network& network,
                                         const NetworkMapOptions& options);

/// The partition map (DOMAIN.md §2; the study's Figure 3a): municipalities filled
/// with their region's colour, touching regions in different colours (DsaturColouring
/// on region_adjacency, so it relies on Dataset.adjacency), region borders drawn heavy
/// (a polygon edge is a region border when the municipalities on its two sides are in
/// different regions, or it is coast: border_pieces), one label per region at the
/// centroid of the member municipality nearest the region's area-weighted centroid,
/// with a white halo. Unassigned municipalities are hatched and listed by name in the
/// legend. Errors: those of render_network_map's geometry checks; a partition without
/// regions; a code the dataset does not have or listed twice (membership_of); a
/// municipality of the dataset the partition neither assigns nor lists as unassigned.
/// Complexity: O(V + E·k) (border_pieces) + O(r^2) for r regions.
Expected<std::string> render_partition_map(const DatasetIndex& index, const v1::Partition& partition,
                                           const PartitionMapOptions& options);

/// The value map (choropleth): municipalities filled by the class of their value
/// (ValueClassification; light = low, dark = high), municipalities without a value (not
/// listed, or NaN) hatched as "no value"; the legend gives each class's bounds and how
/// many municipalities fall in it. When `regions` is not null its region borders are
/// drawn over the fill (as in render_partition_map). Errors: the geometry checks; an
/// unknown or repeated municipality code in `values` (names values[i]); an infinite
/// value; no municipality with a value; errors of `regions` as in
/// render_partition_map. Complexity: O(V + n log n).
Expected<std::string> render_value_map(const DatasetIndex& index, const std::vector<v1::MunicipalityValue>& values,
                                       const v1::Partition* regions, const ValueMapOptions& options);

}  // namespace bre::map
