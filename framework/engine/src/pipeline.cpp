#include "bre/pipeline.hpp"

#include <google/protobuf/struct.pb.h>
#include <tbb/flow_graph.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <spdlog/spdlog.h>

#include "bre/io.hpp"
#include "bre/language.hpp"
#include "bre/log.hpp"
#include "bre/random.hpp"
#include "bre/suggest.hpp"
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
  if (path == "exports") return type = JsonType::kArray, "an array of exports";
  if (path.substr(0, 8) == "exports[" && path.back() == ']' && path.find(']') == path.size() - 1) {
    return type = JsonType::kObject, "an export (an object with \"partition\" and \"file\")";
  }
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
    case v1::ARTIFACT_KIND_ANALYSIS: return "an analysis";
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

// The limits come first: a spec over them costs memory and time in every check after.
// Returns each step's index by id.
Expected<std::map<std::string, std::size_t>> check_spec_limits_and_ids(const v1::PipelineSpec& spec,
                                                                         const std::string& pipeline_name) {
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
  return index_of;
}

Expected<const LoadedPlugin*> find_step_plugin(const v1::StepSpec& step, const PluginHost& host) {
  const auto* plugin = host.find(step.plugin());
  if (plugin == nullptr) {
    std::string known;
    std::vector<std::string> names;
    for (const auto* p : host.plugins()) {
      known += (known.empty() ? "" : ", ") + p->description.name();
      names.push_back(p->description.name());
    }
    return not_found(step_error(step.id()) + ": unknown plugin '" + excerpt(step.plugin()) + "'" +
                     did_you_mean(step.plugin(), names) + "; loaded plugins: " + (known.empty() ? "none" : known));
  }
  if (plugin->description.name() != step.plugin()) {
    logger()->warn("step '{}': plugin name '{}' is a deprecated alias of '{}'", step.id(), step.plugin(),
                   plugin->description.name());
  }
  return plugin;
}

// The step's inputs as step indices: each a step of the pipeline, not the step itself, listed once.
Expected<std::vector<std::size_t>> step_inputs(const v1::StepSpec& step, std::size_t step_index,
                                               const std::map<std::string, std::size_t>& index_of) {
  std::vector<std::size_t> inputs;
  for (const auto& input : step.inputs()) {
    auto it = index_of.find(input);
    if (it == index_of.end()) {
      return invalid_argument(step_error(step.id()) + ": input '" + excerpt(input) + "' is not a step of this pipeline");
    }
    if (it->second == step_index) {
      return invalid_argument(step_error(step.id()) + ": the step lists itself as an input (steps " + step.id() +
                              " -> " + step.id() + " form a cycle)");
    }
    if (std::find(inputs.begin(), inputs.end(), it->second) != inputs.end()) {
      return invalid_argument(step_error(step.id()) + ": input '" + input + "' is listed twice");
    }
    inputs.push_back(it->second);
  }
  return inputs;
}

// Relative values of path parameters, taken relative to the pipeline file's directory.
Params resolve_paths(Params params, const std::vector<v1::ParameterSpec>& specs, const std::string& spec_directory) {
  if (spec_directory.empty()) return params;
  std::vector<v1::ResolvedParameter> values = params.resolved();
  bool changed = false;
  for (auto& value : values) {
    auto spec = std::find_if(specs.begin(), specs.end(), [&](const auto& s) { return s.name() == value.name(); });
    const std::string& text = value.value().string_value();
    if (spec == specs.end() || !spec->path() || text.empty() || std::filesystem::path(text).is_absolute()) continue;
    value.mutable_value()->set_string_value((std::filesystem::path(spec_directory) / text).lexically_normal().string());
    changed = true;
  }
  return changed ? Params::from_resolved(std::move(values)) : params;
}

