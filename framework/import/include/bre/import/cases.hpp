// Case descriptors of regions (DOMAIN.md §8) read from CSV or JSON files, in the
// vocabulary of bre/case_descriptors.hpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bre/case_descriptors.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// Parses case descriptors from CSV text (RFC 4180: comma-separated, optional double
/// quotes, header row first). Columns: region_id (required), region_name,
/// municipality_codes (codes separated by ';' or spaces), then any descriptor fields in
/// any order; a descriptor without a column, or with a blank cell, is unknown. Each
/// case records `source_name` and its line. Errors name `source_name`, the line, the
/// column and the allowed values: an unknown column, a repeated column, a missing
/// region_id column or value, a region_id listed twice, an unknown value, a row with
/// another number of cells than the header. O(size of the text).
Expected<std::vector<v1::CaseDescriptors>> parse_case_descriptors_csv(const std::string& text,
                                                                      const std::string& source_name);

/// Parses case descriptors from JSON: an array of objects (or {"cases": [...]}) with
/// the keys of the CSV columns; municipality_codes is an array of strings; a
/// descriptor is a string, or null for unknown. Errors name `source_name`, the element
/// ("cases[3]"), the key and the allowed values, as the CSV reader. O(size of the text).
Expected<std::vector<v1::CaseDescriptors>> parse_case_descriptors_json(const std::string& text,
                                                                       const std::string& source_name);

/// Reads a case descriptor file: JSON when the name ends in ".json", CSV otherwise.
Expected<std::vector<v1::CaseDescriptors>> read_case_descriptors(const std::string& path);

}  // namespace bre::import
