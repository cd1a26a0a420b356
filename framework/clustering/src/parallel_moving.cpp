#include "parallel_moving.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <utility>

namespace bre::clustering::detail {
namespace {

// Adjacency entries per task of local moving: enough work to outweigh a task's cost.
constexpr std::size_t kEntriesPerTask = 16384;
// The same within a colour class, where a dense aggregate's class has only a few tasks'
// worth of entries: smaller tasks share them out more evenly between the threads.
constexpr std::size_t kEntriesPerClassTask = 4096;
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

// v's best community given its neighbours' labels label_of(i), i < degree (the sequential rule
// of CommunityState::move_to_best): kNoLabel to be alone, `own` to stay; and its slack,
// how much more that gains than the next best choice (one not allowed counts as a choice:
// it may be allowed later). candidate(c) gives c's total as the caller sees it and
// whether v may join c (one lookup for both).
struct BestChoice {
  std::uint32_t community;
  double slack;
};
struct Candidate {
  double total;
  bool allowed;
};
template <class LabelOf, class CandidateOf>
BestChoice best_community(const WorkGraph& graph, std::uint32_t v, std::uint32_t own, std::size_t own_size,
                          double scaled_resolution, ParallelWorkspace::Scratch& local, const LabelOf& label_of,
                          const CandidateOf& candidate) {
  const std::size_t first = graph.offsets[v];
  const std::size_t degree = graph.offsets[v + 1] - first;
  const auto best_of = [&](auto& weights) {
    weights.touch(own);
    for (std::size_t i = 0; i < degree; ++i) weights.add(label_of(i), graph.weights[first + i]);
    const double kv = graph.node_weight[v];
    const double scaled_kv = scaled_resolution * kv;
    std::uint32_t best = own;
    // The own community is the first met (touched first).
    double best_gain = 0.0;
    double second_gain = -std::numeric_limits<double>::infinity();
    bool first_met = true;
    weights.drain([&](std::uint32_t c, double weight_to_c) {
      if (first_met) {
        first_met = false;
        best_gain = weight_to_c - scaled_kv * (candidate(own).total - kv);
        return;
      }
      const Candidate joined = candidate(c);
      const double gain = weight_to_c - scaled_kv * joined.total;
      if (joined.allowed && gain > best_gain) {
        second_gain = best_gain;
        best = c;
        best_gain = gain;
      } else {
        second_gain = std::max(second_gain, gain);
      }
    });
    // Being alone in an empty community gains 0 (the own community, when v is alone).
    if (own_size > 1) {
      if (best_gain < 0.0) {
        second_gain = best_gain;
        best = kNoLabel;
        best_gain = 0.0;
      } else {
        second_gain = std::max(second_gain, 0.0);
      }
    }
    return BestChoice{best, best_gain - second_gain};
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
constexpr std::size_t kWakeByFlagsShare = 8;

// Pruning by slack, in fixed point: integer sums are the same in any order, so which
// nodes wake does not depend on the thread count. kSlackCap bounds a slack, and an
// erosion stops being summed once it reaches kErosionStop (then it exceeds any slack):
// below that every sum is exact.
constexpr std::int64_t kSlackCap = std::int64_t{1} << 40;
constexpr std::int64_t kErosionStop = std::int64_t{1} << 41;

// The fixed-point unit of one level: 2^30 units per the largest gain change one move can
// cause on it, |w(u, v) - gamma' k_u k_v| <= k_max (1 + gamma' k_max) for modularity (a
// larger one, possible under CPM, saturates and simply wakes the node).
class SlackScale {
 public:
  SlackScale(const WorkGraph& graph, double scaled_resolution) {
    for (const double k : graph.node_weight) k_max_ = std::max(k_max_, k);
    const double unit = k_max_ * (1.0 + scaled_resolution * k_max_);
    units_per_weight_ = unit > 0.0 ? 0x1p30 / unit : 0.0;
  }
  // Rounded down, so a slack is never overstated.
  std::int64_t slack(double gain) const {
    const double units = gain * units_per_weight_;
    if (!(units > 0.0)) return 0;
    return units >= static_cast<double>(kSlackCap) ? kSlackCap : static_cast<std::int64_t>(units);
  }
  // Rounded up, plus one unit for the rounding of the gains themselves.
  std::int64_t erosion(double change) const {
    const double units = std::ceil(change * units_per_weight_) + 1.0;
    return units < static_cast<double>(kSlackCap) ? static_cast<std::int64_t>(units) : kSlackCap;
  }
  // The most a move of v from community A to B lowers the slack of its neighbour u, with
  // d = w(u, v) - gamma' k_u k_v: u's gains for A and B change by -d and +d (B may be
  // new to u: then its gain is at most d, which only matters against staying alone), so
  // |d| when u is in neither; when u is in A or B its own gain changes too: 2|d|. A node
  // alone at its last visit is woken by a move into its community or one with d > 0
  // (kErosionStop): for it a new choice is measured against 0, not against the next best.
  std::int64_t erosion(double d, bool in_either, bool u_alone, bool joins_u) const {
    if (u_alone && (joins_u || d > 0.0)) return kErosionStop;
    return erosion(in_either ? 2.0 * std::abs(d) : std::abs(d));
  }
  // The same without k_u (which costs a cache miss on a large graph), from
  // |d| <= max(w, gamma' k_max k_v), as tight where gamma' k_u k_v is small against the
  // weights (modularity on a large sparse graph); d > 0 cannot be ruled out.
  std::int64_t erosion_without_k_u(double scaled_kv, double w, bool in_either, bool u_alone) const {
    if (u_alone) return kErosionStop;
    const double change = std::max(w, scaled_kv * k_max_);
    return erosion(in_either ? 2.0 * change : change);
  }

 private:
  double k_max_ = 0.0;
  double units_per_weight_;
};

// Adds to an erosion that other tasks add to as well.
void erode_shared(std::vector<std::int64_t>& erosion, std::uint32_t u, std::int64_t units) {
  std::atomic_ref<std::int64_t> sum(erosion[u]);
  if (sum.load(std::memory_order_relaxed) < kErosionStop) sum.fetch_add(units, std::memory_order_relaxed);
}

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

void ParallelWorkspace::reset_pruning(std::size_t n) {
  slack.assign(n, 0);
  erosion.assign(n, 0);
  alone.assign(n, 0);
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
                           Pruning pruning, ParallelWorkspace& workspace, std::vector<std::uint32_t>& community) {
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
  // On a graph of at most kCachedRange nodes, labels and totals stay in cache.
  const bool labels_cached = n <= kCachedRange;
  // A node is due for a visit (after the first sweep) once its neighbours' moves since
  // its last visit may have eroded its slack (ParallelWorkspace), or by Leiden's rule
  // once a neighbour moved to another community (its erosion is then kErosionStop).
  const SlackScale scale(graph, scaled_resolution);
  workspace.reset_pruning(n);
  std::vector<std::int64_t>& slack = workspace.slack;
  std::vector<std::int64_t>& erosion = workspace.erosion;
  std::vector<std::uint8_t>& alone = workspace.alone;
  int sweep = 0;
  // Only nodes of other classes are eroded while a class is visited.
  const auto is_due = [&](std::uint32_t v) {
    return sweep == 0 || std::atomic_ref<std::int64_t>(erosion[v]).load(std::memory_order_relaxed) > slack[v];
  };
  using Scratch = ParallelWorkspace::Scratch;
  // Each node's choice in its class (kNoLabel: alone), by position in classes.nodes.
  std::vector<std::uint32_t>& choice = workspace.choice;
  choice.resize(classes.nodes.size());

  // v's best community against the state before v's colour class, or its own; erodes
  // its neighbours' slack when it moves. Writes only erosions of nodes of other classes.
  const auto choose = [&](std::uint32_t v, Scratch& local) {
    const std::uint32_t own = community[v];
    const std::size_t first = graph.offsets[v];
    const std::size_t degree = graph.offsets[v + 1] - first;
    const auto label_of = [&](std::size_t i) { return community[graph.targets[first + i]]; };
    const auto candidate = [&](std::uint32_t c) { return Candidate{total[c], true}; };
    BestChoice choice;
    if (labels_cached) {
      // Labels and totals stay in cache: read each label where the sums need it.
      choice = best_community(graph, v, own, size[own], scaled_resolution, local, label_of, candidate);
    } else {
      // The neighbours' labels first, in a loop of independent loads the processor can
      // overlap (asking for their totals too), then the sums.
      local.labels.resize(degree);
      for (std::size_t i = 0; i < degree; ++i) {
        local.labels[i] = label_of(i);
        __builtin_prefetch(&total[local.labels[i]]);
      }
      choice = best_community(graph, v, own, size[own], scaled_resolution, local,
                              [&](std::size_t i) { return local.labels[i]; }, candidate);
    }
    const std::uint32_t best = choice.community;
    slack[v] = scale.slack(choice.slack);
    erosion[v] = 0;
    alone[v] = best == kNoLabel || (best == own && size[own] == 1) ? 1 : 0;
    if (best == own) return own;
    if (pruning == Pruning::kNeighbours) {
      for (std::size_t i = 0; i < degree; ++i) {
        if (label_of(i) != best) {
          std::atomic_ref<std::int64_t>(erosion[graph.targets[first + i]]).store(kErosionStop, std::memory_order_relaxed);
        }
      }
      return best;
    }
    const double scaled_kv = scaled_resolution * graph.node_weight[v];
    for (std::size_t i = 0; i < degree; ++i) {
      const std::uint32_t u = graph.targets[first + i];
      const std::uint32_t label = label_of(i);
      const double d = graph.weights[first + i] - scaled_kv * graph.node_weight[u];
      erode_shared(erosion, u, scale.erosion(d, label == own || label == best, alone[u] != 0, label == best));
    }
    return best;
  };

  // Tasks of about kEntriesPerClassTask adjacency entries: a dense aggregate has few
  // nodes per class but long adjacency lists. The result does not depend on the split: every
  // choice is against the state before the class.
  const std::size_t grain =
      std::max<std::size_t>(1, kEntriesPerClassTask * n / std::max<std::size_t>(1, graph.targets.size()));
  bool any_moved = false;
  for (; sweep < kMaxSweeps; ++sweep) {
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
            if (is_due(ahead)) prefetch_adjacency(graph, ahead);
          }
          if (i + kLabelsAhead < end) {
            const std::uint32_t ahead = classes.nodes[i + kLabelsAhead];
            if (is_due(ahead)) prefetch_neighbour_labels(graph, community, ahead);
          }
          choice[i] = is_due(v) ? choose(v, local) : community[v];
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
  for (std::size_t v = 0; v < n; ++v) {
    entries += graph.offsets[v + 1] - graph.offsets[v];
    if (entries >= kEntriesPerTask || v + 1 - chunks.start.back() >= kChunkMaxNodes || v + 1 == n) {
      chunks.start.push_back(static_cast<std::uint32_t>(v + 1));
      entries = 0;
    }
  }
  // The entries inside their chunk, counted per chunk in parallel (an integer sum).
  const std::size_t inside = tbb::parallel_reduce(
      tbb::blocked_range<std::size_t>(0, chunks.start.size() - 1), std::size_t{0},
      [&](const tbb::blocked_range<std::size_t>& r, std::size_t count) {
        for (std::size_t chunk = r.begin(); chunk != r.end(); ++chunk) {
          const std::uint32_t lo = chunks.start[chunk];
          const std::uint32_t hi = chunks.start[chunk + 1];
          for (std::size_t e = graph.offsets[lo]; e < graph.offsets[hi]; ++e) count += graph.targets[e] - lo < hi - lo ? 1 : 0;
        }
        return count;
      },
      std::plus<>());
  if (static_cast<double>(inside) < kChunkedMinInside * static_cast<double>(graph.targets.size())) return std::nullopt;
  return chunks;
}

bool chunked_local_moving(const WorkGraph& graph, const Chunks& chunks, double scaled_resolution, std::uint64_t seed,
                          Pruning pruning, ParallelWorkspace& workspace, std::vector<std::uint32_t>& community) {
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
  // Pruning by slack (ParallelWorkspace): a move erodes the slack of a neighbour in the
  // same chunk at once (unless it is still to be visited this sweep: then it sees the
  // move), of one in another chunk through the shared erosion, which the sweep's end
  // adds; nodes whose erosion then exceeds their slack are the next sweep's. By
  // Leiden's rule (and in slack's sweeps where most nodes move) a move flags the
  // neighbours outside its new community instead.
  const SlackScale scale(graph, scaled_resolution);
  workspace.reset_pruning(n);
  workspace.active.assign(n, 1);
  workspace.own_erosion.assign(n, 0);
  workspace.woken.assign(n, 0);
  std::vector<std::uint8_t>& active = workspace.active;
  // Alone at the last visit; a neighbour in another chunk is judged by the flags as the
  // sweep began (its chunk may be writing its own).
  std::vector<std::uint8_t>& alone_at_visit = workspace.alone;
  std::vector<std::uint8_t>& alone_before = workspace.alone_before;
  std::vector<std::int64_t>& slack = workspace.slack;
  std::vector<std::int64_t>& own_erosion = workspace.own_erosion;
  // While most nodes move, nearly all would be woken either way, and a flag costs less
  // than an erosion: a sweep after one that moved more than 1/kWakeByFlagsShare of the
  // nodes (the first, when that many start alone) wakes the neighbours outside the new
  // community by flag, as Leiden does.
  bool wake_by_flags = false;
  {
    std::size_t alone = 0;
    for (std::size_t v = 0; v < n; ++v) alone += size[community[v]] == 1 ? 1 : 0;
    wake_by_flags = pruning == Pruning::kNeighbours || alone * kWakeByFlagsShare > n;
  }
  using Scratch = ParallelWorkspace::Scratch;

  // Visits v in the chunk [lo, hi): true when it moved. With `wake`, a neighbour whose
  // slack is gone is made active at once (moving on one thread).
  const auto visit = [&](std::uint32_t v, std::uint32_t lo, std::uint32_t hi, Scratch& local, bool wake) {
    active[v] = 0;
    own_erosion[v] = 0;
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
    const bool alone = size_of(own) == 1;
    // A lone node may not join a lone node of a larger label.
    const auto candidate = [&](std::uint32_t c) {
      const auto [change, count] = local.changes.of(c);
      return Candidate{total[c] + change, !alone || c < own || static_cast<std::int64_t>(size[c]) + count != 1};
    };
    const BestChoice choice =
        best_community(graph, v, own, static_cast<std::size_t>(size_of(own)), scaled_resolution, local,
                       [&](std::size_t i) { return local.labels[i]; }, candidate);
    std::uint32_t to = choice.community;
    slack[v] = scale.slack(choice.slack);
    alone_at_visit[v] = to == kNoLabel || (to == own && alone) ? 1 : 0;
    if (to == own) return false;
    // Alone in a fresh community: v's own label is the one no other chunk can take.
    if (to == kNoLabel) {
      if (size_of(v) != 0) {
        slack[v] = 0;  // it stays where it would rather not be
        alone_at_visit[v] = 0;
        return false;
      }
      to = v;
    }
    const double kv = graph.node_weight[v];
    local.changes.add(own, -kv, -1);
    local.changes.add(to, kv, 1);
    live[v] = to;
    if (wake_by_flags) {
      // On one thread (`wake`) the flag is the node's own; in a sweep, for the next one.
      std::vector<std::uint8_t>& flags = wake ? active : workspace.woken;
      for (std::size_t i = 0; i < degree; ++i) {
        if (local.labels[i] != to) {
          std::atomic_ref<std::uint8_t>(flags[graph.targets[first + i]]).store(1, std::memory_order_relaxed);
        }
      }
      return true;
    }
    const double scaled_kv = scaled_resolution * kv;
    for (std::size_t i = 0; i < degree; ++i) {
      const std::uint32_t u = graph.targets[first + i];
      const bool inside = u - lo < hi - lo;
      // A label from another chunk may be stale: count u as in either community.
      const bool in_either = !inside || local.labels[i] == own || local.labels[i] == to;
      const bool u_alone = (inside ? alone_at_visit[u] : alone_before[u]) != 0;
      const std::int64_t units = scale.erosion_without_k_u(scaled_kv, graph.weights[first + i], in_either, u_alone);
      if (!inside) {
        erode_shared(workspace.erosion, u, units);
      } else if (active[u] == 0) {
        own_erosion[u] = std::min(own_erosion[u] + units, kErosionStop);
        if (wake && own_erosion[u] > slack[u]) active[u] = 1;
      }
    }
    return true;
  };

  const auto apply = [&](std::uint32_t v) { workspace.move(graph, v, live[v], community); };

  bool any_moved = false;
  std::size_t previous_moved = 0;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    const std::uint64_t sweep_seed = derive_seed(seed, static_cast<std::uint64_t>(sweep));
    if (!wake_by_flags) alone_before = alone_at_visit;
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
            if (active[v] != 0) local.order.push_back(v);
          }
        }
        const std::size_t count = local.order.size();
        for (std::size_t i = 0; i < count; ++i) {
          if (i + kAdjacencyAhead < count) prefetch_adjacency(graph, local.order[i + kAdjacencyAhead]);
          if (i + kLabelsAhead < count) prefetch_neighbour_labels(graph, community, local.order[i + kLabelsAhead]);
          const std::uint32_t v = local.order[i];
          if (visit(v, lo, hi, local, false)) moves.push_back(v);
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
    // Every node was visited or is not due: the shared erosions join the own ones, and
    // decide who is due next.
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1U << 16), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t u = r.begin(); u != r.end(); ++u) {
        own_erosion[u] = std::min(own_erosion[u] + workspace.erosion[u], kErosionStop);
        workspace.erosion[u] = 0;
        active[u] = workspace.woken[u] != 0 || own_erosion[u] > slack[u] ? 1 : 0;
        workspace.woken[u] = 0;
      }
    });
    const auto still_active = static_cast<std::size_t>(std::count(active.begin(), active.end(), 1));
    // Chunks that see each other late can keep undoing each other's moves: once a
    // sweep moves about as many nodes as the one before, or few nodes are left, the
    // rest is moved in node order on one thread, where every move raises the quality.
    if ((sweep > 0 && 10 * moved >= 9 * previous_moved) || still_active <= n / kSequentialTailFraction) break;
    previous_moved = moved;
    wake_by_flags = pruning == Pruning::kNeighbours || moved * kWakeByFlagsShare > n;
  }
  // On one thread the slack is cheap to keep: only Leiden's rule wakes by flag.
  wake_by_flags = pruning == Pruning::kNeighbours;
  for (int pass = 0; pass < kMaxSweeps; ++pass) {
    bool pass_moved = false;
    Scratch& local = workspace.scratch.local();
    for (std::uint32_t v = 0; v < n; ++v) {
      if (active[v] == 0) continue;
      if (!visit(v, 0, static_cast<std::uint32_t>(n), local, true)) continue;
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
                      Pruning pruning, ParallelWorkspace& workspace, std::vector<std::uint32_t>& community) {
  if (split.chunks) {
    return chunked_local_moving(graph, *split.chunks, scaled_resolution, rng.next(), pruning, workspace, community);
  }
  return parallel_local_moving(graph, split.classes, scaled_resolution, pruning, workspace, community);
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
