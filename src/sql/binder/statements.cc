#include "sql/binder/statements.h"

#include <cctype>
#include <cmath>
#include <thread>

#include "common/cast.h"
#include "exec/executor.h"
#include "exec/expression_executor.h"
#include "sql/binder/expr_binder.h"
#include "sql/binder/optimizer.h"
#include "storage/table.h"
#include "storage/table_scan.h"
#include "storage/table_store.h"

namespace alopex {

// ---------------------------------------------------------------- settings

Result<int64_t> ParseMemorySize(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) i++;
  size_t start = i;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) i++;
  if (i == start) return Status::InvalidArgument("memory size \"" + text + "\" must be a number with a unit, as in '4GB'");
  double n = std::atof(text.substr(start, i - start).c_str());
  std::string unit;
  for (; i < text.size(); i++)
    if (!std::isspace(static_cast<unsigned char>(text[i]))) unit += char(std::tolower(static_cast<unsigned char>(text[i])));
  double mult;
  if (unit.empty() || unit == "b" || unit == "bytes") mult = 1;
  else if (unit == "kb" || unit == "k") mult = 1e3;
  else if (unit == "mb" || unit == "m") mult = 1e6;
  else if (unit == "gb" || unit == "g") mult = 1e9;
  else if (unit == "tb" || unit == "t") mult = 1e12;
  else if (unit == "kib") mult = 1024.0;
  else if (unit == "mib") mult = 1024.0 * 1024;
  else if (unit == "gib") mult = 1024.0 * 1024 * 1024;
  else if (unit == "tib") mult = 1024.0 * 1024 * 1024 * 1024;
  else return Status::InvalidArgument("unknown memory unit \"" + unit + "\" in \"" + text + "\" (use B, KB, MB, GB, TB, KiB, MiB, GiB)");
  return int64_t(std::llround(n * mult));
}

Settings::Settings() {
  int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  defaults_["threads"] = Value::BigInt(cores);
  defaults_["memory_limit"] = Value::Varchar("80% of RAM");
  defaults_["alopex.import_memory_limit"] = Value::Varchar("4GB");
  defaults_["alopex.import_spill_threshold"] = Value::Varchar("2GB");
  defaults_["timezone"] = Value::Varchar("UTC");
  // VACUUM refuses a RETAIN shorter than the table's deleted-file retention
  // (files a concurrent writer is about to commit may be that young).
  defaults_["alopex.vacuum_retention_check"] = Value::Boolean(true);
}

Status Settings::Set(const std::string& raw, const Value& value) {
  std::string name = LowerName(raw);
  if (name == "worker_threads" || name == "alopex.threads") name = "threads";
  if (!defaults_.count(name)) {
    std::vector<std::string> names;
    for (const auto& [k, _] : defaults_) names.push_back(k);
    std::string msg = "unrecognized configuration parameter \"" + raw + "\"";
    std::string best = ClosestName(name, names);
    if (!best.empty()) msg += "\nDid you mean \"" + best + "\"?";
    return Status::InvalidArgument(msg);
  }
  if (value.is_null()) return Status::InvalidArgument("setting \"" + raw + "\" cannot be NULL");
  if (name == "threads") {
    auto v = CastValue(value, TypeId::kBigInt);
    if (!v.ok() || v->GetInt64() < 1 || v->GetInt64() > 1024)
      return Status::InvalidArgument("setting \"threads\" needs a whole number between 1 and 1024, got " + value.ToString());
    values_[name] = *v;
    return Status::OK();
  }
  if (name == "alopex.vacuum_retention_check") {
    auto v = CastValue(value, TypeId::kBoolean);
    if (!v.ok()) return Status::InvalidArgument("setting \"" + raw + "\" needs true or false, got " + value.ToString());
    values_[name] = *v;
    return Status::OK();
  }
  if (name == "alopex.import_memory_limit" || name == "alopex.import_spill_threshold" || name == "memory_limit") {
    ALOPEX_RETURN_IF_ERROR(ParseMemorySize(value.ToString()).status().WithContext("setting \"" + raw + "\": "));
  }
  values_[name] = Value::Varchar(value.ToString());
  return Status::OK();
}

Status Settings::Reset(const std::string& raw) {
  std::string name = LowerName(raw);
  if (!defaults_.count(name)) return Status::InvalidArgument("unrecognized configuration parameter \"" + raw + "\"");
  values_.erase(name);
  return Status::OK();
}

Result<Value> Settings::Get(const std::string& raw) const {
  std::string name = LowerName(raw);
  auto it = values_.find(name);
  if (it != values_.end()) return it->second;
  auto d = defaults_.find(name);
  if (d != defaults_.end()) return d->second;
  return Status::InvalidArgument("unrecognized configuration parameter \"" + raw + "\"");
}

std::vector<std::pair<std::string, Value>> Settings::All() const {
  std::vector<std::pair<std::string, Value>> r;
  for (const auto& [k, v] : defaults_) r.emplace_back(k, *Get(k));
  return r;
}

int Settings::threads() const { return int(Get("threads")->GetInt64()); }

// ---------------------------------------------------------------- helpers

