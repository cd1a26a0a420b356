#include "bre/service/run_manager.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "bre/log.hpp"
#include <spdlog/spdlog.h>

namespace bre::service {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_terminal(v1::RunStatus status) {
  return status != v1::RUN_STATUS_QUEUED && status != v1::RUN_STATUS_RUNNING &&
         status != v1::RUN_STATUS_UNSPECIFIED;
}

v1::RunEvent::Kind event_kind(StepEvent::Kind kind) {
  switch (kind) {
    case StepEvent::Kind::kStarted: return v1::RunEvent::KIND_STEP_STARTED;
    case StepEvent::Kind::kSucceeded: return v1::RunEvent::KIND_STEP_SUCCEEDED;
    case StepEvent::Kind::kFailed: return v1::RunEvent::KIND_STEP_FAILED;
    case StepEvent::Kind::kSkipped: return v1::RunEvent::KIND_STEP_SKIPPED;
    case StepEvent::Kind::kCancelled: return v1::RunEvent::KIND_STEP_CANCELLED;
    case StepEvent::Kind::kProgress: return v1::RunEvent::KIND_STEP_PROGRESS;
  }
  return v1::RunEvent::KIND_UNSPECIFIED;
}

std::string format_seconds(double seconds) {
  std::ostringstream out;
  out << seconds;
  return out.str();
}

// "RUNNING" for RUN_STATUS_RUNNING.
std::string status_label(v1::RunStatus status) { return v1::RunStatus_Name(status).substr(11); }

Status unknown_run(const std::string& run_id) { return not_found("run_id: no run '" + run_id.substr(0, 80) + "'"); }

RunSummary summary_of(const v1::RunRecord& record, std::int64_t bytes) {
  RunSummary summary;
  summary.status = record.status();
  summary.dataset_id = record.dataset_id();
  summary.queued_unix_ms = record.queued_unix_ms();
  summary.finished_unix_ms = record.finished_unix_ms();
  summary.bytes = bytes;
  return summary;
}

// The step's progress in tenths, 0 to 10 whatever the plugin reports, so a plugin
// that counts past its total cannot make every report a new tenth.
std::uint64_t progress_tenth(std::uint64_t done, std::uint64_t total) {
  if (total == 0) return 0;
  if (done >= total) return 10;
  if (total <= UINT64_MAX / 10) return done * 10 / total;
  return std::min<std::uint64_t>(done / (total / 10), 9);
}

}  // namespace

struct RunManager::ActiveRun {
  v1::RunRecord record;
  std::optional<ValidatedPipeline> pipeline;  // until the run finishes
  std::shared_ptr<const v1::Dataset> dataset;
  std::atomic<bool> cancel{false};
  // Why the cancel flag was set; the status the run ends with if it stops early.
  v1::RunStatus cancel_status = v1::RUN_STATUS_CANCELLED;
  std::string cancel_reason;
  Clock::time_point queued_at;
  Clock::time_point deadline_at;
  std::condition_variable events_changed;  // a new event, for this run's watchers only
};

std::string new_run_id() {
  static std::mutex mutex;
  static std::mt19937_64 generator{std::random_device{}()};
  std::lock_guard lock(mutex);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "run-";
  for (int word = 0; word < 2; ++word) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 16; ++i, bits >>= 4) id += kHex[bits & 15];
  }
  return id;
}

RunManager::RunManager(const PluginHost& host, Store& store, const RunManagerOptions& options)
    : host_(host), store_(store), options_(options) {}

