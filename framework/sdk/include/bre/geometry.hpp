// Plane geometry of municipal territories: area, centroid, point in polygon, and the
// borders municipalities share. Coordinates are metres in a projected system
// (EPSG:28992 for Dutch data); nothing here works on longitude/latitude.
#pragma once

#include <cstdint>
#include <vector>

#include "bre/export.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre BRE_SDK_API {

/// Area in m² of a multipolygon: outer rings minus holes, whatever their orientation.
/// Complexity: O(vertices).
double multipolygon_area(const v1::MultiPolygon& shape);

/// Area-weighted centroid of a multipolygon (holes subtracted). A shape without area
/// gives the mean of its outer-ring vertices. Complexity: O(vertices).
v1::Point multipolygon_centroid(const v1::MultiPolygon& shape);

/// Whether `point` lies inside the shape (even-odd rule over each polygon's outer ring
/// and holes; points exactly on a border may go either way). Complexity: O(vertices).
bool multipolygon_contains(const v1::MultiPolygon& shape, const v1::Point& point);

/// One edge of a municipality's outline, with the municipality on the other side.
struct BorderPiece {
  std::uint32_t municipality;  // index in Dataset.municipalities
  v1::Point from;
  v1::Point to;
  /// Index of the municipality sharing most of this edge's length (at least half of
  /// it), or -1 when the edge is coast, national border or shared with nobody.
  std::int32_t other;
};

/// Every edge of every municipality polygon (outer rings and holes), each tagged
/// with the neighbour across it. Two edges are shared when they are collinear within
/// `tolerance_m` and overlap; vertices need not coincide, so a border simplified on
/// one side only is still found. Complexity: O(E · k) with E edges and k edges per
/// grid cell (a uniform grid over the bounding box).
std::vector<BorderPiece> border_pieces(const v1::Dataset& dataset, double tolerance_m = 1.0);

/// Municipalities sharing a border of positive length (rook contiguity), one entry
/// per pair with a_code < b_code, sorted, with the common length in metres. Pairs
/// that touch in a single point are not neighbours. Municipalities without geometry
/// have no entries. Complexity: that of border_pieces plus O(P log P) for P pairs.
std::vector<v1::Adjacency> municipality_adjacency(const v1::Dataset& dataset, double tolerance_m = 1.0);

}  // namespace bre
