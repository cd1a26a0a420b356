// The CSV and run-output writers.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "bre/v1/pipeline.pb.h"
#include "bre/writers.hpp"
#include "test_support.hpp"

namespace {

TEST(Writers, NumbersAreShortestRoundTripAndNanIsEmpty) {
  EXPECT_EQ(bre::format_csv_number(0.1), "0.1");
  EXPECT_EQ(bre::format_csv_number(10.0), "10");
  EXPECT_EQ(bre::format_csv_number(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(bre::format_csv_number(std::nan("")), "");
  EXPECT_EQ(std::stod(bre::format_csv_number(2.0 / 7.0)), 2.0 / 7.0);
}

TEST(Writers, FieldsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(bre::csv_field("Utrecht"), "Utrecht");
  EXPECT_EQ(bre::csv_field("Nuenen, Gerwen en Nederwetten"), "\"Nuenen, Gerwen en Nederwetten\"");
  EXPECT_EQ(bre::csv_field("'s \"Gravenhage\""), "\"'s \"\"Gravenhage\"\"\"");
}

TEST(Writers, RunOutputsPerArtifact) {
  const auto dataset = bre::test::small_dataset();
  const bre::DatasetIndex index(dataset);
  bre::v1::RunResult result;
  auto* step = result.add_steps();
  step->set_step_id("s");
  step->set_status(bre::v1::STEP_STATUS_SUCCEEDED);
  auto* partition = step->mutable_artifacts()->add_partitions();
  auto* region = partition->add_regions();
  region->set_id("R01");
  region->set_name("Noord, Oost");
  region->add_municipality_codes("GM0001");
  partition->add_unassigned("GM0002");
  auto* table = step->mutable_artifacts()->add_tables();
  table->set_name("t");
  table->add_columns()->set_id("x");
  auto* row = table->add_rows();
  row->set_region_id("R01");
  row->add_values(std::nan(""));
  auto* legitimacy = step->mutable_artifacts()->add_legitimacy();
  auto* scores = legitimacy->add_regions();
  scores->set_region_id("R01");
  scores->set_dimension(bre::v1::LEGITIMACY_DIMENSION_OUTPUT_NEIGHBOURS);
  scores->set_n(3);
  scores->set_mean(50);

  bre::test::TempDir dir;
  auto written = bre::write_run_outputs(result, index, dir.file("nested/out"));
  ASSERT_TRUE(written) << written.status().message();
  EXPECT_EQ(written->back(), dir.file("nested/out/run.pb"));
  EXPECT_EQ(bre::test::read_text(dir.file("nested/out/s.partition.csv")),
            "region_id,region_name,municipality_code,municipality_name\n"
            "R01,\"Noord, Oost\",GM0001,Aa\n"
            ",,GM0002,Bb\n");
  EXPECT_EQ(bre::test::read_text(dir.file("nested/out/s.t.csv")), "region_id,region_name,x\nR01,,\n");
  EXPECT_EQ(bre::test::read_text(dir.file("nested/out/s.legitimacy.csv")),
            "region_id,region_name,dimension,n,mean,sd,ci_low,ci_high\nR01,,output_neighbours,3,50,0,0,0\n");
}

TEST(Writers, AStepsFirstPartitionKeepsItsPlainFileName) {
  // A multiscale step emits its partition and the coarser level: bre.partition.csv stays
  // where every reader looks for it, the second is bre.2.partition.csv.
  const auto dataset = bre::test::small_dataset();
  const bre::DatasetIndex index(dataset);
  bre::v1::RunResult result;
  auto* step = result.add_steps();
  step->set_step_id("bre");
  for (const char* name : {"bre", "bre_coarser"}) {
    auto* partition = step->mutable_artifacts()->add_partitions();
    partition->set_name(name);
    auto* region = partition->add_regions();
    region->set_id("R01");
    region->add_municipality_codes("GM0001");
    region->add_municipality_codes("GM0002");
  }
  bre::test::TempDir dir;
  auto written = bre::write_run_outputs(result, index, dir.file("out"));
  ASSERT_TRUE(written) << written.status().message();
  EXPECT_TRUE(std::filesystem::exists(dir.file("out/bre.partition.csv")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("out/bre.2.partition.csv")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("out/bre.1.partition.csv")));
}

TEST(Writers, CategoricalColumnsShowTheirLabel) {
  const auto dataset = bre::test::small_dataset();
  const bre::DatasetIndex index(dataset);
  bre::v1::RunResult result;
  auto* step = result.add_steps();
  step->set_step_id("s");
  auto* table = step->mutable_artifacts()->add_tables();
  table->set_name("t");
  table->add_columns()->set_id("n");
  auto* label = table->add_columns();
  label->set_id("label");
  label->add_categories("subregional");
  label->add_categories("regional, matching");
  for (double value : {1.0, 0.0, std::nan(""), 2.0, 0.5}) {
    auto* row = table->add_rows();
    row->set_region_id("R");
    row->add_values(1.0);
    row->add_values(value);
  }
  bre::test::TempDir dir;
  ASSERT_TRUE(bre::write_run_outputs(result, index, dir.file("out")));
  // An index outside the categories, or not whole, is written as the number it is.
  EXPECT_EQ(bre::test::read_text(dir.file("out/s.t.csv")),
            "region_id,region_name,n,label\nR,,1,\"regional, matching\"\nR,,1,subregional\nR,,1,\nR,,1,2\nR,,1,0.5\n");
}

bre::v1::RunResult one_table_run(const std::string& step_id, const std::string& table_name) {
  bre::v1::RunResult result;
  auto* step = result.add_steps();
  step->set_step_id(step_id);
  step->mutable_artifacts()->add_tables()->set_name(table_name);
  return result;
}

TEST(Writers, AnEarlierRunIsReplacedWhole) {
  const auto dataset = bre::test::small_dataset();
  const bre::DatasetIndex index(dataset);
  bre::test::TempDir dir;
  ASSERT_TRUE(bre::write_run_outputs(one_table_run("old", "t"), index, dir.file("out")));
  ASSERT_TRUE(std::filesystem::exists(dir.file("out/old.t.csv")));
  ASSERT_TRUE(bre::write_run_outputs(one_table_run("new", "t"), index, dir.file("out")));
  EXPECT_TRUE(std::filesystem::exists(dir.file("out/new.t.csv")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("out/old.t.csv")));  // no stale results
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1);  // no staging directory left behind
}

TEST(Writers, ADirectoryWithOtherFilesIsNotOverwritten) {
  const auto dataset = bre::test::small_dataset();
  bre::test::TempDir dir;
  bre::test::write_text(dir.file("thesis.txt"), "precious");
  auto written = bre::write_run_outputs(one_table_run("s", "t"), bre::DatasetIndex(dataset), dir.path());
  ASSERT_FALSE(written);
  EXPECT_NE(written.status().message().find("holds other files than an earlier bre run"), std::string::npos);
  EXPECT_EQ(bre::test::read_text(dir.file("thesis.txt")), "precious");
}

TEST(Writers, NamesThatCollideOrLeaveTheDirectoryAreRefused) {
  const auto dataset = bre::test::small_dataset();
  const bre::DatasetIndex index(dataset);
  bre::test::TempDir dir;
  auto escaping = bre::write_run_outputs(one_table_run("s", "../x"), index, dir.file("out"));
  ASSERT_FALSE(escaping);
  EXPECT_NE(escaping.status().message().find("table name '../x' cannot name an output file"), std::string::npos);
  auto colliding = one_table_run("s", "partition");
  colliding.mutable_steps(0)->mutable_artifacts()->clear_tables();
  colliding.mutable_steps(0)->mutable_artifacts()->add_tables()->set_name("x");
  colliding.mutable_steps(0)->mutable_artifacts()->add_tables()->set_name("x");
  auto twice = bre::write_run_outputs(colliding, index, dir.file("out"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.status().message(), "two results would both be written to s.x.csv");
  EXPECT_FALSE(std::filesystem::exists(dir.file("out")));
}

TEST(Writers, UnwritableDirectoryIsAnError) {
  bre::test::TempDir dir;
  bre::test::write_text(dir.file("file"), "x");
  const auto dataset = bre::test::small_dataset();
  auto written = bre::write_run_outputs(bre::v1::RunResult(), bre::DatasetIndex(dataset), dir.file("file/out"));
  ASSERT_FALSE(written);
  EXPECT_NE(written.status().message().find("file/out"), std::string::npos);
}

}  // namespace
