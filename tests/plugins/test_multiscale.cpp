// clustering.multiscale on the demo dataset, whose planted regions are the answer the
// scale selection must find, plus its parameter checks and its tables. The profile and
// its plateaus are tested on planted hierarchies in tests/framework/test_multiscale.cpp.
#include <tbb/task_arena.h>

#include <cmath>
#include <cstdio>
#include <set>
#include <string>

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "indicator_table.hpp"
#include "multiscale.hpp"
#include "plugin_harness.hpp"

namespace bre::clustering {
namespace {

using google::protobuf::Struct;

const v1::IndicatorTable* table_named(const v1::Artifacts& out, const std::string& name) {
  for (const v1::IndicatorTable& table : out.tables()) {
    if (table.name() == name) return &table;
  }
  return nullptr;
}

double cell(const v1::IndicatorTable& table, const v1::IndicatorRow& row, const std::string& column) {
  const auto index = indicator::find_column(table, column);
  EXPECT_TRUE(index.has_value()) << column;
  return index ? row.values(*index) : NAN;
}

class MultiscalePluginTest : public testing::Test {
 protected:
  test::PluginHarness harness_{"clustering_multiscale.so", "clustering.multiscale"};
  const test::DemoFixture fixture_;
};

TEST_F(MultiscalePluginTest, DescribesFractionalWeightingAndItsParameters) {
  ASSERT_NE(harness_.plugin(), nullptr);
  std::set<std::string> names;
  for (const v1::ParameterSpec& spec : harness_.plugin()->description.parameters()) {
    names.insert(spec.name());
    if (spec.name() == "weighting") {
      EXPECT_EQ(spec.default_value().string_value(), "fractional");
    }
    if (spec.name() == "scale") {
      EXPECT_EQ(spec.default_value().string_value(), "auto");
    }
  }
  for (const char* name : {"resolution_min", "resolution_max", "resolution_count", "seeds", "algorithms", "scale",
                           "target_regions", "plateau_rank", "members", "min_seed_agreement", "min_plateau_decades",
                           "same_partition_ari", "weighting", "kinds", "min_region_size", "enforce_contiguity",
                           "seed"}) {
    EXPECT_TRUE(names.count(name)) << name;
  }
}

TEST_F(MultiscalePluginTest, AutoFindsThePlantedRegionsWithConfidenceAndTheLevelAbove) {
  ASSERT_NE(harness_.plugin(), nullptr);
  const Expected<v1::Artifacts> out = harness_.run(fixture_.index, {}, 7, "bre");
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const Expected<Membership> truth = membership_of(fixture_.index, fixture_.planted.partitions(0));
  ASSERT_TRUE(truth.has_value());
  ASSERT_GE(out->partitions_size(), 1);
  const v1::Partition& selected = out->partitions(0);
  EXPECT_EQ(selected.name(), "bre");
  EXPECT_EQ(selected.source(), "clustering.multiscale");
  const Expected<Membership> found = membership_of(fixture_.index, selected);
  ASSERT_TRUE(found.has_value());
  const double nmi = normalized_mutual_information(*found, *truth);
  std::printf("clustering.multiscale on the demo dataset: %d regions (planted %d), NMI %.4f, resolution %.3f\n",
              selected.regions_size(), fixture_.planted.partitions(0).regions_size(), nmi, selected.resolution());
  EXPECT_GE(nmi, 0.95);
  EXPECT_EQ(selected.membership_confidence_size(),
            static_cast<int>(fixture_.index.municipality_count()) - selected.unassigned_size());
  // Modularity is recorded at the selected plateau's centre, on the fractional network.
  NetworkOptions fractional;
  fractional.weighting = Weighting::kFractional;
  const Expected<Graph> graph = build_cooperation_network(fixture_.index, fractional);
  ASSERT_TRUE(graph.has_value());
  EXPECT_NEAR(selected.modularity(), modularity(*graph, *found, selected.resolution()), 1e-12);

  const v1::IndicatorTable* plateaus = table_named(*out, "scale_plateaus");
  const v1::IndicatorTable* profile = table_named(*out, "scale_profile");
  ASSERT_NE(plateaus, nullptr);
  ASSERT_NE(profile, nullptr);
  ASSERT_NE(table_named(*out, "membership_confidence"), nullptr);
  EXPECT_EQ(profile->rows_size(), 61);
  // Exactly one plateau is selected; it is stable, of width rank 1, and holds the
  // partition's resolution.
  int selected_rows = 0;
  const auto level = indicator::find_column(*plateaus, "level");
  const auto status = indicator::find_column(*plateaus, "status");
  ASSERT_TRUE(level && status);
  for (const v1::IndicatorRow& row : plateaus->rows()) {
    if (row.values(*level) != 0.0) continue;
    ++selected_rows;
    EXPECT_EQ(plateaus->columns(*status).categories(static_cast<int>(row.values(*status))), "stable");
    EXPECT_EQ(cell(*plateaus, row, "width_rank"), 1.0);
    EXPECT_GE(selected.resolution(), cell(*plateaus, row, "resolution_from"));
    EXPECT_LE(selected.resolution(), cell(*plateaus, row, "resolution_to"));
  }
  EXPECT_EQ(selected_rows, 1);

  // The coarser level: a second partition with fewer regions, and the nesting table.
  ASSERT_EQ(out->partitions_size(), 2);
  const v1::Partition& coarser = out->partitions(1);
  EXPECT_EQ(coarser.name(), "bre_coarser");
  EXPECT_LT(coarser.regions_size(), selected.regions_size());
  const v1::IndicatorTable* nesting = table_named(*out, "nesting");
  ASSERT_NE(nesting, nullptr);
  EXPECT_EQ(nesting->partition_name(), "bre");
  ASSERT_EQ(nesting->rows_size(), selected.regions_size());
  const Expected<Membership> coarse = membership_of(fixture_.index, coarser);
  ASSERT_TRUE(coarse.has_value());
  for (int r = 0; r < nesting->rows_size(); ++r) {
    // Recount the overlap by hand for the parent the table names.
    const double parent = cell(*nesting, nesting->rows(r), "coarser_region");
    double inside = 0.0;
    double size = 0.0;
    for (std::size_t v = 0; v < found->size(); ++v) {
      if ((*found)[v] != r) continue;
      size += 1.0;
      inside += (*coarse)[v] == static_cast<std::int32_t>(parent) ? 1.0 : 0.0;
    }
    EXPECT_DOUBLE_EQ(cell(*nesting, nesting->rows(r), "share_in_coarser"), inside / size);
    EXPECT_GE(inside / size, 0.5) << "region " << nesting->rows(r).region_id() << " barely nests";
  }
}

TEST_F(MultiscalePluginTest, SameBytesForOneAndTwoThreads) {
  ASSERT_NE(harness_.plugin(), nullptr);
  Struct given;
  (*given.mutable_fields())["members"].set_number_value(20);
  std::vector<std::string> bytes;
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      const Expected<v1::Artifacts> out = harness_.run(fixture_.index, given, 3);
      ASSERT_TRUE(out.has_value()) << out.status().message();
      bytes.push_back(out->SerializeAsString());
    });
  }
  ASSERT_EQ(bytes.size(), 2u);
  EXPECT_EQ(bytes[0], bytes[1]);
}

