#include "scale_scores.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "bre/plugin_helpers.hpp"
#include "bre/random.hpp"

namespace bre::legitimacy {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The dimensions of DOMAIN.md §7 in enum order; region rows and seeds follow it.
constexpr std::array<v1::LegitimacyDimension, 5> kDimensions = {
    v1::LEGITIMACY_DIMENSION_FUNDAMENTAL, v1::LEGITIMACY_DIMENSION_INPUT,
    v1::LEGITIMACY_DIMENSION_THROUGHPUT, v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS,
    v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS};

std::optional<std::size_t> dimension_slot(v1::LegitimacyDimension dimension) {
  for (std::size_t d = 0; d < kDimensions.size(); ++d) {
    if (kDimensions[d] == dimension) return d;
  }
  return std::nullopt;
}

std::string dimension_label(v1::LegitimacyDimension dimension, Language language) {
  switch (dimension) {
    case v1::LEGITIMACY_DIMENSION_FUNDAMENTAL:
      return text_in(language, "Fundamentele legitimiteit", "Fundamental legitimacy");
    case v1::LEGITIMACY_DIMENSION_INPUT: return text_in(language, "Inputlegitimiteit", "Input legitimacy");
    case v1::LEGITIMACY_DIMENSION_THROUGHPUT:
      return text_in(language, "Throughputlegitimiteit", "Throughput legitimacy");
    case v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS:
      return text_in(language, "Outputlegitimiteit (eigen ambities)", "Output legitimacy (own ambitions)");
    case v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS:
      return text_in(language, "Outputlegitimiteit (t.o.v. buurregio's)", "Output legitimacy (vs. neighbours)");
    default: return text_in(language, "Onbekende dimensie", "Unspecified dimension");
  }
}

double mean_of(std::span<const double> values) {
  if (values.empty()) return kNaN;
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

// Upper tails; Boost.Math throws on arguments outside its domain, so those are
// screened first and anything unexpected still becomes NaN rather than an exception.
double fisher_upper_tail(double df1, double df2, double f) {
  if (!(df1 > 0.0) || !(df2 > 0.0) || std::isnan(f) || f < 0.0) return kNaN;
  if (std::isinf(f)) return 0.0;
  try {
    return boost::math::cdf(boost::math::complement(boost::math::fisher_f(df1, df2), f));
  } catch (const std::exception&) {
    return kNaN;
  }
}

double chi_squared_upper_tail(double df, double x) {
  if (!(df > 0.0) || std::isnan(x) || x < 0.0) return kNaN;
  if (std::isinf(x)) return 0.0;
  try {
    return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), x));
  } catch (const std::exception&) {
    return kNaN;
  }
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

// format() in the language's notation: a decimal comma in Dutch.
std::string format(Language language, const char* pattern, double value) {
  return decimal_notation(language, format(pattern, value));
}

std::string p_text(double p, Language language) {
  if (std::isnan(p)) return text_in(language, "p = n.v.t.", "p = n/a");
  if (p < 0.001) return "p < " + format(language, "%.3f", 0.001);
  return "p = " + format(language, "%.3f", p);
}

// The output gap (DOMAIN.md §7) per respondent, per region and over all regions.
void add_output_gaps(const v1::Dataset& dataset, const v1::Partition& partition,
                     const std::vector<std::int32_t>& region_of, const std::vector<std::array<double, 5>>& scores,
                     const std::array<std::size_t, 5>& items_per_dimension, const RegionOrder& order,
                     const ScaleScoreOptions& options, v1::LegitimacyResult& result);

v1::LegitimacyCorrelation correlation_row(v1::LegitimacyDimension dimension, const v1::IndicatorTable& table,
                                          const ScaleScoreOptions& options, const std::vector<double>& means,
                                          const std::vector<double>& values);

}  // namespace

double sample_sd(std::span<const double> values) {
  if (values.size() < 2) return kNaN;
  const double mean = mean_of(values);
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double quantile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const double floor_h = std::floor(h);
  const auto lo = static_cast<std::size_t>(floor_h);
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - floor_h) * (sorted[lo + 1] - sorted[lo]);
}

Interval bootstrap_mean_interval(std::span<const double> values, int samples, double confidence,
                                 std::uint64_t seed) {
  if (values.empty() || samples < 1) return {kNaN, kNaN};
  SplitMix64 rng(seed);
  const std::uint64_t n = values.size();
  std::vector<double> means(static_cast<std::size_t>(samples));
  for (double& mean : means) {
    double sum = 0.0;
    for (std::uint64_t draw = 0; draw < n; ++draw) sum += values[rng.below(n)];
    mean = sum / static_cast<double>(n);
  }
  std::sort(means.begin(), means.end());
  const double tail = (1.0 - confidence) / 2.0;
  return {quantile_sorted(means, tail), quantile_sorted(means, 1.0 - tail)};
}

double cronbach_alpha(const std::vector<std::vector<double>>& rows) {
  if (rows.size() < 2) return kNaN;
  const std::size_t k = rows.front().size();
  if (k < 2) return kNaN;
  for (const auto& row : rows) {
    if (row.size() != k) return kNaN;
  }
  std::vector<double> column(rows.size());
  double item_variances = 0.0;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t r = 0; r < rows.size(); ++r) column[r] = rows[r][i];
    const double sd = sample_sd(column);
    item_variances += sd * sd;
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    double total = 0.0;
    for (double v : rows[r]) total += v;
    column[r] = total;
  }
  const double total_sd = sample_sd(column);
  const double total_variance = total_sd * total_sd;
  if (!(total_variance > 0.0)) return kNaN;
  const double kd = static_cast<double>(k);
  return kd / (kd - 1.0) * (1.0 - item_variances / total_variance);
}

