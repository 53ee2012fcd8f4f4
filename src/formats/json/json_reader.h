// JsonReader: reads newline-delimited JSON, a top-level JSON array, or a series
// of (pretty-printed) JSON values into Batches. Open() detects the format and
// infers the schema from a sample as DuckDB's read_json does: a record's keys
// become columns, objects STRUCTs, arrays LISTs, numbers BIGINT or DOUBLE.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "common/column.h"
#include "io/file_system.h"

namespace alopex {

enum class JsonFormat : uint8_t {
  kAuto,
  kNewlineDelimited,  // one value per line
  kArray,             // one top-level array of values
  kUnstructured,      // values one after another, spanning lines
};

struct JsonReadOptions {
  JsonFormat format = JsonFormat::kAuto;
  // Explicit columns (name, type); when empty they are inferred.
  std::vector<std::pair<std::string, LogicalType>> columns;
  // Records sampled for schema inference.
  size_t sample_size = 20480;
  // Strings that are all dates / timestamps become DATE / TIMESTAMP columns.
  bool infer_dates = true;
  // Skip records that do not parse or convert instead of failing.
  bool ignore_errors = false;
  // When set, a line of newline-delimited JSON that does not parse, is not an
  // object (when records are objects) or does not convert to the columns is
  // skipped and reported here instead of failing the read: its 1-based line
  // in the file, the error (naming file, line and byte offset) and the line's
  // text, shortened to about 200 bytes and made valid UTF-8. Called from
  // several threads at once when splits are read concurrently. Such lines are
  // left out of schema inference. In a JSON array or values spanning lines a
  // record that parses but is not an object or does not convert is reported
  // too (with line 0 in an array: its line is not known), but a syntax error
  // cannot be skipped there and stays an error.
  std::function<void(uint64_t line, const Status& error, std::string_view raw_text)> on_rejected_record;
  // The name errors use; the path when empty.
  std::string filename;
  // Approximate bytes per split (newline-delimited files only; others are one split).
  size_t split_bytes = 8 * 1024 * 1024;
};

class JsonReader {
 public:
  using BatchSink = std::function<Status(Batch&&)>;

  // Opens `path` (on `fs`, or the file system its scheme names), detects the
  // format and infers the columns. Errors name the file (missing, empty,
  // malformed first record).
  static Result<std::unique_ptr<JsonReader>> Open(const std::string& path, const JsonReadOptions& options = {},
                                                  FileSystem* fs = nullptr);
  ~JsonReader();

  const std::vector<std::string>& column_names() const { return names_; }
  const std::vector<LogicalType>& column_types() const { return types_; }
  JsonFormat format() const { return format_; }
  // True when records are objects whose keys are the columns; otherwise each
  // record is one value in a single column named "json".
  bool records_are_objects() const { return objects_; }

  // Splits partition the records; reading 0..n-1 in order yields file order.
  // ReadSplit may run concurrently for different splits.
  size_t num_splits() const { return splits_.size(); }
  // Batches of at most kBatchSize rows of the `projection` columns (indexes into
  // column_names(); empty means all). A line that does not parse fails with
  // "file.json: line 3 (byte offset 128): malformed JSON: ..." unless
  // on_rejected_record (or ignore_errors) skips it.
  Status ReadSplit(size_t i, const std::vector<int>& projection, const BatchSink& sink);
  Status ReadAll(const std::vector<int>& projection, const BatchSink& sink);

 private:
  struct Split {
    uint64_t begin;
    uint64_t end;
  };
  class Impl;
  JsonReader();
  Status DetectAndInfer();
  Status PlanSplits();
  Status PlanLineSplits();
  Result<uint64_t> LineAt(uint64_t offset);
  // The line of split `i`'s first byte: summed from the splits read so far,
  // else counted from the start of the file.
  Result<uint64_t> SplitFirstLine(size_t i);

  std::string path_;
  std::string display_name_;
  std::unique_ptr<RandomAccessFile> file_;
  uint64_t file_size_ = 0;
  uint64_t data_begin_ = 0;  // after a BOM
  JsonReadOptions options_;
  JsonFormat format_ = JsonFormat::kAuto;
  bool objects_ = true;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  std::vector<Split> splits_;
  std::unique_ptr<std::atomic<int64_t>[]> split_lines_;  // newlines per split once read, else -1
};

}  // namespace alopex
