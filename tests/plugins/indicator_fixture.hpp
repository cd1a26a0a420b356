// A small country written by hand for the indicator plugin tests (DOMAIN.md §3-§6),
// and helpers to read indicator tables and to run a plugin with several inputs.
//
// Twelve municipalities GM0101..GM0112 ("M1".."M12") on a plane (centroids in km):
//   R1 = {M1 (0,0) pop 1000, M2 (10,0) 3000, M3 (0,10) 2000, M4 (10,10) 4000}
//   R2 = {M5 (30,0) 1000, M6 (40,0) 1000, M7 (30,10) 2000}
//   R3 = {M8 (0,-30), M9 (10,-30), M10 (0,-40), M11 (10,-40)}, 1000 each
//   R4 = {M12 (60,60) 500}: one municipality, no arrangement
// Commuting flows (persons), besides 100 living and working in each municipality:
//   M1->M2 50, M2->M1 15, M3->M4 30            (inside R1)
//   M1->M5 20 (bearing 90), M2->M9 10 (180)     (leaving R1)
//   M5->M6 40 (inside R2), M6->M12 30 (leaving R2, bearing atan2(20, 60))
//   M12->M1 50 (leaving R4, bearing 225)        R3: nobody leaves
// DUS partition: D1 = {M1, M2}, D2 = {M3, M4}, D3 = {M5, M6, M7, M12}, D4 = {M8..M11}.
// Area indicators (add_area_indicators), values for M1..M12 in 2016:
//   income (economy, higher better, mirror environment): 10 20 30 40 | 20 20 20 | 30 30 30 30 | missing
//   green (environment, higher better):                   5 5 missing 5 | 10 20 30 | 40 40 40 40 | 50
//   house_price (housing, lower better, mirror economy):  300 300 300 300 | 200 200 200 | 100 x4 | 150
// and in 2014: income 2 lower, green the same, house_price 10 lower (same gaps);
// all three count for broad well-being.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/log.hpp"
#include "bre/plugin.hpp"
#include "bre/v1/dataset.pb.h"
#include "bre/v1/results.pb.h"

namespace bre::test {

inline std::string m_code(int m) { return "GM01" + std::string(m < 10 ? "0" : "") + std::to_string(m); }

inline v1::Dataset hand_dataset() {
  struct Place {
    double x, y;
    std::int64_t population;
  };
  const std::vector<Place> places = {{0, 0, 1000},    {10, 0, 3000},   {0, 10, 2000},   {10, 10, 4000},
                                     {30, 0, 1000},   {40, 0, 1000},   {30, 10, 2000},  {0, -30, 1000},
                                     {10, -30, 1000}, {0, -40, 1000},  {10, -40, 1000}, {60, 60, 500}};
  v1::Dataset d;
  d.set_name("indicator-fixture");
  d.set_reference_year(2016);
  for (int m = 1; m <= 12; ++m) {
    v1::Municipality* mun = d.add_municipalities();
    mun->set_code(m_code(m));
    mun->set_name("M" + std::to_string(m));
    mun->set_population(places[m - 1].population);
    mun->mutable_centroid()->set_x(places[m - 1].x * 1000.0);
    mun->mutable_centroid()->set_y(places[m - 1].y * 1000.0);
  }
  auto flow = [&d](int home, int work, double persons) {
    v1::CommutingFlow* f = d.add_commuting_flows();
    f->set_home_code(m_code(home));
    f->set_work_code(m_code(work));
    f->set_persons(persons);
  };
  for (int m = 1; m <= 12; ++m) flow(m, m, 100);
  flow(1, 2, 50);
  flow(2, 1, 15);
  flow(3, 4, 30);
  flow(1, 5, 20);
  flow(2, 9, 10);
  flow(5, 6, 40);
  flow(6, 12, 30);
  flow(12, 1, 50);
  return d;
}

inline constexpr double kNoValue = -1.0;  // marks a value the dataset lacks
inline const std::vector<double> kIncome2016 = {10, 20, 30, 40, 20, 20, 20, 30, 30, 30, 30, kNoValue};
inline const std::vector<double> kGreen2016 = {5, 5, kNoValue, 5, 10, 20, 30, 40, 40, 40, 40, 50};
inline const std::vector<double> kHousePrice2016 = {300, 300, 300, 300, 200, 200, 200, 100, 100, 100, 100, 150};

inline void add_area_indicators(v1::Dataset& d) {
  auto indicator = [&d](const std::string& id, v1::Theme theme, bool higher_is_better, v1::Theme mirror) {
    v1::AreaIndicator* a = d.add_area_indicators();
    a->set_id(id);
    a->set_name(id);
    a->set_theme(theme);
    a->set_unit("unit");
    a->set_direction(higher_is_better ? v1::DIRECTION_HIGHER_IS_BETTER : v1::DIRECTION_LOWER_IS_BETTER);
    a->set_broad_wellbeing(true);
    a->set_mirror_theme(mirror);
  };
  indicator("income", v1::THEME_ECONOMY, true, v1::THEME_ENVIRONMENT);
  indicator("green", v1::THEME_ENVIRONMENT, true, v1::THEME_UNSPECIFIED);
  indicator("house_price", v1::THEME_HOUSING_AND_SERVICES, false, v1::THEME_ECONOMY);
  auto values = [&d](const std::string& id, const std::vector<double>& values_2016, double change_since_2014) {
    for (int year : {2014, 2016}) {
      for (int m = 1; m <= 12; ++m) {
        if (values_2016[m - 1] == kNoValue) continue;
        v1::IndicatorValue* v = d.add_indicator_values();
        v->set_indicator_id(id);
        v->set_municipality_code(m_code(m));
        v->set_year(year);
        v->set_value(values_2016[m - 1] - (year == 2014 ? change_since_2014 : 0.0));
      }
    }
  };
  values("income", kIncome2016, 2.0);
  values("green", kGreen2016, 0.0);
  values("house_price", kHousePrice2016, 10.0);
}

inline void add_region(v1::Partition& p, const std::string& id, const std::vector<int>& members) {
  v1::Region* r = p.add_regions();
  r->set_id(id);
  r->set_name("Regio " + id);
  for (int m : members) r->add_municipality_codes(m_code(m));
}

inline v1::Partition hand_partition() {
  v1::Partition p;
  p.set_name("bre");
  add_region(p, "R1", {1, 2, 3, 4});
  add_region(p, "R2", {5, 6, 7});
  add_region(p, "R3", {8, 9, 10, 11});
  add_region(p, "R4", {12});
  return p;
}

inline v1::Partition hand_dus_partition() {
  v1::Partition p;
  p.set_name("dus");
  add_region(p, "D1", {1, 2});
  add_region(p, "D2", {3, 4});
  add_region(p, "D3", {5, 6, 7, 12});
  add_region(p, "D4", {8, 9, 10, 11});
  return p;
}

/// Column index of `id`; a test failure when absent.
inline int column_of(const v1::IndicatorTable& table, const std::string& id) {
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c).id() == id) return c;
  }
  ADD_FAILURE() << "table " << table.name() << " has no column " << id;
  return 0;
}

