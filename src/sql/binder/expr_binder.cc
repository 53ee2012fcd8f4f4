#include "sql/binder/expr_binder.h"

#include <algorithm>

#include "common/cast.h"
#include "exec/aggregate.h"
#include "exec/executor.h"
#include "exec/expression_executor.h"
#include "sql/binder/optimizer.h"
#include "storage/catalog.h"

namespace alopex {

namespace {

bool IsWindowCall(const sql::Expr& e) { return e.kind == sql::ExprKind::kFunction && e.window != nullptr; }
bool IsAggregateCall(const sql::Expr& e) {
  return e.kind == sql::ExprKind::kFunction && !e.window && e.qualifiers.empty() && IsAggregateName(e.name);
}

const char* const kComparisonOps[] = {"=", "<>", "!=", "<", ">", "<=", ">="};

bool IsComparison(const std::string& op) {
  for (const char* c : kComparisonOps)
    if (op == c) return true;
  return false;
}

// Whether a scan in `plan` reads a metadata column (a negative column id).
bool ScansMetadataColumns(const PlanNode& plan) {
  if (plan.kind == PlanKind::kTableScan &&
      std::any_of(plan.column_ids.begin(), plan.column_ids.end(), [](int id) { return id < 0; }))
    return true;
  return std::any_of(plan.children.begin(), plan.children.end(),
                     [](const PlanPtr& c) { return ScansMetadataColumns(*c); });
}

}  // namespace

bool ContainsAggregate(const sql::Expr& e) {
  if (IsAggregateCall(e)) return true;
  if (IsWindowCall(e)) return false;
  for (const auto& c : e.children)
    if (c && ContainsAggregate(*c)) return true;
  return false;
}

bool ContainsWindow(const sql::Expr& e) {
  if (IsWindowCall(e)) return true;
  for (const auto& c : e.children)
    if (c && ContainsWindow(*c)) return true;
  return false;
}

void CollectAggregates(const sql::Expr& e, std::vector<const sql::Expr*>* out) {
  if (IsAggregateCall(e)) {
    out->push_back(&e);
    return;
  }
  if (IsWindowCall(e)) {
    // Aggregates inside a window's arguments or partition are computed first.
    for (const auto& c : e.children)
      if (c) CollectAggregates(*c, out);
    for (const auto& p : e.window->partition_by) CollectAggregates(*p, out);
    for (const auto& o : e.window->order_by) CollectAggregates(*o.expr, out);
    return;
  }
  for (const auto& c : e.children)
    if (c) CollectAggregates(*c, out);
}

void CollectWindows(const sql::Expr& e, std::vector<const sql::Expr*>* out) {
  if (IsWindowCall(e)) {
    out->push_back(&e);
    return;
  }
  for (const auto& c : e.children)
    if (c) CollectWindows(*c, out);
}

Status ExprBinder::ErrorAt(size_t location, Status st) const {
  if (st.ok()) return st;
  return Status(st.code(), st.message() + binder_.Where(location));
}

Result<BoundExprPtr> ExprBinder::Bind(const sql::Expr& e) {
  // After GROUP BY: whole expressions that are group keys, aggregates or windows
  // are columns of the node below.
  if (agg_ && agg_->active) {
    std::string key = e.ToString();
    if (e.kind == sql::ExprKind::kFunction) {
      if (e.window) {
        auto it = agg_->windows.find(key);
        if (it != agg_->windows.end()) return MakeColumnRef(it->second, agg_->types[size_t(it->second)], key);
      } else if (IsAggregateCall(e)) {
        auto it = agg_->aggregates.find(key);
        if (it != agg_->aggregates.end()) return MakeColumnRef(it->second, agg_->types[size_t(it->second)], key);
      }
    }
    auto g = agg_->group_exprs.find(key);
    if (g != agg_->group_exprs.end() && e.kind != sql::ExprKind::kConstant)
      return MakeColumnRef(g->second, agg_->types[size_t(g->second)], key);
  } else if (agg_ && !agg_->windows.empty() && IsWindowCall(e)) {
    auto it = agg_->windows.find(e.ToString());
    if (it != agg_->windows.end()) return MakeColumnRef(it->second, agg_->types[size_t(it->second)], e.ToString());
  }
  if (agg_ && e.kind == sql::ExprKind::kFunction && e.name == "unnest") {
    auto it = agg_->unnests.find(e.ToString());
    if (it != agg_->unnests.end()) return MakeColumnRef(it->second, agg_->types[size_t(it->second)], e.ToString());
  }

  switch (e.kind) {
    case sql::ExprKind::kConstant:
      return MakeConstant(e.value);
    case sql::ExprKind::kParameter: {
      const auto* params = binder_.ctx_.params;
      if (!params || e.param_index < 1 || size_t(e.param_index) > params->size())
        return ErrorAt(e.location, Status::InvalidArgument("no value given for parameter $" + std::to_string(e.param_index)));
      return MakeConstant((*params)[size_t(e.param_index - 1)]);
    }
    case sql::ExprKind::kColumnRef:
      return BindColumnRef(e);
    case sql::ExprKind::kStar:
      return ErrorAt(e.location, Status::BinderError("* is only allowed in a select list or count(*)"));
    case sql::ExprKind::kFunction:
      return BindFunction(e);
    case sql::ExprKind::kUnary: {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr child, Bind(*e.children[0]));
      if (e.name == "NOT") {
        ALOPEX_ASSIGN_OR_RETURN(child, binder_.CastTo(std::move(child), TypeId::kBoolean));
        auto n = std::make_unique<BoundExpr>(BoundExprKind::kNot, LogicalType(TypeId::kBoolean));
        n->children.push_back(std::move(child));
        return binder_.FoldConstants(std::move(n));
      }
      if (e.name == "+") return child;
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(child));
      return BindScalarFunction(e.name == "-" ? "negate" : e.name, std::move(args), e.location);
    }
    case sql::ExprKind::kBinary: {
      std::vector<BoundExprPtr> args;
      for (const auto& c : e.children) {
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr a, Bind(*c));
        args.push_back(std::move(a));
      }
      if (e.name == "AND" || e.name == "OR") {
        auto n = std::make_unique<BoundExpr>(e.name == "AND" ? BoundExprKind::kAnd : BoundExprKind::kOr,
                                             LogicalType(TypeId::kBoolean));
        for (auto& a : args) {
          if (a->type.id() != TypeId::kBoolean && a->type.id() != TypeId::kNull)
            return ErrorAt(e.location, Status::BinderError("argument of " + e.name + " must be BOOLEAN, not " +
                                                           a->type.ToString()));
          ALOPEX_ASSIGN_OR_RETURN(a, binder_.CastTo(std::move(a), TypeId::kBoolean));
          n->children.push_back(std::move(a));
        }
        return binder_.FoldConstants(std::move(n));
      }
      return BindOperator(e.name, std::move(args), e.location);
    }
    case sql::ExprKind::kCast: {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr child, Bind(*e.children[0]));
      if (!CanCast(child->type, e.cast_type))
        return ErrorAt(e.location, Status::BinderError("cannot cast " + child->type.ToString() + " to " + e.cast_type.ToString()));
      auto r = binder_.CastTo(std::move(child), e.cast_type, e.try_cast);
      if (!r.ok()) return ErrorAt(e.location, r.status());
      return r;
    }
    case sql::ExprKind::kCase:
      return BindCase(e);
    case sql::ExprKind::kIsNull: {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr child, Bind(*e.children[0]));
      auto n = std::make_unique<BoundExpr>(BoundExprKind::kIsNull, LogicalType(TypeId::kBoolean));
      n->negated = e.negated;
      n->children.push_back(std::move(child));
      return binder_.FoldConstants(std::move(n));
    }
    case sql::ExprKind::kBetween: {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr x, Bind(*e.children[0]));
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr lo, Bind(*e.children[1]));
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr hi, Bind(*e.children[2]));
      std::vector<BoundExprPtr> a1, a2;
      a1.push_back(x->Copy());
      a1.push_back(std::move(lo));
      a2.push_back(std::move(x));
      a2.push_back(std::move(hi));
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr ge, BindOperator(">=", std::move(a1), e.location));
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr le, BindOperator("<=", std::move(a2), e.location));
      auto n = std::make_unique<BoundExpr>(BoundExprKind::kAnd, LogicalType(TypeId::kBoolean));
      n->children.push_back(std::move(ge));
      n->children.push_back(std::move(le));
      if (!e.negated) return binder_.FoldConstants(std::move(n));
      auto neg = std::make_unique<BoundExpr>(BoundExprKind::kNot, LogicalType(TypeId::kBoolean));
      neg->children.push_back(std::move(n));
      return binder_.FoldConstants(std::move(neg));
    }
    case sql::ExprKind::kLike: {
      std::vector<BoundExprPtr> args;
      for (const auto& c : e.children) {
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr a, Bind(*c));
        args.push_back(std::move(a));
      }
      std::string fn = e.name;
      if (fn == "similar") fn = "regexp_full_match";
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr call, BindScalarFunction(fn, std::move(args), e.location));
      if (!e.negated) return call;
      auto neg = std::make_unique<BoundExpr>(BoundExprKind::kNot, LogicalType(TypeId::kBoolean));
      neg->children.push_back(std::move(call));
      return binder_.FoldConstants(std::move(neg));
    }
    case sql::ExprKind::kInList:
      return BindInList(e);
    case sql::ExprKind::kInSubquery:
    case sql::ExprKind::kExists:
    case sql::ExprKind::kSubquery:
      return BindSubquery(e);
    case sql::ExprKind::kList: {
      std::vector<BoundExprPtr> args;
      for (const auto& c : e.children) {
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr a, Bind(*c));
        args.push_back(std::move(a));
      }
      return BindScalarFunction("list_value", std::move(args), e.location);
    }
    case sql::ExprKind::kStruct: {
      std::vector<BoundExprPtr> args;
      std::vector<std::pair<std::string, LogicalType>> fields;
      for (size_t i = 0; i < e.children.size(); i++) {
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr a, Bind(*e.children[i]));
        fields.emplace_back(e.field_names[i], a->type.id() == TypeId::kNull ? LogicalType(TypeId::kInteger) : a->type);
        args.push_back(std::move(a));
      }
      // A struct literal of constants is a constant; otherwise build it with struct_pack.
      bool all_const = std::all_of(args.begin(), args.end(), [](const BoundExprPtr& a) { return a->IsConstant(); });
      if (all_const) {
        std::vector<Value> items;
        for (size_t i = 0; i < args.size(); i++) {
          ALOPEX_ASSIGN_OR_RETURN(Value v, CastValue(args[i]->value, fields[i].second));
          items.push_back(std::move(v));
        }
        return MakeConstant(Value::Nested(LogicalType::Struct(fields), std::move(items)));
      }
      // struct_pack('name', value, ...): names are constant strings.
      std::vector<BoundExprPtr> packed;
      for (size_t i = 0; i < args.size(); i++) {
        packed.push_back(MakeConstant(Value::Varchar(e.field_names[i])));
        packed.push_back(std::move(args[i]));
      }
      return BindScalarFunction("struct_pack", std::move(packed), e.location);
    }
    case sql::ExprKind::kSubscript: {
      std::vector<BoundExprPtr> args;
      for (const auto& c : e.children) {
        if (!c) {
          args.push_back(MakeConstant(Value::Null(TypeId::kBigInt)));
          continue;
        }
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr a, Bind(*c));
        args.push_back(std::move(a));
      }
      if (!e.is_slice && args[0]->type.id() == TypeId::kStruct && args[1]->IsConstant())
        return BindScalarFunction("struct_extract", std::move(args), e.location);
      if (!e.is_slice && (args[0]->type.id() == TypeId::kJson))
        return BindOperator("->", std::move(args), e.location);
      return BindScalarFunction(e.is_slice ? "list_slice" : "list_extract", std::move(args), e.location);
    }
    case sql::ExprKind::kInterval: {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr v, Bind(*e.children[0]));
      if (!v->IsConstant()) {
        // INTERVAL (expr) unit: multiply a one-unit interval.
        ALOPEX_ASSIGN_OR_RETURN(Value unit, CastValue(Value::Varchar("1 " + e.name), TypeId::kInterval));
        std::vector<BoundExprPtr> args;
        args.push_back(MakeConstant(unit));
        args.push_back(std::move(v));
        return BindOperator("*", std::move(args), e.location);
      }
      std::string text = v->value.is_null() ? "" : v->value.ToString();
      if (!e.name.empty()) text += " " + e.name;
      auto r = CastValue(Value::Varchar(text), TypeId::kInterval);
      if (!r.ok()) return ErrorAt(e.location, r.status());
      return MakeConstant(*r);
    }
    case sql::ExprKind::kLambda:
      return ErrorAt(e.location, Status::BinderError("a lambda (x -> ...) is only allowed as an argument of a list function"));
    case sql::ExprKind::kDefault:
      return ErrorAt(e.location, Status::BinderError("DEFAULT is only allowed as a value of INSERT ... VALUES"));
  }
  return Status::Internal("unknown expression kind");
}

