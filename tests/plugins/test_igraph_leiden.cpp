// Tests of clustering.igraph_leiden: the IgraphLeiden algorithm class on planted
// partitions, its agreement with igraph_modularity, determinism, thread safety through
// bre::igraph_mutex(), error paths; then the plugin itself, loaded from the build tree,
// on a small dataset and on the demo dataset.
#include <igraph/igraph.h>

#include <google/protobuf/struct.pb.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/graph.hpp"
#include "bre/host.hpp"
#include "bre/igraph_lock.hpp"
#include "bre/network.hpp"
#include "bre/params.hpp"
#include "bre/partition.hpp"
#include "bre/planted_partition.hpp"
#include "bre/plugin.hpp"
#include "bre/random.hpp"
#include "igraph_leiden.hpp"
#include "igraph_support.hpp"
#include "igraph_reference.hpp"
#include "plugin_harness.hpp"

namespace bre::clustering {
namespace {

// Planted groups with tie probabilities p_in and p_out (bre/planted_partition.hpp).
using Planted = demo::PlantedPartition;

Planted planted_partition(std::size_t groups, std::size_t group_size, double p_in, double p_out,
                          std::uint64_t seed) {
  return *demo::planted_pairs_partition(
      {.groups = groups, .group_size = group_size, .p_in = p_in, .p_out = p_out, .seed = seed});
}

// The brief's reference graph: 4 groups of 25, p_in 0.3, p_out 0.02.
const Planted& reference_graph() {
  static const Planted planted = planted_partition(4, 25, 0.3, 0.02, 20160101);
  return planted;
}

Membership run_leiden(const Graph& graph, IgraphLeidenParameters parameters) {
  IgraphLeiden leiden(graph, std::move(parameters));
  const Status status = leiden.run();
  EXPECT_TRUE(status.is_ok()) << status.message();
  return status.is_ok() ? leiden.membership() : Membership{};
}

using test::igraph_modularity_of;

// ---- The algorithm -----------------------------------------------------------------------

TEST(IgraphLeiden, RecoversPlantedPartition) {
  const Planted& planted = reference_graph();
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    IgraphLeidenParameters parameters;
    parameters.seed = seed;
    IgraphLeiden leiden(planted.graph, parameters);
    ASSERT_TRUE(leiden.run().is_ok());
    const double nmi = normalized_mutual_information(leiden.membership(), planted.truth);
    EXPECT_GE(nmi, 0.95) << "seed " << seed;
    EXPECT_EQ(leiden.region_count(), 4) << "seed " << seed;
    RecordProperty("nmi_seed_" + std::to_string(seed), std::to_string(nmi));
  }
}

TEST(IgraphLeiden, ReportedModularityMatchesBreAndIgraph) {
  const Planted& planted = reference_graph();
  for (double resolution : {0.5, 1.0, 2.0}) {
    IgraphLeidenParameters parameters;
    parameters.resolution = resolution;
    parameters.seed = 11;
    IgraphLeiden leiden(planted.graph, parameters);
    ASSERT_TRUE(leiden.run().is_ok());
    const double reported = leiden.modularity();
    EXPECT_NEAR(reported, modularity(planted.graph, leiden.membership(), resolution), 1e-12);
    EXPECT_NEAR(reported, igraph_modularity_of(planted.graph, leiden.membership(), resolution), 1e-12);
    // igraph's own objective value is the same quantity (modularity objective).
    EXPECT_NEAR(reported, leiden.quality(), 1e-9) << "resolution " << resolution;
    // At least as good as the planted partition (Leiden maximises modularity).
    EXPECT_GE(reported + 1e-12, modularity(planted.graph, planted.truth, resolution));
  }
}

TEST(IgraphLeiden, WeightedGraphModularityMatchesIgraph) {
  // Planted graph with weights: rng-drawn weights in [0.5, 3) on the reference edges.
  const Planted& planted = reference_graph();
  SplitMix64 rng(99);
  std::vector<WeightedEdge> edges = planted.graph.edge_list();
  for (auto& e : edges) e.weight = rng.uniform(0.5, 3.0);
  edges.push_back({5, 5, 2.0});  // a self-loop, counted as igraph counts it
  Expected<Graph> graph = Graph::from_edges(planted.graph.node_count(), edges);
  ASSERT_TRUE(graph.has_value());
  IgraphLeidenParameters parameters;
  parameters.seed = 5;
  IgraphLeiden leiden(*graph, parameters);
  ASSERT_TRUE(leiden.run().is_ok());
  EXPECT_NEAR(leiden.modularity(), igraph_modularity_of(*graph, leiden.membership(), 1.0), 1e-12);
  EXPECT_GE(normalized_mutual_information(leiden.membership(), planted.truth), 0.95);
}

TEST(IgraphLeiden, SameSeedSameMembership) {
  const Planted planted = planted_partition(6, 15, 0.25, 0.04, 7);
  IgraphLeidenParameters parameters;
  parameters.seed = 123456789012345ULL;
  const Membership first = run_leiden(planted.graph, parameters);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(run_leiden(planted.graph, parameters), first);
  // Canonical labels: regions numbered in order of first appearance.
  EXPECT_EQ(first, canonical_labels(first));
}

TEST(IgraphLeiden, HigherResolutionGivesAtLeastAsManyRegions) {
  const Planted planted = planted_partition(8, 12, 0.35, 0.03, 42);
  std::int32_t previous = 0;
  for (double resolution : {0.05, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0}) {
    IgraphLeidenParameters parameters;
    parameters.resolution = resolution;
    parameters.seed = 3;
    IgraphLeiden leiden(planted.graph, parameters);
    ASSERT_TRUE(leiden.run().is_ok());
    EXPECT_GE(leiden.region_count(), previous) << "resolution " << resolution;
    previous = leiden.region_count();
  }
  EXPECT_GT(previous, 8);  // at gamma 25 the planted groups break up
}

TEST(IgraphLeiden, ConcurrentRunsEqualSequentialOnes) {
  const Planted& planted = reference_graph();
  constexpr int kThreads = 8;
  constexpr int kRepeats = 4;
  std::vector<Membership> sequential(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    IgraphLeidenParameters parameters;
    parameters.seed = 1000 + static_cast<std::uint64_t>(t);
    parameters.resolution = 0.5 + 0.25 * t;
    sequential[t] = run_leiden(planted.graph, parameters);
  }
  std::vector<std::vector<Membership>> concurrent(kThreads, std::vector<Membership>(kRepeats));
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRepeats; ++r) {
        IgraphLeidenParameters parameters;
        parameters.seed = 1000 + static_cast<std::uint64_t>(t);
        parameters.resolution = 0.5 + 0.25 * t;
        IgraphLeiden leiden(planted.graph, parameters);
        const Status status = leiden.run();
        if (!status.is_ok()) {
          errors[t] = status.message();
          return;
        }
        concurrent[t][r] = leiden.membership();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(errors[t].empty()) << errors[t];
    for (int r = 0; r < kRepeats; ++r) EXPECT_EQ(concurrent[t][r], sequential[t]) << "thread " << t;
  }
}

