// indicator.quadrant (DOMAIN.md §6): cases matched to regions by municipality
// overlap, quadrants and readings checked by hand against a broad_wellbeing table
// written here; then the plugin after indicator.broad_wellbeing on the demo dataset.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include "indicator_fixture.hpp"
#include "indicator_table.hpp"
#include "plugin_harness.hpp"
#include "quadrant.hpp"

namespace {

using bre::indicator::Quadrant;
using bre::indicator::QuadrantParameters;
using bre::test::category;
using bre::test::cell;

void add_case(bre::v1::Dataset& d, const std::string& id, const std::vector<int>& members,
              bre::v1::Tristate investment) {
  bre::v1::CaseDescriptors* c = d.add_cases();
  c->set_region_id(id);
  c->set_region_name("Case " + id);
  for (int m : members) c->add_municipality_codes(bre::test::m_code(m));
  c->set_structured_investment(investment);
}

// A broad_wellbeing table as indicator.broad_wellbeing writes it: position 0 low /
// 1 high, trend_class 0 negative / 1 average / 2 positive.
bre::v1::IndicatorTable broad_wellbeing_table(const std::vector<std::vector<double>>& rows) {
  bre::v1::IndicatorTable t;
  t.set_name("broad_wellbeing");
  t.set_partition_name("bre");
  bre::indicator::add_column(t, bre::Language::kDutch, "level", {}, "", {});
  bre::indicator::add_column(t, bre::Language::kDutch, "trend", {}, "", {});
  bre::indicator::add_column(t, bre::Language::kDutch, "position", {}, "", {}, {"low", "high"});
  bre::indicator::add_column(t, bre::Language::kDutch, "trend_class", {}, "", {}, {"negative", "average", "positive"});
  for (std::size_t r = 0; r < rows.size(); ++r) {
    bre::v1::IndicatorRow& row = bre::indicator::add_row(t, "R" + std::to_string(r + 1), "");
    for (int c = 0; c < 4; ++c) row.set_values(c, rows[r][static_cast<std::size_t>(c)]);
  }
  return t;
}

class QuadrantTest : public ::testing::Test {
 protected:
  QuadrantTest() {
    add_case(dataset_, "C1", {1, 2, 3, 4}, bre::v1::TRISTATE_YES);    // = R1
    add_case(dataset_, "C2", {5, 6}, bre::v1::TRISTATE_NO);           // 2 of R2's 3: Jaccard 2/3
    add_case(dataset_, "C3", {8, 9, 10, 11}, bre::v1::TRISTATE_UNKNOWN);  // = R3, says nothing
    add_case(dataset_, "C4", {1, 12}, bre::v1::TRISTATE_YES);         // R4: Jaccard 1/2; R1: 1/5
  }
  Quadrant run(const bre::v1::IndicatorTable& bw, QuadrantParameters parameters = {}) {
    index_ = std::make_unique<bre::DatasetIndex>(dataset_);
    Quadrant q(*index_, partition_, bw, parameters);
    const bre::Status s = q.run();
    EXPECT_TRUE(s.is_ok()) << s.message();
    return q;
  }
  bre::v1::Dataset dataset_ = bre::test::hand_dataset();
  std::unique_ptr<bre::DatasetIndex> index_;
  bre::v1::Partition partition_ = bre::test::hand_partition();
  // level, trend, position, trend_class per region R1..R4.
  bre::v1::IndicatorTable bw_ = broad_wellbeing_table({{0.5, 0.1, 1, 2}, {-0.3, 0.2, 0, 2}, {0.1, 0.0, 1, 1},
                                                       {-0.2, -0.1, 0, 0}});
};

TEST_F(QuadrantTest, QuadrantsAndReadingsByHand) {
  const Quadrant q = run(bw_);
  const bre::v1::IndicatorTable& t = q.table();
  EXPECT_EQ(t.name(), "quadrant");
  ASSERT_EQ(t.rows_size(), 4);
  // R1: its own case, investing, high and rising: consolidates, on the pattern.
  EXPECT_EQ(category(t, "R1", "case"), "C1");
  EXPECT_EQ(cell(t, "R1", "case_overlap"), 1.0);
  EXPECT_EQ(category(t, "R1", "investing"), "yes");
  EXPECT_EQ(category(t, "R1", "quadrant"), "high_investing");
  EXPECT_EQ(category(t, "R1", "reading_en"), "High and investing: consolidates");
  EXPECT_EQ(category(t, "R1", "reading_nl"), "Hoog en investerend: consolideert");
  EXPECT_EQ(cell(t, "R1", "on_pattern"), 1.0);
  EXPECT_EQ(cell(t, "R1", "level"), 0.5);
  // R2: C2 covers 2 of 3 (Jaccard 2/3 >= 0.5), not investing, low and rising: off the
  // pattern (a region that does not invest is not expected to rise).
  EXPECT_EQ(category(t, "R2", "case"), "C2");
  EXPECT_DOUBLE_EQ(cell(t, "R2", "case_overlap"), 2.0 / 3.0);
  EXPECT_EQ(category(t, "R2", "quadrant"), "low_not_investing");
  EXPECT_EQ(category(t, "R2", "reading_nl"), "Laag en niet investerend: dreigt verder weg te zakken");
  EXPECT_EQ(cell(t, "R2", "on_pattern"), 0.0);
  // R3: the case says nothing about investment.
  EXPECT_EQ(category(t, "R3", "case"), "C3");
  EXPECT_EQ(category(t, "R3", "investing"), "unknown");
  EXPECT_EQ(category(t, "R3", "quadrant"), "unknown");
  EXPECT_NE(category(t, "R3", "reading_en").find("Unknown"), std::string::npos);
  EXPECT_TRUE(std::isnan(cell(t, "R3", "on_pattern")));
  // R4 (one municipality): C4 overlaps it with Jaccard 1/2, investing, low, falling.
  EXPECT_EQ(category(t, "R4", "case"), "C4");
  EXPECT_EQ(category(t, "R4", "quadrant"), "low_investing");
  EXPECT_EQ(category(t, "R4", "reading_en"), "Low and investing: fastest relative progress expected");
  EXPECT_EQ(cell(t, "R4", "on_pattern"), 0.0);
  // Summary: 1 of 3 known regions on the pattern; one region per quadrant but high_not_investing.
  EXPECT_DOUBLE_EQ(cell(t, "NL", "on_pattern"), 1.0 / 3.0);
  EXPECT_EQ(cell(t, "n_high_investing", "regions"), 1.0);
  EXPECT_EQ(cell(t, "n_high_not_investing", "regions"), 0.0);
  EXPECT_EQ(cell(t, "n_unknown", "regions"), 1.0);
  EXPECT_EQ(category(t, "n_unknown", "quadrant"), "unknown");
  EXPECT_TRUE(bre::test::has_warning(q.warnings(), {"1 van 4 regio's"}));
}

TEST_F(QuadrantTest, MinimumOverlapDecidesWhetherACaseDescribesARegion) {
  QuadrantParameters strict;
  strict.min_case_overlap = 0.7;  // C2 (2/3) and C4 (1/2) no longer match
  const bre::v1::IndicatorTable t = run(bw_, strict).table();
  EXPECT_EQ(category(t, "R2", "case"), "");
  EXPECT_EQ(category(t, "R2", "investing"), "unknown");
  EXPECT_EQ(category(t, "R4", "quadrant"), "unknown");
  EXPECT_EQ(category(t, "R1", "quadrant"), "high_investing");
}

TEST_F(QuadrantTest, PatternRules) {
  // high, not investing, rising: stabilises at best, so a rise is off the pattern;
  // high and investing but falling is off it too.
  dataset_.mutable_cases(0)->set_structured_investment(bre::v1::TRISTATE_NO);
  bre::v1::IndicatorTable bw = broad_wellbeing_table({{0.5, 0.1, 1, 2}, {-0.3, 0.2, 0, 1}, {0.1, 0.0, 1, 1},
                                                      {-0.2, 0.3, 0, 2}});
  const bre::v1::IndicatorTable t = run(bw).table();
  EXPECT_EQ(category(t, "R1", "quadrant"), "high_not_investing");
  EXPECT_EQ(cell(t, "R1", "on_pattern"), 0.0);
  EXPECT_EQ(cell(t, "R2", "on_pattern"), 1.0);  // low, not investing, average
  EXPECT_EQ(cell(t, "R4", "on_pattern"), 1.0);  // low, investing, positive
}

TEST_F(QuadrantTest, Errors) {
  bre::v1::IndicatorTable other = bw_;
  other.set_partition_name("provinces");
  index_ = std::make_unique<bre::DatasetIndex>(dataset_);
  Quadrant a(*index_, partition_, other, {});
  EXPECT_NE(a.run().message().find("'provinces'"), std::string::npos);
  bre::v1::IndicatorTable no_position = bw_;
  no_position.mutable_columns(2)->set_id("rank");
  Quadrant b(*index_, partition_, no_position, {});
  EXPECT_NE(b.run().message().find("'position'"), std::string::npos);
  bre::v1::IndicatorTable short_table = bw_;
  short_table.mutable_rows()->RemoveLast();
  Quadrant c(*index_, partition_, short_table, {});
  EXPECT_NE(c.run().message().find("'R4'"), std::string::npos);
  QuadrantParameters bad;
  bad.min_case_overlap = 0.0;
  Quadrant d(*index_, partition_, bw_, bad);
  EXPECT_NE(d.run().message().find("min_case_overlap"), std::string::npos);
  dataset_.mutable_cases(1)->add_municipality_codes("GM0999");
  index_ = std::make_unique<bre::DatasetIndex>(dataset_);
  Quadrant e(*index_, partition_, bw_, {});
  const bre::Status s = e.run();
  EXPECT_NE(s.message().find("cases[1]"), std::string::npos) << s.message();
  EXPECT_THROW(e.table(), std::logic_error);
}

TEST(QuadrantPlugin, AfterBroadWellbeingOnTheDemo) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness bw_plugin("indicator_broad_wellbeing.so", "indicator.broad_wellbeing");
  bre::test::PluginHarness quadrant("indicator_quadrant.so", "indicator.quadrant");
  ASSERT_NE(bw_plugin.plugin(), nullptr);
  ASSERT_NE(quadrant.plugin(), nullptr);
  EXPECT_TRUE(bre::validate_description(quadrant.plugin()->description).is_ok());
  bre::Expected<bre::Params> bw_params = bw_plugin.params();
  ASSERT_TRUE(bw_params.has_value());
  bre::v1::Artifacts bw;
  ASSERT_TRUE(bw_plugin.run(demo.index, *bw_params, 1, &demo.planted, bw).is_ok());
  bre::Expected<bre::Params> params = quadrant.params();
  ASSERT_TRUE(params.has_value());
  bre::v1::Artifacts out;
  const bre::Status s = bre::test::run_with_inputs(*quadrant.plugin()->plugin, demo.index, *params,
                                                   {&demo.planted, &bw}, out);
  ASSERT_TRUE(s.is_ok()) << s.message();
  ASSERT_EQ(out.tables_size(), 1);
  const bre::v1::IndicatorTable& t = out.tables(0);
  // Every planted region is its own case (Jaccard 1). docs/demo-dataset.md: running
  // systems invest in a structured way, meeting places do not, P20's is unknown.
  for (const auto& c : demo.dataset.cases()) {
    EXPECT_EQ(category(t, c.region_id(), "case"), c.region_id());
    const std::string expected = c.structured_investment() == bre::v1::TRISTATE_YES  ? "yes"
                                 : c.structured_investment() == bre::v1::TRISTATE_NO ? "no"
                                                                                     : "unknown";
    EXPECT_EQ(category(t, c.region_id(), "investing"), expected) << c.region_id();
  }
  for (const char* running : {"P03", "P06", "P09"}) EXPECT_EQ(category(t, running, "investing"), "yes");
  for (const char* meeting : {"P01", "P04", "P07"}) EXPECT_EQ(category(t, meeting, "investing"), "no");
  EXPECT_EQ(category(t, "P20", "quadrant"), "unknown");
  double counted = 0.0;
  for (const char* q : bre::indicator::kQuadrants) counted += cell(t, std::string("n_") + q, "regions");
  EXPECT_EQ(counted, 25.0);

  // Without the broad_wellbeing table: an error naming the step.
  bre::v1::Artifacts none;
  const bre::Status missing =
      bre::test::run_with_inputs(*quadrant.plugin()->plugin, demo.index, *params, {&demo.planted}, none);
  EXPECT_EQ(missing.code(), bre::StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.message().find("broad_wellbeing"), std::string::npos);
}

}  // namespace
