// Partitions as membership vectors: conversion to and from bre.v1.Partition, quality
// (modularity) and comparison measures (NMI, ARI, VI). DOMAIN.md §2.
//
// Conventions shared by every function here:
// - Any negative label means "unassigned" (kUnassigned is the canonical one).
// - A size mismatch between arguments is a caller bug: it throws
//   std::invalid_argument (a std::logic_error, like Params' accessors), which the
//   engine turns into a failed step. Data problems (unknown codes, overlaps) are
//   returned as a Status.
// - Floating-point sums run in a fixed order (node order, edge order, or the
//   lexicographic order of contingency cells), so results are bit-for-bit
//   reproducible whatever thread calls them.
//
// Reference results: modularity() is checked against igraph_modularity, and the
// comparison measures against igraph_compare_communities (igraph 0.10), to 1e-12 in
// tests/framework/test_partition.cpp.
#include "bre/partition.hpp"

#include <algorithm>
#include <map>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace bre {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void require_same_size(std::size_t a, std::size_t b, const char* function, const char* what_a,
                       const char* what_b) {
  if (a != b) {
    throw std::invalid_argument(std::string(function) + ": " + what_a + " has " + std::to_string(a) +
                                " entries but " + what_b + " has " + std::to_string(b));
  }
}

/// Two-digit ids up to 99 regions, then as many digits as the largest index needs,
/// so ids sort the same as text and as numbers ("R001".."R120").
std::string region_id(std::size_t index, std::size_t region_total) {
  std::size_t width = 2;
  for (std::size_t limit = 100; region_total >= limit; limit *= 10) ++width;
  std::string digits = std::to_string(index + 1);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return "R" + digits;
}

std::string quote(const std::string& text) { return "'" + text + "'"; }

/// The joint distribution of two labellings over the nodes assigned in both:
/// region sizes on each side and the non-zero cells of the contingency table in
/// lexicographic (a, b) order. Labels are compacted in order of first appearance.
struct Cell {
  std::size_t a;
  std::size_t b;
  std::int64_t count;
};

struct Contingency {
  std::int64_t n = 0;
  std::vector<std::int64_t> a_sizes;
  std::vector<std::int64_t> b_sizes;
  std::vector<Cell> cells;
};

/// Stable counting sort of node positions by label. O(n + k).
std::vector<std::size_t> sort_by_label(const std::vector<std::size_t>& order, const Membership& labels,
                                       const std::vector<std::int64_t>& sizes) {
  std::vector<std::size_t> start(sizes.size() + 1, 0);
  for (std::size_t j = 0; j < sizes.size(); ++j) start[j + 1] = start[j] + static_cast<std::size_t>(sizes[j]);
  std::vector<std::size_t> sorted(order.size());
  for (std::size_t i : order) sorted[start[static_cast<std::size_t>(labels[i])]++] = i;
  return sorted;
}

Contingency contingency(const Membership& a, const Membership& b, const char* function) {
  require_same_size(a.size(), b.size(), function, "the first membership", "the second membership");
  Membership kept_a;
  Membership kept_b;
  kept_a.reserve(a.size());
  kept_b.reserve(b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] >= 0 && b[i] >= 0) {
      kept_a.push_back(a[i]);
      kept_b.push_back(b[i]);
    }
  }
  kept_a = canonical_labels(kept_a);
  kept_b = canonical_labels(kept_b);

  Contingency table;
  const std::size_t n = kept_a.size();
  table.n = static_cast<std::int64_t>(n);
  table.a_sizes.assign(static_cast<std::size_t>(region_count(kept_a)), 0);
  table.b_sizes.assign(static_cast<std::size_t>(region_count(kept_b)), 0);
  for (std::size_t i = 0; i < n; ++i) {
    ++table.a_sizes[static_cast<std::size_t>(kept_a[i])];
    ++table.b_sizes[static_cast<std::size_t>(kept_b[i])];
  }
  // Sort nodes by (a, b): by b first, then stably by a; each cell is then a run.
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  order = sort_by_label(sort_by_label(order, kept_b, table.b_sizes), kept_a, table.a_sizes);
  for (std::size_t i : order) {
    const auto ca = static_cast<std::size_t>(kept_a[i]);
    const auto cb = static_cast<std::size_t>(kept_b[i]);
    if (!table.cells.empty() && table.cells.back().a == ca && table.cells.back().b == cb) {
      ++table.cells.back().count;
    } else {
      table.cells.push_back({ca, cb, 1});
    }
  }
  return table;
}

