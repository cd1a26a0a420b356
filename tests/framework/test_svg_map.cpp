// The map library (bre/map): the DSatur colouring against properties a wrong
// colouring breaks, class bounds against hand-computed values, XML escaping, and the
// three renderers read back with a real XML parser (tests/support/svg_inspect.hpp) on
// the demo dataset and on hand-made grids.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <regex>
#include <set>
#include <stdexcept>
#include <utility>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/geometry.hpp"
#include "bre/map/classification.hpp"
#include "bre/map/colouring.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "svg_inspect.hpp"
#include "test_support.hpp"

namespace bre::map {
namespace {

// A rows × columns grid of 10 km squares (codes GM0001.. row by row from the south-west,
// names "Gemeente N"), with Dataset.adjacency computed from the squares.
v1::Dataset grid_dataset(int rows, int columns) {
  v1::Dataset d;
  d.set_name("grid");
  d.set_reference_year(2016);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      const int n = r * columns + c + 1;
      v1::Municipality* m = d.add_municipalities();
      char code[16];
      std::snprintf(code, sizeof code, "GM%04d", n);
      m->set_code(code);
      m->set_name("Gemeente " + std::to_string(n));
      m->set_population(1000);
      v1::Ring* ring = m->mutable_geometry()->add_polygons()->mutable_outer();
      const double x = 100000.0 + c * 10000.0, y = 400000.0 + r * 10000.0;
      const double corners[4][2] = {{0.0, 0.0}, {10000.0, 0.0}, {10000.0, 10000.0}, {0.0, 10000.0}};
      for (const auto& corner : corners) {
        v1::Point* p = ring->add_points();
        p->set_x(x + corner[0]);
        p->set_y(y + corner[1]);
      }
    }
  }
  for (const v1::Adjacency& a : municipality_adjacency(d)) *d.add_adjacency() = a;
  return d;
}

v1::Partition partition_of(const DatasetIndex& index, const Membership& membership, const std::string& name) {
  return to_partition(index, membership, name, "test", NAN, NAN);
}

Graph graph_of(std::size_t n, const std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
  std::vector<WeightedEdge> edges;
  for (auto [u, v] : pairs) edges.push_back({u, v, 1.0});
  Expected<Graph> graph = Graph::from_edges(n, std::move(edges));
  EXPECT_TRUE(graph.has_value());
  return *graph;
}

void expect_proper(const Graph& graph, const std::vector<std::int32_t>& colours) {
  for (const WeightedEdge& e : graph.edges()) {
    if (e.u != e.v) {
      EXPECT_NE(colours[e.u], colours[e.v]) << "edge " << e.u << "-" << e.v;
    }
  }
}

TEST(Colouring, OddWheelNeedsFourColours) {
  // Hub 0 joined to the rim 1-2-3-4-5-1: an odd cycle needs 3 colours, the hub a 4th.
  const Graph wheel = graph_of(6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 1}});
  DsaturColouring colouring(wheel);
  ASSERT_TRUE(colouring.run().is_ok());
  expect_proper(wheel, colouring.colours());
  EXPECT_EQ(colouring.colour_count(), 4);
  EXPECT_EQ(colouring.colours()[0], 0);  // the hub has the highest degree: coloured first
}

TEST(Colouring, CompleteGraphAndBipartiteCycle) {
  const Graph k4 = graph_of(4, {{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}, {2, 3}});
  DsaturColouring complete(k4);
  ASSERT_TRUE(complete.run().is_ok());
  expect_proper(k4, complete.colours());
  EXPECT_EQ(complete.colour_count(), 4);
  // DSatur is exact on bipartite graphs: an even cycle gets two colours.
  const Graph c6 = graph_of(6, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 0}});
  DsaturColouring cycle(c6);
  ASSERT_TRUE(cycle.run().is_ok());
  expect_proper(c6, cycle.colours());
  EXPECT_EQ(cycle.colour_count(), 2);
  DsaturColouring not_run(c6);
  EXPECT_THROW(not_run.colours(), std::logic_error);
}

TEST(Colouring, PresetColoursAreKeptUnlessTheyClash) {
  // Path 0-1-2-3: presets 5 for nodes 0 and 2 are kept; node 1 wants 5 too, which
  // clashes with node 0, so it is coloured freely; node 3 is free.
  const Graph path = graph_of(4, {{0, 1}, {1, 2}, {2, 3}});
  DsaturColouring colouring(path, {5, 5, 5, -1});
  ASSERT_TRUE(colouring.run().is_ok());
  expect_proper(path, colouring.colours());
  EXPECT_EQ(colouring.colours()[0], 5);
  EXPECT_EQ(colouring.colours()[2], 5);
  EXPECT_NE(colouring.colours()[1], 5);
  EXPECT_EQ(colouring.colour_count(), 6);
}

TEST(Colouring, DemoPlantedRegionsNeighboursDiffer) {
  const v1::Dataset d = demo::generate();
  const DatasetIndex index(d);
  const v1::RegionDefinition* planted = nullptr;
  for (const auto& def : d.region_definitions()) {
    if (def.name() == demo::kPlantedDefinition) planted = &def;
  }
  ASSERT_NE(planted, nullptr);
  Expected<v1::Partition> partition = partition_from_definition(index, *planted);
  ASSERT_TRUE(partition.has_value());
  Expected<Membership> membership = membership_of(index, *partition);
  ASSERT_TRUE(membership.has_value());
  Expected<Graph> touching = region_adjacency(index, *membership, partition->regions_size());
  ASSERT_TRUE(touching.has_value()) << touching.status().message();
  EXPECT_EQ(touching->node_count(), 25u);
  EXPECT_GE(touching->edge_count(), 40u);  // 25 contiguous regions on a plane grid touch often
  // Independent check of the adjacency: every Dataset.adjacency pair across regions is an edge.
  std::set<std::pair<std::uint32_t, std::uint32_t>> expected;
  for (const auto& a : d.adjacency()) {
    const auto ra = (*membership)[*index.municipality(a.a_code())];
    const auto rb = (*membership)[*index.municipality(a.b_code())];
    if (ra != rb) expected.insert({std::min(ra, rb), std::max(ra, rb)});
  }
  std::set<std::pair<std::uint32_t, std::uint32_t>> found;
  for (const auto& e : touching->edges()) found.insert({e.u, e.v});
  EXPECT_EQ(found, expected);
  DsaturColouring colouring(*touching);
  ASSERT_TRUE(colouring.run().is_ok());
  expect_proper(*touching, colouring.colours());
  EXPECT_LE(colouring.colour_count(), kRegionPaletteSize);
}

