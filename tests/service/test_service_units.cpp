// libbre_service in process: partition comparison against hand-computed values, the
// listening rule, the content-addressed store and the recovery of interrupted runs.
#include <gtest/gtest.h>

#include <filesystem>

#include "../framework/test_support.hpp"
#include "bre/dataset.hpp"
#include "bre/io.hpp"
#include "bre/partition.hpp"
#include "bre/service/compare.hpp"
#include "bre/service/run_manager.hpp"
#include "bre/service/server.hpp"
#include "bre/service/store.hpp"

namespace bre::test {
namespace {

v1::Partition partition_of(const std::string& name, const std::vector<std::vector<std::string>>& regions) {
  v1::Partition partition;
  partition.set_name(name);
  int n = 0;
  for (const auto& codes : regions) {
    auto* region = partition.add_regions();
    region->set_id("R" + std::to_string(++n));
    for (const auto& code : codes) region->add_municipality_codes(code);
  }
  return partition;
}

TEST(ComparePartitions, JaccardMatchesByHand) {
  const auto dataset = small_dataset();
  const DatasetIndex index(dataset);
  const auto a = partition_of("a", {{"GM0001", "GM0002", "GM0003"}, {"GM0004", "GM0005", "GM0006"}});
  const auto b = partition_of("b", {{"GM0001", "GM0002"}, {"GM0003", "GM0004", "GM0005", "GM0006"}});
  auto comparison = service::compare_partitions(index, a, b);
  ASSERT_TRUE(comparison) << comparison.status().message();
  EXPECT_EQ(comparison->partition_a(), "a");
  ASSERT_EQ(comparison->matches_a_to_b_size(), 2);
  // a.R1 = {1,2,3}: with b.R1 = {1,2} 2/3, with b.R2 1/6.
  EXPECT_EQ(comparison->matches_a_to_b(0).best_match_region_id(), "R1");
  EXPECT_DOUBLE_EQ(comparison->matches_a_to_b(0).jaccard(), 2.0 / 3.0);
  // a.R2 = {4,5,6}: with b.R2 = {3,4,5,6} 3/4.
  EXPECT_EQ(comparison->matches_a_to_b(1).best_match_region_id(), "R2");
  EXPECT_DOUBLE_EQ(comparison->matches_a_to_b(1).jaccard(), 0.75);
  // ARI by hand: pairs together in both 1 + 3 = 4 of sum C(a,2) = 6, sum C(b,2) = 7,
  // C(6,2) = 15: (4 - 42/15) / ((6 + 7)/2 - 42/15) = 1.2 / 3.7.
  EXPECT_NEAR(comparison->adjusted_rand(), 1.2 / 3.7, 1e-12);
  EXPECT_GT(comparison->variation_of_information(), 0.0);
}

TEST(ComparePartitions, ErrorsNameThePartition) {
  const auto dataset = small_dataset();
  const DatasetIndex index(dataset);
  const auto good = partition_of("a", {{"GM0001"}});
  const auto bad = partition_of("b", {{"GM9999"}});
  auto comparison = service::compare_partitions(index, good, bad);
  ASSERT_FALSE(comparison);
  EXPECT_EQ(comparison.status().message().rfind("b: ", 0), 0u) << comparison.status().message();
  EXPECT_NE(comparison.status().message().find("GM9999"), std::string::npos);
}

TEST(ListenPolicy, LoopbackOnlyWithoutTlsAndToken) {
  EXPECT_TRUE(service::is_loopback_address("127.0.0.1:50051"));
  EXPECT_TRUE(service::is_loopback_address("127.3.4.5:1"));
  EXPECT_TRUE(service::is_loopback_address("localhost:50051"));
  EXPECT_TRUE(service::is_loopback_address("[::1]:50051"));
  EXPECT_FALSE(service::is_loopback_address("0.0.0.0:50051"));
  EXPECT_FALSE(service::is_loopback_address("[::]:50051"));
  EXPECT_FALSE(service::is_loopback_address("10.0.0.1:50051"));
  EXPECT_FALSE(service::is_loopback_address("127example.org:1"));
  EXPECT_TRUE(service::check_listen_policy("127.0.0.1:1", false, false));
  EXPECT_TRUE(service::check_listen_policy("10.0.0.1:1", true, true));
  const auto status = service::check_listen_policy("10.0.0.1:1", true, false);
  EXPECT_EQ(status.message(), "--listen 10.0.0.1:1: not a loopback address; serving it needs TLS and a token (missing --token-file)");
}

TEST(Store, DatasetsAreContentAddressed) {
  TempDir root;
  auto store = service::Store::open(root.path());
  ASSERT_TRUE(store);
  const auto dataset = small_dataset();
  auto id = (*store)->put_dataset(dataset);
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, dataset_sha256(dataset));
  EXPECT_EQ(*(*store)->put_dataset(dataset), *id);
  EXPECT_EQ(service::sha256_hex(read_text(root.path() + "/datasets/" + *id + ".pb")), *id);
  // A second store over the same directory reads it back.
  auto reopened = service::Store::open(root.path());
  auto read = (*reopened)->dataset(*id);
  ASSERT_TRUE(read);
  EXPECT_EQ(to_binary(**read), to_binary(dataset));
  const auto missing = (*reopened)->dataset(std::string(64, '0'));
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ((*reopened)->dataset("../x").status().code(), StatusCode::kInvalidArgument);
}

TEST(Store, ACorruptRunRecordIsAnErrorNamingTheFile) {
  TempDir root;
  auto store = service::Store::open(root.path());
  write_text(root.path() + "/runs/run-1.pb", "\xff\xff not a record");
  auto runs = (*store)->load_runs();
  ASSERT_FALSE(runs);
  EXPECT_NE(runs.status().message().find(root.path() + "/runs/run-1.pb"), std::string::npos);
}

TEST(RunManager, InterruptedRunsBecomeFailedOnStart) {
  TempDir root;
  auto store = service::Store::open(root.path());
  for (auto [id, status] : {std::pair{"run-a", v1::RUN_STATUS_RUNNING}, std::pair{"run-b", v1::RUN_STATUS_QUEUED},
                            std::pair{"run-c", v1::RUN_STATUS_SUCCEEDED}}) {
    v1::RunRecord record;
    record.set_run_id(id);
    record.set_status(status);
    ASSERT_TRUE((*store)->save_run(record));
  }
  PluginHost host;
  auto manager = service::RunManager::create(host, **store, {});
  ASSERT_TRUE(manager) << manager.status().message();
  auto a = (*manager)->get("run-a");
  EXPECT_EQ(a->status(), v1::RUN_STATUS_FAILED);
  EXPECT_EQ(a->reason(), "interrupted: server stopped while running");
  EXPECT_EQ((*manager)->get("run-b")->reason(), "interrupted: server stopped while queued");
  EXPECT_EQ((*manager)->get("run-c")->status(), v1::RUN_STATUS_SUCCEEDED);
  v1::RunRecord on_disk;
  ASSERT_TRUE(on_disk.ParseFromString(read_text(root.path() + "/runs/run-a.pb")));
  EXPECT_EQ(on_disk.status(), v1::RUN_STATUS_FAILED);
  // Submitting validates first: nothing is loaded, so any plugin is unknown.
  v1::PipelineSpec spec;
  auto* step = spec.add_steps();
  step->set_id("s");
  step->set_plugin("clustering.igraph_leiden");
  auto run = (*manager)->submit(spec, std::string(64, '0'), 1, 0);
  ASSERT_FALSE(run);
  EXPECT_EQ(run.status().code(), StatusCode::kNotFound);
  EXPECT_EQ((*manager)->submit(spec, "x", 1, -1).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bre::test
