// igraph plumbing shared by the igraph-backed clustering plugins. Debian's igraph is
// not thread-safe: everything here must be used with bre::igraph_mutex() held, and
// the owners below must be declared after the lock guard so that they are destroyed
// (and call into igraph) before it is released.
#pragma once

#include <igraph/igraph.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::clustering {

/// Installs an error handler that records igraph's message instead of aborting and
/// silences igraph's warnings for one call, restoring the previous handlers after.
class IgraphHandlerScope {
 public:
  IgraphHandlerScope();
  ~IgraphHandlerScope();
  IgraphHandlerScope(const IgraphHandlerScope&) = delete;
  IgraphHandlerScope& operator=(const IgraphHandlerScope&) = delete;

 private:
  igraph_error_handler_t* previous_error_;
  igraph_warning_handler_t* previous_warning_;
};

/// An internal error naming the igraph call and igraph's recorded message.
Status igraph_status(igraph_error_t code, const std::string& call);

/// The seed igraph's RNG receives for a 64-bit bre seed: the seed itself where
/// igraph_uint_t has 64 bits (Debian amd64), its two halves xor-ed otherwise.
std::uint64_t igraph_rng_seed_for(std::uint64_t seed);

/// RAII owner of an igraph_vector_t.
class RealVector {
 public:
  RealVector() = default;
  ~RealVector();
  RealVector(const RealVector&) = delete;
  RealVector& operator=(const RealVector&) = delete;
  igraph_error_t init(const std::vector<double>& values);
  igraph_vector_t* get() { return &vector_; }

 private:
  igraph_vector_t vector_{};
  bool initialised_ = false;
};

/// RAII owner of an igraph_vector_int_t.
class IntVector {
 public:
  IntVector() = default;
  ~IntVector();
  IntVector(const IntVector&) = delete;
  IntVector& operator=(const IntVector&) = delete;
  igraph_error_t init(const std::vector<igraph_integer_t>& values);
  igraph_vector_int_t* get() { return &vector_; }
  /// The entries as a membership; labels must fit in int32.
  Membership to_membership() const;

 private:
  igraph_vector_int_t vector_{};
  bool initialised_ = false;
};

/// RAII owner of an igraph_matrix_int_t (a dendrogram's merges).
class IntMatrix {
 public:
  IntMatrix() = default;
  ~IntMatrix();
  IntMatrix(const IntMatrix&) = delete;
  IntMatrix& operator=(const IntMatrix&) = delete;
  igraph_error_t init();
  igraph_matrix_int_t* get() { return &matrix_; }

 private:
  igraph_matrix_int_t matrix_{};
  bool initialised_ = false;
};

/// RAII owner of an undirected igraph_t with the edges of a bre::Graph, in
/// Graph::edges() order, and their weights.
class IgraphGraph {
 public:
  IgraphGraph() = default;
  ~IgraphGraph();
  IgraphGraph(const IgraphGraph&) = delete;
  IgraphGraph& operator=(const IgraphGraph&) = delete;
  /// Copies `graph`; errors name the failing igraph call. O(n + m).
  Status init(const Graph& graph);
  const igraph_t* get() const { return &graph_; }
  igraph_vector_t* weights() { return weights_.get(); }

 private:
  IntVector endpoints_;
  RealVector weights_;
  igraph_t graph_{};
  bool initialised_ = false;
};

}  // namespace bre::clustering
