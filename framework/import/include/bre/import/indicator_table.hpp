// Municipality-level tables (income, benefits, distances, survey figures, CBS StatLine
// exports) read as area indicators: a metadata file says which column holds which
// indicator for which year, the table gives the figures. Two layouts: a wide CSV keyed
// by CBS code, and a StatLine export as it is downloaded (keyed by municipality name).
// docs/indicator-tables.md describes both, the metadata file and every error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bre/import/csv.hpp"
#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// The reserved indicator id whose values set Municipality.population (unit "persons").
inline constexpr const char* kPopulationIndicator = "population";

/// One row of a metadata file: which table column holds which indicator (for which year).
struct IndicatorMeta {
  std::string column;           // header text in the table (exact after trim); default = indicator id
  v1::AreaIndicator indicator;  // id, name (default id), theme, unit, direction, broad_wellbeing, mirror_theme
  int year = 0;                 // the values' year; 0 = taken from the table's year column
  std::int64_t line = 0;        // line in the metadata file, for errors
};

/// Theme and direction in their text forms ("housing_and_services", "lower_is_better");
/// errors list the valid forms. Complexity: O(1).
Expected<v1::Theme> parse_theme(std::string_view text);
Expected<v1::Direction> parse_direction(std::string_view text);

/// Parses a metadata table: columns indicator, theme, unit, direction (required),
/// column, name, year, broad_wellbeing (yes/no), mirror_theme (optional). Errors name
/// table.file, the line and the column: a missing or unknown column, a bad id, theme,
/// direction, year or yes/no, neutral with broad_wellbeing yes, the same (indicator,
/// year) twice, the same column twice for overlapping years, one id defined
/// differently on two rows, a `population` row whose unit is not "persons".
/// Complexity: O(rows · log rows).
Expected<std::vector<IndicatorMeta>> parse_indicator_meta(const CsvTable& table);

/// Reads a ','-separated metadata file (see parse_indicator_meta).
Expected<std::vector<IndicatorMeta>> read_indicator_meta(const std::string& path);

struct IndicatorTableOptions {
  char delimiter = ',';  // ignored for StatLine exports (detected: ';')
  char decimal = '.';    // ignored for StatLine exports (detected: ',')
};

/// What one table yields, not yet in a dataset. Every data cell of a metadata column
/// is accounted for: cells = values + population + empty_cells + unused_cells.
struct IndicatorTable {
  std::vector<v1::AreaIndicator> indicators;       // in metadata order, one per distinct id
  std::vector<v1::IndicatorValue> values;          // sorted (indicator, code, year)
  std::map<std::string, std::int64_t> population;  // code -> persons, when the metadata has `population`
  ResolutionReport report;                         // rows and columns not used, with file, line and reason
  std::size_t rows = 0;          // data rows of the table
  std::size_t cells = 0;         // cells of metadata columns in those rows
  std::size_t empty_cells = 0;   // empty or a CBS placeholder (. - x ?): no figure
  std::size_t unused_cells = 0;  // cells of rows not used: other years, former municipalities
  std::size_t former_rows = 0;   // rows of former municipalities with figures (reported)
  std::size_t other_year_rows = 0;  // rows of years no metadata row asks for
};

/// Reads `path` (errors name `display_name`, default the path) against `dataset`'s
/// municipalities (codes; names, Municipality.aliases and the built-in alias table for
/// StatLine exports). A table without a year column takes a metadata row's year, else
/// the dataset's reference year. Structural errors (delimiter, header, a missing
/// column, a unit mismatch) fail at once; cell errors are collected (up to 20) and
/// returned together, the first on the first line. Complexity: O(size of the text +
/// values · log values).
Expected<IndicatorTable> read_indicator_table(const std::string& path, const std::vector<IndicatorMeta>& meta,
                                              const v1::Dataset& dataset, const IndicatorTableOptions& options,
                                              const std::string& display_name = "");

/// Same on text; `file` names the table in errors and in the report.
Expected<IndicatorTable> parse_indicator_table(std::string_view text, const std::string& file,
                                               const std::vector<IndicatorMeta>& meta, const v1::Dataset& dataset,
                                               const IndicatorTableOptions& options);

/// Puts the table into the dataset: indicators added (an id already present must have
/// the same theme, unit and direction, else an error naming both), values added; a
/// value for an (indicator, code, year) the dataset already holds is an error unless
/// `replace`, which overwrites it; population set when given. The dataset is unchanged
/// on error, and check_dataset passes after. Complexity: O((V + T) · log V) for V
/// values in the dataset and T in the table.
Status add_indicator_table(v1::Dataset& dataset, IndicatorTable table, bool replace);

}  // namespace bre::import
