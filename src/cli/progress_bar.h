// The shell's progress bar: a one-line summary of a long statement on stderr.
//
//   ▕██████████░░░░░░░░░░▏  48% │ 1,204,311 rows │ 401,437 rows/s │ 0:03 elapsed │ 0:03 left
//
// It appears once a statement has run for `delay` and is redrawn at most ten
// times a second from its own thread, from the latest snapshot the engine
// reported; it is erased when the statement ends.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "common/progress.h"

namespace alopex::cli {

// The bar's text for `snapshot` after `elapsed_seconds`, at most `width`
// columns wide (the least useful parts are dropped first).
std::string RenderProgressLine(const ProgressSnapshot& snapshot, double elapsed_seconds, size_t width);

// 1234567 -> "1,234,567".
std::string WithThousandsSeparators(uint64_t n);
// Seconds as "0:07", "12:34" or "1:02:03".
std::string FormatDuration(double seconds);

class ProgressBar final : public Progress {
 public:
  // Draws on `out` (a terminal), `width` columns wide (0: ask the terminal).
  explicit ProgressBar(FILE* out, std::chrono::milliseconds delay = std::chrono::milliseconds(1000));
  ~ProgressBar() override;

  // Bracket one statement: Begin starts the clock and the drawing thread, End
  // stops them and erases the bar if it was drawn.
  void Begin();
  void End();

  // Progress: called by the engine, from any thread.
  void OnStart(const std::string& operation) override;
  void OnUpdate(const ProgressSnapshot& snapshot) override;
  void OnFinish() override {}

 private:
  void Run();
  size_t TerminalWidth() const;

  FILE* out_;
  std::chrono::milliseconds delay_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool running_ = false;
  bool drawn_ = false;
  ProgressSnapshot snapshot_;
  std::chrono::steady_clock::time_point start_;
  std::thread thread_;
};

}  // namespace alopex::cli
