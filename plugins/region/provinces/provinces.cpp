#include "provinces.hpp"

#include <limits>
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
  std::string available;
  for (const v1::RegionDefinition& definition : dataset.region_definitions()) {
    available += (available.empty() ? "'" : ", '") + definition.name() + "'";
  }
  return not_found("region definition '" + name + "' is not in dataset '" + dataset.name() + "'; available: " +
                   (available.empty() ? "none" : available));
}

}  // namespace bre::region
