// `bre remote get --out` against a real bre-server: the same rules as `bre run --out`.
// It used to write run.pb and run.json into any directory, beside whatever was there
// (a user's files, or an earlier run's CSVs, which then mixed with the new run).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "../framework/test_support.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "server_process.hpp"

namespace bre::test {
namespace {

const std::string kProvinces = R"({"name": "p", "steps": [{"id": "provinces", "plugin": "region.provinces"}]})";

std::vector<std::string> entries(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

class RemoteGetOut : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(work_.file("demo.pb"), to_binary(demo::generate()));
    write_text(work_.file("p.json"), kProvinces);
    const auto run = run_bre({"remote", "run", work_.file("p.json"), "--dataset", work_.file("demo.pb"), "--wait",
                              "--server", server_.target()});
    ASSERT_EQ(run.exit_code, 0) << run.err << server_.log();
    run_id_ = run.out.substr(0, run.out.find('\n'));
  }
  CommandResult get(const std::string& out, bool with_dataset) {
    std::vector<std::string> args = {"remote", "get", run_id_, "--out", out, "--server", server_.target()};
    if (with_dataset) args.insert(args.end(), {"--dataset", work_.file("demo.pb")});
    return run_bre(args);
  }
  TempDir store_;
  TempDir work_;
  ServerProcess server_{store_.path()};
  std::string run_id_;
};

TEST_F(RemoteGetOut, ADirectoryWithOtherFilesIsRefusedAndKept) {
  std::filesystem::create_directories(work_.file("site"));
  write_text(work_.file("site/manifest.json"), "{}\n");
  write_text(work_.file("site/index.html"), "hi\n");
  for (bool with_dataset : {false, true}) {
    const auto r = get(work_.file("site"), with_dataset);
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(work_.file("site") + ": holds index.html, which no bre run wrote there"), std::string::npos)
        << r.err;
  }
  EXPECT_EQ(entries(work_.file("site")), (std::vector<std::string>{"index.html", "manifest.json"}));
  EXPECT_EQ(read_text(work_.file("site/manifest.json")), "{}\n");
}

TEST_F(RemoteGetOut, TheRecordReplacesAnEarlierRunWhole) {
  ASSERT_EQ(run_bre({"run", work_.file("p.json"), "--out", work_.file("out"), "--quiet"}).exit_code, 0);
  ASSERT_TRUE(std::filesystem::exists(work_.file("out/provinces.partition.csv")));
  const auto r = get(work_.file("out/"), false);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // No CSV of the earlier run is left beside the new record.
  EXPECT_EQ(entries(work_.file("out")),
            (std::vector<std::string>{".bre-outputs", "manifest.json", "run.json", "run.pb"}));
  const auto full = get(work_.file("out"), true);
  ASSERT_EQ(full.exit_code, 0) << full.err;
  EXPECT_TRUE(std::filesystem::exists(work_.file("out/provinces.partition.csv")));
}

}  // namespace
}  // namespace bre::test
