#include "infomap.hpp"

#include <igraph/igraph.h>

#include <mutex>
#include <string>

#include "bre/igraph_lock.hpp"
#include "igraph_support.hpp"

namespace bre::clustering {

IgraphInfomap::IgraphInfomap(const Graph& graph, InfomapParameters parameters)
    : AlgorithmBase("IgraphInfomap"), graph_(&graph), parameters_(parameters) {}

const Membership& IgraphInfomap::membership() const {
  require_run("membership");
  return membership_;
}
std::int32_t IgraphInfomap::region_count() const {
  require_run("region_count");
  return region_count_;
}
double IgraphInfomap::codelength() const {
  require_run("codelength");
  return codelength_;
}
double IgraphInfomap::modularity() const {
  require_run("modularity");
  return modularity_;
}

Status IgraphInfomap::run() {
  set_has_run(false);
  const Graph& graph = *graph_;
  if (graph.node_count() == 0) return invalid_argument("graph: has no nodes; there is nothing to cluster");
  if (parameters_.trials < 1) {
    return invalid_argument("trials: expected an integer >= 1, found " + std::to_string(parameters_.trials));
  }
  Membership result;
  double codelength = 0.0;
  {
    std::lock_guard<std::mutex> lock(igraph_mutex());
    IgraphHandlerScope handlers;
    // Declared after the lock: destroyed before it is released.
    IgraphGraph igraph_graph;
    IntVector membership;
    igraph_error_t code = igraph_rng_seed(igraph_rng_default(), igraph_rng_seed_for(parameters_.seed));
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_rng_seed");
    BRE_RETURN_IF_ERROR(igraph_graph.init(graph));
    if ((code = membership.init({})) != IGRAPH_SUCCESS) return igraph_status(code, "igraph_vector_int_init_array");
    code = igraph_community_infomap(igraph_graph.get(), igraph_graph.weights(), /*v_weights=*/nullptr,
                                    static_cast<igraph_integer_t>(parameters_.trials), membership.get(), &codelength);
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_infomap");
    result = membership.to_membership();
  }
  if (result.size() != graph.node_count()) return internal_error("igraph_community_infomap returned a membership of the wrong size");
  membership_ = canonical_labels(result);
  region_count_ = bre::region_count(membership_);
  codelength_ = codelength;
  modularity_ = bre::modularity(graph, membership_, 1.0);
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
