// COPY FROM 'src' INTO t ... (Lake-Link), COPY t FROM 'src' (...) (DuckDB) and
// COPY INTO t FROM 'dir' FILE_FORMAT = ... (Databricks, idempotent): turns the
// statement into an ImportRequest and runs it (src/ingest/copy_from.h).
#include <strings.h>

#include "ingest/copy_from.h"
#include "io/file_system.h"
#include "sql/binder/expr_binder.h"
#include "sql/binder/statements.h"
#include "sql/parser.h"

namespace alopex {

Result<StatementResult> RunCopyFrom(const sql::CopyFromStatement& st, Session& s, const std::vector<Value>& params);
Result<StatementResult> RunCopyInto(const sql::CopyIntoStatement& st, Session& s, const std::vector<Value>& params);

namespace {

// Binds partition_filter over the partition columns.
PartitionFilterBinder MakePartitionFilterBinder(Session& s, const std::vector<Value>& params, std::string text) {
  return [&s, &params, text](const std::vector<std::string>& names,
                             const std::vector<LogicalType>& types) -> Result<BoundExprPtr> {
    ALOPEX_ASSIGN_OR_RETURN(auto stmts, sql::ParseSql("SELECT " + text));
    if (stmts.size() != 1 || stmts[0]->kind != sql::StatementKind::kSelect)
      return Status::InvalidArgument("'" + text + "' is not a condition");
    auto* sel = static_cast<sql::SelectStatement*>(stmts[0].get());
    if (!sel->node || sel->node->select_list.size() != 1 || sel->node->from)
      return Status::InvalidArgument("'" + text + "' must be one condition, as 'year = 2024 AND month >= 3'");
    Binder binder(MakeBinderContext(s, params, sel->text));
    Scope scope;
    for (size_t i = 0; i < names.size(); i++) scope.columns.push_back({"", names[i], types[i], false});
    ExprBinder eb(binder, scope);
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr e, eb.Bind(*sel->node->select_list[0]));
    return binder.CastTo(std::move(e), TypeId::kBoolean);
  };
}

Status ApplySettings(Session& s, ImportRequest* req) {
  if (!s.settings) return Status::OK();
  ALOPEX_ASSIGN_OR_RETURN(Value limit, s.settings->Get("alopex.import_memory_limit"));
  ALOPEX_ASSIGN_OR_RETURN(req->memory_limit, ParseMemorySize(limit.ToString()));
  ALOPEX_ASSIGN_OR_RETURN(Value spill, s.settings->Get("alopex.import_spill_threshold"));
  ALOPEX_ASSIGN_OR_RETURN(req->spill_threshold, ParseMemorySize(spill.ToString()));
  req->spill_dir = s.spill_dir;
  return Status::OK();
}

StatementResult ImportResultRows(const ImportResult& r) {
  LogicalType b(TypeId::kBigInt);
  auto out = MakeRowsResult({"job_id", "rows_imported", "rows_rejected", "files"}, {TypeId::kVarchar, b, b, b},
                            {{Value::Varchar(r.job_id), Value::BigInt(int64_t(r.rows_imported)),
                              Value::BigInt(int64_t(r.rows_rejected)), Value::BigInt(int64_t(r.files))}});
  out.message = "COPY " + std::to_string(r.rows_imported);
  return out;
}

// The (cols) list and MAP COLUMNS as one explicit mapping.
Result<std::vector<ImportColumnSpec>> ColumnSpecs(const sql::CopyFromStatement& st, Binder& binder) {
  std::vector<ImportColumnSpec> specs;
  auto same = [](const std::string& a, const std::string& b) { return strcasecmp(a.c_str(), b.c_str()) == 0; };
  if (!st.columns.empty()) {
    for (const auto& c : st.columns) {
      ImportColumnSpec spec{c.name, c.name, c.cast_type};
      for (const auto& m : st.mappings) {
        if (!same(m.target.name, c.name)) continue;
        if (m.target.cast_type && c.cast_type && *m.target.cast_type != *c.cast_type)
          return Status::BinderError("COPY FROM: column \"" + c.name + "\" is cast to " + c.cast_type->ToString() +
                                     " in the column list and to " + m.target.cast_type->ToString() +
                                     " in MAP COLUMNS" + binder.Where(m.target.location));
        spec.source = m.source;
        if (m.target.cast_type) spec.cast = m.target.cast_type;
      }
      specs.push_back(std::move(spec));
    }
    for (const auto& m : st.mappings) {
      bool listed = false;
      for (const auto& c : st.columns) listed |= same(c.name, m.target.name);
      if (!listed)
        return Status::BinderError("COPY FROM: MAP COLUMNS maps \"" + m.source + "\" to \"" + m.target.name +
                                   "\", which is not in the column list" + binder.Where(m.target.location));
    }
  } else {
    for (const auto& m : st.mappings) specs.push_back({m.source, m.target.name, m.target.cast_type});
  }
  for (size_t i = 0; i < specs.size(); i++)
    for (size_t k = 0; k < i; k++)
      if (same(specs[i].target, specs[k].target))
        return Status::BinderError("COPY FROM: column \"" + specs[i].target + "\" is named twice");
  return specs;
}

}  // namespace

