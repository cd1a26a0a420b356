#include "bre/import/geojson.hpp"

#include <cmath>
#include <cstdlib>
#include <memory>
#include <tuple>
#include <utility>

#include "bre/io.hpp"

namespace bre::import {
namespace {

// A JSON document tree, just enough for GeoJSON: objects keep their member order.
struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0.0;
  std::string text;  // string contents, or a number as written
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string, JsonValue>> members;

  // Declared here and defaulted below, where JsonValue is complete: clang instantiates
  // the members' destructors at the implicit declarations otherwise, and libstdc++
  // rejects a pair with an incomplete type.
  JsonValue();
  JsonValue(const JsonValue&);
  JsonValue(JsonValue&&) noexcept;
  JsonValue& operator=(const JsonValue&);
  JsonValue& operator=(JsonValue&&) noexcept;
  ~JsonValue();

  const JsonValue* member(std::string_view name) const;
};

JsonValue::JsonValue() = default;
JsonValue::JsonValue(const JsonValue&) = default;
JsonValue::JsonValue(JsonValue&&) noexcept = default;
JsonValue& JsonValue::operator=(const JsonValue&) = default;
JsonValue& JsonValue::operator=(JsonValue&&) noexcept = default;
JsonValue::~JsonValue() = default;

const JsonValue* JsonValue::member(std::string_view name) const {
  for (const auto& [key, value] : members) {
    if (key == name) return &value;
  }
  return nullptr;
}

const char* type_name(JsonValue::Type type) {
  switch (type) {
    case JsonValue::Type::kNull: return "null";
    case JsonValue::Type::kBool: return "a boolean";
    case JsonValue::Type::kNumber: return "a number";
    case JsonValue::Type::kString: return "a string";
    case JsonValue::Type::kArray: return "an array";
    case JsonValue::Type::kObject: return "an object";
  }
  return "?";
}

// Recursive-descent parser (RFC 8259) that reports line and column.
class JsonParser {
 public:
  JsonParser(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  Expected<JsonValue> parse_document() {
    JsonValue value;
    BRE_RETURN_IF_ERROR(parse_value(value, 0));
    skip_space();
    if (pos_ != text_.size()) return error("unexpected text after the JSON value");
    return value;
  }

 private:
  Status error(const std::string& what) const {
    std::int64_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    return invalid_argument(file_ + ":" + std::to_string(line) + ":" + std::to_string(pos_ - line_start + 1) +
                            ": invalid JSON: " + what);
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Status parse_value(JsonValue& out, int depth) {
    skip_space();
    if (pos_ >= text_.size()) return error("unexpected end of text (truncated file?)");
    const char c = text_[pos_];
    // The limit of every JSON reader of bre (check_json_syntax): `depth` containers
    // enclose this value.
    if ((c == '{' || c == '[') && depth >= kMaxJsonDepth) {
      return error("arrays and objects nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    }
    if (c == '{') return parse_object(out, depth);
    if (c == '[') return parse_array(out, depth);
    if (c == '"') {
      out.type = JsonValue::Type::kString;
      return parse_string(out.text);
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number(out);
    for (const auto& [word, type, value] : {std::tuple{"true", JsonValue::Type::kBool, true},
                                            std::tuple{"false", JsonValue::Type::kBool, false},
                                            std::tuple{"null", JsonValue::Type::kNull, false}}) {
      const std::string_view w(word);
      if (text_.substr(pos_, w.size()) == w) {
        out.type = type;
        out.boolean = value;
        pos_ += w.size();
        return Status::ok();
      }
    }
    return error(std::string("expected a value, found '") + c + "'");
  }

  Status parse_object(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kObject;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return Status::ok();
    }
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return error("expected a member name in quotes");
      std::string key;
      BRE_RETURN_IF_ERROR(parse_string(key));
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return error("expected ':' after a member name");
      ++pos_;
      JsonValue value;
      BRE_RETURN_IF_ERROR(parse_value(value, depth + 1));
      out.members.emplace_back(std::move(key), std::move(value));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return Status::ok();
      }
      return error(pos_ >= text_.size() ? "unexpected end of text in an object (truncated file?)"
                                        : "expected ',' or '}' in an object");
    }
  }

  Status parse_array(JsonValue& out, int depth) {
    out.type = JsonValue::Type::kArray;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return Status::ok();
    }
    while (true) {
      JsonValue value;
      BRE_RETURN_IF_ERROR(parse_value(value, depth + 1));
      out.items.push_back(std::move(value));
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return Status::ok();
      }
      return error(pos_ >= text_.size() ? "unexpected end of text in an array (truncated file?)"
                                        : "expected ',' or ']' in an array");
    }
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  Status parse_hex4(unsigned& code) {
    if (pos_ + 4 > text_.size()) return error("truncated \\u escape");
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      code <<= 4;
      if (h >= '0' && h <= '9') code |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') code |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') code |= static_cast<unsigned>(h - 'A' + 10);
      else return error("bad hex digit in a \\u escape");
    }
    return Status::ok();
  }

