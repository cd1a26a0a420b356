// The source-format readers on small inputs written here: what they accept, what they
// compute (checked by hand), and that each bad input is one clear error naming the
// file and the line, column, feature or field.
#include <gtest/gtest.h>

#include <cmath>

#include "bre/geometry.hpp"
#include "bre/import/commuting.hpp"
#include "bre/import/csv.hpp"
#include "bre/import/geojson.hpp"
#include "bre/import/names.hpp"
#include "bre/import/nl2016.hpp"
#include "bre/import/opengr.hpp"
#include "bre/import/partition_csv.hpp"
#include "bre/import/regioatlas.hpp"
#include "bre/io.hpp"
#include "test_support.hpp"

namespace {

using namespace bre::import;
using bre::test::TempDir;
using bre::test::write_text;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// ---- CSV ----

TEST(Csv, QuotingBomCrlfAndEscapedQuotes) {
  CsvOptions options;
  options.delimiter = ';';
  auto table = parse_csv("\xEF\xBB\xBF\"Gemeente\";\"CBS\"\r\n\"'s-Gravenhage\";\"0518\"\r\n\"a;b\";\"say \"\"hi\"\"\"\r\n\r\nplain;7",
                         "t.csv", options);
  ASSERT_TRUE(table) << table.status().message();
  EXPECT_EQ(table->header, (std::vector<std::string>{"Gemeente", "CBS"}));
  ASSERT_EQ(table->records.size(), 3u);
  EXPECT_EQ(table->records[0].fields, (std::vector<std::string>{"'s-Gravenhage", "0518"}));
  EXPECT_EQ(table->records[1].fields, (std::vector<std::string>{"a;b", "say \"hi\""}));
  EXPECT_EQ(table->records[2].fields, (std::vector<std::string>{"plain", "7"}));
  EXPECT_EQ(table->records[0].line, 2);
  EXPECT_EQ(table->records[2].line, 5);  // the blank line 4 is skipped but counted
}

TEST(Csv, TruncatedFileNamesLineAndFieldCounts) {
  CsvOptions options;
  options.delimiter = ';';
  auto table = parse_csv("a;b;c;d\n1;2;3;4\n5;6", "cut.csv", options);
  ASSERT_FALSE(table);
  EXPECT_TRUE(contains(table.status().message(), "cut.csv:3:4: expected 4 fields, found 2")) << table.status().message();
  auto quote = parse_csv("a;b\n\"x;\"unterminated", "q.csv", options);
  ASSERT_FALSE(quote);
  EXPECT_TRUE(contains(quote.status().message(), "q.csv:2:")) << quote.status().message();
  auto open_quote = parse_csv("a;b\n1;\"never closed\n", "open.csv", options);
  ASSERT_FALSE(open_quote);
  EXPECT_TRUE(contains(open_quote.status().message(), "open.csv:2:3: quoted field is never closed")) << open_quote.status().message();
}

TEST(Csv, WrongDelimiterIsNamed) {
  CsvOptions options;
  options.delimiter = ';';
  options.expected_fields = 4;
  auto table = parse_csv("Gemeente,CBS,Regio,Inwoners\nAa en Hunze,1680,Drenthe,1\n", "comma.csv", options);
  ASSERT_FALSE(table);
  EXPECT_EQ(table.status().message(), "comma.csv:1:28: expected 4 fields, found 1 (is the delimiter ';'?)");
}


// ---- partition CSV ----

// Three municipalities, as the partition CSVs below name them.
bre::v1::Dataset three_municipalities() {
  bre::v1::Dataset dataset;
  dataset.set_name("three");
  for (const char* code : {"GM0001", "GM0002", "GM0003"}) dataset.add_municipalities()->set_code(code);
  return dataset;
}

constexpr const char* kPartitionHeader = "region_id,region_name,municipality_code,municipality_name\n";

std::string partition_error(const std::string& body) {
  const bre::v1::Dataset dataset = three_municipalities();
  const bre::DatasetIndex index(dataset);
  auto partition = parse_partition_csv(body, "dir/p.partition.csv", index);
  EXPECT_FALSE(partition);
  return partition ? "" : partition.status().message();
}

TEST(PartitionCsv, ReadsRegionsUnassignedAndQuotedNames) {
  const bre::v1::Dataset dataset = three_municipalities();
  const bre::DatasetIndex index(dataset);
  auto partition = parse_partition_csv(std::string(kPartitionHeader) +
                                           "R01,\"Noord, Oost\",GM0001,A\r\nR01,\"Noord, Oost\",GM0003,C\n,,GM0002,B\n",
                                       "dir/bre.partition.csv", index);
  ASSERT_TRUE(partition) << partition.status().message();
  EXPECT_EQ(partition->name(), "bre");
  ASSERT_EQ(partition->regions_size(), 1);
  EXPECT_EQ(partition->regions(0).id(), "R01");
  EXPECT_EQ(partition->regions(0).name(), "Noord, Oost");
  EXPECT_EQ(partition->regions(0).municipality_codes_size(), 2);
  ASSERT_EQ(partition->unassigned_size(), 1);
  EXPECT_EQ(partition->unassigned(0), "GM0002");
  EXPECT_TRUE(std::isnan(partition->modularity()));
}

TEST(PartitionCsv, ErrorsNameFileLineExpectedAndFound) {
  EXPECT_EQ(partition_error("region,name,code,municipality\nR01,N,GM0001,A\n"),
            "dir/p.partition.csv:1: expected the header region_id,region_name,municipality_code,municipality_name "
            "of a partition CSV, found 'region,name,code,municipality'");
  EXPECT_EQ(partition_error(std::string(kPartitionHeader) + "R01,N,GM0001,A\nR01,N,GM9999,Z\n"),
            "dir/p.partition.csv:3: municipality_code: expected a municipality of dataset 'three', found unknown "
            "code 'GM9999'");
  EXPECT_EQ(partition_error(std::string(kPartitionHeader) + "R01,N,GM0001,A\nR02,S,GM0001,A\n"),
            "dir/p.partition.csv:3: municipality_code: expected each municipality once, found 'GM0001' again "
            "(first on line 2)");
  EXPECT_EQ(partition_error(std::string(kPartitionHeader) + "R01,N,GM0001,A\nR01,Z,GM0002,B\n"),
            "dir/p.partition.csv:3: region_name: expected 'N', the name region 'R01' had before, found 'Z'");
  const std::string short_line = partition_error(std::string(kPartitionHeader) + "R01,N,GM0001,A\nR01,N\n");
  EXPECT_TRUE(contains(short_line, "dir/p.partition.csv:3:")) << short_line;
  EXPECT_TRUE(contains(short_line, "expected 4 fields, found 2")) << short_line;
  const std::string open_quote = partition_error(std::string(kPartitionHeader) + "R01,\"N,GM0001,A\n");
  EXPECT_TRUE(contains(open_quote, "dir/p.partition.csv:2:")) << open_quote;
  EXPECT_EQ(partition_error(std::string(kPartitionHeader) + ",,GM0001,A\n"),
            "dir/p.partition.csv: expected at least one region, found only unassigned municipalities");
}

TEST(PartitionCsv, ReadsAFileAndNamesItsSource) {
  TempDir dir;
  write_text(dir.file("leiden.partition.csv"), std::string(kPartitionHeader) + "R01,N,GM0001,A\n");
  const bre::v1::Dataset dataset = three_municipalities();
  const bre::DatasetIndex index(dataset);
  auto partition = read_partition_csv(dir.file("leiden.partition.csv"), index);
  ASSERT_TRUE(partition) << partition.status().message();
  EXPECT_EQ(partition->name(), "leiden");
  EXPECT_EQ(partition->source(), dir.file("leiden.partition.csv"));
  EXPECT_FALSE(read_partition_csv(dir.file("missing.csv"), index));
}

// ---- GeoJSON ----

std::string square_collection(const std::string& ring, const std::string& type = "Polygon",
                              const std::string& properties = R"({"statcode":"GM0001","statnaam":"Vierkant"})") {
  return R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},)"
         R"("features":[{"type":"Feature","properties":)" + properties + R"(,"geometry":{"type":")" + type +
         R"(","coordinates":)" + ring + "}}]}";
}

