#include "bre/clustering/louvain.hpp"

#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bre/random.hpp"
#include "common.hpp"
#include "parallel_moving.hpp"
#include "work_graph.hpp"

namespace bre::clustering {
namespace {

// A safety net against floating-point cycles; every sweep that moves a node raises
// the quality, so real graphs stop long before.
constexpr int kMaxSweepsPerLevel = 10000;

// The sequential schedule of one level: sweeps in one random order, moving each node
// to its best community, until a sweep moves nothing. `community` starts as
// singletons; returns true when any node moved. `scratch` is sized for level 0.
bool sweep_until_stable(const detail::WorkGraph& graph, double gamma, SplitMix64& rng,
                        detail::NeighbourWeights& scratch, std::vector<std::uint32_t>& community) {
  const std::size_t n = graph.node_count();
  detail::CommunityState state;
  state.reset(graph, community);
  std::vector<std::uint32_t> order;
  detail::random_order(n, rng, order);
  bool moved = false;
  for (int sweep = 0; sweep < kMaxSweepsPerLevel; ++sweep) {
    bool sweep_moved = false;
    for (const std::uint32_t v : order) sweep_moved = state.move_to_best(graph, v, gamma, scratch) || sweep_moved;
    if (!sweep_moved) break;
    moved = true;
  }
  community = std::move(state.community);
  return moved;
}

}  // namespace

Louvain::Louvain(const Graph& graph, LouvainParameters parameters)
    : AlgorithmBase("Louvain"), graph_(&graph), parameters_(std::move(parameters)) {}

const Membership& Louvain::membership() const {
  require_run("membership");
  return membership_;
}
std::int32_t Louvain::community_count() const {
  require_run("community_count");
  return community_count_;
}
double Louvain::modularity() const {
  require_run("modularity");
  return modularity_;
}
std::int32_t Louvain::levels() const {
  require_run("levels");
  return levels_;
}

Status Louvain::run() {
  set_has_run(false);
  const Graph& graph = *graph_;
  const LouvainParameters& p = parameters_;
  BRE_RETURN_IF_ERROR(detail::validate_graph(graph, /*needs_weight=*/true));
  BRE_RETURN_IF_ERROR(detail::validate_positive("resolution", p.resolution));

  const std::size_t n0 = graph.node_count();
  const double gamma = p.resolution / (2.0 * graph.total_weight());
  const bool parallel = runs_in_parallel(p.schedule, n0);
  SplitMix64 rng(p.seed);
  std::vector<std::uint32_t> node_of(n0);
  std::iota(node_of.begin(), node_of.end(), 0U);

  const detail::WorkGraph level_zero = detail::level_zero(graph, /*use_strength=*/true);
  detail::AggregationBuffers aggregates;
  const detail::WorkGraph* current = &level_zero;
  // Each schedule's buffers, for every level.
  std::optional<detail::NeighbourWeights> scratch;
  std::optional<detail::ParallelWorkspace> workspace;
  if (parallel) {
    workspace.emplace(n0);
  } else {
    scratch.emplace(n0);
  }
  std::int32_t levels = 0;
  while (true) {
    const std::size_t n = current->node_count();
    std::vector<std::uint32_t> community(n);
    std::iota(community.begin(), community.end(), 0U);
    bool level_moved = false;
    if (parallel) {
      const detail::MovingSplit split(*current, rng);
      level_moved =
          detail::move_in_parallel(*current, split, gamma, rng, detail::Pruning::kSlack, *workspace, community);
    } else {
      level_moved = sweep_until_stable(*current, gamma, rng, *scratch, community);
    }
    if (!level_moved) break;
    ++levels;
    const std::uint32_t k = detail::compact_labels(community, n);
    for (std::uint32_t& node : node_of) node = community[node];
    if (k == n) break;
    detail::WorkGraph& next = aggregates.other_than(current);
    detail::aggregate(*current, community, k, aggregates, next);
    current = &next;
  }

  membership_.assign(node_of.begin(), node_of.end());
  membership_ = canonical_labels(membership_);
  community_count_ = region_count(membership_);
  modularity_ = parallel ? detail::modularity_in_parallel(graph, node_of,
                                                          static_cast<std::uint32_t>(community_count_), p.resolution)
                         : bre::modularity(graph, membership_, p.resolution);
  levels_ = levels;
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
