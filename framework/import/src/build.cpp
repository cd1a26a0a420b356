#include "bre/import/build.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace bre::import {
namespace {

// Whether an arrangement was in force at some time in the reference year; if not,
// it is reported.
bool in_force(const v1::Arrangement& a, int reference_year, const std::string& file, std::int64_t line,
              ResolutionReport& report) {
  const std::string year = std::to_string(reference_year);
  std::string reason;
  if (!a.end_date().empty() && a.end_date() < year + "-01-01") reason = "ended " + a.end_date() + ", before ";
  if (!a.start_date().empty() && a.start_date() > year + "-12-31") reason = "started " + a.start_date() + ", after ";
  if (reason.empty()) return true;
  report.add(file, line, "arrangement not in force", a.name(), reason + "the reference year " + year + "; left out");
  return false;
}

}  // namespace

Expected<std::string> municipality_code(const std::string& text, const DatasetBuilder& builder, const std::string& where,
                                        const std::string& map_file) {
  const std::set<std::string>& known = builder.known_codes();
  if (known.count(text)) return text;
  if (!text.empty() && text.size() <= 4 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const std::string code = "GM" + std::string(4 - text.size(), '0') + text;
    if (known.count(code)) return code;
  }
  return invalid_argument(where + ": unknown municipality code '" + text + "' (no feature of " + map_file + " has it)");
}

Status add_former_names(const std::vector<FormerNameRow>& rows, const std::string& map_file, DatasetBuilder& builder,
                        BuildCounts& counts) {
  struct Successors {
    std::string name;
    std::string file;
    std::vector<std::string> codes;
  };
  std::map<std::string, Successors> successors;  // by normalised former name
  for (const FormerNameRow& row : rows) {
    Expected<std::string> code = municipality_code(row.code, builder, row.where, map_file);
    if (!code) return code.status();
    if (builder.names().is_official(normalise_name(row.former))) {
      builder.report().add(row.file, row.line, "former name is current", row.former,
                           "the name of a municipality of the dataset; its official name wins, row not used");
      continue;
    }
    Successors& entry = successors[normalise_name(row.former)];
    entry.name = row.former;
    entry.file = row.file;
    if (std::find(entry.codes.begin(), entry.codes.end(), *code) == entry.codes.end()) entry.codes.push_back(*code);
  }
  for (auto& [key, entry] : successors) {
    if (entry.codes.size() == 1) builder.names().add_alias(entry.name, entry.codes, "", "former name (" + entry.file + ")");
    else builder.names().add_split(entry.name, entry.codes, "split, " + entry.file);
  }
  counts.former_names += successors.size();
  return Status::ok();
}

void add_arrangements(std::vector<ArrangementInput> arrangements, int reference_year, DatasetBuilder& builder,
                      BuildCounts& counts) {
  counts.arrangements_read += arrangements.size();
  for (ArrangementInput& input : arrangements) {
    v1::Arrangement& arrangement = input.arrangement;
    for (const ParticipantRow& participant : input.participants) {
      const std::string code =
          builder.resolve_municipality(participant.text, input.file, participant.line, "unresolved participant");
      if (code.empty()) {
        ++counts.unresolved_participants;
        continue;
      }
      const auto& codes = arrangement.municipality_codes();
      if (std::find(codes.begin(), codes.end(), code) != codes.end()) {
        builder.report().add(input.file, participant.line, "duplicate row", participant.text,
                             code + " is already a participant of '" + arrangement.name() + "'; counted once");
        continue;
      }
      arrangement.add_municipality_codes(code);
    }
    if (!in_force(arrangement, reference_year, input.file, input.line, builder.report())) {
      ++counts.arrangements_not_in_force;
      continue;
    }
    if (builder.keep_arrangement(std::move(arrangement), input.file, input.line, input.participants.size())) {
      ++counts.arrangements_kept;
    } else {
      ++counts.arrangements_too_small;
    }
  }
}

