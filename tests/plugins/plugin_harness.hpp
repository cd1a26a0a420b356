// Runs one built plugin (.so from the build tree) through the host's own loading path,
// outside a pipeline: the plugin tests use it to check describe(), parameter
// resolution and run() on the demo dataset.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/host.hpp"
#include "bre/language.hpp"
#include "bre/log.hpp"
#include "bre/params.hpp"
#include "bre/partition.hpp"
#include "bre/plugin.hpp"

namespace bre::test {

/// The demo dataset, its index and its planted regions as a partition.
struct DemoFixture {
  v1::Dataset dataset = demo::generate();
  DatasetIndex index{dataset};
  v1::Artifacts planted;  // one partition, named "planted"

  DemoFixture() {
    for (const v1::RegionDefinition& definition : dataset.region_definitions()) {
      if (definition.name() != demo::kPlantedDefinition) continue;
      Expected<v1::Partition> partition = partition_from_definition(index, definition);
      EXPECT_TRUE(partition.has_value()) << partition.status().message();
      if (partition.has_value()) *planted.add_partitions() = *partition;
    }
    EXPECT_EQ(planted.partitions_size(), 1) << "demo dataset without planted regions";
  }
};

/// Loads `library` (file name in the build tree's plugin directory) and finds `name`.
class PluginHarness {
 public:
  PluginHarness(const std::string& library, const std::string& name) {
    const Status loaded =
        host_.load_library(std::string(BRE_TEST_PLUGIN_DIR) + "/" + library, "test");
    EXPECT_TRUE(loaded.is_ok()) << loaded.message();
    for (const PluginLoadError& error : host_.errors()) ADD_FAILURE() << error.path << ": " << error.reason;
    plugin_ = host_.find(name);
    EXPECT_NE(plugin_, nullptr) << "plugin " << name << " not found in " << library;
  }

  const LoadedPlugin* plugin() const { return plugin_; }

  /// The language of the runs that follow: Dutch (no manifest, as outside a pipeline)
  /// or that of a pipeline naming "nl" / "en".
  void set_language(Language language) {
    manifest_.mutable_pipeline()->set_language(std::string(language_code(language)));
    has_manifest_ = true;
  }

  /// Parameters as a pipeline step would give them (validated, defaults filled in).
  Expected<Params> params(const google::protobuf::Struct& given = {}) const {
    const std::vector<v1::ParameterSpec> specs(plugin_->description.parameters().begin(),
                                               plugin_->description.parameters().end());
    return Params::resolve(given, specs);
  }

  /// The step id a run gets unless the test names one.
  static constexpr const char* kStepId = "step_under_test";

  /// Runs the plugin as step `step_id` with `params` and the given input artifacts
  /// (may be null).
  Status run(const DatasetIndex& index, const Params& params, std::uint64_t seed,
             const v1::Artifacts* input, v1::Artifacts& out,
             const std::string& step_id = kStepId) const {
    std::vector<StepInput> inputs;
    if (input != nullptr) inputs.push_back({"input", input});
    const StepContext context(step_id, index, params, seed, std::move(inputs), nullptr, logger().get(), {},
                              has_manifest_ ? &manifest_ : nullptr);
    return plugin_->plugin->run(context, out);
  }

  /// Resolves `given` (see params()) and runs the plugin as step `step_id` without
  /// input artifacts: what it produced, or the first error (parameters or run).
  Expected<v1::Artifacts> run(const DatasetIndex& index, const google::protobuf::Struct& given,
                              std::uint64_t seed, const std::string& step_id = kStepId) const {
    Expected<Params> resolved = params(given);
    if (!resolved.has_value()) return resolved.status();
    v1::Artifacts out;
    const Status status = run(index, *resolved, seed, nullptr, out, step_id);
    if (!status.is_ok()) return status;
    return out;
  }

 private:
  PluginHost host_;
  const LoadedPlugin* plugin_ = nullptr;
  v1::Manifest manifest_;
  bool has_manifest_ = false;
};

}  // namespace bre::test
