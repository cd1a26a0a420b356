// The nl2016 import on the real public files (../shared/data/nl2016 or
// $BRE_NL2016_DIR), and `bre import nl2016` end to end. Skipped, with a message,
// only when the data folder is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "nl2016_data.hpp"
#include "bre/dataset.hpp"
#include "bre/import/names.hpp"
#include "bre/import/nl2016.hpp"
#include "bre/io.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "svg_inspect.hpp"
#include "test_support.hpp"

namespace {

using bre::test::run_bre;

// Counts of the real files, checked by reading the resolution report by hand.
constexpr std::size_t kOpenGrKept = 426;  // of 464; 4 dissolved, 34 with fewer than two municipalities
constexpr std::size_t kOpenGrDissolved = 4;  // names marked "opgeheven"
constexpr std::size_t kOpenGrUnresolved = 16;  // other organisations, Maasdonk (split)
constexpr std::size_t kWaterBoards = 37;  // including boards merged since, as the provinces listed them

using bre::test::TempDir;

using bre::test::nl2016_data_dir;

bool have_data() { return std::filesystem::exists(nl2016_data_dir() + "/gemeente_2016_rd.geojson"); }

#define REQUIRE_DATA()                                                                              \
  if (!have_data()) GTEST_SKIP() << "nl2016 data not found at " << nl2016_data_dir()                       \
                                 << " (set BRE_NL2016_DIR to the folder of gemeente_2016_rd.geojson)"

using bre::test::nl2016_import;

// Data lines of a file (lines minus the header), counted independently of the CSV reader.
std::size_t data_lines(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::size_t count = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line != "\r") ++count;
  }
  return count - 1;
}

TEST(Nl2016, ExactlyThe390MunicipalitiesWithProvinceAreaAndCentroid) {
  REQUIRE_DATA();
  const auto& d = nl2016_import().dataset;
  ASSERT_EQ(d.municipalities_size(), 390);
  std::map<std::string, int> per_province;
  double total_area = 0;
  for (const auto& m : d.municipalities()) {
    EXPECT_FALSE(m.province_code().empty()) << m.code();
    ++per_province[m.province_code()];
    EXPECT_GT(m.area_km2(), 0.0) << m.code();
    total_area += m.area_km2();
  }
  // The twelve provinces PV20..PV31; 2016: Groningen 23, Drenthe 12, Flevoland 6, Zeeland 13 (CBS).
  EXPECT_EQ(per_province.size(), 12u);
  EXPECT_EQ(per_province["PV20"], 23);
  EXPECT_EQ(per_province["PV22"], 12);
  EXPECT_EQ(per_province["PV24"], 6);
  EXPECT_EQ(per_province["PV29"], 13);
  // The simplified map's land area: the Netherlands has about 33,700 km² of land and
  // 41,500 km² with its waters.
  EXPECT_GT(total_area, 33000.0);
  EXPECT_LT(total_area, 42000.0);
  // The provinces placed by polygon are the Regio Atlas province division, region for
  // region (its names differ: "Limburg (NL)", "Fryslân").
  const auto& defs = d.region_definitions();
  auto provinces = std::find_if(defs.begin(), defs.end(), [](const auto& def) { return def.name() == "Provincies"; });
  ASSERT_NE(provinces, defs.end());
  ASSERT_EQ(provinces->regions_size(), 12);
  bre::DatasetIndex index(d);
  std::set<std::string> matched;
  for (const auto& region : provinces->regions()) {
    std::set<std::string> codes;
    for (const auto& code : region.municipality_codes()) {
      codes.insert(d.municipalities(static_cast<int>(*index.municipality(code))).province_code());
    }
    EXPECT_EQ(codes.size(), 1u) << region.name();
    matched.insert(codes.begin(), codes.end());
  }
  EXPECT_EQ(matched.size(), 12u);
}

