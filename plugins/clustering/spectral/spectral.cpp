#include "spectral.hpp"

#include <igraph/igraph.h>

#include <algorithm>
#include <mutex>
#include <string>

#include "bre/igraph_lock.hpp"
#include "igraph_support.hpp"

namespace bre::clustering {

IgraphSpectral::IgraphSpectral(const Graph& graph, SpectralParameters parameters)
    : AlgorithmBase("IgraphSpectral"), graph_(&graph), parameters_(parameters) {}

const Membership& IgraphSpectral::membership() const {
  require_run("membership");
  return membership_;
}
std::int32_t IgraphSpectral::region_count() const {
  require_run("region_count");
  return region_count_;
}
double IgraphSpectral::modularity() const {
  require_run("modularity");
  return modularity_;
}

Status IgraphSpectral::run() {
  set_has_run(false);
  const Graph& graph = *graph_;
  const std::size_t n = graph.node_count();
  if (n == 0) return invalid_argument("graph: has no nodes; there is nothing to cluster");
  if (!(graph.total_weight() > 0.0)) {
    return failed_precondition("graph: has no edge weight, so modularity is undefined; there is nothing to cluster");
  }
  if (parameters_.max_regions < 0) {
    return invalid_argument("max_regions: expected 0 (no bound) or an integer >= 1, found " +
                            std::to_string(parameters_.max_regions));
  }
  // Each split adds one region; n - 1 splits reach singletons.
  const std::size_t splits = parameters_.max_regions == 0
                                 ? n - 1
                                 : std::min<std::size_t>(n - 1, static_cast<std::size_t>(parameters_.max_regions) - 1);
  Membership result;
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
    igraph_arpack_options_t options;
    igraph_arpack_options_init(&options);
    code = igraph_community_leading_eigenvector(igraph_graph.get(), igraph_graph.weights(), /*merges=*/nullptr,
                                                membership.get(), static_cast<igraph_integer_t>(splits), &options,
                                                /*modularity=*/nullptr, /*start=*/false, /*eigenvalues=*/nullptr,
                                                /*eigenvectors=*/nullptr, /*history=*/nullptr, /*callback=*/nullptr,
                                                /*callback_extra=*/nullptr);
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_leading_eigenvector");
    result = membership.to_membership();
  }
  if (result.size() != n) return internal_error("igraph leading eigenvector returned a membership of the wrong size");
  membership_ = canonical_labels(result);
  region_count_ = bre::region_count(membership_);
  modularity_ = bre::modularity(graph, membership_, 1.0);
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
