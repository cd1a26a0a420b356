// What every native clustering plugin does around its algorithm: leave municipalities
// without a tie unassigned and turn a membership into the step's Partition.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/plugin.hpp"
#include "bre/v1/results.pb.h"

namespace bre::community {

/// Marks every node without a tie to another node kUnassigned (an algorithm gives it
/// a community of its own, but it has no administrative region to be part of; its
/// strength is 0, so modularity does not change) and relabels canonically. Returns
/// the untied nodes in node order. O(n + m).
std::vector<std::uint32_t> unassign_untied(const Graph& graph, Membership& membership);

/// Appends the step's partition (named after the step, `source` the plugin name,
/// modularity of `membership` on `graph` at `resolution`) to `out`, plus a warning
/// listing the unassigned municipalities (`untied`, at most ten codes by name).
void add_clustering_partition(const StepContext& context, const Graph& graph, const Membership& membership,
                              const std::vector<std::uint32_t>& untied, const std::string& source,
                              double resolution, v1::Artifacts& out);

}  // namespace bre::community