TEST(Nl2016, EveryRegioatlasRowIsAccountedFor) {
  REQUIRE_DATA();
  const auto& result = nl2016_import();
  std::size_t lines = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(nl2016_data_dir() + "/regioatlas")) {
    if (entry.path().extension() == ".csv") lines += data_lines(entry.path().string());
  }
  std::size_t memberships = 0;
  for (const auto& a : result.dataset.arrangements()) {
    if (!a.division().empty()) memberships += static_cast<std::size_t>(a.municipality_codes_size());
  }
  for (const auto& def : result.dataset.region_definitions()) {
    if (def.source().file().rfind("regioatlas/", 0) != 0) continue;
    for (const auto& region : def.regions()) memberships += static_cast<std::size_t>(region.municipality_codes_size());
  }
  const std::size_t duplicates = result.report.of_category("duplicate row").size();
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(nl2016_data_dir() + "/regioatlas")) {
    if (entry.path().extension() == ".csv") ++files;
  }
  EXPECT_EQ(result.stats.divisions, files);
  EXPECT_EQ(data_lines(nl2016_data_dir() + "/indelingen.csv"), files);
  EXPECT_EQ(result.stats.regioatlas_rows, lines);
  EXPECT_EQ(lines, memberships + duplicates);
  EXPECT_EQ(result.stats.regioatlas_memberships, memberships);
  // Regio Atlas names that are spelling variants resolve; none is a real mismatch.
  EXPECT_TRUE(result.report.of_category("name mismatch").empty());
  EXPECT_EQ(result.report.of_category("division of unknown kind").size(), 1u);  // VPT-regio's 2014
}

TEST(Nl2016, OpenGrArrangementsAndUnresolvedParticipants) {
  REQUIRE_DATA();
  const auto& result = nl2016_import();
  EXPECT_EQ(result.stats.opengr_rows, 3752u);
  EXPECT_EQ(result.stats.opengr_arrangements_read, 464u);
  EXPECT_EQ(result.stats.opengr_arrangements_kept, kOpenGrKept);
  EXPECT_EQ(result.stats.opengr_unresolved_participants, kOpenGrUnresolved);
  const auto unresolved = result.report.of_category("unresolved participant");
  EXPECT_EQ(unresolved.size(), kOpenGrUnresolved);
  // No 2016 municipality name among the unresolved, and every entry names its line.
  std::set<std::string> official;
  for (const auto& m : result.dataset.municipalities()) official.insert(bre::import::normalise_name(m.name()));
  for (const auto& entry : unresolved) {
    EXPECT_FALSE(official.count(bre::import::normalise_name(entry.text))) << entry.text;
    EXPECT_GT(entry.line, 1) << entry.text;
    EXPECT_EQ(entry.file, "opengr_gemeenschappelijke_regelingen.csv");
  }
  // Provinces and water boards are bodies, not reported; the double encoding is repaired.
  std::size_t water_boards = 0;
  for (const auto& body : result.dataset.bodies()) {
    if (body.kind() == bre::v1::BODY_KIND_WATER_BOARD) ++water_boards;
    EXPECT_EQ(body.name().find("Ã"), std::string::npos) << body.name();
  }
  EXPECT_EQ(water_boards, kWaterBoards);
  for (const auto& entry : unresolved) {
    EXPECT_NE(entry.text.rfind("Provincie ", 0), 0u) << entry.text;
    EXPECT_NE(entry.text.rfind("Waterschap ", 0), 0u) << entry.text;
  }
  // Merged municipalities are mapped onto 2016: Bussum and Naarden are Gooise Meren.
  bool gooise_meren = false;
  for (const auto& a : result.dataset.arrangements()) {
    if (a.division().empty() && std::count(a.municipality_codes().begin(), a.municipality_codes().end(), "GM1942") > 0) {
      gooise_meren = true;
    }
    std::set<std::string> unique(a.municipality_codes().begin(), a.municipality_codes().end());
    EXPECT_EQ(unique.size(), static_cast<std::size_t>(a.municipality_codes_size())) << a.id();
  }
  EXPECT_TRUE(gooise_meren);
}

