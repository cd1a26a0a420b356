// `bre import nl2016`: the public Dutch data of 2016 into one dataset file, with the
// resolution report next to it.
#include <boost/program_options.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "bre/dataset.hpp"
#include "bre/import/nl2016.hpp"
#include "bre/io.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace bre::cli {
namespace {

constexpr const char* kUsage =
    "usage: bre import nl2016 --from DIR --out DATASET [--report FILE] [--population FILE]\n"
    "Imports the public Dutch data of 2016 (see README, \"Real Dutch data (2016)\") into one\n"
    "dataset (.pb, or .json by extension) and writes the resolution report: every row or\n"
    "participant that could not be used as it stands, with file, line and reason\n"
    "(default: <DATASET without extension>.report.csv).";

std::string default_report_path(const std::string& out) {
  std::filesystem::path path(out);
  path.replace_extension();
  return path.string() + ".report.csv";
}

std::string persons(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f", value);
  return buffer;
}

}  // namespace

int import_command(const std::vector<std::string>& args) {
  if (args.empty() || args.front() == "-h" || args.front() == "--help") {
    std::cout << kUsage << "\n";
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args.front() != "nl2016") {
    std::cerr << "bre: import: unknown source '" << args.front() << "', expected nl2016\n" << kUsage << "\n";
    return kExitUsage;
  }
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("from", po::value<std::string>()->required(), "the nl2016 data folder")(
      "out", po::value<std::string>()->required(), "dataset file to write (.pb or .json)")(
      "report", po::value<std::string>(), "resolution report (CSV) to write")(
      "population", po::value<std::string>(),
      "population table code;population that replaces the CBS key figures' (docs/import-nl2016.md)");
  po::variables_map vm;
  if (auto code = parse_options({args.begin() + 1, args.end()}, "bre import nl2016", kUsage, options, {}, vm)) {
    return *code;
  }
  const std::string out = vm["out"].as<std::string>();
  const std::string report_path = vm.count("report") ? vm["report"].as<std::string>() : default_report_path(out);
  import::Nl2016Options import_options;
  if (vm.count("population")) import_options.population_file = vm["population"].as<std::string>();

  Expected<import::Nl2016Import> imported = import::import_nl2016(vm["from"].as<std::string>(), import_options);
  if (!imported) {
    std::cerr << "bre: import nl2016: " << imported.status().message() << "\n";
    return imported.status().code() == StatusCode::kInternal ? kExitInternal : kExitUsage;
  }
  if (Status status = write_dataset(imported->dataset, out); !status) {
    std::cerr << "bre: import nl2016: " << status.message() << "\n";
    return kExitUsage;
  }
  if (Status status = write_file_atomically(report_path, imported->report.to_csv()); !status) {
    std::cerr << "bre: import nl2016: " << status.message() << "\n";
    std::filesystem::remove(out);
    return kExitUsage;
  }

  const import::Nl2016Stats& s = imported->stats;
  const v1::Dataset& d = imported->dataset;
  std::cout << "wrote " << out << " (" << dataset_sha256(d).substr(0, 12) << ")\n"
            << "  municipalities " << s.municipalities << ", provinces " << s.provinces << ", COROP areas "
            << s.corop_regions << ", shared borders " << s.adjacent_pairs << "\n"
            << "  regioatlas: " << s.divisions << " divisions, " << s.regioatlas_rows << " rows = "
            << s.regioatlas_memberships << " memberships + " << s.regioatlas_duplicates << " duplicates; "
            << s.regioatlas_arrangements << " arrangements, " << s.regioatlas_definitions << " region definitions\n"
            << "  opengr: " << s.opengr_rows << " rows, " << s.opengr_arrangements_read << " arrangements, "
            << s.opengr_arrangements_kept << " with at least two municipalities kept, "
            << s.opengr_unresolved_participants << " participants unresolved\n"
            << "  commuting: " << persons(s.commuting_matrix_persons) << " jobs in the matrix = "
            << persons(s.commuting_flow_persons) << " in " << s.commuting_flows << " flows + "
            << persons(s.commuting_non_municipal_persons) << " abroad or unknown\n"
            << "  cbs: population " << s.population_total << "; " << s.key_figure_indicators << " key figures ("
            << s.key_figure_values << " values); " << s.trend_indicators << " trends: " << s.trend_values_direct
            << " values on the same territory + " << s.trend_values_combined << " combined from predecessors, "
            << s.trend_not_computable << " not computable (reported)\n"
            << "  bodies " << d.bodies_size() << ", arrangements " << d.arrangements_size() << ", region definitions "
            << d.region_definitions_size() << "\n"
            << "wrote " << report_path << " (" << imported->report.entries().size() << " entries)\n";
  for (const auto& [category, count] : imported->report.counts()) std::cout << "  " << category << ": " << count << "\n";
  return kExitOk;
}

}  // namespace bre::cli
