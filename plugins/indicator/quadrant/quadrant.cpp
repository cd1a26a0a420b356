#include "quadrant.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <utility>

#include "bre/partition.hpp"
#include "indicator_table.hpp"

namespace bre::indicator {
namespace {

// Readings of the quadrants (DOMAIN.md §6), in kQuadrants order.
const std::vector<std::string> kReadingsEn = {
    "High and investing: consolidates",
    "Low and investing: fastest relative progress expected",
    "High and not investing: stabilises at best, risks sliding",
    "Low and not investing: risks sinking further",
    "Unknown: nothing known about structured investment or broad well-being",
};
const std::vector<std::string> kReadingsNl = {
    "Hoog en investerend: consolideert",
    "Laag en investerend: snelste relatieve vooruitgang verwacht",
    "Hoog en niet investerend: stabiliseert hooguit, dreigt af te glijden",
    "Laag en niet investerend: dreigt verder weg te zakken",
    "Onbekend: niets bekend over structureel investeren of brede welvaart",
};
constexpr int kUnknownQuadrant = 4;

// Trend classes as indicator.broad_wellbeing codes them: negative 0, average 1, positive 2.
double on_pattern(int quadrant, double trend_class) {
  if (quadrant == kUnknownQuadrant || !std::isfinite(trend_class)) return kNaN;
  const bool positive = trend_class == 2.0;
  const bool negative = trend_class == 0.0;
  switch (quadrant) {
    case 0: return negative ? 0.0 : 1.0;  // consolidates
    case 1: return positive ? 1.0 : 0.0;  // fastest relative progress
    default: return positive ? 0.0 : 1.0;  // stabilises at best / risks sinking
  }
}

// Where the broad_wellbeing table keeps what the quadrant reads.
struct BroadWellbeingColumns {
  int position;
  int trend_class;
  int level;
  int trend;
};

Expected<BroadWellbeingColumns> broad_wellbeing_columns(const v1::IndicatorTable& bw) {
  BroadWellbeingColumns columns{};
  for (auto [id, column] : {std::pair{"position", &columns.position}, std::pair{"trend_class", &columns.trend_class},
                            std::pair{"level", &columns.level}, std::pair{"trend", &columns.trend}}) {
    const std::optional<int> found = find_column(bw, id);
    if (!found) {
      return invalid_argument("table '" + bw.name() + "': expected a column '" + id +
                              "' (from indicator.broad_wellbeing), found none");
    }
    *column = *found;
  }
  return columns;
}

// The dataset's cases against the regions: overlap[case][region] = |case cap region|.
struct CaseOverlaps {
  std::vector<std::vector<std::int64_t>> overlap;
  std::vector<std::int64_t> case_size;
  std::vector<std::string> case_ids;
  std::vector<std::int64_t> region_size;
};

Expected<CaseOverlaps> case_overlaps(const DatasetIndex& index, const Membership& membership, std::size_t k) {
  const v1::Dataset& dataset = index.dataset();
  const std::size_t cases = static_cast<std::size_t>(dataset.cases_size());
  CaseOverlaps out;
  out.region_size.assign(k, 0);
  for (std::int32_t r : membership) {
    if (r != kUnassigned) ++out.region_size[static_cast<std::size_t>(r)];
  }
  out.overlap.assign(cases, std::vector<std::int64_t>(k, 0));
  out.case_size.assign(cases, 0);
  for (std::size_t c = 0; c < cases; ++c) {
    const v1::CaseDescriptors& descriptors = dataset.cases(static_cast<int>(c));
    out.case_ids.push_back(descriptors.region_id());
    std::vector<bool> seen(index.municipality_count(), false);
    for (int j = 0; j < descriptors.municipality_codes_size(); ++j) {
      const std::optional<std::size_t> m = index.municipality(descriptors.municipality_codes(j));
      if (!m) {
        return invalid_argument("cases[" + std::to_string(c) + "] ('" + descriptors.region_id() +
                                "').municipality_codes[" + std::to_string(j) + "]: unknown municipality code '" +
                                descriptors.municipality_codes(j) + "'");
      }
      if (seen[*m]) continue;
      seen[*m] = true;
      ++out.case_size[c];
      const std::int32_t r = membership[*m];
      if (r != kUnassigned) ++out.overlap[c][static_cast<std::size_t>(r)];
    }
  }
  return out;
}

// The case of highest Jaccard overlap with region b (ties: case order) and the overlap.
std::optional<std::pair<std::size_t, double>> best_case(const CaseOverlaps& cases, std::size_t b) {
  std::optional<std::pair<std::size_t, double>> best;
  for (std::size_t c = 0; c < cases.overlap.size(); ++c) {
    const std::int64_t common = cases.overlap[c][b];
    if (common == 0) continue;
    const double jaccard =
        static_cast<double>(common) / static_cast<double>(cases.case_size[c] + cases.region_size[b] - common);
    if (!best || jaccard > best->second) best = std::pair{c, jaccard};
  }
  return best;
}

// Horizontal axis of the quadrant, coded as the "investing" column: no 0, yes 1, unknown 2.
double investing_code(v1::Tristate structured_investment) {
  switch (structured_investment) {
    case v1::TRISTATE_NO: return 0.0;
    case v1::TRISTATE_YES: return 1.0;
    default: return 2.0;
  }
}

// high/low position x investing or not; unknown when either is.
int quadrant_of(double investing, double position) {
  if (investing == 2.0 || !std::isfinite(position)) return kUnknownQuadrant;
  const bool high = position == 1.0;
  return investing == 1.0 ? (high ? 0 : 1) : (high ? 2 : 3);
}

struct QuadrantColumns {
  int case_id, overlap, investing, level, trend, position, trend_class, quadrant, reading_en, reading_nl, pattern,
      count;
};

QuadrantColumns add_quadrant_columns(v1::IndicatorTable& table, const std::vector<std::string>& case_ids,
                                     Language l) {
  const std::vector<std::string> quadrants(std::begin(kQuadrants), std::end(kQuadrants));
  const Bilingual from_broad_wellbeing{"Uit de tabel broad_wellbeing.", "From the broad_wellbeing table."};
  QuadrantColumns c{};
  c.case_id = add_column(table, l, "case", {"Casus", "Case"}, "",
                         {"De casus (CaseDescriptors.region_id) met de grootste overlap in gemeenten, als die ten "
                          "minste min_case_overlap is.",
                          "The case (CaseDescriptors.region_id) of highest municipality overlap, if at least "
                          "min_case_overlap."},
                         case_ids);
  c.overlap = add_column(table, l, "case_overlap", {"Overlap met de casus", "Case overlap"}, "Jaccard (0-1)",
                         {"|casus cap regio| / |casus cup regio| van de gekoppelde casus.",
                          "|case cap region| / |case cup region| of the matched case."});
  c.investing = add_column(table, l, "investing", {"Structureel investeren", "Structured investment"}, "",
                           {"CaseDescriptors.structured_investment van de gekoppelde casus: investeert de bestuurlijke "
                            "gemeenschap meer dan alleen ontmoeten in het ecosysteem (DOMAIN.md §6).",
                            "CaseDescriptors.structured_investment of the matched case: does the administrative "
                            "community invest in the ecosystem beyond meeting (DOMAIN.md §6)."},
                           {"no", "yes", "unknown"});
  c.level = add_column(table, l, "level", {"Niveau brede welvaart", "Broad well-being level"}, "z (SD units)",
                       from_broad_wellbeing);
  c.trend = add_column(table, l, "trend", {"Trend brede welvaart", "Broad well-being trend"}, "z per year",
                       from_broad_wellbeing);
  c.position = add_column(table, l, "position", {"Positie", "Position"}, "", from_broad_wellbeing, {"low", "high"});
  c.trend_class = add_column(table, l, "trend_class", {"Trendklasse", "Trend class"}, "", from_broad_wellbeing,
                             {"negative", "average", "positive"});
  c.quadrant = add_column(table, l, "quadrant", {"Kwadrant", "Quadrant"}, "",
                          {"Positie (hoog/laag) x structureel investeren (DOMAIN.md §6).",
                           "Position (high/low) x structured investment (DOMAIN.md §6)."},
                          quadrants);
  c.reading_en = add_column(table, l, "reading_en", {"Duiding (Engels)", "Reading"}, "",
                            {"Wat het kwadrant doet verwachten, in het Engels.", "What the quadrant leads to expect."},
                            kReadingsEn);
  c.reading_nl = add_column(table, l, "reading_nl", {"Duiding", "Reading (Dutch)"}, "",
                            {"Wat het kwadrant doet verwachten.", "What the quadrant leads to expect, in Dutch."},
                            kReadingsNl);
  c.pattern = add_column(table, l, "on_pattern", {"Volgens het patroon", "On the pattern"}, "1 = yes, 0 = no",
                         {"Of de trendklasse bij de duiding past: hoog en investerend niet negatief, laag en "
                          "investerend positief, niet investerend niet positief; samenvattende rij: aandeel van de "
                          "bekende regio's.",
                          "Whether the trend class fits the reading: high and investing not negative, low and "
                          "investing positive, not investing not positive; summary row: share of the known regions."});
  c.count = add_column(table, l, "regions", {"Regio's", "Regions"}, "count",
                       {"Samenvattende rijen n_<kwadrant>: regio's in dat kwadrant; NaN in de regiorijen.",
                        "Summary rows n_<quadrant>: regions in that quadrant; NaN in region rows."});
  return c;
}

// How many regions fall in each quadrant and how many known ones are on the pattern.
struct QuadrantTally {
  std::vector<std::int64_t> per_quadrant = std::vector<std::int64_t>(std::size(kQuadrants), 0);
  std::int64_t pattern_known = 0;
  std::int64_t pattern_met = 0;
};

// The summary rows: "NL" with the share on the pattern, "n_<quadrant>" with the counts.
void add_summary_rows(const QuadrantColumns& c, const QuadrantTally& tally, Language language,
                      v1::IndicatorTable& table) {
  v1::IndicatorRow& nl = add_row(table, "NL", "Nederland", true);
  nl.set_values(c.pattern, tally.pattern_known > 0 ? static_cast<double>(tally.pattern_met) /
                                                         static_cast<double>(tally.pattern_known)
                                                   : kNaN);
  for (std::size_t q = 0; q < tally.per_quadrant.size(); ++q) {
    v1::IndicatorRow& count = add_row(table, std::string("n_") + kQuadrants[q],
                                      text_in(language, "Regio's ", "Regions ") + kQuadrants[q], true);
    count.set_values(c.quadrant, static_cast<double>(q));
    count.set_values(c.count, static_cast<double>(tally.per_quadrant[q]));
  }
}

}  // namespace

Quadrant::Quadrant(const DatasetIndex& index, const v1::Partition& partition,
                   const v1::IndicatorTable& broad_wellbeing, QuadrantParameters parameters)
    : AlgorithmBase("Quadrant"),
      index_(&index),
      partition_(&partition),
      broad_wellbeing_(&broad_wellbeing),
      parameters_(parameters) {}

Status Quadrant::run() {
  set_has_run(false);
  table_.Clear();
  warnings_.clear();
  if (!(parameters_.min_case_overlap > 0.0 && parameters_.min_case_overlap <= 1.0)) {
    return invalid_argument("parameter 'min_case_overlap': expected a share in (0, 1], found " +
                            std::to_string(parameters_.min_case_overlap));
  }
  const v1::IndicatorTable& bw = *broad_wellbeing_;
  if (bw.partition_name() != partition_->name()) {
    return invalid_argument("table '" + bw.name() + "' was computed for partition '" + bw.partition_name() +
                            "', not for the input partition '" + partition_->name() + "'");
  }
  Expected<BroadWellbeingColumns> bw_column = broad_wellbeing_columns(bw);
  if (!bw_column) return bw_column.status();
  std::map<std::string, const v1::IndicatorRow*> bw_rows;
  for (const v1::IndicatorRow& row : bw.rows()) bw_rows[row.region_id()] = &row;
  Expected<Membership> membership = membership_of(*index_, *partition_);
  if (!membership) return membership.status().with_context("partition '" + partition_->name() + "'");
  const std::size_t k = static_cast<std::size_t>(partition_->regions_size());
  Expected<CaseOverlaps> cases = case_overlaps(*index_, *membership, k);
  if (!cases) return cases.status();

  table_.set_name("quadrant");
  table_.set_partition_name(partition_->name());
  const QuadrantColumns c = add_quadrant_columns(table_, cases->case_ids, parameters_.language);
  QuadrantTally tally;
  for (std::size_t b = 0; b < k; ++b) {
    const v1::Region& region = partition_->regions(static_cast<int>(b));
    const auto found = bw_rows.find(region.id());
    if (found == bw_rows.end()) {
      return invalid_argument("table '" + bw.name() + "': expected a row for region '" + region.id() +
                              "' of partition '" + partition_->name() + "', found none");
    }
    const v1::IndicatorRow& bw_row = *found->second;
    v1::IndicatorRow& row = add_row(table_, region.id(), region.name());
    const std::optional<std::pair<std::size_t, double>> best = best_case(*cases, b);
    double investing = 2.0;  // unknown
    if (best && best->second >= parameters_.min_case_overlap) {
      row.set_values(c.case_id, static_cast<double>(best->first));
      row.set_values(c.overlap, best->second);
      investing = investing_code(index_->dataset().cases(static_cast<int>(best->first)).structured_investment());
    }
    row.set_values(c.investing, investing);
    const double position = bw_row.values(bw_column->position);
    const double trend_class = bw_row.values(bw_column->trend_class);
    row.set_values(c.level, bw_row.values(bw_column->level));
    row.set_values(c.trend, bw_row.values(bw_column->trend));
    row.set_values(c.position, position);
    row.set_values(c.trend_class, trend_class);
    const int quadrant = quadrant_of(investing, position);
    row.set_values(c.quadrant, quadrant);
    row.set_values(c.reading_en, quadrant);
    row.set_values(c.reading_nl, quadrant);
    const double pattern = on_pattern(quadrant, trend_class);
    row.set_values(c.pattern, pattern);
    ++tally.per_quadrant[static_cast<std::size_t>(quadrant)];
    if (std::isfinite(pattern)) {
      ++tally.pattern_known;
      if (pattern == 1.0) ++tally.pattern_met;
    }
  }
  add_summary_rows(c, tally, parameters_.language, table_);
  if (tally.per_quadrant[kUnknownQuadrant] > 0) {
    const std::string counts = std::to_string(tally.per_quadrant[kUnknownQuadrant]) +
                               text_in(parameters_.language, " van ", " of ") + std::to_string(k);
    warnings_.push_back(Bilingual{counts + " regio's hebben geen casus die zegt of ze structureel investeren "
                                           "(kwadrant onbekend)",
                                  counts + " regions have no case saying whether they invest in a structured way "
                                           "(quadrant unknown)"}
                            .in(parameters_.language));
  }
  set_has_run(true);
  return Status::ok();
}

const v1::IndicatorTable& Quadrant::table() const {
  require_run("table");
  return table_;
}
const std::vector<std::string>& Quadrant::warnings() const {
  require_run("warnings");
  return warnings_;
}

}  // namespace bre::indicator
