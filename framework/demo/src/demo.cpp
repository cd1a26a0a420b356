// The built-in demo dataset: a seeded synthetic country with a planted regional
// structure (docs/demo-dataset.md). Every random draw comes from bre::SplitMix64, each
// part of the country from its own stream (derive_seed), so the output is the same
// byte for byte on every platform, and changing one part does not reshuffle the rest.
#include "bre/demo.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bre/geometry.hpp"
#include "bre/random.hpp"

namespace bre::demo {
namespace {

// ------------------------------------------------------------------ constants

// Geometry: a lattice of square cells whose shared vertices are jittered, so
// neighbouring municipalities share their border exactly.
constexpr int kGridColumns = 19;
constexpr int kGridRows = 17;
constexpr double kCellSize = 10'000.0;  // metres
constexpr double kOriginX = 20'000.0;   // south-west corner; an RD-like plane
constexpr double kOriginY = 300'000.0;
constexpr double kVertexJitter = 0.2;  // in cell sizes; below 0.25 every cell stays convex
constexpr double kEdgeBend = 0.08;     // in cell sizes; bends every border at its midpoint
constexpr int kMaxCoastIndent = 3;     // cells the sea cuts from the west end of a row
// Island municipalities off the north coast (column of their centre), and one coastal
// municipality that owns an offshore islet (a second polygon).
constexpr std::array<double, 3> kIslandColumns = {3.5, 7.5, 11.5};
constexpr double kIslandRowOffset = 0.95;  // cell sizes above the north coast line
constexpr double kIslandHalfLength = 0.45;
constexpr double kIslandHalfWidth = 0.2;
constexpr int kIslandVertices = 10;
constexpr int kIsletColumn = 15;
constexpr double kIsletRowOffset = 0.55;
constexpr double kIsletRadius = 0.12;

// Population: log-normal towns, a handful of cities, a regional centre per planted region.
constexpr double kMedianPopulation = 21'000.0;
constexpr double kPopulationLogSpread = 0.45;
constexpr double kMinTownPopulation = 5'500.0;
constexpr double kMaxTownPopulation = 70'000.0;
constexpr double kMinCentrePopulation = 45'000.0;
constexpr double kMaxCentrePopulation = 95'000.0;
constexpr double kMinIslandPopulation = 3'000.0;
constexpr double kMaxIslandPopulation = 14'000.0;
constexpr std::array<std::pair<double, double>, 7> kCityPopulations = {{
    {600'000.0, 800'000.0},
    {300'000.0, 450'000.0},
    {200'000.0, 300'000.0},
    {140'000.0, 220'000.0},
    {110'000.0, 170'000.0},
    {100'000.0, 150'000.0},
    {100'000.0, 130'000.0},
}};
constexpr double kUrbanReach = 15'000.0;  // metres over which a city urbanises its neighbours

// Region definitions and bodies.
constexpr int kProvinceCount = 12;
constexpr int kFirstProvinceNumber = 20;  // PV20..PV31, as CBS numbers the provinces
constexpr int kWaterBoardCount = 6;
constexpr int kPlantedRegionCount = 25;
constexpr double kPlantedMinTarget = 8.0;
constexpr double kPlantedMaxTarget = 16.0;
constexpr std::size_t kPlantedMinSize = 7;  // growth is retried until every region fits
constexpr std::size_t kPlantedMaxSize = 17;
constexpr int kPlantedAttempts = 200;
constexpr int kCoropTarget = 40;
constexpr int kStateDivisionCount = 10;
constexpr int kSeedCandidates = 12;  // best-candidate sampling: more = more evenly spread
constexpr const char* kNationalCode = "RIJK";

// Arrangements (planted structure: mostly within one planted region).
constexpr int kWithinRegionArrangements = 730;
constexpr int kTwoRegionArrangements = 150;
constexpr int kArrangementsPerProvince = 4;
constexpr int kLargeArrangements = 4;
constexpr int kLargeMinSize = 30;
constexpr int kLargeMaxSize = 80;
constexpr int kTwoRegionMaxSize = 8;
constexpr double kSocietalShare = 0.12;
constexpr double kWaterBoardShare = 0.35;
// Each planted region draws, in this range, the chance that all its members join an
// arrangement (Congruence 2 differs between regions).
constexpr double kMinFullParticipation = 0.2;
constexpr double kMaxFullParticipation = 0.5;
constexpr double kScatteredPartShare = 0.85;  // parts of a region that need not be connected

// Commuting: a gravity model.
constexpr double kLabourShare = 0.48;       // employed residents per inhabitant
constexpr double kCommuteDecay = 12'000.0;  // metres
constexpr double kJobAttraction = 1.2;      // exponent on population: cities attract
constexpr double kSameRegionBoost = 3.0;
constexpr double kBaseSelfShare = 0.42;
constexpr double kUrbanSelfShare = 0.25;
constexpr double kIslandSelfShare = 0.85;
constexpr double kMinFlow = 5.0;  // persons

// Indicators.
constexpr int kBaseYear = 2014;
constexpr int kReferenceYear = 2016;
constexpr double kLeadActorTrendBonus = 0.5;  // in trend standard deviations

// Survey of elected representatives.
constexpr int kMunicipalRespondents = 690;
constexpr int kProvincialRespondents = 70;
constexpr int kWaterBoardRespondents = 40;
constexpr double kMissingShare = 0.05;
constexpr double kPersonSpread = 0.55;  // Likert points
constexpr double kItemSpread = 0.6;
constexpr double kRegionSpread = 0.1;
// Planted regions (0-based: P04, P09, P16, P23) where representatives feel less influence.
constexpr std::array<int, 4> kLowInputRegions = {3, 8, 15, 22};
constexpr double kLowInputShift = -0.7;

// Case descriptors: the stage of planted region k (0-based) is k mod 3: P01 meeting
// place, P02 start-up, P03 running system, P04 meeting place, ... These deviate
// (0-based): P07 and P20 leave fields unknown, P12 contradicts itself.
constexpr std::array<int, 2> kIncompleteCaseRegions = {6, 19};
constexpr int kContradictoryCaseRegion = 11;
constexpr double kKnownContextShare = 0.7;

// ------------------------------------------------------------------ small helpers

struct Vec {
  double x = 0.0;
  double y = 0.0;
};
using Ring = std::vector<Vec>;
using Adjacency = std::vector<std::vector<int>>;

double distance(Vec a, Vec b) {
  const double dx = a.x - b.x;
  const double dy = a.y - b.y;
  return std::sqrt(dx * dx + dy * dy);  // sqrt is exactly rounded everywhere; hypot is not
}

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  // + 0.0 turns -0.0 into 0.0: JSON has no negative zero, and the dataset must survive
  // a round trip through JSON byte for byte.
  return std::round(value * scale) / scale + 0.0;
}

std::string numbered(std::string_view prefix, int number, int width) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%0*d", width, number);
  return std::string(prefix) + digits;
}

std::string municipality_code(int place) { return numbered("GM", place + 1, 4); }
std::string province_code(int province) { return numbered("PV", kFirstProvinceNumber + province, 2); }
std::string water_board_code(int board) { return numbered("WS", 101 + board, 4); }
std::string planted_id(int region) { return numbered("P", region + 1, 2); }

int uniform_int(SplitMix64& rng, int lo, int hi) {  // inclusive
  return lo + static_cast<int>(rng.below(static_cast<std::uint64_t>(hi - lo + 1)));
}
bool chance(SplitMix64& rng, double p) { return rng.uniform() < p; }
double log_uniform(SplitMix64& rng, double lo, double hi) {
  return std::exp(rng.uniform(std::log(lo), std::log(hi)));
}

template <typename T>
void shuffle(std::vector<T>& items, SplitMix64& rng) {  // Fisher-Yates
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[rng.below(i)]);
  }
}

template <typename Container>
const auto& pick(const Container& items, SplitMix64& rng) {
  return items[rng.below(items.size())];
}

std::size_t pick_weighted(const std::vector<double>& weights, SplitMix64& rng) {
  double total = 0.0;
  for (double w : weights) total += w;
  double target = rng.uniform() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (target < weights[i]) return i;
    target -= weights[i];
  }
  return weights.size() - 1;
}

v1::Tristate tristate(bool yes) { return yes ? v1::TRISTATE_YES : v1::TRISTATE_NO; }
v1::Tristate random_tristate(SplitMix64& rng, double p_yes) { return tristate(chance(rng, p_yes)); }

// ------------------------------------------------------------------ names

// Invented Dutch-sounding names from syllables; every name handed out is unique.
class NameMaker {
 public:
  explicit NameMaker(SplitMix64& rng) : rng_(rng) {}

  /// A lower-case stem of one or two syllables ("brakel", "oosterd").
  std::string stem() {
    static constexpr std::array<std::string_view, 23> kOnsets = {
        "b", "br", "d",  "dr", "g",  "gr", "h", "k", "kr", "l",   "m", "n",
        "r", "s",  "sl", "sn", "st", "t",  "v", "w", "z",  "sch", ""};
    static constexpr std::array<std::string_view, 14> kVowels = {"a",  "e",  "i",  "o",  "u",  "aa", "ee",
                                                                 "oo", "ei", "ij", "ui", "ou", "ie", "oe"};
    static constexpr std::array<std::string_view, 16> kCodas = {
        "", "l", "m", "n", "r", "s", "k", "rk", "ld", "nd", "st", "ns", "rs", "lt", "ch", "rt"};
    static constexpr std::array<std::string_view, 7> kSecondSyllables = {"el", "er",  "en", "ing",
                                                                         "se", "der", "ter"};
    // One draw per statement: the order of operands of `+` is unspecified, and
    // compilers differ in it.
    std::string s(pick(kOnsets, rng_));
    s += pick(kVowels, rng_);
    s += pick(kCodas, rng_);
    if (chance(rng_, 0.35)) s += pick(kSecondSyllables, rng_);
    return s;
  }

