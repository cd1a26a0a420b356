// The life-cycle rule table as data (lifecycle.stage_rules, DOMAIN.md §8): the
// built-in table is the JSON file in the plugin folder, a department's own table is
// validated with errors that name the path and the value, and a pipeline can run the
// default and a custom table side by side through the engine.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/demo.hpp"
#include "bre/host.hpp"
#include "bre/pipeline.hpp"
#include "plugin_harness.hpp"
#include "rule_table.hpp"
#include "stage_rules.hpp"

namespace {

namespace lc = bre::lifecycle;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string default_json() {
  return read_text(std::string(BRE_SOURCE_DIR) + "/plugins/lifecycle/stage_rules/default_rules.json");
}

// Replaces the first occurrence of `from` in `text` (which must contain it).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// A fresh directory under the system's temporary directory, removed afterwards.
class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "bre-rules-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
    EXPECT_FALSE(path_.empty()) << "mkdtemp failed";
  }
  ~TempDirectory() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The error of parsing `json`, or "" when it parses.
std::string error_of(const std::string& json) {
  bre::Expected<lc::RuleTable> table = lc::parse_rule_table(json, "dept.json");
  return table.has_value() ? "" : table.status().message();
}

TEST(LifecycleRuleTable, EmbeddedTableIsTheFileInThePluginFolder) {
  EXPECT_EQ(std::string(lc::default_rule_table_json()), default_json());
  bre::Expected<lc::RuleTable> table = lc::default_rule_table();
  ASSERT_TRUE(table.has_value()) << table.status().message();
  EXPECT_EQ(table->name, "bre-default");
  EXPECT_EQ(table->minimum_support, 0.5);
  EXPECT_EQ(table->contradiction_factor, 0.75);
  EXPECT_EQ(table->decisive_descriptors, (std::vector<std::string>{"consensus_why", "shared_vision"}));
  EXPECT_EQ(table->contradictions.size(), 4u);
  EXPECT_EQ(table->directions.size(), 8u);
  EXPECT_EQ(table->recommendations.size(), 10u);
}

