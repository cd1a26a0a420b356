#include "bre/map/svg_map.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <cctype>
#include <string>
#include <utility>

#include "bre/geometry.hpp"
#include "bre/io.hpp"
#include "bre/map/colouring.hpp"
#include "bre/network.hpp"
#include "bre/partition.hpp"

namespace bre::map {

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      switch (byte) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\t':
        case '\n':
        case '\r': out += ' '; break;
        default:
          // XML 1.0 forbids the other C0 controls even as character references.
          if (byte < 0x20 || byte == 0x7f) {
            out += "\uFFFD";
          } else {
            out += static_cast<char>(byte);
          }
      }
      ++i;
      continue;
    }
    const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    const std::string_view sequence = text.substr(i, length);
    if (length > 1 && sequence.size() == length && is_valid_utf8(sequence)) {
      out += sequence;
      i += length;
    } else {
      out += "\uFFFD";
      ++i;
    }
  }
  return out;
}

std::string format_mm(double millimetres) {
  // Clamped before rounding: llround is unspecified beyond ±9.2e18 and NaN has no
  // integer, and a page coordinate far off the page draws the same either way.
  const double clamped = std::isnan(millimetres) ? 0.0 : std::clamp(millimetres, -kMaxFormattedMm, kMaxFormattedMm);
  const long long hundredths = std::llround(clamped * 100.0);
  const unsigned long long magnitude = static_cast<unsigned long long>(hundredths < 0 ? -hundredths : hundredths);
  std::string text = (hundredths < 0 ? "-" : "") + std::to_string(magnitude / 100);
  const unsigned long long fraction = magnitude % 100;
  if (fraction != 0) {
    text += '.';
    text += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0) text += static_cast<char>('0' + fraction % 10);
  }
  return text;
}

Expected<RegionLabel> parse_region_label(const std::string& text) {
  if (text == "name") return RegionLabel::kName;
  if (text == "id") return RegionLabel::kId;
  return invalid_argument("region label: expected name or id, found '" + text + "'");
}

