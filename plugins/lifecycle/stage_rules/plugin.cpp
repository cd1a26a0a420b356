// lifecycle.stage_rules: the life-cycle stage of each case region (meeting place,
// start-up, running system) from its case descriptors, with evidence, development
// directions and recommendations (DOMAIN.md §8). The rules are a table: the built-in
// default_rules.json, or a department's own file given as the `rules` parameter.
#include <string>
#include <utility>

#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "stage_rules.hpp"

namespace {

class StageRulesPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("lifecycle.stage_rules");
    d.set_kind(bre::v1::PLUGIN_KIND_LIFECYCLE);
    d.set_version("1.1.0");
    d.set_summary(
        "Life-cycle stage (meeting place, start-up, running system) of each case from its "
        "descriptors, with evidence, directions and recommendations (DOMAIN.md §8).");
    *d.add_parameters() = bre::double_param(
        "min_confidence", 0.5, 0.0, 1.0,
        "Confidence (share of the stage's criteria met, 0-1) below which a warning is added; "
        "the stage is kept.");
    *d.add_parameters() = bre::string_param(
        "rules", "", {},
        "Path of a life-cycle rule table (JSON, docs/lifecycle-rules.md) to use instead of the "
        "built-in one; empty = built-in (DOMAIN.md §8).");
    // No `consumes`: a partition is optional. When an input step provides one, each
    // assessment names the partition region that overlaps its case most.
    d.add_produces(bre::v1::ARTIFACT_KIND_LIFECYCLE);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(false);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    bre::lifecycle::StageRulesOptions options;
    options.min_confidence = context.params().get_double("min_confidence");
    const std::string& rules_path = context.params().get_string("rules");
    bre::Expected<bre::lifecycle::RuleTable> rules =
        rules_path.empty() ? bre::lifecycle::default_rule_table() : bre::lifecycle::read_rule_table(rules_path);
    if (!rules) {
      return rules.status().with_context("step '" + context.step_id() + "': parameter 'rules'");
    }
    bre::Expected<bre::lifecycle::StageRulesResult> result = bre::lifecycle::classify_cases(
        context.dataset(), context.input_partition(), *rules, options);
    if (!result) return result.status().with_context("step '" + context.step_id() + "'");
    *out.add_lifecycle() = std::move(result->lifecycle);
    for (std::string& warning : result->warnings) {
      out.add_warnings(std::move(warning));
    }
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(StageRulesPlugin)
