// Minimum region size and contiguity for every clustering plugin (DOMAIN.md §2).
// All loops run in node order or in the order of sorted containers, so results do
// not depend on threads or hash layouts.
#include "bre/region_constraints.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "bre/language.hpp"
#include "bre/plugin.hpp"

namespace bre {
namespace {

std::string codes_text(const DatasetIndex& index, const std::vector<std::uint32_t>& nodes, std::size_t limit = 10) {
  std::string text;
  for (std::size_t i = 0; i < nodes.size() && i < limit; ++i) {
    text += (i == 0 ? "" : ", ") + index.municipality_at(nodes[i]).code();
  }
  if (nodes.size() > limit) text += ", ...";
  return text;
}

}  // namespace

std::vector<v1::ParameterSpec> region_constraint_parameters() {
  return {
      int_param("min_region_size", 1, 1, 100000,
                "Fewest municipalities per region; smaller regions are merged into the region they "
                "are most tied to (a map neighbour under enforce_contiguity). 1 = no minimum."),
      bool_param("enforce_contiguity", false,
                 "Split every region into its connected pieces on the map (Dataset.adjacency); "
                 "municipalities without a land neighbour stay with the piece they are most tied to."),
  };
}

RegionConstraints region_constraints_from(const Params& params) {
  RegionConstraints constraints;
  constraints.min_region_size = params.get_int("min_region_size");
  constraints.enforce_contiguity = params.get_bool("enforce_contiguity");
  return constraints;
}

Expected<Graph> map_adjacency_graph(const DatasetIndex& index) {
  const v1::Dataset& dataset = index.dataset();
  std::vector<WeightedEdge> edges;
  edges.reserve(static_cast<std::size_t>(dataset.adjacency_size()));
  for (int i = 0; i < dataset.adjacency_size(); ++i) {
    const v1::Adjacency& pair = dataset.adjacency(i);
    const std::string where = "adjacency[" + std::to_string(i) + "]";
    const auto a = index.municipality(pair.a_code());
    if (!a) return invalid_argument(where + ".a_code: unknown municipality code '" + pair.a_code() + "'");
    const auto b = index.municipality(pair.b_code());
    if (!b) return invalid_argument(where + ".b_code: unknown municipality code '" + pair.b_code() + "'");
    if (*a == *b) return invalid_argument(where + ": a municipality cannot border itself ('" + pair.a_code() + "')");
    edges.push_back({static_cast<std::uint32_t>(*a), static_cast<std::uint32_t>(*b), pair.shared_border_m()});
  }
  Expected<Graph> graph = Graph::from_edges(index.municipality_count(), std::move(edges));
  if (!graph) return graph.status().with_context("Dataset.adjacency");
  return graph;
}

bool is_island(const Graph& map, std::uint32_t node) {
  for (const Neighbour& neighbour : map.neighbours(node)) {
    if (neighbour.node != node) return false;
  }
  return true;
}

RegionConstraintEnforcer::RegionConstraintEnforcer(const Graph& ties, const Graph& map, const Membership& membership,
                                                   RegionConstraints constraints)
    : AlgorithmBase("RegionConstraintEnforcer"),
      ties_(&ties),
      map_(&map),
      input_(membership),
      constraints_(constraints) {}

const Membership& RegionConstraintEnforcer::membership() const {
  require_run("membership");
  return membership_;
}
const std::vector<std::int32_t>& RegionConstraintEnforcer::split_regions() const {
  require_run("split_regions");
  return split_regions_;
}
const std::vector<std::uint32_t>& RegionConstraintEnforcer::relocated_islands() const {
  require_run("relocated_islands");
  return relocated_islands_;
}
const std::vector<std::uint32_t>& RegionConstraintEnforcer::merged_regions() const {
  require_run("merged_regions");
  return merged_regions_;
}
const std::vector<std::uint32_t>& RegionConstraintEnforcer::unmerged_small_regions() const {
  require_run("unmerged_small_regions");
  return unmerged_small_regions_;
}

Status RegionConstraintEnforcer::run() {
  set_has_run(false);
  split_regions_.clear();
  relocated_islands_.clear();
  merged_regions_.clear();
  unmerged_small_regions_.clear();
  const std::size_t n = input_.size();
  if (ties_->node_count() != n) {
    return invalid_argument("membership: has " + std::to_string(n) + " entries, the tie graph has " +
                            std::to_string(ties_->node_count()) + " nodes");
  }
  if (map_->node_count() != n) {
    return invalid_argument("membership: has " + std::to_string(n) + " entries, the map has " +
                            std::to_string(map_->node_count()) + " nodes");
  }
  if (constraints_.min_region_size < 1) {
    return invalid_argument("min_region_size: expected an integer >= 1, found " +
                            std::to_string(constraints_.min_region_size));
  }
  if (constraints_.enforce_contiguity && n > 1 && map_->edge_count() == 0) {
    return failed_precondition(
        "enforce_contiguity: the map has no adjacent municipalities (Dataset.adjacency is empty), so "
        "contiguity cannot be judged; add the adjacency to the dataset or leave enforce_contiguity false");
  }
  Membership labels = canonical_labels(input_);
  if (constraints_.enforce_contiguity) labels = split_into_pieces(labels);
  if (constraints_.min_region_size > 1) labels = merge_small_regions(labels);
  membership_ = canonical_labels(labels);
  set_has_run(true);
  return Status::ok();
}

Membership RegionConstraintEnforcer::split_into_pieces(const Membership& labels) {
  const std::size_t n = labels.size();
  const Graph& map = *map_;
  Membership piece(n, kUnassigned);
  std::vector<std::int32_t> region_of_piece;
  std::vector<std::uint32_t> queue;
  for (std::uint32_t start = 0; start < n; ++start) {
    if (labels[start] < 0 || piece[start] != kUnassigned || is_island(map, start)) continue;
    const auto id = static_cast<std::int32_t>(region_of_piece.size());
    region_of_piece.push_back(labels[start]);
    piece[start] = id;
    queue.assign(1, start);
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (const Neighbour& next : map.neighbours(queue[head])) {
        if (labels[next.node] == labels[start] && piece[next.node] == kUnassigned) {
          piece[next.node] = id;
          queue.push_back(next.node);
        }
      }
    }
  }
  // Pieces per input region, in order of their first node.
  const auto k = static_cast<std::size_t>(std::max(region_count(labels), 0));
  std::vector<std::vector<std::int32_t>> pieces_of(k);
  for (std::size_t p = 0; p < region_of_piece.size(); ++p) {
    pieces_of[static_cast<std::size_t>(region_of_piece[p])].push_back(static_cast<std::int32_t>(p));
  }
  for (std::size_t r = 0; r < k; ++r) {
    if (pieces_of[r].size() > 1) split_regions_.push_back(static_cast<std::int32_t>(r));
  }
  // Islands: to the most tied piece of their own region; island-only regions stay whole.
  std::vector<std::int32_t> island_only_label(k, kUnassigned);
  std::int32_t next_label = static_cast<std::int32_t>(region_of_piece.size());
  for (std::uint32_t node = 0; node < n; ++node) {
    if (labels[node] < 0 || piece[node] != kUnassigned) continue;
    const auto region = static_cast<std::size_t>(labels[node]);
    const std::vector<std::int32_t>& candidates = pieces_of[region];
    if (candidates.empty()) {
      if (island_only_label[region] == kUnassigned) island_only_label[region] = next_label++;
      piece[node] = island_only_label[region];
      continue;
    }
    std::int32_t best = candidates.front();
    if (candidates.size() > 1) {
      std::map<std::int32_t, double> tie_to_piece;
      for (const Neighbour& neighbour : ties_->neighbours(node)) {
        const std::int32_t p = piece[neighbour.node];
        if (neighbour.node != node && labels[neighbour.node] == labels[node] && p != kUnassigned &&
            static_cast<std::size_t>(p) < region_of_piece.size()) {
          tie_to_piece[p] += neighbour.weight;
        }
      }
      double best_weight = 0.0;
      for (const auto& [p, weight] : tie_to_piece) {
        if (weight > best_weight) {  // strictly: the first piece keeps a tie
          best_weight = weight;
          best = p;
        }
      }
      relocated_islands_.push_back(node);
    }
    piece[node] = best;
  }
  return piece;
}