// Each step's plugin, its parameters checked against the plugin's description, its
// isolation and time limit, and its inputs.
Status resolve_steps(const v1::PipelineSpec& spec, const PluginHost& host, const std::string& spec_directory,
                     const std::map<std::string, std::size_t>& index_of, ValidatedPipeline& out) {
  for (int step_index = 0; step_index < spec.steps_size(); ++step_index) {
    const auto& step = spec.steps(step_index);
    Expected<const LoadedPlugin*> plugin = find_step_plugin(step, host);
    if (!plugin) return plugin.status();
    const auto& description = (*plugin)->description;
    const std::vector<v1::ParameterSpec> specs(description.parameters().begin(), description.parameters().end());
    auto params = Params::resolve(step.params(), specs);
    if (!params) return params.status().with_context(step_error(step.id()) + " (" + description.name() + ")");
    BRE_RETURN_IF_ERROR(check_step_isolation(step.isolation()).with_context(step_error(step.id())));
    if (!std::isfinite(step.time_limit_seconds()) || step.time_limit_seconds() < 0) {
      return invalid_argument(step_error(step.id()) +
                              ": time_limit_seconds: expected 0 (none) or a positive number of seconds, found " +
                              std::to_string(step.time_limit_seconds()));
    }
    auto inputs = step_inputs(step, static_cast<std::size_t>(step_index), index_of);
    if (!inputs) return inputs.status();
    out.plugins.push_back(*plugin);
    out.params.push_back(resolve_paths(std::move(params.value()), specs, spec_directory));
    out.inputs.push_back(std::move(inputs.value()));
  }
  return Status::ok();
}

// Kahn's algorithm: every step must become ready.
Status check_acyclic(const ValidatedPipeline& out, const std::string& pipeline_name) {
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
  if (done != n) return invalid_argument(pipeline_name + ": steps " + describe_cycle(out.spec, out.inputs) + " form a cycle");
  return Status::ok();
}

bool produces(const LoadedPlugin& plugin, int kind) {
  const auto& kinds = plugin.description.produces();
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

// What a plugin needs from its inputs, some input step produces.
Status check_consumed_inputs(const ValidatedPipeline& out) {
  for (std::size_t s = 0; s < out.plugins.size(); ++s) {
    const auto& description = out.plugins[s]->description;
    for (int kind : description.consumes()) {
      const bool provided = std::any_of(out.inputs[s].begin(), out.inputs[s].end(),
                                        [&](std::size_t in) { return produces(*out.plugins[in], kind); });
      if (!provided) {
        return invalid_argument(step_error(out.spec.steps(static_cast<int>(s)).id()) + ": plugin '" +
                                description.name() + "' needs " + kind_name(static_cast<v1::ArtifactKind>(kind)) +
                                " from an input step, and none of its inputs produces one");
      }
    }
  }
  return Status::ok();
}

// The parameters with which a step builds the cooperation network from the dataset
// (DOMAIN.md §1): network_parameters() and the network step's legal-form filter.
constexpr const char* kNetworkSettings[] = {"weighting", "kinds", "legal_forms"};

const v1::ParameterSpec* declared_parameter(const LoadedPlugin& plugin, std::string_view name) {
  for (const auto& spec : plugin.description.parameters()) {
    if (spec.name() == name) return &spec;
  }
  return nullptr;
}

// A step builds the cooperation network itself when its plugin declares a weighting
// and none of its inputs gives it a network to use instead.
bool builds_cooperation_network(const ValidatedPipeline& out, std::size_t s) {
  if (declared_parameter(*out.plugins[s], "weighting") == nullptr) return false;
  return std::none_of(out.inputs[s].begin(), out.inputs[s].end(),
                      [&](std::size_t in) { return produces(*out.plugins[in], v1::ARTIFACT_KIND_NETWORK); });
}

// A setting as the network is built with it: a list filter's order does not matter.
std::string canonical_setting(v1::ParameterValue value) {
  if (value.has_string_list_value()) {
    auto* values = value.mutable_string_list_value()->mutable_values();
    std::sort(values->begin(), values->end());
    values->erase(std::unique(values->begin(), values->end()), values->end());
  }
  return value.SerializeAsString();
}

// The value step `s` builds with: its own, or, for a plugin without that filter, the
// default of `declaring` (a filter's default counts everything, as no filter does).
struct NetworkSetting {
  v1::ParameterValue value;
  std::string text;
};

NetworkSetting network_setting(const ValidatedPipeline& out, std::size_t s, const std::string& name,
                               const v1::ParameterSpec& declaring) {
  for (const v1::ResolvedParameter& resolved : out.params[s].resolved()) {
    if (resolved.name() == name) return {resolved.value(), to_display_string(resolved.value())};
  }
  return {declaring.default_value(), to_display_string(declaring.default_value()) + " (" +
                                         out.plugins[s]->description.name() + " has no parameter '" + name + "')"};
}

// One weighting per pipeline: every step that builds the cooperation network from the
// dataset builds the same one, so a pipeline cannot cluster one network and measure
// congruence or draw maps on another.
Status check_one_cooperation_network(const ValidatedPipeline& out) {
  std::vector<std::size_t> builders;
  for (std::size_t s = 0; s < out.plugins.size(); ++s) {
    if (builds_cooperation_network(out, s)) builders.push_back(s);
  }
  for (std::size_t k = 1; k < builders.size(); ++k) {
    const std::size_t first = builders.front();
    const std::size_t other = builders[k];
    for (const char* name : kNetworkSettings) {
      const v1::ParameterSpec* declaring = declared_parameter(*out.plugins[first], name);
      if (declaring == nullptr) declaring = declared_parameter(*out.plugins[other], name);
      if (declaring == nullptr) continue;
      const NetworkSetting a = network_setting(out, first, name, *declaring);
      const NetworkSetting b = network_setting(out, other, name, *declaring);
      if (canonical_setting(a.value) == canonical_setting(b.value)) continue;
      const std::string& first_id = out.spec.steps(static_cast<int>(first)).id();
      const std::string& other_id = out.spec.steps(static_cast<int>(other)).id();
      return invalid_argument(
          "steps '" + first_id + "' and '" + other_id + "' would build the cooperation network with different '" +
          name + "': " + a.text + " and " + b.text + "; one pipeline has one cooperation network: give " +
          "them the same '" + name + "', or give '" + other_id + "' a step that produces a network as an input");
    }
  }
  return Status::ok();
}

}  // namespace

