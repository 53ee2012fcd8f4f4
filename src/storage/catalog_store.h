// CatalogStore: where the catalog's names live beyond the process: schemas,
// tables (schema, name, location of the Delta table), views (schema, name,
// SELECT text, column aliases) and import jobs. Catalog writes here in the
// same call as its in-memory change, before it.
//
// Two implementations share the SQL (catalog_store.cc): SQLite in
// DBDIR/catalog.sqlite (DESIGN.md § On disk; catalog_store_sqlite.cc) and a
// PostgreSQL database several processes share (catalog_store_pg.cc). Several
// processes may use one store at once; each write is one transaction and bumps
// the store's generation, so a process notices another's changes with one
// cheap read (Generation) and only then re-reads everything (Load).
//
// Every method is safe to call from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "storage/catalog.h"

namespace alopex {

struct StoredTable {
  std::string schema;  // the schema's key (lower case)
  std::string name;
  // Relative to the database directory (SQLite), or absolute (PostgreSQL: the
  // data sits on storage every process sharing the catalog reaches).
  std::string location;
};

// Everything the store names, as of one generation.
struct StoredCatalog {
  int64_t generation = 0;
  std::vector<std::string> schemas;  // keys
  std::vector<StoredTable> tables;
  std::vector<ViewDef> views;  // schema is the key
};

class CatalogStore {
 public:
  // Opens the store `connection` names, creating its tables when absent:
  // empty for SQLite at `sqlite_path`, "postgresql://..." or "postgres://..."
  // (a libpq URI) for PostgreSQL. An error names the store, with any password
  // in the connection string replaced by "***".
  static Result<std::unique_ptr<CatalogStore>> Open(const std::string& connection, const std::string& sqlite_path);
  virtual ~CatalogStore() = default;

  // True when table locations are stored absolute, for processes on other
  // machines (PostgreSQL).
  virtual bool absolute_locations() const = 0;

  // A number that changes whenever the names change (any process).
  Result<int64_t> Generation();
  // Every schema, table and view, read in one query.
  Result<StoredCatalog> Load();

  Status PutSchema(const std::string& key);
  Status DeleteSchema(const std::string& key);  // with its tables and views
  // AlreadyExists when the schema has a table of that name and not `replace`.
  Status PutTable(const StoredTable& table, bool replace);
  // Deletes or renames the table of that name at `location`; Conflict when
  // another process dropped, replaced or renamed it meanwhile.
  Status DeleteTable(const std::string& schema, const std::string& name, const std::string& location);
  Status RenameTable(const std::string& schema, const std::string& from, const std::string& to,
                     const std::string& location);
  Status PutView(const ViewDef& view);  // replaces one of the same name
  Status DeleteView(const std::string& schema, const std::string& name);

  // Adds a job's row and returns its id ("job_<n>", unique in the store).
  Result<std::string> InsertImportJob(const ImportJobStatus& job);
  // Overwrites the row of job.job_id.
  Status UpdateImportJob(const ImportJobStatus& job);
  // Every job, oldest first.
  Result<std::vector<ImportJobStatus>> ImportJobs();

 protected:
  using Param = std::optional<std::string>;  // nullopt: NULL
  using Row = std::vector<std::optional<std::string>>;

  // `prefix` starts every table name ("alopex_" in a shared PostgreSQL
  // database, nothing in catalog.sqlite).
  explicit CatalogStore(std::string prefix) : prefix_(std::move(prefix)) {}

  // The dialect: SQL with $1, $2, ... parameters; results as text. Run
  // appends the result rows to `rows` when it is not null.
  virtual Status Run(const std::string& sql, const std::vector<Param>& params, std::vector<Row>* rows) = 0;
  Status Exec(const std::string& sql, const std::vector<Param>& params) { return Run(sql, params, nullptr); }
  Result<std::vector<Row>> Query(const std::string& sql, const std::vector<Param>& params) {
    std::vector<Row> rows;
    ALOPEX_RETURN_IF_ERROR(Run(sql, params, &rows));
    return rows;
  }
  // Starts a transaction that will write.
  virtual Status BeginWrite() = 0;

  // `sql` with every "{p}" replaced by the table prefix.
  std::string Sql(const std::string& sql) const;

 private:
  // Runs `body` in a write transaction that also bumps the generation.
  template <typename Body>
  Status WriteNames(Body body);
  const std::string prefix_;
  std::mutex mu_;  // one statement or transaction at a time on the connection
};

// `connection` with the password (URI userinfo or a password=... keyword)
// replaced by "***", for messages and logs. The text replaced is added to
// `secrets` when given.
std::string RedactConnection(const std::string& connection, std::vector<std::string>* secrets = nullptr);

// The PostgreSQL store; in catalog_store_pg.cc.
Result<std::unique_ptr<CatalogStore>> OpenPostgresCatalogStore(const std::string& connection);
// The SQLite store; in catalog_store_sqlite.cc.
Result<std::unique_ptr<CatalogStore>> OpenSqliteCatalogStore(const std::string& path);

}  // namespace alopex
