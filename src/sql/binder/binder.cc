#include "sql/binder/binder.h"

#include <algorithm>
#include <set>

#include "common/cast.h"
#include "common/text.h"
#include "exec/aggregate.h"
#include "exec/executor.h"
#include "exec/expression_executor.h"
#include "exec/table_function.h"
#include "sql/binder/expr_binder.h"
#include "sql/lexer.h"
#include "sql/parser.h"
#include "storage/table.h"

namespace alopex {

// ---------------------------------------------------------------- helpers

std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates) {
  return alopex::ClosestName(std::string_view(name), candidates, std::max<size_t>(2, name.size() / 2));
}

void SplitConjuncts(BoundExprPtr e, std::vector<BoundExprPtr>* out) {
  if (!e) return;
  if (e->kind == BoundExprKind::kAnd) {
    for (auto& c : e->children) SplitConjuncts(std::move(c), out);
    return;
  }
  out->push_back(std::move(e));
}

BoundExprPtr MakeConjunction(std::vector<BoundExprPtr> conjuncts) {
  if (conjuncts.empty()) return nullptr;
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  auto n = std::make_unique<BoundExpr>(BoundExprKind::kAnd, LogicalType(TypeId::kBoolean));
  n->children = std::move(conjuncts);
  return n;
}

void CollectColumnRefs(const BoundExpr& e, std::vector<int>* out) {
  if (e.kind == BoundExprKind::kColumnRef) out->push_back(e.column_index);
  for (const auto& c : e.children) CollectColumnRefs(*c, out);
  for (const auto& c : e.correlated_outer) CollectColumnRefs(*c, out);
}

void ShiftColumnRefs(BoundExpr& e, int delta, int from) {
  if (e.kind == BoundExprKind::kColumnRef && e.column_index >= from) e.column_index += delta;
  for (auto& c : e.children) ShiftColumnRefs(*c, delta, from);
  for (auto& c : e.correlated_outer) ShiftColumnRefs(*c, delta, from);
}

std::string Binder::Where(size_t location) const {
  if (ctx_.sql.empty() || location > ctx_.sql.size()) return "";
  Status st = sql::FormatSyntaxError(ctx_.sql, location, "");
  // FormatSyntaxError puts the message first; keep only the LINE/caret part.
  const std::string& m = st.message();
  size_t nl = m.find('\n');
  return nl == std::string::npos ? "" : m.substr(nl);
}

Result<BoundExprPtr> Binder::FoldConstants(BoundExprPtr e) {
  if (e->kind == BoundExprKind::kConstant || !e->IsFoldable() || !ctx_.exec) return e;
  auto v = EvaluateConstant(*e, *ctx_.exec);
  if (!v.ok()) return e;  // fails at run time only if it is evaluated (CASE WHEN false THEN 1/0)
  Value val = *v;
  auto c = MakeConstant(val.is_null() ? Value::Null(e->type) : val);
  c->type = e->type;
  return c;
}

Result<Value> Binder::EvaluateOnce(const sql::Expr& e, const std::string& what) {
  Scope none;
  ExprBinder eb(*this, none);
  ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr bound, eb.Bind(e));
  if (bound->IsConstant()) return bound->value;
  auto v = ctx_.exec ? EvaluateConstant(*bound, *ctx_.exec) : Result<Value>(Status::BinderError("no executor"));
  if (!v.ok()) return Status::BinderError(what + " must be a constant: " + v.status().message() + Where(e.location));
  return v;
}

Result<BoundExprPtr> Binder::CastTo(BoundExprPtr e, const LogicalType& to, bool try_cast) {
  if (e->type == to) return e;
  if (e->IsConstant()) {
    if (e->value.is_null()) return MakeConstant(Value::Null(to));
    auto v = CastValue(e->value, to, try_cast);
    if (!v.ok()) return v.status();
    auto c = MakeConstant(*v);
    c->type = to;
    return c;
  }
  if (!CanCast(e->type, to)) return Status::BinderError("cannot cast " + e->type.ToString() + " to " + to.ToString());
  return MakeCast(std::move(e), to, try_cast);
}

