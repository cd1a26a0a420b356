// Declares itself not thread-safe and detects overlapping calls: the engine must run
// its steps one at a time. (A counter shared between calls is exactly what such a
// plugin might have; it is the point of the test.)
#include <atomic>
#include <chrono>
#include <thread>

#include "test_plugin_base.hpp"

namespace {
std::atomic<int> calls_in_progress{0};

class NotThreadSafe : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.not_thread_safe");
    d.mutable_capabilities()->set_thread_safe(false);
    return d;
  }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts& out) const override {
    const int concurrent = ++calls_in_progress;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    --calls_in_progress;
    if (concurrent > 1) return bre::internal_error("entered while another call was running");
    out.add_tables()->set_name("t");
    return bre::Status::ok();
  }
};
}  // namespace

BRE_PLUGIN(NotThreadSafe)
