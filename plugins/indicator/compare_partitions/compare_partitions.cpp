#include "compare_partitions.hpp"

#include <utility>

#include "bre/region_constraints.hpp"

namespace bre::indicator {

Status compare_partitions_into(const DatasetIndex& index, const Graph& ties,
                               const std::vector<v1::Partition>& partitions, ComparisonParameters parameters,
                               Language language, v1::Artifacts& out) {
  Expected<Graph> map = map_adjacency_graph(index);
  if (!map) return map.status();
  Expected<PairwiseComparison> result = compare_pairwise(index, ties, *map, partitions, parameters);
  if (!result) return result.status();
  std::string names;
  for (const v1::Partition& partition : partitions) names += (names.empty() ? "" : ", ") + partition.name();
  v1::IndicatorTable summary = partition_summary_table(result->summaries, parameters.resolution, language);
  summary.set_partition_name(names);
  v1::IndicatorTable pairs = comparison_table(result->comparisons, language);
  pairs.set_partition_name(names);
  *out.add_tables() = std::move(summary);
  *out.add_tables() = std::move(pairs);
  for (v1::PartitionComparison& comparison : result->comparisons) *out.add_comparisons() = std::move(comparison);
  if (map->edge_count() == 0) {
    out.add_warnings(text_in(language,
                             "de dataset heeft geen buurrelaties (Dataset.adjacency is leeg), dus de "
                             "aaneengeslotenheid is onbekend (NaN)",
                             "the dataset has no adjacency (Dataset.adjacency is empty), so contiguity is not known "
                             "(NaN)"));
  }
  return Status::ok();
}

}  // namespace bre::indicator
