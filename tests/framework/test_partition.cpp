// Tests of bre/partition.hpp: membership helpers, conversion to and from
// bre.v1.Partition, modularity and the comparison measures.
//
// Reference values: hand-computed small cases (arithmetic in the comments) and
// igraph 0.10's igraph_modularity / igraph_compare_communities on seeded random
// graphs and partitions, to 1e-12.
#include <igraph/igraph.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/graph.hpp"
#include "bre/igraph_lock.hpp"
#include "bre/partition.hpp"
#include "bre/random.hpp"
#include "igraph_reference.hpp"

namespace bre {
namespace {

constexpr double kTolerance = 1e-12;

Graph make_graph(std::size_t n, std::vector<WeightedEdge> edges) {
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  EXPECT_TRUE(graph.has_value()) << graph.status().message();
  return std::move(graph).value();
}

// Two triangles {0,1,2} and {3,4,5} joined by the edge 2-3, all weights 1.
Graph two_triangles() {
  return make_graph(6, {{0, 1, 1}, {0, 2, 1}, {1, 2, 1}, {3, 4, 1}, {3, 5, 1}, {4, 5, 1}, {2, 3, 1}});
}

// ---- Random instances for the comparison with igraph ---------------------------------
//
// Generator (documented so a failure can be reproduced by hand):
//   rng = SplitMix64(seed)
//   n   = 20 + rng.below(180)
//   3n edges: u = rng.below(n), v = rng.below(n) (self-loops and repeats allowed; Graph
//             merges repeats), weight = rng.uniform(0.1, 5.0)
//   membership: k = 1 + rng.below(10), label_i = rng.below(k) for each node in order
//   correlated membership: copy, then each node with probability 0.3 gets rng.below(k)
struct RandomInstance {
  Graph graph;
  Membership a;
  Membership b;  // correlated with a
  Membership c;  // independent of a
  double resolution;
};

Membership random_membership(SplitMix64& rng, std::size_t n) {
  const std::uint64_t k = 1 + rng.below(10);
  Membership m(n);
  for (auto& label : m) label = static_cast<std::int32_t>(rng.below(k));
  return m;
}

RandomInstance random_instance(std::uint64_t seed) {
  SplitMix64 rng(seed);
  const std::size_t n = 20 + rng.below(180);
  std::vector<WeightedEdge> edges;
  for (std::size_t e = 0; e < 3 * n; ++e) {
    const auto u = static_cast<std::uint32_t>(rng.below(n));
    const auto v = static_cast<std::uint32_t>(rng.below(n));
    edges.push_back({u, v, rng.uniform(0.1, 5.0)});
  }
  RandomInstance instance{make_graph(n, std::move(edges)), {}, {}, {}, 0.0};
  instance.a = random_membership(rng, n);
  instance.b = instance.a;
  const std::int32_t k = region_count(instance.a);
  for (auto& label : instance.b) {
    if (rng.uniform() < 0.3) label = static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(k)));
  }
  instance.c = random_membership(rng, n);
  instance.resolution = rng.uniform(0.5, 2.0);
  return instance;
}

// igraph wrappers; every igraph call holds bre::igraph_mutex().
using test::igraph_modularity_of;

double igraph_compare(const Membership& a, const Membership& b, igraph_community_comparison_t method) {
  std::lock_guard<std::mutex> lock(igraph_mutex());
  igraph_vector_int_t va;
  igraph_vector_int_t vb;
  igraph_vector_int_init(&va, static_cast<igraph_integer_t>(a.size()));
  igraph_vector_int_init(&vb, static_cast<igraph_integer_t>(b.size()));
  for (std::size_t i = 0; i < a.size(); ++i) {
    VECTOR(va)[i] = a[i];
    VECTOR(vb)[i] = b[i];
  }
  igraph_real_t result = 0.0;
  const igraph_error_t code = igraph_compare_communities(&va, &vb, &result, method);
  EXPECT_EQ(code, IGRAPH_SUCCESS);
  igraph_vector_int_destroy(&va);
  igraph_vector_int_destroy(&vb);
  return result;
}

