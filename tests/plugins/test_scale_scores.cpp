// legitimacy.scale_scores (DOMAIN.md §7) on a hand-built survey, checked against an
// independent computation in Python (standard library only; no scipy). The script,
// verbatim; its output is quoted next to each assertion:
//
//   import math
//   M = (1 << 64) - 1
//   def sm_next(state):
//       state = (state + 0x9e3779b97f4a7c15) & M
//       z = state
//       z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
//       z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
//       return state, z ^ (z >> 31)
//   def derive_seed(seed, index):
//       s = seed ^ ((index * 0xd1342543de82ef95 + 0x632be59bd9b4e019) & M)
//       return sm_next(s)[1]
//   def bootstrap(values, samples, conf, seed):
//       state = seed; n = len(values); means = []
//       for _ in range(samples):
//           total = 0.0
//           for _ in range(n):
//               state, x = sm_next(state)
//               total += values[(x * n) >> 64]
//           means.append(total / n)
//       means.sort()
//       def q(p):
//           h = (len(means) - 1) * p; lo = math.floor(h)
//           if lo + 1 >= len(means): return means[-1]
//           return means[lo] + (h - lo) * (means[lo + 1] - means[lo])
//       tail = (1 - conf) / 2
//       return q(tail), q(1 - tail)
//   def score(items):
//       a = [v for v in items if v is not None]
//       return (sum(a) / len(a) - 1) / 4 * 100 if len(a) >= 2 else None
//   def mean(x): return sum(x) / len(x)
//   def sd(x):
//       m = mean(x); return math.sqrt(sum((v - m) ** 2 for v in x) / (len(x) - 1))
//   def anova(groups):
//       allv = [v for g in groups for v in g]; N = len(allv); k = len(groups)
//       grand = sum(allv) / N
//       ssb = sum(len(g) * (mean(g) - grand) ** 2 for g in groups)
//       ssw = sum((v - mean(g)) ** 2 for g in groups for v in g)
//       d1, d2 = k - 1, N - k
//       F = (ssb / d1) / (ssw / d2)
//       assert d1 == 2
//       p = (1 + d1 * F / d2) ** (-d2 / 2)     # upper tail of F(2, d2), closed form
//       return F, d1, d2, p, ssb / (ssb + ssw)
//   def kruskal(groups):
//       obs = sorted((v, gi) for gi, g in enumerate(groups) for v in g); N = len(obs)
//       ranks = [0.0] * len(groups); ties = 0.0; i = 0
//       while i < N:
//           j = i
//           while j < N and obs[j][0] == obs[i][0]: j += 1
//           mid = (i + 1 + j) / 2
//           for t in range(i, j): ranks[obs[t][1]] += mid
//           t = j - i; ties += t ** 3 - t; i = j
//       H = (12 / (N * (N + 1)) * sum(ranks[g] ** 2 / len(groups[g]) for g in range(len(groups))) - 3 * (N + 1))
//       H /= 1 - ties / (N ** 3 - N)
//       assert len(groups) == 3
//       return H, 2, math.exp(-H / 2), H / (N - 1)  # upper tail of chi2(2) = exp(-H/2)
//   def cronbach(rows):
//       k = len(rows[0])
//       items = sum(sd([r[i] for r in rows]) ** 2 for i in range(k))
//       total = sd([sum(r) for r in rows]) ** 2
//       return k / (k - 1) * (1 - items / total)
//
//   # respondent: region, fundamental (f1, f2, 6-f3), input (i1, i2); None = missing
//   R = {
//    'r01': (0, [5, 4, 6-1], [2, 3]), 'r02': (0, [4, 4, 6-2], [1, None]),
//    'r03': (0, [3, 5, None], [2, 2]), 'r04': (1, [2, 3, 6-4], [4, 5]),
//    'r05': (1, [3, 2, 6-3], [5, 4]), 'r06': (1, [2, 2, 6-5], [3, 4]),
//    'r07': (2, [5, 5, 6-1], [3, 3]), 'r08': (2, [4, 5, 6-2], [4, 2]),
//    'r09': (None, [1, 1, 6-5], [1, 1]), 'r10': (None, [3, None, None], [None, None]),
//    'r11': (None, [4, 4, None], [None, None]),
//   }
//   for dim, slot in (('fundamental', 1), ('input', 2)):
//       groups = [[], [], []]
//       for rid, rec in R.items():
//           s = score(rec[slot])
//           if s is not None and rec[0] is not None: groups[rec[0]].append(s)
//       print(dim, 'groups', groups)
//       for g, vals in enumerate(groups):
//           dnum = 1 if dim == 'fundamental' else 2
//           lo, hi = bootstrap(vals, 200, 0.95, derive_seed(42, (0, 2, 4)[g] * 8 + dnum))
//           print(f'  R{g+1} n={len(vals)} mean={mean(vals)!r} sd={sd(vals)!r} ci=({lo!r}, {hi!r})')
//       print('  anova', [repr(x) for x in anova(groups)])
//       print('  kruskal', [repr(x) for x in kruskal(groups)])
//       rows = [rec[slot] for rec in R.values() if all(v is not None for v in rec[slot])]
//       print('  alpha rows', len(rows), repr(cronbach(rows)))
//   print('simple kruskal', [repr(x) for x in kruskal([[1, 2], [3, 4], [5, 6]])])
//   print('simple anova', [repr(x) for x in anova([[1, 2, 3], [4, 5, 6], [7, 8, 10]])])
//   print('ci single', bootstrap([1.0, 2.0, 3.0, 10.0], 100, 0.9, 7))
//
// Output:
//   fundamental groups [[91.66666666666667, 75.0, 75.0], [33.333333333333336, 41.666666666666664, 16.666666666666668], [100.0, 83.33333333333333]]
//     R1 n=3 mean=80.55555555555556 sd=9.622504486493765 ci=(75.0, 86.11111111111113)
//     R2 n=3 mean=30.555555555555557 sd=12.729376930432888 ci=(16.666666666666668, 38.95833333333334)
//     R3 n=2 mean=91.66666666666666 sd=11.785113019775796 ci=(83.33333333333333, 100.0)
//     anova ['22.00892857142857', '2', '5', '0.003323067832007108', '0.8979963570127505']
//     kruskal ['5.622489959839352', '2', '0.06013008502454057', '0.8032128514056217']
//     alpha rows 8 0.9651474530831099
//   input groups [[37.5, 25.0], [87.5, 87.5, 62.5], [50.0, 50.0]]
//     R1 n=2 mean=31.25 sd=8.838834764831844 ci=(25.0, 37.5)
//     R2 n=3 mean=79.16666666666667 sd=14.433756729740644 ci=(62.5, 87.5)
//     R3 n=2 mean=50.0 sd=0.0 ci=(50.0, 50.0)
//     anova ['11.714285714285715', '2', '4', '0.02126736111111111', '0.8541666666666667']
//     kruskal ['5.555555555555553', '2', '0.0621765240221164', '0.9259259259259255']
//     alpha rows 8 0.8
//   simple kruskal ['4.571428571428569', '2', '0.10170139230422694', '0.9142857142857139']
//   simple anova ['20.846153846153847', '2', '6', '0.0019911718304185828', '0.8741935483870967']
//   ci single (1.75, 6.5)
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "bre/random.hpp"
#include "plugin_harness.hpp"
#include "scale_scores.hpp"