/// Entropy (nats) of a distribution given by counts summing to n.
double entropy(const std::vector<std::int64_t>& counts, std::int64_t n) {
  double h = 0.0;
  const double total = static_cast<double>(n);
  for (std::int64_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / total;
    h -= p * std::log(p);
  }
  return h;
}

/// Entropies of both sides and their mutual information, in nats.
struct Information {
  double h_a = 0.0;
  double h_b = 0.0;
  double mutual = 0.0;
};

Information information(const Membership& a, const Membership& b, const char* function) {
  const Contingency table = contingency(a, b, function);
  Information info;
  if (table.n == 0) return info;
  info.h_a = entropy(table.a_sizes, table.n);
  info.h_b = entropy(table.b_sizes, table.n);
  // I(A;B) = sum_ab p_ab log(p_ab / (p_a p_b)) = sum_ab (n_ab/n) log(n n_ab / (n_a n_b)).
  const double total = static_cast<double>(table.n);
  for (const Cell& cell : table.cells) {
    const double n_ab = static_cast<double>(cell.count);
    const double n_a = static_cast<double>(table.a_sizes[cell.a]);
    const double n_b = static_cast<double>(table.b_sizes[cell.b]);
    info.mutual += (n_ab / total) * std::log(total * n_ab / (n_a * n_b));
  }
  return info;
}

}  // namespace

Membership canonical_labels(const Membership& membership) {
  Membership result(membership.size(), kUnassigned);
  std::int32_t max_label = -1;
  for (std::int32_t label : membership) max_label = std::max(max_label, label);
  std::int32_t next = 0;
  // Dense lookup when labels are small (the usual case), a hash map otherwise.
  if (max_label >= 0 && static_cast<std::size_t>(max_label) <= 2 * membership.size() + 16) {
    std::vector<std::int32_t> relabel(static_cast<std::size_t>(max_label) + 1, kUnassigned);
    for (std::size_t i = 0; i < membership.size(); ++i) {
      const std::int32_t label = membership[i];
      if (label < 0) continue;
      auto& target = relabel[static_cast<std::size_t>(label)];
      if (target == kUnassigned) target = next++;
      result[i] = target;
    }
  } else if (max_label >= 0) {
    std::unordered_map<std::int32_t, std::int32_t> relabel;
    relabel.reserve(membership.size());
    for (std::size_t i = 0; i < membership.size(); ++i) {
      const std::int32_t label = membership[i];
      if (label < 0) continue;
      auto [it, inserted] = relabel.try_emplace(label, next);
      if (inserted) ++next;
      result[i] = it->second;
    }
  }
  return result;
}

std::int32_t region_count(const Membership& membership) {
  std::int32_t max_label = -1;
  for (std::int32_t label : membership) max_label = std::max(max_label, label);
  return max_label + 1;
}

v1::Partition to_partition(const DatasetIndex& index, const Membership& membership,
                           const std::string& name, const std::string& source, double modularity,
                           double resolution) {
  require_same_size(membership.size(), index.municipality_count(), "to_partition", "the membership",
                    "the dataset's municipality list");
  const Membership canonical = canonical_labels(membership);
  const auto k = static_cast<std::size_t>(region_count(canonical));

  v1::Partition partition;
  partition.set_name(name);
  partition.set_source(source);
  partition.set_modularity(modularity);
  partition.set_resolution(resolution);

  std::vector<v1::Region*> regions(k);
  std::vector<std::size_t> most_populous(k, std::numeric_limits<std::size_t>::max());
  // Where populations are equal (e.g. not given, as in the public 2016 data), the
  // member where most commuters work names the region: its employment centre.
  std::vector<double> jobs(canonical.size(), 0.0);
  for (const auto& flow : index.dataset().commuting_flows()) {
    if (auto work = index.municipality(flow.work_code())) jobs[*work] += flow.persons();
  }
  auto names_region_before = [&](std::size_t a, std::size_t b) {
    const auto pa = index.municipality_at(a).population(), pb = index.municipality_at(b).population();
    return pa != pb ? pa > pb : jobs[a] > jobs[b];
  };
  for (std::size_t r = 0; r < k; ++r) {
    regions[r] = partition.add_regions();
    regions[r]->set_id(region_id(r, k));
  }
  for (std::size_t i = 0; i < canonical.size(); ++i) {
    const v1::Municipality& municipality = index.municipality_at(i);
    if (canonical[i] < 0) {
      partition.add_unassigned(municipality.code());
      continue;
    }
    const auto r = static_cast<std::size_t>(canonical[i]);
    regions[r]->add_municipality_codes(municipality.code());
    // Strictly before: on a full tie the municipality first in dataset order keeps the name.
    if (most_populous[r] == std::numeric_limits<std::size_t>::max() || names_region_before(i, most_populous[r])) {
      most_populous[r] = i;
    }
  }
  for (std::size_t r = 0; r < k; ++r) {
    const v1::Municipality& anchor = index.municipality_at(most_populous[r]);
    regions[r]->set_name("Regio " + (anchor.name().empty() ? anchor.code() : anchor.name()));
  }
  return partition;
}

