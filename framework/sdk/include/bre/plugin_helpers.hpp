// Helpers for writing a plugin, so that its describe() is one statement and its run()
// starts with the check it needs instead of a hand-written loop and message:
//
//   return bre::describe_plugin("indicator.example", bre::v1::PLUGIN_KIND_INDICATOR, "1.0.0", "One line.")
//       .parameter(bre::int_param("year", 0, 0, 9999, "Year of the values; 0 = the latest."))
//       .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
//       .produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
//
//   bre::Expected<const bre::v1::Partition*> partition = bre::require_input_partition(context, kPluginName);
//   if (!partition) return partition.status();
//
// Header-only and outside the exported API (bre/export.hpp): a plugin compiles its own
// copy, so these can grow without changing what libbre exports.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bre/language.hpp"
#include "bre/plugin.hpp"
#include "bre/status.hpp"
#include "bre/v1/plugin.pb.h"
#include "bre/v1/results.pb.h"

namespace bre {

/// Builds a PluginDescription in one statement. Every plugin is deterministic per seed
/// and thread-safe (the contract of bre/plugin.hpp), so those capabilities are set;
/// parameters, consumed and produced artifact kinds keep the order of the calls.
class DescriptionBuilder {
 public:
  DescriptionBuilder(const std::string& name, v1::PluginKind kind, const std::string& version,
                     const std::string& summary) {
    description_.set_name(name);
    description_.set_kind(kind);
    description_.set_version(version);
    description_.set_summary(summary);
    v1::Capabilities* capabilities = description_.mutable_capabilities();
    capabilities->set_deterministic_per_seed(true);
    capabilities->set_thread_safe(true);
  }

  DescriptionBuilder& parameter(v1::ParameterSpec spec) {
    *description_.add_parameters() = std::move(spec);
    return *this;
  }
  DescriptionBuilder& parameters(std::vector<v1::ParameterSpec> specs) {
    for (v1::ParameterSpec& spec : specs) parameter(std::move(spec));
    return *this;
  }
  /// An artifact kind some input step must produce (the host checks it before running).
  DescriptionBuilder& consumes(v1::ArtifactKind kind) {
    description_.add_consumes(kind);
    return *this;
  }
  DescriptionBuilder& produces(v1::ArtifactKind kind) {
    description_.add_produces(kind);
    return *this;
  }
  /// The step reads the weights of the network or of the population.
  DescriptionBuilder& uses_weights() {
    description_.mutable_capabilities()->set_uses_weights(true);
    return *this;
  }

  const v1::PluginDescription& description() const { return description_; }
  operator v1::PluginDescription() const { return description_; }  // NOLINT: `return describe_plugin(...)...;`