Result<BoundExprPtr> ExprBinder::BindColumnRef(const sql::Expr& e) {
  const std::string& name = e.name;
  std::string table = e.qualifiers.empty() ? "" : LowerName(e.qualifiers.back());
  auto lname = LowerName(name);
  // The columns of `s` named `name`: ordinary ones, or the metadata ones (pseudo).
  auto find = [&](const Scope& s, bool pseudo, std::vector<int>* hits) {
    for (size_t i = 0; i < s.columns.size(); i++) {
      const auto& c = s.columns[i];
      if (c.pseudo != pseudo || !(pseudo ? NamesPseudoColumn(c, lname) : LowerName(c.name) == lname)) continue;
      if (!table.empty() ? c.table != table : c.hidden) continue;
      hits->push_back(int(i));
    }
  };
  auto bind_hits = [&](const std::vector<int>& hits) -> Result<BoundExprPtr> {
    if (hits.size() > 1)
      return ErrorAt(e.location, Status::BinderError("Ambiguous reference to column name \"" + name + "\" (use: \"" +
                                                     scope_.columns[size_t(hits[0])].table + "." + name + "\" or \"" +
                                                     scope_.columns[size_t(hits[1])].table + "." + name + "\")"));
    int idx = hits[0];
    const auto& col = scope_.columns[size_t(idx)];
    if (agg_ && agg_->active) {
      auto g = agg_->group_columns.find(idx);
      if (g != agg_->group_columns.end()) return MakeColumnRef(g->second, col.type, col.name);
      return ErrorAt(e.location, Status::BinderError("column \"" + name +
                                                     "\" must appear in the GROUP BY clause or must be part of an "
                                                     "aggregate function"));
    }
    return MakeColumnRef(idx, col.type, col.name);
  };
  std::vector<int> hits;
  find(scope_, false, &hits);
  if (!hits.empty()) return bind_hits(hits);
  // A select-list alias (GROUP BY / HAVING / ORDER BY may use them); it hides
  // a metadata column, as ordinary columns do.
  if (table.empty() && aliases_ && alias_depth_ < 8) {
    auto it = aliases_->find(lname);
    bool same_name = it != aliases_->end() && it->second->kind == sql::ExprKind::kColumnRef &&
                     it->second->qualifiers.empty() && LowerName(it->second->name) == lname;
    if (it != aliases_->end() && !same_name) {
      alias_depth_++;
      auto r = Bind(*it->second);
      alias_depth_--;
      return r;
    }
  }
  find(scope_, true, &hits);
  if (!hits.empty()) return bind_hits(hits);
  // struct_column.field[.field...], or table.struct_column.field[...] (as DuckDB
  // reads a.b.c: the first reading that names a STRUCT column wins).
  for (size_t table_parts = 0; table_parts < 2 && table_parts < e.qualifiers.size(); table_parts++) {
    sql::Expr col(sql::ExprKind::kColumnRef, e.location);
    col.name = e.qualifiers[table_parts];
    if (table_parts) col.qualifiers.push_back(e.qualifiers[0]);
    auto base = BindColumnRef(col);
    if (!base.ok() || (*base)->type.id() != TypeId::kStruct) continue;
    std::vector<std::string> fields(e.qualifiers.begin() + ptrdiff_t(table_parts) + 1, e.qualifiers.end());
    fields.push_back(name);
    BoundExprPtr value = std::move(*base);
    for (const auto& field : fields) {
      if (value->type.id() != TypeId::kStruct)
        return ErrorAt(e.location, Status::BinderError("\"" + field + "\" cannot be a field of a value of type " +
                                                       value->type.ToString()));
      std::vector<BoundExprPtr> args;
      args.push_back(std::move(value));
      args.push_back(MakeConstant(Value::Varchar(field)));
      ALOPEX_ASSIGN_OR_RETURN(value, BindScalarFunction("struct_extract", std::move(args), e.location));
    }
    return value;
  }
  // A column of the enclosing query: a correlated subquery.
  if (scope_.outer) {
    std::vector<int> outer_hits;
    find(*scope_.outer, false, &outer_hits);
    if (outer_hits.empty()) find(*scope_.outer, true, &outer_hits);
    if (outer_hits.size() == 1) {
      int oidx = outer_hits[0];
      auto& corr = binder_.last_correlated_;
      auto it = std::find(corr.begin(), corr.end(), oidx);
      int k = int(it - corr.begin());
      if (it == corr.end()) corr.push_back(oidx);
      auto c = std::make_unique<BoundExpr>(BoundExprKind::kCorrelatedColumn, scope_.outer->columns[size_t(oidx)].type);
      c->column_index = k;
      return c;
    }
  }
  // Not found: suggest the closest visible name.
  std::vector<std::string> candidates;
  for (const auto& c : scope_.columns)
    if (!c.hidden && !c.pseudo) candidates.push_back(table.empty() ? c.name : c.table + "." + c.name);
  std::string full = table.empty() ? name : table + "." + name;
  if (!table.empty()) {
    bool table_known = std::any_of(scope_.columns.begin(), scope_.columns.end(),
                                   [&](const ScopeColumn& c) { return c.table == table; });
    if (!table_known)
      return ErrorAt(e.location, Status::BinderError("Referenced table \"" + table + "\" not found in FROM clause"));
  }
  std::string msg = "Referenced column \"" + full + "\" not found in FROM clause!";
  std::string best = ClosestName(full, candidates);
  if (!best.empty()) msg += "\nCandidate bindings: \"" + best + "\"";
  return ErrorAt(e.location, Status::BinderError(msg));
}

