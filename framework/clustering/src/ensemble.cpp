#include "bre/clustering/ensemble.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "bre/clustering/leiden.hpp"
#include "bre/random.hpp"
#include "common.hpp"

namespace bre::clustering {

Ensemble::Ensemble(const Graph& graph, EnsembleParameters parameters)
    : AlgorithmBase("Ensemble"), graph_(&graph), parameters_(std::move(parameters)) {}

std::size_t Ensemble::member_count() const {
  require_run("member_count");
  return members_;
}
Membership Ensemble::member(std::size_t index) const {
  require_run("member");
  if (index >= members_) throw std::out_of_range("Ensemble::member(): index beyond member_count()");
  const std::size_t n = graph_->node_count();
  Membership membership(n);
  for (std::size_t v = 0; v < n; ++v) membership[v] = labels_[v * members_ + index];
  return membership;
}
double Ensemble::co_assignment(std::uint32_t i, std::uint32_t j) const {
  require_run("co_assignment");
  if (i >= graph_->node_count() || j >= graph_->node_count()) {
    throw std::out_of_range("Ensemble::co_assignment(): node beyond the graph");
  }
  return together_share(i, j);
}
double Ensemble::together_share(std::uint32_t i, std::uint32_t j) const {
  const std::int32_t* a = labels_.data() + static_cast<std::size_t>(i) * members_;
  const std::int32_t* b = labels_.data() + static_cast<std::size_t>(j) * members_;
  std::size_t together = 0;
  for (std::size_t t = 0; t < members_; ++t) together += a[t] == b[t] ? 1 : 0;
  return static_cast<double>(together) / static_cast<double>(members_);
}
const CoAssignmentEdges& Ensemble::co_assignment_edges() const {
  require_run("co_assignment_edges");
  return co_assignment_;
}
const Membership& Ensemble::consensus() const {
  require_run("consensus");
  return consensus_;
}
const std::vector<double>& Ensemble::confidence() const {
  require_run("confidence");
  return confidence_;
}
double Ensemble::consensus_modularity() const {
  require_run("consensus_modularity");
  return consensus_modularity_;
}

Status Ensemble::validate() const {
  const EnsembleParameters& p = parameters_;
  BRE_RETURN_IF_ERROR(detail::validate_graph(*graph_, /*needs_weight=*/true));
  if (p.members < 1) return invalid_argument("members: expected a count >= 1, found " + std::to_string(p.members));
  BRE_RETURN_IF_ERROR(detail::validate_algorithms(p.algorithms));
  if (p.resolutions.empty()) return invalid_argument("resolutions: expected at least one resolution, found none");
  for (std::size_t r = 0; r < p.resolutions.size(); ++r) {
    BRE_RETURN_IF_ERROR(detail::validate_positive("resolutions[" + std::to_string(r) + "]", p.resolutions[r]));
  }
  if (!(p.consensus_threshold >= 0.0 && p.consensus_threshold < 1.0)) {
    std::ostringstream found;
    found << p.consensus_threshold;
    return invalid_argument("consensus_threshold: expected a share in [0, 1), found " + found.str());
  }
  return Status::ok();
}

namespace {

// Runs every member in parallel: member t runs algorithms[t % A] at
// resolutions[(t / A) % R] with seed derive_seed(seed, t) and writes its own
// contiguous row (member-major, so two threads never share a cache line).
Expected<std::vector<std::int32_t>> run_members(const Graph& graph, const EnsembleParameters& p) {
  const std::size_t n = graph.node_count();
  const std::size_t members = static_cast<std::size_t>(p.members);
  std::vector<std::int32_t> by_member(n * members);
  BRE_RETURN_IF_ERROR(detail::run_members_in_parallel(members, "ensemble", p.cancelled, p.progress, [&](std::size_t t) {
    const CommunityDetection& algorithm = *p.algorithms[t % p.algorithms.size()];
    const double resolution = p.resolutions[(t / p.algorithms.size()) % p.resolutions.size()];
    Expected<Membership> membership = algorithm.cluster(graph, resolution, derive_seed(p.seed, t));
    if (!membership) {
      return membership.status().with_context("ensemble member " + std::to_string(t) + " (" +
                                              std::string(algorithm.name()) + ")");
    }
    std::copy(membership->begin(), membership->end(), by_member.begin() + static_cast<std::ptrdiff_t>(t * n));
    return Status::ok();
  }));
  return by_member;
}

// Member-major labels to node-major, the order the co-assignment counts read: one
// node's labels across members side by side.
std::vector<std::int32_t> node_major(const std::vector<std::int32_t>& by_member, std::size_t n, std::size_t members) {
  std::vector<std::int32_t> labels(n * members);
  for (std::size_t t = 0; t < members; ++t) {
    for (std::size_t v = 0; v < n; ++v) labels[v * members + t] = by_member[t * n + v];
  }
  return labels;
}

// The community holding most of `labels` (ties: the smallest label); sorts `labels`.
std::int32_t plurality_label(std::vector<std::int32_t>& labels) {
  std::sort(labels.begin(), labels.end());
  std::int32_t plurality = labels.front();
  std::size_t best_run = 0;
  for (std::size_t i = 0; i < labels.size();) {
    std::size_t j = i;
    while (j < labels.size() && labels[j] == labels[i]) ++j;
    if (j - i > best_run) {
      best_run = j - i;
      plurality = labels[i];
    }
    i = j;
  }
  return plurality;
}

// The nodes of each region, in node order: region r holds nodes[start[r], start[r + 1]).
struct NodesByRegion {
  std::vector<std::uint32_t> nodes;
  std::vector<std::size_t> start;
};

NodesByRegion nodes_by_region(const Membership& regions_of) {
  const std::size_t n = regions_of.size();
  const std::size_t regions = static_cast<std::size_t>(region_count(regions_of));
  NodesByRegion grouped{std::vector<std::uint32_t>(n), std::vector<std::size_t>(regions + 1, 0)};
  for (std::size_t v = 0; v < n; ++v) ++grouped.start[static_cast<std::size_t>(regions_of[v]) + 1];
  for (std::size_t r = 0; r < regions; ++r) grouped.start[r + 1] += grouped.start[r];
  std::vector<std::size_t> cursor(grouped.start.begin(), grouped.start.end() - 1);
  for (std::uint32_t v = 0; v < n; ++v) grouped.nodes[cursor[static_cast<std::size_t>(regions_of[v])]++] = v;
  return grouped;
}

}  // namespace

Status Ensemble::run() {
  set_has_run(false);
  BRE_RETURN_IF_ERROR(validate());
  Expected<std::vector<std::int32_t>> by_member = run_members(*graph_, parameters_);
  if (!by_member) return by_member.status();
  members_ = static_cast<std::size_t>(parameters_.members);
  labels_ = node_major(*by_member, graph_->node_count(), members_);
  Expected<Membership> consensus = consensus_of(co_assign_edges());
  if (!consensus) return consensus.status();
  confidence_ = membership_confidence(*consensus);
  consensus_ = std::move(*consensus);
  consensus_modularity_ = modularity(*graph_, consensus_, 1.0);
  set_has_run(true);
  return Status::ok();
}

std::vector<WeightedEdge> Ensemble::co_assign_edges() {
  // P over the graph's edges, in parallel over edges (integer counts: exact).
  std::vector<WeightedEdge> pairs = graph_->edge_list();
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, pairs.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t e = range.begin(); e != range.end(); ++e) {
                        pairs[e].weight = together_share(pairs[e].u, pairs[e].v);
                      }
                    });
  co_assignment_.pairs.clear();
  std::vector<WeightedEdge> consensus_edges;
  for (const WeightedEdge& pair : pairs) {
    if (pair.u == pair.v) continue;
    co_assignment_.pairs.push_back(pair);
    if (pair.weight >= parameters_.consensus_threshold && pair.weight > 0.0) consensus_edges.push_back(pair);
  }
  return consensus_edges;
}

