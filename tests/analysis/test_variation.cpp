// analysis.variation's statistics: the REML random-intercept fit against the ANOVA
// estimator it equals on balanced data and against a known ICC on simulated data;
// Holm and Benjamini-Hochberg against hand-computed values; permutation p-values
// against a brute-force count; and the assembly's handling of bad input (a message,
// never a NaN). statsmodels and scipy are the reference of variation_statsmodels.py.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "association.hpp"
#include "bre/random.hpp"
#include "random_intercept.hpp"
#include "scale_scores.hpp"
#include "variation.hpp"

namespace bre::analysis {
namespace {

// Whether `text` contains `part` (EXPECT_PRED2 prints both when not).
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Seeded generator of the simulations: region sizes as given, region effects
// N(0, tau²) and unit noise N(0, sigma²) from SplitMix64(seed) (Box-Muller), plus 10.
GroupedData simulate(std::uint64_t seed, const std::vector<int>& sizes, double tau2, double sigma2) {
  SplitMix64 rng(seed);
  GroupedData data;
  data.group_count = static_cast<int>(sizes.size());
  for (int g = 0; g < data.group_count; ++g) {
    const double u = std::sqrt(tau2) * rng.normal();
    for (int i = 0; i < sizes[g]; ++i) {
      data.y.push_back(10.0 + u + std::sqrt(sigma2) * rng.normal());
      data.group.push_back(g);
    }
  }
  return data;
}

TEST(RandomIntercept, BalancedDataGiveTheAnovaEstimator) {
  // With equal group sizes n and MSB > MSW, REML has the closed form
  // sigma² = MSW, tau² = (MSB - MSW) / n (Searle, Casella & McCulloch 1992, §4.3).
  const int groups = 8, n = 6;
  const GroupedData data = simulate(7, std::vector<int>(groups, n), 2.0, 3.0);
  std::vector<double> mean(groups, 0.0);
  double grand = 0.0;
  for (std::size_t i = 0; i < data.y.size(); ++i) {
    mean[data.group[i]] += data.y[i] / n;
    grand += data.y[i] / data.y.size();
  }
  double ssb = 0.0, ssw = 0.0;
  for (int g = 0; g < groups; ++g) ssb += n * (mean[g] - grand) * (mean[g] - grand);
  for (std::size_t i = 0; i < data.y.size(); ++i) ssw += std::pow(data.y[i] - mean[data.group[i]], 2);
  const double msb = ssb / (groups - 1), msw = ssw / (groups * n - groups);
  ASSERT_GT(msb, msw);
  const auto fit = fit_random_intercept(data, {});
  ASSERT_TRUE(fit) << fit.status().message();
  EXPECT_NEAR(fit->within_variance, msw, 1e-7 * msw);
  EXPECT_NEAR(fit->between_variance, (msb - msw) / n, 1e-7 * msw);
  EXPECT_NEAR(fit->beta[0], grand, 1e-9);
  EXPECT_LT(fit->icc_low, fit->icc);
  EXPECT_GT(fit->icc_high, fit->icc);
}

TEST(RandomIntercept, EqualRegionsSitOnTheBoundary) {
  // Every region has the values c-1, c, c+1 with the same c: no variance between them.
  GroupedData data;
  data.group_count = 5;
  for (int g = 0; g < 5; ++g) {
    for (double d : {-1.0, 0.0, 1.0, 0.5}) {
      data.y.push_back(4.0 + d);
      data.group.push_back(g);
    }
  }
  const auto fit = fit_random_intercept(data, {});
  ASSERT_TRUE(fit) << fit.status().message();
  EXPECT_EQ(fit->between_variance, 0.0);
  EXPECT_EQ(fit->icc, 0.0);
  EXPECT_EQ(fit->icc_low, 0.0);
  EXPECT_EQ(fit->lrt_statistic, 0.0);
  EXPECT_EQ(fit->lrt_p, 1.0);
  EXPECT_TRUE(std::isfinite(fit->icc_high));
  EXPECT_GT(fit->icc_high, 0.0);
  for (double e : fit->group_effect) EXPECT_EQ(e, 0.0);
}

TEST(RandomIntercept, RecoversAKnownIccOnSimulatedData) {
  // ICC = 1 / (1 + 3) = 0.25; 40 regions of 5 to 24 units; 20 replicates.
  std::vector<int> sizes;
  for (int g = 0; g < 40; ++g) sizes.push_back(5 + (g * 7) % 20);
  double sum = 0.0;
  int covered = 0;
  const int replicates = 20;
  for (int r = 0; r < replicates; ++r) {
    const auto fit = fit_random_intercept(simulate(1000 + r, sizes, 1.0, 3.0), {});
    ASSERT_TRUE(fit) << fit.status().message();
    sum += fit->icc;
    covered += fit->icc_low <= 0.25 && 0.25 <= fit->icc_high ? 1 : 0;
    EXPECT_LT(fit->lrt_p, 0.001) << "replicate " << r;
  }
  EXPECT_NEAR(sum / replicates, 0.25, 0.03);
  EXPECT_GE(covered, 17) << "95% intervals covered the true ICC in " << covered << " of 20 replicates";
}

TEST(RandomIntercept, BadInputIsNamed) {
  GroupedData constant{{5, 5, 5, 5}, {0, 0, 1, 1}, 2, {}};
  EXPECT_PRED2(contains, fit_random_intercept(constant, {}).status().message(), "no variance");
  GroupedData flat_regions{{1, 1, 2, 2, 3, 3}, {0, 0, 1, 1, 2, 2}, 3, {}};
  EXPECT_PRED2(contains, fit_random_intercept(flat_regions, {}).status().message(), "no variance within regions");
  GroupedData singletons{{1, 2, 3}, {0, 1, 2}, 3, {}};
  EXPECT_PRED2(contains, fit_random_intercept(singletons, {}).status().message(), "one unit at most");
  GroupedData one_region{{1, 2, 3}, {0, 0, 0}, 1, {}};
  EXPECT_PRED2(contains, fit_random_intercept(one_region, {}).status().message(), "at least 2 are needed");
  GroupedData nan{{1, NAN, 3, 4}, {0, 0, 1, 1}, 2, {}};
  EXPECT_PRED2(contains, fit_random_intercept(nan, {}).status().message(), "outcome value 1 is not a finite");
  GroupedData crowded{{1, 2, 3, 4, 5, 7}, {0, 0, 1, 1, 2, 2}, 3, {{1, 1, 2, 2, 3, 3}, {0, 0, 1, 1, 0, 0}}};
  EXPECT_PRED2(contains, fit_random_intercept(crowded, {}).status().message(), "need more than 3 regions; found 3");
  GroupedData collinear{{1, 2, 3, 4, 5, 7, 6, 9}, {0, 0, 1, 1, 2, 2, 3, 3}, 4, {{1, 1, 2, 2, 3, 3, 4, 4}, {2, 2, 4, 4, 6, 6, 8, 8}}};
  EXPECT_PRED2(contains, fit_random_intercept(collinear, {}).status().message(), "covariate 2 is constant or a combination");
}

TEST(MultipleTesting, HolmAndBenjaminiHochbergByHand) {
  // Sorted: 0.005, 0.01, 0.03, 0.04 (m = 4; the NaN is no test).
  // Holm: 4*0.005 = 0.02, 3*0.01 = 0.03, 2*0.03 = 0.06, max(0.06, 1*0.04) = 0.06.
  // BH from the top: 0.04, min(0.04, 4*0.03/3) = 0.04, 4*0.01/2 = 0.02, min(0.02, 4*0.005) = 0.02.
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005, NAN};
  const auto holm = holm_adjust(p);
  const auto bh = benjamini_hochberg_adjust(p);
  const std::vector<double> holm_expected = {0.03, 0.06, 0.06, 0.02};
  const std::vector<double> bh_expected = {0.02, 0.04, 0.04, 0.02};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(holm[i], holm_expected[i], 1e-15) << i;
    EXPECT_NEAR(bh[i], bh_expected[i], 1e-15) << i;
  }
  EXPECT_TRUE(std::isnan(holm[4]));
  EXPECT_TRUE(std::isnan(bh[4]));
  EXPECT_EQ(holm_adjust(std::vector<double>{0.6, 0.7})[1], 1.0);  // capped at 1
}

