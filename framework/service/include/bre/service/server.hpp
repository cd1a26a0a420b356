// The bre.v1.BreService methods, and the rules bre-server applies before it listens.
// The methods only check, submit and read: pipelines run on the RunManager's threads,
// never on gRPC's.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

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

struct ServiceOptions {
  std::string token;                              // empty: no authentication
  std::int64_t max_dataset_bytes = 1LL << 30;     // total of one PutDataset stream
};

class BreServiceImpl final : public v1::BreService::Service {
 public:
  /// `host`, `store` and `runs` must outlive the service.
  BreServiceImpl(const PluginHost& host, Store& store, RunManager& runs, const ServiceOptions& options);

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
  grpc::Status CancelRun(grpc::ServerContext* context, const v1::CancelRunRequest* request,
                         v1::CancelRunResponse* response) override;
  grpc::Status ComparePartitions(grpc::ServerContext* context, const v1::ComparePartitionsRequest* request,
                                 v1::ComparePartitionsResponse* response) override;

 private:
  // UNAUTHENTICATED unless the call carries "authorization: Bearer <token>" (when a
  // token is configured). Compared in constant time.
  grpc::Status authorize(const grpc::ServerContext& context) const;
  // The partition a PartitionSource names; `field` prefixes errors ("a", "b").
  Expected<v1::Partition> resolve_partition(const v1::PartitionSource& source, const std::string& field) const;

  const PluginHost& host_;
  Store& store_;
  RunManager& runs_;
  ServiceOptions options_;
  std::atomic<bool> stopping_{false};
};

/// Whether the host part of a --listen address ("HOST:PORT", "[V6]:PORT") is a
/// loopback address: localhost, 127.0.0.0/8 or ::1.
bool is_loopback_address(const std::string& listen_address);

/// The rule for listening: a loopback address may be served in plain text; any other
/// address needs TLS (certificate and key) and a token. The error names the address
/// and what is missing.
Status check_listen_policy(const std::string& listen_address, bool has_tls, bool has_token);

}  // namespace bre::service
