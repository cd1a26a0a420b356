// Tests of bre/compare.hpp: best-match Jaccard, disagreement and partition quality
// against hand-computed values, NMI/ARI/VI against igraph_compare_communities, the
// message-level comparison (node sets, region ids), pairwise comparison and tables.
#include <igraph/igraph.h>

#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/compare.hpp"
#include "bre/graph.hpp"
#include "bre/igraph_lock.hpp"
#include "bre/partition.hpp"
#include "bre/random.hpp"

namespace bre {
namespace {

Graph graph_of(std::size_t n, std::vector<WeightedEdge> edges) {
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  EXPECT_TRUE(graph.has_value()) << graph.status().message();
  return graph.has_value() ? std::move(graph).value() : Graph{};
}

// igraph's value of one comparison measure (every node assigned).
double igraph_compare(const Membership& a, const Membership& b, igraph_community_comparison_t method) {
  std::lock_guard<std::mutex> lock(igraph_mutex());
  igraph_vector_int_t ia;
  igraph_vector_int_t ib;
  igraph_vector_int_init(&ia, static_cast<igraph_integer_t>(a.size()));
  igraph_vector_int_init(&ib, static_cast<igraph_integer_t>(b.size()));
  for (std::size_t i = 0; i < a.size(); ++i) {
    VECTOR(ia)[i] = a[i];
    VECTOR(ib)[i] = b[i];
  }
  igraph_real_t result = 0.0;
  EXPECT_EQ(igraph_compare_communities(&ia, &ib, &result, method), IGRAPH_SUCCESS);
  igraph_vector_int_destroy(&ia);
  igraph_vector_int_destroy(&ib);
  return result;
}

// Six nodes on a line map 0-1-2-3-4-5, ties: two triangles {0,1,2} and {3,4,5} plus 2-3.
struct LineCase {
  Graph ties = graph_of(6, {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1}, {3, 5, 1}, {2, 3, 1}});
  Graph map = graph_of(6, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}, {4, 5, 1}});
};

PartitionComparator compared(const LineCase& c, const Membership& a, const Membership& b) {
  PartitionComparator comparator(c.ties, c.map, a, b, {});
  const Status status = comparator.run();
  EXPECT_TRUE(status.is_ok()) << status.message();
  return comparator;
}

