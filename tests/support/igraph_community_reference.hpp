// igraph's Louvain (igraph_community_multilevel) as the independent reference the
// native Louvain is tested and benchmarked against. Header-only; link with igraph.
// (igraph's Leiden is used through clustering.igraph_leiden's core, IgraphLeiden.)
#pragma once

#include <igraph/igraph.h>

#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>

#include "bre/graph.hpp"
#include "bre/igraph_lock.hpp"
#include "bre/partition.hpp"

namespace bre::test {

/// Louvain by igraph_community_multilevel at `resolution`, igraph's RNG seeded with
/// `seed`, under bre::igraph_mutex(). The final level's membership (canonical labels).
/// Throws std::runtime_error when igraph reports an error.
inline Membership igraph_multilevel(const Graph& graph, double resolution, std::uint64_t seed) {
  std::lock_guard<std::mutex> lock(igraph_mutex());
  igraph_vector_int_t endpoints;
  igraph_vector_t weights;
  igraph_vector_int_init(&endpoints, static_cast<igraph_integer_t>(2 * graph.edges().size()));
  igraph_vector_init(&weights, static_cast<igraph_integer_t>(graph.edges().size()));
  igraph_integer_t k = 0;
  for (const WeightedEdge& e : graph.edges()) {
    VECTOR(endpoints)[2 * k] = e.u;
    VECTOR(endpoints)[2 * k + 1] = e.v;
    VECTOR(weights)[k] = e.weight;
    ++k;
  }
  igraph_t g;
  igraph_create(&g, &endpoints, static_cast<igraph_integer_t>(graph.node_count()), IGRAPH_UNDIRECTED);
  igraph_vector_int_t labels;
  igraph_vector_int_init(&labels, 0);
  igraph_rng_seed(igraph_rng_default(), seed);
  const igraph_error_t code = igraph_community_multilevel(&g, &weights, resolution, &labels, nullptr, nullptr);
  Membership membership(graph.node_count());
  for (std::size_t i = 0; i < membership.size() && code == IGRAPH_SUCCESS; ++i) {
    membership[i] = static_cast<std::int32_t>(VECTOR(labels)[static_cast<igraph_integer_t>(i)]);
  }
  igraph_vector_int_destroy(&labels);
  igraph_destroy(&g);
  igraph_vector_destroy(&weights);
  igraph_vector_int_destroy(&endpoints);
  if (code != IGRAPH_SUCCESS) throw std::runtime_error(std::string("igraph_community_multilevel: ") + igraph_strerror(code));
  return canonical_labels(membership);
}

}  // namespace bre::test
