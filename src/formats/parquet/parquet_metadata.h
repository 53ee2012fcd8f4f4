// Parquet metadata structures (parquet.thrift) and their compact-protocol
// decoding and encoding. Field names follow parquet.thrift; optional fields are
// std::optional (or an `is_set` flag for nested structs). Enum-typed fields
// keep the raw int32 so unknown values survive decoding and can be reported.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"

namespace alopex::parquet {

enum class Type : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum class Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class Codec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };

// Logical type union; `kind` is the member id (0 = absent).
struct LogicalTypeInfo {
  enum Kind : int32_t {
    kNone = 0,
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kUnknown = 11,
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kFloat16 = 15,
    kVariant = 16,
    kGeometry = 17,
    kGeography = 18,
  };
  int32_t kind = kNone;  // may hold an unknown member id
  int32_t scale = 0, precision = 0;  // DECIMAL
  bool is_adjusted_to_utc = false;   // TIME, TIMESTAMP
  int32_t unit = 0;                  // TIME, TIMESTAMP: 1 MILLIS, 2 MICROS, 3 NANOS
  int32_t bit_width = 0;             // INTEGER
  bool is_signed = true;             // INTEGER
};

struct SchemaElement {
  std::optional<Type> type;
  std::optional<int32_t> type_length;
  std::optional<Repetition> repetition_type;
  std::string name;
  std::optional<int32_t> num_children;
  std::optional<ConvertedType> converted_type;
  std::optional<int32_t> scale;
  std::optional<int32_t> precision;
  std::optional<int32_t> field_id;
  LogicalTypeInfo logical_type;
};

struct Statistics {
  std::optional<std::string> max;  // deprecated, signed order
  std::optional<std::string> min;
  std::optional<int64_t> null_count;
  std::optional<int64_t> distinct_count;
  std::optional<std::string> max_value;
  std::optional<std::string> min_value;
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<int64_t> nan_count;
  bool is_set = false;
};

struct PageEncodingStats {
  int32_t page_type = 0;
  int32_t encoding = 0;
  int32_t count = 0;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
};

struct SortingColumn {
  int32_t column_idx = 0;
  bool descending = false;
  bool nulls_first = false;
};

struct ColumnMetaData {
  Type type = Type::kBoolean;
  std::vector<int32_t> encodings;
  std::vector<std::string> path_in_schema;
  int32_t codec = 0;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  std::vector<KeyValue> key_value_metadata;
  int64_t data_page_offset = 0;
  std::optional<int64_t> index_page_offset;
  std::optional<int64_t> dictionary_page_offset;
  Statistics statistics;
  std::vector<PageEncodingStats> encoding_stats;
  std::optional<int64_t> bloom_filter_offset;
  std::optional<int32_t> bloom_filter_length;
};

struct ColumnChunk {
  std::optional<std::string> file_path;
  int64_t file_offset = 0;
  ColumnMetaData meta_data;
  bool has_meta_data = false;
  std::optional<int64_t> offset_index_offset;
  std::optional<int32_t> offset_index_length;
  std::optional<int64_t> column_index_offset;
  std::optional<int32_t> column_index_length;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::vector<SortingColumn> sorting_columns;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
  std::optional<int16_t> ordinal;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::optional<std::string> created_by;
  // One per leaf: the ColumnOrder union member id (1 TYPE_ORDER, 2 IEEE754 total order, ...).
  std::vector<int32_t> column_orders;
  bool encrypted = false;  // encryption_algorithm present
};

struct DataPageHeader {
  int32_t num_values = 0;
  int32_t encoding = 0;
  int32_t definition_level_encoding = 0;
  int32_t repetition_level_encoding = 0;
  Statistics statistics;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  int32_t encoding = 0;
  std::optional<bool> is_sorted;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  int32_t encoding = 0;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
  Statistics statistics;
};

struct PageHeader {
  int32_t type = 0;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<int32_t> crc;
  std::optional<DataPageHeader> data_page_header;
  std::optional<DictionaryPageHeader> dictionary_page_header;
  std::optional<DataPageHeaderV2> data_page_header_v2;
};

struct PageLocation {
  int64_t offset = 0;
  int32_t compressed_page_size = 0;
  int64_t first_row_index = 0;
};

struct OffsetIndex {
  std::vector<PageLocation> page_locations;
  std::vector<int64_t> unencoded_byte_array_data_bytes;
};

struct ColumnIndex {
  std::vector<bool> null_pages;
  std::vector<std::string> min_values;
  std::vector<std::string> max_values;
  int32_t boundary_order = 0;  // 0 UNORDERED, 1 ASCENDING, 2 DESCENDING
  std::vector<int64_t> null_counts;
};

struct BloomFilterHeader {
  int32_t num_bytes = 0;
  int32_t algorithm = 0;    // union member id (1 = BLOCK)
  int32_t hash = 0;         // 1 = XXHASH
  int32_t compression = 0;  // 1 = UNCOMPRESSED
};

// Decoders: parse from `data` (size bytes); `base_offset` is the file offset of
// data[0] for error messages. `*consumed` (when given) receives the bytes used.
Status DecodeFileMetaData(const uint8_t* data, size_t size, uint64_t base_offset, FileMetaData* out);
Status DecodePageHeader(const uint8_t* data, size_t size, uint64_t base_offset, PageHeader* out, size_t* consumed);
Status DecodeOffsetIndex(const uint8_t* data, size_t size, uint64_t base_offset, OffsetIndex* out);
Status DecodeColumnIndex(const uint8_t* data, size_t size, uint64_t base_offset, ColumnIndex* out);
Status DecodeBloomFilterHeader(const uint8_t* data, size_t size, uint64_t base_offset, BloomFilterHeader* out,
                               size_t* consumed);

// Encoders: append the compact encoding to `out`.
void EncodeFileMetaData(const FileMetaData& md, std::string* out);
void EncodePageHeader(const PageHeader& h, std::string* out);
void EncodeOffsetIndex(const OffsetIndex& oi, std::string* out);
void EncodeColumnIndex(const ColumnIndex& ci, std::string* out);

// Names for parquet_metadata()/parquet_schema() and error messages.
const char* TypeName(int32_t type);
const char* EncodingName(int32_t encoding);
const char* CodecName(int32_t codec);
const char* ConvertedTypeName(int32_t ct);
const char* RepetitionName(int32_t rep);
std::string LogicalTypeToString(const LogicalTypeInfo& lt);

}  // namespace alopex::parquet
