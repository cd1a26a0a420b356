#include "bre/import/nl2016.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "bre/dataset.hpp"
#include "bre/geometry.hpp"
#include "bre/import/build.hpp"
#include "bre/import/cbs_series.hpp"
#include "bre/import/commuting.hpp"
#include "bre/import/csv.hpp"
#include "bre/import/dataset_builder.hpp"
#include "bre/import/geojson.hpp"
#include "bre/import/indicator_table.hpp"
#include "bre/import/names.hpp"
#include "bre/import/opengr.hpp"
#include "bre/import/regioatlas.hpp"
#include "bre/io.hpp"

namespace bre::import {
namespace {

constexpr const char* kMunicipalitiesFile = "gemeente_2016_rd.geojson";
constexpr const char* kProvincesFile = "provincie_2016_rd.geojson";
constexpr const char* kCoropFile = "corop_2016_rd.geojson";
constexpr const char* kDivisionIndexFile = "indelingen.csv";
constexpr const char* kOpenGrFile = "opengr_gemeenschappelijke_regelingen.csv";
constexpr const char* kCommutingFile = "pendel_2014_matrix.csv";
constexpr const char* kMappingFile = "gemeenten_2014_naar_2016.csv";
constexpr const char* kKeyFiguresFile = "cbs/gemeente_kerncijfers_2016.csv";
constexpr const char* kSeriesFile = "cbs/regionale_kerncijfers_70072NED_1995_2021.csv";

bool is_code(const std::string& text, const char* prefix, std::size_t digits) {
  if (text.size() != 2 + digits || text.compare(0, 2, prefix) != 0) return false;
  return std::all_of(text.begin() + 2, text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Area {
  std::string code;
  std::string name;
  v1::MultiPolygon shape;
};

// Regions of a GeoJSON file with statcode (prefix + digits) and statnaam.
Expected<std::vector<Area>> read_areas(const std::string& path, const std::string& file, const char* prefix,
                                       std::size_t digits) {
  Expected<std::vector<GeoFeature>> features = read_feature_collection(path, {}, path);
  if (!features) return features.status();
  std::vector<Area> areas;
  std::set<std::string> codes;
  for (GeoFeature& feature : *features) {
    Expected<std::string> code = feature.property(path, "statcode");
    if (!code) return code.status();
    Expected<std::string> name = feature.property(path, "statnaam");
    if (!name) return name.status();
    const std::string where = path + ": feature " + std::to_string(feature.index) + ": property 'statcode'";
    if (!is_code(*code, prefix, digits)) {
      return invalid_argument(where + ": expected " + prefix + " and " + std::to_string(digits) + " digits, found '" + *code + "'");
    }
    if (!codes.insert(*code).second) return invalid_argument(where + ": code '" + *code + "' appears twice");
    areas.push_back({*code, *name, std::move(feature.shape)});
  }
  if (areas.empty()) return invalid_argument(path + ": no features in " + file);
  return areas;
}

std::string join_path(const std::string& directory, const std::string& relative) {
  return (std::filesystem::path(directory) / relative).string();
}

Expected<CsvTable> parse_builtin(std::string_view text, const std::string& name, std::size_t fields,
                                 char delimiter = ';') {
  CsvOptions options;
  options.delimiter = delimiter;
  options.comment = '#';
  options.expected_fields = fields;
  return parse_csv(text, name, options);
}

}  // namespace

int locate_in_regions(const v1::MultiPolygon& municipality, const v1::Point& centroid,
                      const std::vector<const v1::MultiPolygon*>& regions) {
  for (std::size_t r = 0; r < regions.size(); ++r) {
    if (multipolygon_contains(*regions[r], centroid)) return static_cast<int>(r);
  }
  std::vector<std::size_t> votes(regions.size(), 0);
  for (const auto& polygon : municipality.polygons()) {
    for (const auto& point : polygon.outer().points()) {
      for (std::size_t r = 0; r < regions.size(); ++r) {
        if (multipolygon_contains(*regions[r], point)) ++votes[r];
      }
    }
  }
  const auto best = std::max_element(votes.begin(), votes.end());
  if (best == votes.end() || *best == 0) return -1;
  return static_cast<int>(best - votes.begin());
}

Expected<std::map<std::string, std::int64_t>> read_population(const std::string& path,
                                                              const std::map<std::string, std::string>& known_codes) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  return parse_population(*text, path, known_codes);
}

Expected<std::map<std::string, std::int64_t>> parse_population(std::string_view text, const std::string& file,
                                                               const std::map<std::string, std::string>& known_codes) {
  CsvOptions options;
  options.delimiter = ';';
  Expected<CsvTable> table = parse_csv(text, file, options);
  if (!table) return table.status();
  if (table->header != std::vector<std::string>{"code", "population"}) {
    return invalid_argument(file + ":1: expected the header code;population");
  }
  std::map<std::string, std::int64_t> population;
  for (const auto& record : table->records) {
    const std::string where = file + ":" + std::to_string(record.line);
    const std::string code = trim(record.fields[0]);
    const std::string value = trim(record.fields[1]);
    if (!known_codes.count(code)) {
      return invalid_argument(where + ": code: unknown municipality code '" + code + "' (expected a GM code of 2016)");
    }
    // from_chars reports a number too large for int64 instead of clamping it.
    std::int64_t number = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() || number < 0) {
      return invalid_argument(where + ": population: expected a non-negative integer, found '" + value + "'");
    }
    if (!population.emplace(code, number).second) return invalid_argument(where + ": code '" + code + "' appears twice");
  }
  return population;
}

namespace {

std::vector<const v1::MultiPolygon*> shapes_of(const std::vector<Area>& areas) {
  std::vector<const v1::MultiPolygon*> shapes;
  for (const Area& area : areas) shapes.push_back(&area.shape);
  return shapes;
}

Expected<std::vector<Area>> read_sorted_areas(const std::string& directory, const char* file, const char* prefix,
                                              std::size_t digits) {
  Expected<std::vector<Area>> areas = read_areas(join_path(directory, file), file, prefix, digits);
  if (!areas) return areas.status();
  std::sort(areas->begin(), areas->end(), [](const Area& a, const Area& b) { return a.code < b.code; });
  return areas;
}

// One import of the nl2016 folder: each source is read by one step, in the order the
// dataset's repeated fields are filled (that order is part of the byte-identical output).
// The steps every importer shares (municipalities, names, finish) are DatasetBuilder's;
// this preset adds the sources of the nl2016 folder.
class Nl2016Importer {
 public:
  Nl2016Importer(const std::string& directory, const Nl2016Options& options)
      : directory_(directory),
        options_(options),
        builder_("nl2016", 2016,
                 "The Netherlands in 2016: CBS/PDOK municipality, province and COROP maps; BZK Regio Atlas divisions; "
                 "OpenGR joint arrangements; CBS commuting 2014 mapped to the municipalities of 2016; CBS key figures "
                 "2016 and trends 2011-2016 from StatLine 70072NED (Bron: CBS).") {}

