// Democratic legitimacy from the representatives' survey (DOMAIN.md §7): scale scores
// per respondent and dimension, per-region means with bootstrap intervals, Cronbach's
// alpha, and the variation between regions (one-way ANOVA, Kruskal-Wallis).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bre/language.hpp"
#include "bre/dataset.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::legitimacy {

// ---------------------------------------------------------------------------
// Statistics. Each takes plain vectors, sums in index order, and returns NaN
// (never throws) where the statistic is undefined.

/// Sample standard deviation, sqrt(sum (x - mean)^2 / (n - 1)); NaN for n < 2. O(n).
double sample_sd(std::span<const double> values);

/// Quantile of sorted values by linear interpolation between order statistics
/// (Hyndman & Fan type 7, R's default): h = (n - 1) p, x[floor h] + (h - floor h)
/// (x[floor h + 1] - x[floor h]). NaN for empty input. O(1).
double quantile_sorted(std::span<const double> sorted, double p);

struct Interval {
  double low;
  double high;
};

/// Percentile bootstrap interval of the mean: `samples` resamples of size n drawn
/// with replacement by SplitMix64(seed) (index = below(n), drawn in order), each
/// resample's mean = sum in draw order / n; the interval is the type-7 quantiles at
/// (1 - confidence) / 2 and (1 + confidence) / 2 of the sorted means.
/// NaN interval for empty input. O(samples * n + samples log samples).
Interval bootstrap_mean_interval(std::span<const double> values, int samples, double confidence,
                                 std::uint64_t seed);

/// Cronbach's alpha, k / (k - 1) * (1 - sum_i var(item_i) / var(total)), with sample
/// variances over the rows (respondents) of `rows`, each holding the k item scores of
/// one respondent who answered them all. NaN when k < 2, fewer than 2 rows, or the
/// total has no variance. Rows of a different length than the first are an error of
/// the caller (the result is NaN). O(n k).
double cronbach_alpha(const std::vector<std::vector<double>>& rows);

struct AnovaResult {
  double f;
  double df_between;   // groups - 1
  double df_within;    // N - groups
  double p;            // upper tail of F(df_between, df_within) at f (Boost.Math)
  double eta_squared;  // SS_between / SS_total
};

/// One-way ANOVA over the non-empty groups: F = (SSB / (k - 1)) / (SSW / (N - k)),
/// SSB = sum_g n_g (mean_g - grand mean)^2, SSW = sum_g sum_i (x_gi - mean_g)^2.
/// F, p and eta² are NaN with fewer than 2 groups or N - k < 1; F = inf and p = 0 when
/// SSW = 0 < SSB; eta² NaN when SST = 0. O(N).
AnovaResult one_way_anova(const std::vector<std::vector<double>>& groups);

struct KruskalWallisResult {
  double h;                // tie-corrected
  double df;               // groups - 1
  double p;                // upper tail of chi-squared(df) at h (Boost.Math)
  double epsilon_squared;  // H / (N - 1)
};

/// Kruskal-Wallis test over the non-empty groups: mid-ranks over all N values,
/// H = [12 / (N (N + 1)) sum_g R_g^2 / n_g - 3 (N + 1)] / C with the tie correction
/// C = 1 - sum_t (t^3 - t) / (N^3 - N). NaN (h, p, epsilon²) with fewer than 2 groups,
/// or when all values are tied (C = 0). O(N log N).
KruskalWallisResult kruskal_wallis(const std::vector<std::vector<double>>& groups);

/// Cohen's (1988) words for a share of explained variance (eta² or epsilon²):
/// "negligible" below 0.01, "small" below 0.06, "medium" below 0.14, else "large";
/// "n/a" for NaN. O(1).
const char* effect_size_label(double explained_share);

/// Mid-ranks (1-based; tied values share the mean of their ranks). O(n log n).
std::vector<double> mid_ranks(std::span<const double> values);

struct SpearmanResult {
  std::size_t n = 0;
  double rho;           // Pearson correlation of the mid-ranks; NaN if a side is constant or n < 2
  double p;             // two-sided; NaN when rho is NaN or n < 3
  bool exact = false;   // p by exact permutation (n <= kSpearmanExactMaxN), else t approximation
};

/// Largest n for which spearman() enumerates all n! permutations (9! = 362,880).
inline constexpr std::size_t kSpearmanExactMaxN = 9;

/// Spearman's rank correlation of paired values x[i], y[i] (same length, no NaN).
/// rho = sum (rx - mean)(ry - mean) / sqrt(sum (rx - mean)^2 sum (ry - mean)^2) over
/// mid-ranks (as scipy.stats.spearmanr). p, two-sided:
/// - n <= kSpearmanExactMaxN: exact permutation test over all n! pairings (as
///   scipy.stats.permutation_test with permutation_type "pairings"):
///   p = min(1, 2 min(#{rho* >= rho}, #{rho* <= rho}) / n!), ties within 1e-12;
/// - larger n: t = rho sqrt((n - 2) / (1 - rho²)) on n - 2 degrees of freedom,
///   p = 2 P(T >= |t|) (Boost.Math; as scipy.stats.spearmanr); p = 0 when |rho| = 1.
/// O(n log n), or O(n! n) for the exact test.
SpearmanResult spearman(std::span<const double> x, std::span<const double> y);

