// Logical types of Alopex values and columns (DESIGN.md § Types).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "alopex/status.h"

namespace alopex {

enum class TypeId : uint8_t {
  kNull,  // the type of a bare NULL literal before binding picks a real type
  kBoolean,
  kTinyInt,
  kSmallInt,
  kInteger,
  kBigInt,
  kUTinyInt,
  kUSmallInt,
  kUInteger,
  kUBigInt,
  kFloat,
  kDouble,
  kDecimal,  // width <= 18: int64 storage; width <= 38: __int128 storage
  kVarchar,
  kBlob,
  kDate,         // int32 days since 1970-01-01
  kTime,         // int64 microseconds since midnight
  kTimestamp,    // int64 microseconds since 1970-01-01 00:00:00
  kTimestampTz,  // int64 microseconds since the epoch, UTC
  kInterval,     // {int32 months, int32 days, int64 micros}
  kUuid,         // 16 bytes, big-endian order
  kJson,         // JSONB: validated JSON text
  kVector,       // VECTOR(n): n float32 values, contiguous
  kList,         // T[]: offset/length entries over a child column
  kStruct,       // STRUCT(name T, ...): one child column per field
  kMap,          // MAP(K, V): physically a list of STRUCT(key K, value V)
};

class LogicalType;

struct StructField {
  std::string name;
  std::shared_ptr<const LogicalType> type;
};

class LogicalType {
 public:
  LogicalType() : id_(TypeId::kNull) {}
  LogicalType(TypeId id) : id_(id) {}  // NOLINT: implicit from simple ids is convenient

  static LogicalType Decimal(int width, int scale) {
    LogicalType t(TypeId::kDecimal);
    t.width_ = width;
    t.scale_ = scale;
    return t;
  }
  static LogicalType Vector(int dimension) {
    LogicalType t(TypeId::kVector);
    t.width_ = dimension;
    return t;
  }
  static LogicalType List(LogicalType child) {
    LogicalType t(TypeId::kList);
    t.children_.push_back({"element", std::make_shared<const LogicalType>(std::move(child))});
    return t;
  }
  static LogicalType Struct(std::vector<std::pair<std::string, LogicalType>> fields) {
    LogicalType t(TypeId::kStruct);
    for (auto& [name, type] : fields)
      t.children_.push_back({name, std::make_shared<const LogicalType>(std::move(type))});
    return t;
  }
  static LogicalType Map(LogicalType key, LogicalType value) {
    LogicalType t(TypeId::kMap);
    t.children_.push_back({"key", std::make_shared<const LogicalType>(std::move(key))});
    t.children_.push_back({"value", std::make_shared<const LogicalType>(std::move(value))});
    return t;
  }

  TypeId id() const { return id_; }
  // DECIMAL precision; VECTOR dimension.
  int width() const { return width_; }
  int scale() const { return scale_; }
  int dimension() const { return width_; }
  // LIST element type.
  const LogicalType& child() const { return *children_.at(0).type; }
  // STRUCT fields; MAP has two: key and value.
  const std::vector<StructField>& fields() const { return children_; }
  const LogicalType& key_type() const { return *children_.at(0).type; }
  const LogicalType& value_type() const { return *children_.at(1).type; }

  bool IsNumeric() const;   // integers, floats, decimals
  bool IsInteger() const;   // signed or unsigned integers
  bool IsSigned() const;
  bool IsFloating() const { return id_ == TypeId::kFloat || id_ == TypeId::kDouble; }
  bool IsString() const { return id_ == TypeId::kVarchar || id_ == TypeId::kBlob || id_ == TypeId::kJson; }
  bool IsTemporal() const;
  bool IsNested() const { return id_ == TypeId::kList || id_ == TypeId::kStruct || id_ == TypeId::kMap; }

  // SQL spelling: "BIGINT", "DECIMAL(10,2)", "VECTOR(384)", "INTEGER[]", "STRUCT(a INTEGER, b VARCHAR)".
  std::string ToString() const;
  // Parses a SQL type name ("int", "varchar", "decimal(10,2)", "vector(3)", "text[]", ...).
  static Result<LogicalType> Parse(const std::string& sql);

  bool operator==(const LogicalType& o) const;
  bool operator!=(const LogicalType& o) const { return !(*this == o); }

 private:
  TypeId id_;
  int width_ = 0;
  int scale_ = 0;
  std::vector<StructField> children_;
};

// Size in bytes of one value in a column's fixed-width data buffer (0 for STRUCT,
// whose data lives in its children). VECTOR(n) is 4*n.
size_t PhysicalSize(const LogicalType& type);

// The type both sides of a comparison or a UNION are converted to, or an error
// naming both types.
Result<LogicalType> CommonSuperType(const LogicalType& a, const LogicalType& b);

}  // namespace alopex
