#include "bre/service/server.hpp"

#include <openssl/crypto.h>

#include <grpcpp/resource_quota.h>

#include <chrono>

#include "bre/dataset.hpp"
#include "bre/io.hpp"
#include "bre/log.hpp"
#include "bre/pipeline.hpp"
#include "bre/compare.hpp"
#include "bre/network.hpp"
#include "bre/region_constraints.hpp"
#include <spdlog/spdlog.h>

namespace bre::service {
namespace {

constexpr std::string_view kBearer = "Bearer ";
// How often a WatchRun stream looks at its client and at shutdown while no event comes.
constexpr std::chrono::milliseconds kWatchPoll{100};

int to_milliseconds(double seconds) { return static_cast<int>(std::min(seconds * 1000.0, 2.0e9)); }

// Returns the bytes it reserved from a counter of bytes in flight when it goes.
class ReservedBytes {
 public:
  explicit ReservedBytes(std::atomic<std::int64_t>& counter) : counter_(counter) {}
  ~ReservedBytes() { counter_ -= reserved_; }
  ReservedBytes(const ReservedBytes&) = delete;
  ReservedBytes& operator=(const ReservedBytes&) = delete;
  // Reserves `bytes` more unless the counter would pass `limit`.
  bool reserve(std::int64_t bytes, std::int64_t limit) {
    if (counter_.fetch_add(bytes) + bytes > limit) {
      counter_ -= bytes;
      return false;
    }
    reserved_ += bytes;
    return true;
  }

 private:
  std::atomic<std::int64_t>& counter_;
  std::int64_t reserved_ = 0;
};

}  // namespace

// Registers a WatchRun or GetRunChunks call for the stall watch while it lives, and
// times its writes.
class WatcherRegistration {
 public:
  WatcherRegistration(BreServiceImpl& service, grpc::ServerContext* context) : service_(service), context_(context) {
    std::lock_guard lock(service_.watchers_mutex_);
    service_.watchers_[context_] = {};
  }
  ~WatcherRegistration() {
    std::lock_guard lock(service_.watchers_mutex_);
    service_.watchers_.erase(context_);
  }
  WatcherRegistration(const WatcherRegistration&) = delete;
  WatcherRegistration& operator=(const WatcherRegistration&) = delete;
  // Writes one message, visible to the stall watch while it waits; false when the call
  // ended (the client went, or the stall watch cancelled it: see dropped()).
  template <typename Message>
  bool write(grpc::ServerWriter<Message>& writer, const Message& message) {
    set_writing(std::chrono::steady_clock::now());
    const bool written = writer.Write(message);
    set_writing(std::nullopt);
    return written;
  }
  bool dropped() const {
    std::lock_guard lock(service_.watchers_mutex_);
    return service_.watchers_.at(context_).dropped;
  }

 private:
  void set_writing(std::optional<std::chrono::steady_clock::time_point> since) {
    std::lock_guard lock(service_.watchers_mutex_);
    service_.watchers_.at(context_).writing_since = since;
  }
  BreServiceImpl& service_;
  grpc::ServerContext* context_;
};

std::string client_address(const std::string& peer) {
  std::string_view rest = peer;
  for (std::string_view scheme : {"ipv4:", "ipv6:"}) {
    if (rest.substr(0, scheme.size()) != scheme) continue;
    rest.remove_prefix(scheme.size());
    for (auto [open, close] : {std::pair<std::string_view, std::string_view>{"[", "]"}, {"%5B", "%5D"}}) {
      if (rest.substr(0, open.size()) == open) {
        const auto end = rest.find(close);
        return std::string(rest.substr(open.size(), end == std::string_view::npos ? end : end - open.size()));
      }
    }
    return std::string(rest.substr(0, rest.rfind(':')));
  }
  return peer;
}

StreamSlots::Slot::~Slot() {
  if (owner_ != nullptr) owner_->release(client_);
}

Expected<StreamSlots::Slot> StreamSlots::acquire(const std::string& method, const std::string& client) {
  std::lock_guard lock(mutex_);
  auto& mine = per_client_[client];
  if (mine >= max_per_client_) {
    if (mine == 0) per_client_.erase(client);
    return resource_exhausted(method + ": client " + client + " has " + std::to_string(max_per_client_) +
                              " streams open, the most one client may (--max-streams-per-client); close one first");
  }
  if (total_ >= max_total_) {
    if (mine == 0) per_client_.erase(client);
    return resource_exhausted(method + ": the server has " + std::to_string(max_total_) +
                              " streams open, the most it serves at once (--max-streams); try again later");
  }
  ++mine;
  ++total_;
  return Slot(this, client);
}

int StreamSlots::open() const {
  std::lock_guard lock(mutex_);
  return total_;
}

void StreamSlots::release(const std::string& client) {
  std::lock_guard lock(mutex_);
  --total_;
  if (auto found = per_client_.find(client); found != per_client_.end() && --found->second == 0) {
    per_client_.erase(found);
  }
}

void apply_connection_limits(grpc::ServerBuilder& builder, const ConnectionLimits& limits) {
  builder.AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, to_milliseconds(limits.handshake_timeout_seconds));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, to_milliseconds(limits.idle_timeout_seconds));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, to_milliseconds(limits.keepalive_seconds));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, to_milliseconds(limits.keepalive_timeout_seconds));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, limits.max_streams_per_connection);
  grpc::ResourceQuota quota("bre-server");
  quota.SetMaxThreads(limits.max_threads);
  quota.Resize(static_cast<std::size_t>(limits.memory_bytes));
  builder.SetResourceQuota(quota);
}

