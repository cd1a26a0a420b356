// Dataset reading, writing, conversion and validation.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <utility>

#include "bre/dataset.hpp"
#include "bre/io.hpp"
#include "test_support.hpp"

namespace {

using bre::test::TempDir;

TEST(DatasetIo, BinaryAndJsonRoundTrip) {
  TempDir dir;
  const auto original = bre::test::small_dataset();
  ASSERT_TRUE(bre::write_dataset(original, dir.file("d.pb")).is_ok());
  ASSERT_TRUE(bre::write_dataset(original, dir.file("d.json")).is_ok());
  auto from_binary = bre::read_dataset(dir.file("d.pb"));
  auto from_json = bre::read_dataset(dir.file("d.json"));
  ASSERT_TRUE(from_binary) << from_binary.status().message();
  ASSERT_TRUE(from_json) << from_json.status().message();
  EXPECT_EQ(bre::to_binary(*from_binary), bre::to_binary(original));
  EXPECT_EQ(bre::to_binary(*from_json), bre::to_binary(original));
  EXPECT_EQ(bre::dataset_sha256(*from_json), bre::dataset_sha256(original));
}

TEST(DatasetIo, NoTemporaryFilesLeftBehind) {
  TempDir dir;
  ASSERT_TRUE(bre::write_dataset(bre::test::small_dataset(), dir.file("d.pb")).is_ok());
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(DatasetIo, WriteIntoMissingDirectoryFailsCleanly) {
  TempDir dir;
  auto status = bre::write_dataset(bre::test::small_dataset(), dir.file("missing/d.pb"));
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("missing/d.pb"), std::string::npos);
}

TEST(DatasetIo, CorruptBinaryNamesTheFile) {
  TempDir dir;
  const std::string path = dir.file("corrupt.pb");
  const char corrupt[] = "\x0a\xff\xff\xff\xff\x0f garbage";  // a length that runs past the end
  bre::test::write_text(path, std::string(corrupt, sizeof corrupt - 1));
  auto read = bre::read_dataset(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.status().code(), bre::StatusCode::kInvalidArgument);
  EXPECT_NE(read.status().message().find(path + ": not a valid bre.v1.Dataset"), std::string::npos);
}

TEST(DatasetIo, TruncatedBinaryIsRejected) {
  TempDir dir;
  const std::string bytes = bre::to_binary(bre::test::small_dataset());
  bre::test::write_text(dir.file("t.pb"), bytes.substr(0, bytes.size() / 2));
  EXPECT_FALSE(bre::read_dataset(dir.file("t.pb")));
}

TEST(DatasetIo, JsonUnknownFieldIsAnError) {
  TempDir dir;
  bre::test::write_text(dir.file("d.json"), R"({"name": "x", "municipalitys": []})");
  auto read = bre::read_dataset(dir.file("d.json"));
  ASSERT_FALSE(read);
  EXPECT_NE(read.status().message().find("municipalitys"), std::string::npos) << read.status().message();
  EXPECT_NE(read.status().message().find(dir.file("d.json")), std::string::npos);
}

TEST(DatasetIo, JsonWrongTypeIsAnError) {
  TempDir dir;
  bre::test::write_text(dir.file("d.json"), R"({"name": "x", "municipalities": [{"code": "GM1", "population": "many"}]})");
  auto read = bre::read_dataset(dir.file("d.json"));
  ASSERT_FALSE(read);
  EXPECT_NE(read.status().message().find("population"), std::string::npos) << read.status().message();
}

TEST(DatasetIo, MissingFileIsNotFound) {
  auto read = bre::read_dataset("/nonexistent/d.pb");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.status().code(), bre::StatusCode::kNotFound);
}

// Reading a FIFO without a writer used to block forever, and /dev/zero to read until
// protobuf aborted: files that are not regular are refused before a byte is read.
TEST(DatasetIo, FilesThatAreNotRegularAreRefusedWithoutReading) {
  TempDir dir;
  const std::string fifo = dir.file("d.pb");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto from_fifo = bre::read_dataset(fifo);
  ASSERT_FALSE(from_fifo);
  EXPECT_EQ(from_fifo.status().message(), fifo + ": expected a regular file, found a FIFO (named pipe)");
  auto from_device = bre::read_dataset("/dev/zero");
  ASSERT_FALSE(from_device);
  EXPECT_EQ(from_device.status().message(), "/dev/zero: expected a regular file, found a character device");
  auto from_directory = bre::read_dataset(dir.path());
  ASSERT_FALSE(from_directory);
  EXPECT_EQ(from_directory.status().message(), dir.path() + ": is a directory, expected a file");
}

