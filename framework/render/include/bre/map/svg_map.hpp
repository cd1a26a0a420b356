// SVG maps of municipalities for reading on paper (A4) or screen: the cooperation
// network (the study's Figure 3), a partition into regions (Figure 3a) and any
// per-municipality value as a choropleth.
//
// Every map is one self-contained SVG document: width and height in millimetres, a
// viewBox in the same millimetres, the data's bounding box fitted into at most
// 190 × 297 mm with margins and the legend below it, the generic font family
// sans-serif, no scripts, no external fonts, images or URLs (the hatch pattern is a
// reference inside the document). Coordinates are rounded to 0.01 mm (0.1 mm on
// regional zooms and for faded ties, hairlines that need no finer step). Each
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
#include "bre/language.hpp"
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
  /// The language of every fixed word on the map.
  Language language = Language::kDutch;
  /// Empty = network_map_title's default.
  std::string title;
  /// Legend heading for the edge weights (with their unit); empty = "Gedeelde
  /// samenwerkingsverbanden" / "Shared arrangements".
  std::string weight_label;
  /// Classes of edge weight; each class is one line colour and width. Geometric by
  /// default: weights are skewed counts, and the heaviest class should stay sparse.
  ClassificationParameters classes{ClassMethod::kGeometric, 5};
  /// The backbone drawn in full: a tie is drawn in its weight class when it is among
  /// the `strongest_per_municipality` heaviest ties of either of its municipalities
  /// (ties of equal weight ranked by the other municipality's dataset order); every
  /// other tie is drawn faded beneath (thin, light, see-through) when `show_faded`,
  /// else left out. 0 = every tie in full (the study's Figure 3 at small scale).
  std::size_t strongest_per_municipality = 3;
  bool show_faded = true;
  /// When set, the borders of this partition's regions are drawn under the ties.
  const v1::Partition* regions = nullptr;
};

struct PartitionMapOptions {
  Language language = Language::kDutch;
  /// Empty = partition_map_title's default.
  std::string title;
  RegionLabel label = RegionLabel::kName;
  /// When set, regions take the colours of the regions of this partition they match
  /// by overlap (region_colours_following), so maps of one country keep a region's
  /// colour: the DUS map or a coarser level beside the BRE map.
  const v1::Partition* colour_reference = nullptr;
  /// When set, this partition's region borders are drawn heavier over the partition's
  /// own (the level above, e.g. a multiscale step's coarser level), so the nesting of
  /// the two scales reads on one map.
  const v1::Partition* coarser = nullptr;
};

struct ValueMapOptions {
  Language language = Language::kDutch;
  /// Empty = "Waarden per gemeente" / "Values per municipality".
  std::string title;
  /// Legend heading: what the value is, with its unit; empty = "Waarde" / "Value".
  std::string value_label;
  /// How the legend and tooltips write the values (shares as percentages).
  NumberKind number_kind = NumberKind::kNumber;
  /// Natural breaks by default: classes that follow the data's gaps, never empty.
  ClassificationParameters classes{ClassMethod::kNaturalBreaks, 5};
};

/// The cooperation network map (DOMAIN.md §1; the study's Figure 3): municipality
/// outlines, the region borders of options.regions if set, and straight lines between
/// the centroids of tied pairs. The backbone (options.strongest_per_municipality) is
/// drawn in weight classes from light and thin to dark and thick, lightest first so
/// strong ties lie on top; the other ties lie beneath as one faded path (or are left
/// out). At national scale (some 390 municipalities, over 10 000 pairs) all pairs in
/// full are a solid tangle; the k strongest per municipality keep every municipality's
/// main partners (so no municipality drops off the map) with some k·n/2 lines. The
/// legend shows each class's weight range and how many pairs it holds, and says how
/// many are faded. Centroids are Municipality.centroid when set, else computed from
/// the polygons. Errors: a dataset without municipalities; a municipality without a
/// polygon of at least three points or with a non-finite coordinate (names it); a
/// network that does not fit the dataset (graph_from_network); errors of
/// options.regions as in render_partition_map. Complexity: O(V + m log m) for V
/// polygon vertices and m edges.
/// The network map's title: options.title, or "Samenwerkingsnetwerk (<dataset>)" /
/// "Cooperation network (<dataset>)" in options.language.
std::string network_map_title(const DatasetIndex& index, const NetworkMapOptions& options);

