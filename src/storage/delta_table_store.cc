#include "storage/delta_table_store.h"

#include "common/cast.h"
#include "storage/delta/delta_scan.h"

namespace alopex {

namespace {

constexpr const char* kDefaultKey = "alopex.default";

Result<DeltaSchema> SchemaOf(const std::vector<ColumnDef>& columns) {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  for (const auto& c : columns) {
    names.push_back(c.name);
    types.push_back(c.type);
  }
  ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, DeltaSchemaFromColumns(names, types));
  for (size_t i = 0; i < columns.size(); i++) {
    schema.fields[i].nullable = !columns[i].not_null;
    if (columns[i].default_value && !columns[i].default_value->is_null())
      schema.fields[i].metadata.Set(kDefaultKey, JsonNode::String(columns[i].default_value->ToString()));
  }
  return schema;
}

std::vector<ColumnDef> ColumnsOf(const DeltaSchema& schema) {
  std::vector<ColumnDef> cols;
  for (const auto& f : schema.fields) {
    ColumnDef c{f.name, f.type, !f.nullable, std::nullopt};
    if (auto text = f.metadata.GetString(kDefaultKey)) {
      auto v = CastValue(Value::Varchar(*text), f.type);
      if (v.ok()) c.default_value = *v;
    }
    cols.push_back(std::move(c));
  }
  return cols;
}

}  // namespace

Result<std::unique_ptr<DeltaTableStore>> DeltaTableStore::Create(const std::string& location,
                                                                 const std::vector<ColumnDef>& columns) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, SchemaOf(columns));
  ALOPEX_ASSIGN_OR_RETURN(auto delta, DeltaTable::Create(location, schema, {}));
  return std::unique_ptr<DeltaTableStore>(new DeltaTableStore(std::move(delta)));
}

Result<std::unique_ptr<DeltaTableStore>> DeltaTableStore::Open(const std::string& location) {
  ALOPEX_ASSIGN_OR_RETURN(auto delta, DeltaTable::Open(location));
  return std::unique_ptr<DeltaTableStore>(new DeltaTableStore(std::move(delta)));
}

Result<std::shared_ptr<TableSnapshot>> DeltaTableStore::Load(int64_t version) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, delta_->Snapshot(version));
  auto out = std::make_shared<TableSnapshot>();
  out->columns = ColumnsOf(snap.schema);
  out->version = snap.version;
  ALOPEX_RETURN_IF_ERROR(ScanSnapshot(snap, {}, [&](Batch&& b) {
    if (b.num_rows == 0) return Status::OK();
    out->num_rows += b.num_rows;
    out->batches.push_back(std::make_shared<const Batch>(std::move(b)));
    return Status::OK();
  }));
  return out;
}

Result<int64_t> DeltaTableStore::VersionAsOfTimestamp(int64_t micros) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, delta_->SnapshotAsOfTimestamp(micros));
  return snap.version;
}

Result<int64_t> DeltaTableStore::Append(const TableSnapshot& base, const std::vector<Batch>& batches) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, delta_->Snapshot(base.version));
  std::vector<Action> actions;
  if (!batches.empty()) {
    ALOPEX_ASSIGN_OR_RETURN(auto adds, WriteDataFiles(snap, batches));
    for (auto& a : adds) actions.push_back(std::move(a));
  }
  CommitOptions options;
  options.operation = "WRITE";
  options.operation_parameters["mode"] = "\"Append\"";
  return delta_->Commit(actions, base.version, options);
}

Result<int64_t> DeltaTableStore::Rewrite(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                                         const std::vector<Batch>& rows, const std::string& operation) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, delta_->Snapshot(base.version));
  ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, SchemaOf(columns));
  std::vector<Action> actions;
  std::string schema_string = SerializeDeltaSchema(schema);
  if (schema_string != snap.metadata.schema_string) {
    Metadata md = snap.metadata;
    md.schema_string = schema_string;
    actions.push_back(std::move(md));
  }
  int64_t now = DeltaNowMillis();
  for (const auto& add : snap.files) actions.push_back(RemoveFile::For(add, now));
  if (!rows.empty()) {
    DataFileWriteOptions wo;
    wo.schema = &schema;
    ALOPEX_ASSIGN_OR_RETURN(
        auto adds, WriteDataFiles(delta_->path(), schema.names(), schema.types(), {}, rows, int64_t(128) << 20, wo));
    for (auto& a : adds) actions.push_back(std::move(a));
  }
  CommitOptions options;
  options.operation = operation;
  if (operation == "WRITE") options.operation_parameters["mode"] = "\"Overwrite\"";
  options.read_scope = ReadScope::kWholeTable;
  return delta_->Commit(actions, base.version, options);
}

Result<int64_t> DeltaTableStore::ChangeSchema(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                                              const std::string& operation) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, delta_->Snapshot(base.version));
  ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, SchemaOf(columns));
  Metadata md = snap.metadata;
  md.schema_string = SerializeDeltaSchema(schema);
  CommitOptions options;
  options.operation = operation;
  return delta_->Commit({Action(std::move(md))}, base.version, options);
}

Result<std::vector<TableCommit>> DeltaTableStore::History() {
  ALOPEX_ASSIGN_OR_RETURN(auto entries, delta_->History());
  std::vector<TableCommit> out;
  for (const auto& e : entries) {
    std::string params = "{";
    for (const auto& [k, v] : e.operation_parameters) {
      if (params.size() > 1) params += ",";
      params += JsonNode::String(k).Serialize() + ":" + (v ? *v : "null");
    }
    params += "}";
    out.push_back({e.version, e.timestamp_ms, e.operation, params});
  }
  return out;
}

Status DeltaTableStore::Drop() { return delta_->fs()->DeleteRecursive(delta_->path()); }

}  // namespace alopex
