// bre-server: serves the bre.v1 gRPC API (proto/bre/v1/service.proto) on the same
// engine and plugins as the bre CLI. See README.md, "Pipelines over gRPC".
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <spdlog/spdlog.h>
#include <tbb/global_control.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <thread>

#include "bre/host.hpp"
#include "bre/io.hpp"
#include "bre/log.hpp"
#include "bre/service/client.hpp"
#include "bre/service/run_manager.hpp"
#include "bre/service/server.hpp"
#include "bre/service/store.hpp"
#include "cli_support.hpp"

namespace po = boost::program_options;

namespace {

using bre::cli::fail;
using bre::cli::kExitOk;
using bre::cli::kExitUsage;

constexpr const char* kProgram = "bre-server";

constexpr const char* kUsage = R"(usage: bre-server --store DIR [--listen HOST:PORT] [options]

Serves the bre.v1 gRPC API: list plugins, upload datasets, run pipelines and stream
their progress, fetch and cancel runs, compare partitions, and grpc.health.v1.Health.
Listens on loopback by default; any other address needs --tls-cert, --tls-key and
--token-file. SIGTERM or SIGINT: stop accepting runs, let running ones finish within
--shutdown-grace-seconds, cancel the rest, write every record, exit 0.

The store stays bounded: the oldest finished runs and the least recently used idle
datasets are removed past --retain-runs, --retain-days, --retain-datasets and
--store-max-bytes (0 turns a limit off); queued and running runs and the datasets they
use never are. Streams, uploads, queued runs, events per run and connections are
bounded too (docs/reliability.md).
)";

// gRPC request threads beyond the stream limit: unary calls and the pollers.
constexpr int kThreadsBesideStreams = 64;

po::options_description server_options() {
  po::options_description options("Options");
  options.add_options()("help,h", "this help")(
      "listen", po::value<std::string>()->default_value("127.0.0.1:50051"), "HOST:PORT to serve (port 0: any free port)")(
      "store", po::value<std::string>()->required(), "directory of datasets and runs (created when missing)")(
      "tls-cert", po::value<std::string>(), "PEM certificate chain: serve TLS")(
      "tls-key", po::value<std::string>(), "PEM private key of --tls-cert")(
      "token-file", po::value<std::string>(), "file holding the token every call must present as 'Bearer <token>'")(
      "max-concurrent-runs", po::value<int>()->default_value(2), "runs executing at once; more wait in a FIFO queue")(
      "max-queued-runs", po::value<int>()->default_value(100), "runs waiting at most; more are RESOURCE_EXHAUSTED")(
      "max-events-per-run", po::value<int>()->default_value(10000),
      "events kept per run: progress events beyond are dropped (step and run events are kept)")(
      "retain-runs", po::value<std::int64_t>()->default_value(1000), "finished runs kept (0 = no limit)")(
      "retain-days", po::value<double>()->default_value(30),
      "finished runs and idle datasets older than this are removed (0 = no limit)")(
      "retain-datasets", po::value<std::int64_t>()->default_value(100), "datasets kept (0 = no limit)")(
      "store-max-bytes", po::value<std::int64_t>()->default_value(std::int64_t{4} << 30),
      "bytes of run records and datasets together (0 = no limit)")(
      "max-streams", po::value<int>()->default_value(128), "WatchRun and PutDataset streams open at once (GetRunChunks streams as many again)")(
      "max-streams-per-client", po::value<int>()->default_value(64), "of those, from one client address")(
      "max-upload-bytes", po::value<std::int64_t>()->default_value(std::int64_t{1} << 30),
      "bytes all uploads in progress may hold together (at least --max-dataset-bytes)")(
      "watch-stall-seconds", po::value<double>()->default_value(60),
      "a WatchRun whose client takes no event for this long is cancelled (it resumes with from_sequence)")(
      "handshake-timeout-seconds", po::value<double>()->default_value(10),
      "a connection that has not completed its handshake by then is closed")(
      "idle-timeout-seconds", po::value<double>()->default_value(300), "a connection without calls this long is closed")(
      "keepalive-seconds", po::value<double>()->default_value(60),
      "ping connections with calls this often; one not answering within 20 s is closed")(
      "grpc-memory-bytes", po::value<std::int64_t>()->default_value(std::int64_t{1} << 30),
      "memory gRPC's buffers may use (its resource quota)")(
      "default-deadline-seconds", po::value<double>()->default_value(600), "deadline of a run that asks for none")(
      "max-deadline-seconds", po::value<double>()->default_value(3600), "longest deadline a run may ask for")(
      "max-message-bytes", po::value<int>()->default_value(4 << 20), "largest request message accepted")(
      "max-dataset-bytes", po::value<std::int64_t>()->default_value(std::int64_t{1} << 30), "largest dataset upload")(
      "threads", po::value<int>()->default_value(0), "TBB worker threads for all runs (0 = all cores)")(
      "shutdown-grace-seconds", po::value<double>()->default_value(10), "on SIGTERM, how long running runs may finish")(
      "plugin-dir", po::value<std::vector<std::string>>()->composing(), "also load plugins from DIR (repeatable)")(
      "isolation", po::value<std::string>()->default_value("external"),
      "steps run in a child process: none (only steps that ask), external (plugins not built in) or all")(
      "step-time-limit", po::value<double>()->default_value(0),
      "seconds any step may run (0 = none); also caps a step's own time_limit_seconds")(
      "step-memory-limit", po::value<std::int64_t>()->default_value(0),
      "MiB any step in a child process may use (0 = none); also caps a step's own memory_limit_mib")(
      "skip-bad-plugins", "serve even if some plugin libraries could not be loaded")(
      "port-file", po::value<std::string>(), "once serving, write the port to this file (atomically)")(
      "log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn, error or off");
  return options;
}

