// Tests of the native clustering plugins (clustering.leiden, clustering.louvain,
// clustering.label_propagation, clustering.ensemble), loaded from the build tree: their
// descriptions, their partitions of the demo dataset against its planted regions,
// determinism, clustering an input network, the ensemble's confidence outputs, and the
// mapping of parameters in their core libraries.
#include <google/protobuf/struct.pb.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/graph.hpp"
#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/partition.hpp"
#include "ensemble.hpp"
#include "label_propagation.hpp"
#include "leiden.hpp"
#include "louvain.hpp"
#include "plugin_harness.hpp"

namespace bre::clustering {
namespace {

struct NativePlugin {
  const char* library;
  const char* name;
  double min_demo_nmi;  // against the demo dataset's planted regions
};

// Label propagation is no optimiser: it may merge planted regions joined by strong ties.
const NativePlugin kPlugins[] = {
    {"clustering_leiden.so", "clustering.leiden", 0.8},
    {"clustering_louvain.so", "clustering.louvain", 0.8},
    {"clustering_label_propagation.so", "clustering.label_propagation", 0.6},
    {"clustering_ensemble.so", "clustering.ensemble", 0.8},
};

class NativePluginTest : public testing::TestWithParam<NativePlugin> {
 protected:
  test::PluginHarness harness_{GetParam().library, GetParam().name};
};

TEST_P(NativePluginTest, DescribesItselfTruthfully) {
  ASSERT_NE(harness_.plugin(), nullptr);
  const v1::PluginDescription& d = harness_.plugin()->description;
  EXPECT_EQ(d.name(), GetParam().name);
  EXPECT_EQ(d.kind(), v1::PLUGIN_KIND_CLUSTERING);
  EXPECT_TRUE(d.capabilities().thread_safe());
  EXPECT_TRUE(d.capabilities().deterministic_per_seed());
  EXPECT_TRUE(d.capabilities().uses_weights());
  std::set<std::string> names;
  for (const v1::ParameterSpec& spec : d.parameters()) names.insert(spec.name());
  for (const char* expected : {"seed", "weighting", "kinds"}) EXPECT_TRUE(names.count(expected)) << expected;
}

TEST_P(NativePluginTest, RecoversThePlantedRegionsOfTheDemoDatasetDeterministically) {
  ASSERT_NE(harness_.plugin(), nullptr);
  const test::DemoFixture fixture;
  const DatasetIndex& index = fixture.index;
  ASSERT_EQ(fixture.planted.partitions_size(), 1);
  const Expected<Membership> truth = membership_of(index, fixture.planted.partitions(0));
  ASSERT_TRUE(truth.has_value());
  const Expected<v1::Artifacts> out = harness_.run(index, {}, 42);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  ASSERT_EQ(out->partitions_size(), 1);
  const v1::Partition& partition = out->partitions(0);
  EXPECT_EQ(partition.source(), GetParam().name);
  const Expected<Membership> found = membership_of(index, partition);
  ASSERT_TRUE(found.has_value()) << found.status().message();
  const double nmi = normalized_mutual_information(*found, *truth);
  std::printf("%s on the demo dataset: %d regions (planted %d), NMI %.4f, modularity %.4f\n", GetParam().name,
              partition.regions_size(), fixture.planted.partitions(0).regions_size(), nmi, partition.modularity());
  EXPECT_GE(nmi, GetParam().min_demo_nmi);
  const Expected<Graph> graph = build_cooperation_network(index, {});
  ASSERT_TRUE(graph.has_value());
  EXPECT_EQ(partition.modularity(), modularity(*graph, *found, partition.resolution()));

  const Expected<v1::Artifacts> again = harness_.run(index, {}, 42);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(out->SerializeAsString(), again->SerializeAsString());
}

TEST_P(NativePluginTest, ClustersAnInputNetworkInsteadOfTheCooperationNetwork) {
  ASSERT_NE(harness_.plugin(), nullptr);
  const test::DemoFixture fixture;
  const DatasetIndex& index = fixture.index;
  // Two 8-cliques over the first 16 municipalities; every other municipality untied.
  std::vector<WeightedEdge> edges;
  for (std::uint32_t base : {0U, 8U}) {
    for (std::uint32_t i = 0; i < 8; ++i) {
      for (std::uint32_t j = i + 1; j < 8; ++j) edges.push_back({base + i, base + j, 2.0});
    }
  }
  edges.push_back({0, 8, 1.0});
  const Expected<Graph> graph = Graph::from_edges(index.municipality_count(), edges);
  ASSERT_TRUE(graph.has_value());
  v1::Artifacts input;
  *input.add_networks() = to_network_message(*graph, index, "commuting", "two cliques");
  const Expected<Params> params = harness_.params();
  ASSERT_TRUE(params.has_value());
  v1::Artifacts out;
  const Status status = harness_.run(index, *params, 3, &input, out);
  ASSERT_TRUE(status.is_ok()) << status.message();
  const v1::Partition& partition = out.partitions(0);
  EXPECT_EQ(partition.regions_size(), 2);
  EXPECT_EQ(partition.unassigned_size(), static_cast<int>(index.municipality_count()) - 16);
  ASSERT_EQ(out.warnings_size(), 1);
  EXPECT_NE(out.warnings(0).find("blijven zonder regio"), std::string::npos) << out.warnings(0);
}

INSTANTIATE_TEST_SUITE_P(Plugins, NativePluginTest, testing::ValuesIn(kPlugins),
                         [](const testing::TestParamInfo<NativePlugin>& info) {
                           std::string name = info.param.name;
                           return name.substr(name.find('.') + 1);
                         });

TEST(NativeLeidenPlugin, RefusesAResolutionOfZeroNamingIt) {
  test::PluginHarness harness("clustering_leiden.so", "clustering.leiden");
  google::protobuf::Struct given;
  (*given.mutable_fields())["resolution"].set_number_value(0.0);
  const Expected<Params> params = harness.params(given);
  ASSERT_FALSE(params.has_value());
  EXPECT_NE(params.status().message().find("resolution"), std::string::npos) << params.status().message();
}

TEST(NativeLeidenPlugin, MapsItsParameters) {
  google::protobuf::Struct given;
  (*given.mutable_fields())["objective"].set_string_value("cpm");
  (*given.mutable_fields())["resolution"].set_number_value(0.25);
  (*given.mutable_fields())["iterations"].set_number_value(3);
  (*given.mutable_fields())["coarse_iterations"].set_number_value(-1);
  std::vector<v1::ParameterSpec> specs = native_leiden_parameters();
  const Expected<Params> params = Params::resolve(given, specs);
  ASSERT_TRUE(params.has_value()) << params.status().message();
  const Expected<clustering::LeidenParameters> options = native_leiden_options(*params, 17);
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->objective, clustering::Objective::kCpm);
  EXPECT_EQ(options->resolution, 0.25);
  EXPECT_EQ(options->beta, 0.01);
  EXPECT_EQ(options->iterations, 3);
  EXPECT_EQ(options->coarse_iterations, -1);
  EXPECT_EQ(options->seed, 17U);
  // Classic Leiden unless asked; no coarse iterations at all is refused.
  EXPECT_EQ(native_leiden_options(*Params::resolve({}, specs), 1)->coarse_iterations, 1);
  (*given.mutable_fields())["coarse_iterations"].set_number_value(0);
  const Expected<clustering::LeidenParameters> none = native_leiden_options(*Params::resolve(given, specs), 17);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.status().message(),
            "parameter 'coarse_iterations': expected -1 (until stable) or a count >= 1, found 0");
  const Expected<Params> louvain = Params::resolve({}, native_louvain_parameters());
  ASSERT_TRUE(louvain.has_value());
  EXPECT_EQ(native_louvain_options(*louvain, 4).resolution, 1.0);
  const Expected<Params> propagation = Params::resolve({}, native_label_propagation_parameters());
  ASSERT_TRUE(propagation.has_value());
  EXPECT_EQ(native_label_propagation_options(*propagation, 4).max_sweeps, 1000);
}

