// Raster copies of bre's SVG maps, rendered by librsvg onto a cairo image surface.
#pragma once

#include <string>

#include "bre/status.hpp"

namespace bre::png {

/// Pixels per millimetre of the map's viewBox (bre's maps measure it in millimetres):
/// 10, i.e. 254 dpi, so an A4-wide map is 2100 pixels wide.
inline constexpr double kPixelsPerMm = 10.0;

/// The 8 bytes every PNG file starts with.
inline constexpr char kSignature[] = "\x89PNG\r\n\x1a\n";

/// `svg` as a PNG on a white background, round(viewBox width × pixels_per_mm) by
/// round(viewBox height × pixels_per_mm) pixels. Errors: SVG that librsvg cannot read,
/// a document without a viewBox, a page of more than 20000 pixels a side.
/// Complexity: O(pixels + SVG size).
Expected<std::string> svg_to_png(const std::string& svg, double pixels_per_mm = kPixelsPerMm);

}  // namespace bre::png
