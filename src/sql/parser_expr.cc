// Expressions and type names.
//
// Precedence, lowest first: OR; AND; NOT; comparisons, IS, LIKE, IN, BETWEEN;
// other operators (|| -> ->> <-> <=> <#> @> <@ &&); + -; * / // %; ^; unary - + ~;
// postfix :: and [...].
#include <algorithm>
#include <climits>
#include <cstdlib>

#include "sql/parser.h"

namespace alopex::sql {

namespace {

ExprPtr MakeBinary(std::string op, ExprPtr left, ExprPtr right, size_t location) {
  auto e = std::make_unique<Expr>(ExprKind::kBinary, location);
  e->name = std::move(op);
  e->children.push_back(std::move(left));
  e->children.push_back(std::move(right));
  return e;
}

ExprPtr MakeConstant(Value value, size_t location) {
  auto e = std::make_unique<Expr>(ExprKind::kConstant, location);
  e->value = std::move(value);
  return e;
}

ExprPtr MakeFunction(std::string name, std::vector<ExprPtr> children, size_t location) {
  auto e = std::make_unique<Expr>(ExprKind::kFunction, location);
  e->name = std::move(name);
  e->children = std::move(children);
  return e;
}

// The singular name of an interval unit, or "" when `word` is not one.
std::string IntervalUnit(const std::string& word) {
  static const char* const kUnits[] = {"year",   "month",       "day",         "hour", "minute",
                                       "second", "millisecond", "microsecond", "week", "quarter",
                                       "decade", "century",     "millennium"};
  for (const char* unit : kUnits) {
    std::string_view u(unit);
    if (word == u) return word;
    if (word.size() == u.size() + 1 && word.starts_with(u) && word.back() == 's') return std::string(u);
  }
  if (word == "centuries") return "century";
  if (word == "millennia") return "millennium";
  return "";
}

// -x for a numeric constant, keeping the narrowest integer type; false if `v` is not numeric.
bool NegateConstant(Value* v) {
  if (v->is_null()) return false;
  switch (v->type().id()) {
    case TypeId::kInteger: *v = Value::Integer(int32_t(-v->GetInt64())); return true;
    case TypeId::kBigInt: {
      int64_t x = v->GetInt64();
      *v = -x >= INT32_MIN ? Value::Integer(int32_t(-x)) : Value::BigInt(-x);
      return true;
    }
    case TypeId::kDecimal: {
      int128_t x = v->GetInt128();
      if (v->type().scale() == 0 && -x >= int128_t(INT64_MIN)) {
        *v = Value::BigInt(int64_t(-x));
      } else {
        *v = Value::Decimal(-x, v->type().width(), v->type().scale());
      }
      return true;
    }
    case TypeId::kDouble: *v = Value::Double(-v->GetDouble()); return true;
    default: return false;
  }
}

bool IsComparison(std::string_view op) {
  return op == "=" || op == "==" || op == "<>" || op == "!=" || op == "<" || op == ">" || op == "<=" ||
         op == ">=";
}

bool IsOtherOperator(std::string_view op) {
  return op == "||" || op == "->" || op == "->>" || op == "<->" || op == "<=>" || op == "<#>" || op == "@>" ||
         op == "<@" || op == "&&";
}

}  // namespace

Result<ExprPtr> Parser::ParseExpr() {
  DepthGuard guard(&depth_);
  ALOPEX_RETURN_IF_ERROR(CheckDepth());
  return ParseOr();
}

Result<std::vector<ExprPtr>> Parser::ParseExprList() {
  std::vector<ExprPtr> list;
  do {
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr e, ParseExpr());
    list.push_back(std::move(e));
  } while (AcceptOp(","));
  return list;
}

Result<ExprPtr> Parser::ParseOr() {
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr left, ParseAnd());
  while (IsWord("or")) {
    size_t loc = Peek().offset;
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr right, ParseAnd());
    left = MakeBinary("OR", std::move(left), std::move(right), loc);
  }
  return left;
}

Result<ExprPtr> Parser::ParseAnd() {
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr left, ParseNot());
  while (IsWord("and")) {
    size_t loc = Peek().offset;
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr right, ParseNot());
    left = MakeBinary("AND", std::move(left), std::move(right), loc);
  }
  return left;
}

Result<ExprPtr> Parser::ParseNot() {
  if (!IsWord("not")) return ParseComparison();
  size_t loc = Peek().offset;
  Advance();
  DepthGuard guard(&depth_);
  ALOPEX_RETURN_IF_ERROR(CheckDepth());
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr operand, ParseNot());
  if (operand->kind == ExprKind::kExists && !operand->negated) {
    operand->negated = true;
    operand->location = loc;
    return operand;
  }
  auto e = std::make_unique<Expr>(ExprKind::kUnary, loc);
  e->name = "NOT";
  e->children.push_back(std::move(operand));
  return e;
}