StatementResult MakeRowsResult(std::vector<std::string> names, std::vector<LogicalType> types,
                               const std::vector<std::vector<Value>>& rows) {
  StatementResult r;
  r.names = std::move(names);
  r.types = std::move(types);
  Batch b(r.types);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); c++) b.columns[c].AppendValue(row[c]);
  b.num_rows = rows.size();
  r.data->num_rows = rows.size();
  if (!rows.empty()) r.data->batches.push_back(std::move(b));
  return r;
}

StatementResult CountResult(int64_t n, std::string message) {
  auto r = MakeRowsResult({"Count"}, {LogicalType(TypeId::kBigInt)}, {{Value::BigInt(n)}});
  r.message = std::move(message);
  return r;
}

BinderContext MakeBinderContext(Session& s, const std::vector<Value>& params, const std::string& sql) {
  BinderContext c;
  c.catalog = s.catalog;
  c.functions = s.functions;
  c.table_functions = s.table_functions;
  c.params = &params;
  c.exec = &s.exec;
  c.sql = sql;
  return c;
}

Result<std::vector<Batch>> Materialize(PlanPtr plan, Session& s) {
  OptimizePlan(*plan);
  ALOPEX_ASSIGN_OR_RETURN(auto data, ExecutePlan(*plan, s.exec));
  return std::move(data->batches);
}

PlanPtr Projection(PlanPtr child, std::vector<BoundExprPtr> exprs) {
  auto p = std::make_unique<PlanNode>(PlanKind::kProjection);
  for (auto& e : exprs) p->types.push_back(e->type);
  p->names.resize(exprs.size());
  p->expressions = std::move(exprs);
  p->children.push_back(std::move(child));
  return p;
}

PlanPtr ScanAll(const std::shared_ptr<Table>& table, std::shared_ptr<const TableSnapshot> snap,
                const std::string& alias, Scope* scope, const std::vector<int>& metadata) {
  auto scan = std::make_unique<PlanNode>(PlanKind::kTableScan);
  scan->table = table;
  scan->version = snap->version;
  for (size_t i = 0; i < snap->columns.size(); i++) {
    scan->column_ids.push_back(int(i));
    scan->types.push_back(snap->columns[i].type);
    scan->names.push_back(snap->columns[i].name);
    scope->columns.push_back({LowerName(alias), snap->columns[i].name, snap->columns[i].type, false});
  }
  for (int id : metadata) {
    LogicalType type(id == kDataFileColumn ? TypeId::kInteger : TypeId::kBigInt);
    scan->column_ids.push_back(id);
    scan->types.push_back(type);
    scan->names.push_back("");
    scope->columns.push_back({"", "", type, true});
  }
  scan->snapshot = std::move(snap);
  return scan;
}

std::vector<int> RowIdColumns(const TableSnapshot& snap) {
  if (!snap.row_tracking) return {};
  return PseudoColumnIds();
}

Result<std::vector<size_t>> FilesMatching(const std::shared_ptr<Table>& table,
                                          std::shared_ptr<const TableSnapshot> snap, const BoundExpr* condition,
                                          Session& s) {
  std::vector<size_t> out;
  const size_t num_files = snap->num_files;
  if (!condition) {
    for (size_t i = 0; i < num_files; i++) out.push_back(i);
    return out;
  }
  // [columns..., row ids..., data file]: `condition` may name the row ids.
  std::vector<int> metadata = RowIdColumns(*snap);
  const int file_column = int(snap->columns.size() + metadata.size());
  metadata.push_back(kDataFileColumn);
  Scope unused;
  PlanPtr filter = PushFilterInto(ScanAll(table, std::move(snap), "", &unused, metadata), condition->Copy());
  std::vector<BoundExprPtr> file;
  file.push_back(MakeColumnRef(file_column, LogicalType(TypeId::kInteger)));
  ALOPEX_ASSIGN_OR_RETURN(auto batches, Materialize(Projection(std::move(filter), std::move(file)), s));
  std::vector<bool> hit(num_files, false);
  for (const Batch& b : batches) {
    const int32_t* f = b.columns[0].data<int32_t>();
    for (size_t r = 0; r < b.num_rows; r++) hit[size_t(f[r])] = true;
  }
  for (size_t i = 0; i < num_files; i++)
    if (hit[i]) out.push_back(i);
  return out;
}

Result<std::vector<int>> InsertTargets(const std::string& table, const std::vector<ColumnDef>& cols,
                                       const std::vector<std::string>& names) {
  std::vector<int> targets;
  for (const auto& name : names) {
    int idx = -1;
    for (size_t c = 0; c < cols.size(); c++)
      if (LowerName(cols[c].name) == LowerName(name)) idx = int(c);
    if (idx < 0) {
      std::vector<std::string> known;
      for (const auto& c : cols) known.push_back(c.name);
      std::string msg = "Table \"" + table + "\" does not have a column with name \"" + name + "\"";
      std::string best = ClosestName(name, known);
      if (!best.empty()) msg += "\nDid you mean \"" + best + "\"?";
      return Status::BinderError(msg);
    }
    if (std::find(targets.begin(), targets.end(), idx) != targets.end())
      return Status::BinderError("column \"" + name + "\" is named twice in INSERT");
    targets.push_back(idx);
  }
  return targets;
}

