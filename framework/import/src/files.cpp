#include "bre/import/files.hpp"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/import/csv.hpp"
#include "bre/import/build.hpp"
#include "bre/import/geojson.hpp"
#include "bre/import/polygon_layer.hpp"
#include "bre/import/projection.hpp"
#include "bre/io.hpp"

namespace bre::import {
namespace {

// A user's table: columns found by header name (trimmed, case-insensitive), so their
// order is free; the delimiter is ',' unless the header has ';' (or a tab) and no ','
// (spreadsheets with a decimal comma save ';').
class UserTable {
 public:
  static Expected<UserTable> read(const std::string& path, const std::vector<std::string>& required,
                                  const std::vector<std::string>& optional, ResolutionReport& report) {
    Expected<std::string> text = read_file(path);
    if (!text) return text.status();
    const std::string header_line = text->substr(0, text->find('\n'));
    CsvOptions options;
    if (header_line.find(',') == std::string::npos) {
      if (header_line.find(';') != std::string::npos) options.delimiter = ';';
      else if (header_line.find('\t') != std::string::npos) options.delimiter = '\t';
    }
    Expected<CsvTable> table = parse_csv(*text, path, options);
    if (!table) return table.status();
    UserTable result;
    result.table_ = std::move(*table);
    const std::vector<std::string>& header = result.table_.header;
    for (std::size_t i = 0; i < header.size(); ++i) {
      const std::string name = lower_ascii(trim(header[i]));
      const bool known = std::find(required.begin(), required.end(), name) != required.end() ||
                         std::find(optional.begin(), optional.end(), name) != optional.end();
      if (!known) {
        report.add(path, 1, "column not used", header[i], "not a column of this file's layout; ignored");
        continue;
      }
      if (!result.columns_.emplace(name, i).second) {
        return invalid_argument(path + ":1: column '" + name + "' (" + std::to_string(i + 1) + "): appears twice");
      }
    }
    for (const std::string& name : required) {
      if (result.columns_.count(name)) continue;
      std::string expected;
      for (const auto& r : required) expected += (expected.empty() ? "" : ",") + r;
      for (const auto& o : optional) expected += ",[" + o + "]";
      std::string found;
      for (const auto& h : header) found += (found.empty() ? "" : ",") + h;
      return invalid_argument(path + ":1: no column '" + name + "'; expected the header " + expected + ", found '" +
                              found + "'");
    }
    return result;
  }

  const std::vector<CsvRecord>& records() const { return table_.records; }
  const std::string& file() const { return table_.file; }
  bool has(const std::string& column) const { return columns_.count(column) > 0; }

  /// The trimmed cell, or "" when the table has no such column.
  std::string cell(const CsvRecord& record, const std::string& column) const {
    auto it = columns_.find(column);
    return it == columns_.end() ? std::string() : trim(record.fields[it->second]);
  }

  /// "file:line: column 'name' (n)" for errors.
  std::string where(const CsvRecord& record, const std::string& column) const {
    auto it = columns_.find(column);
    return table_.file + ":" + std::to_string(record.line) + ": column '" + column + "' (" +
           std::to_string(it == columns_.end() ? 0 : it->second + 1) + ")";
  }