TEST(Colouring, WithoutAdjacencyEntriesThePolygonsDecide) {
  // A 1 × 3 row split into three regions: the middle one touches both others.
  v1::Dataset d = grid_dataset(1, 3);
  d.clear_adjacency();
  const DatasetIndex index(d);
  Expected<Graph> touching = region_adjacency(index, {0, 1, 2}, 3);
  ASSERT_TRUE(touching.has_value()) << touching.status().message();
  ASSERT_EQ(touching->edge_count(), 2u);
  const std::vector<WeightedEdge> edges = touching->edge_list();
  EXPECT_EQ(edges[0].u, 0u);
  EXPECT_EQ(edges[0].v, 1u);
  EXPECT_EQ(edges[1].u, 1u);
  EXPECT_EQ(edges[1].v, 2u);
}

TEST(Colouring, PaletteColoursAreDistinct) {
  std::set<std::string> colours;
  for (std::int32_t c = 0; c < 20; ++c) {
    const std::string colour = region_colour(c);
    EXPECT_EQ(colour.size(), 7u);
    EXPECT_EQ(colour[0], '#');
    colours.insert(colour);
  }
  EXPECT_EQ(colours.size(), 20u);
}

TEST(Colouring, AdjacencyWithUnknownCodeIsAnError) {
  v1::Dataset d = grid_dataset(1, 2);
  d.add_adjacency()->set_a_code("GM0001");
  d.mutable_adjacency(1)->set_b_code("GM0404");
  const DatasetIndex index(d);
  Expected<Graph> touching = region_adjacency(index, {0, 1}, 2);
  ASSERT_FALSE(touching.has_value());
  EXPECT_NE(touching.status().message().find("adjacency[1]"), std::string::npos) << touching.status().message();
  EXPECT_NE(touching.status().message().find("GM0404"), std::string::npos);
}

TEST(Classification, QuantileBoundsByHand) {
  const std::vector<double> values = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  ValueClassification classes(values, {ClassMethod::kQuantile, 5});
  ASSERT_TRUE(classes.run().is_ok());
  EXPECT_EQ(classes.bounds(), (std::vector<double>{1, 3, 5, 7, 9, 10}));
  EXPECT_EQ(classes.counts(), (std::vector<std::size_t>{2, 2, 2, 2, 2}));
  EXPECT_EQ(classes.labels(), (std::vector<std::string>{"1\u20132", "3\u20134", "5\u20136", "7\u20138", "9\u201310"}));
  EXPECT_EQ(classes.class_of(2.5), 0u);
  EXPECT_EQ(classes.class_of(3), 1u);
  EXPECT_EQ(classes.class_of(10), 4u);
  EXPECT_EQ(classes.class_of(-5), 0u);
}

TEST(Classification, QuantileTiesMergeClasses) {
  const std::vector<double> values = {1, 1, 1, 1, 2, 5};
  ValueClassification classes(values, {ClassMethod::kQuantile, 3});
  ASSERT_TRUE(classes.run().is_ok());
  // b1 = v[2] = 1 (same as b0, merged), b2 = v[4] = 2.
  EXPECT_EQ(classes.bounds(), (std::vector<double>{1, 2, 5}));
  EXPECT_EQ(classes.counts(), (std::vector<std::size_t>{4, 2}));
  EXPECT_EQ(classes.labels(), (std::vector<std::string>{"1", "2\u20135"}));
}

TEST(Classification, EqualIntervalBoundsByHand) {
  const std::vector<double> values = {0, 1, 2.5, 10};
  ValueClassification classes(values, {ClassMethod::kEqualInterval, 4});
  ASSERT_TRUE(classes.run().is_ok());
  // [5, 7.5) would be empty: it goes into the class below, whose bound 5 is removed.
  EXPECT_EQ(classes.bounds(), (std::vector<double>{0, 2.5, 7.5, 10}));
  EXPECT_EQ(classes.counts(), (std::vector<std::size_t>{2, 1, 1}));
  // Labels give the values each class holds; range 10: one decimal; a decimal comma in Dutch.
  EXPECT_EQ(classes.labels()[0], "0.0 \u2013 1.0");
  EXPECT_EQ(classes.labels()[2], "10.0");
  EXPECT_EQ(classes.labels(NumberKind::kNumber, Language::kDutch)[1], "2,5");
  const std::vector<double> shares = {0.25, 0.5, 0.75, 1.0};
  ValueClassification fine(shares, {ClassMethod::kEqualInterval, 3});
  ASSERT_TRUE(fine.run().is_ok());
  EXPECT_EQ(fine.labels()[2], "0.750 \u2013 1.000");  // range 0.75: three decimals
  // As shares: range 75 percentage points, no decimals.
  EXPECT_EQ(fine.labels(NumberKind::kShare, Language::kDutch)[2], "75% \u2013 100%");
  EXPECT_EQ(fine.format_value(0.626, NumberKind::kShare, Language::kDutch), "63%");
  EXPECT_EQ(format_number(0.625 * 100, 1, Language::kDutch), "62,5");
  EXPECT_EQ(format_number(1234567.5, 1, Language::kDutch), "1.234.567,5");
  EXPECT_EQ(format_number(1234567.5, 1, Language::kEnglish), "1,234,567.5");
  EXPECT_EQ(format_number(-1234, 0, Language::kDutch), "-1234");  // no grouping below 10 000
}

TEST(Classification, GeometricBoundsByHand) {
  const std::vector<double> values = {16, 8, 4, 2, 1};
  ValueClassification classes(values, {ClassMethod::kGeometric, 4});
  ASSERT_TRUE(classes.run().is_ok());
  // b_i = 1 · 16^(i/4): 1, 2, 4, 8, 16.
  ASSERT_EQ(classes.bounds().size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_DOUBLE_EQ(classes.bounds()[i], std::pow(2.0, static_cast<double>(i)));
  EXPECT_EQ(classes.counts(), (std::vector<std::size_t>{1, 1, 1, 2}));
  EXPECT_EQ(classes.labels(), (std::vector<std::string>{"1", "2\u20133", "4\u20137", "8\u201316"}));
  const std::vector<double> with_zero = {0, 1, 2};
  ValueClassification zero(with_zero, {ClassMethod::kGeometric, 2});
  const Status status = zero.run();
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("positive"), std::string::npos) << status.message();
}