// ---- A small dataset -------------------------------------------------------------------

v1::Dataset small_dataset() {
  v1::Dataset dataset;
  dataset.set_name("small");
  auto add = [&](const char* code, const char* name, std::int64_t population) {
    v1::Municipality* m = dataset.add_municipalities();
    m->set_code(code);
    m->set_name(name);
    m->set_population(population);
  };
  add("GM0001", "Alpha", 100);
  add("GM0002", "Beta", 300);
  add("GM0003", "Gamma", 300);
  add("GM0004", "Delta", 50);
  add("GM0005", "Epsilon", 10);
  return dataset;
}

std::vector<std::string> codes_of(const v1::Region& region) {
  return {region.municipality_codes().begin(), region.municipality_codes().end()};
}

// A region written out by hand: id, optional name, municipality codes in order.
struct HandRegion {
  std::string id;
  std::string name = {};  // empty: none
  std::vector<std::string> codes;
};

// Appends `regions` to a v1::Partition or a v1::RegionDefinition, in order.
template <typename Owner>
void add_regions(Owner& owner, const std::vector<HandRegion>& regions) {
  for (const HandRegion& hand : regions) {
    v1::Region* region = owner.add_regions();
    region->set_id(hand.id);
    region->set_name(hand.name);
    for (const std::string& code : hand.codes) region->add_municipality_codes(code);
  }
}

v1::Partition hand_partition(const std::string& name, const std::vector<HandRegion>& regions) {
  v1::Partition partition;
  partition.set_name(name);
  add_regions(partition, regions);
  return partition;
}

v1::RegionDefinition hand_definition(const std::string& name, const std::vector<HandRegion>& regions,
                                     bool is_cover = false) {
  v1::RegionDefinition definition;
  definition.set_name(name);
  definition.set_is_cover(is_cover);
  add_regions(definition, regions);
  return definition;
}

// An error message must name each of `names` in single quotes ('GM0002', 'R01', ...).
void expect_names_quoted(const std::string& message, const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    EXPECT_NE(message.find("'" + name + "'"), std::string::npos) << "'" << name << "' not in: " << message;
  }
}

// ---- Membership helpers -----------------------------------------------------------------

TEST(CanonicalLabels, RelabelsInOrderOfFirstAppearance) {
  EXPECT_EQ(canonical_labels({5, 5, 2, kUnassigned, 7, 2}), (Membership{0, 0, 1, kUnassigned, 2, 1}));
  EXPECT_EQ(canonical_labels({}), Membership{});
  EXPECT_EQ(canonical_labels({kUnassigned, kUnassigned}), (Membership{kUnassigned, kUnassigned}));
  // Large labels go through the sparse path and give the same answer.
  EXPECT_EQ(canonical_labels({1000000, 3, 1000000, 0}), (Membership{0, 1, 0, 2}));
  // Already canonical vectors are fixed points.
  const Membership canonical{0, 1, 0, 2, kUnassigned, 1};
  EXPECT_EQ(canonical_labels(canonical), canonical);
}

TEST(RegionCount, IsMaxLabelPlusOne) {
  EXPECT_EQ(region_count({0, 2, 1, kUnassigned}), 3);
  EXPECT_EQ(region_count({kUnassigned}), 0);
  EXPECT_EQ(region_count({}), 0);
}

// ---- Modularity --------------------------------------------------------------------------

TEST(Modularity, TwoTrianglesByHand) {
  const Graph graph = two_triangles();
  // m = 7. Each triangle: internal weight 3 (counted twice: 6), strength 2+2+3 = 7.
  // Q = 2 * (6/14 - (7/14)^2) = 6/7 - 1/2 = 5/14.
  EXPECT_NEAR(modularity(graph, {0, 0, 0, 1, 1, 1}), 5.0 / 14.0, kTolerance);
  // gamma = 2: 6/7 - 2 * 2 * (1/2)^2 = 6/7 - 1 = -1/7.
  EXPECT_NEAR(modularity(graph, {0, 0, 0, 1, 1, 1}, 2.0), -1.0 / 7.0, kTolerance);
  // One region: 14/14 - 1 = 0.
  EXPECT_NEAR(modularity(graph, {0, 0, 0, 0, 0, 0}), 0.0, kTolerance);
  // Labels need not be canonical.
  EXPECT_NEAR(modularity(graph, {7, 7, 7, 2, 2, 2}), 5.0 / 14.0, kTolerance);
}

