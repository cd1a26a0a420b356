// Turning a clustering membership into a step's partition, the same way for every
// clustering plugin: municipalities without any tie are left unassigned, the step's
// region constraints are applied (bre/region_constraints.hpp), modularity is
// recomputed on the final regions, and warnings say what changed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/plugin.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::clustering {

/// Sets every node without a tie to another node to kUnassigned and returns those
/// nodes, in node order. A municipality without any tie has no administrative region
/// to be part of; its strength is zero, so modularity does not change. O(n + m).
std::vector<std::uint32_t> unassign_untied(const Graph& graph, Membership& membership);

/// Unassigns untied nodes, applies the step's "min_region_size" and
/// "enforce_contiguity" (apply_region_constraints), and appends the partition
/// (named after the step, source `plugin_name`, modularity at `resolution` on `graph`)
/// and the warnings to `out`. Errors carry the step's name.
Status emit_clustering_partition(const StepContext& context, const Graph& graph, Membership membership,
                                 const std::string& plugin_name, double resolution, v1::Artifacts& out);

}  // namespace bre::clustering
