// The CSV and run-output writers, and the rules of run directories: a run replaces
// only an earlier run, whole, and never a file it did not write.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "bre/run_directory.hpp"
#include "bre/v1/pipeline.pb.h"
#include "bre/io.hpp"
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
  EXPECT_EQ(written.status().message(),
            dir.path() + ": holds thesis.txt, which no bre run wrote there; a run replaces only a directory that "
                         "holds an earlier run's files (choose another output directory, or move the file away)");
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

// The GIS files of the pipeline's exports come from the caller (bre_export); the writer
// lists them, refuses a name another output has, and one it was not given.
TEST(Writers, ExportedFilesAreWrittenWithTheRunAndMustAllBeGiven) {
  const auto dataset = bre::test::small_dataset();
  const bre::DatasetIndex index(dataset);
  bre::test::TempDir dir;
  auto run = one_table_run("s", "t");
  run.mutable_manifest()->mutable_pipeline()->add_exports()->set_file("s.gpkg");
  auto written = bre::write_run_outputs(run, index, dir.file("out"), {{"s.gpkg", std::string("GPKG\0bytes", 10)}});
  ASSERT_TRUE(written) << written.status().message();
  EXPECT_EQ(bre::test::read_text(dir.file("out/s.gpkg")), std::string("GPKG\0bytes", 10));
  EXPECT_NE(bre::test::read_text(dir.file("out/.bre-outputs")).find("s.gpkg\n"), std::string::npos);
  auto names = bre::output_file_names(run);
  ASSERT_TRUE(names);
  EXPECT_NE(std::find(names->begin(), names->end(), "s.gpkg"), names->end());

  auto missing = bre::write_run_outputs(run, index, dir.file("other"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().message(), "export s.gpkg of partition '' was not made");
  run.mutable_manifest()->mutable_pipeline()->mutable_exports(0)->set_file("run.pb");
  auto clash = bre::write_run_outputs(run, index, dir.file("other"), {{"run.pb", "x"}});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.status().message(), "two results would both be written to run.pb");
  EXPECT_FALSE(std::filesystem::exists(dir.file("other")));
}

TEST(Writers, UnwritableDirectoryIsAnError) {
  bre::test::TempDir dir;
  bre::test::write_text(dir.file("file"), "x");
  const auto dataset = bre::test::small_dataset();
  auto written = bre::write_run_outputs(bre::v1::RunResult(), bre::DatasetIndex(dataset), dir.file("file/out"));
  ASSERT_FALSE(written);
  EXPECT_NE(written.status().message().find("file/out"), std::string::npos);
}