TEST(Modularity, UnassignedNodesContributeNothing) {
  const Graph graph = two_triangles();
  // Only the first triangle counts: 6/14 - (7/14)^2 = 3/7 - 1/4 = 5/28 (m stays 7).
  EXPECT_NEAR(modularity(graph, {0, 0, 0, kUnassigned, kUnassigned, kUnassigned}), 5.0 / 28.0, kTolerance);
}

TEST(Modularity, SelfLoopsCountAsIgraphCountsThem) {
  // Self-loop (0,0) of weight 2 and edge (0,1) of weight 1: m = 3, strengths 5 and 1.
  const Graph graph = make_graph(2, {{0, 0, 2.0}, {0, 1, 1.0}});
  // Apart: internal(0) = 2 * 2 = 4: Q = 4/6 - (5/6)^2 - (1/6)^2 = 24/36 - 26/36 = -1/18.
  EXPECT_NEAR(modularity(graph, {0, 1}), -1.0 / 18.0, kTolerance);
  // Together: internal = 2*2 + 2*1 = 6: Q = 6/6 - (6/6)^2 = 0.
  EXPECT_NEAR(modularity(graph, {0, 0}), 0.0, kTolerance);
  EXPECT_NEAR(modularity(graph, {0, 1}), igraph_modularity_of(graph, {0, 1}, 1.0), kTolerance);
  EXPECT_NEAR(modularity(graph, {0, 0}, 1.5), igraph_modularity_of(graph, {0, 0}, 1.5), kTolerance);
}

TEST(Modularity, GraphWithoutEdgesIsNaN) {
  const Graph graph = make_graph(3, {});
  EXPECT_TRUE(std::isnan(modularity(graph, {0, 1, 2})));
  const Graph zero_weight = make_graph(2, {{0, 1, 0.0}});
  EXPECT_TRUE(std::isnan(modularity(zero_weight, {0, 0})));
}

TEST(Modularity, SizeMismatchThrows) {
  EXPECT_THROW((void)modularity(two_triangles(), {0, 1}), std::invalid_argument);
}

TEST(Modularity, MatchesIgraphOnRandomGraphs) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const RandomInstance instance = random_instance(seed);
    for (const Membership* m : {&instance.a, &instance.b, &instance.c}) {
      EXPECT_NEAR(modularity(instance.graph, *m), igraph_modularity_of(instance.graph, *m, 1.0), kTolerance)
          << "seed " << seed;
      EXPECT_NEAR(modularity(instance.graph, *m, instance.resolution),
                  igraph_modularity_of(instance.graph, *m, instance.resolution), kTolerance)
          << "seed " << seed << " resolution " << instance.resolution;
    }
  }
}

TEST(Modularity, IsDeterministic) {
  const RandomInstance instance = random_instance(7);
  const double first = modularity(instance.graph, instance.a, 1.3);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(modularity(instance.graph, instance.a, 1.3), first);
}

// ---- Comparison measures ----------------------------------------------------------------

