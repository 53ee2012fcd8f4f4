// What every operator and expression of one running statement shares.
#pragma once

#include <atomic>
#include <vector>

#include "alopex/status.h"
#include "alopex/value.h"
#include "common/progress.h"
#include "common/thread_pool.h"

namespace alopex {

struct ExecContext {
  ThreadPool* pool = nullptr;
  int threads = 1;
  const std::atomic<bool>* interrupted = nullptr;
  ProgressTracker* progress = nullptr;
  // Values of the outer row while a correlated subquery runs (kCorrelatedColumn).
  const std::vector<Value>* outer_values = nullptr;

  Status CheckInterrupt() const {
    if (interrupted && interrupted->load(std::memory_order_relaxed)) return Status::Cancelled("the statement was interrupted");
    return Status::OK();
  }
};

}  // namespace alopex
