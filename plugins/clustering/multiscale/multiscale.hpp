// clustering.multiscale's parameters, their mapping onto bre::clustering's resolution
// profile and scale selection, and the tables that show the profile (DOMAIN.md §2,
// "Scale"; docs/multiscale.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/clustering/multiscale.hpp"
#include "bre/language.hpp"
#include "bre/params.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "bre/v1/plugin.pb.h"
#include "bre/v1/results.pb.h"

namespace bre::clustering {

/// The grid (resolution_min, resolution_max, resolution_count), the members per grid
/// point (algorithms, seeds), the plateau criterion (min_seed_agreement,
/// min_plateau_decades, same_partition_ari), the selection (scale, target_regions,
/// plateau_rank) and the ensemble at the selected scale (members, consensus_threshold).
std::vector<v1::ParameterSpec> multiscale_parameters();

struct MultiscaleOptions {
  clustering::ResolutionProfileParameters profile;
  clustering::ScaleRequest request;
  std::int64_t members = 100;  // of the ensemble at the selected scale; 0 = none
  double consensus_threshold = 0.5;
};

/// Options from validated parameters and the step's seed. Errors name the parameter:
/// a target_regions or plateau_rank set for another scale (it would be ignored), or
/// missing for the scale that needs it, an unknown algorithm.
Expected<MultiscaleOptions> multiscale_options(const Params& params, std::uint64_t seed);

/// "scale_profile": one row per grid resolution (ids "G01", ...): resolution, regions
/// of its best partition and their range over the members, modularity, seed agreement
/// (ARI, NMI), normalised VI to the next resolution, the plateau holding it, and
/// whether it is in the selected plateau. Computed for `partition_name`; labels and
/// definitions in `language` (also those of the two tables below).
v1::IndicatorTable profile_table(const clustering::ResolutionProfile& profile,
                                 const clustering::SelectedScale& selected, const std::string& partition_name,
                                 Language language);

/// "scale_plateaus": one row per plateau (ids "S01", ..., in order of resolution):
/// resolution range, width in decades, regions, seed agreement, modularity, status,
/// width rank among the stable plateaus, selected / coarser level.
v1::IndicatorTable plateau_table(const clustering::ResolutionProfile& profile,
                                 const clustering::SelectedScale& selected, const std::string& partition_name,
                                 Language language);

/// "nesting": per region of `fine`, the region of `coarse` that holds most of its
/// municipalities (ties: the coarse region listed first) and that share. Memberships
/// over the dataset, region index = position in the partition's regions.
v1::IndicatorTable nesting_table(const v1::Partition& fine, const Membership& fine_membership,
                                 const v1::Partition& coarse, const Membership& coarse_membership,
                                 Language language);

}  // namespace bre::clustering
