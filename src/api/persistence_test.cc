// A database directory keeps its catalog (catalog.sqlite) and every table as
// a Delta table across close and reopen (DESIGN.md § On disk).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "alopex/database.h"

namespace alopex {
namespace {

class PersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("alopex_persistence_" + std::to_string(getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    con_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    con_.reset();
    db_.reset();
    auto db = Database::Open(dir_.string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    con_ = std::make_unique<Connection>(*db_);
  }
  QueryResult Run(const std::string& sql) {
    auto r = con_->Query(sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? std::move(*r) : QueryResult();
  }
  // Every row as "a,b,..." lines, in result order.
  std::string Rows(const std::string& sql) {
    QueryResult r = Run(sql);
    std::string out;
    for (size_t i = 0; i < r.num_rows(); i++) {
      for (size_t c = 0; c < r.num_columns(); c++) out += (c ? "," : "") + r.GetString(i, c);
      out += "\n";
    }
    return out;
  }
  std::filesystem::path dir_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

TEST_F(PersistenceTest, EverythingSurvivesReopen) {
  Run("CREATE SCHEMA silver");
  Run("CREATE TABLE silver.t(id INTEGER NOT NULL, name VARCHAR)");
  Run("INSERT INTO silver.t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  Run("UPDATE silver.t SET name = 'bb' WHERE id = 2");
  Run("DELETE FROM silver.t WHERE id = 3");
  Run("ALTER TABLE silver.t ADD COLUMN score DOUBLE");
  Run("INSERT INTO silver.t VALUES (4, 'd', 1.5)");
  Run("CREATE VIEW silver.v(ident, label) AS SELECT id, name FROM silver.t "
      "WHERE id > 1");
  Run("CREATE TABLE plain AS SELECT 42 AS x");
  Run("CREATE TABLE gone(x INTEGER)");
  Run("DROP TABLE gone");
  Run("CREATE TABLE old_name(x INTEGER)");
  Run("INSERT INTO old_name VALUES (7)");
  Run("ALTER TABLE old_name RENAME TO new_name");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "catalog.sqlite"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "data/main/silver/t/_delta_log"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data/main/public/gone"));
  std::string before = Rows("SELECT * FROM silver.t ORDER BY id");
  EXPECT_EQ(before, "1,a,NULL\n2,bb,NULL\n4,d,1.5\n");

  Reopen();
  EXPECT_EQ(Rows("SELECT * FROM silver.t ORDER BY id"), before);
  EXPECT_EQ(Rows("SELECT ident, label FROM silver.v ORDER BY ident"), "2,bb\n4,d\n");
  EXPECT_EQ(Rows("SELECT x FROM plain"), "42\n");
  EXPECT_EQ(Rows("SELECT x FROM new_name"), "7\n");
  EXPECT_FALSE(con_->Query("SELECT * FROM gone").ok());
  EXPECT_FALSE(con_->Query("SELECT * FROM old_name").ok());
  // NOT NULL survives: it is the Delta field's nullable=false.
  EXPECT_FALSE(con_->Query("INSERT INTO silver.t VALUES (NULL, 'x', 0)").ok());

  // A table created under the renamed table's old name gets a folder of its
  // own.
  Run("CREATE TABLE old_name(y VARCHAR)");
  Run("INSERT INTO old_name VALUES ('fresh')");
  Reopen();
  EXPECT_EQ(Rows("SELECT x FROM new_name"), "7\n");
  EXPECT_EQ(Rows("SELECT y FROM old_name"), "fresh\n");

  Run("DROP SCHEMA silver CASCADE");
  Reopen();
  EXPECT_FALSE(con_->Query("SELECT * FROM silver.t").ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data/main/silver/t"));
}

TEST_F(PersistenceTest, VersionAsOfReadsOlderCommits) {
  Run("CREATE TABLE t(a INTEGER)");           // version 0
  Run("INSERT INTO t VALUES (1)");            // 1
  Run("INSERT INTO t VALUES (2)");            // 2
  Run("DELETE FROM t WHERE a = 1");           // 3
  Run("ALTER TABLE t ADD COLUMN b VARCHAR");  // 4
  Reopen();
  EXPECT_EQ(Rows("SELECT count(*) FROM t VERSION AS OF 0"), "0\n");
  EXPECT_EQ(Rows("SELECT a FROM t VERSION AS OF 1"), "1\n");
  EXPECT_EQ(Rows("SELECT a FROM t VERSION AS OF 2 ORDER BY a"), "1\n2\n");
  EXPECT_EQ(Rows("SELECT a FROM t VERSION AS OF 3"), "2\n");
  EXPECT_EQ(Rows("SELECT * FROM t"), "2,NULL\n");
  EXPECT_FALSE(con_->Query("SELECT * FROM t VERSION AS OF 9").ok());
  EXPECT_EQ(Rows("SELECT a FROM t TIMESTAMP AS OF TIMESTAMP '2999-01-01 00:00:00'"), "2\n");
  EXPECT_FALSE(con_->Query("SELECT a FROM t TIMESTAMP AS OF TIMESTAMP '2000-01-01 00:00:00'").ok());
}

TEST_F(PersistenceTest, DescribeHistoryListsCommits) {
  Run("CREATE TABLE t(a INTEGER)");
  Run("INSERT INTO t VALUES (1)");
  Run("UPDATE t SET a = 2");
  QueryResult r = Run("DESCRIBE HISTORY t");
  ASSERT_EQ(r.num_rows(), 3u);
  EXPECT_EQ(r.name(0), "version");
  EXPECT_EQ(r.GetInt64(0, 0), 2);  // newest first
  EXPECT_EQ(r.GetString(1, 2), "WRITE");
  EXPECT_EQ(r.GetString(1, 3), "{\"mode\":\"Append\"}");
  EXPECT_EQ(r.GetInt64(2, 0), 0);
}

TEST_F(PersistenceTest, FailedInsertLeavesNoVersion) {
  Run("CREATE TABLE t(a INTEGER NOT NULL)");
  Run("INSERT INTO t VALUES (1)");
  EXPECT_FALSE(con_->Query("INSERT INTO t VALUES (2), (NULL)").ok());
  EXPECT_EQ(Run("DESCRIBE HISTORY t").num_rows(), 2u);
  Reopen();
  EXPECT_EQ(Run("DESCRIBE HISTORY t").num_rows(), 2u);
  EXPECT_EQ(Rows("SELECT a FROM t"), "1\n");
}

TEST_F(PersistenceTest, DropAndRenameColumnRewrite) {
  Run("CREATE TABLE t(a INTEGER, b VARCHAR, c INTEGER DEFAULT 5)");
  Run("INSERT INTO t(a, b) VALUES (1, 'x')");
  Run("ALTER TABLE t DROP COLUMN b");
  Run("ALTER TABLE t RENAME COLUMN a TO z");
  Run("ALTER TABLE t ADD COLUMN d INTEGER DEFAULT 9");
  Reopen();
  EXPECT_EQ(Rows("SELECT * FROM t"), "1,5,9\n");
  Run("INSERT INTO t(z) VALUES (2)");
  EXPECT_EQ(Rows("SELECT * FROM t ORDER BY z"), "1,5,9\n2,5,9\n");
}

TEST(PersistenceMemoryTest, InMemoryHasNoHistory) {
  auto db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  Connection con(**db);
  ASSERT_TRUE(con.Query("CREATE TABLE t(a INTEGER)").ok());
  auto r = con.Query("DESCRIBE HISTORY t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("in-memory tables have no history"), std::string::npos);
}

TEST(PersistenceTmpTest, TmpIsEmptiedOnOpen) {
  auto dir = std::filesystem::temp_directory_path() / ("alopex_tmp_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  { ASSERT_TRUE(Database::Open(dir.string()).ok()); }
  std::filesystem::create_directories(dir / "tmp");
  {
    std::FILE* f = std::fopen((dir / "tmp/spill.bin").c_str(), "w");
    std::fclose(f);
  }
  { ASSERT_TRUE(Database::Open(dir.string()).ok()); }
  EXPECT_TRUE(std::filesystem::exists(dir / "tmp"));
  EXPECT_FALSE(std::filesystem::exists(dir / "tmp/spill.bin"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace alopex
