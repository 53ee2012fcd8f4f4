// Statements over stored (Delta) tables: RESTORE, VACUUM, OPTIMIZE, and the
// layout clauses of CREATE TABLE (PARTITIONED BY, LOCATION, properties).
#include <cmath>

#include "common/cast.h"
#include "sql/binder/expr_binder.h"
#include "sql/binder/statements.h"
#include "storage/table.h"

namespace alopex {

namespace {

// Delta table properties are case-sensitive; SQL option names arrive lower-cased.
std::string CanonicalProperty(const std::string& lower) {
  static const char* kKeys[] = {
      "delta.appendOnly",          "delta.checkpointInterval",         "delta.checkpoint.writeStatsAsJson",
      "delta.checkpoint.writeStatsAsStruct", "delta.columnMapping.mode", "delta.dataSkippingNumIndexedCols",
      "delta.dataSkippingStatsColumns", "delta.deletedFileRetentionDuration", "delta.enableChangeDataFeed",
      "delta.enableDeletionVectors", "delta.enableRowTracking",      "delta.enableInCommitTimestamps",
      "delta.isolationLevel",      "delta.logRetentionDuration",       "delta.minReaderVersion",
      "delta.minWriterVersion",    "delta.parquet.compression.codec",  "delta.randomizeFilePrefixes",
      "delta.setTransactionRetentionDuration", "delta.targetFileSize", "delta.tuneFileSizesForRewrites",
      "delta.autoOptimize.optimizeWrite", "delta.autoOptimize.autoCompact"};
  for (const char* k : kKeys)
    if (LowerName(k) == lower) return k;
  return lower;
}

Result<std::shared_ptr<Table>> StoredTable(const sql::QualifiedName& name, Binder& binder, const char* statement) {
  ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(name, 0));
  if (!table->store())
    return Status::InvalidArgument(std::string(statement) + ": table " + table->qualified_name() +
                                   " is in memory; only tables of a database directory keep Delta history and files");
  return table;
}

// Parses Delta interval text ("interval 7 days", "168 hours") into hours.
std::optional<double> IntervalHours(const std::string& text) {
  std::string t = LowerName(text);
  if (t.rfind("interval", 0) == 0) t = t.substr(8);
  double n = 0;
  char unit[32] = {0};
  if (std::sscanf(t.c_str(), " %lf %31s", &n, unit) < 2) return std::nullopt;
  std::string u = unit;
  if (u.back() == 's') u.pop_back();
  if (u == "hour") return n;
  if (u == "day") return n * 24;
  if (u == "week") return n * 24 * 7;
  if (u == "minute") return n / 60;
  if (u == "second") return n / 3600;
  return std::nullopt;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> TableProperties(const std::vector<sql::Option>& options,
                                                                        Binder& binder, const std::string& statement) {
  ALOPEX_ASSIGN_OR_RETURN(auto values, OptionValues(options, binder, statement));
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [k, v] : values) {
    if (v.is_null()) return Status::InvalidArgument(statement + ": table property \"" + k + "\" cannot be NULL");
    std::string text = v.ToString();
    if (v.type().id() == TypeId::kBoolean) text = v.GetBool() ? "true" : "false";
    std::string key = CanonicalProperty(k);
    if (key == "delta.appendOnly" || key == "delta.enableChangeDataFeed" || key == "delta.enableDeletionVectors" ||
        key == "delta.enableRowTracking") {
      std::string l = LowerName(text);
      if (l != "true" && l != "false")
        return Status::InvalidArgument(statement + ": table property \"" + key + "\" needs 'true' or 'false', got '" +
                                       text + "'");
      text = l;
    }
    if (key == "delta.checkpointInterval" || key == "delta.targetFileSize") {
      auto n = CastValue(Value::Varchar(text), TypeId::kBigInt);
      if (!n.ok() || n->GetInt64() < 1)
        return Status::InvalidArgument(statement + ": table property \"" + key + "\" needs a positive number, got '" +
                                       text + "'");
    }
    out.emplace_back(key, text);
  }
  return out;
}

Result<TableLayout> BindTableLayout(const sql::CreateTableStatement& st, Binder& binder) {
  TableLayout layout;
  for (const auto& e : st.partitioned_by) {
    if (e->kind != sql::ExprKind::kColumnRef || !e->qualifiers.empty())
      return Status::BinderError("PARTITIONED BY takes column names, not expressions; add a column computed in the "
                                 "INSERT and partition by it" +
                                 binder.Where(e->location));
    layout.partition_columns.push_back(e->name);
  }
  layout.location = st.location_path;
  ALOPEX_ASSIGN_OR_RETURN(layout.properties, TableProperties(st.properties, binder, "CREATE TABLE"));
  return layout;
}

Status CheckPartitionColumns(TableLayout& layout, const std::vector<ColumnDef>& columns) {
  for (auto& p : layout.partition_columns) {
    const ColumnDef* found = nullptr;
    for (const auto& c : columns)
      if (LowerName(c.name) == LowerName(p)) found = &c;
    if (!found) return Status::BinderError("PARTITIONED BY column \"" + p + "\" is not a column of the table");
    if (found->type.IsNested() || found->type.id() == TypeId::kVector)
      return Status::BinderError("PARTITIONED BY column \"" + p + "\" has type " + found->type.ToString() +
                                 "; partition columns must have a primitive type");
    p = found->name;
  }
  if (!columns.empty() && layout.partition_columns.size() >= columns.size())
    return Status::BinderError("PARTITIONED BY names every column; at least one column must be stored in the files");
  return Status::OK();
}

Result<StatementResult> RunRestore(const sql::RestoreStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  ALOPEX_ASSIGN_OR_RETURN(auto table, StoredTable(st.table, binder, "RESTORE TABLE"));
  int64_t version = -1;
  if (st.version) {
    ALOPEX_ASSIGN_OR_RETURN(Value v, binder.EvaluateOnce(*st.version, "RESTORE ... VERSION AS OF"));
    auto n = CastValue(v, TypeId::kBigInt);
    if (!n.ok() || n->is_null()) return Status::BinderError("RESTORE ... VERSION AS OF needs an integer version");
    version = n->GetInt64();
  } else if (st.timestamp) {
    ALOPEX_ASSIGN_OR_RETURN(Value v, binder.EvaluateOnce(*st.timestamp, "RESTORE ... TIMESTAMP AS OF"));
    auto ts = CastValue(v, LogicalType(TypeId::kTimestamp));
    if (!ts.ok() || ts->is_null()) return Status::BinderError("RESTORE ... TIMESTAMP AS OF needs a timestamp");
    ALOPEX_ASSIGN_OR_RETURN(version, table->VersionAsOfTimestamp(ts->GetInt64()));
  } else {
    return Status::BinderError("RESTORE TABLE needs TO VERSION AS OF n or TO TIMESTAMP AS OF '...'");
  }
  ALOPEX_ASSIGN_OR_RETURN(int64_t committed, table->Restore(version));
  ALOPEX_ASSIGN_OR_RETURN(auto after, table->Snapshot(committed));
  return MakeRowsResult({"table_size_after_restore", "num_of_files_after_restore", "restored_version", "new_version"},
                        {LogicalType(TypeId::kBigInt), LogicalType(TypeId::kBigInt), LogicalType(TypeId::kBigInt),
                         LogicalType(TypeId::kBigInt)},
                        {{Value::BigInt(int64_t(after->num_rows)),
                          Value::BigInt(int64_t(after->num_files)), Value::BigInt(version),
                          Value::BigInt(committed)}});
}

Result<StatementResult> RunVacuum(const sql::VacuumStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  ALOPEX_ASSIGN_OR_RETURN(auto table, StoredTable(st.table, binder, "VACUUM"));
  ALOPEX_ASSIGN_OR_RETURN(auto snap, table->Snapshot());
  double minimum = 168;  // Delta's default deleted-file retention: one week
  for (const auto& [k, v] : snap->properties)
    if (k == "delta.deletedFileRetentionDuration")
      if (auto h = IntervalHours(v)) minimum = *h;
  double hours = minimum;
  if (st.retain_hours) {
    ALOPEX_ASSIGN_OR_RETURN(Value v, binder.EvaluateOnce(*st.retain_hours, "VACUUM ... RETAIN"));
    auto h = CastValue(v, TypeId::kDouble);
    if (!h.ok() || h->is_null() || !std::isfinite(h->GetDouble()) || h->GetDouble() < 0)
      return Status::InvalidArgument("VACUUM ... RETAIN needs a number of hours of at least 0");
    hours = h->GetDouble();
  }
  ALOPEX_ASSIGN_OR_RETURN(Value check, s.settings->Get("alopex.vacuum_retention_check"));
  if (hours < minimum && check.GetBool())
    return Status::InvalidArgument(
        "VACUUM " + table->qualified_name() + " RETAIN " + std::to_string(int64_t(hours)) +
        " HOURS is shorter than the table's deleted-file retention (" + std::to_string(int64_t(minimum)) +
        " hours): files a concurrent writer is about to commit or an older snapshot still reads could be deleted. "
        "If no other writer or reader uses the table, SET alopex.vacuum_retention_check = false first");
  ALOPEX_ASSIGN_OR_RETURN(MaintenanceResult r, table->Vacuum(hours, st.dry_run));
  std::vector<std::vector<Value>> rows;
  for (const auto& f : r.files) rows.push_back({Value::Varchar(f)});
  return MakeRowsResult({"path"}, {LogicalType(TypeId::kVarchar)}, rows);
}

Result<StatementResult> RunOptimize(const sql::OptimizeStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  ALOPEX_ASSIGN_OR_RETURN(auto table, StoredTable(st.table, binder, "OPTIMIZE"));
  ALOPEX_ASSIGN_OR_RETURN(auto snap, table->Snapshot());
  int64_t target = int64_t(128) << 20;
  for (const auto& [k, v] : snap->properties)
    if (k == "delta.targetFileSize") {
      auto n = CastValue(Value::Varchar(v), TypeId::kBigInt);
      if (n.ok() && n->GetInt64() > 0) target = n->GetInt64();
    }
  ALOPEX_ASSIGN_OR_RETURN(auto options, OptionValues(st.options, binder, "OPTIMIZE"));
  for (const auto& [k, v] : options) {
    if (k != "target_file_size")
      return Status::InvalidArgument("OPTIMIZE: unknown option \"" + k + "\" (known: target_file_size)");
    Result<int64_t> bytes = Status::InvalidArgument("");
    if (v.type().id() == TypeId::kVarchar) {
      bytes = ParseMemorySize(v.ToString());
    } else if (auto n = CastValue(v, TypeId::kBigInt); n.ok() && !n->is_null()) {
      bytes = n->GetInt64();
    }
    if (!bytes.ok() || *bytes < 1)
      return Status::InvalidArgument("OPTIMIZE: option target_file_size must be a positive size like '256MB', got " +
                                     v.ToString());
    target = *bytes;
  }
  if (st.where)
    return Status::InvalidArgument(
        "OPTIMIZE ... WHERE: Alopex compacts the whole table; run OPTIMIZE " + table->qualified_name() +
        " without WHERE");
  ALOPEX_ASSIGN_OR_RETURN(MaintenanceResult r, table->Optimize(target));
  return MakeRowsResult({"path", "num_files_removed", "num_files_added", "version"},
                        {LogicalType(TypeId::kVarchar), LogicalType(TypeId::kBigInt), LogicalType(TypeId::kBigInt),
                         LogicalType(TypeId::kBigInt)},
                        {{Value::Varchar(table->qualified_name()), Value::BigInt(r.files_removed),
                          Value::BigInt(r.files_added), r.version >= 0 ? Value::BigInt(r.version)
                                                                       : Value::Null(TypeId::kBigInt)}});
}

}  // namespace alopex
