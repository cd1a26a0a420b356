// Partition comparison and quality (DOMAIN.md §2). Sums run in node order or in the
// sorted order of contingency cells, so results are the same on every thread.
// Reference results: NMI, ARI and VI against igraph_compare_communities, best-match
// Jaccard and disagreement against hand-computed values (tests/framework/test_compare.cpp).
#include "bre/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "bre/region_constraints.hpp"
#include "bre/value_kind.hpp"
#include "bre/io.hpp"  // format_csv_number

namespace bre {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string join_limited(const std::vector<std::string>& codes, std::size_t limit = 10) {
  std::string text;
  for (std::size_t i = 0; i < codes.size() && i < limit; ++i) text += (i == 0 ? "" : ", ") + codes[i];
  if (codes.size() > limit) text += ", ... (" + std::to_string(codes.size()) + " in all)";
  return text;
}

// Best match of each region of `from` in `to` from the contingency cells (from, to)
// -> count over compared nodes; sizes are compared members per region.
std::vector<RegionBestMatch> best_matches(const std::map<std::pair<std::int32_t, std::int32_t>, std::int64_t>& cells,
                                          bool swapped, const std::vector<std::int64_t>& from_sizes,
                                          const std::vector<std::int64_t>& to_sizes,
                                          const std::vector<std::int64_t>& own_members) {
  std::vector<RegionBestMatch> matches;
  std::vector<std::int32_t> best(from_sizes.size(), kUnassigned);
  std::vector<double> best_jaccard(from_sizes.size(), 0.0);
  for (const auto& [key, count] : cells) {
    const std::int32_t from = swapped ? key.second : key.first;
    const std::int32_t to = swapped ? key.first : key.second;
    const auto f = static_cast<std::size_t>(from);
    const double jaccard = static_cast<double>(count) /
                           static_cast<double>(from_sizes[f] + to_sizes[static_cast<std::size_t>(to)] - count);
    // Strictly greater, or equal with a smaller label: cells are not visited in `to`
    // order when swapped.
    if (best[f] == kUnassigned || jaccard > best_jaccard[f] || (jaccard == best_jaccard[f] && to < best[f])) {
      best[f] = to;
      best_jaccard[f] = jaccard;
    }
  }
  for (std::size_t r = 0; r < from_sizes.size(); ++r) {
    if (own_members[r] == 0) continue;
    matches.push_back({static_cast<std::int32_t>(r), best[r], best_jaccard[r]});
  }
  return matches;
}

}  // namespace

PartitionQuality partition_quality(const Graph& ties, const Graph& map, const Membership& membership,
                                   double resolution) {
  PartitionQuality quality;
  const std::size_t n = membership.size();
  const auto k = static_cast<std::size_t>(std::max(region_count(membership), 0));
  std::vector<std::int32_t> sizes(k, 0);
  for (std::int32_t label : membership) {
    if (label < 0) {
      ++quality.unassigned;
    } else {
      ++sizes[static_cast<std::size_t>(label)];
    }
  }
  std::vector<std::int32_t> non_empty;
  for (std::int32_t size : sizes) {
    if (size > 0) non_empty.push_back(size);
  }
  std::sort(non_empty.begin(), non_empty.end());
  quality.region_count = static_cast<std::int32_t>(non_empty.size());
  if (!non_empty.empty()) {
    const std::size_t c = non_empty.size();
    quality.min_region_size = non_empty.front();
    quality.max_region_size = non_empty.back();
    quality.median_region_size = c % 2 == 1 ? non_empty[c / 2] : 0.5 * (non_empty[c / 2 - 1] + non_empty[c / 2]);
  }
  quality.modularity = modularity(ties, membership, resolution);

  if (map.edge_count() == 0) {
    quality.contiguity = kNaN;
    return quality;
  }
  // Pieces of land members per region, by breadth-first search on the map.
  std::vector<std::int32_t> pieces(k, 0);
  std::vector<bool> seen(n, false);
  std::vector<std::uint32_t> queue;
  for (std::uint32_t start = 0; start < n; ++start) {
    if (membership[start] < 0 || seen[start] || is_island(map, start)) continue;
    ++pieces[static_cast<std::size_t>(membership[start])];
    seen[start] = true;
    queue.assign(1, start);
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (const Neighbour& next : map.neighbours(queue[head])) {
        if (membership[next.node] == membership[start] && !seen[next.node]) {
          seen[next.node] = true;
          queue.push_back(next.node);
        }
      }
    }
  }
  for (std::size_t r = 0; r < k; ++r) {
    if (sizes[r] > 0 && pieces[r] <= 1) ++quality.contiguous_regions;
  }
  quality.contiguity = quality.region_count == 0
                           ? kNaN
                           : static_cast<double>(quality.contiguous_regions) / quality.region_count;
  return quality;
}

