// Tests of the native community module (bre/clustering/): Leiden, Louvain and label
// propagation against igraph (igraph_community_leiden through IgraphLeiden,
// igraph_community_multilevel) on the demo network and on planted partitions, CPM on a
// case with a known optimum, determinism, thread safety, bad input; then ensembles.
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "bre/clustering/ensemble.hpp"
#include "bre/clustering/label_propagation.hpp"
#include "bre/clustering/leiden.hpp"
#include "bre/clustering/louvain.hpp"
#include "bre/clustering/schedule.hpp"
#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/graph.hpp"
#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "bre/planted_partition.hpp"
#include "bre/random.hpp"
#include "igraph_leiden.hpp"
#include "igraph_reference.hpp"

namespace bre::clustering {
namespace {

// ---- Fixtures ------------------------------------------------------------------------

const Graph& demo_network() {
  static const Graph graph = [] {
    const v1::Dataset dataset = demo::generate();
    const DatasetIndex index(dataset);
    Expected<Graph> built = build_cooperation_network(index, NetworkOptions{});
    if (!built) throw std::runtime_error(built.status().message());
    return std::move(built).value();
  }();
  return graph;
}

// Clear signal: 2,000 nodes in 20 groups of 100, mean degree 20, 20% of ties outside.
const demo::PlantedPartition& clear_planted() {
  static const demo::PlantedPartition planted =
      *demo::planted_partition({.nodes = 2000, .groups = 20, .mean_degree = 20.0, .mixing = 0.2, .seed = 20160101});
  return planted;
}

// Weaker signal (40% of ties outside), where optimisers differ more.
const demo::PlantedPartition& noisy_planted() {
  static const demo::PlantedPartition planted =
      *demo::planted_partition({.nodes = 3000, .groups = 30, .mean_degree = 16.0, .mixing = 0.4, .seed = 7});
  return planted;
}

Graph graph_of(std::size_t n, std::vector<WeightedEdge> edges) {
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  if (!graph) throw std::runtime_error(graph.status().message());
  return std::move(graph).value();
}

// Ring of `cliques` complete graphs K_size, consecutive cliques joined by one edge
// (Fortunato & Barthelemy 2007's resolution-limit example).
Graph ring_of_cliques(std::uint32_t cliques, std::uint32_t size) {
  std::vector<WeightedEdge> edges;
  for (std::uint32_t c = 0; c < cliques; ++c) {
    const std::uint32_t base = c * size;
    for (std::uint32_t i = 0; i < size; ++i) {
      for (std::uint32_t j = i + 1; j < size; ++j) edges.push_back({base + i, base + j, 1.0});
    }
    edges.push_back({base, ((c + 1) % cliques) * size + 1, 1.0});
  }
  return graph_of(static_cast<std::size_t>(cliques) * size, std::move(edges));
}

Membership leiden(const Graph& graph, LeidenParameters parameters) {
  Leiden algorithm(graph, parameters);
  const Status status = algorithm.run();
  EXPECT_TRUE(status.is_ok()) << status.message();
  return status.is_ok() ? algorithm.membership() : Membership{};
}

Membership louvain(const Graph& graph, LouvainParameters parameters) {
  Louvain algorithm(graph, parameters);
  const Status status = algorithm.run();
  EXPECT_TRUE(status.is_ok()) << status.message();
  return status.is_ok() ? algorithm.membership() : Membership{};
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

double igraph_leiden_modularity(const Graph& graph, double resolution, std::uint64_t seed) {
  clustering::IgraphLeidenParameters parameters;
  parameters.resolution = resolution;
  parameters.seed = seed;
  clustering::IgraphLeiden reference(graph, parameters);
  const Status status = reference.run();
  EXPECT_TRUE(status.is_ok()) << status.message();
  return test::igraph_modularity_of(graph, reference.membership(), resolution);
}

// Whether every community induces a connected subgraph (Leiden's guarantee).
bool communities_connected(const Graph& graph, const Membership& membership) {
  const std::size_t n = graph.node_count();
  std::vector<char> seen(n, 0);
  std::vector<char> region_seen(static_cast<std::size_t>(region_count(membership)), 0);
  for (std::uint32_t start = 0; start < n; ++start) {
    if (seen[start]) continue;
    const std::size_t region = static_cast<std::size_t>(membership[start]);
    if (region_seen[region]) return false;  // a second piece of one community
    region_seen[region] = 1;
    std::queue<std::uint32_t> queue;
    queue.push(start);
    seen[start] = 1;
    while (!queue.empty()) {
      const std::uint32_t v = queue.front();
      queue.pop();
      for (const Neighbour& nb : graph.neighbours(v)) {
        if (!seen[nb.node] && membership[nb.node] == membership[v]) {
          seen[nb.node] = 1;
          queue.push(nb.node);
        }
      }
    }
  }
  return true;
}

constexpr std::uint64_t kSeeds = 11;

// ---- Leiden against igraph -------------------------------------------------------------

void expect_leiden_matches_igraph(const Graph& graph, double resolution, Schedule schedule = Schedule::kAuto) {
  std::vector<double> native;
  std::vector<double> reference;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const Membership membership = leiden(graph, {.resolution = resolution, .seed = seed, .schedule = schedule});
    native.push_back(test::igraph_modularity_of(graph, membership, resolution));
    reference.push_back(igraph_leiden_modularity(graph, resolution, seed));
  }
  EXPECT_GE(median(native), median(reference) - 0.002)
      << "native median " << median(native) << ", igraph median " << median(reference);
  std::printf("Leiden, %zu nodes, resolution %.2f: median modularity native %.5f, igraph %.5f\n", graph.node_count(),
              resolution, median(native), median(reference));
}

TEST(Leiden, MatchesIgraphOnTheDemoNetwork) {
  expect_leiden_matches_igraph(demo_network(), 1.0);
  expect_leiden_matches_igraph(demo_network(), 2.0);
}

TEST(Leiden, MatchesIgraphOnPlantedPartitions) {
  expect_leiden_matches_igraph(clear_planted().graph, 1.0);
  expect_leiden_matches_igraph(noisy_planted().graph, 1.0);
  expect_leiden_matches_igraph(noisy_planted().graph, 0.5);
}

TEST(Leiden, QualityIsTheModularityIgraphComputes) {
  Leiden algorithm(demo_network(), {.resolution = 1.5, .seed = 3});
  ASSERT_TRUE(algorithm.run().is_ok());
  EXPECT_NEAR(algorithm.quality(), test::igraph_modularity_of(demo_network(), algorithm.membership(), 1.5), 1e-12);
  EXPECT_GE(algorithm.iterations_run(), 1);
}

TEST(Leiden, RecoversAClearPlantedPartition) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Membership membership = leiden(clear_planted().graph, {.seed = seed});
    EXPECT_GE(normalized_mutual_information(membership, clear_planted().truth), 0.95) << "seed " << seed;
  }
}

