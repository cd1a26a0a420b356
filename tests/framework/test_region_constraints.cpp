// Tests of bre/region_constraints.hpp: the constraint parameters, the map as a graph,
// splitting regions into their pieces on the map (islands exempt), merging small
// regions, their error paths, and the host refusing constraint parameters a plugin
// does not declare or does not honour.
#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/graph.hpp"
#include "bre/host.hpp"
#include "bre/params.hpp"
#include "bre/partition.hpp"
#include "bre/random.hpp"
#include "bre/region_constraints.hpp"

namespace bre {
namespace {

Graph graph_of(std::size_t n, std::vector<WeightedEdge> edges) {
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  EXPECT_TRUE(graph.has_value()) << graph.status().message();
  return graph.has_value() ? std::move(graph).value() : Graph{};
}

struct Enforced {
  Status status;
  Membership membership;
  std::vector<std::int32_t> split;
  std::vector<std::uint32_t> islands;
  std::vector<std::uint32_t> merged;
  std::vector<std::uint32_t> kept;
};

Enforced enforce(const Graph& ties, const Graph& map, const Membership& membership, RegionConstraints constraints) {
  RegionConstraintEnforcer enforcer(ties, map, membership, constraints);
  Enforced result;
  result.status = enforcer.run();
  if (result.status.is_ok()) {
    result.membership = enforcer.membership();
    result.split = enforcer.split_regions();
    result.islands = enforcer.relocated_islands();
    result.merged = enforcer.merged_regions();
    result.kept = enforcer.unmerged_small_regions();
  }
  return result;
}

TEST(RegionConstraints, ParametersAreDeclaredWithDefaults) {
  const std::vector<v1::ParameterSpec> specs = region_constraint_parameters();
  ASSERT_EQ(specs.size(), 2u);
  EXPECT_EQ(specs[0].name(), "min_region_size");
  EXPECT_EQ(specs[0].type(), v1::PARAMETER_TYPE_INT);
  EXPECT_EQ(specs[0].default_value().int_value(), 1);
  EXPECT_TRUE(specs[0].has_minimum());
  EXPECT_EQ(specs[0].minimum(), 1.0);
  EXPECT_EQ(specs[1].name(), "enforce_contiguity");
  EXPECT_EQ(specs[1].type(), v1::PARAMETER_TYPE_BOOL);
  EXPECT_FALSE(specs[1].default_value().bool_value());

  const Expected<Params> defaults = Params::resolve({}, specs);
  ASSERT_TRUE(defaults.has_value());
  const RegionConstraints constraints = region_constraints_from(*defaults);
  EXPECT_EQ(constraints.min_region_size, 1);
  EXPECT_FALSE(constraints.enforce_contiguity);

  google::protobuf::Struct zero;
  (*zero.mutable_fields())["min_region_size"].set_number_value(0);
  const Expected<Params> refused = Params::resolve(zero, specs);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.status().message().find("min_region_size"), std::string::npos) << refused.status().message();
}

TEST(RegionConstraints, MapGraphFromDatasetAdjacency) {
  v1::Dataset dataset;
  for (const char* code : {"GM0001", "GM0002", "GM0003"}) dataset.add_municipalities()->set_code(code);
  v1::Adjacency* pair = dataset.add_adjacency();
  pair->set_a_code("GM0001");
  pair->set_b_code("GM0003");
  pair->set_shared_border_m(1500.0);
  const DatasetIndex index(dataset);
  const Expected<Graph> map = map_adjacency_graph(index);
  ASSERT_TRUE(map.has_value()) << map.status().message();
  ASSERT_EQ(map->edge_count(), 1u);
  const std::vector<WeightedEdge> edges = map->edge_list();
  EXPECT_EQ(edges[0].u, 0u);
  EXPECT_EQ(edges[0].v, 2u);
  EXPECT_EQ(edges[0].weight, 1500.0);
  EXPECT_TRUE(is_island(*map, 1));
  EXPECT_FALSE(is_island(*map, 0));

  pair->set_b_code("GM9999");
  const Expected<Graph> bad = map_adjacency_graph(DatasetIndex(dataset));
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.status().message().find("adjacency[0].b_code: unknown municipality code 'GM9999'"), std::string::npos)
      << bad.status().message();
}

