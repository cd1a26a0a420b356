// indicator.dus: daily-urban-system indicators per BRE (DOMAIN.md §5). Inputs, in
// order: the step giving the BRE partition, then (optionally) the step giving the DUS
// partition, e.g. a clustering step over indicator.commuting_network. The numbers are
// computed in dus.cpp.
#include <string>
#include <utility>
#include <vector>

#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "dus.hpp"

namespace {

constexpr const char* kPluginName = "indicator.dus";
constexpr bre::ParameterDecl<std::int64_t> kTopDestinations{"top_destinations", 3, 1, 20,
                                                            "Destination regions listed per BRE, by persons."};
constexpr bre::ParameterDecl<double> kCoverThreshold{
    "cover_threshold", 0.7, 0.01, 1.0,
    "Share of the BRE (overlap weight) its dominant DUS region must cover for 'regional'; below: "
    "'subregional'."};
constexpr bre::ParameterDecl<double> kContainThreshold{
    "contain_threshold", 0.7, 0.01, 1.0,
    "Share of the dominant DUS region that must lie inside the BRE; below: 'interregional'."};

class DusPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_INDICATOR, "1.0.0",
               "Daily urban system per BRE (DOMAIN.md §5): self-containment, destinations and compass spread of "
               "outgoing commuting; with a second input partition (DUS regions) NMI/ARI, best matches and the "
               "label subregional / regional / interregional.")
        .parameter(kTopDestinations.spec())
        .parameter(kCoverThreshold.spec())
        .parameter(kContainThreshold.spec())
        .parameter(bre::string_param("overlap_weight", "population", {"population", "municipalities"},
                                     "What BRE/DUS overlaps are measured in: inhabitants or municipalities."))
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE)
        .produces(bre::v1::ARTIFACT_KIND_COMPARISON)
        .uses_weights();
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    bre::Expected<const bre::v1::Partition*> bre_partition = bre::require_input_partition(context, kPluginName);
    if (!bre_partition) return bre_partition.status();
    // The first partition of each input: the BRE partition, then the DUS partition.
    std::vector<const bre::v1::Partition*> partitions;
    for (const bre::StepInput& input : context.inputs()) {
      if (input.artifacts->partitions_size() > 0) partitions.push_back(&input.artifacts->partitions(0));
    }
    if (partitions.size() > 2) {
      return bre::invalid_argument(where + ": " + kPluginName + " takes two input partitions (BRE, then DUS), found " +
                                   std::to_string(partitions.size()));
    }
    const bre::Params& params = context.params();
    bre::indicator::DusParameters parameters;
    parameters.top_destinations = static_cast<int>(kTopDestinations.read(params));
    parameters.cover_threshold = kCoverThreshold.read(params);
    parameters.contain_threshold = kContainThreshold.read(params);
    bre::Expected<bre::indicator::OverlapWeight> weight =
        bre::indicator::parse_overlap_weight(params.get_string("overlap_weight"));
    if (!weight) return weight.status().with_context(where);
    parameters.overlap_weight = *weight;
    parameters.language = bre::run_language(context);

    const bre::v1::Partition* dus = partitions.size() == 2 ? partitions[1] : nullptr;
    bre::indicator::DailyUrbanSystem indicator(context.dataset(), **bre_partition, dus, parameters);
    BRE_RETURN_IF_ERROR(indicator.run().with_context(where));
    *out.add_tables() = indicator.table();
    if (dus != nullptr) {
      *out.add_tables() = indicator.agreement_table();
      *out.add_comparisons() = indicator.comparison();
    } else {
      out.add_warnings(bre::warning_where(context) + ": " +
                       bre::text_in(parameters.language,
                                    "geen DUS-partitie (tweede invoer): de kolommen voor de vergelijking en het label "
                                    "ontbreken",
                                    "no DUS partition (second input): the comparison and label columns are left out"));
    }
    bre::add_step_warnings(context, indicator.warnings(), out);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(DusPlugin)
