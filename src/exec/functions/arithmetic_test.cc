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

Value D(const char* s) { return Value::Date(*ParseDate(s)); }
Value Ts(const char* s) { return Value::Timestamp(*ParseTimestamp(s)); }
Value Iv(const char* s) { return Value::FromInterval(*ParseInterval(s)); }

TEST(ArithmeticTest, IntegerOperators) {
  EXPECT_EQ(Show("+", {Value::Integer(2), Value::Integer(3)}), "5");
  EXPECT_EQ(Show("-", {Value::Integer(2), Value::BigInt(3)}), "-1");
  EXPECT_EQ(Show("*", {Value::SmallInt(20), Value::TinyInt(3)}), "60");
  EXPECT_EQ(Show("/", {Value::Integer(7), Value::Integer(2)}), "3.5");
  EXPECT_EQ(Show("//", {Value::Integer(7), Value::Integer(2)}), "3");
  EXPECT_EQ(Show("%", {Value::Integer(-7), Value::Integer(2)}), "-1");
  EXPECT_EQ(Show("^", {Value::Integer(2), Value::Integer(10)}), "1024.0");
  EXPECT_EQ(Show("-", {Value::Integer(5)}), "-5");
  EXPECT_EQ(Show("negate", {Value::Double(1.5)}), "-1.5");
  auto r = Call("+", {Value::Integer(2), Value::Integer(3)});
  EXPECT_EQ(r->type(), LogicalType(TypeId::kInteger));
}

TEST(ArithmeticTest, OverflowAndDivisionByZero) {
  EXPECT_EQ(Show("+", {Value::Integer(2147483647), Value::Integer(1)}),
            "ERROR: Overflow in addition of INTEGER (2147483647 + 1)");
  EXPECT_EQ(Show("*", {Value::BigInt(INT64_MAX), Value::BigInt(2)}).substr(0, 40),
            "ERROR: Overflow in multiplication of BIG");
  EXPECT_EQ(Show("-", {Value::TinyInt(-128), Value::TinyInt(1)}),
            "ERROR: Overflow in subtraction of TINYINT (-128 - 1)");
  EXPECT_EQ(Show("negate", {Value::Integer(INT32_MIN)}).substr(0, 27), "ERROR: Overflow in negation");
  EXPECT_EQ(Show("/", {Value::Integer(1), Value::Integer(0)}), "ERROR: Division by zero");
  EXPECT_EQ(Show("//", {Value::Integer(1), Value::Integer(0)}), "ERROR: Division by zero");
  EXPECT_EQ(Show("%", {Value::Integer(1), Value::Integer(0)}), "ERROR: Division by zero");
  EXPECT_EQ(Show("/", {Value::Double(1), Value::Double(0)}), "ERROR: Division by zero");
  auto st = Call("/", {Value::Integer(1), Value::Integer(0)}).status();
  EXPECT_EQ(st.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(Show("+", {Value::Null(TypeId::kInteger), Value::Integer(1)}), "NULL");
}

TEST(ArithmeticTest, NullRowsNeverRaise) {
  // Row 1 divides by zero and overflows, but its divisor / operand is NULL.
  Column a = MakeColumn(TypeId::kInteger, {Value::Integer(10), Value::Integer(2147483647)});
  Column b = MakeColumn(TypeId::kInteger, {Value::Integer(2), Value::Null(TypeId::kInteger)});
  for (const char* op : {"/", "//", "%", "+", "*"}) {
    auto r = CallColumns(op, {&a, &b});
    ASSERT_TRUE(r.ok()) << op << ": " << r.status().ToString();
    EXPECT_TRUE(r->IsNull(1));
  }
  auto r = CallColumns("//", {&a, &b});
  EXPECT_EQ(r->GetValue(0), Value::Integer(5));
}

TEST(ArithmeticTest, Decimals) {
  Value a = Value::Decimal(150, 5, 2);   // 1.50
  Value b = Value::Decimal(25, 3, 1);    // 2.5
  auto sum = Call("+", {a, b});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->ToString(), "4.00");
  EXPECT_EQ(sum->type().scale(), 2);
  EXPECT_EQ(Show("-", {a, b}), "-1.00");
  EXPECT_EQ(Show("*", {a, b}), "3.750");
  EXPECT_EQ(Show("/", {a, b}), "0.6");
  EXPECT_EQ(Show("+", {a, Value::Integer(1)}), "2.50");
  EXPECT_EQ(Show("*", {a, Value::Integer(3)}), "4.50");
  EXPECT_EQ(Show("+", {a, Value::Double(0.25)}), "1.75");
  EXPECT_EQ(Show("negate", {a}), "-1.50");
}

TEST(ArithmeticTest, Temporal) {
  EXPECT_EQ(Show("+", {D("2024-01-31"), Value::Integer(1)}), "2024-02-01");
  EXPECT_EQ(Show("-", {D("2024-03-01"), Value::Integer(1)}), "2024-02-29");
  EXPECT_EQ(Show("-", {D("2024-03-01"), D("2024-01-01")}), "60");
  EXPECT_EQ(Show("+", {D("2024-01-31"), Iv("1 month")}), "2024-02-29 00:00:00");
  EXPECT_EQ(Show("-", {Ts("2024-03-01 12:00:00"), Ts("2024-01-01")}), "60 days 12:00:00");
  EXPECT_EQ(Show("+", {Ts("2024-01-01 23:00:00"), Iv("2 hours")}), "2024-01-02 01:00:00");
  EXPECT_EQ(Show("-", {Ts("2024-01-01"), Iv("1 day")}), "2023-12-31 00:00:00");
  EXPECT_EQ(Show("+", {Iv("1 day"), Iv("2 hours")}), "1 day 02:00:00");
  EXPECT_EQ(Show("*", {Iv("1 day 01:00:00"), Value::Integer(3)}), "3 days 03:00:00");
  EXPECT_EQ(Show("*", {Value::Integer(2), Iv("1 month")}), "2 months");
  EXPECT_EQ(Show("negate", {Iv("1 day")}), "-1 day");
  EXPECT_EQ(Show("+", {D("2024-01-01"), D("2024-01-01")}).substr(0, 35), "ERROR: No function matches +(DATE, ");
}

