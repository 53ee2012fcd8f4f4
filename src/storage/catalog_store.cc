#include "storage/catalog_store.h"

#include <sqlite3.h>

#include "storage/delta/json_node.h"

namespace alopex {

namespace {
constexpr const char* kSchemaSql =
    "CREATE TABLE IF NOT EXISTS schemas(name TEXT PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS tables(schema TEXT NOT NULL, name TEXT NOT "
    "NULL, key TEXT NOT NULL,"
    " location TEXT NOT NULL, PRIMARY KEY(schema, key));"
    "CREATE TABLE IF NOT EXISTS views(schema TEXT NOT NULL, name TEXT NOT "
    "NULL, key TEXT NOT NULL,"
    " sql TEXT NOT NULL, column_aliases TEXT NOT NULL, PRIMARY KEY(schema, "
    "key));";
}  // namespace

Result<std::unique_ptr<CatalogStore>> CatalogStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IOError("cannot open catalog " + path + ": " + msg);
  }
  std::unique_ptr<CatalogStore> store(new CatalogStore(db, path));
  char* err = nullptr;
  if (sqlite3_exec(db, kSchemaSql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IOError("cannot initialize catalog " + path + ": " + msg);
  }
  return store;
}

CatalogStore::~CatalogStore() { sqlite3_close(db_); }

Status CatalogStore::Exec(const std::string& sql, const std::vector<std::string>& params) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    return Status::IOError("catalog " + path_ + ": " + sqlite3_errmsg(db_) + " in: " + sql);
  for (size_t i = 0; i < params.size(); i++)
    sqlite3_bind_text(stmt, int(i + 1), params[i].c_str(), int(params[i].size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Status::IOError("catalog " + path_ + ": " + sqlite3_errmsg(db_) + " in: " + sql);
  return Status::OK();
}

Result<std::vector<std::vector<std::string>>> CatalogStore::Query(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    return Status::IOError("catalog " + path_ + ": " + sqlite3_errmsg(db_) + " in: " + sql);
  std::vector<std::vector<std::string>> rows;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int c = 0; c < sqlite3_column_count(stmt); c++) {
      const unsigned char* t = sqlite3_column_text(stmt, c);
      row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Status::IOError("catalog " + path_ + ": " + sqlite3_errmsg(db_) + " in: " + sql);
  return rows;
}

Result<std::vector<std::string>> CatalogStore::Schemas() {
  ALOPEX_ASSIGN_OR_RETURN(auto rows, Query("SELECT name FROM schemas ORDER BY name"));
  std::vector<std::string> out;
  for (auto& r : rows) out.push_back(r[0]);
  return out;
}

Result<std::vector<StoredTable>> CatalogStore::Tables() {
  ALOPEX_ASSIGN_OR_RETURN(auto rows, Query("SELECT schema, name, location FROM tables ORDER BY schema, key"));
  std::vector<StoredTable> out;
  for (auto& r : rows) out.push_back({r[0], r[1], r[2]});
  return out;
}

Result<std::vector<ViewDef>> CatalogStore::Views() {
  ALOPEX_ASSIGN_OR_RETURN(auto rows, Query("SELECT schema, name, sql, column_aliases FROM "
                                           "views ORDER BY schema, key"));
  std::vector<ViewDef> out;
  for (auto& r : rows) {
    ViewDef v{r[0], r[1], r[2], {}};
    ALOPEX_ASSIGN_OR_RETURN(JsonNode aliases, JsonNode::Parse(r[3]));
    for (const auto& a : aliases.items())
      if (a.is_string()) v.column_aliases.push_back(a.str());
    out.push_back(std::move(v));
  }
  return out;
}

Status CatalogStore::PutSchema(const std::string& name) {
  return Exec("INSERT OR REPLACE INTO schemas(name) VALUES (?)", {name});
}

Status CatalogStore::DeleteSchema(const std::string& name) {
  ALOPEX_RETURN_IF_ERROR(Exec("BEGIN"));
  Status st = Exec("DELETE FROM tables WHERE schema = ?", {name});
  if (st.ok()) st = Exec("DELETE FROM views WHERE schema = ?", {name});
  if (st.ok()) st = Exec("DELETE FROM schemas WHERE name = ?", {name});
  if (!st.ok()) {
    (void)Exec("ROLLBACK");
    return st;
  }
  return Exec("COMMIT");
}

Status CatalogStore::PutTable(const StoredTable& t) {
  return Exec(
      "INSERT OR REPLACE INTO tables(schema, name, key, location) "
      "VALUES (?, ?, lower(?), ?)",
      {t.schema, t.name, t.name, t.location});
}

Status CatalogStore::DeleteTable(const std::string& schema, const std::string& name) {
  return Exec("DELETE FROM tables WHERE schema = ? AND key = lower(?)", {schema, name});
}

Status CatalogStore::RenameTable(const std::string& schema, const std::string& from, const std::string& to) {
  return Exec(
      "UPDATE tables SET name = ?, key = lower(?) WHERE schema = ? AND "
      "key = lower(?)",
      {to, to, schema, from});
}

Status CatalogStore::PutView(const ViewDef& v) {
  JsonNode aliases = JsonNode::Array();
  for (const auto& a : v.column_aliases) aliases.Push(JsonNode::String(a));
  return Exec(
      "INSERT OR REPLACE INTO views(schema, name, key, sql, "
      "column_aliases) VALUES (?, ?, lower(?), ?, ?)",
      {v.schema, v.name, v.name, v.sql, aliases.Serialize()});
}

Status CatalogStore::DeleteView(const std::string& schema, const std::string& name) {
  return Exec("DELETE FROM views WHERE schema = ? AND key = lower(?)", {schema, name});
}

}  // namespace alopex