namespace {

namespace leg = bre::legitimacy;
constexpr double kTol = 1e-9;

// ---------------------------------------------------------------------------
// Statistics on their own.

TEST(LegitimacyStatistics, SampleSd) {
  const std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9};
  // mean 5; squares 9+1+1+1+0+0+4+16 = 32; sd = sqrt(32 / 7)
  EXPECT_NEAR(leg::sample_sd(x), std::sqrt(32.0 / 7.0), kTol);
  EXPECT_TRUE(std::isnan(leg::sample_sd(std::vector<double>{3.0})));
  EXPECT_TRUE(std::isnan(leg::sample_sd(std::vector<double>{})));
}

TEST(LegitimacyStatistics, QuantileType7) {
  const std::vector<double> x = {1, 2, 3, 4};
  EXPECT_NEAR(leg::quantile_sorted(x, 0.5), 2.5, kTol);    // h = 1.5: 2 + 0.5 * (3 - 2)
  EXPECT_NEAR(leg::quantile_sorted(x, 0.95), 3.85, kTol);  // h = 2.85: 3 + 0.85 * (4 - 3)
  EXPECT_EQ(leg::quantile_sorted(x, 0.0), 1.0);
  EXPECT_EQ(leg::quantile_sorted(x, 1.0), 4.0);
  EXPECT_TRUE(std::isnan(leg::quantile_sorted(std::vector<double>{}, 0.5)));
}

TEST(LegitimacyStatistics, KruskalWallisWithoutTies) {
  // Ranks = values; R = 3, 7, 11; H = 12/(6*7) * (9/2 + 49/2 + 121/2) - 3*7 = 32/7
  const auto kw = leg::kruskal_wallis({{1, 2}, {3, 4}, {5, 6}});
  EXPECT_NEAR(kw.h, 32.0 / 7.0, kTol);
  EXPECT_EQ(kw.df, 2.0);
  EXPECT_NEAR(kw.p, std::exp(-16.0 / 7.0), kTol);  // chi2(2) upper tail = exp(-H/2) = 0.10170139230422694
  EXPECT_NEAR(kw.epsilon_squared, 32.0 / 35.0, kTol);  // H / (N - 1)
}

TEST(LegitimacyStatistics, AnovaSimple) {
  // Python: F = 20.846153846153847, df (2, 6), p = 0.0019911718304185828, eta² = 0.8741935483870967
  // (grand mean 46/9; SSB = 3(2-46/9)^2 + 3(5-46/9)^2 + 3(25/3-46/9)^2 = 542/9; SSW = 2+2+26/3 = 38/3)
  const auto a = leg::one_way_anova({{1, 2, 3}, {4, 5, 6}, {7, 8, 10}});
  EXPECT_NEAR(a.f, 20.846153846153847, kTol);
  EXPECT_EQ(a.df_between, 2.0);
  EXPECT_EQ(a.df_within, 6.0);
  EXPECT_NEAR(a.p, 0.0019911718304185828, kTol);
  EXPECT_NEAR(a.eta_squared, 0.8741935483870967, kTol);
}

TEST(LegitimacyStatistics, DegenerateCasesAreNaN) {
  const auto one_group = leg::one_way_anova({{1, 2, 3}, {}});
  EXPECT_TRUE(std::isnan(one_group.f));
  EXPECT_TRUE(std::isnan(one_group.p));
  EXPECT_EQ(one_group.df_between, 0.0);
  // No spread inside groups but between them: F = inf, p = 0.
  const auto separated = leg::one_way_anova({{1, 1}, {2, 2}});
  EXPECT_TRUE(std::isinf(separated.f));
  EXPECT_EQ(separated.p, 0.0);
  EXPECT_EQ(separated.eta_squared, 1.0);
  // All equal: nothing to explain.
  const auto flat = leg::one_way_anova({{3, 3}, {3, 3}});
  EXPECT_TRUE(std::isnan(flat.f));
  EXPECT_TRUE(std::isnan(flat.eta_squared));
  const auto tied = leg::kruskal_wallis({{3, 3}, {3, 3}});
  EXPECT_TRUE(std::isnan(tied.h));
  EXPECT_TRUE(std::isnan(tied.p));
  EXPECT_TRUE(std::isnan(leg::kruskal_wallis({{1, 2, 3}}).h));
  // Cronbach: one item, one respondent, or no variance in the total.
  EXPECT_TRUE(std::isnan(leg::cronbach_alpha({{1}, {2}, {3}})));
  EXPECT_TRUE(std::isnan(leg::cronbach_alpha({{1, 2}})));
  EXPECT_TRUE(std::isnan(leg::cronbach_alpha({{1, 2}, {2, 1}})));
}

