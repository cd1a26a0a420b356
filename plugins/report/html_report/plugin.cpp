// report.html: the run's report as one self-contained HTML file (bre/report/html_report.hpp).
// It reads the steps it lists as inputs, so a pipeline's last step names them all.
#include <string>

#include "bre/language.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"
#include "bre/report/html_report.hpp"

namespace {

constexpr const char* kPluginName = "report.html";

class HtmlReportPlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_REPORT, "1.0.0",
               "The report a policy analyst reads: maps, a card per region with its indicators, legitimacy and "
               "life-cycle stage, comparisons and methods, as one self-contained HTML file.")
        .parameter(bre::string_param(
            "partition", "", {},
            "Input step whose partition the region cards follow; empty = the first clustering among the inputs."))
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_DOCUMENT);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = bre::step_where(context);
    // The report sees the run as far as its inputs go: their results and the manifest.
    bre::v1::RunResult run;
    if (context.manifest() != nullptr) *run.mutable_manifest() = *context.manifest();
    for (const auto& input : context.inputs()) {
      auto* step = run.add_steps();
      step->set_step_id(input.step_id);
      step->set_status(bre::v1::STEP_STATUS_SUCCEEDED);
      *step->mutable_artifacts() = *input.artifacts;
    }
    bre::report::ReportOptions options;
    options.language = bre::run_language(context);  // the language the run's plugins wrote in
    options.partition_step = context.params().get_string("partition");
    auto html = bre::report::render_html_report(run, context.dataset(), options);
    if (!html) return html.status().with_context(where);
    auto* document = out.add_documents();
    document->set_name("report.html");
    document->set_media_type("text/html");
    document->set_title(context.manifest() != nullptr ? "bre report: " + context.manifest()->pipeline().name()
                                                      : "bre report");
    document->set_content(std::move(*html));
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(HtmlReportPlugin)
