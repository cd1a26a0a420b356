// indicator.congruence (DOMAIN.md §3) on a hand-built dataset, checked against values
// computed by hand. Functional integrality (FI) = bundled tasks / tasks, a task being an
// (arrangement, domain) pair and a bundled one sitting in an arrangement of two or more
// domains; arrangements without domain are unknown (n_unclassified).
//
// Fixture: municipalities A..G (codes GM0001..GM0007); partition R1 = {A, B, C},
// R2 = {D, E}, R3 = {F}; G unassigned.
// Arrangements (kind cooperation unless noted):
//   a1 {A,B,C}      WGR_PUBLIC_BODY  domains {zorg, werk}
//   a2 {A,B}        INFORMAL         {zorg}
//   a3 {C,D}        NETWORK          {veiligheid}
//   a4 {D,E,F}      PRIVATE_LAW      {}
//   a5 {A,B,C,D,E}  WGR_LIGHT        {zorg, werk, veiligheid}
//   a6 {E,G}        UNSPECIFIED      {wonen}
//   a7 {A,B}        kind STATISTICAL, UNSPECIFIED, {}      (counted only with kinds+statistical)
//   a8 {A}          one municipality                        (never counted)
// Count weights: AB = a1+a2+a5 = 3; AC = BC = CD = DE = 2; AD = AE = BD = BE = CE =
// DF = EF = EG = 1. Strengths: A = B = C = D = E = 7, F = 2, G = 1 (total 38 = 2 * 19).
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "congruence.hpp"
#include "plugin_harness.hpp"

