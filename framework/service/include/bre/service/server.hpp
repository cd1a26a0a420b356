// The bre.v1.BreService methods, and the rules bre-server applies before it listens.
// The methods only check, submit and read: pipelines run on the RunManager's threads,
// never on gRPC's.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <optional>
#include <mutex>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "bre/host.hpp"
#include "bre/service/run_manager.hpp"
#include "bre/service/store.hpp"
#include "bre/status.hpp"
#include "bre/v1/service.grpc.pb.h"

namespace bre::service {

/// The gRPC status for a bre::Status: InvalidArgument, NotFound, FailedPrecondition,
/// Cancelled and Internal map to the codes of the same name, with the same message.
grpc::Status to_grpc_status(const Status& status);

/// GetRunChunks: the size of a chunk's data when the request asks for none, and the
/// range a request may ask for (the upper end keeps a chunk under gRPC's default 4 MiB
/// message limit, the lower one bounds the per-message overhead a client can cause).
constexpr int kDefaultRunChunkBytes = 1 << 20;
constexpr int kMinRunChunkBytes = 1 << 10;
constexpr int kMaxRunChunkBytes = 3 << 20;

struct ServiceOptions {
  std::string token;                              // empty: no authentication
  std::int64_t max_dataset_bytes = 1LL << 30;     // total of one PutDataset stream
  // All PutDataset streams together hold at most this many received bytes; an upload
  // that would pass it fails with RESOURCE_EXHAUSTED (--max-upload-bytes).
  std::int64_t max_upload_bytes = 1LL << 30;
  // WatchRun and PutDataset streams open at once, in all and per client address, and
  // GetRunChunks streams the same again (--max-streams, --max-streams-per-client). Each
  // holds a gRPC thread.
  int max_streams = 128;
  int max_streams_per_client = 64;
  // A WatchRun or GetRunChunks whose client has taken no message for this long (its
  // flow-control window is full) is cancelled, releasing its thread (--watch-stall-seconds).
  std::chrono::milliseconds watch_stall{60000};
};

/// The client part of a gRPC peer string: "ipv4:10.0.0.1:5000" -> "10.0.0.1",
/// "ipv6:[::1]:5000" (or "ipv6:%5B::1%5D:5000") -> "::1"; anything else as it is.
std::string client_address(const std::string& peer);

/// Counts the long-lived streams open at once, in all and per client, and refuses
/// one more beyond either limit. Thread-safe.
class StreamSlots {
 public:
  /// Releases its slot when destroyed.
  class Slot {
   public:
    Slot(Slot&& other) noexcept : owner_(other.owner_), client_(std::move(other.client_)) { other.owner_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot();

   private:
    friend class StreamSlots;
    Slot(StreamSlots* owner, std::string client) : owner_(owner), client_(std::move(client)) {}
    StreamSlots* owner_;
    std::string client_;
  };

  StreamSlots(int max_total, int max_per_client) : max_total_(max_total), max_per_client_(max_per_client) {}
  /// A slot for one more stream of `method` from `client`, or ResourceExhausted with
  /// a message naming the limit's flag.
  Expected<Slot> acquire(const std::string& method, const std::string& client);
  int open() const;

 private:
  void release(const std::string& client);
  const int max_total_;
  const int max_per_client_;
  mutable std::mutex mutex_;
  int total_ = 0;
  std::map<std::string, int> per_client_;
};

/// Channel arguments that bound what connections may hold on to: how long a client may
/// take to complete its handshake (a TCP connection that never speaks HTTP/2 is closed
/// then), how long a connection without calls stays open, keepalive pings that find
/// dead peers, streams per connection, and gRPC's own threads and buffer memory.
struct ConnectionLimits {
  double handshake_timeout_seconds = 10;   // --handshake-timeout-seconds
  double idle_timeout_seconds = 300;       // --idle-timeout-seconds: no call for this long, GOAWAY
  double keepalive_seconds = 60;           // --keepalive-seconds: ping a connection with calls this often
  double keepalive_timeout_seconds = 20;   // unanswered for this long, the connection is closed
  int max_streams_per_connection = 100;    // HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS
  int max_threads = 192;                   // gRPC's request threads (quota); derived from --max-streams
  std::int64_t memory_bytes = 1LL << 30;   // gRPC's buffers (--grpc-memory-bytes)
};

/// Sets `limits` on the builder (channel arguments and a grpc::ResourceQuota).
void apply_connection_limits(grpc::ServerBuilder& builder, const ConnectionLimits& limits);

class BreServiceImpl final : public v1::BreService::Service {
 public:
  /// `host`, `store` and `runs` must outlive the service.
  BreServiceImpl(const PluginHost& host, Store& store, RunManager& runs, const ServiceOptions& options);
  ~BreServiceImpl() override;

