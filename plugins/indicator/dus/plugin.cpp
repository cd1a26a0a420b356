// indicator.dus: daily-urban-system indicators per BRE (DOMAIN.md §5). Inputs, in
// order: the step giving the BRE partition, then (optionally) the step giving the DUS
// partition, e.g. a clustering step over indicator.commuting_network. The numbers are
// computed in dus.cpp.
#include <string>
#include <utility>
#include <vector>

#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "dus.hpp"

namespace {

class DusPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("indicator.dus");
    d.set_kind(bre::v1::PLUGIN_KIND_INDICATOR);
    d.set_version("1.0.0");
    d.set_summary(
        "Daily urban system per BRE (DOMAIN.md §5): self-containment, destinations and compass spread of "
        "outgoing commuting; with a second input partition (DUS regions) NMI/ARI, best matches and the "
        "label subregional / regional / interregional.");
    *d.add_parameters() = bre::int_param("top_destinations", 3, 1, 20,
                                         "Destination regions listed per BRE, by persons.");
    *d.add_parameters() = bre::double_param(
        "cover_threshold", 0.7, 0.01, 1.0,
        "Share of the BRE (overlap weight) its dominant DUS region must cover for 'regional'; below: "
        "'subregional'.");
    *d.add_parameters() = bre::double_param(
        "contain_threshold", 0.7, 0.01, 1.0,
        "Share of the dominant DUS region that must lie inside the BRE; below: 'interregional'.");
    *d.add_parameters() = bre::string_param("overlap_weight", "population", {"population", "municipalities"},
                                            "What BRE/DUS overlaps are measured in: inhabitants or municipalities.");
    d.add_consumes(bre::v1::ARTIFACT_KIND_PARTITION);
    d.add_produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
    d.add_produces(bre::v1::ARTIFACT_KIND_COMPARISON);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(true);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    std::vector<const bre::v1::Partition*> partitions;
    for (const bre::StepInput& input : context.inputs()) {
      if (input.artifacts->partitions_size() > 0) partitions.push_back(&input.artifacts->partitions(0));
    }
    if (partitions.empty()) {
      return bre::failed_precondition(where +
                                      ": indicator.dus needs the BRE partition as its first input (and the DUS "
                                      "partition as its second), found no input partition");
    }
    if (partitions.size() > 2) {
      return bre::invalid_argument(where + ": indicator.dus takes two input partitions (BRE, then DUS), found " +
                                   std::to_string(partitions.size()));
    }
    const bre::Params& params = context.params();
    bre::indicator::DusParameters parameters;
    parameters.top_destinations = static_cast<int>(params.get_int("top_destinations"));
    parameters.cover_threshold = params.get_double("cover_threshold");
    parameters.contain_threshold = params.get_double("contain_threshold");
    bre::Expected<bre::indicator::OverlapWeight> weight =
        bre::indicator::parse_overlap_weight(params.get_string("overlap_weight"));
    if (!weight) return weight.status().with_context(where);
    parameters.overlap_weight = *weight;

    const bre::v1::Partition* dus = partitions.size() == 2 ? partitions[1] : nullptr;
    bre::indicator::DailyUrbanSystem indicator(context.dataset(), *partitions[0], dus, parameters);
    BRE_RETURN_IF_ERROR(indicator.run().with_context(where));
    *out.add_tables() = indicator.table();
    if (dus != nullptr) {
      *out.add_tables() = indicator.agreement_table();
      *out.add_comparisons() = indicator.comparison();
    } else {
      out.add_warnings(where + ": no DUS partition (second input): the comparison and label columns are left out");
    }
    for (const std::string& warning : indicator.warnings()) out.add_warnings(where + ": " + warning);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(DusPlugin)
