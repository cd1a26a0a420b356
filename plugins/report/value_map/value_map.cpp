#include "value_map.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace bre::report {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text.empty() ? "none" : text;
}

const v1::Partition* first_partition(std::span<const StepInput> inputs) {
  for (const StepInput& input : inputs) {
    if (input.artifacts->partitions_size() > 0) return &input.artifacts->partitions(0);
  }
  return nullptr;
}

Expected<MapValues> confidence_values(std::span<const StepInput> inputs, Language language) {
  const v1::Partition* partition = first_partition(inputs);
  if (partition == nullptr) {
    return failed_precondition("source confidence: expected a partition from an input step, found none");
  }
  if (partition->membership_confidence_size() == 0) {
    return failed_precondition("source confidence: partition '" + partition->name() +
                               "' has no membership confidence (only ensemble partitions have one); choose "
                               "source indicator or table");
  }
  MapValues out;
  out.values.assign(partition->membership_confidence().begin(), partition->membership_confidence().end());
  out.title = std::string(in_language(language, "Zekerheid van de indeling: ", "Membership confidence: ")) +
              partition->name();
  out.label = std::string(in_language(language, "Zekerheid van de indeling (aandeel van de runs)",
                                      "Membership confidence (share of runs)"));
  out.kind = map::NumberKind::kShare;
  out.regions = partition;
  return out;
}

Expected<MapValues> indicator_values(const DatasetIndex& index, std::span<const StepInput> inputs,
                                     const ValueMapParameters& parameters) {
  const v1::Dataset& dataset = index.dataset();
  const v1::AreaIndicator* indicator = nullptr;
  std::vector<std::string> ids;
  for (const v1::AreaIndicator& candidate : dataset.area_indicators()) {
    ids.push_back(candidate.id());
    if (candidate.id() == parameters.indicator) indicator = &candidate;
  }
  if (indicator == nullptr) {
    return invalid_argument("parameter 'indicator': expected an area indicator of dataset '" + dataset.name() +
                            "' (" + join(ids) + "), found '" + parameters.indicator + "'");
  }
  std::set<std::int32_t> years;
  for (const v1::IndicatorValue& value : dataset.indicator_values()) {
    if (value.indicator_id() == indicator->id()) years.insert(value.year());
  }
  if (years.empty()) {
    return failed_precondition("parameter 'indicator': dataset '" + dataset.name() + "' has no values of '" +
                               indicator->id() + "'");
  }
  const std::int64_t year = parameters.year == 0 ? *years.rbegin() : parameters.year;
  if (years.count(static_cast<std::int32_t>(year)) == 0) {
    std::vector<std::string> available;
    for (std::int32_t y : years) available.push_back(std::to_string(y));
    return invalid_argument("parameter 'year': expected a year with values of '" + indicator->id() + "' (" +
                            join(available) + "), found " + std::to_string(year));
  }
  MapValues out;
  for (const v1::IndicatorValue& value : dataset.indicator_values()) {
    if (value.indicator_id() != indicator->id() || value.year() != year) continue;
    v1::MunicipalityValue entry;
    entry.set_municipality_code(value.municipality_code());
    entry.set_value(value.value());
    out.values.push_back(std::move(entry));
  }
  out.title = indicator->name() + " (" + std::to_string(year) + ")";
  out.label = indicator->name() + (indicator->unit().empty() ? "" : " (" + indicator->unit() + ")");
  out.regions = first_partition(inputs);
  return out;
}

Expected<MapValues> table_values(const DatasetIndex& index, std::span<const StepInput> inputs,
                                 const ValueMapParameters& parameters) {
  std::vector<std::string> available;
  for (const StepInput& input : inputs) {
    for (const v1::IndicatorTable& table : input.artifacts->tables()) {
      int column = -1;
      for (int c = 0; c < table.columns_size(); ++c) {
        available.push_back(input.step_id + "." + table.name() + ":" + table.columns(c).id());
        if (table.columns(c).id() == parameters.column) column = c;
      }
      if (column < 0) continue;
      const std::string where = "step '" + input.step_id + "' table '" + table.name() + "'";
      const v1::Partition* regions = nullptr;
      for (const StepInput& other : inputs) {
        for (const v1::Partition& partition : other.artifacts->partitions()) {
          if (regions == nullptr && partition.name() == table.partition_name()) regions = &partition;
        }
      }
      MapValues out;
      for (int r = 0; r < table.rows_size(); ++r) {
        const v1::IndicatorRow& row = table.rows(r);
        if (row.values_size() != table.columns_size()) {
          return invalid_argument(where + " rows[" + std::to_string(r) + "]: expected " +
                                  std::to_string(table.columns_size()) + " values, found " +
                                  std::to_string(row.values_size()));
        }
        auto add = [&](const std::string& code) {
          v1::MunicipalityValue entry;
          entry.set_municipality_code(code);
          entry.set_value(row.values(column));
          out.values.push_back(std::move(entry));
        };
        if (index.municipality(row.region_id())) {
          add(row.region_id());
          continue;
        }
        const v1::Region* region = nullptr;
        if (regions != nullptr) {
          for (const v1::Region& candidate : regions->regions()) {
            if (candidate.id() == row.region_id()) region = &candidate;
          }
        }
        if (region == nullptr) {
          return invalid_argument(where + " rows[" + std::to_string(r) + "]: '" + row.region_id() +
                                  "' is neither a municipality code nor a region of partition '" +
                                  table.partition_name() + "' among the inputs (add that partition's step to "
                                  "the inputs)");
        }
        for (const std::string& code : region->municipality_codes()) add(code);
      }
      const v1::IndicatorColumn& spec = table.columns(column);
      out.title = (spec.label().empty() ? spec.id() : spec.label()) +
                  (table.partition_name().empty() ? "" : ": " + table.partition_name());
      out.label = (spec.label().empty() ? spec.id() : spec.label()) + (spec.unit().empty() ? "" : " (" + spec.unit() + ")");
      out.regions = regions;
      return out;
    }
  }
  return invalid_argument("parameter 'column': expected a column of an input step's table (" + join(available) +
                          "), found '" + parameters.column + "'");
}