grpc::Status to_grpc_status(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return grpc::Status::OK;
    case StatusCode::kInvalidArgument: return {grpc::StatusCode::INVALID_ARGUMENT, status.message()};
    case StatusCode::kNotFound: return {grpc::StatusCode::NOT_FOUND, status.message()};
    case StatusCode::kFailedPrecondition: return {grpc::StatusCode::FAILED_PRECONDITION, status.message()};
    case StatusCode::kCancelled: return {grpc::StatusCode::CANCELLED, status.message()};
    case StatusCode::kResourceExhausted: return {grpc::StatusCode::RESOURCE_EXHAUSTED, status.message()};
    case StatusCode::kInternal: return {grpc::StatusCode::INTERNAL, status.message()};
  }
  return {grpc::StatusCode::INTERNAL, status.message()};
}

BreServiceImpl::BreServiceImpl(const PluginHost& host, Store& store, RunManager& runs, const ServiceOptions& options)
    : host_(host),
      store_(store),
      runs_(runs),
      options_(options),
      streams_(options.max_streams, options.max_streams_per_client),
      result_streams_(options.max_streams, options.max_streams_per_client),
      stall_watch_([this] { cancel_stalled_watchers(); }) {}

BreServiceImpl::~BreServiceImpl() {
  {
    std::lock_guard lock(watchers_mutex_);
    stop_stall_watch_ = true;
  }
  watchers_stop_.notify_all();
  stall_watch_.join();
}

void BreServiceImpl::cancel_stalled_watchers() {
  // Checked a few times per stall time, so a stalled watcher goes within 1.25 of it.
  const auto period = std::max<std::chrono::milliseconds>(options_.watch_stall / 4, std::chrono::milliseconds(10));
  std::unique_lock lock(watchers_mutex_);
  while (!watchers_stop_.wait_for(lock, period, [&] { return stop_stall_watch_; })) {
    const auto now = std::chrono::steady_clock::now();
    for (auto& [context, watcher] : watchers_) {
      if (watcher.dropped || !watcher.writing_since || now - *watcher.writing_since < options_.watch_stall) continue;
      // The handler cannot return while we hold the lock, so the context is alive.
      watcher.dropped = true;
      context->TryCancel();
    }
  }
}

grpc::Status BreServiceImpl::authorize(const grpc::ServerContext& context) const {
  if (options_.token.empty()) return grpc::Status::OK;
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  if (found == metadata.end()) {
    return {grpc::StatusCode::UNAUTHENTICATED,
            "missing credentials: expected the metadata 'authorization: Bearer <token>'"};
  }
  const std::string_view value(found->second.data(), found->second.size());
  if (value.substr(0, kBearer.size()) != kBearer) {
    return {grpc::StatusCode::UNAUTHENTICATED, "authorization: expected 'Bearer <token>'"};
  }
  const std::string_view presented = value.substr(kBearer.size());
  if (presented.size() != options_.token.size() ||
      CRYPTO_memcmp(presented.data(), options_.token.data(), presented.size()) != 0) {
    return {grpc::StatusCode::UNAUTHENTICATED, "authorization: the token is not valid for this server"};
  }
  return grpc::Status::OK;
}

