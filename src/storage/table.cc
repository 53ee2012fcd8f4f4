#include "storage/table.h"

#include <strings.h>

#include <algorithm>
#include <atomic>

#include "storage/delta/delta_log.h"
#include "storage/table_scan.h"
#include "storage/table_store.h"

namespace alopex {

namespace {

// An in-memory table's append or rewrite: batches are collected (ordered ones
// sorted by sequence) and handed to Append or Replace at Commit.
class MemoryWriteTxn : public TableAppender {
 public:
  MemoryWriteTxn(std::shared_ptr<Table> table, std::shared_ptr<const TableSnapshot> rewrite_base,
                 std::string operation)
      : table_(std::move(table)), base_(std::move(rewrite_base)), operation_(std::move(operation)) {}
  Status Write(Batch batch) override { return WriteOrdered(UINT64_MAX, std::move(batch)); }
  Status WriteOrdered(uint64_t sequence, Batch batch) override {
    if (batch.num_rows == 0) return Status::OK();
    ALOPEX_RETURN_IF_ERROR(table_->CheckNotNull(base_ ? base_->columns : table_->columns(), batch));
    rows_ += batch.num_rows;
    std::lock_guard<std::mutex> lock(mu_);
    batches_.emplace_back(sequence, std::move(batch));
    return Status::OK();
  }
  Status EndSequence(uint64_t) override { return Status::OK(); }
  uint64_t rows_written() const override { return rows_; }
  Result<int64_t> Commit(const CommitInfoExtra& extra) override {
    std::vector<Batch> batches;
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::stable_sort(batches_.begin(), batches_.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& [seq, b] : batches_) batches.push_back(std::move(b));
      batches_.clear();
    }
    if (base_) {
      ALOPEX_RETURN_IF_ERROR(table_->Replace(*base_, std::move(batches), operation_));
    } else {
      ALOPEX_RETURN_IF_ERROR(table_->Append(std::move(batches), extra));
    }
    ALOPEX_ASSIGN_OR_RETURN(auto snap, table_->Snapshot());
    return snap->version;
  }

 private:
  std::shared_ptr<Table> table_;
  std::shared_ptr<const TableSnapshot> base_;  // null: an append
  std::string operation_;
  std::mutex mu_;
  std::vector<std::pair<uint64_t, Batch>> batches_;
  std::atomic<uint64_t> rows_{0};
};

}  // namespace

std::shared_ptr<const TableSnapshot> TableSnapshot::WithFiles(const std::vector<size_t>& subset) const {
  auto out = std::make_shared<TableSnapshot>(*this);
  auto delta = std::make_shared<DeltaSnapshot>(files->WithFiles(subset));
  out->num_files = delta->files.size();
  out->num_rows = size_t(delta->NumRecords().value_or(0));
  out->files = std::move(delta);
  return out;
}

Table::Table(std::string schema, std::string name, std::vector<ColumnDef> columns)
    : schema_(std::move(schema)), name_(std::move(name)) {
  auto snap = std::make_shared<TableSnapshot>();
  snap->columns = std::move(columns);
  current_ = std::move(snap);
}

std::vector<ColumnDef> Table::columns() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_->columns;
}

int Table::ColumnIndex(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto& cols = current_->columns;
  for (size_t i = 0; i < cols.size(); i++)
    if (strcasecmp(cols[i].name.c_str(), name.c_str()) == 0) return int(i);
  return -1;
}

