#include "bre/clustering/ensemble.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "bre/clustering/label_propagation.hpp"
#include "bre/clustering/leiden.hpp"
#include "bre/clustering/louvain.hpp"
#include "bre/random.hpp"
#include "common.hpp"

namespace bre::clustering {

Expected<Membership> run_algorithm(const Graph& graph, Algorithm algorithm, double resolution, std::uint64_t seed) {
  switch (algorithm) {
    case Algorithm::kLeiden: {
      Leiden leiden(graph, {.objective = Objective::kModularity, .resolution = resolution, .seed = seed});
      BRE_RETURN_IF_ERROR(leiden.run());
      return leiden.membership();
    }
    case Algorithm::kLouvain: {
      Louvain louvain(graph, {.resolution = resolution, .seed = seed});
      BRE_RETURN_IF_ERROR(louvain.run());
      return louvain.membership();
    }
    case Algorithm::kLabelPropagation: {
      LabelPropagation propagation(graph, {.seed = seed});
      BRE_RETURN_IF_ERROR(propagation.run());
      return propagation.membership();
    }
  }
  return internal_error("unknown ensemble algorithm");
}

Expected<Algorithm> parse_algorithm(const std::string& text) {
  if (text == "leiden") return Algorithm::kLeiden;
  if (text == "louvain") return Algorithm::kLouvain;
  if (text == "label_propagation") return Algorithm::kLabelPropagation;
  return invalid_argument("algorithm: expected \"leiden\", \"louvain\" or \"label_propagation\", found \"" + text +
                          "\"");
}

std::string_view algorithm_name(Algorithm algorithm) {
  switch (algorithm) {
    case Algorithm::kLeiden:
      return "leiden";
    case Algorithm::kLouvain:
      return "louvain";
    case Algorithm::kLabelPropagation:
      return "label_propagation";
  }
  return "unknown";
}

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
  if (p.algorithms.empty()) return invalid_argument("algorithms: expected at least one algorithm, found none");
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

Status Ensemble::run() {
  set_has_run(false);
  BRE_RETURN_IF_ERROR(validate());
  const Graph& graph = *graph_;
  const EnsembleParameters& p = parameters_;
  const std::size_t n = graph.node_count();
  const std::size_t members = static_cast<std::size_t>(p.members);
  const std::size_t algorithm_count = p.algorithms.size();
  const std::size_t resolution_count = p.resolutions.size();
  // Each member writes its own contiguous row (member-major, so two threads never
  // share a cache line) and its own status slot: nothing depends on scheduling.
  std::vector<std::int32_t> by_member(n * members);
  std::vector<Status> statuses(members);
  std::atomic<bool> stopped{false};
  std::atomic<std::size_t> done{0};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, members, 1), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t t = range.begin(); t != range.end(); ++t) {
      if (stopped.load(std::memory_order_relaxed)) return;
      if (p.cancelled && p.cancelled()) {
        stopped = true;
        statuses[t] = {StatusCode::kCancelled, "ensemble cancelled before member " + std::to_string(t)};
        return;
      }
      const Algorithm algorithm = p.algorithms[t % algorithm_count];
      const double resolution = p.resolutions[(t / algorithm_count) % resolution_count];
      Expected<Membership> membership = run_algorithm(graph, algorithm, resolution, derive_seed(p.seed, t));
      if (!membership) {
        stopped = true;
        statuses[t] = membership.status().with_context("ensemble member " + std::to_string(t) + " (" +
                                                       std::string(algorithm_name(algorithm)) + ")");
        return;
      }
      std::copy(membership->begin(), membership->end(), by_member.begin() + static_cast<std::ptrdiff_t>(t * n));
      const std::size_t finished = done.fetch_add(1, std::memory_order_relaxed) + 1;
      if (p.progress) p.progress(finished, members);
    }
  });
  // The cancellation or the first failing member in member order wins.
  for (const Status& status : statuses) {
    if (!status.is_ok()) return status;
  }
  if (stopped) return {StatusCode::kCancelled, "ensemble cancelled"};
  // Node-major for the co-assignment counts, which compare one node's labels across members.
  std::vector<std::int32_t> labels(n * members);
  for (std::size_t t = 0; t < members; ++t) {
    for (std::size_t v = 0; v < n; ++v) labels[v * members + t] = by_member[t * n + v];
  }

  members_ = members;
  labels_ = std::move(labels);

  // P over the graph's edges, in parallel over edges (integer counts: exact).
  const std::vector<WeightedEdge>& edges = graph.edges();
  std::vector<WeightedEdge> pairs(edges.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, edges.size(), 256),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      for (std::size_t e = range.begin(); e != range.end(); ++e) {
                        pairs[e] = {edges[e].u, edges[e].v, together_share(edges[e].u, edges[e].v)};
                      }
                    });
  co_assignment_.pairs.clear();
  std::vector<WeightedEdge> consensus_edges;
  for (const WeightedEdge& pair : pairs) {
    if (pair.u == pair.v) continue;
    co_assignment_.pairs.push_back(pair);
    if (pair.weight >= p.consensus_threshold && pair.weight > 0.0) consensus_edges.push_back(pair);
  }

  Membership consensus(n);
  if (consensus_edges.empty()) {
    for (std::size_t v = 0; v < n; ++v) consensus[v] = static_cast<std::int32_t>(v);
  } else {
    Expected<Graph> consensus_graph = Graph::from_edges(n, std::move(consensus_edges));
    if (!consensus_graph) return consensus_graph.status().with_context("consensus graph");
    Leiden leiden(*consensus_graph, {.objective = Objective::kModularity, .resolution = 1.0,
                                     .seed = derive_seed(p.seed, std::string_view("consensus"))});
    BRE_RETURN_IF_ERROR(leiden.run().with_context("consensus clustering"));
    consensus = leiden.membership();
  }
  consensus = canonical_labels(consensus);

  // Confidence: per member, the plurality community of each consensus region.
  const std::size_t regions = static_cast<std::size_t>(region_count(consensus));
  std::vector<std::uint32_t> by_region(n);
  std::vector<std::size_t> region_start(regions + 1, 0);
  for (std::size_t v = 0; v < n; ++v) ++region_start[static_cast<std::size_t>(consensus[v]) + 1];
  for (std::size_t r = 0; r < regions; ++r) region_start[r + 1] += region_start[r];
  {
    std::vector<std::size_t> cursor(region_start.begin(), region_start.end() - 1);
    for (std::uint32_t v = 0; v < n; ++v) by_region[cursor[static_cast<std::size_t>(consensus[v])]++] = v;
  }
  std::vector<std::uint8_t> with_region(n * members, 0);  // member-major
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, members, 1), [&](const tbb::blocked_range<std::size_t>& range) {
    std::vector<std::int32_t> region_labels;
    for (std::size_t t = range.begin(); t != range.end(); ++t) {
      for (std::size_t r = 0; r < regions; ++r) {
        region_labels.clear();
        for (std::size_t i = region_start[r]; i < region_start[r + 1]; ++i) {
          region_labels.push_back(labels_[by_region[i] * members + t]);
        }
        std::sort(region_labels.begin(), region_labels.end());
        std::int32_t plurality = region_labels.front();
        std::size_t best_run = 0;
        for (std::size_t i = 0; i < region_labels.size();) {
          std::size_t j = i;
          while (j < region_labels.size() && region_labels[j] == region_labels[i]) ++j;
          if (j - i > best_run) {
            best_run = j - i;
            plurality = region_labels[i];
          }
          i = j;
        }
        for (std::size_t i = region_start[r]; i < region_start[r + 1]; ++i) {
          const std::uint32_t v = by_region[i];
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

  consensus_ = std::move(consensus);
  confidence_ = std::move(confidence);
  consensus_modularity_ = modularity(graph, consensus_, 1.0);
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