// The flags' values taken together: TLS needs both files, a non-loopback address needs
// TLS and a token, and the byte limits must leave room for the largest dataset.
bre::Status check_flags(const po::variables_map& vm) {
  if (vm.count("tls-cert") != vm.count("tls-key")) {
    return bre::invalid_argument("--tls-cert and --tls-key: expected both or neither, found only " +
                                 std::string(vm.count("tls-cert") ? "--tls-cert" : "--tls-key"));
  }
  BRE_RETURN_IF_ERROR(bre::service::check_listen_policy(vm["listen"].as<std::string>(), vm.count("tls-cert") > 0,
                                                        vm.count("token-file") > 0));
  for (const char* name : {"max-message-bytes", "threads"}) {
    if (vm[name].as<int>() < (std::string(name) == "threads" ? 0 : 1)) {
      return bre::invalid_argument(std::string("--") + name + ": expected a positive number, found " +
                                   std::to_string(vm[name].as<int>()));
    }
  }
  if (!(vm["shutdown-grace-seconds"].as<double>() >= 0)) {
    return bre::invalid_argument("--shutdown-grace-seconds: expected 0 or more");
  }
  for (const char* name : {"max-streams", "max-streams-per-client"}) {
    if (vm[name].as<int>() < 1) {
      return bre::invalid_argument(std::string("--") + name + ": expected at least 1, found " +
                                   std::to_string(vm[name].as<int>()));
    }
  }
  for (const char* name : {"watch-stall-seconds", "handshake-timeout-seconds", "idle-timeout-seconds", "keepalive-seconds"}) {
    if (!(vm[name].as<double>() > 0)) return bre::invalid_argument(std::string("--") + name + ": expected a positive number");
  }
  const auto max_dataset_bytes = vm["max-dataset-bytes"].as<std::int64_t>();
  const auto store_max_bytes = vm["store-max-bytes"].as<std::int64_t>();
  if (vm["max-upload-bytes"].as<std::int64_t>() < max_dataset_bytes) {
    return bre::invalid_argument("--max-upload-bytes: expected at least --max-dataset-bytes (" +
                                 std::to_string(max_dataset_bytes) + ")");
  }
  if (store_max_bytes > 0 && store_max_bytes < max_dataset_bytes) {
    return bre::invalid_argument("--store-max-bytes: expected 0 or at least --max-dataset-bytes (" +
                                 std::to_string(max_dataset_bytes) + "), so a dataset the server accepts fits");
  }
  if (vm["grpc-memory-bytes"].as<std::int64_t>() < vm["max-message-bytes"].as<int>()) {
    return bre::invalid_argument("--grpc-memory-bytes: expected at least --max-message-bytes");
  }
  return bre::Status::ok();
}

