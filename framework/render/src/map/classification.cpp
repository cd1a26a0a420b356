#include "bre/map/classification.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bre::map {

Expected<ClassMethod> parse_class_method(const std::string& text) {
  if (text == "quantile") return ClassMethod::kQuantile;
  if (text == "equal_interval") return ClassMethod::kEqualInterval;
  if (text == "geometric") return ClassMethod::kGeometric;
  return invalid_argument("class method: expected quantile, equal_interval or geometric, found '" + text + "'");
}

ValueClassification::ValueClassification(std::span<const double> values, const ClassificationParameters& parameters)
    : AlgorithmBase("ValueClassification"), values_(values), parameters_(parameters) {}

Status ValueClassification::run() {
  set_has_run(false);
  if (parameters_.class_count == 0) return invalid_argument("class_count: expected at least 1, found 0");
  if (values_.empty()) return invalid_argument("values: expected at least one value to classify, found none");
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (!std::isfinite(values_[i])) {
      return invalid_argument("values[" + std::to_string(i) + "]: expected a finite number, found " +
                              std::to_string(values_[i]));
    }
  }
  std::vector<double> sorted(values_.begin(), values_.end());
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  const std::size_t k = parameters_.class_count;
  const double low = sorted.front(), high = sorted.back();
  if (parameters_.method == ClassMethod::kGeometric && !(low > 0.0)) {
    return invalid_argument("values: geometric classes need positive values, found minimum " + std::to_string(low));
  }
  bounds_.clear();
  bounds_.push_back(low);
  for (std::size_t i = 1; i < k; ++i) {
    const double share = static_cast<double>(i) / static_cast<double>(k);
    switch (parameters_.method) {
      case ClassMethod::kQuantile: bounds_.push_back(sorted[i * n / k]); break;
      case ClassMethod::kEqualInterval: bounds_.push_back(low + share * (high - low)); break;
      case ClassMethod::kGeometric: bounds_.push_back(low * std::pow(high / low, share)); break;
    }
  }
  bounds_.push_back(high);
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  if (bounds_.size() == 1) bounds_.push_back(high);  // all values equal: one class [v, v]

  integral_ = std::all_of(sorted.begin(), sorted.end(), [](double v) { return v == std::floor(v); });
  counts_.assign(bounds_.size() - 1, 0);
  set_has_run(true);
  for (double v : values_) ++counts_[class_of(v)];
  return Status::ok();
}

const std::vector<double>& ValueClassification::bounds() const {
  require_run("bounds");
  return bounds_;
}

std::size_t ValueClassification::class_count() const {
  require_run("class_count");
  return bounds_.size() - 1;
}

std::size_t ValueClassification::class_of(double value) const {
  require_run("class_of");
  const std::size_t classes = bounds_.size() - 1;
  const auto above = std::upper_bound(bounds_.begin(), bounds_.end(), value);
  const std::size_t index = above == bounds_.begin() ? 0 : static_cast<std::size_t>(above - bounds_.begin()) - 1;
  return std::min(index, classes - 1);
}

const std::vector<std::size_t>& ValueClassification::counts() const {
  require_run("counts");
  return counts_;
}

namespace {

std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  // A negative value that rounds to zero prints as "-0.00"; show it as zero.
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

}  // namespace

std::vector<std::string> ValueClassification::labels() const {
  require_run("labels");
  const std::size_t classes = bounds_.size() - 1;
  std::vector<std::string> labels;
  labels.reserve(classes);
  const char* dash = "\u2013";
  if (integral_) {
    for (std::size_t i = 0; i < classes; ++i) {
      const bool last = i + 1 == classes;
      const double first = std::ceil(bounds_[i]);
      // The largest integer a class can hold: below the next bound, or the bound itself for the last.
      const double largest = last ? std::floor(bounds_[i + 1]) : std::ceil(bounds_[i + 1]) - 1.0;
      if (largest < first) {
        labels.push_back("none");
      } else if (largest == first) {
        labels.push_back(format_fixed(first, 0));
      } else {
        labels.push_back(format_fixed(first, 0) + dash + format_fixed(largest, 0));
      }
    }
    return labels;
  }
  // Values near ±DBL_MAX span an infinite range, whose logarithm has no int.
  const double range = bounds_.back() - bounds_.front();
  const int decimals = range > 0.0 && std::isfinite(range)
                           ? std::clamp(2 - static_cast<int>(std::floor(std::log10(range))), 0, 6)
                           : 2;
  for (std::size_t i = 0; i < classes; ++i) {
    labels.push_back(format_fixed(bounds_[i], decimals) + " " + dash + " " + format_fixed(bounds_[i + 1], decimals));
  }
  return labels;
}

}  // namespace bre::map
