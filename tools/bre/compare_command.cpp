// `bre compare`: compares partitions from run directories or partition CSV files
// (DOMAIN.md §2) and prints a table as text, CSV or JSON.
#include <boost/program_options.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bre/compare.hpp"
#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/import/partition_csv.hpp"
#include "bre/io.hpp"
#include "bre/network.hpp"
#include "bre/region_constraints.hpp"
#include "bre/writers.hpp"
#include "bre/v1/pipeline.pb.h"
#include "cli_support.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace bre::cli {
namespace {

constexpr const char* kUsage =
    "usage: bre compare SOURCE SOURCE [SOURCE...] [--dataset FILE] [--resolution R]\n"
    "                   [--weighting count|fractional] [--kinds KIND...] [--csv | --json]\n"
    "\n"
    "Compares two or more partitions pairwise: NMI, adjusted Rand index, variation of\n"
    "information, mean best-match Jaccard both ways, the municipalities on which they\n"
    "disagree, and each partition's regions, sizes, modularity and contiguity.\n"
    "A SOURCE is a run directory written by `bre run` (all its partitions), RUN_DIR:STEP\n"
    "(the partitions of one step), or a partition CSV (<step>.partition.csv). Modularity\n"
    "is taken on the cooperation network of --dataset (default: the demo dataset), which\n"
    "must be the dataset the partitions were made from.";

// The partitions of a run directory (all, or those of one step), after checking that
// the run was made from `dataset_sha256` when the directory has a manifest.
Expected<std::vector<v1::Partition>> read_run_partitions(const std::string& directory, const std::string& step,
                                                         const std::string& dataset_sha256,
                                                         const std::string& dataset_source) {
  const std::string manifest_path = directory + "/manifest.json";
  if (std::filesystem::exists(manifest_path)) {
    Expected<std::string> content = read_file(manifest_path);
    if (!content) return content.status();
    v1::Manifest manifest;
    BRE_RETURN_IF_ERROR(from_json(*content, manifest_path, manifest));
    if (manifest.dataset_sha256() != dataset_sha256) {
      return invalid_argument(manifest_path + ": the run was made from a dataset with SHA-256 " +
                              manifest.dataset_sha256() + ", " + dataset_source + " has " + dataset_sha256 +
                              "; pass the run's dataset with --dataset");
    }
  }
  const std::string run_path = directory + "/run.pb";
  Expected<std::string> bytes = read_file(run_path);
  if (!bytes) return bytes.status();
  v1::RunResult run;
  if (!run.ParseFromString(*bytes)) return invalid_argument(run_path + ": not a bre.v1.RunResult (corrupt protobuf)");
  std::vector<v1::Partition> partitions;
  std::vector<std::string> steps;
  for (const v1::StepResult& result : run.steps()) {
    steps.push_back(result.step_id());
    if (!step.empty() && result.step_id() != step) continue;
    for (const v1::Partition& partition : result.artifacts().partitions()) partitions.push_back(partition);
  }
  if (partitions.empty()) {
    std::string known;
    for (const std::string& id : steps) known += (known.empty() ? "" : ", ") + id;
    return invalid_argument(run_path + ": " + (step.empty() ? "the run" : "step '" + step + "'") +
                            " produced no partition (steps: " + known + ")");
  }
  return partitions;
}

// Gives partitions whose names clash the name of their source in front.
void disambiguate(std::vector<std::pair<std::string, v1::Partition>>& sourced) {
  std::map<std::string, int> count;
  for (const auto& [source, partition] : sourced) ++count[partition.name()];
  for (auto& [source, partition] : sourced) {
    if (count[partition.name()] > 1) partition.set_name(source + ":" + partition.name());
  }
}

std::string number_text(double value, int decimals) {
  if (std::isnan(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// An indicator table as aligned text: the row label, then one column per indicator.
std::string text_table(const v1::IndicatorTable& table, const std::string& first_header, const std::vector<int>& decimals) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header = {first_header};
  for (const auto& column : table.columns()) header.push_back(column.id());
  cells.push_back(header);
  for (const auto& row : table.rows()) {
    std::vector<std::string> line = {row.region_id()};
    for (int c = 0; c < row.values_size(); ++c) line.push_back(number_text(row.values(c), decimals[static_cast<std::size_t>(c)]));
    cells.push_back(line);
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& line : cells) {
    for (std::size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
  }
  std::string out;
  for (const auto& line : cells) {
    for (std::size_t c = 0; c < line.size(); ++c) {
      const std::string pad(width[c] - line[c].size(), ' ');
      out += c == 0 ? line[c] + pad : "  " + pad + line[c];
    }
    out += "\n";
  }
  return out;
}

std::string csv_table(const std::vector<v1::PartitionComparison>& comparisons) {
  std::string out =
      "partition_a,partition_b,nmi,ari,vi,jaccard_a_to_b,jaccard_b_to_a,compared,disagreeing,"
      "regions_a,regions_b,min_size_a,min_size_b,median_size_a,median_size_b,max_size_a,max_size_b,"
      "unassigned_a,unassigned_b,modularity_a,modularity_b,contiguity_a,contiguity_b\n";
  for (const auto& c : comparisons) {
    const auto& a = c.summary_a();
    const auto& b = c.summary_b();
    out += csv_field(c.partition_a()) + "," + csv_field(c.partition_b());
    for (double value : {c.nmi(), c.adjusted_rand(), c.variation_of_information(), c.mean_best_jaccard_a_to_b(),
                         c.mean_best_jaccard_b_to_a(), static_cast<double>(c.compared_municipalities()),
                         static_cast<double>(c.disagreement_count()), static_cast<double>(a.region_count()),
                         static_cast<double>(b.region_count()), static_cast<double>(a.min_region_size()),
                         static_cast<double>(b.min_region_size()), a.median_region_size(), b.median_region_size(),
                         static_cast<double>(a.max_region_size()), static_cast<double>(b.max_region_size()),
                         static_cast<double>(a.unassigned()), static_cast<double>(b.unassigned()), a.modularity(),
                         b.modularity(), a.contiguity(), b.contiguity()}) {
      out += "," + format_csv_number(value);
    }
    out += "\n";
  }
  return out;
}

}  // namespace

int compare_command(const std::vector<std::string>& args) {
  po::options_description options("Options");
  options.add_options()("help,h", "this help")(
      "dataset", po::value<std::string>(), "the partitions' dataset (.pb or .json); default: the built-in demo dataset")(
      "resolution", po::value<std::string>()->default_value("1"), "resolution of the modularity reported (> 0)")(
      "weighting", po::value<std::string>()->default_value("count"), "cooperation network weighting: count or fractional")(
      "kinds", po::value<std::vector<std::string>>()->multitoken(),
      "arrangement kinds that count as cooperation (default: cooperation)")(
      "csv", switch_value(), "print CSV: one row per pair, with both partitions' summaries")(
      "json", switch_value(), "print JSON: the partitions' summaries and every comparison, with the disagreeing municipalities")(
      "source", po::value<std::vector<std::string>>(), "run directory, RUN_DIR:STEP or partition CSV");
  po::positional_options_description positional;
  positional.add("source", -1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre compare", kUsage, options, positional, vm)) return *code;
  if (is_set(vm, "csv") && is_set(vm, "json")) return fail(invalid_argument("--csv and --json: choose one output format"));
  auto resolution = parse_number("--resolution", vm["resolution"].as<std::string>(), {.above_minimum = true, .unit = {}, .zero_means = {}});
  if (!resolution) return fail(resolution.status());
  const std::vector<std::string> sources =
      vm.count("source") ? vm["source"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (sources.empty()) {
    std::cerr << "bre: compare: expected two or more partition sources, found none\n" << kUsage << "\n";
    return kExitUsage;
  }

  const std::string dataset_source = vm.count("dataset") ? vm["dataset"].as<std::string>() : "the demo dataset";
  v1::Dataset dataset;
  if (vm.count("dataset")) {
    Expected<v1::Dataset> read = read_dataset(vm["dataset"].as<std::string>());
    if (!read) return fail(read.status());
    dataset = std::move(read).value();
  } else {
    dataset = demo::generate();
  }
  if (Status status = check_dataset(dataset); !status) return fail(status.with_context(dataset_source));
  const std::string sha256 = dataset_sha256(dataset);
  const DatasetIndex index(dataset);

  std::vector<std::pair<std::string, v1::Partition>> sourced;
  for (const std::string& source : sources) {
    std::error_code ec;
    std::string directory = source;
    std::string step;
    if (!std::filesystem::is_directory(source, ec)) {
      const std::size_t colon = source.rfind(':');
      if (colon != std::string::npos && std::filesystem::is_directory(source.substr(0, colon), ec)) {
        directory = source.substr(0, colon);
        step = source.substr(colon + 1);
      } else {
        directory.clear();
      }
    }
    if (directory.empty()) {
      Expected<v1::Partition> partition = import::read_partition_csv(source, index);
      if (!partition) return fail(partition.status());
      sourced.emplace_back(source, std::move(partition).value());
      continue;
    }
    Expected<std::vector<v1::Partition>> partitions = read_run_partitions(directory, step, sha256, dataset_source);
    if (!partitions) return fail(partitions.status());
    for (v1::Partition& partition : *partitions) sourced.emplace_back(directory, std::move(partition));
  }
  disambiguate(sourced);
  std::vector<v1::Partition> partitions;
  for (auto& [source, partition] : sourced) partitions.push_back(std::move(partition));

  NetworkOptions network;
  Expected<Weighting> weighting = parse_weighting(vm["weighting"].as<std::string>());
  if (!weighting) return fail(weighting.status().with_context("--weighting"));
  network.weighting = *weighting;
  if (vm.count("kinds")) {
    network.kinds.clear();
    for (const std::string& text : vm["kinds"].as<std::vector<std::string>>()) {
      Expected<v1::ArrangementKind> kind = parse_arrangement_kind(text);
      if (!kind) return fail(kind.status().with_context("--kinds"));
      network.kinds.push_back(*kind);
    }
  }
  Expected<Graph> ties = build_cooperation_network(index, network);
  if (!ties) return fail(ties.status().with_context(dataset_source));
  Expected<Graph> map = map_adjacency_graph(index);
  if (!map) return fail(map.status().with_context(dataset_source));
  ComparisonParameters parameters;
  parameters.resolution = *resolution;
  Expected<PairwiseComparison> result = compare_pairwise(index, *ties, *map, partitions, parameters);
  if (!result) return fail(result.status());

  if (is_set(vm, "json")) {
    std::string out = "{\n\"resolution\": " + format_csv_number(parameters.resolution) + ",\n\"partitions\": [";
    for (std::size_t i = 0; i < result->summaries.size(); ++i) out += (i == 0 ? "\n" : ",\n") + to_json(result->summaries[i]);
    out += "],\n\"comparisons\": [";
    for (std::size_t i = 0; i < result->comparisons.size(); ++i) {
      out += (i == 0 ? "\n" : ",\n") + to_json(result->comparisons[i]);
    }
    out += "]\n}\n";
    std::cout << out;
  } else if (is_set(vm, "csv")) {
    std::cout << csv_table(result->comparisons);
  } else {
    std::cout << "Partitions (modularity at resolution " << format_csv_number(parameters.resolution)
              << " on the cooperation network of " << dataset_source << "):\n"
              << text_table(partition_summary_table(result->summaries, parameters.resolution), "partition",
                            {0, 0, 1, 0, 0, 4, 3})
              << "\nPairs (over the municipalities assigned in both):\n"
              << text_table(comparison_table(result->comparisons), "pair", {4, 4, 4, 4, 4, 0, 0});
    if (map->edge_count() == 0) std::cout << "\n" << dataset_source << " has no adjacency: contiguity is not known.\n";
  }
  return kExitOk;
}

}  // namespace bre::cli
