// The scale of a clustering found by the data (DOMAIN.md §2, "Scale"): a resolution
// profile of modularity clusterings over a log-spaced grid of resolutions x seeds x
// algorithms, and the plateaus in it, from which a scale is selected.
//
// The plateau criterion (docs/multiscale.md gives the reasoning and references):
//
// 1. Domains of optimality (CHAMP; Weir, Emmons, Gibson, Taylor & Mucha 2017,
//    "Post-processing partitions to identify domains of optimality", Algorithms 10:93).
//    Each distinct partition P found by any member has the modularity line
//    Q_P(gamma) = e_P - gamma * a_P, with e_P the share of edge weight inside its
//    regions and a_P = sum over regions of (vol(c) / 2m)^2. Over [gamma_min, gamma_max]
//    the upper envelope of these lines gives each partition on it the range of
//    resolutions where no other partition found is better: its domain of optimality.
//    Domains are exact, not quantised to the grid.
// 2. Plateaus: consecutive domains whose partitions agree pairwise (adjusted Rand index
//    >= same_partition_ari; one municipality more or less on a border) form one
//    plateau; its width is measured in decades of resolution, log10(to / from), since
//    resolution acts multiplicatively on the null model.
// 3. A plateau is *stable* when it is wide (>= min_plateau_decades), reproducible
//    across seeds and algorithms (mean pairwise ARI of the members at the grid points
//    inside it >= min_seed_agreement), lies inside the sweep (a plateau that touches
//    either end of the range has an unknown width) and is not trivial (at least two
//    regions, on average at least two municipalities per region).
//
// Selection (select_scale): auto = the widest stable plateau; the finest or coarsest
// stable plateau; the stable plateau with a number of regions nearest a target; or a
// stable plateau by its rank in width. Without any stable plateau the profile falls back
// to the best partition found at the grid resolution nearest 1 (classic modularity).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "bre/algorithm.hpp"
#include "bre/clustering/algorithm.hpp"
#include "bre/graph.hpp"
#include "bre/language.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::clustering {

/// Most members (grid points x algorithms x seeds) one profile may run.
inline constexpr std::int64_t kMaxProfileMembers = 200000;
/// Most grid points of one profile.
inline constexpr std::int64_t kMaxProfileResolutions = 10000;

struct ResolutionProfileParameters {
  /// The grid: resolution_count values log-spaced from resolution_min to
  /// resolution_max, both included; 0 < min < max, count in [2, kMaxProfileResolutions].
  double resolution_min = 0.1;
  double resolution_max = 100.0;
  std::int64_t resolution_count = 61;
  /// Modularity algorithms run at every grid point (label propagation has no
  /// resolution and is refused).
  CommunityDetectionList algorithms = {leiden_detection(), louvain_detection()};
  /// Members per algorithm and grid point, >= 1 (2 or more to measure seed agreement).
  std::int64_t seeds = 4;
  /// Criterion thresholds (see the file comment).
  double min_seed_agreement = 0.9;  // in [0, 1]
  double min_plateau_decades = 0.1; // >= 0
  double same_partition_ari = 0.98; // in (0, 1]
  std::uint64_t seed = 0;
  /// Polled before each member; when it returns true, run() stops with kCancelled.
  std::function<bool()> cancelled = nullptr;
  /// Called after each member (members done, members in all), from worker threads.
  std::function<void(std::size_t done, std::size_t total)> progress = nullptr;
};

/// Modularity of a partition as a line in the resolution: Q(gamma) = internal - gamma *
/// expected, the convention of bre::modularity (unassigned nodes contribute nothing).
struct ModularityLine {
  double internal = 0.0;  // share of the total edge weight inside regions (2 W_in / 2m)
  double expected = 0.0;  // sum over regions of (vol(c) / 2m)^2
  double at(double resolution) const { return internal - resolution * expected; }
};
/// O(n + m). The graph must have positive total weight.
ModularityLine modularity_line(const Graph& graph, const Membership& membership);

/// One grid point of the profile.
struct ProfilePoint {
  double resolution = 0.0;
  std::size_t best_partition = 0;  // index into partitions(): the member of highest modularity
  std::int32_t regions = 0;        // of the best partition, counting only regions with a tie
  std::int32_t regions_min = 0;    // over the point's members
  std::int32_t regions_max = 0;
  double modularity = 0.0;         // of the best partition at this resolution
  double seed_ari = 1.0;           // mean pairwise adjusted Rand index of the point's members
  double seed_nmi = 1.0;           // mean pairwise normalised mutual information
  /// Variation of information between this point's and the next point's best
  /// partitions, divided by ln(n) (0 = identical, 1 = the most they can differ); NaN
  /// for the last point.
  double vi_next = 0.0;
  std::int32_t plateau = -1;       // index into plateaus() of the plateau whose range holds it, or -1
};

