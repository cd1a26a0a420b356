#include "broad_wellbeing.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
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

// The broad-well-being indicators (their positions in the dataset) and their themes.
struct Indicators {
  std::vector<std::size_t> positions;
  std::set<int> themes;
};

Indicators broad_wellbeing_indicators(const v1::Dataset& dataset) {
  Indicators selected;
  for (int j = 0; j < dataset.area_indicators_size(); ++j) {
    if (!dataset.area_indicators(j).broad_wellbeing()) continue;
    selected.positions.push_back(static_cast<std::size_t>(j));
    selected.themes.insert(dataset.area_indicators(j).theme());
  }
  return selected;
}

// Positions in AreaValues' years of the years in which some indicator has a value.
std::vector<std::size_t> years_with_values(const AreaValues& values, const Indicators& indicators, std::size_t n) {
  std::vector<std::size_t> positions;
  for (std::size_t y = 0; y < values.years().size(); ++y) {
    bool any = false;
    for (std::size_t j : indicators.positions) {
      for (std::size_t i = 0; i < n && !any; ++i) any = !std::isnan(values.value(j, y, i));
    }
    if (any) positions.push_back(y);
  }
  return positions;
}

// Per theme, year and municipality: the sum and count of the signed z-scores of its
// indicators; and per municipality the values missing over all indicators and years.
struct ThemeSums {
  std::map<int, std::vector<std::vector<double>>> sum, count;
  std::vector<std::int64_t> missing;
};

// DOMAIN.md §6, first step: each indicator standardised (z-score over the
// municipalities, against its own year or the first year with spread), signed so that
// higher is better. Missing values are left out and said, never imputed.
ThemeSums standardise(const DatasetIndex& index, const AreaValues& values, const Indicators& indicators,
                      const std::vector<std::size_t>& year_positions, const std::vector<int>& years,
                      Standardisation standardisation, Language language, std::vector<std::string>& warnings) {
  const std::size_t n = index.municipality_count();
  ThemeSums sums;
  for (int theme : indicators.themes) {
    sums.sum[theme].assign(years.size(), std::vector<double>(n, 0.0));
    sums.count[theme].assign(years.size(), std::vector<double>(n, 0.0));
  }
  sums.missing.assign(n, 0);
  for (std::size_t j : indicators.positions) {
    const v1::AreaIndicator& indicator = index.dataset().area_indicators(static_cast<int>(j));
    const double sign = indicator.direction() == v1::DIRECTION_LOWER_IS_BETTER ? -1.0 : 1.0;
    std::optional<WeightedSummary> base;
    for (std::size_t t = 0; t < years.size(); ++t) {
      const std::size_t y = year_positions[t];
      std::vector<WeightedValue> present;
      std::vector<std::string> missing;
      for (std::size_t i = 0; i < n; ++i) {
        const double x = values.value(j, y, i);
        if (std::isnan(x)) {
          missing.push_back(municipality_label(index.municipality_at(i)));
          ++sums.missing[i];
        } else {
          present.push_back({x, 1.0});
        }
      }
      if (!missing.empty()) {
        const std::string year = std::to_string(years[t]);
        const std::string counts =
            std::to_string(missing.size()) + text_in(language, " van ", " of ") + std::to_string(n);
        const std::string theme = theme_label(indicator.theme(), language);
        warnings.push_back(Bilingual{"indicator '" + indicator.id() + "' heeft geen waarde voor " + year + " bij " +
                                         counts + " gemeenten; hun score voor " + theme +
                                         " is het gemiddelde van de andere indicatoren van het thema (niet geschat): ",
                                     "indicator '" + indicator.id() + "' has no " + year + " value for " + counts +
                                         " municipalities; their " + theme +
                                         " score averages the theme's other indicators (not imputed): "}
                               .in(language) +
                           join_limited(missing, kListed, language));
      }
      const WeightedSummary own = summarise(present);
      if (!base && own.count >= 2 && own.sd > 0.0) base = own;
      const WeightedSummary* reference =
          standardisation == Standardisation::kBaseYear ? (base ? &*base : nullptr) : &own;
      if (reference == nullptr || reference->count < 2 || !(reference->sd > 0.0)) {
        if (!present.empty()) {
          warnings.push_back("indicator '" + indicator.id() + "' (" + std::to_string(years[t]) + "): " +
                             text_in(language,
                                     "geen spreiding om tegen te standaardiseren (minder dan twee waarden of SD 0); "
                                     "niet meegeteld",
                                     "no spread to standardise against (fewer than two values or SD 0); left out"));
        }
        continue;
      }
      for (std::size_t i = 0; i < n; ++i) {
        const double x = values.value(j, y, i);
        if (std::isnan(x)) continue;
        sums.sum[indicator.theme()][t][i] += sign * (x - reference->mean) / reference->sd;
        sums.count[indicator.theme()][t][i] += 1.0;
      }
    }
  }
  return sums;
}