TEST(Leiden, CommunitiesAreConnected) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    EXPECT_TRUE(communities_connected(noisy_planted().graph, leiden(noisy_planted().graph, {.seed = seed})));
    EXPECT_TRUE(communities_connected(demo_network(), leiden(demo_network(), {.resolution = 3.0, .seed = seed})));
  }
}

TEST(Leiden, HigherResolutionGivesMoreCommunities) {
  Leiden coarse(noisy_planted().graph, {.resolution = 0.5, .seed = 1});
  Leiden fine(noisy_planted().graph, {.resolution = 4.0, .seed = 1});
  ASSERT_TRUE(coarse.run().is_ok());
  ASSERT_TRUE(fine.run().is_ok());
  EXPECT_GT(fine.community_count(), coarse.community_count());
}

// CPM has no resolution limit: on a ring of 30 K5 cliques every gamma in (0, 1) makes
// each clique one community (merging two costs gamma * 25 > 1 edge; splitting one
// loses a*b edges for gamma*a*b), so H = 30 (10 - gamma 25 / 2). For gamma > 1 every
// edge costs more than it brings: singletons, H = -gamma n / 2.
TEST(Leiden, CpmFindsTheCliquesOfARing) {
  const Graph ring = ring_of_cliques(30, 5);
  Membership cliques(150);
  for (std::size_t i = 0; i < cliques.size(); ++i) cliques[i] = static_cast<std::int32_t>(i / 5);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    Leiden cpm(ring, {.objective = Objective::kCpm, .resolution = 0.5, .seed = seed});
    ASSERT_TRUE(cpm.run().is_ok());
    EXPECT_EQ(cpm.membership(), cliques) << "seed " << seed;
    EXPECT_DOUBLE_EQ(cpm.quality(), 30 * (10 - 0.5 * 25 / 2));
  }
  Leiden sparse(ring, {.objective = Objective::kCpm, .resolution = 1.5, .seed = 1});
  ASSERT_TRUE(sparse.run().is_ok());
  EXPECT_EQ(sparse.community_count(), 150);
  EXPECT_DOUBLE_EQ(sparse.quality(), -1.5 * 150 / 2);
  // Modularity at resolution 1 merges neighbouring cliques (the resolution limit).
  Leiden modularity_run(ring, {.seed = 1});
  ASSERT_TRUE(modularity_run.run().is_ok());
  EXPECT_LT(modularity_run.community_count(), 30);
  EXPECT_GE(modularity_run.quality(), modularity(ring, cliques) - 1e-12);
}

TEST(Leiden, CpmQualityAgreesWithIgraphCpm) {
  // igraph's CPM quality is (2 sum_c w_in(c) - gamma sum_c n_c^2) / (2m) = H / m.
  const Graph& graph = noisy_planted().graph;
  const double gamma = 0.05;
  std::vector<double> native;
  std::vector<double> reference;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    Leiden cpm(graph, {.objective = Objective::kCpm, .resolution = gamma, .seed = seed});
    ASSERT_TRUE(cpm.run().is_ok());
    native.push_back(cpm.quality() / graph.total_weight());
    clustering::IgraphLeidenParameters parameters;
    parameters.objective = clustering::LeidenObjective::kCpm;
    parameters.resolution = gamma;
    parameters.seed = seed;
    clustering::IgraphLeiden igraph_cpm(graph, parameters);
    ASSERT_TRUE(igraph_cpm.run().is_ok());
    reference.push_back(igraph_cpm.quality());
  }
  EXPECT_GE(median(native), median(reference) - 0.002)
      << "native median " << median(native) << ", igraph median " << median(reference);
}

// ---- Louvain against igraph ------------------------------------------------------------

