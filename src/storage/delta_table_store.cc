#include "storage/delta_table_store.h"

#include <atomic>
#include <map>

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

Result<std::unique_ptr<DeltaTableStore>> DeltaTableStore::Create(
    const std::string& location, const std::vector<ColumnDef>& columns,
    const std::vector<std::string>& partition_columns,
    const std::vector<std::pair<std::string, std::string>>& properties) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, SchemaOf(columns));
  // Rows keep stable ids (Delta row tracking) unless the table says otherwise:
  // vector indexes rely on them.
  StringMap configuration{{"delta.enableRowTracking", "true"}};
  for (const auto& [k, v] : properties) configuration[k] = v;
  ALOPEX_ASSIGN_OR_RETURN(auto delta, DeltaTable::Create(location, schema, partition_columns, configuration));
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
  out->partition_columns = snap.partition_columns();
  out->num_rows = size_t(snap.NumRecords().value_or(0));
  out->num_files = snap.files.size();
  for (const auto& [k, v] : snap.configuration()) out->properties.emplace_back(k, v);
  for (const auto& [k, d] : snap.domains) out->domains[k] = d.configuration;
  out->row_tracking = TracksRowIds(snap);
  out->files = std::make_shared<const DeltaSnapshot>(std::move(snap));
  return out;
}

Result<int64_t> DeltaTableStore::VersionAsOfTimestamp(int64_t micros) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot snap, delta_->SnapshotAsOfTimestamp(micros));
  return snap.version;
}

namespace {

CommitOptions AppendOptions(const CommitInfoExtra& extra, int64_t rows) {
  CommitOptions options;
  options.operation = extra.operation;
  options.operation_parameters["mode"] = "\"Append\"";
  options.operation_metrics["numOutputRows"] = std::to_string(rows);
  for (const auto& [k, v] : extra.metrics) options.operation_metrics[k] = v;
  return options;
}

// Adds `extra`'s domains (with the protocol upgrade they need) to `actions`.
void AddDomains(const DeltaSnapshot& snap, const CommitInfoExtra& extra, std::vector<Action>* actions) {
  if (extra.domains.empty()) return;
  if (auto p = WithWriterFeature(snap.protocol, "domainMetadata")) actions->push_back(std::move(*p));
  for (const auto& [domain, config] : extra.domains) actions->push_back(DomainMetadata{domain, config, false});
}

// The hidden columns a rewrite of `snap` keeps row ids in (nullopt: the table
// does not track them); when the table has no names for them yet, the
// metaData action that gives them goes to `actions`.
std::optional<RowTrackingColumns> RewriteRowTracking(const DeltaSnapshot& snap, std::vector<Action>* actions) {
  if (!TracksRowIds(snap)) return std::nullopt;
  if (auto names = MaterializedRowTrackingColumns(snap.configuration())) return names;
  Metadata md = snap.metadata;
  RowTrackingColumns names = EnsureMaterializedRowTrackingColumns(&md.configuration);
  actions->push_back(std::move(md));
  return names;
}

// A streaming append (or, with `rewrite`, a streaming replacement of the
// files of the base it names): one DeltaDataWriter per concurrent writer
// thread, so threads never wait on each other's Parquet encoding, and one per
// ordered sequence in flight.
class DeltaWriteTxn : public TableAppender {
 public:
  DeltaWriteTxn(DeltaTable* delta, std::shared_ptr<const TableSnapshot> base, std::function<Status(const Batch&)> check,
                std::optional<RewriteSpec> rewrite, std::string operation)
      : delta_(delta),
        base_(std::move(base)),
        check_(std::move(check)),
        rewrite_(std::move(rewrite)),
        operation_(std::move(operation)) {
    if (rewrite_ && rewrite_->row_ids) row_tracking_ = RewriteRowTracking(*base_->files, &metadata_);
  }

  Status Write(Batch batch) override {
    if (batch.num_rows == 0) return Status::OK();
    if (check_) ALOPEX_RETURN_IF_ERROR(check_(batch));
    std::unique_ptr<DeltaDataWriter> w;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!free_.empty()) {
        w = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (!w) {
      ALOPEX_ASSIGN_OR_RETURN(w, DeltaDataWriter::Open(*base_->files, int64_t(128) << 20, nullptr, "", row_tracking_));
    }
    Status st = w->Write(batch);
    rows_ += batch.num_rows;
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(w));
    return st;
  }

