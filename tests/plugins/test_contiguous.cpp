// Tests of clustering.contiguous: the ContiguousAgglomeration class on hand-made maps
// with answers computed by hand, its contiguity (checked by an independent BFS), the
// region count, islands, modularity against trivial contiguous partitions, errors;
// then the plugin on the demo dataset.
#include <google/protobuf/struct.pb.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/graph.hpp"
#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "bre/random.hpp"
#include "bre/region_constraints.hpp"
#include "contiguous.hpp"
#include "plugin_harness.hpp"

namespace bre::clustering {
namespace {

Graph graph_of(std::size_t n, std::vector<WeightedEdge> edges) {
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  EXPECT_TRUE(graph.has_value()) << graph.status().message();
  return graph.has_value() ? std::move(graph).value() : Graph{};
}

Membership run_contiguous(const Graph& ties, const Graph& map, ContiguousParameters parameters = {}) {
  ContiguousAgglomeration algorithm(ties, map, parameters);
  const Status status = algorithm.run();
  EXPECT_TRUE(status.is_ok()) << status.message();
  return status.is_ok() ? algorithm.membership() : Membership{};
}

// Independent check: the land members (with a map neighbour) of every region are
// reachable from each other over map edges inside the region.
bool contiguous(const Graph& map, const Membership& membership) {
  for (std::int32_t r = 0; r < region_count(membership); ++r) {
    std::vector<std::uint32_t> land;
    for (std::uint32_t i = 0; i < membership.size(); ++i) {
      if (membership[i] == r && !map.neighbours(i).empty()) land.push_back(i);
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
      for (const Neighbour& next : map.neighbours(node)) {
        if (!seen[next.node] && membership[next.node] == r) {
          seen[next.node] = true;
          stack.push_back(next.node);
        }
      }
    }
    if (reached != land.size()) return false;
  }
  return true;
}

// A 2 x 4 grid (node = row * 4 + column) with rook adjacency.
Graph grid_map() {
  return graph_of(8, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {4, 5, 1}, {5, 6, 1}, {6, 7, 1},
                      {0, 4, 1}, {1, 5, 1}, {2, 6, 1}, {3, 7, 1}});
}

TEST(ContiguousAgglomeration, GridWithTwoBlocks) {
  // Strong ties (3) inside the left block {0,1,4,5} and the right block {2,3,6,7},
  // weak ties (1) across the middle: the answer is the two blocks.
  const Graph ties = graph_of(8, {{0, 1, 3}, {0, 4, 3}, {1, 5, 3}, {4, 5, 3}, {0, 5, 3}, {2, 3, 3}, {2, 6, 3},
                                  {3, 7, 3}, {6, 7, 3}, {3, 6, 3}, {1, 2, 1}, {5, 6, 1}});
  const Membership m = run_contiguous(ties, grid_map());
  EXPECT_EQ(m, (Membership{0, 0, 1, 1, 0, 0, 1, 1}));
}

// A line 0-1-2-3 on the map; ties 0-3 (5), 1-2 (5), 0-1 (1). Without the constraint
// {0,3} {1,2} would have the higher modularity; on the map 0 and 3 cannot meet.
// By hand, m = 11, a = (6, 6, 5, 5) / 22; gains: (1,2) 5/11 - 2·6·5/22² = 0.3306,
// (0,1) 1/11 - 2·36/484 = -0.0579, (2,3) -2·25/484 = -0.1033. After merging (1,2):
// (0,{1,2}) 1/11 - 2·(6/22)(11/22) = -0.1818, ({1,2},3) -2·(11/22)(5/22) = -0.2273.
// Maximum modularity after the first merge: {0} {1,2} {3}.
struct LineCase {
  Graph ties = graph_of(4, {{0, 3, 5}, {1, 2, 5}, {0, 1, 1}});
  Graph map = graph_of(4, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}});
};

