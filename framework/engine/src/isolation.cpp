#include "bre/isolation.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <google/protobuf/wire_format_lite.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "bre/io.hpp"
#include "bre/log.hpp"
#include "bre/v1/runner.pb.h"
#include "descriptor.hpp"

extern char** environ;

namespace bre {

Expected<IsolationPolicy> parse_isolation_policy(const std::string& text) {
  if (text == "none") return IsolationPolicy::kNone;
  if (text == "external") return IsolationPolicy::kExternal;
  if (text == "all") return IsolationPolicy::kAll;
  return invalid_argument("isolation: expected none, external or all, found '" + text + "'");
}

const char* isolation_policy_name(IsolationPolicy policy) {
  switch (policy) {
    case IsolationPolicy::kNone: return "none";
    case IsolationPolicy::kExternal: return "external";
    case IsolationPolicy::kAll: return "all";
  }
  return "none";
}

Status run_step_in_this_process(const Plugin& plugin, const StepContext& context, v1::Artifacts& out) {
  Status status;
  try {
    status = plugin.run(context, out);
  } catch (const std::exception& e) {
    status = internal_error(std::string("the plugin threw: ") + e.what());
  } catch (...) {
    status = internal_error("the plugin threw a non-standard exception");
  }
  if (status.is_ok()) {
    if (auto where = find_invalid_utf8(out)) status = invalid_argument("output field " + *where + " is not valid UTF-8");
  }
  return status;
}

Status check_step_isolation(const std::string& isolation) {
  if (isolation.empty() || isolation == "in_process" || isolation == "process") return Status::ok();
  return invalid_argument("isolation: expected \"in_process\" or \"process\", found \"" + excerpt(isolation) + "\"");
}

Isolation resolve_isolation(const std::string& requested, const LoadedPlugin& plugin, IsolationPolicy policy) {
  if (requested == "process") return Isolation::kProcess;
  switch (policy) {
    case IsolationPolicy::kAll: return Isolation::kProcess;
    case IsolationPolicy::kExternal:
      return plugin.origin == "built-in" ? Isolation::kInProcess : Isolation::kProcess;
    case IsolationPolicy::kNone: return Isolation::kInProcess;
  }
  return Isolation::kInProcess;
}

Expected<HostIsolation> parse_host_isolation(const std::string& policy, double time_limit_seconds,
                                             std::int64_t memory_limit_mib) {
  HostIsolation host;
  auto parsed = parse_isolation_policy(policy);
  if (!parsed) return invalid_argument("--" + parsed.status().message());
  host.policy = *parsed;
  if (!std::isfinite(time_limit_seconds) || time_limit_seconds < 0 || time_limit_seconds > kMaxStepTimeLimitSeconds) {
    return invalid_argument("--step-time-limit: expected 0 (none) or a positive number of seconds up to " +
                            std::to_string(static_cast<std::uint64_t>(kMaxStepTimeLimitSeconds)) + ", found " + std::to_string(time_limit_seconds));
  }
  if (memory_limit_mib < 0 || static_cast<std::uint64_t>(memory_limit_mib) > kMaxStepMemoryLimitMib) {
    return invalid_argument("--step-memory-limit: expected 0 (none) or a positive number of MiB up to " +
                            std::to_string(kMaxStepMemoryLimitMib) + ", found " + std::to_string(memory_limit_mib));
  }
  host.limits = {time_limit_seconds, static_cast<std::uint64_t>(memory_limit_mib)};
  return host;
}

namespace {

template <typename T>
T capped(T requested, T host) {
  if (host <= 0) return requested;
  return requested <= 0 ? host : std::min(requested, host);
}

}  // namespace

StepLimits effective_limits(const StepLimits& requested, const StepLimits& host) {
  return {capped(requested.time_limit_seconds, host.time_limit_seconds),
          capped(requested.memory_limit_mib, host.memory_limit_mib)};
}

std::string describe_seconds(double seconds) {
  std::ostringstream text;
  text << seconds << " s";
  return text.str();
}

std::uint64_t resident_memory_bytes(int pid) {
  const std::string path = pid == 0 ? "/proc/self/statm" : "/proc/" + std::to_string(pid) + "/statm";
  std::ifstream statm(path);
  std::uint64_t size_pages = 0;
  std::uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

std::string plugin_runner_path() {
  if (const char* env = std::getenv("BRE_PLUGIN_RUNNER"); env != nullptr && *env != '\0') return env;
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&plugin_runner_path), &info) != 0 && info.dli_fname != nullptr) {
    const auto candidate = std::filesystem::path(info.dli_fname).parent_path() / "bre" / "bre-plugin-runner";
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
  }
  return BRE_BUILD_PLUGIN_RUNNER;
}

