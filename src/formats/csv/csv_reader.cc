#include "formats/csv/csv_reader.h"

#include <algorithm>
#include <cstring>

#include "common/cast.h"
#include "common/datetime.h"
#include "formats/csv/csv_sniffer.h"
#include "formats/text_value_parsers.h"
#include "io/gzip_file.h"
#include "io/memory_file_system.h"

namespace alopex {

namespace {

// Bytes read up front for sniffing.
constexpr size_t kSampleBytes = 8 * 1024 * 1024;
constexpr size_t kSampleStartBytes = 1024 * 1024;
// Window read around a split boundary to find the next row start.
constexpr size_t kResyncWindow = 64 * 1024;
constexpr size_t kResyncWindowMax = 4 * 1024 * 1024;
// Rows that must parse cleanly after a candidate row start.
constexpr size_t kResyncRows = 16;
// Block size of the sequential boundary scan.
constexpr size_t kScanBlock = 16 * 1024 * 1024;

// Offset of the first byte that is not valid UTF-8, or n.
size_t FindInvalidUtf8(const char* s, size_t n) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s);
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    uint8_t c = p[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
    i += len;
  }
  return n;
}

enum class FieldKind : uint8_t {
  kBool,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kUInt8,
  kUInt16,
  kUInt32,
  kUInt64,
  kFloat,
  kDouble,
  kDate,
  kDateFormat,
  kTime,
  kTimestamp,
  kTimestampFormat,
  kString,
  kGeneric,  // read as text, then cast
};

FieldKind KindOf(const LogicalType& t, const CsvReadOptions& o) {
  switch (t.id()) {
    case TypeId::kBoolean: return FieldKind::kBool;
    case TypeId::kTinyInt: return FieldKind::kInt8;
    case TypeId::kSmallInt: return FieldKind::kInt16;
    case TypeId::kInteger: return FieldKind::kInt32;
    case TypeId::kBigInt: return FieldKind::kInt64;
    case TypeId::kUTinyInt: return FieldKind::kUInt8;
    case TypeId::kUSmallInt: return FieldKind::kUInt16;
    case TypeId::kUInteger: return FieldKind::kUInt32;
    case TypeId::kUBigInt: return FieldKind::kUInt64;
    case TypeId::kFloat: return FieldKind::kFloat;
    case TypeId::kDouble: return FieldKind::kDouble;
    case TypeId::kDate: return o.dateformat ? FieldKind::kDateFormat : FieldKind::kDate;
    case TypeId::kTime: return FieldKind::kTime;
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return o.timestampformat ? FieldKind::kTimestampFormat : FieldKind::kTimestamp;
    case TypeId::kVarchar:
    case TypeId::kBlob: return FieldKind::kString;
    default: return FieldKind::kGeneric;
  }
}

struct OutColumn {
  FieldKind kind;
  size_t file_col;
  Column* col;
  uint8_t* data;
  std::unique_ptr<Column> staging;  // kGeneric: the text before the cast
};

}  // namespace

CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, const CsvReadOptions& options,
                                                   FileSystem* fs) {
  std::unique_ptr<CsvReader> r(new CsvReader());
  r->path_ = path;
  r->options_ = options;
  r->display_name_ = options.filename.empty() ? path : options.filename;
  if (options.split_bytes == 0) r->options_.split_bytes = 8 * 1024 * 1024;
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(path));
  }
  r->fs_ = fs;
  // Compressed files are read whole and parsed from memory.
  ALOPEX_ASSIGN_OR_RETURN(r->file_, OpenMaybeGzip(fs, path, r->display_name_));
  r->file_size_ = r->file_->size();
  ALOPEX_RETURN_IF_ERROR(r->Sniff(r->options_));
  ALOPEX_RETURN_IF_ERROR(r->PlanSplits());
  return r;
}