Result<ExprPtr> Parser::ParseComparison() {
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr left, ParseOtherOperators());
  while (true) {
    const Token& t = Peek();
    size_t loc = t.offset;
    if (t.kind == TokenKind::kOperator && IsComparison(t.text)) {
      std::string op(t.text);
      if (op == "==") op = "=";
      if (op == "!=") op = "<>";
      Advance();
      // x op ANY|SOME|ALL (subquery): a quantified comparison.
      if ((IsWord("any") || IsWord("some") || IsWord("all")) && IsOp("(", 1) && AtSubqueryStart(2)) {
        bool all = IsWord("all");
        Advance();
        Advance();
        ALOPEX_ASSIGN_OR_RETURN(SelectPtr sub, ParseQuery());
        ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
        auto e = std::make_unique<Expr>(ExprKind::kInSubquery, loc);
        e->name = op;
        e->quantifier_all = all;
        e->subquery = std::move(sub);
        e->children.push_back(std::move(left));
        left = std::move(e);
        continue;
      }
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr right, ParseOtherOperators());
      left = MakeBinary(std::move(op), std::move(left), std::move(right), loc);
      continue;
    }
    if (t.kind != TokenKind::kWord) break;
    if (t.value == "is") {
      Advance();
      bool negated = AcceptWord("not");
      if (AcceptWord("null")) {
        auto e = std::make_unique<Expr>(ExprKind::kIsNull, loc);
        e->negated = negated;
        e->children.push_back(std::move(left));
        left = std::move(e);
      } else if (IsWord("true") || IsWord("false")) {
        // x IS TRUE means exactly x IS NOT DISTINCT FROM TRUE.
        ExprPtr b = MakeConstant(Value::Boolean(IsWord("true")), Peek().offset);
        Advance();
        left = MakeBinary(negated ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM", std::move(left),
                          std::move(b), loc);
      } else if (AcceptWord("distinct")) {
        ALOPEX_RETURN_IF_ERROR(ExpectWord("from"));
        ALOPEX_ASSIGN_OR_RETURN(ExprPtr right, ParseOtherOperators());
        left = MakeBinary(negated ? "IS NOT DISTINCT FROM" : "IS DISTINCT FROM", std::move(left),
                          std::move(right), loc);
      } else {
        return ErrorAtCurrent();
      }
      continue;
    }
    if (t.value == "isnull" || t.value == "notnull") {
      auto e = std::make_unique<Expr>(ExprKind::kIsNull, loc);
      e->negated = t.value == "notnull";
      Advance();
      e->children.push_back(std::move(left));
      left = std::move(e);
      continue;
    }
    bool negated = false;
    if (t.value == "not") {
      const Token& n = Peek(1);
      if (n.kind != TokenKind::kWord || !(n.value == "in" || n.value == "like" || n.value == "ilike" ||
                                          n.value == "glob" || n.value == "similar" || n.value == "between"))
        break;
      negated = true;
      Advance();
    }
    if (AcceptWord("in")) {
      if (!IsOp("(")) return ErrorAtCurrent();
      if (AtSubqueryStart(1)) {
        Advance();
        auto e = std::make_unique<Expr>(ExprKind::kInSubquery, loc);
        ALOPEX_ASSIGN_OR_RETURN(e->subquery, ParseQuery());
        ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
        e->negated = negated;
        e->children.push_back(std::move(left));
        left = std::move(e);
      } else {
        Advance();
        auto e = std::make_unique<Expr>(ExprKind::kInList, loc);
        e->negated = negated;
        e->children.push_back(std::move(left));
        ALOPEX_ASSIGN_OR_RETURN(std::vector<ExprPtr> items, ParseExprList());
        for (auto& item : items) e->children.push_back(std::move(item));
        ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
        left = std::move(e);
      }
      continue;
    }
    if (IsWord("like") || IsWord("ilike") || IsWord("glob") || IsWord("similar")) {
      std::string kind = Peek().value;
      Advance();
      if (kind == "similar") ALOPEX_RETURN_IF_ERROR(ExpectWord("to"));
      auto e = std::make_unique<Expr>(ExprKind::kLike, loc);
      e->name = kind;
      e->negated = negated;
      e->children.push_back(std::move(left));
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr pattern, ParseOtherOperators());
      e->children.push_back(std::move(pattern));
      if (AcceptWord("escape")) {
        ALOPEX_ASSIGN_OR_RETURN(ExprPtr escape, ParseOtherOperators());
        e->children.push_back(std::move(escape));
      }
      left = std::move(e);
      continue;
    }
    if (AcceptWord("between")) {
      AcceptWord("symmetric");
      auto e = std::make_unique<Expr>(ExprKind::kBetween, loc);
      e->negated = negated;
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr low, ParseOtherOperators());
      ALOPEX_RETURN_IF_ERROR(ExpectWord("and"));
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr high, ParseOtherOperators());
      e->children.push_back(std::move(left));
      e->children.push_back(std::move(low));
      e->children.push_back(std::move(high));
      left = std::move(e);
      continue;
    }
    break;
  }
  return left;
}

