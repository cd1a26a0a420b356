#include "bre/network.hpp"

#include <algorithm>

namespace bre {

Expected<Weighting> parse_weighting(const std::string& text) {
  if (text == "count") return Weighting::kCount;
  if (text == "fractional") return Weighting::kFractional;
  return invalid_argument("weighting: expected count or fractional, found '" + text + "'");
}

Expected<v1::ArrangementKind> parse_arrangement_kind(const std::string& text) {
  if (text == "cooperation") return v1::ARRANGEMENT_KIND_COOPERATION;
  if (text == "societal") return v1::ARRANGEMENT_KIND_SOCIETAL;
  if (text == "state") return v1::ARRANGEMENT_KIND_STATE;
  if (text == "statistical") return v1::ARRANGEMENT_KIND_STATISTICAL;
  return invalid_argument("arrangement kind: expected cooperation, societal, state or statistical, found '" + text +
                          "'");
}

std::vector<v1::ParameterSpec> network_parameters() {
  return {string_param("weighting", "count", {"count", "fractional"},
                       "Edge weight of the cooperation network: count = shared arrangements, fractional = each "
                       "arrangement adds 1/(|a|-1) to each of its pairs (DOMAIN.md §1)."),
          string_list_param("kinds", {"cooperation"}, {"cooperation", "societal", "state", "statistical"},
                            "Arrangement kinds that count as cooperation ties (DOMAIN.md §1).", 1)};
}

Expected<NetworkOptions> network_options_from(const Params& params) {
  NetworkOptions options;
  auto weighting = parse_weighting(params.get_string("weighting"));
  if (!weighting) return weighting.status().with_context("parameter 'weighting'");
  options.weighting = *weighting;
  options.kinds.clear();
  for (const auto& text : params.get_string_list("kinds")) {
    auto kind = parse_arrangement_kind(text);
    if (!kind) return kind.status().with_context("parameter 'kinds'");
    options.kinds.push_back(*kind);
  }
  if (options.kinds.empty()) {
    return invalid_argument("parameter 'kinds': expected at least one arrangement kind, found []");
  }
  return options;
}

bool counts_as_cooperation(const v1::Arrangement& arrangement, const NetworkOptions& options) {
  return std::find(options.kinds.begin(), options.kinds.end(), arrangement.kind()) != options.kinds.end();
}

Expected<Graph> build_cooperation_network(const DatasetIndex& index, const NetworkOptions& options) {
  const auto& dataset = index.dataset();
  std::vector<WeightedEdge> edges;
  std::vector<std::uint32_t> members;
  for (int a = 0; a < dataset.arrangements_size(); ++a) {
    const auto& arrangement = dataset.arrangements(a);
    if (!counts_as_cooperation(arrangement, options)) continue;
    members.clear();
    for (const auto& code : arrangement.municipality_codes()) {
      auto node = index.municipality(code);
      if (!node) {
        return invalid_argument("arrangement '" + arrangement.id() + "': unknown municipality code '" + code + "'");
      }
      members.push_back(static_cast<std::uint32_t>(*node));
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    if (members.size() < 2) continue;
    const double weight =
        options.weighting == Weighting::kCount ? 1.0 : 1.0 / static_cast<double>(members.size() - 1);
    for (std::size_t i = 0; i < members.size(); ++i) {
      for (std::size_t j = i + 1; j < members.size(); ++j) edges.push_back({members[i], members[j], weight});
    }
  }
  return Graph::from_edges(index.municipality_count(), std::move(edges));
}

}  // namespace bre