TEST(IgraphLeiden, CpmObjectiveRecoversPlantedPartition) {
  const Planted& planted = reference_graph();
  IgraphLeidenParameters parameters;
  parameters.objective = LeidenObjective::kCpm;
  parameters.resolution = 0.1;  // between p_out = 0.02 and p_in = 0.3
  parameters.seed = 8;
  IgraphLeiden leiden(planted.graph, parameters);
  ASSERT_TRUE(leiden.run().is_ok());
  EXPECT_GE(normalized_mutual_information(leiden.membership(), planted.truth), 0.95);
  // For CPM the reported modularity is classic modularity (resolution 1).
  EXPECT_NEAR(leiden.modularity(), modularity(planted.graph, leiden.membership(), 1.0), 1e-12);
}

TEST(IgraphLeiden, StartsFromAGivenMembership) {
  const Planted& planted = reference_graph();
  IgraphLeidenParameters parameters;
  parameters.initial_membership = planted.truth;
  parameters.iterations = 0;  // no iteration: the start is returned as is
  IgraphLeiden unchanged(planted.graph, parameters);
  ASSERT_TRUE(unchanged.run().is_ok());
  EXPECT_EQ(unchanged.membership(), canonical_labels(planted.truth));
  EXPECT_TRUE(std::isnan(unchanged.quality()));
  EXPECT_NEAR(unchanged.modularity(), modularity(planted.graph, planted.truth), 1e-15);
  parameters.iterations = 2;
  EXPECT_GE(normalized_mutual_information(run_leiden(planted.graph, parameters), planted.truth), 0.95);
}