void expect_louvain_matches_igraph(const Graph& graph, double resolution, Schedule schedule = Schedule::kAuto,
                                   double tolerance = 0.002) {
  std::vector<double> native;
  std::vector<double> reference;
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    native.push_back(test::igraph_modularity_of(
        graph, louvain(graph, {.resolution = resolution, .seed = seed, .schedule = schedule}), resolution));
    reference.push_back(test::igraph_modularity_of(graph, test::igraph_multilevel(graph, resolution, seed), resolution));
  }
  EXPECT_GE(median(native), median(reference) - tolerance)
      << "native median " << median(native) << ", igraph median " << median(reference);
  std::printf("Louvain, %zu nodes, resolution %.2f: median modularity native %.5f, igraph %.5f\n", graph.node_count(),
              resolution, median(native), median(reference));
}

TEST(Louvain, MatchesIgraphMultilevelOnTheDemoNetwork) {
  expect_louvain_matches_igraph(demo_network(), 1.0);
  expect_louvain_matches_igraph(demo_network(), 2.0);
}

TEST(Louvain, MatchesIgraphMultilevelOnPlantedPartitions) {
  expect_louvain_matches_igraph(clear_planted().graph, 1.0);
  expect_louvain_matches_igraph(noisy_planted().graph, 1.0);
}

TEST(Louvain, RecoversAClearPlantedPartition) {
  Louvain algorithm(clear_planted().graph, {.seed = 5});
  ASSERT_TRUE(algorithm.run().is_ok());
  EXPECT_GE(normalized_mutual_information(algorithm.membership(), clear_planted().truth), 0.95);
  EXPECT_NEAR(algorithm.modularity(), modularity(clear_planted().graph, algorithm.membership()), 1e-12);
  EXPECT_GE(algorithm.levels(), 1);
}

// ---- Label propagation ------------------------------------------------------------------

TEST(LabelPropagation, RecoversAClearPlantedPartition) {
  const demo::PlantedPartition planted =
      *demo::planted_partition({.nodes = 1000, .groups = 10, .mean_degree = 20.0, .mixing = 0.1, .seed = 11});
  LabelPropagation algorithm(planted.graph, {.seed = 2});
  ASSERT_TRUE(algorithm.run().is_ok());
  EXPECT_TRUE(algorithm.converged());
  EXPECT_GE(normalized_mutual_information(algorithm.membership(), planted.truth), 0.95);
}

TEST(LabelPropagation, EachLabelIsAmongTheHeaviestOfItsNeighbours) {
  // The stopping rule, checked from outside: no node would change its label.
  const Graph& graph = demo_network();
  LabelPropagation algorithm(graph, {.seed = 4});
  ASSERT_TRUE(algorithm.run().is_ok());
  ASSERT_TRUE(algorithm.converged());
  const Membership& label = algorithm.membership();
  for (std::uint32_t v = 0; v < graph.node_count(); ++v) {
    std::vector<double> weight(static_cast<std::size_t>(algorithm.community_count()), 0.0);
    for (const Neighbour& nb : graph.neighbours(v)) {
      if (nb.node != v) weight[static_cast<std::size_t>(label[nb.node])] += nb.weight;
    }
    if (std::all_of(weight.begin(), weight.end(), [](double w) { return w == 0.0; })) continue;
    EXPECT_EQ(weight[static_cast<std::size_t>(label[v])], *std::max_element(weight.begin(), weight.end()))
        << "node " << v;
  }
}

// ---- Determinism and thread safety ------------------------------------------------------

TEST(Community, SameSeedSameMembershipAnyThreadAndArena) {
  const Graph& graph = noisy_planted().graph;
  const Membership leiden_first = leiden(graph, {.seed = 99});
  const Membership louvain_first = louvain(graph, {.seed = 99});
  LabelPropagation propagation(graph, {.seed = 99});
  ASSERT_TRUE(propagation.run().is_ok());
  // Four concurrent runs of each on the same const graph, inside 1- and 2-thread arenas.
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      std::vector<Membership> results(8);
      std::vector<std::thread> workers;
      for (std::size_t w = 0; w < 4; ++w) {
        workers.emplace_back([&, w] {
          results[2 * w] = leiden(graph, {.seed = 99});
          results[2 * w + 1] = louvain(graph, {.seed = 99});
        });
      }
      for (std::thread& worker : workers) worker.join();
      for (std::size_t w = 0; w < 4; ++w) {
        EXPECT_EQ(results[2 * w], leiden_first);
        EXPECT_EQ(results[2 * w + 1], louvain_first);
      }
      LabelPropagation again(graph, {.seed = 99});
      ASSERT_TRUE(again.run().is_ok());
      EXPECT_EQ(again.membership(), propagation.membership());
    });
  }
  // The seed reaches the algorithm: on a ring of cliques, where modularity pairs
  // neighbouring cliques in one of two equally good ways, seeds disagree.
  const Graph ring = ring_of_cliques(30, 5);
  const Membership ring_first = leiden(ring, {.seed = 100});
  bool seeds_differ = false;
  for (std::uint64_t seed = 101; seed < 111; ++seed) seeds_differ = seeds_differ || leiden(ring, {.seed = seed}) != ring_first;
  EXPECT_TRUE(seeds_differ);
}

// ---- The parallel schedule ---------------------------------------------------------------
// Colour classes moved in parallel (bre/clustering/schedule.hpp): checked against igraph
// like the sequential schedule, plus the guarantees it must keep on its own.