// Sparse files: the size is refused from fstat, so the test writes nothing.
TEST(DatasetIo, FilesOverTheSizeLimitAreRefusedBeforeReading) {
  TempDir dir;
  for (const auto& [name, limit] : {std::pair{std::string("big.pb"), bre::kMaxBinaryDatasetBytes},
                                    std::pair{std::string("big.json"), bre::kMaxJsonDatasetBytes}}) {
    const std::string path = dir.file(name);
    bre::test::write_text(path, "");
    std::filesystem::resize_file(path, limit + 1);
    auto read = bre::read_dataset(path);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.status().message(), path + ": " + std::to_string(limit + 1) + " bytes, more than the limit of " +
                                           std::to_string(limit) + " bytes");
  }
  const std::string small = dir.file("d.pb");
  ASSERT_TRUE(bre::write_dataset(bre::test::small_dataset(), small).is_ok());
  auto capped = bre::read_dataset(small, 10);
  ASSERT_FALSE(capped);
  EXPECT_NE(capped.status().message().find("more than the limit of 10 bytes"), std::string::npos);
}

// protobuf's JSON errors give no position; bre's do, from its own pass over the text.
TEST(DatasetIo, JsonSyntaxErrorsNameLineAndColumn) {
  TempDir dir;
  const std::string path = dir.file("d.json");
  bre::test::write_text(path, "{\n  \"name\": \"x\",\n  \"municipalities\": [{\"code\": \"GM1\",}]\n}\n");
  auto read = bre::read_dataset(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.status().message(), path + ":3:37: invalid bre.v1.Dataset JSON: expected a member name in double "
                                            "quotes, found '}'");
  bre::test::write_text(path, "{\"name\": \"Fryslân\", \"description\": \"x\" \"y\"}");
  read = bre::read_dataset(path);
  ASSERT_FALSE(read);
  // Columns count characters: "â" is two bytes and one column.
  EXPECT_EQ(read.status().message(), path + ":1:40: invalid bre.v1.Dataset JSON: expected ',' or '}' in an object, "
                                            "found '\"'");
  bre::test::write_text(path, "{\"name\": \"x\"");
  read = bre::read_dataset(path);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.status().message(), path + ":1:13: invalid bre.v1.Dataset JSON: unexpected end of the text in an "
                                            "object (truncated?)");
}

TEST(JsonSyntax, AcceptsRfc8259AndRefusesTheLooseForms) {
  for (const char* good : {"{}", "[]", " 0 ", "-1.5e+3", "\"\\u00e9\\n\"", "[true, false, null, {\"a\": [1, {}]}]"}) {
    EXPECT_TRUE(bre::check_json_syntax(good, "t.json").is_ok()) << good;
  }
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"{'a': 1}", "t.json:1:2: invalid JSON: expected a member name in double quotes, found '''"},
      {"{a: 1}", "t.json:1:2: invalid JSON: expected a member name in double quotes, found 'a'"},
      {"[1, 2,]", "t.json:1:7: invalid JSON: expected a value, found ']'"},
      {"[1] // note", "t.json:1:5: invalid JSON: expected the end of the text after the JSON value, found '/'"},
      {"[01]", "t.json:1:3: invalid JSON: expected ',' or ']' in an array, found '1'"},
      {"[NaN]", "t.json:1:2: invalid JSON: expected a value, found 'N'"},
      {"\"\\x\"", "t.json:1:3: invalid JSON: expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX) after '\\', "
                  "found 'x'"},
      {"", "t.json:1:1: invalid JSON: expected a JSON value, found an empty text"},
      {"\xef\xbb\xbf{}", "t.json:1:1: invalid JSON: expected a value, found byte 0xEF"},
  };
  for (const auto& [text, message] : bad) EXPECT_EQ(bre::check_json_syntax(text, "t.json").message(), message) << text;
}

