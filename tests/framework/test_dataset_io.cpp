// Dataset reading, writing, conversion and validation.
#include <gtest/gtest.h>

#include <filesystem>

#include "bre/dataset.hpp"
#include "bre/io.hpp"
#include "test_support.hpp"

namespace {

using bre::test::TempDir;

TEST(DatasetIo, BinaryAndJsonRoundTrip) {
  TempDir dir;
  const auto original = bre::test::small_dataset();
  ASSERT_TRUE(bre::write_dataset(original, dir.file("d.pb")).is_ok());
  ASSERT_TRUE(bre::write_dataset(original, dir.file("d.json")).is_ok());
  auto from_binary = bre::read_dataset(dir.file("d.pb"));
  auto from_json = bre::read_dataset(dir.file("d.json"));
  ASSERT_TRUE(from_binary) << from_binary.status().message();
  ASSERT_TRUE(from_json) << from_json.status().message();
  EXPECT_EQ(bre::to_binary(*from_binary), bre::to_binary(original));
  EXPECT_EQ(bre::to_binary(*from_json), bre::to_binary(original));
  EXPECT_EQ(bre::dataset_sha256(*from_json), bre::dataset_sha256(original));
}

TEST(DatasetIo, NoTemporaryFilesLeftBehind) {
  TempDir dir;
  ASSERT_TRUE(bre::write_dataset(bre::test::small_dataset(), dir.file("d.pb")).is_ok());
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(DatasetIo, WriteIntoMissingDirectoryFailsCleanly) {
  TempDir dir;
  auto status = bre::write_dataset(bre::test::small_dataset(), dir.file("missing/d.pb"));
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("missing/d.pb"), std::string::npos);
}

TEST(DatasetIo, CorruptBinaryNamesTheFile) {
  TempDir dir;
  const std::string path = dir.file("corrupt.pb");
  const char corrupt[] = "\x0a\xff\xff\xff\xff\x0f garbage";  // a length that runs past the end
  bre::test::write_text(path, std::string(corrupt, sizeof corrupt - 1));
  auto read = bre::read_dataset(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.status().code(), bre::StatusCode::kInvalidArgument);
  EXPECT_NE(read.status().message().find(path + ": not a valid bre.v1.Dataset"), std::string::npos);
}

TEST(DatasetIo, TruncatedBinaryIsRejected) {
  TempDir dir;
  const std::string bytes = bre::to_binary(bre::test::small_dataset());
  bre::test::write_text(dir.file("t.pb"), bytes.substr(0, bytes.size() / 2));
  EXPECT_FALSE(bre::read_dataset(dir.file("t.pb")));
}

TEST(DatasetIo, JsonUnknownFieldIsAnError) {
  TempDir dir;
  bre::test::write_text(dir.file("d.json"), R"({"name": "x", "municipalitys": []})");
  auto read = bre::read_dataset(dir.file("d.json"));
  ASSERT_FALSE(read);
  EXPECT_NE(read.status().message().find("municipalitys"), std::string::npos) << read.status().message();
  EXPECT_NE(read.status().message().find(dir.file("d.json")), std::string::npos);
}

TEST(DatasetIo, JsonWrongTypeIsAnError) {
  TempDir dir;
  bre::test::write_text(dir.file("d.json"), R"({"name": "x", "municipalities": [{"code": "GM1", "population": "many"}]})");
  auto read = bre::read_dataset(dir.file("d.json"));
  ASSERT_FALSE(read);
  EXPECT_NE(read.status().message().find("population"), std::string::npos) << read.status().message();
}

TEST(DatasetIo, MissingFileIsNotFound) {
  auto read = bre::read_dataset("/nonexistent/d.pb");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.status().code(), bre::StatusCode::kNotFound);
}

TEST(DatasetValidation, SmallDatasetIsValid) {
  EXPECT_TRUE(bre::validate_dataset(bre::test::small_dataset()).empty());
}

TEST(DatasetValidation, EmptyDatasetIsRejected) {
  const auto problems = bre::validate_dataset(bre::v1::Dataset());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "municipalities: the dataset has no municipalities");
}

TEST(DatasetValidation, EveryProblemNamesItsFieldPath) {
  auto d = bre::test::small_dataset();
  d.mutable_municipalities(1)->set_code("GM0001");                   // duplicate
  d.mutable_arrangements(0)->add_municipality_codes("GM9999");       // unknown
  d.mutable_municipalities(2)->set_province_code("PV7");             // unknown body
  d.add_commuting_flows()->set_home_code("GM0003");                  // unknown work code ""
  d.mutable_commuting_flows(0)->set_work_code("GM0004");
  d.mutable_commuting_flows(0)->set_persons(-3);
  const auto problems = bre::validate_dataset(d);
  const std::vector<std::string> expected = {
      "municipalities[1].code: duplicate code 'GM0001'",
      "municipalities[2].province_code: unknown province code 'PV7'",
      "arrangements[0].municipality_codes[3]: unknown municipality code 'GM9999'",
      "commuting_flows[0].persons: expected a finite non-negative number of persons"};
  for (const auto& e : expected) {
    EXPECT_NE(std::find(problems.begin(), problems.end(), e), problems.end()) << "missing: " << e;
  }
  auto status = bre::check_dataset(d);
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("more problems"), std::string::npos);
}

