// The resolution profile and its plateaus (bre/clustering/multiscale.hpp), against
// planted hierarchies whose levels are known, Erdős–Rényi graphs that have none, a
// brute-force check of the CHAMP envelope, and bre::modularity as the reference of
// the modularity lines.
#include <tbb/task_arena.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/clustering/multiscale.hpp"
#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/planted_partition.hpp"
#include "bre/random.hpp"

namespace {

using bre::Graph;
using bre::Membership;
using bre::clustering::Plateau;
using bre::clustering::ResolutionProfile;
using bre::clustering::ResolutionProfileParameters;
using bre::clustering::ScaleRequest;
using bre::clustering::select_scale;

// G(n, p) with p = mean_degree / (n - 1): every pair drawn once from SplitMix64(seed).
Graph erdos_renyi(std::size_t n, double mean_degree, std::uint64_t seed) {
  bre::SplitMix64 rng(seed);
  std::vector<bre::WeightedEdge> edges;
  const double p = mean_degree / static_cast<double>(n - 1);
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = i + 1; j < n; ++j) {
      if (rng.uniform() < p) edges.push_back({i, j, 1.0});
    }
  }
  return *Graph::from_edges(n, std::move(edges));
}

const bre::demo::HierarchicalPlantedPartition& hierarchy() {
  static const bre::demo::HierarchicalPlantedPartition planted = *bre::demo::hierarchical_planted_partition({});
  return planted;
}

// A wide grid, so that neither planted level touches an end of the range.
ResolutionProfileParameters wide_grid() {
  ResolutionProfileParameters p;
  p.resolution_min = 0.01;
  p.resolution_max = 100.0;
  p.resolution_count = 81;
  p.seed = 11;
  return p;
}

const ResolutionProfile& hierarchy_profile() {
  static const ResolutionProfile profile = [] {
    ResolutionProfile p(hierarchy().graph, wide_grid());
    const bre::Status status = p.run();
    if (!status) throw std::runtime_error(status.message());
    return p;
  }();
  return profile;
}

double nmi(const Membership& a, const Membership& b) { return bre::normalized_mutual_information(a, b); }

TEST(ModularityLine, EqualsModularityAtEveryResolution) {
  const auto& h = hierarchy();
  bre::SplitMix64 rng(3);
  Membership random(h.graph.node_count());
  for (auto& label : random) label = static_cast<std::int32_t>(rng.below(7));
  random[5] = bre::kUnassigned;  // unassigned nodes count nothing in either
  for (const Membership* m : {&h.macro, &h.sub, static_cast<const Membership*>(&random)}) {
    const bre::clustering::ModularityLine line = bre::clustering::modularity_line(h.graph, *m);
    for (double gamma : {0.0, 0.3, 1.0, 2.5, 17.0}) {
      EXPECT_NEAR(line.at(gamma), bre::modularity(h.graph, *m, gamma), 1e-12) << "gamma " << gamma;
    }
  }
}

TEST(ResolutionProfile, DomainsAreTheUpperEnvelopeOfThePartitionsFound) {
  const ResolutionProfile& profile = hierarchy_profile();
  const auto& domains = profile.domains();
  ASSERT_FALSE(domains.empty());
  EXPECT_DOUBLE_EQ(domains.front().resolution_from, 0.01);
  EXPECT_DOUBLE_EQ(domains.back().resolution_to, 100.0);
  std::vector<bre::clustering::ModularityLine> lines;
  for (const Membership& m : profile.partitions()) {
    lines.push_back(bre::clustering::modularity_line(hierarchy().graph, m));
  }
  for (std::size_t d = 0; d < domains.size(); ++d) {
    if (d > 0) {
      EXPECT_DOUBLE_EQ(domains[d].resolution_from, domains[d - 1].resolution_to) << "gap before domain " << d;
    }
    ASSERT_LT(domains[d].resolution_from, domains[d].resolution_to);
    // Brute force: inside the domain no partition found beats the domain's.
    for (double t : {0.1, 0.5, 0.9}) {
      const double gamma = domains[d].resolution_from * std::pow(domains[d].resolution_to / domains[d].resolution_from, t);
      const double own = lines[domains[d].partition].at(gamma);
      for (std::size_t p = 0; p < lines.size(); ++p) {
        EXPECT_LE(lines[p].at(gamma), own + 1e-12) << "partition " << p << " beats domain " << d << " at " << gamma;
      }
    }
  }
}