// igraph 0.10.2's own "until stable" loop never returns when an iteration changes
// nothing; IgraphLeiden drives the iterations itself. A stable start must come back.
TEST(IgraphLeiden, UntilStableReturnsFromAStableStart) {
  const Planted& planted = reference_graph();
  IgraphLeidenParameters parameters;
  parameters.seed = 21;
  const Membership found = run_leiden(planted.graph, parameters);
  parameters.initial_membership = found;
  parameters.seed = 22;
  const Membership again = run_leiden(planted.graph, parameters);
  EXPECT_GE(modularity(planted.graph, again), modularity(planted.graph, found) - 1e-12);
  EXPECT_GE(normalized_mutual_information(again, found), 0.99);
}

TEST(IgraphLeiden, IsolatedNodesStaySingletons) {
  // Triangle 0-1-2 plus isolated node 3.
  Expected<Graph> graph = Graph::from_edges(4, {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}});
  ASSERT_TRUE(graph.has_value());
  const Membership m = run_leiden(*graph, {});
  EXPECT_EQ(m, (Membership{0, 0, 0, 1}));
}

TEST(IgraphLeiden, AccessorsRefuseBeforeRun) {
  const Planted& planted = reference_graph();
  IgraphLeiden leiden(planted.graph, {});
  EXPECT_FALSE(leiden.has_run());
  EXPECT_THROW((void)leiden.membership(), std::logic_error);
  EXPECT_THROW((void)leiden.region_count(), std::logic_error);
  EXPECT_THROW((void)leiden.modularity(), std::logic_error);
  EXPECT_THROW((void)leiden.quality(), std::logic_error);
}

TEST(IgraphLeiden, RejectsBadInputsBeforeWork) {
  const Planted& planted = reference_graph();
  auto status_of = [](const Graph& graph, IgraphLeidenParameters parameters) {
    IgraphLeiden leiden(graph, std::move(parameters));
    const Status status = leiden.run();
    EXPECT_FALSE(leiden.has_run());
    return status;
  };
  const Graph empty;
  Status s = status_of(empty, {});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("no nodes"), std::string::npos) << s.message();

  Expected<Graph> edgeless = Graph::from_edges(3, {});
  ASSERT_TRUE(edgeless.has_value());
  s = status_of(*edgeless, {});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("modularity is undefined"), std::string::npos) << s.message();

  IgraphLeidenParameters negative;
  negative.resolution = -1.0;
  s = status_of(planted.graph, negative);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("resolution"), std::string::npos) << s.message();

  IgraphLeidenParameters nan_resolution;
  nan_resolution.resolution = std::nan("");
  EXPECT_EQ(status_of(planted.graph, nan_resolution).code(), StatusCode::kInvalidArgument);

  IgraphLeidenParameters zero_beta;
  zero_beta.beta = 0.0;
  s = status_of(planted.graph, zero_beta);
  EXPECT_NE(s.message().find("beta"), std::string::npos) << s.message();

  IgraphLeidenParameters short_start;
  short_start.initial_membership = {0, 1};
  s = status_of(planted.graph, short_start);
  EXPECT_NE(s.message().find("initial_membership"), std::string::npos) << s.message();

  IgraphLeidenParameters negative_start;
  negative_start.initial_membership.assign(planted.graph.node_count(), 0);
  negative_start.initial_membership[3] = -1;
  s = status_of(planted.graph, negative_start);
  EXPECT_NE(s.message().find("initial_membership[3]"), std::string::npos) << s.message();
}

