// Tests of clustering.infomap, clustering.walktrap and clustering.spectral: each
// algorithm class on seeded planted partitions (against the planted truth and
// igraph_modularity), its determinism and error paths; then the plugins loaded from
// the build tree on the demo dataset, with the region constraints.
#include <google/protobuf/struct.pb.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/graph.hpp"
#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "bre/planted_partition.hpp"
#include "bre/random.hpp"
#include "bre/region_constraints.hpp"
#include "igraph_reference.hpp"
#include "infomap.hpp"
#include "plugin_harness.hpp"
#include "spectral.hpp"
#include "walktrap.hpp"

namespace bre::clustering {
namespace {

using test::igraph_modularity_of;

// Planted groups with tie probabilities p_in and p_out (bre/planted_partition.hpp).
using Planted = demo::PlantedPartition;

Planted planted_partition(std::size_t groups, std::size_t group_size, double p_in, double p_out, std::uint64_t seed) {
  return *demo::planted_pairs_partition(
      {.groups = groups, .group_size = group_size, .p_in = p_in, .p_out = p_out, .seed = seed});
}

const Planted& reference_graph() {
  static const Planted planted = planted_partition(4, 25, 0.3, 0.02, 20160101);
  return planted;
}

Graph graph_of(std::size_t n, std::vector<WeightedEdge> edges) {
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  EXPECT_TRUE(graph.has_value());
  return std::move(graph).value();
}

// Two triangles joined by one edge, and node 6 without any tie.
Graph two_triangles_and_isolated() {
  return graph_of(7, {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1}, {3, 5, 1}, {2, 3, 1}});
}

// ---- Infomap --------------------------------------------------------------------------

TEST(IgraphInfomap, RecoversPlantedPartition) {
  const Planted& planted = reference_graph();
  for (std::uint64_t seed : {1u, 2u}) {
    InfomapParameters parameters;
    parameters.seed = seed;
    IgraphInfomap infomap(planted.graph, parameters);
    ASSERT_TRUE(infomap.run().is_ok());
    EXPECT_GE(normalized_mutual_information(infomap.membership(), planted.truth), 0.95) << "seed " << seed;
    EXPECT_EQ(infomap.region_count(), 4);
    EXPECT_NEAR(infomap.modularity(), igraph_modularity_of(planted.graph, infomap.membership(), 1.0), 1e-12);
    EXPECT_GT(infomap.codelength(), 0.0);
  }
}

TEST(IgraphInfomap, SameSeedSameResultAlsoAcrossThreads) {
  const Planted planted = planted_partition(6, 12, 0.3, 0.05, 9);
  InfomapParameters parameters;
  parameters.seed = 77;
  parameters.trials = 3;
  IgraphInfomap first(planted.graph, parameters);
  ASSERT_TRUE(first.run().is_ok());
  std::vector<Membership> concurrent(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < concurrent.size(); ++t) {
    threads.emplace_back([&, t] {
      IgraphInfomap again(planted.graph, parameters);
      if (again.run().is_ok()) concurrent[t] = again.membership();
    });
  }
  for (auto& thread : threads) thread.join();
  for (const Membership& m : concurrent) EXPECT_EQ(m, first.membership());
}

TEST(IgraphInfomap, IsolatedNodeIsItsOwnRegionAndBadInputIsRefused) {
  const Graph graph = two_triangles_and_isolated();
  IgraphInfomap infomap(graph, {});
  ASSERT_TRUE(infomap.run().is_ok());
  const Membership& m = infomap.membership();
  for (std::uint32_t i = 0; i < 6; ++i) EXPECT_NE(m[i], m[6]);

  const Graph empty;
  IgraphInfomap on_empty(empty, {});
  const Status status = on_empty.run();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("no nodes"), std::string::npos);
  InfomapParameters no_trials;
  no_trials.trials = 0;
  IgraphInfomap zero(graph, no_trials);
  EXPECT_NE(zero.run().message().find("trials"), std::string::npos);
  EXPECT_THROW((void)zero.membership(), std::logic_error);
}

// ---- Walktrap -------------------------------------------------------------------------

TEST(IgraphWalktrap, RecoversPlantedPartitionAtMaximumModularity) {
  const Planted& planted = reference_graph();
  IgraphWalktrap walktrap(planted.graph, {});
  ASSERT_TRUE(walktrap.run().is_ok());
  EXPECT_GE(normalized_mutual_information(walktrap.membership(), planted.truth), 0.95);
  EXPECT_NEAR(walktrap.modularity(), igraph_modularity_of(planted.graph, walktrap.membership(), 1.0), 1e-12);
  // The maximum-modularity cut is at least as good as every fixed cut of the dendrogram.
  for (std::int64_t k = 1; k <= 12; ++k) {
    WalktrapParameters parameters;
    parameters.regions = k;
    IgraphWalktrap cut(planted.graph, parameters);
    ASSERT_TRUE(cut.run().is_ok()) << "k " << k;
    EXPECT_EQ(cut.region_count(), k);
    EXPECT_GE(walktrap.modularity() + 1e-12, cut.modularity()) << "k " << k;
  }
}

