// What a numeric table column holds (bre.v1.ValueKind), read from its unit: the
// columns' declarations set it from the unit they already carry, and readers of tables
// written before kinds existed fall back on the same rule.
#pragma once

#include <string_view>

#include "bre/v1/results.pb.h"

namespace bre {

/// Counts: "count", "persons", "municipalities", "regions", "arrangements", "rank", "n"
/// (and their Dutch words, for columns declared in Dutch). Shares: a unit that starts
/// with "share" or "aandeel" ("share (0-1)"). Any other unit is a measure.
inline v1::ValueKind value_kind_for_unit(std::string_view unit) {
  for (std::string_view count : {"count", "persons", "municipalities", "regions", "arrangements", "rank", "n", "aantal",
                                 "personen", "gemeenten", "regio's", "samenwerkingsverbanden", "rang"}) {
    if (unit == count) return v1::VALUE_KIND_COUNT;
  }
  for (std::string_view share : {"share", "aandeel"}) {
    if (unit.substr(0, share.size()) == share) return v1::VALUE_KIND_SHARE;
  }
  return v1::VALUE_KIND_MEASURE;
}

}  // namespace bre
