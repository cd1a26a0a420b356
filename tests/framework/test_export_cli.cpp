// `bre export` end to end: the standard pipeline on the demo, its BRE partition written as
// GeoPackage and as GeoJSON in both coordinate systems, and read back by GDAL's own
// ogrinfo and ogr2ogr (layers, counts, CRS, attribute names and values against the run's
// CSV files, coordinates through an independent transformation); bad input refused with
// the exact message and no file left behind; `bre map` refusing an extension it cannot
// write and rendering PNG. The real data (../shared/data/nl2016) lands inside the
// Netherlands' bounding box in WGS 84, when the folder is there.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "bre/demo.hpp"
#include "bre/export/gis.hpp"
#include "bre/export/png.hpp"
#include "bre/import/csv.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using bre::test::run_bre;
using bre::test::run_program;
using bre::test::TempDir;

constexpr int kDemoMunicipalities = 294;

// What `ogrinfo -al -so` says about one layer.
struct LayerInfo {
  long feature_count = -1;
  int epsg = 0;  // the last ID["EPSG",N] of the layer's CRS: the CRS's own
  std::vector<std::string> fields;
  std::map<std::string, std::string> field_types;
  std::string extent;
};

std::map<std::string, LayerInfo> ogrinfo_layers(const std::string& path) {
  auto r = run_program("ogrinfo", {"-al", "-so", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, LayerInfo> layers;
  LayerInfo* current = nullptr;
  const std::regex layer_line("^Layer name: (.*)$");
  const std::regex count_line("^Feature Count: (\\d+)$");
  const std::regex id_line("ID\\[\"EPSG\",(\\d+)\\]");
  const std::regex field_line("^(\\w+): (String|Real|Integer|Integer64) \\(");
  const std::regex extent_line("^Extent: (.*)$");
  std::istringstream in(r.out);
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_search(line, match, layer_line)) {
      current = &layers[match[1]];
    } else if (current == nullptr) {
      continue;
    } else if (std::regex_search(line, match, count_line)) {
      current->feature_count = std::stol(match[1]);
    } else if (std::regex_search(line, match, extent_line)) {
      current->extent = match[1];
    } else if (std::regex_search(line, match, field_line)) {
      current->fields.push_back(match[1]);
      current->field_types[match[1]] = match[2];
    } else if (std::regex_search(line, match, id_line)) {
      current->epsg = std::stoi(match[1]);
    }
  }
  return layers;
}

// A layer as CSV through ogr2ogr, the geometry as WKT in its first column.
bre::import::CsvTable ogr_csv(const std::string& path, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"-f", "CSV", "/vsistdout/", path, "-lco", "GEOMETRY=AS_WKT"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_program("ogr2ogr", args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto table = bre::import::parse_csv(r.out, path, {});
  EXPECT_TRUE(table) << table.status().message();
  return table ? *table : bre::import::CsvTable{};
}

// Rows keyed by the value of column `key`, each a map column → value.
std::map<std::string, std::map<std::string, std::string>> rows_by(const bre::import::CsvTable& table,
                                                                  const std::string& key) {
  std::map<std::string, std::map<std::string, std::string>> rows;
  for (const auto& record : table.records) {
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < table.header.size() && c < record.fields.size(); ++c) {
      row[table.header[c]] = record.fields[c];
    }
    rows[row[key]] = row;
  }
  return rows;
}

bre::import::CsvTable read_csv(const std::string& path) {
  auto table = bre::import::read_csv(path, {});
  EXPECT_TRUE(table) << table.status().message();
  return table ? *table : bre::import::CsvTable{};
}

// Every x y pair of a WKT text.
std::vector<std::pair<double, double>> wkt_points(const std::string& wkt) {
  std::vector<std::pair<double, double>> points;
  const std::regex pair("(-?[0-9.eE+-]+) (-?[0-9.eE+-]+)");
  for (auto it = std::sregex_iterator(wkt.begin(), wkt.end(), pair); it != std::sregex_iterator(); ++it) {
    points.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  }
  return points;
}

bool same_number(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  const double x = std::stod(a), y = std::stod(b);
  return std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(x));
}

class ExportCli : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto run = run_bre({"run", std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json", "--out",
                        dir_->file("run"), "--quiet"});
    if (run.exit_code != 0) setup_error_ = "bre run: " + run.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(setup_error_, ""); }
  static std::string run_dir() { return dir_->file("run"); }
  static TempDir* dir_;
  static std::string setup_error_;
};
TempDir* ExportCli::dir_ = nullptr;
std::string ExportCli::setup_error_;

