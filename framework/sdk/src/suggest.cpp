#include "bre/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace bre {
namespace {

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Optimal string alignment distance (Levenshtein plus swaps of neighbours), case folded.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  // Three rows: the one before the previous is needed for swaps.
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  std::iota(previous.begin(), previous.end(), std::size_t{0});
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const bool same = fold(a[i - 1]) == fold(b[j - 1]);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1])) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[m];
}

std::size_t tolerance(std::size_t length) { return length <= 4 ? 1 : length <= 8 ? 2 : 3; }

}  // namespace

std::vector<std::string> closest_names(std::string_view word, const std::vector<std::string>& candidates,
                                       std::size_t max_count) {
  if (word.empty()) return {};
  struct Scored {
    std::size_t distance;
    std::size_t index;
  };
  std::vector<Scored> close;
  const std::size_t limit = tolerance(word.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    // Length alone rules most names out before the quadratic distance.
    const std::size_t length = candidates[i].size();
    if ((length > word.size() ? length - word.size() : word.size() - length) > limit) continue;
    const std::size_t d = edit_distance(word, candidates[i]);
    if (d <= limit && candidates[i] != word) close.push_back({d, i});
  }
  std::stable_sort(close.begin(), close.end(), [](const Scored& a, const Scored& b) { return a.distance < b.distance; });
  std::vector<std::string> names;
  for (const Scored& s : close) {
    if (names.size() == max_count) break;
    if (std::find(names.begin(), names.end(), candidates[s.index]) == names.end()) names.push_back(candidates[s.index]);
  }
  return names;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::vector<std::string> names = closest_names(word, candidates);
  if (names.empty()) return "";
  std::string text = " (did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
    text += "'" + names[i] + "'";
  }
  return text + "?)";
}

}  // namespace bre
