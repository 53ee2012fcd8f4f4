#include "formats/parquet/encodings.h"

#include <algorithm>
#include <cstring>

namespace alopex::parquet {

namespace {

inline uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Reads `bw` (<= 57) bits at absolute bit position `bit`, with a safe path near the end.
inline uint64_t BitsAt(const uint8_t* data, size_t size, uint64_t bit, int bw) {
  size_t byte = size_t(bit >> 3);
  int shift = int(bit & 7);
  uint64_t w;
  if (byte + 8 <= size) {
    w = Load64(data + byte);
  } else {
    w = 0;
    for (size_t k = 0; byte + k < size && k < 8; k++) w |= uint64_t(data[byte + k]) << (8 * k);
  }
  return (w >> shift) & ((uint64_t(1) << bw) - 1);
}

inline bool ReadUleb(const uint8_t*& p, const uint8_t* end, uint64_t* out, int max_bytes = 10) {
  uint64_t v = 0;
  int shift = 0;
  for (int i = 0; i < max_bytes; i++) {
    if (p >= end) return false;
    uint8_t b = *p++;
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
    shift += 7;
  }
  return false;
}

}  // namespace

template <typename T>
static void UnpackBitsT(const uint8_t* data, size_t size, int bw, uint64_t first, T* out, size_t n) {
  if (n == 0) return;
  if (bw == 0) {
    std::memset(out, 0, n * sizeof(T));
    return;
  }
  if (bw == 1 && (first & 7) == 0) {
    const uint8_t* p = data + (first >> 3);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      uint8_t b = *p++;
      for (int k = 0; k < 8; k++) out[i + k] = T((b >> k) & 1);
    }
    if (i < n) {
      uint8_t b = *p;
      for (int k = 0; i < n; k++, i++) out[i] = T((b >> k) & 1);
    }
    return;
  }
  if (bw == 8 && (first & 7) == 0 && sizeof(T) == 1) {
    std::memcpy(out, data + first, n);
    return;
  }
  uint64_t bit = first * uint64_t(bw);
  size_t fast_end_byte = size >= 8 ? size - 8 : 0;
  uint64_t mask = (uint64_t(1) << bw) - 1;
  size_t i = 0;
  // Fast loop while an 8-byte load stays in bounds.
  for (; i < n && size >= 8 && (bit >> 3) <= fast_end_byte; i++, bit += uint64_t(bw))
    out[i] = T((Load64(data + (bit >> 3)) >> (bit & 7)) & mask);
  for (; i < n; i++, bit += uint64_t(bw)) out[i] = T(BitsAt(data, size, bit, bw));
}

void UnpackBits32(const uint8_t* data, size_t size, int bw, uint64_t first, uint32_t* out, size_t n) {
  UnpackBitsT(data, size, bw, first, out, n);
}

void UnpackBits8(const uint8_t* data, size_t size, int bw, uint64_t first, uint8_t* out, size_t n) {
  UnpackBitsT(data, size, bw, first, out, n);
}

void UnpackBits64(const uint8_t* data, size_t size, int bw, uint64_t first, uint64_t* out, size_t n) {
  if (bw <= 32) {
    // Reuse the 57-bit path.
    if (bw == 0) {
      std::memset(out, 0, n * 8);
      return;
    }
    uint64_t bit = first * uint64_t(bw);
    for (size_t i = 0; i < n; i++, bit += uint64_t(bw)) out[i] = BitsAt(data, size, bit, bw);
    return;
  }
  uint64_t bit = first * uint64_t(bw);
  for (size_t i = 0; i < n; i++, bit += uint64_t(bw)) {
    // Two reads of up to 32 bits each.
    uint64_t lo = BitsAt(data, size, bit, 32);
    uint64_t hi = BitsAt(data, size, bit + 32, bw - 32);
    out[i] = lo | (hi << 32);
  }
}

// ---------------------------------------------------------------- RLE / bit-packed hybrid

void RleBitPackedDecoder::Reset(const uint8_t* data, size_t size, int bit_width) {
  begin_ = pos_ = data;
  end_ = data + size;
  bw_ = bit_width;
  rle_left_ = 0;
  packed_left_ = 0;
}

bool RleBitPackedDecoder::NextRun() {
  uint64_t h;
  if (!ReadUleb(pos_, end_, &h, 5)) return false;
  if (h & 1) {
    uint64_t groups = h >> 1;
    if (groups == 0) return false;
    uint64_t bytes = groups * uint64_t(bw_);
    size_t avail = size_t(end_ - pos_);
    packed_ = pos_;
    if (bytes > avail) {
      // A truncated final run: keep the values whose bits are present.
      packed_bytes_ = avail;
      packed_left_ = bw_ ? (uint64_t(avail) * 8) / uint64_t(bw_) : groups * 8;
      pos_ = end_;
    } else {
      packed_bytes_ = size_t(bytes);
      packed_left_ = groups * 8;
      pos_ += bytes;
    }
    packed_next_ = 0;
    return packed_left_ > 0;
  }
  uint64_t count = h >> 1;
  if (count == 0) return false;
  int nbytes = (bw_ + 7) / 8;
  if (end_ - pos_ < nbytes) return false;
  uint32_t v = 0;
  for (int k = 0; k < nbytes; k++) v |= uint32_t(pos_[k]) << (8 * k);
  pos_ += nbytes;
  if (bw_ < 32 && (v >> bw_) != 0) return false;
  rle_value_ = v;
  rle_left_ = count;
  return true;
}

