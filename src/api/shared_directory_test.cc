// Several processes on one database directory (issue 5): each Database
// instance below has its own catalog.sqlite connection and in-memory maps, as
// a separate process would, so what one changes the other must find in the
// store, at the start of its next statement.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "alopex/database.h"
#include "api/database_instance.h"
#include "storage/catalog_store.h"

namespace alopex {
namespace {

namespace fs = std::filesystem;

class SharedDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/alopex_shared_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    a_ = OpenDb();
    b_ = OpenDb();
    ASSERT_TRUE(a_ && b_);
    con_a_ = std::make_unique<Connection>(*a_);
    con_b_ = std::make_unique<Connection>(*b_);
  }
  void TearDown() override {
    con_a_.reset();
    con_b_.reset();
    a_.reset();
    b_.reset();
    fs::remove_all(dir_);
  }
  std::shared_ptr<Database> OpenDb() {
    auto db = Database::Open(dir_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? *db : nullptr;
  }
  // Every row as "a|b" lines joined by ",".
  static std::string Rows(Connection& con, const std::string& sql) {
    auto r = con.Query(sql);
    if (!r.ok()) return "error: " + r.status().ToString();
    std::string out;
    for (size_t i = 0; i < r->num_rows(); i++) {
      if (i) out += ",";
      for (size_t c = 0; c < r->num_columns(); c++) out += (c ? "|" : "") + r->GetString(i, c);
    }
    return out;
  }
  static void Run(Connection& con, const std::string& sql) {
    auto r = con.Query(sql);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  static std::string Error(Connection& con, const std::string& sql) {
    auto r = con.Query(sql);
    return r.ok() ? "no error" : r.status().ToString();
  }

  std::string dir_;
  std::shared_ptr<Database> a_, b_;
  std::unique_ptr<Connection> con_a_, con_b_;
};

TEST_F(SharedDirectoryTest, TablesCreatedAndDroppedElsewhereAreSeenOnTheNextStatement) {
  Run(*con_b_, "SELECT 1");  // B has read the (empty) catalog
  Run(*con_a_, "CREATE TABLE t (id INTEGER, name VARCHAR)");
  Run(*con_a_, "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(Rows(*con_b_, "SELECT id, name FROM t ORDER BY id"), "1|a,2|b");

  // B's rows reach A's Table, which A read before B wrote.
  Run(*con_b_, "INSERT INTO t VALUES (3, 'c')");
  EXPECT_EQ(Rows(*con_a_, "SELECT count(*), sum(id) FROM t"), "3|6");
  Run(*con_a_, "DELETE FROM t WHERE id = 1");
  EXPECT_EQ(Rows(*con_b_, "SELECT id FROM t ORDER BY id"), "2,3");

  Run(*con_a_, "DROP TABLE t");
  EXPECT_NE(Error(*con_b_, "SELECT * FROM t").find("does not exist"), std::string::npos);
  EXPECT_EQ(Rows(*con_b_, "SHOW TABLES"), "");
}

TEST_F(SharedDirectoryTest, TablesKeepTheirObjectsAcrossRefreshesAndRenames) {
  Run(*con_a_, "CREATE TABLE t (id INTEGER)");
  Run(*con_b_, "SELECT * FROM t");
  Catalog& catalog_b = b_->instance().catalog();
  std::shared_ptr<Table> before = catalog_b.GetTable("public", "t");
  ASSERT_NE(before, nullptr);

  Run(*con_a_, "CREATE TABLE other (x INTEGER)");
  Run(*con_b_, "SELECT * FROM other");
  EXPECT_EQ(catalog_b.GetTable("public", "t"), before);  // not reopened

  Run(*con_a_, "ALTER TABLE t RENAME TO renamed");
  Run(*con_b_, "SELECT 1");
  EXPECT_EQ(catalog_b.GetTable("public", "t"), nullptr);
  EXPECT_EQ(catalog_b.GetTable("public", "renamed"), before);
  EXPECT_EQ(before->name(), "renamed");

  // A table replaced elsewhere is a different table.
  Run(*con_a_, "CREATE OR REPLACE TABLE renamed AS SELECT 7 AS y");
  EXPECT_EQ(Rows(*con_b_, "SELECT * FROM renamed"), "7");
  EXPECT_NE(catalog_b.GetTable("public", "renamed"), before);
}

TEST_F(SharedDirectoryTest, SchemasAndViewsCreatedElsewhereAreSeen) {
  Run(*con_b_, "SELECT 1");
  Run(*con_a_, "CREATE SCHEMA silver");
  Run(*con_a_, "CREATE TABLE silver.t AS SELECT 1 AS x");
  Run(*con_a_, "CREATE VIEW v AS SELECT x + 1 AS y FROM silver.t");
  EXPECT_EQ(Rows(*con_b_, "SELECT y FROM v"), "2");
  Run(*con_a_, "CREATE OR REPLACE VIEW v AS SELECT x + 2 AS y FROM silver.t");
  EXPECT_EQ(Rows(*con_b_, "SELECT y FROM v"), "3");
  Run(*con_a_, "DROP VIEW v");
  EXPECT_NE(Error(*con_b_, "SELECT * FROM v").find("does not exist"), std::string::npos);
  Run(*con_a_, "DROP SCHEMA silver CASCADE");
  EXPECT_NE(Error(*con_b_, "SELECT * FROM silver.t").find("does not exist"), std::string::npos);
  EXPECT_FALSE(b_->instance().catalog().SchemaExists("silver"));
}

// B has not looked since A created the name: the store refuses the second one.
TEST_F(SharedDirectoryTest, CreatingANameAnotherProcessJustTookFails) {
  Run(*con_b_, "SELECT 1");
  Run(*con_a_, "CREATE TABLE t (id INTEGER)");
  Catalog& catalog_b = b_->instance().catalog();
  auto table = std::make_shared<Table>("public", "t", std::vector<ColumnDef>{{"v", LogicalType(TypeId::kVarchar)}});
  Status st = catalog_b.CreateTable(table, /*if_not_exists=*/false, /*or_replace=*/false);
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists) << st.ToString();
  EXPECT_TRUE(catalog_b.CreateTable(table, /*if_not_exists=*/true, /*or_replace=*/false).ok());
  // A's table is untouched: its folder was not taken over.
  Run(*con_a_, "INSERT INTO t VALUES (5)");
  EXPECT_EQ(Rows(*con_b_, "SELECT * FROM t"), "5");
  // Dropping with a stale view of the table is refused, not applied to
  // whatever now has the name.
  Run(*con_a_, "CREATE OR REPLACE TABLE t AS SELECT 6 AS id");
  st = catalog_b.DropTable("public", "t", /*if_exists=*/false);
  EXPECT_EQ(st.code(), StatusCode::kConflict) << st.ToString();
  EXPECT_EQ(Rows(*con_a_, "SELECT * FROM t"), "6");
}

TEST_F(SharedDirectoryTest, OpeningTogetherWorks) {
  std::string other;
  {
    char tmpl[] = "/tmp/alopex_shared_new_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    other = tmpl;
  }
  std::vector<Status> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); i++)
    threads.emplace_back([&, i] {
      auto db = Database::Open(other);
      if (!db.ok()) {
        results[i] = db.status();
        return;
      }
      Connection con(**db);
      auto r = con.Query("CREATE TABLE IF NOT EXISTS t (id INTEGER); INSERT INTO t VALUES (" + std::to_string(i) + ")");
      results[i] = r.status();
    });
  for (auto& t : threads) t.join();
  for (const auto& st : results) EXPECT_TRUE(st.ok()) << st.ToString();
  auto db = Database::Open(other);
  ASSERT_TRUE(db.ok());
  Connection con(**db);
  EXPECT_EQ(Rows(con, "SELECT count(*) FROM t"), "4");
  fs::remove_all(other);
}

