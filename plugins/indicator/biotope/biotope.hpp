// Biotope (area characteristics) of a region, DOMAIN.md §4: per area indicator the
// population-weighted mean, range and coefficient of variation over the region's
// municipalities against the national reference; within-region spread next to
// between-region spread; standardised theme scores and mirrored-theme flags.
#pragma once

#include <string>
#include <vector>

#include "bre/language.hpp"
#include "bre/algorithm.hpp"
#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

class AreaValues;

struct BiotopeParameters {
  /// Year of the values; 0 = the latest year with any value.
  int year = 0;
  /// A region shows a mirrored pair of themes when one theme score is >= +threshold
  /// and the other <= -threshold (in national standard deviations, > 0).
  double mirror_threshold = 0.5;
  /// Of the labels, definitions and warnings: the run's.
  Language language = Language::kDutch;
};

/// Computes two tables for the regions of `partition` (DOMAIN.md §4):
///
/// "biotope", one row per region and the national row "NL":
/// - n_municipalities, population_weighted (1 = weights are populations; 0 = some
///   member has population 0 or missing, so every statistic of the row is unweighted);
/// - per indicator <id>: <id>_mean = sum w x / sum w, <id>_min, <id>_max,
///   <id>_cv = sd / |mean| with sd = sqrt(sum w (x - mean)^2 / sum w) (NaN when the
///   mean is 0), <id>_n = members with a value. Members without a value for the year
///   are left out (never imputed) and listed in a warning per indicator;
/// - theme_<theme>: the mean over the theme's indicators of
///   z = s (mean_B - mean_NL) / sd_NL, s = +1 when higher is better, else -1; 0 for
///   the national row by construction; NaN when no indicator of the theme has a value;
/// - mirror_<a>_<b> for every pair of themes some indicator names as mirrored
///   (AreaIndicator.mirror_theme): "<a> high, <b> low" when theme_a >= t and
///   theme_b <= -t, "<a> low, <b> high" the other way round, else "none" (t =
///   mirror_threshold); NaN when a theme score is missing.
///
/// "biotope_spread", one row per indicator (region_id = indicator id): national_mean,
/// national_sd, national_cv over all municipalities with a value; over the
/// municipalities assigned to a region with a value, the variance decomposition
/// total = within + between with within_sd = sqrt(sum_B sum_i w_i (x_i - m_B)^2 / W),
/// between_sd = sqrt(sum_B W_B (m_B - m)^2 / W) and between_share = between variance /
/// total variance; mean_region_cv (mean of the regions' CVs) and the lowest and
/// highest region mean. The spread table weighs by population only when every
/// municipality has one (else unweighted; its rows say which).
///
/// Complexity: O(I * (n + k) + V) for I indicators, V values.
class Biotope : public AlgorithmBase {
 public:
  /// `index` and `partition` must outlive this object.
  Biotope(const DatasetIndex& index, const v1::Partition& partition, BiotopeParameters parameters);

  /// Errors: parameters out of range (named); a partition without regions or with an
  /// unknown or repeated code; no area indicator values, or none for `year` (the
  /// message lists the years present); bad indicator values (AreaValues::read).
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  const v1::IndicatorTable& table() const;
  const v1::IndicatorTable& spread_table() const;
  int year() const;
  const std::vector<std::string>& warnings() const;

 private:
  Status check_parameters() const;
  /// Sets year_ from the parameter (0: the latest year with values); its position.
  Expected<std::size_t> select_year(const AreaValues& values);

  const DatasetIndex* index_;
  const v1::Partition* partition_;
  BiotopeParameters parameters_;
  int year_ = 0;
  v1::IndicatorTable table_;
  v1::IndicatorTable spread_;
  std::vector<std::string> warnings_;
};

}  // namespace bre::indicator
