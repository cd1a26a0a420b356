#include "bre/import/indicator_table.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "bre/dataset.hpp"
#include "bre/import/names.hpp"
#include "bre/import/nl2016.hpp"
#include "bre/io.hpp"
#include "figures.hpp"

namespace bre::import {
namespace {

// Cell errors collected before failing: enough to fix a file in one pass, few enough to read.
constexpr std::size_t kMaxErrors = 20;

constexpr std::pair<const char*, v1::Theme> kThemes[] = {
    {"geography", v1::THEME_GEOGRAPHY},       {"demography", v1::THEME_DEMOGRAPHY},
    {"housing_and_services", v1::THEME_HOUSING_AND_SERVICES}, {"social_capital", v1::THEME_SOCIAL_CAPITAL},
    {"economy", v1::THEME_ECONOMY},           {"environment", v1::THEME_ENVIRONMENT},
    {"health", v1::THEME_HEALTH},             {"wellbeing", v1::THEME_WELLBEING}};
constexpr std::pair<const char*, v1::Direction> kDirections[] = {{"higher_is_better", v1::DIRECTION_HIGHER_IS_BETTER},
                                                                {"lower_is_better", v1::DIRECTION_LOWER_IS_BETTER},
                                                                {"neutral", v1::DIRECTION_NEUTRAL}};

constexpr const char* kMetaColumns[] = {"indicator", "theme",  "unit",           "direction",
                                        "column",    "name",   "year",           "broad_wellbeing",
                                        "mirror_theme"};
constexpr const char* kRequiredMetaColumns[] = {"indicator", "theme", "unit", "direction"};

// The text form of an enum value, for messages.
template <typename Enum, std::size_t N>
std::string text_of(const std::pair<const char*, Enum> (&table)[N], Enum value) {
  for (const auto& [text, v] : table) {
    if (v == value) return text;
  }
  return "none";
}

template <typename Enum, std::size_t N>
Expected<Enum> enum_of(const std::pair<const char*, Enum> (&table)[N], std::string_view text, const char* what) {
  std::string valid;
  for (const auto& [name, value] : table) {
    if (text == name) return value;
    valid += (valid.empty() ? "" : "|") + std::string(name);
  }
  return invalid_argument("expected a " + std::string(what) + " (" + valid + "), found '" + std::string(text) + "'");
}

std::string where(const std::string& file, std::int64_t line) { return file + ":" + std::to_string(line); }

std::string column_text(const std::vector<std::string>& header, std::size_t column) {
  return "column '" + header[column] + "' (" + std::to_string(column + 1) + ")";
}

bool is_indicator_id(std::string_view id) {
  if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Expected<bool> parse_yes_no(std::string_view text) {
  const std::string lower = lower_ascii(text);
  if (lower.empty() || lower == "no" || lower == "false" || lower == "0") return false;
  if (lower == "yes" || lower == "true" || lower == "1") return true;
  return invalid_argument("expected yes or no, found '" + std::string(text) + "'");
}

// The unit a header names in trailing parentheses ("Gemiddelde woningwaarde (1 000 euro)"
// → "1 000 euro"); empty when the header ends otherwise.
std::string header_unit(const std::string& header) {
  if (header.empty() || header.back() != ')') return "";
  const std::size_t open = header.rfind('(');
  if (open == std::string::npos) return "";
  return trim(std::string_view(header).substr(open + 1, header.size() - open - 2));
}

// A metadata unit compared with a header's: trimmed, one pair of enclosing parentheses
// dropped ("(%)" is "%"). Nothing else is translated: "1 000 euro" is not "thousand EUR".
std::string comparable_unit(const std::string& unit) {
  std::string out = trim(unit);
  if (out.size() >= 2 && out.front() == '(' && out.back() == ')') out = trim(out.substr(1, out.size() - 2));
  return out;
}

bool looks_like_number_with(std::string_view text, char decimal) {
  if (!text.empty() && text[0] == '-') text.remove_prefix(1);
  const std::size_t at = text.find(decimal);
  if (at == std::string_view::npos) return false;
  return all_digits(text.substr(0, at)) && all_digits(text.substr(at + 1));
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

}  // namespace

namespace detail {

// A year as sources write it: "2016", or StatLine's period code "2016JJ00".
std::optional<int> parse_year(std::string_view text) {
  if (text.size() == 8 && text.substr(4) == "JJ00") text = text.substr(0, 4);
  if (text.size() != 4 || !all_digits(text)) return std::nullopt;
  int year = 0;
  std::from_chars(text.data(), text.data() + text.size(), year);
  if (year < 1800 || year > 2200) return std::nullopt;
  return year;
}

// CBS writes these where a figure is missing: nil, unknown, secret, unreliable.
bool is_placeholder(std::string_view text) {
  return text.empty() || text == "." || text == "-" || text == "x" || text == "X" || text == "?";
}

// A decimal number in the table's notation: an optional '-', digits, optionally the
// decimal character and more digits. No thousands separators, exponents or '+'.
Expected<double> parse_number(std::string_view text, char decimal, bool statline) {
  std::string plain(text);
  std::size_t digits = 0;
  bool valid = !plain.empty();
  bool seen_decimal = false;
  for (std::size_t i = 0; i < plain.size() && valid; ++i) {
    const char c = plain[i];
    if (c >= '0' && c <= '9') ++digits;
    else if (c == '-' && i == 0) continue;
    else if (c == decimal && !seen_decimal) seen_decimal = true, plain[i] = '.';
    else valid = false;
  }
  double value = 0.0;
  if (valid && digits > 0) {
    const auto [end, error] = std::from_chars(plain.data(), plain.data() + plain.size(), value);
    if (error == std::errc() && end == plain.data() + plain.size() && std::isfinite(value)) return value;
  }
  std::string message = "expected a number with the decimal '" + std::string(1, decimal) + "', found '" +
                        std::string(text) + "'";
  const char other = decimal == '.' ? ',' : '.';
  if (looks_like_number_with(text, other)) {
    message += statline ? std::string(" (a StatLine export writes decimal commas)")
                        : " (a decimal " + std::string(other == ',' ? "comma" : "point") + "? pass --decimal '" +
                              std::string(1, other) + "')";
  }
  return invalid_argument(message);
}

}  // namespace detail

using detail::is_placeholder;
using detail::parse_number;
using detail::parse_year;

Expected<v1::Theme> parse_theme(std::string_view text) { return enum_of(kThemes, text, "theme"); }

Expected<v1::Direction> parse_direction(std::string_view text) { return enum_of(kDirections, text, "direction"); }

Expected<std::vector<IndicatorMeta>> parse_indicator_meta(const CsvTable& table) {
  const std::string& file = table.file;
  std::map<std::string, std::size_t> columns;
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    const std::string& name = table.header[c];
    if (std::find(std::begin(kMetaColumns), std::end(kMetaColumns), name) == std::end(kMetaColumns)) {
      return invalid_argument(where(file, 1) + ": " + column_text(table.header, c) +
                              ": unknown column (expected indicator, theme, unit, direction, column, name, year, "
                              "broad_wellbeing, mirror_theme)");
    }
    if (!columns.emplace(name, c).second) {
      return invalid_argument(where(file, 1) + ": " + column_text(table.header, c) + ": appears twice in the header");
    }
  }
  for (const char* required : kRequiredMetaColumns) {
    if (!columns.count(required)) {
      return invalid_argument(where(file, 1) + ": missing column '" + required +
                              "' (the header needs indicator, theme, unit and direction)");
    }
  }

  std::vector<IndicatorMeta> meta;
  std::map<std::string, std::size_t> first_of_id;                        // id → index in meta
  std::map<std::pair<std::string, int>, std::int64_t> line_of_id_year;   // (id, year) → line
  std::map<std::string, std::vector<std::size_t>> rows_of_column;        // column → indices in meta
  for (const CsvRecord& record : table.records) {
    const auto cell = [&](const char* name) -> std::string {
      auto it = columns.find(name);
      return it == columns.end() ? std::string() : trim(record.fields[it->second]);
    };
    const auto bad = [&](const char* name, const std::string& what) {
      return invalid_argument(where(file, record.line) + ": " + column_text(table.header, columns.at(name)) + ": " +
                              what);
    };
    IndicatorMeta row;
    row.line = record.line;
    const std::string id = cell("indicator");
    if (!is_indicator_id(id)) return bad("indicator", "expected an id of the form [a-z][a-z0-9_]*, found '" + id + "'");
    v1::AreaIndicator& indicator = row.indicator;
    indicator.set_id(id);
    Expected<v1::Theme> theme = parse_theme(cell("theme"));
    if (!theme) return bad("theme", theme.status().message());
    indicator.set_theme(*theme);
    const std::string unit = cell("unit");
    if (unit.empty()) return bad("unit", "expected a unit (e.g. %, persons, thousand EUR), found nothing");
    indicator.set_unit(unit);
    Expected<v1::Direction> direction = parse_direction(cell("direction"));
    if (!direction) return bad("direction", direction.status().message());
    indicator.set_direction(*direction);
    const std::string name = cell("name");
    indicator.set_name(name.empty() ? id : name);
    const std::string column = cell("column");
    row.column = column.empty() ? id : column;
    if (const std::string year = cell("year"); !year.empty()) {
      const std::optional<int> parsed = parse_year(year);
      if (!parsed) return bad("year", "expected a year such as 2016, found '" + year + "'");
      row.year = *parsed;
    }
    Expected<bool> broad = parse_yes_no(cell("broad_wellbeing"));
    if (!broad) return bad("broad_wellbeing", broad.status().message());
    indicator.set_broad_wellbeing(*broad);
    if (const std::string mirror = cell("mirror_theme"); !mirror.empty() && mirror != "none") {
      Expected<v1::Theme> mirror_theme = parse_theme(mirror);
      if (!mirror_theme) return bad("mirror_theme", mirror_theme.status().message() + " (or none)");
      indicator.set_mirror_theme(*mirror_theme);
    }
    if (*broad && *direction == v1::DIRECTION_NEUTRAL) {
      return bad("broad_wellbeing", "a neutral indicator is never part of broad well-being (found yes for '" + id + "')");
    }
    if (id == kPopulationIndicator && unit != "persons") {
      return bad("unit", "the reserved indicator 'population' sets the municipalities' population: expected the "
                         "unit 'persons', found '" + unit + "'");
    }

    // One id, one definition (the name may be given on one row only).
    if (auto it = first_of_id.find(id); it != first_of_id.end()) {
      IndicatorMeta& first = meta[it->second];
      const v1::AreaIndicator& a = first.indicator;
      std::string differs;
      if (a.theme() != indicator.theme()) differs = "theme '" + text_of(kThemes, indicator.theme()) + "' (line " + std::to_string(first.line) + ": '" + text_of(kThemes, a.theme()) + "')";
      else if (a.unit() != indicator.unit()) differs = "unit '" + indicator.unit() + "' (line " + std::to_string(first.line) + ": '" + a.unit() + "')";
      else if (a.direction() != indicator.direction()) differs = "direction '" + text_of(kDirections, indicator.direction()) + "' (line " + std::to_string(first.line) + ": '" + text_of(kDirections, a.direction()) + "')";
      else if (a.broad_wellbeing() != indicator.broad_wellbeing()) differs = "broad_wellbeing (line " + std::to_string(first.line) + " differs)";
      else if (a.mirror_theme() != indicator.mirror_theme()) differs = "mirror_theme (line " + std::to_string(first.line) + " differs)";
      if (!differs.empty()) {
        return invalid_argument(where(file, record.line) + ": indicator '" + id + "' is defined differently on two rows: " + differs);
      }
      if (!name.empty() && a.name() == a.id()) first.indicator.set_name(name);
      indicator.set_name(first.indicator.name());
    } else {
      first_of_id.emplace(id, meta.size());
    }
    if (auto [it, inserted] = line_of_id_year.emplace(std::make_pair(id, row.year), record.line); !inserted) {
      return invalid_argument(where(file, record.line) + ": indicator '" + id + "' " +
                              (row.year == 0 ? std::string("without a year") : "for " + std::to_string(row.year)) +
                              " is already given on line " + std::to_string(it->second));
    }
    // A column may serve several years of a table with years as rows, never one year twice.
    for (std::size_t other : rows_of_column[row.column]) {
      if (meta[other].year == 0 || row.year == 0 || meta[other].year == row.year) {
        return invalid_argument(where(file, record.line) + ": column '" + row.column + "' is already read on line " +
                                std::to_string(meta[other].line) + " for the same year (a column holds one figure per row)");
      }
    }
    rows_of_column[row.column].push_back(meta.size());
    meta.push_back(std::move(row));
  }
  if (meta.empty()) return invalid_argument(file + ": no indicators (expected one row per indicator column)");
  return meta;
}

Expected<std::vector<IndicatorMeta>> read_indicator_meta(const std::string& path) {
  Expected<CsvTable> table = read_csv(path, CsvOptions{});
  if (!table) return table.status();
  return parse_indicator_meta(*table);
}

namespace {

// A municipality code as sources write it: "GM0363", or the number alone ("0363", "363").
std::optional<std::string> cbs_code(std::string_view text) {
  if (text.size() == 6 && (text.substr(0, 2) == "GM" || text.substr(0, 2) == "gm") && all_digits(text.substr(2))) {
    return "GM" + std::string(text.substr(2));
  }
  if (text.size() >= 1 && text.size() <= 4 && all_digits(text)) return "GM" + std::string(4 - text.size(), '0') + std::string(text);
  return std::nullopt;
}

// StatLine adds "(gemeente)" where a municipality shares its name with a province or a
// place; the dataset's names do not carry it.
std::string without_gemeente(const std::string& name) {
  constexpr std::string_view kSuffix = "(gemeente)";
  std::string out = trim(name);
  if (out.size() > kSuffix.size() && out.compare(out.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    out = trim(out.substr(0, out.size() - kSuffix.size()));
  }
  return out;
}

// "Beek" for "Beek (L.)"; empty when the name ends in no parenthesised qualifier.
std::string without_qualifier(const std::string& name) {
  const std::size_t open = name.rfind('(');
  if (name.empty() || name.back() != ')' || open == std::string::npos || open == 0) return "";
  return trim(name.substr(0, open));
}

// The built-in alias table maps names to the CBS codes of 2016. A synthetic dataset (the
// demo) numbers its municipalities GM0001, GM0002, … for other places, so the table is
// used only when the dataset's Groningen and Utrecht sit at their CBS codes.
bool has_cbs_codes(const std::map<std::string, std::string>& name_of) {
  const auto named = [&](const char* code, const char* name) {
    auto it = name_of.find(code);
    return it != name_of.end() && normalise_name(it->second) == name;
  };
  return named("GM0014", "groningen") && named("GM0344", "utrecht");
}

Expected<MunicipalityNames> dataset_names(const v1::Dataset& dataset, const std::map<std::string, std::string>& name_of) {
  MunicipalityNames names;
  for (const auto& [code, name] : name_of) names.add_official(code, name);
  for (const v1::Municipality& m : dataset.municipalities()) {
    for (const std::string& alias : m.aliases()) names.add_alias(alias, {m.code()}, "", "another name in the dataset");
  }
  if (!has_cbs_codes(name_of)) return names;
  CsvOptions options;
  options.delimiter = ';';
  options.comment = '#';
  Expected<CsvTable> table = parse_csv(builtin_municipality_aliases(), "framework/import/data/municipality_aliases.csv", options);
  if (!table) return internal_error("built-in table: " + table.status().message());
  // Only rows whose municipalities the dataset has (a dataset may hold a part of the country).
  std::vector<CsvRecord> kept;
  for (CsvRecord& record : table->records) {
    const std::string kind = record.fields.size() < 3 ? "" : trim(record.fields[1]);
    if (kind != "municipality" && kind != "split") continue;
    const std::vector<std::string> targets = split_list(record.fields[2]);
    const bool known = std::all_of(targets.begin(), targets.end(),
                                   [&](const std::string& code) { return name_of.count(code) > 0; });
    if (known) kept.push_back(std::move(record));
  }
  table->records = std::move(kept);
  std::map<std::string, std::map<std::string, std::string>> body_aliases;
  if (Status status = names.add_alias_table(*table, body_aliases); !status) {
    return internal_error("built-in table: " + status.message());
  }
  return names;
}

// A header that is one column although the data has several: the delimiter is wrong.
Status check_delimiter(std::string_view text, const std::string& file, char delimiter) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string_view first = text.substr(0, text.find('\n'));
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  if (first.find(delimiter) != std::string_view::npos) return Status::ok();
  const auto shown = [](char c) { return c == '\t' ? std::string("\\t") : std::string(1, c); };
  for (char candidate : {';', ',', '\t', '|'}) {
    if (candidate != delimiter && first.find(candidate) != std::string_view::npos) {
      return invalid_argument(where(file, 1) + ": the header is one column with the delimiter '" + shown(delimiter) +
                              "', found '" + excerpt(first) + "'; it looks '" + shown(candidate) +
                              "'-separated (pass --delimiter '" + shown(candidate) + "')");
    }
  }
  return invalid_argument(where(file, 1) + ": the header is one column '" + excerpt(first) +
                          "'; expected a code column and indicator columns separated by '" + shown(delimiter) + "'");
}

bool is_statline_header(std::string_view text) {
  std::string_view first = text.substr(0, text.find('\n'));
  return first.find("\"Perioden\"") != std::string_view::npos && first.find("\"Regio's\"") != std::string_view::npos;
}

// One metadata row resolved against the table's header.
struct Target {
  const IndicatorMeta* meta = nullptr;
  std::size_t column = 0;
  bool population = false;
  bool share = false;  // unit exactly "%": 0 to 100
};

class TableReader {
 public:
  TableReader(std::string_view text, const std::string& file, const std::vector<IndicatorMeta>& meta,
              const v1::Dataset& dataset, const IndicatorTableOptions& options)
      : text_(text), file_(file), meta_(meta), dataset_(dataset), options_(options) {}

