#include "bre/import/cases.hpp"

#include <google/protobuf/struct.pb.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "bre/import/csv.hpp"
#include "bre/import/survey.hpp"
#include "bre/io.hpp"
#include "records.hpp"

namespace bre::import {
namespace {

using detail::CsvRow;

bool is_json_path(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

void add_codes(std::string_view text, v1::CaseDescriptors& c) {
  std::string code;
  for (char ch : text) {
    if (ch == ';' || ch == ' ' || ch == '\t') {
      if (!code.empty()) c.add_municipality_codes(code);
      code.clear();
    } else {
      code += ch;
    }
  }
  if (!code.empty()) c.add_municipality_codes(code);
}

Status check_region_id(const v1::CaseDescriptors& c, std::unordered_set<std::string>& ids, const std::string& at) {
  if (c.region_id().empty()) return invalid_argument(at + ": region_id: expected a region id, found none");
  if (!ids.insert(c.region_id()).second) {
    return invalid_argument(at + ": region_id: region '" + c.region_id() + "' is described twice");
  }
  return Status::ok();
}

}  // namespace

Expected<std::vector<v1::CaseDescriptors>> parse_case_descriptors_csv(const std::string& text,
                                                                      const std::string& source_name) {
  auto records = detail::csv_rows(text, source_name);
  if (!records) return records.status();
  if (records->empty()) return invalid_argument(source_name + ": empty file; expected a header and cases");
  const CsvRow& header = records->front();
  const std::string head = source_name + ":" + std::to_string(header.line);
  std::unordered_map<std::string, std::size_t> columns;
  for (std::size_t col = 0; col < header.cells.size(); ++col) {
    const std::string name(trim(header.cells[col]));
    const std::string column = "column '" + name + "' (" + std::to_string(col + 1) + ")";
    if (name != "region_id" && name != "region_name" && name != "municipality_codes" &&
        !is_case_descriptor(name)) {
      return invalid_argument(head + ": " + column + ": " + case_descriptor_values(name).status().message() +
                              " (or region_id, region_name, municipality_codes)");
    }
    if (!columns.emplace(name, col).second) {
      return invalid_argument(head + ": " + column + ": appears twice in the header");
    }
  }
  if (!columns.count("region_id")) return invalid_argument(head + ": missing column 'region_id'");
  std::vector<v1::CaseDescriptors> cases;
  std::unordered_set<std::string> ids;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRow& record = (*records)[r];
    const std::string at = source_name + ":" + std::to_string(record.line);
    v1::CaseDescriptors c;
    for (std::size_t col = 0; col < header.cells.size(); ++col) {
      const std::string name(trim(header.cells[col]));
      const std::string cell = trim(record.cells[col]);
      if (name == "region_id") {
        c.set_region_id(std::string(cell));
      } else if (name == "region_name") {
        c.set_region_name(std::string(cell));
      } else if (name == "municipality_codes") {
        add_codes(cell, c);
      } else if (Status s = set_case_descriptor(c, name, cell); !s) {
        return invalid_argument(at + ": column '" + name + "' (" + std::to_string(col + 1) + "): " + s.message());
      }
    }
    BRE_RETURN_IF_ERROR(check_region_id(c, ids, at));
    c.mutable_source()->set_file(source_name);
    c.mutable_source()->set_line(record.line);
    cases.push_back(std::move(c));
  }
  if (cases.empty()) return invalid_argument(source_name + ": no cases after the header");
  return cases;
}

Expected<std::vector<v1::CaseDescriptors>> parse_case_descriptors_json(const std::string& text,
                                                                       const std::string& source_name) {
  google::protobuf::Value storage;
  auto records = detail::json_records(text, source_name, "cases", storage);
  if (!records) return records.status();
  std::vector<v1::CaseDescriptors> cases;
  std::unordered_set<std::string> ids;
  for (std::size_t i = 0; i < records->size(); ++i) {
    const std::string at = source_name + ": cases[" + std::to_string(i) + "]";
    v1::CaseDescriptors c;
    for (const std::string& key : detail::sorted_keys(*(*records)[i])) {
      const google::protobuf::Value& value = (*records)[i]->fields().at(key);
      const std::string field = at + "." + key;
      if (key == "municipality_codes") {
        if (!value.has_list_value()) {
          return invalid_argument(field + ": expected an array of municipality codes, found " +
                                  detail::describe_json(value));
        }
        for (int j = 0; j < value.list_value().values_size(); ++j) {
          const auto& code = value.list_value().values(j);
          if (!code.has_string_value() || trim(code.string_value()).empty()) {
            return invalid_argument(field + "[" + std::to_string(j) + "]: expected a municipality code, found " +
                                    detail::describe_json(code));
          }
          c.add_municipality_codes(std::string(trim(code.string_value())));
        }
        continue;
      }
      const bool is_text = key == "region_id" || key == "region_name";
      if (!is_text && !is_case_descriptor(key)) {
        return invalid_argument(field + ": " + case_descriptor_values(key).status().message() +
                                " (or region_id, region_name, municipality_codes)");
      }
      if (value.has_null_value() && !is_text) continue;  // unknown
      if (!value.has_string_value()) {
        return invalid_argument(field + ": expected a string" + (is_text ? "" : " or null") + ", found " +
                                detail::describe_json(value));
      }
      if (key == "region_id") {
        c.set_region_id(std::string(trim(value.string_value())));
      } else if (key == "region_name") {
        c.set_region_name(std::string(trim(value.string_value())));
      } else if (Status s = set_case_descriptor(c, key, value.string_value()); !s) {
        return invalid_argument(field + ": " + s.message());
      }
    }
    BRE_RETURN_IF_ERROR(check_region_id(c, ids, at));
    c.mutable_source()->set_file(source_name);
    cases.push_back(std::move(c));
  }
  if (cases.empty()) return invalid_argument(source_name + ": no cases");
  return cases;
}

Expected<std::vector<v1::CaseDescriptors>> read_case_descriptors(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.status();
  return is_json_path(path) ? parse_case_descriptors_json(*text, path) : parse_case_descriptors_csv(*text, path);
}

}  // namespace bre::import
