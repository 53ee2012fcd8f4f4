// FROM clause: tables, views, CTEs, subqueries, table functions and joins.
#include <algorithm>

#include "common/cast.h"
#include "exec/executor.h"
#include "exec/table_function.h"
#include "sql/binder/binder.h"
#include "sql/binder/expr_binder.h"
#include "sql/parser.h"
#include "storage/table.h"
#include "storage/table_scan.h"

namespace alopex {

namespace {

void AddScope(Scope* scope, const std::string& table, const std::vector<std::string>& names,
              const std::vector<LogicalType>& types) {
  for (size_t i = 0; i < names.size(); i++) scope->columns.push_back({LowerName(table), names[i], types[i], false});
}

// The metadata columns a table scan offers after the table's own, in the order
// a rewrite carries them (storage/table.h RewriteSpec::row_ids).
struct PseudoColumnDef {
  const char* name;
  const char* other_name;  // another spelling, "" for none
  int column_id;           // in PlanNode::column_ids (storage/table_scan.h)
};
constexpr PseudoColumnDef kPseudoColumns[] = {
    {"_row_id", "rowid", kRowIdColumn},
    {"_row_commit_version", "", kRowCommitVersionColumn},
};

bool Spells(const PseudoColumnDef& def, const std::string& name) {
  return name == def.name || (*def.other_name && name == def.other_name);
}

void CollectPseudoRefs(const sql::SelectNode& node, PseudoColumnRefs* out);

void CollectPseudoRefs(const sql::Expr& e, PseudoColumnRefs* out) {
  if (e.kind == sql::ExprKind::kColumnRef) {
    std::string name = LowerName(e.name);
    if (IsPseudoColumnName(name)) out->emplace(e.qualifiers.empty() ? "" : LowerName(e.qualifiers.back()), name);
  }
  for (const auto& c : e.children)
    if (c) CollectPseudoRefs(*c, out);
  if (e.subquery) CollectPseudoRefs(*e.subquery, out);
  if (e.filter) CollectPseudoRefs(*e.filter, out);
  for (const auto& o : e.order_by) CollectPseudoRefs(*o.expr, out);
  if (e.window) {
    for (const auto& p : e.window->partition_by) CollectPseudoRefs(*p, out);
    for (const auto& o : e.window->order_by) CollectPseudoRefs(*o.expr, out);
    if (e.window->frame_start.offset) CollectPseudoRefs(*e.window->frame_start.offset, out);
    if (e.window->frame_end.offset) CollectPseudoRefs(*e.window->frame_end.offset, out);
  }
}

void CollectPseudoRefs(const sql::TableRef& ref, PseudoColumnRefs* out) {
  if (ref.subquery) CollectPseudoRefs(*ref.subquery, out);
  if (ref.function) CollectPseudoRefs(*ref.function, out);
  if (ref.left) CollectPseudoRefs(*ref.left, out);
  if (ref.right) CollectPseudoRefs(*ref.right, out);
  if (ref.condition) CollectPseudoRefs(*ref.condition, out);
}

// Everything `node` names, its subqueries included: a correlated one may name
// a metadata column of the enclosing query.
void CollectPseudoRefs(const sql::SelectNode& node, PseudoColumnRefs* out) {
  auto all = [&](const std::vector<sql::ExprPtr>& v) {
    for (const auto& e : v)
      if (e) CollectPseudoRefs(*e, out);
  };
  for (const auto& cte : node.ctes) CollectPseudoRefs(*cte.query, out);
  all(node.distinct_on);
  all(node.select_list);
  if (node.from) CollectPseudoRefs(*node.from, out);
  if (node.where) CollectPseudoRefs(*node.where, out);
  all(node.group_by);
  if (node.having) CollectPseudoRefs(*node.having, out);
  if (node.qualify) CollectPseudoRefs(*node.qualify, out);
  if (node.left) CollectPseudoRefs(*node.left, out);
  if (node.right) CollectPseudoRefs(*node.right, out);
  for (const auto& row : node.values) all(row);
  for (const auto& o : node.order_by) CollectPseudoRefs(*o.expr, out);
  if (node.limit) CollectPseudoRefs(*node.limit, out);
  if (node.offset) CollectPseudoRefs(*node.offset, out);
}

// Renames columns by alias list t(a, b).
Status ApplyColumnAliases(const sql::TableRef& ref, std::vector<std::string>* names) {
  if (ref.column_aliases.size() > names->size())
    return Status::BinderError("table \"" + ref.alias + "\" has " + std::to_string(names->size()) + " columns but " +
                               std::to_string(ref.column_aliases.size()) + " aliases were given");
  for (size_t i = 0; i < ref.column_aliases.size(); i++) (*names)[i] = ref.column_aliases[i];
  return Status::OK();
}

}  // namespace

bool IsPseudoColumnName(const std::string& name) {
  return std::any_of(std::begin(kPseudoColumns), std::end(kPseudoColumns),
                     [&](const PseudoColumnDef& def) { return Spells(def, name); });
}

bool NamesPseudoColumn(const ScopeColumn& c, const std::string& name) {
  if (!c.pseudo) return false;
  for (const auto& def : kPseudoColumns)
    if (c.name == def.name) return Spells(def, name);
  return false;
}

void AddPseudoColumns(Scope* scope, const std::string& alias) {
  for (const auto& def : kPseudoColumns) {
    ScopeColumn c{LowerName(alias), def.name, LogicalType(TypeId::kBigInt)};
    c.pseudo = true;
    scope->columns.push_back(std::move(c));
  }
}

std::vector<int> PseudoColumnIds() {
  std::vector<int> ids;
  for (const auto& def : kPseudoColumns) ids.push_back(def.column_id);
  return ids;
}

PseudoColumnRefs Binder::NamedPseudoColumns(const sql::SelectNode& node) {
  PseudoColumnRefs refs;
  CollectPseudoRefs(node, &refs);
  return refs;
}

Result<BoundQuery> Binder::BindTableRef(const sql::TableRef& ref, Scope* scope, const Scope* outer) {
  switch (ref.kind) {
    case sql::TableRefKind::kBaseTable:
      return BindBaseTable(ref, scope, outer);
    case sql::TableRefKind::kSubquery: {
      Binder sub(ctx_);
      sub.cte_stack_ = cte_stack_;
      ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, sub.BindQuery(*ref.subquery, outer));
      ALOPEX_RETURN_IF_ERROR(ApplyColumnAliases(ref, &q.names));
      AddScope(scope, ref.alias.empty() ? "unnamed_subquery" : ref.alias, q.names, q.types);
      return q;
    }
    case sql::TableRefKind::kJoin:
      return BindJoin(ref, scope, outer);
    case sql::TableRefKind::kTableFunction:
      return BindTableFunction(ref, scope, outer);
  }
  return Status::Internal("unknown table reference");
}

