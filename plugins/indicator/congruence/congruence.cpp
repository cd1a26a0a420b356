#include "congruence.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bre/graph.hpp"
#include "bre/partition.hpp"
#include "indicator_table.hpp"

namespace bre::indicator {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class FormGroup { kNone, kInformal, kNetwork, kPrivateLaw, kWgr };

FormGroup form_group(v1::LegalForm form) {
  switch (form) {
    case v1::LEGAL_FORM_INFORMAL:
      return FormGroup::kInformal;
    case v1::LEGAL_FORM_NETWORK:
      return FormGroup::kNetwork;
    case v1::LEGAL_FORM_PRIVATE_LAW:
      return FormGroup::kPrivateLaw;
    case v1::LEGAL_FORM_WGR_PUBLIC_BODY:
    case v1::LEGAL_FORM_WGR_COMMON_BODY:
    case v1::LEGAL_FORM_WGR_CENTRAL_MUNICIPALITY:
    case v1::LEGAL_FORM_WGR_BUSINESS_OPERATIONS:
    case v1::LEGAL_FORM_WGR_LIGHT:
    case v1::LEGAL_FORM_WGR_UNSPECIFIED:  // a Wgr arrangement whose form the source does not say
      return FormGroup::kWgr;
    default:
      return FormGroup::kNone;  // unspecified or a value this build does not know
  }
}

// Counts over A(B); the national row adds the regions' tallies.
struct ArrangementTally {
  std::int64_t arrangements = 0;
  std::int64_t complete = 0;          // C2 numerator
  std::int64_t unclassified = 0;      // arrangements without policy domain: unknown, not 0
  std::int64_t tasks = 0;             // (arrangement, domain) pairs of the classified ones
  std::int64_t bundled_tasks = 0;     // of those, in arrangements with two or more domains
  std::int64_t informal = 0, network = 0, private_law = 0, wgr = 0;

  void add(std::size_t domain_count, v1::LegalForm form) {
    ++arrangements;
    if (domain_count == 0) ++unclassified;
    tasks += static_cast<std::int64_t>(domain_count);
    if (domain_count >= 2) bundled_tasks += static_cast<std::int64_t>(domain_count);
    switch (form_group(form)) {
      case FormGroup::kInformal: ++informal; break;
      case FormGroup::kNetwork: ++network; break;
      case FormGroup::kPrivateLaw: ++private_law; break;
      case FormGroup::kWgr: ++wgr; break;
      case FormGroup::kNone: break;
    }
  }

  void add(const ArrangementTally& other) {
    arrangements += other.arrangements;
    complete += other.complete;
    unclassified += other.unclassified;
    tasks += other.tasks;
    bundled_tasks += other.bundled_tasks;
    informal += other.informal;
    network += other.network;
    private_law += other.private_law;
    wgr += other.wgr;
  }

