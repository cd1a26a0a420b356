#include "commands.hpp"

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>
#include <tbb/global_control.h>

#include <google/protobuf/struct.pb.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <unistd.h>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/export/gis.hpp"
#include "bre/host.hpp"
#include "bre/io.hpp"
#include "bre/language.hpp"
#include "bre/log.hpp"
#include "bre/params.hpp"
#include "bre/pipeline.hpp"
#include "bre/run_directory.hpp"
#include "bre/suggest.hpp"
#include "bre/version.hpp"
#include "bre/writers.hpp"
#include "cli_support.hpp"
#include "dataset_add_commands.hpp"
#include "progress.hpp"

namespace po = boost::program_options;

namespace bre::cli {
namespace {

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string kind_label(v1::PluginKind kind) {
  switch (kind) {
    case v1::PLUGIN_KIND_CLUSTERING: return "clustering";
    case v1::PLUGIN_KIND_INDICATOR: return "indicator";
    case v1::PLUGIN_KIND_LEGITIMACY: return "legitimacy";
    case v1::PLUGIN_KIND_LIFECYCLE: return "lifecycle";
    case v1::PLUGIN_KIND_REGION_DEFINITION: return "region definition";
    case v1::PLUGIN_KIND_REPORT: return "report";
    case v1::PLUGIN_KIND_ANALYSIS: return "analysis";
    default: return "unknown";
  }
}

std::string type_label(v1::ParameterType type) {
  switch (type) {
    case v1::PARAMETER_TYPE_BOOL: return "bool";
    case v1::PARAMETER_TYPE_INT: return "int";
    case v1::PARAMETER_TYPE_DOUBLE: return "double";
    case v1::PARAMETER_TYPE_STRING: return "string";
    case v1::PARAMETER_TYPE_STRING_LIST: return "string list";
    default: return "?";
  }
}

std::string json_quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// The --plugin-dir values, in the order given.
std::vector<std::string> plugin_directories(const po::variables_map& vm) {
  return vm.count("plugin-dir") ? vm["plugin-dir"].as<std::vector<std::string>>() : std::vector<std::string>{};
}

// One line per library the host skipped, with the reason.
void print_skipped(const PluginHost& host) {
  for (const auto& error : host.errors()) std::cerr << "bre: plugin " << error.path << ": " << error.reason << "\n";
}

}  // namespace

int plugins_command(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre plugins [--json] [--plugin-dir DIR]...";
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("json", switch_value(), "print JSON (one object with plugins and skipped)")(
      "plugin-dir", po::value<std::vector<std::string>>()->composing(), "also load plugins from DIR (repeatable)");
  po::variables_map vm;
  if (auto code = parse_options(args, "bre plugins", usage, options, {}, vm)) return *code;
  const auto directories = plugin_directories(vm);
  PluginHost host;
  if (Status status = load_standard_plugins(host, directories); !status) return fail(status);

  if (is_set(vm, "json")) {
    std::string out = "{\n\"plugins\": [";
    bool first = true;
    for (const auto* plugin : host.plugins()) {
      out += (first ? "\n" : ",\n") + to_json(plugin->description);
      first = false;
    }
    out += "],\n\"skipped\": [";
    first = true;
    for (const auto& error : host.errors()) {
      out += std::string(first ? "\n" : ",\n") + "{\"path\": " + json_quote(error.path) +
             ", \"reason\": " + json_quote(error.reason) + "}";
      first = false;
    }
    out += "]\n}\n";
    std::cout << out;
  } else {
    for (const auto* plugin : host.plugins()) {
      const auto& d = plugin->description;
      std::cout << d.name() << "  [" << kind_label(d.kind()) << "]  " << d.version() << "  (" << plugin->origin
                << ": " << d.library_path() << ")\n    " << d.summary() << "\n";
      for (const auto& p : d.parameters()) {
        std::cout << "    " << p.name() << " (" << type_label(p.type()) << ", default "
                  << to_display_string(p.default_value());
        if (p.has_minimum() || p.has_maximum()) {
          std::cout << ", range [" << (p.has_minimum() ? format_csv_number(p.minimum()) : "-inf") << ", "
                    << (p.has_maximum() ? format_csv_number(p.maximum()) : "inf") << "]";
        }
        if (!p.choices().empty()) {
          std::cout << ", one of";
          for (const auto& c : p.choices()) std::cout << " " << c;
        }
        std::cout << "): " << p.doc() << "\n";
      }
    }
  }
  print_skipped(host);
  return host.errors().empty() ? kExitOk : kExitUsage;
}

namespace {

// Options shared by `run` and `rerun`.
void add_run_options(po::options_description& options) {
  options.add_options()("help,h", "this help")(
      "dataset", po::value<std::string>(), "dataset file (.pb or .json); default: the built-in demo dataset")(
      "out", po::value<std::string>()->default_value("out"),
      "output directory: new, empty or an earlier run's (replaced whole); a symbolic link stays one")(
      "threads", po::value<std::string>()->default_value("0"), "worker threads (0 = all cores)")(
      "plugin-dir", po::value<std::vector<std::string>>()->composing(), "also load plugins from DIR (repeatable)")(
      "skip-bad-plugins", switch_value(),
      "run even if some plugin libraries could not be loaded (they are still reported)")(
      "quiet,q", switch_value(), "print nothing but errors; the exit code tells the outcome")(
      "json", switch_value(),
      "print the outcome as one JSON object on stdout (steps, status, timings, files) instead of text")(
      "isolation", po::value<std::string>()->default_value("external"),
      "steps run in a child process: external (plugins not built in), all, or none (only steps that ask)")(
      "step-time-limit", po::value<std::string>()->default_value("0"),
      "seconds any step may run (0 = none); also caps a step's own time_limit_seconds")(
      "step-memory-limit", po::value<std::string>()->default_value("0"),
      "MiB any step in a child process may use (0 = none); also caps a step's own memory_limit_mib");
}

constexpr std::uint64_t kMaxThreads = 4096;

// --isolation, --step-time-limit and --step-memory-limit as run options.
Status set_isolation_options(const po::variables_map& vm, RunOptions& run_options) {
  auto seconds = parse_number("--step-time-limit", vm["step-time-limit"].as<std::string>(),
                              {.maximum = kMaxStepTimeLimitSeconds, .unit = "seconds", .zero_means = "none"});
  if (!seconds) return seconds.status();
  auto mib = parse_whole_number("--step-memory-limit", vm["step-memory-limit"].as<std::string>(), 0,
                                kMaxStepMemoryLimitMib, "none");
  if (!mib) return mib.status();
  auto host = parse_host_isolation(vm["isolation"].as<std::string>(), *seconds, static_cast<std::int64_t>(*mib));
  if (!host) return host.status();
  run_options.isolation = host->policy;
  run_options.step_limits = host->limits;
  // Relative paths in a step's parameters mean, in a child process, what they mean in this one.
  std::error_code ec;
  run_options.child_working_directory = std::filesystem::current_path(ec).string();
  return Status::ok();
}

// The plugins not built in that would run inside bre (--isolation none), with where
// they came from; a crash or a hang there ends bre and loses every result.
std::string plugins_in_process(const ValidatedPipeline& pipeline, IsolationPolicy policy) {
  std::set<std::string> seen;
  std::string names;
  for (std::size_t s = 0; s < pipeline.plugins.size(); ++s) {
    const LoadedPlugin& plugin = *pipeline.plugins[s];
    const std::string& requested = pipeline.spec.steps(static_cast<int>(s)).isolation();
    if (plugin.origin == "built-in" || resolve_isolation(requested, plugin, policy) != Isolation::kInProcess ||
        !seen.insert(plugin.description.name()).second) {
      continue;
    }
    names += (names.empty() ? "" : ", ") + plugin.description.name() + " (" + plugin.origin + ")";
  }
  return names;
}

google::protobuf::Value string_value(const std::string& text) {
  google::protobuf::Value value;
  value.set_string_value(text);
  return value;
}

google::protobuf::Value number_value(double number) {
  google::protobuf::Value value;
  value.set_number_value(number);
  return value;
}

std::string format_seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", seconds);
  return text;
}

// " (1 partition, 2 tables)": what a step produced, zero counts left out.
std::string describe_artifacts(const v1::Artifacts& a) {
  std::vector<std::string> parts;
  auto count = [&](int n, const char* one, const char* many) {
    if (n > 0) parts.push_back(std::to_string(n) + " " + (n == 1 ? one : many));
  };
  count(a.partitions_size(), "partition", "partitions");
  count(a.networks_size(), "network", "networks");
  count(a.tables_size(), "table", "tables");
  count(a.legitimacy_size(), "legitimacy result", "legitimacy results");
  count(a.lifecycle_size(), "life-cycle result", "life-cycle results");
  count(a.comparisons_size(), "comparison", "comparisons");
  count(a.documents_size(), "document", "documents");
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? " (" : ", ") + part;
  return out.empty() ? out : out + ")";
}

