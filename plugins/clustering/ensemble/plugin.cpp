// clustering.ensemble: many native clusterings (seeds x resolutions x algorithms) in
// parallel, their consensus as BREs, and each municipality's membership confidence
// (DOMAIN.md §2). The ensemble is bre::clustering::Ensemble; this file maps
// parameters and writes the partition and the confidence table.
#include <string>

#include "bre/clustering/ensemble.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "clustering_plugin.hpp"
#include "ensemble.hpp"

namespace {

constexpr const char* kPluginName = "clustering.ensemble";

class EnsemblePlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d = bre::clustering::describe_clustering(
        kPluginName,
        "BREs as the consensus of an ensemble of native Leiden, Louvain and label-propagation runs "
        "(seeds x resolutions), with each municipality's membership confidence and a per-region "
        "confidence table; municipalities without any tie are left unassigned (DOMAIN.md §2).",
        bre::clustering::ensemble_parameters(), "the members' seeds (one derived per member) and the consensus");
    d.add_produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    bre::Expected<bre::clustering::EnsembleParameters> options =
        bre::clustering::ensemble_options(context.params(), context.seed());
    if (!options) return options.status().with_context(where);
    options->cancelled = [&context] { return context.cancelled(); };
    options->progress = [&context](std::size_t done, std::size_t total) { context.report_progress(done, total); };
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);

    bre::clustering::Ensemble ensemble(*graph, *options);
    BRE_RETURN_IF_ERROR(ensemble.run().with_context(where + ": ensemble"));
    bre::Expected<bre::Membership> membership =
        bre::clustering::emit_consensus(context, *graph, ensemble, kPluginName, 1.0, out);
    if (!membership) return membership.status();
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(EnsemblePlugin)
