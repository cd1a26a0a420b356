// libbre_service in process: the listening rule, the content-addressed store, the
// recovery of interrupted runs, and the run manager under concurrent clients.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "../framework/test_support.hpp"
#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/partition.hpp"
#include "bre/pipeline.hpp"
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

// What bre-server's gRPC handlers do, from plain threads: four clients at once submit
// runs, watch them, cancel some and query others while at most two execute, then the
// server shuts down under them. Run under ThreadSanitizer (tools/run-tests.sh
// --sanitize=thread) this checks the run manager's locking without gRPC's threads,
// which TSan cannot follow (tools/sanitizers/tsan.supp). Every run must end in the
// state its client drove it to, with its events numbered 0, 1, 2, ... and ending in
// RUN_FINISHED.
TEST(RunManager, ConcurrentClientsSubmitWatchCancelAndShutDown) {
  TempDir root;
  auto store = service::Store::open(root.path());
  ASSERT_TRUE(store) << store.status().message();
  auto dataset_id = (*store)->put_dataset(demo::generate());
  ASSERT_TRUE(dataset_id) << dataset_id.status().message();
  PluginHost host;
  ASSERT_TRUE(host.load_directory(BRE_TEST_PLUGIN_DIR, "built-in").is_ok());
  ASSERT_TRUE(host.load_directory(std::string(BRE_TEST_BAD_PLUGIN_DIR) + "/sleeping", "--plugin-dir").is_ok());
  auto manager = service::RunManager::create(host, **store, {});
  ASSERT_TRUE(manager) << manager.status().message();
  const auto quick = parse_pipeline_spec(
      R"({"name": "q", "steps": [{"id": "p", "plugin": "region.provinces"},
                                 {"id": "c", "plugin": "indicator.congruence", "inputs": ["p"]}]})", "quick.json");
  const auto slow = parse_pipeline_spec(
      R"({"name": "s", "steps": [{"id": "nap", "plugin": "test.sleeping", "params": {"seconds": 60}}]})", "slow.json");
  ASSERT_TRUE(quick && slow);

  constexpr int kClients = 4;
  constexpr int kRunsPerClient = 3;
  std::vector<std::vector<std::string>> failures(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto fail = [&](const std::string& what) { failures[c].push_back(what); };
      for (int r = 0; r < kRunsPerClient; ++r) {
        // Odd clients cancel a slow run; even ones wait for a quick one.
        const bool cancel = (c + r) % 2 == 1;
        auto run_id = (*manager)->submit(cancel ? *slow : *quick, *dataset_id, 1 + c * 10 + r, 0);
        if (!run_id) return fail("submit: " + run_id.status().message());
        if (cancel) {
          // Wait until it runs or still waits in the queue; either way it must end CANCELLED.
          auto first = (*manager)->events(*run_id, 0, std::chrono::milliseconds(200));
          if (!first) return fail("events: " + first.status().message());
          if (auto status = (*manager)->cancel(*run_id); !status) return fail("cancel: " + status.status().message());
        }
        std::int64_t next = 0;
        bool finished = false;
        v1::RunEvent last;
        while (!finished) {
          auto events = (*manager)->events(*run_id, next, std::chrono::milliseconds(500));
          if (!events) return fail("events: " + events.status().message());
          for (const auto& event : events->events) {
            if (event.sequence() != next) return fail(*run_id + ": event " + std::to_string(event.sequence()) +
                                                      " where " + std::to_string(next) + " was due");
            ++next;
            last = event;
          }
          finished = events->finished;
          (void)(*manager)->get(*run_id);  // a status query in between, like GetRun
        }
        const auto want = cancel ? v1::RUN_STATUS_CANCELLED : v1::RUN_STATUS_SUCCEEDED;
        if (last.kind() != v1::RunEvent::KIND_RUN_FINISHED || last.run_status() != want) {
          return fail(*run_id + ": ended with event kind " + std::to_string(last.kind()) + ", status " +
                      std::to_string(last.run_status()) + ", wanted status " + std::to_string(want));
        }
        auto record = (*manager)->get(*run_id);
        if (!record || record->status() != want) return fail(*run_id + ": record disagrees with its events");
      }
    });
  }
  // Shutdown races a run still in flight: one more slow run, submitted as clients finish.
  auto late = (*manager)->submit(*slow, *dataset_id, 99, 0);
  ASSERT_TRUE(late) << late.status().message();
  for (auto& client : clients) client.join();
  (*manager)->shutdown(std::chrono::milliseconds(0));
  for (int c = 0; c < kClients; ++c) EXPECT_TRUE(failures[c].empty()) << "client " << c << ": " << failures[c][0];
  auto late_record = (*manager)->get(*late);
  ASSERT_TRUE(late_record);
  EXPECT_EQ(late_record->status(), v1::RUN_STATUS_CANCELLED) << late_record->reason();
}

}  // namespace
}  // namespace bre::test
