// The BZK Regio Atlas divisions (as published by Open State Foundation): one CSV per
// division with a row per municipality and region, and indelingen.csv saying what
// each division is. DOMAIN.md §1: cooperation divisions become arrangements, state
// and statistical divisions region definitions to compare with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bre/import/names.hpp"
#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// What indelingen.csv says a division is ("soort").
enum class DivisionKind {
  kCooperation,  // samenwerking: municipal cooperation → arrangements of kind COOPERATION
  kSocietal,     // maatschappelijk: societal partners → arrangements of kind SOCIETAL
  kState,        // rijk → region definition
  kStatistical,  // statistisch → region definition
  kUnknown,      // onbekend → region definition (no claim of cooperation), reported
};

struct DivisionInfo {
  std::string file;    // relative to the regioatlas folder, e.g. "Sociaal/ggds.csv"
  std::string name;    // e.g. "GGD's"
  DivisionKind kind = DivisionKind::kUnknown;
  std::string domain;  // policy domain, e.g. "zorg"
  std::string note;    // "toelichting"
  std::int64_t line = 0;
};

/// Reads indelingen.csv (bestand,naam,soort,domein,toelichting). Errors name the line
/// and field: an unknown soort, an empty file name, a file listed twice.
Expected<std::vector<DivisionInfo>> read_division_index(const std::string& path, const std::string& display_name);

/// Parses the text of indelingen.csv (see read_division_index); errors name `display_name`.
Expected<std::vector<DivisionInfo>> parse_division_index(std::string_view text, const std::string& display_name);

/// One row of a division file.
struct DivisionRow {
  std::int64_t line = 0;
  std::string municipality_name;
  std::string code;    // "GM" + the CBS number padded to 4 digits
  std::string region;  // trimmed
};

/// Reads a division CSV (';', quoted, BOM; columns municipality, CBS number, region,
/// population). Errors name file and line: a CBS number that is not 1-4 digits, a
/// code not in `known_codes`, an empty region. Complexity: O(size).
Expected<std::vector<DivisionRow>> read_division(const std::string& path, const std::string& display_name,
                                                 const std::set<std::string>& known_codes);

/// Parses the text of a division CSV (see read_division); errors name `display_name`.
Expected<std::vector<DivisionRow>> parse_division(std::string_view text, const std::string& display_name,
                                                  const std::set<std::string>& known_codes);

/// What one division became, with the row accounting a test can check:
/// rows == memberships + duplicate_rows.
struct DivisionImport {
  std::vector<v1::Arrangement> arrangements;  // cooperation and societal divisions
  std::vector<v1::RegionDefinition> definitions;  // state, statistical and unknown
  std::size_t rows = 0;
  std::size_t memberships = 0;     // municipality-in-region entries written
  std::size_t duplicate_rows = 0;  // the same municipality twice in one region (reported)
};

/// Turns a division's rows into one arrangement per region (in order of first
/// appearance, id "<division file>#<n>") or one region definition (is_cover when a
/// municipality is in several regions). Reports every row whose name does not match
/// its code's municipality (official name or alias), every duplicate row, and a
/// division of unknown kind. `seen_names` collects the other names per code.
DivisionImport build_division(const DivisionInfo& info, const std::vector<DivisionRow>& rows,
                              const MunicipalityNames& names, const std::map<std::string, std::string>& official_names,
                              ResolutionReport& report, std::map<std::string, std::set<std::string>>& seen_names);

}  // namespace bre::import
