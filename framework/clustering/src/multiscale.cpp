#include "bre/clustering/multiscale.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>
#include <utility>

#include "bre/random.hpp"
#include "common.hpp"

namespace bre::clustering {
namespace {

std::string number_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

Status validate_share(const std::string& argument, double value, bool zero_allowed) {
  const bool ok = std::isfinite(value) && value <= 1.0 && (zero_allowed ? value >= 0.0 : value > 0.0);
  if (ok) return Status::ok();
  return invalid_argument(argument + ": expected a share in " + (zero_allowed ? "[0, 1]" : "(0, 1]") + ", found " +
                          number_text(value));
}

// Regions that hold at least one node with a tie: isolated nodes are their own
// community in every algorithm and are not regions of the network.
std::int32_t tied_region_count(const Graph& graph, const Membership& membership) {
  std::vector<char> seen(static_cast<std::size_t>(region_count(membership)), 0);
  std::int32_t count = 0;
  for (std::uint32_t v = 0; v < membership.size(); ++v) {
    if (membership[v] == kUnassigned || graph.strength(v) <= 0.0) continue;
    char& flag = seen[static_cast<std::size_t>(membership[v])];
    if (flag == 0) {
      flag = 1;
      ++count;
    }
  }
  return count;
}

// The upper envelope of the partitions' modularity lines over [low, high] (CHAMP).
// Starting from the best line at `low` (ties: the smaller expected term, then the
// earlier partition), repeatedly take the line that overtakes the current one first;
// `expected` falls strictly at every change, so this ends after at most P changes.
std::vector<ResolutionProfile::Domain> optimal_domains(const std::vector<ModularityLine>& lines, double low,
                                                       double high) {
  std::vector<ResolutionProfile::Domain> domains;
  std::size_t current = 0;
  for (std::size_t p = 1; p < lines.size(); ++p) {
    const double a = lines[p].at(low);
    const double b = lines[current].at(low);
    if (a > b || (a == b && lines[p].expected < lines[current].expected)) current = p;
  }
  double from = low;
  while (true) {
    double next_change = high;
    std::size_t next = current;
    for (std::size_t p = 0; p < lines.size(); ++p) {
      const double slope_gap = lines[current].expected - lines[p].expected;
      if (!(slope_gap > 0.0)) continue;
      const double crossing = (lines[current].internal - lines[p].internal) / slope_gap;
      if (crossing < from || crossing > next_change) continue;
      if (crossing < next_change || next == current || lines[p].expected < lines[next].expected) {
        next_change = crossing;
        next = p;
      }
    }
    if (next_change > from) domains.push_back({from, next_change, current});
    if (next == current || next_change >= high) break;
    current = next;
    from = next_change;
  }
  return domains;
}

}  // namespace

ModularityLine modularity_line(const Graph& graph, const Membership& membership) {
  const std::size_t regions = static_cast<std::size_t>(region_count(membership));
  std::vector<double> internal(regions, 0.0);
  std::vector<double> volume(regions, 0.0);
  for (const WeightedEdge& edge : graph.edges()) {
    const std::int32_t a = membership[edge.u];
    if (a == kUnassigned || a != membership[edge.v]) continue;
    internal[static_cast<std::size_t>(a)] += edge.u == edge.v ? edge.weight : 2.0 * edge.weight;
  }
  for (std::uint32_t v = 0; v < membership.size(); ++v) {
    if (membership[v] != kUnassigned) volume[static_cast<std::size_t>(membership[v])] += graph.strength(v);
  }
  const double two_m = 2.0 * graph.total_weight();
  ModularityLine line;
  for (std::size_t r = 0; r < regions; ++r) {
    line.internal += internal[r] / two_m;
    line.expected += (volume[r] / two_m) * (volume[r] / two_m);
  }
  return line;
}

std::string_view plateau_status_name(PlateauStatus status) {
  switch (status) {
    case PlateauStatus::kStable:
      return "stable";
    case PlateauStatus::kNarrow:
      return "narrow";
    case PlateauStatus::kUnstableSeeds:
      return "seeds disagree";
    case PlateauStatus::kEdgeOfRange:
      return "edge of the range";
    case PlateauStatus::kTrivial:
      return "trivial";
  }
  return "unknown";
}

double Plateau::centre() const { return std::sqrt(resolution_from * resolution_to); }

ResolutionProfile::ResolutionProfile(const Graph& graph, ResolutionProfileParameters parameters)
    : AlgorithmBase("ResolutionProfile"), graph_(&graph), parameters_(std::move(parameters)) {}

const std::vector<ProfilePoint>& ResolutionProfile::points() const {
  require_run("points");
  return points_;
}
const std::vector<Plateau>& ResolutionProfile::plateaus() const {
  require_run("plateaus");
  return plateaus_;
}
const std::vector<Membership>& ResolutionProfile::partitions() const {
  require_run("partitions");
  return partitions_;
}
const std::vector<ResolutionProfile::Domain>& ResolutionProfile::domains() const {
  require_run("domains");
  return domains_;
}
std::size_t ResolutionProfile::stable_plateau_count() const {
  require_run("stable_plateau_count");
  return static_cast<std::size_t>(
      std::count_if(plateaus_.begin(), plateaus_.end(), [](const Plateau& p) { return p.stable(); }));
}

Status ResolutionProfile::validate() const {
  const ResolutionProfileParameters& p = parameters_;
  BRE_RETURN_IF_ERROR(detail::validate_graph(*graph_, /*needs_weight=*/true));
  BRE_RETURN_IF_ERROR(detail::validate_positive("resolution_min", p.resolution_min));
  BRE_RETURN_IF_ERROR(detail::validate_positive("resolution_max", p.resolution_max));
  if (!(p.resolution_max > p.resolution_min)) {
    return invalid_argument("resolution_max: expected a resolution above resolution_min = " +
                            number_text(p.resolution_min) + ", found " + number_text(p.resolution_max) +
                            (p.resolution_max == p.resolution_min ? " (an empty range)" : " (a reversed range)"));
  }
  if (p.resolution_count < 2 || p.resolution_count > kMaxProfileResolutions) {
    return invalid_argument("resolution_count: expected a number of grid points in [2, " +
                            std::to_string(kMaxProfileResolutions) + "], found " +
                            std::to_string(p.resolution_count));
  }
  if (p.seeds < 1) return invalid_argument("seeds: expected a count >= 1, found " + std::to_string(p.seeds));
  BRE_RETURN_IF_ERROR(detail::validate_algorithms(p.algorithms));
  for (const auto& algorithm : p.algorithms) {
    if (!algorithm->has_resolution()) {
      return invalid_argument("algorithms: " + std::string(algorithm->name()) +
                              " has no resolution and cannot make a resolution profile");
    }
  }
  const double members = static_cast<double>(p.resolution_count) * static_cast<double>(p.algorithms.size()) *
                         static_cast<double>(p.seeds);
  if (members > static_cast<double>(kMaxProfileMembers)) {
    return invalid_argument("resolution_count x algorithms x seeds: expected at most " +
                            std::to_string(kMaxProfileMembers) + " members, found " + number_text(members));
  }
  BRE_RETURN_IF_ERROR(validate_share("min_seed_agreement", p.min_seed_agreement, true));
  BRE_RETURN_IF_ERROR(validate_share("same_partition_ari", p.same_partition_ari, false));
  if (!(std::isfinite(p.min_plateau_decades) && p.min_plateau_decades >= 0.0)) {
    return invalid_argument("min_plateau_decades: expected a width >= 0, found " + number_text(p.min_plateau_decades));
  }
  return Status::ok();
}

namespace {

// The grid: `count` resolutions log-spaced from low to high, ends exact whatever
// exp(log(x)) rounds to.
std::vector<double> log_grid(double low, double high, std::size_t count) {
  const double log_low = std::log(low);
  const double log_step = (std::log(high) - log_low) / static_cast<double>(count - 1);
  std::vector<double> grid(count);
  for (std::size_t k = 0; k < count; ++k) grid[k] = std::exp(log_low + log_step * static_cast<double>(k));
  grid.front() = low;
  grid.back() = high;
  return grid;
}

// Runs every member, in parallel; member t = (k * A + a) * S + s is grid point k,
// algorithm a, seed s, and writes only its own slot.
Status run_members(const Graph& graph, const ResolutionProfileParameters& p, const std::vector<double>& grid,
                   std::vector<Membership>& members) {
  const std::size_t seeds = static_cast<std::size_t>(p.seeds);
  const std::size_t per_point = p.algorithms.size() * seeds;
  members.assign(grid.size() * per_point, {});
  return detail::run_members_in_parallel(members.size(), "profile", p.cancelled, p.progress, [&](std::size_t t) {
    const double resolution = grid[t / per_point];
    const CommunityDetection& algorithm = *p.algorithms[(t / seeds) % p.algorithms.size()];
    Expected<Membership> membership = algorithm.cluster(graph, resolution, derive_seed(p.seed, t));
    if (!membership) {
      return membership.status().with_context("profile member " + std::to_string(t) + " (" +
                                              std::string(algorithm.name()) + " at resolution " +
                                              number_text(resolution) + ")");
    }
    members[t] = canonical_labels(*membership);
    return Status::ok();
  });
}

// The distinct partitions in member order, which one each member found, and each
// partition's modularity line.
struct DistinctPartitions {
  std::vector<Membership> partitions;
  std::vector<std::size_t> of_member;
  std::vector<ModularityLine> lines;
};

DistinctPartitions distinct_partitions(const Graph& graph, const std::vector<Membership>& members) {
  DistinctPartitions distinct;
  distinct.of_member.resize(members.size());
  std::map<Membership, std::size_t> index_of;
  for (std::size_t t = 0; t < members.size(); ++t) {
    auto [it, inserted] = index_of.emplace(members[t], distinct.partitions.size());
    if (inserted) distinct.partitions.push_back(members[t]);
    distinct.of_member[t] = it->second;
  }
  distinct.lines.resize(distinct.partitions.size());
  tbb::parallel_for(std::size_t{0}, distinct.partitions.size(),
                    [&](std::size_t i) { distinct.lines[i] = modularity_line(graph, distinct.partitions[i]); });
  return distinct;
}

// Mean pairwise ARI and NMI of members [first, first + count); a pair that found the
// same partition agrees fully without computing it.
std::pair<double, double> seed_agreement(const std::vector<Membership>& members, const DistinctPartitions& distinct,
                                         std::size_t first, std::size_t count) {
  double ari = 0.0;
  double nmi = 0.0;
  std::size_t pairs = 0;
  for (std::size_t a = first; a < first + count; ++a) {
    for (std::size_t b = a + 1; b < first + count; ++b) {
      const bool same = distinct.of_member[a] == distinct.of_member[b];
      ari += same ? 1.0 : adjusted_rand_index(members[a], members[b]);
      nmi += same ? 1.0 : normalized_mutual_information(members[a], members[b]);
      ++pairs;
    }
  }
  if (pairs == 0) return {1.0, 1.0};
  return {ari / static_cast<double>(pairs), nmi / static_cast<double>(pairs)};
}

// Per grid point: its best member, the spread of region counts, seed agreement, and
// the distance of its best partition to the next point's.
std::vector<ProfilePoint> profile_points(const Graph& graph, const std::vector<double>& grid, std::size_t per_point,
                                         const std::vector<Membership>& members, const DistinctPartitions& distinct) {
  std::vector<ProfilePoint> points(grid.size());
  tbb::parallel_for(std::size_t{0}, grid.size(), [&](std::size_t k) {
    ProfilePoint& point = points[k];
    point.resolution = grid[k];
    const std::size_t first = k * per_point;
    std::size_t best = first;
    point.regions_min = std::numeric_limits<std::int32_t>::max();
    for (std::size_t t = first; t < first + per_point; ++t) {
      if (distinct.lines[distinct.of_member[t]].at(grid[k]) > distinct.lines[distinct.of_member[best]].at(grid[k])) {
        best = t;
      }
      const std::int32_t regions = tied_region_count(graph, members[t]);
      point.regions_min = std::min(point.regions_min, regions);
      point.regions_max = std::max(point.regions_max, regions);
    }
    point.best_partition = distinct.of_member[best];
    point.regions = tied_region_count(graph, members[best]);
    point.modularity = distinct.lines[point.best_partition].at(grid[k]);
    std::tie(point.seed_ari, point.seed_nmi) = seed_agreement(members, distinct, first, per_point);
  });
  const double log_n = std::log(static_cast<double>(std::max<std::size_t>(graph.node_count(), 2)));
  for (std::size_t k = 0; k < points.size(); ++k) {
    points[k].vi_next = k + 1 == points.size()
                            ? std::numeric_limits<double>::quiet_NaN()
                            : variation_of_information(distinct.partitions[points[k].best_partition],
                                                       distinct.partitions[points[k + 1].best_partition]) /
                                  log_n;
  }
  return points;
}

// Consecutive domains grouped into plateaus by complete linkage: every domain of a
// plateau agrees with every other one, so a plateau cannot drift along a chain.
std::vector<std::vector<std::size_t>> group_domains(const std::vector<ResolutionProfile::Domain>& domains,
                                                    const std::vector<Membership>& partitions, double same_ari) {
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t d = 0; d < domains.size(); ++d) {
    const auto agrees = [&](std::size_t other) {
      const std::size_t a = domains[other].partition;
      const std::size_t b = domains[d].partition;
      return a == b || adjusted_rand_index(partitions[a], partitions[b]) >= same_ari;
    };
    const bool joins = !groups.empty() && std::all_of(groups.back().begin(), groups.back().end(), agrees);
    if (!joins) groups.emplace_back();
    groups.back().push_back(d);
  }
  return groups;
}

// One plateau from its group of domains; marks the grid points it holds with `index`.
Plateau make_plateau(const Graph& graph, const ResolutionProfileParameters& p, std::size_t index, std::size_t groups,
                     const std::vector<std::size_t>& group, const std::vector<ResolutionProfile::Domain>& domains,
                     const DistinctPartitions& distinct, std::vector<ProfilePoint>& points) {
  auto log_width = [&](std::size_t d) { return std::log(domains[d].resolution_to / domains[d].resolution_from); };
  Plateau plateau;
  plateau.resolution_from = domains[group.front()].resolution_from;
  plateau.resolution_to = domains[group.back()].resolution_to;
  plateau.decades = std::log10(plateau.resolution_to / plateau.resolution_from);
  plateau.domains = group.size();
  std::size_t widest = group.front();
  for (std::size_t d : group) widest = log_width(d) > log_width(widest) ? d : widest;
  plateau.partition = domains[widest].partition;
  plateau.regions = tied_region_count(graph, distinct.partitions[plateau.partition]);
  plateau.modularity = distinct.lines[plateau.partition].at(plateau.centre());
  double agreement = 0.0;
  std::size_t held = 0;
  for (ProfilePoint& point : points) {
    if (point.resolution < plateau.resolution_from || point.resolution > plateau.resolution_to) continue;
    agreement += point.seed_ari;
    ++held;
    point.plateau = static_cast<std::int32_t>(index);
  }
  if (held == 0) {  // narrower than the grid: the grid point nearest its centre
    std::size_t nearest = 0;
    for (std::size_t k = 1; k < points.size(); ++k) {
      if (std::abs(std::log(points[k].resolution / plateau.centre())) <
          std::abs(std::log(points[nearest].resolution / plateau.centre()))) {
        nearest = k;
      }
    }
    agreement = points[nearest].seed_ari;
    held = 1;
  }
  plateau.seed_ari = agreement / static_cast<double>(held);
  std::size_t tied_nodes = 0;
  for (std::uint32_t v = 0; v < graph.node_count(); ++v) tied_nodes += graph.strength(v) > 0.0 ? 1 : 0;
  if (plateau.regions < 2 || 2 * static_cast<std::size_t>(plateau.regions) > tied_nodes) {
    plateau.status = PlateauStatus::kTrivial;
  } else if (index == 0 || index + 1 == groups) {
    plateau.status = PlateauStatus::kEdgeOfRange;
  } else if (plateau.decades < p.min_plateau_decades) {
    plateau.status = PlateauStatus::kNarrow;
  } else if (plateau.seed_ari < p.min_seed_agreement) {
    plateau.status = PlateauStatus::kUnstableSeeds;
  }
  return plateau;
}

// Width ranks among the stable plateaus: wider first, then higher seed agreement,
// then the finer one (a tie in both is rare and must still be decided).
void rank_stable_plateaus(std::vector<Plateau>& plateaus) {
  std::vector<std::size_t> stable;
  for (std::size_t i = 0; i < plateaus.size(); ++i) {
    if (plateaus[i].stable()) stable.push_back(i);
  }
  std::stable_sort(stable.begin(), stable.end(), [&](std::size_t a, std::size_t b) {
    if (plateaus[a].decades != plateaus[b].decades) return plateaus[a].decades > plateaus[b].decades;
    if (plateaus[a].seed_ari != plateaus[b].seed_ari) return plateaus[a].seed_ari > plateaus[b].seed_ari;
    return plateaus[a].regions > plateaus[b].regions;
  });
  for (std::size_t r = 0; r < stable.size(); ++r) plateaus[stable[r]].width_rank = static_cast<std::int32_t>(r + 1);
}

}  // namespace