/// Why a plateau is or is not stable.
enum class PlateauStatus { kStable, kNarrow, kUnstableSeeds, kEdgeOfRange, kTrivial };
std::string_view plateau_status_name(PlateauStatus status);

struct Plateau {
  double resolution_from = 0.0;
  double resolution_to = 0.0;
  double decades = 0.0;             // log10(resolution_to / resolution_from)
  std::size_t partition = 0;        // representative: the partition of its widest domain
  std::int32_t regions = 0;         // of the representative
  std::size_t domains = 0;          // domains of optimality merged into it
  double seed_ari = 1.0;            // mean over the grid points it holds (or the nearest one)
  double modularity = 0.0;          // of the representative at the geometric centre of the range
  PlateauStatus status = PlateauStatus::kStable;
  std::int32_t width_rank = 0;      // 1 = the widest stable plateau; 0 when not stable
  bool stable() const { return status == PlateauStatus::kStable; }
  double centre() const;            // geometric centre of the range
};

/// A resolution profile with its plateaus.
///
/// Parallelism: the members run in a tbb::parallel_for in the caller's task arena,
/// each writing its own slot; seed agreement runs in parallel over grid points; all
/// else is serial in index order. Results are identical for any thread count.
/// Complexity: points x algorithms x seeds clusterings, plus O(points x (A S)^2 x n)
/// for seed agreement and O(P x D) for the envelope (P distinct partitions, D domains).
/// Memory: one membership (4 n bytes) per distinct partition.
class ResolutionProfile : public AlgorithmBase {
 public:
  /// `graph` must outlive this object.
  ResolutionProfile(const Graph& graph, ResolutionProfileParameters parameters);

  /// Errors (argument named): a graph without nodes or without edge weight; a
  /// resolution range that is not finite, not positive, empty or reversed; a grid of
  /// fewer than 2 or more than kMaxProfileResolutions points; seeds < 1; no algorithm
  /// or label propagation; more than kMaxProfileMembers members; a threshold out of
  /// range; the first failing member's error; kCancelled when cancelled.
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  const std::vector<ProfilePoint>& points() const;
  /// Every plateau, in order of resolution; stable or not (see Plateau::status).
  const std::vector<Plateau>& plateaus() const;
  /// Distinct partitions found, canonical labels, in order of the first member that found each.
  const std::vector<Membership>& partitions() const;
  std::size_t stable_plateau_count() const;
  /// The domains of optimality: [from, to) and the partition optimal on it, in order.
  struct Domain {
    double resolution_from;
    double resolution_to;
    std::size_t partition;
  };
  const std::vector<Domain>& domains() const;

 private:
  Status validate() const;

  const Graph* graph_;
  ResolutionProfileParameters parameters_;
  std::vector<ProfilePoint> points_;
  std::vector<Plateau> plateaus_;
  std::vector<Membership> partitions_;
  std::vector<Domain> domains_;
};

/// Which scale to take from a profile.
struct ScaleRequest {
  enum class Kind { kAuto, kFinestStable, kCoarsestStable, kRegions, kRank };
  Kind kind = Kind::kAuto;
  std::int32_t target_regions = 0;  // kRegions: the region count wanted, >= 2
  std::int32_t rank = 1;            // kRank: 1 = the widest stable plateau
  Language language = Language::kDutch;  // of SelectedScale::warnings: the run's
};

/// Parses "auto", "finest_stable", "coarsest_stable", "regions", "rank".
Expected<ScaleRequest::Kind> parse_scale_kind(const std::string& text);

/// The scale selected from a profile.
struct SelectedScale {
  /// The plateau selected, or -1 for the fallback (no stable plateau satisfied the request).
  std::int32_t plateau = -1;
  /// The resolutions to run an ensemble at: the grid points inside the plateau (its
  /// centre when none), or the fallback grid point.
  std::vector<double> resolutions;
  std::size_t partition = 0;  // the plateau's representative, or the fallback point's best
  /// The widest stable plateau with fewer regions than the selected one (the level the
  /// selected regions nest in), or -1.
  std::int32_t coarser_plateau = -1;
  /// What a reader must know, in the request's language: no plateau, the fallback
  /// taken, a region count that differs from the target. Empty when the request was
  /// met as asked.
  std::vector<std::string> warnings;
};

/// Applies `request` to a profile that has run. Rules (docs/multiscale.md):
/// auto = rank 1; finest/coarsest = the stable plateau with the most/fewest regions
/// (ties: the wider); regions = the stable plateau whose region count is nearest the
/// target (ties: the wider, then the finer), with a warning when it is not the target;
/// rank = the stable plateau of that width rank. When no stable plateau exists, or the
/// rank does not exist, the fallback (the best partition at the grid point nearest
/// resolution 1; for kRegions the grid point whose best partition's region count is
/// nearest the target) with a warning that says why. Errors: a target below 2 or a rank
/// below 1 (argument named).
Expected<SelectedScale> select_scale(const ResolutionProfile& profile, const ScaleRequest& request);

}  // namespace bre::clustering