TEST(GeoJson, PolygonWithHoleAreaAndCentroid) {
  // A 2 km square with a 1 km square hole in its lower left corner: area 3 km², centroid
  // by hand: (4·(1000,1000) - 1·(500,500)) / 3 = (1166.67, 1166.67).
  const std::string rings =
      "[[[0,0],[2000,0],[2000,2000],[0,2000],[0,0]],[[0,0],[0,1000],[1000,1000],[1000,0],[0,0]]]";
  auto features = parse_feature_collection(square_collection(rings), "sq.geojson");
  ASSERT_TRUE(features) << features.status().message();
  ASSERT_EQ(features->size(), 1u);
  const GeoFeature& f = features->front();
  EXPECT_EQ(f.properties.at("statcode"), "GM0001");
  ASSERT_EQ(f.shape.polygons_size(), 1);
  EXPECT_EQ(f.shape.polygons(0).outer().points_size(), 4);  // closing position dropped
  EXPECT_EQ(f.shape.polygons(0).holes_size(), 1);
  EXPECT_NEAR(bre::multipolygon_area(f.shape) / 1e6, 3.0, 1e-12);
  const auto c = bre::multipolygon_centroid(f.shape);
  EXPECT_NEAR(c.x(), 3500.0 / 3.0, 1e-6);
  EXPECT_NEAR(c.y(), 3500.0 / 3.0, 1e-6);
}

