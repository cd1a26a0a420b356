// Weighted summary statistics over a fixed-order list of values (DOMAIN.md §4, §6).
#pragma once

#include <cstddef>
#include <vector>

namespace bre::indicator {

/// One value with its weight (population, or 1 when unweighted).
struct WeightedValue {
  double value;
  double weight;
};

/// Population-weighted mean, spread and range of a set of municipal values.
struct WeightedSummary {
  std::size_t count = 0;     // values summarised
  double total_weight = 0.0;
  double mean = 0.0;         // sum w x / sum w
  double sd = 0.0;           // sqrt(sum w (x - mean)^2 / sum w): the population SD
  double cv = 0.0;           // sd / |mean|; NaN when mean = 0
  double minimum = 0.0;
  double maximum = 0.0;
};

/// Summarises `values` in their order (so the sums are the same on every run).
/// Every value NaN-free and every weight > 0 is the caller's duty. With no values
/// every field but count and total_weight is NaN. O(n).
WeightedSummary summarise(const std::vector<WeightedValue>& values);

/// The median of `values` (mean of the two middle values for an even count); NaN
/// when empty. O(n log n).
double median(std::vector<double> values);

/// Ordinary least-squares slope of y on x; NaN with fewer than two distinct x.
/// O(n).
double ols_slope(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace bre::indicator
