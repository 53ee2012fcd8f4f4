#include "exec/column_predicates.h"

#include "exec/plan.h"

namespace alopex {

void ReferencedColumns(const BoundExpr& e, std::vector<int>* out, bool* unsafe) {
  switch (e.kind) {
    case BoundExprKind::kColumnRef:
      out->push_back(e.column_index);
      break;
    case BoundExprKind::kSubquery:
    case BoundExprKind::kExists:
    case BoundExprKind::kInSubquery:
    case BoundExprKind::kCorrelatedColumn:
      *unsafe = true;
      break;
    case BoundExprKind::kFunction:
      if (e.function.volatile_result) *unsafe = true;
      break;
    default:
      break;
  }
  for (const auto& c : e.children) ReferencedColumns(*c, out, unsafe);
}

std::optional<ColumnPredicate> ToColumnPredicate(const BoundExpr& f,
                                                 const std::function<std::string(int column)>& column_name) {
  using Op = ColumnPredicate::Op;
  // Nested and vector columns have no min/max statistics to compare with.
  auto name_of = [&](const BoundExpr& e) -> std::string {
    if (e.kind != BoundExprKind::kColumnRef || e.column_index < 0) return "";
    if (e.type.IsNested() || e.type.id() == TypeId::kVector) return "";
    return column_name(e.column_index);
  };
  if (f.kind == BoundExprKind::kIsNull && f.children.size() == 1) {
    std::string c = name_of(*f.children[0]);
    if (c.empty()) return std::nullopt;
    return ColumnPredicate{c, f.negated ? Op::kIsNotNull : Op::kIsNull, Value(), {}};
  }
  if (f.kind == BoundExprKind::kInSet && !f.negated && !f.set_has_null && f.children.size() == 1) {
    std::string c = name_of(*f.children[0]);
    if (c.empty() || f.set_values.empty()) return std::nullopt;
    return ColumnPredicate{c, Op::kIn, Value(), f.set_values};
  }
  if (f.kind != BoundExprKind::kFunction || f.children.size() != 2) return std::nullopt;
  static const std::pair<const char*, Op> kOps[] = {{"=", Op::kEq},  {"<>", Op::kNe}, {"<", Op::kLt},
                                                    {"<=", Op::kLe}, {">", Op::kGt},  {">=", Op::kGe}};
  std::optional<Op> op;
  for (const auto& [name, o] : kOps)
    if (f.function.name == name) op = o;
  if (!op) return std::nullopt;
  const BoundExpr* col = f.children[0].get();
  const BoundExpr* lit = f.children[1].get();
  if (col->kind == BoundExprKind::kConstant) {
    std::swap(col, lit);
    switch (*op) {  // x < c  ⇔  c > x
      case Op::kLt: op = Op::kGt; break;
      case Op::kLe: op = Op::kGe; break;
      case Op::kGt: op = Op::kLt; break;
      case Op::kGe: op = Op::kLe; break;
      default: break;
    }
  }
  std::string c = name_of(*col);
  if (c.empty() || lit->kind != BoundExprKind::kConstant || lit->value.is_null()) return std::nullopt;
  return ColumnPredicate{c, *op, lit->value, {}};
}

std::vector<ColumnPredicate> ToColumnPredicates(const std::vector<BoundExprPtr>& conjuncts,
                                                const std::function<std::string(int column)>& column_name) {
  std::vector<ColumnPredicate> out;
  for (const auto& c : conjuncts)
    if (auto p = ToColumnPredicate(*c, column_name)) out.push_back(std::move(*p));
  return out;
}

}  // namespace alopex