Status CsvReader::Sniff(const CsvReadOptions& options) {
  if (options.delimiter && (*options.delimiter == '\n' || *options.delimiter == '\r' || *options.delimiter == '\0'))
    return Status::InvalidArgument(display_name_ + ": invalid delimiter");
  if (options.delimiter && options.quote && *options.delimiter == *options.quote)
    return Status::InvalidArgument(display_name_ + ": the delimiter and the quote must differ");
  // Read enough for sample_size rows: 1 MB, then more if its rows are long.
  size_t n = size_t(std::min<uint64_t>(file_size_, kSampleStartBytes));
  std::string sample(n, '\0');
  if (n) ALOPEX_RETURN_IF_ERROR(file_->ReadAt(0, n, reinterpret_cast<uint8_t*>(sample.data())));
  size_t want_lines = options.sample_size + options.skip_rows + 2;
  size_t lines_seen = CsvTokenizer::CountNewlines(sample.data(), sample.data() + n);
  if (n < file_size_ && lines_seen < want_lines) {
    double per_line = double(n) / double(std::max<size_t>(lines_seen, 1));
    size_t more = size_t(std::min<double>(double(kSampleBytes), per_line * double(want_lines) * 1.2 + 4096));
    more = size_t(std::min<uint64_t>(file_size_, std::max(more, n)));
    if (more > n) {
      sample.resize(more);
      ALOPEX_RETURN_IF_ERROR(file_->ReadAt(n, more - n, reinterpret_cast<uint8_t*>(sample.data() + n)));
      n = more;
    }
  }
  size_t offset = 0;
  if (n >= 3 && uint8_t(sample[0]) == 0xEF && uint8_t(sample[1]) == 0xBB && uint8_t(sample[2]) == 0xBF) offset = 3;
  uint64_t line = 1;
  for (size_t k = 0; k < options.skip_rows && offset < n; k++) {
    const char* nl = static_cast<const char*>(std::memchr(sample.data() + offset, '\n', n - offset));
    offset = nl ? size_t(nl - sample.data()) + 1 : n;
    line++;
  }
  bool whole = n == file_size_;
  std::string_view text(sample.data() + offset, n - offset);
  ALOPEX_ASSIGN_OR_RETURN(CsvSniffResult s, SniffCsv(text, whole, options, display_name_));
  dialect_ = s.dialect;
  names_ = std::move(s.names);
  types_ = std::move(s.types);
  data_begin_ = offset + s.header_bytes;
  data_first_line_ = line + s.header_lines;
  // Quoted newlines defeat the guess of row starts from newlines; so does a
  // single column, where any line looks like a row.
  exact_boundaries_ = s.quoted_newlines || names_.size() <= 1;
  return Status::OK();
}