  Expected<IndicatorTable> run() {
    statline_ = is_statline_header(text_.substr(text_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0));
    CsvOptions csv;
    csv.delimiter = statline_ ? ';' : options_.delimiter;
    decimal_ = statline_ ? ',' : options_.decimal;
    csv.check_field_count = false;
    if (!statline_) BRE_RETURN_IF_ERROR(check_delimiter(text_, file_, csv.delimiter));
    Expected<CsvTable> table = parse_csv(text_, file_, csv);
    if (!table) return table.status();
    table_ = std::move(*table);
    for (const v1::Municipality& m : dataset_.municipalities()) name_of_[m.code()] = m.name();
    BRE_RETURN_IF_ERROR(find_key_columns());
    BRE_RETURN_IF_ERROR(find_targets());
    Expected<MunicipalityNames> names = dataset_names(dataset_, name_of_);
    if (!names) return names.status();
    names_ = std::move(*names);
    if (statline_) mark_official_rows();
    for (const CsvRecord& record : table_.records) {
      if (!read_row(record)) break;
    }
    return finish();
  }

 private:
  struct Resolved {
    NameResolution resolution;
    bool official = false;  // by the dataset's own name for the municipality
  };

  bool error(std::string message) {
    if (errors_.size() < kMaxErrors) errors_.push_back(std::move(message));
    else truncated_ = true;
    return !truncated_;
  }