TEST(LegitimacyStatistics, CronbachAlphaByHand) {
  // Items (x, y) over 3 respondents: (1,2), (2,3), (3,3).
  // var(x) = 1; var(y) = 1/3; totals 3, 5, 6: mean 14/3, var = (25/9 + 1/9 + 16/9) / 2 = 7/3
  // alpha = 2/1 * (1 - (4/3) / (7/3)) = 2 * 3/7 = 6/7
  EXPECT_NEAR(leg::cronbach_alpha({{1, 2}, {2, 3}, {3, 3}}), 6.0 / 7.0, kTol);
}

TEST(LegitimacyStatistics, BootstrapInterval) {
  // Python: bootstrap([1, 2, 3, 10], 100, 0.9, 7) = (1.75, 6.5)
  const std::vector<double> x = {1, 2, 3, 10};
  const leg::Interval ci = leg::bootstrap_mean_interval(x, 100, 0.9, 7);
  EXPECT_NEAR(ci.low, 1.75, kTol);
  EXPECT_NEAR(ci.high, 6.5, kTol);
  // Invariants: inside [min, max]; one value gives a point; none gives NaN.
  EXPECT_GE(ci.low, 1.0);
  EXPECT_LE(ci.high, 10.0);
  const leg::Interval point = leg::bootstrap_mean_interval(std::vector<double>{42.0}, 50, 0.95, 1);
  EXPECT_EQ(point.low, 42.0);
  EXPECT_EQ(point.high, 42.0);
  const leg::Interval none = leg::bootstrap_mean_interval(std::vector<double>{}, 50, 0.95, 1);
  EXPECT_TRUE(std::isnan(none.low));
}

// ---------------------------------------------------------------------------
// The survey fixture.
//
// Municipalities GM0001..GM0006; partition R1 = {1, 2}, R2 = {3, 4}, R3 = {5};
// GM0006 unassigned. Bodies: PV01 covers {1, 3, 4} (2 of 3 in R2 -> R2); WS01 covers
// {1, 2, 3} (2 of 3 in R1 -> R1); WS02 lists no municipalities; WS03 covers {1, 3}
// (half in R1, half in R2: no majority, so its members belong to no region).
// Bootstrap seeds derive from each region's first municipality: R1 0, R2 2, R3 4.
// Items: f1, f2, f3 (reverse coded) fundamental; i1, i2 input; t1 throughput.

struct Answers {
  const char* id;
  const char* body;
  int f1, f2, f3, i1, i2, t1;  // 0 = missing
};

constexpr Answers kAnswers[] = {
    {"r01", "GM0001", 5, 4, 1, 2, 3, 4}, {"r02", "GM0002", 4, 4, 2, 1, 0, 3},
    {"r03", "WS01", 3, 5, 0, 2, 2, 5},   {"r04", "GM0003", 2, 3, 4, 4, 5, 2},
    {"r05", "GM0004", 3, 2, 3, 5, 4, 1}, {"r06", "PV01", 2, 2, 5, 3, 4, 0},
    {"r07", "GM0005", 5, 5, 1, 3, 3, 3}, {"r08", "GM0005", 4, 5, 2, 4, 2, 4},
    {"r09", "GM0006", 1, 1, 5, 1, 1, 0}, {"r10", "WS02", 3, 0, 0, 0, 0, 0},
    {"r11", "XX99", 4, 4, 0, 0, 0, 0},
};

bre::v1::Dataset survey_dataset() {
  bre::v1::Dataset d;
  d.set_name("survey-fixture");
  for (int m = 1; m <= 6; ++m) {
    bre::v1::Municipality* mun = d.add_municipalities();
    mun->set_code("GM000" + std::to_string(m));
    mun->set_name("Gemeente " + std::to_string(m));
  }
  auto body = [&](const char* code, bre::v1::BodyKind kind, std::vector<std::string> members) {
    bre::v1::Body* b = d.add_bodies();
    b->set_code(code);
    b->set_name(code);
    b->set_kind(kind);
    for (const std::string& m : members) b->add_municipality_codes(m);
  };
  body("PV01", bre::v1::BODY_KIND_PROVINCE, {"GM0001", "GM0003", "GM0004"});
  body("WS01", bre::v1::BODY_KIND_WATER_BOARD, {"GM0001", "GM0002", "GM0003"});
  body("WS02", bre::v1::BODY_KIND_WATER_BOARD, {});
  body("WS03", bre::v1::BODY_KIND_WATER_BOARD, {"GM0001", "GM0003"});
  auto item = [&](const char* id, bre::v1::LegitimacyDimension dim, bool reverse) {
    bre::v1::SurveyItem* it = d.add_survey_items();
    it->set_id(id);
    it->set_dimension(dim);
    it->set_reverse_coded(reverse);
  };
  item("f1", bre::v1::LEGITIMACY_DIMENSION_FUNDAMENTAL, false);
  item("f2", bre::v1::LEGITIMACY_DIMENSION_FUNDAMENTAL, false);
  item("f3", bre::v1::LEGITIMACY_DIMENSION_FUNDAMENTAL, true);
  item("i1", bre::v1::LEGITIMACY_DIMENSION_INPUT, false);
  item("i2", bre::v1::LEGITIMACY_DIMENSION_INPUT, false);
  item("t1", bre::v1::LEGITIMACY_DIMENSION_THROUGHPUT, false);
  for (const Answers& a : kAnswers) {
    bre::v1::SurveyResponse* r = d.add_survey_responses();
    r->set_respondent_id(a.id);
    r->set_role(bre::v1::REPRESENTATIVE_ROLE_MUNICIPAL_COUNCIL);
    r->set_body_code(a.body);
    const std::pair<const char*, int> values[] = {{"f1", a.f1}, {"f2", a.f2}, {"f3", a.f3},
                                                  {"i1", a.i1}, {"i2", a.i2}, {"t1", a.t1}};
    for (const auto& [id, value] : values) {
      bre::v1::SurveyAnswer* ans = r->add_answers();
      ans->set_item_id(id);
      ans->set_value(value);
    }
  }
  return d;
}

