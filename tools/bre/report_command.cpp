// bre report RUN_DIR: the HTML report of a finished run.
#include <boost/program_options.hpp>

#include <filesystem>
#include <iostream>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/language.hpp"
#include "bre/report/html_report.hpp"
#include "bre/run_directory.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace bre::cli {

int report_command(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: bre report RUN_DIR [--dataset FILE] [--out FILE] [--lang nl|en] [--partition STEP]\n"
      "Writes the report of the run in RUN_DIR (its run.pb) as one self-contained HTML file.";
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("run-dir", po::value<std::string>()->required(),
                                               "directory written by bre run")(
      "dataset", po::value<std::string>(),
      "the dataset the run used (checked against the manifest's SHA-256); default: the built-in demo dataset")(
      "out", po::value<std::string>(), "output file (default RUN_DIR/report.html)")(
      "lang", po::value<std::string>(),
      "nl or en: must be the run's language (bre run --lang), in which its plugins wrote their texts; default: it")(
      "partition", po::value<std::string>()->default_value(""),
      "step whose partition the region cards follow (default: the first clustering)");
  po::positional_options_description positional;
  positional.add("run-dir", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre report", usage, options, positional, vm)) return *code;
  const std::string run_dir = vm["run-dir"].as<std::string>();
  auto bytes = read_file(run_dir + "/run.pb");
  if (!bytes) return fail(bytes.status());
  v1::RunResult run;
  if (!run.ParseFromString(*bytes)) {
    return fail(invalid_argument(run_dir + "/run.pb: not a bre run result (corrupt or another kind of file)"));
  }
  v1::Dataset dataset;
  std::string dataset_source = "the built-in demo dataset";
  if (vm.count("dataset")) {
    dataset_source = vm["dataset"].as<std::string>();
    auto read = read_dataset(dataset_source);
    if (!read) return fail(read.status());
    dataset = std::move(*read);
  } else {
    dataset = demo::generate();
  }
  if (dataset_sha256(dataset) != run.manifest().dataset_sha256()) {
    return fail(invalid_argument(dataset_source + " is not the dataset of this run (SHA-256 " +
                                 dataset_sha256(dataset) + ", the run's manifest says " +
                                 run.manifest().dataset_sha256() + "); pass it with --dataset"));
  }
  // One language per page: the plugins wrote their texts in the run's language.
  auto language = parse_language(run.manifest().pipeline().language().empty() ? "nl" : run.manifest().pipeline().language());
  if (!language) return fail(language.status().with_context(run_dir + "/run.pb: manifest"));
  if (vm.count("lang")) {
    auto asked = parse_language(vm["lang"].as<std::string>());
    if (!asked) return fail(asked.status().with_context("--lang"));
    if (*asked != *language) {
      return fail(invalid_argument("--lang " + vm["lang"].as<std::string>() + ": this run's texts are in " +
                                   std::string(language_code(*language)) + "; run the pipeline again with --lang " +
                                   vm["lang"].as<std::string>() + " for a report in that language"));
    }
  }
  const DatasetIndex index(dataset);
  report::ReportOptions report_options;
  report_options.language = *language;
  report_options.partition_step = vm["partition"].as<std::string>();
  auto html = report::render_html_report(run, index, report_options);
  if (!html) return fail(html.status());
  const std::string out = vm.count("out") ? vm["out"].as<std::string>() : run_dir + "/report.html";
  // A report written into the run goes on its listing, so the next run may replace it.
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path out_path = fs::absolute(out, ec);
  if (fs::weakly_canonical(out_path.parent_path(), ec) == fs::weakly_canonical(fs::absolute(run_dir, ec), ec)) {
    if (Status status = add_to_run_listing(run_dir, out_path.filename().string()); !status) return fail(status);
  }
  if (Status status = write_file_atomically(out, *html); !status) return fail(status);
  std::cout << "report: " << out << "\n";
  return kExitOk;
}

}  // namespace bre::cli