Expected<std::unique_ptr<RunManager>> RunManager::create(const PluginHost& host, Store& store,
                                                         const RunManagerOptions& options) {
  if (options.max_concurrent_runs < 1) {
    return invalid_argument("--max-concurrent-runs: expected at least 1, found " +
                            std::to_string(options.max_concurrent_runs));
  }
  if (options.max_queued_runs < 0) {
    return invalid_argument("--max-queued-runs: expected 0 or more, found " + std::to_string(options.max_queued_runs));
  }
  // Room for the step and run events of a small pipeline, so progress is what gets dropped.
  if (options.max_events_per_run < 100) {
    return invalid_argument("--max-events-per-run: expected at least 100, found " +
                            std::to_string(options.max_events_per_run));
  }
  if (!(options.default_deadline_seconds > 0) || !(options.max_deadline_seconds >= options.default_deadline_seconds)) {
    return invalid_argument("deadlines: expected 0 < default (" + format_seconds(options.default_deadline_seconds) +
                            " s) <= maximum (" + format_seconds(options.max_deadline_seconds) + " s)");
  }
  const auto& retention = options.retention;
  if (retention.max_runs < 0 || !(retention.max_age_days >= 0) || retention.max_store_bytes < 0 ||
      retention.max_datasets < 0) {
    return invalid_argument("--retain-runs, --retain-days, --store-max-bytes, --retain-datasets: expected 0 (no "
                            "limit) or a positive number");
  }
  auto index = store.load_run_index();
  if (!index) return index.status();
  auto datasets = store.list_datasets();
  if (!datasets) return datasets.status();
  std::unique_ptr<RunManager> manager(new RunManager(host, store, options));
  manager->datasets_ = std::move(*datasets);
  for (auto& [header, bytes, modified_unix_ms] : *index) {
    if (!is_terminal(header.status())) {
      auto full = store.load_run(header.run_id());
      if (!full) return full.status();
      v1::RunRecord& record = *full;
      const bool was_running = record.status() == v1::RUN_STATUS_RUNNING;
      record.set_status(v1::RUN_STATUS_FAILED);
      record.set_reason(std::string("interrupted: server stopped while ") + (was_running ? "running" : "queued"));
      record.set_finished_unix_ms(unix_ms_now());
      v1::RunEvent event;
      event.set_sequence(record.events_size());
      event.set_kind(v1::RunEvent::KIND_RUN_FINISHED);
      event.set_message(record.reason());
      event.set_run_status(record.status());
      *record.add_events() = event;
      auto written = store.save_run(record);
      if (!written) return written.status();
      logger()->warn("run {}: {}", record.run_id(), record.reason());
      header = std::move(record);
      bytes = *written;
    }
    RunSummary summary = summary_of(header, bytes);
    // A record without times ages from when it was last written.
    if (summary.finished_unix_ms == 0) summary.finished_unix_ms = modified_unix_ms;
    manager->index_.emplace(header.run_id(), std::move(summary));
  }
  index->clear();
  // A server restarted with a tighter policy prunes before it serves.
  manager->apply_retention();
  for (int i = 0; i < options.max_concurrent_runs; ++i) manager->workers_.emplace_back([m = manager.get()] { m->work(); });
  manager->housekeeping_ = std::thread([m = manager.get()] { m->housekeep(); });
  return manager;
}

RunManager::~RunManager() { shutdown(std::chrono::milliseconds(0)); }

std::int64_t RunManager::bytes_in_use_locked() const {
  std::int64_t bytes = 0;
  std::set<std::string> datasets;
  for (const auto& [id, run] : active_) {
    if (is_terminal(run->record.status())) continue;  // written and gone in a moment
    if (const auto found = index_.find(id); found != index_.end()) bytes += found->second.bytes;
    datasets.insert(run->record.dataset_id());
  }
  for (const auto& id : datasets) {
    if (const auto found = datasets_.find(id); found != datasets_.end()) bytes += found->second.bytes;
  }
  return bytes;
}

Expected<std::string> RunManager::put_dataset(const v1::Dataset& dataset) {
  std::lock_guard files(dataset_files_mutex_);
  const auto size = static_cast<std::int64_t>(dataset.ByteSizeLong());
  const std::int64_t limit = options_.retention.max_store_bytes;
  if (limit > 0) {
    std::lock_guard lock(mutex_);
    const std::int64_t in_use = bytes_in_use_locked();
    if (size + in_use > limit) {
      return resource_exhausted("dataset: " + std::to_string(size) + " bytes do not fit in the store (--store-max-bytes " +
                                std::to_string(limit) + ", of which " + std::to_string(in_use) +
                                " are held by queued and running runs and their datasets)");
    }
  }
  std::int64_t bytes = 0;
  auto id = store_.put_dataset(dataset, &bytes);
  if (!id) return id.status();
  {
    std::lock_guard lock(mutex_);
    datasets_[*id] = DatasetSummary{bytes, unix_ms_now()};
  }
  sweep_holding_files_lock(*id);
  return id;
}

