// The reference data the importer targets resolve against, built once per process:
// every possible CBS municipality code GM0000-GM9999 (so rows of the real nl2016 files
// reach the checks past the code), a few real names of 2016 and placeholder names for
// the other codes, and the built-in alias table as the nl2016 importer loads it.
#pragma once

#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "bre/import/csv.hpp"
#include "bre/import/names.hpp"
#include "bre/import/nl2016.hpp"
#include "fuzz_support.hpp"

namespace bre::fuzz {

/// Code → official name for every GM code.
inline const std::map<std::string, std::string>& reference_official_names() {
  static const std::map<std::string, std::string> names = [] {
    std::map<std::string, std::string> out;
    char code[8];
    for (int number = 0; number <= 9999; ++number) {
      std::snprintf(code, sizeof code, "GM%04d", number);
      out[code] = std::string("Gemeente ") + (code + 2);
    }
    const std::map<std::string, std::string> real = {
        {"GM0014", "Groningen"},      {"GM0034", "Almere"},        {"GM0268", "Nijmegen"},
        {"GM0344", "Utrecht"},        {"GM0363", "Amsterdam"},     {"GM0373", "Bergen (NH.)"},
        {"GM0518", "'s-Gravenhage"},  {"GM0599", "Rotterdam"},     {"GM0758", "Breda"},
        {"GM0772", "Eindhoven"},      {"GM0855", "Tilburg"},       {"GM0893", "Bergen (L.)"},
        {"GM1680", "Aa en Hunze"},    {"GM0738", "Aalburg"},       {"GM0358", "Aalsmeer"},
        {"GM1900", "Súdwest-Fryslân"}};
    for (const auto& [c, name] : real) out[c] = name;
    return out;
  }();
  return names;
}

/// Every GM code.
inline const std::set<std::string>& reference_codes() {
  static const std::set<std::string> codes = [] {
    std::set<std::string> out;
    for (const auto& entry : reference_official_names()) out.insert(entry.first);
    return out;
  }();
  return codes;
}

/// The official names without aliases.
inline const import::MunicipalityNames& reference_officials_only() {
  static const import::MunicipalityNames names = [] {
    import::MunicipalityNames out;
    for (const auto& [code, name] : reference_official_names()) out.add_official(code, name);
    return out;
  }();
  return names;
}

/// The official names plus the built-in alias table; `body_aliases` as add_alias_table fills it.
struct ReferenceNames {
  import::MunicipalityNames names;
  std::map<std::string, std::map<std::string, std::string>> body_aliases;
};

inline const ReferenceNames& reference_names() {
  static const ReferenceNames reference = [] {
    ReferenceNames out{reference_officials_only(), {}};
    import::CsvOptions options;
    options.delimiter = ';';
    options.comment = '#';
    options.expected_fields = 5;
    auto table = import::parse_csv(import::builtin_municipality_aliases(), "municipality_aliases.csv", options);
    require(table.has_value(), "the built-in alias table parses");
    require(out.names.add_alias_table(*table, out.body_aliases).is_ok(), "the built-in alias table loads");
    return out;
  }();
  return reference;
}

}  // namespace bre::fuzz
