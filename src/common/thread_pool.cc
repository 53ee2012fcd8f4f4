#include "common/thread_pool.h"

#include <algorithm>

namespace alopex {

namespace {
// Set on pool threads and while the caller runs its share, so nested Run calls
// (a subquery evaluated inside a pipeline) run inline instead of waiting on
// workers that may all be busy with the outer job.
thread_local bool tls_in_pool = false;
}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < threads; i++) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::WorkerLoop() {
  tls_in_pool = true;
  for (;;) {
    std::shared_ptr<Job> job;
    int index = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      job = queue_.front();
      index = job->next_worker.fetch_add(1);
      if (index >= job->parallelism - 1) queue_.erase(queue_.begin());  // last slot taken
      if (index >= job->parallelism) continue;
    }
    Status st = (*job->fn)(index);
    {
      std::lock_guard<std::mutex> lock(job->mu);
      if (!st.ok() && job->status.ok()) job->status = st;
    }
    if (job->remaining.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(mu_);
      done_cv_.notify_all();
    }
  }
}

Status ThreadPool::Run(int parallelism, const std::function<Status(int)>& fn) {
  parallelism = std::max(1, std::min(parallelism, size()));
  if (parallelism == 1 || tls_in_pool) return fn(0);
  auto job = std::make_shared<Job>();
  job->fn = &fn;
  job->parallelism = parallelism;
  job->remaining = parallelism - 1;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(job);
  }
  cv_.notify_all();
  tls_in_pool = true;
  Status mine = fn(0);
  tls_in_pool = false;
  {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return job->remaining.load() == 0; });
  }
  std::lock_guard<std::mutex> lock(job->mu);
  if (!mine.ok()) return mine;
  return job->status;
}

}  // namespace alopex
