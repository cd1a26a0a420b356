// legitimacy.scale_scores, part 2 (DOMAIN.md §7): the statistics checked against scipy
// (tests/plugins/reference/legitimacy_scipy.py, run with Debian's /usr/bin/python3 and
// scipy 1.10; its output is quoted next to each assertion), the output gap, the
// Spearman correlation with an indicator table, the planted effect of the demo survey,
// and the false-positive rate of the between-region tests on surveys without effect.
#include <algorithm>
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

// The script's inputs (copied verbatim).
const std::vector<std::vector<double>> kGroups = {
    {50.0, 62.5, 75.0, 41.666666666666664, 58.333333333333336},
    {25.0, 37.5, 50.0, 33.333333333333336},
    {75.0, 87.5, 62.5, 100.0, 91.66666666666667, 70.83333333333333},
    {50.0, 45.833333333333336, 54.166666666666664},
};
const std::vector<double> kX12 = {61.2, 55.0, 70.4, 48.9, 55.0, 66.3, 52.1, 59.8, 63.0, 47.5, 68.8, 57.7};
const std::vector<double> kY12 = {0.71, 0.64, 0.80, 0.52, 0.69, 0.64, 0.58, 0.75, 0.66, 0.49, 0.77, 0.60};
const std::vector<double> kX7 = {3.1, 2.4, 4.0, 2.4, 3.6, 1.9, 3.3};
const std::vector<double> kY7 = {0.5, 0.2, 0.9, 0.4, 0.6, 0.2, 0.8};

TEST(LegitimacyScipy, AnovaUnequalGroups) {
  // anova F p eta2 12.27250631770405 0.000329640065687309 0.7245044565651189
  const leg::AnovaResult a = leg::one_way_anova(kGroups);
  EXPECT_NEAR(a.f, 12.27250631770405, kTol);
  EXPECT_NEAR(a.p, 0.000329640065687309, kTol);
  EXPECT_NEAR(a.eta_squared, 0.7245044565651189, kTol);
  EXPECT_EQ(a.df_between, 3.0);
  EXPECT_EQ(a.df_within, 14.0);
}

TEST(LegitimacyScipy, KruskalWallisWithTies) {
  // kruskal H p eps2 12.58847352024921 0.0056165992073485 0.7404984423676005
  // (50.0, 62.5 and 75.0 occur twice: the tie correction matters)
  const leg::KruskalWallisResult kw = leg::kruskal_wallis(kGroups);
  EXPECT_NEAR(kw.h, 12.58847352024921, kTol);
  EXPECT_NEAR(kw.p, 0.0056165992073485, kTol);
  EXPECT_NEAR(kw.epsilon_squared, 0.7404984423676005, kTol);
  EXPECT_EQ(kw.df, 3.0);
}

TEST(LegitimacyScipy, CronbachAlphaByFormula) {
  // cronbach alpha 0.9375 (numpy, k/(k-1) (1 - sum var(item) / var(total)), ddof 1)
  const std::vector<std::vector<double>> items = {{4, 5, 4}, {3, 3, 2}, {5, 5, 5}, {2, 3, 3},
                                                  {4, 4, 5}, {1, 2, 1}, {3, 4, 3}, {5, 4, 4}};
  EXPECT_NEAR(leg::cronbach_alpha(items), 0.9375, kTol);
}

TEST(LegitimacyScipy, SpearmanTApproximation) {
  // spearman12 rho p 0.8192982456140352 0.0011106541443141008 (scipy.stats.spearmanr)
  const leg::SpearmanResult s = leg::spearman(kX12, kY12);
  EXPECT_EQ(s.n, 12u);
  EXPECT_FALSE(s.exact);
  EXPECT_NEAR(s.rho, 0.8192982456140352, kTol);
  EXPECT_NEAR(s.p, 0.0011106541443141008, kTol);
}

