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

class TableScan {
 public:
  // `column_ids` index snapshot->columns (empty: none, batches carry only a
  // row count); predicates
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
  std::unique_ptr<DeltaFileScan> files_;
};

// Every row of `snapshot` (all columns), read in morsel order.
Result<std::vector<Batch>> ReadAllRows(const TableSnapshot& snapshot);

}  // namespace alopex