namespace {

// Page geometry in millimetres (A4 is 210 × 297).
constexpr double kPageWidth = 210.0;
constexpr double kMaxPageHeight = 297.0;
constexpr double kMargin = 10.0;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kTitleSize = 5.0;
constexpr double kSubtitleSize = 3.0;
constexpr double kSubtitleRow = 4.0;
constexpr double kGap = 5.0;            // between map and legend
constexpr double kLegendHeadingSize = 3.2;
constexpr double kLegendTextSize = 2.8;
constexpr double kLegendRow = 5.0;
constexpr double kNoteSize = 2.5;
constexpr double kNoteRow = 3.4;
constexpr double kMinMapHeight = 120.0;  // a long legend may push the page past A4, never shrink the map further
constexpr double kLabelSize = 2.6;
// Average advance of a sans-serif glyph as a share of the font size; no font metrics
// are available, and text is only placed and wrapped with it, never clipped.
constexpr double kGlyphWidth = 0.56;

constexpr const char* kHatchId = "no-data-hatch";
constexpr const char* kMunicipalityStroke = "#ffffff";
constexpr const char* kRegionBorderColour = "#303030";
constexpr double kRegionBorderWidth = 0.45;
constexpr double kRegionBorderCasingWidth = 0.95;
constexpr const char* kCoarserBorderColour = "#000000";
constexpr double kCoarserBorderWidth = 1.1;

std::size_t glyph_count(const std::string& utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

double text_width(const std::string& utf8, double font_size) {
  return static_cast<double>(glyph_count(utf8)) * font_size * kGlyphWidth;
}

struct Bounds {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

// Where a municipality's name and code come from in messages.
std::string describe(const DatasetIndex& index, std::size_t i) {
  const auto& m = index.municipality_at(i);
  return "municipalities[" + std::to_string(i) + "] '" + m.code() + "' (" + m.name() + ")";
}

// Every municipality has a polygon with at least three points and finite coordinates.
Expected<Bounds> check_geometry(const DatasetIndex& index) {
  if (index.municipality_count() == 0) {
    return invalid_argument("dataset '" + index.dataset().name() +
                            "': expected at least one municipality to draw, found none");
  }
  Bounds bounds{INFINITY, INFINITY, -INFINITY, -INFINITY};
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    const v1::MultiPolygon& shape = index.municipality_at(i).geometry();
    bool has_polygon = false;
    for (const v1::Polygon& polygon : shape.polygons()) {
      has_polygon = has_polygon || polygon.outer().points_size() >= 3;
      auto check_ring = [&](const v1::Ring& ring) -> Status {
        for (const v1::Point& p : ring.points()) {
          if (!std::isfinite(p.x()) || !std::isfinite(p.y())) {
            return invalid_argument(describe(index, i) + ".geometry: expected finite coordinates, found (" +
                                    std::to_string(p.x()) + ", " + std::to_string(p.y()) + ")");
          }
          bounds.min_x = std::min(bounds.min_x, p.x());
          bounds.max_x = std::max(bounds.max_x, p.x());
          bounds.min_y = std::min(bounds.min_y, p.y());
          bounds.max_y = std::max(bounds.max_y, p.y());
        }
        return Status::ok();
      };
      BRE_RETURN_IF_ERROR(check_ring(polygon.outer()));
      for (const v1::Ring& hole : polygon.holes()) BRE_RETURN_IF_ERROR(check_ring(hole));
    }
    if (!has_polygon) {
      return invalid_argument(describe(index, i) +
                              ".geometry: expected a polygon of at least three points to draw, found none");
    }
  }
  return bounds;
}

// One legend line: a swatch and its label.
struct LegendEntry {
  enum class Swatch { kFill, kHatch, kLine };
  Swatch swatch = Swatch::kFill;
  std::string colour;
  double line_width = 0.0;
  std::string label;
};

struct Legend {
  std::string heading;
  std::vector<LegendEntry> entries;
  std::vector<std::string> notes;  // paragraphs below the entries, wrapped to the page
};

constexpr double kSwatchWidth = 7.0;
constexpr double kSwatchHeight = 3.6;

double legend_column_width(const Legend& legend) {
  double widest = 30.0;
  for (const auto& entry : legend.entries) widest = std::max(widest, text_width(entry.label, kLegendTextSize));
  return std::min(kContentWidth, kSwatchWidth + 2.5 + widest + 4.0);
}

std::size_t legend_columns(const Legend& legend) {
  return std::max<std::size_t>(1, static_cast<std::size_t>(kContentWidth / legend_column_width(legend)));
}

// Words of `text` in lines of at most `width` mm at `font_size`.
std::vector<std::string> wrap(const std::string& text, double width, double font_size) {
  const auto max_glyphs = static_cast<std::size_t>(std::max(10.0, width / (font_size * kGlyphWidth)));
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && glyph_count(line) + 1 + glyph_count(word) > max_glyphs) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

double legend_height(const Legend& legend) {
  const std::size_t columns = legend_columns(legend);
  const std::size_t rows = (legend.entries.size() + columns - 1) / columns;
  double height = 6.0 + static_cast<double>(rows) * kLegendRow;
  for (const auto& note : legend.notes) {
    height += 1.0 + static_cast<double>(wrap(note, kContentWidth, kNoteSize).size()) * kNoteRow;
  }
  return height;
}

// Maps dataset metres to page millimetres: the data's bounding box scaled into the map
// frame, centred horizontally, y flipped so north is up.
struct Page {
  double scale = 1.0;  // mm per metre
  double left = 0.0, top = 0.0;
  Bounds data;
  double map_height = 0.0;
  double height = 0.0;

  // Tenths of a millimetre for drawings enlarged onto the page (regional zooms):
  // finer steps than a hairline is wide add bytes, not detail.
  bool tenths = false;

  double x(double metres) const { return left + (metres - data.min_x) * scale; }
  double y(double metres) const { return top + (data.max_y - metres) * scale; }
  std::string mm(double millimetres) const {
    return format_mm(tenths ? std::round(millimetres * 10.0) / 10.0 : millimetres);
  }
};

// Height of the title and the subtitle's wrapped lines, with the gap to the map.
double header_height(const std::string& subtitle) {
  return kTitleSize + 3.0 + static_cast<double>(wrap(subtitle, kContentWidth, kSubtitleSize).size()) * kSubtitleRow;
}

Page layout_page(const Bounds& data, const Legend& legend, const std::string& subtitle) {
  Page page;
  page.data = data;
  const double legend_h = legend_height(legend);
  const double header = header_height(subtitle);
  const double available = std::max(kMinMapHeight, kMaxPageHeight - 2 * kMargin - header - kGap - legend_h);
  const double dx = std::max(data.max_x - data.min_x, 1e-9);
  const double dy = std::max(data.max_y - data.min_y, 1e-9);
  page.scale = std::min(kContentWidth / dx, available / dy);
  page.left = kMargin + (kContentWidth - dx * page.scale) / 2.0;
  page.top = kMargin + header;
  page.map_height = dy * page.scale;
  page.height = std::ceil(page.top + page.map_height + kGap + legend_h + kMargin);
  return page;
}

std::string point_text(const Page& page, const v1::Point& p) {
  return page.mm(page.x(p.x())) + " " + page.mm(page.y(p.y()));
}

// Path data of a multipolygon: one subpath per ring; points that round onto the
// previous one are left out (they draw nothing).
std::string path_data(const Page& page, const v1::MultiPolygon& shape) {
  std::string d;
  auto add_ring = [&](const v1::Ring& ring) {
    if (ring.points_size() == 0) return;
    std::string previous;
    bool first = true;
    for (const v1::Point& p : ring.points()) {
      std::string text = point_text(page, p);
      if (text == previous) continue;
      d += (first ? (d.empty() ? "M" : " M") : " ") + text;
      previous = std::move(text);
      first = false;
    }
    d += " Z";
  };
  for (const v1::Polygon& polygon : shape.polygons()) {
    add_ring(polygon.outer());
    for (const v1::Ring& hole : polygon.holes()) add_ring(hole);
  }
  return d;
}

struct MunicipalityStyle {
  std::string fill;  // a colour, or empty for the hatch
  std::string tooltip;
};

// One <path> per municipality; with `drawn` given, only those it marks.
std::string municipality_paths(const DatasetIndex& index, const Page& page,
                               const std::vector<MunicipalityStyle>& styles, const char* stroke, double stroke_width,
                               const std::vector<bool>* drawn = nullptr) {
  std::string out = "<g id=\"municipalities\" stroke=\"" + std::string(stroke) + "\" stroke-width=\"" +
                    format_mm(stroke_width) + "\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">\n";
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    if (drawn != nullptr && !(*drawn)[i]) continue;
    const auto& m = index.municipality_at(i);
    const std::string fill = styles[i].fill.empty() ? "url(#" + std::string(kHatchId) + ")" : styles[i].fill;
    out += "<path data-code=\"" + escape_xml(m.code()) + "\" fill=\"" + fill + "\" d=\"" +
           path_data(page, m.geometry()) + "\"><title>" + escape_xml(styles[i].tooltip) + "</title></path>\n";
  }
  return out + "</g>\n";
}

std::string hatch_definition() {
  return "<defs><pattern id=\"" + std::string(kHatchId) +
         "\" patternUnits=\"userSpaceOnUse\" width=\"1.2\" height=\"1.2\" patternTransform=\"rotate(45)\">"
         "<rect width=\"1.2\" height=\"1.2\" fill=\"#f0f0f0\"/>"
         "<line x1=\"0.3\" y1=\"0\" x2=\"0.3\" y2=\"1.2\" stroke=\"#9a9a9a\" stroke-width=\"0.35\"/>"
         "</pattern></defs>\n";
}

std::string draw_legend(const Legend& legend, double top) {
  std::string out = "<g id=\"legend\">\n";
  out += "<text x=\"" + format_mm(kMargin) + "\" y=\"" + format_mm(top + kLegendHeadingSize) + "\" font-size=\"" +
         format_mm(kLegendHeadingSize) + "\" font-weight=\"bold\" fill=\"#1a1a1a\">" + escape_xml(legend.heading) +
         "</text>\n";
  const std::size_t columns = legend_columns(legend);
  const double column_width = legend_column_width(legend);
  const std::size_t rows = (legend.entries.size() + columns - 1) / columns;
  const double first_row = top + 6.0;
  for (std::size_t e = 0; e < legend.entries.size(); ++e) {
    const LegendEntry& entry = legend.entries[e];
    // Column-major, so a ranked list reads top to bottom.
    const double x = kMargin + static_cast<double>(e / rows) * column_width;
    const double y = first_row + static_cast<double>(e % rows) * kLegendRow;
    switch (entry.swatch) {
      case LegendEntry::Swatch::kFill:
      case LegendEntry::Swatch::kHatch:
        out += "<rect x=\"" + format_mm(x) + "\" y=\"" + format_mm(y) + "\" width=\"" + format_mm(kSwatchWidth) +
               "\" height=\"" + format_mm(kSwatchHeight) + "\" fill=\"" +
               (entry.swatch == LegendEntry::Swatch::kHatch ? "url(#" + std::string(kHatchId) + ")" : entry.colour) +
               "\" stroke=\"#808080\" stroke-width=\"0.15\"/>\n";
        break;
      case LegendEntry::Swatch::kLine:
        out += "<line x1=\"" + format_mm(x) + "\" y1=\"" + format_mm(y + kSwatchHeight / 2) + "\" x2=\"" +
               format_mm(x + kSwatchWidth) + "\" y2=\"" + format_mm(y + kSwatchHeight / 2) + "\" stroke=\"" +
               entry.colour + "\" stroke-width=\"" + format_mm(entry.line_width) + "\" stroke-linecap=\"round\"/>\n";
        break;
    }
    out += "<text x=\"" + format_mm(x + kSwatchWidth + 2.5) + "\" y=\"" + format_mm(y + kSwatchHeight - 0.6) +
           "\" font-size=\"" + format_mm(kLegendTextSize) + "\" fill=\"#1a1a1a\">" + escape_xml(entry.label) +
           "</text>\n";
  }
  double y = first_row + static_cast<double>(rows) * kLegendRow;
  for (const auto& note : legend.notes) {
    y += 1.0;
    for (const auto& line : wrap(note, kContentWidth, kNoteSize)) {
      y += kNoteRow;
      out += "<text x=\"" + format_mm(kMargin) + "\" y=\"" + format_mm(y - 0.8) + "\" font-size=\"" +
             format_mm(kNoteSize) + "\" fill=\"#333333\">" + escape_xml(line) + "</text>\n";
    }
  }
  return out + "</g>\n";
}

std::string document(const Page& page, const std::string& title, const std::string& subtitle,
                     const std::string& body, const Legend& legend) {
  const std::string height = format_mm(page.height);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + format_mm(kPageWidth) +
         "mm\" height=\"" + height + "mm\" viewBox=\"0 0 " + format_mm(kPageWidth) + " " + height +
         "\" font-family=\"sans-serif\">\n";
  out += "<title>" + escape_xml(title) + "</title>\n";
  out += "<desc>" + escape_xml(subtitle) + "</desc>\n";
  out += hatch_definition();
  out += "<rect width=\"" + format_mm(kPageWidth) + "\" height=\"" + height + "\" fill=\"#ffffff\"/>\n";
  out += "<text x=\"" + format_mm(kMargin) + "\" y=\"" + format_mm(kMargin + kTitleSize) + "\" font-size=\"" +
         format_mm(kTitleSize) + "\" font-weight=\"bold\" fill=\"#1a1a1a\">" + escape_xml(title) + "</text>\n";
  double y = kMargin + kTitleSize + 1.0;
  for (const auto& line : wrap(subtitle, kContentWidth, kSubtitleSize)) {
    y += kSubtitleRow;
    out += "<text x=\"" + format_mm(kMargin) + "\" y=\"" + format_mm(y) + "\" font-size=\"" +
           format_mm(kSubtitleSize) + "\" fill=\"#444444\">" + escape_xml(line) + "</text>\n";
  }
  out += body;
  out += draw_legend(legend, page.top + page.map_height + kGap);
  return out + "</svg>\n";
}

v1::Point centroid_of(const v1::Municipality& m) {
  return m.has_centroid() ? m.centroid() : multipolygon_centroid(m.geometry());
}

std::string rgb(const std::array<double, 3>& colour) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", static_cast<int>(std::lround(colour[0])),
                static_cast<int>(std::lround(colour[1])), static_cast<int>(std::lround(colour[2])));
  return buffer;
}

