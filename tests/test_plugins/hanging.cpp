// Misbehaves on purpose: never returns and never looks at the cancel flag. Only a child
// process with a time limit ends it (the isolation tests). It sleeps rather than spins,
// so a test waiting on it costs no CPU.
#include <chrono>
#include <thread>

#include "test_plugin_base.hpp"

namespace {

class Hanging : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.hanging");
    d.mutable_capabilities()->set_thread_safe(true);
    return d;
  }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts&) const override {
    while (true) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
};

}  // namespace

BRE_PLUGIN(Hanging)
