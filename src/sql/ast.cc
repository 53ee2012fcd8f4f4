#include "sql/ast.h"

#include <cctype>
#include <charconv>

namespace alopex::sql {

namespace {

// A name as SQL would spell it: bare when it reads back the same, "quoted" otherwise.
std::string QuoteIdentifier(const std::string& name) {
  bool bare = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) bare = false;
  }
  if (bare) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string QuoteString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string Int128ToString(int128_t x) {
  if (x == 0) return "0";
  bool negative = x < 0;
  // Work on negative values so the most negative one does not overflow.
  std::string digits;
  int128_t v = negative ? x : -x;
  while (v != 0) {
    digits.push_back(char('0' - int(v % 10)));
    v /= 10;
  }
  if (negative) digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

std::string ConstantToString(const Value& v) {
  if (v.is_null()) return "NULL";
  const LogicalType& type = v.type();
  switch (type.id()) {
    case TypeId::kBoolean: return v.GetBool() ? "true" : "false";
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt: return std::to_string(v.GetInt64());
    case TypeId::kDecimal: {
      int128_t unscaled = v.GetInt128();
      std::string digits = Int128ToString(unscaled < 0 ? -unscaled : unscaled);
      int scale = type.scale();
      if (scale > 0) {
        if (int(digits.size()) <= scale) digits.insert(0, size_t(scale + 1 - int(digits.size())), '0');
        digits.insert(digits.size() - size_t(scale), ".");
      }
      return (unscaled < 0 ? "-" : "") + digits;
    }
    case TypeId::kFloat:
    case TypeId::kDouble: {
      char buf[64];
      auto result = std::to_chars(buf, buf + sizeof(buf), v.GetDouble());
      return std::string(buf, result.ptr);
    }
    case TypeId::kVarchar:
    case TypeId::kJson: return QuoteString(v.GetString());
    default: return "CAST(? AS " + type.ToString() + ")";
  }
}

void AppendList(std::string* out, const std::vector<ExprPtr>& items, size_t from = 0) {
  for (size_t i = from; i < items.size(); i++) {
    if (i > from) *out += ", ";
    *out += items[i] ? items[i]->ToString() : "";
  }
}

std::string OrderByToString(const std::vector<OrderItem>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); i++) {
    if (i > 0) out += ", ";
    out += items[i].expr->ToString();
    if (items[i].direction == OrderDirection::kDescending) out += " DESC";
    if (items[i].nulls == NullOrder::kNullsFirst) out += " NULLS FIRST";
    if (items[i].nulls == NullOrder::kNullsLast) out += " NULLS LAST";
  }
  return out;
}

std::string FrameBoundToString(const FrameBound& bound) {
  switch (bound.kind) {
    case FrameBoundKind::kUnboundedPreceding: return "UNBOUNDED PRECEDING";
    case FrameBoundKind::kPreceding: return bound.offset->ToString() + " PRECEDING";
    case FrameBoundKind::kCurrentRow: return "CURRENT ROW";
    case FrameBoundKind::kFollowing: return bound.offset->ToString() + " FOLLOWING";
    case FrameBoundKind::kUnboundedFollowing: return "UNBOUNDED FOLLOWING";
  }
  return "";
}

std::string WindowToString(const WindowSpec& w) {
  std::string out;
  if (!w.partition_by.empty()) {
    out += "PARTITION BY ";
    AppendList(&out, w.partition_by);
  }
  if (!w.order_by.empty()) {
    if (!out.empty()) out += " ";
    out += "ORDER BY " + OrderByToString(w.order_by);
  }
  if (w.has_frame) {
    if (!out.empty()) out += " ";
    out += w.frame_rows ? "ROWS" : "RANGE";
    out += " BETWEEN " + FrameBoundToString(w.frame_start) + " AND " + FrameBoundToString(w.frame_end);
  }
  return "(" + out + ")";
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string NameToString(const QualifiedName& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); i++) {
    if (i > 0) out += ".";
    out += QuoteIdentifier(name[i]);
  }
  return out;
}

