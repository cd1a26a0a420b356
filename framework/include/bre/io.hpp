// File helpers shared by the CLI, the writers and plugins.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bre/status.hpp"

namespace google::protobuf {
class Message;
}

namespace bre {

/// Writes `content` to `path` atomically: a temporary file in the same directory,
/// flushed, then renamed over `path`. On failure nothing is left behind.
Status write_file_atomically(const std::string& path, const std::string& content);

/// The name of a temporary file or directory that stands in for `name` while it is
/// written: ".NAME.tmp-XXXXXX", the X's for mkstemp or mkdtemp to fill in.
std::string temporary_name_pattern(const std::string& name);

/// Whether `entry` is a name temporary_name_pattern(`name`) could have become.
bool is_temporary_name_of(std::string_view entry, std::string_view name);

/// Reads a whole file. Errors name the file.
Expected<std::string> read_file(const std::string& path);

/// A message as JSON (two-space indent, field names as in the .proto, enums as names,
/// default values included so every field is visible).
std::string to_json(const google::protobuf::Message& message);

/// Parses JSON into `message`, rejecting unknown fields. Errors name `source_name`
/// and the problem.
Status from_json(const std::string& json, const std::string& source_name,
                 google::protobuf::Message& message);

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
