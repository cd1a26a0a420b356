// A partition with its attributes, in the formats GIS programs open: GeoJSON and
// GeoPackage, written through GDAL/OGR (docs/export.md).
//
// The municipalities layer has one feature per municipality of the dataset (the
// partition's order: region by region, members in their order, then the unassigned in
// the dataset's order) with its code and name, its region's id and name, its membership
// confidence when the partition has one, and every column of the per-region indicator
// tables given. The regions layer has one feature per region: the union of its members'
// polygons (GEOS through OGR), its id, name, member count and the same indicators.
// Attribute names are the column ids made safe for GIS (gis_field_names); numeric
// columns are reals, categorical ones the category's label; NaN is null.
//
// Coordinates are the dataset's EPSG:28992 (RD New) metres, or transformed to WGS 84
// (EPSG:4326, longitude then latitude) by PROJ through OGR. GeoJSON is written with a
// fixed precision (3 decimals in RD, 9 in WGS 84: about 0.1 mm) and fixed feature and
// attribute order, so the same inputs give the same bytes; a GeoPackage holds the time
// it was written (gpkg_contents.last_change), so only its content repeats.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/pipeline.pb.h"
#include "bre/v1/results.pb.h"

namespace bre::gis {

enum class GisFormat { kGeoJson, kGeoPackage };

/// The format a file name asks for: .geojson → GeoJSON, .gpkg → GeoPackage,
/// in any letter case. Anything else is an error naming the path and both extensions.
Expected<GisFormat> gis_format_from_path(const std::string& path);

/// The coordinate systems bre writes: RD New, the dataset's own, and WGS 84.
inline constexpr int kRdNew = 28992;
inline constexpr int kWgs84 = 4326;

/// Parses "28992" / "4326" (an "EPSG:" prefix is allowed).
Expected<int> parse_epsg(const std::string& text);

/// GeoPackage column names may be at most 63 bytes (the OGC spec's limit on the names
/// GDAL writes to gpkg_data_columns; SQLite itself has none).
inline constexpr std::size_t kMaxFieldName = 63;

/// Attribute names safe for every GIS format bre writes, in the order given: lower-case
/// ASCII letters, digits and '_' (any other byte or run of them becomes one '_', none
/// leads or trails), starting with a letter ("f_" before a leading digit, "field" for
/// nothing left), at most kMaxFieldName bytes, and unique: a name already taken (or
/// "fid" and "geom", which the GeoPackage uses itself) gets "_2", "_3", ... within the
/// limit. Complexity: O(total length × clashes).
std::vector<std::string> gis_field_names(const std::vector<std::string>& wanted);

/// The partition of a run to export and the per-region tables computed for it.
struct RunPartition {
  v1::Partition partition;
  std::vector<v1::IndicatorTable> tables;         // one row per region, in run order
  std::vector<std::string> skipped_tables;        // tables of the partition that are not per region
};

/// The partition named `name` of the run's succeeded steps ("" = the first partition
/// of a clustering step, else the first partition), with every table whose
/// partition_name is that name. A table counts as per region when it has rows and
/// each row's region_id is one of the partition's regions (a table per municipality
/// or per indicator is listed in skipped_tables). Errors name `source` and list the
/// partitions the run has. Complexity: O(steps + table rows × log regions).
Expected<RunPartition> find_run_partition(const v1::RunResult& run, const std::string& name,
                                          const std::string& source);

struct GisExportOptions {
  GisFormat format = GisFormat::kGeoPackage;
  int epsg = kRdNew;  // kRdNew or kWgs84
  /// GeoJSON holds one layer: municipalities (false) or the dissolved regions (true).
  /// A GeoPackage always holds both.
  bool geojson_regions = false;
  /// GeoPackage: the time recorded as gpkg_contents.last_change (GDAL's
  /// OGR_CURRENT_DATE, "2024-01-31T12:00:00.000Z"); empty = the time of writing.
  std::string fixed_time;
};

/// One export as a user asks for it: the file (its extension the format), an EPSG code
/// (0 = the format's default: RD New for GeoPackage, WGS 84 for GeoJSON) and the
/// GeoJSON layer ("" = municipalities).
struct ExportRequest {
  std::string file;
  int epsg = 0;
  std::string layer;
};

/// How errors name the request's parts: the flags of `bre export` ("--out", "--crs",
/// "--layer") or the fields of a pipeline spec ("exports[0].file", ...).
struct ExportRequestNames {
  std::string file;
  std::string crs;
  std::string layer;
};

/// The options `request` asks for, or an error naming the part: an extension other than
/// .gpkg or .geojson, a CRS other than 28992 and 4326, WGS 84 in a GeoPackage, a layer
/// other than municipalities and regions, or a layer for a GeoPackage.
Expected<GisExportOptions> export_options(const ExportRequest& request, const ExportRequestNames& names);

/// The time a run's GeoPackages record, so that the same run gives the same bytes.
inline constexpr const char* kRunExportTime = "1970-01-01T00:00:00.000Z";

/// Checks the "exports" of a pipeline spec before it runs: each file a plain name
/// (NAME.gpkg or NAME.geojson) given once, the CRS and layer as export_options takes
/// them, the partition a step of the spec ("<step>" or "<step>_coarser"). Errors name
/// `source` and the field ("pipeline.json: exports[1].partition: ...").
Status check_run_exports(const v1::PipelineSpec& spec, const std::string& source);

/// The GIS files the run's pipeline asks for (manifest.pipeline.exports), file name →
/// bytes, each written by export_partition (GeoPackages with kRunExportTime) into a
/// temporary directory and read back; for bre/writers.hpp's write_run_outputs. Errors
/// name the export (a partition the run does not have, a failed step's).
Expected<std::map<std::string, std::string>> export_run_files(const v1::RunResult& run, const DatasetIndex& index);

struct GisExportSummary {
  std::size_t municipalities = 0;  // features of the municipalities layer
  std::size_t regions = 0;         // features of the regions layer
  std::vector<std::string> layers;
  std::vector<std::string> attributes;  // the indicator attributes, as written
};

/// Writes `partition` of the dataset behind `index` to `path` with the attributes of
/// `tables` (per-region tables of that partition, see find_run_partition). The file is
/// written beside `path` under a temporary name and renamed into place: on any error
/// nothing is left, and an existing file is replaced only by a complete one. Errors
/// name the path (a directory that is not writable, a geometry GEOS cannot union).
/// Complexity: O(V log V) for V polygon vertices (the union), plus the transformation.
Expected<GisExportSummary> export_partition(const DatasetIndex& index, const v1::Partition& partition,
                                            const std::vector<v1::IndicatorTable>& tables, const std::string& path,
                                            const GisExportOptions& options);

}  // namespace bre::gis
