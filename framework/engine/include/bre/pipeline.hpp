// The pipeline engine: validates a PipelineSpec against the loaded plugins, then runs
// its steps as a DAG on TBB. Independent steps run in parallel; results are assembled
// in spec order, so the RunResult is byte-identical for any thread count.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "bre/dataset.hpp"
#include "bre/host.hpp"
#include "bre/isolation.hpp"
#include "bre/status.hpp"
#include "bre/v1/pipeline.pb.h"

namespace bre {

/// Limits of a pipeline spec, checked before anything runs (docs/input-limits.md).
struct PipelineLimits {
  /// Bytes of the spec, as JSON text and as a protobuf message. The standard
  /// pipeline is 3 KB.
  static constexpr std::size_t kMaxSpecBytes = 1 << 20;
  /// Steps per pipeline: each costs the host memory for its node, inputs and result
  /// whether it runs or not.
  static constexpr int kMaxSteps = 1000;
  /// Characters of a step id, which names output files (<id>.<table>.csv).
  static constexpr std::size_t kMaxStepIdLength = 64;
};

/// Reads a PipelineSpec from JSON (file or text): at most PipelineLimits::kMaxSpecBytes,
/// well-formed JSON nested at most kMaxJsonDepth deep, and of the spec's shape (an
/// object; "steps" an array of objects; a step's "inputs" an array of strings and
/// "params" an object, where protobuf's parser would take an object for an array).
/// Errors name the file, with line and column for syntax and shape, and the JSON
/// problem (syntax, unknown field, wrong type).
Expected<v1::PipelineSpec> read_pipeline_spec(const std::string& path);
Expected<v1::PipelineSpec> parse_pipeline_spec(const std::string& json, const std::string& source_name);

/// The pipeline a manifest records, with the parameters each step set explicitly
/// (defaulted ones are left to the plugin's default again, so the new manifest is
/// identical), so that running it with the manifest's seed on the dataset with the
/// manifest's hash reproduces the RunResult byte for byte.
v1::PipelineSpec spec_from_manifest(const v1::Manifest& manifest);

/// Checks that the loaded plugins are the ones a manifest was made with: for every
/// step, the same plugin version, and for every parameter the manifest records as
/// defaulted, the same default today. Otherwise a rerun could differ silently.
/// Errors name the step, the plugin and both versions or values.
Status check_manifest_plugins(const v1::Manifest& manifest, const PluginHost& host);

/// Progress of a run, for terminals and services.
struct StepEvent {
  enum class Kind { kStarted, kSucceeded, kFailed, kSkipped, kCancelled, kProgress };
  Kind kind;
  std::string step_id;
  std::string message;      // error text for kFailed, kSkipped and kCancelled
  double seconds = 0.0;     // wall time of the step, for finished steps
  std::uint64_t done = 0;   // kProgress: units of work done of `total` (the plugin's units)
  std::uint64_t total = 0;
};

struct RunOptions {
  std::uint64_t seed = 1;
  /// Called from worker threads; must be thread-safe. May be empty.
  std::function<void(const StepEvent&)> on_event;
  /// Set to true to cancel; running steps see it through StepContext::cancelled().
  const std::atomic<bool>* cancel = nullptr;
  /// When the caller has already validated the dataset (check_dataset) and computed
  /// its dataset_sha256, that hash: the run skips both (a service running many
  /// pipelines on one stored dataset). Empty: the run checks and hashes the dataset.
  std::string checked_dataset_sha256;
  /// Which steps run in a child process besides those that ask for one.
  IsolationPolicy isolation = IsolationPolicy::kNone;
  /// The host's step limits: the limit of a step that sets none, and the most a step
  /// may set. 0: none.
  StepLimits step_limits;
  /// Where a step in a child process starts. Empty: a fresh directory, removed after
  /// the step, so stray files stay out of the host's (bre-server). The CLI gives its
  /// own working directory: a relative path in a parameter then names the same file
  /// in process and out.
  std::string child_working_directory;
};

/// A spec checked against the host: each step's plugin resolved and parameters
/// validated, inputs known and acyclic, consumed artifacts produced by some input.
struct ValidatedPipeline {
  v1::PipelineSpec spec;
  std::vector<const LoadedPlugin*> plugins;  // per step
  std::vector<Params> params;                // per step
  std::vector<std::vector<std::size_t>> inputs;  // per step, indices of input steps
};

/// Validates without running anything: the PipelineLimits first, then plugins,
/// parameters and inputs. Errors name the step and what was wrong (quoting at most 64
/// characters of any text of the spec):
/// "step 'bre': unknown plugin 'clustering.leidn'", "step 'c': parameter
/// 'resolution': expected a number in [0, 10], found -1", "step 'c': input 'x' is not
/// a step of this pipeline", "steps a -> b -> a form a cycle".
/// `spec_directory` is the directory of the file the spec was read from: relative values
/// of path parameters (ParameterSpec.path) are resolved against it. Empty (a spec that
/// came over the network or from a manifest) leaves them as written.
Expected<ValidatedPipeline> validate_pipeline(const v1::PipelineSpec& spec, const PluginHost& host,
                                              const std::string& spec_directory = {});

/// Runs a validated pipeline on a dataset that passed check_dataset(). A failing step
/// is recorded in its StepResult and its dependents are skipped; other steps go on.
/// Steps of a plugin that does not declare itself thread-safe run one at a time. A
/// step whose output holds text that is not valid UTF-8 fails, naming the field.
/// Each step runs in process or in a child process (RunOptions::isolation and the
/// step's "isolation"), under its time and memory limits: out of process the child is
/// killed at a limit; in process the step is asked to stop through cancellation, its
/// memory being the host's growth in resident memory while it runs. Either way the step
/// fails with the limit named. Isolation and limits do not change results, and are not
/// recorded in the manifest.
/// Returns an error only for failures of the engine itself.
Expected<v1::RunResult> run_pipeline(const ValidatedPipeline& pipeline, const v1::Dataset& dataset,
                                     const RunOptions& options);

}  // namespace bre