Result<BoundExprPtr> ExprBinder::BindOperator(const std::string& op_in, std::vector<BoundExprPtr> args, size_t location) {
  std::string op = op_in == "!=" ? "<>" : op_in;
  for (auto& c : op) c = char(std::tolower(static_cast<unsigned char>(c)));
  // A text literal next to a typed operand takes the operand's type
  // (created_at > '2024-01-01', id = '42').
  if (args.size() == 2 && (IsComparison(op) || op == "+" || op == "-" || op == "is distinct from" ||
                           op == "is not distinct from")) {
    for (int side = 0; side < 2; side++) {
      BoundExprPtr& lit = args[size_t(side)];
      const BoundExprPtr& other = args[size_t(1 - side)];
      if (lit->IsConstant() && lit->type.id() == TypeId::kVarchar && other->type.id() != TypeId::kVarchar &&
          other->type.id() != TypeId::kNull && !(op == "+" || op == "-")) {
        auto cast = binder_.CastTo(lit->Copy(), other->type);
        if (!cast.ok()) return ErrorAt(location, cast.status());
        lit = std::move(*cast);
      }
    }
  }
  return BindScalarFunction(op, std::move(args), location);
}

Result<BoundExprPtr> ExprBinder::BindScalarFunction(const std::string& name, std::vector<BoundExprPtr> args,
                                                    size_t location) {
  ScalarBindInput in;
  in.name = name;
  for (const auto& a : args) {
    in.arg_types.push_back(a->type);
    in.constant_args.push_back(a->IsConstant() ? &a->value : nullptr);
  }
  const FunctionRegistry& registry = *binder_.ctx_.functions;
  if (!registry.Exists(name)) {
    // Suggest among scalar, aggregate and window functions alike.
    std::vector<std::string> names = registry.Names();
    for (auto& n : AggregateAndWindowNames()) names.push_back(n);
    std::string msg = "Scalar function \"" + name + "\" does not exist.";
    std::string best = ClosestName(name, names);
    if (!best.empty()) msg += " Did you mean \"" + best + "\"?";
    return ErrorAt(location, Status::BinderError(msg));
  }
  auto bound = registry.Bind(in);
  if (!bound.ok()) return ErrorAt(location, bound.status());
  auto e = std::make_unique<BoundExpr>(BoundExprKind::kFunction, bound->return_type);
  for (size_t i = 0; i < args.size(); i++) {
    const LogicalType& want = i < bound->arg_types.size() ? bound->arg_types[i] : args[i]->type;
    if (want.id() != TypeId::kNull && args[i]->type != want) {
      auto c = binder_.CastTo(std::move(args[i]), want);
      if (!c.ok()) return ErrorAt(location, c.status());
      args[i] = std::move(*c);
    }
    e->children.push_back(std::move(args[i]));
  }
  e->function = std::move(*bound);
  return binder_.FoldConstants(std::move(e));
}

