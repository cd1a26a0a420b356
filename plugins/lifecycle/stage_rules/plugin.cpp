// lifecycle.stage_rules: the life-cycle stage of each case region (meeting place,
// start-up, running system) from its case descriptors, with evidence, development
// directions and recommendations (DOMAIN.md §8). The rules are a table: the built-in
// default_rules.json, or a department's own file given as the `rules` parameter.
#include <string>
#include <utility>

#include "bre/parameter_decl.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "stage_rules.hpp"

namespace {

constexpr bre::ParameterDecl<double> kMinConfidence{
    "min_confidence", 0.5, 0.0, 1.0,
    "Confidence (share of the stage's criteria met, 0-1) below which a warning is added; the stage is kept."};

class StageRulesPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    // No `consumes`: a partition is optional. When an input step provides one, each
    // assessment names the partition region that overlaps its case most.
    return bre::describe_plugin(
               "lifecycle.stage_rules", bre::v1::PLUGIN_KIND_LIFECYCLE, "1.1.0",
               "Life-cycle stage (meeting place, start-up, running system) of each case from its "
               "descriptors, with evidence, directions and recommendations (DOMAIN.md §8).")
        .parameter(kMinConfidence.spec())
        .parameter(bre::string_param(
            "rules", "", {},
            "Path of a life-cycle rule table (JSON, docs/lifecycle-rules.md) to use instead of the "
            "built-in one; empty = built-in (DOMAIN.md §8)."))
        .produces(bre::v1::ARTIFACT_KIND_LIFECYCLE);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    bre::lifecycle::StageRulesOptions options;
    options.min_confidence = kMinConfidence.read(context.params());
    options.language = bre::run_language(context);
    const std::string& rules_path = context.params().get_string("rules");
    bre::Expected<bre::lifecycle::RuleTable> rules =
        rules_path.empty() ? bre::lifecycle::default_rule_table() : bre::lifecycle::read_rule_table(rules_path);
    if (!rules) {
      return rules.status().with_context(bre::step_where(context) + ": parameter 'rules'");
    }
    bre::Expected<bre::lifecycle::StageRulesResult> result = bre::lifecycle::classify_cases(
        context.dataset(), context.input_partition(), *rules, options);
    if (!result) return result.status().with_context(bre::step_where(context));
    *out.add_lifecycle() = std::move(result->lifecycle);
    bre::add_step_warnings(context, result->warnings, out);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(StageRulesPlugin)
