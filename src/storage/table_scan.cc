#include "storage/table_scan.h"

#include "storage/delta/delta_scan.h"

namespace alopex {

TableScan::~TableScan() = default;

Result<std::unique_ptr<TableScan>> TableScan::Make(std::shared_ptr<const TableSnapshot> snapshot,
                                                   std::vector<int> column_ids,
                                                   const std::vector<ColumnPredicate>& predicates) {
  std::unique_ptr<TableScan> scan(new TableScan());
  if (snapshot->files) {
    std::vector<std::string> names;
    for (int id : column_ids) names.push_back(snapshot->columns[size_t(id)].name);
    // No columns: read the first for the row count, drop it in Read.
    if (names.empty() && !snapshot->columns.empty()) names.push_back(snapshot->columns[0].name);
    ALOPEX_ASSIGN_OR_RETURN(DeltaFileScan files, DeltaFileScan::Make(snapshot->files, names, predicates));
    scan->files_ = std::make_unique<DeltaFileScan>(std::move(files));
  } else {
    for (size_t b = 0; b < snapshot->batches.size(); b++)
      for (size_t off = 0; off < snapshot->batches[b]->num_rows; off += kBatchSize) scan->ranges_.push_back({b, off});
  }
  scan->column_ids_ = std::move(column_ids);
  scan->snapshot_ = std::move(snapshot);
  return scan;
}

size_t TableScan::num_morsels() const { return files_ ? files_->num_files() : ranges_.size(); }

Status TableScan::Read(size_t m, const std::function<Status(Batch&&)>& sink) const {
  if (files_) {
    if (!column_ids_.empty()) return files_->ReadFile(m, sink);
    return files_->ReadFile(m, [&](Batch&& b) {
      b.columns.clear();
      return sink(std::move(b));
    });
  }
  const Batch& src = *snapshot_->batches[ranges_[m].first];
  size_t off = ranges_[m].second;
  size_t n = std::min(kBatchSize, src.num_rows - off);
  Batch out;
  out.num_rows = n;
  for (int id : column_ids_) {
    const Column& c = src.columns[size_t(id)];
    Column col(c.type(), n);
    col.CopyFrom(c, off, 0, n);
    out.columns.push_back(std::move(col));
  }
  return sink(std::move(out));
}

Result<std::vector<Batch>> ReadAllRows(const TableSnapshot& snapshot) {
  std::vector<Batch> out;
  if (!snapshot.files) {
    for (const auto& b : snapshot.batches)
      if (b->num_rows) out.push_back(b->Clone());
    return out;
  }
  // The scan keeps the snapshot alive; this one outlives it here.
  std::shared_ptr<const TableSnapshot> snap(std::shared_ptr<const TableSnapshot>(), &snapshot);
  std::vector<int> all;
  for (size_t i = 0; i < snapshot.columns.size(); i++) all.push_back(int(i));
  ALOPEX_ASSIGN_OR_RETURN(auto scan, TableScan::Make(snap, all));
  for (size_t m = 0; m < scan->num_morsels(); m++)
    ALOPEX_RETURN_IF_ERROR(scan->Read(m, [&](Batch&& b) {
      out.push_back(std::move(b));
      return Status::OK();
    }));
  return out;
}

}  // namespace alopex
