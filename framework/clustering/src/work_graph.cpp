#include "work_graph.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace bre::clustering::detail {
namespace {

// Nodes per task in per-node loops; groups per chunk of an aggregation.
constexpr std::size_t kNodeGrain = 1024;
constexpr std::size_t kGroupsPerChunk = 256;
// Chunks per thread summed in parallel before their parts are appended: enough to keep
// every thread busy, few enough that the parts stay small beside the aggregate. The wave
// size does not change the result (the parts are appended in chunk order).
constexpr std::size_t kChunksPerThreadInAWave = 16;

}  // namespace

WorkGraph level_zero(const Graph& graph, bool use_strength) {
  const std::size_t n = graph.node_count();
  WorkGraph work;
  work.self_weight.assign(n, 0.0);
  work.node_weight.assign(n, 1.0);
  if (use_strength) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kNodeGrain),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t v = r.begin(); v != r.end(); ++v) {
                          work.node_weight[v] = graph.strength(static_cast<std::uint32_t>(v));
                        }
                      });
  }
  if (!graph.has_self_loops()) {
    work.offsets = graph.adjacency_offsets();
    work.targets = graph.adjacency_targets();
    work.weights = graph.adjacency_weights();
    return work;
  }
  // A node's entries are its neighbours but itself; their count first, then in place.
  WorkGraph::Storage& own = work.own;
  own.offsets.assign(n + 1, 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kNodeGrain), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t v = r.begin(); v != r.end(); ++v) {
      std::size_t entries = 0;
      for (const Neighbour nb : graph.neighbours(static_cast<std::uint32_t>(v))) entries += nb.node != v ? 1 : 0;
      own.offsets[v + 1] = entries;
    }
  });
  std::partial_sum(own.offsets.begin(), own.offsets.end(), own.offsets.begin());
  own.targets.resize(own.offsets[n]);
  own.weights.resize(own.offsets[n]);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kNodeGrain), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t v = r.begin(); v != r.end(); ++v) {
      std::size_t out = own.offsets[v];
      for (const Neighbour nb : graph.neighbours(static_cast<std::uint32_t>(v))) {
        if (nb.node == v) {
          work.self_weight[v] = nb.weight;
        } else {
          own.targets[out] = nb.node;
          own.weights[out] = nb.weight;
          ++out;
        }
      }
    }
  });
  work.view_own();
  return work;
}

void members_by_label(const std::vector<std::uint32_t>& label, std::uint32_t count, std::vector<std::size_t>& start,
                      std::vector<std::uint32_t>& members) {
  start.assign(count + 1, 0);
  for (const std::uint32_t l : label) ++start[l + 1];
  std::partial_sum(start.begin(), start.end(), start.begin());
  members.resize(label.size());
  std::vector<std::size_t> cursor(start.begin(), start.end() - 1);
  for (std::uint32_t v = 0; v < label.size(); ++v) members[cursor[label[v]]++] = v;
}

std::uint32_t compact_labels(std::vector<std::uint32_t>& labels, std::size_t capacity) {
  std::vector<std::uint32_t> relabel(capacity, kNoLabel);
  std::uint32_t next = 0;
  for (std::uint32_t& label : labels) {
    if (relabel[label] == kNoLabel) relabel[label] = next++;
    label = relabel[label];
  }
  return next;
}

void aggregate(const WorkGraph& graph, const std::vector<std::uint32_t>& group, std::uint32_t group_count,
               AggregationBuffers& buffers, WorkGraph& out) {
  std::vector<std::size_t> start;
  std::vector<std::uint32_t> members;
  members_by_label(group, group_count, start, members);

  WorkGraph::Storage& own = out.own;
  own.offsets.assign(group_count + 1, 0);
  out.self_weight.assign(group_count, 0.0);
  out.node_weight.assign(group_count, 0.0);
  // The aggregate has at most the entries of `graph`: room for them is reserved (address
  // space, not memory: a page is only taken when written), so appending never moves the
  // adjacency, and the storage holds what the largest aggregate wrote, no more.
  own.targets.clear();
  own.weights.clear();
  own.targets.reserve(graph.targets.size());
  own.weights.reserve(graph.targets.size());
  // Waves of chunks of groups: the chunks of a wave sum their groups' edges in parallel,
  // each into its own part, then the parts are appended in chunk order. The chunks are
  // fixed by the group count, not by the threads; the waves are not, and need not be.
  const std::size_t chunk_count = (group_count + kGroupsPerChunk - 1) / kGroupsPerChunk;
  const std::size_t chunks_per_wave =
      kChunksPerThreadInAWave * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
  buffers.wave.resize(std::min(chunk_count, chunks_per_wave));
  std::vector<std::size_t> part_at(buffers.wave.size());
  tbb::enumerable_thread_specific<SumTables> scratch([group_count] { return SumTables(group_count); });
  for (std::size_t wave = 0; wave < chunk_count; wave += chunks_per_wave) {
    const std::size_t wave_end = std::min(chunk_count, wave + chunks_per_wave);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(wave, wave_end, 1), [&](const tbb::blocked_range<std::size_t>& r) {
      SumTables& local = scratch.local();
      for (std::size_t chunk = r.begin(); chunk != r.end(); ++chunk) {
        AggregationBuffers::Part& part = buffers.wave[chunk - wave];
        part.targets.clear();
        part.weights.clear();
        const std::size_t last = std::min<std::size_t>(group_count, (chunk + 1) * kGroupsPerChunk);
        for (std::size_t c = chunk * kGroupsPerChunk; c < last; ++c) {
          // The group's edges summed per neighbouring group.
          const auto sum_edges = [&](auto& sums) {
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
                  sums.add(d, graph.weights[e]);
                }
              }
            }
            own.offsets[c + 1] = sums.size();
            sums.drain([&](std::uint32_t d, double weight) {
              part.targets.push_back(d);
              part.weights.push_back(weight);
            });
            out.self_weight[c] = self;
            out.node_weight[c] = node_weight;
          };
          std::size_t entries = 0;
          for (std::size_t i = start[c]; i < start[c + 1] && entries < kSmallEntries; ++i) {
            entries += graph.offsets[members[i] + 1] - graph.offsets[members[i]];
          }
          local.with(entries, sum_edges);
        }
      }
    });
    // The parts in chunk order, copied in parallel: the threads share the page faults
    // of fresh storage (resize() writes nothing and stays within the reserve).
    std::size_t size = own.targets.size();
    for (std::size_t chunk = wave; chunk < wave_end; ++chunk) {
      part_at[chunk - wave] = size;
      size += buffers.wave[chunk - wave].targets.size();
    }
    own.targets.resize(size);
    own.weights.resize(size);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, wave_end - wave, 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          const AggregationBuffers::Part& part = buffers.wave[i];
                          const auto at = static_cast<std::ptrdiff_t>(part_at[i]);
                          std::copy(part.targets.begin(), part.targets.end(), own.targets.begin() + at);
                          std::copy(part.weights.begin(), part.weights.end(), own.weights.begin() + at);
                        }
                      });
  }
  std::partial_sum(own.offsets.begin(), own.offsets.end(), own.offsets.begin());
  out.view_own();
}

