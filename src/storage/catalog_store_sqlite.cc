// The catalog in DBDIR/catalog.sqlite. Several processes may open one
// database directory: the file is in WAL mode (readers never wait for a
// writer) and a writer waits up to kBusyTimeoutMs for another's transaction.
#include <sqlite3.h>

#include <cctype>

#include "storage/catalog_store.h"

namespace alopex {

namespace {

constexpr int kBusyTimeoutMs = 30000;

// The tables of catalogs written before import jobs and the generation
// existed are kept as they are; the rest is added.
constexpr const char* kSchemaSql =
    "CREATE TABLE IF NOT EXISTS schemas(name TEXT PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS tables(schema TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL,"
    " location TEXT NOT NULL, PRIMARY KEY(schema, key));"
    "CREATE TABLE IF NOT EXISTS views(schema TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL,"
    " sql TEXT NOT NULL, column_aliases TEXT NOT NULL, PRIMARY KEY(schema, key));"
    "CREATE TABLE IF NOT EXISTS import_jobs(id INTEGER PRIMARY KEY AUTOINCREMENT, status TEXT NOT NULL,"
    " files_total INTEGER NOT NULL, files_done INTEGER NOT NULL, rows_imported INTEGER NOT NULL,"
    " rows_rejected INTEGER NOT NULL, errors INTEGER NOT NULL, bytes_read INTEGER NOT NULL,"
    " started_at INTEGER NOT NULL, finished_at INTEGER, target_table TEXT NOT NULL, committed_version INTEGER,"
    " message TEXT);"
    "CREATE TABLE IF NOT EXISTS catalog_generation(id INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO catalog_generation(id, n) VALUES (1, 0);";

// $n parameters are SQLite's ?n.
std::string NumberedParameters(const std::string& sql) {
  std::string out = sql;
  for (size_t i = 0; i + 1 < out.size(); i++)
    if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1]))) out[i] = '?';
  return out;
}

class SqliteCatalogStore : public CatalogStore {
 public:
  SqliteCatalogStore(sqlite3* db, std::string path) : CatalogStore(""), db_(db), path_(std::move(path)) {}
  ~SqliteCatalogStore() override { sqlite3_close(db_); }

  bool absolute_locations() const override { return false; }

  // Creates the tables (in one write transaction, so two processes opening a
  // new directory at once do not trip over each other).
  Status Initialize() {
    sqlite3_busy_timeout(db_, kBusyTimeoutMs);
    ALOPEX_RETURN_IF_ERROR(ExecScript("PRAGMA journal_mode=WAL"));
    ALOPEX_RETURN_IF_ERROR(ExecScript("BEGIN IMMEDIATE"));
    Status st = ExecScript(kSchemaSql);
    if (st.ok()) st = ExecScript("COMMIT");
    if (!st.ok()) (void)ExecScript("ROLLBACK");
    return st;
  }

 protected:
  // IMMEDIATE: take the write lock now (waiting for another writer), rather
  // than fail to upgrade a read lock in the middle of the transaction.
  Status BeginWrite() override { return Run("BEGIN IMMEDIATE", {}, nullptr); }

 private:
  Status Error(const std::string& sql) const {
    return Status::IOError("catalog " + path_ + ": " + sqlite3_errmsg(db_) + " in: " + sql);
  }

  Status ExecScript(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) == SQLITE_OK) return Status::OK();
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Status::IOError("cannot initialize catalog " + path_ + ": " + msg);
  }

  Status Run(const std::string& sql, const std::vector<Param>& params, std::vector<Row>* rows) override {
    std::string text = NumberedParameters(sql);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, text.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return Error(sql);
    for (size_t i = 0; i < params.size(); i++) {
      if (params[i])
        sqlite3_bind_text(stmt, int(i + 1), params[i]->c_str(), int(params[i]->size()), SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(stmt, int(i + 1));
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (!rows) continue;
      Row row;
      for (int c = 0; c < sqlite3_column_count(stmt); c++) {
        const unsigned char* t = sqlite3_column_text(stmt, c);
        if (t)
          row.emplace_back(std::string(reinterpret_cast<const char*>(t), size_t(sqlite3_column_bytes(stmt, c))));
        else
          row.emplace_back(std::nullopt);
      }
      rows->push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return Error(sql);
    return Status::OK();
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<CatalogStore>> OpenSqliteCatalogStore(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IOError("cannot open catalog " + path + ": " + msg);
  }
  auto store = std::make_unique<SqliteCatalogStore>(db, path);
  ALOPEX_RETURN_IF_ERROR(store->Initialize());
  return std::unique_ptr<CatalogStore>(std::move(store));
}

}  // namespace alopex