// A table column may hold any finite number: the span of ±1.7e308 is infinite, and
// its logarithm (the labels' decimals) has no int.
TEST(Classification, ValuesSpanningMoreThanTheLargestDoubleGetLabels) {
  const std::vector<double> extreme = {-1.7e308, 0.5, 1.7e308};
  ValueClassification classes(extreme, {ClassMethod::kEqualInterval, 3});
  ASSERT_TRUE(classes.run().is_ok());
  const std::vector<std::string> labels = classes.labels();
  ASSERT_FALSE(labels.empty());
  EXPECT_EQ(labels.size(), classes.class_count());
  EXPECT_EQ(labels.front().substr(0, 3), "-16");  // -1.7e308 written out: -169999...

}

TEST(Classification, ErrorsAndSingleValue) {
  const std::vector<double> same = {4, 4, 4};
  ValueClassification one(same, {ClassMethod::kQuantile, 5});
  ASSERT_TRUE(one.run().is_ok());
  EXPECT_EQ(one.class_count(), 1u);
  EXPECT_EQ(one.labels()[0], "4");
  const std::vector<double> empty;
  ValueClassification none(empty, {});
  EXPECT_FALSE(none.run().is_ok());
  const std::vector<double> with_nan = {1, NAN};
  ValueClassification bad(with_nan, {});
  const Status status = bad.run();
  ASSERT_FALSE(status.is_ok());
  EXPECT_NE(status.message().find("values[1]"), std::string::npos) << status.message();
  EXPECT_THROW(bad.bounds(), std::logic_error);
  EXPECT_FALSE(parse_class_method("jenks").has_value());
  EXPECT_EQ(*parse_class_method("natural_breaks"), ClassMethod::kNaturalBreaks);
}

TEST(Escaping, SpecialCharactersBecomeEntities) {
  EXPECT_EQ(escape_xml("a<b&c\"d'e>f"), "a&lt;b&amp;c&quot;d&apos;e&gt;f");
  EXPECT_EQ(escape_xml("Fryslân"), "Fryslân");
  EXPECT_EQ(escape_xml("x\x01y"), "x\uFFFDy");
  EXPECT_EQ(escape_xml("bad \xff byte"), "bad \uFFFD byte");
  EXPECT_EQ(escape_xml("cut \xC3"), "cut \uFFFD");
  EXPECT_EQ(escape_xml("tab\tline\n"), "tab line ");
  EXPECT_EQ(format_mm(12.345), "12.35");
  EXPECT_EQ(format_mm(3.0), "3");
  EXPECT_EQ(format_mm(-0.25), "-0.25");
  EXPECT_EQ(format_mm(0.1), "0.1");
}

// llround of 1e300 or NaN is unspecified, and negating its LLONG_MIN is undefined:
// a far centroid on a small map crashed the network map there.
TEST(Escaping, FormatMmIsDefinedForEveryDouble) {
  EXPECT_EQ(format_mm(std::nan("")), "0");
  EXPECT_EQ(format_mm(1e300), "1000000000000000");
  EXPECT_EQ(format_mm(-INFINITY), "-1000000000000000");
  EXPECT_EQ(format_mm(kMaxFormattedMm), "1000000000000000");
  EXPECT_EQ(format_mm(-123456789012.345), "-123456789012.35");
  EXPECT_EQ(format_mm(std::numeric_limits<double>::denorm_min()), "0");
}

// What every map must be: parseable XML, one path per municipality and no other
// paths, at most A4, sans-serif, nothing external or scripted.
test::SvgInspection expect_well_formed_map(const std::string& svg, const DatasetIndex& index) {
  test::SvgInspection map = test::inspect_svg(svg);
  EXPECT_TRUE(map.parsed) << map.error;
  EXPECT_EQ(map.coded_paths, static_cast<int>(index.municipality_count()));
  EXPECT_EQ(map.paths, map.coded_paths);
  EXPECT_EQ(map.fill_by_code.size(), index.municipality_count());
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    EXPECT_EQ(map.fill_by_code.count(index.municipality_at(i).code()), 1u) << index.municipality_at(i).code();
  }
  EXPECT_EQ(map.width, "210mm");
  EXPECT_EQ(map.font_family, "sans-serif");
  EXPECT_EQ(map.scripts, 0);
  EXPECT_EQ(map.external, 0);
  const double height = std::stod(map.height);
  EXPECT_LE(height, 297.0);
  EXPECT_GT(height, 100.0);
  EXPECT_EQ(map.view_box, "0 0 210 " + map.height.substr(0, map.height.size() - 2));
  EXPECT_EQ(svg.find("http", svg.find("xmlns") + 40), std::string::npos) << "a URL besides the namespace";
  return map;
}

struct DemoData {
  v1::Dataset dataset = demo::generate();
  DatasetIndex index{dataset};
  v1::Partition planted() const {
    for (const auto& def : dataset.region_definitions()) {
      if (def.name() == demo::kPlantedDefinition) return *partition_from_definition(index, def);
    }
    return {};
  }
};

TEST(Colouring, FollowingAReferenceKeepsTheColoursOfMatchedRegions) {
  // The planted regions, and the same regions with two of them merged: every region
  // that is one of the planted ones keeps its planted colour.
  const DemoData demo;
  const DatasetIndex& index = demo.index;
  const Membership reference = *membership_of(index, demo.planted());
  const std::int32_t k = region_count(reference);
  Membership merged = reference;
  for (auto& label : merged) label = label == 1 ? 0 : label;  // region 1 joins region 0; label 1 stays empty
  for (auto& label : merged) label = label > 1 ? label - 1 : label;
  Expected<Graph> reference_touching = region_adjacency(index, reference, k);
  ASSERT_TRUE(reference_touching.has_value());
  DsaturColouring alone(*reference_touching);
  ASSERT_TRUE(alone.run().is_ok());
  Expected<std::vector<std::int32_t>> following = region_colours_following(index, merged, k - 1, reference, k);
  ASSERT_TRUE(following.has_value()) << following.status().message();
  Expected<Graph> touching = region_adjacency(index, merged, k - 1);
  expect_proper(*touching, *following);
  for (std::int32_t r = 1; r < k - 1; ++r) {
    EXPECT_EQ((*following)[static_cast<std::size_t>(r)], alone.colours()[static_cast<std::size_t>(r + 1)]) << "region " << r;
  }
}