PartitionComparator::PartitionComparator(const Graph& ties, const Graph& map, const Membership& a, const Membership& b,
                                         ComparisonParameters parameters)
    : AlgorithmBase("PartitionComparator"), ties_(&ties), map_(&map), a_(a), b_(b), parameters_(parameters) {}

double PartitionComparator::nmi() const {
  require_run("nmi");
  return nmi_;
}
double PartitionComparator::adjusted_rand() const {
  require_run("adjusted_rand");
  return adjusted_rand_;
}
double PartitionComparator::variation_of_information() const {
  require_run("variation_of_information");
  return variation_of_information_;
}
const std::vector<RegionBestMatch>& PartitionComparator::matches_a_to_b() const {
  require_run("matches_a_to_b");
  return matches_a_to_b_;
}
const std::vector<RegionBestMatch>& PartitionComparator::matches_b_to_a() const {
  require_run("matches_b_to_a");
  return matches_b_to_a_;
}
const PartitionQuality& PartitionComparator::quality_a() const {
  require_run("quality_a");
  return quality_a_;
}
const PartitionQuality& PartitionComparator::quality_b() const {
  require_run("quality_b");
  return quality_b_;
}
const std::vector<std::int8_t>& PartitionComparator::disagreement() const {
  require_run("disagreement");
  return disagreement_;
}
std::int32_t PartitionComparator::compared_count() const {
  require_run("compared_count");
  return compared_count_;
}
std::int32_t PartitionComparator::disagreement_count() const {
  require_run("disagreement_count");
  return disagreement_count_;
}

Status PartitionComparator::run() {
  set_has_run(false);
  const std::size_t n = a_.size();
  if (b_.size() != n) {
    return invalid_argument("memberships: the first has " + std::to_string(n) + " entries, the second " +
                            std::to_string(b_.size()));
  }
  if (ties_->node_count() != n || map_->node_count() != n) {
    return invalid_argument("graphs: the tie graph has " + std::to_string(ties_->node_count()) +
                            " nodes and the map " + std::to_string(map_->node_count()) + ", the memberships " +
                            std::to_string(n) + " entries");
  }
  if (!std::isfinite(parameters_.resolution) || parameters_.resolution <= 0.0) {
    return invalid_argument("resolution: expected a finite number > 0, found " +
                            std::to_string(parameters_.resolution));
  }
  nmi_ = bre::normalized_mutual_information(a_, b_);
  adjusted_rand_ = bre::adjusted_rand_index(a_, b_);
  variation_of_information_ = bre::variation_of_information(a_, b_);
  quality_a_ = partition_quality(*ties_, *map_, a_, parameters_.resolution);
  quality_b_ = partition_quality(*ties_, *map_, b_, parameters_.resolution);

  const auto ka = static_cast<std::size_t>(std::max(region_count(a_), 0));
  const auto kb = static_cast<std::size_t>(std::max(region_count(b_), 0));
  std::vector<std::int64_t> compared_a(ka, 0);
  std::vector<std::int64_t> compared_b(kb, 0);
  std::vector<std::int64_t> members_a(ka, 0);
  std::vector<std::int64_t> members_b(kb, 0);
  std::map<std::pair<std::int32_t, std::int32_t>, std::int64_t> cells;
  compared_count_ = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (a_[i] >= 0) ++members_a[static_cast<std::size_t>(a_[i])];
    if (b_[i] >= 0) ++members_b[static_cast<std::size_t>(b_[i])];
    if (a_[i] < 0 || b_[i] < 0) continue;
    ++compared_count_;
    ++compared_a[static_cast<std::size_t>(a_[i])];
    ++compared_b[static_cast<std::size_t>(b_[i])];
    ++cells[{a_[i], b_[i]}];
  }
  matches_a_to_b_ = best_matches(cells, false, compared_a, compared_b, members_a);
  matches_b_to_a_ = best_matches(cells, true, compared_b, compared_a, members_b);

  std::vector<std::int32_t> best_b(ka, kUnassigned);
  std::vector<std::int32_t> best_a(kb, kUnassigned);
  for (const RegionBestMatch& match : matches_a_to_b_) best_b[static_cast<std::size_t>(match.region)] = match.match;
  for (const RegionBestMatch& match : matches_b_to_a_) best_a[static_cast<std::size_t>(match.region)] = match.match;
  disagreement_.assign(n, -1);
  disagreement_count_ = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (a_[i] < 0 || b_[i] < 0) continue;
    const bool differs = best_b[static_cast<std::size_t>(a_[i])] != b_[i] || best_a[static_cast<std::size_t>(b_[i])] != a_[i];
    disagreement_[i] = differs ? 1 : 0;
    disagreement_count_ += differs ? 1 : 0;
  }
  set_has_run(true);
  return Status::ok();
}