Expected<ValidatedPipeline> validate_pipeline(const v1::PipelineSpec& spec, const PluginHost& host,
                                              const std::string& spec_directory) {
  const std::string pipeline_name = "pipeline '" + excerpt(spec.name()) + "'";
  auto index_of = check_spec_limits_and_ids(spec, pipeline_name);
  if (!index_of) return index_of.status();
  ValidatedPipeline out;
  out.spec = spec;
  if (spec.language().empty()) out.spec.set_language(std::string(language_code(Language::kDutch)));
  if (auto language = parse_language(out.spec.language()); !language) {
    return language.status().with_context(pipeline_name);
  }
  BRE_RETURN_IF_ERROR(resolve_steps(spec, host, spec_directory, *index_of, out));
  BRE_RETURN_IF_ERROR(check_acyclic(out, pipeline_name));
  BRE_RETURN_IF_ERROR(check_consumed_inputs(out));
  BRE_RETURN_IF_ERROR(check_one_cooperation_network(out));
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

// The manifest says what was run on what: versions, the dataset's hash, the spec
// without what does not change results, every step's plugin, parameters and seed.
// Returns the steps' seeds; the result gets one StepResult per step, in spec order.
std::vector<std::uint64_t> start_result(const ValidatedPipeline& pipeline, const v1::Dataset& dataset,
                                        const RunOptions& options, v1::RunResult& result) {
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

  const std::size_t n = pipeline.plugins.size();
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
  return seeds;
}

// Where each step runs and under which limits.
struct StepPlacement {
  std::vector<Isolation> isolation;
  std::vector<StepLimits> limits;
  bool any_isolated = false;
  bool any_in_process_limit = false;
};

StepPlacement place_steps(const ValidatedPipeline& pipeline, const RunOptions& options) {
  const std::size_t n = pipeline.plugins.size();
  StepPlacement placement;
  placement.isolation.resize(n);
  placement.limits.resize(n);
  for (std::size_t s = 0; s < n; ++s) {
    const auto& step = pipeline.spec.steps(static_cast<int>(s));
    Isolation& isolation = placement.isolation[s];
    StepLimits& limits = placement.limits[s];
    isolation = resolve_isolation(step.isolation(), *pipeline.plugins[s], options.isolation);
    limits = effective_limits({step.time_limit_seconds(), step.memory_limit_mib()}, options.step_limits);
    // In process, memory is the host's resident growth, which every step and run
    // running at the same time shares: a host-wide limit would fail healthy steps
    // whenever their neighbours grow. Only a step's own request is watched there.
    if (isolation == Isolation::kInProcess && step.memory_limit_mib() == 0) limits.memory_limit_mib = 0;
    placement.any_isolated = placement.any_isolated || isolation == Isolation::kProcess;
    placement.any_in_process_limit =
        placement.any_in_process_limit ||
        (isolation == Isolation::kInProcess && (limits.time_limit_seconds > 0 || limits.memory_limit_mib > 0));
  }
  return placement;
}

// The steps of one run, each run by its flow-graph node. A step writes only its own
// StepResult; successors read their inputs after the graph's happens-before edge.
class PipelineRun {
 public:
  PipelineRun(const ValidatedPipeline& pipeline, const v1::Dataset& dataset, const RunOptions& options,
              v1::RunResult& result, std::vector<std::uint64_t> seeds, const StepPlacement& placement)
      : pipeline_(pipeline),
        options_(options),
        result_(result),
        index_(dataset),
        seeds_(std::move(seeds)),
        placement_(placement),
        log_(logger().get()),
        watchdog_(pipeline.plugins.size(), options.cancel, placement.any_in_process_limit) {
    // Isolated steps all get the same dataset: serialise it once.
    if (placement.any_isolated) dataset.SerializeToString(&serialized_dataset_);
    // Plugins that do not declare themselves thread-safe run one step at a time.
    for (const auto* loaded : pipeline.plugins) {
      if (!loaded->description.capabilities().thread_safe() && !serial_.count(loaded->plugin)) {
        serial_.emplace(loaded->plugin, std::make_unique<std::mutex>());
      }
    }
  }

  // One flow-graph node per step, edges from its inputs.
  void run_all() {
    const std::size_t n = pipeline_.plugins.size();
    tbb::flow::graph graph;
    std::vector<std::unique_ptr<tbb::flow::continue_node<tbb::flow::continue_msg>>> nodes;
    nodes.reserve(n);
    for (std::size_t s = 0; s < n; ++s) {
      nodes.push_back(std::make_unique<tbb::flow::continue_node<tbb::flow::continue_msg>>(
          graph, [this, s](const tbb::flow::continue_msg&) { run_step(s); }));
    }
    for (std::size_t s = 0; s < n; ++s) {
      for (std::size_t in : pipeline_.inputs[s]) tbb::flow::make_edge(*nodes[in], *nodes[s]);
    }
    for (std::size_t s = 0; s < n; ++s) {
      if (pipeline_.inputs[s].empty()) nodes[s]->try_put(tbb::flow::continue_msg());
    }
    graph.wait_for_all();
  }

 private:
  // A progress callback is the caller's code: its exceptions must not unwind the graph.
  void emit(StepEvent event) const {
    if (!options_.on_event) return;
    try {
      options_.on_event(event);
    } catch (const std::exception& e) {
      log_->error("progress callback failed for step {}: {}", event.step_id, e.what());
    } catch (...) {
      log_->error("progress callback failed for step {}", event.step_id);
    }
  }

  // A step whose input did not succeed is skipped; none starts once the run is cancelled.
  bool may_start(std::size_t s, v1::StepResult& step_result) const {
    const std::string& id = step_result.step_id();
    for (std::size_t in : pipeline_.inputs[s]) {
      const auto& input = result_.steps(static_cast<int>(in));
      if (input.status() != v1::STEP_STATUS_SUCCEEDED) {
        step_result.set_status(v1::STEP_STATUS_SKIPPED);
        step_result.set_error("input step '" + input.step_id() + "' did not succeed");
        emit({StepEvent::Kind::kSkipped, id, step_result.error(), 0.0});
        return false;
      }
    }
    if (options_.cancel != nullptr && options_.cancel->load()) {
      step_result.set_status(v1::STEP_STATUS_CANCELLED);
      step_result.set_error("the run was cancelled");
      emit({StepEvent::Kind::kCancelled, id, step_result.error(), 0.0});
      return false;
    }
    return true;
  }

  void run_step(std::size_t s) {
    auto* step_result = result_.mutable_steps(static_cast<int>(s));
    if (!may_start(s, *step_result)) return;
    const std::string& id = step_result->step_id();
    std::vector<StepInput> inputs;
    for (std::size_t in : pipeline_.inputs[s]) {
      inputs.push_back({result_.steps(static_cast<int>(in)).step_id(), &result_.steps(static_cast<int>(in)).artifacts()});
    }
    const StepContext context(id, index_, pipeline_.params[s], seeds_[s], std::move(inputs), watchdog_.cancel_flag(s),
                              log_,
                              [this, &id](std::uint64_t done, std::uint64_t total) {
                                emit({StepEvent::Kind::kProgress, id, "", 0.0, done, total});
                              },
                              &result_.manifest());
    emit({StepEvent::Kind::kStarted, id, "", 0.0});
    const auto start = std::chrono::steady_clock::now();
    v1::Artifacts artifacts;
    const Status status = execute(s, context, artifacts);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (status.is_ok()) {
      step_result->set_status(v1::STEP_STATUS_SUCCEEDED);
      *step_result->mutable_artifacts() = std::move(artifacts);
      emit({StepEvent::Kind::kSucceeded, id, "", seconds});
    } else {
      const bool cancelled = status.code() == StatusCode::kCancelled;
      step_result->set_status(cancelled ? v1::STEP_STATUS_CANCELLED : v1::STEP_STATUS_FAILED);
      step_result->set_error(to_valid_utf8(pipeline_.plugins[s]->description.name() + ": " + status.message()));
      emit({cancelled ? StepEvent::Kind::kCancelled : StepEvent::Kind::kFailed, id, step_result->error(), seconds});
    }
  }

  // The plugin's run, in a child process or in this one under the watchdog.
  Status execute(std::size_t s, const StepContext& context, v1::Artifacts& artifacts) {
    const StepLimits& limits = placement_.limits[s];
    if (placement_.isolation[s] == Isolation::kProcess) {
      return run_step_in_child_process(*pipeline_.plugins[s], context, serialized_dataset_, limits,
                                       options_.child_working_directory, artifacts);
    }
    std::unique_lock<std::mutex> one_at_a_time;
    if (auto it = serial_.find(pipeline_.plugins[s]->plugin); it != serial_.end()) {
      one_at_a_time = std::unique_lock<std::mutex>(*it->second);
    }
    // The limits count from here: waiting for a plugin that runs one step at a
    // time is not the step's own time.
    const auto running_since = std::chrono::steady_clock::now();
    watchdog_.watch(s, limits);
    Status status = run_step_in_this_process(*pipeline_.plugins[s]->plugin, context, artifacts);
    const auto ran = std::chrono::steady_clock::now() - running_since;
    if (Status limit = watchdog_.unwatch(s, limits, ran); !limit) status = limit;
    return status;
  }

  const ValidatedPipeline& pipeline_;
  const RunOptions& options_;
  v1::RunResult& result_;
  const DatasetIndex index_;
  const std::vector<std::uint64_t> seeds_;
  const StepPlacement& placement_;
  spdlog::logger* log_;
  std::string serialized_dataset_;
  std::map<const Plugin*, std::unique_ptr<std::mutex>> serial_;
  StepWatchdog watchdog_;
};

// In process a plugin shares the host's memory. Built-in plugins keep the contract;
// for the others, check the dataset is still the one hashed, so a plugin that wrote
// to it cannot pass off results computed on something else.
Status check_dataset_unchanged(const ValidatedPipeline& pipeline, const StepPlacement& placement,
                               const v1::Dataset& dataset, const v1::Manifest& manifest) {
  std::string untrusted;
  for (std::size_t s = 0; s < pipeline.plugins.size(); ++s) {
    if (placement.isolation[s] == Isolation::kInProcess && pipeline.plugins[s]->origin != "built-in") {
      untrusted += (untrusted.empty() ? "'" : ", '") + pipeline.spec.steps(static_cast<int>(s)).id() + "'";
    }
  }
  if (!untrusted.empty() && dataset_sha256(dataset) != manifest.dataset_sha256()) {
    return internal_error("the dataset changed during the run: a plugin that ran in process wrote to it (steps of "
                          "plugins not built in: " + untrusted + "); no result is kept. Run such steps with "
                          "\"isolation\": \"process\" (or --isolation external)");
  }
  return Status::ok();
}

}  // namespace

Expected<v1::RunResult> run_pipeline(const ValidatedPipeline& pipeline, const v1::Dataset& dataset,
                                     const RunOptions& options) {
  if (options.checked_dataset_sha256.empty()) {
    BRE_RETURN_IF_ERROR(check_dataset(dataset).with_context("dataset '" + dataset.name() + "'"));
  }
  v1::RunResult result;
  std::vector<std::uint64_t> seeds = start_result(pipeline, dataset, options, result);
  const StepPlacement placement = place_steps(pipeline, options);
  {
    PipelineRun run(pipeline, dataset, options, result, std::move(seeds), placement);
    run.run_all();
  }
  BRE_RETURN_IF_ERROR(check_dataset_unchanged(pipeline, placement, dataset, result.manifest()));
  return result;
}

}  // namespace bre
