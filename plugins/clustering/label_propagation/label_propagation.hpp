// clustering.label_propagation's parameters and their mapping onto the native
// bre::clustering::LabelPropagation (DOMAIN.md §2).
#pragma once

#include <cstdint>
#include <vector>

#include "bre/clustering/label_propagation.hpp"
#include "bre/params.hpp"
#include "bre/v1/plugin.pb.h"

namespace bre::clustering {

/// The algorithm's parameter: max_sweeps (network and seed parameters come next to it).
std::vector<v1::ParameterSpec> native_label_propagation_parameters();

/// LabelPropagationParameters from validated parameters and the step's seed.
clustering::LabelPropagationParameters native_label_propagation_options(const Params& params, std::uint64_t seed);

}  // namespace bre::clustering
