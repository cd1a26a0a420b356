// Life-cycle stage of a region from its case descriptors (DOMAIN.md §8): a rule table
// per stage, the decision between stages, development directions and recommendations.
//
// The rules are plain data (the tables in stage_rules.cpp, reachable through the
// accessors below) so that a later version can load them from a file: a criterion
// names CaseDescriptors fields and the enum values that meet it, written as the value
// name without its type prefix, in lower case ("yes", "integral", "ad_hoc").
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::lifecycle {

/// A test on one descriptor. `met` and `partial` list values separated by '|'.
/// An empty descriptor means "no condition" (the unused alternative of a criterion).
struct Condition {
  std::string_view descriptor;
  std::string_view met;
  std::string_view partial;
};

/// The outcome of a condition or criterion. UNKNOWN is never read as NOT_MET.
enum class Verdict { kUnknown, kNotMet, kPartial, kMet };

/// One criterion of a stage: `condition`, or else `alternative` when that is given
/// (met if either is met; else partly met if either is; else unknown if either is
/// unknown; else not met).
struct Criterion {
  std::string_view id;
  Condition condition;
  Condition alternative;
  /// A required criterion must be known to be met (or partly met) for the stage to
  /// be assigned; an optional one may be unknown (it lowers the support).
  bool required;
  std::string_view text_en;
  std::string_view text_nl;
};

struct StageRule {
  v1::Stage stage;
  std::string_view label_en;
  std::string_view label_nl;
  std::span<const Criterion> criteria;
};

/// Two descriptor values that the stage model says do not go together. Both
/// conditions must be met for the contradiction to apply.
struct Contradiction {
  Condition first;
  Condition second;
  std::string_view text_en;
  std::string_view text_nl;
};

struct DirectionRule {
  v1::Stage stage;
  std::string_view id;  // "stay", "develop_further", "fall_back", "recalibrate", "stop"
  std::string_view label_en;
  std::string_view label_nl;
};

/// A descriptor value (condition met) that points a region in `stage` towards
/// direction `direction`.
struct DirectionSignal {
  v1::Stage stage;
  std::string_view direction;
  Condition condition;
};

/// A recommendation for `stage` (STAGE_UNDECIDED: for undecided cases), or for every
/// case, undecided ones included, when `all_stages` is set.
struct RecommendationRule {
  bool all_stages;
  v1::Stage stage;
  std::string_view text_en;
  std::string_view text_nl;
};

// The rule tables (static, immutable; see stage_rules.cpp).
std::span<const StageRule> stage_rules();  // meeting place, start-up, running system
const StageRule* find_stage_rule(v1::Stage stage);  // nullptr for STAGE_UNDECIDED
std::span<const std::string_view> decisive_descriptors();
std::span<const Contradiction> contradictions();
std::span<const DirectionRule> direction_rules();
std::span<const DirectionSignal> direction_signals();
std::span<const RecommendationRule> recommendation_rules();

/// Each contradiction found multiplies the confidence by this factor.
inline constexpr double kContradictionFactor = 0.75;
/// Start-up and running system need at least this support (credit share, see
/// assess_case) besides no criterion known to fail: unknowns may lower it, but a stage
/// is not assigned on a minority of its criteria.
inline constexpr double kMinimumSupport = 0.5;

/// Checks the tables against CaseDescriptors: every descriptor is an enum field whose
/// value 0 is *_UNKNOWN, every listed value exists in that enum, every signal's
/// direction exists for its stage. O(size of the tables).
Status validate_rules();

/// The value of an enum descriptor of `c` as its short lower-case name ("yes",
/// "ad_hoc"); "unknown" for value 0. Errors: no such field, not an enum.
Expected<std::string> descriptor_value(const v1::CaseDescriptors& c, std::string_view descriptor);

Verdict evaluate(const Condition& condition, const v1::CaseDescriptors& c);
Verdict evaluate(const Criterion& criterion, const v1::CaseDescriptors& c);

/// Classifies one case (DOMAIN.md §8). support(stage) = (met + 0.5 partly met
/// criteria of the stage) / number of its criteria; unknown and not met count 0.
/// A stage "holds" when none of its criteria is known not to be met, its required
/// criteria (consensus_why) are met, and support >= kMinimumSupport.
/// 1. all decisive descriptors (consensus_why, shared_vision) unknown -> undecided;
/// 2. running system when it holds;
/// 3. else start-up when it holds;
/// 4. else meeting place when some start-up criterion is known not to be met (the
///    meeting place is the stage without the start-up's basics);
/// 5. else undecided (start-up neither holds nor is refuted: too much is unknown).
/// confidence = support(assigned stage) * kContradictionFactor^(contradictions
/// present); 0 when undecided.
/// Evidence: every criterion of the assigned stage (supports = met or partly met);
/// the criteria of the next stage up that are not met or unknown (supports = known
/// not met: why the region is not further); one line per contradiction (supports =
/// false). Undecided: the start-up criteria, none supporting.
/// missing_descriptors: the rules' descriptors that are unknown, in table order.
/// partition_region_id is left empty (see classify_cases). O(size of the tables).
v1::LifecycleAssessment assess_case(const v1::CaseDescriptors& c);

struct StageRulesOptions {
  /// Below this confidence the stage is kept but a warning is added; in [0, 1].
  double min_confidence = 0.5;
};

struct StageRulesResult {
  v1::LifecycleResult lifecycle;
  std::vector<std::string> warnings;
};

/// Assesses every case of the dataset, in dataset order. With a partition, each
/// assessment's partition_region_id is the region holding most of the case's
/// municipality_codes (ties: lowest region index; empty without overlap). Warnings:
/// no cases, undecided cases, confidence below min_confidence, case municipality codes
/// unknown to the dataset, cases without overlap with the partition.
/// Errors: invalid rule tables (internal), min_confidence outside [0, 1], the errors
/// of membership_of. O(cases * (rules + |municipalities of the case|)).
Expected<StageRulesResult> classify_cases(const DatasetIndex& index, const v1::Partition* partition,
                                          const StageRulesOptions& options);

}  // namespace bre::lifecycle
