// The report a policy analyst reads: one self-contained HTML file per run (inline SVG,
// CSS and one inline script; no fonts or anything else fetched from anywhere; a Content
// Security Policy in the page makes that so even for third-party SVG, and admits only
// the page's own script, by its hash). docs/report.md describes the interactive layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/language.hpp"
#include "bre/status.hpp"
#include "bre/v1/pipeline.pb.h"

namespace bre::report {

struct ReportOptions {
  /// The run's language (bre/language.hpp): the page's own words follow it.
  Language language = Language::kDutch;
  /// Step id whose partition the region profiles follow; empty = the first step that
  /// produced a partition with membership from a clustering (else any partition).
  std::string partition_step;
};

/// Renders the run: maps (every SVG document of the run, inline), a profile of each
/// region of the chosen partition (its municipalities, the key figures each with a
/// line in plain words, the rows of every indicator table computed for that partition,
/// legitimacy per dimension with intervals and the life-cycle stage with evidence and
/// recommendations); partition comparisons, each pair once; the legitimacy summary per
/// dimension; warnings; a methods section (the definitions written out, each step's
/// plugin, version, parameters and seed, and every indicator's definition); every
/// indicator table of the run and how to cite and rerun the report. Every word in
/// `options.language`, numbers by kind with its separators (bre/report/numbers.hpp).
/// A JSON data island and one script add tooltips, a map viewer, sorting and downloads
/// (docs/report.md); the page reads fully without them. Only steps that succeeded are
/// shown; failed ones are listed. Deterministic: the same run gives the same bytes.
/// Errors: no partition in the run, or `partition_step` naming no partition.
Expected<std::string> render_html_report(const v1::RunResult& run, const DatasetIndex& dataset,
                                         const ReportOptions& options);

/// One fixed text of the page, in both languages; `{1}`, `{2}`, ... mark where the
/// page puts a number or a name.
struct PageText {
  std::string_view key;
  std::string_view dutch;
  std::string_view english;
};

/// Every fixed text the page writes, its own and its script's, each table in key order
/// (the language tests check that each has both languages and that neither holds words
/// of the other).
std::vector<PageText> page_texts();

}  // namespace bre::report
