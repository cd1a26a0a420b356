// `bre import files` on a small hand-made country written by the tests, and `bre
// dataset info`. The country: six square municipalities of 10 km on a 3 × 2 grid in
// RD New (x 150-180 km, y 440-460 km); GM0002 has a square lake of 4 × 4 km (a hole),
// GM0006 an island of 2 × 2 km east of it (a MultiPolygon). Areas 100, 84, 100, 100,
// 100, 104 km²; seven shared borders of 10 km (rook contiguity). No randomness.
#include <gtest/gtest.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/import/build.hpp"
#include "bre/import/files.hpp"
#include "bre/import/projection.hpp"
#include "test_support.hpp"

namespace {

using bre::test::read_text;
using bre::test::run_bre;
using bre::test::TempDir;
using bre::test::write_text;

struct Xy {
  double x;
  double y;
};

// Grid corners and the lake's and island's corners in RD New, and the same points in
// WGS 84 longitude/latitude as an independent reference, computed once with PROJ's
// command-line tool (Debian proj-bin 9.1.1):
//   cs2cs -f %.12f EPSG:28992 OGC:CRS84
const std::vector<std::pair<Xy, Xy>> kPoints = {
    {{150000, 440000}, {5.314476521641, 51.948424163233}}, {{160000, 440000}, {5.459928977693, 51.948423959778}},
    {{170000, 440000}, {5.605380760783, 51.948243821622}}, {{180000, 440000}, {5.750830527445, 51.947883752239}},
    {{150000, 450000}, {5.314330924064, 52.038305673707}}, {{160000, 450000}, {5.460075234967, 52.038305469913}},
    {{170000, 450000}, {5.605818868310, 52.038124862726}}, {{180000, 450000}, {5.751560471451, 52.037763855640}},
    {{150000, 460000}, {5.314184651357, 52.128185950471}}, {{160000, 460000}, {5.460222169807, 52.128185746338}},
    {{170000, 460000}, {5.606259006059, 52.128004668235}}, {{180000, 460000}, {5.752293798209, 52.127642719677}},
    {{163000, 443000}, {5.503634675070, 51.975353360055}}, {{167000, 443000}, {5.561850372591, 51.975281248539}},
    {{167000, 447000}, {5.561990593828, 52.011233742479}}, {{163000, 447000}, {5.503728200267, 52.011305929039}},
    {{185000, 455000}, {5.824869536507, 52.082454974682}}, {{187000, 455000}, {5.854046391297, 52.082342941084}},
    {{187000, 457000}, {5.854234187140, 52.100318500903}}, {{185000, 457000}, {5.825045600400, 52.100430592886}},
};

// A closed ring through RD points, written in RD New or in WGS 84 (from kPoints).
std::string ring(const std::vector<Xy>& corners, bool wgs84) {
  std::string out = "[";
  for (std::size_t i = 0; i <= corners.size(); ++i) {
    const Xy& rd = corners[i % corners.size()];
    Xy p = rd;
    if (wgs84) {
      bool found = false;
      for (const auto& [a, b] : kPoints) {
        if (a.x == rd.x && a.y == rd.y) p = b, found = true;
      }
      EXPECT_TRUE(found) << rd.x << " " << rd.y;
    }
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s[%.12g,%.12g]", i == 0 ? "" : ",", p.x, p.y);
    out += buffer;
  }
  return out + "]";
}

std::vector<Xy> square(double x0, double y0, double size) {
  return {{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}};
}

struct Feature {
  std::string code;
  std::string name;
  std::string geometry_type;  // Polygon or MultiPolygon (or something wrong: Point, null)
  std::vector<std::vector<std::vector<Xy>>> polygons;  // polygons of rings
  std::string population;
};

std::vector<Feature> country() {
  const double km = 1000;
  std::vector<Feature> f = {
      {"GM0001", "Aadorp", "Polygon", {{square(150 * km, 440 * km, 10 * km)}}, "1000"},
      {"GM0002", "Bergen (NH.)", "Polygon", {{square(160 * km, 440 * km, 10 * km), square(163 * km, 443 * km, 4 * km)}}, "2000"},
      {"GM0003", "Bergen (L.)", "Polygon", {{square(170 * km, 440 * km, 10 * km)}}, "3000"},
      {"GM0004", "Dijkstad", "Polygon", {{square(150 * km, 450 * km, 10 * km)}}, "4000"},
      {"GM0005", "Eemdorp", "Polygon", {{square(160 * km, 450 * km, 10 * km)}}, "5000"},
      {"GM0006", "Fort-Eiland", "MultiPolygon",
       {{square(170 * km, 450 * km, 10 * km)}, {square(185 * km, 455 * km, 2 * km)}}, "6000"},
  };
  return f;
}

std::string geojson(const std::vector<Feature>& features, const std::string& crs_member, bool wgs84) {
  std::string out = R"({"type":"FeatureCollection",)" + crs_member + R"("features":[)";
  for (std::size_t i = 0; i < features.size(); ++i) {
    const Feature& f = features[i];
    std::string coordinates;
    for (std::size_t p = 0; p < f.polygons.size(); ++p) {
      std::string rings;
      for (std::size_t r = 0; r < f.polygons[p].size(); ++r) rings += (r ? "," : "") + ring(f.polygons[p][r], wgs84);
      coordinates += (p ? ",[" : "[") + rings + "]";
    }
    if (f.geometry_type == "MultiPolygon") coordinates = "[" + coordinates + "]";
    if (f.geometry_type == "Point") coordinates = "[155000,445000]";
    const std::string geometry = f.geometry_type == "null" ? "null"
                                                            : R"({"type":")" + f.geometry_type +
                                                                  R"(","coordinates":)" + coordinates + "}";
    out += (i ? "," : "") + std::string(R"({"type":"Feature","properties":{"statcode":")") + f.code +
           R"(","statnaam":")" + f.name + R"(","inwoners":)" + f.population + R"(},"geometry":)" + geometry + "}";
  }
  return out + "]}";
}

