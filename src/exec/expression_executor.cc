#include "exec/expression_executor.h"

#include <unordered_map>

#include "common/cast.h"
#include "exec/executor.h"
#include "exec/row_ops.h"

namespace alopex {

namespace {

// out = a batch-sized column of the constant `v`.
void Broadcast(const Value& v, size_t n, Column* out) { *out = Column::Constant(v, n); }

// dst[sel[k]] = src[k] for k < n (dst already sized).
void Scatter(const Column& src, const uint32_t* sel, size_t n, Column* dst) {
  for (size_t k = 0; k < n; k++) dst->CopyFrom(src, k, sel[k], 1);
}

// Boolean column value: 1 true, 0 false, -1 NULL.
inline int BoolAt(const Column& c, size_t i) {
  if (!c.IsValid(i)) return -1;
  return c.data<uint8_t>()[i] ? 1 : 0;
}

Status EvalFunction(const BoundExpr& e, const Batch& input, Column* out, const ExecContext& ctx) {
  size_t n = input.num_rows;
  // Arguments that are input columns are read in place; others are computed.
  std::vector<Column> computed(e.children.size());
  ScalarCall call;
  for (size_t i = 0; i < e.children.size(); i++) {
    const BoundExpr& c = *e.children[i];
    if (c.kind == BoundExprKind::kColumnRef) {
      call.args.push_back(&input.columns[size_t(c.column_index)]);
    } else {
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(c, input, &computed[i], ctx));
      call.args.push_back(&computed[i]);
    }
  }
  *out = Column(e.type, n);
  out->Resize(n);
  call.count = n;
  call.out = out;
  call.bind_data = e.function.bind_data.get();
  ALOPEX_RETURN_IF_ERROR(e.function.kernel(call));
  if (out->size() != n) out->Resize(n);
  if (e.function.propagates_nulls) {
    for (const Column* a : call.args) {
      if (!a->MayHaveNulls()) continue;
      uint64_t* v = out->mutable_validity();
      const uint64_t* av = a->validity();
      for (size_t w = 0; w < (n + 63) / 64; w++) v[w] &= av[w];
    }
  }
  return Status::OK();
}

Status EvalCase(const BoundExpr& e, const Batch& input, Column* out, const ExecContext& ctx) {
  size_t n = input.num_rows;
  *out = Column(e.type, n);
  out->Resize(n);
  std::vector<uint32_t> remaining(n);
  for (size_t i = 0; i < n; i++) remaining[i] = uint32_t(i);
  size_t pairs = (e.children.size() - 1) / 2;
  for (size_t p = 0; p < pairs && !remaining.empty(); p++) {
    bool all = remaining.size() == n;
    Batch sub;
    const Batch* in = &input;
    if (!all) {
      sub = GatherBatch(input, remaining.data(), remaining.size());
      in = &sub;
    }
    Column cond;
    ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[2 * p], *in, &cond, ctx));
    std::vector<uint32_t> hit_local, hit_global, rest;
    for (size_t k = 0; k < remaining.size(); k++) {
      if (BoolAt(cond, k) == 1) {
        hit_local.push_back(uint32_t(k));
        hit_global.push_back(remaining[k]);
      } else {
        rest.push_back(remaining[k]);
      }
    }
    if (!hit_local.empty()) {
      Batch hit = GatherBatch(*in, hit_local.data(), hit_local.size());
      Column val;
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[2 * p + 1], hit, &val, ctx));
      Scatter(val, hit_global.data(), hit_global.size(), out);
    }
    remaining.swap(rest);
  }
  if (!remaining.empty()) {
    Batch rest = GatherBatch(input, remaining.data(), remaining.size());
    Column val;
    ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children.back(), rest, &val, ctx));
    Scatter(val, remaining.data(), remaining.size(), out);
  }
  return Status::OK();
}

// AND / OR with three-valued logic; the right side is evaluated only on rows the
// left side does not decide, so `x <> 0 AND 1 / x > 0` never divides by zero.
Status EvalConjunction(const BoundExpr& e, const Batch& input, Column* out, const ExecContext& ctx) {
  bool is_and = e.kind == BoundExprKind::kAnd;
  size_t n = input.num_rows;
  ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[0], input, out, ctx));
  for (size_t c = 1; c < e.children.size(); c++) {
    std::vector<uint32_t> undecided;
    for (size_t i = 0; i < n; i++) {
      int v = BoolAt(*out, i);
      if (is_and ? v != 0 : v != 1) undecided.push_back(uint32_t(i));
    }
    if (undecided.empty()) break;
    Column rhs;
    bool all = undecided.size() == n;
    Batch sub;
    if (!all) sub = GatherBatch(input, undecided.data(), undecided.size());
    ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[c], all ? input : sub, &rhs, ctx));
    uint8_t* d = out->data<uint8_t>();
    for (size_t k = 0; k < undecided.size(); k++) {
      size_t i = undecided[k];
      int l = BoolAt(*out, i), r = BoolAt(rhs, k);
      int res;
      if (is_and)
        res = (l == 0 || r == 0) ? 0 : (l == 1 && r == 1 ? 1 : -1);
      else
        res = (l == 1 || r == 1) ? 1 : (l == 0 && r == 0 ? 0 : -1);
      if (res < 0) {
        out->SetNull(i);
      } else {
        out->SetNull(i, false);
        d[i] = uint8_t(res);
      }
    }
  }
  return Status::OK();
}