Expected<MapValues> disagreement_values(std::span<const StepInput> inputs, const ValueMapParameters& parameters) {
  std::vector<std::string> available;
  for (const StepInput& input : inputs) {
    for (const v1::PartitionComparison& comparison : input.artifacts->comparisons()) {
      available.push_back(comparison.partition_a() + "/" + comparison.partition_b());
      const bool any = parameters.partition_a.empty() && parameters.partition_b.empty();
      const bool same = comparison.partition_a() == parameters.partition_a &&
                        comparison.partition_b() == parameters.partition_b;
      const bool swapped = comparison.partition_a() == parameters.partition_b &&
                           comparison.partition_b() == parameters.partition_a;
      if (!any && !same && !swapped) continue;
      if (comparison.disagreement_size() == 0) {
        return failed_precondition("source disagreement: the comparison " + comparison.partition_a() + "/" +
                                   comparison.partition_b() + " of step '" + input.step_id +
                                   "' lists no per-municipality disagreement");
      }
      MapValues out;
      out.values.assign(comparison.disagreement().begin(), comparison.disagreement().end());
      out.title = parameters.map.language == Language::kDutch
                      ? "Waar " + comparison.partition_a() + " en " + comparison.partition_b() + " verschillen"
                      : "Where " + comparison.partition_a() + " and " + comparison.partition_b() + " disagree";
      out.label = std::string(in_language(parameters.map.language,
                                          "1 = niet in de best passende regio van de andere indeling",
                                          "1 = not in the best-matching region of the other partition"));
      for (const StepInput& other : inputs) {
        for (const v1::Partition& partition : other.artifacts->partitions()) {
          if (partition.name() == comparison.partition_a()) out.regions = &partition;
        }
      }
      return out;
    }
  }
  return invalid_argument("parameters 'partition_a', 'partition_b': expected a pair compared by an input step (" +
                          join(available) + "), found '" + parameters.partition_a + "/" + parameters.partition_b +
                          "'");
}

}  // namespace

Expected<ValueSource> parse_value_source(const std::string& text) {
  if (text == "confidence") return ValueSource::kConfidence;
  if (text == "indicator") return ValueSource::kIndicator;
  if (text == "table") return ValueSource::kTable;
  if (text == "disagreement") return ValueSource::kDisagreement;
  return invalid_argument("value source: expected confidence, indicator, table or disagreement, found '" + text +
                          "'");
}

Expected<MapValues> collect_map_values(const DatasetIndex& index, std::span<const StepInput> inputs,
                                       const ValueMapParameters& parameters) {
  switch (parameters.source) {
    case ValueSource::kConfidence: return confidence_values(inputs, parameters.map.language);
    case ValueSource::kIndicator: return indicator_values(index, inputs, parameters);
    case ValueSource::kTable: return table_values(index, inputs, parameters);
    case ValueSource::kDisagreement: return disagreement_values(inputs, parameters);
  }
  return internal_error("unknown value source");
}

Expected<v1::Document> value_map_document(const DatasetIndex& index, std::span<const StepInput> inputs,
                                          const ValueMapParameters& parameters) {
  Expected<MapValues> values = collect_map_values(index, inputs, parameters);
  if (!values) return values.status();
  map::ValueMapOptions options = parameters.map;
  if (options.title.empty()) options.title = values->title;
  if (options.value_label.empty()) options.value_label = values->label;
  options.number_kind = values->kind;
  Expected<std::string> svg = map::render_value_map(index, values->values, values->regions, options);
  if (!svg) return svg.status();
  v1::Document document;
  document.set_name("values.svg");
  document.set_media_type("image/svg+xml");
  document.set_title(options.title);
  document.set_content(std::move(*svg));
  return document;
}

}  // namespace bre::report
