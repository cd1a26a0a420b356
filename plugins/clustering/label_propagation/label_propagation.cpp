#include "label_propagation.hpp"

namespace bre::clustering {

std::vector<v1::ParameterSpec> native_label_propagation_parameters() {
  return {int_param("max_sweeps", 1000, 1, 1000000,
                    "Upper bound on sweeps over all municipalities; propagation usually stops earlier, when "
                    "no label changes.")};
}

clustering::LabelPropagationParameters native_label_propagation_options(const Params& params, std::uint64_t seed) {
  return {.max_sweeps = params.get_int("max_sweeps"), .seed = seed};
}

}  // namespace bre::clustering