std::pair<std::string, std::string> Binder::SplitName(const sql::QualifiedName& name) {
  if (name.size() >= 2) return {name[name.size() - 2], name.back()};
  return {Catalog::kDefaultSchema, name.back()};
}

Result<std::shared_ptr<Table>> Binder::LookupTable(const sql::QualifiedName& name, size_t location) {
  auto [schema, table] = SplitName(name);
  auto t = ctx_.catalog->GetTable(schema, table);
  if (t) return t;
  std::string msg = "Table with name " + sql::NameToString(name) + " does not exist!";
  std::string best = ClosestName(table, ctx_.catalog->AllObjectNames());
  if (!best.empty()) msg += "\nDid you mean \"" + best + "\"?";
  return Status::NotFound(msg + Where(location));
}

// ---------------------------------------------------------------- filter push-down

namespace {

bool RefsWithin(const BoundExpr& e, int lo, int hi) {
  std::vector<int> refs;
  CollectColumnRefs(e, &refs);
  for (int r : refs)
    if (r < lo || r >= hi) return false;
  return true;
}
bool HasRefs(const BoundExpr& e) {
  std::vector<int> refs;
  CollectColumnRefs(e, &refs);
  return !refs.empty();
}

bool IsEquality(const BoundExpr& e) {
  return e.kind == BoundExprKind::kFunction && e.function.name == "=" && e.children.size() == 2;
}

// Adds `c` (over the output of `plan`) as low as it can go.
PlanPtr PushConjunct(PlanPtr plan, BoundExprPtr c) {
  bool joinish = plan->kind == PlanKind::kNestedLoopJoin || plan->kind == PlanKind::kHashJoin;
  if (joinish && (plan->join_type == PlanJoinType::kInner || plan->join_type == PlanJoinType::kLeft)) {
    int lw = int(plan->children[0]->types.size());
    int rw = int(plan->children[1]->types.size());
    if (HasRefs(*c) && RefsWithin(*c, 0, lw)) {
      plan->children[0] = PushConjunct(std::move(plan->children[0]), std::move(c));
      return plan;
    }
    if (plan->join_type == PlanJoinType::kInner) {
      if (HasRefs(*c) && RefsWithin(*c, lw, lw + rw)) {
        ShiftColumnRefs(*c, -lw);
        plan->children[1] = PushConjunct(std::move(plan->children[1]), std::move(c));
        return plan;
      }
      if (IsEquality(*c)) {
        BoundExpr& a = *c->children[0];
        BoundExpr& b = *c->children[1];
        bool a_left = HasRefs(a) && RefsWithin(a, 0, lw), b_right = HasRefs(b) && RefsWithin(b, lw, lw + rw);
        bool a_right = HasRefs(a) && RefsWithin(a, lw, lw + rw), b_left = HasRefs(b) && RefsWithin(b, 0, lw);
        if ((a_left && b_right) || (a_right && b_left)) {
          BoundExprPtr l = std::move(a_left ? c->children[0] : c->children[1]);
          BoundExprPtr r = std::move(a_left ? c->children[1] : c->children[0]);
          ShiftColumnRefs(*r, -lw);
          plan->kind = PlanKind::kHashJoin;
          plan->left_keys.push_back(std::move(l));
          plan->right_keys.push_back(std::move(r));
          plan->null_equal.push_back(false);
          return plan;
        }
      }
      std::vector<BoundExprPtr> parts;
      SplitConjuncts(std::move(plan->condition), &parts);
      parts.push_back(std::move(c));
      plan->condition = MakeConjunction(std::move(parts));
      return plan;
    }
  }
  if (plan->kind == PlanKind::kFilter) {
    std::vector<BoundExprPtr> parts;
    SplitConjuncts(std::move(plan->condition), &parts);
    parts.push_back(std::move(c));
    plan->condition = MakeConjunction(std::move(parts));
    return plan;
  }
  auto f = std::make_unique<PlanNode>(PlanKind::kFilter);
  f->types = plan->types;
  f->names = plan->names;
  f->condition = std::move(c);
  f->children.push_back(std::move(plan));
  return f;
}

}  // namespace

