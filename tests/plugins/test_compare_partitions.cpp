// Tests of indicator.compare_partitions: the core on a hand-built dataset, then the
// plugin loaded from the build tree comparing clusterings of the demo dataset, and a
// pipeline that sets a constraint parameter on a plugin that does not declare it.
#include <google/protobuf/struct.pb.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/compare.hpp"
#include "bre/host.hpp"
#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "bre/pipeline.hpp"
#include "compare_partitions.hpp"
#include "plugin_harness.hpp"

namespace bre {
namespace {

// Four municipalities in a row on the map; ties {1,2} and {3,4} with a bridge 2-3.
v1::Dataset row_dataset() {
  v1::Dataset dataset;
  for (int i = 1; i <= 4; ++i) {
    v1::Municipality* m = dataset.add_municipalities();
    m->set_code("GM000" + std::to_string(i));
    m->set_name("M" + std::to_string(i));
  }
  for (int i = 1; i < 4; ++i) {
    v1::Adjacency* pair = dataset.add_adjacency();
    pair->set_a_code("GM000" + std::to_string(i));
    pair->set_b_code("GM000" + std::to_string(i + 1));
    pair->set_shared_border_m(1000);
  }
  return dataset;
}

v1::Partition partition_of(const std::string& name, const std::vector<std::vector<std::string>>& regions) {
  v1::Partition partition;
  partition.set_name(name);
  for (std::size_t r = 0; r < regions.size(); ++r) {
    v1::Region* region = partition.add_regions();
    region->set_id("R0" + std::to_string(r + 1));
    for (const auto& code : regions[r]) region->add_municipality_codes(code);
  }
  return partition;
}

TEST(ComparePartitions, CoreProducesComparisonsAndTables) {
  const v1::Dataset dataset = row_dataset();
  const DatasetIndex index(dataset);
  const Expected<Graph> ties = Graph::from_edges(4, {{0, 1, 2}, {2, 3, 2}, {1, 2, 1}});
  ASSERT_TRUE(ties.has_value());
  const std::vector<v1::Partition> partitions = {
      partition_of("halves", {{"GM0001", "GM0002"}, {"GM0003", "GM0004"}}),
      partition_of("ends", {{"GM0001", "GM0004"}, {"GM0002", "GM0003"}})};
  v1::Artifacts out;
  ASSERT_TRUE(indicator::compare_partitions_into(index, *ties, partitions, {}, Language::kEnglish, out).is_ok());
  ASSERT_EQ(out.comparisons_size(), 1);
  const v1::PartitionComparison& c = out.comparisons(0);
  // Contingency 1 in each cell: independent partitions, NMI 0, and every region's best
  // Jaccard is 1/3.
  EXPECT_NEAR(c.nmi(), 0.0, 1e-15);
  EXPECT_DOUBLE_EQ(c.mean_best_jaccard_a_to_b(), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(c.summary_a().contiguity(), 1.0);
  EXPECT_DOUBLE_EQ(c.summary_b().contiguity(), 0.5);  // {1,4} is in two pieces
  // m = 5: halves Q = 2·(2/5 - (5/10)²) = 0.3.
  EXPECT_NEAR(c.summary_a().modularity(), 0.3, 1e-15);
  ASSERT_EQ(out.tables_size(), 2);
  EXPECT_EQ(out.tables(0).name(), "partitions");
  EXPECT_EQ(out.tables(1).name(), "comparison");
  EXPECT_EQ(out.tables(1).rows(0).region_id(), "halves vs ends");
  EXPECT_EQ(out.warnings_size(), 0);

  v1::Dataset no_map = dataset;
  no_map.clear_adjacency();
  v1::Artifacts unknown;
  ASSERT_TRUE(indicator::compare_partitions_into(DatasetIndex(no_map), *ties, partitions, {}, Language::kEnglish, unknown).is_ok());
  EXPECT_TRUE(std::isnan(unknown.comparisons(0).summary_a().contiguity()));
  ASSERT_EQ(unknown.warnings_size(), 1);
}

TEST(ComparePartitionsPlugin, ComparesInputPartitionsOfTheDemo) {
  const test::PluginHarness harness("indicator_compare_partitions.so", "indicator.compare_partitions");
  ASSERT_NE(harness.plugin(), nullptr);
  const v1::PluginDescription& d = harness.plugin()->description;
  EXPECT_EQ(d.kind(), v1::PLUGIN_KIND_INDICATOR);
  ASSERT_EQ(d.consumes_size(), 1);
  EXPECT_EQ(d.consumes(0), v1::ARTIFACT_KIND_PARTITION);

  const test::DemoFixture fixture;
  const test::PluginHarness leiden("clustering_igraph_leiden.so", "clustering.igraph_leiden");
  const Expected<v1::Artifacts> clustered = leiden.run(fixture.index, {}, 3, "bre");
  ASSERT_TRUE(clustered.has_value()) << clustered.status().message();
  v1::Artifacts input = fixture.planted;
  input.mutable_partitions()->Add()->CopyFrom(clustered->partitions(0));

  const Expected<Params> params = harness.params();
  ASSERT_TRUE(params.has_value());
  v1::Artifacts out;
  const Status status = harness.run(fixture.index, *params, 1, &input, out, "compare");
  ASSERT_TRUE(status.is_ok()) << status.message();
  ASSERT_EQ(out.comparisons_size(), 1);
  const v1::PartitionComparison& c = out.comparisons(0);
  EXPECT_EQ(c.partition_a(), "planted");
  EXPECT_EQ(c.partition_b(), "bre");
  // The same numbers as bre/partition.hpp computes on the memberships.
  const Expected<Membership> a = membership_of(fixture.index, fixture.planted.partitions(0));
  const Expected<Membership> b = membership_of(fixture.index, clustered->partitions(0));
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_DOUBLE_EQ(c.nmi(), normalized_mutual_information(*a, *b));
  EXPECT_DOUBLE_EQ(c.adjusted_rand(), adjusted_rand_index(*a, *b));
  EXPECT_DOUBLE_EQ(c.summary_b().modularity(), clustered->partitions(0).modularity());
  EXPECT_DOUBLE_EQ(c.summary_a().contiguity(), 1.0);  // planted regions are grown contiguous
  EXPECT_EQ(c.disagreement_size(), c.compared_municipalities());
  int disagreeing = 0;
  for (const auto& value : c.disagreement()) disagreeing += value.value() == 1.0 ? 1 : 0;
  EXPECT_EQ(disagreeing, c.disagreement_count());
  std::printf("planted vs igraph Leiden on the demo: NMI %.4f, ARI %.4f, %d of %d municipalities disagree\n", c.nmi(),
              c.adjusted_rand(), c.disagreement_count(), c.compared_municipalities());

  v1::Artifacts one = fixture.planted;
  v1::Artifacts refused;
  const Status too_few = harness.run(fixture.index, *params, 1, &one, refused, "compare");
  EXPECT_EQ(too_few.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_few.message().find("two or more partitions"), std::string::npos) << too_few.message();
}

// The engine refuses a step that sets a constraint parameter the plugin does not
// declare, naming the step and the parameter, before anything runs.
TEST(ComparePartitionsPlugin, PipelineRefusesUndeclaredConstraintParameter) {
  PluginHost host;
  ASSERT_TRUE(host.load_directory(BRE_TEST_PLUGIN_DIR, "test").is_ok());
  const Expected<v1::PipelineSpec> spec = parse_pipeline_spec(
      R"({"name": "t", "steps": [
           {"id": "bre", "plugin": "clustering.igraph_leiden", "params": {"enforce_contiguity": true}},
           {"id": "provinces", "plugin": "region.provinces", "params": {"min_region_size": 3}}]})",
      "test");
  ASSERT_TRUE(spec.has_value()) << spec.status().message();
  const Expected<ValidatedPipeline> pipeline = validate_pipeline(*spec, host);
  ASSERT_FALSE(pipeline.has_value());
  EXPECT_NE(pipeline.status().message().find("step 'provinces'"), std::string::npos) << pipeline.status().message();
  EXPECT_NE(pipeline.status().message().find("unknown parameter 'min_region_size'"), std::string::npos)
      << pipeline.status().message();
}

}  // namespace
}  // namespace bre
