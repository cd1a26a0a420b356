// libbre_service in process: the listening rule, the content-addressed store, the
// recovery of interrupted runs, the retention policy, stream limits, and the run
// manager under concurrent clients.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "../framework/test_support.hpp"
#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/partition.hpp"
#include "bre/pipeline.hpp"
#include "bre/service/retention.hpp"
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
  auto runs = (*store)->load_run_index();
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

using service::RetentionPolicy;
using service::StoredItem;

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
constexpr std::int64_t kNow = 1'000 * kDayMs;

StoredItem run_item(const std::string& id, std::int64_t bytes, std::int64_t finished_ms, bool in_use = false) {
  return {StoredItem::Kind::kRun, id, bytes, finished_ms, in_use};
}
StoredItem dataset_item(const std::string& id, std::int64_t bytes, std::int64_t used_ms, bool in_use = false) {
  return {StoredItem::Kind::kDataset, id, bytes, used_ms, in_use};
}
RetentionPolicy no_limits() { return {0, 0, 0, 0}; }

std::vector<std::string> chosen_ids(const std::vector<StoredItem>& items, const RetentionPolicy& policy) {
  std::vector<std::string> ids;
  for (std::size_t i : service::select_for_removal(items, policy, kNow)) ids.push_back(items[i].id);
  return ids;
}

TEST(Retention, CountKeepsTheNewestFinishedRunsAndIgnoresActiveOnes) {
  auto policy = no_limits();
  policy.max_runs = 2;
  const std::vector<StoredItem> items = {run_item("c", 1, kNow - 3), run_item("a", 1, kNow - 5),
                                         run_item("active", 1, kNow - 9, true), run_item("b", 1, kNow - 4),
                                         run_item("d", 1, kNow - 1)};
  EXPECT_EQ(chosen_ids(items, policy), (std::vector<std::string>{"a", "b"}));
  policy.max_runs = 0;
  EXPECT_TRUE(chosen_ids(items, policy).empty()) << "0 is no limit";
}

TEST(Retention, AgeRemovesOldRunsAndIdleDatasetsButNothingInUse) {
  auto policy = no_limits();
  policy.max_age_days = 30;
  const std::vector<StoredItem> items = {
      run_item("old", 1, kNow - 31 * kDayMs), run_item("new", 1, kNow - 29 * kDayMs),
      run_item("old-running", 1, kNow - 40 * kDayMs, true), dataset_item("old-idle", 1, kNow - 31 * kDayMs),
      dataset_item("old-in-use", 1, kNow - 31 * kDayMs, true), dataset_item("new-idle", 1, kNow)};
  EXPECT_EQ(chosen_ids(items, policy), (std::vector<std::string>{"old", "old-idle"}));
}

TEST(Retention, BytesRemoveOldestRunsFirstThenLeastRecentlyUsedDatasets) {
  auto policy = no_limits();
  policy.max_store_bytes = 100;
  std::vector<StoredItem> items = {dataset_item("d-old", 40, kNow - 50), dataset_item("d-new", 40, kNow - 1),
                                   dataset_item("d-used", 40, kNow - 90, true), run_item("r1", 10, kNow - 10),
                                   run_item("r2", 10, kNow - 5), run_item("r-running", 10, kNow - 99, true)};
  // 150 bytes: both finished runs go (130), then the least recently used idle dataset (90).
  EXPECT_EQ(chosen_ids(items, policy), (std::vector<std::string>{"r1", "r2", "d-old"}));
  // What is in use can leave the store above its limit; it is never removed.
  policy.max_store_bytes = 10;
  EXPECT_EQ(chosen_ids(items, policy), (std::vector<std::string>{"r1", "r2", "d-old", "d-new"}));
}

TEST(Retention, DatasetCountCountsDatasetsInUseButKeepsThem) {
  auto policy = no_limits();
  policy.max_datasets = 2;
  const std::vector<StoredItem> items = {dataset_item("x", 1, kNow - 3, true), dataset_item("y", 1, kNow - 2),
                                         dataset_item("z", 1, kNow - 1)};
  EXPECT_EQ(chosen_ids(items, policy), (std::vector<std::string>{"y"}));
}

// A server restarted with stored runs and datasets prunes them before it serves:
// runs and an idle dataset past the age limit, then the oldest runs past the count.
TEST(RunManager, RetentionAtStartRemovesOldAndSurplusRecords) {
  TempDir root;
  auto store = service::Store::open(root.path());
  ASSERT_TRUE(store);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  auto save = [&](const std::string& id, std::int64_t finished_ms) {
    v1::RunRecord record;
    record.set_run_id(id);
    record.set_status(v1::RUN_STATUS_SUCCEEDED);
    record.set_queued_unix_ms(finished_ms - 1000);
    record.set_finished_unix_ms(finished_ms);
    ASSERT_TRUE((*store)->save_run(record));
  };
  save("run-ancient", now_ms - 40 * kDayMs);
  for (int i = 0; i < 5; ++i) save("run-recent-" + std::to_string(i), now_ms - (5 - i) * 60000);
  auto old_dataset = (*store)->put_dataset(small_dataset());
  ASSERT_TRUE(old_dataset);
  (*store)->mark_dataset_used(*old_dataset, now_ms - 31 * kDayMs);
  auto recent_dataset = (*store)->put_dataset(demo::generate());
  ASSERT_TRUE(recent_dataset);

  service::RunManagerOptions options;  // 30 days by default
  options.retention.max_runs = 3;
  PluginHost host;
  auto manager = service::RunManager::create(host, **store, options);
  ASSERT_TRUE(manager) << manager.status().message();
  for (const char* gone : {"run-ancient", "run-recent-0", "run-recent-1"}) {
    EXPECT_EQ((*manager)->get(gone).status().code(), StatusCode::kNotFound) << gone;
    EXPECT_FALSE(std::filesystem::exists(root.path() + "/runs/" + gone + ".pb")) << gone;
  }
  for (const char* kept : {"run-recent-2", "run-recent-3", "run-recent-4"}) {
    EXPECT_TRUE((*manager)->get(kept)) << kept;
  }
  EXPECT_FALSE(std::filesystem::exists(root.path() + "/datasets/" + *old_dataset + ".pb"));
  EXPECT_TRUE(std::filesystem::exists(root.path() + "/datasets/" + *recent_dataset + ".pb"));
}

