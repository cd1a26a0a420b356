// indicator.compare_partitions: compares the partitions of its input steps pairwise
// (DOMAIN.md §2): NMI, ARI, VI, best-match Jaccard both ways, the municipalities on
// which they disagree, and each partition's region sizes, modularity and contiguity.
#include <string>
#include <vector>

#include "bre/compare.hpp"
#include "bre/network.hpp"
#include "bre/parameter_decl.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "compare_partitions.hpp"

namespace {

constexpr const char* kPluginName = "indicator.compare_partitions";

class ComparePartitionsPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    // The range the step has always accepted: (0, 100] with 1e-6 for "> 0".
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_INDICATOR, "1.0.0",
               "Compares the partitions of two or more input steps pairwise: NMI, ARI, variation of "
               "information, best-match Jaccard, disagreeing municipalities (for a map), and each "
               "partition's region sizes, modularity and contiguity (DOMAIN.md §2).")
        .parameter(bre::kResolution.with_minimum(1e-6).spec(
            "Resolution gamma of the modularity reported for each partition."))
        .parameters(bre::network_parameters())
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_COMPARISON)
        .produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    std::vector<bre::v1::Partition> partitions;
    for (const bre::StepInput& input : context.inputs()) {
      for (const bre::v1::Partition& partition : input.artifacts->partitions()) partitions.push_back(partition);
    }
    if (partitions.size() < 2) {
      return bre::invalid_argument(where + ": expected two or more partitions from its inputs, found " +
                                   std::to_string(partitions.size()) + "; list the steps to compare in 'inputs'");
    }
    // Modularity on the first input network, else on the cooperation network.
    bre::Expected<bre::Graph> ties = bre::clustering_graph(context);
    if (!ties) return ties.status().with_context(where);
    bre::ComparisonParameters parameters;
    parameters.resolution = bre::kResolution.read(context.params());
    bre::v1::Artifacts produced;
    BRE_RETURN_IF_ERROR(
        bre::indicator::compare_partitions_into(context.dataset(), *ties, partitions, parameters,
                                                bre::run_language(context), produced)
            .with_context(where));
    for (std::string& warning : *produced.mutable_warnings()) warning = bre::warning_where(context) + ": " + warning;
    out.MergeFrom(produced);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(ComparePartitionsPlugin)
