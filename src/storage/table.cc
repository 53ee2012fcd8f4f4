#include "storage/table.h"

#include <strings.h>

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
  std::lock_guard<std::mutex> lock(mu_);
  if (version >= 0 && version != current_->version)
    return Status::NotFound("table " + qualified_name() + " has no version " + std::to_string(version) +
                            " (in-memory tables keep only the latest version)");
  return current_;
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
  for (auto& b : batches) {
    if (b.num_rows == 0) continue;
    if (b.columns.size() != next->columns.size())
      return Status::Internal("append to " + name_ + " with " + std::to_string(b.columns.size()) + " columns, table has " +
                              std::to_string(next->columns.size()));
    ALOPEX_RETURN_IF_ERROR(CheckNotNull(next->columns, b));
    next->num_rows += b.num_rows;
    next->batches.push_back(std::make_shared<const Batch>(std::move(b)));
  }
  next->version++;
  current_ = std::move(next);
  return Status::OK();
}

Status Table::Replace(const TableSnapshot& base, std::vector<Batch> rows) {
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
  current_ = std::move(next);
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
  current_ = std::move(next);
  return Status::OK();
}

}  // namespace alopex
