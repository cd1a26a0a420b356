#include "explore.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "bre/map/colouring.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/partition.hpp"
#include "explore_script.hpp"

namespace bre::report::explore {

// The texts this layer adds, Dutch first (the report's default), English second.
const WordTable& words() {
  static const WordTable table = {
      {"map", {"Kaart", "Map"}},
      {"run_maps", {"Kaarten van de run", "Maps of the run"}},
      {"partitions", {"Indelingen", "Partitions"}},
      {"partition", {"Indeling", "Partition"}},
      {"indicators", {"Indicatoren", "Indicators"}},
      {"indicator", {"Indicator", "Indicator"}},
      {"region", {"Regio", "Region"}},
      {"confidence", {"Zekerheid van de indeling", "Membership confidence"}},
      {"ties", {"Sterkste banden", "Strongest ties"}},
      {"unassigned", {"niet ingedeeld", "unassigned"}},
      {"no_data", {"geen gegevens", "no data"}},
      {"value", {"Waarde", "Value"}},
      {"quantiles", {"klassen: kwantielen van de regiowaarden", "classes: quantiles of the region values"}},
      {"download_svg", {"SVG downloaden", "Download SVG"}},
      {"download_csv", {"CSV downloaden", "Download CSV"}},
      {"download_geojson", {"Gemeenten met hun regio's (GeoJSON)", "Municipalities with their regions (GeoJSON)"}},
      {"download_pipeline", {"Pijplijn downloaden (JSON)", "Download the pipeline (JSON)"}},
      {"sort", {"Sorteren op deze kolom", "Sort by this column"}},
      {"region_id", {"regio-id", "region id"}},
      {"region_name", {"regio", "region"}},
      {"tables", {"Tabellen", "Tables"}},
      {"tables_intro",
       {"Elke indicatortabel van de run met haar onafgeronde waarden. Open een tabel om haar te zien; een klik op "
        "een kolomkop sorteert, de knop geeft de tabel als CSV. Zonder script staan de waarden per regio in de "
        "regiokaarten hierboven.",
        "Every indicator table of the run with its unrounded values. Open a table to see it; a click on a column "
        "header sorts, the button gives the table as CSV. Without script the values per region are in the region "
        "cards above."}},
      {"rows", {"rijen", "rows"}},
      {"columns", {"kolommen", "columns"}},
      {"for_partition", {"voor indeling", "for partition"}},
      {"cite", {"Citeren en reproduceren", "Cite and reproduce"}},
      {"cite_how", {"Zo citeert u dit rapport", "How to cite this report"}},
      {"cite_report_of", {"rapport van de pijplijn", "report of the pipeline"}},
      {"cite_dataset", {"Dataset", "Dataset"}},
      {"cite_version", {"bre-versie", "bre version"}},
      {"cite_api", {"plugin-API", "plugin API"}},
      {"reproduce_how", {"Zo voert u de run opnieuw uit", "How to reproduce the run"}},
      {"reproduce_text",
       {"Sla de pijplijn hieronder op als bestand en voer hem uit op dezelfde dataset (het bestand met de "
        "SHA-256 hierboven) met dezelfde seed; dezelfde bre-versie geeft dan byte voor byte dezelfde uitkomsten.",
        "Save the pipeline below as a file and run it on the same dataset (the file with the SHA-256 above) with "
        "the same seed; the same bre version then gives the same results byte for byte."}},
      {"reproduce_demo",
       {"Zonder --dataset gebruikt bre de ingebouwde demodataset.",
        "Without --dataset bre uses the built-in demo dataset."}},
      {"pipeline_json", {"De pijplijn als JSON (uit het manifest van de run)", "The pipeline as JSON (from the run's manifest)"}},
  };
  return table;
}

namespace {

// ---------------------------------------------------------------- words

std::string word(Language language, std::string_view key) { return std::string(word_in(words(), key, language)); }

std::string html_word(const Sources& sources, std::string_view key) {
  return map::escape_xml(word(sources.language, key));
}

// ---------------------------------------------------------------- JSON

// A JSON string that is safe inside a <script> element and valid UTF-8 whatever the
// input: '<', '>' and '&' as \u escapes (so no "</script>" or "<!--" can appear), control
// characters escaped, and each byte that does not start a valid UTF-8 sequence as U+FFFD.
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      switch (byte) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '<': out += "\\u003c"; break;
        case '>': out += "\\u003e"; break;
        case '&': out += "\\u0026"; break;
        default:
          if (byte < 0x20 || byte == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 15];
          } else {
            out += static_cast<char>(byte);
          }
      }
      ++i;
      continue;
    }
    // Length and lowest code point of a sequence by its lead byte (RFC 3629).
    std::size_t length = 0;
    std::uint32_t code = 0, lowest = 0;
    if (byte >= 0xc2 && byte <= 0xdf) length = 2, code = byte & 0x1f, lowest = 0x80;
    else if (byte >= 0xe0 && byte <= 0xef) length = 3, code = byte & 0x0f, lowest = 0x800;
    else if (byte >= 0xf0 && byte <= 0xf4) length = 4, code = byte & 0x07, lowest = 0x10000;
    bool valid = length > 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xc0) == 0x80;
      code = (code << 6) | (next & 0x3f);
    }
    valid = valid && code >= lowest && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
    if (!valid) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    // U+2028 and U+2029 end a line in older JavaScript; escaped they are safe anywhere.
    if (code == 0x2028 || code == 0x2029) {
      out += code == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  out += '"';
}