TEST(EnsemblePlugin, SpreadsResolutionsAndRefusesAnInvertedRange) {
  google::protobuf::Struct given;
  (*given.mutable_fields())["resolution_min"].set_number_value(0.5);
  (*given.mutable_fields())["resolution_max"].set_number_value(1.5);
  (*given.mutable_fields())["resolution_steps"].set_number_value(3);
  auto* algorithms = (*given.mutable_fields())["algorithms"].mutable_list_value();
  algorithms->add_values()->set_string_value("louvain");
  algorithms->add_values()->set_string_value("leiden");
  Expected<Params> params = Params::resolve(given, ensemble_parameters());
  ASSERT_TRUE(params.has_value()) << params.status().message();
  const Expected<clustering::EnsembleParameters> options = ensemble_options(*params, 9);
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->resolutions, (std::vector<double>{0.5, 1.0, 1.5}));
  ASSERT_EQ(options->algorithms.size(), 2U);
  EXPECT_EQ(options->algorithms[0]->name(), "louvain");
  EXPECT_EQ(options->algorithms[1]->name(), "leiden");
  (*given.mutable_fields())["resolution_max"].set_number_value(0.25);
  params = Params::resolve(given, ensemble_parameters());
  ASSERT_TRUE(params.has_value());
  const Expected<clustering::EnsembleParameters> inverted = ensemble_options(*params, 9);
  ASSERT_FALSE(inverted.has_value());
  EXPECT_NE(inverted.status().message().find("resolution_max"), std::string::npos) << inverted.status().message();
}

