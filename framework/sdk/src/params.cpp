#include "bre/params.hpp"

#include <google/protobuf/struct.pb.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>

#include "bre/io.hpp"
#include "bre/suggest.hpp"

namespace bre {
namespace {

using google::protobuf::Value;

// Shortest text that reads back to the same value ("10", "0.5", "1e-06").
std::string format_number(double x) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, x);
  return std::string(buffer, result.ptr);
}

std::string describe_json(const Value& value) {
  switch (value.kind_case()) {
    case Value::kNullValue: return "null";
    case Value::kNumberValue: return format_number(value.number_value());
    case Value::kStringValue: return "\"" + excerpt(value.string_value()) + "\"";
    case Value::kBoolValue: return value.bool_value() ? "true" : "false";
    case Value::kStructValue: return "an object";
    case Value::kListValue: return "a list";
    default: return "nothing";
  }
}

std::string join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string range_text(const v1::ParameterSpec& spec) {
  if (!spec.has_minimum() && !spec.has_maximum()) return "";
  std::string lo = spec.has_minimum() ? format_number(spec.minimum()) : "-inf";
  std::string hi = spec.has_maximum() ? format_number(spec.maximum()) : "inf";
  return " in [" + lo + ", " + hi + "]";
}

bool in_range(const v1::ParameterSpec& spec, double x) {
  return (!spec.has_minimum() || x >= spec.minimum()) && (!spec.has_maximum() || x <= spec.maximum());
}

bool is_choice(const v1::ParameterSpec& spec, const std::string& text) {
  return spec.choices().empty() ||
         std::find(spec.choices().begin(), spec.choices().end(), text) != spec.choices().end();
}

Status expected_error(const v1::ParameterSpec& spec, const std::string& expected, const std::string& found) {
  return invalid_argument("parameter '" + spec.name() + "': expected " + expected + ", found " + found);
}

std::string list_expectation(const v1::ParameterSpec& spec) {
  std::string text = spec.min_items() > 0 ? "a list of at least " + std::to_string(spec.min_items()) + " string(s)"
                                          : std::string("a list of strings");
  if (!spec.choices().empty()) text += " from " + join(spec.choices());
  return text;
}

// Converts a JSON value to the spec's type, checking range and choices.
Expected<v1::ParameterValue> convert(const v1::ParameterSpec& spec, const Value& value) {
  v1::ParameterValue out;
  switch (spec.type()) {
    case v1::PARAMETER_TYPE_BOOL:
      if (value.kind_case() != Value::kBoolValue) return expected_error(spec, "true or false", describe_json(value));
      out.set_bool_value(value.bool_value());
      return out;
    case v1::PARAMETER_TYPE_INT: {
      const std::string expected = "an integer" + range_text(spec);
      if (value.kind_case() != Value::kNumberValue) return expected_error(spec, expected, describe_json(value));
      const double x = value.number_value();
      if (!std::isfinite(x) || x != std::floor(x) || std::fabs(x) > 9.007199254740992e15 || !in_range(spec, x)) {
        return expected_error(spec, expected, describe_json(value));
      }
      out.set_int_value(static_cast<std::int64_t>(x));
      return out;
    }
    case v1::PARAMETER_TYPE_DOUBLE: {
      const std::string expected = "a number" + range_text(spec);
      if (value.kind_case() != Value::kNumberValue || !std::isfinite(value.number_value()) ||
          !in_range(spec, value.number_value())) {
        return expected_error(spec, expected, describe_json(value));
      }
      out.set_double_value(value.number_value());
      return out;
    }
    case v1::PARAMETER_TYPE_STRING: {
      const std::string expected =
          spec.choices().empty() ? std::string("a string") : "one of " + join(spec.choices());
      if (value.kind_case() != Value::kStringValue || !is_choice(spec, value.string_value())) {
        const std::string hint = value.kind_case() == Value::kStringValue
                                     ? did_you_mean(value.string_value(), {spec.choices().begin(), spec.choices().end()})
                                     : "";
        return expected_error(spec, expected, describe_json(value) + hint);
      }
      out.set_string_value(value.string_value());
      return out;
    }
    case v1::PARAMETER_TYPE_STRING_LIST: {
      const std::string expected = list_expectation(spec);
      if (value.kind_case() != Value::kListValue) return expected_error(spec, expected, describe_json(value));
      if (value.list_value().values_size() < spec.min_items()) {
        return expected_error(spec, expected, std::to_string(value.list_value().values_size()) + " element(s)");
      }
      auto* list = out.mutable_string_list_value();
      for (int i = 0; i < value.list_value().values_size(); ++i) {
        const Value& item = value.list_value().values(i);
        if (item.kind_case() != Value::kStringValue || !is_choice(spec, item.string_value())) {
          return expected_error(spec, expected, "element " + std::to_string(i) + " = " + describe_json(item));
        }
        list->add_values(item.string_value());
      }
      return out;
    }
    default:
      return internal_error("parameter '" + spec.name() + "': the plugin declares no type");
  }
}