// A line of five municipalities 0-1-2-3-4 on the map, island 5 off the coast.
TEST(RegionConstraints, SplitsRegionsIntoTheirPiecesOnTheMap) {
  const Graph map = graph_of(6, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}});
  // The island is tied to 3 (weight 2) more than to 0 (weight 1).
  const Graph ties = graph_of(6, {{0, 1, 1}, {3, 4, 1}, {1, 2, 1}, {5, 3, 2}, {5, 0, 1}});
  RegionConstraints constraints;
  constraints.enforce_contiguity = true;
  const Enforced result = enforce(ties, map, {0, 0, 1, 0, 0, 0}, constraints);
  ASSERT_TRUE(result.status.is_ok()) << result.status.message();
  // Region 0 lies in two pieces {0,1} and {3,4}; the island joins {3,4}.
  EXPECT_EQ(result.membership, (Membership{0, 0, 1, 2, 2, 2}));
  EXPECT_EQ(result.split, (std::vector<std::int32_t>{0}));
  EXPECT_EQ(result.islands, (std::vector<std::uint32_t>{5}));
}

TEST(RegionConstraints, IslandWithoutTiesJoinsTheFirstPiece) {
  const Graph map = graph_of(4, {{0, 1, 1}, {1, 2, 1}});
  const Graph ties = graph_of(4, {{0, 1, 1}});
  RegionConstraints constraints;
  constraints.enforce_contiguity = true;
  const Enforced result = enforce(ties, map, {0, 1, 0, 0}, constraints);
  ASSERT_TRUE(result.status.is_ok());
  EXPECT_EQ(result.membership, (Membership{0, 1, 2, 0}));
}

TEST(RegionConstraints, IslandOnlyRegionStaysWholeAndContiguousRegionsAreUnchanged) {
  // 0-1-2 on the map; 3 and 4 are islands forming their own region.
  const Graph map = graph_of(5, {{0, 1, 1}, {1, 2, 1}});
  const Graph ties = graph_of(5, {{0, 1, 1}, {3, 4, 1}});
  RegionConstraints constraints;
  constraints.enforce_contiguity = true;
  const Enforced result = enforce(ties, map, {4, 4, 7, 9, 9}, constraints);
  ASSERT_TRUE(result.status.is_ok());
  EXPECT_EQ(result.membership, (Membership{0, 0, 1, 2, 2}));
  EXPECT_TRUE(result.split.empty());
  EXPECT_TRUE(result.islands.empty());
}

// Two triangles {0,1,2} and {3,4,5}; node 6 tied to 3 (2) and 0 (1), on the map next to 0 only.
struct SmallRegionCase {
  Graph ties = graph_of(7, {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1}, {3, 5, 1}, {6, 3, 2}, {6, 0, 1}});
  Graph map = graph_of(7, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}, {4, 5, 1}, {0, 6, 1}});
  Membership membership = {0, 0, 0, 1, 1, 1, 2};
};