// ---------------------------------------------------------------------------
// Respondents and regions.

/// The region a respondent's body belongs to, or kUnassigned with the reason.
struct RegionTie {
  std::int32_t region = kUnassigned;
  std::string reason;  // empty when tied
};

/// Ties a body code to a region of `membership` (over index's municipalities):
/// a municipality code gives its region; a Body with municipality_codes (a province,
/// a water board) gives the region holding more than `body_majority` (in [0.5, 1)) of
/// its known municipalities, counted over all of them, in a region or not; without
/// such a region, or anything else, it is unassigned with the reason. The rule does
/// not look at region ids or order: relabelling the regions changes nothing. The reason
/// is in `language`. O(|body municipalities| + region_count).
RegionTie tie_to_region(const DatasetIndex& index, const Membership& membership,
                        std::string_view body_code, std::int32_t region_count, double body_majority = 0.5,
                        Language language = Language::kDutch);

/// An order of the regions that follows their members, not their ids or their place
/// in the partition: label[g] = the dataset index of region g's first municipality
/// (an empty region: past every municipality), `order` the regions by label, and
/// `total_label` (the municipality count) a label no region has. The bootstrap seeds
/// derive from these labels and ANOVA and Kruskal-Wallis sum the regions in this
/// order, so permuting or renaming the regions gives the same numbers, bit for bit.
struct RegionOrder {
  std::vector<std::uint64_t> label;
  std::vector<std::size_t> order;
  std::uint64_t total_label = 0;
};
RegionOrder region_order(const Membership& membership, std::size_t region_count);

struct ScaleScoreOptions {
  int min_items = 2;            // answered items a dimension needs for a score, >= 1
  int bootstrap_samples = 2000; // resamples per region and dimension, >= 1
  double confidence = 0.95;     // level of the bootstrap interval, in (0, 1)
  double alpha = 0.05;          // significance level for regions_differ, in (0, 1)
  std::uint64_t seed = 0;       // step seed; each region and dimension derives its own
  /// A province or water-board member belongs to the region holding more than this
  /// share of the body's municipalities, else to none (excluded and listed), in [0.5, 1).
  double body_majority = 0.5;
  /// Optional: correlate each dimension's region means with column `correlation_column`
  /// of this table (rows by region id of the partition). Null = no correlation.
  const v1::IndicatorTable* correlation_table = nullptr;
  std::string correlation_column;
  int correlation_min_regions = 5;      // below this n, "n too small": no p, >= 3
  int correlation_min_respondents = 5;  // a region's mean counts from this n, >= 1
  /// Polled between regions; when it returns true the computation stops (kCancelled).
  std::function<bool()> cancelled;
  /// Of the summaries and warnings: the run's. Codes (effect_size, p_method) stay English.
  Language language = Language::kDutch;
};

struct ScaleScoreResult {
  v1::LegitimacyResult legitimacy;
  std::vector<std::string> warnings;
};

/// Computes DOMAIN.md §7 for every dimension that has at least one survey item:
/// - respondent score = (mean of answered item scores - 1) / 4 * 100, item score =
///   answer (6 - answer when reverse coded), 0 = missing; only when at least
///   options.min_items items of the dimension are answered. Respondents without a
///   score on a dimension are counted in a warning.
/// - each respondent is tied to a region with tie_to_region (options.body_majority);
///   the untied keep their scores (empty region_id) and are listed in `unassigned`
///   with the reason.
/// - per region (partition order) and dimension (enum order): n, mean, sample sd,
///   bootstrap interval seeded with derive_seed(seed, label * 8 + dimension), label
///   from region_order.
/// - per dimension: Cronbach's alpha over all respondents (tied or not) who answered
///   every item of the dimension; n_respondents = scored respondents tied to a
///   region; ANOVA and Kruskal-Wallis across regions with n >= 1; regions_differ =
///   anova_p < alpha; effect_size = effect_size_label(eta²); a one-sentence summary
///   that says whether regions differ at alpha and how large the effect is.
/// - output gap (when both output dimensions have items): per respondent with both
///   output scores, ON score - OA score; per region (partition order) n, mean, sd and
///   bootstrap interval seeded with derive_seed(seed, label * 8 + 6), then the row
///   "NL" over all tied respondents (seed label total_label * 8 + 6); a summary.
/// ANOVA and Kruskal-Wallis take the regions in region_order: no result depends on
/// the regions' ids or order.
/// - with a correlation table: per dimension, spearman() over the regions with at
///   least correlation_min_respondents scores and a finite table value; below
///   correlation_min_regions regions n_too_small is set and p is NaN.
/// Errors: no survey items or responses, a partition without regions
/// (failed_precondition); a duplicated item id, an answer to an unknown item, an item
/// answered twice, an answer outside 0..5, bad options, a correlation column the
/// table does not have, a table made for another partition (invalid_argument); the
/// errors of membership_of; kCancelled when options.cancelled says so.
/// Complexity: O(answers + regions * dimensions * samples * n_region).
Expected<ScaleScoreResult> compute_scale_scores(const DatasetIndex& index,
                                                const v1::Partition& partition,
                                                const ScaleScoreOptions& options);

}  // namespace bre::legitimacy
