// Pairwise comparison of the partitions a step receives (DOMAIN.md §2), as artifacts:
// one PartitionComparison per pair and two tables, "partitions" (quality of each) and
// "comparison" (one row per pair). The measures live in bre/compare.hpp.
#pragma once

#include <string>
#include <vector>

#include "bre/language.hpp"
#include "bre/compare.hpp"
#include "bre/dataset.hpp"
#include "bre/graph.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

/// Compares every pair of `partitions` (in order) over the dataset's municipalities:
/// modularity on `ties` at `parameters.resolution`, contiguity on the dataset's map.
/// Appends the comparisons, the tables and warnings (a dataset without adjacency has
/// no contiguity: NaN and a warning), their texts in `language`, to `out`. Errors: those of compare_pairwise()
/// and of map_adjacency_graph(). Complexity: O(p² (n + m + m_map)) for p partitions.
Status compare_partitions_into(const DatasetIndex& index, const Graph& ties,
                               const std::vector<v1::Partition>& partitions, ComparisonParameters parameters,
                               Language language, v1::Artifacts& out);

}  // namespace bre::indicator
