#include <algorithm>
#include <cctype>

#include "alopex/types.h"

namespace alopex {

bool LogicalType::IsInteger() const {
  switch (id_) {
    case TypeId::kTinyInt: case TypeId::kSmallInt: case TypeId::kInteger: case TypeId::kBigInt:
    case TypeId::kUTinyInt: case TypeId::kUSmallInt: case TypeId::kUInteger: case TypeId::kUBigInt:
      return true;
    default:
      return false;
  }
}

bool LogicalType::IsSigned() const {
  switch (id_) {
    case TypeId::kTinyInt: case TypeId::kSmallInt: case TypeId::kInteger: case TypeId::kBigInt:
    case TypeId::kFloat: case TypeId::kDouble: case TypeId::kDecimal:
      return true;
    default:
      return false;
  }
}

bool LogicalType::IsNumeric() const { return IsInteger() || IsFloating() || id_ == TypeId::kDecimal; }

bool LogicalType::IsTemporal() const {
  return id_ == TypeId::kDate || id_ == TypeId::kTime || id_ == TypeId::kTimestamp ||
         id_ == TypeId::kTimestampTz || id_ == TypeId::kInterval;
}

bool LogicalType::operator==(const LogicalType& o) const {
  if (id_ != o.id_ || width_ != o.width_ || scale_ != o.scale_ || children_.size() != o.children_.size())
    return false;
  for (size_t i = 0; i < children_.size(); i++) {
    if (id_ == TypeId::kStruct && children_[i].name != o.children_[i].name) return false;
    if (*children_[i].type != *o.children_[i].type) return false;
  }
  return true;
}

std::string LogicalType::ToString() const {
  switch (id_) {
    case TypeId::kNull: return "NULL";
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kTinyInt: return "TINYINT";
    case TypeId::kSmallInt: return "SMALLINT";
    case TypeId::kInteger: return "INTEGER";
    case TypeId::kBigInt: return "BIGINT";
    case TypeId::kUTinyInt: return "UTINYINT";
    case TypeId::kUSmallInt: return "USMALLINT";
    case TypeId::kUInteger: return "UINTEGER";
    case TypeId::kUBigInt: return "UBIGINT";
    case TypeId::kFloat: return "FLOAT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kDecimal: return "DECIMAL(" + std::to_string(width_) + "," + std::to_string(scale_) + ")";
    case TypeId::kVarchar: return "VARCHAR";
    case TypeId::kBlob: return "BLOB";
    case TypeId::kDate: return "DATE";
    case TypeId::kTime: return "TIME";
    case TypeId::kTimestamp: return "TIMESTAMP";
    case TypeId::kTimestampTz: return "TIMESTAMPTZ";
    case TypeId::kInterval: return "INTERVAL";
    case TypeId::kUuid: return "UUID";
    case TypeId::kJson: return "JSONB";
    case TypeId::kVector: return "VECTOR(" + std::to_string(width_) + ")";
    case TypeId::kList: return child().ToString() + "[]";
    case TypeId::kStruct: {
      std::string s = "STRUCT(";
      for (size_t i = 0; i < children_.size(); i++) {
        if (i) s += ", ";
        s += children_[i].name + " " + children_[i].type->ToString();
      }
      return s + ")";
    }
    case TypeId::kMap: return "MAP(" + key_type().ToString() + ", " + value_type().ToString() + ")";
  }
  return "?";
}

size_t PhysicalSize(const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kNull: return 1;
    case TypeId::kBoolean: case TypeId::kTinyInt: case TypeId::kUTinyInt: return 1;
    case TypeId::kSmallInt: case TypeId::kUSmallInt: return 2;
    case TypeId::kInteger: case TypeId::kUInteger: case TypeId::kFloat: case TypeId::kDate: return 4;
    case TypeId::kBigInt: case TypeId::kUBigInt: case TypeId::kDouble: case TypeId::kTime:
    case TypeId::kTimestamp: case TypeId::kTimestampTz: return 8;
    case TypeId::kDecimal: return type.width() <= 18 ? 8 : 16;
    case TypeId::kVarchar: case TypeId::kBlob: case TypeId::kJson: return 16;
    case TypeId::kInterval: return 16;
    case TypeId::kUuid: return 16;
    case TypeId::kVector: return 4 * size_t(type.dimension());
    case TypeId::kList: case TypeId::kMap: return 16;
    case TypeId::kStruct: return 0;
  }
  return 0;
}

namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) b++;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) e--;
  return s.substr(b, e - b);
}

std::string Upper(std::string s) {
  for (auto& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Splits "a, b(c, d), e" at top-level commas.
std::vector<std::string> SplitTopLevel(const std::string& s) {
  std::vector<std::string> parts;
  int depth = 0;
  std::string cur;
  for (char c : s) {
    if (c == '(') depth++;
    if (c == ')') depth--;
    if (c == ',' && depth == 0) {
      parts.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!Trim(cur).empty()) parts.push_back(Trim(cur));
  return parts;
}

}  // namespace

Result<LogicalType> LogicalType::Parse(const std::string& text) {
  std::string s = Trim(text);
  if (s.empty()) return Status::SyntaxError("empty type name");
  if (s.size() >= 2 && s.substr(s.size() - 2) == "[]") {
    ALOPEX_ASSIGN_OR_RETURN(LogicalType child, Parse(s.substr(0, s.size() - 2)));
    return List(std::move(child));
  }
  // FLOAT[768] is DuckDB's fixed-size array: we read it as VECTOR(768) for floats.
  if (s.back() == ']') {
    size_t lb = s.rfind('[');
    if (lb != std::string::npos) {
      ALOPEX_ASSIGN_OR_RETURN(LogicalType child, Parse(s.substr(0, lb)));
      int n = std::atoi(s.substr(lb + 1).c_str());
      if (n <= 0) return Status::SyntaxError("invalid array size in type \"" + text + "\"");
      if (child.id() == TypeId::kFloat) return Vector(n);
      return List(std::move(child));
    }
  }
  std::string args;
  std::string name = s;
  size_t lp = s.find('(');
  if (lp != std::string::npos) {
    if (s.back() != ')') return Status::SyntaxError("unbalanced parentheses in type \"" + text + "\"");
    args = s.substr(lp + 1, s.size() - lp - 2);
    name = Trim(s.substr(0, lp));
  }
  std::string u = Upper(name);
  auto no_args = [&](LogicalType t) -> Result<LogicalType> {
    if (!args.empty() && t.id() != TypeId::kVarchar)
      return Status::SyntaxError("type " + u + " takes no arguments");
    return t;
  };
  if (u == "BOOLEAN" || u == "BOOL") return no_args(TypeId::kBoolean);
  if (u == "TINYINT" || u == "INT1") return no_args(TypeId::kTinyInt);
  if (u == "SMALLINT" || u == "INT2" || u == "SHORT") return no_args(TypeId::kSmallInt);
  if (u == "INTEGER" || u == "INT" || u == "INT4" || u == "SIGNED") return no_args(TypeId::kInteger);
  if (u == "BIGINT" || u == "INT8" || u == "LONG") return no_args(TypeId::kBigInt);
  if (u == "UTINYINT") return no_args(TypeId::kUTinyInt);
  if (u == "USMALLINT") return no_args(TypeId::kUSmallInt);
  if (u == "UINTEGER") return no_args(TypeId::kUInteger);
  if (u == "UBIGINT") return no_args(TypeId::kUBigInt);
  if (u == "FLOAT" || u == "REAL" || u == "FLOAT4") return no_args(TypeId::kFloat);
  if (u == "DOUBLE" || u == "FLOAT8" || u == "DOUBLE PRECISION") return no_args(TypeId::kDouble);
  if (u == "VARCHAR" || u == "TEXT" || u == "STRING" || u == "CHAR" || u == "BPCHAR" ||
      u == "CHARACTER VARYING")
    return LogicalType(TypeId::kVarchar);
  if (u == "BLOB" || u == "BYTEA" || u == "BINARY" || u == "VARBINARY") return no_args(TypeId::kBlob);
  if (u == "DATE") return no_args(TypeId::kDate);
  if (u == "TIME") return no_args(TypeId::kTime);
  if (u == "TIMESTAMP" || u == "DATETIME" || u == "TIMESTAMP WITHOUT TIME ZONE") return no_args(TypeId::kTimestamp);
  if (u == "TIMESTAMPTZ" || u == "TIMESTAMP WITH TIME ZONE") return no_args(TypeId::kTimestampTz);
  if (u == "INTERVAL") return no_args(TypeId::kInterval);
  if (u == "UUID") return no_args(TypeId::kUuid);
  if (u == "JSON" || u == "JSONB") return no_args(TypeId::kJson);
  if (u == "DECIMAL" || u == "NUMERIC") {
    if (args.empty()) return Decimal(18, 3);
    auto parts = SplitTopLevel(args);
    int w = std::atoi(parts[0].c_str());
    int sc = parts.size() > 1 ? std::atoi(parts[1].c_str()) : 0;
    if (w < 1 || w > 38 || sc < 0 || sc > w)
      return Status::SyntaxError("invalid DECIMAL(" + args + "): width must be 1-38 and scale 0-width");
    return Decimal(w, sc);
  }
  if (u == "VECTOR") {
    int n = std::atoi(args.c_str());
    if (args.empty() || n <= 0 || n > 65536)
      return Status::SyntaxError("VECTOR needs a dimension between 1 and 65536, as in VECTOR(384)");
    return Vector(n);
  }
  if (u == "LIST") {
    ALOPEX_ASSIGN_OR_RETURN(LogicalType child, Parse(args));
    return List(std::move(child));
  }
  if (u == "MAP") {
    auto parts = SplitTopLevel(args);
    if (parts.size() != 2) return Status::SyntaxError("MAP needs a key and a value type, as in MAP(VARCHAR, INTEGER)");
    ALOPEX_ASSIGN_OR_RETURN(LogicalType k, Parse(parts[0]));
    ALOPEX_ASSIGN_OR_RETURN(LogicalType v, Parse(parts[1]));
    return Map(std::move(k), std::move(v));
  }
  if (u == "STRUCT" || u == "ROW") {
    std::vector<std::pair<std::string, LogicalType>> fields;
    for (const auto& part : SplitTopLevel(args)) {
      size_t sp = part.find_first_of(" \t");
      if (sp == std::string::npos) return Status::SyntaxError("STRUCT field \"" + part + "\" needs a name and a type");
      std::string fname = part.substr(0, sp);
      if (fname.size() >= 2 && fname.front() == '"' && fname.back() == '"') fname = fname.substr(1, fname.size() - 2);
      ALOPEX_ASSIGN_OR_RETURN(LogicalType ft, Parse(part.substr(sp + 1)));
      fields.emplace_back(fname, std::move(ft));
    }
    return Struct(std::move(fields));
  }
  return Status::SyntaxError("unknown type \"" + text + "\"");
}

namespace {

int IntegerRank(TypeId id) {
  switch (id) {
    case TypeId::kBoolean: return 0;
    case TypeId::kTinyInt: return 1;
    case TypeId::kUTinyInt: return 2;
    case TypeId::kSmallInt: return 3;
    case TypeId::kUSmallInt: return 4;
    case TypeId::kInteger: return 5;
    case TypeId::kUInteger: return 6;
    case TypeId::kBigInt: return 7;
    case TypeId::kUBigInt: return 8;
    default: return -1;
  }
}

int DecimalDigitsOf(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: case TypeId::kUTinyInt: return 3;
    case TypeId::kSmallInt: case TypeId::kUSmallInt: return 5;
    case TypeId::kInteger: case TypeId::kUInteger: return 10;
    case TypeId::kBigInt: return 19;
    case TypeId::kUBigInt: return 20;
    default: return 38;
  }
}

}  // namespace

Result<LogicalType> CommonSuperType(const LogicalType& a, const LogicalType& b) {
  if (a == b) return a;
  if (a.id() == TypeId::kNull) return b;
  if (b.id() == TypeId::kNull) return a;
  TypeId x = a.id(), y = b.id();
  if (a.IsInteger() && b.IsInteger()) {
    int rx = IntegerRank(x), ry = IntegerRank(y);
    bool sx = a.IsSigned(), sy = b.IsSigned();
    if (sx == sy) return rx > ry ? a : b;
    // Mixed signedness: a signed type wide enough for both.
    const LogicalType& u = sx ? b : a;
    switch (u.id()) {
      case TypeId::kUTinyInt: return std::max(rx, ry) <= IntegerRank(TypeId::kSmallInt) ? LogicalType(TypeId::kSmallInt) : (sx ? a : b);
      case TypeId::kUSmallInt: return std::max(rx, ry) <= IntegerRank(TypeId::kInteger) ? LogicalType(TypeId::kInteger) : (sx ? a : b);
      case TypeId::kUInteger: return LogicalType(TypeId::kBigInt);
      default: return LogicalType::Decimal(38, 0);
    }
  }
  if (x == TypeId::kBoolean && b.IsNumeric()) return b;
  if (y == TypeId::kBoolean && a.IsNumeric()) return a;
  if (a.IsFloating() || b.IsFloating()) {
    if ((a.IsNumeric() || x == TypeId::kBoolean) && (b.IsNumeric() || y == TypeId::kBoolean)) {
      if (x == TypeId::kFloat && (y == TypeId::kFloat || b.IsInteger())) return LogicalType(TypeId::kFloat);
      if (y == TypeId::kFloat && a.IsInteger()) return LogicalType(TypeId::kFloat);
      return LogicalType(TypeId::kDouble);
    }
  }
  if (x == TypeId::kDecimal || y == TypeId::kDecimal) {
    if (a.IsNumeric() && b.IsNumeric()) {
      int sa = x == TypeId::kDecimal ? a.scale() : 0, sb = y == TypeId::kDecimal ? b.scale() : 0;
      int ia = x == TypeId::kDecimal ? a.width() - sa : DecimalDigitsOf(x);
      int ib = y == TypeId::kDecimal ? b.width() - sb : DecimalDigitsOf(y);
      int scale = std::max(sa, sb);
      int width = std::min(38, std::max(ia, ib) + scale);
      return LogicalType::Decimal(width, scale);
    }
  }
  // Strings meet anything printable as text only when one side is an untyped literal;
  // the binder handles literals before asking here, so VARCHAR with another type is
  // resolved toward the other type for comparisons.
  if (x == TypeId::kVarchar && (b.IsTemporal() || y == TypeId::kUuid || y == TypeId::kJson)) return b;
  if (y == TypeId::kVarchar && (a.IsTemporal() || x == TypeId::kUuid || x == TypeId::kJson)) return a;
  if (x == TypeId::kJson && y == TypeId::kVarchar) return a;
  if ((x == TypeId::kDate && (y == TypeId::kTimestamp || y == TypeId::kTimestampTz))) return b;
  if ((y == TypeId::kDate && (x == TypeId::kTimestamp || x == TypeId::kTimestampTz))) return a;
  if ((x == TypeId::kTimestamp && y == TypeId::kTimestampTz) || (y == TypeId::kTimestamp && x == TypeId::kTimestampTz))
    return LogicalType(TypeId::kTimestampTz);
  if (x == TypeId::kList && y == TypeId::kList) {
    ALOPEX_ASSIGN_OR_RETURN(LogicalType c, CommonSuperType(a.child(), b.child()));
    return LogicalType::List(std::move(c));
  }
  if (x == TypeId::kVector && y == TypeId::kList && b.child().IsNumeric()) return a;
  if (y == TypeId::kVector && x == TypeId::kList && a.child().IsNumeric()) return b;
  if (x == TypeId::kStruct && y == TypeId::kStruct && a.fields().size() == b.fields().size()) {
    std::vector<std::pair<std::string, LogicalType>> fields;
    for (size_t i = 0; i < a.fields().size(); i++) {
      ALOPEX_ASSIGN_OR_RETURN(LogicalType f, CommonSuperType(*a.fields()[i].type, *b.fields()[i].type));
      fields.emplace_back(a.fields()[i].name, std::move(f));
    }
    return LogicalType::Struct(std::move(fields));
  }
  return Status::BinderError("cannot combine types " + a.ToString() + " and " + b.ToString());
}

}  // namespace alopex