TEST(GeoJson, BrokenRingsNameFeatureAndRing) {
  auto short_ring = parse_feature_collection(square_collection("[[[0,0],[1,0],[0,0]]]"), "b.geojson");
  ASSERT_FALSE(short_ring);
  EXPECT_EQ(short_ring.status().message(),
            "b.geojson: feature 0: geometry.coordinates[0]: a ring needs at least 4 positions (closed, first = last), found 3");
  auto open_ring = parse_feature_collection(square_collection("[[[0,0],[1,0],[1,1],[0,1]]]"), "o.geojson");
  ASSERT_FALSE(open_ring);
  EXPECT_TRUE(contains(open_ring.status().message(), "o.geojson: feature 0: geometry.coordinates[0]: ring is not closed"))
      << open_ring.status().message();
  auto multi = parse_feature_collection(square_collection("[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[5,5]]]]", "MultiPolygon"), "m.geojson");
  ASSERT_FALSE(multi);
  EXPECT_TRUE(contains(multi.status().message(), "feature 0: geometry.coordinates[1][0]: a ring needs at least 4")) << multi.status().message();
}

// The GeoJSON parser keeps the limit of every JSON reader (kMaxJsonDepth): 64 levels pass
// the scan, the 65th is refused with its position.
TEST(GeoJson, NestingBeyondTheJsonLimitIsRefused) {
  const std::string at_limit = std::string(bre::kMaxJsonDepth, '[') + std::string(bre::kMaxJsonDepth, ']');
  auto deep_enough = parse_feature_collection(at_limit, "d.geojson");
  ASSERT_FALSE(deep_enough);
  EXPECT_FALSE(contains(deep_enough.status().message(), "nested")) << deep_enough.status().message();
  auto too_deep = parse_feature_collection("[" + at_limit + "]", "d.geojson");
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.status().message(), "d.geojson:1:65: invalid JSON: arrays and objects nested deeper than 64 levels");
}

TEST(GeoJson, WrongTypesMissingPropertiesAndSyntax) {
  auto point = parse_feature_collection(square_collection("[1,2]", "Point"), "p.geojson");
  ASSERT_FALSE(point);
  EXPECT_EQ(point.status().message(), "p.geojson: feature 0: geometry.type: expected Polygon or MultiPolygon, found 'Point'");
  auto ok = parse_feature_collection(square_collection("[[[0,0],[1,0],[1,1],[0,0]]]", "Polygon", R"({"statnaam":"X"})"), "n.geojson");
  ASSERT_TRUE(ok);
  auto code = ok->front().property("n.geojson", "statcode");
  ASSERT_FALSE(code);
  EXPECT_EQ(code.status().message(), "n.geojson: feature 0: property 'statcode' is missing or empty");
  auto syntax = parse_feature_collection("{\"type\": \"FeatureCollection\",\n \"features\": [", "s.geojson");
  ASSERT_FALSE(syntax);
  EXPECT_TRUE(contains(syntax.status().message(), "s.geojson:2:")) << syntax.status().message();
  const std::string wgs84 = R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"features":[]})";
  auto crs = parse_feature_collection(wgs84, "w.geojson");
  ASSERT_FALSE(crs);
  EXPECT_EQ(crs.status().message(), "w.geojson: crs: expected EPSG:28992, found 'EPSG:4326'");
}

TEST(GeoJson, LocateFallsBackToVerticesWhenTheCentroidIsOutside) {
  // A U-shaped municipality whose centroid lies in the notch, which belongs to region 0;
  // its outline lies in region 1.
  auto parse = [](const std::string& ring) {
    auto f = parse_feature_collection(square_collection(ring), "x.geojson");
    EXPECT_TRUE(f) << f.status().message();
    return f->front().shape;
  };
  const auto u = parse("[[[0,0],[30,0],[30,30],[20,30],[20,10],[10,10],[10,30],[0,30],[0,0]]]");
  const auto notch = parse("[[[12,12],[18,12],[18,28],[12,28],[12,12]]]");  // inside the hole of `around`
  const auto around = parse("[[[-1,-1],[31,-1],[31,31],[-1,31],[-1,-1]],[[11,11],[11,29],[19,29],[19,11],[11,11]]]");
  const auto centroid = bre::multipolygon_centroid(u);
  ASSERT_TRUE(bre::multipolygon_contains(notch, centroid));
  EXPECT_EQ(locate_in_regions(u, centroid, {&around}), 0);         // vertex vote
  EXPECT_EQ(locate_in_regions(u, centroid, {&notch, &around}), 0);  // centroid rule first
  EXPECT_EQ(locate_in_regions(notch, bre::multipolygon_centroid(notch), {&around}), -1);
}

// ---- Names ----

TEST(Names, NormaliseFoldsAccentsAndPunctuation) {
  EXPECT_EQ(normalise_name("'s-Gravenhage"), "s gravenhage");
  EXPECT_EQ(normalise_name("Bergen (L.)"), "bergen l");
  EXPECT_EQ(normalise_name("Bergen (L)"), "bergen l");
  EXPECT_EQ(normalise_name("Súdwest-Fryslân"), normalise_name("Sudwest Fryslan"));
  EXPECT_EQ(normalise_name("Nuenen. Gerwen en Nederwetten"), normalise_name("Nuenen, Gerwen en Nederwetten"));
  EXPECT_EQ(normalise_name("Barßel"), "barssel");
}