TEST(IgraphLeiden, CpmOnEdgelessGraphGivesSingletons) {
  Expected<Graph> edgeless = Graph::from_edges(3, {});
  ASSERT_TRUE(edgeless.has_value());
  IgraphLeidenParameters parameters;
  parameters.objective = LeidenObjective::kCpm;
  IgraphLeiden leiden(*edgeless, parameters);
  ASSERT_TRUE(leiden.run().is_ok());
  EXPECT_EQ(leiden.membership(), (Membership{0, 1, 2}));
  EXPECT_TRUE(std::isnan(leiden.modularity()));
}

TEST(IgraphLeiden, ParsesObjective) {
  EXPECT_EQ(*parse_leiden_objective("modularity"), LeidenObjective::kModularity);
  EXPECT_EQ(*parse_leiden_objective("cpm"), LeidenObjective::kCpm);
  const Expected<LeidenObjective> bad = parse_leiden_objective("CPM ");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.status().message().find("\"CPM \""), std::string::npos);
}

TEST(IgraphLeiden, SeedReductionIsIdentityOn64BitIgraph) {
  EXPECT_EQ(igraph_rng_seed_for(0xfedcba9876543210ULL), 0xfedcba9876543210ULL);
}

// ---- The plugin -----------------------------------------------------------------------

// The built plugin, loaded from the build tree through the host (plugin_harness.hpp)
// and run as step "bre" without inputs.
class IgraphLeidenPluginTest : public ::testing::Test {
 protected:
  static constexpr const char* kStep = "bre";

  void SetUp() override { ASSERT_NE(harness_.plugin(), nullptr); }

  Expected<v1::Artifacts> run(const v1::Dataset& dataset, const google::protobuf::Struct& given,
                              std::uint64_t seed = 77) const {
    return harness_.run(DatasetIndex(dataset), given, seed, kStep);
  }

  test::PluginHarness harness_{"clustering_igraph_leiden.so", "clustering.igraph_leiden"};
};

// Two triangles of municipalities tied by one arrangement each, a bridge arrangement
// and one municipality in no arrangement.
v1::Dataset two_cluster_dataset() {
  v1::Dataset dataset;
  dataset.set_name("two clusters");
  const char* names[] = {"Aa", "Bb", "Cc", "Dd", "Ee", "Ff", "Gg"};
  for (int i = 0; i < 7; ++i) {
    v1::Municipality* m = dataset.add_municipalities();
    m->set_code("GM000" + std::to_string(i + 1));
    m->set_name(names[i]);
    m->set_population(1000 * (i + 1));
  }
  auto arrangement = [&](const std::string& id, std::vector<std::string> codes, int copies) {
    for (int c = 0; c < copies; ++c) {
      v1::Arrangement* a = dataset.add_arrangements();
      a->set_id(id + "_" + std::to_string(c));
      a->set_kind(v1::ARRANGEMENT_KIND_COOPERATION);
      for (const auto& code : codes) a->add_municipality_codes(code);
    }
  };
  arrangement("west", {"GM0001", "GM0002", "GM0003"}, 3);
  arrangement("east", {"GM0004", "GM0005", "GM0006"}, 3);
  arrangement("bridge", {"GM0003", "GM0004"}, 1);
  v1::Arrangement* statistical = dataset.add_arrangements();
  statistical->set_id("corop");
  statistical->set_kind(v1::ARRANGEMENT_KIND_STATISTICAL);
  for (const char* code : {"GM0001", "GM0004", "GM0007"}) statistical->add_municipality_codes(code);
  return dataset;
}

