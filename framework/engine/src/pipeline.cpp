#include "bre/pipeline.hpp"

#include <google/protobuf/struct.pb.h>
#include <tbb/flow_graph.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <spdlog/spdlog.h>

#include "bre/io.hpp"
#include "bre/log.hpp"
#include "bre/random.hpp"
#include "bre/version.hpp"

namespace bre {

namespace {

std::string spec_size_error(const std::string& what, std::size_t bytes) {
  return what + ": " + std::to_string(bytes) + " bytes, more than the " +
         std::to_string(PipelineLimits::kMaxSpecBytes) + " bytes a pipeline spec may have";
}

// What a value at `path` of a spec must be, where protobuf's parser takes an object or
// a nested array for a repeated field; nullptr where its own checks suffice.
const char* expected_shape(const std::string& path, JsonType& type) {
  const auto is_step = [](std::string_view p) {
    return p.substr(0, 6) == "steps[" && p.back() == ']' && p.find(']') == p.size() - 1;
  };
  if (path.empty()) return type = JsonType::kObject, "an object with \"steps\"";
  if (path == "steps") return type = JsonType::kArray, "an array of steps";
  if (is_step(path)) return type = JsonType::kObject, "a step (an object with \"id\" and \"plugin\")";
  const std::size_t dot = path.find('.');
  if (dot == std::string::npos || !is_step(std::string_view(path).substr(0, dot))) return nullptr;
  const std::string_view member = std::string_view(path).substr(dot + 1);
  if (member == "inputs") return type = JsonType::kArray, "an array of step ids";
  if (member == "params") return type = JsonType::kObject, "an object of parameters";
  if (member.substr(0, 7) == "inputs[") return type = JsonType::kString, "a step id";
  return nullptr;
}

// The shape protobuf's JSON parser does not check: "steps": {...} would be read as a
// list of one step.
Status check_spec_shape(const std::string& json, const std::string& source_name) {
  std::vector<JsonOutlineEntry> outline;
  BRE_RETURN_IF_ERROR(check_json_syntax(json, source_name, &outline, 4));
  for (const JsonOutlineEntry& entry : outline) {
    JsonType type = JsonType::kNull;
    const char* expected = expected_shape(entry.path, type);
    if (expected == nullptr || entry.type == type) continue;
    return invalid_argument(json_location(json, source_name, entry.offset) + ": " +
                            (entry.path.empty() ? "the pipeline spec" : entry.path) + ": expected " + expected +
                            ", found " + json_type_name(entry.type));
  }
  return Status::ok();
}

}  // namespace

Expected<v1::PipelineSpec> parse_pipeline_spec(const std::string& json, const std::string& source_name) {
  if (json.size() > PipelineLimits::kMaxSpecBytes) return invalid_argument(spec_size_error(source_name, json.size()));
  v1::PipelineSpec spec;
  BRE_RETURN_IF_ERROR(from_json(json, source_name, spec));
  BRE_RETURN_IF_ERROR(check_spec_shape(json, source_name));
  return spec;
}

Expected<v1::PipelineSpec> read_pipeline_spec(const std::string& path) {
  auto content = read_file(path, PipelineLimits::kMaxSpecBytes);
  if (!content) return content.status();
  return parse_pipeline_spec(*content, path);
}

v1::PipelineSpec spec_from_manifest(const v1::Manifest& manifest) {
  v1::PipelineSpec spec = manifest.pipeline();
  for (auto& step : *spec.mutable_steps()) {
    step.clear_params();
    for (const auto& recorded : manifest.steps()) {
      if (recorded.step_id() != step.id()) continue;
      auto& fields = *step.mutable_params()->mutable_fields();
      for (const auto& p : recorded.parameters()) {
        if (p.defaulted()) continue;  // the plugin's default applies again, and is recorded as such
        google::protobuf::Value value;
        const auto& v = p.value();
        if (v.has_bool_value()) value.set_bool_value(v.bool_value());
        else if (v.has_int_value()) value.set_number_value(static_cast<double>(v.int_value()));
        else if (v.has_double_value()) value.set_number_value(v.double_value());
        else if (v.has_string_value()) value.set_string_value(v.string_value());
        else if (v.has_string_list_value()) {
          for (const auto& item : v.string_list_value().values()) {
            value.mutable_list_value()->add_values()->set_string_value(item);
          }
          if (v.string_list_value().values().empty()) value.mutable_list_value();
        } else {
          continue;
        }
        fields[p.name()] = std::move(value);
      }
    }
  }
  return spec;
}

Status check_manifest_plugins(const v1::Manifest& manifest, const PluginHost& host) {
  for (const auto& step : manifest.steps()) {
    const std::string where = "manifest step '" + step.step_id() + "'";
    const auto* loaded = host.find(step.plugin());
    if (loaded == nullptr) return not_found(where + ": plugin '" + step.plugin() + "' is not loaded");
    if (loaded->description.version() != step.plugin_version()) {
      return failed_precondition(where + ": made with " + step.plugin() + " " + step.plugin_version() +
                                 ", the loaded plugin is version " + loaded->description.version());
    }
    for (const auto& recorded : step.parameters()) {
      if (!recorded.defaulted()) continue;
      for (const auto& spec : loaded->description.parameters()) {
        if (spec.name() == recorded.name() &&
            to_display_string(spec.default_value()) != to_display_string(recorded.value())) {
          return failed_precondition(where + ": parameter '" + recorded.name() + "' defaulted to " +
                                     to_display_string(recorded.value()) + ", the loaded " + step.plugin() +
                                     " defaults to " + to_display_string(spec.default_value()));
        }
      }
    }
  }
  return Status::ok();
}

namespace {

std::string kind_name(v1::ArtifactKind kind) {
  switch (kind) {
    case v1::ARTIFACT_KIND_PARTITION: return "a partition";
    case v1::ARTIFACT_KIND_INDICATOR_TABLE: return "an indicator table";
    case v1::ARTIFACT_KIND_LEGITIMACY: return "legitimacy scores";
    case v1::ARTIFACT_KIND_LIFECYCLE: return "life-cycle assessments";
    case v1::ARTIFACT_KIND_COMPARISON: return "a partition comparison";
    case v1::ARTIFACT_KIND_NETWORK: return "a network";
    case v1::ARTIFACT_KIND_DOCUMENT: return "a document";
    default: return "an unspecified artifact";
  }
}

std::string step_error(const std::string& step_id) { return "step '" + step_id + "'"; }

// Finds a cycle by depth-first search and names it "a -> b -> a".
std::string describe_cycle(const v1::PipelineSpec& spec, const std::vector<std::vector<std::size_t>>& inputs) {
  const std::size_t n = inputs.size();
  std::vector<int> state(n, 0);  // 0 new, 1 on the stack, 2 done
  std::vector<std::size_t> stack;
  std::string found;
  std::function<bool(std::size_t)> visit = [&](std::size_t s) {
    state[s] = 1;
    stack.push_back(s);
    for (std::size_t in : inputs[s]) {
      if (state[in] == 1) {
        // A cycle through 1000 steps is named by its first few, so the message stays a line.
        constexpr std::ptrdiff_t kNamed = 8;
        const auto start = std::find(stack.begin(), stack.end(), in);
        const std::ptrdiff_t length = stack.end() - start;
        for (auto it = start; it != stack.end() && it - start < kNamed; ++it) {
          found += spec.steps(static_cast<int>(*it)).id() + " -> ";
        }
        if (length > kNamed) found += "... (" + std::to_string(length - kNamed) + " more) -> ";
        found += spec.steps(static_cast<int>(in)).id();
        return true;
      }
      if (state[in] == 0 && visit(in)) return true;
    }
    stack.pop_back();
    state[s] = 2;
    return false;
  };
  for (std::size_t s = 0; s < n; ++s) {
    if (state[s] == 0 && visit(s)) break;
  }
  return found;
}

}  // namespace

Expected<ValidatedPipeline> validate_pipeline(const v1::PipelineSpec& spec, const PluginHost& host) {
  const std::string pipeline_name = "pipeline '" + excerpt(spec.name()) + "'";
  // The limits come first: a spec over them costs memory and time in every check below.
  if (const std::size_t bytes = spec.ByteSizeLong(); bytes > PipelineLimits::kMaxSpecBytes) {
    return invalid_argument(spec_size_error(pipeline_name, bytes));
  }
  if (spec.steps_size() > PipelineLimits::kMaxSteps) {
    return invalid_argument(pipeline_name + ": " + std::to_string(spec.steps_size()) + " steps, more than the " +
                            std::to_string(PipelineLimits::kMaxSteps) + " a pipeline may have");
  }
  if (spec.steps().empty()) return invalid_argument(pipeline_name + " has no steps");
  std::map<std::string, std::size_t> index_of;
  for (int i = 0; i < spec.steps_size(); ++i) {
    const auto& id = spec.steps(i).id();
    const std::string where = "steps[" + std::to_string(i) + "].id";
    if (id.size() > PipelineLimits::kMaxStepIdLength) {  // bytes; every id that passes is ASCII
      return invalid_argument(where + ": expected at most " + std::to_string(PipelineLimits::kMaxStepIdLength) +
                              " characters, found " + std::to_string(id.size()) + " ('" + excerpt(id) + "')");
    }
    if (!is_plain_name(id)) {  // ids name output files
      return invalid_argument(where + ": expected letters, digits, '_' or '-', found '" + id + "'");
    }
    if (!index_of.emplace(id, static_cast<std::size_t>(i)).second) {
      return invalid_argument(step_error(id) + ": the id is used by more than one step");
    }
  }
  ValidatedPipeline out;
  out.spec = spec;
  for (int step_index = 0; step_index < spec.steps_size(); ++step_index) {
    const auto& step = spec.steps(step_index);
    const auto* plugin = host.find(step.plugin());
    if (plugin == nullptr) {
      std::string known;
      for (const auto* p : host.plugins()) known += (known.empty() ? "" : ", ") + p->description.name();
      return not_found(step_error(step.id()) + ": unknown plugin '" + excerpt(step.plugin()) + "'; loaded plugins: " +
                       (known.empty() ? "none" : known));
    }
    if (plugin->description.name() != step.plugin()) {
      logger()->warn("step '{}': plugin name '{}' is a deprecated alias of '{}'", step.id(), step.plugin(),
                     plugin->description.name());
    }
    const std::vector<v1::ParameterSpec> specs(plugin->description.parameters().begin(),
                                               plugin->description.parameters().end());
    auto params = Params::resolve(step.params(), specs);
    if (!params) return params.status().with_context(step_error(step.id()) + " (" + plugin->description.name() + ")");
    BRE_RETURN_IF_ERROR(check_step_isolation(step.isolation()).with_context(step_error(step.id())));
    if (!std::isfinite(step.time_limit_seconds()) || step.time_limit_seconds() < 0) {
      return invalid_argument(step_error(step.id()) +
                              ": time_limit_seconds: expected 0 (none) or a positive number of seconds, found " +
                              std::to_string(step.time_limit_seconds()));
    }
    std::vector<std::size_t> inputs;
    for (const auto& input : step.inputs()) {
      auto it = index_of.find(input);
      if (it == index_of.end()) {
        return invalid_argument(step_error(step.id()) + ": input '" + excerpt(input) + "' is not a step of this pipeline");
      }
      if (it->second == static_cast<std::size_t>(step_index)) {
        return invalid_argument(step_error(step.id()) + ": the step lists itself as an input (steps " + step.id() +
                                " -> " + step.id() + " form a cycle)");
      }
      if (std::find(inputs.begin(), inputs.end(), it->second) != inputs.end()) {
        return invalid_argument(step_error(step.id()) + ": input '" + input + "' is listed twice");
      }
      inputs.push_back(it->second);
    }
    out.plugins.push_back(plugin);
    out.params.push_back(std::move(params.value()));
    out.inputs.push_back(std::move(inputs));
  }
  // Kahn's algorithm: every step must become ready.
  const std::size_t n = out.inputs.size();
  std::vector<std::size_t> missing(n);
  std::vector<std::vector<std::size_t>> dependents(n);
  for (std::size_t s = 0; s < n; ++s) {
    missing[s] = out.inputs[s].size();
    for (std::size_t in : out.inputs[s]) dependents[in].push_back(s);
  }
  std::vector<std::size_t> ready;
  for (std::size_t s = 0; s < n; ++s) {
    if (missing[s] == 0) ready.push_back(s);
  }
  std::size_t done = 0;
  while (!ready.empty()) {
    const std::size_t s = ready.back();
    ready.pop_back();
    ++done;
    for (std::size_t d : dependents[s]) {
      if (--missing[d] == 0) ready.push_back(d);
    }
  }
  if (done != n) return invalid_argument(pipeline_name + ": steps " + describe_cycle(spec, out.inputs) + " form a cycle");

  for (std::size_t s = 0; s < n; ++s) {
    const auto& description = out.plugins[s]->description;
    for (int kind : description.consumes()) {
      const bool provided = std::any_of(out.inputs[s].begin(), out.inputs[s].end(), [&](std::size_t in) {
        const auto& produces = out.plugins[in]->description.produces();
        return std::find(produces.begin(), produces.end(), kind) != produces.end();
      });
      if (!provided) {
        return invalid_argument(step_error(spec.steps(static_cast<int>(s)).id()) + ": plugin '" + description.name() +
                                "' needs " + kind_name(static_cast<v1::ArtifactKind>(kind)) +
                                " from an input step, and none of its inputs produces one");
      }
    }
  }
  return out;
}

namespace {

std::uint64_t step_seed(std::uint64_t run_seed, const std::string& step_id, const Params& params) {
  for (const auto& p : params.resolved()) {
    if (p.name() == "seed" && p.value().has_int_value() && p.value().int_value() != 0) {
      return static_cast<std::uint64_t>(p.value().int_value());
    }
  }
  return derive_seed(run_seed, step_id);
}

// Gives every step its own cancel flag, raised when the run is cancelled or when an
// in-process step passes its time or memory limit. In process a limit can only ask:
// the step stops when it next looks at StepContext::cancelled(). Memory in process is
// the host's growth in resident memory since the step started, which steps running at
// the same time share; a child process's limits are exact (run_step_in_child_process).
class StepWatchdog {
 public:
  StepWatchdog(std::size_t steps, const std::atomic<bool>* run_cancel, bool watch_limits)
      : flags_(new Flags[steps]), steps_(steps), run_cancel_(run_cancel) {
    if (run_cancel_ != nullptr || watch_limits) thread_ = std::thread([this] { loop(); });
  }
  ~StepWatchdog() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  StepWatchdog(const StepWatchdog&) = delete;
  StepWatchdog& operator=(const StepWatchdog&) = delete;

