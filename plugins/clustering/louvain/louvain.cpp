#include "louvain.hpp"

namespace bre::clustering {

std::vector<v1::ParameterSpec> native_louvain_parameters() {
  return {double_param("resolution", 1.0, 1e-9, 100.0,
                       "Modularity resolution gamma > 0: 1 = classic modularity, higher = more and smaller "
                       "regions.")};
}

clustering::LouvainParameters native_louvain_options(const Params& params, std::uint64_t seed) {
  return {.resolution = params.get_double("resolution"), .seed = seed};
}

}  // namespace bre::clustering
