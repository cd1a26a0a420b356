// The dataset's area indicator values (DOMAIN.md §4, §6) as a dense cube
// indicator x year x municipality, checked once for the indicator plugins.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/status.hpp"

namespace bre::indicator {

class AreaValues {
 public:
  /// Reads every IndicatorValue of the dataset. Errors (each naming
  /// indicator_values[i] with its indicator, municipality and year): an indicator id
  /// not among area_indicators, an unknown municipality code, a value that is NaN or
  /// infinite, the same (indicator, municipality, year) twice. A repeated
  /// area_indicators id is an error too. Complexity: O(I * Y * n + V).
  static Expected<AreaValues> read(const DatasetIndex& index);

  /// Distinct years with at least one value, ascending.
  const std::vector<int>& years() const { return years_; }
  /// Position of `year` in years(), if present.
  std::optional<std::size_t> year_position(int year) const;
  /// The value, or NaN when the dataset has none. `indicator` indexes
  /// area_indicators, `municipality` the dataset's municipalities.
  double value(std::size_t indicator, std::size_t year_position, std::size_t municipality) const {
    return values_[(indicator * years_.size() + year_position) * municipalities_ + municipality];
  }

 private:
  std::vector<int> years_;
  std::size_t municipalities_ = 0;
  std::vector<double> values_;
};

/// Population weights of `members` (municipality indices): their populations when
/// every one is > 0, otherwise 1 for each (unweighted), with `weighted` saying which.
struct MemberWeights {
  std::vector<double> weights;  // parallel to the members
  bool weighted = true;
};
MemberWeights population_weights(const DatasetIndex& index, const std::vector<std::size_t>& members);

/// The municipalities whose population is 0 or missing, as "name (code)" in dataset
/// order: the ones that make the rows holding them unweighted.
std::vector<std::string> municipalities_without_population(const DatasetIndex& index);

}  // namespace bre::indicator