  Expected<Nl2016Import> run() {
    if (Status s = add_municipalities(); !s) return s;
    if (Status s = place_in_provinces(); !s) return s;
    if (Status s = place_in_corop_areas(); !s) return s;
    if (Status s = collect_names(); !s) return s;
    if (Status s = add_regioatlas_divisions(); !s) return s;
    if (Status s = add_opengr_arrangements(); !s) return s;
    if (Status s = add_commuting_matrix(); !s) return s;
    if (Status s = add_key_figures(); !s) return s;
    if (Status s = add_series_trends(); !s) return s;
    if (Status s = add_population_table(); !s) return s;
    if (Status s = builder_.finish(); !s) return s;
    stats_.adjacent_pairs = static_cast<std::size_t>(dataset_.adjacency_size());
    for (const v1::Municipality& m : dataset_.municipalities()) stats_.population_total += m.population();
    result_.dataset = std::move(dataset_);
    result_.report = std::move(report_);
    return std::move(result_);
  }

 private:
  // Municipalities, sorted by code.
  Status add_municipalities() {
    Expected<std::vector<Area>> municipalities = read_sorted_areas(directory_, kMunicipalitiesFile, "GM", 4);
    if (!municipalities) return municipalities.status();
    std::vector<MunicipalityShape> shapes;
    for (Area& area : *municipalities) shapes.push_back({area.code, area.name, std::move(area.shape), 0, kMunicipalitiesFile});
    if (Status s = builder_.add_municipalities(std::move(shapes)); !s) return s;
    stats_.municipalities = known_codes_.size();
    return Status::ok();
  }

