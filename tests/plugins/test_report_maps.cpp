// The report plugins report.network_map, report.partition_map and report.value_map,
// loaded from the build tree and run on the demo dataset; their documents are read
// back with a real XML parser (tests/support/svg_inspect.hpp).
#include <google/protobuf/struct.pb.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "bre/compare.hpp"
#include "bre/log.hpp"
#include "bre/network.hpp"
#include "bre/region_constraints.hpp"
#include "congruence.hpp"
#include "network_map.hpp"
#include "partition_map.hpp"
#include "plugin_harness.hpp"
#include "svg_inspect.hpp"
#include "value_map.hpp"

namespace {

google::protobuf::Struct params_of(const std::vector<std::pair<std::string, std::string>>& strings) {
  google::protobuf::Struct s;
  for (const auto& [key, value] : strings) (*s.mutable_fields())[key].set_string_value(value);
  return s;
}

// Runs `harness`'s plugin on the demo with `given` parameters and `input` artifacts.
bre::Expected<bre::v1::Artifacts> run_with(const bre::test::PluginHarness& harness, const bre::test::DemoFixture& demo,
                                           const google::protobuf::Struct& given, const bre::v1::Artifacts* input) {
  auto params = harness.params(given);
  if (!params) return params.status();
  bre::v1::Artifacts out;
  const bre::Status status = harness.run(demo.index, *params, 1, input, out);
  if (!status.is_ok()) return status;
  return out;
}

const bre::v1::Document& only_document(const bre::v1::Artifacts& out) {
  EXPECT_EQ(out.documents_size(), 1);
  return out.documents(0);
}

TEST(PartitionMapPlugin, DrawsTheInputPartition) {
  bre::test::PluginHarness harness("report_partition_map.so", "report.partition_map");
  ASSERT_NE(harness.plugin(), nullptr);
  EXPECT_EQ(harness.plugin()->description.kind(), bre::v1::PLUGIN_KIND_REPORT);
  bre::test::DemoFixture demo;
  auto out = run_with(harness, demo, params_of({{"title", "Planted <regions>"}, {"label", "id"}}), &demo.planted);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const bre::v1::Document& document = only_document(*out);
  EXPECT_EQ(document.name(), "partition.svg");
  EXPECT_EQ(document.media_type(), "image/svg+xml");
  EXPECT_EQ(document.title(), "Planted <regions>");
  const bre::test::SvgInspection map = bre::test::inspect_svg(document.content());
  ASSERT_TRUE(map.parsed) << map.error;
  EXPECT_EQ(map.coded_paths, demo.dataset.municipalities_size());
  EXPECT_EQ(map.labels.size(), 25u);
  EXPECT_EQ(map.labels[0], demo.planted.partitions(0).regions(0).id());

  auto missing = run_with(harness, demo, {}, nullptr);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.status().message().find("needs a partition"), std::string::npos);
}

// The demo's planted regions and a copy named "merged" with its first two regions as one.
bre::v1::Artifacts planted_and_merged(const bre::test::DemoFixture& demo) {
  bre::v1::Artifacts input = demo.planted;
  bre::v1::Partition merged = demo.planted.partitions(0);
  merged.set_name("merged");
  for (const std::string& code : merged.regions(1).municipality_codes()) merged.mutable_regions(0)->add_municipality_codes(code);
  merged.mutable_regions()->DeleteSubrange(1, 1);
  *input.add_partitions() = merged;
  return input;
}

TEST(PartitionMapPlugin, DrawsANamedPartitionInTheColoursOfAReference) {
  bre::test::PluginHarness harness("report_partition_map.so", "report.partition_map");
  ASSERT_NE(harness.plugin(), nullptr);
  bre::test::DemoFixture demo;
  // Input: the planted regions (the reference) and a copy with its first two regions merged.
  const bre::v1::Artifacts input = planted_and_merged(demo);
  auto reference = run_with(harness, demo, {}, &input);
  auto following = run_with(harness, demo, params_of({{"partition", "merged"}, {"colour_reference", "planted"}}), &input);
  ASSERT_TRUE(reference.has_value()) << reference.status().message();
  ASSERT_TRUE(following.has_value()) << following.status().message();
  const bre::test::SvgInspection a = bre::test::inspect_svg(only_document(*reference).content());
  const bre::test::SvgInspection b = bre::test::inspect_svg(only_document(*following).content());
  ASSERT_TRUE(a.parsed && b.parsed);
  EXPECT_EQ(b.labels.size(), 24u);  // the merged partition was drawn
  // Every municipality outside the merged pair keeps its colour.
  std::size_t same = 0;
  for (int r = 2; r < demo.planted.partitions(0).regions_size(); ++r) {
    for (const std::string& code : demo.planted.partitions(0).regions(r).municipality_codes()) {
      EXPECT_EQ(a.fill_by_code.at(code), b.fill_by_code.at(code)) << code;
      ++same;
    }
  }
  EXPECT_GT(same, 200u);

  for (const auto& [parameter, name] : std::vector<std::pair<std::string, std::string>>{{"partition", "nowhere"},
                                                                                      {"colour_reference", "nowhere"}}) {
    auto missing = run_with(harness, demo, params_of({{parameter, name}}), &input);
    ASSERT_FALSE(missing.has_value()) << parameter;
    EXPECT_NE(missing.status().message().find("parameter '" + parameter + "'"), std::string::npos)
        << missing.status().message();
    EXPECT_NE(missing.status().message().find("found: planted, merged"), std::string::npos)
        << missing.status().message();
  }
}

