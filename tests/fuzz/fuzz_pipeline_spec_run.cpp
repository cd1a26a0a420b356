// A pipeline spec (JSON) run end to end: parse_pipeline_spec and validate_pipeline
// against the built-in plugins, then, for a valid spec, run_pipeline in process on
// the demo dataset cut to one province (tests/fuzz/seeds/pipeline_run/demo_pv23.pb,
// 14 municipalities: the whole demo takes seconds per run under the sanitizers).
// Isolation is cleared from the spec (child processes are the isolation tests' part);
// every step is asked to stop after 5 s, so a spec asking for 10^5 ensemble members
// costs seconds, not a timeout.
#include "bre/dataset.hpp"
#include "pipeline_fixture.hpp"

namespace {

const bre::v1::Dataset& demo_province() {
  static const bre::v1::Dataset dataset = [] {
    const std::string path = "tests/fuzz/seeds/pipeline_run/demo_pv23.pb";
    auto parsed = bre::parse_dataset(bre::fuzz::source_file(path), path, bre::DatasetFormat::kBinary);
    bre::fuzz::require(parsed.has_value() && bre::check_dataset(*parsed).is_ok(), path + " is a valid dataset");
    return std::move(parsed.value());
  }();
  return dataset;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::use_one_thread();
  const v1::Dataset& dataset = demo_province();
  const std::string file = "pipeline.json";
  auto spec = parse_pipeline_spec(std::string(reinterpret_cast<const char*>(data), size), file);
  if (!spec) {
    fuzz::require_error_names(spec.status(), file);
    return 0;
  }
  for (auto& step : *spec->mutable_steps()) step.clear_isolation();
  auto validated = validate_pipeline(*spec, fuzz::builtin_host());
  if (!validated) {
    fuzz::require(!validated.status().message().empty(), "a rejected pipeline says why");
    return 0;
  }
  fuzz::run_and_check(*validated, dataset);
  return 0;
}
