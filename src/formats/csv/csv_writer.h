// CsvWriter: writes Batches as CSV text, formatting values as DuckDB's COPY TO does.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "common/column.h"
#include "io/file_system.h"

namespace alopex {

struct CsvWriteOptions {
  char delimiter = ',';
  char quote = '"';
  char escape = '"';  // written before a quote inside a quoted value
  bool header = true;
  // The text of NULL. Values equal to it (the empty string by default) are quoted
  // so they read back as values.
  std::string null_string;
  // strftime formats for DATE and TIMESTAMP columns; ISO 8601 when unset.
  std::optional<std::string> dateformat;
  std::optional<std::string> timestampformat;
  enum class Compression { kNone, kGzip };
  Compression compression = Compression::kNone;
};

class CsvWriter {
 public:
  // Creates `path` (on `fs`, or the file system its scheme names) and writes the
  // header when options.header. `names` and `types` describe the batches to come.
  static Result<std::unique_ptr<CsvWriter>> Open(const std::string& path, std::vector<std::string> names,
                                                 std::vector<LogicalType> types, const CsvWriteOptions& options = {},
                                                 FileSystem* fs = nullptr);
  ~CsvWriter();

  // Appends the batch's rows; its columns must match the names and types given.
  Status Write(const Batch& batch);
  // Finishes the file; it is complete and durable only after Close().
  Status Close();

  uint64_t rows_written() const { return rows_; }
  // Bytes handed to the file so far (before compression), for rolling files by size.
  uint64_t bytes_written() const;

 private:
  CsvWriter() = default;
  Status FlushBuffer();
  void AppendField(std::string_view text, bool force_quote);

  std::unique_ptr<WritableFile> file_;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  CsvWriteOptions options_;
  std::string buffer_;
  std::string scratch_;
  bool needs_quote_[256] = {};
  uint64_t rows_ = 0;
  bool closed_ = false;
};

}  // namespace alopex
