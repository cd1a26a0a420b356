// bre: run pipelines of plugins on regional datasets.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "bre/log.hpp"
#include "bre/suggest.hpp"
#include "bre/version.hpp"
#include "commands.hpp"
#include "json_errors.hpp"

namespace {

constexpr const char* kUsage = R"(usage: bre [--log-level LEVEL] COMMAND [ARGS]

Maps and evaluates administrative regional ecosystems (BREs).

Commands:
  plugins [--json] [--plugin-dir DIR]...
        List the loaded plugins with their kind, version, origin and parameters,
        and the libraries that were skipped with the reason.
  run PIPELINE.json [--dataset FILE] [--out DIR] [--threads N] [--seed N]
                    [--plugin-dir DIR]... [--skip-bad-plugins] [--quiet] [--json]
                    [--isolation external|all|none] [--step-time-limit S] [--step-memory-limit MIB]
        Run a pipeline. Without --dataset it runs on the built-in demo dataset.
        Writes run.pb, run.json, manifest.json, CSV files and the documents
        (maps, report) of its steps to DIR (default out), which must be new,
        empty or an earlier run (replaced whole); it is checked before anything
        runs. Plugins that are not built in run in child processes
        (--isolation external). Shows progress on a terminal; --quiet prints only
        errors, --json one JSON summary. Stops with exit code 2 if a plugin
        library could not be loaded, unless --skip-bad-plugins is given.
  rerun MANIFEST.json [--dataset FILE] [--out DIR] [--threads N]
                      [--allow-version-change] [--quiet] [--json] [--isolation ...]
        Run again what a manifest.json records (pipeline, parameters, seed), after
        checking the dataset's SHA-256 and the plugins' versions and defaults
        against it: the results are byte-identical.
  compare SOURCE SOURCE [SOURCE...] [--dataset FILE] [--csv | --json]
        Compare partitions pairwise (NMI, ARI, VI, best-match Jaccard, disagreeing
        municipalities, region sizes, modularity, contiguity). A SOURCE is a run
        directory, RUN_DIR:STEP or a partition CSV.
  dataset validate FILE
        Check a dataset (.pb binary or .json) and list every problem.
  dataset info FILE [--json]
        Print what a dataset holds: municipalities (with/without population and
        geometry), bodies, arrangements by kind, domain and division, region
        definitions, commuting, area indicators, survey, cases. FILE 'demo' is
        the demo dataset.
  dataset convert IN OUT
        Convert between binary protobuf (.pb) and JSON (.json).
  dataset demo OUT [--seed N]
        Write the built-in demo dataset (default seed 2016).
  dataset add-survey DATASET --items ITEMS --responses CSV --out OUT [--replace]
        Add a representatives' survey (item map CSV/JSON, respondents CSV).
  dataset add-cases DATASET --cases CSV|JSON --out OUT [--replace]
        Add life-cycle case descriptors. DATASET 'demo' is the demo dataset.
  dataset add-indicators DATASET --table CSV --meta CSV --out OUT [--replace]
                         [--report FILE] [--delimiter C] [--decimal C]
        Add area indicators from a municipality table (a CSV keyed by code, or a
        CBS StatLine export as downloaded); the metadata CSV says which column
        holds which indicator. Writes what was not used to the report (default
        OUT without extension + .indicators.csv).
  report RUN_DIR [--dataset FILE] [--out FILE] [--lang nl|en] [--partition STEP]
        Write the run's report: one self-contained HTML file with the maps, a card
        per region (indicators, legitimacy, life-cycle stage), comparisons and
        methods (default RUN_DIR/report.html).
  import nl2016 --from DIR --out DATASET [--report FILE] [--population FILE]
        Import the public Dutch data of 2016 into a dataset and write the
        resolution report (default DATASET without extension + .report.csv).
  import files --municipalities MAP.geojson --year YEAR --out DATASET [--arrangements CSV]
               [--commuting CSV] [--regions CSV] [--mergers CSV] [--population-field F] ...
        Import any year's municipality map (GeoJSON in any CRS, reprojected to RD
        New), arrangements, commuting and region definitions from simple files
        (docs/import.md); shared borders come from the polygons.
  remote plugins|put|run|watch|get|cancel [--server HOST:PORT] [--token-file F] [--tls-ca F]
        Use a bre-server: see `bre remote --help`.
  map network [--dataset FILE] [--weighting count|fractional] --out FILE.svg|FILE.png
  map partition [--dataset FILE] --partition RUN_DIR/run.pb:STEP|FILE.csv --out FILE.svg|FILE.png
  map value [--dataset FILE] --values FILE.csv [--partition ...] --out FILE.svg|FILE.png
        Draw a map (A4) as SVG or PNG: the cooperation network, the regions of a
        partition, or one value per municipality. `bre map KIND --help` lists
        every option. Without --dataset it draws the built-in demo dataset.
  export RUN_DIR|RUN.pb|PARTITION.csv [--dataset FILE] [--partition NAME]
         --out FILE.geojson|FILE.gpkg [--crs 4326|28992] [--layer municipalities|regions]
        Write a partition with its attributes (codes, names, membership
        confidence, the per-region indicator tables) for GIS programs: GeoJSON
        (WGS 84 by default) or a GeoPackage (RD New, layers municipalities and
        regions).
  version
        Print bre's version and the plugin API version.

Global options:
  --log-level LEVEL   trace, debug, info, warn (default), error or off
  -h, --help          this help; `bre COMMAND --help` for one command

Plugins are loaded from the built-in directory, from each directory in
BRE_PLUGIN_PATH (':'-separated) and from every --plugin-dir.

Exit codes: 0 success, 2 usage or input error, 1 internal error or failed step.
)";

int version_command(const std::vector<std::string>&) {
  std::cout << "bre " << bre::bre_version() << " (plugin API " << bre::api_version_string() << ")\n";
  return bre::cli::kExitOk;
}

int help_command(const std::vector<std::string>&) {
  std::cout << kUsage;
  return bre::cli::kExitOk;
}

// The global options, then the command.
int run_bre(std::vector<std::string> args) {
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
      std::cerr << "bre: unknown option '" << option << "'" << bre::did_you_mean(option, {"--log-level"}) << "\n"
                << kUsage;
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
  // The commands, dispatched and offered for a misspelt one from the same table.
  using Command = int (*)(const std::vector<std::string>&);
  static const std::vector<std::pair<std::string, Command>> kCommands = {
      {"plugins", bre::cli::plugins_command}, {"run", bre::cli::run_command},
      {"rerun", bre::cli::rerun_command},     {"dataset", bre::cli::dataset_command},
      {"report", bre::cli::report_command},   {"import", bre::cli::import_command},
      {"remote", bre::cli::remote_command},   {"compare", bre::cli::compare_command},
      {"map", bre::cli::map_command},         {"export", bre::cli::export_command},
      {"version", version_command},           {"help", help_command}};
  std::vector<std::string> names;
  for (const auto& [name, run] : kCommands) {
    if (name != command) {
      names.push_back(name);
      continue;
    }
    try {
      return run(args);
    } catch (const std::exception& e) {
      std::cerr << "bre: internal error: " << e.what() << "\n";
      return bre::cli::kExitInternal;
    }
  }
  std::cerr << "bre: unknown command '" << command << "'" << bre::did_you_mean(command, names)
            << "; `bre --help` lists the commands\n";
  return bre::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (std::find(args.begin(), args.end(), "--json") == args.end()) return run_bre(args);
  bre::cli::JsonErrors errors;
  return errors.finish(run_bre(args));
}
