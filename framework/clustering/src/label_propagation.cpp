#include "bre/clustering/label_propagation.hpp"

#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "bre/random.hpp"
#include "common.hpp"
#include "work_graph.hpp"

namespace bre::clustering {

LabelPropagation::LabelPropagation(const Graph& graph, LabelPropagationParameters parameters)
    : AlgorithmBase("LabelPropagation"), graph_(&graph), parameters_(std::move(parameters)) {}

const Membership& LabelPropagation::membership() const {
  require_run("membership");
  return membership_;
}
std::int32_t LabelPropagation::community_count() const {
  require_run("community_count");
  return community_count_;
}
std::int64_t LabelPropagation::sweeps() const {
  require_run("sweeps");
  return sweeps_;
}
bool LabelPropagation::converged() const {
  require_run("converged");
  return converged_;
}

Status LabelPropagation::run() {
  set_has_run(false);
  const Graph& graph = *graph_;
  const LabelPropagationParameters& p = parameters_;
  BRE_RETURN_IF_ERROR(detail::validate_graph(graph, /*needs_weight=*/false));
  if (p.max_sweeps < 1) {
    return invalid_argument("max_sweeps: expected a count >= 1, found " + std::to_string(p.max_sweeps));
  }
  const std::size_t n = graph.node_count();
  SplitMix64 rng(p.seed);
  std::vector<std::uint32_t> label(n);
  std::iota(label.begin(), label.end(), 0U);
  detail::NeighbourWeights scratch(n);
  std::vector<std::uint32_t> order;
  std::vector<std::uint32_t> tied;
  std::int64_t sweeps = 0;
  bool converged = false;
  while (sweeps < p.max_sweeps && !converged) {
    ++sweeps;
    converged = true;
    detail::random_order(n, rng, order);
    for (const std::uint32_t v : order) {
      for (const Neighbour& nb : graph.neighbours(v)) {
        if (nb.node != v) scratch.add(label[nb.node], nb.weight);
      }
      if (scratch.size() == 0) continue;
      double best = -1.0;
      tied.clear();
      scratch.each([&](std::uint32_t l, double w) {
        if (w > best) {
          best = w;
          tied.clear();
        }
        if (w == best) tied.push_back(l);
      });
      const bool own_is_best = scratch.weight(label[v]) == best;
      scratch.clear();
      if (own_is_best) continue;
      label[v] = tied.size() == 1 ? tied.front() : tied[rng.below(tied.size())];
      converged = false;
    }
  }
  membership_.assign(label.begin(), label.end());
  membership_ = canonical_labels(membership_);
  community_count_ = region_count(membership_);
  sweeps_ = sweeps;
  converged_ = converged;
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
