// Survey and case-descriptor import (bre/import/survey.hpp, bre/import/cases.hpp) and
// the `bre dataset add-survey` / `add-cases` commands: every bad cell an error naming
// file, line and column; nothing written on error.
#include <gtest/gtest.h>

#include <filesystem>

#include "bre/dataset.hpp"
#include "bre/import/cases.hpp"
#include "bre/import/survey.hpp"
#include "bre/io.hpp"
#include "test_support.hpp"

namespace {

namespace imp = bre::import;
using bre::test::run_bre;
using bre::test::TempDir;
using bre::test::write_text;

const std::string kItemsCsv =
    "item_id,dimension,reverse_coded,text\n"
    "F1,fundamental,no,Cooperation is a good means\n"
    "F2,fundamental,yes,\"My council would do better alone, frankly\"\n"
    "I1,input,,I can influence decisions\n";

std::vector<bre::v1::SurveyItem> items() {
  auto parsed = imp::parse_survey_items_csv(kItemsCsv, "items.csv");
  EXPECT_TRUE(parsed.has_value()) << parsed.status().message();
  return parsed.has_value() ? *parsed : std::vector<bre::v1::SurveyItem>{};
}

std::string error_of_responses(const std::string& csv) {
  auto parsed = imp::parse_survey_responses_csv(csv, "responses.csv", items());
  return parsed.has_value() ? "" : parsed.status().message();
}

TEST(SurveyImport, ItemMapCsv) {
  const auto parsed = items();
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0].id(), "F1");
  EXPECT_EQ(parsed[0].dimension(), bre::v1::LEGITIMACY_DIMENSION_FUNDAMENTAL);
  EXPECT_FALSE(parsed[0].reverse_coded());
  EXPECT_TRUE(parsed[1].reverse_coded());
  EXPECT_EQ(parsed[1].text(), "My council would do better alone, frankly");
  EXPECT_EQ(parsed[2].dimension(), bre::v1::LEGITIMACY_DIMENSION_INPUT);
  EXPECT_FALSE(parsed[2].reverse_coded());  // blank = no

  auto bad_dim = imp::parse_survey_items_csv("item_id,dimension,reverse_coded\nX,outcome,no\n", "items.csv");
  ASSERT_FALSE(bad_dim.has_value());
  EXPECT_NE(bad_dim.status().message().find("items.csv:2: column 'dimension' (2): expected fundamental"),
            std::string::npos) << bad_dim.status().message();
  EXPECT_NE(bad_dim.status().message().find("found 'outcome'"), std::string::npos);
  auto twice = imp::parse_survey_items_csv("item_id,dimension,reverse_coded\nX,input,no\nX,input,no\n", "items.csv");
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.status().message().find("items.csv:3"), std::string::npos) << twice.status().message();
  auto column = imp::parse_survey_items_csv("item_id,dimension,reverse\nX,input,no\n", "items.csv");
  ASSERT_FALSE(column.has_value());
  EXPECT_NE(column.status().message().find("column 'reverse' (3): unknown column"), std::string::npos)
      << column.status().message();
}

TEST(SurveyImport, ItemMapJson) {
  auto parsed = imp::parse_survey_items_json(
      R"({"items": [{"item_id": "F1", "dimension": "fundamental", "reverse_coded": false, "text": "t"},
                    {"item_id": "ON1", "dimension": "output_neighbours", "reverse_coded": true}]})",
      "items.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].dimension(), bre::v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS);
  EXPECT_TRUE((*parsed)[1].reverse_coded());
  auto bad = imp::parse_survey_items_json(R"([{"item_id": "F1", "dimension": "input", "reverse_coded": "no"}])",
                                          "items.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.status().message(), "items.json: items[0].reverse_coded: expected true or false, found \"no\"");
}

