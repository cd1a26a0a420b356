// Names as Dutch public sources write them: normalisation, repair of double-encoded
// UTF-8, and resolution of municipality names (spelling variants, qualifiers, pre-2016
// names of merged municipalities) to the CBS codes of the reference year.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bre/import/csv.hpp"
#include "bre/status.hpp"

namespace bre::import {

/// The form names are compared in: lower case, Latin-1 accents folded (â → a,
/// ß → ss), every run of characters other than letters and digits one space, no
/// leading or trailing space. "'s-Gravenhage" → "s gravenhage", "Bergen (L.)" →
/// "bergen l". Complexity: O(length).
std::string normalise_name(std::string_view name);

/// Undoes one round of double encoding: UTF-8 text that was read as Latin-1 or
/// Windows-1252 and encoded as UTF-8 again ("FryslÃ¢n" → "Fryslân", "â€™" → "’").
/// The text is returned unchanged unless every character maps back to one byte and
/// those bytes are valid UTF-8 with at least one multi-byte sequence, so correct text
/// ("Fryslân", "Südbrookmerland") is left alone. Complexity: O(length).
std::string repair_double_encoding(std::string_view text);

/// How a name resolved.
struct NameResolution {
  enum class Outcome { kResolved, kAmbiguous, kSplit, kUnknown };
  Outcome outcome = Outcome::kUnknown;
  std::vector<std::string> codes;  // resolved codes; candidates when ambiguous or split
  std::string via;                 // "official name", or the alias row's note
};

/// Resolves municipality names of any year to the codes of the reference year.
/// Rule, in order: the normalised official name; an alias whose province matches the
/// row's province; an alias without a province; a name the 2014 → 2016 table maps to
/// a single municipality. A name two aliases share without a matching province is
/// ambiguous; a municipality split over several successors is split.
class MunicipalityNames {
 public:
  /// Registers an official name of the reference year.
  void add_official(const std::string& code, const std::string& name);
  /// Registers an alias for one or more municipalities (several when a source ran
  /// names together), optionally valid only for rows of `province` (a name).
  void add_alias(const std::string& alias, std::vector<std::string> codes, const std::string& province,
                 const std::string& note);
  /// Registers a municipality that was split over `codes`.
  void add_split(const std::string& name, std::vector<std::string> codes, const std::string& note);

  /// Reads an alias table (framework/import/data/municipality_aliases.csv layout:
  /// alias;kind;target;province;note; kind municipality, split, water_board or
  /// province). Rows of kind water_board or province go to
  /// `body_aliases[kind]` (normalised alias → board name or province code). Errors
  /// name the line; every municipality code must be registered with add_official first.
  Status add_alias_table(const CsvTable& table, std::map<std::string, std::map<std::string, std::string>>& body_aliases);

  /// Resolves `name` for a source row of province `province` (a name such as
  /// "Noord-Holland"; empty = unknown). Complexity: O(length + aliases of the name).
  NameResolution resolve(std::string_view name, std::string_view province = "") const;

  /// Whether `normalised` is an official name of the reference year.
  bool is_official(const std::string& normalised) const { return official_.count(normalised) > 0; }

 private:
  struct Alias {
    std::vector<std::string> codes;
    std::string province;  // normalised; empty = any
    std::string note;
    bool split = false;
  };
  std::map<std::string, std::string> official_;  // normalised name → code
  std::map<std::string, std::string> known_codes_;
  std::map<std::string, std::vector<Alias>> aliases_;  // normalised alias → rows
};

}  // namespace bre::import
