// The Regio Atlas readers: byte 1 picks the division index (indelingen.csv) or a
// division table, whose rows then go through build_division with the kind byte 1
// also picks. The rest is the file's text.
#include "bre/import/regioatlas.hpp"
#include "import_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::FuzzInput input(data, size);
  const std::uint8_t mode = input.take_byte();
  if ((mode & 1) == 0) {
    const std::string file = "indelingen.csv";
    auto divisions = import::parse_division_index(input.rest(), file);
    if (!divisions) {
      fuzz::require_error_names(divisions.status(), file);
      return 0;
    }
    std::set<std::string> files;
    for (const auto& info : *divisions) {
      fuzz::require(!info.file.empty() && !info.name.empty(), "a division has a file and a name");
      fuzz::require(files.insert(info.file).second, "no division file is listed twice");
    }
    return 0;
  }
  const std::string file = "regioatlas/Sociaal/ggds.csv";
  auto rows = import::parse_division(input.rest(), file, fuzz::reference_codes());
  if (!rows) {
    fuzz::require_error_names(rows.status(), file);
    return 0;
  }
  static constexpr import::DivisionKind kKinds[] = {import::DivisionKind::kCooperation, import::DivisionKind::kSocietal,
                                                   import::DivisionKind::kState, import::DivisionKind::kStatistical,
                                                   import::DivisionKind::kUnknown};
  import::DivisionInfo info;
  info.file = "Sociaal/ggds.csv";
  info.name = "GGD's";
  info.kind = kKinds[(mode >> 1) % 5];
  info.domain = "zorg";
  import::ResolutionReport report;
  std::map<std::string, std::set<std::string>> seen_names;
  const import::DivisionImport division = import::build_division(
      info, *rows, fuzz::reference_names().names, fuzz::reference_official_names(), report, seen_names);
  fuzz::require(division.rows == rows->size(), "every row is counted");
  fuzz::require(division.rows == division.memberships + division.duplicate_rows,
                "every row is a membership or a reported duplicate");
  const bool arrangements = info.kind == import::DivisionKind::kCooperation || info.kind == import::DivisionKind::kSocietal;
  if (rows->empty()) return 0;
  fuzz::require(arrangements ? division.definitions.empty() && !division.arrangements.empty()
                             : division.arrangements.empty() && division.definitions.size() == 1,
                "cooperation and societal divisions give arrangements, the others one region definition");
  return 0;
}
