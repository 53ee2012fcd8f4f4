#include "io/gzip_file.h"
#include "io/memory_file_system.h"

#include <zlib.h>

#include <cstring>

namespace alopex {

namespace {

class GzipWritableFile : public WritableFile {
 public:
  GzipWritableFile(std::unique_ptr<WritableFile> inner, int level) : inner_(std::move(inner)) {
    std::memset(&zs_, 0, sizeof(zs_));
    // 15 + 16: a gzip header and trailer rather than zlib's.
    init_ok_ = deflateInit2(&zs_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    out_.resize(256 * 1024);
  }
  ~GzipWritableFile() override {
    if (init_ok_) deflateEnd(&zs_);
  }

  Status Append(const void* data, size_t n) override {
    if (!init_ok_) return Status::Internal("cannot start gzip compression for " + inner_->path());
    if (closed_) return Status::IOError("cannot append to " + inner_->path() + ": file is closed");
    written_ += n;
    const Bytef* p = static_cast<const Bytef*>(data);
    while (n > 0) {
      uInt chunk = uInt(std::min<size_t>(n, 1u << 30));
      zs_.next_in = const_cast<Bytef*>(p);
      zs_.avail_in = chunk;
      ALOPEX_RETURN_IF_ERROR(Pump(Z_NO_FLUSH));
      p += chunk;
      n -= chunk;
    }
    return Status::OK();
  }

  Status Close() override {
    if (closed_) return Status::OK();
    closed_ = true;
    if (!init_ok_) return Status::Internal("cannot start gzip compression for " + inner_->path());
    zs_.next_in = nullptr;
    zs_.avail_in = 0;
    ALOPEX_RETURN_IF_ERROR(Pump(Z_FINISH));
    return inner_->Close();
  }

  uint64_t bytes_written() const override { return written_; }
  const std::string& path() const override { return inner_->path(); }

 private:
  Status Pump(int flush) {
    for (;;) {
      zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
      zs_.avail_out = uInt(out_.size());
      int rc = deflate(&zs_, flush);
      if (rc == Z_STREAM_ERROR) return Status::Internal("gzip compression failed for " + inner_->path());
      size_t produced = out_.size() - zs_.avail_out;
      if (produced) ALOPEX_RETURN_IF_ERROR(inner_->Append(out_.data(), produced));
      if (flush == Z_FINISH ? rc == Z_STREAM_END : (zs_.avail_in == 0 && zs_.avail_out != 0)) return Status::OK();
    }
  }

  std::unique_ptr<WritableFile> inner_;
  z_stream zs_;
  bool init_ok_ = false;
  bool closed_ = false;
  std::string out_;
  uint64_t written_ = 0;
};

}  // namespace

std::unique_ptr<WritableFile> NewGzipWritableFile(std::unique_ptr<WritableFile> inner, int level) {
  return std::make_unique<GzipWritableFile>(std::move(inner), level);
}

bool IsGzip(std::string_view data) {
  return data.size() >= 2 && uint8_t(data[0]) == 0x1f && uint8_t(data[1]) == 0x8b;
}

Result<std::string> GzipDecompress(std::string_view data, const std::string& name) {
  std::string out;
  size_t pos = 0;
  std::string buf(256 * 1024, '\0');
  while (pos < data.size()) {
    z_stream zs;
    std::memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 15 + 32) != Z_OK) return Status::Internal("cannot start gzip decompression for " + name);
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + pos));
    zs.avail_in = uInt(std::min<size_t>(data.size() - pos, 1u << 30));
    int rc;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf.data());
      zs.avail_out = uInt(buf.size());
      rc = inflate(&zs, Z_NO_FLUSH);
      if (rc != Z_OK && rc != Z_STREAM_END) {
        std::string why = zs.msg ? zs.msg : "truncated or corrupt stream";
        inflateEnd(&zs);
        return Status::Corruption(name + ": invalid gzip data: " + why);
      }
      out.append(buf.data(), buf.size() - zs.avail_out);
      if (zs.avail_in == 0 && rc != Z_STREAM_END) {
        size_t consumed = size_t(zs.next_in - reinterpret_cast<const Bytef*>(data.data()));
        if (consumed >= data.size()) {
          inflateEnd(&zs);
          return Status::Corruption(name + ": invalid gzip data: truncated stream");
        }
        zs.avail_in = uInt(std::min<size_t>(data.size() - consumed, 1u << 30));
      }
    } while (rc != Z_STREAM_END);
    pos = size_t(zs.next_in - reinterpret_cast<const Bytef*>(data.data()));
    inflateEnd(&zs);
    // Skip padding between members.
    while (pos < data.size() && data[pos] == '\0') pos++;
  }
  return out;
}

Result<std::unique_ptr<RandomAccessFile>> OpenMaybeGzip(FileSystem* fs, const std::string& path,
                                                        const std::string& name) {
  ALOPEX_ASSIGN_OR_RETURN(auto file, fs->OpenForRead(path));
  uint64_t size = file->size();
  if (size < 2) return file;
  uint8_t magic[2];
  ALOPEX_RETURN_IF_ERROR(file->ReadAt(0, 2, magic));
  if (!IsGzip({reinterpret_cast<const char*>(magic), 2})) return file;
  std::string packed(size, '\0');
  ALOPEX_RETURN_IF_ERROR(file->ReadAt(0, packed.size(), reinterpret_cast<uint8_t*>(packed.data())));
  ALOPEX_ASSIGN_OR_RETURN(std::string text, GzipDecompress(packed, name));
  return NewStringRandomAccessFile(path, std::move(text));
}

}  // namespace alopex