  Status WriteOrdered(uint64_t sequence, Batch batch) override {
    if (batch.num_rows == 0) return Status::OK();
    if (check_) ALOPEX_RETURN_IF_ERROR(check_(batch));
    DeltaDataWriter* w;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto& slot = ordered_[sequence];
      if (!slot) {
        char prefix[24];
        std::snprintf(prefix, sizeof(prefix), "%016llx", static_cast<unsigned long long>(sequence));
        ALOPEX_ASSIGN_OR_RETURN(
            slot, DeltaDataWriter::Open(*base_->files, int64_t(128) << 20, nullptr, prefix, row_tracking_));
      }
      w = slot.get();
    }
    rows_ += batch.num_rows;
    return w->Write(batch);  // one thread per sequence
  }

  Status EndSequence(uint64_t sequence) override {
    std::unique_ptr<DeltaDataWriter> w;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = ordered_.find(sequence);
      if (it == ordered_.end()) return Status::OK();
      w = std::move(it->second);
      ordered_.erase(it);
    }
    ALOPEX_ASSIGN_OR_RETURN(auto adds, w->Finish());
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& a : adds) adds_.push_back(std::move(a));
    return Status::OK();
  }

  uint64_t rows_written() const override { return rows_; }

  Result<int64_t> Commit(const CommitInfoExtra& extra) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Action> actions = metadata_;
    int64_t now = DeltaNowMillis();
    size_t removed = 0;
    if (rewrite_) {
      const auto& files = base_->files->files;
      if (rewrite_->files) {
        for (size_t i : *rewrite_->files) actions.push_back(RemoveFile::For(files.at(i), now));
        removed = rewrite_->files->size();
      } else {
        for (const auto& add : files) actions.push_back(RemoveFile::For(add, now));
        removed = files.size();
      }
    }
    size_t added = adds_.size();
    for (auto& a : adds_) actions.push_back(std::move(a));
    adds_.clear();
    for (auto& [seq, w] : ordered_) free_.push_back(std::move(w));
    ordered_.clear();
    for (auto& w : free_) {
      ALOPEX_ASSIGN_OR_RETURN(auto adds, w->Finish());
      added += adds.size();
      for (auto& a : adds) actions.push_back(std::move(a));
    }
    free_.clear();
    AddDomains(*base_->files, extra, &actions);
    CommitOptions options = AppendOptions(extra, int64_t(rows_.load()));
    if (rewrite_) {
      options.operation = operation_;
      options.operation_parameters.erase("mode");
      if (operation_ == "WRITE") options.operation_parameters["mode"] = "\"Overwrite\"";
      options.operation_metrics["numRemovedFiles"] = std::to_string(removed);
      options.operation_metrics["numAddedFiles"] = std::to_string(added);
      options.read_scope = ReadScope::kWholeTable;
      options.row_ids_preserved = row_tracking_.has_value();
    }
    return delta_->Commit(actions, base_->version, options);
  }

 private:
  DeltaTable* delta_;
  std::shared_ptr<const TableSnapshot> base_;
  std::function<Status(const Batch&)> check_;
  const std::optional<RewriteSpec> rewrite_;  // nullopt: an append
  const std::string operation_;
  std::optional<RowTrackingColumns> row_tracking_;  // a rewrite carrying row ids
  std::vector<Action> metadata_;                    // naming the row-tracking columns``
  std::mutex mu_;
  std::vector<std::unique_ptr<DeltaDataWriter>> free_;
  std::map<uint64_t, std::unique_ptr<DeltaDataWriter>> ordered_;
  std::vector<AddFile> adds_;  // of ended sequences
  std::atomic<uint64_t> rows_{0};
};

}  // namespace

Result<int64_t> DeltaTableStore::Append(const TableSnapshot& base, const std::vector<Batch>& batches,
                                        const CommitInfoExtra& extra) {
  std::vector<Action> actions;
  int64_t rows = 0;
  // New columns join the schema in the same commit as the rows.
  const DeltaSnapshot* target = base.files.get();
  DeltaSnapshot widened;
  if (!extra.add_columns.empty()) {
    std::vector<ColumnDef> cols = base.columns;
    for (const auto& c : extra.add_columns) cols.push_back(c);
    ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, SchemaOf(cols));
    widened = *base.files;
    widened.metadata.schema_string = SerializeDeltaSchema(schema);
    widened.schema = std::move(schema);
    actions.push_back(widened.metadata);
    target = &widened;
  }
  if (!batches.empty()) {
    ALOPEX_ASSIGN_OR_RETURN(auto adds, WriteDataFiles(*target, batches));
    for (auto& a : adds) actions.push_back(std::move(a));
    for (const auto& b : batches) rows += int64_t(b.num_rows);
  }
  AddDomains(*base.files, extra, &actions);
  return delta_->Commit(actions, base.version, AppendOptions(extra, rows));
}

