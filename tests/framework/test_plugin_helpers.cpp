// The SDK's plugin helpers (bre/plugin_helpers.hpp, bre/parameter_decl.hpp): the
// description builder gives what a hand-written describe() gives, the input checks
// find what the inputs hold and fail with one wording, and a declared parameter's spec
// and read go through the same name.
#include <gtest/gtest.h>

#include <google/protobuf/struct.pb.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bre/network.hpp"
#include "bre/parameter_decl.hpp"
#include "bre/plugin_helpers.hpp"

namespace bre::test {
namespace {

v1::Partition partition_named(const std::string& name) {
  v1::Partition partition;
  partition.set_name(name);
  return partition;
}

v1::IndicatorTable table_with(const std::string& name, const std::vector<std::string>& columns) {
  v1::IndicatorTable table;
  table.set_name(name);
  for (const std::string& id : columns) table.add_columns()->set_id(id);
  return table;
}

// A step "s" whose inputs are `artifacts`, one input step each ("a", "b", ...).
class StepWithInputs {
 public:
  explicit StepWithInputs(std::vector<v1::Artifacts> artifacts) : artifacts_(std::move(artifacts)) {
    std::vector<StepInput> inputs;
    for (std::size_t i = 0; i < artifacts_.size(); ++i) {
      inputs.push_back({std::string(1, static_cast<char>('a' + i)), &artifacts_[i]});
    }
    context_ = std::make_unique<StepContext>("s", index_, params_, 1, std::move(inputs), nullptr, nullptr);
  }
  const StepContext& context() const { return *context_; }

