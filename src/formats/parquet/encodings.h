// Parquet value and level encodings: the RLE/bit-packing hybrid (levels,
// dictionary indices, RLE booleans), legacy BIT_PACKED levels,
// DELTA_BINARY_PACKED, and helpers for BYTE_STREAM_SPLIT; plus the hybrid
// encoder the writer uses. Decoders never read past the bytes they are given:
// running out of input is reported by a false return.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "alopex/status.h"

namespace alopex::parquet {

// Number of bits needed to hold `max_value` (0 for 0).
inline int BitWidth(uint64_t max_value) { return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value); }

// Decodes the RLE/bit-packed hybrid with a fixed bit width (0..32).
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width) { Reset(data, size, bit_width); }
  void Reset(const uint8_t* data, size_t size, int bit_width);

  // Decodes exactly `n` values; false when the input is exhausted or malformed.
  bool Get(uint8_t* out, size_t n) { return GetImpl(out, n); }
  bool Get(uint32_t* out, size_t n) { return GetImpl(out, n); }
  // Bytes consumed by the runs read so far.
  size_t consumed() const { return size_t(pos_ - begin_); }

 private:
  template <typename T>
  bool GetImpl(T* out, size_t n);
  bool NextRun();

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;  // next run header
  const uint8_t* end_ = nullptr;
  int bw_ = 0;
  // Current run.
  uint64_t rle_left_ = 0;
  uint32_t rle_value_ = 0;
  const uint8_t* packed_ = nullptr;  // payload of the current bit-packed run
  size_t packed_bytes_ = 0;
  uint64_t packed_next_ = 0;  // index of the next value within the packed run
  uint64_t packed_left_ = 0;
};

// Unpacks `n` LSB-first values of `bw` bits (<= 32) starting at value index
// `first` of the bit stream `data` (`size` bytes). Caller guarantees the bits exist.
void UnpackBits32(const uint8_t* data, size_t size, int bw, uint64_t first, uint32_t* out, size_t n);
void UnpackBits8(const uint8_t* data, size_t size, int bw, uint64_t first, uint8_t* out, size_t n);
// Same for widths up to 64.
void UnpackBits64(const uint8_t* data, size_t size, int bw, uint64_t first, uint64_t* out, size_t n);

// Decodes levels in the legacy BIT_PACKED encoding (MSB-first, no headers).
bool DecodeBitPackedLegacy(const uint8_t* data, size_t size, int bw, uint8_t* out, size_t n);

// DELTA_BINARY_PACKED decoder for INT32 (T = int32_t) and INT64 (T = int64_t).
template <typename T>
class DeltaBinaryPackedDecoder {
 public:
  // Parses the header; `max_values` bounds total_count (the page's value count).
  Status Init(const uint8_t* data, size_t size, uint64_t max_values);
  uint64_t total_count() const { return total_; }
  uint64_t remaining() const { return total_ - produced_; }
  // Decodes the next n values (n <= remaining()).
  Status Get(T* out, size_t n);
  // Skips over every remaining value; then end() is where the stream ends.
  Status SkipAll();
  const uint8_t* end() const { return pos_; }

 private:
  Status NextBlock();
  Status NextMiniblock();

  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  uint64_t block_size_ = 0, miniblocks_ = 0, per_mini_ = 0;
  uint64_t total_ = 0, produced_ = 0;
  using U = std::make_unsigned_t<T>;
  U last_ = 0;
  bool first_pending_ = true;
  U min_delta_ = 0;
  uint8_t widths_[256] = {};
  uint64_t mini_index_ = 0;     // miniblock within block
  uint64_t mini_left_ = 0;      // values left in current miniblock
  const uint8_t* mini_data_ = nullptr;
  size_t mini_bytes_ = 0;
  uint64_t mini_pos_ = 0;
  int mini_bw_ = 0;
  std::vector<uint64_t> scratch_;
};

// RLE/bit-packed hybrid encoder (the writer's levels, dictionary indices and
// RLE booleans). Values are buffered and encoded by Finish: runs of 8 or more
// equal values become RLE runs, the rest bit-packed groups of 8.
class RleBitPackedEncoder {
 public:
  explicit RleBitPackedEncoder(int bit_width) : bw_(bit_width) {}
  void Put(uint32_t v) { values_.push_back(v); }
  void PutRepeated(uint32_t v, size_t count) { values_.insert(values_.end(), count, v); }
  size_t size() const { return values_.size(); }
  // Appends the encoded runs to `out` and clears the buffered values.
  void Finish(std::string* out);
  // Encodes `n` levels (each < 2^bit_width, bit_width <= 8) straight from a byte array.
  static void EncodeBytes(const uint8_t* v, size_t n, int bit_width, std::string* out);
  void Clear() { values_.clear(); }
  // Upper bound of the encoded size of the buffered values.
  size_t MaxEncodedSize() const { return (values_.size() * size_t(bw_) + 7) / 8 + values_.size() / 4 + 16; }

 private:
  int bw_;
  std::vector<uint32_t> values_;
};

}  // namespace alopex::parquet