TEST_F(ExportCli, GeoPackageHoldsMunicipalitiesAndDissolvedRegionsWithTheRunsIndicators) {
  TempDir out;
  auto r = run_bre({"export", run_dir(), "--out", out.file("bre.gpkg")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote " + out.file("bre.gpkg") + ": partition bre, EPSG:28992"), std::string::npos) << r.out;

  const auto partition = read_csv(run_dir() + "/bre.partition.csv");
  std::set<std::string> region_ids;
  for (const auto& record : partition.records) region_ids.insert(record.fields[0]);

  const auto layers = ogrinfo_layers(out.file("bre.gpkg"));
  ASSERT_EQ(layers.size(), 2u);
  ASSERT_TRUE(layers.count("municipalities") && layers.count("regions"));
  const LayerInfo& municipalities = layers.at("municipalities");
  const LayerInfo& regions = layers.at("regions");
  EXPECT_EQ(municipalities.feature_count, kDemoMunicipalities);
  EXPECT_EQ(regions.feature_count, static_cast<long>(region_ids.size()));
  EXPECT_EQ(municipalities.epsg, 28992);
  EXPECT_EQ(regions.epsg, 28992);
  const std::vector<std::string> first = {"municipality_code", "municipality_name", "region_id", "region_name",
                                          "membership_confidence"};
  ASSERT_GE(municipalities.fields.size(), first.size());
  EXPECT_EQ(std::vector<std::string>(municipalities.fields.begin(), municipalities.fields.begin() + 5), first);
  EXPECT_EQ(municipalities.field_types.at("membership_confidence"), "Real");
  EXPECT_EQ(regions.fields[0], "region_id");
  EXPECT_EQ(regions.fields[2], "municipalities");
  EXPECT_EQ(regions.field_types.at("municipalities"), "Integer");

  // Every column of the per-region tables of the partition, in both layers, named after
  // the table and the column.
  const auto attribute_of = [](const std::string& table, const std::string& column) {
    return column.rfind(table, 0) == 0 ? column : table + "_" + column;
  };
  const std::set<std::string> municipality_fields(municipalities.fields.begin(), municipalities.fields.end());
  const std::set<std::string> region_fields(regions.fields.begin(), regions.fields.end());
  std::size_t expected_indicators = 0;
  for (const auto& [file, table] : std::vector<std::pair<std::string, std::string>>{
           {"congruence_bre.congruence.csv", "congruence"}, {"dus.dus.csv", "dus"}, {"biotope.biotope.csv", "biotope"},
           {"broad_wellbeing.broad_wellbeing.csv", "broad_wellbeing"}, {"quadrant.quadrant.csv", "quadrant"}}) {
    const auto csv = read_csv(run_dir() + "/" + file);
    ASSERT_GT(csv.header.size(), 2u) << file;
    for (std::size_t c = 2; c < csv.header.size(); ++c) {
      EXPECT_TRUE(municipality_fields.count(attribute_of(table, csv.header[c]))) << file << " " << csv.header[c];
      EXPECT_TRUE(region_fields.count(attribute_of(table, csv.header[c]))) << file << " " << csv.header[c];
      ++expected_indicators;
    }
  }
  EXPECT_GT(expected_indicators, 100u);
  for (const std::string& field : regions.fields) {
    if (field != "municipalities") {
      EXPECT_TRUE(municipality_fields.count(field)) << field;
    }
  }
  for (const std::string& field : municipality_fields) {
    EXPECT_LE(field.size(), bre::gis::kMaxFieldName);
    EXPECT_TRUE(std::regex_match(field, std::regex("[a-z][a-z0-9_]*"))) << field;
  }

  // Values against the run's CSV files: each municipality's region, and the congruence
  // of its region.
  const auto features = rows_by(ogr_csv(out.file("bre.gpkg"), {"municipalities"}), "municipality_code");
  ASSERT_EQ(features.size(), static_cast<std::size_t>(kDemoMunicipalities));
  for (const auto& record : partition.records) {
    const auto& feature = features.at(record.fields[2]);
    EXPECT_EQ(feature.at("region_id"), record.fields[0]);
    EXPECT_EQ(feature.at("region_name"), record.fields[1]);
    EXPECT_EQ(feature.at("municipality_name"), record.fields[3]);
  }
  const auto congruence = read_csv(run_dir() + "/congruence_bre.congruence.csv");
  const auto region_features = rows_by(ogr_csv(out.file("bre.gpkg"), {"regions"}), "region_id");
  int compared = 0;
  for (const auto& record : congruence.records) {
    if (!region_ids.count(record.fields[0])) continue;  // the national row
    const auto& region = region_features.at(record.fields[0]);
    for (std::size_t c = 2; c < congruence.header.size(); ++c) {
      const std::string column = attribute_of("congruence", congruence.header[c]);
      ASSERT_TRUE(region.count(column)) << column;
      EXPECT_TRUE(same_number(region.at(column), record.fields[c]))
          << record.fields[0] << " " << column << ": " << region.at(column) << " vs " << record.fields[c];
      ++compared;
    }
  }
  EXPECT_GT(compared, 10);
  // The dissolved regions: one polygon outline per region where the municipalities had many.
  for (const auto& [id, region] : region_features) {
    EXPECT_EQ(region.at("WKT").rfind("MULTIPOLYGON (((", 0), 0u) << id;
  }
}

TEST_F(ExportCli, GeoJsonInBothCoordinateSystemsRoundTripsAndRepeatsByteForByte) {
  TempDir out;
  auto wgs = run_bre({"export", run_dir() + "/run.pb", "--out", out.file("bre.geojson")});
  ASSERT_EQ(wgs.exit_code, 0) << wgs.err;
  auto rd = run_bre({"export", run_dir(), "--out", out.file("rd.geojson"), "--crs", "28992"});
  ASSERT_EQ(rd.exit_code, 0) << rd.err;
  auto again = run_bre({"export", run_dir(), "--out", out.file("again.geojson"), "--crs", "EPSG:4326"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(bre::test::read_text(out.file("bre.geojson")), bre::test::read_text(out.file("again.geojson")));

  const auto wgs_layers = ogrinfo_layers(out.file("bre.geojson"));
  ASSERT_EQ(wgs_layers.size(), 1u);
  EXPECT_EQ(wgs_layers.begin()->second.feature_count, kDemoMunicipalities);
  EXPECT_EQ(wgs_layers.begin()->second.epsg, 4326);
  const auto rd_layers = ogrinfo_layers(out.file("rd.geojson"));
  ASSERT_EQ(rd_layers.size(), 1u);
  EXPECT_EQ(rd_layers.begin()->second.epsg, 28992);
  EXPECT_EQ(rd_layers.begin()->second.fields, wgs_layers.begin()->second.fields);
  const std::string text = bre::test::read_text(out.file("bre.geojson"));
  EXPECT_EQ(text.find("\"crs\""), std::string::npos) << "RFC 7946 has no crs member";

  // WGS 84 back to RD by ogr2ogr: every vertex within 1 mm of the dataset's.
  const bre::v1::Dataset demo = bre::demo::generate();
  const auto back = rows_by(ogr_csv(out.file("bre.geojson"), {"-t_srs", "EPSG:28992"}), "municipality_code");
  const auto as_written = rows_by(ogr_csv(out.file("rd.geojson"), {}), "municipality_code");
  ASSERT_EQ(back.size(), static_cast<std::size_t>(kDemoMunicipalities));
  double worst_round_trip = 0, worst_rd = 0;
  std::size_t vertices = 0;
  for (const auto& municipality : demo.municipalities()) {
    std::vector<std::pair<double, double>> original;
    for (const auto& polygon : municipality.geometry().polygons()) {
      for (const auto& point : polygon.outer().points()) original.emplace_back(point.x(), point.y());
      for (const auto& hole : polygon.holes()) {
        for (const auto& point : hole.points()) original.emplace_back(point.x(), point.y());
      }
    }
    const auto nearest = [&](std::pair<double, double> p) {
      double best = INFINITY;
      for (const auto& q : original) best = std::min(best, std::hypot(p.first - q.first, p.second - q.second));
      return best;
    };
    const auto round_trip = wkt_points(back.at(municipality.code()).at("WKT"));
    const auto written = wkt_points(as_written.at(municipality.code()).at("WKT"));
    ASSERT_FALSE(round_trip.empty()) << municipality.code();
    for (const auto& p : round_trip) worst_round_trip = std::max(worst_round_trip, nearest(p));
    for (const auto& p : written) worst_rd = std::max(worst_rd, nearest(p));
    vertices += round_trip.size();
  }
  EXPECT_LE(worst_round_trip, 0.001) << "RD -> WGS 84 -> RD over " << vertices << " vertices";
  EXPECT_LE(worst_rd, 0.0005);
  RecordProperty("worst_round_trip_m", std::to_string(worst_round_trip));

  // The regions as GeoJSON: one feature per region.
  auto regions = run_bre({"export", run_dir(), "--out", out.file("regions.geojson"), "--layer", "regions"});
  ASSERT_EQ(regions.exit_code, 0) << regions.err;
  const auto region_layers = ogrinfo_layers(out.file("regions.geojson"));
  ASSERT_EQ(region_layers.size(), 1u);
  EXPECT_EQ(region_layers.begin()->first, "regions");
  std::set<std::string> region_ids;
  for (const auto& record : read_csv(run_dir() + "/bre.partition.csv").records) region_ids.insert(record.fields[0]);
  EXPECT_EQ(region_layers.begin()->second.feature_count, static_cast<long>(region_ids.size()));
}

TEST_F(ExportCli, GeoPackageContentRepeatsAndOtherPartitionsAndCsvsExport) {
  TempDir out;
  ASSERT_EQ(run_bre({"export", run_dir(), "--out", out.file("a.gpkg")}).exit_code, 0);
  ASSERT_EQ(run_bre({"export", run_dir(), "--out", out.file("b.gpkg")}).exit_code, 0);
  for (const char* layer : {"municipalities", "regions"}) {
    const auto a = ogr_csv(out.file("a.gpkg"), {layer});
    const auto b = ogr_csv(out.file("b.gpkg"), {layer});
    EXPECT_EQ(a.header, b.header);
    ASSERT_EQ(a.records.size(), b.records.size());
    for (std::size_t i = 0; i < a.records.size(); ++i) EXPECT_EQ(a.records[i].fields, b.records[i].fields) << layer;
  }

  // The coarser level of the same step, by name; it has no indicator tables.
  auto coarser = run_bre({"export", run_dir(), "--partition", "bre_coarser", "--out", out.file("coarser.gpkg")});
  ASSERT_EQ(coarser.exit_code, 0) << coarser.err;
  EXPECT_NE(coarser.out.find("partition bre_coarser"), std::string::npos) << coarser.out;
  // A partition CSV: codes, names and regions only.
  auto from_csv = run_bre({"export", run_dir() + "/provinces.partition.csv", "--out", out.file("provinces.geojson")});
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
  const auto layers = ogrinfo_layers(out.file("provinces.geojson"));
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers.begin()->second.fields,
            (std::vector<std::string>{"municipality_code", "municipality_name", "region_id", "region_name"}));
  EXPECT_EQ(layers.begin()->second.feature_count, kDemoMunicipalities);
}

// Exact messages, exit code 2, and nothing in the output directory afterwards.
TEST_F(ExportCli, BadInputIsRefusedAndLeavesNothing) {
  TempDir out;
  const auto expect_refused = [&](const std::vector<std::string>& args, const std::string& message) {
    auto r = run_bre(args);
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_EQ(r.err, message + "\n");
    EXPECT_TRUE(fs::is_empty(out.path())) << "left behind after: " << r.err;
  };
  const std::string run_pb = run_dir() + "/run.pb";
  expect_refused({"export", run_dir(), "--partition", "nope", "--out", out.file("x.gpkg")},
                 "bre export: " + run_pb +
                     ": no partition named 'nope' (partitions: bre, bre_coarser, provinces, dus_regions, "
                     "dus_regions_coarser)");
  expect_refused({"export", run_dir(), "--out", out.file("x.shp")},
                 "bre export: --out: " + out.file("x.shp") +
                     ": expected the extension .geojson (GeoJSON) or .gpkg (GeoPackage), found '.shp'");
  expect_refused({"export", run_dir(), "--out", out.file("x.gpkg"), "--crs", "3857"},
                 "bre export: --crs: expected 4326 (WGS 84) or 28992 (RD New), found '3857'");
  expect_refused({"export", run_dir(), "--out", out.file("x.gpkg"), "--crs", "4326"},
                 "bre export: --crs 4326: a GeoPackage is written in EPSG:28992 (RD New), the dataset's own; use a "
                 ".geojson file for WGS 84");

  // Another dataset than the run's: the demo with another seed.
  ASSERT_EQ(run_bre({"dataset", "demo", dir_->file("other.pb"), "--seed", "7"}).exit_code, 0);
  auto other = run_bre({"export", run_dir(), "--dataset", dir_->file("other.pb"), "--out", out.file("x.gpkg")});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_TRUE(std::regex_match(other.err, std::regex("bre export: " + dir_->file("other.pb") +
                                                     " is not the dataset of " + run_pb +
                                                     " \\(SHA-256 [0-9a-f]{64}, the run's manifest says "
                                                     "[0-9a-f]{64}\\); pass the run's dataset with --dataset\n")))
      << other.err;
  EXPECT_TRUE(fs::is_empty(out.path()));

  // A directory that cannot be written to; root may write anywhere, so there only a
  // directory that is not there.
  if (::geteuid() != 0) {
    const std::string locked = out.file("locked");
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    auto r = run_bre({"export", run_dir(), "--out", locked + "/x.gpkg"});
    fs::permissions(locked, fs::perms::owner_all);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "bre export: " + locked + "/x.gpkg: cannot create a temporary directory in " + locked +
                         ": Permission denied\n");
    EXPECT_TRUE(fs::is_empty(locked));
    fs::remove(locked);
  }
  auto missing = run_bre({"export", run_dir(), "--out", out.file("no/such/dir/x.geojson")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "bre export: " + out.file("no/such/dir/x.geojson") + ": cannot create a temporary directory in " +
                             out.file("no/such/dir") + ": No such file or directory\n");
  EXPECT_TRUE(fs::is_empty(out.path()));

  // A file already there is replaced whole, or left as it was when the export fails.
  bre::test::write_text(out.file("keep.gpkg"), "earlier");
  auto kept = run_bre({"export", run_dir(), "--partition", "nope", "--out", out.file("keep.gpkg")});
  EXPECT_EQ(kept.exit_code, 2);
  EXPECT_EQ(bre::test::read_text(out.file("keep.gpkg")), "earlier");
  EXPECT_EQ(std::distance(fs::directory_iterator(out.path()), fs::directory_iterator()), 1);
  ASSERT_EQ(run_bre({"export", run_dir(), "--out", out.file("keep.gpkg")}).exit_code, 0);
  EXPECT_EQ(ogrinfo_layers(out.file("keep.gpkg")).size(), 2u);
  EXPECT_EQ(std::distance(fs::directory_iterator(out.path()), fs::directory_iterator()), 1);
}

// examples/pipelines/gis.json asks for three GIS files with the run. Each is checked
// against GDAL's ogrinfo (layers, counts, CRS, attribute names) and against `bre export`
// of the same run (the same bytes for GeoJSON, the same content for the GeoPackage); the
// GeoPackage repeats byte for byte between runs on 1 and 2 threads.
TEST(ExportFromPipeline, TheRunWritesTheGisFilesItsPipelineAsksFor) {
  TempDir dir;
  const std::string pipeline = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/gis.json";
  auto run = run_bre({"run", pipeline, "--out", dir.file("run"), "--quiet", "--threads", "1"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string listing = bre::test::read_text(dir.file("run") + "/.bre-outputs");
  for (const char* file : {"bre.gpkg", "bre.geojson", "bre_coarser.geojson"}) {
    EXPECT_NE(listing.find(std::string(file) + "\n"), std::string::npos) << file;
  }

  const auto partition = read_csv(dir.file("run") + "/bre.partition.csv");
  std::set<std::string> region_ids;
  for (const auto& record : partition.records) region_ids.insert(record.fields[0]);
  const auto layers = ogrinfo_layers(dir.file("run") + "/bre.gpkg");
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers.at("municipalities").feature_count, kDemoMunicipalities);
  EXPECT_EQ(layers.at("regions").feature_count, static_cast<long>(region_ids.size()));
  EXPECT_EQ(layers.at("municipalities").epsg, 28992);
  const auto& fields = layers.at("municipalities").fields;
  for (const char* field : {"municipality_code", "municipality_name", "region_id", "region_name",
                            "membership_confidence", "congruence_c1"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), field), fields.end()) << field;
  }
  const auto wgs84 = ogrinfo_layers(dir.file("run") + "/bre.geojson");
  ASSERT_EQ(wgs84.size(), 1u);
  EXPECT_EQ(wgs84.begin()->second.feature_count, kDemoMunicipalities);
  EXPECT_EQ(wgs84.begin()->second.fields, fields);
  const auto coarser = ogrinfo_layers(dir.file("run") + "/bre_coarser.geojson");
  ASSERT_EQ(coarser.size(), 1u);
  EXPECT_EQ(coarser.begin()->second.epsg, 28992);
  EXPECT_LT(coarser.begin()->second.feature_count, static_cast<long>(region_ids.size()));

  // The same as `bre export` of the run makes.
  ASSERT_EQ(run_bre({"export", dir.file("run"), "--out", dir.file("bre.geojson")}).exit_code, 0);
  EXPECT_EQ(bre::test::read_text(dir.file("bre.geojson")), bre::test::read_text(dir.file("run") + "/bre.geojson"));
  ASSERT_EQ(run_bre({"export", dir.file("run"), "--out", dir.file("bre.gpkg")}).exit_code, 0);
  for (const char* layer : {"municipalities", "regions"}) {
    const auto a = ogr_csv(dir.file("bre.gpkg"), {layer});
    const auto b = ogr_csv(dir.file("run") + "/bre.gpkg", {layer});
    EXPECT_EQ(a.header, b.header);
    ASSERT_EQ(a.records.size(), b.records.size());
    for (std::size_t i = 0; i < a.records.size(); ++i) EXPECT_EQ(a.records[i].fields, b.records[i].fields) << layer;
  }

  auto again = run_bre({"run", pipeline, "--out", dir.file("again"), "--quiet", "--threads", "2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  for (const char* file : {"bre.gpkg", "bre.geojson", "bre_coarser.geojson"}) {
    EXPECT_EQ(bre::test::read_text(dir.file("again") + "/" + file), bre::test::read_text(dir.file("run") + "/" + file))
        << file;
  }
}

// An export a run could not write is refused before the run, and nothing is written.
TEST(ExportFromPipeline, BadExportsAreRefusedBeforeTheRun) {
  TempDir dir;
  const auto refused = [&](const std::string& exports, const std::string& message) {
    const std::string spec = dir.file("p.json");
    bre::test::write_text(spec, R"({"steps": [{"id": "provinces", "plugin": "region.provinces"}], "exports": )" +
                                    exports + "}");
    auto r = run_bre({"run", spec, "--out", dir.file("run")});
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_EQ(r.err, "bre: " + spec + ": " + message + "\n");
    EXPECT_FALSE(fs::exists(dir.file("run")));
  };
  refused(R"([{"partition": "bre", "file": "bre.gpkg"}])",
          "exports[0].partition: expected the id of a step that makes a partition (or <step>_coarser), found 'bre' "
          "(steps: provinces)");
  refused(R"([{"partition": "provinces", "file": "p.shp"}])",
          "exports[0].file: p.shp: expected the extension .geojson (GeoJSON) or .gpkg (GeoPackage), found '.shp'");
  refused(R"([{"partition": "provinces", "file": "../p.gpkg"}])",
          "exports[0].file: expected a file name of the run directory such as bre.gpkg (letters, digits, '_' and "
          "'-', then .gpkg or .geojson), found '../p.gpkg'");
  refused(R"([{"partition": "provinces", "file": "p.gpkg", "crs": 4326}])",
          "exports[0].crs 4326: a GeoPackage is written in EPSG:28992 (RD New), the dataset's own; use a .geojson "
          "file for WGS 84");
  refused(R"([{"partition": "provinces", "file": "p.geojson"}, {"partition": "provinces", "file": "p.geojson"}])",
          "exports[1].file: p.geojson is written by exports[0] already");
}

TEST(ExportNames, FieldNamesAreSafeShortAndUnique) {
  const std::string long_name(80, 'a');
  const auto names = bre::gis::gis_field_names(
      {"Congruence C1 (%)", "congruence_c1", "2016 inwoners", "", "fid", "GEOM", "__x__", long_name, long_name,
       "état"});
  EXPECT_EQ(names, (std::vector<std::string>{"congruence_c1", "congruence_c1_2", "f_2016_inwoners", "field", "fid_2",
                                             "geom_2", "x", std::string(63, 'a'), std::string(61, 'a') + "_2",
                                             "tat"}));
}

TEST(MapExtension, MapRefusesWhatItCannotWriteAndRendersPng) {
  TempDir dir;
  auto geojson = run_bre({"map", "network", "--out", dir.file("bre.geojson")});
  EXPECT_EQ(geojson.exit_code, 2);
  EXPECT_EQ(geojson.err,
            "bre map: --out " + dir.file("bre.geojson") + ": bre map writes .svg or .png; for GIS formats use bre export\n");
  auto none = run_bre({"map", "partition", "--partition", dir.file("p.csv"), "--out", dir.file("bre")});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.err, "bre map: --out " + dir.file("bre") + ": bre map writes .svg or .png; for GIS formats use bre export\n");
  EXPECT_TRUE(fs::is_empty(dir.path()));

  ASSERT_EQ(run_bre({"map", "network", "--out", dir.file("n.svg")}).exit_code, 0);
  auto png = run_bre({"map", "network", "--out", dir.file("n.png")});
  ASSERT_EQ(png.exit_code, 0) << png.err;
  const std::string bytes = bre::test::read_text(dir.file("n.png"));
  ASSERT_GT(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(0, 8), std::string(bre::png::kSignature, 8));
  EXPECT_EQ(bytes.substr(12, 4), "IHDR");
  const auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned char>(bytes[at]) << 24) | (static_cast<unsigned char>(bytes[at + 1]) << 16) |
           (static_cast<unsigned char>(bytes[at + 2]) << 8) | static_cast<unsigned char>(bytes[at + 3]);
  };
  // The size is the SVG's viewBox (millimetres) at 10 pixels a millimetre.
  const std::string svg = bre::test::read_text(dir.file("n.svg"));
  std::smatch match;
  ASSERT_TRUE(std::regex_search(svg, match, std::regex("viewBox=\"0 0 ([0-9.]+) ([0-9.]+)\"")));
  EXPECT_EQ(be32(16), static_cast<unsigned>(std::lround(std::stod(match[1]) * bre::png::kPixelsPerMm)));
  EXPECT_EQ(be32(20), static_cast<unsigned>(std::lround(std::stod(match[2]) * bre::png::kPixelsPerMm)));
  // The same map twice gives the same image.
  ASSERT_EQ(run_bre({"map", "network", "--out", dir.file("again.png")}).exit_code, 0);
  EXPECT_EQ(bre::test::read_text(dir.file("again.png")), bytes);
}

