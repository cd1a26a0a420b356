// What `bre run` tells people while a pipeline runs: a one-line progress display on a
// terminal (steps done of total, and the running steps' own progress such as ensemble
// members), nothing when stderr is not a terminal or the user asked for quiet output.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

#include "bre/pipeline.hpp"

namespace bre::cli {

class ProgressDisplay {
 public:
  /// `enabled` false makes every call a no-op. `out` is where the line is drawn.
  ProgressDisplay(bool enabled, std::size_t total_steps, std::ostream& out);
  ~ProgressDisplay();

  /// Feed every engine event; thread-safe. Redraws at most every 100 ms, except when
  /// a step finishes.
  void on_event(const StepEvent& event);
  /// Clears the line so normal output starts on a clean line.
  void finish();

 private:
  void draw(bool force);

  bool enabled_;
  std::size_t total_steps_;
  std::ostream& out_;
  std::mutex mutex_;
  std::size_t finished_ = 0;
  std::size_t failed_ = 0;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> running_;  // step -> (done, total)
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

/// Whether stderr is an interactive terminal (progress is drawn only then).
bool stderr_is_terminal();

}  // namespace bre::cli