// `"key":"text"`, after a comma unless it is the object's first member.
void append_field(std::string& out, std::string_view key, std::string_view text, bool first = false) {
  if (!first) out += ',';
  append_json_string(out, key);
  out += ':';
  append_json_string(out, text);
}

std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// The shortest text that reads back as the same double; null for NaN and infinities.
void append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

std::string base64(const unsigned char* bytes, std::size_t size) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < size; i += 3) {
    const std::uint32_t chunk = (std::uint32_t{bytes[i]} << 16) | (i + 1 < size ? std::uint32_t{bytes[i + 1]} << 8 : 0) |
                                (i + 2 < size ? std::uint32_t{bytes[i + 2]} : 0);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

// The CSP source of an inline script: 'sha256-' and the base64 of its SHA-256.
std::string script_hash_source(std::string_view script) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(script.data(), script.size(), digest, &length, EVP_sha256(), nullptr);
  return "'sha256-" + base64(digest, length) + "'";
}

// ---------------------------------------------------------------- run lookups

const v1::StepSpec* step_spec(const v1::RunResult& run, const std::string& step_id) {
  for (const auto& step : run.manifest().pipeline().steps()) {
    if (step.id() == step_id) return &step;
  }
  return nullptr;
}

// Every partition of the run once, by name, in step order.
std::vector<const v1::Partition*> run_partitions(const Sources& sources) {
  std::vector<const v1::Partition*> partitions;
  std::set<std::string> seen;
  for (const auto* step : sources.succeeded) {
    for (const auto& partition : step->artifacts().partitions()) {
      if (seen.insert(partition.name()).second) partitions.push_back(&partition);
    }
  }
  return partitions;
}

std::vector<const v1::IndicatorTable*> run_tables(const Sources& sources) {
  std::vector<const v1::IndicatorTable*> tables;
  for (const auto* step : sources.succeeded) {
    for (const auto& table : step->artifacts().tables()) tables.push_back(&table);
  }
  return tables;
}

// The partition a map step drew: its "partition" parameter, else the first partition
// of its first input step (as report.partition_map and report.value_map choose).
std::string map_partition(const Sources& sources, const std::string& map_step_id) {
  if (const auto* manifest = step_manifest(*sources.run, map_step_id)) {
    for (const auto& p : manifest->parameters()) {
      if (p.name() == "partition" && p.value().has_string_value() && !p.value().string_value().empty()) {
        return p.value().string_value();
      }
    }
  }
  if (const auto* spec = step_spec(*sources.run, map_step_id); spec != nullptr && spec->inputs_size() > 0) {
    for (const auto* step : sources.succeeded) {
      if (step->step_id() == spec->inputs(0) && step->artifacts().partitions_size() > 0) {
        return step->artifacts().partitions(0).name();
      }
    }
  }
  return sources.report_partition->name();
}