TEST(ResolutionProfile, PlantedHierarchyGivesBothLevelsAsStablePlateaus) {
  const ResolutionProfile& profile = hierarchy_profile();
  const auto& h = hierarchy();
  const Plateau* macro = nullptr;
  const Plateau* sub = nullptr;
  for (const Plateau& plateau : profile.plateaus()) {
    if (!plateau.stable()) continue;
    const Membership& m = profile.partitions()[plateau.partition];
    if (nmi(m, h.macro) >= 0.95) macro = &plateau;
    if (nmi(m, h.sub) >= 0.95) sub = &plateau;
  }
  ASSERT_NE(macro, nullptr) << "the 8 macro groups are no stable plateau";
  ASSERT_NE(sub, nullptr) << "the 32 sub groups are no stable plateau";
  EXPECT_EQ(macro->regions, 8);
  EXPECT_EQ(sub->regions, 32);
  EXPECT_LT(macro->resolution_to, sub->resolution_from);
  EXPECT_GE(macro->seed_ari, 0.9);
  EXPECT_GE(sub->seed_ari, 0.9);

  // auto = the widest stable plateau, by the documented rule; here the macro level.
  const Plateau* widest = nullptr;
  for (const Plateau& plateau : profile.plateaus()) {
    if (plateau.stable() && (widest == nullptr || plateau.decades > widest->decades)) widest = &plateau;
  }
  auto automatic = select_scale(profile, {});
  ASSERT_TRUE(automatic.has_value()) << automatic.status().message();
  EXPECT_TRUE(automatic->warnings.empty());
  EXPECT_EQ(&profile.plateaus()[static_cast<std::size_t>(automatic->plateau)], widest);
  EXPECT_EQ(widest->width_rank, 1);
  EXPECT_GE(nmi(profile.partitions()[automatic->partition], h.macro), 0.95);
  EXPECT_FALSE(automatic->resolutions.empty());
  for (double gamma : automatic->resolutions) {
    EXPECT_GE(gamma, widest->resolution_from);
    EXPECT_LE(gamma, widest->resolution_to);
  }

  auto finest = select_scale(profile, {.kind = ScaleRequest::Kind::kFinestStable});
  ASSERT_TRUE(finest.has_value());
  EXPECT_GE(nmi(profile.partitions()[finest->partition], h.sub), 0.95);
  // The sub groups nest in the widest coarser plateau: the macro groups.
  ASSERT_GE(finest->coarser_plateau, 0);
  EXPECT_GE(nmi(profile.partitions()[profile.plateaus()[static_cast<std::size_t>(finest->coarser_plateau)].partition],
                h.macro),
            0.95);
  auto coarsest = select_scale(profile, {.kind = ScaleRequest::Kind::kCoarsestStable});
  ASSERT_TRUE(coarsest.has_value());
  EXPECT_GE(nmi(profile.partitions()[coarsest->partition], h.macro), 0.95);
  EXPECT_EQ(coarsest->coarser_plateau, -1);

  auto thirty = select_scale(
      profile, {.kind = ScaleRequest::Kind::kRegions, .target_regions = 30, .language = bre::Language::kEnglish});
  ASSERT_TRUE(thirty.has_value());
  EXPECT_EQ(profile.plateaus()[static_cast<std::size_t>(thirty->plateau)].regions, 32);
  ASSERT_EQ(thirty->warnings.size(), 1u);
  EXPECT_NE(thirty->warnings[0].find("no stable plateau has that many regions"), std::string::npos);
  auto dertig = select_scale(profile, {.kind = ScaleRequest::Kind::kRegions, .target_regions = 30});
  ASSERT_TRUE(dertig.has_value());
  ASSERT_EQ(dertig->warnings.size(), 1u);
  EXPECT_NE(dertig->warnings[0].find("target_regions 30: geen stabiel plateau heeft zoveel regio's; het "
                                     "dichtstbijzijnde is 32 regio's bij resolutie "),
            std::string::npos)
      << dertig->warnings[0];
}