  std::string at(std::int64_t line, std::size_t column) const {
    return where(file_, line) + ": " + column_text(table_.header, column);
  }

  std::optional<std::size_t> column_of(std::string_view name) const {
    for (std::size_t c = 0; c < table_.header.size(); ++c) {
      if (table_.header[c] == name) return c;
    }
    return std::nullopt;
  }

  Status find_key_columns() {
    std::set<std::string> seen;
    for (std::size_t c = 0; c < table_.header.size(); ++c) {
      if (!seen.insert(table_.header[c]).second) {
        return invalid_argument(where(file_, 1) + ": " + column_text(table_.header, c) + ": appears twice in the header");
      }
    }
    if (statline_) {
      year_column_ = column_of("Perioden");
      key_column_ = *column_of("Regio's");
      return Status::ok();
    }
    std::optional<std::size_t> code = column_of("code");
    if (!code) {
      return invalid_argument(where(file_, 1) + ": no 'code' column (expected a CBS code column 'code', or a StatLine " +
                              "export with 'Perioden' and 'Regio''s'); the header is: " + joined(table_.header, ", "));
    }
    key_column_ = *code;
    name_column_ = column_of("name");
    year_column_ = column_of("year");
    return Status::ok();
  }

  Status find_targets() {
    std::vector<std::string> missing;
    std::map<std::size_t, std::vector<const IndicatorMeta*>> by_column;
    for (const IndicatorMeta& m : meta_) {
      const std::optional<std::size_t> column = column_of(m.column);
      if (!column) {
        missing.push_back("no column '" + m.column + "' for indicator '" + m.indicator.id() + "' (metadata line " +
                          std::to_string(m.line) + ")");
        continue;
      }
      if (*column == key_column_ || column == year_column_ || column == name_column_) {
        return invalid_argument(where(file_, 1) + ": " + column_text(table_.header, *column) +
                                ": is the table's key column, not an indicator column (metadata line " +
                                std::to_string(m.line) + ")");
      }
      const std::string unit = header_unit(m.column);
      if (!unit.empty() && unit != comparable_unit(m.indicator.unit())) {
        return invalid_argument(where(file_, 1) + ": " + column_text(table_.header, *column) + ": unit mismatch: " +
                                "the header says '" + unit + "', the metadata (line " + std::to_string(m.line) +
                                ") says '" + m.indicator.unit() + "'");
      }
      int year = m.year;
      if (!year_column_ && year == 0) {
        year = dataset_.reference_year();
        if (year == 0) {
          return invalid_argument(where(file_, 1) + ": indicator '" + m.indicator.id() + "' (metadata line " +
                                  std::to_string(m.line) + ") has no year: the table has no year column and the " +
                                  "dataset no reference year; give the metadata row a year");
        }
      }
      if (!year_column_ && !by_column[*column].empty()) {
        return invalid_argument(where(file_, 1) + ": " + column_text(table_.header, *column) + ": named by metadata " +
                                "lines " + std::to_string(by_column[*column].front()->line) + " and " +
                                std::to_string(m.line) + ", but the table has no year column to tell the years apart");
      }
      by_column[*column].push_back(&m);
      targets_.push_back({&m, *column, m.indicator.id() == kPopulationIndicator, comparable_unit(m.indicator.unit()) == "%"});
      years_.push_back(year);
    }
    if (!missing.empty()) {
      return invalid_argument(where(file_, 1) + ": " + joined(missing, "; ") + "; the table's columns are: " +
                              joined(table_.header, ", "));
    }
    distinct_columns_ = by_column.size();
    for (std::size_t c = 0; c < table_.header.size(); ++c) {
      if (c == key_column_ || c == year_column_ || c == name_column_ || by_column.count(c)) continue;
      result_.report.add(file_, 1, "column not used", table_.header[c], "no metadata row names this column; ignored");
    }
    return Status::ok();
  }