// A colour at t in [0, 1] along straight segments between `stops` (RGB 0..255).
std::string ramp(const std::vector<std::array<double, 3>>& stops, double t) {
  const double position = std::clamp(t, 0.0, 1.0) * static_cast<double>(stops.size() - 1);
  const std::size_t low = std::min(static_cast<std::size_t>(position), stops.size() - 2);
  const double f = position - static_cast<double>(low);
  std::array<double, 3> colour{};
  for (int c = 0; c < 3; ++c) colour[c] = stops[low][c] + f * (stops[low + 1][c] - stops[low][c]);
  return rgb(colour);
}

double class_position(std::size_t i, std::size_t classes) {
  return classes <= 1 ? 1.0 : static_cast<double>(i) / static_cast<double>(classes - 1);
}

// "1 gemeente" / "3 gemeenten" in Dutch, "1 municipality" / "3 municipalities" in English.
std::string count_text(std::size_t n, Language language, std::string_view one_nl, std::string_view many_nl,
                       std::string_view one_en, std::string_view many_en) {
  return std::to_string(n) + " " + std::string(in_language(language, n == 1 ? one_nl : many_nl, n == 1 ? one_en : many_en));
}

std::string municipalities_text(std::size_t n, Language language) {
  return count_text(n, language, "gemeente", "gemeenten", "municipality", "municipalities");
}

// The membership of a partition that must cover the dataset: every municipality in a
// region or listed as unassigned.
Expected<Membership> full_membership(const DatasetIndex& index, const v1::Partition& partition) {
  const std::string where = "partition '" + partition.name() + "'";
  if (partition.regions_size() == 0) {
    return failed_precondition(where + ": expected at least one region to draw, found none");
  }
  Expected<Membership> membership = membership_of(index, partition);
  if (!membership) return membership.status().with_context(where);
  std::vector<bool> listed(index.municipality_count(), false);
  for (int u = 0; u < partition.unassigned_size(); ++u) {
    const auto m = index.municipality(partition.unassigned(u));
    if (!m) {
      return invalid_argument(where + ": unassigned[" + std::to_string(u) + "]: unknown municipality code '" +
                              partition.unassigned(u) + "'");
    }
    if ((*membership)[*m] != kUnassigned) {
      return invalid_argument(where + ": unassigned[" + std::to_string(u) + "]: '" + partition.unassigned(u) +
                              "' is also in a region");
    }
    listed[*m] = true;
  }
  std::size_t missing = 0;
  std::string first;
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    if ((*membership)[i] == kUnassigned && !listed[i]) {
      if (missing++ == 0) first = describe(index, i);
    }
  }
  if (missing > 0) {
    return invalid_argument(where + ": expected every municipality of dataset '" + index.dataset().name() +
                            "' in a region or in unassigned, found " + std::to_string(missing) +
                            " in neither, first " + first + " (is the partition from another dataset?)");
  }
  return membership;
}

