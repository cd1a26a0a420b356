// A C++ client of bre.v1.BreService: connection settings (address, TLS, token) and one
// method per call, for `bre remote` and the service tests. Every method returns the
// call's grpc::Status, so callers see the server's precise code and message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "bre/status.hpp"
#include "bre/v1/service.grpc.pb.h"

namespace bre::service {

struct ClientOptions {
  std::string target = "127.0.0.1:50051";  // HOST:PORT
  std::string token;                       // sent as "authorization: Bearer <token>" when set
  std::string tls_ca_pem;                  // PEM of the CA that signed the server's certificate; empty: plain text
  int max_receive_bytes = 256 << 20;       // one message; GetRun's whole record must fit
  std::int64_t max_result_bytes = std::int64_t{8} << 30;  // a record fetched in chunks, at most
};

/// Reads a token file: its content without trailing white space; an empty token is an
/// error naming the file.
Expected<std::string> read_token_file(const std::string& path);

class Client {
 public:
  explicit Client(const ClientOptions& options);

  grpc::Status list_plugins(v1::ListPluginsResponse& response) const;
  /// Uploads binary dataset bytes in chunks of `chunk_bytes` (at least 1), the last
  /// one carrying `sha256` (pass sha256_hex(bytes), or anything else to test the
  /// server's check).
  grpc::Status put_dataset(const std::string& bytes, const std::string& sha256, std::size_t chunk_bytes,
                           v1::PutDatasetResponse& response) const;
  grpc::Status run_pipeline(const v1::RunPipelineRequest& request, v1::RunPipelineResponse& response) const;
  /// Streams the run's events from `from_sequence` on to `on_event` until the run
  /// finished.
  grpc::Status watch_run(const std::string& run_id, const std::function<void(const v1::RunEvent&)>& on_event,
                         std::int64_t from_sequence = 0) const;
  /// The run's record in pieces (GetRunChunks) of `chunk_bytes` (0: the server's
  /// default), so no message limit bounds its size; the pieces' offsets, total and
  /// SHA-256 are checked (DATA_LOSS on a mismatch). A server without GetRunChunks
  /// (UNIMPLEMENTED) is asked with GetRun instead.
  grpc::Status get_run(const std::string& run_id, v1::RunRecord& record, int chunk_bytes = 0) const;
  /// GetRun: the record in one message, which must fit max_receive_bytes.
  grpc::Status get_run_whole(const std::string& run_id, v1::RunRecord& record) const;
  grpc::Status cancel_run(const std::string& run_id, v1::CancelRunResponse& response) const;
  /// Removes a finished run, or a dataset no queued or running run uses, from the store.
  grpc::Status delete_run(const std::string& run_id, v1::DeleteRunResponse& response) const;
  grpc::Status delete_dataset(const std::string& dataset_id, v1::DeleteDatasetResponse& response) const;
  grpc::Status compare_partitions(const v1::ComparePartitionsRequest& request,
                                  v1::ComparePartitionsResponse& response) const;

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

 private:
  // A fresh context carrying the token.
  std::unique_ptr<grpc::ClientContext> context() const;
  // The bytes of a GetRunChunks stream, their offsets, total and SHA-256 checked.
  grpc::Status read_run_chunks(const v1::GetRunChunksRequest& request, std::string& bytes) const;

  ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::BreService::Stub> stub_;
};

}  // namespace bre::service