// Bergen, in the Euregio Rijn-Waal's German rows, is decided by its co-members: Gennep,
// Mook en Middelaar and the other Limburg members make it Bergen (L.). Arrangements the
// register marks dissolved ("opgeheven") are reported and left out.
TEST(Nl2016, EuregioRijnWaalHasBergenLimburgAndNoDissolvedArrangementCounts) {
  REQUIRE_DATA();
  const auto& result = nl2016_import();
  const bre::v1::Arrangement* euregio = nullptr;
  for (const auto& a : result.dataset.arrangements()) {
    if (a.name() == "Euregio Rijn-Waal") euregio = &a;
    EXPECT_EQ(a.name().find("opgeheven"), std::string::npos) << a.name();
  }
  ASSERT_NE(euregio, nullptr);
  const std::set<std::string> members(euregio->municipality_codes().begin(), euregio->municipality_codes().end());
  EXPECT_TRUE(members.count("GM0893"));   // Bergen (L.)
  EXPECT_FALSE(members.count("GM0373"));  // not Bergen (NH.)
  EXPECT_TRUE(members.count("GM0907") && members.count("GM0944"));  // Gennep, Mook en Middelaar
  const auto decided = result.report.of_category("resolved by co-members");
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_EQ(decided[0].text, "Bergen");
  EXPECT_EQ(result.stats.opengr_arrangements_dissolved, kOpenGrDissolved);
  const auto dissolved = result.report.of_category("dissolved arrangement");
  ASSERT_EQ(dissolved.size(), kOpenGrDissolved);
  std::set<std::string> names;
  for (const auto& entry : dissolved) names.insert(entry.text);
  EXPECT_TRUE(names.count("Werkvoorziening Zwolle en Omgeving (WEZO) (in 2016 opgeheven)"));
  // Every arrangement read is kept, dissolved or dropped for fewer than two municipalities.
  EXPECT_EQ(result.stats.opengr_arrangements_read,
            result.stats.opengr_arrangements_kept + kOpenGrDissolved +
                result.report.of_category("arrangement with fewer than two municipalities").size());
}

TEST(Nl2016, CommutingTotalsAgreeBeforeAndAfterTheMapping) {
  REQUIRE_DATA();
  const auto& s = nl2016_import().stats;
  // The matrix sums to 7,140.4 thousand jobs (summed independently when the file was read).
  EXPECT_DOUBLE_EQ(s.commuting_matrix_persons, 7140400.0);
  double flows = 0;
  for (const auto& f : nl2016_import().dataset.commuting_flows()) flows += f.persons();
  EXPECT_NEAR(flows, s.commuting_flow_persons, 1e-6);
  EXPECT_NEAR(s.commuting_matrix_persons, s.commuting_flow_persons + s.commuting_non_municipal_persons, 1e-6);
  // Buitenland and Onbekend are reported with their totals (all cells '-' in this file).
  const auto non_municipal = nl2016_import().report.of_category("non-municipal commuting");
  ASSERT_EQ(non_municipal.size(), 2u);
  EXPECT_EQ(non_municipal[0].text, "Buitenland");
  EXPECT_EQ(non_municipal[1].text, "Onbekend");
  EXPECT_EQ(s.commuting_non_municipal_persons, 0.0);
  // Orientation: 5,100 residents of Alkmaar (GM0361) work in Amsterdam (GM0363); after
  // the mapping Alkmaar also holds Graft-De Rijp and Schermer.
  double alkmaar_to_amsterdam = 0;
  for (const auto& f : nl2016_import().dataset.commuting_flows()) {
    if (f.home_code() == "GM0361" && f.work_code() == "GM0363") alkmaar_to_amsterdam = f.persons();
  }
  EXPECT_GE(alkmaar_to_amsterdam, 5100.0);
  EXPECT_LT(alkmaar_to_amsterdam, 5100.0 + 1000.0);
}

