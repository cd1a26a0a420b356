// Tests of region.provinces: provinces from the municipalities' province codes, the
// dataset's named region definitions, and the plugin loaded from the build tree.
#include <google/protobuf/struct.pb.h>

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/host.hpp"
#include "bre/params.hpp"
#include "bre/partition.hpp"
#include "bre/plugin.hpp"
#include "plugin_harness.hpp"
#include "provinces.hpp"

namespace bre::region {
namespace {

// Five municipalities: two in PV20 (a province body "Groningen"), one in PV21 (a body
// of another kind: name falls back to the code), one in PV99 (no body at all), one
// without a province code. Region definitions: "corop" (a partition leaving GM0005
// out) and "safety" (a cover with an overlap on GM0002).
v1::Dataset small_dataset() {
  v1::Dataset dataset;
  dataset.set_name("small");
  auto municipality = [&](const char* code, const char* province) {
    v1::Municipality* m = dataset.add_municipalities();
    m->set_code(code);
    m->set_name(std::string("Name of ") + code);
    m->set_province_code(province);
  };
  municipality("GM0001", "PV20");
  municipality("GM0002", "PV21");
  municipality("GM0003", "");
  municipality("GM0004", "PV20");
  municipality("GM0005", "PV99");
  v1::Body* groningen = dataset.add_bodies();
  groningen->set_code("PV20");
  groningen->set_name("Groningen");
  groningen->set_kind(v1::BODY_KIND_PROVINCE);
  v1::Body* odd = dataset.add_bodies();
  odd->set_code("PV21");
  odd->set_name("Not a province");
  odd->set_kind(v1::BODY_KIND_OTHER);

  v1::RegionDefinition* corop = dataset.add_region_definitions();
  corop->set_name("corop");
  v1::Region* c1 = corop->add_regions();
  c1->set_id("CR01");
  c1->set_name("Oost-Groningen");
  c1->add_municipality_codes("GM0001");
  c1->add_municipality_codes("GM0004");
  v1::Region* c2 = corop->add_regions();
  c2->set_id("CR02");
  c2->set_name("Overig");
  c2->add_municipality_codes("GM0002");
  c2->add_municipality_codes("GM0003");

  v1::RegionDefinition* safety = dataset.add_region_definitions();
  safety->set_name("safety");
  safety->set_is_cover(true);
  v1::Region* s1 = safety->add_regions();
  s1->set_id("VR01");
  s1->add_municipality_codes("GM0001");
  s1->add_municipality_codes("GM0002");
  v1::Region* s2 = safety->add_regions();
  s2->set_id("VR02");
  s2->add_municipality_codes("GM0002");
  return dataset;
}

std::vector<std::string> codes_of(const v1::Region& region) {
  return {region.municipality_codes().begin(), region.municipality_codes().end()};
}

TEST(ProvincesPartition, OneRegionPerProvinceCode) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const Expected<v1::Partition> p = provinces_partition(index);
  ASSERT_TRUE(p.has_value()) << p.status().message();
  EXPECT_EQ(p->name(), "provinces");
  EXPECT_EQ(p->source(), "region.provinces");
  EXPECT_TRUE(std::isnan(p->modularity()));
  ASSERT_EQ(p->regions_size(), 3);
  // Order of first appearance in the dataset: PV20, PV21, PV99.
  EXPECT_EQ(p->regions(0).id(), "PV20");
  EXPECT_EQ(p->regions(0).name(), "Groningen");
  EXPECT_EQ(codes_of(p->regions(0)), (std::vector<std::string>{"GM0001", "GM0004"}));
  EXPECT_EQ(p->regions(1).id(), "PV21");
  EXPECT_EQ(p->regions(1).name(), "PV21");  // the body is not a province
  EXPECT_EQ(p->regions(2).id(), "PV99");
  EXPECT_EQ(p->regions(2).name(), "PV99");  // no body
  ASSERT_EQ(p->unassigned_size(), 1);
  EXPECT_EQ(p->unassigned(0), "GM0003");
  // A proper partition over the dataset.
  const Expected<Membership> m = membership_of(index, *p);
  ASSERT_TRUE(m.has_value()) << m.status().message();
  EXPECT_EQ(*m, (Membership{0, 1, kUnassigned, 0, 2}));
}

TEST(NamedDefinitionPartition, TakesTheDefinitionAsIs) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const Expected<v1::Partition> p = named_definition_partition(index, "corop");
  ASSERT_TRUE(p.has_value()) << p.status().message();
  ASSERT_EQ(p->regions_size(), 2);
  EXPECT_EQ(p->regions(0).id(), "CR01");
  EXPECT_EQ(p->regions(0).name(), "Oost-Groningen");
  EXPECT_EQ(codes_of(p->regions(1)), (std::vector<std::string>{"GM0002", "GM0003"}));
  ASSERT_EQ(p->unassigned_size(), 1);
  EXPECT_EQ(p->unassigned(0), "GM0005");
}

