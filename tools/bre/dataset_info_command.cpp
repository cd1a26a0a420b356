// `bre dataset info FILE [--json]`: what a dataset holds, counted, so a user can see
// which region definitions, divisions, indicators and flows a pipeline can use before
// writing one.
#include <google/protobuf/struct.pb.h>

#include <iostream>
#include <map>
#include <set>
#include <string>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

namespace bre::cli {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// An enum value without its type's prefix, in lower case: BODY_KIND_WATER_BOARD → water_board.
template <typename Enum>
std::string short_name(const google::protobuf::EnumDescriptor* type, Enum value, const std::string& prefix) {
  const auto* descriptor = type->FindValueByNumber(static_cast<int>(value));
  if (descriptor == nullptr) return std::to_string(static_cast<int>(value));
  return lower_ascii(descriptor->name().substr(prefix.size()));
}

Value number(double x) {
  Value v;
  v.set_number_value(x);
  return v;
}

Value text(const std::string& s) {
  Value v;
  v.set_string_value(s);
  return v;
}

Value counts(const std::map<std::string, std::size_t>& by_key) {
  Value v;
  v.mutable_struct_value();  // {} when there is nothing to count
  for (const auto& [key, count] : by_key) (*v.mutable_struct_value()->mutable_fields())[key] = number(static_cast<double>(count));
  return v;
}

// The summary as one JSON object; the text form is printed from it, so both say the same.
Struct summarise(const v1::Dataset& d) {
  Struct out;
  auto& f = *out.mutable_fields();
  f["name"] = text(d.name());
  f["reference_year"] = number(d.reference_year());
  f["description"] = text(d.description());

  std::size_t with_population = 0, with_geometry = 0, with_province = 0;
  double population = 0.0;
  for (const auto& m : d.municipalities()) {
    with_population += m.population() > 0;
    with_geometry += m.has_geometry() && m.geometry().polygons_size() > 0;
    with_province += !m.province_code().empty();
    population += static_cast<double>(m.population());
  }
  Value municipalities;
  auto& mf = *municipalities.mutable_struct_value()->mutable_fields();
  mf["count"] = number(d.municipalities_size());
  mf["with_population"] = number(static_cast<double>(with_population));
  mf["without_population"] = number(static_cast<double>(d.municipalities_size() - with_population));
  mf["population"] = number(population);
  mf["with_geometry"] = number(static_cast<double>(with_geometry));
  mf["without_geometry"] = number(static_cast<double>(d.municipalities_size() - with_geometry));
  mf["with_province"] = number(static_cast<double>(with_province));
  mf["adjacent_pairs"] = number(d.adjacency_size());
  f["municipalities"] = municipalities;

  std::map<std::string, std::size_t> bodies;
  for (const auto& b : d.bodies()) ++bodies[short_name(v1::BodyKind_descriptor(), b.kind(), "BODY_KIND_")];
  f["bodies_by_kind"] = counts(bodies);

  std::map<std::string, std::size_t> kinds, domains, forms, divisions;
  for (const auto& a : d.arrangements()) {
    ++kinds[short_name(v1::ArrangementKind_descriptor(), a.kind(), "ARRANGEMENT_KIND_")];
    ++forms[short_name(v1::LegalForm_descriptor(), a.legal_form(), "LEGAL_FORM_")];
    if (a.policy_domains_size() == 0) ++domains["(none)"];
    for (const auto& domain : std::set<std::string>(a.policy_domains().begin(), a.policy_domains().end())) ++domains[domain];
    if (!a.division().empty()) ++divisions[a.division()];
  }
  Value arrangements;
  auto& af = *arrangements.mutable_struct_value()->mutable_fields();
  af["count"] = number(d.arrangements_size());
  af["by_kind"] = counts(kinds);
  af["by_domain"] = counts(domains);
  af["by_legal_form"] = counts(forms);
  af["divisions"] = counts(divisions);
  f["arrangements"] = arrangements;

  Value definitions;
  auto* list = definitions.mutable_list_value();
  for (const auto& def : d.region_definitions()) {
    std::set<std::string> covered;
    for (const auto& region : def.regions()) covered.insert(region.municipality_codes().begin(), region.municipality_codes().end());
    Value entry;
    auto& ef = *entry.mutable_struct_value()->mutable_fields();
    ef["name"] = text(def.name());
    ef["regions"] = number(def.regions_size());
    ef["municipalities"] = number(static_cast<double>(covered.size()));
    ef["is_cover"].set_bool_value(def.is_cover());
    *list->add_values() = entry;
  }
  f["region_definitions"] = definitions;

  double persons = 0.0;
  for (const auto& flow : d.commuting_flows()) persons += flow.persons();
  Value commuting;
  (*commuting.mutable_struct_value()->mutable_fields())["flows"] = number(d.commuting_flows_size());
  (*commuting.mutable_struct_value()->mutable_fields())["persons"] = number(persons);
  f["commuting"] = commuting;

  std::map<std::string, std::set<int>> years;
  std::map<std::string, std::size_t> values;
  for (const auto& v : d.indicator_values()) {
    years[v.indicator_id()].insert(v.year());
    ++values[v.indicator_id()];
  }
  Value indicators;
  for (const auto& indicator : d.area_indicators()) {
    Value entry;
    auto& ef = *entry.mutable_struct_value()->mutable_fields();
    ef["id"] = text(indicator.id());
    ef["theme"] = text(short_name(v1::Theme_descriptor(), indicator.theme(), "THEME_"));
    ef["direction"] = text(short_name(v1::Direction_descriptor(), indicator.direction(), "DIRECTION_"));
    auto* year_list = ef["years"].mutable_list_value();
    for (int year : years[indicator.id()]) *year_list->add_values() = number(year);
    ef["values"] = number(static_cast<double>(values[indicator.id()]));
    *indicators.mutable_list_value()->add_values() = entry;
  }
  if (d.area_indicators_size() == 0) indicators.mutable_list_value();
  f["area_indicators"] = indicators;

  Value survey;
  (*survey.mutable_struct_value()->mutable_fields())["items"] = number(d.survey_items_size());
  (*survey.mutable_struct_value()->mutable_fields())["responses"] = number(d.survey_responses_size());
  f["survey"] = survey;
  f["cases"] = number(d.cases_size());
  return out;
}

std::string whole(const Value& v) { return format_csv_number(v.number_value()); }

// A scalar as JSON, without the line end the printer may add.
std::string scalar_json(const Value& value) {
  std::string text = to_json(value);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// JSON with the members of every object in sorted order (protobuf's printer follows its
// map's hash order), so the same dataset always prints the same text.
void append_json(const Value& value, const std::string& indent, std::string& out) {
  switch (value.kind_case()) {
    case Value::kStructValue: {
      const std::map<std::string, Value> sorted(value.struct_value().fields().begin(), value.struct_value().fields().end());
      if (sorted.empty()) {
        out += "{}";
        return;
      }
      out += "{";
      const char* separator = "\n";
      for (const auto& [key, member] : sorted) {
        Value name;
        name.set_string_value(key);
        out += separator + indent + "  " + scalar_json(name) + ": ";
        append_json(member, indent + "  ", out);
        separator = ",\n";
      }
      out += "\n" + indent + "}";
      return;
    }
    case Value::kListValue: {
      out += "[";
      const char* separator = "";
      for (const Value& item : value.list_value().values()) {
        out += separator;
        append_json(item, indent, out);
        separator = ", ";
      }
      out += "]";
      return;
    }
    default: out += scalar_json(value);
  }
}

// "cooperation 12, societal 3" from a counts object.
std::string count_list(const Value& v) {
  std::string out;
  for (const auto& [key, count] : std::map<std::string, Value>(v.struct_value().fields().begin(), v.struct_value().fields().end())) {
    out += (out.empty() ? "" : ", ") + key + " " + whole(count);
  }
  return out.empty() ? "none" : out;
}

void print_text(const Struct& summary) {
  const auto& f = summary.fields();
  const auto& m = f.at("municipalities").struct_value().fields();
  const auto& a = f.at("arrangements").struct_value().fields();
  const auto& c = f.at("commuting").struct_value().fields();
  const auto& s = f.at("survey").struct_value().fields();
  std::cout << "dataset " << f.at("name").string_value() << ", reference year " << whole(f.at("reference_year")) << "\n"
            << "municipalities " << whole(m.at("count")) << ": " << whole(m.at("with_population"))
            << " with population (" << whole(m.at("population")) << " inhabitants), " << whole(m.at("without_population"))
            << " without; " << whole(m.at("with_geometry")) << " with geometry, " << whole(m.at("without_geometry"))
            << " without; " << whole(m.at("with_province")) << " with a province; shared borders "
            << whole(m.at("adjacent_pairs")) << "\n"
            << "bodies by kind: " << count_list(f.at("bodies_by_kind")) << "\n"
            << "arrangements " << whole(a.at("count")) << "\n"
            << "  by kind: " << count_list(a.at("by_kind")) << "\n"
            << "  by domain: " << count_list(a.at("by_domain")) << "\n"
            << "  by legal form: " << count_list(a.at("by_legal_form")) << "\n"
            << "  divisions (usable as region definitions): " << count_list(a.at("divisions")) << "\n";
  const auto& definitions = f.at("region_definitions").list_value().values();
  std::cout << "region definitions " << definitions.size() << "\n";
  for (const auto& def : definitions) {
    const auto& df = def.struct_value().fields();
    std::cout << "  " << df.at("name").string_value() << ": " << whole(df.at("regions")) << " regions, "
              << whole(df.at("municipalities")) << " municipalities" << (df.at("is_cover").bool_value() ? " (cover)" : "")
              << "\n";
  }
  std::cout << "commuting flows " << whole(c.at("flows")) << " (" << whole(c.at("persons")) << " persons)\n";
  const auto& indicators = f.at("area_indicators").list_value().values();
  std::cout << "area indicators " << indicators.size() << "\n";
  for (const auto& indicator : indicators) {
    const auto& i = indicator.struct_value().fields();
    std::string years;
    for (const auto& y : i.at("years").list_value().values()) years += (years.empty() ? "" : ", ") + whole(y);
    std::cout << "  " << i.at("id").string_value() << ": " << i.at("theme").string_value() << ", "
              << i.at("direction").string_value() << ", years " << (years.empty() ? "none" : years) << " ("
              << whole(i.at("values")) << " values)\n";
  }
  std::cout << "survey: " << whole(s.at("items")) << " items, " << whole(s.at("responses")) << " responses\n"
            << "cases " << whole(f.at("cases")) << "\n";
}

}  // namespace

int dataset_info(const std::vector<std::string>& args) {
  const std::string usage = "usage: bre dataset info FILE [--json]   (FILE 'demo' = the built-in demo dataset)";
  po::options_description options("Options");
  options.add_options()("help,h", "this help")("dataset", po::value<std::string>()->required(), "dataset (.pb or .json)")(
      "json", switch_value(), "print one JSON object instead of text");
  po::positional_options_description positional;
  positional.add("dataset", 1);
  po::variables_map vm;
  if (auto code = parse_options(args, "bre dataset info", usage, options, positional, vm)) return *code;
  const std::string path = vm["dataset"].as<std::string>();
  Expected<v1::Dataset> dataset = path == "demo" ? Expected<v1::Dataset>(demo::generate()) : read_dataset(path);
  if (!dataset) return fail(dataset.status());
  const Struct summary = summarise(*dataset);
  if (is_set(vm, "json")) {
    Value root;
    *root.mutable_struct_value() = summary;
    std::string text;
    append_json(root, "", text);
    std::cout << text << "\n";
  } else {
    print_text(summary);
  }
  return kExitOk;
}

}  // namespace bre::cli
