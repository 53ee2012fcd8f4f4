// The catalog store's contract, on SQLite (the PostgreSQL store runs the same
// SQL; tests/integration/pg_catalog_test.cc drives it against a real server).
#include "storage/catalog_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace alopex {
namespace {

class CatalogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/alopex_catalog_store_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    a_ = Open();
    b_ = Open();
    ASSERT_TRUE(a_ && b_);
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<CatalogStore> Open() {
    auto store = CatalogStore::Open("", dir_ + "/catalog.sqlite");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::string dir_;
  std::unique_ptr<CatalogStore> a_, b_;  // two connections, as two processes have
};

TEST_F(CatalogStoreTest, EveryNameChangeMovesTheGenerationForEveryConnection) {
  auto g0 = b_->Generation();
  ASSERT_TRUE(g0.ok()) << g0.status().ToString();
  ASSERT_TRUE(a_->PutSchema("silver").ok());
  ASSERT_TRUE(a_->PutTable({"silver", "T", "data/main/silver/t"}, false).ok());
  ASSERT_TRUE(a_->PutView({"public", "V", "SELECT 1", {"x"}}).ok());
  auto g1 = b_->Generation();
  ASSERT_TRUE(g1.ok());
  EXPECT_EQ(*g1, *g0 + 3);

  auto loaded = b_->Load();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->generation, *g1);
  EXPECT_EQ(loaded->schemas, std::vector<std::string>{"silver"});
  ASSERT_EQ(loaded->tables.size(), 1u);
  EXPECT_EQ(loaded->tables[0].name, "T");
  EXPECT_EQ(loaded->tables[0].location, "data/main/silver/t");
  ASSERT_EQ(loaded->views.size(), 1u);
  EXPECT_EQ(loaded->views[0].sql, "SELECT 1");
  EXPECT_EQ(loaded->views[0].column_aliases, std::vector<std::string>{"x"});

  // Import job rows are not names: reading them needs no reload.
  auto job = a_->InsertImportJob(ImportJobStatus{});
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(*b_->Generation(), *g1);
}

TEST_F(CatalogStoreTest, ATableNameIsTakenOnce) {
  ASSERT_TRUE(a_->PutTable({"public", "t", "data/main/public/t"}, false).ok());
  Status st = b_->PutTable({"public", "T", "data/main/public/t_1"}, false);
  EXPECT_EQ(st.code(), StatusCode::kAlreadyExists) << st.ToString();
  ASSERT_TRUE(b_->PutTable({"public", "T", "data/main/public/t_1"}, true).ok());
  auto loaded = a_->Load();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->tables.size(), 1u);
  EXPECT_EQ(loaded->tables[0].location, "data/main/public/t_1");
}

TEST_F(CatalogStoreTest, DropAndRenameApplyOnlyToTheTableAtTheLocationGiven) {
  ASSERT_TRUE(a_->PutTable({"public", "t", "data/main/public/t_1"}, true).ok());
  // Another process replaced t (new location) after this one read it.
  EXPECT_EQ(b_->DeleteTable("public", "t", "data/main/public/t").code(), StatusCode::kConflict);
  EXPECT_EQ(b_->RenameTable("public", "t", "u", "data/main/public/t").code(), StatusCode::kConflict);
  ASSERT_TRUE(b_->RenameTable("public", "T", "u", "data/main/public/t_1").ok());
  ASSERT_TRUE(a_->DeleteTable("public", "U", "data/main/public/t_1").ok());
  EXPECT_TRUE(b_->Load()->tables.empty());
}

TEST_F(CatalogStoreTest, ImportJobsGetIdsUniqueAcrossConnections) {
  ImportJobStatus row;
  row.target_table = "t";
  row.started_at = 1000;
  auto first = a_->InsertImportJob(row);
  auto second = b_->InsertImportJob(row);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
  EXPECT_EQ(first->rfind("job_", 0), 0u);

  row.job_id = *first;
  row.state = ImportJobState::kCompleted;
  row.files_total = row.files_done = 3;
  row.rows_imported = 42;
  row.finished_at = 2000;
  row.committed_version = 7;
  ASSERT_TRUE(a_->UpdateImportJob(row).ok());
  auto jobs = b_->ImportJobs();
  ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
  ASSERT_EQ(jobs->size(), 2u);
  const ImportJobStatus& j = (*jobs)[0];
  EXPECT_EQ(j.job_id, *first);
  EXPECT_EQ(j.state, ImportJobState::kCompleted);
  EXPECT_EQ(j.files_done, 3u);
  EXPECT_EQ(j.rows_imported, 42u);
  EXPECT_EQ(j.started_at, 1000);
  EXPECT_EQ(j.finished_at, std::optional<int64_t>(2000));
  EXPECT_EQ(j.committed_version, std::optional<int64_t>(7));
  EXPECT_EQ((*jobs)[1].state, ImportJobState::kInProgress);
  EXPECT_FALSE((*jobs)[1].finished_at.has_value());
}

// ---------------------------------------------------------------- connection strings

TEST(RedactConnectionTest, HidesPasswords) {
  EXPECT_EQ(RedactConnection("postgresql://alopex:s3cret@127.0.0.1:5432/db"),
            "postgresql://alopex:***@127.0.0.1:5432/db");
  EXPECT_EQ(RedactConnection("postgres://u:p%40ss@h/db?sslmode=disable"), "postgres://u:***@h/db?sslmode=disable");
  EXPECT_EQ(RedactConnection("postgresql://u@h/db?password=s3cret&sslmode=require"),
            "postgresql://u@h/db?password=***&sslmode=require");
  EXPECT_EQ(RedactConnection("host=h password = 's3 cret' dbname=x"), "host=h password = *** dbname=x");
  EXPECT_EQ(RedactConnection("postgresql://u@h:5432/db"), "postgresql://u@h:5432/db");
  EXPECT_EQ(RedactConnection("postgresql://h/db?user=password"), "postgresql://h/db?user=password");
  std::vector<std::string> secrets;
  RedactConnection("postgresql://u:pw1@h/db?password=pw2", &secrets);
  EXPECT_EQ(secrets, (std::vector<std::string>{"pw1", "pw2"}));
}

TEST(CatalogStoreOpenTest, UnknownSchemeIsRefusedWithoutThePassword) {
  auto store = CatalogStore::Open("mysql://root:hunter22@db/x", "/nonexistent/catalog.sqlite");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("mysql://root:***@db/x"), std::string::npos) << store.status().ToString();
  EXPECT_EQ(store.status().message().find("hunter22"), std::string::npos);
}

// Nothing listens on port 1; the message names the server but not the password.
TEST(CatalogStoreOpenTest, UnreachableServerNamesHostAndPortButNotThePassword) {
  auto store = CatalogStore::Open("postgresql://alopex:hunter22@127.0.0.1:1/db", "");
  ASSERT_FALSE(store.ok());
  std::string msg = store.status().ToString();
  EXPECT_NE(msg.find("127.0.0.1:1"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("hunter22"), std::string::npos) << msg;
}

}  // namespace
}  // namespace alopex
