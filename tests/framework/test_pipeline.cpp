// The pipeline engine: validation errors name the step; the DAG runs in parallel;
// failures are contained; results are byte-identical for any thread count.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <mutex>

#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/pipeline.hpp"
#include "bre/random.hpp"
#include "test_support.hpp"
#include "../fuzz/pipeline_fixture.hpp"

namespace {

class PipelineTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    host_ = new bre::PluginHost();
    bre::Status loaded = host_->load_directory(BRE_TEST_PLUGIN_DIR, "built-in");
    if (loaded) loaded = host_->load_directory(std::string(BRE_TEST_BAD_PLUGIN_DIR) + "/engine", "--plugin-dir");
    if (!loaded) setup_error_ = loaded.message();
    if (!host_->errors().empty()) setup_error_ += "\nthe host reported errors while loading plugins";
  }
  // SetUpTestSuite records its failure instead of asserting: GoogleTest skips a suite
  // whose SetUpTestSuite failed, and ctest would count its tests skipped, not failed.
  void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
  static inline std::string setup_error_;
  static void TearDownTestSuite() { delete host_; }

  static bre::v1::PipelineSpec spec(const std::string& json) {
    auto parsed = bre::parse_pipeline_spec(json, "test.json");
    EXPECT_TRUE(parsed) << parsed.status().message();
    return parsed ? *parsed : bre::v1::PipelineSpec();
  }
  static std::string validation_error(const std::string& json) {
    auto validated = bre::validate_pipeline(spec(json), *host_);
    EXPECT_FALSE(validated);
    return validated ? "" : validated.status().message();
  }

  static bre::PluginHost* host_;
};

bre::PluginHost* PipelineTest::host_ = nullptr;

TEST_F(PipelineTest, SpecJsonErrorsNameTheSource) {
  auto bad = bre::parse_pipeline_spec(R"({"name": "x", "stepz": []})", "p.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("p.json"), std::string::npos);
  EXPECT_NE(bad.status().message().find("stepz"), std::string::npos);
  EXPECT_FALSE(bre::parse_pipeline_spec(R"({"steps": [{"id": 3}]})", "p.json"));
  EXPECT_FALSE(bre::read_pipeline_spec("/nonexistent.json"));
}

TEST_F(PipelineTest, ValidationErrorsNameStepAndProblem) {
  EXPECT_EQ(validation_error(R"({"name": "p", "steps": []})"), "pipeline 'p' has no steps");
  EXPECT_EQ(validation_error(R"({"steps": [{"id": "a", "plugin": "region.provinces"},
                                           {"id": "a", "plugin": "region.provinces"}]})"),
            "step 'a': the id is used by more than one step");
  EXPECT_EQ(validation_error(R"({"steps": [{"id": "a b", "plugin": "region.provinces"}]})"),
            "steps[0].id: expected letters, digits, '_' or '-', found 'a b'");
  const std::string unknown = validation_error(R"({"steps": [{"id": "a", "plugin": "clustering.leidn"}]})");
  EXPECT_NE(unknown.find("step 'a': unknown plugin 'clustering.leidn' (did you mean 'clustering.leiden'?); loaded plugins: "),
            std::string::npos)
      << unknown;
  EXPECT_NE(unknown.find("clustering.igraph_leiden"), std::string::npos) << unknown;
  EXPECT_EQ(validation_error(R"({"steps": [{"id": "a", "plugin": "clustering.igraph_leiden",
                                            "params": {"resolution": -2}}]})"),
            "step 'a' (clustering.igraph_leiden): parameter 'resolution': expected a number in [0, 100], found -2");
  EXPECT_EQ(validation_error(R"({"steps": [{"id": "a", "plugin": "clustering.igraph_leiden",
                                            "params": {"resolution": "fine"}}]})"),
            "step 'a' (clustering.igraph_leiden): parameter 'resolution': expected a number in [0, 100], found \"fine\"");
  EXPECT_NE(validation_error(R"({"steps": [{"id": "a", "plugin": "region.provinces", "params": {"colour": 1}}]})")
                .find("step 'a' (region.provinces): unknown parameter 'colour'"),
            std::string::npos);
  EXPECT_EQ(validation_error(R"({"steps": [{"id": "c", "plugin": "indicator.congruence", "inputs": ["x"]}]})"),
            "step 'c': input 'x' is not a step of this pipeline");
  EXPECT_EQ(validation_error(R"({"steps": [{"id": "c", "plugin": "indicator.congruence"}]})"),
            "step 'c': plugin 'indicator.congruence' needs a partition from an input step, and none of its "
            "inputs produces one");
}