// protobuf's parser took 51 s to refuse 40,000 levels; the scan refuses level 65 at once.
TEST(JsonSyntax, NestingBeyondTheLimitIsRefusedBeforeProtobufParses) {
  const std::string at_limit = std::string(bre::kMaxJsonDepth, '[') + std::string(bre::kMaxJsonDepth, ']');
  EXPECT_TRUE(bre::check_json_syntax(at_limit, "t.json").is_ok());
  const int deep = 100000;
  const std::string text = "{\"name\": " + std::string(deep, '[') + std::string(deep, ']') + "}";
  const auto start = std::chrono::steady_clock::now();
  bre::v1::Dataset dataset;
  const bre::Status status = bre::from_json(text, "d.json", dataset);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(status.message(), "d.json:1:73: invalid bre.v1.Dataset JSON: arrays and objects nested deeper than 64 "
                              "levels");
}

TEST(JsonSyntax, OutlineListsTheValuesNearTheRoot) {
  std::vector<bre::JsonOutlineEntry> outline;
  ASSERT_TRUE(bre::check_json_syntax("{\"a\": [1, {\"b\": \"x\"}], \"c\": null}", "t.json", &outline, 2).is_ok());
  std::vector<std::string> seen;
  for (const auto& entry : outline) seen.push_back(entry.path + "=" + bre::json_type_name(entry.type));
  EXPECT_EQ(seen, (std::vector<std::string>{"=an object", "a=an array", "a[0]=a number", "a[1]=an object",
                                            "c=null"}));
  EXPECT_EQ(bre::json_location("{\n \"é\": x", "t.json", 9), "t.json:2:7");
}

TEST(Excerpt, LongTextIsCutAtACharacter) {
  EXPECT_EQ(bre::excerpt("short"), "short");
  EXPECT_EQ(bre::excerpt(std::string(1000000, 'a')), std::string(64, 'a') + "…");
  EXPECT_EQ(bre::excerpt("ééé", 2), "éé…");
}

TEST(DatasetValidation, SmallDatasetIsValid) {
  EXPECT_TRUE(bre::validate_dataset(bre::test::small_dataset()).empty());
}

TEST(DatasetValidation, EmptyDatasetIsRejected) {
  const auto problems = bre::validate_dataset(bre::v1::Dataset());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "municipalities: the dataset has no municipalities");
}

TEST(DatasetValidation, EveryProblemNamesItsFieldPath) {
  auto d = bre::test::small_dataset();
  d.mutable_municipalities(1)->set_code("GM0001");                   // duplicate
  d.mutable_arrangements(0)->add_municipality_codes("GM9999");       // unknown
  d.mutable_municipalities(2)->set_province_code("PV7");             // unknown body
  d.add_commuting_flows()->set_home_code("GM0003");                  // unknown work code ""
  d.mutable_commuting_flows(0)->set_work_code("GM0004");
  d.mutable_commuting_flows(0)->set_persons(-3);
  const auto problems = bre::validate_dataset(d);
  const std::vector<std::string> expected = {
      "municipalities[1].code: duplicate code 'GM0001'",
      "municipalities[2].province_code: unknown province code 'PV7'",
      "arrangements[0].municipality_codes[3]: unknown municipality code 'GM9999'",
      "commuting_flows[0].persons: expected a finite non-negative number of persons"};
  for (const auto& e : expected) {
    EXPECT_NE(std::find(problems.begin(), problems.end(), e), problems.end()) << "missing: " << e;
  }
  auto status = bre::check_dataset(d);
  EXPECT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("more problems"), std::string::npos);
}

TEST(DatasetValidation, ProblemsNameTheSourceLineAndTheProvinceKind) {
  auto d = bre::test::small_dataset();
  d.mutable_arrangements(1)->mutable_source()->set_file("opengr.csv");
  d.mutable_arrangements(1)->mutable_source()->set_line(40);
  d.mutable_arrangements(1)->add_municipality_codes("GM0404");
  d.mutable_bodies(1)->set_kind(bre::v1::BODY_KIND_WATER_BOARD);
  const auto problems = bre::validate_dataset(d);
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "arrangements[1] (opengr.csv:40).municipality_codes[2]: unknown municipality code 'GM0404'"),
            problems.end());
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "municipalities[3].province_code: body 'PV2' is not of kind BODY_KIND_PROVINCE"),
            problems.end());
}