grpc::Status BreServiceImpl::ListPlugins(grpc::ServerContext* context, const v1::ListPluginsRequest*,
                                         v1::ListPluginsResponse* response) {
  if (auto status = authorize(*context); !status.ok()) return status;
  for (const auto* plugin : host_.plugins()) *response->add_plugins() = plugin->description;
  return grpc::Status::OK;
}

grpc::Status BreServiceImpl::PutDataset(grpc::ServerContext* context, grpc::ServerReader<v1::DatasetChunk>* reader,
                                        v1::PutDatasetResponse* response) {
  if (auto status = authorize(*context); !status.ok()) return status;
  auto slot = streams_.acquire("PutDataset", client_address(context->peer()));
  if (!slot) return to_grpc_status(slot.status());
  ReservedBytes reserved(upload_bytes_);
  std::string bytes;
  std::string declared_sha256;
  v1::DatasetChunk chunk;
  std::int64_t chunks = 0;
  while (reader->Read(&chunk)) {
    ++chunks;
    if (!declared_sha256.empty()) {
      return {grpc::StatusCode::INVALID_ARGUMENT,
              "chunk " + std::to_string(chunks) + ": data after the chunk that carried sha256 (it must be the last)"};
    }
    if (static_cast<std::int64_t>(bytes.size() + chunk.data().size()) > options_.max_dataset_bytes) {
      return {grpc::StatusCode::RESOURCE_EXHAUSTED,
              "dataset: larger than this server accepts (" + std::to_string(options_.max_dataset_bytes) + " bytes)"};
    }
    if (!reserved.reserve(static_cast<std::int64_t>(chunk.data().size()), options_.max_upload_bytes)) {
      return {grpc::StatusCode::RESOURCE_EXHAUSTED,
              "dataset: the server is receiving other uploads up to its limit (--max-upload-bytes " +
                  std::to_string(options_.max_upload_bytes) + "); try again later"};
    }
    bytes += chunk.data();
    declared_sha256 = chunk.sha256();
  }
  if (context->IsCancelled()) return {grpc::StatusCode::CANCELLED, "the client cancelled the upload"};
  if (chunks == 0) return {grpc::StatusCode::INVALID_ARGUMENT, "dataset: expected at least one chunk, found none"};
  if (declared_sha256.empty()) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "sha256: expected the hex SHA-256 of all chunk data on the last chunk, found none"};
  }
  const std::string actual = sha256_hex(bytes);
  if (actual != declared_sha256) {
    return {grpc::StatusCode::DATA_LOSS, "sha256: the " + std::to_string(bytes.size()) + " bytes received in " +
                                             std::to_string(chunks) + " chunk(s) hash to " + actual +
                                             ", the last chunk declared " + declared_sha256.substr(0, 80)};
  }
  v1::Dataset dataset;
  if (!dataset.ParseFromString(bytes)) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "dataset: the chunk data is not a binary bre.v1.Dataset"};
  }
  if (Status status = check_dataset(dataset); !status) return to_grpc_status(status.with_context("dataset"));
  auto id = runs_.put_dataset(dataset);
  if (!id) return to_grpc_status(id.status());
  response->set_dataset_id(*id);
  response->set_dataset_name(dataset.name());
  response->set_municipalities(dataset.municipalities_size());
  logger()->info("dataset {} ('{}', {} bytes) stored", *id, dataset.name(), bytes.size());
  return grpc::Status::OK;
}

grpc::Status BreServiceImpl::RunPipeline(grpc::ServerContext* context, const v1::RunPipelineRequest* request,
                                         v1::RunPipelineResponse* response) {
  if (auto status = authorize(*context); !status.ok()) return status;
  v1::PipelineSpec spec;
  switch (request->pipeline_case()) {
    case v1::RunPipelineRequest::kSpec: spec = request->spec(); break;
    case v1::RunPipelineRequest::kSpecJson: {
      auto parsed = parse_pipeline_spec(request->spec_json(), "spec_json");
      if (!parsed) return to_grpc_status(parsed.status());
      spec = std::move(*parsed);
      break;
    }
    default: return {grpc::StatusCode::INVALID_ARGUMENT, "spec: expected spec or spec_json, found neither"};
  }
  auto run_id = runs_.submit(spec, request->dataset_id(), request->seed(), request->deadline_seconds());
  if (!run_id) return to_grpc_status(run_id.status());
  response->set_run_id(*run_id);
  return grpc::Status::OK;
}