// One weighting per pipeline: steps that build the cooperation network from the dataset
// must build the same one; a step given a network by an input builds none.
TEST_F(PipelineTest, StepsThatBuildTheCooperationNetworkMustAgree) {
  EXPECT_EQ(validation_error(R"({"steps": [
              {"id": "bre", "plugin": "clustering.multiscale"},
              {"id": "leiden", "plugin": "clustering.leiden"}]})"),
            "steps 'bre' and 'leiden' would build the cooperation network with different 'weighting': fractional and "
            "count; one pipeline has one cooperation network: give them the same 'weighting', or give 'leiden' a "
            "step that produces a network as an input");
  const std::string kinds = validation_error(R"({"steps": [
      {"id": "a", "plugin": "clustering.leiden", "params": {"kinds": ["cooperation", "societal"]}},
      {"id": "p", "plugin": "region.provinces"},
      {"id": "c", "plugin": "indicator.congruence", "inputs": ["p"]}]})");
  EXPECT_NE(kinds.find("steps 'a' and 'c' would build the cooperation network with different 'kinds'"),
            std::string::npos)
      << kinds;
  // The network step's legal-form filter against a plugin that has none (every form counts).
  const std::string forms = validation_error(R"({"steps": [
      {"id": "a", "plugin": "clustering.leiden"},
      {"id": "n", "plugin": "indicator.cooperation_network", "params": {"legal_forms": ["wgr_light"]}}]})");
  EXPECT_NE(forms.find("steps 'a' and 'n' would build the cooperation network with different 'legal_forms'"),
            std::string::npos)
      << forms;
  EXPECT_NE(forms.find("clustering.leiden has no parameter 'legal_forms'"), std::string::npos) << forms;

  auto validates = [](const std::string& json) {
    auto validated = bre::validate_pipeline(spec(json), *host_);
    EXPECT_TRUE(validated) << validated.status().message();
  };
  // The same settings, a list in another order, or a network as input: no conflict.
  validates(R"({"steps": [
      {"id": "bre", "plugin": "clustering.multiscale", "params": {"kinds": ["societal", "cooperation"]}},
      {"id": "leiden", "plugin": "clustering.leiden",
       "params": {"weighting": "fractional", "kinds": ["cooperation", "societal"]}}]})");
  validates(R"({"steps": [
      {"id": "network", "plugin": "indicator.cooperation_network", "params": {"weighting": "fractional"}},
      {"id": "leiden", "plugin": "clustering.leiden", "inputs": ["network"]},
      {"id": "commuting", "plugin": "indicator.commuting_network"},
      {"id": "dus", "plugin": "clustering.multiscale", "inputs": ["commuting"]}]})");
  for (const char* path : {"examples/pipelines/standard.json", "examples/pipelines/nl2016.json",
                           "examples/pipelines/compare.json", "examples/pipelines/gis.json"}) {
    auto validated = bre::validate_pipeline(bre::fuzz::source_spec(path), *host_);
    EXPECT_TRUE(validated) << path << ": " << validated.status().message();
  }
  auto every = bre::validate_pipeline(bre::fuzz::every_builtin_pipeline_spec(), *host_);
  EXPECT_TRUE(every) << every.status().message();
}

