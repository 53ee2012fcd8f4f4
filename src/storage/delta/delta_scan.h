// Reading and writing the data files of a Delta table: a snapshot scan that
// applies deletion vectors, adds partition columns and maps physical column
// names back to logical ones, and a writer that lays out Hive-style partition
// folders of part-*.snappy.parquet files with per-file stats for add actions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <memory>

#include "alopex/status.h"
#include "alopex/value.h"
#include "common/column.h"
#include "formats/parquet/parquet_reader.h"
#include "io/file_system.h"
#include "storage/delta/delta_log.h"

namespace alopex {

// Columns a scan can add after the projected ones, in this order.
struct ScanMetadataColumns {
  // BIGINT: the row's stable id under row tracking (PROTOCOL.md "Row
  // Tracking"): the materialized row-id column where the file has it and it is
  // not NULL, else add.baseRowId + the row's physical index in the file.
  bool row_id = false;
  // BIGINT: the version that last changed the row: the materialized
  // row-commit-version column where present and not NULL, else
  // add.defaultRowCommitVersion.
  bool row_commit_version = false;
  // INTEGER: the row's data file, as its index in snapshot.files.
  bool file_index = false;
};

// A scan of one snapshot, file by file: the projection is resolved once, files
// whose partition values or min/max/null statistics rule out `predicates` are
// dropped, and each remaining file is read on its own (from any thread), so a
// caller splits the work by file. Batches carry `columns` (logical names,
// case-insensitive; empty = every schema column) with their schema types;
// partition columns come from add.partitionValues, columns absent from an older
// file read as NULL, rows in a file's deletion vector are dropped. Errors name
// the table, the data file and the column.
class DeltaFileScan {
 public:
  // `predicates` name logical columns; they only skip files and row groups
  // (the caller still filters rows). `extra` columns follow the projected
  // ones (an empty `columns` still projects every schema column); row_id /
  // row_commit_version need TracksRowIds (InvalidArgument naming the table
  // otherwise), and ReadFile refuses a file without baseRowId /
  // defaultRowCommitVersion. The scan keeps pointers into snapshot->files.
  static Result<DeltaFileScan> Make(std::shared_ptr<const DeltaSnapshot> snapshot,
                                    const std::vector<std::string>& columns,
                                    const std::vector<ColumnPredicate>& predicates = {}, FileSystem* fs = nullptr,
                                    ScanMetadataColumns extra = {});

  size_t num_files() const { return files_.size(); }
  const AddFile& file(size_t i) const { return *files_[i]; }
  // Live files the predicates ruled out.
  size_t files_skipped() const { return skipped_; }
  // Reads file `i`, handing `sink` batches of up to kBatchSize rows in file order.
  Status ReadFile(size_t i, const std::function<Status(Batch&&)>& sink) const;