TEST(Comparison, SmallCaseByHand) {
  const Membership a{0, 0, 1, 1};
  const Membership b{0, 0, 0, 1};
  // n = 4. H(a) = ln 2. H(b) = -(3/4 ln 3/4 + 1/4 ln 1/4).
  // Cells (a,b): (0,0) = 2, (1,0) = 1, (1,1) = 1; sizes a: 2, 2; b: 3, 1.
  // I = 2/4 ln(4*2/(2*3)) + 1/4 ln(4*1/(2*3)) + 1/4 ln(4*1/(2*1))
  //   = 1/2 ln(4/3) + 1/4 ln(2/3) + 1/4 ln 2 ~= 0.215762.
  const double h_a = std::log(2.0);
  const double h_b = -(0.75 * std::log(0.75) + 0.25 * std::log(0.25));
  const double mutual = 0.5 * std::log(4.0 / 3.0) + 0.25 * std::log(2.0 / 3.0) + 0.25 * std::log(2.0);
  // NMI = 2 I / (H(a) + H(b)) ~= 0.343712; VI = H(a) + H(b) - 2 I ~= 0.823959.
  EXPECT_NEAR(normalized_mutual_information(a, b), 2.0 * mutual / (h_a + h_b), kTolerance);
  EXPECT_NEAR(variation_of_information(a, b), h_a + h_b - 2.0 * mutual, kTolerance);
  // Pairs: same in both: C(2,2) = 1; same in a: 1 + 1 = 2; same in b: C(3,2) = 3;
  // C(4,2) = 6. Expected = 2*3/6 = 1, max = (2+3)/2 = 2.5: ARI = (1-1)/(2.5-1) = 0.
  EXPECT_NEAR(adjusted_rand_index(a, b), 0.0, kTolerance);
}

TEST(Comparison, AdjustedRandByHand) {
  const Membership a{0, 0, 0, 1, 1, 1};
  const Membership b{0, 0, 1, 1, 2, 2};
  // Cells: (0,0)=2, (0,1)=1, (1,1)=1, (1,2)=2: index = 1 + 1 = 2. Same in a: 3 + 3 = 6;
  // same in b: 1 + 1 + 1 = 3; C(6,2) = 15. Expected = 6*3/15 = 1.2, max = 4.5:
  // ARI = (2 - 1.2) / (4.5 - 1.2) = 0.8 / 3.3 = 8/33.
  EXPECT_NEAR(adjusted_rand_index(a, b), 8.0 / 33.0, kTolerance);
  EXPECT_NEAR(adjusted_rand_index(b, a), 8.0 / 33.0, kTolerance);
}

TEST(Comparison, IdenticalPartitions) {
  const Membership a{0, 1, 1, 2, 2, 2};
  const Membership relabelled{5, 3, 3, 0, 0, 0};
  EXPECT_NEAR(normalized_mutual_information(a, relabelled), 1.0, kTolerance);
  EXPECT_NEAR(adjusted_rand_index(a, relabelled), 1.0, kTolerance);
  EXPECT_NEAR(variation_of_information(a, relabelled), 0.0, kTolerance);
  EXPECT_GE(variation_of_information(a, a), 0.0);
  EXPECT_LE(normalized_mutual_information(a, a), 1.0);
}

TEST(Comparison, OnlyNodesAssignedInBothCount) {
  const Membership a{0, 0, 1, kUnassigned};
  const Membership b{kUnassigned, 0, 0, 1};
  // Kept: nodes 1, 2 with a' = {0, 1}, b' = {0, 0}. H(a') = ln 2, H(b') = 0, I = 0:
  // NMI = 0, VI = ln 2. ARI: same in a' 0, same in b' 1, C(2,2) = 1: expected 0,
  // max 0.5, index 0: ARI = 0.
  EXPECT_NEAR(normalized_mutual_information(a, b), 0.0, kTolerance);
  EXPECT_NEAR(variation_of_information(a, b), std::log(2.0), kTolerance);
  EXPECT_NEAR(adjusted_rand_index(a, b), 0.0, kTolerance);
}

TEST(Comparison, DegenerateCasesFollowIgraph) {
  // Both trivial: NMI is 1 by igraph's convention; ARI is 0/0 (NaN, as in igraph).
  EXPECT_EQ(normalized_mutual_information({0, 0, 0}, {1, 1, 1}), 1.0);
  EXPECT_EQ(variation_of_information({0, 0, 0}, {1, 1, 1}), 0.0);
  EXPECT_TRUE(std::isnan(adjusted_rand_index({0, 0, 0}, {1, 1, 1})));
  EXPECT_TRUE(std::isnan(adjusted_rand_index({0, 1, 2}, {2, 1, 0})));
  // Fewer than two common nodes: ARI undefined (igraph: an error).
  EXPECT_TRUE(std::isnan(adjusted_rand_index({0}, {0})));
  EXPECT_TRUE(std::isnan(adjusted_rand_index({}, {})));
  EXPECT_EQ(normalized_mutual_information({}, {}), 1.0);
  EXPECT_EQ(variation_of_information({}, {}), 0.0);
}

