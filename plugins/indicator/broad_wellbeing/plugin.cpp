// indicator.broad_wellbeing: broad well-being per municipality and per region of the
// input partition (DOMAIN.md §6). The index is computed in broad_wellbeing.cpp.
#include <string>

#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "broad_wellbeing.hpp"

namespace {

class BroadWellbeingPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("indicator.broad_wellbeing");
    d.set_kind(bre::v1::PLUGIN_KIND_INDICATOR);
    d.set_version("1.0.0");
    d.set_summary(
        "Broad well-being (DOMAIN.md §6): signed z-scores, theme scores and index per municipality and "
        "region (population-weighted), level and trend over the years, position against the national "
        "median and trend class.");
    *d.add_parameters() = bre::string_param(
        "standardise", "base_year", {"base_year", "per_year"},
        "z-scores against the indicator's earliest year (national development shows in the trend) or "
        "against each year itself (trends relative to the country).");
    *d.add_parameters() = bre::string_param("trend", "slope", {"slope", "change"},
                                            "Trend per year: OLS slope over all years, or (last - first) / years.");
    *d.add_parameters() = bre::double_param(
        "trend_threshold", 0.02, 0.0, 10.0,
        "Index units per year above / below the national median trend that make a trend positive / negative.");
    d.add_consumes(bre::v1::ARTIFACT_KIND_PARTITION);
    d.add_produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(true);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::v1::Partition* partition = context.input_partition();
    if (partition == nullptr) {
      return bre::failed_precondition(where +
                                      ": indicator.broad_wellbeing needs a partition from an input step, found none");
    }
    const bre::Params& params = context.params();
    bre::indicator::BroadWellbeingParameters parameters;
    bre::Expected<bre::indicator::Standardisation> standardisation =
        bre::indicator::parse_standardisation(params.get_string("standardise"));
    if (!standardisation) return standardisation.status().with_context(where);
    bre::Expected<bre::indicator::TrendMeasure> trend = bre::indicator::parse_trend_measure(params.get_string("trend"));
    if (!trend) return trend.status().with_context(where);
    parameters.standardisation = *standardisation;
    parameters.trend = *trend;
    parameters.trend_threshold = params.get_double("trend_threshold");
    bre::indicator::BroadWellbeing indicator(context.dataset(), *partition, parameters);
    BRE_RETURN_IF_ERROR(indicator.run().with_context(where));
    *out.add_tables() = indicator.region_table();
    *out.add_tables() = indicator.municipality_table();
    for (const std::string& warning : indicator.warnings()) out.add_warnings(where + ": " + warning);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(BroadWellbeingPlugin)
