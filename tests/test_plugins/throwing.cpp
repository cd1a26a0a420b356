// A plugin whose constructor throws: the host must report it and carry on.
#include <stdexcept>

#include "test_plugin_base.hpp"

namespace {
class Throwing : public bre::Plugin {
 public:
  Throwing() { throw std::runtime_error("constructor failed on purpose"); }
  bre::v1::PluginDescription describe() const override { return bre::test::test_description("test.throwing"); }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts&) const override { return bre::Status::ok(); }
};
}  // namespace

BRE_PLUGIN(Throwing)
