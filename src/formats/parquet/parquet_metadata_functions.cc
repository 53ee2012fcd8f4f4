// parquet_metadata(path) and parquet_schema(path): footer facts as rows.
#include <optional>

#include "formats/parquet/parquet_reader.h"
#include "formats/parquet/statistics.h"

using u128 = unsigned __int128;

namespace alopex {

using namespace parquet;  // NOLINT

namespace {

Value Str(const std::string& s) { return Value::Varchar(s); }
Value OptI64(const std::optional<int64_t>& v) { return v ? Value::BigInt(*v) : Value::Null(TypeId::kBigInt); }
Value OptI32(const std::optional<int32_t>& v) { return v ? Value::BigInt(*v) : Value::Null(TypeId::kBigInt); }

// Statistics bytes as text: strings as they are, numbers in decimal.
Value StatText(const LeafInfo& leaf, const std::optional<std::string>& raw) {
  if (!raw) return Value::Null(TypeId::kVarchar);
  auto v = DecodeStatValue(leaf, *raw);
  if (!v) return Value::Varchar(*raw);
  const LogicalType& t = v->type();
  if (t.IsString()) return Value::Varchar(v->GetString());
  if (t.id() == TypeId::kFloat || t.id() == TypeId::kDouble) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.17g", v->GetDouble());
    return Value::Varchar(buf);
  }
  if (t.id() == TypeId::kUBigInt) return Value::Varchar(std::to_string(v->GetUInt64()));
  if (t.id() == TypeId::kBoolean) return Value::Varchar(v->GetBool() ? "true" : "false");
  if (t.IsInteger() || t.IsTemporal()) return Value::Varchar(std::to_string(v->GetInt64()));
  if (t.id() == TypeId::kDecimal) {
    int128_t u = v->GetInt128();
    bool neg = u < 0;
    u128 a = neg ? u128(-u) : u128(u);
    std::string digits;
    do {
      digits.insert(digits.begin(), char('0' + int(a % 10)));
      a /= 10;
    } while (a);
    int scale = t.scale();
    while (int(digits.size()) <= scale) digits.insert(digits.begin(), '0');
    if (scale > 0) digits.insert(digits.end() - scale, '.');
    return Value::Varchar((neg ? "-" : "") + digits);
  }
  return Value::Varchar(*raw);
}

std::vector<Batch> ToBatches(const std::vector<std::pair<std::string, LogicalType>>& cols,
                             const std::vector<std::vector<Value>>& rows) {
  std::vector<LogicalType> types;
  for (const auto& c : cols) types.push_back(c.second);
  std::vector<Batch> out;
  for (size_t start = 0; start < rows.size() || (start == 0 && rows.empty()); start += kBatchSize) {
    size_t n = std::min(kBatchSize, rows.size() - start);
    Batch b(types, n);
    b.SetRows(n);
    for (size_t r = 0; r < n; r++)
      for (size_t c = 0; c < cols.size(); c++) b.columns[c].SetValue(r, rows[start + r][c]);
    out.push_back(std::move(b));
    if (rows.empty()) break;
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, LogicalType>> ParquetMetadataColumns() {
  LogicalType s = TypeId::kVarchar, i = TypeId::kBigInt;
  return {{"file_name", s},           {"row_group_id", i},          {"row_group_num_rows", i},
          {"row_group_num_columns", i}, {"row_group_bytes", i},       {"column_id", i},
          {"file_offset", i},         {"num_values", i},            {"path_in_schema", s},
          {"type", s},                {"stats_min", s},             {"stats_max", s},
          {"stats_null_count", i},    {"stats_distinct_count", i},  {"stats_min_value", s},
          {"stats_max_value", s},     {"compression", s},           {"encodings", s},
          {"index_page_offset", i},   {"dictionary_page_offset", i}, {"data_page_offset", i},
          {"total_compressed_size", i}, {"total_uncompressed_size", i}};
}

std::vector<std::pair<std::string, LogicalType>> ParquetSchemaColumns() {
  LogicalType s = TypeId::kVarchar, i = TypeId::kBigInt;
  return {{"file_name", s},      {"name", s},  {"type", s},      {"type_length", s},
          {"repetition_type", s}, {"num_children", i}, {"converted_type", s}, {"scale", i},
          {"precision", i},      {"field_id", i}, {"logical_type", s}};
}

Result<std::vector<Batch>> ParquetMetadataRows(const std::string& path, FileSystem* fs) {
  ALOPEX_ASSIGN_OR_RETURN(auto reader, ParquetReader::Open(path, fs));
  const FileMetaData& md = reader->metadata();
  const auto& leaves = reader->schema().leaves;
  std::vector<std::vector<Value>> rows;
  for (size_t g = 0; g < md.row_groups.size(); g++) {
    const RowGroup& rg = md.row_groups[g];
    for (size_t c = 0; c < rg.columns.size(); c++) {
      const ColumnChunk& cc = rg.columns[c];
      const ColumnMetaData& m = cc.meta_data;
      const LeafInfo& leaf = leaves[c];
      std::string path_in_schema;
      for (const auto& p : m.path_in_schema) path_in_schema += (path_in_schema.empty() ? "" : ", ") + p;
      std::string encodings;
      for (int32_t e : m.encodings) encodings += (encodings.empty() ? "" : ", ") + std::string(EncodingName(e));
      const Statistics& s = m.statistics;
      std::optional<int64_t> nulls = s.null_count, distinct = s.distinct_count;
      rows.push_back({Str(reader->path()), Value::BigInt(int64_t(g)), Value::BigInt(rg.num_rows),
                      Value::BigInt(int64_t(rg.columns.size())), Value::BigInt(rg.total_byte_size),
                      Value::BigInt(int64_t(c)), Value::BigInt(cc.file_offset), Value::BigInt(m.num_values),
                      Str(path_in_schema), Str(TypeName(int32_t(m.type))), StatText(leaf, s.min), StatText(leaf, s.max),
                      OptI64(nulls), OptI64(distinct), StatText(leaf, s.min_value), StatText(leaf, s.max_value),
                      Str(CodecName(m.codec)), Str(encodings), OptI64(m.index_page_offset),
                      OptI64(m.dictionary_page_offset), Value::BigInt(m.data_page_offset),
                      Value::BigInt(m.total_compressed_size), Value::BigInt(m.total_uncompressed_size)});
    }
  }
  return ToBatches(ParquetMetadataColumns(), rows);
}

Result<std::vector<Batch>> ParquetSchemaRows(const std::string& path, FileSystem* fs) {
  ALOPEX_ASSIGN_OR_RETURN(auto reader, ParquetReader::Open(path, fs));
  const FileMetaData& md = reader->metadata();
  std::vector<std::vector<Value>> rows;
  for (const SchemaElement& e : md.schema) {
    rows.push_back({Str(reader->path()), Str(e.name),
                    e.type ? Str(TypeName(int32_t(*e.type))) : Value::Null(TypeId::kVarchar),
                    e.type_length ? Str(std::to_string(*e.type_length)) : Value::Null(TypeId::kVarchar),
                    e.repetition_type ? Str(RepetitionName(int32_t(*e.repetition_type))) : Value::Null(TypeId::kVarchar),
                    OptI32(e.num_children),
                    e.converted_type ? Str(ConvertedTypeName(int32_t(*e.converted_type))) : Value::Null(TypeId::kVarchar),
                    OptI32(e.scale), OptI32(e.precision), OptI32(e.field_id),
                    e.logical_type.kind ? Str(LogicalTypeToString(e.logical_type)) : Value::Null(TypeId::kVarchar)});
  }
  return ToBatches(ParquetSchemaColumns(), rows);
}

}  // namespace alopex
