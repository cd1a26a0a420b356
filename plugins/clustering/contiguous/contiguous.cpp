#include "contiguous.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <queue>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "bre/region_constraints.hpp"

namespace bre::clustering {
namespace {

// What one region knows about another: their tie weight and whether they touch on the map.
struct Link {
  double tie = 0.0;
  bool touches = false;
};

// A candidate merge; stale once either region has merged since (version changed).
struct Candidate {
  double gain;
  std::uint32_t low;
  std::uint32_t high;
  std::uint32_t low_version;
  std::uint32_t high_version;
};

// Largest gain first, then the smaller (low, high) pair.
struct WorseCandidate {
  bool operator()(const Candidate& x, const Candidate& y) const {
    if (x.gain != y.gain) return x.gain < y.gain;
    return std::tie(x.low, x.high) > std::tie(y.low, y.high);
  }
};

std::uint32_t find_root(std::vector<std::uint32_t>& parent, std::uint32_t node) {
  while (parent[node] != node) {
    parent[node] = parent[parent[node]];
    node = parent[node];
  }
  return node;
}

// The land of the map: municipalities with a map neighbour, and its connected pieces.
struct Land {
  std::vector<bool> is_land;
  std::size_t count = 0;
  std::size_t pieces = 0;
  std::vector<std::uint32_t> islands;  // in node order
};

Land land_of(const Graph& map) {
  const std::size_t n = map.node_count();
  Land land{std::vector<bool>(n, false), 0, 0, {}};
  for (std::uint32_t node = 0; node < n; ++node) {
    land.is_land[node] = !is_island(map, node);
    if (land.is_land[node]) {
      ++land.count;
    } else {
      land.islands.push_back(node);
    }
  }
  std::vector<bool> seen(n, false);
  std::vector<std::uint32_t> queue;
  for (std::uint32_t start = 0; start < n; ++start) {
    if (!land.is_land[start] || seen[start]) continue;
    ++land.pieces;
    seen[start] = true;
    queue.assign(1, start);
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (const Neighbour& next : map.neighbours(queue[head])) {
        if (!seen[next.node]) {
          seen[next.node] = true;
          queue.push_back(next.node);
        }
      }
    }
  }
  return land;
}

// The whole merge path from land singletons until every land piece is one region:
// each merge (kept, absorbed) and the modularity change after each prefix of them.
struct MergePath {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> merges;
  std::vector<double> total_gain = {0.0};
};

// Regions are identified by their first node; the candidates are the pairs adjacent
// on the map, the largest CNM gain first.
MergePath merge_path(const Graph& ties, const Graph& map, const std::vector<bool>& land, double gamma) {
  const std::size_t n = ties.node_count();
  const double m = ties.total_weight();
  std::vector<double> share(n, 0.0);  // a_X
  std::vector<std::unordered_map<std::uint32_t, Link>> links(n);
  std::vector<std::uint32_t> version(n, 0);
  for (std::uint32_t node = 0; node < n; ++node) share[node] = ties.strength(node) / (2.0 * m);
  for (const WeightedEdge& e : ties.edges()) {
    if (e.u == e.v || !land[e.u] || !land[e.v]) continue;
    links[e.u][e.v].tie += e.weight;
    links[e.v][e.u].tie += e.weight;
  }
  for (const WeightedEdge& e : map.edges()) {
    if (e.u == e.v) continue;
    links[e.u][e.v].touches = true;
    links[e.v][e.u].touches = true;
  }
  auto gain = [&](std::uint32_t x, std::uint32_t y, double tie) { return tie / m - 2.0 * gamma * share[x] * share[y]; };
  std::priority_queue<Candidate, std::vector<Candidate>, WorseCandidate> candidates;
  for (const WeightedEdge& e : map.edges()) {
    if (e.u == e.v) continue;
    candidates.push({gain(e.u, e.v, links[e.u][e.v].tie), e.u, e.v, 0, 0});
  }
  MergePath path;
  while (!candidates.empty()) {
    const Candidate best = candidates.top();
    candidates.pop();
    if (version[best.low] != best.low_version || version[best.high] != best.high_version) continue;
    // The smaller id survives, so a region's id stays its first node.
    const std::uint32_t kept = best.low;
    const std::uint32_t absorbed = best.high;
    ++version[kept];
    version[absorbed] = std::numeric_limits<std::uint32_t>::max();  // never matches again
    links[kept].erase(absorbed);
    links[absorbed].erase(kept);
    for (const auto& [other, link] : links[absorbed]) {
      Link& into = links[kept][other];
      into.tie += link.tie;
      into.touches = into.touches || link.touches;
      Link& back = links[other][kept];
      back.tie = into.tie;
      back.touches = into.touches;
      links[other].erase(absorbed);
    }
    links[absorbed].clear();
    share[kept] += share[absorbed];
    path.merges.emplace_back(kept, absorbed);
    path.total_gain.push_back(path.total_gain.back() + best.gain);
    // Candidates in id order, so equal gains are pushed and popped deterministically.
    std::map<std::uint32_t, Link> ordered(links[kept].begin(), links[kept].end());
    for (const auto& [other, link] : ordered) {
      if (!link.touches) continue;
      const std::uint32_t low = std::min(kept, other);
      const std::uint32_t high = std::max(kept, other);
      candidates.push({gain(kept, other, link.tie), low, high, version[low], version[high]});
    }
  }
  return path;
}

// The merges to apply: down to `regions` regions, or (regions = 0) to the point of
// the path with the largest modularity, the later one on a tie.
std::size_t merges_to_apply(const MergePath& path, std::int64_t regions, std::size_t land_count) {
  if (regions != 0) return land_count - static_cast<std::size_t>(regions);
  std::size_t steps = 0;
  for (std::size_t s = 1; s < path.total_gain.size(); ++s) {
    if (path.total_gain[s] >= path.total_gain[steps]) steps = s;
  }
  return steps;
}

// Land regions after the first `steps` merges, labelled by their first node; islands kUnassigned.
Membership land_regions(const MergePath& path, std::size_t steps, const std::vector<bool>& land) {
  const std::size_t n = land.size();
  std::vector<std::uint32_t> parent(n);
  for (std::uint32_t node = 0; node < n; ++node) parent[node] = node;
  for (std::size_t s = 0; s < steps; ++s) parent[path.merges[s].second] = path.merges[s].first;
  Membership labels(n, kUnassigned);
  for (std::uint32_t node = 0; node < n; ++node) {
    if (land[node]) labels[node] = static_cast<std::int32_t>(find_root(parent, node));
  }
  return labels;
}

// Islands: to the land region they are most tied to (ties: the smaller region id),
// else a region of their own.
void attach_islands(const Graph& ties, const Land& land, Membership& labels) {
  for (std::uint32_t island : land.islands) {
    std::map<std::int32_t, double> tie_to;
    for (const Neighbour& neighbour : ties.neighbours(island)) {
      if (land.is_land[neighbour.node]) tie_to[labels[neighbour.node]] += neighbour.weight;
    }
    std::int32_t best = kUnassigned;
    double best_weight = 0.0;
    for (const auto& [region, weight] : tie_to) {
      if (weight > best_weight) {
        best_weight = weight;
        best = region;
      }
    }
    labels[island] = best != kUnassigned ? best : static_cast<std::int32_t>(island);
  }
}

}  // namespace

