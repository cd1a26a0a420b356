// The community-detection algorithms an ensemble or a resolution profile runs as its
// members (DOMAIN.md §2): each one clusters a graph at a resolution with a seed,
// behind one interface, so that the ensemble and the profile need not know which.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "bre/status.hpp"

namespace bre::clustering {

/// One algorithm, stateless: cluster() may run concurrently from many threads.
class CommunityDetection {
 public:
  virtual ~CommunityDetection() = default;
  /// The name parameters and errors use: "leiden", "louvain", "label_propagation".
  virtual std::string_view name() const = 0;
  /// Whether cluster() reads the resolution (modularity algorithms); one without it
  /// cannot make a resolution profile.
  virtual bool has_resolution() const = 0;
  /// One clustering of `graph` at modularity resolution `resolution` with `seed`, in
  /// canonical labels; the algorithm's own errors, argument named.
  virtual Expected<Membership> cluster(const Graph& graph, double resolution, std::uint64_t seed) const = 0;
};

/// Shared and immutable, so parameter structs that hold a list of them stay copyable.
using CommunityDetectionList = std::vector<std::shared_ptr<const CommunityDetection>>;

/// One shared instance each. Native Leiden maximising modularity (bre/clustering/leiden.hpp), until stable.
std::shared_ptr<const CommunityDetection> leiden_detection();
/// Native Louvain (bre/clustering/louvain.hpp).
std::shared_ptr<const CommunityDetection> louvain_detection();
/// Native label propagation (bre/clustering/label_propagation.hpp); no resolution.
std::shared_ptr<const CommunityDetection> label_propagation_detection();

/// The algorithm named "leiden", "louvain" or "label_propagation"; an error names the text.
Expected<std::shared_ptr<const CommunityDetection>> parse_algorithm(const std::string& name);

}  // namespace bre::clustering
