// The report's interactive layer: a JSON data island built from the run, the page's one
// inline script (explore.js, embedded at build time) and the Content Security Policy
// that admits that script by its SHA-256 hash and nothing else; plus the two sections
// it adds (the tables of the run, how to cite and reproduce). The page reads fully
// without script: the script only adds tooltips, the map viewer, sorting and downloads.
#pragma once

#include <string>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/report/html_report.hpp"
#include "bre/v1/pipeline.pb.h"
#include "words.hpp"

namespace bre::report::explore {

/// The texts the script adds to the page (its tooltips, viewer and buttons).
const WordTable& words();

/// What the layer reads: the run's succeeded steps, the partition the region cards
/// follow and the dataset (names, polygons).
struct Sources {
  const v1::RunResult* run = nullptr;
  std::vector<const v1::StepResult*> succeeded;
  const v1::Partition* report_partition = nullptr;
  const DatasetIndex* dataset = nullptr;
  Language language = Language::kDutch;
};

/// The manifest entry of step `step_id`, or null.
const v1::StepManifest* step_manifest(const v1::RunResult& run, const std::string& step_id);

/// The page's Content-Security-Policy: nothing fetched, styles inline, images as data:,
/// and only the inline script whose SHA-256 is the script's own.
std::string content_security_policy();

/// CSS of the viewer, tooltip, sortable headers and boxes; appended to the page's style.
std::string_view style();

/// Attributes of a map figure: the partition the map shows (by the map step's
/// "partition" parameter, else its first input's first partition, else the report's)
/// and the map step's plugin, so the script knows whose regions a path belongs to.
std::string map_figure_attributes(const Sources& sources, const std::string& map_step_id);

/// A categorical column's code ("economy low, environment high", "high_not_investing")
/// as the page's reader reads it, each known word in `language`; unknown words (names)
/// unchanged, underscores read as spaces.
std::string category_words(std::string_view code, Language language);

/// One folded entry per indicator table of the run (name, partition, size); the
/// script fills an entry with the sortable table and its CSV download when opened.
std::string tables_section(const Sources& sources);

/// How to cite the report (title, dataset and its SHA-256, bre and plugin API
/// versions; no date, so the page stays deterministic) and how to rerun it (the
/// command with the seed and the pipeline as JSON rebuilt from the manifest).
std::string cite_section(const Sources& sources, const std::string& title);

/// The section ids and titles this layer adds, for the page's contents.
std::vector<std::pair<std::string, std::string>> sections(const Sources& sources);

/// The data island (<script type="application/json" id="bre-data">) and the inline
/// script. Deterministic: the same run and dataset give the same bytes.
std::string data_island(const Sources& sources);
std::string script_element();

}  // namespace bre::report::explore
