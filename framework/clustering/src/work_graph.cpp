#include "work_graph.hpp"

#include <numeric>

namespace bre::clustering::detail {

WorkGraph level_zero(const Graph& graph, bool use_strength) {
  const std::size_t n = graph.node_count();
  WorkGraph work;
  work.offsets.assign(n + 1, 0);
  work.self_weight.assign(n, 0.0);
  work.node_weight.assign(n, 1.0);
  std::size_t entries = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    for (const Neighbour& nb : graph.neighbours(v)) entries += nb.node != v ? 1 : 0;
  }
  work.targets.reserve(entries);
  work.weights.reserve(entries);
  for (std::uint32_t v = 0; v < n; ++v) {
    for (const Neighbour& nb : graph.neighbours(v)) {
      if (nb.node == v) {
        work.self_weight[v] = nb.weight;
      } else {
        work.targets.push_back(nb.node);
        work.weights.push_back(nb.weight);
      }
    }
    work.offsets[v + 1] = work.targets.size();
    if (use_strength) work.node_weight[v] = graph.strength(v);
  }
  return work;
}

std::uint32_t compact_labels(std::vector<std::uint32_t>& labels, std::size_t capacity) {
  constexpr std::uint32_t kNone = 0xffffffffU;
  std::vector<std::uint32_t> relabel(capacity, kNone);
  std::uint32_t next = 0;
  for (std::uint32_t& label : labels) {
    if (relabel[label] == kNone) relabel[label] = next++;
    label = relabel[label];
  }
  return next;
}

WorkGraph aggregate(const WorkGraph& graph, const std::vector<std::uint32_t>& group,
                    std::uint32_t group_count, NeighbourWeights& scratch) {
  const std::size_t n = graph.node_count();
  // Members of each group, in node order (counting sort).
  std::vector<std::size_t> start(group_count + 1, 0);
  for (std::size_t v = 0; v < n; ++v) ++start[group[v] + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  std::vector<std::uint32_t> members(n);
  {
    std::vector<std::size_t> cursor(start.begin(), start.end() - 1);
    for (std::uint32_t v = 0; v < n; ++v) members[cursor[group[v]]++] = v;
  }

  WorkGraph out;
  out.offsets.assign(group_count + 1, 0);
  out.self_weight.assign(group_count, 0.0);
  out.node_weight.assign(group_count, 0.0);
  out.targets.reserve(graph.targets.size() / 2);
  out.weights.reserve(graph.targets.size() / 2);
  for (std::uint32_t c = 0; c < group_count; ++c) {
    double self = 0.0;
    double node_weight = 0.0;
    for (std::size_t i = start[c]; i < start[c + 1]; ++i) {
      const std::uint32_t v = members[i];
      self += graph.self_weight[v];
      node_weight += graph.node_weight[v];
      for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
        const std::uint32_t d = group[graph.targets[e]];
        // An internal edge is seen from both ends; half from each keeps it once.
        if (d == c) {
          self += 0.5 * graph.weights[e];
        } else {
          scratch.add(d, graph.weights[e]);
        }
      }
    }
    for (std::uint32_t d : scratch.touched()) {
      out.targets.push_back(d);
      out.weights.push_back(scratch.weight(d));
    }
    scratch.clear();
    out.offsets[c + 1] = out.targets.size();
    out.self_weight[c] = self;
    out.node_weight[c] = node_weight;
  }
  out.targets.shrink_to_fit();
  out.weights.shrink_to_fit();
  return out;
}

void random_order(std::size_t n, SplitMix64& rng, std::vector<std::uint32_t>& order) {
  order.resize(n);
  std::iota(order.begin(), order.end(), 0U);
  for (std::size_t i = n; i > 1; --i) {
    const std::size_t j = rng.below(i);
    std::swap(order[i - 1], order[j]);
  }
}

double objective_value(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                       double scaled_resolution) {
  const std::size_t n = graph.node_count();
  std::vector<double> inside(n, 0.0);
  std::vector<double> total(n, 0.0);
  for (std::size_t v = 0; v < n; ++v) {
    const std::uint32_t c = community[v];
    inside[c] += graph.self_weight[v];
    total[c] += graph.node_weight[v];
    for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
      if (community[graph.targets[e]] == c) inside[c] += 0.5 * graph.weights[e];
    }
  }
  double quality = 0.0;
  for (std::size_t c = 0; c < n; ++c) quality += inside[c] - 0.5 * scaled_resolution * total[c] * total[c];
  return quality;
}

}  // namespace bre::clustering::detail

namespace bre::clustering::detail {

void CommunityState::reset(const WorkGraph& graph, const std::vector<std::uint32_t>& labels) {
  const std::size_t n = graph.node_count();
  community = labels;
  total_.assign(n, 0.0);
  size_.assign(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    total_[labels[v]] += graph.node_weight[v];
    ++size_[labels[v]];
  }
  empty_.clear();
  for (std::size_t c = n; c > 0; --c) {
    if (size_[c - 1] == 0) empty_.push_back(static_cast<std::uint32_t>(c - 1));
  }
}

bool CommunityState::move_to_best(const WorkGraph& graph, std::uint32_t v, double scaled_resolution,
                                  NeighbourWeights& scratch) {
  const std::uint32_t own = community[v];
  const double kv = graph.node_weight[v];
  scratch.touch(own);
  for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
    scratch.add(community[graph.targets[e]], graph.weights[e]);
  }
  total_[own] -= kv;
  --size_[own];
  const double scaled_kv = scaled_resolution * kv;
  std::uint32_t best = own;
  double best_gain = scratch.weight(own) - scaled_kv * total_[own];
  for (std::uint32_t c : scratch.touched()) {
    const double gain = scratch.weight(c) - scaled_kv * total_[c];
    if (gain > best_gain) {
      best = c;
      best_gain = gain;
    }
  }
  scratch.clear();
  // An empty community gains 0; the own one is that already when v was alone.
  if (best_gain < 0.0 && size_[own] > 0) {
    best = empty_.back();
    empty_.pop_back();
  }
  total_[best] += kv;
  ++size_[best];
  community[v] = best;
  if (best == own) return false;
  if (size_[own] == 0) empty_.push_back(own);
  return true;
}

}  // namespace bre::clustering::detail
