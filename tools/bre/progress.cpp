#include "progress.hpp"

#include <unistd.h>

namespace bre::cli {

ProgressDisplay::ProgressDisplay(bool enabled, std::size_t total_steps, std::ostream& out)
    : enabled_(enabled), total_steps_(total_steps), out_(out) {}

ProgressDisplay::~ProgressDisplay() { finish(); }

void ProgressDisplay::on_event(const StepEvent& event) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  bool force = false;
  switch (event.kind) {
    case StepEvent::Kind::kStarted: running_[event.step_id] = {0, 0}; break;
    case StepEvent::Kind::kProgress: running_[event.step_id] = {event.done, event.total}; break;
    case StepEvent::Kind::kFailed:
    case StepEvent::Kind::kSkipped:
    case StepEvent::Kind::kCancelled:
      ++failed_;
      [[fallthrough]];
    case StepEvent::Kind::kSucceeded:
      ++finished_;
      running_.erase(event.step_id);
      force = true;
      break;
  }
  draw(force);
}

void ProgressDisplay::draw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  std::string line = "[" + std::to_string(finished_) + "/" + std::to_string(total_steps_) + " steps";
  if (failed_ > 0) line += ", " + std::to_string(failed_) + " not done";
  line += "]";
  for (const auto& [step, progress] : running_) {
    line += " " + step;
    if (progress.second > 0) line += " " + std::to_string(progress.first) + "/" + std::to_string(progress.second);
  }
  if (line.size() > 100) line = line.substr(0, 97) + "...";
  // Carriage return and erase-line redraw in place.
  out_ << "\r\033[K" << line << std::flush;
}

void ProgressDisplay::finish() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (drawn_) out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace bre::cli
