// End-to-end tests of bre-server: a real server process on loopback, started by each
// test on a port it picks itself, used through the real C++ client (bre::service::Client)
// and the `bre remote` CLI (the Python client's tests are in tests/python). Results are
// compared byte for byte with what `bre run` writes for the same pipeline, dataset and seed.
#include <gtest/gtest.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>
#include <set>
#include <map>
#include <thread>

#include "../framework/test_support.hpp"
#include "bre/dataset.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/service/client.hpp"
#include "bre/service/store.hpp"
#include "server_process.hpp"
#include "service_helpers.hpp"

namespace bre::test {
namespace {

using service::Client;
using service::ClientOptions;

const std::string kStandardPipeline = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json";

// run.pb of `bre run PIPELINE --seed SEED` on the demo dataset, computed once per seed.
const std::string& cli_run_pb(std::uint64_t seed) {
  static std::mutex mutex;
  static std::map<std::uint64_t, std::string> cache;
  std::lock_guard lock(mutex);
  auto found = cache.find(seed);
  if (found != cache.end()) return found->second;
  TempDir out;
  const auto result = run_bre({"run", kStandardPipeline, "--out", out.path() + "/run", "--seed", std::to_string(seed)});
  if (result.exit_code != 0) throw std::runtime_error("bre run failed: " + result.err);
  return cache[seed] = read_text(out.path() + "/run/run.pb");
}

// grpc.health.v1.Health/Check with an empty request (the whole server). The response
// HealthCheckResponse{status = SERVING (1)} is the two bytes 0x08 0x01 on the wire.
std::string health_check(const std::shared_ptr<grpc::Channel>& channel, grpc::Status& status) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  grpc::Slice empty("");
  grpc::ByteBuffer request(&empty, 1), response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&](grpc::Status s) { done.set_value(std::move(s)); });
  status = done.get_future().get();
  grpc::Slice bytes;
  if (status.ok()) (void)response.DumpToSingleSlice(&bytes);
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