  // Provinces as bodies, each municipality placed in one.
  Status place_in_provinces() {
    Expected<std::vector<Area>> provinces = read_sorted_areas(directory_, kProvincesFile, "PV", 2);
    if (!provinces) return provinces.status();
    provinces_ = std::move(*provinces);
    const std::vector<const v1::MultiPolygon*> province_shapes = shapes_of(provinces_);
    for (const Area& p : provinces_) {
      v1::Body body;
      body.set_code(p.code);
      body.set_name(p.name);
      body.set_kind(v1::BODY_KIND_PROVINCE);
      body.mutable_source()->set_file(kProvincesFile);
      province_bodies_.push_back(std::move(body));
    }
    for (v1::Municipality& m : *dataset_.mutable_municipalities()) {
      const int p = locate_in_regions(m.geometry(), m.centroid(), province_shapes);
      if (p < 0) {
        report_.add(kMunicipalitiesFile, 0, "no province", m.name(), m.code() + " lies in no province polygon; province left empty");
        continue;
      }
      m.set_province_code(provinces_[static_cast<std::size_t>(p)].code);
      province_bodies_[static_cast<std::size_t>(p)].add_municipality_codes(m.code());
    }
    stats_.provinces = province_bodies_.size();
    return Status::ok();
  }

  // COROP areas as region rows of the shared build: each municipality placed by its
  // territory, the rows in the order of the areas' codes, then of the municipalities'.
  Status place_in_corop_areas() {
    Expected<std::vector<Area>> corop = read_sorted_areas(directory_, kCoropFile, "CR", 2);
    if (!corop) return corop.status();
    const std::vector<const v1::MultiPolygon*> corop_shapes = shapes_of(*corop);
    std::vector<std::vector<std::string>> members(corop->size());
    for (const v1::Municipality& m : dataset_.municipalities()) {
      const int c = locate_in_regions(m.geometry(), m.centroid(), corop_shapes);
      if (c < 0) {
        report_.add(kMunicipalitiesFile, 0, "no COROP area", m.name(), m.code() + " lies in no COROP polygon; left out of COROP");
        continue;
      }
      members[static_cast<std::size_t>(c)].push_back(m.code());
    }
    for (std::size_t c = 0; c < corop->size(); ++c) {
      const Area& area = (*corop)[c];
      for (const std::string& code : members[c]) {
        corop_rows_.push_back({"COROP", code, area.code, area.name,
                               "COROP areas of 2016 (CBS/PDOK), each municipality placed by its territory", kCoropFile,
                               0, kCoropFile});
      }
    }
    stats_.corop_regions = corop->size();
    return Status::ok();
  }

  // Names: official (registered with the municipalities), the built-in alias table,
  // and the 2014 → 2016 table as former names of the shared build.
  Status collect_names() {
    Expected<CsvTable> alias_table = parse_builtin(builtin_municipality_aliases(),
                                                   "framework/import/data/municipality_aliases.csv", 5);
    if (!alias_table) return internal_error("built-in table: " + alias_table.status().message());
    if (Status status = names_.add_alias_table(*alias_table, body_aliases_); !status) {
      return internal_error("built-in table: " + status.message());
    }
    CsvOptions mapping_options;
    mapping_options.delimiter = ',';
    Expected<CsvTable> mapping_table = read_csv(join_path(directory_, kMappingFile), mapping_options);
    if (!mapping_table) return mapping_table.status();
    Expected<MunicipalityMapping> mapping = parse_municipality_mapping(*mapping_table, known_codes_);
    if (!mapping) return mapping.status();
    mapping_ = std::move(*mapping);
    return add_former_names(former_name_rows(), kMunicipalitiesFile, builder_, counts_);
  }