namespace {

using bre::indicator::compute_congruence;
using bre::indicator::CongruenceOptions;
using bre::indicator::CongruenceResult;

std::string code(char letter) { return std::string("GM000") + static_cast<char>('1' + (letter - 'A')); }

void add_arrangement(bre::v1::Dataset& d, const std::string& id, const std::string& members,
                     bre::v1::LegalForm form, const std::vector<std::string>& domains,
                     bre::v1::ArrangementKind kind = bre::v1::ARRANGEMENT_KIND_COOPERATION) {
  bre::v1::Arrangement* a = d.add_arrangements();
  a->set_id(id);
  a->set_name("Arrangement " + id);
  a->set_kind(kind);
  a->set_legal_form(form);
  for (const std::string& domain : domains) a->add_policy_domains(domain);
  for (char m : members) a->add_municipality_codes(code(m));
}

// Municipalities `first`..`last`, 1000 inhabitants each.
void add_municipalities(bre::v1::Dataset& d, char first, char last) {
  for (char m = first; m <= last; ++m) {
    bre::v1::Municipality* mun = d.add_municipalities();
    mun->set_code(code(m));
    mun->set_name(std::string("Gemeente ") + m);
    mun->set_population(1000);
  }
}

bre::v1::Dataset fixture_dataset() {
  bre::v1::Dataset d;
  d.set_name("congruence-fixture");
  d.set_reference_year(2016);
  add_municipalities(d, 'A', 'G');
  add_arrangement(d, "a1", "ABC", bre::v1::LEGAL_FORM_WGR_PUBLIC_BODY, {"zorg", "werk"});
  add_arrangement(d, "a2", "AB", bre::v1::LEGAL_FORM_INFORMAL, {"zorg"});
  add_arrangement(d, "a3", "CD", bre::v1::LEGAL_FORM_NETWORK, {"veiligheid"});
  add_arrangement(d, "a4", "DEF", bre::v1::LEGAL_FORM_PRIVATE_LAW, {});
  add_arrangement(d, "a5", "ABCDE", bre::v1::LEGAL_FORM_WGR_LIGHT, {"zorg", "werk", "veiligheid"});
  add_arrangement(d, "a6", "EG", bre::v1::LEGAL_FORM_UNSPECIFIED, {"wonen"});
  add_arrangement(d, "a7", "AB", bre::v1::LEGAL_FORM_UNSPECIFIED, {},
                  bre::v1::ARRANGEMENT_KIND_STATISTICAL);
  add_arrangement(d, "a8", "A", bre::v1::LEGAL_FORM_INFORMAL, {"zorg"});
  return d;
}

void add_region(bre::v1::Partition& p, const std::string& id, const std::string& members) {
  bre::v1::Region* r = p.add_regions();
  r->set_id(id);
  r->set_name("Regio " + id);
  for (char m : members) r->add_municipality_codes(code(m));
}

bre::v1::Partition fixture_partition() {
  bre::v1::Partition p;
  p.set_name("bre");
  add_region(p, "R1", "ABC");
  add_region(p, "R2", "DE");
  add_region(p, "R3", "F");
  p.add_unassigned(code('G'));
  return p;
}

int column(const bre::v1::IndicatorTable& table, const std::string& id) {
  for (int c = 0; c < table.columns_size(); ++c) {
    if (table.columns(c).id() == id) return c;
  }
  ADD_FAILURE() << "no column " << id;
  return 0;
}

double value(const bre::v1::IndicatorTable& table, int row, const std::string& id) {
  const bre::v1::IndicatorRow& r = row < 0 ? table.summary_rows(0) : table.rows(row);
  return r.values(column(table, id));
}
constexpr int kNational = -1;

class CongruenceTest : public ::testing::Test {
 protected:
  CongruenceResult run(const CongruenceOptions& options = {}, bre::Language language = bre::Language::kEnglish) {
    bre::Expected<CongruenceResult> result = compute_congruence(index_, partition_, options, language);
    EXPECT_TRUE(result.has_value()) << result.status().message();
    return result.has_value() ? *result : CongruenceResult{};
  }
  bre::v1::Dataset dataset_ = fixture_dataset();
  bre::DatasetIndex index_{dataset_};
  bre::v1::Partition partition_ = fixture_partition();
};

TEST_F(CongruenceTest, TableShape) {
  const CongruenceResult r = run();
  const bre::v1::IndicatorTable& t = r.table;
  EXPECT_EQ(t.name(), "congruence");
  EXPECT_EQ(t.partition_name(), "bre");
  ASSERT_EQ(t.columns_size(), 10);
  int c = 0;
  for (const char* id : bre::indicator::kCongruenceColumns) {
    EXPECT_EQ(t.columns(c).id(), id);
    EXPECT_FALSE(t.columns(c).doc().empty()) << id;
    ++c;
  }
  ASSERT_EQ(t.rows_size(), 3);
  EXPECT_EQ(t.rows(0).region_id(), "R1");
  EXPECT_EQ(t.rows(0).region_name(), "Regio R1");
  EXPECT_EQ(t.rows(2).region_id(), "R3");
  ASSERT_EQ(t.summary_rows_size(), 1);
  EXPECT_EQ(t.summary_rows(0).region_id(), "NL");
  for (const auto& row : t.rows()) EXPECT_EQ(row.values_size(), 10);
  EXPECT_EQ(t.summary_rows(0).values_size(), 10);
  // The unassigned G is reported, with its count, and a4 as an arrangement without domain.
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].find("1 of 7"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[1].find("1 of 6 counted arrangements have no policy domain"), std::string::npos)
      << r.warnings[1];
}

TEST_F(CongruenceTest, TextsFollowTheLanguageAndValuesDoNot) {
  const CongruenceResult dutch = run({}, bre::Language::kDutch);
  const CongruenceResult english = run({}, bre::Language::kEnglish);
  ASSERT_EQ(dutch.warnings.size(), 2u);
  EXPECT_EQ(dutch.warnings[1],
            "1 van 6 getelde samenwerkingsverbanden hebben geen beleidsdomein: hun domeinen zijn onbekend, dus tellen "
            "ze niet mee in de functionele integraliteit (kolom n_unclassified)");
  EXPECT_EQ(dutch.table.columns(2).label(), "Congruentie 1 (territoriaal)");
  EXPECT_EQ(english.table.columns(2).label(), "Congruence 1 (territorial)");
  EXPECT_EQ(dutch.table.columns(0).unit(), "aantal");
  EXPECT_EQ(english.table.columns(0).unit(), "count");
  // Ids and values are the same in both languages.
  ASSERT_EQ(dutch.table.columns_size(), english.table.columns_size());
  for (int c = 0; c < dutch.table.columns_size(); ++c) EXPECT_EQ(dutch.table.columns(c).id(), english.table.columns(c).id());
  bre::v1::IndicatorTable values_nl = dutch.table, values_en = english.table;
  values_nl.clear_columns();
  values_en.clear_columns();
  EXPECT_EQ(values_nl.SerializeAsString(), values_en.SerializeAsString());
}