TEST(ContiguousAgglomeration, LineByHand) {
  const LineCase c;
  ContiguousAgglomeration algorithm(c.ties, c.map, {});
  ASSERT_TRUE(algorithm.run().is_ok());
  EXPECT_EQ(algorithm.membership(), (Membership{0, 1, 1, 2}));
  // Q = -(36 + 36 + 25 + 25) / 484 + 0.3306 (the singletons plus the first gain).
  const double expected = -122.0 / 484.0 + (5.0 / 11.0 - 60.0 / 484.0);
  EXPECT_NEAR(algorithm.modularity(), expected, 1e-12);
  EXPECT_NEAR(algorithm.modularity(), modularity(c.ties, algorithm.membership()), 1e-15);
  EXPECT_LT(algorithm.modularity(), modularity(c.ties, {0, 1, 1, 0}));  // the non-contiguous optimum
}

TEST(ContiguousAgglomeration, RegionCountIsHonoured) {
  const LineCase c;
  for (const auto& [k, expected] : std::vector<std::pair<std::int64_t, Membership>>{
           {1, {0, 0, 0, 0}}, {2, {0, 0, 0, 1}}, {3, {0, 1, 1, 2}}, {4, {0, 1, 2, 3}}}) {
    ContiguousParameters parameters;
    parameters.regions = k;
    EXPECT_EQ(run_contiguous(c.ties, c.map, parameters), expected) << "k " << k;
  }
}

TEST(ContiguousAgglomeration, IslandsJoinTheirStrongestTie) {
  // Line 0-1-2-3 as before, island 4 tied to 3 (2) and 0 (1), island 5 without a tie to land.
  const Graph ties = graph_of(6, {{0, 3, 5}, {1, 2, 5}, {0, 1, 1}, {4, 3, 2}, {4, 0, 1}, {5, 5, 1}});
  const Graph map = graph_of(6, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}});
  ContiguousAgglomeration algorithm(ties, map, {});
  ASSERT_TRUE(algorithm.run().is_ok());
  const Membership& m = algorithm.membership();
  EXPECT_EQ(m[4], m[3]);
  EXPECT_NE(m[5], m[0]);
  EXPECT_NE(m[5], m[3]);
  EXPECT_EQ(algorithm.islands(), (std::vector<std::uint32_t>{4, 5}));
  EXPECT_TRUE(contiguous(map, m));
}

// A seeded 10 x 10 grid with random ties (SplitMix64(seed): every grid edge weight
// uniform in [0, 3), plus 150 random pairs with weight uniform in [0, 2)): every
// region is contiguous, and modularity is at least that of the trivial contiguous
// partitions (all singletons, one region).
TEST(ContiguousAgglomeration, RandomGridsAreContiguousAndBeatTrivialPartitions) {
  constexpr std::uint32_t kSide = 10;
  constexpr std::uint32_t kNodes = kSide * kSide;
  std::vector<WeightedEdge> grid;
  for (std::uint32_t r = 0; r < kSide; ++r) {
    for (std::uint32_t c = 0; c < kSide; ++c) {
      const std::uint32_t node = r * kSide + c;
      if (c + 1 < kSide) grid.push_back({node, node + 1, 1.0});
      if (r + 1 < kSide) grid.push_back({node, node + kSide, 1.0});
    }
  }
  const Graph map = graph_of(kNodes, grid);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SplitMix64 rng(seed);
    std::vector<WeightedEdge> tie_edges = grid;
    for (auto& e : tie_edges) e.weight = rng.uniform(0.0, 3.0);
    for (int i = 0; i < 150; ++i) {
      const auto u = static_cast<std::uint32_t>(rng.below(kNodes));
      const auto v = static_cast<std::uint32_t>(rng.below(kNodes));
      tie_edges.push_back({u, v, rng.uniform(0.0, 2.0)});
    }
    const Graph ties = graph_of(kNodes, tie_edges);
    ContiguousAgglomeration algorithm(ties, map, {});
    ASSERT_TRUE(algorithm.run().is_ok());
    EXPECT_TRUE(contiguous(map, algorithm.membership())) << "seed " << seed;
    Membership singletons(kNodes);
    for (std::uint32_t i = 0; i < kNodes; ++i) singletons[i] = static_cast<std::int32_t>(i);
    EXPECT_GE(algorithm.modularity(), modularity(ties, singletons)) << "seed " << seed;
    EXPECT_GE(algorithm.modularity(), modularity(ties, Membership(kNodes, 0))) << "seed " << seed;
    for (std::int64_t k : {1, 5, 17, 100}) {
      ContiguousParameters parameters;
      parameters.regions = k;
      const Membership fixed = run_contiguous(ties, map, parameters);
      EXPECT_EQ(region_count(fixed), k);
      EXPECT_TRUE(contiguous(map, fixed)) << "seed " << seed << " k " << k;
      EXPECT_GE(algorithm.modularity() + 1e-12, modularity(ties, fixed)) << "seed " << seed << " k " << k;
    }
    // No randomness: the same input gives the same regions.
    EXPECT_EQ(run_contiguous(ties, map), algorithm.membership());
  }
}

