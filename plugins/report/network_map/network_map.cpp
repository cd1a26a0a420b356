#include "network_map.hpp"

#include <map>
#include <string>
#include <utility>

#include "bre/language.hpp"

namespace bre::report {
namespace {

// The legend heading says what a weight counts, as far as the network's description
// tells (bre's cooperation networks say "weighting count" or "weighting fractional").
std::string weight_label(const v1::Network& network, Language language) {
  if (network.description().find("weighting count") != std::string::npos) {
    return std::string(in_language(language, "Gedeelde samenwerkingsverbanden", "Shared arrangements"));
  }
  if (network.description().find("weighting fractional") != std::string::npos) {
    return std::string(in_language(language, "Gewicht van de band (elk gedeeld verband telt 1/(leden - 1))",
                                   "Tie weight (each shared arrangement adds 1/(members - 1))"));
  }
  return std::string(in_language(language, "Gewicht van de band", "Tie weight"));
}

v1::Document svg_document(std::string name, std::string title, std::string content) {
  v1::Document document;
  document.set_name(std::move(name));
  document.set_media_type("image/svg+xml");
  document.set_title(std::move(title));
  document.set_content(std::move(content));
  return document;
}

}  // namespace

Expected<std::vector<v1::Document>> network_map_documents(const DatasetIndex& index,
                                                          std::span<const StepInput> inputs,
                                                          const NetworkMapParameters& parameters) {
  map::NetworkMapOptions options = parameters.map;
  const v1::Network* network = nullptr;
  std::string from_step;
  for (const StepInput& input : inputs) {
    if (network == nullptr && input.artifacts->networks_size() > 0) {
      network = &input.artifacts->networks(0);
      from_step = input.step_id;
    }
    if (options.regions == nullptr && input.artifacts->partitions_size() > 0) {
      options.regions = &input.artifacts->partitions(0);
    }
  }
  v1::Network built;
  if (network == nullptr) {
    Expected<Graph> graph = build_cooperation_network(index, parameters.network);
    if (!graph) return graph.status();
    const std::string weighting = parameters.network.weighting == Weighting::kCount ? "count" : "fractional";
    built = to_network_message(*graph, index, "cooperation", "cooperation network, weighting " + weighting);
    network = &built;
  }
  if (options.weight_label.empty()) options.weight_label = weight_label(*network, options.language);
  auto in_step = [&](const Status& status) {
    return from_step.empty() ? status : status.with_context("input step '" + from_step + "'");
  };
  Expected<std::string> svg = map::render_network_map(index, *network, options);
  if (!svg) return in_step(svg.status());
  std::vector<v1::Document> documents;
  documents.push_back(svg_document("network.svg", map::network_map_title(index, options), std::move(*svg)));
  if (options.regions == nullptr || !parameters.regional_maps) return documents;

  Expected<std::vector<std::string>> zooms =
      map::render_regional_network_maps(index, *network, *options.regions, options);
  if (!zooms) return in_step(zooms.status());
  std::map<std::string, std::string> id_of_name;  // document name → region id
  for (int r = 0; r < options.regions->regions_size(); ++r) {
    std::string& content = (*zooms)[static_cast<std::size_t>(r)];
    if (content.empty()) continue;  // a region without members has no map
    const v1::Region& region = options.regions->regions(r);
    std::string name = map::regional_network_document_name(region.id());
    if (const auto [at, added] = id_of_name.emplace(name, region.id()); !added) {
      return invalid_argument("partition '" + options.regions->name() + "': regions[" + std::to_string(r) +
                              "] id '" + region.id() + "' gives the document name " + name + " of region '" +
                              at->second + "'; expected region ids that differ in letters, digits, '_' or '-'");
    }
    const std::string title = std::string(in_language(options.language, "Samenwerkingsnetwerk: ",
                                                      "Cooperation network: ")) +
                              (region.name().empty() ? region.id() : region.name());
    documents.push_back(svg_document(std::move(name), title, std::move(content)));
  }
  return documents;
}

}  // namespace bre::report