AnovaResult one_way_anova(const std::vector<std::vector<double>>& groups) {
  AnovaResult result{kNaN, kNaN, kNaN, kNaN, kNaN};
  std::size_t k = 0;
  std::size_t n = 0;
  double sum = 0.0;
  for (const auto& group : groups) {
    if (group.empty()) continue;
    ++k;
    n += group.size();
    for (double v : group) sum += v;
  }
  if (k == 0) return result;
  result.df_between = static_cast<double>(k) - 1.0;
  result.df_within = static_cast<double>(n) - static_cast<double>(k);
  if (k < 2 || n <= k) return result;
  const double grand = sum / static_cast<double>(n);
  double between = 0.0;
  double within = 0.0;
  for (const auto& group : groups) {
    if (group.empty()) continue;
    const double mean = mean_of(group);
    between += static_cast<double>(group.size()) * (mean - grand) * (mean - grand);
    for (double v : group) within += (v - mean) * (v - mean);
  }
  const double total = between + within;
  result.eta_squared = total > 0.0 ? between / total : kNaN;
  if (within > 0.0) {
    result.f = (between / result.df_between) / (within / result.df_within);
    result.p = fisher_upper_tail(result.df_between, result.df_within, result.f);
  } else if (between > 0.0) {
    result.f = std::numeric_limits<double>::infinity();
    result.p = 0.0;
  }
  return result;
}

KruskalWallisResult kruskal_wallis(const std::vector<std::vector<double>>& groups) {
  KruskalWallisResult result{kNaN, kNaN, kNaN, kNaN};
  struct Observation {
    double value;
    std::size_t group;
  };
  std::vector<Observation> observations;
  std::size_t k = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].empty()) continue;
    ++k;
    for (double v : groups[g]) observations.push_back({v, g});
  }
  if (k == 0) return result;
  result.df = static_cast<double>(k) - 1.0;
  const std::size_t n = observations.size();
  if (k < 2 || n < 2) return result;
  std::sort(observations.begin(), observations.end(),
            [](const Observation& a, const Observation& b) { return a.value < b.value; });

  // Rank sums per group with mid-ranks for ties; ranks are exact halves, so the sums
  // do not depend on the order of tied observations.
  std::vector<double> rank_sum(groups.size(), 0.0);
  double tie_term = 0.0;
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin;
    while (end < n && observations[end].value == observations[begin].value) ++end;
    const double mid_rank = (static_cast<double>(begin + 1) + static_cast<double>(end)) / 2.0;
    for (std::size_t i = begin; i < end; ++i) rank_sum[observations[i].group] += mid_rank;
    const double t = static_cast<double>(end - begin);
    tie_term += t * t * t - t;
    begin = end;
  }
  const double nd = static_cast<double>(n);
  const double correction = 1.0 - tie_term / (nd * nd * nd - nd);
  if (!(correction > 0.0)) return result;
  double sum = 0.0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].empty()) continue;
    sum += rank_sum[g] * rank_sum[g] / static_cast<double>(groups[g].size());
  }
  double h = (12.0 / (nd * (nd + 1.0)) * sum - 3.0 * (nd + 1.0)) / correction;
  if (h < 0.0) h = 0.0;  // rounding when all groups have the same mean rank
  result.h = h;
  result.p = chi_squared_upper_tail(result.df, h);
  result.epsilon_squared = h / (nd - 1.0);
  return result;
}

const char* effect_size_label(double explained_share) {
  if (std::isnan(explained_share)) return "n/a";
  if (explained_share < 0.01) return "negligible";
  if (explained_share < 0.06) return "small";
  if (explained_share < 0.14) return "medium";
  return "large";
}

// effect_size_label() for a sentence in `language`.
std::string effect_size_words(double explained_share, Language language) {
  const std::string code = effect_size_label(explained_share);
  if (language == Language::kEnglish) return code;
  if (code == "negligible") return "verwaarloosbaar";
  if (code == "small") return "klein";
  if (code == "medium") return "middelgroot";
  if (code == "large") return "groot";
  return "n.v.t.";
}

std::vector<double> mid_ranks(std::span<const double> values) {
  const std::size_t n = values.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(n);
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin;
    while (end < n && values[order[end]] == values[order[begin]]) ++end;
    const double mid_rank = (static_cast<double>(begin + 1) + static_cast<double>(end)) / 2.0;
    for (std::size_t i = begin; i < end; ++i) ranks[order[i]] = mid_rank;
    begin = end;
  }
  return ranks;
}

