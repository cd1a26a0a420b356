// bre-server stays bounded under any client: its store under the retention policy and
// the delete calls, its memory with many stored runs, its threads under clients that
// open streams and never read them, its connections under clients that never speak,
// its queue, its uploads and the events it keeps per run. Each test runs a real
// server on loopback.
#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "../framework/test_support.hpp"
#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/service/client.hpp"
#include "bre/service/store.hpp"
#include "server_process.hpp"
#include "service_helpers.hpp"

namespace bre::test {
namespace {

using service::Client;
namespace fs = std::filesystem;

std::size_t files_in(const std::string& directory) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator(directory)) count += entry.path().extension() == ".pb";
  return count;
}

// Polls until `directory` holds `wanted` .pb files (retention runs on the server's
// housekeeping thread, right after a run finished), or 20 s passed.
void wait_for_files(const std::string& directory, std::size_t wanted) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (files_in(directory) != wanted && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(files_in(directory), wanted) << directory;
}

// Polls until the record on disk has `wanted` (a finished run's record is written right
// after its last event went out), or 20 s passed.
void wait_for_record(const std::string& path, v1::RunStatus wanted) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  v1::RunRecord on_disk;
  while ((!on_disk.ParseFromString(read_text(path)) || on_disk.status() != wanted) &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(on_disk.status(), wanted) << path;
}

grpc::StatusCode get_code(const Client& client, const std::string& run_id) {
  v1::RunRecord record;
  return client.get_run(run_id, record).error_code();
}

// `steps` steps of the sleeping plugin without sleep, each reporting `reports`
// progress events of `total` (0: of `reports`).
std::string progress_spec(int steps, int reports, int total) {
  std::string spec = R"({"name": "progress", "steps": [)";
  for (int i = 0; i < steps; ++i) {
    spec += std::string(i ? "," : "") + R"({"id": "s)" + std::to_string(i) +
            R"(", "plugin": "test.sleeping", "params": {"seconds": 0, "progress_reports": )" + std::to_string(reports) +
            R"(, "progress_total": )" + std::to_string(total) + "}}";
  }
  return spec + "]}";
}

// The demo dataset renamed: another dataset (another id) of the same size.
std::string other_dataset_bytes() {
  auto dataset = demo::generate();
  dataset.set_name(dataset.name() + " (copy)");
  return to_binary(dataset);
}

std::string upload(const Client& client, const std::string& bytes, grpc::Status* status_out = nullptr) {
  v1::PutDatasetResponse response;
  const auto status = client.put_dataset(bytes, service::sha256_hex(bytes), 64 << 10, response);
  if (status_out != nullptr) *status_out = status;
  return response.dataset_id();
}