  const Resolved& resolve(const std::string& name) {
    auto it = resolved_.find(name);
    if (it != resolved_.end()) return it->second;
    Resolved r;
    const std::string base = without_gemeente(name);
    r.resolution = names_.resolve(base);
    // StatLine's province qualifiers ("Beek (L.)", "Rijswijk (ZH.)") where the dataset
    // has the plain name; not when the table's names differ in the qualifier alone
    // ("Hengelo (O.)" and "Hengelo (Gld.)", merged into Bronckhorst in 2005).
    if (const std::string plain_name = without_qualifier(base);
        r.resolution.outcome == NameResolution::Outcome::kUnknown && !plain_name.empty() &&
        qualified_names_[normalise_name(plain_name)].size() < 2) {
      NameResolution plain = names_.resolve(plain_name);
      if (plain.outcome == NameResolution::Outcome::kResolved) r.resolution = std::move(plain);
    }
    r.official = r.resolution.outcome == NameResolution::Outcome::kResolved && r.resolution.via == "official name";
    return resolved_.emplace(name, std::move(r)).first->second;
  }

  // StatLine lists each municipality under its own name every year; a municipality the
  // table names officially anywhere makes its other names in the table predecessors.
  void mark_official_rows() {
    for (const CsvRecord& record : table_.records) {
      if (key_column_ >= record.fields.size()) continue;
      const std::string base = without_gemeente(record.fields[key_column_]);
      const std::string plain = without_qualifier(base);
      qualified_names_[normalise_name(plain.empty() ? base : plain)].insert(normalise_name(base));
    }
    for (const CsvRecord& record : table_.records) {
      if (key_column_ >= record.fields.size()) continue;
      const Resolved& r = resolve(record.fields[key_column_]);
      if (r.official) officially_named_.insert(r.resolution.codes.front());
    }
  }