  /// Makes WatchRun streams end (UNAVAILABLE) at their next poll, for shutdown.
  void stop_watchers() { stopping_ = true; }

  grpc::Status ListPlugins(grpc::ServerContext* context, const v1::ListPluginsRequest* request,
                           v1::ListPluginsResponse* response) override;
  grpc::Status PutDataset(grpc::ServerContext* context, grpc::ServerReader<v1::DatasetChunk>* reader,
                          v1::PutDatasetResponse* response) override;
  grpc::Status RunPipeline(grpc::ServerContext* context, const v1::RunPipelineRequest* request,
                           v1::RunPipelineResponse* response) override;
  grpc::Status WatchRun(grpc::ServerContext* context, const v1::WatchRunRequest* request,
                        grpc::ServerWriter<v1::RunEvent>* writer) override;
  grpc::Status GetRun(grpc::ServerContext* context, const v1::GetRunRequest* request,
                      v1::GetRunResponse* response) override;
  grpc::Status GetRunChunks(grpc::ServerContext* context, const v1::GetRunChunksRequest* request,
                            grpc::ServerWriter<v1::RunChunk>* writer) override;
  grpc::Status CancelRun(grpc::ServerContext* context, const v1::CancelRunRequest* request,
                         v1::CancelRunResponse* response) override;
  grpc::Status DeleteRun(grpc::ServerContext* context, const v1::DeleteRunRequest* request,
                         v1::DeleteRunResponse* response) override;
  grpc::Status DeleteDataset(grpc::ServerContext* context, const v1::DeleteDatasetRequest* request,
                             v1::DeleteDatasetResponse* response) override;
  grpc::Status ComparePartitions(grpc::ServerContext* context, const v1::ComparePartitionsRequest* request,
                                 v1::ComparePartitionsResponse* response) override;

 private:
  // UNAUTHENTICATED unless the call carries "authorization: Bearer <token>" (when a
  // token is configured). Compared in constant time.
  grpc::Status authorize(const grpc::ServerContext& context) const;
  // The partition a PartitionSource names; `field` prefixes errors ("a", "b").
  Expected<v1::Partition> resolve_partition(const v1::PartitionSource& source, const std::string& field) const;
  // Cancels the WatchRun and GetRunChunks calls whose current write has waited longer
  // than the stall time.
  void cancel_stalled_watchers();

  // A WatchRun or GetRunChunks call in progress: since when its current write waits (or nothing), and
  // whether it was cancelled for stalling.
  struct Watcher {
    std::optional<std::chrono::steady_clock::time_point> writing_since;
    bool dropped = false;
  };
  friend class WatcherRegistration;

  const PluginHost& host_;
  Store& store_;
  RunManager& runs_;
  ServiceOptions options_;
  std::atomic<bool> stopping_{false};
  StreamSlots streams_;
  // GetRunChunks has slots of its own, so watchers and uploads that fill theirs never
  // stop a client from fetching a result.
  StreamSlots result_streams_;
  std::atomic<std::int64_t> upload_bytes_{0};  // received by PutDataset streams in progress
  std::mutex watchers_mutex_;
  std::condition_variable watchers_stop_;
  bool stop_stall_watch_ = false;
  std::map<grpc::ServerContext*, Watcher> watchers_;
  std::thread stall_watch_;
};

/// Whether the host part of a --listen address ("HOST:PORT", "[V6]:PORT") is a
/// loopback address: localhost, 127.0.0.0/8 or ::1.
bool is_loopback_address(const std::string& listen_address);

/// The rule for listening: a loopback address may be served in plain text; any other
/// address needs TLS (certificate and key) and a token. The error names the address
/// and what is missing.
Status check_listen_policy(const std::string& listen_address, bool has_tls, bool has_token);

}  // namespace bre::service