TEST(Permutation, ExactSpearmanPEqualsACountOverEveryPairing) {
  // Ties on both sides: the exact test enumerates distinct arrangements only.
  const std::vector<double> x = {3.1, 2.4, 4.0, 2.4, 3.6, 1.9, 3.3};
  const std::vector<double> y = {0.5, 0.2, 0.9, 0.4, 0.6, 0.2, 0.8};
  const auto result = spearman_association(x, y, {});
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->exact);
  const double rho = legitimacy::spearman(x, y).rho;
  EXPECT_NEAR(result->effect, rho, 1e-12);
  std::vector<int> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  int extreme = 0, total = 0;
  do {
    std::vector<double> permuted;
    for (int i : order) permuted.push_back(y[i]);
    ++total;
    extreme += std::abs(legitimacy::spearman(x, permuted).rho) >= std::abs(rho) - 1e-9 ? 1 : 0;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_NEAR(result->p, static_cast<double>(extreme) / total, 1e-12);
  EXPECT_LT(result->permutations, total);  // 7! / (2! 2!) distinct
}

TEST(Permutation, MonteCarloIsSeededAndNearTheExactValue) {
  const std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<double> y = {2.0, 1.5, 3.2, 2.8, 5.1, 4.0, 4.4, 6.3, 5.0};
  const auto exact = spearman_association(x, y, {});
  PermutationOptions options;
  options.max_exact = 1000;
  options.monte_carlo_samples = 20000;
  options.seed = 42;
  const auto a = spearman_association(x, y, options), b = spearman_association(x, y, options);
  ASSERT_TRUE(exact && a && b);
  EXPECT_FALSE(a->exact);
  EXPECT_EQ(a->permutations, 20000);
  EXPECT_EQ(a->p, b->p);
  EXPECT_NEAR(a->p, exact->p, 0.01);
}