bool has_type(const v1::ParameterSpec& spec, const v1::ParameterValue& value) {
  switch (spec.type()) {
    case v1::PARAMETER_TYPE_BOOL: return value.has_bool_value();
    case v1::PARAMETER_TYPE_INT: return value.has_int_value();
    case v1::PARAMETER_TYPE_DOUBLE: return value.has_double_value();
    case v1::PARAMETER_TYPE_STRING: return value.has_string_value();
    case v1::PARAMETER_TYPE_STRING_LIST: return value.has_string_list_value();
    default: return false;
  }
}

// Checks a typed value (a default, or a value from a manifest) against its spec.
Status check_typed(const v1::ParameterSpec& spec, const v1::ParameterValue& value) {
  if (!has_type(spec, value)) return expected_error(spec, "a value of the declared type", to_display_string(value));
  if (value.has_int_value() && !in_range(spec, static_cast<double>(value.int_value()))) {
    return expected_error(spec, "an integer" + range_text(spec), to_display_string(value));
  }
  if (value.has_double_value() && (!std::isfinite(value.double_value()) || !in_range(spec, value.double_value()))) {
    return expected_error(spec, "a number" + range_text(spec), to_display_string(value));
  }
  if (value.has_string_value() && !is_choice(spec, value.string_value())) {
    return expected_error(spec, "one of " + join(spec.choices()), to_display_string(value));
  }
  if (value.has_string_list_value()) {
    if (value.string_list_value().values_size() < spec.min_items()) {
      return expected_error(spec, list_expectation(spec),
                            std::to_string(value.string_list_value().values_size()) + " element(s)");
    }
    for (const auto& item : value.string_list_value().values()) {
      if (!is_choice(spec, item)) return expected_error(spec, "strings from " + join(spec.choices()), item);
    }
  }
  return Status::ok();
}

std::vector<std::string> names_of(const std::vector<v1::ParameterSpec>& specs) {
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name());
  std::sort(names.begin(), names.end());
  return names;
}

std::string unknown_parameter(const std::string& name, const std::vector<v1::ParameterSpec>& specs) {
  std::string allowed;
  for (const auto& n : names_of(specs)) allowed += (allowed.empty() ? "" : ", ") + n;
  return "unknown parameter '" + excerpt(name) + "'" + did_you_mean(name, names_of(specs)) +
         "; allowed: " + (allowed.empty() ? "none" : allowed);
}

}  // namespace

Params Params::from_resolved(std::vector<v1::ResolvedParameter> resolved) {
  Params params;
  params.values_ = std::move(resolved);
  return params;
}

Expected<Params> Params::resolve(const google::protobuf::Struct& given, const std::vector<v1::ParameterSpec>& specs) {
  // Struct fields are a map: walk them sorted so the first error reported is stable.
  std::map<std::string, const Value*> sorted;
  for (const auto& [name, value] : given.fields()) sorted.emplace(name, &value);
  for (const auto& [name, value] : sorted) {
    const bool known = std::any_of(specs.begin(), specs.end(), [&name = name](const auto& s) { return s.name() == name; });
    if (!known) return invalid_argument(unknown_parameter(name, specs));
  }
  Params params;
  for (const auto& spec : specs) {
    v1::ResolvedParameter resolved;
    resolved.set_name(spec.name());
    auto it = sorted.find(spec.name());
    if (it == sorted.end()) {
      *resolved.mutable_value() = spec.default_value();
      resolved.set_defaulted(true);
    } else {
      auto converted = convert(spec, *it->second);
      if (!converted) return converted.status();
      *resolved.mutable_value() = std::move(converted.value());
    }
    params.values_.push_back(std::move(resolved));
  }
  std::sort(params.values_.begin(), params.values_.end(),
            [](const auto& a, const auto& b) { return a.name() < b.name(); });
  return params;
}

const v1::ResolvedParameter& Params::find(const std::string& name) const {
  auto it = std::lower_bound(values_.begin(), values_.end(), name,
                             [](const auto& v, const std::string& n) { return v.name() < n; });
  if (it == values_.end() || it->name() != name) {
    throw std::logic_error("plugin asked for undeclared parameter '" + name + "'");
  }
  return *it;
}

bool Params::get_bool(const std::string& name) const {
  const auto& v = find(name).value();
  if (!v.has_bool_value()) throw std::logic_error("parameter '" + name + "' is not a bool");
  return v.bool_value();
}

std::int64_t Params::get_int(const std::string& name) const {
  const auto& v = find(name).value();
  if (!v.has_int_value()) throw std::logic_error("parameter '" + name + "' is not an int");
  return v.int_value();
}