Status add_commuting(const std::vector<CommutingRow>& rows, const std::string& map_file, DatasetBuilder& builder,
                     BuildCounts& counts) {
  std::map<std::pair<std::string, std::string>, std::pair<double, std::int64_t>> flows;  // → (persons, line)
  for (const CommutingRow& row : rows) {
    Expected<std::string> home = municipality_code(row.home, builder, row.home_where, map_file);
    if (!home) return home.status();
    Expected<std::string> work = municipality_code(row.work, builder, row.work_where, map_file);
    if (!work) return work.status();
    auto [it, inserted] = flows.emplace(std::pair{*home, *work}, std::pair{row.persons, row.line});
    if (!inserted) {
      return invalid_argument(row.home_where + ": a second row for " + *home + " → " + *work + " (the first is line " +
                              std::to_string(it->second.second) + ")");
    }
  }
  // Sorted by (home, work), as the map holds them; zero flows say nothing.
  v1::Dataset& dataset = builder.dataset();
  const int before = dataset.commuting_flows_size();
  for (const auto& [pair, value] : flows) {
    if (value.first == 0.0) continue;
    v1::CommutingFlow* flow = dataset.add_commuting_flows();
    flow->set_home_code(pair.first);
    flow->set_work_code(pair.second);
    flow->set_persons(value.first);
    counts.commuting_persons += value.first;
  }
  counts.commuting_flows += static_cast<std::size_t>(dataset.commuting_flows_size() - before);
  return Status::ok();
}

Status add_regions(const std::vector<RegionRow>& rows, const std::string& map_file, DatasetBuilder& builder,
                   BuildCounts& counts) {
  std::vector<v1::RegionDefinition> definitions;
  std::map<std::string, std::size_t> definition_index;
  std::map<std::string, std::map<std::string, std::pair<std::string, std::int64_t>>> placed;  // def → code → (region, line)
  std::map<std::pair<std::size_t, std::string>, int> region_index;
  for (const RegionRow& row : rows) {
    Expected<std::string> code = municipality_code(row.code, builder, row.code_where, map_file);
    if (!code) return code.status();
    auto [d, new_definition] = definition_index.emplace(row.definition, definitions.size());
    if (new_definition) {
      v1::RegionDefinition definition;
      definition.set_name(row.definition);
      definition.set_description(row.description.empty() ? "from " + row.file : row.description);
      definition.mutable_source()->set_file(row.file);
      definition.mutable_source()->set_line(row.line);
      definitions.push_back(std::move(definition));
    }
    auto [p, first_time] = placed[row.definition].emplace(*code, std::pair{row.region, row.line});
    if (!first_time) {
      return invalid_argument(row.code_where + ": " + *code + " is in definition '" + row.definition +
                              "' twice: region '" + p->second.first + "' (line " + std::to_string(p->second.second) +
                              ") and region '" + row.region + "'");
    }
    v1::RegionDefinition& definition = definitions[d->second];
    auto [r, new_region] = region_index.emplace(std::pair{d->second, row.region}, definition.regions_size());
    if (new_region) {
      v1::Region* added = definition.add_regions();
      added->set_id(row.region);
      added->set_name(row.region_name.empty() ? row.region : row.region_name);
    }
    definition.mutable_regions(r->second)->add_municipality_codes(*code);
  }
  counts.region_rows += rows.size();
  counts.region_definitions += definitions.size();
  for (auto& definition : definitions) *builder.dataset().add_region_definitions() = std::move(definition);
  return Status::ok();
}

Status build_dataset(ImportInputs inputs, v1::Dataset& dataset, ResolutionReport& report, BuildCounts& counts) {
  DatasetBuilder builder(inputs.name, inputs.reference_year, inputs.description);
  builder.report() = std::move(inputs.report);
  BuildCounts built;
  if (Status s = builder.add_municipalities(std::move(inputs.municipalities)); !s) return s;
  builder.add_qualified_name_aliases();
  if (Status s = add_former_names(inputs.former_names, inputs.map_file, builder, built); !s) return s;
  add_arrangements(std::move(inputs.arrangements), inputs.reference_year, builder, built);
  if (Status s = add_commuting(inputs.commuting, inputs.map_file, builder, built); !s) return s;
  if (Status s = add_regions(inputs.regions, inputs.map_file, builder, built); !s) return s;
  if (Status s = builder.finish(); !s) return s;
  built.adjacent_pairs = static_cast<std::size_t>(builder.dataset().adjacency_size());
  dataset = std::move(builder.dataset());
  report = std::move(builder.report());
  counts = built;
  return Status::ok();
}

}  // namespace bre::import