// A planted partition above kParallelFromNodes, so Schedule::kAuto runs it in parallel.
const demo::PlantedPartition& large_planted() {
  static const demo::PlantedPartition planted = *demo::planted_partition(
      {.nodes = 2 * kParallelFromNodes, .groups = 2 * kParallelFromNodes / 100, .mean_degree = 16.0, .mixing = 0.3,
       .seed = 20160101});
  return planted;
}

TEST(ParallelSchedule, LeidenMatchesIgraphOnPlantedPartitions) {
  expect_leiden_matches_igraph(clear_planted().graph, 1.0, Schedule::kParallel);
  expect_leiden_matches_igraph(noisy_planted().graph, 1.0, Schedule::kParallel);
  expect_leiden_matches_igraph(noisy_planted().graph, 0.5, Schedule::kParallel);
  expect_leiden_matches_igraph(demo_network(), 1.0, Schedule::kParallel);
}

// Louvain has no refinement to repair what moves made against a stale state spoil: on the
// noisy graph the parallel schedule lands up to 0.005 below igraph (the sequential one
// 0.001), so the check is looser here.
TEST(ParallelSchedule, LouvainMatchesIgraphMultilevel) {
  expect_louvain_matches_igraph(clear_planted().graph, 1.0, Schedule::kParallel);
  expect_louvain_matches_igraph(noisy_planted().graph, 1.0, Schedule::kParallel, 0.005);
  expect_louvain_matches_igraph(demo_network(), 1.0, Schedule::kParallel);
}

// Hubs: nodes whose neighbourhoods outgrow the small sums table (512 entries,
// kSmallEntries in framework/clustering/src/work_graph.hpp), so that the parallel moves,
// refinement and aggregation sum them in the dense one, created on first need. The
// clear planted graph plus 3 hubs, each tied to every node of 6 groups (600 ties) and to
// the other hubs.
TEST(ParallelSchedule, HubsBeyondTheSmallTableMatchIgraph) {
  const Graph& planted = clear_planted().graph;
  const std::uint32_t n = static_cast<std::uint32_t>(planted.node_count());
  std::vector<WeightedEdge> edges = planted.edge_list();
  for (std::uint32_t hub = 0; hub < 3; ++hub) {
    for (std::uint32_t v = hub * 600; v < (hub + 1) * 600; ++v) edges.push_back({n + hub, v, 1.0});
    for (std::uint32_t other = hub + 1; other < 3; ++other) edges.push_back({n + hub, n + other, 1.0});
  }
  const Graph graph = graph_of(n + 3, std::move(edges));
  ASSERT_GT(graph.neighbours(n).size(), 512U);
  expect_leiden_matches_igraph(graph, 1.0, Schedule::kParallel);
  expect_louvain_matches_igraph(graph, 1.0, Schedule::kParallel);
}

TEST(ParallelSchedule, LeidenKeepsCommunitiesConnectedAndFindsThePlantedOnes) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const Membership noisy = leiden(noisy_planted().graph, {.seed = seed, .schedule = Schedule::kParallel});
    EXPECT_TRUE(communities_connected(noisy_planted().graph, noisy)) << "seed " << seed;
    const Membership clear = leiden(clear_planted().graph, {.seed = seed, .schedule = Schedule::kParallel});
    EXPECT_GE(normalized_mutual_information(clear, clear_planted().truth), 0.95) << "seed " << seed;
  }
  // On a noisier graph above the threshold: as close to the planted groups as the
  // sequential schedule gets.
  const Membership parallel = leiden(large_planted().graph, {.seed = 3});
  const Membership sequential = leiden(large_planted().graph, {.seed = 3, .schedule = Schedule::kSequential});
  EXPECT_TRUE(communities_connected(large_planted().graph, parallel));
  const double nmi_parallel = normalized_mutual_information(parallel, large_planted().truth);
  const double nmi_sequential = normalized_mutual_information(sequential, large_planted().truth);
  std::printf("Leiden, %zu nodes: NMI with the planted groups, parallel %.4f, sequential %.4f\n",
              large_planted().graph.node_count(), nmi_parallel, nmi_sequential);
  EXPECT_GE(nmi_parallel, 0.9);
  EXPECT_GE(nmi_parallel, nmi_sequential - 0.01);
}

TEST(ParallelSchedule, CpmFindsTheCliquesOfARing) {
  // Density threshold 0.5: each K_6 (density 1) is a community, the ring ties are not.
  const Graph ring = ring_of_cliques(20, 6);
  Leiden cpm(ring, {.objective = Objective::kCpm, .resolution = 0.5, .seed = 4, .schedule = Schedule::kParallel});
  ASSERT_TRUE(cpm.run().is_ok());
  EXPECT_EQ(cpm.community_count(), 20);
  for (std::uint32_t v = 0; v < ring.node_count(); ++v) EXPECT_EQ(cpm.membership()[v], cpm.membership()[v / 6 * 6]);
}

