// clustering.ensemble's parameters, their mapping onto bre::clustering::Ensemble, and
// the per-region confidence table (DOMAIN.md §2).
#pragma once

#include <cstdint>
#include <vector>

#include "bre/clustering/ensemble.hpp"
#include "bre/language.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"
#include "bre/v1/plugin.pb.h"
#include "bre/v1/results.pb.h"

namespace bre::clustering {

/// members, algorithms, resolution_min, resolution_max, resolution_steps,
/// consensus_threshold (network and seed parameters come next to them).
std::vector<v1::ParameterSpec> ensemble_parameters();

/// The validated "algorithms" parameter as algorithms; an error names the parameter.
Expected<clustering::CommunityDetectionList> algorithms_from(const Params& params);

/// EnsembleParameters from validated parameters and the step's seed. The resolutions
/// are resolution_steps values evenly spaced from resolution_min to resolution_max
/// (both included; one step = resolution_min). Errors name the parameter
/// (resolution_max below resolution_min, an unknown algorithm).
Expected<clustering::EnsembleParameters> ensemble_options(const Params& params, std::uint64_t seed);

/// The table "membership_confidence" for `partition` (regions in its order, labels of
/// `membership` = region index): per region the number of municipalities, the mean
/// and the minimum membership confidence; summary row "NL" over all assigned
/// municipalities. `confidence` is per node. O(n).
v1::IndicatorTable confidence_table(const v1::Partition& partition, const Membership& membership,
                                    const std::vector<double>& confidence, Language language);

/// Appends an ensemble's result to a step's output: the consensus as the step's
/// partition (emit_clustering_partition: untied municipalities unassigned, region
/// constraints applied, modularity at `resolution`), each assigned municipality's
/// membership confidence on it, and its confidence_table. Returns the partition's
/// membership over the dataset. Errors carry the step's name.
Expected<Membership> emit_consensus(const StepContext& context, const Graph& graph,
                                    const clustering::Ensemble& ensemble, const std::string& plugin_name,
                                    double resolution, v1::Artifacts& out);

}  // namespace bre::clustering