TEST(Nl2016, AdjacencySymmetricAndOnlyTheWaddenIslandsAlone) {
  REQUIRE_DATA();
  const auto& d = nl2016_import().dataset;
  std::set<std::pair<std::string, std::string>> pairs;
  std::map<std::string, int> degree;
  for (const auto& a : d.adjacency()) {
    EXPECT_LT(a.a_code(), a.b_code());
    EXPECT_TRUE(pairs.insert({a.a_code(), a.b_code()}).second) << a.a_code() << "-" << a.b_code();
    EXPECT_GT(a.shared_border_m(), 0.0);
    ++degree[a.a_code()];
    ++degree[a.b_code()];
  }
  EXPECT_GT(pairs.size(), 950u);
  EXPECT_LT(pairs.size(), 1050u);
  const std::set<std::string> wadden = {"Texel", "Vlieland", "Terschelling", "Ameland", "Schiermonnikoog"};
  std::set<std::string> alone;
  for (const auto& m : d.municipalities()) {
    if (degree[m.code()] == 0) alone.insert(m.name());
  }
  EXPECT_EQ(alone, wadden);
}

TEST(Nl2016, ValidatesAndIsByteIdenticalWhenRunTwice) {
  REQUIRE_DATA();
  EXPECT_TRUE(bre::validate_dataset(nl2016_import().dataset).empty());
  auto again = bre::import::import_nl2016(nl2016_data_dir());
  ASSERT_TRUE(again) << again.status().message();
  EXPECT_EQ(bre::to_binary(again->dataset), bre::to_binary(nl2016_import().dataset));
  EXPECT_EQ(again->report.to_csv(), nl2016_import().report.to_csv());
}

TEST(Nl2016, CooperationNetworkIsBuiltFromTheImport) {
  REQUIRE_DATA();
  bre::DatasetIndex index(nl2016_import().dataset);
  auto graph = bre::build_cooperation_network(index, bre::NetworkOptions{});
  ASSERT_TRUE(graph) << graph.status().message();
  EXPECT_EQ(graph->node_count(), 390u);
  // 10,659 pairs share a cooperation arrangement (counted from the dataset's JSON, `bre
  // dataset convert`, with an independent script); with count weighting the total weight
  // is the number of municipality pairs over all arrangements. Leaving out the four
  // dissolved arrangements removed 3 + 21 + 10 + 3 = 37 pairs, Bergen (L.) in the Euregio
  // Rijn-Waal added 28: 65,025 - 37 + 28.
  EXPECT_EQ(graph->edge_count(), 10659u);
  double expected_weight = 0;
  for (const auto& a : nl2016_import().dataset.arrangements()) {
    if (a.kind() != bre::v1::ARRANGEMENT_KIND_COOPERATION) continue;
    const double k = a.municipality_codes_size();
    expected_weight += k * (k - 1) / 2;
  }
  double weight = 0;
  for (const auto& e : graph->edges()) weight += e.weight;
  EXPECT_DOUBLE_EQ(weight, expected_weight);
  EXPECT_DOUBLE_EQ(weight, 65016.0);
}

// The maps of the real country: valid XML, one path per municipality, the provinces'
// borders drawn and every cooperating pair a line.
TEST(Nl2016, MapsOfTheRealCountryParseWithOnePathPerMunicipality) {
  REQUIRE_DATA();
  const bre::DatasetIndex index(nl2016_import().dataset);
  bre::Membership by_province(index.municipality_count());
  std::map<std::string, std::int32_t> province_index;
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    const auto& code = index.municipality_at(i).province_code();
    by_province[i] = province_index.emplace(code, static_cast<std::int32_t>(province_index.size())).first->second;
  }
  const auto provinces = bre::to_partition(index, by_province, "provinces", "test", 0.0, 1.0);
  auto partition_svg = bre::map::render_partition_map(index, provinces, {});
  ASSERT_TRUE(partition_svg) << partition_svg.status().message();
  const auto partition_map = bre::test::inspect_svg(*partition_svg);
  ASSERT_TRUE(partition_map.parsed) << partition_map.error;
  EXPECT_EQ(partition_map.coded_paths, 390);
  EXPECT_EQ(partition_map.paths, 390);
  EXPECT_GT(partition_map.border_polylines, 0);
  EXPECT_EQ(partition_map.labels.size(), 12u);
  EXPECT_EQ(partition_map.external, 0);

  auto graph = bre::build_cooperation_network(index, {});
  ASSERT_TRUE(graph) << graph.status().message();
  const auto network = bre::to_network_message(*graph, index, "cooperation", "count");
  auto network_svg = bre::map::render_network_map(index, network, {});
  ASSERT_TRUE(network_svg) << network_svg.status().message();
  const auto network_map = bre::test::inspect_svg(*network_svg);
  ASSERT_TRUE(network_map.parsed) << network_map.error;
  EXPECT_EQ(network_map.coded_paths, 390);
  // Over 10 000 pairs: each municipality's 3 strongest in full, the rest faded beneath.
  EXPECT_GT(graph->edge_count(), 10000u);
  EXPECT_LE(network_map.tie_lines, 3 * 390);
  EXPECT_GE(network_map.tie_lines, 390 / 2);
  EXPECT_NE(network_svg->find("id=\"faded-ties\""), std::string::npos);
}