Expected<Membership> Ensemble::consensus_of(std::vector<WeightedEdge> consensus_edges) const {
  const std::size_t n = graph_->node_count();
  Membership consensus(n);
  if (consensus_edges.empty()) {
    for (std::size_t v = 0; v < n; ++v) consensus[v] = static_cast<std::int32_t>(v);
  } else {
    Expected<Graph> consensus_graph = Graph::from_edges(n, std::move(consensus_edges));
    if (!consensus_graph) return consensus_graph.status().with_context("consensus graph");
    Leiden leiden(*consensus_graph, {.objective = Objective::kModularity, .resolution = 1.0,
                                     .seed = derive_seed(parameters_.seed, std::string_view("consensus"))});
    BRE_RETURN_IF_ERROR(leiden.run().with_context("consensus clustering"));
    consensus = leiden.membership();
  }
  return canonical_labels(consensus);
}

std::vector<double> Ensemble::membership_confidence(const Membership& consensus) const {
  const std::size_t n = graph_->node_count();
  const std::size_t members = members_;
  const NodesByRegion regions = nodes_by_region(consensus);
  // Per member, the plurality community of each consensus region.
  std::vector<std::uint8_t> with_region(n * members, 0);  // member-major
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, members, 1), [&](const tbb::blocked_range<std::size_t>& range) {
    std::vector<std::int32_t> region_labels;
    for (std::size_t t = range.begin(); t != range.end(); ++t) {
      for (std::size_t r = 0; r + 1 < regions.start.size(); ++r) {
        region_labels.clear();
        for (std::size_t i = regions.start[r]; i < regions.start[r + 1]; ++i) {
          region_labels.push_back(labels_[regions.nodes[i] * members + t]);
        }
        const std::int32_t plurality = plurality_label(region_labels);
        for (std::size_t i = regions.start[r]; i < regions.start[r + 1]; ++i) {
          const std::uint32_t v = regions.nodes[i];
          with_region[t * n + v] = labels_[v * members + t] == plurality ? 1 : 0;
        }
      }
    }
  });
  std::vector<double> confidence(n, 0.0);
  for (std::size_t v = 0; v < n; ++v) {
    std::size_t count = 0;
    for (std::size_t t = 0; t < members; ++t) count += with_region[t * n + v];
    confidence[v] = static_cast<double>(count) / static_cast<double>(members);
  }
  return confidence;
}

}  // namespace bre::clustering