TEST(SurveyImport, Responses) {
  auto parsed = imp::parse_survey_responses_csv(
      "respondent_id,role,body_code,I1,F1,F2\n"
      "R1,municipal_council,GM0001,4,5,\n"
      "R2,water_board,WS01, ,1,2\n",
      "responses.csv", items());
  ASSERT_TRUE(parsed.has_value()) << parsed.status().message();
  ASSERT_EQ(parsed->size(), 2u);
  const auto& r1 = (*parsed)[0];
  EXPECT_EQ(r1.respondent_id(), "R1");
  EXPECT_EQ(r1.role(), bre::v1::REPRESENTATIVE_ROLE_MUNICIPAL_COUNCIL);
  EXPECT_EQ(r1.body_code(), "GM0001");
  ASSERT_EQ(r1.answers_size(), 3);
  EXPECT_EQ(r1.answers(0).item_id(), "I1");
  EXPECT_EQ(r1.answers(0).value(), 4);
  EXPECT_EQ(r1.answers(2).value(), 0);  // blank = missing
  EXPECT_EQ(r1.source().file(), "responses.csv");
  EXPECT_EQ(r1.source().line(), 2);
  EXPECT_EQ((*parsed)[1].role(), bre::v1::REPRESENTATIVE_ROLE_WATER_BOARD);
  EXPECT_EQ((*parsed)[1].answers(0).value(), 0);  // whitespace only = missing
}

TEST(SurveyImport, ResponseErrorsNameRowAndColumn) {
  const std::string header = "respondent_id,role,body_code,F1,F2,I1\n";
  EXPECT_EQ(error_of_responses(header + "R1,municipal_council,GM0001,4,6,3\n"),
            "responses.csv:2 (respondent 'R1'): column 'F2' (5): expected a Likert answer 1-5 or a blank "
            "cell for missing, found '6'");
  EXPECT_NE(error_of_responses(header + "R1,municipal_council,GM0001,4,x,3\n").find("found 'x'"), std::string::npos);
  EXPECT_NE(error_of_responses(header + "R1,municipal_council,GM0001,4,3.5,3\n").find("found '3.5'"),
            std::string::npos);
  EXPECT_NE(error_of_responses(header + "R1,municipal_council,GM0001,0,3,3\n").find("column 'F1' (4)"),
            std::string::npos);
  EXPECT_NE(error_of_responses(header + "R1,mayor,GM0001,1,3,3\n").find("column 'role' (2): expected municipal_council"),
            std::string::npos);
  EXPECT_NE(error_of_responses(header + "R1,municipal_council,GM0001,1,3,3\nR1,municipal_council,GM0002,1,3,3\n")
                .find("responses.csv:3: column 'respondent_id' (1): respondent 'R1' appears twice"),
            std::string::npos);
  EXPECT_NE(error_of_responses(header + "R1,municipal_council,GM0001,1,3\n").find("expected 6 fields, found 5"),
            std::string::npos);
  EXPECT_NE(error_of_responses("respondent_id,role,body_code,F1,F2,I1,Q9\n").find("column 'Q9' (7): not an item"),
            std::string::npos);
  EXPECT_NE(error_of_responses("respondent_id,role,body_code,F1,F2\nR1,municipal_council,GM0001,1,2\n")
                .find("item 'I1' of the item map has no column"),
            std::string::npos);
}

TEST(SurveyImport, SetSurveyIsAllOrNothing) {
  bre::v1::Dataset dataset = bre::test::small_dataset();
  const std::string before = bre::to_binary(dataset);
  auto responses = imp::parse_survey_responses_csv(
      "respondent_id,role,body_code,F1,F2,I1\nR1,municipal_council,GM0001,1,2,3\n"
      "R2,provincial_council,PV9,1,2,3\n",
      "responses.csv", items());
  ASSERT_TRUE(responses.has_value());
  const bre::Status s = imp::set_survey(dataset, items(), *responses);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("responses.csv:3"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("'PV9'"), std::string::npos) << s.message();
  EXPECT_EQ(bre::to_binary(dataset), before);  // unchanged
  (*responses)[1].set_body_code("PV2");
  ASSERT_TRUE(imp::set_survey(dataset, items(), *responses).is_ok());
  EXPECT_EQ(dataset.survey_items_size(), 3);
  EXPECT_EQ(dataset.survey_responses_size(), 2);
}

