#include "storage/delta/delta_scan.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>

#include "common/cast.h"
#include "common/datetime.h"
#include "common/text.h"
#include "formats/parquet/parquet_reader.h"
#include "formats/parquet/parquet_writer.h"
#include "io/hive_partition.h"
#include "storage/delta/deletion_vector.h"

namespace alopex {

namespace {

void CopyValidity(const Column& in, Column* out) {
  if (!in.MayHaveNulls()) return;
  for (size_t i = 0; i < in.size(); i++)
    if (in.IsNull(i)) out->SetNull(i);
}

int FindChild(const LogicalType& t, const std::string& name) {
  const auto& fields = t.fields();
  for (size_t i = 0; i < fields.size(); i++)
    if (fields[i].name == name) return int(i);
  std::string l = AsciiLower(name);
  for (size_t i = 0; i < fields.size(); i++)
    if (AsciiLower(fields[i].name) == l) return int(i);
  return -1;
}

// `in` (as read from a data file) as a column of `target`, matching nested
// struct fields by physical name (`field` gives them; null = same names).
Result<Column> ConformColumn(Column in, const LogicalType& target, const DeltaField* field, ColumnMappingMode mode) {
  if (in.type() == target) return in;
  size_t n = in.size();
  TypeId from = in.type().id(), to = target.id();
  if (from == TypeId::kStruct && to == TypeId::kStruct) {
    Column out(target);
    out.Resize(n);
    CopyValidity(in, &out);
    const auto& fields = target.fields();
    for (size_t j = 0; j < fields.size(); j++) {
      const DeltaField* child =
          field && field->kind == DeltaField::Kind::kStruct && j < field->children.size() ? &field->children[j] : nullptr;
      std::string physical = child ? child->PhysicalName(mode) : fields[j].name;
      int k = FindChild(in.type(), physical);
      if (k < 0 && child) k = FindChild(in.type(), child->name);
      if (k < 0) {
        out.children()[j] = Column::Constant(Value::Null(*fields[j].type), n);
        continue;
      }
      ALOPEX_ASSIGN_OR_RETURN(out.children()[j],
                              ConformColumn(std::move(in.child(size_t(k))), *fields[j].type, child, mode));
    }
    return out;
  }
  if ((from == TypeId::kList && to == TypeId::kList) || (from == TypeId::kMap && to == TypeId::kMap)) {
    Column out(target);
    out.Resize(n);
    if (n) std::memcpy(out.list_entries(), in.list_entries(), n * sizeof(ListEntry));
    CopyValidity(in, &out);
    if (to == TypeId::kList) {
      const DeltaField* elem = field && field->kind == DeltaField::Kind::kArray ? &field->children[0] : nullptr;
      ALOPEX_ASSIGN_OR_RETURN(out.child(0), ConformColumn(std::move(in.child(0)), target.child(), elem, mode));
    } else {
      Column& entries = in.child(0);
      LogicalType entry_type = LogicalType::Struct({{"key", target.key_type()}, {"value", target.value_type()}});
      Column conv(entry_type);
      conv.Resize(entries.size());
      const DeltaField* kf = field && field->kind == DeltaField::Kind::kMap ? &field->children[0] : nullptr;
      const DeltaField* vf = field && field->kind == DeltaField::Kind::kMap ? &field->children[1] : nullptr;
      if (entries.children().size() < 2) return Status::Corruption("map entries without key and value");
      ALOPEX_ASSIGN_OR_RETURN(conv.children()[0], ConformColumn(std::move(entries.child(0)), target.key_type(), kf, mode));
      ALOPEX_ASSIGN_OR_RETURN(conv.children()[1],
                              ConformColumn(std::move(entries.child(1)), target.value_type(), vf, mode));
      out.child(0) = std::move(conv);
    }
    return out;
  }
  Column out(target);
  ALOPEX_RETURN_IF_ERROR(CastColumn(in, target, &out));
  return out;
}

// Top-level Parquet field ids by column name (column mapping mode "id").
std::map<int, std::string> TopLevelFieldIds(const parquet::FileMetaData& md) {
  std::map<int, std::string> out;
  if (md.schema.empty()) return out;
  int children = md.schema[0].num_children.value_or(0);
  size_t pos = 1;
  // Walks one subtree, returning the index after it.
  std::function<size_t(size_t)> skip = [&](size_t i) -> size_t {
    int k = md.schema[i].num_children.value_or(0);
    size_t next = i + 1;
    for (int c = 0; c < k && next < md.schema.size(); c++) next = skip(next);
    return next;
  };
  for (int c = 0; c < children && pos < md.schema.size(); c++) {
    if (md.schema[pos].field_id) out[*md.schema[pos].field_id] = md.schema[pos].name;
    pos = skip(pos);
  }
  return out;
}

std::string TwoDigits(int64_t v) {
  char b[4];
  std::snprintf(b, sizeof(b), "%02d", int(v));
  return b;
}

// yyyy-MM-ddTHH:mm:ss.<frac>Z with `frac_digits` fraction digits (3 or 6).
std::string IsoTimestamp(int64_t micros, int frac_digits) {
  int64_t days, tod;
  SplitTimestamp(micros, &days, &tod);
  int64_t secs = tod / 1000000, frac = tod % 1000000;
  std::string out = FormatDate(int32_t(days)) + "T" + TwoDigits(secs / 3600) + ":" + TwoDigits((secs / 60) % 60) +
                    ":" + TwoDigits(secs % 60) + ".";
  char b[8];
  if (frac_digits == 3)
    std::snprintf(b, sizeof(b), "%03d", int(frac / 1000));
  else
    std::snprintf(b, sizeof(b), "%06d", int(frac));
  return out + b + "Z";
}

std::string FloatText(double v, bool is_float) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = is_float ? std::to_chars(buf, buf + sizeof(buf), float(v)) : std::to_chars(buf, buf + sizeof(buf), v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

// PROTOCOL.md partition directory escaping (Hive's set).
std::string EscapePartitionDirValue(const std::string& v) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    bool esc = (c >= 0x01 && c <= 0x1F) || c == 0x7F || std::strchr("\"#%'*/:=?\\{[]^", c) != nullptr;
    if (esc && c != 0) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(char(c));
    }
  }
  return out;
}

