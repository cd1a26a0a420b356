// The HTML report through the real CLI: self-contained, one card per region, both
// languages, deterministic, and clear errors for a wrong dataset or step.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "test_support.hpp"

namespace bre::test {
namespace {

const std::string kStandard = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json";

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

// Region ids of a partition CSV as the writers write it.
std::set<std::string> regions_in(const std::string& csv_path) {
  std::istringstream lines(read_text(csv_path));
  std::string line;
  std::getline(lines, line);  // header
  std::set<std::string> ids;
  while (std::getline(lines, line)) ids.insert(line.substr(0, line.find(',')));
  return ids;
}

class Report : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto run = run_bre({"run", kStandard, "--out", dir_->file("run"), "--quiet"});
    if (run.exit_code != 0) setup_error_ = "bre run failed:\n" + run.err;
  }
  // SetUpTestSuite records its failure instead of asserting: GoogleTest skips a suite
  // whose SetUpTestSuite failed, and ctest would count its tests skipped, not failed.
  void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
  static inline std::string setup_error_;
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
};

TempDir* Report::dir_ = nullptr;

TEST_F(Report, TheStandardPipelineWritesASelfContainedPage) {
  const std::string html = read_text(dir_->file("run/report.html"));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  // Two script elements: the data island and the one inline script the policy admits by hash.
  EXPECT_EQ(count(html, "<script"), 2u);
  EXPECT_NE(html.find("<script type=\"application/json\" id=\"bre-data\">"), std::string::npos);
  EXPECT_NE(html.find("script-src 'sha256-"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  // url() only for references inside the page (a map's hatch pattern), never to a file or host.
  for (std::size_t at = html.find("url("); at != std::string::npos; at = html.find("url(", at + 1)) {
    EXPECT_EQ(html.compare(at, 5, "url(#"), 0) << html.substr(at, 40);
  }
  // The only URLs allowed are XML namespace names, which are never fetched.
  std::regex url(R"((https?:)?//[A-Za-z0-9.-]+)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator(); ++it) {
    EXPECT_EQ(it->str(), "http://www.w3.org") << "a URL in the page";
  }
  EXPECT_NE(html.find("<html lang=\"nl\">"), std::string::npos);
  EXPECT_NE(html.find("Methode"), std::string::npos);
}

TEST_F(Report, OneCardPerRegionOfTheClusteringWithItsResults) {
  const std::string html = read_text(dir_->file("run/report.html"));
  const auto regions = regions_in(dir_->file("run/bre.partition.csv"));
  ASSERT_FALSE(regions.empty());
  EXPECT_EQ(count(html, "class=\"region-card\""), regions.size());
  for (const auto& id : regions) EXPECT_NE(html.find("data-region=\"" + id + "\""), std::string::npos) << id;
  // Every card shows the congruence row and legitimacy of its region.
  EXPECT_EQ(count(html, "data-table=\"congruence\""), regions.size());
  EXPECT_EQ(count(html, "<table class=\"legitimacy\">"), regions.size());
  // Every card shows its region's zoom of the network map (network_<id>.svg).
  EXPECT_EQ(count(html, "<figure class=\"map region-network\">"), regions.size());
  for (const auto& id : regions) {
    const auto card = html.find("id=\"region-" + id + "\"");
    ASSERT_NE(card, std::string::npos) << id;
    const auto zoom = html.find("region-network", card);
    EXPECT_LT(zoom, html.find("</article>", card)) << id;
  }
  // The methods section records every step of the manifest.
  for (const char* step : {"bre", "provinces", "congruence_bre", "legitimacy", "lifecycle"}) {
    EXPECT_NE(html.find("<tr><td>" + std::string(step) + "</td>"), std::string::npos) << step;
  }
}

// The key figures of a card in plain words, numbers by kind with the language's
// separators, no reference to a file the reader does not have, each comparison once.
TEST_F(Report, CardsExplainTheirKeyFiguresInPlainWordsWithNumbersByKind) {
  const std::string html = read_text(dir_->file("run/report.html"));
  const auto regions = regions_in(dir_->file("run/bre.partition.csv"));
  EXPECT_EQ(count(html, "van de samenwerkingsbanden van deze gemeenten blijft binnen de regio"), regions.size());
  EXPECT_EQ(count(html, "<div class=\"key-figures\">"), regions.size());
  // C1 as a decimal with a comma, its line as a percentage: "C1 0,99</strong>: 99% van ...".
  const std::regex c1(R"(<strong>C1 (\d,\d\d)</strong>: (\d+(,\d)?)% van de samenwerkingsbanden)");
  std::size_t explained = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), c1); it != std::sregex_iterator(); ++it) ++explained;
  EXPECT_EQ(explained, regions.size());
  EXPECT_EQ(html.find("<strong>C1 0."), std::string::npos);
  EXPECT_NE(html.find("Dagelijks stedelijk systeem"), std::string::npos);
  EXPECT_EQ(html.find("<strong>Daily urban system"), std::string::npos);
  EXPECT_EQ(html.find("Eén kaart per regio"), std::string::npos);
  // Counts are whole numbers: the municipalities row of each card's congruence table.
  const std::regex municipalities(R"(data-table="congruence">.*?<td class="num">([^<]*)</td>)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), municipalities); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(std::regex_match((*it)[1].str(), std::regex(R"(\d+)"))) << (*it)[1];
  }
  // The definitions are on the page, not in a file.
  EXPECT_EQ(html.find(".md"), std::string::npos) << html.substr(html.find(".md") - 80, 120);
  EXPECT_NE(html.find("Congruentie 1 (C1, territoriaal)"), std::string::npos);
  // Every pair of partitions once in the comparison table.
  const auto at = html.find("<section id=\"comparison\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  const std::regex pair(R"(<tr><td>([^<]+)</td><td>([^<]+)</td><td class="num">)");
  std::set<std::pair<std::string, std::string>> pairs;
  for (auto it = std::sregex_iterator(section.begin(), section.end(), pair); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(pairs.emplace(std::minmax((*it)[1].str(), (*it)[2].str())).second) << (*it)[0];
  }
  EXPECT_FALSE(pairs.empty());
}

