// SELECT blocks: FROM, WHERE, GROUP BY, HAVING, windows, QUALIFY, the select
// list, DISTINCT, ORDER BY and LIMIT.
#include <algorithm>
#include <set>
#include <utility>

#include "common/cast.h"
#include "exec/aggregate.h"
#include "sql/binder/binder.h"
#include "sql/binder/expr_binder.h"

namespace alopex {

namespace {

PlanPtr Project(PlanPtr child, std::vector<BoundExprPtr> exprs, std::vector<std::string> names) {
  auto p = std::make_unique<PlanNode>(PlanKind::kProjection);
  for (auto& e : exprs) p->types.push_back(e->type);
  p->names = std::move(names);
  p->expressions = std::move(exprs);
  p->children.push_back(std::move(child));
  return p;
}

std::string OutputName(const sql::Expr& e) {
  if (!e.alias.empty()) return e.alias;
  if (e.kind == sql::ExprKind::kColumnRef) return e.name;
  return e.ToString();
}

std::optional<WindowKind> LookupWindow(const std::string& name) {
  static const std::map<std::string, WindowKind> kinds = {
      {"row_number", WindowKind::kRowNumber}, {"rank", WindowKind::kRank},
      {"dense_rank", WindowKind::kDenseRank}, {"percent_rank", WindowKind::kPercentRank},
      {"cume_dist", WindowKind::kCumeDist},   {"ntile", WindowKind::kNtile},
      {"lag", WindowKind::kLag},              {"lead", WindowKind::kLead},
      {"first_value", WindowKind::kFirstValue}, {"last_value", WindowKind::kLastValue},
      {"nth_value", WindowKind::kNthValue},
  };
  auto it = kinds.find(name);
  if (it == kinds.end()) return std::nullopt;
  return it->second;
}

int64_t FrameOffset(const sql::FrameBound& b, bool start, Binder& binder, Status* st) {
  switch (b.kind) {
    case sql::FrameBoundKind::kUnboundedPreceding: return INT64_MIN;
    case sql::FrameBoundKind::kUnboundedFollowing: return INT64_MAX;
    case sql::FrameBoundKind::kCurrentRow: return 0;
    case sql::FrameBoundKind::kPreceding:
    case sql::FrameBoundKind::kFollowing: {
      int64_t n = 0;
      if (b.offset && b.offset->kind == sql::ExprKind::kConstant && b.offset->value.type().IsInteger())
        n = b.offset->value.GetInt64();
      else
        *st = Status::BinderError("window frame offsets must be integer constants");
      return b.kind == sql::FrameBoundKind::kPreceding ? -n : n;
    }
  }
  return 0;
}

}  // namespace

// `over_groups`: a window aggregate over an aggregated query, whose arguments
// may themselves be aggregates (avg(sum(v)) OVER ()).
Result<BoundAggregate> BindAggregateCall(Binder& binder, ExprBinder& eb, const sql::Expr& e, bool over_groups) {
  BoundAggregate a;
  a.name = e.name;
  a.kind = *LookupAggregate(e.name);
  a.distinct = e.distinct;
  std::vector<LogicalType> types;
  for (const auto& c : e.children) {
    if (!over_groups && ContainsAggregate(*c))
      return Status::BinderError("aggregate function calls cannot be nested" + binder.Where(c->location));
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr arg, eb.Bind(*c));
    types.push_back(arg->type);
    a.args.push_back(std::move(arg));
  }
  if (a.kind == AggregateKind::kCount && a.args.empty()) a.kind = AggregateKind::kCountStar;
  auto t = BindAggregate(a.kind, a.name, &types);
  if (!t.ok()) return Status(t.status().code(), t.status().message() + binder.Where(e.location));
  a.type = *t;
  if (a.kind == AggregateKind::kStringAgg && a.args.size() == 1) a.args.push_back(MakeConstant(Value::Varchar(",")));
  for (size_t i = 0; i < a.args.size() && i < types.size(); i++) {
    ALOPEX_ASSIGN_OR_RETURN(a.args[i], binder.CastTo(std::move(a.args[i]), types[i]));
  }
  if (e.filter) {
    ALOPEX_ASSIGN_OR_RETURN(a.filter, eb.Bind(*e.filter));
    ALOPEX_ASSIGN_OR_RETURN(a.filter, binder.CastTo(std::move(a.filter), TypeId::kBoolean));
  }
  for (const auto& o : e.order_by) {
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr k, eb.Bind(*o.expr));
    a.order_by.push_back(std::move(k));
    a.order_desc.push_back(o.direction == sql::OrderDirection::kDescending);
  }
  return a;
}

