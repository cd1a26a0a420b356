// Seeded planted-partition graphs: networks with a known community structure (the
// planted groups), on which the community-detection algorithms are tested and
// benchmarked. Each generator is written out below so that a graph can be
// reproduced by hand; all randomness comes from bre::SplitMix64, so a seed gives
// the same graph on every platform.
#pragma once

#include <cstddef>
#include <cstdint>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::demo {

struct PlantedPartition {
  Graph graph;
  Membership truth;  // planted group per node
};

struct PlantedPartitionParameters {
  std::size_t nodes = 1000;
  std::size_t groups = 10;
  double mean_degree = 20.0;
  /// Share of each node's ties drawn outside its group, in [0, 1] (the LFR mu).
  double mixing = 0.2;
  std::uint64_t seed = 1;
};

/// Groups are contiguous blocks: group g holds nodes [g n / G, (g + 1) n / G).
/// rng = SplitMix64(seed); for each node i in order, draw half = round(mean_degree / 2)
/// partners: u = rng.uniform(); if u < mixing, the partner is uniform over the nodes
/// outside i's group (rng.below), else uniform over the other nodes of i's group;
/// every draw adds edge (i, partner) of weight 1 (repeated pairs merge into heavier
/// edges). So the mean degree is mean_degree and a share `mixing` of each node's ties
/// leaves its group; the planted signal is clear for mixing well below (G - 1) / G.
/// Errors: fewer than 2 groups or groups of fewer than 2 nodes. O(n * mean_degree)
/// time and memory, so 10^6 nodes are fine.
Expected<PlantedPartition> planted_partition(const PlantedPartitionParameters& parameters);

struct PlantedPairsParameters {
  std::size_t groups = 4;
  std::size_t group_size = 25;
  /// Probability of a tie between two nodes of one group, and of two groups.
  double p_in = 0.3;
  double p_out = 0.02;
  std::uint64_t seed = 1;
};

/// Node i belongs to group i / group_size; rng = SplitMix64(seed); for i < j in
/// lexicographic order, draw u = rng.uniform() and add edge (i, j) of weight 1 when
/// u < (same group ? p_in : p_out). Errors: no groups or empty groups. O(n^2), for
/// small graphs.
Expected<PlantedPartition> planted_pairs_partition(const PlantedPairsParameters& parameters);

struct HierarchicalPlantedParameters {
  std::size_t macro_groups = 8;
  std::size_t sub_groups = 4;   // per macro group
  std::size_t group_size = 12;  // nodes per sub group
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

/// A planted hierarchy (two scales of groups), for the resolution profile. Node i lies
/// in sub group s = i / group_size, macro group s / sub_groups; rng = SplitMix64(seed);
/// for each node i in order, draw half = round(mean_degree / 2) partners: u =
/// rng.uniform(); if u < outside_macro, a partner uniform over the nodes outside i's
/// macro group; else if u < outside_macro + outside_sub, uniform over the nodes of i's
/// macro group outside its sub group; else uniform over the other nodes of its sub
/// group (rng.below in each case). Every draw adds edge (i, partner) of weight 1;
/// repeated pairs merge into heavier edges. Errors: fewer than 2 macro groups, 2 sub
/// groups or 2 nodes per sub group. O(n * mean_degree).
Expected<HierarchicalPlantedPartition> hierarchical_planted_partition(const HierarchicalPlantedParameters& parameters);

}  // namespace bre::demo