SpearmanResult spearman(std::span<const double> x, std::span<const double> y) {
  SpearmanResult result{x.size(), kNaN, kNaN, false};
  if (x.size() != y.size() || x.size() < 2) return result;
  const std::size_t n = x.size();
  // Centred mid-ranks are multiples of 0.5 around a multiple of 0.5, so the sums of
  // products below are exact in double and tied permutations compare equal.
  const double centre = (static_cast<double>(n) + 1.0) / 2.0;
  std::vector<double> rx = mid_ranks(x);
  std::vector<double> ry = mid_ranks(y);
  double sxx = 0.0;
  double syy = 0.0;
  double sxy = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    rx[i] -= centre;
    ry[i] -= centre;
    sxx += rx[i] * rx[i];
    syy += ry[i] * ry[i];
    sxy += rx[i] * ry[i];
  }
  if (!(sxx > 0.0) || !(syy > 0.0)) return result;
  const double scale = std::sqrt(sxx * syy);
  result.rho = sxy / scale;
  if (n < 3) return result;
  if (n <= kSpearmanExactMaxN) {
    result.exact = true;
    std::vector<std::size_t> pairing(n);
    std::iota(pairing.begin(), pairing.end(), std::size_t{0});
    std::uint64_t at_least = 0;
    std::uint64_t at_most = 0;
    std::uint64_t total = 0;
    constexpr double kTieTolerance = 1e-12;
    do {
      double products = 0.0;
      for (std::size_t i = 0; i < n; ++i) products += rx[i] * ry[pairing[i]];
      const double rho = products / scale;
      at_least += rho >= result.rho - kTieTolerance ? 1 : 0;
      at_most += rho <= result.rho + kTieTolerance ? 1 : 0;
      ++total;
    } while (std::next_permutation(pairing.begin(), pairing.end()));
    const double tail = static_cast<double>(std::min(at_least, at_most)) / static_cast<double>(total);
    result.p = std::min(1.0, 2.0 * tail);
    return result;
  }
  const double df = static_cast<double>(n) - 2.0;
  const double one_minus = (1.0 - result.rho) * (1.0 + result.rho);
  if (!(one_minus > 0.0)) {
    result.p = 0.0;
    return result;
  }
  const double t = std::fabs(result.rho) * std::sqrt(df / one_minus);
  try {
    result.p = 2.0 * boost::math::cdf(boost::math::complement(boost::math::students_t(df), t));
  } catch (const std::exception&) {
    result.p = kNaN;
  }
  return result;
}

RegionTie tie_to_region(const DatasetIndex& index, const Membership& membership,
                        std::string_view body_code, std::int32_t region_count, double body_majority,
                        Language l) {
  RegionTie tie;
  const std::string code(body_code);
  if (code.empty()) {
    tie.reason = text_in(l, "geen code van een bestuursorgaan", "no body code");
    return tie;
  }
  if (std::optional<std::size_t> m = index.municipality(code)) {
    tie.region = membership[*m];
    if (tie.region == kUnassigned) {
      tie.reason = Bilingual{"gemeente '" + code + "' ligt in geen regio van de partitie",
                             "municipality '" + code + "' is in no region of the partition"}
                       .in(l);
    }
    return tie;
  }
  std::optional<std::size_t> b = index.body(code);
  if (!b) {
    tie.reason = Bilingual{"onbekende code van een bestuursorgaan '" + code + "'", "unknown body code '" + code + "'"}
                     .in(l);
    return tie;
  }
  const v1::Body& body = index.dataset().bodies(static_cast<int>(*b));
  std::vector<std::int64_t> counts(static_cast<std::size_t>(std::max(region_count, 0)), 0);
  std::int64_t known = 0;
  for (const std::string& municipality : body.municipality_codes()) {
    std::optional<std::size_t> m = index.municipality(municipality);
    if (!m) continue;  // validate_dataset reports unknown codes
    ++known;
    const std::int32_t r = membership[*m];
    if (r != kUnassigned && r < region_count) ++counts[static_cast<std::size_t>(r)];
  }
  if (known == 0) {
    tie.reason = Bilingual{"bestuursorgaan '" + code + "' noemt geen gemeenten om het in een regio te plaatsen",
                           "body '" + code + "' lists no municipalities to place it in a region"}
                     .in(l);
    return tie;
  }
  // With body_majority >= 0.5 at most one region can pass, so the rule does not
  // depend on the regions' ids or order.
  const auto largest = std::max_element(counts.begin(), counts.end());
  if (largest != counts.end() && static_cast<double>(*largest) > body_majority * static_cast<double>(known)) {
    tie.region = static_cast<std::int32_t>(largest - counts.begin());
    return tie;
  }
  const std::string majority = format(l, "%g", body_majority * 100.0) + "%";
  const std::string members = std::to_string(known);
  const std::string largest_count = std::to_string(largest != counts.end() ? *largest : 0);
  tie.reason = Bilingual{"geen regio heeft meer dan " + majority + " van de " + members +
                             " gemeenten van bestuursorgaan '" + code + "' (grootste aantal: " + largest_count +
                             "); niet meegeteld in de regiostatistieken",
                         "no region holds more than " + majority + " of the " + members +
                             " municipalities of body '" + code + "' (largest share: " + largest_count +
                             "); left out of the region statistics"}
                   .in(l);
  return tie;
}

RegionOrder region_order(const Membership& membership, std::size_t region_count) {
  RegionOrder order;
  const std::uint64_t n = membership.size();
  order.label.assign(region_count, 0);
  for (std::size_t g = 0; g < region_count; ++g) order.label[g] = n + 1 + g;  // empty: never drawn from
  for (std::size_t i = membership.size(); i-- > 0;) {
    if (membership[i] != kUnassigned) order.label[static_cast<std::size_t>(membership[i])] = i;
  }
  order.total_label = n;
  order.order.resize(region_count);
  for (std::size_t g = 0; g < region_count; ++g) order.order[g] = g;
  std::sort(order.order.begin(), order.order.end(),
            [&](std::size_t x, std::size_t y) { return order.label[x] < order.label[y]; });
  return order;
}

namespace {

constexpr std::size_t kDims = kDimensions.size();

Status check_options(const ScaleScoreOptions& options) {
  if (options.min_items < 1) {
    return invalid_argument("min_items: expected at least 1, found " +
                            std::to_string(options.min_items));
  }
  if (options.bootstrap_samples < 1) {
    return invalid_argument("bootstrap_samples: expected at least 1, found " +
                            std::to_string(options.bootstrap_samples));
  }
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    return invalid_argument("confidence: expected a value in (0, 1), found " +
                            format("%g", options.confidence));
  }
  if (!(options.alpha > 0.0 && options.alpha < 1.0)) {
    return invalid_argument("alpha: expected a value in (0, 1), found " +
                            format("%g", options.alpha));
  }
  if (!(options.body_majority >= 0.5 && options.body_majority < 1.0)) {
    return invalid_argument("body_majority: expected a share in [0.5, 1), found " +
                            format("%g", options.body_majority));
  }
  return Status::ok();
}