TEST(RegionConstraints, MergesSmallRegionIntoMostTiedRegion) {
  const SmallRegionCase c;
  RegionConstraints constraints;
  constraints.min_region_size = 2;
  const Enforced result = enforce(c.ties, c.map, c.membership, constraints);
  ASSERT_TRUE(result.status.is_ok()) << result.status.message();
  EXPECT_EQ(result.membership, (Membership{0, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(result.merged, (std::vector<std::uint32_t>{6}));
}

TEST(RegionConstraints, UnderContiguityOnlyMapNeighboursQualify) {
  const SmallRegionCase c;
  RegionConstraints constraints;
  constraints.min_region_size = 2;
  constraints.enforce_contiguity = true;
  const Enforced result = enforce(c.ties, c.map, c.membership, constraints);
  ASSERT_TRUE(result.status.is_ok());
  EXPECT_EQ(result.membership, (Membership{0, 0, 0, 1, 1, 1, 0}));
}

TEST(RegionConstraints, WithoutTiesTheLongestBorderDecides) {
  // Node 2 has no tie; it borders region {0} over 10 m and region {1} over 30 m.
  const Graph ties = graph_of(3, {{0, 1, 1}});
  const Graph map = graph_of(3, {{0, 2, 10}, {1, 2, 30}});
  RegionConstraints constraints;
  constraints.min_region_size = 1;
  const Enforced unchanged = enforce(ties, map, {0, 1, 2}, constraints);
  EXPECT_EQ(unchanged.membership, (Membership{0, 1, 2}));
  constraints.min_region_size = 2;
  const Enforced result = enforce(ties, map, {0, 1, 2}, constraints);
  ASSERT_TRUE(result.status.is_ok());
  // {0} joins {1} by its tie; then {2}, without a tie, joins the region over the longer border.
  EXPECT_EQ(result.membership, (Membership{0, 0, 0}));
  EXPECT_EQ(result.merged.size(), 2u);
}

TEST(RegionConstraints, EqualTiesGoToTheRegionThatComesFirst) {
  // Node 4 is tied equally (weight 1) to regions {0,1} and {2,3}.
  const Graph ties = graph_of(5, {{0, 1, 1}, {2, 3, 1}, {4, 1, 1}, {4, 2, 1}});
  const Graph map = graph_of(5, {});
  RegionConstraints constraints;
  constraints.min_region_size = 2;
  const Enforced result = enforce(ties, map, {0, 0, 1, 1, 2}, constraints);
  ASSERT_TRUE(result.status.is_ok());
  EXPECT_EQ(result.membership, (Membership{0, 0, 1, 1, 0}));
}

TEST(RegionConstraints, RegionWithoutTieOrBorderIsKeptAndUnassignedStayUnassigned) {
  const Graph ties = graph_of(4, {{0, 1, 1}});
  const Graph map = graph_of(4, {{0, 1, 1}});
  RegionConstraints constraints;
  constraints.min_region_size = 2;
  const Enforced result = enforce(ties, map, {0, 0, kUnassigned, 1}, constraints);
  ASSERT_TRUE(result.status.is_ok());
  EXPECT_EQ(result.membership, (Membership{0, 0, kUnassigned, 1}));
  EXPECT_EQ(result.kept, (std::vector<std::uint32_t>{3}));
}

// Property check on a seeded random case: a 12 x 12 grid map (rook adjacency), ties
// = the grid's edges with weights uniform in [0.1, 2) plus 60 random long ties, and a
// random membership of 20 labels (SplitMix64(seed)). After the constraints, every
// region is one piece on the grid (independent BFS) and has at least min_size members.
TEST(RegionConstraints, RandomCasesAreContiguousAndLargeEnough) {
  constexpr std::uint32_t kSide = 12;
  constexpr std::uint32_t kNodes = kSide * kSide;
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    SplitMix64 rng(seed);
    std::vector<WeightedEdge> grid;
    for (std::uint32_t r = 0; r < kSide; ++r) {
      for (std::uint32_t c = 0; c < kSide; ++c) {
        const std::uint32_t node = r * kSide + c;
        if (c + 1 < kSide) grid.push_back({node, node + 1, 1.0});
        if (r + 1 < kSide) grid.push_back({node, node + kSide, 1.0});
      }
    }
    std::vector<WeightedEdge> tie_edges = grid;
    for (auto& e : tie_edges) e.weight = rng.uniform(0.1, 2.0);
    for (int i = 0; i < 60; ++i) {
      const auto u = static_cast<std::uint32_t>(rng.below(kNodes));
      const auto v = static_cast<std::uint32_t>(rng.below(kNodes));
      tie_edges.push_back({u, v, rng.uniform(0.1, 2.0)});
    }
    const Graph map = graph_of(kNodes, grid);
    const Graph ties = graph_of(kNodes, tie_edges);
    Membership membership(kNodes);
    for (auto& label : membership) label = static_cast<std::int32_t>(rng.below(20));
    RegionConstraints constraints;
    constraints.enforce_contiguity = true;
    constraints.min_region_size = 4;
    const Enforced result = enforce(ties, map, membership, constraints);
    ASSERT_TRUE(result.status.is_ok()) << result.status.message();
    const Membership& m = result.membership;
    const std::int32_t k = region_count(m);
    std::vector<int> size(static_cast<std::size_t>(k), 0);
    for (std::int32_t label : m) ++size[static_cast<std::size_t>(label)];
    for (std::int32_t r = 0; r < k; ++r) {
      EXPECT_GE(size[static_cast<std::size_t>(r)], 4) << "seed " << seed << " region " << r;
      // Independent BFS on the grid coordinates.
      std::vector<bool> seen(kNodes, false);
      std::vector<std::uint32_t> stack;
      for (std::uint32_t node = 0; node < kNodes && stack.empty(); ++node) {
        if (m[node] == r) {
          stack.push_back(node);
          seen[node] = true;
        }
      }
      int reached = 0;
      while (!stack.empty()) {
        const std::uint32_t node = stack.back();
        stack.pop_back();
        ++reached;
        const std::uint32_t row = node / kSide;
        const std::uint32_t col = node % kSide;
        std::vector<std::uint32_t> next;
        if (row > 0) next.push_back(node - kSide);
        if (row + 1 < kSide) next.push_back(node + kSide);
        if (col > 0) next.push_back(node - 1);
        if (col + 1 < kSide) next.push_back(node + 1);
        for (std::uint32_t other : next) {
          if (!seen[other] && m[other] == r) {
            seen[other] = true;
            stack.push_back(other);
          }
        }
      }
      EXPECT_EQ(reached, size[static_cast<std::size_t>(r)]) << "seed " << seed << ": region " << r << " is not one piece";
    }
    // Same input, same output.
    EXPECT_EQ(enforce(ties, map, membership, constraints).membership, m);
  }
}

TEST(RegionConstraints, RejectsBadInput) {
  const SmallRegionCase c;
  RegionConstraints constraints;
  Enforced result = enforce(c.ties, c.map, {0, 0}, constraints);
  EXPECT_EQ(result.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status.message().find("membership"), std::string::npos) << result.status.message();

  constraints.min_region_size = 0;
  result = enforce(c.ties, c.map, c.membership, constraints);
  EXPECT_NE(result.status.message().find("min_region_size"), std::string::npos) << result.status.message();

  constraints.min_region_size = 1;
  constraints.enforce_contiguity = true;
  const Graph no_map = graph_of(7, {});
  result = enforce(c.ties, no_map, c.membership, constraints);
  EXPECT_EQ(result.status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status.message().find("Dataset.adjacency is empty"), std::string::npos) << result.status.message();

  RegionConstraintEnforcer before_run(c.ties, c.map, c.membership, {});
  EXPECT_THROW((void)before_run.membership(), std::logic_error);
}

// The engine refuses a step that sets a constraint parameter its plugin does not
// declare (unknown parameters are errors), and the host refuses a plugin that
// declares a constraint parameter without the matching capability.
TEST(RegionConstraints, UndeclaredConstraintParametersAreRefused) {
  const std::vector<v1::ParameterSpec> specs = {double_param("resolution", 1.0, 0.0, 10.0, "gamma")};
  google::protobuf::Struct given;
  (*given.mutable_fields())["enforce_contiguity"].set_bool_value(true);
  const Expected<Params> params = Params::resolve(given, specs);
  ASSERT_FALSE(params.has_value());
  EXPECT_NE(params.status().message().find("unknown parameter 'enforce_contiguity'"), std::string::npos)
      << params.status().message();

  v1::PluginDescription description;
  description.set_name("clustering.untruthful");
  description.set_kind(v1::PLUGIN_KIND_CLUSTERING);
  description.set_version("1.0.0");
  description.add_produces(v1::ARTIFACT_KIND_PARTITION);
  for (auto& spec : region_constraint_parameters()) *description.add_parameters() = spec;
  description.mutable_capabilities()->set_honours_contiguity(true);
  Status status = validate_description(description);
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("honours_min_region_size"), std::string::npos) << status.message();
  description.mutable_capabilities()->set_honours_min_region_size(true);
  description.mutable_capabilities()->set_honours_contiguity(false);
  status = validate_description(description);
  EXPECT_NE(status.message().find("honours_contiguity"), std::string::npos) << status.message();
  description.mutable_capabilities()->set_honours_contiguity(true);
  EXPECT_TRUE(validate_description(description).is_ok());
}

}  // namespace
}  // namespace bre
