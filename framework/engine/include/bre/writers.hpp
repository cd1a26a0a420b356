// Writers for run results: the RunResult itself (binary and JSON) and one CSV per
// partition, indicator table, legitimacy, life-cycle and analysis result, for people
// who open results in a spreadsheet.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/pipeline.pb.h"

namespace bre {

/// Writes the run into `directory`:
///   run.pb, run.json                    the RunResult
///   manifest.json                       what was run, to rerun it
///   <step>.partition.csv                region_id, region_name, municipality_code, municipality_name
///   <step>.<table>.csv                  one row per region (+ summary rows), one column per indicator
///                                       (a categorical column printed as its category)
///   <step>.legitimacy.csv               region x dimension: n, mean, sd, ci_low, ci_high
///   <step>.lifecycle.csv                region, stage, confidence, missing descriptors
///   <step>.network.csv                  a_code, b_code, weight: one row per edge
///   <step>.variance.csv                 an analysis: per outcome and model, the ICC with its
///                                       interval, variances, LRT, summary (empty cells when
///                                       not fitted, with the reason in note)
///   <step>.region_effects.csv           per outcome, model and region: n, mean, BLUP, interval
///   <step>.fixed_effects.csv            per outcome and model: term, estimate, se, z, p
///   <step>.associations.csv             per outcome and characteristic: effect, permutation p,
///                                       Holm and Benjamini-Hochberg p
///   <step>.<document name>              each document as is (an SVG map, an HTML report);
///                                       just <document name> when its stem is the step id
///   <export file>                       each GIS file the pipeline's "exports" ask for, from
///                                       `exported` (made by bre_export's export_run_files:
///                                       GDAL is not a dependency of bre_engine)
///   .bre-outputs                        the names above, one a line (bre/run_directory.hpp)
/// (".2", ".3", ... before the suffix when a step has several of a kind; the first
/// partition keeps the plain name, so a multiscale step's coarser level is
/// <step>.2.partition.csv beside <step>.partition.csv). The files are
/// written to a staging directory beside `directory` and swapped in with one rename,
/// so the directory always holds one complete run. An existing `directory` must be
/// empty or hold only an earlier run's files; it is replaced whole
/// (replace_run_directory). Errors: a table or step name that is not a plain file
/// name, two artifacts with the same file name, a directory holding other files, I/O.
/// An export whose file `exported` lacks is an internal error.
/// Returns the paths written, the listing left out.
Expected<std::vector<std::string>> write_run_outputs(const v1::RunResult& result, const DatasetIndex& dataset,
                                                     const std::string& directory,
                                                     const std::map<std::string, std::string>& exported = {});

/// Writes only the files that need no dataset (manifest.json, run.json, run.pb) into
/// `directory`, by the same rules (`bre remote get --out` without the dataset).
Expected<std::vector<std::string>> write_run_record(const v1::RunResult& result, const std::string& directory);

/// The names of the files write_run_outputs writes for `result`, in its order; the
/// same errors.
Expected<std::vector<std::string>> output_file_names(const v1::RunResult& result);

}  // namespace bre