TEST(PartitionMap, DemoMapNeighbouringRegionsDifferInColour) {
  const DemoData demo;
  v1::Partition partition = demo.planted();
  // Leave two municipalities unassigned: they must be hatched and listed.
  std::vector<std::string> left_out;
  for (auto* region : {partition.mutable_regions(0), partition.mutable_regions(1)}) {
    left_out.push_back(region->municipality_codes(0));
    region->mutable_municipality_codes()->erase(region->mutable_municipality_codes()->begin());
  }
  for (const auto& code : left_out) partition.add_unassigned(code);
  Expected<std::string> svg = render_partition_map(demo.index, partition, {});
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = expect_well_formed_map(*svg, demo.index);

  Expected<Membership> membership = membership_of(demo.index, partition);
  ASSERT_TRUE(membership.has_value());
  int borders_checked = 0;
  for (const auto& a : demo.dataset.adjacency()) {
    const auto i = *demo.index.municipality(a.a_code()), j = *demo.index.municipality(a.b_code());
    const auto ri = (*membership)[i], rj = (*membership)[j];
    if (ri == kUnassigned || rj == kUnassigned) continue;
    if (ri == rj) {
      EXPECT_EQ(map.fill_by_code.at(a.a_code()), map.fill_by_code.at(a.b_code()));
    } else {
      EXPECT_NE(map.fill_by_code.at(a.a_code()), map.fill_by_code.at(a.b_code())) << a.a_code() << " " << a.b_code();
      ++borders_checked;
    }
  }
  EXPECT_GT(borders_checked, 50);
  for (const auto& code : left_out) EXPECT_EQ(map.fill_by_code.at(code), "url(#no-data-hatch)");
  EXPECT_GT(map.border_polylines, 25);
  ASSERT_EQ(map.labels.size(), 25u);
  EXPECT_EQ(map.labels[0], partition.regions(0).name());
  bool listed = false;
  const auto& unassigned = demo.index.municipality_at(*demo.index.municipality(left_out[0]));
  for (const auto& text : map.legend_texts) listed = listed || text.find(unassigned.name()) != std::string::npos;
  EXPECT_TRUE(listed) << "unassigned municipality not named in the legend";
  EXPECT_NE(map.title_by_code.at(left_out[0]).find("niet ingedeeld"), std::string::npos);
}

TEST(PartitionMap, RegionBordersFollowRegionsAndCoast) {
  // 2 × 2 grid split into west {1, 3} and east {2, 4}: the region border is the middle
  // vertical line plus the outer coast; no border between 1 and 3.
  const v1::Dataset d = grid_dataset(2, 2);
  const DatasetIndex index(d);
  const v1::Partition partition = partition_of(index, {0, 1, 0, 1}, "halves");
  PartitionMapOptions options;
  options.label = RegionLabel::kId;
  Expected<std::string> svg = render_partition_map(index, partition, options);
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = expect_well_formed_map(*svg, index);
  EXPECT_EQ(map.labels, (std::vector<std::string>{"R01", "R02"}));
  EXPECT_NE(map.fill_by_code.at("GM0001"), map.fill_by_code.at("GM0002"));
  EXPECT_EQ(map.fill_by_code.at("GM0001"), map.fill_by_code.at("GM0003"));
  // Borders drawn: 8 coast edges + 2 shared edges across the regions, never the 2 inside.
  const std::size_t first = svg->find("<g id=\"region-borders\"");
  const std::size_t last = svg->find("</g>", first);
  const std::string borders = svg->substr(first, last - first);
  std::size_t points = 0;
  for (std::size_t at = borders.find("points=\""); at != std::string::npos; at = borders.find("points=\"", at + 1)) {
    const std::size_t end = borders.find('"', at + 8);
    points += static_cast<std::size_t>(std::count(borders.begin() + static_cast<long>(at) + 8,
                                                  borders.begin() + static_cast<long>(end), ' ') + 1) / 2;
  }
  EXPECT_EQ(points - static_cast<std::size_t>(map.border_polylines), 10u) << borders;
}

TEST(PartitionMap, NamesAreEscaped) {
  v1::Dataset d = grid_dataset(1, 2);
  d.mutable_municipalities(0)->set_name("A<&\"B'");
  const DatasetIndex index(d);
  v1::Partition partition = partition_of(index, {0, 1}, "p");
  partition.mutable_regions(0)->set_name("Regio <&\">");
  Expected<std::string> svg = render_partition_map(index, partition, {});
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = expect_well_formed_map(*svg, index);
  EXPECT_EQ(map.title_by_code.at("GM0001").substr(0, 6), "A<&\"B'");
  EXPECT_EQ(map.labels[0], "Regio <&\">");
  EXPECT_EQ(svg->find("A<&"), std::string::npos);
}

// A label wider than the page asked std::clamp for a range whose low end is above its
// high end (undefined); it is centred on the page instead.
TEST(PartitionMap, LabelWiderThanThePageIsCentred) {
  v1::Dataset d = grid_dataset(1, 2);
  const DatasetIndex index(d);
  v1::Partition partition = partition_of(index, {0, 1}, "p");
  partition.mutable_regions(0)->set_name(std::string(300, 'W'));
  Expected<std::string> svg = render_partition_map(index, partition, {});
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  expect_well_formed_map(*svg, index);
  EXPECT_NE(svg->find("<text x=\"105\""), std::string::npos);
}

TEST(PartitionMap, Deterministic) {
  const DemoData demo;
  const v1::Partition partition = demo.planted();
  const v1::Dataset copy = demo.dataset;
  const DatasetIndex copy_index(copy);
  Expected<std::string> first = render_partition_map(demo.index, partition, {});
  Expected<std::string> second = render_partition_map(copy_index, partition, {});
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(*first, *second);
}

