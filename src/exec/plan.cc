#include "exec/plan.h"

#include "exec/table_function.h"
#include "storage/table.h"

namespace alopex {

BoundExprPtr BoundExpr::Copy() const {
  auto e = std::make_unique<BoundExpr>(kind, type);
  e->value = value;
  e->column_index = column_index;
  for (const auto& c : children) e->children.push_back(c->Copy());
  e->function = function;
  e->try_cast = try_cast;
  e->negated = negated;
  e->set_values = set_values;
  e->set_has_null = set_has_null;
  e->subquery_plan = subquery_plan;
  for (const auto& c : correlated_outer) e->correlated_outer.push_back(c->Copy());
  e->alias = alias;
  return e;
}

bool BoundExpr::IsFoldable() const {
  switch (kind) {
    case BoundExprKind::kConstant: return true;
    case BoundExprKind::kColumnRef:
    case BoundExprKind::kCorrelatedColumn:
    case BoundExprKind::kSubquery:
    case BoundExprKind::kExists:
    case BoundExprKind::kInSubquery:
      return false;
    case BoundExprKind::kFunction:
      if (function.volatile_result) return false;
      break;
    default:
      break;
  }
  for (const auto& c : children)
    if (!c->IsFoldable()) return false;
  return true;
}

std::string BoundExpr::ToString() const {
  auto join = [&](const char* sep) {
    std::string s;
    for (size_t i = 0; i < children.size(); i++) s += (i ? sep : "") + children[i]->ToString();
    return s;
  };
  switch (kind) {
    case BoundExprKind::kConstant: return value.is_null() ? "NULL" : value.ToSqlLiteral();
    case BoundExprKind::kColumnRef: return alias.empty() ? "#" + std::to_string(column_index) : alias;
    case BoundExprKind::kCorrelatedColumn: return "outer#" + std::to_string(column_index);
    case BoundExprKind::kFunction: {
      const std::string& f = function.name;
      bool op = !f.empty() && !std::isalpha(static_cast<unsigned char>(f[0]));
      if (op && children.size() == 2) return "(" + children[0]->ToString() + " " + f + " " + children[1]->ToString() + ")";
      return f + "(" + join(", ") + ")";
    }
    case BoundExprKind::kCast: return "CAST(" + children[0]->ToString() + " AS " + type.ToString() + ")";
    case BoundExprKind::kCase: return "CASE(" + join(", ") + ")";
    case BoundExprKind::kAnd: return "(" + join(" AND ") + ")";
    case BoundExprKind::kOr: return "(" + join(" OR ") + ")";
    case BoundExprKind::kNot: return "(NOT " + children[0]->ToString() + ")";
    case BoundExprKind::kIsNull: return "(" + children[0]->ToString() + (negated ? " IS NOT NULL)" : " IS NULL)");
    case BoundExprKind::kInSet: {
      std::string s = "(" + children[0]->ToString() + (negated ? " NOT IN (" : " IN (");
      for (size_t i = 0; i < set_values.size(); i++) s += (i ? ", " : "") + set_values[i].ToSqlLiteral();
      return s + "))";
    }
    case BoundExprKind::kSubquery: return "(SUBQUERY)";
    case BoundExprKind::kExists: return negated ? "NOT EXISTS(SUBQUERY)" : "EXISTS(SUBQUERY)";
    case BoundExprKind::kInSubquery: return "(" + children[0]->ToString() + (negated ? " NOT IN (SUBQUERY))" : " IN (SUBQUERY))");
  }
  return "?";
}

BoundExprPtr MakeConstant(Value v) {
  auto e = std::make_unique<BoundExpr>(BoundExprKind::kConstant, v.type());
  e->value = std::move(v);
  return e;
}

BoundExprPtr MakeColumnRef(int index, LogicalType type, std::string name) {
  auto e = std::make_unique<BoundExpr>(BoundExprKind::kColumnRef, std::move(type));
  e->column_index = index;
  e->alias = std::move(name);
  return e;
}

BoundExprPtr MakeCast(BoundExprPtr child, const LogicalType& to, bool try_cast) {
  if (child->type == to) return child;
  auto e = std::make_unique<BoundExpr>(BoundExprKind::kCast, to);
  e->try_cast = try_cast;
  e->children.push_back(std::move(child));
  return e;
}

BoundAggregate BoundAggregate::Copy() const {
  BoundAggregate a;
  a.kind = kind;
  a.name = name;
  a.type = type;
  for (const auto& e : args) a.args.push_back(e->Copy());
  a.distinct = distinct;
  if (filter) a.filter = filter->Copy();
  for (const auto& e : order_by) a.order_by.push_back(e->Copy());
  a.order_desc = order_desc;
  return a;
}

SortKey SortKey::Copy() const { return {expr->Copy(), descending, nulls_first}; }

namespace {
const char* KindName(PlanKind k) {
  switch (k) {
    case PlanKind::kTableScan: return "TABLE_SCAN";
    case PlanKind::kTableFunction: return "TABLE_FUNCTION";
    case PlanKind::kValues: return "VALUES";
    case PlanKind::kEmptyRow: return "DUMMY_SCAN";
    case PlanKind::kFilter: return "FILTER";
    case PlanKind::kProjection: return "PROJECTION";
    case PlanKind::kAggregate: return "HASH_GROUP_BY";
    case PlanKind::kWindow: return "WINDOW";
    case PlanKind::kHashJoin: return "HASH_JOIN";
    case PlanKind::kNestedLoopJoin: return "NESTED_LOOP_JOIN";
    case PlanKind::kSort: return "ORDER_BY";
    case PlanKind::kLimit: return "LIMIT";
    case PlanKind::kDistinct: return "DISTINCT";
    case PlanKind::kUnion: return "UNION";
    case PlanKind::kSetOperation: return "SET_OPERATION";
    case PlanKind::kUnnest: return "UNNEST";
    case PlanKind::kMaterialized: return "MATERIALIZED";
  }
  return "?";
}
const char* JoinName(PlanJoinType t) {
  switch (t) {
    case PlanJoinType::kInner: return "INNER";
    case PlanJoinType::kLeft: return "LEFT";
    case PlanJoinType::kRight: return "RIGHT";
    case PlanJoinType::kFull: return "FULL";
    case PlanJoinType::kSemi: return "SEMI";
    case PlanJoinType::kAnti: return "ANTI";
    case PlanJoinType::kMark: return "MARK";
  }
  return "?";
}
}  // namespace

std::string PlanNode::ToString(int indent) const {
  std::string pad(size_t(indent) * 2, ' ');
  std::string s = pad + KindName(kind);
  auto list = [](const std::vector<BoundExprPtr>& v) {
    std::string r;
    for (size_t i = 0; i < v.size(); i++) r += (i ? ", " : "") + v[i]->ToString();
    return r;
  };
  switch (kind) {
    case PlanKind::kTableScan:
      s += " " + table->qualified_name();
      if (!pushed_filters.empty()) s += " filters: " + list(pushed_filters);
      break;
    case PlanKind::kTableFunction: s += " " + source->ToString(); break;
    case PlanKind::kFilter: s += " " + condition->ToString(); break;
    case PlanKind::kProjection: s += " " + list(expressions); break;
    case PlanKind::kAggregate: {
      s += " groups: [" + list(groups) + "] aggregates: [";
      for (size_t i = 0; i < aggregates.size(); i++) s += (i ? ", " : "") + aggregates[i].name + "(" + list(aggregates[i].args) + ")";
      s += "]";
      break;
    }
    case PlanKind::kWindow:
      for (const auto& w : windows) s += " " + w.name + "()";
      break;
    case PlanKind::kHashJoin:
      s += std::string(" ") + JoinName(join_type) + " [" + list(left_keys) + "] = [" + list(right_keys) + "]";
      if (condition) s += " AND " + condition->ToString();
      if (has_join_projection) {
        s += " output:";
        for (int c : left_projection) s += " l#" + std::to_string(c);
        for (int c : right_projection) s += " r#" + std::to_string(c);
      }
      break;
    case PlanKind::kNestedLoopJoin:
      s += std::string(" ") + JoinName(join_type);
      if (condition) s += " " + condition->ToString();
      break;
    case PlanKind::kSort:
      for (const auto& k : sort_keys) s += " " + k.expr->ToString() + (k.descending ? " DESC" : " ASC");
      break;
    case PlanKind::kLimit:
      s += " " + std::to_string(limit) + (offset ? " OFFSET " + std::to_string(offset) : "");
      break;
    default:
      break;
  }
  s += "\n";
  for (const auto& c : children) s += c->ToString(indent + 1);
  return s;
}

}  // namespace alopex
