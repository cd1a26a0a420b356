#include "bre/map/classification.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace bre::map {

Expected<ClassMethod> parse_class_method(const std::string& text) {
  if (text == "quantile") return ClassMethod::kQuantile;
  if (text == "natural_breaks") return ClassMethod::kNaturalBreaks;
  if (text == "equal_interval") return ClassMethod::kEqualInterval;
  if (text == "geometric") return ClassMethod::kGeometric;
  return invalid_argument("class method: expected quantile, natural_breaks, equal_interval or geometric, found '" +
                          text + "'");
}

std::string class_method_words(ClassMethod method, Language language) {
  switch (method) {
    case ClassMethod::kQuantile: return std::string(in_language(language, "kwantielklassen", "quantile classes"));
    case ClassMethod::kNaturalBreaks:
      return std::string(in_language(language, "klassen met natuurlijke grenzen (Jenks)", "natural-breaks classes (Jenks)"));
    case ClassMethod::kEqualInterval:
      return std::string(in_language(language, "klassen van gelijke breedte", "equal-interval classes"));
    case ClassMethod::kGeometric: return std::string(in_language(language, "geometrische klassen", "geometric classes"));
  }
  return {};
}

namespace {

// Distinct sorted values with their multiplicities, and prefix sums of the counts,
// the values and their squares about the mean (centred, so the squares do not lose
// the spread of values far from zero to cancellation).
struct DistinctValues {
  std::vector<double> value;
  std::vector<double> count_sum{0.0}, sum{0.0}, square_sum{0.0};

  explicit DistinctValues(std::span<const double> sorted) {
    double mean = 0.0;
    for (double v : sorted) mean += v / static_cast<double>(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        value.push_back(sorted[i]);
        count_sum.push_back(count_sum.back());
        sum.push_back(sum.back());
        square_sum.push_back(square_sum.back());
      }
      const double centred = sorted[i] - mean;
      count_sum.back() += 1.0;
      sum.back() += centred;
      square_sum.back() += centred * centred;
    }
  }
  std::size_t size() const { return value.size(); }
  // Squared deviations from their mean of the values of distinct indices [a, b].
  double cost(std::size_t a, std::size_t b) const {
    const double n = count_sum[b + 1] - count_sum[a];
    const double s = sum[b + 1] - sum[a];
    return std::max(0.0, (square_sum[b + 1] - square_sum[a]) - s * s / n);
  }
};

// Row `row` of the dynamic programme: best[j] = least cost of the first j + 1 distinct
// values in row + 1 classes, start[j] = the first index of the last class. The optimal
// start is non-decreasing in j (the cost is Monge), so each half of [low, high] needs
// only the candidates on its side of the middle's optimum.
void fill_row(const DistinctValues& d, const std::vector<double>& previous, std::size_t row, std::size_t low,
              std::size_t high, std::size_t first_start, std::size_t last_start, std::vector<double>& best,
              std::vector<std::size_t>& start) {
  if (low > high) return;
  const std::size_t middle = low + (high - low) / 2;
  double least = std::numeric_limits<double>::infinity();
  std::size_t argmin = std::max(first_start, row);
  for (std::size_t i = std::max(first_start, row); i <= std::min(middle, last_start); ++i) {
    const double candidate = previous[i - 1] + d.cost(i, middle);
    if (candidate < least) {
      least = candidate;
      argmin = i;
    }
  }
  best[middle] = least;
  start[middle] = argmin;
  if (middle > low) fill_row(d, previous, row, low, middle - 1, first_start, argmin, best, start);
  fill_row(d, previous, row, middle + 1, high, argmin, last_start, best, start);
}

}  // namespace

std::vector<double> natural_break_starts(std::span<const double> sorted, std::size_t classes) {
  if (sorted.empty() || classes == 0) return {};
  const DistinctValues d(sorted);
  const std::size_t k = std::min(classes, d.size());
  const std::size_t n = d.size();
  std::vector<double> best(n);
  for (std::size_t j = 0; j < n; ++j) best[j] = d.cost(0, j);
  std::vector<std::vector<std::size_t>> start(k, std::vector<std::size_t>(n, 0));
  for (std::size_t row = 1; row < k; ++row) {
    std::vector<double> next(n, std::numeric_limits<double>::infinity());
    fill_row(d, best, row, row, n - 1, row, n - 1, next, start[row]);
    best = std::move(next);
  }
  std::vector<double> starts(k);
  std::size_t end = n - 1;
  for (std::size_t row = k; row-- > 0;) {
    const std::size_t first = row == 0 ? 0 : start[row][end];
    starts[row] = d.value[first];
    if (row > 0) end = first - 1;
  }
  return starts;
}