Membership RegionConstraintEnforcer::merge_small_regions(const Membership& input) {
  const std::size_t n = input.size();
  const auto min_size = static_cast<std::size_t>(constraints_.min_region_size);
  Membership labels = canonical_labels(input);
  const auto k = static_cast<std::size_t>(std::max(region_count(labels), 0));
  std::vector<std::vector<std::uint32_t>> members(k);
  for (std::uint32_t node = 0; node < n; ++node) {
    if (labels[node] >= 0) members[static_cast<std::size_t>(labels[node])].push_back(node);
  }
  // Canonical labels: region r's first node increases with r, so the label itself
  // orders regions by first node, and a merged region keeps the smaller label.
  std::set<std::pair<std::size_t, std::int32_t>> small;  // (size, label)
  for (std::size_t r = 0; r < k; ++r) {
    if (members[r].size() < min_size) small.insert({members[r].size(), static_cast<std::int32_t>(r)});
  }
  while (!small.empty()) {
    const std::int32_t region = small.begin()->second;
    small.erase(small.begin());
    const std::vector<std::uint32_t>& own = members[static_cast<std::size_t>(region)];
    bool has_land = false;
    for (std::uint32_t node : own) has_land = has_land || !is_island(*map_, node);
    std::map<std::int32_t, double> tie_weight;
    std::map<std::int32_t, double> border;
    for (std::uint32_t node : own) {
      for (const Neighbour& neighbour : map_->neighbours(node)) {
        const std::int32_t other = labels[neighbour.node];
        if (other >= 0 && other != region) border[other] += neighbour.weight;
      }
      for (const Neighbour& neighbour : ties_->neighbours(node)) {
        const std::int32_t other = labels[neighbour.node];
        if (other >= 0 && other != region) tie_weight[other] += neighbour.weight;
      }
    }
    const bool map_neighbours_only = constraints_.enforce_contiguity && has_land;
    auto pick = [&](const std::map<std::int32_t, double>& weights, bool require_border) {
      std::int32_t best = kUnassigned;
      double best_weight = 0.0;
      for (const auto& [other, weight] : weights) {
        if (require_border && !border.count(other)) continue;
        if (weight > best_weight) {  // strictly: the smaller label keeps a tie
          best_weight = weight;
          best = other;
        }
      }
      return best;
    };
    std::int32_t target = pick(tie_weight, map_neighbours_only);
    if (target == kUnassigned) target = pick(border, false);
    if (target == kUnassigned) {
      unmerged_small_regions_.push_back(own.front());
      continue;
    }
    // Merge into the smaller label so region order by first node is kept.
    const std::int32_t keep = std::min(target, region);
    const std::int32_t gone = std::max(target, region);
    auto& kept_members = members[static_cast<std::size_t>(keep)];
    auto& gone_members = members[static_cast<std::size_t>(gone)];
    merged_regions_.push_back(own.front());
    small.erase({members[static_cast<std::size_t>(target)].size(), target});
    for (std::uint32_t node : gone_members) labels[node] = keep;
    std::vector<std::uint32_t> merged;
    merged.reserve(kept_members.size() + gone_members.size());
    std::merge(kept_members.begin(), kept_members.end(), gone_members.begin(), gone_members.end(),
               std::back_inserter(merged));
    kept_members = std::move(merged);
    gone_members.clear();
    if (kept_members.size() < min_size) small.insert({kept_members.size(), keep});
  }
  return labels;
}

