// Progress: the one interface every long operation (scan, import, export,
// commit) reports to, and the shell's progress bar listens to.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace alopex {

// What a running operation has done so far. `total_*` are 0 when unknown.
struct ProgressSnapshot {
  std::string operation;  // "COPY FROM", "SELECT", ...
  uint64_t rows_done = 0;
  uint64_t bytes_done = 0;
  uint64_t bytes_total = 0;
  uint64_t work_done = 0;   // abstract units: files, row groups, morsels
  uint64_t work_total = 0;
  double percent() const {
    if (work_total) return 100.0 * double(work_done) / double(work_total);
    if (bytes_total) return 100.0 * double(bytes_done) / double(bytes_total);
    return -1;
  }
};

// A listener; implementations must be thread-safe (workers report concurrently).
class Progress {
 public:
  virtual ~Progress() = default;
  virtual void OnStart(const std::string& operation) {}
  virtual void OnUpdate(const ProgressSnapshot& snapshot) {}
  virtual void OnFinish() {}
};

// The counters an operation bumps from any thread; the executor polls them and
// forwards snapshots to the listener at a bounded rate.
class ProgressTracker {
 public:
  explicit ProgressTracker(std::string operation = "") : operation_(std::move(operation)) {}
  void AddRows(uint64_t n) { rows_.fetch_add(n, std::memory_order_relaxed); }
  void AddBytes(uint64_t n) { bytes_.fetch_add(n, std::memory_order_relaxed); }
  void AddWork(uint64_t n) { work_.fetch_add(n, std::memory_order_relaxed); }
  void AddWorkTotal(uint64_t n) { work_total_.fetch_add(n, std::memory_order_relaxed); }
  void AddBytesTotal(uint64_t n) { bytes_total_.fetch_add(n, std::memory_order_relaxed); }
  void SetOperation(std::string op) { operation_ = std::move(op); }
  ProgressSnapshot Snapshot() const {
    ProgressSnapshot s;
    s.operation = operation_;
    s.rows_done = rows_.load(std::memory_order_relaxed);
    s.bytes_done = bytes_.load(std::memory_order_relaxed);
    s.bytes_total = bytes_total_.load(std::memory_order_relaxed);
    s.work_done = work_.load(std::memory_order_relaxed);
    s.work_total = work_total_.load(std::memory_order_relaxed);
    return s;
  }

 private:
  std::string operation_;
  std::atomic<uint64_t> rows_{0}, bytes_{0}, bytes_total_{0}, work_{0}, work_total_{0};
};

}  // namespace alopex
