// legitimacy.scale_scores: survey scale scores per respondent and dimension, per-region
// means with bootstrap intervals, reliability and between-region tests (DOMAIN.md §7).
// The computation lives in scale_scores.cpp; this file maps parameters and artifacts.
#include <cstdint>
#include <string>
#include <utility>

#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "scale_scores.hpp"

namespace {

// The first table of the input steps named `name` (any name when empty) that has
// column `column`, in input order.
const bre::v1::IndicatorTable* find_table(const bre::StepContext& context, const std::string& name,
                                          const std::string& column) {
  for (const bre::StepInput& input : context.inputs()) {
    if (input.artifacts == nullptr) continue;
    for (const bre::v1::IndicatorTable& table : input.artifacts->tables()) {
      if (!name.empty() && table.name() != name) continue;
      for (const bre::v1::IndicatorColumn& c : table.columns()) {
        if (c.id() == column) return &table;
      }
    }
  }
  return nullptr;
}

std::string describe_tables(const bre::StepContext& context) {
  std::string text;
  for (const bre::StepInput& input : context.inputs()) {
    if (input.artifacts == nullptr) continue;
    for (const bre::v1::IndicatorTable& table : input.artifacts->tables()) {
      text += (text.empty() ? "" : "; ") + input.step_id + ": " + table.name() + " (";
      for (int c = 0; c < table.columns_size(); ++c) text += (c ? ", " : "") + table.columns(c).id();
      text += ")";
    }
  }
  return text.empty() ? "none" : text;
}

class ScaleScoresPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("legitimacy.scale_scores");
    d.set_kind(bre::v1::PLUGIN_KIND_LEGITIMACY);
    d.set_version("1.1.0");
    d.set_summary(
        "Legitimacy scale scores (0-100) per respondent, region means with bootstrap "
        "intervals, Cronbach's alpha, ANOVA and Kruskal-Wallis across regions, the output "
        "gap, and optionally Spearman correlations with an indicator column (DOMAIN.md §7).");
    *d.add_parameters() = bre::int_param(
        "min_items", 2, 1, 10,
        "Answered items (count) a dimension needs before a respondent gets a score on it.");
    *d.add_parameters() = bre::int_param(
        "bootstrap_samples", 2000, 100, 100000,
        "Bootstrap resamples (count) for each region's interval of the mean score.");
    *d.add_parameters() = bre::double_param(
        "confidence", 0.95, 0.5, 0.999,
        "Coverage (share, 0-1) of the percentile bootstrap interval of each region's mean.");
    *d.add_parameters() = bre::double_param(
        "alpha", 0.05, 0.0001, 0.5,
        "Significance level (probability) below which the ANOVA p sets regions_differ.");
    *d.add_parameters() = bre::seed_param("the bootstrap resampling");
    *d.add_parameters() = bre::string_param(
        "correlate_with", "", {},
        "Column id of an indicator table from an input step (e.g. congruence_c1) to correlate "
        "with each dimension's region means (Spearman); empty = no correlation.");
    *d.add_parameters() = bre::string_param(
        "correlate_table", "", {},
        "Name of the input table holding correlate_with (e.g. congruence); empty = the first "
        "input table that has the column.");
    *d.add_parameters() = bre::int_param(
        "correlation_min_regions", 5, 3, 100000,
        "Regions (count) a correlation needs before a p-value is given; below it the result "
        "says 'n too small'.");
    *d.add_parameters() = bre::int_param(
        "correlation_min_respondents", 5, 1, 100000,
        "Respondents (count) a region needs for its mean to enter a correlation.");
    d.add_consumes(bre::v1::ARTIFACT_KIND_PARTITION);
    d.add_produces(bre::v1::ARTIFACT_KIND_LEGITIMACY);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(false);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const bre::v1::Partition* partition = context.input_partition();
    if (partition == nullptr) {
      return bre::failed_precondition("step '" + context.step_id() +
                                      "': legitimacy.scale_scores needs a partition from an "
                                      "input step to tie respondents to regions, found none");
    }
    const bre::Params& params = context.params();
    bre::legitimacy::ScaleScoreOptions options;
    options.min_items = static_cast<int>(params.get_int("min_items"));
    options.bootstrap_samples = static_cast<int>(params.get_int("bootstrap_samples"));
    options.confidence = params.get_double("confidence");
    options.alpha = params.get_double("alpha");
    options.seed = context.seed();  // the "seed" parameter when non-zero (the engine reads it)
    options.cancelled = [&context] { return context.cancelled(); };
    options.correlation_column = params.get_string("correlate_with");
    options.correlation_min_regions = static_cast<int>(params.get_int("correlation_min_regions"));
    options.correlation_min_respondents = static_cast<int>(params.get_int("correlation_min_respondents"));
    const std::string& table_name = params.get_string("correlate_table");
    if (!options.correlation_column.empty()) {
      options.correlation_table = find_table(context, table_name, options.correlation_column);
      if (options.correlation_table == nullptr) {
        return bre::invalid_argument(
            "step '" + context.step_id() + "': parameter 'correlate_with': no indicator table" +
            (table_name.empty() ? std::string() : " named '" + table_name + "'") +
            " of the input steps has a column '" + options.correlation_column +
            "'; input tables: " + describe_tables(context));
      }
    } else if (!table_name.empty()) {
      return bre::invalid_argument("step '" + context.step_id() +
                                   "': parameter 'correlate_table' is set but 'correlate_with' is "
                                   "empty; name the column to correlate with");
    }

    bre::Expected<bre::legitimacy::ScaleScoreResult> result =
        bre::legitimacy::compute_scale_scores(context.dataset(), *partition, options);
    if (!result) return result.status().with_context("step '" + context.step_id() + "'");
    *out.add_legitimacy() = std::move(result->legitimacy);
    for (std::string& warning : result->warnings) {
      out.add_warnings(std::move(warning));
    }
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(ScaleScoresPlugin)