Expected<std::string> RunManager::submit(const v1::PipelineSpec& spec, const std::string& dataset_id,
                                         std::uint64_t seed, double deadline_seconds) {
  if (!(deadline_seconds >= 0)) {
    return invalid_argument("deadline_seconds: expected 0 (the server's default) or a positive number, found " +
                            format_seconds(deadline_seconds));
  }
  // Why the run cannot be queued now, if it cannot; caller holds mutex_.
  auto refusal_locked = [&]() -> Status {
    if (stopping_) return failed_precondition("the server is shutting down and accepts no new runs");
    if (static_cast<int>(queue_.size()) >= options_.max_queued_runs) {
      return resource_exhausted("RunPipeline: " + std::to_string(queue_.size()) +
                                " runs are waiting already (--max-queued-runs); try again when one has started");
    }
    return Status::ok();
  };
  {
    std::lock_guard lock(mutex_);
    BRE_RETURN_IF_ERROR(refusal_locked());
  }
  auto pipeline = validate_pipeline(spec, host_);
  if (!pipeline) return pipeline.status().with_context("spec");
  auto dataset = store_.dataset(dataset_id);
  if (!dataset) return dataset.status();

  auto run = std::make_shared<ActiveRun>();
  run->pipeline = std::move(*pipeline);
  run->dataset = std::move(*dataset);
  const double deadline =
      std::min(deadline_seconds == 0 ? options_.default_deadline_seconds : deadline_seconds, options_.max_deadline_seconds);
  run->queued_at = Clock::now();
  run->deadline_at = run->queued_at + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(deadline));
  auto& record = run->record;
  record.set_run_id(new_run_id());
  record.set_status(v1::RUN_STATUS_QUEUED);
  record.set_dataset_id(dataset_id);
  record.set_seed(seed == 0 ? 1 : seed);
  *record.mutable_spec() = spec;
  record.set_deadline_seconds(deadline);
  record.set_queued_unix_ms(unix_ms_now());
  v1::RunEvent queued;
  queued.set_kind(v1::RunEvent::KIND_QUEUED);
  add_event_locked(*run, queued);  // not yet shared: no lock needed
  // Written before it can start, so the file never lags behind a later state.
  auto bytes = store_.save_run(record);
  if (!bytes) return bytes.status();
  const std::string run_id = record.run_id();
  {
    std::lock_guard lock(mutex_);
    Status refused = refusal_locked();
    // Retention removed the dataset since it was read: as if it had gone just before.
    if (refused && !datasets_.count(dataset_id)) refused = unknown_dataset(dataset_id);
    if (!refused) {
      (void)store_.remove_run(run_id);
      return refused;
    }
    index_.emplace(run_id, summary_of(record, *bytes));
    active_[run_id] = run;
    queue_.push_back(run);
    datasets_[dataset_id].last_used_unix_ms = record.queued_unix_ms();
  }
  changed_.notify_all();
  store_.mark_dataset_used(dataset_id, record.queued_unix_ms());
  logger()->info("run {}: queued ({} steps, dataset {}, seed {})", run_id, spec.steps_size(), dataset_id,
                 record.seed());
  return run_id;
}

Expected<v1::RunRecord> RunManager::get(const std::string& run_id) const {
  {
    std::lock_guard lock(mutex_);
    if (!index_.count(run_id)) return unknown_run(run_id);
    if (auto found = active_.find(run_id); found != active_.end()) return found->second->record;
  }
  return store_.load_run(run_id);
}

Expected<v1::RunStatus> RunManager::cancel(const std::string& run_id) {
  std::optional<v1::RunRecord> to_write;
  v1::RunStatus status;
  {
    std::lock_guard lock(mutex_);
    auto found = active_.find(run_id);
    if (found == active_.end()) {
      const auto stored = index_.find(run_id);
      if (stored == index_.end()) return unknown_run(run_id);
      return stored->second.status;  // finished: left alone
    }
    ActiveRun& run = *found->second;
    if (run.record.status() == v1::RUN_STATUS_QUEUED) {
      queue_.erase(std::remove(queue_.begin(), queue_.end(), found->second), queue_.end());
      to_write = finish_locked(run, v1::RUN_STATUS_CANCELLED, "cancelled by CancelRun before it started");
    } else if (run.record.status() == v1::RUN_STATUS_RUNNING && !run.cancel) {
      run.cancel_status = v1::RUN_STATUS_CANCELLED;
      run.cancel_reason = "cancelled by CancelRun";
      run.cancel = true;
    }
    status = run.record.status();
  }
  if (to_write) persist_final(*to_write);
  return status;
}