// A relative path as an RFC 2396 URI path (what add.path holds).
std::string UriEncodePath(const std::string& p) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : p) {
    bool keep = std::isalnum(c) || c >= 0x80 || std::strchr("-._~!$&'()*+,;=:@/", c) != nullptr;
    if (keep) {
      out.push_back(char(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// A UTF-8 prefix of at most `n` characters.
std::string Utf8Prefix(const std::string& s, size_t n, bool* truncated) {
  size_t chars = 0, i = 0;
  while (i < s.size()) {
    if (chars == n) {
      *truncated = true;
      return s.substr(0, i);
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    chars++;
  }
  *truncated = false;
  return s;
}

constexpr size_t kStatsStringPrefix = 32;

}  // namespace

std::string ResolveDataFilePath(const std::string& table_root, const std::string& path) {
  std::string decoded = UrlDecode(path);
  if (path.find("://") != std::string::npos) return decoded;
  if (path.rfind("file:", 0) == 0) {
    std::string p = decoded.substr(5);
    if (p.rfind("//", 0) == 0) p = p.substr(2);
    return p;
  }
  if (!path.empty() && path[0] == '/') return decoded;
  return JoinPath(table_root, decoded);
}

std::optional<std::string> FormatPartitionValue(const Value& v) {
  if (v.is_null()) return std::nullopt;
  switch (v.type().id()) {
    case TypeId::kBoolean: return std::string(v.GetBool() ? "true" : "false");
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: return std::to_string(v.GetInt64());
    case TypeId::kFloat: return FloatText(v.GetDouble(), true);
    case TypeId::kDouble: return FloatText(v.GetDouble(), false);
    case TypeId::kDecimal: return FormatDecimal(v.GetInt128(), v.type().scale());
    case TypeId::kVarchar:
    case TypeId::kBlob:
    case TypeId::kJson: return v.GetString();
    case TypeId::kDate: return FormatDate(int32_t(v.GetInt64()));
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return IsoTimestamp(v.GetInt64(), 6);
    default: return v.ToString();
  }
}

Result<Value> ParsePartitionValue(const std::optional<std::string>& text, const DeltaField& field) {
  if (!text) return Value::Null(field.type);
  const LogicalType& stored = field.stored_type;
  const std::string& s = *text;
  Value v;
  switch (stored.id()) {
    case TypeId::kVarchar:
      if (s.empty()) return Value::Null(field.type);
      v = Value::Varchar(s);
      break;
    case TypeId::kBlob: v = Value::Blob(s); break;
    case TypeId::kBoolean: {
      std::string l = AsciiLower(s);
      if (l == "true") v = Value::Boolean(true);
      else if (l == "false") v = Value::Boolean(false);
      else if (s.empty()) return Value::Null(field.type);
      else return Status::ConversionError("partition value '" + s + "' of column '" + field.name + "' is not a boolean");
      break;
    }
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      if (s.empty()) return Value::Null(field.type);
      int64_t micros;
      if (!TryParseTimestamp(s, &micros))
        return Status::ConversionError("partition value '" + s + "' of column '" + field.name +
                                       "' is not a timestamp");
      v = stored.id() == TypeId::kTimestamp ? Value::Timestamp(micros) : Value::TimestampTz(micros);
      break;
    }
    case TypeId::kDate: {
      if (s.empty()) return Value::Null(field.type);
      int32_t days;
      if (!TryParseDate(s, &days))
        return Status::ConversionError("partition value '" + s + "' of column '" + field.name + "' is not a date");
      v = Value::Date(days);
      break;
    }
    default: {
      if (s.empty()) return Value::Null(field.type);
      auto cast = CastValue(Value::Varchar(s), stored);
      if (!cast.ok()) return cast.status().WithContext("partition column '" + field.name + "': ");
      v = std::move(*cast);
    }
  }
  if (field.type != stored) {
    auto cast = CastValue(v, field.type);
    if (!cast.ok()) return cast.status().WithContext("partition column '" + field.name + "': ");
    return std::move(*cast);
  }
  return v;
}

std::optional<JsonNode> StatsBoundToJson(const Value& v) {
  if (v.is_null()) return std::nullopt;
  switch (v.type().id()) {
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: return JsonNode::Int(v.GetInt64());
    case TypeId::kFloat:
    case TypeId::kDouble: {
      JsonNode n = JsonNode::Double(v.GetDouble());
      if (n.is_null()) return std::nullopt;
      return n;
    }
    case TypeId::kDecimal: return JsonNode::NumberText(FormatDecimal(v.GetInt128(), v.type().scale()));
    case TypeId::kDate: return JsonNode::String(FormatDate(int32_t(v.GetInt64())));
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return JsonNode::String(IsoTimestamp(v.GetInt64(), 3));  // truncated to ms
    case TypeId::kVarchar: return JsonNode::String(v.GetString());
    default: return std::nullopt;
  }
}

// ---------------------------------------------------------------- scan

namespace {

// A stats bound (JSON) as a value of `type`; nullopt when it cannot be read.
std::optional<Value> StatsBound(const JsonNode& j, const LogicalType& type) {
  Value v;
  if (j.is_number()) {
    v = j.is_integer() ? Value::BigInt(j.int_value()) : Value::Double(j.double_value());
  } else if (j.is_string()) {
    v = Value::Varchar(j.str());
  } else if (j.is_bool()) {
    v = Value::Boolean(j.bool_value());
  } else {
    return std::nullopt;
  }
  auto cast = CastValue(v, type);
  if (!cast.ok() || cast->is_null()) return std::nullopt;
  return std::move(*cast);
}

const JsonNode* FindMember(const JsonNode* o, const std::string& key) {
  return o && o->is_object() ? o->Find(key) : nullptr;
}

}  // namespace

bool DataFileMayMatch(const DeltaSnapshot& snapshot, const AddFile& add, const std::vector<ColumnPredicate>& predicates) {
  if (predicates.empty()) return true;
  const DeltaSchema& schema = snapshot.schema;
  const ColumnMappingMode mode = snapshot.column_mapping;
  std::optional<JsonNode> stats;
  int64_t num_records = -1;
  if (add.stats) {
    auto parsed = JsonNode::Parse(*add.stats);
    if (parsed.ok() && parsed->is_object()) {
      stats = std::move(*parsed);
      if (auto n = stats->GetInt("numRecords")) num_records = *n;
    }
  }
  for (const ColumnPredicate& p : predicates) {
    int idx = schema.FieldIndex(p.column);
    if (idx < 0) continue;
    const DeltaField& f = schema.fields[size_t(idx)];
    ParquetReader::ChunkStatistics cs;
    bool is_partition = false;
    for (const auto& pc : snapshot.partition_columns())
      if (AsciiLower(pc) == AsciiLower(f.name)) is_partition = true;
    if (is_partition) {
      auto it = add.partition_values.find(f.PhysicalName(mode));
      if (it == add.partition_values.end()) it = add.partition_values.find(f.name);
      if (it == add.partition_values.end()) continue;
      auto v = ParsePartitionValue(it->second, f);
      if (!v.ok()) continue;
      if (v->is_null()) {
        cs.null_count = num_records >= 0 ? num_records : 1;
        if (!StatsMayMatch(p, cs, num_records >= 0 ? num_records : 1)) return false;
        continue;
      }
      cs.min = *v;
      cs.max = *v;
      cs.null_count = 0;
      if (!StatsMayMatch(p, cs, num_records)) return false;
      continue;
    }
    if (!stats || f.type.IsNested() || f.type.id() == TypeId::kVector) continue;
    const std::string physical = f.PhysicalName(mode);
    if (const JsonNode* n = FindMember(stats->Find("nullCount"), physical); n && n->is_number())
      cs.null_count = n->int_value();
    if (const JsonNode* lo = FindMember(stats->Find("minValues"), physical)) cs.min = StatsBound(*lo, f.type);
    if (const JsonNode* hi = FindMember(stats->Find("maxValues"), physical)) {
      cs.max = StatsBound(*hi, f.type);
      // Writers cut long strings (a cut max is no bound) and timestamps to
      // milliseconds (the true max may lie up to 999 µs above).
      if (cs.max && f.type.id() == TypeId::kVarchar && hi->str().size() >= kStatsStringPrefix) cs.max.reset();
      if (cs.max && (f.type.id() == TypeId::kTimestamp || f.type.id() == TypeId::kTimestampTz))
        cs.max = f.type.id() == TypeId::kTimestamp ? Value::Timestamp(cs.max->GetInt64() + 999)
                                                   : Value::TimestampTz(cs.max->GetInt64() + 999);
    }
    if (!cs.min || !cs.max) cs.min.reset(), cs.max.reset();
    if (!StatsMayMatch(p, cs, num_records)) return false;
  }
  return true;
}

Result<DeltaFileScan> DeltaFileScan::Make(std::shared_ptr<const DeltaSnapshot> snapshot,
                                          const std::vector<std::string>& columns,
                                          const std::vector<ColumnPredicate>& predicates, FileSystem* fs,
                                          ScanMetadataColumns extra) {
  DeltaFileScan scan;
  const DeltaSnapshot& snap = *snapshot;
  scan.where_ = "Delta table " + snap.table_path + ", version " + std::to_string(snap.version);
  if ((extra.row_id || extra.row_commit_version) && !TracksRowIds(snap))
    return Status::InvalidArgument("Delta table " + snap.table_path +
                                   " does not track row ids; turn row tracking on with ALTER TABLE ... SET "
                                   "('delta.enableRowTracking' = true)");
  scan.extra_ = extra;
  scan.materialized_ = MaterializedRowTrackingColumns(snap.configuration());
  if (!fs) {
    ALOPEX_ASSIGN_OR_RETURN(fs, FileSystem::ForPath(snap.table_path));
  }
  scan.fs_ = fs;
  const DeltaSchema& schema = snap.schema;
  if (columns.empty()) {
    for (size_t i = 0; i < schema.fields.size(); i++) scan.fields_.push_back(int(i));
  } else {
    for (const auto& c : columns) {
      int idx = schema.FieldIndex(c);
      if (idx < 0) return Status::BinderError(scan.where_ + ": column '" + c + "' does not exist");
      scan.fields_.push_back(idx);
    }
  }
  auto partition = [&](const std::string& name) {
    for (const auto& p : snap.partition_columns())
      if (AsciiLower(p) == AsciiLower(name)) return true;
    return false;
  };
  for (int f : scan.fields_) scan.is_partition_.push_back(partition(schema.fields[size_t(f)].name));
  // Row-group pruning inside a file compares stored values by physical name.
  if (snap.column_mapping != ColumnMappingMode::kId) {
    for (const ColumnPredicate& p : predicates) {
      int idx = schema.FieldIndex(p.column);
      if (idx < 0 || partition(p.column)) continue;
      const DeltaField& f = schema.fields[size_t(idx)];
      if (f.type.IsNested() || f.type.id() == TypeId::kVector || !(f.stored_type == f.type)) continue;
      ColumnPredicate q = p;
      q.column = f.PhysicalName(snap.column_mapping);
      scan.file_predicates_.push_back(std::move(q));
    }
  }
  for (const AddFile& add : snap.files) {
    if (DataFileMayMatch(snap, add, predicates))
      scan.files_.push_back(&add);
    else
      scan.skipped_++;
  }
  scan.snapshot_ = std::move(snapshot);
  return scan;
}

Status DeltaFileScan::ReadFile(size_t index, const std::function<Status(Batch&&)>& sink) const {
  const DeltaSnapshot& snap = *snapshot_;
  const std::string& root = snap.table_path;
  const DeltaSchema& schema = snap.schema;
  const ColumnMappingMode mode = snap.column_mapping;
  const AddFile& add = *files_[index];
  std::string file_path = ResolveDataFilePath(root, add.path);
  auto ctx = [&](const Status& st) { return st.WithContext(where_ + ", data file " + file_path + ": "); };

  // Partition values, typed.
  std::vector<Value> constants(fields_.size());
  for (size_t i = 0; i < fields_.size(); i++) {
    if (!is_partition_[i]) continue;
    const DeltaField& f = schema.fields[size_t(fields_[i])];
    std::optional<std::string> text;
    auto it = add.partition_values.find(f.PhysicalName(mode));
    if (it == add.partition_values.end()) it = add.partition_values.find(f.name);
    if (it == add.partition_values.end()) {
      for (auto j = add.partition_values.begin(); j != add.partition_values.end(); ++j)
        if (AsciiLower(j->first) == AsciiLower(f.name)) it = j;
    }
    if (it != add.partition_values.end()) text = it->second;
    auto v = ParsePartitionValue(text, f);
    if (!v.ok()) return ctx(v.status());
    constants[i] = std::move(*v);
  }

  if (extra_.row_id && !add.base_row_id)
    return ctx(Status::InvalidArgument("the file has no baseRowId, so its rows have no row ids"));
  if (extra_.row_commit_version && !add.default_row_commit_version)
    return ctx(Status::InvalidArgument("the file has no defaultRowCommitVersion, so its rows have no commit versions"));

  std::vector<uint64_t> deleted;
  if (add.deletion_vector) {
    auto rows = LoadDeletionVector(*add.deletion_vector, root, fs_);
    if (!rows.ok()) return ctx(rows.status());
    deleted = std::move(*rows);
  }

  auto reader_or = ParquetReader::Open(file_path, fs_);
  if (!reader_or.ok()) return ctx(reader_or.status());
  ParquetReader& reader = **reader_or;
  const auto& file_names = reader.column_names();
  std::map<int, std::string> ids;
  if (mode == ColumnMappingMode::kId) ids = TopLevelFieldIds(reader.metadata());

  // Which file column feeds each projected data column (-1 = absent: NULL).
  std::vector<std::string> read_names;
  auto read_index = [&](const std::string& name) {
    auto pos = std::find(read_names.begin(), read_names.end(), name);
    if (pos != read_names.end()) return int(pos - read_names.begin());
    read_names.push_back(name);
    return int(read_names.size() - 1);
  };
  std::vector<int> source(fields_.size(), -1);
  for (size_t i = 0; i < fields_.size(); i++) {
    if (is_partition_[i]) continue;
    const DeltaField& f = schema.fields[size_t(fields_[i])];
    std::string want;
    if (mode == ColumnMappingMode::kId) {
      if (auto id = f.FieldId(); id && ids.count(*id)) want = ids[*id];
    } else {
      std::string physical = f.PhysicalName(mode);
      for (const auto& n : file_names)
        if (n == physical) want = n;
      if (want.empty() && mode == ColumnMappingMode::kNone) {
        for (const auto& n : file_names)
          if (AsciiLower(n) == AsciiLower(physical)) want = n;
      }
    }
    if (want.empty()) continue;
    source[i] = read_index(want);
  }
  // The materialized row-tracking columns, where the file has them (rows a
  // rewrite moved here keep their ids and versions).
  int id_source = -1, version_source = -1;
  auto has_column = [&](const std::string& name) {
    return std::find(file_names.begin(), file_names.end(), name) != file_names.end();
  };
  if (materialized_ && extra_.row_id && has_column(materialized_->row_id))
    id_source = read_index(materialized_->row_id);
  if (materialized_ && extra_.row_commit_version && has_column(materialized_->row_commit_version))
    version_source = read_index(materialized_->row_commit_version);
  if (read_names.empty()) {
    // Only partition or missing columns: read the first column for the row count.
    if (file_names.empty()) return ctx(Status::Corruption("the file has no columns"));
    read_names.push_back(file_names[0]);
  }
  ParquetReadOptions options;
  options.columns = read_names;
  options.predicates = file_predicates_;
  std::vector<bool> keep_group(size_t(reader.num_row_groups()), file_predicates_.empty());
  if (!file_predicates_.empty())
    for (int g : reader.SelectRowGroups(options)) keep_group[size_t(g)] = true;
  options.predicates.clear();

  uint64_t row_base = 0;
  for (int rg = 0; rg < reader.num_row_groups(); rg++) {
    uint64_t offset = row_base;
    row_base += uint64_t(reader.row_group_num_rows(rg));
    if (!keep_group[size_t(rg)]) continue;
    Status st = reader.ReadRowGroup(rg, options, [&](Batch&& in) -> Status {
      size_t n = in.num_rows;
      uint64_t first = offset;
      offset += n;
      // Survivors of the deletion vector.
      std::vector<uint32_t> sel;
      bool filtered = false;
      if (!deleted.empty()) {
        auto lo = std::lower_bound(deleted.begin(), deleted.end(), first);
        if (lo != deleted.end() && *lo < first + n) {
          filtered = true;
          sel.reserve(n);
          for (size_t r = 0; r < n; r++) {
            while (lo != deleted.end() && *lo < first + r) ++lo;
            if (lo != deleted.end() && *lo == first + r) continue;
            sel.push_back(uint32_t(r));
          }
        }
      }
      size_t out_rows = filtered ? sel.size() : n;
      if (out_rows == 0) return Status::OK();
      // Metadata columns first: the data columns below move out of `in`.
      std::vector<Column> extras;
      const LogicalType bigint(TypeId::kBigInt);
      // A materialized value where present and not NULL, else `fallback` (+ the physical index).
      auto tracking_column = [&](int src, int64_t fallback, bool add_index) -> Result<Column> {
        const Column* materialized = src >= 0 ? &in.columns[size_t(src)] : nullptr;
        Column conv;
        if (materialized && materialized->type() != bigint) {
          conv = Column(bigint);
          ALOPEX_RETURN_IF_ERROR(CastColumn(*materialized, bigint, &conv));
          materialized = &conv;
        }
        Column col(bigint);
        col.Resize(out_rows);
        int64_t* d = col.data<int64_t>();
        for (size_t k = 0; k < out_rows; k++) {
          size_t r = filtered ? sel[k] : k;
          if (materialized && materialized->IsValid(r))
            d[k] = materialized->data<int64_t>()[r];
          else
            d[k] = fallback + (add_index ? int64_t(first + r) : 0);
        }
        return col;
      };
      if (extra_.row_id) {
        auto col = tracking_column(id_source, *add.base_row_id, true);
        if (!col.ok()) return col.status().WithContext("column '" + materialized_->row_id + "': ");
        extras.push_back(std::move(*col));
      }
      if (extra_.row_commit_version) {
        auto col = tracking_column(version_source, *add.default_row_commit_version, false);
        if (!col.ok()) return col.status().WithContext("column '" + materialized_->row_commit_version + "': ");
        extras.push_back(std::move(*col));
      }
      if (extra_.file_index)
        extras.push_back(Column::Constant(Value::Integer(int32_t(&add - snap.files.data())), out_rows));

      Batch out;
      out.num_rows = out_rows;
      for (size_t i = 0; i < fields_.size(); i++) {
        const DeltaField& f = schema.fields[size_t(fields_[i])];
        if (is_partition_[i]) {
          out.columns.push_back(Column::Constant(constants[i], out_rows));
          continue;
        }
        if (source[i] < 0) {
          out.columns.push_back(Column::Constant(Value::Null(f.type), out_rows));
          continue;
        }
        // A file column feeding two projected columns is copied for the first.
        bool shared = std::count(source.begin(), source.end(), source[i]) > 1;
        Column& src = in.columns[size_t(source[i])];
        Column taken = shared ? src.Clone() : std::move(src);
        auto conformed = ConformColumn(std::move(taken), f.type, &f, mode);
        if (!conformed.ok()) return conformed.status().WithContext("column '" + f.name + "': ");
        if (filtered) {
          Column g(f.type);
          g.Gather(*conformed, sel.data(), sel.size());
          out.columns.push_back(std::move(g));
        } else {
          out.columns.push_back(std::move(*conformed));
        }
      }
      for (Column& c : extras) out.columns.push_back(std::move(c));
      return sink(std::move(out));
    });
    if (!st.ok()) return ctx(st);
  }
  return Status::OK();
}

Status ScanSnapshot(const DeltaSnapshot& snapshot, const std::vector<std::string>& columns,
                    const std::function<Status(Batch&&)>& sink, FileSystem* fs) {
  // The scan keeps a pointer to the snapshot it reads, which outlives it here.
  std::shared_ptr<const DeltaSnapshot> snap(std::shared_ptr<const DeltaSnapshot>(), &snapshot);
  ALOPEX_ASSIGN_OR_RETURN(DeltaFileScan scan, DeltaFileScan::Make(snap, columns, {}, fs));
  for (size_t i = 0; i < scan.num_files(); i++) ALOPEX_RETURN_IF_ERROR(scan.ReadFile(i, sink));
  return Status::OK();
}

// ---------------------------------------------------------------- write

namespace {

struct OpenDataFile {
  std::unique_ptr<ParquetWriter> writer;
  std::string relative;  // unescaped path below the table root
  PartitionValues partition_values;
};

}  // namespace

struct DeltaDataWriter::Impl {
  std::string table_uri;
  std::string where;
  FileSystem* fs = nullptr;
  std::vector<std::string> names;
  int64_t target_file_size = 0;
  DataFileWriteOptions options;
  DeltaSchema derived;
  std::vector<const DeltaField*> field_of;
  std::vector<size_t> data_cols, part_cols;
  // The batch column of each file column: data_cols, then the row-tracking
  // columns (not in the schema, so not in the stats).
  std::vector<size_t> file_cols;
  std::vector<std::string> file_names;
  std::vector<LogicalType> file_types;
  ParquetWriteOptions pw;
  std::string suffix;
  std::map<std::string, OpenDataFile> open;
  std::vector<AddFile> adds;
  int file_counter = 0;
  uint64_t closed_bytes = 0;

  Status Finish(OpenDataFile& f);
  Status Write(const Batch& batch);
};

Status DeltaDataWriter::Impl::Finish(OpenDataFile& f) {
  ALOPEX_RETURN_IF_ERROR(f.writer->Close());
  closed_bytes += f.writer->bytes_written();
  std::string full = JoinPath(table_uri, f.relative);
  AddFile add;
  add.path = UriEncodePath(f.relative);
  add.partition_values = f.partition_values;
  auto info = fs->Stat(full);
  add.size = info.ok() ? int64_t(info->size) : int64_t(f.writer->bytes_written());
  add.modification_time = info.ok() && info->mtime_micros > 0 ? info->mtime_micros / 1000 : DeltaNowMillis();
  add.data_change = true;
  JsonNode stats = JsonNode::Object();
  stats.Set("numRecords", JsonNode::Int(f.writer->rows_written()));
  JsonNode mins = JsonNode::Object(), maxs = JsonNode::Object(), nulls = JsonNode::Object();
  const auto& fstats = f.writer->file_statistics();
  for (size_t i = 0; i < fstats.size() && i < data_cols.size(); i++) {
    const auto& st = fstats[i];
    nulls.Set(file_names[i], JsonNode::Int(st.null_count));
    if (file_types[i].IsNested() || file_types[i].id() == TypeId::kVector) continue;
    if (st.min) {
      if (auto j = StatsBoundToJson(*st.min)) {
        if (j->is_string() && st.min->type().id() == TypeId::kVarchar) {
          bool cut;
          *j = JsonNode::String(Utf8Prefix(j->str(), kStatsStringPrefix, &cut));
        }
        mins.Set(file_names[i], std::move(*j));
      }
    }
    if (st.max) {
      if (auto j = StatsBoundToJson(*st.max)) {
        bool cut = false;
        if (j->is_string() && st.max->type().id() == TypeId::kVarchar) Utf8Prefix(j->str(), kStatsStringPrefix, &cut);
        if (!cut) maxs.Set(file_names[i], std::move(*j));  // a cut max is no upper bound
      }
    }
  }
  stats.Set("minValues", std::move(mins));
  stats.Set("maxValues", std::move(maxs));
  stats.Set("nullCount", std::move(nulls));
  add.stats = stats.Serialize();
  adds.push_back(std::move(add));
  return Status::OK();
}

Status DeltaDataWriter::Impl::Write(const Batch& batch) {
  size_t expected = names.size() + (options.row_tracking ? 2 : 0);
  if (batch.num_columns() != expected)
    return Status::InvalidArgument(where + ": a batch has " + std::to_string(batch.num_columns()) +
                                   " columns, expected " + std::to_string(expected));
  if (batch.num_rows == 0) return Status::OK();
  // Partition columns as their stored types, then each row's partition tuple.
  std::vector<Column> part_stored;
  for (size_t c : part_cols) {
    const Column& col = batch.columns[c];
    if (col.type() == field_of[c]->stored_type) {
      part_stored.push_back(col.Clone());
    } else {
      Column conv(field_of[c]->stored_type);
      Status st = CastColumn(col, field_of[c]->stored_type, &conv);
      if (!st.ok()) return st.WithContext(where + ": partition column '" + names[c] + "': ");
      part_stored.push_back(std::move(conv));
    }
  }
  std::map<std::string, std::vector<uint32_t>> groups;
  std::map<std::string, std::pair<PartitionValues, std::string>> group_info;
  if (part_cols.empty()) {
    groups[""];
    group_info[""];
  } else {
    for (size_t r = 0; r < batch.num_rows; r++) {
      std::string key, dir;
      PartitionValues pv;
      for (size_t k = 0; k < part_cols.size(); k++) {
        auto text = FormatPartitionValue(part_stored[k].GetValue(r));
        const DeltaField* f = field_of[part_cols[k]];
        pv[f->PhysicalName(options.column_mapping)] = text;
        key += text ? "v" + *text : "n";
        key.push_back('\0');
        dir += f->PhysicalName(options.column_mapping) + "=" +
               (text && !text->empty() ? EscapePartitionDirValue(*text) : "__HIVE_DEFAULT_PARTITION__") + "/";
      }
      groups[key].push_back(uint32_t(r));
      if (!group_info.count(key)) group_info[key] = {std::move(pv), std::move(dir)};
    }
  }
  // Without partitions a batch whose columns already have the stored types is
  // written as it is, not copied.
  bool direct = part_cols.empty();
  for (size_t k = 0; k < file_cols.size() && direct; k++)
    direct = batch.columns[file_cols[k]].type() == file_types[k];
  for (auto& [key, rows] : groups) {
    Batch part;
    const Batch* out = &batch;
    if (!direct) {
      bool all = part_cols.empty() || rows.size() == batch.num_rows;
      part.num_rows = all ? batch.num_rows : rows.size();
      for (size_t k = 0; k < file_cols.size(); k++) {
        const Column& src = batch.columns[file_cols[k]];
        Column picked(src.type());
        if (!all) picked.Gather(src, rows.data(), rows.size());
        const Column& from = all ? src : picked;
        if (from.type() != file_types[k]) {
          Column conv(file_types[k]);
          Status st = CastColumn(from, file_types[k], &conv);
          const std::string& name = k < data_cols.size() ? names[data_cols[k]] : file_names[k];
          if (!st.ok()) return st.WithContext(where + ": column '" + name + "': ");
          part.columns.push_back(std::move(conv));
        } else {
          part.columns.push_back(all ? src.Clone() : std::move(picked));
        }
      }
      out = &part;
    }
    auto it = open.find(key);
    if (it == open.end()) {
      OpenDataFile f;
      char prefix[32];
      std::snprintf(prefix, sizeof(prefix), "%05d-", file_counter++);
      std::string name_start = "part-" + (options.file_prefix.empty() ? "" : options.file_prefix + "-") + prefix;
      f.relative = group_info[key].second + name_start + RandomUuid() + "-c000" + suffix;
      f.partition_values = group_info[key].first;
      auto w = ParquetWriter::Open(JoinPath(table_uri, f.relative), file_names, file_types, pw, fs);
      if (!w.ok()) return w.status().WithContext(where + ": ");
      f.writer = std::move(*w);
      it = open.emplace(key, std::move(f)).first;
    }
    Status st = it->second.writer->Write(*out);
    if (!st.ok()) return st.WithContext(where + ", data file " + it->second.relative + ": ");
    if (target_file_size > 0 && int64_t(it->second.writer->bytes_written()) >= target_file_size) {
      ALOPEX_RETURN_IF_ERROR(Finish(it->second));
      open.erase(it);
    }
  }
  return Status::OK();
}

DeltaDataWriter::DeltaDataWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DeltaDataWriter::~DeltaDataWriter() = default;

Result<std::unique_ptr<DeltaDataWriter>> DeltaDataWriter::Open(const std::string& table_uri,
                                                               const std::vector<std::string>& names,
                                                               const std::vector<LogicalType>& types,
                                                               const std::vector<std::string>& partition_columns,
                                                               int64_t target_file_size,
                                                               const DataFileWriteOptions& options) {
  auto w = std::make_unique<Impl>();
  w->table_uri = table_uri;
  w->where = "Delta table " + table_uri;
  w->names = names;
  w->target_file_size = target_file_size;
  w->options = options;
  w->fs = options.fs;
  if (!w->fs) {
    ALOPEX_ASSIGN_OR_RETURN(w->fs, FileSystem::ForPath(table_uri));
  }
  // The writer keeps its own copy of the schema.
  if (options.schema) {
    w->derived = *options.schema;
  } else {
    ALOPEX_ASSIGN_OR_RETURN(w->derived, DeltaSchemaFromColumns(names, types));
  }
  w->options.schema = nullptr;
  const DeltaSchema* schema = &w->derived;
  if (names.size() != types.size())
    return Status::InvalidArgument(w->where + ": column names and types differ in number");

  // Column roles.
  w->field_of.assign(names.size(), nullptr);
  for (size_t i = 0; i < names.size(); i++) {
    int idx = schema->FieldIndex(names[i]);
    if (idx < 0) return Status::InvalidArgument(w->where + ": column '" + names[i] + "' is not in the table schema");
    w->field_of[i] = &schema->fields[size_t(idx)];
  }
  for (const auto& p : partition_columns) {
    size_t found = names.size();
    for (size_t i = 0; i < names.size(); i++)
      if (AsciiLower(names[i]) == AsciiLower(p)) found = i;
    if (found == names.size())
      return Status::InvalidArgument(w->where + ": partition column '" + p + "' is not written");
    w->part_cols.push_back(found);
  }
  for (size_t i = 0; i < names.size(); i++)
    if (std::find(w->part_cols.begin(), w->part_cols.end(), i) == w->part_cols.end()) w->data_cols.push_back(i);
  if (w->data_cols.empty()) return Status::InvalidArgument(w->where + ": every column is a partition column");
  for (size_t c : w->data_cols) {
    w->file_cols.push_back(c);
    w->file_names.push_back(w->field_of[c]->PhysicalName(options.column_mapping));
    w->file_types.push_back(w->field_of[c]->stored_type);
  }
  if (options.row_tracking) {
    const std::string tracking[] = {options.row_tracking->row_id, options.row_tracking->row_commit_version};
    for (size_t k = 0; k < 2; k++) {
      if (tracking[k].empty() ||
          std::find(w->file_names.begin(), w->file_names.end(), tracking[k]) != w->file_names.end())
        return Status::InvalidArgument(w->where + ": row-tracking column name '" + tracking[k] +
                                       "' is empty or names a table column");
      w->file_cols.push_back(names.size() + k);
      w->file_names.push_back(tracking[k]);
      w->file_types.push_back(LogicalType(TypeId::kBigInt));
    }
  }
  w->pw.compression = options.compression;
  if (target_file_size > 0) w->pw.row_group_bytes = std::min<int64_t>(w->pw.row_group_bytes, target_file_size);
  w->suffix = options.compression == "none" || options.compression == "uncompressed"
                  ? ".parquet"
                  : "." + options.compression + ".parquet";
  return std::unique_ptr<DeltaDataWriter>(new DeltaDataWriter(std::move(w)));
}

Result<std::unique_ptr<DeltaDataWriter>> DeltaDataWriter::Open(const DeltaSnapshot& snapshot,
                                                               int64_t target_file_size, FileSystem* fs,
                                                               const std::string& file_prefix,
                                                               std::optional<RowTrackingColumns> row_tracking) {
  if (snapshot.column_mapping == ColumnMappingMode::kId)
    return Status::NotImplemented("Delta table " + snapshot.table_path +
                                  " uses column mapping mode 'id'; Alopex cannot write field ids yet");
  DataFileWriteOptions options;
  options.column_mapping = snapshot.column_mapping;
  options.fs = fs;
  options.file_prefix = file_prefix;
  options.row_tracking = std::move(row_tracking);
  if (auto it = snapshot.configuration().find("delta.parquet.compression.codec");
      it != snapshot.configuration().end())
    options.compression = AsciiLower(it->second);
  options.schema = &snapshot.schema;
  return Open(snapshot.table_path, snapshot.schema.names(), snapshot.schema.types(), snapshot.partition_columns(),
              target_file_size, options);
}

Status DeltaDataWriter::Write(const Batch& batch) { return impl_->Write(batch); }

uint64_t DeltaDataWriter::bytes_written() const {
  uint64_t n = impl_->closed_bytes;
  for (const auto& [key, f] : impl_->open) n += f.writer->bytes_written();
  return n;
}

Result<std::vector<AddFile>> DeltaDataWriter::Finish() {
  for (auto& [key, f] : impl_->open) ALOPEX_RETURN_IF_ERROR(impl_->Finish(f));
  impl_->open.clear();
  return std::move(impl_->adds);
}

Result<std::vector<AddFile>> WriteDataFiles(const std::string& table_uri, const std::vector<std::string>& names,
                                            const std::vector<LogicalType>& types,
                                            const std::vector<std::string>& partition_columns,
                                            const std::vector<Batch>& batches, int64_t target_file_size,
                                            const DataFileWriteOptions& options) {
  ALOPEX_ASSIGN_OR_RETURN(auto w, DeltaDataWriter::Open(table_uri, names, types, partition_columns,
                                                        target_file_size, options));
  for (const Batch& b : batches) ALOPEX_RETURN_IF_ERROR(w->Write(b));
  return w->Finish();
}

Result<std::vector<AddFile>> WriteDataFiles(const DeltaSnapshot& snapshot, const std::vector<Batch>& batches,
                                            int64_t target_file_size, FileSystem* fs) {
  ALOPEX_ASSIGN_OR_RETURN(auto w, DeltaDataWriter::Open(snapshot, target_file_size, fs));
  for (const Batch& b : batches) ALOPEX_RETURN_IF_ERROR(w->Write(b));
  return w->Finish();
}

}  // namespace alopex
