#include "dus.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <utility>

#include "bre/partition.hpp"
#include "indicator_table.hpp"

namespace bre::indicator {
namespace {

struct Centroid {
  double x;
  double y;
};

// Area-weighted centroid of the polygons (outer rings minus holes), shoelace formula.
std::optional<Centroid> centroid_from_geometry(const v1::MultiPolygon& geometry) {
  double area_sum = 0.0, cx = 0.0, cy = 0.0;
  auto add_ring = [&](const v1::Ring& ring, double sign) {
    const int n = ring.points_size();
    double a = 0.0, x = 0.0, y = 0.0;
    for (int i = 0; i < n; ++i) {
      const v1::Point& p = ring.points(i);
      const v1::Point& q = ring.points((i + 1) % n);
      const double cross = p.x() * q.y() - q.x() * p.y();
      a += cross;
      x += (p.x() + q.x()) * cross;
      y += (p.y() + q.y()) * cross;
    }
    // Orientation-free: each ring adds |area| with the sign of outer (+) or hole (-).
    const double orientation = a < 0.0 ? -1.0 : 1.0;
    area_sum += sign * orientation * a / 2.0;
    cx += sign * orientation * x / 6.0;
    cy += sign * orientation * y / 6.0;
  };
  for (const v1::Polygon& polygon : geometry.polygons()) {
    if (polygon.outer().points_size() >= 3) add_ring(polygon.outer(), 1.0);
    for (const v1::Ring& hole : polygon.holes()) {
      if (hole.points_size() >= 3) add_ring(hole, -1.0);
    }
  }
  if (!(area_sum > 0.0)) return std::nullopt;
  return Centroid{cx / area_sum, cy / area_sum};
}

std::optional<Centroid> centroid_of(const v1::Municipality& m) {
  if (m.has_centroid()) return Centroid{m.centroid().x(), m.centroid().y()};
  return centroid_from_geometry(m.geometry());
}

// Circular statistics of weighted compass bearings.
struct BearingSums {
  double cos_sum = 0.0;
  double sin_sum = 0.0;
  double persons = 0.0;
  void add(double bearing_radians, double weight) {
    cos_sum += weight * std::cos(bearing_radians);
    sin_sum += weight * std::sin(bearing_radians);
    persons += weight;
  }
  double resultant_length() const {
    return persons > 0.0 ? std::hypot(cos_sum, sin_sum) / persons : kNaN;
  }
  double mean_bearing_degrees() const {
    if (!(persons > 0.0) || (cos_sum == 0.0 && sin_sum == 0.0)) return kNaN;
    double degrees = std::atan2(sin_sum, cos_sum) * 180.0 / std::numbers::pi;
    if (degrees < 0.0) degrees += 360.0;
    return degrees;
  }
};

Status check_parameters(const DusParameters& p) {
  if (p.top_destinations < 1 || p.top_destinations > 20) {
    return invalid_argument("parameter 'top_destinations': expected an integer in [1, 20], found " +
                            std::to_string(p.top_destinations));
  }
  for (const auto& [name, value] : {std::pair{"cover_threshold", p.cover_threshold},
                                    std::pair{"contain_threshold", p.contain_threshold}}) {
    if (!(value > 0.0 && value <= 1.0)) {
      return invalid_argument(std::string("parameter '") + name + "': expected a share in (0, 1], found " +
                              std::to_string(value));
    }
  }
  return Status::ok();
}

}  // namespace

Expected<OverlapWeight> parse_overlap_weight(const std::string& text) {
  if (text == "population") return OverlapWeight::kPopulation;
  if (text == "municipalities") return OverlapWeight::kMunicipalities;
  return invalid_argument("parameter 'overlap_weight': expected population or municipalities, found '" + text +
                          "'");
}

DailyUrbanSystem::DailyUrbanSystem(const DatasetIndex& index, const v1::Partition& bre, const v1::Partition* dus,
                                   DusParameters parameters)
    : AlgorithmBase("DailyUrbanSystem"), index_(&index), bre_(&bre), dus_(dus), parameters_(parameters) {}

Status DailyUrbanSystem::run() {
  set_has_run(false);
  table_.Clear();
  agreement_.Clear();
  comparison_.Clear();
  warnings_.clear();
  BRE_RETURN_IF_ERROR(check_parameters(parameters_));
  if (bre_->regions_size() == 0) {
    return failed_precondition("BRE partition '" + bre_->name() + "' has no regions");
  }
  Expected<Membership> bre_membership = membership_of(*index_, *bre_);
  if (!bre_membership) return bre_membership.status().with_context("BRE partition '" + bre_->name() + "'");
  std::optional<Membership> dus_membership;
  if (dus_ != nullptr) {
    if (dus_->regions_size() == 0) return failed_precondition("DUS partition '" + dus_->name() + "' has no regions");
    Expected<Membership> m = membership_of(*index_, *dus_);
    if (!m) return m.status().with_context("DUS partition '" + dus_->name() + "'");
    dus_membership = std::move(*m);
  }
  const Membership& region_of = *bre_membership;
  const std::size_t n = index_->municipality_count();
  const std::size_t k = static_cast<std::size_t>(bre_->regions_size());
  const std::size_t unassigned_destination = k;  // destination column for "unassigned"

  std::vector<std::optional<Centroid>> centroids(n);
  for (std::size_t i = 0; i < n; ++i) centroids[i] = centroid_of(index_->municipality_at(i));

  // Flows in dataset order: a fixed order for every sum.
  std::vector<double> commuters(k, 0.0), inside(k, 0.0);
  std::vector<std::vector<double>> to_region(k, std::vector<double>(k + 1, 0.0));
  std::vector<BearingSums> bearings(k);
  BearingSums national_bearings;
  double persons_without_bearing = 0.0;
  const v1::Dataset& dataset = index_->dataset();
  for (int f = 0; f < dataset.commuting_flows_size(); ++f) {
    const v1::CommutingFlow& flow = dataset.commuting_flows(f);
    const auto home = index_->municipality(flow.home_code());
    const auto work = index_->municipality(flow.work_code());
    // Only an error needs the flow's name: no string building per flow.
    auto where = [&flow, f] {
      return "commuting_flows[" + std::to_string(f) + "] (" + flow.home_code() + " -> " + flow.work_code() + ")";
    };
    if (!home || !work) {
      return invalid_argument(where() + ": unknown municipality code '" + (home ? flow.work_code() : flow.home_code()) +
                              "'");
    }
    if (!std::isfinite(flow.persons()) || flow.persons() < 0.0) {
      return invalid_argument(where() + ": persons: expected a finite number >= 0, found " +
                              std::to_string(flow.persons()));
    }
    const std::int32_t from = region_of[*home];
    if (from == kUnassigned) continue;
    const auto b = static_cast<std::size_t>(from);
    const std::int32_t to = region_of[*work];
    commuters[b] += flow.persons();
    if (to == from) {
      inside[b] += flow.persons();
      continue;
    }
    to_region[b][to == kUnassigned ? unassigned_destination : static_cast<std::size_t>(to)] += flow.persons();
    const auto& c_home = centroids[*home];
    const auto& c_work = centroids[*work];
    if (!c_home || !c_work || (c_home->x == c_work->x && c_home->y == c_work->y)) {
      persons_without_bearing += flow.persons();
      continue;
    }
    // Compass bearing: clockwise from north, so east is atan2(dx, dy) = 90 degrees.
    const double bearing = std::atan2(c_work->x - c_home->x, c_work->y - c_home->y);
    bearings[b].add(bearing, flow.persons());
    national_bearings.add(bearing, flow.persons());
  }

  // Overlaps with the DUS regions.
  const std::size_t kd = dus_ != nullptr ? static_cast<std::size_t>(dus_->regions_size()) : 0;
  std::vector<std::vector<double>> overlap_weight(k, std::vector<double>(kd, 0.0));
  std::vector<std::vector<std::int64_t>> overlap_count(k, std::vector<std::int64_t>(kd, 0));
  std::vector<double> dus_weight(kd, 0.0);
  std::vector<std::int64_t> dus_size(kd, 0), bre_size(k, 0);
  std::vector<double> bre_dus_assigned_weight(k, 0.0);
  // Weighting by inhabitants needs inhabitants: a dataset without any (the public
  // 2016 data has none) is weighted by municipalities, and says so.
  bool by_population = parameters_.overlap_weight == OverlapWeight::kPopulation;
  if (by_population && dus_membership) {
    bool any_population = false;
    for (std::size_t i = 0; i < n && !any_population; ++i) any_population = index_->municipality_at(i).population() > 0;
    if (!any_population) {
      by_population = false;
      warnings_.push_back("overlap_weight population: the dataset gives no population; BRE and DUS overlaps are "
                          "counted in municipalities instead");
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double w = by_population
                         ? static_cast<double>(std::max<std::int64_t>(index_->municipality_at(i).population(), 0))
                         : 1.0;
    const std::int32_t b = region_of[i];
    if (b != kUnassigned) ++bre_size[static_cast<std::size_t>(b)];
    if (!dus_membership) continue;
    const std::int32_t d = (*dus_membership)[i];
    if (d == kUnassigned) continue;
    dus_weight[static_cast<std::size_t>(d)] += w;
    ++dus_size[static_cast<std::size_t>(d)];
    if (b == kUnassigned) continue;
    overlap_weight[static_cast<std::size_t>(b)][static_cast<std::size_t>(d)] += w;
    ++overlap_count[static_cast<std::size_t>(b)][static_cast<std::size_t>(d)];
    bre_dus_assigned_weight[static_cast<std::size_t>(b)] += w;
  }

  // Table layout.
  table_.set_name("dus");
  table_.set_partition_name(bre_->name());
  std::vector<std::string> destinations;
  for (const v1::Region& region : bre_->regions()) destinations.push_back(region.id());
  destinations.push_back("unassigned");
  std::vector<std::string> dus_ids;
  if (dus_ != nullptr) {
    for (const v1::Region& region : dus_->regions()) dus_ids.push_back(region.id());
  }
  const int c_members = add_column(table_, "n_municipalities", "Municipalities", "count",
                                   "Municipalities in the region (DOMAIN.md §5).");
  const int c_commuters = add_column(table_, "commuters", "Commuters", "persons",
                                     "Persons living in the region, with work anywhere (home = work included).");
  const int c_sc = add_column(table_, "self_containment", "Self-containment", "share (0-1)",
                              "Persons living and working in the region / persons living in it; NaN when none "
                              "(DOMAIN.md §5). National row: pooled over the regions.");
  const int c_out = add_column(table_, "outgoing", "Outgoing commuters", "persons",
                               "Persons living in the region and working outside it.");
  const int c_ndest = add_column(table_, "destination_regions", "Destination regions", "count",
                                 "Regions (and 'unassigned') receiving outgoing commuters.");
  const int c_eff = add_column(table_, "effective_destinations", "Effective number of destinations", "count",
                               "1 / sum of squared destination shares of the outgoing commuters: 1 = all go to "
                               "one region; NaN without outgoing commuters.");
  std::vector<int> c_top_region, c_top_share;
  for (int t = 1; t <= parameters_.top_destinations; ++t) {
    const std::string rank = std::to_string(t);
    c_top_region.push_back(add_column(table_, "top" + rank + "_destination", "Destination " + rank, "region",
                                      "The region receiving the " + rank +
                                          ". most outgoing commuters (ties: region order); empty when fewer "
                                          "destinations.",
                                      destinations));
    c_top_share.push_back(add_column(table_, "top" + rank + "_share", "Share to destination " + rank,
                                     "share (0-1)", "Share of the outgoing commuters going to destination " +
                                                        rank + "."));
  }
  const int c_bearing = add_column(table_, "bearing_mean", "Mean bearing", "degrees (0 = north, 90 = east)",
                                   "Person-weighted circular mean of the compass bearings of outgoing flows, "
                                   "home centroid to work centroid (DOMAIN.md §5); NaN when R = 0.");
  const int c_r = add_column(table_, "bearing_resultant_length", "Mean resultant length R", "0-1",
                             "R = |sum F e^(i theta)| / sum F over outgoing flows: 1 = all leave in one "
                             "direction, 0 = pulled apart evenly.");
  const int c_spread = add_column(table_, "bearing_spread", "Circular spread", "0-1",
                                  "1 - R: how far outgoing commuting is pulled apart in different directions.");
  int c_best = -1, c_jaccard = -1, c_n_dus = -1, c_cover = -1, c_contain = -1, c_label = -1;
  if (dus_ != nullptr) {
    c_best = add_column(table_, "dus_best_match", "Best-matching DUS region", "region",
                        "The DUS region of highest Jaccard overlap with the region (municipality counts).",
                        dus_ids);
    c_jaccard = add_column(table_, "dus_best_jaccard", "Best-match Jaccard", "0-1",
                           "|B cap D| / |B cup D| for the best-matching DUS region D.");
    c_n_dus = add_column(table_, "dus_regions", "DUS regions overlapping", "count",
                         "DUS regions with at least one municipality in the region.");
    c_cover = add_column(table_, "dus_cover", "Cover by dominant DUS", "share (0-1)",
                         "w(B cap D*) / w(B assigned to a DUS region), D* the DUS region of largest overlap "
                         "weight (population or municipalities, parameter overlap_weight).");
    c_contain = add_column(table_, "dus_containment", "Containment of dominant DUS", "share (0-1)",
                           "w(B cap D*) / w(D*): the share of the dominant DUS region inside the region.");
    c_label = add_column(table_, "label", "DUS label", "",
                         "interregional when dus_containment < contain_threshold, else subregional when "
                         "dus_cover < cover_threshold, else regional (DOMAIN.md §5).",
                         {kDusLabels[0], kDusLabels[1], kDusLabels[2]});
  }

  std::vector<std::int64_t> label_counts(3, 0);
  double pooled_commuters = 0.0, pooled_inside = 0.0;
  for (std::size_t b = 0; b < k; ++b) {
    const v1::Region& region = bre_->regions(static_cast<int>(b));
    v1::IndicatorRow& row = add_row(table_, region.id(), region.name());
    auto set = [&row](int column, double value) { row.set_values(column, value); };
    set(c_members, static_cast<double>(bre_size[b]));
    set(c_commuters, commuters[b]);
    set(c_sc, ratio_or_nan(inside[b], commuters[b]));
    const double outgoing = commuters[b] - inside[b];
    set(c_out, outgoing);
    pooled_commuters += commuters[b];
    pooled_inside += inside[b];

    std::vector<std::size_t> order;
    double concentration = 0.0;
    for (std::size_t d = 0; d <= k; ++d) {
      if (to_region[b][d] > 0.0) {
        order.push_back(d);
        const double share = to_region[b][d] / outgoing;
        concentration += share * share;
      }
    }
    set(c_ndest, static_cast<double>(order.size()));
    set(c_eff, concentration > 0.0 ? 1.0 / concentration : kNaN);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return to_region[b][x] > to_region[b][y]; });
    for (std::size_t t = 0; t < c_top_region.size() && t < order.size(); ++t) {
      set(c_top_region[t], static_cast<double>(order[t]));
      set(c_top_share[t], to_region[b][order[t]] / outgoing);
    }
    const double r = bearings[b].resultant_length();
    set(c_bearing, bearings[b].mean_bearing_degrees());
    set(c_r, r);
    set(c_spread, 1.0 - r);

    if (dus_ != nullptr) {
      std::optional<std::size_t> best, dominant;
      double best_jaccard = 0.0;
      std::int64_t overlapping = 0;
      for (std::size_t d = 0; d < kd; ++d) {
        if (overlap_count[b][d] == 0) continue;
        ++overlapping;
        const double jaccard = static_cast<double>(overlap_count[b][d]) /
                               static_cast<double>(bre_size[b] + dus_size[d] - overlap_count[b][d]);
        if (!best || jaccard > best_jaccard) {
          best = d;
          best_jaccard = jaccard;
        }
        if (!dominant || overlap_weight[b][d] > overlap_weight[b][*dominant]) dominant = d;
      }
      set(c_n_dus, static_cast<double>(overlapping));
      if (best) {
        set(c_best, static_cast<double>(*best));
        set(c_jaccard, best_jaccard);
      }
      if (dominant) {
        const double cover = ratio_or_nan(overlap_weight[b][*dominant], bre_dus_assigned_weight[b]);
        const double contain = ratio_or_nan(overlap_weight[b][*dominant], dus_weight[*dominant]);
        set(c_cover, cover);
        set(c_contain, contain);
        if (std::isfinite(cover) && std::isfinite(contain)) {
          const int label = contain < parameters_.contain_threshold ? 2
                            : cover < parameters_.cover_threshold   ? 0
                                                                    : 1;
          set(c_label, label);
          ++label_counts[static_cast<std::size_t>(label)];
        }
      }
    }
  }
  v1::IndicatorRow& nl = add_row(table_, "NL", "Nederland", true);
  nl.set_values(c_members, static_cast<double>(n));
  nl.set_values(c_commuters, pooled_commuters);
  nl.set_values(c_sc, ratio_or_nan(pooled_inside, pooled_commuters));
  nl.set_values(c_out, pooled_commuters - pooled_inside);
  const double national_r = national_bearings.resultant_length();
  nl.set_values(c_bearing, national_bearings.mean_bearing_degrees());
  nl.set_values(c_r, national_r);
  nl.set_values(c_spread, 1.0 - national_r);

