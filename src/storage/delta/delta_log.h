// DeltaTable: a Delta Lake table's transaction log (DESIGN.md § Layers:
// storage). Snapshots replay `_delta_log/` from the newest usable checkpoint
// (classic, multi-part, or V2 with sidecars); commits are optimistic
// (put-if-absent of the next NNN.json, conflict checks against the winners,
// rebase and retry); checkpoints are classic single-file Parquet plus
// `_last_checkpoint`. Every error names the table path, and where it applies
// the log file and the version.
//
// Commit times (time travel by timestamp, DESCRIBE HISTORY) come from
// commitInfo.inCommitTimestamp when present, else commitInfo.timestamp, else
// the commit file's modification time: file times are lost when a table is
// copied, and Spark and Alopex always write commitInfo.timestamp.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "io/file_system.h"
#include "storage/delta/delta_actions.h"
#include "storage/delta/delta_schema.h"

namespace alopex {

// The state of a table at one version.
struct DeltaSnapshot {
  std::string table_path;
  int64_t version = -1;
  int64_t timestamp_ms = 0;  // commit time of `version`
  Protocol protocol;
  Metadata metadata;
  DeltaSchema schema;  // parsed metadata.schema_string
  ColumnMappingMode column_mapping = ColumnMappingMode::kNone;
  std::vector<AddFile> files;          // live logical files, sorted by path
  std::vector<RemoveFile> tombstones;  // removes replayed from JSON commits and the checkpoint
  std::map<std::string, Txn> transactions;  // latest txn per appId
  std::map<std::string, DomainMetadata> domains;  // live (not removed) domains
  int64_t checkpoint_version = -1;     // the checkpoint the replay started from, -1 = none

  const std::vector<std::string>& partition_columns() const { return metadata.partition_columns; }
  const StringMap& configuration() const { return metadata.configuration; }
  // The property `key`, or `fallback` when unset.
  std::string Property(const std::string& key, const std::string& fallback = "") const;
  // The last txn version committed by `app_id` (idempotent writes).
  std::optional<int64_t> TxnVersion(const std::string& app_id) const;
  // Sum of numRecords minus deletion-vector cardinalities; nullopt when a file has no stats.
  std::optional<int64_t> NumRecords() const;
  // The same version with only the live files at `indices` (and no
  // tombstones): what a statement rewriting those files reads.
  DeltaSnapshot WithFiles(const std::vector<size_t>& indices) const;
};

// What a commit read, for conflict detection against concurrent winners.
enum class ReadScope {
  kNothing,     // a blind append: only protocol/metaData/txn/domain changes conflict
  kFiles,       // read only the files it removes (plus read_files)
  kWholeTable,  // read every file: any concurrent data change conflicts
};

struct CommitOptions {
  std::string operation = "WRITE";
  // Values are JSON text, as Spark writes them ("\"Append\"", "[]").
  std::map<std::string, std::string> operation_parameters;
  StringMap operation_metrics;
  std::optional<std::string> user_metadata;
  // "Serializable" or "WriteSerializable" (Delta's default for Spark DML).
  std::string isolation_level = "Serializable";
  // What the transaction read; kFiles when it removes files, kNothing otherwise,
  // unless set.
  std::optional<ReadScope> read_scope;
  std::vector<std::string> read_files;  // paths (as in add.path) read besides the removed ones
  // Retries after losing the race for a version.
  int max_retries = 1000;
  // Write a checkpoint when the new version is a multiple of delta.checkpointInterval (default 10).
  bool auto_checkpoint = true;
  // The commit time in ms (0 = now); tests use it for time travel.
  int64_t timestamp_ms = 0;
  // Every row of the files this commit removes is in its adds with its row id
  // materialized (commitInfo tag delta.rowTracking.preserved). Commits without
  // removes preserve ids trivially.
  bool row_ids_preserved = false;
};

struct DeltaHistoryEntry {
  int64_t version = 0;
  int64_t timestamp_ms = 0;
  std::string operation;
  std::map<std::string, std::optional<std::string>> operation_parameters;
  std::optional<int64_t> read_version;
  std::optional<std::string> isolation_level;
  std::optional<bool> is_blind_append;
  StringMap operation_metrics;
  std::optional<std::string> engine_info;
  std::optional<std::string> user_metadata;
};

struct VacuumResult {
  std::vector<std::string> files;  // deleted (or, on a dry run, to be deleted), sorted
  int64_t bytes = 0;
};

// Reader features Alopex implements; anything else in readerFeatures is refused.
bool IsSupportedReaderFeature(std::string_view name);

class DeltaTable {
 public:
  // Opens the table at `uri` (NotFound when it has no _delta_log/ commits).
  static Result<std::unique_ptr<DeltaTable>> Open(const std::string& uri, FileSystem* fs = nullptr);
  // Creates version 0: commitInfo, protocol (1,2 unless the configuration needs
  // features: row tracking gives 1,7 with domainMetadata + rowTracking, and the
  // materialized row-tracking column names in the configuration), metaData.
  // AlreadyExists when the table has a log.
  static Result<std::unique_ptr<DeltaTable>> Create(const std::string& uri, const DeltaSchema& schema,
                                                    const std::vector<std::string>& partition_columns,
                                                    const StringMap& configuration = {}, FileSystem* fs = nullptr);
  static Result<std::unique_ptr<DeltaTable>> Create(const std::string& uri, const std::vector<std::string>& names,
                                                    const std::vector<LogicalType>& types,
                                                    const std::vector<std::string>& partition_columns,
                                                    const StringMap& configuration = {}, FileSystem* fs = nullptr);

