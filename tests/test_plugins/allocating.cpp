// Misbehaves on purpose: allocates and touches memory in 16 MiB blocks without bound
// (up to `max_mib`, a safety net so a broken limit cannot take the test machine down).
// With `honour_cancel` it looks at the cancel flag between blocks, as a cooperative
// plugin would, which is how an in-process memory limit stops it.
#include <cstring>
#include <memory>
#include <vector>

#include "test_plugin_base.hpp"

namespace {

class Allocating : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.allocating");
    d.mutable_capabilities()->set_thread_safe(true);
    *d.add_parameters() = bre::int_param("max_mib", 8192, 16, 16384, "stop after this much, in MiB");
    *d.add_parameters() = bre::bool_param("honour_cancel", false, "look at the cancel flag between blocks");
    return d;
  }
  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    constexpr std::size_t kBlock = std::size_t{16} << 20;
    const auto blocks = static_cast<std::size_t>(context.params().get_int("max_mib")) / 16;
    const bool honour_cancel = context.params().get_bool("honour_cancel");
    std::vector<std::unique_ptr<char[]>> held;
    for (std::size_t b = 0; b < blocks; ++b) {
      if (honour_cancel && context.cancelled()) return {bre::StatusCode::kCancelled, "cancelled while allocating"};
      held.emplace_back(new char[kBlock]);
      std::memset(held.back().get(), static_cast<int>(b), kBlock);  // resident, not just reserved
    }
    out.add_tables()->set_name("allocated");
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(Allocating)