// The index of the correlation column in options.correlation_table, -1 without a table.
Expected<int> correlation_column_index(const v1::Partition& partition, const ScaleScoreOptions& options) {
  const v1::IndicatorTable* table = options.correlation_table;
  if (table == nullptr) return -1;
  if (options.correlation_min_regions < 3) {
    return invalid_argument("correlation_min_regions: expected at least 3, found " +
                            std::to_string(options.correlation_min_regions));
  }
  if (options.correlation_min_respondents < 1) {
    return invalid_argument("correlation_min_respondents: expected at least 1, found " +
                            std::to_string(options.correlation_min_respondents));
  }
  int correlation_column = -1;
  std::string columns;
  for (int c = 0; c < table->columns_size(); ++c) {
    if (table->columns(c).id() == options.correlation_column) correlation_column = c;
    columns += (columns.empty() ? "" : ", ") + table->columns(c).id();
  }
  if (correlation_column < 0) {
    return invalid_argument("correlation column: table '" + table->name() + "' has no column '" +
                            options.correlation_column + "'; its columns: " + columns);
  }
  if (table->partition_name() != partition.name()) {
    return invalid_argument("correlation table '" + table->name() + "' was computed for partition '" +
                            table->partition_name() + "', the legitimacy scores for partition '" +
                            partition.name() + "'; give both steps the same partition");
  }
  return correlation_column;
}

Status check_survey(const v1::Dataset& dataset, const v1::Partition& partition) {
  if (dataset.survey_items_size() == 0) {
    return failed_precondition("dataset '" + dataset.name() + "' has no survey items");
  }
  if (dataset.survey_responses_size() == 0) {
    return failed_precondition("dataset '" + dataset.name() + "' has no survey responses");
  }
  if (partition.regions_size() == 0) {
    return failed_precondition("partition '" + partition.name() + "' has no regions");
  }
  return Status::ok();
}

// An item's dimension slot and position within the dimension (for alpha).
struct ItemInfo {
  std::size_t slot;
  std::size_t position;
  bool reverse;
};

// The survey's items by id; an item without a legitimacy dimension maps to nullopt.
struct SurveyItems {
  std::unordered_map<std::string, std::optional<ItemInfo>> by_id;
  std::array<std::size_t, kDims> per_dimension{};
  std::int64_t ignored = 0;
};

Expected<SurveyItems> survey_items(const v1::Dataset& dataset) {
  SurveyItems items;
  for (int i = 0; i < dataset.survey_items_size(); ++i) {
    const v1::SurveyItem& item = dataset.survey_items(i);
    if (items.by_id.count(item.id()) != 0) {
      return invalid_argument("survey_items[" + std::to_string(i) + "]: duplicate item id '" +
                              item.id() + "'");
    }
    std::optional<std::size_t> slot = dimension_slot(item.dimension());
    if (!slot) {
      ++items.ignored;
      items.by_id.emplace(item.id(), std::nullopt);
      continue;
    }
    items.by_id.emplace(item.id(), ItemInfo{*slot, items.per_dimension[*slot]++, item.reverse_coded()});
  }
  return items;
}

// One respondent's item scores per dimension, NaN = not answered; a reverse-coded
// item scores 6 - answer.
using ItemScores = std::array<std::vector<double>, kDims>;

Expected<ItemScores> item_scores_of(const v1::SurveyResponse& response, std::size_t r, const SurveyItems& items) {
  const std::string where = "survey_responses[" + std::to_string(r) + "] (respondent '" +
                            response.respondent_id() + "')";
  ItemScores item_scores;
  std::array<std::vector<bool>, kDims> seen;
  for (std::size_t d = 0; d < kDims; ++d) {
    item_scores[d].assign(items.per_dimension[d], kNaN);
    seen[d].assign(items.per_dimension[d], false);
  }
  for (const v1::SurveyAnswer& answer : response.answers()) {
    auto it = items.by_id.find(answer.item_id());
    if (it == items.by_id.end()) {
      return invalid_argument(where + ": answer to unknown item '" + answer.item_id() + "'");
    }
    if (answer.value() < 0 || answer.value() > 5) {
      return invalid_argument(where + ": item '" + answer.item_id() +
                              "': expected an answer in 0..5 (0 = missing), found " +
                              std::to_string(answer.value()));
    }
    if (!it->second) continue;
    const ItemInfo& info = *it->second;
    if (seen[info.slot][info.position]) {
      return invalid_argument(where + ": item '" + answer.item_id() + "' answered twice");
    }
    seen[info.slot][info.position] = true;
    if (answer.value() == 0) continue;
    item_scores[info.slot][info.position] =
        info.reverse ? 6.0 - answer.value() : static_cast<double>(answer.value());
  }
  return item_scores;
}

int answered_count(const std::vector<double>& item_scores) {
  int answered = 0;
  for (double v : item_scores) answered += std::isnan(v) ? 0 : 1;
  return answered;
}

// The respondents' scale scores (DOMAIN.md §7), in dataset order, with their regions.
struct RespondentScores {
  std::vector<std::array<double, kDims>> scores;  // NaN = no score on the dimension
  std::vector<std::int32_t> region_of;
  std::array<std::vector<std::vector<double>>, kDims> complete_rows;  // for alpha
  std::array<std::int64_t, kDims> below_min_items{};
};

