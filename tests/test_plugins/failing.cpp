// Always fails its step with a status: dependents must be skipped, others run.
#include "test_plugin_base.hpp"

namespace {
class Failing : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.failing");
    d.clear_produces();
    d.add_produces(bre::v1::ARTIFACT_KIND_PARTITION);
    return d;
  }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts&) const override {
    return bre::failed_precondition("failing on purpose");
  }
};
}  // namespace

BRE_PLUGIN(Failing)
