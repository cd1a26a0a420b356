// What every clustering plugin shares, so that they differ only in their algorithm:
// - the description: the network and region-constraint parameters, the seed, the
//   partition it produces and the capabilities all of them have;
// - turning a membership into the step's partition: municipalities without any tie
//   are left unassigned, the step's region constraints are applied
//   (bre/region_constraints.hpp), modularity is recomputed on the final regions, and
//   warnings say what changed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::clustering {

/// A clustering plugin's description: `own_parameters` first, then
/// network_parameters(), region_constraint_parameters() and, when `seed_use` is not
/// empty, the seed (saying what it drives; empty = the algorithm has no randomness).
/// It produces a partition and uses weights, is deterministic per seed, thread-safe,
/// and honours contiguity and min_region_size; `fixed_region_count` says whether it
/// can also hit a requested number of regions.
v1::PluginDescription describe_clustering(const std::string& name, const std::string& summary,
                                          std::vector<v1::ParameterSpec> own_parameters,
                                          const std::string& seed_use, bool fixed_region_count = false);

/// Sets every node without a tie to another node to kUnassigned and returns those
/// nodes, in node order. A municipality without any tie has no administrative region
/// to be part of; its strength is zero, so modularity does not change. O(n + m).
std::vector<std::uint32_t> unassign_untied(const Graph& graph, Membership& membership);

/// Unassigns untied nodes, applies the step's "min_region_size" and
/// "enforce_contiguity" (apply_region_constraints), and appends the partition
/// (named after the step, source `plugin_name`, modularity at `resolution` on `graph`)
/// and the warnings to `out`. Returns the membership the partition holds (labels =
/// region index in the partition, kUnassigned for the unassigned), so that a step
/// that writes more about the regions need not read the partition back. Errors carry
/// the step's name.
Expected<Membership> emit_clustering_partition(const StepContext& context, const Graph& graph, Membership membership,
                                               const std::string& plugin_name, double resolution, v1::Artifacts& out);

/// The same for a step that produces more than one partition (a multiscale step's
/// coarser level): the partition is named `partition_name` instead of the step id.
Expected<Membership> emit_named_partition(const StepContext& context, const Graph& graph, Membership membership,
                                          const std::string& partition_name, const std::string& plugin_name,
                                          double resolution, v1::Artifacts& out);

/// How a clustering step runs its algorithm on the step's network.
struct ClusteringRun {
  std::string plugin_name;
  /// The algorithm as its errors name it ("igraph Infomap").
  std::string algorithm;
  /// Of the partition's modularity.
  double resolution = 1.0;
  /// Refuse a network without ties before clustering (algorithms that would fail on
  /// one with a less helpful message).
  bool needs_ties = false;
};

/// The part of a clustering step's run() after it has its network: refuses a
/// network without ties when `run.needs_ties`, stops when cancelled, clusters with
/// `cluster` (its errors in the context "step '<id>': <algorithm>"), and emits the
/// membership (emit_clustering_partition).
Expected<Membership> cluster_and_emit(const StepContext& context, const Graph& graph, const ClusteringRun& run,
                                      const std::function<Expected<Membership>()>& cluster, v1::Artifacts& out);

/// Runs an algorithm object (construct, run(), membership()) and returns its membership.
template <class Algorithm>
Expected<Membership> run_for_membership(Algorithm& algorithm) {
  BRE_RETURN_IF_ERROR(algorithm.run());
  return algorithm.membership();
}

/// "3 gemeenten ...: GM0001, GM0002, GM0003" / "3 municipalities ...: ...": a count,
/// `what` in `language`, and the first ten codes of `nodes` (", ..." after them), for a
/// step's warnings.
std::string municipality_list_warning(const DatasetIndex& index, const std::vector<std::uint32_t>& nodes,
                                      Language language, const Bilingual& what);

}  // namespace bre::clustering