// The outcome of a run as JSON for scripts: one object, stable field names.
std::string run_summary_json(const v1::RunResult& result, const std::map<std::string, double>& seconds,
                             const std::string& out_dir, const std::vector<std::string>& files, bool succeeded) {
  google::protobuf::Struct summary;
  auto& fields = *summary.mutable_fields();
  fields["status"] = string_value(succeeded ? "succeeded" : "failed");
  fields["out"] = string_value(out_dir);
  fields["dataset_sha256"] = string_value(result.manifest().dataset_sha256());
  auto* file_list = fields["files"].mutable_list_value();
  for (const auto& file : files) *file_list->add_values() = string_value(file);
  auto* steps = fields["steps"].mutable_list_value();
  for (const auto& step : result.steps()) {
    auto& s = *steps->add_values()->mutable_struct_value()->mutable_fields();
    s["id"] = string_value(step.step_id());
    s["status"] = string_value(lower_case(v1::StepStatus_Name(step.status()).substr(12)));
    if (auto it = seconds.find(step.step_id()); it != seconds.end()) s["seconds"] = number_value(it->second);
    if (!step.error().empty()) s["error"] = string_value(step.error());
    const auto& a = step.artifacts();
    s["partitions"] = number_value(a.partitions_size());
    s["tables"] = number_value(a.tables_size());
    s["documents"] = number_value(a.documents_size());
    auto* warnings = s["warnings"].mutable_list_value();
    for (const auto& warning : a.warnings()) *warnings->add_values() = string_value(warning);
  }
  return to_json(summary);
}