// Whether the dataset's coordinates are RD New: every importer projects to it; only
// the synthetic demo country lies on an invented plane (dataset.proto, Point).
bool coordinates_are_rd_new(const v1::Dataset& dataset) {
  return dataset.description().rfind("Synthetic demo country", 0) != 0;
}

bool is_builtin_demo(const v1::Dataset& dataset) {
  return dataset.name() == "demo" && !coordinates_are_rd_new(dataset);
}

// ---------------------------------------------------------------- island parts

void append_municipalities(std::string& out, const DatasetIndex& index) {
  out += "\"municipalities\":[";
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    const auto& m = index.municipality_at(i);
    out += i == 0 ? "[" : ",[";
    append_json_string(out, m.code());
    out += ',';
    append_json_string(out, m.name());
    out += ']';
  }
  out += ']';
}

// Per partition: its regions with a map colour (touching regions differ; matched regions
// keep the report partition's colours), the region of each municipality and, where the
// partition has it, each municipality's membership confidence.
void append_partitions(std::string& out, const Sources& sources) {
  const DatasetIndex& index = *sources.dataset;
  const auto reference = membership_of(index, *sources.report_partition);
  out += "\"partitions\":[";
  bool first = true;
  for (const auto* partition : run_partitions(sources)) {
    const auto membership = membership_of(index, *partition);
    if (!membership) continue;  // a partition naming unknown municipalities cannot be drawn
    std::vector<std::int32_t> colours;
    if (reference) {
      auto following = map::region_colours_following(index, *membership, partition->regions_size(), *reference,
                                                     sources.report_partition->regions_size());
      if (following) colours = std::move(*following);
    }
    out += first ? "{" : ",{";
    first = false;
    append_field(out, "name", partition->name(), true);
    out += ",\"regions\":[";
    for (int r = 0; r < partition->regions_size(); ++r) {
      const auto& region = partition->regions(r);
      out += r == 0 ? "[" : ",[";
      append_json_string(out, region.id());
      out += ',';
      append_json_string(out, region.name().empty() ? region.id() : region.name());
      out += ',';
      append_json_string(out, map::region_colour(static_cast<std::size_t>(r) < colours.size() ? colours[r] : r));
      out += ']';
    }
    out += "],\"region_of\":[";
    for (std::size_t i = 0; i < membership->size(); ++i) {
      if (i > 0) out += ',';
      out += std::to_string((*membership)[i]);
    }
    out += ']';
    if (partition->membership_confidence_size() > 0) {
      std::vector<double> confidence(index.municipality_count(), std::nan(""));
      for (const auto& value : partition->membership_confidence()) {
        if (const auto i = index.municipality(value.municipality_code())) confidence[*i] = value.value();
      }
      out += ",\"confidence\":[";
      for (std::size_t i = 0; i < confidence.size(); ++i) {
        if (i > 0) out += ',';
        append_json_number(out, confidence[i]);
      }
      out += ']';
    }
    out += '}';
  }
  out += ']';
}

