#include "bre/import/dataset_builder.hpp"

#include <algorithm>
#include <utility>

#include "bre/dataset.hpp"
#include "bre/geometry.hpp"

namespace bre::import {
namespace {

// "Bergen (L.)" → "Bergen"; "" when the name has no trailing qualifier in parentheses.
std::string without_qualifier(const std::string& name) {
  if (name.empty() || name.back() != ')') return "";
  const std::size_t open = name.rfind(" (");
  if (open == std::string::npos || open == 0) return "";
  return name.substr(0, open);
}

bool is_cbs_number(const std::string& text) {
  return !text.empty() && text.size() <= 4 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

DatasetBuilder::DatasetBuilder(const std::string& name, int reference_year, const std::string& description) {
  dataset_.set_name(name);
  dataset_.set_reference_year(reference_year);
  dataset_.set_description(description);
}

Status DatasetBuilder::add_municipalities(std::vector<MunicipalityShape> municipalities) {
  // Stable, so that of two features with one code the first is named first.
  std::stable_sort(municipalities.begin(), municipalities.end(),
                   [](const MunicipalityShape& a, const MunicipalityShape& b) { return a.code < b.code; });
  for (std::size_t i = 1; i < municipalities.size(); ++i) {
    if (municipalities[i].code == municipalities[i - 1].code) {
      return invalid_argument(municipalities[i].file + ": code '" + municipalities[i].code + "' appears twice (" +
                              municipalities[i - 1].name + " and " + municipalities[i].name + ")");
    }
  }
  for (MunicipalityShape& shape : municipalities) {
    if (known_codes_.count(shape.code)) {
      return invalid_argument(shape.file + ": code '" + shape.code + "' is already a municipality of the dataset");
    }
    v1::Municipality* m = dataset_.add_municipalities();
    m->set_code(shape.code);
    m->set_name(shape.name);
    m->set_population(shape.population);
    m->set_area_km2(multipolygon_area(shape.shape) / 1e6);
    *m->mutable_centroid() = multipolygon_centroid(shape.shape);
    *m->mutable_geometry() = std::move(shape.shape);
    m->mutable_source()->set_file(shape.file);
    official_names_[shape.code] = shape.name;
    known_codes_.insert(shape.code);
    names_.add_official(shape.code, shape.name);
  }
  return Status::ok();
}

void DatasetBuilder::add_qualified_name_aliases() {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_base;  // base → (code, qualifier)
  for (const auto& [code, name] : official_names_) {
    const std::string base = without_qualifier(name);
    if (!base.empty() && !names_.is_official(normalise_name(base))) {
      by_base[base].emplace_back(code, name.substr(base.size()));
    }
  }
  for (const auto& [base, entries] : by_base) {
    // With a qualifier as the alias's province, no row (rows here have no province)
    // picks one of several: the name stays ambiguous, with the candidates.
    for (const auto& [code, qualifier] : entries) {
      names_.add_alias(base, {code}, entries.size() == 1 ? "" : qualifier, "official name without its qualifier");
    }
  }
}

std::string DatasetBuilder::label(const std::string& code) const {
  auto it = official_names_.find(code);
  return (it == official_names_.end() ? std::string("?") : it->second) + " (" + code + ")";
}

std::string DatasetBuilder::resolve_municipality(const std::string& text, const std::string& file, std::int64_t line,
                                                 const std::string& category) {
  if (known_codes_.count(text)) return text;
  if (is_cbs_number(text)) {
    const std::string code = "GM" + std::string(4 - text.size(), '0') + text;
    if (known_codes_.count(code)) return code;
  }
  const NameResolution resolution = names_.resolve(text);
  auto candidates = [&] {
    std::string list;
    for (std::size_t i = 0; i < resolution.codes.size(); ++i) {
      list += (i == 0 ? "" : i + 1 == resolution.codes.size() ? " and " : ", ") + label(resolution.codes[i]);
    }
    return list;
  };
  const std::string count = std::to_string(resolution.codes.size());
  switch (resolution.outcome) {
    case NameResolution::Outcome::kResolved:
      if (resolution.codes.size() == 1) {
        if (!names_.is_official(normalise_name(text))) saw_name(resolution.codes[0], text);
        return resolution.codes[0];
      }
      report_.add(file, line, category, text, "the name resolves to " + count + " municipalities: " + candidates() +
                                                  "; write one code per row");
      return "";
    case NameResolution::Outcome::kAmbiguous:
      report_.add(file, line, category, text, "the name resolves to " + count + " municipalities: " + candidates() +
                                                  "; write the name with its qualifier, or the code");
      return "";
    case NameResolution::Outcome::kSplit:
      report_.add(file, line, category, text, "a former municipality split over " + count + " municipalities: " +
                                                  candidates() + "; name the successor");
      return "";
    case NameResolution::Outcome::kUnknown: break;
  }
  report_.add(file, line, category, text, "no code, name, alias or former name of a municipality of the dataset");
  return "";
}

bool DatasetBuilder::keep_arrangement(v1::Arrangement arrangement, const std::string& file, std::int64_t line,
                                      std::size_t participant_rows) {
  if (arrangement.municipality_codes_size() >= 2) {
    *dataset_.add_arrangements() = std::move(arrangement);
    return true;
  }
  report_.add(file, line, "arrangement with fewer than two municipalities", arrangement.name(),
              std::to_string(arrangement.municipality_codes_size()) + " municipalities among " +
                  std::to_string(participant_rows) + " participant rows; not a tie of the cooperation network, left out");
  return false;
}

void DatasetBuilder::saw_name(const std::string& code, const std::string& name) {
  auto it = official_names_.find(code);
  if (it != official_names_.end() && it->second != name) seen_names_[code].insert(name);
}

Status DatasetBuilder::finish() {
  for (v1::Municipality& m : *dataset_.mutable_municipalities()) {
    auto it = seen_names_.find(m.code());
    if (it == seen_names_.end()) continue;
    for (const auto& alias : it->second) m.add_aliases(alias);
  }
  for (auto& pair : municipality_adjacency(dataset_)) *dataset_.add_adjacency() = std::move(pair);
  if (Status status = check_dataset(dataset_); !status) {
    return internal_error("the imported dataset does not validate: " + status.message());
  }
  return Status::ok();
}

}  // namespace bre::import
