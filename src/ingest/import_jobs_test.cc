// Import jobs kept in the catalog store: another process (here another
// Database on the same directory, with its own catalog connection) reads a
// job's row while it runs and after it ends.
#include "ingest/import_jobs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "alopex/database.h"
#include "api/database_instance.h"
#include "ingest/ingest_test_util.h"

namespace alopex {
namespace {

class StoredImportJobsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = Open();
    b_ = Open();
    ASSERT_TRUE(a_ && b_);
    con_a_ = std::make_unique<Connection>(*a_);
    con_b_ = std::make_unique<Connection>(*b_);
  }
  std::shared_ptr<Database> Open() {
    auto db = Database::Open(dir_ / "db");
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? *db : nullptr;
  }
  static std::vector<std::string> Rows(Connection& con, const std::string& sql) {
    auto r = con.Query(sql);
    if (!r.ok()) return {"error: " + r.status().ToString()};
    return testing::ResultRows(*r);
  }
  testing::ScratchDir dir_;
  std::shared_ptr<Database> a_, b_;
  std::unique_ptr<Connection> con_a_, con_b_;
};

TEST_F(StoredImportJobsTest, ARunningJobIsReadableFromAnotherProcess) {
  Catalog& catalog_a = a_->instance().catalog();
  auto job = ImportJobRegistry::Global().Start("stored_docs", &catalog_a);
  job->SetFilesTotal(3);
  job->AddRows(10);
  job->AddFilesDone(1);  // stored now
  const std::string query =
      "SELECT status, files_total, files_done, rows_imported FROM alopex_import_status "
      "WHERE job_id = '" +
      job->id() + "'";
  EXPECT_EQ(Rows(*con_b_, query), std::vector<std::string>{"in_progress|3|1|10"});
  // The process running it shows its live counters, once.
  job->AddRows(5);
  EXPECT_EQ(Rows(*con_a_, query), std::vector<std::string>{"in_progress|3|1|15"});

  job->AddFilesDone(2);
  job->Complete(15, 4);
  EXPECT_EQ(Rows(*con_b_, query), std::vector<std::string>{"completed|3|3|15"});
  job.reset();  // the import is over: only the stored row is left
  EXPECT_EQ(Rows(*con_a_, query), std::vector<std::string>{"completed|3|3|15"});
  // An in-memory database does not list a stored job.
  auto mem = Database::Open(":memory:");
  ASSERT_TRUE(mem.ok());
  Connection con_mem(**mem);
  EXPECT_TRUE(Rows(con_mem, "SELECT * FROM alopex_import_status WHERE target_table = 'stored_docs'").empty());
}

TEST_F(StoredImportJobsTest, CopyFromStoresItsJob) {
  testing::WriteText(dir_ / "in/a.csv", "id,name\n1,a\n2,b\n");
  testing::WriteText(dir_ / "in/b.csv", "id,name\n3,c\n");
  auto r = con_a_->Query("COPY FROM '" + (dir_ / "in") + "' INTO docs WITH (format = 'csv')");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string id = r->GetString(0, 0);
  EXPECT_EQ(Rows(*con_b_,
                 "SELECT job_id, status, files_total, files_done, rows_imported, target_table, "
                 "committed_version IS NOT NULL FROM alopex_import_status"),
            std::vector<std::string>{id + "|completed|2|2|3|docs|true"});
  EXPECT_EQ(Rows(*con_b_, "SELECT count(*) FROM docs"), std::vector<std::string>{"3"});
  // A failed job is stored failed, with its error.
  testing::WriteText(dir_ / "bad.csv", "id,name\nx,a\n");
  auto bad = con_b_->Query("COPY FROM '" + (dir_ / "bad.csv") + "' INTO docs WITH (format = 'csv')");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(Rows(*con_a_, "SELECT count(*), min(status), max(status), count(message) FROM alopex_import_status"),
            std::vector<std::string>{"2|completed|failed|1"});

  // Ids come from the store, so a reopened database does not reuse them.
  con_a_.reset();
  a_.reset();
  a_ = Open();
  con_a_ = std::make_unique<Connection>(*a_);
  auto again = con_a_->Query("COPY FROM '" + (dir_ / "in/b.csv") + "' INTO docs WITH (format = 'csv')");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(Rows(*con_a_, "SELECT count(DISTINCT job_id), count(*) FROM alopex_import_status"),
            std::vector<std::string>{"3|3"});
}

}  // namespace
}  // namespace alopex