// How one set of region borders is drawn. A casing is a wider white copy beneath, so a
// dark border reads on dark fills as well as on light ones.
struct BorderStyle {
  const char* id = "region-borders";
  const char* colour = kRegionBorderColour;
  double width = kRegionBorderWidth;
  double casing_width = 0.0;  // 0 = no casing
  bool coast = true;           // draw the coast too (the level above leaves it to the regions' borders)
};

// Polylines along every polygon edge whose two sides lie in different regions, or that
// is coast; consecutive edges of one ring are joined. Each shared edge is drawn from
// the side with the lower municipality index.
std::string region_borders(const DatasetIndex& index, const Page& page, const Membership& membership,
                           const BorderStyle& style = {}) {
  const std::vector<BorderPiece> pieces = border_pieces(index.dataset());
  std::string lines;
  std::string points;
  const BorderPiece* last = nullptr;
  auto flush = [&] {
    if (!points.empty()) lines += "<polyline points=\"" + points + "\"/>\n";
    points.clear();
    last = nullptr;
  };
  for (const BorderPiece& piece : pieces) {
    const bool coast = piece.other < 0;
    // A coast piece has no other side (other < 0): it is a border only when the style draws the coast.
    const bool border = coast ? style.coast
                              : membership[piece.municipality] != membership[static_cast<std::size_t>(piece.other)] &&
                                    piece.municipality < static_cast<std::uint32_t>(piece.other);
    if (!border) {
      flush();
      continue;
    }
    const bool continues = last != nullptr && last->municipality == piece.municipality &&
                           last->to.x() == piece.from.x() && last->to.y() == piece.from.y();
    if (!continues) {
      flush();
      points = point_text(page, piece.from);
    }
    points += " " + point_text(page, piece.to);
    last = &piece;
  }
  flush();
  auto group = [&](const std::string& id, const char* colour, double width) {
    return "<g id=\"" + id + "\" fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + format_mm(width) +
           "\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n" + lines + "</g>\n";
  };
  std::string out;
  if (style.casing_width > 0.0) out += group(std::string(style.id) + "-casing", "#ffffff", style.casing_width);
  return out + group(style.id, style.colour, style.width);
}

// Region labels with a white halo (the halo copy is drawn first, under the text).
std::string region_labels(const DatasetIndex& index, const Page& page, const v1::Partition& partition,
                          const Membership& membership, RegionLabel label) {
  const std::size_t regions = static_cast<std::size_t>(partition.regions_size());
  std::vector<double> area(index.municipality_count());
  std::vector<v1::Point> centre(index.municipality_count());
  std::vector<double> sum_area(regions, 0.0), sum_x(regions, 0.0), sum_y(regions, 0.0), count(regions, 0.0);
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    area[i] = multipolygon_area(index.municipality_at(i).geometry());
    centre[i] = centroid_of(index.municipality_at(i));
    if (membership[i] == kUnassigned) continue;
    const auto r = static_cast<std::size_t>(membership[i]);
    sum_area[r] += area[i];
    sum_x[r] += area[i] * centre[i].x();
    sum_y[r] += area[i] * centre[i].y();
    count[r] += 1.0;
  }
  std::vector<std::size_t> anchor(regions, index.municipality_count());
  std::vector<double> best(regions, INFINITY);
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    if (membership[i] == kUnassigned) continue;
    const auto r = static_cast<std::size_t>(membership[i]);
    const double cx = sum_x[r] / sum_area[r], cy = sum_y[r] / sum_area[r];
    const double d = sum_area[r] > 0 ? std::hypot(centre[i].x() - cx, centre[i].y() - cy) : 0.0;
    if (d < best[r]) {
      best[r] = d;
      anchor[r] = i;
    }
  }
  std::string halo = "<g id=\"region-label-halos\" font-size=\"" + format_mm(kLabelSize) +
                     "\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#ffffff\" stroke=\"#ffffff\" "
                     "stroke-width=\"0.7\" stroke-linejoin=\"round\">\n";
  std::string text = "<g id=\"region-labels\" font-size=\"" + format_mm(kLabelSize) +
                     "\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#141414\">\n";
  for (std::size_t r = 0; r < regions; ++r) {
    if (anchor[r] == index.municipality_count()) continue;  // a region without members has no place
    const auto& region = partition.regions(static_cast<int>(r));
    const std::string caption = label == RegionLabel::kId || region.name().empty() ? region.id() : region.name();
    // A caption wider than the page is centred on it (std::clamp needs low <= high).
    const double half = std::min(text_width(caption, kLabelSize) / 2.0, kPageWidth / 2.0 - kMargin);
    const double x = std::clamp(page.x(centre[anchor[r]].x()), kMargin + half, kPageWidth - kMargin - half);
    const double y = page.y(centre[anchor[r]].y()) + kLabelSize * 0.35;
    const std::string position = "x=\"" + format_mm(x) + "\" y=\"" + format_mm(y) + "\"";
    halo += "<text " + position + ">" + escape_xml(caption) + "</text>\n";
    text += "<text " + position + " data-region=\"" + escape_xml(region.id()) + "\">" + escape_xml(caption) +
            "</text>\n";
  }
  return halo + "</g>\n" + text + "</g>\n";
}

// Region colours: touching regions differ; with a reference, matched regions keep its colours.
Expected<std::vector<std::string>> region_fills(const DatasetIndex& index, const Membership& membership,
                                                std::int32_t region_count, const v1::Partition* reference) {
  std::vector<std::int32_t> colours;
  if (reference != nullptr) {
    Expected<Membership> reference_membership = membership_of(index, *reference);
    if (!reference_membership) return reference_membership.status().with_context("colour reference");
    Expected<std::vector<std::int32_t>> following = region_colours_following(
        index, membership, region_count, *reference_membership, reference->regions_size());
    if (!following) return following.status();
    colours = std::move(*following);
  } else {
    Expected<Graph> touching = region_adjacency(index, membership, region_count);
    if (!touching) return touching.status();
    DsaturColouring colouring(*touching);
    BRE_RETURN_IF_ERROR(colouring.run());
    colours = colouring.colours();
  }
  std::vector<std::string> fills;
  for (std::int32_t colour : colours) fills.push_back(region_colour(colour));
  return fills;
}

