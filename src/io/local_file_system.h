// LocalFileSystem: FileSystem over the POSIX file system, for plain paths and
// file:// URIs. Paths it returns keep the form they were given in (a listing
// of "file:///d" yields "file:///d/a").
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "io/file_system.h"

namespace alopex {

class LocalFileSystem : public FileSystem {
 public:
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override;
  Result<std::unique_ptr<WritableFile>> OpenForWrite(const std::string& path) override;
  // Writes a temporary file beside `path`, fsyncs it, then link()s it to `path`:
  // link fails with EEXIST when `path` exists, so exactly one writer wins, also
  // across processes, and readers never see a partly written file.
  Status PutIfAbsent(const std::string& path, std::string_view data) override;
  Status WriteAtomic(const std::string& path, std::string_view data) override;
  Result<FileInfo> Stat(const std::string& path) override;
  bool Exists(const std::string& path) override;
  // Entries sorted by path; directories included (is_directory), hidden files too.
  Result<std::vector<FileInfo>> List(const std::string& dir, bool recursive) override;
  // Deletes a file or an empty directory; NotFound when `path` does not exist.
  Status Delete(const std::string& path) override;
  Status DeleteRecursive(const std::string& dir) override;
  Status CreateDirectories(const std::string& dir) override;
  // Replaces `to` if it exists; creates the parent directories of `to`.
  Status Rename(const std::string& from, const std::string& to) override;
};

// The operating-system path of a plain path or file:// URI ("file:///a/b" → "/a/b").
std::string LocalPath(std::string_view uri);

}  // namespace alopex
