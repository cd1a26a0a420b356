// Takes a given wall time, checking the cancel flag every 10 ms like a long-running
// algorithm should: the service tests cancel it, let its deadline pass and kill the
// server while it runs. It can also report progress first, as often and as oddly as
// the service's event limits must withstand (done past total included).
#include <chrono>
#include <thread>

#include "test_plugin_base.hpp"

namespace {

class Sleeping : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.sleeping");
    d.mutable_capabilities()->set_thread_safe(true);
    *d.add_parameters() = bre::double_param("seconds", 1.0, 0.0, 600.0, "wall time to take, in seconds");
    *d.add_parameters() =
        bre::int_param("progress_reports", 0, 0, 1000000, "progress reports first: done = 1, 2, ... this many");
    *d.add_parameters() = bre::int_param("progress_total", 0, 0, 1000000,
                                         "the total each report names (0: progress_reports)");
    return d;
  }
  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const auto reports = static_cast<std::uint64_t>(context.params().get_int("progress_reports"));
    const auto total = static_cast<std::uint64_t>(context.params().get_int("progress_total"));
    for (std::uint64_t done = 1; done <= reports; ++done) context.report_progress(done, total == 0 ? reports : total);
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(context.params().get_double("seconds")));
    while (std::chrono::steady_clock::now() < until) {
      if (context.cancelled()) return {bre::StatusCode::kCancelled, "cancelled while sleeping"};
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    out.add_tables()->set_name("slept");
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(Sleeping)
