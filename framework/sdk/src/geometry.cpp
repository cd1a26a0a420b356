#include "bre/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace bre {
namespace {

// Shoelace terms relative to the ring's first vertex: RD coordinates are ~10^5 m, and
// products of such numbers lose the digits that small municipalities need.
struct RingMoments {
  double area = 0.0;  // signed
  double moment_x = 0.0;
  double moment_y = 0.0;
};

RingMoments ring_moments(const v1::Ring& ring) {
  RingMoments out;
  const int n = ring.points_size();
  if (n < 3) return out;
  const double ox = ring.points(0).x();
  const double oy = ring.points(0).y();
  double twice_area = 0.0;
  double cx = 0.0;
  double cy = 0.0;
  for (int i = 0; i < n; ++i) {
    const auto& p = ring.points(i);
    const auto& q = ring.points((i + 1) % n);
    const double px = p.x() - ox, py = p.y() - oy, qx = q.x() - ox, qy = q.y() - oy;
    const double cross = px * qy - qx * py;
    twice_area += cross;
    cx += (px + qx) * cross;
    cy += (py + qy) * cross;
  }
  out.area = twice_area / 2.0;
  if (twice_area != 0.0) {
    out.moment_x = out.area * (ox + cx / (3.0 * twice_area));
    out.moment_y = out.area * (oy + cy / (3.0 * twice_area));
  }
  return out;
}

bool ring_contains(const v1::Ring& ring, double x, double y) {
  bool inside = false;
  const int n = ring.points_size();
  for (int i = 0, j = n - 1; i < n; j = i++) {
    const auto& a = ring.points(i);
    const auto& b = ring.points(j);
    if ((a.y() > y) != (b.y() > y) && x < (b.x() - a.x()) * (y - a.y()) / (b.y() - a.y()) + a.x()) inside = !inside;
  }
  return inside;
}

template <typename RingVisitor>
void for_each_ring(const v1::MultiPolygon& shape, RingVisitor visit) {
  for (const auto& polygon : shape.polygons()) {
    visit(polygon.outer(), false);
    for (const auto& hole : polygon.holes()) visit(hole, true);
  }
}

struct Segment {
  std::uint32_t municipality;
  double ax, ay, bx, by;
  double length() const { return std::hypot(bx - ax, by - ay); }
};

// Length of the part of `t` that runs along `s` within `tolerance` (0 if they are not
// collinear within it).
double overlap_length(const Segment& s, const Segment& t, double tolerance) {
  const double length = s.length();
  if (length <= 0.0) return 0.0;
  const double ux = (s.bx - s.ax) / length, uy = (s.by - s.ay) / length;
  auto along = [&](double x, double y) { return (x - s.ax) * ux + (y - s.ay) * uy; };
  auto across = [&](double x, double y) { return std::abs((x - s.ax) * uy - (y - s.ay) * ux); };
  if (across(t.ax, t.ay) > tolerance || across(t.bx, t.by) > tolerance) return 0.0;
  const double t0 = along(t.ax, t.ay), t1 = along(t.bx, t.by);
  return std::max(0.0, std::min(length, std::max(t0, t1)) - std::max(0.0, std::min(t0, t1)));
}

// Every edge with, per other municipality, the length it shares with it.
struct SharedEdges {
  std::vector<Segment> segments;
  std::vector<std::vector<std::pair<std::uint32_t, double>>> shared;  // per segment, sorted by municipality
};

SharedEdges find_shared_edges(const v1::Dataset& dataset, double tolerance) {
  SharedEdges out;
  double min_x = std::numeric_limits<double>::infinity(), min_y = min_x, max_x = -min_x, max_y = -min_x;
  for (int m = 0; m < dataset.municipalities_size(); ++m) {
    for_each_ring(dataset.municipalities(m).geometry(), [&](const v1::Ring& ring, bool) {
      const int n = ring.points_size();
      for (int i = 0; i < n && n >= 2; ++i) {
        const auto& p = ring.points(i);
        const auto& q = ring.points((i + 1) % n);
        if (p.x() == q.x() && p.y() == q.y()) continue;
        out.segments.push_back({static_cast<std::uint32_t>(m), p.x(), p.y(), q.x(), q.y()});
        min_x = std::min({min_x, p.x()});
        min_y = std::min({min_y, p.y()});
        max_x = std::max({max_x, p.x()});
        max_y = std::max({max_y, p.y()});
      }
    });
  }
  out.shared.resize(out.segments.size());
  if (out.segments.empty()) return out;

  // A uniform grid with about as many cells as edges; each edge is entered in every
  // cell its (tolerance-widened) bounding box touches.
  const double span = std::max({max_x - min_x, max_y - min_y, 1.0});
  const int cells_per_side = std::clamp(static_cast<int>(std::sqrt(static_cast<double>(out.segments.size()))), 1, 2048);
  const double cell = span / cells_per_side + tolerance;
  auto cell_of = [&](double v, double lo) {
    return std::clamp(static_cast<int>((v - lo) / cell), 0, cells_per_side);
  };
  const int side = cells_per_side + 1;
  std::vector<std::vector<std::uint32_t>> grid(static_cast<std::size_t>(side) * side);
  auto cells = [&](const Segment& s, auto visit) {
    const int x0 = cell_of(std::min(s.ax, s.bx) - tolerance, min_x), x1 = cell_of(std::max(s.ax, s.bx) + tolerance, min_x);
    const int y0 = cell_of(std::min(s.ay, s.by) - tolerance, min_y), y1 = cell_of(std::max(s.ay, s.by) + tolerance, min_y);
    for (int y = y0; y <= y1; ++y) {
      for (int x = x0; x <= x1; ++x) visit(grid[static_cast<std::size_t>(y) * side + x]);
    }
  };
  for (std::uint32_t i = 0; i < out.segments.size(); ++i) {
    cells(out.segments[i], [&](std::vector<std::uint32_t>& bucket) { bucket.push_back(i); });
  }
  std::vector<std::uint32_t> seen_by(out.segments.size(), std::numeric_limits<std::uint32_t>::max());
  for (std::uint32_t i = 0; i < out.segments.size(); ++i) {
    const Segment& s = out.segments[i];
    std::map<std::uint32_t, double> by_municipality;
    cells(s, [&](const std::vector<std::uint32_t>& bucket) {
      for (std::uint32_t j : bucket) {
        const Segment& t = out.segments[j];
        if (t.municipality == s.municipality || seen_by[j] == i) continue;
        seen_by[j] = i;
        if (const double overlap = overlap_length(s, t, tolerance); overlap > 0.0) by_municipality[t.municipality] += overlap;
      }
    });
    out.shared[i].assign(by_municipality.begin(), by_municipality.end());
  }
  return out;
}

v1::Point point(double x, double y) {
  v1::Point p;
  p.set_x(x);
  p.set_y(y);
  return p;
}

}  // namespace

