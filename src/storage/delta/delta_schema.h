// The Delta schema (metaData.schemaString, PROTOCOL.md "Schema Serialization
// Format") mapped onto Alopex column names and LogicalTypes, with column
// mapping (physical names and field ids).
//
// Alopex → Delta types:
//   BOOLEAN boolean, TINYINT byte, SMALLINT short, INTEGER integer, BIGINT long,
//   FLOAT float, DOUBLE double, DECIMAL(p,s) decimal(p,s), VARCHAR string,
//   BLOB binary, DATE date, TIMESTAMPTZ timestamp, T[] array, STRUCT struct,
//   MAP map, VECTOR(n) array<float> (containsNull false) with field metadata
//   {"alopex.vector_dimension": n}.
// Types Delta lacks are stored as the closest Delta type every engine reads,
// with the Alopex type in the field metadata key "alopex.type" so Alopex reads
// them back exactly:
//   TIMESTAMP (no zone) → timestamp: the same microseconds, read as UTC by other
//     engines (timestamp_ntz would force protocol 3/7 and exclude older readers);
//   UUID → string (canonical text 8-4-4-4-12: readable everywhere, unlike a
//     16-byte FIXED_LEN_BYTE_ARRAY under "binary", which Spark may reject);
//   JSONB → string; INTERVAL → string; TIME → long (microseconds);
//   UTINYINT/USMALLINT/UINTEGER → the next wider signed type; UBIGINT → decimal(20,0).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "storage/delta/json_node.h"

namespace alopex {

inline constexpr const char* kDeltaVectorDimensionKey = "alopex.vector_dimension";
inline constexpr const char* kDeltaAlopexTypeKey = "alopex.type";

enum class ColumnMappingMode { kNone, kName, kId };

// "none" / "name" / "id" from delta.columnMapping.mode (absent = none).
Result<ColumnMappingMode> ParseColumnMappingMode(std::string_view mode);

// One field of a Delta struct, with its nested structure mirrored so nested
// fields keep their own metadata (column mapping names nested fields too).
struct DeltaField {
  std::string name;
  LogicalType type;          // the Alopex type (after "alopex.type" / vector metadata)
  LogicalType stored_type;   // the Alopex type of the Delta type as stored in Parquet
  bool nullable = true;      // nullable / containsNull / valueContainsNull
  JsonNode metadata = JsonNode::Object();
  std::string delta_type;    // primitive Delta type name; empty for array/map/struct
  // struct: its fields; array: {element}; map: {key, value}. Children of
  // array/map carry no name or metadata of their own.
  std::vector<DeltaField> children;
  enum class Kind : uint8_t { kPrimitive, kArray, kMap, kStruct } kind = Kind::kPrimitive;

  // The column name in data files and in partitionValues/stats under `mode`.
  std::string PhysicalName(ColumnMappingMode mode) const;
  // delta.columnMapping.id, when present.
  std::optional<int> FieldId() const;
};

struct DeltaSchema {
  std::vector<DeltaField> fields;

  std::vector<std::string> names() const;
  std::vector<LogicalType> types() const;
  // Index of the field named `name` (case-insensitive), or -1.
  int FieldIndex(std::string_view name) const;
};

// Parses schemaString. Unknown primitive types are a NotImplemented error
// naming the field and the type.
Result<DeltaSchema> ParseDeltaSchema(std::string_view schema_string);
// The schemaString of `schema` (Spark's compact layout, metadata kept).
std::string SerializeDeltaSchema(const DeltaSchema& schema);

// Builds a schema from Alopex columns (no column mapping). Names must be unique
// ignoring case; a type with no Delta representation is an error naming the column.
Result<DeltaSchema> DeltaSchemaFromColumns(const std::vector<std::string>& names,
                                           const std::vector<LogicalType>& types);

// The Delta JSON type of a field (a string for primitives, an object otherwise).
JsonNode DeltaTypeToJson(const DeltaField& field);

// The type of `field` as found in data files under `mode`: the stored type with
// struct fields renamed to their physical names.
LogicalType PhysicalType(const DeltaField& field, ColumnMappingMode mode);

}  // namespace alopex
