#include "bre/import/partition_csv.hpp"

#include <cmath>
#include <filesystem>
#include <map>
#include <vector>

#include "bre/import/csv.hpp"
#include "bre/io.hpp"

namespace bre::import {
namespace {

const std::vector<std::string> kHeader = {"region_id", "region_name", "municipality_code", "municipality_name"};

std::string joined(const std::vector<std::string>& fields) {
  std::string text;
  for (const auto& field : fields) text += (text.empty() ? "" : ",") + field;
  return text;
}

// The partition's name: the file's name without .partition.csv (or .csv).
std::string partition_name(const std::string& file) {
  std::string name = std::filesystem::path(file).filename().string();
  for (const std::string suffix : {".partition.csv", ".csv"}) {
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
      break;
    }
  }
  return name;
}

// Adds one record's municipality to its region (or to the unassigned).
class PartitionBuilder {
 public:
  PartitionBuilder(const std::string& file, const DatasetIndex& index) : file_(file), index_(index) {}

  Status add(const CsvRecord& record) {
    const std::string where = file_ + ":" + std::to_string(record.line);
    const std::string& region_id = record.fields[0];
    const std::string& region_name = record.fields[1];
    const std::string& code = record.fields[2];
    if (!index_.municipality(code)) {
      return invalid_argument(where + ": municipality_code: expected a municipality of dataset '" +
                              index_.dataset().name() + "', found unknown code '" + code + "'");
    }
    if (auto [previous, inserted] = line_of_code_.emplace(code, record.line); !inserted) {
      return invalid_argument(where + ": municipality_code: expected each municipality once, found '" + code +
                              "' again (first on line " + std::to_string(previous->second) + ")");
    }
    if (region_id.empty()) {
      partition_.add_unassigned(code);
      return Status::ok();
    }
    auto [found, inserted] = region_of_id_.emplace(region_id, partition_.regions_size());
    if (inserted) {
      v1::Region* region = partition_.add_regions();
      region->set_id(region_id);
      region->set_name(region_name);
    } else if (partition_.regions(found->second).name() != region_name) {
      return invalid_argument(where + ": region_name: expected '" + partition_.regions(found->second).name() +
                              "', the name region '" + region_id + "' had before, found '" + region_name + "'");
    }
    partition_.mutable_regions(found->second)->add_municipality_codes(code);
    return Status::ok();
  }

  v1::Partition& partition() { return partition_; }

 private:
  const std::string& file_;
  const DatasetIndex& index_;
  v1::Partition partition_;
  std::map<std::string, int> region_of_id_;
  std::map<std::string, std::int64_t> line_of_code_;
};

}  // namespace

Expected<v1::Partition> parse_partition_csv(std::string_view text, const std::string& file, const DatasetIndex& index) {
  CsvOptions options;
  options.expected_fields = kHeader.size();
  Expected<CsvTable> table = parse_csv(text, file, options);
  if (!table) return table.status();
  if (table->header != kHeader) {
    return invalid_argument(file + ":1: expected the header " + joined(kHeader) + " of a partition CSV, found '" +
                            joined(table->header) + "'");
  }
  PartitionBuilder builder(file, index);
  for (const CsvRecord& record : table->records) BRE_RETURN_IF_ERROR(builder.add(record));
  v1::Partition& partition = builder.partition();
  if (partition.regions_size() == 0) {
    return invalid_argument(file + ": expected at least one region, found " +
                            (table->records.empty() ? "no records" : "only unassigned municipalities"));
  }
  partition.set_name(partition_name(file));
  partition.set_modularity(NAN);
  partition.set_resolution(NAN);
  return std::move(partition);
}

Expected<v1::Partition> read_partition_csv(const std::string& path, const DatasetIndex& index) {
  Expected<std::string> text = read_file(path);
  if (!text) return text.status();
  Expected<v1::Partition> partition = parse_partition_csv(*text, path, index);
  if (partition) partition->set_source(path);
  return partition;
}

}  // namespace bre::import
