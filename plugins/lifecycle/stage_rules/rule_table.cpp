#include "rule_table.hpp"

#include <google/protobuf/struct.pb.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <utility>

#include "bre/case_descriptors.hpp"
#include "bre/io.hpp"

namespace bre::lifecycle {

extern const char* const kDefaultRuleTableJson;  // default_rules.cpp, generated at build time

namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

std::string describe(const Value& value) {
  switch (value.kind_case()) {
    case Value::kNullValue: return "null";
    case Value::kBoolValue: return value.bool_value() ? "true" : "false";
    case Value::kNumberValue: {
      char buffer[40];
      std::snprintf(buffer, sizeof buffer, "the number %g", value.number_value());
      return buffer;
    }
    case Value::kStringValue: return "\"" + value.string_value() + "\"";
    case Value::kListValue: return "an array";
    case Value::kStructValue: return "an object";
    default: return "nothing";
  }
}

// Reads one JSON object, checking that it has only the keys it is asked for.
class ObjectReader {
 public:
  ObjectReader(const Value& value, std::string path) : value_(value), path_(std::move(path)) {}

  Status check(std::initializer_list<const char*> required, std::initializer_list<const char*> optional) const {
    if (!value_.has_struct_value()) return invalid_argument(path_ + ": expected an object, found " + describe(value_));
    std::vector<std::string> keys;
    for (const auto& entry : value_.struct_value().fields()) keys.push_back(entry.first);
    std::sort(keys.begin(), keys.end());
    for (const std::string& key : keys) {
      const bool known = std::any_of(required.begin(), required.end(), [&](const char* k) { return key == k; }) ||
                         std::any_of(optional.begin(), optional.end(), [&](const char* k) { return key == k; });
      if (!known) {
        std::string allowed;
        for (const char* k : required) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        for (const char* k : optional) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        return invalid_argument(at(key) + ": unknown key; expected " + allowed);
      }
    }
    for (const char* key : required) {
      if (!value_.struct_value().fields().count(key)) return invalid_argument(path_ + ": missing key '" + key + "'");
    }
    return Status::ok();
  }

  std::string at(const std::string& key) const { return path_ + "." + key; }
  const Value* get(const std::string& key) const {
    auto it = value_.struct_value().fields().find(key);
    return it == value_.struct_value().fields().end() ? nullptr : &it->second;
  }

  Status text(const std::string& key, std::string& out) const {
    const Value* v = get(key);
    if (v == nullptr) return Status::ok();
    if (!v->has_string_value()) return invalid_argument(at(key) + ": expected a string, found " + describe(*v));
    out = v->string_value();
    return Status::ok();
  }

  Status non_empty_text(const std::string& key, std::string& out) const {
    BRE_RETURN_IF_ERROR(text(key, out));
    if (out.empty()) return invalid_argument(at(key) + ": expected a non-empty string, found \"\"");
    return Status::ok();
  }

  Status flag(const std::string& key, bool& out) const {
    const Value* v = get(key);
    if (v == nullptr) return Status::ok();
    if (!v->has_bool_value()) return invalid_argument(at(key) + ": expected true or false, found " + describe(*v));
    out = v->bool_value();
    return Status::ok();
  }

  Status share(const std::string& key, double& out) const {
    const Value* v = get(key);
    if (v == nullptr) return Status::ok();
    if (!v->has_number_value() || !(v->number_value() >= 0.0 && v->number_value() <= 1.0)) {
      return invalid_argument(at(key) + ": expected a number in [0, 1], found " + describe(*v));
    }
    out = v->number_value();
    return Status::ok();
  }

  /// The elements of array `key` (empty when absent), or an error.
  Expected<std::vector<const Value*>> list(const std::string& key, bool non_empty) const {
    std::vector<const Value*> out;
    const Value* v = get(key);
    if (v == nullptr) return out;
    if (!v->has_list_value()) return invalid_argument(at(key) + ": expected an array, found " + describe(*v));
    for (const Value& element : v->list_value().values()) out.push_back(&element);
    if (non_empty && out.empty()) return invalid_argument(at(key) + ": expected at least one element, found none");
    return out;
  }