// DOMAIN.md §6, second step: theme scores (the mean of a theme's z-scores) and the
// index (the mean of the theme scores), per year and municipality; NaN without any.
struct Scores {
  std::map<int, std::vector<std::vector<double>>> theme;  // [theme][year][municipality]
  std::vector<std::vector<double>> index;                // [year][municipality]
};

Scores scores(const ThemeSums& sums, const std::set<int>& themes, std::size_t years, std::size_t n) {
  Scores s;
  s.index.assign(years, std::vector<double>(n, kNaN));
  for (std::size_t t = 0; t < years; ++t) {
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0.0;
      int count = 0;
      for (int theme : themes) {
        auto& theme_scores = s.theme[theme];
        if (theme_scores.empty()) theme_scores.assign(years, std::vector<double>(n, kNaN));
        const double c = sums.count.at(theme)[t][i];
        if (c > 0.0) {
          theme_scores[t][i] = sums.sum.at(theme)[t][i] / c;
          sum += theme_scores[t][i];
          ++count;
        }
      }
      if (count > 0) s.index[t][i] = sum / count;
    }
  }
  return s;
}

std::vector<double> finite_values(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v) {
    if (std::isfinite(x)) out.push_back(x);
  }
  return out;
}

// The national reference of position and trend class: each municipality's trend and
// the medians over the municipalities of the index per year and of the trends.
struct Medians {
  std::vector<double> municipal_trend;
  std::vector<double> index;  // per year
  double level = kNaN;
  double trend = kNaN;
};

Medians medians(const Scores& s, const std::vector<int>& years, TrendMeasure measure) {
  const std::size_t n = s.index.front().size();
  Medians m;
  m.municipal_trend.resize(n);
  std::vector<double> series(years.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t t = 0; t < years.size(); ++t) series[t] = s.index[t][i];
    m.municipal_trend[i] = trend_of(years, series, measure);
  }
  m.index.resize(years.size());
  for (std::size_t t = 0; t < years.size(); ++t) m.index[t] = median(finite_values(s.index[t]));
  m.level = m.index.back();
  m.trend = median(finite_values(m.municipal_trend));
  return m;
}

std::vector<int> add_index_columns(v1::IndicatorTable& table, const std::vector<int>& years, Language language) {
  std::vector<int> columns;
  for (int year : years) {
    const std::string y = std::to_string(year);
    columns.push_back(add_column(table, language, "index_" + y, {"Brede welvaart " + y, "Broad well-being " + y},
                                 "z (SD units)",
                                 {"Index brede welvaart " + y +
                                      ": gemiddelde van de themascores, thema's = gemiddelde van z-scores met teken "
                                      "(DOMAIN.md §6).",
                                  "Broad well-being index of " + y +
                                      ": mean of the theme scores, themes = mean of signed z-scores (DOMAIN.md §6)."}));
  }
  return columns;
}

const std::vector<std::string>& position_names() {
  static const std::vector<std::string> names(std::begin(kPositions), std::end(kPositions));
  return names;
}

