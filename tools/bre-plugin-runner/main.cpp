// bre-plugin-runner: runs one step of one plugin for a host that isolates the step
// (bre/isolation.hpp). The host starts it with a socket as descriptor 3 and speaks
// proto/bre/v1/runner.proto over it: a RunnerRequest in, progress and one outcome out.
//
//   bre-plugin-runner [--log-level LEVEL] [--memory-limit-mib N]
//
// With a memory limit, the address space is capped before the plugin is loaded and a
// failed allocation ends the process with kRunnerExitOutOfMemory, which the host
// reports as the memory limit. Not meant to be started by hand.
#include <sys/resource.h>
#include <unistd.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <new>
#include <string>
#include <thread>

#include "bre/dataset.hpp"
#include "bre/host.hpp"
#include "bre/io.hpp"
#include "bre/isolation.hpp"
#include "bre/log.hpp"
#include "bre/plugin.hpp"
#include "bre/v1/runner.pb.h"

namespace {

constexpr int kSocket = 3;
constexpr int kExitProtocol = 2;

// Sanitizers reserve terabytes of address space for their shadow memory, so under them
// only the host's watch on resident memory enforces the limit. (TSan builds hide
// __SANITIZE_THREAD__ from protobuf and define BRE_SANITIZE_THREAD: CMakeLists.txt.)
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(BRE_SANITIZE_THREAD)
constexpr bool kCanCapAddressSpace = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kCanCapAddressSpace = false;
#else
constexpr bool kCanCapAddressSpace = true;
#endif
#else
constexpr bool kCanCapAddressSpace = true;
#endif

[[noreturn]] void protocol_failure(const std::string& what) {
  std::cerr << "bre-plugin-runner: " << what << "\n";
  std::_Exit(kExitProtocol);
}

// Writes replies whole: progress comes from the plugin's worker threads.
class ReplyWriter {
 public:
  void write(const bre::v1::RunnerReply& reply) {
    std::string framed;
    {
      google::protobuf::io::StringOutputStream stream(&framed);
      google::protobuf::util::SerializeDelimitedToZeroCopyStream(reply, &stream);
    }
    std::lock_guard lock(mutex_);
    std::size_t written = 0;
    while (written < framed.size()) {
      const ssize_t n = ::write(kSocket, framed.data() + written, framed.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) std::_Exit(kExitProtocol);  // the host is gone
      written += static_cast<std::size_t>(n);
    }
  }

 private:
  std::mutex mutex_;
};

// One stream for the request and the controls after it, so no byte read ahead is lost.
bool read_request(google::protobuf::io::FileInputStream& stream, bre::v1::RunnerRequest& request) {
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT32_MAX);
  std::uint64_t size = 0;
  if (!coded.ReadVarint64(&size) || size > INT32_MAX) return false;
  const auto limit = coded.PushLimit(static_cast<int>(size));
  if (!request.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) return false;
  coded.PopLimit(limit);
  return true;
}

// Waits for the host's cancel and leaves at once when the host closes its end.
void watch_host(google::protobuf::io::FileInputStream& stream, std::atomic<bool>& cancel) {
  while (true) {
    google::protobuf::io::CodedInputStream coded(&stream);
    std::uint64_t size = 0;
    if (!coded.ReadVarint64(&size) || size > 1024) std::_Exit(kExitProtocol);
    const auto limit = coded.PushLimit(static_cast<int>(size));
    bre::v1::RunnerControl control;
    if (!control.ParseFromCodedStream(&coded)) std::_Exit(kExitProtocol);
    coded.PopLimit(limit);
    if (control.cancel()) cancel = true;
  }
}

void send_outcome(ReplyWriter& writer, const bre::Status& status, bre::v1::Artifacts artifacts) {
  bre::v1::RunnerReply reply;
  auto* outcome = reply.mutable_outcome();
  outcome->set_status_code(static_cast<int>(status.code()));
  outcome->set_message(bre::to_valid_utf8(status.message()));
  if (status.is_ok()) *outcome->mutable_artifacts() = std::move(artifacts);
  writer.write(reply);
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t memory_limit_mib = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--memory-limit-mib" && i + 1 < argc) {
      memory_limit_mib = std::strtoull(argv[++i], nullptr, 10);
    } else if (argument == "--log-level" && i + 1 < argc) {
      if (auto status = bre::set_log_level(argv[++i]); !status) protocol_failure(status.message());
    } else {
      protocol_failure("unknown argument '" + argument + "' (this program is started by the bre host)");
    }
  }
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);  // a crashing plugin is reported, not dumped
  if (memory_limit_mib > 0 && kCanCapAddressSpace) {
    const rlim_t bytes = static_cast<rlim_t>(memory_limit_mib) * 1024 * 1024;
    const rlimit cap{bytes, bytes};
    setrlimit(RLIMIT_AS, &cap);
  }
  std::set_new_handler([] { std::_Exit(bre::kRunnerExitOutOfMemory); });

  google::protobuf::io::FileInputStream from_host(kSocket, 1 << 20);
  bre::v1::RunnerRequest request;
  if (!read_request(from_host, request)) protocol_failure("the host sent no complete bre.v1.RunnerRequest");
  ReplyWriter writer;
  std::atomic<bool> cancel{false};
  std::thread(watch_host, std::ref(from_host), std::ref(cancel)).detach();

  bre::PluginHost host;
  (void)host.load_library(request.library_path(), "isolated");
  const bre::LoadedPlugin* plugin = host.find(request.plugin_name());
  if (plugin == nullptr) {
    const std::string reason = host.errors().empty() ? "it does not provide plugin " + request.plugin_name()
                                                     : host.errors().front().reason;
    send_outcome(writer, bre::internal_error("the plugin process cannot load " + request.library_path() + ": " + reason),
                 {});
    std::_Exit(0);
  }
  const bre::DatasetIndex index(request.dataset());
  const bre::Params params = bre::Params::from_resolved({request.parameters().begin(), request.parameters().end()});
  std::vector<bre::StepInput> inputs;
  for (const auto& input : request.inputs()) inputs.push_back({input.step_id(), &input.artifacts()});
  const bre::StepContext context(
      request.step_id(), index, params, request.seed(), std::move(inputs), &cancel, bre::logger().get(),
      [&writer](std::uint64_t done, std::uint64_t total) {
        bre::v1::RunnerReply reply;
        reply.mutable_progress()->set_done(done);
        reply.mutable_progress()->set_total(total);
        writer.write(reply);
      },
      &request.manifest());

  bre::v1::Artifacts artifacts;
  const bre::Status status = bre::run_step_in_this_process(*plugin->plugin, context, artifacts);
  send_outcome(writer, status, std::move(artifacts));
  // Leave without unloading the plugin under threads it may have left running.
  std::_Exit(0);
}
