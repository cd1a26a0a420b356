// libbre_service in process: the listening rule, the content-addressed store and the recovery of interrupted runs.
#include <gtest/gtest.h>

#include <filesystem>

#include "../framework/test_support.hpp"
#include "bre/dataset.hpp"
#include "bre/io.hpp"
#include "bre/partition.hpp"
#include "bre/service/run_manager.hpp"
#include "bre/service/server.hpp"
#include "bre/service/store.hpp"

namespace bre::test {
namespace {

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