TEST_F(CongruenceTest, CountWeightingRegionRows) {
  const bre::v1::IndicatorTable t = run().table;
  // R1 = {A,B,C}
  EXPECT_EQ(value(t, 0, "n_municipalities"), 3.0);
  EXPECT_EQ(value(t, 0, "n_arrangements"), 3.0);  // a1, a2, a5 (a3 has only C, a7 not counted)
  EXPECT_DOUBLE_EQ(value(t, 0, "congruence_c1"), 2.0 / 3.0);  // 2*(AB3+AC2+BC2) / (7+7+7) = 14/21
  EXPECT_DOUBLE_EQ(value(t, 0, "congruence_c2"), 2.0 / 3.0);  // a1, a5 complete of 3
  EXPECT_DOUBLE_EQ(value(t, 0, "functional_integrality"), 5.0 / 6.0);  // a1 2 + a5 3 bundled of 2+1+3 tasks
  EXPECT_EQ(value(t, 0, "n_unclassified"), 0.0);
  EXPECT_DOUBLE_EQ(value(t, 0, "share_informal"), 1.0 / 3.0);  // a2
  EXPECT_EQ(value(t, 0, "share_network"), 0.0);
  EXPECT_EQ(value(t, 0, "share_private_law"), 0.0);
  EXPECT_DOUBLE_EQ(value(t, 0, "share_wgr"), 2.0 / 3.0);  // a1 public body + a5 light

  // R2 = {D,E}
  EXPECT_EQ(value(t, 1, "n_municipalities"), 2.0);
  EXPECT_EQ(value(t, 1, "n_arrangements"), 2.0);  // a4, a5 (a3 has only D, a6 only E)
  EXPECT_DOUBLE_EQ(value(t, 1, "congruence_c1"), 2.0 / 7.0);  // 2*DE2 / (7+7) = 4/14
  EXPECT_EQ(value(t, 1, "congruence_c2"), 1.0);               // both include D and E
  EXPECT_EQ(value(t, 1, "functional_integrality"), 1.0);  // a5: 3 of 3 tasks; a4 unknown, not 0
  EXPECT_EQ(value(t, 1, "n_unclassified"), 1.0);            // a4
  EXPECT_EQ(value(t, 1, "share_informal"), 0.0);
  EXPECT_DOUBLE_EQ(value(t, 1, "share_private_law"), 0.5);  // a4
  EXPECT_DOUBLE_EQ(value(t, 1, "share_wgr"), 0.5);          // a5

  // R3 = {F}: ties but no internal edge, and no arrangement with two members in it.
  EXPECT_EQ(value(t, 2, "n_municipalities"), 1.0);
  EXPECT_EQ(value(t, 2, "n_arrangements"), 0.0);
  EXPECT_EQ(value(t, 2, "congruence_c1"), 0.0);  // 0 / (DF1+EF1 = 2)
  EXPECT_TRUE(std::isnan(value(t, 2, "congruence_c2")));
  EXPECT_TRUE(std::isnan(value(t, 2, "functional_integrality")));
  EXPECT_TRUE(std::isnan(value(t, 2, "share_wgr")));
}

TEST_F(CongruenceTest, CountWeightingNationalRow) {
  // NL pools the regions: every count a sum over the region rows, every ratio the sum
  // of their numerators over the sum of their denominators; one definition for all.
  const bre::v1::IndicatorTable t = run().table;
  EXPECT_EQ(value(t, kNational, "n_municipalities"), 6.0);  // 3 + 2 + 1; G is in no region
  EXPECT_EQ(value(t, kNational, "n_arrangements"), 5.0);    // R1 a1 a2 a5, R2 a4 a5
  EXPECT_DOUBLE_EQ(value(t, kNational, "congruence_c1"), 18.0 / 37.0);  // (14+4+0) / (21+14+2)
  EXPECT_DOUBLE_EQ(value(t, kNational, "congruence_c2"), 0.8);  // (2+2+0) / (3+2+0)
  EXPECT_DOUBLE_EQ(value(t, kNational, "functional_integrality"), 8.0 / 9.0);  // (5+3) / (6+3)
  EXPECT_DOUBLE_EQ(value(t, kNational, "share_informal"), 1.0 / 5.0);     // a2 in R1
  EXPECT_EQ(value(t, kNational, "share_network"), 0.0);                   // a3 has one member per region
  EXPECT_DOUBLE_EQ(value(t, kNational, "share_private_law"), 1.0 / 5.0);  // a4 in R2
  EXPECT_DOUBLE_EQ(value(t, kNational, "share_wgr"), 3.0 / 5.0);          // a1, a5 in R1; a5 in R2
  EXPECT_EQ(value(t, kNational, "n_unclassified"), 1.0);
  // Each count and each numerator of the national row is the sum of the region rows'.
  double arrangements = 0.0, complete = 0.0, wgr = 0.0;
  for (int row = 0; row < t.rows_size(); ++row) {
    const double n = value(t, row, "n_arrangements");
    arrangements += n;
    if (n > 0) {
      complete += n * value(t, row, "congruence_c2");
      wgr += n * value(t, row, "share_wgr");
    }
  }
  EXPECT_EQ(arrangements, value(t, kNational, "n_arrangements"));
  EXPECT_DOUBLE_EQ(complete / arrangements, value(t, kNational, "congruence_c2"));
  EXPECT_DOUBLE_EQ(wgr / arrangements, value(t, kNational, "share_wgr"));
}

