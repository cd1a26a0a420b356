#include "bre/dataset.hpp"

#include <openssl/evp.h>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "bre/io.hpp"

namespace bre {

DatasetFormat format_from_path(const std::string& path) {
  const auto dot = path.rfind('.');
  if (dot != std::string::npos && path.substr(dot) == ".json") return DatasetFormat::kJson;
  return DatasetFormat::kBinary;
}

namespace {

std::uint64_t default_max_bytes(DatasetFormat format) {
  return format == DatasetFormat::kJson ? kMaxJsonDatasetBytes : kMaxBinaryDatasetBytes;
}

}  // namespace

Expected<v1::Dataset> read_dataset(const std::string& path, std::uint64_t max_bytes) {
  const DatasetFormat format = format_from_path(path);
  auto content = read_file(path, max_bytes == 0 ? default_max_bytes(format) : max_bytes);
  if (!content) return content.status();
  return parse_dataset(*content, path, format);
}

Expected<v1::Dataset> parse_dataset(std::string_view content, const std::string& source_name, DatasetFormat format) {
  // protobuf takes the size as an int, and aborts on what does not fit.
  if (content.size() > default_max_bytes(format)) {
    return invalid_argument(source_name + ": " + std::to_string(content.size()) + " bytes, more than the " +
                            std::to_string(default_max_bytes(format)) + " bytes of a " +
                            (format == DatasetFormat::kJson ? "JSON" : "binary protobuf") + " dataset");
  }
  v1::Dataset dataset;
  if (format == DatasetFormat::kJson) {
    BRE_RETURN_IF_ERROR(from_json(std::string(content), source_name, dataset));
    return dataset;
  }
  if (!dataset.ParseFromArray(content.data(), static_cast<int>(content.size()))) {
    std::string hint;
    if (!content.empty() && (content.front() == '{' || content.front() == '[')) {
      hint = " (it looks like JSON: name the file *.json)";
    }
    return invalid_argument(source_name + ": not a valid bre.v1.Dataset protobuf file (corrupt, truncated, or text "
                            "that is not UTF-8; " + std::to_string(content.size()) + " bytes)" + hint);
  }
  return dataset;
}

Status write_dataset(const v1::Dataset& dataset, const std::string& path) {
  const std::string content =
      format_from_path(path) == DatasetFormat::kJson ? to_json(dataset) : to_binary(dataset);
  return write_file_atomically(path, content);
}

namespace {

// Collects problems with their field paths; stops adding after a cap so a broken
// file of millions of rows still gives a readable answer.
class Problems {
 public:
  static constexpr std::size_t kCap = 1000;
  void add(const std::string& path, const std::string& what) {
    if (list_.size() < kCap) list_.push_back(path + ": " + what);
    ++count_;
  }
  std::vector<std::string> take() {
    if (count_ > list_.size()) list_.push_back("... and " + std::to_string(count_ - list_.size()) + " more");
    return std::move(list_);
  }
  std::size_t count() const { return count_; }

