// ImportFile: one data file of an import, opened through its format reader:
// its columns, its morsels (Parquet row groups, CSV / JSON byte splits) and
// reading one morsel's projected columns. Morsels of a file may be read
// concurrently; read in index order they give the file's rows in order.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/column.h"
#include "formats/csv/csv_reader.h"
#include "formats/json/json_reader.h"
#include "formats/parquet/parquet_reader.h"
#include "ingest/import_options.h"
#include "io/file_system.h"

namespace alopex {

// A row a reader rejected under on_error = 'continue': a ragged CSV line, a
// JSON line that does not parse, is not an object or does not convert.
struct RejectedLine {
  uint64_t line = 0;  // physical line in the file (1-based); 0 when unknown (an element of a JSON array)
  std::string message;
  std::optional<std::string> raw;  // the record's text, shortened; unset when the reader does not give it (CSV)
};

class ImportFile {
 public:
  // Opens `info.path` as `format`. With `collect_rejects`, CSV rows that are
  // ragged or do not convert, and lines of newline-delimited JSON that do not
  // parse, are not objects or do not convert, are skipped and kept
  // (TakeRejected) instead of failing; a syntax error in a JSON array still
  // fails. JSON files are opened so under options.on_error = 'continue' even
  // without `collect_rejects`, so that the columns inferred for a file do not
  // depend on the flag. Errors name the file.
  static Result<std::unique_ptr<ImportFile>> Open(const FileInfo& info, ImportFormat format,
                                                  const ImportOptions& options, bool collect_rejects);

  const FileInfo& info() const { return info_; }
  const std::string& path() const { return info_.path; }
  ImportFormat format() const { return format_; }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<LogicalType>& types() const { return types_; }
  // Index of the column named `name` (case-insensitive), -1 when absent.
  int ColumnIndex(const std::string& name) const;

  size_t num_morsels() const;
  // First row (0-based) of morsel `i` when the format knows it up front
  // (Parquet), else -1.
  int64_t MorselFirstRow(size_t i) const;
  // Bytes of the file morsel `i` covers (for progress).
  uint64_t MorselBytes(size_t i) const;

  // Reads morsel `i`: batches of the `columns` (indexes into names()), in
  // order. `vectors`: float-list columns decode straight into VECTOR(n) where a
  // batch allows (Parquet).
  Status ReadMorsel(size_t i, const std::vector<int>& columns, bool vectors,
                    const std::function<Status(Batch&&)>& emit);

  // The rows the reader rejected so far (collect_rejects), in no particular order.
  std::vector<RejectedLine> TakeRejected();

 private:
  ImportFile() = default;
  FileInfo info_;
  ImportFormat format_ = ImportFormat::kParquet;
  std::unique_ptr<ParquetReader> parquet_;
  std::unique_ptr<CsvReader> csv_;
  std::unique_ptr<JsonReader> json_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  std::vector<int64_t> row_group_starts_;
  std::shared_ptr<std::mutex> rejected_mu_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::vector<RejectedLine>> rejected_ = std::make_shared<std::vector<RejectedLine>>();
};

}  // namespace alopex
