#include "formats/parquet/column_writer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <type_traits>
#include <cstring>

#include "common/cast.h"
#include "formats/parquet/compression.h"
#include "formats/parquet/encodings.h"
#include "formats/parquet/page_task_pool.h"

namespace alopex::parquet {

namespace {

constexpr size_t kMaxDictionaryBytes = 1 << 20;
constexpr int64_t kMaxPageRows = 20000;
// PLAIN pages of one chunk on the page pool at a time.
constexpr size_t kMaxPendingPages = 6;
// Page strings a chunk writer keeps for reuse across row groups.
constexpr size_t kMaxSparePages = 256;
constexpr size_t kStatTruncate = 64;
constexpr size_t kMaxStatBytes = 4096;

int DecimalBytes(int precision) {
  static const int kMaxPrecision[17] = {0, 2, 4, 6, 9, 11, 14, 16, 18, 21, 23, 26, 28, 31, 33, 35, 38};
  for (int n = 1; n <= 16; n++)
    if (kMaxPrecision[n] >= precision) return n;
  return 16;
}

void PutU32(std::string* out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out->append(b, 4);
}

// Truncates a bytewise-ordered min to a prefix.
std::string TruncateMin(const std::string& s) { return s.size() > kStatTruncate ? s.substr(0, kStatTruncate) : s; }
// Truncates a max and increments its last byte that is not 0xFF; nullopt if impossible.
std::optional<std::string> TruncateMax(const std::string& s) {
  if (s.size() <= kStatTruncate) return s;
  std::string t = s.substr(0, kStatTruncate);
  while (!t.empty() && uint8_t(t.back()) == 0xff) t.pop_back();
  if (t.empty()) return std::nullopt;
  t.back() = char(uint8_t(t.back()) + 1);
  return t;
}

}  // namespace

void TypedStats::Merge(const TypedStats& o) {
  nulls += o.nulls;
  nans += o.nans;
  if (!o.has) return;
  if (!has) {
    *this = TypedStats{kind, true, o.imin, o.imax, o.umin, o.umax, o.dmin, o.dmax, o.xmin, o.xmax, o.smin, o.smax,
                       nulls, nans};
    return;
  }
  imin = std::min(imin, o.imin);
  imax = std::max(imax, o.imax);
  umin = std::min(umin, o.umin);
  umax = std::max(umax, o.umax);
  dmin = std::min(dmin, o.dmin);
  dmax = std::max(dmax, o.dmax);
  xmin = std::min(xmin, o.xmin);
  xmax = std::max(xmax, o.xmax);
  if (o.smin < smin) smin = o.smin;
  if (o.smax > smax) smax = o.smax;
}

ColumnChunkWriter::ColumnChunkWriter(LeafSpec spec, const WriterSettings& settings)
    : spec_(std::move(spec)), settings_(settings) {
  switch (spec_.physical) {
    case Type::kBoolean: value_width_ = 1; break;
    case Type::kInt32:
    case Type::kFloat: value_width_ = 4; break;
    case Type::kInt64:
    case Type::kDouble: value_width_ = 8; break;
    case Type::kFixedLenByteArray: value_width_ = spec_.type_length; break;
    default: value_width_ = 0;
  }
  page_stats_.kind = chunk_stats_.kind = spec_.stats_kind;
  Reset();
}

void ColumnChunkWriter::Reset() {
  DropPendingPages();
  defs_.clear();
  reps_.clear();
  plain_.clear();
  indices_.clear();
  page_entries_ = page_rows_ = page_nulls_ = page_values_ = 0;
  page_stats_.Reset();
  chunk_stats_.Reset();
  dict_mode_ = settings_.dictionary && spec_.dictionary && spec_.physical != Type::kBoolean;
  dict_used_ = false;
  dict_fixed_.clear();
  dict_bytes_.clear();
  dict_storage_.clear();
  dict_plain_.clear();
  dict_offsets_.clear();
  dict_count_ = 0;
  dict_page_.clear();
  dict_page_uncompressed_ = 0;
  // Finished pages have been written out: keep their strings for the next pages.
  for (std::string& page : data_pages_)
    if (spare_pages_.size() < kMaxSparePages) spare_pages_.push_back(std::move(page));
  data_pages_.clear();
  data_size_ = 0;
  pages_.clear();
  chunk_rows_ = chunk_entries_ = 0;
  total_uncompressed_ = 0;
  dict_data_pages_ = plain_data_pages_ = 0;
}

size_t ColumnChunkWriter::EstimatedPageBytes() const {
  return (defs_.size() + reps_.size()) / 4 + plain_.size() + indices_.size() * 2;
}

template <typename T>
void ColumnChunkWriter::AppendFixed(const T* v, size_t n) {
  TypedStats& s = page_stats_;
  switch (s.kind) {
    case TypedStats::kSigned:
      s.ExtendBy(s.imin, s.imax, n, [&](size_t i) { return int64_t(v[i]); });
      break;
    case TypedStats::kUnsigned:
      s.ExtendBy(s.umin, s.umax, n,
                 [&](size_t i) { return sizeof(T) == 4 ? uint64_t(uint32_t(v[i])) : uint64_t(v[i]); });
      break;
    case TypedStats::kFloat:
      if constexpr (std::is_floating_point_v<T>) {
        // Branch-free: NaN fails both comparisons, so it never becomes min or
        // max; it is counted apart. Embedding columns bring billions of values.
        T mn = s.has ? T(s.dmin) : std::numeric_limits<T>::infinity();
        T mx = s.has ? T(s.dmax) : -std::numeric_limits<T>::infinity();
        int64_t nans = 0;
        for (size_t i = 0; i < n; i++) {
          T x = v[i];
          mn = x < mn ? x : mn;
          mx = x > mx ? x : mx;
          nans += x != x;
        }
        s.nans += nans;
        if (mn <= mx) {
          s.dmin = double(mn);
          s.dmax = double(mx);
          s.has = true;
        }
      } else {
        s.ExtendBy(s.dmin, s.dmax, n, [&](size_t i) { return double(v[i]); });
      }
      break;
    default:
      break;
  }
  if (dict_mode_) {
    for (size_t i = 0; i < n; i++) {
      uint64_t key = 0;
      std::memcpy(&key, &v[i], sizeof(T));
      auto [it, inserted] = dict_fixed_.try_emplace(key, dict_count_);
      if (inserted) {
        dict_plain_.append(reinterpret_cast<const char*>(&v[i]), sizeof(T));
        dict_count_++;
      }
      indices_.push_back(it->second);
    }
  } else {
    plain_.append(reinterpret_cast<const char*>(v), n * sizeof(T));
  }
  page_values_ += int64_t(n);
}

void ColumnChunkWriter::AppendBinary(const std::string_view* v, size_t n, bool fixed) {
  TypedStats& s = page_stats_;
  if (s.kind == TypedStats::kBytes) {
    for (size_t i = 0; i < n; i++) {
      if (!s.has) {
        s.smin.assign(v[i]);
        s.smax.assign(v[i]);
        s.has = true;
        continue;
      }
      if (v[i] < std::string_view(s.smin)) s.smin.assign(v[i]);
      if (v[i] > std::string_view(s.smax)) s.smax.assign(v[i]);
    }
  }
  if (dict_mode_) {
    for (size_t i = 0; i < n; i++) {
      auto it = dict_bytes_.find(v[i]);
      if (it == dict_bytes_.end()) {
        dict_storage_.emplace_back(v[i]);
        std::string_view key(dict_storage_.back());
        it = dict_bytes_.emplace(key, dict_count_).first;
        dict_offsets_.push_back(uint32_t(dict_plain_.size()));
        if (!fixed) PutU32(&dict_plain_, uint32_t(v[i].size()));
        dict_plain_.append(v[i]);
        dict_count_++;
      }
      indices_.push_back(it->second);
    }
  } else {
    for (size_t i = 0; i < n; i++) {
      if (!fixed) PutU32(&plain_, uint32_t(v[i].size()));
      plain_.append(v[i]);
    }
  }
  page_values_ += int64_t(n);
}

Status ColumnChunkWriter::AppendValues(const Column& src, const uint32_t* rows, size_t n) {
  if (n == 0) return Status::OK();
  const LogicalType& t = src.type();
  switch (t.id()) {
    case TypeId::kVector: {
      const float* f = src.data<float>();
      std::vector<float> tmp(n);
      for (size_t i = 0; i < n; i++) tmp[i] = f[rows[i]];
      AppendFixed(tmp.data(), n);
      return Status::OK();
    }
    case TypeId::kBoolean: {
      const uint8_t* b = src.data<uint8_t>();
      TypedStats& s = page_stats_;
      for (size_t i = 0; i < n; i++) {
        uint8_t x = b[rows[i]] != 0;
        plain_.push_back(char(x));
        s.Extend(s.imin, s.imax, int64_t(x));
      }
      page_values_ += int64_t(n);
      return Status::OK();
    }
    case TypeId::kFloat: {
      std::vector<float> tmp(n);
      const float* f = src.data<float>();
      for (size_t i = 0; i < n; i++) tmp[i] = f[rows[i]];
      AppendFixed(tmp.data(), n);
      return Status::OK();
    }
    case TypeId::kDouble: {
      std::vector<double> tmp(n);
      const double* f = src.data<double>();
      for (size_t i = 0; i < n; i++) tmp[i] = f[rows[i]];
      AppendFixed(tmp.data(), n);
      return Status::OK();
    }
    case TypeId::kVarchar:
    case TypeId::kBlob:
    case TypeId::kJson: {
      views_.resize(n);
      const StringRef* s = src.data<StringRef>();
      for (size_t i = 0; i < n; i++) views_[i] = s[rows[i]].view();
      AppendBinary(views_.data(), n, false);
      return Status::OK();
    }
    case TypeId::kUuid: {
      scratch_.resize(n * 16);
      const Uuid* u = src.data<Uuid>();
      for (size_t i = 0; i < n; i++) {
        char* p = scratch_.data() + 16 * i;
        for (int k = 0; k < 8; k++) p[k] = char(uint8_t(u[rows[i]].hi >> (56 - 8 * k)));
        for (int k = 0; k < 8; k++) p[8 + k] = char(uint8_t(u[rows[i]].lo >> (56 - 8 * k)));
      }
      views_.resize(n);
      for (size_t i = 0; i < n; i++) views_[i] = std::string_view(scratch_.data() + 16 * i, 16);
      AppendBinary(views_.data(), n, true);
      return Status::OK();
    }
    case TypeId::kInterval: {
      scratch_.resize(n * 12);
      const Interval* iv = src.data<Interval>();
      for (size_t i = 0; i < n; i++) {
        const Interval& x = iv[rows[i]];
        uint32_t parts[3] = {uint32_t(x.months), uint32_t(x.days), uint32_t(x.micros / 1000)};
        std::memcpy(scratch_.data() + 12 * i, parts, 12);
      }
      views_.resize(n);
      for (size_t i = 0; i < n; i++) views_[i] = std::string_view(scratch_.data() + 12 * i, 12);
      AppendBinary(views_.data(), n, true);
      return Status::OK();
    }
    case TypeId::kDecimal:
      if (spec_.physical == Type::kFixedLenByteArray) {
        size_t w = size_t(spec_.type_length);
        scratch_.resize(n * w);
        TypedStats& s = page_stats_;
        for (size_t i = 0; i < n; i++) {
          __int128 x = ReadDecimal(src, rows[i]);
          s.Extend(s.xmin, s.xmax, x);
          char* p = scratch_.data() + w * i;
          for (size_t k = 0; k < w; k++) p[k] = char(uint8_t((unsigned __int128)x >> (8 * (w - 1 - k))));
        }
        views_.resize(n);
        for (size_t i = 0; i < n; i++) views_[i] = std::string_view(scratch_.data() + w * i, w);
        AppendBinary(views_.data(), n, true);
        return Status::OK();
      }
      break;
    default:
      break;
  }
  if (spec_.physical == Type::kInt32) {
    i32_.resize(n);
    int32_t* d = i32_.data();
    switch (t.id()) {
      case TypeId::kTinyInt: for (size_t i = 0; i < n; i++) d[i] = src.data<int8_t>()[rows[i]]; break;
      case TypeId::kSmallInt: for (size_t i = 0; i < n; i++) d[i] = src.data<int16_t>()[rows[i]]; break;
      case TypeId::kUTinyInt: for (size_t i = 0; i < n; i++) d[i] = src.data<uint8_t>()[rows[i]]; break;
      case TypeId::kUSmallInt: for (size_t i = 0; i < n; i++) d[i] = src.data<uint16_t>()[rows[i]]; break;
      case TypeId::kInteger:
      case TypeId::kUInteger:
      case TypeId::kDate: for (size_t i = 0; i < n; i++) d[i] = src.data<int32_t>()[rows[i]]; break;
      case TypeId::kDecimal: for (size_t i = 0; i < n; i++) d[i] = int32_t(src.data<int64_t>()[rows[i]]); break;
      case TypeId::kNull: std::fill(d, d + n, 0); break;
      default: return Status::Internal("parquet writer: no INT32 mapping for " + t.ToString());
    }
    AppendFixed(d, n);
    return Status::OK();
  }
  if (spec_.physical == Type::kInt64) {
    i64_.resize(n);
    int64_t* d = i64_.data();
    const int64_t* s = src.data<int64_t>();
    for (size_t i = 0; i < n; i++) d[i] = s[rows[i]];
    AppendFixed(d, n);
    return Status::OK();
  }
  return Status::Internal("parquet writer: no mapping for " + t.ToString());
}

Status ColumnChunkWriter::Write(const uint8_t* defs, const uint8_t* reps, size_t n, const Column& src,
                                const uint32_t* rows, size_t n_values) {
  const uint8_t max_def = uint8_t(spec_.max_def);
  size_t i = 0, vi = 0;
  constexpr size_t kStep = 4096;
  while (i < n) {
    size_t j = std::min(n, i + kStep);
    if (reps)
      while (j < n && reps[j] != 0) j++;
    size_t records = 0, nvals = 0;
    if (reps) {
      for (size_t k = i; k < j; k++) records += reps[k] == 0;
    } else {
      records = j - i;
    }
    for (size_t k = i; k < j; k++) nvals += defs[k] == max_def;
    if (vi + nvals > n_values) return Status::Internal("parquet writer: level/value count mismatch");
    if (spec_.max_def > 0) defs_.insert(defs_.end(), defs + i, defs + j);
    if (spec_.max_rep > 0) reps_.insert(reps_.end(), reps + i, reps + j);
    ALOPEX_RETURN_IF_ERROR(AppendValues(src, rows + vi, nvals));
    vi += nvals;
    page_entries_ += int64_t(j - i);
    page_rows_ += int64_t(records);
    page_nulls_ += int64_t(j - i - nvals);
    page_stats_.nulls += int64_t(j - i - nvals);
    i = j;
    if (EstimatedPageBytes() >= settings_.page_size || page_rows_ >= kMaxPageRows) ALOPEX_RETURN_IF_ERROR(FlushPage());
  }
  return Status::OK();
}

Status ColumnChunkWriter::WriteVectors(const Column& col, size_t offset, size_t count) {
  const size_t dim = size_t(col.type().dimension());
  const uint8_t max_def = uint8_t(spec_.max_def);
  const float* base = col.data<float>();
  TypedStats& s = page_stats_;
  size_t r = 0;
  while (r < count) {
    // Rows up to the next page check, about 64 KiB of floats at a time.
    size_t step = std::max<size_t>(1, (64 * 1024) / std::max<size_t>(dim * 4, 1));
    size_t end = std::min(count, r + step);
    for (; r < end; r++) {
      size_t row = offset + r;
      if (col.IsNull(row) || dim == 0) {
        defs_.push_back(col.IsNull(row) ? uint8_t(max_def - 2) : uint8_t(max_def - 1));
        reps_.push_back(0);
        page_entries_++;
        page_rows_++;
        page_nulls_++;
        s.nulls++;
        continue;
      }
      size_t at = defs_.size();
      defs_.resize(at + dim, max_def);
      reps_.resize(at + dim, 1);
      reps_[at] = 0;
      const float* f = base + row * dim;
      plain_.append(reinterpret_cast<const char*>(f), dim * sizeof(float));
      float mn = s.has ? float(s.dmin) : INFINITY, mx = s.has ? float(s.dmax) : -INFINITY;
      for (size_t k = 0; k < dim; k++) {
        mn = f[k] < mn ? f[k] : mn;
        mx = f[k] > mx ? f[k] : mx;
      }
      if (mn <= mx) {
        s.dmin = mn;
        s.dmax = mx;
        s.has = true;
      }
      page_entries_ += int64_t(dim);
      page_values_ += int64_t(dim);
      page_rows_++;
    }
    if (EstimatedPageBytes() >= settings_.page_size || page_rows_ >= kMaxPageRows) ALOPEX_RETURN_IF_ERROR(FlushPage());
  }
  return Status::OK();
}

template <typename T>
Status ColumnChunkWriter::WriteFloatLists(const Column& list, size_t offset, size_t count, uint8_t empty_def) {
  const uint8_t max_def = uint8_t(spec_.max_def);
  const ListEntry* le = list.list_entries();
  const T* base = list.child(0).data<T>();
  size_t r = 0;
  while (r < count) {
    // Rows up to the next page check, about 64 KiB of values at a time;
    // adjacent lists go to AppendFixed as one run.
    size_t bytes = 0;
    size_t run_begin = 0, run_len = 0;
    for (; r < count && bytes < 64 * 1024; r++) {
      size_t row = offset + r;
      const ListEntry& e = le[row];
      if (list.IsNull(row) || e.length == 0) {
        defs_.push_back(list.IsNull(row) ? 0 : empty_def);
        reps_.push_back(0);
        page_entries_++;
        page_rows_++;
        page_nulls_++;
        page_stats_.nulls++;
        continue;
      }
      size_t len = size_t(e.length);
      size_t at = defs_.size();
      defs_.resize(at + len, max_def);
      reps_.resize(at + len, 1);
      reps_[at] = 0;
      if (run_len && run_begin + run_len == e.offset) {
        run_len += len;
      } else {
        if (run_len) AppendFixed(base + run_begin, run_len);
        run_begin = size_t(e.offset);
        run_len = len;
      }
      page_entries_ += int64_t(len);
      page_rows_++;
      bytes += len * sizeof(T);
    }
    if (run_len) AppendFixed(base + run_begin, run_len);
    if (EstimatedPageBytes() >= settings_.page_size || page_rows_ >= kMaxPageRows) ALOPEX_RETURN_IF_ERROR(FlushPage());
  }
  return Status::OK();
}

void ColumnChunkWriter::FallBackToPlain(bool drop_dictionary) {
  if (drop_dictionary) {
    // Re-encode the current page's indices as PLAIN values.
    plain_.clear();
    for (uint32_t idx : indices_) {
      if (value_width_ > 0 && spec_.physical != Type::kFixedLenByteArray) {
        plain_.append(dict_plain_, size_t(idx) * size_t(value_width_), size_t(value_width_));
      } else {
        size_t start = dict_offsets_[idx];
        size_t end = idx + 1 < dict_offsets_.size() ? dict_offsets_[idx + 1] : dict_plain_.size();
        plain_.append(dict_plain_, start, end - start);
      }
    }
    indices_.clear();
    dict_plain_.clear();
    dict_offsets_.clear();
    dict_count_ = 0;
  }
  dict_fixed_.clear();
  dict_bytes_.clear();
  dict_storage_.clear();
  dict_mode_ = false;
}

struct ColumnChunkWriter::PlainPage {
  // In.
  std::vector<uint8_t> defs, reps;
  std::string plain;
  int max_def = 0, max_rep = 0;
  Codec codec = Codec::kUncompressed;
  int level = 0;
  bool v2 = false;
  int64_t entries = 0, nulls = 0, rows = 0;
  size_t record = 0;  // index in pages_
  // Out.
  std::string body, rep_bytes, def_bytes, compressed;
  std::string bytes;  // header + compressed body
  uint64_t uncompressed = 0;  // header + uncompressed body
  Status status;
  bool done = false;
};

void ColumnChunkWriter::EncodePlainPage(PlainPage* p) {
  p->rep_bytes.clear();
  p->def_bytes.clear();
  if (p->max_rep > 0) RleBitPackedEncoder::EncodeBytes(p->reps.data(), p->reps.size(), BitWidth(uint64_t(p->max_rep)), &p->rep_bytes);
  if (p->max_def > 0) RleBitPackedEncoder::EncodeBytes(p->defs.data(), p->defs.size(), BitWidth(uint64_t(p->max_def)), &p->def_bytes);
  PageHeader h;
  p->compressed.clear();
  if (!p->v2) {
    std::string& body = p->body;
    body.clear();
    if (p->max_rep > 0) {
      PutU32(&body, uint32_t(p->rep_bytes.size()));
      body += p->rep_bytes;
    }
    if (p->max_def > 0) {
      PutU32(&body, uint32_t(p->def_bytes.size()));
      body += p->def_bytes;
    }
    body += p->plain;
    p->status = Compress(p->codec, p->level, reinterpret_cast<const uint8_t*>(body.data()), body.size(), &p->compressed);
    if (!p->status.ok()) return;
    h.type = int32_t(PageType::kDataPage);
    h.uncompressed_page_size = int32_t(body.size());
    DataPageHeader d;
    d.num_values = int32_t(p->entries);
    d.encoding = int32_t(Encoding::kPlain);
    d.definition_level_encoding = int32_t(Encoding::kRle);
    d.repetition_level_encoding = int32_t(Encoding::kRle);
    h.data_page_header = d;
  } else {
    p->compressed = p->rep_bytes + p->def_bytes;
    p->status = Compress(p->codec, p->level, reinterpret_cast<const uint8_t*>(p->plain.data()), p->plain.size(),
                         &p->compressed);
    if (!p->status.ok()) return;
    h.type = int32_t(PageType::kDataPageV2);
    h.uncompressed_page_size = int32_t(p->rep_bytes.size() + p->def_bytes.size() + p->plain.size());
    DataPageHeaderV2 d;
    d.num_values = int32_t(p->entries);
    d.num_nulls = int32_t(p->nulls);
    d.num_rows = int32_t(p->rows);
    d.encoding = int32_t(Encoding::kPlain);
    d.definition_levels_byte_length = int32_t(p->def_bytes.size());
    d.repetition_levels_byte_length = int32_t(p->rep_bytes.size());
    d.is_compressed = true;
    h.data_page_header_v2 = d;
  }
  h.compressed_page_size = int32_t(p->compressed.size());
  p->bytes.clear();
  EncodePageHeader(h, &p->bytes);
  p->uncompressed = p->bytes.size() + uint64_t(h.uncompressed_page_size);
  p->bytes += p->compressed;
}

Status ColumnChunkWriter::CompletePages(size_t keep) {
  while (pending_.size() > keep) {
    PlainPage* p = pending_.front().get();
    {
      std::unique_lock<std::mutex> lock(pending_mu_);
      pending_cv_.wait(lock, [p] { return p->done; });
    }
    std::unique_ptr<PlainPage> page = std::move(pending_.front());
    pending_.pop_front();
    pending_bytes_ -= page->plain.size();
    if (!page->status.ok()) {
      Status st = page->status;
      spare_.push_back(std::move(page));
      return st;
    }
    PageRecord& rec = pages_[page->record];
    rec.offset_in_data = data_size_;
    rec.size = int32_t(page->bytes.size());
    data_size_ += page->bytes.size();
    total_uncompressed_ += page->uncompressed;
    // The page string moves out; the job keeps its other buffers for reuse.
    data_pages_.push_back(std::move(page->bytes));
    page->bytes = std::string();
    spare_.push_back(std::move(page));
  }
  return Status::OK();
}

void ColumnChunkWriter::DropPendingPages() {
  for (auto& p : pending_) {
    std::unique_lock<std::mutex> lock(pending_mu_);
    pending_cv_.wait(lock, [&p] { return p->done; });
  }
  for (auto& p : pending_) spare_.push_back(std::move(p));
  pending_.clear();
  pending_bytes_ = 0;
}

ColumnChunkWriter::~ColumnChunkWriter() { DropPendingPages(); }

Status ColumnChunkWriter::FlushPage() {
  if (page_entries_ == 0) return Status::OK();
  // A dictionary that holds most values of the first page does not pay.
  if (dict_mode_ && !dict_used_ && page_values_ > 64 && uint64_t(dict_count_) * 10 > uint64_t(page_values_) * 7)
    FallBackToPlain(true);
  if (!dict_mode_ && spec_.physical != Type::kBoolean) {
    // PLAIN pages: levels, values, compression and header off this thread when
    // there is a pool (a few pages in flight bound the memory).
    std::unique_ptr<PlainPage> page;
    if (!spare_.empty()) {
      page = std::move(spare_.back());
      spare_.pop_back();
    } else {
      page = std::make_unique<PlainPage>();
    }
    page->defs.swap(defs_);
    page->reps.swap(reps_);
    page->plain.swap(plain_);
    defs_.clear();
    reps_.clear();
    plain_.clear();
    page->max_def = spec_.max_def;
    page->max_rep = spec_.max_rep;
    page->codec = settings_.codec;
    page->level = settings_.level;
    page->v2 = settings_.data_page_version == 2;
    page->entries = page_entries_;
    page->nulls = page_nulls_;
    page->rows = page_rows_;
    page->status = Status::OK();
    page->done = false;
    if (page->bytes.capacity() == 0 && !spare_pages_.empty()) {
      page->bytes = std::move(spare_pages_.back());
      spare_pages_.pop_back();
    }
    PageRecord rec;
    rec.first_row = chunk_rows_;
    rec.null_count = page_nulls_;
    rec.all_null = page_values_ == 0;
    if (page_stats_.has) {
      auto mn = EncodeMin(page_stats_), mx = EncodeMax(page_stats_);
      if (mn && mx) {
        bool bytes = page_stats_.kind == TypedStats::kBytes;
        rec.min = bytes ? TruncateMin(*mn) : *mn;
        rec.max = bytes ? TruncateMax(*mx) : std::optional<std::string>(*mx);
      }
    }
    page->record = pages_.size();
    pages_.push_back(std::move(rec));
    chunk_stats_.Merge(page_stats_);
    chunk_rows_ += page_rows_;
    chunk_entries_ += page_entries_;
    plain_data_pages_++;
    page_entries_ = page_rows_ = page_nulls_ = page_values_ = 0;
    page_stats_.Reset();
    indices_.clear();
    pending_bytes_ += page->plain.size();
    PlainPage* p = page.get();
    pending_.push_back(std::move(page));
    if (settings_.pool) {
      settings_.pool->Submit([this, p] {
        try {
          EncodePlainPage(p);
        } catch (const std::bad_alloc&) {
          p->status = Status::OutOfRange("out of memory encoding a Parquet page");
        }
        std::lock_guard<std::mutex> lock(pending_mu_);
        p->done = true;
        pending_cv_.notify_all();
      });
      return CompletePages(kMaxPendingPages);
    }
    EncodePlainPage(p);
    p->done = true;
    return CompletePages(0);
  }
  ALOPEX_RETURN_IF_ERROR(CompletePages(0));  // keep the page order
  std::string& body = scratch_;
  body.clear();
  std::string rep_bytes, def_bytes;
  if (spec_.max_rep > 0) RleBitPackedEncoder::EncodeBytes(reps_.data(), reps_.size(), BitWidth(uint64_t(spec_.max_rep)), &rep_bytes);
  if (spec_.max_def > 0) RleBitPackedEncoder::EncodeBytes(defs_.data(), defs_.size(), BitWidth(uint64_t(spec_.max_def)), &def_bytes);
  bool v2 = settings_.data_page_version == 2;
  if (!v2) {
    if (spec_.max_rep > 0) {
      PutU32(&body, uint32_t(rep_bytes.size()));
      body += rep_bytes;
    }
    if (spec_.max_def > 0) {
      PutU32(&body, uint32_t(def_bytes.size()));
      body += def_bytes;
    }
  }
  size_t values_start = body.size();
  bool dict_page = dict_mode_;
  if (dict_page) {
    int bw = std::max(1, BitWidth(dict_count_ > 0 ? dict_count_ - 1 : 0));
    body.push_back(char(bw));
    RleBitPackedEncoder enc(bw);
    for (uint32_t x : indices_) enc.Put(x);
    enc.Finish(&body);
  } else if (spec_.physical == Type::kBoolean) {
    size_t nbytes = (plain_.size() + 7) / 8;
    size_t at = body.size();
    body.resize(at + nbytes, 0);
    for (size_t i = 0; i < plain_.size(); i++)
      if (plain_[i]) body[at + (i >> 3)] = char(uint8_t(body[at + (i >> 3)]) | (1u << (i & 7)));
  } else {
    body += plain_;
  }
  PageHeader h;
  compressed_.clear();
  if (!v2) {
    ALOPEX_RETURN_IF_ERROR(Compress(settings_.codec, settings_.level, reinterpret_cast<const uint8_t*>(body.data()),
                                    body.size(), &compressed_));
    h.type = int32_t(PageType::kDataPage);
    h.uncompressed_page_size = int32_t(body.size());
    h.compressed_page_size = int32_t(compressed_.size());
    DataPageHeader d;
    d.num_values = int32_t(page_entries_);
    d.encoding = int32_t(dict_page ? Encoding::kRleDictionary : Encoding::kPlain);
    d.definition_level_encoding = int32_t(Encoding::kRle);
    d.repetition_level_encoding = int32_t(Encoding::kRle);
    h.data_page_header = d;
  } else {
    compressed_ = rep_bytes + def_bytes;
    ALOPEX_RETURN_IF_ERROR(Compress(settings_.codec, settings_.level,
                                    reinterpret_cast<const uint8_t*>(body.data()) + values_start,
                                    body.size() - values_start, &compressed_));
    h.type = int32_t(PageType::kDataPageV2);
    h.uncompressed_page_size = int32_t(rep_bytes.size() + def_bytes.size() + body.size() - values_start);
    h.compressed_page_size = int32_t(compressed_.size());
    DataPageHeaderV2 d;
    d.num_values = int32_t(page_entries_);
    d.num_nulls = int32_t(page_nulls_);
    d.num_rows = int32_t(page_rows_);
    d.encoding = int32_t(dict_page ? Encoding::kRleDictionary : Encoding::kPlain);
    d.definition_levels_byte_length = int32_t(def_bytes.size());
    d.repetition_levels_byte_length = int32_t(rep_bytes.size());
    d.is_compressed = true;
    h.data_page_header_v2 = d;
  }
  std::string hdr;
  EncodePageHeader(h, &hdr);
  PageRecord rec;
  rec.offset_in_data = data_size_;
  rec.size = int32_t(hdr.size() + compressed_.size());
  rec.first_row = chunk_rows_;
  rec.null_count = page_nulls_;
  rec.all_null = page_values_ == 0;
  if (page_stats_.has) {
    auto mn = EncodeMin(page_stats_), mx = EncodeMax(page_stats_);
    if (mn && mx) {
      if (page_stats_.kind == TypedStats::kBytes) {
        rec.min = TruncateMin(*mn);
        rec.max = TruncateMax(*mx);
      } else {
        rec.min = mn;
        rec.max = mx;
      }
    }
  }
  pages_.push_back(std::move(rec));
  hdr += compressed_;
  data_size_ += hdr.size();
  data_pages_.push_back(std::move(hdr));
  total_uncompressed_ += hdr.size() + uint64_t(h.uncompressed_page_size);
  chunk_stats_.Merge(page_stats_);
  chunk_rows_ += page_rows_;
  chunk_entries_ += page_entries_;
  if (dict_page) {
    dict_data_pages_++;
    dict_used_ = true;
  } else {
    plain_data_pages_++;
  }
  defs_.clear();
  reps_.clear();
  plain_.clear();
  indices_.clear();
  page_entries_ = page_rows_ = page_nulls_ = page_values_ = 0;
  page_stats_.Reset();
  if (dict_mode_ && dict_plain_.size() > kMaxDictionaryBytes) FallBackToPlain(false);
  return Status::OK();
}

Status ColumnChunkWriter::WriteDictionaryPage() {
  compressed_.clear();
  ALOPEX_RETURN_IF_ERROR(Compress(settings_.codec, settings_.level, reinterpret_cast<const uint8_t*>(dict_plain_.data()),
                                  dict_plain_.size(), &compressed_));
  PageHeader h;
  h.type = int32_t(PageType::kDictionaryPage);
  h.uncompressed_page_size = int32_t(dict_plain_.size());
  h.compressed_page_size = int32_t(compressed_.size());
  DictionaryPageHeader d;
  d.num_values = int32_t(dict_count_);
  d.encoding = int32_t(Encoding::kPlain);
  h.dictionary_page_header = d;
  dict_page_.clear();
  EncodePageHeader(h, &dict_page_);
  dict_page_uncompressed_ = dict_page_.size() + dict_plain_.size();
  dict_page_ += compressed_;
  return Status::OK();
}

Status ColumnChunkWriter::Finish() {
  ALOPEX_RETURN_IF_ERROR(FlushPage());
  ALOPEX_RETURN_IF_ERROR(CompletePages(0));
  if (dict_used_) ALOPEX_RETURN_IF_ERROR(WriteDictionaryPage());
  dict_fixed_.clear();
  dict_bytes_.clear();
  dict_storage_.clear();
  return Status::OK();
}

std::optional<std::string> ColumnChunkWriter::EncodeMin(const TypedStats& s) const {
  if (!s.has) return std::nullopt;
  std::string out;
  switch (s.kind) {
    case TypedStats::kSigned:
    case TypedStats::kBool:
      if (spec_.physical == Type::kInt32) {
        int32_t v = int32_t(s.imin);
        out.assign(reinterpret_cast<const char*>(&v), 4);
      } else if (spec_.physical == Type::kBoolean) {
        out.push_back(char(s.imin != 0));
      } else {
        out.assign(reinterpret_cast<const char*>(&s.imin), 8);
      }
      return out;
    case TypedStats::kUnsigned:
      if (spec_.physical == Type::kInt32) {
        uint32_t v = uint32_t(s.umin);
        out.assign(reinterpret_cast<const char*>(&v), 4);
      } else {
        out.assign(reinterpret_cast<const char*>(&s.umin), 8);
      }
      return out;
    case TypedStats::kFloat: {
      double d = s.dmin == 0 ? -0.0 : s.dmin;
      if (spec_.physical == Type::kFloat) {
        float f = float(d);
        out.assign(reinterpret_cast<const char*>(&f), 4);
      } else {
        out.assign(reinterpret_cast<const char*>(&d), 8);
      }
      return out;
    }
    case TypedStats::kBytes:
      return s.smin;
    case TypedStats::kInt128: {
      size_t w = size_t(spec_.type_length);
      for (size_t k = 0; k < w; k++) out.push_back(char(uint8_t((unsigned __int128)s.xmin >> (8 * (w - 1 - k)))));
      return out;
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> ColumnChunkWriter::EncodeMax(const TypedStats& s) const {
  if (!s.has) return std::nullopt;
  TypedStats t = s;
  t.imin = s.imax;
  t.umin = s.umax;
  t.dmin = s.dmax;
  t.smin = s.smax;
  t.xmin = s.xmax;
  if (s.kind == TypedStats::kFloat && s.dmax == 0) {
    std::string out;
    if (spec_.physical == Type::kFloat) {
      float f = 0.0f;
      out.assign(reinterpret_cast<const char*>(&f), 4);
    } else {
      double d = 0.0;
      out.assign(reinterpret_cast<const char*>(&d), 8);
    }
    return out;
  }
  return EncodeMin(t);
}

namespace {

std::optional<Value> SignedValue(const LogicalType& t, int64_t v) {
  switch (t.id()) {
    case TypeId::kBoolean: return Value::Boolean(v != 0);
    case TypeId::kTinyInt: return Value::TinyInt(int8_t(v));
    case TypeId::kSmallInt: return Value::SmallInt(int16_t(v));
    case TypeId::kInteger: return Value::Integer(int32_t(v));
    case TypeId::kBigInt: return Value::BigInt(v);
    case TypeId::kDate: return Value::Date(int32_t(v));
    case TypeId::kTime: return Value::Time(v);
    case TypeId::kTimestamp: return Value::Timestamp(v);
    case TypeId::kTimestampTz: return Value::TimestampTz(v);
    case TypeId::kDecimal: return Value::Decimal(v, t.width(), t.scale());
    default: return std::nullopt;
  }
}

std::optional<Value> TypedValue(const LogicalType& t, const TypedStats& s, bool max) {
  if (!s.has) return std::nullopt;
  switch (s.kind) {
    case TypedStats::kSigned:
    case TypedStats::kBool: return SignedValue(t, max ? s.imax : s.imin);
    case TypedStats::kUnsigned: {
      uint64_t v = max ? s.umax : s.umin;
      switch (t.id()) {
        case TypeId::kUTinyInt: return Value::UTinyInt(uint8_t(v));
        case TypeId::kUSmallInt: return Value::USmallInt(uint16_t(v));
        case TypeId::kUInteger: return Value::UInteger(uint32_t(v));
        case TypeId::kUBigInt: return Value::UBigInt(v);
        default: return std::nullopt;
      }
    }
    case TypedStats::kFloat: {
      double v = max ? s.dmax : s.dmin;
      if (t.id() == TypeId::kDouble) return Value::Double(v);
      return Value::Float(float(v));
    }
    case TypedStats::kBytes: {
      const std::string& v = max ? s.smax : s.smin;
      switch (t.id()) {
        case TypeId::kVarchar: return Value::Varchar(v);
        case TypeId::kJson: return Value::Json(v);
        case TypeId::kBlob: return Value::Blob(v);
        case TypeId::kUuid: {
          if (v.size() != 16) return std::nullopt;
          uint64_t hi = 0, lo = 0;
          for (int k = 0; k < 8; k++) hi = (hi << 8) | uint8_t(v[size_t(k)]);
          for (int k = 8; k < 16; k++) lo = (lo << 8) | uint8_t(v[size_t(k)]);
          return Value::FromUuid(Uuid{hi, lo});
        }
        default: return std::nullopt;
      }
    }
    case TypedStats::kInt128:
      return Value::Decimal(max ? s.xmax : s.xmin, t.width(), t.scale());
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<Value> ColumnChunkWriter::MinValue(const TypedStats& s) const { return TypedValue(spec_.source_type, s, false); }
std::optional<Value> ColumnChunkWriter::MaxValue(const TypedStats& s) const { return TypedValue(spec_.source_type, s, true); }

void ColumnChunkWriter::FillMetadata(uint64_t chunk_start, ColumnMetaData* md) const {
  md->type = spec_.physical;
  md->encodings.clear();
  if (dict_used_) md->encodings.push_back(int32_t(Encoding::kPlain));
  md->encodings.push_back(int32_t(Encoding::kRle));
  if (dict_used_) md->encodings.push_back(int32_t(Encoding::kRleDictionary));
  if (plain_data_pages_ > 0 && !dict_used_) md->encodings.push_back(int32_t(Encoding::kPlain));
  else if (plain_data_pages_ > 0 && std::find(md->encodings.begin(), md->encodings.end(), 0) == md->encodings.end())
    md->encodings.push_back(int32_t(Encoding::kPlain));
  md->path_in_schema = spec_.path;
  md->codec = int32_t(settings_.codec);
  md->num_values = chunk_entries_;
  md->total_uncompressed_size = int64_t(total_uncompressed_ + dict_page_uncompressed_);
  md->total_compressed_size = int64_t(dict_page_.size() + data_size_);
  md->data_page_offset = int64_t(chunk_start + dict_page_.size());
  if (dict_used_) md->dictionary_page_offset = int64_t(chunk_start);
  if (settings_.statistics) {
    Statistics& st = md->statistics;
    st.is_set = true;
    st.null_count = chunk_stats_.nulls;
    auto mn = EncodeMin(chunk_stats_), mx = EncodeMax(chunk_stats_);
    if (mn && mx) {
      if (chunk_stats_.kind == TypedStats::kBytes && (mn->size() > kMaxStatBytes || mx->size() > kMaxStatBytes)) {
        auto tmax = TruncateMax(*mx);
        if (tmax) {
          st.min_value = TruncateMin(*mn);
          st.max_value = *tmax;
          st.is_min_value_exact = false;
          st.is_max_value_exact = false;
        }
      } else {
        st.min_value = mn;
        st.max_value = mx;
        bool signed_order = chunk_stats_.kind == TypedStats::kSigned || chunk_stats_.kind == TypedStats::kFloat ||
                            chunk_stats_.kind == TypedStats::kBool;
        if (signed_order) {
          st.min = mn;
          st.max = mx;
        }
      }
    }
  }
  int32_t data_type = settings_.data_page_version == 2 ? int32_t(PageType::kDataPageV2) : int32_t(PageType::kDataPage);
  if (dict_used_) {
    md->encoding_stats.push_back({int32_t(PageType::kDictionaryPage), int32_t(Encoding::kPlain), 1});
    md->encoding_stats.push_back({data_type, int32_t(Encoding::kRleDictionary), dict_data_pages_});
  }
  if (plain_data_pages_ > 0) md->encoding_stats.push_back({data_type, int32_t(Encoding::kPlain), plain_data_pages_});
}

// ---------------------------------------------------------------- WriterColumn

namespace {

struct SchemaBuilder {
  const WriterSettings& settings;
  WriterColumn* col;
  std::vector<SchemaElement>* out;

  Status Leaf(const std::string& name, const LogicalType& t, int def, int rep, bool required,
              std::vector<std::string> path, WriterColumn::Node* node) {
    SchemaElement e;
    e.name = name;
    e.repetition_type = required ? Repetition::kRequired : Repetition::kOptional;
    LeafSpec spec;
    spec.source_type = t;
    auto integer = [&](Type pt, int bits, bool is_signed, ConvertedType ct) {
      e.type = pt;
      e.logical_type.kind = LogicalTypeInfo::kInteger;
      e.logical_type.bit_width = bits;
      e.logical_type.is_signed = is_signed;
      e.converted_type = ct;
      spec.stats_kind = is_signed ? TypedStats::kSigned : TypedStats::kUnsigned;
    };
    switch (t.id()) {
      case TypeId::kBoolean: e.type = Type::kBoolean; spec.stats_kind = TypedStats::kBool; break;
      case TypeId::kTinyInt: integer(Type::kInt32, 8, true, ConvertedType::kInt8); break;
      case TypeId::kSmallInt: integer(Type::kInt32, 16, true, ConvertedType::kInt16); break;
      case TypeId::kInteger: e.type = Type::kInt32; spec.stats_kind = TypedStats::kSigned; break;
      case TypeId::kBigInt: e.type = Type::kInt64; spec.stats_kind = TypedStats::kSigned; break;
      case TypeId::kUTinyInt: integer(Type::kInt32, 8, false, ConvertedType::kUint8); break;
      case TypeId::kUSmallInt: integer(Type::kInt32, 16, false, ConvertedType::kUint16); break;
      case TypeId::kUInteger: integer(Type::kInt32, 32, false, ConvertedType::kUint32); break;
      case TypeId::kUBigInt: integer(Type::kInt64, 64, false, ConvertedType::kUint64); break;
      case TypeId::kFloat: e.type = Type::kFloat; spec.stats_kind = TypedStats::kFloat; break;
      case TypeId::kDouble: e.type = Type::kDouble; spec.stats_kind = TypedStats::kFloat; break;
      case TypeId::kDecimal: {
        int p = t.width(), s = t.scale();
        if (p < 1 || p > 38) return Status::NotImplemented("DECIMAL(" + std::to_string(p) + ") cannot be written to Parquet");
        if (p <= 9) {
          e.type = Type::kInt32;
          spec.stats_kind = TypedStats::kSigned;
        } else if (p <= 18) {
          e.type = Type::kInt64;
          spec.stats_kind = TypedStats::kSigned;
        } else {
          e.type = Type::kFixedLenByteArray;
          e.type_length = DecimalBytes(p);
          spec.stats_kind = TypedStats::kInt128;
        }
        e.converted_type = ConvertedType::kDecimal;
        e.logical_type.kind = LogicalTypeInfo::kDecimal;
        e.logical_type.precision = p;
        e.logical_type.scale = s;
        e.precision = p;
        e.scale = s;
        break;
      }
      case TypeId::kVarchar:
        e.type = Type::kByteArray;
        e.converted_type = ConvertedType::kUtf8;
        e.logical_type.kind = LogicalTypeInfo::kString;
        spec.stats_kind = TypedStats::kBytes;
        break;
      case TypeId::kBlob: e.type = Type::kByteArray; spec.stats_kind = TypedStats::kBytes; break;
      case TypeId::kJson:
        e.type = Type::kByteArray;
        e.converted_type = ConvertedType::kJson;
        e.logical_type.kind = LogicalTypeInfo::kJson;
        spec.stats_kind = TypedStats::kBytes;
        break;
      case TypeId::kDate:
        e.type = Type::kInt32;
        e.converted_type = ConvertedType::kDate;
        e.logical_type.kind = LogicalTypeInfo::kDate;
        spec.stats_kind = TypedStats::kSigned;
        break;
      case TypeId::kTime:
        e.type = Type::kInt64;
        e.converted_type = ConvertedType::kTimeMicros;
        e.logical_type.kind = LogicalTypeInfo::kTime;
        e.logical_type.unit = 2;
        spec.stats_kind = TypedStats::kSigned;
        break;
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz:
        e.type = Type::kInt64;
        e.converted_type = ConvertedType::kTimestampMicros;
        e.logical_type.kind = LogicalTypeInfo::kTimestamp;
        e.logical_type.is_adjusted_to_utc = t.id() == TypeId::kTimestampTz;
        e.logical_type.unit = 2;
        spec.stats_kind = TypedStats::kSigned;
        break;
      case TypeId::kInterval:
        e.type = Type::kFixedLenByteArray;
        e.type_length = 12;
        e.converted_type = ConvertedType::kInterval;
        spec.stats_kind = TypedStats::kNone;
        break;
      case TypeId::kUuid:
        e.type = Type::kFixedLenByteArray;
        e.type_length = 16;
        e.logical_type.kind = LogicalTypeInfo::kUuid;
        spec.stats_kind = TypedStats::kBytes;
        break;
      case TypeId::kNull:
        e.type = Type::kInt32;
        e.logical_type.kind = LogicalTypeInfo::kUnknown;
        spec.stats_kind = TypedStats::kNone;
        break;
      default:
        return Status::NotImplemented("type " + t.ToString() + " cannot be written to Parquet");
    }
    path.push_back(name);
    spec.path = std::move(path);
    spec.physical = *e.type;
    spec.type_length = e.type_length.value_or(0);
    spec.max_def = def;
    spec.max_rep = rep;
    spec.dictionary = !(t.id() == TypeId::kFloat || t.id() == TypeId::kDouble || t.id() == TypeId::kBoolean);
    node->kind = WriterColumn::Node::kLeaf;
    node->type = t;
    node->def = def;
    node->leaf = int(col->leaves.size());
    col->leaves.push_back(std::make_unique<ColumnChunkWriter>(std::move(spec), settings));
    out->push_back(std::move(e));
    return Status::OK();
  }

  Status Build(const std::string& name, const LogicalType& t, int parent_def, int parent_rep, bool required,
               std::vector<std::string> path, WriterColumn::Node* node) {
    if (path.size() > 60) return Status::NotImplemented("type nested too deeply for Parquet");
    path.push_back(name);
    int def = parent_def + (required ? 0 : 1);
    node->type = t;
    node->def = def;
    SchemaElement g;
    g.name = name;
    g.repetition_type = required ? Repetition::kRequired : Repetition::kOptional;
    switch (t.id()) {
      case TypeId::kList:
      case TypeId::kVector: {
        bool vec = t.id() == TypeId::kVector;
        g.num_children = 1;
        g.converted_type = ConvertedType::kList;
        g.logical_type.kind = LogicalTypeInfo::kList;
        out->push_back(g);
        SchemaElement r;
        r.name = "list";
        r.repetition_type = Repetition::kRepeated;
        r.num_children = 1;
        out->push_back(r);
        node->kind = vec ? WriterColumn::Node::kVector : WriterColumn::Node::kList;
        node->rep = parent_rep + 1;
        node->children.resize(1);
        path.push_back("list");
        if (vec)
          return Leaf("element", TypeId::kFloat, def + 1, parent_rep + 1, true, path, &node->children[0]);
        return Build("element", t.child(), def + 1, parent_rep + 1, false, path, &node->children[0]);
      }
      case TypeId::kMap: {
        g.num_children = 1;
        g.converted_type = ConvertedType::kMap;
        g.logical_type.kind = LogicalTypeInfo::kMap;
        out->push_back(g);
        SchemaElement kv;
        kv.name = "key_value";
        kv.repetition_type = Repetition::kRepeated;
        kv.num_children = 2;
        out->push_back(kv);
        node->kind = WriterColumn::Node::kMap;
        node->rep = parent_rep + 1;
        node->children.resize(1);
        WriterColumn::Node& entry = node->children[0];
        entry.kind = WriterColumn::Node::kStruct;
        entry.type = LogicalType::Struct({{"key", t.key_type()}, {"value", t.value_type()}});
        entry.def = def + 1;
        entry.children.resize(2);
        path.push_back("key_value");
        ALOPEX_RETURN_IF_ERROR(Build("key", t.key_type(), def + 1, parent_rep + 1, true, path, &entry.children[0]));
        return Build("value", t.value_type(), def + 1, parent_rep + 1, false, path, &entry.children[1]);
      }
      case TypeId::kStruct: {
        if (t.fields().empty()) return Status::NotImplemented("an empty STRUCT cannot be written to Parquet");
        g.num_children = int32_t(t.fields().size());
        out->push_back(g);
        node->kind = WriterColumn::Node::kStruct;
        node->children.resize(t.fields().size());
        for (size_t i = 0; i < t.fields().size(); i++)
          ALOPEX_RETURN_IF_ERROR(Build(t.fields()[i].name, *t.fields()[i].type, def, parent_rep, false, path,
                                       &node->children[i]));
        return Status::OK();
      }
      default:
        path.pop_back();
        return Leaf(name, t, def, parent_rep, required, path, node);
    }
  }
};

}  // namespace

Status WriterColumn::Build(const std::string& name, const LogicalType& type, const WriterSettings& settings,
                           WriterColumn* col, std::vector<SchemaElement>* out) {
  col->name = name;
  col->type = type;
  SchemaBuilder b{settings, col, out};
  return b.Build(name, type, 0, 0, false, {}, &col->root);
}

void WriterColumn::Shred(const Node& node, const Column& col, const std::vector<Slot>& slots,
                         std::vector<LeafBuf>& bufs) {
  switch (node.kind) {
    case Node::kLeaf: {
      LeafBuf& b = bufs[size_t(node.leaf)];
      b.src = &col;
      for (const Slot& s : slots) {
        b.rep.push_back(s.rep);
        if (s.row >= 0 && col.IsValid(size_t(s.row))) {
          b.def.push_back(uint8_t(node.def));
          b.rows.push_back(uint32_t(s.row));
        } else {
          b.def.push_back(s.def);
        }
      }
      return;
    }
    case Node::kStruct: {
      std::vector<Slot> child;
      child.reserve(slots.size());
      for (const Slot& s : slots) {
        if (s.row >= 0 && (col.IsValid(size_t(s.row)) || s.def == node.def))
          child.push_back({s.row, uint8_t(node.def), s.rep});
        else
          child.push_back({-1, s.def, s.rep});
      }
      for (size_t k = 0; k < node.children.size(); k++) Shred(node.children[k], col.child(k), child, bufs);
      return;
    }
    case Node::kList:
    case Node::kMap: {
      std::vector<Slot> child;
      child.reserve(slots.size());
      const ListEntry* le = col.list_entries();
      for (const Slot& s : slots) {
        if (s.row < 0 || col.IsNull(size_t(s.row))) {
          child.push_back({-1, s.def, s.rep});
          continue;
        }
        const ListEntry& e = le[s.row];
        if (e.length == 0) {
          child.push_back({-1, uint8_t(node.def), s.rep});
          continue;
        }
        for (uint64_t k = 0; k < e.length; k++)
          child.push_back({int64_t(e.offset + k), uint8_t(node.def + 1), k == 0 ? s.rep : uint8_t(node.rep)});
      }
      Shred(node.children[0], col.child(0), child, bufs);
      return;
    }
    case Node::kVector: {
      LeafBuf& b = bufs[size_t(node.children[0].leaf)];
      b.src = &col;
      size_t dim = size_t(col.type().dimension());
      for (const Slot& s : slots) {
        if (s.row < 0 || col.IsNull(size_t(s.row))) {
          b.def.push_back(s.def);
          b.rep.push_back(s.rep);
          continue;
        }
        if (dim == 0) {
          b.def.push_back(uint8_t(node.def));
          b.rep.push_back(s.rep);
          continue;
        }
        for (size_t k = 0; k < dim; k++) {
          b.def.push_back(uint8_t(node.def + 1));
          b.rep.push_back(k == 0 ? s.rep : uint8_t(node.rep));
          b.rows.push_back(uint32_t(size_t(s.row) * dim + k));
        }
      }
      return;
    }
  }
}

Status WriterColumn::Write(const Column& c, size_t offset, size_t count) {
  if (root.kind == Node::kVector) return leaves[0]->WriteVectors(c, offset, count);
  if (root.kind == Node::kList && root.children[0].kind == Node::kLeaf && !c.child(0).MayHaveNulls()) {
    // list<float|double> without NULL elements (embeddings): no per-value shredding.
    const LeafSpec& spec = leaves[0]->spec();
    TypeId t = c.child(0).type().id();
    if (t == TypeId::kFloat && spec.physical == Type::kFloat)
      return leaves[0]->WriteFloatLists<float>(c, offset, count, uint8_t(root.def));
    if (t == TypeId::kDouble && spec.physical == Type::kDouble)
      return leaves[0]->WriteFloatLists<double>(c, offset, count, uint8_t(root.def));
  }
  if (root.kind == Node::kLeaf) {
    bufs_.resize(1);
    LeafBuf& lb = bufs_[0];
    lb.def.resize(count);
    lb.rows.clear();
    for (size_t i = 0; i < count; i++) {
      bool valid = c.IsValid(offset + i);
      lb.def[i] = valid;
      if (valid) lb.rows.push_back(uint32_t(offset + i));
    }
    return leaves[0]->Write(lb.def.data(), nullptr, count, c, lb.rows.data(), lb.rows.size());
  }
  bufs_.assign(leaves.size(), LeafBuf{});
  std::vector<Slot> slots(count);
  for (size_t i = 0; i < count; i++) slots[i] = {int64_t(offset + i), 0, 0};
  Shred(root, c, slots, bufs_);
  for (size_t l = 0; l < leaves.size(); l++) {
    LeafBuf& b = bufs_[l];
    const Column& src = b.src ? *b.src : c;
    ALOPEX_RETURN_IF_ERROR(leaves[l]->Write(b.def.data(), leaves[l]->spec().max_rep > 0 ? b.rep.data() : nullptr,
                                            b.def.size(), src, b.rows.data(), b.rows.size()));
  }
  return Status::OK();
}

}  // namespace alopex::parquet
