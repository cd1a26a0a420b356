// The partition map (DOMAIN.md §2, the study's Figure 3a) as a document.
#pragma once

#include "bre/dataset.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::report {

/// The document "partition.svg" (image/svg+xml): render_partition_map of `partition`
/// over the dataset, titled by map::partition_map_title (in options.language).
/// Errors: those
/// of render_partition_map. Complexity: that of the renderer.
Expected<v1::Document> partition_map_document(const DatasetIndex& index, const v1::Partition& partition,
                                              const map::PartitionMapOptions& options);

}  // namespace bre::report