Result<BoundQuery> Binder::BindBaseTable(const sql::TableRef& ref, Scope* scope, const Scope* outer) {
  const std::string alias = ref.alias.empty() ? ref.name.back() : ref.alias;
  // Common table expressions, innermost first.
  if (ref.name.size() == 1) {
    std::string key = LowerName(ref.name[0]);
    for (auto it = cte_stack_.rbegin(); it != cte_stack_.rend(); ++it) {
      auto found = it->find(key);
      if (found == it->end()) continue;
      auto binding = found->second;
      if (binding->binding_now) return Status::BinderError("WITH query \"" + ref.name[0] + "\" refers to itself; use WITH RECURSIVE" + Where(ref.location));
      Binder sub(ctx_);
      // The CTE sees the CTEs defined before it.
      sub.cte_stack_.assign(cte_stack_.begin(), it.base());
      binding->binding_now = true;
      auto q = sub.BindQuery(*binding->cte->query, nullptr);
      binding->binding_now = false;
      if (!q.ok()) return q.status();
      for (size_t i = 0; i < binding->cte->column_aliases.size() && i < q->names.size(); i++)
        q->names[i] = binding->cte->column_aliases[i];
      ALOPEX_RETURN_IF_ERROR(ApplyColumnAliases(ref, &q->names));
      AddScope(scope, alias, q->names, q->types);
      return q;
    }
  }
  auto [schema, name] = SplitName(ref.name);
  if (const ViewDef* view = ctx_.catalog->GetView(schema, name)) {
    if (view_depth_ > 16) return Status::BinderError("view " + name + " is defined in terms of itself");
    ALOPEX_ASSIGN_OR_RETURN(auto stmts, sql::ParseSql(view->sql));
    if (stmts.size() != 1 || stmts[0]->kind != sql::StatementKind::kSelect)
      return Status::Corruption("view " + name + " does not hold one SELECT");
    auto* sel = static_cast<sql::SelectStatement*>(stmts[0].get());
    Binder sub(ctx_);
    sub.view_depth_ = view_depth_ + 1;
    sub.ctx_.sql = view->sql;
    ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, sub.BindQuery(*sel->node, nullptr));
    for (size_t i = 0; i < view->column_aliases.size() && i < q.names.size(); i++) q.names[i] = view->column_aliases[i];
    ALOPEX_RETURN_IF_ERROR(ApplyColumnAliases(ref, &q.names));
    // Keep the parsed statement alive as long as the plan: bound plans hold no AST pointers.
    AddScope(scope, alias, q.names, q.types);
    return q;
  }
  auto found = LookupTable(ref.name, ref.location);
  if (!found.ok() && ref.name.size() == 1 && ctx_.table_functions &&
      ctx_.table_functions->count(LowerName(ref.name[0]))) {
    // A system table such as alopex_import_status: a table function called
    // without arguments, when one of that name takes none.
    sql::TableRef call(sql::TableRefKind::kTableFunction, ref.location);
    call.alias = alias;
    call.column_aliases = ref.column_aliases;
    call.function = std::make_unique<sql::Expr>(sql::ExprKind::kFunction, ref.location);
    call.function->name = ref.name[0];
    auto q = BindTableFunction(call, scope, outer);
    if (q.ok()) return q;
  }
  ALOPEX_ASSIGN_OR_RETURN(auto table, std::move(found));
  auto scan = std::make_unique<PlanNode>(PlanKind::kTableScan);
  scan->table = table;
  if (ref.version_as_of) {
    ALOPEX_ASSIGN_OR_RETURN(Value v, EvaluateOnce(*ref.version_as_of, "VERSION AS OF"));
    if (v.is_null() || !v.type().IsInteger())
      return Status::BinderError("VERSION AS OF needs an integer version" + Where(ref.version_as_of->location));
    scan->version = v.GetInt64();
  }
  if (ref.timestamp_as_of) {
    if (!table->store())
      return Status::NotImplemented("TIMESTAMP AS OF needs a table with history; " + table->qualified_name() +
                                    " is in memory" + Where(ref.timestamp_as_of->location));
    ALOPEX_ASSIGN_OR_RETURN(Value when, EvaluateOnce(*ref.timestamp_as_of, "TIMESTAMP AS OF"));
    auto ts = CastValue(when, LogicalType(TypeId::kTimestamp));
    if (!ts.ok() || ts->is_null())
      return Status::BinderError("TIMESTAMP AS OF needs a timestamp" + Where(ref.timestamp_as_of->location));
    auto version = table->VersionAsOfTimestamp(ts->GetInt64());
    if (!version.ok()) return version.status().WithContext(table->qualified_name() + ": ");
    scan->version = *version;
  }
  // The columns as of the version read (a later ALTER may have changed them).
  auto snap = table->Snapshot(scan->version);
  if (!snap.ok()) return snap.status();
  std::vector<ColumnDef> cols = (*snap)->columns;
  for (size_t i = 0; i < cols.size(); i++) {
    scan->column_ids.push_back(int(i));
    scan->types.push_back(cols[i].type);
    scan->names.push_back(cols[i].name);
  }
  BoundQuery q;
  q.names = scan->names;
  q.types = scan->types;
  ALOPEX_RETURN_IF_ERROR(ApplyColumnAliases(ref, &q.names));
  AddScope(scope, alias, q.names, q.types);
  // The metadata columns the query names (pseudo_refs_), after the table's
  // own; a spelling the table has a column of names that column instead.
  for (const auto& def : kPseudoColumns) {
    bool named = false;
    for (const char* spelling : {def.name, def.other_name}) {
      if (!*spelling) continue;
      bool own =
          std::any_of(q.names.begin(), q.names.end(), [&](const std::string& n) { return LowerName(n) == spelling; });
      named |= !own && (pseudo_refs_.count({"", spelling}) || pseudo_refs_.count({LowerName(alias), spelling}));
    }
    if (!named) continue;
    LogicalType type(TypeId::kBigInt);
    scan->column_ids.push_back(def.column_id);
    scan->types.push_back(type);
    scan->names.push_back(def.name);
    q.names.push_back(def.name);
    q.types.push_back(type);
    ScopeColumn c{LowerName(alias), def.name, type};
    c.pseudo = true;
    scope->columns.push_back(std::move(c));
  }
  q.plan = std::move(scan);
  return q;
}

