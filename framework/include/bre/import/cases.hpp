// Case descriptors of regions (DOMAIN.md §8): reading them from CSV or JSON, and the
// names of their fields and values that files, rule tables and reports use.
//
// A descriptor is a single enum field of bre.v1.CaseDescriptors whose value 0 is
// *_UNKNOWN ("shared_vision", "agenda", ...). Its values are written as the enum value
// names without the type prefix, in lower case: "yes", "no", "integral", "ad_hoc",
// "central_municipality". "unknown" (or a blank) is the value 0: not established,
// never read as "no".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::import {

/// The descriptor fields of CaseDescriptors, in field-number order. O(fields).
std::vector<std::string> case_descriptor_fields();

/// Whether `field` is a descriptor field. O(1).
bool is_case_descriptor(std::string_view field);

/// The known values of a descriptor ("no", "yes"), without "unknown", in enum order.
/// Errors: no such field (kNotFound), not a single enum field (kInvalidArgument).
Expected<std::vector<std::string>> case_descriptor_values(std::string_view field);

/// The value of descriptor `field` of `c` as its short name; "unknown" for 0 or a
/// number this build does not know. Errors as case_descriptor_values. O(values).
Expected<std::string> case_descriptor_value(const v1::CaseDescriptors& c, std::string_view field);

/// Sets descriptor `field` of `c` from its short name (case-insensitive; blank or
/// "unknown" sets 0). Errors name the field, the allowed values and what was found.
Status set_case_descriptor(v1::CaseDescriptors& c, std::string_view field, std::string_view value);

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
