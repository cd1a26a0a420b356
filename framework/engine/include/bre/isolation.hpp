// Plugin isolation: where a step's plugin runs, and the limits that apply to it.
//
// In process (the default for built-in plugins) a step is a call on a worker thread:
// fast, but a plugin that crashes takes the host with it, and limits can only ask the
// step to stop (cancellation). In a child process (bre-plugin-runner) the step gets
// its inputs and returns its outputs as protobuf over a socket (proto/bre/v1/runner.proto);
// a crash, an abort, a hang or a runaway allocation fails that step only, with the
// signal or limit named, and limits are hard: the child is killed. docs/isolation.md.
#pragma once

#include <cstdint>
#include <string>

#include "bre/host.hpp"
#include "bre/plugin.hpp"
#include "bre/status.hpp"

namespace bre {

/// Where one step runs.
enum class Isolation { kInProcess, kProcess };

/// A host's rule for the steps that do not ask for a child process themselves. A step
/// may ask for more isolation than the policy gives ("isolation": "process"), never less.
enum class IsolationPolicy {
  kNone,      // every step in process unless it asks for "process" (the CLI's default)
  kExternal,  // plugins that are not built in run in a child process (bre-server's default)
  kAll,       // every step in a child process
};

/// "none", "external" or "all"; errors name what was found.
Expected<IsolationPolicy> parse_isolation_policy(const std::string& text);
const char* isolation_policy_name(IsolationPolicy policy);

/// Checks a step's "isolation" field: "", "in_process" or "process".
Status check_step_isolation(const std::string& isolation);

/// The isolation of a step of `plugin` that asked for `requested` ("", "in_process" or
/// "process") under `policy`.
Isolation resolve_isolation(const std::string& requested, const LoadedPlugin& plugin, IsolationPolicy policy);

/// Per-step limits; 0 means none.
struct StepLimits {
  double time_limit_seconds = 0.0;     // wall time from the start of the step
  std::uint64_t memory_limit_mib = 0;  // resident memory of the step (see docs/isolation.md)
};

/// The largest host limits: a year, and 16 TiB (so that the limit in bytes, and the
/// deadline on the steady clock, cannot overflow).
inline constexpr double kMaxStepTimeLimitSeconds = 365.0 * 24 * 3600;
inline constexpr std::uint64_t kMaxStepMemoryLimitMib = std::uint64_t{1} << 24;

/// A host's isolation settings (the --isolation, --step-time-limit and
/// --step-memory-limit options of bre run and bre-server).
struct HostIsolation {
  IsolationPolicy policy = IsolationPolicy::kNone;
  StepLimits limits;
};

/// Checks those options; errors name the option, what was expected and what was found.
Expected<HostIsolation> parse_host_isolation(const std::string& policy, double time_limit_seconds,
                                             std::int64_t memory_limit_mib);

/// The limits of a step that asked for `requested` on a host with limits `host`: the
/// step's own limit where it set one, capped by the host's; the host's where it set none.
StepLimits effective_limits(const StepLimits& requested, const StepLimits& host);

/// "2 s", "0.5 s", "256 MiB": limits as error messages print them.
std::string describe_seconds(double seconds);

/// Resident memory of a process (0: this one) from /proc, in bytes; 0 when unknown.
std::uint64_t resident_memory_bytes(int pid = 0);

/// bre-plugin-runner: $BRE_PLUGIN_RUNNER when set, else "bre/bre-plugin-runner" beside
/// libbre (the build tree and an installation alike).
std::string plugin_runner_path();

/// Runs one step of `plugin` in this process, as the host does for steps in process
/// and bre-plugin-runner does in its child: an exception the plugin throws becomes an
/// internal error that names it, and output text that is not UTF-8 fails the step
/// (protobuf could not write it).
Status run_step_in_this_process(const Plugin& plugin, const StepContext& context, v1::Artifacts& out);

/// Runs one step of `plugin` in a child process and waits for it. `serialized_dataset`
/// is the dataset of `context` serialised once per run (it is sent to every isolated
/// step). Progress is forwarded to `context`; when `context.cancelled()` turns true the
/// child is asked to stop and killed if it has not within a few seconds. Returns the
/// plugin's status, or an error that names what ended the child: the signal, the time
/// limit, the memory limit, or an exit without a result. The child starts in
/// `working_directory`, or, when it is empty, in a fresh directory that is removed
/// afterwards; it writes its standard output to the host's standard error, so prints
/// do not reach the host's outputs.
Status run_step_in_child_process(const LoadedPlugin& plugin, const StepContext& context,
                                 const std::string& serialized_dataset, const StepLimits& limits,
                                 const std::string& working_directory, v1::Artifacts& out);

/// The exit status bre-plugin-runner uses when an allocation fails at its memory limit.
inline constexpr int kRunnerExitOutOfMemory = 101;

}  // namespace bre