TEST(Store, ReadsARecordsIndexWithoutItsResultAndEvents) {
  TempDir root;
  auto store = service::Store::open(root.path());
  ASSERT_TRUE(store);
  v1::RunRecord record;
  record.set_run_id("run-x");
  record.set_status(v1::RUN_STATUS_SUCCEEDED);
  record.set_dataset_id("d");
  record.set_finished_unix_ms(42);
  record.mutable_spec()->set_name("spec");
  record.mutable_result()->add_steps()->set_error(std::string(1 << 20, 'e'));
  record.add_events()->set_kind(v1::RunEvent::KIND_RUN_FINISHED);
  ASSERT_TRUE((*store)->save_run(record));
  auto index = (*store)->load_run_index();
  ASSERT_TRUE(index) << index.status().message();
  ASSERT_EQ(index->size(), 1u);
  const auto& header = (*index)[0].header;
  EXPECT_EQ(header.dataset_id(), "d");
  EXPECT_EQ(header.finished_unix_ms(), 42);
  EXPECT_FALSE(header.has_result());
  EXPECT_FALSE(header.has_spec());
  EXPECT_EQ(header.events_size(), 0);
  EXPECT_EQ((*index)[0].bytes, static_cast<std::int64_t>(to_binary(record).size()));
  auto events = (*store)->load_run("run-x", service::RecordParts::kEvents);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->events_size(), 1);
  EXPECT_FALSE(events->has_result());
  auto all = (*store)->load_run("run-x");
  ASSERT_TRUE(all);
  EXPECT_EQ(to_binary(*all), to_binary(record));
  // A record cut short is corrupt, even where the cut falls in a skipped field.
  const std::string bytes = to_binary(record);
  write_text(root.path() + "/runs/run-x.pb", bytes.substr(0, bytes.size() - 100));
  EXPECT_FALSE((*store)->load_run_index());
  EXPECT_EQ((*store)->load_run("run-gone").status().code(), StatusCode::kNotFound);
}

TEST(Store, OpenRemovesTemporaryFilesOfACrashedWriter) {
  TempDir root;
  ASSERT_TRUE(service::Store::open(root.path()));
  write_text(root.path() + "/runs/.run-1.pb.tmp-abc123", "half a record");
  write_text(root.path() + "/datasets/.x.pb.tmp-abc123", "half a dataset");
  ASSERT_TRUE(service::Store::open(root.path()));
  EXPECT_FALSE(std::filesystem::exists(root.path() + "/runs/.run-1.pb.tmp-abc123"));
  EXPECT_FALSE(std::filesystem::exists(root.path() + "/datasets/.x.pb.tmp-abc123"));
}

TEST(StreamLimits, ClientAddressDropsThePort) {
  EXPECT_EQ(service::client_address("ipv4:127.0.0.1:50000"), "127.0.0.1");
  EXPECT_EQ(service::client_address("ipv6:[::1]:50000"), "::1");
  EXPECT_EQ(service::client_address("ipv6:%5B::1%5D:50000"), "::1");
  EXPECT_EQ(service::client_address("unix:/tmp/socket"), "unix:/tmp/socket");
}

TEST(StreamLimits, SlotsAreBoundedPerClientAndInAll) {
  service::StreamSlots slots(3, 2);
  auto a1 = slots.acquire("WatchRun", "a");
  auto a2 = slots.acquire("WatchRun", "a");
  ASSERT_TRUE(a1 && a2);
  auto a3 = slots.acquire("WatchRun", "a");
  ASSERT_FALSE(a3);
  EXPECT_EQ(a3.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(a3.status().message(),
            "WatchRun: client a has 2 streams open, the most one client may (--max-streams-per-client); close one first");
  auto b1 = slots.acquire("PutDataset", "b");
  ASSERT_TRUE(b1);
  auto c1 = slots.acquire("PutDataset", "c");
  ASSERT_FALSE(c1);
  EXPECT_EQ(c1.status().message(),
            "PutDataset: the server has 3 streams open, the most it serves at once (--max-streams); try again later");
  EXPECT_EQ(slots.open(), 3);
  { auto released = std::move(*a1); }
  EXPECT_EQ(slots.open(), 2);
  EXPECT_TRUE(slots.acquire("WatchRun", "c"));
  EXPECT_EQ(slots.open(), 2) << "a slot is released when it goes";
}

}  // namespace
}  // namespace bre::test