/// The row with `region_id` (rows, then summary rows); a test failure when absent.
inline const v1::IndicatorRow& row_of(const v1::IndicatorTable& table, const std::string& region_id) {
  for (const auto& row : table.rows()) {
    if (row.region_id() == region_id) return row;
  }
  for (const auto& row : table.summary_rows()) {
    if (row.region_id() == region_id) return row;
  }
  ADD_FAILURE() << "table " << table.name() << " has no row " << region_id;
  static const v1::IndicatorRow empty;
  return empty;
}

inline double cell(const v1::IndicatorTable& table, const std::string& region_id, const std::string& column) {
  const v1::IndicatorRow& row = row_of(table, region_id);
  const int c = column_of(table, column);
  return c < row.values_size() ? row.values(c) : std::nan("");
}

/// A categorical cell as its category ("" when NaN or out of range).
inline std::string category(const v1::IndicatorTable& table, const std::string& region_id, const std::string& column) {
  const double v = cell(table, region_id, column);
  const int c = column_of(table, column);
  if (!std::isfinite(v) || v < 0 || v >= table.columns(c).categories_size()) return "";
  return table.columns(c).categories(static_cast<int>(v));
}

/// Runs `plugin` as step "step_under_test" with several input steps.
inline Status run_with_inputs(const Plugin& plugin, const DatasetIndex& index, const Params& params,
                              const std::vector<const v1::Artifacts*>& inputs, v1::Artifacts& out) {
  std::vector<StepInput> steps;
  for (std::size_t i = 0; i < inputs.size(); ++i) steps.push_back({"input" + std::to_string(i), inputs[i]});
  const StepContext context("step_under_test", index, params, 1, std::move(steps), nullptr, logger().get());
  return plugin.run(context, out);
}

/// True when some warning contains every one of `parts`.
inline bool has_warning(const std::vector<std::string>& warnings, const std::vector<std::string>& parts) {
  for (const std::string& w : warnings) {
    bool all = true;
    for (const std::string& p : parts) all = all && w.find(p) != std::string::npos;
    if (all) return true;
  }
  return false;
}

}  // namespace bre::test