// A spec of many steps or long ids cost memory for every step and long messages
// ("File name too long" at the end of a run, a megabyte id quoted whole).
TEST_F(PipelineTest, SpecLimitsAreCheckedBeforeAnythingElse) {
  auto steps = [](int n, const std::string& prefix) {
    std::string json = R"({"name": "p", "steps": [)";
    for (int i = 0; i < n; ++i) {
      json += std::string(i ? ", " : "") + R"({"id": ")" + prefix + std::to_string(i) + R"(", "plugin": "region.provinces"})";
    }
    return json + "]}";
  };
  EXPECT_TRUE(bre::validate_pipeline(spec(steps(bre::PipelineLimits::kMaxSteps, "s")), *host_));
  EXPECT_EQ(validation_error(steps(bre::PipelineLimits::kMaxSteps + 1, "s")),
            "pipeline 'p': 1001 steps, more than the 1000 a pipeline may have");

  const std::string long_id(300, 'a');
  EXPECT_EQ(validation_error(R"({"steps": [{"id": ")" + long_id + R"(", "plugin": "region.provinces"}]})"),
            "steps[0].id: expected at most 64 characters, found 300 ('" + std::string(64, 'a') + "…')");
  EXPECT_TRUE(bre::validate_pipeline(spec(steps(1, std::string(63, 'a'))), *host_));  // 64 characters

  // Whatever a spec holds, a message quotes at most 64 characters of it.
  const std::string huge(200000, 'x');
  for (const std::string& json :
       {R"({"name": ")" + huge + R"(", "steps": []})",
        R"({"steps": [{"id": "a", "plugin": ")" + huge + R"("}]})",
        R"({"steps": [{"id": "a", "plugin": "region.provinces", "inputs": [")" + huge + R"("]}]})",
        R"({"steps": [{"id": "a", "plugin": "region.provinces", "params": {")" + huge + R"(": 1}}]})",
        R"({"steps": [{"id": "a", "plugin": "clustering.leiden", "params": {"weighting": ")" + huge + R"("}}]})",
        R"({"steps": [{"id": "a", "plugin": "region.provinces", "isolation": ")" + huge + R"("}]})"}) {
    const std::string message = validation_error(json);
    EXPECT_LT(message.size(), 2000u) << message.substr(0, 200);
    EXPECT_NE(message.find(std::string(64, 'x') + "…"), std::string::npos) << message.substr(0, 200);
  }
  // protobuf's own errors quote the unknown field whole; they are cut too.
  auto unknown = bre::parse_pipeline_spec(R"({"steps": [{"id": "a", ")" + huge + R"(": 1}]})", "p.json");
  ASSERT_FALSE(unknown);
  EXPECT_LT(unknown.status().message().size(), 400u) << unknown.status().message().substr(0, 200);
}

TEST_F(PipelineTest, SpecsOverTheByteLimitAreRefused) {
  const std::string padding(bre::PipelineLimits::kMaxSpecBytes, ' ');
  auto parsed = bre::parse_pipeline_spec(R"({"steps": [{"id": "a", "plugin": "region.provinces"}]})" + padding, "p.json");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.status().message(), "p.json: " + std::to_string(padding.size() + 54) +
                                           " bytes, more than the 1048576 bytes a pipeline spec may have");
  // A spec that arrives as a message (the gRPC service's `spec`) meets the same limit.
  bre::v1::PipelineSpec large = spec(R"({"name": "p", "steps": [{"id": "a", "plugin": "region.provinces"}]})");
  large.set_description(std::string(bre::PipelineLimits::kMaxSpecBytes, 'd'));
  auto validated = bre::validate_pipeline(large, *host_);
  ASSERT_FALSE(validated);
  EXPECT_NE(validated.status().message().find("pipeline 'p': 1048606 bytes, more than the 1048576 bytes"),
            std::string::npos)
      << validated.status().message();
}

