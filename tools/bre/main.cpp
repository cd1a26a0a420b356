// bre: run pipelines of plugins on regional datasets.
#include <spdlog/spdlog.h>

#include <iostream>
#include <string>
#include <vector>

#include "bre/log.hpp"
#include "bre/version.hpp"
#include "commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: bre [--log-level LEVEL] COMMAND [ARGS]

Maps and evaluates administrative regional ecosystems (BREs).

Commands:
  plugins [--json] [--plugin-dir DIR]...
        List the loaded plugins with their kind, version, origin and parameters,
        and the libraries that were skipped with the reason.
  run PIPELINE.json [--dataset FILE] [--out DIR] [--threads N] [--seed N]
                    [--plugin-dir DIR]... [--skip-bad-plugins]
        Run a pipeline. Without --dataset it runs on the built-in demo dataset.
        Writes run.pb, run.json, manifest.json and CSV files to DIR (default out).
        Stops with exit code 2 if a plugin library could not be loaded, unless
        --skip-bad-plugins is given.
  rerun MANIFEST.json [--dataset FILE] [--out DIR] [--threads N]
                      [--allow-version-change]
        Run again what a manifest.json records (pipeline, parameters, seed), after
        checking the dataset's SHA-256 and the plugins' versions and defaults
        against it: the results are byte-identical.
  dataset validate FILE
        Check a dataset (.pb binary or .json) and list every problem.
  dataset convert IN OUT
        Convert between binary protobuf (.pb) and JSON (.json).
  dataset demo OUT [--seed N]
        Write the built-in demo dataset (default seed 2016).
  map network [--dataset FILE] [--weighting count|fractional] --out FILE.svg
  map partition [--dataset FILE] --partition RUN_DIR/run.pb:STEP|FILE.csv --out FILE.svg
  map value [--dataset FILE] --values FILE.csv [--partition ...] --out FILE.svg
        Draw an SVG map (A4): the cooperation network, the regions of a
        partition, or one value per municipality. `bre map KIND --help` lists
        every option. Without --dataset it draws the built-in demo dataset.
  version
        Print bre's version and the plugin API version.

Global options:
  --log-level LEVEL   trace, debug, info, warn (default), error or off
  -h, --help          this help; `bre COMMAND --help` for one command

Plugins are loaded from the built-in directory, from each directory in
BRE_PLUGIN_PATH (':'-separated) and from every --plugin-dir.

Exit codes: 0 success, 2 usage or input error, 1 internal error or failed step.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Global options come before the command.
  while (!args.empty() && args.front().rfind("-", 0) == 0) {
    const std::string option = args.front();
    if (option == "-h" || option == "--help") {
      std::cout << kUsage;
      return bre::cli::kExitOk;
    }
    if (option == "--version") {
      args.front() = "version";
      break;
    }
    std::string value;
    if (option == "--log-level") {
      if (args.size() < 2) {
        std::cerr << "bre: --log-level: expected trace, debug, info, warn, error or off, found nothing\n";
        return bre::cli::kExitUsage;
      }
      value = args[1];
      args.erase(args.begin(), args.begin() + 2);
    } else if (option.rfind("--log-level=", 0) == 0) {
      value = option.substr(12);
      args.erase(args.begin());
    } else {
      std::cerr << "bre: unknown option '" << option << "'\n" << kUsage;
      return bre::cli::kExitUsage;
    }
    if (auto status = bre::set_log_level(value); !status) {
      std::cerr << "bre: " << status.message() << "\n";
      return bre::cli::kExitUsage;
    }
  }
  if (args.empty()) {
    std::cerr << kUsage;
    return bre::cli::kExitUsage;
  }
  const std::string command = args.front();
  args.erase(args.begin());
  try {
    if (command == "plugins") return bre::cli::plugins_command(args);
    if (command == "run") return bre::cli::run_command(args);
    if (command == "rerun") return bre::cli::rerun_command(args);
    if (command == "dataset") return bre::cli::dataset_command(args);
    if (command == "map") return bre::cli::map_command(args);
    if (command == "version") {
      std::cout << "bre " << bre::bre_version() << " (plugin API " << bre::api_version_string() << ")\n";
      return bre::cli::kExitOk;
    }
    if (command == "help") {
      std::cout << kUsage;
      return bre::cli::kExitOk;
    }
  } catch (const std::exception& e) {
    std::cerr << "bre: internal error: " << e.what() << "\n";
    return bre::cli::kExitInternal;
  }
  std::cerr << "bre: unknown command '" << command << "'\n" << kUsage;
  return bre::cli::kExitUsage;
}