PlanPtr PushFilterInto(PlanPtr plan, BoundExprPtr cond) {
  std::vector<BoundExprPtr> parts;
  SplitConjuncts(std::move(cond), &parts);
  for (auto& p : parts) {
    if (p->IsConstant() && !p->value.is_null() && p->value.GetBool()) continue;  // WHERE true
    plan = PushConjunct(std::move(plan), std::move(p));
  }
  return plan;
}

namespace {

PlanPtr MakeProjection(PlanPtr child, std::vector<BoundExprPtr> exprs, std::vector<std::string> names) {
  auto p = std::make_unique<PlanNode>(PlanKind::kProjection);
  for (auto& e : exprs) p->types.push_back(e->type);
  p->names = std::move(names);
  p->expressions = std::move(exprs);
  p->children.push_back(std::move(child));
  return p;
}

}  // namespace

// ---------------------------------------------------------------- queries

Result<BoundQuery> Binder::BindQuery(const sql::SelectNode& node, const Scope* outer) {
  if (node.recursive_ctes)
    return Status::NotImplemented("WITH RECURSIVE is not supported; use a non-recursive WITH" + Where(node.location));
  cte_stack_.emplace_back();
  for (const auto& cte : node.ctes) {
    auto b = std::make_shared<CteBinding>();
    b->cte = &cte;
    cte_stack_.back()[LowerName(cte.name)] = b;
  }
  Result<BoundQuery> r = Status::Internal("unbound");
  switch (node.kind) {
    case sql::SelectNodeKind::kSelect:
      r = BindSelectCore(node, outer);
      break;
    case sql::SelectNodeKind::kSetOperation:
      r = BindSetOperation(node, outer);
      if (r.ok()) r = ApplyOrderLimit(node, std::move(*r), outer);
      break;
    case sql::SelectNodeKind::kValues:
      r = BindValues(node, outer);
      if (r.ok()) r = ApplyOrderLimit(node, std::move(*r), outer);
      break;
  }
  cte_stack_.pop_back();
  return r;
}

Result<BoundQuery> Binder::BindValues(const sql::SelectNode& node, const Scope* outer) {
  Scope empty;
  empty.outer = outer;
  ExprBinder eb(*this, empty);
  std::vector<std::vector<BoundExprPtr>> rows;
  size_t width = node.values.empty() ? 0 : node.values[0].size();
  std::vector<LogicalType> types(width, LogicalType());
  for (const auto& row : node.values) {
    if (row.size() != width) return Status::BinderError("VALUES lists must all be the same length" + Where(node.location));
    std::vector<BoundExprPtr> bound;
    for (size_t c = 0; c < width; c++) {
      BoundExprPtr e;
      if (row[c]->kind == sql::ExprKind::kDefault && c < insert_defaults_.size()) {
        e = MakeConstant(insert_defaults_[c]);
      } else {
        ALOPEX_ASSIGN_OR_RETURN(e, eb.Bind(*row[c]));
      }
      auto t = CommonSuperType(types[c], e->type);
      if (!t.ok()) return Status::BinderError("VALUES column " + std::to_string(c + 1) + ": " + t.status().message());
      types[c] = *t;
      bound.push_back(std::move(e));
    }
    rows.push_back(std::move(bound));
  }
  auto plan = std::make_unique<PlanNode>(PlanKind::kValues);
  for (auto& t : types)
    if (t.id() == TypeId::kNull) t = TypeId::kInteger;
  for (auto& row : rows)
    for (size_t c = 0; c < width; c++) {
      ALOPEX_ASSIGN_OR_RETURN(row[c], CastTo(std::move(row[c]), types[c]));
    }
  plan->values = std::move(rows);
  plan->types = types;
  for (size_t c = 0; c < width; c++) plan->names.push_back("col" + std::to_string(c));
  BoundQuery q;
  q.names = plan->names;
  q.types = types;
  q.plan = std::move(plan);
  return q;
}