Expected<std::string> render_network_map(const DatasetIndex& index, const v1::Network& network,
                                         const NetworkMapOptions& options);

/// The name of the regional network document of a region: "network_<id>.svg", with
/// every character of the id other than a letter, digit, '_' or '-' written as '_'
/// (so the name is a valid output file name, bre/io.hpp is_plain_name).
std::string regional_network_document_name(const std::string& region_id);

/// One regional zoom of the network per region of `regions` (a card of the report):
/// the region's municipalities filled, every municipality that reaches into the view
/// (the region's bounding box widened by a sixth of its larger side) pale for context,
/// clipped to the view; every tie inside the region in full, in the national map's
/// weight classes (so a colour means the same weight on every zoom; ties lighter than
/// the national backbone fall in the lightest class, labelled "up to"). Ties leaving
/// the region are left to the national map (the subtitle counts them). Returns one SVG per region, in the partition's order;
/// a region without members gets an empty string. Errors: those of
/// render_network_map and of `regions` as in render_partition_map.
/// Complexity: O(r · (V + m)) for r regions.
Expected<std::vector<std::string>> render_regional_network_maps(const DatasetIndex& index, const v1::Network& network,
                                                                const v1::Partition& regions,
                                                                const NetworkMapOptions& options);

/// The partition map (DOMAIN.md §2; the study's Figure 3a): municipalities filled
/// with their region's colour, touching regions in different colours (DsaturColouring
/// on region_adjacency, so it relies on Dataset.adjacency), region borders drawn heavy
/// (a polygon edge is a region border when the municipalities on its two sides are in
/// different regions, or it is coast: border_pieces), one label per region at the
/// centroid of the member municipality nearest the region's area-weighted centroid,
/// with a white halo; with options.coarser, that partition's borders between its
/// regions drawn heavier on top (not the coast, which the region borders draw). Unassigned municipalities are hatched and listed by name in the
/// legend. Errors: those of render_network_map's geometry checks; a partition without
/// regions; a code the dataset does not have or listed twice (membership_of); a
/// municipality of the dataset the partition neither assigns nor lists as unassigned.
/// Complexity: O(V + E·k) (border_pieces) + O(r^2) for r regions.
/// The partition map's title: options.title, or "Regio's van <partition> (<dataset>)" /
/// "Regions of <partition> (<dataset>)" in options.language.
std::string partition_map_title(const DatasetIndex& index, const v1::Partition& partition,
                                const PartitionMapOptions& options);

Expected<std::string> render_partition_map(const DatasetIndex& index, const v1::Partition& partition,
                                           const PartitionMapOptions& options);

/// The value map (choropleth): municipalities filled by the class of their value
/// (ValueClassification; light = low, dark = high), municipalities without a value (not
/// listed, or NaN) hatched as "no value"; the legend gives each class's bounds and how
/// many municipalities fall in it. When `regions` is not null its region borders are
/// drawn over the fill (as in render_partition_map), dark on a white casing so they
/// read on the lightest and on the darkest class. Errors: the geometry checks; an
/// unknown or repeated municipality code in `values` (names values[i]); an infinite
/// value; no municipality with a value; errors of `regions` as in
/// render_partition_map. Complexity: O(V + n log n).
Expected<std::string> render_value_map(const DatasetIndex& index, const std::vector<v1::MunicipalityValue>& values,
                                       const v1::Partition* regions, const ValueMapOptions& options);

}  // namespace bre::map