TEST(ContiguousAgglomeration, RejectsBadInput) {
  const LineCase c;
  auto status_of = [](const Graph& ties, const Graph& map, ContiguousParameters parameters) {
    ContiguousAgglomeration algorithm(ties, map, parameters);
    const Status status = algorithm.run();
    EXPECT_FALSE(algorithm.has_run());
    return status;
  };
  const Graph empty;
  EXPECT_EQ(status_of(empty, empty, {}).code(), StatusCode::kInvalidArgument);
  for (double resolution : {0.0, -1.0, std::nan("")}) {
    ContiguousParameters parameters;
    parameters.resolution = resolution;
    const Status status = status_of(c.ties, c.map, parameters);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("resolution"), std::string::npos) << status.message();
  }
  for (std::int64_t regions : {-1, 5}) {
    ContiguousParameters parameters;
    parameters.regions = regions;
    const Status status = status_of(c.ties, c.map, parameters);
    EXPECT_NE(status.message().find("[1, 4]"), std::string::npos) << status.message();
  }
  // Two land pieces (0-1 and 2-3) cannot become one region.
  const Graph split_map = graph_of(4, {{0, 1, 1}, {2, 3, 1}});
  ContiguousParameters one;
  one.regions = 1;
  EXPECT_NE(status_of(c.ties, split_map, one).message().find("[2, 4]"), std::string::npos);
  const Graph edgeless = graph_of(4, {});
  EXPECT_EQ(status_of(edgeless, c.map, {}).code(), StatusCode::kFailedPrecondition);
  const Status no_map = status_of(c.ties, edgeless, {});
  EXPECT_EQ(no_map.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(no_map.message().find("Dataset.adjacency"), std::string::npos);
  const Graph three = graph_of(3, {{0, 1, 1}});
  EXPECT_EQ(status_of(c.ties, three, {}).code(), StatusCode::kInvalidArgument);
  ContiguousAgglomeration before(c.ties, c.map, {});
  EXPECT_THROW((void)before.membership(), std::logic_error);
}

// ---- The plugin ------------------------------------------------------------------------

