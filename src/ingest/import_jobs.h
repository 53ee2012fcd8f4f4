// Import jobs: every COPY FROM / COPY INTO is a job with an id and live
// counters, listed by the system table alopex_import_status (readable from any
// connection while the job runs).
//
// A job of a database with a catalog store (a directory, or a PostgreSQL
// catalog) keeps its row there: inserted when it starts (the store gives the
// id), updated as each file finishes and when it ends, so other processes
// sharing the catalog see it running. An in-memory database's jobs live in
// the process-wide registry only.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "exec/table_function.h"
#include "storage/catalog.h"
#include "storage/import_job_record.h"  // ImportJobStatus: a job's row in alopex_import_status

namespace alopex {

// One running or finished import. Counters may be bumped from any worker thread.
class ImportJob {
 public:
  ImportJob(std::string id, std::string target_table);
  // A job whose row `catalog` keeps (inserted already, as `id`, started at
  // `started_at`); the catalog must outlive the job.
  ImportJob(std::string id, std::string target_table, int64_t started_at, Catalog* catalog);

  const std::string& id() const { return id_; }
  void SetFilesTotal(uint64_t n) { files_total_.store(n); }
  // Also stores the job's row, as it is now.
  void AddFilesDone(uint64_t n);
  void AddRows(uint64_t n) { rows_.fetch_add(n); }
  void AddRejected(uint64_t n) { rejected_.fetch_add(n); }
  void AddErrors(uint64_t n) { errors_.fetch_add(n); }
  void AddBytes(uint64_t n) { bytes_.fetch_add(n); }
  uint64_t rows() const { return rows_.load(); }
  uint64_t rejected() const { return rejected_.load(); }
  uint64_t errors() const { return errors_.load(); }

  // Marks the job completed with the rows committed and the table version the
  // commit produced.
  void Complete(uint64_t rows_committed, int64_t version);
  // Marks the job failed: nothing was committed.
  void Fail(const std::string& message);

  ImportJobStatus Snapshot() const;
  // The catalog keeping the job's row; nullptr in memory.
  const Catalog* catalog() const { return catalog_; }

 private:
  // Writes Snapshot() to the catalog. A failure is not the import's: the row
  // lags until the next write, and the running process shows the live one.
  void Store();
  const std::string id_;
  const std::string target_;
  const int64_t started_at_;
  Catalog* const catalog_ = nullptr;
  std::mutex store_mu_;  // rows reach the store in the order their snapshots were taken
  std::atomic<uint64_t> files_total_{0}, files_done_{0}, rows_{0}, rejected_{0}, errors_{0}, bytes_{0};
  mutable std::mutex mu_;
  ImportJobState state_ = ImportJobState::kInProgress;
  std::optional<int64_t> finished_at_;
  std::optional<int64_t> version_;
  std::string message_;
};

class ImportJobRegistry {
 public:
  // The registry every database of this process shares.
  static ImportJobRegistry& Global();

  // Registers a new in-progress job of `catalog`. With a catalog store the
  // job's row goes there and the store gives the id; otherwise (or with
  // nullptr) the id is the process's ("job_1", "job_2", ...).
  std::shared_ptr<ImportJob> Start(const std::string& target_table, Catalog* catalog = nullptr);
  // The jobs of `catalog` running in this process, or with nullptr every job
  // kept in memory only; oldest first.
  std::vector<ImportJobStatus> List(const Catalog* catalog = nullptr) const;
  // Jobs kept in memory: the oldest finished ones are dropped beyond this many.
  static constexpr size_t kMaxJobs = 10000;

 private:
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::shared_ptr<ImportJob>> jobs_;  // in memory only: this is their record
  // Jobs whose rows a catalog keeps, while their import holds them.
  std::map<uint64_t, std::weak_ptr<ImportJob>> stored_jobs_;
};

// The columns of alopex_import_status.
std::vector<std::pair<std::string, LogicalType>> ImportStatusColumns();

// Registers the table function alopex_import_status() (a bare
// `FROM alopex_import_status` binds to it too) in `registry`. It lists the
// jobs `catalog` stores (every process's), with the live counters of those
// running here; an in-memory catalog lists the process's in-memory jobs.
void RegisterImportTableFunctions(std::map<std::string, TableFunctionBinder>* registry, Catalog* catalog = nullptr);

}  // namespace alopex
