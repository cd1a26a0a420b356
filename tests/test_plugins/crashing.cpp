// Misbehaves on purpose: writes to an unmapped address in run(), so the process that
// runs it dies of SIGSEGV. Only an isolated step can survive it (the isolation tests).
// Not address 0: UBSan's null check would report that first and exit in sanitizer builds.
#include <cstdint>

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
    auto* nowhere = reinterpret_cast<volatile int*>(std::uintptr_t{64});  // the first page is never mapped
    *nowhere = 42;
    out.add_tables()->set_name("unreachable");
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(Crashing)
