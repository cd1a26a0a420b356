// legitimacy.scale_scores: survey scale scores per respondent and dimension, per-region
// means with bootstrap intervals, reliability and between-region tests (DOMAIN.md §7).
// The computation lives in scale_scores.cpp; this file maps parameters and artifacts.
#include <cstdint>
#include <string>
#include <utility>

#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "scale_scores.hpp"

namespace {

constexpr const char* kPluginName = "legitimacy.scale_scores";
constexpr bre::ParameterDecl<std::int64_t> kMinItems{
    "min_items", 2, 1, 10, "Answered items (count) a dimension needs before a respondent gets a score on it."};
constexpr bre::ParameterDecl<std::int64_t> kBootstrapSamples{
    "bootstrap_samples", 2000, 100, 100000, "Bootstrap resamples (count) for each region's interval of the mean score."};
constexpr bre::ParameterDecl<double> kConfidence{
    "confidence", 0.95, 0.5, 0.999,
    "Coverage (share, 0-1) of the percentile bootstrap interval of each region's mean."};
constexpr bre::ParameterDecl<double> kAlpha{
    "alpha", 0.05, 0.0001, 0.5, "Significance level (probability) below which the ANOVA p sets regions_differ."};
constexpr bre::ParameterDecl<std::int64_t> kCorrelationMinRegions{
    "correlation_min_regions", 5, 3, 100000,
    "Regions (count) a correlation needs before a p-value is given; below it the result says 'n too small'."};
constexpr bre::ParameterDecl<std::int64_t> kCorrelationMinRespondents{
    "correlation_min_respondents", 5, 1, 100000,
    "Respondents (count) a region needs for its mean to enter a correlation."};
constexpr bre::ParameterDecl<double> kBodyMajority{
    "body_majority", 0.5, 0.5, 0.99,
    "Share (0-1) of a province's or water board's municipalities a region must exceed for the body's "
    "representatives to belong to it; without such a region they are left out and listed."};

class ScaleScoresPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_LEGITIMACY, "1.2.0",
               "Legitimacy scale scores (0-100) per respondent, region means with bootstrap "
               "intervals, Cronbach's alpha, ANOVA and Kruskal-Wallis across regions, the output "
               "gap, and optionally Spearman correlations with an indicator column (DOMAIN.md §7).")
        .parameter(kMinItems.spec())
        .parameter(kBootstrapSamples.spec())
        .parameter(kConfidence.spec())
        .parameter(kAlpha.spec())
        .parameter(bre::seed_param("the bootstrap resampling"))
        .parameter(bre::string_param(
            "correlate_with", "", {},
            "Column id of an indicator table from an input step (e.g. congruence_c1) to correlate "
            "with each dimension's region means (Spearman); empty = no correlation."))
        .parameter(bre::string_param(
            "correlate_table", "", {},
            "Name of the input table holding correlate_with (e.g. congruence); empty = the first "
            "input table that has the column."))
        .parameter(kCorrelationMinRegions.spec())
        .parameter(kCorrelationMinRespondents.spec())
        .parameter(kBodyMajority.spec())
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_LEGITIMACY);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    bre::Expected<const bre::v1::Partition*> partition = bre::require_input_partition(context, kPluginName);
    if (!partition) return partition.status();
    const bre::Params& params = context.params();
    bre::legitimacy::ScaleScoreOptions options;
    options.min_items = static_cast<int>(kMinItems.read(params));
    options.bootstrap_samples = static_cast<int>(kBootstrapSamples.read(params));
    options.confidence = kConfidence.read(params);
    options.alpha = kAlpha.read(params);
    options.seed = context.seed();  // the "seed" parameter when non-zero (the engine reads it)
    options.cancelled = [&context] { return context.cancelled(); };
    options.correlation_column = params.get_string("correlate_with");
    options.correlation_min_regions = static_cast<int>(kCorrelationMinRegions.read(params));
    options.correlation_min_respondents = static_cast<int>(kCorrelationMinRespondents.read(params));
    options.body_majority = kBodyMajority.read(params);
    options.language = bre::run_language(context);
    const std::string& table_name = params.get_string("correlate_table");
    if (!options.correlation_column.empty()) {
      options.correlation_table = bre::input_table_named(context, table_name, options.correlation_column);
      if (options.correlation_table == nullptr) {
        return bre::invalid_argument(
            where + ": parameter 'correlate_with': no indicator table" +
            (table_name.empty() ? std::string() : " named '" + table_name + "'") +
            " of the input steps has a column '" + options.correlation_column +
            "'; input tables: " + bre::input_table_names(context));
      }
    } else if (!table_name.empty()) {
      return bre::invalid_argument(where +
                                   ": parameter 'correlate_table' is set but 'correlate_with' is "
                                   "empty; name the column to correlate with");
    }

    bre::Expected<bre::legitimacy::ScaleScoreResult> result =
        bre::legitimacy::compute_scale_scores(context.dataset(), **partition, options);
    if (!result) return result.status().with_context(where);
    *out.add_legitimacy() = std::move(result->legitimacy);
    bre::add_step_warnings(context, result->warnings, out);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(ScaleScoresPlugin)