namespace {

StatementResult MessageResult(std::string message) {
  StatementResult r;
  r.message = std::move(message);
  return r;
}

Result<StatementResult> RunQuery(BoundQuery q, Session& s) {
  OptimizePlan(*q.plan);
  ALOPEX_ASSIGN_OR_RETURN(auto data, ExecutePlan(*q.plan, s.exec));
  StatementResult r;
  r.names = std::move(q.names);
  r.types = std::move(q.types);
  r.data = std::move(data);
  return r;
}

Result<std::vector<ColumnDef>> BindColumnDefs(const std::vector<sql::ColumnDefinition>& defs, Binder& binder) {
  std::vector<ColumnDef> cols;
  for (const auto& d : defs) {
    for (const auto& c : cols)
      if (LowerName(c.name) == LowerName(d.name))
        return Status::BinderError("column \"" + d.name + "\" is defined twice" + binder.Where(d.location));
    ColumnDef c;
    c.name = d.name;
    c.type = d.type;
    c.not_null = d.not_null || d.primary_key;
    if (d.default_value) {
      Scope none;
      ExprBinder eb(binder, none);
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr e, eb.Bind(*d.default_value));
      ALOPEX_ASSIGN_OR_RETURN(e, binder.CastTo(std::move(e), d.type));
      if (!e->IsConstant()) return Status::BinderError("DEFAULT of column \"" + d.name + "\" must be a constant");
      c.default_value = e->value;
    }
    cols.push_back(std::move(c));
  }
  return cols;
}

// ---------------------------------------------------------------- statements

Result<StatementResult> RunInsert(const sql::InsertStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(st.table, st.location));
  auto cols = table->columns();
  std::vector<int> targets;
  if (st.columns.empty()) {
    for (size_t i = 0; i < cols.size(); i++) targets.push_back(int(i));
  } else {
    ALOPEX_ASSIGN_OR_RETURN(targets, InsertTargets(table->name(), cols, st.columns));
  }
  PlanPtr plan;
  std::vector<LogicalType> src_types;
  std::vector<std::string> src_names;
  if (st.default_values) {
    plan = std::make_unique<PlanNode>(PlanKind::kEmptyRow);
    targets.clear();
  } else {
    std::vector<Value> defaults;
    for (int t : targets) {
      const ColumnDef& c = cols[size_t(t)];
      defaults.push_back(c.default_value ? *c.default_value : Value::Null(c.type));
    }
    binder.SetInsertDefaults(std::move(defaults));
    ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, binder.BindQuery(*st.source));
    plan = std::move(q.plan);
    src_types = q.types;
    src_names = q.names;
  }
  if (st.by_name) {
    targets.clear();
    for (const auto& n : src_names) {
      int idx = table->ColumnIndex(n);
      if (idx < 0) return Status::BinderError("Table \"" + table->name() + "\" does not have a column with name \"" + n + "\"");
      targets.push_back(idx);
    }
  }
  if (!st.default_values && src_types.size() != targets.size())
    return Status::BinderError("table " + table->name() + " has " + std::to_string(targets.size()) +
                               " columns but " + std::to_string(src_types.size()) + " values were supplied");
  std::vector<BoundExprPtr> exprs;
  for (size_t c = 0; c < cols.size(); c++) {
    auto it = std::find(targets.begin(), targets.end(), int(c));
    if (it == targets.end()) {
      exprs.push_back(MakeConstant(cols[c].default_value ? *cols[c].default_value : Value::Null(cols[c].type)));
      exprs.back()->type = cols[c].type;
      continue;
    }
    size_t src = size_t(it - targets.begin());
    auto cast = binder.CastTo(MakeColumnRef(int(src), src_types[src]), cols[c].type);
    if (!cast.ok())
      return Status::BinderError("column \"" + cols[c].name + "\" is of type " + cols[c].type.ToString() +
                                 " but the expression is of type " + src_types[src].ToString());
    exprs.push_back(std::move(*cast));
  }
  plan = Projection(std::move(plan), std::move(exprs));
  auto batches = Materialize(std::move(plan), s);
  if (!batches.ok()) return batches.status().WithContext("INSERT INTO " + table->name() + ": ");
  int64_t n = 0;
  for (const auto& b : *batches) n += int64_t(b.num_rows);
  ALOPEX_RETURN_IF_ERROR(table->Append(std::move(*batches)));
  return CountResult(n, "INSERT " + std::to_string(n));
}

// A stored table's UPDATE and DELETE rewrite only the data files holding a
// row they change (FilesMatching, which skips files by their statistics), and
// carry each row's id into the new files when the table tracks row ids.