  std::string names_of(const std::vector<std::string>& codes) const {
    std::vector<std::string> parts;
    for (const std::string& code : codes) {
      auto it = name_of_.find(code);
      parts.push_back((it == name_of_.end() ? code : it->second) + " (" + code + ")");
    }
    return joined(parts, " and ");
  }

  // The row's municipality code; nullopt when the row is not used (reported) or wrong (an error).
  std::optional<std::string> row_code(const CsvRecord& record, bool& failed) {
    const std::string key = trim(record.fields[key_column_]);
    if (!statline_) {
      const std::optional<std::string> code = cbs_code(key);
      if (!code) {
        failed = !error(at(record.line, key_column_) + ": expected a CBS code such as GM0363 or 0363, found '" + key + "'");
        return std::nullopt;
      }
      if (!name_of_.count(*code)) {
        failed = !error(at(record.line, key_column_) + ": unknown municipality code '" + key +
                        "' (the dataset has no municipality " + *code + ")");
        return std::nullopt;
      }
      if (name_column_) check_name(record, *code);
      return code;
    }
    const Resolved& r = resolve(key);
    const NameResolution& res = r.resolution;
    using Outcome = NameResolution::Outcome;
    if (res.outcome == Outcome::kUnknown) {
      failed = !error(at(record.line, key_column_) + ": unknown municipality name '" + key +
                      "' (no name, alias or former name of a municipality of the dataset)");
      return std::nullopt;
    }
    if (res.outcome == Outcome::kAmbiguous) {
      failed = !error(at(record.line, key_column_) + ": the name '" + key + "' resolves to " +
                      std::to_string(res.codes.size()) + " municipalities: " + names_of(res.codes) +
                      " (write the name with its qualifier)");
      return std::nullopt;
    }
    // The alias notes say which names are predecessors ("merged into …") and which are the
    // same municipality under an earlier name ("renamed …").
    const bool merged = res.via.rfind("merged into", 0) == 0;
    const bool renamed = res.via.rfind("renamed", 0) == 0;
    if (res.codes.size() == 1 &&
        (r.official || renamed || (!merged && !officially_named_.count(res.codes.front())))) {
      return res.codes.front();
    }
    const std::string successor = res.codes.size() == 1 ? "merged into " + names_of(res.codes)
                                                        : "split over " + names_of(res.codes);
    result_.report.add(file_, record.line, "former municipality", key,
                       "former municipality, " + successor + "; values of predecessors are not combined");
    ++result_.former_rows;
    return std::nullopt;
  }

