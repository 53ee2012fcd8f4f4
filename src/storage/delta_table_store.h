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
  // Creates version 0 (protocol + metaData) at `location` with `columns`,
  // partitioned by `partition_columns`, with table properties `properties`.
  static Result<std::unique_ptr<DeltaTableStore>> Create(const std::string& location,
                                                         const std::vector<ColumnDef>& columns,
                                                         const std::vector<std::string>& partition_columns = {},
                                                         const std::vector<std::pair<std::string, std::string>>&
                                                             properties = {});
  // Opens the Delta table at `location`.
  static Result<std::unique_ptr<DeltaTableStore>> Open(const std::string& location);

  Result<std::shared_ptr<TableSnapshot>> Load(int64_t version) override;
  Result<int64_t> VersionAsOfTimestamp(int64_t micros) override;
  Result<int64_t> Append(const TableSnapshot& base, const std::vector<Batch>& batches,
                         const CommitInfoExtra& extra = {}) override;
  Result<std::unique_ptr<TableAppender>> OpenAppender(std::shared_ptr<const TableSnapshot> base,
                                                      std::function<Status(const Batch&)> check) override;
  Result<std::unique_ptr<TableAppender>> OpenRewriter(std::shared_ptr<const TableSnapshot> base,
                                                      const std::string& operation, const RewriteSpec& spec,
                                                      std::function<Status(const Batch&)> check) override;
  Result<int64_t> Rewrite(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                          const std::vector<Batch>& rows, const std::string& operation, bool row_ids) override;
  Result<int64_t> ChangeSchema(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                               const std::string& operation) override;
  Result<std::vector<TableCommit>> History() override;
  Result<int64_t> SetProperties(const TableSnapshot& base,
                                const std::vector<std::pair<std::string, std::string>>& properties) override;
  Result<int64_t> Restore(const TableSnapshot& base, int64_t version) override;
  Result<MaintenanceResult> Vacuum(double retain_hours, bool dry_run) override;
  Result<MaintenanceResult> Optimize(const TableSnapshot& base, int64_t target_file_size) override;
  const std::string& location() const { return delta_->path(); }
  Status Drop() override;

 private:
  explicit DeltaTableStore(std::unique_ptr<DeltaTable> delta) : delta_(std::move(delta)) {}
  std::unique_ptr<DeltaTable> delta_;
};

}  // namespace alopex
