// indicator.biotope: area characteristics per region of the input partition
// (DOMAIN.md §4). The statistics are computed in biotope.cpp.
#include <string>

#include "biotope.hpp"
#include "bre/params.hpp"
#include "bre/plugin.hpp"

namespace {

class BiotopePlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    bre::v1::PluginDescription d;
    d.set_name("indicator.biotope");
    d.set_kind(bre::v1::PLUGIN_KIND_INDICATOR);
    d.set_version("1.0.0");
    d.set_summary(
        "Biotope per region (DOMAIN.md §4): population-weighted mean, min, max and CV of every area "
        "indicator against the national reference, within- vs between-region spread, theme scores and "
        "mirrored-theme flags.");
    *d.add_parameters() = bre::int_param("year", 0, 0, 9999, "Year of the indicator values; 0 = the latest year.");
    *d.add_parameters() = bre::double_param(
        "mirror_threshold", 0.5, 0.01, 10.0,
        "Theme scores (national SDs) a region must reach, one >= +t and its mirror <= -t, to be flagged.");
    d.add_consumes(bre::v1::ARTIFACT_KIND_PARTITION);
    d.add_produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
    bre::v1::Capabilities* caps = d.mutable_capabilities();
    caps->set_uses_weights(true);
    caps->set_deterministic_per_seed(true);
    caps->set_thread_safe(true);
    return d;
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string where = "step '" + context.step_id() + "'";
    const bre::v1::Partition* partition = context.input_partition();
    if (partition == nullptr) {
      return bre::failed_precondition(where + ": indicator.biotope needs a partition from an input step, found none");
    }
    bre::indicator::BiotopeParameters parameters;
    parameters.year = static_cast<int>(context.params().get_int("year"));
    parameters.mirror_threshold = context.params().get_double("mirror_threshold");
    bre::indicator::Biotope biotope(context.dataset(), *partition, parameters);
    BRE_RETURN_IF_ERROR(biotope.run().with_context(where));
    *out.add_tables() = biotope.table();
    *out.add_tables() = biotope.spread_table();
    for (const std::string& warning : biotope.warnings()) out.add_warnings(where + ": " + warning);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(BiotopePlugin)