  // A wide table's name column is informative: a name that is not the code's is reported.
  void check_name(const CsvRecord& record, const std::string& code) {
    const std::string name = trim(record.fields[*name_column_]);
    if (name.empty()) return;
    const Resolved& r = resolve(name);
    if (r.resolution.outcome == NameResolution::Outcome::kResolved && r.resolution.codes.size() == 1 &&
        r.resolution.codes.front() == code) {
      return;
    }
    result_.report.add(file_, record.line, "name mismatch", name,
                       "column 'name': not a name of " + code + " (" + name_of_.at(code) + ") in the dataset; the code is used");
  }

  // Reads one data row; false once too many errors were collected.
  bool read_row(const CsvRecord& record) {
    ++result_.rows;
    result_.cells += distinct_columns_;
    if (record.fields.size() != table_.header.size()) {
      std::string message = where(file_, record.line) + ": expected " + std::to_string(table_.header.size()) +
                            " fields as in the header, found " + std::to_string(record.fields.size());
      const char delimiter = statline_ ? ';' : options_.delimiter;
      for (std::size_t i = 0; i + 1 < record.fields.size(); ++i) {
        const std::string a = trim(record.fields[i]);
        const std::string b = trim(record.fields[i + 1]);
        if (delimiter == ',' && !a.empty() && all_digits(a[0] == '-' ? a.substr(1) : a) && all_digits(b)) {
          message += " (a decimal comma in '" + a + "," + b + "'? ',' separates the fields: write " + a + "." + b +
                     " or quote the number)";
          break;
        }
      }
      result_.unused_cells += distinct_columns_;
      return error(message);
    }
    std::optional<int> row_year;
    if (year_column_) {
      const std::string text = trim(record.fields[*year_column_]);
      row_year = parse_year(text);
      if (!row_year) {
        result_.unused_cells += distinct_columns_;
        return error(at(record.line, *year_column_) + ": expected a year such as 2016 or 2016JJ00, found '" + text + "'");
      }
    }
    // The metadata rows that ask for this row's year.
    std::vector<std::size_t> applicable;
    for (std::size_t t = 0; t < targets_.size(); ++t) {
      if (!row_year || targets_[t].meta->year == 0 || targets_[t].meta->year == *row_year) applicable.push_back(t);
    }
    result_.unused_cells += distinct_columns_ - applicable.size();
    if (applicable.empty()) {
      ++result_.other_year_rows;
      other_years_.insert(*row_year);
      return true;
    }
    std::size_t figures = 0;
    for (std::size_t t : applicable) figures += is_placeholder(trim(record.fields[targets_[t].column])) ? 0 : 1;
    // StatLine keeps rows of municipalities in years they did not exist, without figures.
    if (statline_ && figures == 0) {
      result_.empty_cells += applicable.size();
      return true;
    }
    bool failed = false;
    const std::optional<std::string> code = row_code(record, failed);
    if (!code) {
      result_.unused_cells += applicable.size();
      return !failed;
    }
    const int key_year = row_year.value_or(0);
    if (auto [it, inserted] = row_of_.emplace(std::make_pair(*code, key_year), record.line); !inserted) {
      result_.unused_cells += applicable.size();
      return error(at(record.line, key_column_) + ": a second row for " + *code +
                   (row_year ? " in " + std::to_string(*row_year) : std::string()) + " (the first is line " +
                   std::to_string(it->second) + ")");
    }
    for (std::size_t t : applicable) {
      if (!read_cell(record, targets_[t], row_year ? *row_year : years_[t], *code)) return false;
    }
    return true;
  }