Result<BoundQuery> Binder::BindTableFunction(const sql::TableRef& ref, Scope* scope, const Scope* outer) {
  const sql::Expr& call = *ref.function;
  std::string name = LowerName(call.name);
  auto it = ctx_.table_functions ? ctx_.table_functions->find(name) : decltype(ctx_.table_functions->end()){};
  if (!ctx_.table_functions || it == ctx_.table_functions->end()) {
    std::vector<std::string> names;
    if (ctx_.table_functions)
      for (const auto& [n, _] : *ctx_.table_functions) names.push_back(n);
    std::string msg = "Table function with name " + call.name + " does not exist!";
    std::string best = ClosestName(name, names);
    if (!best.empty()) msg += "\nDid you mean \"" + best + "\"?";
    return Status::BinderError(msg + Where(call.location));
  }
  TableFunctionInput in;
  in.name = name;
  in.location = call.location;
  Scope none;
  ExprBinder eb(*this, none);
  for (const auto& a : call.children) {
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr v, eb.Bind(*a));
    if (!v->IsConstant())
      return Status::BinderError("arguments of table function " + name + " must be constants" + Where(a->location));
    if (!a->arg_name.empty())
      in.named_args.emplace_back(LowerName(a->arg_name), v->value);
    else
      in.args.push_back(v->value);
  }
  auto source = it->second(in);
  if (!source.ok()) {
    const Status& st = source.status();
    return Status(st.code(), st.message() + Where(call.location));
  }
  auto node = std::make_unique<PlanNode>(PlanKind::kTableFunction);
  node->source = *source;
  node->types = node->source->types();
  node->names = node->source->names();
  BoundQuery q;
  q.names = node->names;
  q.types = node->types;
  ALOPEX_RETURN_IF_ERROR(ApplyColumnAliases(ref, &q.names));
  q.plan = std::move(node);
  AddScope(scope, ref.alias.empty() ? name : ref.alias, q.names, q.types);
  return q;
}