bre::v1::Partition survey_partition() {
  bre::v1::Partition p;
  p.set_name("bre");
  const std::vector<std::vector<std::string>> regions = {
      {"GM0001", "GM0002"}, {"GM0003", "GM0004"}, {"GM0005"}};
  for (std::size_t r = 0; r < regions.size(); ++r) {
    bre::v1::Region* region = p.add_regions();
    region->set_id("R" + std::to_string(r + 1));
    region->set_name("Regio " + std::to_string(r + 1));
    for (const std::string& m : regions[r]) region->add_municipality_codes(m);
  }
  p.add_unassigned("GM0006");
  return p;
}

class ScaleScoresTest : public ::testing::Test {
 protected:
  leg::ScaleScoreOptions options() const {
    leg::ScaleScoreOptions o;
    o.language = bre::Language::kEnglish;  // the texts asserted below; Dutch in LanguageOfTheTexts
    o.bootstrap_samples = 200;
    o.seed = 42;
    return o;
  }
  leg::ScaleScoreResult run(const leg::ScaleScoreOptions& o) {
    bre::DatasetIndex index(dataset_);
    bre::Expected<leg::ScaleScoreResult> r = leg::compute_scale_scores(index, partition_, o);
    EXPECT_TRUE(r.has_value()) << r.status().message();
    return r.has_value() ? *r : leg::ScaleScoreResult{};
  }
  bre::Status run_status() {
    bre::DatasetIndex index(dataset_);
    bre::Expected<leg::ScaleScoreResult> r = leg::compute_scale_scores(index, partition_, options());
    return r.has_value() ? bre::Status::ok() : r.status();
  }
  static const bre::v1::RegionLegitimacy& region_row(const bre::v1::LegitimacyResult& r,
                                                     const std::string& id,
                                                     bre::v1::LegitimacyDimension dim) {
    for (const auto& row : r.regions()) {
      if (row.region_id() == id && row.dimension() == dim) return row;
    }
    ADD_FAILURE() << "no row " << id << " " << dim;
    return r.regions(0);
  }
  static const bre::v1::DimensionSummary& summary(const bre::v1::LegitimacyResult& r,
                                                  bre::v1::LegitimacyDimension dim) {
    for (const auto& s : r.dimensions()) {
      if (s.dimension() == dim) return s;
    }
    ADD_FAILURE() << "no summary for " << dim;
    return r.dimensions(0);
  }
  bre::v1::Dataset dataset_ = survey_dataset();
  bre::v1::Partition partition_ = survey_partition();
};

constexpr auto kFundamental = bre::v1::LEGITIMACY_DIMENSION_FUNDAMENTAL;
constexpr auto kInput = bre::v1::LEGITIMACY_DIMENSION_INPUT;
constexpr auto kThroughput = bre::v1::LEGITIMACY_DIMENSION_THROUGHPUT;

TEST_F(ScaleScoresTest, RespondentScores) {
  const leg::ScaleScoreResult r = run(options());
  const bre::v1::LegitimacyResult& l = r.legitimacy;
  EXPECT_EQ(l.partition_name(), "bre");
  // Fundamental: r01..r09 and r11 (r10 answered one item); input: r01, r03..r09
  // (r02 answered one); throughput has one item, so nobody reaches min_items = 2.
  ASSERT_EQ(l.respondent_scores_size(), 18);
  const bre::v1::RespondentScore& first = l.respondent_scores(0);
  EXPECT_EQ(first.respondent_id(), "r01");
  EXPECT_EQ(first.dimension(), kFundamental);
  EXPECT_NEAR(first.score(), 91.66666666666667, kTol);  // (5 + 4 + (6-1)) / 3 = 14/3; (14/3 - 1) / 4 * 100
  EXPECT_EQ(first.answered_items(), 3);
  EXPECT_EQ(first.region_id(), "R1");
  for (const auto& s : l.respondent_scores()) {
    EXPECT_GE(s.score(), 0.0);
    EXPECT_LE(s.score(), 100.0);
    if (s.respondent_id() == "r03" && s.dimension() == kFundamental) {
      EXPECT_EQ(s.answered_items(), 2);
      EXPECT_NEAR(s.score(), 75.0, kTol);  // (3 + 5) / 2 = 4; (4 - 1) / 4 * 100
      EXPECT_EQ(s.region_id(), "R1");      // WS01: 1-1 tie between R1 and R2 -> R1
    }
    if (s.respondent_id() == "r06") {
      EXPECT_EQ(s.region_id(), "R2");  // PV01: 2 of 3 in R2
    }
    if (s.respondent_id() == "r09") {
      EXPECT_EQ(s.region_id(), "");  // scored, not tied
    }
  }
}