// Each municipality's strongest ties in the run's cooperation network (the first
// network called "cooperation", else the first network): up to kTies neighbours by
// weight, heaviest first, ties broken by dataset order.
void append_ties(std::string& out, const Sources& sources) {
  constexpr std::size_t kTies = 3;
  const v1::Network* network = nullptr;
  for (const auto* step : sources.succeeded) {
    for (const auto& n : step->artifacts().networks()) {
      if (network == nullptr || (n.name() == "cooperation" && network->name() != "cooperation")) network = &n;
    }
  }
  if (network == nullptr) return;
  const DatasetIndex& index = *sources.dataset;
  std::vector<std::optional<std::size_t>> node_index;
  for (const auto& code : network->node_codes()) node_index.push_back(index.municipality(code));
  std::vector<std::vector<std::pair<double, std::size_t>>> neighbours(index.municipality_count());
  for (const auto& edge : network->edges()) {
    if (edge.a() < 0 || edge.b() < 0 || edge.a() >= static_cast<int>(node_index.size()) ||
        edge.b() >= static_cast<int>(node_index.size()) || edge.a() == edge.b() || !(edge.weight() > 0)) {
      continue;
    }
    const auto a = node_index[edge.a()], b = node_index[edge.b()];
    if (!a || !b) continue;
    neighbours[*a].emplace_back(edge.weight(), *b);
    neighbours[*b].emplace_back(edge.weight(), *a);
  }
  out += ",\"network\":";
  append_json_string(out, network->name());
  out += ",\"ties\":[";
  for (std::size_t i = 0; i < neighbours.size(); ++i) {
    auto& list = neighbours[i];
    std::sort(list.begin(), list.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    if (list.size() > kTies) list.resize(kTies);
    out += i == 0 ? "[" : ",[";
    for (std::size_t k = 0; k < list.size(); ++k) {
      out += k == 0 ? "[" : ",[";
      out += std::to_string(list[k].second);
      out += ',';
      append_json_number(out, list[k].first);
      out += ']';
    }
    out += ']';
  }
  out += ']';
}

void append_rows(std::string& out, const google::protobuf::RepeatedPtrField<v1::IndicatorRow>& rows) {
  for (int r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    out += r == 0 ? "[" : ",[";
    append_json_string(out, row.region_id());
    out += ',';
    append_json_string(out, row.region_name());
    for (const double value : row.values()) {
      out += ',';
      append_json_number(out, value);
    }
    out += ']';
  }
}

// Every indicator table with its columns and raw values (rows, then summary rows).
void append_tables(std::string& out, const Sources& sources) {
  out += ",\"tables\":[";
  bool first = true;
  for (const auto* table : run_tables(sources)) {
    out += first ? "{" : ",{";
    first = false;
    append_field(out, "name", table->name(), true);
    append_field(out, "partition", table->partition_name());
    out += ",\"columns\":[";
    for (int c = 0; c < table->columns_size(); ++c) {
      const auto& column = table->columns(c);
      out += c == 0 ? "{" : ",{";
      append_field(out, "id", column.id(), true);
      append_field(out, "label", column.label().empty() ? column.id() : column.label());
      if (!column.unit().empty()) append_field(out, "unit", column.unit());
      if (column.categories_size() > 0) {
        out += ",\"categories\":[";
        for (int k = 0; k < column.categories_size(); ++k) {
          if (k > 0) out += ',';
          append_json_string(out, column.categories(k));
        }
        // What the page shows for each code; the CSV keeps the codes.
        out += "],\"category_labels\":[";
        for (int k = 0; k < column.categories_size(); ++k) {
          if (k > 0) out += ',';
          append_json_string(out, category_words(column.categories(k), sources.language));
        }
        out += ']';
      }
      out += '}';
    }
    out += "],\"rows\":[";
    append_rows(out, table->rows());
    out += "],\"summary\":[";
    append_rows(out, table->summary_rows());
    out += "]}";
  }
  out += ']';
}

// The polygons of each municipality in the dataset's coordinates: per municipality a
// list of polygons, each a list of rings (outer first), each ring flat [x0,y0,x1,y1,...].
void append_geometry(std::string& out, const DatasetIndex& index) {
  out += ",\"crs\":";
  out += coordinates_are_rd_new(index.dataset()) ? "\"EPSG:28992\"" : "null";
  out += ",\"geometry\":[";
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    const auto& m = index.municipality_at(i);
    out += i == 0 ? "[" : ",[";
    bool first_polygon = true;
    for (const auto& polygon : m.geometry().polygons()) {
      out += first_polygon ? "[" : ",[";
      first_polygon = false;
      auto ring = [&](const v1::Ring& r, bool first_ring) {
        out += first_ring ? "[" : ",[";
        for (int p = 0; p < r.points_size(); ++p) {
          if (p > 0) out += ',';
          append_json_number(out, r.points(p).x());
          out += ',';
          append_json_number(out, r.points(p).y());
        }
        out += ']';
      };
      ring(polygon.outer(), true);
      for (const auto& hole : polygon.holes()) ring(hole, false);
      out += ']';
    }
    out += ']';
  }
  out += ']';
}