const char* kRdCrs = R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},)";
// EPSG:4326 is latitude first by definition; GeoJSON files write longitude first anyway.
const char* kWgs84Crs = R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4326"}},)";

// Arrangements: names resolve by code, CBS number, official name (any case), former
// name (mergers file); "Bergen" is ambiguous, "Splitdorp" split.
const char* kArrangements =
    "arrangement,participant,kind,legal_form,domains,start,end,division\n"
    "Afvalschap,GM0001,cooperation,wgr_public_body,afval|fysiek,2015-01-01,,\n"
    "Afvalschap,Bergen (NH.),,,,,,\n"
    "Afvalschap,Oudveld,,,,,,\n"
    "GGD Noord,GM0001,,,zorg,,,GGD's\n"
    "GGD Noord,GM0002,,,,,,GGD's\n"
    "GGD Noord,4,,,,,,GGD's\n"
    "GGD Zuid,Bergen (L.),,wgr_public_body,zorg,,,GGD's\n"
    "GGD Zuid,eemdorp,,,,,,\n"
    "GGD Zuid,GM0006,,,,,,\n"
    "Solo,GM0001,societal,,,,,\n"
    "Solo,Bergen,,,,,,\n"
    "Oud verband,GM0001,,,,2001-01-01,2010-12-31,\n"
    "Oud verband,GM0002,,,,,,\n"
    "Splitverband,Splitdorp,,,werk,,,\n"
    "Splitverband,GM0005,,,,,,\n"
    "Splitverband,GM0006,,,,,,\n";

const char* kMergers =
    "former,code\n"
    "Oudveld,GM0004\n"
    "Splitdorp,GM0001\n"
    "Splitdorp,GM0002\n";

const char* kRegions =
    "definition,code,region\n"
    "Veiligheidsregio,GM0001,VR West\n"
    "Veiligheidsregio,GM0004,VR West\n"
    "Veiligheidsregio,GM0002,VR Midden\n"
    "Veiligheidsregio,GM0005,VR Midden\n"
    "Veiligheidsregio,GM0003,VR Oost\n"
    "Veiligheidsregio,GM0006,VR Oost\n";

// ';'-separated, as a spreadsheet with decimal commas saves it.
const char* kCommuting =
    "home;work;persons\n"
    "GM0001;GM0001;900\n"
    "GM0001;GM0002;120\n"
    "GM0002;GM0001;80.5\n"
    "0005;GM0006;40\n";

// The files of one import in `dir`; `crs`: "rd", "wgs84" (declared) or "default" (no crs member).
std::vector<std::string> write_country(const TempDir& dir, const std::string& crs) {
  const bool wgs84 = crs != "rd";
  write_text(dir.file(crs + ".geojson"),
             geojson(country(), crs == "rd" ? kRdCrs : crs == "wgs84" ? kWgs84Crs : "", wgs84));
  write_text(dir.file("arrangements.csv"), kArrangements);
  write_text(dir.file("mergers.csv"), kMergers);
  write_text(dir.file("regions.csv"), kRegions);
  write_text(dir.file("commuting.csv"), kCommuting);
  return {"import",      "files",          "--municipalities",      dir.file(crs + ".geojson"),
          "--year",      "2024",           "--arrangements",        dir.file("arrangements.csv"),
          "--mergers",   dir.file("mergers.csv"), "--regions",      dir.file("regions.csv"),
          "--commuting", dir.file("commuting.csv"), "--population-field", "inwoners",
          "--out",       dir.file(crs + ".pb")};
}

bre::v1::Dataset import_country(const TempDir& dir, const std::string& crs) {
  const auto result = run_bre(write_country(dir, crs));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  auto dataset = bre::read_dataset(dir.file(crs + ".pb"));
  EXPECT_TRUE(dataset.has_value()) << dataset.status().message();
  return dataset ? *dataset : bre::v1::Dataset();
}

std::set<std::pair<std::string, std::string>> pairs(const bre::v1::Dataset& d) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& a : d.adjacency()) out.emplace(a.a_code(), a.b_code());
  return out;
}