TEST(Compare, BestMatchJaccardAndDisagreementByHand) {
  const LineCase c;
  // A = {0,1,2} {3,4,5}; B = {0,1} {2,3,4,5}.
  const PartitionComparator comparator = compared(c, {0, 0, 0, 1, 1, 1}, {0, 0, 1, 1, 1, 1});
  // J(A0,B0) = 2/3, J(A0,B1) = 1/6, J(A1,B1) = 3/4.
  const auto& ab = comparator.matches_a_to_b();
  ASSERT_EQ(ab.size(), 2u);
  EXPECT_EQ(ab[0].match, 0);
  EXPECT_DOUBLE_EQ(ab[0].jaccard, 2.0 / 3.0);
  EXPECT_EQ(ab[1].match, 1);
  EXPECT_DOUBLE_EQ(ab[1].jaccard, 0.75);
  const auto& ba = comparator.matches_b_to_a();
  ASSERT_EQ(ba.size(), 2u);
  EXPECT_EQ(ba[0].match, 0);
  EXPECT_DOUBLE_EQ(ba[0].jaccard, 2.0 / 3.0);
  EXPECT_EQ(ba[1].match, 1);
  EXPECT_DOUBLE_EQ(ba[1].jaccard, 0.75);
  // Node 2 is in A0, whose best match is B0, but sits in B1.
  EXPECT_EQ(comparator.disagreement(), (std::vector<std::int8_t>{0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(comparator.disagreement_count(), 1);
  EXPECT_EQ(comparator.compared_count(), 6);
}

TEST(Compare, DisagreementIsSymmetricAndEmptyForEqualPartitions) {
  const LineCase c;
  const Membership a = {0, 0, 1, 1, 2, 2};
  const Membership b = {0, 1, 1, 1, 1, 2};
  EXPECT_EQ(compared(c, a, b).disagreement(), compared(c, b, a).disagreement());
  // The same regions under other labels: full agreement.
  const PartitionComparator same = compared(c, a, {5, 5, 3, 3, 0, 0});
  EXPECT_EQ(same.disagreement_count(), 0);
  EXPECT_DOUBLE_EQ(same.nmi(), 1.0);
  for (const auto& match : same.matches_a_to_b()) EXPECT_DOUBLE_EQ(match.jaccard, 1.0);
  // One region split in two: the split-off half disagrees.
  const PartitionComparator split = compared(c, {0, 0, 0, 0, 1, 1}, {0, 0, 1, 1, 2, 2});
  EXPECT_EQ(split.disagreement(), (std::vector<std::int8_t>{0, 0, 1, 1, 0, 0}));
}

TEST(Compare, InformationMeasuresAgreeWithIgraph) {
  // Seeded random memberships (SplitMix64(seed), labels below k) on 200 nodes.
  const std::size_t n = 200;
  const Graph ties = graph_of(n, {{0, 1, 1}});
  const Graph map = graph_of(n, {});
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    SplitMix64 rng(seed);
    Membership a(n);
    Membership b(n);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = static_cast<std::int32_t>(rng.below(6));
      b[i] = (rng.uniform() < 0.7) ? a[i] : static_cast<std::int32_t>(rng.below(9));
    }
    PartitionComparator comparator(ties, map, a, b, {});
    ASSERT_TRUE(comparator.run().is_ok());
    EXPECT_NEAR(comparator.nmi(), igraph_compare(a, b, IGRAPH_COMMCMP_NMI), 1e-12);
    EXPECT_NEAR(comparator.adjusted_rand(), igraph_compare(a, b, IGRAPH_COMMCMP_ADJUSTED_RAND), 1e-12);
    EXPECT_NEAR(comparator.variation_of_information(), igraph_compare(a, b, IGRAPH_COMMCMP_VI), 1e-12);
  }
}

TEST(Compare, QualitySizesModularityAndContiguity) {
  const LineCase c;
  // {0,2} and {1,3,4,5} are both in two pieces on the line; sizes 2 and 4.
  const PartitionQuality broken = partition_quality(c.ties, c.map, {0, 1, 0, 1, 1, 1}, 1.0);
  EXPECT_EQ(broken.region_count, 2);
  EXPECT_EQ(broken.min_region_size, 2);
  EXPECT_DOUBLE_EQ(broken.median_region_size, 3.0);
  EXPECT_EQ(broken.max_region_size, 4);
  EXPECT_EQ(broken.contiguous_regions, 0);
  EXPECT_DOUBLE_EQ(broken.contiguity, 0.0);
  // Two triangles: m = 7, each region has internal weight 3 and strength 7:
  // Q = 2 * (3/7 - (7/14)^2) = 6/7 - 1/2.
  const PartitionQuality halves = partition_quality(c.ties, c.map, {0, 0, 0, 1, 1, 1}, 1.0);
  EXPECT_NEAR(halves.modularity, 6.0 / 7.0 - 0.5, 1e-15);
  EXPECT_DOUBLE_EQ(halves.contiguity, 1.0);
  // Three regions of sizes 1, 2, 2 and one unassigned node: median 2; {5} contiguous.
  const PartitionQuality odd = partition_quality(c.ties, c.map, {0, 0, 1, 1, kUnassigned, 2}, 1.0);
  EXPECT_EQ(odd.region_count, 3);
  EXPECT_DOUBLE_EQ(odd.median_region_size, 2.0);
  EXPECT_EQ(odd.unassigned, 1);
  EXPECT_EQ(odd.contiguous_regions, 3);
  // Without a map contiguity is not known.
  const PartitionQuality unknown = partition_quality(c.ties, graph_of(6, {}), {0, 0, 0, 1, 1, 1}, 1.0);
  EXPECT_TRUE(std::isnan(unknown.contiguity));
}

TEST(Compare, IslandsDoNotBreakContiguity) {
  // 0-1-2 on the map, 3 an island; region {0,1,3} is contiguous, {0,2} with 1 elsewhere is not.
  const Graph ties = graph_of(4, {{0, 1, 1}, {1, 3, 1}, {1, 2, 1}});
  const Graph map = graph_of(4, {{0, 1, 1}, {1, 2, 1}});
  EXPECT_DOUBLE_EQ(partition_quality(ties, map, {0, 0, 1, 0}, 1.0).contiguity, 1.0);
  EXPECT_DOUBLE_EQ(partition_quality(ties, map, {0, 1, 0, 0}, 1.0).contiguity, 0.5);
}

TEST(Compare, UnassignedNodesAreLeftOut) {
  const LineCase c;
  const PartitionComparator comparator = compared(c, {0, 0, 0, 1, 1, kUnassigned}, {kUnassigned, 0, 0, 1, 1, 1});
  EXPECT_EQ(comparator.compared_count(), 4);
  EXPECT_EQ(comparator.disagreement(), (std::vector<std::int8_t>{-1, 0, 0, 0, 0, -1}));
  EXPECT_DOUBLE_EQ(comparator.nmi(), 1.0);
}

TEST(Compare, RejectsBadInput) {
  const LineCase c;
  PartitionComparator short_b(c.ties, c.map, {0, 0, 0, 1, 1, 1}, {0, 1}, {});
  EXPECT_EQ(short_b.run().code(), StatusCode::kInvalidArgument);
  for (double resolution : {0.0, -1.0, std::nan("")}) {
    ComparisonParameters parameters;
    parameters.resolution = resolution;
    PartitionComparator comparator(c.ties, c.map, {0, 0, 0, 1, 1, 1}, {0, 0, 0, 1, 1, 1}, parameters);
    const Status status = comparator.run();
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("resolution"), std::string::npos) << status.message();
  }
  PartitionComparator before(c.ties, c.map, {0}, {0}, {});
  EXPECT_THROW((void)before.nmi(), std::logic_error);
}

