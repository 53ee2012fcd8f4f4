#include "ingest/import_jobs.h"

#include "common/datetime.h"

namespace alopex {

ImportJob::ImportJob(std::string id, std::string target_table)
    : id_(std::move(id)), target_(std::move(target_table)), started_at_(CurrentTimestampMicros()) {}

ImportJob::ImportJob(std::string id, std::string target_table, int64_t started_at, Catalog* catalog)
    : id_(std::move(id)), target_(std::move(target_table)), started_at_(started_at), catalog_(catalog) {}

void ImportJob::AddFilesDone(uint64_t n) {
  files_done_.fetch_add(n);
  Store();
}

void ImportJob::Complete(uint64_t rows_committed, int64_t version) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    rows_.store(rows_committed);
    state_ = ImportJobState::kCompleted;
    finished_at_ = CurrentTimestampMicros();
    version_ = version;
  }
  Store();
}

void ImportJob::Fail(const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    rows_.store(0);  // nothing was committed
    state_ = ImportJobState::kFailed;
    finished_at_ = CurrentTimestampMicros();
    message_ = message;
  }
  Store();
}

void ImportJob::Store() {
  if (!catalog_) return;
  std::lock_guard<std::mutex> lock(store_mu_);
  (void)catalog_->UpdateImportJob(Snapshot());
}

ImportJobStatus ImportJob::Snapshot() const {
  ImportJobStatus s;
  s.job_id = id_;
  s.target_table = target_;
  s.started_at = started_at_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.state = state_;
    s.finished_at = finished_at_;
    s.committed_version = version_;
    s.message = message_;
    s.rows_imported = rows_.load();
  }
  s.files_total = files_total_.load();
  s.files_done = files_done_.load();
  s.rows_rejected = rejected_.load();
  s.errors = errors_.load();
  s.bytes_read = bytes_.load();
  return s;
}

ImportJobRegistry& ImportJobRegistry::Global() {
  static ImportJobRegistry* registry = new ImportJobRegistry();
  return *registry;
}

std::shared_ptr<ImportJob> ImportJobRegistry::Start(const std::string& target_table, Catalog* catalog) {
  if (catalog && catalog->has_store()) {
    ImportJobStatus row;
    row.target_table = target_table;
    row.started_at = CurrentTimestampMicros();
    // Without its row (the store failing) the job is kept in memory below.
    if (auto id = catalog->InsertImportJob(row); id.ok()) {
      auto job = std::make_shared<ImportJob>(*id, target_table, row.started_at, catalog);
      std::lock_guard<std::mutex> lock(mu_);
      for (auto it = stored_jobs_.begin(); it != stored_jobs_.end();)
        it = it->second.expired() ? stored_jobs_.erase(it) : std::next(it);
      stored_jobs_[next_id_++] = job;
      return job;
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t n = next_id_++;
  auto job = std::make_shared<ImportJob>("job_" + std::to_string(n), target_table);
  jobs_[n] = job;
  while (jobs_.size() > kMaxJobs) {
    auto oldest = jobs_.begin();
    // Running jobs stay listed; drop the oldest finished one.
    auto it = oldest;
    while (it != jobs_.end() && it->second->Snapshot().state == ImportJobState::kInProgress) ++it;
    if (it == jobs_.end()) break;
    jobs_.erase(it);
  }
  return job;
}

std::vector<ImportJobStatus> ImportJobRegistry::List(const Catalog* catalog) const {
  std::vector<std::shared_ptr<ImportJob>> jobs;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!catalog) {
      for (const auto& [_, j] : jobs_) jobs.push_back(j);
    } else {
      for (const auto& [_, weak] : stored_jobs_)
        if (auto j = weak.lock(); j && j->catalog() == catalog) jobs.push_back(j);
    }
  }
  std::vector<ImportJobStatus> out;
  out.reserve(jobs.size());
  for (const auto& j : jobs) out.push_back(j->Snapshot());
  return out;
}

std::vector<std::pair<std::string, LogicalType>> ImportStatusColumns() {
  LogicalType v(TypeId::kVarchar), b(TypeId::kBigInt), ts(TypeId::kTimestamp);
  return {{"job_id", v},        {"status", v},        {"files_total", b},  {"files_done", b},
          {"rows_imported", b}, {"rows_rejected", b}, {"errors", b},       {"bytes_read", b},
          {"started_at", ts},   {"finished_at", ts},  {"target_table", v}, {"committed_version", b},
          {"message", v}};
}