TEST(Names, RepairDoubleEncodingOnlyWhereTheRoundTripSucceeds) {
  EXPECT_EQ(repair_double_encoding("Provincie FryslÃ¢n"), "Provincie Fryslân");
  EXPECT_EQ(repair_double_encoding("Waterschap â€™t Suydevelt"), "Waterschap ’t Suydevelt");  // Windows-1252 €, ™
  EXPECT_EQ(repair_double_encoding("Fryslân"), "Fryslân");            // â then n is no UTF-8: left alone
  EXPECT_EQ(repair_double_encoding("Südbrookmerland"), "Südbrookmerland");
  EXPECT_EQ(repair_double_encoding("Plain ASCII"), "Plain ASCII");
  EXPECT_EQ(repair_double_encoding("’t Suydevelt"), "’t Suydevelt");  // U+2019 maps to 0x92 alone: invalid, kept
}

// The two Bergens of 2016 and the short name both go by, told apart by the province.
MunicipalityNames two_bergens() {
  MunicipalityNames names;
  names.add_official("GM0373", "Bergen (NH.)");
  names.add_official("GM0893", "Bergen (L.)");
  names.add_alias("Bergen", {"GM0373"}, "Noord-Holland", "shared name");
  names.add_alias("Bergen", {"GM0893"}, "Limburg", "shared name");
  return names;
}

TEST(Names, ResolverOrderAliasesProvinceContextAndSplits) {
  MunicipalityNames names = two_bergens();
  names.add_official("GM0828", "Oss");
  names.add_official("GM0796", "'s-Hertogenbosch");
  names.add_split("Maasdonk", {"GM0828", "GM0796"}, "split");
  using O = NameResolution::Outcome;
  EXPECT_EQ(names.resolve("bergen (l)").codes, std::vector<std::string>{"GM0893"});
  EXPECT_EQ(names.resolve("Bergen", "Noord Holland").codes, std::vector<std::string>{"GM0373"});
  EXPECT_EQ(names.resolve("Bergen", "Limburg").codes, std::vector<std::string>{"GM0893"});
  EXPECT_EQ(names.resolve("Bergen", "Noordrijn-Westfalen (Duitsland)").outcome, O::kAmbiguous);
  EXPECT_EQ(names.resolve("Maasdonk").outcome, O::kSplit);
  EXPECT_EQ(names.resolve("Atlantis").outcome, O::kUnknown);
}

TEST(Names, AliasTableErrorsNameTheLine) {
  MunicipalityNames names;
  names.add_official("GM0001", "Een");
  CsvOptions options;
  options.delimiter = ';';
  options.comment = '#';
  auto table = parse_csv("# comment\nalias;kind;target;province;note\nEentje;municipality;GM0002;;typo\n", "a.csv", options);
  ASSERT_TRUE(table);
  std::map<std::string, std::map<std::string, std::string>> bodies;
  auto status = names.add_alias_table(*table, bodies);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.message(), "a.csv:3: target: unknown municipality code 'GM0002' for alias 'Eentje'");
}

// ---- OpenGR domains and forms ----

TEST(OpenGr, DomainKeywordsMatchWholeWordsAndPrefixes) {
  CsvOptions options;
  options.delimiter = ';';
  options.comment = '#';
  auto table = parse_csv(std::string(builtin_opengr_domain_keywords()), "keywords.csv", options);
  ASSERT_TRUE(table) << table.status().message();
  auto rules = parse_domain_rules(*table);
  ASSERT_TRUE(rules) << rules.status().message();
  // "Regio" says nothing about the tasks: only the waste domain.
  EXPECT_EQ(classify_domains("Afvalbeheer Regio Centraal Groningen (ARCG)", *rules),
            (std::vector<std::string>{"afval"}));
  EXPECT_TRUE(classify_domains("Regio Rivierenland", *rules).empty());  // unknown, left to the domain table
  EXPECT_EQ(classify_domains("Gemeentelijke Gezondheidsdienst (GGD) Zaanstreek-Waterland", *rules),
            (std::vector<std::string>{"zorg"}));
  EXPECT_EQ(classify_domains("Regionale Ambulance Voorziening", *rules), (std::vector<std::string>{"zorg"}));  // "regionale" is not "regio"
  EXPECT_TRUE(classify_domains("Gemeenschappelijke regeling Kompas", *rules).empty());
  EXPECT_EQ(wgr_legal_form("Centrumregeling samenwerking sociaal domein"), bre::v1::LEGAL_FORM_WGR_CENTRAL_MUNICIPALITY);
  EXPECT_EQ(wgr_legal_form("Bedrijfsvoeringsorganisatie Wierden"), bre::v1::LEGAL_FORM_WGR_BUSINESS_OPERATIONS);
  EXPECT_EQ(wgr_legal_form("Recreatieschap Drenthe"), bre::v1::LEGAL_FORM_WGR_UNSPECIFIED);
}

