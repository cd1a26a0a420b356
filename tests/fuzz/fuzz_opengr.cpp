// The OpenGR importer: byte 1 picks the inventory itself (import_opengr against the
// reference names and the built-in domain keywords) or a domain keyword table
// (parse_domain_rules, then classify_domains). The rest is the file's text.
#include <algorithm>

#include "bre/import/opengr.hpp"
#include "import_fixture.hpp"

namespace {

bre::import::CsvOptions keyword_options() {
  bre::import::CsvOptions options;
  options.delimiter = ';';
  options.comment = '#';
  options.expected_fields = 2;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::FuzzInput input(data, size);
  const std::uint8_t mode = input.take_byte();
  if ((mode & 1) == 1) {
    const std::string file = "opengr_domain_keywords.csv";
    auto table = import::parse_csv(input.rest(), file, keyword_options());
    if (!table) {
      fuzz::require_error_names(table.status(), file);
      return 0;
    }
    auto rules = import::parse_domain_rules(*table);
    if (!rules) {
      fuzz::require_error_names(rules.status(), file);
      return 0;
    }
    // A keyword classifies as (at least) its own domain.
    for (std::size_t i = 0; i < rules->size(); ++i) {
      std::string keyword = bre::trim(table->records[i].fields[0]);
      if (!keyword.empty() && keyword.back() == '*') keyword.pop_back();
      const auto domains = import::classify_domains(keyword, *rules);
      fuzz::require(std::find(domains.begin(), domains.end(), (*rules)[i].domain) != domains.end(),
                    "a keyword is classified as its own rule's domain");
      fuzz::require(std::is_sorted(domains.begin(), domains.end()), "domains come sorted");
    }
    return 0;
  }

  static const import::OpenGrContext context = [] {
    import::OpenGrContext out;
    out.names = &fuzz::reference_names().names;
    auto table = import::parse_csv(import::builtin_opengr_domain_keywords(), "opengr_domain_keywords.csv", keyword_options());
    fuzz::require(table.has_value(), "the built-in keyword table parses");
    auto rules = import::parse_domain_rules(*table);
    fuzz::require(rules.has_value(), "the built-in keyword table loads");
    out.domain_rules = std::move(*rules);
    const auto& body_aliases = fuzz::reference_names().body_aliases;
    if (auto boards = body_aliases.find("water_board"); boards != body_aliases.end()) out.water_board_aliases = boards->second;
    const std::map<std::string, std::string> provinces = {
        {"Groningen", "PV20"},    {"Fryslân", "PV21"},  {"Drenthe", "PV22"},       {"Overijssel", "PV23"},
        {"Flevoland", "PV24"},    {"Gelderland", "PV25"}, {"Utrecht", "PV26"},     {"Noord-Holland", "PV27"},
        {"Zuid-Holland", "PV28"}, {"Zeeland", "PV29"},  {"Noord-Brabant", "PV30"}, {"Limburg", "PV31"}};
    for (const auto& [name, code] : provinces) out.provinces[import::normalise_name(name)] = code;
    if (auto aliases = body_aliases.find("province"); aliases != body_aliases.end()) {
      for (const auto& [alias, code] : aliases->second) out.provinces[alias] = code;
    }
    return out;
  }();

  const std::string file = "opengr_gemeenschappelijke_regelingen.csv";
  import::CsvOptions options;
  options.delimiter = ',';
  auto table = import::parse_csv(input.rest(), file, options);
  if (!table) {
    fuzz::require_error_names(table.status(), file);
    return 0;
  }
  import::ResolutionReport report;
  auto imported = import::import_opengr(*table, file, context, report);
  if (!imported) {
    fuzz::require_error_names(imported.status(), file);
    return 0;
  }
  fuzz::require(imported->rows == table->records.size(), "every row is counted");
  fuzz::require(imported->arrangements.size() + imported->arrangements_dropped == imported->arrangements_read,
                "every arrangement read is kept or reported as dropped");
  for (const auto& arrangement : imported->arrangements) {
    fuzz::require(arrangement.municipality_codes_size() >= 2, "a kept arrangement has two municipalities");
    std::set<std::string> codes(arrangement.municipality_codes().begin(), arrangement.municipality_codes().end());
    fuzz::require(codes.size() == static_cast<std::size_t>(arrangement.municipality_codes_size()),
                  "an arrangement lists each municipality once");
  }
  return 0;
}
