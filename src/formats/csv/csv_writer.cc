#include "formats/csv/csv_writer.h"

#include <charconv>

#include "common/cast.h"
#include "common/datetime.h"
#include "io/gzip_file.h"

namespace alopex {

namespace {
constexpr size_t kFlushBytes = 1 << 20;
}

CsvWriter::~CsvWriter() = default;

Result<std::unique_ptr<CsvWriter>> CsvWriter::Open(const std::string& path, std::vector<std::string> names,
                                                   std::vector<LogicalType> types, const CsvWriteOptions& options,
                                                   FileSystem* fs) {
  if (names.size() != types.size())
    return Status::InvalidArgument(path + ": " + std::to_string(names.size()) + " column names but " +
                                   std::to_string(types.size()) + " types");
  if (options.delimiter == '\n' || options.delimiter == '\r' || options.delimiter == options.quote)
    return Status::InvalidArgument(path + ": invalid CSV delimiter");
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(path));
  }
  std::unique_ptr<CsvWriter> w(new CsvWriter());
  ALOPEX_ASSIGN_OR_RETURN(w->file_, fs->OpenForWrite(path));
  if (options.compression == CsvWriteOptions::Compression::kGzip) w->file_ = NewGzipWritableFile(std::move(w->file_));
  w->names_ = std::move(names);
  w->types_ = std::move(types);
  w->options_ = options;
  w->needs_quote_[uint8_t('\n')] = true;
  w->needs_quote_[uint8_t('\r')] = true;
  w->needs_quote_[uint8_t(options.delimiter)] = true;
  if (options.quote) w->needs_quote_[uint8_t(options.quote)] = true;
  if (options.escape) w->needs_quote_[uint8_t(options.escape)] = true;
  if (options.header) {
    for (size_t c = 0; c < w->names_.size(); c++) {
      if (c) w->buffer_ += options.delimiter;
      w->AppendField(w->names_[c], false);
    }
    w->buffer_ += '\n';
  }
  return w;
}

uint64_t CsvWriter::bytes_written() const { return file_->bytes_written() + buffer_.size(); }

void CsvWriter::AppendField(std::string_view s, bool force_quote) {
  bool quote = force_quote || (!options_.null_string.empty() && s == options_.null_string) ||
               (s.empty() && options_.null_string.empty());
  if (!quote) {
    for (char c : s)
      if (needs_quote_[uint8_t(c)]) {
        quote = true;
        break;
      }
  }
  if (!quote || !options_.quote) {
    buffer_.append(s);
    return;
  }
  buffer_ += options_.quote;
  for (char c : s) {
    if (c == options_.quote || (c == options_.escape && options_.escape != options_.quote)) buffer_ += options_.escape;
    buffer_ += c;
  }
  buffer_ += options_.quote;
}

Status CsvWriter::FlushBuffer() {
  if (buffer_.empty()) return Status::OK();
  Status st = file_->Append(buffer_.data(), buffer_.size());
  buffer_.clear();
  return st;
}

Status CsvWriter::Write(const Batch& batch) {
  if (closed_) return Status::InvalidArgument(file_->path() + ": write after close");
  if (batch.num_columns() != types_.size())
    return Status::InvalidArgument(file_->path() + ": batch has " + std::to_string(batch.num_columns()) +
                                   " columns, the CSV file " + std::to_string(types_.size()));
  char buf[64];
  for (size_t r = 0; r < batch.num_rows; r++) {
    for (size_t c = 0; c < batch.columns.size(); c++) {
      if (c) buffer_ += options_.delimiter;
      const Column& col = batch.columns[c];
      if (col.IsNull(r)) {
        buffer_ += options_.null_string;
        continue;
      }
      switch (col.type().id()) {
        case TypeId::kBigInt: {
          auto res = std::to_chars(buf, buf + sizeof(buf), col.data<int64_t>()[r]);
          buffer_.append(buf, size_t(res.ptr - buf));
          break;
        }
        case TypeId::kInteger: {
          auto res = std::to_chars(buf, buf + sizeof(buf), col.data<int32_t>()[r]);
          buffer_.append(buf, size_t(res.ptr - buf));
          break;
        }
        case TypeId::kDouble:
          buffer_.append(buf, FormatDoubleTo(col.data<double>()[r], buf));
          break;
        case TypeId::kBoolean:
          buffer_ += col.data<uint8_t>()[r] ? "true" : "false";
          break;
        case TypeId::kVarchar:
        case TypeId::kJson:
          AppendField(col.GetStringView(r), false);
          break;
        case TypeId::kDate:
          if (options_.dateformat) {
            AppendField(Strftime(int64_t(col.data<int32_t>()[r]) * kMicrosPerDay, *options_.dateformat), false);
          } else {
            buffer_.append(buf, FormatDateTo(col.data<int32_t>()[r], buf));
          }
          break;
        case TypeId::kTimestamp:
          if (options_.timestampformat) {
            AppendField(Strftime(col.data<int64_t>()[r], *options_.timestampformat), false);
          } else {
            buffer_.append(buf, FormatTimestampTo(col.data<int64_t>()[r], buf));
          }
          break;
        default:
          scratch_.clear();
          AppendValueText(col, r, &scratch_);
          AppendField(scratch_, false);
          break;
      }
    }
    buffer_ += '\n';
    if (buffer_.size() >= kFlushBytes) ALOPEX_RETURN_IF_ERROR(FlushBuffer());
  }
  rows_ += batch.num_rows;
  return Status::OK();
}

Status CsvWriter::Close() {
  if (closed_) return Status::OK();
  closed_ = true;
  ALOPEX_RETURN_IF_ERROR(FlushBuffer());
  return file_->Close();
}

}  // namespace alopex
