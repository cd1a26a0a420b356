#include "bre/clustering/leiden.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "bre/random.hpp"
#include "common.hpp"
#include "work_graph.hpp"

namespace bre::clustering {
namespace {

using detail::CommunityState;
using detail::NeighbourWeights;
using detail::WorkGraph;

constexpr std::int64_t kMaxIterationsUntilStable = 1000;

// Buffers reused across levels and iterations of one run, sized for level 0.
struct Workspace {
  explicit Workspace(std::size_t n) : scratch(n) {
    queue.resize(n);
    in_queue.resize(n);
  }
  NeighbourWeights scratch;
  CommunityState state;
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> queue;
  std::vector<std::uint8_t> in_queue;
  // Refinement.
  std::vector<std::uint32_t> refined;
  std::vector<double> refined_total;
  std::vector<std::uint32_t> refined_size;
  std::vector<double> refined_external;
  std::vector<double> community_total;
  std::vector<double> candidate_weight;
  std::vector<std::uint32_t> candidates;
};

// Leiden's fast local moving: a queue seeded with all nodes in random order; a node
// that moves puts its neighbours outside its new community back on the queue.
void move_nodes_fast(const WorkGraph& graph, double gamma, SplitMix64& rng, Workspace& ws) {
  const std::size_t n = graph.node_count();
  detail::random_order(n, rng, ws.order);
  std::size_t head = 0;
  std::size_t count = n;
  for (std::size_t i = 0; i < n; ++i) {
    ws.queue[i] = ws.order[i];
    ws.in_queue[i] = 1;
  }
  while (count > 0) {
    const std::uint32_t v = ws.queue[head];
    head = head + 1 == n ? 0 : head + 1;
    --count;
    ws.in_queue[v] = 0;
    if (!ws.state.move_to_best(graph, v, gamma, ws.scratch)) continue;
    const std::uint32_t joined = ws.state.community[v];
    for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
      const std::uint32_t u = graph.targets[e];
      if (ws.in_queue[u] || ws.state.community[u] == joined) continue;
      ws.in_queue[u] = 1;
      std::size_t tail = head + count;
      if (tail >= n) tail -= n;
      ws.queue[tail] = u;
      ++count;
    }
  }
}

// Leiden's refinement: inside each community C of `community` (labels < k), start
// from singletons and let each still-singleton node that is well connected to C
// (w(v, C - v) >= gamma k_v (K_C - k_v)) join a well-connected refined community S
// of C (w(S, C - S) >= gamma K_S (K_C - K_S)) with non-negative gain, chosen with
// probability ~ exp(gain / beta); staying alone (gain 0) is one of the choices.
// Leaves the refined labels (< n, not compact) in ws.refined.
void refine(const WorkGraph& graph, const std::vector<std::uint32_t>& community, std::uint32_t k,
            double gamma, double beta, SplitMix64& rng, Workspace& ws) {
  const std::size_t n = graph.node_count();
  ws.refined.resize(n);
  std::iota(ws.refined.begin(), ws.refined.end(), 0U);
  ws.refined_total.assign(graph.node_weight.begin(), graph.node_weight.end());
  ws.refined_size.assign(n, 1);
  ws.refined_external.assign(n, 0.0);
  ws.community_total.assign(k, 0.0);
  for (std::size_t v = 0; v < n; ++v) {
    ws.community_total[community[v]] += graph.node_weight[v];
    double inside = 0.0;
    for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
      if (community[graph.targets[e]] == community[v]) inside += graph.weights[e];
    }
    ws.refined_external[v] = inside;
  }
  detail::random_order(n, rng, ws.order);
  // Gains this far below the best have probability below exp(-50): treated as 0.
  const double negligible = 50.0 * beta;
  for (const std::uint32_t v : ws.order) {
    if (ws.refined[v] != v || ws.refined_size[v] != 1) continue;
    const std::uint32_t c = community[v];
    const double kv = graph.node_weight[v];
    const double total_c = ws.community_total[c];
    if (ws.refined_external[v] < gamma * kv * (total_c - kv)) continue;
    for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
      const std::uint32_t u = graph.targets[e];
      if (community[u] == c) ws.scratch.add(ws.refined[u], graph.weights[e]);
    }
    ws.candidates.clear();
    ws.candidate_weight.clear();
    double best_gain = 0.0;
    for (const std::uint32_t s : ws.scratch.touched()) {
      const double total_s = ws.refined_total[s];
      if (ws.refined_external[s] < gamma * total_s * (total_c - total_s)) continue;
      const double gain = ws.scratch.weight(s) - gamma * kv * total_s;
      if (gain < 0.0) continue;
      ws.candidates.push_back(s);
      ws.candidate_weight.push_back(gain);
      if (gain > best_gain) best_gain = gain;
    }
    if (ws.candidates.empty()) {
      ws.scratch.clear();
      continue;
    }
    // Staying alone is the last candidate, with gain 0.
    ws.candidates.push_back(v);
    ws.candidate_weight.push_back(0.0);
    double cumulative = 0.0;
    for (double& weight : ws.candidate_weight) {
      const double below_best = weight - best_gain;
      weight = below_best < -negligible ? 0.0 : std::exp(below_best / beta);
      cumulative += weight;
      weight = cumulative;
    }
    const double draw = rng.uniform() * cumulative;
    std::size_t pick = 0;
    while (pick + 1 < ws.candidates.size() && !(draw < ws.candidate_weight[pick])) ++pick;
    const std::uint32_t chosen = ws.candidates[pick];
    if (chosen != v) {
      ws.refined[v] = chosen;
      ws.refined_total[chosen] += kv;
      ++ws.refined_size[chosen];
      ws.refined_external[chosen] += ws.refined_external[v] - 2.0 * ws.scratch.weight(chosen);
    }
    ws.scratch.clear();
  }
}

