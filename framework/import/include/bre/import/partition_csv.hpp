// The partition CSV that `bre run` writes for every partition (<step>.partition.csv),
// read back by `bre map` and `bre compare`.
#pragma once

#include <string>
#include <string_view>

#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::import {

/// Parses a partition CSV: the header region_id,region_name,municipality_code,
/// municipality_name, then one record per municipality; an empty region_id marks an
/// unassigned municipality. Every code must be a municipality of `index`'s dataset and
/// appear once, a region keeps one name, and at least one region is needed. Errors
/// name `file` and the line, what was expected and what was found. The partition is
/// named after the file (without .partition.csv or .csv); modularity and resolution
/// are unknown (NaN).
Expected<v1::Partition> parse_partition_csv(std::string_view text, const std::string& file, const DatasetIndex& index);

/// Reads and parses the partition CSV at `path` (see parse_partition_csv); the
/// partition's source is `path`.
Expected<v1::Partition> read_partition_csv(const std::string& path, const DatasetIndex& index);

}  // namespace bre::import
