// Native Leiden community detection (Traag, Waltman & van Eck 2019, "From Louvain to
// Leiden: guaranteeing well-connected communities"), DOMAIN.md §2. Thread-safe and
// deterministic per seed: no global state, one SplitMix64 stream from the parameters.
// Checked against igraph_community_leiden (tests/framework/test_community.cpp).
#pragma once

#include <cstdint>
#include <string>

#include "bre/algorithm.hpp"
#include "bre/clustering/schedule.hpp"
#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::clustering {

/// What Leiden maximises.
enum class Objective {
  /// Modularity with resolution gamma (igraph_modularity convention):
  /// Q = 1/(2m) sum_ij [A_ij - gamma k_i k_j / (2m)] delta(c_i, c_j).
  kModularity,
  /// Constant Potts model (Traag, Van Dooren & Nesterov 2011):
  /// H = sum_c [w_in(c) - gamma n_c^2 / 2], gamma a density in units of edge weight.
  kCpm,
};

/// Parses "modularity" / "cpm"; an error names the text and the choices.
Expected<Objective> parse_objective(const std::string& text);

/// CPM quality H = sum_c [w_in(c) - gamma n_c^2 / 2] of a membership, where w_in(c) is
/// the total weight of edges inside c (self-loops once) and n_c its node count.
/// Unassigned nodes count nothing. O(n + m).
double cpm_quality(const Graph& graph, const Membership& membership, double resolution);

struct LeidenParameters {
  Objective objective = Objective::kModularity;
  /// gamma > 0. Modularity: 1 = classic modularity, larger = more, smaller
  /// communities. CPM: a density threshold in units of edge weight.
  double resolution = 1.0;
  /// Randomness of the refinement (the paper's theta, igraph's beta), > 0: a node
  /// joins a refined community with probability proportional to exp(gain / beta).
  double beta = 0.01;
  /// Iterations of the whole procedure, each starting from the previous result;
  /// -1 = until an iteration leaves the partition unchanged (capped at 1000).
  std::int64_t iterations = -1;
  /// Iterations of Leiden on the coarse aggregate inside each iteration, > 0 or -1 =
  /// until stable there; 1 = the classic algorithm. Once an iteration reaches the first
  /// aggregate with at most 1/16 of the nodes (on a planted graph: nodes of about half a
  /// group), it runs this many Leiden iterations on that aggregate instead of one pass
  /// up. Those nodes are refined, connected sets, so communities stay connected; the
  /// levels below are not visited again until the next iteration. On
  /// large graphs the levels below cost most of the time and change little after the
  /// first pass, while the coarse levels decide the quality: on 10^6 planted nodes one
  /// iteration with 3 coarse ones reaches the modularity of 4 classic iterations in 55%
  /// of the time (tools/bench/README.md).
  std::int64_t coarse_iterations = 1;
  std::uint64_t seed = 0;
  /// Sequential or parallel node moves (bre/clustering/schedule.hpp); by graph size
  /// unless set.
  Schedule schedule = Schedule::kAuto;
};

/// Leiden: fast local moving with a queue, refinement of each community into
/// well-connected parts (randomised merges with probability ~ exp(gain / beta)),
/// aggregation on the refined partition with the unrefined one as the start, until
/// the local moving changes nothing (the algorithm of Traag et al., as igraph runs
/// it). Every node gets a community; an isolated node stays alone in its own.
///
/// Thread safety: instances share nothing; concurrent run()s on one const Graph are
/// safe; the parallel schedule runs its steps as TBB tasks in the caller's arena.
/// Determinism: the result depends only on (graph, parameters), never on the thread
/// count.
/// Complexity: O(m) per pass of local moving, refinement and aggregation; in practice
/// near-linear in n + m per iteration. Memory: about 2x the graph's adjacency.
class Leiden : public AlgorithmBase {
 public:
  /// `graph` must outlive this object.
  Leiden(const Graph& graph, LeidenParameters parameters);

  /// Validates, then clusters. Errors (argument named): a graph without nodes;
  /// resolution not finite or <= 0; beta not finite or <= 0; iterations < -1;
  /// coarse_iterations 0 or < -1; for modularity, a graph whose total edge weight is 0
  /// (modularity undefined).
  Status run();

  // Accessors; each throws std::logic_error before a successful run().
  /// Community per node, canonical labels (0..k-1 in order of first appearance).
  const Membership& membership() const;
  std::int32_t community_count() const;
  /// The objective reached: modularity at `resolution`, or cpm_quality.
  double quality() const;
  /// Iterations of the whole procedure that ran.
  std::int64_t iterations_run() const;

 private:
  const Graph* graph_;
  LeidenParameters parameters_;
  Membership membership_;
  std::int32_t community_count_ = 0;
  double quality_ = 0.0;
  std::int64_t iterations_run_ = 0;
};

}  // namespace bre::clustering