Status CsvReader::PlanSplits() {
  splits_.clear();
  const uint64_t step = options_.split_bytes;
  if (file_size_ <= data_begin_) {
    splits_.push_back({data_begin_, data_begin_});
  } else if (file_size_ - data_begin_ <= step + step / 2) {
    splits_.push_back({data_begin_, file_size_});
  } else if (exact_boundaries_) {
    // A sequential, quote-aware pass: boundaries are row starts for certain.
    CsvTokenizer tok(dialect_);
    std::vector<uint64_t> starts = {data_begin_};
    uint64_t next = data_begin_ + step;
    uint64_t pos = data_begin_;
    size_t want = kScanBlock;
    std::string buf;
    while (pos < file_size_) {
      size_t len = size_t(std::min<uint64_t>(want, file_size_ - pos));
      buf.resize(len);
      ALOPEX_RETURN_IF_ERROR(file_->ReadAt(pos, len, reinterpret_cast<uint8_t*>(buf.data())));
      bool at_eof = pos + len == file_size_;
      const char* p = buf.data();
      const char* end = p + len;
      bool stop = false;
      while (p < end) {
        uint64_t abs = pos + uint64_t(p - buf.data());
        if (abs >= next) {
          starts.push_back(abs);
          next = abs + step;
        }
        size_t nf, nl;
        CsvRowStatus st = tok.ParseRow(p, end, at_eof, [](size_t, const CsvField&) {}, &nf, &nl);
        if (st == CsvRowStatus::kIncomplete) break;
        if (st != CsvRowStatus::kRow) {
          stop = true;  // malformed: the split holding it reports the error
          break;
        }
      }
      if (stop) break;
      size_t consumed = size_t(p - buf.data());
      if (consumed == 0) {
        if (want > options_.max_line_size + kScanBlock) break;  // an overlong row: its split reports it
        want *= 2;
        continue;
      }
      want = kScanBlock;
      pos += consumed;
    }
    for (size_t i = 0; i < starts.size(); i++)
      splits_.push_back({starts[i], i + 1 < starts.size() ? starts[i + 1] : file_size_});
  } else {
    // Guess each boundary: the first newline after the nominal offset that is
    // followed by rows of the right width. ParseBlock verifies the guess: a
    // split must end exactly on its last row's terminator.
    CsvTokenizer tok(dialect_);
    size_t ncols = names_.size();
    std::vector<uint64_t> starts = {data_begin_};
    std::string buf;
    for (uint64_t nominal = data_begin_ + step; nominal + step / 2 < file_size_; nominal += step) {
      if (nominal <= starts.back()) continue;
      for (size_t window = kResyncWindow; window <= kResyncWindowMax; window *= 8) {
        size_t len = size_t(std::min<uint64_t>(window, file_size_ - nominal));
        buf.resize(len);
        ALOPEX_RETURN_IF_ERROR(file_->ReadAt(nominal, len, reinterpret_cast<uint8_t*>(buf.data())));
        bool at_eof = nominal + len == file_size_;
        const char* end = buf.data() + len;
        const char* nl = buf.data();
        bool found = false;
        while (!found && (nl = static_cast<const char*>(std::memchr(nl, '\n', size_t(end - nl))))) {
          const char* candidate = ++nl;
          if (candidate == end) break;
          const char* p = candidate;
          size_t good = 0;
          bool ok = true;
          while (good < kResyncRows && p < end) {
            size_t nf, fl;
            CsvRowStatus st = tok.ParseRow(p, end, at_eof, [](size_t, const CsvField&) {}, &nf, &fl);
            if (st == CsvRowStatus::kIncomplete) break;
            if (st != CsvRowStatus::kRow || nf != ncols) {
              ok = false;
              break;
            }
            good++;
          }
          if (ok && good > 0) {
            starts.push_back(nominal + uint64_t(candidate - buf.data()));
            found = true;
          }
        }
        if (found || at_eof) break;
      }
    }
    for (size_t i = 0; i < starts.size(); i++)
      splits_.push_back({starts[i], i + 1 < starts.size() ? starts[i + 1] : file_size_});
  }
  split_lines_.reset(new std::atomic<int64_t>[splits_.size()]);
  for (size_t i = 0; i < splits_.size(); i++) split_lines_[i].store(-1);
  return Status::OK();
}

Result<uint64_t> CsvReader::SplitFirstLine(size_t i) {
  if (i >= splits_.size()) return Status::OutOfRange("split " + std::to_string(i) + " of " + display_name_);
  uint64_t line = data_first_line_;
  bool known = true;
  for (size_t k = 0; k < i && known; k++) {
    int64_t n = split_lines_[k].load();
    if (n < 0)
      known = false;
    else
      line += uint64_t(n);
  }
  if (known) return line;
  // Count the newlines before the split.
  line = data_first_line_;
  std::string buf;
  for (uint64_t pos = data_begin_; pos < splits_[i].begin;) {
    size_t len = size_t(std::min<uint64_t>(kScanBlock, splits_[i].begin - pos));
    buf.resize(len);
    ALOPEX_RETURN_IF_ERROR(file_->ReadAt(pos, len, reinterpret_cast<uint8_t*>(buf.data())));
    line += CsvTokenizer::CountNewlines(buf.data(), buf.data() + len);
    pos += len;
  }
  return line;
}

Status CsvReader::LineError(size_t split, uint64_t line_in_split, const std::string& what) {
  auto first = SplitFirstLine(split);
  uint64_t line = first.ok() ? *first + line_in_split - 1 : line_in_split;
  return Status::InvalidArgument(display_name_ + ": line " + std::to_string(line) + what);
}