// The ties of a network as the network maps draw them: which are the backbone (drawn
// in full, in weight classes) and which are faded, with the legend that explains it.
struct NetworkDrawing {
  std::vector<WeightedEdge> ties;  // light to heavy, so the strongest are drawn last, on top
  std::vector<bool> full;          // per tie: part of the backbone
  std::vector<std::size_t> class_of_tie;
  std::vector<std::string> colours;
  std::vector<double> widths;
  std::vector<double> opacities;  // light ties partly see-through, so dense areas do not turn solid
  std::vector<std::size_t> tied;  // partners per municipality
  std::vector<v1::Point> centre;
  std::size_t full_count = 0;
  std::vector<std::string> class_labels;  // weight ranges, without counts
  std::string first_class_top;            // the heaviest weight of the lightest class
  Legend legend;
};

constexpr const char* kFadedTieColour = "#8c96a0";
constexpr double kFadedTieWidth = 0.08;
constexpr double kFadedTieOpacity = 0.35;

// Marks the backbone: every tie among the `k` heaviest of either of its ends (ties of
// equal weight ranked by the other end's index); k = 0 marks every tie.
std::vector<bool> backbone(const std::vector<WeightedEdge>& ties, std::size_t municipalities, std::size_t k) {
  std::vector<bool> full(ties.size(), k == 0);
  if (k == 0) return full;
  std::vector<std::vector<std::size_t>> at(municipalities);
  for (std::size_t e = 0; e < ties.size(); ++e) {
    at[ties[e].u].push_back(e);
    at[ties[e].v].push_back(e);
  }
  for (std::size_t i = 0; i < municipalities; ++i) {
    auto other = [&](std::size_t e) { return ties[e].u == i ? ties[e].v : ties[e].u; };
    std::sort(at[i].begin(), at[i].end(), [&](std::size_t a, std::size_t b) {
      if (ties[a].weight != ties[b].weight) return ties[a].weight > ties[b].weight;
      return other(a) < other(b);
    });
    for (std::size_t r = 0; r < std::min(k, at[i].size()); ++r) full[at[i][r]] = true;
  }
  return full;
}

Expected<NetworkDrawing> prepare_network(const DatasetIndex& index, const v1::Network& network,
                                         const NetworkMapOptions& options) {
  Expected<Graph> graph = graph_from_network(network, index);
  if (!graph) return graph.status();
  const Language language = options.language;
  NetworkDrawing drawing;
  for (const WeightedEdge& edge : graph->edges()) {
    if (edge.u != edge.v && edge.weight > 0.0) drawing.ties.push_back(edge);
  }
  std::stable_sort(drawing.ties.begin(), drawing.ties.end(),
                   [](const WeightedEdge& a, const WeightedEdge& b) { return a.weight < b.weight; });
  drawing.full = backbone(drawing.ties, index.municipality_count(), options.strongest_per_municipality);
  std::vector<double> weights;
  for (std::size_t e = 0; e < drawing.ties.size(); ++e) {
    if (drawing.full[e]) weights.push_back(drawing.ties[e].weight);
  }
  drawing.full_count = weights.size();
  Legend& legend = drawing.legend;
  legend.heading = options.weight_label.empty()
                       ? std::string(in_language(language, "Gedeelde samenwerkingsverbanden", "Shared arrangements"))
                       : options.weight_label;
  drawing.class_of_tie.assign(drawing.ties.size(), 0);
  drawing.tied.assign(index.municipality_count(), 0);
  for (const WeightedEdge& edge : drawing.ties) ++drawing.tied[edge.u], ++drawing.tied[edge.v];
  auto pairs = [&](std::size_t n) { return count_text(n, language, "paar", "paren", "pair", "pairs"); };
  if (!weights.empty()) {
    ValueClassification classes(weights, options.classes);
    BRE_RETURN_IF_ERROR(classes.run().with_context("network map: edge weights"));
    const std::vector<std::string> labels = classes.labels(NumberKind::kNumber, language);
    drawing.class_labels = labels;
    double first_top = weights.front();
    for (double w : weights) {
      if (classes.class_of(w) == 0) first_top = std::max(first_top, w);
    }
    drawing.first_class_top = classes.format_value(first_top, NumberKind::kNumber, language);
    const std::vector<std::array<double, 3>> stops = {{190, 202, 216}, {104, 136, 176}, {14, 40, 90}};
    for (std::size_t c = 0; c < classes.class_count(); ++c) {
      const double t = class_position(c, classes.class_count());
      drawing.colours.push_back(ramp(stops, t));
      drawing.widths.push_back(0.1 + 0.6 * t);
      drawing.opacities.push_back(0.55 + 0.45 * t);
      legend.entries.push_back({LegendEntry::Swatch::kLine, drawing.colours.back(), drawing.widths.back(),
                                labels[c] + " (" + pairs(classes.counts()[c]) + ")"});
    }
    for (std::size_t e = 0; e < drawing.ties.size(); ++e) {
      drawing.class_of_tie[e] = classes.class_of(drawing.ties[e].weight);
    }
  } else {
    legend.notes.push_back(std::string(in_language(
        language, "Geen twee gemeenten delen een meegeteld samenwerkingsverband: het netwerk heeft geen banden.",
        "No two municipalities share a counted arrangement: the network has no ties.")));
  }
  const std::size_t faded = drawing.ties.size() - drawing.full_count;
  if (faded > 0) {
    legend.entries.push_back(
        {LegendEntry::Swatch::kLine, kFadedTieColour, 0.2,
         std::string(options.show_faded
                         ? in_language(language, "Overige banden, vervaagd (", "Other ties, faded (")
                         : in_language(language, "Overige banden, niet getekend (", "Other ties, not drawn (")) +
             pairs(faded) + ")"});
    legend.notes.push_back(
        language == Language::kDutch
            ? "Voluit getekend: van elke gemeente de " + std::to_string(options.strongest_per_municipality) +
                  " sterkste banden (" + pairs(drawing.full_count) + "); de klassen gelden voor deze banden."
            : "Drawn in full: each municipality's " + std::to_string(options.strongest_per_municipality) +
                  " strongest ties (" + pairs(drawing.full_count) + "); the classes are those of these ties.");
  }
  drawing.centre.resize(index.municipality_count());
  for (std::size_t i = 0; i < index.municipality_count(); ++i) drawing.centre[i] = centroid_of(index.municipality_at(i));
  return drawing;
}

std::string partners_tooltip(const DatasetIndex& index, const NetworkDrawing& drawing, std::size_t i,
                             Language language) {
  const auto& m = index.municipality_at(i);
  return m.name() + " (" + m.code() + "): " +
         count_text(drawing.tied[i], language, "partner", "partners", "partner", "partners");
}