// Messages over a small dataset: four municipalities, region ids from the partitions.
struct MessageCase {
  v1::Dataset dataset;
  MessageCase() {
    for (const char* code : {"GM0001", "GM0002", "GM0003", "GM0004"}) dataset.add_municipalities()->set_code(code);
  }
};

v1::Partition partition_of(const std::string& name, const std::vector<std::vector<std::string>>& regions,
                           const std::vector<std::string>& unassigned = {}) {
  v1::Partition partition;
  partition.set_name(name);
  for (std::size_t r = 0; r < regions.size(); ++r) {
    v1::Region* region = partition.add_regions();
    region->set_id(name + "_" + std::to_string(r + 1));
    for (const auto& code : regions[r]) region->add_municipality_codes(code);
  }
  for (const auto& code : unassigned) partition.add_unassigned(code);
  return partition;
}

TEST(Compare, PartitionMessagesWithRegionIdsAndDisagreementMap) {
  const MessageCase c;
  const DatasetIndex index(c.dataset);
  const Graph ties = graph_of(4, {{0, 1, 1}, {2, 3, 1}, {1, 2, 1}});
  const Graph map = graph_of(4, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}});
  const v1::Partition a = partition_of("a", {{"GM0001", "GM0002"}, {"GM0003", "GM0004"}});
  const v1::Partition b = partition_of("b", {{"GM0001", "GM0002", "GM0003"}, {"GM0004"}});
  const Expected<v1::PartitionComparison> comparison = compare_partitions(index, ties, map, a, b, {});
  ASSERT_TRUE(comparison.has_value()) << comparison.status().message();
  EXPECT_EQ(comparison->partition_a(), "a");
  ASSERT_EQ(comparison->matches_a_to_b_size(), 2);
  EXPECT_EQ(comparison->matches_a_to_b(0).region_id(), "a_1");
  EXPECT_EQ(comparison->matches_a_to_b(0).best_match_region_id(), "b_1");
  EXPECT_DOUBLE_EQ(comparison->matches_a_to_b(0).jaccard(), 2.0 / 3.0);
  // a_2 = {3,4}: J with b_1 = 1/4, with b_2 = 1/2.
  EXPECT_EQ(comparison->matches_a_to_b(1).best_match_region_id(), "b_2");
  EXPECT_DOUBLE_EQ(comparison->mean_best_jaccard_a_to_b(), (2.0 / 3.0 + 0.5) / 2.0);
  ASSERT_EQ(comparison->disagreement_size(), 4);
  EXPECT_EQ(comparison->disagreement(2).municipality_code(), "GM0003");
  EXPECT_EQ(comparison->disagreement(2).value(), 1.0);
  EXPECT_EQ(comparison->disagreement(0).value(), 0.0);
  EXPECT_EQ(comparison->disagreement_count(), 1);
  EXPECT_EQ(comparison->summary_a().region_count(), 2);
  EXPECT_EQ(comparison->summary_b().max_region_size(), 3);
  EXPECT_DOUBLE_EQ(comparison->summary_b().contiguity(), 1.0);
}

