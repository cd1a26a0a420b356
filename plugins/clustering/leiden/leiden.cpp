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
      int_param("coarse_iterations", 1, -1, 1000,
                "Iterations on the coarse aggregate inside each iteration (the first level with at most 1/16 "
                "of the municipalities); 1 = classic Leiden, -1 = until stable there. More reach a higher "
                "modularity on large networks in less time than more whole iterations."),
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
  options.coarse_iterations = params.get_int("coarse_iterations");
  if (options.coarse_iterations == 0) {
    return invalid_argument("parameter 'coarse_iterations': expected -1 (until stable) or a count >= 1, found 0");
  }
  options.seed = seed;
  return options;
}

}  // namespace bre::clustering