TEST(Permutation, BadPairsAreNamed) {
  EXPECT_PRED2(contains, spearman_association(std::vector<double>{1, 2}, std::vector<double>{1, 2}, {}).status().message(), "at least 3");
  EXPECT_PRED2(contains, spearman_association(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3}, {}).status().message(), "characteristic has the same value");
  EXPECT_PRED2(contains, mean_difference_association(std::vector<double>{0, 2, 1}, std::vector<double>{1, 2, 3}, {})
                  .status()
                  .message(), "expected 0 or 1");
  EXPECT_PRED2(contains, mean_difference_association(std::vector<double>{1, 1, 1}, std::vector<double>{1, 2, 3}, {})
                  .status()
                  .message(), "both groups need a region");
}

TEST(PowerNote, CriticalCorrelationOfTenRegions) {
  // t(0.975, 8) = 2.306004; rho_c = 2.306 / sqrt(8 + 2.306²) = 0.6319.
  EXPECT_NEAR(critical_correlation(10, 0.05), 0.6319, 1e-4);
  // Fisher z: Phi(atanh(0.5) sqrt(7) - 1.959964) = Phi(-0.5066) = 0.3062.
  EXPECT_NEAR(correlation_power(10, 0.5, 0.05), 0.3062, 1e-4);
}

// --- The assembly: four regions, respondents with a bad mix of input. ---

class VariationAssembly : public ::testing::Test {
 protected:
  void SetUp() override {
    partition_.set_name("bre");
    for (int r = 0; r < 4; ++r) {
      v1::Region* region = partition_.add_regions();
      region->set_id("R0" + std::to_string(r + 1));
      region->set_name("Region " + std::to_string(r + 1));
    }
    legitimacy_.set_partition_name("bre");
    // Input: varies within and between regions; R04 has one respondent.
    const double input[4][4] = {{40, 45, 50, 42}, {60, 55, 65, 58}, {30, 35, 33, 38}, {50, NAN, NAN, NAN}};
    for (int r = 0; r < 4; ++r) {
      for (int i = 0; i < 4; ++i) {
        if (std::isnan(input[r][i])) continue;
        add_score(v1::LEGITIMACY_DIMENSION_INPUT, partition_.regions(r).id(), input[r][i]);
        add_score(v1::LEGITIMACY_DIMENSION_FUNDAMENTAL, partition_.regions(r).id(), 75.0);  // no variance
      }
    }
    add_score(v1::LEGITIMACY_DIMENSION_INPUT, "", 80.0);  // unassigned
    table_.set_name("congruence");
    table_.set_partition_name("bre");
    for (const char* id : {"congruence_c1", "c2", "c3", "c4"}) table_.add_columns()->set_id(id);
    const double c1[4] = {0.4, 0.7, NAN, 0.5};
    for (int r = 0; r < 4; ++r) {
      v1::IndicatorRow* row = table_.add_rows();
      row->set_region_id(partition_.regions(r).id());
      for (double v : {c1[r], 1.0 * r, r * 2.0 + 1, r % 2 * 1.0}) row->add_values(v);
    }
    inputs_.partition = &partition_;
    inputs_.legitimacy = &legitimacy_;
    inputs_.region_tables = {&table_};
  }
  void add_score(v1::LegitimacyDimension dimension, const std::string& region, double score) {
    v1::RespondentScore* s = legitimacy_.add_respondent_scores();
    s->set_dimension(dimension);
    s->set_region_id(region);
    s->set_score(score);
  }

  v1::Dataset dataset_;
  DatasetIndex index_{dataset_};
  v1::Partition partition_;
  v1::LegitimacyResult legitimacy_;
  v1::IndicatorTable table_;
  VariationInputs inputs_;
};