Result<std::shared_ptr<const TableSnapshot>> Table::Snapshot(int64_t version) const {
  std::shared_ptr<TableStore> store;
  std::shared_ptr<const TableSnapshot> current;
  {
    std::lock_guard<std::mutex> lock(mu_);
    store = store_;
    current = current_;
  }
  if (!store) {
    if (version < 0 || version == current->version) return current;
    return Status::NotFound("table " + qualified_name() + " has no version " + std::to_string(version) +
                            " (in-memory tables keep only the latest version)");
  }
  if (version >= 0 && version == current->version) return current;
  if (version >= 0) {  // an old version never changes: keep a few
    std::lock_guard<std::mutex> lock(mu_);
    auto it = old_versions_.find(version);
    if (it != old_versions_.end()) return it->second;
  }
  // The latest version may come from another process: read the log.
  auto loaded = store->Load(version);
  if (!loaded.ok()) {
    if (version < 0) return loaded.status().WithContext("table " + qualified_name() + ": ");
    return Status::NotFound("table " + qualified_name() + " has no version " + std::to_string(version) + ": " +
                            loaded.status().message());
  }
  std::shared_ptr<const TableSnapshot> snap = std::move(*loaded);
  if (version >= 0) {
    std::lock_guard<std::mutex> lock(mu_);
    if (old_versions_.size() >= 8) old_versions_.erase(old_versions_.begin());
    old_versions_[version] = snap;
  }
  if (version < 0) {
    std::lock_guard<std::mutex> lock(mu_);
    if (snap->version == current_->version) return current_;
    if (snap->version > current_->version) current_ = snap;
  }
  return snap;
}

void Table::AttachStore(std::shared_ptr<TableStore> store, std::shared_ptr<const TableSnapshot> snapshot) {
  std::lock_guard<std::mutex> lock(mu_);
  store_ = std::move(store);
  current_ = std::move(snapshot);
}

std::shared_ptr<TableStore> Table::store() const {
  std::lock_guard<std::mutex> lock(mu_);
  return store_;
}

Result<int64_t> Table::VersionAsOfTimestamp(int64_t micros) const {
  auto store = this->store();
  if (!store)
    return Status::NotImplemented("table " + qualified_name() + " is in memory and keeps no history for TIMESTAMP AS OF");
  return store->VersionAsOfTimestamp(micros);
}

Result<std::vector<TableCommit>> Table::History() const {
  auto store = this->store();
  if (!store) return Status::InvalidArgument("in-memory tables have no history (table " + qualified_name() + ")");
  return store->History();
}

Status Table::CheckNotNull(const std::vector<ColumnDef>& cols, const Batch& b, size_t extra) const {
  if (b.columns.size() != cols.size() + extra)
    return Status::Internal("write to " + name_ + " with " + std::to_string(b.columns.size()) + " columns, table has " +
                            std::to_string(cols.size()) + (extra ? " plus " + std::to_string(extra) + " row ids" : ""));
  for (size_t c = 0; c < cols.size(); c++) {
    if (!cols[c].not_null || !b.columns[c].MayHaveNulls()) continue;
    if (b.columns[c].CountNulls() > 0)
      return Status::InvalidArgument("NOT NULL constraint failed: " + name_ + "." + cols[c].name);
  }
  return Status::OK();
}

Status Table::Reload(int64_t version) {
  ALOPEX_ASSIGN_OR_RETURN(auto snap, store_->Load(version));
  current_ = std::move(snap);
  return Status::OK();
}

