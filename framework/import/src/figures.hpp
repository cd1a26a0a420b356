// Figures as CBS tables write them, shared by the indicator-table reader and the
// StatLine series reader. Internal to bre_import.
#pragma once

#include <optional>
#include <string_view>

#include "bre/status.hpp"

namespace bre::import::detail {

/// A year as sources write it: "2016", or StatLine's period code "2016JJ00" (1800-2200).
std::optional<int> parse_year(std::string_view text);

/// Whether a cell holds no figure: empty, or a CBS placeholder (. - x X ?).
bool is_placeholder(std::string_view text);

/// A decimal number in the table's notation: an optional '-', digits, optionally
/// `decimal` and more digits. The error says what was expected and found, with a hint
/// when the number uses the other decimal character (`statline`: the export's wording).
Expected<double> parse_number(std::string_view text, char decimal, bool statline);

}  // namespace bre::import::detail
