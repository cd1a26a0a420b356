// `bre dataset add-survey`, `add-cases` and `add-indicators`: put a representatives'
// survey (DOMAIN.md §7), case descriptors (§8) or a table of area indicators (§4, §6)
// read from CSV/JSON into a dataset.
#include "dataset_add_commands.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/import/cases.hpp"
#include "bre/import/indicator_table.hpp"
#include "bre/import/survey.hpp"
#include "bre/io.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace bre::cli {
namespace {

// The dataset to add to: a file, or the built-in demo dataset when DATASET is "demo".
Expected<v1::Dataset> load(const std::string& path) {
  if (path == "demo") return demo::generate();
  return read_dataset(path);
}

void add_common_options(po::options_description& options) {
  options.add_options()("help,h", "this help")(
      "dataset", po::value<std::string>()->required(), "dataset to add to (.pb or .json; 'demo' = the demo dataset)")(
      "out", po::value<std::string>()->required(), "output dataset (.pb or .json), written atomically")(
      "replace", switch_value(), "replace what the dataset already holds (otherwise that is an error)");
}

// One character for --delimiter or --decimal ("tab" or "\t" for a tab).
Expected<char> one_character(const std::string& option, const std::string& text, const std::string& allowed) {
  const std::string value = text == "tab" || text == "\\t" ? std::string("\t") : text;
  if (value.size() != 1 || allowed.find(value[0]) == std::string::npos) {
    const bool tab = allowed.find('\t') != std::string::npos;
    return invalid_argument(option + ": expected one of '" + (tab ? allowed.substr(0, allowed.size() - 1) : allowed) +
                            "'" + (tab ? " or tab" : "") + ", found '" + text + "'");
  }
  return value[0];
}

// "(390 municipalities, years 2014-2016)" for the values of a table.
std::string coverage(const import::IndicatorTable& table) {
  std::set<std::string> codes;
  int first = 0;
  int last = 0;
  for (const auto& v : table.values) {
    codes.insert(v.municipality_code());
    first = first == 0 ? v.year() : std::min(first, v.year());
    last = std::max(last, v.year());
  }
  if (codes.empty()) return "";
  const std::string years = first == last ? "year " + std::to_string(first)
                                          : "years " + std::to_string(first) + "-" + std::to_string(last);
  return " (" + std::to_string(codes.size()) + " municipalities, " + years + ")";
}

}  // namespace