bre::Expected<bre::service::ServiceOptions> service_options_of(const po::variables_map& vm) {
  bre::service::ServiceOptions service_options;
  service_options.max_dataset_bytes = vm["max-dataset-bytes"].as<std::int64_t>();
  service_options.max_upload_bytes = vm["max-upload-bytes"].as<std::int64_t>();
  service_options.max_streams = vm["max-streams"].as<int>();
  service_options.max_streams_per_client = vm["max-streams-per-client"].as<int>();
  service_options.watch_stall = std::chrono::milliseconds(
      static_cast<std::int64_t>(vm["watch-stall-seconds"].as<double>() * 1000));
  if (vm.count("token-file")) {
    auto token = bre::service::read_token_file(vm["token-file"].as<std::string>());
    if (!token) return token.status().with_context("--token-file");
    service_options.token = *token;
  }
  return service_options;
}

bre::Expected<std::shared_ptr<grpc::ServerCredentials>> server_credentials(const po::variables_map& vm) {
  if (!vm.count("tls-cert")) return grpc::InsecureServerCredentials();
  auto cert = bre::read_file(vm["tls-cert"].as<std::string>());
  if (!cert) return cert.status().with_context("--tls-cert");
  auto key = bre::read_file(vm["tls-key"].as<std::string>());
  if (!key) return key.status().with_context("--tls-key");
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(ssl);
}

// An exit code when some plugin library could not be loaded and that is not allowed.
std::optional<int> load_plugins(bre::PluginHost& host, const po::variables_map& vm) {
  const auto directories =
      vm.count("plugin-dir") ? vm["plugin-dir"].as<std::vector<std::string>>() : std::vector<std::string>{};
  if (auto status = bre::load_standard_plugins(host, directories); !status) return fail(status, kProgram);
  for (const auto& error : host.errors()) std::cerr << "bre-server: plugin " << error.path << ": " << error.reason << "\n";
  if (!host.errors().empty() && !vm.count("skip-bad-plugins")) {
    std::cerr << "bre-server: " << host.errors().size()
              << " plugin librar(ies) could not be loaded (see above); fix them or pass --skip-bad-plugins\n";
    return kExitUsage;
  }
  return std::nullopt;
}

bre::Expected<bre::service::RunManagerOptions> run_manager_options(const po::variables_map& vm) {
  bre::service::RunManagerOptions run_options;
  run_options.max_concurrent_runs = vm["max-concurrent-runs"].as<int>();
  run_options.default_deadline_seconds = vm["default-deadline-seconds"].as<double>();
  run_options.max_deadline_seconds = vm["max-deadline-seconds"].as<double>();
  run_options.max_queued_runs = vm["max-queued-runs"].as<int>();
  run_options.max_events_per_run = vm["max-events-per-run"].as<int>();
  run_options.retention.max_runs = vm["retain-runs"].as<std::int64_t>();
  run_options.retention.max_age_days = vm["retain-days"].as<double>();
  run_options.retention.max_datasets = vm["retain-datasets"].as<std::int64_t>();
  run_options.retention.max_store_bytes = vm["store-max-bytes"].as<std::int64_t>();
  auto isolation = bre::parse_host_isolation(vm["isolation"].as<std::string>(), vm["step-time-limit"].as<double>(),
                                             vm["step-memory-limit"].as<std::int64_t>());
  if (!isolation) return isolation.status();
  run_options.isolation = *isolation;
  return run_options;
}