TEST_F(MultiscalePluginTest, ScaleRequestsAndTheirCompanionParameters) {
  ASSERT_NE(harness_.plugin(), nullptr);
  auto run = [&](const std::string& scale, const char* companion, double value) {
    Struct given;
    (*given.mutable_fields())["scale"].set_string_value(scale);
    (*given.mutable_fields())["members"].set_number_value(0);
    if (companion != nullptr) (*given.mutable_fields())[companion].set_number_value(value);
    return harness_.run(fixture_.index, given, 5);
  };
  const Expected<v1::Artifacts> coarsest = run("coarsest_stable", nullptr, 0);
  const Expected<v1::Artifacts> finest = run("finest_stable", nullptr, 0);
  ASSERT_TRUE(coarsest.has_value()) << coarsest.status().message();
  ASSERT_TRUE(finest.has_value()) << finest.status().message();
  EXPECT_LT(coarsest->partitions(0).regions_size(), finest->partitions(0).regions_size());
  EXPECT_EQ(coarsest->partitions(0).membership_confidence_size(), 0) << "members = 0 gives no ensemble";
  const Expected<v1::Artifacts> twelve = run("regions", "target_regions", 12);
  ASSERT_TRUE(twelve.has_value()) << twelve.status().message();
  const Expected<v1::Artifacts> second = run("rank", "plateau_rank", 2);
  ASSERT_TRUE(second.has_value()) << second.status().message();

  struct Refused {
    std::string scale;
    const char* companion;
    double value;
    const char* expected;
  };
  for (const Refused& c : {Refused{"regions", nullptr, 0, "target_regions"},
                           Refused{"auto", "target_regions", 12, "used only with scale = regions"},
                           Refused{"rank", nullptr, 0, "plateau_rank"},
                           Refused{"finest_stable", "plateau_rank", 3, "used only with scale = rank"},
                           Refused{"regions", "target_regions", 1, "target_regions"}}) {
    const Expected<v1::Artifacts> out = run(c.scale, c.companion, c.value);
    ASSERT_FALSE(out.has_value()) << c.scale;
    EXPECT_NE(out.status().message().find(c.expected), std::string::npos) << out.status().message();
  }
}

