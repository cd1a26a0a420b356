#include "bre/planted_partition.hpp"

#include <cmath>
#include <utility>
#include <vector>

#include "bre/random.hpp"

namespace bre::demo {
namespace {

// round(mean_degree / 2) partners drawn per node, so that the mean degree is mean_degree.
std::size_t partners_per_node(double mean_degree) { return static_cast<std::size_t>(std::lround(mean_degree / 2.0)); }

WeightedEdge unit_edge(std::size_t u, std::size_t v) {
  return {static_cast<std::uint32_t>(u), static_cast<std::uint32_t>(v), 1.0};
}

}  // namespace

Expected<PlantedPartition> planted_partition(const PlantedPartitionParameters& p) {
  if (p.groups < 2 || p.nodes < 2 * p.groups) {
    return invalid_argument("planted_partition: needs >= 2 groups of >= 2 nodes");
  }
  const std::size_t n = p.nodes;
  auto group_start = [&](std::size_t g) { return g * n / p.groups; };
  Membership truth(n);
  for (std::size_t g = 0; g < p.groups; ++g) {
    for (std::size_t i = group_start(g); i < group_start(g + 1); ++i) truth[i] = static_cast<std::int32_t>(g);
  }
  const std::size_t half = partners_per_node(p.mean_degree);
  SplitMix64 rng(p.seed);
  std::vector<WeightedEdge> edges;
  edges.reserve(n * half);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t g = static_cast<std::size_t>(truth[i]);
    const std::size_t begin = group_start(g);
    const std::size_t size = group_start(g + 1) - begin;
    for (std::size_t d = 0; d < half; ++d) {
      std::size_t partner = 0;
      if (rng.uniform() < p.mixing) {
        partner = rng.below(n - size);
        if (partner >= begin) partner += size;
      } else {
        partner = begin + rng.below(size - 1);
        if (partner >= i) ++partner;
      }
      edges.push_back(unit_edge(i, partner));
    }
  }
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  if (!graph) return graph.status().with_context("planted_partition");
  return PlantedPartition{std::move(graph).value(), std::move(truth)};
}

Expected<PlantedPartition> planted_pairs_partition(const PlantedPairsParameters& p) {
  if (p.groups < 1 || p.group_size < 1) {
    return invalid_argument("planted_pairs_partition: needs >= 1 group of >= 1 node");
  }
  const std::size_t n = p.groups * p.group_size;
  SplitMix64 rng(p.seed);
  std::vector<WeightedEdge> edges;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const double chance = (i / p.group_size == j / p.group_size) ? p.p_in : p.p_out;
      if (rng.uniform() < chance) edges.push_back(unit_edge(i, j));
    }
  }
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  if (!graph) return graph.status().with_context("planted_pairs_partition");
  Membership truth(n);
  for (std::size_t i = 0; i < n; ++i) truth[i] = static_cast<std::int32_t>(i / p.group_size);
  return PlantedPartition{std::move(graph).value(), std::move(truth)};
}

Expected<HierarchicalPlantedPartition> hierarchical_planted_partition(const HierarchicalPlantedParameters& p) {
  if (p.macro_groups < 2 || p.sub_groups < 2 || p.group_size < 2) {
    return invalid_argument("hierarchical_planted_partition: needs >= 2 macro groups, sub groups and nodes");
  }
  const std::size_t macro_size = p.sub_groups * p.group_size;
  const std::size_t n = p.macro_groups * macro_size;
  HierarchicalPlantedPartition result;
  result.macro.resize(n);
  result.sub.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    result.sub[i] = static_cast<std::int32_t>(i / p.group_size);
    result.macro[i] = static_cast<std::int32_t>(i / macro_size);
  }
  const std::size_t half = partners_per_node(p.mean_degree);
  SplitMix64 rng(p.seed);
  std::vector<WeightedEdge> edges;
  edges.reserve(n * half);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t macro_begin = static_cast<std::size_t>(result.macro[i]) * macro_size;
    const std::size_t sub_begin = static_cast<std::size_t>(result.sub[i]) * p.group_size;
    for (std::size_t d = 0; d < half; ++d) {
      const double u = rng.uniform();
      std::size_t partner = 0;
      if (u < p.outside_macro) {
        partner = rng.below(n - macro_size);
        if (partner >= macro_begin) partner += macro_size;
      } else if (u < p.outside_macro + p.outside_sub) {
        partner = macro_begin + rng.below(macro_size - p.group_size);
        if (partner >= sub_begin) partner += p.group_size;
      } else {
        partner = sub_begin + rng.below(p.group_size - 1);
        if (partner >= i) ++partner;
      }
      edges.push_back(unit_edge(i, partner));
    }
  }
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  if (!graph) return graph.status().with_context("hierarchical_planted_partition");
  result.graph = std::move(graph).value();
  return result;
}

}  // namespace bre::demo