Status ResolutionProfile::run() {
  set_has_run(false);
  BRE_RETURN_IF_ERROR(validate());
  const Graph& graph = *graph_;
  const ResolutionProfileParameters& p = parameters_;
  const std::vector<double> grid =
      log_grid(p.resolution_min, p.resolution_max, static_cast<std::size_t>(p.resolution_count));
  std::vector<Membership> members;
  BRE_RETURN_IF_ERROR(run_members(graph, p, grid, members));
  DistinctPartitions distinct = distinct_partitions(graph, members);
  const std::size_t per_point = p.algorithms.size() * static_cast<std::size_t>(p.seeds);
  std::vector<ProfilePoint> points = profile_points(graph, grid, per_point, members, distinct);
  std::vector<Domain> domains = optimal_domains(distinct.lines, p.resolution_min, p.resolution_max);
  const std::vector<std::vector<std::size_t>> groups = group_domains(domains, distinct.partitions, p.same_partition_ari);
  std::vector<Plateau> plateaus;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    plateaus.push_back(make_plateau(graph, p, i, groups.size(), groups[i], domains, distinct, points));
  }
  rank_stable_plateaus(plateaus);

  points_ = std::move(points);
  plateaus_ = std::move(plateaus);
  partitions_ = std::move(distinct.partitions);
  domains_ = std::move(domains);
  set_has_run(true);
  return Status::ok();
}