Result<BoundExprPtr> ExprBinder::BindFunction(const sql::Expr& e) {
  if (e.window) return ErrorAt(e.location, Status::BinderError("window function " + e.name + " is not allowed here"));
  if (IsAggregateCall(e))
    return ErrorAt(e.location, Status::BinderError("aggregate function " + e.name + " is not allowed here"));
  std::string name = e.name;
  if (!e.qualifiers.empty() && e.qualifiers.size() > 0) name = e.name;
  std::vector<BoundExprPtr> args;
  for (const auto& c : e.children) {
    if (c->kind == sql::ExprKind::kLambda)
      return ErrorAt(c->location, Status::NotImplemented("lambda arguments to " + name + " are not supported"));
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr a, Bind(*c));
    args.push_back(std::move(a));
  }
  if (name == "unnest")
    return ErrorAt(e.location, Status::BinderError("unnest is only allowed at the top of a select list item"));
  // DATE(x) is a cast, as users of MySQL and Databricks expect.
  if (name == "date" && args.size() == 1) return binder_.CastTo(std::move(args[0]), TypeId::kDate);
  return BindScalarFunction(name, std::move(args), e.location);
}

Result<BoundExprPtr> ExprBinder::BindCase(const sql::Expr& e) {
  std::vector<BoundExprPtr> conds, results;
  BoundExprPtr operand;
  if (e.children[0]) {
    ALOPEX_ASSIGN_OR_RETURN(operand, Bind(*e.children[0]));
  }
  size_t pairs = (e.children.size() - 2) / 2;
  for (size_t p = 0; p < pairs; p++) {
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr w, Bind(*e.children[1 + 2 * p]));
    if (operand) {
      std::vector<BoundExprPtr> args;
      args.push_back(operand->Copy());
      args.push_back(std::move(w));
      ALOPEX_ASSIGN_OR_RETURN(w, BindOperator("=", std::move(args), e.location));
    }
    ALOPEX_ASSIGN_OR_RETURN(w, binder_.CastTo(std::move(w), TypeId::kBoolean));
    conds.push_back(std::move(w));
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr t, Bind(*e.children[2 + 2 * p]));
    results.push_back(std::move(t));
  }
  BoundExprPtr otherwise;
  if (e.children.back() && e.children.size() % 2 == 0) {
    ALOPEX_ASSIGN_OR_RETURN(otherwise, Bind(*e.children.back()));
  } else {
    otherwise = MakeConstant(Value::Null());
  }
  LogicalType type = otherwise->type;
  for (const auto& r : results) {
    auto t = CommonSuperType(type, r->type);
    if (!t.ok()) return ErrorAt(e.location, Status::BinderError("CASE branches have incompatible types: " + t.status().message()));
    type = *t;
  }
  if (type.id() == TypeId::kNull) type = TypeId::kInteger;
  auto n = std::make_unique<BoundExpr>(BoundExprKind::kCase, type);
  for (size_t p = 0; p < conds.size(); p++) {
    n->children.push_back(std::move(conds[p]));
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr r, binder_.CastTo(std::move(results[p]), type));
    n->children.push_back(std::move(r));
  }
  ALOPEX_ASSIGN_OR_RETURN(otherwise, binder_.CastTo(std::move(otherwise), type));
  n->children.push_back(std::move(otherwise));
  return n;
}

