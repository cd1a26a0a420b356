#include "bre/export/png.hpp"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <memory>

namespace bre::png {
namespace {

// Pages larger than this are a mistake in the scale, not a map (20000² × 4 bytes = 1.6 GB).
constexpr double kMaxPixelsASide = 20000;

struct GErrorFree {
  void operator()(GError* error) const { g_error_free(error); }
};
struct HandleUnref {
  void operator()(RsvgHandle* handle) const { g_object_unref(handle); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct ContextDestroy {
  void operator()(cairo_t* context) const { cairo_destroy(context); }
};

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string message_of(GError* error) { return error != nullptr && error->message != nullptr ? error->message : "no reason given"; }

}  // namespace

Expected<std::string> svg_to_png(const std::string& svg, double pixels_per_mm) {
  if (!(pixels_per_mm > 0) || !std::isfinite(pixels_per_mm)) {
    return invalid_argument("PNG scale: expected a positive number of pixels per millimetre");
  }
  GError* raw_error = nullptr;
  std::unique_ptr<RsvgHandle, HandleUnref> handle(
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &raw_error));
  std::unique_ptr<GError, GErrorFree> error(raw_error);
  if (!handle) return invalid_argument("SVG: librsvg cannot read it: " + message_of(error.get()));
  gboolean has_viewbox = FALSE;
  RsvgRectangle viewbox{};
  rsvg_handle_get_intrinsic_dimensions(handle.get(), nullptr, nullptr, nullptr, nullptr, &has_viewbox, &viewbox);
  if (!has_viewbox) return invalid_argument("SVG: expected a viewBox (in millimetres), found none");
  const double width = std::round(viewbox.width * pixels_per_mm);
  const double height = std::round(viewbox.height * pixels_per_mm);
  if (!(width >= 1 && height >= 1 && width <= kMaxPixelsASide && height <= kMaxPixelsASide)) {
    return invalid_argument("SVG: a page of " + std::to_string(width) + " × " + std::to_string(height) +
                            " pixels; expected 1 to 20000 a side");
  }
  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, static_cast<int>(width), static_cast<int>(height)));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return internal_error(std::string("PNG: cannot allocate the image: ") +
                          cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  std::unique_ptr<cairo_t, ContextDestroy> context(cairo_create(surface.get()));
  // Paper is white; a transparent page would show the viewer's background instead.
  cairo_set_source_rgb(context.get(), 1, 1, 1);
  cairo_paint(context.get());
  const RsvgRectangle page{0, 0, width, height};
  raw_error = nullptr;
  if (!rsvg_handle_render_document(handle.get(), context.get(), &page, &raw_error)) {
    error.reset(raw_error);
    return internal_error("PNG: librsvg cannot draw the SVG: " + message_of(error.get()));
  }
  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), append_bytes, &png) != CAIRO_STATUS_SUCCESS) {
    return internal_error("PNG: cairo cannot encode the image");
  }
  return png;
}

}  // namespace bre::png