std::vector<std::string> covered_codes(const v1::Partition& partition) {
  std::vector<std::string> codes;
  for (const v1::Region& region : partition.regions()) {
    codes.insert(codes.end(), region.municipality_codes().begin(), region.municipality_codes().end());
  }
  codes.insert(codes.end(), partition.unassigned().begin(), partition.unassigned().end());
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  return codes;
}

namespace {

v1::PartitionSummary summary_message(const std::string& name, const PartitionQuality& quality) {
  v1::PartitionSummary summary;
  summary.set_name(name);
  summary.set_region_count(quality.region_count);
  summary.set_min_region_size(quality.min_region_size);
  summary.set_median_region_size(quality.median_region_size);
  summary.set_max_region_size(quality.max_region_size);
  summary.set_unassigned(quality.unassigned);
  summary.set_modularity(quality.modularity);
  summary.set_contiguity(quality.contiguity);
  summary.set_contiguous_regions(quality.contiguous_regions);
  return summary;
}

double mean_jaccard(const std::vector<RegionBestMatch>& matches) {
  if (matches.empty()) return kNaN;
  double sum = 0.0;
  for (const RegionBestMatch& match : matches) sum += match.jaccard;
  return sum / static_cast<double>(matches.size());
}

void add_matches(const std::vector<RegionBestMatch>& matches, const v1::Partition& from, const v1::Partition& to,
                 google::protobuf::RepeatedPtrField<v1::RegionMatch>* out) {
  for (const RegionBestMatch& match : matches) {
    v1::RegionMatch* m = out->Add();
    m->set_region_id(from.regions(match.region).id());
    if (match.match != kUnassigned) m->set_best_match_region_id(to.regions(match.match).id());
    m->set_jaccard(match.jaccard);
  }
}

}  // namespace

Expected<v1::PartitionComparison> compare_partitions(const DatasetIndex& index, const Graph& ties, const Graph& map,
                                                     const v1::Partition& a, const v1::Partition& b,
                                                     ComparisonParameters parameters) {
  const std::string pair = "partitions '" + a.name() + "' and '" + b.name() + "'";
  const std::vector<std::string> codes_a = covered_codes(a);
  const std::vector<std::string> codes_b = covered_codes(b);
  if (codes_a != codes_b) {
    std::vector<std::string> only_a;
    std::vector<std::string> only_b;
    std::set_difference(codes_a.begin(), codes_a.end(), codes_b.begin(), codes_b.end(), std::back_inserter(only_a));
    std::set_difference(codes_b.begin(), codes_b.end(), codes_a.begin(), codes_a.end(), std::back_inserter(only_b));
    std::string message = pair + " cover different municipalities;";
    if (!only_a.empty()) message += " only in '" + a.name() + "': " + join_limited(only_a) + ";";
    if (!only_b.empty()) message += " only in '" + b.name() + "': " + join_limited(only_b) + ";";
    message += " compare partitions of the same municipalities (the same dataset and reference year)";
    return invalid_argument(message);
  }
  Expected<Membership> membership_a = membership_of(index, a);
  if (!membership_a) return membership_a.status();
  Expected<Membership> membership_b = membership_of(index, b);
  if (!membership_b) return membership_b.status();

  PartitionComparator comparator(ties, map, *membership_a, *membership_b, parameters);
  BRE_RETURN_IF_ERROR(comparator.run().with_context(pair));

  v1::PartitionComparison comparison;
  comparison.set_partition_a(a.name());
  comparison.set_partition_b(b.name());
  comparison.set_nmi(comparator.nmi());
  comparison.set_adjusted_rand(comparator.adjusted_rand());
  comparison.set_variation_of_information(comparator.variation_of_information());
  add_matches(comparator.matches_a_to_b(), a, b, comparison.mutable_matches_a_to_b());
  add_matches(comparator.matches_b_to_a(), b, a, comparison.mutable_matches_b_to_a());
  comparison.set_mean_best_jaccard_a_to_b(mean_jaccard(comparator.matches_a_to_b()));
  comparison.set_mean_best_jaccard_b_to_a(mean_jaccard(comparator.matches_b_to_a()));
  *comparison.mutable_summary_a() = summary_message(a.name(), comparator.quality_a());
  *comparison.mutable_summary_b() = summary_message(b.name(), comparator.quality_b());
  comparison.set_resolution(parameters.resolution);
  comparison.set_compared_municipalities(comparator.compared_count());
  comparison.set_disagreement_count(comparator.disagreement_count());
  const std::vector<std::int8_t>& disagreement = comparator.disagreement();
  for (std::size_t i = 0; i < disagreement.size(); ++i) {
    if (disagreement[i] < 0) continue;
    v1::MunicipalityValue* value = comparison.add_disagreement();
    value->set_municipality_code(index.municipality_at(i).code());
    value->set_value(disagreement[i]);
  }
  return comparison;
}