TEST(PartitionMap, BadInputIsAClearError) {
  const v1::Dataset d = grid_dataset(2, 2);
  const DatasetIndex index(d);
  v1::Partition foreign = partition_of(index, {0, 0, 1, 1}, "foreign");
  foreign.mutable_regions(1)->set_municipality_codes(1, "GM0999");
  Expected<std::string> unknown = render_partition_map(index, foreign, {});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.status().message().find("GM0999"), std::string::npos) << unknown.status().message();

  const v1::Dataset bigger = grid_dataset(2, 3);
  const DatasetIndex bigger_index(bigger);
  Expected<std::string> partial = render_partition_map(bigger_index, partition_of(index, {0, 0, 1, 1}, "small"), {});
  ASSERT_FALSE(partial.has_value());
  EXPECT_NE(partial.status().message().find("in neither"), std::string::npos) << partial.status().message();
  EXPECT_NE(partial.status().message().find("GM0005"), std::string::npos);

  v1::Dataset empty;
  empty.set_name("empty");
  const DatasetIndex empty_index(empty);
  Expected<std::string> nothing = render_partition_map(empty_index, v1::Partition(), {});
  ASSERT_FALSE(nothing.has_value());
  EXPECT_NE(nothing.status().message().find("at least one municipality"), std::string::npos);

  v1::Dataset no_shape = grid_dataset(1, 2);
  no_shape.mutable_municipalities(1)->clear_geometry();
  const DatasetIndex no_shape_index(no_shape);
  Expected<std::string> shapeless = render_partition_map(no_shape_index, partition_of(no_shape_index, {0, 0}, "p"), {});
  ASSERT_FALSE(shapeless.has_value());
  EXPECT_NE(shapeless.status().message().find("'GM0002'"), std::string::npos) << shapeless.status().message();
}

TEST(NetworkMap, LinesPerTieDrawnLightToHeavy) {
  const DemoData demo;
  Expected<Graph> graph = build_cooperation_network(demo.index, {});
  ASSERT_TRUE(graph.has_value());
  const v1::Network network = to_network_message(*graph, demo.index, "cooperation", "weighting count");
  NetworkMapOptions every_tie;
  every_tie.strongest_per_municipality = 0;
  Expected<std::string> svg = render_network_map(demo.index, network, every_tie);
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = expect_well_formed_map(*svg, demo.index);
  EXPECT_EQ(map.tie_lines, static_cast<int>(graph->edge_count()));
  EXPECT_EQ(svg->find("faded-ties"), std::string::npos);
  ASSERT_GE(map.tie_strokes.size(), 3u);
  // Class groups in order from light to dark: the sum of RGB falls.
  auto brightness = [](const std::string& hex) {
    return std::stoi(hex.substr(1, 2), nullptr, 16) + std::stoi(hex.substr(3, 2), nullptr, 16) +
           std::stoi(hex.substr(5, 2), nullptr, 16);
  };
  for (std::size_t c = 1; c < map.tie_strokes.size(); ++c) {
    EXPECT_LT(brightness(map.tie_strokes[c]), brightness(map.tie_strokes[c - 1]));
  }
  Expected<std::string> again = render_network_map(demo.index, network, every_tie);
  EXPECT_EQ(*svg, *again);
}

TEST(NetworkMap, HandMadeNetworkLegendAndErrors) {
  const v1::Dataset d = grid_dataset(2, 2);
  const DatasetIndex index(d);
  v1::Network network;
  network.set_name("hand");
  for (const auto& m : d.municipalities()) network.add_node_codes(m.code());
  struct HandEdge {
    int a, b;
    double weight;
  };
  for (const HandEdge& edge : {HandEdge{0, 1, 1.0}, HandEdge{0, 2, 1.0}, HandEdge{1, 3, 3.0}, HandEdge{2, 3, 7.0}}) {
    auto* e = network.add_edges();
    e->set_a(edge.a);
    e->set_b(edge.b);
    e->set_weight(edge.weight);
  }
  NetworkMapOptions options;
  options.language = Language::kEnglish;
  options.classes = {ClassMethod::kEqualInterval, 3};
  Expected<std::string> svg = render_network_map(index, network, options);
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = expect_well_formed_map(*svg, index);
  EXPECT_EQ(map.tie_lines, 4);
  // Equal intervals over 1..7: [1, 3), [3, 5), [5, 7]: integer labels 1–2, 3–4, 5–7.
  const std::vector<std::string> expected_legend = {"Shared arrangements", "1\u20132 (2 pairs)", "3\u20134 (1 pair)",
                                                    "5\u20137 (1 pair)"};
  EXPECT_EQ(map.legend_texts, expected_legend);

  network.set_node_codes(3, "GM7777");
  Expected<std::string> foreign = render_network_map(index, network, options);
  ASSERT_FALSE(foreign.has_value());
  EXPECT_NE(foreign.status().message().find("GM7777"), std::string::npos) << foreign.status().message();
}

TEST(ValueMap, ClassesLegendAndNoValue) {
  const v1::Dataset d = grid_dataset(2, 3);
  const DatasetIndex index(d);
  std::vector<v1::MunicipalityValue> values;
  const std::vector<std::pair<std::string, double>> given = {
      {"GM0001", 0.1}, {"GM0002", 0.2}, {"GM0003", 0.4}, {"GM0004", 0.9}, {"GM0005", NAN}};
  for (const auto& [code, value] : given) {
    v1::MunicipalityValue v;
    v.set_municipality_code(code);
    v.set_value(value);
    values.push_back(v);
  }
  ValueMapOptions options;
  options.language = Language::kEnglish;
  options.value_label = "Confidence";
  options.classes = {ClassMethod::kEqualInterval, 2};
  Expected<std::string> svg = render_value_map(index, values, nullptr, options);
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = expect_well_formed_map(*svg, index);
  // Range 0.8 → 3 decimals; bounds 0.1, 0.5, 0.9: three values below 0.5, one above.
  const std::vector<std::string> expected_legend = {"Confidence", "0.100 \u2013 0.400 (3)", "0.900 (1)",
                                                    "no value (2)"};
  EXPECT_EQ(map.legend_texts, expected_legend);
  EXPECT_EQ(map.fill_by_code.at("GM0001"), map.fill_by_code.at("GM0003"));
  EXPECT_NE(map.fill_by_code.at("GM0001"), map.fill_by_code.at("GM0004"));
  EXPECT_EQ(map.fill_by_code.at("GM0005"), "url(#no-data-hatch)");
  EXPECT_EQ(map.fill_by_code.at("GM0006"), "url(#no-data-hatch)");
  EXPECT_EQ(map.border_polylines, 0);

  const v1::Partition regions = partition_of(index, {0, 0, 0, 1, 1, 1}, "rows");
  Expected<std::string> outlined = render_value_map(index, values, &regions, options);
  ASSERT_TRUE(outlined.has_value()) << outlined.status().message();
  EXPECT_GT(test::inspect_svg(*outlined).border_polylines, 0);
}

