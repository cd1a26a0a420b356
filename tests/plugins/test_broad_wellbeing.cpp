// indicator.broad_wellbeing (DOMAIN.md §6) on the hand-built country of
// indicator_fixture.hpp against values computed here, and on the demo dataset against
// properties (z-scores have mean 0) and its planted effect (a better trend where the
// lead actor is accepted, docs/demo-dataset.md).
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include "broad_wellbeing.hpp"
#include "indicator_fixture.hpp"
#include "plugin_harness.hpp"
#include "weighted_statistics.hpp"

namespace {

using bre::indicator::BroadWellbeing;
using bre::indicator::BroadWellbeingParameters;
using bre::indicator::Standardisation;
using bre::test::category;
using bre::test::cell;

TEST(WeightedStatistics, ByHand) {
  // x = 1..4, y = 1 3 2 5: Sxy = 5.5, Sxx = 5.
  EXPECT_DOUBLE_EQ(bre::indicator::ols_slope({1, 2, 3, 4}, {1, 3, 2, 5}), 1.1);
  EXPECT_TRUE(std::isnan(bre::indicator::ols_slope({2016}, {1})));
  EXPECT_TRUE(std::isnan(bre::indicator::ols_slope({2016, 2016}, {1, 2})));
  EXPECT_EQ(bre::indicator::median({3, 1, 2}), 2.0);
  EXPECT_EQ(bre::indicator::median({4, 1, 3, 2}), 2.5);
  EXPECT_TRUE(std::isnan(bre::indicator::median({})));
  const bre::indicator::WeightedSummary s = bre::indicator::summarise({{1.0, 1.0}, {3.0, 3.0}});
  EXPECT_DOUBLE_EQ(s.mean, 2.5);
  EXPECT_DOUBLE_EQ(s.sd, std::sqrt((1.5 * 1.5 + 3 * 0.5 * 0.5) / 4.0));
  EXPECT_EQ(s.minimum, 1.0);
  EXPECT_EQ(s.maximum, 3.0);
}

class BroadWellbeingTest : public ::testing::Test {
 protected:
  BroadWellbeingTest() { bre::test::add_area_indicators(dataset_); }
  // Only income counts: the index is income's z-score.
  void income_only() {
    for (auto& indicator : *dataset_.mutable_area_indicators()) {
      indicator.set_broad_wellbeing(indicator.id() == "income");
    }
  }
  // Sets the 2014 income of municipality m (1-based).
  void set_income_2014(int m, double value) {
    for (auto& v : *dataset_.mutable_indicator_values()) {
      if (v.indicator_id() == "income" && v.year() == 2014 && v.municipality_code() == bre::test::m_code(m)) {
        v.set_value(value);
      }
    }
  }
  BroadWellbeing run(BroadWellbeingParameters parameters = {}) {
    index_ = std::make_unique<bre::DatasetIndex>(dataset_);
    BroadWellbeing bw(*index_, partition_, parameters);
    const bre::Status s = bw.run();
    EXPECT_TRUE(s.is_ok()) << s.message();
    return bw;
  }
  bre::v1::Dataset dataset_ = bre::test::hand_dataset();
  std::unique_ptr<bre::DatasetIndex> index_;
  bre::v1::Partition partition_ = bre::test::hand_partition();
};

// Unweighted mean and population SD of the 2014 incomes (M12 has none).
std::pair<double, double> income_2014_moments(const std::vector<double>& income_2014) {
  double sum = 0.0;
  for (double x : income_2014) sum += x;
  const double mean = sum / static_cast<double>(income_2014.size());
  double squares = 0.0;
  for (double x : income_2014) squares += (x - mean) * (x - mean);
  return {mean, std::sqrt(squares / static_cast<double>(income_2014.size()))};
}

TEST_F(BroadWellbeingTest, SingleIndicatorByHand) {
  income_only();
  const BroadWellbeing bw = run();
  EXPECT_EQ(bw.years(), (std::vector<int>{2014, 2016}));
  const auto [mean, sd] = income_2014_moments({8, 18, 28, 38, 18, 18, 18, 28, 28, 28, 28});
  const bre::v1::IndicatorTable& m = bw.municipality_table();
  ASSERT_EQ(m.rows_size(), 12);
  // Base-year standardisation: 2016 values against the 2014 mean and SD.
  EXPECT_NEAR(cell(m, "GM0101", "index_2014"), (8 - mean) / sd, 1e-12);
  EXPECT_NEAR(cell(m, "GM0101", "index_2016"), (10 - mean) / sd, 1e-12);
  EXPECT_NEAR(cell(m, "GM0101", "trend"), 1.0 / sd, 1e-12);  // +2 in two years
  EXPECT_EQ(category(m, "GM0101", "region"), "R1");
  EXPECT_TRUE(std::isnan(cell(m, "GM0112", "index_2016")));
  EXPECT_EQ(cell(m, "GM0112", "n_missing"), 2.0);

  const bre::v1::IndicatorTable& t = bw.region_table();
  // R1: population-weighted mean income 29 in 2016, 27 in 2014.
  EXPECT_NEAR(cell(t, "R1", "level"), (29 - mean) / sd, 1e-12);
  EXPECT_NEAR(cell(t, "R1", "index_2014"), (27 - mean) / sd, 1e-12);
  EXPECT_NEAR(cell(t, "R1", "trend"), 1.0 / sd, 1e-12);
  EXPECT_NEAR(cell(t, "R1", "theme_economy"), (29 - mean) / sd, 1e-12);
  // Median of the 2016 municipal values 10 20 20 20 20 30 30 30 30 30 40 is 30.
  EXPECT_NEAR(cell(t, "NL_median", "level"), (30 - mean) / sd, 1e-12);
  EXPECT_EQ(category(t, "R1", "position"), "low");   // 29 < 30
  EXPECT_EQ(category(t, "R2", "position"), "low");   // 20
  EXPECT_EQ(category(t, "R3", "position"), "high");  // 30 >= 30
  EXPECT_EQ(category(t, "R4", "position"), "");      // no values at all
  EXPECT_TRUE(std::isnan(cell(t, "R4", "level")));
  // Everybody grows by 2: every trend is the median trend.
  for (const char* region : {"R1", "R2", "R3"}) EXPECT_EQ(category(t, region, "trend_class"), "average") << region;
  // The national row: population-weighted over all municipalities with a value.
  EXPECT_NEAR(cell(t, "NL", "level"), (490000.0 / 18000.0 - mean) / sd, 1e-12);

  // Per-year standardisation: the shift cancels, nobody has a trend.
  BroadWellbeingParameters per_year;
  per_year.standardisation = Standardisation::kPerYear;
  const BroadWellbeing relative = run(per_year);
  EXPECT_NEAR(cell(relative.region_table(), "R1", "trend"), 0.0, 1e-12);
  EXPECT_NEAR(cell(relative.municipality_table(), "GM0101", "index_2016"), (10 - (mean + 2)) / sd, 1e-12);
}

TEST_F(BroadWellbeingTest, TrendClasses) {
  income_only();
  for (int m : {8, 9, 10, 11}) set_income_2014(m, 26);  // R3 grows by 4
  for (int m : {5, 6, 7}) set_income_2014(m, 21);       // R2 shrinks by 1
  const auto [mean, sd] = income_2014_moments({8, 18, 28, 38, 21, 21, 21, 26, 26, 26, 26});
  BroadWellbeingParameters parameters;
  parameters.trend_threshold = 0.05;
  const BroadWellbeing bw = run(parameters);
  const bre::v1::IndicatorTable& t = bw.region_table();
  // Municipal trends: four (R3) of 2/sd, three (R2) of -0.5/sd, four (R1) of 1/sd -> median 1/sd.
  EXPECT_NEAR(cell(t, "NL_median", "trend"), 1.0 / sd, 1e-12);
  EXPECT_NEAR(cell(t, "R3", "trend"), 2.0 / sd, 1e-12);
  ASSERT_GT(1.0 / sd, 0.05);  // R3 is more than the threshold above the median
  EXPECT_EQ(category(t, "R3", "trend_class"), "positive");
  EXPECT_EQ(category(t, "R1", "trend_class"), "average");
  EXPECT_EQ(category(t, "R2", "trend_class"), "negative");
  EXPECT_EQ(category(bw.municipality_table(), "GM0108", "trend_class"), "positive");
  // A threshold beyond every difference makes every trend average.
  parameters.trend_threshold = 10.0;
  const bre::v1::IndicatorTable wide = run(parameters).region_table();
  for (const char* region : {"R1", "R2", "R3"}) EXPECT_EQ(category(wide, region, "trend_class"), "average");
  // "change" equals the slope with two years.
  parameters.trend = bre::indicator::TrendMeasure::kChange;
  EXPECT_NEAR(cell(run(parameters).region_table(), "R3", "trend"), 2.0 / sd, 1e-12);
}

TEST_F(BroadWellbeingTest, ThemesSignsAndMissingValues) {
  const BroadWellbeing bw = run();
  const bre::v1::IndicatorTable& m = bw.municipality_table();
  // House prices: lower is better, so the dearest place scores lowest on housing.
  EXPECT_LT(cell(m, "GM0101", "theme_housing_and_services"), 0.0);  // 300
  EXPECT_GT(cell(m, "GM0108", "theme_housing_and_services"), 0.0);  // 100
  // The index is the mean of the themes a municipality has.
  const double economy = cell(m, "GM0101", "theme_economy");
  const double environment = cell(m, "GM0101", "theme_environment");
  const double housing = cell(m, "GM0101", "theme_housing_and_services");
  EXPECT_NEAR(cell(m, "GM0101", "index_2016"), (economy + environment + housing) / 3.0, 1e-12);
  // M3 lacks green: its index averages economy and housing; M12 lacks income.
  EXPECT_TRUE(std::isnan(cell(m, "GM0103", "theme_environment")));
  EXPECT_NEAR(cell(m, "GM0103", "index_2016"),
              (cell(m, "GM0103", "theme_economy") + cell(m, "GM0103", "theme_housing_and_services")) / 2.0, 1e-12);
  EXPECT_EQ(cell(m, "GM0103", "n_missing"), 2.0);
  EXPECT_EQ(cell(bw.region_table(), "R1", "n_missing"), 2.0);
  EXPECT_TRUE(bre::test::has_warning(bw.warnings(), {"'income'", "2016", "GM0112 (M12)", "niet geschat"}));
  EXPECT_TRUE(bre::test::has_warning(bw.warnings(), {"'green'", "2014", "GM0103 (M3)"}));
  // R4, one municipality: its level is its own index.
  EXPECT_NEAR(cell(bw.region_table(), "R4", "level"), cell(m, "GM0112", "index_2016"), 1e-12);
}

TEST_F(BroadWellbeingTest, PopulationMissingFallsBackToUnweighted) {
  income_only();
  dataset_.mutable_municipalities(1)->clear_population();  // M2
  const BroadWellbeing bw = run();
  const auto [mean, sd] = income_2014_moments({8, 18, 28, 38, 18, 18, 18, 28, 28, 28, 28});
  EXPECT_EQ(cell(bw.region_table(), "R1", "population_weighted"), 0.0);
  EXPECT_NEAR(cell(bw.region_table(), "R1", "level"), (25 - mean) / sd, 1e-12);  // (10+20+30+40)/4
  EXPECT_EQ(cell(bw.region_table(), "R2", "population_weighted"), 1.0);
  EXPECT_EQ(cell(bw.region_table(), "NL", "population_weighted"), 0.0);
  EXPECT_TRUE(bre::test::has_warning(bw.warnings(), {"0 of geen inwoners", "GM0102 (M2)"}));
}

TEST_F(BroadWellbeingTest, OneYearHasNoTrend) {
  dataset_.clear_indicator_values();
  bre::v1::Dataset with_values = bre::test::hand_dataset();
  bre::test::add_area_indicators(with_values);
  for (const auto& v : with_values.indicator_values()) {
    if (v.year() == 2016) *dataset_.add_indicator_values() = v;
  }
  const BroadWellbeing bw = run();
  EXPECT_EQ(bw.years(), std::vector<int>{2016});
  EXPECT_TRUE(std::isnan(cell(bw.region_table(), "R1", "trend")));
  EXPECT_EQ(category(bw.region_table(), "R1", "trend_class"), "");
  EXPECT_TRUE(bre::test::has_warning(bw.warnings(), {"maar één jaar"}));
}

TEST_F(BroadWellbeingTest, Errors) {
  for (auto& indicator : *dataset_.mutable_area_indicators()) indicator.set_broad_wellbeing(false);
  index_ = std::make_unique<bre::DatasetIndex>(dataset_);
  BroadWellbeing none(*index_, partition_, {});
  const bre::Status s = none.run();
  EXPECT_EQ(s.code(), bre::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("broad_wellbeing"), std::string::npos);
  EXPECT_THROW(none.region_table(), std::logic_error);
  BroadWellbeingParameters bad;
  bad.trend_threshold = -1.0;
  BroadWellbeing negative(*index_, partition_, bad);
  EXPECT_NE(negative.run().message().find("trend_threshold"), std::string::npos);
  EXPECT_FALSE(bre::indicator::parse_standardisation("global").has_value());
  EXPECT_FALSE(bre::indicator::parse_trend_measure("spline").has_value());
}

// ---------------------------------------------------------------------------
// The demo dataset.

TEST(BroadWellbeingDemo, ZScoresHaveMeanZero) {
  bre::test::DemoFixture demo;
  for (Standardisation standardisation : {Standardisation::kPerYear, Standardisation::kBaseYear}) {
    BroadWellbeingParameters parameters;
    parameters.standardisation = standardisation;
    BroadWellbeing bw(demo.index, demo.planted.partitions(0), parameters);
    ASSERT_TRUE(bw.run().is_ok());
    const bre::v1::IndicatorTable& m = bw.municipality_table();
    for (const auto& column : m.columns()) {
      const bool standardised = column.id().rfind("theme_", 0) == 0 || column.id().rfind("index_", 0) == 0;
      if (!standardised) continue;
      // Theme scores of the latest year, and the index every year under per_year;
      // under base_year only the base year (2014) is centred.
      if (standardisation == Standardisation::kBaseYear && column.id() != "index_2014") continue;
      double sum = 0.0;
      for (const auto& row : m.rows()) sum += cell(m, row.region_id(), column.id());
      EXPECT_NEAR(sum / m.rows_size(), 0.0, 1e-9) << column.id();
    }
  }
}

TEST(BroadWellbeingDemo, AcceptedLeadActorGoesWithABetterTrend) {
  bre::test::DemoFixture demo;
  BroadWellbeing bw(demo.index, demo.planted.partitions(0), {});
  ASSERT_TRUE(bw.run().is_ok());
  const bre::v1::IndicatorTable& t = bw.region_table();
  double accepted_sum = 0.0, other_sum = 0.0;
  int accepted = 0, other = 0;
  for (const auto& c : demo.dataset.cases()) {
    const double trend = cell(t, c.region_id(), "trend");
    if (c.lead_actor_accepted() == bre::v1::TRISTATE_YES) {
      accepted_sum += trend;
      ++accepted;
    } else {
      other_sum += trend;
      ++other;
    }
  }
  ASSERT_GT(accepted, 5);
  ASSERT_GT(other, 5);
  EXPECT_GT(accepted_sum / accepted, other_sum / other);
  // Position and trend class follow their rule against the NL_median row.
  const double median_level = cell(t, "NL_median", "level");
  for (const auto& row : t.rows()) {
    EXPECT_EQ(category(t, row.region_id(), "position"),
              cell(t, row.region_id(), "level") >= median_level ? "high" : "low");
  }
}

TEST(BroadWellbeingPlugin, RunsOnTheDemoDataset) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("indicator_broad_wellbeing.so", "indicator.broad_wellbeing");
  ASSERT_NE(harness.plugin(), nullptr);
  EXPECT_TRUE(bre::validate_description(harness.plugin()->description).is_ok());
  google::protobuf::Struct given;
  (*given.mutable_fields())["standardise"].set_string_value("per_year");
  bre::Expected<bre::Params> params = harness.params(given);
  ASSERT_TRUE(params.has_value()) << params.status().message();
  bre::v1::Artifacts out;
  ASSERT_TRUE(harness.run(demo.index, *params, 1, &demo.planted, out).is_ok());
  ASSERT_EQ(out.tables_size(), 2);
  EXPECT_EQ(out.tables(0).name(), "broad_wellbeing");
  EXPECT_EQ(out.tables(1).name(), "broad_wellbeing_municipalities");
  EXPECT_EQ(out.tables(1).rows_size(), demo.dataset.municipalities_size());
  google::protobuf::Struct bad;
  (*bad.mutable_fields())["trend"].set_string_value("spline");
  EXPECT_FALSE(harness.params(bad).has_value());
}

}  // namespace
