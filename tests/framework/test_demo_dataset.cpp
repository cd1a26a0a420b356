// The demo dataset (bre::demo::generate): determinism, sizes, and the planted ground
// truth that other tests rely on. Geometry checks recompute adjacency from the
// polygons themselves, independent of the generator's internals.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "bre/dataset.hpp"
#include "bre/demo.hpp"

namespace bre {
namespace {

std::string deterministic_bytes(const v1::Dataset& dataset) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    EXPECT_TRUE(dataset.SerializeToCodedStream(&coded));
  }
  return bytes;
}

const v1::Dataset& demo_dataset() {
  static const v1::Dataset dataset = demo::generate();
  return dataset;
}

const v1::RegionDefinition* find_definition(const v1::Dataset& dataset, const std::string& name) {
  for (const auto& definition : dataset.region_definitions()) {
    if (definition.name() == name) return &definition;
  }
  return nullptr;
}

std::map<std::string, int> municipality_index(const v1::Dataset& dataset) {
  std::map<std::string, int> index;
  for (int i = 0; i < dataset.municipalities_size(); ++i) index[dataset.municipalities(i).code()] = i;
  return index;
}

// Land adjacency: two municipalities are neighbours when a polygon edge of one is an
// edge of the other (same two vertices, either direction).
std::vector<std::set<int>> land_adjacency(const v1::Dataset& dataset) {
  using Vertex = std::pair<double, double>;
  std::map<std::pair<Vertex, Vertex>, std::set<int>> edge_owners;
  for (int i = 0; i < dataset.municipalities_size(); ++i) {
    for (const auto& polygon : dataset.municipalities(i).geometry().polygons()) {
      const auto& points = polygon.outer().points();
      for (int k = 0; k < points.size(); ++k) {
        const auto& p = points[k];
        const auto& q = points[(k + 1) % points.size()];
        Vertex a{p.x(), p.y()};
        Vertex b{q.x(), q.y()};
        if (b < a) std::swap(a, b);
        edge_owners[{a, b}].insert(i);
      }
    }
  }
  std::vector<std::set<int>> adjacency(dataset.municipalities_size());
  for (const auto& [edge, owners] : edge_owners) {
    for (int a : owners) {
      for (int b : owners) {
        if (a != b) adjacency[a].insert(b);
      }
    }
  }
  return adjacency;
}

// Whether `members` form one connected piece of `adjacency`.
bool connected(const std::vector<int>& members, const std::vector<std::set<int>>& adjacency) {
  if (members.empty()) return true;
  const std::set<int> inside(members.begin(), members.end());
  std::set<int> reached{members.front()};
  std::vector<int> stack{members.front()};
  while (!stack.empty()) {
    const int at = stack.back();
    stack.pop_back();
    for (int next : adjacency[at]) {
      if (inside.count(next) && reached.insert(next).second) stack.push_back(next);
    }
  }
  return reached.size() == inside.size();
}

double centroid_distance(const v1::Municipality& a, const v1::Municipality& b) {
  return std::hypot(a.centroid().x() - b.centroid().x(), a.centroid().y() - b.centroid().y());
}

// Planted region index of every municipality.
std::vector<int> planted_labels(const v1::Dataset& dataset) {
  const auto index = municipality_index(dataset);
  std::vector<int> label(dataset.municipalities_size(), -1);
  const v1::RegionDefinition* planted = find_definition(dataset, demo::kPlantedDefinition);
  if (planted == nullptr) return label;
  for (int r = 0; r < planted->regions_size(); ++r) {
    for (const auto& code : planted->regions(r).municipality_codes()) label[index.at(code)] = r;
  }
  return label;
}

TEST(DemoDataset, SameSeedGivesIdenticalBytes) {
  EXPECT_EQ(deterministic_bytes(demo::generate(7)), deterministic_bytes(demo::generate(7)));
  EXPECT_EQ(deterministic_bytes(demo::generate()), deterministic_bytes(demo_dataset()));
}

TEST(DemoDataset, DifferentSeedsGiveDifferentDatasets) {
  EXPECT_NE(deterministic_bytes(demo::generate(1)), deterministic_bytes(demo::generate(2)));
  EXPECT_NE(demo::generate(1).municipalities(0).name(), demo::generate(2).municipalities(0).name());
}

