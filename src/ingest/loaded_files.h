// The registry of files COPY INTO has loaded into each table, so re-running
// the statement loads only new files (Databricks' idempotent COPY INTO).
//
// A file is identified by (path, size, modification time): a file rewritten in
// place counts as new. The in-memory registry lives beside the tables;
// DESIGN.md moves it into the catalog ("the registry of loaded files"), where
// recording files joins the table's commit. Until then a lease serializes COPY
// INTO per table, and the import records its files while holding it, right
// after the table commit succeeded, so no other COPY INTO can see the data
// without the files or the files without the data.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "io/file_system.h"

namespace alopex {

class Table;

class LoadedFileRegistry {
 public:
  using FileKey = std::tuple<std::string, uint64_t, int64_t>;  // path, size, mtime

  // Exclusive access to one table's loaded files for the length of an import.
  class Lease {
   public:
    bool Contains(const FileInfo& f) const;
    // Records `files` as loaded; call once the table commit has succeeded.
    void Record(const std::vector<FileInfo>& files);
    size_t size() const;

   private:
    friend class LoadedFileRegistry;
    std::unique_lock<std::mutex> lock_;
    std::set<FileKey>* files_ = nullptr;
  };

  static LoadedFileRegistry& Global();

  // Waits for other imports into `table` to finish, then returns its set. A
  // table dropped and created again under the same name starts empty.
  Lease Acquire(const std::shared_ptr<Table>& table);

 private:
  struct Entry {
    std::weak_ptr<Table> table;
    std::mutex mu;
    std::set<FileKey> files;
  };
  std::mutex mu_;
  std::map<const Table*, std::unique_ptr<Entry>> entries_;
};

}  // namespace alopex
