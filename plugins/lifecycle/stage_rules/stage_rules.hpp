// Life-cycle stage of a region from its case descriptors (DOMAIN.md §8): the decision
// between stages, evidence, confidence, development directions and recommendations,
// all driven by a rule table (rule_table.hpp; the built-in one is default_rules.json).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bre/language.hpp"
#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"
#include "rule_table.hpp"

namespace bre::lifecycle {

/// The outcome of a condition or criterion. UNKNOWN is never read as NOT_MET.
enum class Verdict { kUnknown, kNotMet, kPartial, kMet };

/// The value of an enum descriptor of `c` as its short lower-case name ("yes",
/// "ad_hoc"); "unknown" for value 0. Errors: no such field (kNotFound), not a
/// descriptor (kInvalidArgument). See bre/import/cases.hpp.
Expected<std::string> descriptor_value(const v1::CaseDescriptors& c, std::string_view descriptor);

/// met when the descriptor's value is listed in `met`, partly met when in `partial`,
/// unknown when the descriptor is unknown, else not met. O(values listed).
Verdict evaluate(const Condition& condition, const v1::CaseDescriptors& c);
/// Kleene "or" over the criterion's conditions: met if any is met, else partly met if
/// any is, else unknown if any is, else not met. O(conditions).
Verdict evaluate(const Criterion& criterion, const v1::CaseDescriptors& c);

/// Classifies one case (DOMAIN.md §8) by `rules` (stages in order of development:
/// base = meeting place, then start-up, then running system).
/// support(stage) = (met + 0.5 partly met deciding criteria of the stage) / number of
/// its deciding criteria (all but the evidence-only ones); unknown and not met count
/// 0. A stage "holds" when none of its deciding criteria is known not to be met, its
/// required criteria are known (met or partly met), and support >= rules.minimum_support.
/// 1. all decisive descriptors unknown -> undecided;
/// 2. the highest stage that holds, searched from the top down to the second;
/// 3. else the base stage when some deciding criterion of the second stage is known
///    not to be met (the meeting place is the stage without the start-up's basics);
/// 4. else undecided (the second stage neither holds nor is refuted: too much is
///    unknown).
/// confidence = support(assigned stage) * rules.evidence_factor^(1 - credit) over its
/// known evidence-only criteria (credit 1 met, 0.5 partly met, 0 not met) *
/// rules.contradiction_factor^(contradictions present); 0 when undecided.
/// Evidence: every criterion of the assigned stage (supports = met or partly met);
/// the deciding criteria of the next stage up that are not met or unknown (supports = known
/// not met: why the region is not further); one line per contradiction (supports =
/// false). Undecided: the second stage's criteria, none supporting.
/// Directions: those of the assigned stage, in table order, each with the signals that
/// are met ("descriptor=value"). Recommendations: the stage's, then those for all.
/// missing_descriptors: the rules' stage descriptors that are unknown (decisive ones
/// first, then in table order, each once).
/// partition_region_id is left empty (see classify_cases). O(size of the table).
v1::LifecycleAssessment assess_case(const RuleTable& rules, const v1::CaseDescriptors& c);

struct StageRulesOptions {
  /// Below this confidence the stage is kept but a warning is added; in [0, 1].
  double min_confidence = 0.5;
  /// Of the warnings: the run's. Assessments carry both languages (text_nl, text_en).
  Language language = Language::kDutch;
};

struct StageRulesResult {
  v1::LifecycleResult lifecycle;
  std::vector<std::string> warnings;
};

/// Assesses every case of the dataset by `rules`, in dataset order. With a partition,
/// each assessment's partition_region_id is the region holding most of the case's
/// municipality_codes (ties: lowest region index; empty without overlap). The result
/// names the rule table ("name version"). Warnings: no cases, undecided cases,
/// confidence below min_confidence, case municipality codes unknown to the dataset,
/// cases without overlap with the partition.
/// Errors: min_confidence outside [0, 1], the errors of membership_of.
/// O(cases * (size of the table + |municipalities of the case|)).
Expected<StageRulesResult> classify_cases(const DatasetIndex& index, const v1::Partition* partition,
                                          const RuleTable& rules, const StageRulesOptions& options);

}  // namespace bre::lifecycle
