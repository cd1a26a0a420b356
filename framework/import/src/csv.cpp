#include "bre/import/csv.hpp"

#include <algorithm>

#include "bre/io.hpp"

namespace bre::import {
namespace {

std::string where(const std::string& file, std::int64_t line, std::int64_t column) {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string shown_delimiter(char delimiter) {
  if (delimiter == '\t') return "\\t";
  return std::string(1, delimiter);
}

}  // namespace

Expected<CsvTable> parse_csv(std::string_view text, const std::string& file, const CsvOptions& options) {
  if (options.delimiter == '"' || options.delimiter == '\n' || options.delimiter == '\r') {
    return invalid_argument(file + ": the delimiter cannot be a quote or a line end");
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  CsvTable table;
  table.file = file;
  std::size_t expected = options.expected_fields;
  bool header_pending = options.has_header;

  std::size_t pos = 0;
  std::int64_t line = 1;
  std::size_t line_start = 0;
  auto column = [&](std::size_t at) { return static_cast<std::int64_t>(at - line_start) + 1; };

  while (pos < text.size()) {
    // A blank line (or a comment line) is no record.
    if (text[pos] == '\n' || (text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n')) {
      pos += text[pos] == '\r' ? 2 : 1;
      ++line;
      line_start = pos;
      continue;
    }
    if (options.comment != '\0' && text[pos] == options.comment) {
      while (pos < text.size() && text[pos] != '\n') ++pos;
      continue;
    }
    CsvRecord record;
    record.line = line;
    std::string field;
    std::int64_t end_column = 1;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (pos < text.size() && text[pos] == '"') {
        const std::int64_t quote_line = line;
        const std::int64_t quote_column = column(pos);
        ++pos;
        bool closed = false;
        while (pos < text.size()) {
          const char c = text[pos];
          if (c == '"') {
            if (pos + 1 < text.size() && text[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\n') {
            ++line;
            line_start = pos + 1;
          }
          field += c;
          ++pos;
        }
        if (!closed) {
          return invalid_argument(where(file, quote_line, quote_column) +
                                  ": quoted field is never closed (the file may be truncated)");
        }
        if (pos < text.size() && text[pos] != options.delimiter && text[pos] != '\n' && text[pos] != '\r') {
          return invalid_argument(where(file, line, column(pos)) + ": expected '" + shown_delimiter(options.delimiter) +
                                  "' or a line end after a closing quote, found '" + std::string(1, text[pos]) + "'");
        }
      } else {
        while (pos < text.size() && text[pos] != options.delimiter && text[pos] != '\n' &&
               !(text[pos] == '\r' && (pos + 1 == text.size() || text[pos + 1] == '\n'))) {
          field += text[pos];
          ++pos;
        }
      }
      record.fields.push_back(field);
      if (pos < text.size() && text[pos] == options.delimiter) {
        ++pos;
        continue;
      }
      // Line end or end of text.
      end_column = column(pos);
      if (pos < text.size() && text[pos] == '\r') ++pos;
      if (pos < text.size() && text[pos] == '\n') ++pos;
      record_done = true;
    }
    if (expected == 0) expected = record.fields.size();
    if (record.fields.size() != expected && (options.check_field_count || header_pending)) {
      std::string message = where(file, record.line, record.fields.size() < expected ? end_column : 1) + ": expected " +
                            std::to_string(expected) + " fields, found " + std::to_string(record.fields.size());
      if (record.fields.size() == 1) message += " (is the delimiter '" + shown_delimiter(options.delimiter) + "'?)";
      else if (record.fields.size() < expected) message += " (truncated record?)";
      return invalid_argument(message);
    }
    ++line;
    line_start = pos;
    if (header_pending) {
      for (auto& name : record.fields) table.header.push_back(trim(name));
      header_pending = false;
    } else {
      table.records.push_back(std::move(record));
    }
  }
  if (header_pending) return invalid_argument(file + ": empty file, expected a header line");
  return table;
}

Expected<CsvTable> read_csv(const std::string& path, const CsvOptions& options, const std::string& display_name) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  return parse_csv(*text, display_name.empty() ? path : display_name, options);
}

std::vector<std::string> split_list(std::string_view text, char separator) {
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    parts.push_back(trim(text.substr(start, end - start)));
    if (end == text.size()) return parts;
    start = end + 1;
  }
}

}  // namespace bre::import
