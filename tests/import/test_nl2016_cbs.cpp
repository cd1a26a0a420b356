// The CBS part of the nl2016 import on the real files (../shared/data/nl2016/cbs or
// $BRE_NL2016_DIR/cbs): population, the key figures as area indicators, and the trends
// 2011-2016 from the StatLine series, checked against hand computations from the
// files themselves. Skipped, with a message, only when the data folder is absent.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "nl2016_data.hpp"
#include "bre/dataset.hpp"
#include "bre/import/cbs_series.hpp"
#include "bre/import/csv.hpp"
#include "bre/import/nl2016.hpp"

namespace {

using bre::test::nl2016_data_dir;

#define REQUIRE_CBS_DATA()                                                                            \
  if (!std::filesystem::exists(nl2016_data_dir() + "/cbs/gemeente_kerncijfers_2016.csv"))                   \
  GTEST_SKIP() << "nl2016 CBS data not found at " << nl2016_data_dir()                                       \
               << "/cbs (set BRE_NL2016_DIR to the folder of gemeente_2016_rd.geojson)"

using bre::test::nl2016_import;

const bre::v1::Municipality& municipality(const std::string& name) {
  for (const auto& m : nl2016_import().dataset.municipalities()) {
    if (m.name() == name) return m;
  }
  throw std::runtime_error("no municipality " + name);
}

std::optional<double> value_of(const std::string& indicator, const std::string& code, int year = 2016) {
  for (const auto& v : nl2016_import().dataset.indicator_values()) {
    if (v.indicator_id() == indicator && v.municipality_code() == code && v.year() == year) return v.value();
  }
  return std::nullopt;
}

std::vector<std::string> split(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  std::string field;
  for (char c : line) {
    if (c == delimiter) {
      fields.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  fields.push_back(field);
  return fields;
}

// Residents in work of one column of the commuting matrix (persons), read here with
// plain string splitting, independently of the importer's reader.
double matrix_column_persons(std::size_t column) {
  std::ifstream in(nl2016_data_dir() + "/pendel_2014_matrix.csv");
  std::string line;
  double thousands = 0.0;
  while (std::getline(in, line)) {
    const std::string cell = split(line, ';').at(column + 1);
    if (cell != "-") thousands += std::stod(cell);
  }
  return thousands * 1000.0;
}

TEST(Nl2016Cbs, PopulationSumsToTheCbsTotalAndEveryMunicipalityHasEveryKeyFigure) {
  REQUIRE_CBS_DATA();
  const auto& d = nl2016_import().dataset;
  std::int64_t total = 0;
  for (const auto& m : d.municipalities()) {
    EXPECT_GT(m.population(), 0) << m.name();
    total += m.population();
  }
  EXPECT_EQ(total, 16979120);
  EXPECT_EQ(nl2016_import().stats.population_total, 16979120);
  // The key figures: 17 indicators (inwoners is the population, not an indicator).
  std::set<std::string> key_figures;
  for (const auto& a : d.area_indicators()) {
    if (a.id().find("_change") == std::string::npos) key_figures.insert(a.id());
  }
  EXPECT_EQ(key_figures.size(), 17u);
  EXPECT_EQ(key_figures.count("population"), 0u);
  std::map<std::string, std::size_t> values_per_indicator;
  for (const auto& v : d.indicator_values()) {
    if (key_figures.count(v.indicator_id())) {
      EXPECT_EQ(v.year(), 2016);
      ++values_per_indicator[v.indicator_id()];
    }
  }
  for (const auto& id : key_figures) EXPECT_EQ(values_per_indicator[id], 390u) << id;
  // Appingedam, the file's first row: 12001 inhabitants, 2378 ha of land, 23.5 % aged 65+, WOZ 131.
  const auto& appingedam = municipality("Appingedam");
  EXPECT_EQ(appingedam.population(), 12001);
  EXPECT_DOUBLE_EQ(appingedam.area_km2(), 23.78);
  EXPECT_DOUBLE_EQ(*value_of("age_65_plus", appingedam.code()), 23.5);
  EXPECT_DOUBLE_EQ(*value_of("house_value", appingedam.code()), 131.0);
  EXPECT_TRUE(bre::check_dataset(d).is_ok());
}

TEST(Nl2016Cbs, DirectionsThemesAndUnitsComeFromTheMetadataTable) {
  REQUIRE_CBS_DATA();
  std::map<std::string, bre::v1::AreaIndicator> by_id;
  for (const auto& a : nl2016_import().dataset.area_indicators()) by_id[a.id()] = a;
  EXPECT_EQ(by_id.at("house_value").direction(), bre::v1::DIRECTION_LOWER_IS_BETTER);
  EXPECT_EQ(by_id.at("house_value").theme(), bre::v1::THEME_HOUSING_AND_SERVICES);
  EXPECT_EQ(by_id.at("house_value").unit(), "thousand EUR");
  EXPECT_EQ(by_id.at("population_density").direction(), bre::v1::DIRECTION_NEUTRAL);
  EXPECT_EQ(by_id.at("population_density").theme(), bre::v1::THEME_GEOGRAPHY);
  EXPECT_EQ(by_id.at("age_65_plus").direction(), bre::v1::DIRECTION_LOWER_IS_BETTER);
  EXPECT_EQ(by_id.at("address_density").mirror_theme(), bre::v1::THEME_HOUSING_AND_SERVICES);
  EXPECT_EQ(by_id.at("age_65_plus_change").unit(), "percentage points");
  EXPECT_EQ(by_id.at("house_value_change").unit(), "% change");
}

// Appingedam did not change between 2011 and 2016. From the series: 65-80 and 80+
// were 14.5 + 5.9 = 20.4 % in 2011 and 17.4 + 6.1 = 23.5 % in 2016; the average house
// value 156 and 131 (thousand EUR).
TEST(Nl2016Cbs, TrendOfAnUnchangedMunicipalityIsTheDifferenceOfTheSeries) {
  REQUIRE_CBS_DATA();
  const std::string code = municipality("Appingedam").code();
  EXPECT_NEAR(*value_of("age_65_plus_change", code), 23.5 - 20.4, 1e-6);
  EXPECT_NEAR(*value_of("house_value_change", code), 100.0 * (131.0 / 156.0 - 1.0), 1e-6);
}

// Gooise Meren (2016) = Bussum + Naarden + Muiden (mapping indices 63, 226, 225). Their
// 2011 figures are combined, weighted by residents in work (the matrix's columns):
// 65+ 2011: Bussum 12.3 + 6.6, Naarden 13.6 + 6.2, Muiden 14.2 + 3.9; 2016: 14.6 + 6.2.
// WOZ 2011: 381, 428, 362; 2016: 334.
TEST(Nl2016Cbs, TrendOfAMergedMunicipalityCombinesItsPredecessorsByHand) {
  REQUIRE_CBS_DATA();
  const double bussum = matrix_column_persons(63), naarden = matrix_column_persons(226),
               muiden = matrix_column_persons(225);
  ASSERT_GT(bussum, naarden);
  ASSERT_GT(naarden, muiden);
  const double total = bussum + naarden + muiden;
  const double old_65 = (bussum * (12.3 + 6.6) + naarden * (13.6 + 6.2) + muiden * (14.2 + 3.9)) / total;
  const double old_woz = (bussum * 381 + naarden * 428 + muiden * 362) / total;
  const std::string code = municipality("Gooise Meren").code();
  EXPECT_NEAR(*value_of("age_65_plus_change", code), (14.6 + 6.2) - old_65, 1e-6);
  EXPECT_NEAR(*value_of("house_value_change", code), 100.0 * (334.0 / old_woz - 1.0), 1e-6);
  bool reported = false;
  for (const auto& e : nl2016_import().report.of_category("trend from predecessors")) {
    reported = reported || (e.text.find("Gooise Meren") != std::string::npos &&
                            e.reason.find("Bussum") != std::string::npos && e.reason.find("Muiden") != std::string::npos);
  }
  EXPECT_TRUE(reported);
}

// Municipalities formed from predecessors that ceased before 2014 (no size known to
// weight them) or that took in part of Boarnsterhim (split 2014) get no trend, and
// each is reported; every other municipality gets one.
TEST(Nl2016Cbs, TrendsThatCannotBeComputedAreReportedNeverGuessed) {
  REQUIRE_CBS_DATA();
  const std::set<std::string> expected = {"Hollands Kroon", "Schagen", "Goeree-Overflakkee", "Molenwaard",
                                          "Alphen aan den Rijn", "De Fryske Marren", "Leeuwarden", "Heerenveen",
                                          "Súdwest-Fryslân"};
  for (const char* trend : {"age_65_plus_change", "house_value_change"}) {
    std::set<std::string> missing;
    for (const auto& m : nl2016_import().dataset.municipalities()) {
      if (!value_of(trend, m.code())) missing.insert(m.name());
    }
    EXPECT_EQ(missing, expected) << trend;
  }
  std::set<std::string> reported;
  for (const auto& e : nl2016_import().report.of_category("trend not computable")) reported.insert(e.text.substr(0, e.text.find(" (")));
  EXPECT_EQ(reported, expected);
  EXPECT_EQ(nl2016_import().report.of_category("trend not computable").size(), 2 * expected.size());
  EXPECT_EQ(nl2016_import().stats.trend_not_computable, 2 * expected.size());
  EXPECT_EQ(nl2016_import().stats.trend_values_direct + nl2016_import().stats.trend_values_combined, 2 * (390 - expected.size()));
}

// The built-in reorganisation table holds exactly the municipalities that have figures
// in the series in 2011 but not in 2014, each with the year after its last figures.
TEST(Nl2016Cbs, ReorganisationTableMatchesTheSeries) {
  REQUIRE_CBS_DATA();
  bre::import::CsvOptions options;
  options.delimiter = ';';
  auto series = bre::import::read_csv(nl2016_data_dir() + "/cbs/regionale_kerncijfers_70072NED_1995_2021.csv", options);
  ASSERT_TRUE(series.has_value()) << series.status().message();
  std::map<std::string, int> last_year_with_figures;
  std::map<int, std::set<std::string>> with_figures;
  for (const auto& record : series->records) {
    bool any = false;
    for (std::size_t c = 2; c < record.fields.size(); ++c) any = any || !record.fields[c].empty();
    if (!any) continue;
    const int year = std::stoi(record.fields[0]);
    with_figures[year].insert(record.fields[1]);
    last_year_with_figures[record.fields[1]] = std::max(last_year_with_figures[record.fields[1]], year);
  }
  std::set<std::string> ceased;
  for (const auto& name : with_figures[2011]) {
    if (!with_figures[2014].count(name)) ceased.insert(name);
  }
  bre::import::CsvOptions table_options;
  table_options.delimiter = ';';
  table_options.comment = '#';
  auto table = bre::import::parse_csv(bre::import::builtin_municipal_reorganisations(), "reorganisations", table_options);
  ASSERT_TRUE(table.has_value()) << table.status().message();
  auto reorganisations = bre::import::parse_reorganisations(*table);
  ASSERT_TRUE(reorganisations.has_value()) << reorganisations.status().message();
  std::set<std::string> listed;
  for (const auto& r : *reorganisations) {
    listed.insert(r.former);
    EXPECT_EQ(last_year_with_figures[r.former], r.year - 1) << r.former;
    for (const auto& successor : r.successors) EXPECT_TRUE(with_figures[2014].count(successor)) << successor;
  }
  EXPECT_EQ(listed, ceased);
}

}  // namespace
