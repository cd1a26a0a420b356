// The life-cycle rule table (DOMAIN.md §8) as data: which descriptor values make a
// region a meeting place, a start-up or a running system, which signals point to each
// development direction, and the recommendations per stage. The built-in table is
// default_rules.json in this folder, embedded at build time; a department passes its
// own table as the plugin's `rules` parameter. The format is documented in
// docs/lifecycle-rules.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::lifecycle {

/// A test on one CaseDescriptors enum field. Values are the enum value names without
/// their type prefix, in lower case ("yes", "integral", "ad_hoc").
struct Condition {
  std::string descriptor;
  std::vector<std::string> met;
  std::vector<std::string> partial;
};

/// One criterion of a stage: met when any of its conditions is met (Kleene "or", with
/// "partly met" between not met and met; unknown only when no condition decides).
struct Criterion {
  std::string id;
  std::vector<Condition> any_of;
  /// A required criterion must be known to be met (or partly met) for the stage.
  bool required = false;
  /// Evidence only: never decides whether the stage holds (no veto, not in its
  /// support); a stage assigned with it not met, or partly met, gets a lower
  /// confidence (RuleTable::evidence_factor). Not together with `required`.
  bool evidence_only = false;
  std::string text_en;
  std::string text_nl;
};

struct StageRule {
  v1::Stage stage = v1::STAGE_UNDECIDED;
  std::string label_en;
  std::string label_nl;
  std::vector<Criterion> criteria;
};

/// Two conditions the stage model says do not go together; applies when both are met.
struct Contradiction {
  Condition first;
  Condition second;
  std::string text_en;
  std::string text_nl;
};

/// A development direction from a stage, with the descriptor values that point to it.
struct DirectionRule {
  v1::Stage stage = v1::STAGE_UNDECIDED;
  std::string id;
  std::string label_en;
  std::string label_nl;
  std::vector<Condition> signals;
};

/// A recommendation for one stage (STAGE_UNDECIDED: for undecided cases), or for
/// every case when `all_stages` is set.
struct RecommendationRule {
  bool all_stages = false;
  v1::Stage stage = v1::STAGE_UNDECIDED;
  std::string text_en;
  std::string text_nl;
};

/// A validated rule table. `stages` holds meeting place, start-up and running system,
/// in that order (the order of development the classifier relies on).
struct RuleTable {
  std::string name;
  std::string version;
  std::string description;
  /// A start-up or running system needs at least this support (credit share, 0-1).
  double minimum_support = 0.5;
  /// Each contradiction found multiplies the confidence by this factor (0-1).
  double contradiction_factor = 0.75;
  /// Each evidence-only criterion of the assigned stage multiplies the confidence by
  /// this factor when not met, by its square root when partly met (0-1).
  double evidence_factor = 0.75;
  /// When all of these are unknown the case is undecided.
  std::vector<std::string> decisive_descriptors;
  std::vector<StageRule> stages;
  std::vector<Contradiction> contradictions;
  std::vector<DirectionRule> directions;
  std::vector<RecommendationRule> recommendations;

  /// The rule of `stage`, or nullptr (STAGE_UNDECIDED). O(stages).
  const StageRule* find_stage(v1::Stage stage) const;
};

/// Parses and validates a rule table from JSON text. Every error names `source_name`,
/// the JSON path ("stages[1].criteria[2].any_of[0].descriptor"), what was expected and
/// what was found: JSON syntax, an unknown or missing key, a wrong type, an unknown
/// stage, an unknown descriptor field (not a single enum field of CaseDescriptors), a
/// value that field does not have, a number outside its range, a stage listed twice
/// or missing, a direction named twice for one stage. O(size of the text).
Expected<RuleTable> parse_rule_table(const std::string& json, const std::string& source_name);

/// Reads and parses a rule table file (see parse_rule_table); errors name the path.
Expected<RuleTable> read_rule_table(const std::string& path);

/// The built-in table's JSON text (default_rules.json as it was at build time).
std::string_view default_rule_table_json();

/// The built-in table, parsed. An error here is a build defect (kInternal).
Expected<RuleTable> default_rule_table();

}  // namespace bre::lifecycle
