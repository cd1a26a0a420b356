#include "bre/graph.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace bre {

Expected<Graph> Graph::from_edges(std::size_t node_count, std::vector<WeightedEdge> edges) {
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const auto& e = edges[i];
    if (e.u >= node_count || e.v >= node_count) {
      return invalid_argument("edges[" + std::to_string(i) + "]: node id " + std::to_string(std::max(e.u, e.v)) +
                              " is not below the node count " + std::to_string(node_count));
    }
    if (!std::isfinite(e.weight) || e.weight < 0.0) {
      return invalid_argument("edges[" + std::to_string(i) + "]: weight must be finite and non-negative, found " +
                              std::to_string(e.weight));
    }
    if (edges[i].u > edges[i].v) std::swap(edges[i].u, edges[i].v);
  }
  // A stable sort keeps input order among parallel edges, so merged weights are
  // summed in input order and the result is reproducible bit for bit.
  std::stable_sort(edges.begin(), edges.end(),
                   [](const auto& a, const auto& b) { return a.u != b.u ? a.u < b.u : a.v < b.v; });
  Graph graph;
  for (const auto& e : edges) {
    if (!graph.edges_.empty() && graph.edges_.back().u == e.u && graph.edges_.back().v == e.v) {
      graph.edges_.back().weight += e.weight;
    } else {
      graph.edges_.push_back(e);
    }
  }
  std::vector<std::size_t> degree(node_count, 0);
  for (const auto& e : graph.edges_) {
    ++degree[e.u];
    if (e.v != e.u) ++degree[e.v];
  }
  graph.offsets_.assign(node_count + 1, 0);
  for (std::size_t i = 0; i < node_count; ++i) graph.offsets_[i + 1] = graph.offsets_[i] + degree[i];
  graph.adjacency_.resize(graph.offsets_[node_count]);
  graph.strength_.assign(node_count, 0.0);
  std::vector<std::size_t> fill(graph.offsets_.begin(), graph.offsets_.end() - 1);
  // Edges are sorted by (u, v): filling in this order leaves every list sorted.
  for (const auto& e : graph.edges_) {
    graph.adjacency_[fill[e.u]++] = {e.v, e.weight};
    if (e.v != e.u) graph.adjacency_[fill[e.v]++] = {e.u, e.weight};
    graph.strength_[e.u] += e.weight;
    graph.strength_[e.v] += e.weight;  // a self-loop adds twice
    graph.total_weight_ += e.weight;
  }
  for (std::size_t i = 0; i < node_count; ++i) {
    std::sort(graph.adjacency_.begin() + static_cast<std::ptrdiff_t>(graph.offsets_[i]),
              graph.adjacency_.begin() + static_cast<std::ptrdiff_t>(graph.offsets_[i + 1]),
              [](const auto& a, const auto& b) { return a.node < b.node; });
  }
  return graph;
}

}  // namespace bre
