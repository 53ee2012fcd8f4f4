#include "formats/parquet/page_task_pool.h"

#include <algorithm>

namespace alopex::parquet {

PageTaskPool::PageTaskPool(int threads) {
  for (int i = 0; i < threads; i++) threads_.emplace_back([this] { Loop(); });
}

PageTaskPool* PageTaskPool::Shared() {
  static PageTaskPool* pool = new PageTaskPool(int(std::clamp(std::thread::hardware_concurrency(), 1u, 8u)));
  return pool;  // never destroyed: writers may still run during static destruction
}

PageTaskPool::~PageTaskPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void PageTaskPool::Submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void PageTaskPool::Loop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, nothing left
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

}  // namespace alopex::parquet
