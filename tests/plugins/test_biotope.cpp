// indicator.biotope (DOMAIN.md §4) on the hand-built country of indicator_fixture.hpp
// against values computed here from the fixture's numbers, and on the demo dataset
// against properties: the variance decomposition adds up, a region equal to the
// whole country has the national statistics.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include "biotope.hpp"
#include "indicator_fixture.hpp"
#include "plugin_harness.hpp"

namespace {

using bre::indicator::Biotope;
using bre::indicator::BiotopeParameters;
using bre::test::category;
using bre::test::cell;
using bre::test::kNoValue;

const std::vector<double> kPopulation = {1000, 3000, 2000, 4000, 1000, 1000, 2000, 1000, 1000, 1000, 1000, 500};

// Weighted mean and population SD of the fixture values of municipalities `members`
// (1-based), skipping missing ones; the reference the plugin is checked against.
struct Reference {
  double mean;
  double sd;
};
Reference reference(const std::vector<double>& values, const std::vector<int>& members, bool weighted = true) {
  double w = 0.0, wx = 0.0;
  for (int m : members) {
    if (values[m - 1] == kNoValue) continue;
    const double weight = weighted ? kPopulation[m - 1] : 1.0;
    w += weight;
    wx += weight * values[m - 1];
  }
  const double mean = wx / w;
  double squares = 0.0;
  for (int m : members) {
    if (values[m - 1] == kNoValue) continue;
    const double weight = weighted ? kPopulation[m - 1] : 1.0;
    squares += weight * (values[m - 1] - mean) * (values[m - 1] - mean);
  }
  return {mean, std::sqrt(squares / w)};
}
const std::vector<int> kAll = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

class BiotopeTest : public ::testing::Test {
 protected:
  BiotopeTest() { bre::test::add_area_indicators(dataset_); }
  Biotope run(BiotopeParameters parameters = {}) {
    index_ = std::make_unique<bre::DatasetIndex>(dataset_);
    Biotope biotope(*index_, partition_, parameters);
    const bre::Status s = biotope.run();
    EXPECT_TRUE(s.is_ok()) << s.message();
    return biotope;
  }
  bre::v1::Dataset dataset_ = bre::test::hand_dataset();
  std::unique_ptr<bre::DatasetIndex> index_;
  bre::v1::Partition partition_ = bre::test::hand_partition();
};

TEST_F(BiotopeTest, RegionStatisticsByHand) {
  const Biotope biotope = run();
  const bre::v1::IndicatorTable& t = biotope.table();
  EXPECT_EQ(biotope.year(), 2016);
  EXPECT_EQ(t.name(), "biotope");
  ASSERT_EQ(t.rows_size(), 4);
  // R1 income: (10*1000 + 20*3000 + 30*2000 + 40*4000) / 10000 = 29; deviations
  // -19, -9, 1, 11 -> weighted variance 109.
  EXPECT_DOUBLE_EQ(cell(t, "R1", "income_mean"), 29.0);
  EXPECT_EQ(cell(t, "R1", "income_min"), 10.0);
  EXPECT_EQ(cell(t, "R1", "income_max"), 40.0);
  EXPECT_DOUBLE_EQ(cell(t, "R1", "income_cv"), std::sqrt(109.0) / 29.0);
  EXPECT_EQ(cell(t, "R1", "income_n"), 4.0);
  EXPECT_EQ(cell(t, "R1", "population_weighted"), 1.0);
  // R1 green: M3 has no value, the other three are 5.
  EXPECT_EQ(cell(t, "R1", "green_mean"), 5.0);
  EXPECT_EQ(cell(t, "R1", "green_cv"), 0.0);
  EXPECT_EQ(cell(t, "R1", "green_n"), 3.0);
  // R2 green: (10 + 20 + 2*30) / 4 = 22.5.
  EXPECT_DOUBLE_EQ(cell(t, "R2", "green_mean"), 22.5);
  EXPECT_EQ(cell(t, "R2", "income_cv"), 0.0);
  // R4, one municipality without income: its green is its own value.
  EXPECT_EQ(cell(t, "R4", "n_municipalities"), 1.0);
  EXPECT_EQ(cell(t, "R4", "green_mean"), 50.0);
  EXPECT_EQ(cell(t, "R4", "green_min"), 50.0);
  EXPECT_EQ(cell(t, "R4", "green_max"), 50.0);
  EXPECT_EQ(cell(t, "R4", "green_cv"), 0.0);
  EXPECT_EQ(cell(t, "R4", "income_n"), 0.0);
  EXPECT_TRUE(std::isnan(cell(t, "R4", "income_mean")));
  EXPECT_TRUE(std::isnan(cell(t, "R4", "theme_economy")));  // income is the only economy indicator
  EXPECT_TRUE(std::isnan(cell(t, "R4", "mirror_economy_environment")));
  // National reference.
  const Reference income = reference(bre::test::kIncome2016, kAll);
  EXPECT_DOUBLE_EQ(cell(t, "NL", "income_mean"), income.mean);
  EXPECT_NEAR(cell(t, "NL", "income_cv"), income.sd / income.mean, 1e-12);
  EXPECT_EQ(cell(t, "NL", "income_n"), 11.0);
  EXPECT_EQ(cell(t, "NL", "n_municipalities"), 12.0);
}

TEST_F(BiotopeTest, MissingValuesAreReportedNotImputed) {
  const Biotope biotope = run();
  EXPECT_TRUE(bre::test::has_warning(biotope.warnings(), {"'income'", "2016", "1 van 12", "GM0112 (M12)", "niet geschat"}));
  EXPECT_TRUE(bre::test::has_warning(biotope.warnings(), {"'green'", "GM0103 (M3)"}));
  EXPECT_FALSE(bre::test::has_warning(biotope.warnings(), {"'house_price'"}));
}

TEST_F(BiotopeTest, ThemeScoresAndMirrorFlags) {
  BiotopeParameters parameters;
  parameters.mirror_threshold = 0.1;
  const bre::v1::IndicatorTable t = run(parameters).table();
  const Reference income = reference(bre::test::kIncome2016, kAll);
  const Reference green = reference(bre::test::kGreen2016, kAll);
  const Reference price = reference(bre::test::kHousePrice2016, kAll);
  // Signed z of the region mean against the nation; house prices: lower is better.
  const double economy = (29.0 - income.mean) / income.sd;
  const double housing = -(300.0 - price.mean) / price.sd;
  const double environment = (5.0 - green.mean) / green.sd;
  EXPECT_NEAR(cell(t, "R1", "theme_economy"), economy, 1e-12);
  EXPECT_NEAR(cell(t, "R1", "theme_housing_and_services"), housing, 1e-12);
  EXPECT_NEAR(cell(t, "R1", "theme_environment"), environment, 1e-12);
  EXPECT_NEAR(cell(t, "NL", "theme_economy"), 0.0, 1e-12);
  // R1 is the urban core: economy above, affordable housing and green space below.
  ASSERT_GE(economy, 0.1);
  ASSERT_LE(housing, -0.1);
  ASSERT_LE(environment, -0.1);
  EXPECT_EQ(category(t, "R1", "mirror_housing_and_services_economy"), "housing_and_services low, economy high");
  EXPECT_EQ(category(t, "R1", "mirror_economy_environment"), "economy high, environment low");
  // Every flag agrees with the scores it is read from.
  for (const auto& row : t.rows()) {
    const double a = cell(t, row.region_id(), "theme_economy");
    const double b = cell(t, row.region_id(), "theme_environment");
    if (!std::isfinite(a) || !std::isfinite(b)) continue;
    const std::string expected = a >= 0.1 && b <= -0.1   ? "economy high, environment low"
                                 : a <= -0.1 && b >= 0.1 ? "economy low, environment high"
                                                         : "none";
    EXPECT_EQ(category(t, row.region_id(), "mirror_economy_environment"), expected) << row.region_id();
  }
  // With the default threshold 0.5 R1's economy score (about 0.2) is not high enough.
  EXPECT_EQ(category(run().table(), "R1", "mirror_economy_environment"), "none");
}

TEST_F(BiotopeTest, SpreadTableByHand) {
  const bre::v1::IndicatorTable s = run().spread_table();
  EXPECT_EQ(s.name(), "biotope_spread");
  ASSERT_EQ(s.rows_size(), 3);
  EXPECT_EQ(category(s, "income", "theme"), "economy");
  // house_price has every value: within (R1, R2, R3, R4 constant) = 0, all variance between.
  const Reference price = reference(bre::test::kHousePrice2016, kAll);
  EXPECT_NEAR(cell(s, "house_price", "national_sd"), price.sd, 1e-9);
  EXPECT_NEAR(cell(s, "house_price", "within_region_sd"), 0.0, 1e-12);
  EXPECT_NEAR(cell(s, "house_price", "between_region_sd"), price.sd, 1e-9);
  EXPECT_DOUBLE_EQ(cell(s, "house_price", "between_share"), 1.0);
  EXPECT_EQ(cell(s, "house_price", "region_mean_min"), 100.0);
  EXPECT_EQ(cell(s, "house_price", "region_mean_max"), 300.0);
  // income: R1's variance 109 over its weight 10000 of 18000 is all of the within part.
  const Reference income = reference(bre::test::kIncome2016, kAll);
  EXPECT_NEAR(cell(s, "income", "within_region_sd"), std::sqrt(109.0 * 10000.0 / 18000.0), 1e-12);
  const double within = 109.0 * 10000.0 / 18000.0;
  EXPECT_NEAR(cell(s, "income", "between_share"), 1.0 - within / (income.sd * income.sd), 1e-12);
  EXPECT_NEAR(cell(s, "income", "mean_region_cv"), (std::sqrt(109.0) / 29.0 + 0.0 + 0.0) / 3.0, 1e-12);
}

TEST_F(BiotopeTest, PopulationMissingFallsBackToUnweighted) {
  dataset_.mutable_municipalities(4)->set_population(0);  // M5
  const Biotope biotope = run();
  const bre::v1::IndicatorTable& t = biotope.table();
  EXPECT_EQ(cell(t, "R2", "population_weighted"), 0.0);
  EXPECT_DOUBLE_EQ(cell(t, "R2", "green_mean"), 20.0);  // (10 + 20 + 30) / 3
  EXPECT_EQ(cell(t, "R1", "population_weighted"), 1.0);
  EXPECT_DOUBLE_EQ(cell(t, "R1", "income_mean"), 29.0);
  EXPECT_EQ(cell(t, "NL", "population_weighted"), 0.0);
  EXPECT_NEAR(cell(t, "NL", "income_mean"), reference(bre::test::kIncome2016, kAll, false).mean, 1e-12);
  EXPECT_EQ(cell(biotope.spread_table(), "income", "population_weighted"), 0.0);
  EXPECT_TRUE(bre::test::has_warning(biotope.warnings(), {"0 of geen inwoners", "GM0105 (M5)", "ongewogen"}));
}

TEST_F(BiotopeTest, YearParameter) {
  BiotopeParameters parameters;
  parameters.year = 2014;
  const bre::v1::IndicatorTable t = run(parameters).table();
  EXPECT_EQ(cell(t, "R2", "income_mean"), 18.0);
  EXPECT_DOUBLE_EQ(cell(t, "R1", "house_price_mean"), 290.0);
  parameters.year = 2015;
  index_ = std::make_unique<bre::DatasetIndex>(dataset_);
  Biotope missing(*index_, partition_, parameters);
  const bre::Status s = missing.run();
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("parameter 'year'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("2014, 2016"), std::string::npos) << s.message();
  EXPECT_THROW(missing.table(), std::logic_error);
}

TEST_F(BiotopeTest, BadInput) {
  BiotopeParameters parameters;
  parameters.mirror_threshold = 0.0;
  index_ = std::make_unique<bre::DatasetIndex>(dataset_);
  Biotope bad(*index_, partition_, parameters);
  EXPECT_NE(bad.run().message().find("mirror_threshold"), std::string::npos);

  *dataset_.add_indicator_values() = dataset_.indicator_values(3);  // the same value twice
  index_ = std::make_unique<bre::DatasetIndex>(dataset_);
  Biotope twice(*index_, partition_, {});
  const bre::Status s = twice.run();
  EXPECT_NE(s.message().find("indicator_values[" + std::to_string(dataset_.indicator_values_size() - 1) + "]"),
            std::string::npos)
      << s.message();
  dataset_.mutable_indicator_values(0)->set_indicator_id("crime");
  index_ = std::make_unique<bre::DatasetIndex>(dataset_);
  Biotope unknown(*index_, partition_, {});
  EXPECT_NE(unknown.run().message().find("'crime'"), std::string::npos);

  dataset_.clear_indicator_values();
  index_ = std::make_unique<bre::DatasetIndex>(dataset_);
  Biotope empty(*index_, partition_, {});
  EXPECT_EQ(empty.run().code(), bre::StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------
// Properties on the demo dataset.

TEST(BiotopeDemo, WholeCountryRegionHasTheNationalStatistics) {
  bre::test::DemoFixture demo;
  bre::v1::Partition country;
  country.set_name("country");
  bre::v1::Region* all = country.add_regions();
  all->set_id("ALL");
  for (const auto& m : demo.dataset.municipalities()) all->add_municipality_codes(m.code());
  Biotope biotope(demo.index, country, {});
  ASSERT_TRUE(biotope.run().is_ok());
  const bre::v1::IndicatorTable& t = biotope.table();
  ASSERT_EQ(t.rows_size(), 1);
  for (int c = 0; c < t.columns_size(); ++c) {
    const double region = t.rows(0).values(c);
    const double national = t.summary_rows(0).values(c);
    if (std::isnan(national)) {
      EXPECT_TRUE(std::isnan(region)) << t.columns(c).id();
    } else {
      EXPECT_EQ(region, national) << t.columns(c).id();
    }
  }
  // ... and no spread between regions.
  for (const auto& row : biotope.spread_table().rows()) {
    EXPECT_NEAR(cell(biotope.spread_table(), row.region_id(), "between_share"), 0.0, 1e-12) << row.region_id();
  }
}

TEST(BiotopeDemo, WithinPlusBetweenIsTheNationalVariance) {
  bre::test::DemoFixture demo;
  Biotope biotope(demo.index, demo.planted.partitions(0), {});
  ASSERT_TRUE(biotope.run().is_ok());
  EXPECT_TRUE(biotope.warnings().empty());
  const bre::v1::IndicatorTable& s = biotope.spread_table();
  ASSERT_EQ(s.rows_size(), demo.dataset.area_indicators_size());
  for (const auto& row : s.rows()) {
    const std::string& id = row.region_id();
    const double within = cell(s, id, "within_region_sd");
    const double between = cell(s, id, "between_region_sd");
    const double total = cell(s, id, "national_sd");
    EXPECT_NEAR(within * within + between * between, total * total, 1e-9 * total * total) << id;
    // docs/demo-dataset.md: region and municipal noise are of the same size, so
    // neither part of the spread is negligible (the study's "the biotope does not exist").
    if (id != "address_density") {
      EXPECT_GT(cell(s, id, "between_share"), 0.15) << id;
      EXPECT_LT(cell(s, id, "between_share"), 0.85) << id;
    }
  }
  // Mirrored themes: urban regions (high economy) have less green space, so some
  // region shows economy high and environment low.
  bool urban_mirror = false;
  for (const auto& row : biotope.table().rows()) {
    urban_mirror = urban_mirror ||
                   category(biotope.table(), row.region_id(), "mirror_economy_environment") == "economy high, environment low";
  }
  EXPECT_TRUE(urban_mirror);
}

TEST(BiotopePlugin, RunsOnTheDemoDataset) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("indicator_biotope.so", "indicator.biotope");
  ASSERT_NE(harness.plugin(), nullptr);
  EXPECT_TRUE(bre::validate_description(harness.plugin()->description).is_ok());
  bre::Expected<bre::Params> params = harness.params();
  ASSERT_TRUE(params.has_value());
  bre::v1::Artifacts out;
  ASSERT_TRUE(harness.run(demo.index, *params, 1, &demo.planted, out).is_ok());
  ASSERT_EQ(out.tables_size(), 2);
  EXPECT_EQ(out.tables(0).name(), "biotope");
  EXPECT_EQ(out.tables(1).name(), "biotope_spread");
  EXPECT_EQ(out.tables(0).rows_size(), demo.planted.partitions(0).regions_size());
  bre::v1::Artifacts none;
  EXPECT_EQ(harness.run(demo.index, *params, 1, nullptr, none).code(), bre::StatusCode::kFailedPrecondition);
  google::protobuf::Struct given;
  (*given.mutable_fields())["year"].set_number_value(-1);
  EXPECT_FALSE(harness.params(given).has_value());
}

}  // namespace
