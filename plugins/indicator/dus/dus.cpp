#include "dus.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <numbers>
#include <optional>
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

// Commuting out of each BRE (DOMAIN.md §5), summed over the flows in dataset order so
// every sum has one order: persons living in the BRE, those also working in it, the
// outgoing ones by destination region (the last column: unassigned), and the compass
// bearings of outgoing flows.
struct Commuting {
  std::vector<double> commuters, inside;
  std::vector<std::vector<double>> to_region;
  std::vector<BearingSums> bearings;
  BearingSums national_bearings;
  double persons_without_bearing = 0.0;
};

Expected<Commuting> tally_commuting(const DatasetIndex& index, const Membership& region_of, std::size_t regions) {
  const std::size_t n = index.municipality_count();
  std::vector<std::optional<Centroid>> centroids(n);
  for (std::size_t i = 0; i < n; ++i) centroids[i] = centroid_of(index.municipality_at(i));
  Commuting c;
  c.commuters.assign(regions, 0.0);
  c.inside.assign(regions, 0.0);
  c.to_region.assign(regions, std::vector<double>(regions + 1, 0.0));
  c.bearings.resize(regions);
  const v1::Dataset& dataset = index.dataset();
  for (int f = 0; f < dataset.commuting_flows_size(); ++f) {
    const v1::CommutingFlow& flow = dataset.commuting_flows(f);
    const auto home = index.municipality(flow.home_code());
    const auto work = index.municipality(flow.work_code());
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
    c.commuters[b] += flow.persons();
    if (to == from) {
      c.inside[b] += flow.persons();
      continue;
    }
    c.to_region[b][to == kUnassigned ? regions : static_cast<std::size_t>(to)] += flow.persons();
    const auto& c_home = centroids[*home];
    const auto& c_work = centroids[*work];
    if (!c_home || !c_work || (c_home->x == c_work->x && c_home->y == c_work->y)) {
      c.persons_without_bearing += flow.persons();
      continue;
    }
    // Compass bearing: clockwise from north, so east is atan2(dx, dy) = 90 degrees.
    const double bearing = std::atan2(c_work->x - c_home->x, c_work->y - c_home->y);
    c.bearings[b].add(bearing, flow.persons());
    c.national_bearings.add(bearing, flow.persons());
  }
  return c;
}

// How the BREs and the DUS regions overlap, in municipalities and in the overlap
// weight (inhabitants or municipalities).
struct Overlaps {
  std::vector<std::vector<double>> weight;         // [BRE][DUS region]
  std::vector<std::vector<std::int64_t>> count;    // [BRE][DUS region]
  std::vector<double> dus_weight;                  // per DUS region
  std::vector<std::int64_t> dus_size, bre_size;    // municipalities
  std::vector<double> bre_weight_in_a_dus_region;  // per BRE
};

Overlaps overlaps(const DatasetIndex& index, const Membership& region_of, std::size_t regions,
                  const std::optional<Membership>& dus_of, std::size_t dus_regions, bool by_population) {
  Overlaps o;
  o.weight.assign(regions, std::vector<double>(dus_regions, 0.0));
  o.count.assign(regions, std::vector<std::int64_t>(dus_regions, 0));
  o.dus_weight.assign(dus_regions, 0.0);
  o.dus_size.assign(dus_regions, 0);
  o.bre_size.assign(regions, 0);
  o.bre_weight_in_a_dus_region.assign(regions, 0.0);
  for (std::size_t i = 0; i < index.municipality_count(); ++i) {
    const double w = by_population
                         ? static_cast<double>(std::max<std::int64_t>(index.municipality_at(i).population(), 0))
                         : 1.0;
    const std::int32_t b = region_of[i];
    if (b != kUnassigned) ++o.bre_size[static_cast<std::size_t>(b)];
    if (!dus_of) continue;
    const std::int32_t d = (*dus_of)[i];
    if (d == kUnassigned) continue;
    o.dus_weight[static_cast<std::size_t>(d)] += w;
    ++o.dus_size[static_cast<std::size_t>(d)];
    if (b == kUnassigned) continue;
    o.weight[static_cast<std::size_t>(b)][static_cast<std::size_t>(d)] += w;
    ++o.count[static_cast<std::size_t>(b)][static_cast<std::size_t>(d)];
    o.bre_weight_in_a_dus_region[static_cast<std::size_t>(b)] += w;
  }
  return o;
}

