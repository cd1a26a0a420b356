// clustering.leiden's parameters: what a pipeline step may set and how it maps onto
// the native bre::clustering::Leiden (DOMAIN.md §2).
#pragma once

#include <cstdint>
#include <vector>

#include "bre/clustering/leiden.hpp"
#include "bre/params.hpp"
#include "bre/status.hpp"
#include "bre/v1/plugin.pb.h"

namespace bre::clustering {

/// The algorithm's parameters: objective, resolution, beta, iterations (the network
/// and seed parameters are declared next to them by the plugin).
std::vector<v1::ParameterSpec> native_leiden_parameters();

/// LeidenParameters from validated parameters and the step's seed. Errors name the
/// parameter.
Expected<clustering::LeidenParameters> native_leiden_options(const Params& params, std::uint64_t seed);

}  // namespace bre::clustering
