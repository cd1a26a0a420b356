// The one build step of every importer: rows that readers of any source format have
// filled in (former names, arrangements with their participants, commuting flows,
// region memberships) become the dataset, through the DatasetBuilder. `bre import
// files` reads its simple files into ImportInputs and calls build_dataset; the nl2016
// preset reads its own source formats into the same rows and calls the same steps
// between its own (provinces, OpenGR bodies, key figures). docs/import.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bre/import/dataset_builder.hpp"
#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// A name a source may still use (a merged or renamed municipality) and a municipality
/// it is part of now. A name given with several codes was split.
struct FormerNameRow {
  std::string former;
  std::string code;   // a code of the dataset or a CBS number of one
  std::string file;   // for the report and the alias note
  std::int64_t line = 0;
  std::string where;  // names the code's cell in errors: "m.csv:4: column 'code' (2)"
};

/// One participant as a source row names it: a code, a CBS number or a name.
struct ParticipantRow {
  std::string text;
  std::int64_t line = 0;
};

/// One arrangement as read: everything but its municipalities, which the build
/// resolves from `participants`.
struct ArrangementInput {
  v1::Arrangement arrangement;  // id, name, kind, dates, domains, division, source
  std::string file;
  std::int64_t line = 0;        // the arrangement's first row
  std::vector<ParticipantRow> participants;
};

/// Persons living in `home` and working in `work` (codes or CBS numbers).
struct CommutingRow {
  std::string home;
  std::string work;
  double persons = 0.0;
  std::int64_t line = 0;
  std::string home_where;  // names the cells in errors
  std::string work_where;
};

/// A municipality's region in a region definition.
struct RegionRow {
  std::string definition;
  std::string code;         // a code of the dataset or a CBS number of one
  std::string region;       // the region's id
  std::string region_name;  // empty = the id
  std::string description;  // the definition's, read from its first row; empty = "from <file>"
  std::string file;
  std::int64_t line = 0;
  std::string code_where;  // names the code's cell in errors
};

/// What a reader fills in; every part but the municipalities may be empty.
struct ImportInputs {
  std::string name;
  int reference_year = 0;
  std::string description;
  std::string map_file;  // named when a row gives a code the map lacks
  std::vector<MunicipalityShape> municipalities;
  std::vector<FormerNameRow> former_names;
  std::vector<ArrangementInput> arrangements;
  std::vector<CommutingRow> commuting;
  std::vector<RegionRow> regions;
  ResolutionReport report;  // what the readers reported; the build's entries follow
};

/// Counts of the build that account for every row it was given.
struct BuildCounts {
  std::size_t former_names = 0;  // distinct former names used
  std::size_t arrangements_read = 0;
  std::size_t arrangements_kept = 0;  // read = kept + too small + not in force
  std::size_t arrangements_too_small = 0;
  std::size_t arrangements_not_in_force = 0;
  std::size_t unresolved_participants = 0;
  std::size_t commuting_flows = 0;
  double commuting_persons = 0.0;
  std::size_t region_definitions = 0;
  std::size_t region_rows = 0;
  std::size_t adjacent_pairs = 0;
};

/// The code a row gives for a municipality: a code of the dataset, or a CBS number
/// ("363", "0363") of a GM code it has; else an error `where: unknown municipality
/// code '…' (no feature of map_file has it)`.
Expected<std::string> municipality_code(const std::string& text, const DatasetBuilder& builder, const std::string& where,
                                        const std::string& map_file);

/// Former names: one code makes the name an alias of it, several make it a split
/// (a participant with that name is reported, not guessed). A name that is a current
/// official name is reported (`former name is current`) and not used. Complexity:
/// O(n log n).
Status add_former_names(const std::vector<FormerNameRow>& rows, const std::string& map_file, DatasetBuilder& builder,
                        BuildCounts& counts);

/// Arrangements in input order: participants resolved (unresolved and repeated ones
/// reported), then left out and reported when not in force in `reference_year` or
/// with fewer than two municipalities. Complexity: O(participants · name length).
void add_arrangements(std::vector<ArrangementInput> arrangements, int reference_year, DatasetBuilder& builder,
                      BuildCounts& counts);

/// Commuting flows sorted by (home, work); zero flows left out; a pair given twice is
/// an error naming both lines. Complexity: O(n log n).
Status add_commuting(const std::vector<CommutingRow>& rows, const std::string& map_file, DatasetBuilder& builder,
                     BuildCounts& counts);

/// Region definitions in order of first appearance, their regions likewise; a municipality in two regions of one definition is an error.
/// Complexity: O(n log n).
Status add_regions(const std::vector<RegionRow>& rows, const std::string& map_file, DatasetBuilder& builder,
                   BuildCounts& counts);

/// The whole build: municipalities, qualified-name aliases, former names,
/// arrangements, commuting, regions, then DatasetBuilder::finish. On success
/// `dataset` passes check_dataset and `report` holds the readers' entries and the
/// build's; on an error neither is written. Deterministic. Complexity: dominated by
/// the shared-border search, O(E · k).
Status build_dataset(ImportInputs inputs, v1::Dataset& dataset, ResolutionReport& report, BuildCounts& counts);

}  // namespace bre::import
