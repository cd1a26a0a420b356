// Comparing partitions (DOMAIN.md §2): NMI, adjusted Rand index and variation of
// information (partition.hpp), per-region best-match Jaccard both ways, the
// municipalities on which two partitions disagree, and the quality of each partition
// (region count and sizes, modularity, contiguity on the map).
//
// Every measure between two partitions is taken over the municipalities assigned in
// both ("compared" municipalities); a municipality unassigned in either is left out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/language.hpp"
#include "bre/algorithm.hpp"
#include "bre/dataset.hpp"
#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "bre/v1/plugin.pb.h"
#include "bre/v1/results.pb.h"

namespace bre {

struct ComparisonParameters {
  /// Resolution gamma > 0 of the modularity reported for each partition (1 = classic).
  double resolution = 1.0;
};

/// Region count and sizes, modularity and contiguity of one membership.
struct PartitionQuality {
  std::int32_t region_count = 0;  // regions with at least one member
  std::int32_t min_region_size = 0;
  double median_region_size = 0.0;
  std::int32_t max_region_size = 0;
  std::int32_t unassigned = 0;
  double modularity = 0.0;  // NaN when the tie graph has no edge weight
  double contiguity = 0.0;  // share of contiguous regions; NaN when the map has no edges
  std::int32_t contiguous_regions = 0;
};

/// The best match of one region in the other partition.
struct RegionBestMatch {
  std::int32_t region;  // label in its own partition
  std::int32_t match;   // label in the other partition; kUnassigned if it has no compared member
  double jaccard;       // |r ∩ s| / |r ∪ s| over compared municipalities; 0 without a match
};

/// Quality of one membership: sizes count assigned nodes; modularity() on `ties` at
/// `resolution`; a region is contiguous when its members that have a land neighbour
/// on `map` form one connected piece there (islands are ignored; a region of islands
/// only counts as contiguous). Sizes must match. Complexity: O(n + m + m_map + k log k).
PartitionQuality partition_quality(const Graph& ties, const Graph& map, const Membership& membership,
                                   double resolution);

/// Two partitions of the same nodes compared (NetworKit style: construct, run(),
/// read the accessors).
///
/// Best match of region r of A: the region s of B maximising the Jaccard index
/// |r ∩ s| / |r ∪ s| (ties: the smaller label of B), and the same from B to A. A
/// compared node disagrees when it is not in the best match of its own region, in
/// either direction: b(i) != best_B(a(i)) or a(i) != best_A(b(i)); so the set is the
/// same whichever partition comes first, and empty exactly when both partitions
/// agree on the compared nodes up to labels.
///
/// Complexity: O(n + m + m_map + c log c), c the non-empty cells of the contingency table.
class PartitionComparator : public AlgorithmBase {
 public:
  /// `ties` (for modularity) and `map` (map_adjacency_graph(), for contiguity) must
  /// have one node per membership entry and outlive this object.
  PartitionComparator(const Graph& ties, const Graph& map, const Membership& a, const Membership& b,
                      ComparisonParameters parameters);

  /// Errors: memberships or graphs of different sizes, a resolution that is not a
  /// finite number > 0.
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  double nmi() const;
  double adjusted_rand() const;
  double variation_of_information() const;  // nats
  /// One entry per region of A (B) with at least one member, in label order.
  const std::vector<RegionBestMatch>& matches_a_to_b() const;
  const std::vector<RegionBestMatch>& matches_b_to_a() const;
  const PartitionQuality& quality_a() const;
  const PartitionQuality& quality_b() const;
  /// Per node: 1 disagrees, 0 agrees, -1 not compared (unassigned in A or B).
  const std::vector<std::int8_t>& disagreement() const;
  std::int32_t compared_count() const;
  std::int32_t disagreement_count() const;

 private:
  const Graph* ties_;
  const Graph* map_;
  Membership a_;
  Membership b_;
  ComparisonParameters parameters_;
  double nmi_ = 0.0;
  double adjusted_rand_ = 0.0;
  double variation_of_information_ = 0.0;
  std::vector<RegionBestMatch> matches_a_to_b_;
  std::vector<RegionBestMatch> matches_b_to_a_;
  PartitionQuality quality_a_;
  PartitionQuality quality_b_;
  std::vector<std::int8_t> disagreement_;
  std::int32_t compared_count_ = 0;
  std::int32_t disagreement_count_ = 0;
};

/// The municipality codes a partition covers: its regions' members and its
/// unassigned list, sorted.
std::vector<std::string> covered_codes(const v1::Partition& partition);

/// Compares two partitions of the dataset's municipalities with PartitionComparator.
/// Errors: partitions that cover different municipalities (naming up to ten codes
/// found only in each), unknown codes, a municipality in two regions, a bad
/// resolution. Region ids in the matches are the partitions' own.
Expected<v1::PartitionComparison> compare_partitions(const DatasetIndex& index, const Graph& ties, const Graph& map,
                                                     const v1::Partition& a, const v1::Partition& b,
                                                     ComparisonParameters parameters);

/// Every pair (i < j, in input order) of two or more partitions compared, and each
/// partition's summary. Errors: fewer than two partitions, two with the same name,
/// and those of compare_partitions().
struct PairwiseComparison {
  std::vector<v1::PartitionSummary> summaries;
  std::vector<v1::PartitionComparison> comparisons;
};
Expected<PairwiseComparison> compare_pairwise(const DatasetIndex& index, const Graph& ties, const Graph& map,
                                              const std::vector<v1::Partition>& partitions,
                                              ComparisonParameters parameters);

/// Table "partitions": one row per partition (region_id = its name): regions,
/// min/median/max region size, unassigned, modularity, contiguity. Labels and
/// definitions in `language` (English for the CLI, the run's in a pipeline).
v1::IndicatorTable partition_summary_table(const std::vector<v1::PartitionSummary>& summaries, double resolution,
                                           Language language = Language::kEnglish);

/// Table "comparison": one row per pair (region_id = "A vs B"): NMI, ARI, VI, mean
/// best-match Jaccard both ways, compared and disagreeing municipalities. Labels and
/// definitions in `language`.
v1::IndicatorTable comparison_table(const std::vector<v1::PartitionComparison>& comparisons,
                                    Language language = Language::kEnglish);

}  // namespace bre