Result<BoundExprPtr> ExprBinder::BindInList(const sql::Expr& e) {
  ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr x, Bind(*e.children[0]));
  std::vector<BoundExprPtr> items;
  bool all_const = true;
  LogicalType type = x->type;
  for (size_t i = 1; i < e.children.size(); i++) {
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr it, Bind(*e.children[i]));
    all_const &= it->IsConstant();
    if (!(it->IsConstant() && it->type.id() == TypeId::kVarchar && x->type.id() != TypeId::kVarchar)) {
      auto t = CommonSuperType(type, it->type);
      if (!t.ok()) return ErrorAt(e.location, t.status());
      type = *t;
    }
    items.push_back(std::move(it));
  }
  if (type.id() == TypeId::kNull) type = TypeId::kInteger;
  ALOPEX_ASSIGN_OR_RETURN(x, binder_.CastTo(std::move(x), type));
  if (all_const) {
    auto n = std::make_unique<BoundExpr>(BoundExprKind::kInSet, LogicalType(TypeId::kBoolean));
    n->negated = e.negated;
    for (auto& it : items) {
      if (it->value.is_null()) {
        n->set_has_null = true;
        continue;
      }
      auto v = CastValue(it->value, type);
      if (!v.ok()) return ErrorAt(e.location, v.status());
      n->set_values.push_back(*v);
    }
    n->children.push_back(std::move(x));
    return binder_.FoldConstants(std::move(n));
  }
  // x IN (a, b) with expressions: x = a OR x = b.
  auto any = std::make_unique<BoundExpr>(BoundExprKind::kOr, LogicalType(TypeId::kBoolean));
  for (auto& it : items) {
    std::vector<BoundExprPtr> args;
    args.push_back(x->Copy());
    args.push_back(std::move(it));
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr eq, BindOperator("=", std::move(args), e.location));
    any->children.push_back(std::move(eq));
  }
  if (!e.negated) return any;
  auto neg = std::make_unique<BoundExpr>(BoundExprKind::kNot, LogicalType(TypeId::kBoolean));
  neg->children.push_back(std::move(any));
  return neg;
}

