// The Parquet schema tree mapped onto Alopex logical types, with the
// definition/repetition thresholds record assembly needs. Handles the legacy
// LIST forms (2-level, repeated primitives without LIST, `array`/`_tuple`
// groups), MAP and MAP_KEY_VALUE, and the physical/logical type pairs of
// parquet LogicalTypes.md.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "formats/parquet/parquet_metadata.h"

namespace alopex::parquet {

// How a leaf's physical values become Alopex values.
enum class Conversion : uint8_t {
  kBoolean,       // BOOLEAN -> 1 byte
  kCopy,          // same width and representation (INT32->INTEGER/DATE/UINTEGER, INT64->BIGINT/..., FLOAT, DOUBLE)
  kInt32ToInt8,   // narrowing (signed or unsigned by the target)
  kInt32ToInt16,
  kInt32ToInt64,  // DECIMAL on INT32 -> int64 storage
  kInt32ToInt128,
  kInt64ToInt128,
  kInt32MillisToMicros,  // TIME(MILLIS) on INT32 -> TIME micros
  kInt64MillisToMicros,
  kInt64NanosToMicros,
  kInt96ToTimestamp,
  kFloat16ToFloat,
  kFixedDecimal,   // FLBA big-endian two's complement -> int64/int128
  kBinaryDecimal,  // BYTE_ARRAY big-endian two's complement -> int64/int128
  kFixedUuid,
  kFixedInterval,
  kFixedString,  // FLBA -> BLOB
  kString,       // BYTE_ARRAY -> VARCHAR/BLOB/JSON
};

struct LeafInfo {
  int column_index = 0;  // position among the leaves = index in RowGroup.columns
  const SchemaElement* element = nullptr;
  Type physical = Type::kInt32;
  int32_t type_length = 0;
  int max_def = 0;
  int max_rep = 0;
  LogicalType type;  // Alopex type of one value
  Conversion conversion = Conversion::kCopy;
  std::vector<std::string> path;
  std::string dotted_path;
};

// One node of the Alopex-side column tree.
struct ColumnNode {
  enum Kind : uint8_t { kLeaf, kStruct, kList, kMap };
  Kind kind = kLeaf;
  std::string name;
  LogicalType type;
  int def_null = 0;      // def < def_null: this node is NULL (required nodes: their parent's threshold)
  int def_nonempty = 0;  // lists/maps: def >= def_nonempty means at least one element
  int rep = 0;           // lists/maps: the repetition level of the repeated node
  int leaf = -1;         // kLeaf: index into ParquetSchema::leaves
  int first_leaf = 0;    // first leaf below this node (its levels give this node's shape)
  int num_leaves = 0;
  std::vector<ColumnNode> children;  // struct fields; list: {element}; map: {key_value struct}
};

struct ParquetSchema {
  std::vector<LeafInfo> leaves;
  std::vector<ColumnNode> columns;  // top-level fields
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  // Columns declared VECTOR(n) by the "alopex.vector_dimension" key-value metadata.
  std::map<std::string, int> vector_dimensions;
};

// Builds the schema of `md`; a malformed tree is a Corruption status naming the element.
Status BuildParquetSchema(const FileMetaData& md, ParquetSchema* out);

// Parses {"col": 768, ...} (the "alopex.vector_dimension" value).
std::map<std::string, int> ParseVectorDimensions(const std::string& json);

inline constexpr const char* kVectorDimensionKey = "alopex.vector_dimension";

}  // namespace alopex::parquet