TEST(DemoDataset, HeaderNamesTheSeed) {
  const v1::Dataset dataset = demo::generate(12345);
  EXPECT_EQ(dataset.name(), "demo");
  EXPECT_EQ(dataset.reference_year(), 2016);
  EXPECT_NE(dataset.description().find("12345"), std::string::npos);
  EXPECT_NE(dataset.description().find("ynthetic"), std::string::npos);
}

TEST(DemoDataset, PassesValidation) {
  const std::vector<std::string> problems = validate_dataset(demo_dataset());
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, first: " << problems.front();
  for (std::uint64_t seed : {1u, 99u}) {
    EXPECT_TRUE(validate_dataset(demo::generate(seed)).empty()) << "seed " << seed;
  }
}

TEST(DemoDataset, CountsAreInRange) {
  const v1::Dataset& d = demo_dataset();
  EXPECT_GE(d.municipalities_size(), 280);
  EXPECT_LE(d.municipalities_size(), 320);

  std::map<v1::BodyKind, int> bodies;
  std::set<std::string> province_codes;
  for (const auto& body : d.bodies()) {
    ++bodies[body.kind()];
    if (body.kind() == v1::BODY_KIND_PROVINCE) province_codes.insert(body.code());
  }
  EXPECT_EQ(bodies[v1::BODY_KIND_PROVINCE], 12);
  EXPECT_EQ(*province_codes.begin(), "PV20");
  EXPECT_EQ(*province_codes.rbegin(), "PV31");
  EXPECT_GE(bodies[v1::BODY_KIND_WATER_BOARD], 3);
  EXPECT_EQ(bodies[v1::BODY_KIND_NATIONAL], 1);

  EXPECT_GE(d.arrangements_size(), 900);
  EXPECT_LE(d.arrangements_size(), 1100);
  EXPECT_GT(d.commuting_flows_size(), d.municipalities_size());
  EXPECT_LT(d.commuting_flows_size(), 30'000);

  EXPECT_GE(d.area_indicators_size(), 8);
  std::set<int> years;
  for (const auto& value : d.indicator_values()) years.insert(value.year());
  EXPECT_EQ(years, (std::set<int>{2014, 2016}));
  // Every indicator has a value for every municipality in both years.
  EXPECT_EQ(d.indicator_values_size(), d.area_indicators_size() * d.municipalities_size() * 2);

  EXPECT_GE(d.survey_items_size(), 10);
  EXPECT_GE(d.survey_responses_size(), 700);

  const v1::RegionDefinition* planted = find_definition(d, demo::kPlantedDefinition);
  ASSERT_NE(planted, nullptr);
  EXPECT_GE(planted->regions_size(), 20);
  EXPECT_LE(planted->regions_size(), 30);
  ASSERT_EQ(d.cases_size(), planted->regions_size());
  for (int r = 0; r < planted->regions_size(); ++r) {
    EXPECT_EQ(d.cases(r).region_id(), planted->regions(r).id());
    EXPECT_EQ(std::vector<std::string>(d.cases(r).municipality_codes().begin(),
                                       d.cases(r).municipality_codes().end()),
              std::vector<std::string>(planted->regions(r).municipality_codes().begin(),
                                       planted->regions(r).municipality_codes().end()));
  }
  const v1::RegionDefinition* corop = find_definition(d, "corop");
  ASSERT_NE(corop, nullptr);
  EXPECT_GE(corop->regions_size(), 30);
}

TEST(DemoDataset, MunicipalityNamesAndCodesAreUnique) {
  std::set<std::string> codes;
  std::set<std::string> names;
  for (const auto& m : demo_dataset().municipalities()) {
    EXPECT_TRUE(codes.insert(m.code()).second) << m.code();
    EXPECT_TRUE(names.insert(m.name()).second) << m.name();
    EXPECT_EQ(m.code().size(), 6u);
    EXPECT_EQ(m.code().rfind("GM", 0), 0u);
    EXPECT_GT(m.population(), 0);
    EXPECT_GT(m.area_km2(), 0.0);
  }
}

TEST(DemoDataset, PlantedRegionsPartitionTheMunicipalities) {
  const v1::Dataset& d = demo_dataset();
  const v1::RegionDefinition* planted = find_definition(d, demo::kPlantedDefinition);
  ASSERT_NE(planted, nullptr);
  EXPECT_FALSE(planted->is_cover());
  std::map<std::string, int> seen;
  for (const auto& region : planted->regions()) {
    EXPECT_GE(region.municipality_codes_size(), 5) << region.id();
    EXPECT_LE(region.municipality_codes_size(), 20) << region.id();
    for (const auto& code : region.municipality_codes()) ++seen[code];
  }
  for (const auto& m : d.municipalities()) EXPECT_EQ(seen[m.code()], 1) << m.code();
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(d.municipalities_size()));
}

