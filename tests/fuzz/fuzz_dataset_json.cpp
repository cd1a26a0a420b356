// A dataset file in JSON: parse_dataset (from_json, unknown fields rejected) and
// check_dataset; a valid dataset written as JSON must read back to the same dataset.
#include "bre/dataset.hpp"
#include "bre/io.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const std::string file = "dataset.json";
  auto dataset = parse_dataset(content, file, DatasetFormat::kJson);
  if (!dataset) {
    fuzz::require_error_names(dataset.status(), file);
    return 0;
  }
  if (!check_dataset(*dataset)) return 0;
  const DatasetIndex index(*dataset);
  for (int i = 0; i < dataset->municipalities_size(); ++i) {
    fuzz::require(index.municipality(dataset->municipalities(i).code()) == static_cast<std::size_t>(i),
                  "the index finds every municipality at its position");
  }
  auto again = parse_dataset(to_json(*dataset), file, DatasetFormat::kJson);
  fuzz::require(again.has_value() && to_binary(*again) == to_binary(*dataset),
                "a valid dataset written as JSON reads back to the same dataset");
  return 0;
}
