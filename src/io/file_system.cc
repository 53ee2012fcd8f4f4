#include "io/file_system.h"

#include "io/local_file_system.h"
#include "io/memory_file_system.h"

namespace alopex {

namespace {

// "s3" for "s3://bucket/key"; empty for plain paths.
std::string_view Scheme(std::string_view uri) {
  size_t colon = uri.find("://");
  if (colon == std::string_view::npos || colon == 0) return {};
  for (size_t i = 0; i < colon; i++) {
    char c = uri[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
          c == '.'))
      return {};
  }
  return uri.substr(0, colon);
}

}  // namespace

Result<FileSystem*> FileSystem::ForPath(const std::string& uri) {
  static LocalFileSystem* local = new LocalFileSystem();
  static MemoryFileSystem* memory = new MemoryFileSystem();
  std::string_view scheme = Scheme(uri);
  if (scheme.empty() || scheme == "file") return static_cast<FileSystem*>(local);
  if (scheme == "mem") return static_cast<FileSystem*>(memory);
  if (scheme == "s3" || scheme == "s3a" || scheme == "gs" || scheme == "gcs" || scheme == "az" ||
      scheme == "azure" || scheme == "abfs" || scheme == "abfss") {
    return Status::NotImplemented("cannot open " + uri + ": " + std::string(scheme) +
                                  ":// paths come with the object-store support");
  }
  return Status::InvalidArgument("cannot open " + uri + ": unknown scheme \"" + std::string(scheme) + "://\"");
}

Result<std::string> FileSystem::ReadAll(const std::string& path) {
  ALOPEX_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, OpenForRead(path));
  std::string data(file->size(), '\0');
  if (!data.empty()) ALOPEX_RETURN_IF_ERROR(file->ReadAt(0, data.size(), reinterpret_cast<uint8_t*>(data.data())));
  return data;
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  std::string out(dir);
  if (out.back() != '/') out += '/';
  out += name;
  return out;
}

bool IsGlob(std::string_view path) { return path.find_first_of("*?[") != std::string_view::npos; }

}  // namespace alopex
