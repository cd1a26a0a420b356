// Reading, writing, validating and indexing a bre.v1.Dataset.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre {

enum class DatasetFormat { kBinary, kJson };

/// Format from the file name: ".json" is JSON, anything else binary protobuf.
DatasetFormat format_from_path(const std::string& path);

/// Reads a dataset. Errors name the file and what was wrong (corrupt protobuf,
/// JSON syntax error with position, unknown field, wrong type).
Expected<v1::Dataset> read_dataset(const std::string& path);

/// Parses a dataset from the bytes of a file in `format`; errors name `source_name`
/// as read_dataset's name the path. O(size of the content).
Expected<v1::Dataset> parse_dataset(std::string_view content, const std::string& source_name, DatasetFormat format);

/// Writes a dataset atomically (temporary file, then rename), in the format the file
/// name asks for. Binary output uses deterministic serialisation.
Status write_dataset(const v1::Dataset& dataset, const std::string& path);

/// Problems in a dataset, each naming the field path and, when the element records
/// it, its source line ("arrangements[12] (opengr.csv:40).municipality_codes[3]:
/// unknown municipality code 'GM9999'"). Empty means valid. At most 1000 are listed
/// (then a line "... and N more"); `total_problems`, when given, receives the count.
/// Checks: at least one municipality; unique, non-empty codes; known references
/// (province bodies of kind PROVINCE, participants, flows, indicator values, survey bodies and items,
/// case municipalities); finite non-negative numbers; Likert values 0..5; regions of
/// a non-cover definition disjoint.
std::vector<std::string> validate_dataset(const v1::Dataset& dataset, std::size_t* total_problems = nullptr);

/// validate_dataset as a Status: the first problem, and how many there are.
Status check_dataset(const v1::Dataset& dataset);

/// SHA-256 (hex) of the deterministic binary serialisation; recorded in manifests.
std::string dataset_sha256(const v1::Dataset& dataset);

/// Read-only lookups over a dataset that plugins share. Cheap to query, built once
/// per run. The dataset must outlive the index.
class DatasetIndex {
 public:
  explicit DatasetIndex(const v1::Dataset& dataset);

  const v1::Dataset& dataset() const { return *dataset_; }
  std::size_t municipality_count() const { return static_cast<std::size_t>(dataset_->municipalities_size()); }
  /// Index of a municipality in dataset().municipalities(), if the code exists.
  std::optional<std::size_t> municipality(std::string_view code) const;
  /// Index of a body in dataset().bodies(), if the code exists.
  std::optional<std::size_t> body(std::string_view code) const;
  const v1::Municipality& municipality_at(std::size_t i) const { return dataset_->municipalities(static_cast<int>(i)); }

 private:
  const v1::Dataset* dataset_;
  std::unordered_map<std::string, std::size_t> municipality_by_code_;
  std::unordered_map<std::string, std::size_t> body_by_code_;
};

}  // namespace bre
