#include "service_helpers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "bre/demo.hpp"
#include "bre/io.hpp"
#include "bre/service/store.hpp"

namespace bre::test {

std::string sleeping_spec(double seconds) {
  return R"({"name": "sleep", "steps": [{"id": "nap", "plugin": "test.sleeping", "params": {"seconds": )" +
         std::to_string(seconds) + "}}]}";
}

std::string demo_dataset_bytes() { return to_binary(demo::generate()); }

service::ClientOptions client_options(const ServerProcess& server) {
  service::ClientOptions options;
  options.target = server.target();
  return options;
}

std::string upload_demo(const service::Client& client) {
  const std::string bytes = demo_dataset_bytes();
  v1::PutDatasetResponse response;
  auto status = client.put_dataset(bytes, service::sha256_hex(bytes), 64 << 10, response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.dataset_id();
}

std::string start_run(const service::Client& client, const std::string& spec_json, const std::string& dataset_id,
                      std::uint64_t seed, double deadline_seconds) {
  v1::RunPipelineRequest request;
  request.set_spec_json(spec_json);
  request.set_dataset_id(dataset_id);
  request.set_seed(seed);
  request.set_deadline_seconds(deadline_seconds);
  v1::RunPipelineResponse response;
  auto status = client.run_pipeline(request, response);
  EXPECT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  return response.run_id();
}

std::string start_sleeping_run(const service::Client& client, const std::string& dataset_id, double seconds) {
  const std::string run_id = start_run(client, sleeping_spec(seconds), dataset_id, 1);
  wait_for_status(client, run_id, v1::RUN_STATUS_RUNNING);
  return run_id;
}

v1::RunRecord finish(const service::Client& client, const std::string& run_id, std::vector<v1::RunEvent>* events) {
  auto status = client.watch_run(run_id, [&](const v1::RunEvent& event) {
    if (events != nullptr) events->push_back(event);
  });
  EXPECT_TRUE(status.ok()) << status.error_message();
  v1::RunRecord record;
  status = client.get_run(run_id, record);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return record;
}

void wait_for_status(const service::Client& client, const std::string& run_id, v1::RunStatus wanted) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  v1::RunRecord record;
  while (std::chrono::steady_clock::now() < give_up) {
    ASSERT_TRUE(client.get_run(run_id, record).ok());
    if (record.status() == wanted) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  FAIL() << run_id << " never reached " << v1::RunStatus_Name(wanted) << ", last "
         << v1::RunStatus_Name(record.status());
}

}  // namespace bre::test
