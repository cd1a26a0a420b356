// `bre compare` end to end: run examples/pipelines/compare.json with the real `bre`
// executable, then compare its partitions from the run directory, single steps and
// partition CSVs, as text, CSV and JSON; and its errors.
#include <string>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

using bre::test::read_text;
using bre::test::run_bre;
using bre::test::TempDir;
using bre::test::write_text;

const std::string kComparePipeline = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/compare.json";

class CompareCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new TempDir();
    const auto result = run_bre({"run", kComparePipeline, "--out", run_dir(), "--seed", "5"});
    if (result.exit_code != 0) setup_error_ = "bre run failed:\n" + result.err + result.out;
  }
  // SetUpTestSuite records its failure instead of asserting: GoogleTest skips a suite
  // whose SetUpTestSuite failed, and ctest would count its tests skipped, not failed.
  void SetUp() override { ASSERT_EQ(setup_error_, "") << "the suite's setup failed"; }
  static inline std::string setup_error_;
  static void TearDownTestSuite() {
    delete directory_;
    directory_ = nullptr;
  }
  static std::string run_dir() { return directory_->file("run"); }
  static TempDir* directory_;
};

TempDir* CompareCli::directory_ = nullptr;

TEST_F(CompareCli, PipelineWritesComparisonTables) {
  const std::string pairs = read_text(run_dir() + "/compare.comparison.csv");
  EXPECT_NE(pairs.find("region_id,region_name,nmi,ari,vi"), std::string::npos) << pairs;
  EXPECT_NE(pairs.find("leiden vs contiguous"), std::string::npos) << pairs;
  const std::string summary = read_text(run_dir() + "/compare.partitions.csv");
  EXPECT_NE(summary.find("contiguous"), std::string::npos);
}

TEST_F(CompareCli, TextCsvAndJson) {
  const auto text = run_bre({"compare", run_dir()});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("leiden vs infomap"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("contiguity"), std::string::npos) << text.out;

  const auto csv = run_bre({"compare", run_dir() + ":leiden", run_dir() + ":contiguous", "--csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("partition_a,partition_b,nmi,ari,vi,", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("\nleiden,contiguous,"), std::string::npos) << csv.out;

  const auto json = run_bre({"compare", run_dir() + ":walktrap", run_dir() + ":spectral", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"disagreement\""), std::string::npos);
  EXPECT_NE(json.out.find("\"partition_a\": \"walktrap\""), std::string::npos) << json.out.substr(0, 400);
}

TEST_F(CompareCli, PartitionCsvFilesGiveTheSameNumbers) {
  const auto from_run = run_bre({"compare", run_dir() + ":leiden", run_dir() + ":infomap", "--csv"});
  const auto from_csv =
      run_bre({"compare", run_dir() + "/leiden.partition.csv", run_dir() + "/infomap.partition.csv", "--csv"});
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
  EXPECT_EQ(from_csv.out, from_run.out);
}

TEST_F(CompareCli, ErrorsNameWhatIsWrong) {
  const auto one = run_bre({"compare", run_dir() + ":leiden"});
  EXPECT_EQ(one.exit_code, 2);
  EXPECT_NE(one.err.find("at least two partitions"), std::string::npos) << one.err;

  const auto no_step = run_bre({"compare", run_dir() + ":nosuchstep", run_dir() + ":leiden"});
  EXPECT_EQ(no_step.exit_code, 2);
  EXPECT_NE(no_step.err.find("step 'nosuchstep' produced no partition"), std::string::npos) << no_step.err;

  // A partition CSV with one municipality dropped covers a different node set.
  std::string content = read_text(run_dir() + "/leiden.partition.csv");
  const std::size_t second_line = content.find('\n') + 1;
  const std::size_t third_line = content.find('\n', second_line) + 1;
  const std::string dropped_line = content.substr(second_line, third_line - second_line);
  content.erase(second_line, third_line - second_line);
  const std::string dropped_code = dropped_line.substr(dropped_line.find(',', dropped_line.find(',') + 1) + 1, 6);
  write_text(directory_->file("short.partition.csv"), content);
  const auto different = run_bre({"compare", directory_->file("short.partition.csv"), run_dir() + ":infomap"});
  EXPECT_EQ(different.exit_code, 2);
  EXPECT_NE(different.err.find("cover different municipalities"), std::string::npos) << different.err;
  EXPECT_NE(different.err.find("only in 'infomap': " + dropped_code), std::string::npos) << different.err;

  // The run was made from the default demo dataset, not from another seed's.
  const std::string other = directory_->file("other.pb");
  ASSERT_EQ(run_bre({"dataset", "demo", other, "--seed", "7"}).exit_code, 0);
  const auto mismatch = run_bre({"compare", run_dir(), "--dataset", other});
  EXPECT_EQ(mismatch.exit_code, 2);
  EXPECT_NE(mismatch.err.find("manifest.json: the run was made from a dataset with SHA-256"), std::string::npos)
      << mismatch.err;

  const auto both = run_bre({"compare", run_dir(), "--csv", "--json"});
  EXPECT_EQ(both.exit_code, 2);
}

}  // namespace
