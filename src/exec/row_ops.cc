#include "exec/row_ops.h"

#include <cmath>
#include <cstring>

namespace alopex {

namespace {
constexpr uint64_t kNullHash = 0xbf58476d1ce4e5b9ULL;

template <typename T>
uint64_t HashFixed(const T& v) {
  uint64_t x = 0;
  if constexpr (sizeof(T) <= 8) {
    std::memcpy(&x, &v, sizeof(T));
    return MixHash(x);
  } else {
    return HashBytes(&v, sizeof(T));
  }
}

template <typename T>
void HashFixedColumn(const Column& col, uint64_t* hashes, size_t n, bool combine) {
  const T* d = col.data<T>();
  if (!combine) {
    for (size_t i = 0; i < n; i++) hashes[i] = HashFixed(d[i]);
  } else {
    for (size_t i = 0; i < n; i++) hashes[i] = CombineHash(hashes[i], HashFixed(d[i]));
  }
}

// Strings of up to 12 bytes live zero-padded inside the 16-byte ref: hash its
// two words instead of walking bytes.
inline uint64_t HashString(const StringRef& r) {
  if (r.IsInlined()) {
    uint64_t w[2];
    std::memcpy(w, &r, 16);
    return MixHash(w[0] ^ MixHash(w[1] + 0x9e3779b97f4a7c15ULL));
  }
  return HashBytes(r.data(), r.size());
}

uint64_t HashDouble(double d) {
  if (d == 0) d = 0;  // -0.0 == 0.0
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  return HashFixed(d);
}
}  // namespace

uint64_t HashBytes(const void* data, size_t n) {
  // 64-bit FNV-style mixing over 8-byte words; fast and good enough for tables.
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t h = 0xcbf29ce484222325ULL ^ (n * 0x9e3779b97f4a7c15ULL);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ MixHash(w)) * 0x100000001b3ULL;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h = (h ^ MixHash(tail ^ n)) * 0x100000001b3ULL;
  return MixHash(h);
}

uint64_t HashRow(const Column& col, size_t row) {
  if (!col.IsValid(row)) return kNullHash;
  switch (col.type().id()) {
    case TypeId::kBoolean: case TypeId::kTinyInt: case TypeId::kUTinyInt: return HashFixed(col.data<uint8_t>()[row]);
    case TypeId::kSmallInt: case TypeId::kUSmallInt: return HashFixed(col.data<uint16_t>()[row]);
    case TypeId::kInteger: case TypeId::kUInteger: case TypeId::kDate: return HashFixed(col.data<uint32_t>()[row]);
    case TypeId::kFloat: return HashDouble(col.data<float>()[row]);
    case TypeId::kDouble: return HashDouble(col.data<double>()[row]);
    case TypeId::kBigInt: case TypeId::kUBigInt: case TypeId::kTime: case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return HashFixed(col.data<uint64_t>()[row]);
    case TypeId::kDecimal:
      if (col.type().width() <= 18) return HashFixed(col.data<uint64_t>()[row]);
      return HashFixed(col.data<int128_t>()[row]);
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson:
      return HashString(col.data<StringRef>()[row]);
    case TypeId::kInterval: return HashFixed(col.data<Interval>()[row]);
    case TypeId::kUuid: return HashFixed(col.data<Uuid>()[row]);
    case TypeId::kVector: return HashBytes(col.vector_row(row), PhysicalSize(col.type()));
    case TypeId::kList: case TypeId::kMap: {
      const ListEntry& e = col.list_entries()[row];
      uint64_t h = MixHash(e.length);
      for (uint64_t k = 0; k < e.length; k++) h = CombineHash(h, HashRow(col.child(), e.offset + k));
      return h;
    }
    case TypeId::kStruct: {
      uint64_t h = 0x1234;
      for (const auto& c : col.children()) h = CombineHash(h, HashRow(c, row));
      return h;
    }
    case TypeId::kNull: return kNullHash;
  }
  return kNullHash;
}

void HashColumn(const Column& col, uint64_t* hashes, size_t n, bool combine) {
  switch (col.type().id()) {
    case TypeId::kBoolean: case TypeId::kTinyInt: case TypeId::kUTinyInt: HashFixedColumn<uint8_t>(col, hashes, n, combine); break;
    case TypeId::kSmallInt: case TypeId::kUSmallInt: HashFixedColumn<uint16_t>(col, hashes, n, combine); break;
    case TypeId::kInteger: case TypeId::kUInteger: case TypeId::kDate: HashFixedColumn<uint32_t>(col, hashes, n, combine); break;
    case TypeId::kBigInt: case TypeId::kUBigInt: case TypeId::kTime: case TypeId::kTimestamp: case TypeId::kTimestampTz:
      HashFixedColumn<uint64_t>(col, hashes, n, combine);
      break;
    case TypeId::kDecimal:
      if (col.type().width() <= 18) HashFixedColumn<uint64_t>(col, hashes, n, combine);
      else HashFixedColumn<int128_t>(col, hashes, n, combine);
      break;
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson: {
      const StringRef* d = col.data<StringRef>();
      for (size_t i = 0; i < n; i++) {
        uint64_t h = HashString(d[i]);
        hashes[i] = combine ? CombineHash(hashes[i], h) : h;
      }
      break;
    }
    default:
      for (size_t i = 0; i < n; i++) {
        uint64_t h = HashRow(col, i);
        hashes[i] = combine ? CombineHash(hashes[i], h) : h;
      }
      return;  // HashRow handled NULLs
  }
  if (col.MayHaveNulls()) {
    for (size_t i = 0; i < n; i++)
      if (!col.IsValid(i)) hashes[i] = combine ? CombineHash(hashes[i] ^ 1, kNullHash) : kNullHash;
  }
}