// A repeated string field as a vector, to compare with EXPECT_EQ.
std::vector<std::string> strings(const google::protobuf::RepeatedPtrField<std::string>& field) {
  return {field.begin(), field.end()};
}

// An OpenGR table given as text ("gr.csv"), imported with `context`.
bre::Expected<OpenGrImport> import_opengr_text(const std::string& text, const OpenGrContext& context,
                                               ResolutionReport& report) {
  auto table = parse_csv(text, "gr.csv", CsvOptions{});
  if (!table) return table.status();
  return import_opengr(*table, "gr.csv", context, report);
}

TEST(OpenGr, ParticipantsResolvedAsBodiesOrReported) {
  MunicipalityNames names;
  names.add_official("GM0001", "Een");
  names.add_official("GM0002", "Twee");
  names.add_alias("Oud-Een", {"GM0001"}, "", "merged");
  OpenGrContext context;
  context.names = &names;
  context.provinces = {{"drenthe", "PV22"}};
  const std::string text =
      "Deelnemer,Gemeenschappelijke regeling,Postcode,Plaats,Provincie\n"
      "Een,Samen,1,X,Provincie Drenthe\n"
      "Oud-Een,Samen,1,X,Provincie Drenthe\n"
      "Twee,Samen,1,X,Provincie Drenthe\n"
      "Provincie Drenthe,Samen,1,X,Provincie Drenthe\n"
      "Waterschap Hunze en Aa's,Samen,1,X,Provincie Drenthe\n"
      "Landkreis Leer (Duitsland),Samen,1,X,Provincie Drenthe\n"
      "Stichting Iets,Samen,1,X,Provincie Drenthe\n"
      "Een,Alleen,1,X,Provincie Drenthe\n";
  ResolutionReport report;
  auto result = import_opengr_text(text, context, report);
  ASSERT_TRUE(result) << result.status().message();
  ASSERT_EQ(result->arrangements.size(), 1u);
  const auto& a = result->arrangements[0];
  EXPECT_EQ(strings(a.municipality_codes()),
            (std::vector<std::string>{"GM0001", "GM0002"}));  // Oud-Een merged into Een, counted once
  EXPECT_EQ(strings(a.body_codes()),
            (std::vector<std::string>{"PV22", "WS-hunze-en-aa-s", "DE-landkreis-leer"}));
  EXPECT_EQ(result->arrangements_dropped, 1u);
  EXPECT_EQ(result->unresolved_participants, 1u);
  auto unresolved = report.of_category("unresolved participant");
  ASSERT_EQ(unresolved.size(), 1u);
  EXPECT_EQ(unresolved[0].text, "Stichting Iets");
  EXPECT_EQ(unresolved[0].line, 8);
  auto dropped = report.of_category("arrangement with fewer than two municipalities");
  ASSERT_EQ(dropped.size(), 1u);
  EXPECT_EQ(dropped[0].text, "Alleen");
  EXPECT_EQ(dropped[0].line, 9);
}

// The built-in domain table of general bodies parses against the keyword vocabulary,
// and its errors name the line.
TEST(OpenGr, ArrangementDomainTable) {
  CsvOptions options;
  options.delimiter = ';';
  options.comment = '#';
  auto keywords = parse_csv(std::string(builtin_opengr_domain_keywords()), "keywords.csv", options);
  ASSERT_TRUE(keywords);
  auto rules = parse_domain_rules(*keywords);
  ASSERT_TRUE(rules);
  auto builtin = parse_csv(std::string(builtin_opengr_arrangement_domains()), "domains.csv", options);
  ASSERT_TRUE(builtin) << builtin.status().message();
  auto domains = parse_arrangement_domains(*builtin, *rules);
  ASSERT_TRUE(domains) << domains.status().message();
  EXPECT_EQ(domains->at("metropoolregio rotterdam den haag"), (std::vector<std::string>{"economie", "fysiek"}));
  for (const auto& [name, list] : *domains) EXPECT_FALSE(list.empty()) << name;

  // Errors name the line: a domain the keyword table does not know, a name listed twice.
  const auto error_of = [&](const std::string& text) {
    auto table = parse_csv(text, "domains.csv", options);
    if (!table) return table.status().message();
    auto parsed = parse_arrangement_domains(*table, *rules);
    return parsed ? std::string("no error") : parsed.status().message();
  };
  std::string e = error_of("arrangement;domains;source\nRegio X;zorg|several;statutes\n");
  EXPECT_TRUE(contains(e, "domains.csv:2: domain 'several' is no domain of the keyword table")) << e;
  e = error_of("arrangement;domains;source\nRegio X;zorg;a\nREGIO  X;werk;b\n");
  EXPECT_TRUE(contains(e, "domains.csv:3: arrangement 'REGIO  X' is listed twice")) << e;
}

