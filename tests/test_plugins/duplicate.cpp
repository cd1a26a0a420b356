// Claims the name of a built-in plugin: the host must refuse the second one.
#include "test_plugin_base.hpp"

namespace {
class Duplicate : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("region.provinces");
    d.set_kind(bre::v1::PLUGIN_KIND_REGION_DEFINITION);
    return d;
  }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts&) const override { return bre::Status::ok(); }
};
}  // namespace

BRE_PLUGIN(Duplicate)
