// An import job's row (alopex_import_status), as the catalog keeps it. The jobs
// themselves run in src/ingest (import_jobs.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace alopex {

enum class ImportJobState { kInProgress, kCompleted, kFailed };

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

// "in_progress", "completed", "failed": the status column's values.
inline const char* ImportJobStateName(ImportJobState s) {
  switch (s) {
    case ImportJobState::kInProgress:
      return "in_progress";
    case ImportJobState::kCompleted:
      return "completed";
    case ImportJobState::kFailed:
      return "failed";
  }
  return "?";
}

// The state ImportJobStateName gives `name`; nullopt for anything else.
inline std::optional<ImportJobState> ParseImportJobState(const std::string& name) {
  for (auto s : {ImportJobState::kInProgress, ImportJobState::kCompleted, ImportJobState::kFailed})
    if (name == ImportJobStateName(s)) return s;
  return std::nullopt;
}

}  // namespace alopex