 private:
  std::vector<std::string> list_;
  std::size_t count_ = 0;
};

std::string at(const std::string& field, int i) { return field + "[" + std::to_string(i) + "]"; }

// "arrangements[3] (opengr.csv:17)": the field path, and the source line when known.
std::string at(const std::string& field, int i, const v1::SourceRef& source) {
  std::string path = at(field, i);
  if (!source.file().empty()) {
    path += " (" + source.file() + (source.line() > 0 ? ":" + std::to_string(source.line()) : "") + ")";
  }
  return path;
}

bool finite_non_negative(double x) { return std::isfinite(x) && x >= 0.0; }

bool within(double x, double bound) { return std::isfinite(x) && x >= 0.0 && x <= bound; }

// A number as people read it in an error: "1e+300", "nan", "-inf", "12.5".
std::string number_text(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", x);
  return buffer;
}

// "expected a finite number in [0, 1e+09] km², found -inf"
std::string expected_in_range(const char* what, double bound, double found) {
  return std::string("expected ") + what + " in [0, " + number_text(bound) + "], found " + number_text(found);
}

bool valid_coordinate(double v) {
  return std::isfinite(v) && std::abs(v) <= DatasetBounds::kMaxCoordinateMetres;
}

void check_point(Problems& problems, const std::string& path, const v1::Point& p) {
  for (const auto& [axis, value] : {std::pair{".x", p.x()}, std::pair{".y", p.y()}}) {
    if (valid_coordinate(value)) continue;
    problems.add(path + axis, "expected a finite coordinate within ±" +
                                  number_text(DatasetBounds::kMaxCoordinateMetres) + " m, found " + number_text(value));
  }
}

// Points are checked before any path text is made: real maps have millions of them.
void check_ring(Problems& problems, const std::string& path, const v1::Ring& ring) {
  if (ring.points_size() < 3) {
    problems.add(path + ".points", "expected a ring of at least 3 points, found " + std::to_string(ring.points_size()));
  }
  for (int k = 0; k < ring.points_size(); ++k) {
    const v1::Point& p = ring.points(k);
    if (!valid_coordinate(p.x()) || !valid_coordinate(p.y())) check_point(problems, at(path + ".points", k), p);
  }
}

void check_geometry(Problems& problems, const std::string& path, const v1::Municipality& m) {
  if (m.has_centroid()) check_point(problems, path + ".centroid", m.centroid());
  if (!m.has_geometry()) return;
  const v1::MultiPolygon& shape = m.geometry();
  if (shape.polygons_size() == 0) {
    problems.add(path + ".geometry.polygons", "expected at least one polygon (or no geometry at all), found none");
  }
  for (int j = 0; j < shape.polygons_size(); ++j) {
    const v1::Polygon& polygon = shape.polygons(j);
    const std::string polygon_path = at(path + ".geometry.polygons", j);
    check_ring(problems, polygon_path + ".outer", polygon.outer());
    for (int h = 0; h < polygon.holes_size(); ++h) check_ring(problems, at(polygon_path + ".holes", h), polygon.holes(h));
  }
}

// Whether a message type holds an enum field, itself or in a message below it. Point,
// Ring and the other geometry types hold none, so the enum check never walks polygons.
bool holds_enums(const google::protobuf::Descriptor* type) {
  static std::mutex mutex;
  static std::map<const google::protobuf::Descriptor*, bool> known;
  std::lock_guard lock(mutex);
  std::function<bool(const google::protobuf::Descriptor*)> search = [&](const google::protobuf::Descriptor* t) {
    if (auto it = known.find(t); it != known.end()) return it->second;
    known[t] = false;  // a recursive type is settled by its other fields
    bool found = false;
    for (int f = 0; f < t->field_count() && !found; ++f) {
      const auto* field = t->field(f);
      if (field->enum_type() != nullptr) found = true;
      else if (field->message_type() != nullptr) found = search(field->message_type());
    }
    known[t] = found;
    return found;
  };
  return search(type);
}

// Enum fields keep unknown numbers when read (proto3); a step indexing a table by
// one must never see them. Adds one problem per field holding a number the .proto
// does not name.
void check_enums(Problems& problems, const std::string& path, const google::protobuf::Message& message) {
  using google::protobuf::FieldDescriptor;
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string field_path = (path.empty() ? "" : path + ".") + field->name();
    if (const auto* type = field->enum_type()) {
      auto check = [&](const std::string& where, int number) {
        if (type->FindValueByNumber(number) != nullptr) return;
        problems.add(where, "expected a value of " + type->full_name() + ", found the unknown number " +
                                std::to_string(number));
      };
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          check(at(field_path, i), reflection->GetRepeatedEnumValue(message, field, i));
        }
      } else {
        check(field_path, reflection->GetEnumValue(message, field));
      }
    } else if (field->message_type() != nullptr && holds_enums(field->message_type())) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          check_enums(problems, at(field_path, i), reflection->GetRepeatedMessage(message, field, i));
        }
      } else {
        check_enums(problems, field_path, reflection->GetMessage(message, field));
      }
    }
  }
}

}  // namespace

