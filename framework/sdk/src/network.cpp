#include "bre/network.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "bre/plugin.hpp"

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

std::vector<std::string> legal_form_names() {
  std::vector<std::string> names;
  const std::string prefix = "LEGAL_FORM_";
  for (int value = v1::LegalForm_MIN; value <= v1::LegalForm_MAX; ++value) {
    if (!v1::LegalForm_IsValid(value)) continue;
    std::string name = v1::LegalForm_Name(static_cast<v1::LegalForm>(value)).substr(prefix.size());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    names.push_back(std::move(name));
  }
  return names;
}

Expected<v1::LegalForm> parse_legal_form(const std::string& text) {
  std::string upper = "LEGAL_FORM_";
  for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  v1::LegalForm form{};
  const bool lower_case = std::none_of(text.begin(), text.end(), [](unsigned char c) { return std::isupper(c); });
  if (lower_case && v1::LegalForm_Parse(upper, &form)) return form;
  std::string expected;
  for (const auto& name : legal_form_names()) expected += (expected.empty() ? "" : ", ") + name;
  return invalid_argument("legal form: expected one of " + expected + ", found '" + text + "'");
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
  if (std::find(options.kinds.begin(), options.kinds.end(), arrangement.kind()) == options.kinds.end()) return false;
  return options.legal_forms.empty() || std::find(options.legal_forms.begin(), options.legal_forms.end(),
                                                  arrangement.legal_form()) != options.legal_forms.end();
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

v1::Network to_network_message(const Graph& graph, const DatasetIndex& index, const std::string& name,
                               const std::string& description) {
  v1::Network network;
  network.set_name(name);
  network.set_description(description);
  for (std::size_t i = 0; i < index.municipality_count(); ++i) network.add_node_codes(index.municipality_at(i).code());
  for (const auto& edge : graph.edges()) {
    auto* out = network.add_edges();
    out->set_a(static_cast<std::int32_t>(edge.u));
    out->set_b(static_cast<std::int32_t>(edge.v));
    out->set_weight(edge.weight);
  }
  return network;
}

Expected<Graph> graph_from_network(const v1::Network& network, const DatasetIndex& index) {
  const std::string where = "network '" + network.name() + "'";
  std::vector<std::uint32_t> node_of(static_cast<std::size_t>(network.node_codes_size()));
  for (int i = 0; i < network.node_codes_size(); ++i) {
    auto node = index.municipality(network.node_codes(i));
    if (!node) {
      return invalid_argument(where + ": node_codes[" + std::to_string(i) + "]: '" + network.node_codes(i) +
                              "' is not a municipality of the dataset");
    }
    node_of[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(*node);
  }
  std::vector<WeightedEdge> edges;
  edges.reserve(static_cast<std::size_t>(network.edges_size()));
  for (int e = 0; e < network.edges_size(); ++e) {
    const auto& edge = network.edges(e);
    const std::string field = where + ": edges[" + std::to_string(e) + "]";
    for (int end : {edge.a(), edge.b()}) {
      if (end < 0 || end >= network.node_codes_size()) {
        return invalid_argument(field + ": node index " + std::to_string(end) + " outside 0.." +
                                std::to_string(network.node_codes_size() - 1));
      }
    }
    if (!std::isfinite(edge.weight()) || edge.weight() < 0) {
      return invalid_argument(field + ": expected a finite non-negative weight, found " + std::to_string(edge.weight()));
    }
    edges.push_back({node_of[static_cast<std::size_t>(edge.a())], node_of[static_cast<std::size_t>(edge.b())],
                     edge.weight()});
  }
  return Graph::from_edges(index.municipality_count(), std::move(edges));
}

Expected<Graph> clustering_graph(const StepContext& context) {
  for (const auto& input : context.inputs()) {
    if (input.artifacts->networks_size() > 0) {
      auto graph = graph_from_network(input.artifacts->networks(0), context.dataset());
      if (!graph) return graph.status().with_context("input step '" + input.step_id + "'");
      return graph;
    }
  }
  auto options = network_options_from(context.params());
  if (!options) return options.status();
  return build_cooperation_network(context.dataset(), *options);
}

}  // namespace bre
