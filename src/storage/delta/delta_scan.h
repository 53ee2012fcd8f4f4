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

#include "alopex/status.h"
#include "alopex/value.h"
#include "common/column.h"
#include "io/file_system.h"
#include "storage/delta/delta_log.h"

namespace alopex {

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
