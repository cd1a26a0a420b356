// Writers for run results: the RunResult itself (binary and JSON) and one CSV per
// partition, indicator table, legitimacy result and life-cycle result, for people
// who open results in a spreadsheet.
#pragma once

#include <string>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/status.hpp"
#include "bre/v1/pipeline.pb.h"

namespace bre {

/// Writes into `directory` (created if needed):
///   run.pb, run.json                    the RunResult
///   manifest.json                       what was run, to rerun it
///   <step>.partition.csv                region_id, region_name, municipality_code, municipality_name
///   <step>.<table>.csv                  one row per region (+ summary rows), one column per indicator
///   <step>.legitimacy.csv               region x dimension: n, mean, sd, ci_low, ci_high
///   <step>.lifecycle.csv                region, stage, confidence, missing descriptors
/// Every file is written atomically; run.pb last. Returns the paths written.
Expected<std::vector<std::string>> write_run_outputs(const v1::RunResult& result, const DatasetIndex& dataset,
                                                     const std::string& directory);

/// A double as the shortest text that reads back to the same value; NaN as "".
std::string format_csv_number(double value);

/// Quotes a CSV field when it holds a comma, quote or line break.
std::string csv_field(const std::string& text);

}  // namespace bre