// The ties that `keep` accepts: faded ones as one path beneath, then the backbone in
// class groups, light to heavy.
std::string tie_layers(const NetworkDrawing& drawing, const Page& page, bool show_faded,
                       const std::function<bool(const WeightedEdge&)>& keep) {
  // The faded ties in tenths of a millimetre, each a move and a relative line: a
  // hairline under the backbone needs no finer step, and ties are short.
  auto tenth = [](double mm) { return std::round(mm * 10.0) / 10.0; };
  std::string out;
  if (show_faded) {
    std::string d;
    for (std::size_t e = 0; e < drawing.ties.size(); ++e) {
      if (drawing.full[e] || !keep(drawing.ties[e])) continue;
      const v1::Point& a = drawing.centre[drawing.ties[e].u];
      const v1::Point& b = drawing.centre[drawing.ties[e].v];
      const double ax = tenth(page.x(a.x())), ay = tenth(page.y(a.y()));
      d += "M" + format_mm(ax) + " " + format_mm(ay) + "l" + format_mm(tenth(page.x(b.x()) - ax)) + " " +
           format_mm(tenth(page.y(b.y()) - ay));
    }
    if (!d.empty()) {
      out += "<g id=\"faded-ties\"><path fill=\"none\" stroke=\"" + std::string(kFadedTieColour) +
             "\" stroke-width=\"" + format_mm(kFadedTieWidth) + "\" stroke-opacity=\"" +
             format_mm(kFadedTieOpacity) + "\" d=\"" + d + "\"/></g>\n";
    }
  }
  out += "<g id=\"ties\" stroke-linecap=\"round\">\n";
  std::size_t open_class = drawing.colours.size();
  for (std::size_t e = 0; e < drawing.ties.size(); ++e) {
    if (!drawing.full[e] || !keep(drawing.ties[e])) continue;
    const std::size_t c = drawing.class_of_tie[e];
    if (c != open_class) {
      if (open_class != drawing.colours.size()) out += "</g>\n";
      open_class = c;
      out += "<g stroke=\"" + drawing.colours[c] + "\" stroke-width=\"" + format_mm(drawing.widths[c]) +
             "\" stroke-opacity=\"" + format_mm(drawing.opacities[c]) + "\">\n";
    }
    const v1::Point& a = drawing.centre[drawing.ties[e].u];
    const v1::Point& b = drawing.centre[drawing.ties[e].v];
    out += "<line x1=\"" + page.mm(page.x(a.x())) + "\" y1=\"" + page.mm(page.y(a.y())) + "\" x2=\"" +
           page.mm(page.x(b.x())) + "\" y2=\"" + page.mm(page.y(b.y())) + "\"/>\n";
  }
  if (open_class != drawing.colours.size()) out += "</g>\n";
  return out + "</g>\n";
}

}  // namespace

std::string network_map_title(const DatasetIndex& index, const NetworkMapOptions& options) {
  if (!options.title.empty()) return options.title;
  return std::string(in_language(options.language, "Samenwerkingsnetwerk (", "Cooperation network (")) +
         index.dataset().name() + ")";
}

std::string partition_map_title(const DatasetIndex& index, const v1::Partition& partition,
                                const PartitionMapOptions& options) {
  if (!options.title.empty()) return options.title;
  return std::string(in_language(options.language, "Regio's van ", "Regions of ")) + partition.name() + " (" +
         index.dataset().name() + ")";
}

Expected<std::string> render_network_map(const DatasetIndex& index, const v1::Network& network,
                                         const NetworkMapOptions& options) {
  Expected<Bounds> bounds = check_geometry(index);
  if (!bounds) return bounds.status();
  Expected<NetworkDrawing> drawing = prepare_network(index, network, options);
  if (!drawing) return drawing.status();
  const Language language = options.language;
  Membership membership;
  if (options.regions != nullptr) {
    Expected<Membership> full = full_membership(index, *options.regions);
    if (!full) return full.status();
    membership = std::move(*full);
    drawing->legend.entries.push_back({LegendEntry::Swatch::kLine, "#6e6e6e", 0.3,
                                       std::string(in_language(language, "Regiogrens (", "Region border (")) +
                                           options.regions->name() + ")"});
  }
  const std::size_t isolated =
      static_cast<std::size_t>(std::count(drawing->tied.begin(), drawing->tied.end(), std::size_t{0}));
  const std::string subtitle =
      municipalities_text(index.municipality_count(), language) + ", " +
      count_text(drawing->ties.size(), language, "samenwerkend paar", "samenwerkende paren", "cooperating pair",
                 "cooperating pairs") +
      ", " + std::to_string(isolated) + std::string(in_language(language, " zonder banden", " without ties"));

  const Page page = layout_page(*bounds, drawing->legend, subtitle);
  std::vector<MunicipalityStyle> styles(index.municipality_count());
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    styles[i] = {"#f3f1ea", partners_tooltip(index, *drawing, i, language)};
  }
  std::string body = municipality_paths(index, page, styles, "#b4b4b4", 0.1);
  if (options.regions != nullptr) body += region_borders(index, page, membership, {"region-borders", "#6e6e6e", 0.3});
  body += tie_layers(*drawing, page, options.show_faded, [](const WeightedEdge&) { return true; });
  return document(page, network_map_title(index, options), subtitle, body, drawing->legend);
}

std::string regional_network_document_name(const std::string& region_id) {
  std::string stem = region_id.empty() ? "_" : region_id;
  for (char& c : stem) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) c = '_';
  }
  return "network_" + stem + ".svg";
}