TEST_F(MultiscalePluginTest, RefusesBadRangesAndGridsNamingTheParameter) {
  ASSERT_NE(harness_.plugin(), nullptr);
  struct Case {
    const char* name;
    double value;
    const char* expected;
  };
  for (const Case& c : {Case{"resolution_max", 0.1, "resolution_max"},       // empty range
                        Case{"resolution_max", 0.05, "resolution_max"},      // reversed
                        Case{"resolution_min", 0.0, "resolution_min"},       // out of the declared range
                        Case{"resolution_count", 1, "resolution_count"},
                        Case{"resolution_count", 10001, "resolution_count"},
                        Case{"seeds", 1001, "seeds"}}) {
    Struct given;
    (*given.mutable_fields())[c.name].set_number_value(c.value);
    const Expected<v1::Artifacts> out = harness_.run(fixture_.index, given, 1);
    ASSERT_FALSE(out.has_value()) << c.name << " = " << c.value;
    EXPECT_NE(out.status().message().find(c.expected), std::string::npos) << out.status().message();
  }
  Struct too_many;
  (*too_many.mutable_fields())["resolution_count"].set_number_value(10000);
  (*too_many.mutable_fields())["seeds"].set_number_value(20);
  const Expected<v1::Artifacts> out = harness_.run(fixture_.index, too_many, 1);
  ASSERT_FALSE(out.has_value());
  EXPECT_NE(out.status().message().find("at most 200000 members"), std::string::npos) << out.status().message();
}

TEST_F(MultiscalePluginTest, NarrowRangeWithoutPlateauWarnsAndFallsBack) {
  ASSERT_NE(harness_.plugin(), nullptr);
  Struct given;
  (*given.mutable_fields())["resolution_min"].set_number_value(0.9);
  (*given.mutable_fields())["resolution_max"].set_number_value(1.1);
  (*given.mutable_fields())["resolution_count"].set_number_value(3);
  (*given.mutable_fields())["members"].set_number_value(0);
  const Expected<v1::Artifacts> out = harness_.run(fixture_.index, given, 1);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  bool warned = false;
  for (const std::string& warning : out->warnings()) {
    warned = warned || warning.find("toont geen stabiel plateau in [0,9; 1,1]; daarom de beste partitie bij "
                                    "resolutie 0,995") != std::string::npos;
  }
  EXPECT_TRUE(warned) << "no Dutch fallback warning";
  harness_.set_language(Language::kEnglish);
  const Expected<v1::Artifacts> english = harness_.run(fixture_.index, given, 1);
  ASSERT_TRUE(english.has_value()) << english.status().message();
  warned = false;
  for (const std::string& warning : english->warnings()) {
    warned = warned || warning.find("shows no stable plateau in [0.9, 1.1]; falling back to the best partition at "
                                    "resolution 0.995") != std::string::npos;
  }
  EXPECT_TRUE(warned) << "no English fallback warning";
  // Only the texts differ between the languages.
  ASSERT_EQ(english->partitions_size(), out->partitions_size());
  EXPECT_EQ(english->partitions(0).SerializeAsString(), out->partitions(0).SerializeAsString());
  EXPECT_EQ(out->partitions_size(), 1);
  // The grid point nearest resolution 1: the middle of 0.9, 0.995, 1.1.
  EXPECT_NEAR(out->partitions(0).resolution(), std::sqrt(0.9 * 1.1), 1e-12);
}

}  // namespace
}  // namespace bre::clustering