Result<ExprPtr> Parser::ParseOtherOperators() {
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr left, ParseAdditive());
  while (Peek().kind == TokenKind::kOperator && IsOtherOperator(Peek().text)) {
    std::string op(Peek().text);
    size_t loc = Peek().offset;
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr right, ParseAdditive());
    left = MakeBinary(std::move(op), std::move(left), std::move(right), loc);
  }
  return left;
}

Result<ExprPtr> Parser::ParseAdditive() {
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr left, ParseMultiplicative());
  while (IsOp("+") || IsOp("-")) {
    std::string op(Peek().text);
    size_t loc = Peek().offset;
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr right, ParseMultiplicative());
    left = MakeBinary(std::move(op), std::move(left), std::move(right), loc);
  }
  return left;
}

Result<ExprPtr> Parser::ParseMultiplicative() {
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr left, ParseExponent());
  while (IsOp("*") || IsOp("/") || IsOp("//") || IsOp("%")) {
    std::string op(Peek().text);
    size_t loc = Peek().offset;
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr right, ParseExponent());
    left = MakeBinary(std::move(op), std::move(left), std::move(right), loc);
  }
  return left;
}

Result<ExprPtr> Parser::ParseExponent() {
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr left, ParseUnary());
  while (IsOp("^") || IsOp("**")) {
    size_t loc = Peek().offset;
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr right, ParseUnary());
    left = MakeBinary("^", std::move(left), std::move(right), loc);
  }
  return left;
}

Result<ExprPtr> Parser::ParseUnary() {
  if (IsOp("-") || IsOp("+") || IsOp("~")) {
    std::string op(Peek().text);
    size_t loc = Peek().offset;
    Advance();
    DepthGuard guard(&depth_);
    ALOPEX_RETURN_IF_ERROR(CheckDepth());
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr operand, ParseUnary());
    if (operand->kind == ExprKind::kConstant && op != "~" && operand->value.type().IsNumeric()) {
      if (op == "+" || NegateConstant(&operand->value)) {
        operand->location = loc;
        return operand;
      }
    }
    auto e = std::make_unique<Expr>(ExprKind::kUnary, loc);
    e->name = op;
    e->children.push_back(std::move(operand));
    return e;
  }
  return ParsePostfix();
}

Result<ExprPtr> Parser::ParsePostfix() {
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr e, ParsePrimary());
  while (true) {
    if (IsOp("::")) {
      size_t loc = Peek().offset;
      Advance();
      auto cast = std::make_unique<Expr>(ExprKind::kCast, loc);
      ALOPEX_ASSIGN_OR_RETURN(cast->cast_type, ParseType());
      cast->children.push_back(std::move(e));
      e = std::move(cast);
    } else if (IsOp("[")) {
      size_t loc = Peek().offset;
      Advance();
      auto sub = std::make_unique<Expr>(ExprKind::kSubscript, loc);
      sub->children.push_back(std::move(e));
      ExprPtr first, second;
      if (!IsOp(":")) {
        ALOPEX_ASSIGN_OR_RETURN(first, ParseExpr());
      }
      if (AcceptOp(":")) {
        sub->is_slice = true;
        if (!IsOp("]")) {
          ALOPEX_ASSIGN_OR_RETURN(second, ParseExpr());
        }
      } else if (!first) {
        return ErrorAtCurrent();
      }
      ALOPEX_RETURN_IF_ERROR(ExpectOp("]"));
      sub->children.push_back(std::move(first));
      if (sub->is_slice) sub->children.push_back(std::move(second));
      e = std::move(sub);
    } else if (IsWord("at") && IsWord("time", 1) && IsWord("zone", 2)) {  // ts AT TIME ZONE 'UTC'
      size_t loc = Peek().offset;
      Advance(), Advance(), Advance();
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr zone, ParseUnary());
      std::vector<ExprPtr> args;
      args.push_back(std::move(zone));
      args.push_back(std::move(e));
      e = MakeFunction("timezone", std::move(args), loc);
    } else {
      return e;
    }
  }
}