TEST(DatasetValidation, ProblemsNameTheSourceLineAndTheProvinceKind) {
  auto d = bre::test::small_dataset();
  d.mutable_arrangements(1)->mutable_source()->set_file("opengr.csv");
  d.mutable_arrangements(1)->mutable_source()->set_line(40);
  d.mutable_arrangements(1)->add_municipality_codes("GM0404");
  d.mutable_bodies(1)->set_kind(bre::v1::BODY_KIND_WATER_BOARD);
  const auto problems = bre::validate_dataset(d);
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "arrangements[1] (opengr.csv:40).municipality_codes[2]: unknown municipality code 'GM0404'"),
            problems.end());
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "municipalities[3].province_code: body 'PV2' is not of kind BODY_KIND_PROVINCE"),
            problems.end());
}

TEST(DatasetValidation, ManyProblemsAreCappedButCountedExactly) {
  auto d = bre::test::small_dataset();
  for (int i = 0; i < 1500; ++i) d.mutable_arrangements(0)->add_municipality_codes("X" + std::to_string(i));
  std::size_t total = 0;
  const auto problems = bre::validate_dataset(d, &total);
  EXPECT_EQ(total, 1500u);
  ASSERT_EQ(problems.size(), 1001u);
  EXPECT_EQ(problems.back(), "... and 500 more");
  EXPECT_NE(bre::check_dataset(d).message().find("(and 1499 more problems)"), std::string::npos);
}

TEST(DatasetValidation, SurveyValuesOutsideLikertAreRejected) {
  auto d = bre::test::small_dataset();
  auto* item = d.add_survey_items();
  item->set_id("f1");
  item->set_dimension(bre::v1::LEGITIMACY_DIMENSION_FUNDAMENTAL);
  auto* r = d.add_survey_responses();
  r->set_respondent_id("r1");
  r->set_body_code("GM0001");
  auto* a = r->add_answers();
  a->set_item_id("f1");
  a->set_value(7);
  const auto problems = bre::validate_dataset(d);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "survey_responses[0].answers[0].value: expected 1..5 or 0 for missing, found 7");
}

TEST(DatasetValidation, OverlappingRegionsOfAPartitionAreRejected) {
  auto d = bre::test::small_dataset();
  auto* def = d.add_region_definitions();
  def->set_name("x");
  auto* r1 = def->add_regions();
  r1->set_id("a");
  r1->add_municipality_codes("GM0001");
  auto* r2 = def->add_regions();
  r2->set_id("b");
  r2->add_municipality_codes("GM0001");
  auto problems = bre::validate_dataset(d);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("also in region 'a'"), std::string::npos);
  def->set_is_cover(true);
  EXPECT_TRUE(bre::validate_dataset(d).empty());
}

TEST(DatasetIndex, LooksUpCodes) {
  const auto d = bre::test::small_dataset();
  const bre::DatasetIndex index(d);
  EXPECT_EQ(index.municipality("GM0004"), std::optional<std::size_t>(3));
  EXPECT_FALSE(index.municipality("PV1"));
  EXPECT_EQ(index.body("PV2"), std::optional<std::size_t>(1));
}

}  // namespace

namespace {

TEST(Utf8, AcceptsWellFormedAndRejectsTheRest) {
  EXPECT_TRUE(bre::is_valid_utf8("S\xc3\xba" "dwest-Frysl\xc3\xa2n"));       // Súdwest-Fryslân
  EXPECT_TRUE(bre::is_valid_utf8("\xe2\x80\x99 \xf0\x9f\x97\xba"));            // ’ and a 4-byte emoji
  EXPECT_FALSE(bre::is_valid_utf8("S\xfa" "dwest"));                           // Latin-1
  EXPECT_FALSE(bre::is_valid_utf8("\xc0\xaf"));                                // overlong '/'
  EXPECT_FALSE(bre::is_valid_utf8("\xed\xa0\x80"));                            // surrogate U+D800
  EXPECT_FALSE(bre::is_valid_utf8("\xf4\x90\x80\x80"));                        // above U+10FFFF
  EXPECT_FALSE(bre::is_valid_utf8("\xe2\x80"));                                // truncated
}

TEST(Utf8, FindsTheFieldPath) {
  auto d = bre::test::small_dataset();
  EXPECT_FALSE(bre::find_invalid_utf8(d));
  d.mutable_arrangements(2)->set_name("Afval S\xfa" "dwest");
  EXPECT_EQ(bre::find_invalid_utf8(d), std::optional<std::string>("arrangements[2].name"));
}

}  // namespace
