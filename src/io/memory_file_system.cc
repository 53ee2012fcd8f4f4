#include "io/memory_file_system.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <set>

namespace alopex {

namespace {

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Normalize(std::string_view path) {
  std::string p(path);
  while (!p.empty() && p.back() == '/' && !(p.size() >= 3 && p.compare(p.size() - 3, 3, "://") == 0)) p.pop_back();
  return p;
}

// The directory prefix of everything below `key`, with its trailing '/'.
std::string DirPrefix(const std::string& key) {
  if (key.size() >= 3 && key.compare(key.size() - 3, 3, "://") == 0) return key;
  return key + "/";
}

class MemoryRandomAccessFile : public RandomAccessFile {
 public:
  MemoryRandomAccessFile(std::string path, std::shared_ptr<const std::string> data)
      : path_(std::move(path)), data_(std::move(data)) {}
  uint64_t size() const override { return data_->size(); }
  const std::string& path() const override { return path_; }
  Status ReadAt(uint64_t offset, size_t n, uint8_t* out) const override {
    if (offset > data_->size() || n > data_->size() - offset) {
      return Status::IOError("short read of " + path_ + " at offset " + std::to_string(offset) + ", length " +
                             std::to_string(n) + ": file has " + std::to_string(data_->size()) + " bytes");
    }
    std::memcpy(out, data_->data() + offset, n);
    return Status::OK();
  }

