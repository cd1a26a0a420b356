// Misbehaves on purpose: writes outside its output. It overwrites the read-only dataset
// and its input step's artifacts (through const_cast), prints to standard output, and
// creates a file in the working directory. A child process keeps all of it away from
// the host's dataset, the other steps, the CLI's output and the caller's directory.
#include <cstdio>
#include <fstream>

#include "test_plugin_base.hpp"

namespace {

class WritingOutside : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.writing_outside");
    d.mutable_capabilities()->set_thread_safe(true);
    return d;
  }
  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    auto& dataset = const_cast<bre::v1::Dataset&>(context.dataset().dataset());
    for (auto& municipality : *dataset.mutable_municipalities()) municipality.set_name("overwritten");
    dataset.clear_arrangements();
    for (const auto& input : context.inputs()) const_cast<bre::v1::Artifacts*>(input.artifacts)->Clear();
    std::printf("{\"written by\": \"test.writing_outside\"}\n");
    std::fflush(stdout);
    std::ofstream("written_by_test_plugin.txt") << "a file outside the step's output\n";
    out.add_tables()->set_name("wrote_outside");
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(WritingOutside)