TEST(NetworkMapPlugin, DrawsTheInputNetworkElseBuildsIt) {
  bre::test::PluginHarness harness("report_network_map.so", "report.network_map");
  bre::test::PluginHarness network("indicator_cooperation_network.so", "indicator.cooperation_network");
  ASSERT_NE(harness.plugin(), nullptr);
  ASSERT_NE(network.plugin(), nullptr);
  bre::test::DemoFixture demo;

  auto own = run_with(harness, demo, {}, nullptr);
  ASSERT_TRUE(own.has_value()) << own.status().message();
  const bre::test::SvgInspection own_map = bre::test::inspect_svg(only_document(*own).content());
  ASSERT_TRUE(own_map.parsed) << own_map.error;
  ASSERT_FALSE(own_map.legend_texts.empty());
  EXPECT_EQ(own_map.legend_texts[0], "Gedeelde samenwerkingsverbanden");  // Dutch: no manifest says otherwise

  // A network of statistical divisions only has other ties; the map must draw the
  // input's, not build its own with default kinds.
  google::protobuf::Struct statistical;
  (*statistical.mutable_fields())["kinds"].mutable_list_value()->add_values()->set_string_value("statistical");
  (*statistical.mutable_fields())["weighting"].set_string_value("fractional");
  auto emitted = run_with(network, demo, statistical, nullptr);
  ASSERT_TRUE(emitted.has_value()) << emitted.status().message();
  google::protobuf::Struct every_tie;
  (*every_tie.mutable_fields())["strongest_per_municipality"].set_number_value(0);
  auto fed = run_with(harness, demo, every_tie, &*emitted);
  ASSERT_TRUE(fed.has_value()) << fed.status().message();
  const bre::test::SvgInspection fed_map = bre::test::inspect_svg(only_document(*fed).content());
  ASSERT_TRUE(fed_map.parsed) << fed_map.error;
  EXPECT_EQ(fed_map.tie_lines, emitted->networks(0).edges_size());
  EXPECT_NE(fed_map.tie_lines, own_map.tie_lines);
  EXPECT_GT(fed_map.tie_lines, 0);
  EXPECT_NE(fed_map.legend_texts[0].find("1/(leden - 1)"), std::string::npos) << fed_map.legend_texts[0];
}

TEST(ValueMapPlugin, IndicatorSource) {
  bre::test::PluginHarness harness("report_value_map.so", "report.value_map");
  ASSERT_NE(harness.plugin(), nullptr);
  bre::test::DemoFixture demo;
  ASSERT_GT(demo.dataset.area_indicators_size(), 0);
  const bre::v1::AreaIndicator& indicator = demo.dataset.area_indicators(0);
  auto out = run_with(harness, demo, params_of({{"source", "indicator"}, {"indicator", indicator.id()}}),
                      &demo.planted);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const bre::v1::Document& document = only_document(*out);
  EXPECT_EQ(document.name(), "values.svg");
  EXPECT_EQ(document.title(), indicator.name() + " (2016)");  // the latest year of the demo
  const bre::test::SvgInspection map = bre::test::inspect_svg(document.content());
  ASSERT_TRUE(map.parsed) << map.error;
  EXPECT_EQ(map.coded_paths, demo.dataset.municipalities_size());
  EXPECT_GT(map.border_polylines, 0);  // the input partition is outlined
  EXPECT_EQ(map.legend_texts.back().rfind("Regiogrens", 0), 0u);

  auto unknown = run_with(harness, demo, params_of({{"source", "indicator"}, {"indicator", "nope"}}), nullptr);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.status().message().find(indicator.id()), std::string::npos) << unknown.status().message();
  EXPECT_NE(unknown.status().message().find("found 'nope'"), std::string::npos);

  google::protobuf::Struct wrong_year = params_of({{"source", "indicator"}, {"indicator", indicator.id()}});
  (*wrong_year.mutable_fields())["year"].set_number_value(1999);
  auto year = run_with(harness, demo, wrong_year, nullptr);
  ASSERT_FALSE(year.has_value());
  EXPECT_NE(year.status().message().find("2014, 2016"), std::string::npos) << year.status().message();
}