namespace {

// What the WHERE and SET of UPDATE and DELETE see: the table's columns, then
// its row ids (_row_id, _row_commit_version) when it tracks them, as the
// scans of ScanAll(..., RowIdColumns(snap)) produce them.
Scope DmlScope(const std::shared_ptr<Table>& table, const std::shared_ptr<const TableSnapshot>& snap,
               const std::string& alias) {
  Scope scope;
  ScanAll(table, snap, alias, &scope);
  if (snap->row_tracking) AddPseudoColumns(&scope, alias);
  return scope;
}

// What an UPDATE or DELETE reads and replaces.
struct DmlRewrite {
  RewriteSpec spec;
  std::shared_ptr<const TableSnapshot> target;  // the rows read: a stored table's files spec names
  std::vector<int> ids;                         // RowIdColumns of the table
};

// The rewrite of the rows of `snap` for which `condition` may be true (all when null).
Result<DmlRewrite> RewriteFor(const std::shared_ptr<Table>& table, const std::shared_ptr<const TableSnapshot>& snap,
                              const BoundExpr* condition, Session& s) {
  DmlRewrite r;
  r.target = snap;
  if (snap->files) {
    ALOPEX_ASSIGN_OR_RETURN(r.spec.files, FilesMatching(table, snap, condition, s));
    r.target = snap->WithFiles(*r.spec.files);
  }
  r.ids = RowIdColumns(*snap);
  r.spec.row_ids = !r.ids.empty();
  return r;
}

}  // namespace

Result<StatementResult> RunUpdate(const sql::UpdateStatement& st, Session& s, const std::vector<Value>& params) {
  if (st.from) return RunUpdateFrom(st, s, params);
  Binder binder(MakeBinderContext(s, params, st.text));
  ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(st.table, st.location));
  ALOPEX_ASSIGN_OR_RETURN(auto snap, table->Snapshot());
  const std::string alias = st.alias.empty() ? table->name() : st.alias;
  Scope scope = DmlScope(table, snap, alias);
  ExprBinder eb(binder, scope);
  BoundExprPtr cond;
  if (st.where) {
    ALOPEX_ASSIGN_OR_RETURN(cond, eb.Bind(*st.where));
    ALOPEX_ASSIGN_OR_RETURN(cond, binder.CastTo(std::move(cond), TypeId::kBoolean));
  }
  const size_t n = snap->columns.size();
  std::vector<BoundExprPtr> exprs;
  for (size_t c = 0; c < n; c++) exprs.push_back(MakeColumnRef(int(c), snap->columns[c].type));
  for (const auto& set : st.set) {
    int idx = table->ColumnIndex(set.column);
    if (idx < 0) return Status::BinderError("Referenced update column \"" + set.column + "\" not found in table " + table->name());
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr v, eb.Bind(*set.value));
    auto cast = binder.CastTo(std::move(v), snap->columns[size_t(idx)].type);
    if (!cast.ok()) return cast.status().WithContext("UPDATE column \"" + set.column + "\": ");
    BoundExprPtr value = std::move(*cast);
    if (cond) {
      auto c = std::make_unique<BoundExpr>(BoundExprKind::kCase, value->type);
      c->children.push_back(cond->Copy());
      c->children.push_back(std::move(value));
      c->children.push_back(MakeColumnRef(idx, snap->columns[size_t(idx)].type));
      value = std::move(c);
    }
    exprs[size_t(idx)] = std::move(value);
  }
  ALOPEX_ASSIGN_OR_RETURN(DmlRewrite rewrite, RewriteFor(table, snap, cond.get(), s));
  const std::vector<int>& ids = rewrite.ids;
  if (!ids.empty()) {
    // An updated row keeps its id and takes this commit's version (NULL).
    exprs.push_back(MakeColumnRef(int(n), LogicalType(TypeId::kBigInt)));
    auto version = std::make_unique<BoundExpr>(BoundExprKind::kCase, LogicalType(TypeId::kBigInt));
    version->children.push_back(cond ? cond->Copy() : MakeConstant(Value::Boolean(true)));
    version->children.push_back(MakeConstant(Value::Null(TypeId::kBigInt)));
    version->children.push_back(MakeColumnRef(int(n) + 1, LogicalType(TypeId::kBigInt)));
    exprs.push_back(std::move(version));
  }
  // One more column: whether the row was updated, to count them.
  exprs.push_back(cond ? cond->Copy() : MakeConstant(Value::Boolean(true)));
  Scope unused;
  PlanPtr plan = Projection(ScanAll(table, rewrite.target, alias, &unused, ids), std::move(exprs));
  auto batches = Materialize(std::move(plan), s);
  if (!batches.ok()) return batches.status().WithContext("UPDATE " + table->name() + ": ");
  int64_t updated = 0;
  for (auto& b : *batches) {
    Column& flag = b.columns.back();
    for (size_t i = 0; i < b.num_rows; i++) updated += flag.IsValid(i) && flag.data<uint8_t>()[i];
    b.columns.pop_back();
  }
  ALOPEX_RETURN_IF_ERROR(table->Replace(*snap, std::move(*batches), "UPDATE", rewrite.spec));
  return CountResult(updated, "UPDATE " + std::to_string(updated));
}

