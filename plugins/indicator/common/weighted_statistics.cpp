#include "weighted_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bre::indicator {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

WeightedSummary summarise(const std::vector<WeightedValue>& values) {
  WeightedSummary s;
  s.count = values.size();
  double weighted_sum = 0.0;
  for (const WeightedValue& v : values) {
    s.total_weight += v.weight;
    weighted_sum += v.weight * v.value;
  }
  if (values.empty() || !(s.total_weight > 0.0)) {
    s.mean = s.sd = s.cv = s.minimum = s.maximum = kNaN;
    return s;
  }
  s.mean = weighted_sum / s.total_weight;
  // Two passes: the squared deviations from the final mean, not the textbook
  // sum-of-squares shortcut that cancels badly for large values.
  double squared = 0.0;
  s.minimum = values.front().value;
  s.maximum = values.front().value;
  for (const WeightedValue& v : values) {
    const double d = v.value - s.mean;
    squared += v.weight * d * d;
    s.minimum = std::min(s.minimum, v.value);
    s.maximum = std::max(s.maximum, v.value);
  }
  s.sd = std::sqrt(squared / s.total_weight);
  s.cv = s.mean == 0.0 ? kNaN : s.sd / std::fabs(s.mean);
  return s;
}

double median(std::vector<double> values) {
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

double ols_slope(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = std::min(x.size(), y.size());
  if (n < 2) return kNaN;
  double mean_x = 0.0, mean_y = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    mean_x += x[i];
    mean_y += y[i];
  }
  mean_x /= static_cast<double>(n);
  mean_y /= static_cast<double>(n);
  double sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mean_x) * (y[i] - mean_y);
    sxx += (x[i] - mean_x) * (x[i] - mean_x);
  }
  return sxx == 0.0 ? kNaN : sxy / sxx;
}

}  // namespace bre::indicator
