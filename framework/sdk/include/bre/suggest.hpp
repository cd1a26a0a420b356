// "Did you mean": the names closest to a misspelt one, for error messages about unknown
// commands, options, plugins, parameters and choices.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bre/export.hpp"

namespace bre BRE_SDK_API {

/// The candidates within a small edit distance of `word` (insertions, deletions,
/// substitutions and swaps of neighbouring letters, ignoring ASCII case; at most 1 for
/// names of up to 4 letters, 2 up to 8, 3 beyond), closest first, ties in the
/// candidates' order; at most `max_count`, none when `word` is empty.
std::vector<std::string> closest_names(std::string_view word, const std::vector<std::string>& candidates,
                                       std::size_t max_count = 3);

/// " (did you mean 'a'?)" or " (did you mean 'a' or 'b'?)" for closest_names, or "" when
/// nothing is close: to follow the misspelt name in a message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace bre
