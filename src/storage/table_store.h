// TableStore: where a Table keeps its rows beyond the process (DESIGN.md § On
// disk). A Table without one lives in memory only. Every write is committed to
// the store before the Table installs its next snapshot, so a failed commit
// leaves both unchanged; the store's version numbers are the Table's.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "storage/table.h"

namespace alopex {

// One commit, as DESCRIBE HISTORY shows it.
struct TableCommit {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  std::string operation;
  std::string operation_parameters;  // a JSON object
};

class TableStore {
 public:
  virtual ~TableStore() = default;

  // The rows and columns at `version` (-1 = latest); NotFound when it is gone.
  virtual Result<std::shared_ptr<TableSnapshot>> Load(int64_t version) = 0;
  // The newest version committed at or before `micros` since the epoch.
  virtual Result<int64_t> VersionAsOfTimestamp(int64_t micros) = 0;
  // Batches passed in are never empty.

  // Adds `batches` (the columns of `base`) to `base`; returns the new version.
  virtual Result<int64_t> Append(const TableSnapshot& base, const std::vector<Batch>& batches) = 0;
  // Replaces every row of `base` with `rows` under `columns`, in one commit;
  // returns the new version. `operation` names it in the history.
  virtual Result<int64_t> Rewrite(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                                  const std::vector<Batch>& rows, const std::string& operation) = 0;
  // Changes the schema to `columns` without touching the data files (columns
  // missing from a file read as NULL); returns the new version.
  virtual Result<int64_t> ChangeSchema(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                                       const std::string& operation) = 0;
  // Newest first.
  virtual Result<std::vector<TableCommit>> History() = 0;
  // Deletes everything the store holds for the table.
  virtual Status Drop() = 0;
};

}  // namespace alopex