// The options `run` and `rerun` share, checked before any file is read: a run that
// cannot be written is not worth running.
struct RunFlags {
  std::uint64_t threads = 0;
  RunOptions run_options;
  std::string out_dir;
};

Expected<RunFlags> read_run_flags(const po::variables_map& vm) {
  RunFlags flags;
  auto threads = parse_whole_number("--threads", vm["threads"].as<std::string>(), 0, kMaxThreads, "all cores");
  if (!threads) return threads.status();
  flags.threads = clamp_threads(*threads, "bre");
  BRE_RETURN_IF_ERROR(set_isolation_options(vm, flags.run_options));
  flags.out_dir = vm["out"].as<std::string>();
  BRE_RETURN_IF_ERROR(check_output_directory(flags.out_dir));
  return flags;
}

// The plugins of a run: refuses libraries that could not be loaded unless told to skip
// them, and a rerun whose plugins changed version unless allowed. An exit code when the
// run must stop here.
std::optional<int> load_run_plugins(PluginHost& host, const po::variables_map& vm, const std::string& spec_source,
                                    const v1::Manifest* manifest) {
  const auto directories = plugin_directories(vm);
  if (Status status = load_standard_plugins(host, directories); !status) return fail(status);
  print_skipped(host);
  if (!host.errors().empty() && !is_set(vm, "skip-bad-plugins")) {
    std::cerr << "bre: " << host.errors().size()
              << " plugin librar(ies) could not be loaded (see above); fix them or pass --skip-bad-plugins\n";
    return kExitUsage;
  }
  if (manifest != nullptr && !is_set(vm, "allow-version-change")) {
    if (Status status = check_manifest_plugins(*manifest, host); !status) {
      return fail({status.code(), spec_source + ": " + status.message() +
                                      "; the rerun could differ (pass --allow-version-change to run anyway)"});
    }
  }
  return std::nullopt;
}

