#include "ingest/loaded_files.h"

namespace alopex {

bool LoadedFileRegistry::Lease::Contains(const FileInfo& f) const {
  return files_->count(FileKey{f.path, f.size, f.mtime_micros}) > 0;
}

void LoadedFileRegistry::Lease::Record(const std::vector<FileInfo>& files) {
  for (const auto& f : files) files_->insert(FileKey{f.path, f.size, f.mtime_micros});
}

size_t LoadedFileRegistry::Lease::size() const { return files_->size(); }

LoadedFileRegistry& LoadedFileRegistry::Global() {
  static LoadedFileRegistry* registry = new LoadedFileRegistry();
  return *registry;
}

LoadedFileRegistry::Lease LoadedFileRegistry::Acquire(const std::shared_ptr<Table>& table) {
  Entry* entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Drop entries of tables that no longer exist (their address may be reused).
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->second->table.expired() && it->first != table.get()) {
        std::unique_lock<std::mutex> busy(it->second->mu, std::try_to_lock);
        if (busy.owns_lock()) {
          busy.unlock();
          it = entries_.erase(it);
          continue;
        }
      }
      ++it;
    }
    auto& slot = entries_[table.get()];
    if (!slot) slot = std::make_unique<Entry>();
    entry = slot.get();
  }
  Lease lease;
  lease.lock_ = std::unique_lock<std::mutex>(entry->mu);
  if (entry->table.lock() != table) {  // a new table at a reused address
    entry->files.clear();
    entry->table = table;
  }
  lease.files_ = &entry->files;
  return lease;
}

}  // namespace alopex
