// Internal to the community module: the graph Leiden and Louvain work on at each
// level (the input graph, then aggregates of it), and the scratch buffers they share.
// Not part of the SDK.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "bre/graph.hpp"
#include "bre/random.hpp"

namespace bre::clustering::detail {

/// No label, no colour, no node: labels are < node count < 2^32 - 1.
inline constexpr std::uint32_t kNoLabel = 0xffffffffU;

/// An allocator that leaves the values it default-constructs unset, so that resize()
/// writes nothing: a page of such a vector is only taken where it is first written, and
/// tasks that fill it in parallel share its page faults.
template <class T>
struct UninitialisedAllocator : std::allocator<T> {
  using value_type = T;
  template <class U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };
  UninitialisedAllocator() = default;
  template <class U>
  explicit UninitialisedAllocator(const UninitialisedAllocator<U>& /*other*/) noexcept {}
  template <class U>
  void construct(U* at) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(at)) U;
  }
  template <class U, class... Args>
  void construct(U* at, Args&&... args) {
    ::new (static_cast<void*>(at)) U(std::forward<Args>(args)...);
  }
};
template <class T>
using UninitialisedVector = std::vector<T, UninitialisedAllocator<T>>;

/// An undirected weighted graph in CSR form without self-loops in the adjacency:
/// the weight of a node's self-loop (each internal edge of an aggregate once) is kept
/// apart, because it moves with the node and never changes a move's gain. Node
/// weights are the strengths (modularity) or node counts (CPM) of what the node
/// stands for.
///
/// The algorithms read the adjacency through the three spans. They view either the
/// graph's own storage (an aggregate) or, at level 0 of an input without self-loops,
/// the input Graph's arrays, which then must outlive this graph: on a large input that
/// spares a copy of its adjacency. Moving a WorkGraph keeps the spans valid (a moved
/// vector keeps its buffer); copying would not, so it is not allowed.
struct WorkGraph {
  WorkGraph() = default;
  WorkGraph(WorkGraph&&) = default;
  WorkGraph& operator=(WorkGraph&&) = default;
  WorkGraph(const WorkGraph&) = delete;
  WorkGraph& operator=(const WorkGraph&) = delete;

  std::span<const std::size_t> offsets;    // node_count + 1
  std::span<const std::uint32_t> targets;  // neighbours, both directions
  std::span<const double> weights;         // parallel to targets
  std::vector<double> self_weight;         // per node
  std::vector<double> node_weight;         // per node

  /// The adjacency this graph owns; view_own() points the spans at it.
  struct Storage {
    std::vector<std::size_t> offsets;
    UninitialisedVector<std::uint32_t> targets;
    UninitialisedVector<double> weights;
  } own;
  void view_own() {
    offsets = own.offsets;
    targets = own.targets;
    weights = own.weights;
  }

  std::size_t node_count() const { return self_weight.size(); }
};

/// Level 0: the input graph with node weights = strengths (use_strength) or 1. Views
/// the graph's adjacency when it has no self-loops (O(n)), else copies it without them
/// (O(n + m), in parallel over nodes); either way `graph` must outlive the result.
WorkGraph level_zero(const Graph& graph, bool use_strength);

/// Sums, per community, the weights a node has towards each community it touches,
/// in order of first encounter (so results are deterministic), and forgets them in
/// O(touched) afterwards. Sized once for the largest level; no allocation per node.
class NeighbourWeights {
 public:
  // touched_ is left uninitialised: a page of it is only taken once written.
  explicit NeighbourWeights(std::size_t community_capacity)
      : weight_(community_capacity, kUnseen),
        touched_(std::make_unique_for_overwrite<std::uint32_t[]>(community_capacity + 1)) {}
  void add(std::uint32_t community, double weight) {
    // One array for the sum and the seen mark: one cache miss per neighbour, not two.
    // No branch: on a dense aggregate a node meets hundreds of communities in an order
    // no predictor follows. The slot after the last is always written, kept only when
    // the community is new.
    double& sum = weight_[community];
    const double before = sum;
    const bool fresh = before == kUnseen;
    touched_[count_] = community;
    count_ += fresh ? 1 : 0;
    sum = (fresh ? 0.0 : before) + weight;
  }
  /// Makes `community` a candidate even without an edge to it (weight 0).
  void touch(std::uint32_t community) { add(community, 0.0); }
  /// Calls f(community, weight) for each community met, in first-encounter order.
  template <class F>
  void each(F&& f) const {
    for (std::size_t i = 0; i < count_; ++i) f(touched_[i], weight_[touched_[i]]);
  }
  /// each(f), then clear(), in one pass.
  template <class F>
  void drain(F&& f) {
    for (std::size_t i = 0; i < count_; ++i) {
      double& sum = weight_[touched_[i]];
      f(touched_[i], sum);
      sum = kUnseen;
    }
    count_ = 0;
  }
  std::size_t size() const { return count_; }
  double weight(std::uint32_t community) const {
    const double sum = weight_[community];
    return sum == kUnseen ? 0.0 : sum;
  }
  void clear() {
    for (std::size_t i = 0; i < count_; ++i) weight_[touched_[i]] = kUnseen;
    count_ = 0;
  }