template <typename T>
bool RleBitPackedDecoder::GetImpl(T* out, size_t n) {
  if (bw_ == 0) {
    // Every value is 0; runs still frame the data but carry nothing.
    std::memset(out, 0, n * sizeof(T));
    return true;
  }
  while (n > 0) {
    if (rle_left_ > 0) {
      size_t k = size_t(std::min<uint64_t>(rle_left_, n));
      if (sizeof(T) == 1) {
        std::memset(out, int(rle_value_), k);
      } else {
        std::fill(out, out + k, T(rle_value_));
      }
      out += k;
      n -= k;
      rle_left_ -= k;
      continue;
    }
    if (packed_left_ > 0) {
      size_t k = size_t(std::min<uint64_t>(packed_left_, n));
      if constexpr (sizeof(T) == 1) {
        if (bw_ > 8) return false;
        UnpackBits8(packed_, packed_bytes_, bw_, packed_next_, out, k);
      } else {
        UnpackBits32(packed_, packed_bytes_, bw_, packed_next_, out, k);
      }
      packed_next_ += k;
      packed_left_ -= k;
      out += k;
      n -= k;
      continue;
    }
    if (!NextRun()) return false;
  }
  return true;
}

template bool RleBitPackedDecoder::GetImpl<uint8_t>(uint8_t*, size_t);
template bool RleBitPackedDecoder::GetImpl<uint32_t>(uint32_t*, size_t);

bool DecodeBitPackedLegacy(const uint8_t* data, size_t size, int bw, uint8_t* out, size_t n) {
  if (uint64_t(n) * uint64_t(bw) > uint64_t(size) * 8) return false;
  uint64_t bit = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t v = 0;
    for (int k = 0; k < bw; k++, bit++) v = (v << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
    out[i] = uint8_t(v);
  }
  return true;
}

