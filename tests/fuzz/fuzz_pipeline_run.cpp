// A dataset in binary protobuf through the standard pipeline: parse_dataset and
// check_dataset, then, for a valid dataset, examples/pipelines/standard.json (with
// the fewest bootstrap resamples, 100) and the steps of
// tests/fuzz/pipelines/every_builtin_extra_steps.json, so every built-in plugin runs,
// in process, through the real engine. A valid dataset must never make a step crash,
// hang or invoke undefined behaviour: a step may only fail with a message.
#include "bre/dataset.hpp"
#include "pipeline_fixture.hpp"

namespace {

const bre::ValidatedPipeline& pipeline() {
  static const bre::ValidatedPipeline validated = [] {
    const bre::v1::PipelineSpec spec = bre::fuzz::every_builtin_pipeline_spec();
    auto checked = bre::validate_pipeline(spec, bre::fuzz::builtin_host());
    bre::fuzz::require(checked.has_value(), "the fuzzed pipeline validates: " + checked.status().message());
    return std::move(checked.value());
  }();
  return validated;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::use_one_thread();
  const ValidatedPipeline& validated = pipeline();
  const std::string file = "dataset.pb";
  auto dataset = parse_dataset(std::string_view(reinterpret_cast<const char*>(data), size), file,
                               DatasetFormat::kBinary);
  if (!dataset) {
    fuzz::require_error_names(dataset.status(), file);
    return 0;
  }
  if (!check_dataset(*dataset)) return 0;
  fuzz::run_and_check(validated, *dataset);
  return 0;
}