Result<std::unique_ptr<TableAppender>> DeltaTableStore::OpenAppender(std::shared_ptr<const TableSnapshot> base,
                                                                     std::function<Status(const Batch&)> check) {
  if (!base->files) return Status::Internal("append to a stored table without its files");
  return std::unique_ptr<TableAppender>(
      new DeltaWriteTxn(delta_.get(), std::move(base), std::move(check), std::nullopt, ""));
}

Result<std::unique_ptr<TableAppender>> DeltaTableStore::OpenRewriter(std::shared_ptr<const TableSnapshot> base,
                                                                     const std::string& operation,
                                                                     const RewriteSpec& spec,
                                                                     std::function<Status(const Batch&)> check) {
  if (!base->files) return Status::Internal("rewrite of a stored table without its files");
  return std::unique_ptr<TableAppender>(
      new DeltaWriteTxn(delta_.get(), std::move(base), std::move(check), spec, operation));
}

Result<int64_t> DeltaTableStore::Rewrite(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                                         const std::vector<Batch>& rows, const std::string& operation,
                                         bool row_ids) {
  const DeltaSnapshot& snap = *base.files;
  ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, SchemaOf(columns));
  std::vector<Action> actions;
  std::optional<RowTrackingColumns> row_tracking;
  if (row_ids) row_tracking = RewriteRowTracking(snap, &actions);
  std::string schema_string = SerializeDeltaSchema(schema);
  if (schema_string != snap.metadata.schema_string) {
    Metadata md = actions.empty() ? snap.metadata : std::get<Metadata>(actions[0]);
    md.schema_string = schema_string;
    actions.assign(1, Action(std::move(md)));
  }
  int64_t now = DeltaNowMillis();
  for (const auto& add : snap.files) actions.push_back(RemoveFile::For(add, now));
  if (!rows.empty()) {
    DataFileWriteOptions wo;
    wo.schema = &schema;
    wo.column_mapping = snap.column_mapping;
    wo.row_tracking = row_tracking;
    ALOPEX_ASSIGN_OR_RETURN(auto adds, WriteDataFiles(delta_->path(), schema.names(), schema.types(),
                                                      snap.partition_columns(), rows, int64_t(128) << 20, wo));
    for (auto& a : adds) actions.push_back(std::move(a));
  }
  CommitOptions options;
  options.operation = operation;
  if (operation == "WRITE") options.operation_parameters["mode"] = "\"Overwrite\"";
  options.read_scope = ReadScope::kWholeTable;
  options.row_ids_preserved = row_tracking.has_value();
  return delta_->Commit(actions, base.version, options);
}

Result<int64_t> DeltaTableStore::ChangeSchema(const TableSnapshot& base, const std::vector<ColumnDef>& columns,
                                              const std::string& operation) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSchema schema, SchemaOf(columns));
  Metadata md = base.files->metadata;
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

Result<int64_t> DeltaTableStore::SetProperties(const TableSnapshot& base,
                                               const std::vector<std::pair<std::string, std::string>>& properties) {
  const DeltaSnapshot& snap = *base.files;
  Metadata md = snap.metadata;
  JsonNode props = JsonNode::Object();
  for (const auto& [k, v] : properties) {
    md.configuration[k] = v;
    props.Set(k, JsonNode::String(v));
  }
  CommitOptions options;
  options.operation = "SET TBLPROPERTIES";
  options.operation_parameters["properties"] = props.Serialize();
  // Properties that need writer features (row tracking, append-only) bring them.
  std::vector<Action> actions;
  Protocol protocol = WithPropertyFeatures(snap.protocol, md.configuration);
  if (!(protocol == snap.protocol)) actions.push_back(protocol);
  auto enabling = md.configuration.find("delta.enableRowTracking");
  bool row_tracking = enabling != md.configuration.end() && enabling->second == "true";
  if (row_tracking) {
    EnsureMaterializedRowTrackingColumns(&md.configuration);
    md.configuration.erase("delta.rowTrackingSuspended");
  }
  actions.push_back(std::move(md));
  if (row_tracking) {
    // Every live file without ids is committed again, so the commit gives it
    // ids (PROTOCOL.md: enabling needs baseRowId on every live add).
    for (const auto& add : snap.files) {
      if (add.base_row_id && add.default_row_commit_version) continue;
      AddFile again = add;
      again.data_change = false;
      actions.push_back(std::move(again));
    }
    options.read_scope = ReadScope::kWholeTable;
  }
  return delta_->Commit(actions, base.version, options);
}

