#include "formats/parquet/column_reader.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "formats/parquet/compression.h"

using u128 = unsigned __int128;

namespace alopex::parquet {

namespace {

// A page may hold at most this many level entries; bounds the level buffers a
// hostile header could make us allocate.
constexpr size_t kMaxPageEntries = size_t(1) << 27;
// Pages above this size must also have a plausible compression ratio.
constexpr size_t kLargePage = size_t(64) << 20;
constexpr size_t kMaxCompressionRatio = 2048;
constexpr size_t kMaxDeltaBytes = size_t(1) << 30;
// Bytes of a column chunk read at a time (more when a page is larger).
constexpr size_t kWindowBytes = size_t(1) << 20;

inline int32_t Load32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline int64_t Load64s(const uint8_t* p) {
  int64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint32_t LoadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Levels run to billions of bytes for embedding columns: eight at a time.
size_t CountEqual(const uint8_t* p, size_t n, uint8_t v) {
  constexpr uint64_t kLow7 = 0x7f7f7f7f7f7f7f7fULL;
  const uint64_t pattern = uint64_t(v) * 0x0101010101010101ULL;
  size_t c = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    uint64_t x = w ^ pattern;  // zero bytes where equal
    uint64_t t = ~(((x & kLow7) + kLow7) | x | kLow7);
    c += size_t(__builtin_popcountll(t));
  }
  for (; i < n; i++) c += p[i] == v;
  return c;
}

float HalfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h >> 15) << 31;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {
      // Subnormal: normalize.
      int e = -1;
      do {
        e++;
        mant <<= 1;
      } while (!(mant & 0x400));
      mant &= 0x3ff;
      bits = sign | (uint32_t(127 - 15 - e) << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

// Big-endian two's complement of `n` (<= 16) bytes, sign-extended.
int128_t BigEndianToInt128(const uint8_t* p, size_t n) {
  if (n == 0) return 0;
  u128 u = (p[0] & 0x80) ? ~u128(0) : 0;
  for (size_t i = 0; i < n; i++) u = (u << 8) | p[i];
  return int128_t(u);
}

template <size_t W>
void SpreadFixed(uint8_t* base, const uint8_t* def, size_t k, size_t nn, uint8_t max_def) {
  size_t j = nn;
  for (size_t i = k; i-- > 0;) {
    if (def[i] == max_def) {
      --j;
      if (j != i) std::memcpy(base + i * W, base + j * W, W);
    } else {
      std::memset(base + i * W, 0, W);
    }
  }
}

void SpreadAny(uint8_t* base, size_t w, const uint8_t* def, size_t k, size_t nn, uint8_t max_def) {
  switch (w) {
    case 1: SpreadFixed<1>(base, def, k, nn, max_def); return;
    case 2: SpreadFixed<2>(base, def, k, nn, max_def); return;
    case 4: SpreadFixed<4>(base, def, k, nn, max_def); return;
    case 8: SpreadFixed<8>(base, def, k, nn, max_def); return;
    case 16: SpreadFixed<16>(base, def, k, nn, max_def); return;
  }
  size_t j = nn;
  for (size_t i = k; i-- > 0;) {
    if (def[i] == max_def) {
      --j;
      if (j != i) std::memmove(base + i * w, base + j * w, w);
    } else {
      std::memset(base + i * w, 0, w);
    }
  }
}

// Page buffers (read windows, decompressed pages, levels) outlive the readers
// of one row group: the thread's next row group takes them back instead of
// faulting in fresh memory. Writers such as DuckDB put up to ~100 MB in one
// page of a list column, so these buffers are large; the cache keeps at most
// kCacheBytes per thread.
class PageBufferCache {
 public:
  static PageBufferCache& ForThread() {
    static thread_local PageBufferCache cache;
    return cache;
  }
  // A buffer of at least `min` bytes (*size set to its size).
  std::unique_ptr<uint8_t[]> Take(size_t min, size_t* size) {
    size_t best = buffers_.size();
    for (size_t i = 0; i < buffers_.size(); i++)
      if (buffers_[i].size >= min && (best == buffers_.size() || buffers_[i].size < buffers_[best].size)) best = i;
    if (best == buffers_.size()) {
      *size = min;
      return std::unique_ptr<uint8_t[]>(new uint8_t[std::max<size_t>(min, 1)]);
    }
    Buffer b = std::move(buffers_[best]);
    buffers_.erase(buffers_.begin() + ptrdiff_t(best));
    bytes_ -= b.size;
    *size = b.size;
    return std::move(b.data);
  }
  void Give(std::unique_ptr<uint8_t[]> data, size_t size) {
    if (!data || size > kCacheBytes) return;
    buffers_.push_back({std::move(data), size});
    bytes_ += size;
    // Over budget: drop the smallest first.
    while (bytes_ > kCacheBytes) {
      size_t small = 0;
      for (size_t i = 1; i < buffers_.size(); i++)
        if (buffers_[i].size < buffers_[small].size) small = i;
      bytes_ -= buffers_[small].size;
      buffers_.erase(buffers_.begin() + ptrdiff_t(small));
    }
  }
  std::vector<uint8_t> TakeLevels() {
    if (levels_.empty()) return {};
    std::vector<uint8_t> v = std::move(levels_.back());
    levels_.pop_back();
    level_bytes_ -= v.capacity();
    return v;
  }
  void GiveLevels(std::vector<uint8_t> v) {
    if (v.capacity() == 0 || level_bytes_ + v.capacity() > kCacheBytes / 2) return;
    level_bytes_ += v.capacity();
    levels_.push_back(std::move(v));
  }

 private:
  static constexpr size_t kCacheBytes = size_t(512) << 20;
  struct Buffer {
    std::unique_ptr<uint8_t[]> data;
    size_t size;
  };
  std::vector<Buffer> buffers_;
  size_t bytes_ = 0;
  std::vector<std::vector<uint8_t>> levels_;
  size_t level_bytes_ = 0;
};

int PhysicalWidth(const LeafInfo& leaf) {
  switch (leaf.physical) {
    case Type::kInt32:
    case Type::kFloat: return 4;
    case Type::kInt64:
    case Type::kDouble: return 8;
    case Type::kInt96: return 12;
    case Type::kFixedLenByteArray: return leaf.type_length;
    default: return 0;
  }
}

}  // namespace

ParquetColumnReader::ParquetColumnReader(const LeafInfo& leaf, const ColumnMetaData& meta,
                                         const RandomAccessFile* file, uint64_t chunk_offset, size_t chunk_size,
                                         size_t readable_size, std::string context)
    : leaf_(leaf),
      meta_(meta),
      codec_(Codec(meta.codec)),
      file_(file),
      chunk_offset_(chunk_offset),
      chunk_size_(chunk_size),
      readable_size_(std::max(readable_size, chunk_size)),
      context_(std::move(context)) {
  phys_width_ = PhysicalWidth(leaf);
  out_width_ = PhysicalSize(leaf.type);
  string_output_ = leaf.type.IsString();
  PageBufferCache& cache = PageBufferCache::ForThread();
  if (leaf.max_def > 0) page_def_ = cache.TakeLevels();
  if (leaf.max_rep > 0) page_rep_ = cache.TakeLevels();
}

ParquetColumnReader::~ParquetColumnReader() {
  PageBufferCache& cache = PageBufferCache::ForThread();
  cache.Give(std::move(window_buf_), window_cap_);
  cache.Give(std::move(scratch_page_), scratch_page_size_);
  cache.GiveLevels(std::move(page_def_));
  cache.GiveLevels(std::move(page_rep_));
}

Status ParquetColumnReader::Error(const std::string& what) const { return Status::Corruption(context_ + ": " + what); }

bool ParquetColumnReader::exhausted() { return page_pos_ >= page_entries_ && pos_ >= chunk_size_; }

Status ParquetColumnReader::Window(size_t begin, size_t need, const uint8_t** p, size_t* avail) {
  if (begin >= win_begin_ && begin + need <= win_end_ && window_) {
    *p = window_ + (begin - win_begin_);
    *avail = win_end_ - begin;
    return Status::OK();
  }
  size_t len = std::min(readable_size_ - begin, std::max(need, kWindowBytes));
  uint8_t* dst;
  if (string_output_ && codec_ == Codec::kUncompressed) {
    std::unique_ptr<char[]> buf(new char[std::max<size_t>(len, 1)]);
    dst = reinterpret_cast<uint8_t*>(buf.get());
    auto heap = std::make_shared<StringHeap>();
    heap->Adopt(std::move(buf), len);
    window_holder_ = std::move(heap);
  } else {
    if (window_cap_ < len) {
      PageBufferCache& cache = PageBufferCache::ForThread();
      cache.Give(std::move(window_buf_), window_cap_);
      window_buf_ = cache.Take(len, &window_cap_);
    }
    dst = window_buf_.get();
  }
  window_ = nullptr;
  ALOPEX_RETURN_IF_ERROR(file_->ReadAt(chunk_offset_ + begin, len, dst));
  window_ = dst;
  win_begin_ = begin;
  win_end_ = begin + len;
  *p = dst;
  *avail = len;
  return Status::OK();
}

Status ParquetColumnReader::PageAt(size_t pos, PageHeader* h, const uint8_t** body, size_t* body_off) {
  // Headers are small but may carry statistics: try a little, then more.
  size_t left = readable_size_ - pos;
  size_t probe = std::min<size_t>(left, 4096);
  while (true) {
    const uint8_t* p;
    size_t avail;
    ALOPEX_RETURN_IF_ERROR(Window(pos, probe, &p, &avail));
    size_t hlen = 0;
    *h = PageHeader();
    Status st = DecodePageHeader(p, avail, chunk_offset_ + pos, h, &hlen);
    if (!st.ok()) {
      if (avail < left) {
        probe = std::min(left, std::max(probe, avail) * 4);
        continue;
      }
      return Status::Corruption(context_ + ": bad page header: " + st.message());
    }
    if (h->compressed_page_size < 0 || h->uncompressed_page_size < 0)
      return Error("negative page size at byte offset " + std::to_string(chunk_offset_ + pos));
    size_t boff = pos + hlen;
    size_t csize = size_t(h->compressed_page_size);
    if (boff > readable_size_ || csize > readable_size_ - boff)
      return Error("page of " + std::to_string(csize) + " bytes at byte offset " + std::to_string(chunk_offset_ + pos) +
                   " runs past the end of the column chunk");
    ALOPEX_RETURN_IF_ERROR(Window(boff, csize, body, &avail));
    *body_off = boff;
    return Status::OK();
  }
}

Status ParquetColumnReader::NextDataPage(bool* have_page) {
  *have_page = false;
  while (pos_ < chunk_size_) {
    PageHeader h;
    const uint8_t* body;
    size_t body_off;
    ALOPEX_RETURN_IF_ERROR(PageAt(pos_, &h, &body, &body_off));
    size_t csize = size_t(h.compressed_page_size);
    uint64_t page_offset = chunk_offset_ + pos_;
    pos_ = body_off + csize;
    switch (PageType(h.type)) {
      case PageType::kDictionaryPage:
        ALOPEX_RETURN_IF_ERROR(LoadDictionary(h, body, csize));
        continue;
      case PageType::kDataPage:
      case PageType::kDataPageV2:
        ALOPEX_RETURN_IF_ERROR(StartDataPage(h, body, csize, page_offset));
        if (page_entries_ == 0) continue;
        *have_page = true;
        return Status::OK();
      default:
        continue;  // index pages and unknown page types are skipped
    }
  }
  return Status::OK();
}

// Decompresses into a buffer that string values may point into (`keep`) or a reused scratch buffer.
static Status InflatePage(Codec codec, const uint8_t* src, size_t src_size, size_t dst_size, bool keep,
                          std::shared_ptr<StringHeap>* holder, std::unique_ptr<uint8_t[]>* scratch,
                          size_t* scratch_size, const uint8_t** out) {
  if (dst_size > kLargePage && dst_size / kMaxCompressionRatio > src_size)
    return Status::Corruption("page claims " + std::to_string(dst_size) + " uncompressed bytes from " +
                              std::to_string(src_size) + " compressed bytes");
  if (keep) {
    std::unique_ptr<char[]> buf(new char[std::max<size_t>(dst_size, 1)]);
    ALOPEX_RETURN_IF_ERROR(Decompress(codec, src, src_size, reinterpret_cast<uint8_t*>(buf.get()), dst_size));
    *out = reinterpret_cast<const uint8_t*>(buf.get());
    auto heap = std::make_shared<StringHeap>();
    heap->Adopt(std::move(buf), dst_size);
    *holder = std::move(heap);
    return Status::OK();
  }
  if (*scratch_size < dst_size) {
    PageBufferCache& cache = PageBufferCache::ForThread();
    cache.Give(std::move(*scratch), *scratch_size);
    *scratch = cache.Take(dst_size, scratch_size);
  }
  ALOPEX_RETURN_IF_ERROR(Decompress(codec, src, src_size, scratch->get(), dst_size));
  *out = scratch->get();
  return Status::OK();
}

Status ParquetColumnReader::LoadDictionary(const PageHeader& h, const uint8_t* body, size_t body_size) {
  if (!h.dictionary_page_header) return Error("dictionary page lacks its header");
  int32_t n = h.dictionary_page_header->num_values;
  if (n < 0) return Error("dictionary page has a negative value count (" + std::to_string(n) + ")");
  int32_t enc = h.dictionary_page_header->encoding;
  if (enc != int32_t(Encoding::kPlain) && enc != int32_t(Encoding::kPlainDictionary))
    return Error(std::string("dictionary page encoding ") + EncodingName(enc) + " is not supported");
  const uint8_t* data = body;
  size_t size = body_size;
  std::shared_ptr<StringHeap> holder = window_holder_;
  if (codec_ != Codec::kUncompressed) {
    size = size_t(h.uncompressed_page_size);
    std::unique_ptr<uint8_t[]> unused;
    size_t unused_size = 0;
    Status st = InflatePage(codec_, body, body_size, size, true, &holder, &unused, &unused_size, &data);
    if (!st.ok()) return Error("dictionary page: " + st.message());
  }
  // Every entry takes at least one bit (booleans) or one byte.
  if (uint64_t(n) > uint64_t(size) * 8 + 8) return Error("dictionary page claims " + std::to_string(n) + " values in " + std::to_string(size) + " bytes");
  dict_ = Column(leaf_.type);
  dict_.Resize(size_t(n));
  // Decode with the PLAIN decoder over the dictionary page.
  auto saved_holder = page_holder_;
  page_holder_ = holder;
  vdata_ = data;
  vsize_ = size;
  vpos_ = 0;
  Status st = DecodePlain(size_t(n), &dict_, 0);
  page_holder_ = saved_holder;
  vdata_ = nullptr;
  vsize_ = 0;
  page_entries_ = page_pos_ = 0;
  if (!st.ok()) return st;
  dict_size_ = size_t(n);
  has_dict_ = true;
  return Status::OK();
}

Status ParquetColumnReader::DecodeLevels(int32_t encoding, int max_level, const uint8_t* data, size_t size, size_t n,
                                         bool length_prefix, std::vector<uint8_t>* out, size_t* consumed) {
  const char* what = out == &page_def_ ? "definition" : "repetition";
  int bw = BitWidth(uint64_t(max_level));
  out->resize(n);
  if (encoding == int32_t(Encoding::kRle) || !length_prefix) {
    const uint8_t* p = data;
    size_t len = size;
    if (length_prefix) {
      if (size < 4) return Error(std::string("page ends inside its ") + what + " levels");
      len = LoadU32(data);
      if (len > size - 4) return Error(std::string(what) + " levels of " + std::to_string(len) + " bytes run past the page");
      p = data + 4;
      *consumed = 4 + len;
    } else {
      *consumed = size;
    }
    RleBitPackedDecoder dec(p, len, bw);
    if (!dec.Get(out->data(), n))
      return Error("page has fewer " + std::string(what) + " levels than its " + std::to_string(n) + " values");
  } else if (encoding == int32_t(Encoding::kBitPacked)) {
    size_t bytes = (n * size_t(bw) + 7) / 8;
    if (bytes > size) return Error(std::string("page ends inside its ") + what + " levels");
    DecodeBitPackedLegacy(data, size, bw, out->data(), n);
    *consumed = bytes;
  } else {
    return Error(std::string(what) + " level encoding " + EncodingName(encoding) + " is not supported");
  }
  uint8_t m = 0;
  // Decoded levels fit in bw bits: only a maximum below 2^bw - 1 can be exceeded.
  if ((uint32_t(1) << bw) - 1 > uint32_t(max_level))
    for (uint8_t v : *out) m = std::max(m, v);
  if (m > max_level)
    return Error(std::string(what) + " level " + std::to_string(m) + " exceeds the maximum " + std::to_string(max_level));
  return Status::OK();
}

Status ParquetColumnReader::StartDataPage(const PageHeader& h, const uint8_t* body, size_t body_size,
                                          uint64_t page_offset) {
  page_entries_ = page_pos_ = page_nonnull_ = values_read_ = 0;
  std::string where = " (page at byte offset " + std::to_string(page_offset) + ")";
  bool keep = string_output_;
  const uint8_t* vals = nullptr;
  size_t vals_size = 0;
  size_t n;
  if (PageType(h.type) == PageType::kDataPage) {
    if (!h.data_page_header) return Error("data page lacks its header" + where);
    const DataPageHeader& d = *h.data_page_header;
    if (d.num_values < 0) return Error("data page has a negative value count" + where);
    n = size_t(d.num_values);
    if (n > kMaxPageEntries || (meta_.num_values > 0 && int64_t(n) > meta_.num_values))
      return Error("data page claims " + std::to_string(n) + " values" + where);
    const uint8_t* data = body;
    size_t size = body_size;
    page_holder_ = window_holder_;
    if (codec_ != Codec::kUncompressed) {
      size = size_t(h.uncompressed_page_size);
      Status st = InflatePage(codec_, body, body_size, size, keep, &page_holder_, &scratch_page_, &scratch_page_size_, &data);
      if (!st.ok()) return Error(st.message() + where);
    }
    size_t used = 0;
    if (leaf_.max_rep > 0) {
      ALOPEX_RETURN_IF_ERROR(
          DecodeLevels(d.repetition_level_encoding, leaf_.max_rep, data, size, n, true, &page_rep_, &used));
      data += used;
      size -= used;
    }
    if (leaf_.max_def > 0) {
      ALOPEX_RETURN_IF_ERROR(
          DecodeLevels(d.definition_level_encoding, leaf_.max_def, data, size, n, true, &page_def_, &used));
      data += used;
      size -= used;
    }
    vals = data;
    vals_size = size;
    encoding_ = d.encoding;
  } else {
    if (!h.data_page_header_v2) return Error("data page v2 lacks its header" + where);
    const DataPageHeaderV2& d = *h.data_page_header_v2;
    if (d.num_values < 0 || d.num_nulls < 0 || d.repetition_levels_byte_length < 0 ||
        d.definition_levels_byte_length < 0)
      return Error("data page v2 has negative counts" + where);
    n = size_t(d.num_values);
    if (n > kMaxPageEntries || (meta_.num_values > 0 && int64_t(n) > meta_.num_values))
      return Error("data page claims " + std::to_string(n) + " values" + where);
    size_t rl = size_t(d.repetition_levels_byte_length), dl = size_t(d.definition_levels_byte_length);
    if (rl + dl > body_size || rl + dl > size_t(h.uncompressed_page_size))
      return Error("data page v2 levels exceed the page" + where);
    size_t used;
    if (leaf_.max_rep > 0)
      ALOPEX_RETURN_IF_ERROR(DecodeLevels(int32_t(Encoding::kRle), leaf_.max_rep, body, rl, n, false, &page_rep_, &used));
    if (leaf_.max_def > 0)
      ALOPEX_RETURN_IF_ERROR(
          DecodeLevels(int32_t(Encoding::kRle), leaf_.max_def, body + rl, dl, n, false, &page_def_, &used));
    const uint8_t* src = body + rl + dl;
    size_t src_size = body_size - rl - dl;
    size_t dst_size = size_t(h.uncompressed_page_size) - rl - dl;
    page_holder_ = window_holder_;
    if (d.is_compressed && codec_ != Codec::kUncompressed && src_size > 0) {
      Status st = InflatePage(codec_, src, src_size, dst_size, keep, &page_holder_, &scratch_page_, &scratch_page_size_, &vals);
      if (!st.ok()) return Error(st.message() + where);
      vals_size = dst_size;
    } else {
      vals = src;
      vals_size = src_size;
    }
    encoding_ = d.encoding;
  }
  page_entries_ = n;
  page_nonnull_ = leaf_.max_def > 0 ? CountEqual(page_def_.data(), n, uint8_t(leaf_.max_def)) : n;
  vdata_ = vals;
  vsize_ = vals_size;
  vpos_ = 0;
  Status st = InitValueDecoder();
  if (!st.ok()) return Status(st.code(), st.message() + where);
  return Status::OK();
}

Status ParquetColumnReader::InitValueDecoder() {
  if (page_nonnull_ == 0) return Status::OK();
  switch (Encoding(encoding_)) {
    case Encoding::kPlain:
      return Status::OK();
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary: {
      if (!has_dict_) return Error("dictionary-encoded page but the column chunk has no dictionary page");
      if (vsize_ < 1) return Error("dictionary-encoded page has no index bit width");
      int bw = vdata_[0];
      if (bw > 32) return Error("dictionary index bit width " + std::to_string(bw) + " exceeds 32");
      rle_.Reset(vdata_ + 1, vsize_ - 1, bw);
      return Status::OK();
    }
    case Encoding::kRle: {
      if (leaf_.physical != Type::kBoolean) return Error("RLE value encoding is only valid for BOOLEAN columns");
      if (vsize_ < 4) return Error("RLE boolean page ends inside its length prefix");
      uint32_t len = LoadU32(vdata_);
      if (len > vsize_ - 4) return Error("RLE boolean data of " + std::to_string(len) + " bytes runs past the page");
      rle_.Reset(vdata_ + 4, len, 1);
      return Status::OK();
    }
    case Encoding::kDeltaBinaryPacked:
      if (leaf_.physical == Type::kInt32) return delta32_.Init(vdata_, vsize_, page_entries_).WithContext(context_ + ": ");
      if (leaf_.physical == Type::kInt64) return delta64_.Init(vdata_, vsize_, page_entries_).WithContext(context_ + ": ");
      return Error("DELTA_BINARY_PACKED is only valid for INT32 and INT64 columns");
    case Encoding::kDeltaLengthByteArray:
    case Encoding::kDeltaByteArray: {
      bool prefixed = Encoding(encoding_) == Encoding::kDeltaByteArray;
      if (leaf_.physical != Type::kByteArray && !(prefixed && leaf_.physical == Type::kFixedLenByteArray))
        return Error(std::string(EncodingName(encoding_)) + " is not valid for " + TypeName(int32_t(leaf_.physical)));
      const uint8_t* p = vdata_;
      const uint8_t* end = vdata_ + vsize_;
      auto read_lengths = [&](std::vector<uint32_t>* out) -> Status {
        ALOPEX_RETURN_IF_ERROR(delta32_.Init(p, size_t(end - p), page_entries_).WithContext(context_ + ": "));
        out->resize(size_t(delta32_.total_count()));
        ALOPEX_RETURN_IF_ERROR(delta32_.Get(reinterpret_cast<int32_t*>(out->data()), out->size()).WithContext(context_ + ": "));
        for (uint32_t v : *out)
          if (int32_t(v) < 0) return Error("negative length in " + std::string(EncodingName(encoding_)) + " data");
        p = delta32_.end();
        return Status::OK();
      };
      prefixes_.clear();
      if (prefixed) ALOPEX_RETURN_IF_ERROR(read_lengths(&prefixes_));
      ALOPEX_RETURN_IF_ERROR(read_lengths(&lengths_));
      if (prefixed && prefixes_.size() != lengths_.size())
        return Error("DELTA_BYTE_ARRAY prefix and suffix counts differ");
      if (lengths_.size() < page_nonnull_)
        return Error(std::string(EncodingName(encoding_)) + " holds " + std::to_string(lengths_.size()) +
                     " values, page needs " + std::to_string(page_nonnull_));
      uint64_t total = 0;
      for (uint32_t v : lengths_) total += v;
      if (total > uint64_t(end - p)) return Error(std::string(EncodingName(encoding_)) + " data runs past the page");
      vpos_ = size_t(p - vdata_);
      delta_index_ = 0;
      last_value_.clear();
      if (prefixed) {
        delta_heap_ = std::make_shared<StringHeap>();
        delta_heap_bytes_ = 0;
      }
      return Status::OK();
    }
    case Encoding::kByteStreamSplit:
      if (phys_width_ <= 0 || leaf_.physical == Type::kInt96)
        return Error(std::string("BYTE_STREAM_SPLIT is not valid for ") + TypeName(int32_t(leaf_.physical)));
      if (vsize_ / size_t(phys_width_) < page_nonnull_) return Error("BYTE_STREAM_SPLIT data is shorter than the page");
      return Status::OK();
    default:
      return Status::NotImplemented(context_ + ": encoding " + EncodingName(encoding_) + " (" +
                                    std::to_string(encoding_) + ") is not supported");
  }
}

Status ParquetColumnReader::ConvertFixed(const uint8_t* src, size_t count, Column* out, size_t offset, bool stable) {
  if (count == 0) return Status::OK();
  uint8_t* dst = Dst(out, offset);
  size_t w = size_t(phys_width_);
  switch (leaf_.conversion) {
    case Conversion::kBoolean:
      for (size_t i = 0; i < count; i++) dst[i] = src[i] != 0;
      return Status::OK();
    case Conversion::kCopy:
      std::memcpy(dst, src, count * out_width_);
      return Status::OK();
    case Conversion::kInt32ToInt8:
      for (size_t i = 0; i < count; i++) dst[i] = uint8_t(Load32(src + 4 * i));
      return Status::OK();
    case Conversion::kInt32ToInt16: {
      auto* d = reinterpret_cast<int16_t*>(dst);
      for (size_t i = 0; i < count; i++) d[i] = int16_t(Load32(src + 4 * i));
      return Status::OK();
    }
    case Conversion::kInt32ToInt64: {
      auto* d = reinterpret_cast<int64_t*>(dst);
      for (size_t i = 0; i < count; i++) d[i] = Load32(src + 4 * i);
      return Status::OK();
    }
    case Conversion::kInt32ToInt128: {
      auto* d = reinterpret_cast<int128_t*>(dst);
      for (size_t i = 0; i < count; i++) d[i] = Load32(src + 4 * i);
      return Status::OK();
    }
    case Conversion::kInt64ToInt128: {
      auto* d = reinterpret_cast<int128_t*>(dst);
      for (size_t i = 0; i < count; i++) d[i] = Load64s(src + 8 * i);
      return Status::OK();
    }
    case Conversion::kInt32MillisToMicros: {
      auto* d = reinterpret_cast<int64_t*>(dst);
      for (size_t i = 0; i < count; i++) d[i] = int64_t(Load32(src + 4 * i)) * 1000;
      return Status::OK();
    }
    case Conversion::kInt64MillisToMicros: {
      auto* d = reinterpret_cast<int64_t*>(dst);
      for (size_t i = 0; i < count; i++) d[i] = int64_t(uint64_t(Load64s(src + 8 * i)) * 1000u);
      return Status::OK();
    }
    case Conversion::kInt64NanosToMicros: {
      auto* d = reinterpret_cast<int64_t*>(dst);
      for (size_t i = 0; i < count; i++) {
        int64_t v = Load64s(src + 8 * i);
        int64_t q = v / 1000;
        if (v % 1000 < 0) q--;
        d[i] = q;
      }
      return Status::OK();
    }
    case Conversion::kInt96ToTimestamp: {
      auto* d = reinterpret_cast<int64_t*>(dst);
      for (size_t i = 0; i < count; i++) {
        const uint8_t* p = src + 12 * i;
        int64_t nanos = Load64s(p);
        int64_t day = Load32(p + 8);
        int64_t q = nanos / 1000;
        if (nanos % 1000 < 0) q--;
        d[i] = int64_t(uint64_t(day - 2440588) * uint64_t(86400000000LL) + uint64_t(q));
      }
      return Status::OK();
    }
    case Conversion::kFloat16ToFloat: {
      auto* d = reinterpret_cast<float*>(dst);
      for (size_t i = 0; i < count; i++) d[i] = HalfToFloat(uint16_t(src[2 * i] | (src[2 * i + 1] << 8)));
      return Status::OK();
    }
    case Conversion::kFixedDecimal:
      if (out_width_ == 8) {
        auto* d = reinterpret_cast<int64_t*>(dst);
        for (size_t i = 0; i < count; i++) d[i] = int64_t(BigEndianToInt128(src + w * i, w));
      } else {
        auto* d = reinterpret_cast<int128_t*>(dst);
        for (size_t i = 0; i < count; i++) d[i] = BigEndianToInt128(src + w * i, w);
      }
      return Status::OK();
    case Conversion::kFixedUuid: {
      auto* d = reinterpret_cast<Uuid*>(dst);
      for (size_t i = 0; i < count; i++) {
        uint64_t hi = 0, lo = 0;
        for (int k = 0; k < 8; k++) hi = (hi << 8) | src[16 * i + size_t(k)];
        for (int k = 8; k < 16; k++) lo = (lo << 8) | src[16 * i + size_t(k)];
        d[i] = Uuid{hi, lo};
      }
      return Status::OK();
    }
    case Conversion::kFixedInterval: {
      auto* d = reinterpret_cast<Interval*>(dst);
      for (size_t i = 0; i < count; i++) {
        const uint8_t* p = src + 12 * i;
        d[i] = Interval{int32_t(LoadU32(p)), int32_t(LoadU32(p + 4)), int64_t(LoadU32(p + 8)) * 1000};
      }
      return Status::OK();
    }
    case Conversion::kFixedString: {
      auto* d = reinterpret_cast<StringRef*>(dst);
      bool long_values = w > StringRef::kInlineLength;
      if (long_values && stable) out->AddHeap(page_holder_);
      for (size_t i = 0; i < count; i++) {
        const char* p = reinterpret_cast<const char*>(src + w * i);
        if (long_values && !stable) p = out->heap().Add(std::string_view(p, w));
        d[i] = StringRef(p, uint32_t(w));
      }
      return Status::OK();
    }
    case Conversion::kString:
    case Conversion::kBinaryDecimal:
      break;
  }
  return Status::Internal(context_ + ": fixed-width conversion of a BYTE_ARRAY column");
}

Status ParquetColumnReader::DecodeBinaryValues(const std::string_view* vals, size_t count, Column* out, size_t offset,
                                               bool stable) {
  if (leaf_.conversion == Conversion::kBinaryDecimal) {
    for (size_t i = 0; i < count; i++) {
      if (vals[i].size() > 16) return Error("DECIMAL value of " + std::to_string(vals[i].size()) + " bytes is too wide");
      int128_t v = BigEndianToInt128(reinterpret_cast<const uint8_t*>(vals[i].data()), vals[i].size());
      if (out_width_ == 8)
        out->data<int64_t>()[offset + i] = int64_t(v);
      else
        out->data<int128_t>()[offset + i] = v;
    }
    return Status::OK();
  }
  if (leaf_.conversion != Conversion::kString) return Status::Internal(context_ + ": binary conversion of a fixed column");
  StringRef* d = out->data<StringRef>() + offset;
  for (size_t i = 0; i < count; i++) {
    const char* p = vals[i].data();
    if (!stable && vals[i].size() > StringRef::kInlineLength) p = out->heap().Add(vals[i]);
    d[i] = StringRef(p, uint32_t(vals[i].size()));
  }
  return Status::OK();
}

Status ParquetColumnReader::DecodePlain(size_t count, Column* out, size_t offset) {
  if (count == 0) return Status::OK();
  if (leaf_.physical == Type::kBoolean) {
    if (uint64_t(vpos_) + count > uint64_t(vsize_) * 8) return Error("PLAIN boolean data ends early");
    UnpackBits8(vdata_, vsize_, 1, vpos_, Dst(out, offset), count);
    vpos_ += count;
    return Status::OK();
  }
  if (leaf_.physical == Type::kByteArray) {
    if (leaf_.conversion == Conversion::kString) {
      StringRef* d = out->data<StringRef>() + offset;
      const uint8_t* p = vdata_ + vpos_;
      const uint8_t* end = vdata_ + vsize_;
      bool any_long = false;
      for (size_t i = 0; i < count; i++) {
        if (end - p < 4) return Error("PLAIN BYTE_ARRAY data ends early");
        uint32_t len = LoadU32(p);
        p += 4;
        if (len > size_t(end - p))
          return Error("BYTE_ARRAY value of " + std::to_string(len) + " bytes runs past the end of the page");
        d[i] = StringRef(reinterpret_cast<const char*>(p), len);
        any_long |= len > StringRef::kInlineLength;
        p += len;
      }
      vpos_ = size_t(p - vdata_);
      if (any_long) out->AddHeap(page_holder_);
      return Status::OK();
    }
    views_.resize(count);
    for (size_t i = 0; i < count; i++) {
      if (vsize_ - vpos_ < 4) return Error("PLAIN BYTE_ARRAY data ends early");
      uint32_t len = LoadU32(vdata_ + vpos_);
      vpos_ += 4;
      if (len > vsize_ - vpos_) return Error("BYTE_ARRAY value runs past the end of the page");
      views_[i] = std::string_view(reinterpret_cast<const char*>(vdata_ + vpos_), len);
      vpos_ += len;
    }
    return DecodeBinaryValues(views_.data(), count, out, offset, true);
  }
  size_t w = size_t(phys_width_);
  if (count > (vsize_ - vpos_) / w)
    return Error("PLAIN data holds " + std::to_string((vsize_ - vpos_) / w) + " values, page needs " +
                 std::to_string(count));
  ALOPEX_RETURN_IF_ERROR(ConvertFixed(vdata_ + vpos_, count, out, offset, true));
  vpos_ += count * w;
  return Status::OK();
}

Status ParquetColumnReader::DecodeDictionary(size_t count, Column* out, size_t offset) {
  if (indices_.size() < count) indices_.resize(count);
  uint32_t* idx = indices_.data();
  if (!rle_.Get(idx, count)) return Error("dictionary indices end before the page's values");
  uint32_t m = 0;
  for (size_t i = 0; i < count; i++) m = std::max(m, idx[i]);
  if (count > 0 && m >= dict_size_)
    return Error("dictionary index " + std::to_string(m) + " out of range (dictionary has " +
                 std::to_string(dict_size_) + " entries)");
  const uint8_t* src = dict_.raw_data();
  uint8_t* dst = Dst(out, offset);
  switch (out_width_) {
    case 1: for (size_t i = 0; i < count; i++) dst[i] = src[idx[i]]; break;
    case 2: for (size_t i = 0; i < count; i++) reinterpret_cast<uint16_t*>(dst)[i] = reinterpret_cast<const uint16_t*>(src)[idx[i]]; break;
    case 4: for (size_t i = 0; i < count; i++) reinterpret_cast<uint32_t*>(dst)[i] = reinterpret_cast<const uint32_t*>(src)[idx[i]]; break;
    case 8: for (size_t i = 0; i < count; i++) reinterpret_cast<uint64_t*>(dst)[i] = reinterpret_cast<const uint64_t*>(src)[idx[i]]; break;
    case 16:
      for (size_t i = 0; i < count; i++) std::memcpy(dst + 16 * i, src + 16 * size_t(idx[i]), 16);
      break;
    default:
      for (size_t i = 0; i < count; i++) std::memcpy(dst + out_width_ * i, src + out_width_ * size_t(idx[i]), out_width_);
  }
  if (string_output_ && !raw_dest_) out->ShareHeapsFrom(dict_);
  return Status::OK();
}

Status ParquetColumnReader::DecodeValues(size_t count, Column* out, size_t offset) {
  if (count == 0) return Status::OK();
  if (values_read_ + count > page_nonnull_) return Status::Internal(context_ + ": value count mismatch");
  switch (Encoding(encoding_)) {
    case Encoding::kPlain:
      ALOPEX_RETURN_IF_ERROR(DecodePlain(count, out, offset));
      break;
    case Encoding::kPlainDictionary:
    case Encoding::kRleDictionary:
      ALOPEX_RETURN_IF_ERROR(DecodeDictionary(count, out, offset));
      break;
    case Encoding::kRle:
      if (!rle_.Get(Dst(out, offset), count)) return Error("RLE boolean data ends early");
      break;
    case Encoding::kDeltaBinaryPacked: {
      scratch_.resize(count * size_t(phys_width_));
      if (leaf_.physical == Type::kInt32)
        ALOPEX_RETURN_IF_ERROR(delta32_.Get(reinterpret_cast<int32_t*>(scratch_.data()), count).WithContext(context_ + ": "));
      else
        ALOPEX_RETURN_IF_ERROR(delta64_.Get(reinterpret_cast<int64_t*>(scratch_.data()), count).WithContext(context_ + ": "));
      ALOPEX_RETURN_IF_ERROR(ConvertFixed(scratch_.data(), count, out, offset, false));
      break;
    }
    case Encoding::kDeltaLengthByteArray: {
      if (delta_index_ + count > lengths_.size()) return Error("DELTA_LENGTH_BYTE_ARRAY data ends early");
      views_.resize(count);
      for (size_t i = 0; i < count; i++) {
        uint32_t len = lengths_[delta_index_++];
        views_[i] = std::string_view(reinterpret_cast<const char*>(vdata_ + vpos_), len);
        vpos_ += len;  // total checked against the page at InitValueDecoder
      }
      bool any_long = false;
      for (size_t i = 0; i < count; i++) any_long |= views_[i].size() > StringRef::kInlineLength;
      if (any_long && leaf_.conversion == Conversion::kString) out->AddHeap(page_holder_);
      ALOPEX_RETURN_IF_ERROR(DecodeBinaryValues(views_.data(), count, out, offset, true));
      break;
    }
    case Encoding::kDeltaByteArray: {
      if (delta_index_ + count > lengths_.size()) return Error("DELTA_BYTE_ARRAY data ends early");
      bool fixed = leaf_.physical == Type::kFixedLenByteArray;
      if (fixed) scratch_.resize(count * size_t(phys_width_));
      views_.resize(count);
      for (size_t i = 0; i < count; i++) {
        uint32_t prefix = prefixes_[delta_index_];
        uint32_t len = lengths_[delta_index_++];
        if (prefix > last_value_.size())
          return Error("DELTA_BYTE_ARRAY prefix of " + std::to_string(prefix) + " bytes exceeds the previous value");
        last_value_.resize(prefix);
        last_value_.append(reinterpret_cast<const char*>(vdata_ + vpos_), len);
        vpos_ += len;
        if (fixed) {
          if (last_value_.size() != size_t(phys_width_)) return Error("DELTA_BYTE_ARRAY value has the wrong length");
          std::memcpy(scratch_.data() + i * size_t(phys_width_), last_value_.data(), last_value_.size());
        } else if (leaf_.conversion == Conversion::kString) {
          const char* p = last_value_.data();
          if (last_value_.size() > StringRef::kInlineLength) {
            delta_heap_bytes_ += last_value_.size();
            if (delta_heap_bytes_ > kMaxDeltaBytes) return Error("DELTA_BYTE_ARRAY page expands past 1 GiB");
            p = delta_heap_->Add(last_value_);
          }
          out->data<StringRef>()[offset + i] = StringRef(p, uint32_t(last_value_.size()));
        } else {
          std::string_view v(last_value_);
          ALOPEX_RETURN_IF_ERROR(DecodeBinaryValues(&v, 1, out, offset + i, true));
        }
      }
      if (fixed) {
        ALOPEX_RETURN_IF_ERROR(ConvertFixed(scratch_.data(), count, out, offset, false));
      } else if (leaf_.conversion == Conversion::kString) {
        out->AddHeap(delta_heap_);
      }
      break;
    }
    case Encoding::kByteStreamSplit: {
      size_t w = size_t(phys_width_);
      size_t n = vsize_ / w;
      scratch_.resize(count * w);
      uint8_t* s = scratch_.data();
      for (size_t j = 0; j < w; j++) {
        const uint8_t* stream = vdata_ + j * n + values_read_;
        for (size_t i = 0; i < count; i++) s[i * w + j] = stream[i];
      }
      ALOPEX_RETURN_IF_ERROR(ConvertFixed(s, count, out, offset, false));
      break;
    }
    default:
      return Status::NotImplemented(context_ + ": encoding " + EncodingName(encoding_) + " is not supported");
  }
  values_read_ += count;
  return Status::OK();
}

Status ParquetColumnReader::ReadFlat(size_t n, Column* out, size_t offset) {
  const uint8_t max_def = uint8_t(leaf_.max_def);
  while (n > 0) {
    if (page_pos_ >= page_entries_) {
      bool have = false;
      ALOPEX_RETURN_IF_ERROR(NextDataPage(&have));
      if (!have) return Error("column chunk ends " + std::to_string(n) + " rows before the row group does");
    }
    size_t k = std::min(n, page_entries_ - page_pos_);
    if (max_def == 0) {
      ALOPEX_RETURN_IF_ERROR(DecodeValues(k, out, offset));
    } else {
      const uint8_t* d = page_def_.data() + page_pos_;
      size_t nn = CountEqual(d, k, max_def);
      ALOPEX_RETURN_IF_ERROR(DecodeValues(nn, out, offset));
      if (nn != k) {
        SpreadAny(out->raw_data() + offset * out_width_, out_width_, d, k, nn, max_def);
        uint64_t* v = out->mutable_validity();
        for (size_t i = 0; i < k; i++) {
          if (d[i] != max_def) {
            size_t r = offset + i;
            v[r >> 6] &= ~(uint64_t(1) << (r & 63));
          }
        }
      }
    }
    page_pos_ += k;
    offset += k;
    n -= k;
    row_ += int64_t(k);
  }
  return Status::OK();
}

Status ParquetColumnReader::ReadRecordsImpl(size_t max_records, LevelBuffer* levels, Column* values,
                                            RawValues* raw, size_t* records_read) {
  if (raw && string_output_) return Status::Internal(context_ + ": raw decoding of a string column");
  size_t recs = 0;
  const uint8_t max_def = uint8_t(leaf_.max_def);
  while (true) {
    if (page_pos_ >= page_entries_) {
      bool have = false;
      ALOPEX_RETURN_IF_ERROR(NextDataPage(&have));
      if (!have) break;
    }
    size_t start = page_pos_, end = page_entries_, stop;
    if (leaf_.max_rep == 0) {
      if (recs == max_records) break;
      stop = start + std::min(max_records - recs, end - start);
      recs += stop - start;
    } else {
      const uint8_t* rep = page_rep_.data();
      if (at_chunk_start_ && rep[start] != 0)
        return Error("repetition levels start with " + std::to_string(rep[start]) + " instead of 0");
      // Records start at repetition level 0; memchr finds them fast in long lists.
      size_t i = start;
      while (i < end) {
        if (rep[i] == 0) {
          if (recs == max_records) break;
          recs++;
        }
        const void* next = i + 1 < end ? std::memchr(rep + i + 1, 0, end - i - 1) : nullptr;
        i = next ? size_t(static_cast<const uint8_t*>(next) - rep) : end;
      }
      stop = i;
    }
    at_chunk_start_ = false;
    size_t k = stop - start;
    if (k > 0) {
      if (max_def > 0)
        levels->def.insert(levels->def.end(), page_def_.begin() + ptrdiff_t(start), page_def_.begin() + ptrdiff_t(stop));
      else
        levels->def.resize(levels->def.size() + k, 0);
      if (leaf_.max_rep > 0)
        levels->rep.insert(levels->rep.end(), page_rep_.begin() + ptrdiff_t(start), page_rep_.begin() + ptrdiff_t(stop));
      else
        levels->rep.resize(levels->rep.size() + k, 0);
      size_t nn = max_def > 0 ? CountEqual(page_def_.data() + start, k, max_def) : k;
      if (raw) {
        raw->Reserve((raw->count + nn) * out_width_);
        raw_dest_ = raw->data.get();
        Status st = DecodeValues(nn, nullptr, raw->count);
        raw_dest_ = nullptr;
        ALOPEX_RETURN_IF_ERROR(st);
        raw->count += nn;
      } else {
        size_t at = values->size();
        if (string_output_)
          values->Resize(at + nn);
        else
          values->ResizeUninitialized(at + nn);  // DecodeValues writes every new row
        ALOPEX_RETURN_IF_ERROR(DecodeValues(nn, values, at));
      }
      page_pos_ = stop;
    }
    if (stop < end) break;
  }
  *records_read = recs;
  row_ += int64_t(recs);
  return Status::OK();
}

Status ParquetColumnReader::SkipRecords(size_t n) {
  int64_t target = row_ + int64_t(n);
  if (offset_index_ && page_pos_ >= page_entries_ && !offset_index_->page_locations.empty()) {
    const auto& locs = offset_index_->page_locations;
    size_t p = 0;
    while (p + 1 < locs.size() && locs[p + 1].first_row_index <= target) p++;
    int64_t page_at = locs[p].offset - int64_t(chunk_offset_);
    if (locs[p].first_row_index > row_ && page_at > int64_t(pos_) && page_at < int64_t(chunk_size_)) {
      // Load the dictionary first when nothing has been read yet.
      if (pos_ == 0 && !has_dict_) {
        PageHeader h;
        const uint8_t* body;
        size_t body_off;
        if (PageAt(0, &h, &body, &body_off).ok() && PageType(h.type) == PageType::kDictionaryPage)
          ALOPEX_RETURN_IF_ERROR(LoadDictionary(h, body, size_t(h.compressed_page_size)));
      }
      pos_ = size_t(page_at);
      row_ = locs[p].first_row_index;
      page_entries_ = page_pos_ = 0;
      at_chunk_start_ = false;
      n = size_t(target - row_);
    }
  }
  LevelBuffer lv;
  Column scratch(leaf_.type);
  while (n > 0) {
    size_t k = std::min<size_t>(n, 8192);
    size_t got = 0;
    lv.Clear();
    scratch.Resize(0);
    ALOPEX_RETURN_IF_ERROR(ReadRecords(k, &lv, &scratch, &got));
    if (got == 0) return Error("column chunk ends before the rows to skip");
    n -= got;
  }
  return Status::OK();
}

// ---------------------------------------------------------------- record assembly

namespace {

struct PathOut {
  std::vector<uint8_t> valid;
  std::vector<uint64_t> lengths;
};

bool IsListKind(const ColumnNode* n) { return n->kind == ColumnNode::kList || n->kind == ColumnNode::kMap; }

// Walks one leaf's entries and records, for every node on its path, the
// validity of each instance and, for lists, its length.
Status WalkLeaf(const std::vector<const ColumnNode*>& path, const LevelBuffer& lv, std::vector<PathOut>* outs,
                const std::string& context) {
  size_t k = path.size();
  outs->assign(k, {});
  int list_at_rep[256];
  std::fill(std::begin(list_at_rep), std::end(list_at_rep), -1);
  for (size_t j = 0; j < k; j++)
    if (IsListKind(path[j]) && path[j]->rep < 256) list_at_rep[path[j]->rep] = int(j);
  size_t n = lv.def.size();
  for (size_t e = 0; e < n; e++) {
    uint8_t r = lv.rep[e], d = lv.def[e];
    size_t start = 0;
    if (r > 0) {
      int j = list_at_rep[r];
      if (j < 0 || (*outs)[size_t(j)].lengths.empty())
        return Status::Corruption(context + ": repetition level " + std::to_string(r) + " does not continue a list");
      (*outs)[size_t(j)].lengths.back()++;
      start = size_t(j) + 1;
    }
    for (size_t i = start; i < k; i++) {
      const ColumnNode* nd = path[i];
      PathOut& o = (*outs)[i];
      if (d < nd->def_null) {
        o.valid.push_back(0);
        if (IsListKind(nd)) o.lengths.push_back(0);
        if (nd->kind == ColumnNode::kStruct) {
          for (size_t m = i + 1; m < k; m++) {
            (*outs)[m].valid.push_back(0);
            if (IsListKind(path[m])) {
              (*outs)[m].lengths.push_back(0);
              break;
            }
            if (path[m]->kind != ColumnNode::kStruct) break;
          }
        }
        break;
      }
      o.valid.push_back(1);
      if (IsListKind(nd)) {
        if (d < nd->def_nonempty) {
          o.lengths.push_back(0);
          break;
        }
        o.lengths.push_back(1);
        continue;
      }
      if (nd->kind == ColumnNode::kStruct) continue;
      break;  // a present leaf value
    }
  }
  return Status::OK();
}

void ApplyValidity(Column* col, const std::vector<uint8_t>& valid) {
  size_t n = valid.size();
  bool any_null = false;
  for (size_t i = 0; i < n; i++) any_null |= valid[i] == 0;
  if (!any_null) return;
  uint64_t* v = col->mutable_validity();
  for (size_t i = 0; i < n; i++)
    if (!valid[i]) v[i >> 6] &= ~(uint64_t(1) << (i & 63));
}

// Places dense `values` at the valid positions of a column of `valid.size()` rows.
Status ScatterLeaf(const std::vector<uint8_t>& valid, Column& values, Column* out, const std::string& context) {
  size_t n = valid.size();
  size_t nn = 0;
  for (uint8_t v : valid) nn += v;
  if (nn != values.size())
    return Status::Corruption(context + ": " + std::to_string(values.size()) + " values for " + std::to_string(nn) +
                              " non-null entries");
  if (nn == n) {
    *out = std::move(values);
    return Status::OK();
  }
  *out = Column(values.type());
  out->Resize(n);
  if (nn > 0) {
    std::vector<uint32_t> sel(n);
    uint32_t j = 0;
    for (size_t i = 0; i < n; i++) sel[i] = valid[i] ? j++ : 0;
    out->Gather(values, sel.data(), n);
    // Null slots hold a copy of value 0; clear them so strings and lists stay empty.
    size_t w = PhysicalSize(values.type());
    for (size_t i = 0; i < n; i++)
      if (!valid[i] && w) std::memset(out->raw_data() + i * w, 0, w);
  }
  ApplyValidity(out, valid);
  return Status::OK();
}

struct Assembler {
  const std::vector<LevelBuffer*>& levels;
  const std::vector<Column*>& values;
  int base_leaf;
  std::vector<std::vector<PathOut>> walks;  // per leaf
  const std::string& context;

  Status Build(const ColumnNode& node, size_t depth, Column* out) {
    const PathOut& o = walks[size_t(node.first_leaf - base_leaf)][depth];
    size_t count = o.valid.size();
    switch (node.kind) {
      case ColumnNode::kLeaf:
        return ScatterLeaf(o.valid, *values[size_t(node.leaf - base_leaf)], out, context);
      case ColumnNode::kStruct: {
        *out = Column(node.type);
        out->Resize(count);
        for (size_t c = 0; c < node.children.size(); c++) {
          Column child;
          ALOPEX_RETURN_IF_ERROR(Build(node.children[c], depth + 1, &child));
          if (child.size() != count)
            return Status::Corruption(context + ": struct field '" + node.children[c].name + "' has " +
                                      std::to_string(child.size()) + " rows, expected " + std::to_string(count));
          out->children()[c] = std::move(child);
        }
        ApplyValidity(out, o.valid);
        return Status::OK();
      }
      case ColumnNode::kList:
      case ColumnNode::kMap: {
        *out = Column(node.type);
        out->Resize(count);
        ListEntry* le = out->list_entries();
        uint64_t off = 0;
        for (size_t i = 0; i < count; i++) {
          le[i] = {off, o.lengths[i]};
          off += o.lengths[i];
        }
        Column child;
        ALOPEX_RETURN_IF_ERROR(Build(node.children[0], depth + 1, &child));
        if (child.size() != off)
          return Status::Corruption(context + ": list elements (" + std::to_string(child.size()) +
                                    ") do not match list lengths (" + std::to_string(off) + ")");
        out->children()[0] = std::move(child);
        ApplyValidity(out, o.valid);
        return Status::OK();
      }
    }
    return Status::Internal("unknown node kind");
  }
};

void CollectPaths(const ColumnNode& node, std::vector<const ColumnNode*>& stack,
                  std::vector<std::vector<const ColumnNode*>>* paths) {
  stack.push_back(&node);
  if (node.kind == ColumnNode::kLeaf)
    paths->push_back(stack);
  else
    for (const auto& c : node.children) CollectPaths(c, stack, paths);
  stack.pop_back();
}

// list<primitive> at the top level: one pass over the levels.
Status AssembleSimpleList(const ColumnNode& node, const LevelBuffer& lv, Column& values, size_t num_records,
                          Column* out, const std::string& context) {
  const ColumnNode& elem = node.children[0];
  size_t n = lv.def.size();
  const uint8_t* def = lv.def.data();
  const uint8_t* rep = lv.rep.data();
  uint8_t list_null = uint8_t(node.def_null), nonempty = uint8_t(node.def_nonempty), elem_null = uint8_t(elem.def_null);
  *out = Column(node.type);
  out->Resize(num_records);
  ListEntry* le = out->list_entries();
  uint8_t present = std::max({list_null, nonempty, elem_null});
  if (CountEqual(def, n, present) == n) {
    // Every entry is a present element (the common case of embeddings): a
    // record starts at each repetition level 0, found with memchr.
    if (values.size() != n)
      return Status::Corruption(context + ": " + std::to_string(values.size()) + " values for " + std::to_string(n) +
                                " non-null entries");
    if (n > 0 && rep[0] != 0) return Status::Corruption(context + ": repetition levels start inside a list");
    size_t row = 0;
    const uint8_t* p = rep;
    const uint8_t* end = rep + n;
    while (p < end) {
      if (row >= num_records) return Status::Corruption(context + ": more records than expected");
      size_t at = size_t(p - rep);
      const void* next = std::memchr(p + 1, 0, size_t(end - p - 1));
      const uint8_t* q = next ? static_cast<const uint8_t*>(next) : end;
      le[row++] = {at, uint64_t(q - p)};
      p = q;
    }
    if (row != num_records) return Status::Corruption(context + ": fewer records than expected");
    out->children()[0] = std::move(values);
    return Status::OK();
  }
  std::vector<uint8_t> elem_valid;
  bool elem_nulls = false;
  size_t row = SIZE_MAX;
  uint64_t off = 0;
  std::vector<size_t> null_rows;
  for (size_t e = 0; e < n; e++) {
    uint8_t d = def[e];
    if (rep[e] == 0) {
      row++;
      if (row >= num_records) return Status::Corruption(context + ": more records than expected");
      le[row] = {off, 0};
      if (d < list_null) {
        null_rows.push_back(row);
        continue;
      }
      if (d < nonempty) continue;
    } else if (row == SIZE_MAX) {
      return Status::Corruption(context + ": repetition levels start inside a list");
    }
    le[row].length++;
    off++;
    bool valid = d >= elem_null;
    if (!valid && !elem_nulls) {
      elem_nulls = true;
      elem_valid.assign(off - 1, 1);
    }
    if (elem_nulls) elem_valid.push_back(valid);
  }
  if (row + 1 != num_records) return Status::Corruption(context + ": fewer records than expected");
  if (!null_rows.empty()) {
    uint64_t* v = out->mutable_validity();
    for (size_t r : null_rows) v[r >> 6] &= ~(uint64_t(1) << (r & 63));
  }
  if (!elem_nulls) elem_valid.assign(off, 1);
  Column child;
  ALOPEX_RETURN_IF_ERROR(ScatterLeaf(elem_valid, values, &child, context));
  out->children()[0] = std::move(child);
  return Status::OK();
}

}  // namespace

Status AssembleColumn(const ColumnNode& node, const std::vector<LevelBuffer*>& levels,
                      const std::vector<Column*>& values, size_t num_records, Column* out,
                      const std::string& context) {
  if (IsListKind(&node) && node.children[0].kind == ColumnNode::kLeaf)
    return AssembleSimpleList(node, *levels[0], *values[0], num_records, out, context);
  std::vector<std::vector<const ColumnNode*>> paths;
  std::vector<const ColumnNode*> stack;
  CollectPaths(node, stack, &paths);
  Assembler a{levels, values, node.first_leaf, {}, context};
  a.walks.resize(paths.size());
  for (size_t i = 0; i < paths.size(); i++)
    ALOPEX_RETURN_IF_ERROR(WalkLeaf(paths[i], *levels[i], &a.walks[i], context));
  for (size_t i = 0; i < paths.size(); i++)
    if (a.walks[i][0].valid.size() != num_records)
      return Status::Corruption(context + ": leaf " + std::to_string(i) + " has " +
                                std::to_string(a.walks[i][0].valid.size()) + " records, expected " +
                                std::to_string(num_records));
  return a.Build(node, 0, out);
}

}  // namespace alopex::parquet