TEST_F(IgraphLeidenPluginTest, DescribesItself) {
  const v1::PluginDescription& d = harness_.plugin()->description;
  EXPECT_EQ(d.kind(), v1::PLUGIN_KIND_CLUSTERING);
  EXPECT_TRUE(d.capabilities().uses_weights());
  EXPECT_TRUE(d.capabilities().deterministic_per_seed());
  EXPECT_TRUE(d.capabilities().thread_safe());
  ASSERT_EQ(d.produces_size(), 1);
  EXPECT_EQ(d.produces(0), v1::ARTIFACT_KIND_PARTITION);
  EXPECT_TRUE(validate_description(d).is_ok()) << validate_description(d).message();
  std::vector<std::string> names;
  for (const auto& p : d.parameters()) names.push_back(p.name());
  // Own parameters, then the network's, the region constraints and the seed, as every
  // clustering plugin lists them (describe_clustering).
  EXPECT_EQ(names, (std::vector<std::string>{"resolution", "beta", "iterations", "objective", "weighting",
                                             "kinds", "min_region_size", "enforce_contiguity", "seed"}));
}

TEST_F(IgraphLeidenPluginTest, ClustersAndLeavesUntiedMunicipalitiesUnassigned) {
  const v1::Dataset dataset = two_cluster_dataset();
  const Expected<v1::Artifacts> out = run(dataset, {});
  ASSERT_TRUE(out.has_value()) << out.status().message();
  ASSERT_EQ(out->partitions_size(), 1);
  const v1::Partition& p = out->partitions(0);
  EXPECT_EQ(p.name(), "bre");
  EXPECT_EQ(p.source(), "clustering.igraph_leiden");
  EXPECT_EQ(p.resolution(), 1.0);
  ASSERT_EQ(p.regions_size(), 2);
  EXPECT_EQ(p.regions(0).id(), "R01");
  EXPECT_EQ(p.regions(0).name(), "Regio Cc");
  EXPECT_EQ(p.regions(1).name(), "Regio Ff");
  ASSERT_EQ(p.unassigned_size(), 1);
  EXPECT_EQ(p.unassigned(0), "GM0007");
  ASSERT_EQ(out->warnings_size(), 1);
  EXPECT_NE(out->warnings(0).find("1 gemeenten hebben geen band in het geclusterde netwerk"), std::string::npos)
      << out->warnings(0);
  // The stored modularity is bre::modularity of the partition on the network clustered.
  const DatasetIndex index(dataset);
  const Expected<Graph> graph = build_cooperation_network(index, {});
  ASSERT_TRUE(graph.has_value());
  const Expected<Membership> membership = membership_of(index, p);
  ASSERT_TRUE(membership.has_value());
  EXPECT_EQ(p.modularity(), modularity(*graph, *membership, 1.0));
  EXPECT_NEAR(p.modularity(), igraph_modularity_of(*graph, {0, 0, 0, 1, 1, 1, 2}, 1.0), 1e-12);
}

TEST_F(IgraphLeidenPluginTest, KindsParameterChangesTheNetwork) {
  const v1::Dataset dataset = two_cluster_dataset();
  google::protobuf::Struct given;
  auto* kinds = (*given.mutable_fields())["kinds"].mutable_list_value();
  kinds->add_values()->set_string_value("cooperation");
  kinds->add_values()->set_string_value("statistical");
  const Expected<v1::Artifacts> out = run(dataset, given);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  // GM0007 is tied through the statistical division now.
  EXPECT_EQ(out->partitions(0).unassigned_size(), 0);
  EXPECT_EQ(out->warnings_size(), 0);
}