TEST_F(VariationAssembly, EveryProblemIsAMessageAndNoNumberIsNaN) {
  VariationOptions options;
  options.language = Language::kEnglish;
  options.characteristics = {"congruence_c1"};
  options.fixed_effects = {"congruence_c1", "c2", "c3", "c4"};  // more predictors than regions
  const auto result = analyse_variation(index_, inputs_, options);
  ASSERT_TRUE(result) << result.status().message();
  const v1::AnalysisResult& a = result->analysis;
  ASSERT_EQ(a.decompositions_size(), 4);  // two dimensions, each intercept only and with characteristics
  const auto& fundamental = a.decompositions(0);
  EXPECT_EQ(fundamental.outcome(), "legitimacy_fundamental");
  EXPECT_FALSE(fundamental.fitted());
  EXPECT_PRED2(contains, fundamental.note(), "no variance");
  const auto& input = a.decompositions(2);
  EXPECT_EQ(input.outcome(), "legitimacy_input");
  EXPECT_TRUE(input.fitted()) << input.note();
  EXPECT_EQ(input.n_unassigned(), 1);
  EXPECT_PRED2(contains, input.note(), "regions with one respondent: R04");
  EXPECT_GT(input.icc(), 0.5);
  const auto& crowded = a.decompositions(3);
  EXPECT_FALSE(crowded.fitted());
  EXPECT_PRED2(contains, crowded.note(), "need more than");
  EXPECT_PRED2(contains, crowded.note(), "missing a characteristic");  // R03 has no C1
  ASSERT_EQ(a.associations_size(), 2);
  EXPECT_FALSE(a.associations(0).tested());  // fundamental: every region the same
  EXPECT_TRUE(a.associations(1).tested()) << a.associations(1).note();
  EXPECT_EQ(a.associations(1).n(), 3);
  EXPECT_PRED2(contains, a.associations(1).note(), "1 region(s) without a value");
  EXPECT_FALSE(a.answers().empty());
  EXPECT_PRED2(contains, a.answers(1), "Nothing can be concluded");
  EXPECT_PRED2(contains, a.answers(2), "no evidence that more congruent regions");
  EXPECT_PRED2(contains, a.power_note(), "With 4 regions");
  std::string text;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(a, &text).ok());
  EXPECT_EQ(text.find("NaN"), std::string::npos) << text;
  EXPECT_EQ(text.find("Infinity"), std::string::npos) << text;
  EXPECT_PRED2(contains, result->warnings.at(0), "broad well-being outcomes are absent");
}

// The same analysis in Dutch: its sentences and notes are Dutch, its numbers the same.
TEST_F(VariationAssembly, TextsFollowTheLanguage) {
  VariationOptions options;
  options.characteristics = {"congruence_c1"};
  options.fixed_effects = {"congruence_c1", "c2", "c3", "c4"};
  VariationOptions english = options;
  english.language = Language::kEnglish;
  const auto nl = analyse_variation(index_, inputs_, options);  // Dutch, the default
  const auto en = analyse_variation(index_, inputs_, english);
  ASSERT_TRUE(nl && en);
  const v1::AnalysisResult& a = nl->analysis;
  EXPECT_EQ(a.decompositions(0).label(), "Legitimiteit: fundamenteel");
  EXPECT_EQ(a.decompositions(0).note().rfind("niet te schatten: ", 0), 0u) << a.decompositions(0).note();
  EXPECT_EQ(a.answers(0).rfind("Is er variatie tussen BRE's? ", 0), 0u) << a.answers(0);
  EXPECT_EQ(a.power_note().rfind("Met 4 regio's haalt een correlatie p < 0,05", 0), 0u) << a.power_note();
  auto numbers = [](v1::AnalysisResult r) {
    for (auto& d : *r.mutable_decompositions()) {
      d.clear_label();
      d.clear_summary();
      d.clear_note();
    }
    for (auto& s : *r.mutable_associations()) {
      s.clear_summary();
      s.clear_note();
    }
    r.clear_power_note();
    r.clear_answers();
    return r.SerializeAsString();
  };
  EXPECT_EQ(numbers(a), numbers(en->analysis));
}

TEST_F(VariationAssembly, AnUnknownCharacteristicIsAnErrorListingTheAvailableOnes) {
  VariationOptions options;
  options.characteristics = {"congruence_c9"};
  const auto result = analyse_variation(index_, inputs_, options);
  ASSERT_FALSE(result);
  EXPECT_PRED2(contains, result.status().message(), "parameter 'characteristics': no input table has a column "
                                                   "'congruence_c9'");
  EXPECT_PRED2(contains, result.status().message(), "congruence_c1 (congruence)");
}

TEST_F(VariationAssembly, NoOutcomeIsAnError) {
  inputs_.legitimacy = nullptr;
  const auto result = analyse_variation(index_, inputs_, {});
  ASSERT_FALSE(result);
  EXPECT_PRED2(contains, result.status().message(), "no outcome among the inputs");
}

}  // namespace
}  // namespace bre::analysis
