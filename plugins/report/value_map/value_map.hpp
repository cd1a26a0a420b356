// The value map (choropleth) of one per-municipality quantity, picked from the inputs
// or the dataset, as a document.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/language.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/plugin.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::report {

/// Where the values come from.
enum class ValueSource {
  kConfidence,  // membership confidence of the first input partition (DOMAIN.md §2)
  kIndicator,   // an area indicator of the dataset in one year (DOMAIN.md §4)
  kTable,       // a column of an input step's indicator table
  kDisagreement,  // where two compared partitions disagree (1) or agree (0) (DOMAIN.md §2)
};

/// Parses "confidence" / "indicator" / "table" / "disagreement".
Expected<ValueSource> parse_value_source(const std::string& text);

struct ValueMapParameters {
  ValueSource source = ValueSource::kConfidence;
  /// kIndicator: AreaIndicator.id, and the year (0 = the latest year with values).
  std::string indicator;
  std::int64_t year = 0;
  /// kTable: IndicatorColumn.id in the first input table that has it.
  std::string column;
  /// kDisagreement: the comparison of these two partitions (by name, either order);
  /// both empty = the first comparison among the inputs.
  std::string partition_a;
  std::string partition_b;
  /// Title and legend heading are filled from the source when empty, in
  /// map.language.
  map::ValueMapOptions map;
};

/// The values to draw, what they are, and the regions to outline (may be null).
struct MapValues {
  std::vector<v1::MunicipalityValue> values;
  std::string title;
  std::string label;
  const v1::Partition* regions = nullptr;
  /// How the legend writes the values (confidence is a share, shown in percent).
  map::NumberKind kind = map::NumberKind::kNumber;
};

/// Collects the values:
/// - kConfidence: Partition.membership_confidence of the first input partition, whose
///   regions are outlined; an error when that partition has none (it did not come from
///   an ensemble).
/// - kIndicator: the dataset's IndicatorValues of `indicator` in `year` (0 = the latest
///   year that has any); the first input partition, if any, is outlined.
/// - kTable: column `column` of the first input table that has it. A row whose
///   region_id is a municipality code gives that municipality its value; a row whose
///   region_id is a region of the input partition named by the table's
///   partition_name gives every member of that region the region's value (that
///   partition is outlined). Summary rows (e.g. "NL") are not drawn.
/// - kDisagreement: PartitionComparison.disagreement of the comparison of
///   `partition_a` and `partition_b` made by an input step (indicator.compare_partitions):
///   1 where a municipality is not in the best-matched region of the other partition.
/// Errors name the parameter, the step and what was available (indicator ids, years,
/// column ids). Complexity: O(n + values + rows · region size).
Expected<MapValues> collect_map_values(const DatasetIndex& index, std::span<const StepInput> inputs,
                                       const ValueMapParameters& parameters);

/// The document "values.svg" (image/svg+xml): render_value_map of collect_map_values.
Expected<v1::Document> value_map_document(const DatasetIndex& index, std::span<const StepInput> inputs,
                                          const ValueMapParameters& parameters);

}  // namespace bre::report