TEST(ServiceEndToEnd, CppClientRunsTheStandardPipelineLikeTheCli) {
  TempDir store;
  ServerProcess server(store.path());
  const Client client(client_options(server));

  grpc::Status health;
  EXPECT_EQ(health_check(client.channel(), health), std::string("\x08\x01", 2));
  ASSERT_TRUE(health.ok()) << health.error_message();

  v1::ListPluginsResponse plugins;
  ASSERT_TRUE(client.list_plugins(plugins).ok());
  std::map<std::string, v1::PluginDescription> by_name;
  for (const auto& plugin : plugins.plugins()) by_name[plugin.name()] = plugin;
  for (const char* name : {"clustering.igraph_leiden", "region.provinces", "indicator.congruence",
                           "legitimacy.scale_scores", "lifecycle.stage_rules", "analysis.variation",
                           "test.sleeping"}) {
    EXPECT_TRUE(by_name.count(name)) << name;
  }
  const auto& leiden = by_name["clustering.igraph_leiden"];
  ASSERT_TRUE(std::any_of(leiden.parameters().begin(), leiden.parameters().end(), [](const auto& p) {
    return p.name() == "resolution" && !p.doc().empty() && p.has_minimum();
  }));

  const std::string dataset_id = upload_demo(client);
  EXPECT_EQ(dataset_id, dataset_sha256(demo::generate()));
  EXPECT_EQ(upload_demo(client), dataset_id) << "content-addressed: the same dataset gets the same id";
  EXPECT_TRUE(std::filesystem::exists(store.path() + "/datasets/" + dataset_id + ".pb"));

  const std::string run_id = start_run(client, read_text(kStandardPipeline), dataset_id, 7);
  std::vector<v1::RunEvent> events;
  const auto record = finish(client, run_id, &events);
  ASSERT_EQ(record.status(), v1::RUN_STATUS_SUCCEEDED) << record.reason();
  EXPECT_EQ(to_binary(record.result()), cli_run_pb(7)) << "gRPC result differs from bre run's run.pb";

  // Events: queued, started, a start and a success per step (each success after its
  // start, with a timing), finished; sequence numbers 0, 1, 2, ...
  ASSERT_GE(events.size(), 2u + 2u * 6u + 1u);
  EXPECT_EQ(events.front().kind(), v1::RunEvent::KIND_QUEUED);
  EXPECT_EQ(events[1].kind(), v1::RunEvent::KIND_RUN_STARTED);
  EXPECT_EQ(events.back().kind(), v1::RunEvent::KIND_RUN_FINISHED);
  EXPECT_EQ(events.back().run_status(), v1::RUN_STATUS_SUCCEEDED);
  std::map<std::string, std::int64_t> started_at;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].sequence(), static_cast<std::int64_t>(i));
    if (i > 0) {
      EXPECT_GE(events[i].elapsed_seconds(), events[i - 1].elapsed_seconds());
    }
    if (events[i].kind() == v1::RunEvent::KIND_STEP_STARTED) started_at[events[i].step_id()] = events[i].sequence();
    if (events[i].kind() == v1::RunEvent::KIND_STEP_SUCCEEDED) {
      ASSERT_TRUE(started_at.count(events[i].step_id())) << events[i].step_id();
      EXPECT_GE(events[i].step_seconds(), 0.0);
    }
  }
  EXPECT_EQ(started_at.size(), static_cast<std::size_t>(record.result().steps_size()));

  // A late watcher gets the whole history again.
  std::vector<v1::RunEvent> replay;
  finish(client, run_id, &replay);
  ASSERT_EQ(replay.size(), events.size());
  for (std::size_t i = 0; i < replay.size(); ++i) EXPECT_EQ(to_binary(replay[i]), to_binary(events[i]));

  // Compare the BRE partition with the provinces, and with itself.
  v1::ComparePartitionsRequest compare;
  compare.set_dataset_id(dataset_id);
  compare.mutable_a()->mutable_step()->set_run_id(run_id);
  compare.mutable_a()->mutable_step()->set_step_id("bre");
  compare.mutable_b()->mutable_step()->set_run_id(run_id);
  compare.mutable_b()->mutable_step()->set_step_id("provinces");
  v1::ComparePartitionsResponse comparison;
  ASSERT_TRUE(client.compare_partitions(compare, comparison).ok());
  EXPECT_GT(comparison.comparison().nmi(), 0.0);
  EXPECT_LT(comparison.comparison().nmi(), 1.0);
  EXPECT_EQ(comparison.comparison().matches_a_to_b_size(), record.result().steps(0).artifacts().partitions(0).regions_size());
  *compare.mutable_b() = compare.a();
  ASSERT_TRUE(client.compare_partitions(compare, comparison).ok());
  EXPECT_DOUBLE_EQ(comparison.comparison().nmi(), 1.0);
  EXPECT_DOUBLE_EQ(comparison.comparison().adjusted_rand(), 1.0);
  EXPECT_NEAR(comparison.comparison().variation_of_information(), 0.0, 1e-12);
  for (const auto& match : comparison.comparison().matches_a_to_b()) {
    EXPECT_EQ(match.best_match_region_id(), match.region_id());
    EXPECT_DOUBLE_EQ(match.jaccard(), 1.0);
  }
  EXPECT_EQ(server.terminate(), 0) << server.log();
}

