// The CBS commuting matrix of 2014 and its mapping onto the municipalities of 2016
// (DOMAIN.md §5: flows F(home, work) in persons).
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "bre/import/build.hpp"
#include "bre/import/csv.hpp"
#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// gemeenten_2014_naar_2016.csv: for each matrix row/column (column_index) its 2014
/// name and the 2016 municipalities it maps to with shares (a split municipality has
/// several). An entry without 2016 code is not a municipality (Buitenland, Onbekend).
struct MunicipalityMapping {
  struct Share {
    std::string code;
    double share = 0.0;
  };
  std::vector<std::string> names_2014;       // by column index
  std::vector<std::vector<Share>> targets;   // by column index; empty = not a municipality
  std::vector<std::int64_t> lines;           // first line of each index
};

/// Reads the mapping table (column_index,naam_2014,naam_2016,gemeentecode_2016,
/// aandeel,reden). Errors name the line: indices not 0..n-1 in order, a share outside
/// (0, 1], shares of one index not summing to 1 (within 1e-9), a code not in
/// `known_codes`.
Expected<MunicipalityMapping> parse_municipality_mapping(const CsvTable& table, const std::set<std::string>& known_codes);

/// The matrix mapped to 2016, with the totals that account for every cell.
struct CommutingImport {
  std::vector<CommutingRow> flows;       // home → work in persons, sorted by (home, work), zero flows left out;
                                         // rows of the build step (add_commuting), which writes them
  double matrix_persons = 0.0;           // sum of all cells × 1000
  double flows_persons = 0.0;            // sum of the flows
  double non_municipal_persons = 0.0;    // cells whose row or column is not a municipality
  std::size_t cells = 0;
  std::size_t empty_cells = 0;           // '-'
  std::vector<double> residents_in_work; // by column index: persons living there with a job anywhere (column sums)
};

/// Maps the matrix (';', no header; field 1 the 2014 name of the row, then one value
/// per column index, in thousands of jobs located in the row municipality (WORK) held
/// by residents of the column municipality (HOME); '-' = none) onto 2016:
/// F(home', work') += 1000 · value · share(home → home') · share(work → work').
/// Rows and columns that are not municipalities are reported (one entry each, with
/// their totals as work and as home) and counted in non_municipal_persons, so that
/// matrix_persons = flows_persons + non_municipal_persons. Errors name file, line and
/// column: a row name other than the mapping's, a wrong number of fields, a value
/// that is not a number from 0 to 1e9 (thousands of jobs). Complexity: O(n² + F log F).
Expected<CommutingImport> import_commuting(const CsvTable& matrix, const std::string& file,
                                           const MunicipalityMapping& mapping, ResolutionReport& report);

}  // namespace bre::import
