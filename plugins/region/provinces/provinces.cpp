#include "provinces.hpp"

#include <limits>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bre/partition.hpp"

namespace bre::region {

Expected<v1::Partition> provinces_partition(const DatasetIndex& index) {
  const v1::Dataset& dataset = index.dataset();
  v1::Partition partition;
  partition.set_name("provinces");
  partition.set_source("region.provinces");
  partition.set_modularity(std::numeric_limits<double>::quiet_NaN());
  partition.set_resolution(std::numeric_limits<double>::quiet_NaN());

  std::unordered_map<std::string, v1::Region*> region_by_code;
  for (const v1::Municipality& municipality : dataset.municipalities()) {
    const std::string& code = municipality.province_code();
    if (code.empty()) {
      partition.add_unassigned(municipality.code());
      continue;
    }
    auto [it, inserted] = region_by_code.try_emplace(code, nullptr);
    if (inserted) {
      v1::Region* region = partition.add_regions();
      region->set_id(code);
      region->set_name(code);
      const auto body = index.body(code);
      if (body) {
        const v1::Body& province = dataset.bodies(static_cast<int>(*body));
        if (province.kind() == v1::BODY_KIND_PROVINCE && !province.name().empty()) {
          region->set_name(province.name());
        }
      }
      it->second = region;
    }
    it->second->add_municipality_codes(municipality.code());
  }
  return partition;
}

Expected<v1::Partition> named_definition_partition(const DatasetIndex& index, const std::string& name) {
  const v1::Dataset& dataset = index.dataset();
  for (const v1::RegionDefinition& definition : dataset.region_definitions()) {
    if (definition.name() == name) return partition_from_definition(index, definition);
  }
  // A division imported as cooperation is a family of arrangements; its regions are
  // those arrangements, so the division serves as a definition without a second copy.
  v1::RegionDefinition from_division;
  from_division.set_name(name);
  std::set<std::string> divisions;
  for (const v1::Arrangement& arrangement : dataset.arrangements()) {
    if (!arrangement.division().empty()) divisions.insert(arrangement.division());
    if (arrangement.division() != name) continue;
    v1::Region* region = from_division.add_regions();
    region->set_id(arrangement.id());
    region->set_name(arrangement.name());
    *region->mutable_municipality_codes() = arrangement.municipality_codes();
  }
  if (from_division.regions_size() > 0) return partition_from_definition(index, from_division);
  std::string available;
  for (const v1::RegionDefinition& definition : dataset.region_definitions()) {
    available += (available.empty() ? "'" : ", '") + definition.name() + "'";
  }
  std::string division_names;
  for (const std::string& division : divisions) division_names += (division_names.empty() ? "'" : ", '") + division + "'";
  return not_found("region definition '" + name + "' is not in dataset '" + dataset.name() + "'; available: " +
                   (available.empty() ? "none" : available) +
                   (division_names.empty() ? "" : "; divisions of arrangements: " + division_names));
}

}  // namespace bre::region
