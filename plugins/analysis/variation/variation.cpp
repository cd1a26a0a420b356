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
#include <utility>

#include "bre/random.hpp"
#include "random_intercept.hpp"

namespace bre::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kMunicipalWellbeingColumns[][2] = {{"level", "Broad well-being level"},
                                                         {"trend", "Broad well-being trend"}};

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

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string percent(double share) { return fixed(100.0 * share, 1) + "%"; }

// A level such as alpha as people write it: 0.05, 0.001.
std::string level(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::string p_text(double p) { return p < 0.001 ? "p < 0.001" : "p = " + fixed(p, 3); }

std::string lower_dimension_name(v1::LegitimacyDimension dimension) {
  std::string name = v1::LegitimacyDimension_Name(dimension);
  name = name.substr(std::string("LEGITIMACY_DIMENSION_").size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string dimension_words(v1::LegitimacyDimension dimension) {
  std::string words = lower_dimension_name(dimension);
  std::replace(words.begin(), words.end(), '_', ' ');
  return "Legitimacy: " + words;
}

std::map<std::string, int> region_positions(const v1::Partition& partition) {
  std::map<std::string, int> positions;
  for (int r = 0; r < partition.regions_size(); ++r) positions[partition.regions(r).id()] = r;
  return positions;
}

// One outcome per legitimacy dimension with scores, in enum order.
std::vector<Outcome> legitimacy_outcomes(const v1::LegitimacyResult& result, const v1::Partition& partition,
                                         std::vector<std::string>& warnings) {
  const auto positions = region_positions(partition);
  std::map<int, Outcome> by_dimension;
  std::set<std::string> unknown_regions;
  for (const v1::RespondentScore& score : result.respondent_scores()) {
    Outcome& outcome = by_dimension[score.dimension()];
    if (outcome.id.empty()) {
      outcome.id = "legitimacy_" + lower_dimension_name(score.dimension());
      outcome.label = dimension_words(score.dimension());
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
    warnings.push_back("legitimacy scores name region '" + id + "', which partition '" + partition.name() +
                       "' does not have; those respondents are counted as unassigned");
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
Expected<std::vector<Outcome>> wellbeing_outcomes(const v1::IndicatorTable& table, const v1::Partition& partition) {
  const int region_column = column_index(table, "region");
  if (region_column < 0) {
    return invalid_argument("table '" + table.name() + "': no column 'region'; expected the municipalities' regions");
  }
  const auto positions = region_positions(partition);
  const auto& categories = table.columns(region_column).categories();
  std::vector<Outcome> outcomes;
  for (const auto& [id, label] : kMunicipalWellbeingColumns) {
    const int column = column_index(table, id);
    if (column < 0) return invalid_argument("table '" + table.name() + "': no column '" + id + "'");
    Outcome outcome;
    outcome.id = std::string("broad_wellbeing_") + id;
    outcome.label = label;
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
                                   std::vector<std::string>& warnings) {
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
      warnings.push_back("characteristic '" + id + "': cases '" + source[r] + "' and '" + c.region_id() +
                         "' both fall mostly in region " + partition.regions(static_cast<int>(r)).id() +
                         "; the first is used");
      continue;
    }
    source[r] = c.region_id();
    characteristic.value[r] = case_value(c, id);
  }
  return characteristic;
}

Expected<Characteristic> find_characteristic(const DatasetIndex& index, const VariationInputs& inputs,
                                             const std::string& id, const char* parameter,
                                             std::vector<std::string>& warnings) {
  if (is_case_characteristic(id)) return case_characteristic(index, *inputs.partition, id, warnings);
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
    notes.push_back(std::to_string(outcome.unassigned) + " " + outcome.unit + "(s) without a region left out");
  }
  if (outcome.missing > 0) notes.push_back(std::to_string(outcome.missing) + " " + outcome.unit + "(s) without a value left out");
  if (dropped > 0) {
    notes.push_back(std::to_string(dropped) + " " + outcome.unit +
                    "(s) of regions missing a characteristic of the model left out");
  }
  std::vector<int> sizes(partition.regions_size(), 0);
  for (int g : data.group) ++sizes[g];
  std::vector<int> single;
  for (int r = 0; r < partition.regions_size(); ++r) {
    if (sizes[r] == 1) single.push_back(r);
  }
  if (!single.empty()) {
    notes.push_back("regions with one " + outcome.unit + ": " + region_list(partition, single) +
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
    notes.insert(notes.begin(), "not estimable: " + reason);
    d.set_summary(outcome.label + ": the share of variance between BREs cannot be estimated (" + reason + ").");
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
    const std::string coverage = fixed(100.0 * options.confidence, 0);
    d.set_summary(outcome.label + (covariates.empty() ? "" : " (" + model + ")") + ": " + percent(fit->icc) +
                  " of the variance lies between BREs (" + coverage + "% CI " + percent(fit->icc_low) + " to " +
                  percent(fit->icc_high) + "); against no BRE effect " + p_text(fit->lrt_p) + ": " +
                  (fit->lrt_p < options.alpha ? "BREs differ." : "no evidence that BREs differ."));
    if (fit->icc_high_unbounded) notes.push_back("the interval of the ICC is open above (the likelihood stays high up to 1)");
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
  std::string note = without_value > 0 ? std::to_string(without_value) + " region(s) without a value left out" : "";
  if (!result) {
    note = "not tested: " + result.status().message() + (note.empty() ? "" : "; " + note);
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

std::string characteristic_words(const Characteristic& c, bool high) {
  if (c.categories.size() == 2) return c.id + " " + c.categories[high ? 1 : 0];
  if (is_binary(c)) return high ? "regions with " + c.id : "regions without " + c.id;
  return (high ? "higher " : "lower ") + c.id;
}

std::string verdict(const v1::Association& a, double alpha) {
  if (a.p_holm() < alpha) return "holds after Holm correction";
  if (a.p_bh() < alpha) return "holds at a false discovery rate of " + level(alpha) + " (Benjamini-Hochberg), not after Holm";
  if (a.p() < alpha) return "p < " + level(alpha) + " before correction only: not conclusive";
  return "no evidence of an association";
}

void summarise(v1::Association& a, const Characteristic& c, const std::string& outcome_label, double alpha) {
  const std::string ps = " (" + p_text(a.p()) + ", Holm " + fixed(a.p_holm(), 3) + ", BH " + fixed(a.p_bh(), 3) +
                         ", " + std::to_string(a.n()) + " regions): " + verdict(a, alpha) + ".";
  if (a.measure() == "mean_difference") {
    a.set_summary(outcome_label + ": " + characteristic_words(c, true) + " score " + fixed(std::abs(a.effect()), 3) +
                  (a.effect() >= 0 ? " higher" : " lower") + " than " + characteristic_words(c, false) + ps);
  } else {
    a.set_summary(outcome_label + ": rho = " + fixed(a.effect(), 2) + ", " + characteristic_words(c, a.effect() >= 0) +
                  " goes with higher values" + ps);
  }
}

// The sentences answering the two questions, and the study's own conclusions tested.
void answer(v1::AnalysisResult& analysis, double alpha) {
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
  std::string variation = "Is there variation between BREs? ";
  if (highest == nullptr) {
    variation += "No outcome could be decomposed (see the notes).";
  } else {
    variation += std::to_string(differ.size()) + " of " + std::to_string(differ.size() + not_differ.size()) +
                 " outcomes vary between BREs at " + level(alpha) +
                 (differ.empty() ? "" : " (" + join(differ) + ")") + "; " +
                 (not_differ.empty() ? "every outcome does." : "for " + join(not_differ) + " there is no evidence that BREs differ.") +
                 " How much? The share of variance between BREs ranges from " + percent(lowest->icc()) + " (" +
                 lowest->label() + ") to " + percent(highest->icc()) + " (" + highest->label() + ").";
  }
  if (!failed.empty()) variation += " Not estimable: " + join(failed) + ".";
  analysis.add_answers(variation);

  int tested = 0, holm = 0, bh = 0;
  for (const auto& a : analysis.associations()) {
    if (!a.tested()) continue;
    ++tested;
    holm += a.p_holm() < alpha ? 1 : 0;
    bh += a.p_bh() < alpha ? 1 : 0;
  }
  if (analysis.associations_size() > 0) {
    std::string explained = "What goes with it? Of " + std::to_string(tested) +
                            " associations of region characteristics with the outcomes, " + std::to_string(holm) +
                            " hold after Holm correction and " + std::to_string(bh) +
                            " at a false discovery rate of " + level(alpha) + " (Benjamini-Hochberg).";
    if (holm == 0 && bh == 0) {
      explained += " Nothing can be concluded about what explains differences between BREs: with this many regions "
                   "the tests have little power, and finding nothing is not evidence that there is no relation.";
    }
    analysis.add_answers(explained + " An association is not a cause.");
  }

  // The study's conclusions (DOMAIN.md, closing), where their characteristics were tested.
  auto claim = [&](const std::string& text, auto&& wanted, bool expect_association) {
    std::vector<const v1::Association*> found;
    for (const auto& a : analysis.associations()) {
      if (wanted(a)) found.push_back(&a);
    }
    if (found.empty()) return;
    const v1::Association* best = nullptr;
    for (const auto* a : found) {
      if (a->tested() && (best == nullptr || a->p() < best->p())) best = a;
    }
    std::string sentence = "The study's \"" + text + "\": ";
    if (best == nullptr) {
      sentence += "could not be tested here (" + found.front()->note() + ").";
    } else if (best->p_holm() < alpha) {
      sentence += std::string(expect_association ? "supported" : "not borne out") + " here: " + best->summary();
    } else {
      sentence += std::string(expect_association ? "not supported by a test that holds after correction"
                                                 : "consistent with these data (no test holds after correction)") +
                  "; closest: " + best->summary();
    }
    analysis.add_answers(sentence);
  };
  claim("no evidence that more congruent regions are more effective or more legitimate",
        [](const v1::Association& a) { return a.characteristic().rfind("congruence_c", 0) == 0; }, false);
  claim("an accepted lead actor goes with better broad-well-being scores",
        [](const v1::Association& a) {
          return a.characteristic() == "lead_actor_accepted" && a.outcome().rfind("broad_wellbeing_", 0) == 0;
        },
        true);
}

std::string power_note(int regions, int tests, double alpha) {
  if (regions < 4) {
    return std::to_string(regions) + " regions: too few to test any association between region characteristics and "
                                     "outcomes.";
  }
  std::string note = "With " + std::to_string(regions) + " regions a correlation reaches p < " + level(alpha) +
                     " before correction only when |rho| >= " + fixed(critical_correlation(regions, alpha), 2) +
                     " (t approximation), and a true correlation of 0.5 is found about " +
                     percent(correlation_power(regions, 0.5, alpha)) + " of the time (Fisher z approximation)";
  if (tests > 1) {
    note += "; Holm over " + std::to_string(tests) + " tests asks p < " + level(alpha / tests) + " of the smallest";
  }
  return note + ".";
}

}  // namespace

Expected<VariationResult> analyse_variation(const DatasetIndex& index, const VariationInputs& inputs,
                                            const VariationOptions& options) {
  if (inputs.partition == nullptr) return invalid_argument("analysis: no input partition");
  const v1::Partition& partition = *inputs.partition;
  VariationResult result;
  v1::AnalysisResult& analysis = result.analysis;
  analysis.set_name("variation");
  analysis.set_partition_name(partition.name());

  std::vector<Outcome> outcomes;
  if (inputs.legitimacy != nullptr) {
    for (Outcome& o : legitimacy_outcomes(*inputs.legitimacy, partition, result.warnings)) outcomes.push_back(std::move(o));
  } else {
    result.warnings.push_back("no legitimacy step among the inputs (or no survey): the legitimacy outcomes are absent");
  }
  if (inputs.municipal_wellbeing != nullptr) {
    auto wellbeing = wellbeing_outcomes(*inputs.municipal_wellbeing, partition);
    if (!wellbeing) return wellbeing.status();
    for (Outcome& o : *wellbeing) outcomes.push_back(std::move(o));
  } else {
    result.warnings.push_back("no broad_wellbeing_municipalities table among the inputs: the broad well-being outcomes "
                              "are absent");
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
      auto found = find_characteristic(index, inputs, id, parameter, result.warnings);
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
    summarise(a, characteristics.at(a.characteristic()), outcome.label, options.alpha);
  }
  for (auto& a : *analysis.mutable_associations()) {
    if (!a.tested()) {
      const auto& outcome = *std::find_if(outcomes.begin(), outcomes.end(), [&](const Outcome& o) { return o.id == a.outcome(); });
      a.set_summary(outcome.label + " and " + a.characteristic() + ": " + a.note() + ".");
    }
  }
  if (!associated.empty()) analysis.set_power_note(power_note(regions_with_units, tests, options.alpha));
  answer(analysis, options.alpha);
  return result;
}

}  // namespace bre::analysis
