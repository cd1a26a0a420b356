#include "bre/graph.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace bre {

void Graph::Edges::iterator::settle() {
  const std::vector<std::size_t>& offsets = graph_->offsets_;
  const std::size_t end = graph_->targets_.size();
  for (; entry_ < end; ++entry_) {
    while (offsets[row_ + 1] <= entry_) ++row_;
    if (graph_->targets_[entry_] >= row_) return;
  }
}

Expected<Graph> Graph::from_edges(std::size_t node_count, std::vector<WeightedEdge> edges) {
  std::vector<std::size_t> offsets(node_count + 1, 0);
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
    ++offsets[e.u + 1];
    if (e.v != e.u) ++offsets[e.v + 1];
  }
  for (std::size_t v = 0; v < node_count; ++v) offsets[v + 1] += offsets[v];

  // Each edge into the rows of both ends (a self-loop once), in input order.
  Graph graph;
  graph.targets_.resize(offsets[node_count]);
  graph.weights_.resize(offsets[node_count]);
  {
    std::vector<std::size_t> fill(offsets.begin(), offsets.end() - 1);
    for (const auto& e : edges) {
      graph.targets_[fill[e.u]] = e.v;
      graph.weights_[fill[e.u]++] = e.weight;
      if (e.v == e.u) continue;
      graph.targets_[fill[e.v]] = e.u;
      graph.weights_[fill[e.v]++] = e.weight;
    }
  }
  edges.clear();
  edges.shrink_to_fit();

  // Each row sorted by neighbour (stably, so parallel edges stay in input order and
  // their weights are summed in that order: reproducible bit for bit, and the same sums
  // in both rows of an edge), parallel edges merged, the rows moved up over the gaps.
  graph.offsets_.assign(node_count + 1, 0);
  graph.strength_.assign(node_count, 0.0);
  std::vector<Neighbour> row;
  std::size_t out = 0;
  for (std::size_t v = 0; v < node_count; ++v) {
    row.clear();
    for (std::size_t i = offsets[v]; i < offsets[v + 1]; ++i) row.push_back({graph.targets_[i], graph.weights_[i]});
    std::stable_sort(row.begin(), row.end(), [](const Neighbour& a, const Neighbour& b) { return a.node < b.node; });
    double strength = 0.0;
    for (std::size_t i = 0; i < row.size();) {
      Neighbour merged = row[i];
      for (++i; i < row.size() && row[i].node == merged.node; ++i) merged.weight += row[i].weight;
      graph.targets_[out] = merged.node;
      graph.weights_[out] = merged.weight;
      ++out;
      // Summed in neighbour order, a self-loop twice (modularity's convention).
      strength += merged.weight;
      if (merged.node == v) {
        strength += merged.weight;
        graph.has_self_loops_ = true;
      }
      if (merged.node >= v) {
        ++graph.edge_count_;
      }
    }
    graph.strength_[v] = strength;
    graph.offsets_[v + 1] = out;
  }
  graph.targets_.resize(out);
  graph.weights_.resize(out);
  graph.targets_.shrink_to_fit();
  graph.weights_.shrink_to_fit();
  // Each edge once, in (u, v) order.
  for (const WeightedEdge& e : graph.edges()) graph.total_weight_ += e.weight;
  return graph;
}

}  // namespace bre