Expected<ScaleRequest::Kind> parse_scale_kind(const std::string& text) {
  if (text == "auto") return ScaleRequest::Kind::kAuto;
  if (text == "finest_stable") return ScaleRequest::Kind::kFinestStable;
  if (text == "coarsest_stable") return ScaleRequest::Kind::kCoarsestStable;
  if (text == "regions") return ScaleRequest::Kind::kRegions;
  if (text == "rank") return ScaleRequest::Kind::kRank;
  return invalid_argument("scale: expected \"auto\", \"finest_stable\", \"coarsest_stable\", \"regions\" or \"rank\", "
                          "found \"" + text + "\"");
}

namespace {

// The resolutions an ensemble at a plateau runs at: the grid points inside it, else
// its geometric centre.
std::vector<double> plateau_resolutions(const ResolutionProfile& profile, std::size_t plateau) {
  std::vector<double> resolutions;
  for (const ProfilePoint& point : profile.points()) {
    if (point.plateau == static_cast<std::int32_t>(plateau)) resolutions.push_back(point.resolution);
  }
  if (resolutions.empty()) resolutions.push_back(profile.plateaus()[plateau].centre());
  return resolutions;
}

/// `value` with `digits` significant digits, with a decimal comma in Dutch.
std::string significant(double value, int digits, Language language) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
  return decimal_notation(language, buffer);
}