  std::string municipality() {
    static constexpr std::array<std::string_view, 32> kSuffixes = {
        "dam",   "dijk", "hoven", "wijk", "broek",  "veen",  "horst", "loo",     "um",    "ingen", "sum",
        "woude", "meer", "rade",  "gouw", "hout",   "zande", "burg",  "berg",    "heim",  "oord",  "aarde",
        "holt",  "beek", "kerk",  "zijl", "waarde", "mond",  "haven", "schoten", "stein", "vaart"};
    for (;;) {
      std::string name = stem();
      name = capitalised(name + std::string(pick(kSuffixes, rng_)));
      const double form = rng_.uniform();
      if (form < 0.05) {
        name = "Nieuw-" + name;
      } else if (form < 0.09) {
        name = "Oud-" + name;
      } else if (form < 0.11) {
        name = "Sint-" + name;
      } else if (form < 0.13) {
        name = "'s-" + name;
      } else if (form < 0.15) {
        name += " aan Zee";
      }
      if (claim(name)) return name;
    }
  }

  std::string island() {
    static constexpr std::array<std::string_view, 5> kSuffixes = {"oog", "eland", "sand", "werd", "lingen"};
    for (;;) {
      std::string name = stem();
      name = capitalised(name + std::string(pick(kSuffixes, rng_)));
      if (claim(name)) return name;
    }
  }

  /// A name from a pattern with one "{}" for a capitalised stem ("Land van {}").
  std::string from_pattern(std::string_view pattern) {
    for (;;) {
      std::string name(pattern);
      name.replace(name.find("{}"), 2, capitalised(stem()));
      if (claim(name)) return name;
    }
  }

  /// A name from one of `patterns`, picked at random.
  template <std::size_t N>
  std::string from_patterns(const std::array<std::string_view, N>& patterns) {
    return from_pattern(pick(patterns, rng_));
  }

  /// Reserves a name; false if it was taken.
  bool claim(const std::string& name) { return used_.insert(name).second; }

 private:
  static std::string capitalised(std::string s) {
    if (s.empty()) return s;
    // Dutch capitalises the digraph: IJmuiden.
    if (s.size() >= 2 && s[0] == 'i' && s[1] == 'j') {
      s[1] = 'J';
    }
    s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
  }

  SplitMix64& rng_;
  std::set<std::string> used_;
};

// ------------------------------------------------------------------ geometry

struct Place {
  std::vector<Ring> polygons;  // outer rings, counter-clockwise; no holes
  Vec centroid;
  double area_m2 = 0.0;
  bool island = false;
  int row = -1;  // lattice cell; -1 for an island
  int column = -1;
};

struct Geography {
  std::vector<Place> places;  // municipality i has code GM(i+1)
  Adjacency land;             // shared borders
  Adjacency links;            // land plus a ferry from each island to the nearest coast
};

Vec rounded(Vec p) { return {std::round(p.x), std::round(p.y)}; }  // whole metres

// The midpoint of a border, pushed sideways, so borders are not straight lines.
Vec bent_midpoint(Vec a, Vec b, SplitMix64& rng) {
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  const double length = std::sqrt(dx * dx + dy * dy);
  const double offset = rng.uniform(-kEdgeBend, kEdgeBend) * kCellSize;
  return rounded({(a.x + b.x) / 2.0 - dy / length * offset, (a.y + b.y) / 2.0 + dx / length * offset});
}

// Area and centroid of a simple polygon (shoelace), relative to its first vertex for
// precision with RD-sized coordinates.
void add_ring_to_shape(const Ring& ring, double& area, double& moment_x, double& moment_y) {
  const Vec o = ring.front();
  double twice_area = 0.0;
  double cx = 0.0;
  double cy = 0.0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Vec p{ring[i].x - o.x, ring[i].y - o.y};
    const Vec q{ring[(i + 1) % ring.size()].x - o.x, ring[(i + 1) % ring.size()].y - o.y};
    const double cross = p.x * q.y - q.x * p.y;
    twice_area += cross;
    cx += (p.x + q.x) * cross;
    cy += (p.y + q.y) * cross;
  }
  const double a = twice_area / 2.0;
  area += a;
  moment_x += a * (o.x + cx / (3.0 * twice_area));
  moment_y += a * (o.y + cy / (3.0 * twice_area));
}

void finish_shape(Place& place) {
  double area = 0.0;
  double mx = 0.0;
  double my = 0.0;
  for (const Ring& ring : place.polygons) add_ring_to_shape(ring, area, mx, my);
  place.area_m2 = area;
  place.centroid = {round_to(mx / area, 1), round_to(my / area, 1)};
}

// A star-shaped, elongated blob: simple by construction.
Ring blob(Vec centre, double half_length, double half_width, int vertices, SplitMix64& rng) {
  Ring ring;
  for (int k = 0; k < vertices; ++k) {
    const double angle = 6.283185307179586 * k / vertices;
    const double f = rng.uniform(0.85, 1.1);
    ring.push_back(rounded({centre.x + half_length * kCellSize * f * std::cos(angle),
                            centre.y + half_width * kCellSize * f * std::sin(angle)}));
  }
  return ring;
}

// The mainland: cells (row, column) with column >= the row's coast indent. Rows are
// intervals that overlap their neighbours, so the mainland is connected.
std::vector<Place> mainland_cells(SplitMix64& rng) {
  std::vector<int> indent(kGridRows);
  indent[0] = uniform_int(rng, 0, kMaxCoastIndent);
  for (int r = 1; r < kGridRows; ++r) {
    indent[r] = std::clamp(indent[r - 1] + uniform_int(rng, -1, 1), 0, kMaxCoastIndent);
  }

  const int vc = kGridColumns + 1;
  std::vector<Vec> vertex((kGridRows + 1) * vc);
  for (int r = 0; r <= kGridRows; ++r) {
    for (int c = 0; c <= kGridColumns; ++c) {
      const double jx = rng.uniform(-kVertexJitter, kVertexJitter);
      const double jy = rng.uniform(-kVertexJitter, kVertexJitter);
      vertex[r * vc + c] = rounded({kOriginX + (c + jx) * kCellSize, kOriginY + (r + jy) * kCellSize});
    }
  }
  // Midpoints are computed once per border, so both cells get the very same point.
  std::vector<Vec> row_mid((kGridRows + 1) * kGridColumns);  // (r,c)-(r,c+1)
  for (int r = 0; r <= kGridRows; ++r) {
    for (int c = 0; c < kGridColumns; ++c) {
      row_mid[r * kGridColumns + c] = bent_midpoint(vertex[r * vc + c], vertex[r * vc + c + 1], rng);
    }
  }
  std::vector<Vec> column_mid(kGridRows * vc);  // (r,c)-(r+1,c)
  for (int r = 0; r < kGridRows; ++r) {
    for (int c = 0; c <= kGridColumns; ++c) {
      column_mid[r * vc + c] = bent_midpoint(vertex[r * vc + c], vertex[(r + 1) * vc + c], rng);
    }
  }

  std::vector<Place> cells;
  for (int r = 0; r < kGridRows; ++r) {
    for (int c = indent[r]; c < kGridColumns; ++c) {
      Place cell;
      cell.row = r;
      cell.column = c;
      cell.polygons.push_back({vertex[r * vc + c], row_mid[r * kGridColumns + c], vertex[r * vc + c + 1],
                               column_mid[r * vc + c + 1], vertex[(r + 1) * vc + c + 1],
                               row_mid[(r + 1) * kGridColumns + c], vertex[(r + 1) * vc + c],
                               column_mid[r * vc + c]});
      cells.push_back(std::move(cell));
    }
  }
  return cells;
}

Geography build_geography(SplitMix64& rng) {
  std::vector<Place> grid = mainland_cells(rng);

  // The islet sits north of a top-row cell, clear of the coast (jitter + bend < 0.3).
  for (Place& cell : grid) {
    if (cell.row == kGridRows - 1 && cell.column == kIsletColumn) {
      const Vec centre{kOriginX + (kIsletColumn + 0.5) * kCellSize,
                       kOriginY + (kGridRows + kIsletRowOffset) * kCellSize};
      cell.polygons.push_back(blob(centre, kIsletRadius, kIsletRadius, 6, rng));
    }
  }
  for (double column : kIslandColumns) {
    Place island;
    island.island = true;
    const Vec centre{kOriginX + column * kCellSize, kOriginY + (kGridRows + kIslandRowOffset) * kCellSize};
    island.polygons.push_back(blob(centre, kIslandHalfLength, kIslandHalfWidth, kIslandVertices, rng));
    grid.push_back(std::move(island));
  }

  // Codes are handed out in random order, so a code says nothing about location.
  std::vector<int> order(grid.size());
  std::iota(order.begin(), order.end(), 0);
  shuffle(order, rng);
  Geography geo;
  for (int g : order) geo.places.push_back(std::move(grid[g]));
  for (Place& place : geo.places) finish_shape(place);

  const int n = static_cast<int>(geo.places.size());
  std::vector<int> at_cell(kGridRows * kGridColumns, -1);
  for (int i = 0; i < n; ++i) {
    if (!geo.places[i].island) at_cell[geo.places[i].row * kGridColumns + geo.places[i].column] = i;
  }
  geo.land.assign(n, {});
  for (int i = 0; i < n; ++i) {
    const Place& p = geo.places[i];
    if (p.island) continue;
    const std::array<std::pair<int, int>, 4> steps = {{{-1, 0}, {1, 0}, {0, -1}, {0, 1}}};
    for (auto [dr, dc] : steps) {
      const int r = p.row + dr;
      const int c = p.column + dc;
      if (r < 0 || r >= kGridRows || c < 0 || c >= kGridColumns) continue;
      if (at_cell[r * kGridColumns + c] >= 0) geo.land[i].push_back(at_cell[r * kGridColumns + c]);
    }
    std::sort(geo.land[i].begin(), geo.land[i].end());
  }
  // Ferries: region growing reaches an island only through its nearest coast, so an
  // island always joins the region of that municipality.
  geo.links = geo.land;
  for (int i = 0; i < n; ++i) {
    if (!geo.places[i].island) continue;
    int nearest = -1;
    for (int j = 0; j < n; ++j) {
      if (geo.places[j].island) continue;
      if (nearest < 0 || distance(geo.places[i].centroid, geo.places[j].centroid) <
                             distance(geo.places[i].centroid, geo.places[nearest].centroid)) {
        nearest = j;
      }
    }
    geo.links[i].push_back(nearest);
    geo.links[nearest].push_back(i);
  }
  for (auto& neighbours : geo.links) std::sort(neighbours.begin(), neighbours.end());
  return geo;
}

