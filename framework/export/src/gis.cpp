#include "bre/export/gis.hpp"

#include <cpl_error.h>
#include <cpl_string.h>
#include <fcntl.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "bre/io.hpp"

namespace bre::gis {
namespace {

namespace fs = std::filesystem;

bool is_ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string without_trailing_underscores(std::string name) {
  while (!name.empty() && name.back() == '_') name.pop_back();
  return name;
}

// One name made safe, before uniqueness is settled.
std::string gis_name(const std::string& text) {
  std::string name;
  for (const unsigned char c : text) {
    if (is_ascii_alnum(c)) {
      name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    } else if (!name.empty() && name.back() != '_') {
      name += '_';
    }
  }
  name = without_trailing_underscores(std::move(name));
  if (name.empty()) name = "field";
  if (name[0] >= '0' && name[0] <= '9') name = "f_" + name;
  if (name.size() > kMaxFieldName) name = without_trailing_underscores(name.substr(0, kMaxFieldName));
  return name;
}

// GDAL reports errors through a handler that prints them; bre reports them itself,
// with the path, so they are kept quiet while one export runs.
class QuietGdalErrors {
 public:
  QuietGdalErrors() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~QuietGdalErrors() { CPLPopErrorHandler(); }
  QuietGdalErrors(const QuietGdalErrors&) = delete;
  QuietGdalErrors& operator=(const QuietGdalErrors&) = delete;
};

std::string gdal_reason() {
  const char* message = CPLGetLastErrorMsg();
  return message != nullptr && *message != '\0' ? message : "GDAL gave no reason";
}

void register_drivers() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

// A directory beside the target that the file is written in, removed with whatever is
// left in it unless the file was moved out.
class StagingDirectory {
 public:
  static Expected<StagingDirectory> create(const std::string& target) {
    const fs::path path(target);
    const fs::path parent = path.has_parent_path() ? path.parent_path() : fs::path(".");
    std::string pattern = (parent / temporary_name_pattern(path.filename().string())).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return invalid_argument(target + ": cannot create a temporary directory in " + parent.string() + ": " +
                              std::strerror(errno));
    }
    return StagingDirectory(pattern, (fs::path(pattern) / path.filename()).string());
  }
  StagingDirectory(StagingDirectory&& other) noexcept
      : directory_(std::exchange(other.directory_, "")), file_(std::move(other.file_)) {}
  StagingDirectory& operator=(StagingDirectory&&) = delete;
  ~StagingDirectory() {
    std::error_code ignored;
    if (!directory_.empty()) fs::remove_all(directory_, ignored);
  }
  const std::string& file() const { return file_; }

  // Flushes the written file and renames it to `target`.
  Status publish(const std::string& target) const {
    const int fd = ::open(file_.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) {
      const std::string reason = std::strerror(errno);
      if (fd >= 0) ::close(fd);
      return internal_error(target + ": cannot flush: " + reason);
    }
    ::close(fd);
    if (::rename(file_.c_str(), target.c_str()) != 0) {
      return invalid_argument(target + ": cannot rename the temporary file into place: " + std::strerror(errno));
    }
    return Status::ok();
  }

