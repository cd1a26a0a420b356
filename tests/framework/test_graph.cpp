// Graph construction and the cooperation network of DOMAIN.md §1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "bre/graph.hpp"
#include "bre/network.hpp"
#include "bre/random.hpp"
#include "test_support.hpp"

namespace {

double weight_between(const bre::Graph& g, std::uint32_t u, std::uint32_t v) {
  for (const auto& nb : g.neighbours(u)) {
    if (nb.node == v) return nb.weight;
  }
  return 0.0;
}

TEST(Graph, MergesParallelEdgesAndCountsSelfLoopsTwiceInStrength) {
  auto g = bre::Graph::from_edges(3, {{0, 1, 1.0}, {1, 0, 2.0}, {2, 2, 0.5}, {1, 2, 1.0}});
  ASSERT_TRUE(g) << g.status().message();
  EXPECT_EQ(g->node_count(), 3u);
  EXPECT_EQ(g->edge_count(), 3u);  // {0,1}, {1,2}, {2,2}
  EXPECT_DOUBLE_EQ(weight_between(*g, 0, 1), 3.0);
  EXPECT_DOUBLE_EQ(g->strength(0), 3.0);
  EXPECT_DOUBLE_EQ(g->strength(1), 4.0);
  EXPECT_DOUBLE_EQ(g->strength(2), 2.0);  // 1.0 + 2 * 0.5
  EXPECT_DOUBLE_EQ(g->total_weight(), 4.5);
  ASSERT_EQ(g->neighbours(2).size(), 2u);
  EXPECT_EQ(g->neighbours(2)[0].node, 1u);  // sorted
}

// The CSR build against the obvious reference: a map from (min, max) to the weights
// summed in input order. The edges are seeded random (SplitMix64(7)), with parallel
// edges in both orientations, self-loops and nodes without edges.
TEST(Graph, EdgesNeighboursAndStrengthsMatchAMapOfTheInput) {
  constexpr std::uint32_t n = 40;
  bre::SplitMix64 rng(7);
  std::vector<bre::WeightedEdge> input;
  for (int i = 0; i < 600; ++i) {
    const auto u = static_cast<std::uint32_t>(rng.below(n - 5));  // nodes 35..39 stay alone
    const auto v = static_cast<std::uint32_t>(rng.below(n - 5));
    input.push_back({u, v, rng.uniform(0.1, 2.0)});
  }
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> merged;
  for (const auto& e : input) {
    const auto key = std::minmax(e.u, e.v);
    const auto [it, fresh] = merged.try_emplace({key.first, key.second}, e.weight);
    if (!fresh) it->second += e.weight;
  }
  auto g = bre::Graph::from_edges(n, input);
  ASSERT_TRUE(g) << g.status().message();
  EXPECT_TRUE(g->has_self_loops());
  ASSERT_EQ(g->edge_count(), merged.size());
  const std::vector<bre::WeightedEdge> edges = g->edge_list();
  ASSERT_EQ(edges.size(), merged.size());
  std::size_t e = 0;
  double total = 0.0;
  for (const auto& [key, weight] : merged) {
    EXPECT_EQ(edges[e].u, key.first);
    EXPECT_EQ(edges[e].v, key.second);
    EXPECT_EQ(edges[e].weight, weight);  // the same sums in the same order: bit for bit
    total += weight;
    ++e;
  }
  EXPECT_EQ(g->total_weight(), total);
  for (std::uint32_t v = 0; v < n; ++v) {
    std::vector<bre::Neighbour> expected;
    double strength = 0.0;
    for (const auto& [key, weight] : merged) {
      if (key.first == v || key.second == v) {
        expected.push_back({key.first == v ? key.second : key.first, weight});
      }
    }
    std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) { return a.node < b.node; });
    for (const auto& nb : expected) strength += nb.node == v ? 2.0 * nb.weight : nb.weight;
    const auto actual = g->neighbours(v);
    ASSERT_EQ(actual.size(), expected.size()) << "node " << v;
    std::size_t i = 0;
    for (const bre::Neighbour nb : actual) {
      EXPECT_EQ(nb.node, expected[i].node);
      EXPECT_EQ(nb.weight, expected[i].weight);
      ++i;
    }
    EXPECT_NEAR(g->strength(v), strength, 1e-12) << "node " << v;
    EXPECT_EQ(g->adjacency_offsets()[v + 1] - g->adjacency_offsets()[v], expected.size());
  }
  EXPECT_TRUE(g->neighbours(n - 1).empty());
  auto loopless = bre::Graph::from_edges(3, {{0, 1, 1.0}, {2, 1, 1.0}});
  ASSERT_TRUE(loopless);
  EXPECT_FALSE(loopless->has_self_loops());
}

TEST(Graph, RejectsBadEdges) {
  auto out_of_range = bre::Graph::from_edges(2, {{0, 2, 1.0}});
  ASSERT_FALSE(out_of_range);
  EXPECT_EQ(out_of_range.status().message(), "edges[0]: node id 2 is not below the node count 2");
  EXPECT_FALSE(bre::Graph::from_edges(2, {{0, 1, -1.0}}));
  EXPECT_FALSE(bre::Graph::from_edges(2, {{0, 1, std::numeric_limits<double>::quiet_NaN()}}));
}

TEST(Graph, EmptyGraphIsValid) {
  auto g = bre::Graph::from_edges(0, {});
  ASSERT_TRUE(g);
  EXPECT_EQ(g->node_count(), 0u);
}

