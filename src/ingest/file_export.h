// COPY ... TO: writes a stream of Batches as Parquet, CSV or JSON files, one
// file, a folder of size-rolled files, or hive-partitioned key=value folders.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "alopex/status.h"
#include "alopex/value.h"
#include "common/column.h"

namespace alopex {

struct ExportSummary {
  int64_t rows = 0;
  int64_t files = 0;
  int64_t bytes = 0;  // of the files as written (compressed)
};

// Writes the rows `produce` hands to its sink to `path`.
//
// `names`/`types` describe every batch; its last `num_partition_columns`
// columns are partition keys (computed by the caller from partition_by), which
// become `name=value/` folders (values URL-encoded, NULL as
// __HIVE_DEFAULT_PARTITION__) and are not written inside the files. A path
// ending in '/', partitioning or file_size_bytes make `path` a folder of
// data_<i>.<ext> files (per partition folder).
//
// Options (lower-case names): format ('parquet'|'csv'|'json', default from the
// extension, parquet for folders), compression (parquet: snappy (default),
// zstd, gzip, lz4, lz4_raw, brotli, uncompressed/none; csv/json: gzip or none,
// default gzip when the path ends in .gz), compression_level, row_group_size,
// row_group_size_bytes, file_size_bytes, overwrite (default false), header,
// delimiter/delim/sep, quote, escape, nullstr, dateformat, timestampformat
// (csv), array (json), filename_pattern ('data_{i}'), and partition_by /
// per_thread_output (handled by the caller; ignored). An unknown option is
// InvalidArgument naming it.
//
// Files are written under temporary hidden names and renamed when every row is
// written; on failure they are removed and an existing target is left as it
// was. Without overwrite = true an existing file or non-empty folder at `path`
// is an IOError naming it.
Result<ExportSummary> WriteFiles(const std::string& path, const std::vector<std::pair<std::string, Value>>& options,
                                 const std::vector<std::string>& names, const std::vector<LogicalType>& types,
                                 size_t num_partition_columns,
                                 const std::function<Status(const std::function<Status(const Batch&)>&)>& produce);

}  // namespace alopex
