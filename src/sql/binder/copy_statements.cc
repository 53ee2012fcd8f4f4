// COPY (query) TO 'path' / COPY t [(cols)] TO 'path' WITH (...): runs the query
// and writes its rows through WriteFiles (src/ingest/file_export.h).
#include <algorithm>
#include <cctype>

#include "exec/executor.h"
#include "common/text.h"
#include "ingest/file_export.h"
#include "sql/binder/expr_binder.h"
#include "sql/binder/optimizer.h"
#include "sql/binder/statements.h"
#include "sql/parser.h"

namespace alopex {

Result<StatementResult> RunCopyTo(const sql::CopyToStatement& st, Session& s, const std::vector<Value>& params);

namespace {

// The partition_by items: constant strings are parsed as expressions
// ('DATE(created_at)'), other items (PARTITION_BY (a, b)) are used as written.
Status CollectPartitionItems(const sql::Expr& value, std::vector<const sql::Expr*>* items,
                             std::vector<sql::StatementPtr>* parsed) {
  if (value.kind == sql::ExprKind::kList) {
    for (const auto& c : value.children) ALOPEX_RETURN_IF_ERROR(CollectPartitionItems(*c, items, parsed));
    return Status::OK();
  }
  if (value.kind == sql::ExprKind::kConstant && !value.value.is_null() &&
      value.value.type().id() == TypeId::kVarchar) {
    const std::string& text = value.value.GetString();
    auto stmts = sql::ParseSql("SELECT " + text);
    if (!stmts.ok() || stmts->size() != 1 || (*stmts)[0]->kind != sql::StatementKind::kSelect)
      return Status::InvalidArgument("COPY TO: partition_by item '" + text + "' is not an expression");
    auto* sel = static_cast<sql::SelectStatement*>((*stmts)[0].get());
    if (!sel->node || sel->node->select_list.size() != 1 || sel->node->from)
      return Status::InvalidArgument("COPY TO: partition_by item '" + text + "' must be one expression");
    items->push_back(sel->node->select_list[0].get());
    parsed->push_back(std::move((*stmts)[0]));
    return Status::OK();
  }
  items->push_back(&value);
  return Status::OK();
}

// The folder key of a partition expression: the column for a plain column,
// the function's name for a function of one column (DATE(created_at) → date).
std::string PartitionKeyName(const sql::Expr& e, size_t i) {
  if (!e.alias.empty()) return e.alias;
  if (e.kind == sql::ExprKind::kColumnRef) return e.name;
  if (e.kind == sql::ExprKind::kFunction && e.children.size() == 1 &&
      e.children[0]->kind == sql::ExprKind::kColumnRef)
    return AsciiLower(e.name);
  return "p" + std::to_string(i);
}

}  // namespace

Result<StatementResult> RunCopyTo(const sql::CopyToStatement& st, Session& s, const std::vector<Value>& params) {
  BinderContext bc;
  bc.catalog = s.catalog;
  bc.functions = s.functions;
  bc.table_functions = s.table_functions;
  bc.params = &params;
  bc.exec = &s.exec;
  bc.sql = st.text;
  Binder binder(bc);

  // The rows: the query, or the table's columns.
  sql::SelectNode table_select;
  const sql::SelectNode* node = st.query.get();
  if (!node) {
    for (const auto& c : st.columns) {
      auto ref = std::make_unique<sql::Expr>(sql::ExprKind::kColumnRef, st.location);
      ref->name = c;
      table_select.select_list.push_back(std::move(ref));
    }
    if (st.columns.empty()) table_select.select_list.push_back(std::make_unique<sql::Expr>(sql::ExprKind::kStar, st.location));
    table_select.from = std::make_unique<sql::TableRef>(sql::TableRefKind::kBaseTable, st.location);
    table_select.from->name = st.table;
    node = &table_select;
  }
  ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, binder.BindQuery(*node));

  // Options: constant values; partition_by kept as expressions.
  std::vector<std::pair<std::string, Value>> options;
  std::vector<const sql::Expr*> partition_items;
  std::vector<sql::StatementPtr> parsed;
  Scope none;
  ExprBinder constants(binder, none);
  for (const auto& opt : st.options) {
    if (opt.name == "partition_by") {
      if (!opt.value) return Status::InvalidArgument("COPY TO: partition_by needs columns or expressions");
      ALOPEX_RETURN_IF_ERROR(CollectPartitionItems(*opt.value, &partition_items, &parsed));
      continue;
    }
    Value v = Value::Boolean(true);  // a bare flag: (HEADER)
    if (opt.value) {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr e, constants.Bind(*opt.value));
      if (!e->IsConstant())
        return Status::InvalidArgument("COPY TO: option \"" + opt.name + "\" must be a constant" +
                                       binder.Where(opt.location));
      v = e->value;
    }
    options.emplace_back(opt.name, std::move(v));
  }

  // Partition expressions over the query's output.
  Scope scope;
  for (size_t i = 0; i < q.names.size(); i++) scope.columns.push_back({"", q.names[i], q.types[i], false});
  ExprBinder eb(binder, scope);
  std::vector<BoundExprPtr> part_exprs;
  std::vector<std::string> part_names;
  std::vector<bool> drop(q.names.size(), false);  // plain partition columns are not written inside the files
  for (size_t i = 0; i < partition_items.size(); i++) {
    const sql::Expr& item = *partition_items[i];
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr e, eb.Bind(item));
    std::string key = PartitionKeyName(item, i);
    if (std::find(part_names.begin(), part_names.end(), key) != part_names.end())
      return Status::InvalidArgument("COPY TO: partition_by names \"" + key + "\" twice");
    if (e->kind == BoundExprKind::kColumnRef && e->column_index >= 0) drop[size_t(e->column_index)] = true;
    part_names.push_back(key);
    part_exprs.push_back(std::move(e));
  }

  auto proj = std::make_unique<PlanNode>(PlanKind::kProjection);
  std::vector<std::string> names;
  for (size_t i = 0; i < q.names.size(); i++) {
    if (drop[i]) continue;
    proj->expressions.push_back(MakeColumnRef(int(i), q.types[i], q.names[i]));
    names.push_back(q.names[i]);
  }
  for (size_t i = 0; i < part_exprs.size(); i++) {
    proj->expressions.push_back(std::move(part_exprs[i]));
    names.push_back(part_names[i]);
  }
  for (const auto& e : proj->expressions) proj->types.push_back(e->type);
  proj->names = names;
  std::vector<LogicalType> types = proj->types;
  proj->children.push_back(std::move(q.plan));
  PlanPtr plan = std::move(proj);
  OptimizePlan(*plan);
  ALOPEX_ASSIGN_OR_RETURN(auto data, ExecutePlan(*plan, s.exec));

  auto produce = [&](const std::function<Status(const Batch&)>& sink) -> Status {
    for (const Batch& b : data->batches) ALOPEX_RETURN_IF_ERROR(sink(b));
    return Status::OK();
  };
  ALOPEX_ASSIGN_OR_RETURN(ExportSummary summary,
                          WriteFiles(st.path, options, names, types, part_names.size(), produce));
  auto r = MakeRowsResult({"Count"}, {LogicalType(TypeId::kBigInt)}, {{Value::BigInt(summary.rows)}});
  r.message = "COPY " + std::to_string(summary.rows);
  return r;
}

}  // namespace alopex