TEST(LegitimacyScipy, SpearmanExactPermutation) {
  // spearman7 rho p_exact 0.9363636363636364 0.006349206349206349
  // (scipy.stats.permutation_test, pairings, all 7! = 5040; brute force agrees)
  const leg::SpearmanResult s = leg::spearman(kX7, kY7);
  EXPECT_EQ(s.n, 7u);
  EXPECT_TRUE(s.exact);
  EXPECT_NEAR(s.rho, 0.9363636363636364, kTol);
  EXPECT_NEAR(s.p, 0.006349206349206349, kTol);  // = 32 / 5040
  // Symmetry: reversing one side flips rho and keeps p.
  std::vector<double> reversed = kY7;
  for (double& v : reversed) v = -v;
  const leg::SpearmanResult r = leg::spearman(kX7, reversed);
  EXPECT_NEAR(r.rho, -s.rho, kTol);
  EXPECT_NEAR(r.p, s.p, kTol);
}

TEST(LegitimacyScipy, MidRanks) {
  // ranks X7 4.0 2.5 7.0 2.5 6.0 1.0 5.0 (scipy.stats.rankdata)
  EXPECT_EQ(leg::mid_ranks(kX7), (std::vector<double>{4.0, 2.5, 7.0, 2.5, 6.0, 1.0, 5.0}));
}

TEST(LegitimacyStatistics, SpearmanDegenerate) {
  const std::vector<double> constant = {1, 1, 1, 1};
  const std::vector<double> rising = {1, 2, 3, 4};
  EXPECT_TRUE(std::isnan(leg::spearman(constant, rising).rho));
  EXPECT_TRUE(std::isnan(leg::spearman(std::vector<double>{1.0}, std::vector<double>{2.0}).rho));
  // Perfect order, n = 4: rho = 1; exact p = 2 * 1/24.
  const leg::SpearmanResult perfect = leg::spearman(rising, rising);
  EXPECT_DOUBLE_EQ(perfect.rho, 1.0);
  EXPECT_NEAR(perfect.p, 2.0 / 24.0, kTol);
  // n = 10 is beyond the exact limit: t approximation, |rho| = 1 gives p = 0.
  std::vector<double> ten(10);
  for (int i = 0; i < 10; ++i) ten[i] = i;
  const leg::SpearmanResult t = leg::spearman(ten, ten);
  EXPECT_FALSE(t.exact);
  EXPECT_EQ(t.p, 0.0);
}

TEST(LegitimacyStatistics, EffectSizeWords) {
  // Cohen (1988): 0.01 small, 0.06 medium, 0.14 large.
  EXPECT_STREQ(leg::effect_size_label(0.0099), "negligible");
  EXPECT_STREQ(leg::effect_size_label(0.01), "small");
  EXPECT_STREQ(leg::effect_size_label(0.0599), "small");
  EXPECT_STREQ(leg::effect_size_label(0.06), "medium");
  EXPECT_STREQ(leg::effect_size_label(0.14), "large");
  EXPECT_STREQ(leg::effect_size_label(std::nan("")), "n/a");
}

// ---------------------------------------------------------------------------
// A survey generator: `regions` regions of two municipalities each, `per_region`
// municipal-council respondents per region, 15 items as in the demo (3 per dimension,
// F3 and I3 reverse coded). Answer = clamp(round(3 + person effect (sd 0.55) +
// region effect + item noise (sd 0.6)), 1, 5); the region effect is `input_shift`
// on the input dimension of region 0 and 0 everywhere else, so with input_shift = 0
// there is no effect at all (the null survey). All draws come from
// SplitMix64(derive_seed(seed, "null-survey")), in respondent, dimension, item order.

struct Survey {
  bre::v1::Dataset dataset;
  bre::v1::Partition partition;
};

