// `bre map network|partition|value`: draw one map from a dataset and a partition or a
// values file, without a pipeline, as SVG or (rendered by librsvg) PNG.
#include <boost/program_options.hpp>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/export/png.hpp"
#include "bre/import/csv.hpp"
#include "bre/import/partition_csv.hpp"
#include "bre/io.hpp"
#include "bre/language.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/network.hpp"
#include "bre/suggest.hpp"
#include "bre/v1/pipeline.pb.h"
#include "cli_support.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace bre::cli {
namespace {

std::string join_fields(const std::vector<std::string>& fields) {
  std::string text;
  for (const auto& field : fields) text += (text.empty() ? "" : ",") + field;
  return text;
}

// RUN.pb:STEP or RUN.json:STEP: the first partition of that step of a run result.
Expected<v1::Partition> read_run_partition(const std::string& run_path, const std::string& step_id) {
  auto content = read_file(run_path);
  if (!content) return content.status();
  v1::RunResult run;
  if (format_from_path(run_path) == DatasetFormat::kJson) {
    BRE_RETURN_IF_ERROR(from_json(*content, run_path, run));
  } else if (!run.ParseFromString(*content)) {
    return invalid_argument(run_path + ": expected a binary bre.v1.RunResult (run.pb), found bytes that do not parse");
  }
  std::string with_partitions;
  for (const v1::StepResult& step : run.steps()) {
    if (step.artifacts().partitions_size() > 0) with_partitions += (with_partitions.empty() ? "" : ", ") + step.step_id();
    if (step.step_id() != step_id) continue;
    if (step.artifacts().partitions_size() == 0) break;
    return step.artifacts().partitions(0);
  }
  return invalid_argument(run_path + ": expected a step with a partition, found no partition for step '" + step_id +
                          "' (steps with one: " + (with_partitions.empty() ? "none" : with_partitions) + ")");
}

Expected<v1::Partition> read_partition(const std::string& spec, const DatasetIndex& index) {
  const auto colon = spec.rfind(':');
  if (colon != std::string::npos && spec.find('/', colon) == std::string::npos) {
    return read_run_partition(spec.substr(0, colon), spec.substr(colon + 1));
  }
  if (spec.size() >= 4 && spec.compare(spec.size() - 4, 4, ".csv") == 0) return import::read_partition_csv(spec, index);
  return invalid_argument("--partition: expected RUN_DIR/run.pb:STEP or a partition CSV (FILE.csv), found '" + spec +
                          "'");
}

// code,value per line (header "code,value"); an empty value or NaN is "no value".
Expected<std::vector<v1::MunicipalityValue>> read_values_csv(const std::string& path, const DatasetIndex& index) {
  auto text = read_file(path);
  if (!text) return text.status();
  auto table = import::parse_csv(*text, path, import::CsvOptions{});
  if (!table) return table.status();
  if (table->header.size() != 2 || (table->header[0] != "code" && table->header[0] != "municipality_code")) {
    return invalid_argument(path + ":1: expected the header code,value, found '" + join_fields(table->header) + "'");
  }
  std::vector<v1::MunicipalityValue> values;
  std::map<std::string, std::int64_t> line_of_code;
  for (const import::CsvRecord& record : table->records) {
    const std::string where = path + ":" + std::to_string(record.line);
    const std::string& code = record.fields[0];
    if (!index.municipality(code)) {
      return invalid_argument(where + ": unknown municipality code '" + code + "' (not in dataset '" +
                              index.dataset().name() + "')");
    }
    if (auto [previous, inserted] = line_of_code.emplace(code, record.line); !inserted) {
      return invalid_argument(where + ": '" + code + "' has a value already on line " +
                              std::to_string(previous->second));
    }
    const std::string& text_value = record.fields[1];
    double value = NAN;
    if (!text_value.empty() && text_value != "NaN") {
      const auto [end, error] = std::from_chars(text_value.data(), text_value.data() + text_value.size(), value);
      if (error != std::errc() || end != text_value.data() + text_value.size() || !std::isfinite(value)) {
        return invalid_argument(where + ": value: expected a finite number, empty or NaN, found '" + text_value + "'");
      }
    }
    v1::MunicipalityValue entry;
    entry.set_municipality_code(code);
    entry.set_value(value);
    values.push_back(std::move(entry));
  }
  return values;
}

// Options every map subcommand takes.
void add_common_options(po::options_description& options) {
  options.add_options()("help,h", "this help")(
      "dataset", po::value<std::string>(), "dataset file (.pb or .json); default: the built-in demo dataset")(
      "out", po::value<std::string>()->required(), "the map to write: FILE.svg or FILE.png")(
      "title", po::value<std::string>(), "map title")(
      "lang", po::value<std::string>()->default_value("nl"), "language of the map's words: nl or en");
}

Expected<Language> map_language(const po::variables_map& vm) {
  auto language = parse_language(vm["lang"].as<std::string>());
  if (!language) return language.status().with_context("--lang");
  return *language;
}

void add_class_options(po::options_description& options, const char* what, const char* default_method) {
  options.add_options()("classes", po::value<int>()->default_value(5), what)(
      "method", po::value<std::string>()->default_value(default_method),
      "class bounds: natural_breaks, quantile, equal_interval or geometric (positive values only)");
}

Expected<map::ClassificationParameters> class_parameters(const po::variables_map& vm) {
  map::ClassificationParameters parameters;
  const int classes = vm["classes"].as<int>();
  if (classes < 2 || classes > 9) {
    return invalid_argument("--classes: expected a number in [2, 9], found " + std::to_string(classes));
  }
  parameters.class_count = static_cast<std::size_t>(classes);
  auto method = map::parse_class_method(vm["method"].as<std::string>());
  if (!method) return method.status().with_context("--method");
  parameters.method = *method;
  return parameters;
}

Expected<v1::Dataset> load_dataset(const po::variables_map& vm) {
  if (!vm.count("dataset")) return demo::generate();
  const std::string path = vm["dataset"].as<std::string>();
  auto dataset = read_dataset(path);
  if (!dataset) return dataset.status();
  if (Status status = check_dataset(*dataset); !status) return status.with_context(path);
  return dataset;
}

enum class MapFormat { kSvg, kPng };

// What --out asks for, checked before anything is read: a name bre map cannot write
// (bre.geojson) is refused rather than filled with SVG.
Expected<MapFormat> map_format(const po::variables_map& vm) {
  const std::string out = vm["out"].as<std::string>();
  const std::string extension = lower_ascii(std::filesystem::path(out).extension().string());
  if (extension == ".svg") return MapFormat::kSvg;
  if (extension == ".png") return MapFormat::kPng;
  return invalid_argument("--out " + out + ": bre map writes .svg or .png; for GIS formats use bre export");
}

int write_map(const Expected<std::string>& svg, const po::variables_map& vm) {
  if (!svg) return fail(svg.status(), "bre map");
  const std::string out = vm["out"].as<std::string>();
  auto format = map_format(vm);
  if (!format) return fail(format.status(), "bre map");
  Expected<std::string> bytes = *svg;
  if (*format == MapFormat::kPng) bytes = png::svg_to_png(*svg);
  if (!bytes) return fail(bytes.status().with_context(out), "bre map");
  if (Status status = write_file_atomically(out, *bytes); !status) return fail(status, "bre map");
  std::cout << "wrote " << out << "\n";
  return kExitOk;
}

// parse_options, then the --out check: the exit code when the command stops here.
std::optional<int> parse_map_options(const std::vector<std::string>& args, const std::string& command,
                                     const std::string& usage, const po::options_description& options,
                                     po::variables_map& vm) {
  if (auto code = parse_options(args, command, usage, options, {}, vm)) return code;
  if (auto format = map_format(vm); !format) return fail(format.status(), "bre map");
  return std::nullopt;
}

int map_network(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: bre map network [--dataset FILE] [--weighting count|fractional] [--kinds KIND]... [--classes N]\n"
      "                       [--method geometric|natural_breaks|quantile|equal_interval] [--title TEXT] --out FILE.svg|FILE.png";
  po::options_description options("Options");
  add_common_options(options);
  options.add_options()("weighting", po::value<std::string>()->default_value("count"),
                        "edge weight: count (shared arrangements) or fractional (1/(|a|-1) per arrangement)")(
      "kinds", po::value<std::vector<std::string>>()->composing(),
      "arrangement kinds that count (repeatable): cooperation (default), societal, state, statistical");
  add_class_options(options, "weight classes (line colours and widths), 2-9", "geometric");
  po::variables_map vm;
  if (auto code = parse_map_options(args, "bre map network", usage, options, vm)) return *code;
  auto classes = class_parameters(vm);
  if (!classes) return fail(classes.status(), "bre map");
  NetworkOptions network_options;
  auto weighting = parse_weighting(vm["weighting"].as<std::string>());
  if (!weighting) return fail(weighting.status().with_context("--weighting"), "bre map");
  network_options.weighting = *weighting;
  if (vm.count("kinds")) {
    network_options.kinds.clear();
    for (const auto& text : vm["kinds"].as<std::vector<std::string>>()) {
      auto kind = parse_arrangement_kind(text);
      if (!kind) return fail(kind.status().with_context("--kinds"), "bre map");
      network_options.kinds.push_back(*kind);
    }
  }
  auto dataset = load_dataset(vm);
  if (!dataset) return fail(dataset.status(), "bre map");
  const DatasetIndex index(*dataset);
  auto graph = build_cooperation_network(index, network_options);
  if (!graph) return fail(graph.status(), "bre map");
  const std::string weighting_name = vm["weighting"].as<std::string>();
  const v1::Network network =
      to_network_message(*graph, index, "cooperation", "cooperation network, weighting " + weighting_name);
  map::NetworkMapOptions map_options;
  auto language = map_language(vm);
  if (!language) return fail(language.status(), "bre map");
  map_options.language = *language;
  map_options.classes = *classes;
  if (vm.count("title")) map_options.title = vm["title"].as<std::string>();
  if (network_options.weighting == Weighting::kFractional) {
    map_options.weight_label = "Tie weight (each shared arrangement adds 1/(members - 1))";
  }
  return write_map(map::render_network_map(index, network, map_options), vm);
}

int map_partition(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: bre map partition [--dataset FILE] --partition RUN_DIR/run.pb:STEP|FILE.csv [--label name|id]\n"
      "                         [--title TEXT] --out FILE.svg|FILE.png";
  po::options_description options("Options");
  add_common_options(options);
  options.add_options()("partition", po::value<std::string>()->required(),
                        "RUN_DIR/run.pb:STEP (a step of a run) or a partition CSV as bre run writes it")(
      "label", po::value<std::string>()->default_value("name"), "region labels: name or id");
  po::variables_map vm;
  if (auto code = parse_map_options(args, "bre map partition", usage, options, vm)) return *code;
  map::PartitionMapOptions map_options;
  auto language = map_language(vm);
  if (!language) return fail(language.status(), "bre map");
  map_options.language = *language;
  auto label = map::parse_region_label(vm["label"].as<std::string>());
  if (!label) return fail(label.status().with_context("--label"), "bre map");
  map_options.label = *label;
  if (vm.count("title")) map_options.title = vm["title"].as<std::string>();
  auto dataset = load_dataset(vm);
  if (!dataset) return fail(dataset.status(), "bre map");
  const DatasetIndex index(*dataset);
  auto partition = read_partition(vm["partition"].as<std::string>(), index);
  if (!partition) return fail(partition.status(), "bre map");
  return write_map(map::render_partition_map(index, *partition, map_options), vm);
}

int map_value(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: bre map value [--dataset FILE] --values FILE.csv [--partition RUN_DIR/run.pb:STEP|FILE.csv]\n"
      "                     [--classes N] [--method natural_breaks|quantile|equal_interval|geometric] [--legend TEXT] [--title TEXT]\n"
      "                     --out FILE.svg|FILE.png";
  po::options_description options("Options");
  add_common_options(options);
  options.add_options()("values", po::value<std::string>()->required(),
                        "CSV with the header code,value; an empty value or NaN = no value")(
      "partition", po::value<std::string>(), "also outline the regions of this partition")(
      "legend", po::value<std::string>(), "legend heading: what the value is, with its unit");
  add_class_options(options, "value classes (fill colours), 2-9", "natural_breaks");
  po::variables_map vm;
  if (auto code = parse_map_options(args, "bre map value", usage, options, vm)) return *code;
  auto classes = class_parameters(vm);
  if (!classes) return fail(classes.status(), "bre map");
  auto dataset = load_dataset(vm);
  if (!dataset) return fail(dataset.status(), "bre map");
  const DatasetIndex index(*dataset);
  auto values = read_values_csv(vm["values"].as<std::string>(), index);
  if (!values) return fail(values.status(), "bre map");
  std::optional<v1::Partition> partition;
  if (vm.count("partition")) {
    auto read = read_partition(vm["partition"].as<std::string>(), index);
    if (!read) return fail(read.status(), "bre map");
    partition = std::move(*read);
  }
  map::ValueMapOptions map_options;
  auto language = map_language(vm);
  if (!language) return fail(language.status(), "bre map");
  map_options.language = *language;
  map_options.classes = *classes;
  if (vm.count("legend")) map_options.value_label = vm["legend"].as<std::string>();
  if (vm.count("title")) map_options.title = vm["title"].as<std::string>();
  return write_map(map::render_value_map(index, *values, partition ? &*partition : nullptr, map_options), vm);
}

}  // namespace

int map_command(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre map network|partition|value [OPTIONS] --out FILE.svg|FILE.png   (--help per map)";
  if (args.empty()) {
    std::cerr << "bre map: expected network, partition or value\n" << usage << "\n";
    return kExitUsage;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "network") return map_network(rest);
  if (args[0] == "partition") return map_partition(rest);
  if (args[0] == "value") return map_value(rest);
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << usage << "\n";
    return kExitOk;
  }
  std::cerr << "bre map: unknown map '" << args[0] << "'" << did_you_mean(args[0], {"network", "partition", "value"})
            << ": expected network, partition or value (`bre map --help` lists the options)\n";
  return kExitUsage;
}

}  // namespace bre::cli