namespace {

// The codes the dataset defines, which every reference to a municipality or body is checked against.
struct KnownCodes {
  std::unordered_set<std::string> municipalities;
  std::unordered_set<std::string> bodies;
};

void check_municipalities(Problems& problems, const v1::Dataset& d, KnownCodes& known) {
  if (d.municipalities_size() == 0) problems.add("municipalities", "the dataset has no municipalities");
  for (int i = 0; i < d.municipalities_size(); ++i) {
    const auto& m = d.municipalities(i);
    const std::string path = at("municipalities", i, m.source());
    if (m.code().empty()) problems.add(path + ".code", "empty code");
    else if (!known.municipalities.insert(m.code()).second) problems.add(path + ".code", "duplicate code '" + m.code() + "'");
    if (m.population() < 0) problems.add(path + ".population", "negative population " + std::to_string(m.population()));
    else if (m.population() > DatasetBounds::kMaxPopulation) {
      problems.add(path + ".population", "expected at most " + std::to_string(DatasetBounds::kMaxPopulation) +
                                             " inhabitants, found " + std::to_string(m.population()));
    }
    if (!finite_non_negative(m.area_km2())) problems.add(path + ".area_km2", "expected a finite non-negative area");
    else if (m.area_km2() > DatasetBounds::kMaxAreaKm2) {
      problems.add(path + ".area_km2", expected_in_range("an area", DatasetBounds::kMaxAreaKm2, m.area_km2()) + " km²");
    }
    check_geometry(problems, path, m);
  }
}

void check_bodies(Problems& problems, const v1::Dataset& d, KnownCodes& known) {
  for (int i = 0; i < d.bodies_size(); ++i) {
    const auto& b = d.bodies(i);
    const std::string path = at("bodies", i, b.source());
    if (b.code().empty()) problems.add(path + ".code", "empty code");
    else if (known.municipalities.count(b.code()) || !known.bodies.insert(b.code()).second) {
      problems.add(path + ".code", "duplicate code '" + b.code() + "'");
    }
    for (int j = 0; j < b.municipality_codes_size(); ++j) {
      if (!known.municipalities.count(b.municipality_codes(j))) {
        problems.add(at(path + ".municipality_codes", j), "unknown municipality code '" + b.municipality_codes(j) + "'");
      }
    }
  }
}

void check_province_codes(Problems& problems, const v1::Dataset& d, const KnownCodes& known) {
  std::unordered_set<std::string> provinces;
  for (const auto& b : d.bodies()) {
    if (b.kind() == v1::BODY_KIND_PROVINCE) provinces.insert(b.code());
  }
  for (int i = 0; i < d.municipalities_size(); ++i) {
    const auto& m = d.municipalities(i);
    const auto& code = m.province_code();
    if (code.empty() || provinces.count(code)) continue;
    problems.add(at("municipalities", i, m.source()) + ".province_code",
                 known.bodies.count(code) ? "body '" + code + "' is not of kind BODY_KIND_PROVINCE"
                                          : "unknown province code '" + code + "'");
  }
}

void check_arrangements(Problems& problems, const v1::Dataset& d, const KnownCodes& known) {
  std::unordered_set<std::string> arrangement_ids;
  for (int i = 0; i < d.arrangements_size(); ++i) {
    const auto& a = d.arrangements(i);
    const std::string path = at("arrangements", i, a.source());
    if (a.id().empty()) problems.add(path + ".id", "empty id");
    else if (!arrangement_ids.insert(a.id()).second) problems.add(path + ".id", "duplicate id '" + a.id() + "'");
    std::unordered_set<std::string> seen;
    for (int j = 0; j < a.municipality_codes_size(); ++j) {
      const auto& code = a.municipality_codes(j);
      if (!known.municipalities.count(code)) problems.add(at(path + ".municipality_codes", j), "unknown municipality code '" + code + "'");
      else if (!seen.insert(code).second) problems.add(at(path + ".municipality_codes", j), "'" + code + "' listed twice");
    }
    for (int j = 0; j < a.body_codes_size(); ++j) {
      if (!known.bodies.count(a.body_codes(j))) problems.add(at(path + ".body_codes", j), "unknown body code '" + a.body_codes(j) + "'");
    }
    for (const auto& [field, date] : {std::pair{".start_date", &a.start_date()}, std::pair{".end_date", &a.end_date()}}) {
      if (!date->empty() && !is_iso_date(*date)) problems.add(path + field, "expected a date YYYY-MM-DD, found '" + excerpt(*date) + "'");
    }
    if (is_iso_date(a.start_date()) && is_iso_date(a.end_date()) && a.end_date() < a.start_date()) {
      problems.add(path + ".end_date", "end " + a.end_date() + " is before start " + a.start_date());
    }
  }
}

// Each region's codes are known; a municipality is in one region unless the definition is a cover.
void check_region_definitions(Problems& problems, const v1::Dataset& d, const KnownCodes& known) {
  for (int i = 0; i < d.region_definitions_size(); ++i) {
    const auto& def = d.region_definitions(i);
    const std::string path = at("region_definitions", i, def.source());
    if (def.name().empty()) problems.add(path + ".name", "empty name");
    std::unordered_map<std::string, std::string> region_of;
    std::unordered_set<std::string> region_ids;
    for (int r = 0; r < def.regions_size(); ++r) {
      const auto& region = def.regions(r);
      const std::string rpath = at(path + ".regions", r);
      if (region.id().empty()) problems.add(rpath + ".id", "empty id");
      else if (!region_ids.insert(region.id()).second) problems.add(rpath + ".id", "duplicate region id '" + region.id() + "'");
      for (int j = 0; j < region.municipality_codes_size(); ++j) {
        const auto& code = region.municipality_codes(j);
        if (!known.municipalities.count(code)) {
          problems.add(at(rpath + ".municipality_codes", j), "unknown municipality code '" + code + "'");
          continue;
        }
        auto [it, inserted] = region_of.emplace(code, region.id());
        if (!inserted && !def.is_cover()) {
          problems.add(at(rpath + ".municipality_codes", j),
                       "'" + code + "' is also in region '" + it->second + "' and the definition is not a cover");
        }
      }
    }
  }
}

void check_commuting_flows(Problems& problems, const v1::Dataset& d, const KnownCodes& known) {
  for (int i = 0; i < d.commuting_flows_size(); ++i) {
    const auto& f = d.commuting_flows(i);
    const std::string path = at("commuting_flows", i);
    if (!known.municipalities.count(f.home_code())) problems.add(path + ".home_code", "unknown municipality code '" + f.home_code() + "'");
    if (!known.municipalities.count(f.work_code())) problems.add(path + ".work_code", "unknown municipality code '" + f.work_code() + "'");
    if (!finite_non_negative(f.persons())) problems.add(path + ".persons", "expected a finite non-negative number of persons");
    else if (!within(f.persons(), DatasetBounds::kMaxPersons)) {
      problems.add(path + ".persons", expected_in_range("a number of persons", DatasetBounds::kMaxPersons, f.persons()));
    }
  }
}

// Shared borders: known codes, each pair once with a_code < b_code, sorted.
void check_adjacency(Problems& problems, const v1::Dataset& d, const KnownCodes& known) {
  for (int i = 0; i < d.adjacency_size(); ++i) {
    const auto& a = d.adjacency(i);
    const std::string path = at("adjacency", i);
    if (!known.municipalities.count(a.a_code())) problems.add(path + ".a_code", "unknown municipality code '" + a.a_code() + "'");
    if (!known.municipalities.count(a.b_code())) problems.add(path + ".b_code", "unknown municipality code '" + a.b_code() + "'");
    if (!(a.a_code() < a.b_code())) {
      problems.add(path, "expected a_code < b_code, found '" + a.a_code() + "', '" + a.b_code() + "'");
    } else if (i > 0 && !(std::tie(d.adjacency(i - 1).a_code(), d.adjacency(i - 1).b_code()) <
                          std::tie(a.a_code(), a.b_code()))) {
      problems.add(path, "pairs must be sorted by (a_code, b_code) and listed once; '" + a.a_code() + "', '" +
                             a.b_code() + "' comes after '" + d.adjacency(i - 1).a_code() + "', '" +
                             d.adjacency(i - 1).b_code() + "'");
    }
    if (!finite_non_negative(a.shared_border_m())) problems.add(path + ".shared_border_m", "expected a finite non-negative length");
    else if (!within(a.shared_border_m(), DatasetBounds::kMaxBorderMetres)) {
      problems.add(path + ".shared_border_m",
                   expected_in_range("a length", DatasetBounds::kMaxBorderMetres, a.shared_border_m()) + " m");
    }
  }
}

// Area indicators and their values: one value per indicator, municipality and year.
void check_area_indicators(Problems& problems, const v1::Dataset& d, const KnownCodes& known) {
  std::unordered_set<std::string> indicator_ids;
  for (int i = 0; i < d.area_indicators_size(); ++i) {
    const auto& id = d.area_indicators(i).id();
    if (id.empty()) problems.add(at("area_indicators", i) + ".id", "empty id");
    else if (!indicator_ids.insert(id).second) problems.add(at("area_indicators", i) + ".id", "duplicate id '" + id + "'");
    const v1::AreaIndicator& indicator = d.area_indicators(i);
    if (indicator.direction() == v1::DIRECTION_UNSPECIFIED || !v1::Direction_IsValid(indicator.direction())) {
      problems.add(at("area_indicators", i) + ".direction",
                   "expected DIRECTION_HIGHER_IS_BETTER, DIRECTION_LOWER_IS_BETTER or DIRECTION_NEUTRAL for '" + id + "'");
    } else if (indicator.direction() == v1::DIRECTION_NEUTRAL && indicator.broad_wellbeing()) {
      problems.add(at("area_indicators", i) + ".broad_wellbeing",
                   "'" + id + "' is neutral, so it cannot count towards broad well-being (which needs better or worse)");
    }
  }
  std::set<std::tuple<std::string, std::string, int>> value_keys;
  for (int i = 0; i < d.indicator_values_size(); ++i) {
    const auto& v = d.indicator_values(i);
    const std::string path = at("indicator_values", i);
    if (!indicator_ids.count(v.indicator_id())) problems.add(path + ".indicator_id", "unknown indicator '" + v.indicator_id() + "'");
    if (!known.municipalities.count(v.municipality_code())) problems.add(path + ".municipality_code", "unknown municipality code '" + v.municipality_code() + "'");
    if (!std::isfinite(v.value())) problems.add(path + ".value", "expected a finite number");
    else if (std::abs(v.value()) > DatasetBounds::kMaxIndicatorMagnitude) {
      problems.add(path + ".value", "expected a number within ±" + number_text(DatasetBounds::kMaxIndicatorMagnitude) +
                                        ", found " + number_text(v.value()));
    }
    if (!value_keys.emplace(v.indicator_id(), v.municipality_code(), v.year()).second) {
      problems.add(path, "second value for indicator '" + v.indicator_id() + "', '" + v.municipality_code() +
                             "', year " + std::to_string(v.year()));
    }
  }
}

// Survey items and the responses that answer them (1..5, 0 for missing).
void check_survey(Problems& problems, const v1::Dataset& d, const KnownCodes& known) {
  std::unordered_set<std::string> item_ids;
  for (int i = 0; i < d.survey_items_size(); ++i) {
    const auto& item = d.survey_items(i);
    if (item.id().empty()) problems.add(at("survey_items", i) + ".id", "empty id");
    else if (!item_ids.insert(item.id()).second) problems.add(at("survey_items", i) + ".id", "duplicate id '" + item.id() + "'");
    if (item.dimension() == v1::LEGITIMACY_DIMENSION_UNSPECIFIED) problems.add(at("survey_items", i) + ".dimension", "no dimension");
  }
  std::unordered_set<std::string> respondents;
  for (int i = 0; i < d.survey_responses_size(); ++i) {
    const auto& r = d.survey_responses(i);
    const std::string path = at("survey_responses", i, r.source());
    if (r.respondent_id().empty()) problems.add(path + ".respondent_id", "empty id");
    else if (!respondents.insert(r.respondent_id()).second) problems.add(path + ".respondent_id", "duplicate id '" + r.respondent_id() + "'");
    if (!known.municipalities.count(r.body_code()) && !known.bodies.count(r.body_code())) {
      problems.add(path + ".body_code", "unknown municipality or body code '" + r.body_code() + "'");
    }
    for (int j = 0; j < r.answers_size(); ++j) {
      const auto& a = r.answers(j);
      if (!item_ids.count(a.item_id())) problems.add(at(path + ".answers", j) + ".item_id", "unknown survey item '" + a.item_id() + "'");
      if (a.value() < 0 || a.value() > 5) {
        problems.add(at(path + ".answers", j) + ".value", "expected 1..5 or 0 for missing, found " + std::to_string(a.value()));
      }
    }
  }
}

void check_cases(Problems& problems, const v1::Dataset& d, const KnownCodes& known) {
  for (int i = 0; i < d.cases_size(); ++i) {
    const auto& c = d.cases(i);
    const std::string path = at("cases", i, c.source());
    if (c.region_id().empty()) problems.add(path + ".region_id", "empty region id");
    for (int j = 0; j < c.municipality_codes_size(); ++j) {
      if (!known.municipalities.count(c.municipality_codes(j))) {
        problems.add(at(path + ".municipality_codes", j), "unknown municipality code '" + c.municipality_codes(j) + "'");
      }
    }
  }
}

}  // namespace

