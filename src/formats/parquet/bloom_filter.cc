#include "formats/parquet/bloom_filter.h"

#include <cstring>

namespace alopex::parquet {

namespace {

constexpr uint64_t kP1 = 0x9E3779B185EBCA87ull;
constexpr uint64_t kP2 = 0xC2B2AE3D27D4EB4Full;
constexpr uint64_t kP3 = 0x165667B19E3779F9ull;
constexpr uint64_t kP4 = 0x85EBCA77C2B2AE63ull;
constexpr uint64_t kP5 = 0x27D4EB2F165667C5ull;

inline uint64_t Rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
inline uint64_t Read64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint32_t Read32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t Round(uint64_t acc, uint64_t input) {
  acc += input * kP2;
  acc = Rotl(acc, 31);
  return acc * kP1;
}
inline uint64_t MergeRound(uint64_t acc, uint64_t val) {
  acc ^= Round(0, val);
  return acc * kP1 + kP4;
}

constexpr uint32_t kSalt[8] = {0x47b6137bU, 0x44974d91U, 0x8824ad5bU, 0xa2b7289dU,
                               0x705495c7U, 0x2df1424bU, 0x9efc4947U, 0x5c6bfb31U};

}  // namespace

uint64_t XxHash64(const void* data, size_t size, uint64_t seed) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  const uint8_t* end = p + size;
  uint64_t h;
  if (size >= 32) {
    uint64_t v1 = seed + kP1 + kP2, v2 = seed + kP2, v3 = seed, v4 = seed - kP1;
    const uint8_t* limit = end - 32;
    do {
      v1 = Round(v1, Read64(p));
      v2 = Round(v2, Read64(p + 8));
      v3 = Round(v3, Read64(p + 16));
      v4 = Round(v4, Read64(p + 24));
      p += 32;
    } while (p <= limit);
    h = Rotl(v1, 1) + Rotl(v2, 7) + Rotl(v3, 12) + Rotl(v4, 18);
    h = MergeRound(h, v1);
    h = MergeRound(h, v2);
    h = MergeRound(h, v3);
    h = MergeRound(h, v4);
  } else {
    h = seed + kP5;
  }
  h += uint64_t(size);
  while (end - p >= 8) {
    h ^= Round(0, Read64(p));
    h = Rotl(h, 27) * kP1 + kP4;
    p += 8;
  }
  if (end - p >= 4) {
    h ^= uint64_t(Read32(p)) * kP1;
    h = Rotl(h, 23) * kP2 + kP3;
    p += 4;
  }
  while (p < end) {
    h ^= uint64_t(*p) * kP5;
    h = Rotl(h, 11) * kP1;
    p++;
  }
  h ^= h >> 33;
  h *= kP2;
  h ^= h >> 29;
  h *= kP3;
  h ^= h >> 32;
  return h;
}

bool SplitBlockBloomFilter::MayContain(uint64_t hash) const {
  uint64_t z = num_bytes_ / 32;
  if (z == 0) return true;
  uint64_t block = ((hash >> 32) * z) >> 32;
  uint32_t key = uint32_t(hash);
  const uint8_t* b = bits_ + block * 32;
  for (int w = 0; w < 8; w++) {
    uint32_t bit = (key * kSalt[w]) >> 27;
    if (!((Read32(b + 4 * w) >> bit) & 1)) return false;
  }
  return true;
}

void SplitBlockBloomFilter::Insert(uint8_t* bitset, size_t num_bytes, uint64_t hash) {
  uint64_t z = num_bytes / 32;
  if (z == 0) return;
  uint64_t block = ((hash >> 32) * z) >> 32;
  uint32_t key = uint32_t(hash);
  uint8_t* b = bitset + block * 32;
  for (int w = 0; w < 8; w++) {
    uint32_t bit = (key * kSalt[w]) >> 27;
    uint32_t word = Read32(b + 4 * w) | (1u << bit);
    std::memcpy(b + 4 * w, &word, 4);
  }
}

}  // namespace alopex::parquet