TEST(ValueMapPlugin, TableSourceSpreadsRegionValues) {
  bre::test::PluginHarness harness("report_value_map.so", "report.value_map");
  bre::test::DemoFixture demo;
  bre::v1::Artifacts inputs = demo.planted;
  auto congruence = bre::indicator::compute_congruence(demo.index, demo.planted.partitions(0), {});
  ASSERT_TRUE(congruence.has_value()) << congruence.status().message();
  *inputs.add_tables() = congruence->table;
  auto out = run_with(harness, demo, params_of({{"source", "table"}, {"column", "congruence_c1"}}), &inputs);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const bre::test::SvgInspection map = bre::test::inspect_svg(only_document(*out).content());
  ASSERT_TRUE(map.parsed) << map.error;
  // Every municipality of a region has the region's value, so the region's fill.
  for (const auto& region : demo.planted.partitions(0).regions()) {
    for (const auto& code : region.municipality_codes()) {
      EXPECT_EQ(map.fill_by_code.at(code), map.fill_by_code.at(region.municipality_codes(0))) << code;
    }
  }
  auto unknown = run_with(harness, demo, params_of({{"source", "table"}, {"column", "c9"}}), &inputs);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.status().message().find("congruence_c2"), std::string::npos) << unknown.status().message();

  // A table over regions whose partition is not among the inputs cannot be placed.
  bre::v1::Artifacts table_only;
  *table_only.add_tables() = congruence->table;
  auto unplaced = run_with(harness, demo, params_of({{"source", "table"}, {"column", "congruence_c1"}}), &table_only);
  ASSERT_FALSE(unplaced.has_value());
  EXPECT_NE(unplaced.status().message().find("neither a municipality code nor a region"), std::string::npos)
      << unplaced.status().message();
}

TEST(ValueMapPlugin, ConfidenceSource) {
  bre::test::PluginHarness harness("report_value_map.so", "report.value_map");
  bre::test::DemoFixture demo;
  auto none = run_with(harness, demo, {}, &demo.planted);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.status().message().find("no membership confidence"), std::string::npos);

  bre::v1::Artifacts ensemble = demo.planted;
  // Confidence i/n for the i-th municipality: five quantile classes of equal size.
  const int n = demo.dataset.municipalities_size();
  for (int i = 0; i < n; ++i) {
    auto* value = ensemble.mutable_partitions(0)->add_membership_confidence();
    value->set_municipality_code(demo.dataset.municipalities(i).code());
    value->set_value(static_cast<double>(i + 1) / n);
  }
  auto out = run_with(harness, demo, params_of({{"method", "quantile"}}), &ensemble);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const bre::test::SvgInspection map = bre::test::inspect_svg(only_document(*out).content());
  ASSERT_TRUE(map.parsed) << map.error;
  ASSERT_GE(map.legend_texts.size(), 7u);
  EXPECT_EQ(map.legend_texts[0], "Zekerheid van de indeling (aandeel van de runs)");
  // 294 values in 5 quantile classes: bounds at ranks 58, 117, 176, 235; shares in percent.
  EXPECT_NE(map.legend_texts[1].find("(58)"), std::string::npos) << map.legend_texts[1];
  EXPECT_EQ(map.legend_texts[1].rfind("0% \u2013 ", 0), 0u) << map.legend_texts[1];
  EXPECT_EQ(map.legend_texts[6], "geen waarde (0)");
  EXPECT_GT(map.border_polylines, 0);  // the partition's borders, by default

  // The default is natural breaks; no class is empty.
  auto natural = run_with(harness, demo, {}, &ensemble);
  ASSERT_TRUE(natural.has_value()) << natural.status().message();
  const bre::test::SvgInspection natural_map = bre::test::inspect_svg(only_document(*natural).content());
  for (std::size_t e = 1; e + 2 < natural_map.legend_texts.size(); ++e) {
    EXPECT_EQ(natural_map.legend_texts[e].find("(0)"), std::string::npos) << natural_map.legend_texts[e];
  }
  EXPECT_NE(only_document(*natural).content().find("natuurlijke grenzen"), std::string::npos);
}