// On the large planted graph level 0 refines into ~11,400 groups, which aggregate()
// appends in waves of 16 chunks of 256 groups per thread: 3 waves on one thread, 2 on
// two, so this also checks that the waves do not change the result.
TEST(ParallelSchedule, SameResultForOneAndTwoThreads) {
  // Work is split by chunk of nodes, colour class, community and fixed chunk of groups,
  // never by thread: the same seed gives the same membership in a 1- and a 2-thread
  // arena, on a graph large enough that every step runs as many tasks.
  const Graph& graph = large_planted().graph;
  std::vector<Membership> leiden_runs;
  std::vector<Membership> louvain_runs;
  for (int threads : {1, 2, 2}) {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      leiden_runs.push_back(leiden(graph, {.seed = 17}));
      louvain_runs.push_back(louvain(graph, {.seed = 17}));
    });
  }
  EXPECT_EQ(leiden_runs[0], leiden_runs[1]);
  EXPECT_EQ(leiden_runs[1], leiden_runs[2]);
  EXPECT_EQ(louvain_runs[0], louvain_runs[1]);
  EXPECT_EQ(louvain_runs[1], louvain_runs[2]);
  // The seed still reaches the result (the chunks' block order, the order of the colour
  // classes, refinement streams).
  EXPECT_NE(leiden(graph, {.seed = 18}), leiden_runs[0]);
  EXPECT_NE(louvain(graph, {.seed = 18}), louvain_runs[0]);
}

// Chunked moving (sparse graphs whose node order keeps neighbours close) sees other
// chunks a sweep late. 3,000 pairs whose two nodes lie more than a chunk apart
// (kChunkMaxNodes = 2,048), beside the clear planted graph, which keeps the share of
// entries inside chunks high enough for chunks: two lone nodes that joined each other at
// once would swap places every sweep. Each pair must end as one community, as it is in
// the optimum, and the quality must match igraph's.
TEST(ParallelSchedule, PairsAcrossChunksEndTogether) {
  const Graph& planted = clear_planted().graph;
  const std::uint32_t n = static_cast<std::uint32_t>(planted.node_count());
  constexpr std::uint32_t kPairs = 3000;
  std::vector<WeightedEdge> edges = planted.edge_list();
  for (std::uint32_t i = 0; i < kPairs; ++i) edges.push_back({n + i, n + kPairs + i, 1.0});
  const Graph graph = graph_of(n + 2 * kPairs, std::move(edges));
  const Membership by_leiden = leiden(graph, {.seed = 2, .schedule = Schedule::kParallel});
  const Membership by_louvain = louvain(graph, {.seed = 2, .schedule = Schedule::kParallel});
  for (std::uint32_t i = 0; i < kPairs; ++i) {
    ASSERT_EQ(by_leiden[n + i], by_leiden[n + kPairs + i]) << "pair " << i;
    ASSERT_EQ(by_louvain[n + i], by_louvain[n + kPairs + i]) << "pair " << i;
    ASSERT_NE(by_leiden[n + i], by_leiden[0]) << "pair " << i;
  }
  expect_leiden_matches_igraph(graph, 1.0, Schedule::kParallel);
  expect_louvain_matches_igraph(graph, 1.0, Schedule::kParallel);
}

// The same graph with its node ids shuffled (SplitMix64(99) Fisher-Yates) has no
// locality left, so the schedule moves it by colour classes: the quality must stay that
// of the ordered graph, which is moved by chunks.
TEST(ParallelSchedule, ShuffledNodeIdsKeepTheQuality) {
  const Graph& ordered = large_planted().graph;
  const std::size_t n = ordered.node_count();
  std::vector<std::uint32_t> id(n);
  std::iota(id.begin(), id.end(), 0U);
  SplitMix64 rng(99);
  for (std::size_t i = n; i > 1; --i) std::swap(id[i - 1], id[rng.below(i)]);
  std::vector<WeightedEdge> edges = ordered.edge_list();
  for (WeightedEdge& e : edges) e = {id[e.u], id[e.v], e.weight};
  const Graph shuffled = graph_of(n, std::move(edges));
  const double q_ordered = modularity(ordered, leiden(ordered, {.seed = 4}));
  const double q_shuffled = modularity(shuffled, leiden(shuffled, {.seed = 4}));
  std::printf("Leiden, %zu nodes: modularity with ordered ids %.6f, shuffled %.6f\n", n, q_ordered, q_shuffled);
  EXPECT_NEAR(q_shuffled, q_ordered, 0.002);
  EXPECT_NEAR(modularity(shuffled, louvain(shuffled, {.seed = 4})), modularity(ordered, louvain(ordered, {.seed = 4})),
              0.003);
}

// ---- Coarse iterations --------------------------------------------------------------

// Coarse iterations start where one classic iteration would go on, with the same random
// draws, and every Leiden iteration only makes moves that raise the quality: with
// iterations = 1, more coarse iterations can never give a lower quality for the same
// seed, and communities stay connected (the coarse nodes are refined, connected sets). A
// wrong projection of the coarse result onto the nodes would break both. On a graph as
// large as large_planted() they raise it for most seeds.
void expect_coarse_iterations_raise_the_quality(const Graph& graph, Schedule schedule) {
  std::vector<double> gain;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const double classic = modularity(graph, leiden(graph, {.iterations = 1, .seed = seed, .schedule = schedule}));
    const Membership coarse =
        leiden(graph, {.iterations = 1, .coarse_iterations = 3, .seed = seed, .schedule = schedule});
    const Membership stable =
        leiden(graph, {.iterations = 1, .coarse_iterations = -1, .seed = seed, .schedule = schedule});
    EXPECT_GE(modularity(graph, coarse), classic - 1e-12) << "seed " << seed;
    EXPECT_GE(modularity(graph, stable), classic - 1e-12) << "seed " << seed;
    EXPECT_TRUE(communities_connected(graph, coarse)) << "seed " << seed;
    EXPECT_TRUE(communities_connected(graph, stable)) << "seed " << seed;
    gain.push_back(modularity(graph, coarse) - classic);
  }
  std::printf("Leiden, %zu nodes, %s, 1 iteration: median modularity gain of 3 coarse iterations %.6f\n",
              graph.node_count(), schedule == Schedule::kParallel ? "parallel" : "sequential", median(gain));
  EXPECT_GT(median(gain), 0.0);
}