Expected<RunEvents> RunManager::events(const std::string& run_id, std::int64_t from_sequence,
                                       std::chrono::milliseconds wait) const {
  RunEvents out;
  const auto first = static_cast<int>(std::clamp<std::int64_t>(from_sequence, 0, INT32_MAX));
  {
    std::unique_lock lock(mutex_);
    if (!index_.count(run_id)) return unknown_run(run_id);
    if (auto found = active_.find(run_id); found != active_.end()) {
      const std::shared_ptr<ActiveRun> run = found->second;
      run->events_changed.wait_for(lock, wait, [&] {
        return run->record.events_size() > first || is_terminal(run->record.status());
      });
      for (int i = first; i < run->record.events_size(); ++i) out.events.push_back(run->record.events(i));
      out.finished = is_terminal(run->record.status());
      return out;
    }
  }
  auto record = store_.load_run(run_id, RecordParts::kEvents);
  if (!record) return record.status();
  for (int i = first; i < record->events_size(); ++i) out.events.push_back(record->events(i));
  out.finished = true;
  return out;
}

Expected<std::int64_t> RunManager::remove_run(const std::string& run_id) {
  std::lock_guard lock(mutex_);
  const auto found = index_.find(run_id);
  if (found == index_.end()) return unknown_run(run_id);
  if (found->second.status == v1::RUN_STATUS_QUEUED || found->second.status == v1::RUN_STATUS_RUNNING) {
    return failed_precondition("run_id: run " + run_id + " is " + status_label(found->second.status) +
                               "; cancel it (CancelRun) and delete it once it finished");
  }
  // A run that has just finished may still be on its way to the store: persist_final
  // removes what it writes once the run is no longer in the index.
  const std::int64_t bytes = found->second.bytes;
  BRE_RETURN_IF_ERROR(store_.remove_run(run_id));
  index_.erase(found);
  logger()->info("run {}: deleted ({} bytes)", run_id, bytes);
  return bytes;
}

Expected<std::int64_t> RunManager::remove_dataset(const std::string& dataset_id) {
  BRE_RETURN_IF_ERROR(check_dataset_id(dataset_id));
  std::lock_guard files(dataset_files_mutex_);
  std::lock_guard lock(mutex_);
  const auto found = datasets_.find(dataset_id);
  if (found == datasets_.end()) return unknown_dataset(dataset_id);
  for (const auto& [id, run] : active_) {
    if (!is_terminal(run->record.status()) && run->record.dataset_id() == dataset_id) {
      return failed_precondition("dataset_id: dataset " + dataset_id + " is used by run " + id + " (" +
                                 status_label(run->record.status()) + "); delete it once that run finished");
    }
  }
  const std::int64_t bytes = found->second.bytes;
  BRE_RETURN_IF_ERROR(store_.remove_dataset(dataset_id));
  datasets_.erase(found);
  logger()->info("dataset {}: deleted ({} bytes)", dataset_id, bytes);
  return bytes;
}

void RunManager::apply_retention() {
  std::lock_guard files(dataset_files_mutex_);
  sweep_holding_files_lock("");
}

void RunManager::sweep_holding_files_lock(const std::string& keep_dataset) {
  std::lock_guard lock(mutex_);
  std::set<std::string> datasets_in_use = {keep_dataset};
  for (const auto& [id, run] : active_) {
    if (!is_terminal(run->record.status())) datasets_in_use.insert(run->record.dataset_id());
  }
  std::vector<StoredItem> items;
  items.reserve(index_.size() + datasets_.size());
  for (const auto& [id, summary] : index_) {
    StoredItem item{StoredItem::Kind::kRun, id, summary.bytes, summary.finished_unix_ms, active_.count(id) > 0};
    if (item.last_used_unix_ms == 0) item.last_used_unix_ms = summary.queued_unix_ms;
    items.push_back(std::move(item));
  }
  for (const auto& [id, summary] : datasets_) {
    items.push_back({StoredItem::Kind::kDataset, id, summary.bytes, summary.last_used_unix_ms,
                     datasets_in_use.count(id) > 0});
  }
  const auto chosen = select_for_removal(items, options_.retention, unix_ms_now());
  if (chosen.empty()) return;
  std::int64_t runs = 0, datasets = 0, bytes = 0;
  for (std::size_t i : chosen) {
    const StoredItem& item = items[i];
    const bool is_run = item.kind == StoredItem::Kind::kRun;
    // File removal is fast; doing it under the lock keeps index and store in step.
    Status removed = is_run ? store_.remove_run(item.id) : store_.remove_dataset(item.id);
    if (!removed) {
      logger()->error("retention: {}", removed.message());
      continue;
    }
    if (is_run) {
      index_.erase(item.id);
      ++runs;
    } else {
      datasets_.erase(item.id);
      ++datasets;
    }
    bytes += item.bytes;
  }
  logger()->info("retention: removed {} finished run(s) and {} dataset(s), {} bytes", runs, datasets, bytes);
}