  const std::atomic<bool>* cancel_flag(std::size_t step) const { return &flags_[step].cancel; }

  void watch(std::size_t step, const StepLimits& limits) {
    if (limits.time_limit_seconds <= 0 && limits.memory_limit_mib == 0) return;
    Watched watched{step, std::chrono::steady_clock::time_point::max(), 0, limits.memory_limit_mib * 1024 * 1024};
    if (limits.time_limit_seconds > 0) {
      watched.deadline = std::chrono::steady_clock::now() +
                         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                             std::chrono::duration<double>(limits.time_limit_seconds));
    }
    if (watched.memory_limit_bytes > 0) watched.resident_at_start = resident_memory_bytes();
    std::lock_guard lock(mutex_);
    watched_.push_back(watched);
  }

  /// Stops watching `step`; the limit it passed while it ran, if any, as an error.
  Status unwatch(std::size_t step, const StepLimits& limits, std::chrono::steady_clock::duration ran) {
    {
      std::lock_guard lock(mutex_);
      std::erase_if(watched_, [step](const Watched& w) { return w.step == step; });
    }
    const double seconds = std::round(std::chrono::duration<double>(ran).count() * 100) / 100;
    switch (flags_[step].limit_passed.load()) {
      case kTimeLimit:
        return internal_error("exceeded its time limit of " + describe_seconds(limits.time_limit_seconds) +
                              "; in process the step can only be asked to stop, and it stopped after " +
                              describe_seconds(seconds));
      case kMemoryLimit:
        return internal_error("exceeded its memory limit of " + std::to_string(limits.memory_limit_mib) +
                              " MiB (the host's resident memory grew by more while the step ran); in process the "
                              "step can only be asked to stop, and it stopped after " + describe_seconds(seconds));
      default: return Status::ok();
    }
  }

