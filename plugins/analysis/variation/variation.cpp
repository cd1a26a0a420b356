#include "variation.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "bre/plugin_helpers.hpp"
#include "bre/random.hpp"
#include "random_intercept.hpp"

namespace bre::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Column id, then its label in Dutch and in English.
constexpr const char* kMunicipalWellbeingColumns[][3] = {{"level", "Niveau brede welvaart", "Broad well-being level"},
                                                         {"trend", "Trend brede welvaart", "Broad well-being trend"}};

// The units of one outcome and the regions (partition indices) they belong to.
struct Outcome {
  std::string id, label, unit;
  std::vector<double> y;
  std::vector<int> group;
  int unassigned = 0;  // no region
  int missing = 0;     // a region but no value
};

// A region characteristic: one value per partition region (NaN = missing).
struct Characteristic {
  std::string id, table;
  std::vector<double> value;
  std::vector<std::string> categories;  // empty for a numeric column
};

std::string fixed(double value, int digits, Language language) { return format_decimal(language, value, digits); }

std::string percent(double share, Language language) { return format_percent(language, share, 1); }

// A level such as alpha as people write it: 0.05, 0.001 (0,05 in Dutch).
std::string level(double value, Language language) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return decimal_notation(language, buffer);
}

std::string p_text(double p, Language language) {
  return p < 0.001 ? "p < " + level(0.001, language) : "p = " + fixed(p, 3, language);
}

std::string lower_dimension_name(v1::LegitimacyDimension dimension) {
  std::string name = v1::LegitimacyDimension_Name(dimension);
  name = name.substr(std::string("LEGITIMACY_DIMENSION_").size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string dimension_words(v1::LegitimacyDimension dimension, Language language) {
  if (language == Language::kDutch) {
    switch (dimension) {
      case v1::LEGITIMACY_DIMENSION_FUNDAMENTAL: return "Legitimiteit: fundamenteel";
      case v1::LEGITIMACY_DIMENSION_INPUT: return "Legitimiteit: input";
      case v1::LEGITIMACY_DIMENSION_THROUGHPUT: return "Legitimiteit: throughput";
      case v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS: return "Legitimiteit: output (eigen ambities)";
      case v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS: return "Legitimiteit: output (t.o.v. buurregio's)";
      default: break;
    }
  }
  std::string words = lower_dimension_name(dimension);
  std::replace(words.begin(), words.end(), '_', ' ');
  return text_in(language, "Legitimiteit: ", "Legitimacy: ") + words;
}

// "3 respondents" / "3 respondenten", "1 municipality" / "1 gemeente": a count of an
// outcome's units (Outcome::unit, "respondent" or "municipality").
std::string unit_count(int count, const std::string& unit, Language language) {
  const bool one = count == 1;
  std::string words;
  if (unit == "municipality") {
    words = language == Language::kDutch ? (one ? "gemeente" : "gemeenten") : (one ? "municipality" : "municipalities");
  } else {
    words = language == Language::kDutch ? (one ? "respondent" : "respondenten") : (one ? "respondent" : "respondents");
  }
  return std::to_string(count) + " " + words;
}

// Why a model or test could not be run, in `language`. The statistics (association.cpp,
// random_intercept.cpp) give their reasons in English; the ones a run can meet are
// put into Dutch here, phrase by phrase, so that a note reads in one language. A
// reason not listed stays as given (the run's language check names it).
std::string reason_in(Language language, std::string reason) {
  if (language == Language::kEnglish) return reason;
  static const std::pair<std::string_view, std::string_view> kDutch[] = {
      {"Spearman correlation: ", "Spearman-correlatie: "},
      {"difference of means: ", "verschil van gemiddelden: "},
      {"the characteristic has the same value in every region", "het kenmerk heeft in elke regio dezelfde waarde"},
      {"the outcome has the same value in every region", "de uitkomst heeft in elke regio dezelfde waarde"},
      {" regions with both values; at least 3 are needed", " regio's met beide waarden; er zijn er ten minste 3 nodig"},
      {"every region has the characteristic ", "elke regio heeft het kenmerk "},
      {"; both groups need a region", "; beide groepen hebben een regio nodig"},
      {" region(s) with units; at least 2 are needed to estimate variance between regions",
       " regio('s) met eenheden; er zijn er ten minste 2 nodig om de variantie tussen regio's te schatten"},
      {" units in ", " eenheden in "},
      {" regions; every region has one unit at most, so variance within and between regions cannot be told apart",
       " regio's; elke regio heeft hoogstens één eenheid, dus de variantie binnen en tussen regio's is niet te "
       "onderscheiden"},
      {"the outcome has no variance (every unit has the value ",
       "de uitkomst heeft geen variantie (elke eenheid heeft de waarde "},
      {"no variance within regions (every region's units share one value), so the share between regions is not "
       "estimable",
       "geen variantie binnen regio's (de eenheden van elke regio delen één waarde), dus het aandeel tussen regio's "
       "is niet te schatten"},
      {" covariate(s) and the intercept need more than ", " covariaat/covariaten en het intercept vragen meer dan "},
      {" regions; found ", " regio's; gevonden: "},
      {"covariate ", "covariaat "},
      {" is constant or a combination of the intercept and the covariates before it",
       " is constant of een combinatie van het intercept en de covariaten ervoor"},
  };
  for (const auto& [english, dutch] : kDutch) {
    for (std::size_t at = reason.find(english); at != std::string::npos; at = reason.find(english, at + dutch.size())) {
      reason.replace(at, english.size(), dutch);
    }
  }
  // Numbers in the reason (a value such as 75.000000) take the decimal comma.
  const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = 1; i + 1 < reason.size(); ++i) {
    if (reason[i] == '.' && digit(reason[i - 1]) && digit(reason[i + 1])) reason[i] = ',';
  }
  return reason;
}

std::map<std::string, int> region_positions(const v1::Partition& partition) {
  std::map<std::string, int> positions;
  for (int r = 0; r < partition.regions_size(); ++r) positions[partition.regions(r).id()] = r;
  return positions;
}

// One outcome per legitimacy dimension with scores, in enum order.
std::vector<Outcome> legitimacy_outcomes(const v1::LegitimacyResult& result, const v1::Partition& partition,
                                         Language language, std::vector<std::string>& warnings) {
  const auto positions = region_positions(partition);
  std::map<int, Outcome> by_dimension;
  std::set<std::string> unknown_regions;
  for (const v1::RespondentScore& score : result.respondent_scores()) {
    Outcome& outcome = by_dimension[score.dimension()];
    if (outcome.id.empty()) {
      outcome.id = "legitimacy_" + lower_dimension_name(score.dimension());
      outcome.label = dimension_words(score.dimension(), language);
      outcome.unit = "respondent";
    }
    if (score.region_id().empty()) {
      ++outcome.unassigned;
      continue;
    }
    const auto found = positions.find(score.region_id());
    if (found == positions.end()) {
      ++outcome.unassigned;
      unknown_regions.insert(score.region_id());
      continue;
    }
    if (!std::isfinite(score.score())) {
      ++outcome.missing;
      continue;
    }
    outcome.y.push_back(score.score());
    outcome.group.push_back(found->second);
  }
  for (const std::string& id : unknown_regions) {
    warnings.push_back(Bilingual{"legitimiteitsscores noemen regio '" + id + "', die partitie '" + partition.name() +
                                     "' niet heeft; die respondenten tellen als niet ingedeeld",
                                 "legitimacy scores name region '" + id + "', which partition '" + partition.name() +
                                     "' does not have; those respondents are counted as unassigned"}
                           .in(language));
  }
  std::vector<Outcome> outcomes;
  for (auto& [dimension, outcome] : by_dimension) outcomes.push_back(std::move(outcome));
  return outcomes;
}

int column_index(const v1::IndicatorTable& table, const std::string& id) {
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c).id() == id) return c;
  }
  return -1;
}

