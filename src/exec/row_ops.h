// Hashing, equality and ordering of column values: the primitives hash joins,
// aggregation, DISTINCT, IN and sorting are built from.
#pragma once

#include <cstdint>

#include "common/column.h"

namespace alopex {

// hashes[i] = hash of row i (combine: mixed with the existing hashes[i]).
// NULLs hash to a fixed value.
void HashColumn(const Column& col, uint64_t* hashes, size_t n, bool combine);
uint64_t HashRow(const Column& col, size_t row);

// Typed equality of a[i] and b[j]; both columns have the same type. NULLs are
// not handled here: callers check validity first.
bool ValuesEqual(const Column& a, size_t i, const Column& b, size_t j);
// Typed three-way comparison of non-NULL a[i] and b[j] of the same type.
int CompareValues(const Column& a, size_t i, const Column& b, size_t j);

inline uint64_t MixHash(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}
inline uint64_t CombineHash(uint64_t a, uint64_t b) { return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2)); }
uint64_t HashBytes(const void* data, size_t n);

}  // namespace alopex