std::string Expr::ToString() const {
  auto child = [&](size_t i) { return i < children.size() && children[i] ? children[i]->ToString() : ""; };
  std::string out;
  switch (kind) {
    case ExprKind::kConstant: return ConstantToString(value);
    case ExprKind::kColumnRef: {
      QualifiedName full = qualifiers;
      full.push_back(name);
      return NameToString(full);
    }
    case ExprKind::kStar:
      out = qualifiers.empty() ? "*" : NameToString(qualifiers) + ".*";
      if (!exclude.empty()) {
        out += " EXCLUDE (";
        for (size_t i = 0; i < exclude.size(); i++) out += (i > 0 ? ", " : "") + QuoteIdentifier(exclude[i]);
        out += ")";
      }
      return out;
    case ExprKind::kParameter: return "$" + std::to_string(param_index);
    case ExprKind::kFunction: {
      if (!qualifiers.empty()) out = NameToString(qualifiers) + ".";
      out += name + "(";
      if (distinct) out += "DISTINCT ";
      for (size_t i = 0; i < children.size(); i++) {
        if (i > 0) out += ", ";
        if (!children[i]->arg_name.empty()) out += children[i]->arg_name + " => ";
        out += children[i]->ToString();
      }
      if (!order_by.empty()) out += " ORDER BY " + OrderByToString(order_by);
      if (ignore_nulls) out += " IGNORE NULLS";
      out += ")";
      if (filter) out += " FILTER (WHERE " + filter->ToString() + ")";
      if (window) out += " OVER " + WindowToString(*window);
      return out;
    }
    case ExprKind::kUnary:
      if (name == "NOT") return "(NOT " + child(0) + ")";
      return "(" + name + child(0) + ")";
    case ExprKind::kBinary: return "(" + child(0) + " " + name + " " + child(1) + ")";
    case ExprKind::kCast:
      return std::string(try_cast ? "TRY_CAST(" : "CAST(") + child(0) + " AS " + cast_type.ToString() + ")";
    case ExprKind::kCase: {
      out = "CASE";
      if (!children.empty() && children[0]) out += " " + child(0);
      for (size_t i = 1; i + 2 < children.size(); i += 2)
        out += " WHEN " + child(i) + " THEN " + child(i + 1);
      if (children.size() >= 2 && children.back()) out += " ELSE " + children.back()->ToString();
      return out + " END";
    }
    case ExprKind::kIsNull: return "(" + child(0) + (negated ? " IS NOT NULL)" : " IS NULL)");
    case ExprKind::kBetween:
      return "(" + child(0) + (negated ? " NOT BETWEEN " : " BETWEEN ") + child(1) + " AND " + child(2) + ")";
    case ExprKind::kLike: {
      std::string op = name == "similar" ? "SIMILAR TO" : Upper(name);
      out = "(" + child(0) + (negated ? " NOT " : " ") + op + " " + child(1);
      if (children.size() > 2) out += " ESCAPE " + child(2);
      return out + ")";
    }
    case ExprKind::kInList:
      out = "(" + child(0) + (negated ? " NOT IN (" : " IN (");
      AppendList(&out, children, 1);
      return out + "))";
    case ExprKind::kInSubquery:
      if (!name.empty()) return "(" + child(0) + " " + name + (quantifier_all ? " ALL" : " ANY") + " (SELECT ...))";
      return "(" + child(0) + (negated ? " NOT IN " : " IN ") + "(SELECT ...))";
    case ExprKind::kExists: return negated ? "(NOT EXISTS (SELECT ...))" : "EXISTS (SELECT ...)";
    case ExprKind::kSubquery: return "(SELECT ...)";
    case ExprKind::kList:
      out = "[";
      AppendList(&out, children);
      return out + "]";
    case ExprKind::kStruct:
      out = "{";
      for (size_t i = 0; i < children.size(); i++) {
        if (i > 0) out += ", ";
        out += QuoteString(i < field_names.size() ? field_names[i] : "") + ": " + child(i);
      }
      return out + "}";
    case ExprKind::kSubscript:
      if (is_slice) return child(0) + "[" + child(1) + ":" + child(2) + "]";
      return child(0) + "[" + child(1) + "]";
    case ExprKind::kInterval:
      if (name.empty()) return "INTERVAL " + child(0);
      return "INTERVAL " + child(0) + " " + Upper(name);
    case ExprKind::kDefault: return "DEFAULT";
    case ExprKind::kLambda: {
      std::string params;
      for (size_t i = 0; i < lambda_params.size(); i++) params += (i > 0 ? ", " : "") + lambda_params[i];
      if (lambda_params.size() != 1) params = "(" + params + ")";
      return "(" + params + " -> " + child(0) + ")";
    }
  }
  return out;
}

}  // namespace alopex::sql