// The names in a directory, sorted.
std::vector<std::string> entries(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

using Names = std::vector<std::string>;

// A file with its directories, as a user or a killed run leaves it.
void put(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  bre::test::write_text(path, content);
}

class RunDirectory : public ::testing::Test {
 protected:
  // Writes a run with one table of step `step_id` to `directory`.
  bre::Expected<std::vector<std::string>> write_run(const std::string& step_id, const std::string& directory) {
    return bre::write_run_outputs(one_table_run(step_id, "t"), index_, directory);
  }
  const bre::v1::Dataset dataset_ = bre::test::small_dataset();
  const bre::DatasetIndex index_{dataset_};
  bre::test::TempDir dir_;
};

TEST_F(RunDirectory, TheRunListsItsFiles) {
  ASSERT_TRUE(write_run("s", dir_.file("out")));
  EXPECT_EQ(bre::test::read_text(dir_.file("out/.bre-outputs")), "s.t.csv\nmanifest.json\nrun.json\nrun.pb\n");
  EXPECT_EQ(entries(dir_.file("out")), (Names{".bre-outputs", "manifest.json", "run.json", "run.pb", "s.t.csv"}));
}

// `mkdir site; echo '{}' > site/manifest.json; echo hi > site/index.html; bre run ... --out site`
// replaced the whole directory: a manifest.json is no proof that the rest is bre's.
TEST_F(RunDirectory, AManifestDoesNotMakeTheOtherFilesBres) {
  put(dir_.file("site/manifest.json"), "{}\n");
  put(dir_.file("site/index.html"), "hi\n");
  auto written = write_run("s", dir_.file("site"));
  ASSERT_FALSE(written);
  EXPECT_NE(written.status().message().find(dir_.file("site") + ": holds index.html, which no bre run wrote there"),
            std::string::npos)
      << written.status().message();
  EXPECT_EQ(bre::test::read_text(dir_.file("site/index.html")), "hi\n");
  EXPECT_EQ(bre::test::read_text(dir_.file("site/manifest.json")), "{}\n");
  EXPECT_EQ(entries(dir_.path()), Names{"site"});  // no staging directory left
}

TEST_F(RunDirectory, AFileAddedToARunIsNeverRemoved) {
  ASSERT_TRUE(write_run("old", dir_.file("out")));
  put(dir_.file("out/notes.txt"), "mine");
  auto written = write_run("new", dir_.file("out"));
  ASSERT_FALSE(written);
  EXPECT_NE(written.status().message().find(": holds notes.txt, which no bre run wrote there"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_.file("out/old.t.csv")));  // the earlier run is kept whole
  // Without the listing (a run of an earlier bre) run.pb names the run's files; still not notes.txt.
  std::filesystem::remove(dir_.file("out/.bre-outputs"));
  EXPECT_FALSE(write_run("new", dir_.file("out")));
  EXPECT_EQ(bre::test::read_text(dir_.file("out/notes.txt")), "mine");
}

TEST_F(RunDirectory, OnlyRegularFilesCanBeARunsFiles) {
  ASSERT_TRUE(write_run("old", dir_.file("out")));
  std::filesystem::remove(dir_.file("out/old.t.csv"));
  put(dir_.file("out/old.t.csv/inside.txt"), "mine");  // a directory with a run file's name
  auto written = write_run("new", dir_.file("out"));
  ASSERT_FALSE(written);
  EXPECT_NE(written.status().message().find("holds old.t.csv, which no bre run wrote there"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_.file("out/old.t.csv/inside.txt")));
}

TEST_F(RunDirectory, ARunOfAnEarlierBreWithoutAListingIsReplaced) {
  ASSERT_TRUE(write_run("old", dir_.file("out")));
  std::filesystem::remove(dir_.file("out/.bre-outputs"));
  std::filesystem::remove(dir_.file("out/run.json"));  // fewer files than listed is still a run
  ASSERT_TRUE(write_run("new", dir_.file("out")));
  EXPECT_EQ(entries(dir_.file("out")), (Names{".bre-outputs", "manifest.json", "new.t.csv", "run.json", "run.pb"}));
}

// `--out results/` failed after the whole run: the staging directory was made inside it.
TEST_F(RunDirectory, ATrailingSlashNamesTheSameDirectory) {
  auto first = write_run("old", dir_.file("results/"));
  ASSERT_TRUE(first) << first.status().message();
  EXPECT_EQ(first->back(), dir_.file("results/run.pb"));
  auto second = write_run("new", dir_.file("results//"));
  ASSERT_TRUE(second) << second.status().message();
  EXPECT_TRUE(std::filesystem::exists(dir_.file("results/new.t.csv")));
  EXPECT_EQ(entries(dir_.path()), Names{"results"});
}

// A link stays a link: the directory it points to is replaced, beside itself.
TEST_F(RunDirectory, ASymbolicLinkStaysALinkToTheNewRun) {
  ASSERT_TRUE(write_run("old", dir_.file("store/real")));
  std::filesystem::create_directories(dir_.file("links"));
  std::filesystem::create_directory_symlink("../store/real", dir_.file("links/out"));
  auto written = write_run("new", dir_.file("links/out"));
  ASSERT_TRUE(written) << written.status().message();
  EXPECT_EQ(written->back(), dir_.file("links/out/run.pb"));
  EXPECT_TRUE(std::filesystem::is_symlink(dir_.file("links/out")));
  EXPECT_TRUE(std::filesystem::exists(dir_.file("store/real/new.t.csv")));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("store/real/old.t.csv")));
  EXPECT_EQ(entries(dir_.file("store")), Names{"real"});
  EXPECT_EQ(entries(dir_.file("links")), Names{"out"});
}

TEST_F(RunDirectory, ALinkToNothingOrToAFileIsRefused) {
  std::filesystem::create_directory_symlink("nowhere", dir_.file("dangling"));
  auto dangling = write_run("s", dir_.file("dangling"));
  ASSERT_FALSE(dangling);
  EXPECT_EQ(dangling.status().message(), dir_.file("dangling") + ": is a symbolic link to nowhere, which does not exist; "
                                                                 "create that directory or choose another output directory");
  EXPECT_FALSE(std::filesystem::exists(dir_.file("nowhere")));
  put(dir_.file("file"), "x");
  std::filesystem::create_symlink("file", dir_.file("to_file"));
  auto to_file = write_run("s", dir_.file("to_file"));
  ASSERT_FALSE(to_file);
  EXPECT_NE(to_file.status().message().find("is a symbolic link to file, which is not a directory"), std::string::npos);
  EXPECT_EQ(bre::test::read_text(dir_.file("file")), "x");
}

// A run killed while writing (up to 9 MB of staging each time) left its staging
// directory for good; the next run into the same directory removes it.
TEST_F(RunDirectory, StagingLeftByAKilledRunIsRemoved) {
  put(dir_.file(".out.tmp-AbC123/.bre-outputs"), "a.csv\nrun.pb\n");
  put(dir_.file(".out.tmp-AbC123/a.csv"), "x\n");
  put(dir_.file(".out.tmp-AbC123/.run.pb.tmp-XyZ789"), "half a file");
  std::filesystem::create_directory(dir_.file(".out.tmp-Empty1"));  // killed right after mkdtemp
  // An earlier run parked aside by the exchange without renameat2, its writer gone.
  ASSERT_TRUE(write_run("old", dir_.file("x")));
  std::filesystem::rename(dir_.file("x"), dir_.file(".out.tmp-Old456.old"));
  ASSERT_TRUE(write_run("s", dir_.file("out")));
  EXPECT_EQ(entries(dir_.path()), Names{"out"});
}