  bool read_cell(const CsvRecord& record, const Target& target, int year, const std::string& code) {
    const std::string text = trim(record.fields[target.column]);
    if (is_placeholder(text)) {
      ++result_.empty_cells;
      return true;
    }
    ++result_.unused_cells;  // until the value is taken
    Expected<double> value = parse_number(text, decimal_, statline_);
    if (!value) return error(at(record.line, target.column) + ": " + value.status().message());
    if (target.population) {
      if (*value < 0 || *value != std::floor(*value) || *value > 9e15) {
        return error(at(record.line, target.column) + ": expected a non-negative whole number of persons, found '" + text + "'");
      }
      if (auto [it, inserted] = population_year_.emplace(code, std::make_pair(year, record.line)); !inserted) {
        return error(at(record.line, target.column) + ": a second population for " + code + " (year " +
                     std::to_string(year) + "; line " + std::to_string(it->second.second) + " gave year " +
                     std::to_string(it->second.first) + "): give the metadata row of 'population' a year");
      }
      --result_.unused_cells;
      result_.population[code] = static_cast<std::int64_t>(*value);
      return true;
    }
    if (target.share && (*value < 0 || *value > 100)) {
      return error(at(record.line, target.column) + ": expected a share from 0 to 100 (unit %), found '" + text + "'");
    }
    --result_.unused_cells;
    v1::IndicatorValue v;
    v.set_indicator_id(target.meta->indicator.id());
    v.set_municipality_code(code);
    v.set_year(year);
    v.set_value(*value);
    result_.values.push_back(std::move(v));
    return true;
  }

  Expected<IndicatorTable> finish() {
    if (!errors_.empty()) {
      std::string message = joined(errors_, "\n");
      if (truncated_) message += "\n(stopped after " + std::to_string(kMaxErrors) + " errors)";
      return invalid_argument(message);
    }
    std::set<std::string> ids;
    for (const IndicatorMeta& m : meta_) {
      if (m.indicator.id() != kPopulationIndicator && ids.insert(m.indicator.id()).second) {
        result_.indicators.push_back(m.indicator);
      }
    }
    std::sort(result_.values.begin(), result_.values.end(), [](const v1::IndicatorValue& a, const v1::IndicatorValue& b) {
      return std::forward_as_tuple(a.indicator_id(), a.municipality_code(), a.year()) <
             std::forward_as_tuple(b.indicator_id(), b.municipality_code(), b.year());
    });
    if (result_.other_year_rows > 0) {
      std::vector<std::string> years;
      for (int y : other_years_) years.push_back(std::to_string(y));
      result_.report.add(file_, 0, "rows of other years", std::to_string(result_.other_year_rows) + " rows",
                         "no metadata row asks for the years " + joined(years, ", ") + "; not used");
    }
    return std::move(result_);
  }