// Broad well-being level and trend of each municipality, by its region column.
Expected<std::vector<Outcome>> wellbeing_outcomes(const v1::IndicatorTable& table, const v1::Partition& partition,
                                                  Language language) {
  const int region_column = column_index(table, "region");
  if (region_column < 0) {
    return invalid_argument("table '" + table.name() + "': no column 'region'; expected the municipalities' regions");
  }
  const auto positions = region_positions(partition);
  const auto& categories = table.columns(region_column).categories();
  std::vector<Outcome> outcomes;
  for (const auto& [id, label_nl, label_en] : kMunicipalWellbeingColumns) {
    const int column = column_index(table, id);
    if (column < 0) return invalid_argument("table '" + table.name() + "': no column '" + id + "'");
    Outcome outcome;
    outcome.id = std::string("broad_wellbeing_") + id;
    outcome.label = text_in(language, label_nl, label_en);
    outcome.unit = "municipality";
    for (const v1::IndicatorRow& row : table.rows()) {
      const double region = region_column < row.values_size() ? row.values(region_column) : kNaN;
      const bool in_range = std::isfinite(region) && region >= 0.0 && region < categories.size() &&
                            region == std::floor(region);
      const auto found = in_range ? positions.find(categories[static_cast<int>(region)]) : positions.end();
      if (found == positions.end()) {
        ++outcome.unassigned;
        continue;
      }
      const double value = column < row.values_size() ? row.values(column) : kNaN;
      if (!std::isfinite(value)) {
        ++outcome.missing;
        continue;
      }
      outcome.y.push_back(value);
      outcome.group.push_back(found->second);
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

// 1 / 0 / NaN of a case descriptor named in kCaseCharacteristics.
double case_value(const v1::CaseDescriptors& c, const std::string& id) {
  auto tristate = [](v1::Tristate t) { return t == v1::TRISTATE_YES ? 1.0 : t == v1::TRISTATE_NO ? 0.0 : kNaN; };
  if (id == "lead_actor_present") {
    return c.lead_actor() == v1::LEAD_ACTOR_UNKNOWN ? kNaN : c.lead_actor() == v1::LEAD_ACTOR_NONE ? 0.0 : 1.0;
  }
  if (id == "lead_actor_accepted") return tristate(c.lead_actor_accepted());
  if (id == "regional_identity_thick") {
    return c.regional_identity() == v1::REGIONAL_IDENTITY_THICK  ? 1.0
           : c.regional_identity() == v1::REGIONAL_IDENTITY_THIN ? 0.0
                                                                 : kNaN;
  }
  return tristate(c.structured_investment());
}

bool is_case_characteristic(const std::string& id) {
  return std::any_of(std::begin(kCaseCharacteristics), std::end(kCaseCharacteristics),
                     [&](const char* name) { return id == name; });
}

// Each case tied to the region holding most of its municipalities (ties: lowest index).
Characteristic case_characteristic(const DatasetIndex& index, const v1::Partition& partition, const std::string& id,
                                   Language language, std::vector<std::string>& warnings) {
  Characteristic characteristic{id, "case descriptors", std::vector<double>(partition.regions_size(), kNaN), {}};
  std::map<std::string, int> region_of;
  for (int r = 0; r < partition.regions_size(); ++r) {
    for (const auto& code : partition.regions(r).municipality_codes()) region_of[code] = r;
  }
  std::vector<std::string> source(partition.regions_size());
  for (const v1::CaseDescriptors& c : index.dataset().cases()) {
    std::vector<int> overlap(partition.regions_size(), 0);
    for (const auto& code : c.municipality_codes()) {
      if (const auto found = region_of.find(code); found != region_of.end()) ++overlap[found->second];
    }
    const auto best = std::max_element(overlap.begin(), overlap.end());
    if (best == overlap.end() || *best == 0) continue;
    const auto r = static_cast<std::size_t>(best - overlap.begin());
    if (!source[r].empty()) {
      const std::string region = partition.regions(static_cast<int>(r)).id();
      warnings.push_back(Bilingual{"kenmerk '" + id + "': casussen '" + source[r] + "' en '" + c.region_id() +
                                       "' liggen allebei grotendeels in regio " + region + "; de eerste wordt gebruikt",
                                   "characteristic '" + id + "': cases '" + source[r] + "' and '" + c.region_id() +
                                       "' both fall mostly in region " + region + "; the first is used"}
                             .in(language));
      continue;
    }
    source[r] = c.region_id();
    characteristic.value[r] = case_value(c, id);
  }
  return characteristic;
}

Expected<Characteristic> find_characteristic(const DatasetIndex& index, const VariationInputs& inputs,
                                             const std::string& id, const char* parameter, Language language,
                                             std::vector<std::string>& warnings) {
  if (is_case_characteristic(id)) return case_characteristic(index, *inputs.partition, id, language, warnings);
  const auto positions = region_positions(*inputs.partition);
  // "biotope.theme_economy" names the table when two tables share a column id.
  const auto dot = id.find('.');
  const std::string table_name = dot == std::string::npos ? "" : id.substr(0, dot);
  const std::string column_id = dot == std::string::npos ? id : id.substr(dot + 1);
  for (const v1::IndicatorTable* table : inputs.region_tables) {
    if (!table_name.empty() && table->name() != table_name) continue;
    const int column = column_index(*table, column_id);
    if (column < 0) continue;
    Characteristic characteristic{id, table->name(), std::vector<double>(inputs.partition->regions_size(), kNaN),
                                  {}};
    for (const auto& category : table->columns(column).categories()) characteristic.categories.push_back(category);
    for (const v1::IndicatorRow& row : table->rows()) {
      const auto found = positions.find(row.region_id());
      if (found != positions.end() && column < row.values_size()) characteristic.value[found->second] = row.values(column);
    }
    return characteristic;
  }
  std::string available;
  for (const char* name : kCaseCharacteristics) available += std::string(available.empty() ? "" : ", ") + name;
  for (const v1::IndicatorTable* table : inputs.region_tables) {
    for (const auto& column : table->columns()) available += ", " + column.id() + " (" + table->name() + ")";
  }
  return invalid_argument(std::string("parameter '") + parameter + "': no input table " +
                          (table_name.empty() ? "" : "named '" + table_name + "' ") + "has a column '" + column_id +
                          "' and it is not a case characteristic; available (TABLE.COLUMN picks a table): " +
                          available);
}

std::string region_list(const v1::Partition& partition, const std::vector<int>& regions) {
  std::string text;
  for (int r : regions) text += (text.empty() ? "" : ", ") + partition.regions(r).id();
  return text;
}

// Units whose region has every covariate; the covariate columns for them.
GroupedData model_data(const Outcome& outcome, const std::vector<const Characteristic*>& covariates, int group_count,
                       int& dropped) {
  GroupedData data;
  data.group_count = group_count;
  data.covariates.assign(covariates.size(), {});
  for (std::size_t i = 0; i < outcome.y.size(); ++i) {
    const int g = outcome.group[i];
    const bool complete = std::all_of(covariates.begin(), covariates.end(),
                                      [&](const Characteristic* c) { return std::isfinite(c->value[g]); });
    if (!complete) {
      ++dropped;
      continue;
    }
    data.y.push_back(outcome.y[i]);
    data.group.push_back(g);
    for (std::size_t k = 0; k < covariates.size(); ++k) data.covariates[k].push_back(covariates[k]->value[g]);
  }
  return data;
}

v1::VarianceDecomposition decompose(const Outcome& outcome, const v1::Partition& partition,
                                    const std::vector<const Characteristic*>& covariates,
                                    const VariationOptions& options) {
  const Language l = options.language;
  const bool nl = l == Language::kDutch;
  v1::VarianceDecomposition d;
  d.set_outcome(outcome.id);
  d.set_label(outcome.label);
  d.set_unit(outcome.unit);
  std::string model = "intercept only";
  if (!covariates.empty()) {
    model = "+";
    for (const Characteristic* c : covariates) model += " " + c->id;
  }
  d.set_model(model);
  d.set_n_unassigned(outcome.unassigned);
  d.set_n_missing(outcome.missing);
  int dropped = 0;
  const GroupedData data = model_data(outcome, covariates, partition.regions_size(), dropped);
  std::vector<std::string> notes;
  if (outcome.unassigned > 0) {
    notes.push_back(unit_count(outcome.unassigned, outcome.unit, l) +
                    text_in(l, " zonder regio weggelaten", " without a region left out"));
  }
  if (outcome.missing > 0) {
    notes.push_back(unit_count(outcome.missing, outcome.unit, l) +
                    text_in(l, " zonder waarde weggelaten", " without a value left out"));
  }
  if (dropped > 0) {
    notes.push_back(unit_count(dropped, outcome.unit, l) +
                    text_in(l, " van regio's zonder een kenmerk van het model weggelaten",
                            " of regions missing a characteristic of the model left out"));
  }
  std::vector<int> sizes(partition.regions_size(), 0);
  for (int g : data.group) ++sizes[g];
  std::vector<int> single;
  for (int r = 0; r < partition.regions_size(); ++r) {
    if (sizes[r] == 1) single.push_back(r);
  }
  if (!single.empty()) {
    notes.push_back(nl ? "regio's met één " + std::string(outcome.unit == "municipality" ? "gemeente" : "respondent") +
                             ": " + region_list(partition, single) + " (hun effect rust op één waarde)"
                       : "regions with one " + outcome.unit + ": " + region_list(partition, single) +
                             " (their effects rest on one value)");
  }
  Expected<RandomInterceptFit> fit = fit_random_intercept(data, RandomInterceptOptions{options.confidence});
  d.set_n_units(static_cast<int>(data.y.size()));
  if (!fit) {
    int regions = 0;
    for (int s : sizes) regions += s > 0 ? 1 : 0;
    d.set_n_regions(regions);
    std::string reason = fit.status().message();
    const std::string prefix = "random-intercept model: ";
    if (reason.rfind(prefix, 0) == 0) reason = reason.substr(prefix.size());
    reason = reason_in(l, reason);
    notes.insert(notes.begin(), text_in(l, "niet te schatten: ", "not estimable: ") + reason);
    d.set_summary(outcome.label +
                  text_in(l, ": het aandeel van de variantie tussen BRE's is niet te schatten (",
                          ": the share of variance between BREs cannot be estimated (") +
                  reason + ").");
  } else {
    d.set_fitted(true);
    d.set_n_regions(fit->n_groups);
    d.set_between_variance(fit->between_variance);
    d.set_within_variance(fit->within_variance);
    d.set_icc(fit->icc);
    d.set_icc_ci_low(fit->icc_low);
    d.set_icc_ci_high(fit->icc_high);
    d.set_reml_log_likelihood(fit->log_likelihood);
    d.set_lrt_statistic(fit->lrt_statistic);
    d.set_lrt_p(fit->lrt_p);
    for (std::size_t k = 0; k < fit->beta.size(); ++k) {
      v1::FixedEffect* effect = d.add_fixed_effects();
      effect->set_term(k == 0 ? "intercept" : covariates[k - 1]->id);
      effect->set_estimate(fit->beta[k]);
      effect->set_se(fit->beta_se[k]);
      const double z = fit->beta_se[k] > 0.0 ? fit->beta[k] / fit->beta_se[k] : 0.0;
      effect->set_z(z);
      effect->set_p(std::erfc(std::abs(z) / std::sqrt(2.0)));
    }
    for (int r = 0; r < partition.regions_size(); ++r) {
      if (fit->group_size[r] == 0) continue;
      v1::RegionEffect* effect = d.add_regions();
      effect->set_region_id(partition.regions(r).id());
      effect->set_region_name(partition.regions(r).name());
      effect->set_n(fit->group_size[r]);
      effect->set_mean(fit->group_mean[r]);
      effect->set_effect(fit->group_effect[r]);
      effect->set_ci_low(fit->group_effect_low[r]);
      effect->set_ci_high(fit->group_effect_high[r]);
    }
    const std::string coverage = fixed(100.0 * options.confidence, 0, l);
    const std::string head = outcome.label + (covariates.empty() ? "" : " (" + model + ")") + ": ";
    const bool differ = fit->lrt_p < options.alpha;
    d.set_summary(nl ? head + percent(fit->icc, l) + " van de variantie ligt tussen BRE's (" + coverage + "%-BI " +
                           percent(fit->icc_low, l) + " tot " + percent(fit->icc_high, l) +
                           "); tegen geen BRE-effect " + p_text(fit->lrt_p, l) + ": " +
                           (differ ? "BRE's verschillen." : "geen aanwijzing dat BRE's verschillen.")
                     : head + percent(fit->icc, l) + " of the variance lies between BREs (" + coverage + "% CI " +
                           percent(fit->icc_low, l) + " to " + percent(fit->icc_high, l) +
                           "); against no BRE effect " + p_text(fit->lrt_p, l) + ": " +
                           (differ ? "BREs differ." : "no evidence that BREs differ."));
    if (fit->icc_high_unbounded) {
      notes.push_back(text_in(l, "het interval van de ICC is naar boven open (de likelihood blijft hoog tot 1)",
                              "the interval of the ICC is open above (the likelihood stays high up to 1)"));
    }
  }
  std::string note;
  for (const std::string& n : notes) note += (note.empty() ? "" : "; ") + n;
  d.set_note(note);
  return d;
}

// Mean outcome of each region with units (NaN for the others).
std::vector<double> region_means(const Outcome& outcome, int region_count) {
  std::vector<double> sum(region_count, 0.0);
  std::vector<int> n(region_count, 0);
  for (std::size_t i = 0; i < outcome.y.size(); ++i) {
    sum[outcome.group[i]] += outcome.y[i];
    ++n[outcome.group[i]];
  }
  std::vector<double> means(region_count, kNaN);
  for (int r = 0; r < region_count; ++r) {
    if (n[r] > 0) means[r] = sum[r] / n[r];
  }
  return means;
}

bool is_binary(const Characteristic& c) {
  if (!c.categories.empty()) return c.categories.size() == 2;
  return std::all_of(c.value.begin(), c.value.end(), [](double v) { return std::isnan(v) || v == 0.0 || v == 1.0; });
}

v1::Association associate(const Outcome& outcome, const std::vector<double>& means, const Characteristic& c,
                          const VariationOptions& options) {
  v1::Association a;
  a.set_outcome(outcome.id);
  a.set_characteristic(c.id);
  a.set_table(c.table);
  std::vector<double> x, y;
  int without_value = 0;
  for (std::size_t r = 0; r < means.size(); ++r) {
    if (std::isnan(means[r])) continue;
    if (!std::isfinite(c.value[r])) {
      ++without_value;
      continue;
    }
    x.push_back(c.value[r]);
    y.push_back(means[r]);
  }
  a.set_n(static_cast<int>(x.size()));
  const bool binary = is_binary(c);
  a.set_measure(binary ? "mean_difference" : "spearman_rho");
  PermutationOptions permutation = options.permutation;
  permutation.seed = derive_seed(options.permutation.seed, outcome.id + "/" + c.id);
  Expected<AssociationResult> result = binary ? mean_difference_association(x, y, permutation)
                                              : spearman_association(x, y, permutation);
  const Language l = options.language;
  std::string note = without_value > 0 ? std::to_string(without_value) +
                                             text_in(l, " regio('s) zonder waarde weggelaten",
                                                     " region(s) without a value left out")
                                       : "";
  if (!result) {
    note = text_in(l, "niet getoetst: ", "not tested: ") + reason_in(l, result.status().message()) +
           (note.empty() ? "" : "; " + note);
  } else {
    a.set_tested(true);
    a.set_effect(result->effect);
    a.set_p(result->p);
    a.set_exact(result->exact);
    a.set_permutations(result->permutations);
  }
  a.set_note(note);
  return a;
}

std::string characteristic_words(const Characteristic& c, bool high, Language l) {
  if (c.categories.size() == 2) return c.id + " " + c.categories[high ? 1 : 0];
  if (is_binary(c)) {
    return high ? text_in(l, "regio's met ", "regions with ") + c.id : text_in(l, "regio's zonder ", "regions without ") + c.id;
  }
  return (high ? text_in(l, "hogere ", "higher ") : text_in(l, "lagere ", "lower ")) + c.id;
}

std::string verdict(const v1::Association& a, double alpha, Language l) {
  if (a.p_holm() < alpha) return text_in(l, "houdt stand na Holm-correctie", "holds after Holm correction");
  if (a.p_bh() < alpha) {
    return Bilingual{"houdt stand bij een false discovery rate van " + level(alpha, l) +
                         " (Benjamini-Hochberg), niet na Holm",
                     "holds at a false discovery rate of " + level(alpha, l) + " (Benjamini-Hochberg), not after Holm"}
        .in(l);
  }
  if (a.p() < alpha) {
    return "p < " + level(alpha, l) +
           text_in(l, " alleen vóór correctie: niet overtuigend", " before correction only: not conclusive");
  }
  return text_in(l, "geen aanwijzing voor een samenhang", "no evidence of an association");
}

void summarise(v1::Association& a, const Characteristic& c, const std::string& outcome_label, double alpha,
               Language l) {
  const bool nl = l == Language::kDutch;
  const std::string ps = " (" + p_text(a.p(), l) + ", Holm " + fixed(a.p_holm(), 3, l) + ", BH " + fixed(a.p_bh(), 3, l) +
                         ", " + std::to_string(a.n()) + text_in(l, " regio's): ", " regions): ") + verdict(a, alpha, l) +
                         ".";
  if (a.measure() == "mean_difference") {
    const std::string size = fixed(std::abs(a.effect()), 3, l);
    const bool higher = a.effect() >= 0;
    a.set_summary(nl ? outcome_label + ": " + characteristic_words(c, true, l) + " scoren " + size +
                           (higher ? " hoger" : " lager") + " dan " + characteristic_words(c, false, l) + ps
                     : outcome_label + ": " + characteristic_words(c, true, l) + " score " + size +
                           (higher ? " higher" : " lower") + " than " + characteristic_words(c, false, l) + ps);
  } else {
    a.set_summary(outcome_label + ": rho = " + fixed(a.effect(), 2, l) + ", " +
                  characteristic_words(c, a.effect() >= 0, l) +
                  text_in(l, " gaat samen met hogere waarden", " goes with higher values") + ps);
  }
}

// The sentences answering the two questions, and the study's own conclusions tested.
void answer(v1::AnalysisResult& analysis, double alpha, Language l) {
  const bool nl = l == Language::kDutch;
  std::vector<std::string> differ, not_differ, failed;
  const v1::VarianceDecomposition* lowest = nullptr;
  const v1::VarianceDecomposition* highest = nullptr;
  for (const auto& d : analysis.decompositions()) {
    if (d.model() != "intercept only") continue;
    if (!d.fitted()) {
      failed.push_back(d.label());
      continue;
    }
    (d.lrt_p() < alpha ? differ : not_differ).push_back(d.label());
    if (lowest == nullptr || d.icc() < lowest->icc()) lowest = &d;
    if (highest == nullptr || d.icc() > highest->icc()) highest = &d;
  }
  auto join = [](const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
  };
  std::string variation = text_in(l, "Is er variatie tussen BRE's? ", "Is there variation between BREs? ");
  if (highest == nullptr) {
    variation += text_in(l, "Geen enkele uitkomst kon worden ontleed (zie de opmerkingen).",
                         "No outcome could be decomposed (see the notes).");
  } else {
    const std::string counts = std::to_string(differ.size()) + text_in(l, " van ", " of ") +
                               std::to_string(differ.size() + not_differ.size());
    const std::string listed = differ.empty() ? "" : " (" + join(differ) + ")";
    if (nl) {
      variation += counts + " uitkomsten variëren tussen BRE's bij " + level(alpha, l) + listed + "; " +
                   (not_differ.empty() ? "dat geldt voor elke uitkomst."
                                       : "voor " + join(not_differ) + " is er geen aanwijzing dat BRE's verschillen.") +
                   " Hoeveel? Het aandeel van de variantie tussen BRE's loopt van " + percent(lowest->icc(), l) + " (" +
                   lowest->label() + ") tot " + percent(highest->icc(), l) + " (" + highest->label() + ").";
    } else {
      variation += counts + " outcomes vary between BREs at " + level(alpha, l) + listed + "; " +
                   (not_differ.empty() ? "every outcome does."
                                       : "for " + join(not_differ) + " there is no evidence that BREs differ.") +
                   " How much? The share of variance between BREs ranges from " + percent(lowest->icc(), l) + " (" +
                   lowest->label() + ") to " + percent(highest->icc(), l) + " (" + highest->label() + ").";
    }
  }
  if (!failed.empty()) variation += text_in(l, " Niet te schatten: ", " Not estimable: ") + join(failed) + ".";
  analysis.add_answers(variation);

  int tested = 0, holm = 0, bh = 0;
  for (const auto& a : analysis.associations()) {
    if (!a.tested()) continue;
    ++tested;
    holm += a.p_holm() < alpha ? 1 : 0;
    bh += a.p_bh() < alpha ? 1 : 0;
  }
  if (analysis.associations_size() > 0) {
    std::string explained =
        nl ? "Wat hangt ermee samen? Van " + std::to_string(tested) +
                 " samenhangen van regiokenmerken met de uitkomsten houden er " + std::to_string(holm) +
                 " stand na Holm-correctie en " + std::to_string(bh) + " bij een false discovery rate van " +
                 level(alpha, l) + " (Benjamini-Hochberg)."
           : "What goes with it? Of " + std::to_string(tested) +
                 " associations of region characteristics with the outcomes, " + std::to_string(holm) +
                 " hold after Holm correction and " + std::to_string(bh) + " at a false discovery rate of " +
                 level(alpha, l) + " (Benjamini-Hochberg).";
    if (holm == 0 && bh == 0) {
      explained += text_in(l,
                           " Er valt niets te concluderen over wat verschillen tussen BRE's verklaart: met zo weinig "
                           "regio's hebben de toetsen weinig onderscheidend vermogen, en niets vinden is geen bewijs "
                           "dat er geen verband is.",
                           " Nothing can be concluded about what explains differences between BREs: with this many "
                           "regions the tests have little power, and finding nothing is not evidence that there is no "
                           "relation.");
    }
    analysis.add_answers(explained + text_in(l, " Een samenhang is geen oorzaak.", " An association is not a cause."));
  }

  // The study's conclusions (DOMAIN.md, closing), where their characteristics were tested.
  auto claim = [&](const Bilingual& text, auto&& wanted, bool expect_association) {
    std::vector<const v1::Association*> found;
    for (const auto& a : analysis.associations()) {
      if (wanted(a)) found.push_back(&a);
    }
    if (found.empty()) return;
    const v1::Association* best = nullptr;
    for (const auto* a : found) {
      if (a->tested() && (best == nullptr || a->p() < best->p())) best = a;
    }
    std::string sentence = text_in(l, "De conclusie van het onderzoek \"", "The study's \"") + text.in(l) + "\": ";
    if (best == nullptr) {
      sentence += text_in(l, "kon hier niet worden getoetst (", "could not be tested here (") + found.front()->note() +
                  ").";
    } else if (best->p_holm() < alpha) {
      sentence += (expect_association ? text_in(l, "hier ondersteund", "supported here")
                                      : text_in(l, "hier niet bevestigd", "not borne out here")) +
                  ": " + best->summary();
    } else {
      sentence += (expect_association
                       ? text_in(l, "niet ondersteund door een toets die na correctie standhoudt",
                                 "not supported by a test that holds after correction")
                       : text_in(l, "verenigbaar met deze gegevens (geen toets houdt stand na correctie)",
                                 "consistent with these data (no test holds after correction)")) +
                  text_in(l, "; het dichtstbij: ", "; closest: ") + best->summary();
    }
    analysis.add_answers(sentence);
  };
  claim({"geen aanwijzing dat meer congruente regio's effectiever of legitiemer zijn",
         "no evidence that more congruent regions are more effective or more legitimate"},
        [](const v1::Association& a) { return a.characteristic().rfind("congruence_c", 0) == 0; }, false);
  claim({"een geaccepteerde kartrekker gaat samen met betere scores op brede welvaart",
         "an accepted lead actor goes with better broad-well-being scores"},
        [](const v1::Association& a) {
          return a.characteristic() == "lead_actor_accepted" && a.outcome().rfind("broad_wellbeing_", 0) == 0;
        },
        true);
}

std::string power_note(int regions, int tests, double alpha, Language l) {
  const std::string n = std::to_string(regions);
  if (regions < 4) {
    return n + text_in(l, " regio's: te weinig om een samenhang tussen regiokenmerken en uitkomsten te toetsen.",
                       " regions: too few to test any association between region characteristics and outcomes.");
  }
  const std::string critical = fixed(critical_correlation(regions, alpha), 2, l);
  const std::string power = percent(correlation_power(regions, 0.5, alpha), l);
  std::string note =
      l == Language::kDutch
          ? "Met " + n + " regio's haalt een correlatie p < " + level(alpha, l) + " vóór correctie alleen als |rho| >= " +
                critical + " (t-benadering), en een werkelijke correlatie van " + level(0.5, l) + " wordt in ongeveer " +
                power + " van de gevallen gevonden (Fisher-z-benadering)"
          : "With " + n + " regions a correlation reaches p < " + level(alpha, l) + " before correction only when |rho| >= " +
                critical + " (t approximation), and a true correlation of 0.5 is found about " + power +
                " of the time (Fisher z approximation)";
  if (tests > 1) {
    note += Bilingual{"; Holm over " + std::to_string(tests) + " toetsen vraagt p < " + level(alpha / tests, l) +
                          " van de kleinste",
                      "; Holm over " + std::to_string(tests) + " tests asks p < " + level(alpha / tests, l) +
                          " of the smallest"}
                .in(l);
  }
  return note + ".";
}

}  // namespace

Expected<VariationResult> analyse_variation(const DatasetIndex& index, const VariationInputs& inputs,
                                            const VariationOptions& options) {
  if (inputs.partition == nullptr) return invalid_argument("analysis: no input partition");
  const v1::Partition& partition = *inputs.partition;
  const Language l = options.language;
  VariationResult result;
  v1::AnalysisResult& analysis = result.analysis;
  analysis.set_name("variation");
  analysis.set_partition_name(partition.name());

  std::vector<Outcome> outcomes;
  if (inputs.legitimacy != nullptr) {
    for (Outcome& o : legitimacy_outcomes(*inputs.legitimacy, partition, l, result.warnings)) {
      outcomes.push_back(std::move(o));
    }
  } else {
    result.warnings.push_back(text_in(l,
                                      "geen legitimiteitsstap onder de invoer (of geen enquête): de uitkomsten voor "
                                      "legitimiteit ontbreken",
                                      "no legitimacy step among the inputs (or no survey): the legitimacy outcomes "
                                      "are absent"));
  }
  if (inputs.municipal_wellbeing != nullptr) {
    auto wellbeing = wellbeing_outcomes(*inputs.municipal_wellbeing, partition, l);
    if (!wellbeing) return wellbeing.status();
    for (Outcome& o : *wellbeing) outcomes.push_back(std::move(o));
  } else {
    result.warnings.push_back(text_in(l,
                                      "geen tabel broad_wellbeing_municipalities onder de invoer: de uitkomsten voor "
                                      "brede welvaart ontbreken",
                                      "no broad_wellbeing_municipalities table among the inputs: the broad well-being "
                                      "outcomes are absent"));
  }
  if (outcomes.empty()) {
    return invalid_argument("analysis: no outcome among the inputs; give it a legitimacy step with respondent scores "
                            "or a broad_wellbeing step");
  }

  std::map<std::string, Characteristic> characteristics;
  for (const auto* list : {&options.characteristics, &options.fixed_effects}) {
    const char* parameter = list == &options.characteristics ? "characteristics" : "fixed_effects";
    for (const std::string& id : *list) {
      if (characteristics.count(id) != 0) continue;
      auto found = find_characteristic(index, inputs, id, parameter, l, result.warnings);
      if (!found) return found.status();
      characteristics.emplace(id, std::move(*found));
    }
  }
  std::vector<const Characteristic*> covariates;
  for (const std::string& id : options.fixed_effects) covariates.push_back(&characteristics.at(id));

  for (const Outcome& outcome : outcomes) {
    *analysis.add_decompositions() = decompose(outcome, partition, {}, options);
    if (!covariates.empty()) *analysis.add_decompositions() = decompose(outcome, partition, covariates, options);
  }

  std::vector<const Characteristic*> associated;
  for (const std::string& id : options.characteristics) associated.push_back(&characteristics.at(id));
  int regions_with_units = 0;
  for (const Outcome& outcome : outcomes) {
    const std::vector<double> means = region_means(outcome, partition.regions_size());
    regions_with_units = std::max<int>(
        regions_with_units, static_cast<int>(std::count_if(means.begin(), means.end(), [](double m) { return !std::isnan(m); })));
    for (const Characteristic* c : associated) {
      if (options.cancelled && options.cancelled()) return Status(StatusCode::kCancelled, "cancelled while testing associations");
      *analysis.add_associations() = associate(outcome, means, *c, options);
    }
  }
  std::vector<double> p;
  for (const auto& a : analysis.associations()) p.push_back(a.tested() ? a.p() : kNaN);
  const std::vector<double> holm = holm_adjust(p), bh = benjamini_hochberg_adjust(p);
  int tests = 0;
  for (int i = 0; i < analysis.associations_size(); ++i) {
    v1::Association& a = *analysis.mutable_associations(i);
    if (!a.tested()) continue;
    ++tests;
    a.set_p_holm(holm[i]);
    a.set_p_bh(bh[i]);
    const auto& outcome = *std::find_if(outcomes.begin(), outcomes.end(), [&](const Outcome& o) { return o.id == a.outcome(); });
    summarise(a, characteristics.at(a.characteristic()), outcome.label, options.alpha, l);
  }
  for (auto& a : *analysis.mutable_associations()) {
    if (!a.tested()) {
      const auto& outcome = *std::find_if(outcomes.begin(), outcomes.end(), [&](const Outcome& o) { return o.id == a.outcome(); });
      a.set_summary(outcome.label + text_in(l, " en ", " and ") + a.characteristic() + ": " + a.note() + ".");
    }
  }
  if (!associated.empty()) analysis.set_power_note(power_note(regions_with_units, tests, options.alpha, l));
  answer(analysis, options.alpha, l);
  return result;
}

}  // namespace bre::analysis
