#include "sql/lexer.h"

#include <gtest/gtest.h>

namespace alopex::sql {
namespace {

std::vector<Token> Lex(std::string_view sql) {
  auto tokens = Tokenize(sql);
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  return tokens.ok() ? std::move(tokens).value() : std::vector<Token>{};
}

std::string ErrorOf(std::string_view sql) {
  auto tokens = Tokenize(sql);
  EXPECT_FALSE(tokens.ok());
  if (tokens.ok()) return "";
  EXPECT_EQ(tokens.status().code(), StatusCode::kSyntaxError);
  return tokens.status().message();
}

TEST(LexerTest, WordsAreLowerCasedQuotedIdentifiersKeepCase) {
  auto t = Lex("SELECT MyCol, \"MyCol\", \"a\"\"b\" FROM T1");
  ASSERT_EQ(t.size(), 9u);
  EXPECT_EQ(t[0].kind, TokenKind::kWord);
  EXPECT_EQ(t[0].value, "select");
  EXPECT_EQ(t[0].text, "SELECT");
  EXPECT_EQ(t[1].value, "mycol");
  EXPECT_EQ(t[3].kind, TokenKind::kQuotedIdentifier);
  EXPECT_EQ(t[3].value, "MyCol");
  EXPECT_EQ(t[5].value, "a\"b");
  EXPECT_EQ(t[7].value, "t1");
  EXPECT_EQ(t[7].offset, 35u);
  EXPECT_EQ(t[8].kind, TokenKind::kEnd);
  EXPECT_EQ(t[8].offset, 37u);
}

TEST(LexerTest, Strings) {
  auto t = Lex("'it''s' E'a\\nb\\'c' ''");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].kind, TokenKind::kString);
  EXPECT_EQ(t[0].value, "it's");
  EXPECT_EQ(t[1].kind, TokenKind::kString);
  EXPECT_EQ(t[1].value, "a\nb'c");
  EXPECT_EQ(t[2].value, "");
  // Backslashes are plain characters in ordinary strings.
  EXPECT_EQ(Lex("'a\\n'")[0].value, "a\\n");
}

TEST(LexerTest, Numbers) {
  auto t = Lex("42 1.5 .5 1. 1e10 2.5E-3 7");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[0].kind, TokenKind::kInteger);
  EXPECT_EQ(t[1].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[1].text, "1.5");
  EXPECT_EQ(t[2].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[2].text, ".5");
  EXPECT_EQ(t[3].kind, TokenKind::kDecimal);
  EXPECT_EQ(t[4].kind, TokenKind::kFloat);
  EXPECT_EQ(t[5].kind, TokenKind::kFloat);
  EXPECT_EQ(t[5].text, "2.5E-3");
  EXPECT_EQ(t[6].kind, TokenKind::kInteger);
}

TEST(LexerTest, Parameters) {
  auto t = Lex("$1 ? $12");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].kind, TokenKind::kParameter);
  EXPECT_EQ(t[0].value, "1");
  EXPECT_EQ(t[1].kind, TokenKind::kParameter);
  EXPECT_EQ(t[1].value, "");
  EXPECT_EQ(t[2].value, "12");
}

TEST(LexerTest, OperatorsTakeTheLongestMatch) {
  auto t = Lex(":: -> ->> => || <> != <= >= <-> <=> <#> @> <@ && // < - ;");
  std::vector<std::string> ops;
  for (const auto& token : t) {
    if (token.kind == TokenKind::kOperator) ops.emplace_back(token.text);
  }
  std::vector<std::string> expected = {"::",  "->",  "->>", "=>", "||", "<>", "!=", "<=", ">=", "<->",
                                       "<=>", "<#>", "@>",  "<@", "&&", "//", "<",  "-",  ";"};
  EXPECT_EQ(ops, expected);
  auto u = Lex("a<-1");
  ASSERT_EQ(u.size(), 5u);
  EXPECT_EQ(u[1].text, "<");
  EXPECT_EQ(u[2].text, "-");
}

TEST(LexerTest, CommentsAreSkipped) {
  auto t = Lex("SELECT -- a comment\n 1 /* block /* nested */ still */ + 2");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[1].text, "1");
  EXPECT_EQ(t[2].text, "+");
  EXPECT_EQ(t[3].text, "2");
}

TEST(LexerTest, DottedNames) {
  auto t = Lex("s.t.c");
  ASSERT_EQ(t.size(), 6u);
  EXPECT_EQ(t[1].text, ".");
  EXPECT_EQ(t[4].value, "c");
}

TEST(LexerTest, UnterminatedString) {
  EXPECT_EQ(ErrorOf("SELECT 'abc"),
            "unterminated quoted string at or near \"'abc\"\n"
            "LINE 1: SELECT 'abc\n"
            "               ^");
}

TEST(LexerTest, UnterminatedQuotedIdentifierAndComment) {
  EXPECT_EQ(ErrorOf("SELECT \"ab"),
            "unterminated quoted identifier at or near \"\"ab\"\n"
            "LINE 1: SELECT \"ab\n"
            "               ^");
  EXPECT_EQ(ErrorOf("SELECT 1 /* no end"),
            "unterminated /* comment at or near \"/* no end\"\n"
            "LINE 1: SELECT 1 /* no end\n"
            "                 ^");
}

TEST(LexerTest, UnknownCharacter) {
  EXPECT_EQ(ErrorOf("SELECT `a`"),
            "syntax error at or near \"`\"\n"
            "LINE 1: SELECT `a`\n"
            "               ^");
}

TEST(LexerTest, ErrorOnLaterLinePointsIntoThatLine) {
  Status st = FormatSyntaxError("SELECT 1,\n  2,\n  x y z", 19, "syntax error at or near \"y\"");
  EXPECT_EQ(st.message(),
            "syntax error at or near \"y\"\n"
            "LINE 3:   x y z\n"
            "            ^");
}

TEST(LexerTest, LongLinesAreCutAroundTheError) {
  std::string sql = "SELECT " + std::string(300, 'a') + " bad " + std::string(300, 'b');
  Status st = FormatSyntaxError(sql, 308, "syntax error at or near \"bad\"");
  const std::string& m = st.message();
  size_t line = m.find("LINE 1: ...");
  ASSERT_NE(line, std::string::npos);
  size_t line_end = m.find('\n', line);
  std::string text_line = m.substr(line, line_end - line);
  std::string caret_line = m.substr(line_end + 1);
  EXPECT_LE(text_line.size(), 140u);
  size_t caret = caret_line.find('^');
  EXPECT_EQ(text_line.substr(caret, 3), "bad");
}

}  // namespace
}  // namespace alopex::sql