TEST(ComparisonTest, AcrossTypes) {
  EXPECT_EQ(Show("=", {Value::Integer(1), Value::Double(1.0)}), "true");
  EXPECT_EQ(Show("<", {Value::Integer(1), Value::BigInt(2)}), "true");
  EXPECT_EQ(Show(">=", {Value::Decimal(150, 5, 2), Value::Double(1.5)}), "true");
  EXPECT_EQ(Show("<>", {Value::Varchar("a"), Value::Varchar("b")}), "true");
  EXPECT_EQ(Show("<", {Value::Varchar("abc"), Value::Varchar("abd")}), "true");
  EXPECT_EQ(Show("<", {Value::Varchar("this is a long string 1"), Value::Varchar("this is a long string 2")}), "true");
  EXPECT_EQ(Show("=", {D("2024-01-01"), Ts("2024-01-01 00:00:00")}), "true");
  EXPECT_EQ(Show("<", {Iv("29 days"), Iv("1 month")}), "true");
  EXPECT_EQ(Show("=", {Value::Null(TypeId::kInteger), Value::Integer(1)}), "NULL");
  EXPECT_EQ(Show("=", {Value::Double(NAN), Value::Double(NAN)}), "true");
  EXPECT_EQ(Show(">", {Value::Double(NAN), Value::Double(1e300)}), "true");
  EXPECT_EQ(Show("=", {D("2024-01-01"), Value::Integer(3)}).substr(0, 44), "ERROR: Cannot compare values of type DATE an");
}

TEST(ComparisonTest, Nested) {
  Value l1 = Value::List(TypeId::kInteger, {Value::Integer(1), Value::Integer(2)});
  Value l2 = Value::List(TypeId::kInteger, {Value::Integer(1), Value::Integer(3)});
  Value l3 = Value::List(TypeId::kInteger, {Value::Integer(1)});
  EXPECT_EQ(Show("<", {l1, l2}), "true");
  EXPECT_EQ(Show("<", {l3, l1}), "true");
  EXPECT_EQ(Show("=", {l1, l1}), "true");
  LogicalType st = LogicalType::Struct({{"a", TypeId::kInteger}, {"b", TypeId::kVarchar}});
  EXPECT_EQ(Show(">", {Value::Nested(st, {Value::Integer(1), Value::Varchar("b")}),
                       Value::Nested(st, {Value::Integer(1), Value::Varchar("a")})}),
            "true");
  EXPECT_EQ(Show("=", {Value::Vector({1, 2}), Value::Vector({1, 2})}), "true");
}

TEST(ComparisonTest, DistinctAndLogic) {
  Value n = Value::Null(TypeId::kInteger);
  EXPECT_EQ(Show("is distinct from", {n, n}), "false");
  EXPECT_EQ(Show("is distinct from", {n, Value::Integer(1)}), "true");
  EXPECT_EQ(Show("is not distinct from", {n, n}), "true");
  EXPECT_EQ(Show("is not distinct from", {Value::Integer(2), Value::Integer(2)}), "true");
  Value t = Value::Boolean(true), f = Value::Boolean(false), u = Value::Null(TypeId::kBoolean);
  EXPECT_EQ(Show("and", {t, u}), "NULL");
  EXPECT_EQ(Show("and", {f, u}), "false");
  EXPECT_EQ(Show("and", {t, t}), "true");
  EXPECT_EQ(Show("or", {t, u}), "true");
  EXPECT_EQ(Show("or", {f, u}), "NULL");
  EXPECT_EQ(Show("or", {f, f}), "false");
  EXPECT_EQ(Show("not", {t}), "false");
  EXPECT_EQ(Show("not", {u}), "NULL");
}

TEST(RegistryTest, UnknownFunctionSuggests) {
  EXPECT_EQ(Show("lowr", {Value::Varchar("A")}), "ERROR: Scalar function \"lowr\" does not exist. Did you mean \"lower\"?");
  auto st = Call("lowr", {Value::Varchar("A")}).status();
  EXPECT_EQ(st.code(), StatusCode::kBinderError);
  EXPECT_EQ(Show("lower", {Value::Integer(1)}), "ERROR: No function matches lower(INTEGER). Candidates: lower(VARCHAR)");
  EXPECT_EQ(Show("LOWER", {Value::Varchar("AbC")}), "abc");
  EXPECT_TRUE(FunctionRegistry::BuiltIns().Exists("cosine_similarity"));
  EXPECT_TRUE(FunctionRegistry::BuiltIns().Exists("Substr"));
  EXPECT_FALSE(FunctionRegistry::BuiltIns().Exists("nope"));
  auto names = FunctionRegistry::BuiltIns().Names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_GT(names.size(), 150u);
}

}  // namespace
}  // namespace alopex