TEST(CoarseIterations, RaiseTheQualityAndKeepCommunitiesConnected) {
  expect_coarse_iterations_raise_the_quality(large_planted().graph, Schedule::kSequential);
  expect_coarse_iterations_raise_the_quality(large_planted().graph, Schedule::kParallel);
}

// Against igraph's Leiden until stable: one iteration with coarse iterations until
// stable comes as close as whole iterations do.
TEST(CoarseIterations, ReachIgraphsQualityUntilStable) {
  const Graph& graph = large_planted().graph;
  std::vector<double> native;
  std::vector<double> reference;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    native.push_back(modularity(graph, leiden(graph, {.iterations = 1, .coarse_iterations = -1, .seed = seed})));
    reference.push_back(igraph_leiden_modularity(graph, 1.0, seed));
  }
  std::printf("Leiden, %zu nodes: median modularity, 1 iteration + coarse until stable %.6f, igraph %.6f\n",
              graph.node_count(), median(native), median(reference));
  EXPECT_GE(median(native), median(reference) - 0.0005);
}

TEST(CoarseIterations, SameResultForOneAndTwoThreads) {
  const Graph& graph = large_planted().graph;
  std::vector<Membership> runs;
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    arena.execute([&] { runs.push_back(leiden(graph, {.iterations = 2, .coarse_iterations = 3, .seed = 17})); });
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_NE(runs[0], leiden(graph, {.iterations = 2, .seed = 17}));
}

TEST(ParallelSchedule, AutoChoosesByGraphSize) {
  // Below the threshold kAuto is the sequential schedule, from it the parallel one.
  const Graph& small = noisy_planted().graph;
  ASSERT_LT(small.node_count(), kParallelFromNodes);
  EXPECT_EQ(leiden(small, {.seed = 5}), leiden(small, {.seed = 5, .schedule = Schedule::kSequential}));
  const Graph& large = large_planted().graph;
  const Membership parallel = louvain(large, {.seed = 5, .schedule = Schedule::kParallel});
  EXPECT_EQ(louvain(large, {.seed = 5}), parallel);
  EXPECT_NE(louvain(large, {.seed = 5, .schedule = Schedule::kSequential}), parallel);
  EXPECT_TRUE(runs_in_parallel(Schedule::kAuto, kParallelFromNodes));
  EXPECT_FALSE(runs_in_parallel(Schedule::kAuto, kParallelFromNodes - 1));
  EXPECT_FALSE(runs_in_parallel(Schedule::kSequential, 10 * kParallelFromNodes));
}

TEST(ParallelSchedule, ParsesItsNameAndRefusesOthers) {
  EXPECT_EQ(*parse_schedule("auto"), Schedule::kAuto);
  EXPECT_EQ(*parse_schedule("sequential"), Schedule::kSequential);
  EXPECT_EQ(*parse_schedule("parallel"), Schedule::kParallel);
  const Expected<Schedule> bad = parse_schedule("fast");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.status().message(), "schedule: expected \"auto\", \"sequential\" or \"parallel\", found \"fast\"");
}

// The parallel schedule sums the final modularity in parallel (fixed chunks, fixed
// order); it must still be igraph's value, self-loops (counted twice) and an isolated
// node included.
TEST(ParallelSchedule, QualityIsTheModularityIgraphComputes) {
  std::vector<WeightedEdge> edges = noisy_planted().graph.edge_list();
  const auto n = static_cast<std::uint32_t>(noisy_planted().graph.node_count());
  for (std::uint32_t v = 0; v < 10; ++v) edges.push_back({v, v, 2.5});
  const Graph graph = graph_of(n + 1, std::move(edges));
  for (const double resolution : {1.0, 1.5}) {
    Leiden leiden_algorithm(graph, {.resolution = resolution, .seed = 2, .schedule = Schedule::kParallel});
    ASSERT_TRUE(leiden_algorithm.run().is_ok());
    EXPECT_NEAR(leiden_algorithm.quality(), test::igraph_modularity_of(graph, leiden_algorithm.membership(), resolution),
                1e-12);
    Louvain louvain_algorithm(graph, {.resolution = resolution, .seed = 2, .schedule = Schedule::kParallel});
    ASSERT_TRUE(louvain_algorithm.run().is_ok());
    EXPECT_NEAR(louvain_algorithm.modularity(),
                test::igraph_modularity_of(graph, louvain_algorithm.membership(), resolution), 1e-12);
  }
}

TEST(ParallelSchedule, IsolatedNodesAndSelfLoopsStayAlone) {
  const Graph graph = graph_of(8, {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1}, {3, 5, 1}, {7, 7, 2}});
  const Membership expected{0, 0, 0, 1, 1, 1, 2, 3};
  EXPECT_EQ(leiden(graph, {.seed = 1, .schedule = Schedule::kParallel}), expected);
  EXPECT_EQ(louvain(graph, {.seed = 1, .schedule = Schedule::kParallel}), expected);
}

// ---- Bad input and edge cases -----------------------------------------------------------

