#include "bre/writers.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

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

// A categorical column's value as its category, so a spreadsheet shows the label.
std::string csv_cell(const v1::IndicatorTable& table, int column, double value) {
  if (column < table.columns_size()) {
    const auto& categories = table.columns(column).categories();
    if (!categories.empty() && std::isfinite(value) && value >= 0.0 &&
        value < static_cast<double>(categories.size()) && value == std::floor(value)) {
      return csv_field(categories[static_cast<int>(value)]);
    }
  }
  return format_csv_number(value);
}

std::string table_csv(const v1::IndicatorTable& table) {
  std::string out = "region_id,region_name";
  for (const auto& column : table.columns()) out += "," + csv_field(column.id());
  out += "\n";
  auto add_rows = [&](const auto& rows) {
    for (const auto& row : rows) {
      out += csv_field(row.region_id()) + "," + csv_field(row.region_name());
      for (int c = 0; c < row.values_size(); ++c) out += "," + csv_cell(table, c, row.values(c));
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

// Edges by municipality code; indices that do not name a node are reported in place
// rather than dropped.
std::string network_csv(const v1::Network& network) {
  std::string out = "a_code,b_code,weight\n";
  auto code = [&](int index) {
    return index >= 0 && index < network.node_codes_size() ? network.node_codes(index)
                                                            : "<node " + std::to_string(index) + ">";
  };
  for (const auto& edge : network.edges()) {
    out += csv_field(code(edge.a())) + "," + csv_field(code(edge.b())) + "," + format_csv_number(edge.weight()) + "\n";
  }
  return out;
}

// "partition.svg": a plain stem and a plain extension.
bool is_document_name(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot != std::string::npos && is_plain_name(name.substr(0, dot)) && is_plain_name(name.substr(dot + 1));
}

std::string numbered(const std::string& stem, int index, int count, const std::string& suffix) {
  return stem + (count > 1 ? "." + std::to_string(index + 1) : "") + suffix;
}

// The files of a run, by name; an error if two artifacts would share a file or a name
// would leave the directory.
Expected<std::vector<std::pair<std::string, std::string>>> output_files(const v1::RunResult& result,
                                                                         const DatasetIndex& dataset) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& step : result.steps()) {
    const auto& a = step.artifacts();
    const std::string& id = step.step_id();
    if (!is_plain_name(id)) return invalid_argument("step id '" + id + "' cannot name an output file");
    // The step's own partition keeps its plain name when a step adds others (a
    // multiscale step's coarser level is <step>.2.partition.csv).
    for (int i = 0; i < a.partitions_size(); ++i) {
      files.emplace_back(numbered(id, i, i == 0 ? 1 : a.partitions_size(), ".partition.csv"),
                         partition_csv(a.partitions(i), dataset));
    }
    for (const auto& table : a.tables()) {
      if (!is_plain_name(table.name())) {
        return invalid_argument("step '" + id + "': table name '" + table.name() +
                                "' cannot name an output file (letters, digits, '_' and '-' only)");
      }
      files.emplace_back(id + "." + table.name() + ".csv", table_csv(table));
    }
    for (int i = 0; i < a.legitimacy_size(); ++i) {
      files.emplace_back(numbered(id, i, a.legitimacy_size(), ".legitimacy.csv"), legitimacy_csv(a.legitimacy(i)));
    }
    for (int i = 0; i < a.lifecycle_size(); ++i) {
      files.emplace_back(numbered(id, i, a.lifecycle_size(), ".lifecycle.csv"), lifecycle_csv(a.lifecycle(i)));
    }
    for (int i = 0; i < a.networks_size(); ++i) {
      files.emplace_back(numbered(id, i, a.networks_size(), ".network.csv"), network_csv(a.networks(i)));
    }
    for (const auto& document : a.documents()) {
      if (!is_document_name(document.name())) {
        return invalid_argument("step '" + id + "': document name '" + document.name() +
                                "' cannot name an output file (a name and an extension of letters, digits, "
                                "'_' and '-', e.g. 'partition.svg')");
      }
      // "report.html" from step "report" is report.html, not report.report.html.
      const bool stem_is_step = document.name().substr(0, document.name().rfind('.')) == id;
      files.emplace_back(stem_is_step ? document.name() : id + "." + document.name(), document.content());
    }
  }
  files.emplace_back("manifest.json", to_json(result.manifest()));
  files.emplace_back("run.json", to_json(result));
  files.emplace_back("run.pb", to_binary(result));
  std::set<std::string> names;
  for (const auto& [name, content] : files) {
    if (!names.insert(name).second) return invalid_argument("two results would both be written to " + name);
  }
  return files;
}

}  // namespace

Expected<std::vector<std::string>> write_run_outputs(const v1::RunResult& result, const DatasetIndex& dataset,
                                                     const std::string& directory) {
  namespace fs = std::filesystem;
  auto files = output_files(result, dataset);
  if (!files) return files.status();
  const fs::path target = fs::path(directory).lexically_normal();
  std::error_code ec;
  const bool exists = fs::exists(target, ec);
  if (exists) {
    if (!fs::is_directory(target, ec)) return invalid_argument(directory + ": exists and is not a directory");
    const bool empty = fs::is_empty(target, ec);
    if (!empty && !fs::exists(target / "run.pb", ec) && !fs::exists(target / "manifest.json", ec)) {
      return invalid_argument(directory + ": exists and holds other files than an earlier bre run; "
                              "choose another output directory");
    }
  }
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) return invalid_argument(directory + ": cannot create the parent directory: " + ec.message());

  // Write the whole run next to the target, then put it in place with one rename, so
  // a reader never sees a mix of two runs and a failure leaves the old run untouched.
  std::string staging = (parent / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  if (::mkdtemp(staging.data()) == nullptr) {
    return invalid_argument(directory + ": cannot create a staging directory in " + parent.string() + ": " +
                            std::strerror(errno));
  }
  ::chmod(staging.c_str(), 0755);
  auto discard = [&](Status status) {
    std::error_code ignored;
    fs::remove_all(staging, ignored);
    return status;
  };
  for (const auto& [name, content] : *files) {
    if (Status status = write_file_atomically((fs::path(staging) / name).string(), content); !status) {
      return discard(status);
    }
  }
  if (exists) {
    // Swap old and new atomically, then remove the old run (now under the staging name).
    if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0) {
      if (errno != EINVAL && errno != ENOSYS) {
        return discard(invalid_argument(directory + ": cannot replace the earlier run: " + std::strerror(errno)));
      }
      // The file system cannot exchange: move the old run aside, then the new one in.
      const std::string aside = staging + ".old";
      if (::rename(target.c_str(), aside.c_str()) != 0) {
        return discard(invalid_argument(directory + ": cannot replace the earlier run: " + std::strerror(errno)));
      }
      if (::rename(staging.c_str(), target.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::rename(aside.c_str(), target.c_str());
        return discard(invalid_argument(directory + ": cannot move the results into place: " + reason));
      }
      fs::remove_all(aside, ec);
    } else {
      fs::remove_all(staging, ec);
    }
  } else if (::rename(staging.c_str(), target.c_str()) != 0) {
    return discard(invalid_argument(directory + ": cannot move the results into place: " + std::strerror(errno)));
  }
  std::vector<std::string> written;
  for (const auto& [name, content] : *files) written.push_back((target / name).string());
  return written;
}

}  // namespace bre