Status CsvReader::ReadAll(const std::vector<int>& projection, const BatchSink& sink) {
  for (size_t i = 0; i < splits_.size(); i++) ALOPEX_RETURN_IF_ERROR(ReadSplit(i, projection, sink));
  return Status::OK();
}

Status CsvReader::ReadSplit(size_t i, const std::vector<int>& projection, const BatchSink& sink) {
  return ReadSplitAnnotated(i, projection, [&](Batch&& b, const CsvBatchInfo&) { return sink(std::move(b)); });
}

Status CsvReader::ReadSplitAnnotated(size_t i, const std::vector<int>& projection, const AnnotatedBatchSink& sink) {
  if (i >= splits_.size())
    return Status::OutOfRange(display_name_ + ": split " + std::to_string(i) + " of " + std::to_string(splits_.size()));
  for (int c : projection)
    if (c < 0 || size_t(c) >= names_.size())
      return Status::InvalidArgument(display_name_ + ": projected column " + std::to_string(c) + " out of range");
  const Split& s = splits_[i];
  size_t len = size_t(s.end - s.begin);
  // The block lives in a string heap that the batches' string columns share, so
  // their values point into it without copies.
  auto owner = std::make_shared<Column>(LogicalType(TypeId::kVarchar));
  char* block = len ? owner->heap().Allocate(len) : nullptr;
  if (len) ALOPEX_RETURN_IF_ERROR(file_->ReadAt(s.begin, len, reinterpret_cast<uint8_t*>(block)));
  uint64_t lines = 0;
  ALOPEX_RETURN_IF_ERROR(ParseBlock(i, block, block + len, s.end == file_size_, projection, owner, sink, &lines));
  split_lines_[i].store(int64_t(lines));
  return Status::OK();
}

