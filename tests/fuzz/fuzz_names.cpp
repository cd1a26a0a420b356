// Municipality names: the input is an alias table (municipality_aliases.csv layout,
// alias;kind;target;province;note) loaded into a copy of the official names; every
// alias is then resolved again, and the text goes through normalise_name and
// repair_double_encoding.
#include "bre/io.hpp"
#include "import_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string normalised = import::normalise_name(text);
  fuzz::require(import::normalise_name(normalised) == normalised, "normalise_name is idempotent");
  fuzz::require(normalised.empty() || (normalised.front() != ' ' && normalised.back() != ' '),
                "a normalised name has no leading or trailing space");
  const std::string repaired = import::repair_double_encoding(text);
  fuzz::require(!is_valid_utf8(text) || is_valid_utf8(repaired), "repairing valid UTF-8 keeps it valid");

  const std::string file = "municipality_aliases.csv";
  import::CsvOptions options;
  options.delimiter = ';';
  options.comment = '#';
  options.expected_fields = 5;
  auto table = import::parse_csv(text, file, options);
  if (!table) {
    fuzz::require_error_names(table.status(), file);
    return 0;
  }
  // Copied for every input, so only the codes in use up to 2016 (below GM2000): a copy
  // of all 10000 would cost more than the reader.
  static const import::MunicipalityNames officials = [] {
    import::MunicipalityNames out;
    for (const auto& [code, name] : fuzz::reference_official_names()) {
      if (code < "GM2000") out.add_official(code, name);
    }
    return out;
  }();
  import::MunicipalityNames names = officials;
  std::map<std::string, std::map<std::string, std::string>> body_aliases;
  if (Status status = names.add_alias_table(*table, body_aliases); !status) {
    fuzz::require_error_names(status, file);
    return 0;
  }
  for (const auto& record : table->records) {
    const import::NameResolution resolution = names.resolve(record.fields[0], record.fields[3]);
    if (resolution.outcome == import::NameResolution::Outcome::kResolved) {
      fuzz::require(!resolution.codes.empty(), "a resolved name has a code");
      for (const auto& code : resolution.codes) {
        fuzz::require(fuzz::reference_codes().count(code) > 0, "a name resolves to a registered code");
      }
    }
  }
  return 0;
}
