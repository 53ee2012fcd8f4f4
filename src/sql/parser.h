// The SQL parser: SQL text in, the AST of ast.h out.
//
// A hand-written recursive-descent parser over the tokens of lexer.h. Only a
// small set of words is reserved (SELECT, FROM, WHERE, ...); every other keyword
// stays usable as a column, table or function name wherever that is unambiguous.
//
// Choices the binder should know about:
// - `x IS [NOT] TRUE|FALSE` is kBinary "IS [NOT] DISTINCT FROM" with a BOOLEAN constant (same meaning).
// - A minus sign before a numeric literal is folded into the constant (-1 is kConstant -1).
// - Typed literals (DATE '...', TIMESTAMP '...', UUID '...', JSON '...') are kCast of a VARCHAR constant.
// - count(*) is kFunction "count_star" with no children; so are CURRENT_DATE and friends (no parentheses).
// - POSITION(a IN b) is position(b, a); SUBSTRING(x FROM a FOR b) is substring(x, a, b);
//   TRIM(LEADING c FROM x) is ltrim(x, c) (rtrim for TRAILING, trim for BOTH); EXTRACT(f FROM x) is
//   extract('f', x).
// - A row constructor (a, b) is kFunction "row"; `ts AT TIME ZONE z` is timezone(z, ts).
// - A bare string in FROM ('file.parquet') is the table function read_files('file.parquet').
// - MERGE: WHEN NOT MATCHED BY SOURCE sets matched = false and not_matched_by_source = true.
// - A slice with a missing bound (x[:2]) has nullptr for that child; INTERVAL units are singular ("day").
// - Option values that are bare words (FORMAT parquet) are VARCHAR constants, lower-cased; parenthesized
//   values ('a', 'b') are kList.
// - TRUNCATE [TABLE] t is a DeleteStatement without WHERE; SET x TO DEFAULT is RESET x.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"
#include "sql/ast.h"
#include "sql/lexer.h"

namespace alopex::sql {

// Parses one or more ';'-separated statements. Empty statements are skipped.
// Each statement's `text` is its own SQL text without the trailing ';' and its
// `location` the offset of its first token. A syntax error is a SyntaxError whose
// message names the token and shows the line with a caret under it.
Result<std::vector<StatementPtr>> ParseSql(std::string_view sql);

// True when `sql` ends a complete statement: its last token is a ';' outside
// strings, comments and parentheses. Used by the shell for multi-line input.
bool IsCompleteStatement(std::string_view sql);

// The parser proper. Its methods are split over parser_expr.cc (expressions and
// types), parser_select.cc (queries and FROM) and parser_statements.cc (all other
// statements). New statements are new branches of ParseStatement.
class Parser {
 public:
  Parser(std::string_view sql, std::vector<Token> tokens) : sql_(sql), tokens_(std::move(tokens)) {}

  Result<std::vector<StatementPtr>> ParseStatements();

 private:
  // ------------------------------------------------------------ tokens
  const Token& Peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  void Advance() {
    if (pos_ + 1 < tokens_.size()) pos_++;
  }
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }
  // The unquoted word `w` (lower case) `ahead` tokens on.
  bool IsWord(std::string_view w, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kWord && t.value == w;
  }
  bool IsOp(std::string_view op, size_t ahead = 0) const {
    const Token& t = Peek(ahead);
    return t.kind == TokenKind::kOperator && t.text == op;
  }
  bool AcceptWord(std::string_view w);
  bool AcceptWords(std::string_view w1, std::string_view w2);  // both or neither
  bool AcceptOp(std::string_view op);
  Status ExpectWord(std::string_view w);
  Status ExpectOp(std::string_view op);
  // `syntax error at or near "tok"` (or `at end of input`) at the current token.
  Status ErrorAtCurrent() const;
  Status ErrorAt(size_t offset, const std::string& message) const;
  // A clear error for a statement that is planned but not parsed yet.
  Status NotSupportedYet(size_t offset, const std::string& what) const;
  // Offset just past the last consumed token.
  size_t PreviousEnd() const;

  // ------------------------------------------------------------ names
  // Whether `t` can be an identifier: a quoted identifier or a non-reserved word.
  // Aliases written without AS exclude more words (JOIN, ON, WHERE, ...).
  bool IsIdentifier(const Token& t) const;
  bool IsBareAlias(const Token& t) const;
  Result<std::string> ParseIdentifier();
  // Any word, reserved or not, or a quoted identifier (after a '.', in option names).
  Result<std::string> ParseAnyName();
  Result<QualifiedName> ParseQualifiedName();
  // ( a, b, c )
  Result<std::vector<std::string>> ParseParenIdentifierList();
  // [AS] alias, or "" when there is none.
  Result<std::string> ParseOptionalAlias(bool table);

