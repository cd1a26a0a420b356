// indicator.commuting_network and indicator.dus (DOMAIN.md §5) on the hand-built
// country of indicator_fixture.hpp, checked against values computed by hand, and on
// the demo dataset against properties a wrong implementation would break.
#include <cmath>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <gtest/gtest.h>

#include "bre/network.hpp"
#include "bre/partition.hpp"
#include "commuting_network.hpp"
#include "dus.hpp"
#include "indicator_fixture.hpp"
#include "plugin_harness.hpp"

namespace {

using bre::indicator::CommutingNetwork;
using bre::indicator::CommutingNetworkParameters;
using bre::indicator::DailyUrbanSystem;
using bre::indicator::DusParameters;
using bre::test::category;
using bre::test::cell;

constexpr double kDegree = 180.0 / std::numbers::pi;

// ---------------------------------------------------------------------------
// The commuting graph.

double edge_weight(const bre::Graph& graph, int a, int b) {
  for (const bre::Neighbour& n : graph.neighbours(static_cast<std::uint32_t>(a - 1))) {
    if (n.node == static_cast<std::uint32_t>(b - 1)) return n.weight;
  }
  return 0.0;
}

TEST(CommutingNetwork, SymmetrisedFlowsWithoutSelfFlows) {
  const bre::v1::Dataset dataset = bre::test::hand_dataset();
  const bre::DatasetIndex index(dataset);
  CommutingNetwork network(index, {});
  ASSERT_TRUE(network.run().is_ok());
  const bre::Graph& g = network.graph();
  ASSERT_EQ(g.node_count(), 12u);
  EXPECT_EQ(g.edge_count(), 7u);
  EXPECT_EQ(edge_weight(g, 1, 2), 65.0);  // 50 + 15: both directions
  EXPECT_EQ(edge_weight(g, 3, 4), 30.0);
  EXPECT_EQ(edge_weight(g, 1, 5), 20.0);
  EXPECT_EQ(edge_weight(g, 2, 9), 10.0);
  EXPECT_EQ(edge_weight(g, 5, 6), 40.0);
  EXPECT_EQ(edge_weight(g, 6, 12), 30.0);
  EXPECT_EQ(edge_weight(g, 1, 12), 50.0);
  EXPECT_EQ(edge_weight(g, 1, 1), 0.0);
  EXPECT_EQ(g.total_weight(), 245.0);
  EXPECT_EQ(network.persons_read(), 1445.0);
  EXPECT_EQ(network.persons_kept(), 245.0);

  // The message reads back as the same graph, nodes in dataset order.
  const bre::v1::Network message = network.network_message();
  EXPECT_EQ(message.name(), "commuting");
  EXPECT_NE(message.description().find("weggelaten"), std::string::npos) << message.description();
  ASSERT_EQ(message.node_codes_size(), 12);
  EXPECT_EQ(message.node_codes(0), "GM0101");
  bre::Expected<bre::Graph> back = bre::graph_from_network(message, index);
  ASSERT_TRUE(back.has_value()) << back.status().message();
  EXPECT_EQ(back->edge_count(), 7u);
  EXPECT_EQ(back->total_weight(), 245.0);
}

TEST(CommutingNetwork, SelfFlowsAndMinimum) {
  const bre::v1::Dataset dataset = bre::test::hand_dataset();
  const bre::DatasetIndex index(dataset);
  CommutingNetworkParameters with_self;
  with_self.include_self_flows = true;
  CommutingNetwork selfish(index, with_self);
  ASSERT_TRUE(selfish.run().is_ok());
  EXPECT_EQ(selfish.graph().edge_count(), 19u);
  EXPECT_EQ(edge_weight(selfish.graph(), 4, 4), 100.0);
  EXPECT_EQ(selfish.graph().total_weight(), 1445.0);

  CommutingNetworkParameters minimum;
  minimum.min_persons = 25.0;
  CommutingNetwork pruned(index, minimum);
  ASSERT_TRUE(pruned.run().is_ok());
  EXPECT_EQ(pruned.graph().edge_count(), 5u);  // 1-5 (20) and 2-9 (10) go
  EXPECT_EQ(pruned.pairs_below_minimum(), 2u);
  EXPECT_EQ(edge_weight(pruned.graph(), 1, 5), 0.0);
}

TEST(CommutingNetwork, Errors) {
  bre::v1::Dataset dataset = bre::test::hand_dataset();
  dataset.mutable_commuting_flows(13)->set_persons(-3.0);
  {
    const bre::DatasetIndex index(dataset);
    CommutingNetwork network(index, {});
    const bre::Status s = network.run();
    ASSERT_FALSE(s.is_ok());
    EXPECT_NE(s.message().find("commuting_flows[13]"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("-3"), std::string::npos) << s.message();
    EXPECT_THROW(network.graph(), std::logic_error);
  }
  dataset = bre::test::hand_dataset();
  dataset.mutable_commuting_flows(2)->set_work_code("GM9999");
  {
    const bre::DatasetIndex index(dataset);
    CommutingNetwork network(index, {});
    const bre::Status s = network.run();
    EXPECT_NE(s.message().find("GM9999"), std::string::npos) << s.message();
  }
  const bre::DatasetIndex index(dataset);
  CommutingNetworkParameters bad;
  bad.min_persons = -1.0;
  CommutingNetwork network(index, bad);
  EXPECT_NE(network.run().message().find("min_persons"), std::string::npos);
}

// ---------------------------------------------------------------------------
// DUS indicators by hand.

class DusTest : public ::testing::Test {
 protected:
  DailyUrbanSystem run(DusParameters parameters = {}, bool with_dus = true) {
    DailyUrbanSystem dus(index_, bre_, with_dus ? &dus_ : nullptr, parameters);
    const bre::Status s = dus.run();
    EXPECT_TRUE(s.is_ok()) << s.message();
    return dus;
  }
  bre::v1::Dataset dataset_ = bre::test::hand_dataset();
  bre::DatasetIndex index_{dataset_};
  bre::v1::Partition bre_ = bre::test::hand_partition();
  bre::v1::Partition dus_ = bre::test::hand_dus_partition();
};

TEST_F(DusTest, SelfContainmentAndDestinations) {
  const DailyUrbanSystem dus = run();
  const bre::v1::IndicatorTable& t = dus.table();
  EXPECT_EQ(t.name(), "dus");
  ASSERT_EQ(t.rows_size(), 4);
  // R1: 400 at home + 95 inside + 30 leaving.
  EXPECT_EQ(cell(t, "R1", "commuters"), 525.0);
  EXPECT_DOUBLE_EQ(cell(t, "R1", "self_containment"), 495.0 / 525.0);
  EXPECT_EQ(cell(t, "R1", "outgoing"), 30.0);
  EXPECT_EQ(cell(t, "R1", "destination_regions"), 2.0);
  EXPECT_DOUBLE_EQ(cell(t, "R1", "effective_destinations"), 1.8);  // 1 / ((2/3)^2 + (1/3)^2)
  EXPECT_EQ(category(t, "R1", "top1_destination"), "R2");
  EXPECT_DOUBLE_EQ(cell(t, "R1", "top1_share"), 2.0 / 3.0);
  EXPECT_EQ(category(t, "R1", "top2_destination"), "R3");
  EXPECT_DOUBLE_EQ(cell(t, "R1", "top2_share"), 1.0 / 3.0);
  EXPECT_TRUE(std::isnan(cell(t, "R1", "top3_share")));
  // R2: 300 + 40 inside, 30 to R4.
  EXPECT_DOUBLE_EQ(cell(t, "R2", "self_containment"), 340.0 / 370.0);
  EXPECT_EQ(category(t, "R2", "top1_destination"), "R4");
  EXPECT_EQ(cell(t, "R2", "top1_share"), 1.0);
  // R3: nobody leaves.
  EXPECT_EQ(cell(t, "R3", "self_containment"), 1.0);
  EXPECT_EQ(cell(t, "R3", "outgoing"), 0.0);
  EXPECT_EQ(cell(t, "R3", "destination_regions"), 0.0);
  EXPECT_TRUE(std::isnan(cell(t, "R3", "effective_destinations")));
  EXPECT_TRUE(std::isnan(cell(t, "R3", "bearing_resultant_length")));
  // R4, one municipality: 100 at home, 50 to R1.
  EXPECT_DOUBLE_EQ(cell(t, "R4", "self_containment"), 100.0 / 150.0);
  EXPECT_EQ(cell(t, "R4", "n_municipalities"), 1.0);
  // National: pooled.
  EXPECT_EQ(cell(t, "NL", "commuters"), 1445.0);
  EXPECT_DOUBLE_EQ(cell(t, "NL", "self_containment"), 1335.0 / 1445.0);
  EXPECT_TRUE(dus.warnings().empty());
}

TEST_F(DusTest, CompassBearings) {
  const bre::v1::IndicatorTable t = run().table();
  // R1: 20 persons east (90), 10 south (180): C = -10, S = 20.
  EXPECT_NEAR(cell(t, "R1", "bearing_resultant_length"), std::sqrt(500.0) / 30.0, 1e-12);
  EXPECT_NEAR(cell(t, "R1", "bearing_spread"), 1.0 - std::sqrt(500.0) / 30.0, 1e-12);
  EXPECT_NEAR(cell(t, "R1", "bearing_mean"), std::atan2(20.0, -10.0) * kDegree, 1e-9);
  // R2: one flow to the north-north-east; R4: one to the south-west.
  EXPECT_NEAR(cell(t, "R2", "bearing_resultant_length"), 1.0, 1e-12);
  EXPECT_NEAR(cell(t, "R2", "bearing_spread"), 0.0, 1e-12);
  EXPECT_NEAR(cell(t, "R2", "bearing_mean"), std::atan2(20.0, 60.0) * kDegree, 1e-9);
  EXPECT_NEAR(cell(t, "R4", "bearing_mean"), 225.0, 1e-9);
  // National: all 110 leaving persons.
  const double theta = std::atan2(20.0, 60.0);
  const double c = 20 * 0.0 + 10 * -1.0 + 30 * std::cos(theta) + 50 * -std::sqrt(0.5);
  const double s = 20 * 1.0 + 10 * 0.0 + 30 * std::sin(theta) + 50 * -std::sqrt(0.5);
  EXPECT_NEAR(cell(t, "NL", "bearing_resultant_length"), std::hypot(c, s) / 110.0, 1e-12);
}

TEST_F(DusTest, CentroidFromGeometryWhenMissing) {
  // M5 loses its centroid but gets a square around (30, 0) km: same bearing.
  bre::v1::Municipality* m5 = dataset_.mutable_municipalities(4);
  m5->clear_centroid();
  bre::v1::Ring* ring = m5->mutable_geometry()->add_polygons()->mutable_outer();
  const std::vector<std::pair<double, double>> square = {
      {29000.0, -1000.0}, {31000.0, -1000.0}, {31000.0, 1000.0}, {29000.0, 1000.0}};
  for (const auto& [x, y] : square) {
    bre::v1::Point* p = ring->add_points();
    p->set_x(x);
    p->set_y(y);
  }
  const bre::DatasetIndex index(dataset_);
  DailyUrbanSystem dus(index, bre_, &dus_, {});
  ASSERT_TRUE(dus.run().is_ok());
  EXPECT_NEAR(cell(dus.table(), "R1", "bearing_mean"), std::atan2(20.0, -10.0) * kDegree, 1e-9);
  // Without geometry either, its 20 persons have no bearing: reported.
  dataset_.mutable_municipalities(4)->clear_geometry();
  const bre::DatasetIndex bare(dataset_);
  DailyUrbanSystem without(bare, bre_, &dus_, {});
  ASSERT_TRUE(without.run().is_ok());
  EXPECT_NEAR(cell(without.table(), "R1", "bearing_mean"), 180.0, 1e-9);
  EXPECT_TRUE(bre::test::has_warning(without.warnings(), {"20 uitgaande pendelaars hebben geen richting"}));
}

// Labels, definitions and warnings follow the language; ids, values and categories do not.
TEST_F(DusTest, TextsFollowTheLanguage) {
  DusParameters english;
  english.language = bre::Language::kEnglish;
  const DailyUrbanSystem en = run(english);
  const DailyUrbanSystem nl = run();
  const auto label = [](const DailyUrbanSystem& d, const std::string& id) {
    for (const auto& column : d.table().columns()) {
      if (column.id() == id) return column.label();
    }
    return std::string();
  };
  EXPECT_EQ(label(nl, "self_containment"), "Zelfvoorzienendheid");
  EXPECT_EQ(label(en, "self_containment"), "Self-containment");
  auto values = [](bre::v1::IndicatorTable table) {
    for (auto& column : *table.mutable_columns()) {
      column.clear_label();
      column.clear_unit();
      column.clear_doc();
    }
    return table.SerializeAsString();
  };
  EXPECT_EQ(values(nl.table()), values(en.table()));
  EXPECT_EQ(values(nl.agreement_table()), values(en.agreement_table()));
  EXPECT_EQ(nl.comparison().SerializeAsString(), en.comparison().SerializeAsString());
}

TEST_F(DusTest, LabelsAndComparison) {
  const DailyUrbanSystem dus = run();
  const bre::v1::IndicatorTable& t = dus.table();
  // R1: D2 holds 6000 of its 10000 inhabitants (cover 0.6), entirely inside R1.
  EXPECT_EQ(category(t, "R1", "dus_best_match"), "D1");  // Jaccard 2/4 ties with D2: first wins
  EXPECT_DOUBLE_EQ(cell(t, "R1", "dus_best_jaccard"), 0.5);
  EXPECT_EQ(cell(t, "R1", "dus_regions"), 2.0);
  EXPECT_DOUBLE_EQ(cell(t, "R1", "dus_cover"), 0.6);
  EXPECT_DOUBLE_EQ(cell(t, "R1", "dus_containment"), 1.0);
  EXPECT_EQ(category(t, "R1", "label"), "subregional");
  // R2: inside D3, which holds 4000 of its 4500 inhabitants in R2.
  EXPECT_DOUBLE_EQ(cell(t, "R2", "dus_containment"), 4000.0 / 4500.0);
  EXPECT_EQ(category(t, "R2", "label"), "regional");
  EXPECT_DOUBLE_EQ(cell(t, "R2", "dus_best_jaccard"), 0.75);
  // R3 = D4.
  EXPECT_EQ(category(t, "R3", "label"), "regional");
  EXPECT_EQ(cell(t, "R3", "dus_best_jaccard"), 1.0);
  // R4 is a small part of D3.
  EXPECT_DOUBLE_EQ(cell(t, "R4", "dus_containment"), 500.0 / 4500.0);
  EXPECT_EQ(category(t, "R4", "label"), "interregional");

  // ARI by hand from the contingency table {R1: D1 2, D2 2; R2: D3 3; R3: D4 4; R4: D3 1}:
  // sum C(n_ij, 2) = 11, rows 15, columns 14, C(12, 2) = 66 -> (11 - 210/66) / (14.5 - 210/66).
  const bre::v1::PartitionComparison& c = dus.comparison();
  EXPECT_EQ(c.partition_a(), "bre");
  EXPECT_EQ(c.partition_b(), "dus");
  EXPECT_NEAR(c.adjusted_rand(), 172.0 / 249.0, 1e-12);
  // NMI = 2 I / (H_A + H_B), natural logs, from the same table.
  const double n = 12.0;
  auto h = [n](std::vector<double> sizes) {
    double sum = 0.0;
    for (double s : sizes) sum -= s / n * std::log(s / n);
    return sum;
  };
  const double h_bre = h({4, 3, 4, 1});
  const double h_dus = h({2, 2, 4, 4});
  const double h_joint = h({2, 2, 3, 4, 1});
  EXPECT_NEAR(c.nmi(), 2.0 * (h_bre + h_dus - h_joint) / (h_bre + h_dus), 1e-12);
  EXPECT_NEAR(c.variation_of_information(), 2.0 * h_joint - h_bre - h_dus, 1e-12);
  ASSERT_EQ(c.matches_a_to_b_size(), 4);
  EXPECT_EQ(c.matches_a_to_b(1).best_match_region_id(), "D3");

  const bre::v1::IndicatorTable& a = dus.agreement_table();
  EXPECT_EQ(a.name(), "dus_agreement");
  EXPECT_NEAR(cell(a, "NL", "adjusted_rand"), 172.0 / 249.0, 1e-12);
  EXPECT_EQ(cell(a, "NL", "n_subregional"), 1.0);
  EXPECT_EQ(cell(a, "NL", "n_regional"), 2.0);
  EXPECT_EQ(cell(a, "NL", "n_interregional"), 1.0);
  EXPECT_EQ(cell(a, "NL", "dus_regions"), 4.0);
}

TEST_F(DusTest, ThresholdsAndOverlapWeightAreParameters) {
  DusParameters strict;
  strict.contain_threshold = 0.9;  // R2's 0.889 no longer counts as contained
  EXPECT_EQ(category(run(strict).table(), "R2", "label"), "interregional");
  DusParameters loose;
  loose.cover_threshold = 0.5;  // R1's 0.6 now covers enough
  EXPECT_EQ(category(run(loose).table(), "R1", "label"), "regional");
  DusParameters counts;
  counts.overlap_weight = bre::indicator::OverlapWeight::kMunicipalities;
  const bre::v1::IndicatorTable t = run(counts).table();
  EXPECT_DOUBLE_EQ(cell(t, "R1", "dus_cover"), 0.5);  // D1 and D2 tie at 2 of 4: D1 first
  EXPECT_DOUBLE_EQ(cell(t, "R2", "dus_containment"), 0.75);
  EXPECT_DOUBLE_EQ(cell(t, "R4", "dus_containment"), 0.25);
}

TEST_F(DusTest, WithoutPopulationOverlapsCountMunicipalities) {
  for (auto& m : *dataset_.mutable_municipalities()) m.set_population(0);
  const DailyUrbanSystem by_default = run();
  DusParameters counts;
  counts.overlap_weight = bre::indicator::OverlapWeight::kMunicipalities;
  const DailyUrbanSystem by_count = run(counts);
  for (const char* region : {"R1", "R2", "R3", "R4"}) {
    EXPECT_EQ(category(by_default.table(), region, "label"), category(by_count.table(), region, "label")) << region;
    EXPECT_DOUBLE_EQ(cell(by_default.table(), region, "dus_cover"), cell(by_count.table(), region, "dus_cover"));
  }
  EXPECT_TRUE(bre::test::has_warning(by_default.warnings(), {"geen inwonertallen", "in gemeenten geteld"}));
}

TEST_F(DusTest, WithoutDusPartitionOnlyTheCommutingColumns) {
  const DailyUrbanSystem dus = run({}, false);
  bool has_label = false;
  for (const auto& column : dus.table().columns()) has_label = has_label || column.id() == "label";
  EXPECT_FALSE(has_label);
  EXPECT_EQ(dus.agreement_table().rows_size() + dus.agreement_table().summary_rows_size(), 0);
  EXPECT_DOUBLE_EQ(cell(dus.table(), "R1", "self_containment"), 495.0 / 525.0);
}

TEST_F(DusTest, UnassignedMunicipalities) {
  // M12 leaves the partition: M6's 30 persons to it now go to "unassigned", and its
  // own 150 residents are left out.
  bre_.mutable_regions()->RemoveLast();
  bre_.add_unassigned(bre::test::m_code(12));
  const bre::v1::IndicatorTable t = run().table();
  EXPECT_EQ(category(t, "R2", "top1_destination"), "unassigned");
  EXPECT_EQ(cell(t, "NL", "commuters"), 1295.0);  // M12's 150 residents are left out
  DailyUrbanSystem dus(index_, bre_, &dus_, {});
  ASSERT_TRUE(dus.run().is_ok());
  EXPECT_TRUE(bre::test::has_warning(dus.warnings(), {"1 van 12", "'unassigned'"}));
}

TEST_F(DusTest, Errors) {
  DusParameters bad;
  bad.cover_threshold = 0.0;
  DailyUrbanSystem a(index_, bre_, &dus_, bad);
  EXPECT_NE(a.run().message().find("cover_threshold"), std::string::npos);
  bad = {};
  bad.top_destinations = 0;
  DailyUrbanSystem b(index_, bre_, &dus_, bad);
  EXPECT_NE(b.run().message().find("top_destinations"), std::string::npos);
  dus_.mutable_regions(0)->add_municipality_codes("GM0999");
  DailyUrbanSystem c(index_, bre_, &dus_, {});
  const bre::Status s = c.run();
  EXPECT_NE(s.message().find("GM0999"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("DUS partition 'dus'"), std::string::npos) << s.message();
  EXPECT_THROW(c.table(), std::logic_error);
  EXPECT_FALSE(bre::indicator::parse_overlap_weight("area").has_value());
}

// ---------------------------------------------------------------------------
// Properties on the demo dataset.

TEST(DusDemo, SelfContainmentIsOneWhenNoFlowLeaves) {
  bre::test::DemoFixture demo;
  const bre::v1::Partition& planted = demo.planted.partitions(0);
  bre::Expected<bre::Membership> membership = bre::membership_of(demo.index, planted);
  ASSERT_TRUE(membership.has_value());
  bre::v1::Dataset inside = demo.dataset;
  inside.clear_commuting_flows();
  for (const auto& flow : demo.dataset.commuting_flows()) {
    if ((*membership)[*demo.index.municipality(flow.home_code())] ==
        (*membership)[*demo.index.municipality(flow.work_code())]) {
      *inside.add_commuting_flows() = flow;
    }
  }
  ASSERT_LT(inside.commuting_flows_size(), demo.dataset.commuting_flows_size());
  const bre::DatasetIndex index(inside);
  DailyUrbanSystem dus(index, planted, &planted, {});
  ASSERT_TRUE(dus.run().is_ok());
  for (const auto& row : dus.table().rows()) {
    EXPECT_EQ(cell(dus.table(), row.region_id(), "self_containment"), 1.0) << row.region_id();
    // A partition compared with itself: every region is its own DUS.
    EXPECT_EQ(category(dus.table(), row.region_id(), "label"), "regional");
  }
  EXPECT_NEAR(dus.comparison().nmi(), 1.0, 1e-12);
  EXPECT_NEAR(dus.comparison().adjusted_rand(), 1.0, 1e-12);

  // With all flows, commuting mostly stays in the planted regions (docs/demo-dataset.md:
  // 83% of commuters), but not all of it.
  DailyUrbanSystem all(demo.index, planted, &planted, {});
  ASSERT_TRUE(all.run().is_ok());
  const double national = cell(all.table(), "NL", "self_containment");
  EXPECT_GT(national, 0.8);
  EXPECT_LT(national, 1.0);
}

TEST(DusDemo, ClusteringPluginClustersTheCommutingNetwork) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness commuting("indicator_commuting_network.so", "indicator.commuting_network");
  bre::test::PluginHarness leiden("clustering_igraph_leiden.so", "clustering.igraph_leiden");
  bre::test::PluginHarness dus_plugin("indicator_dus.so", "indicator.dus");
  ASSERT_NE(commuting.plugin(), nullptr);
  ASSERT_NE(leiden.plugin(), nullptr);
  ASSERT_NE(dus_plugin.plugin(), nullptr);
  EXPECT_TRUE(bre::validate_description(commuting.plugin()->description).is_ok());
  EXPECT_TRUE(bre::validate_description(dus_plugin.plugin()->description).is_ok());

  bre::Expected<bre::v1::Artifacts> network = commuting.run(demo.index, {}, 1);
  ASSERT_TRUE(network.has_value()) << network.status().message();
  ASSERT_EQ(network->networks_size(), 1);
  bre::Expected<bre::Params> leiden_params = leiden.params();
  ASSERT_TRUE(leiden_params.has_value());
  bre::v1::Artifacts clustered;
  ASSERT_TRUE(leiden.run(demo.index, *leiden_params, 7, &*network, clustered).is_ok());
  ASSERT_EQ(clustered.partitions_size(), 1);
  // The partition's modularity is that of the commuting graph, not the cooperation one.
  bre::Expected<bre::Graph> graph = bre::graph_from_network(network->networks(0), demo.index);
  ASSERT_TRUE(graph.has_value());
  bre::Expected<bre::Membership> membership = bre::membership_of(demo.index, clustered.partitions(0));
  ASSERT_TRUE(membership.has_value());
  EXPECT_NEAR(clustered.partitions(0).modularity(), bre::modularity(*graph, *membership), 1e-9);
  // Commuting is planted by region (gravity x 3 inside): the DUS resembles the planted map.
  bre::Expected<bre::Membership> planted = bre::membership_of(demo.index, demo.planted.partitions(0));
  ASSERT_TRUE(planted.has_value());
  EXPECT_GT(bre::normalized_mutual_information(*planted, *membership), 0.6);

  // indicator.dus with [BRE, DUS] inputs.
  bre::Expected<bre::Params> params = dus_plugin.params();
  ASSERT_TRUE(params.has_value());
  bre::v1::Artifacts out;
  const bre::Status s =
      bre::test::run_with_inputs(*dus_plugin.plugin()->plugin, demo.index, *params, {&demo.planted, &clustered}, out);
  ASSERT_TRUE(s.is_ok()) << s.message();
  ASSERT_EQ(out.tables_size(), 2);
  EXPECT_EQ(out.tables(0).name(), "dus");
  EXPECT_EQ(out.tables(1).name(), "dus_agreement");
  ASSERT_EQ(out.comparisons_size(), 1);
  double labelled = 0.0;
  for (const char* label : bre::indicator::kDusLabels) labelled += cell(out.tables(1), "NL", std::string("n_") + label);
  EXPECT_EQ(labelled, static_cast<double>(demo.planted.partitions(0).regions_size()));
  for (const auto& row : out.tables(0).rows()) {
    const double r = cell(out.tables(0), row.region_id(), "bearing_resultant_length");
    EXPECT_GE(r, 0.0);
    EXPECT_LE(r, 1.0 + 1e-12);
  }

  // One input: no comparison, a warning; none: an error naming the step.
  bre::v1::Artifacts single;
  ASSERT_TRUE(bre::test::run_with_inputs(*dus_plugin.plugin()->plugin, demo.index, *params, {&demo.planted}, single)
                  .is_ok());
  EXPECT_EQ(single.tables_size(), 1);
  EXPECT_EQ(single.comparisons_size(), 0);
  bre::v1::Artifacts none;
  const bre::Status missing = bre::test::run_with_inputs(*dus_plugin.plugin()->plugin, demo.index, *params, {}, none);
  EXPECT_EQ(missing.code(), bre::StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.message().find("step_under_test"), std::string::npos);
}

TEST(DusPlugin, RejectsBadParameters) {
  bre::test::PluginHarness harness("indicator_dus.so", "indicator.dus");
  ASSERT_NE(harness.plugin(), nullptr);
  google::protobuf::Struct given;
  (*given.mutable_fields())["contain_threshold"].set_number_value(1.5);
  bre::Expected<bre::Params> p = harness.params(given);
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.status().message().find("contain_threshold"), std::string::npos);
  google::protobuf::Struct weight;
  (*weight.mutable_fields())["overlap_weight"].set_string_value("area");
  EXPECT_FALSE(harness.params(weight).has_value());
}

}  // namespace