Result<BoundExprPtr> ExprBinder::BindSubquery(const sql::Expr& e) {
  Binder sub(binder_.ctx_);
  sub.cte_stack_ = binder_.cte_stack_;
  ALOPEX_ASSIGN_OR_RETURN(BoundQuery q, sub.BindQuery(*e.subquery, &scope_));
  // Subquery plans run without the optimizer. Their scans may carry metadata
  // columns a query nested deeper named (Binder::NamedPseudoColumns looks
  // into subqueries) and nothing here reads, which a stored table without row
  // tracking refuses: drop the unread ones.
  if (ScansMetadataColumns(*q.plan)) PruneColumns(*q.plan);
  const std::vector<int>& corr = sub.last_correlated_;
  BoundExprPtr probe;
  if (e.kind == sql::ExprKind::kInSubquery) {
    ALOPEX_ASSIGN_OR_RETURN(probe, Bind(*e.children[0]));
    if (q.types.size() != 1) return ErrorAt(e.location, Status::BinderError("subquery returns " + std::to_string(q.types.size()) + " columns - expected 1"));
    auto t = CommonSuperType(probe->type, q.types[0]);
    if (!t.ok()) return ErrorAt(e.location, t.status());
    ALOPEX_ASSIGN_OR_RETURN(probe, binder_.CastTo(std::move(probe), *t));
    if (q.types[0] != *t) {
      auto proj = std::make_unique<PlanNode>(PlanKind::kProjection);
      proj->types = {*t};
      proj->names = q.names;
      proj->expressions.push_back(MakeCast(MakeColumnRef(0, q.types[0]), *t));
      proj->children.push_back(std::move(q.plan));
      q.plan = std::move(proj);
      q.types = {*t};
    }
  }
  if (e.kind == sql::ExprKind::kSubquery && q.types.size() != 1)
    return ErrorAt(e.location, Status::BinderError("subquery returns " + std::to_string(q.types.size()) + " columns - expected 1"));

  const bool quantified = e.kind == sql::ExprKind::kInSubquery && !e.name.empty();
  if (quantified && !corr.empty())
    return ErrorAt(e.location, Status::NotImplemented("a correlated subquery under ANY/ALL is not supported"));
  if (corr.empty() && binder_.ctx_.exec) {
    // Uncorrelated: run it now; the result is a constant (or a set).
    ALOPEX_ASSIGN_OR_RETURN(auto rows, ExecutePlan(*q.plan, *binder_.ctx_.exec));
    if (quantified) {
      // x op ANY (S) is an OR of x op s over S, x op ALL (S) an AND: SQL's
      // three-valued logic then gives NULL exactly where the standard says.
      auto n = std::make_unique<BoundExpr>(e.quantifier_all ? BoundExprKind::kAnd : BoundExprKind::kOr,
                                           LogicalType(TypeId::kBoolean));
      for (const auto& b : rows->batches)
        for (size_t r = 0; r < b.num_rows; r++) {
          std::vector<BoundExprPtr> args;
          args.push_back(probe->Copy());
          auto c = MakeConstant(b.columns[0].GetValue(r));
          c->type = probe->type;
          args.push_back(std::move(c));
          ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr cmp, BindOperator(e.name, std::move(args), e.location));
          n->children.push_back(std::move(cmp));
        }
      if (n->children.empty()) return MakeConstant(Value::Boolean(e.quantifier_all));
      return binder_.FoldConstants(std::move(n));
    }
    if (e.kind == sql::ExprKind::kExists) return MakeConstant(Value::Boolean((rows->num_rows > 0) != e.negated));
    if (e.kind == sql::ExprKind::kSubquery) {
      if (rows->num_rows > 1)
        return ErrorAt(e.location, Status::InvalidArgument("more than one row returned by a subquery used as an expression"));
      Value v = Value::Null(q.types[0]);
      for (const auto& b : rows->batches)
        if (b.num_rows) v = b.columns[0].GetValue(0);
      auto c = MakeConstant(v);
      c->type = q.types[0];
      return c;
    }
    auto n = std::make_unique<BoundExpr>(BoundExprKind::kInSet, LogicalType(TypeId::kBoolean));
    n->negated = e.negated;
    for (const auto& b : rows->batches)
      for (size_t r = 0; r < b.num_rows; r++) {
        if (!b.columns[0].IsValid(r))
          n->set_has_null = true;
        else
          n->set_values.push_back(b.columns[0].GetValue(r));
      }
    n->children.push_back(std::move(probe));
    return n;
  }
  BoundExprKind kind = e.kind == sql::ExprKind::kExists      ? BoundExprKind::kExists
                       : e.kind == sql::ExprKind::kSubquery  ? BoundExprKind::kSubquery
                                                             : BoundExprKind::kInSubquery;
  LogicalType type = kind == BoundExprKind::kSubquery ? q.types[0] : LogicalType(TypeId::kBoolean);
  auto n = std::make_unique<BoundExpr>(kind, type);
  n->negated = e.negated;
  n->subquery_plan = std::shared_ptr<PlanNode>(std::move(q.plan));
  if (probe) n->children.push_back(std::move(probe));
  for (int oidx : corr) {
    const auto& col = scope_.columns[size_t(oidx)];
    if (agg_ && agg_->active) {
      auto g = agg_->group_columns.find(oidx);
      if (g == agg_->group_columns.end())
        return ErrorAt(e.location, Status::BinderError("column \"" + col.name + "\" used in a subquery must appear in the GROUP BY clause"));
      n->correlated_outer.push_back(MakeColumnRef(g->second, col.type, col.name));
    } else {
      n->correlated_outer.push_back(MakeColumnRef(oidx, col.type, col.name));
    }
  }
  return n;
}

}  // namespace alopex