  std::string_view text_;
  const std::string& file_;
  const std::vector<IndicatorMeta>& meta_;
  const v1::Dataset& dataset_;
  const IndicatorTableOptions& options_;
  bool statline_ = false;
  char decimal_ = '.';
  CsvTable table_;
  std::size_t key_column_ = 0;
  std::optional<std::size_t> name_column_;
  std::optional<std::size_t> year_column_;
  std::vector<Target> targets_;
  std::vector<int> years_;  // per target: its year when the table has no year column
  std::size_t distinct_columns_ = 0;
  std::map<std::string, std::string> name_of_;
  MunicipalityNames names_;
  std::unordered_map<std::string, Resolved> resolved_;
  std::set<std::string> officially_named_;
  std::map<std::string, std::set<std::string>> qualified_names_;  // name without qualifier → the table's names
  std::map<std::pair<std::string, int>, std::int64_t> row_of_;
  std::map<std::string, std::pair<int, std::int64_t>> population_year_;
  std::set<int> other_years_;
  std::vector<std::string> errors_;
  bool truncated_ = false;
  IndicatorTable result_;
};

}  // namespace

Expected<IndicatorTable> parse_indicator_table(std::string_view text, const std::string& file,
                                               const std::vector<IndicatorMeta>& meta, const v1::Dataset& dataset,
                                               const IndicatorTableOptions& options) {
  return TableReader(text, file, meta, dataset, options).run();
}

Expected<IndicatorTable> read_indicator_table(const std::string& path, const std::vector<IndicatorMeta>& meta,
                                              const v1::Dataset& dataset, const IndicatorTableOptions& options,
                                              const std::string& display_name) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  return parse_indicator_table(*text, display_name.empty() ? path : display_name, meta, dataset, options);
}

Status add_indicator_table(v1::Dataset& dataset, IndicatorTable table, bool replace) {
  v1::Dataset updated = dataset;
  std::map<std::string, const v1::AreaIndicator*> existing;
  for (const v1::AreaIndicator& a : dataset.area_indicators()) existing.emplace(a.id(), &a);
  for (v1::AreaIndicator& indicator : table.indicators) {
    auto it = existing.find(indicator.id());
    if (it == existing.end()) {
      *updated.add_area_indicators() = std::move(indicator);
      continue;
    }
    const v1::AreaIndicator& a = *it->second;
    if (a.theme() != indicator.theme() || a.unit() != indicator.unit() || a.direction() != indicator.direction()) {
      return invalid_argument("indicator '" + indicator.id() + "': the dataset has theme " +
                              text_of(kThemes, a.theme()) + ", unit '" + a.unit() + "', direction " +
                              text_of(kDirections, a.direction()) + "; the table has theme " +
                              text_of(kThemes, indicator.theme()) + ", unit '" + indicator.unit() + "', direction " +
                              text_of(kDirections, indicator.direction()));
    }
  }
  std::map<std::tuple<std::string, std::string, int>, int> index;
  for (int i = 0; i < updated.indicator_values_size(); ++i) {
    const v1::IndicatorValue& v = updated.indicator_values(i);
    index.emplace(std::make_tuple(v.indicator_id(), v.municipality_code(), v.year()), i);
  }
  for (v1::IndicatorValue& v : table.values) {
    auto it = index.find(std::make_tuple(v.indicator_id(), v.municipality_code(), v.year()));
    if (it == index.end()) {
      *updated.add_indicator_values() = std::move(v);
    } else if (replace) {
      updated.mutable_indicator_values(it->second)->set_value(v.value());
    } else {
      return failed_precondition("the dataset already holds a value for indicator '" + v.indicator_id() + "', " +
                                 v.municipality_code() + ", " + std::to_string(v.year()) + " (" +
                                 format_csv_number(updated.indicator_values(it->second).value()) + "; the table has " +
                                 format_csv_number(v.value()) + "); pass --replace to replace it");
    }
  }
  for (v1::Municipality& m : *updated.mutable_municipalities()) {
    if (auto it = table.population.find(m.code()); it != table.population.end()) m.set_population(it->second);
  }
  if (Status status = check_dataset(updated); !status) return status;
  dataset = std::move(updated);
  return Status::ok();
}

}  // namespace bre::import
