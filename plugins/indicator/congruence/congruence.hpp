// Organisation indicators of a region (DOMAIN.md §3): congruence C1 and C2,
// functional integrality and the legal-form mix, per region of a partition and for
// the country as a whole.
#pragma once

#include <string>
#include <vector>

#include "bre/language.hpp"
#include "bre/dataset.hpp"
#include "bre/network.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

/// Which arrangements count and how the cooperation network is weighted; the same
/// options build the network for C1 and select A(B) for the other columns.
/// `kinds` must not be empty.
using CongruenceOptions = NetworkOptions;

/// The table and what a reader must know about it (unassigned municipalities,
/// nothing counted).
struct CongruenceResult {
  v1::IndicatorTable table;
  std::vector<std::string> warnings;
};

/// Column ids, in table order.
inline constexpr const char* kCongruenceColumns[] = {
    "n_municipalities", "n_arrangements",         "congruence_c1",
    "congruence_c2",    "functional_integrality", "share_informal",
    "share_network",    "share_private_law",      "share_wgr",
    "n_unclassified"};

/// Computes the "congruence" indicator table of `partition` over the dataset of
/// `index` (DOMAIN.md §3).
///
/// For a region B with members M(B) and A(B) the counted arrangements (kind in
/// options.kinds) with at least two distinct participating municipalities in M(B):
/// - n_municipalities = |M(B)|; n_arrangements = |A(B)|;
/// - congruence_c1 = 2 W_in(B) / vol(B) on the cooperation network built with
///   `options` (W_in: total weight of edges with both ends in B; vol: sum of the
///   members' weighted degrees); NaN when vol(B) = 0;
/// - congruence_c2 = |{a in A(B): every member of B takes part}| / |A(B)|; NaN when
///   A(B) is empty;
/// - functional_integrality: how far the region's tasks are bundled. A task is an
///   (arrangement, domain) pair of A*(B), the arrangements of A(B) with at least one
///   domain; FI = sum over a in A*(B) with |domains(a)| >= 2 of |domains(a)| / sum over
///   a in A*(B) of |domains(a)|. It does not fall with the number of distinct domains:
///   two single-purpose arrangements of one domain give 0, one arrangement of two
///   domains 1. NaN when A*(B) is empty;
/// - share_informal / share_network / share_private_law / share_wgr: share of A(B)
///   with that legal form (every WGR_* form, WGR_UNSPECIFIED included, in share_wgr;
///   LEGAL_FORM_UNSPECIFIED in none);
/// - n_unclassified = |A(B) \ A*(B)|: arrangements without domain, unknown rather than
///   zero (a warning gives the national count).
/// The national row "NL" pools the regions: every count is the sum of the region
/// rows' counts (n_municipalities: the municipalities in a region; n_arrangements:
/// (region, arrangement) pairs) and every ratio the sum of their numerators over the
/// sum of their denominators.
///
/// Municipalities the partition leaves unassigned belong to no region row (a warning
/// gives their number); their ties still count in their neighbours' vol(B).
/// Domains are compared as exact strings; empty domain strings are ignored.
///
/// Errors: an empty options.kinds (invalid_argument), a partition without regions
/// (failed_precondition), an unknown or duplicated municipality code in the partition
/// or an unknown one in a counted arrangement (from membership_of / the network).
/// Complexity: O(sum over counted arrangements of |a|^2 + n + m log m) for the
/// network, then O(sum of |a| + n + m).
/// Labels, definitions and warnings are in `language`.
Expected<CongruenceResult> compute_congruence(const DatasetIndex& index,
                                              const v1::Partition& partition,
                                              const CongruenceOptions& options,
                                              Language language = Language::kDutch);

}  // namespace bre::indicator