 private:
  CsvTable table_;
  std::map<std::string, std::size_t> columns_;
};

// A protobuf enum value by its name without the prefix, in lower case:
// "cooperation" → ARRANGEMENT_KIND_COOPERATION. The error lists the valid names.
template <typename Enum>
Expected<Enum> enum_value(const google::protobuf::EnumDescriptor* type, const std::string& prefix,
                          const std::string& text, const std::string& where) {
  std::string valid;
  for (int i = 0; i < type->value_count(); ++i) {
    const std::string name = type->value(i)->name();
    if (name == prefix + "UNSPECIFIED") continue;
    const std::string short_name = lower_ascii(name.substr(prefix.size()));
    if (short_name == lower_ascii(text)) return static_cast<Enum>(type->value(i)->number());
    valid += (valid.empty() ? "" : ", ") + short_name;
  }
  return invalid_argument(where + ": expected one of " + valid + ", found '" + text + "'");
}

bool is_geojson_path(const std::string& path) {
  const std::string lower = lower_ascii(path);
  for (const char* extension : {".geojson", ".json"}) {
    const std::string e(extension);
    if (lower.size() >= e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

// The municipality map as read, before reprojection.
struct MunicipalityMap {
  std::string file;            // what errors name: the path, or "path: layer 'name'"
  std::string feature_prefix;  // "path: feature " (GeoJSON: index; OGR: FID)
  std::string attribute;       // "property" (GeoJSON) or "field" (OGR)
  std::string geometry;        // "geometry.coordinates" (GeoJSON) or "geometry" (OGR)
  std::string crs;             // the identifier PROJ is given
  std::vector<GeoFeature> features;
};

// One arrangement's rows, merged: a column a later row leaves empty says nothing; one
// that says something else is an error.
struct ArrangementRows {
  std::string name;
  std::int64_t first_line = 0;
  std::map<std::string, std::pair<std::string, std::int64_t>> attributes;  // column → (value, line)
  std::set<std::string> domains;
  std::vector<ParticipantRow> participants;
};

// The readers of the simple files: each fills its part of ImportInputs (text checked,
// codes and names left to the build, which knows the municipalities).
class FilesReader {
 public:
  explicit FilesReader(const FilesOptions& options) : options_(options) {}

  Expected<FilesImport> run() {
    if (options_.name.empty()) return invalid_argument("the dataset needs a name");
    if (options_.year < 1000 || options_.year > 9999) {
      return invalid_argument("year: expected a reference year such as 2024, found " + std::to_string(options_.year));
    }
    inputs_.name = options_.name;
    inputs_.reference_year = options_.year;
    inputs_.description = description(options_);
    inputs_.map_file = options_.municipalities;
    if (Status s = read_municipalities(); !s) return s;
    if (Status s = read_former_names(); !s) return s;
    if (Status s = read_arrangements(); !s) return s;
    if (Status s = read_commuting(); !s) return s;
    if (Status s = read_regions(); !s) return s;
    FilesImport result;
    result.stats = std::move(stats_);
    if (Status s = build_dataset(std::move(inputs_), result.dataset, result.report, result.stats); !s) return s;
    return result;
  }

 private:
  static std::string description(const FilesOptions& options) {
    std::string text = "Imported from " + options.municipalities;
    for (const std::string* file : {&options.arrangements, &options.commuting, &options.regions, &options.mergers}) {
      if (!file->empty()) text += ", " + *file;
    }
    return text + "; geometry in RD New (EPSG:28992), shared borders derived from the polygons.";
  }

  // The map's features and CRS: GeoJSON by the own reader (its "crs" member), any
  // other vector format through GDAL/OGR (the layer's spatial reference).
  Expected<MunicipalityMap> read_map() const {
    const std::string& path = options_.municipalities;
    if (is_geojson_path(path)) {
      if (!options_.layer.empty()) {
        return invalid_argument("layer '" + options_.layer + "': a GeoJSON file has one layer; a layer is named "
                                "only for GeoPackage and other multi-layer formats (" + path + ")");
      }
      Expected<FeatureCollection> collection = read_geojson(path);
      if (!collection) return collection.status();
      Expected<std::string> crs = crs_identifier(collection->crs, path);
      if (!crs) return crs.status();
      return MunicipalityMap{path, path + ": feature ", "property", "geometry.coordinates", *crs, std::move(collection->features)};
    }
    Expected<PolygonLayer> layer = read_polygon_layer(path, options_.layer);
    if (!layer) return layer.status();
    // A field the layer lacks is named once, with the fields it has.
    for (const std::string* field : {&options_.code_field, &options_.name_field, &options_.population_field}) {
      if (field->empty() || std::find(layer->fields.begin(), layer->fields.end(), *field) != layer->fields.end()) continue;
      std::string fields;
      for (const std::string& f : layer->fields) fields += (fields.empty() ? "" : ", ") + f;
      return invalid_argument(layer->where + ": no field '" + *field + "' (its fields: " +
                              (fields.empty() ? "none" : fields) + ")");
    }
    return MunicipalityMap{layer->where, layer->where + ": feature ", "field", "geometry", layer->crs, std::move(layer->features)};
  }

  // The map, reprojected to RD New; each feature a municipality.
  Status read_municipalities() {
    const std::string& path = options_.municipalities;
    Expected<MunicipalityMap> map = read_map();
    if (!map) return map.status();
    if (map->features.empty()) return invalid_argument(map->file + ": no features (expected one per municipality)");
    Expected<ToRdNew> projection = ToRdNew::create(map->crs, map->file);
    if (!projection) return projection.status();
    stats_.crs = map->crs;
    std::vector<MunicipalityShape> shapes;
    std::map<std::string, std::size_t> feature_of_code;
    for (GeoFeature& feature : map->features) {
      const std::string where = map->feature_prefix + std::to_string(feature.index);
      Expected<std::string> code = feature.property(map->file, options_.code_field);
      if (!code) return code.status();
      Expected<std::string> name = feature.property(map->file, options_.name_field);
      if (!name) return name.status();
      const std::string trimmed_code = trim(*code);
      if (auto [it, inserted] = feature_of_code.emplace(trimmed_code, feature.index); !inserted) {
        return invalid_argument(where + ": " + map->attribute + " '" + options_.code_field + "': code '" + trimmed_code +
                                "' appears twice (first in feature " + std::to_string(it->second) + ")");
      }
      std::int64_t population = 0;
      if (!options_.population_field.empty()) {
        Expected<std::string> text = feature.property(map->file, options_.population_field);
        if (!text) return text.status();
        const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), population);
        if (error != std::errc() || end != text->data() + text->size() || population < 0) {
          return invalid_argument(where + ": " + map->attribute + " '" + options_.population_field +
                                  "': expected a non-negative whole number of inhabitants, found '" + *text + "'");
        }
        ++stats_.with_population;
      }
      if (Status s = projection->transform(feature.shape, where + ": " + map->geometry); !s) return s;
      shapes.push_back({trimmed_code, trim(*name), std::move(feature.shape), population, path});
    }
    if (options_.population_field.empty()) {
      inputs_.report.add(path, 0, "population missing", path,
                            "no population field given (--population-field): population 0 for every municipality");
    }
    stats_.municipalities = shapes.size();
    inputs_.municipalities = std::move(shapes);
    return Status::ok();
  }

  // Former names: a name listed with one code resolves to it; with several, it was split.
  Status read_former_names() {
    if (options_.mergers.empty()) return Status::ok();
    Expected<UserTable> table = UserTable::read(options_.mergers, {"former", "code"}, {}, inputs_.report);
    if (!table) return table.status();
    for (const CsvRecord& record : table->records()) {
      const std::string former = table->cell(record, "former");
      if (former.empty()) return invalid_argument(table->where(record, "former") + ": expected a former name, found nothing");
      inputs_.former_names.push_back(
          {former, table->cell(record, "code"), table->file(), record.line, table->where(record, "code")});
    }
    return Status::ok();
  }

  // Rows grouped by arrangement name, in order of first appearance.
  Expected<std::vector<ArrangementRows>> group_arrangements(const UserTable& table) {
    std::vector<ArrangementRows> groups;
    std::map<std::string, std::size_t> index;
    for (const CsvRecord& record : table.records()) {
      const std::string name = table.cell(record, "arrangement");
      if (name.empty()) return invalid_argument(table.where(record, "arrangement") + ": expected an arrangement name, found nothing");
      const std::string participant = table.cell(record, "participant");
      if (participant.empty()) {
        return invalid_argument(table.where(record, "participant") + ": expected a municipality code or name, found nothing");
      }
      auto [it, inserted] = index.emplace(name, groups.size());
      if (inserted) groups.push_back({name, record.line, {}, {}, {}});
      ArrangementRows& group = groups[it->second];
      group.participants.push_back({participant, record.line});
      for (const char* column : {"kind", "legal_form", "start", "end", "division"}) {
        const std::string value = table.cell(record, column);
        if (value.empty()) continue;
        auto [attribute, first] = group.attributes.emplace(column, std::pair{value, record.line});
        if (!first && attribute->second.first != value) {
          return invalid_argument(table.where(record, column) + ": '" + value + "' for arrangement '" + name +
                                  "', which line " + std::to_string(attribute->second.second) + " gives as '" +
                                  attribute->second.first + "'");
        }
      }
      const std::string domains = table.cell(record, "domains");
      for (std::string& domain : split_list(domains)) {
        if (!domain.empty()) group.domains.insert(std::move(domain));
      }
    }
    return groups;
  }

  // The arrangement of one group, or an error naming the cell.
  Expected<v1::Arrangement> make_arrangement(const UserTable& table, const ArrangementRows& group) const {
    v1::Arrangement arrangement;
    arrangement.set_id(group.name);
    arrangement.set_name(group.name);
    arrangement.set_kind(v1::ARRANGEMENT_KIND_COOPERATION);
    arrangement.mutable_source()->set_file(table.file());
    arrangement.mutable_source()->set_line(group.first_line);
    for (const std::string& domain : group.domains) arrangement.add_policy_domains(domain);
    if (auto it = group.attributes.find("division"); it != group.attributes.end()) arrangement.set_division(it->second.first);
    auto where = [&](const std::string& column) {
      const std::int64_t line = group.attributes.at(column).second;
      CsvRecord at_line;
      at_line.line = line;
      return table.where(at_line, column);
    };
    if (auto it = group.attributes.find("kind"); it != group.attributes.end()) {
      Expected<v1::ArrangementKind> kind = enum_value<v1::ArrangementKind>(
          v1::ArrangementKind_descriptor(), "ARRANGEMENT_KIND_", it->second.first, where("kind"));
      if (!kind) return kind.status();
      arrangement.set_kind(*kind);
    }
    if (auto it = group.attributes.find("legal_form"); it != group.attributes.end()) {
      Expected<v1::LegalForm> form =
          enum_value<v1::LegalForm>(v1::LegalForm_descriptor(), "LEGAL_FORM_", it->second.first, where("legal_form"));
      if (!form) return form.status();
      arrangement.set_legal_form(*form);
    }
    for (const char* column : {"start", "end"}) {
      auto it = group.attributes.find(column);
      if (it == group.attributes.end()) continue;
      if (!is_iso_date(it->second.first)) {
        return invalid_argument(where(column) + ": expected a date YYYY-MM-DD, found '" + it->second.first + "'");
      }
      if (std::string_view(column) == "start") arrangement.set_start_date(it->second.first);
      else arrangement.set_end_date(it->second.first);
    }
    if (!arrangement.start_date().empty() && !arrangement.end_date().empty() &&
        arrangement.end_date() < arrangement.start_date()) {
      return invalid_argument(where("end") + ": end " + arrangement.end_date() + " is before start " +
                              arrangement.start_date() + " of arrangement '" + group.name + "'");
    }
    return arrangement;
  }

  Status read_arrangements() {
    if (options_.arrangements.empty()) return Status::ok();
    Expected<UserTable> table = UserTable::read(options_.arrangements, {"arrangement", "participant"},
                                                {"kind", "legal_form", "domains", "start", "end", "division"},
                                                inputs_.report);
    if (!table) return table.status();
    Expected<std::vector<ArrangementRows>> groups = group_arrangements(*table);
    if (!groups) return groups.status();
    stats_.arrangement_rows = table->records().size();
    for (ArrangementRows& group : *groups) {
      Expected<v1::Arrangement> arrangement = make_arrangement(*table, group);
      if (!arrangement) return arrangement.status();
      inputs_.arrangements.push_back({std::move(*arrangement), table->file(), group.first_line, std::move(group.participants)});
    }
    return Status::ok();
  }

  Status read_commuting() {
    if (options_.commuting.empty()) return Status::ok();
    Expected<UserTable> table = UserTable::read(options_.commuting, {"home", "work", "persons"}, {}, inputs_.report);
    if (!table) return table.status();
    for (const CsvRecord& record : table->records()) {
      const std::string text = table->cell(record, "persons");
      double persons = 0.0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), persons);
      if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(persons) ||
          persons < 0.0 || persons > DatasetBounds::kMaxPopulation) {
        return invalid_argument(table->where(record, "persons") +
                                ": expected a non-negative number of persons with a decimal point, found '" + text + "'");
      }
      inputs_.commuting.push_back({table->cell(record, "home"), table->cell(record, "work"), persons, record.line,
                                   table->where(record, "home"), table->where(record, "work")});
    }
    return Status::ok();
  }

  // Region definitions: each municipality in at most one region of a definition.
  Status read_regions() {
    if (options_.regions.empty()) return Status::ok();
    Expected<UserTable> table = UserTable::read(options_.regions, {"definition", "code", "region"}, {}, inputs_.report);
    if (!table) return table.status();
    for (const CsvRecord& record : table->records()) {
      const std::string name = table->cell(record, "definition");
      if (name.empty()) return invalid_argument(table->where(record, "definition") + ": expected a definition name, found nothing");
      const std::string region = table->cell(record, "region");
      if (region.empty()) return invalid_argument(table->where(record, "region") + ": expected a region name, found nothing");
      inputs_.regions.push_back({name, table->cell(record, "code"), region, "", "", options_.regions, record.line,
                                 table->where(record, "code")});
    }
    return Status::ok();
  }

  const FilesOptions& options_;
  ImportInputs inputs_;
  FilesStats stats_;
};

}  // namespace

Expected<FilesImport> import_files(const FilesOptions& options) { return FilesReader(options).run(); }

}  // namespace bre::import