TEST_F(ScaleScoresTest, UnassignedRespondentsAreListedWithReason) {
  const leg::ScaleScoreResult r = run(options());
  const bre::v1::LegitimacyResult& l = r.legitimacy;
  ASSERT_EQ(l.unassigned_size(), 3);
  EXPECT_EQ(l.unassigned(0).rfind("r09: ", 0), 0u);
  EXPECT_NE(l.unassigned(0).find("GM0006"), std::string::npos) << l.unassigned(0);
  EXPECT_EQ(l.unassigned(1).rfind("r10: ", 0), 0u);
  EXPECT_NE(l.unassigned(1).find("WS02"), std::string::npos) << l.unassigned(1);
  EXPECT_EQ(l.unassigned(2).rfind("r11: ", 0), 0u);
  EXPECT_NE(l.unassigned(2).find("unknown body code 'XX99'"), std::string::npos) << l.unassigned(2);
  // Warnings: 3 unassigned; 1 fundamental (r10), 1 input (r02) and 7 throughput
  // respondents below min_items.
  ASSERT_EQ(r.warnings.size(), 4u);
  EXPECT_NE(r.warnings[0].find("3 of 11"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[3].find("7 respondents"), std::string::npos) << r.warnings[3];
}

TEST_F(ScaleScoresTest, RegionStatisticsFundamental) {
  const bre::v1::LegitimacyResult l = run(options()).legitimacy;
  // Three dimensions have items: 3 regions x 3 dimensions.
  ASSERT_EQ(l.regions_size(), 9);
  const auto& r1 = region_row(l, "R1", kFundamental);
  EXPECT_EQ(r1.region_name(), "Regio 1");
  EXPECT_EQ(r1.n(), 3);
  EXPECT_NEAR(r1.mean(), 80.55555555555556, kTol);  // (91.67 + 75 + 75) / 3
  EXPECT_NEAR(r1.sd(), 9.622504486493765, kTol);
  EXPECT_NEAR(r1.ci_low(), 75.0, kTol);  // Python bootstrap, seed derive_seed(42, 0*8+1): R1 starts at GM0001 (index 0)
  EXPECT_NEAR(r1.ci_high(), 86.11111111111113, kTol);
  const auto& r2 = region_row(l, "R2", kFundamental);
  EXPECT_EQ(r2.n(), 3);
  EXPECT_NEAR(r2.mean(), 30.555555555555557, kTol);  // (33.33 + 41.67 + 16.67) / 3
  EXPECT_NEAR(r2.sd(), 12.729376930432888, kTol);
  EXPECT_NEAR(r2.ci_low(), 16.666666666666668, kTol);  // seed derive_seed(42, 2*8+1): R2 starts at GM0003
  EXPECT_NEAR(r2.ci_high(), 38.95833333333334, kTol);
  const auto& r3 = region_row(l, "R3", kFundamental);
  EXPECT_EQ(r3.n(), 2);
  EXPECT_NEAR(r3.mean(), 91.66666666666666, kTol);  // (100 + 83.33) / 2
  EXPECT_NEAR(r3.sd(), 11.785113019775796, kTol);
  EXPECT_NEAR(r3.ci_low(), 83.33333333333333, kTol);
  EXPECT_NEAR(r3.ci_high(), 100.0, kTol);
}

TEST_F(ScaleScoresTest, RegionStatisticsInput) {
  const bre::v1::LegitimacyResult l = run(options()).legitimacy;
  const auto& r1 = region_row(l, "R1", kInput);
  EXPECT_EQ(r1.n(), 2);                      // r01 (2,3) -> 37.5; r03 (2,2) -> 25
  EXPECT_NEAR(r1.mean(), 31.25, kTol);
  EXPECT_NEAR(r1.sd(), 8.838834764831844, kTol);
  EXPECT_NEAR(r1.ci_low(), 25.0, kTol);
  EXPECT_NEAR(r1.ci_high(), 37.5, kTol);
  const auto& r2 = region_row(l, "R2", kInput);
  EXPECT_NEAR(r2.mean(), 79.16666666666667, kTol);  // (87.5 + 87.5 + 62.5) / 3
  EXPECT_NEAR(r2.sd(), 14.433756729740644, kTol);
  EXPECT_NEAR(r2.ci_low(), 62.5, kTol);
  EXPECT_NEAR(r2.ci_high(), 87.5, kTol);
  const auto& r3 = region_row(l, "R3", kInput);
  EXPECT_NEAR(r3.mean(), 50.0, kTol);
  EXPECT_EQ(r3.sd(), 0.0);
  EXPECT_EQ(r3.ci_low(), 50.0);
  EXPECT_EQ(r3.ci_high(), 50.0);
  // Throughput: nobody scored; n = 0 and NaN everywhere.
  const auto& t1 = region_row(l, "R1", kThroughput);
  EXPECT_EQ(t1.n(), 0);
  EXPECT_TRUE(std::isnan(t1.mean()));
  EXPECT_TRUE(std::isnan(t1.sd()));
  EXPECT_TRUE(std::isnan(t1.ci_low()));
}

// The sentences, reasons and warnings follow the language; every number stays the same.
TEST_F(ScaleScoresTest, LanguageOfTheTexts) {
  const leg::ScaleScoreResult english = run(options());
  leg::ScaleScoreOptions o = options();
  o.language = bre::Language::kDutch;
  const leg::ScaleScoreResult dutch = run(o);
  const auto& f = summary(dutch.legitimacy, kFundamental);
  EXPECT_EQ(f.summary().rfind("Fundamentele legitimiteit: gemiddeld ", 0), 0u) << f.summary();
  EXPECT_NE(f.summary().find("; de regio's verschillen bij alfa 0,05 (eenweg-ANOVA F(2, 5) = 22,01, p = 0,003"),
            std::string::npos)
      << f.summary();
  EXPECT_EQ(f.effect_size(), summary(english.legitimacy, kFundamental).effect_size());  // a code
  ASSERT_EQ(dutch.warnings.size(), english.warnings.size());
  EXPECT_NE(dutch.warnings[0].find(" respondenten konden niet aan een regio van partitie 'bre' worden gekoppeld"),
            std::string::npos)
      << dutch.warnings[0];
  auto numbers = [](bre::v1::LegitimacyResult l) {
    for (auto& d : *l.mutable_dimensions()) d.clear_summary();
    l.clear_output_gap_summary();
    for (auto& line : *l.mutable_unassigned()) line = line.substr(0, line.find(':'));
    return l.SerializeAsString();
  };
  EXPECT_EQ(numbers(dutch.legitimacy), numbers(english.legitimacy));
}

TEST_F(ScaleScoresTest, DimensionSummaries) {
  const bre::v1::LegitimacyResult l = run(options()).legitimacy;
  ASSERT_EQ(l.dimensions_size(), 3);
  const auto& f = summary(l, kFundamental);
  EXPECT_NEAR(f.cronbach_alpha(), 0.9651474530831099, kTol);  // 8 complete respondents, incl. unassigned r09
  EXPECT_EQ(f.n_respondents(), 8);
  EXPECT_NEAR(f.anova_f(), 22.00892857142857, kTol);
  EXPECT_EQ(f.anova_df_between(), 2.0);
  EXPECT_EQ(f.anova_df_within(), 5.0);
  EXPECT_NEAR(f.anova_p(), 0.003323067832007108, kTol);  // (1 + 2F/5)^(-5/2)
  EXPECT_NEAR(f.eta_squared(), 0.8979963570127505, kTol);
  EXPECT_NEAR(f.kruskal_h(), 5.622489959839352, kTol);  // tie-corrected (two 75s)
  EXPECT_EQ(f.kruskal_df(), 2.0);
  EXPECT_NEAR(f.kruskal_p(), 0.06013008502454057, kTol);  // exp(-H/2)
  EXPECT_NEAR(f.epsilon_squared(), 0.8032128514056217, kTol);  // H / 7
  EXPECT_TRUE(f.regions_differ());  // 0.0033 < 0.05
  EXPECT_NE(f.summary().find("regions differ"), std::string::npos) << f.summary();

  const auto& i = summary(l, kInput);
  EXPECT_NEAR(i.cronbach_alpha(), 0.8, kTol);
  EXPECT_EQ(i.n_respondents(), 7);
  EXPECT_NEAR(i.anova_f(), 11.714285714285715, kTol);
  EXPECT_EQ(i.anova_df_within(), 4.0);
  EXPECT_NEAR(i.anova_p(), 0.02126736111111111, kTol);  // (1 + 2F/4)^(-2)
  EXPECT_NEAR(i.eta_squared(), 0.8541666666666667, kTol);
  EXPECT_NEAR(i.kruskal_h(), 5.555555555555553, kTol);
  EXPECT_NEAR(i.kruskal_p(), 0.0621765240221164, kTol);
  EXPECT_NEAR(i.epsilon_squared(), 0.9259259259259255, kTol);
  EXPECT_TRUE(i.regions_differ());

  const auto& t = summary(l, kThroughput);
  EXPECT_TRUE(std::isnan(t.cronbach_alpha()));  // one item
  EXPECT_EQ(t.n_respondents(), 0);
  EXPECT_TRUE(std::isnan(t.anova_p()));
  EXPECT_FALSE(t.regions_differ());
  EXPECT_FALSE(t.summary().empty());
}

TEST_F(ScaleScoresTest, AlphaThresholdDecidesRegionsDiffer) {
  leg::ScaleScoreOptions o = options();
  o.alpha = 0.01;  // fundamental p = 0.0033 still below; input p = 0.021 no longer
  const bre::v1::LegitimacyResult l = run(o).legitimacy;
  EXPECT_TRUE(summary(l, kFundamental).regions_differ());
  EXPECT_FALSE(summary(l, kInput).regions_differ());
  EXPECT_NE(summary(l, kInput).summary().find("no significant difference"), std::string::npos);
}

TEST_F(ScaleScoresTest, MinItemsOne) {
  leg::ScaleScoreOptions o = options();
  o.min_items = 1;
  const bre::v1::LegitimacyResult l = run(o).legitimacy;
  // Throughput now scores everyone who answered t1; R1: r01 4 -> 75, r02 3 -> 50,
  // r03 5 -> 100; mean 75.
  const auto& t1 = region_row(l, "R1", kThroughput);
  EXPECT_EQ(t1.n(), 3);
  EXPECT_NEAR(t1.mean(), 75.0, kTol);
  // r02 now has an input score: (1 - 1) / 4 * 100 = 0.
  EXPECT_EQ(region_row(l, "R1", kInput).n(), 3);
  EXPECT_NEAR(region_row(l, "R1", kInput).mean(), (37.5 + 0.0 + 25.0) / 3.0, kTol);
}

TEST_F(ScaleScoresTest, DeterministicAndIndependentPerRegion) {
  const leg::ScaleScoreResult a = run(options());
  const leg::ScaleScoreResult b = run(options());
  std::string sa, sb;
  ASSERT_TRUE(a.legitimacy.SerializeToString(&sa));
  ASSERT_TRUE(b.legitimacy.SerializeToString(&sb));
  EXPECT_EQ(sa, sb);
  // A region's interval depends only on its own respondents and its own seed: removing
  // R3's respondents (r07, r08) leaves R1's interval as it was.
  const double low = region_row(a.legitimacy, "R1", kFundamental).ci_low();
  const double high = region_row(a.legitimacy, "R1", kFundamental).ci_high();
  for (auto& response : *dataset_.mutable_survey_responses()) {
    if (response.body_code() == "GM0005") response.set_body_code("GM0006");
  }
  const leg::ScaleScoreResult c = run(options());
  EXPECT_EQ(region_row(c.legitimacy, "R3", kFundamental).n(), 0);
  EXPECT_EQ(region_row(c.legitimacy, "R1", kFundamental).ci_low(), low);
  EXPECT_EQ(region_row(c.legitimacy, "R1", kFundamental).ci_high(), high);
}

TEST_F(ScaleScoresTest, ErrorEmptyPartition) {
  partition_.clear_regions();
  const bre::Status s = run_status();
  EXPECT_EQ(s.code(), bre::StatusCode::kFailedPrecondition);
}

TEST_F(ScaleScoresTest, ErrorNoResponses) {
  dataset_.clear_survey_responses();
  const bre::Status s = run_status();
  EXPECT_EQ(s.code(), bre::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("survey responses"), std::string::npos) << s.message();
}

TEST_F(ScaleScoresTest, ErrorNoItems) {
  dataset_.clear_survey_items();
  EXPECT_EQ(run_status().code(), bre::StatusCode::kFailedPrecondition);
}

TEST_F(ScaleScoresTest, ErrorUnknownItem) {
  bre::v1::SurveyAnswer* a = dataset_.mutable_survey_responses(1)->add_answers();
  a->set_item_id("zz");
  a->set_value(3);
  const bre::Status s = run_status();
  EXPECT_EQ(s.code(), bre::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("r02"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("'zz'"), std::string::npos) << s.message();
}

TEST_F(ScaleScoresTest, ErrorAnswerOutOfRange) {
  dataset_.mutable_survey_responses(0)->mutable_answers(0)->set_value(6);
  const bre::Status s = run_status();
  EXPECT_EQ(s.code(), bre::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("found 6"), std::string::npos) << s.message();
}

TEST_F(ScaleScoresTest, ErrorItemAnsweredTwice) {
  bre::v1::SurveyAnswer* a = dataset_.mutable_survey_responses(0)->add_answers();
  a->set_item_id("f1");
  a->set_value(2);
  EXPECT_EQ(run_status().code(), bre::StatusCode::kInvalidArgument);
}

TEST_F(ScaleScoresTest, ErrorUnknownCodeInPartition) {
  partition_.mutable_regions(0)->add_municipality_codes("GM9999");
  EXPECT_FALSE(run_status().is_ok());
}

TEST_F(ScaleScoresTest, Cancelled) {
  leg::ScaleScoreOptions o = options();
  o.cancelled = [] { return true; };
  bre::DatasetIndex index(dataset_);
  bre::Expected<leg::ScaleScoreResult> r = leg::compute_scale_scores(index, partition_, o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.status().code(), bre::StatusCode::kCancelled);
}

TEST(TieToRegion, Rules) {
  const bre::v1::Dataset d = survey_dataset();
  const bre::DatasetIndex index(d);
  const bre::Membership membership = {0, 0, 1, 1, 2, bre::kUnassigned};
  EXPECT_EQ(leg::tie_to_region(index, membership, "GM0004", 3).region, 1);
  EXPECT_EQ(leg::tie_to_region(index, membership, "PV01", 3).region, 1);  // 1 in R1, 2 in R2
  EXPECT_EQ(leg::tie_to_region(index, membership, "WS01", 3).region, 0);  // 2 of 3 in R1
  // A draw places the body nowhere, whatever the regions' order; the reason says why.
  const leg::RegionTie draw = leg::tie_to_region(index, membership, "WS03", 3, 0.5, bre::Language::kEnglish);
  EXPECT_EQ(draw.region, bre::kUnassigned);
  EXPECT_NE(draw.reason.find("no region holds more than 50% of the 2 municipalities of body 'WS03'"),
            std::string::npos) << draw.reason;
  EXPECT_EQ(leg::tie_to_region(index, membership, "WS03", 3).reason,
            "geen regio heeft meer dan 50% van de 2 gemeenten van bestuursorgaan 'WS03' (grootste aantal: 1); niet "
            "meegeteld in de regiostatistieken");
  const bre::Membership swapped = {1, 1, 0, 0, 2, bre::kUnassigned};
  EXPECT_EQ(leg::tie_to_region(index, swapped, "WS03", 3).region, bre::kUnassigned);
  // A higher threshold asks more: PV01 has 2 of 3 in R2, not more than 70%.
  EXPECT_EQ(leg::tie_to_region(index, membership, "PV01", 3, 0.7).region, bre::kUnassigned);
  // Municipalities outside every region count in the body's total.
  const bre::Membership partial = {0, 0, bre::kUnassigned, bre::kUnassigned, 2, bre::kUnassigned};
  EXPECT_EQ(leg::tie_to_region(index, partial, "WS01", 3).region, 0);                  // 2 of 3
  EXPECT_EQ(leg::tie_to_region(index, partial, "WS03", 3).region, bre::kUnassigned);   // 1 of 2
  const leg::RegionTie none = leg::tie_to_region(index, membership, "", 3);
  EXPECT_EQ(none.region, bre::kUnassigned);
  EXPECT_FALSE(none.reason.empty());
}

// Relabelling the regions (new ids, names and order) changes no statistic: the same
// means, sds, intervals (fixed seed), ANOVA and Kruskal-Wallis, bit for bit,
// matched by the regions' members.
TEST(ScaleScoresRelabelling, PermutedAndRenamedRegionsGiveTheSameStatistics) {
  bre::v1::Dataset d = survey_dataset();
  // Representatives of a body split evenly over R1 and R2: the old rule put them in
  // whichever region came first.
  for (int i = 0; i < 3; ++i) {
    bre::v1::SurveyResponse* r = d.add_survey_responses();
    r->set_respondent_id("w" + std::to_string(i));
    r->set_role(bre::v1::REPRESENTATIVE_ROLE_WATER_BOARD);
    r->set_body_code("WS03");
    for (const char* item : {"f1", "f2", "f3", "i1", "i2", "t1"}) {
      bre::v1::SurveyAnswer* a = r->add_answers();
      a->set_item_id(item);
      a->set_value(1 + (i + static_cast<int>(item[1])) % 5);
    }
  }
  const bre::DatasetIndex index(d);
  const bre::v1::Partition original = survey_partition();
  bre::v1::Partition relabelled;
  relabelled.set_name("bre");
  for (int r : {2, 0, 1}) {  // new order, new ids and names
    bre::v1::Region* region = relabelled.add_regions();
    *region = original.regions(r);
    region->set_id("X" + std::to_string(9 - r));
    region->set_name("Other " + std::to_string(r));
  }
  relabelled.add_unassigned("GM0006");
  leg::ScaleScoreOptions o;
  o.bootstrap_samples = 300;
  o.seed = 7;
  bre::Expected<leg::ScaleScoreResult> a = leg::compute_scale_scores(index, original, o);
  bre::Expected<leg::ScaleScoreResult> b = leg::compute_scale_scores(index, relabelled, o);
  ASSERT_TRUE(a.has_value()) << a.status().message();
  ASSERT_TRUE(b.has_value()) << b.status().message();
  // The split water board's members are in no region in either labelling.
  for (const auto* result : {&*a, &*b}) {
    int excluded = 0;
    for (const std::string& line : result->legitimacy.unassigned()) excluded += line.find("WS03") != std::string::npos;
    EXPECT_EQ(excluded, 3);
  }
  const auto first_member = [](const bre::v1::Partition& p, const std::string& id) {
    for (const auto& region : p.regions()) {
      if (region.id() == id) return region.municipality_codes(0);
    }
    return std::string();
  };
  ASSERT_EQ(a->legitimacy.regions_size(), b->legitimacy.regions_size());
  int matched = 0;
  for (const auto& row_a : a->legitimacy.regions()) {
    for (const auto& row_b : b->legitimacy.regions()) {
      if (first_member(original, row_a.region_id()) != first_member(relabelled, row_b.region_id()) ||
          row_a.dimension() != row_b.dimension()) {
        continue;
      }
      ++matched;
      const auto same = [](double u, double v) { return (std::isnan(u) && std::isnan(v)) || u == v; };
      EXPECT_EQ(row_a.n(), row_b.n());
      EXPECT_TRUE(same(row_a.mean(), row_b.mean()));
      EXPECT_TRUE(same(row_a.sd(), row_b.sd()));
      EXPECT_TRUE(same(row_a.ci_low(), row_b.ci_low())) << row_a.region_id();
      EXPECT_TRUE(same(row_a.ci_high(), row_b.ci_high())) << row_a.region_id();
    }
  }
  EXPECT_EQ(matched, a->legitimacy.regions_size());
  ASSERT_EQ(a->legitimacy.dimensions_size(), b->legitimacy.dimensions_size());
  for (int i = 0; i < a->legitimacy.dimensions_size(); ++i) {
    const auto& x = a->legitimacy.dimensions(i);
    const auto& y = b->legitimacy.dimensions(i);
    const auto same = [](double u, double v) { return (std::isnan(u) && std::isnan(v)) || u == v; };
    EXPECT_EQ(x.n_respondents(), y.n_respondents());
    EXPECT_TRUE(same(x.anova_f(), y.anova_f())) << x.anova_f() << " " << y.anova_f();
    EXPECT_TRUE(same(x.anova_p(), y.anova_p()));
    EXPECT_TRUE(same(x.eta_squared(), y.eta_squared()));
    EXPECT_TRUE(same(x.kruskal_h(), y.kruskal_h())) << x.kruskal_h() << " " << y.kruskal_h();
    EXPECT_TRUE(same(x.kruskal_p(), y.kruskal_p()));
    EXPECT_TRUE(same(x.epsilon_squared(), y.epsilon_squared()));
    EXPECT_EQ(x.summary(), y.summary());
  }
}

// ---------------------------------------------------------------------------
// The plugin as the host loads it.

TEST(ScaleScoresPlugin, DescribesItself) {
  bre::test::PluginHarness harness("legitimacy_scale_scores.so", "legitimacy.scale_scores");
  ASSERT_NE(harness.plugin(), nullptr);
  const bre::v1::PluginDescription& d = harness.plugin()->description;
  EXPECT_TRUE(bre::validate_description(d).is_ok());
  EXPECT_EQ(d.kind(), bre::v1::PLUGIN_KIND_LEGITIMACY);
  EXPECT_EQ(d.version(), "1.2.0");
  ASSERT_EQ(d.parameters_size(), 10);
  EXPECT_EQ(d.parameters(0).name(), "min_items");
  EXPECT_EQ(d.parameters(1).name(), "bootstrap_samples");
  EXPECT_EQ(d.parameters(2).name(), "confidence");
  EXPECT_EQ(d.parameters(3).name(), "alpha");
  EXPECT_EQ(d.parameters(4).name(), "seed");
  EXPECT_EQ(d.parameters(5).name(), "correlate_with");
  EXPECT_EQ(d.parameters(6).name(), "correlate_table");
  ASSERT_EQ(d.consumes_size(), 1);
  EXPECT_EQ(d.consumes(0), bre::v1::ARTIFACT_KIND_PARTITION);
  EXPECT_EQ(d.produces(0), bre::v1::ARTIFACT_KIND_LEGITIMACY);
  EXPECT_TRUE(d.capabilities().deterministic_per_seed());
}

TEST(ScaleScoresPlugin, RunsOnTheDemoDatasetDeterministically) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("legitimacy_scale_scores.so", "legitimacy.scale_scores");
  ASSERT_NE(harness.plugin(), nullptr);
  google::protobuf::Struct given;
  (*given.mutable_fields())["bootstrap_samples"].set_number_value(500);
  bre::Expected<bre::Params> params = harness.params(given);
  ASSERT_TRUE(params.has_value()) << params.status().message();
  auto run = [&](std::uint64_t seed) {
    bre::v1::Artifacts out;
    const bre::Status s = harness.run(demo.index, *params, seed, &demo.planted, out);
    EXPECT_TRUE(s.is_ok()) << s.message();
    return out;
  };
  const bre::v1::Artifacts a = run(11);
  ASSERT_EQ(a.legitimacy_size(), 1);
  const bre::v1::LegitimacyResult& l = a.legitimacy(0);
  EXPECT_GT(l.respondent_scores_size(), 0);
  EXPECT_GT(l.dimensions_size(), 0);
  EXPECT_EQ(l.regions_size(), demo.planted.partitions(0).regions_size() * l.dimensions_size());
  for (const auto& row : l.regions()) {
    if (row.n() == 0) continue;
    EXPECT_LE(row.ci_low(), row.ci_high());
    EXPECT_GE(row.mean(), 0.0);
    EXPECT_LE(row.mean(), 100.0);
  }
  for (const auto& d : l.dimensions()) EXPECT_FALSE(d.summary().empty());
  // Same seed, same bytes; another seed moves the bootstrap intervals only.
  std::string first, again, other;
  ASSERT_TRUE(a.SerializeToString(&first));
  ASSERT_TRUE(run(11).SerializeToString(&again));
  EXPECT_EQ(first, again);
  const bre::v1::Artifacts b = run(12);
  ASSERT_TRUE(b.SerializeToString(&other));
  EXPECT_NE(first, other);
  EXPECT_EQ(b.legitimacy(0).regions(0).mean(), l.regions(0).mean());
}

TEST(ScaleScoresPlugin, NeedsAPartition) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("legitimacy_scale_scores.so", "legitimacy.scale_scores");
  ASSERT_NE(harness.plugin(), nullptr);
  bre::Expected<bre::Params> params = harness.params();
  ASSERT_TRUE(params.has_value());
  bre::v1::Artifacts out;
  EXPECT_EQ(harness.run(demo.index, *params, 1, nullptr, out).code(),
            bre::StatusCode::kFailedPrecondition);
}

TEST(ScaleScoresPlugin, RejectsOutOfRangeParameters) {
  bre::test::PluginHarness harness("legitimacy_scale_scores.so", "legitimacy.scale_scores");
  ASSERT_NE(harness.plugin(), nullptr);
  google::protobuf::Struct few;
  (*few.mutable_fields())["bootstrap_samples"].set_number_value(50);  // minimum 100
  EXPECT_FALSE(harness.params(few).has_value());
  google::protobuf::Struct items;
  (*items.mutable_fields())["min_items"].set_number_value(0);  // minimum 1
  EXPECT_FALSE(harness.params(items).has_value());
}

}  // namespace