  double share(std::int64_t count) const {
    return arrangements == 0 ? kNaN : static_cast<double>(count) / static_cast<double>(arrangements);
  }
  // The share of the tasks that sit in multi-domain arrangements (see congruence.hpp).
  double functional_integrality() const {
    return tasks == 0 ? kNaN : static_cast<double>(bundled_tasks) / static_cast<double>(tasks);
  }
};

double ratio_or_nan(double numerator, double denominator) {
  return denominator == 0.0 ? kNaN : numerator / denominator;
}

// What each column of kCongruenceColumns holds, in the same order.
struct ColumnDoc {
  Bilingual label;
  const char* unit;
  Bilingual doc;
};

const ColumnDoc kColumnDocs[] = {
    {{"Gemeenten", "Municipalities"}, "count",
     {"Aantal gemeenten in de regio.", "Number of municipalities in the region."}},
    {{"Samenwerkingsverbanden", "Arrangements"}, "count",
     {"|A(B)|: samenwerkingsverbanden van de getelde soorten waarin ten minste twee gemeenten van de regio "
      "deelnemen; een verband telt eenmaal mee in elke regio waar het twee deelnemers heeft, dus NL is het "
      "aantal paren (regio, samenwerkingsverband).",
      "|A(B)|: arrangements of the counted kinds in which at least two of the region's municipalities take "
      "part; an arrangement counts once in every region where it has two members, so NL is the number of "
      "(region, arrangement) pairs."}},
    {{"Congruentie 1 (territoriaal)", "Congruence 1 (territorial)"}, "share (0-1)",
     {"C1 = 2 W_in(B) / vol(B) op het samenwerkingsnetwerk met de gekozen weging: het aandeel van het "
      "bandgewicht van de gemeenten dat binnen de regio blijft; NaN als vol(B) = 0.",
      "C1 = 2 W_in(B) / vol(B) on the cooperation network with the chosen weighting: the share of the "
      "members' tie weight that stays inside the region; NaN when vol(B) = 0."}},
    {{"Congruentie 2 (volledige deelname)", "Congruence 2 (complete participation)"}, "share (0-1)",
     {"C2 = aandeel van A(B) waarin alle gemeenten van de regio deelnemen; NaN als A(B) leeg is.",
      "C2 = share of A(B) in which all municipalities of the region take part; NaN when A(B) is empty."}},
    {{"Functionele integraliteit", "Functional integrality"}, "share (0-1)",
     {"FI = aandeel van de taken van de regio, de paren (samenwerkingsverband, beleidsdomein) van A(B), dat "
      "in verbanden voor twee of meer domeinen zit: 1 = elke taak is gebundeld met een ander domein, 0 = elk "
      "verband dient één domein. Verbanden zonder domein zijn onbekend en tellen niet mee (n_unclassified); "
      "NaN als geen verband van A(B) een domein heeft.",
      "FI = share of the region's tasks, the (arrangement, policy domain) pairs of A(B), that sit in "
      "arrangements serving two or more domains: 1 = every task is bundled with another domain, 0 = every "
      "arrangement serves one domain. Arrangements without domain are unknown and left out "
      "(n_unclassified); NaN when no arrangement of A(B) has a domain."}},
    {{"Aandeel informeel", "Share informal"}, "share (0-1)",
     {"Aandeel van A(B) met rechtsvorm informeel (convenant, bestuursovereenkomst); een onbekende rechtsvorm "
      "telt in geen van de vier aandelen mee, dus hun som kan kleiner zijn dan 1; NaN als A(B) leeg is.",
      "Share of A(B) with legal form informal (covenant, administrative agreement); an unspecified legal "
      "form counts in none of the four shares, so they may sum to less than 1; NaN when A(B) is empty."}},
    {{"Aandeel netwerk", "Share network"}, "share (0-1)",
     {"Aandeel van A(B) met rechtsvorm netwerk (platform zonder rechtspersoonlijkheid); NaN als A(B) leeg is.",
      "Share of A(B) with legal form network (platform without legal personality); NaN when A(B) is empty."}},
    {{"Aandeel privaatrechtelijk", "Share private law"}, "share (0-1)",
     {"Aandeel van A(B) dat privaatrechtelijk is georganiseerd (stichting, vereniging, vennootschap); NaN als "
      "A(B) leeg is.",
      "Share of A(B) organised under private law (foundation, association, company); NaN when A(B) is "
      "empty."}},
    {{"Aandeel Wgr", "Share Wgr"}, "share (0-1)",
     {"Aandeel van A(B) op grond van de Wet gemeenschappelijke regelingen: elke rechtsvorm WGR_*, ook een "
      "gemeenschappelijke regeling van onbekend type; NaN als A(B) leeg is.",
      "Share of A(B) based on the Joint Arrangements Act: every WGR_* legal form, a Wgr arrangement of "
      "unspecified type included; NaN when A(B) is empty."}},
    {{"Samenwerkingsverbanden zonder domein", "Arrangements without domain"}, "count",
     {"Samenwerkingsverbanden van A(B) zonder beleidsdomein: onbekend, niet meegeteld in de functionele "
      "integraliteit.",
      "Arrangements of A(B) without policy domain: unknown, left out of functional integrality."}},
};
static_assert(std::size(kColumnDocs) == std::size(kCongruenceColumns));

// Every column's doc ends with what the national row holds: the regions pooled.
void add_columns(v1::IndicatorTable& table, Language language) {
  const Bilingual national{
      " Landelijke rij NL: de regio's samen, de som van de tellers van de regiorijen gedeeld door de som van hun "
      "noemers (DOMAIN.md §3).",
      " National row NL: the regions pooled, the sum of the region rows' numerators over the sum of their "
      "denominators (DOMAIN.md §3)."};
  for (std::size_t c = 0; c < std::size(kColumnDocs); ++c) {
    const ColumnDoc& column = kColumnDocs[c];
    add_column(table, language, kCongruenceColumns[c], column.label, column.unit,
               {column.doc.nl + national.nl, column.doc.en + national.en});
  }
}

void fill_values(v1::IndicatorRow& row, double n_municipalities, const ArrangementTally& tally, double c1) {
  row.add_values(n_municipalities);
  row.add_values(static_cast<double>(tally.arrangements));
  row.add_values(c1);
  row.add_values(tally.share(tally.complete));
  row.add_values(tally.functional_integrality());
  row.add_values(tally.share(tally.informal));
  row.add_values(tally.share(tally.network));
  row.add_values(tally.share(tally.private_law));
  row.add_values(tally.share(tally.wgr));
  row.add_values(static_cast<double>(tally.unclassified));
}

// The members, volume vol(B) and internal weight W_in(B) of each region, for C1:
// sizes and volumes in node order, internal weight in edge order, a fixed order so
// the sums are the same on every run.
struct RegionTies {
  std::vector<std::int64_t> members;
  std::vector<double> volume;
  std::vector<double> internal_weight;
  std::int64_t unassigned = 0;
};

RegionTies region_ties(const Graph& graph, const Membership& membership, std::size_t k) {
  RegionTies ties;
  ties.members.assign(k, 0);
  ties.volume.assign(k, 0.0);
  ties.internal_weight.assign(k, 0.0);
  for (std::size_t i = 0; i < membership.size(); ++i) {
    const std::int32_t r = membership[i];
    if (r == kUnassigned) {
      ++ties.unassigned;
      continue;
    }
    ++ties.members[static_cast<std::size_t>(r)];
    ties.volume[static_cast<std::size_t>(r)] += graph.strength(static_cast<std::uint32_t>(i));
  }
  for (const WeightedEdge& edge : graph.edges()) {
    const std::int32_t ru = membership[edge.u];
    if (ru != kUnassigned && ru == membership[edge.v]) {
      ties.internal_weight[static_cast<std::size_t>(ru)] += edge.weight;
    }
  }
  return ties;
}

// The distinct municipalities taking part in an arrangement, in node order.
Expected<std::vector<std::size_t>> participants_of(const DatasetIndex& index, const v1::Arrangement& arrangement) {
  std::vector<std::size_t> participants;
  for (const std::string& code : arrangement.municipality_codes()) {
    std::optional<std::size_t> m = index.municipality(code);
    if (!m) {
      return invalid_argument("arrangement '" + arrangement.id() + "': unknown municipality code '" + code + "'");
    }
    participants.push_back(*m);
  }
  std::sort(participants.begin(), participants.end());
  participants.erase(std::unique(participants.begin(), participants.end()), participants.end());
  return participants;
}

// A(B) per region, and how many counted arrangements have two municipalities anywhere.
struct ArrangementTallies {
  std::vector<ArrangementTally> regional;
  std::int64_t counted = 0;
  std::int64_t unclassified = 0;  // of those, without policy domain
};

// Adds an arrangement to A(B) of every region in which at least two of its
// participants lie, and counts it complete (C2) where all of B's members take part.
void add_to_regions(const std::vector<std::size_t>& participants, const Membership& membership,
                    std::size_t domain_count, v1::LegalForm form, const std::vector<std::int64_t>& members,
                    std::vector<ArrangementTally>& regional) {
  std::vector<std::int32_t> regions_of_participants;
  for (std::size_t m : participants) {
    if (membership[m] != kUnassigned) regions_of_participants.push_back(membership[m]);
  }
  std::sort(regions_of_participants.begin(), regions_of_participants.end());
  for (std::size_t begin = 0; begin < regions_of_participants.size();) {
    std::size_t end = begin;
    while (end < regions_of_participants.size() && regions_of_participants[end] == regions_of_participants[begin]) {
      ++end;
    }
    const auto r = static_cast<std::size_t>(regions_of_participants[begin]);
    const auto taking_part = static_cast<std::int64_t>(end - begin);
    if (taking_part >= 2) {
      regional[r].add(domain_count, form);
      if (taking_part == members[r]) ++regional[r].complete;
    }
    begin = end;
  }
}

Expected<ArrangementTallies> tally_arrangements(const DatasetIndex& index, const Membership& membership,
                                                const std::vector<std::int64_t>& members,
                                                const CongruenceOptions& options) {
  ArrangementTallies tallies;
  tallies.regional.resize(members.size());
  for (const v1::Arrangement& arrangement : index.dataset().arrangements()) {
    if (!counts_as_cooperation(arrangement, options)) continue;
    Expected<std::vector<std::size_t>> participants = participants_of(index, arrangement);
    if (!participants) return participants.status();
    if (participants->size() < 2) continue;
    std::set<std::string> domains;
    for (const std::string& domain : arrangement.policy_domains()) {
      if (!domain.empty()) domains.insert(domain);
    }
    ++tallies.counted;
    if (domains.empty()) ++tallies.unclassified;
    add_to_regions(*participants, membership, domains.size(), arrangement.legal_form(), members, tallies.regional);
  }
  return tallies;
}

// One row per region (C1, C2, FI, legal-form mix), then the national row "NL": the
// regions pooled, every ratio the sum of the rows' numerators over the sum of their
// denominators, so that it has one definition for all columns.
v1::IndicatorTable congruence_table(const v1::Partition& partition, const RegionTies& ties,
                                    const ArrangementTallies& tallies, Language language) {
  v1::IndicatorTable table;
  table.set_name("congruence");
  table.set_partition_name(partition.name());
  add_columns(table, language);
  double pooled_internal = 0.0;
  double pooled_volume = 0.0;
  std::int64_t pooled_members = 0;
  ArrangementTally pooled;
  for (std::size_t r = 0; r < tallies.regional.size(); ++r) {
    const v1::Region& region = partition.regions(static_cast<int>(r));
    const ArrangementTally& tally = tallies.regional[r];
    v1::IndicatorRow* row = table.add_rows();
    row->set_region_id(region.id());
    row->set_region_name(region.name());
    const double twice_internal = 2.0 * ties.internal_weight[r];
    fill_values(*row, static_cast<double>(ties.members[r]), tally, ratio_or_nan(twice_internal, ties.volume[r]));
    pooled_internal += twice_internal;
    pooled_volume += ties.volume[r];
    pooled_members += ties.members[r];
    pooled.add(tally);
  }
  v1::IndicatorRow* nl = table.add_summary_rows();
  nl->set_region_id("NL");
  nl->set_region_name("Nederland");
  fill_values(*nl, static_cast<double>(pooled_members), pooled, ratio_or_nan(pooled_internal, pooled_volume));
  return table;
}

}  // namespace