Result<StatementResult> RunDelete(const sql::DeleteStatement& st, Session& s, const std::vector<Value>& params) {
  if (st.using_table) return RunDeleteUsing(st, s, params);
  Binder binder(MakeBinderContext(s, params, st.text));
  ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(st.table, st.location));
  ALOPEX_ASSIGN_OR_RETURN(auto snap, table->Snapshot());
  const std::string alias = st.alias.empty() ? table->name() : st.alias;
  BoundExprPtr cond;
  if (st.where) {
    Scope scope = DmlScope(table, snap, alias);
    ExprBinder eb(binder, scope);
    ALOPEX_ASSIGN_OR_RETURN(cond, eb.Bind(*st.where));
    ALOPEX_ASSIGN_OR_RETURN(cond, binder.CastTo(std::move(cond), TypeId::kBoolean));
  }
  ALOPEX_ASSIGN_OR_RETURN(DmlRewrite rewrite, RewriteFor(table, snap, cond.get(), s));
  const std::vector<int>& ids = rewrite.ids;
  std::vector<Batch> keep;
  int64_t deleted = 0;
  if (cond) {
    // The rows of the files read, with their ids and one more column: whether
    // the condition is true (deleted).
    const size_t n = snap->columns.size();
    auto is_true = std::make_unique<BoundExpr>(BoundExprKind::kCase, LogicalType(TypeId::kBoolean));
    is_true->children.push_back(std::move(cond));
    is_true->children.push_back(MakeConstant(Value::Boolean(true)));
    is_true->children.push_back(MakeConstant(Value::Boolean(false)));
    std::vector<BoundExprPtr> exprs;
    for (size_t c = 0; c < n; c++) exprs.push_back(MakeColumnRef(int(c), snap->columns[c].type));
    for (size_t k = 0; k < ids.size(); k++) exprs.push_back(MakeColumnRef(int(n + k), LogicalType(TypeId::kBigInt)));
    exprs.push_back(std::move(is_true));
    Scope unused;
    auto batches = Materialize(Projection(ScanAll(table, rewrite.target, alias, &unused, ids), std::move(exprs)), s);
    if (!batches.ok()) return batches.status().WithContext("DELETE FROM " + table->name() + ": ");
    for (auto& b : *batches) {
      const uint8_t* flag = b.columns.back().data<uint8_t>();
      std::vector<uint32_t> sel;
      for (size_t r = 0; r < b.num_rows; r++)
        if (!flag[r]) sel.push_back(uint32_t(r));
      deleted += int64_t(b.num_rows - sel.size());
      b.columns.pop_back();
      if (sel.size() == b.num_rows) {
        keep.push_back(std::move(b));
        continue;
      }
      keep.push_back(GatherBatch(b, sel.data(), sel.size()));
    }
  } else {
    ALOPEX_ASSIGN_OR_RETURN(auto scan, TableScan::Make(rewrite.target, {}));
    for (size_t m = 0; m < scan->num_morsels(); m++)
      ALOPEX_RETURN_IF_ERROR(scan->Read(m, [&](Batch&& b) {
        deleted += int64_t(b.num_rows);
        return Status::OK();
      }));
  }
  ALOPEX_RETURN_IF_ERROR(table->Replace(*snap, std::move(keep), "DELETE", rewrite.spec));
  return CountResult(deleted, "DELETE " + std::to_string(deleted));
}

Result<StatementResult> RunCreateTable(const sql::CreateTableStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  auto [schema, name] = Binder::SplitName(st.name);
  if (!s.catalog->SchemaExists(schema)) return Status::NotFound("Schema with name \"" + schema + "\" does not exist");
  if (st.if_not_exists && (s.catalog->GetTable(schema, name) || s.catalog->GetView(schema, name)))
    return MessageResult("CREATE TABLE");
  ALOPEX_ASSIGN_OR_RETURN(TableLayout layout, BindTableLayout(st, binder));
  if (st.as_select) {
    ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, binder.BindQuery(*st.as_select));
    std::vector<ColumnDef> cols;
    std::vector<BoundExprPtr> exprs;
    for (size_t i = 0; i < q.types.size(); i++) {
      LogicalType t = q.types[i].id() == TypeId::kNull ? LogicalType(TypeId::kInteger) : q.types[i];
      for (const auto& c : cols)
        if (LowerName(c.name) == LowerName(q.names[i]))
          return Status::BinderError("CREATE TABLE AS: column name \"" + q.names[i] + "\" appears twice; alias one of them");
      cols.push_back({q.names[i], t, false, std::nullopt});
      exprs.push_back(MakeCast(MakeColumnRef(int(i), q.types[i]), t));
    }
    PlanPtr plan = Projection(std::move(q.plan), std::move(exprs));
    ALOPEX_ASSIGN_OR_RETURN(auto batches, Materialize(std::move(plan), s));
    auto table = std::make_shared<Table>(schema, name, cols);
    int64_t n = 0;
    for (const auto& b : batches) n += int64_t(b.num_rows);
    ALOPEX_RETURN_IF_ERROR(CheckPartitionColumns(layout, cols));
    ALOPEX_RETURN_IF_ERROR(table->Append(std::move(batches)));
    ALOPEX_RETURN_IF_ERROR(s.catalog->CreateTable(table, st.if_not_exists, st.or_replace, layout));
    return CountResult(n, "CREATE TABLE");
  }
  ALOPEX_ASSIGN_OR_RETURN(auto cols, BindColumnDefs(st.columns, binder));
  for (const auto& pk : st.primary_key) {
    bool found = false;
    for (auto& c : cols)
      if (LowerName(c.name) == LowerName(pk)) c.not_null = found = true;
    if (!found) return Status::BinderError("PRIMARY KEY column \"" + pk + "\" is not a column of the table");
  }
  ALOPEX_RETURN_IF_ERROR(CheckPartitionColumns(layout, cols));
  auto table = std::make_shared<Table>(schema, name, std::move(cols));
  ALOPEX_RETURN_IF_ERROR(s.catalog->CreateTable(table, st.if_not_exists, st.or_replace, layout));
  return MessageResult("CREATE TABLE");
}

