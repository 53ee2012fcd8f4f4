#include "storage/table_scan.h"

#include "storage/delta/delta_scan.h"

namespace alopex {

TableScan::~TableScan() = default;

Result<std::unique_ptr<TableScan>> TableScan::Make(std::shared_ptr<const TableSnapshot> snapshot,
                                                   std::vector<int> column_ids,
                                                   const std::vector<ColumnPredicate>& predicates) {
  std::unique_ptr<TableScan> scan(new TableScan());
  for (int id : column_ids)
    if (id < kDataFileColumn || id >= int(snapshot->columns.size()))
      return Status::Internal("table scan of column " + std::to_string(id) + " of " +
                              std::to_string(snapshot->columns.size()));
  if (snapshot->files) {
    // The file scan gives the table's columns first, then its metadata columns
    // in a fixed order; `order_` maps them back to `column_ids`.
    std::vector<std::string> names;
    ScanMetadataColumns extra;
    for (int id : column_ids) {
      if (id >= 0) names.push_back(snapshot->columns[size_t(id)].name);
      extra.row_id |= id == kRowIdColumn;
      extra.row_commit_version |= id == kRowCommitVersionColumn;
      extra.file_index |= id == kDataFileColumn;
    }
    // No columns: read the first for the row count, drop it in Read.
    scan->drop_first_ = names.empty() && !snapshot->columns.empty();
    if (scan->drop_first_) names.push_back(snapshot->columns[0].name);
    size_t next = names.size();
    size_t row_id = extra.row_id ? next++ : 0, version = extra.row_commit_version ? next++ : 0;
    size_t file = extra.file_index ? next++ : 0;
    size_t own = scan->drop_first_ ? 1 : 0;
    for (int id : column_ids)
      scan->order_.push_back(id == kRowIdColumn ? row_id
                             : id == kRowCommitVersionColumn ? version
                             : id == kDataFileColumn         ? file
                                                             : own++);
    ALOPEX_ASSIGN_OR_RETURN(DeltaFileScan files,
                            DeltaFileScan::Make(snapshot->files, names, predicates, nullptr, extra));
    scan->files_ = std::make_unique<DeltaFileScan>(std::move(files));
  } else {
    for (size_t b = 0; b < snapshot->batches.size(); b++) {
      for (size_t off = 0; off < snapshot->batches[b]->num_rows; off += kBatchSize) scan->ranges_.push_back({b, off});
      scan->first_row_.push_back(b ? scan->first_row_[b - 1] + snapshot->batches[b - 1]->num_rows : 0);
    }
  }
  scan->column_ids_ = std::move(column_ids);
  scan->snapshot_ = std::move(snapshot);
  return scan;
}

size_t TableScan::num_morsels() const { return files_ ? files_->num_files() : ranges_.size(); }

Status TableScan::Read(size_t m, const std::function<Status(Batch&&)>& sink) const {
  if (files_) {
    return files_->ReadFile(m, [&](Batch&& b) {
      Batch out;
      out.num_rows = b.num_rows;
      for (size_t k : order_) out.columns.push_back(std::move(b.columns[k]));
      return sink(std::move(out));
    });
  }
  auto [batch, off] = ranges_[m];
  const Batch& src = *snapshot_->batches[batch];
  size_t n = std::min(kBatchSize, src.num_rows - off);
  Batch out;
  out.num_rows = n;
  for (int id : column_ids_) {
    if (id == kRowIdColumn) {
      Column ids(LogicalType(TypeId::kBigInt), n);
      int64_t* d = ids.data<int64_t>();
      for (size_t i = 0; i < n; i++) d[i] = int64_t(first_row_[batch] + off + i);
      out.columns.push_back(std::move(ids));
    } else if (id == kRowCommitVersionColumn) {
      out.columns.push_back(Column::Constant(Value::Null(TypeId::kBigInt), n));
    } else if (id == kDataFileColumn) {
      out.columns.push_back(Column::Constant(Value::Integer(int32_t(batch)), n));
    } else {
      const Column& c = src.columns[size_t(id)];
      Column col(c.type(), n);
      col.CopyFrom(c, off, 0, n);
      out.columns.push_back(std::move(col));
    }
  }
  return sink(std::move(out));
}

Result<std::vector<Batch>> ReadAllRows(const TableSnapshot& snapshot, bool row_ids) {
  std::vector<Batch> out;
  if (!snapshot.files && !row_ids) {
    for (const auto& b : snapshot.batches)
      if (b->num_rows) out.push_back(b->Clone());
    return out;
  }
  // The scan keeps the snapshot alive; this one outlives it here.
  std::shared_ptr<const TableSnapshot> snap(std::shared_ptr<const TableSnapshot>(), &snapshot);
  std::vector<int> all;
  for (size_t i = 0; i < snapshot.columns.size(); i++) all.push_back(int(i));
  if (row_ids) all.insert(all.end(), {kRowIdColumn, kRowCommitVersionColumn});
  ALOPEX_ASSIGN_OR_RETURN(auto scan, TableScan::Make(snap, all));
  for (size_t m = 0; m < scan->num_morsels(); m++)
    ALOPEX_RETURN_IF_ERROR(scan->Read(m, [&](Batch&& b) {
      out.push_back(std::move(b));
      return Status::OK();
    }));
  return out;
}

}  // namespace alopex
