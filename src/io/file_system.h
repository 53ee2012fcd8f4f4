// FileSystem: the one interface to every store (DESIGN.md § Layers). Nothing
// above src/io knows whether a path is local, in memory or in an object store.
// Paths are URIs: a plain path or file://... (local), mem://... (in-process,
// for tests); s3://, gs://, az:// come with the object-store issue.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"

namespace alopex {

struct FileInfo {
  std::string path;        // full URI/path as given to or listed by the file system
  uint64_t size = 0;
  int64_t mtime_micros = 0;  // modification time, microseconds since the epoch
  std::string etag;        // object stores; empty for local files
  bool is_directory = false;
};

// Random-access reads of one file. Thread-safe: row groups are read in parallel.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  virtual uint64_t size() const = 0;
  // Reads exactly `n` bytes at `offset` into `out`; a short read is an IOError
  // naming the path, offset and length.
  virtual Status ReadAt(uint64_t offset, size_t n, uint8_t* out) const = 0;
  virtual const std::string& path() const = 0;
};

// Sequential writes of one new file. The file is complete only after Close().
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(const void* data, size_t n) = 0;
  // Flushes and makes the file durable (fsync for local files).
  virtual Status Close() = 0;
  virtual uint64_t bytes_written() const = 0;
  virtual const std::string& path() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The file system serving `uri` (by scheme); the returned pointer lives for the process.
  static Result<FileSystem*> ForPath(const std::string& uri);

  virtual Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) = 0;
  // Creates or truncates `path`; parent directories are created.
  virtual Result<std::unique_ptr<WritableFile>> OpenForWrite(const std::string& path) = 0;
  // Writes `data` to `path` only if `path` does not exist, atomically: exactly one
  // of several concurrent callers succeeds, the others get AlreadyExists. Used for
  // Delta commits.
  virtual Status PutIfAbsent(const std::string& path, std::string_view data) = 0;
  // Writes `data` to `path` atomically (write to a temporary name, then rename).
  virtual Status WriteAtomic(const std::string& path, std::string_view data) = 0;
  virtual Result<std::string> ReadAll(const std::string& path);
  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  // Lists files (and, locally, directories) directly under `dir`, or recursively.
  virtual Result<std::vector<FileInfo>> List(const std::string& dir, bool recursive) = 0;
  virtual Status Delete(const std::string& path) = 0;
  // Deletes a directory tree; succeeds when it does not exist.
  virtual Status DeleteRecursive(const std::string& dir) = 0;
  virtual Status CreateDirectories(const std::string& dir) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
};

// Expands a path, glob (*, **, ?, [...]) or folder (all files below it) into
// the matching files, sorted by path. No match is a NotFound error naming the pattern.
Result<std::vector<FileInfo>> ExpandGlob(const std::string& pattern);
// True when `path` contains glob characters.
bool IsGlob(std::string_view path);
// Joins a directory and a name with exactly one '/'.
std::string JoinPath(std::string_view dir, std::string_view name);

}  // namespace alopex
