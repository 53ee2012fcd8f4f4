// DeltaTableStore: a Table kept as a Delta Lake table (_delta_log/ plus
// Parquet data files) at one location.
//
// Column NOT NULL is the field's nullable=false; a DEFAULT is kept as text in
// the field metadata key "alopex.default" and cast back to the column type.
#pragma once

#include <memory>
#include <string>

#include "storage/delta/delta_log.h"
#include "storage/table_store.h"

namespace alopex {

class DeltaTableStore : public TableStore {
 public:
  // Creates version 0 (protocol + metaData) at `location` with `columns`.
  static Result<std::unique_ptr<DeltaTableStore>> Create(const std::string& location,
                                                         const std::vector<ColumnDef>& columns);
  // Opens the Delta table at `location`.
  static Result<std::unique_ptr<DeltaTableStore>> Open(const std::string& location);

  Result<std::shared_ptr<TableSnapshot>> Load(int64_t version) override;
  Result<int64_t> VersionAsOfTimestamp(int64_t micros) override;
  Result<int64_t> Append(const TableSnapshot& base, const std::vector<Batch>& batches) override;
  Result<int64_t> Rewrite(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                          const std::vector<Batch>& rows, const std::string& operation) override;
  Result<int64_t> ChangeSchema(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                               const std::string& operation) override;
  Result<std::vector<TableCommit>> History() override;
  Status Drop() override;

 private:
  explicit DeltaTableStore(std::unique_ptr<DeltaTable> delta) : delta_(std::move(delta)) {}
  std::unique_ptr<DeltaTable> delta_;
};

}  // namespace alopex