TEST(EnsemblePlugin, WritesConfidencePerMunicipalityAndPerRegion) {
  test::PluginHarness harness("clustering_ensemble.so", "clustering.ensemble");
  ASSERT_NE(harness.plugin(), nullptr);
  const test::DemoFixture fixture;
  google::protobuf::Struct given;
  (*given.mutable_fields())["members"].set_number_value(40);
  const Expected<v1::Artifacts> out = harness.run(fixture.index, given, 11);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const v1::Partition& partition = out->partitions(0);
  const int assigned = static_cast<int>(fixture.index.municipality_count()) - partition.unassigned_size();
  ASSERT_EQ(partition.membership_confidence_size(), assigned);
  const Expected<Membership> membership = membership_of(fixture.index, partition);
  ASSERT_TRUE(membership.has_value());
  std::vector<double> sum(static_cast<std::size_t>(partition.regions_size()), 0.0);
  std::vector<double> count(sum.size(), 0.0);
  for (const v1::MunicipalityValue& value : partition.membership_confidence()) {
    EXPECT_GE(value.value(), 0.0);
    EXPECT_LE(value.value(), 1.0);
    // A share of 40 members.
    EXPECT_NEAR(value.value() * 40, std::round(value.value() * 40), 1e-9);
    const std::int32_t region = (*membership)[*fixture.index.municipality(value.municipality_code())];
    sum[static_cast<std::size_t>(region)] += value.value();
    count[static_cast<std::size_t>(region)] += 1.0;
  }
  ASSERT_EQ(out->tables_size(), 1);
  const v1::IndicatorTable& table = out->tables(0);
  EXPECT_EQ(table.name(), "membership_confidence");
  ASSERT_EQ(table.rows_size(), partition.regions_size());
  for (int r = 0; r < table.rows_size(); ++r) {
    EXPECT_EQ(table.rows(r).region_id(), partition.regions(r).id());
    EXPECT_EQ(table.rows(r).values(0), count[static_cast<std::size_t>(r)]);
    EXPECT_NEAR(table.rows(r).values(1), sum[static_cast<std::size_t>(r)] / count[static_cast<std::size_t>(r)],
                1e-12);
    EXPECT_LE(table.rows(r).values(2), table.rows(r).values(1));
  }
  ASSERT_EQ(table.summary_rows_size(), 1);
  EXPECT_EQ(table.summary_rows(0).values(0), assigned);
}

}  // namespace
}  // namespace bre::clustering
