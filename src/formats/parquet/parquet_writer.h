// ParquetWriter: writes Batches as a Parquet file (data page v1 by default,
// dictionary encoding with PLAIN fallback, chunk statistics, ColumnIndex and
// OffsetIndex), rolling row groups by rows and bytes. Every Alopex type maps to
// a standard Parquet type other engines read (VECTOR(n) is a list<float> with
// the dimension in the "alopex.vector_dimension" key-value metadata).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "common/column.h"
#include "formats/parquet/statistics.h"
#include "io/file_system.h"

namespace alopex {

struct ParquetWriteOptions {
  std::string compression = "snappy";  // none|uncompressed|snappy|gzip|zstd|lz4|lz4_raw|brotli
  int compression_level = 0;           // 0 = the codec's default
  int64_t row_group_size = 122880;     // rows
  int64_t row_group_bytes = int64_t(128) << 20;
  int64_t page_size = 1 << 20;
  // Dictionary-encode where it pays; falls back to PLAIN for the rest of a
  // column chunk when the dictionary grows past 1 MiB or holds most values.
  bool dictionary = true;
  bool statistics = true;
  bool page_index = true;
  std::vector<std::pair<std::string, std::string>> key_value_metadata;
  int data_page_version = 1;  // 1 or 2
};

namespace parquet {
class ColumnChunkWriter;
struct WriterColumn;
}  // namespace parquet

class ParquetWriter {
 public:
  // Creates `path` through `fs` (FileSystem::ForPath when null). `names` and
  // `types` describe the batches Write() will receive.
  static Result<std::unique_ptr<ParquetWriter>> Open(const std::string& path, std::vector<std::string> names,
                                                     std::vector<LogicalType> types, ParquetWriteOptions options,
                                                     FileSystem* fs = nullptr);
  // Writes to an already open file (tests, custom sinks).
  static Result<std::unique_ptr<ParquetWriter>> Open(std::unique_ptr<WritableFile> file, std::vector<std::string> names,
                                                     std::vector<LogicalType> types, ParquetWriteOptions options);
  ~ParquetWriter();

  // Appends the rows of `batch` (its columns must have the declared types).
  Status Write(const Batch& batch);
  // Flushes the last row group, writes the page index and footer, closes the file.
  Status Close();

  uint64_t bytes_written() const { return offset_; }
  int64_t rows_written() const { return rows_written_; }
  // One entry per top-level column: whole-file min/max/null count (nested
  // columns report only their NULL rows).
  const std::vector<ColumnStatistics>& file_statistics() const { return file_stats_; }

 private:
  ParquetWriter();
  Status Init();
  Status WriteRows(const Batch& batch, size_t offset, size_t count);
  Status FlushRowGroup();
  Status Append(const std::string& bytes);

  std::unique_ptr<WritableFile> file_;
  std::string path_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  ParquetWriteOptions options_;
  int32_t codec_ = 0;
  uint64_t offset_ = 0;
  int64_t rows_written_ = 0;
  int64_t rg_rows_ = 0;
  bool closed_ = false;
  std::vector<std::unique_ptr<parquet::WriterColumn>> columns_;
  std::vector<parquet::ColumnChunkWriter*> leaves_;
  std::unique_ptr<parquet::FileMetaData> md_;
  struct PageIndexEntry;
  std::vector<std::vector<std::unique_ptr<PageIndexEntry>>> page_indexes_;  // per row group, per leaf
  std::vector<ColumnStatistics> file_stats_;
};

}  // namespace alopex
