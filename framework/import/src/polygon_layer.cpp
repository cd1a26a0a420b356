#include "bre/import/polygon_layer.hpp"

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <mutex>
#include <utility>

namespace bre::import {
namespace {

std::string gdal_reason() {
  const char* message = CPLGetLastErrorMsg();
  return message != nullptr && *message != '\0' ? message : "GDAL gave no reason";
}

// A layer that may hold municipalities: declared Polygon or MultiPolygon, or of any
// geometry type (a GeoPackage converted from a GeoJSON that mixes the two is), whose
// features are then checked one by one.
bool may_hold_polygons(OGRwkbGeometryType type) {
  const OGRwkbGeometryType flat = wkbFlatten(type);
  return flat == wkbPolygon || flat == wkbMultiPolygon || flat == wkbUnknown;
}

// "gemeenten (Multi Polygon), punten (Point)" for errors.
std::string layer_list(GDALDataset& dataset) {
  std::string out;
  for (OGRLayer* layer : dataset.GetLayers()) {
    out += (out.empty() ? "" : ", ") + std::string(layer->GetName()) + " (" +
           OGRGeometryTypeToName(layer->GetGeomType()) + ")";
  }
  return out.empty() ? "none" : out;
}

// The identifier PROJ is given for the layer's spatial reference.
Expected<std::string> crs_of(OGRLayer& layer, const std::string& where) {
  const OGRSpatialReference* reference = layer.GetSpatialRef();
  if (reference == nullptr) {
    return invalid_argument(where + ": the layer has no spatial reference (expected a CRS such as EPSG:28992)");
  }
  OGRSpatialReference copy(*reference);
  const char* authority = copy.GetAuthorityName(nullptr);
  if (authority == nullptr && copy.AutoIdentifyEPSG() == OGRERR_NONE) authority = copy.GetAuthorityName(nullptr);
  const char* code = copy.GetAuthorityCode(nullptr);
  if (authority != nullptr && code != nullptr && std::string(authority) == "EPSG") return "EPSG:" + std::string(code);
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  if (copy.exportToWkt(&wkt, options) != OGRERR_NONE || wkt == nullptr) {
    CPLFree(wkt);
    return invalid_argument(where + ": the layer's spatial reference cannot be written as WKT: " + gdal_reason());
  }
  std::string text(wkt);
  CPLFree(wkt);
  return text;
}

Status read_ring(const OGRLinearRing& ring, const std::string& where, v1::Ring& out) {
  const int count = ring.getNumPoints();
  if (count < 4) {
    return invalid_argument(where + ": a ring needs at least 4 positions (closed, first = last), found " +
                            std::to_string(count));
  }
  // OGR rings repeat the first position at the end; bre rings do not.
  const bool closed = ring.getX(0) == ring.getX(count - 1) && ring.getY(0) == ring.getY(count - 1);
  for (int i = 0; i < (closed ? count - 1 : count); ++i) {
    v1::Point* point = out.add_points();
    point->set_x(ring.getX(i));
    point->set_y(ring.getY(i));
  }
  return Status::ok();
}

Status read_polygon(const OGRPolygon& polygon, const std::string& where, v1::Polygon& out) {
  if (polygon.IsEmpty()) return invalid_argument(where + ": an empty polygon");
  if (Status s = read_ring(*polygon.getExteriorRing(), where + ": outer ring", *out.mutable_outer()); !s) return s;
  for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
    const std::string at = where + ": hole " + std::to_string(i);
    if (Status s = read_ring(*polygon.getInteriorRing(i), at, *out.add_holes()); !s) return s;
  }
  return Status::ok();
}

Status read_shape(const OGRGeometry* geometry, const std::string& where, v1::MultiPolygon& out) {
  if (geometry == nullptr || geometry->IsEmpty()) {
    return invalid_argument(where + ": geometry: empty (expected Polygon or MultiPolygon)");
  }
  const OGRwkbGeometryType type = wkbFlatten(geometry->getGeometryType());
  if (type == wkbPolygon) return read_polygon(*geometry->toPolygon(), where + ": geometry", *out.add_polygons());
  if (type == wkbMultiPolygon) {
    const OGRMultiPolygon& multi = *geometry->toMultiPolygon();
    for (int i = 0; i < multi.getNumGeometries(); ++i) {
      const std::string at = where + ": geometry: polygon " + std::to_string(i);
      if (Status s = read_polygon(*multi.getGeometryRef(i), at, *out.add_polygons()); !s) return s;
    }
    return Status::ok();
  }
  return invalid_argument(where + ": geometry: expected Polygon or MultiPolygon, found '" +
                          OGRGeometryTypeToName(geometry->getGeometryType()) + "'");
}

}  // namespace

Expected<PolygonLayer> read_polygon_layer(const std::string& path, const std::string& layer_name) {
  static std::once_flag registered;
  std::call_once(registered, [] { GDALAllRegister(); });
  // GDAL would print its errors; they are returned with the path instead.
  CPLErrorHandlerPusher quiet(CPLQuietErrorHandler);
  CPLErrorReset();
  std::unique_ptr<GDALDataset> dataset(
      GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!dataset) return invalid_argument(path + ": cannot open as vector data (GDAL/OGR): " + gdal_reason());

  OGRLayer* layer = nullptr;
  if (!layer_name.empty()) {
    layer = dataset->GetLayerByName(layer_name.c_str());
    if (layer == nullptr) {
      return invalid_argument(path + ": no layer '" + layer_name + "' (layers: " + layer_list(*dataset) + ")");
    }
  } else {
    for (OGRLayer* candidate : dataset->GetLayers()) {
      if (!may_hold_polygons(candidate->GetGeomType())) continue;
      if (layer != nullptr) {
        return invalid_argument(path + ": several polygon layers; name one with --layer (layers: " +
                                layer_list(*dataset) + ")");
      }
      layer = candidate;
    }
    if (layer == nullptr) {
      return invalid_argument(path + ": no layer of polygons (layers: " + layer_list(*dataset) +
                              "); expected one with geometry type Polygon or MultiPolygon");
    }
  }

  PolygonLayer out;
  out.name = layer->GetName();
  out.where = path + ": layer '" + out.name + "'";
  Expected<std::string> crs = crs_of(*layer, out.where);
  if (!crs) return crs.status();
  out.crs = std::move(*crs);
  const OGRFeatureDefn& definition = *layer->GetLayerDefn();
  for (int i = 0; i < definition.GetFieldCount(); ++i) out.fields.emplace_back(definition.GetFieldDefn(i)->GetNameRef());

  CPLErrorReset();
  layer->ResetReading();
  for (auto& feature : *layer) {
    GeoFeature read;
    // Formats without FIDs number the features from 0, as GeoJSON errors do.
    const GIntBig fid = feature->GetFID();
    read.index = fid == OGRNullFID ? out.features.size() : static_cast<std::size_t>(fid);
    const std::string where = out.where + ": feature " + std::to_string(read.index);
    for (int i = 0; i < definition.GetFieldCount(); ++i) {
      read.properties[out.fields[i]] = feature->IsFieldSetAndNotNull(i) ? feature->GetFieldAsString(i) : "";
    }
    if (Status s = read_shape(feature->GetGeometryRef(), where, read.shape); !s) return s;
    out.features.push_back(std::move(read));
  }
  if (CPLGetLastErrorType() >= CE_Failure) return invalid_argument(out.where + ": reading failed: " + gdal_reason());
  return out;
}

}  // namespace bre::import
