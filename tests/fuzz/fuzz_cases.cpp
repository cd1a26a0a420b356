// The case-descriptor readers: byte 1 picks CSV or JSON; what parses is then set into
// the demo dataset with set_cases, which either takes all of it or leaves the
// dataset as it was.
#include "bre/import/cases.hpp"
#include "bre/import/survey.hpp"
#include "bre/io.hpp"
#include "dataset_fixture.hpp"
#include "fuzz_support.hpp"

namespace {

std::string case_bytes(const bre::v1::Dataset& dataset) {
  bre::v1::Dataset cases;
  *cases.mutable_cases() = dataset.cases();
  return bre::to_binary(cases);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::FuzzInput input(data, size);
  const bool json = (input.take_byte() & 1) != 0;
  const std::string text(input.rest());
  v1::Dataset& dataset = fuzz::demo_dataset_without_geometry();
  static const std::vector<v1::CaseDescriptors> demo_cases(dataset.cases().begin(), dataset.cases().end());
  static const std::string demo_case_bytes = case_bytes(dataset);

  const std::string file = json ? "cases.json" : "cases.csv";
  auto cases = json ? import::parse_case_descriptors_json(text, file) : import::parse_case_descriptors_csv(text, file);
  if (!cases) {
    fuzz::require_error_names(cases.status(), file);
    return 0;
  }
  for (const auto& c : *cases) {
    fuzz::require(!c.region_id().empty(), "a case has a region id");
    for (const auto& field : case_descriptor_fields()) {
      auto value = case_descriptor_value(c, field);
      fuzz::require(value.has_value(), "every descriptor field has a value name");
      v1::CaseDescriptors copy = c;
      fuzz::require(set_case_descriptor(copy, field, *value).is_ok(), "a value name sets its field again");
    }
  }
  const std::size_t count = cases->size();
  if (Status status = import::set_cases(dataset, std::move(*cases)); !status) {
    fuzz::require(!status.message().empty(), "rejected cases say why");
    fuzz::require(case_bytes(dataset) == demo_case_bytes, "rejected cases leave the dataset as it was");
    return 0;
  }
  fuzz::require(static_cast<std::size_t>(dataset.cases_size()) == count, "accepted cases replace the dataset's cases");
  dataset.clear_cases();
  for (const auto& c : demo_cases) *dataset.add_cases() = c;
  return 0;
}