 private:
  const Value& value_;
  std::string path_;
};

std::string indexed(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

Expected<v1::Stage> parse_stage(const Value& value, const std::string& path) {
  if (value.has_string_value()) {
    if (value.string_value() == "meeting_place") return v1::STAGE_MEETING_PLACE;
    if (value.string_value() == "start_up") return v1::STAGE_START_UP;
    if (value.string_value() == "running_system") return v1::STAGE_RUNNING_SYSTEM;
  }
  return invalid_argument(path + ": unknown stage " + describe(value) +
                          "; expected meeting_place, start_up or running_system");
}

// Checks a descriptor name and that each listed value is one of its values.
Status parse_values(const ObjectReader& object, const std::string& key, const std::string& descriptor,
                    std::vector<std::string>& out, bool non_empty) {
  auto elements = object.list(key, non_empty);
  if (!elements) return elements.status();
  const Expected<std::vector<std::string>> allowed = case_descriptor_values(descriptor);
  for (std::size_t i = 0; i < elements->size(); ++i) {
    const Value& element = *(*elements)[i];
    const std::string path = indexed(object.at(key), i);
    const bool known = element.has_string_value() &&
                       std::find(allowed->begin(), allowed->end(), element.string_value()) != allowed->end();
    if (!known) {
      std::string names;
      for (const std::string& name : *allowed) names += (names.empty() ? "" : ", ") + name;
      return invalid_argument(path + ": " + describe(element) + " is not a value of descriptor '" + descriptor +
                              "'; expected one of " + names);
    }
    out.push_back(element.string_value());
  }
  return Status::ok();
}

Expected<Condition> parse_condition(const Value& value, const std::string& path) {
  const ObjectReader object(value, path);
  BRE_RETURN_IF_ERROR(object.check({"descriptor", "met"}, {"partial"}));
  Condition condition;
  BRE_RETURN_IF_ERROR(object.non_empty_text("descriptor", condition.descriptor));
  if (!is_case_descriptor(condition.descriptor)) {
    const Expected<std::vector<std::string>> values = case_descriptor_values(condition.descriptor);
    return invalid_argument(object.at("descriptor") + ": " + values.status().message());
  }
  BRE_RETURN_IF_ERROR(parse_values(object, "met", condition.descriptor, condition.met, true));
  BRE_RETURN_IF_ERROR(parse_values(object, "partial", condition.descriptor, condition.partial, false));
  for (const std::string& value_name : condition.partial) {
    if (std::find(condition.met.begin(), condition.met.end(), value_name) != condition.met.end()) {
      return invalid_argument(object.at("partial") + ": value '" + value_name + "' is also listed under 'met'");
    }
  }
  return condition;
}

Expected<std::vector<Condition>> parse_conditions(const ObjectReader& object, const std::string& key,
                                                  bool non_empty) {
  auto elements = object.list(key, non_empty);
  if (!elements) return elements.status();
  std::vector<Condition> conditions;
  for (std::size_t i = 0; i < elements->size(); ++i) {
    auto condition = parse_condition(*(*elements)[i], indexed(object.at(key), i));
    if (!condition) return condition.status();
    conditions.push_back(std::move(*condition));
  }
  return conditions;
}

Expected<StageRule> parse_stage_rule(const Value& value, const std::string& path) {
  const ObjectReader object(value, path);
  BRE_RETURN_IF_ERROR(object.check({"stage", "label_en", "label_nl", "criteria"}, {}));
  StageRule rule;
  auto stage = parse_stage(*object.get("stage"), object.at("stage"));
  if (!stage) return stage.status();
  rule.stage = *stage;
  BRE_RETURN_IF_ERROR(object.non_empty_text("label_en", rule.label_en));
  BRE_RETURN_IF_ERROR(object.non_empty_text("label_nl", rule.label_nl));
  auto criteria = object.list("criteria", true);
  if (!criteria) return criteria.status();
  for (std::size_t i = 0; i < criteria->size(); ++i) {
    const ObjectReader c(*(*criteria)[i], indexed(object.at("criteria"), i));
    BRE_RETURN_IF_ERROR(c.check({"id", "any_of", "text_en", "text_nl"}, {"required", "evidence_only"}));
    Criterion criterion;
    BRE_RETURN_IF_ERROR(c.non_empty_text("id", criterion.id));
    auto conditions = parse_conditions(c, "any_of", true);
    if (!conditions) return conditions.status();
    criterion.any_of = std::move(*conditions);
    BRE_RETURN_IF_ERROR(c.flag("required", criterion.required));
    BRE_RETURN_IF_ERROR(c.flag("evidence_only", criterion.evidence_only));
    if (criterion.required && criterion.evidence_only) {
      return invalid_argument(c.at("evidence_only") +
                              ": expected a criterion that is required or evidence only, found both");
    }
    BRE_RETURN_IF_ERROR(c.non_empty_text("text_en", criterion.text_en));
    BRE_RETURN_IF_ERROR(c.non_empty_text("text_nl", criterion.text_nl));
    for (const Criterion& earlier : rule.criteria) {
      if (earlier.id == criterion.id) {
        return invalid_argument(c.at("id") + ": criterion '" + criterion.id + "' is listed twice in this stage");
      }
    }
    rule.criteria.push_back(std::move(criterion));
  }
  return rule;
}

}  // namespace

const StageRule* RuleTable::find_stage(v1::Stage stage) const {
  for (const StageRule& rule : stages) {
    if (rule.stage == stage) return &rule;
  }
  return nullptr;
}

Expected<RuleTable> parse_rule_table(const std::string& json, const std::string& source_name) {
  Value root;
  BRE_RETURN_IF_ERROR(from_json(json, source_name, root));
  const ObjectReader object(root, source_name + ": rules");
  BRE_RETURN_IF_ERROR(object.check({"name", "stages", "directions", "recommendations"},
                                   {"version", "description", "minimum_support", "contradiction_factor",
                                    "evidence_factor", "decisive_descriptors", "contradictions"}));
  RuleTable table;
  BRE_RETURN_IF_ERROR(object.non_empty_text("name", table.name));
  BRE_RETURN_IF_ERROR(object.text("version", table.version));
  BRE_RETURN_IF_ERROR(object.text("description", table.description));
  BRE_RETURN_IF_ERROR(object.share("minimum_support", table.minimum_support));
  BRE_RETURN_IF_ERROR(object.share("contradiction_factor", table.contradiction_factor));
  BRE_RETURN_IF_ERROR(object.share("evidence_factor", table.evidence_factor));

  auto decisive = object.list("decisive_descriptors", false);
  if (!decisive) return decisive.status();
  for (std::size_t i = 0; i < decisive->size(); ++i) {
    const Value& element = *(*decisive)[i];
    const std::string path = indexed(object.at("decisive_descriptors"), i);
    if (!element.has_string_value() || !is_case_descriptor(element.string_value())) {
      return invalid_argument(path + ": " + describe(element) + " is not a descriptor field of CaseDescriptors");
    }
    table.decisive_descriptors.push_back(element.string_value());
  }

  auto stages = object.list("stages", true);
  if (!stages) return stages.status();
  constexpr v1::Stage kOrder[] = {v1::STAGE_MEETING_PLACE, v1::STAGE_START_UP, v1::STAGE_RUNNING_SYSTEM};
  for (std::size_t i = 0; i < stages->size(); ++i) {
    auto rule = parse_stage_rule(*(*stages)[i], indexed(object.at("stages"), i));
    if (!rule) return rule.status();
    if (i >= std::size(kOrder) || rule->stage != kOrder[i]) {
      return invalid_argument(indexed(object.at("stages"), i) +
                              ".stage: expected the stages meeting_place, start_up and running_system, each once "
                              "and in that order (the order of development)");
    }
    table.stages.push_back(std::move(*rule));
  }
  if (table.stages.size() != std::size(kOrder)) {
    return invalid_argument(object.at("stages") + ": expected the three stages meeting_place, start_up and "
                            "running_system, found " + std::to_string(table.stages.size()));
  }

  auto contradictions = object.list("contradictions", false);
  if (!contradictions) return contradictions.status();
  for (std::size_t i = 0; i < contradictions->size(); ++i) {
    const ObjectReader c(*(*contradictions)[i], indexed(object.at("contradictions"), i));
    BRE_RETURN_IF_ERROR(c.check({"first", "second", "text_en", "text_nl"}, {}));
    Contradiction contradiction;
    auto first = parse_condition(*c.get("first"), c.at("first"));
    if (!first) return first.status();
    auto second = parse_condition(*c.get("second"), c.at("second"));
    if (!second) return second.status();
    contradiction.first = std::move(*first);
    contradiction.second = std::move(*second);
    BRE_RETURN_IF_ERROR(c.non_empty_text("text_en", contradiction.text_en));
    BRE_RETURN_IF_ERROR(c.non_empty_text("text_nl", contradiction.text_nl));
    table.contradictions.push_back(std::move(contradiction));
  }

  auto directions = object.list("directions", true);
  if (!directions) return directions.status();
  for (std::size_t i = 0; i < directions->size(); ++i) {
    const ObjectReader d(*(*directions)[i], indexed(object.at("directions"), i));
    BRE_RETURN_IF_ERROR(d.check({"stage", "id", "label_en", "label_nl"}, {"signals"}));
    DirectionRule direction;
    auto stage = parse_stage(*d.get("stage"), d.at("stage"));
    if (!stage) return stage.status();
    direction.stage = *stage;
    BRE_RETURN_IF_ERROR(d.non_empty_text("id", direction.id));
    BRE_RETURN_IF_ERROR(d.non_empty_text("label_en", direction.label_en));
    BRE_RETURN_IF_ERROR(d.non_empty_text("label_nl", direction.label_nl));
    auto signals = parse_conditions(d, "signals", false);
    if (!signals) return signals.status();
    direction.signals = std::move(*signals);
    for (const DirectionRule& earlier : table.directions) {
      if (earlier.stage == direction.stage && earlier.id == direction.id) {
        return invalid_argument(d.at("id") + ": direction '" + direction.id + "' is listed twice for this stage");
      }
    }
    table.directions.push_back(std::move(direction));
  }

  auto recommendations = object.list("recommendations", false);
  if (!recommendations) return recommendations.status();
  for (std::size_t i = 0; i < recommendations->size(); ++i) {
    const ObjectReader r(*(*recommendations)[i], indexed(object.at("recommendations"), i));
    BRE_RETURN_IF_ERROR(r.check({"stage", "text_en", "text_nl"}, {}));
    RecommendationRule recommendation;
    const Value& stage = *r.get("stage");
    if (stage.has_string_value() && stage.string_value() == "all") {
      recommendation.all_stages = true;
    } else if (stage.has_string_value() && stage.string_value() == "undecided") {
      recommendation.stage = v1::STAGE_UNDECIDED;
    } else {
      auto parsed = parse_stage(stage, r.at("stage"));
      if (!parsed) {
        return invalid_argument(r.at("stage") + ": unknown stage " + describe(stage) +
                                "; expected meeting_place, start_up, running_system, undecided or all");
      }
      recommendation.stage = *parsed;
    }
    BRE_RETURN_IF_ERROR(r.non_empty_text("text_en", recommendation.text_en));
    BRE_RETURN_IF_ERROR(r.non_empty_text("text_nl", recommendation.text_nl));
    table.recommendations.push_back(std::move(recommendation));
  }
  return table;
}

Expected<RuleTable> read_rule_table(const std::string& path) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  return parse_rule_table(*text, path);
}

std::string_view default_rule_table_json() { return kDefaultRuleTableJson; }

Expected<RuleTable> default_rule_table() {
  Expected<RuleTable> table = parse_rule_table(std::string(kDefaultRuleTableJson), "built-in default_rules.json");
  if (!table) return internal_error(table.status().message());
  return table;
}

}  // namespace bre::lifecycle
