// Areas, centroids and shared borders, against values computed by hand.
#include <gtest/gtest.h>

#include <initializer_list>
#include <utility>

#include "bre/geometry.hpp"

namespace bre {
namespace {

v1::Ring ring(std::initializer_list<std::pair<double, double>> points) {
  v1::Ring out;
  for (auto [x, y] : points) {
    auto* p = out.add_points();
    p->set_x(x);
    p->set_y(y);
  }
  return out;
}

v1::Point at(double x, double y) {
  v1::Point p;
  p.set_x(x);
  p.set_y(y);
  return p;
}

void add_square(v1::Dataset& d, const std::string& code, double x, double y, double side) {
  auto* m = d.add_municipalities();
  m->set_code(code);
  *m->mutable_geometry()->add_polygons()->mutable_outer() =
      ring({{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}});
}

TEST(Geometry, AreaAndCentroidOfASquareWithAHoleAtRdScale) {
  // 10 x 10 km square at RD-like coordinates, with a 2 x 2 km hole in its lower-left
  // quarter, wound clockwise to check orientation does not matter.
  v1::MultiPolygon shape;
  auto* polygon = shape.add_polygons();
  *polygon->mutable_outer() =
      ring({{150000, 450000}, {150000, 460000}, {160000, 460000}, {160000, 450000}});
  *polygon->add_holes() = ring({{151000, 451000}, {153000, 451000}, {153000, 453000}, {151000, 453000}});
  EXPECT_DOUBLE_EQ(multipolygon_area(shape), 100e6 - 4e6);
  // Centroid: (100 * (155, 455) - 4 * (152, 452)) / 96 km.
  const v1::Point c = multipolygon_centroid(shape);
  EXPECT_NEAR(c.x(), (100.0 * 155000 - 4.0 * 152000) / 96.0, 1e-6);
  EXPECT_NEAR(c.y(), (100.0 * 455000 - 4.0 * 452000) / 96.0, 1e-6);
  EXPECT_TRUE(multipolygon_contains(shape, at(158000, 458000)));
  EXPECT_FALSE(multipolygon_contains(shape, at(152000, 452000)));  // in the hole
  EXPECT_FALSE(multipolygon_contains(shape, at(149000, 455000)));
}

TEST(Geometry, SharedBorderNeedsALengthNotACorner) {
  v1::Dataset d;
  add_square(d, "GM0001", 0, 0, 100);
  add_square(d, "GM0002", 100, 0, 100);    // shares the edge x = 100
  add_square(d, "GM0003", 200, 100, 100);  // touches GM0002 in one corner only
  const auto adjacency = municipality_adjacency(d);
  ASSERT_EQ(adjacency.size(), 1u);
  EXPECT_EQ(adjacency[0].a_code(), "GM0001");
  EXPECT_EQ(adjacency[0].b_code(), "GM0002");
  EXPECT_DOUBLE_EQ(adjacency[0].shared_border_m(), 100.0);
}

TEST(Geometry, BorderWithAVertexOnOneSideOnlyIsStillShared) {
  v1::Dataset d;
  add_square(d, "GM0001", 0, 0, 100);
  // Its neighbour's left edge has an extra vertex at (100, 40) and is offset by 0.4 m,
  // within the 1 m tolerance.
  auto* m = d.add_municipalities();
  m->set_code("GM0002");
  *m->mutable_geometry()->add_polygons()->mutable_outer() =
      ring({{100.4, 0}, {200, 0}, {200, 60}, {100.4, 60}, {100.4, 40}});
  const auto adjacency = municipality_adjacency(d);
  ASSERT_EQ(adjacency.size(), 1u);
  EXPECT_NEAR(adjacency[0].shared_border_m(), 60.0, 0.1);

  const auto pieces = border_pieces(d);
  int shared = 0;
  for (const auto& piece : pieces) shared += piece.other >= 0;
  // GM0001's right edge (60 of 100 m shared: more than half) and GM0002's two left edges.
  EXPECT_EQ(shared, 3);
  EXPECT_TRUE(municipality_adjacency(d, 0.1).empty());  // beyond a tighter tolerance
}

TEST(Geometry, NoGeometryMeansNoNeighbours) {
  v1::Dataset d;
  d.add_municipalities()->set_code("GM0001");
  d.add_municipalities()->set_code("GM0002");
  EXPECT_TRUE(municipality_adjacency(d).empty());
  EXPECT_TRUE(border_pieces(d).empty());
  EXPECT_DOUBLE_EQ(multipolygon_area(d.municipalities(0).geometry()), 0.0);
}

}  // namespace
}  // namespace bre
