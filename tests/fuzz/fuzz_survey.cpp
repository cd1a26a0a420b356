// The survey readers: byte 1 picks the item map as CSV or as JSON, or a response CSV
// read against the demo dataset's items; what parses is then set into the demo
// dataset with set_survey, which either takes all of it or leaves the dataset as it was.
#include "bre/import/survey.hpp"
#include "bre/io.hpp"
#include "dataset_fixture.hpp"
#include "fuzz_support.hpp"

namespace {

std::string survey_bytes(const bre::v1::Dataset& dataset) {
  bre::v1::Dataset survey;
  *survey.mutable_survey_items() = dataset.survey_items();
  *survey.mutable_survey_responses() = dataset.survey_responses();
  return bre::to_binary(survey);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::FuzzInput input(data, size);
  const std::uint8_t mode = input.take_byte() % 3;
  const std::string text(input.rest());
  v1::Dataset& dataset = fuzz::demo_dataset_without_geometry();
  static const std::vector<v1::SurveyItem> demo_items(dataset.survey_items().begin(), dataset.survey_items().end());
  static const std::vector<v1::SurveyResponse> demo_responses(dataset.survey_responses().begin(),
                                                              dataset.survey_responses().end());
  static const std::string demo_survey = survey_bytes(dataset);

  std::vector<v1::SurveyItem> items = demo_items;
  std::vector<v1::SurveyResponse> responses;
  if (mode == 2) {
    const std::string file = "responses.csv";
    auto parsed = import::parse_survey_responses_csv(text, file, demo_items);
    if (!parsed) {
      fuzz::require_error_names(parsed.status(), file);
      return 0;
    }
    for (const auto& response : *parsed) {
      fuzz::require(response.answers_size() == static_cast<int>(demo_items.size()), "a response answers every item");
    }
    responses = std::move(*parsed);
  } else {
    const std::string file = mode == 0 ? "items.csv" : "items.json";
    auto parsed = mode == 0 ? import::parse_survey_items_csv(text, file) : import::parse_survey_items_json(text, file);
    if (!parsed) {
      fuzz::require_error_names(parsed.status(), file);
      return 0;
    }
    items = std::move(*parsed);
  }
  const std::size_t item_count = items.size();
  const std::size_t response_count = responses.size();
  if (Status status = import::set_survey(dataset, std::move(items), std::move(responses)); !status) {
    fuzz::require(!status.message().empty(), "a rejected survey says why");
    fuzz::require(survey_bytes(dataset) == demo_survey, "a rejected survey leaves the dataset as it was");
    return 0;
  }
  fuzz::require(static_cast<std::size_t>(dataset.survey_items_size()) == item_count &&
                    static_cast<std::size_t>(dataset.survey_responses_size()) == response_count,
                "an accepted survey replaces the dataset's survey");
  // Back to the demo survey, so that every input starts from the same dataset.
  dataset.clear_survey_items();
  dataset.clear_survey_responses();
  for (const auto& item : demo_items) *dataset.add_survey_items() = item;
  for (const auto& response : demo_responses) *dataset.add_survey_responses() = response;
  return 0;
}