const std::vector<std::string>& trend_class_names() {
  static const std::vector<std::string> names(std::begin(kTrendClasses), std::end(kTrendClasses));
  return names;
}

// The region table: per region (and the nation) the population-weighted index per
// year, its level and trend, position and trend class against the medians, the theme
// scores of the latest year; a last row of the national medians.
void fill_region_table(v1::IndicatorTable& table, const DatasetIndex& index, const v1::Partition& partition,
                       const Membership& membership, const std::vector<int>& years, const std::set<int>& themes,
                       const Scores& s, const Medians& m, const std::vector<std::int64_t>& missing_count,
                       const BroadWellbeingParameters& parameters) {
  table.set_name("broad_wellbeing");
  table.set_partition_name(partition.name());
  const Language l = parameters.language;
  const std::string latest = std::to_string(years.back());
  const int r_members = add_column(table, l, "n_municipalities", {"Gemeenten", "Municipalities"}, "count",
                                   {"Gemeenten in de regio (landelijke rijen: in de dataset).",
                                    "Municipalities in the region (national rows: in the dataset)."});
  const int r_weighted = add_column(
      table, l, "population_weighted", {"Naar inwoners gewogen", "Population-weighted"}, "1 = yes, 0 = no",
      {"1 als de gemiddelden van de rij naar inwoners gewogen zijn; 0 als een gemeente 0 of geen inwonertal heeft en "
       "de rij ongewogen is.",
       "1 when the row's means are population-weighted; 0 when a member's population is 0 or missing and the row is "
       "unweighted."});
  const std::vector<int> r_index = add_index_columns(table, years, l);
  const int r_level = add_column(table, l, "level", {"Niveau", "Level"}, "z (SD units)",
                                 {"De index van het laatste jaar, " + latest + ".",
                                  "The index of the latest year, " + latest + "."});
  const int r_trend = add_column(
      table, l, "trend", {"Trend", "Trend"}, "z per year",
      parameters.trend == TrendMeasure::kSlope
          ? Bilingual{"OLS-helling van de jaarlijkse index over de jaren met een waarde (DOMAIN.md §6).",
                      "OLS slope of the yearly index over the years with a value (DOMAIN.md §6)."}
          : Bilingual{"(laatste - eerste index) / aantal jaren ertussen (DOMAIN.md §6).",
                      "(last - first index) / years between them (DOMAIN.md §6)."});
  const int r_position = add_column(
      table, l, "position", {"Positie", "Position"}, "",
      {"hoog als het niveau >= de landelijke mediaan van de gemeentelijke indices, anders laag.",
       "high when level >= the national median of the municipal indices, else low."},
      position_names());
  const int r_class = add_column(
      table, l, "trend_class", {"Trendklasse", "Trend class"}, "",
      {"positief / negatief als de trend meer dan trend_threshold boven / onder de landelijke mediaan van de "
       "gemeentelijke trends ligt, anders gemiddeld.",
       "positive / negative when the trend is more than trend_threshold above / below the national median of "
       "municipal trends, else average."},
      trend_class_names());
  std::map<int, int> r_theme;
  for (int theme : themes) {
    const v1::Theme t = static_cast<v1::Theme>(theme);
    r_theme[theme] = add_column(
        table, l, "theme_" + theme_name(t),
        {"Thema " + theme_label(t, Language::kDutch) + " " + latest,
         "Theme " + theme_label(t, Language::kEnglish) + " " + latest},
        "z (SD units)",
        {"Themascore van het laatste jaar (gemiddelde van z-scores met teken).",
         "Theme score of the latest year (mean of signed z-scores)."});
  }
  const int r_missing = add_column(table, l, "n_missing", {"Ontbrekende waarden", "Missing values"}, "count",
                                   {"Ontbrekende waarden (gemeente, indicator, jaar) van de gemeenten van de regio.",
                                    "Missing (municipality, indicator, year) values among the members."});

  // One row's index, level, trend and theme scores; returns its level and trend.
  auto fill_region = [&](v1::IndicatorRow& row, const std::vector<std::size_t>& members) {
    const MemberWeights weights = population_weights(index, members);
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
    std::vector<double> levels(years.size());
    for (std::size_t t = 0; t < years.size(); ++t) {
      levels[t] = weighted_mean(s.index[t]);
      row.set_values(r_index[t], levels[t]);
    }
    const double trend = trend_of(years, levels, parameters.trend);
    row.set_values(r_level, levels.back());
    row.set_values(r_trend, trend);
    for (int theme : themes) row.set_values(r_theme[theme], weighted_mean(s.theme.at(theme).back()));
    std::int64_t missing = 0;
    for (std::size_t member : members) missing += missing_count[member];
    row.set_values(r_missing, static_cast<double>(missing));
    return std::pair{levels.back(), trend};
  };
  const std::size_t n = index.municipality_count();
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(partition.regions_size()));
  std::vector<std::size_t> everyone(n);
  for (std::size_t i = 0; i < n; ++i) {
    everyone[i] = i;
    if (membership[i] != kUnassigned) members[static_cast<std::size_t>(membership[i])].push_back(i);
  }
  for (std::size_t b = 0; b < members.size(); ++b) {
    const v1::Region& region = partition.regions(static_cast<int>(b));
    v1::IndicatorRow& row = add_row(table, region.id(), region.name());
    const auto [level, trend] = fill_region(row, members[b]);
    row.set_values(r_position, position(level, m.level));
    row.set_values(r_class, trend_class(trend, m.trend, parameters.trend_threshold));
  }
  fill_region(add_row(table, "NL", "Nederland", true), everyone);
  v1::IndicatorRow& medians_row = add_row(
      table, "NL_median", text_in(l, "Nederland (mediaan gemeenten)", "Nederland (median of municipalities)"), true);
  medians_row.set_values(r_members, static_cast<double>(n));
  for (std::size_t t = 0; t < years.size(); ++t) medians_row.set_values(r_index[t], m.index[t]);
  medians_row.set_values(r_level, m.level);
  medians_row.set_values(r_trend, m.trend);
}