namespace {
template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}
int CmpDouble(double a, double b) {
  // NaN sorts after every other value and equals itself (DuckDB).
  bool an = std::isnan(a), bn = std::isnan(b);
  if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
  return Cmp(a, b);
}
}  // namespace

int CompareValues(const Column& a, size_t i, const Column& b, size_t j) {
  switch (a.type().id()) {
    case TypeId::kBoolean: case TypeId::kUTinyInt: return Cmp(a.data<uint8_t>()[i], b.data<uint8_t>()[j]);
    case TypeId::kTinyInt: return Cmp(a.data<int8_t>()[i], b.data<int8_t>()[j]);
    case TypeId::kSmallInt: return Cmp(a.data<int16_t>()[i], b.data<int16_t>()[j]);
    case TypeId::kUSmallInt: return Cmp(a.data<uint16_t>()[i], b.data<uint16_t>()[j]);
    case TypeId::kInteger: case TypeId::kDate: return Cmp(a.data<int32_t>()[i], b.data<int32_t>()[j]);
    case TypeId::kUInteger: return Cmp(a.data<uint32_t>()[i], b.data<uint32_t>()[j]);
    case TypeId::kBigInt: case TypeId::kTime: case TypeId::kTimestamp: case TypeId::kTimestampTz:
      return Cmp(a.data<int64_t>()[i], b.data<int64_t>()[j]);
    case TypeId::kUBigInt: return Cmp(a.data<uint64_t>()[i], b.data<uint64_t>()[j]);
    case TypeId::kFloat: return CmpDouble(a.data<float>()[i], b.data<float>()[j]);
    case TypeId::kDouble: return CmpDouble(a.data<double>()[i], b.data<double>()[j]);
    case TypeId::kDecimal:
      if (a.type().width() <= 18) return Cmp(a.data<int64_t>()[i], b.data<int64_t>()[j]);
      return Cmp(a.data<int128_t>()[i], b.data<int128_t>()[j]);
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson: {
      int c = a.data<StringRef>()[i].Compare(b.data<StringRef>()[j]);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case TypeId::kInterval: {
      // Compare by normalized length: a month is 30 days, a day 24 hours (PostgreSQL).
      auto norm = [](const Interval& v) { return (int128_t(v.months) * 30 + v.days) * 86400000000LL + v.micros; };
      return Cmp(norm(a.data<Interval>()[i]), norm(b.data<Interval>()[j]));
    }
    case TypeId::kUuid: return Cmp(a.data<Uuid>()[i], b.data<Uuid>()[j]);
    case TypeId::kVector: {
      int d = a.type().dimension();
      const float* x = a.vector_row(i);
      const float* y = b.vector_row(j);
      for (int k = 0; k < d; k++) {
        int c = CmpDouble(x[k], y[k]);
        if (c) return c;
      }
      return 0;
    }
    case TypeId::kList: case TypeId::kMap: {
      const ListEntry& x = a.list_entries()[i];
      const ListEntry& y = b.list_entries()[j];
      uint64_t n = std::min(x.length, y.length);
      for (uint64_t k = 0; k < n; k++) {
        bool va = a.child().IsValid(x.offset + k), vb = b.child().IsValid(y.offset + k);
        if (!va || !vb) {
          if (va != vb) return va ? -1 : 1;  // NULL elements sort last
          continue;
        }
        int c = CompareValues(a.child(), x.offset + k, b.child(), y.offset + k);
        if (c) return c;
      }
      return Cmp(x.length, y.length);
    }
    case TypeId::kStruct: {
      for (size_t f = 0; f < a.children().size(); f++) {
        bool va = a.child(f).IsValid(i), vb = b.child(f).IsValid(j);
        if (!va || !vb) {
          if (va != vb) return va ? -1 : 1;
          continue;
        }
        int c = CompareValues(a.child(f), i, b.child(f), j);
        if (c) return c;
      }
      return 0;
    }
    case TypeId::kNull: return 0;
  }
  return 0;
}

bool ValuesEqual(const Column& a, size_t i, const Column& b, size_t j) {
  switch (a.type().id()) {
    case TypeId::kBoolean: case TypeId::kTinyInt: case TypeId::kUTinyInt: return a.data<uint8_t>()[i] == b.data<uint8_t>()[j];
    case TypeId::kSmallInt: case TypeId::kUSmallInt: return a.data<uint16_t>()[i] == b.data<uint16_t>()[j];
    case TypeId::kInteger: case TypeId::kUInteger: case TypeId::kDate: return a.data<uint32_t>()[i] == b.data<uint32_t>()[j];
    case TypeId::kBigInt: case TypeId::kUBigInt: case TypeId::kTime: case TypeId::kTimestamp: case TypeId::kTimestampTz:
      return a.data<uint64_t>()[i] == b.data<uint64_t>()[j];
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson:
      return a.data<StringRef>()[i] == b.data<StringRef>()[j];
    default:
      return CompareValues(a, i, b, j) == 0;
  }
}

}  // namespace alopex