namespace {

// alopex_import_status: one morsel, the jobs as they are when the statement runs.
class ImportStatusSource : public TableFunctionSource {
 public:
  explicit ImportStatusSource(const Catalog* catalog) : catalog_(catalog) {
    for (auto& [n, t] : ImportStatusColumns()) {
      names_.push_back(n);
      types_.push_back(t);
    }
  }
  const std::vector<std::string>& names() const override { return names_; }
  const std::vector<LogicalType>& types() const override { return types_; }
  bool SupportsProjection() const override { return true; }
  Status Prepare(const ExecContext&) override {
    if (!catalog_ || !catalog_->has_store()) {
      jobs_ = ImportJobRegistry::Global().List();
      return Status::OK();
    }
    // The stored rows (every process's jobs), each of this process's running
    // ones replaced by its live counters; a job is one row either way.
    ALOPEX_ASSIGN_OR_RETURN(jobs_, catalog_->ImportJobs());
    std::map<std::string, size_t> by_id;
    for (size_t i = 0; i < jobs_.size(); i++) by_id[jobs_[i].job_id] = i;
    for (auto& live : ImportJobRegistry::Global().List(catalog_)) {
      if (auto it = by_id.find(live.job_id); it != by_id.end()) {
        jobs_[it->second] = std::move(live);
      } else {
        by_id[live.job_id] = jobs_.size();
        jobs_.push_back(std::move(live));
      }
    }
    return Status::OK();
  }
  size_t NumMorsels() const override { return 1; }
  Status ReadMorsel(size_t, const ExecContext&, const std::function<Status(Batch&&)>& emit) override {
    std::vector<int> cols = projection_;
    if (cols.empty())
      for (size_t c = 0; c < names_.size(); c++) cols.push_back(int(c));
    std::vector<LogicalType> types;
    for (int c : cols) types.push_back(types_[size_t(c)]);
    for (size_t start = 0; start < jobs_.size(); start += kBatchSize) {
      size_t n = std::min(kBatchSize, jobs_.size() - start);
      Batch b(types, n);
      for (size_t i = 0; i < n; i++) {
        const ImportJobStatus& j = jobs_[start + i];
        for (size_t k = 0; k < cols.size(); k++) b.columns[k].AppendValue(Field(j, cols[k]));
      }
      b.num_rows = n;
      ALOPEX_RETURN_IF_ERROR(emit(std::move(b)));
    }
    return Status::OK();
  }
  std::string ToString() const override { return "alopex_import_status()"; }

 private:
  static Value Field(const ImportJobStatus& j, int c) {
    auto big = [](uint64_t x) { return Value::BigInt(int64_t(x)); };
    switch (c) {
      case 0:
        return Value::Varchar(j.job_id);
      case 1:
        return Value::Varchar(ImportJobStateName(j.state));
      case 2:
        return big(j.files_total);
      case 3:
        return big(j.files_done);
      case 4:
        return big(j.rows_imported);
      case 5:
        return big(j.rows_rejected);
      case 6:
        return big(j.errors);
      case 7:
        return big(j.bytes_read);
      case 8:
        return Value::Timestamp(j.started_at);
      case 9:
        return j.finished_at ? Value::Timestamp(*j.finished_at) : Value::Null(TypeId::kTimestamp);
      case 10:
        return Value::Varchar(j.target_table);
      case 11:
        return j.committed_version ? Value::BigInt(*j.committed_version) : Value::Null(TypeId::kBigInt);
      case 12:
        return j.message.empty() ? Value::Null(TypeId::kVarchar) : Value::Varchar(j.message);
    }
    return Value::Null();
  }

  const Catalog* catalog_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  std::vector<ImportJobStatus> jobs_;
};

}  // namespace

void RegisterImportTableFunctions(std::map<std::string, TableFunctionBinder>* registry, Catalog* catalog) {
  (*registry)["alopex_import_status"] =
      [catalog](const TableFunctionInput& in) -> Result<std::shared_ptr<TableFunctionSource>> {
    if (!in.args.empty() || !in.named_args.empty())
      return Status::InvalidArgument("alopex_import_status takes no arguments");
    return std::shared_ptr<TableFunctionSource>(std::make_shared<ImportStatusSource>(catalog));
  };
}

}  // namespace alopex