TEST(LifecycleRuleTable, UnknownDescriptorField) {
  const std::string e = error_of(replaced(default_json(), R"("descriptor": "urgency")", R"("descriptor": "urgent")"));
  EXPECT_NE(e.find("dept.json"), std::string::npos) << e;
  EXPECT_NE(e.find("directions[0].signals[0].descriptor"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown descriptor field 'urgent'"), std::string::npos) << e;
  EXPECT_NE(e.find("shared_vision"), std::string::npos) << e;  // lists what is allowed
}

TEST(LifecycleRuleTable, FieldThatIsNoDescriptor) {
  const std::string e =
      error_of(replaced(default_json(), R"("descriptor": "urgency")", R"("descriptor": "region_id")"));
  EXPECT_NE(e.find("directions[0].signals[0].descriptor"), std::string::npos) << e;
  EXPECT_NE(e.find("not a descriptor"), std::string::npos) << e;
}

TEST(LifecycleRuleTable, UnknownStage) {
  const std::string e =
      error_of(replaced(default_json(), R"("stage": "start_up")", R"("stage": "startup")"));
  EXPECT_NE(e.find("stages[1].stage"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown stage \"startup\""), std::string::npos) << e;
  EXPECT_NE(e.find("meeting_place, start_up or running_system"), std::string::npos) << e;
}

TEST(LifecycleRuleTable, BadValue) {
  const std::string e = error_of(
      replaced(default_json(), R"({"descriptor": "shared_vision", "met": ["no"]})",
               R"({"descriptor": "shared_vision", "met": ["maybe"]})"));
  EXPECT_NE(e.find("stages[0].criteria[0].any_of[0].met[0]"), std::string::npos) << e;
  EXPECT_NE(e.find("\"maybe\" is not a value of descriptor 'shared_vision'"), std::string::npos) << e;
  EXPECT_NE(e.find("no, yes"), std::string::npos) << e;
}

TEST(LifecycleRuleTable, OtherErrors) {
  const std::string json = default_json();
  // Unknown key.
  std::string e = error_of(replaced(json, R"("minimum_support": 0.5,)", R"("minimum_suport": 0.5,)"));
  EXPECT_NE(e.find("rules.minimum_suport: unknown key"), std::string::npos) << e;
  // Number out of range.
  e = error_of(replaced(json, R"("minimum_support": 0.5,)", R"("minimum_support": 1.5,)"));
  EXPECT_NE(e.find("rules.minimum_support: expected a number in [0, 1], found the number 1.5"),
            std::string::npos) << e;
  // Wrong type.
  e = error_of(replaced(json, R"("required": true,)", R"("required": "yes",)"));
  EXPECT_NE(e.find("stages[1].criteria[0].required: expected true or false, found \"yes\""), std::string::npos) << e;
  // Evidence only and required at once; evidence_only of the wrong type; evidence_factor out of range.
  e = error_of(replaced(json, R"("required": true,)", R"("required": true, "evidence_only": true,)"));
  EXPECT_NE(e.find("stages[1].criteria[0].evidence_only: expected a criterion that is required or evidence only, "
                   "found both"),
            std::string::npos) << e;
  e = error_of(replaced(json, R"("evidence_only": true,)", R"("evidence_only": 1,)"));
  EXPECT_NE(e.find("stages[1].criteria[1].evidence_only: expected true or false"), std::string::npos) << e;
  e = error_of(replaced(json, R"("evidence_factor": 0.75,)", R"("evidence_factor": -1,)"));
  EXPECT_NE(e.find("rules.evidence_factor: expected a number in [0, 1]"), std::string::npos) << e;
  // Stages out of order.
  e = error_of(replaced(json, "\"stage\": \"meeting_place\",\n      \"label_en\"",
                        "\"stage\": \"start_up\",\n      \"label_en\""));
  EXPECT_NE(e.find("stages[0].stage: expected the stages meeting_place, start_up and running_system"),
            std::string::npos) << e;
  // A value both met and partly met.
  e = error_of(replaced(json, R"("met": ["none"], "partial": ["sectoral"])", R"("met": ["none"], "partial": ["none"])"));
  EXPECT_NE(e.find("also listed under 'met'"), std::string::npos) << e;
  // Syntax.
  e = error_of("{\"name\": ");
  EXPECT_NE(e.find("dept.json"), std::string::npos) << e;
  // Missing key.
  e = error_of(R"({"name": "x", "stages": [], "directions": []})");
  EXPECT_NE(e.find("missing key 'recommendations'"), std::string::npos) << e;
  // A file that does not exist.
  bre::Expected<lc::RuleTable> missing = lc::read_rule_table("/nonexistent/rules.json");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.status().message().find("/nonexistent/rules.json"), std::string::npos);
}

// A department's own table: a start-up also needs agreements on decision-making.
std::string stricter_table() {
  std::string json = replaced(default_json(), R"("name": "bre-default")", R"("name": "province-x")");
  json = replaced(json, R"("version": "1.1")", R"("version": "2")");
  return replaced(json, R"({"id": "lead_actor_present",)",
                  R"({"id": "decision_agreements", "required": true,
         "any_of": [{"descriptor": "decision_agreements", "met": ["yes"]}],
         "text_en": "there are agreements on decision-making",
         "text_nl": "er zijn afspraken over besluitvorming"},
        {"id": "lead_actor_present",)");
}

TEST(LifecycleRuleTable, CustomTableChangesTheDecision) {
  bre::Expected<lc::RuleTable> strict = lc::parse_rule_table(stricter_table(), "province-x.json");
  ASSERT_TRUE(strict.has_value()) << strict.status().message();
  bre::Expected<lc::RuleTable> standard = lc::default_rule_table();
  ASSERT_TRUE(standard.has_value());
  bre::v1::CaseDescriptors c;
  c.set_shared_vision(bre::v1::TRISTATE_NO);
  c.set_consensus_why(bre::v1::TRISTATE_YES);
  c.set_lead_actor(bre::v1::LEAD_ACTOR_PROVINCE);
  c.set_lead_actor_accepted(bre::v1::TRISTATE_YES);
  c.set_economic_link(bre::v1::COMMUNITY_LINK_PROJECT);
  c.set_decision_agreements(bre::v1::TRISTATE_NO);
  EXPECT_EQ(lc::assess_case(*standard, c).stage(), bre::v1::STAGE_START_UP);
  EXPECT_EQ(lc::assess_case(*strict, c).stage(), bre::v1::STAGE_MEETING_PLACE);
  c.set_decision_agreements(bre::v1::TRISTATE_UNKNOWN);  // required and unknown: undecided
  EXPECT_EQ(lc::assess_case(*strict, c).stage(), bre::v1::STAGE_UNDECIDED);
  c.set_decision_agreements(bre::v1::TRISTATE_YES);
  EXPECT_EQ(lc::assess_case(*strict, c).stage(), bre::v1::STAGE_START_UP);
}

TEST(LifecycleRuleTable, EngineRunsDefaultAndCustomTableSideBySide) {
  const TempDirectory dir;
  const std::string path = dir.path() + "/province-x.json";
  {
    std::ofstream out(path, std::ios::binary);
    out << stricter_table();
  }
  bre::PluginHost host;
  ASSERT_TRUE(host.load_directory(BRE_TEST_PLUGIN_DIR, "built-in").is_ok());
  bre::Expected<bre::v1::PipelineSpec> spec = bre::parse_pipeline_spec(
      R"({"name": "two-tables", "steps": [
           {"id": "planted", "plugin": "region.provinces", "params": {"definition": "planted"}},
           {"id": "standard", "plugin": "lifecycle.stage_rules", "inputs": ["planted"]},
           {"id": "province_x", "plugin": "lifecycle.stage_rules", "inputs": ["planted"],
            "params": {"rules": ")" + path + R"("}},
           {"id": "broken", "plugin": "lifecycle.stage_rules", "params": {"rules": ")" + dir.path() +
          R"(/missing.json"}}]})",
      "two-tables.json");
  ASSERT_TRUE(spec.has_value()) << spec.status().message();
  bre::Expected<bre::ValidatedPipeline> pipeline = bre::validate_pipeline(*spec, host);
  ASSERT_TRUE(pipeline.has_value()) << pipeline.status().message();
  const bre::v1::Dataset dataset = bre::demo::generate();
  bre::Expected<bre::v1::RunResult> run = bre::run_pipeline(*pipeline, dataset, {});
  ASSERT_TRUE(run.has_value()) << run.status().message();

  const bre::v1::LifecycleResult* standard = nullptr;
  const bre::v1::LifecycleResult* custom = nullptr;
  for (const auto& step : run->steps()) {
    if (step.step_id() == "broken") {
      EXPECT_EQ(step.status(), bre::v1::STEP_STATUS_FAILED);
      EXPECT_NE(step.error().find("parameter 'rules'"), std::string::npos) << step.error();
      EXPECT_NE(step.error().find("missing.json"), std::string::npos) << step.error();
      continue;
    }
    if (step.artifacts().lifecycle_size() == 0) continue;
    (step.step_id() == "standard" ? standard : custom) = &step.artifacts().lifecycle(0);
  }
  ASSERT_NE(standard, nullptr);
  ASSERT_NE(custom, nullptr);
  EXPECT_EQ(standard->rule_table(), "bre-default 1.1");
  EXPECT_EQ(custom->rule_table(), "province-x 2");
  ASSERT_EQ(standard->assessments_size(), custom->assessments_size());
  int demoted = 0;
  for (int i = 0; i < custom->assessments_size(); ++i) {
    const auto& before = standard->assessments(i);
    const auto& after = custom->assessments(i);
    const bre::v1::CaseDescriptors& c = dataset.cases(i);
    if (after.stage() == bre::v1::STAGE_START_UP) {
      EXPECT_EQ(c.decision_agreements(), bre::v1::TRISTATE_YES) << c.region_id();
    }
    if (before.stage() == bre::v1::STAGE_START_UP && after.stage() != bre::v1::STAGE_START_UP) {
      ++demoted;
      EXPECT_NE(c.decision_agreements(), bre::v1::TRISTATE_YES) << c.region_id();
    }
    if (before.stage() == bre::v1::STAGE_RUNNING_SYSTEM) {
      EXPECT_EQ(after.stage(), before.stage());
    }
  }
  EXPECT_GT(demoted, 0);  // the demo's start-ups have decision agreements in 40% of cases
}

}  // namespace