// The municipality table: the same figures per municipality, unweighted.
void fill_municipality_table(v1::IndicatorTable& table, const DatasetIndex& index, const v1::Partition& partition,
                             const Membership& membership, const std::vector<int>& years,
                             const std::set<int>& themes, const Scores& s, const Medians& m,
                             const std::vector<std::int64_t>& missing_count, double trend_threshold,
                             Language l) {
  table.set_name("broad_wellbeing_municipalities");
  table.set_partition_name(partition.name());
  std::vector<std::string> region_ids;
  for (const v1::Region& region : partition.regions()) region_ids.push_back(region.id());
  const int m_region = add_column(table, l, "region", {"Regio", "Region"}, "",
                                  {"De regio van de gemeente (leeg: geen).", "The municipality's region (empty: none)."},
                                  region_ids);
  const std::vector<int> m_index = add_index_columns(table, years, l);
  const int m_level = add_column(table, l, "level", {"Niveau", "Level"}, "z (SD units)",
                                 {"De index van het laatste jaar.", "The index of the latest year."});
  const int m_trend = add_column(table, l, "trend", {"Trend", "Trend"}, "z per year",
                                 {"Trend van de jaarlijkse index.", "Trend of the yearly index."});
  const int m_position = add_column(table, l, "position", {"Positie", "Position"}, "",
                                    {"hoog als het niveau >= de landelijke mediaan, anders laag.",
                                     "high when level >= the national median, else low."},
                                    position_names());
  const int m_class = add_column(table, l, "trend_class", {"Trendklasse", "Trend class"}, "",
                                 {"Trend ten opzichte van de landelijke mediane trend, met trend_threshold.",
                                  "Trend against the national median trend, with trend_threshold."},
                                 trend_class_names());
  std::map<int, int> m_theme;
  for (int theme : themes) {
    const v1::Theme t = static_cast<v1::Theme>(theme);
    m_theme[theme] = add_column(table, l, "theme_" + theme_name(t),
                                {"Thema " + theme_label(t, Language::kDutch), "Theme " + theme_label(t, Language::kEnglish)},
                                "z (SD units)",
                                {"Themascore van het laatste jaar.", "Theme score of the latest year."});
  }
  const int m_missing = add_column(table, l, "n_missing", {"Ontbrekende waarden", "Missing values"}, "count",
                                   {"Ontbrekende waarden brede welvaart van deze gemeente over alle jaren.",
                                    "Broad-well-being values missing for this municipality over all years."});
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    const v1::Municipality& municipality = index.municipality_at(i);
    v1::IndicatorRow& row = add_row(table, municipality.code(), municipality.name());
    if (membership[i] != kUnassigned) row.set_values(m_region, static_cast<double>(membership[i]));
    for (std::size_t t = 0; t < years.size(); ++t) row.set_values(m_index[t], s.index[t][i]);
    row.set_values(m_level, s.index.back()[i]);
    row.set_values(m_trend, m.municipal_trend[i]);
    row.set_values(m_position, position(s.index.back()[i], m.level));
    row.set_values(m_class, trend_class(m.municipal_trend[i], m.trend, trend_threshold));
    for (int theme : themes) row.set_values(m_theme[theme], s.theme.at(theme).back()[i]);
    row.set_values(m_missing, static_cast<double>(missing_count[i]));
  }
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