// Builds and starts the gRPC server on --listen; `port` is the port it got.
std::unique_ptr<grpc::Server> start_server(grpc::Service& service, const po::variables_map& vm,
                                           std::shared_ptr<grpc::ServerCredentials> credentials, int max_streams,
                                           int& port) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(vm["listen"].as<std::string>(), credentials, &port);
  builder.SetMaxReceiveMessageSize(vm["max-message-bytes"].as<int>());
  builder.SetMaxSendMessageSize(256 << 20);
  bre::service::ConnectionLimits connection_limits;
  connection_limits.handshake_timeout_seconds = vm["handshake-timeout-seconds"].as<double>();
  connection_limits.idle_timeout_seconds = vm["idle-timeout-seconds"].as<double>();
  connection_limits.keepalive_seconds = vm["keepalive-seconds"].as<double>();
  connection_limits.max_threads = max_streams + kThreadsBesideStreams;
  connection_limits.memory_bytes = vm["grpc-memory-bytes"].as<std::int64_t>();
  bre::service::apply_connection_limits(builder, connection_limits);
  builder.RegisterService(&service);
  return builder.BuildAndStart();
}

// Serves until SIGTERM or SIGINT: then stops accepting runs, lets running ones finish
// within the grace period, cancels the rest and ends the streams.
void serve_until_stopped(grpc::Server& server, bre::service::RunManager& runs,
                         bre::service::BreServiceImpl& service, const sigset_t& stop_signals, double grace) {
  std::thread stopper([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    bre::logger()->info("bre-server: signal {}: stopping", signal_number);
    server.GetHealthCheckService()->SetServingStatus(false);
    runs.shutdown(std::chrono::milliseconds(static_cast<std::int64_t>(grace * 1000)));
    service.stop_watchers();
    server.Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  });
  server.Wait();
  stopper.join();
}

}  // namespace

int main(int argc, char** argv) {
  // Every thread created from here on inherits the mask, so only the signal thread
  // sees SIGTERM and SIGINT.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const po::options_description options = server_options();
  po::variables_map vm;
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (auto code = bre::cli::parse_options(args, kProgram, kUsage, options, {}, vm)) return *code;
  if (auto status = bre::set_log_level(vm["log-level"].as<std::string>()); !status) return fail(status, kProgram);
  if (auto status = check_flags(vm); !status) return fail(status, kProgram);
  auto service_options = service_options_of(vm);
  if (!service_options) return fail(service_options.status(), kProgram);
  auto credentials = server_credentials(vm);
  if (!credentials) return fail(credentials.status(), kProgram);

  bre::PluginHost host;
  if (std::optional<int> stop = load_plugins(host, vm)) return *stop;
  std::optional<tbb::global_control> thread_limit;
  if (const std::uint64_t threads = bre::cli::clamp_threads(static_cast<std::uint64_t>(vm["threads"].as<int>()), kProgram);
      threads > 0) {
    thread_limit.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  }
  auto store = bre::service::Store::open(vm["store"].as<std::string>());
  if (!store) return fail(store.status(), kProgram);
  auto run_options = run_manager_options(vm);
  if (!run_options) return fail(run_options.status(), kProgram);
  auto runs = bre::service::RunManager::create(host, **store, *run_options);
  if (!runs) return fail(runs.status(), kProgram);

  bre::service::BreServiceImpl service(host, **store, **runs, *service_options);
  int port = 0;
  const std::string listen = vm["listen"].as<std::string>();
  std::unique_ptr<grpc::Server> server = start_server(service, vm, *credentials, service_options->max_streams, port);
  if (!server || port == 0) return fail(bre::failed_precondition("--listen " + listen + ": cannot listen there"), kProgram);
  if (vm.count("port-file")) {
    if (auto status = bre::write_file_atomically(vm["port-file"].as<std::string>(), std::to_string(port) + "\n");
        !status) {
      server->Shutdown();
      return fail(status.with_context("--port-file"), kProgram);
    }
  }
  bre::logger()->info(
      "bre-server: serving on port {} ({}, {}), store {}, {} plugin(s), at most {} concurrent run(s), isolation {}",
      port, vm.count("tls-cert") ? "TLS" : "plain text", service_options->token.empty() ? "no token" : "token required",
      vm["store"].as<std::string>(), host.plugins().size(), run_options->max_concurrent_runs,
      bre::isolation_policy_name(run_options->isolation.policy));
  serve_until_stopped(*server, **runs, service, stop_signals, vm["shutdown-grace-seconds"].as<double>());
  bre::logger()->info("bre-server: stopped");
  return kExitOk;
}
