// The shape every plugin-side clustering algorithm shares (NetworKit's Algorithm, as
// bre/algorithm.hpp): built from a graph and a parameter struct, run() once, then its
// regions, their count and their modularity; the accessors refuse to answer before a
// successful run().
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "bre/algorithm.hpp"
#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::clustering {

template <class Parameters>
class RegionClustering : public AlgorithmBase {
 public:
  // Accessors; each throws std::logic_error before a successful run().
  /// Region per node, canonical labels (0..k-1 in order of first appearance).
  const Membership& membership() const {
    require_run("membership");
    return membership_;
  }
  std::int32_t region_count() const {
    require_run("region_count");
    return region_count_;
  }
  /// bre::modularity of the result, at the resolution the algorithm states.
  double modularity() const {
    require_run("modularity");
    return modularity_;
  }

 protected:
  /// `name` as errors print it (a string literal); `graph` must outlive this object.
  RegionClustering(const char* name, const Graph& graph, Parameters parameters)
      : AlgorithmBase(name), name_(name), graph_(&graph), parameters_(std::move(parameters)) {}

  const Graph& graph() const { return *graph_; }

  /// run()'s first check: a graph with nodes and, unless `without_weight` is null, a
  /// positive total edge weight; `without_weight` says what fails without it
  /// ("modularity is undefined").
  Status check_graph(const char* without_weight) const {
    if (graph_->node_count() == 0) return invalid_argument("graph: has no nodes; there is nothing to cluster");
    if (without_weight != nullptr && !(graph_->total_weight() > 0.0)) {
      return failed_precondition(std::string("graph: has no edge weight, so ") + without_weight +
                                 "; there is nothing to cluster");
    }
    return Status::ok();
  }
  const Parameters& parameters() const { return parameters_; }

  /// run()'s last step: keeps `labels` (one per node) in canonical form, their region
  /// count and their modularity at `resolution`, and marks the run a success.
  Status finish(const Membership& labels, double resolution) {
    if (labels.size() != graph_->node_count()) {
      return internal_error(std::string(name_) + ": the algorithm returned " + std::to_string(labels.size()) +
                            " labels for " + std::to_string(graph_->node_count()) + " nodes");
    }
    membership_ = canonical_labels(labels);
    region_count_ = bre::region_count(membership_);
    modularity_ = bre::modularity(*graph_, membership_, resolution);
    set_has_run(true);
    return Status::ok();
  }

 private:
  const char* name_;
  const Graph* graph_;
  Parameters parameters_;
  Membership membership_;
  std::int32_t region_count_ = 0;
  double modularity_ = 0.0;
};

}  // namespace bre::clustering
