#include "igraph_leiden.hpp"

#include <igraph/igraph.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <utility>

#include "bre/igraph_lock.hpp"
#include "igraph_support.hpp"

namespace bre::clustering {
namespace {

// Safety net for "until stable": every iteration that changes the clustering strictly
// improves the quality, so the loop ends long before this on real data.
constexpr std::int64_t kMaxIterationsUntilStable = 10000;

}  // namespace

Expected<LeidenObjective> parse_leiden_objective(const std::string& text) {
  if (text == "modularity") return LeidenObjective::kModularity;
  if (text == "cpm") return LeidenObjective::kCpm;
  return invalid_argument("objective: expected \"modularity\" or \"cpm\", found \"" + text + "\"");
}

IgraphLeiden::IgraphLeiden(const Graph& graph, IgraphLeidenParameters parameters)
    : AlgorithmBase("IgraphLeiden"), graph_(&graph), parameters_(std::move(parameters)) {}

const Membership& IgraphLeiden::membership() const {
  require_run("membership");
  return membership_;
}
std::int32_t IgraphLeiden::region_count() const {
  require_run("region_count");
  return region_count_;
}
double IgraphLeiden::modularity() const {
  require_run("modularity");
  return modularity_;
}
double IgraphLeiden::quality() const {
  require_run("quality");
  return quality_;
}

Status IgraphLeiden::run() {
  set_has_run(false);
  const Graph& graph = *graph_;
  const IgraphLeidenParameters& p = parameters_;
  const std::size_t n = graph.node_count();
  const bool modularity_objective = p.objective == LeidenObjective::kModularity;

  // --- Validate everything before any work. ------------------------------------------
  if (n == 0) return invalid_argument("graph: has no nodes; there is nothing to cluster");
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return invalid_argument("graph: " + std::to_string(n) + " nodes exceed the membership label range");
  }
  if (!std::isfinite(p.resolution) || p.resolution < 0.0) {
    return invalid_argument("resolution: expected a finite number >= 0, found " + std::to_string(p.resolution));
  }
  if (!std::isfinite(p.beta) || p.beta <= 0.0) {
    return invalid_argument("beta: expected a finite number > 0, found " + std::to_string(p.beta));
  }
  const double m = graph.total_weight();
  if (modularity_objective && !(m > 0.0)) {
    return failed_precondition("graph: has " + std::to_string(graph.edge_count()) +
                               " edges and total weight 0, so modularity is undefined; "
                               "use objective cpm or a network with ties");
  }
  if (!p.initial_membership.empty()) {
    if (p.initial_membership.size() != n) {
      return invalid_argument("initial_membership: has " + std::to_string(p.initial_membership.size()) +
                              " entries, the graph has " + std::to_string(n) + " nodes");
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (p.initial_membership[i] < 0) {
        return invalid_argument("initial_membership[" + std::to_string(i) + "]: expected a label >= 0, found " +
                                std::to_string(p.initial_membership[i]));
      }
    }
  }

  // --- Prepare plain arrays outside the lock. -------------------------------------------
  std::vector<double> node_weights(n, 1.0);
  double resolution_parameter = p.resolution;
  if (modularity_objective) {
    for (std::size_t i = 0; i < n; ++i) node_weights[i] = graph.strength(static_cast<std::uint32_t>(i));
    resolution_parameter = p.resolution / (2.0 * m);
  }
  // The start: the given membership or singletons (igraph's start = false).
  const bool from_membership = !p.initial_membership.empty();
  Membership start_labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    start_labels[i] = from_membership ? p.initial_membership[i] : static_cast<std::int32_t>(i);
  }
  const std::vector<igraph_integer_t> start(start_labels.begin(), start_labels.end());

  Membership result(n);
  double quality = 0.0;
  {
    std::lock_guard<std::mutex> lock(igraph_mutex());
    IgraphHandlerScope handlers;
    // Declared after the lock: destroyed before it is released.
    RealVector igraph_node_weights;
    IntVector igraph_membership;
    IgraphGraph igraph_graph;

    igraph_error_t code = igraph_rng_seed(igraph_rng_default(), igraph_rng_seed_for(p.seed));
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_rng_seed");
    BRE_RETURN_IF_ERROR(igraph_graph.init(graph));
    if ((code = igraph_node_weights.init(node_weights)) != IGRAPH_SUCCESS) return igraph_status(code, "igraph_vector_init_array");
    if ((code = igraph_membership.init(start)) != IGRAPH_SUCCESS) return igraph_status(code, "igraph_vector_int_init_array");

    // igraph 0.10.2's own "negative n_iterations = until stable" loop is inverted
    // (igraph issue #2798, fixed upstream in 2025): it stops after the first
    // iteration that changes anything and never returns when an iteration changes
    // nothing (an edgeless graph, or a start that is already stable). So iterate one
    // igraph iteration at a time here; for a fixed count this is exactly igraph's own
    // loop (same calls, same RNG stream), for "until stable" it is the documented
    // behaviour: stop after an iteration that leaves the clustering unchanged.
    igraph_integer_t clusters = 0;
    const bool until_stable = p.iterations < 0;
    const std::int64_t limit = until_stable ? kMaxIterationsUntilStable : p.iterations;
    Membership before = canonical_labels(start_labels);
    for (std::int64_t iteration = 0; iteration < limit; ++iteration) {
      code = igraph_community_leiden(igraph_graph.get(), igraph_graph.weights(), igraph_node_weights.get(),
                                     resolution_parameter, p.beta, /*start=*/true, /*n_iterations=*/1,
                                     igraph_membership.get(), &clusters, &quality);
      if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_leiden");
      if (igraph_vector_int_size(igraph_membership.get()) != static_cast<igraph_integer_t>(n)) {
        return internal_error("igraph_community_leiden returned a membership of the wrong size");
      }
      if (!until_stable) continue;
      Membership after(n);
      for (std::size_t i = 0; i < n; ++i) {
        after[i] = static_cast<std::int32_t>(VECTOR(*igraph_membership.get())[static_cast<igraph_integer_t>(i)]);
      }
      after = canonical_labels(after);
      if (after == before) break;
      before = std::move(after);
    }
    if (limit == 0) {
      // No iteration ran, so igraph computed no quality.
      quality = std::numeric_limits<double>::quiet_NaN();
    }
    for (std::size_t i = 0; i < n; ++i) {
      result[i] = static_cast<std::int32_t>(VECTOR(*igraph_membership.get())[static_cast<igraph_integer_t>(i)]);
    }
  }

  membership_ = canonical_labels(result);
  region_count_ = bre::region_count(membership_);
  modularity_ = bre::modularity(graph, membership_, modularity_objective ? p.resolution : 1.0);
  quality_ = quality;
  set_has_run(true);
  return Status::ok();
}

}  // namespace bre::clustering