TEST(DatasetValidation, ManyProblemsAreCappedButCountedExactly) {
  auto d = bre::test::small_dataset();
  for (int i = 0; i < 1500; ++i) d.mutable_arrangements(0)->add_municipality_codes("X" + std::to_string(i));
  std::size_t total = 0;
  const auto problems = bre::validate_dataset(d, &total);
  EXPECT_EQ(total, 1500u);
  ASSERT_EQ(problems.size(), 1001u);
  EXPECT_EQ(problems.back(), "... and 500 more");
  EXPECT_NE(bre::check_dataset(d).message().find("(and 1499 more problems)"), std::string::npos);
}

TEST(DatasetValidation, SurveyValuesOutsideLikertAreRejected) {
  auto d = bre::test::small_dataset();
  auto* item = d.add_survey_items();
  item->set_id("f1");
  item->set_dimension(bre::v1::LEGITIMACY_DIMENSION_FUNDAMENTAL);
  auto* r = d.add_survey_responses();
  r->set_respondent_id("r1");
  r->set_body_code("GM0001");
  auto* a = r->add_answers();
  a->set_item_id("f1");
  a->set_value(7);
  const auto problems = bre::validate_dataset(d);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "survey_responses[0].answers[0].value: expected 1..5 or 0 for missing, found 7");
}

TEST(DatasetValidation, OverlappingRegionsOfAPartitionAreRejected) {
  auto d = bre::test::small_dataset();
  auto* def = d.add_region_definitions();
  def->set_name("x");
  auto* r1 = def->add_regions();
  r1->set_id("a");
  r1->add_municipality_codes("GM0001");
  auto* r2 = def->add_regions();
  r2->set_id("b");
  r2->add_municipality_codes("GM0001");
  auto problems = bre::validate_dataset(d);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("also in region 'a'"), std::string::npos);
  def->set_is_cover(true);
  EXPECT_TRUE(bre::validate_dataset(d).empty());
}

// A triangle around (x, y), `size` metres wide.
bre::v1::Ring triangle(double x, double y, double size) {
  bre::v1::Ring ring;
  for (const auto& [dx, dy] : {std::pair{0.0, 0.0}, std::pair{size, 0.0}, std::pair{0.0, size}}) {
    auto* p = ring.add_points();
    p->set_x(x + dx);
    p->set_y(y + dy);
  }
  return ring;
}

bool has_problem(const std::vector<std::string>& problems, const std::string& expected) {
  return std::find(problems.begin(), problems.end(), expected) != problems.end();
}

// A centroid of 1e300 or NaN used to pass and then crash the network map (llround).
TEST(DatasetValidation, NonFiniteAndFarCoordinatesAreRejectedWithTheirFieldPath) {
  auto d = bre::test::small_dataset();
  d.mutable_municipalities(0)->mutable_centroid()->set_x(std::nan(""));
  d.mutable_municipalities(1)->mutable_centroid()->set_y(1e300);
  d.mutable_municipalities(2)->mutable_centroid()->set_x(-INFINITY);
  d.mutable_municipalities(3)->mutable_centroid()->set_x(1e8 + 1);
  auto* ring = d.mutable_municipalities(4)->mutable_geometry()->add_polygons()->mutable_outer();
  *ring = triangle(0, 0, 10);
  ring->mutable_points(1)->set_y(INFINITY);
  const auto problems = bre::validate_dataset(d);
  const std::string expected = ": expected a finite coordinate within ±100000000 m, found ";
  EXPECT_TRUE(has_problem(problems, "municipalities[0].centroid.x" + expected + "nan")) << problems[0];
  EXPECT_TRUE(has_problem(problems, "municipalities[1].centroid.y" + expected + "1e+300"));
  EXPECT_TRUE(has_problem(problems, "municipalities[2].centroid.x" + expected + "-inf"));
  EXPECT_TRUE(has_problem(problems, "municipalities[3].centroid.x" + expected + "100000001"));
  EXPECT_TRUE(has_problem(problems, "municipalities[4].geometry.polygons[0].outer.points[1].y" + expected + "inf"));
  EXPECT_EQ(problems.size(), 5u);
}

