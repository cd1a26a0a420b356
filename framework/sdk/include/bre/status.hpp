// Errors as values: every fallible framework call and every plugin call returns a
// Status (or an Expected<T>) instead of throwing across a library boundary.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "bre/export.hpp"

namespace bre BRE_SDK_API {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // bad input: file, field, parameter (CLI exit code 2)
  kNotFound,            // a named thing does not exist (CLI exit code 2)
  kFailedPrecondition,  // input is well-formed but unusable here (CLI exit code 2)
  kCancelled,
  kInternal,            // a bug or an environment failure (CLI exit code 1)
  // A limit of the server was reached (a queue, a store, a stream count); retry later.
  // After kInternal so the numbers the plugin runner sends keep their meaning.
  kResourceExhausted,
};

/// The outcome of an operation: ok, or a code and a one-line message that names the
/// file, line, field or parameter, what was expected and what was found.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  bool is_ok() const { return code_ == StatusCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  /// The same status with `context + ": "` in front of the message.
  Status with_context(const std::string& context) const {
    if (is_ok()) return *this;
    return {code_, context + ": " + message_};
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string message) {
  return {StatusCode::kInvalidArgument, std::move(message)};
}
inline Status not_found(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
inline Status failed_precondition(std::string message) {
  return {StatusCode::kFailedPrecondition, std::move(message)};
}
inline Status resource_exhausted(std::string message) {
  return {StatusCode::kResourceExhausted, std::move(message)};
}
inline Status internal_error(std::string message) {
  return {StatusCode::kInternal, std::move(message)};
}

/// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Status status) : status_(std::move(status)) {}  // NOLINT
  bool has_value() const { return value_.has_value(); }
  explicit operator bool() const { return has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace bre

#define BRE_RETURN_IF_ERROR(expr)          \
  do {                                     \
    ::bre::Status bre_status_ = (expr);    \
    if (!bre_status_.is_ok()) return bre_status_; \
  } while (0)