  const std::string& path() const { return path_; }
  std::string log_path() const;
  FileSystem* fs() const { return fs_; }

  // The newest version in the log.
  Result<int64_t> LatestVersion();
  // The table at `version` (-1 = latest). Refuses tables whose reader protocol
  // Alopex does not implement, and logs with missing commits.
  Result<DeltaSnapshot> Snapshot(int64_t version = -1);
  // The newest version committed at or before `micros` (microseconds since the
  // epoch). Before the first commit: an error naming the earliest commit time.
  Result<DeltaSnapshot> SnapshotAsOfTimestamp(int64_t micros);

  // Commits `actions` as version read_version + 1 (read_version -1 = creating
  // the table), with a commitInfo first. On a lost race, reads the winning
  // commits, fails with Conflict when they touch what this commit read or
  // wrote, else retries at the next version. Returns the committed version.
  Result<int64_t> Commit(const std::vector<Action>& actions, int64_t read_version,
                         const CommitOptions& options = {});

  // Writes a classic checkpoint of `version` (-1 = latest) and points
  // _last_checkpoint at it (never at an older version than it names).
  Status Checkpoint(int64_t version = -1);

  // DESCRIBE HISTORY: newest first, at most `limit` entries (-1 = all).
  Result<std::vector<DeltaHistoryEntry>> History(int64_t limit = -1);

  // Deletes data files under the table root that no live add and no remove
  // newer than now - retain_hours references, and that were last modified
  // before that cutoff. With `dry_run` nothing is deleted. Directories named
  // _* or .* (the log among them) are never touched.
  Result<VacuumResult> Vacuum(double retain_hours, bool dry_run = false);

  // The commit time (ms) of each version in the log, made strictly increasing.
  Result<std::map<int64_t, int64_t>> CommitTimestamps();

 private:
  DeltaTable(std::string path, FileSystem* fs) : path_(std::move(path)), fs_(fs) {}

  struct LogListing;
  Result<LogListing> ListLog();
  Result<DeltaSnapshot> LoadSnapshot(const LogListing& listing, int64_t version);
  std::string CommitPath(int64_t version) const;
  Result<std::vector<Action>> ReadCommit(int64_t version);
  Status CheckConflicts(const std::vector<Action>& ours, const CommitOptions& options, ReadScope scope,
                        int64_t winner_version, const std::vector<Action>& winner);
  Status CheckWriteProtocol(const DeltaSnapshot& snapshot, const std::vector<Action>& actions) const;

  std::string path_;
  FileSystem* fs_;
  // The newest snapshot built so far, to replay only the commits after it.
  std::mutex cache_mu_;
  std::shared_ptr<const DeltaSnapshot> cached_;
};

// Row tracking (PROTOCOL.md "Row Tracking"). Whether a table with `protocol`
// and `configuration` gives new files row ids: minWriterVersion 7 with the
// rowTracking writer feature, and delta.rowTrackingSuspended not true. Its rows
// then have stable ids.
bool TracksRowIds(const Protocol& protocol, const StringMap& configuration);
bool TracksRowIds(const DeltaSnapshot& snapshot);

// The physical names of the hidden row-tracking columns (configuration
// delta.rowTracking.materializedRowIdColumnName / ...RowCommitVersionColumnName).
// They are never in the schema.
struct RowTrackingColumns {
  std::string row_id;
  std::string row_commit_version;
};
// The table's names, nullopt when its configuration lacks either.
std::optional<RowTrackingColumns> MaterializedRowTrackingColumns(const StringMap& configuration);
// Adds fresh names (_row-id-col-<uuid>, _row-commit-version-col-<uuid>, as
// Spark names them) to `configuration` where missing; returns the names.
RowTrackingColumns EnsureMaterializedRowTrackingColumns(StringMap* configuration);

// `p` extended so that writers must support `feature` (moving to writer
// version 7, which lists the features the legacy versions implied), or
// nullopt when it already does.
std::optional<Protocol> WithWriterFeature(const Protocol& p, const std::string& feature);
// `p` with the writer features the table properties in `configuration` turn
// on: delta.enableRowTracking (domainMetadata, rowTracking) and
// delta.appendOnly (appendOnly).
Protocol WithPropertyFeatures(Protocol p, const StringMap& configuration);

// Milliseconds since the epoch, now.
int64_t DeltaNowMillis();
// A random (version 4) UUID in its 36-character text form.
std::string RandomUuid();

}  // namespace alopex
