// Region-level associations between an outcome and a region characteristic, with
// permutation p-values (exact when the regions allow it), and the adjustments of a
// family of p-values for the number of tests (Holm; Benjamini-Hochberg).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bre/status.hpp"

namespace bre::analysis {

struct PermutationOptions {
  /// Enumerate every distinct permutation when there are at most this many (10
  /// regions: 10! = 3,628,800); otherwise draw `monte_carlo_samples`.
  std::int64_t max_exact = 3628800;
  std::int64_t monte_carlo_samples = 100000;
  std::uint64_t seed = 0;  // of the Monte Carlo draws
};

struct AssociationResult {
  /// "spearman_rho" (Spearman's rank correlation) or "mean_difference" (mean outcome
  /// where the characteristic is 1 minus where it is 0).
  std::string measure;
  double effect = 0.0;
  int n = 0;
  double p = 1.0;  // two-sided permutation p
  bool exact = false;
  std::int64_t permutations = 0;  // distinct permutations enumerated, or Monte Carlo draws
};

/// Permutation p of T = sum_i a_i b_pi(i) against the pairing as given (a and b of
/// equal length, each summing to 0 so that T is centred): the share of permutations
/// with |T*| >= |T| (1e-9 relative tolerance for ties in floating point). Exact over
/// the distinct permutations of the side with fewer of them (n! / prod m_k! for tie
/// counts m_k, each equally often among the n! pairings, so the p equals the one over
/// all n!) when at most options.max_exact; else (1 + #{|T*| >= |T|}) / (1 + R) over R
/// seeded Fisher-Yates shuffles (SplitMix64(seed)). O(n * permutations).
AssociationResult permutation_test(std::span<const double> a, std::span<const double> b,
                                   const PermutationOptions& options);

/// Spearman's rho of x and y (mid-ranks, as scipy.stats.spearmanr) with the
/// permutation p above. Errors (named): lengths differ, fewer than 3 pairs, a NaN,
/// a side without variance. O(n log n + n * permutations).
Expected<AssociationResult> spearman_association(std::span<const double> x, std::span<const double> y,
                                                 const PermutationOptions& options);

/// Mean of y where x = 1 minus mean of y where x = 0 (x holds only 0 and 1), with the
/// permutation p above. Errors (named): lengths differ, a value of x other than 0/1,
/// a NaN, a group with no member. O(n * permutations).
Expected<AssociationResult> mean_difference_association(std::span<const double> x, std::span<const double> y,
                                                        const PermutationOptions& options);

/// Holm's step-down adjustment: sorted ascending p_(1) <= ... <= p_(m),
/// adjusted p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)). NaN entries are left out of
/// the family and stay NaN. O(m log m).
std::vector<double> holm_adjust(std::span<const double> p);

/// Benjamini-Hochberg step-up adjustment (false discovery rate):
/// adjusted p_(i) = min_{j >= i} min(1, m p_(j) / j). NaN entries as in holm_adjust.
/// O(m log m).
std::vector<double> benjamini_hochberg_adjust(std::span<const double> p);

/// Two-sided |rho| that reaches p < alpha with n regions, from the t approximation
/// rho_c = t_c / sqrt(n - 2 + t_c²), t_c the (1 - alpha/2) quantile of t on n - 2 df;
/// and the approximate power to find a true correlation `rho` at that level (Fisher's
/// z: Phi(atanh|rho| sqrt(n - 3) - z_{1 - alpha/2})). NaN below 4 regions. O(1).
double critical_correlation(int n, double alpha);
double correlation_power(int n, double rho, double alpha);

}  // namespace bre::analysis