// The columns of the "dus" table; the DUS ones are -1 without a DUS partition.
struct DusColumns {
  int members, commuters, self_containment, outgoing, destinations, effective_destinations;
  std::vector<int> top_region, top_share;
  int bearing, resultant, spread;
  int best = -1, jaccard = -1, dus_regions = -1, cover = -1, containment = -1, label = -1;
};

DusColumns add_dus_columns(v1::IndicatorTable& table, const v1::Partition& bre, const v1::Partition* dus,
                           int top_destinations, Language l) {
  table.set_name("dus");
  table.set_partition_name(bre.name());
  std::vector<std::string> destinations;
  for (const v1::Region& region : bre.regions()) destinations.push_back(region.id());
  destinations.push_back("unassigned");
  DusColumns c;
  c.members = add_column(table, l, "n_municipalities", {"Gemeenten", "Municipalities"}, "count",
                         {"Gemeenten in de regio (DOMAIN.md §5).", "Municipalities in the region (DOMAIN.md §5)."});
  c.commuters = add_column(table, l, "commuters", {"Pendelaars", "Commuters"}, "persons",
                           {"Personen die in de regio wonen en ergens werken (wonen = werken inbegrepen).",
                            "Persons living in the region, with work anywhere (home = work included)."});
  c.self_containment = add_column(
      table, l, "self_containment", {"Zelfvoorzienendheid", "Self-containment"}, "share (0-1)",
      {"Personen die in de regio wonen en werken / personen die er wonen; NaN als er geen zijn (DOMAIN.md §5). "
       "Landelijke rij: over de regio's samen.",
       "Persons living and working in the region / persons living in it; NaN when none (DOMAIN.md §5). National "
       "row: pooled over the regions."});
  c.outgoing = add_column(table, l, "outgoing", {"Uitgaande pendelaars", "Outgoing commuters"}, "persons",
                          {"Personen die in de regio wonen en erbuiten werken.",
                           "Persons living in the region and working outside it."});
  c.destinations = add_column(table, l, "destination_regions", {"Bestemmingsregio's", "Destination regions"}, "count",
                              {"Regio's (en 'unassigned') die uitgaande pendelaars ontvangen.",
                               "Regions (and 'unassigned') receiving outgoing commuters."});
  c.effective_destinations = add_column(
      table, l, "effective_destinations", {"Effectief aantal bestemmingen", "Effective number of destinations"},
      "count",
      {"1 / som van de gekwadrateerde bestemmingsaandelen van de uitgaande pendelaars: 1 = allen gaan naar één "
       "regio; NaN zonder uitgaande pendelaars.",
       "1 / sum of squared destination shares of the outgoing commuters: 1 = all go to one region; NaN without "
       "outgoing commuters."});
  // A count of regions in its unit, but a real number: shown with decimals.
  table.mutable_columns(c.effective_destinations)->set_kind(v1::VALUE_KIND_MEASURE);
  for (int t = 1; t <= top_destinations; ++t) {
    const std::string rank = std::to_string(t);
    c.top_region.push_back(add_column(
        table, l, "top" + rank + "_destination", {"Bestemming " + rank, "Destination " + rank}, "region",
        {"De regio die de " + rank + "e meeste uitgaande pendelaars ontvangt (gelijkspel: volgorde van de regio's); "
         "leeg bij minder bestemmingen.",
         "The region receiving the " + rank + ". most outgoing commuters (ties: region order); empty when fewer "
         "destinations."},
        destinations));
    c.top_share.push_back(add_column(table, l, "top" + rank + "_share",
                                     {"Aandeel naar bestemming " + rank, "Share to destination " + rank},
                                     "share (0-1)",
                                     {"Aandeel van de uitgaande pendelaars dat naar bestemming " + rank + " gaat.",
                                      "Share of the outgoing commuters going to destination " + rank + "."}));
  }
  c.bearing = add_column(table, l, "bearing_mean", {"Gemiddelde richting", "Mean bearing"},
                         "degrees (0 = north, 90 = east)",
                         {"Naar personen gewogen circulair gemiddelde van de kompasrichtingen van de uitgaande "
                          "stromen, van zwaartepunt woongemeente naar zwaartepunt werkgemeente (DOMAIN.md §5); NaN "
                          "als R = 0.",
                          "Person-weighted circular mean of the compass bearings of outgoing flows, home centroid to "
                          "work centroid (DOMAIN.md §5); NaN when R = 0."});
  c.resultant = add_column(table, l, "bearing_resultant_length",
                           {"Gemiddelde resultante lengte R", "Mean resultant length R"}, "0-1",
                           {"R = |som F e^(i theta)| / som F over de uitgaande stromen: 1 = allen vertrekken in één "
                            "richting, 0 = gelijk uiteengetrokken.",
                            "R = |sum F e^(i theta)| / sum F over outgoing flows: 1 = all leave in one direction, "
                            "0 = pulled apart evenly."});
  c.spread = add_column(table, l, "bearing_spread", {"Circulaire spreiding", "Circular spread"}, "0-1",
                        {"1 - R: hoe ver het uitgaande woon-werkverkeer in verschillende richtingen uiteen wordt "
                         "getrokken.",
                         "1 - R: how far outgoing commuting is pulled apart in different directions."});
  if (dus == nullptr) return c;
  std::vector<std::string> dus_ids;
  for (const v1::Region& region : dus->regions()) dus_ids.push_back(region.id());
  c.best = add_column(table, l, "dus_best_match", {"Best passende DUS-regio", "Best-matching DUS region"}, "region",
                      {"De DUS-regio met de hoogste Jaccard-overlap met de regio (aantallen gemeenten).",
                       "The DUS region of highest Jaccard overlap with the region (municipality counts)."},
                      dus_ids);
  c.jaccard = add_column(table, l, "dus_best_jaccard", {"Jaccard van de beste match", "Best-match Jaccard"}, "0-1",
                         {"|B cap D| / |B cup D| voor de best passende DUS-regio D.",
                          "|B cap D| / |B cup D| for the best-matching DUS region D."});
  c.dus_regions = add_column(table, l, "dus_regions", {"Overlappende DUS-regio's", "DUS regions overlapping"},
                             "count",
                             {"DUS-regio's met ten minste één gemeente in de regio.",
                              "DUS regions with at least one municipality in the region."});
  c.cover = add_column(table, l, "dus_cover", {"Dekking door dominante DUS", "Cover by dominant DUS"}, "share (0-1)",
                       {"w(B cap D*) / w(B ingedeeld in een DUS-regio), D* de DUS-regio met het grootste "
                        "overlapgewicht (inwoners of gemeenten, parameter overlap_weight).",
                        "w(B cap D*) / w(B assigned to a DUS region), D* the DUS region of largest overlap weight "
                        "(population or municipalities, parameter overlap_weight)."});
  c.containment = add_column(table, l, "dus_containment",
                             {"Insluiting van dominante DUS", "Containment of dominant DUS"}, "share (0-1)",
                             {"w(B cap D*) / w(D*): het aandeel van de dominante DUS-regio binnen de regio.",
                              "w(B cap D*) / w(D*): the share of the dominant DUS region inside the region."});
  c.label = add_column(table, l, "label", {"DUS-label", "DUS label"}, "",
                       {"interregionaal als dus_containment < contain_threshold, anders subregionaal als dus_cover < "
                        "cover_threshold, anders regionaal (DOMAIN.md §5).",
                        "interregional when dus_containment < contain_threshold, else subregional when dus_cover < "
                        "cover_threshold, else regional (DOMAIN.md §5)."},
                       {kDusLabels[0], kDusLabels[1], kDusLabels[2]});
  return c;
}

