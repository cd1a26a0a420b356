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

}  // namespace

ContiguousAgglomeration::ContiguousAgglomeration(const Graph& ties, const Graph& map, ContiguousParameters parameters)
    : AlgorithmBase("ContiguousAgglomeration"), ties_(&ties), map_(&map), parameters_(parameters) {}

const Membership& ContiguousAgglomeration::membership() const {
  require_run("membership");
  return membership_;
}
std::int32_t ContiguousAgglomeration::region_count() const {
  require_run("region_count");
  return region_count_;
}
double ContiguousAgglomeration::modularity() const {
  require_run("modularity");
  return modularity_;
}
const std::vector<std::uint32_t>& ContiguousAgglomeration::islands() const {
  require_run("islands");
  return islands_;
}

Status ContiguousAgglomeration::run() {
  set_has_run(false);
  const Graph& ties = *ties_;
  const Graph& map = *map_;
  const std::size_t n = ties.node_count();
  const ContiguousParameters& p = parameters_;
  if (n == 0) return invalid_argument("graph: has no nodes; there is nothing to cluster");
  if (map.node_count() != n) {
    return invalid_argument("map: has " + std::to_string(map.node_count()) + " nodes, the tie graph " + std::to_string(n));
  }
  if (!std::isfinite(p.resolution) || p.resolution <= 0.0) {
    return invalid_argument("resolution: expected a finite number > 0, found " + std::to_string(p.resolution));
  }
  const double m = ties.total_weight();
  if (!(m > 0.0)) {
    return failed_precondition("graph: has no tie weight, so modularity is undefined; there is nothing to cluster");
  }
  if (map.edge_count() == 0) {
    return failed_precondition(
        "map: no two municipalities are adjacent (Dataset.adjacency is empty); a contiguous regionalisation "
        "needs the map's adjacency");
  }

  // Land pieces of the map, to check `regions` and to know when merging must stop.
  std::vector<bool> land(n, false);
  std::size_t land_count = 0;
  islands_.clear();
  for (std::uint32_t node = 0; node < n; ++node) {
    land[node] = !is_island(map, node);
    if (land[node]) {
      ++land_count;
    } else {
      islands_.push_back(node);
    }
  }
  std::size_t pieces = 0;
  {
    std::vector<bool> seen(n, false);
    std::vector<std::uint32_t> queue;
    for (std::uint32_t start = 0; start < n; ++start) {
      if (!land[start] || seen[start]) continue;
      ++pieces;
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
  }
  if (p.regions < 0 || (p.regions != 0 && (static_cast<std::size_t>(p.regions) < pieces ||
                                           static_cast<std::size_t>(p.regions) > land_count))) {
    return invalid_argument("regions: expected 0 (maximum modularity) or a number in [" + std::to_string(pieces) + ", " +
                            std::to_string(land_count) + "] (the land pieces of the map and the municipalities on "
                            "them), found " + std::to_string(p.regions));
  }

  // Regions start as land singletons, identified by their first node.
  const double two_m = 2.0 * m;
  std::vector<double> share(n, 0.0);  // a_X
  std::vector<std::unordered_map<std::uint32_t, Link>> links(n);
  std::vector<std::uint32_t> version(n, 0);
  for (std::uint32_t node = 0; node < n; ++node) share[node] = ties.strength(node) / two_m;
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
  const double gamma = p.resolution;
  auto gain = [&](std::uint32_t x, std::uint32_t y, double tie) { return tie / m - 2.0 * gamma * share[x] * share[y]; };
  std::priority_queue<Candidate, std::vector<Candidate>, WorseCandidate> candidates;
  for (const WeightedEdge& e : map.edges()) {
    if (e.u == e.v) continue;
    candidates.push({gain(e.u, e.v, links[e.u][e.v].tie), e.u, e.v, 0, 0});
  }

  // Merge along the whole path, recording each merge and the running modularity change.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> merges;  // (kept, absorbed)
  std::vector<double> total_gain = {0.0};
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
    merges.emplace_back(kept, absorbed);
    total_gain.push_back(total_gain.back() + best.gain);
    // Candidates in id order, so equal gains are pushed and popped deterministically.
    std::map<std::uint32_t, Link> ordered(links[kept].begin(), links[kept].end());
    for (const auto& [other, link] : ordered) {
      if (!link.touches) continue;
      const std::uint32_t low = std::min(kept, other);
      const std::uint32_t high = std::max(kept, other);
      candidates.push({gain(kept, other, link.tie), low, high, version[low], version[high]});
    }
  }

  std::size_t steps = 0;
  if (p.regions != 0) {
    steps = land_count - static_cast<std::size_t>(p.regions);
  } else {
    for (std::size_t s = 1; s < total_gain.size(); ++s) {
      if (total_gain[s] >= total_gain[steps]) steps = s;
    }
  }
  std::vector<std::uint32_t> parent(n);
  for (std::uint32_t node = 0; node < n; ++node) parent[node] = node;
  for (std::size_t s = 0; s < steps; ++s) parent[merges[s].second] = merges[s].first;

  Membership labels(n, kUnassigned);
  for (std::uint32_t node = 0; node < n; ++node) {
    if (land[node]) labels[node] = static_cast<std::int32_t>(find_root(parent, node));
  }
  // Islands: to the land region they are most tied to (ties: the smaller region id).
  for (std::uint32_t island : islands_) {
    std::map<std::int32_t, double> tie_to;
    for (const Neighbour& neighbour : ties.neighbours(island)) {
      if (land[neighbour.node]) tie_to[labels[neighbour.node]] += neighbour.weight;
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
  membership_ = canonical_labels(labels);
  region_count_ = bre::region_count(membership_);
  modularity_ = bre::modularity(ties, membership_, p.resolution);
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
