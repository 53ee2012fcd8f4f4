// COPY FROM / COPY INTO through the public API: every example of the
// Lake-Link guide as written (object-store URIs mapped to local folders), and
// the failures SQL tests cannot set up (truncated files, concurrent readers of
// alopex_import_status, files written by DuckDB).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "alopex/database.h"
#include "common/progress.h"
#include "ingest/import_jobs.h"
#include "ingest/import_options.h"
#include "ingest/ingest_test_util.h"
#include "ingest/loaded_files.h"
#include "storage/table.h"

namespace alopex {
namespace {

namespace fs = std::filesystem;

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += to.size()) s.replace(p, from.size(), to);
  return s;
}

// The guide's object-store URIs, as local folders under the working directory.
std::string Local(std::string sql) {
  sql = ReplaceAll(sql, "s3://my-bucket/", "./my-bucket/");
  sql = ReplaceAll(sql, "gs://my-bucket/", "./my-bucket/");
  return ReplaceAll(sql, "s3://bucket/", "./bucket/");
}

// A float list literal expression of `n` values starting at `start`.
std::string FloatList(int n, const std::string& start = "0") {
  return "(SELECT list((x + " + start + ")::FLOAT) FROM range(" + std::to_string(n) + ") t(x))";
}

class CopyFromTest : public ::testing::Test {
 protected:
  void SetUp() override {
    old_cwd_ = fs::current_path();
    fs::current_path(dir_.path());
    Reopen();
  }
  void TearDown() override { fs::current_path(old_cwd_); }
  void Reopen() {
    con_.reset();
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = *db;
    con_ = std::make_unique<Connection>(*db_);
  }
  QueryResult Run(const std::string& sql) {
    auto r = con_->Query(sql);
    EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
    return r.ok() ? std::move(*r) : QueryResult();
  }
  std::string Error(const std::string& sql) {
    auto r = con_->Query(sql);
    EXPECT_FALSE(r.ok()) << sql;
    return r.ok() ? "" : r.status().ToString();
  }
  // Rows as "a|b|c".
  std::vector<std::string> Rows(const std::string& sql) { return testing::ResultRows(Run(sql)); }
  int64_t Count(const std::string& table) { return Run("SELECT count(*) FROM " + table).GetInt64(0, 0); }

  testing::ScratchDir dir_;
  fs::path old_cwd_;
  std::shared_ptr<Database> db_;
  std::unique_ptr<Connection> con_;
};

// ---------------------------------------------------------------- the guide, as written

TEST_F(CopyFromTest, GuideBasicImport) {
  Run("COPY (SELECT i AS doc_id, 'title ' || i AS doc_title, 'body ' || i AS doc_content, " + FloatList(4) +
      " AS vector FROM range(3) t(i)) TO './data/documents.parquet' (FORMAT parquet)");
  QueryResult r = Run(R"(-- Simple import
COPY FROM './data/documents.parquet'
INTO documents;)");
  ASSERT_EQ(r.num_rows(), 1u);
  EXPECT_EQ(r.names(), (std::vector<std::string>{"job_id", "rows_imported", "rows_rejected", "files"}));
  EXPECT_EQ(r.GetString(0, 0).rfind("job_", 0), 0u);
  EXPECT_EQ(r.GetInt64(0, 1), 3);
  EXPECT_EQ(r.GetInt64(0, 2), 0);
  EXPECT_EQ(r.GetInt64(0, 3), 1);
  EXPECT_EQ(Rows("SELECT doc_id, doc_title, typeof(vector) FROM documents ORDER BY doc_id"),
            (std::vector<std::string>{"0|title 0|VECTOR(4)", "1|title 1|VECTOR(4)", "2|title 2|VECTOR(4)"}));

  Reopen();
  Run("CREATE TABLE documents (id BIGINT, title TEXT, content TEXT, embedding VECTOR(4))");
  Run(R"(-- With explicit column mapping
COPY FROM './data/documents.parquet'
INTO documents (id, title, content, embedding)
MAP COLUMNS (
    doc_id => id,
    doc_title => title,
    doc_content => content,
    vector => embedding
);)");
  EXPECT_EQ(Rows("SELECT id, title, content, embedding FROM documents ORDER BY id"),
            (std::vector<std::string>{"0|title 0|body 0|[0.0, 1.0, 2.0, 3.0]", "1|title 1|body 1|[0.0, 1.0, 2.0, 3.0]",
                                      "2|title 2|body 2|[0.0, 1.0, 2.0, 3.0]"}));
}

