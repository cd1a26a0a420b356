#include "area_values.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>

#include "indicator_table.hpp"

namespace bre::indicator {

Expected<AreaValues> AreaValues::read(const DatasetIndex& index) {
  const v1::Dataset& dataset = index.dataset();
  std::unordered_map<std::string, std::size_t> indicator_by_id;
  for (int i = 0; i < dataset.area_indicators_size(); ++i) {
    if (!indicator_by_id.emplace(dataset.area_indicators(i).id(), static_cast<std::size_t>(i)).second) {
      return invalid_argument("area_indicators[" + std::to_string(i) + "]: id '" + dataset.area_indicators(i).id() +
                              "' is used twice");
    }
  }
  AreaValues cube;
  for (const v1::IndicatorValue& v : dataset.indicator_values()) cube.years_.push_back(v.year());
  std::sort(cube.years_.begin(), cube.years_.end());
  cube.years_.erase(std::unique(cube.years_.begin(), cube.years_.end()), cube.years_.end());
  cube.municipalities_ = index.municipality_count();
  cube.values_.assign(indicator_by_id.size() * cube.years_.size() * cube.municipalities_,
                      std::numeric_limits<double>::quiet_NaN());
  std::vector<bool> seen(cube.values_.size(), false);
  for (int i = 0; i < dataset.indicator_values_size(); ++i) {
    const v1::IndicatorValue& v = dataset.indicator_values(i);
    const std::string where = "indicator_values[" + std::to_string(i) + "] (indicator '" + v.indicator_id() +
                              "', municipality '" + v.municipality_code() + "', year " + std::to_string(v.year()) +
                              ")";
    const auto indicator = indicator_by_id.find(v.indicator_id());
    if (indicator == indicator_by_id.end()) {
      return invalid_argument(where + ": indicator_id: expected an id of area_indicators, found '" +
                              v.indicator_id() + "'");
    }
    const auto municipality = index.municipality(v.municipality_code());
    if (!municipality) {
      return invalid_argument(where + ": municipality_code: unknown code '" + v.municipality_code() + "'");
    }
    if (!std::isfinite(v.value())) {
      return invalid_argument(where + ": value: expected a finite number, found " + std::to_string(v.value()));
    }
    const std::size_t year = *cube.year_position(v.year());
    const std::size_t slot = (indicator->second * cube.years_.size() + year) * cube.municipalities_ + *municipality;
    if (seen[slot]) return invalid_argument(where + ": a second value for the same indicator, municipality and year");
    seen[slot] = true;
    cube.values_[slot] = v.value();
  }
  return cube;
}

std::optional<std::size_t> AreaValues::year_position(int year) const {
  const auto it = std::lower_bound(years_.begin(), years_.end(), year);
  if (it == years_.end() || *it != year) return std::nullopt;
  return static_cast<std::size_t>(it - years_.begin());
}

MemberWeights population_weights(const DatasetIndex& index, const std::vector<std::size_t>& members) {
  MemberWeights result;
  result.weights.reserve(members.size());
  for (std::size_t m : members) {
    const auto population = index.municipality_at(m).population();
    if (population <= 0) result.weighted = false;
    result.weights.push_back(static_cast<double>(population));
  }
  if (!result.weighted) std::fill(result.weights.begin(), result.weights.end(), 1.0);
  return result;
}

std::vector<std::string> municipalities_without_population(const DatasetIndex& index) {
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    if (index.municipality_at(i).population() <= 0) labels.push_back(municipality_label(index.municipality_at(i)));
  }
  return labels;
}

}  // namespace bre::indicator