Result<BoundQuery> Binder::BindJoin(const sql::TableRef& ref, Scope* scope, const Scope* outer) {
  Scope ls, rs;
  ls.outer = outer;
  rs.outer = outer;
  ALOPEX_ASSIGN_OR_RETURN(BoundQuery l, BindTableRef(*ref.left, &ls, outer));
  ALOPEX_ASSIGN_OR_RETURN(BoundQuery r, BindTableRef(*ref.right, &rs, outer));
  int lw = int(l.types.size());
  Scope combined;
  combined.outer = outer;
  combined.columns = ls.columns;
  for (const auto& c : rs.columns) combined.columns.push_back(c);

  std::vector<std::string> using_cols = ref.using_columns;
  if (ref.natural) {
    for (const auto& lc : ls.columns)
      for (const auto& rc : rs.columns)
        if (!lc.hidden && !rc.hidden && !lc.pseudo && !rc.pseudo && LowerName(lc.name) == LowerName(rc.name))
          using_cols.push_back(lc.name);
  }
  auto node = std::make_unique<PlanNode>(PlanKind::kNestedLoopJoin);
  switch (ref.join_type) {
    case sql::JoinType::kInner: case sql::JoinType::kCross: node->join_type = PlanJoinType::kInner; break;
    case sql::JoinType::kLeft: node->join_type = PlanJoinType::kLeft; break;
    case sql::JoinType::kRight: node->join_type = PlanJoinType::kRight; break;
    case sql::JoinType::kFull: node->join_type = PlanJoinType::kFull; break;
    case sql::JoinType::kSemi: node->join_type = PlanJoinType::kSemi; break;
    case sql::JoinType::kAnti: node->join_type = PlanJoinType::kAnti; break;
  }
  bool semi = node->join_type == PlanJoinType::kSemi || node->join_type == PlanJoinType::kAnti;
  node->types = l.types;
  node->names = l.names;
  if (!semi) {
    node->types.insert(node->types.end(), r.types.begin(), r.types.end());
    node->names.insert(node->names.end(), r.names.begin(), r.names.end());
  }
  node->children.push_back(std::move(l.plan));
  node->children.push_back(std::move(r.plan));

  std::vector<BoundExprPtr> conjuncts;
  ExprBinder eb(*this, combined);
  for (const auto& col : using_cols) {
    auto find = [&](const Scope& s) {
      for (size_t i = 0; i < s.columns.size(); i++)
        if (!s.columns[i].hidden && !s.columns[i].pseudo && LowerName(s.columns[i].name) == LowerName(col))
          return int(i);
      return -1;
    };
    int li = find(ls), ri = find(rs);
    if (li < 0 || ri < 0)
      return Status::BinderError("column \"" + col + "\" named in USING does not exist on both sides of the join" + Where(ref.location));
    auto lt = ls.columns[size_t(li)].type, rt = rs.columns[size_t(ri)].type;
    ALOPEX_ASSIGN_OR_RETURN(LogicalType t, CommonSuperType(lt, rt));
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr le, CastTo(MakeColumnRef(li, lt), t));
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr re, CastTo(MakeColumnRef(lw + ri, rt), t));
    ScalarBindInput in;
    in.name = "=";
    in.arg_types = {t, t};
    in.constant_args = {nullptr, nullptr};
    ALOPEX_ASSIGN_OR_RETURN(BoundScalarFunction fn, ctx_.functions->Bind(in));
    auto eq = std::make_unique<BoundExpr>(BoundExprKind::kFunction, LogicalType(TypeId::kBoolean));
    eq->function = std::move(fn);
    eq->children.push_back(std::move(le));
    eq->children.push_back(std::move(re));
    conjuncts.push_back(std::move(eq));
    combined.columns[size_t(lw + ri)].hidden = true;  // USING columns appear once
  }
  if (ref.condition) {
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr cond, eb.Bind(*ref.condition));
    ALOPEX_ASSIGN_OR_RETURN(cond, CastTo(std::move(cond), TypeId::kBoolean));
    SplitConjuncts(std::move(cond), &conjuncts);
  }
  PlanPtr plan = std::move(node);
  if (plan->join_type == PlanJoinType::kInner) {
    for (auto& c : conjuncts) plan = PushFilterInto(std::move(plan), std::move(c));
  } else {
    // Outer, semi and anti joins: equalities across the sides become hash keys;
    // everything else is checked per candidate pair.
    std::vector<BoundExprPtr> residual;
    int rw = int(plan->children[1]->types.size());
    for (auto& c : conjuncts) {
      bool done = false;
      if (c->kind == BoundExprKind::kFunction && c->function.name == "=" && c->children.size() == 2) {
        std::vector<int> a, b;
        CollectColumnRefs(*c->children[0], &a);
        CollectColumnRefs(*c->children[1], &b);
        auto within = [](const std::vector<int>& v, int lo, int hi) {
          return !v.empty() && std::all_of(v.begin(), v.end(), [&](int x) { return x >= lo && x < hi; });
        };
        int lside = within(a, 0, lw) && within(b, lw, lw + rw) ? 0 : (within(b, 0, lw) && within(a, lw, lw + rw) ? 1 : -1);
        if (lside >= 0) {
          BoundExprPtr le = std::move(c->children[size_t(lside)]);
          BoundExprPtr re = std::move(c->children[size_t(1 - lside)]);
          ShiftColumnRefs(*re, -lw);
          plan->kind = PlanKind::kHashJoin;
          plan->left_keys.push_back(std::move(le));
          plan->right_keys.push_back(std::move(re));
          plan->null_equal.push_back(false);
          done = true;
        }
      }
      if (!done) residual.push_back(std::move(c));
    }
    plan->condition = MakeConjunction(std::move(residual));
  }
  BoundQuery q;
  q.types = plan->types;
  q.names = plan->names;
  q.plan = std::move(plan);
  if (semi) combined.columns.resize(size_t(lw));
  for (auto& c : combined.columns) scope->columns.push_back(c);
  return q;
}

}  // namespace alopex