// ---------------------------------------------------------------- DELTA_BINARY_PACKED

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Init(const uint8_t* data, size_t size, uint64_t max_values) {
  pos_ = data;
  end_ = data + size;
  uint64_t first;
  if (!ReadUleb(pos_, end_, &block_size_) || !ReadUleb(pos_, end_, &miniblocks_) || !ReadUleb(pos_, end_, &total_) ||
      !ReadUleb(pos_, end_, &first))
    return Status::Corruption("truncated DELTA_BINARY_PACKED header");
  if (block_size_ == 0 || block_size_ % 128 != 0 || block_size_ > (1u << 20) || miniblocks_ == 0 ||
      miniblocks_ > 256 || block_size_ % miniblocks_ != 0 || (block_size_ / miniblocks_) % 32 != 0)
    return Status::Corruption("invalid DELTA_BINARY_PACKED block size " + std::to_string(block_size_) + " / " +
                              std::to_string(miniblocks_) + " miniblocks");
  if (total_ > max_values)
    return Status::Corruption("DELTA_BINARY_PACKED holds " + std::to_string(total_) + " values, page has " +
                              std::to_string(max_values));
  per_mini_ = block_size_ / miniblocks_;
  last_ = U((first >> 1) ^ (0 - (first & 1)));
  first_pending_ = true;
  produced_ = 0;
  mini_left_ = 0;
  mini_index_ = miniblocks_;  // forces a block header read on the first delta
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::NextBlock() {
  uint64_t md;
  if (!ReadUleb(pos_, end_, &md)) return Status::Corruption("truncated DELTA_BINARY_PACKED block header");
  min_delta_ = U((md >> 1) ^ (0 - (md & 1)));
  if (uint64_t(end_ - pos_) < miniblocks_) return Status::Corruption("truncated DELTA_BINARY_PACKED bit widths");
  std::memcpy(widths_, pos_, size_t(miniblocks_));
  pos_ += miniblocks_;
  mini_index_ = 0;
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::NextMiniblock() {
  if (mini_index_ >= miniblocks_) ALOPEX_RETURN_IF_ERROR(NextBlock());
  int bw = widths_[mini_index_++];
  // Writers may compute 32-bit deltas in 64 bits (DuckDB's UINTEGER does): a
  // width up to 64 is valid, and the arithmetic below wraps to T's width.
  if (bw > 64) return Status::Corruption("DELTA_BINARY_PACKED bit width " + std::to_string(bw) + " too large");
  mini_bw_ = bw;
  uint64_t bytes = per_mini_ * uint64_t(bw) / 8;
  size_t avail = size_t(end_ - pos_);
  mini_data_ = pos_;
  if (bytes > avail) {
    // The final miniblock may be cut short after its last value.
    uint64_t needed_vals = total_ - produced_;
    uint64_t need_bytes = (needed_vals * uint64_t(bw) + 7) / 8;
    if (need_bytes > avail) return Status::Corruption("truncated DELTA_BINARY_PACKED miniblock");
    mini_bytes_ = avail;
    pos_ = end_;
  } else {
    mini_bytes_ = size_t(bytes);
    pos_ += bytes;
  }
  mini_pos_ = 0;
  mini_left_ = per_mini_;
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::Get(T* out, size_t n) {
  if (n > remaining()) return Status::Corruption("DELTA_BINARY_PACKED stream has fewer values than the page");
  size_t i = 0;
  if (n > 0 && first_pending_) {
    out[i++] = T(last_);
    first_pending_ = false;
    produced_++;
  }
  while (i < n) {
    if (mini_left_ == 0) ALOPEX_RETURN_IF_ERROR(NextMiniblock());
    size_t k = size_t(std::min<uint64_t>(mini_left_, n - i));
    if (scratch_.size() < k) scratch_.resize(k);
    UnpackBits64(mini_data_, mini_bytes_, mini_bw_, mini_pos_, scratch_.data(), k);
    U v = last_;
    for (size_t j = 0; j < k; j++) {
      v = U(v + min_delta_ + U(scratch_[j]));
      out[i + j] = T(v);
    }
    last_ = v;
    mini_pos_ += k;
    mini_left_ -= k;
    i += k;
    produced_ += k;
  }
  return Status::OK();
}

template <typename T>
Status DeltaBinaryPackedDecoder<T>::SkipAll() {
  T buf[256];
  while (remaining() > 0) {
    size_t k = size_t(std::min<uint64_t>(remaining(), 256));
    ALOPEX_RETURN_IF_ERROR(Get(buf, k));
  }
  return Status::OK();
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;

// ---------------------------------------------------------------- encoder

namespace {

void AppendUleb(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(char((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(char(v));
}

template <typename V>
void AppendPacked(std::string* out, int bw, const V* vals, size_t count /* multiple of 8 */) {
  AppendUleb(out, ((count / 8) << 1) | 1);
  size_t start = out->size();
  out->resize(start + count / 8 * size_t(bw), 0);
  uint8_t* p = reinterpret_cast<uint8_t*>(out->data() + start);
  uint64_t bit = 0;
  for (size_t i = 0; i < count; i++) {
    uint64_t v = vals[i];
    for (int k = 0; k < bw; k += 8) {
      // Write up to 8 bits at a time.
      int take = std::min(8, bw - k);
      uint64_t chunk = (v >> k) & ((1u << take) - 1);
      uint64_t b = bit + uint64_t(k);
      p[b >> 3] |= uint8_t(chunk << (b & 7));
      if ((b & 7) + uint64_t(take) > 8) p[(b >> 3) + 1] |= uint8_t(chunk >> (8 - (b & 7)));
    }
    bit += uint64_t(bw);
  }
}

void AppendRle(std::string* out, int bw, uint32_t value, uint64_t count) {
  AppendUleb(out, count << 1);
  int nbytes = (bw + 7) / 8;
  for (int k = 0; k < nbytes; k++) out->push_back(char((value >> (8 * k)) & 0xff));
}

template <typename V>
void EncodeRuns(const V* v, size_t n, int bw_, std::string* out) {
  size_t lit_start = 0;  // pending literals are [lit_start, i)
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    while (j < n && v[j] == v[i]) j++;
    size_t run = j - i;
    if (run >= 8) {
      size_t pending = i - lit_start;
      size_t fill = pending % 8 ? 8 - pending % 8 : 0;
      if (run - fill >= 8) {
        if (pending + fill > 0) AppendPacked(out, bw_, v + lit_start, pending + fill);
        AppendRle(out, bw_, v[i], run - fill);
        lit_start = j;
      }
    }
    i = j;
  }
  size_t pending = n - lit_start;
  if (pending > 0) {
    // The final group is padded with zeros past the value count.
    size_t padded = (pending + 7) / 8 * 8;
    std::vector<V> tail(v + lit_start, v + n);
    tail.resize(padded, 0);
    AppendPacked(out, bw_, tail.data(), padded);
  }
}

}  // namespace

void RleBitPackedEncoder::Finish(std::string* out) {
  EncodeRuns(values_.data(), values_.size(), bw_, out);
  values_.clear();
}

void RleBitPackedEncoder::EncodeBytes(const uint8_t* v, size_t n, int bit_width, std::string* out) {
  EncodeRuns(v, n, bit_width, out);
}

}  // namespace alopex::parquet
