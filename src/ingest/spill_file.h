// Spill files: batches an operator cannot keep in memory, written to disk and
// read back in the order written. They live in a SpillFolder, one per
// operation, which deletes itself and every file in it when destroyed, so no
// spill file outlives the operation, whether it succeeds or fails.
//
// A spill file is a Parquet file (formats/parquet) without dictionaries,
// statistics or page index; reading casts each column back to the type it was
// written with (VECTOR(n) travels as a float list).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "common/column.h"

namespace alopex {

class ParquetWriter;

class SpillFolder {
 public:
  // Creates a fresh folder under `parent`, or under $TMPDIR (else /tmp) when
  // `parent` is empty (an in-memory database has no spill folder of its own).
  static Result<std::unique_ptr<SpillFolder>> Create(const std::string& parent);
  // Deletes the folder with everything in it.
  ~SpillFolder();

  const std::string& path() const { return path_; }
  // A path for a new file in the folder, unique within it.
  std::string NewFilePath(const std::string& prefix);

 private:
  explicit SpillFolder(std::string path) : path_(std::move(path)) {}
  std::string path_;
  uint64_t next_file_ = 0;
};

class SpillWriter {
 public:
  // Creates `path` for batches of `types`. `buffer_bytes` bounds the rows the
  // writer holds before writing them out.
  static Result<std::unique_ptr<SpillWriter>> Open(const std::string& path, const std::vector<LogicalType>& types,
                                                   int64_t buffer_bytes);
  ~SpillWriter();

  Status Write(const Batch& batch);
  // Finishes the file; it can be read from now on.
  Status Close();
  const std::string& path() const { return path_; }
  uint64_t rows() const { return rows_; }

 private:
  SpillWriter() = default;
  std::string path_;
  std::unique_ptr<ParquetWriter> writer_;
  uint64_t rows_ = 0;
};

// Hands the rows of the spill file `path` (written with `types`) to `sink` in
// the order written.
Status ReadSpillFile(const std::string& path, const std::vector<LogicalType>& types,
                     const std::function<Status(Batch&&)>& sink);

}  // namespace alopex
