#include "association.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "bre/random.hpp"
#include "scale_scores.hpp"

namespace bre::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// n! / prod m_k! over the tie counts m_k, capped just above `cap` (no overflow).
double distinct_permutations(std::span<const double> values, double cap) {
  std::map<double, int> counts;
  for (double v : values) ++counts[v];
  double result = 1.0;
  int placed = 0;
  for (const auto& [value, count] : counts) {
    for (int k = 1; k <= count; ++k) {
      ++placed;
      result = result * placed / k;  // multinomial built one factor at a time stays integral
      if (result > cap) return result;
    }
  }
  return result;
}

double dot(std::span<const double> a, std::span<const double> b) {
  double s = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

Status check_pairs(std::span<const double> x, std::span<const double> y, const char* what) {
  if (x.size() != y.size()) {
    return invalid_argument(std::string(what) + ": " + std::to_string(x.size()) + " characteristic values and " +
                            std::to_string(y.size()) + " outcome values; expected pairs");
  }
  if (x.size() < 3) {
    return invalid_argument(std::string(what) + ": " + std::to_string(x.size()) +
                            " regions with both values; at least 3 are needed");
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      return invalid_argument(std::string(what) + ": pair " + std::to_string(i) + " has a missing value");
    }
  }
  return Status::ok();
}

std::vector<double> centred(std::vector<double> values) {
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
  for (double& v : values) v -= mean;
  return values;
}

// Ascending order of the non-NaN p-values (stable, so equal p keep their order).
std::vector<std::size_t> family_order(std::span<const double> p) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!std::isnan(p[i])) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  return order;
}

}  // namespace

AssociationResult permutation_test(std::span<const double> a, std::span<const double> b,
                                   const PermutationOptions& options) {
  AssociationResult result;
  result.n = static_cast<int>(a.size());
  const double observed = std::abs(dot(a, b));
  const double threshold = observed - 1e-9 * std::max(observed, 1e-300);
  const double cap = static_cast<double>(options.max_exact);
  const double count_a = distinct_permutations(a, cap), count_b = distinct_permutations(b, cap);
  // T has the same null distribution whichever side is permuted; permute the one with fewer arrangements.
  std::vector<double> fixed(a.begin(), a.end()), moving(b.begin(), b.end());
  if (count_a < count_b) std::swap(fixed, moving);
  const double count = std::min(count_a, count_b);
  std::int64_t extreme = 0;
  if (count <= cap) {
    std::sort(moving.begin(), moving.end());
    std::int64_t total = 0;
    do {
      ++total;
      if (std::abs(dot(fixed, moving)) >= threshold) ++extreme;
    } while (std::next_permutation(moving.begin(), moving.end()));
    result.exact = true;
    result.permutations = total;
    result.p = static_cast<double>(extreme) / static_cast<double>(total);
    return result;
  }
  SplitMix64 rng(options.seed);
  for (std::int64_t r = 0; r < options.monte_carlo_samples; ++r) {
    for (std::size_t i = moving.size(); i > 1; --i) std::swap(moving[i - 1], moving[rng.below(i)]);
    if (std::abs(dot(fixed, moving)) >= threshold) ++extreme;
  }
  result.permutations = options.monte_carlo_samples;
  result.p = static_cast<double>(extreme + 1) / static_cast<double>(options.monte_carlo_samples + 1);
  return result;
}

Expected<AssociationResult> spearman_association(std::span<const double> x, std::span<const double> y,
                                                 const PermutationOptions& options) {
  if (Status status = check_pairs(x, y, "Spearman correlation"); !status.is_ok()) return status;
  const std::vector<double> rx = centred(legitimacy::mid_ranks(x)), ry = centred(legitimacy::mid_ranks(y));
  const double sxx = dot(rx, rx), syy = dot(ry, ry);
  if (sxx <= 0.0 || syy <= 0.0) {
    return invalid_argument(std::string("Spearman correlation: the ") + (sxx <= 0.0 ? "characteristic" : "outcome") +
                            " has the same value in every region");
  }
  AssociationResult result = permutation_test(rx, ry, options);
  result.measure = "spearman_rho";
  result.effect = dot(rx, ry) / std::sqrt(sxx * syy);
  return result;
}

Expected<AssociationResult> mean_difference_association(std::span<const double> x, std::span<const double> y,
                                                        const PermutationOptions& options) {
  if (Status status = check_pairs(x, y, "difference of means"); !status.is_ok()) return status;
  std::size_t ones = 0;
  for (double v : x) {
    if (v != 0.0 && v != 1.0) {
      return invalid_argument("difference of means: characteristic value " + std::to_string(v) +
                              "; expected 0 or 1");
    }
    if (v == 1.0) ++ones;
  }
  if (ones == 0 || ones == x.size()) {
    return invalid_argument("difference of means: every region has the characteristic " +
                            std::string(ones == 0 ? "0" : "1") + "; both groups need a region");
  }
  // mean(y | x = 1) - mean(y | x = 0) = sum_i w_i y_i with weights summing to 0.
  std::vector<double> weights(x.size());
  const double n1 = static_cast<double>(ones), n0 = static_cast<double>(x.size() - ones);
  for (std::size_t i = 0; i < x.size(); ++i) weights[i] = x[i] == 1.0 ? 1.0 / n1 : -1.0 / n0;
  const std::vector<double> yc = centred(std::vector<double>(y.begin(), y.end()));
  AssociationResult result = permutation_test(weights, yc, options);
  result.measure = "mean_difference";
  result.effect = dot(weights, yc);
  return result;
}

std::vector<double> holm_adjust(std::span<const double> p) {
  std::vector<double> adjusted(p.size(), kNaN);
  const std::vector<std::size_t> order = family_order(p);
  const double m = static_cast<double>(order.size());
  double running = 0.0;
  for (std::size_t j = 0; j < order.size(); ++j) {
    running = std::max(running, std::min(1.0, (m - static_cast<double>(j)) * p[order[j]]));
    adjusted[order[j]] = running;
  }
  return adjusted;
}

std::vector<double> benjamini_hochberg_adjust(std::span<const double> p) {
  std::vector<double> adjusted(p.size(), kNaN);
  const std::vector<std::size_t> order = family_order(p);
  const double m = static_cast<double>(order.size());
  double running = 1.0;
  for (std::size_t j = order.size(); j-- > 0;) {
    running = std::min(running, m * p[order[j]] / static_cast<double>(j + 1));
    adjusted[order[j]] = running;
  }
  return adjusted;
}

double critical_correlation(int n, double alpha) {
  if (n < 4) return kNaN;
  const double t = boost::math::quantile(boost::math::students_t(n - 2.0), 1.0 - alpha / 2.0);
  return t / std::sqrt(n - 2.0 + t * t);
}

double correlation_power(int n, double rho, double alpha) {
  if (n < 4) return kNaN;
  const boost::math::normal normal;
  const double z = boost::math::quantile(normal, 1.0 - alpha / 2.0);
  return boost::math::cdf(normal, std::atanh(std::abs(rho)) * std::sqrt(n - 3.0) - z);
}

}  // namespace bre::analysis