Expected<Membership> membership_of(const DatasetIndex& index, const v1::Partition& partition) {
  const std::string where = "partition " + quote(partition.name());
  Membership membership(index.municipality_count(), kUnassigned);
  for (int r = 0; r < partition.regions_size(); ++r) {
    const v1::Region& region = partition.regions(r);
    for (const std::string& code : region.municipality_codes()) {
      const auto i = index.municipality(code);
      if (!i) {
        return invalid_argument(where + ": region " + quote(region.id()) + ": unknown municipality code " +
                                quote(code));
      }
      std::int32_t& slot = membership[*i];
      if (slot == r) {
        return invalid_argument(where + ": region " + quote(region.id()) + " lists municipality " +
                                quote(code) + " twice");
      }
      if (slot != kUnassigned) {
        return invalid_argument(where + ": municipality " + quote(code) + " is in two regions, " +
                                quote(partition.regions(slot).id()) + " and " + quote(region.id()));
      }
      slot = r;
    }
  }
  for (const std::string& code : partition.unassigned()) {
    const auto i = index.municipality(code);
    if (!i) {
      return invalid_argument(where + ": unassigned list: unknown municipality code " + quote(code));
    }
    if (membership[*i] != kUnassigned) {
      return invalid_argument(where + ": municipality " + quote(code) + " is listed as unassigned but is in region " +
                              quote(partition.regions(membership[*i]).id()));
    }
  }
  return membership;
}

Expected<v1::Partition> partition_from_definition(const DatasetIndex& index,
                                                  const v1::RegionDefinition& definition) {
  const std::string where = "region definition " + quote(definition.name());
  std::vector<int> region_of(index.municipality_count(), -1);
  v1::Partition partition;
  partition.set_name(definition.name());
  partition.set_source("dataset");
  partition.set_modularity(kNaN);
  partition.set_resolution(kNaN);
  for (int r = 0; r < definition.regions_size(); ++r) {
    const v1::Region& region = definition.regions(r);
    for (const std::string& code : region.municipality_codes()) {
      const auto i = index.municipality(code);
      if (!i) {
        return invalid_argument(where + ": region " + quote(region.id()) + ": unknown municipality code " +
                                quote(code));
      }
      int& slot = region_of[*i];
      if (slot == r) {
        return invalid_argument(where + ": region " + quote(region.id()) + " lists municipality " +
                                quote(code) + " twice");
      }
      if (slot != -1) {
        const std::string kind = definition.is_cover() ? "a cover with overlapping regions, not a partition"
                                                       : "not a partition";
        return failed_precondition(where + " is " + kind + ": municipality " + quote(code) +
                                   " is in regions " + quote(definition.regions(slot).id()) + " and " +
                                   quote(region.id()));
      }
      slot = r;
    }
    *partition.add_regions() = region;
  }
  for (std::size_t i = 0; i < region_of.size(); ++i) {
    if (region_of[i] == -1) partition.add_unassigned(index.municipality_at(i).code());
  }
  return partition;
}

