#include "io/local_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

namespace alopex {

namespace {

constexpr size_t kWriteBufferSize = 1 << 20;

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  std::string msg = what + " " + path + ": " + std::strerror(err);
  if (err == ENOENT) return Status::NotFound(msg);
  if (err == EEXIST) return Status::AlreadyExists(msg);
  return Status::IOError(msg);
}

int64_t MtimeMicros(const struct stat& st) {
  return int64_t(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000;
}

std::string ParentDir(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A name no other thread or process picks: pid, a per-process counter and randomness.
std::string TempNameBeside(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 rng(std::random_device{}());
  std::string dir = ParentDir(path);
  std::string name = "." + BaseName(path) + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(counter.fetch_add(1)) + "." + std::to_string(rng() & 0xffffff);
  return dir.empty() ? name : JoinPath(dir, name);
}

Status MakeDirs(const std::string& dir) {
  if (dir.empty()) return Status::OK();
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::OK();
    return Status::IOError("cannot create directory " + dir + ": a file of that name exists");
  }
  std::string parent = ParentDir(dir);
  if (!parent.empty() && parent != dir) ALOPEX_RETURN_IF_ERROR(MakeDirs(parent));
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) return ErrnoStatus("cannot create directory", dir, errno);
  return Status::OK();
}

Status WriteFully(int fd, const char* data, size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path, errno);
    }
    data += w;
    n -= size_t(w);
  }
  return Status::OK();
}

// Makes a rename or link in `dir` durable.
void SyncDir(const std::string& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Writes `data` to a new file `tmp` and fsyncs it.
Status WriteTempFile(const std::string& tmp, std::string_view data) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return ErrnoStatus("cannot create", tmp, errno);
  Status st = WriteFully(fd, data.data(), data.size(), tmp);
  if (st.ok() && ::fsync(fd) != 0) st = ErrnoStatus("cannot fsync", tmp, errno);
  if (::close(fd) != 0 && st.ok()) st = ErrnoStatus("cannot close", tmp, errno);
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

class LocalRandomAccessFile : public RandomAccessFile {
 public:
  LocalRandomAccessFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  ~LocalRandomAccessFile() override { ::close(fd_); }

  uint64_t size() const override { return size_; }
  const std::string& path() const override { return path_; }

  Status ReadAt(uint64_t offset, size_t n, uint8_t* out) const override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_, out + done, n - done, off_t(offset + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return Status::IOError("cannot read " + path_ + " at offset " + std::to_string(offset) + ", length " +
                               std::to_string(n) + ": " + std::strerror(errno));
      }
      if (r == 0) {
        return Status::IOError("short read of " + path_ + " at offset " + std::to_string(offset) + ", length " +
                               std::to_string(n) + ": file has " + std::to_string(size_) + " bytes");
      }
      done += size_t(r);
    }
    return Status::OK();
  }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

class LocalWritableFile : public WritableFile {
 public:
  LocalWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) { buffer_.reserve(kWriteBufferSize); }
  ~LocalWritableFile() override {
    if (fd_ >= 0) ::close(fd_);  // abandoned without Close(): not durable
  }

  Status Append(const void* data, size_t n) override {
    if (fd_ < 0) return Status::IOError("cannot append to " + path_ + ": file is closed");
    const char* p = static_cast<const char*>(data);
    written_ += n;
    if (buffer_.size() + n <= kWriteBufferSize) {
      buffer_.append(p, n);
      return Status::OK();
    }
    ALOPEX_RETURN_IF_ERROR(Flush());
    if (n >= kWriteBufferSize) return WriteFully(fd_, p, n, path_);
    buffer_.append(p, n);
    return Status::OK();
  }

  Status Close() override {
    if (fd_ < 0) return Status::OK();
    Status st = Flush();
    if (st.ok() && ::fsync(fd_) != 0) st = ErrnoStatus("cannot fsync", path_, errno);
    if (::close(fd_) != 0 && st.ok()) st = ErrnoStatus("cannot close", path_, errno);
    fd_ = -1;
    return st;
  }

  uint64_t bytes_written() const override { return written_; }
  const std::string& path() const override { return path_; }

 private:
  Status Flush() {
    Status st = WriteFully(fd_, buffer_.data(), buffer_.size(), path_);
    buffer_.clear();
    return st;
  }

  std::string path_;
  int fd_;
  std::string buffer_;
  uint64_t written_ = 0;
};

