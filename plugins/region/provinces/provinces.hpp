// Provinces (and the dataset's other region definitions) as partitions, the state
// divisions the BRE map is compared with (DOMAIN.md §1: "region definitions to compare
// with, not cooperation").
#pragma once

#include <string>

#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::region {

/// One region per province code found in Municipality.province_code, in order of first
/// appearance in the dataset. Region id = the province code; name = the name of the
/// Body of kind PROVINCE with that code, or the code when there is none. Municipalities
/// in dataset order; those without a province code are listed as unassigned.
/// The partition is named "provinces", its source is "region.provinces", modularity and
/// resolution are NaN. Complexity: O(n + bodies).
Expected<v1::Partition> provinces_partition(const DatasetIndex& index);

/// The dataset's region definition called `name` as a partition (see
/// bre::partition_from_definition). Without a region definition of that name, the
/// arrangements of the division `name` (Arrangement.division: a Regio Atlas division
/// such as "GGD's" or "Veiligheidsregio's", imported as cooperation) make one: a region
/// per arrangement (id and name the arrangement's), in dataset order. Errors: neither a
/// definition nor a division of that name (the message lists both), a cover with
/// overlapping regions, unknown codes. Complexity: O(n + arrangements' memberships).
Expected<v1::Partition> named_definition_partition(const DatasetIndex& index, const std::string& name);

}  // namespace bre::region
