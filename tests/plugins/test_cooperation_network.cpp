// indicator.cooperation_network (DOMAIN.md §1) on a hand-built dataset, checked
// against weights computed by hand, then the plugin feeding clustering.igraph_leiden.
//
// Fixture: municipalities A..F (GM0001..GM0006).
//   c1 {A,B,C}      cooperation  WGR_PUBLIC_BODY
//   c2 {A,B}        cooperation  INFORMAL
//   c3 {C,D,E,F}    cooperation  NETWORK
//   c4 {B,B,C}      cooperation  INFORMAL   (B twice: two distinct members, B-C once)
//   s1 {D,E}        societal     PRIVATE_LAW
//   t1 {A..F}       statistical  UNSPECIFIED
//   one {A}         cooperation  INFORMAL   (one municipality: no tie)
// Count, kinds [cooperation]: AB = c1+c2 = 2; AC = 1; BC = c1+c4 = 2; CD = CE = CF =
//   DE = DF = EF = 1 (c3). 9 edges, total weight 11, no isolated; 4 arrangements counted.
// Fractional: c1 adds 1/2 to each pair, c2 1, c3 1/3, c4 1: AB = 1.5, AC = 0.5,
//   BC = 1.5, c3 pairs 1/3 each; total 1.5+0.5+1.5+6/3 = 5.5.
// Kinds [cooperation, societal]: DE = 2, 5 arrangements. Legal forms [informal]: c2 and
//   c4 only: AB = 1, BC = 1; D, E, F isolated.
#include <google/protobuf/struct.pb.h>

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/network.hpp"
#include "cooperation_network.hpp"
#include "plugin_harness.hpp"

