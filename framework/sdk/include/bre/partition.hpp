// Partitions as membership vectors, their conversion to bre.v1.Partition, quality
// and comparison measures (DOMAIN.md §2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/export.hpp"
#include "bre/dataset.hpp"
#include "bre/graph.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre BRE_SDK_API {

/// Region index per node; kUnassigned for a node in no region.
using Membership = std::vector<std::int32_t>;
inline constexpr std::int32_t kUnassigned = -1;

/// Relabels regions 0..k-1 in order of first appearance (node order), so equal
/// partitions get equal vectors whatever labels an algorithm produced. O(n).
Membership canonical_labels(const Membership& membership);

/// Number of regions (max label + 1; unassigned nodes ignored).
std::int32_t region_count(const Membership& membership);

/// Builds a bre.v1.Partition from a membership over the dataset's municipalities.
/// Regions get ids "R01", "R02", ... in canonical order and are named after their
/// most populous municipality ("Regio Utrecht"; on equal population, the one where most
/// commuters work); unassigned municipalities are listed.
/// `modularity` and `resolution` are stored as given (NaN when not applicable).
v1::Partition to_partition(const DatasetIndex& index, const Membership& membership,
                           const std::string& name, const std::string& source,
                           double modularity, double resolution);

/// The membership of a bre.v1.Partition over the dataset's municipalities, with
/// region indices in the order of partition.regions(). Errors: an unknown code, a
/// municipality in two regions. Municipalities in no region are kUnassigned.
Expected<Membership> membership_of(const DatasetIndex& index, const v1::Partition& partition);

/// A region definition as a partition; an error if it is a cover with overlaps.
Expected<v1::Partition> partition_from_definition(const DatasetIndex& index,
                                                  const v1::RegionDefinition& definition);

/// Newman-Girvan modularity with resolution gamma:
/// Q = 1/(2m) * sum_ij [A_ij - gamma * k_i k_j / (2m)] delta(c_i, c_j),
/// the convention of igraph_modularity (weighted, undirected). Unassigned nodes
/// contribute nothing. Returns NaN for a graph without edges. O(n + m).
double modularity(const Graph& graph, const Membership& membership, double resolution = 1.0);

/// Stable region identities: a one-to-one matching of the regions of `a` (labels
/// 0..a_regions-1) to those of `b` by overlap. Pairs are taken greedily by the number
/// of nodes they share, largest first (ties: the lower region of a, then of b), each
/// region at most once; only pairs that share a node. Returns per region of `a` its
/// region of `b`, or -1. Nodes unassigned in either are ignored. Sizes must match.
/// O(n + ka kb log(ka kb)).
std::vector<std::int32_t> match_regions_by_overlap(const Membership& a, std::int32_t a_regions, const Membership& b,
                                                   std::int32_t b_regions);

// Comparison measures over the nodes assigned in both partitions (sizes must match).
// Natural logarithms throughout.

/// Normalised mutual information, NMI = 2 I(A;B) / (H(A) + H(B)) (Danon et al. 2005,
/// igraph_compare_communities IGRAPH_COMMCMP_NMI); 1 when both are trivial. O(n).
double normalized_mutual_information(const Membership& a, const Membership& b);
/// Adjusted Rand index (Hubert & Arabie 1985). O(n + ka*kb).
double adjusted_rand_index(const Membership& a, const Membership& b);
/// Variation of information VI = H(A) + H(B) - 2 I(A;B) (Meila 2007), in nats. O(n).
double variation_of_information(const Membership& a, const Membership& b);

}  // namespace bre
