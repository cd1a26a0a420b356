// Describes itself with an invalid name and a default outside its own range.
#include "test_plugin_base.hpp"

namespace {
class BadDescription : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    auto d = bre::test::test_description("test.bad_description");
    *d.add_parameters() = bre::double_param("resolution", 5.0, 0.0, 1.0, "default outside its range");
    return d;
  }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts&) const override { return bre::Status::ok(); }
};
}  // namespace

BRE_PLUGIN(BadDescription)
