#include "ensemble.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "clustering_plugin.hpp"
#include "indicator_table.hpp"

namespace bre::clustering {

std::vector<v1::ParameterSpec> ensemble_parameters() {
  return {
      int_param("members", 100, 1, 100000,
                "Ensemble members N; member i runs algorithm i mod A at resolution (i / A) mod R with its own "
                "seed derived from the step seed and i."),
      string_list_param("algorithms", {"leiden"}, {"leiden", "louvain", "label_propagation"},
                        "Native algorithms the members cycle through.", 1),
      double_param("resolution_min", 1.0, 1e-9, 100.0, "Smallest modularity resolution of the members."),
      double_param("resolution_max", 1.0, 1e-9, 100.0, "Largest modularity resolution (>= resolution_min)."),
      int_param("resolution_steps", 1, 1, 1000,
                "Number of resolutions, evenly spaced from resolution_min to resolution_max."),
      double_param("consensus_threshold", 0.5, 0.0, 0.99,
                   "Co-assignment share below which a tie is left out of the consensus graph "
                   "(Lancichinetti & Fortunato 2012)."),
  };
}

Expected<clustering::CommunityDetectionList> algorithms_from(const Params& params) {
  clustering::CommunityDetectionList algorithms;
  for (const std::string& name : params.get_string_list("algorithms")) {
    Expected<std::shared_ptr<const clustering::CommunityDetection>> algorithm = clustering::parse_algorithm(name);
    if (!algorithm) return algorithm.status().with_context("parameter 'algorithms'");
    algorithms.push_back(*algorithm);
  }
  return algorithms;
}

Expected<clustering::EnsembleParameters> ensemble_options(const Params& params, std::uint64_t seed) {
  clustering::EnsembleParameters options;
  options.members = params.get_int("members");
  Expected<clustering::CommunityDetectionList> algorithms = algorithms_from(params);
  if (!algorithms) return algorithms.status();
  options.algorithms = std::move(*algorithms);
  const double low = params.get_double("resolution_min");
  const double high = params.get_double("resolution_max");
  const std::int64_t steps = params.get_int("resolution_steps");
  if (high < low) {
    return invalid_argument("parameter 'resolution_max': expected a value >= resolution_min = " +
                            std::to_string(low) + ", found " + std::to_string(high));
  }
  options.resolutions.clear();
  for (std::int64_t s = 0; s < steps; ++s) {
    options.resolutions.push_back(steps == 1 ? low
                                             : low + (high - low) * static_cast<double>(s) /
                                                         static_cast<double>(steps - 1));
  }
  options.consensus_threshold = params.get_double("consensus_threshold");
  options.seed = seed;
  return options;
}

v1::IndicatorTable confidence_table(const v1::Partition& partition, const Membership& membership,
                                    const std::vector<double>& confidence, Language language) {
  v1::IndicatorTable table;
  table.set_name("membership_confidence");
  table.set_partition_name(partition.name());
  const int municipalities = indicator::add_column(
      table, language, "municipalities", {"Gemeenten", "Municipalities"}, "count",
      {"Gemeenten in de consensusregio.", "Municipalities in the consensus region."});
  const int mean = indicator::add_column(
      table, language, "mean_confidence", {"Gemiddelde lidmaatschapszekerheid", "Mean membership confidence"},
      "share",
      {"Gemiddelde over de gemeenten van de regio van het aandeel ensembleleden waarin de gemeente bij haar "
       "consensusregio hoort (DOMAIN.md §2).",
       "Mean over the region's municipalities of the share of ensemble members in which the municipality sits "
       "with its consensus region (DOMAIN.md §2)."});
  const int lowest = indicator::add_column(
      table, language, "min_confidence", {"Laagste lidmaatschapszekerheid", "Lowest membership confidence"},
      "share",
      {"De minst zekere gemeente van de regio (DOMAIN.md §2).",
       "The least certain municipality of the region (DOMAIN.md §2)."});
  const auto fill = [&](v1::IndicatorRow& row, double count, double sum, double minimum) {
    row.set_values(municipalities, count);
    row.set_values(mean, count > 0 ? sum / count : indicator::kNaN);
    row.set_values(lowest, count > 0 ? minimum : indicator::kNaN);
  };
  const std::size_t regions = static_cast<std::size_t>(partition.regions_size());
  std::vector<double> count(regions, 0.0);
  std::vector<double> sum(regions, 0.0);
  std::vector<double> minimum(regions, std::numeric_limits<double>::infinity());
  double all_count = 0.0;
  double all_sum = 0.0;
  double all_minimum = std::numeric_limits<double>::infinity();
  for (std::size_t v = 0; v < membership.size(); ++v) {
    if (membership[v] == kUnassigned) continue;
    const std::size_t r = static_cast<std::size_t>(membership[v]);
    count[r] += 1.0;
    sum[r] += confidence[v];
    minimum[r] = std::min(minimum[r], confidence[v]);
    all_count += 1.0;
    all_sum += confidence[v];
    all_minimum = std::min(all_minimum, confidence[v]);
  }
  for (std::size_t r = 0; r < regions; ++r) {
    const v1::Region& region = partition.regions(static_cast<int>(r));
    fill(indicator::add_row(table, region.id(), region.name()), count[r], sum[r], minimum[r]);
  }
  fill(indicator::add_row(table, "NL", text_in(language, "Alle ingedeelde gemeenten", "All assigned municipalities"),
                          /*summary=*/true),
       all_count, all_sum, all_minimum);
  return table;
}

Expected<Membership> emit_consensus(const StepContext& context, const Graph& graph,
                                    const clustering::Ensemble& ensemble, const std::string& plugin_name,
                                    double resolution, v1::Artifacts& out) {
  // The confidence follows the regions as constrained (min_region_size, enforce_contiguity).
  Expected<Membership> membership =
      emit_clustering_partition(context, graph, ensemble.consensus(), plugin_name, resolution, out);
  if (!membership) return membership.status();
  v1::Partition& partition = *out.mutable_partitions(out.partitions_size() - 1);
  const DatasetIndex& index = context.dataset();
  const std::vector<double>& confidence = ensemble.confidence();
  for (std::size_t v = 0; v < membership->size(); ++v) {
    if ((*membership)[v] == kUnassigned) continue;
    v1::MunicipalityValue* value = partition.add_membership_confidence();
    value->set_municipality_code(index.municipality_at(v).code());
    value->set_value(confidence[v]);
  }
  *out.add_tables() = confidence_table(partition, *membership, confidence, run_language(context));
  return membership;
}

}  // namespace bre::clustering