Result<BoundQuery> Binder::BindSetOperation(const sql::SelectNode& node, const Scope* outer) {
  ALOPEX_ASSIGN_OR_RETURN(BoundQuery l, BindQuery(*node.left, outer));
  ALOPEX_ASSIGN_OR_RETURN(BoundQuery r, BindQuery(*node.right, outer));
  if (node.by_name) {
    // Align the right side's columns to the left's names; extra columns are appended.
    std::vector<std::string> names = l.names;
    for (const auto& n : r.names)
      if (std::none_of(names.begin(), names.end(), [&](const std::string& x) { return LowerName(x) == LowerName(n); }))
        names.push_back(n);
    auto align = [&](BoundQuery q) {
      std::vector<BoundExprPtr> exprs;
      for (const auto& n : names) {
        auto it = std::find_if(q.names.begin(), q.names.end(), [&](const std::string& x) { return LowerName(x) == LowerName(n); });
        if (it == q.names.end())
          exprs.push_back(MakeConstant(Value::Null()));
        else
          exprs.push_back(MakeColumnRef(int(it - q.names.begin()), q.types[size_t(it - q.names.begin())]));
      }
      BoundQuery out;
      for (auto& e : exprs) out.types.push_back(e->type);
      out.names = names;
      out.plan = MakeProjection(std::move(q.plan), std::move(exprs), names);
      return out;
    };
    l = align(std::move(l));
    r = align(std::move(r));
  }
  if (l.types.size() != r.types.size())
    return Status::BinderError("Set operations can only apply to expressions with the same number of result columns" +
                               Where(node.location));
  std::vector<LogicalType> types;
  for (size_t i = 0; i < l.types.size(); i++) {
    auto t = CommonSuperType(l.types[i], r.types[i]);
    if (!t.ok()) return Status::BinderError("set operation column " + std::to_string(i + 1) + ": " + t.status().message());
    types.push_back(t->id() == TypeId::kNull ? LogicalType(TypeId::kInteger) : *t);
  }
  auto conform = [&](BoundQuery q) -> Result<PlanPtr> {
    if (q.types == types) return std::move(q.plan);
    std::vector<BoundExprPtr> exprs;
    for (size_t i = 0; i < types.size(); i++) {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr e, CastTo(MakeColumnRef(int(i), q.types[i]), types[i]));
      exprs.push_back(std::move(e));
    }
    return MakeProjection(std::move(q.plan), std::move(exprs), q.names);
  };
  std::vector<std::string> names = l.names;
  ALOPEX_ASSIGN_OR_RETURN(PlanPtr lp, conform(std::move(l)));
  ALOPEX_ASSIGN_OR_RETURN(PlanPtr rp, conform(std::move(r)));
  PlanPtr plan;
  if (node.set_op == sql::SetOpType::kUnion || node.set_op == sql::SetOpType::kUnionAll) {
    plan = std::make_unique<PlanNode>(PlanKind::kUnion);
    plan->children.push_back(std::move(lp));
    plan->children.push_back(std::move(rp));
    plan->types = types;
    plan->names = names;
    if (node.set_op == sql::SetOpType::kUnion) {
      auto d = std::make_unique<PlanNode>(PlanKind::kDistinct);
      d->types = types;
      d->names = names;
      d->children.push_back(std::move(plan));
      plan = std::move(d);
    }
  } else {
    plan = std::make_unique<PlanNode>(PlanKind::kSetOperation);
    plan->set_all = node.set_op == sql::SetOpType::kIntersectAll || node.set_op == sql::SetOpType::kExceptAll;
    plan->set_except = node.set_op == sql::SetOpType::kExcept || node.set_op == sql::SetOpType::kExceptAll;
    plan->children.push_back(std::move(lp));
    plan->children.push_back(std::move(rp));
    plan->types = types;
    plan->names = names;
  }
  BoundQuery q;
  q.names = names;
  q.types = types;
  q.plan = std::move(plan);
  return q;
}