Expected<std::vector<std::string>> render_regional_network_maps(const DatasetIndex& index, const v1::Network& network,
                                                                const v1::Partition& regions,
                                                                const NetworkMapOptions& options) {
  Expected<Bounds> national = check_geometry(index);
  if (!national) return national.status();
  Expected<NetworkDrawing> drawing = prepare_network(index, network, options);
  if (!drawing) return drawing.status();
  Expected<Membership> membership = full_membership(index, regions);
  if (!membership) return membership.status();
  const Language language = options.language;
  const std::size_t n = index.municipality_count();
  std::vector<Bounds> box(n);
  for (std::size_t i = 0; i < n; ++i) {
    Bounds b{INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (const v1::Polygon& polygon : index.municipality_at(i).geometry().polygons()) {
      for (const v1::Point& p : polygon.outer().points()) {
        b.min_x = std::min(b.min_x, p.x()), b.max_x = std::max(b.max_x, p.x());
        b.min_y = std::min(b.min_y, p.y()), b.max_y = std::max(b.max_y, p.y());
      }
    }
    box[i] = b;
  }
  std::vector<std::string> maps;
  for (int r = 0; r < regions.regions_size(); ++r) {
    const v1::Region& region = regions.regions(r);
    Bounds view{INFINITY, INFINITY, -INFINITY, -INFINITY};
    std::size_t members = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if ((*membership)[i] != r) continue;
      ++members;
      view.min_x = std::min(view.min_x, box[i].min_x), view.max_x = std::max(view.max_x, box[i].max_x);
      view.min_y = std::min(view.min_y, box[i].min_y), view.max_y = std::max(view.max_y, box[i].max_y);
    }
    if (members == 0) {
      maps.emplace_back();
      continue;
    }
    // A margin of a sixth of the larger side shows the neighbours around the region.
    const double margin = std::max(view.max_x - view.min_x, view.max_y - view.min_y) / 6.0;
    view = {view.min_x - margin, view.min_y - margin, view.max_x + margin, view.max_y + margin};
    std::vector<bool> drawn(n, false);
    std::vector<MunicipalityStyle> styles(n);
    for (std::size_t i = 0; i < n; ++i) {
      drawn[i] = box[i].max_x >= view.min_x && box[i].min_x <= view.max_x && box[i].max_y >= view.min_y &&
                 box[i].min_y <= view.max_y;
      styles[i] = {(*membership)[i] == r ? "#f3e3b5" : "#f4f4f2", partners_tooltip(index, *drawing, i, language)};
    }
    const std::string name = region.name().empty() ? region.id() : region.name();
    const std::string title =
        std::string(in_language(language, "Samenwerkingsnetwerk: ", "Cooperation network: ")) + name;
    std::size_t inside = 0, leaving = 0;
    for (const WeightedEdge& tie : drawing->ties) {
      const bool a = (*membership)[tie.u] == r, b = (*membership)[tie.v] == r;
      inside += a && b;
      leaving += a != b;
    }
    const std::string subtitle =
        municipalities_text(members, language) + ", " +
        count_text(inside, language, "paar binnen de regio", "paren binnen de regio", "pair inside the region",
                   "pairs inside the region") +
        ", " +
        count_text(leaving, language, "band naar buiten (op de landelijke kaart)",
                   "banden naar buiten (op de landelijke kaart)", "tie leaving it (on the national map)",
                   "ties leaving it (on the national map)");
    // The national classes without the national counts, which would mislead here; ties
    // lighter than the national backbone fall in the lightest class.
    Legend legend;
    legend.heading = drawing->legend.heading;
    for (std::size_t c = 0; c < drawing->class_labels.size(); ++c) {
      legend.entries.push_back(
          {LegendEntry::Swatch::kLine, drawing->colours[c], drawing->widths[c],
           c == 0 ? std::string(in_language(language, "tot en met ", "up to ")) + drawing->first_class_top
                  : drawing->class_labels[c]});
    }
    legend.entries.push_back({LegendEntry::Swatch::kFill, "#f3e3b5", 0.0, name});
    legend.entries.push_back({LegendEntry::Swatch::kFill, "#f4f4f2", 0.0,
                              std::string(in_language(language, "Omliggende gemeenten", "Neighbouring municipalities"))});
    Page page = layout_page(view, legend, subtitle);
    page.tenths = true;
    const std::string clip = "zoom-" + regional_network_document_name(region.id()).substr(8);
    const std::string clip_id = clip.substr(0, clip.size() - 4);
    std::string body = "<defs><clipPath id=\"" + clip_id + "\"><rect x=\"" + format_mm(page.x(view.min_x)) +
                       "\" y=\"" + format_mm(page.y(view.max_y)) + "\" width=\"" +
                       format_mm((view.max_x - view.min_x) * page.scale) + "\" height=\"" +
                       format_mm(page.map_height) + "\"/></clipPath></defs>\n<g clip-path=\"url(#" + clip_id +
                       ")\">\n";
    body += municipality_paths(index, page, styles, "#b4b4b4", 0.15, &drawn);
    // Every tie inside the region in full, in the national classes; the ties leaving it
    // are the national map's (drawn here they hid the region's own).
    NetworkDrawing local = *drawing;
    auto inside_region = [&](const WeightedEdge& tie) {
      return (*membership)[tie.u] == r && (*membership)[tie.v] == r;
    };
    for (std::size_t e = 0; e < local.ties.size(); ++e) local.full[e] = inside_region(local.ties[e]);
    body += tie_layers(local, page, false, inside_region);
    body += "</g>\n";
    maps.push_back(document(page, title, subtitle, body, legend));
  }
  return maps;
}

Expected<std::string> render_partition_map(const DatasetIndex& index, const v1::Partition& partition,
                                           const PartitionMapOptions& options) {
  Expected<Bounds> bounds = check_geometry(index);
  if (!bounds) return bounds.status();
  Expected<Membership> membership = full_membership(index, partition);
  if (!membership) return membership.status();
  Membership coarser;
  if (options.coarser != nullptr) {
    Expected<Membership> full = full_membership(index, *options.coarser);
    if (!full) return full.status().with_context("coarser level");
    coarser = std::move(*full);
  }
  const std::int32_t region_count = partition.regions_size();
  Expected<std::vector<std::string>> fills = region_fills(index, *membership, region_count, options.colour_reference);
  if (!fills) return fills.status().with_context("partition '" + partition.name() + "'");
  const Language language = options.language;

  Legend legend;
  legend.heading = std::string(in_language(language, "Legenda", "Legend"));
  legend.entries.push_back({LegendEntry::Swatch::kLine, kRegionBorderColour, kRegionBorderWidth,
                            std::string(in_language(language, "Regiogrens", "Region border"))});
  if (options.coarser != nullptr) {
    legend.entries.push_back({LegendEntry::Swatch::kLine, kCoarserBorderColour, kCoarserBorderWidth,
                              std::string(in_language(language, "Grens van het niveau erboven (",
                                                      "Border of the level above (")) +
                                  options.coarser->name() + ")"});
  }
  legend.entries.push_back({LegendEntry::Swatch::kFill, region_colour(0), 0.0,
                            std::string(in_language(language, "Regio (buren verschillen van kleur)",
                                                    "Region (neighbours differ in colour)"))});
  const std::string unassigned_word(in_language(language, "Niet ingedeeld", "Unassigned"));
  std::vector<std::string> unassigned;
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    if ((*membership)[i] == kUnassigned) {
      const auto& m = index.municipality_at(i);
      unassigned.push_back(m.name() + " (" + m.code() + ")");
    }
  }
  if (!unassigned.empty()) {
    legend.entries.push_back(
        {LegendEntry::Swatch::kHatch, "", 0.0, unassigned_word + ": " + municipalities_text(unassigned.size(), language)});
    std::string list = unassigned_word + ":";
    for (std::size_t u = 0; u < unassigned.size(); ++u) list += (u == 0 ? " " : ", ") + unassigned[u];
    legend.notes.push_back(list);
  }
  const std::string title = partition_map_title(index, partition, options);
  std::string subtitle =
      count_text(static_cast<std::size_t>(region_count), language, "regio", "regio's", "region", "regions") + ", " +
      municipalities_text(index.municipality_count(), language);
  if (!partition.source().empty()) {
    subtitle += std::string(in_language(language, "; gemaakt door ", "; made by ")) + partition.source();
  }
  if (std::isfinite(partition.modularity())) {
    subtitle += std::string(in_language(language, "; modulariteit ", "; modularity ")) +
                format_number(partition.modularity(), 3, language) +
                std::string(in_language(language, " bij resolutie ", " at resolution ")) +
                format_number(partition.resolution(), partition.resolution() == std::floor(partition.resolution()) ? 0 : 3,
                              language);
  }

  const Page page = layout_page(*bounds, legend, subtitle);
  std::vector<MunicipalityStyle> styles(index.municipality_count());
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    const auto& m = index.municipality_at(i);
    const std::int32_t r = (*membership)[i];
    if (r == kUnassigned) {
      styles[i] = {"", m.name() + " (" + m.code() + "): " + std::string(in_language(language, "niet ingedeeld", "unassigned"))};
    } else {
      const auto& region = partition.regions(r);
      styles[i] = {(*fills)[static_cast<std::size_t>(r)],
                   m.name() + " (" + m.code() + "): " + region.name() + " (" + region.id() + ")"};
    }
  }
  std::string body = municipality_paths(index, page, styles, kMunicipalityStroke, 0.12);
  body += region_borders(index, page, *membership);
  if (options.coarser != nullptr) {
    body += region_borders(index, page, coarser, {"coarser-borders", kCoarserBorderColour, kCoarserBorderWidth, 0.0, false});
  }
  body += region_labels(index, page, partition, *membership, options.label);
  return document(page, title, subtitle, body, legend);
}