// One iteration of Leiden starting from `membership` (labels < n); leaves the
// result (compact labels) in `membership`.
void leiden_iteration(const WorkGraph& level_zero, double gamma, double beta, SplitMix64& rng, Workspace& ws,
                      std::vector<std::uint32_t>& membership) {
  const std::size_t n0 = level_zero.node_count();
  std::vector<std::uint32_t> node_of(n0);
  std::iota(node_of.begin(), node_of.end(), 0U);
  std::vector<std::uint32_t> community = membership;
  WorkGraph aggregated;
  const WorkGraph* graph = &level_zero;
  while (true) {
    ws.state.reset(*graph, community);
    move_nodes_fast(*graph, gamma, rng, ws);
    community = std::move(ws.state.community);
    const std::size_t n = graph->node_count();
    const std::uint32_t k = detail::compact_labels(community, n);
    if (k == n) break;
    refine(*graph, community, k, gamma, beta, rng, ws);
    std::vector<std::uint32_t> groups = std::move(ws.refined);
    std::uint32_t group_count = detail::compact_labels(groups, n);
    // A refinement that merged nothing would aggregate to the same graph forever:
    // aggregate on the unrefined partition instead (as igraph does).
    if (group_count == n) {
      groups = community;
      group_count = k;
    }
    WorkGraph next = detail::aggregate(*graph, groups, group_count, ws.scratch);
    std::vector<std::uint32_t> next_community(group_count);
    for (std::size_t v = 0; v < n; ++v) next_community[groups[v]] = community[v];
    for (std::uint32_t& node : node_of) node = groups[node];
    aggregated = std::move(next);
    graph = &aggregated;
    community = std::move(next_community);
  }
  for (std::size_t i = 0; i < n0; ++i) membership[i] = community[node_of[i]];
  detail::compact_labels(membership, n0);
}

}  // namespace

Expected<Objective> parse_objective(const std::string& text) {
  if (text == "modularity") return Objective::kModularity;
  if (text == "cpm") return Objective::kCpm;
  return invalid_argument("objective: expected \"modularity\" or \"cpm\", found \"" + text + "\"");
}

double cpm_quality(const Graph& graph, const Membership& membership, double resolution) {
  const std::int32_t k = region_count(membership);
  std::vector<double> inside(static_cast<std::size_t>(k), 0.0);
  std::vector<double> size(static_cast<std::size_t>(k), 0.0);
  for (std::int32_t label : membership) {
    if (label != kUnassigned) size[static_cast<std::size_t>(label)] += 1.0;
  }
  for (const WeightedEdge& e : graph.edges()) {
    const std::int32_t a = membership[e.u];
    if (a != kUnassigned && a == membership[e.v]) inside[static_cast<std::size_t>(a)] += e.weight;
  }
  double quality = 0.0;
  for (std::size_t c = 0; c < inside.size(); ++c) quality += inside[c] - 0.5 * resolution * size[c] * size[c];
  return quality;
}

Leiden::Leiden(const Graph& graph, LeidenParameters parameters)
    : AlgorithmBase("Leiden"), graph_(&graph), parameters_(std::move(parameters)) {}

const Membership& Leiden::membership() const {
  require_run("membership");
  return membership_;
}
std::int32_t Leiden::community_count() const {
  require_run("community_count");
  return community_count_;
}
double Leiden::quality() const {
  require_run("quality");
  return quality_;
}
std::int64_t Leiden::iterations_run() const {
  require_run("iterations_run");
  return iterations_run_;
}

Status Leiden::run() {
  set_has_run(false);
  const Graph& graph = *graph_;
  const LeidenParameters& p = parameters_;
  const bool modularity_objective = p.objective == Objective::kModularity;
  BRE_RETURN_IF_ERROR(detail::validate_graph(graph, modularity_objective));
  BRE_RETURN_IF_ERROR(detail::validate_positive("resolution", p.resolution));
  BRE_RETURN_IF_ERROR(detail::validate_positive("beta", p.beta));
  if (p.iterations < -1) {
    return invalid_argument("iterations: expected -1 (until stable) or a count >= 0, found " +
                            std::to_string(p.iterations));
  }

  const std::size_t n = graph.node_count();
  const WorkGraph level_zero = detail::level_zero(graph, modularity_objective);
  const double gamma = modularity_objective ? p.resolution / (2.0 * graph.total_weight()) : p.resolution;
  SplitMix64 rng(p.seed);
  Workspace workspace(n);
  std::vector<std::uint32_t> membership(n);
  std::iota(membership.begin(), membership.end(), 0U);
  const bool until_stable = p.iterations < 0;
  const std::int64_t limit = until_stable ? kMaxIterationsUntilStable : p.iterations;
  std::int64_t iterations = 0;
  while (iterations < limit) {
    std::vector<std::uint32_t> before = membership;
    leiden_iteration(level_zero, gamma, p.beta, rng, workspace, membership);
    ++iterations;
    if (until_stable && membership == before) break;
  }

  membership_.assign(membership.begin(), membership.end());
  membership_ = canonical_labels(membership_);
  community_count_ = region_count(membership_);
  quality_ = modularity_objective ? bre::modularity(graph, membership_, p.resolution)
                                  : cpm_quality(graph, membership_, p.resolution);
  iterations_run_ = iterations;
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
