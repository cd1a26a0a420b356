// Classes of values for map legends: quantile or equal-interval class bounds.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "bre/algorithm.hpp"
#include "bre/status.hpp"

namespace bre::map {

enum class ClassMethod {
  kQuantile,       // about the same number of values in each class
  kEqualInterval,  // classes of equal width between the minimum and the maximum
  kGeometric,      // each class a constant factor wider: for skewed counts such as tie weights
};

/// Parses "quantile" / "equal_interval" / "geometric".
Expected<ClassMethod> parse_class_method(const std::string& text);

struct ClassificationParameters {
  ClassMethod method = ClassMethod::kQuantile;
  /// Classes wanted, >= 1. Quantile classes whose bounds coincide are merged, so
  /// there may be fewer.
  std::size_t class_count = 5;
};

/// Splits values into classes for a map legend.
///
/// Bounds b_0 < b_1 < ... < b_k; class i holds b_i <= v < b_(i+1), the last class also
/// v = b_k. With v_(0) <= ... <= v_(n-1) the sorted values and K the classes wanted:
/// - equal interval: b_i = min + i (max - min) / K, b_K = max;
/// - quantile: b_0 = v_(0), b_i = v_(floor(i n / K)) for 0 < i < K, b_K = v_(n-1), with
///   repeated bounds removed;
/// - geometric: b_i = min · (max / min)^(i / K), b_K = max; needs min > 0.
/// All values equal give one class [v, v].
/// Complexity: O(n log n) for quantiles, O(n) for equal intervals.
class ValueClassification : public AlgorithmBase {
 public:
  ValueClassification(std::span<const double> values, const ClassificationParameters& parameters);

  /// Errors: no values; a value that is NaN or infinite (names its index); a
  /// class_count of 0; geometric classes of values that are not all positive.
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  /// The k + 1 bounds.
  const std::vector<double>& bounds() const;
  std::size_t class_count() const;
  /// The class of `value`: values below b_0 fall in class 0, above b_k in the last.
  std::size_t class_of(double value) const;
  /// How many of the classified values fall in each class.
  const std::vector<std::size_t>& counts() const;
  /// One label per class for a legend. Integer-valued data gets integer ranges of the
  /// values a class can hold ("1", "2–3", "4–9"); other data "lo – hi" with as many
  /// decimals as the value range needs (range 1 → 2 decimals, range 100 → 0).
  std::vector<std::string> labels() const;

 private:
  std::span<const double> values_;
  ClassificationParameters parameters_;
  bool integral_ = false;
  std::vector<double> bounds_;
  std::vector<std::size_t> counts_;
};

}  // namespace bre::map