// Scale score = the mean of the answered items of the dimension, rescaled from 1-5 to
// 0-100, when at least min_items are answered; a respondent who answered every item
// of the dimension enters its alpha.
void score_dimensions(const ItemScores& item_scores, const SurveyItems& items, int min_items, std::size_t r,
                      RespondentScores& out) {
  for (std::size_t d = 0; d < kDims; ++d) {
    out.scores[r][d] = kNaN;
    if (items.per_dimension[d] == 0) continue;
    double sum = 0.0;
    int answered = 0;
    for (double v : item_scores[d]) {
      if (std::isnan(v)) continue;
      sum += v;
      ++answered;
    }
    if (answered == static_cast<int>(items.per_dimension[d])) out.complete_rows[d].push_back(item_scores[d]);
    if (answered < min_items) {
      if (answered > 0) ++out.below_min_items[d];
      continue;
    }
    const double mean = sum / answered;
    out.scores[r][d] = (mean - 1.0) / 4.0 * 100.0;
  }
}

void add_respondent_rows(const v1::SurveyResponse& response, const ItemScores& item_scores,
                         const std::array<double, kDims>& scores, const RegionTie& tie,
                         const v1::Partition& partition, v1::LegitimacyResult& result) {
  if (tie.region == kUnassigned) result.add_unassigned(response.respondent_id() + ": " + tie.reason);
  for (std::size_t d = 0; d < kDims; ++d) {
    if (std::isnan(scores[d])) continue;
    v1::RespondentScore* score = result.add_respondent_scores();
    score->set_respondent_id(response.respondent_id());
    score->set_dimension(kDimensions[d]);
    score->set_score(scores[d]);
    score->set_answered_items(answered_count(item_scores[d]));
    if (tie.region != kUnassigned) score->set_region_id(partition.regions(tie.region).id());
  }
}

Expected<RespondentScores> score_respondents(const DatasetIndex& index, const v1::Partition& partition,
                                             const Membership& membership, const SurveyItems& items,
                                             const ScaleScoreOptions& options, v1::LegitimacyResult& result) {
  const v1::Dataset& dataset = index.dataset();
  const auto n_respondents = static_cast<std::size_t>(dataset.survey_responses_size());
  const auto region_count = static_cast<std::int32_t>(partition.regions_size());
  RespondentScores out;
  out.scores.resize(n_respondents);
  out.region_of.assign(n_respondents, kUnassigned);
  for (std::size_t r = 0; r < n_respondents; ++r) {
    const v1::SurveyResponse& response = dataset.survey_responses(static_cast<int>(r));
    Expected<ItemScores> item_scores = item_scores_of(response, r, items);
    if (!item_scores) return item_scores.status();
    score_dimensions(*item_scores, items, options.min_items, r, out);
    const RegionTie tie = tie_to_region(index, membership, response.body_code(), region_count, options.body_majority,
                                        options.language);
    out.region_of[r] = tie.region;
    add_respondent_rows(response, *item_scores, out.scores[r], tie, partition, result);
  }
  return out;
}

// Per dimension and region, the scores of the region's respondents in dataset order.
using RegionGroups = std::array<std::vector<std::vector<double>>, kDims>;

RegionGroups region_groups(const RespondentScores& respondents, std::int32_t region_count) {
  RegionGroups groups;
  for (std::size_t d = 0; d < kDims; ++d) {
    groups[d].assign(static_cast<std::size_t>(region_count), {});
    for (std::size_t r = 0; r < respondents.scores.size(); ++r) {
      if (respondents.region_of[r] == kUnassigned || std::isnan(respondents.scores[r][d])) continue;
      groups[d][static_cast<std::size_t>(respondents.region_of[r])].push_back(respondents.scores[r][d]);
    }
  }
  return groups;
}

// Per BRE and dimension: n, mean, sd and the bootstrap interval of the mean.
Status add_region_means(const v1::Partition& partition, const SurveyItems& items, const RegionGroups& groups,
                        const RegionOrder& order, const ScaleScoreOptions& options, v1::LegitimacyResult& result) {
  for (std::int32_t g = 0; g < partition.regions_size(); ++g) {
    if (options.cancelled && options.cancelled()) {
      return Status(StatusCode::kCancelled, "cancelled while bootstrapping region intervals");
    }
    const v1::Region& region = partition.regions(g);
    for (std::size_t d = 0; d < kDims; ++d) {
      if (items.per_dimension[d] == 0) continue;
      const std::vector<double>& values = groups[d][static_cast<std::size_t>(g)];
      v1::RegionLegitimacy* row = result.add_regions();
      row->set_region_id(region.id());
      row->set_region_name(region.name());
      row->set_dimension(kDimensions[d]);
      row->set_n(static_cast<std::int32_t>(values.size()));
      row->set_mean(mean_of(values));
      row->set_sd(sample_sd(values));
      const std::uint64_t label =
          order.label[static_cast<std::size_t>(g)] * 8u + static_cast<std::uint64_t>(kDimensions[d]);
      const Interval ci = bootstrap_mean_interval(values, options.bootstrap_samples,
                                                  options.confidence,
                                                  derive_seed(options.seed, label));
      row->set_ci_low(ci.low);
      row->set_ci_high(ci.high);
    }
  }
  return Status::ok();
}