std::string nl2016_dir() {
  if (const char* env = std::getenv("BRE_NL2016_DIR"); env != nullptr && *env != '\0') return env;
  return std::string(BRE_SOURCE_DIR) + "/../shared/data/nl2016";
}

TEST(ExportNl2016, RealMunicipalitiesLieInTheNetherlandsInWgs84) {
  if (!fs::exists(nl2016_dir() + "/gemeente_2016_rd.geojson")) {
    GTEST_SKIP() << "nl2016 data not found at " << nl2016_dir()
                 << " (set BRE_NL2016_DIR to the folder of gemeente_2016_rd.geojson)";
  }
  TempDir dir;
  auto imported = run_bre({"import", "nl2016", "--from", nl2016_dir(), "--out", dir.file("nl.pb")});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  bre::test::write_text(dir.file("p.json"), R"({"steps": [{"id": "provinces", "plugin": "region.provinces"}]})");
  auto run = run_bre({"run", dir.file("p.json"), "--dataset", dir.file("nl.pb"), "--out", dir.file("run"), "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto exported = run_bre({"export", dir.file("run"), "--dataset", dir.file("nl.pb"), "--out", dir.file("nl.geojson")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto layers = ogrinfo_layers(dir.file("nl.geojson"));
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers.begin()->second.feature_count, 390);  // the municipalities of 2016
  EXPECT_EQ(layers.begin()->second.epsg, 4326);
  // Amsterdam, every vertex: inside the country and around 4.9 E, 52.37 N.
  const auto amsterdam = ogr_csv(dir.file("nl.geojson"), {"-where", "municipality_code = 'GM0363'"});
  ASSERT_EQ(amsterdam.records.size(), 1u);
  const auto points = wkt_points(amsterdam.records[0].fields[0]);
  ASSERT_GT(points.size(), 10u);
  for (const auto& [lon, lat] : points) {
    EXPECT_TRUE(lon > 3.3 && lon < 7.3 && lat > 50.7 && lat < 53.6) << lon << " " << lat;
    EXPECT_TRUE(lon > 4.7 && lon < 5.1 && lat > 52.2 && lat < 52.5) << lon << " " << lat;
  }
}

}  // namespace