Result<std::vector<std::pair<std::string, Value>>> OptionValues(const std::vector<sql::Option>& options, Binder& binder,
                                                                const std::string& statement) {
  std::vector<std::pair<std::string, Value>> out;
  Scope none;
  ExprBinder constants(binder, none);
  for (const auto& opt : options) {
    Value v = Value::Boolean(true);
    if (opt.value) {
      auto e = constants.Bind(*opt.value);
      if (!e.ok()) return e.status().WithContext(statement + ": option \"" + opt.name + "\": ");
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr folded, binder.FoldConstants(std::move(*e)));
      if (!folded->IsConstant())
        return Status::InvalidArgument(statement + ": option \"" + opt.name + "\" must be a constant" +
                                       binder.Where(opt.location));
      v = folded->value;
    }
    out.emplace_back(opt.name, std::move(v));
  }
  return out;
}


Result<StatementResult> RunCopyFrom(const sql::CopyFromStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  if (st.into_graph)
    return Status::NotImplemented("COPY FROM ... INTO GRAPH needs property graphs, which this build does not have yet");
  ImportRequest req;
  req.statement = "COPY FROM";
  req.sources = st.sources;
  auto [schema, name] = Binder::SplitName(st.target);
  req.schema = schema;
  req.table = name;
  if (s.catalog->GetView(schema, name))
    return Status::InvalidArgument("COPY FROM: \"" + name + "\" is a view; import into a table");
  ALOPEX_ASSIGN_OR_RETURN(req.columns, ColumnSpecs(st, binder));
  ALOPEX_ASSIGN_OR_RETURN(auto options, OptionValues(st.options, binder, req.statement));
  ALOPEX_RETURN_IF_ERROR(ParseImportOptions(options, OptionSet::kCopyFrom, req.statement, &req.options));
  if (!req.options.partition_filter.empty())
    req.bind_partition_filter = MakePartitionFilterBinder(s, params, req.options.partition_filter);
  ALOPEX_RETURN_IF_ERROR(ApplySettings(s, &req));
  ALOPEX_ASSIGN_OR_RETURN(ImportResult r, RunImport(req, *s.catalog, s.exec));
  return ImportResultRows(r);
}

Result<StatementResult> RunCopyInto(const sql::CopyIntoStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  ImportRequest req;
  req.statement = "COPY INTO";
  req.copy_into = true;
  if (st.source_query)
    return Status::NotImplemented("COPY INTO ... FROM (SELECT ...) is not supported yet; use FROM 'folder'");
  ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(st.target, st.location));
  req.schema = table->schema_name();
  req.table = table->name();
  const std::string& fmt = st.file_format;
  if (fmt == "parquet") {
    req.options.format = ImportFormat::kParquet;
  } else if (fmt == "csv") {
    req.options.format = ImportFormat::kCsv;
  } else if (fmt == "json") {
    req.options.format = ImportFormat::kJson;
  } else {
    return Status::NotImplemented("COPY INTO: FILE_FORMAT = " + fmt + " is not supported; use PARQUET, CSV or JSON");
  }
  if (!st.files.empty()) {
    for (const auto& f : st.files) req.sources.push_back(JoinPath(st.source, f));
  } else if (!st.pattern.empty()) {
    req.sources.push_back(JoinPath(st.source, st.pattern));
  } else {
    req.sources.push_back(st.source);
  }
  ALOPEX_ASSIGN_OR_RETURN(auto format_options, OptionValues(st.format_options, binder, req.statement));
  ALOPEX_RETURN_IF_ERROR(
      ParseImportOptions(format_options, OptionSet::kCopyIntoFormat, "COPY INTO: FORMAT_OPTIONS", &req.options));
  ALOPEX_ASSIGN_OR_RETURN(auto copy_options, OptionValues(st.copy_options, binder, req.statement));
  ALOPEX_RETURN_IF_ERROR(
      ParseImportOptions(copy_options, OptionSet::kCopyIntoCopy, "COPY INTO: COPY_OPTIONS", &req.options));
  ALOPEX_RETURN_IF_ERROR(ApplySettings(s, &req));
  ALOPEX_ASSIGN_OR_RETURN(ImportResult r, RunImport(req, *s.catalog, s.exec));
  return ImportResultRows(r);
}

}  // namespace alopex
