// The registry of files COPY INTO has loaded into each table, so re-running
// the statement loads only new files (Databricks' idempotent COPY INTO).
//
// A file is identified by (path, size, modification time): a file rewritten in
// place counts as new. The registry is committed with the rows it describes,
// in the same table commit (the table's domain "alopex.copyInto", Delta domain
// metadata), so a crash can never keep the rows without the files or the files
// without the rows, and another process sees both or neither. Within a process
// a lease serializes COPY INTO per table; across processes the second of two
// concurrent commits of the registry fails with a conflict and is re-run.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "alopex/status.h"
#include "io/file_system.h"

namespace alopex {

class Table;
struct TableSnapshot;

class LoadedFileRegistry {
 public:
  static constexpr const char* kDomain = "alopex.copyInto";
  using FileKey = std::tuple<std::string, uint64_t, int64_t>;  // path, size, mtime

  // Exclusive access to one table's loaded files for the length of an import.
  class Lease {
   public:
    bool Contains(const FileInfo& f) const;
    // The registry with `files` added, as the (domain, configuration) pair to
    // commit with the rows.
    std::pair<std::string, std::string> DomainWith(const std::vector<FileInfo>& files) const;
    size_t size() const { return files_.size(); }

   private:
    friend class LoadedFileRegistry;
    std::unique_lock<std::mutex> lock_;
    std::set<FileKey> files_;
  };

  static LoadedFileRegistry& Global();

  // Waits for other imports into `table` in this process to finish, then
  // reads the registry committed with the table's latest version.
  Result<Lease> Acquire(const std::shared_ptr<Table>& table);

 private:
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<std::mutex>> locks_;  // by qualified table name
};

}  // namespace alopex
