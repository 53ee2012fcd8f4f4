#include "formats/parquet/statistics.h"

#include <cmath>
#include <cstring>

using u128 = unsigned __int128;

namespace alopex::parquet {

namespace {

template <typename T>
T LoadLE(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

int128_t BigEndian(const uint8_t* p, size_t n) {
  if (n == 0) return 0;
  u128 u = (p[0] & 0x80) ? ~u128(0) : 0;
  for (size_t i = 0; i < n; i++) u = (u << 8) | p[i];
  return int128_t(u);
}

float Half(uint16_t h) {
  uint32_t sign = uint32_t(h >> 15) << 31, exp = (h >> 10) & 0x1f, mant = h & 0x3ff, bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {
      int e = -1;
      do {
        e++;
        mant <<= 1;
      } while (!(mant & 0x400));
      bits = sign | (uint32_t(127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

bool IsUnsignedOrder(const LeafInfo& leaf) {
  switch (leaf.type.id()) {
    case TypeId::kUTinyInt:
    case TypeId::kUSmallInt:
    case TypeId::kUInteger:
    case TypeId::kUBigInt:
    case TypeId::kVarchar:
    case TypeId::kBlob:
    case TypeId::kJson:
    case TypeId::kUuid:
      return true;
    case TypeId::kDecimal:
      return leaf.physical == Type::kFixedLenByteArray || leaf.physical == Type::kByteArray;
    default:
      return false;
  }
}

}  // namespace

std::optional<Value> DecodeStatValue(const LeafInfo& leaf, std::string_view b) {
  const char* p = b.data();
  size_t n = b.size();
  const LogicalType& t = leaf.type;
  auto need = [&](size_t k) { return n == k; };
  switch (leaf.conversion) {
    case Conversion::kBoolean:
      if (n < 1) return std::nullopt;
      return Value::Boolean(p[0] != 0);
    case Conversion::kCopy:
    case Conversion::kInt32ToInt8:
    case Conversion::kInt32ToInt16:
    case Conversion::kInt32ToInt64:
    case Conversion::kInt32ToInt128:
    case Conversion::kInt64ToInt128:
    case Conversion::kInt32MillisToMicros:
    case Conversion::kInt64MillisToMicros:
    case Conversion::kInt64NanosToMicros: {
      int64_t iv = 0;
      double dv = 0;
      if (leaf.physical == Type::kInt32) {
        if (!need(4)) return std::nullopt;
        iv = LoadLE<int32_t>(p);
      } else if (leaf.physical == Type::kInt64) {
        if (!need(8)) return std::nullopt;
        iv = LoadLE<int64_t>(p);
      } else if (leaf.physical == Type::kFloat) {
        if (!need(4)) return std::nullopt;
        dv = LoadLE<float>(p);
      } else if (leaf.physical == Type::kDouble) {
        if (!need(8)) return std::nullopt;
        dv = LoadLE<double>(p);
      } else {
        return std::nullopt;
      }
      if (leaf.conversion == Conversion::kInt32MillisToMicros || leaf.conversion == Conversion::kInt64MillisToMicros)
        iv *= 1000;
      if (leaf.conversion == Conversion::kInt64NanosToMicros) iv = iv / 1000 - (iv % 1000 < 0 ? 1 : 0);
      switch (t.id()) {
        case TypeId::kTinyInt: return Value::TinyInt(int8_t(iv));
        case TypeId::kSmallInt: return Value::SmallInt(int16_t(iv));
        case TypeId::kInteger: return Value::Integer(int32_t(iv));
        case TypeId::kBigInt: return Value::BigInt(iv);
        case TypeId::kUTinyInt: return Value::UTinyInt(uint8_t(iv));
        case TypeId::kUSmallInt: return Value::USmallInt(uint16_t(iv));
        case TypeId::kUInteger: return Value::UInteger(uint32_t(iv));
        case TypeId::kUBigInt: return Value::UBigInt(uint64_t(iv));
        case TypeId::kFloat:
          if (std::isnan(dv)) return std::nullopt;
          return Value::Float(float(dv));
        case TypeId::kDouble:
          if (std::isnan(dv)) return std::nullopt;
          return Value::Double(dv);
        case TypeId::kDecimal: return Value::Decimal(iv, t.width(), t.scale());
        case TypeId::kDate: return Value::Date(int32_t(iv));
        case TypeId::kTime: return Value::Time(iv);
        case TypeId::kTimestamp: return Value::Timestamp(iv);
        case TypeId::kTimestampTz: return Value::TimestampTz(iv);
        default: return std::nullopt;
      }
    }
    case Conversion::kFloat16ToFloat: {
      if (!need(2)) return std::nullopt;
      float f = Half(uint16_t(uint8_t(p[0]) | (uint8_t(p[1]) << 8)));
      if (std::isnan(f)) return std::nullopt;
      return Value::Float(f);
    }
    case Conversion::kFixedDecimal:
    case Conversion::kBinaryDecimal:
      if (n > 16) return std::nullopt;
      if (leaf.conversion == Conversion::kFixedDecimal && int32_t(n) != leaf.type_length) return std::nullopt;
      return Value::Decimal(BigEndian(reinterpret_cast<const uint8_t*>(p), n), t.width(), t.scale());
    case Conversion::kFixedUuid: {
      if (!need(16)) return std::nullopt;
      uint64_t hi = 0, lo = 0;
      for (int k = 0; k < 8; k++) hi = (hi << 8) | uint8_t(p[k]);
      for (int k = 8; k < 16; k++) lo = (lo << 8) | uint8_t(p[k]);
      return Value::FromUuid(Uuid{hi, lo});
    }
    case Conversion::kString:
    case Conversion::kFixedString:
      if (t.id() == TypeId::kVarchar) return Value::Varchar(std::string(b));
      if (t.id() == TypeId::kJson) return Value::Json(std::string(b));
      return Value::Blob(std::string(b));
    case Conversion::kInt96ToTimestamp:
    case Conversion::kFixedInterval:
      return std::nullopt;  // no defined order
  }
  return std::nullopt;
}

std::optional<std::string> EncodePhysicalValue(const LeafInfo& leaf, const Value& v) {
  if (v.is_null()) return std::nullopt;
  std::string out;
  auto put = [&](const void* p, size_t n) { out.append(static_cast<const char*>(p), n); };
  const LogicalType& vt = v.type();
  const LogicalType& t = leaf.type;
  switch (leaf.conversion) {
    case Conversion::kBoolean: {
      if (vt.id() != TypeId::kBoolean) return std::nullopt;
      out.push_back(v.GetBool() ? 1 : 0);
      return out;
    }
    case Conversion::kCopy:
    case Conversion::kInt32ToInt8:
    case Conversion::kInt32ToInt16:
    case Conversion::kInt32ToInt64:
    case Conversion::kInt64ToInt128:
    case Conversion::kInt32ToInt128: {
      if (leaf.physical == Type::kFloat || leaf.physical == Type::kDouble) {
        if (!vt.IsNumeric()) return std::nullopt;
        double d = v.AsDouble();
        if (leaf.physical == Type::kFloat) {
          float f = float(d);
          if (double(f) != d) return std::nullopt;
          put(&f, 4);
        } else {
          put(&d, 8);
        }
        return out;
      }
      int128_t iv;
      if (t.id() == TypeId::kDecimal) {
        if (vt.id() != TypeId::kDecimal || vt.scale() != t.scale()) {
          if (!vt.IsInteger()) return std::nullopt;
          iv = v.GetInt64();
          for (int i = 0; i < t.scale(); i++) iv *= 10;
        } else {
          iv = v.GetInt128();
        }
      } else if (vt.IsInteger()) {
        iv = vt.id() == TypeId::kUBigInt ? int128_t(v.GetUInt64()) : int128_t(v.GetInt64());
      } else if (vt.id() == t.id() && (vt.IsTemporal())) {
        iv = v.GetInt64();
      } else {
        return std::nullopt;
      }
      if (leaf.physical == Type::kInt32) {
        bool unsigned_type = t.id() == TypeId::kUInteger || t.id() == TypeId::kUSmallInt || t.id() == TypeId::kUTinyInt;
        if (unsigned_type ? (iv < 0 || iv > int128_t(UINT32_MAX)) : (iv < INT32_MIN || iv > INT32_MAX))
          return std::nullopt;
        int32_t x = int32_t(uint32_t(iv));
        put(&x, 4);
      } else if (leaf.physical == Type::kInt64) {
        bool unsigned_type = t.id() == TypeId::kUBigInt;
        if (unsigned_type ? (iv < 0 || iv > int128_t(UINT64_MAX)) : (iv < INT64_MIN || iv > INT64_MAX))
          return std::nullopt;
        int64_t x = int64_t(uint64_t(iv));
        put(&x, 8);
      } else {
        return std::nullopt;
      }
      return out;
    }
    case Conversion::kFixedDecimal:
    case Conversion::kBinaryDecimal: {
      if (vt.id() != TypeId::kDecimal || vt.scale() != t.scale()) return std::nullopt;
      int128_t x = v.GetInt128();
      size_t n = leaf.conversion == Conversion::kFixedDecimal ? size_t(leaf.type_length) : 16;
      for (size_t i = 0; i < n; i++) out.push_back(char(uint8_t(u128(x) >> (8 * (n - 1 - i)))));
      if (leaf.conversion == Conversion::kBinaryDecimal) {
        // Minimal two's complement: drop redundant sign bytes.
        size_t k = 0;
        while (k + 1 < out.size() && ((uint8_t(out[k]) == 0 && !(uint8_t(out[k + 1]) & 0x80)) ||
                                      (uint8_t(out[k]) == 0xff && (uint8_t(out[k + 1]) & 0x80))))
          k++;
        out.erase(0, k);
      }
      return out;
    }
    case Conversion::kFixedUuid: {
      if (vt.id() != TypeId::kUuid) return std::nullopt;
      Uuid u = v.GetUuid();
      for (int k = 7; k >= 0; k--) out.push_back(char(uint8_t(u.hi >> (8 * k))));
      for (int k = 7; k >= 0; k--) out.push_back(char(uint8_t(u.lo >> (8 * k))));
      return out;
    }
    case Conversion::kString:
    case Conversion::kFixedString:
      if (!vt.IsString()) return std::nullopt;
      if (leaf.conversion == Conversion::kFixedString && int32_t(v.GetString().size()) != leaf.type_length)
        return std::nullopt;
      return v.GetString();
    default:
      return std::nullopt;
  }
}

void ChooseStatistics(const LeafInfo& leaf, const Statistics& s, const FileMetaData& md,
                      std::optional<std::string>* min, std::optional<std::string>* max) {
  min->reset();
  max->reset();
  if (leaf.conversion == Conversion::kInt96ToTimestamp || leaf.conversion == Conversion::kFixedInterval) return;
  size_t idx = size_t(leaf.column_index);
  bool type_order = idx < md.column_orders.size() && md.column_orders[idx] == 1;
  if (idx < md.column_orders.size() && md.column_orders[idx] != 1) return;  // unknown order: ignore
  if ((type_order || !md.column_orders.empty()) && s.min_value && s.max_value) {
    *min = s.min_value;
    *max = s.max_value;
    return;
  }
  if (s.min_value && s.max_value) {
    *min = s.min_value;
    *max = s.max_value;
    return;
  }
  // Deprecated min/max were computed with signed comparisons.
  if (s.min && s.max && (!IsUnsignedOrder(leaf) || *s.min == *s.max)) {
    *min = s.min;
    *max = s.max;
  }
}

std::optional<int> CompareValues(const Value& a, const Value& b) {
  const LogicalType& ta = a.type();
  const LogicalType& tb = b.type();
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (ta.IsString() && tb.IsString()) {
    int c = a.GetString().compare(b.GetString());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (ta.IsInteger() && tb.IsInteger()) {
    int128_t x = ta.id() == TypeId::kUBigInt ? int128_t(a.GetUInt64()) : int128_t(a.GetInt64());
    int128_t y = tb.id() == TypeId::kUBigInt ? int128_t(b.GetUInt64()) : int128_t(b.GetInt64());
    return cmp(x, y);
  }
  if (ta.id() == TypeId::kDecimal && tb.id() == TypeId::kDecimal && ta.scale() == tb.scale())
    return cmp(a.GetInt128(), b.GetInt128());
  if (ta.IsNumeric() && tb.IsNumeric()) {
    double x = a.AsDouble(), y = b.AsDouble();
    if (std::isnan(x) || std::isnan(y)) return std::nullopt;
    // Values this close may differ only by rounding: report them equal.
    if (std::fabs(x - y) <= 1e-9 * std::max(std::fabs(x), std::fabs(y))) return 0;
    return cmp(x, y);
  }
  if (ta.id() == TypeId::kBoolean && tb.id() == TypeId::kBoolean) return cmp(a.GetInt64(), b.GetInt64());
  auto micros = [](const Value& v) -> std::optional<int64_t> {
    switch (v.type().id()) {
      case TypeId::kDate: return v.GetInt64() * 86400000000LL;
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz: return v.GetInt64();
      default: return std::nullopt;
    }
  };
  if (ta.id() == TypeId::kTime && tb.id() == TypeId::kTime) return cmp(a.GetInt64(), b.GetInt64());
  if (auto x = micros(a)) {
    if (auto y = micros(b)) return cmp(*x, *y);
  }
  if (ta.id() == TypeId::kUuid && tb.id() == TypeId::kUuid) return cmp(a.GetUuid(), b.GetUuid());
  return std::nullopt;
}

}  // namespace alopex::parquet