 private:
  std::string path_;
  std::shared_ptr<const std::string> data_;
};

class MemoryWritableFile : public WritableFile {
 public:
  MemoryWritableFile(MemoryFileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  Status Append(const void* data, size_t n) override {
    if (closed_) return Status::IOError("cannot append to " + path_ + ": file is closed");
    buffer_.append(static_cast<const char*>(data), n);
    return Status::OK();
  }
  Status Close() override {
    if (closed_) return Status::OK();
    closed_ = true;
    fs_->Put(path_, std::move(buffer_));
    return Status::OK();
  }
  uint64_t bytes_written() const override { return buffer_.size(); }
  const std::string& path() const override { return path_; }

 private:
  MemoryFileSystem* fs_;
  std::string path_;
  std::string buffer_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<RandomAccessFile> NewStringRandomAccessFile(std::string path, std::string data) {
  return std::make_unique<MemoryRandomAccessFile>(std::move(path), std::make_shared<const std::string>(std::move(data)));
}

void MemoryFileSystem::Put(const std::string& path, std::string data) {
  auto shared = std::make_shared<const std::string>(std::move(data));
  std::lock_guard<std::mutex> lock(mu_);
  files_[Normalize(path)] = Entry{std::move(shared), NowMicros()};
}

bool MemoryFileSystem::IsDirectoryLocked(const std::string& key) const {
  if (dirs_.count(key)) return true;
  std::string prefix = DirPrefix(key);
  auto it = files_.lower_bound(prefix);
  if (it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0) return true;
  auto dt = dirs_.lower_bound(prefix);
  return dt != dirs_.end() && dt->first.compare(0, prefix.size(), prefix) == 0;
}

Result<std::unique_ptr<RandomAccessFile>> MemoryFileSystem::OpenForRead(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = Normalize(path);
  auto it = files_.find(key);
  if (it == files_.end()) {
    if (IsDirectoryLocked(key)) return Status::IOError("cannot read " + path + ": it is a directory");
    return Status::NotFound("file not found: " + path);
  }
  return std::unique_ptr<RandomAccessFile>(new MemoryRandomAccessFile(path, it->second.data));
}

Result<std::unique_ptr<WritableFile>> MemoryFileSystem::OpenForWrite(const std::string& path) {
  return std::unique_ptr<WritableFile>(new MemoryWritableFile(this, path));
}

Status MemoryFileSystem::PutIfAbsent(const std::string& path, std::string_view data) {
  auto shared = std::make_shared<const std::string>(data);
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = files_.try_emplace(Normalize(path), Entry{std::move(shared), NowMicros()});
  if (!inserted) return Status::AlreadyExists("file already exists: " + path);
  return Status::OK();
}

Status MemoryFileSystem::WriteAtomic(const std::string& path, std::string_view data) {
  Put(path, std::string(data));
  return Status::OK();
}

Result<FileInfo> MemoryFileSystem::Stat(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = Normalize(path);
  FileInfo info;
  info.path = path;
  auto it = files_.find(key);
  if (it != files_.end()) {
    info.size = it->second.data->size();
    info.mtime_micros = it->second.mtime_micros;
    return info;
  }
  if (IsDirectoryLocked(key)) {
    info.is_directory = true;
    return info;
  }
  return Status::NotFound("file not found: " + path);
}

bool MemoryFileSystem::Exists(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = Normalize(path);
  return files_.count(key) || IsDirectoryLocked(key);
}

Result<std::vector<FileInfo>> MemoryFileSystem::List(const std::string& dir, bool recursive) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = Normalize(dir);
  if (files_.count(key)) return Status::IOError("cannot list " + dir + ": not a directory");
  if (!IsDirectoryLocked(key)) return Status::NotFound("directory not found: " + dir);
  std::string prefix = DirPrefix(key);
  std::vector<FileInfo> out;
  std::set<std::string> subdirs;
  auto note_dirs = [&](const std::string& rel) {
    // Every directory between `dir` and the entry at `rel`.
    size_t pos = 0;
    while ((pos = rel.find('/', pos)) != std::string::npos) {
      subdirs.insert(rel.substr(0, pos));
      if (!recursive) return;
      pos++;
    }
  };
  for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    std::string rel = it->first.substr(prefix.size());
    note_dirs(rel);
    if (!recursive && rel.find('/') != std::string::npos) continue;
    FileInfo info;
    info.path = prefix + rel;
    info.size = it->second.data->size();
    info.mtime_micros = it->second.mtime_micros;
    out.push_back(std::move(info));
  }
  for (auto it = dirs_.lower_bound(prefix); it != dirs_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
       ++it) {
    std::string rel = it->first.substr(prefix.size());
    note_dirs(rel + "/");
  }
  for (const auto& d : subdirs) {
    FileInfo info;
    info.path = prefix + d;
    info.is_directory = true;
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return out;
}

Status MemoryFileSystem::Delete(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = Normalize(path);
  if (files_.erase(key)) return Status::OK();
  if (dirs_.count(key)) {
    std::string prefix = DirPrefix(key);
    auto it = files_.lower_bound(prefix);
    if (it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0)
      return Status::IOError("cannot delete " + path + ": directory not empty");
    dirs_.erase(key);
    return Status::OK();
  }
  return Status::NotFound("file not found: " + path);
}

Status MemoryFileSystem::DeleteRecursive(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = Normalize(dir);
  std::string prefix = DirPrefix(key);
  files_.erase(key);
  dirs_.erase(key);
  for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;)
    it = files_.erase(it);
  for (auto it = dirs_.lower_bound(prefix); it != dirs_.end() && it->first.compare(0, prefix.size(), prefix) == 0;)
    it = dirs_.erase(it);
  return Status::OK();
}

Status MemoryFileSystem::CreateDirectories(const std::string& dir) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = Normalize(dir);
  if (files_.count(key)) return Status::IOError("cannot create directory " + dir + ": a file of that name exists");
  dirs_.emplace(key, NowMicros());
  return Status::OK();
}

Status MemoryFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string src = Normalize(from), dst = Normalize(to);
  auto it = files_.find(src);
  if (it != files_.end()) {
    Entry e = it->second;
    files_.erase(it);
    files_[dst] = std::move(e);
    return Status::OK();
  }
  if (!IsDirectoryLocked(src)) return Status::NotFound("cannot rename " + from + " to " + to + ": " + from + " not found");
  // A directory: move everything below it.
  std::string sp = DirPrefix(src), dp = DirPrefix(dst);
  std::vector<std::pair<std::string, Entry>> moved;
  for (auto f = files_.lower_bound(sp); f != files_.end() && f->first.compare(0, sp.size(), sp) == 0;) {
    moved.emplace_back(dp + f->first.substr(sp.size()), f->second);
    f = files_.erase(f);
  }
  for (auto& [k, e] : moved) files_[k] = std::move(e);
  std::vector<std::string> moved_dirs;
  for (auto d = dirs_.lower_bound(sp); d != dirs_.end() && d->first.compare(0, sp.size(), sp) == 0;) {
    moved_dirs.push_back(dp + d->first.substr(sp.size()));
    d = dirs_.erase(d);
  }
  for (auto& d : moved_dirs) dirs_.emplace(d, NowMicros());
  if (dirs_.erase(src)) dirs_.emplace(dst, NowMicros());
  return Status::OK();
}

}  // namespace alopex