Result<ExprPtr> Parser::ParseNumber() {
  const Token& t = Peek();
  size_t loc = t.offset;
  std::string text(t.text);
  TokenKind kind = t.kind;
  Advance();
  if (kind == TokenKind::kFloat) return MakeConstant(Value::Double(std::strtod(text.c_str(), nullptr)), loc);
  std::string digits = text;
  int scale = 0;
  if (kind == TokenKind::kDecimal) {
    size_t dot = text.find('.');
    scale = int(text.size() - dot - 1);
    digits = text.substr(0, dot) + text.substr(dot + 1);
  }
  size_t first_significant = digits.find_first_not_of('0');
  size_t significant = first_significant == std::string::npos ? 0 : digits.size() - first_significant;
  if (kind == TokenKind::kInteger && significant <= 18) {
    int64_t x = std::strtoll(digits.c_str(), nullptr, 10);
    if (x <= INT32_MAX) return MakeConstant(Value::Integer(int32_t(x)), loc);
    return MakeConstant(Value::BigInt(x), loc);
  }
  int width = std::max<int>(int(significant), scale);
  if (width == 0) width = 1;
  if (width > 38) return MakeConstant(Value::Double(std::strtod(text.c_str(), nullptr)), loc);
  int128_t unscaled = 0;
  for (char c : digits) unscaled = unscaled * 10 + (c - '0');
  if (kind == TokenKind::kInteger && unscaled <= int128_t(INT64_MAX))
    return MakeConstant(Value::BigInt(int64_t(unscaled)), loc);
  return MakeConstant(Value::Decimal(unscaled, width, scale), loc);
}

Result<ExprPtr> Parser::ParsePrimary() {
  const Token& t = Peek();
  size_t loc = t.offset;
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kFloat: return ParseNumber();
    case TokenKind::kString: {
      ExprPtr e = MakeConstant(Value::Varchar(t.value), loc);
      Advance();
      return e;
    }
    case TokenKind::kParameter: {
      auto e = std::make_unique<Expr>(ExprKind::kParameter, loc);
      if (t.value.empty()) {
        e->param_index = next_parameter_++;
      } else {
        long index = std::strtol(t.value.c_str(), nullptr, 10);
        if (index < 1 || index > 65535)
          return ErrorAt(loc, "parameter index out of range: " + std::string(t.text));
        e->param_index = int(index);
        next_parameter_ = std::max(next_parameter_, e->param_index + 1);
      }
      Advance();
      return e;
    }
    case TokenKind::kOperator: {
      if (t.text == "(") return ParseParenthesized();
      if (t.text == "*") {
        Advance();
        return std::make_unique<Expr>(ExprKind::kStar, loc);
      }
      if (t.text == "[") {
        Advance();
        auto e = std::make_unique<Expr>(ExprKind::kList, loc);
        while (!IsOp("]")) {
          ALOPEX_ASSIGN_OR_RETURN(ExprPtr item, ParseExpr());
          e->children.push_back(std::move(item));
          if (!AcceptOp(",")) break;
        }
        ALOPEX_RETURN_IF_ERROR(ExpectOp("]"));
        return e;
      }
      if (t.text == "{") {
        Advance();
        auto e = std::make_unique<Expr>(ExprKind::kStruct, loc);
        while (!IsOp("}")) {
          const Token& key = Peek();
          if (key.kind != TokenKind::kString && key.kind != TokenKind::kWord &&
              key.kind != TokenKind::kQuotedIdentifier)
            return ErrorAtCurrent();
          e->field_names.push_back(key.value);
          Advance();
          ALOPEX_RETURN_IF_ERROR(ExpectOp(":"));
          ALOPEX_ASSIGN_OR_RETURN(ExprPtr value, ParseExpr());
          e->children.push_back(std::move(value));
          if (!AcceptOp(",")) break;
        }
        ALOPEX_RETURN_IF_ERROR(ExpectOp("}"));
        return e;
      }
      return ErrorAtCurrent();
    }
    case TokenKind::kQuotedIdentifier: return ParseNameOrFunction();
    case TokenKind::kEnd: return ErrorAtCurrent();
    case TokenKind::kWord: break;
  }

  const std::string& w = t.value;
  if (w == "true" || w == "false") {
    Advance();
    return MakeConstant(Value::Boolean(w == "true"), loc);
  }
  if (w == "null") {
    Advance();
    return MakeConstant(Value::Null(), loc);
  }
  if (w == "case") return ParseCase();
  if (w == "cast" || w == "try_cast") return ParseCast(w == "try_cast");
  if (w == "exists") {
    Advance();
    if (!IsOp("(") || !AtSubqueryStart(1)) return ErrorAtCurrent();
    Advance();
    auto e = std::make_unique<Expr>(ExprKind::kExists, loc);
    ALOPEX_ASSIGN_OR_RETURN(e->subquery, ParseQuery());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    return e;
  }
  if (w == "not") return ParseNot();  // `a = NOT b`
  if (w == "interval") {
    TokenKind next = Peek(1).kind;
    if (next == TokenKind::kString || next == TokenKind::kInteger || next == TokenKind::kDecimal ||
        next == TokenKind::kParameter || IsOp("(", 1) || IsOp("-", 1))
      return ParseInterval();
  }
  if (w == "lambda" && IsIdentifier(Peek(1)) && (IsOp(":", 2) || IsOp(",", 2))) return ParseLambda();
  if (w == "array" && IsOp("[", 1)) {
    Advance();
    return ParsePrimary();
  }
  if ((w == "current_date" || w == "current_timestamp" || w == "current_time" || w == "localtimestamp" ||
       w == "localtime" || w == "current_user" || w == "current_schema") &&
      !IsOp("(", 1)) {
    Advance();
    return MakeFunction(w, {}, loc);
  }
  if ((w == "extract" || w == "substring" || w == "trim" || w == "position") && IsOp("(", 1))
    return ParseSpecialFunction(w, loc);
  // Typed literal: DATE '2024-01-01', TIMESTAMP '...', UUID '...', JSON '...'.
  if (Peek(1).kind == TokenKind::kString && IsIdentifier(t)) {
    Result<LogicalType> type = LogicalType::Parse(w);
    if (type.ok()) {
      Advance();
      auto cast = std::make_unique<Expr>(ExprKind::kCast, loc);
      cast->cast_type = *type;
      cast->children.push_back(MakeConstant(Value::Varchar(Peek().value), Peek().offset));
      Advance();
      return cast;
    }
  }
  if (!IsIdentifier(t)) return ErrorAtCurrent();
  return ParseNameOrFunction();
}

