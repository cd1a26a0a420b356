// The one-way random-intercept model fitted by REML: units (respondents,
// municipalities) nested in regions, y_ij = x_ij' beta + u_j + e_ij with
// u_j ~ N(0, tau²) and e_ij ~ N(0, sigma²). It answers "how much do regions vary"
// (the share of variance between regions, ICC = tau² / (tau² + sigma²)) and, with
// region characteristics in x, "what goes with it" at the unit level.
#pragma once

#include <span>
#include <vector>

#include "bre/status.hpp"

namespace bre::analysis {

/// Units, their regions and their covariates. The intercept is always in the model;
/// `covariates` holds further columns (each of y's length), e.g. a region
/// characteristic repeated for every unit of the region.
struct GroupedData {
  std::vector<double> y;
  std::vector<int> group;  // 0 .. group_count - 1; a group may be empty
  int group_count = 0;
  std::vector<std::vector<double>> covariates;
};

struct RandomInterceptOptions {
  /// Coverage of the profile-likelihood interval of the ICC and of the conditional
  /// intervals of the region effects (share, 0.5 .. 0.999).
  double confidence = 0.95;
};

struct RandomInterceptFit {
  int n_units = 0;
  int n_groups = 0;           // non-empty groups
  double between_variance = 0.0;  // tau²
  double within_variance = 0.0;   // sigma²
  double icc = 0.0;
  double icc_low = 0.0;  // profile-likelihood interval of the ICC
  double icc_high = 0.0;
  bool icc_high_unbounded = false;  // the likelihood stays within reach up to ICC = 1
  double log_likelihood = 0.0;       // REML, at the estimate
  double null_log_likelihood = 0.0;  // REML, tau² = 0 (same fixed effects)
  double lrt_statistic = 0.0;        // 2 (log_likelihood - null_log_likelihood) >= 0
  double lrt_p = 1.0;                // 50:50 mixture of chi²(0) and chi²(1)
  std::vector<double> beta;          // intercept first, then the covariates
  std::vector<double> beta_se;       // from sigma² (X' V_rel^-1 X)^-1
  std::vector<double> group_mean;    // raw mean of each group's y (NaN when empty)
  std::vector<int> group_size;
  std::vector<double> group_effect;     // BLUP of u_j (0 for an empty group)
  std::vector<double> group_effect_sd;  // sqrt of Var(u_j | y) = sqrt(tau² sigma² / (sigma² + n_j tau²))
  std::vector<double> group_effect_low;  // group_effect -/+ z * group_effect_sd
  std::vector<double> group_effect_high;
};

/// Fits the model by restricted maximum likelihood, profiling out beta and sigma²
/// and maximising over the variance ratio lambda = tau² / sigma² >= 0 (a grid over
/// log lambda, then Brent's method around the best point, then bisection on the
/// analytic score, since where the likelihood is flat its values fix lambda only to a
/// few digits; lambda = 0 is a candidate).
/// With V_rel = I + lambda Z Z' (block-diagonal, (V_rel)_j^-1 = I - c_j 1 1',
/// c_j = lambda / (1 + n_j lambda)), A = X' V_rel^-1 X, beta = A^-1 X' V_rel^-1 y,
/// q = residual quadratic form and sigma² = q / (n - p), the REML log-likelihood is
///   l(lambda) = -1/2 [ (n - p) log(2 pi sigma²) + sum_j log(1 + n_j lambda) + log|A| + (n - p) ],
/// the form statsmodels' MixedLM (reml=True) reports as llf, against which it is tested.
/// ICC interval: {lambda : 2 (l_max - l(lambda)) <= chi²_1 quantile at `confidence`},
/// mapped through lambda / (1 + lambda). LRT against tau² = 0 on the boundary:
/// p = 1/2 P(chi²_1 >= statistic) (Self & Liang 1987), 1 when the statistic is 0.
/// BLUPs u_j = n_j tau² / (sigma² + n_j tau²) (mean_j(y - X beta)).
///
/// Errors (named): a NaN or infinite value; group indices outside 0 .. group_count - 1;
/// a covariate of the wrong length; fewer than 2 non-empty groups; no unit left after
/// the groups to estimate the variance within them (n <= number of groups); an
/// outcome without variance; no variance within the groups (every group constant);
/// covariates that are constant or collinear with the intercept or each other.
/// Complexity: O(n p² + G p² K) for G groups, p columns and K likelihood evaluations (~300).
Expected<RandomInterceptFit> fit_random_intercept(const GroupedData& data, const RandomInterceptOptions& options);

}  // namespace bre::analysis
