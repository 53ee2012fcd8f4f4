// Value: one typed SQL value, used for constants, parameters and result access.
// Bulk data never travels as Values; it travels as columns.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"

namespace alopex {

using int128_t = __int128;

struct Interval {
  int32_t months = 0;
  int32_t days = 0;
  int64_t micros = 0;
  bool operator==(const Interval&) const = default;
};

// A UUID as two big-endian halves, so ordering the pair orders the UUID text.
struct Uuid {
  uint64_t hi = 0;
  uint64_t lo = 0;
  bool operator==(const Uuid&) const = default;
  auto operator<=>(const Uuid&) const = default;
};

class Value {
 public:
  Value() : type_(TypeId::kNull), null_(true) {}
  static Value Null(LogicalType type = TypeId::kNull) {
    Value v;
    v.type_ = std::move(type);
    return v;
  }
  static Value Boolean(bool b) { return Value(TypeId::kBoolean, int64_t(b)); }
  static Value TinyInt(int8_t x) { return Value(TypeId::kTinyInt, int64_t(x)); }
  static Value SmallInt(int16_t x) { return Value(TypeId::kSmallInt, int64_t(x)); }
  static Value Integer(int32_t x) { return Value(TypeId::kInteger, int64_t(x)); }
  static Value BigInt(int64_t x) { return Value(TypeId::kBigInt, x); }
  static Value UTinyInt(uint8_t x) { return Value(TypeId::kUTinyInt, int64_t(x)); }
  static Value USmallInt(uint16_t x) { return Value(TypeId::kUSmallInt, int64_t(x)); }
  static Value UInteger(uint32_t x) { return Value(TypeId::kUInteger, int64_t(x)); }
  static Value UBigInt(uint64_t x) { return Value(TypeId::kUBigInt, int64_t(x)); }
  static Value Float(float x) { return Value(TypeId::kFloat, double(x)); }
  static Value Double(double x) { return Value(TypeId::kDouble, x); }
  // `unscaled` is the value times 10^scale.
  static Value Decimal(int128_t unscaled, int width, int scale) {
    return Value(LogicalType::Decimal(width, scale), unscaled);
  }
  static Value Varchar(std::string s) { return Value(TypeId::kVarchar, std::move(s)); }
  static Value Blob(std::string bytes) { return Value(TypeId::kBlob, std::move(bytes)); }
  static Value Json(std::string text) { return Value(TypeId::kJson, std::move(text)); }
  static Value Date(int32_t days) { return Value(TypeId::kDate, int64_t(days)); }
  static Value Time(int64_t micros) { return Value(TypeId::kTime, micros); }
  static Value Timestamp(int64_t micros) { return Value(TypeId::kTimestamp, micros); }
  static Value TimestampTz(int64_t micros) { return Value(TypeId::kTimestampTz, micros); }
  static Value FromInterval(Interval iv) { return Value(TypeId::kInterval, iv); }
  static Value FromUuid(Uuid u) { return Value(TypeId::kUuid, u); }
  static Value Vector(std::vector<float> v) {
    int n = int(v.size());
    return Value(LogicalType::Vector(n), std::move(v));
  }
  static Value List(LogicalType child_type, std::vector<Value> items) {
    return Value(LogicalType::List(std::move(child_type)), std::move(items));
  }
  // `type` must be a STRUCT (or MAP, whose items are {key, value} structs).
  static Value Nested(LogicalType type, std::vector<Value> items) { return Value(std::move(type), std::move(items)); }

  const LogicalType& type() const { return type_; }
  bool is_null() const { return null_; }

  // Integer-like payloads: booleans, integers (UBIGINT as its bit pattern), DATE,
  // TIME, TIMESTAMP[TZ], and DECIMAL of width <= 18 (unscaled).
  int64_t GetInt64() const;
  uint64_t GetUInt64() const { return uint64_t(GetInt64()); }
  bool GetBool() const { return GetInt64() != 0; }
  // FLOAT, DOUBLE.
  double GetDouble() const { return std::get<double>(data_); }
  // DECIMAL unscaled value of any width.
  int128_t GetInt128() const;
  // VARCHAR, BLOB, JSON.
  const std::string& GetString() const { return std::get<std::string>(data_); }
  Interval GetInterval() const { return std::get<Interval>(data_); }
  Uuid GetUuid() const { return std::get<Uuid>(data_); }
  const std::vector<float>& GetVector() const { return std::get<std::vector<float>>(data_); }
  // LIST items, STRUCT fields in order, MAP {key, value} structs.
  const std::vector<Value>& children() const { return std::get<std::vector<Value>>(data_); }

  // Numeric payload as double, whatever the numeric type (for convenience).
  double AsDouble() const;

  // The text a SQL shell prints: 42, 3.5, hello, 2024-01-31, [1, 2], {'a': 1}, NULL.
  std::string ToString() const;
  // The value as a SQL literal: 'it''s', 42, NULL.
  std::string ToSqlLiteral() const;

  // SQL cast; an error names the value and both types.
  Result<Value> CastTo(const LogicalType& target) const;

  // Structural equality (NULL equals NULL here; for SQL semantics use the engine).
  bool operator==(const Value& o) const;
  bool operator!=(const Value& o) const { return !(*this == o); }

 private:
  using Data = std::variant<int64_t, double, int128_t, std::string, Interval, Uuid, std::vector<float>,
                            std::vector<Value>>;
  template <typename T>
  Value(LogicalType t, T x) : type_(std::move(t)), null_(false), data_(std::move(x)) {}

  LogicalType type_;
  bool null_;
  Data data_;
  friend class Column;
};

}  // namespace alopex