Status ListInto(const std::string& os_dir, const std::string& shown_dir, bool recursive, std::vector<FileInfo>* out) {
  DIR* d = ::opendir(os_dir.c_str());
  if (!d) return ErrnoStatus("cannot list directory", shown_dir, errno);
  std::vector<std::string> names;
  while (struct dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  ::closedir(d);
  for (const auto& name : names) {
    std::string os_path = JoinPath(os_dir, name);
    struct stat st;
    if (::stat(os_path.c_str(), &st) != 0) continue;  // vanished meanwhile, or a dangling link
    FileInfo info;
    info.path = JoinPath(shown_dir, name);
    info.is_directory = S_ISDIR(st.st_mode);
    info.size = info.is_directory ? 0 : uint64_t(st.st_size);
    info.mtime_micros = MtimeMicros(st);
    bool dir = info.is_directory;
    std::string shown = info.path;
    out->push_back(std::move(info));
    if (recursive && dir) ALOPEX_RETURN_IF_ERROR(ListInto(os_path, shown, true, out));
  }
  return Status::OK();
}

Status RemoveTree(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::OK();
    return ErrnoStatus("cannot stat", path, errno);
  }
  if (S_ISDIR(st.st_mode)) {
    DIR* d = ::opendir(path.c_str());
    if (!d) return ErrnoStatus("cannot list directory", path, errno);
    std::vector<std::string> names;
    while (struct dirent* e = ::readdir(d)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      names.emplace_back(e->d_name);
    }
    ::closedir(d);
    for (const auto& n : names) ALOPEX_RETURN_IF_ERROR(RemoveTree(JoinPath(path, n)));
    if (::rmdir(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("cannot remove directory", path, errno);
  } else if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return ErrnoStatus("cannot delete", path, errno);
  }
  return Status::OK();
}

}  // namespace

