// The cooperation network map (DOMAIN.md §1, the study's Figure 3) as a document.
#pragma once

#include <span>

#include "bre/dataset.hpp"
#include "bre/map/svg_map.hpp"
#include "bre/network.hpp"
#include "bre/plugin.hpp"
#include "bre/status.hpp"
#include "bre/v1/results.pb.h"

namespace bre::report {

struct NetworkMapParameters {
  /// How to build the network when no input step provides one.
  NetworkOptions network;
  map::NetworkMapOptions map;
};

/// The document "network.svg" (image/svg+xml): render_network_map of the first
/// network among `inputs` (e.g. an indicator.cooperation_network step), or, when no
/// input has one, of the cooperation network built from the dataset with
/// parameters.network. The legend heading follows the weighting the network's
/// description names ("Shared arrangements" for count), else reads "Tie weight". Errors: those of build_cooperation_network, graph_from_network and
/// render_network_map, with the input step named. Complexity: that of the renderer.
Expected<v1::Document> network_map_document(const DatasetIndex& index, std::span<const StepInput> inputs,
                                            const NetworkMapParameters& parameters);

}  // namespace bre::report