// BroadWellbeing::run in the order of DOMAIN.md §6: the indicators and the years with
// values, the signed z-scores, the theme scores and the index, the national medians,
// then the region and municipality tables.
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
  Expected<AreaValues> values = AreaValues::read(*index_);
  if (!values) return values.status();
  const std::size_t n = index_->municipality_count();
  const Indicators indicators = broad_wellbeing_indicators(index_->dataset());
  if (indicators.positions.empty()) {
    return failed_precondition("no area indicator is marked broad_wellbeing; the index needs at least one");
  }
  const std::vector<std::size_t> year_positions = years_with_values(*values, indicators, n);
  for (std::size_t y : year_positions) years_.push_back(values->years()[y]);
  if (years_.empty()) {
    return failed_precondition("the dataset has no value of any broad-well-being indicator");
  }
  if (years_.size() < 2) {
    warnings_.push_back(Bilingual{"waarden voor maar één jaar (" + std::to_string(years_[0]) +
                                      "): geen trend, trend en trend_class zijn NaN",
                                  "values for one year only (" + std::to_string(years_[0]) +
                                      "): no trend, trend and trend_class are NaN"}
                            .in(parameters_.language));
  }

  const ThemeSums sums = standardise(*index_, *values, indicators, year_positions, years_,
                                     parameters_.standardisation, parameters_.language, warnings_);
  const Scores s = scores(sums, indicators.themes, years_.size(), n);
  const Medians m = medians(s, years_, parameters_.trend);
  fill_region_table(regions_, *index_, *partition_, *membership, years_, indicators.themes, s, m, sums.missing,
                    parameters_);
  fill_municipality_table(municipalities_, *index_, *partition_, *membership, years_, indicators.themes, s, m,
                          sums.missing, parameters_.trend_threshold, parameters_.language);
  const std::vector<std::string> missing_population = municipalities_without_population(*index_);
  if (!missing_population.empty()) {
    warnings_.push_back(std::to_string(missing_population.size()) +
                        text_in(parameters_.language,
                                " gemeenten hebben 0 of geen inwoners, dus hun regio's en de landelijke rij zijn "
                                "ongewogen (population_weighted = 0): ",
                                " municipalities have population 0 or missing, so their regions and the national "
                                "row are unweighted (population_weighted = 0): ") +
                        join_limited(missing_population, kListed, parameters_.language));
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
