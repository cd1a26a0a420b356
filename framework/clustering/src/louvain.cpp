#include "bre/clustering/louvain.hpp"

#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "bre/random.hpp"
#include "common.hpp"
#include "work_graph.hpp"

namespace bre::clustering {
namespace {

// A safety net against floating-point cycles; every sweep that moves a node raises
// the quality, so real graphs stop long before.
constexpr int kMaxSweepsPerLevel = 10000;

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
  SplitMix64 rng(p.seed);
  detail::NeighbourWeights scratch(n0);
  detail::CommunityState state;
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> node_of(n0);
  std::iota(node_of.begin(), node_of.end(), 0U);

  detail::WorkGraph current = detail::level_zero(graph, /*use_strength=*/true);
  std::int32_t levels = 0;
  while (true) {
    const std::size_t n = current.node_count();
    std::vector<std::uint32_t> singletons(n);
    std::iota(singletons.begin(), singletons.end(), 0U);
    state.reset(current, singletons);
    detail::random_order(n, rng, order);
    bool level_moved = false;
    for (int sweep = 0; sweep < kMaxSweepsPerLevel; ++sweep) {
      bool sweep_moved = false;
      for (const std::uint32_t v : order) sweep_moved = state.move_to_best(current, v, gamma, scratch) || sweep_moved;
      if (!sweep_moved) break;
      level_moved = true;
    }
    if (!level_moved) break;
    ++levels;
    std::vector<std::uint32_t> community = std::move(state.community);
    const std::uint32_t k = detail::compact_labels(community, n);
    for (std::uint32_t& node : node_of) node = community[node];
    if (k == n) break;
    current = detail::aggregate(current, community, k, scratch);
  }

  membership_.assign(node_of.begin(), node_of.end());
  membership_ = canonical_labels(membership_);
  community_count_ = region_count(membership_);
  modularity_ = bre::modularity(graph, membership_, p.resolution);
  levels_ = levels;
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
