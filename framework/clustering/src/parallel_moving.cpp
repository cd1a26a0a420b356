#include "parallel_moving.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <numeric>

namespace bre::clustering::detail {
namespace {

// Nodes of a colour class per task of local moving: enough work to outweigh a task's
// cost; fixed, so the moves are collected in the same chunks for any thread count.
constexpr std::size_t kNodesPerChunk = 1024;
// A safety net against floating-point cycles; sweeps stop long before on real graphs.
constexpr int kMaxSweeps = 1000;

}  // namespace

ColourClasses colour_greedily(const WorkGraph& graph, SplitMix64& rng) {
  const std::size_t n = graph.node_count();
  std::vector<std::uint32_t> order;
  random_order(n, rng, order);
  std::size_t max_degree = 0;
  for (std::size_t v = 0; v < n; ++v) max_degree = std::max(max_degree, graph.offsets[v + 1] - graph.offsets[v]);
  std::vector<std::uint32_t> colour(n, kNoLabel);
  // blocked[c] == i + 1 while colouring the i-th node of the order: a neighbour has c.
  std::vector<std::uint32_t> blocked(max_degree + 1, 0);
  std::uint32_t colour_count = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t v = order[i];
    for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
      const std::uint32_t c = colour[graph.targets[e]];
      if (c != kNoLabel) blocked[c] = i + 1;
    }
    std::uint32_t c = 0;
    while (blocked[c] == i + 1) ++c;
    colour[v] = c;
    colour_count = std::max(colour_count, c + 1);
  }
  ColourClasses classes;
  members_by_label(colour, colour_count, classes.start, classes.nodes);
  return classes;
}

bool parallel_local_moving(const WorkGraph& graph, const ColourClasses& classes, double scaled_resolution,
                           std::vector<std::uint32_t>& community) {
  const std::size_t n = graph.node_count();
  std::vector<double> total(n, 0.0);
  std::vector<std::uint32_t> size(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    total[community[v]] += graph.node_weight[v];
    ++size[community[v]];
  }
  // Every empty label is on this stack (labels that filled again are skipped lazily).
  std::vector<std::uint32_t> empty;
  for (std::size_t c = n; c > 0; --c) {
    if (size[c - 1] == 0) empty.push_back(static_cast<std::uint32_t>(c - 1));
  }
  std::vector<std::atomic<std::uint8_t>> active(n);
  for (auto& flag : active) flag.store(1, std::memory_order_relaxed);
  struct Scratch {
    explicit Scratch(std::size_t capacity) : weights(capacity) {}
    NeighbourWeights weights;
    SmallWeights small;
    std::vector<std::uint32_t> labels;  // the communities of one node's neighbours
  };
  tbb::enumerable_thread_specific<Scratch> scratch([n] { return Scratch(n); });
  // The moves chosen in each fixed chunk of a class, applied chunk by chunk in order;
  // `to` = kNoLabel: the node goes alone.
  struct Move {
    std::uint32_t node;
    std::uint32_t to;
  };
  std::vector<std::vector<Move>> moves;

  // v's best community against the state before v's colour class (the sequential rule of
  // CommunityState::move_to_best), or its own; activates its neighbours when it moves.
  // Writes only flags of nodes of other classes.
  const auto choose = [&](std::uint32_t v, Scratch& local) {
    const std::uint32_t own = community[v];
    active[v].store(0, std::memory_order_relaxed);
    const std::size_t first = graph.offsets[v];
    const std::size_t degree = graph.offsets[v + 1] - first;
    // The neighbours' labels first, in a loop of independent loads the processor can
    // overlap, then the sums.
    local.labels.resize(degree);
    for (std::size_t i = 0; i < degree; ++i) local.labels[i] = community[graph.targets[first + i]];
    // The best community and its gain, summing in either table.
    const auto best_of = [&](auto& weights) {
      weights.touch(own);
      for (std::size_t i = 0; i < degree; ++i) weights.add(local.labels[i], graph.weights[first + i]);
      const double kv = graph.node_weight[v];
      const double scaled_kv = scaled_resolution * kv;
      std::uint32_t best = own;
      double best_gain = weights.weight(own) - scaled_kv * (total[own] - kv);
      for (const std::uint32_t c : weights.touched()) {
        if (c == own) continue;
        const double gain = weights.weight(c) - scaled_kv * total[c];
        if (gain > best_gain) {
          best = c;
          best_gain = gain;
        }
      }
      weights.clear();
      return best_gain < 0.0 && size[own] > 1 ? kNoLabel : best;
    };
    std::uint32_t best;
    if (degree < kSmallEntries) {
      local.small.reset(degree);
      best = best_of(local.small);
    } else {
      best = best_of(local.weights);
    }
    if (best == own) return own;
    for (std::size_t i = 0; i < degree; ++i) {
      if (local.labels[i] != best) active[graph.targets[first + i]].store(1, std::memory_order_relaxed);
    }
    return best;
  };

  // Asks for the labels of u's neighbours while the node before u is worked on: on a
  // large graph they are cache misses, and this overlaps them with that work.
  const auto prefetch_neighbour_labels = [&](std::uint32_t u) {
    if (!active[u].load(std::memory_order_relaxed)) return;
    for (std::size_t e = graph.offsets[u]; e < graph.offsets[u + 1]; ++e) __builtin_prefetch(&community[graph.targets[e]]);
  };

  bool any_moved = false;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    bool sweep_moved = false;
    for (std::size_t c = 0; c + 1 < classes.start.size(); ++c) {
      const std::size_t first = classes.start[c];
      const std::size_t last = classes.start[c + 1];
      const std::size_t chunks = (last - first + kNodesPerChunk - 1) / kNodesPerChunk;
      if (moves.size() < chunks) moves.resize(chunks);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunks, 1), [&](const tbb::blocked_range<std::size_t>& r) {
        Scratch& local = scratch.local();
        for (std::size_t chunk = r.begin(); chunk != r.end(); ++chunk) {
          std::vector<Move>& chosen = moves[chunk];
          chosen.clear();
          const std::size_t end = std::min(last, first + (chunk + 1) * kNodesPerChunk);
          for (std::size_t i = first + chunk * kNodesPerChunk; i < end; ++i) {
            const std::uint32_t v = classes.nodes[i];
            if (i + 1 < end) prefetch_neighbour_labels(classes.nodes[i + 1]);
            if (!active[v].load(std::memory_order_relaxed)) continue;
            const std::uint32_t to = choose(v, local);
            if (to != community[v]) chosen.push_back({v, to});
          }
        }
      });
      // Apply in node order, so sums and the labels drawn for lone nodes do not depend
      // on scheduling.
      for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
        for (const Move& move : moves[chunk]) {
          const std::uint32_t v = move.node;
          const std::uint32_t own = community[v];
          std::uint32_t to = move.to;
          if (to == kNoLabel) {
            // Alone already when the rest of its community left in this class.
            if (size[own] == 1) continue;
            while (size[empty.back()] != 0) empty.pop_back();
            to = empty.back();
            empty.pop_back();
          }
          const double kv = graph.node_weight[v];
          total[own] -= kv;
          --size[own];
          total[to] += kv;
          ++size[to];
          community[v] = to;
          if (size[own] == 0) empty.push_back(own);
          sweep_moved = true;
        }
      }
    }
    if (!sweep_moved) break;
    any_moved = true;
  }
  return any_moved;
}