double multipolygon_area(const v1::MultiPolygon& shape) {
  double area = 0.0;
  for (const auto& polygon : shape.polygons()) {
    double polygon_area = std::abs(ring_moments(polygon.outer()).area);
    for (const auto& hole : polygon.holes()) polygon_area -= std::abs(ring_moments(hole).area);
    area += polygon_area;
  }
  return area;
}

v1::Point multipolygon_centroid(const v1::MultiPolygon& shape) {
  double area = 0.0, mx = 0.0, my = 0.0;
  double sum_x = 0.0, sum_y = 0.0;
  int vertices = 0;
  for_each_ring(shape, [&](const v1::Ring& ring, bool hole) {
    RingMoments r = ring_moments(ring);
    // Outer rings add, holes subtract, whatever way they are wound.
    const double sign = ((r.area < 0) != hole) ? -1.0 : 1.0;
    area += sign * r.area;
    mx += sign * r.moment_x;
    my += sign * r.moment_y;
    if (!hole) {
      for (const auto& p : ring.points()) {
        sum_x += p.x();
        sum_y += p.y();
        ++vertices;
      }
    }
  });
  if (area > 0.0) return point(mx / area, my / area);
  if (vertices > 0) return point(sum_x / vertices, sum_y / vertices);
  return point(0.0, 0.0);
}

bool multipolygon_contains(const v1::MultiPolygon& shape, const v1::Point& p) {
  for (const auto& polygon : shape.polygons()) {
    if (!ring_contains(polygon.outer(), p.x(), p.y())) continue;
    bool in_hole = false;
    for (const auto& hole : polygon.holes()) in_hole = in_hole || ring_contains(hole, p.x(), p.y());
    if (!in_hole) return true;
  }
  return false;
}

std::vector<BorderPiece> border_pieces(const v1::Dataset& dataset, double tolerance_m) {
  const SharedEdges edges = find_shared_edges(dataset, tolerance_m);
  std::vector<BorderPiece> pieces;
  pieces.reserve(edges.segments.size());
  for (std::size_t i = 0; i < edges.segments.size(); ++i) {
    const Segment& s = edges.segments[i];
    std::int32_t other = -1;
    double best = 0.5 * s.length();
    for (const auto& [municipality, length] : edges.shared[i]) {
      if (length >= best) {
        best = length;
        other = static_cast<std::int32_t>(municipality);
      }
    }
    pieces.push_back({s.municipality, point(s.ax, s.ay), point(s.bx, s.by), other});
  }
  return pieces;
}

std::vector<v1::Adjacency> municipality_adjacency(const v1::Dataset& dataset, double tolerance_m) {
  const SharedEdges edges = find_shared_edges(dataset, tolerance_m);
  // Each common border is seen from both sides; count it from the side whose code sorts first.
  std::map<std::pair<std::string, std::string>, double> length_by_pair;
  for (std::size_t i = 0; i < edges.segments.size(); ++i) {
    const std::string& own = dataset.municipalities(static_cast<int>(edges.segments[i].municipality)).code();
    for (const auto& [municipality, length] : edges.shared[i]) {
      const std::string& other = dataset.municipalities(static_cast<int>(municipality)).code();
      if (own < other) length_by_pair[{own, other}] += length;
    }
  }
  std::vector<v1::Adjacency> out;
  out.reserve(length_by_pair.size());
  for (const auto& [pair, length] : length_by_pair) {
    v1::Adjacency adjacency;
    adjacency.set_a_code(pair.first);
    adjacency.set_b_code(pair.second);
    adjacency.set_shared_border_m(std::round(length * 10.0) / 10.0);
    out.push_back(std::move(adjacency));
  }
  return out;
}

}  // namespace bre
