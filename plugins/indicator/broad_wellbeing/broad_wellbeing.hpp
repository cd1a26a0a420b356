// Broad well-being (brede welvaart), DOMAIN.md §6: theme scores and an index per
// municipality and region from the area indicators marked broad_wellbeing, their
// level and trend over the years available, position against the national median and
// trend class.
#pragma once

#include <string>
#include <vector>

#include "bre/language.hpp"
#include "bre/algorithm.hpp"
#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

/// Which mean and SD turn a value into a z-score.
enum class Standardisation {
  /// Every year against the indicator's earliest year: the national development
  /// shows in the trend (index units = base-year SDs).
  kBaseYear,
  /// Every year against its own year: the national mean index is 0 each year, so
  /// trends are relative to the country.
  kPerYear,
};

/// How the trend of a series of yearly index values is measured (per year).
enum class TrendMeasure {
  kSlope,   // ordinary least-squares slope over all years with a value
  kChange,  // (last - first) / (last year - first year)
};

/// Parses "base_year" / "per_year" and "slope" / "change"; errors name the parameter.
Expected<Standardisation> parse_standardisation(const std::string& text);
Expected<TrendMeasure> parse_trend_measure(const std::string& text);

/// Category labels of the "position" and "trend_class" columns, in value order.
inline constexpr const char* kPositions[] = {"low", "high"};
inline constexpr const char* kTrendClasses[] = {"negative", "average", "positive"};

struct BroadWellbeingParameters {
  Standardisation standardisation = Standardisation::kBaseYear;
  TrendMeasure trend = TrendMeasure::kSlope;
  /// Trend class: positive when trend - (national median of municipal trends) >
  /// threshold, negative when < -threshold, else average (index units per year, >= 0).
  double trend_threshold = 0.02;
  /// Of the labels, definitions and warnings: the run's.
  Language language = Language::kDutch;
};

/// Computes, for the regions of `partition` (DOMAIN.md §6):
///
/// Per municipality i, broad-well-being indicator j (AreaIndicator.broad_wellbeing)
/// and year y: z_ijy = s_j (x_ijy - mean_j) / sd_j, with s_j = +1 when higher is better,
/// else -1, and mean_j, sd_j (population SD, unweighted over municipalities) of the
/// base year or of year y (Standardisation). Theme score = mean of the theme's z with
/// a value; index I_iy = mean of the theme scores with a value. A missing value is
/// never filled in: its theme averages the theme's other indicators (a warning names
/// each missing municipality and indicator, and n_missing counts them).
///
/// Table "broad_wellbeing", one row per region:
/// - index_<year>: population-weighted mean of I_iy over the members with an index
///   (unweighted when a member's population is 0 or missing; population_weighted
///   says which); level = the latest year's; trend = TrendMeasure of the yearly
///   levels (per year; NaN with fewer than two years);
/// - position: high when level >= the national median of the municipal indices of the
///   latest year, else low; trend_class from trend_threshold against the median of
///   the municipal trends; theme_<t>: weighted theme score of the latest year;
/// summary rows "NL" (population-weighted over all municipalities) and "NL_median"
/// (medians of the municipal index and trend: the references of position and class).
/// Table "broad_wellbeing_municipalities", one row per municipality (region_id = its
/// code): region, index per year, level, trend, position, trend_class, theme scores
/// of the latest year, n_missing.
///
/// Complexity: O(J * Y * n log n) for J indicators and Y years.
class BroadWellbeing : public AlgorithmBase {
 public:
  /// `index` and `partition` must outlive this object.
  BroadWellbeing(const DatasetIndex& index, const v1::Partition& partition, BroadWellbeingParameters parameters);

  /// Errors: a bad parameter (named); a partition without regions or with an unknown
  /// or repeated code; no indicator marked broad_wellbeing, or no value of one; bad
  /// indicator values (AreaValues::read).
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  const v1::IndicatorTable& region_table() const;
  const v1::IndicatorTable& municipality_table() const;
  const std::vector<int>& years() const;
  const std::vector<std::string>& warnings() const;

 private:
  const DatasetIndex* index_;
  const v1::Partition* partition_;
  BroadWellbeingParameters parameters_;
  std::vector<int> years_;
  v1::IndicatorTable regions_;
  v1::IndicatorTable municipalities_;
  std::vector<std::string> warnings_;
};

}  // namespace bre::indicator