int dataset_add_survey(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: bre dataset add-survey DATASET --items ITEMS.csv|json --responses RESPONSES.csv --out OUT [--replace]";
  po::options_description options("Options");
  add_common_options(options);
  options.add_options()("items", po::value<std::string>()->required(),
                        "item map: item_id, dimension, reverse_coded, text (CSV or JSON)")(
      "responses", po::value<std::string>()->required(),
      "respondents: respondent_id, role, body_code, one column per item; Likert 1-5, blank = missing");
  po::positional_options_description positional;
  positional.add("dataset", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre dataset add-survey", usage, options, positional, vm)) return *code;

  auto dataset = load(vm["dataset"].as<std::string>());
  if (!dataset) return fail(dataset.status());
  if ((dataset->survey_items_size() > 0 || dataset->survey_responses_size() > 0) && !is_set(vm, "replace")) {
    return fail(failed_precondition(vm["dataset"].as<std::string>() + ": already holds a survey (" +
                                    std::to_string(dataset->survey_items_size()) + " items, " +
                                    std::to_string(dataset->survey_responses_size()) +
                                    " responses); pass --replace to replace it"));
  }
  auto items = import::read_survey_items(vm["items"].as<std::string>());
  if (!items) return fail(items.status());
  auto responses = import::read_survey_responses(vm["responses"].as<std::string>(), *items);
  if (!responses) return fail(responses.status());
  const std::size_t n_items = items->size();
  const std::size_t n_responses = responses->size();
  if (Status s = import::set_survey(*dataset, std::move(*items), std::move(*responses)); !s) return fail(s);
  if (Status s = write_dataset(*dataset, vm["out"].as<std::string>()); !s) return fail(s);
  std::cout << "wrote " << vm["out"].as<std::string>() << ": " << n_items << " survey items, " << n_responses
            << " responses\n";
  return kExitOk;
}

int dataset_add_cases(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre dataset add-cases DATASET --cases CASES.csv|json --out OUT [--replace]";
  po::options_description options("Options");
  add_common_options(options);
  options.add_options()("cases", po::value<std::string>()->required(),
                        "case descriptors: region_id, region_name, municipality_codes, descriptor columns "
                        "(CSV or JSON; blank/null = unknown)");
  po::positional_options_description positional;
  positional.add("dataset", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre dataset add-cases", usage, options, positional, vm)) return *code;

  auto dataset = load(vm["dataset"].as<std::string>());
  if (!dataset) return fail(dataset.status());
  if (dataset->cases_size() > 0 && !is_set(vm, "replace")) {
    return fail(failed_precondition(vm["dataset"].as<std::string>() + ": already holds " +
                                    std::to_string(dataset->cases_size()) +
                                    " cases; pass --replace to replace them"));
  }
  auto cases = import::read_case_descriptors(vm["cases"].as<std::string>());
  if (!cases) return fail(cases.status());
  const std::size_t n_cases = cases->size();
  if (Status s = import::set_cases(*dataset, std::move(*cases)); !s) return fail(s);
  if (Status s = write_dataset(*dataset, vm["out"].as<std::string>()); !s) return fail(s);
  std::cout << "wrote " << vm["out"].as<std::string>() << ": " << n_cases << " cases\n";
  return kExitOk;
}

}  // namespace bre::cli

namespace bre::cli {

int dataset_add_indicators(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: bre dataset add-indicators DATASET --table CSV --meta CSV --out OUT [--replace] [--report FILE]\n"
      "       [--delimiter C] [--decimal C]   (docs/indicator-tables.md)";
  po::options_description options("Options");
  add_common_options(options);
  options.add_options()("table", po::value<std::string>()->required(),
                        "municipality table: a CSV keyed by 'code' (years as rows or columns), or a CBS StatLine "
                        "export as downloaded (detected)")(
      "meta", po::value<std::string>()->required(),
      "metadata CSV: indicator, theme, unit, direction[, column, name, year, broad_wellbeing, mirror_theme]")(
      "report", po::value<std::string>(), "resolution report CSV (default OUT without extension + .indicators.csv)")(
      "delimiter", po::value<std::string>()->default_value(","), "field delimiter of a code-keyed table")(
      "decimal", po::value<std::string>()->default_value("."), "decimal character of a code-keyed table");
  po::positional_options_description positional;
  positional.add("dataset", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre dataset add-indicators", usage, options, positional, vm)) return *code;

  import::IndicatorTableOptions table_options;
  Expected<char> delimiter = one_character("--delimiter", vm["delimiter"].as<std::string>(), ",;|\t");
  if (!delimiter) return fail(delimiter.status());
  Expected<char> decimal = one_character("--decimal", vm["decimal"].as<std::string>(), ".,");
  if (!decimal) return fail(decimal.status());
  table_options.delimiter = *delimiter;
  table_options.decimal = *decimal;
  const std::string out = vm["out"].as<std::string>();
  const std::string report_path = vm.count("report") ? vm["report"].as<std::string>()
                                                     : std::filesystem::path(out).replace_extension("").string() +
                                                           ".indicators.csv";

  auto dataset = load(vm["dataset"].as<std::string>());
  if (!dataset) return fail(dataset.status());
  auto meta = import::read_indicator_meta(vm["meta"].as<std::string>());
  if (!meta) return fail(meta.status());
  auto table = import::read_indicator_table(vm["table"].as<std::string>(), *meta, *dataset, table_options);
  if (!table) return fail(table.status());
  std::string summary = "wrote " + out + ": " + std::to_string(table->indicators.size()) + " indicators, " +
                        std::to_string(table->values.size()) + " values" + coverage(*table);
  if (!table->population.empty()) {
    summary += ", population of " + std::to_string(table->population.size()) + " municipalities";
  }
  summary += "; " + std::to_string(table->empty_cells) + " empty cells";
  if (table->other_year_rows > 0) summary += "; " + std::to_string(table->other_year_rows) + " rows of other years not used";
  summary += "; " + std::to_string(table->former_rows) + " rows of former municipalities reported (see " +
             report_path + ")";
  const std::string report = table->report.to_csv();
  if (Status s = import::add_indicator_table(*dataset, std::move(*table), is_set(vm, "replace")); !s) return fail(s);
  if (Status s = write_dataset(*dataset, out); !s) return fail(s);
  if (Status s = write_file_atomically(report_path, report); !s) return fail(s);
  std::cout << summary << "\n";
  return kExitOk;
}

}  // namespace bre::cli