 private:
  v1::Dataset dataset_;
  DatasetIndex index_{dataset_};
  Params params_;
  std::vector<v1::Artifacts> artifacts_;
  std::unique_ptr<StepContext> context_;
};

TEST(DescriptionBuilder, EqualsTheDescriptionWrittenByHand) {
  v1::PluginDescription by_hand;
  by_hand.set_name("indicator.example");
  by_hand.set_kind(v1::PLUGIN_KIND_INDICATOR);
  by_hand.set_version("1.2.0");
  by_hand.set_summary("An example.");
  *by_hand.add_parameters() = int_param("year", 0, 0, 9999, "Year; 0 = the latest.");
  for (v1::ParameterSpec& spec : network_parameters()) *by_hand.add_parameters() = std::move(spec);
  by_hand.add_consumes(v1::ARTIFACT_KIND_PARTITION);
  by_hand.add_produces(v1::ARTIFACT_KIND_INDICATOR_TABLE);
  by_hand.add_produces(v1::ARTIFACT_KIND_COMPARISON);
  v1::Capabilities* caps = by_hand.mutable_capabilities();
  caps->set_uses_weights(true);
  caps->set_deterministic_per_seed(true);
  caps->set_thread_safe(true);

  const v1::PluginDescription built =
      describe_plugin("indicator.example", v1::PLUGIN_KIND_INDICATOR, "1.2.0", "An example.")
          .parameter(int_param("year", 0, 0, 9999, "Year; 0 = the latest."))
          .parameters(network_parameters())
          .consumes(v1::ARTIFACT_KIND_PARTITION)
          .produces(v1::ARTIFACT_KIND_INDICATOR_TABLE)
          .produces(v1::ARTIFACT_KIND_COMPARISON)
          .uses_weights();
  EXPECT_EQ(built.SerializeAsString(), by_hand.SerializeAsString()) << built.DebugString();
}

TEST(DescriptionBuilder, EveryPluginIsDeterministicAndThreadSafeAndUsesNoWeightsUnlessSaid) {
  const v1::PluginDescription d = describe_plugin("region.x", v1::PLUGIN_KIND_REGION_DEFINITION, "1.0.0", "X.");
  ASSERT_TRUE(d.has_capabilities());
  EXPECT_TRUE(d.capabilities().deterministic_per_seed());
  EXPECT_TRUE(d.capabilities().thread_safe());
  EXPECT_FALSE(d.capabilities().uses_weights());
  EXPECT_EQ(d.parameters_size(), 0);
}

TEST(InputChecks, AMissingPartitionGivesTheOneMessage) {
  StepWithInputs step({v1::Artifacts()});
  Expected<const v1::Partition*> partition = require_input_partition(step.context(), "indicator.example");
  ASSERT_FALSE(partition.has_value());
  EXPECT_EQ(partition.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(partition.status().message(),
            "step 's': indicator.example needs a partition from an input step (e.g. a clustering step), found none");
}

TEST(InputChecks, FindPartitionsAndTablesByName) {
  v1::Artifacts first;
  *first.add_tables() = table_with("congruence", {"congruence_c1", "congruence_c2"});
  v1::Artifacts second;
  *second.add_partitions() = partition_named("bre");
  *second.add_partitions() = partition_named("bre_coarser");
  *second.add_tables() = table_with("broad_wellbeing", {"level", "trend"});
  StepWithInputs step({first, second});
  const StepContext& context = step.context();

  Expected<const v1::Partition*> partition = require_input_partition(context, "indicator.example");
  ASSERT_TRUE(partition.has_value());
  EXPECT_EQ((*partition)->name(), "bre");
  ASSERT_NE(input_partition_named(context, "bre_coarser"), nullptr);
  EXPECT_EQ(input_partition_named(context, "bre_coarser")->name(), "bre_coarser");
  EXPECT_EQ(input_partition_named(context, "provinces"), nullptr);
  EXPECT_EQ(input_partition_names(context), "bre, bre_coarser");

  ASSERT_NE(input_table_named(context, "broad_wellbeing"), nullptr);
  EXPECT_EQ(input_table_named(context, "", "trend")->name(), "broad_wellbeing");
  EXPECT_EQ(input_table_named(context, "congruence", "trend"), nullptr);
  EXPECT_EQ(input_table_names(context),
            "a: congruence (congruence_c1, congruence_c2); b: broad_wellbeing (level, trend)");

  Expected<const v1::IndicatorTable*> table =
      require_input_table(context, "indicator.example", "biotope", "indicator.biotope");
  ASSERT_FALSE(table.has_value());
  EXPECT_EQ(table.status().message(),
            "step 's': indicator.example needs the table 'biotope' of an input step (e.g. indicator.biotope), "
            "found none");
}

TEST(InputChecks, WithoutInputsThereIsNothingToName) {
  StepWithInputs step({});
  EXPECT_EQ(input_partition_names(step.context()), "none");
  EXPECT_EQ(input_table_names(step.context()), "none");
  EXPECT_FALSE(require_input_partition(step.context(), "x").has_value());
}

TEST(InputChecks, StepWarningsNameTheStepInTheRunsLanguage) {
  StepWithInputs step({});  // no manifest: Dutch, the default
  v1::Artifacts out;
  add_step_warnings(step.context(), {"een", "twee"}, out);
  ASSERT_EQ(out.warnings_size(), 2);
  EXPECT_EQ(out.warnings(0), "stap 's': een");
  EXPECT_EQ(out.warnings(1), "stap 's': twee");
}

TEST(Texts, BilingualPicksTheLanguage) {
  const Bilingual text{"Gemeenten", "Municipalities"};
  EXPECT_EQ(text.in(Language::kDutch), "Gemeenten");
  EXPECT_EQ(text.in(Language::kEnglish), "Municipalities");
}

TEST(Texts, NumbersUseTheLanguagesDecimalSign) {
  EXPECT_EQ(format_decimal(Language::kDutch, 0.254, 2), "0,25");
  EXPECT_EQ(format_decimal(Language::kEnglish, 0.254, 2), "0.25");
  EXPECT_EQ(format_decimal(Language::kDutch, -1234.5, 1), "-1234,5");
  EXPECT_EQ(format_decimal(Language::kEnglish, std::nan(""), 2), "NaN");
  EXPECT_EQ(format_percent(Language::kDutch, 0.125, 1), "12,5%");
  EXPECT_EQ(format_percent(Language::kEnglish, 0.5), "50%");
}

constexpr ParameterDecl<std::int64_t> kYear{"year", 0, 0, 9999, "Year; 0 = the latest."};

TEST(ParameterDecl, SpecAndReadGoThroughTheSameName) {
  EXPECT_EQ(kYear.spec().SerializeAsString(), int_param("year", 0, 0, 9999, "Year; 0 = the latest.").SerializeAsString());
  EXPECT_EQ(kResolution.spec("gamma").SerializeAsString(),
            double_param("resolution", 1.0, 1e-9, 100.0, "gamma").SerializeAsString());
  EXPECT_EQ(kResolution.with_minimum(0.0).spec("gamma").SerializeAsString(),
            double_param("resolution", 1.0, 0.0, 100.0, "gamma").SerializeAsString());

  google::protobuf::Struct given;
  (*given.mutable_fields())["year"].set_number_value(2016);
  Expected<Params> params = Params::resolve(given, {kYear.spec(), kResolution.spec()});
  ASSERT_TRUE(params.has_value()) << params.status().message();
  EXPECT_EQ(kYear.read(*params), 2016);
  EXPECT_DOUBLE_EQ(kResolution.read(*params), 1.0);
}

}  // namespace
}  // namespace bre::test
