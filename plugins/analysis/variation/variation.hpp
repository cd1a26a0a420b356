// The study's two questions as an analysis (DOMAIN.md, opening): is there variation
// between BREs in legitimacy and in effectiveness, how much, and what goes with it.
// Outcomes: each legitimacy dimension (respondents nested in regions, from a
// legitimacy step's RespondentScore.region_id) and broad well-being level and trend
// (municipalities nested in regions, from the broad_wellbeing_municipalities table).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "association.hpp"
#include "bre/language.hpp"
#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::analysis {

/// Characteristics read from the dataset's case descriptors (DOMAIN.md §8) rather than
/// from an indicator table; each case is tied to the region holding most of its
/// municipalities. 1 = yes, 0 = no, missing when unknown.
inline constexpr const char* kCaseCharacteristics[] = {
    "lead_actor_present",       // a lead actor (province, central municipality, regional office)
    "lead_actor_accepted",      // the others accept the lead actor
    "regional_identity_thick",  // thick (1) or thin (0) regional identity
    "structured_investment",    // the community invests beyond meeting (§6 quadrant)
};

struct VariationOptions {
  double confidence = 0.95;  // ICC and region-effect intervals
  double alpha = 0.05;       // the level the sentences judge p-values against
  /// Region characteristics to associate with each outcome's region means: column ids
  /// of the input indicator tables (the first table that has it, or TABLE.COLUMN), or
  /// kCaseCharacteristics.
  std::vector<std::string> characteristics;
  /// Characteristics entered as fixed effects in a second unit-level model per outcome.
  std::vector<std::string> fixed_effects;
  PermutationOptions permutation;
  std::function<bool()> cancelled;
  /// Of the labels, sentences, notes and warnings: the run's. Codes (outcome ids, unit,
  /// model, measure) stay as they are.
  Language language = Language::kDutch;
};

struct VariationInputs {
  const v1::Partition* partition = nullptr;                // required
  const v1::LegitimacyResult* legitimacy = nullptr;        // optional
  const v1::IndicatorTable* municipal_wellbeing = nullptr; // optional: broad_wellbeing_municipalities
  std::vector<const v1::IndicatorTable*> region_tables;    // region-level tables holding characteristics
};

struct VariationResult {
  v1::AnalysisResult analysis;
  std::vector<std::string> warnings;
};

/// For every outcome present: the random-intercept decomposition (fit_random_intercept)
/// and, with fixed_effects, the model with those characteristics; then, for every
/// outcome and characteristic, the association of the region means (mean of the
/// outcome over the region's units) with the characteristic: a difference of means
/// for a characteristic with two values (0/1, or two categories: second minus first),
/// else Spearman's rho (categories in their listed order), with permutation p; Holm and
/// Benjamini-Hochberg over every tested association. An outcome or association that
/// cannot be estimated is kept with fitted/tested false and the reason in `note`
/// (no NaN reaches the result). Errors: no partition; a characteristic or fixed effect
/// that no input table (nor the case descriptors) holds, named with what is available;
/// no outcome at all among the inputs. Complexity: that of the fits and tests.
Expected<VariationResult> analyse_variation(const DatasetIndex& index, const VariationInputs& inputs,
                                            const VariationOptions& options);

}  // namespace bre::analysis
