#include "spectral.hpp"

#include <igraph/igraph.h>

#include <algorithm>
#include <string>

#include "igraph_support.hpp"

namespace bre::clustering {

IgraphSpectral::IgraphSpectral(const Graph& graph, SpectralParameters parameters)
    : RegionClustering("IgraphSpectral", graph, parameters) {}

Status IgraphSpectral::run() {
  set_has_run(false);
  BRE_RETURN_IF_ERROR(check_graph("modularity is undefined"));
  const SpectralParameters& p = parameters();
  if (p.max_regions < 0) {
    return invalid_argument("max_regions: expected 0 (no bound) or an integer >= 1, found " +
                            std::to_string(p.max_regions));
  }
  // Each split adds one region; n - 1 splits reach singletons.
  const std::size_t n = graph().node_count();
  const std::size_t splits =
      p.max_regions == 0 ? n - 1 : std::min<std::size_t>(n - 1, static_cast<std::size_t>(p.max_regions) - 1);
  Expected<Membership> result = with_igraph(graph(), p.seed, [&](IgraphGraph& igraph_graph) -> Expected<Membership> {
    IntVector membership;
    BRE_RETURN_IF_ERROR(membership.init({}));
    igraph_arpack_options_t options;
    igraph_arpack_options_init(&options);
    const igraph_error_t code = igraph_community_leading_eigenvector(
        igraph_graph.get(), igraph_graph.weights(), /*merges=*/nullptr, membership.get(),
        static_cast<igraph_integer_t>(splits), &options, /*modularity=*/nullptr, /*start=*/false,
        /*eigenvalues=*/nullptr, /*eigenvectors=*/nullptr, /*history=*/nullptr, /*callback=*/nullptr,
        /*callback_extra=*/nullptr);
    if (code != IGRAPH_SUCCESS) return igraph_status(code, "igraph_community_leading_eigenvector");
    return membership.to_membership();
  });
  if (!result) return result.status();
  return finish(*result, 1.0);
}

}  // namespace bre::clustering
