// Classes of values for map legends: quantile, natural-breaks, equal-interval or
// geometric class bounds, never an empty class, and legend labels in the run's language.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "bre/algorithm.hpp"
#include "bre/language.hpp"
#include "bre/status.hpp"

namespace bre::map {

enum class ClassMethod {
  kQuantile,       // about the same number of values in each class
  kNaturalBreaks,  // classes of least within-class squared deviation (Fisher 1958; Jenks)
  kEqualInterval,  // classes of equal width between the minimum and the maximum
  kGeometric,      // each class a constant factor wider: for skewed counts such as tie weights
};

/// Parses "quantile" / "natural_breaks" / "equal_interval" / "geometric".
Expected<ClassMethod> parse_class_method(const std::string& text);

/// The method's name for people, e.g. "natuurlijke grenzen" / "natural breaks".
std::string class_method_words(ClassMethod method, Language language);

struct ClassificationParameters {
  ClassMethod method = ClassMethod::kQuantile;
  /// Classes wanted, >= 1. There may be fewer: a method never leaves a class empty
  /// (see ValueClassification).
  std::size_t class_count = 5;
};

/// What the classified numbers are, for their legend labels.
enum class NumberKind {
  kNumber,  // integer data as integer ranges ("2–3"), other data with the decimals its range needs
  kShare,   // a share in [0, 1] written as a percentage ("62,5%")
};

/// How a number is written: decimal comma and thousands point in Dutch, decimal point
/// and thousands comma in English; `decimals` fixed, no grouping below 10 000.
std::string format_number(double value, int decimals, Language language);

/// Splits values into classes for a map legend.
///
/// Bounds b_0 < b_1 < ... < b_k; class i holds b_i <= v < b_(i+1), the last class also
/// v = b_k. Only b_(k-1) = b_k is allowed: the maximum alone in the last class. With v_(0) <= ... <= v_(n-1) the sorted values and K the classes wanted:
/// - quantile: b_0 = v_(0), b_i = v_(floor(i n / K)) for 0 < i < K, b_K = v_(n-1);
/// - natural breaks: the K classes of consecutive sorted values that minimise the sum
///   of squared deviations from their class means (Fisher's exact optimal grouping,
///   found by dynamic programming over the distinct values with their multiplicities;
///   the divide-and-conquer speed-up is exact because the cost satisfies the
///   quadrangle inequality); b_i = the smallest value of class i, b_K = v_(n-1). With
///   fewer than K distinct values each distinct value is a class;
/// - equal interval: b_i = min + i (max - min) / K, b_K = max;
/// - geometric: b_i = min · (max / min)^(i / K), b_K = max; needs min > 0.
/// No class is ever empty: repeated bounds are removed, and a class that holds no
/// value is merged into the class below it (its lower bound is removed), so the
/// legend still covers min to max without a gap; the first class always holds the
/// minimum and the last the maximum. All values equal give one class [v, v].
/// Complexity: O(n log n) to sort, plus O(K d log d) for natural breaks over d
/// distinct values.
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
  /// How many of the classified values fall in each class; every count is positive.
  const std::vector<std::size_t>& counts() const;
  /// One label per class for a legend. kNumber: integer-valued data gets integer
  /// ranges of the values a class can hold ("1", "2–3", "4–9"); other data the
  /// smallest and largest value the class holds, "lo – hi" (one value alone), with as
  /// many decimals as the whole range needs (range 1 → 2 decimals, range 100 → 0). kShare: percentages with one decimal fewer than the range in percentage
  /// points would get as a number (range 10–100 points: whole percents; 1–10: one). Numbers as format_number writes them in `language`.
  std::vector<std::string> labels(NumberKind kind = NumberKind::kNumber, Language language = Language::kEnglish) const;
  /// One value written as the labels write it (for tooltips).
  std::string format_value(double value, NumberKind kind, Language language) const;

 private:
  int decimals(NumberKind kind) const;

  std::span<const double> values_;
  ClassificationParameters parameters_;
  bool integral_ = false;
  std::vector<double> bounds_;
  std::vector<std::size_t> counts_;
  std::vector<double> smallest_, largest_;  // per class, of the classified values
};

/// The smallest value of each class of the optimal natural-breaks grouping of `sorted`
/// (ascending, finite) into at most `classes` classes (fewer when there are fewer
/// distinct values); the first entry is sorted.front(). Exposed for tests against
/// exhaustive search. Complexity: O(classes · d log d) for d distinct values.
std::vector<double> natural_break_starts(std::span<const double> sorted, std::size_t classes);

/// Sum over classes of the squared deviations from the class mean when the sorted
/// values are cut before each value in `starts` (as natural_break_starts returns).
double within_class_squares(std::span<const double> sorted, std::span<const double> starts);

}  // namespace bre::map
