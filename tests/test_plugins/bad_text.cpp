// Produces a region name that is not UTF-8 (Latin-1 "Súdwest"): the engine must fail
// the step instead of writing a result file protobuf cannot read back.
#include "test_plugin_base.hpp"

namespace {
class BadText : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override { return bre::test::test_description("test.bad_text"); }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts& out) const override {
    auto* table = out.add_tables();
    table->set_name("t");
    table->add_rows()->set_region_name("S\xfa" "dwest");
    return bre::Status::ok();
  }
};
}  // namespace

BRE_PLUGIN(BadText)