// ------------------------------------------------------------------ region growing

std::vector<int> mainland(const Geography& geo) {
  std::vector<int> out;
  for (int i = 0; i < static_cast<int>(geo.places.size()); ++i) {
    if (!geo.places[i].island) out.push_back(i);
  }
  return out;
}

// Best-candidate sampling: each next seed is the most remote of a few random candidates,
// which spreads seeds evenly without a regular pattern.
std::vector<int> spread_seeds(const std::vector<int>& candidates, int count, const Geography& geo,
                              SplitMix64& rng) {
  count = std::min<int>(count, static_cast<int>(candidates.size()));
  std::vector<int> seeds;
  std::vector<char> taken(geo.places.size(), 0);
  while (static_cast<int>(seeds.size()) < count) {
    int best = -1;
    double best_gap = -1.0;
    const int tries = seeds.empty() ? 1 : kSeedCandidates;
    for (int t = 0; t < tries; ++t) {
      const int c = pick(candidates, rng);
      if (taken[c]) continue;
      double gap = 1e300;
      for (int s : seeds) gap = std::min(gap, distance(geo.places[c].centroid, geo.places[s].centroid));
      if (gap > best_gap) {
        best = c;
        best_gap = gap;
      }
    }
    if (best < 0) continue;
    taken[best] = 1;
    seeds.push_back(best);
  }
  return seeds;
}

// Grows one region per seed over `links` inside `allowed`. Each step extends the
// region furthest below its target size, with the free neighbour that touches it on
// most sides (compact shapes). Regions stay connected by construction.
std::vector<int> grow_regions(const Adjacency& links, const std::vector<char>& allowed,
                              const std::vector<int>& seeds, const std::vector<double>& targets,
                              SplitMix64& rng) {
  const int n = static_cast<int>(links.size());
  const int k = static_cast<int>(seeds.size());
  std::vector<int> label(n, -1);
  std::vector<std::vector<int>> members(k);
  int remaining = 0;
  for (int i = 0; i < n; ++i) remaining += allowed[i] ? 1 : 0;
  for (int r = 0; r < k; ++r) {
    label[seeds[r]] = r;
    members[r].push_back(seeds[r]);
    --remaining;
  }

  std::vector<int> touches(n, 0);
  std::vector<int> order(k);
  while (remaining > 0) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      const double fa = members[a].size() / targets[a];
      const double fb = members[b].size() / targets[b];
      return fa != fb ? fa < fb : a < b;
    });
    bool grown = false;
    for (int r : order) {
      std::vector<int> frontier;
      for (int m : members[r]) {
        for (int nb : links[m]) {
          if (!allowed[nb] || label[nb] >= 0) continue;
          if (touches[nb]++ == 0) frontier.push_back(nb);
        }
      }
      if (frontier.empty()) continue;
      int most = 0;
      for (int f : frontier) most = std::max(most, touches[f]);
      std::vector<int> best;
      for (int f : frontier) {
        if (touches[f] == most) best.push_back(f);
        touches[f] = 0;
      }
      const int chosen = pick(best, rng);
      label[chosen] = r;
      members[r].push_back(chosen);
      --remaining;
      grown = true;
      break;
    }
    if (!grown) break;  // `allowed` is not connected to any seed; callers avoid this
  }
  return label;
}

std::vector<std::vector<int>> members_by_label(const std::vector<int>& label, int count) {
  std::vector<std::vector<int>> members(count);
  for (int i = 0; i < static_cast<int>(label.size()); ++i) {
    if (label[i] >= 0) members[label[i]].push_back(i);
  }
  return members;
}

// A connected random subset of `pool` that contains `start`, of `size` places (fewer
// if the pool runs out).
std::vector<int> grow_subset(const Adjacency& links, const std::vector<char>& in_pool, std::vector<int> start,
                             int size, SplitMix64& rng) {
  std::vector<char> in(links.size(), 0);
  for (int s : start) in[s] = 1;
  std::vector<int> members = std::move(start);
  while (static_cast<int>(members.size()) < size) {
    std::vector<int> frontier;
    for (int m : members) {
      for (int nb : links[m]) {
        if (in_pool[nb] && !in[nb]) {
          in[nb] = 2;  // seen in this round
          frontier.push_back(nb);
        }
      }
    }
    if (frontier.empty()) break;
    for (int f : frontier) in[f] = 0;
    const int chosen = pick(frontier, rng);
    in[chosen] = 1;
    members.push_back(chosen);
  }
  std::sort(members.begin(), members.end());
  return members;
}

// ------------------------------------------------------------------ the country

enum class Stage { kMeetingPlace, kStartUp, kRunningSystem };
Stage planted_stage(int region) { return static_cast<Stage>(region % 3); }

struct Country {
  Geography geo;
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> aliases;
  std::vector<double> population;
  std::vector<double> urbanity;  // 0 = rural, 1 = city centre
  std::vector<int> cities;       // places of the big cities, largest first

  std::vector<int> province;  // label per place
  std::vector<std::string> province_names;
  std::vector<int> planted;
  std::vector<std::string> planted_names;
  std::vector<int> planted_centre;  // the regional centre of each planted region
  std::vector<int> corop;
  std::vector<std::string> corop_names;
  std::vector<int> corop_province;
  std::vector<int> water_board;
  std::vector<std::string> water_board_names;
  std::vector<int> state_division;

  int size() const { return static_cast<int>(geo.places.size()); }
  std::vector<std::vector<int>> members(const std::vector<int>& label, std::size_t count) const {
    return members_by_label(label, static_cast<int>(count));
  }
};

std::vector<char> everywhere(const Country& c) { return std::vector<char>(c.geo.places.size(), 1); }

// Renumbers labels so that label order follows `order` (order[new] = old).
void relabel(std::vector<int>& label, const std::vector<int>& order) {
  std::vector<int> new_of(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) new_of[order[i]] = static_cast<int>(i);
  for (int& l : label) {
    if (l >= 0) l = new_of[l];
  }
}

Vec mean_centroid(const Country& c, const std::vector<int>& places) {
  Vec sum;
  for (int p : places) {
    sum.x += c.geo.places[p].centroid.x;
    sum.y += c.geo.places[p].centroid.y;
  }
  return {sum.x / places.size(), sum.y / places.size()};
}

int largest_member(const Country& c, const std::vector<int>& places) {
  int best = places.front();
  for (int p : places) {
    if (c.population[p] > c.population[best]) best = p;
  }
  return best;
}

// Twelve balanced blocks, numbered from north to south as CBS numbers the provinces.
void make_provinces(Country& c, NameMaker& names, SplitMix64& rng) {
  const std::vector<int> seeds = spread_seeds(mainland(c.geo), kProvinceCount, c.geo, rng);
  c.province = grow_regions(c.geo.links, everywhere(c), seeds, std::vector<double>(kProvinceCount, 1.0), rng);
  const auto members = c.members(c.province, kProvinceCount);
  std::vector<int> order(kProvinceCount);
  std::iota(order.begin(), order.end(), 0);
  std::vector<Vec> centre(kProvinceCount);
  for (int p = 0; p < kProvinceCount; ++p) centre[p] = mean_centroid(c, members[p]);
  std::sort(order.begin(), order.end(),
            [&](int a, int b) { return centre[a].y != centre[b].y ? centre[a].y > centre[b].y : a < b; });
  relabel(c.province, order);
  static constexpr std::array<std::string_view, 7> kPatterns = {"{}land",  "Noord-{}", "Zuid-{}", "{}",
                                                                "Oost-{}", "West-{}",  "{}ingen"};
  for (int p = 0; p < kProvinceCount; ++p) c.province_names.push_back(names.from_patterns(kPatterns));
}

// Planted regions are grown from their own seeds, independent of the provinces, so
// they cross province borders. Growth is retried until every size is in range.
void make_planted_regions(Country& c, SplitMix64& rng) {
  const std::vector<int> land = mainland(c.geo);
  for (int attempt = 0; attempt < kPlantedAttempts; ++attempt) {
    std::vector<int> seeds = spread_seeds(land, kPlantedRegionCount, c.geo, rng);
    std::vector<double> targets;
    for (int r = 0; r < kPlantedRegionCount; ++r)
      targets.push_back(rng.uniform(kPlantedMinTarget, kPlantedMaxTarget));
    std::vector<int> label = grow_regions(c.geo.links, everywhere(c), seeds, targets, rng);
    const auto members = c.members(label, kPlantedRegionCount);
    const bool sizes_ok = std::all_of(members.begin(), members.end(), [](const std::vector<int>& m) {
      return m.size() >= kPlantedMinSize && m.size() <= kPlantedMaxSize;
    });
    const bool covered = std::none_of(label.begin(), label.end(), [](int l) { return l < 0; });
    if ((sizes_ok && covered) || attempt + 1 == kPlantedAttempts) {
      // Region ids in random order, so an id says nothing about location.
      std::vector<int> order(kPlantedRegionCount);
      std::iota(order.begin(), order.end(), 0);
      shuffle(order, rng);
      relabel(label, order);
      c.planted = std::move(label);
      c.planted_centre.resize(kPlantedRegionCount);
      for (int r = 0; r < kPlantedRegionCount; ++r) c.planted_centre[r] = seeds[order[r]];
      return;
    }
  }
}

