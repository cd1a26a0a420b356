// A pipeline spec (JSON): parse_pipeline_spec, then validate_pipeline against a host
// with the built-in plugins, loaded once per process.
#include "pipeline_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  const PluginHost& host = fuzz::builtin_host();
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