TEST(ServiceRetention, RetainRunsKeepsTheNewestFinishedRunsAndNeverARunningOne) {
  TempDir store;
  ServerProcess server(store.path(), {"--retain-runs", "2"});
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  const std::string running = start_sleeping_run(client, dataset_id);
  std::vector<std::string> quick;
  for (int i = 0; i < 4; ++i) {
    quick.push_back(start_run(client, sleeping_spec(0), dataset_id, 1));
    EXPECT_EQ(finish(client, quick.back()).status(), v1::RUN_STATUS_SUCCEEDED);
  }
  // Two finished runs and the running one.
  wait_for_files(store.path() + "/runs", 3);
  EXPECT_EQ(get_code(client, quick[0]), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(get_code(client, quick[1]), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(get_code(client, quick[2]), grpc::StatusCode::OK);
  EXPECT_EQ(get_code(client, quick[3]), grpc::StatusCode::OK);
  v1::RunRecord record;
  ASSERT_TRUE(client.get_run(running, record).ok());
  EXPECT_EQ(record.status(), v1::RUN_STATUS_RUNNING) << "a running run is never removed";
  EXPECT_TRUE(fs::exists(store.path() + "/datasets/" + dataset_id + ".pb"));

  // Once it finished it is the newest: the oldest finished run goes instead.
  v1::CancelRunResponse cancelled;
  ASSERT_TRUE(client.cancel_run(running, cancelled).ok());
  EXPECT_EQ(finish(client, running).status(), v1::RUN_STATUS_CANCELLED);
  wait_for_files(store.path() + "/runs", 2);
  EXPECT_EQ(get_code(client, quick[2]), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(get_code(client, quick[3]), grpc::StatusCode::OK);
  EXPECT_EQ(get_code(client, running), grpc::StatusCode::OK);
}

TEST(ServiceRetention, StoreMaxBytesRemovesOldRunsThenIdleDatasetsNeverOnesInUse) {
  TempDir store;
  const std::string demo = demo_dataset_bytes(), other = other_dataset_bytes();
  // Room for one dataset and a few records, not for two datasets.
  const auto limit = static_cast<std::int64_t>(demo.size() * 3 / 2);
  const std::string limit_text = std::to_string(limit);
  ServerProcess server(store.path(), {"--store-max-bytes", limit_text, "--max-dataset-bytes", limit_text,
                                      "--max-upload-bytes", limit_text});
  const Client client(client_options(server));
  const std::string demo_id = upload_demo(client);
  const std::string running = start_sleeping_run(client, demo_id);

  // The demo dataset is in use: another one does not fit beside it.
  grpc::Status status;
  upload(client, other, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("dataset: " + std::to_string(other.size()) +
                                        " bytes do not fit in the store (--store-max-bytes " + limit_text),
            std::string::npos)
      << status.error_message();
  EXPECT_TRUE(fs::exists(store.path() + "/datasets/" + demo_id + ".pb")) << "a dataset in use is never removed";

  // Once the run ended, both it and the idle demo dataset make way for the new upload.
  v1::CancelRunResponse cancelled;
  ASSERT_TRUE(client.cancel_run(running, cancelled).ok());
  finish(client, running);
  const std::string other_id = upload(client, other, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  wait_for_files(store.path() + "/datasets", 1);
  EXPECT_TRUE(fs::exists(store.path() + "/datasets/" + other_id + ".pb")) << "the upload just stored stays";
  EXPECT_EQ(get_code(client, running), grpc::StatusCode::NOT_FOUND) << "runs go before datasets";
  v1::RunPipelineRequest request;
  request.set_spec_json(sleeping_spec(0));
  request.set_dataset_id(demo_id);
  v1::RunPipelineResponse response;
  EXPECT_EQ(client.run_pipeline(request, response).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(finish(client, start_run(client, sleeping_spec(0), other_id, 1)).status(), v1::RUN_STATUS_SUCCEEDED);
}

TEST(ServiceDelete, DeleteRunAndDatasetWithTheirErrors) {
  TempDir store;
  ServerProcess server(store.path());
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  const std::string running = start_sleeping_run(client, dataset_id);

  v1::DeleteRunResponse deleted_run;
  auto status = client.delete_run("run-nope", deleted_run);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(), "run_id: no run 'run-nope'");
  status = client.delete_run(running, deleted_run);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(),
            "run_id: run " + running + " is RUNNING; cancel it (CancelRun) and delete it once it finished");
  v1::DeleteDatasetResponse deleted_dataset;
  status = client.delete_dataset(dataset_id, deleted_dataset);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "dataset_id: dataset " + dataset_id + " is used by run " + running +
                                        " (RUNNING); delete it once that run finished");
  status = client.delete_dataset(std::string(64, 'a'), deleted_dataset);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(client.delete_dataset("../x", deleted_dataset).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::CancelRunResponse cancelled;
  ASSERT_TRUE(client.cancel_run(running, cancelled).ok());
  finish(client, running);
  const std::string record_path = store.path() + "/runs/" + running + ".pb";
  wait_for_record(record_path, v1::RUN_STATUS_CANCELLED);
  const auto record_bytes = fs::file_size(record_path);
  const auto cli = run_bre({"remote", "delete-run", running, "--server", server.target()});
  EXPECT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_EQ(cli.out, running + ": deleted (" + std::to_string(record_bytes) + " bytes)\n");
  EXPECT_FALSE(fs::exists(record_path));
  EXPECT_EQ(get_code(client, running), grpc::StatusCode::NOT_FOUND);
  const auto again = run_bre({"remote", "delete-run", running, "--server", server.target()});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("NOT_FOUND: run_id: no run '" + running + "'"), std::string::npos) << again.err;

  const std::string dataset_path = store.path() + "/datasets/" + dataset_id + ".pb";
  const auto dataset_bytes = static_cast<std::int64_t>(fs::file_size(dataset_path));
  ASSERT_TRUE(client.delete_dataset(dataset_id, deleted_dataset).ok());
  EXPECT_EQ(deleted_dataset.freed_bytes(), dataset_bytes);
  EXPECT_FALSE(fs::exists(dataset_path));
  v1::RunPipelineRequest request;
  request.set_spec_json(sleeping_spec(0));
  request.set_dataset_id(dataset_id);
  v1::RunPipelineResponse response;
  EXPECT_EQ(client.run_pipeline(request, response).error_code(), grpc::StatusCode::NOT_FOUND);
  const auto cli_dataset = run_bre({"remote", "delete-dataset", dataset_id, "--server", server.target()});
  EXPECT_EQ(cli_dataset.exit_code, 2);
  EXPECT_NE(cli_dataset.err.find("NOT_FOUND: dataset_id: no dataset '" + dataset_id + "'"), std::string::npos)
      << cli_dataset.err;
  // Uploading it again brings it back under the same id.
  EXPECT_EQ(upload_demo(client), dataset_id);
}

// 40 stored runs of 6 MiB each: a server that read them whole would hold 240 MiB more
// than one on an empty store; with only the index it holds a few hundred bytes each.
TEST(ServiceStore, RestartReadsOnlyTheIndexOfStoredRuns) {
  constexpr int kRuns = 40;
  constexpr std::size_t kResultBytes = 6 << 20;
  TempDir empty, store;
  long baseline_kib = 0;
  {
    ServerProcess server(empty.path());
    baseline_kib = proc_status_value(server.pid(), "VmRSS");
  }
  std::string last_id;
  {
    auto opened = service::Store::open(store.path());
    ASSERT_TRUE(opened) << opened.status().message();
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (int i = 0; i < kRuns; ++i) {
      v1::RunRecord record;
      last_id = "run-stored-" + std::to_string(i);
      record.set_run_id(last_id);
      record.set_status(v1::RUN_STATUS_SUCCEEDED);
      record.set_dataset_id(std::string(64, 'a'));
      record.set_queued_unix_ms(now_ms);
      record.set_finished_unix_ms(now_ms);
      record.mutable_spec()->set_name("stored");
      auto* step = record.mutable_result()->add_steps();
      step->set_step_id("big");
      step->set_error(std::string(kResultBytes, static_cast<char>('a' + i % 26)));
      record.add_events()->set_kind(v1::RunEvent::KIND_RUN_FINISHED);
      ASSERT_TRUE((*opened)->save_run(record));
    }
  }
  ServerProcess server(store.path());
  const long loaded_kib = proc_status_value(server.pid(), "VmRSS");
  ASSERT_GT(baseline_kib, 0);
  EXPECT_LT(loaded_kib - baseline_kib, 64 * 1024)
      << "RSS " << loaded_kib << " kB with " << kRuns << " stored runs, " << baseline_kib << " kB without";
  // Each record is still served whole, from disk.
  const Client client(client_options(server));
  v1::RunRecord record;
  ASSERT_TRUE(client.get_run(last_id, record).ok());
  ASSERT_EQ(record.result().steps_size(), 1);
  EXPECT_EQ(record.result().steps(0).error().size(), kResultBytes);
  EXPECT_EQ(record.spec().name(), "stored");
  std::vector<v1::RunEvent> events;
  ASSERT_TRUE(client.watch_run(last_id, [&](const v1::RunEvent& event) { events.push_back(event); }).ok());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind(), v1::RunEvent::KIND_RUN_FINISHED);
}

TEST(ServiceLimits, ProgressEventsPerRunAreBounded) {
  TempDir store;
  ServerProcess server(store.path(), {"--max-events-per-run", "500"});
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  // A plugin that counts past its total: 5000 reports of "n done of 1".
  std::vector<v1::RunEvent> events;
  auto record = finish(client, start_run(client, progress_spec(1, 5000, 1), dataset_id, 1), &events);
  ASSERT_EQ(record.status(), v1::RUN_STATUS_SUCCEEDED) << record.reason();
  EXPECT_LE(events.size(), 2u + 2u + 11u + 1u) << "one progress event per tenth, whatever done and total are";
  EXPECT_EQ(record.events_size(), static_cast<int>(events.size()));

  // 60 steps of ten tenths each would make 600 progress events: the run keeps 500
  // events in all, and every step and run event beyond them.
  events.clear();
  record = finish(client, start_run(client, progress_spec(60, 10, 0), dataset_id, 1), &events);
  ASSERT_EQ(record.status(), v1::RUN_STATUS_SUCCEEDED) << record.reason();
  int progress = 0, succeeded = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].sequence(), static_cast<std::int64_t>(i));
    progress += events[i].kind() == v1::RunEvent::KIND_STEP_PROGRESS;
    succeeded += events[i].kind() == v1::RunEvent::KIND_STEP_SUCCEEDED;
  }
  EXPECT_EQ(succeeded, 60);
  EXPECT_LT(progress, 500);
  EXPECT_LE(events.size(), 500u + 2u * 60u + 3u);
  EXPECT_EQ(events.back().kind(), v1::RunEvent::KIND_RUN_FINISHED);
}