// protobuf's JSON parser reads "steps": {...} as a list of one step, and a string as
// a list of one input.
TEST_F(PipelineTest, SpecShapeIsCheckedWithLineAndColumn) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"steps": {"id": "a", "plugin": "region.provinces"}})",
       "p.json:1:11: steps: expected an array of steps, found an object"},
      {R"({"steps": [[{"id": "a", "plugin": "region.provinces"}]]})",
       "p.json:1:12: steps[0]: expected a step (an object with \"id\" and \"plugin\"), found an array"},
      {"{\"steps\": [{\"id\": \"a\", \"plugin\": \"region.provinces\"},\n  {\"id\": \"b\", \"plugin\": "
       "\"region.provinces\", \"inputs\": \"a\"}]}",
       "p.json:2:55: steps[1].inputs: expected an array of step ids, found a string"},
      {R"({"steps": [{"id": "a", "plugin": "region.provinces", "inputs": {"a": "b"}}]})",
       "p.json: invalid bre.v1.PipelineSpec JSON: (steps[0]): invalid value Starting an object on a scalar field for "
       "type inputs"},
  };
  for (const auto& [json, message] : cases) {
    auto parsed = bre::parse_pipeline_spec(json, "p.json");
    ASSERT_FALSE(parsed) << json;
    EXPECT_EQ(parsed.status().message(), message);
  }
}

// 40,000 levels of nesting in a parameter took protobuf 51 s to refuse, naming no field.
TEST_F(PipelineTest, DeeplyNestedParametersAreRefusedAtOnce) {
  const int deep = 40000;
  const std::string json = "{\"steps\": [{\"id\": \"a\", \"plugin\": \"region.provinces\",\n \"params\": {\"x\": " +
                           std::string(deep, '[') + std::string(deep, ']') + "}}]}";
  const auto start = std::chrono::steady_clock::now();
  auto parsed = bre::parse_pipeline_spec(json, "p.json");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.status().message(),
            "p.json:2:78: invalid bre.v1.PipelineSpec JSON: arrays and objects nested deeper than 64 levels");
}

