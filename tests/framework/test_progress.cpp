// bre run's progress line on a clock the test moves: elapsed time, and the time a step
// with its own progress has left at its pace so far.
#include <gtest/gtest.h>

#include <sstream>

#include "progress.hpp"

namespace {

using bre::StepEvent;
using bre::cli::ProgressDisplay;
using std::chrono::seconds;

// The last line drawn (after the last carriage return and erase).
std::string last_line(const std::ostringstream& out) {
  const std::string text = out.str();
  const auto at = text.rfind("\r\033[K");
  return at == std::string::npos ? text : text.substr(at + 4);
}

StepEvent event(StepEvent::Kind kind, const std::string& step, std::uint64_t done = 0, std::uint64_t total = 0) {
  StepEvent e;
  e.kind = kind;
  e.step_id = step;
  e.done = done;
  e.total = total;
  return e;
}

TEST(ProgressDisplay, ShowsElapsedTimeAndWhatAStepHasLeftAtItsPace) {
  ProgressDisplay::Clock::time_point now{};
  std::ostringstream out;
  ProgressDisplay display(true, 3, out, [&now] { return now; });
  display.on_event(event(StepEvent::Kind::kStarted, "bre"));
  display.on_event(event(StepEvent::Kind::kSucceeded, "bre"));
  EXPECT_EQ(last_line(out), "[1/3 steps, 0 s]");
  now += seconds(5);
  display.on_event(event(StepEvent::Kind::kStarted, "ensemble"));
  now += seconds(20);
  // 250 of 1,000 members in 20 s: 750 more take 60 s at that pace.
  display.on_event(event(StepEvent::Kind::kProgress, "ensemble", 250, 1000));
  EXPECT_EQ(last_line(out), "[1/3 steps, 25 s] ensemble 250/1000 (1:00 left)");
  now += seconds(3600);
  display.on_event(event(StepEvent::Kind::kProgress, "ensemble", 500, 1000));
  EXPECT_EQ(last_line(out), "[1/3 steps, 1:00:25] ensemble 500/1000 (1:00:20 left)");
  display.on_event(event(StepEvent::Kind::kFailed, "ensemble"));
  EXPECT_EQ(last_line(out), "[2/3 steps, 1 not done, 1:00:25]");
}

TEST(ProgressDisplay, NoTimeLeftBeforeASecondOfWorkOrWithoutProgress) {
  ProgressDisplay::Clock::time_point now{};
  std::ostringstream out;
  ProgressDisplay display(true, 1, out, [&now] { return now; });
  display.on_event(event(StepEvent::Kind::kStarted, "ensemble"));
  now += std::chrono::milliseconds(500);
  display.on_event(event(StepEvent::Kind::kProgress, "ensemble", 1, 10));
  EXPECT_EQ(last_line(out), "[0/1 steps, 0 s] ensemble 1/10");
  now += seconds(2);
  display.on_event(event(StepEvent::Kind::kProgress, "ensemble", 0, 10));
  EXPECT_EQ(last_line(out), "[0/1 steps, 2 s] ensemble 0/10");
}

TEST(ProgressDisplay, DisabledDrawsNothing) {
  std::ostringstream out;
  ProgressDisplay display(false, 1, out);
  display.on_event(event(StepEvent::Kind::kStarted, "a"));
  display.finish();
  EXPECT_EQ(out.str(), "");
}

TEST(FormatDuration, SecondsMinutesHours) {
  EXPECT_EQ(bre::cli::format_duration(seconds(0)), "0 s");
  EXPECT_EQ(bre::cli::format_duration(seconds(59)), "59 s");
  EXPECT_EQ(bre::cli::format_duration(seconds(60)), "1:00");
  EXPECT_EQ(bre::cli::format_duration(seconds(185)), "3:05");
  EXPECT_EQ(bre::cli::format_duration(seconds(3723)), "1:02:03");
  EXPECT_EQ(bre::cli::format_duration(seconds(-4)), "0 s");
}

}  // namespace