Result<ExprPtr> Parser::ParseParenthesized() {
  size_t loc = Peek().offset;
  if (AtSubqueryStart(1)) {
    Advance();
    auto e = std::make_unique<Expr>(ExprKind::kSubquery, loc);
    ALOPEX_ASSIGN_OR_RETURN(e->subquery, ParseQuery());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    return e;
  }
  Advance();
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr first, ParseExpr());
  if (AcceptOp(")")) return first;
  if (!IsOp(",")) return ErrorAtCurrent();
  std::vector<ExprPtr> items;
  items.push_back(std::move(first));
  while (AcceptOp(",")) {
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr item, ParseExpr());
    items.push_back(std::move(item));
  }
  ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  return MakeFunction("row", std::move(items), loc);
}

Result<ExprPtr> Parser::ParseCase() {
  auto e = std::make_unique<Expr>(ExprKind::kCase, Peek().offset);
  Advance();  // CASE
  if (!IsWord("when")) {
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr operand, ParseExpr());
    e->children.push_back(std::move(operand));
  } else {
    e->children.push_back(nullptr);
  }
  if (!IsWord("when")) return ErrorAtCurrent();
  while (AcceptWord("when")) {
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr when, ParseExpr());
    ALOPEX_RETURN_IF_ERROR(ExpectWord("then"));
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr then, ParseExpr());
    e->children.push_back(std::move(when));
    e->children.push_back(std::move(then));
  }
  if (AcceptWord("else")) {
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr otherwise, ParseExpr());
    e->children.push_back(std::move(otherwise));
  } else {
    e->children.push_back(nullptr);
  }
  ALOPEX_RETURN_IF_ERROR(ExpectWord("end"));
  return e;
}

Result<ExprPtr> Parser::ParseCast(bool try_cast) {
  auto e = std::make_unique<Expr>(ExprKind::kCast, Peek().offset);
  e->try_cast = try_cast;
  Advance();
  ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr operand, ParseExpr());
  ALOPEX_RETURN_IF_ERROR(ExpectWord("as"));
  ALOPEX_ASSIGN_OR_RETURN(e->cast_type, ParseType());
  ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  e->children.push_back(std::move(operand));
  return e;
}

Result<ExprPtr> Parser::ParseInterval() {
  auto e = std::make_unique<Expr>(ExprKind::kInterval, Peek().offset);
  Advance();  // INTERVAL
  bool is_text = Peek().kind == TokenKind::kString;
  ExprPtr value;
  if (is_text) {
    value = MakeConstant(Value::Varchar(Peek().value), Peek().offset);
    Advance();
  } else {
    ALOPEX_ASSIGN_OR_RETURN(value, ParseUnary());
  }
  e->children.push_back(std::move(value));
  if (Peek().kind == TokenKind::kWord) {
    std::string unit = IntervalUnit(Peek().value);
    if (!unit.empty()) {
      e->name = unit;
      Advance();
    }
  }
  if (!is_text && e->name.empty()) return ErrorAtCurrent();
  return e;
}

