#include "bre/import/regioatlas.hpp"

#include <algorithm>

#include "bre/import/csv.hpp"
#include "bre/io.hpp"

namespace bre::import {

Expected<std::vector<DivisionInfo>> read_division_index(const std::string& path, const std::string& display_name) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  return parse_division_index(*text, display_name);
}

Expected<std::vector<DivisionInfo>> parse_division_index(std::string_view text, const std::string& display_name) {
  CsvOptions options;
  options.delimiter = ',';
  Expected<CsvTable> table = parse_csv(text, display_name, options);
  if (!table) return table.status();
  const std::vector<std::string> expected = {"bestand", "naam", "soort", "domein", "toelichting"};
  if (table->header != expected) {
    return invalid_argument(display_name + ":1: expected the header bestand,naam,soort,domein,toelichting");
  }
  static const std::map<std::string, DivisionKind> kKinds = {{"samenwerking", DivisionKind::kCooperation},
                                                             {"maatschappelijk", DivisionKind::kSocietal},
                                                             {"rijk", DivisionKind::kState},
                                                             {"statistisch", DivisionKind::kStatistical},
                                                             {"onbekend", DivisionKind::kUnknown}};
  std::vector<DivisionInfo> out;
  std::set<std::string> files;
  for (const auto& record : table->records) {
    const std::string where = display_name + ":" + std::to_string(record.line);
    DivisionInfo info;
    info.file = trim(record.fields[0]);
    info.name = trim(record.fields[1]);
    info.domain = trim(record.fields[3]);
    info.note = trim(record.fields[4]);
    info.line = record.line;
    if (info.file.empty() || info.name.empty()) return invalid_argument(where + ": bestand and naam must not be empty");
    if (!files.insert(info.file).second) return invalid_argument(where + ": bestand '" + info.file + "' is listed twice");
    auto kind = kKinds.find(trim(record.fields[2]));
    if (kind == kKinds.end()) {
      return invalid_argument(where + ": soort: expected samenwerking, maatschappelijk, rijk, statistisch or onbekend, found '" +
                              record.fields[2] + "'");
    }
    info.kind = kind->second;
    out.push_back(std::move(info));
  }
  return out;
}

Expected<std::vector<DivisionRow>> read_division(const std::string& path, const std::string& display_name,
                                                 const std::set<std::string>& known_codes) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  return parse_division(*text, display_name, known_codes);
}

Expected<std::vector<DivisionRow>> parse_division(std::string_view text, const std::string& display_name,
                                                  const std::set<std::string>& known_codes) {
  CsvOptions options;
  options.delimiter = ';';
  options.expected_fields = 4;
  Expected<CsvTable> table = parse_csv(text, display_name, options);
  if (!table) return table.status();
  std::vector<DivisionRow> rows;
  rows.reserve(table->records.size());
  for (const auto& record : table->records) {
    const std::string where = display_name + ":" + std::to_string(record.line);
    const std::string number = trim(record.fields[1]);
    if (number.empty() || number.size() > 4 || !std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return invalid_argument(where + ": field 2 (CBS): expected a CBS municipality number of 1 to 4 digits, found '" +
                              number + "'");
    }
    DivisionRow row;
    row.line = record.line;
    row.municipality_name = trim(record.fields[0]);
    row.code = "GM" + std::string(4 - number.size(), '0') + number;
    row.region = trim(record.fields[2]);
    if (!known_codes.count(row.code)) {
      return invalid_argument(where + ": field 2 (CBS): unknown municipality code '" + row.code + "' (CBS number '" +
                              number + "', name '" + row.municipality_name + "'); expected one of the " +
                              std::to_string(known_codes.size()) + " municipalities of the geometry file");
    }
    if (row.region.empty()) return invalid_argument(where + ": field 3 (region): empty region name");
    rows.push_back(std::move(row));
  }
  return rows;
}