void random_order(std::size_t n, SplitMix64& rng, std::vector<std::uint32_t>& order) {
  order.resize(n);
  std::iota(order.begin(), order.end(), 0U);
  for (std::size_t i = n; i > 1; --i) {
    const std::size_t j = rng.below(i);
    std::swap(order[i - 1], order[j]);
  }
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
  scratch.each([&](std::uint32_t c, double weight_to_c) {
    const double gain = weight_to_c - scaled_kv * total_[c];
    if (gain > best_gain) {
      best = c;
      best_gain = gain;
    }
  });
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

namespace bre::clustering::detail {

void Refinement::reset(const WorkGraph& graph, const std::vector<std::uint32_t>& community) {
  const std::size_t n = graph.node_count();
  refined.resize(n);
  std::iota(refined.begin(), refined.end(), 0U);
  total.assign(graph.node_weight.begin(), graph.node_weight.end());
  size.assign(n, 1);
  external.resize(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kNodeGrain), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t v = r.begin(); v != r.end(); ++v) {
      double inside = 0.0;
      for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
        if (community[graph.targets[e]] == community[v]) inside += graph.weights[e];
      }
      external[v] = inside;
    }
  });
}

namespace {

// refine_node's work once the sums table is chosen.
template <class Weights>
void refine_node_with(const WorkGraph& graph, const std::vector<std::uint32_t>& community, std::uint32_t v,
                      double community_total, double scaled_resolution, double beta, SplitMix64& rng,
                      Refinement& state, Weights& scratch, RefinementCandidates& candidates) {
  const std::uint32_t c = community[v];
  const double kv = graph.node_weight[v];
  for (std::size_t e = graph.offsets[v]; e < graph.offsets[v + 1]; ++e) {
    const std::uint32_t u = graph.targets[e];
    if (community[u] == c) scratch.add(state.refined[u], graph.weights[e]);
  }
  candidates.communities.clear();
  candidates.weights.clear();
  double best_gain = 0.0;
  scratch.each([&](std::uint32_t s, double weight_to_s) {
    const double total_s = state.total[s];
    if (state.external[s] < scaled_resolution * total_s * (community_total - total_s)) return;
    const double gain = weight_to_s - scaled_resolution * kv * total_s;
    if (gain < 0.0) return;
    candidates.communities.push_back(s);
    candidates.weights.push_back(gain);
    if (gain > best_gain) best_gain = gain;
  });
  if (candidates.communities.empty()) {
    scratch.clear();
    return;
  }
  // Staying alone is the last candidate, with gain 0. Gains this far below the best
  // have probability below exp(-50): treated as 0.
  candidates.communities.push_back(v);
  candidates.weights.push_back(0.0);
  const double negligible = 50.0 * beta;
  double cumulative = 0.0;
  for (double& weight : candidates.weights) {
    const double below_best = weight - best_gain;
    weight = below_best < -negligible ? 0.0 : std::exp(below_best / beta);
    cumulative += weight;
    weight = cumulative;
  }
  const double draw = rng.uniform() * cumulative;
  std::size_t pick = 0;
  while (pick + 1 < candidates.communities.size() && !(draw < candidates.weights[pick])) ++pick;
  const std::uint32_t chosen = candidates.communities[pick];
  if (chosen != v) {
    state.refined[v] = chosen;
    state.total[chosen] += kv;
    ++state.size[chosen];
    state.external[chosen] += state.external[v] - 2.0 * scratch.weight(chosen);
  }
  scratch.clear();
}

}  // namespace

void refine_node(const WorkGraph& graph, const std::vector<std::uint32_t>& community, std::uint32_t v,
                 double community_total, double scaled_resolution, double beta, SplitMix64& rng, Refinement& state,
                 SumTables& tables, RefinementCandidates& candidates) {
  if (state.refined[v] != v || state.size[v] != 1) return;
  const double kv = graph.node_weight[v];
  if (state.external[v] < scaled_resolution * kv * (community_total - kv)) return;
  tables.with(graph.offsets[v + 1] - graph.offsets[v], graph.node_count(), [&](auto& sums) {
    refine_node_with(graph, community, v, community_total, scaled_resolution, beta, rng, state, sums, candidates);
  });
}

}  // namespace bre::clustering::detail