Result<ExprPtr> Parser::ParseSpecialFunction(const std::string& name, size_t location) {
  size_t saved_pos = pos_;
  int saved_parameter = next_parameter_;
  size_t saved_windows = pending_windows_.size();
  auto as_ordinary_call = [&]() -> Result<ExprPtr> {
    pos_ = saved_pos;
    next_parameter_ = saved_parameter;
    pending_windows_.resize(saved_windows);
    Advance();  // name
    Advance();  // (
    return ParseFunctionCall({name}, location, false);
  };
  Advance();  // name
  Advance();  // (
  if (name == "extract") {
    const Token& field = Peek();
    if (!((field.kind == TokenKind::kWord || field.kind == TokenKind::kString) && IsWord("from", 1)))
      return as_ordinary_call();
    std::vector<ExprPtr> args;
    args.push_back(MakeConstant(Value::Varchar(field.value), field.offset));
    Advance();
    Advance();  // FROM
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr source, ParseExpr());
    args.push_back(std::move(source));
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    return MakeFunction("extract", std::move(args), location);
  }
  if (name == "substring") {
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr source, ParseExpr());
    if (!IsWord("from") && !IsWord("for")) return as_ordinary_call();
    std::vector<ExprPtr> args;
    args.push_back(std::move(source));
    if (AcceptWord("from")) {
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr start, ParseExpr());
      args.push_back(std::move(start));
    } else {
      args.push_back(MakeConstant(Value::Integer(1), Peek().offset));
    }
    if (AcceptWord("for")) {
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr length, ParseExpr());
      args.push_back(std::move(length));
    }
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    return MakeFunction("substring", std::move(args), location);
  }
  if (name == "trim") {
    std::string function = "trim";
    bool has_side = true;
    if (AcceptWord("leading")) {
      function = "ltrim";
    } else if (AcceptWord("trailing")) {
      function = "rtrim";
    } else if (!AcceptWord("both")) {
      has_side = false;
    }
    ExprPtr characters, source;
    if (AcceptWord("from")) {
      ALOPEX_ASSIGN_OR_RETURN(source, ParseExpr());
    } else {
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr first, ParseExpr());
      if (AcceptWord("from")) {
        characters = std::move(first);
        ALOPEX_ASSIGN_OR_RETURN(source, ParseExpr());
      } else if (has_side) {
        source = std::move(first);
      } else {
        return as_ordinary_call();
      }
    }
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    std::vector<ExprPtr> args;
    args.push_back(std::move(source));
    if (characters) args.push_back(std::move(characters));
    return MakeFunction(function, std::move(args), location);
  }
  // POSITION(needle IN haystack) is position(haystack, needle).
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr needle, ParseOtherOperators());
  if (!AcceptWord("in")) return as_ordinary_call();
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr haystack, ParseOtherOperators());
  ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  std::vector<ExprPtr> args;
  args.push_back(std::move(haystack));
  args.push_back(std::move(needle));
  return MakeFunction("position", std::move(args), location);
}

Result<ExprPtr> Parser::ParseNameOrFunction() {
  size_t loc = Peek().offset;
  QualifiedName parts;
  parts.push_back(Peek().value);
  Advance();
  while (IsOp(".")) {
    if (IsOp("*", 1)) {
      Advance();
      Advance();
      auto star = std::make_unique<Expr>(ExprKind::kStar, loc);
      star->qualifiers = std::move(parts);
      return star;
    }
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(std::string part, ParseAnyName());
    parts.push_back(std::move(part));
  }
  if (AcceptOp("(")) return ParseFunctionCall(std::move(parts), loc, false);
  auto e = std::make_unique<Expr>(ExprKind::kColumnRef, loc);
  e->name = std::move(parts.back());
  parts.pop_back();
  e->qualifiers = std::move(parts);
  return e;
}

Result<ExprPtr> Parser::ParseFunctionCall(QualifiedName name, size_t location, bool table_function) {
  auto e = std::make_unique<Expr>(ExprKind::kFunction, location);
  e->name = std::move(name.back());
  name.pop_back();
  e->qualifiers = std::move(name);
  if (IsOp("*") && IsOp(")", 1)) {
    size_t star_loc = Peek().offset;
    Advance();
    if (e->name == "count" && e->qualifiers.empty()) {
      e->name = "count_star";
    } else {
      e->children.push_back(std::make_unique<Expr>(ExprKind::kStar, star_loc));
    }
  } else if (!IsOp(")")) {
    if (AcceptWord("distinct")) {
      e->distinct = true;
    } else {
      AcceptWord("all");
    }
    while (true) {
      ALOPEX_ASSIGN_OR_RETURN(ExprPtr arg, ParseFunctionArgument(table_function));
      e->children.push_back(std::move(arg));
      if (!AcceptOp(",")) break;
    }
    if (AcceptWords("order", "by")) {
      ALOPEX_ASSIGN_OR_RETURN(e->order_by, ParseOrderByList());
    }
    if (AcceptWords("ignore", "nulls")) {
      e->ignore_nulls = true;
    } else {
      AcceptWords("respect", "nulls");
    }
  }
  ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  if (AcceptWords("within", "group")) {
    ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
    ALOPEX_RETURN_IF_ERROR(ExpectWord("order"));
    ALOPEX_RETURN_IF_ERROR(ExpectWord("by"));
    ALOPEX_ASSIGN_OR_RETURN(e->order_by, ParseOrderByList());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  }
  if (IsWord("filter") && IsOp("(", 1)) {
    Advance();
    Advance();
    AcceptWord("where");
    ALOPEX_ASSIGN_OR_RETURN(e->filter, ParseExpr());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  }
  if (AcceptWords("ignore", "nulls")) {
    e->ignore_nulls = true;
  } else {
    AcceptWords("respect", "nulls");
  }
  if (AcceptWord("over")) {
    if (IsOp("(")) {
      ALOPEX_ASSIGN_OR_RETURN(e->window, ParseWindowSpec());
    } else if (IsIdentifier(Peek())) {
      // Resolved by the WINDOW clause of the enclosing SELECT.
      e->window = std::make_unique<WindowSpec>();
      pending_windows_.push_back({e.get(), Peek().value, Peek().offset});
      Advance();
    } else {
      return ErrorAtCurrent();
    }
  }
  return e;
}