TEST(ValueMapPlugin, DisagreementSourceMapsWhereTwoPartitionsDiffer) {
  bre::test::PluginHarness harness("report_value_map.so", "report.value_map");
  bre::test::DemoFixture demo;
  // The planted regions against the provinces, compared by the framework's module.
  bre::v1::Partition provinces;
  provinces.set_name("provinces");
  std::map<std::string, bre::v1::Region*> by_province;
  for (const auto& m : demo.dataset.municipalities()) {
    auto& region = by_province[m.province_code()];
    if (region == nullptr) {
      region = provinces.add_regions();
      region->set_id(m.province_code());
    }
    region->add_municipality_codes(m.code());
  }
  auto ties = bre::build_cooperation_network(demo.index, {});
  auto map = bre::map_adjacency_graph(demo.index);
  ASSERT_TRUE(ties && map);
  auto comparison = bre::compare_partitions(demo.index, *ties, *map, demo.planted.partitions(0), provinces, {});
  ASSERT_TRUE(comparison.has_value()) << comparison.status().message();
  bre::v1::Artifacts inputs = demo.planted;
  *inputs.add_comparisons() = *comparison;
  auto out = run_with(harness, demo,
                      params_of({{"source", "disagreement"}, {"partition_a", "provinces"},
                                 {"partition_b", demo.planted.partitions(0).name()}, {"method", "equal_interval"}}),
                      &inputs);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  const bre::test::SvgInspection drawn = bre::test::inspect_svg(only_document(*out).content());
  ASSERT_TRUE(drawn.parsed) << drawn.error;
  // Municipalities with the same 0/1 value share a fill; the two groups differ.
  std::string agree_fill, disagree_fill;
  int disagreeing = 0;
  for (const auto& value : comparison->disagreement()) {
    std::string& fill = value.value() > 0.5 ? disagree_fill : agree_fill;
    disagreeing += value.value() > 0.5;
    if (fill.empty()) fill = drawn.fill_by_code.at(value.municipality_code());
    EXPECT_EQ(drawn.fill_by_code.at(value.municipality_code()), fill) << value.municipality_code();
  }
  ASSERT_GT(disagreeing, 0);
  EXPECT_NE(agree_fill, disagree_fill);

  auto unknown = run_with(harness, demo, params_of({{"source", "disagreement"}, {"partition_a", "x"}}), &inputs);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.status().message().find("found 'x/'"), std::string::npos) << unknown.status().message();
}


// A run in English: the step's manifest names the pipeline's language.
bre::Expected<bre::v1::Artifacts> run_in_english(const bre::test::PluginHarness& harness,
                                                 const bre::test::DemoFixture& demo,
                                                 const google::protobuf::Struct& given, const bre::v1::Artifacts* input) {
  auto params = harness.params(given);
  if (!params) return params.status();
  bre::v1::Manifest manifest;
  manifest.mutable_pipeline()->set_language("en");
  std::vector<bre::StepInput> inputs;
  if (input != nullptr) inputs.push_back({"input", input});
  const bre::StepContext context("english", demo.index, *params, 1, std::move(inputs), nullptr,
                                 bre::logger().get(), {}, &manifest);
  bre::v1::Artifacts out;
  const bre::Status status = harness.plugin()->plugin->run(context, out);
  if (!status.is_ok()) return status;
  return out;
}

