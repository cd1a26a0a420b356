#include "quadrant.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
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
  std::map<std::string, int> bw_column;
  for (const char* id : {"position", "trend_class", "level", "trend"}) {
    const std::optional<int> column = find_column(bw, id);
    if (!column) {
      return invalid_argument("table '" + bw.name() + "': expected a column '" + id +
                              "' (from indicator.broad_wellbeing), found none");
    }
    bw_column[id] = *column;
  }
  std::map<std::string, const v1::IndicatorRow*> bw_rows;
  for (const v1::IndicatorRow& row : bw.rows()) bw_rows[row.region_id()] = &row;
  Expected<Membership> membership = membership_of(*index_, *partition_);
  if (!membership) return membership.status().with_context("partition '" + partition_->name() + "'");
  const std::size_t k = static_cast<std::size_t>(partition_->regions_size());
  std::vector<std::int64_t> region_size(k, 0);
  for (std::int32_t r : *membership) {
    if (r != kUnassigned) ++region_size[static_cast<std::size_t>(r)];
  }

  // overlap[case][region] = |case cap region|
  const v1::Dataset& dataset = index_->dataset();
  const std::size_t cases = static_cast<std::size_t>(dataset.cases_size());
  std::vector<std::vector<std::int64_t>> overlap(cases, std::vector<std::int64_t>(k, 0));
  std::vector<std::int64_t> case_size(cases, 0);
  std::vector<std::string> case_ids;
  for (std::size_t c = 0; c < cases; ++c) {
    const v1::CaseDescriptors& descriptors = dataset.cases(static_cast<int>(c));
    case_ids.push_back(descriptors.region_id());
    std::vector<bool> seen(index_->municipality_count(), false);
    for (int j = 0; j < descriptors.municipality_codes_size(); ++j) {
      const std::optional<std::size_t> m = index_->municipality(descriptors.municipality_codes(j));
      if (!m) {
        return invalid_argument("cases[" + std::to_string(c) + "] ('" + descriptors.region_id() +
                                "').municipality_codes[" + std::to_string(j) + "]: unknown municipality code '" +
                                descriptors.municipality_codes(j) + "'");
      }
      if (seen[*m]) continue;
      seen[*m] = true;
      ++case_size[c];
      const std::int32_t r = (*membership)[*m];
      if (r != kUnassigned) ++overlap[c][static_cast<std::size_t>(r)];
    }
  }

  table_.set_name("quadrant");
  table_.set_partition_name(partition_->name());
  const std::vector<std::string> quadrants(std::begin(kQuadrants), std::end(kQuadrants));
  const int c_case = add_column(table_, "case", "Case", "", "The case (CaseDescriptors.region_id) of highest "
                                "municipality overlap, if at least min_case_overlap.", case_ids);
  const int c_overlap = add_column(table_, "case_overlap", "Case overlap", "Jaccard (0-1)",
                                   "|case cap region| / |case cup region| of the matched case.");
  const int c_investing = add_column(table_, "investing", "Structured investment", "",
                                     "CaseDescriptors.structured_investment of the matched case: does the "
                                     "administrative community invest in the ecosystem beyond meeting (DOMAIN.md §6).",
                                     {"no", "yes", "unknown"});
  const int c_level = add_column(table_, "level", "Broad well-being level", "z (SD units)",
                                 "From the broad_wellbeing table.");
  const int c_trend = add_column(table_, "trend", "Broad well-being trend", "z per year",
                                 "From the broad_wellbeing table.");
  const int c_position = add_column(table_, "position", "Position", "", "From the broad_wellbeing table.",
                                    {"low", "high"});
  const int c_class = add_column(table_, "trend_class", "Trend class", "", "From the broad_wellbeing table.",
                                 {"negative", "average", "positive"});
  const int c_quadrant = add_column(table_, "quadrant", "Quadrant", "",
                                    "Position (high/low) x structured investment (DOMAIN.md §6).", quadrants);
  const int c_reading_en = add_column(table_, "reading_en", "Reading", "", "What the quadrant leads to expect.",
                                      kReadingsEn);
  const int c_reading_nl = add_column(table_, "reading_nl", "Duiding", "", "Wat het kwadrant doet verwachten.",
                                      kReadingsNl);
  const int c_pattern = add_column(table_, "on_pattern", "On the pattern", "1 = yes, 0 = no",
                                   "Whether the trend class fits the reading: high and investing not negative, "
                                   "low and investing positive, not investing not positive; summary row: share of "
                                   "the known regions.");
  const int c_count = add_column(table_, "regions", "Regions", "count",
                                 "Summary rows n_<quadrant>: regions in that quadrant; NaN in region rows.");

  std::vector<std::int64_t> per_quadrant(quadrants.size(), 0);
  std::int64_t pattern_known = 0, pattern_met = 0;
  for (std::size_t b = 0; b < k; ++b) {
    const v1::Region& region = partition_->regions(static_cast<int>(b));
    const auto found = bw_rows.find(region.id());
    if (found == bw_rows.end()) {
      return invalid_argument("table '" + bw.name() + "': expected a row for region '" + region.id() +
                              "' of partition '" + partition_->name() + "', found none");
    }
    const v1::IndicatorRow& bw_row = *found->second;
    v1::IndicatorRow& row = add_row(table_, region.id(), region.name());
    std::optional<std::size_t> best;
    double best_jaccard = 0.0;
    for (std::size_t c = 0; c < cases; ++c) {
      if (overlap[c][b] == 0) continue;
      const double jaccard = static_cast<double>(overlap[c][b]) /
                             static_cast<double>(case_size[c] + region_size[b] - overlap[c][b]);
      if (!best || jaccard > best_jaccard) {
        best = c;
        best_jaccard = jaccard;
      }
    }
    double investing = 2.0;  // unknown
    if (best && best_jaccard >= parameters_.min_case_overlap) {
      row.set_values(c_case, static_cast<double>(*best));
      row.set_values(c_overlap, best_jaccard);
      switch (dataset.cases(static_cast<int>(*best)).structured_investment()) {
        case v1::TRISTATE_NO: investing = 0.0; break;
        case v1::TRISTATE_YES: investing = 1.0; break;
        default: break;
      }
    }
    row.set_values(c_investing, investing);
    const double level = bw_row.values(bw_column["level"]);
    const double trend = bw_row.values(bw_column["trend"]);
    const double position = bw_row.values(bw_column["position"]);
    const double trend_class = bw_row.values(bw_column["trend_class"]);
    row.set_values(c_level, level);
    row.set_values(c_trend, trend);
    row.set_values(c_position, position);
    row.set_values(c_class, trend_class);
    int quadrant = kUnknownQuadrant;
    if (investing != 2.0 && std::isfinite(position)) {
      const bool high = position == 1.0;
      quadrant = investing == 1.0 ? (high ? 0 : 1) : (high ? 2 : 3);
    }
    row.set_values(c_quadrant, quadrant);
    row.set_values(c_reading_en, quadrant);
    row.set_values(c_reading_nl, quadrant);
    const double pattern = on_pattern(quadrant, trend_class);
    row.set_values(c_pattern, pattern);
    ++per_quadrant[static_cast<std::size_t>(quadrant)];
    if (std::isfinite(pattern)) {
      ++pattern_known;
      if (pattern == 1.0) ++pattern_met;
    }
  }
  v1::IndicatorRow& nl = add_row(table_, "NL", "Nederland", true);
  nl.set_values(c_pattern, pattern_known > 0 ? static_cast<double>(pattern_met) / static_cast<double>(pattern_known)
                                             : kNaN);
  for (std::size_t q = 0; q < quadrants.size(); ++q) {
    v1::IndicatorRow& count = add_row(table_, std::string("n_") + kQuadrants[q],
                                      std::string("Regions ") + kQuadrants[q], true);
    count.set_values(c_quadrant, static_cast<double>(q));
    count.set_values(c_count, static_cast<double>(per_quadrant[q]));
  }
  if (per_quadrant[kUnknownQuadrant] > 0) {
    warnings_.push_back(std::to_string(per_quadrant[kUnknownQuadrant]) + " of " + std::to_string(k) +
                        " regions have no case saying whether they invest in a structured way (quadrant unknown)");
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
