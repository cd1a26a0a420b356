#include "bre/io.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <vector>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <filesystem>
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

namespace {

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes a descriptor on every way out.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Expected<std::string> read_file(const std::string& path, std::uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting
  // for one; fstat then refuses it.
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (file.get() < 0) {
    const int error = errno;
    if (error == EISDIR) return invalid_argument(path + ": is a directory, expected a file");
    return not_found(path + ": cannot open: " + std::strerror(error));
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) return internal_error(path + ": cannot stat: " + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return invalid_argument(path + ": is a directory, expected a file");
  if (!S_ISREG(info.st_mode)) {
    return invalid_argument(path + ": expected a regular file, found " + file_kind(info.st_mode));
  }
  const auto too_large = [&](std::uint64_t size) {
    return invalid_argument(path + ": " + std::to_string(size) + " bytes, more than the limit of " +
                            std::to_string(max_bytes) + " bytes");
  };
  const auto size = static_cast<std::uint64_t>(info.st_size);
  if (size > max_bytes) return too_large(size);
  std::string content(static_cast<std::size_t>(size), '\0');
  std::size_t done = 0;
  auto read_some = [&](char* into, std::size_t room) -> ssize_t {
    while (true) {
      const ssize_t n = ::read(file.get(), into, room);
      if (n >= 0 || errno != EINTR) return n;
    }
  };
  while (done < content.size()) {
    const ssize_t n = read_some(content.data() + done, content.size() - done);
    if (n < 0) return internal_error(path + ": read failed: " + std::strerror(errno));
    if (n == 0) break;  // the file shrank meanwhile
    done += static_cast<std::size_t>(n);
  }
  content.resize(done);
  // A file that grew since fstat is read on, within the cap.
  char more[4096];
  while (true) {
    const ssize_t n = read_some(more, sizeof more);
    if (n < 0) return internal_error(path + ": read failed: " + std::strerror(errno));
    if (n == 0) break;
    if (content.size() + static_cast<std::size_t>(n) > max_bytes) return too_large(content.size() + static_cast<std::size_t>(n));
    content.append(more, static_cast<std::size_t>(n));
  }
  return content;
}

const char* json_type_name(JsonType type) {
  switch (type) {
    case JsonType::kNull: return "null";
    case JsonType::kBool: return "a boolean";
    case JsonType::kNumber: return "a number";
    case JsonType::kString: return "a string";
    case JsonType::kArray: return "an array";
    case JsonType::kObject: return "an object";
  }
  return "?";
}

std::string json_location(std::string_view json, const std::string& source_name, std::size_t offset) {
  offset = std::min(offset, json.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (json[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(json[i]) & 0xC0) != 0x80) {
      ++column;  // continuation bytes of UTF-8 do not start a character
    }
  }
  return source_name + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {

// One pass over JSON text without building it: checks the grammar of RFC 8259 and
// the nesting depth, iteratively (the depth of the text never reaches the stack).
class JsonScanner {
 public:
  JsonScanner(std::string_view text, std::vector<JsonOutlineEntry>* outline, int outline_depth)
      : text_(text), outline_(outline), outline_depth_(outline_depth) {}

  /// Empty when the text is well-formed, else what is wrong at offset().
  std::string scan() {
    skip_space();
    if (at_end()) return "expected a JSON value, found an empty text";
    while (true) {
      if (std::string error = value(); !error.empty()) return error;
      if (opened_) {
        opened_ = false;
        continue;
      }
      // After a value: close containers, or go on after a comma.
      while (true) {
        skip_space();
        if (open_.empty()) return at_end() ? "" : "expected the end of the text after the JSON value, found " + found();
        const bool in_object = open_.back().is_object;
        if (at_end()) {
          return std::string("unexpected end of the text in ") + (in_object ? "an object" : "an array") +
                 " (truncated?)";
        }
        const char c = text_[pos_];
        if (c == ',') {
          ++pos_;
          if (in_object) {
            if (std::string error = member_name(); !error.empty()) return error;
          } else {
            ++open_.back().index;
          }
          break;
        }
        if (c == (in_object ? '}' : ']')) {
          ++pos_;
          open_.pop_back();
          continue;
        }
        return std::string("expected ',' or '") + (in_object ? "}' in an object" : "]' in an array") + ", found " +
               found();
      }
    }
  }

  std::size_t offset() const { return pos_; }

 private:
  struct Open {
    bool is_object;
    std::size_t index = 0;  // of the current array element
    std::string name;       // of the current object member
  };

  bool at_end() const { return pos_ >= text_.size(); }

  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // The next character as an error shows it.
  std::string found() const {
    if (at_end()) return "the end of the text";
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "byte 0x%02X", c);
    return buffer;
  }

  // Where the value that starts now sits: "steps[2].inputs".
  std::string current_path() const {
    std::string path;
    for (const Open& open : open_) {
      if (open.is_object) path += (path.empty() ? "" : ".") + open.name;
      else path += "[" + std::to_string(open.index) + "]";
    }
    return path;
  }

  void note(JsonType type) {
    if (outline_ != nullptr && static_cast<int>(open_.size()) <= outline_depth_) {
      outline_->push_back({current_path(), type, pos_});
    }
  }

  // After '{' or ',' in an object: "name" and ':'.
  std::string member_name() {
    skip_space();
    if (at_end() || text_[pos_] != '"') return "expected a member name in double quotes, found " + found();
    const std::size_t start = pos_ + 1;
    if (std::string error = string(); !error.empty()) return error;
    open_.back().name.assign(text_.substr(start, pos_ - 1 - start));
    skip_space();
    if (at_end() || text_[pos_] != ':') return "expected ':' after a member name, found " + found();
    ++pos_;
    return "";
  }

  // One value; a container is entered (and its first member name read), and closed
  // later by scan().
  std::string value() {
    skip_space();
    if (at_end()) return "expected a value, found the end of the text (truncated?)";
    const char c = text_[pos_];
    if (c == '{' || c == '[') {
      if (open_.size() >= static_cast<std::size_t>(kMaxJsonDepth)) {
        return "arrays and objects nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      }
      note(c == '{' ? JsonType::kObject : JsonType::kArray);
      ++pos_;
      open_.push_back(Open{c == '{', 0, {}});
      skip_space();
      if (!at_end() && text_[pos_] == (c == '{' ? '}' : ']')) {
        ++pos_;
        open_.pop_back();
        return "";
      }
      opened_ = true;  // scan() reads the first element next
      return c == '{' ? member_name() : "";
    }
    if (c == '"') {
      note(JsonType::kString);
      return string();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      note(JsonType::kNumber);
      return number();
    }
    for (const auto& [word, type] : {std::pair{std::string_view("true"), JsonType::kBool},
                                     std::pair{std::string_view("false"), JsonType::kBool},
                                     std::pair{std::string_view("null"), JsonType::kNull}}) {
      if (text_.substr(pos_, word.size()) == word) {
        note(type);
        pos_ += word.size();
        return "";
      }
    }
    return "expected a value, found " + found();
  }

  std::string string() {
    ++pos_;  // the opening quote
    while (!at_end()) {
      const auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return "";
      }
      if (c < 0x20) return "a control character in a string (write a line break as \\n), found " + found();
      if (c != '\\') {
        ++pos_;
        continue;
      }
      ++pos_;
      if (at_end()) break;
      const char escape = text_[pos_];
      if (escape == 'u') {
        for (int k = 1; k <= 4; ++k) {
          if (pos_ + k >= text_.size() || !std::isxdigit(static_cast<unsigned char>(text_[pos_ + k]))) {
            pos_ += k;
            return "expected four hexadecimal digits after \\u, found " + found();
          }
        }
        pos_ += 5;
      } else if (std::string_view("\"\\/bfnrt").find(escape) != std::string_view::npos) {
        ++pos_;
      } else {
        return "expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) after '\\', found " + found();
      }
    }
    return "unexpected end of the text in a string (truncated?)";
  }

  std::string number() {
    auto digits = [&] {
      const std::size_t start = pos_;
      while (!at_end() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      return pos_ > start;
    };
    if (text_[pos_] == '-') ++pos_;
    if (!at_end() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return "expected a digit in a number, found " + found();
    }
    if (!at_end() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return "expected a digit after the decimal point, found " + found();
    }
    if (!at_end() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!at_end() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return "expected a digit in the exponent, found " + found();
    }
    return "";
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::vector<Open> open_;
  bool opened_ = false;  // value() entered a non-empty array or object
  std::vector<JsonOutlineEntry>* outline_;
  int outline_depth_;
};

std::string one_line(std::string text) {
  for (auto& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

Status check_json_syntax(std::string_view json, const std::string& source_name,
                         std::vector<JsonOutlineEntry>* outline, int outline_depth) {
  JsonScanner scanner(json, outline, outline_depth);
  const std::string error = scanner.scan();
  if (error.empty()) return Status::ok();
  return invalid_argument(json_location(json, source_name, scanner.offset()) + ": invalid JSON: " + error);
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
  const std::string what = "invalid " + message.GetDescriptor()->full_name() + " JSON: ";
  // protobuf's parser gives no position and takes time quadratic in the nesting depth.
  JsonScanner scanner(json, nullptr, 0);
  if (const std::string error = scanner.scan(); !error.empty()) {
    return invalid_argument(json_location(json, source_name, scanner.offset()) + ": " + what + error);
  }
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!status.ok()) {
    // protobuf's parser quotes the offending text across several lines, and a field
    // name of any length; errors here are one line of reasonable length.
    return invalid_argument(source_name + ": " + what + excerpt(one_line(std::string(status.message())), 300));
  }
  return Status::ok();
}

std::string excerpt(std::string_view text, std::size_t max_characters) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (characters++ == max_characters) return std::string(text.substr(0, i)) + "…";
  }
  return std::string(text);
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

std::string trim(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = text.size();
  while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
  while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string format_csv_number(double value) {
  if (std::isnan(value)) return "";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string csv_field(const std::string& text, char delimiter) {
  const char special[] = {delimiter, '"', '\r', '\n', '\0'};
  if (text.find_first_of(special) == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace bre
