#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace bre::cli {

ProgressDisplay::ProgressDisplay(bool enabled, std::size_t total_steps, std::ostream& out,
                                 std::function<Clock::time_point()> now)
    : enabled_(enabled), total_steps_(total_steps), out_(out), now_(std::move(now)), started_(now_()) {}

ProgressDisplay::~ProgressDisplay() { finish(); }

void ProgressDisplay::on_event(const StepEvent& event) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  bool force = false;
  switch (event.kind) {
    case StepEvent::Kind::kStarted: running_[event.step_id] = {now_(), 0, 0}; break;
    case StepEvent::Kind::kProgress: {
      Running& step = running_[event.step_id];
      step.done = event.done;
      step.total = event.total;
      break;
    }
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
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  const auto now = now_();
  if (!force && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  std::string line = "[" + std::to_string(finished_) + "/" + std::to_string(total_steps_) + " steps";
  if (failed_ > 0) line += ", " + std::to_string(failed_) + " not done";
  line += ", " + format_duration(duration_cast<seconds>(now - started_)) + "]";
  for (const auto& [step, progress] : running_) {
    line += " " + step;
    if (progress.total == 0) continue;
    line += " " + std::to_string(progress.done) + "/" + std::to_string(progress.total);
    // What is left at the pace so far; said only once a second of work gives a pace.
    const double spent = std::chrono::duration<double>(now - progress.started).count();
    if (progress.done > 0 && progress.done < progress.total && spent >= 1.0) {
      const double left = spent * static_cast<double>(progress.total - progress.done) / static_cast<double>(progress.done);
      line += " (" + format_duration(seconds(static_cast<std::int64_t>(left + 0.5))) + " left)";
    }
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

std::string format_duration(std::chrono::seconds duration) {
  const std::int64_t total = duration.count() < 0 ? 0 : duration.count();
  char text[32];
  if (total < 60) {
    std::snprintf(text, sizeof text, "%lld s", static_cast<long long>(total));
  } else if (total < 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld", static_cast<long long>(total / 60),
                  static_cast<long long>(total % 60));
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                  static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
  }
  return text;
}

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace bre::cli
