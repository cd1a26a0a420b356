// analysis.variation: the study's two questions as an analysis step: how much the
// outcomes (legitimacy dimensions, broad well-being level and trend) vary between
// BREs, and which region characteristics go with it. The statistics live in
// random_intercept.cpp and association.cpp, the assembly in variation.cpp; this file
// maps parameters and artifacts.
#include <cstdint>
#include <string>
#include <utility>

#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "variation.hpp"

namespace {

constexpr const char* kPluginName = "analysis.variation";
constexpr const char* kMunicipalWellbeing = "broad_wellbeing_municipalities";
constexpr bre::ParameterDecl<double> kConfidence{
    "confidence", 0.95, 0.5, 0.999,
    "Coverage (share, 0-1) of the profile-likelihood interval of each ICC and of the region-effect intervals."};
constexpr bre::ParameterDecl<double> kAlpha{
    "alpha", 0.05, 0.0001, 0.5,
    "Significance level (probability) the generated sentences judge p-values (raw, Holm, BH) against."};
constexpr bre::ParameterDecl<std::int64_t> kExactMax{
    "exact_max_permutations", 3628800, 1, 100000000,
    "Distinct permutations (count) up to which a permutation p is exact (10 regions: 10! = 3,628,800); "
    "above it Monte Carlo."};
constexpr bre::ParameterDecl<std::int64_t> kMonteCarlo{
    "monte_carlo_permutations", 100000, 1000, 10000000,
    "Random permutations (count) of a Monte Carlo permutation p, when there are too many to enumerate."};

class VariationPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_ANALYSIS, "1.0.0",
               "Variance between BREs of each legitimacy dimension and of broad well-being level and trend "
               "(random-intercept model by REML: ICC with profile-likelihood interval, BRE effects, likelihood-ratio "
               "test), associations of region characteristics with the outcomes (permutation p, Holm and "
               "Benjamini-Hochberg) and the model with characteristics as fixed effects.")
        .parameter(kConfidence.spec())
        .parameter(kAlpha.spec())
        .parameter(bre::string_list_param(
            "characteristics", {}, {},
            "Region characteristics to associate with each outcome: column ids of the input tables (e.g. "
            "congruence_c1, dus_label) or case descriptors (lead_actor_present, lead_actor_accepted, "
            "regional_identity_thick, structured_investment); empty = no associations."))
        .parameter(bre::string_list_param(
            "fixed_effects", {}, {},
            "Region characteristics (as in 'characteristics') entered as fixed effects in a second random-intercept "
            "model per outcome; empty = none."))
        .parameter(kExactMax.spec())
        .parameter(kMonteCarlo.spec())
        .parameter(bre::seed_param("the Monte Carlo permutations"))
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_ANALYSIS);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    bre::Expected<const bre::v1::Partition*> partition = bre::require_input_partition(context, kPluginName);
    if (!partition) return partition.status();
    const bre::Params& params = context.params();
    bre::analysis::VariationInputs inputs;
    inputs.partition = *partition;
    // Outcomes and characteristics of the partition analysed; other steps' results
    // (another partition's legitimacy or tables) are not this partition's regions.
    for (const bre::StepInput& input : context.inputs()) {
      for (const auto& legitimacy : input.artifacts->legitimacy()) {
        if (inputs.legitimacy == nullptr && legitimacy.partition_name() == inputs.partition->name()) {
          inputs.legitimacy = &legitimacy;
        }
      }
      for (const auto& table : input.artifacts->tables()) {
        if (table.partition_name() != inputs.partition->name()) continue;
        if (table.name() == kMunicipalWellbeing) {
          if (inputs.municipal_wellbeing == nullptr) inputs.municipal_wellbeing = &table;
        } else {
          inputs.region_tables.push_back(&table);
        }
      }
    }
    bre::analysis::VariationOptions options;
    options.confidence = kConfidence.read(params);
    options.alpha = kAlpha.read(params);
    options.characteristics = params.get_string_list("characteristics");
    options.fixed_effects = params.get_string_list("fixed_effects");
    options.permutation.max_exact = kExactMax.read(params);
    options.permutation.monte_carlo_samples = kMonteCarlo.read(params);
    options.permutation.seed = context.seed();
    options.cancelled = [&context] { return context.cancelled(); };
    options.language = bre::run_language(context);
    bre::Expected<bre::analysis::VariationResult> result =
        bre::analysis::analyse_variation(context.dataset(), inputs, options);
    if (!result) return result.status().with_context(bre::step_where(context));
    result->analysis.set_name(context.step_id());
    *out.add_analyses() = std::move(result->analysis);
    bre::add_step_warnings(context, result->warnings, out);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(VariationPlugin)
