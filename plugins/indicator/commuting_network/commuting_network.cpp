#include "commuting_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "bre/network.hpp"
#include "bre/plugin_helpers.hpp"

namespace bre::indicator {

CommutingNetwork::CommutingNetwork(const DatasetIndex& index, CommutingNetworkParameters parameters)
    : AlgorithmBase("CommutingNetwork"), index_(&index), parameters_(parameters) {}

Status CommutingNetwork::run() {
  set_has_run(false);
  if (!std::isfinite(parameters_.min_persons) || parameters_.min_persons < 0.0) {
    return invalid_argument("parameter 'min_persons': expected a finite number >= 0, found " +
                            std::to_string(parameters_.min_persons));
  }
  const v1::Dataset& dataset = index_->dataset();
  std::vector<WeightedEdge> directed;
  directed.reserve(static_cast<std::size_t>(dataset.commuting_flows_size()));
  persons_read_ = 0.0;
  for (int f = 0; f < dataset.commuting_flows_size(); ++f) {
    const v1::CommutingFlow& flow = dataset.commuting_flows(f);
    // Only an error needs the flow's name: no string building per flow.
    auto where = [&flow, f] {
      return "commuting_flows[" + std::to_string(f) + "] (" + flow.home_code() + " -> " + flow.work_code() + ")";
    };
    const auto home = index_->municipality(flow.home_code());
    const auto work = index_->municipality(flow.work_code());
    if (!home || !work) {
      return invalid_argument(where() + ": unknown municipality code '" +
                              (home ? flow.work_code() : flow.home_code()) + "'");
    }
    if (!std::isfinite(flow.persons()) || flow.persons() < 0.0) {
      return invalid_argument(where() + ": persons: expected a finite number >= 0, found " +
                              std::to_string(flow.persons()));
    }
    persons_read_ += flow.persons();
    if (*home == *work && !parameters_.include_self_flows) continue;
    const auto a = static_cast<std::uint32_t>(std::min(*home, *work));
    const auto b = static_cast<std::uint32_t>(std::max(*home, *work));
    directed.push_back({a, b, flow.persons()});
  }
  // Sum both directions of each pair in a fixed order (by pair, then input order).
  std::stable_sort(directed.begin(), directed.end(), [](const WeightedEdge& x, const WeightedEdge& y) {
    return x.u != y.u ? x.u < y.u : x.v < y.v;
  });
  std::vector<WeightedEdge> edges;
  pairs_below_minimum_ = 0;
  persons_kept_ = 0.0;
  for (std::size_t begin = 0; begin < directed.size();) {
    std::size_t end = begin;
    double persons = 0.0;
    while (end < directed.size() && directed[end].u == directed[begin].u && directed[end].v == directed[begin].v) {
      persons += directed[end].weight;
      ++end;
    }
    if (persons > 0.0) {
      if (persons < parameters_.min_persons) {
        ++pairs_below_minimum_;
      } else {
        edges.push_back({directed[begin].u, directed[begin].v, persons});
        persons_kept_ += persons;
      }
    }
    begin = end;
  }
  Expected<Graph> graph = Graph::from_edges(index_->municipality_count(), std::move(edges));
  if (!graph) return graph.status().with_context("commuting graph");
  graph_ = std::move(*graph);
  set_has_run(true);
  return Status::ok();
}

const Graph& CommutingNetwork::graph() const {
  require_run("graph");
  return graph_;
}

v1::Network CommutingNetwork::network_message() const {
  require_run("network_message");
  const Language l = parameters_.language;
  std::string description = text_in(l,
                                    "Woon-werkverkeer (DOMAIN.md §5): w(i,j) = personen die in i wonen en in j werken "
                                    "plus wie in j woont en in i werkt; stromen binnen een gemeente ",
                                    "Commuting (DOMAIN.md §5): w(i,j) = persons living in i and working in j plus "
                                    "those living in j and working in i; self-flows ");
  description += parameters_.include_self_flows ? text_in(l, "als lus behouden", "kept as self-loops")
                                                : text_in(l, "weggelaten", "left out");
  if (parameters_.min_persons > 0.0) {
    const double persons = parameters_.min_persons;
    const std::string minimum = format_decimal(l, persons, persons == std::floor(persons) ? 0 : 2);
    description += Bilingual{"; paren onder " + minimum + " personen weggelaten",
                             "; pairs under " + minimum + " persons left out"}
                       .in(l);
  }
  return to_network_message(graph_, *index_, "commuting", description);
}

double CommutingNetwork::persons_read() const {
  require_run("persons_read");
  return persons_read_;
}

double CommutingNetwork::persons_kept() const {
  require_run("persons_kept");
  return persons_kept_;
}

std::size_t CommutingNetwork::pairs_below_minimum() const {
  require_run("pairs_below_minimum");
  return pairs_below_minimum_;
}

}  // namespace bre::indicator
