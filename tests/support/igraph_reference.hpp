// igraph's modularity and Louvain (plugins/clustering/common/igraph_support.hpp) as
// the tests use them: an igraph error fails the test. Link the test with
// bre_clustering_common.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "igraph_support.hpp"

namespace bre::test {

/// Modularity of `membership` on `graph` at `resolution` as igraph_modularity
/// computes it; NaN (and a failed test) when igraph reports an error.
inline double igraph_modularity_of(const Graph& graph, const Membership& membership, double resolution) {
  const Expected<double> q = clustering::igraph_modularity(graph, membership, resolution);
  EXPECT_TRUE(q.has_value()) << q.status().message();
  return q ? *q : std::nan("");
}

/// Louvain by igraph_community_multilevel (canonical labels); empty (and a failed
/// test) when igraph reports an error.
inline Membership igraph_multilevel(const Graph& graph, double resolution, std::uint64_t seed) {
  Expected<Membership> membership = clustering::igraph_multilevel(graph, resolution, seed);
  EXPECT_TRUE(membership.has_value()) << membership.status().message();
  return membership ? *membership : Membership{};
}

}  // namespace bre::test
