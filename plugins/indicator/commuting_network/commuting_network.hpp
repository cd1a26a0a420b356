// The commuting graph of DOMAIN.md §5: municipalities tied by the persons who live in
// one and work in the other. Any clustering step given this network as input clusters
// it (bre::clustering_graph), which yields the daily-urban-system (DUS) regions.
#pragma once

#include <cstddef>
#include <string>

#include "bre/language.hpp"
#include "bre/algorithm.hpp"
#include "bre/dataset.hpp"
#include "bre/graph.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::indicator {

struct CommutingNetworkParameters {
  /// Keep F(i, i) (persons living and working in i) as a self-loop of weight F(i, i).
  /// Off by default: self-flows are every municipality's largest flow and would
  /// dominate the strengths that modularity compares against.
  bool include_self_flows = false;
  /// Pairs whose symmetrised flow is below this many persons are left out (>= 0);
  /// 0 keeps every pair with a flow.
  double min_persons = 0.0;
  /// Of the network's description and the warnings: the run's.
  Language language = Language::kDutch;
};

/// Builds the undirected commuting graph over the dataset's municipalities (dataset
/// order): for i != j, w(i, j) = F(i, j) + F(j, i), the persons commuting between i
/// and j in either direction. Commuting is directed; clustering works on undirected
/// ties, and a pair's total exchange is what binds two places into one labour
/// market, whichever way the larger stream goes. Repeated (home, work) records add
/// up. Pairs with w = 0 give no edge.
///
/// Shape (ARCHITECTURE.md): construct, run(), then the accessors, which throw
/// std::logic_error before a successful run().
/// Complexity: O(n + F log F) for F flows.
class CommutingNetwork : public AlgorithmBase {
 public:
  /// `index` must outlive this object.
  CommutingNetwork(const DatasetIndex& index, CommutingNetworkParameters parameters);

  /// Errors: min_persons negative or not finite (names the parameter); a flow with
  /// an unknown municipality code or persons negative or not finite (names the flow
  /// by its index in commuting_flows, its codes and the value).
  Status run();

  const Graph& graph() const;
  /// The graph as a bre.v1.Network named "commuting", with a description of how it
  /// was built.
  v1::Network network_message() const;
  /// Persons in the flows read (self-flows included), and in the edges kept.
  double persons_read() const;
  double persons_kept() const;
  /// Pairs left out by min_persons.
  std::size_t pairs_below_minimum() const;

 private:
  const DatasetIndex* index_;
  CommutingNetworkParameters parameters_;
  Graph graph_;
  double persons_read_ = 0.0;
  double persons_kept_ = 0.0;
  std::size_t pairs_below_minimum_ = 0;
};

}  // namespace bre::indicator
