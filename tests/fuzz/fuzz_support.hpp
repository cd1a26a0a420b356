// What the fuzz targets share: taking option bytes off the front of an input, and
// stopping loudly when a reader breaks its contract (a crash is what libFuzzer and
// the replay tests report).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bre/status.hpp"

namespace bre::fuzz {

/// An input as a few option bytes followed by the document. The options come off
/// the front so that most bytes stay the document a reader sees.
class FuzzInput {
 public:
  FuzzInput(const std::uint8_t* data, std::size_t size) : text_(reinterpret_cast<const char*>(data), size) {}

  /// The next option byte, or 0 when the input is used up.
  std::uint8_t take_byte() {
    if (text_.empty()) return 0;
    const auto byte = static_cast<std::uint8_t>(text_.front());
    text_.remove_prefix(1);
    return byte;
  }

  /// Everything not taken yet.
  std::string_view rest() const { return text_; }

 private:
  std::string_view text_;
};

/// Aborts with `what` when `condition` does not hold: a broken contract is a finding.
inline void require(bool condition, std::string_view what) {
  if (condition) return;
  std::fprintf(stderr, "contract broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

/// An error must be an error, say what it is and name where it comes from.
inline void require_error_names(const Status& status, const std::string& source) {
  require(!status.is_ok(), "a failed result carries an OK status");
  require(!status.message().empty(), "an error without a message");
  require(status.message().find(source) != std::string::npos,
          "the error does not name its source '" + source + "': " + status.message());
}

}  // namespace bre::fuzz