TEST(Comparison, SizeMismatchThrows) {
  EXPECT_THROW((void)normalized_mutual_information({0, 1}, {0}), std::invalid_argument);
  EXPECT_THROW((void)adjusted_rand_index({0, 1}, {0}), std::invalid_argument);
  EXPECT_THROW((void)variation_of_information({0, 1}, {0}), std::invalid_argument);
}

TEST(Comparison, MatchesIgraphOnRandomPartitions) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const RandomInstance instance = random_instance(seed);
    for (const Membership* other : {&instance.b, &instance.c}) {
      const Membership& a = instance.a;
      const Membership& b = *other;
      EXPECT_NEAR(normalized_mutual_information(a, b), igraph_compare(a, b, IGRAPH_COMMCMP_NMI), kTolerance)
          << "seed " << seed;
      EXPECT_NEAR(variation_of_information(a, b), igraph_compare(a, b, IGRAPH_COMMCMP_VI), kTolerance)
          << "seed " << seed;
      const double igraph_ari = igraph_compare(a, b, IGRAPH_COMMCMP_ADJUSTED_RAND);
      if (std::isnan(igraph_ari)) {
        EXPECT_TRUE(std::isnan(adjusted_rand_index(a, b))) << "seed " << seed;
      } else {
        EXPECT_NEAR(adjusted_rand_index(a, b), igraph_ari, kTolerance) << "seed " << seed;
      }
    }
  }
}

// ---- Conversion to and from bre.v1.Partition ---------------------------------------------

TEST(ToPartition, RegionsIdsNamesAndUnassigned) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const v1::Partition p = to_partition(index, {3, 3, 1, kUnassigned, 3}, "step", "test", 0.25, 1.5);
  EXPECT_EQ(p.name(), "step");
  EXPECT_EQ(p.source(), "test");
  EXPECT_EQ(p.modularity(), 0.25);
  EXPECT_EQ(p.resolution(), 1.5);
  ASSERT_EQ(p.regions_size(), 2);
  EXPECT_EQ(p.regions(0).id(), "R01");
  EXPECT_EQ(p.regions(0).name(), "Regio Beta");  // Beta 300 > Alpha 100 > Epsilon 10
  EXPECT_EQ(codes_of(p.regions(0)), (std::vector<std::string>{"GM0001", "GM0002", "GM0005"}));
  EXPECT_EQ(p.regions(1).id(), "R02");
  EXPECT_EQ(p.regions(1).name(), "Regio Gamma");
  EXPECT_EQ(codes_of(p.regions(1)), (std::vector<std::string>{"GM0003"}));
  ASSERT_EQ(p.unassigned_size(), 1);
  EXPECT_EQ(p.unassigned(0), "GM0004");
}

TEST(ToPartition, PopulationTieGoesToFirstInDatasetOrder) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  // Beta and Gamma both have 300 inhabitants; Beta comes first.
  const v1::Partition p = to_partition(index, {0, 0, 0, 0, 0}, "all", "test", 0.0, 1.0);
  ASSERT_EQ(p.regions_size(), 1);
  EXPECT_EQ(p.regions(0).name(), "Regio Beta");
  const v1::Partition q = to_partition(index, {1, 0, 0, 1, 1}, "ordered", "test", 0.0, 1.0);
  EXPECT_EQ(q.regions(0).name(), "Regio Alpha");  // first appearance gives R01
  EXPECT_EQ(q.regions(1).name(), "Regio Beta");
  EXPECT_TRUE(std::isnan(to_partition(index, {0, 0, 0, 0, 0}, "n", "t", std::nan(""), 1.0).modularity()));
}