Survey generate_survey(std::uint64_t seed, int regions, int per_region, double input_shift) {
  Survey s;
  s.dataset.set_name("generated-survey");
  s.partition.set_name("regions");
  for (int r = 0; r < regions; ++r) {
    bre::v1::Region* region = s.partition.add_regions();
    region->set_id("R" + std::to_string(r));
    for (int m = 0; m < 2; ++m) {
      const std::string code = "GM" + std::to_string(1000 + 2 * r + m);
      bre::v1::Municipality* mun = s.dataset.add_municipalities();
      mun->set_code(code);
      mun->set_name(code);
      region->add_municipality_codes(code);
    }
  }
  const char* dims[] = {"F", "I", "T", "OA", "ON"};
  for (int d = 0; d < 5; ++d) {
    for (int i = 1; i <= 3; ++i) {
      bre::v1::SurveyItem* item = s.dataset.add_survey_items();
      item->set_id(std::string(dims[d]) + std::to_string(i));
      item->set_dimension(static_cast<bre::v1::LegitimacyDimension>(d + 1));
      item->set_reverse_coded(i == 3 && d < 2);
    }
  }
  bre::SplitMix64 rng(bre::derive_seed(seed, "null-survey"));
  for (int r = 0; r < regions; ++r) {
    for (int k = 0; k < per_region; ++k) {
      bre::v1::SurveyResponse* response = s.dataset.add_survey_responses();
      response->set_respondent_id("P" + std::to_string(r) + "_" + std::to_string(k));
      response->set_role(bre::v1::REPRESENTATIVE_ROLE_MUNICIPAL_COUNCIL);
      response->set_body_code("GM" + std::to_string(1000 + 2 * r + k % 2));
      for (int d = 0; d < 5; ++d) {
        const double person = 0.55 * rng.normal();
        const double shift = (d == 1 && r == 0) ? input_shift : 0.0;
        for (int i = 1; i <= 3; ++i) {
          const double noise = 0.6 * rng.normal();
          const double agreement = std::clamp(std::round(3.0 + person + shift + noise), 1.0, 5.0);
          const bool reverse = i == 3 && d < 2;
          bre::v1::SurveyAnswer* answer = response->add_answers();
          answer->set_item_id(std::string(dims[d]) + std::to_string(i));
          answer->set_value(static_cast<int>(reverse ? 6.0 - agreement : agreement));
        }
      }
    }
  }
  return s;
}

leg::ScaleScoreResult score(const Survey& s, leg::ScaleScoreOptions options) {
  options.language = bre::Language::kEnglish;  // the sentences asserted below
  const bre::DatasetIndex index(s.dataset);
  bre::Expected<leg::ScaleScoreResult> r = leg::compute_scale_scores(index, s.partition, options);
  EXPECT_TRUE(r.has_value()) << r.status().message();
  return r.has_value() ? *r : leg::ScaleScoreResult{};
}

TEST(LegitimacyNullSurvey, FalsePositiveRateIsAlpha) {
  // 200 seeds x 5 dimensions = 1000 independent null tests at alpha 0.05: the number
  // of rejections is Binomial(1000, 0.05), mean 50; [30, 72] holds it with
  // probability 0.998 (scipy.stats.binom: P(X < 30) = 0.0007, P(X > 72) = 0.0010).
  // A test that ignores ties, uses the wrong degrees of freedom or the wrong tail
  // leaves that interval.
  leg::ScaleScoreOptions options;
  options.bootstrap_samples = 1;  // the intervals are not under test here
  int anova_rejections = 0;
  int kruskal_rejections = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const leg::ScaleScoreResult r = score(generate_survey(seed, 8, 20, 0.0), options);
    ASSERT_EQ(r.legitimacy.dimensions_size(), 5);
    for (const auto& d : r.legitimacy.dimensions()) {
      anova_rejections += d.anova_p() < 0.05 ? 1 : 0;
      kruskal_rejections += d.kruskal_p() < 0.05 ? 1 : 0;
    }
  }
  RecordProperty("anova_rejections_of_1000", anova_rejections);
  RecordProperty("kruskal_rejections_of_1000", kruskal_rejections);
  EXPECT_GE(anova_rejections, 30);
  EXPECT_LE(anova_rejections, 72);
  EXPECT_GE(kruskal_rejections, 30);
  EXPECT_LE(kruskal_rejections, 72);
}

TEST(LegitimacyNullSurvey, PlantedShiftIsFound) {
  // The same generator with region 0's input legitimacy 1 Likert point lower: the
  // ANOVA finds it, and only on the input dimension is the effect large.
  leg::ScaleScoreOptions options;
  options.bootstrap_samples = 1;
  const leg::ScaleScoreResult r = score(generate_survey(7, 8, 20, -1.0), options);
  const auto& input = r.legitimacy.dimensions(1);
  ASSERT_EQ(input.dimension(), bre::v1::LEGITIMACY_DIMENSION_INPUT);
  EXPECT_TRUE(input.regions_differ());
  EXPECT_LT(input.anova_p(), 1e-4);  // seed 7: p = 1.1e-6
  EXPECT_EQ(input.effect_size(), "large");
  EXPECT_NE(input.summary().find("regions differ"), std::string::npos) << input.summary();
  EXPECT_NE(input.summary().find("large"), std::string::npos) << input.summary();
}