 private:
  StagingDirectory(std::string directory, std::string file) : directory_(std::move(directory)), file_(std::move(file)) {}
  std::string directory_;
  std::string file_;
};

struct GdalDatasetCloser {
  void operator()(GDALDataset* dataset) const { GDALClose(dataset); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetCloser>;

struct TransformationDeleter {
  void operator()(OGRCoordinateTransformation* transformation) const {
    OGRCoordinateTransformation::DestroyCT(transformation);
  }
};
using TransformationPtr = std::unique_ptr<OGRCoordinateTransformation, TransformationDeleter>;

Expected<OGRSpatialReference> spatial_reference(int epsg) {
  OGRSpatialReference srs;
  if (srs.importFromEPSG(epsg) != OGRERR_NONE) {
    return internal_error("EPSG:" + std::to_string(epsg) + " is not known to PROJ: " + gdal_reason());
  }
  // x = easting or longitude, as GeoJSON and GeoPackage store them.
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

std::unique_ptr<OGRMultiPolygon> to_ogr(const v1::MultiPolygon& geometry) {
  auto multi = std::make_unique<OGRMultiPolygon>();
  const auto ring_of = [](const v1::Ring& ring) {
    auto out = std::make_unique<OGRLinearRing>();
    out->setNumPoints(ring.points_size() + 1);
    for (int i = 0; i < ring.points_size(); ++i) out->setPoint(i, ring.points(i).x(), ring.points(i).y());
    if (ring.points_size() > 0) out->setPoint(ring.points_size(), ring.points(0).x(), ring.points(0).y());
    return out;
  };
  for (const v1::Polygon& polygon : geometry.polygons()) {
    auto ogr_polygon = std::make_unique<OGRPolygon>();
    ogr_polygon->addRingDirectly(ring_of(polygon.outer()).release());
    for (const v1::Ring& hole : polygon.holes()) ogr_polygon->addRingDirectly(ring_of(hole).release());
    multi->addGeometryDirectly(ogr_polygon.release());
  }
  return multi;
}

// The union of a region's member polygons. GEOS refuses some invalid input (rings that
// cross themselves, overlapping members); those are made valid first.
Expected<OGRGeometryUniquePtr> dissolve(const OGRMultiPolygon& members, const std::string& region_id) {
  if (members.IsEmpty()) return OGRGeometryUniquePtr();
  OGRGeometryUniquePtr merged(members.UnionCascaded());
  if (!merged) {
    OGRGeometryUniquePtr valid(members.MakeValid());
    if (valid) {
      OGRGeometryUniquePtr polygons(OGRGeometryFactory::forceToMultiPolygon(valid.release()));
      if (polygons && wkbFlatten(polygons->getGeometryType()) == wkbMultiPolygon) {
        merged.reset(polygons->toMultiPolygon()->UnionCascaded());
      }
    }
  }
  if (!merged) return invalid_argument("region " + region_id + ": the union of its municipalities failed: " + gdal_reason());
  return OGRGeometryUniquePtr(OGRGeometryFactory::forceToMultiPolygon(merged.release()));
}

// One attribute: where its values come from and how they are written.
struct Attribute {
  std::string name;
  const v1::IndicatorTable* table = nullptr;
  int column = 0;
  bool categorical = false;
};

// Per region id, the row of each table (nullptr where a table has none).
using RowsByRegion = std::map<std::string, std::vector<const v1::IndicatorRow*>>;

class Writer {
 public:
  Writer(const DatasetIndex& index, const v1::Partition& partition, const std::vector<v1::IndicatorTable>& tables,
         const GisExportOptions& options, std::string path)
      : index_(index), partition_(partition), tables_(tables), options_(options), path_(std::move(path)) {}

  Expected<GisExportSummary> write(const std::string& file) {
    plan_attributes();
    auto rd = spatial_reference(kRdNew);
    if (!rd) return rd.status();
    auto target = spatial_reference(options_.epsg);
    if (!target) return target.status();
    if (options_.epsg != kRdNew) {
      transformation_.reset(OGRCreateCoordinateTransformation(&*rd, &*target));
      if (!transformation_) return internal_error(path_ + ": no transformation from EPSG:28992 to EPSG:" +
                                                  std::to_string(options_.epsg) + ": " + gdal_reason());
    }
    const bool geojson = options_.format == GisFormat::kGeoJson;
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(geojson ? "GeoJSON" : "GPKG");
    if (driver == nullptr) return internal_error(path_ + ": this GDAL has no " + (geojson ? "GeoJSON" : "GPKG") + " driver");
    DatasetPtr dataset(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!dataset) return invalid_argument(path_ + ": cannot create: " + gdal_reason());
    if (!geojson && dataset->StartTransaction() != OGRERR_NONE) return failure("cannot start a transaction");

    GisExportSummary summary;
    if (!geojson || !options_.geojson_regions) {
      BRE_RETURN_IF_ERROR(write_municipalities(*dataset, *target, summary));
      summary.layers.push_back("municipalities");
    }
    if (!geojson || options_.geojson_regions) {
      BRE_RETURN_IF_ERROR(write_regions(*dataset, *target, summary));
      summary.layers.push_back("regions");
    }
    if (!geojson && dataset->CommitTransaction() != OGRERR_NONE) return failure("cannot commit");
    // GDAL writes the rest of the file when the dataset closes.
    CPLErrorReset();
    GDALClose(dataset.release());
    if (CPLGetLastErrorType() >= CE_Failure) {
      return failure("cannot finish the file");
    }
    for (const Attribute& attribute : attributes_) summary.attributes.push_back(attribute.name);
    return summary;
  }

 private:
  Status failure(const std::string& what) const { return internal_error(path_ + ": " + what + ": " + gdal_reason()); }

  // The names of both layers' attributes, settled together so that an indicator keeps
  // its name in both and never takes a fixed attribute's.
  void plan_attributes() {
    std::vector<std::string> wanted = {"municipality_code", "municipality_name", "region_id", "region_name",
                                       "municipalities"};
    has_confidence_ = partition_.membership_confidence_size() > 0;
    if (has_confidence_) wanted.push_back("membership_confidence");
    const std::size_t fixed = wanted.size();
    for (const v1::IndicatorTable& table : tables_) {
      for (int c = 0; c < table.columns_size(); ++c) {
        const std::string& id = table.columns(c).id();
        // congruence.congruence_c1 reads as congruence_c1, dus.self_containment as dus_self_containment.
        const bool prefixed = id == table.name() || id.rfind(table.name() + "_", 0) == 0;
        wanted.push_back(prefixed ? id : table.name() + "_" + id);
        attributes_.push_back({"", &table, c, table.columns(c).categories_size() > 0});
      }
    }
    const std::vector<std::string> names = gis_field_names(wanted);
    fixed_names_.assign(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(fixed));
    for (std::size_t i = 0; i < attributes_.size(); ++i) attributes_[i].name = names[fixed + i];
    for (const v1::Region& region : partition_.regions()) {
      auto& rows = rows_[region.id()];
      rows.assign(tables_.size(), nullptr);
    }
    for (std::size_t t = 0; t < tables_.size(); ++t) {
      for (const v1::IndicatorRow& row : tables_[t].rows()) {
        if (auto found = rows_.find(row.region_id()); found != rows_.end()) found->second[t] = &row;
      }
    }
    for (const v1::MunicipalityValue& value : partition_.membership_confidence()) {
      confidence_[value.municipality_code()] = value.value();
    }
  }

  Status add_field(OGRLayer& layer, const std::string& name, OGRFieldType type) const {
    OGRFieldDefn definition(name.c_str(), type);
    if (layer.CreateField(&definition) != OGRERR_NONE) return failure("cannot add the attribute " + name);
    return Status::ok();
  }

  Expected<OGRLayer*> create_layer(GDALDataset& dataset, const char* name, OGRSpatialReference& srs,
                                   const std::vector<std::pair<std::string, OGRFieldType>>& fields) const {
    CPLStringList options;
    if (options_.format == GisFormat::kGeoJson) {
      // A fixed precision makes the text repeatable: 1 mm in RD, about 0.1 mm in WGS 84.
      options.SetNameValue("COORDINATE_PRECISION", options_.epsg == kWgs84 ? "9" : "3");
      if (options_.epsg == kWgs84) options.SetNameValue("RFC7946", "YES");
    }
    OGRLayer* layer = dataset.CreateLayer(name, &srs, wkbMultiPolygon, options.List());
    if (layer == nullptr) return failure(std::string("cannot create the layer ") + name);
    for (const auto& [field, type] : fields) BRE_RETURN_IF_ERROR(add_field(*layer, field, type));
    for (const Attribute& attribute : attributes_) {
      BRE_RETURN_IF_ERROR(add_field(*layer, attribute.name, attribute.categorical ? OFTString : OFTReal));
    }
    return layer;
  }

  // The indicators of `region_id` from field `first` on; a municipality in no region
  // has none.
  void set_indicators(OGRFeature& feature, int first, const std::string& region_id) const {
    const auto rows = rows_.find(region_id);
    for (std::size_t a = 0; a < attributes_.size(); ++a) {
      const int field = first + static_cast<int>(a);
      const Attribute& attribute = attributes_[a];
      const std::size_t table = static_cast<std::size_t>(&*attribute.table - tables_.data());
      const v1::IndicatorRow* row = rows == rows_.end() ? nullptr : rows->second[table];
      const double value = row != nullptr && attribute.column < row->values_size() ? row->values(attribute.column) : NAN;
      if (!std::isfinite(value)) {
        feature.SetFieldNull(field);
      } else if (attribute.categorical) {
        const auto& categories = attribute.table->columns(attribute.column).categories();
        const bool known = value >= 0 && value < categories.size() && value == std::floor(value);
        if (known) {
          feature.SetField(field, categories[static_cast<int>(value)].c_str());
        } else {
          feature.SetFieldNull(field);
        }
      } else {
        feature.SetField(field, value);
      }
    }
  }

  Status add_feature(OGRLayer& layer, OGRFeature& feature, OGRGeometryUniquePtr geometry,
                     const std::string& what) const {
    if (geometry && transformation_ && geometry->transform(transformation_.get()) != OGRERR_NONE) {
      return failure(what + ": cannot transform to EPSG:" + std::to_string(options_.epsg));
    }
    if (geometry) feature.SetGeometryDirectly(geometry.release());
    if (layer.CreateFeature(&feature) != OGRERR_NONE) return failure(what + ": cannot write");
    return Status::ok();
  }

  Status write_municipalities(GDALDataset& dataset, OGRSpatialReference& srs, GisExportSummary& summary) const {
    std::vector<std::pair<std::string, OGRFieldType>> fields = {
        {fixed_names_[0], OFTString}, {fixed_names_[1], OFTString}, {fixed_names_[2], OFTString},
        {fixed_names_[3], OFTString}};
    if (has_confidence_) fields.emplace_back(fixed_names_[5], OFTReal);
    auto layer = create_layer(dataset, "municipalities", srs, fields);
    if (!layer) return layer.status();
    const int first_indicator = static_cast<int>(fields.size());
    std::vector<bool> placed(index_.municipality_count(), false);
    const auto write_one = [&](std::size_t m, const v1::Region* region) -> Status {
      const v1::Municipality& municipality = index_.municipality_at(m);
      OGRFeatureUniquePtr feature(OGRFeature::CreateFeature((*layer)->GetLayerDefn()));
      feature->SetField(0, municipality.code().c_str());
      feature->SetField(1, municipality.name().c_str());
      if (region != nullptr) {
        feature->SetField(2, region->id().c_str());
        feature->SetField(3, region->name().c_str());
      } else {
        feature->SetFieldNull(2);
        feature->SetFieldNull(3);
      }
      if (has_confidence_) {
        const auto found = confidence_.find(municipality.code());
        if (found != confidence_.end() && std::isfinite(found->second)) {
          feature->SetField(4, found->second);
        } else {
          feature->SetFieldNull(4);
        }
      }
      set_indicators(*feature, first_indicator, region != nullptr ? region->id() : std::string());
      OGRGeometryUniquePtr geometry;
      if (municipality.geometry().polygons_size() > 0) geometry.reset(to_ogr(municipality.geometry()).release());
      ++summary.municipalities;
      return add_feature(**layer, *feature, std::move(geometry), "municipality " + municipality.code());
    };
    for (const v1::Region& region : partition_.regions()) {
      for (const std::string& code : region.municipality_codes()) {
        const auto m = index_.municipality(code);
        if (!m || placed[*m]) continue;  // the partition was checked against the dataset
        placed[*m] = true;
        BRE_RETURN_IF_ERROR(write_one(*m, &region));
      }
    }
    for (std::size_t m = 0; m < placed.size(); ++m) {
      if (!placed[m]) BRE_RETURN_IF_ERROR(write_one(m, nullptr));
    }
    return Status::ok();
  }

  Status write_regions(GDALDataset& dataset, OGRSpatialReference& srs, GisExportSummary& summary) const {
    const std::vector<std::pair<std::string, OGRFieldType>> fields = {
        {fixed_names_[2], OFTString}, {fixed_names_[3], OFTString}, {fixed_names_[4], OFTInteger}};
    auto layer = create_layer(dataset, "regions", srs, fields);
    if (!layer) return layer.status();
    for (const v1::Region& region : partition_.regions()) {
      OGRMultiPolygon members;
      int count = 0;
      for (const std::string& code : region.municipality_codes()) {
        const auto m = index_.municipality(code);
        if (!m) continue;
        ++count;
        auto parts = to_ogr(index_.municipality_at(*m).geometry());
        for (int p = 0; p < parts->getNumGeometries(); ++p) members.addGeometry(parts->getGeometryRef(p));
      }
      auto geometry = dissolve(members, region.id());
      if (!geometry) return geometry.status().with_context(path_);
      OGRFeatureUniquePtr feature(OGRFeature::CreateFeature((*layer)->GetLayerDefn()));
      feature->SetField(0, region.id().c_str());
      feature->SetField(1, region.name().c_str());
      feature->SetField(2, count);
      set_indicators(*feature, static_cast<int>(fields.size()), region.id());
      ++summary.regions;
      BRE_RETURN_IF_ERROR(add_feature(**layer, *feature, std::move(*geometry), "region " + region.id()));
    }
    return Status::ok();
  }

  const DatasetIndex& index_;
  const v1::Partition& partition_;
  const std::vector<v1::IndicatorTable>& tables_;
  const GisExportOptions& options_;
  const std::string path_;
  std::vector<std::string> fixed_names_;
  std::vector<Attribute> attributes_;
  bool has_confidence_ = false;
  RowsByRegion rows_;
  std::map<std::string, double> confidence_;
  TransformationPtr transformation_;
};

}  // namespace

Expected<GisFormat> gis_format_from_path(const std::string& path) {
  const std::string extension = lower_ascii(fs::path(path).extension().string());
  if (extension == ".geojson") return GisFormat::kGeoJson;
  if (extension == ".gpkg") return GisFormat::kGeoPackage;
  return invalid_argument(path + ": expected the extension .geojson (GeoJSON) or .gpkg (GeoPackage), found " +
                          (extension.empty() ? std::string("none") : "'" + extension + "'"));
}

Expected<int> parse_epsg(const std::string& text) {
  std::string code = text;
  if (lower_ascii(code.substr(0, 5)) == "epsg:") code = code.substr(5);
  if (code == "28992") return kRdNew;
  if (code == "4326") return kWgs84;
  return invalid_argument("expected 4326 (WGS 84) or 28992 (RD New), found '" + text + "'");
}

std::vector<std::string> gis_field_names(const std::vector<std::string>& wanted) {
  std::set<std::string> taken = {"fid", "geom"};
  std::vector<std::string> names;
  names.reserve(wanted.size());
  for (const std::string& text : wanted) {
    const std::string base = gis_name(text);
    std::string name = base;
    for (int n = 2; taken.count(name) > 0; ++n) {
      const std::string suffix = "_" + std::to_string(n);
      name = without_trailing_underscores(base.substr(0, kMaxFieldName - suffix.size())) + suffix;
    }
    taken.insert(name);
    names.push_back(std::move(name));
  }
  return names;
}

Expected<RunPartition> find_run_partition(const v1::RunResult& run, const std::string& name,
                                          const std::string& source) {
  const v1::Partition* chosen = nullptr;
  const v1::Partition* first = nullptr;
  std::string available;
  for (const v1::StepResult& step : run.steps()) {
    if (step.status() != v1::STEP_STATUS_SUCCEEDED) continue;
    std::string plugin;
    for (const v1::StepManifest& manifest : run.manifest().steps()) {
      if (manifest.step_id() == step.step_id()) plugin = manifest.plugin();
    }
    for (const v1::Partition& partition : step.artifacts().partitions()) {
      available += (available.empty() ? "" : ", ") + partition.name();
      if (chosen != nullptr) continue;
      if (!name.empty()) {
        if (partition.name() == name) chosen = &partition;
        continue;
      }
      if (first == nullptr) first = &partition;
      // A clustering's result (a BRE map) before a region definition read from the data.
      if (plugin.rfind("clustering.", 0) == 0) chosen = &partition;
    }
  }
  if (chosen == nullptr && name.empty()) chosen = first;
  if (chosen == nullptr) {
    const std::string listed = available.empty() ? "none" : available;
    if (name.empty()) return invalid_argument(source + ": the run has no partition to export (partitions: none)");
    return invalid_argument(source + ": no partition named '" + name + "' (partitions: " + listed + ")");
  }
  RunPartition result;
  result.partition = *chosen;
  std::set<std::string> region_ids;
  for (const v1::Region& region : chosen->regions()) region_ids.insert(region.id());
  for (const v1::StepResult& step : run.steps()) {
    if (step.status() != v1::STEP_STATUS_SUCCEEDED) continue;
    for (const v1::IndicatorTable& table : step.artifacts().tables()) {
      if (table.partition_name() != chosen->name()) continue;
      bool per_region = table.rows_size() > 0;
      for (const v1::IndicatorRow& row : table.rows()) per_region = per_region && region_ids.count(row.region_id()) > 0;
      if (per_region) {
        result.tables.push_back(table);
      } else {
        result.skipped_tables.push_back(table.name());
      }
    }
  }
  return result;
}

Expected<GisExportSummary> export_partition(const DatasetIndex& index, const v1::Partition& partition,
                                            const std::vector<v1::IndicatorTable>& tables, const std::string& path,
                                            const GisExportOptions& options) {
  if (options.epsg != kRdNew && options.epsg != kWgs84) {
    return invalid_argument("EPSG:" + std::to_string(options.epsg) + ": expected 4326 (WGS 84) or 28992 (RD New)");
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) return invalid_argument(path + ": is a directory; expected a file name");
  register_drivers();
  const QuietGdalErrors quiet;
  auto staging = StagingDirectory::create(path);
  if (!staging) return staging.status();
  // A thread-local setting: other threads' exports keep their own time.
  const std::string earlier_time = CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", "");
  if (!options.fixed_time.empty()) CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", options.fixed_time.c_str());
  Writer writer(index, partition, tables, options, path);
  auto summary = writer.write(staging->file());
  if (!options.fixed_time.empty()) {
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", earlier_time.empty() ? nullptr : earlier_time.c_str());
  }
  if (!summary) return summary.status();
  BRE_RETURN_IF_ERROR(staging->publish(path));
  return summary;
}

Expected<GisExportOptions> export_options(const ExportRequest& request, const ExportRequestNames& names) {
  auto format = gis_format_from_path(request.file);
  if (!format) return format.status().with_context(names.file);
  GisExportOptions options;
  options.format = *format;
  options.epsg = *format == GisFormat::kGeoJson ? kWgs84 : kRdNew;
  if (request.epsg != 0) {
    if (request.epsg != kRdNew && request.epsg != kWgs84) {
      return invalid_argument(names.crs + ": expected 4326 (WGS 84) or 28992 (RD New), found '" +
                              std::to_string(request.epsg) + "'");
    }
    if (*format == GisFormat::kGeoPackage && request.epsg != kRdNew) {
      return invalid_argument(names.crs + " " + std::to_string(request.epsg) +
                              ": a GeoPackage is written in EPSG:28992 (RD New), the dataset's own; "
                              "use a .geojson file for WGS 84");
    }
    options.epsg = request.epsg;
  }
  const std::string layer = request.layer.empty() ? "municipalities" : request.layer;
  if (layer != "municipalities" && layer != "regions") {
    return invalid_argument(names.layer + ": expected municipalities or regions, found '" + layer + "'");
  }
  if (layer == "regions" && *format != GisFormat::kGeoJson) {
    return invalid_argument(names.layer + " regions: a GeoPackage holds both layers; " + names.layer +
                            " is for GeoJSON");
  }
  options.geojson_regions = layer == "regions";
  return options;
}

namespace {

// A file name of a run directory: a stem of letters, digits, '_' and '-', then the extension.
bool is_plain_file_name(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  if (dot == 0 || dot == std::string::npos) return false;
  return std::all_of(name.begin(), name.begin() + static_cast<std::ptrdiff_t>(dot),
                     [](unsigned char c) { return is_ascii_alnum(c) || c == '_' || c == '-'; });
}

ExportRequest request_of(const v1::GisExportSpec& spec) { return {spec.file(), spec.crs(), spec.layer()}; }

ExportRequestNames names_of(const std::string& prefix) {
  return {prefix + ".file", prefix + ".crs", prefix + ".layer"};
}

}  // namespace

Status check_run_exports(const v1::PipelineSpec& spec, const std::string& source) {
  std::set<std::string> steps;
  for (const v1::StepSpec& step : spec.steps()) steps.insert(step.id());
  std::map<std::string, int> files;
  for (int i = 0; i < spec.exports_size(); ++i) {
    const v1::GisExportSpec& gis = spec.exports(i);
    const std::string at = source + ": exports[" + std::to_string(i) + "]";
    if (!is_plain_file_name(gis.file())) {
      return invalid_argument(at + ".file: expected a file name of the run directory such as bre.gpkg (letters, "
                              "digits, '_' and '-', then .gpkg or .geojson), found '" + gis.file() + "'");
    }
    if (auto options = export_options(request_of(gis), names_of(at)); !options) return options.status();
    if (auto [it, first] = files.emplace(gis.file(), i); !first) {
      return invalid_argument(at + ".file: " + gis.file() + " is written by exports[" + std::to_string(it->second) +
                              "] already");
    }
    const std::string& name = gis.partition();
    const std::string coarser = "_coarser";
    const bool coarser_level = name.size() > coarser.size() &&
                               name.compare(name.size() - coarser.size(), coarser.size(), coarser) == 0;
    if (!steps.count(name) && !(coarser_level && steps.count(name.substr(0, name.size() - coarser.size())))) {
      std::string ids;
      for (const std::string& id : steps) ids += (ids.empty() ? "" : ", ") + id;
      return invalid_argument(at + ".partition: expected the id of a step that makes a partition (or <step>_coarser), "
                              "found '" + name + "' (steps: " + ids + ")");
    }
  }
  return Status::ok();
}

Expected<std::map<std::string, std::string>> export_run_files(const v1::RunResult& run, const DatasetIndex& index) {
  std::map<std::string, std::string> files;
  const auto& exports = run.manifest().pipeline().exports();
  if (exports.empty()) return files;
  std::string directory = (fs::temp_directory_path() / "bre-export-XXXXXX").string();
  if (::mkdtemp(directory.data()) == nullptr) {
    return internal_error("cannot create a temporary directory for the run's GIS files: " +
                          std::string(std::strerror(errno)));
  }
  // Removed with whatever is in it however this function returns.
  const std::unique_ptr<std::string, void (*)(std::string*)> cleanup(&directory, [](std::string* path) {
    std::error_code ignored;
    fs::remove_all(*path, ignored);
  });
  for (int i = 0; i < exports.size(); ++i) {
    const v1::GisExportSpec& gis = exports[i];
    const std::string at = "exports[" + std::to_string(i) + "] (" + gis.file() + ")";
    auto options = export_options(request_of(gis), names_of("exports[" + std::to_string(i) + "]"));
    if (!options) return options.status();
    options->fixed_time = kRunExportTime;
    auto chosen = find_run_partition(run, gis.partition(), at);
    if (!chosen) return chosen.status();
    const std::string path = (fs::path(directory) / gis.file()).string();
    auto summary = export_partition(index, chosen->partition, chosen->tables, path, *options);
    if (!summary) return summary.status().with_context(at);
    auto bytes = read_file(path);
    if (!bytes) return bytes.status();
    files[gis.file()] = std::move(*bytes);
  }
  return files;
}

}  // namespace bre::gis