Result<ExprPtr> Parser::ParseFunctionArgument(bool table_function) {
  if (AtLambda()) return ParseLambda();
  const Token& t = Peek();
  if ((t.kind == TokenKind::kWord || t.kind == TokenKind::kQuotedIdentifier) &&
      (IsOp("=>", 1) || IsOp(":=", 1) || (table_function && IsOp("=", 1)))) {
    std::string arg_name = t.value;
    Advance();
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(ExprPtr value, ParseExpr());
    value->arg_name = std::move(arg_name);
    return value;
  }
  return ParseExpr();
}

// `x -> body` or `(x, y) -> body`. A string or integer after `->` makes it JSON
// access instead (j -> 'key', j -> 0).
bool Parser::AtLambda() const {
  size_t i = 0;
  if (IsOp("(")) {
    i = 1;
    while (true) {
      if (!IsIdentifier(Peek(i))) return false;
      i++;
      if (IsOp(")", i)) break;
      if (!IsOp(",", i)) return false;
      i++;
    }
    i++;
  } else {
    if (!IsIdentifier(Peek(0))) return false;
    i = 1;
  }
  if (!IsOp("->", i)) return false;
  TokenKind next = Peek(i + 1).kind;
  return next != TokenKind::kString && next != TokenKind::kInteger;
}

Result<ExprPtr> Parser::ParseLambda() {
  auto e = std::make_unique<Expr>(ExprKind::kLambda, Peek().offset);
  if (AcceptWord("lambda")) {  // lambda x, y: body
    do {
      ALOPEX_ASSIGN_OR_RETURN(std::string param, ParseIdentifier());
      e->lambda_params.push_back(std::move(param));
    } while (AcceptOp(","));
    ALOPEX_RETURN_IF_ERROR(ExpectOp(":"));
  } else {
    if (AcceptOp("(")) {
      do {
        ALOPEX_ASSIGN_OR_RETURN(std::string param, ParseIdentifier());
        e->lambda_params.push_back(std::move(param));
      } while (AcceptOp(","));
      ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    } else {
      ALOPEX_ASSIGN_OR_RETURN(std::string param, ParseIdentifier());
      e->lambda_params.push_back(std::move(param));
    }
    ALOPEX_RETURN_IF_ERROR(ExpectOp("->"));
  }
  ALOPEX_ASSIGN_OR_RETURN(ExprPtr body, ParseExpr());
  e->children.push_back(std::move(body));
  return e;
}

Result<std::unique_ptr<WindowSpec>> Parser::ParseWindowSpec() {
  ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
  auto spec = std::make_unique<WindowSpec>();
  if (AcceptWords("partition", "by")) {
    ALOPEX_ASSIGN_OR_RETURN(spec->partition_by, ParseExprList());
  }
  if (AcceptWords("order", "by")) {
    ALOPEX_ASSIGN_OR_RETURN(spec->order_by, ParseOrderByList());
  }
  if (IsWord("rows") || IsWord("range")) {
    spec->has_frame = true;
    spec->frame_rows = IsWord("rows");
    Advance();
    if (AcceptWord("between")) {
      ALOPEX_ASSIGN_OR_RETURN(spec->frame_start, ParseFrameBound());
      ALOPEX_RETURN_IF_ERROR(ExpectWord("and"));
      ALOPEX_ASSIGN_OR_RETURN(spec->frame_end, ParseFrameBound());
    } else {
      ALOPEX_ASSIGN_OR_RETURN(spec->frame_start, ParseFrameBound());
      spec->frame_end.kind = FrameBoundKind::kCurrentRow;
    }
  }
  ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  return spec;
}

