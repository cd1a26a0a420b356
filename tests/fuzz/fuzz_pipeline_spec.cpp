// A pipeline spec (JSON): parse_pipeline_spec, then validate_pipeline against a host
// with the built-in plugins, loaded once per process.
#include "bre/host.hpp"
#include "bre/pipeline.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  // Never destroyed: the plugins stay loaded until the leak check at exit, which can
  // then name what a plugin allocated.
  static const PluginHost& host = [] () -> const PluginHost& {
    auto* loaded = new PluginHost;
    fuzz::require(load_standard_plugins(*loaded, {}).is_ok(), "the built-in plugin directory loads");
    fuzz::require(!loaded->plugins().empty(), "the built-in plugins are there (build fuzz_builtin_plugins)");
    return *loaded;
  }();
  const std::string file = "pipeline.json";
  auto spec = parse_pipeline_spec(std::string(reinterpret_cast<const char*>(data), size), file);
  if (!spec) {
    fuzz::require_error_names(spec.status(), file);
    return 0;
  }
  auto pipeline = validate_pipeline(*spec, host);
  if (!pipeline) {
    fuzz::require(!pipeline.status().message().empty(), "a rejected pipeline says why");
  }
  return 0;
}
