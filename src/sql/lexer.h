// The SQL lexer: turns SQL text into tokens for the parser.
//
// Unquoted words are one token kind (kWord) whether they are keywords or
// identifiers: the parser decides by position, so `type`, `date` or `version`
// stay usable as column names. Every token keeps its byte offset for error
// messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "alopex/status.h"

namespace alopex::sql {

enum class TokenKind {
  kWord,              // unquoted identifier or keyword; `value` is lower-cased
  kQuotedIdentifier,  // "Name": `value` keeps case, "" unescaped
  kString,            // 'text' or E'text': `value` is the unescaped text
  kInteger,           // 42: `text` holds the digits
  kDecimal,           // 1.5, .5, 1.
  kFloat,             // 1e10, 1.5E-3
  kParameter,         // $3 (`value` "3") or ? (`value` empty)
  kOperator,          // punctuation and operators: ( ) , ; :: -> ->> <= <-> ...
  kEnd,               // end of input; offset is the input size
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t offset = 0;      // byte offset of the token's first character
  std::string_view text;  // the raw SQL text of the token
  std::string value;      // see TokenKind
};

// Splits `sql` into tokens, always ending with one kEnd token. Comments and
// whitespace are dropped. Fails with a SyntaxError (see FormatSyntaxError) on an
// unterminated string, quoted identifier or comment, or a character that starts
// no token.
Result<std::vector<Token>> Tokenize(std::string_view sql);

// A SyntaxError whose message is `message`, then the line of `sql` holding
// `offset` and a caret under it, as DuckDB and PostgreSQL print them:
//   syntax error at or near "SELEC"
//   LINE 1: SELEC 1
//           ^
// Lines longer than 120 characters are cut around the offset with "...".
Status FormatSyntaxError(std::string_view sql, size_t offset, const std::string& message);

}  // namespace alopex::sql