TEST(CaseImport, DescriptorNamesAndValues) {
  const auto fields = bre::case_descriptor_fields();
  EXPECT_EQ(fields.front(), "shared_vision");
  EXPECT_EQ(fields.size(), 21u);  // every enum field of CaseDescriptors
  EXPECT_EQ(*bre::case_descriptor_values("lead_actor"),
            (std::vector<std::string>{"none", "province", "central_municipality", "regional_office"}));
  bre::v1::CaseDescriptors c;
  ASSERT_TRUE(bre::set_case_descriptor(c, "economic_link", "Ad_Hoc").is_ok());
  EXPECT_EQ(c.economic_link(), bre::v1::COMMUNITY_LINK_AD_HOC);
  EXPECT_EQ(*bre::case_descriptor_value(c, "economic_link"), "ad_hoc");
  EXPECT_EQ(*bre::case_descriptor_value(c, "urgency"), "unknown");
  EXPECT_EQ(bre::case_descriptor_value(c, "region_id").status().code(), bre::StatusCode::kInvalidArgument);
  EXPECT_EQ(bre::case_descriptor_value(c, "nope").status().code(), bre::StatusCode::kNotFound);
}

TEST(CaseImport, Csv) {
  auto cases = imp::parse_case_descriptors_csv(
      "region_id,region_name,municipality_codes,shared_vision,agenda,lead_actor,urgency\n"
      "C1,Noord,GM0001;GM0002 GM0003,yes,integral,regional_office,\n"
      "C2,Zuid,GM0004,no,unknown,none,no\n",
      "cases.csv");
  ASSERT_TRUE(cases.has_value()) << cases.status().message();
  ASSERT_EQ(cases->size(), 2u);
  const auto& c1 = (*cases)[0];
  EXPECT_EQ(c1.region_id(), "C1");
  EXPECT_EQ(c1.municipality_codes_size(), 3);
  EXPECT_EQ(c1.shared_vision(), bre::v1::TRISTATE_YES);
  EXPECT_EQ(c1.agenda(), bre::v1::AGENDA_SCOPE_INTEGRAL);
  EXPECT_EQ(c1.urgency(), bre::v1::TRISTATE_UNKNOWN);        // blank
  EXPECT_EQ(c1.consensus_why(), bre::v1::TRISTATE_UNKNOWN);  // no column
  EXPECT_EQ(c1.source().line(), 2);
  EXPECT_EQ((*cases)[1].agenda(), bre::v1::AGENDA_SCOPE_UNKNOWN);

  auto bad = imp::parse_case_descriptors_csv("region_id,agenda\nC1,broad\n", "cases.csv");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.status().message(),
            "cases.csv:2: column 'agenda' (2): expected none, sectoral, integral or blank/unknown, found 'broad'");
  auto column = imp::parse_case_descriptors_csv("region_id,vision\nC1,yes\n", "cases.csv");
  ASSERT_FALSE(column.has_value());
  EXPECT_NE(column.status().message().find("cases.csv:1: column 'vision' (2): unknown descriptor field 'vision'"),
            std::string::npos) << column.status().message();
}