// The sentence that says whether the regions differ on a dimension and how much.
std::string variation_sentence(v1::LegitimacyDimension dimension, const std::vector<double>& pooled,
                               std::int32_t regions_with_data, const AnovaResult& anova,
                               const KruskalWallisResult& kw, bool differ, double alpha, Language l) {
  const bool nl = l == Language::kDutch;
  std::string sentence = dimension_label(dimension, l) + ": ";
  if (pooled.empty()) return sentence + text_in(l, "geen respondent in een regio heeft een score.",
                                                "no respondent in a region has a score.");
  const std::string respondents = std::to_string(pooled.size());
  const std::string regions = std::to_string(regions_with_data);
  sentence += nl ? "gemiddeld " + format(l, "%.1f", mean_of(pooled)) + " (0-100) over " + respondents +
                       " respondenten in " + regions + (regions_with_data == 1 ? " regio" : " regio's")
                 : "mean " + format(l, "%.1f", mean_of(pooled)) + " (0-100) over " + respondents + " respondents in " +
                       regions + (regions_with_data == 1 ? " region" : " regions");
  if (std::isnan(anova.p)) {
    return sentence + text_in(l, "; te weinig regio's of respondenten om regio's te vergelijken.",
                              "; too few regions or respondents to compare regions.");
  }
  const std::string tests = "F(" + format("%.0f", anova.df_between) + ", " + format("%.0f", anova.df_within) +
                            ") = " + format(l, "%.2f", anova.f) + ", " + p_text(anova.p, l) + ", eta² = " +
                            format(l, "%.3f", anova.eta_squared) + "; Kruskal-Wallis H = " + format(l, "%.2f", kw.h) +
                            ", " + p_text(kw.p, l) + ", epsilon² = " + format(l, "%.3f", kw.epsilon_squared);
  const std::string effect = effect_size_words(anova.eta_squared, l);
  if (nl) {
    return sentence + (differ ? "; de regio's verschillen" : "; geen significant verschil tussen de regio's") +
           " bij alfa " + format(l, "%g", alpha) + " (eenweg-ANOVA " + tests + "); het effect van de regio is " +
           effect + " (drempels voor eta² 0,01 klein, 0,06 middelgroot, 0,14 groot).";
  }
  return sentence + (differ ? "; regions differ" : "; no significant difference between regions") + " at alpha " +
         format(l, "%g", alpha) + " (one-way ANOVA " + tests + "); the effect of the region is " + effect +
         " (eta² thresholds 0.01 small, 0.06 medium, 0.14 large).";
}

// Per dimension: reliability (Cronbach's alpha) and the variation between BREs
// (one-way ANOVA, Kruskal-Wallis).
void add_dimension_summaries(const SurveyItems& items, const RespondentScores& respondents,
                             const RegionGroups& groups, const RegionOrder& order, double alpha,
                             Language language, v1::LegitimacyResult& result) {
  for (std::size_t d = 0; d < kDims; ++d) {
    if (items.per_dimension[d] == 0) continue;
    v1::DimensionSummary* summary = result.add_dimensions();
    summary->set_dimension(kDimensions[d]);
    summary->set_cronbach_alpha(cronbach_alpha(respondents.complete_rows[d]));
    // The regions in region_order, so that the sums do not follow the partition's order.
    std::vector<std::vector<double>> ordered;
    std::vector<double> pooled;
    std::int32_t regions_with_data = 0;
    for (std::size_t g : order.order) {
      const std::vector<double>& group = groups[d][g];
      ordered.push_back(group);
      pooled.insert(pooled.end(), group.begin(), group.end());
      regions_with_data += group.empty() ? 0 : 1;
    }
    summary->set_n_respondents(static_cast<std::int32_t>(pooled.size()));
    const AnovaResult anova = one_way_anova(ordered);
    const KruskalWallisResult kw = kruskal_wallis(ordered);
    summary->set_anova_f(anova.f);
    summary->set_anova_df_between(anova.df_between);
    summary->set_anova_df_within(anova.df_within);
    summary->set_anova_p(anova.p);
    summary->set_eta_squared(anova.eta_squared);
    summary->set_kruskal_h(kw.h);
    summary->set_kruskal_df(kw.df);
    summary->set_kruskal_p(kw.p);
    summary->set_epsilon_squared(kw.epsilon_squared);
    const bool differ = !std::isnan(anova.p) && anova.p < alpha;
    summary->set_regions_differ(differ);
    summary->set_effect_size(effect_size_label(anova.eta_squared));
    summary->set_summary(
        variation_sentence(kDimensions[d], pooled, regions_with_data, anova, kw, differ, alpha, language));
  }
}

// Per dimension: Spearman's rho of the BREs' mean scores with a column of an indicator
// table, over the regions with enough respondents and a finite value.
void add_correlations(const v1::Partition& partition, const SurveyItems& items, const RegionGroups& groups,
                      int correlation_column, const ScaleScoreOptions& options, v1::LegitimacyResult& result) {
  const v1::IndicatorTable& table = *options.correlation_table;
  std::unordered_map<std::string, double> table_value;
  for (const v1::IndicatorRow& row : table.rows()) {
    if (correlation_column < row.values_size()) table_value[row.region_id()] = row.values(correlation_column);
  }
  for (std::size_t d = 0; d < kDims; ++d) {
    if (items.per_dimension[d] == 0) continue;
    std::vector<double> means;
    std::vector<double> values;
    for (std::int32_t g = 0; g < partition.regions_size(); ++g) {
      const std::vector<double>& group = groups[d][static_cast<std::size_t>(g)];
      auto it = table_value.find(partition.regions(g).id());
      if (static_cast<int>(group.size()) < options.correlation_min_respondents || it == table_value.end() ||
          !std::isfinite(it->second)) {
        continue;
      }
      means.push_back(mean_of(group));
      values.push_back(it->second);
    }
    *result.add_correlations() = correlation_row(kDimensions[d], table, options, means, values);
  }
}