// ---------------------------------------------------------------------------
// Output gap.

TEST(LegitimacyOutputGap, PerRespondentAndRegion) {
  Survey s = generate_survey(3, 3, 6, 0.0);
  leg::ScaleScoreOptions options;
  options.bootstrap_samples = 200;
  options.seed = 5;
  const leg::ScaleScoreResult r = score(s, options);
  const auto& l = r.legitimacy;
  // Every respondent answered every item: one gap each, = ON score - OA score.
  ASSERT_EQ(l.respondent_output_gaps_size(), 18);
  std::vector<std::vector<double>> own(3), neighbours(3);
  for (const auto& sc : l.respondent_scores()) {
    const int region = sc.region_id()[1] - '0';
    if (sc.dimension() == bre::v1::LEGITIMACY_DIMENSION_OUTPUT_OWN_AMBITIONS) own[region].push_back(sc.score());
    if (sc.dimension() == bre::v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS) neighbours[region].push_back(sc.score());
  }
  // The bootstrap seed follows the region's first municipality, not its place (region_order).
  const bre::DatasetIndex index(s.dataset);
  const bre::Expected<bre::Membership> membership = bre::membership_of(index, s.partition);
  ASSERT_TRUE(membership.has_value());
  const leg::RegionOrder order = leg::region_order(*membership, 3);
  int k = 0;
  for (int region = 0; region < 3; ++region) {
    std::vector<double> gaps;
    for (std::size_t i = 0; i < own[region].size(); ++i) {
      const auto& g = l.respondent_output_gaps(k++);
      EXPECT_EQ(g.region_id(), "R" + std::to_string(region));
      EXPECT_DOUBLE_EQ(g.gap(), neighbours[region][i] - own[region][i]);
      gaps.push_back(g.gap());
    }
    const auto& row = l.region_output_gaps(region);
    EXPECT_EQ(row.region_id(), "R" + std::to_string(region));
    EXPECT_EQ(row.n(), 6);
    double sum = 0.0;
    for (double g : gaps) sum += g;
    EXPECT_NEAR(row.mean(), sum / 6.0, kTol);
    EXPECT_NEAR(row.sd(), leg::sample_sd(gaps), kTol);
    const leg::Interval ci =
        leg::bootstrap_mean_interval(gaps, 200, 0.95, bre::derive_seed(5, order.label[static_cast<std::size_t>(region)] * 8 + 6));
    EXPECT_EQ(row.ci_low(), ci.low);
    EXPECT_EQ(row.ci_high(), ci.high);
  }
  ASSERT_EQ(l.region_output_gaps_size(), 4);
  EXPECT_EQ(l.region_output_gaps(3).region_id(), "NL");
  EXPECT_EQ(l.region_output_gaps(3).n(), 18);
  EXPECT_FALSE(l.output_gap_summary().empty());
}

// ---------------------------------------------------------------------------
// Correlation with an indicator table.

bre::v1::IndicatorTable congruence_table(const bre::v1::Partition& partition, const std::vector<double>& c1) {
  bre::v1::IndicatorTable table;
  table.set_name("congruence");
  table.set_partition_name(partition.name());
  table.add_columns()->set_id("n_municipalities");
  table.add_columns()->set_id("congruence_c1");
  for (int r = 0; r < partition.regions_size(); ++r) {
    bre::v1::IndicatorRow* row = table.add_rows();
    row->set_region_id(partition.regions(r).id());
    row->add_values(2.0);
    row->add_values(c1[static_cast<std::size_t>(r)]);
  }
  return table;
}