TEST(ImportFiles, TheCountryInRdNewHasTheAreasAndBordersOfItsSquares) {
  TempDir dir;
  const auto d = import_country(dir, "rd");
  ASSERT_EQ(d.municipalities_size(), 6);
  EXPECT_TRUE(bre::check_dataset(d));
  EXPECT_EQ(d.name(), "rd");
  EXPECT_EQ(d.reference_year(), 2024);
  const std::vector<double> areas = {100, 84, 100, 100, 100, 104};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(d.municipalities(i).code(), "GM000" + std::to_string(i + 1));
    EXPECT_DOUBLE_EQ(d.municipalities(i).area_km2(), areas[static_cast<std::size_t>(i)]);
    EXPECT_EQ(d.municipalities(i).population(), 1000 * (i + 1));
  }
  // The hole does not move GM0002's centroid off the square's centre.
  EXPECT_DOUBLE_EQ(d.municipalities(1).centroid().x(), 165000);
  EXPECT_DOUBLE_EQ(d.municipalities(1).centroid().y(), 445000);
  const std::set<std::pair<std::string, std::string>> expected = {
      {"GM0001", "GM0002"}, {"GM0001", "GM0004"}, {"GM0002", "GM0003"}, {"GM0002", "GM0005"},
      {"GM0003", "GM0006"}, {"GM0004", "GM0005"}, {"GM0005", "GM0006"}};
  EXPECT_EQ(pairs(d), expected);
  for (const auto& a : d.adjacency()) EXPECT_NEAR(a.shared_border_m(), 10000, 1e-6) << a.a_code() << " " << a.b_code();
}

// What is compared between the CRSs: codes, names, populations, adjacency pairs, areas
// (1e-3 km²), centroids and shared border lengths (1 cm). Coordinates are not compared
// bit for bit: the reference points carry 12 decimals of a degree (≈ 0.1 mm).
TEST(ImportFiles, TheCountryInWgs84ImportsToTheSameDatasetAsInRdNew) {
  TempDir dir;
  const auto rd = import_country(dir, "rd");
  for (const std::string crs : {"wgs84", "default"}) {
    const auto other = import_country(dir, crs);
    ASSERT_EQ(other.municipalities_size(), rd.municipalities_size()) << crs;
    for (int i = 0; i < rd.municipalities_size(); ++i) {
      const auto& a = rd.municipalities(i);
      const auto& b = other.municipalities(i);
      EXPECT_EQ(a.code(), b.code());
      EXPECT_EQ(a.name(), b.name());
      EXPECT_EQ(a.population(), b.population());
      EXPECT_NEAR(a.area_km2(), b.area_km2(), 1e-3) << crs << " " << a.code();
      EXPECT_NEAR(a.centroid().x(), b.centroid().x(), 0.01) << crs << " " << a.code();
      EXPECT_NEAR(a.centroid().y(), b.centroid().y(), 0.01) << crs << " " << a.code();
    }
    EXPECT_EQ(pairs(rd), pairs(other)) << crs;
    ASSERT_EQ(rd.adjacency_size(), other.adjacency_size());
    for (int i = 0; i < rd.adjacency_size(); ++i) {
      EXPECT_NEAR(rd.adjacency(i).shared_border_m(), other.adjacency(i).shared_border_m(), 0.01) << crs;
    }
    EXPECT_EQ(rd.arrangements_size(), other.arrangements_size());
  }
}

std::vector<std::vector<std::string>> report_rows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_text(path));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "file;line;category;text;reason");
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ';' && !quoted) fields.push_back(field), field.clear();
      else field += c;
    }
    fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

