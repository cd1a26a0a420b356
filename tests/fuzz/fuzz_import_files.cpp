// import_files (`bre import files`): byte 1 picks the input the rest replaces, % 5 =
// arrangements CSV, commuting CSV, region definitions CSV, former names CSV, or the
// municipality map (GeoJSON, any "crs"). The other inputs are a fixed country of six
// 10 km squares in RD New with an arrangement of each kind of participant, written once
// into a temporary directory; the fuzzed input goes to a file there, as the importer
// reads files.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "bre/dataset.hpp"
#include "bre/import/files.hpp"
#include "fuzz_support.hpp"

namespace {

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// A square of 10 km with its lower left corner at (x, y) km, as GeoJSON coordinates.
std::string square(int x, int y) {
  const auto p = [](int a, int b) { return "[" + std::to_string(a * 1000) + "," + std::to_string(b * 1000) + "]"; };
  return "[[" + p(x, y) + "," + p(x + 10, y) + "," + p(x + 10, y + 10) + "," + p(x, y + 10) + "," + p(x, y) + "]]";
}

// The temporary directory; its files are named after what they hold.
struct Country {
  std::string directory;
  std::string file(const char* name) const { return directory + "/" + name; }
};

const Country& country() {
  static const Country c = [] {
    Country out;
    std::string pattern = (std::filesystem::temp_directory_path() / "bre-fuzz-import-files-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    out.directory = pattern;
    const char* names[] = {"Aadorp", "Bergen (NH.)", "Bergen (L.)", "Dijkstad", "Eemdorp", "Fort"};
    std::string features;
    for (int i = 0; i < 6; ++i) {
      features += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"statcode":"GM000)" +
                  std::to_string(i + 1) + R"(","statnaam":")" + names[i] + R"(","inwoners":)" +
                  std::to_string(1000 * (i + 1)) + R"(},"geometry":{"type":"Polygon","coordinates":)" +
                  square(150 + 10 * (i % 3), 440 + 10 * (i / 3)) + "}}";
    }
    write(out.file("map.geojson"), R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:28992"}},)"
                   R"("features":[)" + features + "]}");
    write(out.file("arrangements.csv"),
          "arrangement,participant,kind,legal_form,domains,start,end,division\n"
          "A,GM0001,cooperation,wgr_public_body,zorg,2015-01-01,,GGD's\nA,Bergen (NH.),,,,,,\nA,4,,,,,,\n"
          "B,Bergen,societal,,,,,\nB,Oud,,,,,,\n");
    write(out.file("commuting.csv"), "home,work,persons\nGM0001,GM0001,900\nGM0001,GM0002,120.5\n");
    write(out.file("regions.csv"), "definition,code,region\nVR,GM0001,West\nVR,GM0004,West\nVR,GM0002,Oost\n");
    write(out.file("mergers.csv"), "former,code\nOud,GM0004\nSplit,GM0001\nSplit,GM0002\n");
    return out;
  }();
  // The directory goes when the process ends.
  static const struct Cleanup {
    std::string directory;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(directory, ignored);
    }
  } cleanup{c.directory};
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bre;
  const Country& c = country();
  fuzz::FuzzInput input(data, size);
  const int which = input.take_byte() % 5;
  const std::string fuzzed = c.file(which == 4 ? "fuzzed.geojson" : "fuzzed");
  write(fuzzed, std::string(input.rest()));
  const auto given = [&](int input_index, const char* fixed) { return which == input_index ? fuzzed : c.file(fixed); };
  import::FilesOptions options;
  options.name = "fuzz";
  options.year = 2024;
  options.population_field = "inwoners";
  options.arrangements = given(0, "arrangements.csv");
  options.commuting = given(1, "commuting.csv");
  options.regions = given(2, "regions.csv");
  options.mergers = given(3, "mergers.csv");
  options.municipalities = given(4, "map.geojson");
  auto imported = import::import_files(options);
  if (!imported) {
    fuzz::require(imported.status().code() != StatusCode::kInternal,
                  "bad input is the input's fault, not an internal error: " + imported.status().message());
    // A fuzzed map can make a fixed table refer to codes it lacks: then that table is
    // named, a file of the same directory.
    fuzz::require_error_names(imported.status(), which == 4 ? c.directory : fuzzed);
    return 0;
  }
  fuzz::require(check_dataset(imported->dataset).is_ok(), "an imported dataset validates");
  const import::FilesStats& s = imported->stats;
  fuzz::require(s.arrangements_read == s.arrangements_kept + s.arrangements_too_small + s.arrangements_not_in_force,
                "every arrangement read is kept or reported");
  fuzz::require(static_cast<std::size_t>(imported->dataset.arrangements_size()) == s.arrangements_kept,
                "the kept arrangements are the dataset's");
  return 0;
}
