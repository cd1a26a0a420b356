#include "bre/import/survey.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "bre/dataset.hpp"
#include "bre/io.hpp"
#include "bre/import/csv.hpp"
#include "records.hpp"

namespace bre::import {
namespace detail {

std::string describe_json(const google::protobuf::Value& value) {
  switch (value.kind_case()) {
    case google::protobuf::Value::kNullValue: return "null";
    case google::protobuf::Value::kBoolValue: return value.bool_value() ? "true" : "false";
    case google::protobuf::Value::kNumberValue: {
      char buffer[40];
      std::snprintf(buffer, sizeof buffer, "%.17g", value.number_value());
      return std::string("the number ") + buffer;
    }
    case google::protobuf::Value::kStringValue: return "\"" + value.string_value() + "\"";
    case google::protobuf::Value::kListValue: return "an array";
    case google::protobuf::Value::kStructValue: return "an object";
    default: return "nothing";
  }
}

Expected<std::vector<const google::protobuf::Struct*>> json_records(const std::string& text,
                                                                   const std::string& source_name,
                                                                   const std::string& list_key,
                                                                   google::protobuf::Value& storage) {
  BRE_RETURN_IF_ERROR(from_json(text, source_name, storage));
  const google::protobuf::Value* list = &storage;
  if (storage.has_struct_value()) {
    const auto& fields = storage.struct_value().fields();
    auto it = fields.find(list_key);
    if (it == fields.end() || fields.size() != 1) {
      return invalid_argument(source_name + ": expected an array of objects or an object with the one key '" +
                              list_key + "'");
    }
    list = &it->second;
  }
  if (!list->has_list_value()) {
    return invalid_argument(source_name + ": expected an array of objects, found " + describe_json(*list));
  }
  std::vector<const google::protobuf::Struct*> records;
  for (int i = 0; i < list->list_value().values_size(); ++i) {
    const google::protobuf::Value& element = list->list_value().values(i);
    if (!element.has_struct_value()) {
      return invalid_argument(source_name + ": " + list_key + "[" + std::to_string(i) +
                              "]: expected an object, found " + describe_json(element));
    }
    records.push_back(&element.struct_value());
  }
  return records;
}

std::vector<std::string> sorted_keys(const google::protobuf::Struct& record) {
  std::vector<std::string> keys;
  keys.reserve(record.fields().size());
  for (const auto& entry : record.fields()) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  return keys;
}

Expected<std::vector<CsvRow>> csv_rows(const std::string& text, const std::string& source_name) {
  CsvOptions options;
  options.has_header = false;  // the header is row 0: the readers name its columns themselves
  auto table = parse_csv(text, source_name, options);
  if (!table) return table.status();
  std::vector<CsvRow> rows;
  rows.reserve(table->records.size());
  for (auto& record : table->records) rows.push_back({std::move(record.fields), record.line});
  return rows;
}

}  // namespace detail

namespace {

using detail::CsvRow;

bool is_json_path(const std::string& path) {
  return path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
}

std::string where(const std::string& source, std::int64_t line) { return source + ":" + std::to_string(line); }

std::string column_text(const std::vector<std::string>& header, std::size_t column) {
  return "column '" + header[column] + "' (" + std::to_string(column + 1) + ")";
}

// The header's column index per name; errors on a repeated name.
Expected<std::unordered_map<std::string, std::size_t>> header_columns(const CsvRow& header,
                                                                     const std::string& source) {
  std::unordered_map<std::string, std::size_t> columns;
  for (std::size_t c = 0; c < header.cells.size(); ++c) {
    const std::string name(trim(header.cells[c]));
    if (name.empty()) {
      return invalid_argument(where(source, header.line) + ": column " + std::to_string(c + 1) +
                              ": empty column name in the header");
    }
    if (!columns.emplace(name, c).second) {
      return invalid_argument(where(source, header.line) + ": column '" + name + "' appears twice in the header");
    }
  }
  return columns;
}

constexpr const char* kDimensionNames =
    "fundamental, input, throughput, output_own_ambitions or output_neighbours";

std::optional<v1::LegitimacyDimension> dimension_from_name(std::string_view name) {
  const std::string n = lower_ascii(trim(name));
  if (n == "fundamental") return v1::LEGITIMACY_DIMENSION_FUNDAMENTAL;
  if (n == "input") return v1::LEGITIMACY_DIMENSION_INPUT;
  if (n == "throughput") return v1::LEGITIMACY_DIMENSION_THROUGHPUT;
  if (n == "output_own_ambitions") return v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS;
  if (n == "output_neighbours") return v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS;
  return std::nullopt;
}

std::optional<bool> flag_from_text(std::string_view text) {
  const std::string t = lower_ascii(trim(text));
  if (t.empty() || t == "no" || t == "false" || t == "0") return false;
  if (t == "yes" || t == "true" || t == "1") return true;
  return std::nullopt;
}

std::optional<v1::RepresentativeRole> role_from_name(std::string_view name) {
  const std::string n = lower_ascii(trim(name));
  if (n == "municipal_council") return v1::REPRESENTATIVE_ROLE_MUNICIPAL_COUNCIL;
  if (n == "provincial_council") return v1::REPRESENTATIVE_ROLE_PROVINCIAL_COUNCIL;
  if (n == "water_board") return v1::REPRESENTATIVE_ROLE_WATER_BOARD;
  return std::nullopt;
}

// Checks one item (from either format) and the id's uniqueness.
Status check_item(const v1::SurveyItem& item, std::unordered_set<std::string>& ids, const std::string& at) {
  if (item.id().empty()) return invalid_argument(at + ": item_id: expected an item id, found an empty one");
  if (!ids.insert(item.id()).second) {
    return invalid_argument(at + ": item_id: item '" + item.id() + "' is listed twice");
  }
  return Status::ok();
}

}  // namespace

Expected<std::vector<v1::SurveyItem>> parse_survey_items_csv(const std::string& text,
                                                             const std::string& source_name) {
  auto records = detail::csv_rows(text, source_name);
  if (!records) return records.status();
  if (records->empty()) return invalid_argument(source_name + ": empty file; expected a header and items");
  const CsvRow& header = records->front();
  auto columns = header_columns(header, source_name);
  if (!columns) return columns.status();
  for (std::size_t column = 0; column < header.cells.size(); ++column) {
    const std::string name(trim(header.cells[column]));
    if (name != "item_id" && name != "dimension" && name != "reverse_coded" && name != "text") {
      return invalid_argument(where(source_name, header.line) + ": " + column_text(header.cells, column) +
                              ": unknown column; expected item_id, dimension, reverse_coded and text");
    }
  }
  for (const char* required : {"item_id", "dimension", "reverse_coded"}) {
    if (!columns->count(required)) {
      return invalid_argument(where(source_name, header.line) + ": missing column '" + required + "'");
    }
  }
  const std::size_t id_col = columns->at("item_id");
  const std::size_t dim_col = columns->at("dimension");
  const std::size_t rev_col = columns->at("reverse_coded");
  // Without a text column the index is past the last cell.
  const std::size_t text_col = columns->count("text") ? columns->at("text") : header.cells.size();
  std::vector<v1::SurveyItem> items;
  std::unordered_set<std::string> ids;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRow& record = (*records)[r];
    const std::string at = where(source_name, record.line);
    v1::SurveyItem item;
    item.set_id(std::string(trim(record.cells[id_col])));
    BRE_RETURN_IF_ERROR(check_item(item, ids, at));
    const auto dimension = dimension_from_name(record.cells[dim_col]);
    if (!dimension) {
      return invalid_argument(at + ": " + column_text(header.cells, dim_col) + ": expected " + kDimensionNames +
                              ", found '" + record.cells[dim_col] + "'");
    }
    item.set_dimension(*dimension);
    const auto reverse = flag_from_text(record.cells[rev_col]);
    if (!reverse) {
      return invalid_argument(at + ": " + column_text(header.cells, rev_col) +
                              ": expected yes/no, true/false, 1/0 or blank, found '" + record.cells[rev_col] + "'");
    }
    item.set_reverse_coded(*reverse);
    if (text_col < record.cells.size()) item.set_text(std::string(trim(record.cells[text_col])));
    items.push_back(std::move(item));
  }
  if (items.empty()) return invalid_argument(source_name + ": no items after the header");
  return items;
}

