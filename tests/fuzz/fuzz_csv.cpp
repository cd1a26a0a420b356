// parse_csv with the options taken from the input: byte 1 picks the delimiter,
// byte 2 the header, comment and expected field count; the rest is the text.
#include "bre/import/csv.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  fuzz::FuzzInput input(data, size);
  static constexpr char kDelimiters[] = {',', ';', '\t', '|', ' ', '"', '\n', '\r'};
  const std::uint8_t delimiter = input.take_byte();
  const std::uint8_t flags = input.take_byte();
  import::CsvOptions options;
  // Mostly the usual delimiters and the forbidden ones, sometimes any byte.
  options.delimiter = delimiter < 224 ? kDelimiters[delimiter % 8] : static_cast<char>(input.take_byte());
  options.has_header = (flags & 1) != 0;
  options.comment = (flags & 2) != 0 ? '#' : '\0';
  options.expected_fields = (flags >> 2) & 7;

  const std::string file = "input.csv";
  auto table = import::parse_csv(input.rest(), file, options);
  if (!table) {
    fuzz::require_error_names(table.status(), file);
    return 0;
  }
  fuzz::require(table->file == file, "the table names its file");
  std::size_t width = options.expected_fields;
  if (width == 0) width = options.has_header ? table->header.size() : 0;
  if (options.has_header) {
    fuzz::require(!table->header.empty(), "a table with a header has header fields");
    fuzz::require(options.expected_fields == 0 || table->header.size() == options.expected_fields,
                  "the header has the expected number of fields");
  } else {
    fuzz::require(table->header.empty(), "a table without a header has no header fields");
  }
  std::int64_t previous_line = 0;
  for (const auto& record : table->records) {
    if (width == 0) width = record.fields.size();
    fuzz::require(record.fields.size() == width, "every record has the same number of fields");
    fuzz::require(record.line > previous_line, "records are in line order");
    previous_line = record.line;
  }
  return 0;
}