namespace {

using bre::indicator::compute_cooperation_network;
using bre::indicator::CooperationNetworkResult;

std::string code(char letter) { return std::string("GM000") + static_cast<char>('1' + (letter - 'A')); }

void add_arrangement(bre::v1::Dataset& d, const std::string& id, const std::string& members,
                     bre::v1::ArrangementKind kind, bre::v1::LegalForm form) {
  bre::v1::Arrangement* a = d.add_arrangements();
  a->set_id(id);
  a->set_name("Arrangement " + id);
  a->set_kind(kind);
  a->set_legal_form(form);
  for (char m : members) a->add_municipality_codes(code(m));
}

bre::v1::Dataset fixture() {
  bre::v1::Dataset d;
  d.set_name("network-fixture");
  for (char m = 'A'; m <= 'F'; ++m) {
    bre::v1::Municipality* mun = d.add_municipalities();
    mun->set_code(code(m));
    mun->set_name(std::string("Gemeente ") + m);
  }
  add_arrangement(d, "c1", "ABC", bre::v1::ARRANGEMENT_KIND_COOPERATION, bre::v1::LEGAL_FORM_WGR_PUBLIC_BODY);
  add_arrangement(d, "c2", "AB", bre::v1::ARRANGEMENT_KIND_COOPERATION, bre::v1::LEGAL_FORM_INFORMAL);
  add_arrangement(d, "c3", "CDEF", bre::v1::ARRANGEMENT_KIND_COOPERATION, bre::v1::LEGAL_FORM_NETWORK);
  add_arrangement(d, "c4", "BBC", bre::v1::ARRANGEMENT_KIND_COOPERATION, bre::v1::LEGAL_FORM_INFORMAL);
  add_arrangement(d, "s1", "DE", bre::v1::ARRANGEMENT_KIND_SOCIETAL, bre::v1::LEGAL_FORM_PRIVATE_LAW);
  add_arrangement(d, "t1", "ABCDEF", bre::v1::ARRANGEMENT_KIND_STATISTICAL, bre::v1::LEGAL_FORM_UNSPECIFIED);
  add_arrangement(d, "one", "A", bre::v1::ARRANGEMENT_KIND_COOPERATION, bre::v1::LEGAL_FORM_INFORMAL);
  return d;
}

// Edge weights by code pair ("GM0001-GM0002").
std::map<std::string, double> weights(const bre::v1::Network& network) {
  std::map<std::string, double> out;
  for (const auto& edge : network.edges()) {
    out[network.node_codes(edge.a()) + "-" + network.node_codes(edge.b())] = edge.weight();
  }
  return out;
}

std::string pair(char a, char b) { return code(a) + "-" + code(b); }

// The size table's only row as column id -> value.
std::map<std::string, double> size_row(const bre::v1::IndicatorTable& table) {
  std::map<std::string, double> out;
  EXPECT_EQ(table.summary_rows_size(), 1);
  for (int c = 0; c < table.columns_size(); ++c) out[table.columns(c).id()] = table.summary_rows(0).values(c);
  return out;
}

TEST(CooperationNetwork, CountWeightsMatchHandComputation) {
  const bre::v1::Dataset d = fixture();
  const bre::DatasetIndex index(d);
  bre::Expected<CooperationNetworkResult> result = compute_cooperation_network(index, {}, "cooperation");
  ASSERT_TRUE(result.has_value()) << result.status().message();
  const std::map<std::string, double> expected = {
      {pair('A', 'B'), 2}, {pair('A', 'C'), 1}, {pair('B', 'C'), 2}, {pair('C', 'D'), 1}, {pair('C', 'E'), 1},
      {pair('C', 'F'), 1}, {pair('D', 'E'), 1}, {pair('D', 'F'), 1}, {pair('E', 'F'), 1}};
  EXPECT_EQ(weights(result->network), expected);
  ASSERT_EQ(result->network.node_codes_size(), 6);
  EXPECT_EQ(result->network.node_codes(0), "GM0001");
  EXPECT_EQ(result->network.name(), "cooperation");
  EXPECT_NE(result->network.description().find("samenwerkingsnetwerk (DOMAIN.md §1): weighting count"),
            std::string::npos)
      << result->network.description();
  auto english = compute_cooperation_network(index, {}, "cooperation", bre::Language::kEnglish);
  ASSERT_TRUE(english.has_value());
  EXPECT_NE(english->network.description().find("weighting count"), std::string::npos);
  EXPECT_EQ(english->size_table.columns(0).label(), "Municipalities (nodes)");
  EXPECT_EQ(result->size_table.columns(0).label(), "Gemeenten (knopen)");

  std::map<std::string, double> size = size_row(result->size_table);
  EXPECT_EQ(result->size_table.name(), "network_size");
  EXPECT_EQ(size["nodes"], 6);
  EXPECT_EQ(size["edges"], 9);
  EXPECT_EQ(size["isolated"], 0);
  EXPECT_EQ(size["total_weight"], 11);
  EXPECT_EQ(size["arrangements_counted"], 4);
  EXPECT_EQ(size["arrangements_cooperation"], 4);
  EXPECT_EQ(size["arrangements_societal"], 0);
  EXPECT_EQ(size["arrangements_statistical"], 0);
}

TEST(CooperationNetwork, FractionalWeightsMatchHandComputation) {
  const bre::v1::Dataset d = fixture();
  const bre::DatasetIndex index(d);
  bre::NetworkOptions options;
  options.weighting = bre::Weighting::kFractional;
  bre::Expected<CooperationNetworkResult> result = compute_cooperation_network(index, options, "cooperation");
  ASSERT_TRUE(result.has_value()) << result.status().message();
  const std::map<std::string, double> w = weights(result->network);
  ASSERT_EQ(w.size(), 9u);
  EXPECT_DOUBLE_EQ(w.at(pair('A', 'B')), 1.5);
  EXPECT_DOUBLE_EQ(w.at(pair('A', 'C')), 0.5);
  EXPECT_DOUBLE_EQ(w.at(pair('B', 'C')), 1.5);
  for (const auto& p : {pair('C', 'D'), pair('C', 'E'), pair('C', 'F'), pair('D', 'E'), pair('D', 'F'),
                        pair('E', 'F')}) {
    EXPECT_DOUBLE_EQ(w.at(p), 1.0 / 3.0) << p;
  }
  EXPECT_NEAR(size_row(result->size_table)["total_weight"], 5.5, 1e-12);
}

TEST(CooperationNetwork, KindAndLegalFormFilters) {
  const bre::v1::Dataset d = fixture();
  const bre::DatasetIndex index(d);
  bre::NetworkOptions with_societal;
  with_societal.kinds = {bre::v1::ARRANGEMENT_KIND_COOPERATION, bre::v1::ARRANGEMENT_KIND_SOCIETAL};
  auto societal = compute_cooperation_network(index, with_societal, "cooperation");
  ASSERT_TRUE(societal.has_value()) << societal.status().message();
  EXPECT_EQ(weights(societal->network).at(pair('D', 'E')), 2);
  std::map<std::string, double> size = size_row(societal->size_table);
  EXPECT_EQ(size["arrangements_counted"], 5);
  EXPECT_EQ(size["arrangements_societal"], 1);

  bre::NetworkOptions informal;
  informal.legal_forms = {bre::v1::LEGAL_FORM_INFORMAL};
  auto result = compute_cooperation_network(index, informal, "cooperation");
  ASSERT_TRUE(result.has_value()) << result.status().message();
  const std::map<std::string, double> expected = {{pair('A', 'B'), 1}, {pair('B', 'C'), 1}};
  EXPECT_EQ(weights(result->network), expected);
  size = size_row(result->size_table);
  EXPECT_EQ(size["isolated"], 3);
  EXPECT_EQ(size["arrangements_counted"], 2);
}

TEST(CooperationNetwork, LegalFormNamesRoundTrip) {
  for (const std::string& name : bre::legal_form_names()) {
    bre::Expected<bre::v1::LegalForm> form = bre::parse_legal_form(name);
    ASSERT_TRUE(form.has_value()) << name;
  }
  EXPECT_EQ(*bre::parse_legal_form("wgr_light"), bre::v1::LEGAL_FORM_WGR_LIGHT);
  bre::Expected<bre::v1::LegalForm> bad = bre::parse_legal_form("WGR_LIGHT");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.status().message().find("found 'WGR_LIGHT'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("wgr_public_body"), std::string::npos);
}

TEST(CooperationNetwork, UnknownCodeNamesTheArrangement) {
  bre::v1::Dataset d = fixture();
  d.mutable_arrangements(2)->add_municipality_codes("GM9999");
  const bre::DatasetIndex index(d);
  auto result = compute_cooperation_network(index, {}, "cooperation");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.status().message().find("arrangement 'c3'"), std::string::npos) << result.status().message();
  EXPECT_NE(result.status().message().find("GM9999"), std::string::npos);
}

google::protobuf::Struct struct_of(const std::vector<std::pair<std::string, std::string>>& strings) {
  google::protobuf::Struct s;
  for (const auto& [key, value] : strings) (*s.mutable_fields())[key].set_string_value(value);
  return s;
}

TEST(CooperationNetworkPlugin, EmitsNetworkAndSizeTable) {
  bre::test::PluginHarness harness("indicator_cooperation_network.so", "indicator.cooperation_network");
  ASSERT_NE(harness.plugin(), nullptr);
  EXPECT_EQ(harness.plugin()->description.kind(), bre::v1::PLUGIN_KIND_INDICATOR);
  const bre::v1::Dataset d = fixture();
  const bre::DatasetIndex index(d);
  auto out = harness.run(index, struct_of({{"weighting", "fractional"}}), 1);
  ASSERT_TRUE(out.has_value()) << out.status().message();
  ASSERT_EQ(out->networks_size(), 1);
  ASSERT_EQ(out->tables_size(), 1);
  EXPECT_DOUBLE_EQ(weights(out->networks(0)).at(pair('A', 'B')), 1.5);

  google::protobuf::Struct forms;
  (*forms.mutable_fields())["legal_forms"].mutable_list_value()->add_values()->set_string_value("informal");
  auto informal = harness.run(index, forms, 1);
  ASSERT_TRUE(informal.has_value()) << informal.status().message();
  EXPECT_EQ(informal->networks(0).edges_size(), 2);

  google::protobuf::Struct bad;
  (*bad.mutable_fields())["legal_forms"].mutable_list_value()->add_values()->set_string_value("wgr");
  auto refused = harness.run(index, bad, 1);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.status().message().find("legal_forms"), std::string::npos) << refused.status().message();
}

