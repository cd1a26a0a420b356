// `bre remote`: the CLI as a client of bre-server (proto/bre/v1/service.proto).
#include <boost/program_options.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "bre/dataset.hpp"
#include "bre/export/gis.hpp"
#include "bre/io.hpp"
#include "bre/pipeline.hpp"
#include "bre/run_directory.hpp"
#include "bre/service/client.hpp"
#include "bre/service/store.hpp"
#include "bre/suggest.hpp"
#include "bre/writers.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

namespace po = boost::program_options;

namespace bre::cli {
namespace {

constexpr const char* kRemoteUsage = R"(usage: bre remote COMMAND [ARGS] [--server HOST:PORT] [--token-file F] [--tls-ca F]

  plugins                       list the server's plugins and their parameters
  put DATASET                   upload a dataset (.pb or .json); prints its id
  run PIPELINE.json (--dataset-id ID | --dataset FILE) [--seed N] [--deadline S] [--wait]
                                start a run; prints its id (--wait: follow it to the end)
  watch RUN_ID [--from N]       print a run's progress until it finishes (--from: from event N on)
  get RUN_ID [--out DIR] [--dataset FILE]
                                print a run's status; --out writes run.pb, run.json and
                                manifest.json, and with --dataset every file `bre run`
                                writes, by the rules of `bre run --out`
  cancel RUN_ID                 cancel a queued or running run
  delete-run RUN_ID             remove a finished run from the server's store
  delete-dataset DATASET_ID     remove a dataset no queued or running run uses

--server defaults to $BRE_SERVER, else 127.0.0.1:50051. --tls-ca: PEM of the CA that
signed the server's certificate (connects with TLS). Exit codes: 0 success (for run
--wait and watch: the run succeeded), 1 the run did not succeed or the server failed,
2 usage or input error.)";

constexpr std::size_t kChunkBytes = 1 << 20;
// A year: the server caps a run's deadline at its own maximum anyway.
constexpr double kMaxDeadlineSeconds = 365.0 * 24 * 3600;

std::string code_name(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    default: return "code " + std::to_string(static_cast<int>(code));
  }
}

int fail_call(const grpc::Status& status) {
  std::cerr << "bre remote: " << code_name(status.error_code()) << ": " << status.error_message() << "\n";
  // Bad input of ours is a usage error; the rest is the server's or the network's.
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return kExitUsage;
    default: return kExitInternal;
  }
}

std::string run_status_label(v1::RunStatus status) { return v1::RunStatus_Name(status).substr(11); }

std::string event_line(const v1::RunEvent& event) {
  std::string kind = v1::RunEvent::Kind_Name(event.kind()).substr(5);
  char time[32];
  std::snprintf(time, sizeof time, "%8.3f s", event.elapsed_seconds());
  std::string line = std::string(time) + "  " + kind;
  if (!event.step_id().empty()) line += " " + event.step_id();
  if (event.kind() == v1::RunEvent::KIND_STEP_SUCCEEDED) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, " (%.3f s)", event.step_seconds());
    line += seconds;
  }
  if (event.kind() == v1::RunEvent::KIND_STEP_PROGRESS) {
    line += " " + std::to_string(event.done()) + "/" + std::to_string(event.total());
  }
  if (event.kind() == v1::RunEvent::KIND_RUN_FINISHED) line += " " + run_status_label(event.run_status());
  if (!event.message().empty()) line += ": " + event.message();
  return line;
}

// Follows a run to its end; exit code 0 only when it succeeded.
int watch(const service::Client& client, const std::string& run_id, std::int64_t from_sequence = 0) {
  v1::RunStatus final_status = v1::RUN_STATUS_UNSPECIFIED;
  auto status = client.watch_run(
      run_id,
      [&](const v1::RunEvent& event) {
        std::cout << event_line(event) << std::endl;
        if (event.kind() == v1::RunEvent::KIND_RUN_FINISHED) final_status = event.run_status();
      },
      from_sequence);
  if (!status.ok()) return fail_call(status);
  return final_status == v1::RUN_STATUS_SUCCEEDED ? kExitOk : kExitInternal;
}

Expected<std::string> upload(const service::Client& client, const std::string& path) {
  auto dataset = read_dataset(path);
  if (!dataset) return dataset.status();
  const std::string bytes = to_binary(*dataset);
  v1::PutDatasetResponse response;
  auto status = client.put_dataset(bytes, service::sha256_hex(bytes), kChunkBytes, response);
  if (!status.ok()) {
    return Status(StatusCode::kInvalidArgument,
                  path + ": upload failed: " + code_name(status.error_code()) + ": " + status.error_message());
  }
  return response.dataset_id();
}

