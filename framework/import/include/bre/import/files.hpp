// Any year's data from simple files a department already has (docs/import.md): a
// municipality map (GeoJSON, GeoPackage or any OGR vector format, in any CRS, brought
// to RD New), a long list of
// arrangements and their participants, and optionally commuting flows, region
// definitions and former names. Shared borders, centroids and areas come from the
// polygons. Readers of these files fill ImportInputs for the one build
// (bre/import/build.hpp) that the nl2016 preset uses too.
#pragma once

#include <cstddef>
#include <string>

#include "bre/import/build.hpp"
#include "bre/import/report.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

struct FilesOptions {
  std::string name;                    // the dataset's name (required)
  int year = 0;                        // reference year (required)
  std::string municipalities;          // GeoJSON (by extension .geojson/.json), else any OGR vector file (required)
  std::string layer;                   // OGR files: the layer; empty = the file's only polygon layer
  std::string code_field = "statcode";
  std::string name_field = "statnaam";
  std::string population_field;        // empty = no population (0, reported once)
  std::string arrangements;            // arrangement,participant[,kind,legal_form,domains,start,end,division]; optional
  std::string commuting;               // home,work,persons; optional
  std::string regions;                 // definition,code,region; optional
  std::string mergers;                 // former,code; optional
};

/// Counts that account for every input row: the readers' and the build's.
struct FilesStats : BuildCounts {
  std::string crs;                     // the map's CRS as PROJ was given it ("EPSG:4326")
  std::size_t municipalities = 0;
  std::size_t with_population = 0;
  std::size_t arrangement_rows = 0;
};

struct FilesImport {
  v1::Dataset dataset;  // passes check_dataset
  ResolutionReport report;
  FilesStats stats;
};

/// Imports the files of `options`. Errors name file, line and column (CSV) or feature
/// and property (GeoJSON); rows that can be left out without changing what the rest
/// means (an unresolved participant, an arrangement with fewer than two
/// municipalities, one not in force in the reference year) go to the report instead.
/// Deterministic. Complexity: dominated by the shared-border search, O(E · k).
Expected<FilesImport> import_files(const FilesOptions& options);

}  // namespace bre::import
