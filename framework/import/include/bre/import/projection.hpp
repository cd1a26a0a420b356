// Coordinates of any coordinate reference system brought to RD New (EPSG:28992), the
// plane every bre geometry is in (metres; bre/geometry.hpp works on nothing else).
// The transformation is PROJ's (proj_create_crs_to_crs), with the axis order GeoJSON
// uses: x = easting or longitude, y = northing or latitude.
#pragma once

#include <memory>
#include <string>

#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// The CRS a GeoJSON "crs" name designates, as the identifier PROJ is given:
/// "urn:ogc:def:crs:EPSG::28992", "urn:ogc:def:crs:EPSG:6.9:28992", "EPSG:28992" and
/// "EPSG::28992" → "EPSG:28992"; "urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84", "CRS84"
/// → "OGC:CRS84"; "" (no "crs" member) → "OGC:CRS84" (RFC 7946: WGS 84 lon/lat).
/// Any other form is an error naming `where` and the name. Complexity: O(length).
Expected<std::string> crs_identifier(const std::string& crs_name, const std::string& where);

/// A transformation from one CRS to RD New. EPSG:28992 itself is the identity, done
/// without PROJ, so RD New input keeps its coordinates bit for bit.
class ToRdNew {
 public:
  /// Creates the transformation from `identifier` (see crs_identifier). A CRS PROJ
  /// does not know, or one it cannot transform to RD New, is an error naming `where`.
  static Expected<ToRdNew> create(const std::string& identifier, const std::string& where);

  ToRdNew(ToRdNew&&) noexcept;
  ToRdNew& operator=(ToRdNew&&) noexcept;
  ~ToRdNew();

  bool is_identity() const { return state_ == nullptr; }
  const std::string& source() const { return source_; }

  /// Transforms every position of `shape` in place. A position PROJ cannot transform
  /// (outside the CRS's domain, latitude beyond ±90°) is an error naming `where` and
  /// the position as given. Complexity: O(positions).
  Status transform(v1::MultiPolygon& shape, const std::string& where) const;

 private:
  struct State;
  ToRdNew() = default;
  std::string source_;
  std::unique_ptr<State> state_;
};

}  // namespace bre::import
