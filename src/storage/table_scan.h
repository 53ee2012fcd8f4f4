// Reading a table snapshot in parallel pieces (morsels): ranges of an
// in-memory table's batches, or a stored table's data files, skipping files
// whose partition values or statistics rule out the scan's predicates.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "formats/parquet/parquet_reader.h"
#include "storage/table.h"

namespace alopex {

class DeltaFileScan;

// Column ids of a scan's metadata columns, besides the table's own (>= 0).
// kRowIdColumn (BIGINT): the row's id: for a table with row tracking
// (TableSnapshot::row_tracking) stable across UPDATE, MERGE and OPTIMIZE; for an
// in-memory table its position in the snapshot; other stored tables refuse it.
// kRowCommitVersionColumn (BIGINT): the version that last wrote the row (row
// tracking), NULL in memory. kDataFileColumn (INTEGER): a stored table's data
// file, as its index in snapshot->files->files; an in-memory table's batch.
constexpr int kRowIdColumn = -1;
constexpr int kRowCommitVersionColumn = -2;
constexpr int kDataFileColumn = -3;

class TableScan {
 public:
  // `column_ids` index snapshot->columns or name metadata columns (above)
  // (empty: none, batches carry only a row count); predicates
  // name columns and only skip data (the caller still filters rows).
  static Result<std::unique_ptr<TableScan>> Make(std::shared_ptr<const TableSnapshot> snapshot,
                                                 std::vector<int> column_ids,
                                                 const std::vector<ColumnPredicate>& predicates = {});
  ~TableScan();

  size_t num_morsels() const;
  // Reads morsel `m` in batches of up to kBatchSize rows with the projected columns.
  Status Read(size_t m, const std::function<Status(Batch&&)>& sink) const;

 private:
  TableScan() = default;
  std::shared_ptr<const TableSnapshot> snapshot_;
  std::vector<int> column_ids_;
  std::vector<std::pair<size_t, size_t>> ranges_;  // in memory: (batch, first row)
  std::vector<size_t> first_row_;                   // in memory: each batch's first row
  std::unique_ptr<DeltaFileScan> files_;
  std::vector<size_t> order_;  // stored: the file scan's column for each of column_ids_
  bool drop_first_ = false;    // stored: the file scan reads a column only for the row count
};

// Every row of `snapshot` (all columns, then with `row_ids` kRowIdColumn and
// kRowCommitVersionColumn), read in morsel order.
Result<std::vector<Batch>> ReadAllRows(const TableSnapshot& snapshot, bool row_ids = false);

}  // namespace alopex