std::vector<std::string> score_warnings(const v1::Partition& partition, const SurveyItems& items,
                                        const RespondentScores& respondents, const v1::LegitimacyResult& result,
                                        int min_items, Language l) {
  std::vector<std::string> warnings;
  if (items.ignored > 0) {
    warnings.push_back(std::to_string(items.ignored) +
                       text_in(l, " enquêtevragen horen bij geen legitimiteitsdimensie en worden genegeerd",
                               " survey items have no legitimacy dimension and are ignored"));
  }
  if (result.unassigned_size() > 0) {
    const std::string counts = std::to_string(result.unassigned_size()) + text_in(l, " van ", " of ") +
                               std::to_string(respondents.scores.size());
    warnings.push_back(Bilingual{counts + " respondenten konden niet aan een regio van partitie '" + partition.name() +
                                     "' worden gekoppeld (zie unassigned)",
                                 counts + " respondents could not be tied to a region of partition '" +
                                     partition.name() + "' (see unassigned)"}
                           .in(l));
  }
  for (std::size_t d = 0; d < kDims; ++d) {
    if (respondents.below_min_items[d] > 0) {
      const std::string count = std::to_string(respondents.below_min_items[d]);
      const std::string minimum = std::to_string(min_items);
      warnings.push_back(dimension_label(kDimensions[d], l) + ": " +
                         Bilingual{count + " respondenten beantwoordden minder dan min_items = " + minimum +
                                       " vragen en hebben geen score",
                                   count + " respondents answered fewer than min_items = " + minimum +
                                       " items and have no score"}
                             .in(l));
    }
  }
  return warnings;
}

}  // namespace

Expected<ScaleScoreResult> compute_scale_scores(const DatasetIndex& index,
                                                const v1::Partition& partition,
                                                const ScaleScoreOptions& options) {
  BRE_RETURN_IF_ERROR(check_options(options));
  Expected<int> correlation_column = correlation_column_index(partition, options);
  if (!correlation_column) return correlation_column.status();
  const v1::Dataset& dataset = index.dataset();
  BRE_RETURN_IF_ERROR(check_survey(dataset, partition));
  Expected<Membership> membership = membership_of(index, partition);
  if (!membership) return membership.status().with_context("partition '" + partition.name() + "'");
  Expected<SurveyItems> items = survey_items(dataset);
  if (!items) return items.status();

  ScaleScoreResult out;
  v1::LegitimacyResult& result = out.legitimacy;
  result.set_partition_name(partition.name());
  Expected<RespondentScores> respondents = score_respondents(index, partition, *membership, *items, options, result);
  if (!respondents) return respondents.status();
  const RegionGroups groups = region_groups(*respondents, static_cast<std::int32_t>(partition.regions_size()));
  const RegionOrder order = region_order(*membership, static_cast<std::size_t>(partition.regions_size()));
  BRE_RETURN_IF_ERROR(add_region_means(partition, *items, groups, order, options, result));
  add_dimension_summaries(*items, *respondents, groups, order, options.alpha, options.language, result);
  add_output_gaps(dataset, partition, respondents->region_of, respondents->scores, items->per_dimension, order,
                  options, result);
  if (options.correlation_table != nullptr) {
    add_correlations(partition, *items, groups, *correlation_column, options, result);
  }
  out.warnings = score_warnings(partition, *items, *respondents, result, options.min_items, options.language);
  return out;
}

}  // namespace bre::legitimacy