// Self-containment and external orientation of BRE `b`: how many leave, to how many
// regions, the largest destinations and the spread of their bearings.
void set_orientation(v1::IndicatorRow& row, const DusColumns& c, const Commuting& commuting, std::size_t b,
                     std::int64_t members) {
  const double outgoing = commuting.commuters[b] - commuting.inside[b];
  row.set_values(c.members, static_cast<double>(members));
  row.set_values(c.commuters, commuting.commuters[b]);
  row.set_values(c.self_containment, ratio_or_nan(commuting.inside[b], commuting.commuters[b]));
  row.set_values(c.outgoing, outgoing);
  const std::vector<double>& to_region = commuting.to_region[b];
  std::vector<std::size_t> order;
  double concentration = 0.0;
  for (std::size_t d = 0; d < to_region.size(); ++d) {
    if (to_region[d] > 0.0) {
      order.push_back(d);
      const double share = to_region[d] / outgoing;
      concentration += share * share;
    }
  }
  row.set_values(c.destinations, static_cast<double>(order.size()));
  row.set_values(c.effective_destinations, concentration > 0.0 ? 1.0 / concentration : kNaN);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return to_region[x] > to_region[y]; });
  for (std::size_t t = 0; t < c.top_region.size() && t < order.size(); ++t) {
    row.set_values(c.top_region[t], static_cast<double>(order[t]));
    row.set_values(c.top_share[t], to_region[order[t]] / outgoing);
  }
  const double r = commuting.bearings[b].resultant_length();
  row.set_values(c.bearing, commuting.bearings[b].mean_bearing_degrees());
  row.set_values(c.resultant, r);
  row.set_values(c.spread, 1.0 - r);
}

