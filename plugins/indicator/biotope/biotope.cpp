#include "biotope.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "area_values.hpp"
#include "bre/partition.hpp"
#include "indicator_table.hpp"
#include "weighted_statistics.hpp"

namespace bre::indicator {
namespace {

constexpr std::size_t kListed = 10;  // municipalities named in one warning

// Summary of indicator `j` over `members` with their weights, skipping missing values.
WeightedSummary summarise_members(const AreaValues& values, std::size_t j, std::size_t year,
                                  const std::vector<std::size_t>& members, const MemberWeights& weights) {
  std::vector<WeightedValue> present;
  present.reserve(members.size());
  for (std::size_t p = 0; p < members.size(); ++p) {
    const double x = values.value(j, year, members[p]);
    if (!std::isnan(x)) present.push_back({x, weights.weights[p]});
  }
  return summarise(present);
}

}  // namespace

Biotope::Biotope(const DatasetIndex& index, const v1::Partition& partition, BiotopeParameters parameters)
    : AlgorithmBase("Biotope"), index_(&index), partition_(&partition), parameters_(parameters) {}

Status Biotope::run() {
  set_has_run(false);
  table_.Clear();
  spread_.Clear();
  warnings_.clear();
  if (parameters_.year < 0) {
    return invalid_argument("parameter 'year': expected a year >= 0 (0 = latest), found " +
                            std::to_string(parameters_.year));
  }
  if (!(parameters_.mirror_threshold > 0.0) || !std::isfinite(parameters_.mirror_threshold)) {
    return invalid_argument("parameter 'mirror_threshold': expected a finite number > 0, found " +
                            std::to_string(parameters_.mirror_threshold));
  }
  if (partition_->regions_size() == 0) {
    return failed_precondition("partition '" + partition_->name() + "' has no regions");
  }
  Expected<Membership> membership = membership_of(*index_, *partition_);
  if (!membership) return membership.status().with_context("partition '" + partition_->name() + "'");
  Expected<AreaValues> values_or = AreaValues::read(*index_);
  if (!values_or) return values_or.status();
  const AreaValues& values = *values_or;
  if (values.years().empty()) {
    return failed_precondition("the dataset has no area indicator values; the biotope needs at least one");
  }
  year_ = parameters_.year == 0 ? values.years().back() : parameters_.year;
  const std::optional<std::size_t> year_pos = values.year_position(year_);
  if (!year_pos) {
    std::string present;
    for (int y : values.years()) present += (present.empty() ? "" : ", ") + std::to_string(y);
    return invalid_argument("parameter 'year': the dataset has no area indicator values for " +
                            std::to_string(year_) + "; years present: " + present);
  }
  const std::size_t y = *year_pos;

  const v1::Dataset& dataset = index_->dataset();
  const std::size_t n = index_->municipality_count();
  const std::size_t k = static_cast<std::size_t>(partition_->regions_size());
  const std::size_t indicators = static_cast<std::size_t>(dataset.area_indicators_size());
  std::vector<std::vector<std::size_t>> members(k);
  std::vector<std::size_t> everyone(n), assigned;
  for (std::size_t i = 0; i < n; ++i) {
    everyone[i] = i;
    if ((*membership)[i] != kUnassigned) {
      members[static_cast<std::size_t>((*membership)[i])].push_back(i);
      assigned.push_back(i);
    }
  }
  std::vector<MemberWeights> region_weights(k);
  for (std::size_t b = 0; b < k; ++b) region_weights[b] = population_weights(*index_, members[b]);
  const MemberWeights national_weights = population_weights(*index_, everyone);
  // The spread table decomposes one weighted variance, so it needs one weighting for all.
  const MemberWeights assigned_weights = [&] {
    MemberWeights w;
    w.weighted = national_weights.weighted;
    for (std::size_t i : assigned) w.weights.push_back(national_weights.weights[i]);
    return w;
  }();

  // Themes present, in enum order; mirrored pairs as (lower, higher) enum values.
  std::set<int> themes;
  std::set<std::pair<int, int>> mirrors;
  for (const v1::AreaIndicator& indicator : dataset.area_indicators()) themes.insert(indicator.theme());
  for (const v1::AreaIndicator& indicator : dataset.area_indicators()) {
    const int a = indicator.theme();
    const int b = indicator.mirror_theme();
    if (b == v1::THEME_UNSPECIFIED || a == b) continue;
    if (!themes.contains(b)) {
      warnings_.push_back("indicator '" + indicator.id() + "' names mirror theme " +
                          theme_name(static_cast<v1::Theme>(b)) +
                          ", which no indicator has: no mirror flag for that pair");
      continue;
    }
    mirrors.insert({std::min(a, b), std::max(a, b)});
  }

  // Columns.
  table_.set_name("biotope");
  table_.set_partition_name(partition_->name());
  const int c_members = add_column(table_, "n_municipalities", "Municipalities", "count",
                                   "Municipalities in the region (national row: in the dataset).");
  const int c_weighted = add_column(table_, "population_weighted", "Population-weighted", "1 = yes, 0 = no",
                                    "1 when every member has a population > 0 and the row's statistics are "
                                    "population-weighted; 0 when some member's population is 0 or missing and the "
                                    "row is unweighted (DOMAIN.md §4).");
  struct IndicatorColumns {
    int mean, minimum, maximum, cv, count;
  };
  std::vector<IndicatorColumns> c_indicator;
  for (const v1::AreaIndicator& indicator : dataset.area_indicators()) {
    const std::string& id = indicator.id();
    const std::string& unit = indicator.unit();
    const std::string about = indicator.name() + " (" + theme_name(indicator.theme()) + ", " +
                              std::to_string(year_) + ")";
    IndicatorColumns c;
    c.mean = add_column(table_, id + "_mean", indicator.name() + ": mean", unit,
                        "Population-weighted mean over the members with a value of " + about +
                            "; national row: the national reference (DOMAIN.md §4).");
    c.minimum = add_column(table_, id + "_min", indicator.name() + ": minimum", unit, "Lowest member value of " + about + ".");
    c.maximum = add_column(table_, id + "_max", indicator.name() + ": maximum", unit, "Highest member value of " + about + ".");
    c.cv = add_column(table_, id + "_cv", indicator.name() + ": coefficient of variation", "ratio",
                      "Population-weighted SD / |mean| over the members with a value of " + about +
                          "; 0 for one member; NaN when the mean is 0.");
    c.count = add_column(table_, id + "_n", indicator.name() + ": municipalities with a value", "count",
                         "Members with a value of " + about + "; the others are left out, not imputed.");
    c_indicator.push_back(c);
  }
  std::map<int, int> c_theme;
  for (int theme : themes) {
    const std::string name = theme_name(static_cast<v1::Theme>(theme));
    c_theme[theme] = add_column(table_, "theme_" + name, "Theme score: " + name, "national SD",
                                "Mean over the theme's indicators of (region mean - national mean) / national "
                                "SD, signed so that higher is better (DOMAIN.md §4).");
  }
  std::vector<std::pair<std::pair<int, int>, int>> c_mirror;
  for (const auto& pair : mirrors) {
    const std::string a = theme_name(static_cast<v1::Theme>(pair.first));
    const std::string b = theme_name(static_cast<v1::Theme>(pair.second));
    c_mirror.push_back({pair, add_column(table_, "mirror_" + a + "_" + b, "Mirrored themes " + a + " / " + b, "",
                                         "Whether theme scores " + a + " and " + b +
                                             " are mirrored: one >= +mirror_threshold and the other <= "
                                             "-mirror_threshold (DOMAIN.md §4).",
                                         {"none", a + " high, " + b + " low", a + " low, " + b + " high"})});
  }

  // National reference first: the theme scores standardise against it.
  std::vector<WeightedSummary> national(indicators);
  for (std::size_t j = 0; j < indicators; ++j) {
    national[j] = summarise_members(values, j, y, everyone, national_weights);
  }
  auto fill_row = [&](v1::IndicatorRow& row, const std::vector<std::size_t>& row_members,
                      const MemberWeights& weights) {
    row.set_values(c_members, static_cast<double>(row_members.size()));
    row.set_values(c_weighted, weights.weighted ? 1.0 : 0.0);
    std::map<int, std::pair<double, int>> theme_sums;  // theme -> (sum of z, count)
    for (std::size_t j = 0; j < indicators; ++j) {
      const WeightedSummary s = summarise_members(values, j, y, row_members, weights);
      const IndicatorColumns& c = c_indicator[j];
      row.set_values(c.mean, s.mean);
      row.set_values(c.minimum, s.minimum);
      row.set_values(c.maximum, s.maximum);
      row.set_values(c.cv, s.cv);
      row.set_values(c.count, static_cast<double>(s.count));
      const v1::AreaIndicator& indicator = dataset.area_indicators(static_cast<int>(j));
      const double sign = indicator.higher_is_better() ? 1.0 : -1.0;
      const double z = national[j].sd > 0.0 ? sign * (s.mean - national[j].mean) / national[j].sd : kNaN;
      auto& sums = theme_sums[indicator.theme()];
      if (std::isfinite(z)) {
        sums.first += z;
        ++sums.second;
      }
    }
    std::map<int, double> scores;
    for (const auto& [theme, sums] : theme_sums) {
      scores[theme] = sums.second > 0 ? sums.first / sums.second : kNaN;
      row.set_values(c_theme[theme], scores[theme]);
    }
    for (const auto& [pair, column] : c_mirror) {
      const double a = scores[pair.first];
      const double b = scores[pair.second];
      if (!std::isfinite(a) || !std::isfinite(b)) continue;
      const double t = parameters_.mirror_threshold;
      row.set_values(column, a >= t && b <= -t ? 1.0 : a <= -t && b >= t ? 2.0 : 0.0);
    }
  };
  for (std::size_t b = 0; b < k; ++b) {
    const v1::Region& region = partition_->regions(static_cast<int>(b));
    fill_row(add_row(table_, region.id(), region.name()), members[b], region_weights[b]);
  }
  fill_row(add_row(table_, "NL", "Nederland", true), everyone, national_weights);

  // Within- and between-region spread per indicator.
  spread_.set_name("biotope_spread");
  spread_.set_partition_name(partition_->name());
  const int s_theme = add_column(spread_, "theme", "Theme", "", "The indicator's theme (DOMAIN.md §4).", [&] {
    std::vector<std::string> names;
    for (int t = v1::Theme_MIN; t <= v1::Theme_MAX; ++t) names.push_back(theme_name(static_cast<v1::Theme>(t)));
    return names;
  }());
  const int s_weighted = add_column(spread_, "population_weighted", "Population-weighted", "1 = yes, 0 = no",
                                    "1 when every municipality has a population > 0 and the row is weighted by it.");
  const int s_n = add_column(spread_, "n_values", "Municipalities with a value", "count",
                             "Municipalities of the dataset with a value for the year.");
  const int s_mean = add_column(spread_, "national_mean", "National mean", "indicator unit",
                                "Mean over all municipalities with a value: the national reference.");
  const int s_sd = add_column(spread_, "national_sd", "National SD", "indicator unit",
                              "SD over all municipalities with a value.");
  const int s_cv = add_column(spread_, "national_cv", "National CV", "ratio", "national_sd / |national_mean|.");
  const int s_within = add_column(spread_, "within_region_sd", "Within-region SD", "indicator unit",
                                  "sqrt(sum_B sum_i w_i (x_i - m_B)^2 / W) over municipalities in a region: the "
                                  "spread inside the regions (DOMAIN.md §4).");
  const int s_between = add_column(spread_, "between_region_sd", "Between-region SD", "indicator unit",
                                   "sqrt(sum_B W_B (m_B - m)^2 / W): the spread of the region means.");
  const int s_share = add_column(spread_, "between_share", "Between-region share of variance", "share (0-1)",
                                 "between variance / (within + between variance); NaN without variance.");
  const int s_region_cv = add_column(spread_, "mean_region_cv", "Mean within-region CV", "ratio",
                                     "Unweighted mean of the regions' coefficients of variation.");
  const int s_low = add_column(spread_, "region_mean_min", "Lowest region mean", "indicator unit",
                               "The lowest region mean.");
  const int s_high = add_column(spread_, "region_mean_max", "Highest region mean", "indicator unit",
                                "The highest region mean.");
  std::vector<std::string> missing_population;
  for (std::size_t i = 0; i < n; ++i) {
    if (index_->municipality_at(i).population() <= 0) missing_population.push_back(municipality_label(index_->municipality_at(i)));
  }
  for (std::size_t j = 0; j < indicators; ++j) {
    const v1::AreaIndicator& indicator = dataset.area_indicators(static_cast<int>(j));
    v1::IndicatorRow& row = add_row(spread_, indicator.id(), indicator.name());
    row.set_values(s_theme, static_cast<double>(indicator.theme() - v1::Theme_MIN));
    row.set_values(s_weighted, national_weights.weighted ? 1.0 : 0.0);
    row.set_values(s_n, static_cast<double>(national[j].count));
    row.set_values(s_mean, national[j].mean);
    row.set_values(s_sd, national[j].sd);
    row.set_values(s_cv, national[j].cv);
    const WeightedSummary pooled = summarise_members(values, j, y, assigned, assigned_weights);
    double within = 0.0, between = 0.0, region_cv_sum = 0.0;
    double low = kNaN, high = kNaN;
    int region_cvs = 0;
    for (std::size_t b = 0; b < k; ++b) {
      MemberWeights weights;
      weights.weighted = national_weights.weighted;
      for (std::size_t m : members[b]) weights.weights.push_back(national_weights.weights[m]);
      const WeightedSummary s = summarise_members(values, j, y, members[b], weights);
      if (s.count == 0) continue;
      within += s.sd * s.sd * s.total_weight;
      between += s.total_weight * (s.mean - pooled.mean) * (s.mean - pooled.mean);
      // The region's own CV (its own weighting), as the biotope table shows it.
      const WeightedSummary own = summarise_members(values, j, y, members[b], region_weights[b]);
      if (std::isfinite(own.cv)) {
        region_cv_sum += own.cv;
        ++region_cvs;
      }
      low = std::isnan(low) ? own.mean : std::min(low, own.mean);
      high = std::isnan(high) ? own.mean : std::max(high, own.mean);
    }
    if (pooled.total_weight > 0.0) {
      within /= pooled.total_weight;
      between /= pooled.total_weight;
      row.set_values(s_within, std::sqrt(within));
      row.set_values(s_between, std::sqrt(between));
      row.set_values(s_share, ratio_or_nan(between, within + between));
    }
    row.set_values(s_region_cv, region_cvs > 0 ? region_cv_sum / region_cvs : kNaN);
    row.set_values(s_low, low);
    row.set_values(s_high, high);

    std::vector<std::string> missing;
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(values.value(j, y, i))) missing.push_back(municipality_label(index_->municipality_at(i)));
    }
    if (!missing.empty()) {
      warnings_.push_back("indicator '" + indicator.id() + "' has no " + std::to_string(year_) + " value for " +
                          std::to_string(missing.size()) + " of " + std::to_string(n) +
                          " municipalities, left out of its statistics (not imputed): " +
                          join_limited(missing, kListed));
    }
  }
  if (!missing_population.empty()) {
    warnings_.push_back(std::to_string(missing_population.size()) +
                        " municipalities have population 0 or missing, so the rows of their regions, the national "
                        "row and the spread table are unweighted (population_weighted = 0): " +
                        join_limited(missing_population, kListed));
  }
  set_has_run(true);
  return Status::ok();
}

const v1::IndicatorTable& Biotope::table() const {
  require_run("table");
  return table_;
}
const v1::IndicatorTable& Biotope::spread_table() const {
  require_run("spread_table");
  return spread_;
}
int Biotope::year() const {
  require_run("year");
  return year_;
}
const std::vector<std::string>& Biotope::warnings() const {
  require_run("warnings");
  return warnings_;
}

}  // namespace bre::indicator
