// A small reader for the delimited text files the importers read (CBS, regioatlas,
// OpenGR, the project's own data tables): one delimiter, double-quote quoting with ""
// as an escaped quote, an optional UTF-8 byte-order mark, LF or CRLF line ends.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bre/io.hpp"  // trim
#include "bre/status.hpp"

namespace bre::import {

struct CsvOptions {
  char delimiter = ',';
  /// Whether the first record is a header (its fields name the columns).
  bool has_header = true;
  /// Fields every record must have; 0 = as many as the header (or the first record).
  std::size_t expected_fields = 0;
  /// Lines starting with this character (outside quotes) are skipped; '\0' = none.
  char comment = '\0';
  /// Whether a record with another number of fields is an error; false = the caller
  /// checks (to say more, e.g. that a decimal comma split a number in two).
  bool check_field_count = true;
};

/// One record with the 1-based line it starts on.
struct CsvRecord {
  std::int64_t line = 0;
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string file;                 // the name errors use
  std::vector<std::string> header;  // empty without has_header
  std::vector<CsvRecord> records;   // data records in file order, blank lines skipped
};

/// Parses delimited text. `file` names the source in errors, which read
/// "file:line:column: expected 4 fields, found 1 (is the delimiter ';'?)": a record
/// with another number of fields than expected (a truncated file or a wrong
/// delimiter), a quote that is never closed, text after a closing quote.
/// Complexity: O(size of text).
Expected<CsvTable> parse_csv(std::string_view text, const std::string& file, const CsvOptions& options);

/// Reads and parses a file; errors name `display_name` (default: the path).
Expected<CsvTable> read_csv(const std::string& path, const CsvOptions& options, const std::string& display_name = "");

/// The parts of a cell that lists several values joined by `separator` ("GM0001|GM0002"),
/// each trimmed; empty parts are kept, so a caller can refuse "a||b". Complexity: O(length).
std::vector<std::string> split_list(std::string_view text, char separator = '|');

}  // namespace bre::import