TEST(IgraphWalktrap, CutAtRegionCountWithUntiedNodes) {
  const Graph graph = two_triangles_and_isolated();
  WalktrapParameters parameters;
  parameters.regions = 2;
  IgraphWalktrap walktrap(graph, parameters);
  ASSERT_TRUE(walktrap.run().is_ok());
  // Two triangles, and the untied node on its own on top.
  EXPECT_EQ(walktrap.membership(), (Membership{0, 0, 0, 1, 1, 1, 2}));

  // One component with ties and one untied node: k in [1, 6].
  for (std::int64_t bad : {-1, 7}) {
    parameters.regions = bad;
    IgraphWalktrap refused(graph, parameters);
    const Status status = refused.run();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("[1, 6]"), std::string::npos) << status.message();
  }
  WalktrapParameters no_steps;
  no_steps.steps = 0;
  IgraphWalktrap zero(graph, no_steps);
  EXPECT_NE(zero.run().message().find("steps"), std::string::npos);
  const Graph edgeless = graph_of(3, {});
  IgraphWalktrap no_ties(edgeless, {});
  EXPECT_EQ(no_ties.run().code(), StatusCode::kFailedPrecondition);
}

// ---- Spectral -------------------------------------------------------------------------

TEST(IgraphSpectral, RecoversPlantedPartitionAndHonoursTheBound) {
  const Planted& planted = reference_graph();
  IgraphSpectral spectral(planted.graph, {});
  ASSERT_TRUE(spectral.run().is_ok());
  EXPECT_GE(normalized_mutual_information(spectral.membership(), planted.truth), 0.9);
  EXPECT_NEAR(spectral.modularity(), igraph_modularity_of(planted.graph, spectral.membership(), 1.0), 1e-12);
  EXPECT_GT(spectral.modularity(), modularity(planted.graph, Membership(planted.graph.node_count(), 0)));
  for (std::int64_t bound : {1, 2, 3}) {
    SpectralParameters parameters;
    parameters.max_regions = bound;
    IgraphSpectral capped(planted.graph, parameters);
    ASSERT_TRUE(capped.run().is_ok());
    EXPECT_LE(capped.region_count(), bound);
  }
  SpectralParameters negative;
  negative.max_regions = -2;
  IgraphSpectral refused(planted.graph, negative);
  EXPECT_NE(refused.run().message().find("max_regions"), std::string::npos);
  const Graph empty;
  IgraphSpectral on_empty(empty, {});
  EXPECT_EQ(on_empty.run().code(), StatusCode::kInvalidArgument);
}

TEST(IgraphSpectral, SameSeedSameMembership) {
  const Planted planted = planted_partition(5, 14, 0.35, 0.04, 3);
  SpectralParameters parameters;
  parameters.seed = 5;
  IgraphSpectral a(planted.graph, parameters);
  IgraphSpectral b(planted.graph, parameters);
  ASSERT_TRUE(a.run().is_ok());
  ASSERT_TRUE(b.run().is_ok());
  EXPECT_EQ(a.membership(), b.membership());
}

// ---- The plugins on the demo dataset ---------------------------------------------------

// Whether every region's land members form one piece on the dataset's adjacency.
bool all_regions_contiguous(const DatasetIndex& index, const Membership& membership, std::string& detail) {
  const Expected<Graph> map = map_adjacency_graph(index);
  if (!map) return false;
  const std::int32_t k = region_count(membership);
  for (std::int32_t r = 0; r < k; ++r) {
    std::vector<std::uint32_t> land;
    for (std::uint32_t i = 0; i < membership.size(); ++i) {
      if (membership[i] == r && !map->neighbours(i).empty()) land.push_back(i);
    }
    if (land.empty()) continue;
    std::vector<bool> seen(membership.size(), false);
    std::vector<std::uint32_t> stack = {land.front()};
    seen[land.front()] = true;
    std::size_t reached = 0;
    while (!stack.empty()) {
      const std::uint32_t node = stack.back();
      stack.pop_back();
      ++reached;
      for (const Neighbour& next : map->neighbours(node)) {
        if (!seen[next.node] && membership[next.node] == r) {
          seen[next.node] = true;
          stack.push_back(next.node);
        }
      }
    }
    if (reached != land.size()) {
      detail = "region " + std::to_string(r) + ": " + std::to_string(reached) + " of " + std::to_string(land.size()) +
               " land members reachable";
      return false;
    }
  }
  return true;
}

struct PluginCase {
  const char* library;
  const char* name;
  double min_nmi;  // against the demo's planted regions, default parameters
  bool fixed_count;
};

// Names the case in test output instead of printing its bytes.
void PrintTo(const PluginCase& plugin_case, std::ostream* os) { *os << plugin_case.name; }