double within_class_squares(std::span<const double> sorted, std::span<const double> starts) {
  double total = 0.0;
  std::size_t begin = 0;
  for (std::size_t c = 0; c < starts.size(); ++c) {
    std::size_t end = begin;
    while (end < sorted.size() && (c + 1 == starts.size() || sorted[end] < starts[c + 1])) ++end;
    double mean = 0.0;
    for (std::size_t i = begin; i < end; ++i) mean += sorted[i];
    mean /= static_cast<double>(std::max<std::size_t>(end - begin, 1));
    for (std::size_t i = begin; i < end; ++i) total += (sorted[i] - mean) * (sorted[i] - mean);
    begin = end;
  }
  return total;
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
  if (parameters_.method == ClassMethod::kNaturalBreaks) {
    bounds_ = natural_break_starts(sorted, k);
  } else {
    bounds_.push_back(low);
    for (std::size_t i = 1; i < k; ++i) {
      const double share = static_cast<double>(i) / static_cast<double>(k);
      switch (parameters_.method) {
        case ClassMethod::kQuantile: bounds_.push_back(sorted[i * n / k]); break;
        case ClassMethod::kEqualInterval: bounds_.push_back(low + share * (high - low)); break;
        case ClassMethod::kGeometric: bounds_.push_back(low * std::pow(high / low, share)); break;
        case ClassMethod::kNaturalBreaks: break;
      }
    }
  }
  // A largest value alone in the last class keeps it: [max, max] (natural breaks set
  // outliers apart so; quantiles when the top share is one repeated value).
  const bool max_alone = bounds_.size() > 1 && bounds_.back() == high && bounds_.front() < high;
  bounds_.push_back(high);
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  if (bounds_.size() == 1 || max_alone) bounds_.push_back(high);  // all equal: one class [v, v]
  // An inner class without values goes into the class below it: its lower bound is
  // removed. The first class holds the minimum and the last the maximum, so only inner
  // classes can be empty; one pass over the sorted values finds them.
  if (bounds_.size() > 3) {
    const std::size_t last = bounds_.size() - 2;  // the last class
    std::vector<double> kept{bounds_.front()};
    std::size_t next = 0;  // first sorted value not below the class being checked
    for (std::size_t c = 1; c < last; ++c) {
      while (next < n && sorted[next] < bounds_[c]) ++next;
      if (next < n && sorted[next] < bounds_[c + 1]) kept.push_back(bounds_[c]);
    }
    kept.push_back(bounds_[last]);
    kept.push_back(bounds_.back());
    bounds_ = std::move(kept);
  }

  integral_ = std::all_of(sorted.begin(), sorted.end(), [](double v) { return v == std::floor(v); });
  counts_.assign(bounds_.size() - 1, 0);
  smallest_.assign(bounds_.size() - 1, INFINITY);
  largest_.assign(bounds_.size() - 1, -INFINITY);
  set_has_run(true);
  for (double v : values_) {
    const std::size_t c = class_of(v);
    ++counts_[c];
    smallest_[c] = std::min(smallest_[c], v);
    largest_[c] = std::max(largest_[c], v);
  }
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

std::string format_number(double value, int decimals, Language language) {
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  // A negative value that rounds to zero prints as "-0.00"; show it as zero.
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  const bool dutch = language == Language::kDutch;
  const std::size_t point = text.find('.');
  std::string whole = text.substr(0, point), fraction = point == std::string::npos ? "" : text.substr(point + 1);
  const std::size_t sign = whole[0] == '-' ? 1 : 0;
  if (whole.size() - sign > 4) {  // 10 000 and up: groups of three
    for (std::size_t at = whole.size(); at > sign + 3; at -= 3) whole.insert(at - 3, dutch ? "." : ",");
  }
  return fraction.empty() ? whole : whole + (dutch ? "," : ".") + fraction;
}

int ValueClassification::decimals(NumberKind kind) const {
  // Values near ±DBL_MAX span an infinite range, whose logarithm has no int.
  // Percentages need one decimal fewer than plain numbers: 10 to 100 points whole.
  const bool share = kind == NumberKind::kShare;
  const double range = (bounds_.back() - bounds_.front()) * (share ? 100.0 : 1.0);
  return range > 0.0 && std::isfinite(range)
             ? std::clamp((share ? 1 : 2) - static_cast<int>(std::floor(std::log10(range))), 0, share ? 4 : 6)
             : (kind == NumberKind::kShare ? 0 : 2);
}

std::string ValueClassification::format_value(double value, NumberKind kind, Language language) const {
  require_run("format_value");
  if (kind == NumberKind::kShare) return format_number(value * 100.0, decimals(kind), language) + "%";
  if (integral_) return format_number(value, 0, language);
  return format_number(value, decimals(kind), language);
}

std::vector<std::string> ValueClassification::labels(NumberKind kind, Language language) const {
  require_run("labels");
  const std::size_t classes = bounds_.size() - 1;
  std::vector<std::string> labels;
  labels.reserve(classes);
  const char* dash = "\u2013";
  if (integral_ && kind == NumberKind::kNumber) {
    for (std::size_t i = 0; i < classes; ++i) {
      const bool last = i + 1 == classes;
      const double first = std::ceil(bounds_[i]);
      // The largest integer a class can hold: below the next bound, or the bound itself for the last.
      const double largest = last ? std::floor(bounds_[i + 1]) : std::ceil(bounds_[i + 1]) - 1.0;
      if (largest <= first) {
        labels.push_back(format_number(first, 0, language));
      } else {
        labels.push_back(format_number(first, 0, language) + dash + format_number(largest, 0, language));
      }
    }
    return labels;
  }
  // The range of the values a class holds: a class bound between two values would
  // name values nobody has (a class "54% – 100%" that holds no 100%).
  for (std::size_t i = 0; i < classes; ++i) {
    const std::string low = format_value(smallest_[i], kind, language);
    const std::string high = format_value(largest_[i], kind, language);
    labels.push_back(low == high ? low : low + " " + dash + " " + high);
  }
  return labels;
}

}  // namespace bre::map