double Params::get_double(const std::string& name) const {
  const auto& v = find(name).value();
  if (!v.has_double_value()) throw std::logic_error("parameter '" + name + "' is not a double");
  return v.double_value();
}

const std::string& Params::get_string(const std::string& name) const {
  const auto& v = find(name).value();
  if (!v.has_string_value()) throw std::logic_error("parameter '" + name + "' is not a string");
  return v.string_value();
}

std::vector<std::string> Params::get_string_list(const std::string& name) const {
  const auto& v = find(name).value();
  if (!v.has_string_list_value()) throw std::logic_error("parameter '" + name + "' is not a string list");
  return {v.string_list_value().values().begin(), v.string_list_value().values().end()};
}

bool Params::is_set(const std::string& name) const { return !find(name).defaulted(); }

v1::ParameterSpec int_param(const std::string& name, std::int64_t default_value, std::int64_t minimum,
                            std::int64_t maximum, const std::string& doc) {
  v1::ParameterSpec spec;
  spec.set_name(name);
  spec.set_type(v1::PARAMETER_TYPE_INT);
  spec.mutable_default_value()->set_int_value(default_value);
  spec.set_has_minimum(true);
  spec.set_minimum(static_cast<double>(minimum));
  spec.set_has_maximum(true);
  spec.set_maximum(static_cast<double>(maximum));
  spec.set_doc(doc);
  return spec;
}

v1::ParameterSpec double_param(const std::string& name, double default_value, double minimum, double maximum,
                               const std::string& doc) {
  v1::ParameterSpec spec;
  spec.set_name(name);
  spec.set_type(v1::PARAMETER_TYPE_DOUBLE);
  spec.mutable_default_value()->set_double_value(default_value);
  spec.set_has_minimum(true);
  spec.set_minimum(minimum);
  spec.set_has_maximum(true);
  spec.set_maximum(maximum);
  spec.set_doc(doc);
  return spec;
}

v1::ParameterSpec bool_param(const std::string& name, bool default_value, const std::string& doc) {
  v1::ParameterSpec spec;
  spec.set_name(name);
  spec.set_type(v1::PARAMETER_TYPE_BOOL);
  spec.mutable_default_value()->set_bool_value(default_value);
  spec.set_doc(doc);
  return spec;
}

v1::ParameterSpec string_param(const std::string& name, const std::string& default_value,
                               const std::vector<std::string>& choices, const std::string& doc) {
  v1::ParameterSpec spec;
  spec.set_name(name);
  spec.set_type(v1::PARAMETER_TYPE_STRING);
  spec.mutable_default_value()->set_string_value(default_value);
  for (const auto& c : choices) spec.add_choices(c);
  spec.set_doc(doc);
  return spec;
}

v1::ParameterSpec path_param(const std::string& name, const std::string& default_value, const std::string& doc) {
  v1::ParameterSpec spec = string_param(name, default_value, {}, doc);
  spec.set_path(true);
  return spec;
}

v1::ParameterSpec string_list_param(const std::string& name, const std::vector<std::string>& default_value,
                                    const std::vector<std::string>& choices, const std::string& doc,
                                    int min_items) {
  v1::ParameterSpec spec;
  spec.set_name(name);
  spec.set_type(v1::PARAMETER_TYPE_STRING_LIST);
  auto* list = spec.mutable_default_value()->mutable_string_list_value();
  for (const auto& v : default_value) list->add_values(v);
  for (const auto& c : choices) spec.add_choices(c);
  spec.set_doc(doc);
  spec.set_min_items(min_items);
  return spec;
}

v1::ParameterSpec seed_param(const std::string& what) {
  constexpr std::int64_t kMaxJsonInteger = (std::int64_t{1} << 53) - 1;
  return int_param("seed", 0, 0, kMaxJsonInteger,
                   "Seed of " + what + "; 0 = derived from the run seed and the step id.");
}

Status check_parameter_value(const v1::ParameterSpec& spec, const v1::ParameterValue& value) {
  return check_typed(spec, value);
}

std::string to_display_string(const v1::ParameterValue& value) {
  switch (value.value_case()) {
    case v1::ParameterValue::kBoolValue: return value.bool_value() ? "true" : "false";
    case v1::ParameterValue::kIntValue: return std::to_string(value.int_value());
    case v1::ParameterValue::kDoubleValue: return format_number(value.double_value());
    case v1::ParameterValue::kStringValue: return value.string_value();
    case v1::ParameterValue::kStringListValue: {
      std::string out = "[";
      for (int i = 0; i < value.string_list_value().values_size(); ++i) {
        out += (i ? ", " : "") + value.string_list_value().values(i);
      }
      return out + "]";
    }
    default: return "(unset)";
  }
}

}  // namespace bre
