// Table: the rows of one table and its schema, with snapshot reads.
//
// Readers take a TableSnapshot and never block writers; a write builds the
// next snapshot and installs it atomically, so a statement either lands whole
// or not at all. An in-memory table's snapshot holds its batches; a stored
// table's (table_store.h) names its data files, which scans read as they go
// (storage/table_scan.h), so a table never has to fit in memory.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "common/column.h"

namespace alopex {

struct DeltaSnapshot;

struct ColumnDef {
  std::string name;
  LogicalType type;
  bool not_null = false;
  std::optional<Value> default_value;
};

struct TableSnapshot {
  // The same table restricted to `files` (indices into files->files): what a
  // DML statement rewrites. Stored tables only.
  std::shared_ptr<const TableSnapshot> WithFiles(const std::vector<size_t>& files) const;

  std::vector<ColumnDef> columns;
  std::vector<std::shared_ptr<const Batch>> batches;  // an in-memory table's rows
  std::shared_ptr<const DeltaSnapshot> files;         // a stored table's data files
  std::vector<std::string> partition_columns;
  std::vector<std::pair<std::string, std::string>> properties;  // a stored table's table properties
  size_t num_files = 0;                                          // a stored table's live data files
  std::map<std::string, std::string> domains;                    // CommitInfoExtra::domains as committed
  // Rows; for a stored table from its file statistics (0 where they are missing).
  size_t num_rows = 0;
  int64_t version = 0;
  // A stored table whose rows keep stable ids (Delta row tracking): scans can
  // read them (table_scan.h kRowIdColumn) and rewrites carry them.
  bool row_tracking = false;
};

class TableStore;
struct TableCommit;

// Extra facts a commit records with its rows.
struct CommitInfoExtra {
  std::string operation = "WRITE";
  // Metrics shown by DESCRIBE HISTORY (numOutputRows, ...).
  std::vector<std::pair<std::string, std::string>> metrics;
  // Named metadata committed atomically with the rows (Delta domain metadata):
  // (domain, configuration text). COPY INTO keeps its loaded-file registry here.
  std::vector<std::pair<std::string, std::string>> domains;
  // Columns the same commit adds to the table (an import's mergeSchema); the
  // batches appended carry them last, older rows read NULL.
  std::vector<ColumnDef> add_columns;
};

// What a rewrite (UPDATE, DELETE, MERGE, an upsert import) replaces, and what
// its batches carry.
struct RewriteSpec {
  // A stored table's data files the new rows replace, as indices into
  // base.files->files; nullopt: all of them. An in-memory table replaces every row.
  std::optional<std::vector<size_t>> files;
  // The batches carry two BIGINT columns after the table's: each row's
  // _row_id and _row_commit_version as a scan read them (table_scan.h), NULL
  // for a new row (and the version NULL for a changed one). The rows keep their
  // ids. Only for a base with row_tracking.
  bool row_ids = false;
};

// A streaming append: batches are written as they come (to data files for a
// stored table) and become visible together at Commit; an appender dropped
// without Commit changes nothing (its stored files are unreferenced and VACUUM
// removes them). Write is safe from several threads at once.
class TableAppender {
 public:
  virtual ~TableAppender() = default;
  // A batch with every column of the table, in order.
  virtual Status Write(Batch batch) = 0;
  // Ordered writes: the batches of one `sequence` (written by one thread at a
  // time, in order) go to files of their own named so that a scan returns
  // sequences in ascending order; EndSequence closes them, bounding memory to
  // the sequences in flight.
  virtual Status WriteOrdered(uint64_t sequence, Batch batch) = 0;
  virtual Status EndSequence(uint64_t sequence) = 0;
  virtual uint64_t rows_written() const = 0;
  // Commits everything written in one commit; returns the new version.
  virtual Result<int64_t> Commit(const CommitInfoExtra& extra = {}) = 0;
};

// What VACUUM and OPTIMIZE did.
struct MaintenanceResult {
  std::vector<std::string> files;  // VACUUM: deleted (dry run: to delete)
  int64_t bytes = 0;
  int64_t files_removed = 0, files_added = 0;  // OPTIMIZE
  int64_t version = -1;                        // OPTIMIZE: the commit, -1 when nothing to do
};

class Table : public std::enable_shared_from_this<Table> {
 public:
  Table(std::string schema, std::string name, std::vector<ColumnDef> columns);