Result<FrameBound> Parser::ParseFrameBound() {
  FrameBound bound;
  if (AcceptWord("unbounded")) {
    if (AcceptWord("preceding")) {
      bound.kind = FrameBoundKind::kUnboundedPreceding;
    } else {
      ALOPEX_RETURN_IF_ERROR(ExpectWord("following"));
      bound.kind = FrameBoundKind::kUnboundedFollowing;
    }
    return bound;
  }
  if (AcceptWords("current", "row")) {
    bound.kind = FrameBoundKind::kCurrentRow;
    return bound;
  }
  ALOPEX_ASSIGN_OR_RETURN(bound.offset, ParseOtherOperators());
  if (AcceptWord("preceding")) {
    bound.kind = FrameBoundKind::kPreceding;
  } else {
    ALOPEX_RETURN_IF_ERROR(ExpectWord("following"));
    bound.kind = FrameBoundKind::kFollowing;
  }
  return bound;
}

Result<ExprPtr> Parser::ParseStarModifiers(ExprPtr star) {
  if (AcceptWord("exclude")) {
    if (AcceptOp("(")) {
      do {
        ALOPEX_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
        star->exclude.push_back(std::move(name.back()));
      } while (AcceptOp(","));
      ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    } else {
      ALOPEX_ASSIGN_OR_RETURN(QualifiedName name, ParseQualifiedName());
      star->exclude.push_back(std::move(name.back()));
    }
  }
  if (IsWord("replace") || IsWord("rename"))
    return NotSupportedYet(Peek().offset, "SELECT * " + Peek().value);
  return star;
}

// Type names: INTEGER, DECIMAL(10,2), VECTOR(384), DOUBLE PRECISION, TIMESTAMP WITH TIME ZONE,
// STRUCT(a INT, b TEXT), MAP(VARCHAR, INT), INTEGER[], FLOAT[768].
Result<LogicalType> Parser::ParseType() {
  size_t loc = Peek().offset;
  ALOPEX_ASSIGN_OR_RETURN(std::string name, ParseAnyName());
  LogicalType type;
  if ((name == "struct" || name == "row") && IsOp("(")) {
    Advance();
    std::vector<std::pair<std::string, LogicalType>> fields;
    do {
      ALOPEX_ASSIGN_OR_RETURN(std::string field, ParseAnyName());
      ALOPEX_ASSIGN_OR_RETURN(LogicalType field_type, ParseType());
      fields.emplace_back(std::move(field), std::move(field_type));
    } while (AcceptOp(","));
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    type = LogicalType::Struct(std::move(fields));
  } else if (name == "map" && IsOp("(")) {
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(LogicalType key, ParseType());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(","));
    ALOPEX_ASSIGN_OR_RETURN(LogicalType value, ParseType());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    type = LogicalType::Map(std::move(key), std::move(value));
  } else if (name == "list" && IsOp("(")) {
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(LogicalType child, ParseType());
    ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
    type = LogicalType::List(std::move(child));
  } else {
    std::string text = name;
    if (name == "double" && AcceptWord("precision")) {
      text = "double";
    } else if ((name == "character" || name == "char") && AcceptWord("varying")) {
      text = "varchar";
    } else if (name == "timestamp" || name == "time") {
      if (IsWord("with") && IsWord("time", 1) && IsWord("zone", 2)) {
        Advance(), Advance(), Advance();
        text = "timestamptz";  // TIME WITH TIME ZONE has no type of its own: read as TIMESTAMPTZ
      } else if (IsWord("without") && IsWord("time", 1) && IsWord("zone", 2)) {
        Advance(), Advance(), Advance();
      }
    }
    if (AcceptOp("(")) {
      text += "(";
      while (!IsOp(")")) {
        const Token& t = Peek();
        if (t.kind != TokenKind::kInteger && !IsOp(",") && t.kind != TokenKind::kWord)
          return ErrorAtCurrent();
        text += t.text;
        Advance();
      }
      Advance();
      text += ")";
    }
    Result<LogicalType> parsed = LogicalType::Parse(text);
    if (!parsed.ok()) return ErrorAt(loc, parsed.status().message());
    type = std::move(parsed).value();
  }
  while (IsOp("[")) {
    Advance();
    if (AcceptOp("]")) {
      type = LogicalType::List(std::move(type));
      continue;
    }
    if (Peek().kind != TokenKind::kInteger) return ErrorAtCurrent();
    long size = std::strtol(std::string(Peek().text).c_str(), nullptr, 10);
    if (size <= 0 || size > 65536)
      return ErrorAt(Peek().offset, "invalid array size " + std::string(Peek().text));
    Advance();
    ALOPEX_RETURN_IF_ERROR(ExpectOp("]"));
    type = type.id() == TypeId::kFloat ? LogicalType::Vector(int(size)) : LogicalType::List(std::move(type));
  }
  return type;
}

}  // namespace alopex::sql
