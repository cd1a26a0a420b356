// Exports the bre symbols by hand with the API version given at compile time, to
// test the host's handshake. A real plugin uses BRE_PLUGIN instead.
#include "test_plugin_base.hpp"

namespace {
class WrongVersion : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override { return bre::test::test_description("test.wrong_version"); }
  bre::Status run(const bre::StepContext&, bre::v1::Artifacts&) const override { return bre::Status::ok(); }
};
}  // namespace

extern "C" BOOST_SYMBOL_EXPORT const bre::ApiVersion bre_plugin_api_version;
extern "C" const bre::ApiVersion bre_plugin_api_version = {TEST_API_MAJOR, TEST_API_MINOR};
namespace test_export {
std::unique_ptr<bre::Plugin> create() { return std::make_unique<WrongVersion>(); }
}  // namespace test_export
BOOST_DLL_ALIAS(test_export::create, bre_create_plugin)