TEST(ImportFiles, NamesResolveThroughTheMergerTableAndWhatCannotBeUsedIsReported) {
  TempDir dir;
  const auto d = import_country(dir, "rd");
  std::map<std::string, const bre::v1::Arrangement*> by_id;
  for (const auto& a : d.arrangements()) by_id[a.id()] = &a;
  ASSERT_EQ(by_id.size(), 4u);  // Solo (one municipality) and Oud verband (ended 2010) are left out
  const auto codes = [&](const std::string& id) {
    return std::vector<std::string>(by_id.at(id)->municipality_codes().begin(), by_id.at(id)->municipality_codes().end());
  };
  EXPECT_EQ(codes("Afvalschap"), (std::vector<std::string>{"GM0001", "GM0002", "GM0004"}));
  EXPECT_EQ(codes("GGD Noord"), (std::vector<std::string>{"GM0001", "GM0002", "GM0004"}));
  EXPECT_EQ(codes("GGD Zuid"), (std::vector<std::string>{"GM0003", "GM0005", "GM0006"}));
  EXPECT_EQ(codes("Splitverband"), (std::vector<std::string>{"GM0005", "GM0006"}));
  const auto& afval = *by_id.at("Afvalschap");
  EXPECT_EQ(afval.kind(), bre::v1::ARRANGEMENT_KIND_COOPERATION);
  EXPECT_EQ(afval.legal_form(), bre::v1::LEGAL_FORM_WGR_PUBLIC_BODY);
  EXPECT_EQ(afval.start_date(), "2015-01-01");
  EXPECT_EQ(std::vector<std::string>(afval.policy_domains().begin(), afval.policy_domains().end()),
            (std::vector<std::string>{"afval", "fysiek"}));
  EXPECT_EQ(by_id.at("GGD Zuid")->division(), "GGD's");
  // The former name is kept as an alias of its successor.
  EXPECT_EQ(std::vector<std::string>(d.municipalities(3).aliases().begin(), d.municipalities(3).aliases().end()),
            (std::vector<std::string>{"Oudveld"}));
  ASSERT_EQ(d.commuting_flows_size(), 4);
  EXPECT_EQ(d.commuting_flows(2).home_code(), "GM0002");
  EXPECT_DOUBLE_EQ(d.commuting_flows(2).persons(), 80.5);
  EXPECT_EQ(d.commuting_flows(3).home_code(), "GM0005");  // CBS number 0005
  ASSERT_EQ(d.region_definitions_size(), 1);
  EXPECT_EQ(d.region_definitions(0).regions_size(), 3);

  const std::string file = dir.file("arrangements.csv");
  const std::vector<std::vector<std::string>> expected = {
      {file, "12", "unresolved participant", "Bergen",
       "the name resolves to 2 municipalities: Bergen (NH.) (GM0002) and Bergen (L.) (GM0003); write the name with "
       "its qualifier, or the code"},
      {file, "11", "arrangement with fewer than two municipalities", "Solo",
       "1 municipalities among 2 participant rows; not a tie of the cooperation network, left out"},
      {file, "13", "arrangement not in force", "Oud verband", "ended 2010-12-31, before the reference year 2024; left out"},
      {file, "15", "unresolved participant", "Splitdorp",
       "a former municipality split over 2 municipalities: Aadorp (GM0001) and Bergen (NH.) (GM0002); name the "
       "successor"},
  };
  EXPECT_EQ(report_rows(dir.file("rd.report.csv")), expected);
}

// A bad input: the command fails with exit code 2 and exactly `error`, and writes nothing.
void expect_error(const TempDir& dir, std::vector<std::string> args, const std::string& error) {
  const auto result = run_bre(args);
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_EQ(result.err, "bre: import files: " + error + "\n");
  EXPECT_FALSE(std::filesystem::exists(args.back()));
  EXPECT_FALSE(std::filesystem::exists(dir.file("rd.report.csv")));
}

TEST(ImportFiles, BadMapsAreErrorsNamingFeatureAndProperty) {
  TempDir dir;
  const auto args = write_country(dir, "rd");
  const std::string map = dir.file("rd.geojson");
  auto features = country();
  features.insert(features.begin() + 2, Feature{"GM0009", "Punt", "Point", {}, "1"});
  write_text(map, geojson(features, kRdCrs, false));
  expect_error(dir, args, map + ": feature 2: geometry.type: expected Polygon or MultiPolygon, found 'Point'");

  features = country();
  features[3].code = "GM0001";
  write_text(map, geojson(features, kRdCrs, false));
  expect_error(dir, args, map + ": feature 3: property 'statcode': code 'GM0001' appears twice (first in feature 0)");

  write_text(map, geojson(country(), R"("crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:XYZ::7"}},)", false));
  expect_error(dir, args,
               map + ": crs: unknown coordinate reference system 'urn:ogc:def:crs:XYZ::7' (expected an EPSG code such as "
                     "urn:ogc:def:crs:EPSG::28992 or EPSG:4326, or urn:ogc:def:crs:OGC:1.3:CRS84)");

  write_text(map, geojson(country(), R"("crs":{"type":"name","properties":{"name":"EPSG:999999"}},)", false));
  const auto unknown = run_bre(args);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err.rfind("bre: import files: " + map + ": crs: unknown coordinate reference system 'EPSG:999999' (PROJ: ", 0), 0u)
      << unknown.err;
  EXPECT_FALSE(std::filesystem::exists(args.back()));

  features = country();
  features[0].population = "\"many\"";
  write_text(map, geojson(features, kRdCrs, false));
  expect_error(dir, args, map + ": feature 0: property 'inwoners': expected a non-negative whole number of inhabitants, found 'many'");
}

