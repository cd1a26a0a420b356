#include "leiden.hpp"

#include "bre/parameter_decl.hpp"

namespace bre::clustering {

std::vector<v1::ParameterSpec> native_leiden_parameters() {
  return {
      string_param("objective", "modularity", {"modularity", "cpm"},
                   "Quality maximised: modularity at the resolution, or cpm (constant Potts model, "
                   "resolution = density threshold in units of edge weight; the partition then reports "
                   "classic modularity, resolution 1)."),
      kResolution.spec(
          "Resolution gamma > 0: for modularity 1 = classic modularity, higher = more and "
          "smaller regions; for cpm a density threshold in units of edge weight."),
      double_param("beta", 0.01, 1e-6, 1.0,
                   "Randomness of the refinement: a node joins a refined community with probability "
                   "~ exp(gain / beta) (igraph's beta)."),
      int_param("iterations", -1, -1, 1000,
                "Iterations of the whole Leiden procedure, each from the previous result; -1 = until an "
                "iteration changes nothing."),
  };
}

Expected<clustering::LeidenParameters> native_leiden_options(const Params& params, std::uint64_t seed) {
  clustering::LeidenParameters options;
  Expected<clustering::Objective> objective = clustering::parse_objective(params.get_string("objective"));
  if (!objective) return objective.status().with_context("parameter 'objective'");
  options.objective = *objective;
  options.resolution = kResolution.read(params);
  options.beta = params.get_double("beta");
  options.iterations = params.get_int("iterations");
  options.seed = seed;
  return options;
}

}  // namespace bre::clustering