  Status parse_string(std::string& out) {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return Status::ok();
      }
      if (static_cast<unsigned char>(c) < 0x20) return error("control character in a string");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned code = 0;
          BRE_RETURN_IF_ERROR(parse_hex4(code));
          if (code >= 0xD800 && code < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            unsigned low = 0;
            BRE_RETURN_IF_ERROR(parse_hex4(low));
            if (low < 0xDC00 || low > 0xDFFF) return error("unpaired surrogate in a \\u escape");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, code);
          break;
        }
        default: return error(std::string("unknown escape '\\") + e + "'");
      }
    }
    return error("string is never closed (truncated file?)");
  }

  Status parse_number(JsonValue& out) {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > from;
    };
    if (!digits()) return error("expected digits in a number");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return error("expected digits after '.' in a number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return error("expected digits in a number's exponent");
    }
    out.type = JsonValue::Type::kNumber;
    out.text = std::string(text_.substr(start, pos_ - start));
    out.number = std::strtod(out.text.c_str(), nullptr);
    if (!std::isfinite(out.number)) return error("number out of range: " + out.text);
    return Status::ok();
  }

  std::string_view text_;
  const std::string& file_;
  std::size_t pos_ = 0;
};

// Converts GeoJSON coordinates, naming the path inside the feature in errors.
class ShapeReader {
 public:
  explicit ShapeReader(std::string prefix) : prefix_(std::move(prefix)) {}

  Status ring(const JsonValue& value, const std::string& path, v1::Ring& out) const {
    if (value.type != JsonValue::Type::kArray) return fail(path, std::string("expected an array of positions, found ") + type_name(value.type));
    if (value.items.size() < 4) {
      return fail(path, "a ring needs at least 4 positions (closed, first = last), found " + std::to_string(value.items.size()));
    }
    std::vector<v1::Point> points;
    for (std::size_t i = 0; i < value.items.size(); ++i) {
      const JsonValue& position = value.items[i];
      const std::string at = path + "[" + std::to_string(i) + "]";
      if (position.type != JsonValue::Type::kArray || position.items.size() < 2 ||
          position.items[0].type != JsonValue::Type::kNumber || position.items[1].type != JsonValue::Type::kNumber) {
        return fail(at, "expected a position [x, y] of two numbers");
      }
      v1::Point point;
      point.set_x(position.items[0].number);
      point.set_y(position.items[1].number);
      points.push_back(point);
    }
    const v1::Point& first = points.front();
    const v1::Point& last = points.back();
    if (first.x() != last.x() || first.y() != last.y()) {
      return fail(path, "ring is not closed: its last position (" + last_text(value) + ") differs from its first (" +
                            first_text(value) + ")");
    }
    points.pop_back();
    for (auto& point : points) *out.add_points() = point;
    return Status::ok();
  }

  Status polygon(const JsonValue& value, const std::string& path, v1::Polygon& out) const {
    if (value.type != JsonValue::Type::kArray || value.items.empty()) {
      return fail(path, "expected a non-empty array of rings");
    }
    BRE_RETURN_IF_ERROR(ring(value.items[0], path + "[0]", *out.mutable_outer()));
    for (std::size_t i = 1; i < value.items.size(); ++i) {
      BRE_RETURN_IF_ERROR(ring(value.items[i], path + "[" + std::to_string(i) + "]", *out.add_holes()));
    }
    return Status::ok();
  }

 private:
  static std::string position_text(const JsonValue& position) {
    return position.items[0].text + ", " + position.items[1].text;
  }
  static std::string first_text(const JsonValue& ring) { return position_text(ring.items.front()); }
  static std::string last_text(const JsonValue& ring) { return position_text(ring.items.back()); }

  Status fail(const std::string& path, const std::string& what) const {
    return invalid_argument(prefix_ + ": " + path + ": " + what);
  }

  std::string prefix_;
};

std::string scalar_text(const JsonValue& value) {
  switch (value.type) {
    case JsonValue::Type::kString:
    case JsonValue::Type::kNumber: return value.text;
    case JsonValue::Type::kBool: return value.boolean ? "true" : "false";
    default: return "";
  }
}

}  // namespace