std::string LocalPath(std::string_view uri) {
  if (uri.substr(0, 7) == "file://") {
    uri.remove_prefix(7);
    if (uri.substr(0, 9) == "localhost") uri.remove_prefix(9);
  }
  std::string p(uri);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

Result<std::unique_ptr<RandomAccessFile>> LocalFileSystem::OpenForRead(const std::string& path) {
  std::string os = LocalPath(path);
  int fd = ::open(os.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound("file not found: " + path);
    return ErrnoStatus("cannot open", path, errno);
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("cannot stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::IOError("cannot read " + path + ": it is a directory");
  }
  return std::unique_ptr<RandomAccessFile>(new LocalRandomAccessFile(path, fd, uint64_t(st.st_size)));
}

Result<std::unique_ptr<WritableFile>> LocalFileSystem::OpenForWrite(const std::string& path) {
  std::string os = LocalPath(path);
  ALOPEX_RETURN_IF_ERROR(MakeDirs(ParentDir(os)));
  int fd = ::open(os.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return ErrnoStatus("cannot create", path, errno);
  return std::unique_ptr<WritableFile>(new LocalWritableFile(path, fd));
}

Status LocalFileSystem::PutIfAbsent(const std::string& path, std::string_view data) {
  std::string os = LocalPath(path);
  std::string dir = ParentDir(os);
  ALOPEX_RETURN_IF_ERROR(MakeDirs(dir));
  std::string tmp = TempNameBeside(os);
  ALOPEX_RETURN_IF_ERROR(WriteTempFile(tmp, data));
  int rc = ::link(tmp.c_str(), os.c_str());
  int err = errno;
  ::unlink(tmp.c_str());
  if (rc != 0) {
    if (err == EEXIST) return Status::AlreadyExists("file already exists: " + path);
    if (err != EPERM && err != ENOTSUP && err != EXDEV) return ErrnoStatus("cannot create", path, err);
    // No hard links here (some network and FUSE file systems): O_EXCL still
    // guarantees a single winner, though a reader may see the file while it is written.
    int fd = ::open(os.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
      if (errno == EEXIST) return Status::AlreadyExists("file already exists: " + path);
      return ErrnoStatus("cannot create", path, errno);
    }
    Status st = WriteFully(fd, data.data(), data.size(), path);
    if (st.ok() && ::fsync(fd) != 0) st = ErrnoStatus("cannot fsync", path, errno);
    ::close(fd);
    if (!st.ok()) return st;
  }
  SyncDir(dir);
  return Status::OK();
}

Status LocalFileSystem::WriteAtomic(const std::string& path, std::string_view data) {
  std::string os = LocalPath(path);
  std::string dir = ParentDir(os);
  ALOPEX_RETURN_IF_ERROR(MakeDirs(dir));
  std::string tmp = TempNameBeside(os);
  ALOPEX_RETURN_IF_ERROR(WriteTempFile(tmp, data));
  if (::rename(tmp.c_str(), os.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("cannot replace", path, err);
  }
  SyncDir(dir);
  return Status::OK();
}

Result<FileInfo> LocalFileSystem::Stat(const std::string& path) {
  struct stat st;
  if (::stat(LocalPath(path).c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("file not found: " + path);
    return ErrnoStatus("cannot stat", path, errno);
  }
  FileInfo info;
  info.path = path;
  info.is_directory = S_ISDIR(st.st_mode);
  info.size = info.is_directory ? 0 : uint64_t(st.st_size);
  info.mtime_micros = MtimeMicros(st);
  return info;
}

bool LocalFileSystem::Exists(const std::string& path) {
  struct stat st;
  return ::stat(LocalPath(path).c_str(), &st) == 0;
}

Result<std::vector<FileInfo>> LocalFileSystem::List(const std::string& dir, bool recursive) {
  std::string os = LocalPath(dir);
  struct stat st;
  if (::stat(os.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("directory not found: " + dir);
    return ErrnoStatus("cannot stat", dir, errno);
  }
  if (!S_ISDIR(st.st_mode)) return Status::IOError("cannot list " + dir + ": not a directory");
  std::string shown = dir;
  while (shown.size() > 1 && shown.back() == '/' && shown != "file:///") shown.pop_back();
  std::vector<FileInfo> out;
  ALOPEX_RETURN_IF_ERROR(ListInto(os, shown, recursive, &out));
  std::sort(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Status LocalFileSystem::Delete(const std::string& path) {
  std::string os = LocalPath(path);
  struct stat st;
  if (::lstat(os.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::NotFound("file not found: " + path);
    return ErrnoStatus("cannot stat", path, errno);
  }
  int rc = S_ISDIR(st.st_mode) ? ::rmdir(os.c_str()) : ::unlink(os.c_str());
  if (rc != 0) return ErrnoStatus("cannot delete", path, errno);
  return Status::OK();
}

Status LocalFileSystem::DeleteRecursive(const std::string& dir) { return RemoveTree(LocalPath(dir)); }

Status LocalFileSystem::CreateDirectories(const std::string& dir) { return MakeDirs(LocalPath(dir)); }

Status LocalFileSystem::Rename(const std::string& from, const std::string& to) {
  std::string os_from = LocalPath(from), os_to = LocalPath(to);
  ALOPEX_RETURN_IF_ERROR(MakeDirs(ParentDir(os_to)));
  if (::rename(os_from.c_str(), os_to.c_str()) != 0) {
    int err = errno;
    if (err == ENOENT) return Status::NotFound("cannot rename " + from + " to " + to + ": " + from + " not found");
    return Status::IOError("cannot rename " + from + " to " + to + ": " + std::strerror(err));
  }
  return Status::OK();
}

}  // namespace alopex
