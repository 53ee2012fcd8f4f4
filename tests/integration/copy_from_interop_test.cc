// COPY FROM reads what DuckDB (npm) writes: Parquet with FLOAT[n] arrays and
// float lists (to VECTOR(n)), hive-partitioned folders, CSV and JSON. Skipped
// with a message when node or @duckdb/node-api is missing.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "alopex/database.h"
#include "duckdb_peer.h"

namespace alopex::interop {
namespace {

#define SKIP_WITHOUT_DUCKDB()                                                                                         \
  do {                                                                                                                \
    if (!DuckdbPeer::Unavailable().empty()) GTEST_SKIP() << "DuckDB peer unavailable: " << DuckdbPeer::Unavailable(); \
  } while (0)

class CopyFromInteropTest : public testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    con_ = std::make_unique<Connection>(*db_);
  }
  std::string P(const std::string& rel) const { return (dir_.path() / rel).string(); }
  void Duckdb(const std::string& sql) {
    auto r = DuckdbPeer::Query(sql, dir_.path());
    ASSERT_TRUE(r.ok) << "DuckDB failed: " << r.error << "\nSQL: " << sql;
  }
  std::vector<std::string> Rows(const std::string& sql) {
    auto r = con_->Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << "\nSQL: " << sql;
    std::vector<std::string> out;
    if (!r.ok()) return out;
    for (size_t i = 0; i < r->num_rows(); i++) {
      std::string row;
      for (size_t c = 0; c < r->num_columns(); c++)
        row += (c ? "|" : "") + (r->IsNull(i, c) ? "NULL" : r->GetString(i, c));
      out.push_back(row);
    }
    return out;
  }

  ScratchDir dir_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

TEST_F(CopyFromInteropTest, DuckdbParquetArraysAndListsBecomeVectors) {
  SKIP_WITHOUT_DUCKDB();
  Duckdb(
      "COPY (SELECT i::INTEGER AS id, 'doc ' || i AS title, [i, i + 0.5, -1]::FLOAT[3] AS arr, "
      "[i, 2]::FLOAT[] AS lst, [i, 1, 2, 3]::DOUBLE[] AS dbl, uuid() AS u, DATE '2024-01-01' + i::INTEGER AS d "
      "FROM range(5) t(i)) TO " +
      SqlString(P("duck.parquet")) + " (FORMAT parquet)");
  auto r = con_->Query("COPY FROM " + SqlString(P("duck.parquet")) + " INTO created");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Rows("SELECT typeof(id), typeof(arr), typeof(lst), typeof(dbl), typeof(u), typeof(d) FROM created LIMIT 1"),
            (std::vector<std::string>{"INTEGER|VECTOR(3)|VECTOR(2)|VECTOR(4)|UUID|DATE"}));
  EXPECT_EQ(Rows("SELECT id, title, arr, lst, d FROM created ORDER BY id LIMIT 2"),
            (std::vector<std::string>{"0|doc 0|[0.0, 0.5, -1.0]|[0.0, 2.0]|2024-01-01",
                                      "1|doc 1|[1.0, 1.5, -1.0]|[1.0, 2.0]|2024-01-02"}));

  ASSERT_TRUE(con_->Query("CREATE TABLE docs (id BIGINT, embedding VECTOR(3), other VECTOR(4))").ok());
  r = con_->Query("COPY FROM " + SqlString(P("duck.parquet")) +
                  " INTO docs MAP COLUMNS (id => id, arr => embedding, dbl => other::VECTOR(4))");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Rows("SELECT id, embedding, other FROM docs WHERE id = 4"),
            (std::vector<std::string>{"4|[4.0, 4.5, -1.0]|[4.0, 1.0, 2.0, 3.0]"}));
  auto bad = con_->Query("COPY FROM " + SqlString(P("duck.parquet")) + " INTO docs MAP COLUMNS (lst => embedding)");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "duck.parquet: row 1, column \"lst\" (into \"embedding\"): expected VECTOR(3), got 2 values"),
            std::string::npos)
      << bad.status().ToString();
}

TEST_F(CopyFromInteropTest, DuckdbHivePartitionsWithPruning) {
  SKIP_WITHOUT_DUCKDB();
  Duckdb("COPY (SELECT i AS id, 2023 + i % 2 AS year, 1 + i % 3 AS month FROM range(12) t(i)) TO " +
         SqlString(P("lake")) + " (FORMAT parquet, PARTITION_BY (year, month))");
  auto r = con_->Query(
      "COPY FROM " + SqlString(P("lake/")) +
      " INTO parts WITH (partition_columns = ['year', 'month'], partition_filter = 'year = 2024 AND month >= 2')");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Rows("SELECT id, year, month FROM parts ORDER BY id"),
            (std::vector<std::string>{"1|2024|2", "5|2024|3", "7|2024|2", "11|2024|3"}));
}

TEST_F(CopyFromInteropTest, DuckdbCsvAndJson) {
  SKIP_WITHOUT_DUCKDB();
  Duckdb("COPY (SELECT i AS id, 'n' || i AS name, i / 2 AS score FROM range(4) t(i)) TO " + SqlString(P("people.csv")) +
         " (FORMAT csv, HEADER); COPY (SELECT i AS id, [i, i] AS pair FROM range(3) t(i)) TO " +
         SqlString(P("pairs.json")) + " (FORMAT json)");
  ASSERT_TRUE(con_->Query("CREATE TABLE people (id INTEGER, name VARCHAR, score DOUBLE)").ok());
  auto r = con_->Query("COPY people FROM " + SqlString(P("people.csv")) + " (FORMAT csv, HEADER)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Rows("SELECT * FROM people ORDER BY id"),
            (std::vector<std::string>{"0|n0|0.0", "1|n1|0.5", "2|n2|1.0", "3|n3|1.5"}));
  r = con_->Query("COPY FROM " + SqlString(P("pairs.json")) +
                  " INTO pairs MAP COLUMNS (id => id, pair => pair::VECTOR(2))");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Rows("SELECT id, pair FROM pairs ORDER BY id"),
            (std::vector<std::string>{"0|[0.0, 0.0]", "1|[1.0, 1.0]", "2|[2.0, 2.0]"}));
}

}  // namespace
}  // namespace alopex::interop