// ORDER BY / LIMIT over a set operation or VALUES: by output name or ordinal.
Result<BoundQuery> Binder::ApplyOrderLimit(const sql::SelectNode& node, BoundQuery q, const Scope* outer) {
  Scope scope;
  scope.outer = outer;
  for (size_t i = 0; i < q.names.size(); i++) scope.columns.push_back({"", q.names[i], q.types[i], false});
  ExprBinder eb(*this, scope);
  if (!node.order_by.empty() || node.order_by_all) {
    auto sort = std::make_unique<PlanNode>(PlanKind::kSort);
    sort->types = q.types;
    sort->names = q.names;
    if (node.order_by_all) {
      bool desc = !node.order_by.empty() && node.order_by[0].direction == sql::OrderDirection::kDescending;
      for (size_t i = 0; i < q.types.size(); i++) sort->sort_keys.push_back({MakeColumnRef(int(i), q.types[i]), desc, false});
    }
    for (const auto& item : node.order_by) {
      if (node.order_by_all) break;
      BoundExprPtr key;
      if (item.expr->kind == sql::ExprKind::kConstant && item.expr->value.type().IsInteger()) {
        int64_t k = item.expr->value.GetInt64();
        if (k < 1 || size_t(k) > q.types.size())
          return Status::BinderError("ORDER BY term out of range - should be between 1 and " + std::to_string(q.types.size()) + Where(item.expr->location));
        key = MakeColumnRef(int(k - 1), q.types[size_t(k - 1)]);
      } else {
        ALOPEX_ASSIGN_OR_RETURN(key, eb.Bind(*item.expr));
      }
      bool desc = item.direction == sql::OrderDirection::kDescending;
      bool nulls_first = item.nulls == sql::NullOrder::kNullsFirst;
      sort->sort_keys.push_back({std::move(key), desc, nulls_first});
    }
    sort->children.push_back(std::move(q.plan));
    q.plan = std::move(sort);
  }
  return ApplyLimit(node, std::move(q));
}

Result<BoundQuery> Binder::ApplyLimit(const sql::SelectNode& node, BoundQuery q) {
  if (node.limit || node.offset) {
    auto lim = std::make_unique<PlanNode>(PlanKind::kLimit);
    lim->types = q.types;
    lim->names = q.names;
    Scope none;
    ExprBinder cb(*this, none);
    if (node.limit) {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr l, cb.Bind(*node.limit));
      if (!l->IsConstant()) return Status::BinderError("LIMIT must be a constant" + Where(node.limit->location));
      if (!l->value.is_null()) {
        ALOPEX_ASSIGN_OR_RETURN(Value v, CastValue(l->value, TypeId::kBigInt));
        if (v.GetInt64() < 0) return Status::OutOfRange("LIMIT must not be negative" + Where(node.limit->location));
        lim->limit = v.GetInt64();
      }
    }
    if (node.offset) {
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr o, cb.Bind(*node.offset));
      if (!o->IsConstant()) return Status::BinderError("OFFSET must be a constant" + Where(node.offset->location));
      ALOPEX_ASSIGN_OR_RETURN(Value v, CastValue(o->value, TypeId::kBigInt));
      if (v.GetInt64() < 0) return Status::OutOfRange("OFFSET must not be negative" + Where(node.offset->location));
      lim->offset = v.GetInt64();
    }
    lim->children.push_back(std::move(q.plan));
    q.plan = std::move(lim);
  }
  return q;
}

}  // namespace alopex