// The DUS regions BRE `b` overlaps: its best match by Jaccard, and its label from the
// dominant DUS region's cover and containment. Returns the label (0-2), or -1.
int set_dus_match(v1::IndicatorRow& row, const DusColumns& c, const Overlaps& o, std::size_t b,
                  const DusParameters& parameters) {
  std::optional<std::size_t> best, dominant;
  double best_jaccard = 0.0;
  std::int64_t overlapping = 0;
  for (std::size_t d = 0; d < o.dus_size.size(); ++d) {
    if (o.count[b][d] == 0) continue;
    ++overlapping;
    const double jaccard =
        static_cast<double>(o.count[b][d]) / static_cast<double>(o.bre_size[b] + o.dus_size[d] - o.count[b][d]);
    if (!best || jaccard > best_jaccard) {
      best = d;
      best_jaccard = jaccard;
    }
    if (!dominant || o.weight[b][d] > o.weight[b][*dominant]) dominant = d;
  }
  row.set_values(c.dus_regions, static_cast<double>(overlapping));
  if (best) {
    row.set_values(c.best, static_cast<double>(*best));
    row.set_values(c.jaccard, best_jaccard);
  }
  if (!dominant) return -1;
  const double cover = ratio_or_nan(o.weight[b][*dominant], o.bre_weight_in_a_dus_region[b]);
  const double contain = ratio_or_nan(o.weight[b][*dominant], o.dus_weight[*dominant]);
  row.set_values(c.cover, cover);
  row.set_values(c.containment, contain);
  if (!std::isfinite(cover) || !std::isfinite(contain)) return -1;
  const int label = contain < parameters.contain_threshold ? 2 : cover < parameters.cover_threshold ? 0 : 1;
  row.set_values(c.label, label);
  return label;
}

// The national row: pooled self-containment and the bearings of all outgoing flows.
void add_national_row(v1::IndicatorTable& table, const DusColumns& c, const Commuting& commuting,
                      std::size_t municipalities) {
  double pooled_commuters = 0.0, pooled_inside = 0.0;
  for (std::size_t b = 0; b < commuting.commuters.size(); ++b) {
    pooled_commuters += commuting.commuters[b];
    pooled_inside += commuting.inside[b];
  }
  v1::IndicatorRow& nl = add_row(table, "NL", "Nederland", true);
  nl.set_values(c.members, static_cast<double>(municipalities));
  nl.set_values(c.commuters, pooled_commuters);
  nl.set_values(c.self_containment, ratio_or_nan(pooled_inside, pooled_commuters));
  nl.set_values(c.outgoing, pooled_commuters - pooled_inside);
  const double national_r = commuting.national_bearings.resultant_length();
  nl.set_values(c.bearing, commuting.national_bearings.mean_bearing_degrees());
  nl.set_values(c.resultant, national_r);
  nl.set_values(c.spread, 1.0 - national_r);
}