grpc::Status BreServiceImpl::WatchRun(grpc::ServerContext* context, const v1::WatchRunRequest* request,
                                      grpc::ServerWriter<v1::RunEvent>* writer) {
  if (auto status = authorize(*context); !status.ok()) return status;
  if (request->from_sequence() < 0) {
    return {grpc::StatusCode::INVALID_ARGUMENT,
            "from_sequence: expected 0 or more, found " + std::to_string(request->from_sequence())};
  }
  const std::string client = client_address(context->peer());
  auto slot = streams_.acquire("WatchRun", client);
  if (!slot) return to_grpc_status(slot.status());
  WatcherRegistration watcher(*this, context);
  std::int64_t next = request->from_sequence();
  for (;;) {
    auto batch = runs_.events(request->run_id(), next, kWatchPoll);
    if (!batch) return to_grpc_status(batch.status());
    for (const auto& event : batch->events) {
      if (!watcher.write(*writer, event)) {
        if (watcher.dropped()) {
          logger()->warn("WatchRun {} from {}: cancelled, its client took no event for {} ms (resume from_sequence {})",
                         request->run_id(), client, options_.watch_stall.count(), next);
        }
        return {grpc::StatusCode::CANCELLED, "the client stopped watching"};
      }
      next = event.sequence() + 1;
    }
    // A finished run's batch holds every event left, up to RUN_FINISHED.
    if (batch->finished) return grpc::Status::OK;
    if (context->IsCancelled()) return {grpc::StatusCode::CANCELLED, "the client stopped watching"};
    if (stopping_) return {grpc::StatusCode::UNAVAILABLE, "the server is shutting down; watch again after it restarts"};
  }
}

grpc::Status BreServiceImpl::GetRun(grpc::ServerContext* context, const v1::GetRunRequest* request,
                                    v1::GetRunResponse* response) {
  if (auto status = authorize(*context); !status.ok()) return status;
  auto record = runs_.get(request->run_id());
  if (!record) return to_grpc_status(record.status());
  *response->mutable_run() = std::move(*record);
  return grpc::Status::OK;
}

grpc::Status BreServiceImpl::GetRunChunks(grpc::ServerContext* context, const v1::GetRunChunksRequest* request,
                                          grpc::ServerWriter<v1::RunChunk>* writer) {
  if (auto status = authorize(*context); !status.ok()) return status;
  const int asked = request->chunk_bytes();
  if (asked != 0 && (asked < kMinRunChunkBytes || asked > kMaxRunChunkBytes)) {
    return {grpc::StatusCode::INVALID_ARGUMENT, "chunk_bytes: expected 0 or " + std::to_string(kMinRunChunkBytes) +
                                                    " to " + std::to_string(kMaxRunChunkBytes) + ", found " +
                                                    std::to_string(asked)};
  }
  const std::size_t chunk_bytes = asked == 0 ? kDefaultRunChunkBytes : static_cast<std::size_t>(asked);
  const std::string client = client_address(context->peer());
  auto slot = result_streams_.acquire("GetRunChunks", client);
  if (!slot) return to_grpc_status(slot.status());
  std::string bytes;
  {
    auto record = runs_.get(request->run_id());
    if (!record) return to_grpc_status(record.status());
    // Deterministic, so the same record always hashes the same; the record itself goes
    // before streaming, so the call holds one copy.
    bytes = to_binary(*record);
  }
  WatcherRegistration watcher(*this, context);
  std::size_t offset = 0;
  do {
    v1::RunChunk chunk;
    const std::size_t size = std::min(chunk_bytes, bytes.size() - offset);
    chunk.set_data(bytes.data() + offset, size);
    chunk.set_offset(static_cast<std::int64_t>(offset));
    if (offset == 0) {
      chunk.set_total_bytes(static_cast<std::int64_t>(bytes.size()));
      chunk.set_sha256(sha256_hex(bytes));
    }
    if (!watcher.write(*writer, chunk)) {
      if (watcher.dropped()) {
        logger()->warn("GetRunChunks {} from {}: cancelled, its client took no chunk for {} ms", request->run_id(),
                       client, options_.watch_stall.count());
      }
      return {grpc::StatusCode::CANCELLED, "the client stopped reading"};
    }
    offset += size;
    if (stopping_) return {grpc::StatusCode::UNAVAILABLE, "the server is shutting down; fetch again after it restarts"};
  } while (offset < bytes.size());
  return grpc::Status::OK;
}

