// The vocabulary of case descriptors (DOMAIN.md §8): the names of their fields and
// values that files, rule tables and reports use.
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

#include "bre/export.hpp"
#include "bre/status.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre BRE_SDK_API {

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

}  // namespace bre
