#include "bre/report/numbers.hpp"

#include <cmath>
#include <cstdio>

#include "bre/value_kind.hpp"

namespace bre::report {
namespace {

constexpr const char* kMissing = "–";

// "-1234.5" (C locale) with the language's separators: "-1.234,5" or "-1,234.5".
std::string localise(const std::string& plain, Language language) {
  const char decimal_mark = language == Language::kDutch ? ',' : '.';
  const char group_mark = language == Language::kDutch ? '.' : ',';
  std::size_t start = plain.empty() || plain[0] != '-' ? 0 : 1;
  std::size_t point = plain.find('.');
  if (point == std::string::npos) point = plain.size();
  std::string text = plain.substr(0, start);
  const std::size_t digits = point - start;
  for (std::size_t i = 0; i < digits; ++i) {
    if (i > 0 && (digits - i) % 3 == 0 && digits > 3) text += group_mark;
    text += plain[start + i];
  }
  if (point < plain.size()) text += decimal_mark + plain.substr(point + 1);
  return text;
}

}  // namespace

std::string format_fixed(double value, int decimals, Language language) {
  if (!std::isfinite(value)) return kMissing;
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string plain = text;
  if (plain.find_first_not_of("-0.,") == std::string::npos) plain = plain[0] == '-' ? plain.substr(1) : plain;  // no "-0"
  return localise(plain, language);
}

std::string format_count(double value, Language language) { return format_fixed(value, 0, language); }

std::string format_percent(double share, Language language) {
  if (!std::isfinite(share)) return kMissing;
  const double percent = 100.0 * share;
  const double magnitude = std::abs(percent);
  const int decimals = magnitude >= 10 || percent == std::round(percent) ? 0 : 1;
  return format_fixed(percent, decimals, language) + "%";
}

std::string format_decimal(double value, Language language) {
  if (!std::isfinite(value)) return kMissing;
  const double magnitude = std::abs(value);
  int decimals = 2;
  if (magnitude >= 1000 || (magnitude >= 100 && value == std::round(value))) {
    decimals = 0;
  } else if (magnitude >= 10) {
    decimals = 1;
  } else if (magnitude < 0.01 && value != 0.0) {
    // Two significant digits of a small value: 0.0079, 0.00012.
    decimals = std::min(12, 1 - static_cast<int>(std::floor(std::log10(magnitude))));
  }
  return format_fixed(value, decimals, language);
}

std::string format_p_value(double p, Language language) {
  if (!std::isfinite(p)) return kMissing;
  if (p < 0.001) return "< " + format_fixed(0.001, 3, language);
  return format_fixed(p, 3, language);
}

v1::ValueKind value_kind(const v1::IndicatorColumn& column) {
  return column.kind() != v1::VALUE_KIND_UNSPECIFIED ? column.kind() : value_kind_for_unit(column.unit());
}

std::string format_value(const v1::IndicatorColumn& column, double value, Language language) {
  switch (value_kind(column)) {
    case v1::VALUE_KIND_COUNT: return format_count(value, language);
    case v1::VALUE_KIND_SHARE: return format_percent(value, language);
    default: return format_decimal(value, language);
  }
}

}  // namespace bre::report
