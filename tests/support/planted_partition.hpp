// Seeded planted-partition graphs for the community tests and the benchmark
// (tools/bench/). Header-only.
//
// The generator, so a failure can be reproduced by hand:
//   groups are contiguous blocks: group g holds nodes [g n / G, (g + 1) n / G);
//   rng = SplitMix64(seed); for each node i in order, draw half = round(mean_degree / 2)
//   partners: u = rng.uniform(); if u < mixing, the partner is uniform over the nodes
//   outside i's group (rng.below), else uniform over the other nodes of i's group;
//   every draw adds edge (i, partner) of weight 1 (repeated pairs merge into heavier
//   edges). So the mean degree is mean_degree and a share `mixing` (the LFR mu) of
//   each node's ties leaves its group; the planted signal is clear for mixing well
//   below (G - 1) / G.
// O(n * mean_degree) time and memory, so 10^6 nodes are fine.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/random.hpp"

namespace bre::test {

struct PlantedPartitionParameters {
  std::size_t nodes = 1000;
  std::size_t groups = 10;
  double mean_degree = 20.0;
  /// Share of each node's ties drawn outside its group, in [0, 1].
  double mixing = 0.2;
  std::uint64_t seed = 1;
};

struct PlantedPartition {
  Graph graph;
  Membership truth;  // group per node
};

/// The planted-partition graph described above. Throws std::invalid_argument for
/// fewer than 2 groups or groups of fewer than 2 nodes.
inline PlantedPartition planted_partition(const PlantedPartitionParameters& p) {
  if (p.groups < 2 || p.nodes < 2 * p.groups) {
    throw std::invalid_argument("planted_partition: needs >= 2 groups of >= 2 nodes");
  }
  const std::size_t n = p.nodes;
  auto group_start = [&](std::size_t g) { return g * n / p.groups; };
  Membership truth(n);
  for (std::size_t g = 0; g < p.groups; ++g) {
    for (std::size_t i = group_start(g); i < group_start(g + 1); ++i) truth[i] = static_cast<std::int32_t>(g);
  }
  const std::size_t half = static_cast<std::size_t>(std::lround(p.mean_degree / 2.0));
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
      edges.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(partner), 1.0});
    }
  }
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  if (!graph) throw std::logic_error("planted_partition: " + graph.status().message());
  return {std::move(graph).value(), std::move(truth)};
}

}  // namespace bre::test

namespace bre::test {

struct HierarchicalPlantedParameters {
  std::size_t macro_groups = 8;
  std::size_t sub_groups = 4;     // per macro group
  std::size_t group_size = 12;    // nodes per sub group
  double mean_degree = 16.0;
  /// Shares of each node's ties drawn outside its macro group, and inside its macro
  /// group but outside its sub group; the rest stay in its sub group.
  double outside_macro = 0.04;
  double outside_sub = 0.25;
  std::uint64_t seed = 1;
};

struct HierarchicalPlantedPartition {
  Graph graph;
  Membership macro;  // macro group per node
  Membership sub;    // sub group per node (macro * sub_groups + local index)
};

/// A planted hierarchy, for the resolution-profile tests. The generator:
///   node i lies in sub group s = i / group_size, macro group s / sub_groups;
///   rng = SplitMix64(seed); for each node i in order, draw half = round(mean_degree / 2)
///   partners: u = rng.uniform(); if u < outside_macro, a partner uniform over the nodes
///   outside i's macro group; else if u < outside_macro + outside_sub, uniform over the
///   nodes of i's macro group outside its sub group; else uniform over the other nodes
///   of its sub group (rng.below in each case). Every draw adds edge (i, partner) of
///   weight 1; repeated pairs merge into heavier edges.
/// Throws std::invalid_argument for fewer than 2 macro groups, 2 sub groups or 2 nodes
/// per sub group. O(n * mean_degree).
inline HierarchicalPlantedPartition hierarchical_planted_partition(const HierarchicalPlantedParameters& p) {
  if (p.macro_groups < 2 || p.sub_groups < 2 || p.group_size < 2) {
    throw std::invalid_argument("hierarchical_planted_partition: needs >= 2 macro groups, sub groups and nodes");
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
  const std::size_t half = static_cast<std::size_t>(std::lround(p.mean_degree / 2.0));
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
      edges.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(partner), 1.0});
    }
  }
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  if (!graph) throw std::logic_error("hierarchical_planted_partition: " + graph.status().message());
  result.graph = std::move(graph).value();
  return result;
}

}  // namespace bre::test
