// The OpenGR inventory of joint arrangements under the Wgr (Open State Foundation):
// one row per participant and arrangement, as the provinces reported them.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bre/import/csv.hpp"
#include "bre/import/names.hpp"
#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// One row of the domain keyword table (framework/import/data/opengr_domain_keywords.csv).
struct DomainRule {
  std::vector<std::string> words;  // normalised words of the keyword
  bool prefix = false;             // the last word may continue ("afval*")
  std::string domain;
};

/// Reads the keyword table (keyword;domain, '#' comments). Errors name the line.
Expected<std::vector<DomainRule>> parse_domain_rules(const CsvTable& table);

/// The policy domains of an arrangement name: every domain with a rule that matches
/// the normalised name (whole words; the last word as a prefix for "word*"), sorted
/// and unique. Empty when no rule matches. Complexity: O(words · rules).
std::vector<std::string> classify_domains(std::string_view name, const std::vector<DomainRule>& rules);

/// Reads the table of arrangement domains by name
/// (framework/import/data/opengr_arrangement_domains.csv: arrangement;domains;source,
/// domains joined by '|'): normalised arrangement name → its domains, sorted and
/// unique. Every domain must be one the keyword `rules` can give (one vocabulary); a
/// name listed twice, an empty field or an unknown domain is an error naming the line.
Expected<std::map<std::string, std::vector<std::string>>> parse_arrangement_domains(
    const CsvTable& table, const std::vector<DomainRule>& rules);

/// Whether the register marks the arrangement dissolved: its name contains the word
/// "opgeheven" ("(opgeheven)", "(in 2016 opgeheven)", "(opgeheven per 25 januari 2016)").
bool marked_dissolved(std::string_view name);

/// The Wgr form an arrangement name states: centrumregeling → central municipality,
/// bedrijfsvoeringsorganisatie → business operations, gemeenschappelijk orgaan →
/// common body, openbaar lichaam → public body, regeling zonder meer → light; else
/// LEGAL_FORM_WGR_UNSPECIFIED (every OpenGR arrangement is a Wgr arrangement).
v1::LegalForm wgr_legal_form(std::string_view name);

/// What the OpenGR importer resolves participants against.
struct OpenGrContext {
  const MunicipalityNames* names = nullptr;
  /// Normalised province name ("noord brabant", "fryslan", "friesland") → PV code.
  std::map<std::string, std::string> provinces;
  /// Normalised water board alias → the board's name (see MunicipalityNames::add_alias_table).
  std::map<std::string, std::string> water_board_aliases;
  std::vector<DomainRule> domain_rules;
  /// Normalised arrangement name → domains, for names the keyword rules cannot read
  /// (see parse_arrangement_domains); takes precedence over domain_rules.
  std::map<std::string, std::vector<std::string>> arrangement_domains;
  /// Municipality code → province code, to decide an ambiguous participant name by the
  /// arrangement's other municipalities; empty = ambiguous names stay unresolved.
  std::map<std::string, std::string> province_of_municipality;
};

struct OpenGrImport {
  std::vector<v1::Arrangement> arrangements;  // kept: at least two municipalities
  std::vector<v1::Body> bodies;               // water boards, foreign and national bodies met
  std::size_t rows = 0;
  std::size_t arrangements_read = 0;
  std::size_t arrangements_dropped = 0;       // fewer than two municipalities (reported)
  std::size_t arrangements_dissolved = 0;     // marked "opgeheven" in the register (reported)
  std::size_t resolved_by_co_members = 0;     // ambiguous names decided by the other members (reported)
  std::size_t unresolved_participants = 0;    // rows reported as unresolved
};

/// Imports the OpenGR table (columns Deelnemer, Gemeenschappelijke regeling,
/// Postcode, Plaats, Provincie). Text is repaired (repair_double_encoding) and
/// trimmed. Rows are grouped by arrangement name. Each participant resolves, in
/// order: "… (Duitsland)" → foreign body; "Provincie …" → province; water-board
/// prefixes (Waterschap, Hoogheemraadschap, Wetterskip, and the misspelling
/// Hoogheermraadschap) or a water-board alias → water board, code "WS-" + its
/// normalised core name; "Rijk", "Ministerie …", "Rijks…" → national body;
/// otherwise a municipality name (MunicipalityNames, with the row's province). A name
/// shared by several municipalities that the row's province does not decide (Bergen in
/// a German row of the Euregio Rijn-Waal) goes to the candidate whose province holds
/// more of the arrangement's other (unambiguous) municipalities than any other
/// candidate's; a draw stays unresolved. What stays unresolved is reported with file
/// and line. Arrangements the register marks dissolved (marked_dissolved) and those
/// with fewer than two distinct municipalities are reported and left out. Domains come
/// from context.arrangement_domains by name, else from the keyword rules; names
/// neither classifies are reported. `file` names the source in the report and in errors.
Expected<OpenGrImport> import_opengr(const CsvTable& table, const std::string& file, const OpenGrContext& context,
                                     ResolutionReport& report);

}  // namespace bre::import
