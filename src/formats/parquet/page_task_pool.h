// PageTaskPool: a few threads that encode and compress PLAIN data pages of
// ParquetWriters while their callers keep shredding rows, so a COPY TO Parquet
// uses every core even when one large column (embeddings) dominates.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace alopex::parquet {

class PageTaskPool {
 public:
  // Starts `threads` (>= 1) threads.
  explicit PageTaskPool(int threads);
  // Runs the tasks still queued, then joins the threads.
  ~PageTaskPool();
  PageTaskPool(const PageTaskPool&) = delete;
  PageTaskPool& operator=(const PageTaskPool&) = delete;

  // The process-wide pool ParquetWriters share, one thread per core (up to 8),
  // started on first use.
  static PageTaskPool* Shared();

  // Queues `task`; it runs on one of the pool's threads and must not throw.
  void Submit(std::function<void()> task);

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace alopex::parquet