TEST(Compare, DifferentNodeSetsAreAnErrorNamingTheCodes) {
  const MessageCase c;
  const DatasetIndex index(c.dataset);
  const Graph ties = graph_of(4, {{0, 1, 1}});
  const Graph map = graph_of(4, {});
  const v1::Partition a = partition_of("a", {{"GM0001", "GM0002"}, {"GM0003"}});
  const v1::Partition b = partition_of("b", {{"GM0001", "GM0002"}, {"GM0004"}});
  const Expected<v1::PartitionComparison> comparison = compare_partitions(index, ties, map, a, b, {});
  ASSERT_FALSE(comparison.has_value());
  const std::string& message = comparison.status().message();
  EXPECT_NE(message.find("only in 'a': GM0003"), std::string::npos) << message;
  EXPECT_NE(message.find("only in 'b': GM0004"), std::string::npos) << message;
  // Listing a municipality as unassigned covers it.
  const v1::Partition b_covering = partition_of("b", {{"GM0001", "GM0002"}, {"GM0004"}}, {"GM0003"});
  const v1::Partition a_covering = partition_of("a", {{"GM0001", "GM0002"}, {"GM0003"}}, {"GM0004"});
  EXPECT_TRUE(compare_partitions(index, ties, map, a_covering, b_covering, {}).has_value());
}

TEST(Compare, PairwiseSummariesAndTables) {
  const MessageCase c;
  const DatasetIndex index(c.dataset);
  const Graph ties = graph_of(4, {{0, 1, 1}, {2, 3, 1}, {1, 2, 1}});
  const Graph map = graph_of(4, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}});
  const std::vector<v1::Partition> partitions = {
      partition_of("a", {{"GM0001", "GM0002"}, {"GM0003", "GM0004"}}),
      partition_of("b", {{"GM0001", "GM0002", "GM0003"}, {"GM0004"}}),
      partition_of("c", {{"GM0001", "GM0002", "GM0003", "GM0004"}})};
  const Expected<PairwiseComparison> result = compare_pairwise(index, ties, map, partitions, {});
  ASSERT_TRUE(result.has_value()) << result.status().message();
  ASSERT_EQ(result->comparisons.size(), 3u);
  EXPECT_EQ(result->comparisons[1].partition_a(), "a");
  EXPECT_EQ(result->comparisons[1].partition_b(), "c");
  EXPECT_EQ(result->comparisons[2].partition_a(), "b");
  ASSERT_EQ(result->summaries.size(), 3u);
  EXPECT_EQ(result->summaries[2].name(), "c");
  EXPECT_EQ(result->summaries[2].region_count(), 1);
  EXPECT_EQ(result->summaries[1].min_region_size(), 1);

  const v1::IndicatorTable summary = partition_summary_table(result->summaries, 1.0);
  EXPECT_EQ(summary.name(), "partitions");
  ASSERT_EQ(summary.rows_size(), 3);
  EXPECT_EQ(summary.rows(0).values_size(), summary.columns_size());
  EXPECT_EQ(summary.rows(2).values(0), 1.0);  // regions of c
  const v1::IndicatorTable pairs = comparison_table(result->comparisons);
  ASSERT_EQ(pairs.rows_size(), 3);
  EXPECT_EQ(pairs.rows(0).region_id(), "a vs b");
  EXPECT_EQ(pairs.columns(0).id(), "nmi");
  EXPECT_EQ(pairs.rows(0).values(0), result->comparisons[0].nmi());

  EXPECT_FALSE(compare_pairwise(index, ties, map, {partitions[0]}, {}).has_value());
  const Expected<PairwiseComparison> twice = compare_pairwise(index, ties, map, {partitions[0], partitions[0]}, {});
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.status().message().find("two partitions are named 'a'"), std::string::npos);
}

}  // namespace
}  // namespace bre