Expected<std::string> render_value_map(const DatasetIndex& index, const std::vector<v1::MunicipalityValue>& values,
                                       const v1::Partition* regions, const ValueMapOptions& options) {
  Expected<Bounds> bounds = check_geometry(index);
  if (!bounds) return bounds.status();
  std::vector<double> value_of(index.municipality_count(), NAN);
  std::vector<bool> seen(index.municipality_count(), false);
  for (std::size_t v = 0; v < values.size(); ++v) {
    const std::string field = "values[" + std::to_string(v) + "]";
    const auto m = index.municipality(values[v].municipality_code());
    if (!m) {
      return invalid_argument(field + ": unknown municipality code '" + values[v].municipality_code() +
                              "' (not in dataset '" + index.dataset().name() + "')");
    }
    if (seen[*m]) {
      return invalid_argument(field + ": municipality '" + values[v].municipality_code() + "' has a value already");
    }
    if (std::isinf(values[v].value())) {
      return invalid_argument(field + ": expected a finite value or NaN (no value) for '" +
                              values[v].municipality_code() + "', found " + std::to_string(values[v].value()));
    }
    seen[*m] = true;
    value_of[*m] = values[v].value();
  }
  std::vector<double> known;
  for (double v : value_of) {
    if (!std::isnan(v)) known.push_back(v);
  }
  if (known.empty()) {
    return invalid_argument("values: expected a value for at least one of the " +
                            std::to_string(index.municipality_count()) + " municipalities, found none");
  }
  Membership membership;
  if (regions != nullptr) {
    Expected<Membership> full = full_membership(index, *regions);
    if (!full) return full.status();
    membership = std::move(*full);
  }
  const Language language = options.language;

  ValueClassification classes(known, options.classes);
  BRE_RETURN_IF_ERROR(classes.run().with_context("value map"));
  const std::vector<std::string> labels = classes.labels(options.number_kind, language);
  const std::vector<std::array<double, 3>> stops = {
      {253, 240, 194}, {246, 184, 112}, {221, 106, 91}, {150, 52, 110}, {66, 28, 92}};
  std::vector<std::string> fills;
  Legend legend;
  legend.heading = options.value_label.empty() ? std::string(in_language(language, "Waarde", "Value")) : options.value_label;
  for (std::size_t c = 0; c < classes.class_count(); ++c) {
    fills.push_back(ramp(stops, classes.class_count() == 1 ? 0.5 : class_position(c, classes.class_count())));
    legend.entries.push_back({LegendEntry::Swatch::kFill, fills.back(), 0.0,
                              labels[c] + " (" + std::to_string(classes.counts()[c]) + ")"});
  }
  const std::string no_value(in_language(language, "geen waarde", "no value"));
  const std::size_t missing = index.municipality_count() - known.size();
  legend.entries.push_back({LegendEntry::Swatch::kHatch, "", 0.0, no_value + " (" + std::to_string(missing) + ")"});
  if (regions != nullptr) {
    legend.entries.push_back({LegendEntry::Swatch::kLine, kRegionBorderColour, kRegionBorderWidth,
                              std::string(in_language(language, "Regiogrens (", "Region border (")) + regions->name() +
                                  ")"});
  }
  const std::string subtitle =
      std::to_string(known.size()) + std::string(in_language(language, " van ", " of ")) +
      municipalities_text(index.municipality_count(), language) +
      std::string(in_language(language, " met een waarde; ", " with a value; ")) +
      class_method_words(options.classes.method, language);
  const std::string title = options.title.empty()
                                ? std::string(in_language(language, "Waarden per gemeente", "Values per municipality"))
                                : options.title;

  const Page page = layout_page(*bounds, legend, subtitle);
  std::vector<MunicipalityStyle> styles(index.municipality_count());
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    const auto& m = index.municipality_at(i);
    if (std::isnan(value_of[i])) {
      styles[i] = {"", m.name() + " (" + m.code() + "): " + no_value};
    } else {
      styles[i] = {fills[classes.class_of(value_of[i])],
                   m.name() + " (" + m.code() + "): " + classes.format_value(value_of[i], options.number_kind, language)};
    }
  }
  std::string body = municipality_paths(index, page, styles, kMunicipalityStroke, 0.1);
  if (regions != nullptr) {
    body += region_borders(index, page, membership,
                           {"region-borders", kRegionBorderColour, kRegionBorderWidth, kRegionBorderCasingWidth});
  }
  return document(page, title, subtitle, body, legend);
}

}  // namespace bre::map