TEST(CaseImport, Json) {
  auto cases = imp::parse_case_descriptors_json(
      R"([{"region_id": "C1", "municipality_codes": ["GM0001"], "consensus_why": "yes", "urgency": null}])",
      "cases.json");
  ASSERT_TRUE(cases.has_value()) << cases.status().message();
  EXPECT_EQ((*cases)[0].consensus_why(), bre::v1::TRISTATE_YES);
  EXPECT_EQ((*cases)[0].urgency(), bre::v1::TRISTATE_UNKNOWN);
  auto bad = imp::parse_case_descriptors_json(R"({"cases": [{"region_id": "C1"}, {"region_id": "C2", "urgency": 1}]})",
                                              "cases.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.status().message(), "cases.json: cases[1].urgency: expected a string or null, found the number 1");
  auto value = imp::parse_case_descriptors_json(R"([{"region_id": "C1", "lead_actor": "mayor"}])", "cases.json");
  ASSERT_FALSE(value.has_value());
  EXPECT_NE(value.status().message().find("cases[0].lead_actor: expected none, province"), std::string::npos)
      << value.status().message();
}

// ---------------------------------------------------------------------------
// The CLI.

TEST(CliImport, AddSurveyAndCasesToTheDemo) {
  TempDir dir;
  write_text(dir.file("items.csv"), "item_id,dimension,reverse_coded\nF1,fundamental,no\nI1,input,no\n");
  write_text(dir.file("responses.csv"),
             "respondent_id,role,body_code,F1,I1\nR1,municipal_council,GM0001,4,2\nR2,municipal_council,GM0002,,5\n");
  write_text(dir.file("cases.json"),
             R"([{"region_id": "X1", "municipality_codes": ["GM0001", "GM0002"], "consensus_why": "yes"}])");

  // The demo already has a survey: refused without --replace, nothing written.
  auto refused = run_bre({"dataset", "add-survey", "demo", "--items", dir.file("items.csv"), "--responses",
                          dir.file("responses.csv"), "--out", dir.file("with_survey.pb")});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("--replace"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("with_survey.pb")));

  auto added = run_bre({"dataset", "add-survey", "demo", "--items", dir.file("items.csv"), "--responses",
                        dir.file("responses.csv"), "--out", dir.file("with_survey.pb"), "--replace"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("2 survey items, 2 responses"), std::string::npos) << added.out;
  auto cases = run_bre({"dataset", "add-cases", dir.file("with_survey.pb"), "--cases", dir.file("cases.json"),
                        "--out", dir.file("both.json"), "--replace"});
  ASSERT_EQ(cases.exit_code, 0) << cases.err;
  auto dataset = bre::read_dataset(dir.file("both.json"));
  ASSERT_TRUE(dataset.has_value()) << dataset.status().message();
  EXPECT_EQ(dataset->survey_responses_size(), 2);
  EXPECT_EQ(dataset->survey_responses(1).answers(0).value(), 0);
  ASSERT_EQ(dataset->cases_size(), 1);
  EXPECT_EQ(dataset->cases(0).consensus_why(), bre::v1::TRISTATE_YES);
  EXPECT_TRUE(bre::validate_dataset(*dataset).empty());
}

TEST(CliImport, BadCellIsOneLineAndWritesNothing) {
  TempDir dir;
  write_text(dir.file("items.csv"), "item_id,dimension,reverse_coded\nF1,fundamental,no\n");
  write_text(dir.file("responses.csv"), "respondent_id,role,body_code,F1\nR1,municipal_council,GM0001,7\n");
  auto r = run_bre({"dataset", "add-survey", "demo", "--items", dir.file("items.csv"), "--responses",
                    dir.file("responses.csv"), "--out", dir.file("out.pb"), "--replace"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("responses.csv:2 (respondent 'R1'): column 'F1' (4)"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.pb")));
  // An unknown municipality in a case: named with its file and line.
  write_text(dir.file("cases.csv"), "region_id,municipality_codes\nX1,GM9999\n");
  auto c = run_bre({"dataset", "add-cases", "demo", "--cases", dir.file("cases.csv"), "--out", dir.file("c.pb"),
                    "--replace"});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("cases.csv:2"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("GM9999"), std::string::npos) << c.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("c.pb")));
}

}  // namespace