TEST(ServiceEndToEnd, BreRemoteCommandsMatchTheCli) {
  TempDir store, work;
  ServerProcess server(store.path());
  const std::string demo_file = work.file("demo.pb");
  ASSERT_EQ(run_bre({"dataset", "demo", demo_file}).exit_code, 0);

  const auto put = run_bre({"remote", "put", demo_file, "--server", server.target()});
  ASSERT_EQ(put.exit_code, 0) << put.err;
  const std::string dataset_id = put.out.substr(0, put.out.find('\n'));
  EXPECT_EQ(dataset_id, dataset_sha256(demo::generate()));

  const auto run = run_bre({"remote", "run", kStandardPipeline, "--dataset-id", dataset_id, "--seed", "7", "--wait",
                            "--server", server.target()});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("STEP_SUCCEEDED congruence_bre"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("RUN_FINISHED SUCCEEDED"), std::string::npos) << run.out;
  const std::string run_id = run.out.substr(0, run.out.find('\n'));

  const auto get = run_bre({"remote", "get", run_id, "--out", work.file("remote"), "--dataset", demo_file, "--server",
                            server.target()});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(read_text(work.file("remote") + "/run.pb"), cli_run_pb(7));
  // Every file bre run writes, byte for byte.
  TempDir cli;
  ASSERT_EQ(run_bre({"run", kStandardPipeline, "--out", cli.file("out"), "--seed", "7"}).exit_code, 0);
  std::size_t compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(cli.file("out"))) {
    EXPECT_EQ(read_text(work.file("remote") + "/" + entry.path().filename().string()), read_text(entry.path().string()))
        << entry.path().filename();
    ++compared;
  }
  EXPECT_GT(compared, 5u);

  const auto plugins = run_bre({"remote", "plugins", "--server", server.target()});
  EXPECT_EQ(plugins.exit_code, 0);
  EXPECT_NE(plugins.out.find("clustering.igraph_leiden"), std::string::npos);

  const auto bad = run_bre({"remote", "get", "run-nope", "--server", server.target()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no run 'run-nope'"), std::string::npos) << bad.err;
}

// The GIS files a pipeline asks for are files of the run: `bre remote get --out` makes
// them from the fetched run as `bre run` does, byte for byte (docs/export.md).
TEST(ServiceEndToEnd, RemoteGetWritesThePipelinesGisFilesLikeTheCli) {
  TempDir store, work;
  ServerProcess server(store.path());
  const std::string pipeline = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/gis.json";
  const std::string demo_file = work.file("demo.pb");
  ASSERT_EQ(run_bre({"dataset", "demo", demo_file}).exit_code, 0);
  const auto run = run_bre({"remote", "run", pipeline, "--dataset", demo_file, "--seed", "7", "--wait", "--server",
                            server.target()});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  const std::string run_id = run.out.substr(0, run.out.find('\n'));
  const auto get = run_bre({"remote", "get", run_id, "--out", work.file("remote"), "--dataset", demo_file, "--server",
                            server.target()});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  ASSERT_EQ(run_bre({"run", pipeline, "--out", work.file("cli"), "--seed", "7"}).exit_code, 0);
  for (const char* file : {"bre.gpkg", "bre.geojson", "bre_coarser.geojson", "run.pb"}) {
    EXPECT_EQ(read_text(work.file("remote") + "/" + file), read_text(work.file("cli") + "/" + file)) << file;
  }
  EXPECT_EQ(server.terminate(), 0) << server.log();
}

TEST(ServiceEndToEnd, GetRunChunksDeliversTheRecordOfGetRunInCheckedPieces) {
  TempDir store;
  ServerProcess server(store.path());
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  const std::string run_id = start_run(client, read_text(kStandardPipeline), dataset_id, 7);
  ASSERT_EQ(finish(client, run_id).status(), v1::RUN_STATUS_SUCCEEDED);

  v1::RunRecord whole, chunked;
  ASSERT_TRUE(client.get_run_whole(run_id, whole).ok());
  ASSERT_TRUE(client.get_run(run_id, chunked, 1024).ok());
  EXPECT_EQ(to_binary(chunked), to_binary(whole));
  EXPECT_EQ(to_binary(chunked.result()), cli_run_pb(7));

  // On the wire: pieces of at most chunk_bytes at consecutive offsets; the first one
  // announces the total and the SHA-256 of the deterministic serialisation.
  auto stub = v1::BreService::NewStub(client.channel());
  grpc::ClientContext context;
  v1::GetRunChunksRequest request;
  request.set_run_id(run_id);
  request.set_chunk_bytes(1024);
  auto reader = stub->GetRunChunks(&context, request);
  std::vector<v1::RunChunk> chunks;
  for (v1::RunChunk chunk; reader->Read(&chunk);) chunks.push_back(chunk);
  ASSERT_TRUE(reader->Finish().ok());
  const std::string expected = to_binary(whole);
  ASSERT_EQ(chunks.size(), (expected.size() + 1023) / 1024);
  EXPECT_EQ(chunks.front().total_bytes(), static_cast<std::int64_t>(expected.size()));
  EXPECT_EQ(chunks.front().sha256(), service::sha256_hex(expected));
  std::string joined;
  for (const auto& chunk : chunks) {
    EXPECT_EQ(chunk.offset(), static_cast<std::int64_t>(joined.size()));
    EXPECT_LE(chunk.data().size(), 1024u);
    if (&chunk != &chunks.front()) {
      EXPECT_TRUE(chunk.sha256().empty() && chunk.total_bytes() == 0);
    }
    joined += chunk.data();
  }
  EXPECT_EQ(joined, expected);

  for (int bad : {100, (3 << 20) + 1, -1}) {
    v1::RunRecord record;
    const auto status = client.get_run(run_id, record, bad);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(status.error_message(), "chunk_bytes: expected 0 or 1024 to 3145728, found " + std::to_string(bad));
  }
  v1::RunRecord missing;
  EXPECT_EQ(client.get_run("run-nope", missing).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST(ServiceLoad, FiftyConcurrentClientsAllSucceedWithTheCliBytes) {
  TempDir store;
  ServerProcess server(store.path(), {"--max-concurrent-runs", "4"});
  const std::string bytes = demo_dataset_bytes();
  const std::string spec = read_text(kStandardPipeline);
  (void)cli_run_pb(1), (void)cli_run_pb(2);
  constexpr int kClients = 50;
  std::vector<std::string> run_ids(kClients), failures(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      const Client client(client_options(server));  // a connection of its own
      v1::PutDatasetResponse put;
      if (auto s = client.put_dataset(bytes, service::sha256_hex(bytes), 256 << 10, put); !s.ok()) {
        failures[i] = "put: " + s.error_message();
        return;
      }
      v1::RunPipelineRequest request;
      request.set_spec_json(spec);
      request.set_dataset_id(put.dataset_id());
      request.set_seed(1 + i % 2);
      v1::RunPipelineResponse started;
      if (auto s = client.run_pipeline(request, started); !s.ok()) {
        failures[i] = "run: " + s.error_message();
        return;
      }
      run_ids[i] = started.run_id();
      if (auto s = client.watch_run(started.run_id(), [](const v1::RunEvent&) {}); !s.ok()) {
        failures[i] = "watch: " + s.error_message();
        return;
      }
      v1::RunRecord record;
      if (auto s = client.get_run(started.run_id(), record); !s.ok()) {
        failures[i] = "get: " + s.error_message();
      } else if (record.status() != v1::RUN_STATUS_SUCCEEDED) {
        failures[i] = "status " + v1::RunStatus_Name(record.status()) + ": " + record.reason();
      } else if (to_binary(record.result()) != cli_run_pb(1 + i % 2)) {
        failures[i] = "result differs from the CLI's run.pb";
      }
    });
  }
  for (auto& client : clients) client.join();
  for (int i = 0; i < kClients; ++i) EXPECT_EQ(failures[i], "") << "client " << i;

  // At most --max-concurrent-runs ran at any moment: sweep over start and finish times.
  const Client client(client_options(server));
  std::vector<std::pair<std::int64_t, int>> changes;
  for (const auto& id : run_ids) {
    v1::RunRecord record;
    ASSERT_TRUE(client.get_run(id, record).ok());
    changes.emplace_back(record.started_unix_ms(), +1);
    changes.emplace_back(record.finished_unix_ms(), -1);
  }
  std::sort(changes.begin(), changes.end());  // a finish before a start at the same ms
  int running = 0, most = 0;
  for (const auto& [time, change] : changes) most = std::max(most, running += change);
  EXPECT_LE(most, 4);
  EXPECT_GE(most, 2) << "runs should overlap";
  EXPECT_EQ(std::set<std::string>(run_ids.begin(), run_ids.end()).size(), static_cast<std::size_t>(kClients));
}

TEST(ServiceStart, MoreThreadsThanCoresAreClampedWithAWarning) {
  const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  TempDir store;
  ServerProcess server(store.path(), {"--threads", std::to_string(cores + 1)});
  EXPECT_NE(server.log().find("bre-server: warning: --threads " + std::to_string(cores + 1) + " is more than the " +
                              std::to_string(cores) + " cores of this machine; using " + std::to_string(cores)),
            std::string::npos)
      << server.log();
  EXPECT_EQ(server.terminate(), 0);
}

TEST(ServiceRuns, CancelRunningAndQueuedRuns) {
  TempDir store;
  ServerProcess server(store.path(), {"--max-concurrent-runs", "1"});
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  const std::string running = start_run(client, sleeping_spec(60), dataset_id, 1);
  const std::string queued = start_run(client, sleeping_spec(60), dataset_id, 1);
  wait_for_status(client, running, v1::RUN_STATUS_RUNNING);
  v1::RunRecord record;
  ASSERT_TRUE(client.get_run(queued, record).ok());
  EXPECT_EQ(record.status(), v1::RUN_STATUS_QUEUED) << "one run at a time: the second waits";

  v1::CancelRunResponse cancelled;
  ASSERT_TRUE(client.cancel_run(queued, cancelled).ok());
  EXPECT_EQ(cancelled.status(), v1::RUN_STATUS_CANCELLED);
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(client.cancel_run(running, cancelled).ok());
  record = finish(client, running);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_EQ(record.status(), v1::RUN_STATUS_CANCELLED);
  EXPECT_EQ(record.reason(), "cancelled by CancelRun");
  ASSERT_EQ(record.result().steps_size(), 1);
  EXPECT_EQ(record.result().steps(0).status(), v1::STEP_STATUS_CANCELLED);
  record = finish(client, queued);
  EXPECT_EQ(record.status(), v1::RUN_STATUS_CANCELLED);
  EXPECT_EQ(record.reason(), "cancelled by CancelRun before it started");
  EXPECT_EQ(record.started_unix_ms(), 0);
  // Cancelling a finished run changes nothing.
  ASSERT_TRUE(client.cancel_run(running, cancelled).ok());
  EXPECT_EQ(cancelled.status(), v1::RUN_STATUS_CANCELLED);
}

TEST(ServiceRuns, DeadlineExceededCancelsTheRun) {
  TempDir store;
  ServerProcess server(store.path(), {"--default-deadline-seconds", "10", "--max-deadline-seconds", "30"});
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  const std::string run_id = start_run(client, sleeping_spec(60), dataset_id, 1, 0.5);
  const auto record = finish(client, run_id);
  EXPECT_EQ(record.status(), v1::RUN_STATUS_DEADLINE_EXCEEDED);
  EXPECT_EQ(record.reason(), "deadline exceeded: the run did not finish within 0.5 s");
  EXPECT_EQ(record.result().steps(0).status(), v1::STEP_STATUS_CANCELLED);
  const double seconds = (record.finished_unix_ms() - record.queued_unix_ms()) / 1000.0;
  EXPECT_GE(seconds, 0.45);  // queued_unix_ms is taken just after the deadline clock starts
  EXPECT_LT(seconds, 5.0);
  // A longer deadline than the server allows is capped.
  const std::string capped = start_run(client, sleeping_spec(0), dataset_id, 1, 1e6);
  EXPECT_DOUBLE_EQ(finish(client, capped).deadline_seconds(), 30.0);
}

TEST(ServiceStore, RestartKeepsCompletedRuns) {
  TempDir store;
  std::string run_id, dataset_id;
  std::string first_record;
  {
    ServerProcess server(store.path());
    const Client client(client_options(server));
    dataset_id = upload_demo(client);
    run_id = start_run(client, read_text(kStandardPipeline), dataset_id, 7);
    first_record = to_binary(finish(client, run_id));
    EXPECT_EQ(server.terminate(), 0) << server.log();
  }
  ServerProcess server(store.path());
  const Client client(client_options(server));
  v1::RunRecord record;
  ASSERT_TRUE(client.get_run(run_id, record).ok());
  EXPECT_EQ(to_binary(record), first_record);
  EXPECT_EQ(to_binary(record.result()), cli_run_pb(7));
  // The stored dataset is usable without uploading it again.
  const std::string again = start_run(client, read_text(kStandardPipeline), dataset_id, 7);
  EXPECT_EQ(to_binary(finish(client, again).result()), cli_run_pb(7));
}

TEST(ServiceStore, KillDuringARunThenRestartMarksItFailed) {
  TempDir store;
  std::string run_id;
  {
    ServerProcess server(store.path());
    const Client client(client_options(server));
    run_id = start_run(client, sleeping_spec(60), upload_demo(client), 1);
    wait_for_status(client, run_id, v1::RUN_STATUS_RUNNING);
    // Once the store says RUNNING too (it is written right after the state changes).
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    v1::RunRecord on_disk;
    while (std::chrono::steady_clock::now() < give_up &&
           (!on_disk.ParseFromString(read_text(store.path() + "/runs/" + run_id + ".pb")) ||
            on_disk.status() != v1::RUN_STATUS_RUNNING)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(on_disk.status(), v1::RUN_STATUS_RUNNING);
    server.kill_hard();
  }
  v1::RunRecord on_disk;
  ASSERT_TRUE(on_disk.ParseFromString(read_text(store.path() + "/runs/" + run_id + ".pb")));
  EXPECT_EQ(on_disk.status(), v1::RUN_STATUS_RUNNING) << "the killed server could not finish the record";

  ServerProcess server(store.path());
  const Client client(client_options(server));
  std::vector<v1::RunEvent> events;
  const auto record = finish(client, run_id, &events);
  EXPECT_EQ(record.status(), v1::RUN_STATUS_FAILED);
  EXPECT_EQ(record.reason(), "interrupted: server stopped while running");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind(), v1::RunEvent::KIND_RUN_FINISHED);
  ASSERT_TRUE(on_disk.ParseFromString(read_text(store.path() + "/runs/" + run_id + ".pb")));
  EXPECT_EQ(on_disk.status(), v1::RUN_STATUS_FAILED) << "written back to the store";
}

TEST(ServiceStore, SigtermCancelsRunsAndExitsCleanly) {
  TempDir store;
  std::string running, queued;
  {
    ServerProcess server(store.path(), {"--max-concurrent-runs", "1", "--shutdown-grace-seconds", "0.3"});
    const Client client(client_options(server));
    const std::string dataset_id = upload_demo(client);
    running = start_run(client, sleeping_spec(60), dataset_id, 1);
    queued = start_run(client, sleeping_spec(60), dataset_id, 1);
    wait_for_status(client, running, v1::RUN_STATUS_RUNNING);
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(server.terminate(), 0) << server.log();
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  }
  ServerProcess server(store.path());
  const Client client(client_options(server));
  v1::RunRecord record;
  ASSERT_TRUE(client.get_run(running, record).ok());
  EXPECT_EQ(record.status(), v1::RUN_STATUS_CANCELLED);
  EXPECT_EQ(record.reason(), "cancelled: server stopped while running");
  ASSERT_TRUE(client.get_run(queued, record).ok());
  EXPECT_EQ(record.status(), v1::RUN_STATUS_CANCELLED);
  EXPECT_EQ(record.reason(), "cancelled: server stopped before the run started");
}

// Each bad request gets its precise code and message; the server keeps serving.
class ServiceBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(token_dir_.file("token"), "s3cret-token\n");
    server_ = std::make_unique<ServerProcess>(
        store_.path(), std::vector<std::string>{"--token-file", token_dir_.file("token"), "--max-message-bytes",
                                                std::to_string(1 << 20)});
    auto options = client_options(*server_);
    options.token = "s3cret-token";
    client_ = std::make_unique<Client>(options);
    dataset_id_ = upload_demo(*client_);
  }
  void TearDown() override {
    if (!client_) return;  // SetUp failed and said why
    // Still serving: a good call succeeds after every bad one.
    v1::ListPluginsResponse plugins;
    EXPECT_TRUE(client_->list_plugins(plugins).ok());
    EXPECT_GT(plugins.plugins_size(), 0);
  }
  grpc::Status run(const std::string& spec_json, const std::string& dataset_id) {
    v1::RunPipelineRequest request;
    request.set_spec_json(spec_json);
    request.set_dataset_id(dataset_id);
    v1::RunPipelineResponse response;
    return client_->run_pipeline(request, response);
  }
  TempDir store_, token_dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Client> client_;
  std::string dataset_id_;
};

