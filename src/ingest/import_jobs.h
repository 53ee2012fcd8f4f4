// Import jobs: every COPY FROM / COPY INTO is a job with an id and live
// counters, listed by the system table alopex_import_status (readable from any
// connection while the job runs).
//
// The registry is process-wide and in memory for now; DESIGN.md puts jobs in
// catalog.sqlite, which is where ImportJobRegistry's records go once the
// catalog is persistent.
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

namespace alopex {

enum class ImportJobState { kInProgress, kCompleted, kFailed };

// A job's row in alopex_import_status.
struct ImportJobStatus {
  std::string job_id;
  ImportJobState state = ImportJobState::kInProgress;
  uint64_t files_total = 0;
  uint64_t files_done = 0;
  uint64_t rows_imported = 0;  // rows read so far while running; rows committed once finished
  uint64_t rows_rejected = 0;
  uint64_t errors = 0;
  uint64_t bytes_read = 0;
  int64_t started_at = 0;  // microseconds since the epoch
  std::optional<int64_t> finished_at;
  std::string target_table;
  std::optional<int64_t> committed_version;
  std::string message;  // the error of a failed job
};

// One running or finished import. Counters may be bumped from any worker thread.
class ImportJob {
 public:
  ImportJob(std::string id, std::string target_table);

  const std::string& id() const { return id_; }
  void SetFilesTotal(uint64_t n) { files_total_.store(n); }
  void AddFilesDone(uint64_t n) { files_done_.fetch_add(n); }
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

 private:
  const std::string id_;
  const std::string target_;
  const int64_t started_at_;
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

  // Registers a new in-progress job with a fresh id ("job_1", "job_2", ...).
  std::shared_ptr<ImportJob> Start(const std::string& target_table);
  // Every job, oldest first.
  std::vector<ImportJobStatus> List() const;
  // Jobs kept: the oldest finished ones are dropped beyond this many.
  static constexpr size_t kMaxJobs = 10000;

 private:
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::shared_ptr<ImportJob>> jobs_;
};

// The columns of alopex_import_status.
std::vector<std::pair<std::string, LogicalType>> ImportStatusColumns();

// Registers the table function alopex_import_status() (a bare
// `FROM alopex_import_status` binds to it too) in `registry`.
void RegisterImportTableFunctions(std::map<std::string, TableFunctionBinder>* registry);

}  // namespace alopex
