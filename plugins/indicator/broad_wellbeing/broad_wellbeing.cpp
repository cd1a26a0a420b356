#include "broad_wellbeing.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include "area_values.hpp"
#include "bre/partition.hpp"
#include "indicator_table.hpp"
#include "weighted_statistics.hpp"

namespace bre::indicator {
namespace {

constexpr std::size_t kListed = 10;

// The trend of (year, value) pairs with a value, per year.
double trend_of(const std::vector<int>& years, const std::vector<double>& series, TrendMeasure measure) {
  std::vector<double> x, y;
  for (std::size_t t = 0; t < years.size(); ++t) {
    if (std::isfinite(series[t])) {
      x.push_back(static_cast<double>(years[t]));
      y.push_back(series[t]);
    }
  }
  if (x.size() < 2) return kNaN;
  if (measure == TrendMeasure::kChange) return (y.back() - y.front()) / (x.back() - x.front());
  return ols_slope(x, y);
}

double trend_class(double trend, double median_trend, double threshold) {
  if (!std::isfinite(trend) || !std::isfinite(median_trend)) return kNaN;
  const double relative = trend - median_trend;
  return relative > threshold ? 2.0 : relative < -threshold ? 0.0 : 1.0;
}

double position(double level, double median_level) {
  if (!std::isfinite(level) || !std::isfinite(median_level)) return kNaN;
  return level >= median_level ? 1.0 : 0.0;
}

}  // namespace

Expected<Standardisation> parse_standardisation(const std::string& text) {
  if (text == "base_year") return Standardisation::kBaseYear;
  if (text == "per_year") return Standardisation::kPerYear;
  return invalid_argument("parameter 'standardise': expected base_year or per_year, found '" + text + "'");
}

Expected<TrendMeasure> parse_trend_measure(const std::string& text) {
  if (text == "slope") return TrendMeasure::kSlope;
  if (text == "change") return TrendMeasure::kChange;
  return invalid_argument("parameter 'trend': expected slope or change, found '" + text + "'");
}

BroadWellbeing::BroadWellbeing(const DatasetIndex& index, const v1::Partition& partition,
                               BroadWellbeingParameters parameters)
    : AlgorithmBase("BroadWellbeing"), index_(&index), partition_(&partition), parameters_(parameters) {}

Status BroadWellbeing::run() {
  set_has_run(false);
  years_.clear();
  regions_.Clear();
  municipalities_.Clear();
  warnings_.clear();
  if (!(parameters_.trend_threshold >= 0.0) || !std::isfinite(parameters_.trend_threshold)) {
    return invalid_argument("parameter 'trend_threshold': expected a finite number >= 0, found " +
                            std::to_string(parameters_.trend_threshold));
  }
  if (partition_->regions_size() == 0) {
    return failed_precondition("partition '" + partition_->name() + "' has no regions");
  }
  Expected<Membership> membership = membership_of(*index_, *partition_);
  if (!membership) return membership.status().with_context("partition '" + partition_->name() + "'");
  Expected<AreaValues> values_or = AreaValues::read(*index_);
  if (!values_or) return values_or.status();
  const AreaValues& values = *values_or;
  const v1::Dataset& dataset = index_->dataset();
  const std::size_t n = index_->municipality_count();
  const std::size_t k = static_cast<std::size_t>(partition_->regions_size());

  std::vector<std::size_t> indicators;
  std::set<int> themes;
  for (int j = 0; j < dataset.area_indicators_size(); ++j) {
    if (!dataset.area_indicators(j).broad_wellbeing()) continue;
    indicators.push_back(static_cast<std::size_t>(j));
    themes.insert(dataset.area_indicators(j).theme());
  }
  if (indicators.empty()) {
    return failed_precondition("no area indicator is marked broad_wellbeing; the index needs at least one");
  }
  // Years in which some broad-well-being indicator has a value.
  std::vector<std::size_t> year_positions;
  for (std::size_t y = 0; y < values.years().size(); ++y) {
    bool any = false;
    for (std::size_t j : indicators) {
      for (std::size_t i = 0; i < n && !any; ++i) any = !std::isnan(values.value(j, y, i));
    }
    if (any) {
      year_positions.push_back(y);
      years_.push_back(values.years()[y]);
    }
  }
  if (years_.empty()) {
    return failed_precondition("the dataset has no value of any broad-well-being indicator");
  }
  const std::size_t years = years_.size();
  if (years < 2) {
    warnings_.push_back("values for one year only (" + std::to_string(years_[0]) +
                        "): no trend, trend and trend_class are NaN");
  }

  // z-scores -> theme scores -> index, per year and municipality.
  std::map<int, std::vector<std::vector<double>>> theme_sum, theme_count;
  for (int theme : themes) {
    theme_sum[theme].assign(years, std::vector<double>(n, 0.0));
    theme_count[theme].assign(years, std::vector<double>(n, 0.0));
  }
  std::vector<std::int64_t> missing_count(n, 0);
  for (std::size_t j : indicators) {
    const v1::AreaIndicator& indicator = dataset.area_indicators(static_cast<int>(j));
    const double sign = indicator.higher_is_better() ? 1.0 : -1.0;
    std::optional<WeightedSummary> base;
    for (std::size_t t = 0; t < years; ++t) {
      const std::size_t y = year_positions[t];
      std::vector<WeightedValue> present;
      std::vector<std::string> missing;
      for (std::size_t i = 0; i < n; ++i) {
        const double x = values.value(j, y, i);
        if (std::isnan(x)) {
          missing.push_back(municipality_label(index_->municipality_at(i)));
          ++missing_count[i];
        } else {
          present.push_back({x, 1.0});
        }
      }
      if (!missing.empty()) {
        warnings_.push_back("indicator '" + indicator.id() + "' has no " + std::to_string(years_[t]) + " value for " +
                            std::to_string(missing.size()) + " of " + std::to_string(n) +
                            " municipalities; their " + theme_name(indicator.theme()) +
                            " score averages the theme's other indicators (not imputed): " +
                            join_limited(missing, kListed));
      }
      const WeightedSummary own = summarise(present);
      if (!base && own.count >= 2 && own.sd > 0.0) base = own;
      const WeightedSummary* reference =
          parameters_.standardisation == Standardisation::kBaseYear ? (base ? &*base : nullptr) : &own;
      if (reference == nullptr || reference->count < 2 || !(reference->sd > 0.0)) {
        if (!present.empty()) {
          warnings_.push_back("indicator '" + indicator.id() + "' (" + std::to_string(years_[t]) +
                              "): no spread to standardise against (fewer than two values or SD 0); left out");
        }
        continue;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const double x = values.value(j, y, i);
        if (std::isnan(x)) continue;
        theme_sum[indicator.theme()][t][i] += sign * (x - reference->mean) / reference->sd;
        theme_count[indicator.theme()][t][i] += 1.0;
      }
    }
  }
  // theme_score[theme][t][i], index[t][i]
  std::map<int, std::vector<std::vector<double>>> theme_score;
  std::vector<std::vector<double>> index(years, std::vector<double>(n, kNaN));
  for (std::size_t t = 0; t < years; ++t) {
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0.0;
      int count = 0;
      for (int theme : themes) {
        auto& scores = theme_score[theme];
        if (scores.empty()) scores.assign(years, std::vector<double>(n, kNaN));
        const double c = theme_count[theme][t][i];
        if (c > 0.0) {
          scores[t][i] = theme_sum[theme][t][i] / c;
          sum += scores[t][i];
          ++count;
        }
      }
      if (count > 0) index[t][i] = sum / count;
    }
  }
  std::vector<double> municipal_trend(n);
  std::vector<double> series(years);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t t = 0; t < years; ++t) series[t] = index[t][i];
    municipal_trend[i] = trend_of(years_, series, parameters_.trend);
  }
  auto finite_values = [](const std::vector<double>& v) {
    std::vector<double> out;
    for (double x : v) {
      if (std::isfinite(x)) out.push_back(x);
    }
    return out;
  };
  std::vector<double> median_index(years);
  for (std::size_t t = 0; t < years; ++t) median_index[t] = median(finite_values(index[t]));
  const double median_level = median_index.back();
  const double median_trend = median(finite_values(municipal_trend));

  // Region table.
  auto add_common_columns = [&](v1::IndicatorTable& table) {
    std::vector<int> c_index;
    for (int year : years_) {
      c_index.push_back(add_column(table, "index_" + std::to_string(year), "Broad well-being " + std::to_string(year),
                                   "z (SD units)",
                                   "Broad well-being index of " + std::to_string(year) +
                                       ": mean of the theme scores, themes = mean of signed z-scores "
                                       "(DOMAIN.md §6)."));
    }
    return c_index;
  };
  regions_.set_name("broad_wellbeing");
  regions_.set_partition_name(partition_->name());
  const int r_members = add_column(regions_, "n_municipalities", "Municipalities", "count",
                                   "Municipalities in the region (national rows: in the dataset).");
  const int r_weighted = add_column(regions_, "population_weighted", "Population-weighted", "1 = yes, 0 = no",
                                    "1 when the row's means are population-weighted; 0 when a member's population is "
                                    "0 or missing and the row is unweighted.");
  const std::vector<int> r_index = add_common_columns(regions_);
  const int r_level = add_column(regions_, "level", "Level", "z (SD units)",
                                 "The index of the latest year, " + std::to_string(years_.back()) + ".");
  const int r_trend = add_column(regions_, "trend", "Trend", "z per year",
                                 parameters_.trend == TrendMeasure::kSlope
                                     ? "OLS slope of the yearly index over the years with a value (DOMAIN.md §6)."
                                     : "(last - first index) / years between them (DOMAIN.md §6).");
  const std::vector<std::string> positions(std::begin(kPositions), std::end(kPositions));
  const std::vector<std::string> classes(std::begin(kTrendClasses), std::end(kTrendClasses));
  const int r_position = add_column(regions_, "position", "Position", "",
                                    "high when level >= the national median of the municipal indices, else low.",
                                    positions);
  const int r_class = add_column(regions_, "trend_class", "Trend class", "",
                                 "positive / negative when the trend is more than trend_threshold above / below "
                                 "the national median of municipal trends, else average.",
                                 classes);
  std::map<int, int> r_theme;
  for (int theme : themes) {
    const std::string name = theme_name(static_cast<v1::Theme>(theme));
    r_theme[theme] = add_column(regions_, "theme_" + name, "Theme " + name + " " + std::to_string(years_.back()),
                                "z (SD units)", "Theme score of the latest year (mean of signed z-scores).");
  }
  const int r_missing = add_column(regions_, "n_missing", "Missing values", "count",
                                   "Missing (municipality, indicator, year) values among the members.");

  auto fill_region = [&](v1::IndicatorRow& row, const std::vector<std::size_t>& members) {
    const MemberWeights weights = population_weights(*index_, members);
    row.set_values(r_members, static_cast<double>(members.size()));
    row.set_values(r_weighted, weights.weighted ? 1.0 : 0.0);
    auto weighted_mean = [&](const std::vector<double>& per_municipality) {
      std::vector<WeightedValue> present;
      for (std::size_t p = 0; p < members.size(); ++p) {
        const double x = per_municipality[members[p]];
        if (std::isfinite(x)) present.push_back({x, weights.weights[p]});
      }
      return summarise(present).mean;
    };
    std::vector<double> levels(years);
    for (std::size_t t = 0; t < years; ++t) {
      levels[t] = weighted_mean(index[t]);
      row.set_values(r_index[t], levels[t]);
    }
    const double trend = trend_of(years_, levels, parameters_.trend);
    row.set_values(r_level, levels.back());
    row.set_values(r_trend, trend);
    for (int theme : themes) row.set_values(r_theme[theme], weighted_mean(theme_score[theme].back()));
    std::int64_t missing = 0;
    for (std::size_t m : members) missing += missing_count[m];
    row.set_values(r_missing, static_cast<double>(missing));
    return std::pair{levels.back(), trend};
  };
  std::vector<std::vector<std::size_t>> members(k);
  std::vector<std::size_t> everyone(n);
  for (std::size_t i = 0; i < n; ++i) {
    everyone[i] = i;
    if ((*membership)[i] != kUnassigned) members[static_cast<std::size_t>((*membership)[i])].push_back(i);
  }
  for (std::size_t b = 0; b < k; ++b) {
    const v1::Region& region = partition_->regions(static_cast<int>(b));
    v1::IndicatorRow& row = add_row(regions_, region.id(), region.name());
    const auto [level, trend] = fill_region(row, members[b]);
    row.set_values(r_position, position(level, median_level));
    row.set_values(r_class, trend_class(trend, median_trend, parameters_.trend_threshold));
  }
  fill_region(add_row(regions_, "NL", "Nederland", true), everyone);
  v1::IndicatorRow& medians = add_row(regions_, "NL_median", "Nederland (mediaan gemeenten)", true);
  medians.set_values(r_members, static_cast<double>(n));
  for (std::size_t t = 0; t < years; ++t) medians.set_values(r_index[t], median_index[t]);
  medians.set_values(r_level, median_level);
  medians.set_values(r_trend, median_trend);

  // Municipality table.
  municipalities_.set_name("broad_wellbeing_municipalities");
  municipalities_.set_partition_name(partition_->name());
  std::vector<std::string> region_ids;
  for (const v1::Region& region : partition_->regions()) region_ids.push_back(region.id());
  const int m_region = add_column(municipalities_, "region", "Region", "", "The municipality's region (empty: none).",
                                  region_ids);
  const std::vector<int> m_index = add_common_columns(municipalities_);
  const int m_level = add_column(municipalities_, "level", "Level", "z (SD units)", "The index of the latest year.");
  const int m_trend = add_column(municipalities_, "trend", "Trend", "z per year", "Trend of the yearly index.");
  const int m_position = add_column(municipalities_, "position", "Position", "",
                                    "high when level >= the national median, else low.", positions);
  const int m_class = add_column(municipalities_, "trend_class", "Trend class", "",
                                 "Trend against the national median trend, with trend_threshold.", classes);
  std::map<int, int> m_theme;
  for (int theme : themes) {
    const std::string name = theme_name(static_cast<v1::Theme>(theme));
    m_theme[theme] = add_column(municipalities_, "theme_" + name, "Theme " + name, "z (SD units)",
                                "Theme score of the latest year.");
  }
  const int m_missing = add_column(municipalities_, "n_missing", "Missing values", "count",
                                   "Broad-well-being values missing for this municipality over all years.");
  for (std::size_t i = 0; i < n; ++i) {
    const v1::Municipality& municipality = index_->municipality_at(i);
    v1::IndicatorRow& row = add_row(municipalities_, municipality.code(), municipality.name());
    if ((*membership)[i] != kUnassigned) row.set_values(m_region, static_cast<double>((*membership)[i]));
    for (std::size_t t = 0; t < years; ++t) row.set_values(m_index[t], index[t][i]);
    row.set_values(m_level, index.back()[i]);
    row.set_values(m_trend, municipal_trend[i]);
    row.set_values(m_position, position(index.back()[i], median_level));
    row.set_values(m_class, trend_class(municipal_trend[i], median_trend, parameters_.trend_threshold));
    for (int theme : themes) row.set_values(m_theme[theme], theme_score[theme].back()[i]);
    row.set_values(m_missing, static_cast<double>(missing_count[i]));
  }
  std::vector<std::string> missing_population;
  for (std::size_t i = 0; i < n; ++i) {
    if (index_->municipality_at(i).population() <= 0) {
      missing_population.push_back(municipality_label(index_->municipality_at(i)));
    }
  }
  if (!missing_population.empty()) {
    warnings_.push_back(std::to_string(missing_population.size()) +
                        " municipalities have population 0 or missing, so their regions and the national row "
                        "are unweighted (population_weighted = 0): " +
                        join_limited(missing_population, kListed));
  }
  set_has_run(true);
  return Status::ok();
}

const v1::IndicatorTable& BroadWellbeing::region_table() const {
  require_run("region_table");
  return regions_;
}
const v1::IndicatorTable& BroadWellbeing::municipality_table() const {
  require_run("municipality_table");
  return municipalities_;
}
const std::vector<int>& BroadWellbeing::years() const {
  require_run("years");
  return years_;
}
const std::vector<std::string>& BroadWellbeing::warnings() const {
  require_run("warnings");
  return warnings_;
}

}  // namespace bre::indicator
