// One language per report: the page of a Dutch run holds no English words and the
// page of an English run no Dutch ones. The check reads what a reader sees: the text
// of the page without its style, scripts and data islands, plus the texts of title,
// alt and aria-label attributes and the words inside the SVG maps and charts. What is
// data, not language, is taken out first: the dataset's names (municipalities, bodies,
// arrangements, region definitions, cases, area indicators), the run's step ids,
// plugin names, partitions, regions, tables and columns, numbers and codes (anything
// with a digit, an underscore, a dot or a slash, and <code> elements). What is left
// must not contain frequent words of the other language. The demo run always; the run
// on ../shared/data/nl2016 when that data is there. Also: the page's dictionary (both
// languages in every entry) and the number formats of both languages.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bre/demo.hpp"
#include "bre/dataset.hpp"
#include "bre/report/html_report.hpp"
#include "bre/report/numbers.hpp"
#include "bre/v1/results.pb.h"
#include "test_support.hpp"

namespace bre::test {
namespace {

const std::string kStandard = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json";
const std::string kNl2016 = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/nl2016.json";

// Frequent words of one language that are not words of the other. Left out on purpose:
// words both languages write ("in", "is", "over", "per", "input", "output", "trend",
// "index", "model", "data", "plan", "parameters", "seed", "plateau"), and English "of" (Dutch "or")
// and Dutch "met" (English "met"), which would flag correct text.
const std::set<std::string> kEnglishWords = {
    "the",          "and",          "with",        "between",     "from",         "which",       "this",
    "that",         "these",        "those",        "are",         "was",          "were",        "has",
    "have",         "for",          "not",          "than",        "when",         "where",       "there",
    "their",        "its",          "each",         "every",       "other",        "into",        "inside",
    "within",       "outside",      "across",       "region",      "regions",      "municipality", "municipalities",
    "network",      "share",        "shares",       "level",       "mean",         "stage",       "arrangement",
    "arrangements", "cooperation",  "commuting",    "commuters",   "well-being",   "wellbeing",   "broad",
    "partition",    "partitions",   "definition",   "definitions", "indicators",   "ties",        "people",
    "only",         "also",         "should",       "would",       "could",        "above",       "below",
    "high",         "low",          "average",      "positive",    "negative",     "unknown",     "missing",
    "legitimacy",   "confidence",   "evidence",     "national",    "country",      "spread",      "number",
    "value",        "values",       "step",         "steps",       "dimension",    "quadrant",    "biotope",
    "life",         "cycle",        "meeting",      "running",     "system",       "does",        "did",
    "none",         "some",         "most",         "more",        "less",         "about",       "without",
    "after",        "before",       "because",      "yes",         "daily",        "urban",       "map",
    "maps",         "key",          "figures",      "notes",       "methods",      "contents",    "report",
    "self-containment", "organisation", "recommendations", "directions", "possible", "development", "selected",
    "coarser",      "stable",       "resolution",   "width",       "rank",
    "agreement",    "invests",      "investing",    "members",     "member",       "population",  "weighted",
    "unweighted",   "survey",       "responses",    "cases",       "flows",        "themes",      "theme",
    "shows",        "found",        "chosen",       "largest",     "smallest",     "part",        "parts",
    "tasks",        "domains",      "domain",       "bundled",     "stay",         "stays",       "take",
    "they",         "them",         "our",          "you",         "your",         "what",        "how",
    "why",          "who"};
const std::set<std::string> kDutchWords = {
    "de",           "het",          "een",          "van",         "en",           "tussen",      "gemeenten",
    "gemeente",     "regio",        "regio's",      "aandeel",     "niveau",       "voor",        "door",
    "bij",          "ook",          "geen",         "niet",        "naar",         "dat",         "die",
    "deze",         "dit",          "er",           "om",          "aan",          "uit",         "als",
    "maar",         "nog",          "wel",          "zijn",        "wordt",        "worden",      "kan",
    "heeft",        "hebben",       "welke",        "samenwerking", "samenwerkingsverband", "samenwerkingsverbanden",
    "verband",      "verbanden",    "landelijk",    "landelijke",  "gemiddelde",   "gemiddeld",   "zelfvoorziening",
    "brede",        "welvaart",     "legitimiteit", "fase",        "onderbouwing", "kaart",       "kaarten",
    "indeling",     "indelingen",   "stap",         "stappen",     "hoog",         "laag",        "jaar",
    "jaren",        "inwoners",     "binnen",       "buiten",      "hoger",        "lager",       "onbekend",
    "ontbrekende",  "kenmerken",    "gegevens",     "toelichting", "uitgevoerd",   "methode",     "definities",
    "inhoud",       "kerncijfers",  "opmerkingen",  "aanbevelingen", "ontwikkelrichtingen", "zekerheid", "spreiding",
    "pendelaars",   "pendelstromen", "dagelijks",   "stedelijk",   "systeem",      "levenscyclus", "biotoop",
    "kwadrant",     "dimensie",     "gekozen",      "grover",      "stabiel",      "stabiele",    "breedte",
    "rang",         "overeenstemming", "investeert", "enquête",    "casussen",     "thema's",     "taken",
    "domeinen",     "blijft",       "wonen",        "werken",      "werkt",        "zit",         "zich",
    "wat",          "hoe",          "waarom",       "wie",         "ze",           "zij",         "haar",
    "hun",          "wij",          "u",            "jullie",      "ondersteunt",  "tegen",       "mee"};

// The public Dutch data of 2016: $BRE_NL2016_DIR, else ../shared/data/nl2016 beside the checkout.
std::string nl2016_data_dir() {
  if (const char* env = std::getenv("BRE_NL2016_DIR"); env != nullptr && *env != '\0') return env;
  return std::string(BRE_SOURCE_DIR) + "/../shared/data/nl2016";
}

struct Fragment {
  std::string where;  // section id and the last heading before it
  std::string text;
};

std::string unescape(std::string text) {
  const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"},   {"&gt;", ">"},   {"&quot;", "\""},
                                                          {"&apos;", "'"}, {"&#39;", "'"}, {"&nbsp;", " "},
                                                          {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + 1)) {
      text.replace(at, std::string(entity).size(), plain);
    }
  }
  return text;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// The value of attribute `name` in an open tag's text, if present.
