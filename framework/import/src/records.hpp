// Helpers the survey and case readers share: JSON documents as lists of records, and
// cell text checks. Internal to libbre.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bre/status.hpp"

namespace bre::import::detail {

/// One row of a comma-separated file, header included, with the 1-based line it
/// starts on.
struct CsvRow {
  std::vector<std::string> cells;
  std::int64_t line = 0;
};

/// The rows of a comma-separated file (bre/import/csv.hpp: quoting, BOM, CRLF,
/// blank lines skipped; every row as many cells as the header, else an error naming
/// file, line and column).
Expected<std::vector<CsvRow>> csv_rows(const std::string& text, const std::string& source_name);

/// The records of a JSON document: a top-level array of objects, or an object whose
/// only key is `list_key` holding one. Errors name `source_name`, the JSON syntax
/// problem or the element that is not an object.
Expected<std::vector<const google::protobuf::Struct*>> json_records(const std::string& text,
                                                                   const std::string& source_name,
                                                                   const std::string& list_key,
                                                                   google::protobuf::Value& storage);

/// The keys of a JSON record in sorted order, so that the first of several problems
/// a reader reports is always the same one.
std::vector<std::string> sorted_keys(const google::protobuf::Struct& record);

/// A JSON value as text for a message ("a number (3)", "\"x\"", "null").
std::string describe_json(const google::protobuf::Value& value);

}  // namespace bre::import::detail
