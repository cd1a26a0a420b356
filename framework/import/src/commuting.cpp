#include "bre/import/commuting.hpp"

#include <cmath>
#include <cstdlib>
#include <map>
#include <utility>

namespace bre::import {
namespace {

constexpr double kMaxThousandsOfJobs = 1e9;

std::string format_persons(double persons) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f", persons);
  return buffer;
}

}  // namespace

Expected<MunicipalityMapping> parse_municipality_mapping(const CsvTable& table, const std::set<std::string>& known_codes) {
  const std::vector<std::string> expected = {"column_index", "naam_2014", "naam_2016", "gemeentecode_2016", "aandeel", "reden"};
  if (table.header != expected) {
    return invalid_argument(table.file + ":1: expected the header column_index,naam_2014,naam_2016,gemeentecode_2016,aandeel,reden");
  }
  MunicipalityMapping mapping;
  std::vector<double> share_sums;
  for (const auto& record : table.records) {
    const std::string where = table.file + ":" + std::to_string(record.line);
    char* end = nullptr;
    const std::string index_text = trim(record.fields[0]);
    const long index = std::strtol(index_text.c_str(), &end, 10);
    if (index_text.empty() || *end != '\0' || index < 0) {
      return invalid_argument(where + ": column_index: expected a non-negative integer, found '" + index_text + "'");
    }
    const auto i = static_cast<std::size_t>(index);
    if (i == mapping.names_2014.size()) {
      mapping.names_2014.push_back(trim(record.fields[1]));
      mapping.targets.emplace_back();
      mapping.lines.push_back(record.line);
      share_sums.push_back(0.0);
    } else if (i + 1 != mapping.names_2014.size()) {
      return invalid_argument(where + ": column_index: expected " + std::to_string(mapping.names_2014.size()) +
                              " (indices in order, repeated only for a split), found " + index_text);
    } else if (trim(record.fields[1]) != mapping.names_2014[i]) {
      return invalid_argument(where + ": naam_2014: index " + index_text + " was '" + mapping.names_2014[i] +
                              "' on an earlier line, found '" + record.fields[1] + "'");
    }
    const std::string share_text = trim(record.fields[4]);
    const double share = std::strtod(share_text.c_str(), &end);
    if (share_text.empty() || *end != '\0' || !(share > 0.0 && share <= 1.0)) {
      return invalid_argument(where + ": aandeel: expected a share in (0, 1], found '" + share_text + "'");
    }
    const std::string code = trim(record.fields[3]);
    if (code.empty()) {
      if (!mapping.targets[i].empty()) return invalid_argument(where + ": gemeentecode_2016: empty for a split municipality");
    } else {
      if (!known_codes.count(code)) {
        return invalid_argument(where + ": gemeentecode_2016: unknown municipality code '" + code + "'");
      }
      mapping.targets[i].push_back({code, share});
    }
    share_sums[i] += share;
  }
  for (std::size_t i = 0; i < share_sums.size(); ++i) {
    if (std::abs(share_sums[i] - 1.0) > 1e-9) {
      return invalid_argument(table.file + ":" + std::to_string(mapping.lines[i]) + ": aandeel: the shares of '" +
                              mapping.names_2014[i] + "' sum to " + std::to_string(share_sums[i]) + ", expected 1");
    }
  }
  return mapping;
}

Expected<CommutingImport> import_commuting(const CsvTable& matrix, const std::string& file,
                                           const MunicipalityMapping& mapping, ResolutionReport& report) {
  const std::size_t n = mapping.names_2014.size();
  if (matrix.records.size() != n) {
    return invalid_argument(file + ": expected " + std::to_string(n) + " rows (one per entry of the mapping table), found " +
                            std::to_string(matrix.records.size()));
  }
  CommutingImport result;
  std::map<std::pair<std::string, std::string>, double> flows;  // (home, work) → persons
  std::vector<double> as_work(n, 0.0);
  std::vector<double> as_home(n, 0.0);
  result.residents_in_work.assign(n, 0.0);
  for (std::size_t row = 0; row < n; ++row) {
    const CsvRecord& record = matrix.records[row];
    const std::string where = file + ":" + std::to_string(record.line);
    if (record.fields.size() != n + 1) {
      return invalid_argument(where + ": expected " + std::to_string(n + 1) + " fields (name and " + std::to_string(n) +
                              " values), found " + std::to_string(record.fields.size()));
    }
    if (trim(record.fields[0]) != mapping.names_2014[row]) {
      return invalid_argument(where + ":1: expected row " + std::to_string(row) + " to be '" + mapping.names_2014[row] +
                              "' (the mapping table's order), found '" + record.fields[0] + "'");
    }
    for (std::size_t column = 0; column < n; ++column) {
      const std::string text = trim(record.fields[column + 1]);
      ++result.cells;
      if (text == "-") {
        ++result.empty_cells;
        continue;
      }
      char* end = nullptr;
      const double thousands = std::strtod(text.c_str(), &end);
      // The bound keeps every product and sum below finite limits (no cell comes near it).
      if (text.empty() || *end != '\0' || !std::isfinite(thousands) || thousands < 0.0 || thousands > kMaxThousandsOfJobs) {
        return invalid_argument(where + ": value " + std::to_string(column + 1) + " (column '" + mapping.names_2014[column] +
                                "'): expected '-' or a number of thousands of jobs from 0 to 1e9, found '" + text + "'");
      }
      // Values are rounded to 0.1 thousand: whole persons.
      const double persons = std::round(thousands * 1000.0);
      result.matrix_persons += persons;
      result.residents_in_work[column] += persons;
      const auto& work_targets = mapping.targets[row];
      const auto& home_targets = mapping.targets[column];
      if (work_targets.empty() || home_targets.empty()) {
        result.non_municipal_persons += persons;
        if (work_targets.empty()) as_work[row] += persons;
        if (home_targets.empty()) as_home[column] += persons;
        continue;
      }
      for (const auto& home : home_targets) {
        for (const auto& work : work_targets) flows[{home.code, work.code}] += persons * home.share * work.share;
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!mapping.targets[i].empty()) continue;
    report.add("gemeenten_2014_naar_2016.csv", mapping.lines[i], "non-municipal commuting", mapping.names_2014[i],
               "not a municipality: " + format_persons(as_work[i]) + " jobs located there (matrix row) and " +
                   format_persons(as_home[i]) + " jobs held by its residents (matrix column) are not in the flows");
  }
  for (const auto& [key, persons] : flows) {
    if (persons <= 0.0) continue;
    result.flows_persons += persons;
    result.flows.push_back({key.first, key.second, persons, 0, file, file});
  }
  return result;
}

}  // namespace bre::import
