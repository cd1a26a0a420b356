// Validated step parameters. The engine checks a step's JSON parameters against the
// plugin's ParameterSpecs (type, range, choices) before anything runs; plugins then
// read them through typed accessors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/export.hpp"
#include "bre/status.hpp"
#include "bre/v1/pipeline.pb.h"
#include "bre/v1/plugin.pb.h"

namespace google::protobuf {
class Struct;
}

namespace bre BRE_SDK_API {

class Params {
 public:
  Params() = default;

  /// Validates `given` against `specs` and fills in defaults. Errors name the
  /// parameter, what was expected and what was found ("parameter 'resolution':
  /// expected a number in [0, 100], found "high""). Unknown names are errors.
  static Expected<Params> resolve(const google::protobuf::Struct& given,
                                  const std::vector<v1::ParameterSpec>& specs);

  /// Parameters the host has already resolved (a step run in a child process gets
  /// them this way); `resolved` must be sorted by name.
  static Params from_resolved(std::vector<v1::ResolvedParameter> resolved);

  // Typed accessors. Asking for an undeclared name or the wrong type is a plugin bug:
  // it throws std::logic_error, which the engine turns into a failed step.
  bool get_bool(const std::string& name) const;
  std::int64_t get_int(const std::string& name) const;
  double get_double(const std::string& name) const;
  const std::string& get_string(const std::string& name) const;
  std::vector<std::string> get_string_list(const std::string& name) const;
  /// Whether the step set the parameter explicitly (not defaulted).
  bool is_set(const std::string& name) const;

  /// Sorted by name, as recorded in the manifest.
  const std::vector<v1::ResolvedParameter>& resolved() const { return values_; }

 private:
  const v1::ResolvedParameter& find(const std::string& name) const;
  std::vector<v1::ResolvedParameter> values_;
};

// Helpers for plugins to declare parameters in a few readable lines.
v1::ParameterSpec int_param(const std::string& name, std::int64_t default_value,
                            std::int64_t minimum, std::int64_t maximum, const std::string& doc);
v1::ParameterSpec double_param(const std::string& name, double default_value, double minimum,
                               double maximum, const std::string& doc);
v1::ParameterSpec bool_param(const std::string& name, bool default_value, const std::string& doc);
v1::ParameterSpec string_param(const std::string& name, const std::string& default_value,
                               const std::vector<std::string>& choices, const std::string& doc);
/// A string parameter naming a file (ParameterSpec.path): a relative value in a pipeline
/// file is taken relative to that file's directory, so a pipeline and its data files
/// travel together.
v1::ParameterSpec path_param(const std::string& name, const std::string& default_value, const std::string& doc);
v1::ParameterSpec string_list_param(const std::string& name,
                                    const std::vector<std::string>& default_value,
                                    const std::vector<std::string>& choices,
                                    const std::string& doc, int min_items = 0);

/// The "seed" parameter of a plugin that draws random numbers: an int in [0, 2^53 - 1]
/// (exact in JSON), default 0 = derived by the engine from the run seed and the step
/// id. The engine puts the effective seed in StepContext::seed(). `what` says what
/// the seed drives ("igraph's random number generator").
v1::ParameterSpec seed_param(const std::string& what);

/// Checks a typed value (a default, a manifest entry) against its spec: type, range,
/// choices. Errors name the parameter.
Status check_parameter_value(const v1::ParameterSpec& spec, const v1::ParameterValue& value);

/// The value as a person would write it in a pipeline ("1.5", "true", "[a, b]").
std::string to_display_string(const v1::ParameterValue& value);

}  // namespace bre
