#include "bre/clustering/leiden.hpp"

#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bre/random.hpp"
#include "common.hpp"
#include "parallel_moving.hpp"
#include "work_graph.hpp"

namespace bre::clustering {
namespace {

using detail::CommunityState;
using detail::Refinement;
using detail::RefinementCandidates;
using detail::WorkGraph;

constexpr std::int64_t kMaxIterationsUntilStable = 1000;
// Coarse iterations run on the first aggregate with at most 1/kCoarseNodeFraction of the
// input's nodes: on planted graphs that is the level whose nodes are about half a planted
// group. Iterations there cost about a third of a whole iteration (10^6 nodes).
constexpr std::size_t kCoarseNodeFraction = 16;

// Buffers of the sequential schedule reused across levels and iterations of one run,
// sized for level 0.
struct Workspace {
  explicit Workspace(std::size_t n) : tables(n) {
    queue.resize(n);
    in_queue.resize(n);
  }
  detail::SumTables tables;
  CommunityState state;
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> queue;
  std::vector<std::uint8_t> in_queue;
  Refinement refinement;
  RefinementCandidates candidates;
  std::vector<double> community_total;
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
    if (!ws.state.move_to_best(graph, v, gamma, ws.tables.dense())) continue;
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

// Leiden's refinement (detail::refine_node) of every community of `community` (labels
// < k), the nodes in one random order; returns the refined labels (< n, not compact).
std::vector<std::uint32_t> refine(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                                  std::uint32_t k, double gamma, double beta, SplitMix64& rng, Workspace& ws) {
  const std::size_t n = graph.node_count();
  ws.refinement.reset(graph, community);
  ws.community_total.assign(k, 0.0);
  for (std::size_t v = 0; v < n; ++v) ws.community_total[community[v]] += graph.node_weight[v];
  detail::random_order(n, rng, ws.order);
  for (const std::uint32_t v : ws.order) {
    detail::refine_node(graph, community, v, ws.community_total[community[v]], gamma, beta, rng, ws.refinement,
                        ws.tables, ws.candidates);
  }
  return std::move(ws.refinement.refined);
}

// What every iteration of one run shares. Exactly one of `sequential` (the sequential
// schedule's buffers) and `parallel` (the parallel schedule's) is set.
struct RunContext {
  double gamma;
  double beta;
  SplitMix64& rng;
  Workspace* sequential;
  detail::ParallelWorkspace* parallel;
  detail::AggregationBuffers& levels;
  // Coarse iterations (LeidenParameters): how many, and the node count from which an
  // aggregate is coarse.
  std::int64_t coarse_iterations;
  std::size_t coarse_nodes;
  // How the parallel schedule's local moving prunes (detail::Pruning): by slack in a
  // given number of iterations, by Leiden's rule in iterations until stable.
  detail::Pruning pruning = detail::Pruning::kSlack;
};

std::int64_t leiden_iterations(const WorkGraph& start, const detail::MovingSplit* split, RunContext& run,
                               std::int64_t iterations, bool coarse, std::vector<std::uint32_t>& membership);

// One iteration of Leiden on `start` from `membership` (labels < its node count);
// leaves the result (compact labels) in `membership`. `split` (the parallel schedule:
// every level moves and refines in parallel) or none (sequentially). With `coarse`, the
// first aggregate of at most run.coarse_nodes nodes hands the rest of the iteration to
// run.coarse_iterations iterations on that aggregate.
void leiden_iteration(const WorkGraph& start, const detail::MovingSplit* split, RunContext& run, bool coarse,
                      std::vector<std::uint32_t>& membership) {
  const std::size_t n0 = start.node_count();
  std::vector<std::uint32_t> node_of(n0);
  std::iota(node_of.begin(), node_of.end(), 0U);
  std::vector<std::uint32_t> community = membership;
  const WorkGraph* graph = &start;
  while (true) {
    const std::size_t n = graph->node_count();
    const bool parallel = split != nullptr;
    if (coarse && graph != &start && n <= run.coarse_nodes) {
      // The aggregate stays where it is while the coarse iterations build theirs in the
      // other buffers.
      std::optional<detail::MovingSplit> coarse_split;
      if (parallel) coarse_split.emplace(*graph, run.rng);
      leiden_iterations(*graph, parallel ? &*coarse_split : nullptr, run, run.coarse_iterations, false, community);
      break;
    }
    if (parallel) {
      // The start graph keeps its split for every iteration; each aggregate draws its own.
      std::optional<detail::MovingSplit> level_split;
      if (graph != &start) level_split.emplace(*graph, run.rng);
      detail::move_in_parallel(*graph, level_split ? *level_split : *split, run.gamma, run.rng, run.pruning,
                               *run.parallel, community);
    } else {
      Workspace& ws = *run.sequential;
      ws.state.reset(*graph, community);
      move_nodes_fast(*graph, run.gamma, run.rng, ws);
      community = std::move(ws.state.community);
    }
    const std::uint32_t k = detail::compact_labels(community, n);
    if (k == n) break;
    std::vector<std::uint32_t> groups =
        parallel ? detail::parallel_refine(*graph, community, k, run.gamma, run.beta, run.rng.next(), *run.parallel)
                 : refine(*graph, community, k, run.gamma, run.beta, run.rng, *run.sequential);
    std::uint32_t group_count = detail::compact_labels(groups, n);
    // A refinement that merged nothing would aggregate to the same graph forever:
    // aggregate on the unrefined partition instead (as igraph does).
    if (group_count == n) {
      groups = community;
      group_count = k;
    }
    WorkGraph& next = run.levels.other_than(graph, &start);
    detail::aggregate(*graph, groups, group_count, run.levels, next);
    std::vector<std::uint32_t> next_community(group_count);
    for (std::size_t v = 0; v < n; ++v) next_community[groups[v]] = community[v];
    for (std::uint32_t& node : node_of) node = groups[node];
    graph = &next;
    community = std::move(next_community);
  }
  for (std::size_t i = 0; i < n0; ++i) membership[i] = community[node_of[i]];
  detail::compact_labels(membership, n0);
}

// Iterations of Leiden on `start` from `membership`: `iterations` of them, or (-1) until
// one leaves the partition unchanged, capped at kMaxIterationsUntilStable. Returns how
// many ran.
std::int64_t leiden_iterations(const WorkGraph& start, const detail::MovingSplit* split, RunContext& run,
                               std::int64_t iterations, bool coarse, std::vector<std::uint32_t>& membership) {
  const bool until_stable = iterations < 0;
  const std::int64_t limit = until_stable ? kMaxIterationsUntilStable : iterations;
  std::int64_t done = 0;
  std::vector<std::uint32_t> before;
  while (done < limit) {
    if (until_stable) before = membership;
    // (Set per iteration: a nested series of coarse iterations may have set its own.)
    run.pruning = until_stable ? detail::Pruning::kNeighbours : detail::Pruning::kSlack;
    leiden_iteration(start, split, run, coarse, membership);
    ++done;
    if (until_stable && membership == before) break;
  }
  return done;
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
  if (p.coarse_iterations < -1 || p.coarse_iterations == 0) {
    return invalid_argument("coarse_iterations: expected -1 (until stable) or a count >= 1, found " +
                            std::to_string(p.coarse_iterations));
  }

  const std::size_t n = graph.node_count();
  const WorkGraph level_zero = detail::level_zero(graph, modularity_objective);
  SplitMix64 rng(p.seed);
  // Each schedule keeps its buffers for the whole run; the parallel one splits level 0
  // once for every iteration.
  std::optional<detail::MovingSplit> split;
  std::optional<detail::ParallelWorkspace> parallel;
  std::optional<Workspace> sequential;
  if (runs_in_parallel(p.schedule, n)) {
    split.emplace(level_zero, rng);
    parallel.emplace(n);
  } else {
    sequential.emplace(n);
  }
  detail::AggregationBuffers levels;
  RunContext run{.gamma = modularity_objective ? p.resolution / (2.0 * graph.total_weight()) : p.resolution,
                 .beta = p.beta,
                 .rng = rng,
                 .sequential = sequential ? &*sequential : nullptr,
                 .parallel = parallel ? &*parallel : nullptr,
                 .levels = levels,
                 .coarse_iterations = p.coarse_iterations,
                 .coarse_nodes = n / kCoarseNodeFraction};
  std::vector<std::uint32_t> membership(n);
  std::iota(membership.begin(), membership.end(), 0U);
  const std::int64_t iterations = leiden_iterations(level_zero, split ? &*split : nullptr, run, p.iterations,
                                                    p.coarse_iterations != 1, membership);

  membership_.assign(membership.begin(), membership.end());
  membership_ = canonical_labels(membership_);
  community_count_ = region_count(membership_);
  if (!modularity_objective) {
    quality_ = cpm_quality(graph, membership_, p.resolution);
  } else {
    quality_ = parallel ? detail::modularity_in_parallel(graph, membership,
                                                         static_cast<std::uint32_t>(community_count_), p.resolution)
                        : bre::modularity(graph, membership_, p.resolution);
  }
  iterations_run_ = iterations;
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
