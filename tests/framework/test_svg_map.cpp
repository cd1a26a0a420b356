// The map library (bre/map): the DSatur colouring against properties a wrong
// colouring breaks, class bounds against hand-computed values, XML escaping, and the
// three renderers read back with a real XML parser (tests/support/svg_inspect.hpp) on
// the demo dataset and on hand-made grids.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
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
  EXPECT_EQ(touching->edges()[0].u, 0u);
  EXPECT_EQ(touching->edges()[0].v, 1u);
  EXPECT_EQ(touching->edges()[1].u, 1u);
  EXPECT_EQ(touching->edges()[1].v, 2u);
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
  EXPECT_EQ(classes.bounds(), (std::vector<double>{0, 2.5, 5, 7.5, 10}));
  EXPECT_EQ(classes.counts(), (std::vector<std::size_t>{2, 1, 0, 1}));
  // Range 10: one decimal.
  EXPECT_EQ(classes.labels()[0], "0.0 \u2013 2.5");
  EXPECT_EQ(classes.labels()[3], "7.5 \u2013 10.0");
  const std::vector<double> shares = {0.25, 0.5, 0.75, 1.0};
  ValueClassification fine(shares, {ClassMethod::kEqualInterval, 3});
  ASSERT_TRUE(fine.run().is_ok());
  EXPECT_EQ(fine.labels()[0], "0.250 \u2013 0.500");  // range 0.75: three decimals
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
  EXPECT_NE(map.title_by_code.at(left_out[0]).find("unassigned"), std::string::npos);
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
  Expected<std::string> svg = render_network_map(demo.index, network, {});
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = expect_well_formed_map(*svg, demo.index);
  EXPECT_EQ(map.tie_lines, static_cast<int>(graph->edge_count()));
  ASSERT_GE(map.tie_strokes.size(), 3u);
  // Class groups in order from light to dark: the sum of RGB falls.
  auto brightness = [](const std::string& hex) {
    return std::stoi(hex.substr(1, 2), nullptr, 16) + std::stoi(hex.substr(3, 2), nullptr, 16) +
           std::stoi(hex.substr(5, 2), nullptr, 16);
  };
  for (std::size_t c = 1; c < map.tie_strokes.size(); ++c) {
    EXPECT_LT(brightness(map.tie_strokes[c]), brightness(map.tie_strokes[c - 1]));
  }
  Expected<std::string> again = render_network_map(demo.index, network, {});
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
  options.value_label = "Confidence";
  options.classes = {ClassMethod::kEqualInterval, 2};
  Expected<std::string> svg = render_value_map(index, values, nullptr, options);
  ASSERT_TRUE(svg.has_value()) << svg.status().message();
  const test::SvgInspection map = expect_well_formed_map(*svg, index);
  // Range 0.8 → 3 decimals; bounds 0.1, 0.5, 0.9: three values below 0.5, one above.
  const std::vector<std::string> expected_legend = {"Confidence", "0.100 \u2013 0.500 (3)", "0.500 \u2013 0.900 (1)",
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

}  // namespace
}  // namespace bre::map
