#include "bre/service/client.hpp"

#include <algorithm>

#include "bre/io.hpp"
#include "bre/service/store.hpp"

namespace bre::service {

Expected<std::string> read_token_file(const std::string& path) {
  auto content = read_file(path);
  if (!content) return content.status();
  std::string token = std::move(*content);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) {
    token.pop_back();
  }
  if (token.empty()) return invalid_argument(path + ": expected a token, found an empty file");
  if (token.find_first_of(" \t\r\n") != std::string::npos) {
    return invalid_argument(path + ": expected one token without white space inside");
  }
  return token;
}

Client::Client(const ClientOptions& options) : options_(options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls_ca_pem.empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls_ca_pem;
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(options.max_receive_bytes);
  channel_ = grpc::CreateCustomChannel(options.target, credentials, arguments);
  stub_ = v1::BreService::NewStub(channel_);
}

std::unique_ptr<grpc::ClientContext> Client::context() const {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!options_.token.empty()) context->AddMetadata("authorization", "Bearer " + options_.token);
  return context;
}

grpc::Status Client::list_plugins(v1::ListPluginsResponse& response) const {
  return stub_->ListPlugins(context().get(), v1::ListPluginsRequest(), &response);
}

grpc::Status Client::put_dataset(const std::string& bytes, const std::string& sha256, std::size_t chunk_bytes,
                                 v1::PutDatasetResponse& response) const {
  chunk_bytes = std::max<std::size_t>(chunk_bytes, 1);
  auto call_context = context();
  auto writer = stub_->PutDataset(call_context.get(), &response);
  std::size_t offset = 0;
  do {
    v1::DatasetChunk chunk;
    const std::size_t size = std::min(chunk_bytes, bytes.size() - offset);
    chunk.set_data(bytes.substr(offset, size));
    offset += size;
    if (offset == bytes.size()) chunk.set_sha256(sha256);
    // A failed write means the server ended the call; Finish() says why.
    if (!writer->Write(chunk)) break;
  } while (offset < bytes.size());
  writer->WritesDone();
  return writer->Finish();
}

grpc::Status Client::run_pipeline(const v1::RunPipelineRequest& request, v1::RunPipelineResponse& response) const {
  return stub_->RunPipeline(context().get(), request, &response);
}

grpc::Status Client::watch_run(const std::string& run_id, const std::function<void(const v1::RunEvent&)>& on_event,
                               std::int64_t from_sequence) const {
  auto call_context = context();
  v1::WatchRunRequest request;
  request.set_run_id(run_id);
  request.set_from_sequence(from_sequence);
  auto reader = stub_->WatchRun(call_context.get(), request);
  v1::RunEvent event;
  while (reader->Read(&event)) on_event(event);
  return reader->Finish();
}

grpc::Status Client::get_run(const std::string& run_id, v1::RunRecord& record, int chunk_bytes) const {
  v1::GetRunChunksRequest request;
  request.set_run_id(run_id);
  request.set_chunk_bytes(chunk_bytes);
  std::string bytes;
  const auto status = read_run_chunks(request, bytes);
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) return get_run_whole(run_id, record);
  if (!status.ok()) return status;
  if (!record.ParseFromString(bytes)) {
    return {grpc::StatusCode::DATA_LOSS, "run " + run_id + ": the chunks do not make a bre.v1.RunRecord"};
  }
  return grpc::Status::OK;
}

grpc::Status Client::read_run_chunks(const v1::GetRunChunksRequest& request, std::string& bytes) const {
  const std::string run = "run " + request.run_id() + ": ";
  auto call_context = context();
  auto reader = stub_->GetRunChunks(call_context.get(), request);
  std::int64_t total = -1;
  std::string sha256;
  grpc::Status broken;  // what is wrong with the stream, once something is
  for (v1::RunChunk chunk; broken.ok() && reader->Read(&chunk);) {
    if (total < 0) {
      total = chunk.total_bytes();
      sha256 = chunk.sha256();
      if (total > options_.max_result_bytes) {
        broken = {grpc::StatusCode::RESOURCE_EXHAUSTED, run + "the record has " + std::to_string(total) +
                                                            " bytes, more than this client takes (" +
                                                            std::to_string(options_.max_result_bytes) + ")"};
        break;
      }
      bytes.reserve(static_cast<std::size_t>(std::max<std::int64_t>(total, 0)));
    }
    if (chunk.offset() != static_cast<std::int64_t>(bytes.size()) ||
        static_cast<std::int64_t>(bytes.size() + chunk.data().size()) > total) {
      broken = {grpc::StatusCode::DATA_LOSS, run + "a chunk at offset " + std::to_string(chunk.offset()) +
                                                 " does not continue the " + std::to_string(bytes.size()) +
                                                 " bytes received of " + std::to_string(total)};
      break;
    }
    bytes += chunk.data();
  }
  if (!broken.ok()) {
    // Stop the rest of the stream rather than read what will be thrown away.
    call_context->TryCancel();
    reader->Finish();
    return broken;
  }
  if (auto status = reader->Finish(); !status.ok()) return status;
  if (total < 0 || static_cast<std::int64_t>(bytes.size()) != total) {
    return {grpc::StatusCode::DATA_LOSS, run + "received " + std::to_string(bytes.size()) +
                                             " bytes of a record the server announced with " + std::to_string(total)};
  }
  if (const std::string actual = sha256_hex(bytes); actual != sha256) {
    return {grpc::StatusCode::DATA_LOSS, run + "the " + std::to_string(total) + " bytes received hash to " + actual +
                                             ", the server announced " + sha256.substr(0, 80)};
  }
  return grpc::Status::OK;
}

grpc::Status Client::get_run_whole(const std::string& run_id, v1::RunRecord& record) const {
  v1::GetRunRequest request;
  request.set_run_id(run_id);
  v1::GetRunResponse response;
  auto status = stub_->GetRun(context().get(), request, &response);
  if (status.ok()) record = std::move(*response.mutable_run());
  return status;
}

grpc::Status Client::cancel_run(const std::string& run_id, v1::CancelRunResponse& response) const {
  v1::CancelRunRequest request;
  request.set_run_id(run_id);
  return stub_->CancelRun(context().get(), request, &response);
}

grpc::Status Client::delete_run(const std::string& run_id, v1::DeleteRunResponse& response) const {
  v1::DeleteRunRequest request;
  request.set_run_id(run_id);
  return stub_->DeleteRun(context().get(), request, &response);
}

grpc::Status Client::delete_dataset(const std::string& dataset_id, v1::DeleteDatasetResponse& response) const {
  v1::DeleteDatasetRequest request;
  request.set_dataset_id(dataset_id);
  return stub_->DeleteDataset(context().get(), request, &response);
}

grpc::Status Client::compare_partitions(const v1::ComparePartitionsRequest& request,
                                        v1::ComparePartitionsResponse& response) const {
  return stub_->ComparePartitions(context().get(), request, &response);
}

}  // namespace bre::service