Expected<std::vector<v1::SurveyItem>> parse_survey_items_json(const std::string& text,
                                                              const std::string& source_name) {
  google::protobuf::Value storage;
  auto records = detail::json_records(text, source_name, "items", storage);
  if (!records) return records.status();
  std::vector<v1::SurveyItem> items;
  std::unordered_set<std::string> ids;
  for (std::size_t i = 0; i < records->size(); ++i) {
    const std::string at = source_name + ": items[" + std::to_string(i) + "]";
    v1::SurveyItem item;
    bool has_dimension = false;
    for (const std::string& key : detail::sorted_keys(*(*records)[i])) {
      const google::protobuf::Value& value = (*records)[i]->fields().at(key);
      const std::string field = at + "." + key;
      if (key == "item_id" || key == "text" || key == "dimension") {
        if (!value.has_string_value()) {
          return invalid_argument(field + ": expected a string, found " + detail::describe_json(value));
        }
        if (key == "item_id") item.set_id(std::string(trim(value.string_value())));
        if (key == "text") item.set_text(value.string_value());
        if (key == "dimension") {
          const auto dimension = dimension_from_name(value.string_value());
          if (!dimension) {
            return invalid_argument(field + ": expected " + std::string(kDimensionNames) + ", found \"" +
                                    value.string_value() + "\"");
          }
          item.set_dimension(*dimension);
          has_dimension = true;
        }
      } else if (key == "reverse_coded") {
        if (!value.has_bool_value()) {
          return invalid_argument(field + ": expected true or false, found " + detail::describe_json(value));
        }
        item.set_reverse_coded(value.bool_value());
      } else {
        return invalid_argument(field + ": unknown key; expected item_id, dimension, reverse_coded and text");
      }
    }
    if (!has_dimension) return invalid_argument(at + ": missing key 'dimension'");
    BRE_RETURN_IF_ERROR(check_item(item, ids, at));
    items.push_back(std::move(item));
  }
  if (items.empty()) return invalid_argument(source_name + ": no items");
  return items;
}