Expected<CongruenceResult> compute_congruence(const DatasetIndex& index,
                                              const v1::Partition& partition,
                                              const CongruenceOptions& options, Language language) {
  if (options.kinds.empty()) {
    return invalid_argument("parameter 'kinds': expected at least one arrangement kind, found none");
  }
  if (partition.regions_size() == 0) {
    return failed_precondition("partition '" + partition.name() +
                               "' has no regions; congruence needs at least one");
  }
  Expected<Membership> membership = membership_of(index, partition);
  if (!membership) return membership.status().with_context("partition '" + partition.name() + "'");
  Expected<Graph> graph = build_cooperation_network(index, options);
  if (!graph) return graph.status().with_context("cooperation network");
  const std::size_t n = index.municipality_count();
  if (membership->size() != n || graph->node_count() != n) {
    return internal_error("membership (" + std::to_string(membership->size()) + ") or network (" +
                          std::to_string(graph->node_count()) + ") size differs from the " +
                          std::to_string(n) + " municipalities of the dataset");
  }

  const RegionTies ties = region_ties(*graph, *membership, static_cast<std::size_t>(partition.regions_size()));
  Expected<ArrangementTallies> tallies = tally_arrangements(index, *membership, ties.members, options);
  if (!tallies) return tallies.status();
  CongruenceResult result;
  result.table = congruence_table(partition, ties, *tallies, language);
  if (ties.unassigned > 0) {
    const std::string counts = std::to_string(ties.unassigned) + text_in(language, " van ", " of ") +
                               std::to_string(n);
    result.warnings.push_back(Bilingual{counts + " gemeenten liggen in geen regio van partitie '" + partition.name() +
                                            "' en tellen niet mee in de regiorijen",
                                        counts + " municipalities are in no region of partition '" +
                                            partition.name() + "' and are left out of the region rows"}
                                  .in(language));
  }
  if (tallies->unclassified > 0) {
    const std::string counts = std::to_string(tallies->unclassified) +
                               text_in(language, " van ", " of ") + std::to_string(tallies->counted);
    result.warnings.push_back(
        Bilingual{counts + " getelde samenwerkingsverbanden hebben geen beleidsdomein: hun domeinen zijn onbekend, "
                           "dus tellen ze niet mee in de functionele integraliteit (kolom n_unclassified)",
                  counts + " counted arrangements have no policy domain: their domains are unknown, so they "
                           "are left out of functional integrality (column n_unclassified)"}
            .in(language));
  }
  if (tallies->counted == 0) {
    std::string kinds;
    for (v1::ArrangementKind kind : options.kinds) {
      kinds += (kinds.empty() ? "" : ", ") + arrangement_kind_name(kind);
    }
    result.warnings.push_back(Bilingual{"geen samenwerkingsverband van de soort [" + kinds +
                                            "] heeft twee of meer gemeenten: elke verhouding is NaN",
                                        "no arrangement of kind [" + kinds +
                                            "] has two or more municipalities: every ratio is NaN"}
                                  .in(language));
  }
  return result;
}

}  // namespace bre::indicator
