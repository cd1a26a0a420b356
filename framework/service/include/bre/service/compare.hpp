// Side-by-side comparison of two partitions of the same municipalities, as
// ComparePartitions returns it (DOMAIN.md §2).
#pragma once

#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::service {

/// NMI, adjusted Rand index and variation of information (bre/partition.hpp, over the
/// municipalities assigned in both), and for every region of `a`, in order, the region
/// of `b` with the largest Jaccard index |A ∩ B| / |A ∪ B| (the first in `b`'s order
/// on a tie; empty id and 0 when it overlaps none). Errors: a partition that names an
/// unknown municipality or puts one in two regions, prefixed "a" or "b".
/// O(n + ka * kb) for n municipalities and ka, kb regions.
Expected<v1::PartitionComparison> compare_partitions(const DatasetIndex& index, const v1::Partition& a,
                                                     const v1::Partition& b);

}  // namespace bre::service
