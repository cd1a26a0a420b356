// GeoJSON FeatureCollections of Polygon / MultiPolygon features: the CBS/PDOK district
// maps in RD New (EPSG:28992), or any map in the CRS its "crs" member names
// (bre/import/projection.hpp brings it to RD New).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// One feature: its index in the collection, its scalar properties as text (numbers
/// as written, true/false, null as empty) and its territory.
struct GeoFeature {
  std::size_t index = 0;
  std::map<std::string, std::string> properties;
  v1::MultiPolygon shape;  // rings without the repeated closing position

  /// The property `name`, or an error naming the file, the feature and the property.
  Expected<std::string> property(const std::string& file, const std::string& name) const;
};

struct GeoJsonOptions {
  /// EPSG code the collection's "crs" must name when it has one; 0 = accept any.
  int expected_epsg = 28992;
};

/// A FeatureCollection with the CRS it declares.
struct FeatureCollection {
  /// crs.properties.name as written ("urn:ogc:def:crs:EPSG::28992"); empty when the
  /// collection has no "crs" member (RFC 7946: WGS 84 longitude/latitude).
  std::string crs;
  std::vector<GeoFeature> features;
};

/// Parses a FeatureCollection in any CRS (see parse_feature_collection for the errors);
/// a "crs" member without a string properties.name is an error.
Expected<FeatureCollection> parse_geojson(std::string_view text, const std::string& file);

/// Reads and parses a file in any CRS; errors name `display_name` (default: the path).
Expected<FeatureCollection> read_geojson(const std::string& path, const std::string& display_name = "");

/// Parses a FeatureCollection. Errors name the file and the place: JSON syntax with
/// line and column; then "feature 12: geometry.coordinates[0][1]: a ring needs at
/// least 4 positions, found 3", a ring whose last position differs from its first,
/// a geometry type other than Polygon or MultiPolygon, a non-numeric coordinate, a
/// "crs" naming another EPSG code. Complexity: O(size of text).
Expected<std::vector<GeoFeature>> parse_feature_collection(std::string_view text, const std::string& file,
                                                           const GeoJsonOptions& options = {});

/// Reads and parses a file; errors name `display_name` (default: the path).
Expected<std::vector<GeoFeature>> read_feature_collection(const std::string& path, const GeoJsonOptions& options = {},
                                                          const std::string& display_name = "");

}  // namespace bre::import