TEST_F(Report, TheScaleSectionShowsTheProfileAndNamesTheSelectedPlateau) {
  const std::string html = read_text(dir_->file("run/report.html"));
  const auto at = html.find("<section id=\"scale\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  // The selected plateau: the bre step's region count, as scale_plateaus records it.
  const auto regions = regions_in(dir_->file("run/bre.partition.csv"));
  const std::string plateaus = read_text(dir_->file("run/bre.scale_plateaus.csv"));
  std::size_t stable = 0;
  for (std::size_t p = plateaus.find(",stable,"); p != std::string::npos; p = plateaus.find(",stable,", p + 1)) ++stable;
  EXPECT_GE(stable, 1u);
  EXPECT_NE(section.find("indeling in " + std::to_string(regions.size()) + " regio&apos;s dezelfde"), std::string::npos)
      << section.substr(0, 600);
  EXPECT_NE(section.find("Van de " + std::to_string(stable) + " stabiele plateaus is dit het breedste"),
            std::string::npos);
  EXPECT_EQ(count(section, "class=\"plateau\""), stable);  // one shaded band per stable plateau
  EXPECT_NE(section.find("class=\"regions\""), std::string::npos);
  EXPECT_NE(section.find("class=\"agreement\""), std::string::npos);
  // Each card names the region of the coarser level it is part of.
  EXPECT_EQ(count(html, "<li><strong>Onderdeel van "), regions.size());
  EXPECT_NE(html.find("href=\"#scale\""), std::string::npos);
}

TEST_F(Report, TheVariationSectionAnswersWithAChartATableAndCaveats) {
  const std::string html = read_text(dir_->file("run/report.html"));
  const auto at = html.find("<section id=\"variation\">");
  ASSERT_NE(at, std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  EXPECT_NE(html.find("href=\"#variation\""), std::string::npos);
  // The run is Dutch (the pipeline names no language): so are the analysis' sentences.
  EXPECT_NE(section.find("Is er variatie tussen BRE"), std::string::npos);
  EXPECT_NE(section.find("Wat hangt ermee samen?"), std::string::npos);
  // One bar or "not estimable" per outcome of variation.variance.csv's intercept-only rows.
  std::istringstream lines(read_text(dir_->file("run/variation.variance.csv")));
  std::string line;
  std::size_t outcomes = 0, fitted = 0;
  while (std::getline(lines, line)) {
    if (line.find(",intercept only,") == std::string::npos) continue;
    ++outcomes;
    fitted += line.find(",intercept only,1,") != std::string::npos ? 1 : 0;
  }
  EXPECT_GE(outcomes, 7u);  // five legitimacy dimensions, broad well-being level and trend
  EXPECT_EQ(count(section, "data-outcome=\""), fitted);
  EXPECT_EQ(count(section, "niet te schatten"), outcomes - fitted);
  EXPECT_NE(section.find("<table class=\"associations\">"), std::string::npos);
  EXPECT_NE(section.find("Kanttekeningen"), std::string::npos);
  EXPECT_EQ(section.find(">nan<"), std::string::npos);
  EXPECT_EQ(section.find(">NaN<"), std::string::npos);
}

// The text of an element as HTML escaped it (the five entities escape_xml writes).
std::string unescape_html(std::string text) {
  for (const auto& [entity, character] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
    for (auto at = text.find(entity); at != std::string::npos; at = text.find(entity, at + character.size())) {
      text.replace(at, entity.size(), character);
    }
  }
  return text;
}

TEST_F(Report, ThePipelineInTheCiteBoxReproducesTheRunByteForByte) {
  const std::string html = read_text(dir_->file("run/report.html"));
  const std::string open = "id=\"pipeline-json\" data-file=\"standard.json\"><code>";
  const auto begin = html.find(open);
  ASSERT_NE(begin, std::string::npos);
  const auto end = html.find("</code></pre>", begin);
  write_text(dir_->file("standard.json"), unescape_html(html.substr(begin + open.size(), end - begin - open.size())));
  EXPECT_NE(html.find("bre run standard.json --seed 1 --out RUN"), std::string::npos);
  const auto rerun = run_bre({"run", dir_->file("standard.json"), "--seed", "1", "--out", dir_->file("rerun"), "--quiet"});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  for (const char* file : {"report.html", "manifest.json", "run.pb", "bre.partition.csv"}) {
    EXPECT_EQ(read_text(dir_->file(std::string("rerun/") + file)), read_text(dir_->file(std::string("run/") + file))) << file;
  }
}

// English is a run in English (its plugins write their texts in the run's language);
// bre report renders it in that language, the same bytes every time.
TEST_F(Report, ReportCommandRendersAnEnglishRunInEnglishAndIsDeterministic) {
  const auto run = run_bre({"run", kStandard, "--lang", "en", "--out", dir_->file("run-en"), "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto en = run_bre({"report", dir_->file("run-en"), "--out", dir_->file("en.html")});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("report: " + dir_->file("en.html")), std::string::npos);
  const std::string html = read_text(dir_->file("en.html"));
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("Methods"), std::string::npos);
  EXPECT_NE(read_text(dir_->file("run-en/report.html")).find("<html lang=\"en\">"), std::string::npos);
  const auto again = run_bre({"report", dir_->file("run-en"), "--lang", "en", "--out", dir_->file("en2.html")});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_text(dir_->file("en2.html")), html);
  // The command reports the whole run, the pipeline's step what its inputs hold: the
  // same region cards in both, and in both languages.
  const auto nl = run_bre({"report", dir_->file("run"), "--out", dir_->file("nl.html")});
  ASSERT_EQ(nl.exit_code, 0) << nl.err;
  std::regex card("data-region=\"([^\"]+)\"");
  auto cards = [&](const std::string& page) {
    std::vector<std::string> ids;
    for (auto it = std::sregex_iterator(page.begin(), page.end(), card); it != std::sregex_iterator(); ++it) {
      ids.push_back((*it)[1]);
    }
    return ids;
  };
  EXPECT_EQ(cards(read_text(dir_->file("nl.html"))), cards(read_text(dir_->file("run/report.html"))));
  EXPECT_EQ(cards(html), cards(read_text(dir_->file("run/report.html"))));
}

TEST_F(Report, RefusesAnotherDatasetAnUnknownStepAndALanguage) {
  TempDir other;
  ASSERT_EQ(run_bre({"dataset", "demo", other.file("demo7.pb"), "--seed", "7"}).exit_code, 0);
  const auto wrong = run_bre({"report", dir_->file("run"), "--dataset", other.file("demo7.pb"), "--out", other.file("r.html")});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("is not the dataset of this run"), std::string::npos) << wrong.err;
  const auto step = run_bre({"report", dir_->file("run"), "--partition", "nope", "--out", other.file("r.html")});
  EXPECT_EQ(step.exit_code, 2);
  EXPECT_NE(step.err.find("partition step 'nope': no step of that id produced a partition"), std::string::npos)
      << step.err;
  const auto lang = run_bre({"report", dir_->file("run"), "--lang", "de", "--out", other.file("r.html")});
  EXPECT_EQ(lang.exit_code, 2);
  EXPECT_NE(lang.err.find("expected nl or en, found 'de'"), std::string::npos) << lang.err;
  // A Dutch run's plugins wrote Dutch: an English page of it would mix the two.
  const auto english = run_bre({"report", dir_->file("run"), "--lang", "en", "--out", other.file("r.html")});
  EXPECT_EQ(english.exit_code, 2);
  EXPECT_NE(english.err.find("--lang en: this run's texts are in nl; run the pipeline again with --lang en"),
            std::string::npos)
      << english.err;
  EXPECT_FALSE(std::filesystem::exists(other.file("r.html")));
  const auto missing = run_bre({"report", other.path()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("run.pb"), std::string::npos) << missing.err;
}

TEST_F(Report, RunJsonSummaryAndQuietOutput) {
  TempDir out;
  const auto json = run_bre({"run", kStandard, "--out", out.file("run"), "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"status\": \"succeeded\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"id\": \"report\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("report.html"), std::string::npos);
  EXPECT_EQ(json.out.find("results:"), std::string::npos);  // nothing but the JSON object
  const auto quiet = run_bre({"run", kStandard, "--out", out.file("run"), "--quiet"});
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(quiet.err, "");  // not a terminal: no progress either
}

}  // namespace
}  // namespace bre::test