TEST(NamedDefinitionPartition, UnknownNameListsAvailableDefinitions) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const Expected<v1::Partition> p = named_definition_partition(index, "COROP");
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
  const std::string& message = p.status().message();
  EXPECT_NE(message.find("'COROP'"), std::string::npos) << message;
  EXPECT_NE(message.find("'corop', 'safety'"), std::string::npos) << message;
}

TEST(NamedDefinitionPartition, OverlappingCoverIsRefused) {
  const v1::Dataset dataset = small_dataset();
  const DatasetIndex index(dataset);
  const Expected<v1::Partition> p = named_definition_partition(index, "safety");
  ASSERT_FALSE(p.has_value());
  const std::string& message = p.status().message();
  EXPECT_NE(message.find("'GM0002'"), std::string::npos) << message;
  EXPECT_NE(message.find("'VR01'"), std::string::npos) << message;
  EXPECT_NE(message.find("'VR02'"), std::string::npos) << message;
}

// ---- The plugin, loaded from the build tree --------------------------------------------

// Run as step "regions" through the host's loading path (plugin_harness.hpp).
class ProvincesPluginTest : public ::testing::Test {
 protected:
  static constexpr const char* kStep = "regions";

  void SetUp() override { ASSERT_NE(harness_.plugin(), nullptr); }

  // `definition` is the plugin's "definition" parameter; empty leaves it unset.
  Expected<v1::Artifacts> run(const v1::Dataset& dataset, const std::string& definition) const {
    google::protobuf::Struct given;
    if (!definition.empty()) (*given.mutable_fields())["definition"].set_string_value(definition);
    return harness_.run(DatasetIndex(dataset), given, /*seed=*/1, kStep);
  }

  test::PluginHarness harness_{"region_provinces.so", "region.provinces"};
};

TEST_F(ProvincesPluginTest, DescribesItself) {
  const v1::PluginDescription& d = harness_.plugin()->description;
  EXPECT_EQ(d.kind(), v1::PLUGIN_KIND_REGION_DEFINITION);
  ASSERT_EQ(d.produces_size(), 1);
  EXPECT_EQ(d.produces(0), v1::ARTIFACT_KIND_PARTITION);
  EXPECT_TRUE(validate_description(d).is_ok()) << validate_description(d).message();
}

TEST_F(ProvincesPluginTest, ProvincesByDefaultWithWarning) {
  const v1::Dataset dataset = small_dataset();
  const Expected<v1::Artifacts> out = run(dataset, "");
  ASSERT_TRUE(out.has_value()) << out.status().message();
  ASSERT_EQ(out->partitions_size(), 1);
  EXPECT_EQ(out->partitions(0).name(), "regions");
  EXPECT_EQ(out->partitions(0).source(), "region.provinces");
  EXPECT_EQ(out->partitions(0).regions_size(), 3);
  ASSERT_EQ(out->warnings_size(), 1);
  EXPECT_NE(out->warnings(0).find("stap 'regions': 1 gemeente heeft geen provinciecode en blijft zonder regio: "),
            std::string::npos)
      << out->warnings(0);
  EXPECT_NE(out->warnings(0).find("GM0003"), std::string::npos) << out->warnings(0);
}

TEST_F(ProvincesPluginTest, NamedDefinition) {
  const v1::Dataset dataset = small_dataset();
  const Expected<v1::Artifacts> out = run(dataset, "corop");
  ASSERT_TRUE(out.has_value()) << out.status().message();
  EXPECT_EQ(out->partitions(0).name(), "regions");
  EXPECT_EQ(out->partitions(0).regions(0).id(), "CR01");
  ASSERT_EQ(out->warnings_size(), 1);
  EXPECT_NE(out->warnings(0).find("indeling 'corop'"), std::string::npos) << out->warnings(0);
}

TEST_F(ProvincesPluginTest, UnknownDefinitionIsAnErrorNamingTheStep) {
  const v1::Dataset dataset = small_dataset();
  const Expected<v1::Artifacts> out = run(dataset, "nuts3");
  ASSERT_FALSE(out.has_value());
  const std::string& message = out.status().message();
  EXPECT_NE(message.find("step 'regions'"), std::string::npos) << message;
  EXPECT_NE(message.find("'nuts3'"), std::string::npos) << message;
  EXPECT_NE(message.find("'corop'"), std::string::npos) << message;
}

}  // namespace
}  // namespace bre::region
