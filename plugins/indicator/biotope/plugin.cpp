// indicator.biotope: area characteristics per region of the input partition
// (DOMAIN.md §4). The statistics are computed in biotope.cpp.
#include <cstdint>

#include "biotope.hpp"
#include "bre/parameter_decl.hpp"
#include "bre/plugin.hpp"
#include "bre/plugin_helpers.hpp"

namespace {

constexpr const char* kPluginName = "indicator.biotope";
constexpr bre::ParameterDecl<std::int64_t> kYear{"year", 0, 0, 9999, "Year of the indicator values; 0 = the latest year."};
constexpr bre::ParameterDecl<double> kMirrorThreshold{
    "mirror_threshold", 0.5, 0.01, 10.0,
    "Theme scores (national SDs) a region must reach, one >= +t and its mirror <= -t, to be flagged."};

class BiotopePlugin final : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(
               kPluginName, bre::v1::PLUGIN_KIND_INDICATOR, "1.0.0",
               "Biotope per region (DOMAIN.md §4): population-weighted mean, min, max and CV of every area "
               "indicator against the national reference, within- vs between-region spread, theme scores and "
               "mirrored-theme flags.")
        .parameter(kYear.spec())
        .parameter(kMirrorThreshold.spec())
        .consumes(bre::v1::ARTIFACT_KIND_PARTITION)
        .produces(bre::v1::ARTIFACT_KIND_INDICATOR_TABLE)
        .uses_weights();
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    bre::Expected<const bre::v1::Partition*> partition = bre::require_input_partition(context, kPluginName);
    if (!partition) return partition.status();
    bre::indicator::BiotopeParameters parameters;
    parameters.year = static_cast<int>(kYear.read(context.params()));
    parameters.mirror_threshold = kMirrorThreshold.read(context.params());
    parameters.language = bre::run_language(context);
    bre::indicator::Biotope biotope(context.dataset(), **partition, parameters);
    BRE_RETURN_IF_ERROR(biotope.run().with_context(bre::step_where(context)));
    *out.add_tables() = biotope.table();
    *out.add_tables() = biotope.spread_table();
    bre::add_step_warnings(context, biotope.warnings(), out);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(BiotopePlugin)
