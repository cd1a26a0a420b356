// One language per run: every text the plugins write for people (warnings, column
// labels, units and definitions, summary-row names, network descriptions, legitimacy
// and analysis sentences, the life-cycle texts of the run's language) is checked for
// words of the other language, on the standard pipeline (demo data) and, when the
// public 2016 data is next to the checkout (../shared/data/nl2016), on the nl2016
// pipeline; both run with --lang nl and --lang en. Everything but the texts must be
// byte-identical between the two languages.
//
// The word lists are frequent function and domain words that occur in one language
// only. Names and codes from the dataset (municipality, region, indicator and
// arrangement names, case ids) are removed from a text before it is checked, and so
// are identifiers (words with '_' or digits, words in single quotes). The report and
// map steps (report.*) are left out: their texts are checked by their own tests.
#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bre/demo.hpp"
#include "bre/v1/dataset.pb.h"
#include "bre/v1/pipeline.pb.h"
#include "test_support.hpp"

namespace bre::test {
namespace {

// Words of English that Dutch texts do not use (nor Dutch spellings of them).
const std::set<std::string> kEnglishWords = {
    "the",        "and",      "with",      "without",      "which",    "are",       "has",
    "have",       "not",        "no",       "for",       "when",         "than",     "from",      "to",
    "by",         "or",         "be",       "its",       "their",        "it",       "at",        "on",
    "this",       "that",       "there",    "each",      "every",        "all",      "one",       "left",
    "out",        "between",    "within",   "share",     "mean",         "value",    "values",    "missing",
    "number",     "weighted",   "lowest",   "highest",   "national",     "municipality", "municipalities",
    "region",     "regions",    "arrangement", "arrangements", "respondents", "theme",   "level",     "partition",
    "stage",      "case",       "cases",    "legitimacy", "well-being",  "network",  "commuters", "flows",
    "outgoing",   "destination", "ties",    "tie",       "step",         "counted",  "spread",    "ranges",
    "whether",    "against",    "higher",   "lower",     "differ",       "evidence", "association", "variance"};

// Words of Dutch that English texts do not use.
const std::set<std::string> kDutchWords = {
    "de",        "het",       "een",        "van",        "en",       "niet",     "geen",      "zijn",
    "wordt",     "worden",    "voor",       "bij",      "naar",     "dat",       "die",
    "als",       "ook",       "tussen",     "gemeente",   "gemeenten", "regio",   "regio's",   "aandeel",
    "gemiddelde", "gemiddeld", "waarde",    "waarden",    "heeft",    "hebben",   "uit",       "zonder",
    "onder",     "binnen",    "landelijke", "landelijk",  "hun",      "haar",     "alle",      "elke",
    "op",        "te",        "tot",        "om",         "er",       "thema",     "legitimiteit",
    "brede",     "welvaart",  "niveau",     "stap",       "casus",    "fase",     "ontbrekende", "aantal",
    "samenwerkingsverbanden", "samenwerkingsverband",     "weggelaten", "ingedeeld", "tellen",  "telt",
    "laagste",   "hoogste",   "verschillen", "samenhang", "variantie", "pendelaars", "netwerk", "banden"};

struct Text {
  std::string step;
  std::string where;  // which field
  std::string text;
};

// Every text for people a step wrote, in the run's language (`dutch`).
std::vector<Text> texts_of(const v1::StepResult& step, bool dutch) {
  std::vector<Text> texts;
  auto add = [&](const std::string& where, const std::string& text) {
    if (!text.empty()) texts.push_back({step.step_id(), where, text});
  };
  const v1::Artifacts& a = step.artifacts();
  for (const std::string& warning : a.warnings()) add("warning", warning);
  for (const v1::IndicatorTable& table : a.tables()) {
    for (const v1::IndicatorColumn& column : table.columns()) {
      const std::string where = "table " + table.name() + " column " + column.id();
      add(where + " label", column.label());
      add(where + " unit", column.unit());
      add(where + " doc", column.doc());
    }
    for (const v1::IndicatorRow& row : table.summary_rows()) add("table " + table.name() + " row", row.region_name());
  }
  for (const v1::Network& network : a.networks()) add("network " + network.name(), network.description());
  for (const v1::LegitimacyResult& legitimacy : a.legitimacy()) {
    for (const v1::DimensionSummary& d : legitimacy.dimensions()) add("legitimacy summary", d.summary());
    for (const v1::LegitimacyCorrelation& c : legitimacy.correlations()) add("legitimacy correlation", c.summary());
    add("legitimacy output gap", legitimacy.output_gap_summary());
    for (const auto& gap : legitimacy.region_output_gaps()) {
      if (gap.region_id() == "NL") add("legitimacy output gap row", gap.region_name());
    }
    for (const std::string& line : legitimacy.unassigned()) add("legitimacy unassigned", line);
  }
  for (const v1::LifecycleResult& lifecycle : a.lifecycle()) {
    for (const v1::LifecycleAssessment& assessment : lifecycle.assessments()) {
      add("lifecycle stage", dutch ? assessment.stage_label_nl() : assessment.stage_label_en());
      for (const auto& e : assessment.evidence()) add("lifecycle evidence", dutch ? e.text_nl() : e.text_en());
      for (const auto& d : assessment.directions()) add("lifecycle direction", dutch ? d.label_nl() : d.label_en());
      for (const auto& r : assessment.recommendations()) {
        add("lifecycle recommendation", dutch ? r.text_nl() : r.text_en());
      }
    }
  }
  for (const v1::AnalysisResult& analysis : a.analyses()) {
    for (const auto& d : analysis.decompositions()) {
      add("analysis label", d.label());
      add("analysis summary", d.summary());
      add("analysis note", d.note());
    }
    for (const auto& association : analysis.associations()) {
      add("association summary", association.summary());
      add("association note", association.note());
    }
    add("analysis power note", analysis.power_note());
    for (const std::string& answer : analysis.answers()) add("analysis answer", answer);
  }
  for (const v1::Document& document : a.documents()) add("document " + document.name(), document.title());
  return texts;
}

// The step's artifacts with every text cleared: what must not depend on the language.
v1::Artifacts without_texts(v1::Artifacts a) {
  a.clear_warnings();
  for (v1::IndicatorTable& table : *a.mutable_tables()) {
    for (v1::IndicatorColumn& column : *table.mutable_columns()) {
      column.clear_label();
      column.clear_unit();
      column.clear_doc();
    }
    for (v1::IndicatorRow& row : *table.mutable_rows()) row.clear_region_name();
    for (v1::IndicatorRow& row : *table.mutable_summary_rows()) row.clear_region_name();
  }
  for (v1::Network& network : *a.mutable_networks()) network.clear_description();
  for (v1::LegitimacyResult& legitimacy : *a.mutable_legitimacy()) {
    for (auto& d : *legitimacy.mutable_dimensions()) d.clear_summary();
    for (auto& c : *legitimacy.mutable_correlations()) c.clear_summary();
    legitimacy.clear_output_gap_summary();
    for (auto& gap : *legitimacy.mutable_region_output_gaps()) {
      if (gap.region_id() == "NL") gap.clear_region_name();
    }
    // "respondent: reason": the respondent stays, the reason is a text.
    for (std::string& line : *legitimacy.mutable_unassigned()) line = line.substr(0, line.find(':'));
  }
  for (v1::AnalysisResult& analysis : *a.mutable_analyses()) {
    for (auto& d : *analysis.mutable_decompositions()) {
      d.clear_label();
      d.clear_summary();
      d.clear_note();
    }
    for (auto& association : *analysis.mutable_associations()) {
      association.clear_summary();
      association.clear_note();
    }
    analysis.clear_power_note();
    analysis.clear_answers();
  }
  for (v1::Document& document : *a.mutable_documents()) document.clear_title();
  return a;
}

// Every string of a message (names, ids, codes), recursively: the dataset's own words.
void collect_strings(const google::protobuf::Message& message, std::set<std::string>& out) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const auto* field : fields) {
    using Type = google::protobuf::FieldDescriptor::CppType;
    if (field->cpp_type() == Type::CPPTYPE_STRING) {
      auto keep = [&](const std::string& text) {
        if (text.size() >= 2 && text.size() <= 200) out.insert(text);
      };
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) keep(reflection->GetRepeatedString(message, field, i));
      } else {
        keep(reflection->GetString(message, field));
      }
    } else if (field->cpp_type() == Type::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          collect_strings(reflection->GetRepeatedMessage(message, field, i), out);
        }
      } else {
        collect_strings(reflection->GetMessage(message, field), out);
      }
    }
  }
}

bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80) != 0; }

// `text` with every whole-word occurrence of a dataset name blanked out.
std::string without_names(std::string text, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    for (std::size_t at = text.find(name); at != std::string::npos; at = text.find(name, at + 1)) {
      const bool starts = at == 0 || !is_letter(text[at - 1]);
      const bool ends = at + name.size() >= text.size() || !is_letter(text[at + name.size()]);
      if (starts && ends) text.replace(at, name.size(), std::string(name.size(), ' '));
    }
  }
  return text;
}

// The lower-case words of `text` that are neither identifiers nor quoted.
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  bool quoted = false;
  std::string word;
  auto flush = [&] {
    const bool identifier = std::any_of(word.begin(), word.end(), [](char c) {
      return c == '_' || std::isdigit(static_cast<unsigned char>(c));
    });
    const bool closes_quote = !word.empty() && word.back() == '\'';
    while (!word.empty() && word.back() == '\'') word.pop_back();
    if (!word.empty() && !identifier && !quoted) words.push_back(word);
    if (closes_quote && quoted) quoted = false;
    word.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool inside = is_letter(c) || c == '_' || std::isdigit(static_cast<unsigned char>(c)) ||
                        ((c == '\'' || c == '-') && !word.empty());
    if (inside) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      continue;
    }
    flush();
    // A quote that opens or closes an identifier: 'R01', 'unassigned'.
    if (c == '\'') quoted = !quoted;
  }
  flush();
  return words;
}

