#include "stage_rules.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bre/case_descriptors.hpp"
#include "bre/partition.hpp"
#include "bre/plugin_helpers.hpp"

namespace bre::lifecycle {
namespace {

// ---------------------------------------------------------------------------
// Reading descriptors and values.

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

struct ValueText {
  std::string_view value;
  std::string_view en;
  std::string_view nl;
};

constexpr ValueText kValueTexts[] = {
    {"unknown", "unknown", "onbekend"},
    {"yes", "yes", "ja"},
    {"no", "no", "nee"},
    {"none", "none", "geen"},
    {"sectoral", "sectoral", "sectoraal"},
    {"integral", "integral", "integraal"},
    {"province", "province", "provincie"},
    {"central_municipality", "central municipality", "centrumgemeente"},
    {"regional_office", "regional office", "regiobureau"},
    {"ad_hoc", "ad hoc", "ad hoc"},
    {"project", "project-based", "projectmatig"},
    {"structural", "structural", "structureel"},
    {"thin", "thin", "dun"},
    {"thick", "thick", "dik"},
    {"subregion", "subregion", "subregio"},
    {"bre", "BRE", "BRE"},
    {"supra_regional", "supra-regional", "bovenregionaal"},
};

std::string value_text(std::string_view value, bool dutch) {
  for (const ValueText& t : kValueTexts) {
    if (t.value == value) return std::string(dutch ? t.nl : t.en);
  }
  return std::string(value);
}

const char* verdict_text(Verdict verdict, bool dutch) {
  switch (verdict) {
    case Verdict::kMet: return dutch ? "voldaan" : "met";
    case Verdict::kPartial: return dutch ? "deels voldaan" : "partly met";
    case Verdict::kNotMet: return dutch ? "niet voldaan" : "not met";
    case Verdict::kUnknown: break;
  }
  return dutch ? "onbekend" : "unknown";
}

// The value of a descriptor, or "unknown" when the field does not exist (the rule
// table parser rules that out).
std::string value_or_unknown(const v1::CaseDescriptors& c, std::string_view descriptor) {
  Expected<std::string> value = descriptor_value(c, descriptor);
  return value ? *value : std::string("unknown");
}

double credit(Verdict verdict) {
  switch (verdict) {
    case Verdict::kMet: return 1.0;
    case Verdict::kPartial: return 0.5;
    default: return 0.0;
  }
}

// Over the criteria that decide the stage (evidence-only ones do not).
double support(const StageRule& rule, const v1::CaseDescriptors& c) {
  double credits = 0.0;
  std::size_t deciding = 0;
  for (const Criterion& criterion : rule.criteria) {
    if (criterion.evidence_only) continue;
    credits += credit(evaluate(criterion, c));
    ++deciding;
  }
  return deciding == 0 ? 0.0 : credits / static_cast<double>(deciding);
}

// evidence_factor^(1 - credit) over the stage's evidence-only criteria that are known.
double evidence_weight(const RuleTable& rules, const StageRule& rule, const v1::CaseDescriptors& c) {
  double weight = 1.0;
  for (const Criterion& criterion : rule.criteria) {
    const Verdict verdict = evaluate(criterion, c);
    if (!criterion.evidence_only || verdict == Verdict::kUnknown) continue;
    weight *= std::pow(rules.evidence_factor, 1.0 - credit(verdict));
  }
  return weight;
}

bool holds(const RuleTable& rules, const StageRule& rule, const v1::CaseDescriptors& c) {
  for (const Criterion& criterion : rule.criteria) {
    if (criterion.evidence_only) continue;
    const Verdict verdict = evaluate(criterion, c);
    if (verdict == Verdict::kNotMet) return false;
    if (criterion.required && verdict == Verdict::kUnknown) return false;
  }
  return support(rule, c) >= rules.minimum_support;
}

bool refuted(const StageRule& rule, const v1::CaseDescriptors& c) {
  for (const Criterion& criterion : rule.criteria) {
    if (!criterion.evidence_only && evaluate(criterion, c) == Verdict::kNotMet) return true;
  }
  return false;
}

std::string descriptors_of(const Criterion& criterion) {
  std::string names;
  for (const Condition& condition : criterion.any_of) names += (names.empty() ? "" : "|") + condition.descriptor;
  return names;
}

std::string values_of(const Criterion& criterion, const v1::CaseDescriptors& c, bool dutch, bool raw) {
  std::string values;
  for (const Condition& condition : criterion.any_of) {
    const std::string value = value_or_unknown(c, condition.descriptor);
    if (!values.empty()) values += raw ? "|" : " / ";
    values += raw ? value : value_text(value, dutch);
  }
  return values;
}

void add_criterion_evidence(v1::LifecycleAssessment& a, const StageRule& rule, const Criterion& criterion,
                            const v1::CaseDescriptors& c, bool supports) {
  const Verdict verdict = evaluate(criterion, c);
  v1::Evidence* e = a.add_evidence();
  e->set_descriptor_field(descriptors_of(criterion));
  e->set_value(values_of(criterion, c, false, true));
  e->set_supports(supports);
  const bool lowers = criterion.evidence_only && (verdict == Verdict::kNotMet || verdict == Verdict::kPartial);
  e->set_text_en(rule.label_en + (criterion.evidence_only ? " evidence: " : " criterion: ") + criterion.text_en +
                 " - " + values_of(criterion, c, false, false) + " (" + verdict_text(verdict, false) + ")" +
                 (lowers ? "; confidence lowered" : ""));
  e->set_text_nl((criterion.evidence_only ? "Aanwijzing " : "Criterium ") + rule.label_nl + ": " +
                 criterion.text_nl + " - " + values_of(criterion, c, true, false) + " (" +
                 verdict_text(verdict, true) + ")" + (lowers ? "; betrouwbaarheid verlaagd" : ""));
}

void set_stage(v1::LifecycleAssessment& a, const RuleTable& rules, v1::Stage stage) {
  a.set_stage(stage);
  if (const StageRule* rule = rules.find_stage(stage)) {
    a.set_stage_label_en(rule->label_en);
    a.set_stage_label_nl(rule->label_nl);
  } else {
    a.set_stage_label_en("undecided");
    a.set_stage_label_nl("onbepaald");
  }
}

// The stage after `stage` in the table's order of development, or nullptr.
const StageRule* next_stage_up(const RuleTable& rules, v1::Stage stage) {
  for (std::size_t i = 0; i + 1 < rules.stages.size(); ++i) {
    if (rules.stages[i].stage == stage) return &rules.stages[i + 1];
  }
  return nullptr;
}

std::string format_share(double value, Language language) { return format_decimal(language, value, 2); }

}  // namespace

Expected<std::string> descriptor_value(const v1::CaseDescriptors& c, std::string_view descriptor) {
  return case_descriptor_value(c, descriptor);
}

Verdict evaluate(const Condition& condition, const v1::CaseDescriptors& c) {
  const std::string value = value_or_unknown(c, condition.descriptor);
  if (value == "unknown") return Verdict::kUnknown;
  if (listed(condition.met, value)) return Verdict::kMet;
  if (listed(condition.partial, value)) return Verdict::kPartial;
  return Verdict::kNotMet;
}

Verdict evaluate(const Criterion& criterion, const v1::CaseDescriptors& c) {
  bool partial = false;
  bool unknown = false;
  for (const Condition& condition : criterion.any_of) {
    switch (evaluate(condition, c)) {
      case Verdict::kMet: return Verdict::kMet;
      case Verdict::kPartial: partial = true; break;
      case Verdict::kUnknown: unknown = true; break;
      case Verdict::kNotMet: break;
    }
  }
  if (partial) return Verdict::kPartial;
  return unknown ? Verdict::kUnknown : Verdict::kNotMet;
}

v1::LifecycleAssessment assess_case(const RuleTable& rules, const v1::CaseDescriptors& c) {
  v1::LifecycleAssessment a;
  a.set_region_id(c.region_id());
  a.set_region_name(c.region_name());

  // Unknown descriptors the stage rules read, decisive ones first, each once.
  std::vector<std::string> missing;
  auto note_missing = [&](const std::string& name) {
    if (value_or_unknown(c, name) == "unknown" && !listed(missing, name)) missing.push_back(name);
  };
  for (const std::string& descriptor : rules.decisive_descriptors) note_missing(descriptor);
  for (const StageRule& rule : rules.stages) {
    for (const Criterion& criterion : rule.criteria) {
      for (const Condition& condition : criterion.any_of) note_missing(condition.descriptor);
    }
  }
  for (const std::string& name : missing) a.add_missing_descriptors(name);

  bool all_decisive_unknown = !rules.decisive_descriptors.empty();
  for (const std::string& descriptor : rules.decisive_descriptors) {
    all_decisive_unknown &= value_or_unknown(c, descriptor) == "unknown";
  }
  const StageRule& second = rules.stages[1];
  v1::Stage stage = v1::STAGE_UNDECIDED;
  if (!all_decisive_unknown) {
    for (std::size_t i = rules.stages.size(); i-- > 1;) {
      if (holds(rules, rules.stages[i], c)) {
        stage = rules.stages[i].stage;
        break;
      }
    }
    if (stage == v1::STAGE_UNDECIDED && refuted(second, c)) stage = rules.stages[0].stage;
  }
  set_stage(a, rules, stage);

  // Evidence and confidence.
  const StageRule* rule = rules.find_stage(stage);
  double confidence = 0.0;
  if (rule != nullptr) {
    for (const Criterion& criterion : rule->criteria) {
      const Verdict verdict = evaluate(criterion, c);
      add_criterion_evidence(a, *rule, criterion, c, verdict == Verdict::kMet || verdict == Verdict::kPartial);
    }
    confidence = support(*rule, c) * evidence_weight(rules, *rule, c);
    // Why not the next stage up: its deciding criteria that are neither met nor partly
    // met. One known not to be met supports the assigned stage; an unknown one does not.
    if (const StageRule* up = next_stage_up(rules, stage)) {
      for (const Criterion& criterion : up->criteria) {
        if (criterion.evidence_only) continue;
        const Verdict verdict = evaluate(criterion, c);
        if (verdict == Verdict::kNotMet || verdict == Verdict::kUnknown) {
          add_criterion_evidence(a, *up, criterion, c, verdict == Verdict::kNotMet);
        }
      }
    }
  } else {
    // Undecided: show what the decision between the first two stages needed.
    for (const Criterion& criterion : second.criteria) add_criterion_evidence(a, second, criterion, c, false);
  }

  for (const Contradiction& contradiction : rules.contradictions) {
    if (evaluate(contradiction.first, c) != Verdict::kMet || evaluate(contradiction.second, c) != Verdict::kMet) {
      continue;
    }
    v1::Evidence* e = a.add_evidence();
    e->set_descriptor_field(contradiction.first.descriptor + "|" + contradiction.second.descriptor);
    e->set_value(value_or_unknown(c, contradiction.first.descriptor) + "|" +
                 value_or_unknown(c, contradiction.second.descriptor));
    e->set_supports(false);
    e->set_text_en("Contradictory descriptors: " + contradiction.text_en + "; confidence lowered");
    e->set_text_nl("Tegenstrijdige kenmerken: " + contradiction.text_nl + "; betrouwbaarheid verlaagd");
    confidence *= rules.contradiction_factor;
  }
  a.set_confidence(confidence);

  for (const DirectionRule& direction : rules.directions) {
    if (direction.stage != stage) continue;
    v1::DevelopmentDirection* d = a.add_directions();
    d->set_id(direction.id);
    d->set_label_en(direction.label_en);
    d->set_label_nl(direction.label_nl);
    for (const Condition& signal : direction.signals) {
      if (evaluate(signal, c) != Verdict::kMet) continue;
      d->add_signals(signal.descriptor + "=" + value_or_unknown(c, signal.descriptor));
    }
  }

  // The stage's recommendations first, then those for every stage.
  for (const bool for_all : {false, true}) {
    for (const RecommendationRule& recommendation : rules.recommendations) {
      if (recommendation.all_stages != for_all) continue;
      if (!for_all && recommendation.stage != stage) continue;
      v1::Recommendation* r = a.add_recommendations();
      r->set_text_en(recommendation.text_en);
      r->set_text_nl(recommendation.text_nl);
    }
  }
  return a;
}

Expected<StageRulesResult> classify_cases(const DatasetIndex& index, const v1::Partition* partition,
                                          const RuleTable& rules, const StageRulesOptions& options) {
  if (!(options.min_confidence >= 0.0 && options.min_confidence <= 1.0)) {
    return invalid_argument("min_confidence: expected a value in [0, 1]");
  }

  std::optional<Membership> membership;
  if (partition != nullptr) {
    Expected<Membership> m = membership_of(index, *partition);
    if (!m) return m.status().with_context("partition '" + partition->name() + "'");
    membership = std::move(*m);
  }

  StageRulesResult result;
  result.lifecycle.set_rule_table(rules.version.empty() ? rules.name : rules.name + " " + rules.version);
  const v1::Dataset& dataset = index.dataset();
  const Language l = options.language;
  if (dataset.cases_size() == 0) {
    result.warnings.push_back(Bilingual{"dataset '" + dataset.name() +
                                            "' heeft geen casusbeschrijvingen: geen levenscyclusfasen bepaald",
                                        "dataset '" + dataset.name() +
                                            "' has no case descriptors: no life-cycle stages assessed"}
                                  .in(l));
  }
  for (int i = 0; i < dataset.cases_size(); ++i) {
    const v1::CaseDescriptors& c = dataset.cases(i);
    const std::string label = text_in(l, "casus '", "case '") +
                              (c.region_id().empty() ? "cases[" + std::to_string(i) + "]" : c.region_id()) + "'";
    v1::LifecycleAssessment assessment = assess_case(rules, c);

    if (partition != nullptr) {
      std::vector<std::int64_t> overlap(static_cast<std::size_t>(partition->regions_size()), 0);
      std::vector<std::string> unknown;
      for (const std::string& code : c.municipality_codes()) {
        std::optional<std::size_t> m = index.municipality(code);
        if (!m) {
          unknown.push_back(code);
          continue;
        }
        const std::int32_t r = (*membership)[*m];
        if (r != kUnassigned) ++overlap[static_cast<std::size_t>(r)];
      }
      std::int64_t best = 0;
      int best_region = -1;
      for (std::size_t r = 0; r < overlap.size(); ++r) {
        if (overlap[r] > best) {  // strict: ties keep the lowest region index
          best = overlap[r];
          best_region = static_cast<int>(r);
        }
      }
      if (best_region >= 0) {
        assessment.set_partition_region_id(partition->regions(best_region).id());
      } else {
        result.warnings.push_back(label + text_in(l, ": geen van haar gemeenten ligt in een regio van partitie '",
                                                  ": none of its municipalities is in a region of partition '") +
                                  partition->name() + "'");
      }
      if (!unknown.empty()) {
        std::string codes;
        for (const std::string& code : unknown) codes += (codes.empty() ? "" : ", ") + code;
        result.warnings.push_back(label +
                                  text_in(l, ": onbekende gemeentecodes genegeerd: ",
                                          ": unknown municipality codes ignored: ") +
                                  codes);
      }
    }

    if (assessment.stage() == v1::STAGE_UNDECIDED) {
      std::string names;
      for (const std::string& name : assessment.missing_descriptors()) {
        names += (names.empty() ? "" : ", ") + name;
      }
      result.warnings.push_back(label +
                                text_in(l, ": fase onbeslist; ontbrekende kenmerken: ",
                                        ": stage undecided; missing descriptors: ") +
                                names);
    } else if (assessment.confidence() < options.min_confidence) {
      const std::string confidence = format_share(assessment.confidence(), l);
      const std::string minimum = format_share(options.min_confidence, l);
      result.warnings.push_back(
          label + Bilingual{": fase '" + assessment.stage_label_nl() + "' toegekend met zekerheid " + confidence +
                                " onder min_confidence " + minimum,
                            ": stage '" + assessment.stage_label_en() + "' assigned with confidence " + confidence +
                                " below min_confidence " + minimum}
                      .in(l));
    }
    *result.lifecycle.add_assessments() = std::move(assessment);
  }
  return result;
}

}  // namespace bre::lifecycle