TEST(ImportFiles, BadTablesAreErrorsNamingFileLineAndColumn) {
  TempDir dir;
  const auto args = write_country(dir, "rd");
  const std::string map = dir.file("rd.geojson");
  const std::string a = kArrangements;
  const std::string c = kCommuting;
  // file, its good content, the bad content, the error after "<file>:".
  const std::vector<std::tuple<std::string, std::string, std::string, std::string>> cases = {
      {"arrangements.csv", a, a + "Kort,GM0001,,,,2020-01-01,2019-12-31,\n",
       "18: column 'end' (7): end 2019-12-31 is before start 2020-01-01 of arrangement 'Kort'"},
      {"arrangements.csv", a, a + "Kort,GM0001,,,,2020-02-30,,\n",
       "18: column 'start' (6): expected a date YYYY-MM-DD, found '2020-02-30'"},
      {"arrangements.csv", a, a + "Afvalschap,GM0003,societal,,,,,\n",
       "18: column 'kind' (3): 'societal' for arrangement 'Afvalschap', which line 2 gives as 'cooperation'"},
      {"arrangements.csv", a, a + "Kort,GM0001,club,,,,,\n",
       "18: column 'kind' (3): expected one of cooperation, societal, state, statistical, found 'club'"},
      {"arrangements.csv", a, "arrangement,deelnemer\nA,GM0001\n",
       "1: no column 'participant'; expected the header arrangement,participant,[kind],[legal_form],[domains],"
       "[start],[end],[division], found 'arrangement,deelnemer'"},
      {"commuting.csv", c, c + "GM0001;GM0077;5\n",
       "6: column 'work' (2): unknown municipality code 'GM0077' (no feature of " + map + " has it)"},
      {"commuting.csv", c, c + "GM0001;GM0002;5\n",
       "6: column 'home' (1): a second row for GM0001 → GM0002 (the first is line 3)"},
      {"commuting.csv", c, c + "GM0001;GM0003;1,5\n",
       "6: column 'persons' (3): expected a non-negative number of persons with a decimal point, found '1,5'"},
      {"regions.csv", kRegions, std::string(kRegions) + "Veiligheidsregio,GM0001,VR Oost\n",
       "8: column 'code' (2): GM0001 is in definition 'Veiligheidsregio' twice: region 'VR West' (line 2) and "
       "region 'VR Oost'"},
      {"mergers.csv", kMergers, std::string(kMergers) + "Nergens,GM0099\n",
       "5: column 'code' (2): unknown municipality code 'GM0099' (no feature of " + map + " has it)"},
  };
  for (const auto& [file, good, bad, error] : cases) {
    write_text(dir.file(file), bad);
    expect_error(dir, args, dir.file(file) + ":" + error);
    write_text(dir.file(file), good);
  }
}

TEST(ImportFiles, CrsNamesMapToWhatProjIsGiven) {
  for (const auto& [name, expected] : std::vector<std::pair<std::string, std::string>>{
           {"", "OGC:CRS84"},
           {"urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84"},
           {"urn:ogc:def:crs:EPSG::28992", "EPSG:28992"},
           {"urn:ogc:def:crs:EPSG:6.9:4326", "EPSG:4326"},
           {"EPSG:4326", "EPSG:4326"},
           {"epsg::3035", "EPSG:3035"}}) {
    auto id = bre::import::crs_identifier(name, "m");
    ASSERT_TRUE(id) << name << ": " << id.status().message();
    EXPECT_EQ(*id, expected);
  }
  EXPECT_FALSE(bre::import::crs_identifier("EPSG:abc", "m"));
  // A WGS 84 point of the cs2cs reference lands on its RD New grid corner.
  auto to_rd = bre::import::ToRdNew::create("EPSG:4326", "m");
  ASSERT_TRUE(to_rd) << to_rd.status().message();
  bre::v1::MultiPolygon shape;
  auto* p = shape.add_polygons()->mutable_outer()->add_points();
  p->set_x(5.459928977693);
  p->set_y(51.948423959778);
  ASSERT_TRUE(to_rd->transform(shape, "m"));
  EXPECT_NEAR(p->x(), 160000, 0.001);
  EXPECT_NEAR(p->y(), 440000, 0.001);
}