TEST_F(CongruenceTest, ShareWgrCountsTheUnspecifiedWgrForm) {
  // a2 as a Wgr arrangement of unspecified type: R1 = a1, a2, a5 all Wgr.
  dataset_.mutable_arrangements(1)->set_legal_form(bre::v1::LEGAL_FORM_WGR_UNSPECIFIED);
  bre::DatasetIndex wgr_index(dataset_);
  bre::Expected<CongruenceResult> wgr = compute_congruence(wgr_index, partition_, {});
  ASSERT_TRUE(wgr.has_value()) << wgr.status().message();
  EXPECT_EQ(value(wgr->table, 0, "share_wgr"), 1.0);
  EXPECT_EQ(value(wgr->table, 0, "share_informal"), 0.0);
  // A legal form nobody gave (LEGAL_FORM_UNSPECIFIED) counts in none of the shares.
  dataset_.mutable_arrangements(1)->set_legal_form(bre::v1::LEGAL_FORM_UNSPECIFIED);
  bre::DatasetIndex unknown_index(dataset_);
  bre::Expected<CongruenceResult> unknown = compute_congruence(unknown_index, partition_, {});
  ASSERT_TRUE(unknown.has_value()) << unknown.status().message();
  EXPECT_DOUBLE_EQ(value(unknown->table, 0, "share_wgr"), 2.0 / 3.0);
  EXPECT_EQ(value(unknown->table, 0, "share_informal"), 0.0);
}

