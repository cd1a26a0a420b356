// igraph's own modularity, as an independent reference for bre::modularity in the
// tests (framework's partition tests and the igraph_leiden plugin tests).
// Header-only; link the test with igraph (igraph::igraph).
#pragma once

#include <igraph/igraph.h>

#include <cstddef>
#include <mutex>

#include <gtest/gtest.h>

#include "bre/graph.hpp"
#include "bre/igraph_lock.hpp"
#include "bre/partition.hpp"

namespace bre::test {

/// Modularity of `membership` on `graph` at `resolution` as igraph_modularity
/// computes it: undirected, weighted by the edge weights, self-loops as igraph counts
/// them. Every label must be a region index (no kUnassigned). Holds
/// bre::igraph_mutex() for the whole call; a failing igraph call fails the test.
inline double igraph_modularity_of(const Graph& graph, const Membership& membership, double resolution) {
  std::lock_guard<std::mutex> lock(igraph_mutex());
  igraph_vector_int_t endpoints;
  igraph_vector_int_init(&endpoints, 0);
  igraph_vector_t weights;
  igraph_vector_init(&weights, 0);
  for (const WeightedEdge& e : graph.edges()) {
    igraph_vector_int_push_back(&endpoints, e.u);
    igraph_vector_int_push_back(&endpoints, e.v);
    igraph_vector_push_back(&weights, e.weight);
  }
  igraph_t g;
  igraph_create(&g, &endpoints, static_cast<igraph_integer_t>(graph.node_count()), IGRAPH_UNDIRECTED);
  igraph_vector_int_t labels;
  igraph_vector_int_init(&labels, static_cast<igraph_integer_t>(membership.size()));
  for (std::size_t i = 0; i < membership.size(); ++i) VECTOR(labels)[i] = membership[i];
  igraph_real_t q = 0.0;
  const igraph_error_t code = igraph_modularity(&g, &labels, &weights, resolution, /*directed=*/false, &q);
  EXPECT_EQ(code, IGRAPH_SUCCESS);
  igraph_vector_int_destroy(&labels);
  igraph_destroy(&g);
  igraph_vector_destroy(&weights);
  igraph_vector_int_destroy(&endpoints);
  return q;
}

}  // namespace bre::test
