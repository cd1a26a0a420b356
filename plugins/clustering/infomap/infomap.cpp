#include "infomap.hpp"

#include <igraph/igraph.h>

#include <string>

#include "igraph_support.hpp"

namespace bre::clustering {

IgraphInfomap::IgraphInfomap(const Graph& graph, InfomapParameters parameters)
    : RegionClustering("IgraphInfomap", graph, parameters) {}

double IgraphInfomap::codelength() const {
  require_run("codelength");
  return codelength_;
}

Status IgraphInfomap::run() {
  set_has_run(false);
  BRE_RETURN_IF_ERROR(check_graph(/*without_weight=*/nullptr));
  const InfomapParameters& p = parameters();
  if (p.trials < 1) return invalid_argument("trials: expected an integer >= 1, found " + std::to_string(p.trials));
  double codelength = 0.0;
  Expected<Membership> result = with_igraph(graph(), p.seed, [&](IgraphGraph& igraph_graph) -> Expected<Membership> {
    IntVector membership;
    BRE_RETURN_IF_ERROR(membership.init({}));
    const igraph_error_t code =
        igraph_community_infomap(igraph_graph.get(), igraph_graph.weights(), /*v_weights=*/nullptr,
                                 static_cast<igraph_integer_t>(p.trials), membership.get(), &codelength);
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_infomap");
    return membership.to_membership();
  });
  if (!result) return result.status();
  codelength_ = codelength;
  return finish(*result, 1.0);
}

}  // namespace bre::clustering