TEST(ServiceLimits, TheRunQueueIsBounded) {
  TempDir store;
  ServerProcess server(store.path(), {"--max-concurrent-runs", "1", "--max-queued-runs", "2"});
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  start_sleeping_run(client, dataset_id);
  const std::string queued = start_run(client, sleeping_spec(60), dataset_id, 1);
  start_run(client, sleeping_spec(60), dataset_id, 1);
  v1::RunPipelineRequest request;
  request.set_spec_json(sleeping_spec(0));
  request.set_dataset_id(dataset_id);
  v1::RunPipelineResponse response;
  auto status = client.run_pipeline(request, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(),
            "RunPipeline: 2 runs are waiting already (--max-queued-runs); try again when one has started");
  EXPECT_EQ(files_in(store.path() + "/runs"), 3u) << "a refused run leaves no record";
  v1::CancelRunResponse cancelled;
  ASSERT_TRUE(client.cancel_run(queued, cancelled).ok());
  EXPECT_TRUE(client.run_pipeline(request, response).ok()) << "room again once one left the queue";
}

TEST(ServiceLimits, UploadsInProgressHoldBoundedBytes) {
  TempDir store;
  const std::string bytes = demo_dataset_bytes();
  const std::string limit = std::to_string(bytes.size() + bytes.size() / 2);
  ServerProcess server(store.path(), {"--max-dataset-bytes", limit, "--max-upload-bytes", limit});
  const Client client(client_options(server));
  // One upload sends its first half and waits.
  auto channel = grpc::CreateChannel(server.target(), grpc::InsecureChannelCredentials());
  auto stub = v1::BreService::NewStub(channel);
  grpc::ClientContext context;
  v1::PutDatasetResponse slow_response;
  auto writer = stub->PutDataset(&context, &slow_response);
  v1::DatasetChunk chunk;
  chunk.set_data(bytes.substr(0, bytes.size() / 2 + 1));
  ASSERT_TRUE(writer->Write(chunk));
  // Another whole upload does not fit beside it.
  grpc::Status status;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  do {  // until the server has taken the first chunk in
    upload(client, bytes, &status);
  } while (status.ok() && std::chrono::steady_clock::now() < give_up);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "dataset: the server is receiving other uploads up to its limit "
                                    "(--max-upload-bytes " + limit + "); try again later");
  // The first one completes, and then the second fits.
  chunk.set_data(bytes.substr(bytes.size() / 2 + 1));
  chunk.set_sha256(service::sha256_hex(bytes));
  ASSERT_TRUE(writer->Write(chunk));
  writer->WritesDone();
  status = writer->Finish();
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(upload(client, bytes, &status), slow_response.dataset_id());
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST(ServiceLimits, ASpecLargerThanTheMessageLimitIsRefused) {
  TempDir store;
  ServerProcess server(store.path(), {"--max-message-bytes", std::to_string(1 << 20)});
  const Client client(client_options(server));
  v1::RunPipelineRequest request;
  request.set_spec_json(R"({"name": ")" + std::string(2 << 20, 'x') + R"(", "steps": []})");
  request.set_dataset_id(std::string(64, 'a'));
  v1::RunPipelineResponse response;
  const auto status = client.run_pipeline(request, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("larger than max"), std::string::npos) << status.error_message();
}