// The GeoJSON `from` converted by GDAL's own ogr2ogr (an implementation independent of
// bre's GeoJSON reader) into the GeoPackage `to`, layer `layer`; `extra` more flags.
void ogr2ogr(const std::string& from, const std::string& to, const std::string& layer,
             const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"-f", "GPKG", to, from, "-nln", layer};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = bre::test::run_program("ogr2ogr", args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

// The dataset's bytes with what names the map file (description, Municipality.source)
// cleared: all that may differ between two imports of the same map in two formats.
std::string without_map_file(bre::v1::Dataset d) {
  d.clear_description();
  for (auto& m : *d.mutable_municipalities()) m.clear_source();
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  EXPECT_TRUE(d.SerializeToCodedStream(&coded));
  coded.Trim();
  return bytes;
}

// A GeoPackage holds the same coordinates as the GeoJSON it was made from (doubles, in
// the same CRS), so its import must be the GeoJSON import bit for bit, in RD New (the
// identity) and in WGS 84 (the same PROJ transformation of the same numbers).
TEST(ImportFiles, TheCountryAsGeoPackageImportsToTheSameDatasetAsFromGeoJson) {
  TempDir dir;
  for (const std::string crs : {"rd", "wgs84"}) {
    const auto from_geojson = import_country(dir, crs);
    ogr2ogr(dir.file(crs + ".geojson"), dir.file(crs + ".gpkg"), "gemeenten");
    std::vector<std::string> args = write_country(dir, crs);
    args[3] = dir.file(crs + ".gpkg");
    args.back() = dir.file(crs + "_gpkg.pb");
    args.insert(args.end() - 2, {"--name", crs});
    const auto result = run_bre(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto from_gpkg = bre::read_dataset(dir.file(crs + "_gpkg.pb"));
    ASSERT_TRUE(from_gpkg) << from_gpkg.status().message();
    EXPECT_EQ(from_gpkg->municipalities(0).source().file(), dir.file(crs + ".gpkg"));
    EXPECT_EQ(without_map_file(*from_gpkg), without_map_file(from_geojson)) << crs;
    EXPECT_EQ(from_gpkg->municipalities_size(), 6) << crs;
  }
}

TEST(ImportFiles, BadGeoPackagesAreErrorsNamingLayerFeatureAndField) {
  TempDir dir;
  auto args = write_country(dir, "rd");
  const std::string gpkg = dir.file("m.gpkg");
  args[3] = gpkg;
  const auto convert = [&](const std::vector<Feature>& features, const std::string& layer,
                           const std::vector<std::string>& extra = {}) {
    write_text(dir.file("m.geojson"), geojson(features, kRdCrs, false));
    ogr2ogr(dir.file("m.geojson"), gpkg, layer, extra);
  };

  convert({Feature{"GM0009", "Punt", "Point", {}, "1"}}, "punten");
  expect_error(dir, args,
               gpkg + ": no layer of polygons (layers: punten (Point)); expected one with geometry type Polygon or "
                      "MultiPolygon");

  // A second polygon layer: which one holds the municipalities is the user's to say.
  std::filesystem::remove(gpkg);
  convert(country(), "gemeenten");
  convert(country(), "gemeenten_2023", {"-update"});
  expect_error(dir, args,
               gpkg + ": several polygon layers; name one with --layer (layers: gemeenten (Unknown (any)), "
                      "gemeenten_2023 (Unknown (any)))");
  auto with_layer = args;
  with_layer.insert(with_layer.end() - 2, {"--layer", "kaart"});
  expect_error(dir, with_layer,
               gpkg + ": no layer 'kaart' (layers: gemeenten (Unknown (any)), gemeenten_2023 (Unknown (any)))");
  with_layer[with_layer.size() - 3] = "gemeenten_2023";
  const auto chosen = run_bre(with_layer);
  EXPECT_EQ(chosen.exit_code, 0) << chosen.err;
  std::filesystem::remove(args.back());
  std::filesystem::remove(dir.file("rd.report.csv"));

  std::filesystem::remove(gpkg);
  convert(country(), "gemeenten");
  auto code_field = args;
  code_field.insert(code_field.end() - 2, {"--code-field", "gemcode"});
  expect_error(dir, code_field,
               gpkg + ": layer 'gemeenten': no field 'gemcode' (its fields: statcode, statnaam, inwoners)");

  // A feature without geometry; GeoPackage FIDs count from 1.
  auto features = country();
  features[2].geometry_type = "null";
  std::filesystem::remove(gpkg);
  convert(features, "gemeenten");
  expect_error(dir, args,
               gpkg + ": layer 'gemeenten': feature 3: geometry: empty (expected Polygon or MultiPolygon)");

  features = country();
  features[4].code = "GM0001";
  std::filesystem::remove(gpkg);
  convert(features, "gemeenten");
  expect_error(dir, args,
               gpkg + ": layer 'gemeenten': feature 5: field 'statcode': code 'GM0001' appears twice (first in "
                      "feature 1)");

  // A GeoJSON map has one layer.
  auto geojson_layer = write_country(dir, "rd");
  geojson_layer.insert(geojson_layer.end() - 2, {"--layer", "gemeenten"});
  expect_error(dir, geojson_layer,
               "layer 'gemeenten': a GeoJSON file has one layer; a layer is named only for GeoPackage and other "
               "multi-layer formats (" + dir.file("rd.geojson") + ")");
}

google::protobuf::Struct info_json(const std::string& dataset) {
  const auto result = run_bre({"dataset", "info", dataset, "--json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  google::protobuf::Struct info;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(result.out, &info).ok()) << result.out;
  return info;
}

double field(const google::protobuf::Struct& s, const std::string& path) {
  const google::protobuf::Struct* at = &s;
  std::string rest = path;
  while (true) {
    const std::size_t dot = rest.find('.');
    const std::string key = rest.substr(0, dot);
    EXPECT_TRUE(at->fields().count(key)) << path;
    if (!at->fields().count(key)) return -1;
    if (dot == std::string::npos) return at->fields().at(key).number_value();
    at = &at->fields().at(key).struct_value();
    rest = rest.substr(dot + 1);
  }
}

// The build step alone, fed rows as any reader (the nl2016 preset's too) fills them in:
// the same regions and commuting flows as `bre import files` makes of the same rows,
// former names as aliases and splits, participants resolved, reported and counted.
TEST(ImportBuild, RowsFromAnyReaderBuildWhatTheFilesImportBuilds) {
  TempDir dir;
  const auto from_files = import_country(dir, "rd");
  bre::import::ImportInputs inputs;
  inputs.name = "rd";
  inputs.reference_year = 2024;
  inputs.map_file = "map";
  for (const auto& m : from_files.municipalities()) {
    inputs.municipalities.push_back({m.code(), m.name(), m.geometry(), m.population(), m.source().file()});
  }
  inputs.former_names = {{"Oudveld", "GM0004", "former", 2, "former:2"},
                         {"Splitdorp", "GM0001", "former", 3, "former:3"},
                         {"Splitdorp", "2", "former", 4, "former:4"},
                         {"Aadorp", "GM0004", "former", 5, "former:5"}};
  bre::v1::Arrangement verband;
  verband.set_id("Verband");
  verband.set_name("Verband");
  bre::v1::Arrangement old = verband;
  old.set_id("Oud");
  old.set_name("Oud");
  old.set_end_date("2010-12-31");
  inputs.arrangements = {{verband, "rows", 2, {{"Oudveld", 2}, {"GM0001", 3}, {"1", 4}, {"Splitdorp", 5}}},
                         {old, "rows", 6, {{"GM0001", 6}, {"GM0002", 7}}}};
  const std::string regions = dir.file("regions.csv");
  std::int64_t line = 2;
  for (const auto& [code, region] : std::vector<std::pair<std::string, std::string>>{
           {"GM0001", "VR West"}, {"GM0004", "VR West"}, {"GM0002", "VR Midden"},
           {"GM0005", "VR Midden"}, {"GM0003", "VR Oost"}, {"GM0006", "VR Oost"}}) {
    inputs.regions.push_back({"Veiligheidsregio", code, region, "", "", regions, line++, "regions"});
  }
  inputs.commuting = {{"GM0001", "GM0001", 900, 2, "c", "c"}, {"GM0001", "GM0002", 120, 3, "c", "c"},
                      {"GM0002", "GM0001", 80.5, 4, "c", "c"}, {"0005", "GM0006", 40, 5, "c", "c"},
                      {"GM0003", "GM0001", 0, 6, "c", "c"}};

  bre::v1::Dataset d;
  bre::import::ResolutionReport report;
  bre::import::BuildCounts counts;
  ASSERT_TRUE(bre::import::build_dataset(inputs, d, report, counts).is_ok());
  EXPECT_EQ(d.region_definitions(0).SerializeAsString(), from_files.region_definitions(0).SerializeAsString());
  ASSERT_EQ(d.commuting_flows_size(), from_files.commuting_flows_size());  // the zero flow is left out
  for (int i = 0; i < d.commuting_flows_size(); ++i) {
    EXPECT_EQ(d.commuting_flows(i).SerializeAsString(), from_files.commuting_flows(i).SerializeAsString());
  }
  EXPECT_EQ(d.adjacency_size(), from_files.adjacency_size());
  ASSERT_EQ(d.arrangements_size(), 1);
  EXPECT_EQ(std::vector<std::string>(d.arrangements(0).municipality_codes().begin(), d.arrangements(0).municipality_codes().end()),
            (std::vector<std::string>{"GM0004", "GM0001"}));
  EXPECT_EQ(std::vector<std::string>(d.municipalities(3).aliases().begin(), d.municipalities(3).aliases().end()),
            (std::vector<std::string>{"Oudveld"}));
  std::vector<std::string> categories;
  for (const auto& e : report.entries()) categories.push_back(e.file + ":" + std::to_string(e.line) + " " + e.category);
  EXPECT_EQ(categories, (std::vector<std::string>{"former:5 former name is current", "rows:4 duplicate row",
                                                  "rows:5 unresolved participant", "rows:6 arrangement not in force"}));
  EXPECT_EQ(counts.former_names, 2u);
  EXPECT_EQ(counts.arrangements_read, 2u);
  EXPECT_EQ(counts.arrangements_kept, 1u);
  EXPECT_EQ(counts.arrangements_not_in_force, 1u);
  EXPECT_EQ(counts.unresolved_participants, 1u);
  EXPECT_EQ(counts.commuting_flows, 4u);
  EXPECT_EQ(counts.region_rows, 6u);

  // A code no municipality has is an error naming the row's cell and the map.
  inputs.commuting.push_back({"GM0077", "GM0001", 1, 7, "c.csv:7: column 'home' (1)", "c"});
  const bre::Status status = bre::import::build_dataset(inputs, d, report, counts);
  EXPECT_EQ(status.message(), "c.csv:7: column 'home' (1): unknown municipality code 'GM0077' (no feature of map has it)");
}

TEST(DatasetInfo, SaysWhatTheImportedCountryHolds) {
  TempDir dir;
  import_country(dir, "rd");
  const auto info = info_json(dir.file("rd.pb"));
  EXPECT_EQ(info.fields().at("name").string_value(), "rd");
  EXPECT_EQ(info.fields().at("bodies_by_kind").struct_value().fields_size(), 0);
  for (const auto& [path, value] : std::vector<std::pair<std::string, double>>{
           {"reference_year", 2024},
           {"municipalities.count", 6},
           {"municipalities.with_population", 6},
           {"municipalities.population", 21000},
           {"municipalities.with_geometry", 6},
           {"municipalities.adjacent_pairs", 7},
           {"arrangements.count", 4},
           {"arrangements.by_kind.cooperation", 4},
           {"arrangements.by_domain.zorg", 2},
           {"arrangements.by_domain.afval", 1},
           {"arrangements.divisions.GGD's", 2},
           {"commuting.flows", 4},
           {"commuting.persons", 1140.5}}) {
    EXPECT_EQ(field(info, path), value) << path;
  }
  const auto& definitions = info.fields().at("region_definitions").list_value().values();
  ASSERT_EQ(definitions.size(), 1);
  EXPECT_EQ(definitions[0].struct_value().fields().at("name").string_value(), "Veiligheidsregio");
  EXPECT_EQ(field(definitions[0].struct_value(), "regions"), 3);
  EXPECT_EQ(field(definitions[0].struct_value(), "municipalities"), 6);

  const auto text = run_bre({"dataset", "info", dir.file("rd.pb")});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("dataset rd, reference year 2024\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  Veiligheidsregio: 3 regions, 6 municipalities\n"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  divisions (usable as region definitions): GGD's 2\n"), std::string::npos) << text.out;
}

TEST(DatasetInfo, SaysWhatTheDemoHolds) {
  const auto info = info_json("demo");
  // Members in sorted order, so the same dataset always prints the same text.
  const auto raw = run_bre({"dataset", "info", "demo", "--json"});
  EXPECT_EQ(raw.out.rfind("{\n  \"area_indicators\": [{\n    \"direction\": ", 0), 0u) << raw.out.substr(0, 200);
  EXPECT_EQ(info.fields().at("name").string_value().empty(), false);
  EXPECT_GT(field(info, "municipalities.count"), 0);
  EXPECT_EQ(field(info, "municipalities.count"), field(info, "municipalities.with_geometry"));
  EXPECT_GT(field(info, "municipalities.adjacent_pairs"), 0);
  EXPECT_GT(field(info, "arrangements.count"), 0);
  EXPECT_GT(info.fields().at("region_definitions").list_value().values_size(), 0);
  EXPECT_GT(info.fields().at("area_indicators").list_value().values_size(), 0);
  const auto& first = info.fields().at("area_indicators").list_value().values(0).struct_value().fields();
  EXPECT_FALSE(first.at("theme").string_value().empty());
  EXPECT_FALSE(first.at("direction").string_value().empty());
  EXPECT_GT(first.at("years").list_value().values_size(), 0);
}

// Region definitions from a regions file and from a division of arrangements, and a
// contiguous clustering, on the imported country.
TEST(ImportFiles, APipelineRunsOnTheImportedCountry) {
  TempDir dir;
  import_country(dir, "wgs84");
  write_text(dir.file("pipeline.json"), R"({"name": "country", "steps": [
    {"id": "ggd", "plugin": "region.provinces", "params": {"definition": "GGD's"}},
    {"id": "vr", "plugin": "region.provinces", "params": {"definition": "Veiligheidsregio"}},
    {"id": "bre", "plugin": "clustering.contiguous", "params": {"enforce_contiguity": true}}
  ]})");
  const auto run = run_bre({"run", dir.file("pipeline.json"), "--dataset", dir.file("wgs84.pb"), "--out", dir.file("run"), "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // region id of each municipality, from <step>.partition.csv (region_id, region_name, code, ...).
  const auto membership = [&](const std::string& step) {
    std::map<std::string, std::string> region_of;
    std::istringstream in(read_text(dir.file("run/" + step + ".partition.csv")));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::vector<std::string> fields;
      std::string f;
      for (char c : line) {
        if (c == ',') fields.push_back(f), f.clear();
        else f += c;
      }
      fields.push_back(f);
      if (fields.size() >= 3) region_of[fields[2]] = fields[0];
    }
    return region_of;
  };
  const auto ggd = membership("ggd");
  ASSERT_EQ(ggd.size(), 6u);
  EXPECT_EQ(ggd.at("GM0001"), "GGD Noord");
  EXPECT_EQ(ggd.at("GM0006"), "GGD Zuid");
  EXPECT_EQ(membership("vr").at("GM0005"), "VR Midden");
  const auto bre_regions = membership("bre");
  EXPECT_EQ(bre_regions.size(), 6u);
  // Contiguous: every region is connected on the map.
  auto dataset = bre::read_dataset(dir.file("wgs84.pb"));
  ASSERT_TRUE(dataset);
  std::map<std::string, std::set<std::string>> members;
  for (const auto& [code, region] : bre_regions) members[region].insert(code);
  for (const auto& [region, codes] : members) {
    std::set<std::string> reached = {*codes.begin()};
    for (bool grew = true; grew;) {
      grew = false;
      for (const auto& a : dataset->adjacency()) {
        if (codes.count(a.a_code()) && codes.count(a.b_code()) && reached.count(a.a_code()) != reached.count(a.b_code())) {
          reached.insert(a.a_code());
          reached.insert(a.b_code());
          grew = true;
        }
      }
    }
    EXPECT_EQ(reached, codes) << "region " << region << " is not contiguous";
  }
}

}  // namespace