std::optional<std::string> attribute(const std::string& tag, const std::string& name) {
  for (auto at = tag.find(name + "=\""); at != std::string::npos; at = tag.find(name + "=\"", at + 1)) {
    if (at > 0 && !std::isspace(static_cast<unsigned char>(tag[at - 1]))) continue;
    const auto start = at + name.size() + 2;
    return tag.substr(start, tag.find('"', start) - start);
  }
  return std::nullopt;
}

bool is_heading(const std::string& name) {
  return name == "h2" || name == "h3" || name == "h4" || name == "summary" || name == "figcaption";
}

// The text inside an element, tags removed: a heading, to say where a fragment was.
std::string inner_text(const std::string& html, std::size_t from, const std::string& name) {
  const auto end = html.find("</" + name, from);
  std::string text;
  bool in_tag = false;
  for (std::size_t i = from; i < end && i < html.size(); ++i) {
    if (html[i] == '<') in_tag = true;
    if (!in_tag) text += html[i];
    if (html[i] == '>') in_tag = false;
  }
  text = unescape(text);
  return text.size() > 60 ? text.substr(0, 60) + "…" : text;
}

// What a reader sees, as fragments with where they are.
std::vector<Fragment> visible_text(const std::string& html) {
  std::vector<Fragment> fragments;
  std::string section = "head", heading;
  std::size_t at = 0;
  auto add = [&](const std::string& text) {
    const std::string plain = unescape(text);
    if (plain.find_first_not_of(" \t\r\n") == std::string::npos) return;
    fragments.push_back({section + (heading.empty() ? "" : " › " + heading), plain});
  };
  while (at < html.size()) {
    const auto open = html.find('<', at);
    add(html.substr(at, open == std::string::npos ? std::string::npos : open - at));
    if (open == std::string::npos) break;
    if (html.compare(open, 4, "<!--") == 0) {
      at = html.find("-->", open);
      at = at == std::string::npos ? html.size() : at + 3;
      continue;
    }
    const auto close = html.find('>', open);
    if (close == std::string::npos) break;
    const std::string tag = html.substr(open + 1, close - open - 1);
    at = close + 1;
    if (tag.empty() || tag[0] == '/' || tag[0] == '!') continue;
    const std::string name = lower(tag.substr(0, tag.find_first_of(" \t\r\n/")));
    // Style, scripts (data islands included) and <code> are not language.
    if (name == "style" || name == "script" || name == "code") {
      const auto end = html.find("</" + name, at);
      at = end == std::string::npos ? html.size() : html.find('>', end) + 1;
      continue;
    }
    if (name == "section") {
      if (auto id = attribute(tag, "id")) section = *id, heading.clear();
    }
    if (is_heading(name)) heading = inner_text(html, at, name);
    for (const char* text_attribute : {"title", "alt", "aria-label"}) {
      if (auto value = attribute(tag, text_attribute)) add(*value);
    }
  }
  return fragments;
}

