#include "sql/lexer.h"

#include <algorithm>
#include <cctype>

namespace alopex::sql {

namespace {

bool IsIdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IsIdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Multi-character operators, longest first so the first match is the longest.
constexpr std::string_view kOperators[] = {
    "->>", "<->", "<=>", "<#>", "::", "->", "=>", ":=", "||", "<>", "!=", "<=", ">=",
    "==",  "@>",  "<@",  "&&",  "//", "**", "+",  "-",  "*",  "/",  "%",  "^",  "(",
    ")",   "[",   "]",   "{",   "}",  ",",  ";",  ".",  ":",  "=",  "<",  ">",  "~",
};

// Text of an unterminated construct for "at or near": the rest of the input, cut short.
std::string NearText(std::string_view sql, size_t offset) {
  std::string_view rest = sql.substr(offset);
  while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) rest.remove_suffix(1);
  if (rest.size() > 60) return std::string(rest.substr(0, 60)) + "...";
  return std::string(rest);
}

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    tokens.reserve(sql_.size() / 3 + 1);
    while (true) {
      ALOPEX_RETURN_IF_ERROR(SkipSpaceAndComments());
      if (pos_ >= sql_.size()) break;
      Token token;
      ALOPEX_RETURN_IF_ERROR(Next(&token));
      tokens.push_back(std::move(token));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.offset = sql_.size();
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  Status SkipSpaceAndComments() {
    while (pos_ < sql_.size()) {
      char c = sql_[pos_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        pos_++;
      } else if (c == '-' && Peek(1) == '-') {
        while (pos_ < sql_.size() && sql_[pos_] != '\n') pos_++;
      } else if (c == '/' && Peek(1) == '*') {
        // Comments nest, as in PostgreSQL.
        size_t start = pos_;
        int depth = 0;
        do {
          if (pos_ + 1 >= sql_.size())
            return FormatSyntaxError(sql_, start,
                                     "unterminated /* comment at or near \"" + NearText(sql_, start) + "\"");
          if (sql_[pos_] == '/' && sql_[pos_ + 1] == '*') {
            depth++;
            pos_ += 2;
          } else if (sql_[pos_] == '*' && sql_[pos_ + 1] == '/') {
            depth--;
            pos_ += 2;
          } else {
            pos_++;
          }
        } while (depth > 0);
      } else {
        break;
      }
    }
    return Status::OK();
  }

  char Peek(size_t ahead) const { return pos_ + ahead < sql_.size() ? sql_[pos_ + ahead] : '\0'; }

  Status Next(Token* token) {
    size_t start = pos_;
    token->offset = start;
    char c = sql_[pos_];
    if ((c == 'e' || c == 'E') && Peek(1) == '\'') {
      pos_++;
      token->kind = TokenKind::kString;
      ALOPEX_RETURN_IF_ERROR(Quoted('\'', /*backslash_escapes=*/true, start, &token->value));
    } else if (IsIdentStart(static_cast<unsigned char>(c))) {
      while (pos_ < sql_.size() && IsIdentChar(static_cast<unsigned char>(sql_[pos_]))) pos_++;
      token->kind = TokenKind::kWord;
      token->value.assign(sql_.substr(start, pos_ - start));
      for (char& ch : token->value) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    } else if (c == '\'') {
      token->kind = TokenKind::kString;
      ALOPEX_RETURN_IF_ERROR(Quoted('\'', false, start, &token->value));
    } else if (c == '"') {
      token->kind = TokenKind::kQuotedIdentifier;
      ALOPEX_RETURN_IF_ERROR(Quoted('"', false, start, &token->value));
    } else if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) {
      Number(token);
    } else if (c == '$' && IsDigit(Peek(1))) {
      pos_++;
      while (pos_ < sql_.size() && IsDigit(sql_[pos_])) pos_++;
      token->kind = TokenKind::kParameter;
      token->value.assign(sql_.substr(start + 1, pos_ - start - 1));
    } else if (c == '?') {
      pos_++;
      token->kind = TokenKind::kParameter;
    } else {
      token->kind = TokenKind::kOperator;
      std::string_view rest = sql_.substr(pos_);
      size_t len = 0;
      for (std::string_view op : kOperators) {
        if (rest.starts_with(op)) {
          len = op.size();
          break;
        }
      }
      if (len == 0) {
        return FormatSyntaxError(sql_, start,
                                 "syntax error at or near \"" + std::string(rest.substr(0, 1)) + "\"");
      }
      pos_ += len;
    }
    token->text = sql_.substr(start, pos_ - start);
    return Status::OK();
  }