// Regions where bundling and diversity disagree: FI follows bundling, and the old
// definition mean |domains(a)| / |D(B)| (here `diversity_reading`) would rank them the
// other way.
TEST(CongruenceBundling, FollowsBundlingNotTheNumberOfDomains) {
  bre::v1::Dataset d;
  d.set_name("bundling");
  add_municipalities(d, 'A', 'H');
  const auto wgr = bre::v1::LEGAL_FORM_WGR_UNSPECIFIED;
  // P = {A,B}: two single-purpose arrangements of one domain. Few domains, no bundling.
  add_arrangement(d, "p1", "AB", wgr, {"zorg"});
  add_arrangement(d, "p2", "AB", wgr, {"zorg"});
  // Q = {C,D}: three two-domain arrangements over six domains. Many domains, all bundled.
  add_arrangement(d, "q1", "CD", wgr, {"zorg", "werk"});
  add_arrangement(d, "q2", "CD", wgr, {"afval", "veiligheid"});
  add_arrangement(d, "q3", "CD", wgr, {"fysiek", "economie"});
  // R = {E,F} and S = {G,H}: the same three domains, in one arrangement (R) or in three (S).
  add_arrangement(d, "r1", "EF", wgr, {"zorg", "werk", "afval"});
  add_arrangement(d, "r2", "EF", wgr, {});  // unknown: left out, not counted as 0
  add_arrangement(d, "s1", "GH", wgr, {"zorg"});
  add_arrangement(d, "s2", "GH", wgr, {"werk"});
  add_arrangement(d, "s3", "GH", wgr, {"afval"});
  bre::v1::Partition p;
  p.set_name("four");
  add_region(p, "P", "AB");
  add_region(p, "Q", "CD");
  add_region(p, "R", "EF");
  add_region(p, "S", "GH");
  const bre::DatasetIndex index(d);
  bre::Expected<CongruenceResult> r = compute_congruence(index, p, {});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  const bre::v1::IndicatorTable& t = r->table;
  const auto diversity_reading = [](double mean_domains, double distinct) { return mean_domains / distinct; };
  // Bundling differs, diversity the reverse: P 0 < Q 1, while the old reading gave P 1 > Q 1/3.
  EXPECT_EQ(value(t, 0, "functional_integrality"), 0.0);
  EXPECT_EQ(value(t, 1, "functional_integrality"), 1.0);
  EXPECT_GT(diversity_reading(1.0, 1.0), diversity_reading(2.0, 6.0));
  // Same diversity (three domains), different bundling: R 1, S 0.
  EXPECT_EQ(value(t, 2, "functional_integrality"), 1.0);
  EXPECT_EQ(value(t, 3, "functional_integrality"), 0.0);
  EXPECT_EQ(value(t, 2, "n_unclassified"), 1.0);
  // Same bundling, different diversity: Q (six domains) and R (three) are both 1.
  EXPECT_EQ(value(t, 1, "functional_integrality"), value(t, 2, "functional_integrality"));
  // An unclassified arrangement alone gives no FI at all.
  bre::v1::Dataset only_unknown = d;
  only_unknown.clear_arrangements();
  add_arrangement(only_unknown, "u1", "AB", wgr, {});
  const bre::DatasetIndex unknown_index(only_unknown);
  bre::Expected<CongruenceResult> u = compute_congruence(unknown_index, p, {});
  ASSERT_TRUE(u.has_value()) << u.status().message();
  EXPECT_TRUE(std::isnan(value(u->table, 0, "functional_integrality")));
  EXPECT_EQ(value(u->table, 0, "n_unclassified"), 1.0);
}

TEST_F(CongruenceTest, FractionalWeighting) {
  // Each arrangement adds 1/(|a|-1) per pair, so every node's strength is the number
  // of counted arrangements it is in: A = B = C = D = E = 3, F = G = 1.
  CongruenceOptions options;
  options.weighting = bre::Weighting::kFractional;
  const bre::v1::IndicatorTable t = run(options).table;
  // R1: AB = 1/2 + 1 + 1/4, AC = BC = 1/2 + 1/4 -> W_in = 3.25; C1 = 6.5 / 9
  EXPECT_DOUBLE_EQ(value(t, 0, "congruence_c1"), 13.0 / 18.0);
  // R2: DE = 1/2 + 1/4 = 0.75; C1 = 1.5 / 6
  EXPECT_DOUBLE_EQ(value(t, 1, "congruence_c1"), 0.25);
  EXPECT_EQ(value(t, 2, "congruence_c1"), 0.0);  // 0 / 1
  EXPECT_DOUBLE_EQ(value(t, kNational, "congruence_c1"), 0.5);  // (6.5+1.5+0) / (9+6+1)
  // Weighting does not touch the arrangement-based columns.
  EXPECT_DOUBLE_EQ(value(t, 0, "congruence_c2"), 2.0 / 3.0);
  EXPECT_EQ(value(t, 0, "n_arrangements"), 3.0);
}

TEST_F(CongruenceTest, KindsFilter) {
  CongruenceOptions options;
  options.kinds = {bre::v1::ARRANGEMENT_KIND_COOPERATION, bre::v1::ARRANGEMENT_KIND_STATISTICAL};
  const bre::v1::IndicatorTable t = run(options).table;
  // a7 {A,B} joins: AB = 4, strength A = B = 8.
  EXPECT_EQ(value(t, 0, "n_arrangements"), 4.0);
  EXPECT_DOUBLE_EQ(value(t, 0, "congruence_c1"), 16.0 / 23.0);  // 2*(4+2+2) / (8+8+7)
  EXPECT_DOUBLE_EQ(value(t, 0, "congruence_c2"), 0.5);          // a1, a5 of 4
  EXPECT_DOUBLE_EQ(value(t, 0, "functional_integrality"), 5.0 / 6.0);  // a7 has no domain: unknown
  EXPECT_EQ(value(t, 0, "n_unclassified"), 1.0);
  EXPECT_EQ(value(t, kNational, "n_arrangements"), 6.0);  // R1 a1 a2 a5 a7, R2 a4 a5
}