 private:
  // Weights are >= 0, so a negative sum marks a community not met yet.
  static constexpr double kUnseen = -1.0;
  std::vector<double> weight_;
  std::unique_ptr<std::uint32_t[]> touched_;  // the first count_ entries: met, in order
  std::size_t count_ = 0;
};

/// The slot of `key` in a table of open addressing with linear probing over mask + 1
/// slots (a power of two), a free slot's key being kNoLabel: the key's own slot, or the
/// free one where it would go. Shared by SmallWeights and CommunityChanges.
template <class Slot>
std::size_t find_slot(const std::vector<Slot>& slots, std::size_t mask, std::uint32_t key) {
  std::size_t slot = (key * 0x9E3779B1U) & mask;
  while (slots[slot].key != kNoLabel && slots[slot].key != key) slot = (slot + 1) & mask;
  return slot;
}

/// NeighbourWeights for at most kSmallEntries additions (a node of small degree, a
/// small group): open addressing over the first slots of a table allocated once, so a
/// small neighbourhood stays in the first level of cache where the dense array costs a
/// cache miss per entry on a large graph. Same interface, same first-encounter order and
/// the same sums in the same order, so whoever uses it gets the same result. clear()
/// empties only the slots used.
inline constexpr std::size_t kSmallEntries = 512;
/// Labels below this many index a dense table of 512 KiB, which stays in the second-level
/// cache: there it beats the small table's probing at any degree (the aggregates high up).
inline constexpr std::size_t kCachedRange = std::size_t{1} << 16;
class SmallWeights {
 public:
  SmallWeights() : slots_(kCapacity) {}
  /// Sizes the table for up to `entries` additions (<= kSmallEntries) and a touch; the
  /// table must be empty (new, or clear()ed).
  void reset(std::size_t entries) {
    std::size_t capacity = 8;
    while (capacity < 2 * (entries + 1)) capacity *= 2;
    mask_ = capacity - 1;
  }
  void add(std::uint32_t community, double weight) {
    // Without a branch on whether the community is new, as NeighbourWeights::add.
    Slot& entry = slots_[find(community)];
    const bool fresh = entry.key == kNoLabel;
    used_[count_] = static_cast<std::uint32_t>(&entry - slots_.data());
    count_ += fresh ? 1 : 0;
    entry.key = community;
    entry.sum = (fresh ? 0.0 : entry.sum) + weight;
  }
  void touch(std::uint32_t community) { add(community, 0.0); }
  /// Calls f(community, weight) for each community met, in first-encounter order.
  template <class F>
  void each(F&& f) const {
    for (std::size_t i = 0; i < count_; ++i) f(slots_[used_[i]].key, slots_[used_[i]].sum);
  }
  /// each(f), then clear(), in one pass.
  template <class F>
  void drain(F&& f) {
    for (std::size_t i = 0; i < count_; ++i) {
      Slot& entry = slots_[used_[i]];
      f(entry.key, entry.sum);
      entry.key = kNoLabel;
    }
    count_ = 0;
  }
  std::size_t size() const { return count_; }
  double weight(std::uint32_t community) const {
    const Slot& entry = slots_[find(community)];
    return entry.key == kNoLabel ? 0.0 : entry.sum;
  }
  void clear() {
    for (std::size_t i = 0; i < count_; ++i) slots_[used_[i]].key = kNoLabel;
    count_ = 0;
  }

 private:
  // reset() asks for at most 2 * kSmallEntries slots.
  static constexpr std::size_t kCapacity = 2 * kSmallEntries;
  struct Slot {
    std::uint32_t key = kNoLabel;
    double sum = 0.0;
  };
  std::size_t find(std::uint32_t community) const { return find_slot(slots_, mask_, community); }
  std::size_t mask_ = 7;
  std::vector<Slot> slots_;
  // The slots met, in order (the first count_); room for kSmallEntries additions, a
  // touch and the slot written past the last.
  std::array<std::uint32_t, kSmallEntries + 2> used_;
  std::size_t count_ = 0;
};

/// The sums of one node (or group) in the table its size calls for: the small one below
/// kSmallEntries additions over a label range too large to stay in cache, else the dense
/// one, which is created on first need: most nodes of a sparse graph never need it, and
/// each thread's copy costs page faults over the whole community range.
class SumTables {
 public:
  explicit SumTables(std::size_t community_capacity) : capacity_(community_capacity) {}
  /// f(table) with the table for `entries` additions (and a touch) of labels below
  /// `range` (at most the capacity; by default the capacity), empty on entry; f must
  /// leave it clear()ed.
  template <class F>
  decltype(auto) with(std::size_t entries, F&& f) {
    return with(entries, capacity_, std::forward<F>(f));
  }
  template <class F>
  decltype(auto) with(std::size_t entries, std::size_t range, F&& f) {
    if (entries < kSmallEntries && range > kCachedRange) {
      small_.reset(entries);
      return f(small_);
    }
    return f(dense());
  }
  NeighbourWeights& dense() {
    if (!dense_) dense_.emplace(capacity_);
    return *dense_;
  }