// A clustering step fed by the network step clusters exactly that network: the same
// partition as the clustering step building the network itself.
TEST(CooperationNetworkPlugin, LeidenOnTheEmittedNetworkEqualsLeidenOnItsOwn) {
  bre::test::PluginHarness network("indicator_cooperation_network.so", "indicator.cooperation_network");
  bre::test::PluginHarness leiden("clustering_igraph_leiden.so", "clustering.igraph_leiden");
  ASSERT_NE(network.plugin(), nullptr);
  ASSERT_NE(leiden.plugin(), nullptr);
  bre::test::DemoFixture demo;
  for (const std::string weighting : {"count", "fractional"}) {
    auto emitted = network.run(demo.index, struct_of({{"weighting", weighting}}), 7);
    ASSERT_TRUE(emitted.has_value()) << emitted.status().message();

    auto own_params = leiden.params(struct_of({{"weighting", weighting}}));
    ASSERT_TRUE(own_params.has_value()) << own_params.status().message();
    bre::v1::Artifacts own, fed;
    ASSERT_TRUE(leiden.run(demo.index, *own_params, 42, nullptr, own).is_ok());
    // The fed step keeps default parameters: its graph must come from the input.
    auto default_params = leiden.params();
    ASSERT_TRUE(default_params.has_value());
    const bre::Status status = leiden.run(demo.index, *default_params, 42, &*emitted, fed);
    ASSERT_TRUE(status.is_ok()) << status.message();
    ASSERT_EQ(own.partitions_size(), 1);
    ASSERT_EQ(fed.partitions_size(), 1);
    EXPECT_EQ(own.partitions(0).SerializeAsString(), fed.partitions(0).SerializeAsString()) << weighting;
    EXPECT_GT(own.partitions(0).regions_size(), 5);
  }
}

}  // namespace