namespace {

namespace wire = google::protobuf::internal;

// How long a child asked to stop may take before it is killed.
constexpr auto kCancelGrace = std::chrono::seconds(5);
// How often the host looks at the child's clock and memory while it waits.
constexpr int kPollMilliseconds = 20;

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// The request with the dataset spliced in as field 4: protobuf merges fields in any
// order, so the run serialises the (large) dataset once for all its isolated steps.
std::string frame_request(const v1::RunnerRequest& request, const std::string& serialized_dataset) {
  std::string body = request.SerializeAsString();
  std::string dataset_field;
  {
    google::protobuf::io::StringOutputStream stream(&dataset_field);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteTag(wire::WireFormatLite::MakeTag(v1::RunnerRequest::kDatasetFieldNumber,
                                                 wire::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint64(serialized_dataset.size());
  }
  std::string framed;
  {
    google::protobuf::io::StringOutputStream stream(&framed);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteVarint64(body.size() + dataset_field.size() + serialized_dataset.size());
  }
  framed.reserve(framed.size() + body.size() + dataset_field.size() + serialized_dataset.size());
  framed += body;
  framed += dataset_field;
  framed += serialized_dataset;
  return framed;
}

std::string frame_message(const google::protobuf::Message& message) {
  std::string framed;
  {
    google::protobuf::io::StringOutputStream stream(&framed);
    google::protobuf::util::SerializeDelimitedToZeroCopyStream(message, &stream);
  }
  return framed;
}

// Takes the complete length-delimited replies off the front of `inbox`.
Status take_replies(std::string& inbox, std::vector<v1::RunnerReply>& replies) {
  std::size_t consumed = 0;
  while (consumed < inbox.size()) {
    google::protobuf::io::CodedInputStream coded(reinterpret_cast<const std::uint8_t*>(inbox.data() + consumed),
                                                 static_cast<int>(std::min<std::size_t>(inbox.size() - consumed, 1u << 30)));
    std::uint64_t size = 0;
    if (!coded.ReadVarint64(&size)) {
      if (inbox.size() - consumed >= 10) return internal_error("the plugin process sent a malformed message size");
      break;  // the size itself is not complete yet
    }
    if (size > (std::uint64_t{1} << 31)) {
      return internal_error("the plugin process sent a message of " + std::to_string(size) + " bytes, more than 2 GiB");
    }
    const std::size_t header = static_cast<std::size_t>(coded.CurrentPosition());
    if (inbox.size() - consumed - header < size) break;
    v1::RunnerReply reply;
    if (!reply.ParseFromArray(inbox.data() + consumed + header, static_cast<int>(size))) {
      return internal_error("the plugin process sent a reply that is not a bre.v1.RunnerReply");
    }
    replies.push_back(std::move(reply));
    consumed += header + size;
  }
  inbox.erase(0, consumed);
  return Status::ok();
}

std::string signal_text(int signal_number) {
  const char* abbreviation = sigabbrev_np(signal_number);
  const char* description = sigdescr_np(signal_number);
  std::string text = "signal " + std::to_string(signal_number);
  if (abbreviation != nullptr) text += " (SIG" + std::string(abbreviation);
  if (description != nullptr) text += std::string(abbreviation != nullptr ? ", " : " (") + description;
  if (abbreviation != nullptr || description != nullptr) text += ")";
  return text;
}

// A fresh working directory for the child, removed when the step is over.
class ScratchDirectory {
 public:
  ScratchDirectory() {
    std::error_code ec;
    std::string pattern = (std::filesystem::temp_directory_path(ec) / "bre-step-XXXXXX").string();
    if (ec) pattern = "/tmp/bre-step-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Starts bre-plugin-runner with `child_socket` as its descriptor 3, standard input
// from /dev/null, standard output to the host's standard error, no other descriptor,
// default signal handling and an empty signal mask (bre-server blocks SIGTERM in all
// its threads, and a mask survives exec).
Expected<pid_t> spawn_runner(const std::string& runner, int child_socket, const std::string& working_directory,
                             const StepLimits& limits) {
  // The plugin's messages follow the host's log level, as they would in process.
  const auto level = spdlog::level::to_string_view(logger()->level());
  std::vector<std::string> arguments = {runner, "--log-level", std::string(level.data(), level.size())};
  if (limits.memory_limit_mib > 0) {
    arguments.push_back("--memory-limit-mib");
    arguments.push_back(std::to_string(limits.memory_limit_mib));
  }
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  posix_spawn_file_actions_adddup2(&actions, child_socket, 3);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, 2, 1);
  posix_spawn_file_actions_addclosefrom_np(&actions, 4);
  if (!working_directory.empty()) posix_spawn_file_actions_addchdir_np(&actions, working_directory.c_str());
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &empty);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, runner.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    return internal_error("cannot start the plugin runner " + runner + ": " + std::strerror(error));
  }
  return pid;
}


// The request the runner reads first: the plugin, the step's parameters, seed, inputs and
// manifest, then the dataset as it was serialized once for the run.
std::string runner_request(const LoadedPlugin& plugin, const StepContext& context, const std::string& serialized_dataset) {
  v1::RunnerRequest request;
  request.set_library_path(plugin.description.library_path());
  request.set_plugin_name(plugin.description.name());
  request.set_step_id(context.step_id());
  for (const auto& parameter : context.params().resolved()) *request.add_parameters() = parameter;
  request.set_seed(context.seed());
  for (const auto& input : context.inputs()) {
    auto* added = request.add_inputs();
    added->set_step_id(input.step_id);
    *added->mutable_artifacts() = *input.artifacts;
  }
  if (context.manifest() != nullptr) *request.mutable_manifest() = *context.manifest();
  return frame_request(request, serialized_dataset);
}

// The host's and the child's ends of the connection; the child's end is never descriptor 3,
// since posix_spawn's dup2 onto the same number would leave close-on-exec set.
Status open_connection(Descriptor& host_end, Descriptor& child_end) {
  int sockets[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
    return internal_error(errno_text("cannot create the socket to the plugin process"));
  }
  host_end.reset(sockets[0]);
  child_end.reset(sockets[1]);
  // The dataset goes over this socket: larger buffers mean fewer wake-ups on both sides.
  const int buffer_bytes = 4 << 20;
  ::setsockopt(host_end.get(), SOL_SOCKET, SO_SNDBUF, &buffer_bytes, sizeof buffer_bytes);
  ::setsockopt(child_end.get(), SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
  if (child_end.get() == 3) {
    child_end.reset(::fcntl(3, F_DUPFD_CLOEXEC, 4));
    if (child_end.get() < 0) return internal_error(errno_text("cannot move the plugin process's socket"));
  }
  return Status::ok();
}

// One conversation with a started runner: until the child is reaped and its socket
// drained, send the request (and a cancel), read progress and the outcome, and watch
// the clock, the memory and the cancel flag; then say how the step ended.
class RunnerConversation {
 public:
  RunnerConversation(pid_t pid, Descriptor host_end, std::string outbox, const StepContext& context,
                     const StepLimits& limits)
      : pid_(pid),
        host_end_(std::move(host_end)),
        outbox_(std::move(outbox)),
        context_(context),
        limits_(limits),
        start_(std::chrono::steady_clock::now()),
        deadline_(limits.time_limit_seconds > 0
                      ? start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(limits.time_limit_seconds))
                      : std::chrono::steady_clock::time_point::max()),
        memory_limit_bytes_(limits.memory_limit_mib * 1024 * 1024),
        // The child's exit is an event too (a pidfd), so no step waits on a polling interval.
        exit_event_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {
    ::fcntl(host_end_.get(), F_SETFL, ::fcntl(host_end_.get(), F_GETFL) | O_NONBLOCK);
  }

  Status run(v1::Artifacts& out) {
    while (open_ || !reaped_) {
      exchange();
      if (!reaped_) {
        const pid_t waited = ::waitpid(pid_, &wait_status_, WNOHANG);
        reaped_ = waited == pid_ || (waited < 0 && errno != EINTR);
      }
      if (!reaped_) watch(std::chrono::steady_clock::now());
    }
    host_end_.reset();
    return verdict(out);
  }

 private:
  enum class Ended { kNotYet, kTimeLimit, kMemoryLimit, kCancelGraceOver, kClosedButRunning };

  void kill_child(Ended why) {
    if (killed_ != Ended::kNotYet) return;
    killed_ = why;
    ::kill(pid_, SIGKILL);
  }

  bool request_sent() const { return sent_ >= outbox_.size(); }

  // One wait on the socket and the exit event, then what the socket is ready for.
  void exchange() {
    pollfd poll_fds[2];
    nfds_t watched = 0;
    const bool sending = !request_sent() || !pending_control_.empty();
    if (open_) poll_fds[watched++] = {host_end_.get(), static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
    if (!reaped_ && exit_event_.get() >= 0) poll_fds[watched++] = {exit_event_.get(), POLLIN, 0};
    // Once the child is reaped, only what it left in the socket remains: do not wait.
    const int ready = ::poll(poll_fds, watched, reaped_ ? 0 : kPollMilliseconds);
    if (ready < 0 && errno != EINTR) {
      protocol_error_ = internal_error(errno_text("waiting for the plugin process"));
      kill_child(Ended::kCancelGraceOver);
      open_ = false;
    }
    if (open_ && ready == 0 && reaped_) open_ = false;  // a descendant may hold the socket open
    if (open_ && ready > 0) {
      const short events = poll_fds[0].revents;
      if ((events & POLLOUT) != 0) send_some();
      if ((events & (POLLIN | POLLHUP | POLLERR)) != 0) receive_some();
    }
  }

  void send_some() {
    const std::string& data = request_sent() ? pending_control_ : outbox_;
    const std::size_t offset = request_sent() ? 0 : sent_;
    const ssize_t n = ::send(host_end_.get(), data.data() + offset, data.size() - offset, MSG_NOSIGNAL);
    if (n > 0) {
      if (!request_sent()) sent_ += static_cast<std::size_t>(n);
      else pending_control_.erase(0, static_cast<std::size_t>(n));
    } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      sent_ = outbox_.size();  // the child is gone; its exit status tells why
      pending_control_.clear();
    }
  }

  void receive_some() {
    char buffer[1 << 16];
    const ssize_t n = ::recv(host_end_.get(), buffer, sizeof buffer, 0);
    if (n > 0) {
      inbox_.append(buffer, static_cast<std::size_t>(n));
      std::vector<v1::RunnerReply> replies;
      if (Status taken = take_replies(inbox_, replies); !taken) {
        protocol_error_ = taken;
        kill_child(Ended::kCancelGraceOver);
      }
      for (auto& reply : replies) {
        if (reply.has_progress()) context_.report_progress(reply.progress().done(), reply.progress().total());
        if (reply.has_outcome()) outcome_ = std::move(*reply.mutable_outcome());
      }
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      open_ = false;  // the child closed its end: it has exited or is about to
      closed_at_ = std::chrono::steady_clock::now();
    }
  }

  // The limits of a running child: time, memory, the run's cancel flag, a closed connection.
  void watch(std::chrono::steady_clock::time_point now) {
    if (now >= deadline_) kill_child(Ended::kTimeLimit);
    if (memory_limit_bytes_ > 0) {
      const std::uint64_t resident = resident_memory_bytes(pid_);
      peak_resident_ = std::max(peak_resident_, resident);
      if (resident > memory_limit_bytes_) kill_child(Ended::kMemoryLimit);
    }
    if (context_.cancelled() && !cancel_sent_at_) {
      cancel_sent_at_ = now;
      if (!request_sent()) {
        kill_child(Ended::kCancelGraceOver);  // it has not even got its request
      } else {
        v1::RunnerControl control;
        control.set_cancel(true);
        pending_control_ = frame_message(control);
      }
    }
    if (cancel_sent_at_ && now - *cancel_sent_at_ > kCancelGrace) kill_child(Ended::kCancelGraceOver);
    // A child that closed its connection has nothing more to say; it must not linger.
    if (closed_at_ && now - *closed_at_ > kCancelGrace) kill_child(Ended::kClosedButRunning);
  }

  // Why the host killed the child, if it did and that decides the step; otherwise ok.
  Status killed_status() const {
    const std::string mib_text = std::to_string(limits_.memory_limit_mib) + " MiB";
    switch (killed_) {
      case Ended::kTimeLimit:
        return internal_error("exceeded its time limit of " + describe_seconds(limits_.time_limit_seconds) +
                              "; the plugin process was killed");
      case Ended::kMemoryLimit:
        return internal_error("exceeded its memory limit of " + mib_text + " (resident " +
                              std::to_string(peak_resident_ >> 20) + " MiB); the plugin process was killed");
      case Ended::kCancelGraceOver:
        if (!protocol_error_) return protocol_error_;
        return {StatusCode::kCancelled, "the run was cancelled; the plugin process did not stop within " +
                                            std::to_string(kCancelGrace.count()) + " s and was killed"};
      case Ended::kClosedButRunning:
        if (outcome_) break;  // it answered, then did not exit: its answer stands
        return internal_error("the plugin process closed its connection to the host without a result and did not "
                              "exit; it was killed");
      case Ended::kNotYet: break;
    }
    return Status::ok();
  }

  Status verdict(v1::Artifacts& out) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (Status killed = killed_status(); !killed) return killed;
    if (WIFSIGNALED(wait_status_) && killed_ != Ended::kClosedButRunning) {
      return internal_error("the plugin process was killed by " + signal_text(WTERMSIG(wait_status_)) + " after " +
                            describe_seconds(std::round(seconds * 100) / 100));
    }
    const int exit_code = WIFEXITED(wait_status_) ? WEXITSTATUS(wait_status_) : -1;
    if (exit_code == kRunnerExitOutOfMemory) {
      return internal_error("exceeded its memory limit of " + std::to_string(limits_.memory_limit_mib) +
                            " MiB (an allocation failed); the plugin process stopped");
    }
    if (!protocol_error_) return protocol_error_;
    if (!outcome_ || (exit_code != 0 && killed_ != Ended::kClosedButRunning)) {
      return internal_error("the plugin process exited with code " + std::to_string(exit_code) +
                            (outcome_ ? "" : " without a result") + " (its messages are in the host's log)");
    }
    if (outcome_->status_code() != 0) {
      const int code = outcome_->status_code();
      const bool known = code > 0 && code <= static_cast<int>(StatusCode::kInternal);
      return {known ? static_cast<StatusCode>(code) : StatusCode::kInternal, outcome_->message()};
    }
    out = std::move(*outcome_->mutable_artifacts());
    return Status::ok();
  }

  const pid_t pid_;
  Descriptor host_end_;
  const std::string outbox_;
  const StepContext& context_;
  const StepLimits& limits_;
  const std::chrono::steady_clock::time_point start_;
  const std::chrono::steady_clock::time_point deadline_;
  const std::uint64_t memory_limit_bytes_;
  Descriptor exit_event_;
  Ended killed_ = Ended::kNotYet;
  std::uint64_t peak_resident_ = 0;
  std::size_t sent_ = 0;
  std::string pending_control_;
  std::optional<std::chrono::steady_clock::time_point> cancel_sent_at_;
  std::string inbox_;
  std::optional<v1::RunnerOutcome> outcome_;
  Status protocol_error_;
  bool open_ = true;
  bool reaped_ = false;
  int wait_status_ = 0;
  std::optional<std::chrono::steady_clock::time_point> closed_at_;
};

}  // namespace

Status run_step_in_child_process(const LoadedPlugin& plugin, const StepContext& context,
                                 const std::string& serialized_dataset, const StepLimits& limits,
                                 const std::string& working_directory, v1::Artifacts& out) {
  std::string outbox = runner_request(plugin, context, serialized_dataset);
  Descriptor host_end;
  Descriptor child_end;
  if (Status opened = open_connection(host_end, child_end); !opened) return opened;
  std::optional<ScratchDirectory> scratch;
  if (working_directory.empty()) {
    scratch.emplace();
    if (scratch->path().empty()) return internal_error(errno_text("cannot create a working directory for the plugin"));
  }
  auto spawned = spawn_runner(plugin_runner_path(), child_end.get(), scratch ? scratch->path() : working_directory, limits);
  if (!spawned) return spawned.status();
  child_end.reset();
  return RunnerConversation(*spawned, std::move(host_end), std::move(outbox), context, limits).run(out);
}

}  // namespace bre