// A name two municipalities share is decided by the arrangement's other members; the
// register's dissolved arrangements are left out and reported; listed domains win.
TEST(OpenGr, AmbiguousNamesByCoMembersDissolvedLeftOutDomainsFromTheTable) {
  MunicipalityNames names = two_bergens();
  names.add_official("GM0907", "Gennep");
  names.add_official("GM0944", "Mook en Middelaar");
  names.add_official("GM0361", "Alkmaar");
  OpenGrContext context;
  context.names = &names;
  context.province_of_municipality = {
      {"GM0373", "PV27"}, {"GM0893", "PV31"}, {"GM0907", "PV31"}, {"GM0944", "PV31"}, {"GM0361", "PV27"}};
  context.arrangement_domains = {{"euregio grensland", {"cultuur", "economie"}}};
  const std::string text =
      "Deelnemer,Gemeenschappelijke regeling,Postcode,Plaats,Provincie\n"
      "Bergen,Euregio Grensland,1,X,Noordrijn-Westfalen (Duitsland)\n"    // 2: decided: Limburg
      "Gennep,Euregio Grensland,1,X,Noordrijn-Westfalen (Duitsland)\n"
      "Mook en Middelaar,Euregio Grensland,1,X,Noordrijn-Westfalen (Duitsland)\n"
      "Bergen,Gelijkspel,1,X,Elders\n"                                     // 5: one each: undecided
      "Gennep,Gelijkspel,1,X,Elders\n"
      "Alkmaar,Gelijkspel,1,X,Elders\n"
      "Gennep,Oud verband (opgeheven),1,X,Limburg\n"                      // 8: dissolved
      "Mook en Middelaar,Oud verband (opgeheven),1,X,Limburg\n";
  ResolutionReport report;
  auto result = import_opengr_text(text, context, report);
  ASSERT_TRUE(result) << result.status().message();
  EXPECT_EQ(result->resolved_by_co_members, 1u);
  ASSERT_EQ(result->arrangements.size(), 2u);
  // Bergen is Bergen (L.), in its row's place; the domains come from the table.
  EXPECT_EQ(strings(result->arrangements[0].municipality_codes()),
            (std::vector<std::string>{"GM0893", "GM0907", "GM0944"}));
  EXPECT_EQ(strings(result->arrangements[0].policy_domains()), (std::vector<std::string>{"cultuur", "economie"}));
  auto decided = report.of_category("resolved by co-members");
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_EQ(decided[0].line, 2);
  EXPECT_TRUE(contains(decided[0].reason, "GM0893 lies in the province of 2 of the arrangement's other municipalities"))
      << decided[0].reason;
  // A draw (one Limburg and one Noord-Holland co-member) stays unresolved, with the line.
  const auto& draw = result->arrangements[1];
  EXPECT_EQ(draw.municipality_codes_size(), 2);
  auto unresolved = report.of_category("unresolved participant");
  ASSERT_EQ(unresolved.size(), 1u);
  EXPECT_EQ(unresolved[0].line, 5);
  EXPECT_TRUE(contains(unresolved[0].reason, "ambiguous between GM0373, GM0893")) << unresolved[0].reason;
  // The dissolved arrangement is in the report, not in the import.
  EXPECT_EQ(result->arrangements_dissolved, 1u);
  auto dissolved = report.of_category("dissolved arrangement");
  ASSERT_EQ(dissolved.size(), 1u);
  EXPECT_EQ(dissolved[0].text, "Oud verband (opgeheven)");
  EXPECT_EQ(dissolved[0].line, 8);
  EXPECT_TRUE(marked_dissolved("WOT (TOP-Craft) (in 2016 opgeheven)"));
  EXPECT_FALSE(marked_dissolved("Streekraad Oost-Groningen (in liquidatie)"));
}

// ---- Regio Atlas ----

TEST(Regioatlas, UnknownCodeIsAnErrorNamingFileAndLine) {
  TempDir dir;
  write_text(dir.file("d.csv"), "\xEF\xBB\xBF\"Gemeente\";\"CBS\";\"Regio \";\"Inwoneraantal van regio\"\n"
                                "\"Een\";\"1\";\"Noord\";\"10\"\n\"Nergens\";\"9999\";\"Noord\";\"10\"\n");
  auto rows = read_division(dir.file("d.csv"), "d.csv", {"GM0001"});
  ASSERT_FALSE(rows);
  EXPECT_TRUE(contains(rows.status().message(), "d.csv:3: field 2 (CBS): unknown municipality code 'GM9999'")) << rows.status().message();
  write_text(dir.file("e.csv"), "\"Gemeente\";\"CBS\";\"Regio\";\"Inwoners\"\n\"Een\";\"x1\";\"Noord\";\"10\"\n");
  auto bad = read_division(dir.file("e.csv"), "e.csv", {"GM0001"});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(contains(bad.status().message(), "e.csv:2: field 2 (CBS): expected a CBS municipality number")) << bad.status().message();
}

