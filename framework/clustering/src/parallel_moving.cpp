#include "parallel_moving.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <utility>

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

// v's best community given its neighbours' labels in local.labels (the sequential rule
// of CommunityState::move_to_best): kNoLabel to be alone, `own` to stay. total_of(c) is
// c's total as the caller sees it; allowed(c) whether v may join c.
template <class TotalOf, class Allowed>
std::uint32_t best_community(const WorkGraph& graph, std::uint32_t v, std::uint32_t own, std::size_t own_size,
                             double scaled_resolution, ParallelWorkspace::Scratch& local, const TotalOf& total_of,
                             const Allowed& allowed) {
  const std::size_t first = graph.offsets[v];
  const std::size_t degree = graph.offsets[v + 1] - first;
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
        best_gain = weight_to_c - scaled_kv * (total_of(own) - kv);
        return;
      }
      if (!allowed(c)) return;
      const double gain = weight_to_c - scaled_kv * total_of(c);
      if (gain > best_gain) {
        best = c;
        best_gain = gain;
      }
    });
    weights.clear();
    return best_gain < 0.0 && own_size > 1 ? kNoLabel : best;
  };
  return local.tables.with(degree, graph.node_count(), best_of);
}

// Consecutive nodes of about kEntriesPerTask adjacency entries and at most
// kChunkMaxNodes nodes (which bounds CommunityChanges).
constexpr std::size_t kChunkMaxNodes = 2048;
// A chunk visits blocks of this many consecutive nodes in a random order: random enough
// for the seed to matter, consecutive enough to keep what one node loads for the next.
constexpr std::uint32_t kVisitBlock = 64;
// Chunked moving for graphs of a mean degree up to this, whose chunks hold at least
// this share of the adjacency entries (chunks_for_moving).
constexpr std::size_t kChunkedMaxMeanDegree = 64;
constexpr double kChunkedMinInside = 0.25;
// Chunked moving finishes on one thread once at most 1/kSequentialTailFraction of the
// nodes are active.
constexpr std::size_t kSequentialTailFraction = 64;

}  // namespace

CommunityChanges::CommunityChanges(std::size_t max_keys) {
  std::size_t capacity = 8;
  while (capacity < 2 * max_keys) capacity *= 2;
  mask_ = capacity - 1;
  slots_.assign(capacity, Slot{kNoLabel, 0, 0.0});
  used_.reserve(max_keys);
}

void CommunityChanges::clear() {
  for (const std::uint32_t slot : used_) slots_[slot].key = kNoLabel;
  used_.clear();
}

ParallelWorkspace::Scratch::Scratch(std::size_t capacity) : tables(capacity), changes(2 * kChunkMaxNodes) {}

void ParallelWorkspace::count_communities(const WorkGraph& graph, const std::vector<std::uint32_t>& community) {
  const std::size_t n = graph.node_count();
  total.assign(n, 0.0);
  size.assign(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    total[community[v]] += graph.node_weight[v];
    ++size[community[v]];
  }
}

void ParallelWorkspace::move(const WorkGraph& graph, std::uint32_t v, std::uint32_t to,
                             std::vector<std::uint32_t>& community) {
  const std::uint32_t own = community[v];
  const double kv = graph.node_weight[v];
  total[own] -= kv;
  --size[own];
  total[to] += kv;
  ++size[to];
  community[v] = to;
}

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
  workspace.count_communities(graph, community);
  std::vector<double>& total = workspace.total;
  std::vector<std::uint32_t>& size = workspace.size;
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

  // v's best community against the state before v's colour class, or its own;
  // activates its neighbours when it moves. Writes only flags of nodes of other classes.
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
    const std::uint32_t best = best_community(
        graph, v, own, size[own], scaled_resolution, local, [&](std::uint32_t c) { return total[c]; },
        [](std::uint32_t) { return true; });
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
        workspace.move(graph, v, to, community);
        if (size[own] == 0) empty.push_back(own);
        sweep_moved = true;
      }
    }
    if (!sweep_moved) break;
    any_moved = true;
  }
  return any_moved;
}

