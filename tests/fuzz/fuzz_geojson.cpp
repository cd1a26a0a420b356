// parse_feature_collection: byte 1 picks whether the "crs" must name EPSG:28992 or
// any is accepted; the rest is the GeoJSON text. The territories of a parsed
// collection then go through the area and centroid computations the importer uses.
#include <cmath>

#include "bre/geometry.hpp"
#include "bre/import/geojson.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::FuzzInput input(data, size);
  import::GeoJsonOptions options;
  options.expected_epsg = (input.take_byte() & 1) != 0 ? 28992 : 0;
  const std::string file = "map.geojson";
  auto features = import::parse_feature_collection(input.rest(), file, options);
  if (!features) {
    fuzz::require_error_names(features.status(), file);
    return 0;
  }
  for (std::size_t i = 0; i < features->size(); ++i) {
    const import::GeoFeature& feature = (*features)[i];
    fuzz::require(feature.index == i, "features are numbered in order");
    for (const auto& polygon : feature.shape.polygons()) {
      fuzz::require(polygon.outer().points_size() >= 3, "an outer ring has at least three distinct positions");
      for (const auto& hole : polygon.holes()) fuzz::require(hole.points_size() >= 3, "a hole has at least three positions");
      for (const auto& point : polygon.outer().points()) {
        fuzz::require(std::isfinite(point.x()) && std::isfinite(point.y()), "coordinates are finite");
      }
    }
    auto missing = feature.property(file, "no such property \x01");
    if (!missing) fuzz::require_error_names(missing.status(), file);
    (void)multipolygon_area(feature.shape);
    (void)multipolygon_centroid(feature.shape);
  }
  return 0;
}
