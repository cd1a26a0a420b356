#include "bre/writers.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "bre/io.hpp"
#include "bre/run_directory.hpp"
#include "bre/v1/results.pb.h"

namespace bre {
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

// Cells of an analysis that was not fitted or tested stay empty rather than 0.
std::string analysis_number(bool known, double value) { return known ? format_csv_number(value) : ""; }

std::string variance_csv(const v1::AnalysisResult& result) {
  std::string out =
      "outcome,label,unit,model,fitted,n_units,n_regions,n_unassigned,n_missing,between_variance,within_variance,"
      "icc,icc_ci_low,icc_ci_high,reml_log_likelihood,lrt_statistic,lrt_p,summary,note\n";
  for (const auto& d : result.decompositions()) {
    const bool f = d.fitted();
    out += csv_field(d.outcome()) + "," + csv_field(d.label()) + "," + csv_field(d.unit()) + "," +
           csv_field(d.model()) + "," + (f ? "1" : "0") + "," + std::to_string(d.n_units()) + "," +
           std::to_string(d.n_regions()) + "," + std::to_string(d.n_unassigned()) + "," +
           std::to_string(d.n_missing());
    for (double v : {d.between_variance(), d.within_variance(), d.icc(), d.icc_ci_low(), d.icc_ci_high(),
                     d.reml_log_likelihood(), d.lrt_statistic(), d.lrt_p()}) {
      out += "," + analysis_number(f, v);
    }
    out += "," + csv_field(d.summary()) + "," + csv_field(d.note()) + "\n";
  }
  return out;
}

std::string region_effects_csv(const v1::AnalysisResult& result) {
  std::string out = "outcome,model,region_id,region_name,n,mean,effect,ci_low,ci_high\n";
  for (const auto& d : result.decompositions()) {
    for (const auto& r : d.regions()) {
      out += csv_field(d.outcome()) + "," + csv_field(d.model()) + "," + csv_field(r.region_id()) + "," +
             csv_field(r.region_name()) + "," + std::to_string(r.n()) + "," + format_csv_number(r.mean()) + "," +
             format_csv_number(r.effect()) + "," + format_csv_number(r.ci_low()) + "," +
             format_csv_number(r.ci_high()) + "\n";
    }
  }
  return out;
}

std::string fixed_effects_csv(const v1::AnalysisResult& result) {
  std::string out = "outcome,model,term,estimate,se,z,p\n";
  for (const auto& d : result.decompositions()) {
    for (const auto& e : d.fixed_effects()) {
      out += csv_field(d.outcome()) + "," + csv_field(d.model()) + "," + csv_field(e.term()) + "," +
             format_csv_number(e.estimate()) + "," + format_csv_number(e.se()) + "," + format_csv_number(e.z()) +
             "," + format_csv_number(e.p()) + "\n";
    }
  }
  return out;
}

std::string associations_csv(const v1::AnalysisResult& result) {
  std::string out = "outcome,characteristic,table,tested,measure,effect,n,p,p_method,permutations,p_holm,p_bh,summary,note\n";
  for (const auto& a : result.associations()) {
    const bool t = a.tested();
    out += csv_field(a.outcome()) + "," + csv_field(a.characteristic()) + "," + csv_field(a.table()) + "," +
           (t ? "1" : "0") + "," + csv_field(a.measure()) + "," + analysis_number(t, a.effect()) + "," +
           std::to_string(a.n()) + "," + analysis_number(t, a.p()) + "," +
           (t ? (a.exact() ? "exact permutation" : "Monte Carlo permutation") : "") + "," +
           (t ? std::to_string(a.permutations()) : "") + "," + analysis_number(t, a.p_holm()) + "," +
           analysis_number(t, a.p_bh()) + "," + csv_field(a.summary()) + "," + csv_field(a.note()) + "\n";
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

// The files that hold the RunResult itself; with `with_content` false, names only.
void add_record_files(const v1::RunResult& result, bool with_content, std::vector<RunFile>& files) {
  files.push_back({"manifest.json", with_content ? to_json(result.manifest()) : ""});
  files.push_back({"run.json", with_content ? to_json(result) : ""});
  files.push_back({"run.pb", with_content ? to_binary(result) : ""});
}

// The files of a run, in the order they are written; with `dataset` null only their
// names (the CSVs need the dataset for municipality names). An error if two artifacts
// would share a file or a name would leave the directory.
Expected<std::vector<RunFile>> output_files(const v1::RunResult& result, const DatasetIndex* dataset,
                                            const std::map<std::string, std::string>& exported) {
  std::vector<RunFile> files;
  auto add = [&](std::string name, const auto& content) {
    files.push_back({std::move(name), dataset != nullptr ? content() : std::string()});
  };
  for (const auto& step : result.steps()) {
    const auto& a = step.artifacts();
    const std::string& id = step.step_id();
    if (!is_plain_name(id)) return invalid_argument("step id '" + id + "' cannot name an output file");
    // The step's own partition keeps its plain name when a step adds others (a
    // multiscale step's coarser level is <step>.2.partition.csv).
    for (int i = 0; i < a.partitions_size(); ++i) {
      add(numbered(id, i, i == 0 ? 1 : a.partitions_size(), ".partition.csv"),
          [&] { return partition_csv(a.partitions(i), *dataset); });
    }
    for (const auto& table : a.tables()) {
      if (!is_plain_name(table.name())) {
        return invalid_argument("step '" + id + "': table name '" + table.name() +
                                "' cannot name an output file (letters, digits, '_' and '-' only)");
      }
      add(id + "." + table.name() + ".csv", [&] { return table_csv(table); });
    }
    for (int i = 0; i < a.legitimacy_size(); ++i) {
      add(numbered(id, i, a.legitimacy_size(), ".legitimacy.csv"), [&] { return legitimacy_csv(a.legitimacy(i)); });
    }
    for (int i = 0; i < a.lifecycle_size(); ++i) {
      add(numbered(id, i, a.lifecycle_size(), ".lifecycle.csv"), [&] { return lifecycle_csv(a.lifecycle(i)); });
    }
    for (int i = 0; i < a.analyses_size(); ++i) {
      const auto& analysis = a.analyses(i);
      add(numbered(id, i, a.analyses_size(), ".variance.csv"), [&] { return variance_csv(analysis); });
      add(numbered(id, i, a.analyses_size(), ".region_effects.csv"), [&] { return region_effects_csv(analysis); });
      add(numbered(id, i, a.analyses_size(), ".fixed_effects.csv"), [&] { return fixed_effects_csv(analysis); });
      add(numbered(id, i, a.analyses_size(), ".associations.csv"), [&] { return associations_csv(analysis); });
    }
    for (int i = 0; i < a.networks_size(); ++i) {
      add(numbered(id, i, a.networks_size(), ".network.csv"), [&] { return network_csv(a.networks(i)); });
    }
    for (const auto& document : a.documents()) {
      if (!is_document_name(document.name())) {
        return invalid_argument("step '" + id + "': document name '" + document.name() +
                                "' cannot name an output file (a name and an extension of letters, digits, "
                                "'_' and '-', e.g. 'partition.svg')");
      }
      // "report.html" from step "report" is report.html, not report.report.html.
      const bool stem_is_step = document.name().substr(0, document.name().rfind('.')) == id;
      add(stem_is_step ? document.name() : id + "." + document.name(), [&] { return document.content(); });
    }
  }
  for (const auto& gis : result.manifest().pipeline().exports()) {
    if (!is_document_name(gis.file())) {
      return invalid_argument("export of partition '" + gis.partition() + "': file '" + gis.file() +
                              "' cannot name an output file (a name and an extension of letters, digits, '_' and "
                              "'-', e.g. 'bre.gpkg')");
    }
    auto it = exported.find(gis.file());
    if (dataset != nullptr && it == exported.end()) {
      return internal_error("export " + gis.file() + " of partition '" + gis.partition() + "' was not made");
    }
    add(gis.file(), [&] { return it->second; });
  }
  add_record_files(result, dataset != nullptr, files);
  std::set<std::string> names;
  for (const auto& file : files) {
    if (!names.insert(file.name).second) return invalid_argument("two results would both be written to " + file.name);
  }
  return files;
}

}  // namespace

Expected<std::vector<std::string>> write_run_outputs(const v1::RunResult& result, const DatasetIndex& dataset,
                                                     const std::string& directory,
                                                     const std::map<std::string, std::string>& exported) {
  auto files = output_files(result, &dataset, exported);
  if (!files) return files.status();
  return replace_run_directory(*files, directory);
}

Expected<std::vector<std::string>> write_run_record(const v1::RunResult& result, const std::string& directory) {
  std::vector<RunFile> files;
  add_record_files(result, true, files);
  return replace_run_directory(files, directory);
}

Expected<std::vector<std::string>> output_file_names(const v1::RunResult& result) {
  auto files = output_files(result, nullptr, {});
  if (!files) return files.status();
  std::vector<std::string> names;
  for (const auto& file : *files) names.push_back(file.name);
  return names;
}

}  // namespace bre