TEST(ValueMap, BadValuesAreClearErrors) {
  const v1::Dataset d = grid_dataset(1, 2);
  const DatasetIndex index(d);
  v1::MunicipalityValue unknown;
  unknown.set_municipality_code("GM0404");
  unknown.set_value(1.0);
  Expected<std::string> svg = render_value_map(index, {unknown}, nullptr, {});
  ASSERT_FALSE(svg.has_value());
  EXPECT_NE(svg.status().message().find("values[0]"), std::string::npos) << svg.status().message();
  EXPECT_NE(svg.status().message().find("GM0404"), std::string::npos);

  v1::MunicipalityValue first;
  first.set_municipality_code("GM0001");
  first.set_value(1.0);
  Expected<std::string> twice = render_value_map(index, {first, first}, nullptr, {});
  ASSERT_FALSE(twice.has_value());
  EXPECT_NE(twice.status().message().find("values[1]"), std::string::npos);

  first.set_value(INFINITY);
  EXPECT_FALSE(render_value_map(index, {first}, nullptr, {}).has_value());
  first.set_value(NAN);
  Expected<std::string> none = render_value_map(index, {first}, nullptr, {});
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.status().message().find("found none"), std::string::npos);
}


// ---- natural breaks, no empty classes

// Least within-class sum of squares over every way to cut the sorted values into
// exactly `classes` non-empty runs of consecutive values (2^(n-1) cut sets at most).
double brute_force_squares(const std::vector<double>& sorted, std::size_t classes) {
  const std::size_t n = sorted.size();
  double best = std::numeric_limits<double>::infinity();
  for (std::uint32_t cuts = 0; cuts < (1u << (n - 1)); ++cuts) {
    if (static_cast<std::size_t>(__builtin_popcount(cuts)) + 1 != classes) continue;
    double total = 0.0;
    std::size_t begin = 0;
    for (std::size_t end = 1; end <= n; ++end) {
      if (end < n && !(cuts & (1u << (end - 1)))) continue;
      double mean = 0.0;
      for (std::size_t i = begin; i < end; ++i) mean += sorted[i];
      mean /= static_cast<double>(end - begin);
      for (std::size_t i = begin; i < end; ++i) total += (sorted[i] - mean) * (sorted[i] - mean);
      begin = end;
    }
    best = std::min(best, total);
  }
  return best;
}

TEST(NaturalBreaks, HandComputedExample) {
  // {1, 2, 4, 5, 9} in two classes; the four cuts give squares 26 ({1}|{2,4,5,9}),
  // 14.5, 12.67 and 10 ({1,2,4,5}|{9}): the outlier stands alone.
  const std::vector<double> values = {5, 1, 9, 2, 4};
  ValueClassification classes(values, {ClassMethod::kNaturalBreaks, 2});
  ASSERT_TRUE(classes.run().is_ok());
  EXPECT_EQ(classes.bounds(), (std::vector<double>{1, 9, 9}));
  EXPECT_EQ(classes.counts(), (std::vector<std::size_t>{4, 1}));
  EXPECT_EQ(classes.labels(), (std::vector<std::string>{"1\u20138", "9"}));
  const std::vector<double> sorted = {1, 2, 4, 5, 9};
  EXPECT_DOUBLE_EQ(within_class_squares(sorted, natural_break_starts(sorted, 2)), 10.0);
  // Three clear groups are found as they are.
  const std::vector<double> groups = {30, 1, 12, 2, 10, 3, 11};
  ValueClassification three(groups, {ClassMethod::kNaturalBreaks, 3});
  ASSERT_TRUE(three.run().is_ok());
  EXPECT_EQ(three.bounds(), (std::vector<double>{1, 10, 30, 30}));
  EXPECT_EQ(three.counts(), (std::vector<std::size_t>{3, 3, 1}));
}

// Inputs: std::mt19937 seeded 20161207; 400 cases of 2 to 11 values, half integers
// 0..12 (many ties), half uniform reals in [0, 100) cubed/10^4 (skewed); 1 to 6 classes.
TEST(NaturalBreaks, MatchesExhaustiveSearchOnSeededRandomInputs) {
  std::mt19937 random(20161207);
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t n = 2 + random() % 10;
    std::vector<double> values(n);
    for (double& v : values) {
      if (trial % 2 == 0) {
        v = static_cast<double>(random() % 13);
      } else {
        const double u = std::uniform_real_distribution<double>(0.0, 100.0)(random);
        v = u * u * u / 1e4;
      }
    }
    const std::size_t classes = 1 + random() % 6;
    std::sort(values.begin(), values.end());
    const std::vector<double> starts = natural_break_starts(values, classes);
    std::vector<double> unique_values = values;
    unique_values.erase(std::unique(unique_values.begin(), unique_values.end()), unique_values.end());
    ASSERT_EQ(starts.size(), std::min(classes, unique_values.size())) << "trial " << trial;
    const double found = within_class_squares(values, starts);
    const double best = brute_force_squares(values, starts.size());
    EXPECT_NEAR(found, best, 1e-9 * std::max(1.0, best)) << "trial " << trial << ", n " << n << ", classes " << classes;
  }
}

// Inputs: std::mt19937 seeded 7; 1000 cases of 1 to 60 values drawn from one of a
// uniform, an exponential (skewed), integers 1..5 (ties) or two far clusters, 1 to 9
// classes, every method (geometric only on positive values).
TEST(Classification, NoMethodLeavesAClassEmpty) {
  std::mt19937 random(7);
  const ClassMethod methods[] = {ClassMethod::kQuantile, ClassMethod::kNaturalBreaks, ClassMethod::kEqualInterval,
                                 ClassMethod::kGeometric};
  for (int trial = 0; trial < 1000; ++trial) {
    const std::size_t n = 1 + random() % 60;
    std::vector<double> values(n);
    const int shape = trial % 4;
    for (double& v : values) {
      switch (shape) {
        case 0: v = std::uniform_real_distribution<double>(0.01, 1.0)(random); break;
        case 1: v = 0.001 + std::exponential_distribution<double>(0.5)(random); break;
        case 2: v = static_cast<double>(1 + random() % 5); break;
        default: v = (random() % 10 == 0 ? 1000.0 : 1.0) + std::uniform_real_distribution<double>(0, 1)(random);
      }
    }
    const std::size_t wanted = 1 + random() % 9;
    for (ClassMethod method : methods) {
      ValueClassification classes(values, {method, wanted});
      ASSERT_TRUE(classes.run().is_ok());
      const auto& counts = classes.counts();
      std::size_t total = 0;
      for (std::size_t c = 0; c < counts.size(); ++c) {
        EXPECT_GT(counts[c], 0u) << "trial " << trial << " method " << static_cast<int>(method) << " class " << c;
        total += counts[c];
      }
      EXPECT_EQ(total, n);
      EXPECT_LE(classes.class_count(), wanted);
      const auto& bounds = classes.bounds();
      for (std::size_t b = 1; b + 1 < bounds.size(); ++b) EXPECT_LT(bounds[b - 1], bounds[b]);
      EXPECT_EQ(classes.labels().size(), classes.class_count());
    }
  }
}

