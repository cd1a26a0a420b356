#include "bre/writers.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>

#include "bre/io.hpp"
#include "bre/v1/results.pb.h"

namespace bre {

std::string format_csv_number(double value) {
  if (std::isnan(value)) return "";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

std::string partition_csv(const v1::Partition& partition, const DatasetIndex& index) {
  std::string out = "region_id,region_name,municipality_code,municipality_name\n";
  for (const auto& region : partition.regions()) {
    for (const auto& code : region.municipality_codes()) {
      const auto m = index.municipality(code);
      out += csv_field(region.id()) + "," + csv_field(region.name()) + "," + csv_field(code) + "," +
             csv_field(m ? index.municipality_at(*m).name() : "") + "\n";
    }
  }
  for (const auto& code : partition.unassigned()) {
    const auto m = index.municipality(code);
    out += ",," + csv_field(code) + "," + csv_field(m ? index.municipality_at(*m).name() : "") + "\n";
  }
  return out;
}

std::string table_csv(const v1::IndicatorTable& table) {
  std::string out = "region_id,region_name";
  for (const auto& column : table.columns()) out += "," + csv_field(column.id());
  out += "\n";
  auto add_rows = [&](const auto& rows) {
    for (const auto& row : rows) {
      out += csv_field(row.region_id()) + "," + csv_field(row.region_name());
      for (double v : row.values()) out += "," + format_csv_number(v);
      out += "\n";
    }
  };
  add_rows(table.rows());
  add_rows(table.summary_rows());
  return out;
}

// "LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS" -> "output_neighbours", as people write it.
std::string dimension_label(v1::LegitimacyDimension dimension) {
  std::string name = v1::LegitimacyDimension_Name(dimension);
  const std::string prefix = "LEGITIMACY_DIMENSION_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string legitimacy_csv(const v1::LegitimacyResult& result) {
  std::string out = "region_id,region_name,dimension,n,mean,sd,ci_low,ci_high\n";
  for (const auto& r : result.regions()) {
    out += csv_field(r.region_id()) + "," + csv_field(r.region_name()) + "," +
           dimension_label(r.dimension()) + "," + std::to_string(r.n()) + "," +
           format_csv_number(r.mean()) + "," + format_csv_number(r.sd()) + "," + format_csv_number(r.ci_low()) +
           "," + format_csv_number(r.ci_high()) + "\n";
  }
  return out;
}

std::string lifecycle_csv(const v1::LifecycleResult& result) {
  std::string out = "region_id,region_name,stage,stage_nl,confidence,partition_region_id,missing_descriptors\n";
  for (const auto& a : result.assessments()) {
    std::string missing;
    for (const auto& m : a.missing_descriptors()) missing += (missing.empty() ? "" : ";") + m;
    out += csv_field(a.region_id()) + "," + csv_field(a.region_name()) + "," + csv_field(a.stage_label_en()) + "," +
           csv_field(a.stage_label_nl()) + "," + format_csv_number(a.confidence()) + "," +
           csv_field(a.partition_region_id()) + "," + csv_field(missing) + "\n";
  }
  return out;
}

}  // namespace

Expected<std::vector<std::string>> write_run_outputs(const v1::RunResult& result, const DatasetIndex& dataset,
                                                     const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return invalid_argument(directory + ": cannot create the output directory: " + ec.message());
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& step : result.steps()) {
    const auto& a = step.artifacts();
    const std::string prefix = step.step_id();
    for (int i = 0; i < a.partitions_size(); ++i) {
      const std::string suffix = a.partitions_size() > 1 ? "." + std::to_string(i + 1) : "";
      files.emplace_back(prefix + suffix + ".partition.csv", partition_csv(a.partitions(i), dataset));
    }
    for (const auto& table : a.tables()) files.emplace_back(prefix + "." + table.name() + ".csv", table_csv(table));
    for (int i = 0; i < a.legitimacy_size(); ++i) {
      files.emplace_back(prefix + ".legitimacy.csv", legitimacy_csv(a.legitimacy(i)));
    }
    for (int i = 0; i < a.lifecycle_size(); ++i) {
      files.emplace_back(prefix + ".lifecycle.csv", lifecycle_csv(a.lifecycle(i)));
    }
  }
  files.emplace_back("manifest.json", to_json(result.manifest()));
  files.emplace_back("run.json", to_json(result));
  files.emplace_back("run.pb", to_binary(result));  // last: its presence marks a complete run
  std::vector<std::string> written;
  for (const auto& [name, content] : files) {
    const std::string path = (std::filesystem::path(directory) / name).string();
    BRE_RETURN_IF_ERROR(write_file_atomically(path, content));
    written.push_back(path);
  }
  return written;
}

}  // namespace bre
