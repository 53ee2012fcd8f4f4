#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "exec/functions/function_test_util.h"

namespace alopex {
namespace {

using testing::Call;
using testing::CallColumns;
using testing::Show;

Value FloatList(std::vector<double> xs) {
  std::vector<Value> items;
  for (double x : xs) items.push_back(Value::Double(x));
  return Value::List(TypeId::kDouble, items);
}

float F(const Result<Value>& r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? float(r->AsDouble()) : NAN;
}

TEST(VectorFunctionsTest, Metrics) {
  Value a = Value::Vector({1, 0, 0});
  Value b = Value::Vector({0, 1, 0});
  Value c = Value::Vector({1, 2, 2});
  EXPECT_FLOAT_EQ(F(Call("cosine_similarity", {a, b})), 0.0f);
  EXPECT_FLOAT_EQ(F(Call("cosine_similarity", {a, a})), 1.0f);
  EXPECT_FLOAT_EQ(F(Call("cosine_distance", {a, b})), 1.0f);
  EXPECT_FLOAT_EQ(F(Call("l2_distance", {a, b})), std::sqrt(2.0f));
  EXPECT_FLOAT_EQ(F(Call("l2_distance_squared", {a, c})), 8.0f);
  EXPECT_FLOAT_EQ(F(Call("inner_product", {a, c})), 1.0f);
  EXPECT_FLOAT_EQ(F(Call("negative_inner_product", {a, c})), -1.0f);
  EXPECT_FLOAT_EQ(F(Call("vector_norm", {c})), 3.0f);
  EXPECT_FLOAT_EQ(F(Call("<->", {a, b})), std::sqrt(2.0f));
  EXPECT_EQ(Call("cosine_similarity", {a, b})->type(), LogicalType(TypeId::kFloat));
  EXPECT_EQ(Show("array_length", {c}), "3");
  EXPECT_EQ(Show("array_length", {c, Value::Integer(1)}), "3");
}

TEST(VectorFunctionsTest, ListArguments) {
  Value v = Value::Vector({1, 2, 3});
  EXPECT_FLOAT_EQ(F(Call("inner_product", {v, FloatList({1, 1, 1})})), 6.0f);
  EXPECT_FLOAT_EQ(F(Call("inner_product", {FloatList({1, 1, 1}), v})), 6.0f);
  EXPECT_FLOAT_EQ(F(Call("l2_distance", {FloatList({0, 0}), FloatList({3, 4})})), 5.0f);
  Value ints = Value::List(TypeId::kInteger, {Value::Integer(1), Value::Integer(2), Value::Integer(3)});
  EXPECT_FLOAT_EQ(F(Call("cosine_similarity", {v, ints})), 1.0f);
}

TEST(VectorFunctionsTest, DimensionMismatch) {
  EXPECT_EQ(Show("cosine_similarity", {Value::Vector({1, 2, 3}), Value::Vector({1, 2, 3, 4})}),
            "ERROR: cosine_similarity: vector dimensions differ: VECTOR(3) and VECTOR(4)");
  EXPECT_EQ(Show("l2_distance", {Value::Vector({1, 2, 3}), FloatList({1, 2, 3, 4})}),
            "ERROR: VECTOR(3) expects 3 values, got 4");
  EXPECT_EQ(Show("inner_product", {FloatList({1, 2}), FloatList({1, 2, 3})}),
            "ERROR: inner_product: vector dimensions differ: 2 and 3");
  EXPECT_EQ(Show("inner_product", {Value::Vector({1}), Value::Varchar("x")}).substr(0, 33),
            "ERROR: No function matches inner_");
  EXPECT_EQ(Show("inner_product", {Value::Null(TypeId::kNull), Value::Vector({1, 2})}), "NULL");
}

// The dispatched kernels against a double-precision reference on odd sizes.
TEST(VectorFunctionsTest, MatchesReferenceOnManyRows) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1, 1);
  for (int dim : {1, 7, 8, 15, 16, 17, 100, 384}) {
    size_t rows = 50;
    Column a(LogicalType::Vector(dim), rows), b(LogicalType::Vector(dim), rows);
    a.Resize(rows);
    b.Resize(rows);
    for (size_t i = 0; i < rows * dim; i++) {
      a.data<float>()[i] = dist(rng);
      b.data<float>()[i] = dist(rng);
    }
    auto cos = CallColumns("cosine_similarity", {&a, &b});
    auto l2 = CallColumns("l2_distance", {&a, &b});
    auto ip = CallColumns("inner_product", {&a, &b});
    ASSERT_TRUE(cos.ok() && l2.ok() && ip.ok());
    for (size_t i = 0; i < rows; i++) {
      double dot = 0, na = 0, nb = 0, d2 = 0;
      for (int k = 0; k < dim; k++) {
        double x = a.vector_row(i)[k], y = b.vector_row(i)[k];
        dot += x * y;
        na += x * x;
        nb += y * y;
        d2 += (x - y) * (x - y);
      }
      EXPECT_NEAR(ip->data<float>()[i], dot, 1e-4 * dim);
      EXPECT_NEAR(l2->data<float>()[i], std::sqrt(d2), 1e-4 * dim);
      EXPECT_NEAR(cos->data<float>()[i], dot / std::sqrt(na * nb), 1e-4);
    }
  }
}

TEST(VectorFunctionsTest, NullRowsSkipDimensionCheck) {
  Column a(LogicalType::List(TypeId::kFloat), 2), b(LogicalType::List(TypeId::kFloat), 2);
  a.AppendValue(Value::List(TypeId::kFloat, {Value::Float(1), Value::Float(2)}));
  a.AppendValue(Value::Null(LogicalType::List(TypeId::kFloat)));
  b.AppendValue(Value::List(TypeId::kFloat, {Value::Float(1), Value::Float(2)}));
  b.AppendValue(Value::List(TypeId::kFloat, {Value::Float(1)}));
  auto r = CallColumns("inner_product", {&a, &b});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FLOAT_EQ(r->data<float>()[0], 5.0f);
  EXPECT_TRUE(r->IsNull(1));
}

}  // namespace
}  // namespace alopex