  if (dus_ != nullptr) {
    comparison_.set_partition_a(bre_->name());
    comparison_.set_partition_b(dus_->name());
    comparison_.set_nmi(normalized_mutual_information(region_of, *dus_membership));
    comparison_.set_adjusted_rand(adjusted_rand_index(region_of, *dus_membership));
    comparison_.set_variation_of_information(variation_of_information(region_of, *dus_membership));
    for (int b = 0; b < table_.rows_size(); ++b) {
      const double best = table_.rows(b).values(c_best);
      if (!std::isfinite(best)) continue;
      v1::RegionMatch* match = comparison_.add_matches_a_to_b();
      match->set_region_id(table_.rows(b).region_id());
      match->set_best_match_region_id(dus_ids[static_cast<std::size_t>(best)]);
      match->set_jaccard(table_.rows(b).values(c_jaccard));
    }
    agreement_.set_name("dus_agreement");
    agreement_.set_partition_name(bre_->name());
    const int a_bre = add_column(agreement_, "bre_regions", "BRE regions", "count", "Regions of the BRE partition.");
    const int a_dus = add_column(agreement_, "dus_regions", "DUS regions", "count", "Regions of the DUS partition.");
    const int a_nmi = add_column(agreement_, "nmi", "NMI", "0-1",
                                 "Normalised mutual information of the two partitions over the municipalities "
                                 "assigned in both (DOMAIN.md §2, §5).");
    const int a_ari = add_column(agreement_, "adjusted_rand", "Adjusted Rand index", "-1..1",
                                 "Adjusted Rand index of the two partitions (Hubert & Arabie 1985).");
    const int a_vi = add_column(agreement_, "variation_of_information", "Variation of information", "nats",
                                "VI = H(A) + H(B) - 2 I(A;B) (Meila 2007).");
    std::vector<int> a_labels;
    for (const char* label : kDusLabels) {
      a_labels.push_back(add_column(agreement_, std::string("n_") + label, std::string("BREs ") + label, "count",
                                    std::string("BREs labelled ") + label + "."));
    }
    v1::IndicatorRow& row = add_row(agreement_, "NL", "Nederland", true);
    row.set_values(a_bre, static_cast<double>(k));
    row.set_values(a_dus, static_cast<double>(kd));
    row.set_values(a_nmi, comparison_.nmi());
    row.set_values(a_ari, comparison_.adjusted_rand());
    row.set_values(a_vi, comparison_.variation_of_information());
    for (std::size_t l = 0; l < a_labels.size(); ++l) {
      row.set_values(a_labels[l], static_cast<double>(label_counts[l]));
    }
  }
  if (persons_without_bearing > 0.0) {
    // "%.0f", not llround: the sum of many flows of up to 10^12 persons can pass 2^63.
    char persons[32];
    std::snprintf(persons, sizeof persons, "%.0f", persons_without_bearing);
    warnings_.push_back(std::string(persons) +
                        " outgoing commuters have no bearing (a municipality without centroid or geometry, or "
                        "equal centroids) and are left out of the bearing columns");
  }
  const std::size_t unassigned = static_cast<std::size_t>(std::count(region_of.begin(), region_of.end(), kUnassigned));
  if (unassigned > 0) {
    warnings_.push_back(std::to_string(unassigned) + " of " + std::to_string(n) +
                        " municipalities are in no region of partition '" + bre_->name() +
                        "': their residents are left out, and flows to them count as going to 'unassigned'");
  }
  set_has_run(true);
  return Status::ok();
}

const v1::IndicatorTable& DailyUrbanSystem::table() const {
  require_run("table");
  return table_;
}
const v1::IndicatorTable& DailyUrbanSystem::agreement_table() const {
  require_run("agreement_table");
  return agreement_;
}
const v1::PartitionComparison& DailyUrbanSystem::comparison() const {
  require_run("comparison");
  return comparison_;
}
const std::vector<std::string>& DailyUrbanSystem::warnings() const {
  require_run("warnings");
  return warnings_;
}

}  // namespace bre::indicator