// ---- words in the run's language

// Every piece of text of an SVG (character data between tags).
std::string text_of(const std::string& svg) {
  std::string text;
  bool inside_tag = false;
  for (char c : svg) {
    if (c == '<') inside_tag = true, text += ' ';
    else if (c == '>') inside_tag = false;
    else if (!inside_tag) text += c;
  }
  return text;
}

const std::vector<std::string> kEnglishWords = {
    "Legend ", "Region border", "no value", "Unassigned", "unassigned", "municipalit", " pairs", "Shared arrangements",
    "Cooperation network", "Regions of", "with a value", "classes", "Value", "Other ties", "Drawn in full",
    "without ties", "Neighbouring", " of "};
const std::vector<std::string> kDutchWords = {
    "Legenda", "Regiogrens", "geen waarde", "Niet ingedeeld", "niet ingedeeld", "gemeenten", " paren", "Gedeelde",
    "Samenwerkingsnetwerk", "Regio's van", "met een waarde", "klassen", "Waarde", "Overige banden", "Voluit",
    "zonder banden", "Omliggende", " van "};

void expect_only_words_of(const std::string& svg, Language language) {
  const std::string text = text_of(svg);
  const auto& foreign = language == Language::kDutch ? kEnglishWords : kDutchWords;
  for (const std::string& word : foreign) {
    EXPECT_EQ(text.find(word), std::string::npos) << "'" << word << "' in a map in " << language_code(language);
  }
}

TEST(MapLanguage, FixedWordsFollowTheLanguage) {
  v1::Dataset d = grid_dataset(3, 3);
  d.set_name("raster");
  for (auto& m : *d.mutable_municipalities()) m.set_name("Plaats " + m.code().substr(2));
  const DatasetIndex index(d);
  v1::Partition rows = partition_of(index, {0, 0, 0, 1, 1, 1, 2, 2, kUnassigned}, "rijen");
  const v1::Partition halves = partition_of(index, {0, 0, 0, 0, 0, 0, 1, 1, kUnassigned}, "helften");
  v1::Network network;
  for (const auto& m : d.municipalities()) network.add_node_codes(m.code());
  for (int a = 0; a < 9; ++a) {
    for (int b = a + 1; b < 9; ++b) {
      auto* e = network.add_edges();
      e->set_a(a), e->set_b(b), e->set_weight(1 + (a * b) % 7);
    }
  }
  std::vector<v1::MunicipalityValue> values;
  for (int i = 0; i < 8; ++i) {
    v1::MunicipalityValue v;
    v.set_municipality_code(d.municipalities(i).code());
    v.set_value(0.5 + 0.06 * i);
    values.push_back(v);
  }
  for (Language language : {Language::kDutch, Language::kEnglish}) {
    PartitionMapOptions partition_options;
    partition_options.language = language;
    partition_options.coarser = &halves;
    Expected<std::string> partition = render_partition_map(index, rows, partition_options);
    ASSERT_TRUE(partition.has_value()) << partition.status().message();
    expect_only_words_of(*partition, language);
    EXPECT_NE(partition->find(language == Language::kDutch ? "Regio&apos;s van rijen (raster)" : "Regions of rijen (raster)"),
              std::string::npos);

    NetworkMapOptions network_options;
    network_options.language = language;
    network_options.strongest_per_municipality = 2;
    network_options.regions = &rows;
    Expected<std::string> ties = render_network_map(index, network, network_options);
    ASSERT_TRUE(ties.has_value()) << ties.status().message();
    expect_only_words_of(*ties, language);
    Expected<std::vector<std::string>> zooms = render_regional_network_maps(index, network, rows, network_options);
    ASSERT_TRUE(zooms.has_value()) << zooms.status().message();
    ASSERT_EQ(zooms->size(), 3u);
    for (const std::string& zoom : *zooms) expect_only_words_of(zoom, language);

    ValueMapOptions value_options;
    value_options.language = language;
    value_options.number_kind = NumberKind::kShare;
    Expected<std::string> shares = render_value_map(index, values, &rows, value_options);
    ASSERT_TRUE(shares.has_value()) << shares.status().message();
    expect_only_words_of(*shares, language);
    // Shares as percentages, with the run's decimal separator.
    const test::SvgInspection map = test::inspect_svg(*shares);
    ASSERT_TRUE(map.parsed) << map.error;
    EXPECT_NE(map.legend_texts[1].find('%'), std::string::npos) << map.legend_texts[1];
    EXPECT_NE(map.title_by_code.at("GM0002").find("56%"), std::string::npos);
    EXPECT_EQ(map.legend_texts[0], language == Language::kDutch ? "Waarde" : "Value");
  }
}

// ---- borders, backbone, zooms, coarser level

TEST(ValueMap, RegionBordersLieOverTheFillOnAWhiteCasing) {
  const v1::Dataset d = grid_dataset(2, 3);
  const DatasetIndex index(d);
  std::vector<v1::MunicipalityValue> values;
  for (int i = 0; i < 6; ++i) {
    v1::MunicipalityValue v;
    v.set_municipality_code(d.municipalities(i).code());
    v.set_value(i);
    values.push_back(v);
  }
  const v1::Partition regions = partition_of(index, {0, 0, 1, 0, 0, 1}, "blocks");
  Expected<std::string> svg = render_value_map(index, values, &regions, {});
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const std::size_t fills = svg->find("id=\"municipalities\"");
  const std::size_t casing = svg->find("id=\"region-borders-casing\"");
  const std::size_t borders = svg->find("id=\"region-borders\"");
  ASSERT_NE(casing, std::string::npos);
  EXPECT_LT(fills, casing);
  EXPECT_LT(casing, borders);
  EXPECT_NE(svg->find("stroke=\"#ffffff\" stroke-width=\"0.95\"", casing), std::string::npos);
  EXPECT_GT(test::inspect_svg(*svg).border_polylines, 0);
}

