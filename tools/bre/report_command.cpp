// bre report RUN_DIR: the HTML report of a finished run.
#include <boost/program_options.hpp>

#include <iostream>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/report/html_report.hpp"
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
      "lang", po::value<std::string>()->default_value("nl"), "labels in Dutch (nl) or English (en)")(
      "partition", po::value<std::string>()->default_value(""),
      "step whose partition the region cards follow (default: the first clustering)");
  po::positional_options_description positional;
  positional.add("run-dir", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n" << options;
      return kExitOk;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "bre: " << e.what() << "\n" << usage << "\n" << options;
    return kExitUsage;
  }
  auto fail = [](const Status& status) {
    std::cerr << "bre: " << status.message() << "\n";
    return status.code() == StatusCode::kInternal ? kExitInternal : kExitUsage;
  };
  auto language = report::parse_language(vm["lang"].as<std::string>());
  if (!language) return fail(language.status().with_context("--lang"));

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
  const DatasetIndex index(dataset);
  report::ReportOptions report_options;
  report_options.language = *language;
  report_options.partition_step = vm["partition"].as<std::string>();
  auto html = report::render_html_report(run, index, report_options);
  if (!html) return fail(html.status());
  const std::string out = vm.count("out") ? vm["out"].as<std::string>() : run_dir + "/report.html";
  if (Status status = write_file_atomically(out, *html); !status) return fail(status);
  std::cout << "report: " << out << "\n";
  return kExitOk;
}

}  // namespace bre::cli