TEST(CooperationNetwork, CountWeightingByHand) {
  const auto d = bre::test::small_dataset();
  const bre::DatasetIndex index(d);
  auto g = bre::build_cooperation_network(index, {});
  ASSERT_TRUE(g) << g.status().message();
  // A1 {1,2,3} gives 3 pairs, A2 {3,4} one, A3 {4,5,6} three; S1 is statistical.
  EXPECT_EQ(g->edge_count(), 7u);
  EXPECT_DOUBLE_EQ(g->total_weight(), 7.0);
  EXPECT_DOUBLE_EQ(weight_between(*g, 2, 3), 1.0);
  EXPECT_DOUBLE_EQ(weight_between(*g, 0, 5), 0.0);
}

TEST(CooperationNetwork, FractionalWeightingByHand) {
  const auto d = bre::test::small_dataset();
  const bre::DatasetIndex index(d);
  bre::NetworkOptions options;
  options.weighting = bre::Weighting::kFractional;
  auto g = bre::build_cooperation_network(index, options);
  ASSERT_TRUE(g);
  // A1: 3 pairs of 1/2; A2: 1 pair of 1; A3: 3 pairs of 1/2. Total 1.5 + 1 + 1.5 = 4.
  EXPECT_DOUBLE_EQ(weight_between(*g, 0, 1), 0.5);
  EXPECT_DOUBLE_EQ(weight_between(*g, 2, 3), 1.0);
  EXPECT_DOUBLE_EQ(g->total_weight(), 4.0);
}

TEST(CooperationNetwork, KindFilterAddsStatisticalDivisions) {
  const auto d = bre::test::small_dataset();
  const bre::DatasetIndex index(d);
  bre::NetworkOptions options;
  options.kinds = {bre::v1::ARRANGEMENT_KIND_COOPERATION, bre::v1::ARRANGEMENT_KIND_STATISTICAL};
  auto g = bre::build_cooperation_network(index, options);
  ASSERT_TRUE(g);
  // S1 adds 1 to each of the 15 pairs of 6 municipalities.
  EXPECT_DOUBLE_EQ(g->total_weight(), 22.0);
  EXPECT_DOUBLE_EQ(weight_between(*g, 0, 1), 2.0);
  EXPECT_DOUBLE_EQ(weight_between(*g, 0, 5), 1.0);
}

TEST(CooperationNetwork, SingleMunicipalityArrangementsAddNothing) {
  auto d = bre::test::small_dataset();
  auto* a = d.add_arrangements();
  a->set_id("lonely");
  a->set_kind(bre::v1::ARRANGEMENT_KIND_COOPERATION);
  a->add_municipality_codes("GM0001");
  a->add_body_codes("PV1");
  const bre::DatasetIndex index(d);
  auto g = bre::build_cooperation_network(index, {});
  ASSERT_TRUE(g);
  EXPECT_DOUBLE_EQ(g->total_weight(), 7.0);
}

TEST(CooperationNetwork, UnknownCodeNamesTheArrangement) {
  auto d = bre::test::small_dataset();
  d.mutable_arrangements(1)->add_municipality_codes("GM0404");
  const bre::DatasetIndex index(d);
  auto g = bre::build_cooperation_network(index, {});
  ASSERT_FALSE(g);
  EXPECT_EQ(g.status().message(), "arrangement 'A2': unknown municipality code 'GM0404'");
}

TEST(CooperationNetwork, ParsesOptionNames) {
  EXPECT_TRUE(bre::parse_weighting("fractional"));
  EXPECT_FALSE(bre::parse_weighting("Fractional"));
  EXPECT_EQ(*bre::parse_arrangement_kind("societal"), bre::v1::ARRANGEMENT_KIND_SOCIETAL);
  EXPECT_FALSE(bre::parse_arrangement_kind("cooperative"));
}

}  // namespace

namespace {

TEST(NetworkMessage, RoundTripsTheCooperationNetwork) {
  const auto dataset = bre::test::small_dataset();
  bre::DatasetIndex index(dataset);
  auto graph = bre::build_cooperation_network(index, {});
  ASSERT_TRUE(graph) << graph.status().message();
  const auto message = bre::to_network_message(*graph, index, "cooperation", "count");
  EXPECT_EQ(message.node_codes_size(), dataset.municipalities_size());
  EXPECT_EQ(static_cast<std::size_t>(message.edges_size()), graph->edge_count());
  auto back = bre::graph_from_network(message, index);
  ASSERT_TRUE(back) << back.status().message();
  const std::vector<bre::WeightedEdge> read = back->edge_list();
  const std::vector<bre::WeightedEdge> written = graph->edge_list();
  ASSERT_EQ(read.size(), written.size());
  for (std::size_t e = 0; e < written.size(); ++e) {
    EXPECT_EQ(read[e].u, written[e].u);
    EXPECT_EQ(read[e].v, written[e].v);
    EXPECT_EQ(read[e].weight, written[e].weight);
  }
}

TEST(NetworkMessage, NamesTheBadElement) {
  const auto dataset = bre::test::small_dataset();
  bre::DatasetIndex index(dataset);
  bre::v1::Network network;
  network.set_name("commuting");
  network.add_node_codes(dataset.municipalities(0).code());
  network.add_node_codes("GM9999");
  auto unknown = bre::graph_from_network(network, index);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().message(),
            "network 'commuting': node_codes[1]: 'GM9999' is not a municipality of the dataset");
  network.set_node_codes(1, dataset.municipalities(1).code());
  auto* edge = network.add_edges();
  edge->set_a(0);
  edge->set_b(2);
  edge->set_weight(1.0);
  auto out_of_range = bre::graph_from_network(network, index);
  ASSERT_FALSE(out_of_range);
  EXPECT_EQ(out_of_range.status().message(), "network 'commuting': edges[0]: node index 2 outside 0..1");
  edge->set_b(1);
  edge->set_weight(-1.0);
  EXPECT_FALSE(bre::graph_from_network(network, index));
}

}  // namespace
