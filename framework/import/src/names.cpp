#include "bre/import/names.hpp"

#include <cstdint>

#include "bre/io.hpp"

namespace bre::import {
namespace {

// ASCII base letters of U+00C0..U+00FF ('\0' = not a letter: × and ÷).
constexpr const char kLatin1Base[] = "AAAAAAACEEEEIIIIDNOOOOO\0OUUUUYTsaaaaaaaceeeeiiiidnooooo\0ouuuuyty";

// Decodes one UTF-8 sequence at `pos` (advancing it); returns false on a bad one.
bool next_code_point(std::string_view text, std::size_t& pos, std::uint32_t& code) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  std::size_t length = 1;
  if (lead < 0x80) {
    code = lead;
  } else if ((lead & 0xE0) == 0xC0) {
    code = lead & 0x1F;
    length = 2;
  } else if ((lead & 0xF0) == 0xE0) {
    code = lead & 0x0F;
    length = 3;
  } else if ((lead & 0xF8) == 0xF0) {
    code = lead & 0x07;
    length = 4;
  } else {
    return false;
  }
  if (pos + length > text.size()) return false;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xC0) != 0x80) return false;
    code = (code << 6) | (byte(pos + i) & 0x3F);
  }
  pos += length;
  return true;
}

// The Windows-1252 byte of a code point, for the characters it adds in 0x80..0x9F.
int windows_1252_byte(std::uint32_t code) {
  static const std::pair<std::uint32_t, int> kTable[] = {
      {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85}, {0x2020, 0x86},
      {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A}, {0x2039, 0x8B}, {0x0152, 0x8C},
      {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95},
      {0x2013, 0x96}, {0x2014, 0x97}, {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B},
      {0x0153, 0x9C}, {0x017E, 0x9E}, {0x0178, 0x9F}};
  for (const auto& [point, value] : kTable) {
    if (point == code) return value;
  }
  return -1;
}

}  // namespace

std::string normalise_name(std::string_view name) {
  std::string out;
  bool pending_space = false;
  auto put = [&](char c) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
  };
  std::size_t pos = 0;
  while (pos < name.size()) {
    std::uint32_t code = 0;
    if (!next_code_point(name, pos, code)) {
      ++pos;  // a stray byte separates words like punctuation does
      pending_space = true;
      continue;
    }
    if (code < 0x80) {
      const char c = static_cast<char>(code);
      if (c >= 'A' && c <= 'Z') put(static_cast<char>(c - 'A' + 'a'));
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) put(c);
      else pending_space = true;
    } else if (code == 0xDF) {
      put('s');
      put('s');
    } else if (code >= 0xC0 && code <= 0xFF && kLatin1Base[code - 0xC0] != '\0') {
      char c = kLatin1Base[code - 0xC0];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      put(c);
    } else {
      pending_space = true;
    }
  }
  return out;
}

std::string repair_double_encoding(std::string_view text) {
  std::string bytes;
  bool multi_byte = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::uint32_t code = 0;
    if (!next_code_point(text, pos, code)) return std::string(text);
    if (code < 0x100) {
      bytes += static_cast<char>(code);
      if (code >= 0x80) multi_byte = true;
      continue;
    }
    const int byte = windows_1252_byte(code);
    if (byte < 0) return std::string(text);
    bytes += static_cast<char>(byte);
    multi_byte = true;
  }
  if (!multi_byte || !is_valid_utf8(bytes)) return std::string(text);
  return bytes;
}

void MunicipalityNames::add_official(const std::string& code, const std::string& name) {
  official_[normalise_name(name)] = code;
  known_codes_[code] = name;
}

void MunicipalityNames::add_alias(const std::string& alias, std::vector<std::string> codes, const std::string& province,
                                  const std::string& note) {
  aliases_[normalise_name(alias)].push_back({std::move(codes), normalise_name(province), note, false});
}

void MunicipalityNames::add_split(const std::string& name, std::vector<std::string> codes, const std::string& note) {
  aliases_[normalise_name(name)].push_back({std::move(codes), "", note, true});
}

Status MunicipalityNames::add_alias_table(const CsvTable& table,
                                          std::map<std::string, std::map<std::string, std::string>>& body_aliases) {
  const std::vector<std::string> expected = {"alias", "kind", "target", "province", "note"};
  if (table.header != expected) {
    return invalid_argument(table.file + ":1: expected the header alias;kind;target;province;note");
  }
  for (const auto& record : table.records) {
    const std::string where = table.file + ":" + std::to_string(record.line);
    const std::string alias = trim(record.fields[0]);
    const std::string kind = trim(record.fields[1]);
    const std::string target = trim(record.fields[2]);
    if (alias.empty() || target.empty()) return invalid_argument(where + ": alias and target must not be empty");
    if (kind == "water_board" || kind == "province") {
      body_aliases[kind][normalise_name(alias)] = target;
    } else if (kind == "municipality" || kind == "split") {
      std::vector<std::string> codes = split_list(target);
      for (const auto& code : codes) {
        if (!known_codes_.count(code)) {
          return invalid_argument(where + ": target: unknown municipality code '" + code + "' for alias '" + alias + "'");
        }
      }
      if (kind == "split") add_split(alias, std::move(codes), trim(record.fields[4]));
      else add_alias(alias, std::move(codes), trim(record.fields[3]), trim(record.fields[4]));
    } else {
      return invalid_argument(where + ": kind: expected municipality, split, water_board or province, found '" + kind + "'");
    }
  }
  return Status::ok();
}

NameResolution MunicipalityNames::resolve(std::string_view name, std::string_view province) const {
  NameResolution result;
  const std::string key = normalise_name(name);
  if (auto it = official_.find(key); it != official_.end()) {
    result.outcome = NameResolution::Outcome::kResolved;
    result.codes = {it->second};
    result.via = "official name";
    return result;
  }
  auto it = aliases_.find(key);
  if (it == aliases_.end()) return result;
  const std::string row_province = normalise_name(province);
  const Alias* general = nullptr;
  std::vector<std::string> candidates;
  for (const Alias& alias : it->second) {
    if (!alias.province.empty()) {
      if (!row_province.empty() && alias.province == row_province) {
        result.outcome = NameResolution::Outcome::kResolved;
        result.codes = alias.codes;
        result.via = alias.note;
        return result;
      }
      candidates.insert(candidates.end(), alias.codes.begin(), alias.codes.end());
    } else if (general == nullptr) {
      general = &alias;
    }
  }
  if (general != nullptr) {
    result.outcome = general->split ? NameResolution::Outcome::kSplit : NameResolution::Outcome::kResolved;
    result.codes = general->codes;
    result.via = general->note;
    return result;
  }
  result.outcome = NameResolution::Outcome::kAmbiguous;
  result.codes = std::move(candidates);
  result.via = "name shared by several municipalities; the row's province does not decide";
  return result;
}

}  // namespace bre::import