std::vector<std::string> validate_dataset(const v1::Dataset& d, std::size_t* total_problems) {
  Problems problems;
  KnownCodes known;
  check_municipalities(problems, d, known);
  check_bodies(problems, d, known);
  check_province_codes(problems, d, known);
  check_arrangements(problems, d, known);
  check_region_definitions(problems, d, known);
  check_commuting_flows(problems, d, known);
  check_adjacency(problems, d, known);
  check_area_indicators(problems, d, known);
  check_survey(problems, d, known);
  check_cases(problems, d, known);
  check_enums(problems, "", d);
  if (total_problems != nullptr) *total_problems = problems.count();
  return problems.take();
}

bool is_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto number = [&](std::size_t from, std::size_t length) {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) value = value * 10 + (text[i] - '0');
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= (month == 2 && !leap ? 28 : kDays[month - 1]);
}

Status check_dataset(const v1::Dataset& dataset) {
  std::size_t total = 0;
  const auto problems = validate_dataset(dataset, &total);
  if (problems.empty()) return Status::ok();
  std::string message = problems.front();
  if (total > 1) message += " (and " + std::to_string(total - 1) + " more problems)";
  return invalid_argument(message);
}

std::string dataset_sha256(const v1::Dataset& dataset) {
  const std::string bytes = to_binary(dataset);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

DatasetIndex::DatasetIndex(const v1::Dataset& dataset) : dataset_(&dataset) {
  for (int i = 0; i < dataset.municipalities_size(); ++i) {
    municipality_by_code_.emplace(dataset.municipalities(i).code(), static_cast<std::size_t>(i));
  }
  for (int i = 0; i < dataset.bodies_size(); ++i) {
    body_by_code_.emplace(dataset.bodies(i).code(), static_cast<std::size_t>(i));
  }
}

std::optional<std::size_t> DatasetIndex::municipality(std::string_view code) const {
  auto it = municipality_by_code_.find(std::string(code));
  if (it == municipality_by_code_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> DatasetIndex::body(std::string_view code) const {
  auto it = body_by_code_.find(std::string(code));
  if (it == body_by_code_.end()) return std::nullopt;
  return it->second;
}

}  // namespace bre