TEST(DatasetValidation, CoordinatesAtTheBoundAreValid) {
  auto d = bre::test::small_dataset();
  d.mutable_municipalities(0)->mutable_centroid()->set_x(bre::DatasetBounds::kMaxCoordinateMetres);
  d.mutable_municipalities(0)->mutable_centroid()->set_y(-bre::DatasetBounds::kMaxCoordinateMetres);
  *d.mutable_municipalities(1)->mutable_geometry()->add_polygons()->mutable_outer() =
      triangle(bre::DatasetBounds::kMaxCoordinateMetres - 10, 0, 10);
  EXPECT_TRUE(bre::validate_dataset(d).empty()) << bre::check_dataset(d).message();
}

TEST(DatasetValidation, EmptyAndDegenerateGeometryIsRejected) {
  auto d = bre::test::small_dataset();
  d.mutable_municipalities(0)->mutable_geometry();  // present, without polygons
  d.mutable_municipalities(1)->mutable_geometry()->add_polygons();  // a polygon without outer ring
  auto* two_points = d.mutable_municipalities(2)->mutable_geometry()->add_polygons()->mutable_outer();
  *two_points = triangle(0, 0, 10);
  two_points->mutable_points()->RemoveLast();
  auto* polygon = d.mutable_municipalities(3)->mutable_geometry()->add_polygons();
  *polygon->mutable_outer() = triangle(0, 0, 100);
  polygon->add_holes()->add_points();
  const auto problems = bre::validate_dataset(d);
  EXPECT_TRUE(has_problem(problems, "municipalities[0].geometry.polygons: expected at least one polygon (or no "
                                    "geometry at all), found none"));
  EXPECT_TRUE(has_problem(problems, "municipalities[1].geometry.polygons[0].outer.points: expected a ring of at "
                                    "least 3 points, found 0"));
  EXPECT_TRUE(has_problem(problems, "municipalities[2].geometry.polygons[0].outer.points: expected a ring of at "
                                    "least 3 points, found 2"));
  EXPECT_TRUE(has_problem(problems, "municipalities[3].geometry.polygons[0].holes[0].points: expected a ring of at "
                                    "least 3 points, found 1"));
  EXPECT_EQ(problems.size(), 4u);
}

// Each bound keeps sums and products over a whole dataset finite (docs/input-limits.md).
TEST(DatasetValidation, NumbersBeyondTheirBoundsAreRejected) {
  auto d = bre::test::small_dataset();
  d.mutable_municipalities(0)->set_population(bre::DatasetBounds::kMaxPopulation + 1);
  d.mutable_municipalities(1)->set_area_km2(1e300);
  auto* flow = d.add_commuting_flows();
  flow->set_home_code("GM0001");
  flow->set_work_code("GM0002");
  flow->set_persons(1e300);
  auto* border = d.add_adjacency();
  border->set_a_code("GM0001");
  border->set_b_code("GM0002");
  border->set_shared_border_m(1e10);
  auto* wealth = d.add_area_indicators();
  wealth->set_id("wealth");
  wealth->set_direction(bre::v1::DIRECTION_HIGHER_IS_BETTER);
  auto* value = d.add_indicator_values();
  value->set_indicator_id("wealth");
  value->set_municipality_code("GM0001");
  value->set_value(-1e16);
  const auto problems = bre::validate_dataset(d);
  EXPECT_TRUE(has_problem(problems, "municipalities[0].population: expected at most 10000000000 inhabitants, found "
                                    "10000000001"));
  EXPECT_TRUE(has_problem(problems, "municipalities[1].area_km2: expected an area in [0, 1000000000], found 1e+300 km²"));
  EXPECT_TRUE(has_problem(problems, "commuting_flows[0].persons: expected a number of persons in [0, 1e+12], found "
                                    "1e+300"));
  EXPECT_TRUE(has_problem(problems, "adjacency[0].shared_border_m: expected a length in [0, 1000000000], found "
                                    "1e+10 m"));
  EXPECT_TRUE(has_problem(problems, "indicator_values[0].value: expected a number within ±1e+15, found -1e+16"));
  EXPECT_EQ(problems.size(), 5u);
}