// Membership in a constant set, with SQL NULL semantics: x IN (...) is NULL when
// x is NULL, or when no element matches and the set holds a NULL.
Status EvalInSet(const BoundExpr& e, const std::vector<Value>& values, bool has_null, const Batch& input,
                 Column* out, const ExecContext& ctx) {
  size_t n = input.num_rows;
  Column x;
  ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[0], input, &x, ctx));
  Column set(x.type());
  for (const auto& v : values) {
    if (v.is_null()) continue;
    if (v.type() == x.type()) {
      set.AppendValue(v);
    } else {
      ALOPEX_ASSIGN_OR_RETURN(Value cv, CastValue(v, x.type()));
      set.AppendValue(cv);
    }
  }
  // Open-addressing table over the set's rows.
  size_t cap = 16;
  while (cap < set.size() * 2) cap <<= 1;
  std::vector<int32_t> slots(cap, -1);
  std::vector<uint64_t> sh(set.size());
  if (!set.empty()) HashColumn(set, sh.data(), set.size(), false);
  for (size_t k = 0; k < set.size(); k++) {
    size_t s = sh[k] & (cap - 1);
    while (slots[s] >= 0) s = (s + 1) & (cap - 1);
    slots[s] = int32_t(k);
  }
  std::vector<uint64_t> xh(n);
  HashColumn(x, xh.data(), n, false);
  *out = Column(LogicalType(TypeId::kBoolean), n);
  out->Resize(n);
  uint8_t* d = out->data<uint8_t>();
  for (size_t i = 0; i < n; i++) {
    if (!x.IsValid(i)) {
      out->SetNull(i);
      continue;
    }
    bool found = false;
    for (size_t s = xh[i] & (cap - 1); slots[s] >= 0; s = (s + 1) & (cap - 1)) {
      if (sh[slots[s]] == xh[i] && ValuesEqual(x, i, set, size_t(slots[s]))) {
        found = true;
        break;
      }
    }
    if (found) {
      d[i] = !e.negated;
    } else if (has_null) {
      out->SetNull(i);
    } else {
      d[i] = e.negated;
    }
  }
  return Status::OK();
}

// Correlated subqueries run once per distinct outer row.
Status EvalCorrelated(const BoundExpr& e, const Batch& input, Column* out, const ExecContext& ctx) {
  size_t n = input.num_rows;
  std::vector<Column> outer(e.correlated_outer.size());
  for (size_t k = 0; k < outer.size(); k++)
    ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.correlated_outer[k], input, &outer[k], ctx));
  Column probe;
  if (e.kind == BoundExprKind::kInSubquery) ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[0], input, &probe, ctx));
  *out = Column(e.type, n);
  out->Resize(n);
  std::unordered_map<std::string, std::shared_ptr<MaterializedData>> cache;
  for (size_t i = 0; i < n; i++) {
    std::vector<Value> vals;
    std::string key;
    for (auto& c : outer) {
      vals.push_back(c.GetValue(i));
      key += vals.back().is_null() ? std::string("\x01N") : vals.back().ToString();
      key += '\x02';
    }
    std::shared_ptr<MaterializedData> rows;
    auto it = cache.find(key);
    if (it != cache.end()) {
      rows = it->second;
    } else {
      ExecContext sub = ctx;
      sub.outer_values = &vals;
      ALOPEX_ASSIGN_OR_RETURN(rows, ExecutePlan(*e.subquery_plan, sub));
      cache.emplace(key, rows);
    }
    switch (e.kind) {
      case BoundExprKind::kExists:
        out->data<uint8_t>()[i] = (rows->num_rows > 0) != e.negated;
        break;
      case BoundExprKind::kSubquery: {
        if (rows->num_rows > 1)
          return Status::InvalidArgument("more than one row returned by a subquery used as an expression");
        Value v = Value::Null(e.type);
        for (const auto& b : rows->batches)
          if (b.num_rows) v = b.columns[0].GetValue(0);
        out->SetValue(i, v);
        break;
      }
      case BoundExprKind::kInSubquery: {
        Value x = probe.GetValue(i);
        if (x.is_null()) {
          out->SetNull(i);
          break;
        }
        bool found = false, saw_null = false;
        for (const auto& b : rows->batches)
          for (size_t r = 0; r < b.num_rows && !found; r++) {
            if (!b.columns[0].IsValid(r)) {
              saw_null = true;
              continue;
            }
            found = ValuesEqual(probe, i, b.columns[0], r);
          }
        if (found)
          out->data<uint8_t>()[i] = !e.negated;
        else if (saw_null)
          out->SetNull(i);
        else
          out->data<uint8_t>()[i] = e.negated;
        break;
      }
      default:
        break;
    }
  }
  return Status::OK();
}

}  // namespace

