#include "stage_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include "bre/partition.hpp"

namespace bre::lifecycle {
namespace {

// ---------------------------------------------------------------------------
// The rule tables (DOMAIN.md §8). Values: CaseDescriptors enum names without their
// prefix, lower case; '|' separates alternatives.

constexpr Criterion kMeetingPlaceCriteria[] = {
    {"no_shared_vision", {"shared_vision", "no", ""}, {}, false,
     "administrators meet without a shared vision on the region",
     "bestuurders ontmoeten elkaar zonder gedeelde visie op de regio"},
    {"no_regional_agenda", {"agenda", "none", "sectoral"}, {}, false,
     "there is no integral regional agenda (a sectoral one counts half)",
     "er is geen integrale regionale agenda (een sectorale telt half)"},
    {"no_consensus_why", {"consensus_why", "no", ""}, {}, false,
     "there is no consensus on why to cooperate strategically at this scale",
     "er is geen consensus over het waarom van strategische samenwerking op deze schaal"},
    {"no_accepted_lead_actor", {"lead_actor", "none", ""}, {"lead_actor_accepted", "no", ""},
     false, "no party acts as connector and driver with the others' consent",
     "geen partij treedt met instemming van de anderen op als verbinder en aanjager"},
};

constexpr Criterion kStartUpCriteria[] = {
    {"consensus_why", {"consensus_why", "yes", ""}, {}, true,
     "there is consensus on why to cooperate strategically at this scale",
     "er is consensus over het waarom van strategische samenwerking op deze schaal"},
    {"lead_actor_present", {"lead_actor", "province|central_municipality|regional_office", ""},
     {}, false,
     "a province, central municipality or regional office acts as connector and driver",
     "een provincie, centrumgemeente of regiobureau treedt op als verbinder en aanjager"},
    {"lead_actor_accepted", {"lead_actor_accepted", "yes", ""}, {}, false,
     "the other partners grant the lead actor that role",
     "de andere partners gunnen de kartrekker die rol"},
    {"community_links", {"economic_link", "ad_hoc|project|structural", ""},
     {"societal_link", "ad_hoc|project|structural", ""}, false,
     "economic or societal partners are involved, at least ad hoc",
     "economische of maatschappelijke partners zijn betrokken, ten minste ad hoc"},
};

constexpr Criterion kRunningSystemCriteria[] = {
    {"shared_vision", {"shared_vision", "yes", ""}, {}, false,
     "there is a shared vision on the region", "er is een gedeelde visie op de regio"},
    {"integral_agenda", {"agenda", "integral", "sectoral"}, {}, false,
     "there is an integral regional agenda (a sectoral one counts half)",
     "er is een integrale regionale agenda (een sectorale telt half)"},
    {"consensus_why", {"consensus_why", "yes", ""}, {}, true,
     "there is consensus on why to cooperate", "er is consensus over het waarom"},
    {"consensus_what", {"consensus_what", "yes", ""}, {}, false,
     "there is consensus on what to do (ambitions and tasks)",
     "er is consensus over het wat (ambities en opgaven)"},
    {"consensus_how", {"consensus_how", "yes", ""}, {}, false,
     "there is consensus on how to cooperate (decision-making, partners, projects)",
     "er is consensus over het hoe (besluitvorming, partners, projecten)"},
    {"decision_agreements", {"decision_agreements", "yes", ""}, {}, false,
     "there are agreements on decision-making", "er zijn afspraken over besluitvorming"},
    {"capacity_agreements", {"capacity_agreements", "yes", ""}, {}, false,
     "there are agreements on organising capacity",
     "er zijn afspraken over het organiseren van capaciteit"},
    {"structural_community_link", {"economic_link", "structural", ""},
     {"societal_link", "structural", ""}, false,
     "the economic or societal community has a structural place in the system",
     "de economische of maatschappelijke gemeenschap heeft een structurele plek in het systeem"},
};

constexpr StageRule kStageRules[] = {
    {v1::STAGE_MEETING_PLACE, "meeting place", "ontmoetingsplek", kMeetingPlaceCriteria},
    {v1::STAGE_START_UP, "start-up", "startup", kStartUpCriteria},
    {v1::STAGE_RUNNING_SYSTEM, "running system", "draaiend systeem", kRunningSystemCriteria},
};

constexpr std::string_view kDecisiveDescriptors[] = {"consensus_why", "shared_vision"};

constexpr Contradiction kContradictions[] = {
    {{"agenda", "integral", ""}, {"consensus_why", "no", ""},
     "an integral regional agenda without consensus on why to cooperate",
     "een integrale regionale agenda zonder consensus over het waarom"},
    {{"shared_vision", "yes", ""}, {"consensus_why", "no", ""},
     "a shared vision without consensus on why to cooperate",
     "een gedeelde visie zonder consensus over het waarom"},
    {{"consensus_what", "yes", ""}, {"consensus_why", "no", ""},
     "consensus on what to do without consensus on why",
     "consensus over het wat zonder consensus over het waarom"},
    {{"lead_actor", "none", ""}, {"lead_actor_accepted", "yes", ""},
     "a lead actor that others accept while there is no lead actor",
     "een geaccepteerde kartrekker terwijl er geen kartrekker is"},
};

constexpr DirectionRule kDirections[] = {
    {v1::STAGE_MEETING_PLACE, "stay", "stay a meeting place", "blijven hangen"},
    {v1::STAGE_MEETING_PLACE, "develop_further", "develop further towards a start-up",
     "doorontwikkelen naar een startup"},
    {v1::STAGE_MEETING_PLACE, "stop", "stop", "stoppen"},
    {v1::STAGE_START_UP, "develop_further", "develop further (institutionalise)",
     "doorontwikkelen (institutionaliseren)"},
    {v1::STAGE_START_UP, "fall_back", "fall back to a meeting place",
     "terugvallen naar een ontmoetingsplek"},
    {v1::STAGE_START_UP, "stop", "stop", "stoppen"},
    {v1::STAGE_RUNNING_SYSTEM, "recalibrate",
     "recalibrate: back to the drawing board via meeting place and start-up to a new running "
     "system",
     "herijken: terug naar de tekentafel, via ontmoetingsplek en startup naar een nieuw "
     "draaiend systeem"},
    {v1::STAGE_RUNNING_SYSTEM, "stop", "stop", "stoppen"},
};

constexpr DirectionSignal kSignals[] = {
    // Meeting place.
    {v1::STAGE_MEETING_PLACE, "stay", {"urgency", "no", ""}},
    {v1::STAGE_MEETING_PLACE, "stay", {"lead_actor", "none", ""}},
    {v1::STAGE_MEETING_PLACE, "stay", {"result_oriented_culture", "no", ""}},
    {v1::STAGE_MEETING_PLACE, "stay", {"recent_merger", "yes", ""}},
    {v1::STAGE_MEETING_PLACE, "develop_further", {"urgency", "yes", ""}},
    {v1::STAGE_MEETING_PLACE, "develop_further", {"consensus_why", "yes", ""}},
    {v1::STAGE_MEETING_PLACE, "develop_further", {"lead_actor_accepted", "yes", ""}},
    {v1::STAGE_MEETING_PLACE, "develop_further", {"mutual_trust", "yes", ""}},
    {v1::STAGE_MEETING_PLACE, "develop_further", {"result_oriented_culture", "yes", ""}},
    {v1::STAGE_MEETING_PLACE, "stop", {"administrative_conflict_history", "yes", ""}},
    {v1::STAGE_MEETING_PLACE, "stop", {"mutual_trust", "no", ""}},
    {v1::STAGE_MEETING_PLACE, "stop", {"result_scale", "subregion|supra_regional", ""}},
    // Start-up.
    {v1::STAGE_START_UP, "develop_further", {"urgency", "yes", ""}},
    {v1::STAGE_START_UP, "develop_further", {"consensus_what", "yes", ""}},
    {v1::STAGE_START_UP, "develop_further", {"consensus_how", "yes", ""}},
    {v1::STAGE_START_UP, "develop_further", {"decision_agreements", "yes", ""}},
    {v1::STAGE_START_UP, "develop_further", {"capacity_agreements", "yes", ""}},
    {v1::STAGE_START_UP, "develop_further", {"structured_investment", "yes", ""}},
    {v1::STAGE_START_UP, "develop_further", {"result_oriented_culture", "yes", ""}},
    {v1::STAGE_START_UP, "fall_back", {"recent_merger", "yes", ""}},
    {v1::STAGE_START_UP, "fall_back", {"new_administrators", "yes", ""}},
    {v1::STAGE_START_UP, "fall_back", {"administrative_conflict_history", "yes", ""}},
    {v1::STAGE_START_UP, "fall_back", {"recalibration_under_way", "yes", ""}},
    {v1::STAGE_START_UP, "fall_back", {"lead_actor_accepted", "no", ""}},
    {v1::STAGE_START_UP, "stop", {"mutual_trust", "no", ""}},
    {v1::STAGE_START_UP, "stop", {"result_scale", "subregion|supra_regional", ""}},
    // Running system.
    {v1::STAGE_RUNNING_SYSTEM, "recalibrate", {"urgency", "yes", ""}},
    {v1::STAGE_RUNNING_SYSTEM, "recalibrate", {"recent_merger", "yes", ""}},
    {v1::STAGE_RUNNING_SYSTEM, "recalibrate", {"new_administrators", "yes", ""}},
    {v1::STAGE_RUNNING_SYSTEM, "recalibrate", {"administrative_conflict_history", "yes", ""}},
    {v1::STAGE_RUNNING_SYSTEM, "recalibrate", {"recalibration_under_way", "yes", ""}},
    {v1::STAGE_RUNNING_SYSTEM, "stop", {"mutual_trust", "no", ""}},
    {v1::STAGE_RUNNING_SYSTEM, "stop", {"structured_investment", "no", ""}},
    {v1::STAGE_RUNNING_SYSTEM, "stop", {"result_scale", "subregion|supra_regional", ""}},
};

constexpr RecommendationRule kRecommendations[] = {
    {false, v1::STAGE_MEETING_PLACE,
     "Build a regional story together with economic and societal partners.",
     "Bouw samen met economische en maatschappelijke partners aan een regionaal verhaal."},
    {false, v1::STAGE_MEETING_PLACE,
     "Agree on administrative and civil-service effort and ways of working, for example a "
     "steering group or a process lead.",
     "Maak afspraken over bestuurlijke en ambtelijke inzet en werkwijze, bijvoorbeeld een "
     "stuurgroep of een procesregisseur."},
    {false, v1::STAGE_MEETING_PLACE,
     "Strengthen the links with the economic and societal communities, for example through "
     "task tables.",
     "Versterk de verbinding met de economische en maatschappelijke gemeenschappen, "
     "bijvoorbeeld via opgavetafels."},
    {false, v1::STAGE_START_UP,
     "Frame the task profile and set the height of the ambitions: a few successes beat many "
     "half results; match people and money to them.",
     "Kader het opgaveprofiel en bepaal de hoogte van de ambities: liever enkele successen dan "
     "veel halve resultaten; stem mensen en middelen daarop af."},
    {false, v1::STAGE_START_UP, "Use existing subregional and supra-regional cooperation.",
     "Benut bestaande subregionale en bovenregionale samenwerking."},
    {false, v1::STAGE_START_UP,
     "Seize the start-up energy to connect with the other communities, for example through "
     "quick results or a joint lobby.",
     "Benut de startup-energie om te verbinden met de andere gemeenschappen, bijvoorbeeld met "
     "snelle resultaten of een gezamenlijke lobby."},
    {false, v1::STAGE_RUNNING_SYSTEM,
     "Update the cooperation periodically (every two years, and every four years with the "
     "change of administration), together with non-government partners.",
     "Actualiseer de samenwerking periodiek (elke twee jaar, en elke vier jaar bij de "
     "bestuurswisseling), samen met niet-overheidspartners."},
    {false, v1::STAGE_RUNNING_SYSTEM,
     "Keep investing in the links with the economic and societal communities.",
     "Blijf investeren in de verbinding met de economische en maatschappelijke "
     "gemeenschappen."},
    {false, v1::STAGE_UNDECIDED,
     "Complete the case description (see the missing descriptors) before drawing conclusions "
     "about the stage.",
     "Vul de casusbeschrijving aan (zie de ontbrekende kenmerken) voordat u conclusies trekt "
     "over de fase."},
    {true, v1::STAGE_UNDECIDED,
     "Invest in the engagement of elected representatives (council members, provincial and "
     "water-board members).",
     "Investeer in de betrokkenheid van volksvertegenwoordigers (raadsleden, Statenleden en "
     "leden van het algemeen bestuur van waterschappen)."},
};

// ---------------------------------------------------------------------------
// Reading descriptors and values.

std::vector<std::string_view> split_values(std::string_view list) {
  std::vector<std::string_view> values;
  while (!list.empty()) {
    const std::size_t bar = list.find('|');
    values.push_back(list.substr(0, bar));
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return values;
}

bool listed(std::string_view list, std::string_view value) {
  for (std::string_view v : split_values(list)) {
    if (v == value) return true;
  }
  return false;
}

const google::protobuf::FieldDescriptor* find_field(std::string_view name) {
  return v1::CaseDescriptors::descriptor()->FindFieldByName(std::string(name));
}

std::string short_name(const google::protobuf::EnumValueDescriptor& value) {
  // Every descriptor enum starts with <PREFIX>_UNKNOWN = 0 (checked by validate_rules).
  const google::protobuf::EnumValueDescriptor* zero = value.type()->FindValueByNumber(0);
  const std::string& zero_name = zero->name();
  const std::size_t prefix = zero_name.size() - std::string_view("UNKNOWN").size();
  std::string name = value.name().substr(std::min(prefix, value.name().size()));
  for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return name;
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

// The value of a descriptor, or "unknown" when the field does not exist (validate_rules
// rules that out for the built-in tables).
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

double support(const StageRule& rule, const v1::CaseDescriptors& c) {
  double credits = 0.0;
  for (const Criterion& criterion : rule.criteria) credits += credit(evaluate(criterion, c));
  return credits / static_cast<double>(rule.criteria.size());
}

bool holds(const StageRule& rule, const v1::CaseDescriptors& c) {
  for (const Criterion& criterion : rule.criteria) {
    const Verdict verdict = evaluate(criterion, c);
    if (verdict == Verdict::kNotMet) return false;
    if (criterion.required && verdict == Verdict::kUnknown) return false;
  }
  return support(rule, c) >= kMinimumSupport;
}

bool refuted(const StageRule& rule, const v1::CaseDescriptors& c) {
  for (const Criterion& criterion : rule.criteria) {
    if (evaluate(criterion, c) == Verdict::kNotMet) return true;
  }
  return false;
}

std::string descriptors_of(const Criterion& criterion) {
  std::string names(criterion.condition.descriptor);
  if (!criterion.alternative.descriptor.empty()) {
    names += "|" + std::string(criterion.alternative.descriptor);
  }
  return names;
}

std::string values_of(const Criterion& criterion, const v1::CaseDescriptors& c, bool dutch,
                      bool raw) {
  auto one = [&](std::string_view descriptor) {
    const std::string value = value_or_unknown(c, descriptor);
    return raw ? value : value_text(value, dutch);
  };
  std::string values = one(criterion.condition.descriptor);
  if (!criterion.alternative.descriptor.empty()) {
    values += (raw ? "|" : " / ") + one(criterion.alternative.descriptor);
  }
  return values;
}

void add_criterion_evidence(v1::LifecycleAssessment& a, const StageRule& rule,
                            const Criterion& criterion, const v1::CaseDescriptors& c,
                            bool supports) {
  const Verdict verdict = evaluate(criterion, c);
  v1::Evidence* e = a.add_evidence();
  e->set_descriptor_field(descriptors_of(criterion));
  e->set_value(values_of(criterion, c, false, true));
  e->set_supports(supports);
  e->set_text_en(std::string(rule.label_en) + " criterion: " + std::string(criterion.text_en) +
                 " - " + values_of(criterion, c, false, false) + " (" +
                 verdict_text(verdict, false) + ")");
  e->set_text_nl("Criterium " + std::string(rule.label_nl) + ": " +
                 std::string(criterion.text_nl) + " - " + values_of(criterion, c, true, false) +
                 " (" + verdict_text(verdict, true) + ")");
}

void set_stage(v1::LifecycleAssessment& a, v1::Stage stage) {
  a.set_stage(stage);
  if (const StageRule* rule = find_stage_rule(stage)) {
    a.set_stage_label_en(std::string(rule->label_en));
    a.set_stage_label_nl(std::string(rule->label_nl));
  } else {
    a.set_stage_label_en("undecided");
    a.set_stage_label_nl("onbepaald");
  }
}

const StageRule* next_stage_up(v1::Stage stage) {
  switch (stage) {
    case v1::STAGE_MEETING_PLACE: return find_stage_rule(v1::STAGE_START_UP);
    case v1::STAGE_START_UP: return find_stage_rule(v1::STAGE_RUNNING_SYSTEM);
    default: return nullptr;
  }
}

std::string format_share(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

}  // namespace

std::span<const StageRule> stage_rules() { return kStageRules; }

const StageRule* find_stage_rule(v1::Stage stage) {
  for (const StageRule& rule : kStageRules) {
    if (rule.stage == stage) return &rule;
  }
  return nullptr;
}

std::span<const std::string_view> decisive_descriptors() { return kDecisiveDescriptors; }
std::span<const Contradiction> contradictions() { return kContradictions; }
std::span<const DirectionRule> direction_rules() { return kDirections; }
std::span<const DirectionSignal> direction_signals() { return kSignals; }
std::span<const RecommendationRule> recommendation_rules() { return kRecommendations; }

Expected<std::string> descriptor_value(const v1::CaseDescriptors& c, std::string_view descriptor) {
  const google::protobuf::FieldDescriptor* field = find_field(descriptor);
  if (field == nullptr) {
    return not_found("CaseDescriptors has no field '" + std::string(descriptor) + "'");
  }
  if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_ENUM ||
      field->is_repeated()) {
    return invalid_argument("CaseDescriptors field '" + std::string(descriptor) +
                            "' is not a single enum value");
  }
  const int number = c.GetReflection()->GetEnumValue(c, field);
  if (number == 0) return std::string("unknown");
  const google::protobuf::EnumValueDescriptor* value = field->enum_type()->FindValueByNumber(number);
  if (value == nullptr) return std::string("unknown");  // a value newer than this build
  return short_name(*value);
}

Verdict evaluate(const Condition& condition, const v1::CaseDescriptors& c) {
  const std::string value = value_or_unknown(c, condition.descriptor);
  if (value == "unknown") return Verdict::kUnknown;
  if (listed(condition.met, value)) return Verdict::kMet;
  if (listed(condition.partial, value)) return Verdict::kPartial;
  return Verdict::kNotMet;
}

Verdict evaluate(const Criterion& criterion, const v1::CaseDescriptors& c) {
  const Verdict first = evaluate(criterion.condition, c);
  if (criterion.alternative.descriptor.empty()) return first;
  const Verdict second = evaluate(criterion.alternative, c);
  // Kleene "or" with partial between not met and met.
  if (first == Verdict::kMet || second == Verdict::kMet) return Verdict::kMet;
  if (first == Verdict::kPartial || second == Verdict::kPartial) return Verdict::kPartial;
  if (first == Verdict::kUnknown || second == Verdict::kUnknown) return Verdict::kUnknown;
  return Verdict::kNotMet;
}

Status validate_rules() {
  auto check = [](const Condition& condition, std::string_view where) -> Status {
    if (condition.descriptor.empty()) return Status::ok();
    const google::protobuf::FieldDescriptor* field = find_field(condition.descriptor);
    const std::string context = std::string(where) + ": descriptor '" +
                                std::string(condition.descriptor) + "'";
    if (field == nullptr) return internal_error(context + " is not a CaseDescriptors field");
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_ENUM ||
        field->is_repeated()) {
      return internal_error(context + " is not a single enum field");
    }
    const google::protobuf::EnumValueDescriptor* zero = field->enum_type()->FindValueByNumber(0);
    if (zero == nullptr || !zero->name().ends_with("_UNKNOWN")) {
      return internal_error(context + ": its enum has no *_UNKNOWN = 0 value");
    }
    for (std::string_view list : {condition.met, condition.partial}) {
      for (std::string_view value : split_values(list)) {
        bool found = false;
        for (int i = 0; i < field->enum_type()->value_count(); ++i) {
          if (short_name(*field->enum_type()->value(i)) == value) found = true;
        }
        if (!found || value == "unknown") {
          return internal_error(context + ": '" + std::string(value) +
                                "' is not a known value of " + field->enum_type()->name());
        }
      }
    }
    if (condition.met.empty()) return internal_error(context + ": no value meets it");
    return Status::ok();
  };
  for (const StageRule& rule : kStageRules) {
    if (rule.criteria.empty()) return internal_error("stage without criteria");
    for (const Criterion& criterion : rule.criteria) {
      const std::string where = std::string(rule.label_en) + " criterion '" +
                                std::string(criterion.id) + "'";
      BRE_RETURN_IF_ERROR(check(criterion.condition, where));
      BRE_RETURN_IF_ERROR(check(criterion.alternative, where));
      if (criterion.condition.descriptor.empty()) return internal_error(where + ": no condition");
    }
  }
  for (std::string_view descriptor : kDecisiveDescriptors) {
    BRE_RETURN_IF_ERROR(check({descriptor, "yes", ""}, "decisive descriptor"));
  }
  for (const Contradiction& contradiction : kContradictions) {
    BRE_RETURN_IF_ERROR(check(contradiction.first, "contradiction"));
    BRE_RETURN_IF_ERROR(check(contradiction.second, "contradiction"));
  }
  for (const DirectionSignal& signal : kSignals) {
    BRE_RETURN_IF_ERROR(check(signal.condition, "signal '" + std::string(signal.direction) + "'"));
    bool direction_found = false;
    for (const DirectionRule& direction : kDirections) {
      direction_found |= direction.stage == signal.stage && direction.id == signal.direction;
    }
    if (!direction_found) {
      return internal_error("signal for unknown direction '" + std::string(signal.direction) + "'");
    }
  }
  return Status::ok();
}

v1::LifecycleAssessment assess_case(const v1::CaseDescriptors& c) {
  v1::LifecycleAssessment a;
  a.set_region_id(c.region_id());
  a.set_region_name(c.region_name());

  // Unknown descriptors the rules read, in table order, each once.
  std::vector<std::string> missing;
  auto note_missing = [&](const Condition& condition) {
    if (condition.descriptor.empty()) return;
    const std::string name(condition.descriptor);
    if (value_or_unknown(c, name) == "unknown" &&
        std::find(missing.begin(), missing.end(), name) == missing.end()) {
      missing.push_back(name);
    }
  };
  for (std::string_view descriptor : kDecisiveDescriptors) note_missing({descriptor, "", ""});
  for (const StageRule& rule : kStageRules) {
    for (const Criterion& criterion : rule.criteria) {
      note_missing(criterion.condition);
      note_missing(criterion.alternative);
    }
  }
  for (const std::string& name : missing) a.add_missing_descriptors(name);

  bool all_decisive_unknown = true;
  for (std::string_view descriptor : kDecisiveDescriptors) {
    all_decisive_unknown &= value_or_unknown(c, descriptor) == "unknown";
  }
  const StageRule& start_up = *find_stage_rule(v1::STAGE_START_UP);
  const StageRule& running = *find_stage_rule(v1::STAGE_RUNNING_SYSTEM);
  v1::Stage stage = v1::STAGE_UNDECIDED;
  if (!all_decisive_unknown) {
    if (holds(running, c)) {
      stage = v1::STAGE_RUNNING_SYSTEM;
    } else if (holds(start_up, c)) {
      stage = v1::STAGE_START_UP;
    } else if (refuted(start_up, c)) {
      stage = v1::STAGE_MEETING_PLACE;
    }
  }
  set_stage(a, stage);

  // Evidence and confidence.
  const StageRule* rule = find_stage_rule(stage);
  double confidence = 0.0;
  if (rule != nullptr) {
    for (const Criterion& criterion : rule->criteria) {
      const Verdict verdict = evaluate(criterion, c);
      add_criterion_evidence(a, *rule, criterion, c,
                             verdict == Verdict::kMet || verdict == Verdict::kPartial);
    }
    confidence = support(*rule, c);
    // Why not the next stage up: its criteria that are neither met nor partly met. One
    // known not to be met supports the assigned stage; an unknown one does not.
    if (const StageRule* up = next_stage_up(stage)) {
      for (const Criterion& criterion : up->criteria) {
        const Verdict verdict = evaluate(criterion, c);
        if (verdict == Verdict::kNotMet || verdict == Verdict::kUnknown) {
          add_criterion_evidence(a, *up, criterion, c, verdict == Verdict::kNotMet);
        }
      }
    }
  } else {
    // Undecided: show what the decision between meeting place and start-up needed.
    for (const Criterion& criterion : start_up.criteria) {
      add_criterion_evidence(a, start_up, criterion, c, false);
    }
  }

  int found_contradictions = 0;
  for (const Contradiction& contradiction : kContradictions) {
    if (evaluate(contradiction.first, c) != Verdict::kMet ||
        evaluate(contradiction.second, c) != Verdict::kMet) {
      continue;
    }
    ++found_contradictions;
    v1::Evidence* e = a.add_evidence();
    e->set_descriptor_field(std::string(contradiction.first.descriptor) + "|" +
                      std::string(contradiction.second.descriptor));
    e->set_value(value_or_unknown(c, contradiction.first.descriptor) + "|" +
                 value_or_unknown(c, contradiction.second.descriptor));
    e->set_supports(false);
    e->set_text_en("Contradictory descriptors: " + std::string(contradiction.text_en) +
                   "; confidence lowered");
    e->set_text_nl("Tegenstrijdige kenmerken: " + std::string(contradiction.text_nl) +
                   "; betrouwbaarheid verlaagd");
    confidence *= kContradictionFactor;
  }
  a.set_confidence(confidence);

  // Directions, in table order, each with the case's signals.
  for (const DirectionRule& direction : kDirections) {
    if (direction.stage != stage) continue;
    v1::DevelopmentDirection* d = a.add_directions();
    d->set_id(std::string(direction.id));
    d->set_label_en(std::string(direction.label_en));
    d->set_label_nl(std::string(direction.label_nl));
    for (const DirectionSignal& signal : kSignals) {
      if (signal.stage != stage || signal.direction != direction.id) continue;
      if (evaluate(signal.condition, c) != Verdict::kMet) continue;
      d->add_signals(std::string(signal.condition.descriptor) + "=" +
                     value_or_unknown(c, signal.condition.descriptor));
    }
  }

  for (const RecommendationRule& recommendation : kRecommendations) {
    if (!recommendation.all_stages && recommendation.stage != stage) continue;
    v1::Recommendation* r = a.add_recommendations();
    r->set_text_en(std::string(recommendation.text_en));
    r->set_text_nl(std::string(recommendation.text_nl));
  }
  return a;
}

Expected<StageRulesResult> classify_cases(const DatasetIndex& index, const v1::Partition* partition,
                                          const StageRulesOptions& options) {
  if (!(options.min_confidence >= 0.0 && options.min_confidence <= 1.0)) {
    return invalid_argument("min_confidence: expected a value in [0, 1]");
  }
  BRE_RETURN_IF_ERROR(validate_rules().with_context("life-cycle rule table"));

  std::optional<Membership> membership;
  if (partition != nullptr) {
    Expected<Membership> m = membership_of(index, *partition);
    if (!m) return m.status().with_context("partition '" + partition->name() + "'");
    membership = std::move(*m);
  }

  StageRulesResult result;
  const v1::Dataset& dataset = index.dataset();
  if (dataset.cases_size() == 0) {
    result.warnings.push_back("dataset '" + dataset.name() +
                              "' has no case descriptors: no life-cycle stages assessed");
  }
  for (int i = 0; i < dataset.cases_size(); ++i) {
    const v1::CaseDescriptors& c = dataset.cases(i);
    const std::string label = "case '" + (c.region_id().empty() ? "cases[" + std::to_string(i) + "]"
                                                                : c.region_id()) + "'";
    v1::LifecycleAssessment assessment = assess_case(c);

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
        result.warnings.push_back(label + ": none of its municipalities is in a region of partition '" +
                                  partition->name() + "'");
      }
      if (!unknown.empty()) {
        std::string codes;
        for (const std::string& code : unknown) codes += (codes.empty() ? "" : ", ") + code;
        result.warnings.push_back(label + ": unknown municipality codes ignored: " + codes);
      }
    }

    if (assessment.stage() == v1::STAGE_UNDECIDED) {
      std::string names;
      for (const std::string& name : assessment.missing_descriptors()) {
        names += (names.empty() ? "" : ", ") + name;
      }
      result.warnings.push_back(label + ": stage undecided; missing descriptors: " + names);
    } else if (assessment.confidence() < options.min_confidence) {
      result.warnings.push_back(label + ": stage '" + assessment.stage_label_en() +
                                "' assigned with confidence " +
                                format_share(assessment.confidence()) + " below min_confidence " +
                                format_share(options.min_confidence));
    }
    *result.lifecycle.add_assessments() = std::move(assessment);
  }
  return result;
}

}  // namespace bre::lifecycle