TEST(LegitimacyCorrelation, SpearmanOfRegionMeans) {
  const Survey s = generate_survey(11, 8, 10, 0.0);
  const std::vector<double> c1 = {0.9, 0.4, 0.55, 0.7, 0.62, 0.3, 0.81, 0.47};
  const bre::v1::IndicatorTable table = congruence_table(s.partition, c1);
  leg::ScaleScoreOptions options;
  options.bootstrap_samples = 1;
  options.correlation_table = &table;
  options.correlation_column = "congruence_c1";
  const leg::ScaleScoreResult r = score(s, options);
  ASSERT_EQ(r.legitimacy.correlations_size(), 5);
  for (int d = 0; d < 5; ++d) {
    const auto& c = r.legitimacy.correlations(d);
    EXPECT_EQ(c.dimension(), d + 1);
    EXPECT_EQ(c.column(), "congruence_c1");
    EXPECT_EQ(c.table_name(), "congruence");
    EXPECT_EQ(c.n(), 8);
    EXPECT_FALSE(c.n_too_small());
    EXPECT_EQ(c.p_method(), "exact permutation");
    // Independently: rho of the published region means against the column.
    std::vector<double> means;
    for (const auto& row : r.legitimacy.regions()) {
      if (row.dimension() == d + 1) means.push_back(row.mean());
    }
    const leg::SpearmanResult expected = leg::spearman(means, c1);
    EXPECT_DOUBLE_EQ(c.rho(), expected.rho);
    EXPECT_DOUBLE_EQ(c.p(), expected.p);
    EXPECT_NE(c.summary().find("rho ="), std::string::npos) << c.summary();
  }
}

TEST(LegitimacyCorrelation, SmallNIsSaid) {
  const Survey s = generate_survey(11, 4, 10, 0.0);
  const bre::v1::IndicatorTable table = congruence_table(s.partition, {0.9, 0.4, 0.55, 0.7});
  leg::ScaleScoreOptions options;
  options.bootstrap_samples = 1;
  options.correlation_table = &table;
  options.correlation_column = "congruence_c1";
  const leg::ScaleScoreResult r = score(s, options);
  const auto& c = r.legitimacy.correlations(0);
  EXPECT_EQ(c.n(), 4);
  EXPECT_TRUE(c.n_too_small());
  EXPECT_TRUE(std::isnan(c.p()));
  EXPECT_NE(c.summary().find("n too small"), std::string::npos) << c.summary();
  // Regions below correlation_min_respondents leave the correlation.
  options.correlation_min_regions = 3;
  options.correlation_min_respondents = 11;
  EXPECT_EQ(score(s, options).legitimacy.correlations(0).n(), 0);
}

TEST(LegitimacyCorrelation, Errors) {
  const Survey s = generate_survey(11, 4, 5, 0.0);
  bre::v1::IndicatorTable table = congruence_table(s.partition, {0.9, 0.4, 0.55, 0.7});
  leg::ScaleScoreOptions options;
  options.correlation_table = &table;
  options.correlation_column = "no_such_column";
  const bre::DatasetIndex index(s.dataset);
  bre::Expected<leg::ScaleScoreResult> r = leg::compute_scale_scores(index, s.partition, options);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.status().message().find("no column 'no_such_column'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("congruence_c1"), std::string::npos) << r.status().message();
  options.correlation_column = "congruence_c1";
  table.set_partition_name("provinces");
  r = leg::compute_scale_scores(index, s.partition, options);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.status().message().find("'provinces'"), std::string::npos) << r.status().message();
}

// ---------------------------------------------------------------------------
// The demo dataset (docs/demo-dataset.md): input legitimacy 0.7 Likert points lower
// in P04, P09, P16 and P23, small differences elsewhere.

