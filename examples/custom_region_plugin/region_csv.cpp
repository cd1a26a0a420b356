// region.csv_file: regions read from a two-column CSV, "municipality_code,region".
// The first line is a header and is skipped. Region ids and names are the second
// column; regions are listed in order of first appearance.
//
// Example of a department's own region definition ("Regio Deal regions") that
// plugs into every bre pipeline without rebuilding the host.
#include <bre/io.hpp>
#include <bre/partition.hpp>
#include <bre/plugin.hpp>
#include <bre/plugin_helpers.hpp>

#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace {

constexpr const char* kPluginName = "region.csv_file";

class RegionCsv : public bre::Plugin {
 public:
  bre::v1::PluginDescription describe() const override {
    return bre::describe_plugin(kPluginName, bre::v1::PLUGIN_KIND_REGION_DEFINITION, "1.0.0",
                                "Regions from a two-column CSV file: municipality_code,region (with a header line)")
        .parameter(bre::path_param("path", "", "the CSV file, relative to the pipeline file; required"))
        .parameter(bre::bool_param("allow_missing", false,
                                   "accept municipalities the file does not list (left unassigned)"))
        .produces(bre::v1::ARTIFACT_KIND_PARTITION);
  }

  bre::Status run(const bre::StepContext& context, bre::v1::Artifacts& out) const override {
    const std::string& path = context.params().get_string("path");
    if (path.empty()) {
      return bre::invalid_argument(bre::step_where(context) + ": parameter 'path': expected a CSV file, found nothing");
    }
    std::ifstream in(path);
    if (!in) return bre::not_found(path + ": cannot open");
    const auto& index = context.dataset();
    bre::Membership membership(index.municipality_count(), bre::kUnassigned);
    std::map<std::string, std::int32_t> region_index;
    std::vector<std::string> region_names;
    std::string line;
    for (int line_number = 1; std::getline(in, line); ++line_number) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line_number == 1 || line.empty()) continue;
      const auto comma = line.find(',');
      if (comma == std::string::npos) {
        return bre::invalid_argument(path + ":" + std::to_string(line_number) +
                                     ": expected 'municipality_code,region', found '" + line + "'");
      }
      const std::string code = line.substr(0, comma), region = line.substr(comma + 1);
      if (region.empty() || !bre::is_valid_utf8(region)) {
        return bre::invalid_argument(path + ":" + std::to_string(line_number) +
                                     ": expected a region name in UTF-8 after the comma");
      }
      const auto node = index.municipality(code);
      if (!node) {
        return bre::invalid_argument(path + ":" + std::to_string(line_number) + ": unknown municipality code '" +
                                     code + "'");
      }
      if (membership[*node] != bre::kUnassigned) {
        return bre::invalid_argument(path + ":" + std::to_string(line_number) + ": municipality '" + code +
                                     "' is listed twice");
      }
      auto [it, inserted] = region_index.emplace(region, static_cast<std::int32_t>(region_names.size()));
      if (inserted) region_names.push_back(region);
      membership[*node] = it->second;
    }
    std::size_t missing = 0;
    for (auto m : membership) missing += m == bre::kUnassigned ? 1 : 0;
    if (missing > 0 && !context.params().get_bool("allow_missing")) {
      return bre::invalid_argument(path + ": " + std::to_string(missing) +
                                   " municipalities of the dataset are not listed (set allow_missing to accept)");
    }
    // Keep the file's region names as ids and names, in order of first appearance.
    bre::v1::Partition partition;
    partition.set_name(context.step_id());
    partition.set_source(kPluginName);
    partition.set_modularity(std::numeric_limits<double>::quiet_NaN());
    partition.set_resolution(std::numeric_limits<double>::quiet_NaN());
    for (const auto& name : region_names) {
      auto* region = partition.add_regions();
      region->set_id(name);
      region->set_name(name);
    }
    for (std::size_t i = 0; i < membership.size(); ++i) {
      const auto& code = index.municipality_at(i).code();
      if (membership[i] == bre::kUnassigned) partition.add_unassigned(code);
      else partition.mutable_regions(membership[i])->add_municipality_codes(code);
    }
    if (missing > 0) out.add_warnings(std::to_string(missing) + " municipalities not in " + path + " are unassigned");
    *out.add_partitions() = std::move(partition);
    return bre::Status::ok();
  }
};

}  // namespace

BRE_PLUGIN(RegionCsv)