// Cities sit at the centres of some planted regions, regional towns at the others.
void make_population(Country& c, SplitMix64& rng) {
  const int n = c.size();
  c.population.assign(n, 0.0);
  for (int i = 0; i < n; ++i) {
    if (c.geo.places[i].island) {
      c.population[i] = log_uniform(rng, kMinIslandPopulation, kMaxIslandPopulation);
    } else {
      const double p = std::exp(std::log(kMedianPopulation) + kPopulationLogSpread * rng.normal());
      c.population[i] = std::clamp(p, kMinTownPopulation, kMaxTownPopulation);
    }
  }
  std::vector<int> centres = c.planted_centre;
  shuffle(centres, rng);
  for (std::size_t k = 0; k < centres.size(); ++k) {
    if (k < kCityPopulations.size()) {
      c.population[centres[k]] = log_uniform(rng, kCityPopulations[k].first, kCityPopulations[k].second);
      c.cities.push_back(centres[k]);
    } else {
      c.population[centres[k]] = log_uniform(rng, kMinCentrePopulation, kMaxCentrePopulation);
    }
  }
  for (double& p : c.population) p = std::round(p);

  // Urbanity mixes a municipality's own size with the nearness of a city.
  c.urbanity.assign(n, 0.0);
  for (int i = 0; i < n; ++i) {
    const double own = std::clamp(
        (std::log(c.population[i]) - std::log(8'000.0)) / (std::log(800'000.0) - std::log(8'000.0)), 0.0,
        1.0);
    double near = 0.0;
    for (int city : c.cities) {
      near = std::max(
          near, std::exp(-distance(c.geo.places[i].centroid, c.geo.places[city].centroid) / kUrbanReach));
    }
    c.urbanity[i] = std::clamp(0.55 * own + 0.45 * near, 0.0, 1.0);
  }
}

void make_names(Country& c, NameMaker& names, SplitMix64& rng) {
  const int n = c.size();
  c.names.resize(n);
  c.aliases.assign(n, {});
  for (int i = 0; i < n; ++i) c.names[i] = c.geo.places[i].island ? names.island() : names.municipality();
  // Aliases exercise name resolution: spelling variants and pre-merger names.
  for (int i = 0; i < n; ++i) {
    const std::string& name = c.names[i];
    if (name.rfind("Sint-", 0) == 0) {
      const std::string variant = "St. " + name.substr(5);
      if (names.claim(variant)) c.aliases[i].push_back(variant);
    } else if (name.rfind("'s-", 0) == 0) {
      const std::string variant = name.substr(3);
      if (names.claim(variant)) c.aliases[i].push_back(variant);
    }
    if (chance(rng, 0.04)) c.aliases[i].push_back(names.municipality());
  }
}

void name_planted_regions(Country& c, NameMaker& names, SplitMix64& rng) {
  static constexpr std::array<std::string_view, 7> kPatterns = {
      "{}streek", "Land van {}", "{}waard", "{}land", "{}gouw", "Kop van {}", "{}vallei"};
  for (int r = 0; r < kPlantedRegionCount; ++r) {
    std::string name;
    if (chance(rng, 0.4)) {
      name = "Regio " + c.names[c.planted_centre[r]];
      if (!names.claim(name)) name.clear();
    }
    if (name.empty()) name = names.from_patterns(kPatterns);
    c.planted_names.push_back(name);
  }
}

// COROP regions nest in provinces, as the real ones do.
void make_corop(Country& c, SplitMix64& rng) {
  const auto by_province = c.members(c.province, kProvinceCount);
  c.corop.assign(c.size(), -1);
  int next = 0;
  for (int p = 0; p < kProvinceCount; ++p) {
    const auto& members = by_province[p];
    const int count = std::max(
        2, static_cast<int>(std::lround(static_cast<double>(kCoropTarget) * members.size() / c.size())));
    std::vector<int> candidates;
    std::vector<char> allowed(c.size(), 0);
    for (int m : members) {
      allowed[m] = 1;
      if (!c.geo.places[m].island) candidates.push_back(m);
    }
    const std::vector<int> seeds = spread_seeds(candidates, count, c.geo, rng);
    const std::vector<int> label =
        grow_regions(c.geo.links, allowed, seeds, std::vector<double>(seeds.size(), 1.0), rng);
    for (int m : members) c.corop[m] = next + label[m];
    for (std::size_t s = 0; s < seeds.size(); ++s) c.corop_province.push_back(p);
    next += static_cast<int>(seeds.size());
  }
  for (const auto& members : c.members(c.corop, c.corop_province.size())) {
    const int largest = largest_member(c, members);
    c.corop_names.push_back(c.population[largest] >= 80'000.0 ? "Agglomeratie " + c.names[largest]
                                                              : c.names[largest] + " en omgeving");
  }
}

// Water boards follow catchments, not provinces: grown over the whole country.
void make_water_boards_and_divisions(Country& c, NameMaker& names, SplitMix64& rng) {
  const std::vector<int> land = mainland(c.geo);
  std::vector<int> seeds = spread_seeds(land, kWaterBoardCount, c.geo, rng);
  c.water_board =
      grow_regions(c.geo.links, everywhere(c), seeds, std::vector<double>(kWaterBoardCount, 1.0), rng);
  static constexpr std::array<std::string_view, 4> kPatterns = {"Waterschap {}", "Hoogheemraadschap {}land",
                                                                "Waterschap {}se Stromen", "Wetterskip {}"};
  for (int b = 0; b < kWaterBoardCount; ++b) c.water_board_names.push_back(names.from_patterns(kPatterns));

  seeds = spread_seeds(land, kStateDivisionCount, c.geo, rng);
  c.state_division =
      grow_regions(c.geo.links, everywhere(c), seeds, std::vector<double>(kStateDivisionCount, 1.0), rng);
}

Country build_country(std::uint64_t seed) {
  Country c;
  SplitMix64 geometry_rng(derive_seed(seed, "geometry"));
  c.geo = build_geography(geometry_rng);
  SplitMix64 region_rng(derive_seed(seed, "regions"));
  SplitMix64 name_rng(derive_seed(seed, "names"));
  NameMaker names(name_rng);
  make_planted_regions(c, region_rng);
  make_population(c, region_rng);
  make_names(c, names, name_rng);
  make_provinces(c, names, region_rng);
  name_planted_regions(c, names, name_rng);
  make_corop(c, region_rng);
  make_water_boards_and_divisions(c, names, region_rng);
  return c;
}

// ------------------------------------------------------------------ dataset: places and bodies

void emit_municipalities(const Country& c, v1::Dataset& ds) {
  for (int i = 0; i < c.size(); ++i) {
    const Place& place = c.geo.places[i];
    v1::Municipality* m = ds.add_municipalities();
    m->set_code(municipality_code(i));
    m->set_name(c.names[i]);
    m->set_province_code(province_code(c.province[i]));
    m->set_population(static_cast<std::int64_t>(c.population[i]));
    m->set_area_km2(round_to(place.area_m2 / 1e6, 3));
    for (const Ring& ring : place.polygons) {
      v1::Ring* outer = m->mutable_geometry()->add_polygons()->mutable_outer();
      for (Vec p : ring) {
        v1::Point* point = outer->add_points();
        point->set_x(p.x);
        point->set_y(p.y);
      }
    }
    m->mutable_centroid()->set_x(place.centroid.x);
    m->mutable_centroid()->set_y(place.centroid.y);
    for (const std::string& alias : c.aliases[i]) m->add_aliases(alias);
  }
}

void add_codes(const std::vector<int>& places, google::protobuf::RepeatedPtrField<std::string>* out) {
  for (int p : places) out->Add(municipality_code(p));
}

void emit_bodies(const Country& c, v1::Dataset& ds) {
  const auto provinces = c.members(c.province, kProvinceCount);
  for (int p = 0; p < kProvinceCount; ++p) {
    v1::Body* b = ds.add_bodies();
    b->set_code(province_code(p));
    b->set_name("Provincie " + c.province_names[p]);
    b->set_kind(v1::BODY_KIND_PROVINCE);
    add_codes(provinces[p], b->mutable_municipality_codes());
  }
  const auto boards = c.members(c.water_board, kWaterBoardCount);
  for (int w = 0; w < kWaterBoardCount; ++w) {
    v1::Body* b = ds.add_bodies();
    b->set_code(water_board_code(w));
    b->set_name(c.water_board_names[w]);
    b->set_kind(v1::BODY_KIND_WATER_BOARD);
    add_codes(boards[w], b->mutable_municipality_codes());
  }
  // The Rijk covers every municipality; listing them all would add nothing.
  v1::Body* rijk = ds.add_bodies();
  rijk->set_code(kNationalCode);
  rijk->set_name("Rijksoverheid");
  rijk->set_kind(v1::BODY_KIND_NATIONAL);
}

void emit_region_definitions(const Country& c, v1::Dataset& ds) {
  v1::RegionDefinition* planted = ds.add_region_definitions();
  planted->set_name(kPlantedDefinition);
  planted->set_description(
      "Ground truth of the demo dataset: the regions its cooperation arrangements were "
      "planted in (contiguous; islands join the region of their nearest coast).");
  const auto regions = c.members(c.planted, kPlantedRegionCount);
  for (int r = 0; r < kPlantedRegionCount; ++r) {
    v1::Region* region = planted->add_regions();
    region->set_id(planted_id(r));
    region->set_name(c.planted_names[r]);
    add_codes(regions[r], region->mutable_municipality_codes());
  }

  v1::RegionDefinition* corop = ds.add_region_definitions();
  corop->set_name("corop");
  corop->set_description("Statistical COROP-like regions of the demo dataset; they nest in provinces.");
  const auto corops = c.members(c.corop, c.corop_names.size());
  for (std::size_t r = 0; r < corops.size(); ++r) {
    v1::Region* region = corop->add_regions();
    region->set_id(numbered("CR", static_cast<int>(r) + 1, 2));
    region->set_name(c.corop_names[r]);
    add_codes(corops[r], region->mutable_municipality_codes());
  }
}

// ------------------------------------------------------------------ arrangements

constexpr std::array<std::string_view, 11> kDomains = {
    "zorg",     "jeugd",   "werk",  "onderwijs", "veiligheid",     "fysiek",
    "economie", "bestuur", "afval", "recreatie", "bedrijfsvoering"};
enum Domain {
  kZorg,
  kJeugd,
  kWerk,
  kOnderwijs,
  kVeiligheid,
  kFysiek,
  kEconomie,
  kBestuur,
  kAfval,
  kRecreatie,
  kBedrijfsvoering
};

// Names of cooperation arrangements by primary domain.
constexpr std::array<std::array<std::string_view, 3>, 11> kDomainLabels = {{
    {"GGD", "Zorgregio", "Wmo-samenwerking"},
    {"Jeugdhulpregio", "Jeugdzorg", "Veilig Thuis"},
    {"Arbeidsmarktregio", "Werkbedrijf", "Sociale Werkvoorziening"},
    {"RMC-regio", "Leerplicht", "Onderwijsplatform"},
    {"Veiligheidshuis", "RIEC", "Regionale Brandweer"},
    {"Omgevingsdienst", "Woningmarktregio", "Mobiliteitsplatform"},
    {"Economic Board", "Bedrijventerreinen", "Regiomarketing"},
    {"Regioraad", "Bestuurlijk Overleg", "Regioconvenant"},
    {"Afvalschap", "Reinigingsdienst", "Afvalinzameling"},
    {"Recreatieschap", "Regionaal Bureau voor Toerisme", "Routenetwerk"},
    {"Belastingsamenwerking", "ICT-samenwerking", "Shared Service Center"},
}};
// Societal arrangements: "<form> <topic> <area>".
constexpr std::array<std::string_view, 4> kSocietalForms = {"Netwerk", "Platform", "Stichting", "Pact"};
constexpr std::array<std::string_view, 11> kSocietalTopics = {
    "Zorg",        "Jeugd",        "Werk",      "Onderwijs",  "Veiligheid",     "Ruimte",
    "Ondernemers", "Leefbaarheid", "Circulair", "Vrije Tijd", "Dienstverlening"};

// How a planted region bundles its tasks: running systems integrally, meeting places
// task by task (DOMAIN.md §3 functional integrality).
enum class Integrality { kSectoral, kMixed, kIntegral };
Integrality planted_integrality(int region) {
  switch (planted_stage(region)) {
    case Stage::kRunningSystem:
      return Integrality::kIntegral;
    case Stage::kStartUp:
      return Integrality::kMixed;
    case Stage::kMeetingPlace:
      break;
  }
  return Integrality::kSectoral;
}

struct Draft {
  std::string name;
  v1::ArrangementKind kind = v1::ARRANGEMENT_KIND_COOPERATION;
  v1::LegalForm legal_form = v1::LEGAL_FORM_UNSPECIFIED;
  std::vector<int> domains;  // indices into kDomains, ascending
  std::vector<int> members;  // places, ascending (= code order)
  std::vector<std::string> bodies;
  std::string division;
};

std::vector<int> draw_domains(std::vector<int> pool, int min_count, int max_count, SplitMix64& rng) {
  shuffle(pool, rng);
  pool.resize(std::min<std::size_t>(pool.size(), uniform_int(rng, min_count, max_count)));
  std::sort(pool.begin(), pool.end());
  return pool;
}

v1::LegalForm cooperation_form(int primary_domain, SplitMix64& rng) {
  if (primary_domain == kBedrijfsvoering && chance(rng, 0.6)) return v1::LEGAL_FORM_WGR_BUSINESS_OPERATIONS;
  static constexpr std::array<std::pair<v1::LegalForm, double>, 8> kForms = {{
      {v1::LEGAL_FORM_WGR_PUBLIC_BODY, 30},
      {v1::LEGAL_FORM_WGR_COMMON_BODY, 7},
      {v1::LEGAL_FORM_WGR_CENTRAL_MUNICIPALITY, 13},
      {v1::LEGAL_FORM_WGR_BUSINESS_OPERATIONS, 8},
      {v1::LEGAL_FORM_WGR_LIGHT, 10},
      {v1::LEGAL_FORM_INFORMAL, 15},
      {v1::LEGAL_FORM_NETWORK, 12},
      {v1::LEGAL_FORM_PRIVATE_LAW, 5},
  }};
  std::vector<double> weights;
  for (const auto& form : kForms) weights.push_back(form.second);
  return kForms[pick_weighted(weights, rng)].first;
}

v1::LegalForm societal_form(SplitMix64& rng) {
  const double u = rng.uniform();
  if (u < 0.45) return v1::LEGAL_FORM_NETWORK;
  if (u < 0.85) return v1::LEGAL_FORM_PRIVATE_LAW;
  return v1::LEGAL_FORM_INFORMAL;
}

// A region's name inside an arrangement name: "GGD Brakel", not "GGD Regio Brakel".
std::string region_label(const std::string& region_name) {
  constexpr std::string_view kPrefix = "Regio ";
  return region_name.rfind(kPrefix, 0) == 0 ? region_name.substr(kPrefix.size()) : region_name;
}

// The area part of a name: the region itself, or the members for a part of it.
std::string area_label(const Country& c, const std::vector<int>& members, const std::string& whole,
                       bool is_whole) {
  if (is_whole) return region_label(whole);
  if (members.size() == 2) return c.names[members[0]] + "-" + c.names[members[1]];
  return c.names[largest_member(c, members)] + " e.o.";
}

Draft cooperation(std::vector<int> members, std::vector<int> domains, const std::string& area,
                  SplitMix64& rng) {
  Draft d;
  d.members = std::move(members);
  d.domains = std::move(domains);
  d.name = std::string(pick(kDomainLabels[d.domains.front()], rng)) + " " + area;
  d.legal_form = cooperation_form(d.domains.front(), rng);
  return d;
}

// Water boards join arrangements about space, waste and recreation now and then.
void maybe_add_water_boards(const Country& c, Draft& d, SplitMix64& rng) {
  const bool watery = std::any_of(d.domains.begin(), d.domains.end(),
                                  [](int x) { return x == kFysiek || x == kAfval || x == kRecreatie; });
  if (!watery || !chance(rng, kWaterBoardShare)) return;
  std::set<int> boards;
  for (int m : d.members) boards.insert(c.water_board[m]);
  for (int b : boards) d.bodies.push_back(water_board_code(b));
}

std::vector<char> pool_of(const Country& c, const std::vector<int>& places) {
  std::vector<char> pool(c.size(), 0);
  for (int p : places) pool[p] = 1;
  return pool;
}

// A part of a planted region: sizes lean towards the whole region (the planted signal
// must survive count weighting); some parts are scattered, some a connected sub-area.
std::vector<int> part_of_region(const Country& c, const std::vector<int>& members,
                                const std::vector<char>& pool, SplitMix64& rng) {
  const int n = static_cast<int>(members.size());
  const int size = std::min(n - 1, 2 + static_cast<int>(std::floor((n - 2) * std::sqrt(rng.uniform()))));
  std::vector<int> part;
  if (chance(rng, kScatteredPartShare)) {
    part = members;
    shuffle(part, rng);
    part.resize(size);
    std::sort(part.begin(), part.end());
  } else {
    part = grow_subset(c.geo.links, pool, {pick(members, rng)}, size, rng);
  }
  return part.size() >= 2 ? part : members;  // an island alone cannot cooperate
}

// ≈75%: arrangements inside one planted region. Each region has its own activity,
// its own chance that all members join (Congruence 2), and a domain profile.
void within_region_arrangements(const Country& c, std::vector<Draft>& out, SplitMix64& rng) {
  const auto regions = c.members(c.planted, kPlantedRegionCount);
  std::vector<double> weight(kPlantedRegionCount);
  for (int r = 0; r < kPlantedRegionCount; ++r) {
    const double stage_activity = std::array<double, 3>{0.8, 1.0, 1.25}[static_cast<int>(planted_stage(r))];
    weight[r] = regions[r].size() * stage_activity * rng.uniform(0.8, 1.2);
  }
  const double total = std::accumulate(weight.begin(), weight.end(), 0.0);
  std::vector<int> all_domains(kDomains.size());
  std::iota(all_domains.begin(), all_domains.end(), 0);

  for (int r = 0; r < kPlantedRegionCount; ++r) {
    const auto& members = regions[r];
    const std::vector<char> pool = pool_of(c, members);
    const int count = static_cast<int>(std::lround(kWithinRegionArrangements * weight[r] / total));
    const double p_full = rng.uniform(kMinFullParticipation, kMaxFullParticipation);
    const Integrality profile = planted_integrality(r);
    std::vector<int> domain_pool = all_domains;
    shuffle(domain_pool, rng);
    int min_domains = 1;
    int max_domains = 1;
    if (profile == Integrality::kIntegral) {
      domain_pool.resize(5);
      min_domains = 2;
      max_domains = 3;
    } else if (profile == Integrality::kMixed) {
      domain_pool.resize(8);
      max_domains = 2;
    }
    for (int a = 0; a < count; ++a) {
      std::vector<int> subset = chance(rng, p_full) ? members : part_of_region(c, members, pool, rng);
      int max_here = max_domains;
      if (profile == Integrality::kSectoral && chance(rng, 0.1)) max_here = 2;
      std::vector<int> domains = draw_domains(domain_pool, std::min(min_domains, max_here), max_here, rng);
      const std::string area = area_label(c, subset, c.planted_names[r], subset.size() == members.size());
      Draft d = cooperation(std::move(subset), std::move(domains), area, rng);
      if (chance(rng, kSocietalShare)) {
        d.kind = v1::ARRANGEMENT_KIND_SOCIETAL;
        d.legal_form = societal_form(rng);
        d.name = std::string(pick(kSocietalForms, rng)) + " " +
                 std::string(kSocietalTopics[d.domains.front()]) + " " + area;
      }
      maybe_add_water_boards(c, d, rng);
      out.push_back(std::move(d));
    }
    // Running systems have a Regio Deal with province and Rijk.
    if (planted_stage(r) == Stage::kRunningSystem) {
      Draft deal;
      deal.name = "Regio Deal " + region_label(c.planted_names[r]);
      deal.legal_form = v1::LEGAL_FORM_INFORMAL;
      deal.members = members;
      deal.domains = {kWerk, kFysiek, kEconomie};
      deal.bodies = {province_code(c.province[c.planted_centre[r]]), kNationalCode};
      out.push_back(std::move(deal));
    }
  }
}

// ≈15%: arrangements across the border of two neighbouring planted regions.
void two_region_arrangements(const Country& c, std::vector<Draft>& out, SplitMix64& rng) {
  std::set<std::pair<int, int>> border;  // (place in the lower region, place in the higher)
  for (int i = 0; i < c.size(); ++i) {
    for (int j : c.geo.links[i]) {
      if (c.planted[i] < c.planted[j]) border.insert({i, j});
    }
  }
  const std::vector<std::pair<int, int>> edges(border.begin(), border.end());
  const auto regions = c.members(c.planted, kPlantedRegionCount);
  std::vector<int> all_domains(kDomains.size());
  std::iota(all_domains.begin(), all_domains.end(), 0);
  for (int a = 0; a < kTwoRegionArrangements; ++a) {
    const auto [i, j] = pick(edges, rng);
    const int ri = c.planted[i];
    const int rj = c.planted[j];
    std::vector<int> both = regions[ri];
    both.insert(both.end(), regions[rj].begin(), regions[rj].end());
    const int size = uniform_int(rng, 3, std::min<int>(kTwoRegionMaxSize, static_cast<int>(both.size())));
    std::vector<int> members = grow_subset(c.geo.links, pool_of(c, both), {i, j}, size, rng);
    const std::string area = region_label(c.planted_names[ri]) + " en " + region_label(c.planted_names[rj]);
    Draft d = cooperation(std::move(members), draw_domains(all_domains, 1, 2, rng), area, rng);
    maybe_add_water_boards(c, d, rng);
    out.push_back(std::move(d));
  }
}

// ≈5%: province-wide platforms with the province itself taking part.
void province_arrangements(const Country& c, std::vector<Draft>& out, SplitMix64& rng) {
  const auto provinces = c.members(c.province, kProvinceCount);
  const std::vector<int> pool = {kZorg, kVeiligheid, kFysiek, kEconomie, kBestuur, kRecreatie};
  for (int p = 0; p < kProvinceCount; ++p) {
    for (int a = 0; a < kArrangementsPerProvince; ++a) {
      std::vector<int> members = provinces[p];
      if (chance(rng, 0.3)) {  // a few municipalities stay out
        shuffle(members, rng);
        members.resize(members.size() - uniform_int(rng, 1, 3));
        std::sort(members.begin(), members.end());
      }
      Draft d = cooperation(std::move(members), draw_domains(pool, 1, 2, rng), c.province_names[p], rng);
      d.bodies.push_back(province_code(p));
      out.push_back(std::move(d));
    }
  }
}

// A few large ones (30-80 members) around the cities.
void large_arrangements(const Country& c, std::vector<Draft>& out, SplitMix64& rng) {
  const std::vector<int> pool = {kZorg, kWerk, kVeiligheid, kFysiek, kEconomie};
  const std::vector<char> everywhere_pool = everywhere(c);
  for (int a = 0; a < kLargeArrangements; ++a) {
    const int city = c.cities[a % c.cities.size()];
    std::vector<int> members = grow_subset(c.geo.links, everywhere_pool, {city},
                                           uniform_int(rng, kLargeMinSize, kLargeMaxSize), rng);
    if (a < 2) {
      Draft d;
      d.name = "Metropoolregio " + c.names[city];
      d.members = std::move(members);
      d.domains = {kFysiek, kEconomie};
      d.legal_form = v1::LEGAL_FORM_WGR_PUBLIC_BODY;
      d.bodies.push_back(province_code(c.province[city]));
      out.push_back(std::move(d));
    } else {
      out.push_back(
          cooperation(std::move(members), draw_domains(pool, 1, 2, rng), "Groot-" + c.names[city], rng));
    }
  }
}

// Divisions to compare with, not cooperation: COROP regions (statistical) and court
// districts (state).
void division_arrangements(const Country& c, std::vector<Draft>& out) {
  const auto corops = c.members(c.corop, c.corop_names.size());
  for (std::size_t r = 0; r < corops.size(); ++r) {
    Draft d;
    d.name = "COROP " + c.corop_names[r];
    d.kind = v1::ARRANGEMENT_KIND_STATISTICAL;
    d.members = corops[r];
    d.division = "corop";
    out.push_back(std::move(d));
  }
  for (const auto& members : c.members(c.state_division, kStateDivisionCount)) {
    Draft d;
    d.name = "Arrondissement " + c.names[largest_member(c, members)];
    d.kind = v1::ARRANGEMENT_KIND_STATE;
    d.members = members;
    d.domains = {kVeiligheid};
    d.bodies = {kNationalCode};
    d.division = "arrondissement";
    out.push_back(std::move(d));
  }
}

void emit_arrangements(const Country& c, std::uint64_t seed, v1::Dataset& ds) {
  SplitMix64 rng(derive_seed(seed, "arrangements"));
  std::vector<Draft> drafts;
  within_region_arrangements(c, drafts, rng);
  two_region_arrangements(c, drafts, rng);
  province_arrangements(c, drafts, rng);
  large_arrangements(c, drafts, rng);
  division_arrangements(c, drafts);
  shuffle(drafts, rng);  // ids say nothing about the kind of arrangement
  for (std::size_t k = 0; k < drafts.size(); ++k) {
    const Draft& d = drafts[k];
    v1::Arrangement* a = ds.add_arrangements();
    a->set_id(numbered("A", static_cast<int>(k) + 1, 4));
    a->set_name(d.name);
    a->set_kind(d.kind);
    a->set_legal_form(d.legal_form);
    for (int domain : d.domains) a->add_policy_domains(std::string(kDomains[domain]));
    add_codes(d.members, a->mutable_municipality_codes());
    for (const std::string& body : d.bodies) a->add_body_codes(body);
    a->set_division(d.division);
  }
}

// ------------------------------------------------------------------ commuting

// Gravity model: flows to work place j fall off with distance, grow with j's size
// (cities attract more than proportionally) and triple inside a planted region. The
// stay-at-home share comes first and stays the largest flow of every municipality.
void emit_commuting(const Country& c, std::uint64_t seed, v1::Dataset& ds) {
  SplitMix64 rng(derive_seed(seed, "commuting"));
  const int n = c.size();
  std::vector<double> attraction(n);
  for (int j = 0; j < n; ++j) attraction[j] = std::pow(c.population[j], kJobAttraction);
  std::vector<double> weight(n);
  for (int i = 0; i < n; ++i) {
    const double workers = std::round(kLabourShare * c.population[i]);
    const double self_share =
        c.geo.places[i].island
            ? kIslandSelfShare
            : std::clamp(kBaseSelfShare + kUrbanSelfShare * c.urbanity[i] + 0.05 * rng.normal(), 0.3, 0.8);
    const double self = std::round(workers * self_share);
    double total = 0.0;
    for (int j = 0; j < n; ++j) {
      if (j == i) {
        weight[j] = 0.0;
        continue;
      }
      const double d = distance(c.geo.places[i].centroid, c.geo.places[j].centroid);
      weight[j] = attraction[j] * std::exp(-d / kCommuteDecay) *
                  (c.planted[i] == c.planted[j] ? kSameRegionBoost : 1.0);
      total += weight[j];
    }
    const double outgoing = workers - self;
    for (int j = 0; j < n; ++j) {
      const double persons = j == i ? self : std::min(std::round(outgoing * weight[j] / total), self - 1.0);
      if (persons < kMinFlow) continue;
      v1::CommutingFlow* f = ds.add_commuting_flows();
      f->set_home_code(municipality_code(i));
      f->set_work_code(municipality_code(j));
      f->set_persons(persons);
    }
  }
}

// ------------------------------------------------------------------ area indicators

enum class Model { kLinear, kAddressDensity };

struct IndicatorSpec {
  const char* id;
  const char* name;
  v1::Theme theme;
  const char* unit;
  v1::Direction direction;
  bool broad_wellbeing;
  v1::Theme mirror_theme;
  Model model;
  double base;       // value at the mean urbanity
  double urban;      // change from fully rural to fully urban
  double region_sd;  // between planted regions
  double within_sd;  // inside a region: about as large (DOMAIN.md §4); log scale for density
  double trend;      // mean change 2014 -> 2016
  double trend_sd;   // between regions; half of it again within
  double lo;
  double hi;
  int decimals;
};

// Urban municipalities score high on economy and low on environment and housing
// affordability: the mirrored themes of DOMAIN.md §4.
constexpr std::array<IndicatorSpec, 12> kIndicators = {{
    {"address_density", "Address density", v1::THEME_GEOGRAPHY, "addresses per km2", v1::DIRECTION_NEUTRAL, false,
     v1::THEME_UNSPECIFIED, Model::kAddressDensity, 0, 0, 0, 0.10, 0.01, 0.005, 1, 1e6, 0},
    {"population_growth_forecast", "Forecast population growth to 2030", v1::THEME_DEMOGRAPHY, "%", v1::DIRECTION_HIGHER_IS_BETTER,
     false, v1::THEME_UNSPECIFIED, Model::kLinear, -1.5, 9.0, 2.0, 2.0, -0.3, 0.6, -25, 40, 1},
    {"grey_pressure", "Grey pressure (aged 65+ per 100 aged 20-64)", v1::THEME_DEMOGRAPHY, "per 100", v1::DIRECTION_LOWER_IS_BETTER,
     false, v1::THEME_UNSPECIFIED, Model::kLinear, 37.0, -13.0, 3.0, 3.0, 1.5, 0.5, 10, 80, 1},
    {"house_price", "Average house value", v1::THEME_HOUSING_AND_SERVICES, "thousand EUR", v1::DIRECTION_LOWER_IS_BETTER, true,
     v1::THEME_ECONOMY, Model::kLinear, 205.0, 170.0, 25.0, 25.0, 8.0, 6.0, 80, 900, 0},
    {"distance_to_services", "Distance to everyday services", v1::THEME_HOUSING_AND_SERVICES, "km", v1::DIRECTION_LOWER_IS_BETTER,
     true, v1::THEME_UNSPECIFIED, Model::kLinear, 2.3, -1.5, 0.3, 0.4, -0.05, 0.05, 0.3, 10, 2},
    {"volunteering_share", "Residents doing volunteer work", v1::THEME_SOCIAL_CAPITAL, "%", v1::DIRECTION_HIGHER_IS_BETTER, true,
     v1::THEME_UNSPECIFIED, Model::kLinear, 31.0, -9.0, 3.0, 3.0, -0.5, 1.0, 5, 70, 1},
    {"jobs_per_1000", "Jobs per 1,000 residents aged 15-74", v1::THEME_ECONOMY, "jobs per 1000", v1::DIRECTION_HIGHER_IS_BETTER, true,
     v1::THEME_ENVIRONMENT, Model::kLinear, 560.0, 380.0, 40.0, 60.0, 10.0, 12.0, 150, 2000, 0},
    {"disposable_income", "Average disposable household income", v1::THEME_ECONOMY, "thousand EUR", v1::DIRECTION_HIGHER_IS_BETTER,
     true, v1::THEME_UNSPECIFIED, Model::kLinear, 36.0, 3.5, 2.0, 2.5, 1.0, 0.5, 15, 90, 1},
    {"green_space_share", "Green and natural area", v1::THEME_ENVIRONMENT, "% of land", v1::DIRECTION_HIGHER_IS_BETTER, true,
     v1::THEME_ECONOMY, Model::kLinear, 46.0, -32.0, 6.0, 6.0, -0.3, 0.4, 2, 95, 1},
    {"life_expectancy", "Life expectancy at birth", v1::THEME_HEALTH, "years", v1::DIRECTION_HIGHER_IS_BETTER, true,
     v1::THEME_UNSPECIFIED, Model::kLinear, 81.4, -0.4, 0.4, 0.5, 0.2, 0.15, 70, 95, 1},
    {"perceived_health_good", "Residents in good perceived health", v1::THEME_HEALTH, "%", v1::DIRECTION_HIGHER_IS_BETTER, true,
     v1::THEME_UNSPECIFIED, Model::kLinear, 77.0, -2.5, 1.5, 2.0, -0.3, 0.8, 40, 99, 1},
    {"life_satisfaction", "Residents satisfied with their life", v1::THEME_WELLBEING, "%", v1::DIRECTION_HIGHER_IS_BETTER, true,
     v1::THEME_UNSPECIFIED, Model::kLinear, 86.0, -2.0, 1.2, 1.5, 0.3, 0.7, 50, 99, 1},
}};

void emit_indicators(const Country& c, const std::vector<bool>& lead_actor_accepted, std::uint64_t seed,
                     v1::Dataset& ds) {
  SplitMix64 rng(derive_seed(seed, "indicators"));
  for (const IndicatorSpec& s : kIndicators) {
    v1::AreaIndicator* ind = ds.add_area_indicators();
    ind->set_id(s.id);
    ind->set_name(s.name);
    ind->set_theme(s.theme);
    ind->set_unit(s.unit);
    ind->set_direction(s.direction);
    ind->set_broad_wellbeing(s.broad_wellbeing);
    ind->set_mirror_theme(s.mirror_theme);
  }
  const int n = c.size();
  // `base` is the value at the national mean urbanity.
  const double mean_urbanity = std::accumulate(c.urbanity.begin(), c.urbanity.end(), 0.0) / n;
  std::vector<std::vector<double>> base(kIndicators.size(), std::vector<double>(n));
  std::vector<std::vector<double>> later(kIndicators.size(), std::vector<double>(n));
  for (std::size_t k = 0; k < kIndicators.size(); ++k) {
    const IndicatorSpec& s = kIndicators[k];
    std::vector<double> level(kPlantedRegionCount);
    std::vector<double> trend(kPlantedRegionCount);
    for (int r = 0; r < kPlantedRegionCount; ++r) {
      level[r] = s.region_sd * rng.normal();
      trend[r] = s.trend_sd * rng.normal();
      // Planted: regions whose lead actor is accepted improve on broad well-being.
      if (s.broad_wellbeing && lead_actor_accepted[r]) {
        trend[r] += kLeadActorTrendBonus * s.trend_sd * (s.direction == v1::DIRECTION_LOWER_IS_BETTER ? -1.0 : 1.0);
      }
    }
    for (int i = 0; i < n; ++i) {
      const int r = c.planted[i];
      double first = 0.0;   // kBaseYear
      double second = 0.0;  // kReferenceYear
      if (s.model == Model::kAddressDensity) {
        first =
            0.46 * c.population[i] / (c.geo.places[i].area_m2 / 1e6) * std::exp(s.within_sd * rng.normal());
        second = first * (1.0 + s.trend + s.trend_sd * rng.normal());
      } else {
        first = s.base + s.urban * (c.urbanity[i] - mean_urbanity) + level[r] + s.within_sd * rng.normal();
        first = std::clamp(first, s.lo, s.hi);
        second = first + s.trend + trend[r] + 0.5 * s.trend_sd * rng.normal();
      }
      base[k][i] = round_to(std::clamp(first, s.lo, s.hi), s.decimals);
      later[k][i] = round_to(std::clamp(second, s.lo, s.hi), s.decimals);
    }
  }
  for (int year : {kBaseYear, kReferenceYear}) {
    const auto& values = year == kBaseYear ? base : later;
    for (std::size_t k = 0; k < kIndicators.size(); ++k) {
      for (int i = 0; i < n; ++i) {
        v1::IndicatorValue* v = ds.add_indicator_values();
        v->set_indicator_id(kIndicators[k].id);
        v->set_municipality_code(municipality_code(i));
        v->set_year(year);
        v->set_value(values[k][i]);
      }
    }
  }
}

// ------------------------------------------------------------------ survey

struct ItemSpec {
  const char* id;
  v1::LegitimacyDimension dimension;
  bool reverse_coded;
  const char* text;
};

constexpr std::array<ItemSpec, 15> kSurveyItems = {{
    {"F1", v1::LEGITIMACY_DIMENSION_FUNDAMENTAL, false,
     "Regional cooperation is a good means to carry out the tasks of my municipality."},
    {"F2", v1::LEGITIMACY_DIMENSION_FUNDAMENTAL, false,
     "I am interested in what happens in regional cooperation."},
    {"F3", v1::LEGITIMACY_DIMENSION_FUNDAMENTAL, true,
     "My municipality would do better to go it alone than to cooperate in the region."},
    {"I1", v1::LEGITIMACY_DIMENSION_INPUT, false,
     "As a representative I can influence the decisions taken in regional cooperation."},
    {"I2", v1::LEGITIMACY_DIMENSION_INPUT, false,
     "The ambitions of the region fit the ambitions of my own council."},
    {"I3", v1::LEGITIMACY_DIMENSION_INPUT, true, "Regional decisions reach my council as a done deal."},
    {"T1", v1::LEGITIMACY_DIMENSION_THROUGHPUT, false,
     "I have a good overview of what happens in regional cooperation."},
    {"T2", v1::LEGITIMACY_DIMENSION_THROUGHPUT, false,
     "The procedures of regional decision-making are transparent."},
    {"T3", v1::LEGITIMACY_DIMENSION_THROUGHPUT, false,
     "I receive timely and sufficient information about regional cooperation."},
    {"OA1", v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS, false,
     "Regional cooperation achieves the ambitions the region has set itself."},
    {"OA2", v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS, false,
     "The results of regional cooperation are worth the effort put into it."},
    {"OA3", v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS, false,
     "Regional cooperation delivers results my municipality could not achieve alone."},
    {"ON1", v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS, false,
     "Our region performs better than neighbouring regions."},
    {"ON2", v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS, false,
     "Compared with neighbouring regions, our cooperation is well organised."},
    {"ON3", v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS, false,
     "Neighbouring regions see our region as an example."},
}};

// Mean answer per dimension (index = LegitimacyDimension): high fundamental, low input
// and throughput legitimacy, as the study found.
constexpr std::array<double, 6> kDimensionMeans = {0.0, 4.0, 2.5, 2.5, 3.2, 3.0};

struct Respondent {
  v1::RepresentativeRole role;
  std::string body_code;
  int region;  // planted region, -1 for provincial and water-board members
};

void emit_survey(const Country& c, std::uint64_t seed, v1::Dataset& ds) {
  SplitMix64 rng(derive_seed(seed, "survey"));
  for (const ItemSpec& s : kSurveyItems) {
    v1::SurveyItem* item = ds.add_survey_items();
    item->set_id(s.id);
    item->set_dimension(s.dimension);
    item->set_reverse_coded(s.reverse_coded);
    item->set_text(s.text);
  }
  // Region effects: small everywhere (little variation between BREs), plus the
  // planted input-legitimacy gap.
  std::vector<std::array<double, 6>> region_effect(kPlantedRegionCount);
  for (int r = 0; r < kPlantedRegionCount; ++r) {
    for (int d = 1; d < 6; ++d) region_effect[r][d] = kRegionSpread * rng.normal();
    if (std::find(kLowInputRegions.begin(), kLowInputRegions.end(), r) != kLowInputRegions.end()) {
      region_effect[r][v1::LEGITIMACY_DIMENSION_INPUT] += kLowInputShift;
    }
  }

  std::vector<Respondent> respondents;
  for (int k = 0; k < kMunicipalRespondents; ++k) {
    const int place = static_cast<int>(rng.below(c.size()));
    respondents.push_back(
        {v1::REPRESENTATIVE_ROLE_MUNICIPAL_COUNCIL, municipality_code(place), c.planted[place]});
  }
  for (int k = 0; k < kProvincialRespondents; ++k) {
    respondents.push_back({v1::REPRESENTATIVE_ROLE_PROVINCIAL_COUNCIL,
                           province_code(static_cast<int>(rng.below(kProvinceCount))), -1});
  }
  for (int k = 0; k < kWaterBoardRespondents; ++k) {
    respondents.push_back({v1::REPRESENTATIVE_ROLE_WATER_BOARD,
                           water_board_code(static_cast<int>(rng.below(kWaterBoardCount))), -1});
  }
  shuffle(respondents, rng);

  for (std::size_t k = 0; k < respondents.size(); ++k) {
    const Respondent& who = respondents[k];
    v1::SurveyResponse* response = ds.add_survey_responses();
    response->set_respondent_id(numbered("R", static_cast<int>(k) + 1, 4));
    response->set_role(who.role);
    response->set_body_code(who.body_code);
    std::array<double, 6> latent{};
    for (int d = 1; d < 6; ++d) {
      latent[d] = kDimensionMeans[d] + kPersonSpread * rng.normal() +
                  (who.region >= 0 ? region_effect[who.region][d] : 0.0);
    }
    for (const ItemSpec& s : kSurveyItems) {
      // Draw both values always, so the missing pattern does not shift later answers.
      const double agreement =
          std::clamp(std::round(latent[s.dimension] + kItemSpread * rng.normal()), 1.0, 5.0);
      const bool missing = chance(rng, kMissingShare);
      const int answer = static_cast<int>(s.reverse_coded ? 6.0 - agreement : agreement);
      v1::SurveyAnswer* a = response->add_answers();
      a->set_item_id(s.id);
      a->set_value(missing ? 0 : answer);
    }
  }
}

// ------------------------------------------------------------------ case descriptors

v1::LeadActor draw_lead_actor(SplitMix64& rng) {
  const double u = rng.uniform();
  if (u < 0.5) return v1::LEAD_ACTOR_CENTRAL_MUNICIPALITY;
  if (u < 0.8) return v1::LEAD_ACTOR_REGIONAL_OFFICE;
  return v1::LEAD_ACTOR_PROVINCE;
}

// Administrators meet and align, without a shared vision or agenda (DOMAIN.md §8).
void describe_meeting_place(v1::CaseDescriptors& k, SplitMix64& rng) {
  k.set_shared_vision(v1::TRISTATE_NO);
  k.set_agenda(chance(rng, 0.5) ? v1::AGENDA_SCOPE_NONE : v1::AGENDA_SCOPE_SECTORAL);
  k.set_consensus_why(v1::TRISTATE_NO);
  k.set_consensus_what(v1::TRISTATE_NO);
  k.set_consensus_how(v1::TRISTATE_NO);
  k.set_decision_agreements(v1::TRISTATE_NO);
  k.set_capacity_agreements(v1::TRISTATE_NO);
  if (chance(rng, 0.6)) {
    k.set_lead_actor(v1::LEAD_ACTOR_NONE);
    k.set_lead_actor_accepted(v1::TRISTATE_NO);
  } else {
    k.set_lead_actor(v1::LEAD_ACTOR_PROVINCE);  // a province that pushes, not one granted the role
    k.set_lead_actor_accepted(v1::TRISTATE_NO);
  }
  k.set_economic_link(chance(rng, 0.7) ? v1::COMMUNITY_LINK_AD_HOC : v1::COMMUNITY_LINK_NONE);
  k.set_societal_link(v1::COMMUNITY_LINK_AD_HOC);
  k.set_urgency(random_tristate(rng, 0.3));
  k.set_structured_investment(v1::TRISTATE_NO);
}

// Consensus on why; what and how are being worked out; a granted connector.
void describe_start_up(v1::CaseDescriptors& k, SplitMix64& rng) {
  k.set_shared_vision(random_tristate(rng, 0.3));
  k.set_agenda(chance(rng, 0.6) ? v1::AGENDA_SCOPE_SECTORAL : v1::AGENDA_SCOPE_INTEGRAL);
  k.set_consensus_why(v1::TRISTATE_YES);
  k.set_consensus_what(random_tristate(rng, 0.5));
  k.set_consensus_how(v1::TRISTATE_NO);
  const bool agreements = chance(rng, 0.4);
  k.set_decision_agreements(tristate(agreements));
  k.set_capacity_agreements(tristate(agreements && chance(rng, 0.5)));
  k.set_lead_actor(draw_lead_actor(rng));
  k.set_lead_actor_accepted(v1::TRISTATE_YES);
  k.set_economic_link(v1::COMMUNITY_LINK_PROJECT);
  k.set_societal_link(chance(rng, 0.6) ? v1::COMMUNITY_LINK_PROJECT : v1::COMMUNITY_LINK_AD_HOC);
  k.set_urgency(random_tristate(rng, 0.7));
  k.set_structured_investment(
      tristate(k.decision_agreements() == v1::TRISTATE_YES && k.capacity_agreements() == v1::TRISTATE_YES));
}

// Consensus on why, what and how, with agreements and structural partner links.
void describe_running_system(v1::CaseDescriptors& k, SplitMix64& rng) {
  k.set_shared_vision(v1::TRISTATE_YES);
  k.set_agenda(v1::AGENDA_SCOPE_INTEGRAL);
  k.set_consensus_why(v1::TRISTATE_YES);
  k.set_consensus_what(v1::TRISTATE_YES);
  k.set_consensus_how(v1::TRISTATE_YES);
  k.set_decision_agreements(v1::TRISTATE_YES);
  k.set_capacity_agreements(v1::TRISTATE_YES);
  k.set_lead_actor(draw_lead_actor(rng));
  k.set_lead_actor_accepted(v1::TRISTATE_YES);
  k.set_economic_link(v1::COMMUNITY_LINK_STRUCTURAL);
  k.set_societal_link(chance(rng, 0.7) ? v1::COMMUNITY_LINK_STRUCTURAL : v1::COMMUNITY_LINK_PROJECT);
  k.set_urgency(random_tristate(rng, 0.5));
  k.set_structured_investment(v1::TRISTATE_YES);
}

// Imbalance signals and context, known for most cases.
void describe_context(v1::CaseDescriptors& k, Stage stage, SplitMix64& rng) {
  if (chance(rng, kKnownContextShare)) {
    k.set_administrative_conflict_history(random_tristate(rng, stage == Stage::kMeetingPlace ? 0.5 : 0.15));
    k.set_recent_merger(random_tristate(rng, 0.2));
    k.set_new_administrators(random_tristate(rng, 0.3));
    k.set_recalibration_under_way(random_tristate(rng, stage == Stage::kRunningSystem ? 0.3 : 0.0));
  }
  if (chance(rng, kKnownContextShare)) {
    k.set_result_oriented_culture(random_tristate(rng, stage == Stage::kMeetingPlace ? 0.3 : 0.7));
    k.set_mutual_trust(random_tristate(rng, stage == Stage::kMeetingPlace ? 0.4 : 0.8));
    k.set_regional_identity(chance(rng, 0.4) ? v1::REGIONAL_IDENTITY_THICK : v1::REGIONAL_IDENTITY_THIN);
    const double u = rng.uniform();
    k.set_result_scale(u < 0.5   ? v1::RESULT_SCALE_BRE
                       : u < 0.8 ? v1::RESULT_SCALE_SUBREGION
                                 : v1::RESULT_SCALE_SUPRA_REGIONAL);
  }
}

// Some case studies could not establish everything; unknown is never "no".
void blank_some_fields(v1::CaseDescriptors& k, int variant) {
  if (variant == 0) {
    k.set_agenda(v1::AGENDA_SCOPE_UNKNOWN);
    k.set_consensus_how(v1::TRISTATE_UNKNOWN);
    k.set_lead_actor(v1::LEAD_ACTOR_UNKNOWN);
    k.set_lead_actor_accepted(v1::TRISTATE_UNKNOWN);
    k.set_economic_link(v1::COMMUNITY_LINK_UNKNOWN);
  } else {
    k.set_shared_vision(v1::TRISTATE_UNKNOWN);
    k.set_consensus_what(v1::TRISTATE_UNKNOWN);
    k.set_capacity_agreements(v1::TRISTATE_UNKNOWN);
    k.set_societal_link(v1::COMMUNITY_LINK_UNKNOWN);
    k.set_structured_investment(v1::TRISTATE_UNKNOWN);
  }
}

// A running system on paper whose basics contradict it: no consensus on why and no
// agenda, yet agreements on what and how; an accepted lead actor that does not exist.
void make_contradictory(v1::CaseDescriptors& k) {
  k.set_consensus_why(v1::TRISTATE_NO);
  k.set_agenda(v1::AGENDA_SCOPE_NONE);
  k.set_lead_actor(v1::LEAD_ACTOR_NONE);
  k.set_lead_actor_accepted(v1::TRISTATE_YES);
}

std::vector<v1::CaseDescriptors> describe_cases(const Country& c, std::uint64_t seed) {
  SplitMix64 rng(derive_seed(seed, "cases"));
  const auto regions = c.members(c.planted, kPlantedRegionCount);
  std::vector<v1::CaseDescriptors> cases;
  for (int r = 0; r < kPlantedRegionCount; ++r) {
    v1::CaseDescriptors k;
    k.set_region_id(planted_id(r));
    k.set_region_name(c.planted_names[r]);
    add_codes(regions[r], k.mutable_municipality_codes());
    const Stage stage = planted_stage(r);
    switch (stage) {
      case Stage::kMeetingPlace:
        describe_meeting_place(k, rng);
        break;
      case Stage::kStartUp:
        describe_start_up(k, rng);
        break;
      case Stage::kRunningSystem:
        describe_running_system(k, rng);
        break;
    }
    describe_context(k, stage, rng);
    for (std::size_t v = 0; v < kIncompleteCaseRegions.size(); ++v) {
      if (kIncompleteCaseRegions[v] == r) blank_some_fields(k, static_cast<int>(v));
    }
    if (r == kContradictoryCaseRegion) make_contradictory(k);
    cases.push_back(std::move(k));
  }
  return cases;
}

}  // namespace

v1::Dataset generate(std::uint64_t seed) {
  const Country country = build_country(seed);
  const std::vector<v1::CaseDescriptors> cases = describe_cases(country, seed);
  std::vector<bool> lead_actor_accepted;
  for (const auto& k : cases) lead_actor_accepted.push_back(k.lead_actor_accepted() == v1::TRISTATE_YES);

  v1::Dataset ds;
  ds.set_name("demo");
  ds.set_reference_year(kReferenceYear);
  ds.set_description("Synthetic demo country generated by bre::demo::generate(seed " + std::to_string(seed) +
                     "); all places, names and numbers are invented. The region definition '" +
                     kPlantedDefinition + "' holds the planted regions (see docs/demo-dataset.md).");
  emit_municipalities(country, ds);
  // Borders found from the polygons, as for real data; the demo's own lattice of
  // shared borders is the independent check in the tests.
  for (auto& adjacency : municipality_adjacency(ds)) *ds.add_adjacency() = std::move(adjacency);
  emit_bodies(country, ds);
  emit_region_definitions(country, ds);
  emit_arrangements(country, seed, ds);
  emit_commuting(country, seed, ds);
  emit_indicators(country, lead_actor_accepted, seed, ds);
  emit_survey(country, seed, ds);
  for (const auto& k : cases) *ds.add_cases() = k;
  return ds;
}

}  // namespace bre::demo
