// The commuting importer: the input is the municipality mapping table
// (gemeenten_2014_naar_2016.csv), then a form feed, then the matrix
// (pendel_2014_matrix.csv) that import_commuting maps with it. Codes resolve against
// every GM code.
#include <cmath>

#include "bre/import/commuting.hpp"
#include "import_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t split = text.find('\f');
  const std::string_view mapping_text = text.substr(0, split);
  const std::string_view matrix_text = split == std::string_view::npos ? std::string_view() : text.substr(split + 1);

  const std::string mapping_file = "gemeenten_2014_naar_2016.csv";
  import::CsvOptions mapping_options;
  mapping_options.delimiter = ',';
  auto mapping_table = import::parse_csv(mapping_text, mapping_file, mapping_options);
  if (!mapping_table) {
    fuzz::require_error_names(mapping_table.status(), mapping_file);
    return 0;
  }
  auto mapping = import::parse_municipality_mapping(*mapping_table, fuzz::reference_codes());
  if (!mapping) {
    fuzz::require_error_names(mapping.status(), mapping_file);
    return 0;
  }
  const std::size_t n = mapping->names_2014.size();
  fuzz::require(mapping->targets.size() == n && mapping->lines.size() == n, "one entry per column index");
  for (const auto& targets : mapping->targets) {
    double sum = 0.0;
    for (const auto& share : targets) sum += share.share;
    fuzz::require(targets.empty() || std::abs(sum - 1.0) <= 1e-9, "the shares of a municipality sum to 1");
  }

  const std::string matrix_file = "pendel_2014_matrix.csv";
  import::CsvOptions matrix_options;
  matrix_options.delimiter = ';';
  matrix_options.has_header = false;
  auto matrix = import::parse_csv(matrix_text, matrix_file, matrix_options);
  if (!matrix) {
    fuzz::require_error_names(matrix.status(), matrix_file);
    return 0;
  }
  import::ResolutionReport report;
  auto commuting = import::import_commuting(*matrix, matrix_file, *mapping, report);
  if (!commuting) {
    fuzz::require_error_names(commuting.status(), matrix_file);
    return 0;
  }
  fuzz::require(commuting->cells == n * n, "every cell is counted");
  fuzz::require(std::isfinite(commuting->matrix_persons) && std::isfinite(commuting->flows_persons) &&
                    std::isfinite(commuting->non_municipal_persons),
                "the totals are finite");
  const double accounted = commuting->flows_persons + commuting->non_municipal_persons;
  fuzz::require(std::abs(commuting->matrix_persons - accounted) <= 1e-6 * std::max(1.0, commuting->matrix_persons),
                "matrix persons = flow persons + non-municipal persons");
  for (const auto& flow : commuting->flows) {
    fuzz::require(std::isfinite(flow.persons) && flow.persons > 0.0, "a flow is a positive finite number of persons");
  }
  return 0;
}
