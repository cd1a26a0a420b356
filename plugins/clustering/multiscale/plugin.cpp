// clustering.multiscale: the BRE scale found by the data (DOMAIN.md §2, "Scale"). A
// resolution profile over a log-spaced grid x seeds x algorithms, its plateaus by the
// criterion of bre/clustering/multiscale.hpp, the selected plateau's regions as the
// consensus of an ensemble at its resolutions (with membership confidence), and the
// coarser level they nest in. docs/multiscale.md says why and how.
#include <string>

#include "bre/clustering/ensemble.hpp"
#include "bre/clustering/multiscale.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "bre/random.hpp"
#include "clustering_plugin.hpp"
#include "ensemble.hpp"
#include "multiscale.hpp"

namespace {

constexpr const char* kPluginName = "clustering.multiscale";

// The selected scale's regions as the consensus of an ensemble at its resolutions,
// with membership confidence (emit_consensus), and a warning when the consensus
// differs from the plateau's own partition. Progress continues after the profile's
// `profile_members` members. Returns the consensus membership as emitted.
bre::Expected<bre::Membership> emit_ensemble_at_scale(const bre::StepContext& context, const bre::Graph& graph,
                                                      const bre::clustering::MultiscaleOptions& options,
                                                      const bre::clustering::SelectedScale& selected,
                                                      const bre::Membership& representative, double resolution,
                                                      std::uint64_t profile_members, bre::v1::Artifacts& out) {
  const std::string where = "step '" + context.step_id() + "'";
  const std::uint64_t total = profile_members + static_cast<std::uint64_t>(options.members);
  bre::clustering::EnsembleParameters ensemble_options;
  ensemble_options.algorithms = options.profile.algorithms;
  ensemble_options.resolutions = selected.resolutions;
  ensemble_options.members = options.members;
  ensemble_options.consensus_threshold = options.consensus_threshold;
  ensemble_options.seed = bre::derive_seed(context.seed(), std::string_view("ensemble"));
  ensemble_options.cancelled = [&context] { return context.cancelled(); };
  ensemble_options.progress = [&context, profile_members, total](std::size_t done, std::size_t) {
    context.report_progress(profile_members + done, total);
  };
  bre::clustering::Ensemble ensemble(graph, ensemble_options);
  BRE_RETURN_IF_ERROR(ensemble.run().with_context(where + ": ensemble at the selected scale"));
  bre::Expected<bre::Membership> consensus =
      bre::clustering::emit_consensus(context, graph, ensemble, kPluginName, resolution, out);
  if (!consensus) return consensus.status();
  const double agreement = bre::adjusted_rand_index(ensemble.consensus(), representative);
  if (agreement < options.profile.same_partition_ari) {
    const bre::Language language = bre::run_language(context);
    const std::string ari = bre::format_decimal(language, agreement, 3);
    out.add_warnings(bre::warning_where(context) + ": " +
                     bre::Bilingual{"de consensus van het ensemble wijkt af van de partitie van het plateau (ARI " + ari +
                                        "): de regio's op deze schaal zijn minder zeker dan het plateau doet "
                                        "vermoeden; zie de lidmaatschapszekerheid",
                                    "the ensemble's consensus differs from the plateau's partition (ARI " + ari +
                                        "): the regions at this scale are less certain than the plateau suggests; "
                                        "see the membership confidence"}
                         .in(language));
  }
  return consensus;
}

class MultiscalePlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d = bre::clustering::describe_clustering(
        kPluginName,
        "BREs at the scale the data show: a resolution profile (log-spaced resolutions x seeds x Leiden and "
        "Louvain), its stability plateaus (CHAMP domains of optimality, seed agreement), the selected "
        "plateau's regions as an ensemble consensus with membership confidence, and the coarser level they "
        "nest in (DOMAIN.md §2).",
        bre::clustering::multiscale_parameters(), "the profile's members (one seed each), the ensemble and its consensus");
    // Fractional weighting by default: on the real 2016 network and on the demo's planted
    // regions the profile's widest plateau is the regional scale with it, the national one
    // with count weighting (docs/multiscale.md, "Which projection").
    for (bre::v1::ParameterSpec& spec : *d.mutable_parameters()) {
      if (spec.name() != "weighting") continue;
      spec.mutable_default_value()->set_string_value("fractional");
      spec.set_doc(spec.doc() + " Default fractional here: see docs/multiscale.md.");
    }
    d.add_produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    bre::Expected<bre::clustering::MultiscaleOptions> options =
        bre::clustering::multiscale_options(context.params(), context.seed());
    if (!options) return options.status().with_context(where);
    options->request.language = bre::run_language(context);
    bre::Expected<bre::Graph> graph = bre::clustering_graph(context);
    if (!graph) return graph.status().with_context(where);

    const auto& profile_options = options->profile;
    const std::uint64_t profile_members = static_cast<std::uint64_t>(profile_options.resolution_count) *
                                          profile_options.algorithms.size() *
                                          static_cast<std::uint64_t>(profile_options.seeds);
    const std::uint64_t total = profile_members + static_cast<std::uint64_t>(options->members);
    options->profile.cancelled = [&context] { return context.cancelled(); };
    options->profile.progress = [&context, total](std::size_t done, std::size_t) {
      context.report_progress(done, total);
    };
    bre::clustering::ResolutionProfile profile(*graph, options->profile);
    BRE_RETURN_IF_ERROR(profile.run().with_context(where + ": resolution profile"));
    bre::Expected<bre::clustering::SelectedScale> selected = bre::clustering::select_scale(profile, options->request);
    if (!selected) return selected.status().with_context(where + ": parameter 'scale'");
    bre::add_step_warnings(context, selected->warnings, out);
    const bre::Language language = bre::run_language(context);

    const auto& plateaus = profile.plateaus();
    const double resolution = selected->plateau >= 0
                                  ? plateaus[static_cast<std::size_t>(selected->plateau)].centre()
                                  : selected->resolutions.front();
    const bre::Membership& representative = profile.partitions()[selected->partition];
    bre::Expected<bre::Membership> fine =
        options->members > 0
            ? emit_ensemble_at_scale(context, *graph, *options, *selected, representative, resolution, profile_members,
                                     out)
            : bre::clustering::emit_clustering_partition(context, *graph, representative, kPluginName, resolution, out);
    if (!fine) return fine.status();

    if (selected->coarser_plateau >= 0) {
      const auto& coarser = plateaus[static_cast<std::size_t>(selected->coarser_plateau)];
      bre::Expected<bre::Membership> coarse = bre::clustering::emit_named_partition(
          context, *graph, profile.partitions()[coarser.partition], context.step_id() + "_coarser", kPluginName,
          coarser.centre(), out);
      if (!coarse) return coarse.status();
      *out.add_tables() =
          bre::clustering::nesting_table(out.partitions(0), *fine, out.partitions(1), *coarse, language);
    }
    *out.add_tables() = bre::clustering::profile_table(profile, *selected, context.step_id(), language);
    *out.add_tables() = bre::clustering::plateau_table(profile, *selected, context.step_id(), language);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(MultiscalePlugin)