TEST(NetworkMapPlugin, RegionalZoomPerRegionOfTheInputPartition) {
  bre::test::PluginHarness harness("report_network_map.so", "report.network_map");
  ASSERT_NE(harness.plugin(), nullptr);
  bre::test::DemoFixture demo;
  const bre::v1::Partition& planted = demo.planted.partitions(0);
  auto out = run_with(harness, demo, {}, &demo.planted);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  ASSERT_EQ(out->documents_size(), 1 + planted.regions_size());
  EXPECT_EQ(out->documents(0).name(), "network.svg");
  const bre::test::SvgInspection national = bre::test::inspect_svg(out->documents(0).content());
  ASSERT_TRUE(national.parsed) << national.error;
  EXPECT_GT(national.border_polylines, 0);  // the partition's borders under the ties
  // At most 3 ties per municipality in full.
  EXPECT_LE(national.tie_lines, 3 * demo.dataset.municipalities_size());
  for (int r = 0; r < planted.regions_size(); ++r) {
    const bre::v1::Document& zoom = out->documents(1 + r);
    EXPECT_EQ(zoom.name(), "network_" + planted.regions(r).id() + ".svg");
    EXPECT_EQ(zoom.title().rfind("Samenwerkingsnetwerk: ", 0), 0u) << zoom.title();
    const bre::test::SvgInspection map = bre::test::inspect_svg(zoom.content());
    ASSERT_TRUE(map.parsed) << map.error;
    for (const std::string& code : planted.regions(r).municipality_codes()) EXPECT_EQ(map.fill_by_code.count(code), 1u);
    EXPECT_LT(map.coded_paths, demo.dataset.municipalities_size());
    EXPECT_LT(zoom.content().size(), out->documents(0).content().size());
  }
  auto without = run_with(harness, demo, [] {
    google::protobuf::Struct s;
    (*s.mutable_fields())["regional_maps"].set_bool_value(false);
    return s;
  }(), &demo.planted);
  ASSERT_TRUE(without.has_value()) << without.status().message();
  EXPECT_EQ(without->documents_size(), 1);

  // Two region ids that give one document name are refused, naming both.
  bre::v1::Artifacts clash = demo.planted;
  clash.mutable_partitions(0)->mutable_regions(0)->set_id("R 1");
  clash.mutable_partitions(0)->mutable_regions(1)->set_id("R_1");
  auto clashing = run_with(harness, demo, {}, &clash);
  ASSERT_FALSE(clashing.has_value());
  EXPECT_NE(clashing.status().message().find("'R_1' gives the document name network_R_1.svg of region 'R 1'"),
            std::string::npos)
      << clashing.status().message();

  google::protobuf::Struct negative;
  (*negative.mutable_fields())["strongest_per_municipality"].set_number_value(-1);
  auto bad = run_with(harness, demo, negative, nullptr);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.status().message().find("strongest_per_municipality"), std::string::npos) << bad.status().message();
}

TEST(MapPlugins, AnEnglishRunGetsEnglishMaps) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness network("report_network_map.so", "report.network_map");
  bre::test::PluginHarness partition("report_partition_map.so", "report.partition_map");
  bre::test::PluginHarness values("report_value_map.so", "report.value_map");
  ASSERT_TRUE(network.plugin() && partition.plugin() && values.plugin());
  auto net = run_in_english(network, demo, {}, &demo.planted);
  ASSERT_TRUE(net.has_value()) << net.status().message();
  EXPECT_EQ(net->documents(0).title(), "Cooperation network (" + demo.dataset.name() + ")");
  EXPECT_EQ(net->documents(1).title().rfind("Cooperation network: ", 0), 0u);
  EXPECT_EQ(bre::test::inspect_svg(net->documents(0).content()).legend_texts[0], "Shared arrangements");
  auto regions = run_in_english(partition, demo, {}, &demo.planted);
  ASSERT_TRUE(regions.has_value()) << regions.status().message();
  EXPECT_EQ(regions->documents(0).title(),
            "Regions of " + demo.planted.partitions(0).name() + " (" + demo.dataset.name() + ")");
  EXPECT_EQ(bre::test::inspect_svg(regions->documents(0).content()).legend_texts[0], "Legend");
  auto dutch = run_with(partition, demo, {}, &demo.planted);
  ASSERT_TRUE(dutch.has_value());
  EXPECT_EQ(bre::test::inspect_svg(dutch->documents(0).content()).legend_texts[0], "Legenda");
  const bre::v1::AreaIndicator& indicator = demo.dataset.area_indicators(0);
  auto shown = run_in_english(values, demo, params_of({{"source", "indicator"}, {"indicator", indicator.id()}}),
                              &demo.planted);
  ASSERT_TRUE(shown.has_value()) << shown.status().message();
  EXPECT_NE(shown->documents(0).content().find("natural-breaks classes"), std::string::npos);
}

TEST(PartitionMapPlugin, CoarserLevelByName) {
  bre::test::PluginHarness harness("report_partition_map.so", "report.partition_map");
  bre::test::DemoFixture demo;
  const bre::v1::Artifacts input = planted_and_merged(demo);
  auto out = run_with(harness, demo, params_of({{"coarser", "merged"}}), &input);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  EXPECT_NE(only_document(*out).content().find("id=\"coarser-borders\""), std::string::npos);
  auto missing = run_with(harness, demo, params_of({{"coarser", "nowhere"}}), &input);
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.status().message().find("parameter 'coarser'"), std::string::npos) << missing.status().message();
}

}  // namespace
