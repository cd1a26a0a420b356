// What the pipeline targets share: a host with the built-in plugins, loaded once per
// process; specs and datasets of the source tree; and running a pipeline in process,
// one thread, checking the engine's contract on the result.
#pragma once

#include <tbb/global_control.h>

#include <cstdlib>
#include <string>

#include "bre/dataset.hpp"
#include "bre/host.hpp"
#include "bre/io.hpp"
#include "bre/pipeline.hpp"
#include "fuzz_support.hpp"

namespace bre::fuzz {

/// The built-in plugins. Never destroyed: the plugins stay loaded until the leak
/// check at exit, which can then name what a plugin allocated.
inline const PluginHost& builtin_host() {
  static const PluginHost& host = []() -> const PluginHost& {
    auto* loaded = new PluginHost;
    require(load_standard_plugins(*loaded, {}).is_ok(), "the built-in plugin directory loads");
    require(!loaded->plugins().empty(), "the built-in plugins are there (build fuzz_builtin_plugins)");
    return *loaded;
  }();
  return host;
}

/// Limits TBB to one thread for the rest of the process: the machine is shared, and
/// a finding reproduces.
inline void use_one_thread() {
  static const tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
}

/// A file of the source tree (BRE_SOURCE_DIR), which must be there.
inline std::string source_file(const std::string& relative_path) {
  auto text = read_file(std::string(BRE_SOURCE_DIR) + "/" + relative_path);
  require(text.has_value(), "the source tree has " + relative_path);
  return std::move(text.value());
}

/// A pipeline spec of the source tree, which must parse.
inline v1::PipelineSpec source_spec(const std::string& relative_path) {
  auto spec = parse_pipeline_spec(source_file(relative_path), relative_path);
  require(spec.has_value(), relative_path + " parses: " + spec.status().message());
  return std::move(spec.value());
}

/// examples/pipelines/standard.json with the fewest bootstrap resamples (100), followed
/// by the steps of tests/fuzz/pipelines/every_builtin_extra_steps.json: every built-in
/// plugin runs.
inline v1::PipelineSpec every_builtin_pipeline_spec() {
  v1::PipelineSpec spec = source_spec("examples/pipelines/standard.json");
  for (auto& step : *spec.mutable_steps()) {
    if (step.plugin() == "legitimacy.scale_scores") {
      (*step.mutable_params()->mutable_fields())["bootstrap_samples"].set_number_value(100);
    }
  }
  const v1::PipelineSpec extra = source_spec("tests/fuzz/pipelines/every_builtin_extra_steps.json");
  for (const auto& step : extra.steps()) *spec.add_steps() = step;
  return spec;
}

/// Runs `pipeline` on a dataset that passed check_dataset, in process, each step
/// asked to stop after 5 s. Whatever the input, the engine returns a result in which
/// every step succeeded, failed saying why, was skipped or cancelled, and which
/// serialises and reads back.
inline void run_and_check(const ValidatedPipeline& pipeline, const v1::Dataset& dataset) {
  RunOptions options;
  options.seed = 7;
  options.isolation = IsolationPolicy::kNone;
  options.step_limits.time_limit_seconds = 5;
  auto result = run_pipeline(pipeline, dataset, options);
  require(result.has_value(), "a valid dataset runs: " + result.status().message());
  require(result->steps_size() == pipeline.spec.steps_size(), "every step has a result");
  for (const auto& step : result->steps()) {
    switch (step.status()) {
      case v1::STEP_STATUS_SUCCEEDED: break;
      case v1::STEP_STATUS_FAILED:
      case v1::STEP_STATUS_SKIPPED:
      case v1::STEP_STATUS_CANCELLED:
        require(!step.error().empty(), "step '" + step.step_id() + "' did not succeed and does not say why");
        break;
      default: require(false, "step '" + step.step_id() + "' has no status");
    }
  }
  const std::string bytes = to_binary(*result);
  v1::RunResult again;
  require(again.ParseFromString(bytes) && to_binary(again) == bytes, "the result reads back to the same bytes");
}

}  // namespace bre::fuzz
