#include "sql/parser.h"

#include <cctype>
#include <string_view>
#include <unordered_set>

namespace alopex::sql {

namespace {

// Words that are never identifiers unless quoted: they start or separate clauses,
// or begin expressions. Everything else (type, date, version, key, ...) is a name
// wherever a name fits.
const std::unordered_set<std::string_view>& ReservedWords() {
  static const std::unordered_set<std::string_view> kWords = {
      "all",       "and",    "any",     "as",         "asc",    "between", "both",     "case",
      "cast",      "check",  "collate", "constraint", "create", "default", "desc",     "distinct",
      "do",        "else",   "end",     "except",     "exists", "false",   "fetch",    "for",
      "foreign",   "from",   "grant",   "group",      "having", "ilike",   "in",       "intersect",
      "into",      "is",     "isnull",  "leading",    "like",   "limit",   "not",      "notnull",
      "null",      "offset", "on",      "or",         "order",  "primary", "qualify",  "references",
      "returning", "select", "some",    "table",      "then",   "to",      "trailing", "true",
      "union",     "unique", "using",   "when",       "where",  "window",  "with",     "try_cast",
  };
  return kWords;
}

// Words that may be names but not aliases written without AS, because a clause
// or join can follow a table or expression there.
const std::unordered_set<std::string_view>& NonAliasWords() {
  static const std::unordered_set<std::string_view> kWords = {
      "inner",         "left",           "right",        "full",    "cross",      "natural",     "join",
      "outer",         "semi",           "anti",         "lateral", "set",        "escape",      "filter",
      "over",          "glob",           "similar",      "asof",    "positional", "tablesample", "pivot",
      "unpivot",       "ignore",         "respect",      "within",  "exclude",    "replace",     "map",
      "file_format",   "format_options", "copy_options", "files",   "pattern",    "partitioned", "location",
      "tblproperties", "retain",         "dry",          "zorder",
  };
  return kWords;
}

}  // namespace

// ---------------------------------------------------------------------------- entry points

Result<std::vector<StatementPtr>> ParseSql(std::string_view sql) {
  ALOPEX_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql));
  Parser parser(sql, std::move(tokens));
  return parser.ParseStatements();
}

bool IsCompleteStatement(std::string_view sql) {
  int depth = 0;
  bool complete = false;
  size_t i = 0;
  auto skip_quoted = [&](char quote, bool backslash_escapes) -> bool {  // false when unterminated
    for (i++; i < sql.size(); i++) {
      if (backslash_escapes && sql[i] == '\\') {
        i++;
        continue;
      }
      if (sql[i] == quote) {
        if (i + 1 < sql.size() && sql[i + 1] == quote) {
          i++;
          continue;
        }
        i++;
        return true;
      }
    }
    return false;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      i++;
      continue;
    }
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') i++;
      continue;
    }
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      int comment_depth = 0;
      do {
        if (i + 1 >= sql.size()) return false;
        if (sql[i] == '/' && sql[i + 1] == '*') {
          comment_depth++;
          i += 2;
        } else if (sql[i] == '*' && sql[i + 1] == '/') {
          comment_depth--;
          i += 2;
        } else {
          i++;
        }
      } while (comment_depth > 0);
      continue;
    }
    complete = false;
    if (c == '\'' || c == '"') {
      // E'...' strings take backslash escapes; the E must start a word of its own.
      bool escapes = c == '\'' && i > 0 && (sql[i - 1] == 'e' || sql[i - 1] == 'E') &&
                     (i == 1 || !(std::isalnum(static_cast<unsigned char>(sql[i - 2])) || sql[i - 2] == '_'));
      if (!skip_quoted(c, escapes)) return false;
      continue;
    }
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {  // a word: E'...' is handled above
      while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) i++;
      continue;
    }
    if (c == '(') depth++;
    if (c == ')' && depth > 0) depth--;
    if (c == ';' && depth == 0) complete = true;
    i++;
  }
  return complete;
}

// ---------------------------------------------------------------------------- tokens

bool Parser::AcceptWord(std::string_view w) {
  if (!IsWord(w)) return false;
  Advance();
  return true;
}

bool Parser::AcceptWords(std::string_view w1, std::string_view w2) {
  if (!IsWord(w1) || !IsWord(w2, 1)) return false;
  Advance();
  Advance();
  return true;
}

bool Parser::AcceptOp(std::string_view op) {
  if (!IsOp(op)) return false;
  Advance();
  return true;
}

Status Parser::ExpectWord(std::string_view w) {
  if (AcceptWord(w)) return Status::OK();
  return ErrorAtCurrent();
}

Status Parser::ExpectOp(std::string_view op) {
  if (AcceptOp(op)) return Status::OK();
  return ErrorAtCurrent();
}

Status Parser::ErrorAtCurrent() const {
  const Token& t = Peek();
  if (t.kind == TokenKind::kEnd) return ErrorAt(t.offset, "syntax error at end of input");
  return ErrorAt(t.offset, "syntax error at or near \"" + std::string(t.text) + "\"");
}

Status Parser::ErrorAt(size_t offset, const std::string& message) const {
  return FormatSyntaxError(sql_, offset, message);
}

Status Parser::NotSupportedYet(size_t offset, const std::string& what) const {
  return ErrorAt(offset, what + " is not supported yet");
}

