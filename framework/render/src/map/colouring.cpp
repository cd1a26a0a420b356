#include "bre/map/colouring.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "bre/geometry.hpp"

namespace bre::map {

Expected<Graph> region_adjacency(const DatasetIndex& index, const Membership& membership, std::int32_t region_count) {
  if (membership.size() != index.municipality_count()) {
    return invalid_argument("membership: expected " + std::to_string(index.municipality_count()) +
                            " entries (one per municipality), found " + std::to_string(membership.size()));
  }
  for (std::size_t i = 0; i < membership.size(); ++i) {
    if (membership[i] < kUnassigned || membership[i] >= region_count) {
      return invalid_argument("membership[" + std::to_string(i) + "]: expected a region in 0.." +
                              std::to_string(region_count - 1) + " or unassigned, found " +
                              std::to_string(membership[i]));
    }
  }
  // A dataset without adjacency (e.g. hand-made, or from an older importer) still has
  // polygons: derive the pairs from them rather than give every region one colour.
  std::vector<v1::Adjacency> adjacency(index.dataset().adjacency().begin(), index.dataset().adjacency().end());
  if (adjacency.empty()) adjacency = municipality_adjacency(index.dataset());
  std::vector<WeightedEdge> edges;
  for (std::size_t i = 0; i < adjacency.size(); ++i) {
    const auto a = index.municipality(adjacency[i].a_code());
    const auto b = index.municipality(adjacency[i].b_code());
    if (!a || !b) {
      return invalid_argument("adjacency[" + std::to_string(i) + "]: unknown municipality code '" +
                              (a ? adjacency[i].b_code() : adjacency[i].a_code()) + "'");
    }
    const std::int32_t ra = membership[*a];
    const std::int32_t rb = membership[*b];
    if (ra == kUnassigned || rb == kUnassigned || ra == rb) continue;
    edges.push_back({static_cast<std::uint32_t>(ra), static_cast<std::uint32_t>(rb), 1.0});
  }
  return Graph::from_edges(static_cast<std::size_t>(region_count), std::move(edges));
}

DsaturColouring::DsaturColouring(const Graph& graph, std::vector<std::int32_t> preset)
    : AlgorithmBase("DsaturColouring"), graph_(&graph), preset_(std::move(preset)) {}

Status DsaturColouring::run() {
  const std::size_t n = graph_->node_count();
  colours_.assign(n, -1);
  colour_count_ = 0;
  // used[v][c]: whether a neighbour of v has colour c; saturation = distinct colours seen.
  std::vector<std::vector<bool>> used(n);
  std::vector<std::size_t> saturation(n, 0);
  std::vector<std::size_t> uncoloured_degree(n, 0);
  for (std::uint32_t v = 0; v < n; ++v) {
    for (const Neighbour& nb : graph_->neighbours(v)) uncoloured_degree[v] += nb.node != v ? 1 : 0;
  }
  // Presets first, in node order; one that clashes with an earlier neighbour's is dropped.
  std::vector<std::int32_t> preset(n, -1);
  for (std::size_t v = 0; v < n && v < preset_.size(); ++v) {
    if (preset_[v] < 0) continue;
    bool clashes = false;
    for (const Neighbour& nb : graph_->neighbours(static_cast<std::uint32_t>(v))) {
      clashes = clashes || (nb.node < v && preset[nb.node] == preset_[v]);
    }
    if (!clashes) preset[v] = preset_[v];
  }
  std::size_t next_preset = 0;
  for (std::size_t step = 0; step < n; ++step) {
    std::size_t pick = n;
    while (next_preset < n && preset[next_preset] < 0) ++next_preset;
    if (next_preset < n) {
      pick = next_preset++;
    } else {
      for (std::size_t v = 0; v < n; ++v) {
        if (colours_[v] >= 0) continue;
        if (pick == n || saturation[v] > saturation[pick] ||
            (saturation[v] == saturation[pick] && uncoloured_degree[v] > uncoloured_degree[pick])) {
          pick = v;
        }
      }
    }
    std::int32_t colour = preset[pick] >= 0 ? preset[pick] : 0;
    while (preset[pick] < 0 && static_cast<std::size_t>(colour) < used[pick].size() &&
           used[pick][static_cast<std::size_t>(colour)]) {
      ++colour;
    }
    colours_[pick] = colour;
    colour_count_ = std::max(colour_count_, colour + 1);
    for (const Neighbour& nb : graph_->neighbours(static_cast<std::uint32_t>(pick))) {
      if (nb.node == pick) continue;
      --uncoloured_degree[nb.node];
      auto& seen = used[nb.node];
      if (seen.size() <= static_cast<std::size_t>(colour)) seen.resize(static_cast<std::size_t>(colour) + 1, false);
      if (!seen[static_cast<std::size_t>(colour)]) {
        seen[static_cast<std::size_t>(colour)] = true;
        ++saturation[nb.node];
      }
    }
  }
  set_has_run(true);
  return Status::ok();
}

const std::vector<std::int32_t>& DsaturColouring::colours() const {
  require_run("colours");
  return colours_;
}

std::int32_t DsaturColouring::colour_count() const {
  require_run("colour_count");
  return colour_count_;
}

Expected<std::vector<std::int32_t>> region_colours_following(const DatasetIndex& index, const Membership& membership,
                                                             std::int32_t region_count, const Membership& reference,
                                                             std::int32_t reference_region_count) {
  Expected<Graph> reference_touching = region_adjacency(index, reference, reference_region_count);
  if (!reference_touching) return reference_touching.status().with_context("colour reference");
  DsaturColouring reference_colouring(*reference_touching);
  BRE_RETURN_IF_ERROR(reference_colouring.run());
  Expected<Graph> touching = region_adjacency(index, membership, region_count);
  if (!touching) return touching.status();
  const std::vector<std::int32_t> match = match_regions_by_overlap(membership, region_count, reference,
                                                                   reference_region_count);
  std::vector<std::int32_t> preset(static_cast<std::size_t>(region_count), -1);
  for (std::size_t r = 0; r < preset.size(); ++r) {
    if (match[r] >= 0) preset[r] = reference_colouring.colours()[static_cast<std::size_t>(match[r])];
  }
  DsaturColouring colouring(*touching, std::move(preset));
  BRE_RETURN_IF_ERROR(colouring.run());
  return colouring.colours();
}

std::string region_colour(std::int32_t colour) {
  // Light tints of well-separated hues: red, yellow, blue, green, violet, orange, teal, rose.
  static constexpr std::array<const char*, kRegionPaletteSize> kPalette = {
      "#f2a7a0", "#f7e08c", "#9cc3ea", "#b3dc98", "#c8aee3", "#f8c185", "#8fd6cc", "#e9b3cf"};
  if (colour >= 0 && colour < kRegionPaletteSize) return kPalette[static_cast<std::size_t>(colour)];
  // Beyond the palette: hue steps of the golden angle at fixed light saturation, HSL to RGB.
  const double hue = std::fmod(static_cast<double>(colour - kRegionPaletteSize) * 137.507764 + 20.0, 360.0);
  const double s = 0.55, l = 0.78;
  const double c = (1.0 - std::fabs(2.0 * l - 1.0)) * s;
  const double h = hue / 60.0;
  const double x = c * (1.0 - std::fabs(std::fmod(h, 2.0) - 1.0));
  double r = 0, g = 0, b = 0;
  if (h < 1) r = c, g = x;
  else if (h < 2) r = x, g = c;
  else if (h < 3) g = c, b = x;
  else if (h < 4) g = x, b = c;
  else if (h < 5) r = x, b = c;
  else r = c, b = x;
  const double m = l - c / 2.0;
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", static_cast<int>(std::lround((r + m) * 255.0)),
                static_cast<int>(std::lround((g + m) * 255.0)), static_cast<int>(std::lround((b + m) * 255.0)));
  return buffer;
}

}  // namespace bre::map