ContiguousAgglomeration::ContiguousAgglomeration(const Graph& ties, const Graph& map, ContiguousParameters parameters)
    : RegionClustering("ContiguousAgglomeration", ties, parameters), map_(&map) {}

const std::vector<std::uint32_t>& ContiguousAgglomeration::islands() const {
  require_run("islands");
  return islands_;
}

Status ContiguousAgglomeration::validate() const {
  const std::size_t n = graph().node_count();
  const ContiguousParameters& p = parameters();
  if (n == 0) return invalid_argument("graph: has no nodes; there is nothing to cluster");
  if (map_->node_count() != n) {
    return invalid_argument("map: has " + std::to_string(map_->node_count()) + " nodes, the tie graph " +
                            std::to_string(n));
  }
  if (!std::isfinite(p.resolution) || p.resolution <= 0.0) {
    return invalid_argument("resolution: expected a finite number > 0, found " + std::to_string(p.resolution));
  }
  if (!(graph().total_weight() > 0.0)) {
    return failed_precondition("graph: has no tie weight, so modularity is undefined; there is nothing to cluster");
  }
  if (map_->edge_count() == 0) {
    return failed_precondition(
        "map: no two municipalities are adjacent (Dataset.adjacency is empty); a contiguous regionalisation "
        "needs the map's adjacency");
  }
  return Status::ok();
}

Status ContiguousAgglomeration::run() {
  set_has_run(false);
  BRE_RETURN_IF_ERROR(validate());
  const ContiguousParameters& p = parameters();
  Land land = land_of(*map_);
  if (p.regions < 0 || (p.regions != 0 && (static_cast<std::size_t>(p.regions) < land.pieces ||
                                           static_cast<std::size_t>(p.regions) > land.count))) {
    return invalid_argument("regions: expected 0 (maximum modularity) or a number in [" + std::to_string(land.pieces) +
                            ", " + std::to_string(land.count) + "] (the land pieces of the map and the municipalities "
                            "on them), found " + std::to_string(p.regions));
  }
  const MergePath path = merge_path(graph(), *map_, land.is_land, p.resolution);
  Membership labels = land_regions(path, merges_to_apply(path, p.regions, land.count), land.is_land);
  attach_islands(graph(), land, labels);
  islands_ = std::move(land.islands);
  return finish(labels, p.resolution);
}

}  // namespace bre::clustering