void RunManager::shutdown(std::chrono::milliseconds grace) {
  std::vector<v1::RunRecord> to_write;
  {
    std::unique_lock lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    for (auto& run : queue_) {
      to_write.push_back(finish_locked(*run, v1::RUN_STATUS_CANCELLED, "cancelled: server stopped before the run started"));
    }
    queue_.clear();
  }
  changed_.notify_all();
  for (const auto& record : to_write) persist_final(record);
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, grace, [&] { return running_ == 0; });
    for (auto& [id, run] : active_) {
      if (run->record.status() == v1::RUN_STATUS_RUNNING && !run->cancel) {
        run->cancel_status = v1::RUN_STATUS_CANCELLED;
        run->cancel_reason = "cancelled: server stopped while running";
        run->cancel = true;
      }
    }
  }
  for (auto& worker : workers_) worker.join();
  workers_.clear();
  {
    std::lock_guard lock(mutex_);
    stop_housekeeping_ = true;
  }
  changed_.notify_all();
  if (housekeeping_.joinable()) housekeeping_.join();
}

void RunManager::work() {
  for (;;) {
    std::shared_ptr<ActiveRun> run;
    v1::RunRecord started;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      run = queue_.front();
      queue_.pop_front();
      ++running_;
      // RUNNING under the same lock as the pop, so a cancel or a deadline from now on
      // takes the running path (the cancel flag) and never finishes it a second time.
      run->record.set_status(v1::RUN_STATUS_RUNNING);
      run->record.set_started_unix_ms(unix_ms_now());
      index_[run->record.run_id()].status = v1::RUN_STATUS_RUNNING;
      v1::RunEvent event;
      event.set_kind(v1::RunEvent::KIND_RUN_STARTED);
      add_event_locked(*run, std::move(event));
      started = run->record;
    }
    persist(started);
    execute(*run);
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
    changed_.notify_all();
  }
}

void RunManager::execute(ActiveRun& run) {
  logger()->info("run {}: started", run.record.run_id());
  RunOptions options;
  options.seed = run.record.seed();  // set at submit, never changed
  options.cancel = &run.cancel;
  // The store checked the dataset at upload (or when it loaded it from disk) and its
  // id is its SHA-256: the engine need not do either again for every run.
  options.checked_dataset_sha256 = run.record.dataset_id();
  options.isolation = options_.isolation.policy;
  options.step_limits = options_.isolation.limits;
  // Progress is kept to one event per tenth of a step's work, so an ensemble of
  // thousands of members does not flood the stored history, and stops at the
  // per-run cap, so no plugin can grow a record (and every watcher's copy) without bound.
  std::map<std::string, std::uint64_t> last_tenth;
  options.on_event = [&](const StepEvent& step_event) {
    v1::RunEvent event;
    event.set_kind(event_kind(step_event.kind));
    event.set_step_id(step_event.step_id);
    event.set_message(step_event.message);
    event.set_step_seconds(step_event.seconds);
    event.set_done(step_event.done);
    event.set_total(step_event.total);
    std::lock_guard lock(mutex_);
    if (step_event.kind == StepEvent::Kind::kProgress) {
      if (run.record.events_size() >= options_.max_events_per_run) return;
      const std::uint64_t tenth = progress_tenth(step_event.done, step_event.total);
      auto [it, inserted] = last_tenth.emplace(step_event.step_id, tenth);
      if (!inserted && tenth <= it->second) return;
      it->second = tenth;
    }
    add_event_locked(run, std::move(event));
  };
  auto result = run_pipeline(*run.pipeline, *run.dataset, options);

  v1::RunRecord finished;
  {
    std::lock_guard lock(mutex_);
    if (!result) {
      finished = finish_locked(run, v1::RUN_STATUS_FAILED, result.status().message());
    } else {
      *run.record.mutable_result() = std::move(*result);
      const v1::StepResult* first_unsuccessful = nullptr;
      for (const auto& step : run.record.result().steps()) {
        if (step.status() != v1::STEP_STATUS_SUCCEEDED) {
          first_unsuccessful = &step;
          break;
        }
      }
      if (first_unsuccessful == nullptr) {
        finished = finish_locked(run, v1::RUN_STATUS_SUCCEEDED, "");
      } else if (run.cancel) {
        finished = finish_locked(run, run.cancel_status, run.cancel_reason);
      } else {
        finished = finish_locked(run, v1::RUN_STATUS_FAILED,
                                 "step '" + first_unsuccessful->step_id() + "': " + first_unsuccessful->error());
      }
    }
  }
  persist_final(finished);
  logger()->info("run {}: {}", finished.run_id(), v1::RunStatus_Name(finished.status()));
}