TEST(NetworkMap, StrongestTiesInFullTheRestFaded) {
  const v1::Dataset d = grid_dataset(2, 2);
  const DatasetIndex index(d);
  v1::Network network;
  for (const auto& m : d.municipalities()) network.add_node_codes(m.code());
  // Every pair; weights 6 (0-1), 5 (0-2), 4 (0-3), 3 (1-2), 2 (1-3), 1 (2-3).
  const double weights[4][4] = {{0, 6, 5, 4}, {6, 0, 3, 2}, {5, 3, 0, 1}, {4, 2, 1, 0}};
  for (int a = 0; a < 4; ++a) {
    for (int b = a + 1; b < 4; ++b) {
      auto* e = network.add_edges();
      e->set_a(a), e->set_b(b), e->set_weight(weights[a][b]);
    }
  }
  NetworkMapOptions options;
  options.language = Language::kEnglish;
  options.strongest_per_municipality = 1;
  Expected<std::string> svg = render_network_map(index, network, options);
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = test::inspect_svg(*svg);
  ASSERT_TRUE(map.parsed) << map.error;
  // Strongest of 0: 0-1; of 1: 0-1; of 2: 0-2; of 3: 0-3. The other three are faded.
  EXPECT_EQ(map.tie_lines, 3);
  const std::size_t faded = svg->find("id=\"faded-ties\"");
  ASSERT_NE(faded, std::string::npos);
  EXPECT_LT(faded, svg->find("id=\"ties\""));  // beneath
  const std::string faded_group = svg->substr(faded, svg->find("</g>", faded) - faded);
  EXPECT_EQ(std::count(faded_group.begin(), faded_group.end(), 'M'), 3);
  EXPECT_NE(svg->find("Other ties, faded (3 pairs)"), std::string::npos);

  options.show_faded = false;
  Expected<std::string> bare = render_network_map(index, network, options);
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->find("faded-ties"), std::string::npos);
  EXPECT_NE(bare->find("Other ties, not drawn (3 pairs)"), std::string::npos);
}

TEST(NetworkMap, RegionalZoomShowsTheRegionAndItsTies) {
  const v1::Dataset d = grid_dataset(3, 3);
  const DatasetIndex index(d);
  v1::Network network;
  for (const auto& m : d.municipalities()) network.add_node_codes(m.code());
  for (int a = 0; a < 9; ++a) {
    for (int b = a + 1; b < 9; ++b) {
      auto* e = network.add_edges();
      e->set_a(a), e->set_b(b), e->set_weight(1.0);
    }
  }
  // Region "R 1" is the bottom row; the others the rest.
  v1::Partition rows = partition_of(index, {0, 0, 0, 1, 1, 1, 1, 1, 1}, "rows");
  rows.mutable_regions(0)->set_id("R 1");
  NetworkMapOptions options;
  options.strongest_per_municipality = 0;
  Expected<std::vector<std::string>> zooms = render_regional_network_maps(index, network, rows, options);
  ASSERT_TRUE(zooms.has_value()) << zooms.status().message();
  ASSERT_EQ(zooms->size(), 2u);
  const test::SvgInspection bottom = test::inspect_svg((*zooms)[0]);
  ASSERT_TRUE(bottom.parsed) << bottom.error;
  EXPECT_EQ(bottom.tie_lines, 3);  // the three pairs inside the bottom row
  // The bottom row and the row above reach into the view (a sixth of 30 km around it).
  EXPECT_EQ(bottom.coded_paths, 6);
  EXPECT_NE(bottom.fill_by_code.at("GM0001"), bottom.fill_by_code.at("GM0004"));
  EXPECT_EQ(bottom.external, 0);
  // 3 × 6 ties leave the row: counted, not drawn.
  EXPECT_EQ((*zooms)[0].find("faded-ties"), std::string::npos);
  EXPECT_NE((*zooms)[0].find("18 banden naar buiten"), std::string::npos);
  // With a backbone of one tie per municipality, the zoom still draws every tie inside.
  options.strongest_per_municipality = 1;
  Expected<std::vector<std::string>> thin = render_regional_network_maps(index, network, rows, options);
  ASSERT_TRUE(thin.has_value()) << thin.status().message();
  EXPECT_EQ(test::inspect_svg((*thin)[0]).tie_lines, 3);
  EXPECT_NE((*thin)[0].find("tot en met 1"), std::string::npos);
  EXPECT_NE((*zooms)[0].find("clip-path=\"url(#zoom-R_1)\""), std::string::npos);
  EXPECT_EQ(regional_network_document_name("R 1"), "network_R_1.svg");
  EXPECT_EQ(regional_network_document_name("R07"), "network_R07.svg");
}

TEST(PartitionMap, CoarserLevelBordersDrawnHeavierOnTop) {
  const v1::Dataset d = grid_dataset(2, 4);
  const DatasetIndex index(d);
  const v1::Partition fine = partition_of(index, {0, 0, 1, 1, 2, 2, 3, 3}, "fine");
  const v1::Partition coarse = partition_of(index, {0, 0, 0, 0, 1, 1, 1, 1}, "coarse");
  PartitionMapOptions options;
  options.coarser = &coarse;
  Expected<std::string> svg = render_partition_map(index, fine, options);
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const std::size_t borders = svg->find("id=\"region-borders\"");
  const std::size_t coarser = svg->find("id=\"coarser-borders\"");
  ASSERT_NE(coarser, std::string::npos);
  EXPECT_LT(borders, coarser);
  EXPECT_NE(svg->find("stroke-width=\"1.1\"", coarser), std::string::npos);
  EXPECT_NE(svg->find("(coarse)"), std::string::npos);
  const v1::Partition foreign = partition_of(index, {0, 0, 0, 0, 0, 0, 0, 0}, "one");
  // One region above everything: the level above has no border of its own, and the
  // coast is left to the regions' borders, so its group draws nothing.
  options.coarser = &foreign;
  Expected<std::string> whole = render_partition_map(index, fine, options);
  ASSERT_TRUE(whole.has_value()) << whole.status().message();
  const std::size_t group = whole->find("id=\"coarser-borders\"");
  ASSERT_NE(group, std::string::npos);
  EXPECT_EQ(whole->find("<polyline", group), std::string::npos) << whole->substr(group, 300);
  v1::Partition partial = foreign;
  partial.mutable_regions(0)->mutable_municipality_codes()->RemoveLast();
  options.coarser = &partial;
  Expected<std::string> bad = render_partition_map(index, fine, options);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.status().message().find("coarser level"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace bre::map
