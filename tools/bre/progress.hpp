// What `bre run` tells people while a pipeline runs: a one-line progress display on a
// terminal (steps done of total and the time since the start, and the running steps' own
// progress such as ensemble members with the time they have left at their pace so far),
// nothing when stderr is not a terminal or the user asked for quiet output.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

#include "bre/pipeline.hpp"

namespace bre::cli {

class ProgressDisplay {
 public:
  using Clock = std::chrono::steady_clock;
  /// `enabled` false makes every call a no-op. `out` is where the line is drawn; `now`
  /// reads the clock (a test gives its own).
  ProgressDisplay(bool enabled, std::size_t total_steps, std::ostream& out,
                  std::function<Clock::time_point()> now = Clock::now);
  ~ProgressDisplay();

  /// Feed every engine event; thread-safe. Redraws at most every 100 ms, except when
  /// a step finishes.
  void on_event(const StepEvent& event);
  /// Clears the line so normal output starts on a clean line.
  void finish();

 private:
  struct Running {
    Clock::time_point started;
    std::uint64_t done = 0;
    std::uint64_t total = 0;
  };
  void draw(bool force);

  bool enabled_;
  std::size_t total_steps_;
  std::ostream& out_;
  std::mutex mutex_;
  std::size_t finished_ = 0;
  std::size_t failed_ = 0;
  std::function<Clock::time_point()> now_;
  Clock::time_point started_;
  std::map<std::string, Running> running_;
  Clock::time_point last_draw_{};
  bool drawn_ = false;
};

/// "42 s", "3:05" (minutes), "1:02:03" (hours): a duration as people read it.
std::string format_duration(std::chrono::seconds duration);

/// Whether stderr is an interactive terminal (progress is drawn only then).
bool stderr_is_terminal();

}  // namespace bre::cli
