// Constraints every clustering plugin offers on the regions it returns (DOMAIN.md §2,
// ARCHITECTURE.md "islands and contiguity handled explicitly"): a minimum region size
// and contiguity on the map (Dataset.adjacency).
//
// Islands. A municipality without any land neighbour in Dataset.adjacency (a Wadden
// island, or a municipality without geometry) cannot be contiguous with anything. It
// is exempt: it stays with the piece of its region it has the strongest ties to, and
// it never counts as a separate piece when contiguity is judged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/algorithm.hpp"
#include "bre/export.hpp"
#include "bre/dataset.hpp"
#include "bre/graph.hpp"
#include "bre/params.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "bre/v1/plugin.pb.h"

namespace bre BRE_SDK_API {

class StepContext;

struct RegionConstraints {
  /// Regions with fewer municipalities are merged into a neighbouring region; >= 1
  /// (1 = no constraint).
  std::int64_t min_region_size = 1;
  /// Split every region into its connected pieces on the map (islands exempt).
  bool enforce_contiguity = false;
};

/// The parameters every clustering plugin declares: "min_region_size" (int >= 1,
/// default 1) and "enforce_contiguity" (bool, default false). A plugin that declares
/// them applies them with apply_region_constraints() and sets the capabilities
/// honours_min_region_size and honours_contiguity; the host refuses a plugin that
/// declares either parameter without its capability, and the engine refuses a step
/// that sets a parameter its plugin does not declare.
std::vector<v1::ParameterSpec> region_constraint_parameters();

/// RegionConstraints from validated parameters (see region_constraint_parameters()).
RegionConstraints region_constraints_from(const Params& params);

/// The map as a graph over the dataset's municipalities (dataset order): one edge per
/// Dataset.adjacency pair, weighted by the shared border length in metres. Errors: a
/// pair naming an unknown municipality ("adjacency[3].b_code: unknown municipality
/// code 'GM9999'"). Complexity: O(n + a log a) for a pairs.
Expected<Graph> map_adjacency_graph(const DatasetIndex& index);

/// Whether `node` has no land neighbour on `map` (no edge to another node).
bool is_island(const Graph& map, std::uint32_t node);

/// Applies RegionConstraints to a membership (NetworKit style: construct, run(),
/// read the accessors).
///
/// 1. Contiguity (when enforced): each region is split into the connected pieces
///    its non-island members form on the map; pieces are numbered in node order.
///    Each island joins the piece of its own region with the largest total tie weight
///    to it (ties: the piece whose first node comes first; no tie: the first piece).
///    A region made only of islands stays one region.
/// 2. Minimum size: while some region has fewer than min_region_size members, the
///    smallest (ties: the one whose first node comes first) is merged into the region
///    it has the largest total tie weight to on `ties`; without any tie, into the map
///    neighbour with the longest common border. Under contiguity only map neighbours
///    qualify (an island-only region may join any region it is tied to), so merged
///    regions stay contiguous. Ties between candidates go to the region whose first
///    node comes first. A region with no candidate is kept as it is and reported.
/// Unassigned nodes (kUnassigned, e.g. municipalities without any tie) stay
/// unassigned and are never merge targets. The result has canonical labels.
///
/// Complexity: O(n + m_map) for contiguity; O(s · (d log k)) for the merges, s the
/// members of merged regions, d their degree, k the region count.
class RegionConstraintEnforcer : public AlgorithmBase {
 public:
  /// `ties` (the clustered graph) and `map` (map_adjacency_graph()) must have one
  /// node per membership entry and outlive this object.
  RegionConstraintEnforcer(const Graph& ties, const Graph& map, const Membership& membership,
                           RegionConstraints constraints);

  /// Errors: sizes that differ, min_region_size < 1, contiguity asked on a map
  /// without any adjacent pair (the dataset has no Dataset.adjacency).
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  const Membership& membership() const;
  /// Regions of the input that were in several pieces and were split.
  const std::vector<std::int32_t>& split_regions() const;
  /// Assigned islands whose region was split (they joined one of its pieces).
  const std::vector<std::uint32_t>& relocated_islands() const;
  /// First node of each region that was merged away for being too small.
  const std::vector<std::uint32_t>& merged_regions() const;
  /// First node of each too-small region that had no region to merge into.
  const std::vector<std::uint32_t>& unmerged_small_regions() const;

 private:
  Membership split_into_pieces(const Membership& labels);
  Membership merge_small_regions(const Membership& labels);

  const Graph* ties_;
  const Graph* map_;
  Membership input_;
  RegionConstraints constraints_;
  Membership membership_;
  std::vector<std::int32_t> split_regions_;
  std::vector<std::uint32_t> relocated_islands_;
  std::vector<std::uint32_t> merged_regions_;
  std::vector<std::uint32_t> unmerged_small_regions_;
};

/// A membership after the step's constraints, and what a reader must know about them.
struct ConstrainedMembership {
  Membership membership;
  std::vector<std::string> warnings;  // one line each, naming municipality codes, in the run's language
};

/// Reads the step's "min_region_size" and "enforce_contiguity" parameters and
/// applies them to `membership` over the dataset's municipalities with
/// RegionConstraintEnforcer, on `ties` and the dataset's map. With the defaults the
/// membership comes back unchanged (canonical labels) and no map is built.
Expected<ConstrainedMembership> apply_region_constraints(const StepContext& context, const Graph& ties,
                                                         const Membership& membership);

}  // namespace bre
