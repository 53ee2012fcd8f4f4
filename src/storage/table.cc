#include "storage/table.h"

#include <strings.h>

#include "storage/table_store.h"

namespace alopex {

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
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (version < 0 || version == current_->version) return current_;
    store = store_;
  }
  if (store) {
    auto old = store->Load(version);
    if (!old.ok())
      return Status::NotFound("table " + qualified_name() + " has no version " + std::to_string(version) + ": " +
                              old.status().message());
    return std::shared_ptr<const TableSnapshot>(std::move(*old));
  }
  {
    return Status::NotFound("table " + qualified_name() + " has no version " + std::to_string(version) +
                            " (in-memory tables keep only the latest version)");
  }
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

Status Table::CheckNotNull(const std::vector<ColumnDef>& cols, const Batch& b) const {
  for (size_t c = 0; c < cols.size(); c++) {
    if (!cols[c].not_null || !b.columns[c].MayHaveNulls()) continue;
    if (b.columns[c].CountNulls() > 0)
      return Status::InvalidArgument("NOT NULL constraint failed: " + name_ + "." + cols[c].name);
  }
  return Status::OK();
}

Status Table::Append(std::vector<Batch> batches) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = std::make_shared<TableSnapshot>(*current_);
  std::vector<Batch> rows;
  for (auto& b : batches) {
    if (b.num_rows == 0) continue;
    if (b.columns.size() != next->columns.size())
      return Status::Internal("append to " + name_ + " with " + std::to_string(b.columns.size()) + " columns, table has " +
                              std::to_string(next->columns.size()));
    ALOPEX_RETURN_IF_ERROR(CheckNotNull(next->columns, b));
    rows.push_back(std::move(b));
  }
  next->version++;
  if (store_) {
    ALOPEX_ASSIGN_OR_RETURN(next->version, store_->Append(*current_, rows));
  }
  for (auto& b : rows) {
    next->num_rows += b.num_rows;
    next->batches.push_back(std::make_shared<const Batch>(std::move(b)));
  }
  current_ = std::move(next);
  return Status::OK();
}

Status Table::Replace(const TableSnapshot& base, std::vector<Batch> rows, const std::string& operation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (current_->version != base.version)
    return Status::Conflict("table " + name_ + " changed while the statement ran; retry it");
  auto next = std::make_shared<TableSnapshot>();
  next->columns = current_->columns;
  next->version = current_->version + 1;
  for (auto& b : rows) {
    if (b.num_rows == 0) continue;
    ALOPEX_RETURN_IF_ERROR(CheckNotNull(next->columns, b));
    next->num_rows += b.num_rows;
    next->batches.push_back(std::make_shared<const Batch>(std::move(b)));
  }
  ALOPEX_RETURN_IF_ERROR(CommitRewrite(next.get(), operation));
  current_ = std::move(next);
  return Status::OK();
}

Status Table::CommitRewrite(TableSnapshot* next, const std::string& operation) {
  if (!store_) return Status::OK();
  std::vector<Batch> rows;
  for (const auto& b : next->batches) rows.push_back(b->Clone());
  ALOPEX_ASSIGN_OR_RETURN(next->version, store_->Rewrite(*current_, next->columns, rows, operation));
  return Status::OK();
}

Status Table::AddColumn(ColumnDef column) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& c : current_->columns)
    if (strcasecmp(c.name.c_str(), column.name.c_str()) == 0)
      return Status::AlreadyExists("column \"" + column.name + "\" already exists in table " + name_);
  auto next = std::make_shared<TableSnapshot>();
  next->columns = current_->columns;
  next->columns.push_back(column);
  next->version = current_->version + 1;
  next->num_rows = current_->num_rows;
  Value fill = column.default_value ? *column.default_value : Value::Null(column.type);
  for (const auto& b : current_->batches) {
    Batch nb = b->Clone();
    nb.columns.push_back(Column::Constant(fill, nb.num_rows));
    next->batches.push_back(std::make_shared<const Batch>(std::move(nb)));
  }
  if (store_) {
    // Old data files read NULL for the new column; a non-NULL default must be
    // written into them.
    if (fill.is_null() || current_->num_rows == 0) {
      ALOPEX_ASSIGN_OR_RETURN(next->version, store_->ChangeSchema(*current_, next->columns, "ADD COLUMNS"));
    } else {
      ALOPEX_RETURN_IF_ERROR(CommitRewrite(next.get(), "ADD COLUMNS"));
    }
  }
  current_ = std::move(next);
  return Status::OK();
}

Status Table::DropColumn(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  int idx = -1;
  for (size_t i = 0; i < current_->columns.size(); i++)
    if (strcasecmp(current_->columns[i].name.c_str(), name.c_str()) == 0) idx = int(i);
  if (idx < 0) return Status::BinderError("column \"" + name + "\" does not exist in table " + name_);
  if (current_->columns.size() == 1) return Status::InvalidArgument("cannot drop the only column of table " + name_);
  auto next = std::make_shared<TableSnapshot>();
  next->columns = current_->columns;
  next->columns.erase(next->columns.begin() + idx);
  next->version = current_->version + 1;
  next->num_rows = current_->num_rows;
  for (const auto& b : current_->batches) {
    Batch nb = b->Clone();
    nb.columns.erase(nb.columns.begin() + idx);
    next->batches.push_back(std::make_shared<const Batch>(std::move(nb)));
  }
  ALOPEX_RETURN_IF_ERROR(CommitRewrite(next.get(), "DROP COLUMNS"));
  current_ = std::move(next);
  return Status::OK();
}

Status Table::RenameColumn(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = std::make_shared<TableSnapshot>(*current_);
  bool found = false;
  for (auto& c : next->columns) {
    if (strcasecmp(c.name.c_str(), to.c_str()) == 0)
      return Status::AlreadyExists("column \"" + to + "\" already exists in table " + name_);
  }
  for (auto& c : next->columns)
    if (strcasecmp(c.name.c_str(), from.c_str()) == 0) {
      c.name = to;
      found = true;
    }
  if (!found) return Status::BinderError("column \"" + from + "\" does not exist in table " + name_);
  next->version++;
  ALOPEX_RETURN_IF_ERROR(CommitRewrite(next.get(), "RENAME COLUMN"));
  current_ = std::move(next);
  return Status::OK();
}

}  // namespace alopex
