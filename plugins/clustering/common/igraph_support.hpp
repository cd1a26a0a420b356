// igraph plumbing shared by the igraph-backed clustering plugins, and igraph's own
// Louvain and modularity as the references the native algorithms are tested and
// benchmarked against. Debian's igraph is not thread-safe: everything here must be
// used with bre::igraph_mutex() held (with_igraph() takes it), and the owners below
// must be declared after the lock guard so that they are destroyed (and call into
// igraph) before it is released.
#pragma once

#include <igraph/igraph.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "bre/graph.hpp"
#include "bre/igraph_lock.hpp"
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
  /// Errors name the failing igraph call.
  Status init(const std::vector<double>& values);
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
  /// Errors name the failing igraph call.
  Status init(const std::vector<igraph_integer_t>& values);
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
  /// Errors name the failing igraph call.
  Status init();
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

/// Runs `call(IgraphGraph&)` on a copy of `graph` in igraph: under
/// bre::igraph_mutex(), with igraph's errors recorded (IgraphHandlerScope), igraph's
/// RNG seeded with `seed` first when there is one. igraph objects `call` declares are
/// destroyed before the lock is released. Returns what `call` returns (a Status or an
/// Expected), or the error of seeding or copying.
template <class Call>
std::invoke_result_t<Call, IgraphGraph&> with_igraph(const Graph& graph, std::optional<std::uint64_t> seed,
                                                     Call&& call) {
  std::lock_guard<std::mutex> lock(igraph_mutex());
  IgraphHandlerScope handlers;
  IgraphGraph igraph_graph;  // declared after the lock: destroyed before it is released
  if (seed) {
    const igraph_error_t code = igraph_rng_seed(igraph_rng_default(), igraph_rng_seed_for(*seed));
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_rng_seed");
  }
  BRE_RETURN_IF_ERROR(igraph_graph.init(graph));
  return call(igraph_graph);
}

/// Louvain by igraph_community_multilevel at `resolution`, igraph's RNG seeded with
/// `seed`: the final level's membership, canonical labels.
Expected<Membership> igraph_multilevel(const Graph& graph, double resolution, std::uint64_t seed);

/// Modularity of `membership` on `graph` at `resolution` as igraph_modularity computes
/// it: undirected, weighted, self-loops as igraph counts them. Every label must be a
/// region index (no kUnassigned).
Expected<double> igraph_modularity(const Graph& graph, const Membership& membership, double resolution);

}  // namespace bre::clustering
