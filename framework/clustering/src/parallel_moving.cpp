#include "parallel_moving.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>

namespace bre::clustering::detail {
namespace {

// Adjacency entries per task of local moving: enough work to outweigh a task's cost.
constexpr std::size_t kEntriesPerTask = 16384;
// Prefetches of a software pipeline over a colour class, whose nodes are spread over
// the whole graph: on a large graph each node's adjacency and its neighbours' labels
// are cache misses the processor cannot foresee. u's adjacency is asked for a few
// nodes ahead, then (its targets arrived) the labels of its neighbours.
constexpr std::size_t kAdjacencyAhead = 4;
constexpr std::size_t kLabelsAhead = 2;

void prefetch_adjacency(const WorkGraph& graph, std::uint32_t u) {
  const std::size_t first = graph.offsets[u];
  const std::size_t last = graph.offsets[u + 1];
  __builtin_prefetch(&graph.node_weight[u]);
  if (first == last) return;
  for (std::size_t e = first; e < last; e += 64 / sizeof(std::uint32_t)) __builtin_prefetch(&graph.targets[e]);
  __builtin_prefetch(&graph.targets[last - 1]);
  for (std::size_t e = first; e < last; e += 64 / sizeof(double)) __builtin_prefetch(&graph.weights[e]);
  __builtin_prefetch(&graph.weights[last - 1]);
}

void prefetch_neighbour_labels(const WorkGraph& graph, const std::vector<std::uint32_t>& label, std::uint32_t u) {
  for (std::size_t e = graph.offsets[u]; e < graph.offsets[u + 1]; ++e) __builtin_prefetch(&label[graph.targets[e]]);
}

// A safety net against floating-point cycles; sweeps stop long before on real graphs.
constexpr int kMaxSweeps = 1000;

}  // namespace

ColourClasses colour_greedily(const WorkGraph& graph, SplitMix64& rng) {
  const std::size_t n = graph.node_count();
  std::size_t max_degree = 0;
  for (std::size_t v = 0; v < n; ++v) max_degree = std::max(max_degree, graph.offsets[v + 1] - graph.offsets[v]);
  std::vector<std::uint32_t> colour(n, kNoLabel);
  // blocked[c] == v + 1 while colouring node v: a neighbour has c.
  std::vector<std::uint32_t> blocked(max_degree + 1, 0);
  std::uint32_t colour_count = 0;
  for (std::uint32_t v = 0; v < n; ++v) {
    for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
      const std::uint32_t c = colour[graph.targets[e]];
      if (c != kNoLabel) blocked[c] = v + 1;
    }
    std::uint32_t c = 0;
    while (blocked[c] == v + 1) ++c;
    colour[v] = c;
    colour_count = std::max(colour_count, c + 1);
  }
  // The classes are swept in a random order: the seed's part in the result.
  std::vector<std::uint32_t> class_order;
  random_order(colour_count, rng, class_order);
  for (std::uint32_t& c : colour) c = class_order[c];
  ColourClasses classes;
  members_by_label(colour, colour_count, classes.start, classes.nodes);
  return classes;
}