  // The 2014 names that are not their municipality's name of 2016: the table lists
  // every municipality of 2014, most of them unchanged, which are no former names.
  std::vector<FormerNameRow> former_name_rows() const {
    std::vector<FormerNameRow> rows;
    for (std::size_t i = 0; i < mapping_.names_2014.size(); ++i) {
      const std::string& name = mapping_.names_2014[i];
      const auto& targets = mapping_.targets[i];
      if (targets.size() == 1 && normalise_name(official_names_.at(targets[0].code)) == normalise_name(name)) continue;
      const std::string where = std::string(kMappingFile) + ":" + std::to_string(mapping_.lines[i]) + ": gemeentecode_2016";
      for (const auto& target : targets) rows.push_back({name, target.code, kMappingFile, mapping_.lines[i], where});
    }
    return rows;
  }

  // Regio Atlas divisions, then COROP after them among the region definitions.
  Status add_regioatlas_divisions() {
    const std::string index_path = join_path(directory_, kDivisionIndexFile);
    Expected<std::vector<DivisionInfo>> divisions = read_division_index(index_path, index_path);
    if (!divisions) return divisions.status();
    for (const DivisionInfo& info : *divisions) {
      const std::string path = join_path(directory_, "regioatlas/" + info.file);
      Expected<std::vector<DivisionRow>> rows = read_division(path, path, known_codes_);
      if (!rows) return rows.status();
      DivisionImport division = build_division(info, *rows, names_, official_names_, report_, seen_names_);
      stats_.regioatlas_rows += division.rows;
      stats_.regioatlas_memberships += division.memberships;
      stats_.regioatlas_duplicates += division.duplicate_rows;
      stats_.regioatlas_arrangements += division.arrangements.size();
      stats_.regioatlas_definitions += division.definitions.size();
      for (auto& a : division.arrangements) *dataset_.add_arrangements() = std::move(a);
      for (auto& d : division.definitions) *dataset_.add_region_definitions() = std::move(d);
    }
    stats_.divisions = divisions->size();
    return add_regions(corop_rows_, kMunicipalitiesFile, builder_, counts_);
  }

  Expected<OpenGrContext> opengr_context() {
    Expected<CsvTable> keyword_table = parse_builtin(builtin_opengr_domain_keywords(),
                                                     "framework/import/data/opengr_domain_keywords.csv", 2);
    if (!keyword_table) return internal_error("built-in table: " + keyword_table.status().message());
    OpenGrContext context;
    context.names = &names_;
    Expected<std::vector<DomainRule>> rules = parse_domain_rules(*keyword_table);
    if (!rules) return internal_error("built-in table: " + rules.status().message());
    Expected<CsvTable> domain_table = parse_builtin(builtin_opengr_arrangement_domains(),
                                                    "framework/import/data/opengr_arrangement_domains.csv", 3);
    if (!domain_table) return internal_error("built-in table: " + domain_table.status().message());
    auto arrangement_domains = parse_arrangement_domains(*domain_table, *rules);
    if (!arrangement_domains) return internal_error("built-in table: " + arrangement_domains.status().message());
    context.arrangement_domains = std::move(*arrangement_domains);
    context.domain_rules = std::move(*rules);
    for (const v1::Municipality& m : dataset_.municipalities()) {
      if (!m.province_code().empty()) context.province_of_municipality[m.code()] = m.province_code();
    }
    context.water_board_aliases = body_aliases_["water_board"];
    for (const Area& p : provinces_) context.provinces[normalise_name(p.name)] = p.code;
    for (const auto& [alias, code] : body_aliases_["province"]) context.provinces[alias] = code;
    return context;
  }

