// `bre dataset add-survey` and `bre dataset add-cases`: put a representatives' survey
// (DOMAIN.md §7) or case descriptors (§8) read from CSV/JSON into a dataset.
#include "dataset_add_commands.hpp"

#include <boost/program_options.hpp>

#include <iostream>
#include <optional>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/import/cases.hpp"
#include "bre/import/survey.hpp"
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
