#include "louvain.hpp"

#include "bre/parameter_decl.hpp"

namespace bre::clustering {

std::vector<v1::ParameterSpec> native_louvain_parameters() {
  return {kResolution.spec()};
}

clustering::LouvainParameters native_louvain_options(const Params& params, std::uint64_t seed) {
  return {.resolution = kResolution.read(params), .seed = seed};
}

}  // namespace bre::clustering