TEST(DemoDataset, IslandsExistAndJoinTheRegionOfTheirNearestCoast) {
  const v1::Dataset& d = demo_dataset();
  const auto adjacency = land_adjacency(d);
  const auto label = planted_labels(d);
  std::vector<int> islands;
  for (int i = 0; i < d.municipalities_size(); ++i) {
    if (adjacency[i].empty()) islands.push_back(i);
  }
  ASSERT_GE(islands.size(), 2u);
  for (int island : islands) {
    int nearest = -1;
    for (int j = 0; j < d.municipalities_size(); ++j) {
      if (adjacency[j].empty()) continue;
      if (nearest < 0 || centroid_distance(d.municipalities(island), d.municipalities(j)) <
                             centroid_distance(d.municipalities(island), d.municipalities(nearest))) {
        nearest = j;
      }
    }
    EXPECT_EQ(label[island], label[nearest]) << d.municipalities(island).code();
  }
}

TEST(DemoDataset, PlantedProvinceAndCoropRegionsAreContiguousOnLand) {
  const v1::Dataset& d = demo_dataset();
  const auto adjacency = land_adjacency(d);
  const auto index = municipality_index(d);
  auto check = [&](const v1::RegionDefinition& definition) {
    for (const auto& region : definition.regions()) {
      std::vector<int> mainland;
      for (const auto& code : region.municipality_codes()) {
        if (!adjacency[index.at(code)].empty()) mainland.push_back(index.at(code));
      }
      EXPECT_TRUE(connected(mainland, adjacency)) << definition.name() << " " << region.id();
    }
  };
  check(*find_definition(d, demo::kPlantedDefinition));
  check(*find_definition(d, "corop"));

  std::map<std::string, std::vector<int>> provinces;
  for (int i = 0; i < d.municipalities_size(); ++i) {
    if (!adjacency[i].empty()) provinces[d.municipalities(i).province_code()].push_back(i);
  }
  EXPECT_EQ(provinces.size(), 12u);
  for (const auto& [code, members] : provinces) EXPECT_TRUE(connected(members, adjacency)) << code;
}

TEST(DemoDataset, AdjacencyIsTheSetOfSharedPolygonEdges) {
  const v1::Dataset& d = demo_dataset();
  const auto expected = land_adjacency(d);
  std::vector<std::set<int>> found(d.municipalities_size());
  const auto index = municipality_index(d);
  for (const auto& pair : d.adjacency()) {
    EXPECT_GT(pair.shared_border_m(), 0.0);
    found[index.at(pair.a_code())].insert(index.at(pair.b_code()));
    found[index.at(pair.b_code())].insert(index.at(pair.a_code()));
  }
  EXPECT_EQ(found, expected);
}

TEST(DemoDataset, PlantedRegionsAreNotTheProvinces) {
  const v1::Dataset& d = demo_dataset();
  const v1::RegionDefinition* planted = find_definition(d, demo::kPlantedDefinition);
  const auto index = municipality_index(d);
  int crossing = 0;
  for (const auto& region : planted->regions()) {
    std::set<std::string> provinces;
    for (const auto& code : region.municipality_codes())
      provinces.insert(d.municipalities(index.at(code)).province_code());
    if (provinces.size() > 1) ++crossing;
  }
  EXPECT_GE(crossing, 5);
}