po::options_description remote_options() {
  po::options_description options("Options");
  const char* server_env = std::getenv("BRE_SERVER");
  options.add_options()("help,h", "this help")(
      "server", po::value<std::string>()->default_value(server_env != nullptr ? server_env : "127.0.0.1:50051"),
      "HOST:PORT of bre-server")("token-file", po::value<std::string>(), "file holding the server's token")(
      "tls-ca", po::value<std::string>(), "PEM CA certificate: connect with TLS")(
      "argument", po::value<std::string>(), "the command's argument")(
      "dataset-id", po::value<std::string>(), "run: a dataset id from `bre remote put`")(
      "dataset", po::value<std::string>(), "run: upload this dataset first; get: write every output file")(
      "seed", po::value<std::string>()->default_value("1"), "run: the run seed, 0 to 18446744073709551615")(
      "deadline", po::value<std::string>()->default_value("0"),
      "run: seconds the run may take (0: the server's default)")(
      "wait", switch_value(), "run: follow the run until it finishes")(
      "out", po::value<std::string>(),
      "get: output directory: new, empty or an earlier run's (replaced whole)")(
      "from", po::value<std::string>()->default_value("0"), "watch: the first event's sequence number");
  return options;
}

// --server, --token-file and --tls-ca.
Expected<service::ClientOptions> client_options_of(const po::variables_map& vm) {
  service::ClientOptions client_options;
  client_options.target = vm["server"].as<std::string>();
  if (vm.count("token-file")) {
    auto token = service::read_token_file(vm["token-file"].as<std::string>());
    if (!token) return token.status().with_context("--token-file");
    client_options.token = *token;
  }
  if (vm.count("tls-ca")) {
    auto ca = read_file(vm["tls-ca"].as<std::string>());
    if (!ca) return ca.status().with_context("--tls-ca");
    client_options.tls_ca_pem = *ca;
  }
  return client_options;
}

int list_remote_plugins(const service::Client& client) {
  v1::ListPluginsResponse response;
  if (auto status = client.list_plugins(response); !status.ok()) return fail_call(status);
  for (const auto& plugin : response.plugins()) {
    std::cout << plugin.name() << "  " << plugin.version() << "\n    " << plugin.summary() << "\n";
    for (const auto& parameter : plugin.parameters()) {
      std::cout << "    " << parameter.name() << ": " << parameter.doc() << "\n";
    }
  }
  return kExitOk;
}

int put_dataset(const service::Client& client, const std::string& path) {
  auto id = upload(client, path);
  if (!id) return fail(id.status(), "bre remote");
  std::cout << *id << "\n";
  return kExitOk;
}

int start_remote_run(const service::Client& client, const std::string& pipeline_path, const po::variables_map& vm) {
  auto seed = parse_seed("--seed", vm["seed"].as<std::string>());
  if (!seed) return fail(seed.status(), "bre remote");
  auto deadline = parse_number("--deadline", vm["deadline"].as<std::string>(),
                               {.maximum = kMaxDeadlineSeconds, .unit = "seconds", .zero_means = "the server's default"});
  if (!deadline) return fail(deadline.status(), "bre remote");
  auto spec_json = read_file(pipeline_path);
  if (!spec_json) return fail(spec_json.status(), "bre remote");
  // The server runs the steps; the GIS files are made where the run is fetched
  // (`bre remote get --out`), so their requests are checked here.
  auto spec = parse_pipeline_spec(*spec_json, pipeline_path);
  if (!spec) return fail(spec.status(), "bre remote");
  if (Status status = gis::check_run_exports(*spec, pipeline_path); !status) return fail(status, "bre remote");
  v1::RunPipelineRequest request;
  request.set_spec_json(*spec_json);
  if (vm.count("dataset")) {
    auto id = upload(client, vm["dataset"].as<std::string>());
    if (!id) return fail(id.status(), "bre remote");
    request.set_dataset_id(*id);
  } else if (vm.count("dataset-id")) {
    request.set_dataset_id(vm["dataset-id"].as<std::string>());
  } else {
    std::cerr << "bre remote run: expected --dataset-id ID or --dataset FILE\n";
    return kExitUsage;
  }
  request.set_seed(*seed);
  request.set_deadline_seconds(*deadline);
  v1::RunPipelineResponse response;
  if (auto status = client.run_pipeline(request, response); !status.ok()) {
    return fail_call({status.error_code(), pipeline_path + ": " + status.error_message()});
  }
  std::cout << response.run_id() << std::endl;
  return is_set(vm, "wait") ? watch(client, response.run_id()) : kExitOk;
}

