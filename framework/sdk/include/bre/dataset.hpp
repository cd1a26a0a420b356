// Reading, writing, validating and indexing a bre.v1.Dataset.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bre/export.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre BRE_SDK_API {

enum class DatasetFormat { kBinary, kJson };

/// Bounds of the numbers a valid dataset holds (docs/input-limits.md). Each is far
/// beyond any real territory, and small enough that sums, products and squares of
/// them over a whole dataset stay finite doubles and in range of int64, so no step
/// can overflow on a dataset that passed check_dataset.
struct DatasetBounds {
  /// |x| and |y| of every point, in metres: 100,000 km, 2.5 times the Earth's
  /// circumference, so any projected plane of the Earth fits (RD New spans 0..300 km).
  static constexpr double kMaxCoordinateMetres = 1e8;
  /// Inhabitants of one municipality: more than live on Earth.
  static constexpr std::int64_t kMaxPopulation = 10'000'000'000;
  /// Land area of one municipality in km²: twice the Earth's surface.
  static constexpr double kMaxAreaKm2 = 1e9;
  /// Persons of one commuting flow (what the commuting importer accepts, 10^9 thousand).
  static constexpr double kMaxPersons = 1e12;
  /// Length of one shared border in metres: 25 times the Earth's circumference.
  static constexpr double kMaxBorderMetres = 1e9;
  /// Magnitude of an area indicator value.
  static constexpr double kMaxIndicatorMagnitude = 1e15;
};

/// Format from the file name: ".json" is JSON, anything else binary protobuf.
DatasetFormat format_from_path(const std::string& path);

/// The largest dataset file read_dataset reads by default: binary protobuf up to
/// 2 GiB - 1 byte, the most protobuf parses; JSON up to 1 GiB, whose binary form
/// (at most 1.5 times the text) stays below that (docs/input-limits.md).
inline constexpr std::uint64_t kMaxBinaryDatasetBytes = 2147483647;
inline constexpr std::uint64_t kMaxJsonDatasetBytes = std::uint64_t{1} << 30;

/// Reads a dataset from a regular file (read_file: a FIFO, device or directory is
/// refused without reading) of at most `max_bytes` (0: the default of its format).
/// Errors name the file and what was wrong (not a regular file, too large, corrupt
/// protobuf, JSON syntax error with line and column, unknown field, wrong type).
Expected<v1::Dataset> read_dataset(const std::string& path, std::uint64_t max_bytes = 0);

/// Parses a dataset from the bytes of a file in `format`; errors name `source_name`
/// as read_dataset's name the path. Content over the default size of its format is
/// refused (protobuf cannot parse it). O(size of the content).
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
/// case municipalities); finite non-negative numbers within DatasetBounds; Likert
/// values 0..5; regions of a non-cover definition disjoint; geometry: every centroid
/// and polygon point finite and within ±DatasetBounds::kMaxCoordinateMetres, a
/// geometry that is present has at least one polygon, and every ring (outer or hole)
/// at least three points ("municipalities[12].centroid.x: expected a finite coordinate
/// within ±1e+08 m, found nan").
std::vector<std::string> validate_dataset(const v1::Dataset& dataset, std::size_t* total_problems = nullptr);

/// validate_dataset as a Status: the first problem, and how many there are.
Status check_dataset(const v1::Dataset& dataset);

/// Whether `text` is a calendar date written YYYY-MM-DD (ISO 8601, years 1000-9999,
/// leap years counted): the form of Arrangement.start_date and end_date. Such dates
/// compare as text in calendar order. Complexity: O(1).
bool is_iso_date(std::string_view text);

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