double modularity(const Graph& graph, const Membership& membership, double resolution) {
  require_same_size(membership.size(), graph.node_count(), "modularity", "the membership",
                    "the graph's node list");
  const double m = graph.total_weight();
  if (!(m > 0.0)) return kNaN;
  const auto k = static_cast<std::size_t>(std::max(region_count(membership), 0));
  // As igraph_modularity: per region, twice the internal weight (a self-loop of
  // weight w adds 2w) and the total strength (a self-loop adds 2w), both over 2m.
  std::vector<double> internal(k, 0.0);
  std::vector<double> strength(k, 0.0);
  for (const WeightedEdge& e : graph.edges()) {
    const std::int32_t cu = membership[e.u];
    const std::int32_t cv = membership[e.v];
    if (cu >= 0) strength[static_cast<std::size_t>(cu)] += e.weight;
    if (cv >= 0) strength[static_cast<std::size_t>(cv)] += e.weight;
    if (cu >= 0 && cu == cv) internal[static_cast<std::size_t>(cu)] += 2.0 * e.weight;
  }
  const double two_m = 2.0 * m;
  double q = 0.0;
  for (std::size_t c = 0; c < k; ++c) {
    const double share = strength[c] / two_m;
    q += internal[c] / two_m;
    q -= resolution * share * share;
  }
  return q;
}

double normalized_mutual_information(const Membership& a, const Membership& b) {
  const Information info = information(a, b, "normalized_mutual_information");
  // Both trivial (one region each, or no common node): igraph's convention is 1.
  if (info.h_a == 0.0 && info.h_b == 0.0) return 1.0;
  return std::min(1.0, 2.0 * info.mutual / (info.h_a + info.h_b));
}

double adjusted_rand_index(const Membership& a, const Membership& b) {
  const Contingency table = contingency(a, b, "adjusted_rand_index");
  // Undefined for fewer than two nodes (igraph reports an error; here NaN).
  if (table.n < 2) return kNaN;
  auto pairs = [](std::int64_t c) { return static_cast<double>(c) * static_cast<double>(c - 1) / 2.0; };
  double index_sum = 0.0;
  for (const Cell& cell : table.cells) index_sum += pairs(cell.count);
  double a_sum = 0.0;
  for (std::int64_t c : table.a_sizes) a_sum += pairs(c);
  double b_sum = 0.0;
  for (std::int64_t c : table.b_sizes) b_sum += pairs(c);
  const double total = pairs(table.n);
  // Both partitions all-in-one or both all-singletons: expected index equals the
  // maximum and ARI is 0/0; igraph returns NaN there too.
  if ((a_sum == total && b_sum == total) || (a_sum == 0.0 && b_sum == 0.0)) return kNaN;
  // ARI = (index - expected) / (max - expected), expected = a_sum b_sum / C(n,2),
  // max = (a_sum + b_sum) / 2 (Hubert & Arabie 1985).
  const double expected = a_sum * b_sum / total;
  return (index_sum - expected) / (0.5 * (a_sum + b_sum) - expected);
}

double variation_of_information(const Membership& a, const Membership& b) {
  const Information info = information(a, b, "variation_of_information");
  return std::max(0.0, info.h_a + info.h_b - 2.0 * info.mutual);
}

std::vector<std::int32_t> match_regions_by_overlap(const Membership& a, std::int32_t a_regions, const Membership& b,
                                                   std::int32_t b_regions) {
  struct Overlap {
    std::int64_t nodes;
    std::int32_t a;
    std::int32_t b;
  };
  std::map<std::pair<std::int32_t, std::int32_t>, std::int64_t> shared;
  for (std::size_t v = 0; v < a.size() && v < b.size(); ++v) {
    if (a[v] == kUnassigned || b[v] == kUnassigned) continue;
    ++shared[{a[v], b[v]}];
  }
  std::vector<Overlap> overlaps;
  for (const auto& [pair, nodes] : shared) overlaps.push_back({nodes, pair.first, pair.second});
  std::stable_sort(overlaps.begin(), overlaps.end(),
                   [](const Overlap& x, const Overlap& y) { return x.nodes > y.nodes; });
  std::vector<std::int32_t> match(static_cast<std::size_t>(std::max(a_regions, 0)), -1);
  std::vector<bool> taken(static_cast<std::size_t>(std::max(b_regions, 0)), false);
  for (const Overlap& o : overlaps) {  // (a, b) order within equal counts: the map's order
    if (o.a >= a_regions || o.b >= b_regions) continue;
    if (match[static_cast<std::size_t>(o.a)] >= 0 || taken[static_cast<std::size_t>(o.b)]) continue;
    match[static_cast<std::size_t>(o.a)] = o.b;
    taken[static_cast<std::size_t>(o.b)] = true;
  }
  return match;
}

}  // namespace bre