// ---------------------------------------------------------------- spill folders

TEST_F(SharedDirectoryTest, EachProcessSpillsIntoItsOwnFolder) {
  std::string own = dir_ + "/tmp/" + std::to_string(getpid());
  EXPECT_EQ(a_->instance().spill_dir(), own);
  EXPECT_EQ(b_->instance().spill_dir(), own);
  EXPECT_TRUE(fs::is_directory(own));
  // Gone with the process's last database on the directory.
  con_a_.reset();
  a_.reset();
  EXPECT_TRUE(fs::is_directory(own));
  con_b_.reset();
  b_.reset();
  EXPECT_FALSE(fs::exists(own));
}

TEST_F(SharedDirectoryTest, OpeningRemovesOnlyTheSpillFoldersOfProcessesThatAreGone) {
  // A pid that is certainly gone: a child that has exited and been reaped.
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  ASSERT_EQ(kill(child, 0), -1);

  std::string tmp = dir_ + "/tmp/";
  std::string gone = tmp + std::to_string(child), alive = tmp + std::to_string(getppid());
  std::string own_file = tmp + std::to_string(getpid()) + "/spill.bin";
  for (const auto& d : {gone, alive}) {
    fs::create_directories(d);
    std::ofstream(d + "/spill.bin") << "x";
  }
  std::ofstream(own_file) << "x";  // a spill file of this process's open databases
  std::ofstream(tmp + "stray.bin") << "x";

  auto c = OpenDb();
  ASSERT_TRUE(c);
  EXPECT_FALSE(fs::exists(gone));
  EXPECT_TRUE(fs::exists(alive + "/spill.bin"));
  EXPECT_TRUE(fs::exists(own_file));
  EXPECT_FALSE(fs::exists(tmp + "stray.bin"));
}

}  // namespace
}  // namespace alopex
