// The language of a run's texts. A pipeline names one ("language": "nl" or "en", Dutch
// when left out, the study's language); every text a plugin writes for people follows it:
// warnings, column labels and definitions, document titles, the words inside maps and
// the report. A run is in one language so a report never mixes two.
#pragma once

#include <string>
#include <string_view>

#include "bre/plugin.hpp"
#include "bre/status.hpp"
#include "bre/suggest.hpp"
#include "bre/v1/pipeline.pb.h"

namespace bre {

enum class Language { kDutch, kEnglish };

/// "nl" / "en".
inline std::string_view language_code(Language language) { return language == Language::kDutch ? "nl" : "en"; }

/// Parses "nl" / "en"; the error says what was found and the nearest choice.
inline Expected<Language> parse_language(std::string_view text) {
  if (text == "nl") return Language::kDutch;
  if (text == "en") return Language::kEnglish;
  return invalid_argument("language: expected nl or en, found '" + std::string(text) + "'" +
                          did_you_mean(text, {"nl", "en"}));
}

/// The language of the run a step belongs to: its pipeline's, Dutch when the pipeline
/// names none or the step runs outside a pipeline (no manifest).
inline Language run_language(const StepContext& context) {
  const v1::Manifest* manifest = context.manifest();
  return manifest != nullptr && manifest->pipeline().language() == "en" ? Language::kEnglish : Language::kDutch;
}

/// A number written with a decimal point ("0.25", "1e-05") in the language's notation:
/// a decimal comma in Dutch ("0,25").
inline std::string decimal_notation(Language language, std::string number) {
  if (language == Language::kDutch) {
    for (char& c : number) {
      if (c == '.') c = ',';
    }
  }
  return number;
}

/// `dutch` or `english`, whichever `language` is.
inline std::string_view in_language(Language language, std::string_view dutch, std::string_view english) {
  return language == Language::kDutch ? dutch : english;
}

/// in_language() as a std::string, for texts put together with `+`:
/// `std::to_string(n) + text_in(language, " gemeenten", " municipalities")`.
inline std::string text_in(Language language, std::string_view dutch, std::string_view english) {
  return std::string(in_language(language, dutch, english));
}

}  // namespace bre
