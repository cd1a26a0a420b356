// A polygon layer of any vector format GDAL/OGR reads (GeoPackage, Shapefile,
// FlatGeobuf, GML, ...): the municipality map of `bre import files` when it is not
// GeoJSON. The layer's spatial reference names its CRS; bre/import/projection.hpp
// brings the polygons to RD New.
#pragma once

#include <string>
#include <vector>

#include "bre/import/geojson.hpp"
#include "bre/status.hpp"

namespace bre::import {

struct PolygonLayer {
  std::string name;                 // the layer's name
  std::string where;                // "m.gpkg: layer 'gemeenten'", the prefix of errors about it
  /// The CRS as PROJ is given it: "EPSG:28992" when the spatial reference has (or
  /// GDAL identifies) an EPSG code, else its WKT.
  std::string crs;
  std::vector<std::string> fields;  // attribute names, in the layer's order
  /// index = the feature's FID; properties as text (GDAL's string form), null as
  /// empty; shapes in the layer's CRS, x = easting or longitude, without the closing
  /// position of each ring.
  std::vector<GeoFeature> features;
};

/// Reads the layer `layer` of `path`, or with `layer` empty the file's only layer of
/// polygons (declared Polygon, MultiPolygon or any geometry type). Errors name `path`: a file GDAL cannot open as vector data; no polygon
/// layer, or several without `layer` (the layers listed, with their geometry types);
/// no layer of that name; a layer without a spatial reference; then per feature (FID)
/// a missing or empty geometry, a type other than Polygon or MultiPolygon, a ring of
/// fewer than 4 positions. Z and M are dropped. Complexity: O(positions).
Expected<PolygonLayer> read_polygon_layer(const std::string& path, const std::string& layer);

}  // namespace bre::import