Status CsvReader::ParseBlock(size_t split, const char* begin, const char* end, bool at_eof,
                             const std::vector<int>& projection, const std::shared_ptr<Column>& block_owner,
                             const AnnotatedBatchSink& sink, uint64_t* lines_out) {
  const size_t ncols = names_.size();
  std::vector<int> proj = projection;
  if (proj.empty())
    for (size_t c = 0; c < ncols; c++) proj.push_back(int(c));
  std::vector<int> slot(ncols, -1);
  for (size_t k = 0; k < proj.size(); k++) slot[size_t(proj[k])] = int(k);

  CsvTokenizer tok(dialect_);
  const bool null_is_empty = options_.null_strings.size() == 1 && options_.null_strings[0].empty();
  const bool no_nulls = options_.null_strings.empty();

  Batch batch;
  std::vector<OutColumn> outs(proj.size());
  auto new_batch = [&]() {
    batch = Batch();
    batch.columns.reserve(proj.size());
    for (size_t k = 0; k < proj.size(); k++) {
      const LogicalType& t = types_[size_t(proj[k])];
      OutColumn& o = outs[k];
      o.kind = KindOf(t, options_);
      o.file_col = size_t(proj[k]);
      batch.columns.emplace_back(t, kBatchSize);
      Column* c = &batch.columns.back();
      if (o.kind == FieldKind::kGeneric) {
        o.staging = std::make_unique<Column>(LogicalType(TypeId::kVarchar), kBatchSize);
        c = o.staging.get();
      }
      c->Resize(kBatchSize);
      if (o.kind == FieldKind::kString || o.kind == FieldKind::kGeneric) c->ShareHeapsFrom(*block_owner);
      o.col = c;
      o.data = c->raw_data();
    }
  };
  new_batch();

  size_t row = 0;
  uint64_t line = 1;        // line in split where the current row starts
  uint64_t batch_line = 1;  // line of the batch's first row
  std::string scratch;

  // Stores one field; false when it does not convert.
  auto store = [&](OutColumn& o, const CsvField& f) -> bool {
    const char* d = f.data;
    size_t n = f.size;
    bool is_null;
    if (null_is_empty) {
      is_null = n == 0;
    } else if (no_nulls) {
      is_null = false;
    } else {
      is_null = false;
      for (const auto& ns : options_.null_strings)
        if (ns.size() == n && std::memcmp(ns.data(), d, n) == 0) is_null = true;
    }
    Column& col = *o.col;
    if (is_null) {
      col.SetNull(row);
      return true;
    }
    if (col.MayHaveNulls()) col.SetNull(row, false);
    if (f.escaped) {
      scratch = tok.Unescape(f);
      d = scratch.data();
      n = scratch.size();
    }
    switch (o.kind) {
      case FieldKind::kString:
      case FieldKind::kGeneric: {
        if (FindInvalidUtf8(d, n) != n) return false;
        StringRef* refs = reinterpret_cast<StringRef*>(o.data);
        refs[row] = f.escaped ? col.AddString({d, n}) : StringRef(d, uint32_t(n));
        return true;
      }
      case FieldKind::kInt64:
        return text_parse::ParseInt64(d, n, reinterpret_cast<int64_t*>(o.data) + row);
      case FieldKind::kDouble:
        return text_parse::ParseDouble(d, n, reinterpret_cast<double*>(o.data) + row);
      case FieldKind::kInt32:
      case FieldKind::kInt16:
      case FieldKind::kInt8: {
        int64_t v;
        if (!text_parse::ParseInt64(d, n, &v)) return false;
        if (o.kind == FieldKind::kInt32) {
          if (v < INT32_MIN || v > INT32_MAX) return false;
          reinterpret_cast<int32_t*>(o.data)[row] = int32_t(v);
        } else if (o.kind == FieldKind::kInt16) {
          if (v < INT16_MIN || v > INT16_MAX) return false;
          reinterpret_cast<int16_t*>(o.data)[row] = int16_t(v);
        } else {
          if (v < INT8_MIN || v > INT8_MAX) return false;
          reinterpret_cast<int8_t*>(o.data)[row] = int8_t(v);
        }
        return true;
      }
      case FieldKind::kUInt8:
      case FieldKind::kUInt16:
      case FieldKind::kUInt32:
      case FieldKind::kUInt64: {
        std::string_view t = text_parse::TrimSpaces({d, n});
        if (!t.empty() && t[0] == '+') t.remove_prefix(1);
        uint64_t v;
        auto r = std::from_chars(t.data(), t.data() + t.size(), v);
        if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size()) return false;
        switch (o.kind) {
          case FieldKind::kUInt8:
            if (v > UINT8_MAX) return false;
            reinterpret_cast<uint8_t*>(o.data)[row] = uint8_t(v);
            return true;
          case FieldKind::kUInt16:
            if (v > UINT16_MAX) return false;
            reinterpret_cast<uint16_t*>(o.data)[row] = uint16_t(v);
            return true;
          case FieldKind::kUInt32:
            if (v > UINT32_MAX) return false;
            reinterpret_cast<uint32_t*>(o.data)[row] = uint32_t(v);
            return true;
          default:
            reinterpret_cast<uint64_t*>(o.data)[row] = v;
            return true;
        }
      }
      case FieldKind::kFloat: {
        double v;
        if (!text_parse::ParseDouble(d, n, &v)) return false;
        reinterpret_cast<float*>(o.data)[row] = float(v);
        return true;
      }
      case FieldKind::kBool: {
        bool b;
        if (!text_parse::ParseBool(d, n, &b)) return false;
        o.data[row] = b;
        return true;
      }
      case FieldKind::kDate:
        return text_parse::ParseDate(d, n, reinterpret_cast<int32_t*>(o.data) + row);
      case FieldKind::kDateFormat: {
        auto r = Strptime({d, n}, *options_.dateformat);
        if (!r.ok()) return false;
        reinterpret_cast<int32_t*>(o.data)[row] = int32_t(FloorDiv(*r, kMicrosPerDay));
        return true;
      }
      case FieldKind::kTime:
        return TryParseTime(text_parse::TrimSpaces({d, n}), reinterpret_cast<int64_t*>(o.data) + row);
      case FieldKind::kTimestamp:
        return text_parse::ParseTimestamp(d, n, reinterpret_cast<int64_t*>(o.data) + row);
      case FieldKind::kTimestampFormat: {
        auto r = Strptime({d, n}, *options_.timestampformat);
        if (!r.ok()) return false;
        reinterpret_cast<int64_t*>(o.data)[row] = *r;
        return true;
      }
    }
    return false;
  };

  auto flush = [&]() -> Status {
    if (row == 0) return Status::OK();
    for (size_t k = 0; k < outs.size(); k++) {
      OutColumn& o = outs[k];
      o.col->Resize(row);
      if (o.kind == FieldKind::kGeneric) {
        size_t bad_row = 0;
        Status st = CastColumn(*o.staging, batch.columns[k].type(), &batch.columns[k], false, &bad_row);
        if (!st.ok()) {
          // A per-row line is not tracked past the row loop; name the batch's first line.
          return LineError(split, batch_line,
                           ", column \"" + names_[o.file_col] + "\": " + st.message() + " (in the batch starting here)");
        }
      }
    }
    batch.num_rows = row;
    CsvBatchInfo info{split, batch_line};
    ALOPEX_RETURN_IF_ERROR(sink(std::move(batch), info));
    row = 0;
    new_batch();
    return Status::OK();
  };

  auto reject = [&](Status error) -> Status {
    if (!options_.ignore_errors) return error;
    if (options_.on_rejected_row) {
      auto first = SplitFirstLine(split);
      options_.on_rejected_row(first.ok() ? *first + line - 1 : line, error);
    }
    return Status::OK();
  };

  const char* p = begin;
  while (p < end) {
    const char* row_start = p;
    size_t nf = 0, nl = 0;
    int bad_col = -1;
    CsvField bad_field{nullptr, 0, false, false};
    bool blank = false;
    CsvRowStatus st = tok.ParseRow(
        p, end, at_eof,
        [&](size_t c, const CsvField& f) {
          if (c == 0) blank = f.size == 0 && !f.quoted;
          if (c >= ncols || bad_col >= 0) return;
          int k = slot[c];
          if (k < 0) return;
          if (!store(outs[size_t(k)], f)) {
            bad_col = int(c);
            bad_field = f;
          }
        },
        &nf, &nl);
    if (st != CsvRowStatus::kRow) {
      if (st == CsvRowStatus::kBadQuote)
        return LineError(split, line, ": unexpected character after a closing quote (a quote inside a field must be "
                                      "escaped)");
      if (st == CsvRowStatus::kUnterminatedQuote) return LineError(split, line, ": unterminated quoted field");
      return LineError(split, line,
                       ": a row runs past the end of its split; the file has quoted line breaks the reader did not "
                       "expect (Internal)");
    }
    if (size_t(p - row_start) > options_.max_line_size) {
      return LineError(split, line, ": row is longer than max_line_size (" + std::to_string(options_.max_line_size) +
                                        " bytes)");
    }
    if (nf == 1 && blank && ncols > 0 && p - row_start <= 2) {  // blank line
      line += nl;
      continue;
    }
    if (nf != ncols) {
      ALOPEX_RETURN_IF_ERROR(reject(LineError(
          split, line, ": expected " + std::to_string(ncols) + " columns, found " + std::to_string(nf))));
      line += nl;
      continue;
    }
    if (bad_col >= 0) {
      std::string text = bad_field.escaped ? tok.Unescape(bad_field) : std::string(bad_field.view());
      const LogicalType& t = types_[size_t(bad_col)];
      std::string what;
      if (t.IsString() && FindInvalidUtf8(text.data(), text.size()) != text.size()) {
        what = ", column \"" + names_[size_t(bad_col)] + "\": invalid UTF-8";
      } else {
        what = ", column \"" + names_[size_t(bad_col)] + "\": could not convert \"" + text + "\" to " + t.ToString();
      }
      Status err = LineError(split, line, what);
      ALOPEX_RETURN_IF_ERROR(reject(Status::ConversionError(err.message())));
      line += nl;
      continue;
    }
    if (row == 0) batch_line = line;
    line += nl;
    if (++row == kBatchSize) ALOPEX_RETURN_IF_ERROR(flush());
  }
  ALOPEX_RETURN_IF_ERROR(flush());
  *lines_out = line - 1;
  return Status::OK();
}

}  // namespace alopex
