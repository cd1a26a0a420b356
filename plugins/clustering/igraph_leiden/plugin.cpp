// clustering.igraph_leiden: BREs as Leiden clusters of the cooperation network
// (DOMAIN.md §1, §2), through igraph. The algorithm lives in
// plugins/clustering/common/igraph_leiden.cpp (the benchmark and tests use it too); this
// file maps parameters, builds the network and turns the membership into a Partition
// (clustering_plugin.hpp: untied municipalities unassigned, region constraints applied).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "bre/network.hpp"
#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/partition.hpp"
#include "bre/plugin.hpp"
#include "clustering_plugin.hpp"
#include "igraph_leiden.hpp"

namespace {

constexpr const char* kPluginName = "clustering.igraph_leiden";

class IgraphLeidenPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::clustering::describe_clustering(
        kPluginName,
        "BREs as Leiden clusters (igraph) of the cooperation network, maximising modularity at a "
        "resolution or the constant Potts model; municipalities without any tie are left "
        "unassigned (DOMAIN.md §1-2).",
        {bre::kResolution.with_minimum(0.0).spec(  // igraph accepts 0 (with cpm: the connected components)
             "Resolution gamma: for modularity 1 = classic modularity, higher = more and smaller "
             "regions; for cpm a density threshold in units of edge weight."),
         bre::double_param("beta", 0.01, 1e-6, 1.0, "Randomness of Leiden's refinement step (igraph's beta)."),
         bre::int_param("iterations", -1, -1, 1000,
                        "Leiden iterations; -1 = until an iteration changes nothing, 0 = singletons."),
         bre::string_param("objective", "modularity", {"modularity", "cpm"},
                           "Quality maximised: modularity (node weights = strengths, resolution / 2m) or cpm "
                           "(constant Potts model). With cpm the partition's modularity is classic modularity "
                           "(resolution 1).")},
        "igraph's random number generator");
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::Params& params = context.params();

    bre::clustering::IgraphLeidenParameters leiden;
    bre::Expected<bre::clustering::LeidenObjective> objective =
        bre::clustering::parse_leiden_objective(params.get_string("objective"));
    if (!objective) return objective.status().with_context(where + ": parameter 'objective'");
    leiden.objective = *objective;
    leiden.resolution = bre::kResolution.read(params);
    leiden.beta = params.get_double("beta");
    leiden.iterations = params.get_int("iterations");
    leiden.seed = context.seed();

    // The first input network (e.g. commuting) when there is one, else the cooperation network.
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);

    // CPM is defined without ties; modularity is not.
    const bool modularity_objective = leiden.objective == bre::clustering::LeidenObjective::kModularity;
    bre::clustering::IgraphLeiden algorithm(*graph, leiden);
    return bre::clustering::cluster_and_emit(context, *graph,
                                             {kPluginName, "igraph Leiden", modularity_objective ? leiden.resolution : 1.0,
                                              /*needs_ties=*/modularity_objective},
                                             [&] { return bre::clustering::run_for_membership(algorithm); }, out)
        .status();
  }
};

}  // namespace

BRE_PLUGIN(IgraphLeidenPlugin)