bool is_letter_byte(unsigned char c) { return std::isalpha(c) || c >= 0x80 || c == '\'' || c == '-'; }

// The words of `text` that are code or data-free language: tokens split at spaces and
// punctuation, without numbers or codes, lower case.
std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> result;
  std::string token;
  auto flush = [&] {
    while (!token.empty() && (token.back() == '.' || token.back() == '\'' || token.back() == '-')) token.pop_back();
    while (!token.empty() && (token.front() == '\'' || token.front() == '-')) token.erase(0, 1);
    const bool code = token.find_first_of("0123456789_./@") != std::string::npos;
    const bool letters = std::any_of(token.begin(), token.end(), [](unsigned char c) { return std::isalpha(c); });
    if (letters && !code) result.push_back(lower(token));
    token.clear();
  };
  for (unsigned char c : text) {
    if (is_letter_byte(c) || std::isdigit(c) || c == '_' || c == '.' || c == '/' || c == '@') {
      token += static_cast<char>(c);
    } else {
      flush();
    }
  }
  flush();
  return result;
}

// Words of `text` that belong to the other language's list.
std::vector<std::string> foreign_words(const std::string& text, const std::set<std::string>& other) {
  std::vector<std::string> found;
  for (const auto& word : words(text)) {
    if (other.count(word) > 0) {
      found.push_back(word);
      continue;
    }
    // "well-being" as a whole, "self-containment" as a whole or by its parts.
    std::istringstream parts(word);
    std::string part;
    while (std::getline(parts, part, '-')) {
      if (other.count(part) > 0) found.push_back(part);
    }
  }
  return found;
}

// `text` with every data string removed where it stands as a whole (not inside a word).
std::string without_data(std::string text, const std::vector<std::string>& data) {
  for (const auto& name : data) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
      // A quote ('legitimacy') bounds a name as a space does.
      const bool starts = at == 0 || text[at - 1] == '\'' || !is_letter_byte(static_cast<unsigned char>(text[at - 1]));
      const auto end = at + name.size();
      const bool ends = end >= text.size() || text[end] == '\'' || !is_letter_byte(static_cast<unsigned char>(text[end]));
      if (starts && ends) {
        text.replace(at, name.size(), " ");
      } else {
        ++at;
      }
    }
  }
  return text;
}

