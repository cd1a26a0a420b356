// The indicator-table readers: byte 1 picks the metadata parser on the text, a
// code-keyed table (delimiter and decimal from byte 2) or a StatLine export read against
// the demo dataset with a fixed metadata file; what parses is added to the demo dataset
// with add_indicator_table, which either takes all of it or leaves the dataset unchanged.
#include "bre/dataset.hpp"
#include "bre/import/indicator_table.hpp"
#include "bre/io.hpp"
#include "dataset_fixture.hpp"
#include "fuzz_support.hpp"

namespace {

// Columns of both layouts: a share, a neutral density, a population and one year-less row.
const std::vector<bre::import::IndicatorMeta>& fixed_meta() {
  static const std::vector<bre::import::IndicatorMeta> meta = [] {
    const std::string text =
        "indicator,theme,unit,direction,column,year,broad_wellbeing\n"
        "share,demography,%,neutral,share,2016,no\n"
        "density,geography,addresses per km2,neutral,density,,no\n"
        "income,economy,thousand EUR,higher_is_better,income (1 000 euro),2015,yes\n"
        "population,demography,persons,neutral,inwoners,2016,no\n";
    bre::import::CsvOptions options;
    auto table = bre::import::parse_csv(text, "meta.csv", options);
    auto parsed = bre::import::parse_indicator_meta(*table);
    if (!parsed) std::abort();
    return *parsed;
  }();
  return meta;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::FuzzInput input(data, size);
  const std::uint8_t mode = input.take_byte() % 2;
  const std::uint8_t format = input.take_byte();
  const std::string text(input.rest());
  if (mode == 0) {
    import::CsvOptions options;
    auto table = import::parse_csv(text, "meta.csv", options);
    if (!table) return 0;
    auto meta = import::parse_indicator_meta(*table);
    if (!meta) fuzz::require_error_names(meta.status(), "meta.csv");
    return 0;
  }
  v1::Dataset& dataset = fuzz::demo_dataset_without_geometry();
  import::IndicatorTableOptions options;
  options.delimiter = (format & 1) ? ';' : ',';
  options.decimal = (format & 2) ? ',' : '.';
  auto table = import::parse_indicator_table(text, "table.csv", fixed_meta(), dataset, options);
  if (!table) {
    fuzz::require_error_names(table.status(), "table.csv");
    return 0;
  }
  fuzz::require(table->cells == table->values.size() + table->population.size() + table->empty_cells + table->unused_cells,
                "every cell of a metadata column is accounted for");
  static const std::string before = to_binary(dataset);
  if (Status added = import::add_indicator_table(dataset, std::move(*table), false); added) {
    fuzz::require(check_dataset(dataset).is_ok(), "a dataset with the table added validates");
    // The next input starts from the demo dataset again.
    fuzz::require(dataset.ParseFromString(before), "the demo dataset round-trips");
  } else {
    fuzz::require(to_binary(dataset) == before, "a refused table leaves the dataset unchanged");
  }
  return 0;
}