TEST(ToPartition, OnEqualPopulationTheEmploymentCentreNamesTheRegion) {
  v1::Dataset dataset = small_dataset();
  // Gamma (GM0003) ties Beta at 300 inhabitants but is where most commuters work.
  auto* flow = dataset.add_commuting_flows();
  flow->set_home_code("GM0001");
  flow->set_work_code("GM0003");
  flow->set_persons(50);
  flow = dataset.add_commuting_flows();
  flow->set_home_code("GM0003");
  flow->set_work_code("GM0002");
  flow->set_persons(20);
  const DatasetIndex index(dataset);
  EXPECT_EQ(to_partition(index, {0, 0, 0, 0, 0}, "all", "test", 0.0, 1.0).regions(0).name(), "Regio Gamma");
}

TEST(ToPartition, IdWidthGrowsPastNinetyNineRegions) {
  for (const int count : {99, 100, 120}) {
    v1::Dataset dataset;
    Membership membership;
    for (int i = 0; i < count; ++i) {
      v1::Municipality* m = dataset.add_municipalities();
      m->set_code("GM" + std::to_string(1000 + i));
      m->set_name("M" + std::to_string(i));
      membership.push_back(i);
    }
    const DatasetIndex index(dataset);
    const v1::Partition p = to_partition(index, membership, "many", "test", 0.0, 1.0);
    ASSERT_EQ(p.regions_size(), count);
    EXPECT_EQ(p.regions(0).id(), count <= 99 ? "R01" : "R001");
    EXPECT_EQ(p.regions(count - 1).id(), "R" + std::to_string(count));
    EXPECT_EQ(p.regions(8).id(), count <= 99 ? "R09" : "R009");
  }
}

TEST(ToPartition, SizeMismatchThrows) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  EXPECT_THROW((void)to_partition(index, {0, 0}, "x", "t", 0.0, 1.0), std::invalid_argument);
}

TEST(MembershipOf, RoundTripsToPartition) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const Membership membership{4, 4, 2, kUnassigned, 9};
  const v1::Partition p = to_partition(index, membership, "p", "t", 0.0, 1.0);
  const Expected<Membership> back = membership_of(index, p);
  ASSERT_TRUE(back.has_value()) << back.status().message();
  EXPECT_EQ(*back, canonical_labels(membership));
}

TEST(MembershipOf, IndicesFollowRegionOrder) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const v1::Partition p =
      hand_partition("hand", {{.id = "X", .codes = {"GM0005"}}, {.id = "Y", .codes = {"GM0001", "GM0002"}}});
  const Expected<Membership> m = membership_of(index, p);
  ASSERT_TRUE(m.has_value()) << m.status().message();
  EXPECT_EQ(*m, (Membership{1, 1, kUnassigned, kUnassigned, 0}));
}

TEST(MembershipOf, UnknownCodeNamesPartitionRegionAndCode) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const v1::Partition p = hand_partition("bad", {{.id = "R07", .codes = {"GM9999"}}});
  const Expected<Membership> m = membership_of(index, p);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  expect_names_quoted(m.status().message(), {"bad", "R07", "GM9999"});
}

TEST(MembershipOf, MunicipalityInTwoRegionsNamesBoth) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const v1::Partition p = hand_partition(
      "overlap", {{.id = "R01", .codes = {"GM0002"}}, {.id = "R02", .codes = {"GM0003", "GM0002"}}});
  const Expected<Membership> m = membership_of(index, p);
  ASSERT_FALSE(m.has_value());
  expect_names_quoted(m.status().message(), {"overlap", "GM0002", "R01", "R02"});
}

TEST(MembershipOf, UnassignedListIsChecked) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  v1::Partition p = to_partition(index, {0, 0, 1, 1, 1}, "p", "t", 0.0, 1.0);
  p.add_unassigned("GM0003");
  EXPECT_FALSE(membership_of(index, p).has_value());
  v1::Partition q = to_partition(index, {0, 0, 1, 1, kUnassigned}, "q", "t", 0.0, 1.0);
  q.add_unassigned("GM4242");
  const Expected<Membership> m = membership_of(index, q);
  ASSERT_FALSE(m.has_value());
  EXPECT_NE(m.status().message().find("'GM4242'"), std::string::npos) << m.status().message();
}