Batch GatherBatch(const Batch& input, const uint32_t* sel, size_t n) {
  Batch b;
  b.num_rows = n;
  b.columns.reserve(input.columns.size());
  for (const auto& c : input.columns) {
    Column g(c.type(), n);
    g.Gather(c, sel, n);
    b.columns.push_back(std::move(g));
  }
  return b;
}

Status EvaluateExpression(const BoundExpr& e, const Batch& input, Column* out, const ExecContext& ctx) {
  size_t n = input.num_rows;
  switch (e.kind) {
    case BoundExprKind::kConstant:
      Broadcast(e.value.is_null() ? Value::Null(e.type) : e.value, n, out);
      return Status::OK();
    case BoundExprKind::kColumnRef: {
      const Column& src = input.columns[size_t(e.column_index)];
      *out = Column(src.type(), n);
      out->CopyFrom(src, 0, 0, n);
      return Status::OK();
    }
    case BoundExprKind::kCorrelatedColumn: {
      const Value& v = ctx.outer_values ? (*ctx.outer_values)[size_t(e.column_index)] : Value::Null(e.type);
      *out = Column::Constant(v.is_null() ? Value::Null(e.type) : v, n);
      return Status::OK();
    }
    case BoundExprKind::kFunction:
      return EvalFunction(e, input, out, ctx);
    case BoundExprKind::kCast: {
      Column in;
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[0], input, &in, ctx));
      if (in.type() == e.type) {
        *out = std::move(in);
        return Status::OK();
      }
      return CastColumn(in, e.type, out, e.try_cast);
    }
    case BoundExprKind::kCase:
      return EvalCase(e, input, out, ctx);
    case BoundExprKind::kAnd:
    case BoundExprKind::kOr:
      return EvalConjunction(e, input, out, ctx);
    case BoundExprKind::kNot: {
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[0], input, out, ctx));
      uint8_t* d = out->data<uint8_t>();
      for (size_t i = 0; i < n; i++) d[i] = !d[i];
      return Status::OK();
    }
    case BoundExprKind::kIsNull: {
      Column in;
      ALOPEX_RETURN_IF_ERROR(EvaluateExpression(*e.children[0], input, &in, ctx));
      *out = Column(LogicalType(TypeId::kBoolean), n);
      out->Resize(n);
      uint8_t* d = out->data<uint8_t>();
      for (size_t i = 0; i < n; i++) d[i] = (!in.IsValid(i)) != e.negated;
      return Status::OK();
    }
    case BoundExprKind::kInSet:
      return EvalInSet(e, e.set_values, e.set_has_null, input, out, ctx);
    case BoundExprKind::kSubquery:
    case BoundExprKind::kExists:
    case BoundExprKind::kInSubquery:
      return EvalCorrelated(e, input, out, ctx);
  }
  return Status::Internal("unknown expression kind");
}

Status SelectRows(const BoundExpr& condition, const Batch& input, std::vector<uint32_t>* sel,
                  const ExecContext& ctx) {
  Column c;
  ALOPEX_RETURN_IF_ERROR(EvaluateExpression(condition, input, &c, ctx));
  sel->clear();
  const uint8_t* d = c.data<uint8_t>();
  size_t n = input.num_rows;
  if (!c.MayHaveNulls()) {
    for (size_t i = 0; i < n; i++)
      if (d[i]) sel->push_back(uint32_t(i));
  } else {
    for (size_t i = 0; i < n; i++)
      if (d[i] && c.IsValid(i)) sel->push_back(uint32_t(i));
  }
  return Status::OK();
}

Result<Value> EvaluateConstant(const BoundExpr& expr, const ExecContext& ctx) {
  Batch one;
  one.num_rows = 1;
  Column out;
  ALOPEX_RETURN_IF_ERROR(EvaluateExpression(expr, one, &out, ctx));
  return out.GetValue(0);
}

}  // namespace alopex
