// The cooperation network map (DOMAIN.md §1, the study's Figure 3) as documents: the
// national map and, given a partition, one regional zoom per region.
#pragma once

#include <span>
#include <vector>

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
  /// map.regions is set from the inputs (the first input partition), not by the caller.
  map::NetworkMapOptions map;
  /// With a partition among the inputs: also one regional zoom per region.
  bool regional_maps = true;
};

/// The document "network.svg" (image/svg+xml): render_network_map of the first
/// network among `inputs` (e.g. an indicator.cooperation_network step), or, when no
/// input has one, of the cooperation network built from the dataset with
/// parameters.network. The legend heading follows the weighting the network's
/// description names (shared arrangements for count, the fractional rule for
/// fractional), else reads "tie weight", in parameters.map.language. When an input has
/// a partition, its region borders are drawn and, with parameters.regional_maps, one
/// document per region follows, named regional_network_document_name(region id) and
/// titled after the region. Errors: those of build_cooperation_network,
/// graph_from_network and the renderers, with the input step named; two regions
/// whose ids give the same document name. Complexity: that of the renderers.
Expected<std::vector<v1::Document>> network_map_documents(const DatasetIndex& index,
                                                          std::span<const StepInput> inputs,
                                                          const NetworkMapParameters& parameters);

}  // namespace bre::report
