#include "sql/binder/optimizer.h"

#include <algorithm>

#include "exec/aggregate.h"
#include "exec/table_function.h"

namespace alopex {

namespace {

using Mapping = std::vector<int>;  // old output index -> new index, -1 = dropped

void MarkRefs(const BoundExpr& e, std::vector<bool>* needed, int offset = 0) {
  if (e.kind == BoundExprKind::kColumnRef) {
    int i = e.column_index - offset;
    if (i >= 0 && size_t(i) < needed->size()) (*needed)[size_t(i)] = true;
  }
  for (const auto& c : e.children) MarkRefs(*c, needed, offset);
  for (const auto& c : e.correlated_outer) MarkRefs(*c, needed, offset);
}

void Remap(BoundExpr& e, const Mapping& m, int offset = 0) {
  if (e.kind == BoundExprKind::kColumnRef && e.column_index >= offset) {
    int i = e.column_index - offset;
    if (size_t(i) < m.size() && m[size_t(i)] >= 0) e.column_index = m[size_t(i)] + offset;
  }
  for (auto& c : e.children) Remap(*c, m, offset);
  for (auto& c : e.correlated_outer) Remap(*c, m, offset);
}

Mapping Identity(size_t n) {
  Mapping m(n);
  for (size_t i = 0; i < n; i++) m[i] = int(i);
  return m;
}

Mapping Prune(PlanNode& node, std::vector<bool> needed);

// Prunes a child that must keep every output.
void PruneAll(PlanNode& child) { Prune(child, std::vector<bool>(child.types.size(), true)); }

template <typename T>
void Keep(std::vector<T>* v, const std::vector<bool>& keep) {
  std::vector<T> out;
  for (size_t i = 0; i < v->size(); i++)
    if (keep[i]) out.push_back(std::move((*v)[i]));
  *v = std::move(out);
}

// At least one column must survive so row counts still flow (count(*)).
void KeepOne(std::vector<bool>* needed) {
  if (!needed->empty() && std::none_of(needed->begin(), needed->end(), [](bool b) { return b; })) (*needed)[0] = true;
}

Mapping MappingOf(const std::vector<bool>& keep) {
  Mapping m(keep.size(), -1);
  int k = 0;
  for (size_t i = 0; i < keep.size(); i++)
    if (keep[i]) m[i] = k++;
  return m;
}

Mapping Prune(PlanNode& node, std::vector<bool> needed) {
  needed.resize(node.types.size(), false);
  switch (node.kind) {
    case PlanKind::kTableScan: {
      KeepOne(&needed);
      Keep(&node.column_ids, needed);
      Keep(&node.types, needed);
      Keep(&node.names, needed);
      return MappingOf(needed);
    }
    case PlanKind::kTableFunction: {
      if (std::all_of(needed.begin(), needed.end(), [](bool b) { return b; })) return Identity(node.types.size());
      KeepOne(&needed);
      std::vector<int> ids;
      for (size_t i = 0; i < needed.size(); i++)
        if (needed[i]) ids.push_back(int(i));
      if (!node.source->SupportsProjection()) return Identity(node.types.size());
      node.source->SetProjection(ids);
      Keep(&node.types, needed);
      Keep(&node.names, needed);
      return MappingOf(needed);
    }
    case PlanKind::kFilter: {
      MarkRefs(*node.condition, &needed);
      Mapping m = Prune(*node.children[0], needed);
      Remap(*node.condition, m);
      node.types = node.children[0]->types;
      node.names = node.children[0]->names;
      return m;
    }
    case PlanKind::kProjection: {
      KeepOne(&needed);
      Keep(&node.expressions, needed);
      Keep(&node.types, needed);
      Keep(&node.names, needed);
      std::vector<bool> child_needed(node.children[0]->types.size(), false);
      for (const auto& e : node.expressions) MarkRefs(*e, &child_needed);
      Mapping cm = Prune(*node.children[0], child_needed);
      for (auto& e : node.expressions) Remap(*e, cm);
      return MappingOf(needed);
    }
    case PlanKind::kAggregate: {
      std::vector<bool> child_needed(node.children[0]->types.size(), false);
      for (const auto& g : node.groups) MarkRefs(*g, &child_needed);
      for (const auto& a : node.aggregates) {
        for (const auto& e : a.args) MarkRefs(*e, &child_needed);
        for (const auto& e : a.order_by) MarkRefs(*e, &child_needed);
        if (a.filter) MarkRefs(*a.filter, &child_needed);
      }
      Mapping cm = Prune(*node.children[0], child_needed);
      for (auto& g : node.groups) Remap(*g, cm);
      for (auto& a : node.aggregates) {
        for (auto& e : a.args) Remap(*e, cm);
        for (auto& e : a.order_by) Remap(*e, cm);
        if (a.filter) Remap(*a.filter, cm);
      }
      return Identity(node.types.size());
    }
    case PlanKind::kHashJoin:
    case PlanKind::kNestedLoopJoin: {
      size_t lw = node.children[0]->types.size(), rw = node.children[1]->types.size();
      bool semi = node.join_type == PlanJoinType::kSemi || node.join_type == PlanJoinType::kAnti;
      std::vector<bool> ln(lw, false), rn(rw, false);
      for (size_t i = 0; i < needed.size(); i++) {
        if (!needed[i]) continue;
        if (i < lw)
          ln[i] = true;
        else if (!semi)
          rn[i - lw] = true;
      }
      for (const auto& k : node.left_keys) MarkRefs(*k, &ln);
      for (const auto& k : node.right_keys) MarkRefs(*k, &rn);
      if (node.condition) {
        MarkRefs(*node.condition, &ln);
        MarkRefs(*node.condition, &rn, int(lw));
      }
      Mapping lm = Prune(*node.children[0], ln);
      Mapping rm = Prune(*node.children[1], rn);
      for (auto& k : node.left_keys) Remap(*k, lm);
      for (auto& k : node.right_keys) Remap(*k, rm);
      size_t new_lw = node.children[0]->types.size();
      if (node.condition) {
        // Right refs first (they sit above the left block), then left.
        Mapping combined(lw + rw, -1);
        for (size_t i = 0; i < lw; i++) combined[i] = lm[i];
        for (size_t i = 0; i < rw; i++) combined[lw + i] = rm[i] < 0 ? -1 : rm[i] + int(new_lw);
        Remap(*node.condition, combined);
      }
      Mapping out(node.types.size(), -1);
      if (node.kind == PlanKind::kHashJoin && !node.condition) {
        // Output only what the parent reads; key-only columns stay inside the join.
        node.has_join_projection = true;
        node.left_projection.clear();
        node.right_projection.clear();
        std::vector<LogicalType> types;
        std::vector<std::string> names;
        for (size_t i = 0; i < lw; i++) {
          if (!needed[i] || lm[i] < 0) continue;
          out[i] = int(types.size());
          node.left_projection.push_back(lm[i]);
          types.push_back(node.children[0]->types[size_t(lm[i])]);
          names.push_back(node.children[0]->names[size_t(lm[i])]);
        }
        for (size_t i = 0; !semi && i < rw; i++) {
          if (!needed[lw + i] || rm[i] < 0) continue;
          out[lw + i] = int(types.size());
          node.right_projection.push_back(rm[i]);
          types.push_back(node.children[1]->types[size_t(rm[i])]);
          names.push_back(node.children[1]->names[size_t(rm[i])]);
        }
        node.types = std::move(types);
        node.names = std::move(names);
        return out;
      }
      for (size_t i = 0; i < lw; i++) out[i] = lm[i];
      if (!semi)
        for (size_t i = 0; i < rw; i++) out[lw + i] = rm[i] < 0 ? -1 : rm[i] + int(new_lw);
      node.types = node.children[0]->types;
      node.names = node.children[0]->names;
      if (!semi) {
        node.types.insert(node.types.end(), node.children[1]->types.begin(), node.children[1]->types.end());
        node.names.insert(node.names.end(), node.children[1]->names.begin(), node.children[1]->names.end());
      }
      return out;
    }
    case PlanKind::kSort: {
      for (const auto& k : node.sort_keys) MarkRefs(*k.expr, &needed);
      Mapping m = Prune(*node.children[0], needed);
      for (auto& k : node.sort_keys) Remap(*k.expr, m);
      node.types = node.children[0]->types;
      node.names = node.children[0]->names;
      return m;
    }
    case PlanKind::kLimit: {
      Mapping m = Prune(*node.children[0], needed);
      node.types = node.children[0]->types;
      node.names = node.children[0]->names;
      return m;
    }
    case PlanKind::kWindow: {
      size_t cw = node.children[0]->types.size();
      std::vector<bool> cn(needed.begin(), needed.begin() + long(cw));
      for (const auto& w : node.windows) {
        for (const auto& e : w.args) MarkRefs(*e, &cn);
        for (const auto& e : w.aggregate.args) MarkRefs(*e, &cn);
        if (w.aggregate.filter) MarkRefs(*w.aggregate.filter, &cn);
        for (const auto& e : w.partition_by) MarkRefs(*e, &cn);
        for (const auto& e : w.order_by) MarkRefs(*e, &cn);
      }
      Mapping cm = Prune(*node.children[0], cn);
      for (auto& w : node.windows) {
        for (auto& e : w.args) Remap(*e, cm);
        for (auto& e : w.aggregate.args) Remap(*e, cm);
        if (w.aggregate.filter) Remap(*w.aggregate.filter, cm);
        for (auto& e : w.partition_by) Remap(*e, cm);
        for (auto& e : w.order_by) Remap(*e, cm);
      }
      size_t new_cw = node.children[0]->types.size();
      Mapping out(node.types.size(), -1);
      for (size_t i = 0; i < cw; i++) out[i] = cm[i];
      for (size_t w = 0; w < node.windows.size(); w++) out[cw + w] = int(new_cw + w);
      std::vector<LogicalType> types = node.children[0]->types;
      std::vector<std::string> names = node.children[0]->names;
      for (size_t w = 0; w < node.windows.size(); w++) {
        types.push_back(node.types[cw + w]);
        names.push_back(cw + w < node.names.size() ? node.names[cw + w] : "window");
      }
      node.types = std::move(types);
      node.names = std::move(names);
      return out;
    }
    default:
      for (auto& c : node.children) PruneAll(*c);
      return Identity(node.types.size());
  }
}

}  // namespace

void PruneColumns(PlanNode& root) { Prune(root, std::vector<bool>(root.types.size(), true)); }

void PushFiltersIntoSources(PlanNode& node) {
  for (auto& c : node.children) PushFiltersIntoSources(*c);
  if (node.kind != PlanKind::kFilter) return;
  PlanNode& child = *node.children[0];
  if (child.kind != PlanKind::kTableFunction && child.kind != PlanKind::kTableScan) return;
  std::vector<const BoundExpr*> conjuncts;
  if (node.condition->kind == BoundExprKind::kAnd) {
    for (const auto& c : node.condition->children) conjuncts.push_back(c.get());
  } else {
    conjuncts.push_back(node.condition.get());
  }
  if (child.kind == PlanKind::kTableFunction) {
    child.source->SetFilters(conjuncts);
    return;
  }
  child.pushed_filters.clear();
  for (const BoundExpr* c : conjuncts) child.pushed_filters.push_back(c->Copy());
}

namespace {

bool RefsIn(const BoundExpr& e, int lo, int hi) {
  std::vector<const BoundExpr*> stack{&e};
  while (!stack.empty()) {
    const BoundExpr* x = stack.back();
    stack.pop_back();
    if (x->kind == BoundExprKind::kColumnRef && (x->column_index < lo || x->column_index >= hi)) return false;
    if (x->kind == BoundExprKind::kSubquery || x->kind == BoundExprKind::kExists ||
        x->kind == BoundExprKind::kInSubquery || x->kind == BoundExprKind::kCorrelatedColumn)
      return false;
    for (const auto& c : x->children) stack.push_back(c.get());
  }
  return true;
}

void ShiftRefs(BoundExpr& e, int delta) {
  if (e.kind == BoundExprKind::kColumnRef) e.column_index += delta;
  for (auto& c : e.children) ShiftRefs(*c, delta);
}

// Eager aggregation: GROUP BY over columns of a join's build side, with
// count/sum/min/max over the probe side, first aggregates the probe side by the
// join key (millions of rows become as many rows as keys), then joins and
// combines the partial results. Each probe row still counts once per matching
// build row, so duplicate build keys keep their meaning.
void PushAggregatesBelowJoins(PlanNode& node) {
  for (auto& c : node.children) PushAggregatesBelowJoins(*c);
  if (node.kind != PlanKind::kAggregate || node.groups.empty() || node.aggregates.empty()) return;
  PlanNode& join = *node.children[0];
  if (join.kind != PlanKind::kHashJoin || join.join_type != PlanJoinType::kInner || join.condition ||
      join.has_join_projection)
    return;
  const int lw = int(join.children[0]->types.size());
  const int width = int(join.types.size());
  for (const auto& g : node.groups)
    if (!RefsIn(*g, lw, width)) return;
  for (const auto& a : node.aggregates) {
    bool decomposable = a.kind == AggregateKind::kCountStar || a.kind == AggregateKind::kCount ||
                        a.kind == AggregateKind::kSum || a.kind == AggregateKind::kMin || a.kind == AggregateKind::kMax;
    if (!decomposable || a.distinct || a.filter || !a.order_by.empty()) return;
    for (const auto& e : a.args)
      if (!RefsIn(*e, 0, lw)) return;
  }
  for (const auto& k : join.left_keys)
    if (k->kind != BoundExprKind::kColumnRef) return;
  // Partial aggregate over the probe side: [join keys..., partials...].
  auto partial = std::make_unique<PlanNode>(PlanKind::kAggregate);
  for (const auto& k : join.left_keys) {
    partial->groups.push_back(k->Copy());
    partial->types.push_back(k->type);
    partial->names.push_back(k->alias);
  }
  const int nkeys = int(join.left_keys.size());
  for (const auto& a : node.aggregates) {
    partial->aggregates.push_back(a.Copy());
    partial->types.push_back(a.type);
    partial->names.push_back(a.name);
  }
  partial->children.push_back(std::move(join.children[0]));
  for (int k = 0; k < nkeys; k++) {
    auto ref = MakeColumnRef(k, join.left_keys[size_t(k)]->type);
    join.left_keys[size_t(k)] = std::move(ref);
  }
  const int new_lw = int(partial->types.size());
  join.children[0] = std::move(partial);
  std::vector<LogicalType> types = join.children[0]->types;
  std::vector<std::string> names = join.children[0]->names;
  types.insert(types.end(), join.children[1]->types.begin(), join.children[1]->types.end());
  names.insert(names.end(), join.children[1]->names.begin(), join.children[1]->names.end());
  join.types = std::move(types);
  join.names = std::move(names);
  // The final aggregate combines partials: counts and sums add up, min/max stay.
  for (auto& g : node.groups) ShiftRefs(*g, new_lw - lw);
  for (size_t j = 0; j < node.aggregates.size(); j++) {
    BoundAggregate& a = node.aggregates[j];
    auto arg = MakeColumnRef(nkeys + int(j), a.type);
    if (a.kind == AggregateKind::kCountStar || a.kind == AggregateKind::kCount) {
      a.kind = AggregateKind::kSum;
      a.name = "sum";
    }
    a.args.clear();
    a.args.push_back(std::move(arg));
  }
}

}  // namespace

void OptimizePlan(PlanNode& root) {
  PushAggregatesBelowJoins(root);
  PruneColumns(root);
  PushFiltersIntoSources(root);
}

}  // namespace alopex