Expected<PairwiseComparison> compare_pairwise(const DatasetIndex& index, const Graph& ties, const Graph& map,
                                              const std::vector<v1::Partition>& partitions,
                                              ComparisonParameters parameters) {
  if (partitions.size() < 2) {
    return invalid_argument("expected at least two partitions to compare, found " + std::to_string(partitions.size()));
  }
  std::set<std::string> names;
  for (const v1::Partition& partition : partitions) {
    if (!names.insert(partition.name()).second) {
      return invalid_argument("two partitions are named '" + partition.name() +
                              "'; give every compared partition its own name");
    }
  }
  PairwiseComparison result;
  result.summaries.resize(partitions.size());
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    for (std::size_t j = i + 1; j < partitions.size(); ++j) {
      Expected<v1::PartitionComparison> comparison =
          compare_partitions(index, ties, map, partitions[i], partitions[j], parameters);
      if (!comparison) return comparison.status();
      if (j == i + 1) result.summaries[i] = comparison->summary_a();
      if (i + 2 == partitions.size()) result.summaries[j] = comparison->summary_b();
      result.comparisons.push_back(std::move(comparison).value());
    }
  }
  return result;
}

namespace {

// A column whose label, unit and definition are given Dutch first, then English.
struct ColumnText {
  std::string_view label_nl, label_en, unit_nl, unit_en, doc_nl, doc_en;
};

void add_column(v1::IndicatorTable& table, Language language, const std::string& id, const ColumnText& text,
                const std::string& doc_suffix = {}) {
  v1::IndicatorColumn* column = table.add_columns();
  column->set_id(id);
  column->set_label(text_in(language, text.label_nl, text.label_en));
  column->set_unit(text_in(language, text.unit_nl, text.unit_en));
  column->set_doc(text_in(language, text.doc_nl, text.doc_en) + doc_suffix);
  column->set_kind(value_kind_for_unit(std::string(text.unit_en)));
}

}  // namespace