Expected<ConstrainedMembership> apply_region_constraints(const StepContext& context, const Graph& ties,
                                                         const Membership& membership) {
  const RegionConstraints constraints = region_constraints_from(context.params());
  ConstrainedMembership result;
  if (constraints.min_region_size <= 1 && !constraints.enforce_contiguity) {
    result.membership = canonical_labels(membership);
    return result;
  }
  const DatasetIndex& index = context.dataset();
  const Language language = run_language(context);
  Expected<Graph> map = map_adjacency_graph(index);
  if (!map) return map.status();
  RegionConstraintEnforcer enforcer(ties, *map, membership, constraints);
  BRE_RETURN_IF_ERROR(enforcer.run());
  result.membership = enforcer.membership();

  const Membership before = canonical_labels(membership);
  if (!enforcer.split_regions().empty()) {
    std::vector<std::uint32_t> first_nodes;
    for (std::int32_t region : enforcer.split_regions()) {
      for (std::uint32_t node = 0; node < before.size(); ++node) {
        if (before[node] == region) {
          first_nodes.push_back(node);
          break;
        }
      }
    }
    result.warnings.push_back(
        "enforce_contiguity: " + std::to_string(first_nodes.size()) +
        text_in(language, " regio('s) lagen in meerdere stukken op de kaart en zijn gesplitst; de regio's van ",
                                " region(s) lay in several pieces on the map and were split; the regions of ") +
        codes_text(index, first_nodes));
  }
  if (!enforcer.relocated_islands().empty()) {
    result.warnings.push_back(
        text_in(language,
                                "enforce_contiguity: gemeenten zonder buurgemeente over land zijn ingedeeld bij het stuk "
                                "van hun gesplitste regio waarmee ze de meeste banden hebben: ",
                                "enforce_contiguity: municipalities without a land neighbour joined the piece of their "
                                "split region they are most tied to: ") +
        codes_text(index, enforcer.relocated_islands()));
  }
  const std::string min_text = "min_region_size " + std::to_string(constraints.min_region_size) + ": ";
  if (!enforcer.merged_regions().empty()) {
    result.warnings.push_back(
        min_text + std::to_string(enforcer.merged_regions().size()) +
        text_in(language,
                                " kleinere regio('s) zijn samengevoegd met de regio waarmee ze de meeste banden "
                                "hebben; de regio's van ",
                                " smaller region(s) were merged into the region they are most tied to; the regions of ") +
        codes_text(index, enforcer.merged_regions()));
  }
  if (!enforcer.unmerged_small_regions().empty()) {
    result.warnings.push_back(
        min_text + std::to_string(enforcer.unmerged_small_regions().size()) +
        text_in(language,
                                " kleinere regio('s) hebben geen band met en geen grens aan een andere regio en zijn "
                                "behouden: de regio's van ",
                                " smaller region(s) have no tie and no border to another region and were kept: the "
                                "regions of ") +
        codes_text(index, enforcer.unmerged_small_regions()));
  }
  return result;
}

}  // namespace bre