void append_words(std::string& out, Language language) {
  out += ",\"words\":{";
  bool first = true;
  for (const auto& [key, w] : words()) {
    append_field(out, key, text_of(w, language), first);
    first = false;
  }
  out += '}';
}

// ---------------------------------------------------------------- pipeline JSON

void append_json_value(std::string& out, const v1::ParameterValue& value) {
  switch (value.value_case()) {
    case v1::ParameterValue::kBoolValue: out += value.bool_value() ? "true" : "false"; break;
    case v1::ParameterValue::kIntValue: out += std::to_string(value.int_value()); break;
    case v1::ParameterValue::kDoubleValue: append_json_number(out, value.double_value()); break;
    case v1::ParameterValue::kStringValue: append_json_string(out, value.string_value()); break;
    case v1::ParameterValue::kStringListValue: {
      out += '[';
      for (int k = 0; k < value.string_list_value().values_size(); ++k) {
        if (k > 0) out += ", ";
        append_json_string(out, value.string_list_value().values(k));
      }
      out += ']';
      break;
    }
    default: out += "null";
  }
}

// The pipeline as a person writes it, rebuilt from the manifest: each step's plugin,
// inputs and the parameters the pipeline set (defaulted ones are left to the same bre
// version, so a rerun's manifest is byte-identical, "defaulted" flags included).
std::string pipeline_json(const v1::Manifest& manifest) {
  std::string out = "{\n  \"name\": " + json_string(manifest.pipeline().name());
  if (!manifest.pipeline().description().empty()) {
    out += ",\n  \"description\": " + json_string(manifest.pipeline().description());
  }
  if (!manifest.pipeline().language().empty()) {
    out += ",\n  \"language\": " + json_string(manifest.pipeline().language());
  }
  out += ",\n  \"steps\": [";
  for (int s = 0; s < manifest.pipeline().steps_size(); ++s) {
    const auto& spec = manifest.pipeline().steps(s);
    out += s == 0 ? "\n    {" : ",\n    {";
    out += "\n      \"id\": " + json_string(spec.id()) + ",\n      \"plugin\": " + json_string(spec.plugin());
    if (!spec.isolation().empty()) out += ",\n      \"isolation\": " + json_string(spec.isolation());
    if (spec.inputs_size() > 0) {
      out += ",\n      \"inputs\": [";
      for (int k = 0; k < spec.inputs_size(); ++k) out += (k == 0 ? "" : ", ") + json_string(spec.inputs(k));
      out += ']';
    }
    const v1::StepManifest* step = nullptr;
    for (const auto& m : manifest.steps()) {
      if (m.step_id() == spec.id()) step = &m;
    }
    std::string params;
    for (int k = 0; step != nullptr && k < step->parameters_size(); ++k) {
      const v1::ResolvedParameter& p = step->parameters(k);
      if (p.defaulted()) continue;
      params += (params.empty() ? "\n        " : ",\n        ") + json_string(p.name()) + ": ";
      append_json_value(params, p.value());
    }
    if (!params.empty()) out += ",\n      \"params\": {" + params + "\n      }";
    out += "\n    }";
  }
  out += "\n  ]";
  // The GIS files the run wrote, so a rerun writes the same directory.
  for (int e = 0; e < manifest.pipeline().exports_size(); ++e) {
    const v1::GisExportSpec& gis = manifest.pipeline().exports(e);
    out += e == 0 ? ",\n  \"exports\": [\n    {" : ",\n    {";
    out += "\"partition\": " + json_string(gis.partition()) + ", \"file\": " + json_string(gis.file());
    if (gis.crs() != 0) out += ", \"crs\": " + std::to_string(gis.crs());
    if (!gis.layer().empty()) out += ", \"layer\": " + json_string(gis.layer());
    out += "}";
    if (e + 1 == manifest.pipeline().exports_size()) out += "\n  ]";
  }
  out += "\n}\n";
  return out;
}