DivisionImport build_division(const DivisionInfo& info, const std::vector<DivisionRow>& rows,
                              const MunicipalityNames& names, const std::map<std::string, std::string>& official_names,
                              ResolutionReport& report, std::map<std::string, std::set<std::string>>& seen_names) {
  const std::string file = "regioatlas/" + info.file;
  DivisionImport result;
  result.rows = rows.size();

  // Regions in order of first appearance, members in row order.
  std::vector<std::string> region_names;
  std::map<std::string, std::size_t> region_index;
  std::vector<std::vector<std::string>> members;
  std::vector<std::int64_t> first_line;
  std::map<std::string, std::size_t> regions_of_code;
  for (const DivisionRow& row : rows) {
    const std::string& official = official_names.at(row.code);
    if (row.municipality_name != official) {
      const NameResolution resolved = names.resolve(row.municipality_name);
      const bool same = resolved.outcome == NameResolution::Outcome::kResolved && resolved.codes.size() == 1 &&
                        resolved.codes.front() == row.code;
      if (same) {
        seen_names[row.code].insert(row.municipality_name);
      } else {
        report.add(file, row.line, "name mismatch", row.municipality_name,
                   "CBS number gives " + row.code + " '" + official + "', whose names do not include this one; the code is used");
      }
    }
    auto [it, inserted] = region_index.emplace(row.region, region_names.size());
    if (inserted) {
      region_names.push_back(row.region);
      members.emplace_back();
      first_line.push_back(row.line);
    }
    auto& list = members[it->second];
    if (std::find(list.begin(), list.end(), row.code) != list.end()) {
      ++result.duplicate_rows;
      report.add(file, row.line, "duplicate row", row.municipality_name,
                 row.code + " is listed twice in region '" + row.region + "'; counted once");
      continue;
    }
    list.push_back(row.code);
    ++regions_of_code[row.code];
    ++result.memberships;
  }
  const bool is_cover = std::any_of(regions_of_code.begin(), regions_of_code.end(), [](const auto& e) { return e.second > 1; });

  if (info.kind == DivisionKind::kCooperation || info.kind == DivisionKind::kSocietal) {
    const bool wgr = info.note.find("gemeenschappelijke regeling") != std::string::npos;
    const bool central = info.note.find("centrumgemeente") != std::string::npos;
    for (std::size_t r = 0; r < region_names.size(); ++r) {
      v1::Arrangement a;
      a.set_id(info.file + "#" + std::to_string(r + 1));
      a.set_name(region_names[r]);
      a.set_kind(info.kind == DivisionKind::kCooperation ? v1::ARRANGEMENT_KIND_COOPERATION : v1::ARRANGEMENT_KIND_SOCIETAL);
      a.set_legal_form(central ? v1::LEGAL_FORM_WGR_CENTRAL_MUNICIPALITY
                               : wgr ? v1::LEGAL_FORM_WGR_UNSPECIFIED : v1::LEGAL_FORM_UNSPECIFIED);
      if (!info.domain.empty()) a.add_policy_domains(info.domain);
      for (const auto& code : members[r]) a.add_municipality_codes(code);
      a.set_division(info.name);
      a.mutable_source()->set_file(file);
      a.mutable_source()->set_line(first_line[r]);
      result.arrangements.push_back(std::move(a));
    }
    return result;
  }
  if (info.kind == DivisionKind::kUnknown) {
    report.add("indelingen.csv", info.line, "division of unknown kind", info.name,
               "soort 'onbekend': imported as a region definition to compare with, not as cooperation");
  }
  v1::RegionDefinition definition;
  definition.set_name(info.name);
  definition.set_description((info.kind == DivisionKind::kState ? "State division (rijk)"
                              : info.kind == DivisionKind::kStatistical ? "Statistical division (statistisch)"
                                                                        : "Division of unknown kind (onbekend)") +
                             std::string(", Regio Atlas, domain ") + info.domain + ": " + info.note);
  definition.set_is_cover(is_cover);
  for (std::size_t r = 0; r < region_names.size(); ++r) {
    v1::Region* region = definition.add_regions();
    region->set_id(std::to_string(r + 1));
    region->set_name(region_names[r]);
    for (const auto& code : members[r]) region->add_municipality_codes(code);
  }
  definition.mutable_source()->set_file(file);
  definition.mutable_source()->set_line(rows.empty() ? 0 : rows.front().line);
  result.definitions.push_back(std::move(definition));
  return result;
}

}  // namespace bre::import
