// MemoryFileSystem: an in-process FileSystem for mem:// paths, used by tests.
// Thread-safe. Directories are implied by the files below them; a file's
// contents are immutable once written, so open readers keep the bytes they saw.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "io/file_system.h"

namespace alopex {

class MemoryFileSystem : public FileSystem {
 public:
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override;
  // The file appears (replacing an older one) when the writer is closed.
  Result<std::unique_ptr<WritableFile>> OpenForWrite(const std::string& path) override;
  Status PutIfAbsent(const std::string& path, std::string_view data) override;
  Status WriteAtomic(const std::string& path, std::string_view data) override;
  Result<FileInfo> Stat(const std::string& path) override;
  bool Exists(const std::string& path) override;
  // Sorted by path. Non-recursive listings include the implied subdirectories.
  Result<std::vector<FileInfo>> List(const std::string& dir, bool recursive) override;
  Status Delete(const std::string& path) override;
  Status DeleteRecursive(const std::string& dir) override;
  Status CreateDirectories(const std::string& dir) override;
  Status Rename(const std::string& from, const std::string& to) override;

  // Stores `data` at `path` (replacing), as a closed writer does.
  void Put(const std::string& path, std::string data);

 private:
  struct Entry {
    std::shared_ptr<const std::string> data;
    int64_t mtime_micros = 0;
  };
  bool IsDirectoryLocked(const std::string& key) const;

  mutable std::mutex mu_;
  std::map<std::string, Entry> files_;  // keyed by normalized path
  std::map<std::string, int64_t> dirs_;  // explicitly created directories
};

// A RandomAccessFile over bytes in memory (e.g. a decompressed file), named `path`.
std::unique_ptr<RandomAccessFile> NewStringRandomAccessFile(std::string path, std::string data);

}  // namespace alopex