Result<BoundQuery> Binder::BindSelectCore(const sql::SelectNode& node, const Scope* outer) {
  // FROM
  Scope scope;
  scope.outer = outer;
  PlanPtr plan;
  if (node.from) {
    PseudoColumnRefs outer_refs = std::exchange(pseudo_refs_, NamedPseudoColumns(node));
    auto from = BindTableRef(*node.from, &scope, outer);
    pseudo_refs_ = std::move(outer_refs);
    if (!from.ok()) return from.status();
    plan = std::move(from->plan);
  } else {
    plan = std::make_unique<PlanNode>(PlanKind::kEmptyRow);
  }
  scope.outer = outer;

  // WHERE
  if (node.where) {
    if (ContainsAggregate(*node.where))
      return Status::BinderError("WHERE clause cannot contain aggregates" + Where(node.where->location));
    ExprBinder eb(*this, scope);
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr cond, eb.Bind(*node.where));
    if (cond->type.id() != TypeId::kBoolean && cond->type.id() != TypeId::kNull)
      return Status::BinderError("WHERE clause must be a BOOLEAN expression, not " + cond->type.ToString() + Where(node.where->location));
    ALOPEX_ASSIGN_OR_RETURN(cond, CastTo(std::move(cond), TypeId::kBoolean));
    plan = PushFilterInto(std::move(plan), std::move(cond));
  }

  // The select list, with * expanded.
  std::vector<std::unique_ptr<sql::Expr>> synthetic;
  std::vector<const sql::Expr*> items;
  std::vector<std::string> names;
  for (const auto& item : node.select_list) {
    if (item->kind != sql::ExprKind::kStar) {
      items.push_back(item.get());
      names.push_back(OutputName(*item));
      continue;
    }
    std::string table = item->qualifiers.empty() ? "" : LowerName(item->qualifiers.back());
    bool any = false;
    for (const auto& c : scope.columns) {
      if (c.hidden || c.pseudo || (!table.empty() && c.table != table)) continue;
      if (std::any_of(item->exclude.begin(), item->exclude.end(), [&](const std::string& x) { return LowerName(x) == LowerName(c.name); }))
        continue;
      auto ref = std::make_unique<sql::Expr>(sql::ExprKind::kColumnRef, item->location);
      ref->name = c.name;
      if (!c.table.empty()) ref->qualifiers = {c.table};
      items.push_back(ref.get());
      names.push_back(c.name);
      synthetic.push_back(std::move(ref));
      any = true;
    }
    if (!any && !table.empty()) return Status::BinderError("Referenced table \"" + table + "\" not found in FROM clause" + Where(item->location));
    if (!any && table.empty() && node.from) return Status::BinderError("SELECT * with no columns" + Where(item->location));
  }
  std::map<std::string, const sql::Expr*> aliases;
  for (const auto* it : items)
    if (!it->alias.empty()) aliases[LowerName(it->alias)] = it;

  // Aggregation.
  std::vector<const sql::Expr*> agg_calls;
  for (const auto* it : items) CollectAggregates(*it, &agg_calls);
  if (node.having) CollectAggregates(*node.having, &agg_calls);
  if (node.qualify) CollectAggregates(*node.qualify, &agg_calls);
  for (const auto& o : node.order_by) CollectAggregates(*o.expr, &agg_calls);
  bool aggregating = !node.group_by.empty() || node.group_by_all || !agg_calls.empty();
  AggregateContext actx;
  if (aggregating) {
    auto agg = std::make_unique<PlanNode>(PlanKind::kAggregate);
    ExprBinder eb(*this, scope);
    eb.SetAliases(&aliases);
    std::vector<const sql::Expr*> group_asts;
    if (node.group_by_all) {
      for (const auto* it : items)
        if (!ContainsAggregate(*it) && !ContainsWindow(*it)) group_asts.push_back(it);
    }
    for (const auto& g : node.group_by) {
      if (g->kind == sql::ExprKind::kConstant && g->value.type().IsInteger()) {
        int64_t k = g->value.GetInt64();
        if (k < 1 || size_t(k) > items.size())
          return Status::BinderError("GROUP BY term out of range - should be between 1 and " + std::to_string(items.size()) + Where(g->location));
        group_asts.push_back(items[size_t(k - 1)]);
      } else {
        group_asts.push_back(g.get());
      }
    }
    for (const auto* g : group_asts) {
      if (ContainsAggregate(*g)) return Status::BinderError("GROUP BY clause cannot contain aggregates" + Where(g->location));
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr ge, eb.Bind(*g));
      int out = int(agg->groups.size());
      actx.group_exprs[g->ToString()] = out;
      // The alias of a grouped select item names the same group.
      if (g->kind == sql::ExprKind::kColumnRef && g->qualifiers.empty()) {
        auto al = aliases.find(LowerName(g->name));
        if (al != aliases.end()) actx.group_exprs[al->second->ToString()] = out;
      }
      if (!g->alias.empty()) actx.group_exprs[g->ToString()] = out;
      if (ge->kind == BoundExprKind::kColumnRef) actx.group_columns.emplace(ge->column_index, out);
      actx.types.push_back(ge->type);
      agg->names.push_back(g->ToString());
      agg->groups.push_back(std::move(ge));
    }
    ExprBinder ab(*this, scope);
    for (const auto* call : agg_calls) {
      std::string key = call->ToString();
      if (actx.aggregates.count(key)) continue;
      ALOPEX_ASSIGN_OR_RETURN(BoundAggregate a, BindAggregateCall(*this, ab, *call, false));
      actx.aggregates[key] = int(agg->groups.size() + agg->aggregates.size());
      actx.types.push_back(a.type);
      agg->names.push_back(key);
      agg->aggregates.push_back(std::move(a));
    }
    agg->types = actx.types;
    agg->children.push_back(std::move(plan));
    plan = std::move(agg);
    actx.active = true;
    if (node.having) {
      ExprBinder hb(*this, scope);
      hb.SetAggregateContext(&actx);
      hb.SetAliases(&aliases);
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr h, hb.Bind(*node.having));
      ALOPEX_ASSIGN_OR_RETURN(h, CastTo(std::move(h), TypeId::kBoolean));
      auto f = std::make_unique<PlanNode>(PlanKind::kFilter);
      f->types = plan->types;
      f->names = plan->names;
      f->condition = std::move(h);
      f->children.push_back(std::move(plan));
      plan = std::move(f);
    }
  } else if (node.having) {
    return Status::BinderError("HAVING requires GROUP BY or an aggregate" + Where(node.having->location));
  }
  if (!aggregating) {
    for (const auto& c : scope.columns) actx.types.push_back(c.type);
  }

  // Windows.
  std::vector<const sql::Expr*> win_calls;
  for (const auto* it : items) CollectWindows(*it, &win_calls);
  if (node.qualify) CollectWindows(*node.qualify, &win_calls);
  for (const auto& o : node.order_by) CollectWindows(*o.expr, &win_calls);
  if (!win_calls.empty()) {
    auto win = std::make_unique<PlanNode>(PlanKind::kWindow);
    ExprBinder wb(*this, scope);
    wb.SetAggregateContext(aggregating ? &actx : nullptr);
    for (const auto* call : win_calls) {
      std::string key = call->ToString();
      if (actx.windows.count(key)) continue;
      BoundWindow w;
      w.name = call->name;
      auto wk = LookupWindow(call->name);
      if (wk) {
        w.kind = *wk;
        for (const auto& c : call->children) {
          ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr a, wb.Bind(*c));
          w.args.push_back(std::move(a));
        }
        switch (w.kind) {
          case WindowKind::kRowNumber: case WindowKind::kRank: case WindowKind::kDenseRank: case WindowKind::kNtile:
            w.type = TypeId::kBigInt;
            break;
          case WindowKind::kPercentRank: case WindowKind::kCumeDist:
            w.type = TypeId::kDouble;
            break;
          default:
            if (w.args.empty()) return Status::BinderError(call->name + " needs an argument" + Where(call->location));
            w.type = w.args[0]->type;
        }
        for (size_t i = 1; i < w.args.size(); i++) {
          if (i == 2 && (w.kind == WindowKind::kLag || w.kind == WindowKind::kLead)) {
            ALOPEX_ASSIGN_OR_RETURN(w.args[i], CastTo(std::move(w.args[i]), w.type));
          } else {
            ALOPEX_ASSIGN_OR_RETURN(w.args[i], CastTo(std::move(w.args[i]), TypeId::kBigInt));
          }
        }
        if (w.kind == WindowKind::kNtile && !w.args.empty()) {
          ALOPEX_ASSIGN_OR_RETURN(w.args[0], CastTo(std::move(w.args[0]), TypeId::kBigInt));
        }
      } else if (IsAggregateName(call->name)) {
        w.kind = WindowKind::kAggregate;
        sql::Expr plain(sql::ExprKind::kFunction, call->location);
        ALOPEX_ASSIGN_OR_RETURN(w.aggregate, BindAggregateCall(*this, wb, *call, aggregating));
        w.type = w.aggregate.type;
      } else {
        return Status::BinderError("function " + call->name + " is not a window or aggregate function" + Where(call->location));
      }
      for (const auto& p : call->window->partition_by) {
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr pe, wb.Bind(*p));
        w.partition_by.push_back(std::move(pe));
      }
      for (const auto& o : call->window->order_by) {
        ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr oe, wb.Bind(*o.expr));
        w.order_by.push_back(std::move(oe));
        w.order_desc.push_back(o.direction == sql::OrderDirection::kDescending);
        w.order_nulls_first.push_back(o.nulls == sql::NullOrder::kNullsFirst);
      }
      if (call->window->has_frame) {
        Status st;
        w.has_frame = true;
        w.frame_rows = call->window->frame_rows;
        w.frame_start = FrameOffset(call->window->frame_start, true, *this, &st);
        w.frame_end = FrameOffset(call->window->frame_end, false, *this, &st);
        if (!st.ok()) return Status(st.code(), st.message() + Where(call->location));
      }
      w.ignore_nulls = call->ignore_nulls;
      actx.windows[key] = int(actx.types.size());
      actx.types.push_back(w.type);
      win->windows.push_back(std::move(w));
    }
    win->types = actx.types;
    win->names = plan->names;
    while (win->names.size() < win->types.size()) win->names.push_back("window");
    win->children.push_back(std::move(plan));
    plan = std::move(win);
  }

  // unnest(list) in the select list: one output row per element.
  std::vector<const sql::Expr*> unnest_calls;
  for (const auto* it : items)
    if (it->kind == sql::ExprKind::kFunction && it->name == "unnest" && !it->window) unnest_calls.push_back(it);
  if (!unnest_calls.empty()) {
    ExprBinder ub(*this, scope);
    ub.SetAggregateContext(aggregating || !win_calls.empty() ? &actx : nullptr);
    auto un = std::make_unique<PlanNode>(PlanKind::kUnnest);
    un->types = actx.types;
    un->names = plan->names;
    un->names.resize(un->types.size(), "");
    for (const auto* call : unnest_calls) {
      std::string key = call->ToString();
      if (actx.unnests.count(key)) continue;
      if (call->children.size() != 1) return Status::BinderError("unnest takes one argument" + Where(call->location));
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr list, ub.Bind(*call->children[0]));
      LogicalType elem;
      if (list->type.id() == TypeId::kList) {
        elem = list->type.child();
      } else if (list->type.id() == TypeId::kNull) {
        elem = TypeId::kInteger;
        ALOPEX_ASSIGN_OR_RETURN(list, CastTo(std::move(list), LogicalType::List(TypeId::kInteger)));
      } else {
        return Status::BinderError("unnest needs a list, not " + list->type.ToString() + Where(call->location));
      }
      actx.unnests[key] = int(actx.types.size());
      actx.types.push_back(elem);
      un->types.push_back(elem);
      un->names.push_back(key);
      un->expressions.push_back(std::move(list));
    }
    un->children.push_back(std::move(plan));
    plan = std::move(un);
  }

  // Select list.
  ExprBinder fb(*this, scope);
  fb.SetAggregateContext(aggregating || !win_calls.empty() || !unnest_calls.empty() ? &actx : nullptr);
  std::vector<BoundExprPtr> exprs;
  for (const auto* it : items) {
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr e, fb.Bind(*it));
    exprs.push_back(std::move(e));
  }
  if (node.qualify) {
    ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr q, fb.Bind(*node.qualify));
    ALOPEX_ASSIGN_OR_RETURN(q, CastTo(std::move(q), TypeId::kBoolean));
    auto f = std::make_unique<PlanNode>(PlanKind::kFilter);
    f->types = plan->types;
    f->names = plan->names;
    f->condition = std::move(q);
    f->children.push_back(std::move(plan));
    plan = std::move(f);
  }

  // ORDER BY keys: output columns by ordinal or alias, or hidden extra columns.
  std::vector<SortKey> keys;
  size_t visible = exprs.size();
  fb.SetAliases(nullptr);
  std::vector<LogicalType> out_types;
  for (auto& e : exprs) out_types.push_back(e->type);
  auto order_items = &node.order_by;
  if (node.order_by_all) {
    bool desc = !node.order_by.empty() && node.order_by[0].direction == sql::OrderDirection::kDescending;
    for (size_t i = 0; i < visible; i++) keys.push_back({MakeColumnRef(int(i), out_types[i]), desc, false});
  }
  for (const auto& item : *order_items) {
    if (node.order_by_all) break;
    bool desc = item.direction == sql::OrderDirection::kDescending;
    bool nulls_first = item.nulls == sql::NullOrder::kNullsFirst;
    const sql::Expr& oe = *item.expr;
    int target = -1;
    if (oe.kind == sql::ExprKind::kConstant && oe.value.type().IsInteger()) {
      int64_t k = oe.value.GetInt64();
      if (k < 1 || size_t(k) > visible)
        return Status::BinderError("ORDER BY term out of range - should be between 1 and " + std::to_string(visible) + Where(oe.location));
      target = int(k - 1);
    } else if (oe.kind == sql::ExprKind::kColumnRef && oe.qualifiers.empty()) {
      for (size_t i = 0; i < visible; i++)
        if (!items[i]->alias.empty() && LowerName(items[i]->alias) == LowerName(oe.name)) {
          target = int(i);
          break;
        }
    }
    if (target < 0) {
      std::string key = oe.ToString();
      for (size_t i = 0; i < visible; i++)
        if (items[i]->ToString() == key) {
          target = int(i);
          break;
        }
    }
    if (target < 0) {
      if (node.distinct)
        return Status::BinderError("for SELECT DISTINCT, ORDER BY expressions must appear in the select list" + Where(oe.location));
      ALOPEX_ASSIGN_OR_RETURN(BoundExprPtr k, fb.Bind(oe));
      target = int(exprs.size());
      out_types.push_back(k->type);
      names.push_back("__order" + std::to_string(target));
      exprs.push_back(std::move(k));
    }
    keys.push_back({MakeColumnRef(target, out_types[size_t(target)]), desc, nulls_first});
  }

  std::vector<std::string> all_names = names;
  plan = Project(std::move(plan), std::move(exprs), all_names);
  if (!node.distinct_on.empty()) {
    // DISTINCT ON (keys): the first row of each key group in ORDER BY order.
    if (!keys.empty()) {
      auto sort = std::make_unique<PlanNode>(PlanKind::kSort);
      sort->types = plan->types;
      sort->names = plan->names;
      for (auto& k : keys) sort->sort_keys.push_back(k.Copy());
      sort->children.push_back(std::move(plan));
      plan = std::move(sort);
    }
    Scope out_scope;
    for (size_t i = 0; i < visible; i++) out_scope.columns.push_back({"", names[i], out_types[i], false});
    auto agg = std::make_unique<PlanNode>(PlanKind::kAggregate);
    ExprBinder db(*this, scope);
    for (const auto& d : node.distinct_on) {
      int target = -1;
      std::string key = d->ToString();
      for (size_t i = 0; i < visible; i++)
        if (items[i]->ToString() == key || (!items[i]->alias.empty() && d->kind == sql::ExprKind::kColumnRef && LowerName(items[i]->alias) == LowerName(d->name)))
          target = int(i);
      if (target < 0) return Status::BinderError("DISTINCT ON expressions must appear in the select list" + Where(d->location));
      agg->groups.push_back(MakeColumnRef(target, out_types[size_t(target)]));
    }
    std::vector<BoundExprPtr> reorder(visible);
    for (size_t i = 0; i < visible; i++) {
      BoundAggregate a;
      a.kind = AggregateKind::kFirst;
      a.name = "first";
      a.type = out_types[i];
      a.args.push_back(MakeColumnRef(int(i), out_types[i]));
      agg->aggregates.push_back(std::move(a));
      reorder[i] = MakeColumnRef(int(agg->groups.size() + i), out_types[i]);
    }
    for (const auto& g : agg->groups) agg->types.push_back(g->type);
    for (const auto& a : agg->aggregates) agg->types.push_back(a.type);
    agg->names.resize(agg->types.size(), "");
    agg->children.push_back(std::move(plan));
    plan = Project(std::move(agg), std::move(reorder), std::vector<std::string>(names.begin(), names.begin() + visible));
    // Re-apply the order on the visible columns (keys referencing hidden columns dropped).
    std::vector<SortKey> vis;
    for (auto& k : keys)
      if (k.expr->column_index < int(visible)) vis.push_back(std::move(k));
    keys = std::move(vis);
  } else if (node.distinct) {
    auto d = std::make_unique<PlanNode>(PlanKind::kDistinct);
    d->types = plan->types;
    d->names = plan->names;
    d->children.push_back(std::move(plan));
    plan = std::move(d);
  }
  if (!keys.empty()) {
    auto sort = std::make_unique<PlanNode>(PlanKind::kSort);
    sort->types = plan->types;
    sort->names = plan->names;
    sort->sort_keys = std::move(keys);
    sort->children.push_back(std::move(plan));
    plan = std::move(sort);
  }
  BoundQuery q;
  q.plan = std::move(plan);
  q.names = std::vector<std::string>(names.begin(), names.begin() + visible);
  q.types = std::vector<LogicalType>(out_types.begin(), out_types.begin() + visible);
  // LIMIT applies before hidden ORDER BY columns are dropped (it keeps the order).
  BoundQuery full;
  full.plan = std::move(q.plan);
  full.names = all_names;
  full.types = out_types;
  ALOPEX_ASSIGN_OR_RETURN(full, ApplyLimit(node, std::move(full)));
  if (all_names.size() > visible) {
    std::vector<BoundExprPtr> keep;
    for (size_t i = 0; i < visible; i++) keep.push_back(MakeColumnRef(int(i), out_types[i]));
    full.plan = Project(std::move(full.plan), std::move(keep), q.names);
  }
  q.plan = std::move(full.plan);
  return q;
}

}  // namespace alopex
