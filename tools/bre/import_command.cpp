// `bre import nl2016` (the public Dutch data of 2016) and `bre import files` (any
// year's map, arrangements, commuting and regions from simple files) into one dataset
// file, with the resolution report next to it.
#include <boost/program_options.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "bre/dataset.hpp"
#include "bre/import/files.hpp"
#include "bre/import/nl2016.hpp"
#include "bre/io.hpp"
#include "bre/suggest.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace bre::cli {
namespace {

constexpr const char* kUsage =
    "usage: bre import nl2016 ... | bre import files ...  (bre import SOURCE --help for one)\n";

constexpr const char* kNl2016Usage =
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

// The dataset, then the report; nothing stays written when either fails.
int write_outputs(const std::string& command, const v1::Dataset& dataset, const std::string& out,
                  const import::ResolutionReport& report, const std::string& report_path) {
  if (Status status = write_dataset(dataset, out); !status) {
    std::cerr << "bre: " << command << ": " << status.message() << "\n";
    return kExitUsage;
  }
  if (Status status = write_file_atomically(report_path, report.to_csv()); !status) {
    std::cerr << "bre: " << command << ": " << status.message() << "\n";
    std::filesystem::remove(out);
    return kExitUsage;
  }
  return kExitOk;
}

void print_report_counts(const import::ResolutionReport& report, const std::string& report_path) {
  std::cout << "wrote " << report_path << " (" << report.entries().size() << " entries)\n";
  for (const auto& [category, count] : report.counts()) std::cout << "  " << category << ": " << count << "\n";
}

int import_failed(const std::string& command, const Status& status) {
  std::cerr << "bre: " << command << ": " << status.message() << "\n";
  return status.code() == StatusCode::kInternal ? kExitInternal : kExitUsage;
}

constexpr const char* kFilesUsage =
    "usage: bre import files --municipalities MAP.geojson|MAP.gpkg --year YEAR --out DATASET\n"
    "                        [--layer LAYER] [--arrangements CSV] [--commuting CSV] [--regions CSV] [--mergers CSV]\n"
    "                        [--code-field F] [--name-field F] [--population-field F] [--name NAME] [--report FILE]\n"
    "Imports any year's municipalities (GeoJSON, GeoPackage or another OGR vector format, in any\n"
    "CRS, reprojected to RD New), arrangements, commuting flows and region definitions from\n"
    "simple files (docs/import.md); shared borders, centroids and areas come from the polygons.\n"
    "Writes the dataset (.pb, or .json by extension) and the resolution report (default:\n"
    "<DATASET without extension>.report.csv).";

int import_files_command(const std::vector<std::string>& args) {
  po::options_description options("Options");
  options.add_options()("help,h", "this help")(
      "municipalities", po::value<std::string>()->required(),
      "map with one polygon feature per municipality: GeoJSON (.geojson, .json), else any vector format GDAL/OGR reads")(
      "layer", po::value<std::string>(), "the map's layer (GeoPackage and other OGR files; default: its only polygon layer)")(
      "year", po::value<std::string>()->required(), "reference year of the data")(
      "out", po::value<std::string>()->required(), "dataset file to write (.pb or .json)")(
      "arrangements", po::value<std::string>(), "CSV arrangement,participant[,kind,legal_form,domains,start,end]")(
      "commuting", po::value<std::string>(), "CSV home,work,persons")(
      "regions", po::value<std::string>(), "CSV definition,code,region")(
      "mergers", po::value<std::string>(), "CSV former,code: former names for name resolution")(
      "code-field", po::value<std::string>()->default_value("statcode"), "feature property (field) holding the code")(
      "name-field", po::value<std::string>()->default_value("statnaam"), "feature property (field) holding the name")(
      "population-field", po::value<std::string>(), "feature property (field) holding the population")(
      "name", po::value<std::string>(), "dataset name (default: DATASET's file name without extension)")(
      "report", po::value<std::string>(), "resolution report (CSV) to write");
  po::variables_map vm;
  if (auto code = parse_options(args, "bre import files", kFilesUsage, options, {}, vm)) return *code;
  Expected<std::uint64_t> year = parse_whole_number("--year", vm["year"].as<std::string>(), 1000, 9999);
  if (!year) return fail(year.status());
  const std::string out = vm["out"].as<std::string>();
  import::FilesOptions import_options;
  import_options.year = static_cast<int>(*year);
  import_options.name = vm.count("name") ? vm["name"].as<std::string>() : std::filesystem::path(out).stem().string();
  import_options.municipalities = vm["municipalities"].as<std::string>();
  import_options.code_field = vm["code-field"].as<std::string>();
  import_options.name_field = vm["name-field"].as<std::string>();
  for (auto [option, field] : {std::pair{"layer", &import_options.layer},
                               std::pair{"population-field", &import_options.population_field},
                               std::pair{"arrangements", &import_options.arrangements},
                               std::pair{"commuting", &import_options.commuting},
                               std::pair{"regions", &import_options.regions},
                               std::pair{"mergers", &import_options.mergers}}) {
    if (vm.count(option)) *field = vm[option].as<std::string>();
  }
  const std::string report_path = vm.count("report") ? vm["report"].as<std::string>() : default_report_path(out);

  Expected<import::FilesImport> imported = import::import_files(import_options);
  if (!imported) return import_failed("import files", imported.status());
  if (int code = write_outputs("import files", imported->dataset, out, imported->report, report_path)) return code;
  const import::FilesStats& s = imported->stats;
  std::cout << "wrote " << out << " (" << dataset_sha256(imported->dataset).substr(0, 12) << ")\n"
            << "  municipalities " << s.municipalities << " (" << s.with_population << " with population), map CRS "
            << (s.crs == "EPSG:28992" ? s.crs + " (RD New, as it is)" : s.crs + " reprojected to RD New (EPSG:28992)")
            << ", shared borders " << s.adjacent_pairs << "\n"
            << "  arrangements: " << s.arrangement_rows << " rows, " << s.arrangements_read << " read = "
            << s.arrangements_kept << " kept + " << s.arrangements_too_small << " with fewer than two municipalities + "
            << s.arrangements_not_in_force << " not in force in " << import_options.year << "; "
            << s.unresolved_participants << " participants unresolved\n"
            << "  commuting flows " << s.commuting_flows << " (" << persons(s.commuting_persons) << " persons), region definitions "
            << s.region_definitions << " (" << s.region_rows << " rows), former names " << s.former_names << "\n";
  print_report_counts(imported->report, report_path);
  return kExitOk;
}

int import_nl2016_command(const std::vector<std::string>& args) {
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("from", po::value<std::string>()->required(), "the nl2016 data folder")(
      "out", po::value<std::string>()->required(), "dataset file to write (.pb or .json)")(
      "report", po::value<std::string>(), "resolution report (CSV) to write")(
      "population", po::value<std::string>(),
      "population table code;population that replaces the CBS key figures' (docs/import-nl2016.md)");
  po::variables_map vm;
  if (auto code = parse_options(args, "bre import nl2016", kNl2016Usage, options, {}, vm)) return *code;
  const std::string out = vm["out"].as<std::string>();
  const std::string report_path = vm.count("report") ? vm["report"].as<std::string>() : default_report_path(out);
  import::Nl2016Options import_options;
  if (vm.count("population")) import_options.population_file = vm["population"].as<std::string>();

  Expected<import::Nl2016Import> imported = import::import_nl2016(vm["from"].as<std::string>(), import_options);
  if (!imported) return import_failed("import nl2016", imported.status());
  if (int code = write_outputs("import nl2016", imported->dataset, out, imported->report, report_path)) return code;

  const import::Nl2016Stats& s = imported->stats;
  const v1::Dataset& d = imported->dataset;
  std::cout << "wrote " << out << " (" << dataset_sha256(d).substr(0, 12) << ")\n"
            << "  municipalities " << s.municipalities << ", provinces " << s.provinces << ", COROP areas "
            << s.corop_regions << ", shared borders " << s.adjacent_pairs << "\n"
            << "  regioatlas: " << s.divisions << " divisions, " << s.regioatlas_rows << " rows = "
            << s.regioatlas_memberships << " memberships + " << s.regioatlas_duplicates << " duplicates; "
            << s.regioatlas_arrangements << " arrangements, " << s.regioatlas_definitions << " region definitions\n"
            << "  opengr: " << s.opengr_rows << " rows, " << s.opengr_arrangements_read << " arrangements, "
            << s.opengr_arrangements_dissolved << " dissolved left out, " << s.opengr_arrangements_kept
            << " with at least two municipalities kept, "
            << s.opengr_unresolved_participants << " participants unresolved\n"
            << "  commuting: " << persons(s.commuting_matrix_persons) << " jobs in the matrix = "
            << persons(s.commuting_flow_persons) << " in " << s.commuting_flows << " flows + "
            << persons(s.commuting_non_municipal_persons) << " abroad or unknown\n"
            << "  cbs: population " << s.population_total << "; " << s.key_figure_indicators << " key figures ("
            << s.key_figure_values << " values); " << s.trend_indicators << " trends: " << s.trend_values_direct
            << " values on the same territory + " << s.trend_values_combined << " combined from predecessors, "
            << s.trend_not_computable << " not computable (reported)\n"
            << "  bodies " << d.bodies_size() << ", arrangements " << d.arrangements_size() << ", region definitions "
            << d.region_definitions_size() << "\n";
  print_report_counts(imported->report, report_path);
  return kExitOk;
}

}  // namespace

int import_command(const std::vector<std::string>& args) {
  if (args.empty() || args.front() == "-h" || args.front() == "--help") {
    std::cout << kUsage << kNl2016Usage << "\n\n" << kFilesUsage << "\n";
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args.front() == "nl2016") return import_nl2016_command(rest);
  if (args.front() == "files") return import_files_command(rest);
  std::cerr << "bre: import: unknown source '" << args.front() << "'" << did_you_mean(args.front(), {"nl2016", "files"})
            << ", expected nl2016 or files\n"
            << kUsage;
  return kExitUsage;
}

}  // namespace bre::cli
