// The report's fixed texts: each a Dutch and an English text under one key. The page's
// table (html_report.cpp) and the script's (explore.cpp) are both of this form, so the
// language tests read both through page_texts().
#pragma once

#include <map>
#include <string_view>

#include "bre/language.hpp"

namespace bre::report {

struct Words {
  const char* nl;
  const char* en;
};

using WordTable = std::map<std::string_view, Words>;

/// `words` in `language`.
inline std::string_view text_of(const Words& words, Language language) {
  return language == Language::kDutch ? words.nl : words.en;
}

/// The text of `key` in `language`; an unknown key is a programming error (std::out_of_range).
inline std::string_view word_in(const WordTable& table, std::string_view key, Language language) {
  return text_of(table.at(key), language);
}

}  // namespace bre::report