 private:
  static constexpr int kTimeLimit = 1;
  static constexpr int kMemoryLimit = 2;
  struct Flags {
    std::atomic<bool> cancel{false};
    std::atomic<int> limit_passed{0};
  };
  struct Watched {
    std::size_t step;
    std::chrono::steady_clock::time_point deadline;
    std::uint64_t resident_at_start;
    std::uint64_t memory_limit_bytes;
  };

  void loop() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stopping_; })) {
      if (run_cancel_ != nullptr && run_cancel_->load()) {
        for (std::size_t s = 0; s < steps_; ++s) flags_[s].cancel = true;
      }
      if (watched_.empty()) continue;
      const auto now = std::chrono::steady_clock::now();
      const bool any_memory_limit = std::any_of(watched_.begin(), watched_.end(),
                                                [](const Watched& w) { return w.memory_limit_bytes > 0; });
      const std::uint64_t resident = any_memory_limit ? resident_memory_bytes() : 0;
      for (const auto& w : watched_) {
        int passed = 0;
        if (now >= w.deadline) passed = kTimeLimit;
        if (w.memory_limit_bytes > 0 && resident > w.resident_at_start + w.memory_limit_bytes) passed = kMemoryLimit;
        if (passed == 0) continue;
        int none = 0;
        flags_[w.step].limit_passed.compare_exchange_strong(none, passed);
        flags_[w.step].cancel = true;
      }
    }
  }

  std::unique_ptr<Flags[]> flags_;
  std::size_t steps_;
  const std::atomic<bool>* run_cancel_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<Watched> watched_;
  std::thread thread_;
};

}  // namespace

