// The built-in demo dataset: a seeded synthetic country (docs/demo-dataset.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/v1/dataset.pb.h"

namespace bre::demo {

inline constexpr std::uint64_t kDefaultSeed = 2016;

/// Generates the demo dataset. The same seed gives the same dataset, byte for byte,
/// on every platform (all randomness comes from bre::SplitMix64).
v1::Dataset generate(std::uint64_t seed = kDefaultSeed);

/// Name of the region definition in the demo dataset that holds the planted regions
/// (the ground truth the clustering tests recover).
inline constexpr const char* kPlantedDefinition = "planted";

}  // namespace bre::demo
