// The dataset the survey and case targets add to: the seeded demo dataset
// (docs/demo-dataset.md) without its polygons, which set_survey and set_cases do not
// look at but would copy on every input.
#pragma once

#include "bre/demo.hpp"
#include "bre/v1/dataset.pb.h"

namespace bre::fuzz {

inline v1::Dataset& demo_dataset_without_geometry() {
  static v1::Dataset dataset = [] {
    v1::Dataset out = demo::generate();
    for (auto& municipality : *out.mutable_municipalities()) municipality.clear_geometry();
    return out;
  }();
  return dataset;
}

}  // namespace bre::fuzz