// Extreme but valid datasets (at the DatasetBounds, without area, ties or geometry, a
// single municipality) through every built-in plugin: each step succeeds or fails with
// a message, never crashes. A map whose polygons all collapse onto one point scaled a
// far centroid beyond llround's range and crashed the network map.
TEST_F(PipelineTest, ExtremeButValidDatasetsRunEveryBuiltinStep) {
  const std::string seed = "tests/fuzz/seeds/pipeline_run/four_squares.pb";
  auto parsed = bre::parse_dataset(bre::fuzz::source_file(seed), seed, bre::DatasetFormat::kBinary);
  ASSERT_TRUE(parsed) << parsed.status().message();
  const bre::v1::Dataset squares = *parsed;
  auto each_point = [](bre::v1::Dataset& d, const std::function<void(bre::v1::Point&)>& change) {
    for (auto& m : *d.mutable_municipalities()) {
      if (m.has_centroid()) change(*m.mutable_centroid());
      for (auto& polygon : *m.mutable_geometry()->mutable_polygons()) {
        for (auto& p : *polygon.mutable_outer()->mutable_points()) change(p);
        for (auto& hole : *polygon.mutable_holes()) {
          for (auto& p : *hole.mutable_points()) change(p);
        }
      }
    }
  };
  using Bounds = bre::DatasetBounds;
  std::vector<std::pair<std::string, bre::v1::Dataset>> variants;
  {
    auto d = squares;
    each_point(d, [](bre::v1::Point& p) { p.set_x(0), p.set_y(0); });
    d.mutable_municipalities(0)->mutable_centroid()->set_x(Bounds::kMaxCoordinateMetres);
    d.mutable_municipalities(0)->mutable_centroid()->set_y(-Bounds::kMaxCoordinateMetres);
    variants.emplace_back("polygons collapsed onto one point, a far centroid", d);
  }
  {
    auto d = squares;
    each_point(d, [](bre::v1::Point& p) { p.set_x(p.x() * 800 - 9e7), p.set_y(-p.y() * 240); });
    for (auto& m : *d.mutable_municipalities()) {
      m.set_population(Bounds::kMaxPopulation);
      m.set_area_km2(0);
    }
    for (auto& flow : *d.mutable_commuting_flows()) flow.set_persons(Bounds::kMaxPersons);
    for (auto& border : *d.mutable_adjacency()) border.set_shared_border_m(Bounds::kMaxBorderMetres);
    for (int i = 0; i < d.indicator_values_size(); ++i) {
      d.mutable_indicator_values(i)->set_value(i % 2 ? Bounds::kMaxIndicatorMagnitude : -Bounds::kMaxIndicatorMagnitude);
    }
    variants.emplace_back("every number at its bound", d);
  }
  {
    auto d = squares;
    d.clear_arrangements();
    for (auto& flow : *d.mutable_commuting_flows()) flow.set_persons(0);
    for (auto& border : *d.mutable_adjacency()) border.set_shared_border_m(0);
    for (auto& m : *d.mutable_municipalities()) m.set_population(0);
    each_point(d, [](bre::v1::Point& p) { p.set_x(std::round(p.x() / 1e4)), p.set_y(std::round(p.y() / 1e4)); });
    variants.emplace_back("no ties, no people, zero borders, coarse coordinates", d);
  }
  {
    auto d = squares;
    for (auto& m : *d.mutable_municipalities()) {
      m.clear_geometry();
      m.mutable_centroid()->set_x(5);
      m.mutable_centroid()->set_y(5);
    }
    d.clear_adjacency();
    variants.emplace_back("no geometry, every centroid the same", d);
  }
  {
    bre::v1::Dataset d;
    d.set_name("one");
    auto* m = d.add_municipalities();
    m->set_code("GM0001");
    auto* ring = m->mutable_geometry()->add_polygons()->mutable_outer();
    for (const auto& [x, y] : {std::pair{0.0, 0.0}, std::pair{1.0, 0.0}, std::pair{0.0, 1.0}}) {
      auto* p = ring->add_points();
      p->set_x(x), p->set_y(y);
    }
    variants.emplace_back("one municipality and nothing else", d);
  }
  auto validated = bre::validate_pipeline(bre::fuzz::every_builtin_pipeline_spec(), *host_);
  ASSERT_TRUE(validated) << validated.status().message();
  for (const auto& [what, dataset] : variants) {
    SCOPED_TRACE(what);
    ASSERT_TRUE(bre::check_dataset(dataset)) << bre::check_dataset(dataset).message();
    bre::fuzz::run_and_check(*validated, dataset);
  }
}

TEST_F(PipelineTest, CyclesAreNamed) {
  EXPECT_EQ(validation_error(R"({"name": "loop", "steps": [
      {"id": "a", "plugin": "test.single_region", "inputs": ["b"]},
      {"id": "b", "plugin": "test.single_region", "inputs": ["a"]}]})"),
            "pipeline 'loop': steps a -> b -> a form a cycle");
  EXPECT_EQ(validation_error(R"({"steps": [{"id": "a", "plugin": "test.single_region", "inputs": ["a"]}]})"),
            "step 'a': the step lists itself as an input (steps a -> a form a cycle)");
  // A cycle through every one of 1000 steps names its first eight.
  std::string ring = R"({"name": "ring", "steps": [)";
  for (int i = 0; i < bre::PipelineLimits::kMaxSteps; ++i) {
    ring += std::string(i ? ", " : "") + R"({"id": "s)" + std::to_string(i) +
            R"(", "plugin": "test.single_region", "inputs": ["s)" +
            std::to_string((i + 1) % bre::PipelineLimits::kMaxSteps) + R"("]})";
  }
  EXPECT_EQ(validation_error(ring + "]}"),
            "pipeline 'ring': steps s0 -> s1 -> s2 -> s3 -> s4 -> s5 -> s6 -> s7 -> ... (992 more) -> s0 form a cycle");
}

