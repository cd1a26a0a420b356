#include "bre/service/run_manager.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <random>
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

}  // namespace

struct RunManager::Run {
  v1::RunRecord record;
  std::optional<ValidatedPipeline> pipeline;  // runs submitted to this process only
  std::shared_ptr<const v1::Dataset> dataset;
  std::atomic<bool> cancel{false};
  // Why the cancel flag was set; the status the run ends with if it stops early.
  v1::RunStatus cancel_status = v1::RUN_STATUS_CANCELLED;
  std::string cancel_reason;
  Clock::time_point queued_at;
  Clock::time_point deadline_at;
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
  if (!(options.default_deadline_seconds > 0) || !(options.max_deadline_seconds >= options.default_deadline_seconds)) {
    return invalid_argument("deadlines: expected 0 < default (" + format_seconds(options.default_deadline_seconds) +
                            " s) <= maximum (" + format_seconds(options.max_deadline_seconds) + " s)");
  }
  auto records = store.load_runs();
  if (!records) return records.status();
  std::unique_ptr<RunManager> manager(new RunManager(host, store, options));
  for (auto& record : *records) {
    if (!is_terminal(record.status())) {
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
      BRE_RETURN_IF_ERROR(store.save_run(record));
      logger()->warn("run {}: {}", record.run_id(), record.reason());
    }
    auto run = std::make_shared<Run>();
    run->record = std::move(record);
    manager->runs_[run->record.run_id()] = std::move(run);
  }
  for (int i = 0; i < options.max_concurrent_runs; ++i) manager->workers_.emplace_back([m = manager.get()] { m->work(); });
  manager->watchdog_ = std::thread([m = manager.get()] { m->watch_deadlines(); });
  return manager;
}

RunManager::~RunManager() { shutdown(std::chrono::milliseconds(0)); }

Expected<std::string> RunManager::submit(const v1::PipelineSpec& spec, const std::string& dataset_id,
                                         std::uint64_t seed, double deadline_seconds) {
  if (!(deadline_seconds >= 0)) {
    return invalid_argument("deadline_seconds: expected 0 (the server's default) or a positive number, found " +
                            format_seconds(deadline_seconds));
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return failed_precondition("the server is shutting down and accepts no new runs");
  }
  auto pipeline = validate_pipeline(spec, host_);
  if (!pipeline) return pipeline.status().with_context("spec");
  auto dataset = store_.dataset(dataset_id);
  if (!dataset) return dataset.status();

  auto run = std::make_shared<Run>();
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
  BRE_RETURN_IF_ERROR(store_.save_run(record));
  const std::string run_id = record.run_id();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return failed_precondition("the server is shutting down and accepts no new runs");
    runs_[run_id] = run;
    queue_.push_back(run);
  }
  changed_.notify_all();
  logger()->info("run {}: queued ({} steps, dataset {}, seed {})", run_id, spec.steps_size(), dataset_id,
                 record.seed());
  return run_id;
}

Expected<v1::RunRecord> RunManager::get(const std::string& run_id) const {
  std::lock_guard lock(mutex_);
  auto found = runs_.find(run_id);
  if (found == runs_.end()) return not_found("run_id: no run '" + run_id.substr(0, 80) + "'");
  return found->second->record;
}

Expected<v1::RunStatus> RunManager::cancel(const std::string& run_id) {
  std::optional<v1::RunRecord> to_write;
  v1::RunStatus status;
  {
    std::lock_guard lock(mutex_);
    auto found = runs_.find(run_id);
    if (found == runs_.end()) return not_found("run_id: no run '" + run_id.substr(0, 80) + "'");
    Run& run = *found->second;
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
  if (to_write) persist(*to_write);
  return status;
}

Expected<RunEvents> RunManager::events(const std::string& run_id, std::int64_t from_sequence,
                                       std::chrono::milliseconds wait) const {
  std::unique_lock lock(mutex_);
  auto found = runs_.find(run_id);
  if (found == runs_.end()) return not_found("run_id: no run '" + run_id.substr(0, 80) + "'");
  const std::shared_ptr<Run> run = found->second;
  changed_.wait_for(lock, wait, [&] {
    return run->record.events_size() > from_sequence || is_terminal(run->record.status());
  });
  RunEvents out;
  for (auto i = std::max<std::int64_t>(from_sequence, 0); i < run->record.events_size(); ++i) {
    out.events.push_back(run->record.events(static_cast<int>(i)));
  }
  out.finished = is_terminal(run->record.status());
  return out;
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
  for (const auto& record : to_write) persist(record);
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, grace, [&] { return running_ == 0; });
    for (auto& [id, run] : runs_) {
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
    stop_watchdog_ = true;
  }
  changed_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

void RunManager::work() {
  for (;;) {
    std::shared_ptr<Run> run;
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

void RunManager::execute(Run& run) {
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
  // thousands of members does not flood the stored history.
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
      const std::uint64_t tenth = step_event.total == 0 ? 0 : step_event.done * 10 / step_event.total;
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
  persist(finished);
  logger()->info("run {}: {}", finished.run_id(), v1::RunStatus_Name(finished.status()));
}

void RunManager::watch_deadlines() {
  std::unique_lock lock(mutex_);
  while (!stop_watchdog_) {
    std::vector<v1::RunRecord> to_write;
    const auto now = Clock::now();
    for (auto& [id, run] : runs_) {
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
    if (!to_write.empty()) {
      lock.unlock();
      for (const auto& record : to_write) persist(record);
      lock.lock();
    }
    changed_.wait_for(lock, std::chrono::milliseconds(20), [&] { return stop_watchdog_; });
  }
}

void RunManager::add_event_locked(Run& run, v1::RunEvent event) {
  event.set_sequence(run.record.events_size());
  event.set_elapsed_seconds(std::chrono::duration<double>(Clock::now() - run.queued_at).count());
  *run.record.add_events() = std::move(event);
  changed_.notify_all();
}

v1::RunRecord RunManager::finish_locked(Run& run, v1::RunStatus status, const std::string& reason) {
  run.record.set_status(status);
  run.record.set_reason(reason);
  run.record.set_finished_unix_ms(unix_ms_now());
  v1::RunEvent event;
  event.set_kind(v1::RunEvent::KIND_RUN_FINISHED);
  event.set_message(reason);
  event.set_run_status(status);
  add_event_locked(run, std::move(event));
  // The pipeline and dataset are no longer needed; the record keeps the result.
  run.pipeline.reset();
  run.dataset.reset();
  return run.record;
}

void RunManager::persist(const v1::RunRecord& record) const {
  if (Status status = store_.save_run(record); !status) {
    logger()->error("run {}: the record could not be written to the store: {}", record.run_id(), status.message());
  }
}

}  // namespace bre::service