Result<StatementResult> RunAlter(const sql::AlterTableStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(st.table, st.location));
  switch (st.action) {
    case sql::AlterAction::kAddColumn: {
      if (st.if_not_exists && table->ColumnIndex(st.column.name) >= 0) return MessageResult("ALTER TABLE");
      ColumnDef c{st.column.name, st.column.type, st.column.not_null, std::nullopt};
      if (st.column.default_value) {
        Scope none;
        ExprBinder eb(binder, none);
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr e, eb.Bind(*st.column.default_value));
        ALOPEX_ASSIGN_OR_RETURN(e, binder.CastTo(std::move(e), c.type));
        c.default_value = e->value;
      }
      if (c.not_null && !c.default_value && table->Snapshot().ok() && (*table->Snapshot())->num_rows > 0)
        return Status::InvalidArgument("cannot add NOT NULL column \"" + c.name + "\" without a DEFAULT to a table with rows");
      ALOPEX_RETURN_IF_ERROR(table->AddColumn(std::move(c)));
      return MessageResult("ALTER TABLE");
    }
    case sql::AlterAction::kDropColumn:
      if (st.if_exists && table->ColumnIndex(st.old_name) < 0) return MessageResult("ALTER TABLE");
      ALOPEX_RETURN_IF_ERROR(table->DropColumn(st.old_name));
      return MessageResult("ALTER TABLE");
    case sql::AlterAction::kRenameColumn:
      ALOPEX_RETURN_IF_ERROR(table->RenameColumn(st.old_name, st.new_name));
      return MessageResult("ALTER TABLE");
    case sql::AlterAction::kRenameTable: {
      auto [schema, name] = Binder::SplitName(st.table);
      ALOPEX_RETURN_IF_ERROR(s.catalog->RenameTable(schema, name, st.new_name));
      return MessageResult("ALTER TABLE");
    }
    case sql::AlterAction::kSetProperties: {
      ALOPEX_ASSIGN_OR_RETURN(auto props, TableProperties(st.properties, binder, "ALTER TABLE"));
      ALOPEX_RETURN_IF_ERROR(table->SetProperties(props));
      return MessageResult("ALTER TABLE");
    }
    case sql::AlterAction::kAlterColumnType:
      return Status::NotImplemented("ALTER COLUMN ... TYPE is not supported; add a new column and UPDATE it");
  }
  return Status::Internal("unknown ALTER action");
}

Result<StatementResult> RunDescribe(const sql::DescribeStatement& st, Session& s, const std::vector<Value>& params) {
  Binder binder(MakeBinderContext(s, params, st.text));
  std::vector<std::vector<Value>> rows;
  if (st.what == sql::DescribeKind::kQuery) {
    ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, binder.BindQuery(*st.query));
    for (size_t i = 0; i < q.names.size(); i++)
      rows.push_back({Value::Varchar(q.names[i]), Value::Varchar(q.types[i].ToString()), Value::Varchar("YES"),
                      Value::Null(TypeId::kVarchar), Value::Null(TypeId::kVarchar), Value::Null(TypeId::kVarchar)});
  } else if (st.what == sql::DescribeKind::kTable) {
    auto [schema, name] = Binder::SplitName(st.table);
    if (s.catalog->GetView(schema, name)) {
      sql::SelectNode node;
      auto ref = std::make_unique<sql::TableRef>(sql::TableRefKind::kBaseTable);
      ref->name = st.table;
      node.from = std::move(ref);
      node.select_list.push_back(std::make_unique<sql::Expr>(sql::ExprKind::kStar));
      ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, binder.BindQuery(node));
      for (size_t i = 0; i < q.names.size(); i++)
        rows.push_back({Value::Varchar(q.names[i]), Value::Varchar(q.types[i].ToString()), Value::Varchar("YES"),
                        Value::Null(TypeId::kVarchar), Value::Null(TypeId::kVarchar), Value::Null(TypeId::kVarchar)});
    } else {
      ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(st.table, st.location));
      for (const auto& c : table->columns())
        rows.push_back({Value::Varchar(c.name), Value::Varchar(c.type.ToString()), Value::Varchar(c.not_null ? "NO" : "YES"),
                        Value::Null(TypeId::kVarchar),
                        c.default_value ? Value::Varchar(c.default_value->ToSqlLiteral()) : Value::Null(TypeId::kVarchar),
                        Value::Null(TypeId::kVarchar)});
    }
  } else if (st.what == sql::DescribeKind::kHistory) {
    ALOPEX_ASSIGN_OR_RETURN(auto table, binder.LookupTable(st.table, st.location));
    ALOPEX_ASSIGN_OR_RETURN(auto commits, table->History());
    for (const auto& c : commits)
      rows.push_back({Value::BigInt(c.version), Value::Timestamp(c.timestamp_ms * 1000), Value::Varchar(c.operation),
                      Value::Varchar(c.operation_parameters)});
    LogicalType v(TypeId::kVarchar);
    return MakeRowsResult({"version", "timestamp", "operation", "operationParameters"},
                          {LogicalType(TypeId::kBigInt), LogicalType(TypeId::kTimestamp), v, v}, rows);
  } else {
    return Status::NotImplemented("DESCRIBE DETAIL is not supported yet");
  }
  LogicalType v(TypeId::kVarchar);
  return MakeRowsResult({"column_name", "column_type", "null", "key", "default", "extra"}, {v, v, v, v, v, v}, rows);
}