TEST_F(CongruenceTest, OneRegionWithEverything) {
  // Invariant: with every municipality in one region all ties stay inside (C1 = 1).
  bre::v1::Partition p;
  p.set_name("all");
  add_region(p, "R1", "ABCDEFG");
  bre::Expected<CongruenceResult> r = compute_congruence(index_, p, {}, bre::Language::kEnglish);
  ASSERT_TRUE(r.has_value()) << r.status().message();
  EXPECT_DOUBLE_EQ(value(r->table, 0, "congruence_c1"), 1.0);
  EXPECT_DOUBLE_EQ(value(r->table, kNational, "congruence_c1"), 1.0);
  EXPECT_EQ(value(r->table, 0, "n_arrangements"), 6.0);
  EXPECT_EQ(value(r->table, 0, "congruence_c2"), 0.0);  // no arrangement has all seven
  ASSERT_EQ(r->warnings.size(), 1u);  // a4 has no domain
  EXPECT_NE(r->warnings[0].find("no policy domain"), std::string::npos) << r->warnings[0];
}

TEST_F(CongruenceTest, Invariants) {
  const bre::v1::IndicatorTable t = run().table;
  double assigned = 0.0;
  for (int row = 0; row < t.rows_size(); ++row) {
    assigned += value(t, row, "n_municipalities");
    const double c1 = value(t, row, "congruence_c1");
    EXPECT_GE(c1, 0.0);
    EXPECT_LE(c1, 1.0);
    // A region never has more arrangements than the regions pooled.
    EXPECT_LE(value(t, row, "n_arrangements"), value(t, kNational, "n_arrangements"));
  }
  EXPECT_EQ(assigned, value(t, kNational, "n_municipalities"));  // the regions pooled; G is in none
  // Deterministic: a second run gives the same bytes.
  std::string first, second;
  ASSERT_TRUE(t.SerializeToString(&first));
  ASSERT_TRUE(run().table.SerializeToString(&second));
  EXPECT_EQ(first, second);
}

TEST_F(CongruenceTest, EmptyRegionIsNaN) {
  add_region(partition_, "R4", "");
  const bre::v1::IndicatorTable t = run().table;
  ASSERT_EQ(t.rows_size(), 4);
  EXPECT_EQ(value(t, 3, "n_municipalities"), 0.0);
  EXPECT_TRUE(std::isnan(value(t, 3, "congruence_c1")));  // vol = 0
  EXPECT_TRUE(std::isnan(value(t, 3, "congruence_c2")));
  EXPECT_DOUBLE_EQ(value(t, kNational, "congruence_c1"), 18.0 / 37.0);  // unchanged
}

TEST_F(CongruenceTest, NoArrangementsGivesNaNAndWarning) {
  dataset_.clear_arrangements();
  bre::DatasetIndex index(dataset_);
  bre::Expected<CongruenceResult> r = compute_congruence(index, partition_, {});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  EXPECT_TRUE(std::isnan(value(r->table, 0, "congruence_c1")));
  EXPECT_EQ(value(r->table, kNational, "n_arrangements"), 0.0);
  EXPECT_TRUE(std::isnan(value(r->table, kNational, "functional_integrality")));
  ASSERT_EQ(r->warnings.size(), 2u);
  EXPECT_NE(r->warnings[1].find("geen samenwerkingsverband van de soort [cooperation]"), std::string::npos)
      << r->warnings[1];
}

TEST_F(CongruenceTest, ErrorEmptyPartition) {
  bre::v1::Partition empty;
  empty.set_name("nothing");
  bre::Expected<CongruenceResult> r = compute_congruence(index_, empty, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.status().code(), bre::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("nothing"), std::string::npos);
}

TEST_F(CongruenceTest, ErrorUnknownCodeInPartition) {
  partition_.mutable_regions(0)->add_municipality_codes("GM9999");
  bre::Expected<CongruenceResult> r = compute_congruence(index_, partition_, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.status().message().find("GM9999"), std::string::npos) << r.status().message();
}

TEST_F(CongruenceTest, ErrorMunicipalityInTwoRegions) {
  partition_.mutable_regions(1)->add_municipality_codes(code('A'));
  bre::Expected<CongruenceResult> r = compute_congruence(index_, partition_, {});
  EXPECT_FALSE(r.has_value());
}