std::vector<std::uint32_t> renumber_by_community(WorkGraph& graph, ColourClasses& classes,
                                                 std::vector<std::uint32_t>& membership) {
  const std::size_t n = graph.node_count();
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> old_of;
  members_by_label(membership, static_cast<std::uint32_t>(n), start, old_of);
  std::vector<std::uint32_t> new_id(n);
  for (std::uint32_t i = 0; i < n; ++i) new_id[old_of[i]] = i;

  WorkGraph out;
  out.offsets.assign(n + 1, 0);
  out.self_weight.resize(n);
  out.node_weight.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.offsets[i + 1] = graph.offsets[old_of[i] + 1] - graph.offsets[old_of[i]];
  std::partial_sum(out.offsets.begin(), out.offsets.end(), out.offsets.begin());
  out.targets.resize(graph.targets.size());
  out.weights.resize(graph.weights.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kNodesPerChunk), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      const std::uint32_t v = old_of[i];
      out.self_weight[i] = graph.self_weight[v];
      out.node_weight[i] = graph.node_weight[v];
      std::size_t at = out.offsets[i];
      for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e, ++at) {
        out.targets[at] = new_id[graph.targets[e]];
        out.weights[at] = graph.weights[e];
      }
    }
  });
  graph = std::move(out);

  std::vector<std::uint32_t> renumbered(n);
  for (std::size_t v = 0; v < n; ++v) renumbered[new_id[v]] = membership[v];
  membership = std::move(renumbered);
  for (std::uint32_t& v : classes.nodes) v = new_id[v];
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, classes.start.size() - 1, 1),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t c = r.begin(); c != r.end(); ++c) {
                        std::sort(classes.nodes.begin() + static_cast<std::ptrdiff_t>(classes.start[c]),
                                  classes.nodes.begin() + static_cast<std::ptrdiff_t>(classes.start[c + 1]));
                      }
                    });
  return new_id;
}

std::vector<std::uint32_t> parallel_refine(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                                           std::uint32_t k, double scaled_resolution, double beta,
                                           std::uint64_t seed) {
  const std::size_t n = graph.node_count();
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> members;
  members_by_label(community, k, start, members);
  Refinement state;
  state.reset(graph, community);
  struct Scratch {
    explicit Scratch(std::size_t capacity) : weights(capacity) {}
    NeighbourWeights weights;
    SmallWeights small;
    RefinementCandidates candidates;
    std::vector<std::uint32_t> order;
  };
  tbb::enumerable_thread_specific<Scratch> scratch([n] { return Scratch(n); });
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, k, 16), [&](const tbb::blocked_range<std::uint32_t>& range) {
    Scratch& local = scratch.local();
    for (std::uint32_t c = range.begin(); c != range.end(); ++c) {
      if (start[c + 1] - start[c] < 2) continue;
      double total_c = 0.0;
      for (std::size_t i = start[c]; i < start[c + 1]; ++i) total_c += graph.node_weight[members[i]];
      SplitMix64 rng(derive_seed(seed, static_cast<std::uint64_t>(c)));
      local.order.assign(members.begin() + static_cast<std::ptrdiff_t>(start[c]),
                         members.begin() + static_cast<std::ptrdiff_t>(start[c + 1]));
      for (std::size_t i = local.order.size(); i > 1; --i) std::swap(local.order[i - 1], local.order[rng.below(i)]);
      for (const std::uint32_t v : local.order) {
        refine_node(graph, community, v, total_c, scaled_resolution, beta, rng, state, local.weights, local.small,
                    local.candidates);
      }
    }
  });
  return std::move(state.refined);
}

}  // namespace bre::clustering::detail