 private:
  std::size_t capacity_;
  SmallWeights small_;
  std::optional<NeighbourWeights> dense_;
};

/// Members of each label 0..count-1 in node order (a counting sort): label c's members
/// are members[start[c] .. start[c + 1]). O(n + count).
void members_by_label(const std::vector<std::uint32_t>& label, std::uint32_t count, std::vector<std::size_t>& start,
                      std::vector<std::uint32_t>& members);

/// Relabels `labels` (values < capacity) to 0..k-1 in order of first appearance and
/// returns k. O(n + capacity).
std::uint32_t compact_labels(std::vector<std::uint32_t>& labels, std::size_t capacity);

/// What aggregate() reuses from one level to the next, so that a level costs no fresh
/// pages (see ParallelWorkspace, parallel_moving.hpp): the graphs the levels alternate
/// between, and the parts of one wave of chunks of groups. Levels alternate between the
/// first two; the third is only taken while an aggregate has to stay (Leiden's coarse
/// iterations run on one).
struct AggregationBuffers {
  /// The graph to build the next level into: the first that is neither `reading` nor
  /// `keep`.
  WorkGraph& other_than(const WorkGraph* reading, const WorkGraph* keep = nullptr) {
    for (WorkGraph& level : levels) {
      if (&level != reading && &level != keep) return level;
    }
    return levels[2];  // unreachable: two of three are excluded at most
  }
  WorkGraph levels[3];
  struct Part {
    std::vector<std::uint32_t> targets;
    std::vector<double> weights;
  };
  std::vector<Part> wave;
};

/// The aggregate of `graph` whose nodes are the groups 0..group_count-1 of `group`,
/// into `out` (its storage reused; not `graph`): edge weights between groups summed,
/// edges inside a group become the group's self-weight, node weights summed. Neighbour
/// order is first encounter when walking the groups' members in node order, so the
/// result is deterministic. O(n + m). Built in parallel over chunks of groups fixed by
/// the group count (so the result does not depend on the thread count), appended to
/// `out`'s storage in chunk order a wave of chunks at a time: no second copy of the
/// whole adjacency.
void aggregate(const WorkGraph& graph, const std::vector<std::uint32_t>& group, std::uint32_t group_count,
               AggregationBuffers& buffers, WorkGraph& out);

/// A uniformly random permutation of 0..n-1 (Fisher-Yates with `rng`), into `order`.
void random_order(std::size_t n, SplitMix64& rng, std::vector<std::uint32_t>& order);

}  // namespace bre::clustering::detail

namespace bre::clustering::detail {

/// Communities over a WorkGraph's nodes with their total node weights K_c and sizes,
/// and the local move both Leiden and Louvain make: take a node out of its community
/// and put it where the gain w(v, C) - gamma' k_v K_C is largest (an empty community
/// has gain 0). Ties keep the first candidate met: the own community, then neighbours'
/// communities in adjacency order.
class CommunityState {
 public:
  /// `labels` are < graph.node_count().
  void reset(const WorkGraph& graph, const std::vector<std::uint32_t>& labels);
  /// Moves `v` to its best community; true when that differs from its old one.
  /// O(degree(v)).
  bool move_to_best(const WorkGraph& graph, std::uint32_t v, double scaled_resolution, NeighbourWeights& scratch);

  std::vector<std::uint32_t> community;

 private:
  std::vector<double> total_;
  std::vector<std::uint32_t> size_;
  std::vector<std::uint32_t> empty_;
};

/// Leiden's refinement state over a WorkGraph's nodes: each node's refined community
/// (the id of the node it started from), and per refined community its total node
/// weight K_S, node count and weight w(S, C - S) of edges to the rest of its community C.
struct Refinement {
  /// Every node a singleton; w(v, C - v) from `community`. In parallel over nodes.
  void reset(const WorkGraph& graph, const std::vector<std::uint32_t>& community);

  std::vector<std::uint32_t> refined;
  std::vector<double> total;
  std::vector<std::uint32_t> size;
  std::vector<double> external;
};

/// Scratch of refine_node, reused across nodes.
struct RefinementCandidates {
  std::vector<std::uint32_t> communities;
  std::vector<double> weights;
};

/// One step of Leiden's refinement: if `v` is still a singleton and well connected to
/// its community C (w(v, C - v) >= gamma k_v (K_C - k_v), K_C = `community_total`),
/// it joins a well-connected refined community S of C (w(S, C - S) >= gamma K_S
/// (K_C - K_S)) with non-negative gain, chosen with probability ~ exp(gain / beta);
/// staying alone (gain 0) is one of the choices. Touches only `state` entries of C's
/// nodes, so communities can be refined concurrently. O(degree(v)).
/// Sums in the table of `tables` that v's degree calls for.
void refine_node(const WorkGraph& graph, const std::vector<std::uint32_t>& community, std::uint32_t v,
                 double community_total, double scaled_resolution, double beta, SplitMix64& rng, Refinement& state,
                 SumTables& tables, RefinementCandidates& candidates);

}  // namespace bre::clustering::detail
