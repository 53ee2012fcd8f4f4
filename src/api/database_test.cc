#include <gtest/gtest.h>

#include <thread>

#include "alopex/database.h"

namespace alopex {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    con_ = std::make_unique<Connection>(*db_);
  }
  QueryResult Run(const std::string& sql, const std::vector<Value>& params = {}) {
    auto r = con_->Query(sql, params);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? std::move(*r) : QueryResult();
  }
  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

TEST_F(DatabaseTest, TypedAccess) {
  auto r = Run("SELECT 40 + 2 AS answer, 'x' AS s, 2.5::DOUBLE AS d, NULL::INTEGER AS n, true AS b");
  ASSERT_EQ(r.num_rows(), 1u);
  ASSERT_EQ(r.num_columns(), 5u);
  EXPECT_EQ(r.name(0), "answer");
  EXPECT_EQ(r.type(0).id(), TypeId::kInteger);
  EXPECT_EQ(r.GetInt64(0, 0), 42);
  EXPECT_EQ(r.GetString(0, 1), "x");
  EXPECT_DOUBLE_EQ(r.GetDouble(0, 2), 2.5);
  EXPECT_TRUE(r.IsNull(0, 3));
  EXPECT_TRUE(r.GetBool(0, 4));
}

TEST_F(DatabaseTest, ParametersBindDollarN) {
  Run("CREATE TABLE t (id INTEGER, name VARCHAR)");
  Run("INSERT INTO t VALUES ($1, $2), ($3, $4)",
      {Value::Integer(1), Value::Varchar("a"), Value::Integer(2), Value::Varchar("b")});
  auto r = Run("SELECT name FROM t WHERE id = $1", {Value::Integer(2)});
  ASSERT_EQ(r.num_rows(), 1u);
  EXPECT_EQ(r.GetString(0, 0), "b");
}

TEST_F(DatabaseTest, MissingParameterIsAnError) {
  auto r = con_->Query("SELECT $2");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("$2"), std::string::npos);
}

TEST_F(DatabaseTest, PreparedStatementRunsWithDifferentValues) {
  Run("CREATE TABLE t AS SELECT range AS x FROM range(10)");
  auto p = con_->Prepare("SELECT count(*) FROM t WHERE x < $1");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ((*p)->num_params(), 1u);
  for (int k : {0, 3, 10}) {
    auto r = (*p)->Execute({Value::BigInt(k)});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->GetInt64(0, 0), k);
  }
  EXPECT_FALSE((*p)->Execute({}).ok());  // wrong parameter count
}

TEST_F(DatabaseTest, ErrorsNameTheCause) {
  Run("CREATE TABLE users (id INTEGER, name VARCHAR)");
  auto r = con_->Query("SELECT * FROM usres");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Did you mean \"users\""), std::string::npos) << r.status().message();
  r = con_->Query("SELECT nme FROM users");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("\"name\""), std::string::npos) << r.status().message();
  r = con_->Query("SELEC 1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kSyntaxError);
  EXPECT_NE(r.status().message().find("LINE 1"), std::string::npos);
}

TEST_F(DatabaseTest, FailedStatementLeavesTableUnchanged) {
  Run("CREATE TABLE t (x INTEGER NOT NULL)");
  Run("INSERT INTO t VALUES (1), (2)");
  EXPECT_FALSE(con_->Query("INSERT INTO t VALUES (3), (NULL)").ok());
  EXPECT_FALSE(con_->Query("UPDATE t SET x = x / 0").ok());
  auto r = Run("SELECT sum(x), count(*) FROM t");
  EXPECT_EQ(r.GetInt64(0, 0), 3);
  EXPECT_EQ(r.GetInt64(0, 1), 2);
}

TEST_F(DatabaseTest, LargeParallelAggregationMatchesFormula) {
  Run("CREATE TABLE t AS SELECT range AS i, range % 7 AS k FROM range(1000000)");
  auto r = Run("SELECT k, count(*), sum(i) FROM t GROUP BY k ORDER BY k");
  ASSERT_EQ(r.num_rows(), 7u);
  int64_t total = 0, count = 0;
  for (size_t row = 0; row < 7; row++) {
    EXPECT_EQ(r.GetInt64(row, 0), int64_t(row));
    count += r.GetInt64(row, 1);
    total += r.GetInt64(row, 2);
  }
  EXPECT_EQ(count, 1000000);
  EXPECT_EQ(total, int64_t(999999) * 1000000 / 2);
}

TEST_F(DatabaseTest, InterruptCancelsARunningStatement) {
  Run("CREATE TABLE t AS SELECT range AS i FROM range(20000)");
  // A nested-loop join over 400 million pairs: it runs until interrupted. The
  // helper interrupts until the statement returns (Query clears the flag when
  // it starts, so one early interrupt would not be enough).
  std::atomic<bool> done{false};
  std::thread killer([&] {
    while (!done.load()) {
      con_->Interrupt();
      std::this_thread::yield();
    }
  });
  auto r = con_->Query("SELECT count(*) FROM t a, t b WHERE a.i + b.i < 0");
  done = true;
  killer.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  // The connection keeps working.
  EXPECT_EQ(Run("SELECT 1").GetInt64(0, 0), 1);
}

}  // namespace
}  // namespace alopex