struct Run {
  v1::RunResult result;
  std::map<std::string, std::string> plugin_of;  // step id -> plugin
};

Run run_pipeline(const std::string& pipeline, const std::vector<std::string>& extra, const std::string& language,
                 const TempDir& dir) {
  Run run;
  std::vector<std::string> args = {"run", pipeline, "--out", dir.file("run-" + language), "--quiet", "--lang", language};
  args.insert(args.end(), extra.begin(), extra.end());
  const CommandResult done = run_bre(args);
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_TRUE(run.result.ParseFromString(read_text(dir.file("run-" + language + "/run.pb"))));
  for (const v1::StepSpec& step : run.result.manifest().pipeline().steps()) run.plugin_of[step.id()] = step.plugin();
  return run;
}

bool is_report_step(const Run& run, const std::string& step) {
  const auto found = run.plugin_of.find(step);
  return found != run.plugin_of.end() && found->second.rfind("report.", 0) == 0;
}

// Fails on every text of `run` that holds a word of the other language; prints it with
// the step and field that wrote it.
void expect_one_language(const Run& run, bool dutch, const std::vector<std::string>& names) {
  const std::set<std::string>& foreign = dutch ? kEnglishWords : kDutchWords;
  int checked = 0;
  std::ostringstream offending;
  int offences = 0;
  for (const v1::StepResult& step : run.result.steps()) {
    if (is_report_step(run, step.step_id())) continue;
    for (const Text& text : texts_of(step, dutch)) {
      ++checked;
      std::set<std::string> found;
      for (const std::string& word : words_of(without_names(text.text, names))) {
        if (foreign.count(word) != 0) found.insert(word);
      }
      if (found.empty()) continue;
      ++offences;
      offending << "  step '" << text.step << "', " << text.where << " [";
      for (const std::string& word : found) offending << " " << word;
      offending << " ]: " << text.text << "\n";
    }
  }
  EXPECT_GT(checked, 50) << "too few texts found to check";
  EXPECT_EQ(offences, 0) << offences << " text(s) of a " << (dutch ? "Dutch" : "English")
                         << " run hold words of the other language:\n"
                         << offending.str();
}