Result<int64_t> DeltaTableStore::Restore(const TableSnapshot& base, int64_t version) {
  ALOPEX_ASSIGN_OR_RETURN(DeltaSnapshot target, delta_->Snapshot(version));
  const DeltaSnapshot& now = *base.files;
  auto key = [](const AddFile& a) {
    return a.path + "\n" + (a.deletion_vector ? a.deletion_vector->UniqueId() : std::string());
  };
  std::map<std::string, const AddFile*> live, wanted;
  for (const auto& a : now.files) live[key(a)] = &a;
  for (const auto& a : target.files) wanted[key(a)] = &a;
  std::vector<Action> actions;
  if (target.metadata.schema_string != now.metadata.schema_string ||
      target.metadata.partition_columns != now.metadata.partition_columns ||
      target.metadata.configuration != now.metadata.configuration) {
    Metadata md = target.metadata;
    md.id = now.metadata.id;
    actions.push_back(std::move(md));
  }
  int64_t ts = DeltaNowMillis(), removed = 0, restored = 0;
  for (const auto& [k, a] : live)
    if (!wanted.count(k)) actions.push_back(RemoveFile::For(*a, ts)), removed++;
  for (const auto& [k, a] : wanted) {
    if (live.count(k)) continue;
    std::string path = ResolveDataFilePath(delta_->path(), a->path);
    if (!delta_->fs()->Exists(path))
      return Status::NotFound("RESTORE TABLE to version " + std::to_string(version) + ": data file " + path +
                              " was removed by VACUUM");
    AddFile add = *a;
    add.data_change = true;
    add.modification_time = ts;
    actions.push_back(std::move(add));
    restored++;
  }
  CommitOptions options;
  options.operation = "RESTORE";
  options.operation_parameters["version"] = std::to_string(version);
  options.operation_metrics["numRemovedFile"] = std::to_string(removed);
  options.operation_metrics["numRestoredFile"] = std::to_string(restored);
  options.read_scope = ReadScope::kWholeTable;
  return delta_->Commit(actions, base.version, options);
}

Result<MaintenanceResult> DeltaTableStore::Vacuum(double retain_hours, bool dry_run) {
  ALOPEX_ASSIGN_OR_RETURN(VacuumResult r, delta_->Vacuum(retain_hours, dry_run));
  MaintenanceResult out;
  out.files = std::move(r.files);
  out.bytes = r.bytes;
  return out;
}

Result<MaintenanceResult> DeltaTableStore::Optimize(const TableSnapshot& base, int64_t target_file_size) {
  const DeltaSnapshot& snap = *base.files;
  // Small files (and files with deleted rows) are rewritten, per partition,
  // their rows keeping their ids.
  std::vector<Action> actions;
  std::optional<RowTrackingColumns> row_tracking = RewriteRowTracking(snap, &actions);
  ScanMetadataColumns extra;
  extra.row_id = extra.row_commit_version = row_tracking.has_value();
  ALOPEX_ASSIGN_OR_RETURN(DeltaFileScan scan, DeltaFileScan::Make(base.files, {}, {}, nullptr, extra));
  std::map<PartitionValues, std::vector<size_t>> groups;
  for (size_t i = 0; i < scan.num_files(); i++) {
    const AddFile& a = scan.file(i);
    if (a.size < target_file_size || a.deletion_vector) groups[a.partition_values].push_back(i);
  }
  MaintenanceResult out;
  const size_t metadata_actions = actions.size();
  int64_t ts = DeltaNowMillis();
  for (auto& [pv, files] : groups) {
    if (files.size() < 2 && !scan.file(files[0]).deletion_vector) continue;
    ALOPEX_ASSIGN_OR_RETURN(auto w, DeltaDataWriter::Open(snap, target_file_size, nullptr, "", row_tracking));
    for (size_t i : files) ALOPEX_RETURN_IF_ERROR(scan.ReadFile(i, [&](Batch&& b) { return w->Write(b); }));
    ALOPEX_ASSIGN_OR_RETURN(auto adds, w->Finish());
    for (size_t i : files) actions.push_back(RemoveFile::For(scan.file(i), ts, false));
    for (auto& a : adds) {
      a.data_change = false;
      actions.push_back(std::move(a));
    }
    out.files_removed += int64_t(files.size());
    out.files_added += int64_t(adds.size());
  }
  if (actions.size() == metadata_actions) return out;
  CommitOptions options;
  options.operation = "OPTIMIZE";
  options.row_ids_preserved = row_tracking.has_value();
  options.operation_parameters["predicate"] = "[]";
  options.operation_metrics["numRemovedFiles"] = std::to_string(out.files_removed);
  options.operation_metrics["numAddedFiles"] = std::to_string(out.files_added);
  ALOPEX_ASSIGN_OR_RETURN(out.version, delta_->Commit(actions, base.version, options));
  return out;
}

Status DeltaTableStore::Drop() { return delta_->fs()->DeleteRecursive(delta_->path()); }

}  // namespace alopex