TEST(Community, RefusesBadInputNamingTheArgument) {
  const Graph empty;
  const Graph& graph = demo_network();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto leiden_error = [](const Graph& g, LeidenParameters p) { return Leiden(g, p).run(); };

  Status status = leiden_error(empty, {});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("graph: has no nodes"), std::string::npos) << status.message();
  for (double bad : {0.0, -1.0, nan, std::numeric_limits<double>::infinity()}) {
    status = leiden_error(graph, {.resolution = bad});
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("resolution: expected a finite number > 0"), std::string::npos) << status.message();
    status = Louvain(graph, {.resolution = bad}).run();
    EXPECT_NE(status.message().find("resolution"), std::string::npos) << status.message();
  }
  status = leiden_error(graph, {.beta = 0.0});
  EXPECT_NE(status.message().find("beta: expected a finite number > 0, found 0"), std::string::npos) << status.message();
  status = leiden_error(graph, {.iterations = -2});
  EXPECT_NE(status.message().find("iterations"), std::string::npos) << status.message();
  for (std::int64_t bad : {0, -2}) {
    status = leiden_error(graph, {.coarse_iterations = bad});
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(), "coarse_iterations: expected -1 (until stable) or a count >= 1, found " +
                                    std::to_string(bad));
  }
  status = Louvain(empty, {}).run();
  EXPECT_NE(status.message().find("graph: has no nodes"), std::string::npos) << status.message();
  status = LabelPropagation(empty, {}).run();
  EXPECT_NE(status.message().find("graph: has no nodes"), std::string::npos) << status.message();
  status = LabelPropagation(graph, {.max_sweeps = 0}).run();
  EXPECT_NE(status.message().find("max_sweeps: expected a count >= 1, found 0"), std::string::npos)
      << status.message();
  // Negative and NaN weights never reach the algorithms: Graph refuses them.
  EXPECT_FALSE(Graph::from_edges(2, {{0, 1, -1.0}}).has_value());
  EXPECT_FALSE(Graph::from_edges(2, {{0, 1, nan}}).has_value());
}

TEST(Community, EdgelessGraphs) {
  const Graph edgeless = graph_of(4, {});
  const Status status = Leiden(edgeless, {}).run();
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("modularity is undefined"), std::string::npos) << status.message();
  EXPECT_EQ(Louvain(edgeless, {}).run().code(), StatusCode::kFailedPrecondition);
  // CPM and label propagation are defined without edges: every node alone.
  Leiden cpm(edgeless, {.objective = Objective::kCpm, .resolution = 1.0});
  ASSERT_TRUE(cpm.run().is_ok());
  EXPECT_EQ(cpm.membership(), (Membership{0, 1, 2, 3}));
  LabelPropagation propagation(edgeless, {});
  ASSERT_TRUE(propagation.run().is_ok());
  EXPECT_EQ(propagation.community_count(), 4);
}

TEST(Community, IsolatedNodesStayAlone) {
  // Two triangles and two isolated nodes (one with a self-loop).
  const Graph graph = graph_of(8, {{0, 1, 1}, {1, 2, 1}, {0, 2, 1}, {3, 4, 1}, {4, 5, 1}, {3, 5, 1}, {7, 7, 2}});
  const Membership expected{0, 0, 0, 1, 1, 1, 2, 3};
  EXPECT_EQ(leiden(graph, {.seed = 1}), expected);
  EXPECT_EQ(louvain(graph, {.seed = 1}), expected);
  LabelPropagation propagation(graph, {.seed = 1});
  ASSERT_TRUE(propagation.run().is_ok());
  EXPECT_EQ(propagation.membership(), expected);
}

TEST(Community, AccessorsRefuseBeforeRun) {
  const Graph& graph = demo_network();
  Leiden leiden_algorithm(graph, {});
  EXPECT_THROW((void)leiden_algorithm.membership(), std::logic_error);
  Louvain louvain_algorithm(graph, {});
  EXPECT_THROW((void)louvain_algorithm.modularity(), std::logic_error);
  LabelPropagation propagation(graph, {});
  EXPECT_THROW((void)propagation.sweeps(), std::logic_error);
  Ensemble ensemble(graph, {});
  EXPECT_THROW((void)ensemble.consensus(), std::logic_error);
}

// ---- Ensembles --------------------------------------------------------------------------

TEST(Ensemble, ClearSignalGivesFullConfidence) {
  const demo::PlantedPartition planted =
      *demo::planted_partition({.nodes = 400, .groups = 8, .mean_degree = 20.0, .mixing = 0.1, .seed = 3});
  Ensemble ensemble(planted.graph, {.algorithms = {leiden_detection(), louvain_detection()}, .members = 60, .seed = 1});
  ASSERT_TRUE(ensemble.run().is_ok());
  EXPECT_GE(normalized_mutual_information(ensemble.consensus(), planted.truth), 0.99);
  for (double c : ensemble.confidence()) EXPECT_GE(c, 0.99);
  EXPECT_NEAR(ensemble.consensus_modularity(), modularity(planted.graph, ensemble.consensus()), 1e-12);
}

