#include "common/cast.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/datetime.h"

namespace alopex {
namespace {

// "text" of the value after casting, or "ERROR: message".
std::string CastText(const Value& v, const LogicalType& to, bool try_cast = false) {
  auto r = CastValue(v, to, try_cast);
  if (!r.ok()) return "ERROR: " + r.status().message();
  return r->ToString();
}

std::string CastStr(const std::string& s, const std::string& type) {
  return CastText(Value::Varchar(s), *LogicalType::Parse(type));
}

TEST(CastTest, DoubleText) {
  EXPECT_EQ(Value::Double(0.1).ToString(), "0.1");
  EXPECT_EQ(Value::Double(2.0).ToString(), "2.0");
  EXPECT_EQ(Value::Double(3.5).ToString(), "3.5");
  EXPECT_EQ(Value::Double(1e20).ToString(), "1e+20");
  EXPECT_EQ(Value::Double(1e15).ToString(), "1000000000000000.0");
  EXPECT_EQ(Value::Double(1e16).ToString(), "1e+16");
  EXPECT_EQ(Value::Double(1.5e-7).ToString(), "1.5e-07");
  EXPECT_EQ(Value::Double(0.0001).ToString(), "0.0001");
  EXPECT_EQ(Value::Double(-0.25).ToString(), "-0.25");
  EXPECT_EQ(Value::Double(1.0 / 3).ToString(), "0.3333333333333333");
  EXPECT_EQ(Value::Double(NAN).ToString(), "nan");
  EXPECT_EQ(Value::Double(-INFINITY).ToString(), "-inf");
  EXPECT_EQ(Value::Float(0.1f).ToString(), "0.1");
  EXPECT_EQ(Value::Float(1.5f).ToString(), "1.5");
}

TEST(CastTest, ScalarText) {
  EXPECT_EQ(Value::Boolean(true).ToString(), "true");
  EXPECT_EQ(Value::Integer(-42).ToString(), "-42");
  EXPECT_EQ(Value::UBigInt(18446744073709551615ULL).ToString(), "18446744073709551615");
  EXPECT_EQ(Value::Decimal(150, 5, 2).ToString(), "1.50");
  EXPECT_EQ(Value::Decimal(-5, 5, 2).ToString(), "-0.05");
  EXPECT_EQ(Value::Decimal(7, 5, 0).ToString(), "7");
  EXPECT_EQ(Value::Blob(std::string("ab\x00\xff", 4)).ToString(), "ab\\x00\\xFF");
  EXPECT_EQ(Value::Date(*ParseDate("2024-01-31")).ToString(), "2024-01-31");
  EXPECT_EQ(Value::FromUuid({0x0123456789abcdefULL, 0xfedcba9876543210ULL}).ToString(),
            "01234567-89ab-cdef-fedc-ba9876543210");
  EXPECT_EQ(Value::Null().ToString(), "NULL");
}

TEST(CastTest, NestedText) {
  Value list = Value::List(TypeId::kInteger, {Value::Integer(1), Value::Null(TypeId::kInteger), Value::Integer(3)});
  EXPECT_EQ(list.ToString(), "[1, NULL, 3]");
  LogicalType st = LogicalType::Struct({{"a", TypeId::kInteger}, {"b", TypeId::kVarchar}});
  Value s = Value::Nested(st, {Value::Integer(1), Value::Varchar("x")});
  EXPECT_EQ(s.ToString(), "{'a': 1, 'b': x}");
  EXPECT_EQ(Value::Vector({1.0f, 2.5f}).ToString(), "[1.0, 2.5]");
  LogicalType mt = LogicalType::Map(TypeId::kVarchar, TypeId::kInteger);
  LogicalType kv = LogicalType::Struct({{"key", TypeId::kVarchar}, {"value", TypeId::kInteger}});
  Value m = Value::Nested(mt, {Value::Nested(kv, {Value::Varchar("k"), Value::Integer(1)})});
  EXPECT_EQ(m.ToString(), "{k=1}");
  EXPECT_EQ(Value::Varchar("it's").ToSqlLiteral(), "'it''s'");
  EXPECT_EQ(Value::Integer(42).ToSqlLiteral(), "42");
  EXPECT_EQ(Value::Null().ToSqlLiteral(), "NULL");
  EXPECT_EQ(Value::Date(0).ToSqlLiteral(), "'1970-01-01'::DATE");
}

TEST(CastTest, IntegerRanges) {
  EXPECT_EQ(CastText(Value::Integer(100), TypeId::kTinyInt), "100");
  EXPECT_EQ(CastText(Value::Integer(300), TypeId::kTinyInt),
            "ERROR: Type INTEGER with value 300 can't be cast because the value is out of range for the destination "
            "type TINYINT");
  EXPECT_EQ(CastText(Value::Integer(300), TypeId::kTinyInt, true), "NULL");
  EXPECT_EQ(CastText(Value::Integer(-1), TypeId::kUInteger).substr(0, 6), "ERROR:");
  EXPECT_EQ(CastText(Value::BigInt(-5), TypeId::kSmallInt), "-5");
  auto r = CastValue(Value::Integer(300), TypeId::kTinyInt);
  EXPECT_EQ(r.status().code(), StatusCode::kConversionError);
}

TEST(CastTest, FloatToIntegerRoundsHalfAway) {
  EXPECT_EQ(CastText(Value::Double(2.5), TypeId::kInteger), "3");
  EXPECT_EQ(CastText(Value::Double(-2.5), TypeId::kInteger), "-3");
  EXPECT_EQ(CastText(Value::Double(1.4), TypeId::kBigInt), "1");
  EXPECT_EQ(CastText(Value::Double(1e20), TypeId::kBigInt).substr(0, 6), "ERROR:");
  EXPECT_EQ(CastText(Value::Double(NAN), TypeId::kInteger).substr(0, 6), "ERROR:");
  EXPECT_EQ(CastText(Value::Double(1e300), TypeId::kFloat).substr(0, 6), "ERROR:");
  EXPECT_EQ(CastText(Value::Integer(7), TypeId::kDouble), "7.0");
}

TEST(CastTest, Decimals) {
  LogicalType d52 = LogicalType::Decimal(5, 2);
  EXPECT_EQ(CastText(Value::Integer(3), d52), "3.00");
  EXPECT_EQ(CastText(Value::Integer(1000), d52).substr(0, 6), "ERROR:");
  EXPECT_EQ(CastText(Value::Double(1.005), LogicalType::Decimal(10, 1)), "1.0");
  EXPECT_EQ(CastText(Value::Double(2.675), d52), "2.67");  // 2.675 is 2.67499999... in binary
  EXPECT_EQ(CastText(Value::Decimal(12345, 10, 3), d52), "12.35");
  EXPECT_EQ(CastText(Value::Decimal(-12345, 10, 3), d52), "-12.35");
  EXPECT_EQ(CastText(Value::Decimal(150, 5, 2), TypeId::kInteger), "2");
  EXPECT_EQ(CastText(Value::Decimal(-150, 5, 2), TypeId::kInteger), "-2");
  EXPECT_EQ(CastText(Value::Decimal(150, 5, 2), TypeId::kDouble), "1.5");
  EXPECT_EQ(CastText(Value::Decimal(150, 5, 2), LogicalType::Decimal(20, 4)), "1.5000");
  LogicalType wide = LogicalType::Decimal(38, 10);
  EXPECT_EQ(CastStr("12345678901234567890.0123456789", "DECIMAL(38,10)"), "12345678901234567890.0123456789");
  EXPECT_EQ(CastText(*CastValue(Value::Varchar("1.5"), wide), TypeId::kBigInt), "2");
  EXPECT_EQ(CastStr(" 1.25 ", "DECIMAL(4,1)"), "1.3");
  EXPECT_EQ(CastStr("1e2", "DECIMAL(5,1)"), "100.0");
  EXPECT_EQ(CastStr("abc", "DECIMAL(5,1)"), "ERROR: Could not convert string 'abc' to DECIMAL(5,1)");
}

TEST(CastTest, TextToNumbers) {
  EXPECT_EQ(CastStr(" 42 ", "INTEGER"), "42");
  EXPECT_EQ(CastStr("-7", "TINYINT"), "-7");
  EXPECT_EQ(CastStr("1.5", "INTEGER"), "2");
  EXPECT_EQ(CastStr("abc", "INTEGER"), "ERROR: Could not convert string 'abc' to INTEGER");
  EXPECT_EQ(CastStr("300", "TINYINT"), "ERROR: Could not convert string '300' to TINYINT");
  EXPECT_EQ(CastStr("", "INTEGER"), "ERROR: Could not convert string '' to INTEGER");
  EXPECT_EQ(CastStr("18446744073709551615", "UBIGINT"), "18446744073709551615");
  EXPECT_EQ(CastStr("0.1", "DOUBLE"), "0.1");
  EXPECT_EQ(CastStr("  -1e3", "DOUBLE"), "-1000.0");
  EXPECT_EQ(CastStr("inf", "DOUBLE"), "inf");
  EXPECT_EQ(CastStr("1.2.3", "DOUBLE"), "ERROR: Could not convert string '1.2.3' to DOUBLE");
  EXPECT_EQ(CastText(Value::Varchar("x"), TypeId::kInteger, true), "NULL");
}

TEST(CastTest, Booleans) {
  for (const char* t : {"true", "T", "1", "yes", " TRUE "}) EXPECT_EQ(CastStr(t, "BOOLEAN"), "true") << t;
  for (const char* f : {"false", "f", "0", "no"}) EXPECT_EQ(CastStr(f, "BOOLEAN"), "false") << f;
  EXPECT_EQ(CastStr("maybe", "BOOLEAN"), "ERROR: Could not convert string 'maybe' to BOOLEAN");
  EXPECT_EQ(CastText(Value::Integer(5), TypeId::kBoolean), "true");
  EXPECT_EQ(CastText(Value::Boolean(true), TypeId::kInteger), "1");
}

TEST(CastTest, Temporal) {
  EXPECT_EQ(CastStr("2024-01-31", "DATE"), "2024-01-31");
  EXPECT_EQ(CastStr("2024-02-30", "DATE"), "ERROR: Could not convert string '2024-02-30' to DATE");
  EXPECT_EQ(CastStr("2024-01-31 12:34:56.789", "TIMESTAMP"), "2024-01-31 12:34:56.789");
  EXPECT_EQ(CastStr("2024-01-31T12:00:00+01:00", "TIMESTAMPTZ"), "2024-01-31 11:00:00+00");
  EXPECT_EQ(CastStr("1 year 2 months", "INTERVAL"), "1 year 2 months");
  EXPECT_EQ(CastStr("12:30", "TIME"), "12:30:00");
  Value d = *CastValue(Value::Varchar("2024-01-31"), TypeId::kDate);
  EXPECT_EQ(CastText(d, TypeId::kTimestamp), "2024-01-31 00:00:00");
  Value ts = *CastValue(Value::Varchar("1969-12-31 23:00:00"), TypeId::kTimestamp);
  EXPECT_EQ(CastText(ts, TypeId::kDate), "1969-12-31");
  EXPECT_EQ(CastText(ts, TypeId::kTime), "23:00:00");
  EXPECT_FALSE(CanCast(TypeId::kDate, TypeId::kTime));
}

TEST(CastTest, Uuid) {
  EXPECT_EQ(CastStr("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "UUID"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(CastStr("{a0eebc999c0b4ef8bb6d6bb9bd380a11}", "UUID"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(CastStr("a0eebc99-9c0b", "UUID"), "ERROR: Could not convert string 'a0eebc99-9c0b' to UUID");
  EXPECT_EQ(CastText(Value::Integer(42), TypeId::kUuid), "00000000-0000-0000-0000-00000000002a");
  EXPECT_EQ(CastText(Value::Integer(-1), TypeId::kUuid).substr(0, 6), "ERROR:");
}

TEST(CastTest, BlobText) {
  EXPECT_EQ(CastStr("a\\x00\\xFFb", "BLOB"), "a\\x00\\xFFb");
  Value b = *CastValue(Value::Varchar("\\xAA\\xBB"), TypeId::kBlob);
  EXPECT_EQ(b.GetString(), "\xAA\xBB");
  EXPECT_EQ(CastStr("\\xZZ", "BLOB").substr(0, 6), "ERROR:");
}

TEST(CastTest, Json) {
  EXPECT_EQ(CastStr(R"({"a": [1, 2.5e3, true, null, "x\n"]})", "JSON"), R"({"a": [1, 2.5e3, true, null, "x\n"]})");
  EXPECT_EQ(CastStr(R"({"a": 1,})", "JSON"), "ERROR: Malformed JSON at byte 8: expected a string key in an object");
  EXPECT_EQ(CastStr("[1, 2", "JSON"), "ERROR: Malformed JSON at byte 5: unexpected end of input in an array");
  EXPECT_EQ(CastStr("01", "JSON").substr(0, 30), "ERROR: Malformed JSON at byte ");
  EXPECT_EQ(CastText(Value::Integer(3), TypeId::kJson), "3");
  Value list = Value::List(TypeId::kVarchar, {Value::Varchar("a\"b"), Value::Null(TypeId::kVarchar)});
  EXPECT_EQ(CastText(list, TypeId::kJson), R"(["a\"b",null])");
  LogicalType st = LogicalType::Struct({{"a", TypeId::kInteger}, {"b", TypeId::kDate}});
  EXPECT_EQ(CastText(Value::Nested(st, {Value::Integer(1), Value::Date(0)}), TypeId::kJson),
            R"({"a":1,"b":"1970-01-01"})");
  Value j = Value::Json("\"2024-01-31\"");
  EXPECT_EQ(CastText(j, TypeId::kDate), "2024-01-31");
  EXPECT_EQ(CastText(Value::Json("42"), TypeId::kInteger), "42");
  EXPECT_EQ(CastText(Value::Json("null"), TypeId::kInteger), "NULL");
  EXPECT_EQ(CastText(Value::Json("[1,2]"), LogicalType::List(TypeId::kInteger)), "[1, 2]");
}

TEST(CastTest, TextToNested) {
  EXPECT_EQ(CastStr("[1, 2, 3]", "INTEGER[]"), "[1, 2, 3]");
  EXPECT_EQ(CastStr("[]", "INTEGER[]"), "[]");
  EXPECT_EQ(CastStr("[1, NULL]", "INTEGER[]"), "[1, NULL]");
  EXPECT_EQ(CastStr("[[1, 2], [3]]", "INTEGER[][]"), "[[1, 2], [3]]");
  // Elements that would not read back as themselves print quoted (DuckDB's rule).
  EXPECT_EQ(CastStr("['a,b', 'c''d', e]", "VARCHAR[]"), "['a,b', 'c\\'d', e]");
  EXPECT_EQ(CastStr("[1, x]", "INTEGER[]"), "ERROR: Could not convert string 'x' to INTEGER");
  EXPECT_EQ(CastStr("1, 2", "INTEGER[]"), "ERROR: Could not convert string '1, 2' to INTEGER[]");
  EXPECT_EQ(CastStr("{'a': 1, 'b': hello}", "STRUCT(a INTEGER, b VARCHAR)"), "{'a': 1, 'b': hello}");
  EXPECT_EQ(CastStr("{a: 1}", "STRUCT(a INTEGER, b VARCHAR)"), "{'a': 1, 'b': NULL}");
  EXPECT_EQ(CastStr("{k=1, j=2}", "MAP(VARCHAR, INTEGER)"), "{k=1, j=2}");
  EXPECT_EQ(CastStr("[0.5, 1, -2e1]", "VECTOR(3)"), "[0.5, 1.0, -20.0]");
  EXPECT_EQ(CastStr("[1, 2, 3, 4]", "VECTOR(3)"), "ERROR: VECTOR(3) expects 3 values, got 4");
}

TEST(CastTest, ListsAndVectors) {
  Value ints = Value::List(TypeId::kInteger, {Value::Integer(1), Value::Integer(2), Value::Integer(3)});
  EXPECT_EQ(CastText(ints, LogicalType::List(TypeId::kDouble)), "[1.0, 2.0, 3.0]");
  EXPECT_EQ(CastText(ints, LogicalType::List(TypeId::kVarchar)), "[1, 2, 3]");
  EXPECT_EQ(CastText(ints, LogicalType::Vector(3)), "[1.0, 2.0, 3.0]");
  EXPECT_EQ(CastText(ints, LogicalType::Vector(4)), "ERROR: VECTOR(4) expects 4 values, got 3");
  EXPECT_EQ(CastText(ints, LogicalType::Vector(4), true), "NULL");
  Value with_null = Value::List(TypeId::kInteger, {Value::Integer(1), Value::Null(TypeId::kInteger)});
  EXPECT_EQ(CastText(with_null, LogicalType::Vector(2)), "ERROR: VECTOR(2) cannot contain NULL elements");
  Value big = Value::List(TypeId::kInteger, {Value::Integer(1), Value::Integer(300)});
  EXPECT_EQ(CastText(big, LogicalType::List(TypeId::kTinyInt)).substr(0, 40), "ERROR: Type INTEGER with value 300 can't");
  Value vec = Value::Vector({0.5f, 1.5f});
  EXPECT_EQ(CastText(vec, LogicalType::List(TypeId::kFloat)), "[0.5, 1.5]");
  EXPECT_EQ(CastText(vec, LogicalType::List(TypeId::kDouble)), "[0.5, 1.5]");
  EXPECT_EQ(CastText(vec, TypeId::kVarchar), "[0.5, 1.5]");
  EXPECT_EQ(CastText(vec, LogicalType::Vector(3)), "ERROR: VECTOR(3) expects 3 values, got 2");
}

TEST(CastTest, Structs) {
  LogicalType from = LogicalType::Struct({{"a", TypeId::kInteger}, {"b", TypeId::kVarchar}});
  Value s = Value::Nested(from, {Value::Integer(1), Value::Varchar("7")});
  LogicalType by_name = LogicalType::Struct({{"b", TypeId::kInteger}, {"a", TypeId::kDouble}});
  EXPECT_EQ(CastText(s, by_name), "{'b': 7, 'a': 1.0}");
  LogicalType by_pos = LogicalType::Struct({{"x", TypeId::kBigInt}, {"y", TypeId::kVarchar}});
  EXPECT_EQ(CastText(s, by_pos), "{'x': 1, 'y': 7}");
}

TEST(CastTest, ColumnRespectsValidity) {
  Column in(TypeId::kVarchar, 4);
  in.AppendValue(Value::Varchar("1"));
  in.AppendValue(Value::Null(TypeId::kVarchar));
  in.AppendValue(Value::Varchar("3"));
  in.AppendValue(Value::Varchar("bad"));
  Column out;
  size_t row = 0;
  Status st = CastColumn(in, TypeId::kInteger, &out, false, &row);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(row, 3u);
  EXPECT_EQ(st.message(), "Could not convert string 'bad' to INTEGER");
  ASSERT_TRUE(CastColumn(in, TypeId::kInteger, &out, true).ok());
  EXPECT_EQ(out.GetValue(0), Value::Integer(1));
  EXPECT_TRUE(out.IsNull(1));
  EXPECT_EQ(out.GetValue(2), Value::Integer(3));
  EXPECT_TRUE(out.IsNull(3));

  // A NULL row holding garbage must not fail the cast.
  Column ints(TypeId::kInteger, 2);
  ints.AppendValue(Value::Integer(1));
  ints.AppendValue(Value::Integer(1000));
  ints.SetNull(1);
  ASSERT_TRUE(CastColumn(ints, TypeId::kTinyInt, &out).ok());
  EXPECT_TRUE(out.IsNull(1));

  // Lists with gathered (non-dense) entries.
  Column lists(LogicalType::List(TypeId::kInteger), 3);
  lists.AppendValue(Value::List(TypeId::kInteger, {Value::Integer(1), Value::Integer(2)}));
  lists.AppendValue(Value::Null(LogicalType::List(TypeId::kInteger)));
  lists.AppendValue(Value::List(TypeId::kInteger, {Value::Integer(3)}));
  uint32_t sel[] = {2, 0, 1};
  Column shuffled(lists.type());
  shuffled.Gather(lists, sel, 3);
  ASSERT_TRUE(CastColumn(shuffled, LogicalType::List(TypeId::kBigInt), &out).ok());
  EXPECT_EQ(FormatValue(out, 0), "[3]");
  EXPECT_EQ(FormatValue(out, 1), "[1, 2]");
  EXPECT_EQ(FormatValue(out, 2), "NULL");
}

TEST(CastTest, CanCastRules) {
  EXPECT_TRUE(CanCast(TypeId::kInteger, TypeId::kVarchar));
  EXPECT_TRUE(CanCast(TypeId::kVarchar, LogicalType::Vector(3)));
  EXPECT_TRUE(CanCast(LogicalType::List(TypeId::kDouble), LogicalType::Vector(3)));
  EXPECT_FALSE(CanCast(LogicalType::List(TypeId::kDate), LogicalType::Vector(3)));
  EXPECT_FALSE(CanCast(TypeId::kDate, TypeId::kInteger));
  EXPECT_TRUE(CanImplicitlyCast(TypeId::kInteger, TypeId::kBigInt));
  EXPECT_TRUE(CanImplicitlyCast(TypeId::kInteger, TypeId::kDouble));
  EXPECT_FALSE(CanImplicitlyCast(TypeId::kBigInt, TypeId::kInteger));
  EXPECT_FALSE(CanImplicitlyCast(TypeId::kInteger, TypeId::kVarchar));
  EXPECT_TRUE(CanImplicitlyCast(TypeId::kDate, TypeId::kTimestamp));
  EXPECT_TRUE(CanImplicitlyCast(LogicalType::List(TypeId::kDouble), LogicalType::Vector(8)));
  EXPECT_TRUE(CanImplicitlyCast(TypeId::kInteger, LogicalType::Decimal(12, 2)));
  EXPECT_FALSE(CanImplicitlyCast(TypeId::kInteger, LogicalType::Decimal(5, 2)));
}

}  // namespace
}  // namespace alopex