  // OpenGR joint arrangements; the provinces come first among the bodies.
  Status add_opengr_arrangements() {
    Expected<OpenGrContext> context = opengr_context();
    if (!context) return context.status();
    CsvOptions opengr_options;
    opengr_options.delimiter = ',';
    Expected<CsvTable> opengr_table = read_csv(join_path(directory_, kOpenGrFile), opengr_options);
    if (!opengr_table) return opengr_table.status();
    Expected<OpenGrImport> opengr = import_opengr(*opengr_table, kOpenGrFile, *context, report_);
    if (!opengr) return opengr.status();
    stats_.opengr_rows = opengr->rows;
    stats_.opengr_arrangements_read = opengr->arrangements_read;
    stats_.opengr_arrangements_kept = opengr->arrangements.size();
    stats_.opengr_arrangements_dissolved = opengr->arrangements_dissolved;
    stats_.opengr_unresolved_participants = opengr->unresolved_participants;
    for (auto& body : province_bodies_) *dataset_.add_bodies() = std::move(body);
    for (auto& body : opengr->bodies) *dataset_.add_bodies() = std::move(body);
    for (auto& a : opengr->arrangements) *dataset_.add_arrangements() = std::move(a);
    return Status::ok();
  }

  // Commuting 2014 → 2016: the mapped matrix as commuting rows of the shared build.
  Status add_commuting_matrix() {
    CsvOptions matrix_options;
    matrix_options.delimiter = ';';
    matrix_options.has_header = false;
    const std::string matrix_path = join_path(directory_, kCommutingFile);
    Expected<CsvTable> matrix = read_csv(matrix_path, matrix_options);
    if (!matrix) return matrix.status();
    Expected<CommutingImport> commuting = import_commuting(*matrix, matrix_path, mapping_, report_);
    if (!commuting) return commuting.status();
    stats_.commuting_matrix_persons = commuting->matrix_persons;
    stats_.commuting_flow_persons = commuting->flows_persons;
    stats_.commuting_non_municipal_persons = commuting->non_municipal_persons;
    residents_in_work_ = std::move(commuting->residents_in_work);
    if (Status s = add_commuting(commuting->flows, kMunicipalitiesFile, builder_, counts_); !s) return s;
    stats_.commuting_flows = counts_.commuting_flows;
    return Status::ok();
  }

  bool has_file(const char* file) const {
    std::error_code error;
    return std::filesystem::is_regular_file(join_path(directory_, file), error);
  }

  // Population and the key figures as area indicators (metadata: the built-in table);
  // the municipalities' land area from CBS instead of the simplified polygons.
  Status add_key_figures() {
    if (!has_file(kKeyFiguresFile)) {
      report_.add(kKeyFiguresFile, 0, "key figures missing", kKeyFiguresFile,
                  "no CBS key figures in the data folder: no population (0 for all municipalities) and no area indicators");
      return Status::ok();
    }
    Expected<CsvTable> meta_table = parse_builtin(builtin_cbs_key_figures(), "framework/import/data/cbs_key_figures_2016.csv", 0, ',');
    if (!meta_table) return internal_error("built-in table: " + meta_table.status().message());
    Expected<std::vector<IndicatorMeta>> meta = parse_indicator_meta(*meta_table);
    if (!meta) return internal_error("built-in table: " + meta.status().message());
    Expected<IndicatorTable> table =
        read_indicator_table(join_path(directory_, kKeyFiguresFile), *meta, dataset_, IndicatorTableOptions{}, kKeyFiguresFile);
    if (!table) return table.status();
    for (const ResolutionEntry& e : table->report.entries()) report_.add(e.file, e.line, e.category, e.text, e.reason);
    std::map<std::string, double> land_area_ha;
    for (const v1::IndicatorValue& v : table->values) {
      if (v.indicator_id() == "land_area") land_area_ha[v.municipality_code()] = v.value();
    }
    stats_.key_figure_indicators = table->indicators.size();
    stats_.key_figure_values = table->values.size();
    if (Status s = add_indicator_table(dataset_, std::move(*table), false); !s) return s;
    for (v1::Municipality& m : *dataset_.mutable_municipalities()) {
      auto it = land_area_ha.find(m.code());
      if (it != land_area_ha.end() && it->second > 0.0) m.set_area_km2(it->second / 100.0);
      if (m.population() == 0) {
        report_.add(kKeyFiguresFile, 0, "population missing", m.name(), m.code() + " has no population in the key figures; population 0");
      }
    }
    return Status::ok();
  }