TEST_F(PipelineTest, FailuresSkipDependentsAndSpareOthers) {
  auto validated = bre::validate_pipeline(spec(R"({"steps": [
      {"id": "bad", "plugin": "test.failing"},
      {"id": "after_bad", "plugin": "indicator.congruence", "inputs": ["bad"]},
      {"id": "throws", "plugin": "test.throw_in_run"},
      {"id": "good", "plugin": "region.provinces"},
      {"id": "after_good", "plugin": "indicator.congruence", "inputs": ["good"]}]})"),
                                          *host_);
  ASSERT_TRUE(validated) << validated.status().message();
  auto result = bre::run_pipeline(*validated, bre::test::small_dataset(), {});
  ASSERT_TRUE(result) << result.status().message();
  ASSERT_EQ(result->steps_size(), 5);
  EXPECT_EQ(result->steps(0).status(), bre::v1::STEP_STATUS_FAILED);
  EXPECT_EQ(result->steps(0).error(), "test.failing: failing on purpose");
  EXPECT_EQ(result->steps(1).status(), bre::v1::STEP_STATUS_SKIPPED);
  EXPECT_EQ(result->steps(1).error(), "input step 'bad' did not succeed");
  EXPECT_EQ(result->steps(2).status(), bre::v1::STEP_STATUS_FAILED);
  EXPECT_EQ(result->steps(2).error(), "test.throw_in_run: the plugin threw: run failed on purpose");
  EXPECT_EQ(result->steps(3).status(), bre::v1::STEP_STATUS_SUCCEEDED);
  EXPECT_EQ(result->steps(4).status(), bre::v1::STEP_STATUS_SUCCEEDED);
  EXPECT_EQ(result->steps(4).artifacts().tables_size(), 1);
}

TEST_F(PipelineTest, InputsAndSeedsReachTheStep) {
  auto validated = bre::validate_pipeline(spec(R"({"steps": [
      {"id": "a", "plugin": "test.single_region"},
      {"id": "b", "plugin": "test.single_region", "params": {"seed": 77}, "inputs": ["a"]}]})"),
                                          *host_);
  ASSERT_TRUE(validated);
  bre::RunOptions options;
  options.seed = 5;
  auto result = bre::run_pipeline(*validated, bre::test::small_dataset(), options);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->steps(0).artifacts().warnings(0),
            "seed=" + std::to_string(bre::derive_seed(5, std::string("a"))) + " inputs=");
  EXPECT_EQ(result->steps(1).artifacts().warnings(0), "seed=77 inputs=a;");
  EXPECT_EQ(result->manifest().steps(1).seed(), 77u);
  EXPECT_EQ(result->manifest().seed(), 5u);
  EXPECT_EQ(result->manifest().dataset_sha256().size(), 64u);
}

TEST_F(PipelineTest, EventsReportEveryStep) {
  auto validated = bre::validate_pipeline(spec(R"({"steps": [
      {"id": "a", "plugin": "test.single_region"}, {"id": "f", "plugin": "test.failing"}]})"),
                                          *host_);
  ASSERT_TRUE(validated);
  std::mutex mutex;
  std::vector<std::string> seen;
  bre::RunOptions options;
  options.on_event = [&](const bre::StepEvent& e) {
    std::lock_guard lock(mutex);
    seen.push_back(e.step_id + ":" + std::to_string(static_cast<int>(e.kind)));
  };
  ASSERT_TRUE(bre::run_pipeline(*validated, bre::test::small_dataset(), options));
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"a:0", "a:1", "f:0", "f:2"}));
}

