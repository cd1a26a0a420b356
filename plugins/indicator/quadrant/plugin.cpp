// indicator.quadrant: investment in the ecosystem against broad-well-being position
// and trend (DOMAIN.md §6). Inputs: a step giving the partition and the
// indicator.broad_wellbeing step computed for it. The quadrants are in quadrant.cpp.
#include <string>

#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "quadrant.hpp"

namespace {

class QuadrantPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("indicator.quadrant");
    d.set_kind(bre::v1::PLUGIN_KIND_INDICATOR);
    d.set_version("1.0.0");
    d.set_summary(
        "Quadrant of structured investment (case descriptors) against broad-well-being position and trend, "
        "with its reading in English and Dutch (DOMAIN.md §6). Inputs: the partition step and its "
        "indicator.broad_wellbeing step.");
    *d.add_parameters() = bre::double_param(
        "min_case_overlap", 0.5, 0.01, 1.0,
        "Least Jaccard overlap of municipalities for a case to describe a region.");
    d.add_consumes(bre::v1::ARTIFACT_KIND_PARTITION);
    d.add_consumes(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
    d.add_produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::v1::Partition* partition = context.input_partition();
    if (partition == nullptr) {
      return bre::failed_precondition(where + ": indicator.quadrant needs a partition from an input step, found none");
    }
    const bre::v1::IndicatorTable* broad_wellbeing = nullptr;
    for (const bre::StepInput& input : context.inputs()) {
      for (const bre::v1::IndicatorTable& table : input.artifacts->tables()) {
        if (broad_wellbeing == nullptr && table.name() == "broad_wellbeing") broad_wellbeing = &table;
      }
    }
    if (broad_wellbeing == nullptr) {
      return bre::failed_precondition(where +
                                      ": indicator.quadrant needs the 'broad_wellbeing' table of an "
                                      "indicator.broad_wellbeing input step, found none");
    }
    bre::indicator::QuadrantParameters parameters;
    parameters.min_case_overlap = context.params().get_double("min_case_overlap");
    bre::indicator::Quadrant quadrant(context.dataset(), *partition, *broad_wellbeing, parameters);
    BRE_RETURN_IF_ERROR(quadrant.run().with_context(where));
    *out.add_tables() = quadrant.table();
    for (const std::string& warning : quadrant.warnings()) out.add_warnings(where + ": " + warning);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(QuadrantPlugin)