TEST(DemoDataset, MostCooperationTiesStayInsidePlantedRegions) {
  // Fractional weighting (DOMAIN.md §1): each arrangement adds 1/(|a|-1) per pair, so
  // the province-wide and large arrangements do not swamp the many small ones.
  const v1::Dataset& d = demo_dataset();
  const auto index = municipality_index(d);
  const auto label = planted_labels(d);
  double inside = 0.0;
  double total = 0.0;
  for (const auto& a : d.arrangements()) {
    EXPECT_GE(a.municipality_codes_size(), 2) << a.id();
    if (a.kind() != v1::ARRANGEMENT_KIND_COOPERATION && a.kind() != v1::ARRANGEMENT_KIND_SOCIETAL) continue;
    const int n = a.municipality_codes_size();
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        const double w = 1.0 / (n - 1);
        total += w;
        if (label[index.at(a.municipality_codes(i))] == label[index.at(a.municipality_codes(j))]) inside += w;
      }
    }
  }
  ASSERT_GT(total, 0.0);
  EXPECT_GT(inside / total, 0.7);
}

TEST(DemoDataset, SelfFlowIsTheLargestFlowOfEveryHome) {
  std::map<std::string, double> self;
  std::map<std::string, double> largest_other;
  for (const auto& f : demo_dataset().commuting_flows()) {
    EXPECT_EQ(f.persons(), std::round(f.persons()));
    EXPECT_GE(f.persons(), 5.0);
    if (f.home_code() == f.work_code()) {
      self[f.home_code()] = f.persons();
    } else {
      largest_other[f.home_code()] = std::max(largest_other[f.home_code()], f.persons());
    }
  }
  EXPECT_EQ(self.size(), static_cast<std::size_t>(demo_dataset().municipalities_size()));
  for (const auto& [home, persons] : largest_other) EXPECT_GT(self[home], persons) << home;
}

TEST(DemoDataset, SurveyCarriesThePlantedLegitimacyEffects) {
  const v1::Dataset& d = demo_dataset();
  std::map<std::string, const v1::SurveyItem*> items;
  for (const auto& item : d.survey_items()) items[item.id()] = &item;
  const auto index = municipality_index(d);
  const auto label = planted_labels(d);
  const std::set<std::string> low_input = {"P04", "P09", "P16", "P23"};
  const v1::RegionDefinition* planted = find_definition(d, demo::kPlantedDefinition);

  std::map<v1::LegitimacyDimension, std::pair<double, int>> by_dimension;
  std::pair<double, int> input_low{0.0, 0};
  std::pair<double, int> input_rest{0.0, 0};
  for (const auto& response : d.survey_responses()) {
    for (const auto& answer : response.answers()) {
      ASSERT_GE(answer.value(), 0);
      ASSERT_LE(answer.value(), 5);
      if (answer.value() == 0) continue;
      const v1::SurveyItem& item = *items.at(answer.item_id());
      const double score = item.reverse_coded() ? 6 - answer.value() : answer.value();
      by_dimension[item.dimension()].first += score;
      ++by_dimension[item.dimension()].second;
      if (item.dimension() != v1::LEGITIMACY_DIMENSION_INPUT ||
          response.role() != v1::REPRESENTATIVE_ROLE_MUNICIPAL_COUNCIL) {
        continue;
      }
      const std::string& region = planted->regions(label[index.at(response.body_code())]).id();
      auto& bucket = low_input.count(region) ? input_low : input_rest;
      bucket.first += score;
      ++bucket.second;
    }
  }
  auto mean = [](const std::pair<double, int>& p) { return p.first / p.second; };
  EXPECT_GT(mean(by_dimension[v1::LEGITIMACY_DIMENSION_FUNDAMENTAL]), 3.6);
  EXPECT_LT(mean(by_dimension[v1::LEGITIMACY_DIMENSION_INPUT]), 2.9);
  EXPECT_LT(mean(by_dimension[v1::LEGITIMACY_DIMENSION_THROUGHPUT]), 2.9);
  ASSERT_GT(input_low.second, 0);
  EXPECT_GT(mean(input_rest) - mean(input_low), 0.4);
}

}  // namespace
}  // namespace bre
