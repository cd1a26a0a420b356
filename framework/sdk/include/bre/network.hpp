// The cooperation network of DOMAIN.md §1.
#pragma once

#include <string>
#include <vector>

#include "bre/export.hpp"
#include "bre/dataset.hpp"
#include "bre/graph.hpp"
#include "bre/params.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre BRE_SDK_API {

class StepContext;

enum class Weighting {
  kCount,       // w(i,j) = number of arrangements i and j share
  kFractional,  // each arrangement a adds 1 / (|a| - 1) to each of its pairs
};

struct NetworkOptions {
  Weighting weighting = Weighting::kCount;
  /// Arrangement kinds that count as cooperation. Default: cooperation only.
  std::vector<v1::ArrangementKind> kinds = {v1::ARRANGEMENT_KIND_COOPERATION};
  /// Legal forms that count (DOMAIN.md §1: "a filter on their kind and legal form").
  /// Empty = every legal form, unspecified included.
  std::vector<v1::LegalForm> legal_forms;
};

/// Parses "count" / "fractional".
Expected<Weighting> parse_weighting(const std::string& text);
/// Parses "cooperation", "societal", "state", "statistical".
Expected<v1::ArrangementKind> parse_arrangement_kind(const std::string& text);
/// Parses a legal form as people write it: the LegalForm enum name without its prefix,
/// in lower case ("informal", "network", "private_law", "wgr_public_body", ...,
/// "unspecified").
Expected<v1::LegalForm> parse_legal_form(const std::string& text);
/// Every legal form as parse_legal_form reads it, in enum order.
std::vector<std::string> legal_form_names();

/// Builds the cooperation network: one node per municipality (dataset order), an edge
/// between every pair of municipalities sharing at least one counted arrangement.
/// Arrangements with fewer than two municipalities add nothing. Municipality codes
/// must be valid (see validate_dataset); an unknown code is an error naming the
/// arrangement. Complexity: O(sum over arrangements of |a|^2 + m log m).
Expected<Graph> build_cooperation_network(const DatasetIndex& index, const NetworkOptions& options);

/// The parameters every plugin that builds the network declares: "weighting"
/// (count | fractional, default count) and "kinds" (default ["cooperation"]).
std::vector<v1::ParameterSpec> network_parameters();

/// NetworkOptions from validated "weighting" and "kinds" parameters. Errors name the
/// parameter (an empty "kinds" list is one).
Expected<NetworkOptions> network_options_from(const Params& params);

/// Whether an arrangement counts under `options`: its kind is in options.kinds and,
/// when options.legal_forms is not empty, its legal form is in it.
bool counts_as_cooperation(const v1::Arrangement& arrangement, const NetworkOptions& options);

/// The graph as a message: nodes are the dataset's municipalities in dataset order,
/// edges as Graph::edges() lists them. Complexity: O(n + m).
v1::Network to_network_message(const Graph& graph, const DatasetIndex& index, const std::string& name,
                               const std::string& description);

/// A Network message as a Graph over the dataset's municipalities (dataset order).
/// Nodes the message lacks become isolated nodes. Errors: a node code that is not a
/// municipality of the dataset, an edge index out of range, a negative or non-finite
/// weight; each names the element. Complexity: O(n + m log m).
Expected<Graph> graph_from_network(const v1::Network& network, const DatasetIndex& index);

/// The graph a clustering step clusters: the first network among its inputs (e.g.
/// the commuting graph of DOMAIN.md §5), otherwise the cooperation network built from
/// the step's "weighting" and "kinds" parameters (network_parameters()).
Expected<Graph> clustering_graph(const StepContext& context);

}  // namespace bre