TEST_F(RunDirectory, StagingOfARunStillWritingIsKept) {
  put(dir_.file(".out.tmp-Live12/.bre-outputs"), "a.csv\n");
  const int fd = ::open(dir_.file(".out.tmp-Live12").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // as its writer holds it
  ASSERT_TRUE(write_run("s", dir_.file("out")));
  ::close(fd);
  EXPECT_EQ(entries(dir_.path()), (Names{".out.tmp-Live12", "out"}));
}

TEST_F(RunDirectory, WhatBreDidNotCreateIsNeverRemovedAsStaging) {
  put(dir_.file(".out.tmp-Mine12/thesis.txt"), "precious");   // a staging name, foreign content
  put(dir_.file(".out.tmp-Short/.bre-outputs"), "a.csv\n");  // not a name bre makes
  put(dir_.file(".other.tmp-Abc123/.bre-outputs"), "a.csv\n");  // another target's
  put(dir_.file("elsewhere/.bre-outputs"), "a.csv\n");
  std::filesystem::create_directory_symlink("elsewhere", dir_.file(".out.tmp-Link12"));
  ASSERT_TRUE(write_run("s", dir_.file("out")));
  EXPECT_EQ(entries(dir_.path()),
            (Names{".other.tmp-Abc123", ".out.tmp-Link12", ".out.tmp-Mine12", ".out.tmp-Short", "elsewhere", "out"}));
  EXPECT_EQ(bre::test::read_text(dir_.file(".out.tmp-Mine12/thesis.txt")), "precious");
  EXPECT_TRUE(std::filesystem::exists(dir_.file("elsewhere/.bre-outputs")));
}

// What `bre run` checks before running anything; it creates nothing.
TEST_F(RunDirectory, TheOutputDirectoryIsCheckedWithoutTouchingIt) {
  EXPECT_TRUE(bre::check_output_directory(dir_.file("new/nested/out")));
  EXPECT_FALSE(std::filesystem::exists(dir_.file("new")));
  std::filesystem::create_directory(dir_.file("empty"));
  EXPECT_TRUE(bre::check_output_directory(dir_.file("empty")));
  ASSERT_TRUE(write_run("s", dir_.file("run")));
  EXPECT_TRUE(bre::check_output_directory(dir_.file("run/")));

  put(dir_.file("file"), "x");
  EXPECT_EQ(bre::check_output_directory(dir_.file("file")).message(), dir_.file("file") + ": exists and is not a directory");
  EXPECT_EQ(bre::check_output_directory(dir_.file("file/out")).message(),
            dir_.file("file/out") + ": cannot be created: " + dir_.file("file") + " is not a directory");
  put(dir_.file("mixed/b.txt"), "x");
  put(dir_.file("mixed/a.txt"), "x");
  EXPECT_NE(bre::check_output_directory(dir_.file("mixed")).message().find("holds a.txt, which no bre run wrote"),
            std::string::npos);
  EXPECT_NE(bre::check_output_directory("/").message().find("is the root directory"), std::string::npos);
}

// `bre remote get --out` without the dataset writes the record alone, by the same rules.
TEST_F(RunDirectory, TheRecordAloneReplacesARunWholeAndNothingElse) {
  ASSERT_TRUE(write_run("old", dir_.file("out")));
  ASSERT_TRUE(bre::write_run_record(one_table_run("new", "t"), dir_.file("out")));
  EXPECT_EQ(entries(dir_.file("out")), (Names{".bre-outputs", "manifest.json", "run.json", "run.pb"}));
  put(dir_.file("mine/run.json"), "{}");
  put(dir_.file("mine/todo.txt"), "x");
  EXPECT_FALSE(bre::write_run_record(one_table_run("new", "t"), dir_.file("mine")));
  EXPECT_EQ(bre::test::read_text(dir_.file("mine/run.json")), "{}");
}

// `bre report RUN_DIR` writes report.html into the run; the next run replaces it too.
TEST_F(RunDirectory, AFileAddedToTheListingGoesWithTheRun) {
  ASSERT_TRUE(write_run("old", dir_.file("out")));
  std::filesystem::remove(dir_.file("out/.bre-outputs"));  // an earlier bre's run gets a listing
  ASSERT_TRUE(bre::add_to_run_listing(dir_.file("out"), "report.html"));
  put(dir_.file("out/report.html"), "<html>");
  EXPECT_EQ(bre::test::read_text(dir_.file("out/.bre-outputs")),
            "old.t.csv\nmanifest.json\nrun.json\nrun.pb\nreport.html\n");
  ASSERT_TRUE(bre::add_to_run_listing(dir_.file("out"), "report-en.html"));
  put(dir_.file("out/report-en.html"), "<html>");
  ASSERT_TRUE(write_run("new", dir_.file("out")));
  EXPECT_EQ(entries(dir_.file("out")), (Names{".bre-outputs", "manifest.json", "new.t.csv", "run.json", "run.pb"}));
}

}  // namespace
