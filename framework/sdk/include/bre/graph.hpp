// An undirected weighted graph in compressed sparse row form. Nodes are 0..n-1;
// the mapping to municipality codes lives with whoever built the graph.
#pragma once

#include <cstddef>
#include <cstdint>
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

class Graph {
 public:
  Graph() = default;

  /// Builds a graph from an edge list. Parallel edges are merged (weights summed, in
  /// input order, so the result is deterministic); self-loops are kept once.
  /// Errors: a node id >= node_count, a weight that is negative, NaN or infinite.
  /// Complexity: O(n + m log m).
  static Expected<Graph> from_edges(std::size_t node_count, std::vector<WeightedEdge> edges);

  std::size_t node_count() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  /// Distinct undirected edges (a self-loop counts once).
  std::size_t edge_count() const { return edges_.size(); }
  /// Neighbours of `node`, sorted by node id; a self-loop appears once.
  std::span<const Neighbour> neighbours(std::uint32_t node) const {
    return {adjacency_.data() + offsets_[node], adjacency_.data() + offsets_[node + 1]};
  }
  /// Weighted degree; a self-loop counts twice (the convention of modularity).
  double strength(std::uint32_t node) const { return strength_[node]; }
  /// Sum of edge weights (each undirected edge once).
  double total_weight() const { return total_weight_; }
  /// The merged edge list with u <= v, sorted by (u, v).
  const std::vector<WeightedEdge>& edges() const { return edges_; }

 private:
  std::vector<std::size_t> offsets_;
  std::vector<Neighbour> adjacency_;
  std::vector<double> strength_;
  std::vector<WeightedEdge> edges_;
  double total_weight_ = 0.0;
};

}  // namespace bre