grpc::Status BreServiceImpl::CancelRun(grpc::ServerContext* context, const v1::CancelRunRequest* request,
                                       v1::CancelRunResponse* response) {
  if (auto status = authorize(*context); !status.ok()) return status;
  auto status = runs_.cancel(request->run_id());
  if (!status) return to_grpc_status(status.status());
  response->set_status(*status);
  return grpc::Status::OK;
}

// A delete call's reply: its error, or the bytes it freed.
template <typename Response>
grpc::Status freed_bytes_reply(const Expected<std::int64_t>& freed, Response& response) {
  if (!freed) return to_grpc_status(freed.status());
  response.set_freed_bytes(*freed);
  return grpc::Status::OK;
}

grpc::Status BreServiceImpl::DeleteRun(grpc::ServerContext* context, const v1::DeleteRunRequest* request,
                                       v1::DeleteRunResponse* response) {
  if (auto status = authorize(*context); !status.ok()) return status;
  return freed_bytes_reply(runs_.remove_run(request->run_id()), *response);
}

grpc::Status BreServiceImpl::DeleteDataset(grpc::ServerContext* context, const v1::DeleteDatasetRequest* request,
                                           v1::DeleteDatasetResponse* response) {
  if (auto status = authorize(*context); !status.ok()) return status;
  return freed_bytes_reply(runs_.remove_dataset(request->dataset_id()), *response);
}

Expected<v1::Partition> BreServiceImpl::resolve_partition(const v1::PartitionSource& source,
                                                          const std::string& field) const {
  switch (source.source_case()) {
    case v1::PartitionSource::kPartition: return source.partition();
    case v1::PartitionSource::kStep: {
      const auto& step = source.step();
      auto record = runs_.get(step.run_id());
      if (!record) return record.status().with_context(field + ".step");
      for (const auto& result : record->result().steps()) {
        if (result.step_id() != step.step_id()) continue;
        if (step.index() < 0 || step.index() >= result.artifacts().partitions_size()) {
          return not_found(field + ".step.index: step '" + step.step_id() + "' of run " + step.run_id() + " has " +
                           std::to_string(result.artifacts().partitions_size()) + " partition(s), found index " +
                           std::to_string(step.index()));
        }
        return result.artifacts().partitions(step.index());
      }
      return not_found(field + ".step.step_id: run " + step.run_id() + " has no finished step '" + step.step_id() + "'");
    }
    default: return invalid_argument(field + ": expected a partition or a step, found neither");
  }
}

grpc::Status BreServiceImpl::ComparePartitions(grpc::ServerContext* context,
                                               const v1::ComparePartitionsRequest* request,
                                               v1::ComparePartitionsResponse* response) {
  if (auto status = authorize(*context); !status.ok()) return status;
  auto dataset = store_.dataset(request->dataset_id());
  if (!dataset) return to_grpc_status(dataset.status());
  auto a = resolve_partition(request->a(), "a");
  if (!a) return to_grpc_status(a.status());
  auto b = resolve_partition(request->b(), "b");
  if (!b) return to_grpc_status(b.status());
  const DatasetIndex index(**dataset);
  // Modularity on the cooperation network (count weighting), contiguity on the map.
  auto ties = build_cooperation_network(index, {});
  if (!ties) return to_grpc_status(ties.status());
  auto map = map_adjacency_graph(index);
  if (!map) return to_grpc_status(map.status());
  auto comparison = compare_partitions(index, *ties, *map, *a, *b, {});
  if (!comparison) return to_grpc_status(comparison.status());
  *response->mutable_comparison() = std::move(*comparison);
  return grpc::Status::OK;
}

bool is_loopback_address(const std::string& listen_address) {
  std::string host = listen_address;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') == std::string::npos ? std::string::npos : host.find(']') - 1);
  } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

Status check_listen_policy(const std::string& listen_address, bool has_tls, bool has_token) {
  if (is_loopback_address(listen_address) || (has_tls && has_token)) return Status::ok();
  std::string missing;
  if (!has_tls) missing = "--tls-cert and --tls-key";
  if (!has_token) missing += std::string(missing.empty() ? "" : " and ") + "--token-file";
  return failed_precondition("--listen " + listen_address +
                             ": not a loopback address; serving it needs TLS and a token (missing " + missing + ")");
}

}  // namespace bre::service