TEST(ResolutionProfile, ProfilePointsDescribeTheSweep) {
  const ResolutionProfile& profile = hierarchy_profile();
  const auto& points = profile.points();
  ASSERT_EQ(points.size(), 81u);
  EXPECT_DOUBLE_EQ(points.front().resolution, 0.01);
  EXPECT_DOUBLE_EQ(points.back().resolution, 100.0);
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (k > 0) {
      EXPECT_NEAR(std::log(points[k].resolution / points[k - 1].resolution), std::log(10.0) / 20, 1e-9);
    }
    EXPECT_LE(points[k].regions_min, points[k].regions);
    EXPECT_LE(points[k].regions, points[k].regions_max);
    EXPECT_GE(points[k].seed_ari, -1.0);
    EXPECT_LE(points[k].seed_ari, 1.0 + 1e-12);
    // The best member is the best among the members at its point.
    EXPECT_NEAR(points[k].modularity,
                bre::modularity(hierarchy().graph, profile.partitions()[points[k].best_partition], points[k].resolution),
                1e-12);
    if (k + 1 < points.size()) {
      EXPECT_GE(points[k].vi_next, 0.0);
      EXPECT_LE(points[k].vi_next, 2.0);
    } else {
      EXPECT_TRUE(std::isnan(points[k].vi_next));
    }
  }
  // Region counts grow with resolution overall: the coarse end has few, the fine end many.
  EXPECT_LT(points.front().regions, points.back().regions);
}

TEST(ResolutionProfile, ErdosRenyiGraphHasNoStablePlateauAndFallsBackWithAWarning) {
  const Graph graph = erdos_renyi(300, 10.0, 7);
  ResolutionProfile profile(graph, wide_grid());
  ASSERT_TRUE(profile.run().is_ok());
  EXPECT_EQ(profile.stable_plateau_count(), 0u);
  auto selected = select_scale(profile, {});
  ASSERT_TRUE(selected.has_value());
  EXPECT_EQ(selected->plateau, -1);
  ASSERT_EQ(selected->warnings.size(), 1u);
  EXPECT_NE(selected->warnings[0].find("het resolutieprofiel toont geen stabiel plateau in [0,01; 100]"),
            std::string::npos)
      << selected->warnings[0];
  // The fallback: the grid point nearest resolution 1.
  ASSERT_EQ(selected->resolutions.size(), 1u);
  EXPECT_NEAR(selected->resolutions[0], 1.0, 1e-9);
}

TEST(ResolutionProfile, OneRegionAtEveryResolutionIsTrivialNotAPlateau) {
  // A complete graph: at low resolution the whole graph is the only sensible region.
  std::vector<bre::WeightedEdge> edges;
  for (std::uint32_t i = 0; i < 20; ++i) {
    for (std::uint32_t j = i + 1; j < 20; ++j) edges.push_back({i, j, 1.0});
  }
  const Graph graph = *Graph::from_edges(20, std::move(edges));
  ResolutionProfileParameters p;
  p.resolution_min = 0.01;
  p.resolution_max = 0.5;
  p.resolution_count = 10;
  ResolutionProfile profile(graph, p);
  ASSERT_TRUE(profile.run().is_ok());
  for (const auto& point : profile.points()) EXPECT_EQ(point.regions, 1);
  ASSERT_EQ(profile.plateaus().size(), 1u);
  EXPECT_EQ(profile.plateaus()[0].status, bre::clustering::PlateauStatus::kTrivial);
  auto selected = select_scale(profile, {});
  ASSERT_TRUE(selected.has_value());
  EXPECT_EQ(selected->plateau, -1);
  EXPECT_FALSE(selected->warnings.empty());
}