  // Trends for the municipalities of 2016 from the StatLine series (built-in trends table).
  Status add_series_trends() {
    if (!has_file(kSeriesFile)) {
      report_.add(kSeriesFile, 0, "series missing", kSeriesFile, "no StatLine series in the data folder: no trends");
      return Status::ok();
    }
    Expected<CsvTable> trend_table = parse_builtin(builtin_cbs_trends(), "framework/import/data/cbs_trends.csv", 9);
    if (!trend_table) return internal_error("built-in table: " + trend_table.status().message());
    Expected<std::vector<SeriesTrend>> trends = parse_series_trends(*trend_table);
    if (!trends) return internal_error("built-in table: " + trends.status().message());
    Expected<CsvTable> reorganisation_table = parse_builtin(
        builtin_municipal_reorganisations(), "framework/import/data/municipal_reorganisations_2011_2014.csv", 4);
    if (!reorganisation_table) return internal_error("built-in table: " + reorganisation_table.status().message());
    Expected<std::vector<Reorganisation>> reorganisations = parse_reorganisations(*reorganisation_table);
    if (!reorganisations) return internal_error("built-in table: " + reorganisations.status().message());

    CsvOptions series_options;
    series_options.delimiter = ';';
    Expected<CsvTable> series = read_csv(join_path(directory_, kSeriesFile), series_options, kSeriesFile);
    if (!series) return series.status();
    TrendContext context;
    context.reference_year = dataset_.reference_year();
    context.official_names = &official_names_;
    context.names = &names_;
    context.mapping = &mapping_;
    context.residents_in_work = &residents_in_work_;
    context.earlier = &*reorganisations;
    Expected<TrendImport> derived = derive_series_trends(*series, *trends, context, report_);
    if (!derived) return derived.status();
    stats_.trend_indicators = derived->indicators.size();
    stats_.trend_values_direct = derived->direct;
    stats_.trend_values_combined = derived->combined;
    stats_.trend_not_computable = derived->not_computable;
    for (auto& indicator : derived->indicators) *dataset_.add_area_indicators() = std::move(indicator);
    for (auto& value : derived->values) *dataset_.add_indicator_values() = std::move(value);
    return Status::ok();
  }

  // A population table given by the user replaces the key figures' population.
  Status add_population_table() {
    if (options_.population_file.empty()) return Status::ok();
    Expected<std::map<std::string, std::int64_t>> population = read_population(options_.population_file, official_names_);
    if (!population) return population.status();
    for (v1::Municipality& m : *dataset_.mutable_municipalities()) {
      auto it = population->find(m.code());
      if (it == population->end()) {
        report_.add(options_.population_file, 0, "population missing", m.name(),
                    m.code() + " is not in the table; the key figures' population (or 0) is kept");
      } else {
        m.set_population(it->second);
      }
    }
    return Status::ok();
  }

  const std::string& directory_;
  const Nl2016Options& options_;
  DatasetBuilder builder_;
  BuildCounts counts_;  // of the steps shared with every importer
  Nl2016Import result_;
  v1::Dataset& dataset_ = builder_.dataset();
  ResolutionReport& report_ = builder_.report();
  Nl2016Stats& stats_ = result_.stats;
  const std::map<std::string, std::string>& official_names_ = builder_.official_names();
  const std::set<std::string>& known_codes_ = builder_.known_codes();
  MunicipalityNames& names_ = builder_.names();
  std::map<std::string, std::set<std::string>>& seen_names_ = builder_.seen_names();
  std::vector<Area> provinces_;
  std::vector<v1::Body> province_bodies_;
  std::vector<RegionRow> corop_rows_;
  std::map<std::string, std::map<std::string, std::string>> body_aliases_;
  MunicipalityMapping mapping_;
  std::vector<double> residents_in_work_;  // by mapping index
};

}  // namespace

Expected<Nl2016Import> import_nl2016(const std::string& directory, const Nl2016Options& options) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return invalid_argument(directory + ": not a directory (expected the nl2016 data folder)");
  }
  return Nl2016Importer(directory, options).run();
}

}  // namespace bre::import