TEST_F(PipelineTest, OutputThatIsNotUtf8FailsTheStepNamingTheField) {
  auto validated = bre::validate_pipeline(spec(R"({"steps": [{"id": "t", "plugin": "test.bad_text"}]})"), *host_);
  ASSERT_TRUE(validated);
  auto result = bre::run_pipeline(*validated, bre::test::small_dataset(), {});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->steps(0).status(), bre::v1::STEP_STATUS_FAILED);
  EXPECT_EQ(result->steps(0).error(), "test.bad_text: output field tables[0].rows[0].region_name is not valid UTF-8");
  std::string bytes = bre::to_binary(*result);
  bre::v1::RunResult back;
  EXPECT_TRUE(back.ParseFromString(bytes));
}

TEST_F(PipelineTest, StepsOfAPluginThatIsNotThreadSafeRunOneAtATime) {
  auto validated = bre::validate_pipeline(spec(R"({"steps": [
      {"id": "a", "plugin": "test.not_thread_safe"}, {"id": "b", "plugin": "test.not_thread_safe"},
      {"id": "c", "plugin": "test.not_thread_safe"}, {"id": "d", "plugin": "test.not_thread_safe"}]})"),
                                          *host_);
  ASSERT_TRUE(validated);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 4);
  auto result = bre::run_pipeline(*validated, bre::test::small_dataset(), {});
  ASSERT_TRUE(result);
  for (const auto& step : result->steps()) {
    EXPECT_EQ(step.status(), bre::v1::STEP_STATUS_SUCCEEDED) << step.step_id() << ": " << step.error();
  }
}

// A run has one language: Dutch when the pipeline names none (and the manifest says so),
// and nothing but nl or en.
TEST_F(PipelineTest, LanguageIsDutchByDefaultAndOnlyNlOrEn) {
  auto plain = bre::validate_pipeline(spec(R"({"steps": [{"id": "a", "plugin": "region.provinces"}]})"), *host_);
  ASSERT_TRUE(plain) << plain.status().message();
  EXPECT_EQ(plain->spec.language(), "nl");
  auto english = bre::validate_pipeline(
      spec(R"({"language": "en", "steps": [{"id": "a", "plugin": "region.provinces"}]})"), *host_);
  ASSERT_TRUE(english) << english.status().message();
  EXPECT_EQ(english->spec.language(), "en");
  auto other = bre::validate_pipeline(
      spec(R"({"name": "p", "language": "EN", "steps": [{"id": "a", "plugin": "region.provinces"}]})"), *host_);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.status().message(), "pipeline 'p': language: expected nl or en, found 'EN' (did you mean 'en'?)");
}

TEST_F(PipelineTest, InvalidDatasetIsRefusedBeforeRunning) {
  auto validated = bre::validate_pipeline(spec(R"({"steps": [{"id": "a", "plugin": "region.provinces"}]})"), *host_);
  ASSERT_TRUE(validated);
  auto result = bre::run_pipeline(*validated, bre::v1::Dataset(), {});
  ASSERT_FALSE(result);
  EXPECT_NE(result.status().message().find("no municipalities"), std::string::npos);
}

TEST_F(PipelineTest, StandardPipelineIsByteIdenticalForOneAndTwoThreads) {
  auto read = bre::read_pipeline_spec(std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json");
  ASSERT_TRUE(read) << read.status().message();
  auto validated = bre::validate_pipeline(*read, *host_);
  ASSERT_TRUE(validated) << validated.status().message();
  const auto dataset = bre::demo::generate();
  std::string outputs[2];
  for (int threads : {1, 2}) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    bre::RunOptions options;
    options.seed = 42;
    auto result = bre::run_pipeline(*validated, dataset, options);
    ASSERT_TRUE(result) << result.status().message();
    for (const auto& step : result->steps()) {
      EXPECT_EQ(step.status(), bre::v1::STEP_STATUS_SUCCEEDED) << step.step_id() << ": " << step.error();
    }
    outputs[threads - 1] = bre::to_binary(*result);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
}

}  // namespace