TEST(ResolutionProfile, DisconnectedGraphKeepsItsComponentsApart) {
  // Two copies of the planted hierarchy side by side, with no edge between them.
  const auto& h = hierarchy();
  const std::size_t n = h.graph.node_count();
  std::vector<bre::WeightedEdge> edges;
  for (const auto& e : h.graph.edges()) {
    edges.push_back(e);
    edges.push_back({static_cast<std::uint32_t>(e.u + n), static_cast<std::uint32_t>(e.v + n), e.weight});
  }
  const Graph graph = *Graph::from_edges(2 * n, std::move(edges));
  ResolutionProfile profile(graph, wide_grid());
  ASSERT_TRUE(profile.run().is_ok());
  ASSERT_GT(profile.stable_plateau_count(), 0u);
  for (const Plateau& plateau : profile.plateaus()) {
    const Membership& m = profile.partitions()[plateau.partition];
    for (std::size_t v = 0; v < n; ++v) ASSERT_NE(m[v], m[v + n]) << "a region spans both components";
  }
  auto finest = select_scale(profile, {.kind = ScaleRequest::Kind::kFinestStable});
  ASSERT_TRUE(finest.has_value());
  EXPECT_EQ(profile.plateaus()[static_cast<std::size_t>(finest->plateau)].regions, 64);
}

TEST(ResolutionProfile, SameResultsForOneAndTwoThreads) {
  const auto& h = hierarchy();
  std::vector<std::vector<Membership>> partitions;
  std::vector<std::vector<double>> numbers;
  for (int threads : {1, 2}) {
    tbb::task_arena arena(threads);
    arena.execute([&] {
      ResolutionProfile profile(h.graph, wide_grid());
      ASSERT_TRUE(profile.run().is_ok());
      partitions.push_back(profile.partitions());
      std::vector<double> values;
      for (const auto& point : profile.points()) {
        values.insert(values.end(), {point.resolution, point.modularity, point.seed_ari, point.seed_nmi,
                                     static_cast<double>(point.best_partition), static_cast<double>(point.plateau)});
      }
      for (const auto& plateau : profile.plateaus()) {
        values.insert(values.end(), {plateau.resolution_from, plateau.resolution_to, plateau.seed_ari,
                                     static_cast<double>(plateau.partition), static_cast<double>(plateau.width_rank)});
      }
      numbers.push_back(values);
    });
  }
  ASSERT_EQ(partitions.size(), 2u);
  EXPECT_EQ(partitions[0], partitions[1]);
  ASSERT_EQ(numbers[0].size(), numbers[1].size());
  for (std::size_t i = 0; i < numbers[0].size(); ++i) {
    if (std::isnan(numbers[0][i])) {
      EXPECT_TRUE(std::isnan(numbers[1][i]));
    } else {
      EXPECT_EQ(numbers[0][i], numbers[1][i]) << "value " << i;  // bit for bit
    }
  }
}