TEST_F(CopyFromTest, GuideFromObjectStoresWithLocalPaths) {
  Run("COPY (SELECT 1 AS id, 'a' AS title) TO './my-bucket/embeddings/docs.parquet' (FORMAT parquet)");
  Run("COPY (SELECT 2 AS id, 'b' AS title) TO './my-bucket/embeddings/more.parquet' (FORMAT parquet)");
  Run("COPY (SELECT 3 AS id, 'c' AS title) TO './my-bucket/data/vectors.parquet' (FORMAT parquet)");
  Run(Local(R"(-- Direct S3 import
COPY FROM 's3://my-bucket/embeddings/docs.parquet'
INTO documents
WITH (
    region = 'us-east-1',
    credentials = 'aws_profile'  -- Or use IAM role
);

-- With path pattern (multiple files)
COPY FROM 's3://my-bucket/embeddings/*.parquet'
INTO documents;)"));
  Run(Local(R"(COPY FROM 'gs://my-bucket/data/vectors.parquet'
INTO documents
WITH (
    credentials = '/path/to/service-account.json'
);)"));
  EXPECT_EQ(Rows("SELECT id, title FROM documents"), (std::vector<std::string>{"1|a", "1|a", "2|b", "3|c"}));
  // The real URIs reach the file system, which has no object stores yet.
  EXPECT_NE(Error("COPY FROM 's3://my-bucket/embeddings/docs.parquet' INTO documents WITH (region = 'us-east-1')")
                .find("s3:// paths come with the object-store support"),
            std::string::npos);
}

TEST_F(CopyFromTest, GuideVectorImport) {
  Run("COPY (SELECT 'd' || i AS id, 'text ' || i AS text, " + FloatList(1536) +
      " AS embedding FROM range(2) t(i)) TO './embeddings.parquet' (FORMAT parquet)");
  Run("CREATE TABLE documents (id TEXT, content TEXT, embedding VECTOR(1536))");
  Run(R"(-- Source Parquet schema:
-- id: string
-- text: string
-- embedding: list<float>  -- Auto-detected as VECTOR

COPY FROM './embeddings.parquet'
INTO documents (id, content, embedding)
MAP COLUMNS (
    id => id,
    text => content,
    embedding => embedding::VECTOR(1536)  -- Cast to vector type
);)");
  EXPECT_EQ(Rows("SELECT id, content, array_length(embedding::FLOAT[], 1) FROM documents ORDER BY id"),
            (std::vector<std::string>{"d0|text 0|1536", "d1|text 1|1536"}));
  QueryResult r = Run("SELECT embedding FROM documents ORDER BY id LIMIT 1");
  std::vector<float> v = r.GetVector(0, 0);
  ASSERT_EQ(v.size(), 1536u);
  EXPECT_EQ(v[1535], 1535.0f);

  Run("COPY (SELECT i AS product_id, 'p' || i AS name, " + FloatList(384) + " AS text_vec, " + FloatList(512, "1") +
      " AS image_vec, " + FloatList(1024, "2") +
      " AS combined_vec FROM range(3) t(i)) TO './multi_embeddings.parquet' (FORMAT parquet)");
  Run(R"(-- Import multiple embedding spaces
COPY FROM './multi_embeddings.parquet'
INTO products
MAP COLUMNS (
    product_id => id,
    name => name,
    text_vec => text_embedding::VECTOR(384),
    image_vec => image_embedding::VECTOR(512),
    combined_vec => combined_embedding::VECTOR(1024)
);)");
  EXPECT_EQ(Rows("SELECT id, name, typeof(text_embedding), typeof(image_embedding), typeof(combined_embedding) "
                 "FROM products ORDER BY id LIMIT 1"),
            (std::vector<std::string>{"0|p0|VECTOR(384)|VECTOR(512)|VECTOR(1024)"}));
  EXPECT_EQ(Count("products"), 3);
}

TEST_F(CopyFromTest, GuideIncrementalImport) {
  Run("CREATE TABLE documents (id INTEGER, title TEXT, year INTEGER, month INTEGER)");
  Run("COPY (SELECT i AS id, 'day ' || i AS title FROM range(3) t(i)) TO './bucket/daily/2024-03-15/a.parquet' (FORMAT "
      "parquet)");
  Run(Local(R"(-- Append new data (default)
COPY FROM 's3://bucket/daily/2024-03-15/*.parquet'
INTO documents
WITH (mode = 'append');)"));
  EXPECT_EQ(Count("documents"), 3);

  Run("COPY (SELECT * FROM (VALUES (1, 'updated'), (7, 'new')) t(id, title)) TO './bucket/updates/latest.parquet' "
      "(FORMAT parquet)");
  Run(Local(R"(-- Update existing, insert new
COPY FROM 's3://bucket/updates/latest.parquet'
INTO documents
WITH (
    mode = 'upsert',
    key_columns = ['id']
);)"));
  EXPECT_EQ(Rows("SELECT id, title FROM documents ORDER BY id"),
            (std::vector<std::string>{"0|day 0", "1|updated", "2|day 2", "7|new"}));

  Run("DELETE FROM documents");
  for (int y : {2023, 2024})
    for (int m : {2, 3, 4}) {
      char folder[64];
      std::snprintf(folder, sizeof(folder), "./bucket/data/year=%d/month=%02d/part.parquet", y, m);
      Run("COPY (SELECT " + std::to_string(y * 100 + m) + " AS id, 'p' AS title) TO '" + folder + "' (FORMAT parquet)");
    }
  Run(Local(R"(-- Import specific partition
COPY FROM 's3://bucket/data/year=2024/month=03/*.parquet'
INTO documents;)"));
  EXPECT_EQ(Rows("SELECT id, year, month FROM documents"), (std::vector<std::string>{"202403|2024|3"}));
  Run("DELETE FROM documents");
  Run(Local(R"(-- Import with partition pruning
COPY FROM 's3://bucket/data/'
INTO documents
WITH (
    partition_columns = ['year', 'month'],
    partition_filter = 'year = 2024 AND month >= 3'
);)"));
  EXPECT_EQ(Rows("SELECT id, year, month FROM documents ORDER BY id"),
            (std::vector<std::string>{"202403|2024|3", "202404|2024|4"}));
}

TEST_F(CopyFromTest, GuideSchemaEvolutionAndTypeCoercion) {
  Run("CREATE TABLE documents (id INTEGER, title TEXT)");
  Run("INSERT INTO documents VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  Run("COPY (SELECT * FROM (VALUES (1), (3), (4)) t(id)) TO './ids.parquet' (FORMAT parquet)");
  Run("COPY (SELECT id, " + FloatList(768, "id") +
      " AS new_embedding FROM read_parquet('./ids.parquet')) TO "
      "'./new_embeddings.parquet' (FORMAT parquet)");
  Run(R"(-- Add new column to existing table
ALTER TABLE documents
ADD COLUMN new_embedding VECTOR(768);

-- Import new column from Parquet
COPY FROM './new_embeddings.parquet'
INTO documents (id, new_embedding)
WITH (mode = 'update', key_columns = ['id']);)");
  EXPECT_EQ(Rows("SELECT id, title, new_embedding IS NULL FROM documents ORDER BY id"),
            (std::vector<std::string>{"1|a|false", "2|b|true", "3|c|false"}));
  QueryResult r = Run("SELECT new_embedding FROM documents WHERE id = 3");
  EXPECT_EQ(r.GetVector(0, 0)[0], 3.0f);

  Reopen();
  Run("CREATE TABLE documents (id UUID, embedding VECTOR(384), metadata JSONB)");
  Run("COPY (SELECT i + 1 AS int_id, " + FloatList(384) +
      " AS float_array, '{\"n\": ' || i || '}' AS json_str "
      "FROM range(2) t(i)) TO './data.parquet' (FORMAT parquet)");
  Run(R"(-- Automatic type conversion
COPY FROM './data.parquet'
INTO documents
MAP COLUMNS (
    int_id => id::UUID,              -- Integer to UUID
    float_array => embedding::VECTOR(384),  -- Array to Vector
    json_str => metadata::JSONB      -- String to JSONB
);)");
  EXPECT_EQ(Rows("SELECT id, metadata, typeof(embedding) FROM documents ORDER BY id"),
            (std::vector<std::string>{"00000000-0000-0000-0000-000000000001|{\"n\": 0}|VECTOR(384)",
                                      "00000000-0000-0000-0000-000000000002|{\"n\": 1}|VECTOR(384)"}));
}

TEST_F(CopyFromTest, GuidePerformanceOptions) {
  for (int f = 0; f < 6; f++)
    Run("COPY (SELECT i + " + std::to_string(f * 1000) +
        " AS id FROM range(1000) t(i)) TO './bucket/large_dataset/part-" + std::to_string(f) +
        ".parquet' (FORMAT parquet, ROW_GROUP_SIZE 300)");
  Run(Local(R"(-- Configure parallelism
COPY FROM 's3://bucket/large_dataset/*.parquet'
INTO documents
WITH (
    parallel_workers = 8,
    batch_size = 10000
);)"));
  EXPECT_EQ(Count("documents"), 6000);
  // File order, then row order, whatever the parallelism.
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT id, row_number() OVER () - 1 AS pos FROM documents) t WHERE id = pos"),
            (std::vector<std::string>{"6000"}));

  Run("COPY (SELECT 1 AS id) TO './bucket/embeddings.parquet' (FORMAT parquet)");
  std::string e = Error(Local(R"(-- Build vector index during import
COPY FROM 's3://bucket/embeddings.parquet'
INTO documents
WITH (
    build_indexes = true,
    index_type = 'hnsw',
    hnsw_m = 16,
    hnsw_ef_construction = 200
);)"));
  EXPECT_NE(e.find("vector indexes come with the vector-search feature"), std::string::npos) << e;
  EXPECT_EQ(Count("documents"), 6000);

  Run(R"(-- Control memory usage
SET alopex.import_memory_limit = '4GB';
SET alopex.import_spill_threshold = '2GB';)");
  EXPECT_EQ(Rows("SHOW alopex.import_spill_threshold"), (std::vector<std::string>{"2GB"}));
}

TEST_F(CopyFromTest, GuideMonitoringAndErrorHandling) {
  Run("CREATE TABLE documents (id INTEGER, score DOUBLE)");
  Run("COPY (SELECT * FROM (VALUES ('1', '0.5'), ('x', '1.5'), ('3', 'y')) t(id, score)) TO './bucket/data.parquet' "
      "(FORMAT parquet)");
  QueryResult r = Run(Local(R"(-- Import with error handling
COPY FROM 's3://bucket/data.parquet'
INTO documents
WITH (
    on_error = 'continue',  -- Skip bad rows
    error_table = 'import_errors',
    max_errors = 1000
);)"));
  std::string job = r.GetString(0, 0);
  EXPECT_EQ(r.GetInt64(0, 1), 1);
  EXPECT_EQ(r.GetInt64(0, 2), 2);

  // The guide's queries as written, then for this job.
  Run(R"(-- Check errors
SELECT * FROM import_errors
WHERE job_id = 'job_123';)");
  Run(R"(-- Check import progress
SELECT * FROM alopex_import_status
WHERE job_id = 'job_123';)");
  EXPECT_EQ(Rows("SELECT file, row_number, column_name, message, raw_value FROM import_errors WHERE job_id = '" + job +
                 "' ORDER BY row_number"),
            (std::vector<std::string>{"./bucket/data.parquet|2|id|Could not convert string 'x' to INTEGER|x",
                                      "./bucket/data.parquet|3|score|Could not convert string 'y' to DOUBLE|y"}));
  EXPECT_EQ(Rows("SELECT job_id, status, files_total, files_done, rows_imported, errors FROM alopex_import_status "
                 "WHERE job_id = '" +
                 job + "'"),
            (std::vector<std::string>{job + "|completed|1|1|1|2"}));
}

TEST_F(CopyFromTest, GuideBestPractices) {
  Run("COPY (SELECT i AS doc_id, 'x' AS other, " + FloatList(3) +
      " AS vector FROM range(3) t(i)) TO './large_file.parquet' (FORMAT parquet)");
  Run("CREATE TABLE documents (id INTEGER, embedding VECTOR(3), created_at TIMESTAMP)");
  Run(R"(COPY FROM './large_file.parquet'
INTO documents (id, embedding)  -- Only these columns
MAP COLUMNS (doc_id => id, vector => embedding);)");
  EXPECT_EQ(Count("documents"), 3);

  Run("COPY (SELECT i AS id, TIMESTAMP '2024-01-01' + INTERVAL (i) HOUR AS created_at FROM range(100) t(i)) TO "
      "'./sorted_data.parquet' (FORMAT parquet, ROW_GROUP_SIZE 16)");
  Run(R"(-- Parquet files sorted by created_at
COPY FROM './sorted_data.parquet'
INTO documents
WITH (preserve_sort = true);)");
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT id, row_number() OVER () - 4 AS pos FROM documents) t WHERE id = pos "
                 "AND id >= 0"),
            (std::vector<std::string>{"100"}));

  Reopen();
  Run("CREATE TABLE documents (embedding VECTOR(1536))");
  Run("COPY (SELECT CASE WHEN i = 2 THEN " + FloatList(1535) + " ELSE " + FloatList(1536) +
      " END AS embedding FROM range(4) t(i)) TO './data.parquet' (FORMAT parquet)");
  std::string e = Error(R"(-- This will fail if embedding has wrong dimension
COPY FROM './data.parquet'
INTO documents (embedding::VECTOR(1536));)");
  EXPECT_NE(e.find("./data.parquet: row 3, column \"embedding\": expected VECTOR(1536), got 1535 values"),
            std::string::npos)
      << e;
  EXPECT_EQ(Count("documents"), 0);
  EXPECT_EQ(Rows(R"(-- Validate first
SELECT COUNT(*), array_length(embedding, 1)
FROM read_parquet('./data.parquet')
GROUP BY 2 ORDER BY 2;)"),
            (std::vector<std::string>{"1|1535", "3|1536"}));
}

// ---------------------------------------------------------------- failures

TEST_F(CopyFromTest, TruncatedParquetFailsNamingTheFileAndLeavesTableUnchanged) {
  Run("COPY (SELECT i AS id FROM range(1000) t(i)) TO './good.parquet' (FORMAT parquet)");
  fs::copy_file("good.parquet", "truncated.parquet");
  fs::resize_file("truncated.parquet", fs::file_size("good.parquet") / 2);
  Run("CREATE TABLE t (id BIGINT)");
  Run("INSERT INTO t VALUES (-1)");
  // The good file comes first: its rows must not land either.
  std::string e = Error("COPY FROM ['./good.parquet', './truncated.parquet'] INTO t");
  EXPECT_NE(e.find("truncated.parquet"), std::string::npos) << e;
  EXPECT_EQ(Rows("SELECT * FROM t"), (std::vector<std::string>{"-1"}));
  e = Error("COPY FROM ['./good.parquet', './truncated.parquet'] INTO t WITH (on_error = 'continue')");
  EXPECT_NE(e.find("truncated.parquet"), std::string::npos) << e;
  EXPECT_EQ(Count("t"), 1);
  // A table the import would create is not created.
  Error("COPY FROM ['./good.parquet', './truncated.parquet'] INTO created");
  EXPECT_NE(Error("SELECT * FROM created").find("does not exist"), std::string::npos);
  // The failed jobs are listed with their error.
  EXPECT_EQ(Rows("SELECT count(*) FROM alopex_import_status WHERE target_table = 'created' AND status = 'failed' "
                 "AND message LIKE '%truncated.parquet%'"),
            (std::vector<std::string>{"1"}));
}

TEST_F(CopyFromTest, DimensionErrorNamesFileRowColumnAndDimensions) {
  Run("COPY (SELECT i AS id, CASE WHEN i = 16 THEN " + FloatList(383) + " ELSE " + FloatList(384) +
      " END AS embedding FROM range(40) t(i)) TO './docs.parquet' (FORMAT parquet, ROW_GROUP_SIZE 5)");
  Run("CREATE TABLE documents (id INTEGER, embedding VECTOR(384))");
  for (const char* workers : {"1", "4"}) {
    std::string e =
        Error(std::string("COPY FROM './docs.parquet' INTO documents WITH (parallel_workers = ") + workers + ")");
    EXPECT_NE(e.find("./docs.parquet: row 17, column \"embedding\": expected VECTOR(384), got 383 values"),
              std::string::npos)
        << e;
  }
  EXPECT_EQ(Count("documents"), 0);
}

TEST_F(CopyFromTest, RowNumbersCountAcrossCsvSplits) {
  std::ofstream out("big.csv");
  out << "id,val\n";
  for (int i = 1; i <= 200000; i++) out << i << "," << (i == 150000 ? std::string("oops") : std::to_string(i)) << "\n";
  out.close();
  Run("CREATE TABLE t (id INTEGER, val INTEGER)");
  std::string e = Error("COPY FROM './big.csv' INTO t WITH (all_varchar = true, parallel_workers = 4)");
  EXPECT_NE(e.find("big.csv: row 150000, column \"val\": Could not convert string 'oops' to INTEGER"),
            std::string::npos)
      << e;
  QueryResult r =
      Run("COPY FROM './big.csv' INTO t WITH (all_varchar = true, on_error = 'continue', error_table = 'errs', "
          "parallel_workers = 4)");
  EXPECT_EQ(r.GetInt64(0, 1), 199999);
  EXPECT_EQ(Rows("SELECT row_number, raw_value FROM errs"), (std::vector<std::string>{"150000|oops"}));
}

// Another connection sees the job in alopex_import_status while it runs.
TEST_F(CopyFromTest, ImportStatusIsVisibleFromAnotherConnectionWhileRunning) {
  for (int f = 0; f < 40; f++)
    Run("COPY (SELECT i AS id, 'row ' || i AS name FROM range(20000) t(i)) TO './many/part-" + std::to_string(100 + f) +
        ".parquet' (FORMAT parquet)");
  Connection other(*db_);
  struct Watcher : Progress {
    Connection* other = nullptr;
    std::atomic<int> seen_running{0};
    std::string last;
    void OnUpdate(const ProgressSnapshot& s) override {
      auto r = other->Query(
          "SELECT status, files_total, files_done FROM alopex_import_status WHERE target_table = 'watched'");
      if (r.ok() && r->num_rows() == 1 && r->GetString(0, 0) == "in_progress") {
        seen_running++;
        last = r->GetString(0, 1) + "/" + r->GetString(0, 2);
      }
    }
  };
  auto watcher = std::make_shared<Watcher>();
  watcher->other = &other;
  con_->SetProgressListener(watcher);
  Run("COPY FROM './many/*.parquet' INTO watched WITH (parallel_workers = 1)");
  con_->SetProgressListener(nullptr);
  EXPECT_EQ(Count("watched"), 800000);
  // After the job, its record is final, whoever reads it.
  auto done = other.Query(
      "SELECT status, files_total, files_done, rows_imported FROM alopex_import_status "
      "WHERE target_table = 'watched'");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  ASSERT_EQ(done->num_rows(), 1u);
  EXPECT_EQ(
      done->GetString(0, 0) + "|" + done->GetString(0, 1) + "|" + done->GetString(0, 2) + "|" + done->GetString(0, 3),
      "completed|40|40|800000");
  // While it ran (progress arrives every 100 ms; a fast machine may finish first),
  // another connection saw it in progress with the file count known.
  if (watcher->seen_running > 0) {
    EXPECT_EQ(watcher->last.substr(0, 3), "40/");
  }
}

TEST_F(CopyFromTest, InterruptCommitsNothing) {
  for (int f = 0; f < 20; f++)
    Run("COPY (SELECT i AS id FROM range(50000) t(i)) TO './big/part-" + std::to_string(100 + f) +
        ".parquet' (FORMAT parquet)");
  Run("CREATE TABLE t (id BIGINT)");
  // Interrupt until the statement returns: Query clears the flag when it starts,
  // so one early interrupt would not be enough. No timing is involved.
  std::atomic<bool> finished{false};
  std::thread stopper([&] {
    while (!finished.load()) {
      con_->Interrupt();
      std::this_thread::yield();
    }
  });
  auto r = con_->Query("COPY FROM './big/*.parquet' INTO t WITH (parallel_workers = 1)");
  finished = true;
  stopper.join();
  ASSERT_FALSE(r.ok()) << "the import of 20 files ignored the interrupt";
  EXPECT_NE(r.status().ToString().find("interrupted"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(Count("t"), 0);
}

// ---------------------------------------------------------------- COPY INTO

TEST_F(CopyFromTest, CopyIntoLoadsEachFileOnce) {
  Run("COPY (SELECT 1 AS id, 'a' AS name) TO './in/f1.json' (FORMAT json)");
  Run(R"(CREATE TABLE new_table;
COPY INTO new_table FROM './in'
FILE_FORMAT = JSON
FORMAT_OPTIONS('multiLine' = 'false')
COPY_OPTIONS('mergeSchema' = 'true'))");
  EXPECT_EQ(Rows("SELECT id, name FROM new_table"), (std::vector<std::string>{"1|a"}));
  QueryResult again = Run("COPY INTO new_table FROM './in' FILE_FORMAT = JSON");
  EXPECT_EQ(again.GetInt64(0, 1), 0);
  EXPECT_EQ(again.GetInt64(0, 3), 0);
  // A rewritten file (new size) counts as new.
  Run("COPY (SELECT 1 AS id, 'aa' AS name) TO './in/f1.json' (FORMAT json, OVERWRITE true)");
  Run("COPY INTO new_table FROM './in' FILE_FORMAT = JSON");
  EXPECT_EQ(Rows("SELECT id, name FROM new_table ORDER BY name"), (std::vector<std::string>{"1|a", "1|aa"}));
  // A dropped and re-created table starts with no loaded files.
  Run("DROP TABLE new_table");
  Run("CREATE TABLE new_table");
  Run("COPY INTO new_table FROM './in' FILE_FORMAT = JSON");
  EXPECT_EQ(Count("new_table"), 1);
}

TEST_F(CopyFromTest, CreateTableAsReadFiles) {
  Run("COPY (SELECT i AS id, 'e' || i AS event FROM range(4) t(i)) TO './events/a.json' (FORMAT json)");
  Run("CREATE TABLE new_table AS SELECT * FROM read_files('./events', format => 'json')");
  EXPECT_EQ(Count("new_table"), 4);
}

// ---------------------------------------------------------------- pieces

// ---------------------------------------------------------------- upsert / update spilling

// Files `f0` and `f1` (under the working directory) with keys repeated within
// and across the files and some NULL keys.
void WriteKeyedFiles(Connection& con) {
  for (const char* sql :
       {"COPY (SELECT CASE WHEN i % 23 = 0 THEN NULL ELSE (i % 40)::INTEGER END AS id, 'f0 ' || i AS title, i * 0.5 "
        "AS score FROM range(120) t(i)) TO './keyed/f0.parquet' (FORMAT parquet)",
        "COPY (SELECT CASE WHEN i % 29 = 0 THEN NULL ELSE (i % 50 + 20)::INTEGER END AS id, 'f1 ' || i AS title, i "
        "* 1.5 AS score FROM range(90) t(i)) TO './keyed/f1.csv' (FORMAT csv, HEADER)"}) {
    auto r = con.Query(sql);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
}

// The rows `sql` returns, as "a|b|c".
std::vector<std::string> QueryRows(Connection& con, const std::string& sql) {
  auto r = con.Query(sql);
  EXPECT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
  return r.ok() ? testing::ResultRows(*r) : std::vector<std::string>();
}

// Every row of `table` as "id|title|score|note", sorted.
std::vector<std::string> TableRows(Connection& con, const std::string& table) {
  return QueryRows(con, "SELECT id, title, score, note FROM " + table + " ORDER BY id NULLS FIRST, title");
}

// An existing table, then an upsert and an update of both files, at `threshold`.
void UpsertThenUpdate(Connection& con, const std::string& table, const std::string& threshold) {
  for (std::string sql :
       {"SET alopex.import_spill_threshold = '" + threshold + "'",
        "CREATE TABLE " + table + " (id INTEGER, title VARCHAR, score DOUBLE, note VARCHAR)",
        "INSERT INTO " + table + " SELECT (i * 3)::INTEGER, 'old ' || i, -i, 'note ' || i FROM range(30) t(i)",
        "INSERT INTO " + table + " VALUES (NULL, 'old null', -1, 'null note')",
        "COPY FROM ['./keyed/f0.parquet', './keyed/f1.csv'] INTO " + table +
            " (id, title, score) WITH (mode = 'upsert', key_columns = ['id'])",
        "COPY FROM ['./keyed/f1.csv', './keyed/f0.parquet'] INTO " + table +
            " (id, score) WITH (mode = 'update', key_columns = ['id'])"}) {
    auto r = con.Query(sql);
    ASSERT_TRUE(r.ok()) << sql << "\n" << r.status().ToString();
  }
}

bool EmptyFolder(const std::string& path) { return fs::exists(path) && fs::is_empty(path); }

TEST_F(CopyFromTest, SpilledUpsertAndUpdateMatchInMemoryAndLeaveNoSpillFiles) {
  auto db = Database::Open((dir_ / "db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Connection con(**db);
  WriteKeyedFiles(con);
  UpsertThenUpdate(con, "in_memory", "2GB");
  UpsertThenUpdate(con, "spilled", "1KB");
  std::vector<std::string> expected = TableRows(con, "in_memory");
  EXPECT_EQ(expected.size(), 87u);  // keys 0..69, 6 old keys above 69, 11 NULL keys (1 old)
  EXPECT_EQ(TableRows(con, "spilled"), expected);
  // The database's spill folder (DBDIR/tmp/<pid>/) is left empty.
  EXPECT_TRUE(EmptyFolder(dir_ / ("db/tmp/" + std::to_string(getpid()))));
  // A stored table is rewritten in one MERGE commit.
  auto history = con.Query("DESCRIBE HISTORY spilled");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_GE(history->num_rows(), 1u);
  size_t op = 0;
  while (op < history->names().size() && history->names()[op] != "operation") op++;
  ASSERT_LT(op, history->names().size());
  std::string ops;  // newest first: the update, then the upsert
  for (size_t i = 0; i < history->num_rows(); i++) ops += history->GetString(i, op) + ",";
  EXPECT_EQ(ops.rfind("MERGE,MERGE,", 0), 0u) << ops;
  // Both keep the ids of the 31 rows they started with, with the same rows,
  // and give every row an id of its own.
  for (std::string table : {"in_memory", "spilled"}) {
    EXPECT_EQ(
        QueryRows(con, "SELECT count(*) FILTER (WHERE _row_id < 31), count(DISTINCT _row_id) = count(*) FROM " + table),
        std::vector<std::string>{"31|true"})
        << table;
  }
  EXPECT_EQ(QueryRows(con,
                      "SELECT count(*) FROM in_memory m JOIN spilled s ON m._row_id = s._row_id AND m.title = s.title "
                      "AND m.score = s.score WHERE m._row_id < 31"),
            std::vector<std::string>{"31"});
}

TEST_F(CopyFromTest, FailedSpilledUpsertLeavesAStoredTablesFilesAndIds) {
  auto db = Database::Open((dir_ / "db"));
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  Connection con(**db);
  WriteKeyedFiles(con);
  UpsertThenUpdate(con, "t", "1KB");
  auto snapshot = [&] {
    return QueryRows(con, "SELECT id, title, score, note, _row_id, _row_commit_version FROM t ORDER BY _row_id");
  };
  std::vector<std::string> before = snapshot();
  ASSERT_FALSE(before.empty());
  auto history = con.Query("DESCRIBE HISTORY t");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  const size_t commits = history->num_rows();

  // One partition's keys pass alopex.import_memory_limit while the import
  // looks for the data files it touches, before anything is written.
  ASSERT_TRUE(con.Query("SET alopex.import_memory_limit = '100B'").ok());
  auto r = con.Query(
      "COPY FROM ['./keyed/f0.parquet', './keyed/f1.csv'] INTO t (id, title) WITH (mode = 'upsert', key_columns = "
      "['id'])");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("need more than alopex.import_memory_limit"), std::string::npos)
      << r.status().ToString();
  EXPECT_EQ(snapshot(), before);
  history = con.Query("DESCRIBE HISTORY t");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_EQ(history->num_rows(), commits);
  EXPECT_TRUE(EmptyFolder(dir_ / ("db/tmp/" + std::to_string(getpid()))));
}

// Sets $TMPDIR for the life of the object (:memory: databases spill there).
class ScopedTmpDir {
 public:
  explicit ScopedTmpDir(const std::string& dir) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", dir.c_str(), 1);
  }
  ~ScopedTmpDir() {
    if (old_)
      ::setenv("TMPDIR", old_->c_str(), 1);
    else
      ::unsetenv("TMPDIR");
  }

 private:
  std::optional<std::string> old_;
};

TEST_F(CopyFromTest, SpillingInMemoryUsesTheSystemTempFolderAndCleansUpOnFailure) {
  WriteKeyedFiles(*con_);
  fs::create_directories(dir_ / "system_tmp");
  ScopedTmpDir tmp(dir_ / "system_tmp");
  UpsertThenUpdate(*con_, "in_memory", "2GB");
  UpsertThenUpdate(*con_, "spilled", "1KB");
  EXPECT_EQ(TableRows(*con_, "spilled"), TableRows(*con_, "in_memory"));
  EXPECT_TRUE(EmptyFolder(dir_ / "system_tmp"));

  // Fails while merging, after spilling: one partition's keys pass a tiny
  // alopex.import_memory_limit.
  std::vector<std::string> before = TableRows(*con_, "spilled");
  Run("SET alopex.import_memory_limit = '100B'");
  std::string e = Error(
      "COPY FROM ['./keyed/f0.parquet', './keyed/f1.csv'] INTO spilled (id, title, score) WITH (mode = 'upsert', "
      "key_columns = ['id'])");
  EXPECT_NE(e.find("need more than alopex.import_memory_limit (100 bytes)"), std::string::npos) << e;
  Run("SET alopex.import_memory_limit = '16GB'");
  EXPECT_EQ(TableRows(*con_, "spilled"), before);
  EXPECT_TRUE(EmptyFolder(dir_ / "system_tmp"));

  // Fails while reading (a wrong vector dimension under on_error = 'abort').
  Run("CREATE TABLE vecs (id INTEGER, embedding VECTOR(2))");
  Run("INSERT INTO vecs VALUES (1, [1, 1])");
  Run("COPY (SELECT (i % 10)::INTEGER AS id, CASE WHEN i = 70 THEN [1, 2, 3]::FLOAT[] ELSE [i::FLOAT, 0]::FLOAT[] "
      "END AS embedding FROM range(100) t(i)) TO './bad_dim.parquet' (FORMAT parquet)");
  e = Error("COPY FROM './bad_dim.parquet' INTO vecs WITH (mode = 'upsert', key_columns = ['id'], on_error = 'abort')");
  EXPECT_NE(e.find("row 71, column \"embedding\": expected VECTOR(2), got 3 values"), std::string::npos) << e;
  EXPECT_EQ(Rows("SELECT id, embedding FROM vecs"), (std::vector<std::string>{"1|[1.0, 1.0]"}));
  EXPECT_TRUE(EmptyFolder(dir_ / "system_tmp"));

  // The spill folder cannot be made: the import names it and changes nothing.
  testing::WriteText(dir_ / "not_a_folder", "x");
  ScopedTmpDir broken(dir_ / "not_a_folder");
  e = Error("COPY FROM './keyed/f0.parquet' INTO spilled (id, title) WITH (mode = 'upsert', key_columns = ['id'])");
  EXPECT_NE(e.find("spill folder"), std::string::npos) << e;
  EXPECT_EQ(TableRows(*con_, "spilled"), before);
}

TEST(ImportOptionsTest, ParsesAndValidates) {
  ImportOptions o;
  ASSERT_TRUE(ParseImportOptions({{"mode", Value::Varchar("UPSERT")},
                                  {"key_columns", Value::List(TypeId::kVarchar, {Value::Varchar("id")})},
                                  {"parallel_workers", Value::Integer(3)},
                                  {"preserve_sort", Value::Varchar("true")}},
                                 OptionSet::kCopyFrom, "COPY FROM", &o)
                  .ok());
  EXPECT_EQ(o.mode, ImportMode::kUpsert);
  EXPECT_EQ(o.key_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(o.parallel_workers, 3);
  EXPECT_TRUE(ValidateImportOptions(o, ImportFormat::kParquet, "COPY FROM").ok());
  ImportOptions bad;
  Status st = ParseImportOptions({{"parallel_workers", Value::Double(2.5)}}, OptionSet::kCopyFrom, "COPY FROM", &bad);
  EXPECT_NE(st.message().find("option \"parallel_workers\" must be a positive integer"), std::string::npos)
      << st.message();
  st = ParseImportOptions({{"force", Value::Boolean(true)}}, OptionSet::kCopyFrom, "COPY FROM", &bad);
  EXPECT_NE(st.message().find("unknown option \"force\""), std::string::npos) << st.message();
  EXPECT_EQ(ImportFormatFromPath("a/b.NDJSON.gz"), ImportFormat::kJson);
  EXPECT_EQ(ImportFormatFromPath("a/b.tsv"), ImportFormat::kCsv);
  EXPECT_FALSE(ImportFormatFromPath("a/b.avro").has_value());
}

TEST(LoadedFileRegistryTest, KeysByPathSizeAndTimeCommittedWithTheRows) {
  auto t = std::make_shared<Table>("public", "t", std::vector<ColumnDef>{{"x", LogicalType(TypeId::kInteger)}});
  FileInfo f{"/x/a.parquet", 10, 100, "", false};
  {
    auto lease = LoadedFileRegistry::Global().Acquire(t);
    ASSERT_TRUE(lease.ok()) << lease.status().ToString();
    EXPECT_FALSE(lease->Contains(f));
    CommitInfoExtra extra;
    extra.domains.push_back(lease->DomainWith({f}));
    // Not committed: a failed import records nothing.
  }
  {
    auto lease = LoadedFileRegistry::Global().Acquire(t);
    ASSERT_TRUE(lease.ok());
    EXPECT_FALSE(lease->Contains(f));
    CommitInfoExtra extra;
    extra.domains.push_back(lease->DomainWith({f}));
    ASSERT_TRUE(t->Append({}, extra).ok());
  }
  auto lease = LoadedFileRegistry::Global().Acquire(t);
  ASSERT_TRUE(lease.ok());
  EXPECT_TRUE(lease->Contains(f));
  EXPECT_EQ(lease->size(), 1u);
  FileInfo changed = f;
  changed.mtime_micros = 101;
  EXPECT_FALSE(lease->Contains(changed));
}

TEST(ImportJobRegistryTest, JobsHaveIdsAndStates) {
  auto job = ImportJobRegistry::Global().Start("t");
  EXPECT_EQ(job->id().rfind("job_", 0), 0u);
  job->SetFilesTotal(3);
  job->AddFilesDone(1);
  job->AddRows(10);
  ImportJobStatus s = job->Snapshot();
  EXPECT_EQ(s.state, ImportJobState::kInProgress);
  EXPECT_EQ(s.files_done, 1u);
  job->Complete(10, 4);
  s = job->Snapshot();
  EXPECT_EQ(s.state, ImportJobState::kCompleted);
  EXPECT_EQ(*s.committed_version, 4);
  bool listed = false;
  for (const auto& j : ImportJobRegistry::Global().List()) listed |= j.job_id == job->id();
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace alopex
