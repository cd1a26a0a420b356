// Municipality indicator tables (bre/import/indicator_table.hpp) and `bre dataset
// add-indicators`: the metadata file, the wide code-keyed layout and the StatLine
// export, every bad input an error naming file, line and column with the value found,
// adding to the demo dataset, and the real StatLine export of ../shared/data/nl2016.
// Every table is written inline here.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "nl2016_data.hpp"
#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/import/indicator_table.hpp"
#include "bre/import/nl2016.hpp"
#include "bre/io.hpp"
#include "test_support.hpp"

namespace {

namespace imp = bre::import;
using bre::test::run_bre;
using bre::test::TempDir;
using bre::test::write_text;

// A few real municipalities of 2016 at their CBS codes (so the built-in aliases apply).
bre::v1::Dataset small_dataset() {
  bre::v1::Dataset d;
  d.set_name("small");
  d.set_reference_year(2016);
  const std::pair<const char*, const char*> municipalities[] = {
      {"GM0003", "Appingedam"},  {"GM0014", "Groningen"},    {"GM0344", "Utrecht"},
      {"GM0373", "Bergen (NH.)"}, {"GM0518", "'s-Gravenhage"}, {"GM0888", "Beek"},
      {"GM0893", "Bergen (L.)"},  {"GM1942", "Gooise Meren"}};
  for (const auto& [code, name] : municipalities) {
    auto* m = d.add_municipalities();
    m->set_code(code);
    m->set_name(name);
  }
  return d;
}

std::vector<imp::IndicatorMeta> meta_of(const std::string& csv, const std::string& file = "meta.csv") {
  auto table = imp::parse_csv(csv, file, {});
  EXPECT_TRUE(table.has_value()) << table.status().message();
  if (!table) return {};
  auto meta = imp::parse_indicator_meta(*table);
  EXPECT_TRUE(meta.has_value()) << meta.status().message();
  return meta ? *meta : std::vector<imp::IndicatorMeta>{};
}

std::string meta_error(const std::string& csv) {
  auto table = imp::parse_csv(csv, "meta.csv", {});
  if (!table) return table.status().message();
  auto meta = imp::parse_indicator_meta(*table);
  return meta ? "" : meta.status().message();
}

std::string table_error(const std::string& table, const std::string& meta_csv, imp::IndicatorTableOptions options = {}) {
  auto read = imp::parse_indicator_table(table, "t.csv", meta_of(meta_csv), small_dataset(), options);
  return read ? "" : read.status().message();
}

#define EXPECT_HAS(text, fragment) EXPECT_NE((text).find(fragment), std::string::npos) << (text)

std::map<std::tuple<std::string, std::string, int>, double> values_of(const imp::IndicatorTable& t) {
  std::map<std::tuple<std::string, std::string, int>, double> out;
  for (const auto& v : t.values) out[{v.indicator_id(), v.municipality_code(), v.year()}] = v.value();
  return out;
}

void expect_all_cells_accounted(const imp::IndicatorTable& t) {
  EXPECT_EQ(t.cells, t.values.size() + t.population.size() + t.empty_cells + t.unused_cells);
}

const std::string kIncomeMeta = "indicator,theme,unit,direction,column\nincome,economy,thousand EUR,higher_is_better,income\n";

// ---------------------------------------------------------------------------
// Metadata.

TEST(IndicatorMeta, DefaultsAndOptionalColumns) {
  auto meta = meta_of(
      "indicator,theme,unit,direction,column,name,year,broad_wellbeing,mirror_theme\n"
      "house_value,housing_and_services,thousand EUR,lower_is_better,woz2014,Average house value,2014,yes,economy\n"
      "house_value,housing_and_services,thousand EUR,lower_is_better,woz2016,,2016,yes,economy\n"
      "old_share,demography,%,neutral,,,,no,none\n");
  ASSERT_EQ(meta.size(), 3u);
  EXPECT_EQ(meta[0].column, "woz2014");
  EXPECT_EQ(meta[0].year, 2014);
  EXPECT_EQ(meta[0].line, 2);
  EXPECT_EQ(meta[0].indicator.theme(), bre::v1::THEME_HOUSING_AND_SERVICES);
  EXPECT_EQ(meta[0].indicator.direction(), bre::v1::DIRECTION_LOWER_IS_BETTER);
  EXPECT_TRUE(meta[0].indicator.broad_wellbeing());
  EXPECT_EQ(meta[0].indicator.mirror_theme(), bre::v1::THEME_ECONOMY);
  EXPECT_EQ(meta[1].indicator.name(), "Average house value");  // the name given on another row
  EXPECT_EQ(meta[2].column, "old_share");                       // default: the id
  EXPECT_EQ(meta[2].indicator.name(), "old_share");
  EXPECT_EQ(meta[2].year, 0);
  EXPECT_EQ(meta[2].indicator.mirror_theme(), bre::v1::THEME_UNSPECIFIED);
}

TEST(IndicatorMeta, EachBadRowNamesFileLineAndColumn) {
  const std::string header = "indicator,theme,unit,direction,column,year,broad_wellbeing\n";
  EXPECT_HAS(meta_error(header + "a,weather,%,neutral,,,\n"),
             "meta.csv:2: column 'theme' (2): expected a theme (geography|demography|housing_and_services|"
             "social_capital|economy|environment|health|wellbeing), found 'weather'");
  EXPECT_HAS(meta_error(header + "a,health,%,up,,,\n"),
             "meta.csv:2: column 'direction' (4): expected a direction (higher_is_better|lower_is_better|neutral), "
             "found 'up'");
  EXPECT_HAS(meta_error(header + "a,health,%,neutral,,,yes\n"),
             "meta.csv:2: column 'broad_wellbeing' (7): a neutral indicator is never part of broad well-being");
  EXPECT_HAS(meta_error(header + "a,health,%,neutral,x,2016,\na,health,%,neutral,y,2016,\n"),
             "meta.csv:3: indicator 'a' for 2016 is already given on line 2");
  EXPECT_HAS(meta_error(header + "a,health,%,neutral,x,,\nb,health,%,neutral,x,,\n"),
             "meta.csv:3: column 'x' is already read on line 2");
  EXPECT_HAS(meta_error(header + "a,health,%,neutral,x,2014,\na,economy,%,neutral,y,2016,\n"),
             "meta.csv:3: indicator 'a' is defined differently on two rows: theme 'economy' (line 2: 'health')");
  EXPECT_HAS(meta_error(header + "a,health,km,neutral,x,2014,\na,health,%,neutral,y,2016,\n"),
             "unit '%' (line 2: 'km')");
  EXPECT_HAS(meta_error("indicator,unit,direction\na,%,neutral\n"), "meta.csv:1: missing column 'theme'");
  EXPECT_HAS(meta_error(header + "Income,health,%,neutral,,,\n"),
             "meta.csv:2: column 'indicator' (1): expected an id of the form [a-z][a-z0-9_]*, found 'Income'");
  EXPECT_HAS(meta_error(header + "population,demography,inhabitants,neutral,,,\n"),
             "expected the unit 'persons', found 'inhabitants'");
  EXPECT_HAS(meta_error("indicator,theme,unit,direction,colour\na,health,%,neutral,red\n"),
             "meta.csv:1: column 'colour' (5): unknown column");
  // The same column for two years is fine (a table with years as rows).
  EXPECT_EQ(meta_error(header + "a,health,%,neutral,x,2014,\na,health,%,neutral,x,2016,\n"), "");
}

// ---------------------------------------------------------------------------
// The StatLine export as downloaded: BOM, CRLF, ';', every field quoted, decimal comma,
// names with qualifiers, years as rows.

const std::string kOldShare = "Bevolking/Leeftijdsgroepen, relatief/65 tot 80 jaar (%)";
const std::string kWoz = "Bouwen en wonen/Waarde onroerende zaken/Gemiddelde woningwaarde (1 000 euro)";

std::string statline_export() {
  std::string text = "\xEF\xBB\xBF\"Perioden\";\"Regio's\";\"" + kOldShare + "\";\"" + kWoz + "\";\"Huishoudens (aantal)\"\r\n";
  const char* rows[] = {
      "\"2014\";\"Groningen (gemeente)\";\"12,5\";\"150\";\"100\"",
      "\"2014\";\"Bussum\";\"13,3\";\"336\";\"100\"",  // line 3: merged into Gooise Meren in 2016
      "\"2014\";\"Gooise Meren\";\"\";\"\";\"\"",      // did not exist yet: no figures
      "\"2014\";\"Beekdaelen\";\"\";\"\";\"\"",        // a later municipality, no figures: skipped
      "\"2016JJ00\";\"Groningen (gemeente)\";\"12,9\";\"155\";\"100\"",
      "\"2016\";\"Gooise Meren\";\"14,6\";\"334\";\"100\"",
      "\"2016\";\"Beek (L.)\";\"18,1\";\"185\";\"100\"",
      "\"2016\";\"'s-Gravenhage (gemeente)\";\"14\";\".\";\"100\"",
      "\"2016\";\"Bussum\";\"\";\"\";\"\"",
      "\"2015\";\"Groningen (gemeente)\";\"12,7\";\"152\";\"100\""};
  for (const char* row : rows) text += std::string(row) + "\r\n";
  return text;
}

const std::string kStatlineMeta =
    "indicator,theme,unit,direction,column,year\n"
    "old_share,demography,%,neutral,\"" + kOldShare + "\",\n"
    "house_value,housing_and_services,1 000 euro,lower_is_better,\"" + kWoz + "\",2014\n"
    "house_value,housing_and_services,1 000 euro,lower_is_better,\"" + kWoz + "\",2016\n";

TEST(IndicatorTable, StatLineExportAsDownloaded) {
  auto t = imp::parse_indicator_table(statline_export(), "70072NED.csv", meta_of(kStatlineMeta), small_dataset(), {});
  ASSERT_TRUE(t.has_value()) << t.status().message();
  ASSERT_EQ(t->indicators.size(), 2u);
  EXPECT_EQ(t->indicators[0].id(), "old_share");
  EXPECT_EQ(t->indicators[1].id(), "house_value");
  const auto values = values_of(*t);
  const std::map<std::tuple<std::string, std::string, int>, double> expected = {
      {{"house_value", "GM0014", 2014}, 150}, {{"house_value", "GM0014", 2016}, 155},
      {{"house_value", "GM0888", 2016}, 185}, {{"house_value", "GM1942", 2016}, 334},
      {{"old_share", "GM0014", 2014}, 12.5},  {{"old_share", "GM0014", 2015}, 12.7},
      {{"old_share", "GM0014", 2016}, 12.9},  {{"old_share", "GM0518", 2016}, 14},
      {{"old_share", "GM0888", 2016}, 18.1},  {{"old_share", "GM1942", 2016}, 14.6}};
  EXPECT_EQ(values, expected);
  // Sorted by (indicator, code, year).
  EXPECT_EQ(t->values.front().indicator_id(), "house_value");
  EXPECT_EQ(t->values.front().municipality_code(), "GM0014");
  EXPECT_EQ(t->values.front().year(), 2014);
  EXPECT_EQ(t->rows, 10u);
  EXPECT_EQ(t->former_rows, 1u);
  EXPECT_EQ(t->empty_cells, 1u + 2 + 2 + 2);  // '.', Gooise Meren 2014, Beekdaelen 2014, Bussum 2016
  expect_all_cells_accounted(*t);
  const auto former = t->report.of_category("former municipality");
  ASSERT_EQ(former.size(), 1u);
  EXPECT_EQ(former[0].file, "70072NED.csv");
  EXPECT_EQ(former[0].line, 3);
  EXPECT_EQ(former[0].text, "Bussum");
  EXPECT_HAS(former[0].reason, "former municipality, merged into Gooise Meren (GM1942); values of predecessors are not combined");
  const auto unused = t->report.of_category("column not used");
  ASSERT_EQ(unused.size(), 1u);
  EXPECT_EQ(unused[0].text, "Huishoudens (aantal)");
}

TEST(IndicatorTable, StatLineErrors) {
  const std::string header = "\"Perioden\";\"Regio's\";\"" + kWoz + "\"\n";
  const std::string meta = "indicator,theme,unit,direction,column\nhouse_value,housing_and_services,1 000 euro,"
                           "lower_is_better,\"" + kWoz + "\"\n";
  EXPECT_HAS(table_error(header + "\"2016\";\"Bergen\";\"300\"\n", meta),
             "t.csv:2: column 'Regio's' (2): the name 'Bergen' resolves to 2 municipalities: Bergen (NH.) (GM0373) "
             "and Bergen (L.) (GM0893)");
  EXPECT_HAS(table_error(header + "\"2016\";\"Atlantis\";\"300\"\n", meta),
             "t.csv:2: column 'Regio's' (2): unknown municipality name 'Atlantis'");
  EXPECT_HAS(table_error(header + "\"2016\";\"Utrecht (gemeente)\";\"300.5\"\n", meta),
             "t.csv:2: column '" + kWoz + "' (3): expected a number with the decimal ',', found '300.5' "
             "(a StatLine export writes decimal commas)");
  EXPECT_HAS(table_error(header + "\"16\";\"Utrecht (gemeente)\";\"300\"\n", meta),
             "t.csv:2: column 'Perioden' (1): expected a year such as 2016 or 2016JJ00, found '16'");
  EXPECT_HAS(table_error(header + "\"2016\";\"Utrecht (gemeente)\";\"300\"\n\"2016\";\"Utrecht\";\"301\"\n", meta),
             "t.csv:3: column 'Regio's' (2): a second row for GM0344 in 2016 (the first is line 2)");
  // The unit in the header against the metadata: strict, only enclosing parentheses dropped.
  const std::string thousand = "indicator,theme,unit,direction,column\nhouse_value,housing_and_services,thousand EUR,"
                               "lower_is_better,\"" + kWoz + "\"\n";
  EXPECT_HAS(table_error(header + "\"2016\";\"Utrecht (gemeente)\";\"300\"\n", thousand),
             "t.csv:1: column '" + kWoz + "' (3): unit mismatch: the header says '1 000 euro', the metadata (line 2) "
             "says 'thousand EUR'");
  const std::string parenthesised = "indicator,theme,unit,direction,column\nhouse_value,housing_and_services,"
                                    "(1 000 euro),lower_is_better,\"" + kWoz + "\"\n";
  EXPECT_EQ(table_error(header + "\"2016\";\"Utrecht (gemeente)\";\"300\"\n", parenthesised), "");
}

// ---------------------------------------------------------------------------
// Wide tables keyed by code.

TEST(IndicatorTable, WideYearsAsColumns) {
  const std::string meta =
      "indicator,theme,unit,direction,column,year\n"
      "house_value,housing_and_services,thousand EUR,lower_is_better,woz2014,2014\n"
      "house_value,housing_and_services,thousand EUR,lower_is_better,woz2016,2016\n";
  // Codes as CBS writes them and as the Regio Atlas does (0344, 14).
  const std::string table = "code,name,woz2014,woz2016\nGM0003,Appingedam,142,131\n0344,Utrecht,200,210.5\n"
                            "14,Groningen,150,\n";
  auto t = imp::parse_indicator_table(table, "t.csv", meta_of(meta), small_dataset(), {});
  ASSERT_TRUE(t.has_value()) << t.status().message();
  const std::map<std::tuple<std::string, std::string, int>, double> expected = {
      {{"house_value", "GM0003", 2014}, 142}, {{"house_value", "GM0003", 2016}, 131},
      {{"house_value", "GM0014", 2014}, 150}, {{"house_value", "GM0344", 2014}, 200},
      {{"house_value", "GM0344", 2016}, 210.5}};
  EXPECT_EQ(values_of(*t), expected);
  EXPECT_EQ(t->empty_cells, 1u);
  EXPECT_EQ(t->indicators.size(), 1u);
  expect_all_cells_accounted(*t);
  EXPECT_TRUE(t->report.entries().empty());
}

TEST(IndicatorTable, WideYearColumnSemicolonsDecimalCommaBomCrlf) {
  const std::string table = "\xEF\xBB\xBF" "code;year;income;extra\r\nGM0003;2014;30,5;1\r\nGM0003;2016;31;1\r\n"
                            "GM0518;2016;\"29,25\";1\r\n";
  imp::IndicatorTableOptions options;
  options.delimiter = ';';
  options.decimal = ',';
  auto t = imp::parse_indicator_table(table, "t.csv", meta_of(kIncomeMeta), small_dataset(), options);
  ASSERT_TRUE(t.has_value()) << t.status().message();
  const std::map<std::tuple<std::string, std::string, int>, double> expected = {
      {{"income", "GM0003", 2014}, 30.5}, {{"income", "GM0003", 2016}, 31}, {{"income", "GM0518", 2016}, 29.25}};
  EXPECT_EQ(values_of(*t), expected);
  ASSERT_EQ(t->report.of_category("column not used").size(), 1u);
  EXPECT_EQ(t->report.of_category("column not used")[0].text, "extra");
}

TEST(IndicatorTable, WideWithoutYearsTakesTheReferenceYearAndPopulation) {
  const std::string meta = kIncomeMeta + "population,demography,persons,neutral,inwoners\n";
  auto t = imp::parse_indicator_table("code,name,income,inwoners\nGM0003,Appingedam,30,11801\nGM0014,Stad,31,200952\n",
                                      "t.csv", meta_of(meta), small_dataset(), {});
  ASSERT_TRUE(t.has_value()) << t.status().message();
  EXPECT_EQ(t->values.size(), 2u);
  EXPECT_EQ(t->values[0].year(), 2016);
  EXPECT_EQ(t->indicators.size(), 1u);  // population is no area indicator
  EXPECT_EQ(t->population, (std::map<std::string, std::int64_t>{{"GM0003", 11801}, {"GM0014", 200952}}));
  // The name column is checked against the code: reported, not an error.
  const auto mismatch = t->report.of_category("name mismatch");
  ASSERT_EQ(mismatch.size(), 1u);
  EXPECT_EQ(mismatch[0].line, 3);
  EXPECT_EQ(mismatch[0].text, "Stad");
  expect_all_cells_accounted(*t);
}

TEST(IndicatorTable, PlaceholdersAreNoFigure) {
  auto t = imp::parse_indicator_table("code,income\nGM0003,\nGM0014,.\nGM0344,-\nGM0518,x\nGM0888,?\nGM0893,1\n",
                                      "t.csv", meta_of(kIncomeMeta), small_dataset(), {});
  ASSERT_TRUE(t.has_value()) << t.status().message();
  EXPECT_EQ(t->empty_cells, 5u);
  EXPECT_EQ(t->values.size(), 1u);
  expect_all_cells_accounted(*t);
}

TEST(IndicatorTable, EachBadCellNamesFileLineColumnAndValue) {
  // Wrong delimiter: the header is one column.
  EXPECT_HAS(table_error("code;income\nGM0003;1\n", kIncomeMeta),
             "t.csv:1: the header is one column with the delimiter ',', found 'code;income'; it looks ';'-separated "
             "(pass --delimiter ';')");
  // A decimal comma in a comma-separated file splits the number.
  EXPECT_HAS(table_error("code,income\nGM0003,1,5\n", kIncomeMeta),
             "t.csv:2: expected 2 fields as in the header, found 3 (a decimal comma in '1,5'? ',' separates the "
             "fields: write 1.5 or quote the number)");
  imp::IndicatorTableOptions semicolon;
  semicolon.delimiter = ';';
  EXPECT_HAS(table_error("code;income\nGM0003;1,5\n", kIncomeMeta, semicolon),
             "t.csv:2: column 'income' (2): expected a number with the decimal '.', found '1,5' (a decimal comma? "
             "pass --decimal ',')");
  imp::IndicatorTableOptions comma_decimal = semicolon;
  comma_decimal.decimal = ',';
  EXPECT_HAS(table_error("code;income\nGM0003;1.5\n", kIncomeMeta, comma_decimal),
             "t.csv:2: column 'income' (2): expected a number with the decimal ',', found '1.5' (a decimal point? "
             "pass --decimal '.')");
  const std::string population = "indicator,theme,unit,direction,column\npopulation,demography,persons,neutral,inwoners\n";
  const std::string share = "indicator,theme,unit,direction\nshare,health,%,higher_is_better\n";
  struct Case {
    std::string table;
    const std::string& meta;
    std::string error;
  };
  const Case cases[] = {
      {"code,income\nGM0003,abc\n", kIncomeMeta,
       "t.csv:2: column 'income' (2): expected a number with the decimal '.', found 'abc'"},
      {"code,inwoners\nGM0003,-5\n", population,
       "t.csv:2: column 'inwoners' (2): expected a non-negative whole number of persons, found '-5'"},
      {"code,share\nGM0003,100.5\n", share, "t.csv:2: column 'share' (2): expected a share from 0 to 100 (unit %), found '100.5'"},
      {"code,share\nGM0003,-0.1\n", share, "t.csv:2: column 'share' (2): expected a share from 0 to 100 (unit %), found '-0.1'"},
      {"code,income\nGM0003,1\n0003,2\n", kIncomeMeta, "t.csv:3: column 'code' (1): a second row for GM0003 (the first is line 2)"},
      {"code,year,income\nGM0003,2016,1\n3,2016,2\n", kIncomeMeta,
       "t.csv:3: column 'code' (1): a second row for GM0003 in 2016 (the first is line 2)"},
      {"code,income\nGM9999,1\n", kIncomeMeta, "t.csv:2: column 'code' (1): unknown municipality code 'GM9999'"},
      {"code,income\nAmsterdam,1\n", kIncomeMeta,
       "t.csv:2: column 'code' (1): expected a CBS code such as GM0363 or 0363, found 'Amsterdam'"},
      {"code,inkomen\nGM0003,1\n", kIncomeMeta,
       "t.csv:1: no column 'income' for indicator 'income' (metadata line 2); the table's columns are: code, inkomen"},
  };
  for (const Case& c : cases) EXPECT_HAS(table_error(c.table, c.meta), c.error);
  EXPECT_HAS(table_error("gemeente,income\nGM0003,1\n", kIncomeMeta), "t.csv:1: no 'code' column");
  // Several bad cells: all of them, first things first.
  const std::string several = table_error("code,income\nGM0003,abc\nGM0014,1\nGM9999,2\n", kIncomeMeta);
  EXPECT_EQ(several.find("t.csv:2: column 'income' (2)"), 0u) << several;
  EXPECT_HAS(several, "\nt.csv:4: column 'code' (1): unknown municipality code 'GM9999'");
}

// ---------------------------------------------------------------------------
// Into a dataset.

TEST(IndicatorTable, AddToTheDemoDatasetAndReplace) {
  bre::v1::Dataset demo = bre::demo::generate();
  const std::size_t indicators_before = static_cast<std::size_t>(demo.area_indicators_size());
  const std::size_t values_before = static_cast<std::size_t>(demo.indicator_values_size());
  const std::string meta = kIncomeMeta +
                           "house_price,housing_and_services,thousand EUR,lower_is_better,woz\n"
                           "population,demography,persons,neutral,inwoners\n";
  const std::string table = "code,year,income,woz,inwoners\nGM0001,2016,30.5,250,12345\nGM0002,2016,31,260,\n";
  auto read = [&] {
    auto t = imp::parse_indicator_table(table, "t.csv", meta_of(meta), demo, {});
    EXPECT_TRUE(t.has_value()) << t.status().message();
    return t ? *t : imp::IndicatorTable{};
  };
  // house_price 2016 of GM0001 is in the demo already: refused without replace, dataset unchanged.
  bre::v1::Dataset copy = demo;
  const bre::Status refused = imp::add_indicator_table(copy, read(), false);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_HAS(refused.message(), "the dataset already holds a value for indicator 'house_price', GM0001, 2016");
  EXPECT_HAS(refused.message(), "pass --replace");
  EXPECT_EQ(copy.SerializeAsString(), demo.SerializeAsString());

  ASSERT_TRUE(imp::add_indicator_table(copy, read(), true).is_ok());
  EXPECT_TRUE(bre::check_dataset(copy).is_ok()) << bre::check_dataset(copy).message();
  EXPECT_EQ(static_cast<std::size_t>(copy.area_indicators_size()), indicators_before + 1);  // income
  EXPECT_EQ(static_cast<std::size_t>(copy.indicator_values_size()), values_before + 2);     // income; woz replaced
  std::map<std::pair<std::string, std::string>, double> v2016;
  for (const auto& v : copy.indicator_values()) {
    if (v.year() == 2016) v2016[{v.indicator_id(), v.municipality_code()}] = v.value();
  }
  EXPECT_EQ((v2016[{"house_price", "GM0001"}]), 250);
  EXPECT_EQ((v2016[{"house_price", "GM0002"}]), 260);
  EXPECT_EQ((v2016[{"income", "GM0001"}]), 30.5);
  EXPECT_EQ(copy.municipalities(0).population(), 12345);
  EXPECT_EQ(copy.municipalities(1).population(), demo.municipalities(1).population());  // empty cell: kept

  // One id, two definitions: an error naming both, the dataset unchanged.
  const std::string euro = "indicator,theme,unit,direction,column\nhouse_price,housing_and_services,EUR,"
                           "lower_is_better,woz\n";
  auto other = imp::parse_indicator_table("code,woz\nGM0001,250000\n", "t.csv", meta_of(euro), demo, {});
  ASSERT_TRUE(other.has_value()) << other.status().message();
  bre::v1::Dataset again = demo;
  const bre::Status conflict = imp::add_indicator_table(again, *other, true);
  EXPECT_HAS(conflict.message(), "indicator 'house_price': the dataset has theme housing_and_services, unit 'thousand "
                                 "EUR', direction lower_is_better; the table has theme housing_and_services, unit 'EUR'");
  EXPECT_EQ(again.SerializeAsString(), demo.SerializeAsString());
}

// ---------------------------------------------------------------------------
// The real StatLine export (../shared/data/nl2016 or $BRE_NL2016_DIR).

using bre::test::nl2016_data_dir;

TEST(IndicatorTableReal, StatLine70072AgainstTheNl2016Import) {
  const std::string path = nl2016_data_dir() + "/cbs/regionale_kerncijfers_70072NED_1995_2021.csv";
  if (!std::filesystem::exists(path) || !std::filesystem::exists(nl2016_data_dir() + "/gemeente_2016_rd.geojson")) {
    GTEST_SKIP() << "nl2016 data not found at " << nl2016_data_dir() << " (set BRE_NL2016_DIR)";
  }
  auto imported = imp::import_nl2016(nl2016_data_dir());
  ASSERT_TRUE(imported.has_value()) << imported.status().message();
  const std::string meta =
      "indicator,theme,unit,direction,column,year\n"
      "woz_value,housing_and_services,1 000 euro,lower_is_better,\"" + kWoz + "\",2014\n"
      "woz_value,housing_and_services,1 000 euro,lower_is_better,\"" + kWoz + "\",2016\n"
      "aged_65_80,demography,%,neutral,\"Bevolking/Bevolkingssamenstelling op 1 januari/Leeftijd/"
      "Leeftijdsgroepen, relatief/65 tot 80 jaar (%)\",2016\n";
  auto t = imp::read_indicator_table(path, meta_of(meta), imported->dataset, {}, "70072NED.csv");
  ASSERT_TRUE(t.has_value()) << t.status().message();
  std::map<int, std::set<std::string>> codes_per_year;
  for (const auto& v : t->values) {
    if (v.indicator_id() == "woz_value") codes_per_year[v.year()].insert(v.municipality_code());
  }
  EXPECT_EQ(codes_per_year[2016].size(), 390u);  // every 2016 row resolves, each to its own municipality
  const auto values = values_of(*t);
  EXPECT_EQ((values.at({"woz_value", "GM0003", 2016})), 131);  // Appingedam
  EXPECT_EQ((values.at({"woz_value", "GM1942", 2016})), 334);  // Gooise Meren
  EXPECT_EQ((values.at({"woz_value", "GM0003", 2014})), 142);
  EXPECT_EQ((values.at({"aged_65_80", "GM0003", 2016})), 17.4);
  EXPECT_EQ(values.count({"woz_value", "GM1942", 2014}), 0u);  // predecessors are not combined
  bool bussum = false;
  for (const auto& e : t->report.of_category("former municipality")) {
    if (e.text == "Bussum") {
      bussum = true;
      EXPECT_HAS(e.reason, "merged into Gooise Meren (GM1942)");
    }
  }
  EXPECT_TRUE(bussum);
  expect_all_cells_accounted(*t);
  // Into the dataset: it still validates.
  bre::v1::Dataset dataset = imported->dataset;
  const auto added = imp::add_indicator_table(dataset, *t, false);
  ASSERT_TRUE(added.is_ok()) << added.message();
  EXPECT_TRUE(bre::check_dataset(dataset).is_ok());
  // The import's own house_value (key figures, thousand EUR) refuses the series' unit.
  auto clash = imp::read_indicator_table(
      path, meta_of("indicator,theme,unit,direction,column,year\nhouse_value,housing_and_services,1 000 euro,lower_is_better,\"" +
                    kWoz + "\",2015\n"),
      imported->dataset, {}, "70072NED.csv");
  ASSERT_TRUE(clash.has_value()) << clash.status().message();
  const auto refused = imp::add_indicator_table(dataset, *clash, false);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_HAS(refused.message(), "thousand EUR");
  EXPECT_HAS(refused.message(), "1 000 euro");
}

// ---------------------------------------------------------------------------
// The CLI.

TEST(CliIndicators, AddIndicatorsToTheDemo) {
  TempDir dir;
  write_text(dir.file("meta.csv"), kIncomeMeta);
  write_text(dir.file("table.csv"), "code,year,income\nGM0001,2014,30\nGM0001,2016,31.5\nGM0002,2016,x\n");
  auto r = run_bre({"dataset", "add-indicators", "demo", "--table", dir.file("table.csv"), "--meta",
                    dir.file("meta.csv"), "--out", dir.file("out.pb")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote " + dir.file("out.pb") + ": 1 indicators, 2 values (1 municipalities, years 2014-2016); 1 "
                   "empty cells; 0 rows of former municipalities reported (see " + dir.file("out.indicators.csv") + ")\n");
  EXPECT_TRUE(std::filesystem::exists(dir.file("out.indicators.csv")));
  auto dataset = bre::read_dataset(dir.file("out.pb"));
  ASSERT_TRUE(dataset.has_value()) << dataset.status().message();
  EXPECT_TRUE(bre::validate_dataset(*dataset).empty());
}

TEST(CliIndicators, BadCellWritesNothing) {
  TempDir dir;
  write_text(dir.file("meta.csv"), kIncomeMeta);
  write_text(dir.file("table.csv"), "code;income\nGM0001;1,5\n");
  auto r = run_bre({"dataset", "add-indicators", "demo", "--table", dir.file("table.csv"), "--meta",
                    dir.file("meta.csv"), "--out", dir.file("out.pb"), "--delimiter", ";"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_HAS(r.err, "table.csv:2: column 'income' (2): expected a number with the decimal '.', found '1,5'");
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.pb")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.indicators.csv")));
  auto d = run_bre({"dataset", "add-indicators", "demo", "--table", dir.file("table.csv"), "--meta",
                    dir.file("meta.csv"), "--out", dir.file("out.pb"), "--decimal", ";"});
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_HAS(d.err, "--decimal: expected one of '.,'");
}

}  // namespace