TEST(Regioatlas, RowsBecomeArrangementsOrACoverWithEveryRowAccountedFor) {
  TempDir dir;
  write_text(dir.file("d.csv"), "\"Gemeente\";\"CBS\";\"Regio\";\"Inwoners\"\n"
                                "\"Een\";\"1\";\"Noord\";\"1\"\n\"Twee\";\"0002\";\"Noord\";\"1\"\n"
                                "\"Twee\";\"2\";\"Zuid\";\"1\"\n\"Twee\";\"2\";\"Zuid\";\"1\"\n\"Drie (X)\";\"3\";\"Zuid\";\"1\"\n");
  auto rows = read_division(dir.file("d.csv"), "d.csv", {"GM0001", "GM0002", "GM0003"});
  ASSERT_TRUE(rows) << rows.status().message();
  EXPECT_EQ((*rows)[0].code, "GM0001");  // padded
  MunicipalityNames names;
  const std::map<std::string, std::string> official = {{"GM0001", "Een"}, {"GM0002", "Twee"}, {"GM0003", "Drie"}};
  for (const auto& [code, name] : official) names.add_official(code, name);
  ResolutionReport report;
  std::map<std::string, std::set<std::string>> seen;
  DivisionInfo info{"Test/d.csv", "Testregio's", DivisionKind::kCooperation, "zorg", "gemeenschappelijke regeling", 2};
  auto cooperation = build_division(info, *rows, names, official, report, seen);
  ASSERT_EQ(cooperation.arrangements.size(), 2u);
  EXPECT_EQ(cooperation.arrangements[0].id(), "Test/d.csv#1");
  EXPECT_EQ(cooperation.arrangements[0].municipality_codes_size(), 2);
  EXPECT_EQ(cooperation.arrangements[1].municipality_codes_size(), 2);
  EXPECT_EQ(cooperation.arrangements[0].legal_form(), bre::v1::LEGAL_FORM_WGR_UNSPECIFIED);
  EXPECT_EQ(cooperation.rows, cooperation.memberships + cooperation.duplicate_rows);
  EXPECT_EQ(cooperation.duplicate_rows, 1u);
  EXPECT_EQ(report.of_category("name mismatch").size(), 1u);  // "Drie (X)" is no name of GM0003
  info.kind = DivisionKind::kStatistical;
  auto statistical = build_division(info, *rows, names, official, report, seen);
  ASSERT_EQ(statistical.definitions.size(), 1u);
  EXPECT_TRUE(statistical.definitions[0].is_cover());  // Twee is in Noord and Zuid
}

// ---- Commuting ----

TEST(Commuting, SplitAndNonMunicipalRowsByHand) {
  // Three 2014 entries: A (→ GM0001), B split 0.4 → GM0001 and 0.6 → GM0002, and Abroad.
  CsvOptions mapping_options;
  auto mapping_table = parse_csv("column_index,naam_2014,naam_2016,gemeentecode_2016,aandeel,reden\n"
                                 "0,A,A,GM0001,1,same\n1,B,A,GM0001,0.4,split\n1,B,C,GM0002,0.6,split\n"
                                 "2,Abroad,,,1,none\n", "map.csv", mapping_options);
  ASSERT_TRUE(mapping_table);
  auto mapping = parse_municipality_mapping(*mapping_table, {"GM0001", "GM0002"});
  ASSERT_TRUE(mapping) << mapping.status().message();
  CsvOptions matrix_options;
  matrix_options.delimiter = ';';
  matrix_options.has_header = false;
  // Row = work, column = home, thousands.
  auto matrix = parse_csv("A;1.0;2.0;0.5\nB;-;1.0;-\nAbroad;0.3;-;-\n", "m.csv", matrix_options);
  ASSERT_TRUE(matrix);
  ResolutionReport report;
  auto result = import_commuting(*matrix, "m.csv", *mapping, report);
  ASSERT_TRUE(result) << result.status().message();
  // Municipal cells: (work A, home A) 1000 → GM0001→GM0001 1000;
  // (work A, home B) 2000 → home GM0001 800, home GM0002 1200, work GM0001;
  // (work B, home B) 1000 → home×work shares: 0.16, 0.24, 0.24, 0.36.
  // Non-municipal: 500 (home abroad) + 300 (work abroad).
  EXPECT_DOUBLE_EQ(result->matrix_persons, 4800.0);
  EXPECT_DOUBLE_EQ(result->non_municipal_persons, 800.0);
  EXPECT_DOUBLE_EQ(result->flows_persons, 4000.0);
  std::map<std::pair<std::string, std::string>, double> flows;
  for (const auto& f : result->flows) flows[{f.home, f.work}] = f.persons;
  EXPECT_DOUBLE_EQ((flows[{"GM0001", "GM0001"}]), 1000.0 + 800.0 + 160.0);
  EXPECT_DOUBLE_EQ((flows[{"GM0002", "GM0001"}]), 1200.0 + 240.0);
  EXPECT_DOUBLE_EQ((flows[{"GM0001", "GM0002"}]), 240.0);
  EXPECT_DOUBLE_EQ((flows[{"GM0002", "GM0002"}]), 360.0);
  ASSERT_EQ(report.of_category("non-municipal commuting").size(), 1u);
  EXPECT_TRUE(contains(report.entries()[0].reason, "300 jobs located there")) << report.entries()[0].reason;

  auto bad = parse_csv("A;1.0;x;0.5\nB;-;1.0;-\nAbroad;0.3;-;-\n", "m.csv", matrix_options);
  ASSERT_TRUE(bad);
  auto failed = import_commuting(*bad, "m.csv", *mapping, report);
  ASSERT_FALSE(failed);
  EXPECT_TRUE(contains(failed.status().message(), "m.csv:1: value 2 (column 'B')")) << failed.status().message();
}