  const std::string& schema_name() const { return schema_; }
  const std::string& name() const { return name_; }
  std::string qualified_name() const { return schema_ + "." + name_; }
  // The columns of the latest snapshot.
  std::vector<ColumnDef> columns() const;
  // -1 for the column named `name` (case-insensitive) not existing.
  int ColumnIndex(const std::string& name) const;

  // The latest snapshot (for a stored table: the newest version in its log,
  // including commits by other processes), or the one at `version` (NotFound
  // when it is gone).
  Result<std::shared_ptr<const TableSnapshot>> Snapshot(int64_t version = -1) const;

  // Appends batches whose columns match the table's; checks NOT NULL. Atomic.
  Status Append(std::vector<Batch> batches, const CommitInfoExtra& extra = {});
  // A streaming append (see TableAppender).
  Result<std::unique_ptr<TableAppender>> OpenAppender();
  // Replaces the rows of `base` that `spec` names (every row by default) with
  // `rows`, provided nobody committed since `base` (Conflict otherwise). Used by
  // UPDATE, DELETE and MERGE. `operation` names the commit in the table's
  // history (UPDATE, DELETE, MERGE, ...).
  Status Replace(const TableSnapshot& base, std::vector<Batch> rows, const std::string& operation = "WRITE",
                 const RewriteSpec& spec = {});
  // The streaming form of Replace: the rows written replace those of `base`
  // that `spec` names at Commit, in one commit (Conflict when someone
  // committed since `base`); dropped without Commit it changes nothing.
  Result<std::unique_ptr<TableAppender>> OpenRewriter(std::shared_ptr<const TableSnapshot> base,
                                                      const std::string& operation = "WRITE",
                                                      const RewriteSpec& spec = {});
  // Schema changes; existing rows get NULL (or the default) for a new column.
  Status AddColumn(ColumnDef column);
  Status DropColumn(const std::string& name);
  Status RenameColumn(const std::string& from, const std::string& to);
  void Rename(std::string name) { name_ = std::move(name); }

  // Stored tables only (InvalidArgument in memory):
  // ALTER TABLE SET (...): sets table properties.
  Status SetProperties(const std::vector<std::pair<std::string, std::string>>& properties);
  // RESTORE: the rows of `version` become the latest version.
  Result<int64_t> Restore(int64_t version);
  // VACUUM: deletes data files no version newer than `retain_hours` ago uses.
  Result<MaintenanceResult> Vacuum(double retain_hours, bool dry_run);
  // OPTIMIZE: rewrites files smaller than `target_file_size` into files of about that size.
  Result<MaintenanceResult> Optimize(int64_t target_file_size);

  // Persistence (table_store.h): from now on every write commits to `store`
  // first; `snapshot` (loaded from the store) becomes the latest snapshot.
  void AttachStore(std::shared_ptr<TableStore> store, std::shared_ptr<const TableSnapshot> snapshot);
  // nullptr for an in-memory table.
  std::shared_ptr<TableStore> store() const;
  // The newest version committed at or before `micros` (NotImplemented in memory).
  Result<int64_t> VersionAsOfTimestamp(int64_t micros) const;
  // The commits, newest first (InvalidArgument in memory).
  Result<std::vector<TableCommit>> History() const;

  // Checks a batch of `cols` (plus `extra` trailing columns) against their NOT NULL constraints.
  Status CheckNotNull(const std::vector<ColumnDef>& cols, const Batch& b, size_t extra = 0) const;

 private:
  // Commits `rows` under `columns` as a rewrite of every row of `base` and
  // installs the result; `row_ids`: the rows carry their ids (RewriteSpec).
  Status RewriteAs(const TableSnapshot& base, std::vector<ColumnDef> columns, std::vector<Batch> rows,
                   const std::string& operation, bool row_ids = false);
  // Installs the store's snapshot at `version` as current.
  Status Reload(int64_t version);
  class StoredWriteTxn;
  std::string schema_;
  std::string name_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const TableSnapshot> current_;
  mutable std::map<int64_t, std::shared_ptr<const TableSnapshot>> old_versions_;  // time travel, a few
  std::shared_ptr<TableStore> store_;
};

}  // namespace alopex