  // ------------------------------------------------------------ statements
  Result<StatementPtr> ParseStatement();
  Result<StatementPtr> ParseSelectStatement();
  Result<StatementPtr> ParseInsert();
  Result<StatementPtr> ParseUpdate();
  Result<StatementPtr> ParseDelete();
  Result<StatementPtr> ParseTruncate();
  Result<StatementPtr> ParseMerge();
  Result<StatementPtr> ParseCreate();
  Result<StatementPtr> ParseCreateTable(bool or_replace, bool temporary);
  Result<StatementPtr> ParseCreateView(bool or_replace);
  Result<StatementPtr> ParseCreateSchema();
  Result<StatementPtr> ParseCreateIndex();
  Result<StatementPtr> ParseDrop();
  Result<StatementPtr> ParseAlter();
  Result<StatementPtr> ParseCopy();
  Result<StatementPtr> ParseCopyInto();
  Result<StatementPtr> ParseLakeLinkCopyFrom();
  Result<StatementPtr> ParseExplain();
  Result<StatementPtr> ParseSet();
  Result<StatementPtr> ParseReset();
  Result<StatementPtr> ParseShow();
  Result<StatementPtr> ParseDescribe();
  Result<StatementPtr> ParseRestore();
  Result<StatementPtr> ParseVacuum();
  Result<StatementPtr> ParseOptimize();
  Result<StatementPtr> ParseTransaction();

  Result<ColumnDefinition> ParseColumnDefinition();
  Result<std::vector<SetClause>> ParseSetClauses();
  // ( name [=] [value], ... ): WITH (k = v), DuckDB (FORMAT csv, HEADER), Databricks ('k' = 'v').
  Result<std::vector<Option>> ParseOptionList();
  Result<ExprPtr> ParseOptionValue();
  // a, b::VECTOR(3)
  Result<ColumnTarget> ParseColumnTarget();
  // 'path' or ['a', 'b'] or ('a', 'b')
  Result<std::vector<std::string>> ParseStringOrList();
  Result<std::string> ParseString();

  // ------------------------------------------------------------ queries
  // Whether a query starts here (SELECT, WITH, VALUES, FROM-less parens around one).
  // Parentheses before the query are skipped: `((SELECT 1) UNION (SELECT 2))`.
  bool AtQueryStart(size_t ahead = 0) const;
  // A query right after `ahead` tokens, as in an expression `(SELECT ...)`.
  bool AtSubqueryStart(size_t ahead) const;
  Result<SelectPtr> ParseQuery();
  Result<SelectPtr> ParseSetOperations();
  Result<SelectPtr> ParseIntersections();
  Result<SelectPtr> ParseQueryPrimary();
  Result<SelectPtr> ParseSelectCore();
  Result<SelectPtr> ParseValues();
  Result<std::vector<OrderItem>> ParseOrderByList();
  Result<std::vector<ExprPtr>> ParseExprList();
  Result<TableRefPtr> ParseFromList();
  Result<TableRefPtr> ParseTableRef();
  Result<TableRefPtr> ParseTablePrimary();
  Status ParseTableAlias(TableRef* ref);

  // ------------------------------------------------------------ expressions
  Result<ExprPtr> ParseExpr();
  Result<ExprPtr> ParseOr();
  Result<ExprPtr> ParseAnd();
  Result<ExprPtr> ParseNot();
  Result<ExprPtr> ParseComparison();
  Result<ExprPtr> ParseOtherOperators();
  Result<ExprPtr> ParseAdditive();
  Result<ExprPtr> ParseMultiplicative();
  Result<ExprPtr> ParseExponent();
  Result<ExprPtr> ParseUnary();
  Result<ExprPtr> ParsePostfix();
  Result<ExprPtr> ParsePrimary();
  Result<ExprPtr> ParseParenthesized();
  Result<ExprPtr> ParseCase();
  Result<ExprPtr> ParseCast(bool try_cast);
  Result<ExprPtr> ParseInterval();
  Result<ExprPtr> ParseSpecialFunction(const std::string& name, size_t location);
  Result<ExprPtr> ParseNameOrFunction();
  // After `name (`: arguments, modifiers, FILTER, OVER. In table functions
  // `name = value` at the top level of an argument is a named argument too.
  Result<ExprPtr> ParseFunctionCall(QualifiedName name, size_t location, bool table_function);
  Result<ExprPtr> ParseFunctionArgument(bool table_function);
  bool AtLambda() const;
  Result<ExprPtr> ParseLambda();
  Result<std::unique_ptr<WindowSpec>> ParseWindowSpec();
  Result<FrameBound> ParseFrameBound();
  Result<ExprPtr> ParseStarModifiers(ExprPtr star);
  Result<LogicalType> ParseType();
  Result<ExprPtr> ParseNumber();

  // Guards recursion so deeply nested input fails cleanly instead of overflowing the stack.
  struct DepthGuard {
    explicit DepthGuard(int* depth) : depth_(depth) { ++*depth_; }
    ~DepthGuard() { --*depth_; }
    int* depth_;
  };
  Status CheckDepth() const;

  // A window referenced by name (OVER w) before the WINDOW clause defining it.
  struct PendingWindow {
    Expr* function;
    std::string name;
    size_t location;
  };
  // WINDOW w AS (...): where the spec's '(' is, to parse it again for each reference.
  struct NamedWindow {
    std::string name;
    size_t token_index;
  };

  std::string_view sql_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int next_parameter_ = 1;
  std::vector<PendingWindow> pending_windows_;
};

}  // namespace alopex::sql