class IgraphClusteringPluginTest : public ::testing::TestWithParam<PluginCase> {};

TEST_P(IgraphClusteringPluginTest, DescribesConstraintsTruthfully) {
  const test::PluginHarness harness(GetParam().library, GetParam().name);
  ASSERT_NE(harness.plugin(), nullptr);
  const v1::PluginDescription& d = harness.plugin()->description;
  EXPECT_EQ(d.kind(), v1::PLUGIN_KIND_CLUSTERING);
  EXPECT_TRUE(validate_description(d).is_ok());
  EXPECT_TRUE(d.capabilities().honours_contiguity());
  EXPECT_TRUE(d.capabilities().honours_min_region_size());
  EXPECT_TRUE(d.capabilities().thread_safe());
  EXPECT_EQ(d.capabilities().honours_fixed_region_count(), GetParam().fixed_count);
  std::vector<std::string> names;
  for (const auto& p : d.parameters()) names.push_back(p.name());
  for (const char* expected : {"weighting", "kinds", "min_region_size", "enforce_contiguity"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST_P(IgraphClusteringPluginTest, ClustersTheDemoDatasetAndHonoursConstraints) {
  const test::PluginHarness harness(GetParam().library, GetParam().name);
  ASSERT_NE(harness.plugin(), nullptr);
  const test::DemoFixture fixture;
  const Expected<Membership> truth = membership_of(fixture.index, fixture.planted.partitions(0));
  ASSERT_TRUE(truth.has_value());

  const Expected<v1::Artifacts> plain = harness.run(fixture.index, {}, 11, "bre");
  ASSERT_TRUE(plain.has_value()) << plain.status().message();
  ASSERT_EQ(plain->partitions_size(), 1);
  const Expected<Membership> found = membership_of(fixture.index, plain->partitions(0));
  ASSERT_TRUE(found.has_value());
  const double nmi = normalized_mutual_information(*found, *truth);
  std::printf("%s on the demo dataset: %d regions, NMI %.4f against the planted regions, modularity %.4f\n",
              GetParam().name, plain->partitions(0).regions_size(), nmi, plain->partitions(0).modularity());
  EXPECT_GE(nmi, GetParam().min_nmi);
  const Expected<Graph> network = build_cooperation_network(fixture.index, {});
  ASSERT_TRUE(network.has_value());
  EXPECT_DOUBLE_EQ(plain->partitions(0).modularity(), modularity(*network, *found, 1.0));
  // Same seed, same bytes.
  const Expected<v1::Artifacts> again = harness.run(fixture.index, {}, 11, "bre");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->SerializeAsString(), plain->SerializeAsString());

  google::protobuf::Struct constrained;
  (*constrained.mutable_fields())["enforce_contiguity"].set_bool_value(true);
  (*constrained.mutable_fields())["min_region_size"].set_number_value(6);
  const Expected<v1::Artifacts> out = harness.run(fixture.index, constrained, 11, "bre");
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const Expected<Membership> membership = membership_of(fixture.index, out->partitions(0));
  ASSERT_TRUE(membership.has_value());
  std::string detail;
  EXPECT_TRUE(all_regions_contiguous(fixture.index, *membership, detail)) << detail;
  for (const v1::Region& region : out->partitions(0).regions()) EXPECT_GE(region.municipality_codes_size(), 6);
}

INSTANTIATE_TEST_SUITE_P(Plugins, IgraphClusteringPluginTest,
                         ::testing::Values(PluginCase{"clustering_infomap.so", "clustering.infomap", 0.8, false},
                                           PluginCase{"clustering_walktrap.so", "clustering.walktrap", 0.8, true},
                                           PluginCase{"clustering_spectral.so", "clustering.spectral", 0.6, false},
                                           PluginCase{"clustering_igraph_leiden.so", "clustering.igraph_leiden", 0.8,
                                                      false}),
                         [](const ::testing::TestParamInfo<PluginCase>& info) {
                           std::string name = info.param.name;
                           return name.substr(name.find('.') + 1);
                         });

TEST(WalktrapPlugin, RegionsParameterGivesThatManyRegions) {
  const test::PluginHarness harness("clustering_walktrap.so", "clustering.walktrap");
  const test::DemoFixture fixture;
  for (int k : {10, 25, 40}) {
    google::protobuf::Struct given;
    (*given.mutable_fields())["regions"].set_number_value(k);
    const Expected<v1::Artifacts> out = harness.run(fixture.index, given, 1, "walktrap");
    ASSERT_TRUE(out.has_value()) << out.status().message();
    EXPECT_EQ(out->partitions(0).regions_size(), k);
  }
  google::protobuf::Struct too_many;
  (*too_many.mutable_fields())["regions"].set_number_value(5000);
  const Expected<v1::Artifacts> refused = harness.run(fixture.index, too_many, 1, "walktrap");
  ASSERT_FALSE(refused.has_value());
}

}  // namespace
}  // namespace bre::clustering
