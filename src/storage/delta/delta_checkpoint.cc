#include "storage/delta/delta_checkpoint.h"

#include "formats/parquet/parquet_reader.h"
#include "formats/parquet/parquet_writer.h"

namespace alopex {

namespace {

const char* const kActionColumns[] = {"txn",      "add",            "remove",             "metaData",
                                      "protocol", "domainMetadata", "checkpointMetadata", "sidecar"};

LogicalType Str() { return TypeId::kVarchar; }
LogicalType Long() { return TypeId::kBigInt; }
LogicalType Int() { return TypeId::kInteger; }
LogicalType Bool() { return TypeId::kBoolean; }
LogicalType StrMap() { return LogicalType::Map(Str(), Str()); }

LogicalType DeletionVectorType() {
  return LogicalType::Struct({{"storageType", Str()},
                              {"pathOrInlineDv", Str()},
                              {"offset", Int()},
                              {"sizeInBytes", Int()},
                              {"cardinality", Long()}});
}

// The checkpoint schema of PROTOCOL.md "Checkpoint Schema" (no *_parsed columns).
std::vector<std::pair<std::string, LogicalType>> CheckpointColumns(bool with_checkpoint_metadata) {
  std::vector<std::pair<std::string, LogicalType>> cols = {
      {"txn", LogicalType::Struct({{"appId", Str()}, {"version", Long()}, {"lastUpdated", Long()}})},
      {"add", LogicalType::Struct({{"path", Str()},
                                   {"partitionValues", StrMap()},
                                   {"size", Long()},
                                   {"modificationTime", Long()},
                                   {"dataChange", Bool()},
                                   {"stats", Str()},
                                   {"tags", StrMap()},
                                   {"deletionVector", DeletionVectorType()},
                                   {"baseRowId", Long()},
                                   {"defaultRowCommitVersion", Long()},
                                   {"clusteringProvider", Str()}})},
      {"remove", LogicalType::Struct({{"path", Str()},
                                      {"deletionTimestamp", Long()},
                                      {"dataChange", Bool()},
                                      {"extendedFileMetadata", Bool()},
                                      {"partitionValues", StrMap()},
                                      {"size", Long()},
                                      {"deletionVector", DeletionVectorType()},
                                      {"baseRowId", Long()},
                                      {"defaultRowCommitVersion", Long()}})},
      {"metaData", LogicalType::Struct({{"id", Str()},
                                        {"name", Str()},
                                        {"description", Str()},
                                        {"format", LogicalType::Struct({{"provider", Str()}, {"options", StrMap()}})},
                                        {"schemaString", Str()},
                                        {"partitionColumns", LogicalType::List(Str())},
                                        {"configuration", StrMap()},
                                        {"createdTime", Long()}})},
      {"protocol", LogicalType::Struct({{"minReaderVersion", Int()},
                                        {"minWriterVersion", Int()},
                                        {"readerFeatures", LogicalType::List(Str())},
                                        {"writerFeatures", LogicalType::List(Str())}})},
      {"domainMetadata", LogicalType::Struct({{"domain", Str()}, {"configuration", Str()}, {"removed", Bool()}})},
  };
  if (with_checkpoint_metadata)
    cols.push_back({"checkpointMetadata", LogicalType::Struct({{"version", Long()}, {"tags", StrMap()}})});
  return cols;
}

// A Parquet value as JSON, shaped as the action's JSON form (maps become objects).
JsonNode ValueToJson(const Value& v) {
  if (v.is_null()) return JsonNode::Null();
  const LogicalType& t = v.type();
  switch (t.id()) {
    case TypeId::kBoolean: return JsonNode::Bool(v.GetBool());
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return JsonNode::Int(v.GetInt64());
    case TypeId::kFloat:
    case TypeId::kDouble: return JsonNode::Double(v.GetDouble());
    case TypeId::kVarchar:
    case TypeId::kBlob:
    case TypeId::kJson: return JsonNode::String(v.GetString());
    case TypeId::kList: {
      JsonNode a = JsonNode::Array();
      for (const auto& c : v.children()) a.Push(ValueToJson(c));
      return a;
    }
    case TypeId::kMap: {
      JsonNode o = JsonNode::Object();
      for (const auto& kv : v.children()) {
        if (kv.is_null() || kv.children().size() < 2 || kv.children()[0].is_null()) continue;
        const Value& k = kv.children()[0];
        std::string key = k.type().IsString() ? k.GetString() : k.ToString();
        o.Set(std::move(key), ValueToJson(kv.children()[1]));
      }
      return o;
    }
    case TypeId::kStruct: {
      JsonNode o = JsonNode::Object();
      const auto& fields = t.fields();
      for (size_t i = 0; i < fields.size() && i < v.children().size(); i++)
        o.Set(fields[i].name, ValueToJson(v.children()[i]));
      return o;
    }
    default: return JsonNode::String(v.ToString());
  }
}

// A JSON action body as a Value of the checkpoint column type `t`.
Value JsonToValue(const JsonNode* n, const LogicalType& t) {
  if (!n || n->is_null()) return Value::Null(t);
  switch (t.id()) {
    case TypeId::kBoolean: return n->is_bool() ? Value::Boolean(n->bool_value()) : Value::Null(t);
    case TypeId::kInteger: return n->is_number() ? Value::Integer(int32_t(n->int_value())) : Value::Null(t);
    case TypeId::kBigInt: return n->is_number() ? Value::BigInt(n->int_value()) : Value::Null(t);
    case TypeId::kVarchar: return n->is_string() ? Value::Varchar(n->str()) : Value::Varchar(n->Serialize());
    case TypeId::kList: {
      std::vector<Value> items;
      for (const auto& c : n->items()) items.push_back(JsonToValue(&c, t.child()));
      return Value::List(t.child(), std::move(items));
    }
    case TypeId::kMap: {
      std::vector<Value> items;
      LogicalType entry = LogicalType::Struct({{"key", t.key_type()}, {"value", t.value_type()}});
      for (const auto& [k, v] : n->members())
        items.push_back(Value::Nested(entry, {Value::Varchar(k), JsonToValue(&v, t.value_type())}));
      return Value::Nested(t, std::move(items));
    }
    case TypeId::kStruct: {
      std::vector<Value> items;
      for (const auto& f : t.fields()) items.push_back(JsonToValue(n->Find(f.name), *f.type));
      return Value::Nested(t, std::move(items));
    }
    default: return Value::Null(t);
  }
}

// Collects the Parquet bytes.
class StringSink : public WritableFile {
 public:
  explicit StringSink(std::string* out) : out_(out) {}
  Status Append(const void* data, size_t n) override {
    out_->append(static_cast<const char*>(data), n);
    return Status::OK();
  }
  Status Close() override { return Status::OK(); }
  uint64_t bytes_written() const override { return out_->size(); }
  const std::string& path() const override { return path_; }

