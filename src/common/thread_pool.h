// ThreadPool: the workers that run morsel-parallel pipelines.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "alopex/status.h"

namespace alopex {

class ThreadPool {
 public:
  // `threads` = 0 uses every core.
  explicit ThreadPool(int threads = 0);
  ~ThreadPool();
  int size() const { return int(workers_.size()) + 1; }  // the caller works too

  // Runs fn(worker_index) on up to `parallelism` threads (the caller included) and
  // waits for all. Each invocation typically pulls morsels from a shared atomic
  // counter until none are left. Returns the first non-OK status.
  Status Run(int parallelism, const std::function<Status(int worker)>& fn);

 private:
  void WorkerLoop();
  struct Job {
    const std::function<Status(int)>* fn;
    std::atomic<int> next_worker{1};
    int parallelism = 0;
    std::atomic<int> remaining{0};
    std::mutex mu;
    Status status;
  };
  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable done_cv_;
  std::vector<std::shared_ptr<Job>> queue_;
  bool stop_ = false;
};

}  // namespace alopex