Expected<v1::RunResult> run_pipeline(const ValidatedPipeline& pipeline, const v1::Dataset& dataset,
                                     const RunOptions& options) {
  if (options.checked_dataset_sha256.empty()) {
    BRE_RETURN_IF_ERROR(check_dataset(dataset).with_context("dataset '" + dataset.name() + "'"));
  }
  const DatasetIndex index(dataset);
  const std::size_t n = pipeline.plugins.size();

  v1::RunResult result;
  auto* manifest = result.mutable_manifest();
  manifest->set_bre_version(bre_version());
  manifest->set_api_version(api_version_string());
  manifest->set_dataset_name(dataset.name());
  manifest->set_dataset_sha256(options.checked_dataset_sha256.empty() ? dataset_sha256(dataset)
                                                                       : options.checked_dataset_sha256);
  // Step parameters are recorded validated and sorted in steps[].parameters; the
  // spec's own params (a protobuf Struct, i.e. a map) would print in hash order.
  *manifest->mutable_pipeline() = pipeline.spec;
  // Isolation and limits decide where and how long a step may run, not what it
  // computes: they are left out, so a result is the same however it was contained.
  for (auto& step : *manifest->mutable_pipeline()->mutable_steps()) {
    step.clear_params();
    step.clear_isolation();
    step.clear_time_limit_seconds();
    step.clear_memory_limit_mib();
  }
  manifest->set_seed(options.seed);

  std::vector<std::uint64_t> seeds(n);
  for (std::size_t s = 0; s < n; ++s) {
    const auto& id = pipeline.spec.steps(static_cast<int>(s)).id();
    seeds[s] = step_seed(options.seed, id, pipeline.params[s]);
    auto* step = manifest->add_steps();
    step->set_step_id(id);
    step->set_plugin(pipeline.plugins[s]->description.name());
    step->set_plugin_version(pipeline.plugins[s]->description.version());
    for (const auto& p : pipeline.params[s].resolved()) *step->add_parameters() = p;
    step->set_seed(seeds[s]);
    result.add_steps()->set_step_id(id);
  }

  auto* log = logger().get();
  // A progress callback is the caller's code: its exceptions must not unwind the graph.
  auto emit = [&](StepEvent event) {
    if (!options.on_event) return;
    try {
      options.on_event(event);
    } catch (const std::exception& e) {
      log->error("progress callback failed for step {}: {}", event.step_id, e.what());
    } catch (...) {
      log->error("progress callback failed for step {}", event.step_id);
    }
  };
  // Plugins that do not declare themselves thread-safe run one step at a time.
  std::map<const Plugin*, std::unique_ptr<std::mutex>> serial;
  for (const auto* loaded : pipeline.plugins) {
    if (!loaded->description.capabilities().thread_safe() && !serial.count(loaded->plugin)) {
      serial.emplace(loaded->plugin, std::make_unique<std::mutex>());
    }
  }

  std::vector<Isolation> isolation(n);
  std::vector<StepLimits> limits(n);
  bool any_isolated = false;
  bool any_in_process_limit = false;
  for (std::size_t s = 0; s < n; ++s) {
    const auto& step = pipeline.spec.steps(static_cast<int>(s));
    isolation[s] = resolve_isolation(step.isolation(), *pipeline.plugins[s], options.isolation);
    limits[s] = effective_limits({step.time_limit_seconds(), step.memory_limit_mib()}, options.step_limits);
    // In process, memory is the host's resident growth, which every step and run
    // running at the same time shares: a host-wide limit would fail healthy steps
    // whenever their neighbours grow. Only a step's own request is watched there.
    if (isolation[s] == Isolation::kInProcess && step.memory_limit_mib() == 0) limits[s].memory_limit_mib = 0;
    any_isolated = any_isolated || isolation[s] == Isolation::kProcess;
    any_in_process_limit = any_in_process_limit || (isolation[s] == Isolation::kInProcess &&
                                                    (limits[s].time_limit_seconds > 0 || limits[s].memory_limit_mib > 0));
  }
  // Isolated steps all get the same dataset: serialise it once.
  std::string serialized_dataset;
  if (any_isolated) dataset.SerializeToString(&serialized_dataset);
  StepWatchdog watchdog(n, options.cancel, any_in_process_limit);

  // One flow-graph node per step, edges from its inputs. A node writes only its own
  // StepResult; successors read their inputs after the graph's happens-before edge.
  tbb::flow::graph graph;
  std::vector<std::unique_ptr<tbb::flow::continue_node<tbb::flow::continue_msg>>> nodes;
  nodes.reserve(n);
  for (std::size_t s = 0; s < n; ++s) {
    nodes.push_back(std::make_unique<tbb::flow::continue_node<tbb::flow::continue_msg>>(
        graph, [&, s](const tbb::flow::continue_msg&) {
          auto* step_result = result.mutable_steps(static_cast<int>(s));
          const std::string& id = step_result->step_id();
          for (std::size_t in : pipeline.inputs[s]) {
            const auto& input = result.steps(static_cast<int>(in));
            if (input.status() != v1::STEP_STATUS_SUCCEEDED) {
              step_result->set_status(v1::STEP_STATUS_SKIPPED);
              step_result->set_error("input step '" + input.step_id() + "' did not succeed");
              emit({StepEvent::Kind::kSkipped, id, step_result->error(), 0.0});
              return;
            }
          }
          if (options.cancel != nullptr && options.cancel->load()) {
            step_result->set_status(v1::STEP_STATUS_CANCELLED);
            step_result->set_error("the run was cancelled");
            emit({StepEvent::Kind::kCancelled, id, step_result->error(), 0.0});
            return;
          }
          std::vector<StepInput> inputs;
          for (std::size_t in : pipeline.inputs[s]) {
            inputs.push_back({result.steps(static_cast<int>(in)).step_id(),
                              &result.steps(static_cast<int>(in)).artifacts()});
          }
          const StepContext context(id, index, pipeline.params[s], seeds[s], std::move(inputs),
                                    watchdog.cancel_flag(s), log,
                                    [&emit, &id](std::uint64_t done, std::uint64_t total) {
                                      emit({StepEvent::Kind::kProgress, id, "", 0.0, done, total});
                                    },
                                    &result.manifest());
          emit({StepEvent::Kind::kStarted, id, "", 0.0});
          const auto start = std::chrono::steady_clock::now();
          v1::Artifacts artifacts;
          Status status;
          if (isolation[s] == Isolation::kProcess) {
            status = run_step_in_child_process(*pipeline.plugins[s], context, serialized_dataset, limits[s],
                                               options.child_working_directory, artifacts);
          } else {
            std::unique_lock<std::mutex> one_at_a_time;
            if (auto it = serial.find(pipeline.plugins[s]->plugin); it != serial.end()) {
              one_at_a_time = std::unique_lock<std::mutex>(*it->second);
            }
            // The limits count from here: waiting for a plugin that runs one step at a
            // time is not the step's own time.
            const auto running_since = std::chrono::steady_clock::now();
            watchdog.watch(s, limits[s]);
            status = run_step_in_this_process(*pipeline.plugins[s]->plugin, context, artifacts);
            const auto ran = std::chrono::steady_clock::now() - running_since;
            if (Status limit = watchdog.unwatch(s, limits[s], ran); !limit) status = limit;
          }
          const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          if (status.is_ok()) {
            step_result->set_status(v1::STEP_STATUS_SUCCEEDED);
            *step_result->mutable_artifacts() = std::move(artifacts);
            emit({StepEvent::Kind::kSucceeded, id, "", seconds});
          } else {
            const bool cancelled = status.code() == StatusCode::kCancelled;
            step_result->set_status(cancelled ? v1::STEP_STATUS_CANCELLED : v1::STEP_STATUS_FAILED);
            step_result->set_error(to_valid_utf8(pipeline.plugins[s]->description.name() + ": " + status.message()));
            emit({cancelled ? StepEvent::Kind::kCancelled : StepEvent::Kind::kFailed, id, step_result->error(),
                  seconds});
          }
        }));
  }
  for (std::size_t s = 0; s < n; ++s) {
    for (std::size_t in : pipeline.inputs[s]) tbb::flow::make_edge(*nodes[in], *nodes[s]);
  }
  for (std::size_t s = 0; s < n; ++s) {
    if (pipeline.inputs[s].empty()) nodes[s]->try_put(tbb::flow::continue_msg());
  }
  graph.wait_for_all();

  // In process a plugin shares the host's memory. Built-in plugins keep the contract;
  // for the others, check the dataset is still the one hashed, so a plugin that wrote
  // to it cannot pass off results computed on something else.
  std::string untrusted;
  for (std::size_t s = 0; s < n; ++s) {
    if (isolation[s] == Isolation::kInProcess && pipeline.plugins[s]->origin != "built-in") {
      untrusted += (untrusted.empty() ? "'" : ", '") + pipeline.spec.steps(static_cast<int>(s)).id() + "'";
    }
  }
  if (!untrusted.empty() && dataset_sha256(dataset) != manifest->dataset_sha256()) {
    return internal_error("the dataset changed during the run: a plugin that ran in process wrote to it (steps of "
                          "plugins not built in: " + untrusted + "); no result is kept. Run such steps with "
                          "\"isolation\": \"process\" (or --isolation external)");
  }
  return result;
}

}  // namespace bre
