// The plugin contract. A plugin is a shared library exporting two symbols:
//
//   bre_plugin_api_version   a bre::ApiVersion: the API it was built against
//   bre_create_plugin        a Boost.DLL alias of a factory returning the plugin
//
// Use BRE_PLUGIN(MyPlugin) in exactly one source file of the plugin to export both.
// The host reads the version first and refuses the library when the major differs or
// the plugin needs a newer minor than the host has; only then does it call the factory.
//
// A plugin is pure: run() does not touch the dataset, keeps no mutable global state
// and may be called from several threads at once. Errors are returned as a Status;
// exceptions that escape run() are caught by the host and fail the step.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <boost/config.hpp>
#include <boost/dll/alias.hpp>

#include "bre/export.hpp"
#include "bre/dataset.hpp"
#include "bre/params.hpp"
#include "bre/status.hpp"
#include "bre/version.hpp"
#include "bre/v1/pipeline.pb.h"
#include "bre/v1/plugin.pb.h"
#include "bre/v1/results.pb.h"

namespace spdlog {
class logger;
}

namespace bre BRE_SDK_API {

/// The artifacts of one step this step depends on.
struct StepInput {
  std::string step_id;
  const v1::Artifacts* artifacts;
};

/// Receives a step's progress in units of its own (ensemble members, resamples).
using ProgressCallback = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Everything a step may read: the dataset (read-only), its validated parameters,
/// its seed and the artifacts of its input steps, in the order the spec lists them.
class StepContext {
 public:
  StepContext(std::string step_id, const DatasetIndex& dataset, const Params& params,
              std::uint64_t seed, std::vector<StepInput> inputs,
              const std::atomic<bool>* cancel_flag, spdlog::logger* logger, ProgressCallback progress = {},
              const v1::Manifest* manifest = nullptr);

  const std::string& step_id() const { return step_id_; }
  const DatasetIndex& dataset() const { return *dataset_; }
  const Params& params() const { return *params_; }
  /// The step's seed: the step's own "seed" parameter when set to a non-zero value,
  /// otherwise derived from the run seed and the step id.
  std::uint64_t seed() const { return seed_; }
  std::span<const StepInput> inputs() const { return inputs_; }
  /// The first partition among the inputs, or nullptr.
  const v1::Partition* input_partition() const;
  /// Long-running plugins check this between units of work and return kCancelled.
  bool cancelled() const { return cancel_flag_ != nullptr && cancel_flag_->load(); }
  /// Long-running plugins report how far they are (e.g. ensemble members done of
  /// total); the CLI shows it on a terminal, the service streams it. Thread-safe if
  /// the callback is; cheap enough to call per unit of work.
  void report_progress(std::uint64_t done, std::uint64_t total) const;
  spdlog::logger& log() const { return *logger_; }
  /// The run's manifest (dataset hash, every step's plugin, version, parameters and
  /// seed), for steps that document the run, such as reports; nullptr outside a run.
  const v1::Manifest* manifest() const { return manifest_; }

 private:
  std::string step_id_;
  const DatasetIndex* dataset_;
  const Params* params_;
  std::uint64_t seed_;
  std::vector<StepInput> inputs_;
  const std::atomic<bool>* cancel_flag_;
  spdlog::logger* logger_;
  ProgressCallback progress_;
  const v1::Manifest* manifest_;
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  /// Name, kind, version, summary, parameters, inputs and outputs, capabilities.
  /// Called once at load; must not fail.
  virtual v1::PluginDescription describe() const = 0;
  /// Runs the step, appending what it produces to `out`.
  virtual Status run(const StepContext& context, v1::Artifacts& out) const = 0;
};

using PluginFactory = std::unique_ptr<Plugin>();

}  // namespace bre

#define BRE_PLUGIN(PluginClass)                                                     \
  extern "C" BOOST_SYMBOL_EXPORT const ::bre::ApiVersion bre_plugin_api_version;    \
  extern "C" const ::bre::ApiVersion bre_plugin_api_version = {                     \
      BRE_API_VERSION_MAJOR, BRE_API_VERSION_MINOR};                                \
  namespace bre_plugin_export {                                                     \
  std::unique_ptr<::bre::Plugin> create() { return std::make_unique<PluginClass>(); } \
  }                                                                                 \
  BOOST_DLL_ALIAS(bre_plugin_export::create, bre_create_plugin)