// The names in the dataset and the run that are data, longest first.
std::vector<std::string> data_names(const v1::Dataset& dataset, const v1::RunResult& run) {
  std::set<std::string> names;
  for (const auto& m : dataset.municipalities()) names.insert(m.name());
  for (const auto& b : dataset.bodies()) names.insert(b.name());
  for (const auto& a : dataset.arrangements()) names.insert(a.name());
  for (const auto& d : dataset.region_definitions()) {
    names.insert(d.name());
    for (const auto& r : d.regions()) names.insert(r.name());
  }
  for (const auto& c : dataset.cases()) names.insert(c.region_name());
  for (const auto& a : dataset.area_indicators()) names.insert(a.name()), names.insert(a.unit());
  names.insert(run.manifest().dataset_name());
  names.insert(run.manifest().pipeline().name());
  for (const auto& step : run.manifest().steps()) names.insert(step.step_id()), names.insert(step.plugin());
  for (const auto& step : run.steps()) {
    for (const auto& p : step.artifacts().partitions()) {
      names.insert(p.name());
      for (const auto& r : p.regions()) names.insert(r.name());
    }
    for (const auto& t : step.artifacts().tables()) {
      names.insert(t.name());
      for (const auto& c : t.columns()) names.insert(c.id());
      for (const auto& r : t.rows()) names.insert(r.region_name());
    }
    for (const auto& l : step.artifacts().lifecycle()) {
      for (const auto& a : l.assessments()) names.insert(a.region_name());
    }
  }
  names.erase("");
  std::vector<std::string> sorted(names.begin(), names.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return sorted;
}

// Every fragment of the page with words of the other language, after data is removed;
// one line per fragment: where, the words, the text.
std::vector<std::string> leaks(const std::string& html, Language language, const std::vector<std::string>& data) {
  const auto& other = language == Language::kDutch ? kEnglishWords : kDutchWords;
  std::vector<std::string> found;
  std::set<std::string> reported;
  for (const auto& fragment : visible_text(html)) {
    if (foreign_words(fragment.text, other).empty()) continue;  // cheap test first
    const auto foreign = foreign_words(without_data(fragment.text, data), other);
    if (foreign.empty()) continue;
    std::string list;
    for (const auto& w : foreign) list += (list.empty() ? "" : ", ") + w;
    std::string text = fragment.text;
    if (text.size() > 200) text = text.substr(0, 200) + "…";
    const std::string line = "[" + fragment.where + "] {" + list + "} " + text;
    if (reported.insert(line).second) found.push_back(line);
  }
  return found;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += "  " + line + "\n";
  return text;
}

TEST(ReportWords, EveryFixedTextHasBothLanguagesAndNoWordOfTheOther) {
  const auto texts = report::page_texts();
  ASSERT_GT(texts.size(), 50u);
  for (const auto& text : texts) {
    EXPECT_FALSE(text.dutch.empty()) << text.key << ": no Dutch";
    EXPECT_FALSE(text.english.empty()) << text.key << ": no English";
    EXPECT_EQ(foreign_words(std::string(text.dutch), kEnglishWords), std::vector<std::string>{})
        << text.key << " (Dutch): " << text.dutch;
    EXPECT_EQ(foreign_words(std::string(text.english), kDutchWords), std::vector<std::string>{})
        << text.key << " (English): " << text.english;
    // The same places for numbers and names in both.
    for (const char* mark : {"{1}", "{2}", "{3}"}) {
      EXPECT_EQ(std::string(text.dutch).find(mark) != std::string::npos,
                std::string(text.english).find(mark) != std::string::npos)
          << text.key << ": " << mark;
    }
  }
}

TEST(ReportWords, TheCheckFindsWordsOfTheOtherLanguageButNotData) {
  // A leak is found, with where it was.
  const std::string page =
      "<html><body><section id=\"regions\"><h3>Groningen</h3><p>Het aandeel van de regio</p>"
      "<p>share of the region</p><svg><title>Kaart</title><text>Regions</text></svg>"
      "<span title=\"municipalities of the region\"></span><style>.the{}</style>"
      "<script type=\"application/json\">{\"the\": 1}</script><code>the_code</code></section></body></html>";
  const auto found = leaks(page, Language::kDutch, {});
  ASSERT_EQ(found.size(), 3u) << joined(found);
  EXPECT_NE(found[0].find("[regions › Groningen] {share, the, region}"), std::string::npos) << found[0];
  EXPECT_NE(found[1].find("{regions}"), std::string::npos) << found[1];
  EXPECT_NE(found[2].find("{municipalities, the, region}"), std::string::npos) << found[2];
  // Names from the data are not language: "Den Haag" and "Land van Cuijk" hold Dutch words.
  const std::string names = "<section id=\"maps\"><p>Den Haag, Land van Cuijk and Het Hogeland</p></section>";
  EXPECT_EQ(leaks(names, Language::kEnglish, {"Land van Cuijk", "Het Hogeland", "Den Haag"}),
            std::vector<std::string>{});
  EXPECT_EQ(leaks(names, Language::kEnglish, {}).size(), 1u);
  // Codes and numbers are not words.
  EXPECT_EQ(words("C1 0,99 · indicator.congruence congruence_c1 GM0363 1.234,5"), std::vector<std::string>{});
}

// Numbers by kind, with each language's separators.
TEST(ReportNumbers, CountsSharesAndValuesInBothLanguages) {
  const Language nl = Language::kDutch, en = Language::kEnglish;
  EXPECT_EQ(report::format_count(93.0, nl), "93");
  EXPECT_EQ(report::format_count(1234567.0, nl), "1.234.567");
  EXPECT_EQ(report::format_count(1234567.0, en), "1,234,567");
  EXPECT_EQ(report::format_count(-1234.0, en), "-1,234");
  EXPECT_EQ(report::format_percent(0.99, nl), "99%");
  EXPECT_EQ(report::format_percent(0.0079, nl), "0,8%");
  EXPECT_EQ(report::format_percent(0.0079, en), "0.8%");
  EXPECT_EQ(report::format_percent(0.0, en), "0%");
  EXPECT_EQ(report::format_decimal(1234.6, nl), "1.235");
  EXPECT_EQ(report::format_decimal(12.34, nl), "12,3");
  EXPECT_EQ(report::format_decimal(0.123, en), "0.12");
  EXPECT_EQ(report::format_decimal(0.0079, nl), "0,0079");
  EXPECT_EQ(report::format_decimal(-0.001, en), "-0.0010");
  EXPECT_EQ(report::format_decimal(-0.0001, en), "-0.00010");
  EXPECT_EQ(report::format_fixed(-0.004, 2, nl), "0,00");  // no "-0,00"
  EXPECT_EQ(report::format_p_value(0.0004, nl), "< 0,001");
  EXPECT_EQ(report::format_p_value(0.0123, en), "0.012");
  EXPECT_EQ(report::format_decimal(std::nan(""), en), "–");
  // A column's kind, or its unit when the kind is not set (tables written before kinds).
  v1::IndicatorColumn column;
  column.set_unit("count");
  EXPECT_EQ(report::format_value(column, 93.0, nl), "93");
  column.set_unit("share (0-1)");
  EXPECT_EQ(report::format_value(column, 0.25, nl), "25%");
  column.set_kind(v1::VALUE_KIND_MEASURE);
  EXPECT_EQ(report::format_value(column, 0.25, nl), "0,25");
  column.set_unit("degrees");
  column.set_kind(v1::VALUE_KIND_UNSPECIFIED);
  EXPECT_EQ(report::format_value(column, 277.0, en), "277");
}

// A run of `pipeline` in `language`, its report and the names that are data.
struct RenderedRun {
  std::string html;
  std::vector<std::string> data;
  std::string error;
};

RenderedRun run_in(const TempDir& dir, const std::string& pipeline, const std::string& dataset_file,
                   const v1::Dataset& dataset, const std::string& language) {
  RenderedRun result;
  const std::string out = dir.file("run-" + std::filesystem::path(pipeline).stem().string() + "-" + language);
  std::vector<std::string> args = {"run", pipeline, "--lang", language, "--out", out, "--quiet"};
  if (!dataset_file.empty()) args.insert(args.end(), {"--dataset", dataset_file});
  const auto run = run_bre(args);
  if (run.exit_code != 0) {
    result.error = "bre run " + pipeline + " --lang " + language + " failed:\n" + run.err;
    return result;
  }
  result.html = read_text(out + "/report.html");
  v1::RunResult run_result;
  if (!run_result.ParseFromString(read_text(out + "/run.pb"))) {
    result.error = out + "/run.pb does not parse";
    return result;
  }
  result.data = data_names(dataset, run_result);
  return result;
}

void expect_one_language(const RenderedRun& run, Language language, const std::string& what) {
  ASSERT_EQ(run.error, "");
  EXPECT_NE(run.html.find(std::string("<html lang=\"") + std::string(language_code(language)) + "\">"),
            std::string::npos);
  const auto found = leaks(run.html, language, run.data);
  EXPECT_TRUE(found.empty()) << what << " in " << language_code(language) << ": " << found.size()
                             << " texts with words of the other language:\n"
                             << joined(found);
}

TEST(ReportLanguage, TheDemoReportIsInOneLanguage) {
  TempDir dir;
  const v1::Dataset demo = demo::generate();
  for (const Language language : {Language::kDutch, Language::kEnglish}) {
    const auto run = run_in(dir, kStandard, "", demo, std::string(language_code(language)));
    expect_one_language(run, language, "the demo report");
  }
}

TEST(ReportLanguage, TheNl2016ReportIsInOneLanguage) {
  if (!std::filesystem::exists(nl2016_data_dir() + "/gemeente_2016_rd.geojson")) {
    GTEST_SKIP() << "nl2016 data not found at " << nl2016_data_dir()
                 << " (set BRE_NL2016_DIR): the nl2016 report's language is not checked";
  }
  TempDir dir;
  const auto imported = run_bre({"import", "nl2016", "--from", nl2016_data_dir(), "--out", dir.file("nl.pb")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  auto dataset = read_dataset(dir.file("nl.pb"));
  ASSERT_TRUE(dataset) << dataset.status().message();
  for (const Language language : {Language::kDutch, Language::kEnglish}) {
    const auto run = run_in(dir, kNl2016, dir.file("nl.pb"), *dataset, std::string(language_code(language)));
    expect_one_language(run, language, "the nl2016 report");
  }
}

}  // namespace
}  // namespace bre::test
