// An undirected weighted graph in compressed sparse row form. Nodes are 0..n-1;
// the mapping to municipality codes lives with whoever built the graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>
#include <vector>

#include "bre/export.hpp"
#include "bre/status.hpp"

namespace bre BRE_SDK_API {

struct WeightedEdge {
  std::uint32_t u;
  std::uint32_t v;
  double weight;
};

struct Neighbour {
  std::uint32_t node;
  double weight;
};

/// The adjacency is stored as three arrays (row offsets, neighbour ids, weights: 12
/// bytes per entry, where an array of Neighbour would pad to 16), and the edge list is
/// read from it rather than kept beside it: on a graph of 10^6 nodes and 10^7 edges that
/// is 240 MB instead of 470. neighbours() and edges() are views that yield values.
class Graph {
  // What the views' iterators share: they yield values (not references) and walk
  // forward; Derived provides *it, ++it and ==.
  template <class Derived, class Value>
  struct ValueIterator {
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::forward_iterator_tag;
    using value_type = Value;
    using difference_type = std::ptrdiff_t;
    using reference = Value;
    Derived operator++(int) {
      Derived before = static_cast<Derived&>(*this);
      ++static_cast<Derived&>(*this);
      return before;
    }
  };

 public:
  /// The neighbours of one node: a view over the adjacency arrays that yields Neighbour
  /// values, sorted by node id; a self-loop appears once.
  class Neighbours {
   public:
    class iterator : public ValueIterator<iterator, Neighbour> {
     public:
      using ValueIterator::operator++;
      iterator() = default;
      iterator(const std::uint32_t* node, const double* weight) : node_(node), weight_(weight) {}
      Neighbour operator*() const { return {*node_, *weight_}; }
      iterator& operator++() {
        ++node_;
        ++weight_;
        return *this;
      }
      bool operator==(const iterator& other) const { return node_ == other.node_; }

     private:
      const std::uint32_t* node_ = nullptr;
      const double* weight_ = nullptr;
    };
    Neighbours(const std::uint32_t* nodes, const double* weights, std::size_t size)
        : nodes_(nodes), weights_(weights), size_(size) {}
    iterator begin() const { return {nodes_, weights_}; }
    iterator end() const { return {nodes_ + size_, weights_ + size_}; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Neighbour operator[](std::size_t i) const { return {nodes_[i], weights_[i]}; }

   private:
    const std::uint32_t* nodes_;
    const double* weights_;
    std::size_t size_;
  };

  /// The merged edge list, u <= v, in (u, v) order: each adjacency entry whose neighbour
  /// is not below its row, yielded as WeightedEdge values.
  class Edges {
   public:
    class iterator : public ValueIterator<iterator, WeightedEdge> {
     public:
      using ValueIterator::operator++;
      iterator() = default;
      iterator(const Graph* graph, std::size_t entry) : graph_(graph), entry_(entry) { settle(); }
      WeightedEdge operator*() const { return {row_, graph_->targets_[entry_], graph_->weights_[entry_]}; }
      iterator& operator++() {
        ++entry_;
        settle();
        return *this;
      }
      bool operator==(const iterator& other) const { return entry_ == other.entry_; }

     private:
      // Moves to the next entry that is an edge (neighbour >= row), from entry_ on.
      void settle();
      const Graph* graph_ = nullptr;
      std::size_t entry_ = 0;
      std::uint32_t row_ = 0;
    };
    explicit Edges(const Graph* graph) : graph_(graph) {}
    iterator begin() const { return {graph_, 0}; }
    iterator end() const { return {graph_, graph_->targets_.size()}; }
    std::size_t size() const { return graph_->edge_count_; }
    bool empty() const { return graph_->edge_count_ == 0; }

   private:
    const Graph* graph_;
  };

  Graph() = default;

  /// Builds a graph from an edge list. Parallel edges are merged (weights summed, in
  /// input order, so the result is deterministic); self-loops are kept once.
  /// Errors: a node id >= node_count, a weight that is negative, NaN or infinite.
  /// Complexity: O(n + m log d) for maximum degree d; memory: the edge list plus the
  /// adjacency, which is built in place of it (no sorted copy of the list).
  static Expected<Graph> from_edges(std::size_t node_count, std::vector<WeightedEdge> edges);

  std::size_t node_count() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  /// Distinct undirected edges (a self-loop counts once).
  std::size_t edge_count() const { return edge_count_; }
  /// Neighbours of `node`, sorted by node id; a self-loop appears once.
  Neighbours neighbours(std::uint32_t node) const {
    return {targets_.data() + offsets_[node], weights_.data() + offsets_[node], offsets_[node + 1] - offsets_[node]};
  }
  /// Weighted degree; a self-loop counts twice (the convention of modularity).
  double strength(std::uint32_t node) const { return strength_[node]; }
  /// Sum of edge weights (each undirected edge once).
  double total_weight() const { return total_weight_; }
  /// The merged edge list with u <= v, sorted by (u, v).
  Edges edges() const { return Edges(this); }
  /// edges() as a vector: a copy, O(m) memory.
  std::vector<WeightedEdge> edge_list() const {
    std::vector<WeightedEdge> list;
    list.reserve(edge_count_);
    for (const WeightedEdge edge : edges()) list.push_back(edge);
    return list;
  }
  /// Whether some node has an edge to itself.
  bool has_self_loops() const { return has_self_loops_; }

  /// The CSR arrays, for algorithms that stream the adjacency: node v's neighbours are
  /// adjacency_targets()[i] with weight adjacency_weights()[i] for i in
  /// [adjacency_offsets()[v], adjacency_offsets()[v + 1]).
  std::span<const std::size_t> adjacency_offsets() const { return offsets_; }
  std::span<const std::uint32_t> adjacency_targets() const { return targets_; }
  std::span<const double> adjacency_weights() const { return weights_; }

 private:
  std::vector<std::size_t> offsets_;
  std::vector<std::uint32_t> targets_;
  std::vector<double> weights_;
  std::vector<double> strength_;
  std::size_t edge_count_ = 0;
  double total_weight_ = 0.0;
  bool has_self_loops_ = false;
};

}  // namespace bre