std::optional<Chunks> chunks_for_moving(const WorkGraph& graph) {
  const std::size_t n = graph.node_count();
  if (graph.targets.size() > kChunkedMaxMeanDegree * n) return std::nullopt;
  Chunks chunks;
  chunks.start.assign(1, 0);
  std::size_t entries = 0;
  std::size_t inside = 0;
  for (std::size_t v = 0; v < n; ++v) {
    entries += graph.offsets[v + 1] - graph.offsets[v];
    if (entries >= kEntriesPerTask || v + 1 - chunks.start.back() >= kChunkMaxNodes || v + 1 == n) {
      const std::uint32_t lo = chunks.start.back();
      const std::uint32_t hi = static_cast<std::uint32_t>(v + 1);
      for (std::size_t e = graph.offsets[lo]; e < graph.offsets[hi]; ++e) {
        inside += graph.targets[e] >= lo && graph.targets[e] < hi ? 1 : 0;
      }
      chunks.start.push_back(hi);
      entries = 0;
    }
  }
  if (static_cast<double>(inside) < kChunkedMinInside * static_cast<double>(graph.targets.size())) return std::nullopt;
  return chunks;
}

bool chunked_local_moving(const WorkGraph& graph, const Chunks& chunks, double scaled_resolution, std::uint64_t seed,
                          ParallelWorkspace& workspace, std::vector<std::uint32_t>& community) {
  const std::size_t n = graph.node_count();
  workspace.count_communities(graph, community);
  std::vector<double>& total = workspace.total;
  std::vector<std::uint32_t>& size = workspace.size;
  const std::vector<std::uint32_t>& chunk_start = chunks.start;
  const std::size_t chunk_count = chunk_start.size() - 1;
  workspace.chunk_moves.resize(chunk_count);
  // The labels as a chunk's own moves leave them; outside the chunk as the sweep began
  // (`community`, written only between sweeps).
  std::vector<std::uint32_t>& live = workspace.choice;
  live.assign(community.begin(), community.end());
  workspace.active.assign(n, 1);
  workspace.next_active.assign(n, 0);
  using Scratch = ParallelWorkspace::Scratch;

  // Visits v in the chunk [lo, hi): true when it moved.
  const auto visit = [&](std::uint32_t v, std::uint32_t lo, std::uint32_t hi, Scratch& local,
                         std::vector<std::uint8_t>& activate) {
    const std::uint32_t own = live[v];
    const std::size_t first = graph.offsets[v];
    const std::size_t degree = graph.offsets[v + 1] - first;
    local.labels.resize(degree);
    // Which array a neighbour's label comes from is a coin toss per entry on a graph
    // with ties outside the chunk: choosing the array, not the load, spares the processor
    // a mispredicted branch per such tie.
    const std::uint32_t* const inside = live.data();
    const std::uint32_t* const outside = community.data();
    for (std::size_t i = 0; i < degree; ++i) {
      const std::uint32_t u = graph.targets[first + i];
      const std::uint32_t* const labels = u - lo < hi - lo ? inside : outside;
      local.labels[i] = labels[u];
      __builtin_prefetch(&total[local.labels[i]]);
    }
    const auto size_of = [&](std::uint32_t c) {
      return static_cast<std::int64_t>(size[c]) + local.changes.of(c).second;
    };
    const auto total_of = [&](std::uint32_t c) { return total[c] + local.changes.of(c).first; };
    const bool alone = size_of(own) == 1;
    const auto allowed = [&](std::uint32_t c) { return !alone || c < own || size_of(c) != 1; };
    std::uint32_t to = best_community(graph, v, own, static_cast<std::size_t>(size_of(own)), scaled_resolution, local,
                                      total_of, allowed);
    if (to == own) return false;
    // Alone in a fresh community: v's own label is the one no other chunk can take.
    if (to == kNoLabel) {
      if (size_of(v) != 0) return false;
      to = v;
    }
    const double kv = graph.node_weight[v];
    local.changes.add(own, -kv, -1);
    local.changes.add(to, kv, 1);
    live[v] = to;
    for (std::size_t i = 0; i < degree; ++i) {
      if (local.labels[i] != to) {
        std::atomic_ref<std::uint8_t>(activate[graph.targets[first + i]]).store(1, std::memory_order_relaxed);
      }
    }
    return true;
  };

  const auto apply = [&](std::uint32_t v) { workspace.move(graph, v, live[v], community); };

  bool any_moved = false;
  std::size_t previous_moved = 0;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    const std::uint64_t sweep_seed = derive_seed(seed, static_cast<std::uint64_t>(sweep));
    const tbb::blocked_range<std::size_t> all_chunks(0, chunk_count, 1);
    tbb::parallel_for(all_chunks, [&](const tbb::blocked_range<std::size_t>& r) {
      Scratch& local = workspace.scratch.local();
      for (std::size_t chunk = r.begin(); chunk != r.end(); ++chunk) {
        const std::uint32_t lo = chunk_start[chunk];
        const std::uint32_t hi = chunk_start[chunk + 1];
        std::vector<std::uint32_t>& moves = workspace.chunk_moves[chunk];
        moves.clear();
        // Blocks of consecutive nodes in an order drawn from the seed, each block's
        // active nodes in node order.
        SplitMix64 rng(derive_seed(sweep_seed, static_cast<std::uint64_t>(chunk)));
        const std::uint32_t block_count = (hi - lo + kVisitBlock - 1) / kVisitBlock;
        random_order(block_count, rng, local.blocks);
        local.order.clear();
        for (const std::uint32_t block : local.blocks) {
          const std::uint32_t block_end = std::min(hi, lo + (block + 1) * kVisitBlock);
          for (std::uint32_t v = lo + block * kVisitBlock; v < block_end; ++v) {
            if (workspace.active[v] != 0) local.order.push_back(v);
          }
        }
        const std::size_t count = local.order.size();
        for (std::size_t i = 0; i < count; ++i) {
          if (i + kAdjacencyAhead < count) prefetch_adjacency(graph, local.order[i + kAdjacencyAhead]);
          if (i + kLabelsAhead < count) prefetch_neighbour_labels(graph, community, local.order[i + kLabelsAhead]);
          const std::uint32_t v = local.order[i];
          if (visit(v, lo, hi, local, workspace.next_active)) moves.push_back(v);
        }
        local.changes.clear();
      }
    });
    // Apply in chunk order, so that the sums do not depend on scheduling.
    std::size_t moved = 0;
    for (std::size_t chunk = 0; chunk < chunk_count; ++chunk) {
      for (const std::uint32_t v : workspace.chunk_moves[chunk]) apply(v);
      moved += workspace.chunk_moves[chunk].size();
    }
    if (moved == 0) return any_moved;
    any_moved = true;
    workspace.active.swap(workspace.next_active);
    std::fill(workspace.next_active.begin(), workspace.next_active.end(), 0);
    const auto still_active = static_cast<std::size_t>(std::count(workspace.active.begin(), workspace.active.end(), 1));
    // Chunks that see each other late can keep undoing each other's moves: once a
    // sweep moves about as many nodes as the one before, or few nodes are left, the
    // rest is moved in node order on one thread, where every move raises the quality.
    if ((sweep > 0 && 10 * moved >= 9 * previous_moved) || still_active <= n / kSequentialTailFraction) break;
    previous_moved = moved;
  }
  for (int pass = 0; pass < kMaxSweeps; ++pass) {
    bool pass_moved = false;
    Scratch& local = workspace.scratch.local();
    for (std::uint32_t v = 0; v < n; ++v) {
      if (workspace.active[v] == 0) continue;
      workspace.active[v] = 0;
      if (!visit(v, 0, static_cast<std::uint32_t>(n), local, workspace.active)) continue;
      apply(v);
      local.changes.clear();
      pass_moved = true;
    }
    if (!pass_moved) break;
    any_moved = true;
  }
  return any_moved;
}

MovingSplit::MovingSplit(const WorkGraph& graph, SplitMix64& rng)
    : chunks(chunks_for_moving(graph)), classes(chunks ? ColourClasses{} : colour_greedily(graph, rng)) {}

bool move_in_parallel(const WorkGraph& graph, const MovingSplit& split, double scaled_resolution, SplitMix64& rng,
                      ParallelWorkspace& workspace, std::vector<std::uint32_t>& community) {
  if (split.chunks) return chunked_local_moving(graph, *split.chunks, scaled_resolution, rng.next(), workspace, community);
  return parallel_local_moving(graph, split.classes, scaled_resolution, workspace, community);
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
