// The quadrant of investment against development (DOMAIN.md §6): does a region's
// administrative community invest in the ecosystem in a structured way
// (CaseDescriptors.structured_investment), and is its broad well-being high or low
// and rising or falling? Each quadrant has a reading, in English and Dutch.
#pragma once

#include <string>
#include <vector>

#include "bre/language.hpp"
#include "bre/algorithm.hpp"
#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

/// Quadrant ids, in the order of the "quadrant" column's categories.
inline constexpr const char* kQuadrants[] = {"high_investing", "low_investing", "high_not_investing",
                                             "low_not_investing", "unknown"};

struct QuadrantParameters {
  /// A case describes a region when the Jaccard overlap of their municipality sets
  /// is at least this (0, 1]; the region takes the case of highest overlap.
  double min_case_overlap = 0.5;
  /// Of the labels, definitions and warnings: the run's.
  Language language = Language::kDutch;
};

/// Computes the "quadrant" table for the regions of `partition` from the
/// "broad_wellbeing" table of the same partition (indicator.broad_wellbeing).
///
/// Per region B: the case of highest Jaccard |case cap B| / |case cup B| over the
/// dataset's cases (ties: case order), if at least min_case_overlap; investing = the
/// case's structured_investment (yes / no / unknown; unknown also without a case);
/// position and trend_class as in the broad_wellbeing table; quadrant =
/// high/low x investing/not investing, "unknown" when investing or position is
/// unknown; its reading (DOMAIN.md §6): high and investing -> consolidates; low and
/// investing -> fastest relative progress expected; high and not investing ->
/// stabilises at best, risks sliding; low and not investing -> risks sinking further;
/// on_pattern = whether the trend class fits the reading (1/0): high and investing:
/// not negative; low and investing: positive; not investing (high or low): not
/// positive; NaN for unknown. Summary rows: "NL" with the share on the pattern among
/// the known regions, and "n_<quadrant>" with the number of regions in each quadrant
/// (column "regions").
///
/// Complexity: O(C * n + k) for C cases.
class Quadrant : public AlgorithmBase {
 public:
  /// `index`, `partition` and `broad_wellbeing` must outlive this object.
  Quadrant(const DatasetIndex& index, const v1::Partition& partition, const v1::IndicatorTable& broad_wellbeing,
           QuadrantParameters parameters);

  /// Errors: min_case_overlap out of (0, 1]; a broad_wellbeing table without the
  /// columns position / trend_class / level / trend, computed for another partition,
  /// or without a row for a region; a case naming an unknown municipality (named by
  /// cases[i].municipality_codes[j]).
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  const v1::IndicatorTable& table() const;
  const std::vector<std::string>& warnings() const;

 private:
  const DatasetIndex* index_;
  const v1::Partition* partition_;
  const v1::IndicatorTable* broad_wellbeing_;
  QuadrantParameters parameters_;
  v1::IndicatorTable table_;
  std::vector<std::string> warnings_;
};

}  // namespace bre::indicator