TEST_F(CongruenceTest, ErrorUnknownCodeInArrangement) {
  dataset_.mutable_arrangements(0)->add_municipality_codes("GM9999");
  bre::DatasetIndex index(dataset_);
  bre::Expected<CongruenceResult> r = compute_congruence(index, partition_, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.status().message().find("GM9999"), std::string::npos) << r.status().message();
}

TEST_F(CongruenceTest, ErrorNoKinds) {
  CongruenceOptions options;
  options.kinds.clear();
  bre::Expected<CongruenceResult> r = compute_congruence(index_, partition_, options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.status().code(), bre::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("kinds"), std::string::npos);
}

// ---------------------------------------------------------------------------
// The plugin as the host loads it.

TEST(CongruencePlugin, DescribesItself) {
  bre::test::PluginHarness harness("indicator_congruence.so", "indicator.congruence");
  ASSERT_NE(harness.plugin(), nullptr);
  const bre::v1::PluginDescription& d = harness.plugin()->description;
  EXPECT_TRUE(bre::validate_description(d).is_ok());
  EXPECT_EQ(d.kind(), bre::v1::PLUGIN_KIND_INDICATOR);
  EXPECT_EQ(d.version(), "2.0.0");
  ASSERT_EQ(d.parameters_size(), 2);
  EXPECT_EQ(d.parameters(0).name(), "weighting");
  EXPECT_EQ(d.parameters(1).name(), "kinds");
  ASSERT_EQ(d.consumes_size(), 1);
  EXPECT_EQ(d.consumes(0), bre::v1::ARTIFACT_KIND_PARTITION);
  ASSERT_EQ(d.produces_size(), 1);
  EXPECT_EQ(d.produces(0), bre::v1::ARTIFACT_KIND_INDICATOR_TABLE);
  EXPECT_TRUE(d.capabilities().thread_safe());
}

TEST(CongruencePlugin, RunsOnTheDemoDataset) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("indicator_congruence.so", "indicator.congruence");
  ASSERT_NE(harness.plugin(), nullptr);
  for (const char* weighting : {"count", "fractional"}) {
    google::protobuf::Struct given;
    (*given.mutable_fields())["weighting"].set_string_value(weighting);
    bre::Expected<bre::Params> params = harness.params(given);
    ASSERT_TRUE(params.has_value()) << params.status().message();
    bre::v1::Artifacts out;
    const bre::Status s = harness.run(demo.index, *params, 1, &demo.planted, out);
    ASSERT_TRUE(s.is_ok()) << s.message();
    ASSERT_EQ(out.tables_size(), 1);
    const bre::v1::IndicatorTable& t = out.tables(0);
    EXPECT_EQ(t.partition_name(), demo.planted.partitions(0).name());
    ASSERT_EQ(t.rows_size(), demo.planted.partitions(0).regions_size());
    double assigned = 0.0;
    for (int row = 0; row < t.rows_size(); ++row) {
      assigned += value(t, row, "n_municipalities");
      const double c1 = value(t, row, "congruence_c1");
      EXPECT_GE(c1, 0.0) << weighting;
      EXPECT_LE(c1, 1.0) << weighting;
      const double c2 = value(t, row, "congruence_c2");
      if (!std::isnan(c2)) {
        EXPECT_GE(c2, 0.0);
        EXPECT_LE(c2, 1.0);
      }
    }
    EXPECT_LE(assigned, static_cast<double>(demo.index.municipality_count()));
    // Planted regions are where the cooperation was planted: most ties stay inside.
    EXPECT_GT(value(t, kNational, "congruence_c1"), 0.5) << weighting;
  }
}

TEST(CongruencePlugin, NeedsAPartition) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("indicator_congruence.so", "indicator.congruence");
  ASSERT_NE(harness.plugin(), nullptr);
  bre::Expected<bre::Params> params = harness.params();
  ASSERT_TRUE(params.has_value());
  bre::v1::Artifacts out;
  const bre::Status s = harness.run(demo.index, *params, 1, nullptr, out);
  EXPECT_EQ(s.code(), bre::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("step_under_test"), std::string::npos) << s.message();
}