TEST(LegitimacyDemo, PlantedInputEffectIsFound) {
  bre::test::DemoFixture demo;
  leg::ScaleScoreOptions options;
  options.bootstrap_samples = 200;
  bre::Expected<leg::ScaleScoreResult> r =
      leg::compute_scale_scores(demo.index, demo.planted.partitions(0), options);
  ASSERT_TRUE(r.has_value()) << r.status().message();
  const auto& l = r->legitimacy;
  const bre::v1::DimensionSummary* input = nullptr;
  for (const auto& d : l.dimensions()) {
    if (d.dimension() == bre::v1::LEGITIMACY_DIMENSION_INPUT) input = &d;
  }
  ASSERT_NE(input, nullptr);
  EXPECT_TRUE(input->regions_differ());
  EXPECT_LT(input->anova_p(), 1e-6);
  EXPECT_LT(input->kruskal_p(), 1e-6);
  // The planted regions score lower: their mean is more than 8 points (0-100) below
  // the others' (0.7 Likert points = 17.5 for municipal respondents, diluted by the
  // provincial and water-board members tied to them), and each lies below the
  // others' median. (Seed 2016: 27.4 against 38.8; P23, P04, P16 lowest, P09 6th.)
  const std::vector<std::string> planted = {"P04", "P09", "P16", "P23"};
  std::vector<double> planted_means;
  std::vector<double> other_means;
  for (const auto& row : l.regions()) {
    if (row.dimension() != bre::v1::LEGITIMACY_DIMENSION_INPUT) continue;
    const bool is_planted = std::find(planted.begin(), planted.end(), row.region_id()) != planted.end();
    (is_planted ? planted_means : other_means).push_back(row.mean());
  }
  ASSERT_EQ(planted_means.size(), 4u);
  ASSERT_EQ(other_means.size(), 21u);
  auto average = [](const std::vector<double>& v) {
    double sum = 0.0;
    for (double x : v) sum += x;
    return sum / static_cast<double>(v.size());
  };
  EXPECT_LT(average(planted_means), average(other_means) - 8.0);
  std::sort(other_means.begin(), other_means.end());
  for (double mean : planted_means) EXPECT_LT(mean, other_means[10]);
  // The input effect is larger than that of any other dimension.
  for (const auto& d : l.dimensions()) {
    if (d.dimension() != bre::v1::LEGITIMACY_DIMENSION_INPUT) {
      EXPECT_LT(d.eta_squared(), input->eta_squared());
    }
  }
  // Output gap: neighbours (2.99) below own ambitions (3.24) in the demo's means.
  ASSERT_FALSE(l.region_output_gaps().empty());
  const auto& national = *l.region_output_gaps().rbegin();
  EXPECT_EQ(national.region_id(), "NL");
  EXPECT_LT(national.ci_high(), 0.0);
}

TEST(LegitimacyDemo, PluginCorrelatesWithAnInputTable) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("legitimacy_scale_scores.so", "legitimacy.scale_scores");
  ASSERT_NE(harness.plugin(), nullptr);
  // One input step with the planted partition and a table of it (region index / 25).
  bre::v1::Artifacts input = demo.planted;
  std::vector<double> c1;
  for (int r = 0; r < demo.planted.partitions(0).regions_size(); ++r) c1.push_back(r / 25.0);
  *input.add_tables() = congruence_table(demo.planted.partitions(0), c1);
  google::protobuf::Struct given;
  (*given.mutable_fields())["bootstrap_samples"].set_number_value(100);
  (*given.mutable_fields())["correlate_with"].set_string_value("congruence_c1");
  bre::Expected<bre::Params> params = harness.params(given);
  ASSERT_TRUE(params.has_value()) << params.status().message();
  bre::v1::Artifacts out;
  const bre::Status status = harness.run(demo.index, *params, 3, &input, out);
  ASSERT_TRUE(status.is_ok()) << status.message();
  const auto& correlations = out.legitimacy(0).correlations();
  ASSERT_EQ(correlations.size(), 5);
  EXPECT_EQ(correlations[0].n(), 25);
  EXPECT_EQ(correlations[0].p_method(), "t approximation");
  // A column no input has is an error naming the parameter and the tables there are.
  (*given.mutable_fields())["correlate_with"].set_string_value("congruence_c9");
  params = harness.params(given);
  ASSERT_TRUE(params.has_value());
  bre::v1::Artifacts none;
  const bre::Status missing = harness.run(demo.index, *params, 3, &input, none);
  EXPECT_EQ(missing.code(), bre::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.message().find("correlate_with"), std::string::npos) << missing.message();
  EXPECT_NE(missing.message().find("congruence_c1"), std::string::npos) << missing.message();
}

}  // namespace
