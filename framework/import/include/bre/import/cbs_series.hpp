// CBS StatLine 70072NED "Regionale kerncijfers Nederland" as exported (year x
// municipality name, ';', decimal comma; see the nl2016 README) and the trends the
// nl2016 importer derives from it for the municipalities of the reference year. A
// municipality formed from predecessors between the two years combines them, weighted
// by their size; one that cannot be combined is reported, never guessed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bre/import/commuting.hpp"
#include "bre/import/csv.hpp"
#include "bre/import/names.hpp"
#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// One row of framework/import/data/cbs_trends.csv.
struct SeriesTrend {
  enum class Change { kDifference, kPercent };
  v1::AreaIndicator indicator;
  Change change = Change::kDifference;  // to - from, or 100 * (to / from - 1)
  int from = 0;
  int to = 0;
  std::vector<std::string> columns;  // series headers whose values are summed
  std::int64_t line = 0;
};

/// Reads the trends table (indicator;name;theme;unit;direction;change;from;to;columns,
/// the indicator fields as in the metadata of `bre dataset add-indicators`). Errors name
/// the line and column: an unknown change, years that are not from < to, from outside
/// 2011..2014 (the years the reorganisation tables cover), no columns.
Expected<std::vector<SeriesTrend>> parse_series_trends(const CsvTable& table);

/// A municipality that ceased on 1 January of `year`, into `successors` (several: it
/// was split over them).
struct Reorganisation {
  int year = 0;
  std::string former;
  std::vector<std::string> successors;
  std::int64_t line = 0;
};

/// Reads framework/import/data/municipal_reorganisations_2011_2014.csv
/// (year;former;successors;note). Errors name the line.
Expected<std::vector<Reorganisation>> parse_reorganisations(const CsvTable& table);

/// What the trends need to know about the municipalities.
struct TrendContext {
  int reference_year = 0;
  const std::map<std::string, std::string>* official_names = nullptr;  // code -> name, the municipalities of the year
  const MunicipalityNames* names = nullptr;      // resolves the reference year's series names to codes
  const MunicipalityMapping* mapping = nullptr;  // 2014 -> reference year
  /// By mapping index: residents in work in 2014 (the commuting matrix's column sums),
  /// the size that weights predecessors (the series holds shares, not counts).
  const std::vector<double>* residents_in_work = nullptr;
  const std::vector<Reorganisation>* earlier = nullptr;  // reorganisations from 2012 to 2014
};

struct TrendImport {
  std::vector<v1::AreaIndicator> indicators;  // one per trend, in table order
  std::vector<v1::IndicatorValue> values;     // year = the trend's `to`, sorted (indicator, code)
  std::size_t direct = 0;                     // values of municipalities with the same territory in both years
  std::size_t combined = 0;                   // values combined from predecessors
  std::size_t not_computable = 0;             // reported, one entry each
};

/// Derives every trend for every municipality of the reference year:
/// - same territory in both years (no reorganisation touched it): value(to) - value(from);
/// - formed from predecessors that all existed in 2014: their values in `from`, weighted
///   by residents in work times the share of the predecessor that went into it (a
///   split's share from the mapping table), give value(from); reported as combined;
/// - otherwise (a predecessor that ceased before 2014 has no size here, or received part
///   of a split municipality of unknown size), and when a figure is missing in either
///   year: reported as not computable, no value.
/// Errors name file, line and column: a trend column missing from the series header, a
/// cell that is not a number with a decimal comma, a year that is not a number, a
/// municipality listed twice with figures in one year.
/// Complexity: O(rows * columns + municipalities * trends).
Expected<TrendImport> derive_series_trends(const CsvTable& series, const std::vector<SeriesTrend>& trends,
                                           const TrendContext& context, ResolutionReport& report);

}  // namespace bre::import
