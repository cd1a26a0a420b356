// The public Dutch data of 2016 (../shared/data/nl2016, see its README) as one
// bre.v1.Dataset: municipalities with polygons, area, centroid, province and
// population; provinces and COROP; the Regio Atlas divisions; the OpenGR joint
// arrangements; the 2014 commuting matrix mapped to 2016; the CBS key figures of 2016
// and trends from the StatLine series as area indicators; the shared borders. Built from the readers in
// bre/import/*.hpp; everything a reader could not use goes to the resolution report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

struct Nl2016Options {
  /// Optional municipality population table (docs/import-nl2016.md: code;population)
  /// that replaces the population of cbs/gemeente_kerncijfers_2016.csv; without either,
  /// population is 0 everywhere, said so in the report.
  std::string population_file;
};

/// Counts that account for every input record.
struct Nl2016Stats {
  std::size_t municipalities = 0;
  std::size_t provinces = 0;
  std::size_t corop_regions = 0;
  std::size_t divisions = 0;
  std::size_t regioatlas_rows = 0;          // data rows of all division files
  std::size_t regioatlas_memberships = 0;   // written into arrangements and definitions
  std::size_t regioatlas_duplicates = 0;    // reported; rows = memberships + duplicates
  std::size_t regioatlas_arrangements = 0;
  std::size_t regioatlas_definitions = 0;
  std::size_t opengr_rows = 0;
  std::size_t opengr_arrangements_read = 0;
  std::size_t opengr_arrangements_kept = 0;
  std::size_t opengr_arrangements_dissolved = 0;  // marked "opgeheven", left out (reported)
  std::size_t opengr_unresolved_participants = 0;
  double commuting_matrix_persons = 0.0;
  double commuting_flow_persons = 0.0;
  double commuting_non_municipal_persons = 0.0;
  std::size_t commuting_flows = 0;
  std::size_t key_figure_indicators = 0;     // area indicators from cbs/gemeente_kerncijfers_2016.csv
  std::size_t key_figure_values = 0;
  std::int64_t population_total = 0;         // sum over the municipalities
  std::size_t trend_indicators = 0;          // derived from the StatLine series
  std::size_t trend_values_direct = 0;       // same territory in both years
  std::size_t trend_values_combined = 0;     // combined from predecessors (reported)
  std::size_t trend_not_computable = 0;      // reported, no value
  std::size_t adjacent_pairs = 0;
};

struct Nl2016Import {
  v1::Dataset dataset;  // validated (validate_dataset finds nothing)
  ResolutionReport report;
  Nl2016Stats stats;
};

/// Imports the folder `directory` (the file names of the nl2016 README). Errors name
/// the file and line, feature or field; nothing is returned partially. The result is
/// deterministic: the same files give a byte-identical dataset. Complexity: dominated
/// by the shared-border search, O(E · k) for E polygon edges.
Expected<Nl2016Import> import_nl2016(const std::string& directory, const Nl2016Options& options = {});

/// The province (or COROP area, or any region) whose territory holds a municipality:
/// the region containing the municipality's centroid; when none does (a crescent-shaped
/// territory), the region containing most of its outline's vertices. -1 when no region
/// contains any. Complexity: O(vertices of the municipality · vertices of the regions).
int locate_in_regions(const v1::MultiPolygon& municipality, const v1::Point& centroid,
                      const std::vector<const v1::MultiPolygon*>& regions);

/// Reads a population table: ';'-separated, header "code;population", CBS code and a
/// non-negative integer per line. Errors name file and line: an unknown code (not in
/// `known_codes`), a code given twice, a value that is not a non-negative integer below 2^63.
Expected<std::map<std::string, std::int64_t>> read_population(const std::string& path,
                                                              const std::map<std::string, std::string>& known_codes);

/// Parses the text of a population table (see read_population); errors name `file`.
Expected<std::map<std::string, std::int64_t>> parse_population(std::string_view text, const std::string& file,
                                                               const std::map<std::string, std::string>& known_codes);

/// The built-in tables, kept as data in framework/import/data/ and compiled in.
std::string_view builtin_municipality_aliases();
std::string_view builtin_opengr_domain_keywords();
std::string_view builtin_opengr_arrangement_domains();  // domains of general bodies, by name
std::string_view builtin_cbs_key_figures();            // metadata of cbs/gemeente_kerncijfers_2016.csv
std::string_view builtin_cbs_trends();                 // trends derived from the StatLine series
std::string_view builtin_municipal_reorganisations();  // 2012-2014, before gemeenten_2014_naar_2016.csv

}  // namespace bre::import