// Enums keep unknown numbers when read; a step indexing a table by one would read past it.
TEST(DatasetValidation, UnknownEnumNumbersAreRejected) {
  auto d = bre::test::small_dataset();
  d.mutable_bodies(1)->set_kind(static_cast<bre::v1::BodyKind>(42));
  d.add_cases()->set_region_id("r");
  d.mutable_cases(0)->set_agenda(static_cast<bre::v1::AgendaScope>(-7));
  const auto problems = bre::validate_dataset(d);
  EXPECT_TRUE(has_problem(problems, "bodies[1].kind: expected a value of bre.v1.BodyKind, found the unknown number 42"));
  EXPECT_TRUE(has_problem(problems, "cases[0].agenda: expected a value of bre.v1.AgendaScope, found the unknown "
                                    "number -7"));
}

TEST(DatasetIndex, LooksUpCodes) {
  const auto d = bre::test::small_dataset();
  const bre::DatasetIndex index(d);
  EXPECT_EQ(index.municipality("GM0004"), std::optional<std::size_t>(3));
  EXPECT_FALSE(index.municipality("PV1"));
  EXPECT_EQ(index.body("PV2"), std::optional<std::size_t>(1));
}

}  // namespace

namespace {

TEST(Utf8, AcceptsWellFormedAndRejectsTheRest) {
  EXPECT_TRUE(bre::is_valid_utf8("S\xc3\xba" "dwest-Frysl\xc3\xa2n"));       // Súdwest-Fryslân
  EXPECT_TRUE(bre::is_valid_utf8("\xe2\x80\x99 \xf0\x9f\x97\xba"));            // ’ and a 4-byte emoji
  EXPECT_FALSE(bre::is_valid_utf8("S\xfa" "dwest"));                           // Latin-1
  EXPECT_FALSE(bre::is_valid_utf8("\xc0\xaf"));                                // overlong '/'
  EXPECT_FALSE(bre::is_valid_utf8("\xed\xa0\x80"));                            // surrogate U+D800
  EXPECT_FALSE(bre::is_valid_utf8("\xf4\x90\x80\x80"));                        // above U+10FFFF
  EXPECT_FALSE(bre::is_valid_utf8("\xe2\x80"));                                // truncated
}

TEST(Utf8, FindsTheFieldPath) {
  auto d = bre::test::small_dataset();
  EXPECT_FALSE(bre::find_invalid_utf8(d));
  d.mutable_arrangements(2)->set_name("Afval S\xfa" "dwest");
  EXPECT_EQ(bre::find_invalid_utf8(d), std::optional<std::string>("arrangements[2].name"));
}

}  // namespace

// Every area indicator says its direction, and a neutral one cannot count towards broad
// well-being (which needs better and worse).
TEST(DatasetValidation, AreaIndicatorsNeedADirectionAndNeutralOnesStayOutOfBroadWellbeing) {
  auto d = bre::test::small_dataset();
  auto* undirected = d.add_area_indicators();
  undirected->set_id("undirected");
  auto* neutral = d.add_area_indicators();
  neutral->set_id("density");
  neutral->set_direction(bre::v1::DIRECTION_NEUTRAL);
  neutral->set_broad_wellbeing(true);
  auto* fine = d.add_area_indicators();
  fine->set_id("income");
  fine->set_direction(bre::v1::DIRECTION_HIGHER_IS_BETTER);
  fine->set_broad_wellbeing(true);
  const auto problems = bre::validate_dataset(d);
  EXPECT_TRUE(has_problem(problems, "area_indicators[0].direction: expected DIRECTION_HIGHER_IS_BETTER, "
                                    "DIRECTION_LOWER_IS_BETTER or DIRECTION_NEUTRAL for 'undirected'"));
  EXPECT_TRUE(has_problem(problems, "area_indicators[1].broad_wellbeing: 'density' is neutral, so it cannot count "
                                    "towards broad well-being (which needs better or worse)"));
  EXPECT_EQ(problems.size(), 2u);
}