 private:
  v1::PluginDescription description_;
};

/// The start of a plugin's description: name ("indicator.congruence"), kind, the
/// plugin's own semantic version and a one-line summary.
inline DescriptionBuilder describe_plugin(const std::string& name, v1::PluginKind kind, const std::string& version,
                                          const std::string& summary) {
  return DescriptionBuilder(name, kind, version, summary);
}

/// "step 'id'": what a step's errors and warnings start with.
inline std::string step_where(const StepContext& context) { return "step '" + context.step_id() + "'"; }

/// The first partition among the inputs, or the error every plugin gives when there is
/// none: "step 'x': indicator.biotope needs a partition from an input step (e.g. a
/// clustering step), found none".
inline Expected<const v1::Partition*> require_input_partition(const StepContext& context,
                                                              const std::string& plugin_name) {
  if (const v1::Partition* partition = context.input_partition()) return partition;
  return failed_precondition(step_where(context) + ": " + plugin_name +
                             " needs a partition from an input step (e.g. a clustering step), found none");
}

/// The partition called `name` among the input steps' partitions, in input order, or nullptr.
inline const v1::Partition* input_partition_named(const StepContext& context, const std::string& name) {
  for (const StepInput& input : context.inputs()) {
    if (input.artifacts == nullptr) continue;
    for (const v1::Partition& partition : input.artifacts->partitions()) {
      if (partition.name() == name) return &partition;
    }
  }
  return nullptr;
}

/// The names of the input steps' partitions, ", "-separated, or "none": for errors.
inline std::string input_partition_names(const StepContext& context) {
  std::string names;
  for (const StepInput& input : context.inputs()) {
    if (input.artifacts == nullptr) continue;
    for (const v1::Partition& partition : input.artifacts->partitions()) {
      names += (names.empty() ? "" : ", ") + partition.name();
    }
  }
  return names.empty() ? "none" : names;
}

/// The first table among the inputs named `name` (any name when empty) that has a
/// column `column` (any columns when empty), in input order, or nullptr.
inline const v1::IndicatorTable* input_table_named(const StepContext& context, const std::string& name,
                                                   const std::string& column = {}) {
  for (const StepInput& input : context.inputs()) {
    if (input.artifacts == nullptr) continue;
    for (const v1::IndicatorTable& table : input.artifacts->tables()) {
      if (!name.empty() && table.name() != name) continue;
      if (column.empty()) return &table;
      for (const v1::IndicatorColumn& c : table.columns()) {
        if (c.id() == column) return &table;
      }
    }
  }
  return nullptr;
}

/// The input steps' tables as "step: table (column, ...)", "; "-separated, or "none":
/// for errors that say what was there instead.
inline std::string input_table_names(const StepContext& context) {
  std::string text;
  for (const StepInput& input : context.inputs()) {
    if (input.artifacts == nullptr) continue;
    for (const v1::IndicatorTable& table : input.artifacts->tables()) {
      text += (text.empty() ? "" : "; ") + input.step_id + ": " + table.name() + " (";
      for (int c = 0; c < table.columns_size(); ++c) text += (c ? ", " : "") + table.columns(c).id();
      text += ")";
    }
  }
  return text.empty() ? "none" : text;
}

/// The table `name` among the inputs, or the error: "step 'x': indicator.quadrant needs
/// the table 'broad_wellbeing' of an input step (e.g. indicator.broad_wellbeing), found none".
inline Expected<const v1::IndicatorTable*> require_input_table(const StepContext& context,
                                                               const std::string& plugin_name,
                                                               const std::string& name,
                                                               const std::string& producer) {
  if (const v1::IndicatorTable* table = input_table_named(context, name)) return table;
  return failed_precondition(step_where(context) + ": " + plugin_name + " needs the table '" + name +
                             "' of an input step (e.g. " + producer + "), found none");
}

/// A text for people in both languages of a run, Dutch first, so that the two stand side
/// by side where the text is written: `Bilingual{"Gemeenten", "Municipalities"}.in(language)`.
struct Bilingual {
  std::string nl;
  std::string en;
  const std::string& in(Language language) const { return language == Language::kDutch ? nl : en; }
};

/// `value` with `digits` decimals in the language's notation: "0,25" in Dutch, "0.25" in
/// English; "NaN" when it is not a number.
inline std::string format_decimal(Language language, double value, int digits) {
  if (std::isnan(value)) return "NaN";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return decimal_notation(language, buffer);
}

/// `share` (0-1) as a whole percentage in the language's notation: "25%" / "25%", with
/// `digits` decimals when asked ("12,5%" / "12.5%").
inline std::string format_percent(Language language, double share, int digits = 0) {
  return format_decimal(language, 100.0 * share, digits) + "%";
}

/// A column's unit in `language`. Units are a small shared vocabulary, so their Dutch
/// stands here once: "count" -> "aantal", "share" -> "aandeel", ... A unit not listed
/// (e.g. a dataset indicator's own, such as "%" or "euro") is returned as given.
inline std::string unit_in(Language language, const std::string& unit) {
  if (language == Language::kEnglish) return unit;
  static constexpr std::pair<std::string_view, std::string_view> kDutch[] = {
      {"count", "aantal"},
      {"share", "aandeel"},
      {"share (0-1)", "aandeel (0-1)"},
      {"ratio", "verhouding"},
      {"1 = yes, 0 = no", "1 = ja, 0 = nee"},
      {"decades", "decaden"},
      {"share of ln n", "aandeel van ln n"},
      {"national SD", "landelijke SD"},
      {"indicator unit", "eenheid van de indicator"},
      {"z per year", "z per jaar"},
      {"z (SD units)", "z (SD-eenheden)"},
      {"persons", "personen"},
      {"region", "regio"},
      {"degrees (0 = north, 90 = east)", "graden (0 = noord, 90 = oost)"},
  };
  for (const auto& [english, dutch] : kDutch) {
    if (unit == english) return std::string(dutch);
  }
  return unit;
}

/// What a step's warnings start with, in the run's language: "stap 'x'" / "step 'x'".
/// (Errors are for the person running bre and stay English: step_where.)
inline std::string warning_where(const StepContext& context) {
  return text_in(run_language(context), "stap '", "step '") + context.step_id() + "'";
}

/// Appends `warnings` to the step's, each prefixed with warning_where ("stap 'x': ").
inline void add_step_warnings(const StepContext& context, const std::vector<std::string>& warnings,
                              v1::Artifacts& out) {
  for (const std::string& warning : warnings) out.add_warnings(warning_where(context) + ": " + warning);
}

}  // namespace bre
