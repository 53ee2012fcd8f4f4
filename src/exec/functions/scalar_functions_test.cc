// Date/time, numeric, list, JSON and conditional functions through the registry.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "common/datetime.h"
#include "exec/functions/function_test_util.h"

namespace alopex {
namespace {

using testing::Call;
using testing::CallColumns;
using testing::MakeColumn;
using testing::Show;

Value S(const char* s) { return Value::Varchar(s); }
Value I(int64_t v) { return Value::BigInt(v); }
Value D(const char* s) { return Value::Date(*ParseDate(s)); }
Value Ts(const char* s) { return Value::Timestamp(*ParseTimestamp(s)); }
Value Ints(std::vector<int> xs) {
  std::vector<Value> items;
  for (int x : xs) items.push_back(Value::Integer(x));
  return Value::List(TypeId::kInteger, items);
}

TEST(DatetimeFunctionsTest, PartsAndTrunc) {
  Value t = Ts("2024-02-29 13:45:30.25");
  EXPECT_EQ(Show("year", {t}), "2024");
  EXPECT_EQ(Show("month", {D("2024-07-04")}), "7");
  EXPECT_EQ(Show("extract", {S("hour"), t}), "13");
  EXPECT_EQ(Show("date_part", {S("dow"), t}), "4");
  EXPECT_EQ(Show("date_part", {S("epoch"), Ts("1970-01-01 00:00:01.5")}), "1.5");
  EXPECT_EQ(Show("date_part", {S("fortnight"), t}).substr(0, 30), "ERROR: unknown date part \"fort");
  EXPECT_EQ(Show("date_trunc", {S("month"), t}), "2024-02-01 00:00:00");
  EXPECT_EQ(Show("date_trunc", {S("year"), D("2024-07-04")}), "2024-01-01 00:00:00");  // DATE truncates to TIMESTAMP
  EXPECT_EQ(Show("date_diff", {S("day"), D("2024-01-01"), D("2024-03-01")}), "60");
  EXPECT_EQ(Show("datediff", {S("month"), D("2024-01-31"), D("2024-02-01")}), "1");
  EXPECT_EQ(Show("date_diff", {S("hour"), Ts("2024-01-01 10:59"), Ts("2024-01-01 12:00")}), "2");
  EXPECT_EQ(Show("date_add", {D("2024-01-31"), Value::FromInterval({1, 0, 0})}), "2024-02-29 00:00:00");
}

TEST(DatetimeFunctionsTest, ConstructionAndFormatting) {
  EXPECT_EQ(Show("make_date", {I(2024), I(2), I(29)}), "2024-02-29");
  EXPECT_EQ(Show("make_date", {I(2023), I(2), I(29)}), "ERROR: Date out of range: 2023-2-29");
  EXPECT_EQ(Show("date", {S("2024-01-31")}), "2024-01-31");
  EXPECT_EQ(Show("date", {Ts("2024-01-31 23:59:59")}), "2024-01-31");
  EXPECT_EQ(Show("strftime", {Ts("2024-03-05 07:08:09"), S("%d/%m/%Y %H:%M")}), "05/03/2024 07:08");
  EXPECT_EQ(Show("strptime", {S("05/03/2024"), S("%d/%m/%Y")}), "2024-03-05 00:00:00");
  EXPECT_EQ(Show("strptime", {S("bad"), S("%d/%m/%Y")}).substr(0, 32), "ERROR: Could not parse string \"b");
  EXPECT_EQ(Show("try_strptime", {S("bad"), S("%d/%m/%Y")}), "NULL");
  EXPECT_EQ(Show("to_timestamp", {Value::Double(86400.5)}), "1970-01-02 00:00:00.5+00");
  EXPECT_EQ(Show("epoch_ms", {Ts("1970-01-01 00:00:01")}), "1000");
  EXPECT_EQ(Show("epoch_ms", {I(1500)}), "1970-01-01 00:00:01.5");
  EXPECT_EQ(Show("epoch", {Ts("1970-01-01 00:01:00")}), "60.0");
  EXPECT_EQ(Show("last_day", {D("2024-02-10")}), "2024-02-29");
  EXPECT_EQ(Show("monthname", {D("2024-02-10")}), "February");
  EXPECT_EQ(Show("dayname", {D("2024-02-10")}), "Saturday");
  auto now = FunctionRegistry::BuiltIns().Bind({"now", {}, {}});
  ASSERT_TRUE(now.ok());
  EXPECT_TRUE(now->volatile_result);
  EXPECT_EQ(now->return_type, LogicalType(TypeId::kTimestampTz));
  auto today = Call("current_date", {});
  ASSERT_TRUE(today.ok());
  EXPECT_GT(today->GetInt64(), 19000);
}

TEST(NumericFunctionsTest, Basics) {
  EXPECT_EQ(Show("abs", {Value::Integer(-3)}), "3");
  EXPECT_EQ(Show("abs", {Value::Decimal(-150, 5, 2)}), "1.50");
  EXPECT_EQ(Show("abs", {Value::Integer(INT32_MIN)}).substr(0, 18), "ERROR: Overflow on");
  EXPECT_EQ(Show("ceil", {Value::Double(1.2)}), "2.0");
  EXPECT_EQ(Show("floor", {Value::Double(-1.2)}), "-2.0");
  EXPECT_EQ(Show("ceil", {Value::Decimal(-150, 5, 2)}), "-1");
  EXPECT_EQ(Show("round", {Value::Double(2.5)}), "3.0");
  EXPECT_EQ(Show("round", {Value::Double(1.2345), Value::Integer(2)}), "1.23");
  EXPECT_EQ(Show("round", {Value::Decimal(12345, 10, 3), Value::Integer(1)}), "12.3");
  EXPECT_EQ(Show("round", {Value::Integer(1250), Value::Integer(-2)}), "1300");
  EXPECT_EQ(Show("trunc", {Value::Double(-1.7)}), "-1.0");
  EXPECT_EQ(Show("sqrt", {Value::Integer(16)}), "4.0");
  EXPECT_EQ(Show("sqrt", {Value::Integer(-1)}), "ERROR: cannot take square root of a negative number");
  EXPECT_EQ(Show("ln", {Value::Integer(0)}), "ERROR: cannot take logarithm of zero");
  EXPECT_EQ(Show("log", {Value::Integer(1000)}), "3.0");
  EXPECT_EQ(Show("log2", {Value::Integer(8)}), "3.0");
  EXPECT_EQ(Show("power", {Value::Integer(2), Value::Integer(3)}), "8.0");
  EXPECT_EQ(Show("pow", {Value::Double(4), Value::Double(0.5)}), "2.0");
  EXPECT_EQ(Show("sign", {Value::Double(-2)}), "-1");
  EXPECT_EQ(Show("pi", {}), "3.141592653589793");
  EXPECT_EQ(Show("greatest", {Value::Integer(1), Value::Null(TypeId::kInteger), Value::Double(2.5)}), "2.5");
  EXPECT_EQ(Show("least", {S("b"), S("a")}), "a");
  EXPECT_EQ(Show("isnan", {Value::Double(NAN)}), "true");
  EXPECT_EQ(Show("isinf", {Value::Double(1)}), "false");
  EXPECT_EQ(Show("mod", {Value::Integer(7), Value::Integer(3)}), "1");
  auto r = Call("random", {});
  ASSERT_TRUE(r.ok());
  EXPECT_GE(r->GetDouble(), 0.0);
  EXPECT_LT(r->GetDouble(), 1.0);
}

TEST(ListFunctionsTest, ValueExtractSlice) {
  EXPECT_EQ(Show("list_value", {Value::Integer(1), Value::Double(2.5), Value::Null(TypeId::kInteger)}),
            "[1.0, 2.5, NULL]");
  Value l = Ints({10, 20, 30});
  EXPECT_EQ(Show("list_extract", {l, I(1)}), "10");
  EXPECT_EQ(Show("list_element", {l, I(-1)}), "30");
  EXPECT_EQ(Show("list_extract", {l, I(4)}), "NULL");
  EXPECT_EQ(Show("list_extract", {S("hello"), I(2)}), "e");
  EXPECT_EQ(Show("list_slice", {l, I(2), I(3)}), "[20, 30]");
  EXPECT_EQ(Show("list_slice", {l, Value::Null(TypeId::kBigInt), I(2)}), "[10, 20]");
  EXPECT_EQ(Show("list_slice", {l, I(-2), I(-1)}), "[20, 30]");
  EXPECT_EQ(Show("list_slice", {S("hello"), I(2), I(3)}), "el");
  EXPECT_EQ(Show("array_length", {l}), "3");
  EXPECT_EQ(Show("len", {l}), "3");
  LogicalType st = LogicalType::Struct({{"a", TypeId::kInteger}, {"b", TypeId::kVarchar}});
  Value s = Value::Nested(st, {Value::Integer(1), S("x")});
  EXPECT_EQ(Show("struct_extract", {s, S("b")}), "x");
  EXPECT_EQ(Show("list_extract", {s, S("a")}), "1");
  EXPECT_EQ(Show("struct_extract", {s, S("zz")}).substr(0, 31), "ERROR: Could not find key \"zz\" ");
  EXPECT_EQ(Show("struct_pack", {S("k"), Value::Integer(1), S("v"), S("t")}), "{'k': 1, 'v': t}");
}

TEST(ListFunctionsTest, SearchAggregateReshape) {
  Value l = Ints({3, 1, 2, 3});
  EXPECT_EQ(Show("list_contains", {l, Value::Integer(2)}), "true");
  EXPECT_EQ(Show("array_contains", {l, Value::Integer(9)}), "false");
  EXPECT_EQ(Show("contains", {l, Value::Integer(1)}), "true");
  EXPECT_EQ(Show("list_position", {l, Value::Integer(2)}), "3");
  EXPECT_EQ(Show("list_position", {l, Value::Integer(9)}), "NULL");
  EXPECT_EQ(Show("list_concat", {l, Ints({4})}), "[3, 1, 2, 3, 4]");
  EXPECT_EQ(Show("list_concat", {l, Value::Null(LogicalType::List(TypeId::kInteger))}), "[3, 1, 2, 3]");
  EXPECT_EQ(Show("list_sum", {l}), "9");
  EXPECT_EQ(Show("list_avg", {l}), "2.25");
  EXPECT_EQ(Show("list_min", {l}), "1");
  EXPECT_EQ(Show("list_max", {l}), "3");
  EXPECT_EQ(Show("list_sum", {Ints({})}), "NULL");
  EXPECT_EQ(Show("list_sort", {l}), "[1, 2, 3, 3]");
  EXPECT_EQ(Show("list_sort", {l, S("DESC")}), "[3, 3, 2, 1]");
  EXPECT_EQ(Show("list_reverse", {l}), "[3, 2, 1, 3]");
  EXPECT_EQ(Show("list_distinct", {l}), "[3, 1, 2]");
  Value nested = Value::List(LogicalType::List(TypeId::kInteger), {Ints({1, 2}), Ints({3})});
  EXPECT_EQ(Show("flatten", {nested}), "[1, 2, 3]");
  EXPECT_EQ(Show("array_length", {nested, I(2)}), "2");
  EXPECT_EQ(Show("range", {I(3)}), "[0, 1, 2]");
  EXPECT_EQ(Show("generate_series", {I(1), I(7), I(3)}), "[1, 4, 7]");
}

TEST(JsonFunctionsTest, Access) {
  Value j = Value::Json(R"({"a": {"b": [10, "x", null]}, "s": "hi", "n": 1.5})");
  EXPECT_EQ(Show("->", {j, S("a")}), R"({"b": [10, "x", null]})");
  EXPECT_EQ(Show("->>", {j, S("s")}), "hi");
  EXPECT_EQ(Show("->", {j, S("s")}), "\"hi\"");
  EXPECT_EQ(Show("->", {j, S("missing")}), "NULL");
  EXPECT_EQ(Show("json_extract", {j, S("$.a.b[0]")}), "10");
  EXPECT_EQ(Show("json_extract_string", {j, S("$.a.b[1]")}), "x");
  EXPECT_EQ(Show("json_extract_string", {j, S("$.a.b[2]")}), "NULL");
  EXPECT_EQ(Show("json_extract", {j, S("$.a.b[-1]")}), "null");
  EXPECT_EQ(Show("->", {Value::Json("[1, 2, 3]"), I(1)}), "2");
  EXPECT_EQ(Show("json_extract", {S(R"({"k": 1})"), S("k")}), "1");
  EXPECT_EQ(Show("json_extract", {S(R"({"k": 1)"), S("k")}),
            "ERROR: Malformed JSON at byte 7: unexpected end of input in an object");
  EXPECT_EQ(Show("json_type", {j}), "OBJECT");
  EXPECT_EQ(Show("json_type", {j, S("$.n")}), "DOUBLE");
  EXPECT_EQ(Show("json_array_length", {j, S("$.a.b")}), "3");
  EXPECT_EQ(Show("json_keys", {j}), "[a, s, n]");
  EXPECT_EQ(Show("json_valid", {S("{\"a\":1}")}), "true");
  EXPECT_EQ(Show("json_valid", {S("{a:1}")}), "false");
}

TEST(JsonFunctionsTest, Build) {
  EXPECT_EQ(Show("to_json", {Ints({1, 2})}), "[1,2]");
  EXPECT_EQ(Show("to_json", {S("a\"b")}), R"("a\"b")");
  EXPECT_EQ(Show("json_object", {S("a"), Value::Integer(1), S("b"), Value::Null(TypeId::kVarchar)}),
            R"({"a":1,"b":null})");
  EXPECT_EQ(Show("json_array", {Value::Integer(1), S("x")}), R"([1,"x"])");
}

TEST(MiscFunctionsTest, Conditionals) {
  Value n = Value::Null(TypeId::kInteger);
  EXPECT_EQ(Show("coalesce", {n, n, Value::Integer(3), Value::Integer(4)}), "3");
  EXPECT_EQ(Show("coalesce", {n, Value::Double(1.5)}), "1.5");
  EXPECT_EQ(Show("ifnull", {n, Value::Integer(2)}), "2");
  EXPECT_EQ(Show("nullif", {Value::Integer(2), Value::Integer(2)}), "NULL");
  EXPECT_EQ(Show("nullif", {Value::Integer(2), Value::Integer(3)}), "2");
  EXPECT_EQ(Show("if", {Value::Boolean(true), S("a"), S("b")}), "a");
  EXPECT_EQ(Show("iff", {Value::Null(TypeId::kBoolean), S("a"), S("b")}), "b");
  EXPECT_EQ(Show("typeof", {Value::Decimal(1, 5, 2)}), "DECIMAL(5,2)");
  EXPECT_EQ(Show("typeof", {n}), "INTEGER");
  EXPECT_EQ(Show("hash", {S("x")}), Show("hash", {S("x")}));
  EXPECT_NE(Show("hash", {S("x")}), Show("hash", {S("y")}));
  auto u = Call("gen_random_uuid", {});
  ASSERT_TRUE(u.ok());
  std::string text = u->ToString();
  EXPECT_EQ(text.size(), 36u);
  EXPECT_EQ(text[14], '4');

  // coalesce over columns with a NULL in each.
  Column a = MakeColumn(TypeId::kVarchar, {Value::Null(TypeId::kVarchar), S("a long string value here")});
  Column b = MakeColumn(TypeId::kVarchar, {S("fallback string long enough"), S("unused")});
  auto r = CallColumns("coalesce", {&a, &b});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->GetValue(0).ToString(), "fallback string long enough");
  EXPECT_EQ(r->GetValue(1).ToString(), "a long string value here");
}

}  // namespace
}  // namespace alopex
