// The options of a Lake-Link import (COPY FROM ... WITH (...), the DuckDB form
// COPY t FROM 'f' (FORMAT csv, HEADER), and COPY INTO's FORMAT_OPTIONS /
// COPY_OPTIONS), checked once before any file is opened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "alopex/status.h"
#include "alopex/value.h"
#include "formats/csv/csv_reader.h"
#include "formats/json/json_reader.h"

namespace alopex {

enum class ImportFormat { kParquet, kCsv, kJson };
enum class ImportMode { kAppend, kUpsert, kUpdate };
enum class OnError { kAbort, kContinue };

const char* ImportFormatName(ImportFormat f);
// The format a file name's extension names (.parquet, .csv/.tsv/.txt,
// .json/.jsonl/.ndjson; .gz/.zst looked through), nullopt for others.
std::optional<ImportFormat> ImportFormatFromPath(const std::string& path);

struct ImportOptions {
  std::optional<ImportFormat> format;  // from the extension when unset
  ImportMode mode = ImportMode::kAppend;
  std::vector<std::string> key_columns;
  std::vector<std::string> partition_columns;  // empty: every hive key shared by all files
  std::string partition_filter;                // SQL over the partition columns; "" = none
  int parallel_workers = 0;                    // 0 = the session's threads
  int64_t batch_size = 0;                      // rows per stored batch; 0 = as read
  bool preserve_sort = true;                   // file order then row order; false lets workers share files
  bool build_indexes = false;
  std::string index_type = "hnsw";
  int64_t hnsw_m = 16;
  int64_t hnsw_ef_construction = 200;
  OnError on_error = OnError::kAbort;
  std::string error_table;                    // on_error = 'continue': where rejected rows go ("" = nowhere)
  int64_t max_errors = -1;                    // rejected rows allowed before the import aborts; -1 = no limit
  std::string region, credentials, endpoint;  // object stores
  // Reader options (CSV / JSON), and which format-specific options were given.
  CsvReadOptions csv;
  JsonReadOptions json;
  std::vector<std::pair<std::string, ImportFormat>> format_specific;
  // COPY INTO: reload files already loaded; add new source columns to the table.
  bool force = false;
  bool merge_schema = false;
};

// Which option set is being parsed: names differ slightly between the forms.
enum class OptionSet { kCopyFrom, kCopyIntoFormat, kCopyIntoCopy };

// Applies `options` (lower-case names, constant values; a bare flag is TRUE)
// to `out`. Errors: an unknown option is InvalidArgument naming it (and the
// closest known name); a value of the wrong type or out of range names the
// option and the value expected. `statement` prefixes messages ("COPY FROM").
Status ParseImportOptions(const std::vector<std::pair<std::string, Value>>& options, OptionSet set,
                          const std::string& statement, ImportOptions* out);

// Checks options that only make sense together once the format is known
// (a CSV option on a Parquet import, key_columns without upsert/update, ...).
Status ValidateImportOptions(const ImportOptions& o, ImportFormat format, const std::string& statement);

}  // namespace alopex
