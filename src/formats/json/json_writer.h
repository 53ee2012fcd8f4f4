// JsonWriter: writes Batches as JSON objects, one per row, as newline-delimited
// JSON or one top-level array. Values are JSON: strings escaped, numbers,
// booleans, null, lists as arrays, structs as objects, dates and timestamps as
// strings, JSONB columns embedded as they are.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "common/column.h"
#include "io/file_system.h"

namespace alopex {

struct JsonWriteOptions {
  enum class Format { kNewlineDelimited, kArray };
  Format format = Format::kNewlineDelimited;
  enum class Compression { kNone, kGzip };
  Compression compression = Compression::kNone;
};

class JsonWriter {
 public:
  static Result<std::unique_ptr<JsonWriter>> Open(const std::string& path, std::vector<std::string> names,
                                                  std::vector<LogicalType> types, const JsonWriteOptions& options = {},
                                                  FileSystem* fs = nullptr);
  ~JsonWriter();

  // Appends the batch's rows; its columns must match the names and types given.
  Status Write(const Batch& batch);
  // Finishes the file (the closing bracket of an array); complete only after Close().
  Status Close();

  uint64_t rows_written() const { return rows_; }
  uint64_t bytes_written() const;

 private:
  JsonWriter() = default;
  Status FlushBuffer();

  std::unique_ptr<WritableFile> file_;
  std::vector<std::string> keys_;  // each name as a JSON string literal followed by ':'
  std::vector<LogicalType> types_;
  JsonWriteOptions options_;
  std::string buffer_;
  uint64_t rows_ = 0;
  bool closed_ = false;
};

}  // namespace alopex