// The run's dataset (--dataset or the demo country), checked; a rerun's must be the
// manifest's by hash.
Expected<v1::Dataset> load_run_dataset(const po::variables_map& vm, const v1::Manifest* manifest,
                                       std::string& sha256) {
  const std::string dataset_source = vm.count("dataset") ? vm["dataset"].as<std::string>() : "demo dataset";
  v1::Dataset dataset;
  if (vm.count("dataset")) {
    auto read = read_dataset(vm["dataset"].as<std::string>());
    if (!read) return read.status();
    dataset = std::move(read.value());
  } else {
    dataset = demo::generate();
  }
  if (Status status = check_dataset(dataset); !status) return status.with_context(dataset_source);
  sha256 = dataset_sha256(dataset);
  if (manifest != nullptr && sha256 != manifest->dataset_sha256()) {
    return invalid_argument(dataset_source + ": SHA-256 " + sha256 + " differs from the manifest's " +
                            manifest->dataset_sha256() + "; pass the dataset the manifest was made with (--dataset)");
  }
  return dataset;
}

// What the engine reports while the run goes: the progress line, the log, and each
// finished step's time for the summary.
class RunProgress {
 public:
  RunProgress(bool display, std::size_t total) : display_(display, total, std::cerr), total_(total) {}

  void on_event(const StepEvent& event) {
    display_.on_event(event);
    std::lock_guard lock(mutex_);
    if (event.kind != StepEvent::Kind::kStarted && event.kind != StepEvent::Kind::kProgress) {
      seconds_[event.step_id] = event.seconds;
    }
    switch (event.kind) {
      case StepEvent::Kind::kProgress:
        logger()->debug("step {}: {}/{}", event.step_id, event.done, event.total);
        break;
      case StepEvent::Kind::kStarted: logger()->info("step {} started", event.step_id); break;
      case StepEvent::Kind::kSucceeded:
        ++finished_;
        logger()->info("[{}/{}] step {} done in {:.3f} s", finished_, total_, event.step_id, event.seconds);
        break;
      case StepEvent::Kind::kCancelled:
        ++finished_;
        logger()->warn("[{}/{}] step {}: {}", finished_, total_, event.step_id, event.message);
        break;
      case StepEvent::Kind::kFailed:
      case StepEvent::Kind::kSkipped:
        ++finished_;
        logger()->error("[{}/{}] step {}: {}", finished_, total_, event.step_id, event.message);
        break;
    }
  }

  void finish() { display_.finish(); }
  const std::map<std::string, double>& seconds() const { return seconds_; }

 private:
  ProgressDisplay display_;
  const std::size_t total_;
  std::mutex mutex_;
  std::size_t finished_ = 0;
  std::map<std::string, double> seconds_;
};

// Each step's outcome, its time and artifacts, and where the results are.
void print_run_summary(const v1::RunResult& result, const std::map<std::string, double>& seconds,
                       const std::string& out_dir, const std::vector<std::string>& written) {
  for (const auto& step : result.steps()) {
    const auto& a = step.artifacts();
    std::cout << step.step_id() << ": " << lower_case(v1::StepStatus_Name(step.status()).substr(12));
    if (step.status() == v1::STEP_STATUS_SUCCEEDED) {
      if (auto it = seconds.find(step.step_id()); it != seconds.end()) std::cout << " in " << format_seconds(it->second);
      std::cout << describe_artifacts(a);
      for (const auto& warning : a.warnings()) std::cout << "\n  warning: " << warning;
    } else {
      std::cout << ": " << step.error();
    }
    std::cout << "\n";
  }
  std::cout << "results: " << out_dir << "/run.json\n";
  for (const auto& path : written) {
    if (path.size() > 5 && path.compare(path.size() - 5, 5, ".html") == 0) std::cout << "report: " << path << "\n";
  }
}

