// The population table (code;population) against every GM code.
#include "import_fixture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string file = "population.csv";
  auto population = import::parse_population(text, file, fuzz::reference_official_names());
  if (!population) {
    fuzz::require_error_names(population.status(), file);
    return 0;
  }
  for (const auto& [code, persons] : *population) {
    fuzz::require(fuzz::reference_official_names().count(code) > 0, "a population is for a known municipality");
    fuzz::require(persons >= 0, "a population is not negative");
  }
  return 0;
}