Expected<std::vector<v1::SurveyItem>> read_survey_items(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.status();
  return is_json_path(path) ? parse_survey_items_json(*text, path) : parse_survey_items_csv(*text, path);
}

Expected<std::vector<v1::SurveyResponse>> parse_survey_responses_csv(
    const std::string& text, const std::string& source_name, const std::vector<v1::SurveyItem>& items) {
  auto records = detail::csv_rows(text, source_name);
  if (!records) return records.status();
  if (records->empty()) return invalid_argument(source_name + ": empty file; expected a header and respondents");
  const CsvRow& header = records->front();
  auto columns = header_columns(header, source_name);
  if (!columns) return columns.status();
  const std::string head = where(source_name, header.line);
  for (const char* required : {"respondent_id", "role", "body_code"}) {
    if (!columns->count(required)) return invalid_argument(head + ": missing column '" + required + "'");
  }
  std::unordered_set<std::string> item_ids;
  for (const v1::SurveyItem& item : items) item_ids.insert(item.id());
  // Item columns in header order.
  std::vector<std::size_t> item_columns;
  for (std::size_t c = 0; c < header.cells.size(); ++c) {
    const std::string name(trim(header.cells[c]));
    if (name == "respondent_id" || name == "role" || name == "body_code") continue;
    if (!item_ids.count(name)) {
      return invalid_argument(head + ": " + column_text(header.cells, c) +
                              ": not an item of the item map (and not respondent_id, role or body_code)");
    }
    item_columns.push_back(c);
  }
  for (const v1::SurveyItem& item : items) {
    if (!columns->count(item.id())) {
      return invalid_argument(head + ": item '" + item.id() + "' of the item map has no column");
    }
  }
  const std::size_t id_col = columns->at("respondent_id");
  const std::size_t role_col = columns->at("role");
  const std::size_t body_col = columns->at("body_code");
  std::vector<v1::SurveyResponse> responses;
  std::unordered_set<std::string> respondents;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRow& record = (*records)[r];
    v1::SurveyResponse response;
    response.set_respondent_id(std::string(trim(record.cells[id_col])));
    std::string at = where(source_name, record.line);
    if (response.respondent_id().empty()) {
      return invalid_argument(at + ": " + column_text(header.cells, id_col) + ": expected a respondent id, found none");
    }
    if (!respondents.insert(response.respondent_id()).second) {
      return invalid_argument(at + ": " + column_text(header.cells, id_col) + ": respondent '" +
                              response.respondent_id() + "' appears twice");
    }
    at += " (respondent '" + response.respondent_id() + "')";
    const auto role = role_from_name(record.cells[role_col]);
    if (!role) {
      return invalid_argument(at + ": " + column_text(header.cells, role_col) +
                              ": expected municipal_council, provincial_council or water_board, found '" +
                              record.cells[role_col] + "'");
    }
    response.set_role(*role);
    response.set_body_code(std::string(trim(record.cells[body_col])));
    if (response.body_code().empty()) {
      return invalid_argument(at + ": " + column_text(header.cells, body_col) +
                              ": expected a municipality or body code, found none");
    }
    for (std::size_t c : item_columns) {
      const std::string cell = trim(record.cells[c]);
      int value = 0;
      if (!cell.empty()) {
        if (cell.size() != 1 || cell[0] < '1' || cell[0] > '5') {
          return invalid_argument(at + ": " + column_text(header.cells, c) +
                                  ": expected a Likert answer 1-5 or a blank cell for missing, found '" +
                                  std::string(record.cells[c]) + "'");
        }
        value = cell[0] - '0';
      }
      v1::SurveyAnswer* answer = response.add_answers();
      answer->set_item_id(std::string(trim(header.cells[c])));
      answer->set_value(value);
    }
    response.mutable_source()->set_file(source_name);
    response.mutable_source()->set_line(record.line);
    responses.push_back(std::move(response));
  }
  if (responses.empty()) return invalid_argument(source_name + ": no respondents after the header");
  return responses;
}

