// Split-block Bloom filters (parquet BloomFilter.md) and the XXH64 hash they
// use, implemented here from the published algorithm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace alopex::parquet {

// XXH64 of `data` with `seed`.
uint64_t XxHash64(const void* data, size_t size, uint64_t seed = 0);

// A view over a split-block Bloom filter bitset (numBytes bytes, a multiple of 32).
class SplitBlockBloomFilter {
 public:
  SplitBlockBloomFilter(const uint8_t* bitset, size_t num_bytes) : bits_(bitset), num_bytes_(num_bytes) {}
  // False only when no value hashing to `hash` was inserted.
  bool MayContain(uint64_t hash) const;

  // Sets the bits of `hash` in a writable bitset.
  static void Insert(uint8_t* bitset, size_t num_bytes, uint64_t hash);

 private:
  const uint8_t* bits_;
  size_t num_bytes_;
};

}  // namespace alopex::parquet
