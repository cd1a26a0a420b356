// What the end-to-end service tests do again and again through the C++ client: upload
// the demo dataset, start a run, follow it to its end, wait for a status.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bre/service/client.hpp"
#include "server_process.hpp"

namespace bre::test {

inline const std::string kStandardPipeline = std::string(BRE_SOURCE_DIR) + "/examples/pipelines/standard.json";

/// A pipeline of one step of the sleeping test plugin.
std::string sleeping_spec(double seconds);

/// The demo dataset, binary.
std::string demo_dataset_bytes();

/// Options of a client of `server`.
service::ClientOptions client_options(const ServerProcess& server);

/// Uploads the demo dataset in 64 KiB chunks; returns its id (empty, with a test
/// failure, if the upload failed).
std::string upload_demo(const service::Client& client);

/// Starts a run of `spec_json`; returns its id (empty, with a test failure, if refused).
std::string start_run(const service::Client& client, const std::string& spec_json, const std::string& dataset_id,
                      std::uint64_t seed, double deadline_seconds = 0);

/// Starts a run of the sleeping plugin for `seconds` and waits until it runs; returns its id.
std::string start_sleeping_run(const service::Client& client, const std::string& dataset_id, double seconds = 60);

/// Watches to the end and returns the final record.
v1::RunRecord finish(const service::Client& client, const std::string& run_id,
                     std::vector<v1::RunEvent>* events = nullptr);

/// Polls GetRun until the run has the status (or 20 s passed).
void wait_for_status(const service::Client& client, const std::string& run_id, v1::RunStatus wanted);

}  // namespace bre::test
