// The run manager: the one place where bre-server runs pipelines and keeps its store
// bounded. gRPC handlers only submit, query, cancel and delete; runs execute on the
// manager's own worker threads (at most `max_concurrent_runs` at once, at most
// `max_queued_runs` waiting in a FIFO queue) on the same TBB engine as the CLI. A
// housekeeping thread turns each run's deadline into its cancel flag and applies the
// retention policy. Every state change is written to the store, and every engine
// StepEvent becomes a RunEvent that watchers receive (history first, then live).
//
// Memory: a full record only for queued and running runs; every other stored run is
// a RunSummary in the index and is read from disk when asked for.
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
#include "bre/isolation.hpp"
#include "bre/pipeline.hpp"
#include "bre/service/retention.hpp"
#include "bre/service/store.hpp"
#include "bre/status.hpp"
#include "bre/v1/service.pb.h"

namespace bre::service {

struct RunManagerOptions {
  int max_concurrent_runs = 2;            // runs executing at once; more wait in the queue
  int max_queued_runs = 100;              // runs waiting; more are refused (RESOURCE_EXHAUSTED)
  double default_deadline_seconds = 600;  // for a request without a deadline, from queueing
  double max_deadline_seconds = 3600;     // longer requested deadlines are capped here
  // Events kept per run. Step and run events are always kept (at most two per step and
  // three per run); progress events are dropped once a run has this many events.
  int max_events_per_run = 10000;
  RetentionPolicy retention;
  // How often the retention policy runs besides after every finished run and upload
  // (for the age rule).
  std::chrono::milliseconds retention_interval{60000};
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
  /// Reads the store's index (not its results and events) and applies the retention
  /// policy. Records left QUEUED or RUNNING by a server that stopped without
  /// finishing them become FAILED with the reason "interrupted: server stopped while
  /// running" (or "... while queued") and are written back. `host` and `store` must
  /// outlive the manager.
  static Expected<std::unique_ptr<RunManager>> create(const PluginHost& host, Store& store,
                                                     const RunManagerOptions& options);
  ~RunManager();
  RunManager(const RunManager&) = delete;
  RunManager& operator=(const RunManager&) = delete;

  /// Stores a checked dataset (Store::put_dataset) and applies the retention policy,
  /// which never removes the dataset just stored. ResourceExhausted when it cannot fit
  /// under the store's byte limit beside what queued and running runs hold.
  Expected<std::string> put_dataset(const v1::Dataset& dataset);

  /// Validates the spec against the loaded plugins and the dataset id against the
  /// store, then queues the run. Errors: the spec (step, plugin, parameter, cycle),
  /// an unknown dataset id, a negative deadline, a full queue (ResourceExhausted), a
  /// server that is shutting down (FailedPrecondition). Returns the new run id.
  /// O(steps) plus the write.
  Expected<std::string> submit(const v1::PipelineSpec& spec, const std::string& dataset_id,
                               std::uint64_t seed, double deadline_seconds);

  /// The run's record: a copy of a queued or running one, else read from the store.
  /// NotFound names the id.
  Expected<v1::RunRecord> get(const std::string& run_id) const;

  /// Requests cancellation: a queued run finishes CANCELLED at once; a running run's
  /// cancel flag is set and it finishes CANCELLED when the engine stops. A finished run
  /// is left alone. Returns the status after the request.
  Expected<v1::RunStatus> cancel(const std::string& run_id);

  /// Events of the run with sequence >= `from_sequence`; waits up to `wait` for at
  /// least one when there is none yet and the run has not finished. A finished run's
  /// events are read from the store, all at once.
  Expected<RunEvents> events(const std::string& run_id, std::int64_t from_sequence,
                             std::chrono::milliseconds wait) const;

  /// Removes a finished run from the index and the store; returns the bytes freed.
  /// NotFound for an unknown id, FailedPrecondition for a queued or running run.
  Expected<std::int64_t> remove_run(const std::string& run_id);

  /// Removes a dataset from the store; returns the bytes freed. NotFound for an
  /// unknown id, FailedPrecondition while a queued or running run uses it.
  Expected<std::int64_t> remove_dataset(const std::string& dataset_id);

  /// Stops accepting runs, cancels the queued ones, lets running ones finish for up
  /// to `grace`, then cancels them and waits until every record is written.
  void shutdown(std::chrono::milliseconds grace);

  /// Runs the retention policy now (it also runs after every finished run and upload,
  /// and every `retention_interval`).
  void apply_retention();

 private:
  struct ActiveRun;
  RunManager(const PluginHost& host, Store& store, const RunManagerOptions& options);
  void work();
  void housekeep();
  // Runs a run already marked RUNNING and records how it ended.
  void execute(ActiveRun& run);
  // Appends an event and wakes the run's watchers; caller holds mutex_.
  void add_event_locked(ActiveRun& run, v1::RunEvent event);
  // Finishes a run with `status` and `reason`; caller holds mutex_. Returns the record
  // to write once the lock is released (persist_final).
  v1::RunRecord finish_locked(ActiveRun& run, v1::RunStatus status, const std::string& reason);
  // Writes a record of a run that is still active and updates its size in the index.
  void persist(const v1::RunRecord& record);
  // Writes a finished run's record, then drops it from memory: from now on it is read
  // from the store. (If the write fails it stays in memory, so it is not lost to
  // GetRun before a restart.)
  void persist_final(const v1::RunRecord& record);
  void write_record(const v1::RunRecord& record, bool final);
  // The retention policy; the caller holds dataset_files_mutex_. `keep_dataset` is
  // never removed (an upload that has just been stored).
  void sweep_holding_files_lock(const std::string& keep_dataset);
  // Bytes of queued and running runs and the datasets they use; caller holds mutex_.
  std::int64_t bytes_in_use_locked() const;

  const PluginHost& host_;
  Store& store_;
  RunManagerOptions options_;
  // Held around writing and removing dataset files (uploads and retention), so a
  // dataset being uploaded again is never removed between its write and its index
  // entry. Taken before mutex_.
  std::mutex dataset_files_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;  // queue change, a run ended, stop, retention due
  std::map<std::string, RunSummary> index_;                     // every stored run
  std::map<std::string, std::shared_ptr<ActiveRun>> active_;    // queued, running, or not yet written finished
  std::map<std::string, DatasetSummary> datasets_;              // every stored dataset
  std::deque<std::shared_ptr<ActiveRun>> queue_;
  int running_ = 0;
  bool stopping_ = false;
  bool stop_housekeeping_ = false;
  bool retention_due_ = false;
  std::vector<std::thread> workers_;
  std::thread housekeeping_;
};

/// A new random run id: "run-" and 32 hex digits.
std::string new_run_id();

}  // namespace bre::service