  // Reads a quoted string or identifier starting at pos_ (the opening quote);
  // a doubled quote stands for one.
  Status Quoted(char quote, bool backslash_escapes, size_t start, std::string* out) {
    pos_++;  // opening quote
    while (true) {
      if (pos_ >= sql_.size()) {
        const char* what = quote == '"' ? "unterminated quoted identifier" : "unterminated quoted string";
        return FormatSyntaxError(sql_, start,
                                 std::string(what) + " at or near \"" + NearText(sql_, start) + "\"");
      }
      char c = sql_[pos_];
      if (c == quote) {
        if (Peek(1) == quote) {
          out->push_back(quote);
          pos_ += 2;
          continue;
        }
        pos_++;
        return Status::OK();
      }
      if (backslash_escapes && c == '\\' && pos_ + 1 < sql_.size()) {
        char e = sql_[pos_ + 1];
        pos_ += 2;
        switch (e) {
          case 'n': out->push_back('\n'); break;
          case 't': out->push_back('\t'); break;
          case 'r': out->push_back('\r'); break;
          case 'b': out->push_back('\b'); break;
          case 'f': out->push_back('\f'); break;
          case '0': out->push_back('\0'); break;
          default: out->push_back(e); break;
        }
        continue;
      }
      // Copy a run of ordinary characters at once: long literals stay linear and cheap.
      size_t run = pos_;
      while (run < sql_.size() && sql_[run] != quote && !(backslash_escapes && sql_[run] == '\\')) run++;
      out->append(sql_.substr(pos_, run - pos_));
      pos_ = run;
    }
  }

  void Number(Token* token) {
    bool has_dot = false;
    bool has_exp = false;
    while (pos_ < sql_.size() && IsDigit(sql_[pos_])) pos_++;
    // "1.." is an integer followed by "..": leave the dots alone.
    if (Peek(0) == '.' && Peek(1) != '.') {
      has_dot = true;
      pos_++;
      while (pos_ < sql_.size() && IsDigit(sql_[pos_])) pos_++;
    }
    if ((Peek(0) == 'e' || Peek(0) == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      has_exp = true;
      pos_ += 2;
      while (pos_ < sql_.size() && IsDigit(sql_[pos_])) pos_++;
    }
    token->kind = has_exp ? TokenKind::kFloat : has_dot ? TokenKind::kDecimal : TokenKind::kInteger;
  }

  std::string_view sql_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view sql) { return Lexer(sql).Run(); }

Status FormatSyntaxError(std::string_view sql, size_t offset, const std::string& message) {
  offset = std::min(offset, sql.size());
  size_t last_newline = sql.substr(0, offset).rfind('\n');
  size_t line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
  size_t line_end = sql.find('\n', offset);
  if (line_end == std::string_view::npos) line_end = sql.size();
  size_t line_number = 1 + std::count(sql.begin(), sql.begin() + line_start, '\n');

  constexpr size_t kMaxWidth = 120;
  size_t from = line_start;
  size_t to = line_end;
  std::string prefix, suffix;
  if (to - from > kMaxWidth) {
    if (offset - from > kMaxWidth / 2) {
      from = offset - kMaxWidth / 2;
      prefix = "...";
    }
    if (to - from > kMaxWidth) {
      to = from + kMaxWidth;
      suffix = "...";
    }
  }
  std::string line(sql.substr(from, to - from));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::string head = "LINE " + std::to_string(line_number) + ": ";
  std::string out = message + "\n" + head + prefix + line + suffix + "\n";
  out.append(head.size() + prefix.size() + (offset - from), ' ');
  out += "^";
  return Status::SyntaxError(std::move(out));
}

}  // namespace alopex::sql