// WatchRun calls that are started and never read, over channels of their own
// connections, on one completion queue.
class NeverReadingWatchers {
 public:
  NeverReadingWatchers(const std::string& target, const std::string& run_id, int channels, int per_channel) {
    v1::WatchRunRequest request;
    request.set_run_id(run_id);
    for (int c = 0; c < channels; ++c) {
      grpc::ChannelArguments arguments;
      arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // a connection per channel
      auto stub = v1::BreService::NewStub(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), arguments));
      for (int i = 0; i < per_channel; ++i) {
        auto call = std::make_unique<Call>();
        call->reader = stub->PrepareAsyncWatchRun(&call->context, request, &queue_);
        call->reader->StartCall(tag(calls_.size(), false));
        call->reader->Finish(&call->status, tag(calls_.size(), true));
        calls_.push_back(std::move(call));
      }
      stubs_.push_back(std::move(stub));
    }
  }
  ~NeverReadingWatchers() {
    for (auto& call : calls_) call->context.TryCancel();
    void* got = nullptr;
    bool ok = false;
    const auto give_up = std::chrono::system_clock::now() + std::chrono::seconds(30);
    while (pending_ > 0 && queue_.AsyncNext(&got, &ok, give_up) == grpc::CompletionQueue::GOT_EVENT) --pending_;
    queue_.Shutdown();
    while (queue_.Next(&got, &ok)) {
    }
  }
  // Waits (up to `seconds`) until `wanted` calls have ended with RESOURCE_EXHAUSTED;
  // returns how many did, and one of their messages.
  int wait_for_refusals(int wanted, double seconds, std::string& message) {
    const auto give_up = std::chrono::system_clock::now() + std::chrono::milliseconds(static_cast<int>(seconds * 1000));
    void* got = nullptr;
    bool ok = false;
    while (refused_ < wanted && queue_.AsyncNext(&got, &ok, give_up) == grpc::CompletionQueue::GOT_EVENT) {
      --pending_;
      const auto value = reinterpret_cast<std::uintptr_t>(got);
      if ((value & 1) == 0) continue;  // a start
      const auto& status = calls_[value >> 1]->status;
      if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        ++refused_;
        if (status.error_message().find("--max-streams") != std::string::npos) message = status.error_message();
      }
    }
    return refused_;
  }
  int size() const { return static_cast<int>(calls_.size()); }

 private:
  struct Call {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientAsyncReader<v1::RunEvent>> reader;
    grpc::Status status;
  };
  void* tag(std::size_t index, bool finish) {
    ++pending_;
    return reinterpret_cast<void*>((index << 1) | (finish ? 1 : 0));
  }
  grpc::CompletionQueue queue_;
  std::vector<std::unique_ptr<v1::BreService::Stub>> stubs_;
  std::vector<std::unique_ptr<Call>> calls_;
  int pending_ = 0;
  int refused_ = 0;
};