v1::IndicatorTable partition_summary_table(const std::vector<v1::PartitionSummary>& summaries, double resolution,
                                           Language l) {
  v1::IndicatorTable table;
  table.set_name("partitions");
  add_column(table, l, "regions",
             {"Regio's", "Regions", "aantal", "count", "Regio's met ten minste één gemeente (DOMAIN.md §2)",
              "Regions with at least one municipality (DOMAIN.md §2)"});
  add_column(table, l, "min_size",
             {"Kleinste regio", "Smallest region", "gemeenten", "municipalities", "Grootte van de kleinste regio",
              "Size of the smallest region"});
  add_column(table, l, "median_size",
             {"Mediane regio", "Median region", "gemeenten", "municipalities", "Mediane grootte van de regio's",
              "Median region size"});
  add_column(table, l, "max_size",
             {"Grootste regio", "Largest region", "gemeenten", "municipalities", "Grootte van de grootste regio",
              "Size of the largest region"});
  add_column(table, l, "unassigned",
             {"Niet ingedeeld", "Unassigned", "gemeenten", "municipalities", "Gemeenten in geen enkele regio",
              "Municipalities in no region"});
  const std::string resolution_text = decimal_notation(l, format_csv_number(resolution));
  add_column(table, l, "modularity",
             {"Modulariteit", "Modularity", "", "", "Modulariteit bij resolutie ", "Modularity at resolution "},
             resolution_text + text_in(l, " op de vergeleken graaf (DOMAIN.md §2)",
                                       " on the compared graph (DOMAIN.md §2)"));
  add_column(table, l, "contiguity",
             {"Aaneengeslotenheid", "Contiguity", "aandeel", "share",
              "Aandeel van de regio's dat één aaneengesloten stuk op de kaart is; gemeenten zonder buurgemeente over "
              "land tellen niet mee (DOMAIN.md §2)",
              "Share of regions that are one connected piece on the map; municipalities without a land neighbour "
              "ignored (DOMAIN.md §2)"});
  for (const v1::PartitionSummary& summary : summaries) {
    v1::IndicatorRow* row = table.add_rows();
    row->set_region_id(summary.name());
    row->set_region_name(summary.name());
    for (double value : {static_cast<double>(summary.region_count()), static_cast<double>(summary.min_region_size()),
                         summary.median_region_size(), static_cast<double>(summary.max_region_size()),
                         static_cast<double>(summary.unassigned()), summary.modularity(), summary.contiguity()}) {
      row->add_values(value);
    }
  }
  return table;
}

v1::IndicatorTable comparison_table(const std::vector<v1::PartitionComparison>& comparisons, Language l) {
  v1::IndicatorTable table;
  table.set_name("comparison");
  add_column(table, l, "nmi",
             {"NMI", "NMI", "", "", "Genormaliseerde wederzijdse informatie, 2 I(A;B) / (H(A) + H(B)) (DOMAIN.md §2)",
              "Normalised mutual information, 2 I(A;B) / (H(A) + H(B)) (DOMAIN.md §2)"});
  add_column(table, l, "ari",
             {"ARI", "ARI", "", "", "Adjusted Rand index (Hubert & Arabie 1985)",
              "Adjusted Rand index (Hubert & Arabie 1985)"});
  add_column(table, l, "vi",
             {"VI", "VI", "nats", "nats", "Variatie van informatie H(A) + H(B) - 2 I(A;B) (Meila 2007)",
              "Variation of information H(A) + H(B) - 2 I(A;B) (Meila 2007)"});
  add_column(table, l, "jaccard_a_to_b",
             {"Jaccard beste match A->B", "Best-match Jaccard A->B", "", "",
              "Gemiddelde over de regio's van A van de Jaccard-index met hun best passende regio van B",
              "Mean over A's regions of the Jaccard index with their best-matching region of B"});
  add_column(table, l, "jaccard_b_to_a",
             {"Jaccard beste match B->A", "Best-match Jaccard B->A", "", "",
              "Gemiddelde over de regio's van B van de Jaccard-index met hun best passende regio van A",
              "Mean over B's regions of the Jaccard index with their best-matching region of A"});
  add_column(table, l, "compared",
             {"Vergeleken", "Compared", "gemeenten", "municipalities", "Gemeenten die in beide partities zijn ingedeeld",
              "Municipalities assigned in both partitions"});
  add_column(table, l, "disagreeing",
             {"Afwijkend", "Disagreeing", "gemeenten", "municipalities",
              "Gemeenten die niet in de best passende regio van de andere partitie liggen (in een van beide richtingen)",
              "Municipalities not in the best-matched region of the other partition (either way)"});
  for (const v1::PartitionComparison& comparison : comparisons) {
    v1::IndicatorRow* row = table.add_rows();
    row->set_region_id(comparison.partition_a() + " vs " + comparison.partition_b());
    row->set_region_name(comparison.partition_a() + " vs " + comparison.partition_b());
    for (double value : {comparison.nmi(), comparison.adjusted_rand(), comparison.variation_of_information(),
                         comparison.mean_best_jaccard_a_to_b(), comparison.mean_best_jaccard_b_to_a(),
                         static_cast<double>(comparison.compared_municipalities()),
                         static_cast<double>(comparison.disagreement_count())}) {
      row->add_values(value);
    }
  }
  return table;
}

}  // namespace bre
