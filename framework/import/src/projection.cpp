#include "bre/import/projection.hpp"

#include <proj.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <vector>

#include "bre/io.hpp"

namespace bre::import {
namespace {

constexpr const char* kRdNew = "EPSG:28992";

bool all_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

Expected<std::string> crs_identifier(const std::string& crs_name, const std::string& where) {
  if (crs_name.empty()) return std::string("OGC:CRS84");
  const std::string name = upper(crs_name);
  // The code is the last ':'-separated part; what precedes it says whose code it is
  // (an OGC URN may carry a version between authority and code).
  const std::size_t colon = name.rfind(':');
  const std::string code = colon == std::string::npos ? name : name.substr(colon + 1);
  const std::string head = colon == std::string::npos ? "" : name.substr(0, colon);
  const bool urn = head.rfind("URN:OGC:DEF:CRS:", 0) == 0;
  const std::string authority = urn ? head.substr(16, head.find(':', 16) - 16) : head.substr(0, head.find(':'));
  if (authority == "EPSG" && all_digits(code)) return "EPSG:" + code;
  if ((authority == "OGC" || head.empty()) && code == "CRS84") return std::string("OGC:CRS84");
  return invalid_argument(where + ": crs: unknown coordinate reference system '" + crs_name +
                          "' (expected an EPSG code such as urn:ogc:def:crs:EPSG::28992 or EPSG:4326, or "
                          "urn:ogc:def:crs:OGC:1.3:CRS84)");
}

// One PROJ context per transformation: a PJ must not be used from two threads, and an
// import is one thread.
struct ToRdNew::State {
  PJ_CONTEXT* context = nullptr;
  PJ* transformation = nullptr;
  ~State() {
    if (transformation != nullptr) proj_destroy(transformation);
    if (context != nullptr) proj_context_destroy(context);
  }
};

ToRdNew::ToRdNew(ToRdNew&&) noexcept = default;
ToRdNew& ToRdNew::operator=(ToRdNew&&) noexcept = default;
ToRdNew::~ToRdNew() = default;

Expected<ToRdNew> ToRdNew::create(const std::string& identifier, const std::string& where) {
  ToRdNew result;
  result.source_ = identifier;
  if (identifier == kRdNew) return result;
  auto state = std::make_unique<State>();
  state->context = proj_context_create();
  if (state->context == nullptr) return internal_error("PROJ: cannot create a context");
  // Quiet: the error is ours to word, from proj_context_errno.
  proj_log_level(state->context, PJ_LOG_NONE);
  PJ* raw = proj_create_crs_to_crs(state->context, identifier.c_str(), kRdNew, nullptr);
  if (raw == nullptr) {
    const int error = proj_context_errno(state->context);
    return invalid_argument(where + ": crs: unknown coordinate reference system '" + identifier +
                            "' (PROJ: " + proj_context_errno_string(state->context, error) + ")");
  }
  // EPSG:4326 is latitude first by definition; GeoJSON writes longitude first.
  state->transformation = proj_normalize_for_visualization(state->context, raw);
  proj_destroy(raw);
  if (state->transformation == nullptr) {
    return invalid_argument(where + ": crs: cannot transform '" + identifier + "' to RD New (EPSG:28992)");
  }
  result.state_ = std::move(state);
  return result;
}

Status ToRdNew::transform(v1::MultiPolygon& shape, const std::string& where) const {
  if (state_ == nullptr) return Status::ok();
  std::vector<v1::Point*> points;
  for (auto& polygon : *shape.mutable_polygons()) {
    for (auto& point : *polygon.mutable_outer()->mutable_points()) points.push_back(&point);
    for (auto& hole : *polygon.mutable_holes()) {
      for (auto& point : *hole.mutable_points()) points.push_back(&point);
    }
  }
  std::vector<double> x(points.size());
  std::vector<double> y(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    x[i] = points[i]->x();
    y[i] = points[i]->y();
  }
  proj_errno_reset(state_->transformation);
  proj_trans_generic(state_->transformation, PJ_FWD, x.data(), sizeof(double), x.size(), y.data(), sizeof(double),
                     y.size(), nullptr, 0, 0, nullptr, 0, 0);
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      return invalid_argument(where + ": position (" + format_csv_number(points[i]->x()) + ", " +
                              format_csv_number(points[i]->y()) + ") cannot be transformed from " + source_ +
                              " to RD New (EPSG:28992): outside the CRS's area, or x and y swapped?");
    }
    points[i]->set_x(x[i]);
    points[i]->set_y(y[i]);
  }
  return Status::ok();
}

}  // namespace bre::import
