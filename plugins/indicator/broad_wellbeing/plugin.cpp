// indicator.broad_wellbeing: broad well-being per municipality and per region of the
// input partition (DOMAIN.md §6). The index is computed in broad_wellbeing.cpp.
#include <string>

#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "broad_wellbeing.hpp"

namespace {

constexpr const char* kPluginName = "indicator.broad_wellbeing";
constexpr bre::ParameterDecl<double> kTrendThreshold{
    "trend_threshold", 0.02, 0.0, 10.0,
    "Index units per year above / below the national median trend that make a trend positive / negative."};

class BroadWellbeingPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_INDICATOR, "1.0.0",
               "Broad well-being (DOMAIN.md §6): signed z-scores, theme scores and index per municipality and "
               "region (population-weighted), level and trend over the years, position against the national "
               "median and trend class.")
        .parameter(bre::string_param(
            "standardise", "base_year", {"base_year", "per_year"},
            "z-scores against the indicator's earliest year (national development shows in the trend) or "
            "against each year itself (trends relative to the country)."))
        .parameter(bre::string_param("trend", "slope", {"slope", "change"},
                                     "Trend per year: OLS slope over all years, or (last - first) / years."))
        .parameter(kTrendThreshold.spec())
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE)
        .uses_weights();
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    bre::Expected<const bre::v1::Partition*> partition = bre::require_input_partition(context, kPluginName);
    if (!partition) return partition.status();
    const bre::Params& params = context.params();
    bre::indicator::BroadWellbeingParameters parameters;
    bre::Expected<bre::indicator::Standardisation> standardisation =
        bre::indicator::parse_standardisation(params.get_string("standardise"));
    if (!standardisation) return standardisation.status().with_context(where);
    bre::Expected<bre::indicator::TrendMeasure> trend = bre::indicator::parse_trend_measure(params.get_string("trend"));
    if (!trend) return trend.status().with_context(where);
    parameters.standardisation = *standardisation;
    parameters.trend = *trend;
    parameters.trend_threshold = kTrendThreshold.read(params);
    parameters.language = bre::run_language(context);
    bre::indicator::BroadWellbeing indicator(context.dataset(), **partition, parameters);
    BRE_RETURN_IF_ERROR(indicator.run().with_context(where));
    *out.add_tables() = indicator.region_table();
    *out.add_tables() = indicator.municipality_table();
    bre::add_step_warnings(context, indicator.warnings(), out);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(BroadWellbeingPlugin)
