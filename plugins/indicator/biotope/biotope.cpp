#include "biotope.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "area_values.hpp"
#include "bre/partition.hpp"
#include "indicator_table.hpp"
#include "weighted_statistics.hpp"

namespace bre::indicator {
namespace {

constexpr std::size_t kListed = 10;  // municipalities named in one warning

// The values of one year, and the dataset whose indicators they are.
struct Slice {
  const AreaValues* values;
  std::size_t year;
  const v1::Dataset* dataset;

  // Summary of indicator `j` over `members` with their weights, skipping missing values.
  WeightedSummary summarise(std::size_t j, const std::vector<std::size_t>& members,
                            const MemberWeights& weights) const {
    std::vector<WeightedValue> present;
    present.reserve(members.size());
    for (std::size_t p = 0; p < members.size(); ++p) {
      const double x = values->value(j, year, members[p]);
      if (!std::isnan(x)) present.push_back({x, weights.weights[p]});
    }
    return bre::indicator::summarise(present);
  }
};

// The municipalities of each region, of the nation and of any region, with the
// population weights each statistic uses.
struct Grouping {
  std::vector<std::vector<std::size_t>> members;  // per region
  std::vector<std::size_t> everyone;
  std::vector<std::size_t> assigned;
  std::vector<MemberWeights> region_weights;
  MemberWeights national_weights;
  // The national weights of `assigned`: the spread table decomposes one weighted
  // variance, so it needs one weighting for all regions.
  MemberWeights assigned_weights;
};

Grouping group_municipalities(const DatasetIndex& index, const Membership& membership, std::size_t regions) {
  Grouping g;
  g.members.resize(regions);
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    g.everyone.push_back(i);
    if (membership[i] != kUnassigned) {
      g.members[static_cast<std::size_t>(membership[i])].push_back(i);
      g.assigned.push_back(i);
    }
  }
  for (const auto& members : g.members) g.region_weights.push_back(population_weights(index, members));
  g.national_weights = population_weights(index, g.everyone);
  g.assigned_weights.weighted = g.national_weights.weighted;
  for (std::size_t i : g.assigned) g.assigned_weights.weights.push_back(g.national_weights.weights[i]);
  return g;
}

// Themes present, in enum order; mirrored pairs as (lower, higher) enum values. A
// mirror theme no indicator has is a warning, not a pair.
struct ThemeLayout {
  std::set<int> themes;
  std::set<std::pair<int, int>> mirrors;
};

ThemeLayout theme_layout(const v1::Dataset& dataset, Language language, std::vector<std::string>& warnings) {
  ThemeLayout layout;
  for (const v1::AreaIndicator& indicator : dataset.area_indicators()) layout.themes.insert(indicator.theme());
  for (const v1::AreaIndicator& indicator : dataset.area_indicators()) {
    const int a = indicator.theme();
    const int b = indicator.mirror_theme();
    if (b == v1::THEME_UNSPECIFIED || a == b) continue;
    if (!layout.themes.contains(b)) {
      const std::string theme = theme_label(static_cast<v1::Theme>(b), language);
      warnings.push_back(Bilingual{"indicator '" + indicator.id() + "' noemt spiegelthema " + theme +
                                       ", dat geen indicator heeft: geen spiegelvlag voor dat paar",
                                   "indicator '" + indicator.id() + "' names mirror theme " + theme +
                                       ", which no indicator has: no mirror flag for that pair"}
                             .in(language));
      continue;
    }
    layout.mirrors.insert({std::min(a, b), std::max(a, b)});
  }
  return layout;
}

struct IndicatorColumns {
  int mean, minimum, maximum, cv, count;
};

struct BiotopeColumns {
  int members, weighted;
  std::vector<IndicatorColumns> indicators;  // per area indicator
  std::map<int, int> themes;                 // theme -> its score column
  std::vector<std::pair<std::pair<int, int>, int>> mirrors;  // mirrored pair -> its flag column
};

BiotopeColumns add_biotope_columns(v1::IndicatorTable& table, const v1::Partition& partition,
                                   const v1::Dataset& dataset, const ThemeLayout& layout, int year, Language l) {
  table.set_name("biotope");
  table.set_partition_name(partition.name());
  BiotopeColumns c;
  c.members = add_column(table, l, "n_municipalities", {"Gemeenten", "Municipalities"}, "count",
                         {"Gemeenten in de regio (landelijke rij: in de dataset).",
                          "Municipalities in the region (national row: in the dataset)."});
  c.weighted = add_column(table, l, "population_weighted", {"Naar inwoners gewogen", "Population-weighted"},
                          "1 = yes, 0 = no",
                          {"1 als elke gemeente meer dan 0 inwoners heeft en de statistieken van de rij naar inwoners "
                           "gewogen zijn; 0 als een gemeente 0 of geen inwonertal heeft en de rij ongewogen is "
                           "(DOMAIN.md §4).",
                           "1 when every member has a population > 0 and the row's statistics are "
                           "population-weighted; 0 when some member's population is 0 or missing and the "
                           "row is unweighted (DOMAIN.md §4)."});
  for (const v1::AreaIndicator& indicator : dataset.area_indicators()) {
    const std::string& id = indicator.id();
    const std::string& unit = indicator.unit();
    const std::string& name = indicator.name();
    const Bilingual about{name + " (" + theme_label(indicator.theme(), Language::kDutch) + ", " + std::to_string(year) + ")",
                          name + " (" + theme_label(indicator.theme(), Language::kEnglish) + ", " +
                              std::to_string(year) + ")"};
    IndicatorColumns i;
    i.mean = add_column(table, l, id + "_mean", {name + ": gemiddelde", name + ": mean"}, unit,
                        {"Naar inwoners gewogen gemiddelde over de gemeenten met een waarde van " + about.nl +
                             "; landelijke rij: de landelijke referentie (DOMAIN.md §4).",
                         "Population-weighted mean over the members with a value of " + about.en +
                             "; national row: the national reference (DOMAIN.md §4)."});
    i.minimum = add_column(table, l, id + "_min", {name + ": minimum", name + ": minimum"}, unit,
                           {"Laagste waarde van een gemeente van " + about.nl + ".",
                            "Lowest member value of " + about.en + "."});
    i.maximum = add_column(table, l, id + "_max", {name + ": maximum", name + ": maximum"}, unit,
                           {"Hoogste waarde van een gemeente van " + about.nl + ".",
                            "Highest member value of " + about.en + "."});
    i.cv = add_column(table, l, id + "_cv", {name + ": variatiecoëfficiënt", name + ": coefficient of variation"},
                      "ratio",
                      {"Naar inwoners gewogen SD / |gemiddelde| over de gemeenten met een waarde van " + about.nl +
                           "; 0 bij één gemeente; NaN als het gemiddelde 0 is.",
                       "Population-weighted SD / |mean| over the members with a value of " + about.en +
                           "; 0 for one member; NaN when the mean is 0."});
    i.count = add_column(table, l, id + "_n", {name + ": gemeenten met een waarde", name + ": municipalities with a value"},
                         "count",
                         {"Gemeenten met een waarde van " + about.nl + "; de andere tellen niet mee en worden niet "
                          "geschat.",
                          "Members with a value of " + about.en + "; the others are left out, not imputed."});
    c.indicators.push_back(i);
  }
  for (int theme : layout.themes) {
    const std::string name = theme_name(static_cast<v1::Theme>(theme));
    const v1::Theme t = static_cast<v1::Theme>(theme);
    c.themes[theme] = add_column(
        table, l, "theme_" + name,
        {"Themascore: " + theme_label(t, Language::kDutch), "Theme score: " + theme_label(t, Language::kEnglish)},
        "national SD",
        {"Gemiddelde over de indicatoren van het thema van (regiogemiddelde - landelijk gemiddelde) / landelijke SD, "
         "met het teken zo dat hoger beter is (DOMAIN.md §4).",
         "Mean over the theme's indicators of (region mean - national mean) / national SD, signed so that higher is "
         "better (DOMAIN.md §4)."});
  }
  for (const auto& pair : layout.mirrors) {
    const std::string a = theme_name(static_cast<v1::Theme>(pair.first));
    const std::string b = theme_name(static_cast<v1::Theme>(pair.second));
    const auto label = [&](Language in) {
      return std::pair{theme_label(static_cast<v1::Theme>(pair.first), in),
                       theme_label(static_cast<v1::Theme>(pair.second), in)};
    };
    const auto [a_nl, b_nl] = label(Language::kDutch);
    const auto [a_en, b_en] = label(Language::kEnglish);
    c.mirrors.push_back(
        {pair, add_column(table, l, "mirror_" + a + "_" + b,
                          {"Gespiegelde thema's " + a_nl + " / " + b_nl, "Mirrored themes " + a_en + " / " + b_en}, "",
                          {"Of de themascores " + a_nl + " en " + b_nl +
                               " gespiegeld zijn: de ene >= +mirror_threshold en de andere <= -mirror_threshold "
                               "(DOMAIN.md §4).",
                           "Whether theme scores " + a_en + " and " + b_en +
                               " are mirrored: one >= +mirror_threshold and the other <= -mirror_threshold "
                               "(DOMAIN.md §4)."},
                          {"none", a + " high, " + b + " low", a + " low, " + b + " high"})});
  }
  return c;
}

// One row of the biotope table: each indicator's statistics over `members`, the theme
// scores standardised against the national reference, and the mirror flags.
void fill_biotope_row(v1::IndicatorRow& row, const BiotopeColumns& c, const Slice& slice,
                      const std::vector<std::size_t>& members, const MemberWeights& weights,
                      const std::vector<WeightedSummary>& national, double mirror_threshold) {
  row.set_values(c.members, static_cast<double>(members.size()));
  row.set_values(c.weighted, weights.weighted ? 1.0 : 0.0);
  std::map<int, std::pair<double, int>> theme_sums;  // theme -> (sum of z, count)
  for (std::size_t j = 0; j < c.indicators.size(); ++j) {
    const WeightedSummary s = slice.summarise(j, members, weights);
    const IndicatorColumns& i = c.indicators[j];
    row.set_values(i.mean, s.mean);
    row.set_values(i.minimum, s.minimum);
    row.set_values(i.maximum, s.maximum);
    row.set_values(i.cv, s.cv);
    row.set_values(i.count, static_cast<double>(s.count));
    const v1::AreaIndicator& indicator = slice.dataset->area_indicators(static_cast<int>(j));
    // Neutral indicators are signed as measured: a theme score says "higher", not "better".
    const double sign = indicator.direction() == v1::DIRECTION_LOWER_IS_BETTER ? -1.0 : 1.0;
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
    row.set_values(c.themes.at(theme), scores[theme]);
  }
  for (const auto& [pair, column] : c.mirrors) {
    const double a = scores[pair.first];
    const double b = scores[pair.second];
    if (!std::isfinite(a) || !std::isfinite(b)) continue;
    const double t = mirror_threshold;
    row.set_values(column, a >= t && b <= -t ? 1.0 : a <= -t && b >= t ? 2.0 : 0.0);
  }
}

struct SpreadColumns {
  int theme, weighted, n, mean, sd, cv, within, between, share, region_cv, low, high;
};

SpreadColumns add_spread_columns(v1::IndicatorTable& spread, const v1::Partition& partition, Language l) {
  spread.set_name("biotope_spread");
  spread.set_partition_name(partition.name());
  SpreadColumns c;
  c.theme = add_column(spread, l, "theme", {"Thema", "Theme"}, "",
                       {"Het thema van de indicator (DOMAIN.md §4).", "The indicator's theme (DOMAIN.md §4)."}, [] {
                         std::vector<std::string> names;
                         for (int t = v1::Theme_MIN; t <= v1::Theme_MAX; ++t) {
                           names.push_back(theme_name(static_cast<v1::Theme>(t)));
                         }
                         return names;
                       }());
  c.weighted = add_column(spread, l, "population_weighted", {"Naar inwoners gewogen", "Population-weighted"},
                          "1 = yes, 0 = no",
                          {"1 als elke gemeente meer dan 0 inwoners heeft en de rij daarnaar gewogen is.",
                           "1 when every municipality has a population > 0 and the row is weighted by it."});
  c.n = add_column(spread, l, "n_values", {"Gemeenten met een waarde", "Municipalities with a value"}, "count",
                   {"Gemeenten van de dataset met een waarde voor het jaar.",
                    "Municipalities of the dataset with a value for the year."});
  c.mean = add_column(spread, l, "national_mean", {"Landelijk gemiddelde", "National mean"}, "indicator unit",
                      {"Gemiddelde over alle gemeenten met een waarde: de landelijke referentie.",
                       "Mean over all municipalities with a value: the national reference."});
  c.sd = add_column(spread, l, "national_sd", {"Landelijke SD", "National SD"}, "indicator unit",
                    {"SD over alle gemeenten met een waarde.", "SD over all municipalities with a value."});
  c.cv = add_column(spread, l, "national_cv", {"Landelijke variatiecoëfficiënt", "National CV"}, "ratio",
                    {"national_sd / |national_mean|.", "national_sd / |national_mean|."});
  c.within = add_column(spread, l, "within_region_sd", {"SD binnen regio's", "Within-region SD"}, "indicator unit",
                        {"sqrt(sum_B sum_i w_i (x_i - m_B)^2 / W) over gemeenten in een regio: de spreiding binnen "
                         "de regio's (DOMAIN.md §4).",
                         "sqrt(sum_B sum_i w_i (x_i - m_B)^2 / W) over municipalities in a region: the "
                         "spread inside the regions (DOMAIN.md §4)."});
  c.between = add_column(spread, l, "between_region_sd", {"SD tussen regio's", "Between-region SD"}, "indicator unit",
                         {"sqrt(sum_B W_B (m_B - m)^2 / W): de spreiding van de regiogemiddelden.",
                          "sqrt(sum_B W_B (m_B - m)^2 / W): the spread of the region means."});
  c.share = add_column(spread, l, "between_share",
                       {"Aandeel van de variantie tussen regio's", "Between-region share of variance"}, "share (0-1)",
                       {"variantie tussen / (variantie binnen + tussen); NaN zonder variantie.",
                        "between variance / (within + between variance); NaN without variance."});
  c.region_cv = add_column(spread, l, "mean_region_cv",
                           {"Gemiddelde variatiecoëfficiënt binnen regio's", "Mean within-region CV"}, "ratio",
                           {"Ongewogen gemiddelde van de variatiecoëfficiënten van de regio's.",
                            "Unweighted mean of the regions' coefficients of variation."});
  c.low = add_column(spread, l, "region_mean_min", {"Laagste regiogemiddelde", "Lowest region mean"},
                     "indicator unit", {"Het laagste regiogemiddelde.", "The lowest region mean."});
  c.high = add_column(spread, l, "region_mean_max", {"Hoogste regiogemiddelde", "Highest region mean"},
                      "indicator unit", {"Het hoogste regiogemiddelde.", "The highest region mean."});
  return c;
}

// The spread table: per indicator, the national reference and the decomposition of
// its variance over the regions' municipalities into within and between regions.
void fill_spread_table(v1::IndicatorTable& spread, const v1::Partition& partition, const Slice& slice,
                       const Grouping& g, const std::vector<WeightedSummary>& national, Language language) {
  const SpreadColumns c = add_spread_columns(spread, partition, language);
  for (std::size_t j = 0; j < national.size(); ++j) {
    const v1::AreaIndicator& indicator = slice.dataset->area_indicators(static_cast<int>(j));
    v1::IndicatorRow& row = add_row(spread, indicator.id(), indicator.name());
    row.set_values(c.theme, static_cast<double>(indicator.theme() - v1::Theme_MIN));
    row.set_values(c.weighted, g.national_weights.weighted ? 1.0 : 0.0);
    row.set_values(c.n, static_cast<double>(national[j].count));
    row.set_values(c.mean, national[j].mean);
    row.set_values(c.sd, national[j].sd);
    row.set_values(c.cv, national[j].cv);
    const WeightedSummary pooled = slice.summarise(j, g.assigned, g.assigned_weights);
    double within = 0.0, between = 0.0, region_cv_sum = 0.0;
    double low = kNaN, high = kNaN;
    int region_cvs = 0;
    for (std::size_t b = 0; b < g.members.size(); ++b) {
      MemberWeights weights;
      weights.weighted = g.national_weights.weighted;
      for (std::size_t m : g.members[b]) weights.weights.push_back(g.national_weights.weights[m]);
      const WeightedSummary s = slice.summarise(j, g.members[b], weights);
      if (s.count == 0) continue;
      within += s.sd * s.sd * s.total_weight;
      between += s.total_weight * (s.mean - pooled.mean) * (s.mean - pooled.mean);
      // The region's own CV (its own weighting), as the biotope table shows it.
      const WeightedSummary own = slice.summarise(j, g.members[b], g.region_weights[b]);
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
      row.set_values(c.within, std::sqrt(within));
      row.set_values(c.between, std::sqrt(between));
      row.set_values(c.share, ratio_or_nan(between, within + between));
    }
    row.set_values(c.region_cv, region_cvs > 0 ? region_cv_sum / region_cvs : kNaN);
    row.set_values(c.low, low);
    row.set_values(c.high, high);
  }
}

// Values missing for the year are left out, never imputed, and said; so is a missing
// population, which makes the rows that hold it unweighted.
void warn_about_missing_data(const DatasetIndex& index, const Slice& slice, int year, Language language,
                             std::vector<std::string>& warnings) {
  const std::size_t n = index.municipality_count();
  for (std::size_t j = 0; j < static_cast<std::size_t>(slice.dataset->area_indicators_size()); ++j) {
    std::vector<std::string> missing;
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(slice.values->value(j, slice.year, i))) {
        missing.push_back(municipality_label(index.municipality_at(i)));
      }
    }
    if (missing.empty()) continue;
    const std::string id = slice.dataset->area_indicators(static_cast<int>(j)).id();
    const std::string counts = std::to_string(missing.size()) + text_in(language, " van ", " of ") + std::to_string(n);
    warnings.push_back(Bilingual{"indicator '" + id + "' heeft geen waarde voor " + std::to_string(year) + " bij " +
                                     counts + " gemeenten; die tellen niet mee in de statistieken (niet geschat): ",
                                 "indicator '" + id + "' has no " + std::to_string(year) + " value for " + counts +
                                     " municipalities, left out of its statistics (not imputed): "}
                           .in(language) +
                       join_limited(missing, kListed, language));
  }
  const std::vector<std::string> missing_population = municipalities_without_population(index);
  if (!missing_population.empty()) {
    warnings.push_back(std::to_string(missing_population.size()) +
                       text_in(language,
                               " gemeenten hebben 0 of geen inwoners, dus de rijen van hun regio's, de landelijke rij "
                               "en de spreidingstabel zijn ongewogen (population_weighted = 0): ",
                               " municipalities have population 0 or missing, so the rows of their regions, the "
                               "national row and the spread table are unweighted (population_weighted = 0): ") +
                       join_limited(missing_population, kListed, language));
  }
}

}  // namespace