TEST(ServiceLimits, NeverReadingWatchersCannotPinTheServer) {
  TempDir store;
  ServerProcess server(store.path(), {"--max-streams", "32", "--max-streams-per-client", "16"});
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  const std::string watched = start_sleeping_run(client, dataset_id, 120);
  const long threads_before = proc_status_value(server.pid(), "Threads");
  const long rss_before = proc_status_value(server.pid(), "VmRSS");
  {
    NeverReadingWatchers watchers(server.target(), watched, 20, 50);
    std::string message;
    // All from 127.0.0.1: 16 are served, the rest refused at once.
    const int refused = watchers.wait_for_refusals(watchers.size() - 16, 60, message);
    EXPECT_EQ(refused, watchers.size() - 16);
    EXPECT_EQ(message, "WatchRun: client 127.0.0.1 has 16 streams open, the most one client may "
                       "(--max-streams-per-client); close one first");
    const long threads = proc_status_value(server.pid(), "Threads");
    const long rss = proc_status_value(server.pid(), "VmRSS");
    // Generous: the stream limit plus gRPC's share beside streams, far below a thread per call.
    EXPECT_LT(threads - threads_before, 32 + 64) << threads << " threads, " << threads_before << " before";
    EXPECT_LT(rss - rss_before, 512 * 1024) << rss << " kB, " << rss_before << " kB before";
    // The server still serves: a run (followed by GetRun, as the watch slots are taken).
    const auto started = std::chrono::steady_clock::now();
    const std::string trivial = start_run(client, sleeping_spec(0), dataset_id, 1);
    wait_for_status(client, trivial, v1::RUN_STATUS_SUCCEEDED);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  }
  // The watchers are gone and so are their slots: a watch succeeds again.
  const std::string after = start_run(client, sleeping_spec(0), dataset_id, 1);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  grpc::Status status;
  do {
    status = client.watch_run(after, [](const v1::RunEvent&) {});
  } while (!status.ok() && std::chrono::steady_clock::now() < give_up);
  EXPECT_TRUE(status.ok()) << status.error_message();
  v1::CancelRunResponse cancelled;
  EXPECT_TRUE(client.cancel_run(watched, cancelled).ok());
}