Result<StatementResult> RunShow(const sql::ShowStatement& st, Session& s) {
  LogicalType v(TypeId::kVarchar);
  switch (st.what) {
    case sql::ShowKind::kTables: {
      std::vector<std::vector<Value>> rows;
      std::string only = st.target.empty() ? Catalog::kDefaultSchema : LowerName(st.target.back());
      if (only == "main") only = Catalog::kDefaultSchema;
      std::vector<std::string> names;
      for (auto& [schema, name] : s.catalog->TableNames())
        if (schema == only) names.push_back(name);
      for (auto& [schema, name] : s.catalog->ViewNames())
        if (schema == only) names.push_back(name);
      std::sort(names.begin(), names.end());
      for (auto& n : names) rows.push_back({Value::Varchar(n)});
      return MakeRowsResult({"name"}, {v}, rows);
    }
    case sql::ShowKind::kAllTables: {
      std::vector<std::vector<Value>> rows;
      for (auto& [schema, name] : s.catalog->TableNames()) {
        auto t = s.catalog->GetTable(schema, name);
        std::vector<Value> cn, ct;
        for (const auto& c : t->columns()) {
          cn.push_back(Value::Varchar(c.name));
          ct.push_back(Value::Varchar(c.type.ToString()));
        }
        rows.push_back({Value::Varchar(Catalog::kDefaultCatalog), Value::Varchar(schema), Value::Varchar(name),
                        Value::List(v, cn), Value::List(v, ct), Value::Boolean(false)});
      }
      return MakeRowsResult({"database", "schema", "name", "column_names", "column_types", "temporary"},
                            {v, v, v, LogicalType::List(v), LogicalType::List(v), LogicalType(TypeId::kBoolean)}, rows);
    }
    case sql::ShowKind::kSchemas: {
      std::vector<std::vector<Value>> rows;
      for (auto& n : s.catalog->SchemaNames()) rows.push_back({Value::Varchar(n)});
      return MakeRowsResult({"schema_name"}, {v}, rows);
    }
    case sql::ShowKind::kColumns: {
      sql::DescribeStatement d;
      d.table = st.target;
      return RunDescribe(d, s, {});
    }
    case sql::ShowKind::kVariable: {
      if (LowerName(st.name) == "all") {
        std::vector<std::vector<Value>> rows;
        for (auto& [k, val] : s.settings->All()) rows.push_back({Value::Varchar(k), Value::Varchar(val.ToString())});
        return MakeRowsResult({"name", "value"}, {v, v}, rows);
      }
      ALOPEX_ASSIGN_OR_RETURN(Value val, s.settings->Get(st.name));
      return MakeRowsResult({st.name}, {val.type()}, {{val}});
    }
  }
  return Status::Internal("unknown SHOW");
}

}  // namespace

Result<StatementResult> RunCopyTo(const sql::CopyToStatement& st, Session& s, const std::vector<Value>& params);
Result<StatementResult> RunCopyFrom(const sql::CopyFromStatement& st, Session& s, const std::vector<Value>& params);
Result<StatementResult> RunCopyInto(const sql::CopyIntoStatement& st, Session& s, const std::vector<Value>& params);