std::string plateau_text(const Plateau& plateau, Language language) {
  return std::to_string(plateau.regions) + text_in(language, " regio's bij resolutie ", " regions at resolution ") +
         significant(plateau.resolution_from, 3, language) + "-" + significant(plateau.resolution_to, 3, language);
}

}  // namespace

Expected<SelectedScale> select_scale(const ResolutionProfile& profile, const ScaleRequest& request) {
  using Kind = ScaleRequest::Kind;
  if (request.kind == Kind::kRegions && request.target_regions < 2) {
    return invalid_argument("target_regions: expected a region count >= 2, found " +
                            std::to_string(request.target_regions));
  }
  if (request.kind == Kind::kRank && request.rank < 1) {
    return invalid_argument("plateau_rank: expected a rank >= 1, found " + std::to_string(request.rank));
  }
  const std::vector<Plateau>& plateaus = profile.plateaus();
  const std::vector<ProfilePoint>& points = profile.points();
  // Stable plateaus by width rank: index r holds rank r + 1.
  std::vector<std::size_t> by_rank(profile.stable_plateau_count());
  for (std::size_t i = 0; i < plateaus.size(); ++i) {
    if (plateaus[i].stable()) by_rank[static_cast<std::size_t>(plateaus[i].width_rank - 1)] = i;
  }
  SelectedScale selected;
  std::int32_t chosen = -1;
  auto better_by_rank = [&](std::size_t a, std::size_t b) { return plateaus[a].width_rank < plateaus[b].width_rank; };
  switch (request.kind) {
    case Kind::kAuto:
    case Kind::kRank: {
      const std::size_t rank = request.kind == Kind::kAuto ? 1 : static_cast<std::size_t>(request.rank);
      if (rank <= by_rank.size()) {
        chosen = static_cast<std::int32_t>(by_rank[rank - 1]);
      } else if (!by_rank.empty()) {
        selected.warnings.push_back("plateau_rank " + std::to_string(rank) +
                                    text_in(request.language, ": het profiel heeft maar ",
                                                            ": the profile has only ") +
                                    std::to_string(by_rank.size()) +
                                    text_in(request.language, " stabiele plateaus", " stable plateaus"));
      }
      break;
    }
    case Kind::kFinestStable:
    case Kind::kCoarsestStable:
      for (std::size_t i : by_rank) {
        if (chosen < 0) {
          chosen = static_cast<std::int32_t>(i);
          continue;
        }
        const std::int32_t regions = plateaus[i].regions;
        const std::int32_t best = plateaus[static_cast<std::size_t>(chosen)].regions;
        const bool finer = regions > best;
        const bool coarser = regions < best;
        if ((request.kind == Kind::kFinestStable && finer) || (request.kind == Kind::kCoarsestStable && coarser)) {
          chosen = static_cast<std::int32_t>(i);
        }
      }
      break;
    case Kind::kRegions:
      for (std::size_t i : by_rank) {
        const std::int32_t gap = std::abs(plateaus[i].regions - request.target_regions);
        if (chosen < 0) {
          chosen = static_cast<std::int32_t>(i);
          continue;
        }
        const std::size_t c = static_cast<std::size_t>(chosen);
        const std::int32_t best_gap = std::abs(plateaus[c].regions - request.target_regions);
        if (gap < best_gap || (gap == best_gap && better_by_rank(i, c))) chosen = static_cast<std::int32_t>(i);
      }
      if (chosen >= 0 && plateaus[static_cast<std::size_t>(chosen)].regions != request.target_regions) {
        selected.warnings.push_back(
            "target_regions " + std::to_string(request.target_regions) +
            text_in(request.language, ": geen stabiel plateau heeft zoveel regio's; het dichtstbijzijnde is ",
                                    ": no stable plateau has that many regions; the nearest is ") +
            plateau_text(plateaus[static_cast<std::size_t>(chosen)], request.language));
      }
      break;
  }

  if (chosen >= 0) {
    const std::size_t c = static_cast<std::size_t>(chosen);
    selected.plateau = chosen;
    selected.partition = plateaus[c].partition;
    selected.resolutions = plateau_resolutions(profile, c);
    for (std::size_t i : by_rank) {  // widest first
      if (plateaus[i].regions < plateaus[c].regions) {
        selected.coarser_plateau = static_cast<std::int32_t>(i);
        break;
      }
    }
    return selected;
  }

  // Fallback: no stable plateau satisfies the request.
  std::size_t fallback = 0;
  for (std::size_t k = 1; k < points.size(); ++k) {
    const bool nearer =
        request.kind == Kind::kRegions
            ? std::abs(points[k].regions - request.target_regions) <
                  std::abs(points[fallback].regions - request.target_regions)
            : std::abs(std::log(points[k].resolution)) < std::abs(std::log(points[fallback].resolution));
    if (nearer) fallback = k;
  }
  selected.partition = points[fallback].best_partition;
  selected.resolutions = {points[fallback].resolution};
  const Language language = request.language;
  const std::string range = "[" + significant(points.front().resolution, 4, language) + text_in(language, "; ", ", ") +
                            significant(points.back().resolution, 4, language) + "]";
  const std::string fallback_resolution = significant(points[fallback].resolution, 4, language);
  const std::string fallback_regions = std::to_string(points[fallback].regions);
  selected.warnings.push_back(
      language == Language::kDutch
          ? (by_rank.empty() ? "het resolutieprofiel toont geen stabiel plateau in " : "geen stabiel plateau voldoet aan "
                                                                                        "het verzoek in ") +
                range + "; daarom de beste partitie bij resolutie " + fallback_resolution + " (" + fallback_regions +
                " regio's)"
          : (by_rank.empty() ? "the resolution profile shows no stable plateau in " : "no stable plateau satisfies the "
                                                                                       "request in ") +
                range + "; falling back to the best partition at resolution " + fallback_resolution + " (" +
                fallback_regions + " regions)");
  return selected;
}

}  // namespace bre::clustering