TEST(ServiceLimits, ConnectionsThatNeverHandshakeAreClosed) {
  constexpr int kConnections = 200;
  TempDir store;
  ServerProcess server(store.path(), {"--handshake-timeout-seconds", "1"});
  std::vector<pollfd> sockets;
  for (int i = 0; i < kConnections; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(server.port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    sockets.push_back({fd, POLLIN, 0});
  }
  // Each must see the server close it (end of file, or a reset), sending nothing ourselves.
  int closed = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (closed < kConnections && std::chrono::steady_clock::now() < give_up) {
    ::poll(sockets.data(), sockets.size(), 100);
    for (auto& socket : sockets) {
      if (socket.fd < 0 || socket.revents == 0) continue;
      char buffer[256];
      const ssize_t n = ::recv(socket.fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) continue;  // the server's HTTP/2 settings; the close comes later
      ::close(socket.fd);
      socket.fd = -1;
      ++closed;
    }
  }
  for (auto& socket : sockets) {
    if (socket.fd >= 0) ::close(socket.fd);
  }
  EXPECT_EQ(closed, kConnections);
  const Client client(client_options(server));
  v1::ListPluginsResponse plugins;
  EXPECT_TRUE(client.list_plugins(plugins).ok());
}

TEST(ServiceLimits, AStalledWatcherIsCancelledAndResumesFromItsSequence) {
  TempDir store;
  ServerProcess server(store.path(), {"--watch-stall-seconds", "1"});
  const Client client(client_options(server));
  const std::string dataset_id = upload_demo(client);
  const std::string run_id = start_run(client, progress_spec(60, 10, 0), dataset_id, 1);
  std::vector<v1::RunEvent> all;
  ASSERT_EQ(finish(client, run_id, &all).status(), v1::RUN_STATUS_SUCCEEDED);
  ASSERT_GT(all.size(), 600u);

  // A client whose window holds a few events and who then stops reading.
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  arguments.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 1024);
  auto stub = v1::BreService::NewStub(
      grpc::CreateCustomChannel(server.target(), grpc::InsecureChannelCredentials(), arguments));
  grpc::ClientContext context;
  v1::WatchRunRequest request;
  request.set_run_id(run_id);
  auto reader = stub->WatchRun(&context, request);
  std::this_thread::sleep_for(std::chrono::seconds(4));
  std::vector<v1::RunEvent> received;
  v1::RunEvent event;
  while (reader->Read(&event)) received.push_back(event);
  const auto status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::CANCELLED) << status.error_message();
  EXPECT_LT(received.size(), all.size());
  EXPECT_NE(server.log().find("took no event for 1000 ms"), std::string::npos);

  // It resumes where it stopped and has the whole history.
  ASSERT_TRUE(client
                  .watch_run(run_id, [&](const v1::RunEvent& e) { received.push_back(e); },
                             static_cast<std::int64_t>(received.size()))
                  .ok());
  ASSERT_EQ(received.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(to_binary(received[i]), to_binary(all[i])) << i;
  request.set_from_sequence(-1);
  grpc::ClientContext bad_context;
  auto bad = stub->WatchRun(&bad_context, request);
  while (bad->Read(&event)) {
  }
  const auto bad_status = bad->Finish();
  EXPECT_EQ(bad_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad_status.error_message(), "from_sequence: expected 0 or more, found -1");
}

}  // namespace
}  // namespace bre::test