// Everything but the texts is the same in both runs, step by step.
void expect_same_results(const Run& nl, const Run& en) {
  ASSERT_EQ(nl.result.steps_size(), en.result.steps_size());
  for (int s = 0; s < nl.result.steps_size(); ++s) {
    const v1::StepResult& a = nl.result.steps(s);
    const v1::StepResult& b = en.result.steps(s);
    ASSERT_EQ(a.step_id(), b.step_id());
    EXPECT_EQ(a.status(), b.status()) << a.step_id();
    if (is_report_step(nl, a.step_id())) continue;
    EXPECT_EQ(without_texts(a.artifacts()).SerializeAsString(), without_texts(b.artifacts()).SerializeAsString())
        << "step '" << a.step_id() << "' differs between nl and en in more than its texts";
  }
}

std::vector<std::string> names_of(const v1::Dataset& dataset, const Run& run) {
  std::set<std::string> strings;
  collect_strings(dataset, strings);
  for (const v1::StepResult& step : run.result.steps()) {
    for (const v1::Partition& partition : step.artifacts().partitions()) {
      for (const v1::Region& region : partition.regions()) strings.insert(region.name());
    }
  }
  std::vector<std::string> names(strings.begin(), strings.end());
  // Longest first, so that "Zuid-Holland Zuid" goes before "Zuid-Holland".
  std::stable_sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return names;
}

void check_pipeline(const std::string& pipeline, const std::vector<std::string>& extra, const v1::Dataset& dataset) {
  TempDir dir;
  const Run nl = run_pipeline(pipeline, extra, "nl", dir);
  const Run en = run_pipeline(pipeline, extra, "en", dir);
  ASSERT_EQ(nl.result.manifest().pipeline().language(), "nl");
  ASSERT_EQ(en.result.manifest().pipeline().language(), "en");
  const std::vector<std::string> names = names_of(dataset, nl);
  expect_one_language(nl, true, names);
  expect_one_language(en, false, names);
  expect_same_results(nl, en);
}

TEST(RunLanguage, TheWordListsDoNotShareAWord) {
  for (const std::string& word : kEnglishWords) EXPECT_EQ(kDutchWords.count(word), 0u) << word;
}

TEST(RunLanguage, WordsLeaveOutIdentifiersAndQuotes) {
  EXPECT_EQ(words_of("stap 'bre': min_region_size 3 van de 'the regions'"),
            (std::vector<std::string>{"stap", "van", "de"}));
  EXPECT_EQ(words_of("Regio's met één gemeente"), (std::vector<std::string>{"regio's", "met", "één", "gemeente"}));
  EXPECT_EQ(without_names("Zuid-Holland Zuid en de rest", {"Zuid-Holland Zuid"}).find("Zuid"), std::string::npos);
}

TEST(RunLanguage, TheStandardPipelineWritesEachRunInOneLanguage) {
  check_pipeline(std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json", {}, demo::generate());
}

TEST(RunLanguage, TheNl2016PipelineWritesEachRunInOneLanguage) {
  const std::string data = std::string(BRE_SOURCE_DIR) + "/../shared/data/nl2016";
  if (!std::filesystem::exists(data + "/gemeente_2016_rd.geojson")) {
    GTEST_SKIP() << "no nl2016 data at " << data << " (the public 2016 data is not next to the checkout)";
  }
  TempDir dir;
  const std::string dataset_path = dir.file("nl2016.pb");
  const CommandResult imported =
      run_bre({"import", "nl2016", "--from", data, "--out", dataset_path, "--report", dir.file("report.csv")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  v1::Dataset dataset;
  ASSERT_TRUE(dataset.ParseFromString(read_text(dataset_path)));
  check_pipeline(std::string(BRE_SOURCE_DIR) + "/examples/pipelines/nl2016.json", {"--dataset", dataset_path},
                 dataset);
}

}  // namespace
}  // namespace bre::test