TEST_F(IgraphLeidenPluginTest, NoTiesIsAClearError) {
  v1::Dataset dataset = two_cluster_dataset();
  dataset.clear_arrangements();
  const Expected<v1::Artifacts> out = run(dataset, {});
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(out.status().message().find("step 'bre'"), std::string::npos) << out.status().message();
  EXPECT_NE(out.status().message().find("no ties"), std::string::npos) << out.status().message();
}

TEST_F(IgraphLeidenPluginTest, SameSeedSamePartition) {
  const Planted planted = planted_partition(3, 10, 0.5, 0.05, 5);
  v1::Dataset dataset;
  for (std::size_t i = 0; i < planted.graph.node_count(); ++i) {
    v1::Municipality* m = dataset.add_municipalities();
    m->set_code("GM" + std::to_string(1000 + i));
    m->set_name("M" + std::to_string(i));
  }
  for (const WeightedEdge& e : planted.graph.edges()) {
    v1::Arrangement* a = dataset.add_arrangements();
    a->set_id("a" + std::to_string(dataset.arrangements_size()));
    a->set_kind(v1::ARRANGEMENT_KIND_COOPERATION);
    a->add_municipality_codes("GM" + std::to_string(1000 + e.u));
    a->add_municipality_codes("GM" + std::to_string(1000 + e.v));
  }
  const Expected<v1::Artifacts> first = run(dataset, {}, 5);
  const Expected<v1::Artifacts> second = run(dataset, {}, 5);
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->SerializeAsString(), second->SerializeAsString());
}

TEST_F(IgraphLeidenPluginTest, RecoversPlantedRegionsOfTheDemoDataset) {
  const test::DemoFixture fixture;
  const v1::Dataset& dataset = fixture.dataset;
  const DatasetIndex& index = fixture.index;
  ASSERT_EQ(fixture.planted.partitions_size(), 1) << "demo dataset lacks the planted region definition";
  const v1::Partition& planted = fixture.planted.partitions(0);
  const Expected<Membership> truth = membership_of(index, planted);
  ASSERT_TRUE(truth.has_value());

  // Default parameters (count weighting, resolution 1), then fractional weighting,
  // DOMAIN.md §1's variant against large arrangements dominating the network.
  for (const char* weighting : {"count", "fractional"}) {
    google::protobuf::Struct given;
    (*given.mutable_fields())["weighting"].set_string_value(weighting);
    const Expected<v1::Artifacts> out = harness_.run(index, given, demo::kDefaultSeed, kStep);
    ASSERT_TRUE(out.has_value()) << out.status().message();
    const v1::Partition& found_partition = out->partitions(0);
    const Expected<Membership> found = membership_of(index, found_partition);
    ASSERT_TRUE(found.has_value()) << found.status().message();
    const double nmi = normalized_mutual_information(*found, *truth);
    RecordProperty(std::string("demo_nmi_") + weighting, std::to_string(nmi));
    std::printf("demo dataset, weighting %s: %d municipalities, %d regions found, %d planted, NMI %.4f, "
                "modularity %.4f\n",
                weighting, dataset.municipalities_size(), found_partition.regions_size(), planted.regions_size(),
                nmi, found_partition.modularity());
    EXPECT_GE(nmi, 0.8) << "weighting " << weighting;

    // The reported modularity agrees with igraph's on the clustered network.
    NetworkOptions options;
    options.weighting = std::string(weighting) == "count" ? Weighting::kCount : Weighting::kFractional;
    const Expected<Graph> graph = build_cooperation_network(index, options);
    ASSERT_TRUE(graph.has_value());
    Membership full = *found;
    std::int32_t next = region_count(full);
    for (auto& label : full) {
      if (label == kUnassigned) label = next++;  // untied municipalities: singletons for igraph
    }
    EXPECT_NEAR(found_partition.modularity(), igraph_modularity_of(*graph, full, 1.0), 1e-12);
  }
}

}  // namespace
}  // namespace bre::clustering