TEST_F(ServiceBadInput, MalformedSpec) {
  auto status = run(R"({"name": "x", "steps": [{"id": "a", "plugin": )", dataset_id_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("spec_json", 0), 0u) << status.error_message();
  status = run(R"({"name": "x", "stepz": []})", dataset_id_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("stepz"), std::string::npos) << status.error_message();
}

TEST_F(ServiceBadInput, UnknownPlugin) {
  auto status = run(R"({"name": "x", "steps": [{"id": "a", "plugin": "clustering.leidn"}]})", dataset_id_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("step 'a': unknown plugin 'clustering.leidn'"), std::string::npos)
      << status.error_message();
}

TEST_F(ServiceBadInput, ParameterOutOfRange) {
  auto status = run(
      R"({"name": "x", "steps": [{"id": "bre", "plugin": "clustering.igraph_leiden", "params": {"resolution": -1}}]})",
      dataset_id_);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("'resolution'"), std::string::npos) << status.error_message();
  EXPECT_NE(status.error_message().find("-1"), std::string::npos) << status.error_message();
}

TEST_F(ServiceBadInput, UnknownDatasetId) {
  const std::string missing(64, 'a');
  auto status = run(sleeping_spec(0), missing);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "dataset_id: no dataset '" + missing + "' in the store; upload it with PutDataset");
  status = run(sleeping_spec(0), "../../etc/passwd");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceBadInput, ChunkStreamWithWrongChecksum) {
  std::string bytes = demo_dataset_bytes();
  const std::string good = service::sha256_hex(bytes);
  bytes[bytes.size() / 2] ^= 1;  // one bit flipped in transit
  v1::PutDatasetResponse response;
  auto status = client_->put_dataset(bytes, good, 64 << 10, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_NE(status.error_message().find("hash to " + service::sha256_hex(bytes) + ", the last chunk declared " + good),
            std::string::npos)
      << status.error_message();
  status = client_->put_dataset(demo_dataset_bytes(), "", 64 << 10, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // A checksum that matches bytes that are not a dataset.
  status = client_->put_dataset("not a dataset", service::sha256_hex("not a dataset"), 64, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "dataset: the chunk data is not a binary bre.v1.Dataset");
}

TEST_F(ServiceBadInput, OversizedMessage) {
  // One chunk of 2 MiB against --max-message-bytes 1 MiB.
  const std::string bytes = demo_dataset_bytes() + std::string(2 << 20, static_cast<char>(0xff));
  v1::PutDatasetResponse response;
  auto status = client_->put_dataset(bytes, service::sha256_hex(bytes), bytes.size(), response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("larger than max"), std::string::npos) << status.error_message();
  // The same in small chunks is received whole, then rejected as a dataset.
  status = client_->put_dataset(bytes, service::sha256_hex(bytes), 256 << 10, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
}

TEST_F(ServiceBadInput, MissingOrWrongToken) {
  auto options = client_options(*server_);
  const Client anonymous(options);
  v1::ListPluginsResponse plugins;
  auto status = anonymous.list_plugins(plugins);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "missing credentials: expected the metadata 'authorization: Bearer <token>'");
  options.token = "s3cret-tokem";
  const Client wrong(options);
  status = wrong.list_plugins(plugins);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "authorization: the token is not valid for this server");
  v1::RunRecord record;
  EXPECT_EQ(wrong.get_run("run-x", record).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  const std::string bytes = demo_dataset_bytes();
  v1::PutDatasetResponse put;
  EXPECT_EQ(wrong.put_dataset(bytes, service::sha256_hex(bytes), 1 << 16, put).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceBadInput, UnknownRun) {
  v1::RunRecord record;
  auto status = client_->get_run("run-0000", record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "run_id: no run 'run-0000'");
  status = client_->watch_run("run-0000", [](const v1::RunEvent&) {});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST(ServiceSecurity, TlsServerRefusesPlainTextClients) {
  if (!std::filesystem::exists("/usr/bin/openssl")) GTEST_SKIP() << "/usr/bin/openssl is not installed";
  TempDir keys, store;
  // A throwaway self-signed certificate for 127.0.0.1.
  const auto made = run_process("/usr/bin/openssl",
                                {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                                 "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", keys.file("key.pem"),
                                 "-out", keys.file("cert.pem")});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  write_text(keys.file("token"), "tls-token");
  ServerProcess server(store.path(), {"--tls-cert", keys.file("cert.pem"), "--tls-key", keys.file("key.pem"),
                                      "--token-file", keys.file("token")});
  ClientOptions options = client_options(server);
  options.token = "tls-token";
  v1::ListPluginsResponse plugins;
  {
    const Client plain(options);  // no CA: plain text
    const auto status = plain.list_plugins(plugins);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  }
  options.tls_ca_pem = read_text(keys.file("cert.pem"));
  const Client secure(options);
  const auto status = secure.list_plugins(plugins);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_GT(plugins.plugins_size(), 0);
  // The CLI over TLS.
  const auto cli = run_bre({"remote", "plugins", "--server", server.target(), "--tls-ca", keys.file("cert.pem"),
                            "--token-file", keys.file("token")});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
}

TEST(ServiceSecurity, NonLoopbackNeedsTlsAndAToken) {
  TempDir store;
  const auto result = run_process(std::string(BRE_TEST_BIN_DIR) + "/bre-server",
                                  {"--listen", "0.0.0.0:0", "--store", store.path()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--listen 0.0.0.0:0: not a loopback address; serving it needs TLS and a token (missing "
                            "--tls-cert and --tls-key and --token-file)"),
            std::string::npos)
      << result.err;
  write_text(store.file("token"), "t");
  const auto no_tls = run_process(std::string(BRE_TEST_BIN_DIR) + "/bre-server",
                                  {"--listen", "[::]:0", "--store", store.path(), "--token-file", store.file("token")});
  EXPECT_EQ(no_tls.exit_code, 2);
  EXPECT_NE(no_tls.err.find("(missing --tls-cert and --tls-key)"), std::string::npos) << no_tls.err;
}

// `--port 50777` was guessed to be `--port-file 50777`: the server wrote its port to a
// file named 50777 and listened on 50051. A flag is now its whole name.
TEST(ServiceSecurity, AnAbbreviatedFlagIsRefusedNotGuessed) {
  TempDir store;
  const auto result = run_process(std::string(BRE_TEST_BIN_DIR) + "/bre-server",
                                  {"--port", "0", "--store", store.path()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unrecognised option '--port'"), std::string::npos) << result.err;
}

// Third-party plugins that crash, abort, hang or allocate without bound, on a server
// with its default isolation (plugins not built in run in child processes): each fails
// its own run with the cause named, and the server serves the next request.
TEST(ServiceIsolation, MisbehavingPluginsFailTheirRunsAndTheServerServesTheNext) {
  let_children_die_of_signals();
  TempDir store;
  // The host's time cap is generous, so that the allocating plugin reaches its memory
  // limit first even in a sanitizer build; the hanging plugin's step asks for 1 s.
  ServerProcess server(store.path(), {"--plugin-dir", std::string(BRE_TEST_BAD_PLUGIN_DIR) + "/misbehaving",
                                      "--step-time-limit", "60", "--step-memory-limit", "256"});
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  struct Case {
    std::string plugin, step_options, reason;
  };
  const std::vector<Case> cases = {
      {"test.crashing", "", "step 'bad': test.crashing: the plugin process was killed by signal 11 (SIGSEGV, "
                            "Segmentation fault)"},
      {"test.aborting", "", "step 'bad': test.aborting: the plugin process was killed by signal 6 (SIGABRT, Aborted)"},
      {"test.hanging", R"(, "time_limit_seconds": 1)",
       "step 'bad': test.hanging: exceeded its time limit of 1 s; the plugin process was killed"},
      {"test.allocating", "", "step 'bad': test.allocating: exceeded its memory limit of 256 MiB"},
  };
  for (const auto& [plugin, step_options, reason] : cases) {
    const std::string run_id = start_run(
        client, R"({"name": "bad", "steps": [{"id": "bad", "plugin": ")" + plugin + "\"" + step_options + "}]}",
        dataset_id, 1);
    const auto record = finish(client, run_id);
    EXPECT_EQ(record.status(), v1::RUN_STATUS_FAILED) << plugin;
    EXPECT_EQ(record.reason().substr(0, reason.size()), reason) << record.reason();
    grpc::Status health;
    EXPECT_EQ(health_check(grpc::CreateChannel(server.target(), grpc::InsecureChannelCredentials()), health),
              std::string("\x08\x01", 2))
        << "the server answers after " << plugin;
  }
  // A plugin that writes to the dataset and to standard output: contained, the run succeeds.
  const auto contained = finish(client, start_run(client, R"({"name": "w", "steps": [
      {"id": "bad", "plugin": "test.writing_outside"}]})", dataset_id, 1));
  EXPECT_EQ(contained.status(), v1::RUN_STATUS_SUCCEEDED) << contained.reason();
  // The stored dataset is untouched: the standard pipeline on it gives the CLI's bytes.
  const auto standard = finish(client, start_run(client, read_text(kStandardPipeline), dataset_id, 7));
  ASSERT_EQ(standard.status(), v1::RUN_STATUS_SUCCEEDED) << standard.reason();
  EXPECT_EQ(to_binary(standard.result()), cli_run_pb(7));
}

}  // namespace
}  // namespace bre::test