// Loads plugins and the dataset, validates the spec, runs it and writes the outputs.
int execute(const v1::PipelineSpec& spec, const std::string& spec_source, std::uint64_t seed, RunFlags flags,
            const po::variables_map& vm, const v1::Manifest* manifest) {
  // A pipeline file's relative paths name files beside it; a manifest's are resolved.
  std::error_code ec;
  const std::string spec_directory =
      manifest == nullptr ? std::filesystem::absolute(spec_source, ec).parent_path().string() : std::string();
  RunOptions& run_options = flags.run_options;
  const std::string& out_dir = flags.out_dir;
  PluginHost host;
  if (std::optional<int> stop = load_run_plugins(host, vm, spec_source, manifest)) return *stop;
  std::string sha256;
  auto dataset = load_run_dataset(vm, manifest, sha256);
  if (!dataset) return fail(dataset.status());
  auto pipeline = validate_pipeline(spec, host, spec_directory);
  if (!pipeline) return fail(pipeline.status().with_context(spec_source));
  if (Status status = gis::check_run_exports(spec, spec_source); !status) return fail(status);

  std::optional<tbb::global_control> thread_limit;
  if (flags.threads > 0) {
    thread_limit.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(flags.threads));
  }
  const bool json = is_set(vm, "json");
  const bool quiet = is_set(vm, "quiet");
  if (const std::string names = plugins_in_process(*pipeline, run_options.isolation); !names.empty() && !quiet) {
    std::cerr << "bre: warning: --isolation none: " << names
              << " run inside bre; if one crashes or hangs, bre stops and no result is written\n";
  }
  RunProgress progress(!quiet && !json && stderr_is_terminal() && logger()->level() > spdlog::level::info,
                       static_cast<std::size_t>(spec.steps_size()));
  run_options.seed = seed;
  run_options.checked_dataset_sha256 = sha256;
  run_options.on_event = [&progress](const StepEvent& event) { progress.on_event(event); };
  auto result = run_pipeline(*pipeline, *dataset, run_options);
  progress.finish();
  if (!result) return fail(result.status());

  const DatasetIndex index(*dataset);
  auto exported = gis::export_run_files(*result, index);
  if (!exported) return fail(exported.status());
  auto written = write_run_outputs(*result, index, out_dir, *exported);
  if (!written) return fail(written.status());

  int exit_code = kExitOk;
  for (const auto& step : result->steps()) {
    if (step.status() != v1::STEP_STATUS_SUCCEEDED) exit_code = kExitInternal;
  }
  if (json) {
    std::cout << run_summary_json(*result, progress.seconds(), out_dir, *written, exit_code == kExitOk) << "\n";
  } else if (quiet) {
    for (const auto& step : result->steps()) {
      if (step.status() != v1::STEP_STATUS_SUCCEEDED) std::cerr << "bre: step " << step.step_id() << ": " << step.error() << "\n";
    }
  } else {
    print_run_summary(*result, progress.seconds(), out_dir, *written);
  }
  return exit_code;
}

}  // namespace