TEST(Ensemble, ANodeBetweenTwoCommunitiesHasLowConfidence) {
  // Two 12-cliques and node 24 tied equally (weight 1) to every node of both.
  std::vector<WeightedEdge> edges;
  for (std::uint32_t base : {0U, 12U}) {
    for (std::uint32_t i = 0; i < 12; ++i) {
      for (std::uint32_t j = i + 1; j < 12; ++j) edges.push_back({base + i, base + j, 1.0});
    }
  }
  for (std::uint32_t i = 0; i < 24; ++i) edges.push_back({i, 24, 1.0});
  const Graph graph = graph_of(25, std::move(edges));
  Ensemble ensemble(graph, {.algorithms = {leiden_detection(), louvain_detection()}, .members = 200, .seed = 8});
  ASSERT_TRUE(ensemble.run().is_ok());
  EXPECT_EQ(region_count(ensemble.consensus()), 2);
  const std::vector<double>& confidence = ensemble.confidence();
  EXPECT_GT(confidence[24], 0.2);
  EXPECT_LT(confidence[24], 0.8);
  for (std::uint32_t i = 0; i < 24; ++i) EXPECT_EQ(confidence[i], 1.0) << "node " << i;
  EXPECT_NEAR(ensemble.co_assignment(24, 0) + ensemble.co_assignment(24, 12), 1.0, 1e-12);
}

TEST(Ensemble, CoAssignmentIsAShareSymmetricWithUnitDiagonal) {
  const Graph& graph = demo_network();
  Ensemble ensemble(graph, {.algorithms = {leiden_detection(), louvain_detection(), label_propagation_detection()},
                            .resolutions = {0.8, 1.0, 1.5},
                            .members = 45,
                            .seed = 5});
  ASSERT_TRUE(ensemble.run().is_ok());
  const std::size_t n = graph.node_count();
  for (std::uint32_t i = 0; i < n; i += 7) {
    EXPECT_EQ(ensemble.co_assignment(i, i), 1.0);
    for (std::uint32_t j = 0; j < n; j += 5) {
      const double p = ensemble.co_assignment(i, j);
      EXPECT_EQ(p, ensemble.co_assignment(j, i));
      EXPECT_GE(p, 0.0);
      EXPECT_LE(p, 1.0);
      // A share of 45 members.
      EXPECT_NEAR(p * 45, std::round(p * 45), 1e-9);
    }
  }
  // The stored pairs are exactly the graph's edges without self-loops, with P.
  std::size_t expected_pairs = 0;
  for (const WeightedEdge& e : graph.edges()) expected_pairs += e.u != e.v ? 1 : 0;
  ASSERT_EQ(ensemble.co_assignment_edges().pairs.size(), expected_pairs);
  for (const WeightedEdge& pair : ensemble.co_assignment_edges().pairs) {
    EXPECT_EQ(pair.weight, ensemble.co_assignment(pair.u, pair.v));
  }
  // Member 4 is Louvain (4 % 3 = 1) at resolution 1.0 ((4 / 3) % 3 = 1).
  EXPECT_EQ(ensemble.member(4), louvain(graph, {.resolution = 1.0, .seed = derive_seed(5, std::uint64_t{4})}));
}

TEST(Ensemble, IdenticalForOneAndTwoThreads) {
  const Graph& graph = noisy_planted().graph;
  const EnsembleParameters parameters{.algorithms = {leiden_detection(), label_propagation_detection()},
                                      .resolutions = {1.0, 1.2},
                                      .members = 16,
                                      .seed = 77};
  std::vector<Membership> consensus;
  std::vector<std::vector<double>> confidence;
  std::vector<std::vector<WeightedEdge>> pairs;
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      Ensemble ensemble(graph, parameters);
      ASSERT_TRUE(ensemble.run().is_ok());
      consensus.push_back(ensemble.consensus());
      confidence.push_back(ensemble.confidence());
      pairs.push_back(ensemble.co_assignment_edges().pairs);
    });
  }
  ASSERT_EQ(consensus.size(), 2U);
  EXPECT_EQ(consensus[0], consensus[1]);
  EXPECT_EQ(confidence[0], confidence[1]);
  ASSERT_EQ(pairs[0].size(), pairs[1].size());
  for (std::size_t e = 0; e < pairs[0].size(); ++e) {
    ASSERT_EQ(pairs[0][e].weight, pairs[1][e].weight) << "pair " << e;
  }
}

TEST(Ensemble, StopsWhenCancelled) {
  std::atomic<int> polls{0};
  Ensemble ensemble(demo_network(), {.members = 50, .cancelled = [&] { return ++polls > 3; }});
  const Status status = ensemble.run();
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_FALSE(ensemble.has_run());
}

TEST(Ensemble, RefusesBadParameters) {
  const Graph& graph = demo_network();
  auto message = [&](EnsembleParameters p) { return Ensemble(graph, std::move(p)).run().message(); };
  EXPECT_NE(message({.members = 0}).find("members: expected a count >= 1, found 0"), std::string::npos);
  EXPECT_NE(message({.algorithms = {}}).find("algorithms"), std::string::npos);
  EXPECT_NE(message({.resolutions = {1.0, -2.0}}).find("resolutions[1]: expected a finite number > 0"),
            std::string::npos);
  EXPECT_NE(message({.consensus_threshold = 1.0}).find("consensus_threshold"), std::string::npos);
  EXPECT_NE(Ensemble(graph_of(3, {}), {}).run().message().find("modularity is undefined"), std::string::npos);
  EXPECT_FALSE(parse_algorithm("infomap").has_value());
  EXPECT_EQ((*parse_algorithm("label_propagation"))->name(), "label_propagation");
}

}  // namespace
}  // namespace bre::clustering