void RunManager::housekeep() {
  std::unique_lock lock(mutex_);
  auto next_retention = Clock::now() + options_.retention_interval;
  while (!stop_housekeeping_) {
    std::vector<v1::RunRecord> to_write;
    const auto now = Clock::now();
    for (auto& [id, run] : active_) {
      if (is_terminal(run->record.status()) || run->cancel || now < run->deadline_at) continue;
      const std::string reason = "deadline exceeded: the run did not finish within " +
                                 format_seconds(run->record.deadline_seconds()) + " s";
      if (run->record.status() == v1::RUN_STATUS_QUEUED) {
        queue_.erase(std::remove(queue_.begin(), queue_.end(), run), queue_.end());
        to_write.push_back(finish_locked(*run, v1::RUN_STATUS_DEADLINE_EXCEEDED, reason));
      } else {
        run->cancel_status = v1::RUN_STATUS_DEADLINE_EXCEEDED;
        run->cancel_reason = reason;
        run->cancel = true;
      }
    }
    const bool retention_due = retention_due_ || now >= next_retention;
    if (!to_write.empty() || retention_due) {
      retention_due_ = false;
      lock.unlock();
      for (const auto& record : to_write) persist_final(record);
      if (retention_due) {
        apply_retention();
        next_retention = Clock::now() + options_.retention_interval;
      }
      lock.lock();
    }
    changed_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stop_housekeeping_ || retention_due_; });
  }
}

void RunManager::add_event_locked(ActiveRun& run, v1::RunEvent event) {
  event.set_sequence(run.record.events_size());
  event.set_elapsed_seconds(std::chrono::duration<double>(Clock::now() - run.queued_at).count());
  *run.record.add_events() = std::move(event);
  run.events_changed.notify_all();
}

v1::RunRecord RunManager::finish_locked(ActiveRun& run, v1::RunStatus status, const std::string& reason) {
  run.record.set_status(status);
  run.record.set_reason(reason);
  run.record.set_finished_unix_ms(unix_ms_now());
  v1::RunEvent event;
  event.set_kind(v1::RunEvent::KIND_RUN_FINISHED);
  event.set_message(reason);
  event.set_run_status(status);
  add_event_locked(run, std::move(event));
  if (auto found = index_.find(run.record.run_id()); found != index_.end()) {
    found->second.status = status;
    found->second.finished_unix_ms = run.record.finished_unix_ms();
  }
  // The pipeline and dataset are no longer needed; the record keeps the result.
  run.pipeline.reset();
  run.dataset.reset();
  return run.record;
}

void RunManager::persist(const v1::RunRecord& record) { write_record(record, false); }

void RunManager::persist_final(const v1::RunRecord& record) { write_record(record, true); }

void RunManager::write_record(const v1::RunRecord& record, bool final) {
  auto bytes = store_.save_run(record);
  if (!bytes) {
    logger()->error("run {}: the record could not be written to the store: {}", record.run_id(),
                    bytes.status().message());
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (auto found = index_.find(record.run_id()); found != index_.end()) {
      found->second.bytes = *bytes;
    } else if (final) {
      (void)store_.remove_run(record.run_id());  // deleted while it was being written
    }
    if (!final) return;
    active_.erase(record.run_id());
    retention_due_ = true;
  }
  changed_.notify_all();
}

}  // namespace bre::service