int run_command(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: bre run PIPELINE.json [--dataset FILE] [--out DIR] [--threads N] [--seed N] [--lang nl|en] [--plugin-dir DIR]...";
  po::options_description options("Options");
  add_run_options(options);
  options.add_options()("pipeline", po::value<std::string>()->required(), "the pipeline spec (JSON)")(
      "seed", po::value<std::string>()->default_value("1"),
      "run seed, 0 to 18446744073709551615; each step derives its own from it")(
      "lang", po::value<std::string>(),
      "language of the run's texts, nl or en (warnings, labels, maps, report); default: the pipeline's, else nl");
  po::positional_options_description positional;
  positional.add("pipeline", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre run", usage, options, positional, vm)) return *code;
  auto seed = parse_seed("--seed", vm["seed"].as<std::string>());
  if (!seed) return fail(seed.status());
  auto flags = read_run_flags(vm);
  if (!flags) return fail(flags.status());
  const std::string path = vm["pipeline"].as<std::string>();
  auto spec = read_pipeline_spec(path);
  if (!spec) return fail(spec.status());
  if (vm.count("lang")) {
    auto language = parse_language(vm["lang"].as<std::string>());
    if (!language) return fail(language.status().with_context("--lang"));
    spec->set_language(std::string(language_code(*language)));
  }
  return execute(*spec, path, *seed, std::move(flags).value(), vm, nullptr);
}

int rerun_command(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre rerun MANIFEST.json [--dataset FILE] [--out DIR] [--threads N] [--allow-version-change]";
  po::options_description options("Options");
  add_run_options(options);
  options.add_options()("manifest", po::value<std::string>()->required(), "a manifest.json written by bre run")(
      "allow-version-change", switch_value(), "run even if a plugin's version or a default differs from the manifest's");
  po::positional_options_description positional;
  positional.add("manifest", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre rerun", usage, options, positional, vm)) return *code;
  auto flags = read_run_flags(vm);
  if (!flags) return fail(flags.status());
  const std::string path = vm["manifest"].as<std::string>();
  auto content = read_file(path);
  if (!content) return fail(content.status());
  v1::Manifest manifest;
  if (Status status = from_json(*content, path, manifest); !status) return fail(status);
  if (manifest.bre_version() != bre_version()) {
    logger()->warn("{} was written by bre {}, this is bre {}", path, manifest.bre_version(), bre_version());
  }
  return execute(spec_from_manifest(manifest), path, manifest.seed(), std::move(flags).value(), vm, &manifest);
}

namespace {

int dataset_validate(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre dataset validate FILE";
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("file", po::value<std::string>()->required(), "dataset (.pb or .json)");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre dataset validate", usage, options, positional, vm)) return *code;
  const std::string path = vm["file"].as<std::string>();
  auto dataset = read_dataset(path);
  if (!dataset) return fail(dataset.status());
  const auto problems = validate_dataset(*dataset);
  for (const auto& problem : problems) std::cerr << path << ": " << problem << "\n";
  if (!problems.empty()) return kExitUsage;
  std::cout << path << ": valid dataset '" << dataset->name() << "': " << dataset->municipalities_size()
            << " municipalities, " << dataset->bodies_size() << " bodies, " << dataset->arrangements_size()
            << " arrangements, " << dataset->region_definitions_size() << " region definitions, "
            << dataset->commuting_flows_size() << " commuting flows, " << dataset->indicator_values_size()
            << " indicator values, " << dataset->survey_responses_size() << " survey responses, "
            << dataset->cases_size() << " cases\n";
  return kExitOk;
}

int dataset_convert(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre dataset convert IN OUT   (.pb = binary protobuf, .json = JSON)";
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("in", po::value<std::string>()->required(), "input dataset")(
      "out", po::value<std::string>()->required(), "output dataset");
  po::positional_options_description positional;
  positional.add("in", 1).add("out", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre dataset convert", usage, options, positional, vm)) return *code;
  auto dataset = read_dataset(vm["in"].as<std::string>());
  if (!dataset) return fail(dataset.status());
  if (Status status = write_dataset(*dataset, vm["out"].as<std::string>()); !status) return fail(status);
  std::cout << "wrote " << vm["out"].as<std::string>() << "\n";
  return kExitOk;
}

int dataset_demo(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre dataset demo OUT [--seed N]";
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("out", po::value<std::string>()->required(), "output file")(
      "seed", po::value<std::string>()->default_value(std::to_string(demo::kDefaultSeed)),
      "generator seed, 0 to 18446744073709551615");
  po::positional_options_description positional;
  positional.add("out", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre dataset demo", usage, options, positional, vm)) return *code;
  auto seed = parse_seed("--seed", vm["seed"].as<std::string>());
  if (!seed) return fail(seed.status());
  const auto dataset = demo::generate(*seed);
  if (Status status = write_dataset(dataset, vm["out"].as<std::string>()); !status) return fail(status);
  std::cout << "wrote " << vm["out"].as<std::string>() << "\n";
  return kExitOk;
}

}  // namespace

int dataset_command(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre dataset validate FILE | info FILE [--json] | convert IN OUT | demo OUT [--seed N]";
  if (args.empty()) {
    std::cerr << "bre: dataset needs a subcommand\n" << usage << "\n";
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << usage << "\n";
    return kExitOk;
  }
  // The subcommands, dispatched and offered for a misspelt one from the same table.
  using Subcommand = int (*)(const std::vector<std::string>&);
  static const std::vector<std::pair<std::string, Subcommand>> kSubcommands = {
      {"validate", dataset_validate},          {"info", dataset_info},
      {"convert", dataset_convert},            {"demo", dataset_demo},
      {"add-survey", dataset_add_survey},      {"add-cases", dataset_add_cases},
      {"add-indicators", dataset_add_indicators}};
  std::vector<std::string> names;
  for (const auto& [name, run] : kSubcommands) {
    if (name == args[0]) return run({args.begin() + 1, args.end()});
    names.push_back(name);
  }
  std::cerr << "bre: unknown dataset subcommand '" << args[0] << "'" << did_you_mean(args[0], names) << "; " << usage
            << "\n";
  return kExitUsage;
}

}  // namespace bre::cli