TEST(CongruencePlugin, RejectsUnknownChoices) {
  bre::test::PluginHarness harness("indicator_congruence.so", "indicator.congruence");
  ASSERT_NE(harness.plugin(), nullptr);
  google::protobuf::Struct given;
  (*given.mutable_fields())["weighting"].set_string_value("squared");
  EXPECT_FALSE(harness.params(given).has_value());
  google::protobuf::Struct kinds;
  (*kinds.mutable_fields())["kinds"].mutable_list_value()->add_values()->set_string_value("friendship");
  EXPECT_FALSE(harness.params(kinds).has_value());
}

// ---------------------------------------------------------------------------
// Properties on the demo dataset.

// Whether every municipality of `arrangement` lies in one region of `membership`.
bool inside_one_region(const bre::DatasetIndex& index, const bre::Membership& membership,
                       const bre::v1::Arrangement& arrangement) {
  std::int32_t region = bre::kUnassigned;
  for (const std::string& code : arrangement.municipality_codes()) {
    const std::int32_t r = membership[*index.municipality(code)];
    if (region != bre::kUnassigned && r != region) return false;
    region = r;
  }
  return true;
}

TEST(CongruenceDemo, C1IsOneExactlyWhenNoArrangementCrossesABorder) {
  bre::test::DemoFixture demo;
  const bre::v1::Partition& planted = demo.planted.partitions(0);
  bre::Expected<bre::Membership> membership = bre::membership_of(demo.index, planted);
  ASSERT_TRUE(membership.has_value());
  bre::v1::Dataset contained = demo.dataset;
  contained.clear_arrangements();
  const bre::v1::Arrangement* crossing = nullptr;
  for (const auto& arrangement : demo.dataset.arrangements()) {
    if (inside_one_region(demo.index, *membership, arrangement)) {
      *contained.add_arrangements() = arrangement;
    } else if (crossing == nullptr && arrangement.kind() == bre::v1::ARRANGEMENT_KIND_COOPERATION) {
      crossing = &arrangement;
    }
  }
  ASSERT_NE(crossing, nullptr);
  {
    const bre::DatasetIndex index(contained);
    bre::Expected<CongruenceResult> r = compute_congruence(index, planted, {});
    ASSERT_TRUE(r.has_value()) << r.status().message();
    for (int row = 0; row < r->table.rows_size(); ++row) {
      EXPECT_EQ(value(r->table, row, "congruence_c1"), 1.0) << r->table.rows(row).region_id();
    }
    EXPECT_EQ(value(r->table, kNational, "congruence_c1"), 1.0);
  }
  // One arrangement across a border: C1 < 1 exactly in the regions it touches.
  *contained.add_arrangements() = *crossing;
  const bre::DatasetIndex index(contained);
  bre::Expected<CongruenceResult> r = compute_congruence(index, planted, {});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  std::set<std::string> touched;
  for (const std::string& code : crossing->municipality_codes()) {
    touched.insert(planted.regions((*membership)[*index.municipality(code)]).id());
  }
  ASSERT_GE(touched.size(), 2u);
  for (int row = 0; row < r->table.rows_size(); ++row) {
    const std::string& id = r->table.rows(row).region_id();
    if (touched.contains(id)) {
      EXPECT_LT(value(r->table, row, "congruence_c1"), 1.0) << id;
    } else {
      EXPECT_EQ(value(r->table, row, "congruence_c1"), 1.0) << id;
    }
  }
}

TEST(CongruenceDemo, RunningSystemsAreMoreFunctionallyIntegral) {
  // docs/demo-dataset.md: running systems (P03, P06, ...) bundle 2-3 domains per
  // arrangement, meeting places (P01, P04, ...) one.
  bre::test::DemoFixture demo;
  bre::Expected<CongruenceResult> r = compute_congruence(demo.index, demo.planted.partitions(0), {});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  double running = 0.0, meeting = 0.0;
  int n_running = 0, n_meeting = 0;
  for (int row = 0; row < r->table.rows_size(); ++row) {
    const int number = std::stoi(r->table.rows(row).region_id().substr(1));
    const double fi = value(r->table, row, "functional_integrality");
    if (number % 3 == 0) {
      running += fi;
      ++n_running;
    } else if (number % 3 == 1) {
      meeting += fi;
      ++n_meeting;
    }
  }
  ASSERT_EQ(n_running, 8);
  ASSERT_EQ(n_meeting, 9);
  EXPECT_GT(running / n_running, meeting / n_meeting);
}

}  // namespace