// NMI, ARI and VI of the BRE and DUS partitions, and each BRE's best DUS match.
void compare_partitions(v1::PartitionComparison& comparison, const v1::Partition& bre, const v1::Partition& dus,
                        const Membership& region_of, const Membership& dus_of, const v1::IndicatorTable& table,
                        const DusColumns& columns) {
  comparison.set_partition_a(bre.name());
  comparison.set_partition_b(dus.name());
  comparison.set_nmi(normalized_mutual_information(region_of, dus_of));
  comparison.set_adjusted_rand(adjusted_rand_index(region_of, dus_of));
  comparison.set_variation_of_information(variation_of_information(region_of, dus_of));
  for (int b = 0; b < table.rows_size(); ++b) {
    const double best = table.rows(b).values(columns.best);
    if (!std::isfinite(best)) continue;
    v1::RegionMatch* match = comparison.add_matches_a_to_b();
    match->set_region_id(table.rows(b).region_id());
    match->set_best_match_region_id(dus.regions(static_cast<int>(best)).id());
    match->set_jaccard(table.rows(b).values(columns.jaccard));
  }
}

// The "dus_agreement" table: one national row of the partitions' agreement and the
// number of BREs with each label.
void fill_agreement_table(v1::IndicatorTable& agreement, const v1::Partition& bre, const v1::Partition& dus,
                          const v1::PartitionComparison& comparison, const std::vector<std::int64_t>& label_counts,
                          Language l) {
  agreement.set_name("dus_agreement");
  agreement.set_partition_name(bre.name());
  const int a_bre = add_column(agreement, l, "bre_regions", {"BRE-regio's", "BRE regions"}, "count",
                               {"Regio's van de BRE-partitie.", "Regions of the BRE partition."});
  const int a_dus = add_column(agreement, l, "dus_regions", {"DUS-regio's", "DUS regions"}, "count",
                               {"Regio's van de DUS-partitie.", "Regions of the DUS partition."});
  const int a_nmi = add_column(agreement, l, "nmi", {"NMI", "NMI"}, "0-1",
                               {"Genormaliseerde wederzijdse informatie van de twee partities over de gemeenten die in "
                                "beide zijn ingedeeld (DOMAIN.md §2, §5).",
                                "Normalised mutual information of the two partitions over the municipalities "
                                "assigned in both (DOMAIN.md §2, §5)."});
  const int a_ari = add_column(agreement, l, "adjusted_rand", {"Adjusted Rand index", "Adjusted Rand index"}, "-1..1",
                               {"Adjusted Rand index van de twee partities (Hubert & Arabie 1985).",
                                "Adjusted Rand index of the two partitions (Hubert & Arabie 1985)."});
  const int a_vi = add_column(agreement, l, "variation_of_information",
                              {"Variatie van informatie", "Variation of information"}, "nats",
                              {"Variatie van informatie VI = H(A) + H(B) - 2 I(A;B) (Meila 2007).", "VI = H(A) + H(B) - 2 I(A;B) (Meila 2007)."});
  std::vector<int> a_labels;
  for (const char* label : kDusLabels) {
    a_labels.push_back(add_column(agreement, l, std::string("n_") + label,
                                  {std::string("BRE's ") + label, std::string("BREs ") + label}, "count",
                                  {std::string("BRE's met label ") + label + ".", std::string("BREs labelled ") + label + "."}));
  }
  v1::IndicatorRow& row = add_row(agreement, "NL", "Nederland", true);
  row.set_values(a_bre, static_cast<double>(bre.regions_size()));
  row.set_values(a_dus, static_cast<double>(dus.regions_size()));
  row.set_values(a_nmi, comparison.nmi());
  row.set_values(a_ari, comparison.adjusted_rand());
  row.set_values(a_vi, comparison.variation_of_information());
  for (std::size_t l = 0; l < a_labels.size(); ++l) row.set_values(a_labels[l], static_cast<double>(label_counts[l]));
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

// DailyUrbanSystem::run in the order of DOMAIN.md §5: commuting out of each BRE (its
// self-containment and external orientation), its overlap with the DUS regions and
// their label, the national row, and the agreement of the two partitions.
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
  Expected<Commuting> commuting = tally_commuting(*index_, region_of, k);
  if (!commuting) return commuting.status();
  const Overlaps overlap = overlaps(*index_, region_of, k, dus_membership,
                                    dus_ != nullptr ? static_cast<std::size_t>(dus_->regions_size()) : 0,
                                    overlap_by_population(dus_membership.has_value()));

  const Language language = parameters_.language;
  const DusColumns columns = add_dus_columns(table_, *bre_, dus_, parameters_.top_destinations, language);
  std::vector<std::int64_t> label_counts(3, 0);
  for (std::size_t b = 0; b < k; ++b) {
    const v1::Region& region = bre_->regions(static_cast<int>(b));
    v1::IndicatorRow& row = add_row(table_, region.id(), region.name());
    set_orientation(row, columns, *commuting, b, overlap.bre_size[b]);
    if (dus_ == nullptr) continue;
    const int label = set_dus_match(row, columns, overlap, b, parameters_);
    if (label >= 0) ++label_counts[static_cast<std::size_t>(label)];
  }
  add_national_row(table_, columns, *commuting, n);
  if (dus_ != nullptr) {
    compare_partitions(comparison_, *bre_, *dus_, region_of, *dus_membership, table_, columns);
    fill_agreement_table(agreement_, *bre_, *dus_, comparison_, label_counts, language);
  }
  if (commuting->persons_without_bearing > 0.0) {
    // "%.0f", not llround: the sum of many flows of up to 10^12 persons can pass 2^63.
    char persons[32];
    std::snprintf(persons, sizeof persons, "%.0f", commuting->persons_without_bearing);
    warnings_.push_back(std::string(persons) +
                        text_in(language,
                                " uitgaande pendelaars hebben geen richting (een gemeente zonder zwaartepunt of "
                                "geometrie, of gelijke zwaartepunten) en tellen niet mee in de richtingkolommen",
                                " outgoing commuters have no bearing (a municipality without centroid or geometry, or "
                                "equal centroids) and are left out of the bearing columns"));
  }
  const std::size_t unassigned = static_cast<std::size_t>(std::count(region_of.begin(), region_of.end(), kUnassigned));
  if (unassigned > 0) {
    const std::string counts = std::to_string(unassigned) + text_in(language, " van ", " of ") + std::to_string(n);
    warnings_.push_back(Bilingual{counts + " gemeenten liggen in geen regio van partitie '" + bre_->name() +
                                      "': hun inwoners tellen niet mee, en stromen naar hen gaan naar 'unassigned'",
                                  counts + " municipalities are in no region of partition '" + bre_->name() +
                                      "': their residents are left out, and flows to them count as going to "
                                      "'unassigned'"}
                            .in(language));
  }
  set_has_run(true);
  return Status::ok();
}

// Weighting by inhabitants needs inhabitants: a dataset without any (the public 2016
// data has none) is weighted by municipalities, and says so.
bool DailyUrbanSystem::overlap_by_population(bool has_dus) {
  if (parameters_.overlap_weight != OverlapWeight::kPopulation) return false;
  if (!has_dus) return true;
  for (std::size_t i = 0; i < index_->municipality_count(); ++i) {
    if (index_->municipality_at(i).population() > 0) return true;
  }
  warnings_.push_back(text_in(parameters_.language,
                              "overlap_weight population: de dataset geeft geen inwonertallen; de overlap van BRE en "
                              "DUS wordt daarom in gemeenten geteld",
                              "overlap_weight population: the dataset gives no population; BRE and DUS overlaps are "
                              "counted in municipalities instead"));
  return false;
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
