// Misbehaves on purpose: calls std::abort() in run(), as a failed assertion in a plugin
// would. Only an isolated step can survive it (the isolation tests).
#include <cstdlib>

#include "test_plugin_base.hpp"

namespace {

class Aborting : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.aborting");
    d.mutable_capabilities()->set_thread_safe(true);
    return d;
  }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts&) const override { std::abort(); }
};

}  // namespace

BRE_PLUGIN(Aborting)
