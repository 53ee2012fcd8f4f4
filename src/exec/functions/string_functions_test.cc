#include <gtest/gtest.h>

#include "exec/functions/function_test_util.h"

namespace alopex {
namespace {

using testing::CallColumns;
using testing::MakeColumn;
using testing::Show;

Value S(const char* s) { return Value::Varchar(s); }
Value I(int64_t v) { return Value::BigInt(v); }

TEST(StringFunctionsTest, CaseAndLength) {
  EXPECT_EQ(Show("lower", {S("HeLLo ÄÖ")}), "hello äö");
  EXPECT_EQ(Show("upper", {S("straße é")}), "STRAßE É");
  EXPECT_EQ(Show("length", {S("héllo")}), "5");
  EXPECT_EQ(Show("len", {S("")}), "0");
  EXPECT_EQ(Show("octet_length", {S("héllo")}), "6");
  EXPECT_EQ(Show("length", {Value::List(TypeId::kInteger, {Value::Integer(1), Value::Integer(2)})}), "2");
}

TEST(StringFunctionsTest, Substring) {
  EXPECT_EQ(Show("substr", {S("hello"), I(2), I(3)}), "ell");
  EXPECT_EQ(Show("substring", {S("hello"), I(2)}), "ello");
  EXPECT_EQ(Show("substr", {S("hello"), I(-3)}), "llo");
  EXPECT_EQ(Show("substr", {S("hello"), I(-3), I(2)}), "ll");
  EXPECT_EQ(Show("substr", {S("hello"), I(0), I(2)}), "h");
  EXPECT_EQ(Show("substr", {S("hello"), I(10)}), "");
  EXPECT_EQ(Show("substr", {S("héllo wörld, a longer text"), I(2), I(4)}), "éllo");
  EXPECT_EQ(Show("substr", {S("a long string that is not inlined"), I(3), I(20)}), "long string that is ");
}

TEST(StringFunctionsTest, Concat) {
  EXPECT_EQ(Show("concat", {S("a"), Value::Null(TypeId::kVarchar), Value::Integer(1)}), "a1");
  EXPECT_EQ(Show("concat_ws", {S(", "), S("a"), Value::Null(TypeId::kVarchar), S("b")}), "a, b");
  EXPECT_EQ(Show("concat_ws", {Value::Null(TypeId::kVarchar), S("a")}), "NULL");
  EXPECT_EQ(Show("||", {S("a"), S("b")}), "ab");
  EXPECT_EQ(Show("||", {S("a"), Value::Null(TypeId::kVarchar)}), "NULL");
  EXPECT_EQ(Show("||", {Value::List(TypeId::kInteger, {Value::Integer(1)}),
                        Value::List(TypeId::kInteger, {Value::Integer(2)})}),
            "[1, 2]");
}

TEST(StringFunctionsTest, Like) {
  EXPECT_EQ(Show("like", {S("hello"), S("he%")}), "true");
  EXPECT_EQ(Show("like", {S("hello"), S("%llo")}), "true");
  EXPECT_EQ(Show("like", {S("hello"), S("%ell%")}), "true");
  EXPECT_EQ(Show("like", {S("hello"), S("hello")}), "true");
  EXPECT_EQ(Show("like", {S("hello"), S("h_llo")}), "true");
  EXPECT_EQ(Show("like", {S("héllo"), S("h_llo")}), "true");
  EXPECT_EQ(Show("like", {S("hello"), S("h%l%o")}), "true");
  EXPECT_EQ(Show("like", {S("hello"), S("h%x%o")}), "false");
  EXPECT_EQ(Show("like", {S("hello"), S("%")}), "true");
  EXPECT_EQ(Show("like", {S("Hello"), S("hello")}), "false");
  EXPECT_EQ(Show("ilike", {S("Hello"), S("hE%")}), "true");
  EXPECT_EQ(Show("like", {S("50%"), S("50!%"), S("!")}), "true");
  EXPECT_EQ(Show("like", {S("500"), S("50!%"), S("!")}), "false");
  EXPECT_EQ(Show("glob", {S("file.parquet"), S("*.parquet")}), "true");
  EXPECT_EQ(Show("glob", {S("file1.csv"), S("file[0-9].c?v")}), "true");
  EXPECT_EQ(Show("glob", {S("fileA.csv"), S("file[!A].csv")}), "false");
  // Non-constant patterns, one per row.
  Column s = MakeColumn(TypeId::kVarchar, {S("abc"), S("xyz"), Value::Null(TypeId::kVarchar)});
  Column p = MakeColumn(TypeId::kVarchar, {S("a%"), S("a%"), S("%")});
  auto r = CallColumns("like", {&s, &p});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->GetValue(0), Value::Boolean(true));
  EXPECT_EQ(r->GetValue(1), Value::Boolean(false));
  EXPECT_TRUE(r->IsNull(2));
}

TEST(StringFunctionsTest, Regex) {
  EXPECT_EQ(Show("regexp_matches", {S("abc123"), S("[0-9]+")}), "true");
  EXPECT_EQ(Show("regexp_full_match", {S("abc123"), S("[0-9]+")}), "false");
  EXPECT_EQ(Show("regexp_replace", {S("a1b2"), S("[0-9]"), S("#")}), "a#b2");
  EXPECT_EQ(Show("regexp_replace", {S("a1b2"), S("[0-9]"), S("#"), S("g")}), "a#b#");
  EXPECT_EQ(Show("regexp_replace", {S("john smith"), S("(\\w+) (\\w+)"), S("\\2 \\1")}), "smith john");
  EXPECT_EQ(Show("regexp_extract", {S("key=42;"), S("key=([0-9]+)"), I(1)}), "42");
  EXPECT_EQ(Show("regexp_extract", {S("nothing"), S("[0-9]+")}), "");
  EXPECT_EQ(Show("regexp_matches", {S("ABC"), S("abc"), S("i")}), "true");
  EXPECT_EQ(Show("regexp_matches", {S("x"), S("(")}).substr(0, 34), "ERROR: invalid regular expression ");
}

TEST(StringFunctionsTest, SearchAndEdit) {
  EXPECT_EQ(Show("replace", {S("banana"), S("an"), S("AN")}), "bANANa");
  EXPECT_EQ(Show("trim", {S("  hi  ")}), "hi");
  EXPECT_EQ(Show("ltrim", {S("  hi  ")}), "hi  ");
  EXPECT_EQ(Show("rtrim", {S("xxhixx"), S("x")}), "xxhi");
  EXPECT_EQ(Show("trim", {S("xyhiyx"), S("xy")}), "hi");
  EXPECT_EQ(Show("string_split", {S("a,b,,c"), S(",")}), "[a, b, '', c]");
  EXPECT_EQ(Show("split", {S("héy"), S("")}), "[h, é, y]");
  EXPECT_EQ(Show("starts_with", {S("hello"), S("he")}), "true");
  EXPECT_EQ(Show("ends_with", {S("hello"), S("lo")}), "true");
  EXPECT_EQ(Show("contains", {S("hello"), S("ell")}), "true");
  EXPECT_EQ(Show("strpos", {S("héllo"), S("llo")}), "3");
  EXPECT_EQ(Show("position", {S("hello"), S("z")}), "0");
  EXPECT_EQ(Show("left", {S("hello"), I(2)}), "he");
  EXPECT_EQ(Show("left", {S("hello"), I(-2)}), "hel");
  EXPECT_EQ(Show("right", {S("hello"), I(3)}), "llo");
  EXPECT_EQ(Show("reverse", {S("héllo")}), "olléh");
  EXPECT_EQ(Show("repeat", {S("ab"), I(3)}), "ababab");
  EXPECT_EQ(Show("lpad", {S("7"), I(3), S("0")}), "007");
  EXPECT_EQ(Show("rpad", {S("ab"), I(5), S("xy")}), "abxyx");
  EXPECT_EQ(Show("lpad", {S("hello"), I(2), S("0")}), "he");
  EXPECT_EQ(Show("md5", {S("")}), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Show("md5", {S("The quick brown fox jumps over the lazy dog")}), "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(Show("ascii", {S("A")}), "65");
  EXPECT_EQ(Show("chr", {I(233)}), "é");
  EXPECT_EQ(Show("split_part", {S("a-b-c"), S("-"), I(2)}), "b");
  EXPECT_EQ(Show("split_part", {S("a-b-c"), S("-"), I(-1)}), "c");
  EXPECT_EQ(Show("split_part", {S("a-b-c"), S("-"), I(5)}), "");
}

}  // namespace
}  // namespace alopex
