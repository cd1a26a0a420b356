// Throws from run(): the engine must turn it into a failed step.
#include <stdexcept>

#include "test_plugin_base.hpp"

namespace {
class ThrowInRun : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override { return bre::test::test_description("test.throw_in_run"); }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts&) const override {
    throw std::runtime_error("run failed on purpose");
  }
};
}  // namespace

BRE_PLUGIN(ThrowInRun)
