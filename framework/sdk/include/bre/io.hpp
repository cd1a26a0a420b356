// File helpers shared by the CLI, the writers and plugins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bre/export.hpp"
#include "bre/status.hpp"

namespace google::protobuf {
class Message;
}

namespace bre BRE_SDK_API {

/// Writes `content` to `path` atomically: a temporary file in the same directory,
/// flushed, then renamed over `path`. On failure nothing is left behind.
Status write_file_atomically(const std::string& path, const std::string& content);

/// The name of a temporary file or directory that stands in for `name` while it is
/// written: ".NAME.tmp-XXXXXX", the X's for mkstemp or mkdtemp to fill in.
std::string temporary_name_pattern(const std::string& name);

/// Whether `entry` is a name temporary_name_pattern(`name`) could have become.
bool is_temporary_name_of(std::string_view entry, std::string_view name);


/// The largest file read_file reads unless told otherwise: 2 GiB - 1 byte, the most
/// protobuf parses (docs/input-limits.md).
inline constexpr std::uint64_t kMaxInputFileBytes = 2147483647;

/// Reads a whole regular file of at most `max_bytes` bytes. A FIFO, device, socket or
/// directory is refused without reading from it (a FIFO without writer would block,
/// /dev/zero never ends), as is a larger file. Errors name the file and what was found:
/// "d.pb: expected a regular file, found a FIFO", "d.pb: 3000000000 bytes, more than
/// the limit of 2147483647 bytes".
Expected<std::string> read_file(const std::string& path, std::uint64_t max_bytes = kMaxInputFileBytes);

/// The deepest nesting of arrays and objects bre's JSON readers accept. Real specs,
/// datasets and rule tables nest fewer than 12 levels; protobuf's JSON parser takes
/// time quadratic in the depth, so deeper text is refused before it sees it.
inline constexpr int kMaxJsonDepth = 64;

/// What a JSON value is.
enum class JsonType { kNull, kBool, kNumber, kString, kArray, kObject };

/// "an object", "an array", "a string", ...
const char* json_type_name(JsonType type);

/// A value of a JSON document near its root, found by check_json_syntax.
struct JsonOutlineEntry {
  std::string path;  // "" for the root, then "steps", "steps[0]", "steps[0].inputs"
  JsonType type;
  std::size_t offset;  // of the value's first byte in the text
};

/// Checks that `json` is one well-formed JSON value (RFC 8259: no comments, single
/// quotes, bare names or trailing commas) nested at most kMaxJsonDepth deep. Errors
/// name the source, line and column: "p.json:3:17: invalid JSON: expected ',' or '}'
/// in an object, found ']'". With `outline`, every value at most `outline_depth`
/// levels below the root is appended to it, for checks of the document's shape.
/// O(size of the text).
Status check_json_syntax(std::string_view json, const std::string& source_name,
                         std::vector<JsonOutlineEntry>* outline = nullptr, int outline_depth = 0);

/// "p.json:3:17": the line and column (in characters, from 1) of byte `offset`.
std::string json_location(std::string_view json, const std::string& source_name, std::size_t offset);

/// A message as JSON (two-space indent, field names as in the .proto, enums as names,
/// default values included so every field is visible).
std::string to_json(const google::protobuf::Message& message);

/// Parses JSON into `message`, rejecting unknown fields. The text must pass
/// check_json_syntax first, so syntax errors and too deep nesting name line and
/// column. Errors name `source_name` and the problem.
Status from_json(const std::string& json, const std::string& source_name,
                 google::protobuf::Message& message);

/// `text` for quoting in an error: itself when at most `max_characters` long, else its
/// first `max_characters` characters (never a split UTF-8 sequence) and "…", so a
/// megabyte of input never becomes a megabyte of message.
std::string excerpt(std::string_view text, std::size_t max_characters = 64);

/// `text` without leading and trailing spaces and tabs.
std::string trim(std::string_view text);

/// Lower-case copy of `text` (ASCII letters only).
std::string lower_ascii(std::string_view text);

/// A double as the shortest text that reads back to the same value; NaN as "".
std::string format_csv_number(double value);

/// Quotes a CSV field when it holds the delimiter, a quote or a line break.
std::string csv_field(const std::string& text, char delimiter = ',');

/// Whether `name` can serve as one plain output file name component: non-empty,
/// letters, digits, '_' and '-' only. Step ids and table names must be.
bool is_plain_name(std::string_view name);

/// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points
/// above U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// `text` itself when it is valid UTF-8, else its ASCII with every other byte shown
/// as '?'. For error texts that quote input: protobuf strings must be UTF-8, or the
/// message carrying them cannot be serialised.
std::string to_valid_utf8(std::string text);

/// The path of the first string field of `message` (recursively) that is not valid
/// UTF-8, e.g. "partitions[0].regions[3].name", or nullopt when all are.
std::optional<std::string> find_invalid_utf8(const google::protobuf::Message& message);

/// Deterministic binary serialisation (map entries sorted).
std::string to_binary(const google::protobuf::Message& message);

}  // namespace bre
