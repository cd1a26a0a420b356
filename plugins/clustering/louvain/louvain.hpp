// clustering.louvain's parameters and their mapping onto the native
// bre::clustering::Louvain (DOMAIN.md §2).
#pragma once

#include <cstdint>
#include <vector>

#include "bre/clustering/louvain.hpp"
#include "bre/params.hpp"
#include "bre/v1/plugin.pb.h"

namespace bre::clustering {

/// The algorithm's parameter: resolution (network and seed parameters come next to it).
std::vector<v1::ParameterSpec> native_louvain_parameters();

/// LouvainParameters from validated parameters and the step's seed.
clustering::LouvainParameters native_louvain_options(const Params& params, std::uint64_t seed);

}  // namespace bre::clustering
