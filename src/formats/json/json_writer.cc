#include "formats/json/json_writer.h"

#include "common/cast.h"
#include "common/json_text.h"
#include "io/gzip_file.h"

namespace alopex {

namespace {
constexpr size_t kFlushBytes = 1 << 20;
}

JsonWriter::~JsonWriter() = default;

Result<std::unique_ptr<JsonWriter>> JsonWriter::Open(const std::string& path, std::vector<std::string> names,
                                                     std::vector<LogicalType> types, const JsonWriteOptions& options,
                                                     FileSystem* fs) {
  if (names.size() != types.size())
    return Status::InvalidArgument(path + ": " + std::to_string(names.size()) + " column names but " +
                                   std::to_string(types.size()) + " types");
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(path));
  }
  std::unique_ptr<JsonWriter> w(new JsonWriter());
  ALOPEX_ASSIGN_OR_RETURN(w->file_, fs->OpenForWrite(path));
  if (options.compression == JsonWriteOptions::Compression::kGzip) w->file_ = NewGzipWritableFile(std::move(w->file_));
  for (const auto& n : names) {
    std::string key;
    AppendJsonString(&key, n);
    key += ':';
    w->keys_.push_back(std::move(key));
  }
  w->types_ = std::move(types);
  w->options_ = options;
  if (options.format == JsonWriteOptions::Format::kArray) w->buffer_ += "[\n";
  return w;
}

uint64_t JsonWriter::bytes_written() const { return file_->bytes_written() + buffer_.size(); }

Status JsonWriter::FlushBuffer() {
  if (buffer_.empty()) return Status::OK();
  Status st = file_->Append(buffer_.data(), buffer_.size());
  buffer_.clear();
  return st;
}

Status JsonWriter::Write(const Batch& batch) {
  if (closed_) return Status::InvalidArgument(file_->path() + ": write after close");
  if (batch.num_columns() != types_.size())
    return Status::InvalidArgument(file_->path() + ": batch has " + std::to_string(batch.num_columns()) +
                                   " columns, the JSON file " + std::to_string(types_.size()));
  bool array = options_.format == JsonWriteOptions::Format::kArray;
  for (size_t r = 0; r < batch.num_rows; r++) {
    if (array && rows_ + r > 0) buffer_ += ",\n";
    buffer_ += '{';
    for (size_t c = 0; c < batch.columns.size(); c++) {
      if (c) buffer_ += ',';
      buffer_ += keys_[c];
      const Column& col = batch.columns[c];
      if (col.IsNull(r)) {
        buffer_ += "null";
      } else {
        AppendValueJson(col, r, &buffer_);
      }
    }
    buffer_ += '}';
    if (!array) buffer_ += '\n';
    if (buffer_.size() >= kFlushBytes) ALOPEX_RETURN_IF_ERROR(FlushBuffer());
  }
  rows_ += batch.num_rows;
  return Status::OK();
}

Status JsonWriter::Close() {
  if (closed_) return Status::OK();
  closed_ = true;
  if (options_.format == JsonWriteOptions::Format::kArray) buffer_ += rows_ ? "\n]\n" : "]\n";
  ALOPEX_RETURN_IF_ERROR(FlushBuffer());
  return file_->Close();
}

}  // namespace alopex