int watch_remote_run(const service::Client& client, const std::string& run_id, const po::variables_map& vm) {
  auto from = parse_whole_number("--from", vm["from"].as<std::string>(), 0,
                                 static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  if (!from) return fail(from.status(), "bre remote");
  return watch(client, run_id, static_cast<std::int64_t>(*from));
}

// --out: the run record alone, or with --dataset (the run's, by hash) every file `bre run` writes.
Status write_fetched_run(const v1::RunRecord& record, const std::string& out, const po::variables_map& vm) {
  if (!vm.count("dataset")) return write_run_record(record.result(), out).status();
  const std::string path = vm["dataset"].as<std::string>();
  auto dataset = read_dataset(path);
  if (!dataset) return dataset.status();
  if (dataset_sha256(*dataset) != record.dataset_id()) {
    return invalid_argument(path + ": SHA-256 " + dataset_sha256(*dataset) + " differs from the run's dataset " +
                            record.dataset_id());
  }
  const DatasetIndex index(*dataset);
  auto exported = gis::export_run_files(record.result(), index);
  if (!exported) return exported.status();
  return write_run_outputs(record.result(), index, out, *exported).status();
}

int get_remote_run(const service::Client& client, const std::string& run_id, const po::variables_map& vm) {
  // Before asking the server: a result that cannot be written is not worth fetching.
  if (vm.count("out")) {
    if (Status status = check_output_directory(vm["out"].as<std::string>()); !status) return fail(status, "bre remote");
  }
  v1::RunRecord record;
  if (auto status = client.get_run(run_id, record); !status.ok()) return fail_call(status);
  std::cout << record.run_id() << ": " << run_status_label(record.status());
  if (!record.reason().empty()) std::cout << ": " << record.reason();
  std::cout << "\n";
  for (const auto& step : record.result().steps()) {
    std::cout << "  " << step.step_id() << ": " << v1::StepStatus_Name(step.status()).substr(12);
    if (!step.error().empty()) std::cout << ": " << step.error();
    std::cout << "\n";
  }
  if (vm.count("out")) {
    const std::string out = vm["out"].as<std::string>();
    if (Status status = write_fetched_run(record, out, vm); !status) return fail(status, "bre remote");
    std::cout << "results: " << out << "/run.pb\n";
  }
  return record.status() == v1::RUN_STATUS_SUCCEEDED ? kExitOk : kExitInternal;
}

int cancel_remote_run(const service::Client& client, const std::string& run_id) {
  v1::CancelRunResponse response;
  if (auto status = client.cancel_run(run_id, response); !status.ok()) return fail_call(status);
  std::cout << run_id << ": " << run_status_label(response.status()) << "\n";
  return kExitOk;
}

int delete_remote(const service::Client& client, const std::string& command, const std::string& id) {
  std::int64_t freed = 0;
  grpc::Status status;
  if (command == "delete-run") {
    v1::DeleteRunResponse response;
    status = client.delete_run(id, response);
    freed = response.freed_bytes();
  } else {
    v1::DeleteDatasetResponse response;
    status = client.delete_dataset(id, response);
    freed = response.freed_bytes();
  }
  if (!status.ok()) return fail_call(status);
  std::cout << id << ": deleted (" << freed << " bytes)\n";
  return kExitOk;
}

}  // namespace

int remote_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? std::cerr : std::cout) << kRemoteUsage << "\n";
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  const po::options_description options = remote_options();
  po::positional_options_description positional;
  positional.add("argument", 1);
  po::variables_map vm;
  if (auto code = parse_options(rest, "bre remote " + command, kRemoteUsage, options, positional, vm)) return *code;
  const bool needs_argument = command != "plugins";
  if (needs_argument && !vm.count("argument")) {
    std::cerr << "bre remote " << command << ": missing argument\n" << kRemoteUsage << "\n";
    return kExitUsage;
  }
  const std::string argument = vm.count("argument") ? vm["argument"].as<std::string>() : "";
  auto client_options = client_options_of(vm);
  if (!client_options) return fail(client_options.status(), "bre remote");
  const service::Client client(*client_options);

  if (command == "plugins") return list_remote_plugins(client);
  if (command == "put") return put_dataset(client, argument);
  if (command == "run") return start_remote_run(client, argument, vm);
  if (command == "watch") return watch_remote_run(client, argument, vm);
  if (command == "get") return get_remote_run(client, argument, vm);
  if (command == "cancel") return cancel_remote_run(client, argument);
  if (command == "delete-run" || command == "delete-dataset") return delete_remote(client, command, argument);
  std::cerr << "bre remote: unknown command '" << command << "'"
            << did_you_mean(command, {"plugins", "put", "run", "watch", "get", "cancel", "delete-run", "delete-dataset"})
            << "; `bre remote --help` lists the commands\n";
  return kExitUsage;
}

}  // namespace bre::cli
