// `bre map network|partition|value`: the real executable writes SVG maps that parse,
// reads partitions from a run and from the CSV that runs write, and refuses bad input
// with the file, line and what was wrong.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "svg_inspect.hpp"
#include "test_support.hpp"

namespace {

using bre::test::run_bre;
using bre::test::TempDir;

constexpr int kDemoMunicipalities = 294;

TEST(MapCli, NetworkMapOfTheDemo) {
  TempDir dir;
  auto r = run_bre({"map", "network", "--weighting", "fractional", "--classes", "4", "--out", dir.file("n.svg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto map = bre::test::inspect_svg(bre::test::read_text(dir.file("n.svg")));
  ASSERT_TRUE(map.parsed) << map.error;
  EXPECT_EQ(map.coded_paths, kDemoMunicipalities);
  EXPECT_EQ(map.paths, kDemoMunicipalities + 1);  // and the faded ties, one path
  EXPECT_GT(map.tie_lines, 500);
  EXPECT_LE(map.tie_strokes.size(), 4u);

  auto bad = run_bre({"map", "network", "--weighting", "heavy", "--out", dir.file("bad.svg")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--weighting"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("found 'heavy'"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("bad.svg")));
}

TEST(MapCli, PartitionFromRunAndFromCsvAgree) {
  TempDir dir;
  bre::test::write_text(dir.file("p.json"),
                        R"({"steps": [{"id": "bre", "plugin": "clustering.igraph_leiden"}]})");
  auto run = run_bre({"run", dir.file("p.json"), "--out", dir.file("run"), "--threads", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto from_run = run_bre({"map", "partition", "--partition", dir.file("run/run.pb") + ":bre", "--out",
                           dir.file("a.svg")});
  ASSERT_EQ(from_run.exit_code, 0) << from_run.err;
  auto from_csv = run_bre({"map", "partition", "--partition", dir.file("run/bre.partition.csv"), "--label", "id",
                           "--out", dir.file("b.svg")});
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
  const auto a = bre::test::inspect_svg(bre::test::read_text(dir.file("a.svg")));
  const auto b = bre::test::inspect_svg(bre::test::read_text(dir.file("b.svg")));
  ASSERT_TRUE(a.parsed && b.parsed) << a.error << b.error;
  EXPECT_EQ(a.coded_paths, kDemoMunicipalities);
  EXPECT_EQ(a.fill_by_code, b.fill_by_code);
  EXPECT_EQ(a.labels.size(), b.labels.size());
  ASSERT_FALSE(b.labels.empty());
  EXPECT_EQ(b.labels[0], "R01");

  auto missing_step = run_bre({"map", "partition", "--partition", dir.file("run/run.pb") + ":nope", "--out",
                               dir.file("c.svg")});
  EXPECT_EQ(missing_step.exit_code, 2);
  EXPECT_NE(missing_step.err.find("step 'nope'"), std::string::npos) << missing_step.err;
  EXPECT_NE(missing_step.err.find("steps with one: bre"), std::string::npos) << missing_step.err;
  auto bad_spec = run_bre({"map", "partition", "--partition", dir.file("partition.txt"), "--out", dir.file("c.svg")});
  EXPECT_EQ(bad_spec.exit_code, 2);
  EXPECT_NE(bad_spec.err.find("RUN_DIR/run.pb:STEP"), std::string::npos) << bad_spec.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("c.svg")));
}

TEST(MapCli, PartitionCsvOfAnotherDatasetIsRefused) {
  TempDir dir;
  bre::test::write_text(dir.file("p.csv"),
                        "region_id,region_name,municipality_code,municipality_name\n"
                        "R01,\"Regio, Noord\",GM0001,Aa\n"
                        "R01,\"Regio, Noord\",GM9999,Elders\n");
  auto r = run_bre({"map", "partition", "--partition", dir.file("p.csv"), "--out", dir.file("p.svg")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p.csv:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("GM9999"), std::string::npos) << r.err;

  // Codes of the demo, but not all of them: the partition is of another dataset.
  bre::test::write_text(dir.file("q.csv"),
                        "region_id,region_name,municipality_code,municipality_name\nR01,Noord,GM0001,Aa\n");
  auto partial = run_bre({"map", "partition", "--partition", dir.file("q.csv"), "--out", dir.file("q.svg")});
  EXPECT_EQ(partial.exit_code, 2);
  EXPECT_NE(partial.err.find("in neither"), std::string::npos) << partial.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("q.svg")));
}

TEST(MapCli, ValueMapAndItsErrors) {
  TempDir dir;
  bre::test::write_text(dir.file("v.csv"), "code,value\nGM0001,0.5\nGM0002,\nGM0003,0.75\nGM0004,1\n");
  auto ok = run_bre({"map", "value", "--values", dir.file("v.csv"), "--legend", "Share <&>", "--method",
                     "equal_interval", "--classes", "2", "--lang", "en", "--out", dir.file("v.svg")});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const auto map = bre::test::inspect_svg(bre::test::read_text(dir.file("v.svg")));
  ASSERT_TRUE(map.parsed) << map.error;
  EXPECT_EQ(map.coded_paths, kDemoMunicipalities);
  ASSERT_EQ(map.legend_texts.size(), 4u);
  EXPECT_EQ(map.legend_texts[0], "Share <&>");
  EXPECT_EQ(map.legend_texts[1], "0.500 (1)");
  EXPECT_EQ(map.legend_texts[2], "0.750 \u2013 1.000 (2)");
  EXPECT_EQ(map.legend_texts[3], "no value (" + std::to_string(kDemoMunicipalities - 3) + ")");

  // Dutch by default: decimal comma, Dutch words.
  auto dutch = run_bre({"map", "value", "--values", dir.file("v.csv"), "--method", "equal_interval", "--classes", "2",
                        "--out", dir.file("nl.svg")});
  ASSERT_EQ(dutch.exit_code, 0) << dutch.err;
  const auto dutch_map = bre::test::inspect_svg(bre::test::read_text(dir.file("nl.svg")));
  ASSERT_EQ(dutch_map.legend_texts.size(), 4u);
  EXPECT_EQ(dutch_map.legend_texts[0], "Waarde");
  EXPECT_EQ(dutch_map.legend_texts[2], "0,750 \u2013 1,000 (2)");
  auto wrong_language = run_bre({"map", "value", "--values", dir.file("v.csv"), "--lang", "de", "--out", dir.file("de.svg")});
  EXPECT_EQ(wrong_language.exit_code, 2);
  EXPECT_NE(wrong_language.err.find("--lang"), std::string::npos) << wrong_language.err;

  bre::test::write_text(dir.file("unknown.csv"), "code,value\nGM0001,1\nGM0999,2\n");
  auto unknown = run_bre({"map", "value", "--values", dir.file("unknown.csv"), "--out", dir.file("u.svg")});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown.csv:3: unknown municipality code 'GM0999'"), std::string::npos) << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("u.svg")));

  bre::test::write_text(dir.file("text.csv"), "code,value\nGM0001,high\n");
  auto text = run_bre({"map", "value", "--values", dir.file("text.csv"), "--out", dir.file("t.svg")});
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_NE(text.err.find("text.csv:2: value: expected a finite number"), std::string::npos) << text.err;

  bre::test::write_text(dir.file("semicolon.csv"), "code;value\nGM0001;1\n");
  auto semicolon = run_bre({"map", "value", "--values", dir.file("semicolon.csv"), "--out", dir.file("s.svg")});
  EXPECT_EQ(semicolon.exit_code, 2);
  EXPECT_NE(semicolon.err.find("expected the header code,value, found 'code;value'"), std::string::npos)
      << semicolon.err;

  bre::test::write_text(dir.file("twice.csv"), "code,value\nGM0001,1\nGM0001,2\n");
  auto twice = run_bre({"map", "value", "--values", dir.file("twice.csv"), "--out", dir.file("w.svg")});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("twice.csv:3: 'GM0001' has a value already on line 2"), std::string::npos) << twice.err;
}

TEST(MapCli, EmptyDatasetIsRefused) {
  TempDir dir;
  bre::test::write_text(dir.file("empty.json"), R"({"name": "empty"})");
  auto r = run_bre({"map", "network", "--dataset", dir.file("empty.json"), "--out", dir.file("e.svg")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("empty.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("municipalit"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("e.svg")));
}

}  // namespace
