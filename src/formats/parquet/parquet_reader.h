// ParquetReader: reads Parquet files into Batches, one row group at a time,
// through FileSystem ranged reads (the footer, then each projected column
// chunk page by page, a window of about a megabyte at a time). Row groups can
// be read in parallel from different threads.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "alopex/value.h"
#include "common/column.h"
#include "formats/parquet/parquet_metadata.h"
#include "formats/parquet/parquet_schema.h"
#include "io/file_system.h"

namespace alopex {

using parquet::FileMetaData;

// A simple predicate on one top-level column, pushed down to skip row groups
// (statistics, bloom filters) and pages (page index). A hint only: rows that do
// not match may still be returned.
struct ColumnPredicate {
  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIsNull, kIsNotNull, kIn };
  std::string column;
  Op op = Op::kEq;
  Value value;                // the constant of a comparison
  std::vector<Value> values;  // the IN list
};

struct ParquetReadOptions {
  // Projection by top-level name, in output order; empty = every column.
  std::vector<std::string> columns;
  std::vector<ColumnPredicate> predicates;
  // list<float>/list<double> columns decode straight into VECTOR(n) where every
  // list of a batch has the same length n and no NULL element (n from the
  // "alopex.vector_dimension" metadata, else from the first list of the row
  // group); a batch that does not fit is returned as a LIST column.
  bool vectors_from_lists = false;
};

class ParquetReader {
 public:
  // Opens `path` through `fs` (FileSystem::ForPath when null) and reads the footer.
  static Result<std::unique_ptr<ParquetReader>> Open(const std::string& path, FileSystem* fs = nullptr);
  // Opens an already open file (tests, in-memory files).
  static Result<std::unique_ptr<ParquetReader>> Open(std::unique_ptr<RandomAccessFile> file);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& column_names() const { return schema_.names; }
  // Alopex types of the top-level columns (VECTOR(n) where the file's
  // metadata declares a dimension).
  const std::vector<LogicalType>& column_types() const { return schema_.types; }
  int64_t num_rows() const { return md_.num_rows; }
  int num_row_groups() const { return int(md_.row_groups.size()); }
  int64_t row_group_num_rows(int rg) const { return md_.row_groups[size_t(rg)].num_rows; }
  const FileMetaData& metadata() const { return md_; }
  const parquet::ParquetSchema& schema() const { return schema_; }
  uint64_t file_size() const { return file_size_; }
  // Bytes of the footer (FileMetaData) as stored.
  uint32_t footer_size() const { return footer_size_; }

  // The row groups that may hold rows matching all predicates (statistics and
  // bloom filters), in file order.
  std::vector<int> SelectRowGroups(const ParquetReadOptions& options);

  // Reads the projected columns of one row group and hands them to `sink` in
  // batches of up to kBatchSize rows. Thread-safe across row groups. Errors name
  // the file, column and row group.
  Status ReadRowGroup(int row_group, const ParquetReadOptions& options, const std::function<Status(Batch&&)>& sink);

  // Per-leaf chunk statistics decoded into Alopex values (nullopt where absent
  // or untrusted).
  struct ChunkStatistics {
    std::optional<Value> min, max;
    std::optional<int64_t> null_count;
    std::optional<int64_t> distinct_count;
  };
  ChunkStatistics LeafStatistics(int row_group, int leaf) const;

  // Bloom filter check for one leaf: false only when `v` is certainly absent.
  Result<bool> BloomMayContain(int row_group, int leaf, const Value& v);

  // ColumnIndex/OffsetIndex of one chunk (nullopt when the file has none).
  Result<std::optional<parquet::ColumnIndex>> ReadColumnIndex(int row_group, int leaf);
  Result<std::optional<parquet::OffsetIndex>> ReadOffsetIndex(int row_group, int leaf);

 private:
  ParquetReader() = default;
  Status Init();
  Result<std::vector<int>> Projection(const ParquetReadOptions& options) const;
  // Where the chunk of `leaf` in `row_group` lies: `size` bytes at `offset` per
  // its metadata, `readable` (>= size) with the padding old writers need.
  Status ChunkRange(int row_group, int leaf, uint64_t* offset, size_t* size, size_t* readable) const;
  // Row ranges [begin, end) of a row group that survive the page index.
  Result<std::vector<std::pair<int64_t, int64_t>>> SelectRows(int row_group, const ParquetReadOptions& options);

  std::unique_ptr<RandomAccessFile> file_;
  std::string path_;
  uint64_t file_size_ = 0;
  uint32_t footer_size_ = 0;
  FileMetaData md_;
  parquet::ParquetSchema schema_;
};

// Rows of the table functions parquet_metadata(path) (one row per column chunk,
// DuckDB's columns) and parquet_schema(path) (one row per schema element).
Result<std::vector<Batch>> ParquetMetadataRows(const std::string& path, FileSystem* fs = nullptr);
Result<std::vector<Batch>> ParquetSchemaRows(const std::string& path, FileSystem* fs = nullptr);
// Whether a chunk (or file) with these statistics over `num_values` values
// (-1 = unknown) may hold a row matching `p`.
bool StatsMayMatch(const ColumnPredicate& p, const ParquetReader::ChunkStatistics& s, int64_t num_values);

std::vector<std::pair<std::string, LogicalType>> ParquetMetadataColumns();
std::vector<std::pair<std::string, LogicalType>> ParquetSchemaColumns();

}  // namespace alopex