size_t Parser::PreviousEnd() const {
  if (pos_ == 0) return 0;
  const Token& t = tokens_[pos_ - 1];
  return t.offset + t.text.size();
}

Status Parser::CheckDepth() const {
  constexpr int kMaxDepth = 250;  // about 5 KB of stack per level in unoptimized builds
  if (depth_ > kMaxDepth) return ErrorAt(Peek().offset, "statement is nested too deeply");
  return Status::OK();
}

// ---------------------------------------------------------------------------- names

bool Parser::IsIdentifier(const Token& t) const {
  if (t.kind == TokenKind::kQuotedIdentifier) return true;
  return t.kind == TokenKind::kWord && !ReservedWords().contains(t.value);
}

bool Parser::IsBareAlias(const Token& t) const {
  if (!IsIdentifier(t)) return false;
  return t.kind == TokenKind::kQuotedIdentifier || !NonAliasWords().contains(t.value);
}

Result<std::string> Parser::ParseIdentifier() {
  if (!IsIdentifier(Peek())) return ErrorAtCurrent();
  std::string name = Peek().value;
  Advance();
  return name;
}

Result<std::string> Parser::ParseAnyName() {
  const Token& t = Peek();
  if (t.kind != TokenKind::kWord && t.kind != TokenKind::kQuotedIdentifier) return ErrorAtCurrent();
  std::string name = t.value;
  Advance();
  return name;
}

Result<QualifiedName> Parser::ParseQualifiedName() {
  QualifiedName name;
  ALOPEX_ASSIGN_OR_RETURN(std::string first, ParseIdentifier());
  name.push_back(std::move(first));
  while (IsOp(".")) {
    Advance();
    ALOPEX_ASSIGN_OR_RETURN(std::string part, ParseAnyName());
    name.push_back(std::move(part));
  }
  return name;
}

Result<std::vector<std::string>> Parser::ParseParenIdentifierList() {
  ALOPEX_RETURN_IF_ERROR(ExpectOp("("));
  std::vector<std::string> names;
  do {
    ALOPEX_ASSIGN_OR_RETURN(std::string name, ParseIdentifier());
    names.push_back(std::move(name));
  } while (AcceptOp(","));
  ALOPEX_RETURN_IF_ERROR(ExpectOp(")"));
  return names;
}

Result<std::string> Parser::ParseOptionalAlias(bool table) {
  if (AcceptWord("as")) {
    if (Peek().kind == TokenKind::kString && !table) {
      std::string alias = Peek().value;
      Advance();
      return alias;
    }
    return ParseIdentifier();
  }
  if (IsBareAlias(Peek())) {
    // `t VERSION AS OF`, `t TIMESTAMP AS OF`: time travel, not an alias.
    if (table && (IsWord("version") || IsWord("timestamp")) && IsWord("as", 1) && IsWord("of", 2))
      return std::string();
    std::string alias = Peek().value;
    Advance();
    return alias;
  }
  return std::string();
}

// ---------------------------------------------------------------------------- statements

Result<std::vector<StatementPtr>> Parser::ParseStatements() {
  std::vector<StatementPtr> statements;
  while (true) {
    while (AcceptOp(";")) {
    }
    if (AtEnd()) break;
    size_t start = Peek().offset;
    next_parameter_ = 1;
    ALOPEX_ASSIGN_OR_RETURN(StatementPtr statement, ParseStatement());
    statement->location = start;
    statement->text = std::string(sql_.substr(start, PreviousEnd() - start));
    if (!pending_windows_.empty()) {
      const PendingWindow& w = pending_windows_.front();
      return ErrorAt(w.location, "window \"" + w.name + "\" is not defined");
    }
    statements.push_back(std::move(statement));
    if (!AtEnd() && !IsOp(";")) return ErrorAtCurrent();
  }
  return statements;
}

Result<StatementPtr> Parser::ParseStatement() {
  DepthGuard guard(&depth_);
  ALOPEX_RETURN_IF_ERROR(CheckDepth());
  const Token& t = Peek();
  if (AtQueryStart()) return ParseSelectStatement();
  if (t.kind != TokenKind::kWord) return ErrorAtCurrent();
  const std::string& w = t.value;
  if (w == "insert") return ParseInsert();
  if (w == "update") return ParseUpdate();
  if (w == "delete") return ParseDelete();
  if (w == "truncate") return ParseTruncate();
  if (w == "merge") return ParseMerge();
  if (w == "create") return ParseCreate();
  if (w == "drop") return ParseDrop();
  if (w == "alter") return ParseAlter();
  if (w == "copy") return ParseCopy();
  if (w == "explain") return ParseExplain();
  if (w == "set") return ParseSet();
  if (w == "reset") return ParseReset();
  if (w == "show") return ParseShow();
  if (w == "describe" || w == "desc") return ParseDescribe();
  if (w == "restore") return ParseRestore();
  if (w == "vacuum") return ParseVacuum();
  if (w == "optimize") return ParseOptimize();
  if (w == "begin" || w == "start" || w == "commit" || w == "rollback" || w == "end" || w == "abort")
    return ParseTransaction();
  if (w == "refresh") return NotSupportedYet(t.offset, "REFRESH");
  return ErrorAtCurrent();
}

}  // namespace alopex::sql
