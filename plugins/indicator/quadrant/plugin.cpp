// indicator.quadrant: investment in the ecosystem against broad-well-being position
// and trend (DOMAIN.md §6). Inputs: a step giving the partition and the
// indicator.broad_wellbeing step computed for it. The quadrants are in quadrant.cpp.
#include "bre/parameter_decl.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "quadrant.hpp"

namespace {

constexpr const char* kPluginName = "indicator.quadrant";
constexpr bre::ParameterDecl<double> kMinCaseOverlap{
    "min_case_overlap", 0.5, 0.01, 1.0, "Least Jaccard overlap of municipalities for a case to describe a region."};

class QuadrantPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_INDICATOR, "1.0.0",
               "Quadrant of structured investment (case descriptors) against broad-well-being position and trend, "
               "with its reading in English and Dutch (DOMAIN.md §6). Inputs: the partition step and its "
               "indicator.broad_wellbeing step.")
        .parameter(kMinCaseOverlap.spec())
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .consumes(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE)
        .produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    bre::Expected<const bre::v1::Partition*> partition = bre::require_input_partition(context, kPluginName);
    if (!partition) return partition.status();
    bre::Expected<const bre::v1::IndicatorTable*> broad_wellbeing =
        bre::require_input_table(context, kPluginName, "broad_wellbeing", "indicator.broad_wellbeing");
    if (!broad_wellbeing) return broad_wellbeing.status();
    bre::indicator::QuadrantParameters parameters;
    parameters.min_case_overlap = kMinCaseOverlap.read(context.params());
    parameters.language = bre::run_language(context);
    bre::indicator::Quadrant quadrant(context.dataset(), **partition, **broad_wellbeing, parameters);
    BRE_RETURN_IF_ERROR(quadrant.run().with_context(bre::step_where(context)));
    *out.add_tables() = quadrant.table();
    bre::add_step_warnings(context, quadrant.warnings(), out);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(QuadrantPlugin)