Status Table::Append(std::vector<Batch> batches, const CommitInfoExtra& extra) {
  if (auto store = this->store()) {
    ALOPEX_ASSIGN_OR_RETURN(auto base, Snapshot());
    std::vector<ColumnDef> cols = base->columns;
    for (const auto& c : extra.add_columns) cols.push_back(c);
    std::vector<Batch> rows;
    for (auto& b : batches) {
      if (b.num_rows == 0) continue;
      ALOPEX_RETURN_IF_ERROR(CheckNotNull(cols, b));
      rows.push_back(std::move(b));
    }
    ALOPEX_ASSIGN_OR_RETURN(int64_t version, store->Append(*base, rows, extra));
    std::lock_guard<std::mutex> lock(mu_);
    if (version > current_->version) return Reload(version);
    return Status::OK();
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto next = std::make_shared<TableSnapshot>(*current_);
  if (!extra.add_columns.empty()) {
    for (auto& old_batch : next->batches) {
      Batch widened = old_batch->Clone();
      for (const auto& c : extra.add_columns) widened.columns.push_back(Column::Constant(Value::Null(c.type), widened.num_rows));
      old_batch = std::make_shared<const Batch>(std::move(widened));
    }
    for (const auto& c : extra.add_columns) next->columns.push_back(c);
  }
  for (auto& b : batches) {
    if (b.num_rows == 0) continue;
    ALOPEX_RETURN_IF_ERROR(CheckNotNull(next->columns, b));
    next->num_rows += b.num_rows;
    next->batches.push_back(std::make_shared<const Batch>(std::move(b)));
  }
  for (const auto& [domain, config] : extra.domains) next->domains[domain] = config;
  next->version++;
  current_ = std::move(next);
  return Status::OK();
}

// A stored table's append or rewrite: the store's transaction, then the new
// version installed (a rewrite refuses when the table moved since its base).
class Table::StoredWriteTxn : public TableAppender {
 public:
  StoredWriteTxn(std::unique_ptr<TableAppender> inner, std::shared_ptr<Table> table, int64_t rewrite_base)
      : inner_(std::move(inner)), table_(std::move(table)), rewrite_base_(rewrite_base) {}
  Status Write(Batch batch) override { return inner_->Write(std::move(batch)); }
  Status WriteOrdered(uint64_t sequence, Batch batch) override {
    return inner_->WriteOrdered(sequence, std::move(batch));
  }
  Status EndSequence(uint64_t sequence) override { return inner_->EndSequence(sequence); }
  uint64_t rows_written() const override { return inner_->rows_written(); }
  Result<int64_t> Commit(const CommitInfoExtra& extra) override {
    std::lock_guard<std::mutex> lock(table_->mu_);
    if (rewrite_base_ >= 0 && table_->current_->version != rewrite_base_)
      return Status::Conflict("table " + table_->name_ + " changed while the statement ran; retry it");
    ALOPEX_ASSIGN_OR_RETURN(int64_t version, inner_->Commit(extra));
    if (version > table_->current_->version) ALOPEX_RETURN_IF_ERROR(table_->Reload(version));
    return version;
  }

 private:
  std::unique_ptr<TableAppender> inner_;
  std::shared_ptr<Table> table_;
  int64_t rewrite_base_;  // -1: an append
};

Result<std::unique_ptr<TableAppender>> Table::OpenAppender() {
  auto self = shared_from_this();
  auto store = this->store();
  if (!store) return std::unique_ptr<TableAppender>(new MemoryWriteTxn(self, nullptr, ""));
  ALOPEX_ASSIGN_OR_RETURN(auto base, Snapshot());
  std::vector<ColumnDef> cols = base->columns;
  ALOPEX_ASSIGN_OR_RETURN(auto inner, store->OpenAppender(base, [self, cols](const Batch& b) {
    return self->CheckNotNull(cols, b);
  }));
  return std::unique_ptr<TableAppender>(new StoredWriteTxn(std::move(inner), self, -1));
}

Result<std::unique_ptr<TableAppender>> Table::OpenRewriter(std::shared_ptr<const TableSnapshot> base,
                                                           const std::string& operation, const RewriteSpec& spec) {
  if (spec.row_ids && !base->row_tracking)
    return Status::Internal("a rewrite of table " + name_ + " carries row ids, but the table does not track them");
  auto self = shared_from_this();
  auto store = this->store();
  if (!store) return std::unique_ptr<TableAppender>(new MemoryWriteTxn(self, std::move(base), operation));
  std::vector<ColumnDef> cols = base->columns;
  int64_t base_version = base->version;
  size_t extra = spec.row_ids ? 2 : 0;
  ALOPEX_ASSIGN_OR_RETURN(auto inner,
                          store->OpenRewriter(std::move(base), operation, spec, [self, cols, extra](const Batch& b) {
                            return self->CheckNotNull(cols, b, extra);
                          }));
  return std::unique_ptr<TableAppender>(new StoredWriteTxn(std::move(inner), self, base_version));
}

Status Table::RewriteAs(const TableSnapshot& base, std::vector<ColumnDef> columns, std::vector<Batch> rows,
                       const std::string& operation, bool row_ids) {
  std::vector<Batch> kept;
  size_t n = 0;
  for (auto& b : rows) {
    if (b.num_rows == 0) continue;
    ALOPEX_RETURN_IF_ERROR(CheckNotNull(columns, b, row_ids ? 2 : 0));
    n += b.num_rows;
    kept.push_back(std::move(b));
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (current_->version != base.version)
    return Status::Conflict("table " + name_ + " changed while the statement ran; retry it");
  if (store_) {
    ALOPEX_ASSIGN_OR_RETURN(int64_t version, store_->Rewrite(base, columns, kept, operation, row_ids));
    return Reload(version);
  }
  if (row_ids) return Status::Internal("in-memory table " + name_ + " rewritten with row ids");
  auto next = std::make_shared<TableSnapshot>();
  next->columns = std::move(columns);
  next->domains = current_->domains;
  next->version = current_->version + 1;
  next->num_rows = n;
  for (auto& b : kept) next->batches.push_back(std::make_shared<const Batch>(std::move(b)));
  current_ = std::move(next);
  return Status::OK();
}

Status Table::Replace(const TableSnapshot& base, std::vector<Batch> rows, const std::string& operation,
                      const RewriteSpec& spec) {
  if (!store()) return RewriteAs(base, base.columns, std::move(rows), operation);
  // The snapshot is the caller's; the rewriter only reads it while open.
  std::shared_ptr<const TableSnapshot> snap(std::shared_ptr<const TableSnapshot>(), &base);
  ALOPEX_ASSIGN_OR_RETURN(auto out, OpenRewriter(snap, operation, spec));
  for (auto& b : rows) ALOPEX_RETURN_IF_ERROR(out->Write(std::move(b)));
  return out->Commit().status();
}

Status Table::AddColumn(ColumnDef column) {
  ALOPEX_ASSIGN_OR_RETURN(auto base, Snapshot());
  for (const auto& c : base->columns)
    if (strcasecmp(c.name.c_str(), column.name.c_str()) == 0)
      return Status::AlreadyExists("column \"" + column.name + "\" already exists in table " + name_);
  std::vector<ColumnDef> cols = base->columns;
  cols.push_back(column);
  Value fill = column.default_value ? *column.default_value : Value::Null(column.type);
  if (this->store() && fill.is_null()) {
    // Old data files read NULL for the new column.
    std::lock_guard<std::mutex> lock(mu_);
    if (current_->version != base->version)
      return Status::Conflict("table " + name_ + " changed while the statement ran; retry it");
    ALOPEX_ASSIGN_OR_RETURN(int64_t version, store_->ChangeSchema(*base, cols, "ADD COLUMNS"));
    return Reload(version);
  }
  ALOPEX_ASSIGN_OR_RETURN(auto rows, ReadAllRows(*base, base->row_tracking));
  for (auto& b : rows)
    b.columns.insert(b.columns.begin() + ptrdiff_t(base->columns.size()), Column::Constant(fill, b.num_rows));
  return RewriteAs(*base, std::move(cols), std::move(rows), "ADD COLUMNS", base->row_tracking);
}

Status Table::DropColumn(const std::string& name) {
  ALOPEX_ASSIGN_OR_RETURN(auto base, Snapshot());
  int idx = -1;
  for (size_t i = 0; i < base->columns.size(); i++)
    if (strcasecmp(base->columns[i].name.c_str(), name.c_str()) == 0) idx = int(i);
  if (idx < 0) return Status::BinderError("column \"" + name + "\" does not exist in table " + name_);
  if (base->columns.size() == 1) return Status::InvalidArgument("cannot drop the only column of table " + name_);
  for (const auto& p : base->partition_columns)
    if (strcasecmp(p.c_str(), name.c_str()) == 0)
      return Status::InvalidArgument("cannot drop partition column \"" + name + "\" of table " + name_);
  std::vector<ColumnDef> cols = base->columns;
  cols.erase(cols.begin() + idx);
  ALOPEX_ASSIGN_OR_RETURN(auto rows, ReadAllRows(*base, base->row_tracking));
  for (auto& b : rows) b.columns.erase(b.columns.begin() + idx);
  return RewriteAs(*base, std::move(cols), std::move(rows), "DROP COLUMNS", base->row_tracking);
}

Status Table::RenameColumn(const std::string& from, const std::string& to) {
  ALOPEX_ASSIGN_OR_RETURN(auto base, Snapshot());
  std::vector<ColumnDef> cols = base->columns;
  bool found = false;
  for (auto& c : cols)
    if (strcasecmp(c.name.c_str(), to.c_str()) == 0)
      return Status::AlreadyExists("column \"" + to + "\" already exists in table " + name_);
  for (auto& c : cols)
    if (strcasecmp(c.name.c_str(), from.c_str()) == 0) {
      c.name = to;
      found = true;
    }
  if (!found) return Status::BinderError("column \"" + from + "\" does not exist in table " + name_);
  for (const auto& p : base->partition_columns)
    if (strcasecmp(p.c_str(), from.c_str()) == 0)
      return Status::InvalidArgument("cannot rename partition column \"" + from + "\" of table " + name_);
  ALOPEX_ASSIGN_OR_RETURN(auto rows, ReadAllRows(*base, base->row_tracking));
  return RewriteAs(*base, std::move(cols), std::move(rows), "RENAME COLUMN", base->row_tracking);
}

Status Table::SetProperties(const std::vector<std::pair<std::string, std::string>>& properties) {
  auto store = this->store();
  if (!store)
    return Status::InvalidArgument("ALTER TABLE SET: table " + qualified_name() + " is in memory and has no properties");
  ALOPEX_ASSIGN_OR_RETURN(auto base, Snapshot());
  std::lock_guard<std::mutex> lock(mu_);
  ALOPEX_ASSIGN_OR_RETURN(int64_t v, store->SetProperties(*base, properties));
  return Reload(v);
}

Result<int64_t> Table::Restore(int64_t version) {
  auto store = this->store();
  if (!store) return Status::InvalidArgument("RESTORE: table " + qualified_name() + " is in memory and keeps no history");
  ALOPEX_ASSIGN_OR_RETURN(auto base, Snapshot());
  if (version < 0 || version > base->version)
    return Status::InvalidArgument("RESTORE: table " + qualified_name() + " has versions 0 to " +
                                   std::to_string(base->version) + ", not " + std::to_string(version));
  std::lock_guard<std::mutex> lock(mu_);
  ALOPEX_ASSIGN_OR_RETURN(int64_t v, store->Restore(*base, version));
  ALOPEX_RETURN_IF_ERROR(Reload(v));
  return v;
}

Result<MaintenanceResult> Table::Vacuum(double retain_hours, bool dry_run) {
  auto store = this->store();
  if (!store) return Status::InvalidArgument("VACUUM: table " + qualified_name() + " is in memory and has no files");
  return store->Vacuum(retain_hours, dry_run);
}

Result<MaintenanceResult> Table::Optimize(int64_t target_file_size) {
  auto store = this->store();
  if (!store) return Status::InvalidArgument("OPTIMIZE: table " + qualified_name() + " is in memory and has no files");
  ALOPEX_ASSIGN_OR_RETURN(auto base, Snapshot());
  ALOPEX_ASSIGN_OR_RETURN(MaintenanceResult r, store->Optimize(*base, target_file_size));
  if (r.version >= 0) {
    std::lock_guard<std::mutex> lock(mu_);
    if (r.version > current_->version) ALOPEX_RETURN_IF_ERROR(Reload(r.version));
  }
  return r;
}

}  // namespace alopex