Expected<std::string> GeoFeature::property(const std::string& file, const std::string& name) const {
  auto it = properties.find(name);
  if (it == properties.end() || it->second.empty()) {
    return invalid_argument(file + ": feature " + std::to_string(index) + ": property '" + name +
                            "' is missing or empty");
  }
  return it->second;
}

Expected<FeatureCollection> parse_geojson(std::string_view text, const std::string& file) {
  Expected<JsonValue> document = JsonParser(text, file).parse_document();
  if (!document) return document.status();
  const JsonValue& root = *document;
  const JsonValue* type = root.member("type");
  if (root.type != JsonValue::Type::kObject || type == nullptr || type->text != "FeatureCollection") {
    return invalid_argument(file + ": expected a GeoJSON object with \"type\": \"FeatureCollection\"");
  }
  FeatureCollection collection;
  if (const JsonValue* crs = root.member("crs")) {
    const JsonValue* properties = crs->member("properties");
    const JsonValue* name = properties ? properties->member("name") : nullptr;
    if (name == nullptr || name->type != JsonValue::Type::kString || name->text.empty()) {
      return invalid_argument(file + ": crs: expected {\"type\": \"name\", \"properties\": {\"name\": "
                              "\"urn:ogc:def:crs:EPSG::28992\"}} or the like, found no crs.properties.name");
    }
    collection.crs = name->text;
  }
  const JsonValue* features = root.member("features");
  if (features == nullptr || features->type != JsonValue::Type::kArray) {
    return invalid_argument(file + ": expected a \"features\" array");
  }
  std::vector<GeoFeature>& out = collection.features;
  out.reserve(features->items.size());
  for (std::size_t i = 0; i < features->items.size(); ++i) {
    const JsonValue& feature = features->items[i];
    const std::string prefix = file + ": feature " + std::to_string(i);
    if (feature.type != JsonValue::Type::kObject) return invalid_argument(prefix + ": expected an object");
    GeoFeature result;
    result.index = i;
    if (const JsonValue* properties = feature.member("properties");
        properties != nullptr && properties->type == JsonValue::Type::kObject) {
      for (const auto& [key, value] : properties->members) result.properties[key] = scalar_text(value);
    }
    const JsonValue* geometry = feature.member("geometry");
    if (geometry == nullptr || geometry->type != JsonValue::Type::kObject) {
      return invalid_argument(prefix + ": expected a geometry object, found " +
                              (geometry ? type_name(geometry->type) : "none"));
    }
    const JsonValue* geometry_type = geometry->member("type");
    const JsonValue* coordinates = geometry->member("coordinates");
    const std::string kind = geometry_type ? scalar_text(*geometry_type) : "";
    if (coordinates == nullptr) return invalid_argument(prefix + ": geometry has no coordinates");
    const ShapeReader reader(prefix);
    if (kind == "Polygon") {
      BRE_RETURN_IF_ERROR(reader.polygon(*coordinates, "geometry.coordinates", *result.shape.add_polygons()));
    } else if (kind == "MultiPolygon") {
      if (coordinates->type != JsonValue::Type::kArray || coordinates->items.empty()) {
        return invalid_argument(prefix + ": geometry.coordinates: expected a non-empty array of polygons");
      }
      for (std::size_t p = 0; p < coordinates->items.size(); ++p) {
        BRE_RETURN_IF_ERROR(reader.polygon(coordinates->items[p], "geometry.coordinates[" + std::to_string(p) + "]",
                                           *result.shape.add_polygons()));
      }
    } else {
      return invalid_argument(prefix + ": geometry.type: expected Polygon or MultiPolygon, found '" + kind + "'");
    }
    out.push_back(std::move(result));
  }
  return collection;
}


Expected<std::vector<GeoFeature>> parse_feature_collection(std::string_view text, const std::string& file,
                                                           const GeoJsonOptions& options) {
  Expected<FeatureCollection> collection = parse_geojson(text, file);
  if (!collection) return collection.status();
  const std::string& name = collection->crs;
  if (options.expected_epsg != 0 && !name.empty()) {
    const std::string wanted = std::to_string(options.expected_epsg);
    if (name.size() < wanted.size() || name.compare(name.size() - wanted.size(), wanted.size(), wanted) != 0) {
      return invalid_argument(file + ": crs: expected EPSG:" + wanted + ", found '" + name + "'");
    }
  }
  return std::move(collection->features);
}

Expected<std::vector<GeoFeature>> read_feature_collection(const std::string& path, const GeoJsonOptions& options,
                                                          const std::string& display_name) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  return parse_feature_collection(*text, display_name.empty() ? path : display_name, options);
}

Expected<FeatureCollection> read_geojson(const std::string& path, const std::string& display_name) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  return parse_geojson(*text, display_name.empty() ? path : display_name);
}

}  // namespace bre::import