bool parallel_local_moving(const WorkGraph& graph, const ColourClasses& classes, double scaled_resolution,
                           ParallelWorkspace& workspace, std::vector<std::uint32_t>& community) {
  const std::size_t n = graph.node_count();
  std::vector<double>& total = workspace.total;
  std::vector<std::uint32_t>& size = workspace.size;
  total.assign(n, 0.0);
  size.assign(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    total[community[v]] += graph.node_weight[v];
    ++size[community[v]];
  }
  // Every empty label is on this stack (labels that filled again are skipped lazily).
  std::vector<std::uint32_t>& empty = workspace.empty;
  empty.clear();
  for (std::size_t c = n; c > 0; --c) {
    if (size[c - 1] == 0) empty.push_back(static_cast<std::uint32_t>(c - 1));
  }
  workspace.active.assign(n, 1);
  const auto is_active = [&](std::uint32_t v) {
    return std::atomic_ref<std::uint8_t>(workspace.active[v]).load(std::memory_order_relaxed) != 0;
  };
  const auto set_active = [&](std::uint32_t v, std::uint8_t flag) {
    std::atomic_ref<std::uint8_t>(workspace.active[v]).store(flag, std::memory_order_relaxed);
  };
  using Scratch = ParallelWorkspace::Scratch;
  // Each node's choice in its class (kNoLabel: alone), by position in classes.nodes.
  std::vector<std::uint32_t>& choice = workspace.choice;
  choice.resize(classes.nodes.size());

  // v's best community against the state before v's colour class (the sequential rule of
  // CommunityState::move_to_best), or its own; activates its neighbours when it moves.
  // Writes only flags of nodes of other classes.
  const auto choose = [&](std::uint32_t v, Scratch& local) {
    const std::uint32_t own = community[v];
    set_active(v, 0);
    const std::size_t first = graph.offsets[v];
    const std::size_t degree = graph.offsets[v + 1] - first;
    // The neighbours' labels first, in a loop of independent loads the processor can
    // overlap (asking for their totals too), then the sums.
    local.labels.resize(degree);
    for (std::size_t i = 0; i < degree; ++i) {
      local.labels[i] = community[graph.targets[first + i]];
      __builtin_prefetch(&total[local.labels[i]]);
    }
    // The best community and its gain, summing in either table.
    const auto best_of = [&](auto& weights) {
      weights.touch(own);
      for (std::size_t i = 0; i < degree; ++i) weights.add(local.labels[i], graph.weights[first + i]);
      const double kv = graph.node_weight[v];
      const double scaled_kv = scaled_resolution * kv;
      std::uint32_t best = own;
      // The own community is the first met (touched first).
      double best_gain = 0.0;
      bool first_met = true;
      weights.each([&](std::uint32_t c, double weight_to_c) {
        if (first_met) {
          first_met = false;
          best_gain = weight_to_c - scaled_kv * (total[own] - kv);
          return;
        }
        const double gain = weight_to_c - scaled_kv * total[c];
        if (gain > best_gain) {
          best = c;
          best_gain = gain;
        }
      });
      weights.clear();
      return best_gain < 0.0 && size[own] > 1 ? kNoLabel : best;
    };
    const std::uint32_t best = local.tables.with(degree, best_of);
    if (best == own) return own;
    for (std::size_t i = 0; i < degree; ++i) {
      if (local.labels[i] != best) set_active(graph.targets[first + i], 1);
    }
    return best;
  };

  // Tasks of about kEntriesPerTask adjacency entries: a dense aggregate has few nodes
  // per class but long adjacency lists. The result does not depend on the split: every
  // choice is against the state before the class.
  const std::size_t grain =
      std::max<std::size_t>(1, kEntriesPerTask * n / std::max<std::size_t>(1, graph.targets.size()));
  bool any_moved = false;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    bool sweep_moved = false;
    for (std::size_t c = 0; c + 1 < classes.start.size(); ++c) {
      const std::size_t first = classes.start[c];
      const std::size_t last = classes.start[c + 1];
      const tbb::blocked_range<std::size_t> class_range(first, last, grain);
      tbb::parallel_for(class_range, [&](const tbb::blocked_range<std::size_t>& r) {
        Scratch& local = workspace.scratch.local();
        const std::size_t end = r.end();
        for (std::size_t i = r.begin(); i != end; ++i) {
          const std::uint32_t v = classes.nodes[i];
          // Only active nodes are worked on, so only theirs are asked for.
          if (i + kAdjacencyAhead < end) {
            const std::uint32_t ahead = classes.nodes[i + kAdjacencyAhead];
            if (is_active(ahead)) prefetch_adjacency(graph, ahead);
          }
          if (i + kLabelsAhead < end) {
            const std::uint32_t ahead = classes.nodes[i + kLabelsAhead];
            if (is_active(ahead)) prefetch_neighbour_labels(graph, community, ahead);
          }
          choice[i] = is_active(v) ? choose(v, local) : community[v];
        }
      });
      // Apply in node order, so sums and the labels drawn for lone nodes do not depend
      // on scheduling.
      for (std::size_t i = first; i < last; ++i) {
        const std::uint32_t v = classes.nodes[i];
        const std::uint32_t own = community[v];
        std::uint32_t to = choice[i];
        if (to == own) continue;
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
    if (!sweep_moved) break;
    any_moved = true;
  }
  return any_moved;
}

std::vector<std::uint32_t> parallel_refine(const WorkGraph& graph, const std::vector<std::uint32_t>& community,
                                           std::uint32_t k, double scaled_resolution, double beta, std::uint64_t seed,
                                           ParallelWorkspace& workspace) {
  const std::vector<std::size_t>& start = workspace.start;
  const std::vector<std::uint32_t>& members = workspace.members;
  members_by_label(community, k, workspace.start, workspace.members);
  Refinement& state = workspace.refinement;
  state.reset(graph, community);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, k, 16), [&](const tbb::blocked_range<std::uint32_t>& range) {
    ParallelWorkspace::Scratch& local = workspace.scratch.local();
    for (std::uint32_t c = range.begin(); c != range.end(); ++c) {
      if (start[c + 1] - start[c] < 2) continue;
      double total_c = 0.0;
      for (std::size_t i = start[c]; i < start[c + 1]; ++i) total_c += graph.node_weight[members[i]];
      SplitMix64 rng(derive_seed(seed, static_cast<std::uint64_t>(c)));
      local.order.assign(members.begin() + static_cast<std::ptrdiff_t>(start[c]),
                         members.begin() + static_cast<std::ptrdiff_t>(start[c + 1]));
      for (std::size_t i = local.order.size(); i > 1; --i) std::swap(local.order[i - 1], local.order[rng.below(i)]);
      for (const std::uint32_t v : local.order) {
        refine_node(graph, community, v, total_c, scaled_resolution, beta, rng, state, local.tables, local.candidates);
      }
    }
  });
  return std::move(state.refined);
}

}  // namespace bre::clustering::detail