TEST(ContiguousPlugin, DemoRegionsAreContiguousAndCountsAreHonoured) {
  const test::PluginHarness harness("clustering_contiguous.so", "clustering.contiguous");
  ASSERT_NE(harness.plugin(), nullptr);
  const v1::PluginDescription& d = harness.plugin()->description;
  EXPECT_TRUE(d.capabilities().honours_contiguity());
  EXPECT_TRUE(d.capabilities().honours_fixed_region_count());
  EXPECT_TRUE(d.capabilities().honours_min_region_size());

  const test::DemoFixture fixture;
  const Expected<Graph> map = map_adjacency_graph(fixture.index);
  ASSERT_TRUE(map.has_value());
  ASSERT_GT(map->edge_count(), 0u) << "the demo dataset carries its adjacency";
  const Expected<Membership> truth = membership_of(fixture.index, fixture.planted.partitions(0));
  ASSERT_TRUE(truth.has_value());

  const Expected<v1::Artifacts> out = harness.run(fixture.index, {}, 1, "contiguous");
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const Expected<Membership> found = membership_of(fixture.index, out->partitions(0));
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(contiguous(*map, *found));
  const double nmi = normalized_mutual_information(*found, *truth);
  std::printf("clustering.contiguous on the demo dataset: %d regions, NMI %.4f against the planted regions, "
              "modularity %.4f\n",
              out->partitions(0).regions_size(), nmi, out->partitions(0).modularity());
  // Greedy agglomeration stops at fewer, larger regions than the 25 planted ones at
  // resolution 1 (7 regions, NMI 0.72 for this seed); at resolution 2 it finds 13
  // regions and NMI 0.85. A wrong merge rule (e.g. ignoring ties) falls far below.
  EXPECT_GE(nmi, 0.7);
  google::protobuf::Struct finer;
  (*finer.mutable_fields())["resolution"].set_number_value(2.0);
  const Expected<v1::Artifacts> fine = harness.run(fixture.index, finer, 1, "contiguous");
  ASSERT_TRUE(fine.has_value()) << fine.status().message();
  const Expected<Membership> fine_membership = membership_of(fixture.index, fine->partitions(0));
  ASSERT_TRUE(fine_membership.has_value());
  EXPECT_GE(normalized_mutual_information(*fine_membership, *truth), 0.8);
  EXPECT_TRUE(contiguous(*map, *fine_membership));
  // The demo's islands are named in a warning (Dutch: the harness runs without a manifest).
  bool islands_warned = false;
  for (const auto& warning : out->warnings()) {
    islands_warned = islands_warned || warning.find("hebben geen buurgemeente over land") != std::string::npos;
  }
  EXPECT_TRUE(islands_warned);

  for (int k : {12, 25, 40}) {
    google::protobuf::Struct given;
    (*given.mutable_fields())["regions"].set_number_value(k);
    const Expected<v1::Artifacts> fixed = harness.run(fixture.index, given, 1, "contiguous");
    ASSERT_TRUE(fixed.has_value()) << fixed.status().message();
    EXPECT_EQ(fixed->partitions(0).regions_size(), k);
    const Expected<Membership> m = membership_of(fixture.index, fixed->partitions(0));
    ASSERT_TRUE(m.has_value());
    EXPECT_TRUE(contiguous(*map, *m)) << "k " << k;
  }
  google::protobuf::Struct zero_resolution;
  (*zero_resolution.mutable_fields())["resolution"].set_number_value(0.0);
  const Expected<v1::Artifacts> refused = harness.run(fixture.index, zero_resolution, 1, "contiguous");
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.status().message().find("resolution"), std::string::npos) << refused.status().message();
}

TEST(ContiguousPlugin, DatasetWithoutAdjacencyIsAClearError) {
  const test::PluginHarness harness("clustering_contiguous.so", "clustering.contiguous");
  test::DemoFixture fixture;
  v1::Dataset dataset = fixture.dataset;
  dataset.clear_adjacency();
  const Expected<v1::Artifacts> out = harness.run(DatasetIndex(dataset), {}, 1, "contiguous");
  ASSERT_FALSE(out.has_value());
  EXPECT_NE(out.status().message().find("step 'contiguous'"), std::string::npos) << out.status().message();
  EXPECT_NE(out.status().message().find("Dataset.adjacency is empty"), std::string::npos) << out.status().message();
}

}  // namespace
}  // namespace bre::clustering
