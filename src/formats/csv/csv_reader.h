// CsvReader: reads a CSV file into Batches. Open() sniffs the dialect (delimiter,
// quote, escape, header) and infers column types from a sample, as DuckDB's
// read_csv does; the file is then read in splits (byte ranges ending on row
// boundaries) that callers may parse in parallel.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "common/column.h"
#include "formats/csv/csv_tokenizer.h"
#include "io/file_system.h"

namespace alopex {

struct CsvReadOptions {
  // Unset options are sniffed. quote '\0' disables quoting.
  std::optional<char> delimiter;
  std::optional<char> quote;
  std::optional<char> escape;
  std::optional<bool> header;
  // Field texts read as NULL (quoted ones too, as DuckDB's allow_quoted_nulls).
  std::vector<std::string> null_strings = {""};
  // Physical lines skipped before the header (or the first row).
  size_t skip_rows = 0;
  // Explicit column names (replacing the header's) and/or types (all columns,
  // in order). With only names, types are inferred; with only types, names come
  // from the header or are generated (column0, column1, ...).
  std::vector<std::string> column_names;
  std::vector<LogicalType> column_types;
  // Types for some columns by name; the others are inferred.
  std::vector<std::pair<std::string, LogicalType>> column_type_overrides;
  // Rows sampled for sniffing and type inference.
  size_t sample_size = 20480;
  // Every column VARCHAR.
  bool all_varchar = false;
  // strptime formats ("%d/%m/%Y"); unset means ISO 8601.
  std::optional<std::string> dateformat;
  std::optional<std::string> timestampformat;
  // Skip rows that are ragged or do not convert, instead of failing.
  bool ignore_errors = false;
  // Called (possibly from several threads at once) for each row skipped under
  // ignore_errors, with its line and the error.
  std::function<void(uint64_t line, const Status& error)> on_rejected_row;
  // A row longer than this is an error.
  size_t max_line_size = 2 * 1024 * 1024;
  // The name errors use; the path when empty.
  std::string filename;
  // Approximate bytes per split.
  size_t split_bytes = 8 * 1024 * 1024;
};

// Where a batch came from, for messages about its rows.
struct CsvBatchInfo {
  size_t split = 0;
  // Physical line (1-based) of the batch's first row, counted from the split's
  // first row; add SplitFirstLine(split) - 1 for the line in the file.
  uint64_t line_in_split = 1;
};

class CsvReader {
 public:
  using BatchSink = std::function<Status(Batch&&)>;
  using AnnotatedBatchSink = std::function<Status(Batch&&, const CsvBatchInfo&)>;

  // Opens `path` (on `fs`, or the file system its scheme names), sniffs and plans
  // the splits. Errors name the file: missing (NotFound), empty with no explicit
  // columns, unsniffable, invalid options.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, const CsvReadOptions& options = {},
                                                 FileSystem* fs = nullptr);
  ~CsvReader();

  const std::vector<std::string>& column_names() const { return names_; }
  const std::vector<LogicalType>& column_types() const { return types_; }
  const CsvDialect& dialect() const { return dialect_; }
  const std::string& path() const { return path_; }
  uint64_t file_size() const { return file_size_; }

  // Splits partition the data rows; reading splits 0..n-1 in order yields the
  // file's rows in order. ReadSplit may run concurrently for different splits.
  size_t num_splits() const { return splits_.size(); }
  // Parses split `i`, calling `sink` with batches of at most kBatchSize rows of the
  // `projection` columns (indexes into column_names(); empty means all).
  Status ReadSplit(size_t i, const std::vector<int>& projection, const BatchSink& sink);
  Status ReadSplitAnnotated(size_t i, const std::vector<int>& projection, const AnnotatedBatchSink& sink);
  // Reads every split in order on the calling thread.
  Status ReadAll(const std::vector<int>& projection, const BatchSink& sink);

  // The file's physical line (1-based) where split `i` starts. Cheap once the
  // splits before `i` have been read; otherwise counts the newlines before it.
  Result<uint64_t> SplitFirstLine(size_t i);

 private:
  struct Split {
    uint64_t begin;
    uint64_t end;
  };
  CsvReader() = default;
  Status Sniff(const CsvReadOptions& options);
  Status PlanSplits();
  Status ParseBlock(size_t split, const char* begin, const char* end, bool at_eof, const std::vector<int>& projection,
                    const std::shared_ptr<Column>& block_owner, const AnnotatedBatchSink& sink, uint64_t* lines);
  Status LineError(size_t split, uint64_t line_in_split, const std::string& what);

  std::string path_;
  std::string display_name_;
  FileSystem* fs_ = nullptr;
  std::unique_ptr<RandomAccessFile> file_;
  uint64_t file_size_ = 0;
  CsvReadOptions options_;
  CsvDialect dialect_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  uint64_t data_begin_ = 0;        // byte offset of the first data row
  uint64_t data_first_line_ = 1;   // its physical line
  bool exact_boundaries_ = false;  // splits found by a full quote-aware scan
  std::vector<Split> splits_;
  std::unique_ptr<std::atomic<int64_t>[]> split_lines_;  // lines per split once read, else -1
};

}  // namespace alopex