TEST(PartitionFromDefinition, KeepsIdsAndNamesAndListsUnassigned) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const v1::RegionDefinition definition =
      hand_definition("corop", {{.id = "CR01", .name = "Noord", .codes = {"GM0002", "GM0001"}},
                                {.id = "CR02", .name = "Zuid", .codes = {"GM0005"}}});
  const Expected<v1::Partition> p = partition_from_definition(index, definition);
  ASSERT_TRUE(p.has_value()) << p.status().message();
  EXPECT_EQ(p->name(), "corop");
  ASSERT_EQ(p->regions_size(), 2);
  EXPECT_EQ(p->regions(0).id(), "CR01");
  EXPECT_EQ(p->regions(0).name(), "Noord");
  EXPECT_EQ(codes_of(p->regions(0)), (std::vector<std::string>{"GM0002", "GM0001"}));
  EXPECT_EQ(p->regions(1).id(), "CR02");
  EXPECT_EQ(p->regions(1).name(), "Zuid");
  EXPECT_EQ(std::vector<std::string>(p->unassigned().begin(), p->unassigned().end()),
            (std::vector<std::string>{"GM0003", "GM0004"}));
  EXPECT_TRUE(std::isnan(p->modularity()));
  const Expected<Membership> m = membership_of(index, *p);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(*m, (Membership{0, 0, kUnassigned, kUnassigned, 1}));
}

TEST(PartitionFromDefinition, CoverWithoutOverlapIsAPartition) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const v1::RegionDefinition definition =
      hand_definition("cover", {{.id = "A", .codes = {"GM0001"}}}, /*is_cover=*/true);
  EXPECT_TRUE(partition_from_definition(index, definition).has_value());
}

TEST(PartitionFromDefinition, OverlappingCoverNamesMunicipalityAndBothRegions) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const v1::RegionDefinition definition = hand_definition(
      "safety", {{.id = "VR01", .codes = {"GM0001", "GM0004"}}, {.id = "VR02", .codes = {"GM0004"}}},
      /*is_cover=*/true);
  const Expected<v1::Partition> p = partition_from_definition(index, definition);
  ASSERT_FALSE(p.has_value());
  expect_names_quoted(p.status().message(), {"safety", "GM0004", "VR01", "VR02"});
}

TEST(PartitionFromDefinition, UnknownCodeIsAnError) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const v1::RegionDefinition definition = hand_definition("typo", {{.id = "A", .codes = {"GM00O1"}}});
  const Expected<v1::Partition> p = partition_from_definition(index, definition);
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.status().message().find("'GM00O1'"), std::string::npos) << p.status().message();
}

}  // namespace
TEST(MatchRegions, OneToOneByLargestOverlapFirst) {
  // a: {0,1,2} {3,4} {5}; b: {0,1} {2,3,4} {5}. Overlaps: a0-b0 2, a1-b1 2, a0-b1 1, a2-b2 1.
  const Membership a = {0, 0, 0, 1, 1, 2};
  const Membership b = {0, 0, 1, 1, 1, 2};
  EXPECT_EQ(match_regions_by_overlap(a, 3, b, 3), (std::vector<std::int32_t>{0, 1, 2}));
  // Two regions of a both overlap b0 most: the larger overlap wins, the other goes unmatched.
  const Membership c = {0, 0, 0, 1, 1, 1};
  const Membership d = {0, 0, 0, 0, 0, 1};
  EXPECT_EQ(match_regions_by_overlap(d, 2, c, 2), (std::vector<std::int32_t>{0, 1}));
  EXPECT_EQ(match_regions_by_overlap(c, 2, d, 2), (std::vector<std::int32_t>{0, 1}));
  // Unassigned nodes and regions without overlap stay unmatched.
  const Membership e = {kUnassigned, 0, 0, 1, kUnassigned, kUnassigned};
  const Membership f = {0, kUnassigned, kUnassigned, kUnassigned, 1, 1};
  EXPECT_EQ(match_regions_by_overlap(e, 2, f, 2), (std::vector<std::int32_t>{-1, -1}));
}

}  // namespace bre