 private:
  std::shared_ptr<const DeltaSnapshot> snapshot_;
  FileSystem* fs_ = nullptr;
  std::string where_;
  std::vector<int> fields_;  // projected schema fields
  std::vector<bool> is_partition_;
  std::vector<ColumnPredicate> file_predicates_;  // by physical name, for row groups
  std::vector<const AddFile*> files_;
  size_t skipped_ = 0;
  ScanMetadataColumns extra_;
  std::optional<RowTrackingColumns> materialized_;
};

// Whether `add` may hold rows matching every predicate (logical column names),
// judged by its partition values and stats; true where they say nothing.
bool DataFileMayMatch(const DeltaSnapshot& snapshot, const AddFile& add, const std::vector<ColumnPredicate>& predicates);

// Reads every live file of `snapshot` and hands `sink` batches whose columns
// are `columns` (logical names, case-insensitive; empty = every schema column)
// with their schema types. Partition columns come from add.partitionValues;
// columns absent from an older file read as NULL; rows in a file's deletion
// vector are dropped. Errors name the table, the data file and the column.
Status ScanSnapshot(const DeltaSnapshot& snapshot, const std::vector<std::string>& columns,
                    const std::function<Status(Batch&&)>& sink, FileSystem* fs = nullptr);

// The on-storage location of an add/remove path (relative paths resolved
// against `table_root`, URI escapes decoded once).
std::string ResolveDataFilePath(const std::string& table_root, const std::string& path);

struct DataFileWriteOptions {
  std::string compression = "snappy";
  // The table's schema, for column mapping (physical names) and the stored
  // types; when null the schema is derived from the names and types.
  const DeltaSchema* schema = nullptr;
  ColumnMappingMode column_mapping = ColumnMappingMode::kNone;
  FileSystem* fs = nullptr;
  // Goes into the data file names (part-<prefix>-NNNNN-<uuid>), so files sort by it.
  std::string file_prefix;
  // When set, every batch carries two more BIGINT columns after the named
  // ones, each row's id and commit version (NULL = assign fresh ones), written
  // to the files under these physical names (not in the schema or the stats),
  // so rows keep their ids when rewritten.
  std::optional<RowTrackingColumns> row_tracking;
};

// Writes `batches` (columns `names`/`types`, partition columns included) as
// Parquet files under `table_uri`, one folder per partition value tuple
// (col=value/..., nulls as __HIVE_DEFAULT_PARTITION__), rolling to a new file
// when one reaches `target_file_size` bytes. Partition columns are not stored
// in the files. Returns one add action per file (dataChange true, stats with
// numRecords, minValues, maxValues, nullCount), ready to commit.
Result<std::vector<AddFile>> WriteDataFiles(const std::string& table_uri, const std::vector<std::string>& names,
                                            const std::vector<LogicalType>& types,
                                            const std::vector<std::string>& partition_columns,
                                            const std::vector<Batch>& batches,
                                            int64_t target_file_size = int64_t(128) << 20,
                                            const DataFileWriteOptions& options = {});

// The streaming form of WriteDataFiles: batches are written as they come and
// files are closed as they reach the target size, so memory holds one open file
// per partition, not the data.
class DeltaDataWriter {
 public:
  static Result<std::unique_ptr<DeltaDataWriter>> Open(const std::string& table_uri,
                                                       const std::vector<std::string>& names,
                                                       const std::vector<LogicalType>& types,
                                                       const std::vector<std::string>& partition_columns,
                                                       int64_t target_file_size = int64_t(128) << 20,
                                                       const DataFileWriteOptions& options = {});
  // For a table as of `snapshot`: its schema (batches hold every column, in
  // schema order), partition columns, column mapping and compression property.
  // `row_tracking`: see DataFileWriteOptions::row_tracking.
  static Result<std::unique_ptr<DeltaDataWriter>> Open(const DeltaSnapshot& snapshot,
                                                       int64_t target_file_size = int64_t(128) << 20,
                                                       FileSystem* fs = nullptr, const std::string& file_prefix = "",
                                                       std::optional<RowTrackingColumns> row_tracking = std::nullopt);
  ~DeltaDataWriter();

  Status Write(const Batch& batch);
  // Closes the open files; the add actions of every file written.
  Result<std::vector<AddFile>> Finish();
  // Bytes in files closed so far plus bytes written to open ones.
  uint64_t bytes_written() const;

 private:
  struct Impl;
  explicit DeltaDataWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// WriteDataFiles for a table as of `snapshot`: its schema (batches hold every
// column, in schema order), partition columns and column mapping.
Result<std::vector<AddFile>> WriteDataFiles(const DeltaSnapshot& snapshot, const std::vector<Batch>& batches,
                                            int64_t target_file_size = int64_t(128) << 20, FileSystem* fs = nullptr);

// The partitionValues string of `v` (nullopt for NULL), per PROTOCOL.md
// "Partition Value Serialization"; timestamps in ISO-8601 UTC.
std::optional<std::string> FormatPartitionValue(const Value& v);
// A partitionValues string read as `field`'s type.
Result<Value> ParsePartitionValue(const std::optional<std::string>& text, const DeltaField& field);

// The stats JSON value of a min/max bound (nullopt for types without bounds).
std::optional<JsonNode> StatsBoundToJson(const Value& v);

}  // namespace alopex
