// `bre export`: a run's partition with its indicators as GeoJSON or GeoPackage, for GIS
// programs (docs/export.md).
#include <boost/program_options.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/export/gis.hpp"
#include "bre/import/partition_csv.hpp"
#include "bre/io.hpp"
#include "bre/v1/pipeline.pb.h"
#include "cli_support.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace bre::cli {
namespace {

constexpr const char* kUsage =
    "usage: bre export RUN_DIR|RUN.pb|PARTITION.csv [--dataset FILE] [--partition NAME]\n"
    "                  --out FILE.geojson|FILE.gpkg [--crs 4326|28992] [--layer municipalities|regions]\n"
    "\n"
    "Writes a partition with its attributes for GIS programs: per municipality its code and\n"
    "name, its region's id and name, its membership confidence when the run has one, and\n"
    "every column of the run's per-region indicator tables for that partition. A GeoPackage\n"
    "(EPSG:28992) holds the layers municipalities and regions (the regions dissolved); a\n"
    "GeoJSON file holds one of them (--layer), in WGS 84 (EPSG:4326, RFC 7946) unless\n"
    "--crs 28992. The partition is the run's first clustering unless --partition names one.\n"
    "The dataset must be the run's (its SHA-256 is checked against the manifest); default:\n"
    "the built-in demo dataset.";

Expected<v1::RunResult> read_run(const std::string& path) {
  auto bytes = read_file(path);
  if (!bytes) return bytes.status();
  v1::RunResult run;
  if (!run.ParseFromString(*bytes)) {
    return invalid_argument(path + ": not a bre run result (corrupt or another kind of file)");
  }
  return run;
}

}  // namespace

int export_command(const std::vector<std::string>& args) {
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("source", po::value<std::string>()->required(),
                                               "run directory, its run.pb, or a partition CSV")(
      "dataset", po::value<std::string>(),
      "the dataset the run used (checked against the manifest's SHA-256); default: the built-in demo dataset")(
      "partition", po::value<std::string>()->default_value(""),
      "the partition to export, by name (default: the first clustering's)")(
      "out", po::value<std::string>()->required(), "FILE.geojson or FILE.gpkg")(
      "crs", po::value<std::string>(), "4326 (WGS 84) or 28992 (RD New); default 4326 for GeoJSON, 28992 for GeoPackage")(
      "layer", po::value<std::string>()->default_value("municipalities"),
      "GeoJSON only: municipalities or regions (a GeoPackage holds both)");
  po::positional_options_description positional;
  positional.add("source", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre export", kUsage, options, positional, vm)) return *code;

  // Everything the command line decides is checked before any file is read.
  const std::string out = vm["out"].as<std::string>();
  gis::ExportRequest request{out, 0, vm["layer"].as<std::string>()};
  if (vm.count("crs")) {
    auto epsg = gis::parse_epsg(vm["crs"].as<std::string>());
    if (!epsg) return fail(epsg.status().with_context("--crs"), "bre export");
    request.epsg = *epsg;
  }
  auto export_options = gis::export_options(request, {"--out", "--crs", "--layer"});
  if (!export_options) return fail(export_options.status(), "bre export");

  v1::Dataset dataset;
  std::string dataset_source = "the built-in demo dataset";
  if (vm.count("dataset")) {
    dataset_source = vm["dataset"].as<std::string>();
    auto read = read_dataset(dataset_source);
    if (!read) return fail(read.status(), "bre export");
    dataset = std::move(*read);
  } else {
    dataset = demo::generate();
  }
  if (Status status = check_dataset(dataset); !status) return fail(status.with_context(dataset_source), "bre export");
  const DatasetIndex index(dataset);

  const std::string source = vm["source"].as<std::string>();
  const std::string partition_name = vm["partition"].as<std::string>();
  gis::RunPartition chosen;
  std::error_code ec;
  if (lower_ascii(std::filesystem::path(source).extension().string()) == ".csv") {
    if (!partition_name.empty()) {
      return fail(invalid_argument("--partition: a partition CSV holds one partition; --partition is for runs"),
                  "bre export");
    }
    auto partition = import::read_partition_csv(source, index);
    if (!partition) return fail(partition.status(), "bre export");
    chosen.partition = std::move(*partition);
  } else {
    const std::string run_path = std::filesystem::is_directory(source, ec) ? source + "/run.pb" : source;
    auto run = read_run(run_path);
    if (!run) return fail(run.status(), "bre export");
    const std::string sha256 = dataset_sha256(dataset);
    if (sha256 != run->manifest().dataset_sha256()) {
      return fail(invalid_argument(dataset_source + " is not the dataset of " + run_path + " (SHA-256 " + sha256 +
                                   ", the run's manifest says " + run->manifest().dataset_sha256() +
                                   "); pass the run's dataset with --dataset"),
                  "bre export");
    }
    auto found = gis::find_run_partition(*run, partition_name, run_path);
    if (!found) return fail(found.status(), "bre export");
    chosen = std::move(*found);
  }

  auto summary = gis::export_partition(index, chosen.partition, chosen.tables, out, *export_options);
  if (!summary) return fail(summary.status(), "bre export");
  std::string layers;
  for (const std::string& name : summary->layers) {
    const std::size_t count = name == "regions" ? summary->regions : summary->municipalities;
    layers += (layers.empty() ? "" : ", ") + name + " (" + std::to_string(count) + ")";
  }
  std::cout << "wrote " << out << ": partition " << chosen.partition.name() << ", EPSG:" << export_options->epsg
            << ", layers " << layers << ", " << summary->attributes.size() << " indicator attributes";
  if (!chosen.skipped_tables.empty()) {
    std::string skipped;
    for (const std::string& name : chosen.skipped_tables) skipped += (skipped.empty() ? "" : ", ") + name;
    std::cout << " (not one row per region, left out: " << skipped << ")";
  }
  std::cout << "\n";
  return kExitOk;
}

}  // namespace bre::cli
