// Table: the rows of one table and its schema, with snapshot reads.
//
// Readers take a TableSnapshot (an immutable list of batches) and never block
// writers; a write builds the next snapshot and installs it atomically, so a
// statement either lands whole or not at all.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "common/column.h"

namespace alopex {

struct ColumnDef {
  std::string name;
  LogicalType type;
  bool not_null = false;
  std::optional<Value> default_value;
};

struct TableSnapshot {
  std::vector<ColumnDef> columns;
  std::vector<std::shared_ptr<const Batch>> batches;
  size_t num_rows = 0;
  int64_t version = 0;
};

class TableStore;
struct TableCommit;

class Table {
 public:
  Table(std::string schema, std::string name, std::vector<ColumnDef> columns);

  const std::string& schema_name() const { return schema_; }
  const std::string& name() const { return name_; }
  std::string qualified_name() const { return schema_ + "." + name_; }
  // The columns of the latest snapshot.
  std::vector<ColumnDef> columns() const;
  // -1 for the column named `name` (case-insensitive) not existing.
  int ColumnIndex(const std::string& name) const;

  // The latest snapshot, or the one at `version` (NotFound when it is gone).
  Result<std::shared_ptr<const TableSnapshot>> Snapshot(int64_t version = -1) const;

  // Appends batches whose columns match the table's; checks NOT NULL. Atomic.
  Status Append(std::vector<Batch> batches);
  // Replaces every row with `rows`, provided nobody committed since `base`
  // (Conflict otherwise). Used by UPDATE and DELETE.
  // `operation` names the commit in the table's history (UPDATE, DELETE, MERGE, ...).
  Status Replace(const TableSnapshot& base, std::vector<Batch> rows, const std::string& operation = "WRITE");
  // Schema changes; existing rows get NULL (or the default) for a new column.
  Status AddColumn(ColumnDef column);
  Status DropColumn(const std::string& name);
  Status RenameColumn(const std::string& from, const std::string& to);
  void Rename(std::string name) { name_ = std::move(name); }

  // Persistence (table_store.h): from now on every write commits to `store`
  // first; `snapshot` (loaded from the store) becomes the latest snapshot.
  void AttachStore(std::shared_ptr<TableStore> store, std::shared_ptr<const TableSnapshot> snapshot);
  // nullptr for an in-memory table.
  std::shared_ptr<TableStore> store() const;
  // The newest version committed at or before `micros` (NotImplemented in memory).
  Result<int64_t> VersionAsOfTimestamp(int64_t micros) const;
  // The commits, newest first (InvalidArgument in memory).
  Result<std::vector<TableCommit>> History() const;

 private:
  Status CheckNotNull(const std::vector<ColumnDef>& cols, const Batch& b) const;
  // With a store: commits `next` (every row, its columns) as a rewrite of
  // current_ and sets next->version. Requires mu_ held.
  Status CommitRewrite(TableSnapshot* next, const std::string& operation);
  std::string schema_;
  std::string name_;
  mutable std::mutex mu_;
  std::shared_ptr<const TableSnapshot> current_;
  std::shared_ptr<TableStore> store_;
};

}  // namespace alopex
