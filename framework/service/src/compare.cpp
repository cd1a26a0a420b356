#include "bre/service/compare.hpp"

#include <vector>

#include "bre/partition.hpp"

namespace bre::service {

Expected<v1::PartitionComparison> compare_partitions(const DatasetIndex& index, const v1::Partition& a,
                                                     const v1::Partition& b) {
  auto membership_a = membership_of(index, a);
  if (!membership_a) return membership_a.status().with_context("a");
  auto membership_b = membership_of(index, b);
  if (!membership_b) return membership_b.status().with_context("b");

  v1::PartitionComparison out;
  out.set_partition_a(a.name());
  out.set_partition_b(b.name());
  out.set_nmi(normalized_mutual_information(*membership_a, *membership_b));
  out.set_adjusted_rand(adjusted_rand_index(*membership_a, *membership_b));
  out.set_variation_of_information(variation_of_information(*membership_a, *membership_b));

  const std::size_t ka = static_cast<std::size_t>(a.regions_size()), kb = static_cast<std::size_t>(b.regions_size());
  std::vector<std::size_t> size_a(ka, 0), size_b(kb, 0), overlap(ka * kb, 0);
  for (std::size_t node = 0; node < membership_a->size(); ++node) {
    const auto ra = (*membership_a)[node], rb = (*membership_b)[node];
    if (ra != kUnassigned) ++size_a[static_cast<std::size_t>(ra)];
    if (rb != kUnassigned) ++size_b[static_cast<std::size_t>(rb)];
    if (ra != kUnassigned && rb != kUnassigned) ++overlap[static_cast<std::size_t>(ra) * kb + static_cast<std::size_t>(rb)];
  }
  for (std::size_t i = 0; i < ka; ++i) {
    auto* match = out.add_matches_a_to_b();
    match->set_region_id(a.regions(static_cast<int>(i)).id());
    double best = 0.0;
    for (std::size_t j = 0; j < kb; ++j) {
      const std::size_t common = overlap[i * kb + j];
      if (common == 0) continue;
      const double jaccard = static_cast<double>(common) / static_cast<double>(size_a[i] + size_b[j] - common);
      if (jaccard > best) {
        best = jaccard;
        match->set_best_match_region_id(b.regions(static_cast<int>(j)).id());
      }
    }
    match->set_jaccard(best);
  }
  return out;
}

}  // namespace bre::service