Expected<std::vector<v1::SurveyResponse>> read_survey_responses(const std::string& path,
                                                               const std::vector<v1::SurveyItem>& items) {
  auto text = read_file(path);
  if (!text) return text.status();
  return parse_survey_responses_csv(*text, path, items);
}

namespace {

// Applies `change` to a copy, validates it, and only then replaces `dataset`.
template <typename Change>
Status change_validated(v1::Dataset& dataset, Change change) {
  v1::Dataset updated = dataset;
  change(updated);
  BRE_RETURN_IF_ERROR(check_dataset(updated));
  dataset = std::move(updated);
  return Status::ok();
}

}  // namespace

Status set_survey(v1::Dataset& dataset, std::vector<v1::SurveyItem> items,
                  std::vector<v1::SurveyResponse> responses) {
  return change_validated(dataset, [&](v1::Dataset& d) {
    d.clear_survey_items();
    d.clear_survey_responses();
    for (auto& item : items) *d.add_survey_items() = std::move(item);
    for (auto& response : responses) *d.add_survey_responses() = std::move(response);
  });
}

Status set_cases(v1::Dataset& dataset, std::vector<v1::CaseDescriptors> cases) {
  return change_validated(dataset, [&](v1::Dataset& d) {
    d.clear_cases();
    for (auto& c : cases) *d.add_cases() = std::move(c);
  });
}

}  // namespace bre::import
