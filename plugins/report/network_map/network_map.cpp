#include "network_map.hpp"

#include <utility>

namespace bre::report {
namespace {

// The legend heading says what a weight counts, as far as the network's description
// tells (bre's cooperation networks say "weighting count" or "weighting fractional").
std::string weight_label(const v1::Network& network) {
  if (network.description().find("weighting count") != std::string::npos) return "Shared arrangements";
  if (network.description().find("weighting fractional") != std::string::npos) {
    return "Tie weight (each shared arrangement adds 1/(members - 1))";
  }
  return "Tie weight";
}

}  // namespace

Expected<v1::Document> network_map_document(const DatasetIndex& index, std::span<const StepInput> inputs,
                                            const NetworkMapParameters& parameters) {
  Expected<std::string> svg = internal_error("no map rendered");
  bool from_input = false;
  for (const StepInput& input : inputs) {
    if (input.artifacts->networks_size() == 0) continue;
    map::NetworkMapOptions options = parameters.map;
    options.weight_label = weight_label(input.artifacts->networks(0));
    svg = map::render_network_map(index, input.artifacts->networks(0), options);
    if (!svg) return svg.status().with_context("input step '" + input.step_id + "'");
    from_input = true;
    break;
  }
  if (!from_input) {
    Expected<Graph> graph = build_cooperation_network(index, parameters.network);
    if (!graph) return graph.status();
    const std::string weighting = parameters.network.weighting == Weighting::kCount ? "count" : "fractional";
    const v1::Network network =
        to_network_message(*graph, index, "cooperation", "cooperation network, weighting " + weighting);
    map::NetworkMapOptions options = parameters.map;
    options.weight_label = weight_label(network);
    svg = map::render_network_map(index, network, options);
    if (!svg) return svg.status();
  }
  v1::Document document;
  document.set_name("network.svg");
  document.set_media_type("image/svg+xml");
  document.set_title(parameters.map.title);
  document.set_content(std::move(*svg));
  return document;
}

}  // namespace bre::report