Biotope::Biotope(const DatasetIndex& index, const v1::Partition& partition, BiotopeParameters parameters)
    : AlgorithmBase("Biotope"), index_(&index), partition_(&partition), parameters_(parameters) {}

// Biotope::run in the order of DOMAIN.md §4: the year, the regions' members and their
// weights, the themes, the national reference, one row per region and the nation, and
// the spread of each indicator within and between the regions.
Status Biotope::run() {
  set_has_run(false);
  table_.Clear();
  spread_.Clear();
  warnings_.clear();
  BRE_RETURN_IF_ERROR(check_parameters());
  if (partition_->regions_size() == 0) {
    return failed_precondition("partition '" + partition_->name() + "' has no regions");
  }
  Expected<Membership> membership = membership_of(*index_, *partition_);
  if (!membership) return membership.status().with_context("partition '" + partition_->name() + "'");
  Expected<AreaValues> values = AreaValues::read(*index_);
  if (!values) return values.status();
  Expected<std::size_t> year = select_year(*values);
  if (!year) return year.status();

  const v1::Dataset& dataset = index_->dataset();
  const Grouping grouping =
      group_municipalities(*index_, *membership, static_cast<std::size_t>(partition_->regions_size()));
  const Language language = parameters_.language;
  const ThemeLayout layout = theme_layout(dataset, language, warnings_);
  const BiotopeColumns columns = add_biotope_columns(table_, *partition_, dataset, layout, year_, language);
  // National reference first: the theme scores standardise against it.
  const Slice slice{&*values, *year, &dataset};
  std::vector<WeightedSummary> national(static_cast<std::size_t>(dataset.area_indicators_size()));
  for (std::size_t j = 0; j < national.size(); ++j) {
    national[j] = slice.summarise(j, grouping.everyone, grouping.national_weights);
  }
  for (std::size_t b = 0; b < grouping.members.size(); ++b) {
    const v1::Region& region = partition_->regions(static_cast<int>(b));
    fill_biotope_row(add_row(table_, region.id(), region.name()), columns, slice, grouping.members[b],
                     grouping.region_weights[b], national, parameters_.mirror_threshold);
  }
  fill_biotope_row(add_row(table_, "NL", "Nederland", true), columns, slice, grouping.everyone,
                   grouping.national_weights, national, parameters_.mirror_threshold);
  fill_spread_table(spread_, *partition_, slice, grouping, national, language);
  warn_about_missing_data(*index_, slice, year_, language, warnings_);
  set_has_run(true);
  return Status::ok();
}

Status Biotope::check_parameters() const {
  if (parameters_.year < 0) {
    return invalid_argument("parameter 'year': expected a year >= 0 (0 = latest), found " +
                            std::to_string(parameters_.year));
  }
  if (!(parameters_.mirror_threshold > 0.0) || !std::isfinite(parameters_.mirror_threshold)) {
    return invalid_argument("parameter 'mirror_threshold': expected a finite number > 0, found " +
                            std::to_string(parameters_.mirror_threshold));
  }
  return Status::ok();
}

Expected<std::size_t> Biotope::select_year(const AreaValues& values) {
  if (values.years().empty()) {
    return failed_precondition("the dataset has no area indicator values; the biotope needs at least one");
  }
  year_ = parameters_.year == 0 ? values.years().back() : parameters_.year;
  const std::optional<std::size_t> position = values.year_position(year_);
  if (!position) {
    std::string present;
    for (int y : values.years()) present += (present.empty() ? "" : ", ") + std::to_string(y);
    return invalid_argument("parameter 'year': the dataset has no area indicator values for " +
                            std::to_string(year_) + "; years present: " + present);
  }
  return *position;
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
