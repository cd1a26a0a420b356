// Misbehaves on purpose: dereferences a null pointer in run(), so the process that runs
// it dies of SIGSEGV. Only an isolated step can survive it (the isolation tests).
#include "test_plugin_base.hpp"

namespace {

class Crashing : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.crashing");
    d.mutable_capabilities()->set_thread_safe(true);
    return d;
  }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts& out) const override {
    volatile int* nowhere = nullptr;
    *nowhere = 42;
    out.add_tables()->set_name("unreachable");
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(Crashing)