TEST(ResolutionProfile, RankAndRequestsOutsideTheProfile) {
  const ResolutionProfile& profile = hierarchy_profile();
  const std::size_t stable = profile.stable_plateau_count();
  auto second = select_scale(profile, {.kind = ScaleRequest::Kind::kRank, .rank = 2});
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(profile.plateaus()[static_cast<std::size_t>(second->plateau)].width_rank, 2);
  auto beyond = select_scale(profile, {.kind = ScaleRequest::Kind::kRank,
                                      .rank = static_cast<int>(stable) + 1,
                                      .language = bre::Language::kEnglish});
  ASSERT_TRUE(beyond.has_value());
  EXPECT_EQ(beyond->plateau, -1);
  ASSERT_FALSE(beyond->warnings.empty());
  EXPECT_NE(beyond->warnings[0].find("only " + std::to_string(stable) + " stable plateaus"), std::string::npos);
  auto bad_target = select_scale(profile, {.kind = ScaleRequest::Kind::kRegions, .target_regions = 1});
  ASSERT_FALSE(bad_target.has_value());
  EXPECT_NE(bad_target.status().message().find("target_regions"), std::string::npos);
  auto bad_rank = select_scale(profile, {.kind = ScaleRequest::Kind::kRank, .rank = 0});
  ASSERT_FALSE(bad_rank.has_value());
  EXPECT_NE(bad_rank.status().message().find("plateau_rank"), std::string::npos);
  EXPECT_FALSE(bre::clustering::parse_scale_kind("widest").has_value());
}

TEST(ResolutionProfile, BadParametersNameTheArgument) {
  const Graph& graph = hierarchy().graph;
  struct Case {
    const char* argument;
    ResolutionProfileParameters p;
  };
  std::vector<Case> cases;
  auto with = [](auto change) {
    ResolutionProfileParameters p;
    change(p);
    return p;
  };
  const double nan = std::nan("");
  cases.push_back({"resolution_min", with([](auto& p) { p.resolution_min = 0.0; })});
  cases.push_back({"resolution_min", with([&](auto& p) { p.resolution_min = nan; })});
  cases.push_back({"resolution_max", with([](auto& p) { p.resolution_max = INFINITY; })});
  cases.push_back({"resolution_max", with([](auto& p) { p.resolution_max = p.resolution_min; })});  // empty
  cases.push_back({"resolution_max", with([](auto& p) { p.resolution_max = 0.05; })});              // reversed
  cases.push_back({"resolution_count", with([](auto& p) { p.resolution_count = 0; })});
  cases.push_back({"resolution_count", with([](auto& p) { p.resolution_count = 10001; })});
  cases.push_back({"seeds", with([](auto& p) { p.seeds = 0; })});
  cases.push_back({"algorithms", with([](auto& p) { p.algorithms.clear(); })});
  cases.push_back({"algorithms",
                   with([](auto& p) { p.algorithms = {bre::clustering::label_propagation_detection()}; })});
  cases.push_back({"members", with([](auto& p) {
                     p.resolution_count = 10000;
                     p.seeds = 11;
                   })});
  cases.push_back({"min_seed_agreement", with([](auto& p) { p.min_seed_agreement = 1.5; })});
  cases.push_back({"same_partition_ari", with([](auto& p) { p.same_partition_ari = 0.0; })});
  cases.push_back({"min_plateau_decades", with([](auto& p) { p.min_plateau_decades = -1.0; })});
  for (const Case& c : cases) {
    ResolutionProfile profile(graph, c.p);
    const bre::Status status = profile.run();
    ASSERT_FALSE(status.is_ok()) << c.argument;
    EXPECT_EQ(status.code(), bre::StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find(c.argument), std::string::npos) << status.message();
    EXPECT_FALSE(profile.has_run());
  }
  const Graph empty;
  ResolutionProfile on_empty(empty, {});
  EXPECT_FALSE(on_empty.run().is_ok());
  const Graph no_weight = *Graph::from_edges(3, {});
  ResolutionProfile unweighted(no_weight, {});
  EXPECT_FALSE(unweighted.run().is_ok());
  EXPECT_THROW((void)on_empty.points(), std::logic_error);
}

TEST(ResolutionProfile, CancelledBeforeTheFirstMember) {
  ResolutionProfileParameters p;
  p.cancelled = [] { return true; };
  ResolutionProfile profile(hierarchy().graph, p);
  const bre::Status status = profile.run();
  EXPECT_EQ(status.code(), bre::StatusCode::kCancelled);
}

}  // namespace