TEST(Nl2016, CliImportsIntoATempDirAndRejectsABadFolder) {
  REQUIRE_DATA();
  TempDir out;
  auto r = run_bre({"import", "nl2016", "--from", nl2016_data_dir(), "--out", out.file("nl.pb")});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("municipalities 390"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unresolved participant: "), std::string::npos) << r.out;
  auto dataset = bre::read_dataset(out.file("nl.pb"));
  ASSERT_TRUE(dataset) << dataset.status().message();
  EXPECT_EQ(bre::to_binary(*dataset), bre::to_binary(nl2016_import().dataset));
  const std::string report = bre::test::read_text(out.file("nl.report.csv"));
  EXPECT_EQ(report, nl2016_import().report.to_csv());
  auto validate = run_bre({"dataset", "validate", out.file("nl.pb")});
  EXPECT_EQ(validate.exit_code, 0) << validate.out << validate.err;

  // A population table in the documented layout: given values are set, the others
  // reported; a bad line is an error naming it.
  bre::test::write_text(out.file("population.csv"), "code;population\nGM0363;833624\nGM0518;519988\n");
  auto with_population = run_bre({"import", "nl2016", "--from", nl2016_data_dir(), "--out", out.file("pop.pb"), "--population",
                                  out.file("population.csv")});
  ASSERT_EQ(with_population.exit_code, 0) << with_population.err;
  auto populated = bre::read_dataset(out.file("pop.pb"));
  ASSERT_TRUE(populated);
  bre::DatasetIndex populated_index(*populated);
  EXPECT_EQ(populated->municipalities(static_cast<int>(*populated_index.municipality("GM0363"))).population(), 833624);
  EXPECT_NE(with_population.out.find("population missing: 388"), std::string::npos) << with_population.out;
  bre::test::write_text(out.file("population.csv"), "code;population\nGM0363;many\n");
  auto bad_population = run_bre({"import", "nl2016", "--from", nl2016_data_dir(), "--out", out.file("pop2.pb"), "--population",
                                 out.file("population.csv")});
  EXPECT_EQ(bad_population.exit_code, 2);
  EXPECT_NE(bad_population.err.find("population.csv:2: population: expected a non-negative integer, found 'many'"),
            std::string::npos) << bad_population.err;
  EXPECT_FALSE(std::filesystem::exists(out.file("pop2.pb")));

  TempDir empty;
  auto bad = run_bre({"import", "nl2016", "--from", empty.path(), "--out", out.file("bad.pb")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("gemeente_2016_rd.geojson"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(out.file("bad.pb")));
  EXPECT_FALSE(std::filesystem::exists(out.file("bad.report.csv")));
  auto missing = run_bre({"import", "nl2016", "--out", out.file("x.pb")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--from"), std::string::npos) << missing.err;
  auto unknown = run_bre({"import", "nl2099", "--from", nl2016_data_dir(), "--out", out.file("y.pb")});
  EXPECT_EQ(unknown.exit_code, 2);
}

// The cooperation divisions of the Regio Atlas are arrangements; region.provinces takes
// each as a region definition, one region per arrangement, and bre dataset info lists them.
TEST(Nl2016, CooperationDivisionsAreRegionDefinitionsForRegionProvinces) {
  REQUIRE_DATA();
  TempDir out;
  ASSERT_TRUE(bre::write_dataset(nl2016_import().dataset, out.file("nl.pb")));
  bre::test::write_text(out.file("pipeline.json"), R"({"name": "divisions", "steps": [
    {"id": "ggd", "plugin": "region.provinces", "params": {"definition": "GGD's"}},
    {"id": "vr", "plugin": "region.provinces", "params": {"definition": "Veiligheidsregio's"}},
    {"id": "amr", "plugin": "region.provinces", "params": {"definition": "Arbeidsmarktregio's"}}
  ]})");
  auto run = run_bre({"run", out.file("pipeline.json"), "--dataset", out.file("nl.pb"), "--out", out.file("run"), "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const auto& [step, regions] : std::vector<std::pair<std::string, std::size_t>>{{"ggd", 25}, {"vr", 25}, {"amr", 35}}) {
    std::set<std::string> ids, codes;
    std::istringstream in(bre::test::read_text(out.file("run/" + step + ".partition.csv")));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      ids.insert(line.substr(0, line.find(',')));
      codes.insert(line.substr(line.find("GM"), 6));
    }
    EXPECT_EQ(ids.size(), regions) << step;
    EXPECT_EQ(codes.size(), 390u) << step;
  }
  auto info = run_bre({"dataset", "info", out.file("nl.pb")});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("municipalities 390: 390 with population (16979120 inhabitants), 0 without; 390 with geometry"),
            std::string::npos) << info.out;
  EXPECT_NE(info.out.find("GGD's 25"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("  COROP: 40 regions, 390 municipalities\n"), std::string::npos) << info.out;
}

// The generic importer on the nl2016 map gives the municipalities and shared borders the
// nl2016 preset gives (areas differ: nl2016 takes CBS's land area when it has it).
TEST(Nl2016, ImportFilesOnTheSameMapGivesTheSameMunicipalitiesAndBorders) {
  REQUIRE_DATA();
  TempDir out;
  auto r = run_bre({"import", "files", "--municipalities", nl2016_data_dir() + "/gemeente_2016_rd.geojson", "--year", "2016",
                    "--out", out.file("files.pb")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto files = bre::read_dataset(out.file("files.pb"));
  ASSERT_TRUE(files) << files.status().message();
  const auto& nl = nl2016_import().dataset;
  ASSERT_EQ(files->municipalities_size(), nl.municipalities_size());
  for (int i = 0; i < nl.municipalities_size(); ++i) {
    EXPECT_EQ(files->municipalities(i).code(), nl.municipalities(i).code());
    EXPECT_EQ(files->municipalities(i).name(), nl.municipalities(i).name());
    EXPECT_EQ(bre::to_binary(files->municipalities(i).geometry()), bre::to_binary(nl.municipalities(i).geometry()));
  }
  ASSERT_EQ(files->adjacency_size(), nl.adjacency_size());
  for (int i = 0; i < nl.adjacency_size(); ++i) {
    EXPECT_EQ(bre::to_binary(files->adjacency(i)), bre::to_binary(nl.adjacency(i)));
  }
}

TEST(Nl2016, CliRejectsABrokenFileWithoutWritingAnything) {
  REQUIRE_DATA();
  // A copy of the folder with a truncated province map: the error names file and place.
  TempDir copy;
  for (const auto& entry : std::filesystem::directory_iterator(nl2016_data_dir())) {
    std::filesystem::copy(entry.path(), copy.path() + "/" + entry.path().filename().string(),
                          std::filesystem::copy_options::recursive);
  }
  const std::string provinces = copy.file("provincie_2016_rd.geojson");
  std::filesystem::permissions(provinces, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::string text = bre::test::read_text(provinces);
  std::filesystem::remove(provinces);
  bre::test::write_text(provinces, text.substr(0, text.size() / 2));
  TempDir out;
  auto r = run_bre({"import", "nl2016", "--from", copy.path(), "--out", out.file("nl.pb")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("provincie_2016_rd.geojson:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::is_empty(out.path()));
}

}  // namespace