 private:
  std::string* out_;
  std::string path_ = "<checkpoint>";
};

}  // namespace

Result<std::vector<Action>> ReadCheckpointFile(const std::string& path, FileSystem* fs) {
  if (path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
    ALOPEX_ASSIGN_OR_RETURN(std::string text, fs->ReadAll(path));
    return ParseActions(text, path);
  }
  auto reader = ParquetReader::Open(path, fs);
  if (!reader.ok()) return reader.status().WithContext("checkpoint " + path + ": ");
  ParquetReadOptions options;
  std::vector<std::string> present;
  for (const char* name : kActionColumns) {
    for (const auto& c : (*reader)->column_names()) {
      if (c == name) {
        present.push_back(name);
        break;
      }
    }
  }
  if (present.empty())
    return Status::Corruption("checkpoint " + path + " has none of the action columns (add, remove, metaData, ...)");
  options.columns = present;
  std::vector<Action> out;
  for (int rg = 0; rg < (*reader)->num_row_groups(); rg++) {
    Status st = (*reader)->ReadRowGroup(rg, options, [&](Batch&& batch) -> Status {
      for (size_t row = 0; row < batch.num_rows; row++) {
        for (size_t c = 0; c < batch.columns.size(); c++) {
          const Column& col = batch.columns[c];
          if (col.IsNull(row)) continue;
          JsonNode line = JsonNode::Object();
          line.Set(present[c], ValueToJson(col.GetValue(row)));
          auto action = ActionFromJson(line);
          if (!action.ok())
            return action.status().WithContext("checkpoint " + path + ": row group " + std::to_string(rg) + ": ");
          if (*action) out.push_back(std::move(**action));
        }
      }
      return Status::OK();
    });
    if (!st.ok()) return st.WithContext("checkpoint " + path + ": ");
  }
  return out;
}

Result<std::string> SerializeCheckpoint(const std::vector<Action>& actions, bool with_checkpoint_metadata) {
  auto cols = CheckpointColumns(with_checkpoint_metadata);
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  for (auto& [n, t] : cols) {
    names.push_back(n);
    types.push_back(t);
  }
  std::string bytes;
  ParquetWriteOptions options;
  options.compression = "snappy";
  options.row_group_size = 1 << 20;
  ALOPEX_ASSIGN_OR_RETURN(auto writer, ParquetWriter::Open(std::make_unique<StringSink>(&bytes), names, types, options));
  Batch batch(types);
  batch.SetRows(0);
  auto flush = [&]() -> Status {
    if (batch.num_rows == 0) return Status::OK();
    ALOPEX_RETURN_IF_ERROR(writer->Write(batch));
    batch = Batch(types);
    batch.SetRows(0);
    return Status::OK();
  };
  for (const auto& action : actions) {
    JsonNode line = ActionToJson(action);
    const std::string& name = line.members()[0].first;
    int col = -1;
    for (size_t i = 0; i < names.size(); i++)
      if (names[i] == name) col = int(i);
    if (col < 0) continue;  // commitInfo, sidecar: not checkpoint rows here
    for (size_t i = 0; i < names.size(); i++) {
      if (int(i) == col)
        batch.columns[i].AppendValue(JsonToValue(&line.members()[0].second, types[i]));
      else
        batch.columns[i].AppendValue(Value::Null(types[i]));
    }
    batch.num_rows++;
    if (batch.num_rows >= kBatchSize) ALOPEX_RETURN_IF_ERROR(flush());
  }
  ALOPEX_RETURN_IF_ERROR(flush());
  ALOPEX_RETURN_IF_ERROR(writer->Close());
  return bytes;
}

}  // namespace alopex
