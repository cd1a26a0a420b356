// The run manager: the one place where bre-server runs pipelines. gRPC handlers only
// submit, query and cancel; runs execute on the manager's own worker threads (at most
// `max_concurrent_runs` at once, the rest wait in a FIFO queue) on the same TBB engine
// as the CLI. A watchdog turns each run's deadline into its cancel flag. Every state
// change is written to the store, and every engine StepEvent becomes a RunEvent that
// watchers receive (history first, then live).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bre/host.hpp"
#include "bre/pipeline.hpp"
#include "bre/service/store.hpp"
#include "bre/status.hpp"
#include "bre/isolation.hpp"
#include "bre/v1/service.pb.h"

namespace bre::service {

struct RunManagerOptions {
  int max_concurrent_runs = 2;          // runs executing at once; more wait in the queue
  double default_deadline_seconds = 600;  // for a request without a deadline, from queueing
  double max_deadline_seconds = 3600;   // longer requested deadlines are capped here
  // Plugins that are not built in run in child processes: a server runs code other
  // departments wrote, and one of them crashing must not take the others' runs down.
  HostIsolation isolation{IsolationPolicy::kExternal, {}};
};

/// What one WatchRun poll returns: the events from the requested sequence number on,
/// and whether the run has finished (then `events` ends with KIND_RUN_FINISHED).
struct RunEvents {
  std::vector<v1::RunEvent> events;
  bool finished = false;
};

class RunManager {
 public:
  /// Loads the store's run records. Records left QUEUED or RUNNING by a server that
  /// stopped without finishing them become FAILED with the reason "interrupted:
  /// server stopped while running" (or "... while queued") and are written back.
  /// `host` and `store` must outlive the manager.
  static Expected<std::unique_ptr<RunManager>> create(const PluginHost& host, Store& store,
                                                     const RunManagerOptions& options);
  ~RunManager();
  RunManager(const RunManager&) = delete;
  RunManager& operator=(const RunManager&) = delete;

  /// Validates the spec against the loaded plugins and the dataset id against the
  /// store, then queues the run. Errors: the spec (step, plugin, parameter, cycle),
  /// an unknown dataset id, a negative deadline, a server that is shutting down
  /// (FailedPrecondition). Returns the new run id. O(steps) plus the write.
  Expected<std::string> submit(const v1::PipelineSpec& spec, const std::string& dataset_id,
                               std::uint64_t seed, double deadline_seconds);

  /// The run's record (a copy). NotFound names the id.
  Expected<v1::RunRecord> get(const std::string& run_id) const;

  /// Requests cancellation: a queued run finishes CANCELLED at once; a running run's
  /// cancel flag is set and it finishes CANCELLED when the engine stops. A finished run
  /// is left alone. Returns the status after the request.
  Expected<v1::RunStatus> cancel(const std::string& run_id);

  /// Events of the run with sequence >= `from_sequence`; waits up to `wait` for at
  /// least one when there is none yet and the run has not finished.
  Expected<RunEvents> events(const std::string& run_id, std::int64_t from_sequence,
                             std::chrono::milliseconds wait) const;

  /// Stops accepting runs, cancels the queued ones, lets running ones finish for up
  /// to `grace`, then cancels them and waits until every record is written.
  void shutdown(std::chrono::milliseconds grace);

 private:
  struct Run;
  RunManager(const PluginHost& host, Store& store, const RunManagerOptions& options);
  void work();
  void watch_deadlines();
  // Runs a run already marked RUNNING and records how it ended.
  void execute(Run& run);
  // Appends an event and wakes watchers; caller holds mutex_.
  void add_event_locked(Run& run, v1::RunEvent event);
  // Finishes a run with `status` and `reason`; caller holds mutex_. Returns the record
  // to write once the lock is released.
  v1::RunRecord finish_locked(Run& run, v1::RunStatus status, const std::string& reason);
  void persist(const v1::RunRecord& record) const;

  const PluginHost& host_;
  Store& store_;
  RunManagerOptions options_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  // any event, queue change or stop
  std::map<std::string, std::shared_ptr<Run>> runs_;
  std::deque<std::shared_ptr<Run>> queue_;
  int running_ = 0;
  bool stopping_ = false;
  bool stop_watchdog_ = false;
  std::vector<std::thread> workers_;
  std::thread watchdog_;
};

/// A new random run id: "run-" and 32 hex digits.
std::string new_run_id();

}  // namespace bre::service