namespace bre::legitimacy {
namespace {

constexpr std::size_t kOwnSlot = 3;         // LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS
constexpr std::size_t kNeighboursSlot = 4;  // LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS
constexpr std::uint64_t kGapSeedLabel = 6;  // after the labels of the five dimensions

void fill_gap_row(const std::vector<double>& gaps, const ScaleScoreOptions& options, std::uint64_t label,
                  v1::RegionOutputGap& row) {
  row.set_n(static_cast<std::int32_t>(gaps.size()));
  row.set_mean(mean_of(gaps));
  row.set_sd(sample_sd(gaps));
  const Interval ci =
      bootstrap_mean_interval(gaps, options.bootstrap_samples, options.confidence, derive_seed(options.seed, label));
  row.set_ci_low(ci.low);
  row.set_ci_high(ci.high);
}

void add_output_gaps(const v1::Dataset& dataset, const v1::Partition& partition,
                     const std::vector<std::int32_t>& region_of, const std::vector<std::array<double, 5>>& scores,
                     const std::array<std::size_t, 5>& items_per_dimension, const RegionOrder& order,
                     const ScaleScoreOptions& options, v1::LegitimacyResult& result) {
  if (items_per_dimension[kOwnSlot] == 0 || items_per_dimension[kNeighboursSlot] == 0) return;
  const auto region_count = static_cast<std::size_t>(partition.regions_size());
  std::vector<std::vector<double>> groups(region_count);
  std::vector<double> all;
  for (std::size_t r = 0; r < scores.size(); ++r) {
    const double own = scores[r][kOwnSlot];
    const double neighbours = scores[r][kNeighboursSlot];
    if (std::isnan(own) || std::isnan(neighbours)) continue;
    const double gap = neighbours - own;
    v1::RespondentOutputGap* row = result.add_respondent_output_gaps();
    row->set_respondent_id(dataset.survey_responses(static_cast<int>(r)).respondent_id());
    row->set_gap(gap);
    if (region_of[r] == kUnassigned) continue;
    row->set_region_id(partition.regions(region_of[r]).id());
    groups[static_cast<std::size_t>(region_of[r])].push_back(gap);
    all.push_back(gap);
  }
  for (std::size_t g = 0; g < region_count; ++g) {
    v1::RegionOutputGap* row = result.add_region_output_gaps();
    row->set_region_id(partition.regions(static_cast<int>(g)).id());
    row->set_region_name(partition.regions(static_cast<int>(g)).name());
    fill_gap_row(groups[g], options, order.label[g] * 8u + kGapSeedLabel, *row);
  }
  v1::RegionOutputGap* total = result.add_region_output_gaps();
  total->set_region_id("NL");
  total->set_region_name(text_in(options.language, "alle regio's", "all regions"));
  fill_gap_row(all, options, order.total_label * 8u + kGapSeedLabel, *total);

  const Language l = options.language;
  std::string sentence = text_in(l, "Outputkloof (outputlegitimiteit t.o.v. buurregio's min t.o.v. eigen ambities): ",
                                 "Output gap (output legitimacy vs. neighbours minus vs. own ambitions): ");
  if (all.empty()) {
    sentence += text_in(l, "geen respondent in een regio heeft beide outputscores.",
                        "no respondent in a region has both output scores.");
  } else {
    const bool excludes_zero = total->ci_low() > 0.0 || total->ci_high() < 0.0;
    const std::string mean = format(l, "%+.1f", total->mean());
    const std::string respondents = std::to_string(all.size());
    const std::string level = format("%.0f", options.confidence * 100.0);
    const std::string low = format(l, "%+.1f", total->ci_low());
    const std::string high = format(l, "%+.1f", total->ci_high());
    if (l == Language::kDutch) {
      sentence += "gemiddeld " + mean + " punten (schaal 0-100) over " + respondents + " respondenten, " + level +
                  "%-bootstrapinterval " + low + " tot " + high + "; " +
                  (excludes_zero ? (total->mean() < 0.0 ? "volksvertegenwoordigers beoordelen hun regio lager "
                                                          "vergeleken met de buurregio's dan met de eigen ambities."
                                                        : "volksvertegenwoordigers beoordelen hun regio hoger "
                                                          "vergeleken met de buurregio's dan met de eigen ambities.")
                                 : "het interval bevat 0: geen duidelijke kloof.");
    } else {
      sentence += "mean " + mean + " points (0-100 scale) over " + respondents + " respondents, " + level +
                  "% bootstrap interval " + low + " to " + high + "; " +
                  (excludes_zero ? (total->mean() < 0.0 ? "representatives rate their region lower against its "
                                                          "neighbours than against its own ambitions."
                                                        : "representatives rate their region higher against its "
                                                          "neighbours than against its own ambitions.")
                                 : "the interval includes 0: no clear gap.");
    }
  }
  result.set_output_gap_summary(sentence);
}

v1::LegitimacyCorrelation correlation_row(v1::LegitimacyDimension dimension, const v1::IndicatorTable& table,
                                          const ScaleScoreOptions& options, const std::vector<double>& means,
                                          const std::vector<double>& values) {
  v1::LegitimacyCorrelation row;
  row.set_dimension(dimension);
  row.set_table_name(table.name());
  row.set_column(options.correlation_column);
  const SpearmanResult s = spearman(means, values);
  row.set_n(static_cast<std::int32_t>(s.n));
  row.set_rho(s.rho);
  const bool too_small = static_cast<int>(s.n) < options.correlation_min_regions;
  row.set_n_too_small(too_small);
  row.set_p(too_small ? kNaN : s.p);
  row.set_p_method(too_small || std::isnan(s.p) ? "" : s.exact ? "exact permutation" : "t approximation");
  const Language l = options.language;
  const bool nl = l == Language::kDutch;
  const std::string regions = std::to_string(s.n);
  const std::string minimum_respondents = std::to_string(options.correlation_min_respondents);
  std::string sentence =
      dimension_label(dimension, l) + text_in(l, " t.o.v. ", " vs. ") + table.name() + "." + options.correlation_column +
      (nl ? ": Spearman over " + regions + " regio's (met ten minste " + minimum_respondents + " respondenten); "
          : ": Spearman over " + regions + " regions (with at least " + minimum_respondents + " respondents); ");
  const std::string rho = format(l, "%.2f", s.rho);
  const std::string alpha = format(l, "%g", options.alpha);
  if (too_small) {
    const std::string minimum = std::to_string(options.correlation_min_regions);
    sentence += nl ? "n te klein (minimaal " + minimum + " regio's) om een correlatie te toetsen" +
                         (std::isnan(s.rho) ? std::string(".") : "; rho = " + rho + " beschrijft alleen deze regio's.")
                   : "n too small (minimum " + minimum + " regions) to test a correlation" +
                         (std::isnan(s.rho) ? std::string(".") : "; rho = " + rho + " describes these regions only.");
  } else if (std::isnan(s.rho)) {
    sentence += text_in(l, "geen correlatie gedefinieerd (een van beide is constant over de regio's).",
                        "no correlation defined (one of the two is constant over the regions).");
  } else {
    const std::string method = s.exact ? text_in(l, "exacte permutatietoets", "exact permutation")
                                       : text_in(l, "t-benadering", "t approximation");
    sentence += "rho = " + rho + ", " + p_text(s.p, l) + " (" + method + "); " +
                (s.p < options.alpha ? text_in(l, "een correlatie bij alfa ", "a correlation at alpha ") + alpha + "."
                                     : text_in(l, "geen aanwijzing voor een correlatie bij alfa ",
                                               "no evidence of a correlation at alpha ") +
                                           alpha + ".");
  }
  row.set_summary(sentence);
  return row;
}

}  // namespace
}  // namespace bre::legitimacy