// Text for a <pre>: escaped line by line, so its line breaks stay.
std::string escape_lines(std::string_view text) {
  std::string out;
  for (std::size_t start = 0; start < text.size();) {
    const auto end = std::min(text.find('\n', start), text.size());
    out += map::escape_xml(text.substr(start, end - start));
    if (end < text.size()) out += '\n';
    start = end + 1;
  }
  return out;
}

std::string pipeline_file_name(const v1::Manifest& manifest) {
  std::string name;
  for (const char c : manifest.pipeline().name()) {
    name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '_';
  }
  return (name.empty() ? "pipeline" : name) + ".json";
}

}  // namespace

const v1::StepManifest* step_manifest(const v1::RunResult& run, const std::string& step_id) {
  for (const auto& step : run.manifest().steps()) {
    if (step.step_id() == step_id) return &step;
  }
  return nullptr;
}

std::string content_security_policy() {
  return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src " +
         script_hash_source(kExploreScript) + "; connect-src 'none'; base-uri 'none'; form-action 'none'";
}

std::string_view style() {
  return R"(
details.region-card>summary{list-style:none;font-size:1em}
details.region-card>summary::-webkit-details-marker{display:none}
details.region-card>summary h3{display:inline-block}
details.region-card:not([open]){width:auto;padding:.3em .8em;margin:0}
details.region-card:not([open])>summary h3{margin:0;font-size:1em}
details.region-card>summary h3::before{content:"▸ ";color:#5a8fc2}
details.region-card[open]>summary h3::before{content:"▾ "}
details.region-card:target,details.region-card.chosen{outline:3px solid #5a8fc2}
.viewer-bar{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:center;margin:.4em 0 .8em 0}
.viewer-bar label{display:flex;align-items:center;gap:.4em;flex:0 1 36em;min-width:0}
.viewer-bar select{flex:1 1 auto;min-width:0;max-width:100%;font-size:.95em}
.explore #maps figure.map{display:block;max-width:900px;margin:0 0 1em 0}
.explore #maps figure.map[hidden]{display:none}
.explore #maps figure.map svg{max-height:calc(100vh - 7em)}
.explore figure.map path[data-code]{cursor:pointer}
.explore figure.map path[data-code]:hover{stroke:#15436b;stroke-width:1.5}
.map-tools{font-weight:normal;margin-left:.6em}
button.download,.viewer-bar button{font-size:.8em;padding:.15em .6em;border:1px solid #5a8fc2;border-radius:4px;background:#fff;color:#15436b;cursor:pointer}
ul.viewer-legend{list-style:none;padding:0;margin:.4em 0;display:flex;flex-wrap:wrap;gap:.2em 1em;font-size:.85em}
ul.viewer-legend .swatch{display:inline-block;width:1em;height:.8em;border:1px solid #8893a0;margin-right:.3em;vertical-align:middle}
#bre-tooltip{position:fixed;z-index:10;pointer-events:none;background:#fff;border:1px solid #15436b;border-radius:4px;padding:.4em .6em;font-size:.85em;max-width:22em;box-shadow:0 2px 6px rgba(0,0,0,.2)}
#bre-tooltip[hidden]{display:none}
#bre-tooltip strong{display:block;color:#15436b}
#bre-tooltip ul{margin:.1em 0 0 1em;padding:0}
th button.sort{all:unset;cursor:pointer;font-weight:bold}
th button.sort:focus-visible{outline:2px solid #5a8fc2}
th button.sort::after{content:" ↕";color:#9aa5b1;font-weight:normal}
th[aria-sort=ascending] button.sort::after{content:" ▲";color:#15436b}
th[aria-sort=descending] button.sort::after{content:" ▼";color:#15436b}
.table-scroll{overflow-x:auto;max-width:100%}
pre.command,pre.pipeline{background:#fff;border:1px solid #ccd;padding:.5em;overflow-x:auto;font-size:.85em}
pre.pipeline{max-height:24em;overflow:auto}
p.citation{background:#fff;border-left:4px solid #15436b;padding:.5em .8em}
@media (max-width:700px){main{padding:0 .8em 1em .8em}header,nav{padding-left:.8em;padding-right:.8em}
figure.map{max-width:100%;display:block;margin-right:0}.region-card{width:100%}
main table{display:block;overflow-x:auto;max-width:100%}p.citation code{word-break:break-all}
details.data-table>summary{overflow-wrap:anywhere}figure.chart{max-width:100%;box-sizing:border-box}}
@media print{pre.pipeline{max-height:none}.viewer-bar,#bre-tooltip,button.download,figure.map.recolour{display:none!important}
.explore #maps figure.map[hidden]{display:inline-block!important}}
)";
}

// A category as the page's reader reads it. Plugins store categories as codes (English
// words, the same in every run, so results compare across languages); the page puts
// each word of a code in its language: "economy low, environment high" -> "economie
// laag, milieu hoog", "high_not_investing" -> "hoog niet investerend". Words it does
// not know (names) stay as they are.
std::string category_words(std::string_view code, Language language) {
  static const std::map<std::string_view, std::string_view> dutch = {
      {"high", "hoog"}, {"low", "laag"}, {"positive", "positief"}, {"negative", "negatief"},
      {"average", "gemiddeld"}, {"unknown", "onbekend"}, {"yes", "ja"}, {"no", "nee"}, {"none", "geen"},
      {"regional", "regionaal"}, {"subregional", "subregionaal"}, {"interregional", "interregionaal"},
      {"unassigned", "niet ingedeeld"}, {"selected", "gekozen"}, {"coarser", "grover niveau"},
      {"stable", "stabiel"}, {"narrow", "smal"}, {"seeds disagree", "seeds verschillen"},
      {"edge of the range", "rand van het bereik"}, {"trivial", "triviaal"}, {"investing", "investerend"},
      {"not", "niet"}, {"geography", "geografie"}, {"demography", "demografie"},
      {"housing_and_services", "wonen en voorzieningen"}, {"social_capital", "sociaal kapitaal"},
      {"economy", "economie"}, {"environment", "milieu"}, {"health", "gezondheid"}, {"wellbeing", "brede welvaart"}};
  if (language == Language::kDutch) {
    if (auto whole = dutch.find(code); whole != dutch.end()) return std::string(whole->second);
  }
  // Word by word; a word with underscores is a theme id ("social_capital") or, failing
  // that, its parts ("high_not_investing").
  auto in_dutch = [&](const std::string& word) -> std::string {
    auto found = dutch.find(word);
    if (found != dutch.end()) return std::string(found->second);
    std::string parts;
    std::string part;
    for (char c : word + "_") {
      if (c != '_') {
        part += c;
        continue;
      }
      auto p = dutch.find(part);
      parts += (parts.empty() ? "" : " ") + (p == dutch.end() ? part : std::string(p->second));
      part.clear();
    }
    return parts;
  };
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (language == Language::kDutch) {
      out += in_dutch(word);
    } else {
      for (char c : word) out += c == '_' ? ' ' : c;
    }
    word.clear();
  };
  for (char c : code) {
    if (c == ' ' || c == ',') {
      flush();
      out += c;
    } else {
      word += c;
    }
  }
  flush();
  return out;
}

std::string map_figure_attributes(const Sources& sources, const std::string& map_step_id) {
  const auto* manifest = step_manifest(*sources.run, map_step_id);
  const auto* spec = step_spec(*sources.run, map_step_id);
  const std::string plugin = manifest != nullptr ? manifest->plugin() : spec != nullptr ? spec->plugin() : "";
  return " data-partition=\"" + map::escape_xml(map_partition(sources, map_step_id)) + "\" data-plugin=\"" +
         map::escape_xml(plugin) + "\"";
}

std::string tables_section(const Sources& sources) {
  const auto tables = run_tables(sources);
  if (tables.empty()) return {};
  std::string html = "<section id=\"tables\"><h2>" + html_word(sources, "tables") + "</h2><p class=\"muted\">" +
                     html_word(sources, "tables_intro") + "</p>";
  for (std::size_t t = 0; t < tables.size(); ++t) {
    const auto& table = *tables[t];
    html += "<details class=\"data-table\" data-index=\"" + std::to_string(t) + "\" id=\"table-" + std::to_string(t) +
            "\"><summary>" + map::escape_xml(table.name()) + " <span class=\"muted\">" +
            (table.partition_name().empty()
                 ? std::string()
                 : html_word(sources, "for_partition") + " " + map::escape_xml(table.partition_name()) + " · ") +
            std::to_string(table.rows_size() + table.summary_rows_size()) + " " + html_word(sources, "rows") + " · " +
            std::to_string(table.columns_size()) + " " + html_word(sources, "columns") + "</span></summary></details>";
  }
  return html + "</section>\n";
}

std::string cite_section(const Sources& sources, const std::string& title) {
  const v1::Manifest& m = sources.run->manifest();
  const std::string file = pipeline_file_name(m);
  std::string html = "<section id=\"cite\"><h2>" + html_word(sources, "cite") + "</h2><h3>" +
                     html_word(sources, "cite_how") + "</h3><p class=\"citation\">" + map::escape_xml(title) + ": " +
                     html_word(sources, "cite_report_of") + " “" + map::escape_xml(m.pipeline().name()) + "”. " +
                     html_word(sources, "cite_dataset") + " “" + map::escape_xml(m.dataset_name()) +
                     "”, SHA-256 <code>" + map::escape_xml(m.dataset_sha256()) + "</code>. " +
                     html_word(sources, "cite_version") + " " + map::escape_xml(m.bre_version()) + ", " +
                     html_word(sources, "cite_api") + " " + map::escape_xml(m.api_version()) + ", seed " +
                     std::to_string(m.seed()) + ".</p><h3>" + html_word(sources, "reproduce_how") + "</h3><p>" +
                     html_word(sources, "reproduce_text") + "</p>";
  const bool demo = is_builtin_demo(sources.dataset->dataset());
  // Commands and the pipeline are code, in no language: <code> says so.
  html += "<pre class=\"command\"><code>bre run " + map::escape_xml(file) + (demo ? "" : " --dataset DATASET.pb") +
          " --seed " + std::to_string(m.seed()) + " --out RUN</code></pre>";
  if (demo) html += "<p class=\"muted\">" + html_word(sources, "reproduce_demo") + "</p>";
  html += "<details class=\"pipeline\" open><summary>" + html_word(sources, "pipeline_json") +
          "</summary><pre class=\"pipeline\" id=\"pipeline-json\" data-file=\"" + map::escape_xml(file) + "\"><code>" +
          escape_lines(pipeline_json(m)) + "</code></pre></details></section>\n";
  return html;
}

std::vector<std::pair<std::string, std::string>> sections(const Sources& sources) {
  std::vector<std::pair<std::string, std::string>> list;
  if (!run_tables(sources).empty()) list.emplace_back("tables", word(sources.language, "tables"));
  list.emplace_back("cite", word(sources.language, "cite"));
  return list;
}

std::string data_island(const Sources& sources) {
  std::string out = "<script type=\"application/json\" id=\"bre-data\">{\"report_partition\":";
  append_json_string(out, sources.report_partition->name());
  out += ',';
  append_municipalities(out, *sources.dataset);
  out += ',';
  append_partitions(out, sources);
  append_ties(out, sources);
  append_tables(out, sources);
  append_geometry(out, *sources.dataset);
  append_words(out, sources.language);
  out += "}</script>\n";
  return out;
}

std::string script_element() { return "<script>" + std::string(kExploreScript) + "</script>\n"; }

}  // namespace bre::report::explore