Result<StatementResult> ExecuteStatement(const sql::Statement& stmt, Session& s, const std::vector<Value>& params) {
  switch (stmt.kind) {
    case sql::StatementKind::kSelect: {
      const auto& st = static_cast<const sql::SelectStatement&>(stmt);
      Binder binder(MakeBinderContext(s, params, st.text));
      ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, binder.BindQuery(*st.node));
      return RunQuery(std::move(q), s);
    }
    case sql::StatementKind::kInsert:
      return RunInsert(static_cast<const sql::InsertStatement&>(stmt), s, params);
    case sql::StatementKind::kUpdate:
      return RunUpdate(static_cast<const sql::UpdateStatement&>(stmt), s, params);
    case sql::StatementKind::kDelete:
      return RunDelete(static_cast<const sql::DeleteStatement&>(stmt), s, params);
    case sql::StatementKind::kCreateTable:
      return RunCreateTable(static_cast<const sql::CreateTableStatement&>(stmt), s, params);
    case sql::StatementKind::kCreateView: {
      const auto& st = static_cast<const sql::CreateViewStatement&>(stmt);
      Binder binder(MakeBinderContext(s, params, st.text));
      ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, binder.BindQuery(*st.query));  // must bind now
      auto [schema, name] = Binder::SplitName(st.name);
      ViewDef v{schema, name, st.query_text, st.column_aliases};
      ALOPEX_RETURN_IF_ERROR(s.catalog->CreateView(std::move(v), st.or_replace, st.if_not_exists));
      return MessageResult("CREATE VIEW");
    }
    case sql::StatementKind::kCreateSchema: {
      const auto& st = static_cast<const sql::CreateSchemaStatement&>(stmt);
      ALOPEX_RETURN_IF_ERROR(s.catalog->CreateSchema(st.name.back(), st.if_not_exists));
      return MessageResult("CREATE SCHEMA");
    }
    case sql::StatementKind::kDrop: {
      const auto& st = static_cast<const sql::DropStatement&>(stmt);
      auto [schema, name] = Binder::SplitName(st.name);
      switch (st.object_type) {
        case sql::ObjectType::kTable:
          if (!s.catalog->GetTable(schema, name) && s.catalog->GetView(schema, name))
            return Status::InvalidArgument("\"" + name + "\" is a view; use DROP VIEW");
          ALOPEX_RETURN_IF_ERROR(s.catalog->DropTable(schema, name, st.if_exists));
          return MessageResult("DROP TABLE");
        case sql::ObjectType::kView:
          ALOPEX_RETURN_IF_ERROR(s.catalog->DropView(schema, name, st.if_exists));
          return MessageResult("DROP VIEW");
        case sql::ObjectType::kSchema:
          ALOPEX_RETURN_IF_ERROR(s.catalog->DropSchema(st.name.back(), st.if_exists, st.cascade));
          return MessageResult("DROP SCHEMA");
        case sql::ObjectType::kIndex:
        case sql::ObjectType::kGraph:
          if (st.if_exists) return MessageResult("DROP");
          return Status::NotFound(std::string(st.object_type == sql::ObjectType::kIndex ? "Index" : "Graph") +
                                  " with name \"" + name + "\" does not exist");
      }
      return Status::Internal("unknown DROP");
    }
    case sql::StatementKind::kAlterTable:
      return RunAlter(static_cast<const sql::AlterTableStatement&>(stmt), s, params);
    case sql::StatementKind::kExplain: {
      const auto& st = static_cast<const sql::ExplainStatement&>(stmt);
      if (st.statement->kind != sql::StatementKind::kSelect)
        return Status::NotImplemented("EXPLAIN supports SELECT statements");
      const auto& sel = static_cast<const sql::SelectStatement&>(*st.statement);
      Binder binder(MakeBinderContext(s, params, sel.text));
      ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, binder.BindQuery(*sel.node));
      OptimizePlan(*q.plan);
      std::string text = q.plan->ToString();
      std::vector<std::vector<Value>> rows;
      size_t start = 0;
      while (start < text.size()) {
        size_t nl = text.find('\n', start);
        if (nl == std::string::npos) nl = text.size();
        rows.push_back({Value::Varchar(text.substr(start, nl - start))});
        start = nl + 1;
      }
      return MakeRowsResult({"plan"}, {LogicalType(TypeId::kVarchar)}, rows);
    }
    case sql::StatementKind::kSet: {
      const auto& st = static_cast<const sql::SetStatement&>(stmt);
      Binder binder(MakeBinderContext(s, params, st.text));
      Scope none;
      ExprBinder eb(binder, none);
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr v, eb.Bind(*st.value));
      if (!v->IsConstant()) return Status::InvalidArgument("SET " + st.name + " needs a constant value");
      ALOPEX_RETURN_IF_ERROR(s.settings->Set(st.name, v->value));
      if (LowerName(st.name) == "threads") s.exec.threads = s.settings->threads();
      return MessageResult("SET");
    }
    case sql::StatementKind::kReset: {
      const auto& st = static_cast<const sql::ResetStatement&>(stmt);
      ALOPEX_RETURN_IF_ERROR(s.settings->Reset(st.name));
      s.exec.threads = s.settings->threads();
      return MessageResult("RESET");
    }
    case sql::StatementKind::kShow:
      return RunShow(static_cast<const sql::ShowStatement&>(stmt), s);
    case sql::StatementKind::kDescribe:
      return RunDescribe(static_cast<const sql::DescribeStatement&>(stmt), s, params);
    case sql::StatementKind::kTransaction:
      return Status::NotImplemented("explicit transactions are not supported: every statement commits on its own");
    case sql::StatementKind::kCopyTo:
      return RunCopyTo(static_cast<const sql::CopyToStatement&>(stmt), s, params);
    case sql::StatementKind::kCopyFrom:
      return RunCopyFrom(static_cast<const sql::CopyFromStatement&>(stmt), s, params);
    case sql::StatementKind::kCopyInto:
      return RunCopyInto(static_cast<const sql::CopyIntoStatement&>(stmt), s, params);
    case sql::StatementKind::kMerge:
      return RunMerge(static_cast<const sql::MergeStatement&>(stmt), s, params);
    case sql::StatementKind::kRestore:
      return RunRestore(static_cast<const sql::RestoreStatement&>(stmt), s, params);
    case sql::StatementKind::kVacuum:
      return RunVacuum(static_cast<const sql::VacuumStatement&>(stmt), s, params);
    case sql::StatementKind::kOptimize:
      return RunOptimize(static_cast<const sql::OptimizeStatement&>(stmt), s, params);
    case sql::StatementKind::kCreateIndex:
      return Status::NotImplemented("CREATE INDEX needs vector indexes, which this build does not have yet");
  }
  return Status::Internal("unknown statement");
}

}  // namespace alopex
