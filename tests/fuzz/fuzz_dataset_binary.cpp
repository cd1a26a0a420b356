// A dataset file in binary protobuf: parse_dataset, check_dataset, and for a valid
// dataset a DatasetIndex whose lookups must find every municipality and body, and a
// deterministic serialisation that reads back to the same bytes.
#include "bre/dataset.hpp"
#include "bre/io.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  const std::string file = "dataset.pb";
  auto dataset = parse_dataset(content, file, DatasetFormat::kBinary);
  if (!dataset) {
    fuzz::require_error_names(dataset.status(), file);
    return 0;
  }
  if (!check_dataset(*dataset)) return 0;
  const DatasetIndex index(*dataset);
  fuzz::require(index.municipality_count() == static_cast<std::size_t>(dataset->municipalities_size()),
                "the index counts every municipality");
  for (int i = 0; i < dataset->municipalities_size(); ++i) {
    fuzz::require(index.municipality(dataset->municipalities(i).code()) == static_cast<std::size_t>(i),
                  "the index finds every municipality at its position");
  }
  for (int i = 0; i < dataset->bodies_size(); ++i) {
    fuzz::require(index.body(dataset->bodies(i).code()) == static_cast<std::size_t>(i),
                  "the index finds every body at its position");
  }
  const std::string bytes = to_binary(*dataset);
  auto again = parse_dataset(bytes, file, DatasetFormat::kBinary);
  fuzz::require(again.has_value() && to_binary(*again) == bytes, "a valid dataset reads back to the same bytes");
  return 0;
}
