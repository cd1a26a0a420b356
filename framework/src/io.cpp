#include "bre/io.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <vector>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace bre {

namespace {

constexpr std::string_view kTemporaryInfix = ".tmp-";
constexpr std::size_t kTemporaryRandomChars = 6;  // mkstemp and mkdtemp fill in six

}  // namespace

std::string temporary_name_pattern(const std::string& name) {
  return "." + name + std::string(kTemporaryInfix) + std::string(kTemporaryRandomChars, 'X');
}

bool is_temporary_name_of(std::string_view entry, std::string_view name) {
  const std::size_t expected = 1 + name.size() + kTemporaryInfix.size() + kTemporaryRandomChars;
  if (entry.size() != expected || entry[0] != '.' || entry.substr(1, name.size()) != name ||
      entry.substr(1 + name.size(), kTemporaryInfix.size()) != kTemporaryInfix) {
    return false;
  }
  const auto random = entry.substr(expected - kTemporaryRandomChars);
  return std::all_of(random.begin(), random.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

Status write_file_atomically(const std::string& path, const std::string& content) {
  const std::filesystem::path target(path);
  const auto directory = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  std::string temp = (directory / temporary_name_pattern(target.filename().string())).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    return invalid_argument(path + ": cannot create a temporary file in " + directory.string() + ": " +
                            std::strerror(errno));
  }
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return internal_error(path + ": write failed: " + reason);
    }
    written += static_cast<std::size_t>(n);
  }
  // mkstemp creates 0600; results are ordinary files others may read.
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return internal_error(path + ": cannot flush: " + reason);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return invalid_argument(path + ": cannot rename the temporary file into place: " + reason);
  }
  return Status::ok();
}

Expected<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return invalid_argument(path + ": is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return internal_error(path + ": read failed");
  return buffer.str();
}

std::string to_json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  // Printing a valid in-memory message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

Status from_json(const std::string& json, const std::string& source_name, google::protobuf::Message& message) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  message.Clear();
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!status.ok()) {
    // protobuf's parser quotes the offending text across several lines; errors here are one line.
    std::string reason(status.message());
    for (auto& c : reason) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    while (!reason.empty() && reason.back() == ' ') reason.pop_back();
    return invalid_argument(source_name + ": invalid " + message.GetDescriptor()->full_name() + " JSON: " + reason);
  }
  return Status::ok();
}

bool is_plain_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;  // a continuation byte, an overlong lead (C0, C1) or F5..FF
    }
    if (i + length > n) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

std::string to_valid_utf8(std::string text) {
  if (is_valid_utf8(text)) return text;
  for (char& c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  }
  return text;
}

std::optional<std::string> find_invalid_utf8(const google::protobuf::Message& message) {
  using google::protobuf::FieldDescriptor;
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    const bool is_text = field->type() == FieldDescriptor::TYPE_STRING;
    const bool is_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!is_text && !is_message) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        const std::string path = field->name() + "[" + std::to_string(i) + "]";
        if (is_text) {
          if (!is_valid_utf8(reflection->GetRepeatedString(message, field, i))) return path;
        } else if (auto inner = find_invalid_utf8(reflection->GetRepeatedMessage(message, field, i))) {
          return path + "." + *inner;
        }
      }
    } else if (is_text) {
      if (!is_valid_utf8(reflection->GetString(message, field))) return field->name();
    } else if (auto inner = find_invalid_utf8(reflection->GetMessage(message, field))) {
      return field->name() + "." + *inner;
    }
  }
  return std::nullopt;
}

std::string to_binary(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

}  // namespace bre
