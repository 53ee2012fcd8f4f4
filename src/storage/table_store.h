// TableStore: where a Table keeps its rows beyond the process (DESIGN.md § On
// disk). A Table without one lives in memory only. Every write is committed to
// the store before the Table installs its next snapshot, so a failed commit
// leaves both unchanged; the store's version numbers are the Table's.
#pragma once

#include <cstdint>
#include <functional>
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

  // The columns and data files at `version` (-1 = latest); NotFound when it is gone.
  virtual Result<std::shared_ptr<TableSnapshot>> Load(int64_t version) = 0;
  // The newest version committed at or before `micros` since the epoch.
  virtual Result<int64_t> VersionAsOfTimestamp(int64_t micros) = 0;
  // Batches passed in are never empty.

  // Adds `batches` (the columns of `base`) to `base`; returns the new version.
  virtual Result<int64_t> Append(const TableSnapshot& base, const std::vector<Batch>& batches,
                                 const CommitInfoExtra& extra = {}) = 0;
  // A streaming append to `base` (TableAppender); `check` vets each batch.
  virtual Result<std::unique_ptr<TableAppender>> OpenAppender(std::shared_ptr<const TableSnapshot> base,
                                                              std::function<Status(const Batch&)> check) = 0;
  // A streaming rewrite under `base`'s columns: Commit removes the files of
  // `base` that `spec` names and adds the files written, in one commit
  // (Conflict when someone committed since `base`); `check` vets each batch.
  virtual Result<std::unique_ptr<TableAppender>> OpenRewriter(std::shared_ptr<const TableSnapshot> base,
                                                              const std::string& operation, const RewriteSpec& spec,
                                                              std::function<Status(const Batch&)> check) = 0;
  // Replaces every row of `base` with `rows` under `columns`, in one commit;
  // returns the new version. `operation` names it in the history; `row_ids`:
  // the rows carry their ids (RewriteSpec::row_ids).
  virtual Result<int64_t> Rewrite(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                                  const std::vector<Batch>& rows, const std::string& operation, bool row_ids) = 0;
  // Changes the schema to `columns` without touching the data files (columns
  // missing from a file read as NULL); returns the new version.
  virtual Result<int64_t> ChangeSchema(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                                       const std::string& operation) = 0;
  // Newest first.
  virtual Result<std::vector<TableCommit>> History() = 0;
  // Sets table properties (one metadata commit); returns the new version.
  virtual Result<int64_t> SetProperties(const TableSnapshot& base,
                                        const std::vector<std::pair<std::string, std::string>>& properties) = 0;
  // Commits the files of `version` as the latest state; returns the new version.
  virtual Result<int64_t> Restore(const TableSnapshot& base, int64_t version) = 0;
  virtual Result<MaintenanceResult> Vacuum(double retain_hours, bool dry_run) = 0;
  virtual Result<MaintenanceResult> Optimize(const TableSnapshot& base, int64_t target_file_size) = 0;
  // Deletes everything the store holds for the table.
  virtual Status Drop() = 0;
};

}  // namespace alopex
