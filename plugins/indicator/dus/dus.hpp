// Daily urban system indicators of a region (DOMAIN.md §5): self-containment, where
// outgoing commuters go, how scattered their compass bearings are, and how the DUS
// regions (a clustering of the commuting graph) relate to the BREs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/language.hpp"
#include "bre/algorithm.hpp"
#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

/// What the overlap between a BRE and a DUS region is measured in.
enum class OverlapWeight {
  kPopulation,      // inhabitants
  kMunicipalities,  // each municipality counts 1
};

/// Parses "population" / "municipalities".
Expected<OverlapWeight> parse_overlap_weight(const std::string& text);

/// The three labels of DOMAIN.md §5, in the order of the "label" column's categories.
inline constexpr const char* kDusLabels[] = {"subregional", "regional", "interregional"};

struct DusParameters {
  /// Destination regions listed per BRE, by persons (1..20).
  int top_destinations = 3;
  /// A BRE is "regional" when its dominant DUS region D* covers at least this share
  /// of it (cover), in (0, 1].
  double cover_threshold = 0.7;
  /// ... and at least this share of D* lies inside the BRE (containment), in (0, 1].
  double contain_threshold = 0.7;
  OverlapWeight overlap_weight = OverlapWeight::kPopulation;
  /// Of the labels, definitions and warnings: the run's.
  Language language = Language::kDutch;
};

/// Computes the "dus" table (one row per BRE, a national row) and the
/// "dus_agreement" table (one summary row), plus a PartitionComparison of the DUS
/// partition against the BRE partition. DOMAIN.md §5; flows F(home, work) in persons.
///
/// Per BRE B (members M(B), assigned municipalities only):
/// - commuters = sum of F(h, w) with h in B (self-flows h = w included);
/// - self_containment = sum of F(h, w) with h, w in B / commuters; NaN when 0;
/// - outgoing = commuters leaving B; each destination region's share of them (a
///   municipality in no region of the partition counts as the destination
///   "unassigned"); top destinations by persons (ties: region order), the number of
///   destination regions and the effective number 1 / sum p_j^2;
/// - bearings of the outgoing flows, centroid of h to centroid of w, as compass
///   angles theta (0 = north, 90 = east): with C = sum F cos theta, S = sum F sin theta
///   and P the persons counted, the mean resultant length R = sqrt(C^2 + S^2) / P
///   (1 = all in one direction), the circular spread 1 - R and the mean bearing
///   atan2(S, C) in [0, 360) (NaN when R = 0). Centroids come from
///   Municipality.centroid, else from the area-weighted centroid of its polygons;
///   flows from or to a municipality with neither, or between equal centroids, are
///   left out of the bearings (a warning says how many persons);
/// - with a DUS partition: its regions D_j overlapping B; best match = the D_j of
///   highest Jaccard |B cap D_j| / |B cup D_j| (municipality counts); the dominant D* =
///   the D_j of largest overlap weight w(B cap D_j) (ties: region order), its
///   cover = w(B cap D*) / w(B cap DUS-assigned) and containment = w(B cap D*) / w(D*);
///   label = interregional when containment < contain_threshold (the DUS region that
///   holds most of B reaches well across B's border), else subregional when cover <
///   cover_threshold (DUS regions inside B, none covering most of it), else regional.
///   With population weight, a member of population 0 weighs 0.
/// National row "NL": commuters, self-containment pooled over the regions (sum of
/// the inside flows / sum of commuters), outgoing and bearings over all flows that
/// leave their home's region.
/// dus_agreement: NMI, adjusted Rand index and variation of information between the
/// partitions (over municipalities assigned in both; partition.hpp), region counts,
/// and how many BREs got each label.
///
/// Complexity: O(n + F + k_bre * k_dus) for F flows.
class DailyUrbanSystem : public AlgorithmBase {
 public:
  /// `index`, `bre` and `dus` (may be null: no comparison columns) must outlive this.
  DailyUrbanSystem(const DatasetIndex& index, const v1::Partition& bre, const v1::Partition* dus,
                   DusParameters parameters);

  /// Errors: a parameter out of range (named); a partition without regions or with
  /// an unknown or repeated municipality code; a flow with an unknown code or
  /// persons negative or not finite (named by its index).
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  const v1::IndicatorTable& table() const;
  /// Empty (no rows) without a DUS partition.
  const v1::IndicatorTable& agreement_table() const;
  /// Only meaningful with a DUS partition.
  const v1::PartitionComparison& comparison() const;
  const std::vector<std::string>& warnings() const;

 private:
  bool overlap_by_population(bool has_dus);

  const DatasetIndex* index_;
  const v1::Partition* bre_;
  const v1::Partition* dus_;
  DusParameters parameters_;
  v1::IndicatorTable table_;
  v1::IndicatorTable agreement_;
  v1::PartitionComparison comparison_;
  std::vector<std::string> warnings_;
};

}  // namespace bre::indicator
