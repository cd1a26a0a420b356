#include "igraph_leiden.hpp"

#include <igraph/igraph.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

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
    : RegionClustering("IgraphLeiden", graph, std::move(parameters)) {}

double IgraphLeiden::quality() const {
  require_run("quality");
  return quality_;
}

Status IgraphLeiden::validate() const {
  const IgraphLeidenParameters& p = parameters();
  const std::size_t n = graph().node_count();
  BRE_RETURN_IF_ERROR(check_graph(/*without_weight=*/nullptr));
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    return invalid_argument("graph: " + std::to_string(n) + " nodes exceed the membership label range");
  }
  if (!std::isfinite(p.resolution) || p.resolution < 0.0) {
    return invalid_argument("resolution: expected a finite number >= 0, found " + std::to_string(p.resolution));
  }
  if (!std::isfinite(p.beta) || p.beta <= 0.0) {
    return invalid_argument("beta: expected a finite number > 0, found " + std::to_string(p.beta));
  }
  if (p.objective == LeidenObjective::kModularity && !(graph().total_weight() > 0.0)) {
    return failed_precondition("graph: has " + std::to_string(graph().edge_count()) +
                               " edges and total weight 0, so modularity is undefined; "
                               "use objective cpm or a network with ties");
  }
  if (p.initial_membership.empty()) return Status::ok();
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
  return Status::ok();
}

Status IgraphLeiden::run() {
  set_has_run(false);
  BRE_RETURN_IF_ERROR(validate());
  const Graph& graph = this->graph();
  const IgraphLeidenParameters& p = parameters();
  const std::size_t n = graph.node_count();
  const bool modularity_objective = p.objective == LeidenObjective::kModularity;

  // Plain arrays prepared outside the lock.
  std::vector<double> node_weights(n, 1.0);
  double resolution_parameter = p.resolution;
  if (modularity_objective) {
    for (std::size_t i = 0; i < n; ++i) node_weights[i] = graph.strength(static_cast<std::uint32_t>(i));
    resolution_parameter = p.resolution / (2.0 * graph.total_weight());
  }
  // The start: the given membership or singletons (igraph's start = false).
  const bool from_membership = !p.initial_membership.empty();
  Membership start_labels(n);
  for (std::size_t i = 0; i < n; ++i) {
    start_labels[i] = from_membership ? p.initial_membership[i] : static_cast<std::int32_t>(i);
  }
  const std::vector<igraph_integer_t> start(start_labels.begin(), start_labels.end());

  double quality = 0.0;
  Expected<Membership> result = with_igraph(graph, p.seed, [&](IgraphGraph& igraph_graph) -> Expected<Membership> {
    RealVector igraph_node_weights;
    IntVector igraph_membership;
    BRE_RETURN_IF_ERROR(igraph_node_weights.init(node_weights));
    BRE_RETURN_IF_ERROR(igraph_membership.init(start));
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
      const igraph_error_t code = igraph_community_leiden(
          igraph_graph.get(), igraph_graph.weights(), igraph_node_weights.get(), resolution_parameter, p.beta,
          /*start=*/true, /*n_iterations=*/1, igraph_membership.get(), &clusters, &quality);
      if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_leiden");
      if (igraph_vector_int_size(igraph_membership.get()) != static_cast<igraph_integer_t>(n)) {
        return internal_error("igraph_community_leiden returned a membership of the wrong size");
      }
      if (!until_stable) continue;
      Membership after = canonical_labels(igraph_membership.to_membership());
      if (after == before) break;
      before = std::move(after);
    }
    // No iteration ran, so igraph computed no quality.
    if (limit == 0) quality = std::numeric_limits<double>::quiet_NaN();
    return igraph_membership.to_membership();
  });
  if (!result) return result.status();
  quality_ = quality;
  return finish(*result, modularity_objective ? p.resolution : 1.0);
}

}  // namespace bre::clustering
