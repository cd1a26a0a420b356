// The steps every importer shares, whatever its sources: municipalities from polygons
// (sorted by code, with planar area, centroid and geometry), the names they resolve
// by, participants resolved or reported, arrangements kept or reported, and the
// finish (other names as aliases, shared borders, check_dataset). `bre import nl2016`
// and `bre import files` are both built on it.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "bre/import/names.hpp"
#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// One municipality as a map gives it.
struct MunicipalityShape {
  std::string code;
  std::string name;
  v1::MultiPolygon shape;  // in RD New
  std::int64_t population = 0;
  std::string file;  // the map, for Municipality.source
};

class DatasetBuilder {
 public:
  DatasetBuilder(const std::string& name, int reference_year, const std::string& description);

  /// Adds the municipalities sorted by code, each with area_km2 (planar, holes
  /// subtracted), centroid and geometry, and registers their official names. A code
  /// given twice is an error naming both files. Complexity: O(V + n log n).
  Status add_municipalities(std::vector<MunicipalityShape> municipalities);

  /// Makes "Bergen" resolve for a municipality officially named "Bergen (L.)" when no
  /// other official name has that base; with several ("Bergen (L.)", "Bergen (NH.)")
  /// the plain name is ambiguous and resolves to none of them.
  void add_qualified_name_aliases();

  /// A municipality as a source row names it: its code as in the dataset, a CBS number
  /// ("0363", "363") of a GM code the dataset has, or a name (official, alias, former).
  /// Returns the code, or "" after reporting the row (category `category`) with why:
  /// unknown, ambiguous (the candidates named) or a split former municipality.
  std::string resolve_municipality(const std::string& text, const std::string& file, std::int64_t line,
                                   const std::string& category);

  /// Appends `arrangement` when it has at least two municipalities; otherwise reports
  /// it ("arrangement with fewer than two municipalities", with `participant_rows`)
  /// and returns false.
  bool keep_arrangement(v1::Arrangement arrangement, const std::string& file, std::int64_t line,
                        std::size_t participant_rows);

  /// Records a name a source used for `code` other than the official one; finish()
  /// makes each such name a Municipality.alias.
  void saw_name(const std::string& code, const std::string& name);

  /// Aliases from saw_name, the shared borders (municipality_adjacency), then
  /// check_dataset: a dataset that does not validate is an internal error (the
  /// importer's fault, not the input's). Complexity: that of municipality_adjacency.
  Status finish();

  v1::Dataset& dataset() { return dataset_; }
  ResolutionReport& report() { return report_; }
  MunicipalityNames& names() { return names_; }
  const MunicipalityNames& names() const { return names_; }
  const std::map<std::string, std::string>& official_names() const { return official_names_; }  // code → name
  const std::set<std::string>& known_codes() const { return known_codes_; }
  std::map<std::string, std::set<std::string>>& seen_names() { return seen_names_; }

 private:
  /// "Bergen (L.) (GM0893)" for messages.
  std::string label(const std::string& code) const;

  v1::Dataset dataset_;
  ResolutionReport report_;
  MunicipalityNames names_;
  std::map<std::string, std::string> official_names_;
  std::set<std::string> known_codes_;
  std::map<std::string, std::set<std::string>> seen_names_;  // code → other names seen
};

}  // namespace bre::import