TEST(Commuting, ValuesTooLargeForFiniteTotalsAreErrors) {
  CsvOptions mapping_options;
  auto mapping_table = parse_csv("column_index,naam_2014,naam_2016,gemeentecode_2016,aandeel,reden\n"
                                 "0,A,A,GM0001,1,same\n", "map.csv", mapping_options);
  ASSERT_TRUE(mapping_table);
  auto mapping = parse_municipality_mapping(*mapping_table, {"GM0001"});
  ASSERT_TRUE(mapping) << mapping.status().message();
  CsvOptions matrix_options;
  matrix_options.delimiter = ';';
  matrix_options.has_header = false;
  // 1e306 thousand is finite, but 1000 times it is not.
  auto matrix = parse_csv("A;1e306\n", "m.csv", matrix_options);
  ASSERT_TRUE(matrix);
  ResolutionReport report;
  auto result = import_commuting(*matrix, "m.csv", *mapping, report);
  ASSERT_FALSE(result);
  EXPECT_TRUE(contains(result.status().message(), "m.csv:1: value 1 (column 'A'): expected '-' or a number of thousands of jobs "
                                                  "from 0 to 1e9, found '1e306'"))
      << result.status().message();
  auto largest = parse_csv("A;1e9\n", "m.csv", matrix_options);
  ASSERT_TRUE(largest);
  auto fine = import_commuting(*largest, "m.csv", *mapping, report);
  ASSERT_TRUE(fine) << fine.status().message();
  EXPECT_DOUBLE_EQ(fine->flows_persons, 1e12);
}

TEST(Commuting, MappingSharesMustSumToOne) {
  CsvOptions options;
  auto table = parse_csv("column_index,naam_2014,naam_2016,gemeentecode_2016,aandeel,reden\n"
                         "0,B,A,GM0001,0.4,split\n0,B,C,GM0002,0.5,split\n", "map.csv", options);
  ASSERT_TRUE(table);
  auto mapping = parse_municipality_mapping(*table, {"GM0001", "GM0002"});
  ASSERT_FALSE(mapping);
  EXPECT_TRUE(contains(mapping.status().message(), "map.csv:2: aandeel: the shares of 'B' sum to 0.9")) << mapping.status().message();
}

// ---- Population ----

TEST(Population, TableErrorsNameTheLine) {
  TempDir dir;
  write_text(dir.file("p.csv"), "code;population\nGM0001;1200\nGM0002;-5\n");
  const std::map<std::string, std::string> known = {{"GM0001", "Een"}, {"GM0002", "Twee"}};
  auto bad = read_population(dir.file("p.csv"), known);
  ASSERT_FALSE(bad);
  EXPECT_TRUE(contains(bad.status().message(), "p.csv:3: population: expected a non-negative integer, found '-5'"));
  write_text(dir.file("q.csv"), "code;population\nGM0001;1200\n");
  auto good = read_population(dir.file("q.csv"), known);
  ASSERT_TRUE(good);
  EXPECT_EQ(good->at("GM0001"), 1200);
}

TEST(Population, ValueBeyondInt64IsAnErrorNotClamped) {
  const std::map<std::string, std::string> known = {{"GM0001", "Een"}};
  auto huge = parse_population("code;population\nGM0001;99999999999999999999\n", "p.csv", known);
  ASSERT_FALSE(huge);
  EXPECT_TRUE(contains(huge.status().message(), "p.csv:2: population: expected a non-negative integer, found '99999999999999999999'"))
      << huge.status().message();
  auto largest = parse_population("code;population\nGM0001;9223372036854775807\n", "p.csv", known);
  ASSERT_TRUE(largest) << largest.status().message();
  EXPECT_EQ(largest->at("GM0001"), INT64_MAX);
}

}  // namespace
