// Catalog: names of schemas, tables and views (`catalog.schema.object`).
// DESIGN.md: the default catalog is "main", the default schema "public"; "main"
// is also accepted as a schema, as DuckDB users write main.t.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "storage/import_job_record.h"
#include "storage/table.h"

namespace alopex {

struct ViewDef {
  std::string schema;
  std::string name;
  std::string sql;  // the SELECT text
  std::vector<std::string> column_aliases;
};

class CatalogStore;

struct TableLayout {
  std::vector<std::string> partition_columns;
  std::vector<std::pair<std::string, std::string>> properties;
  std::string location;  // empty: under the database directory
};

class Catalog {
 public:
  static constexpr const char* kDefaultCatalog = "main";
  static constexpr const char* kDefaultSchema = "public";

  Catalog();
  ~Catalog();

  // Keeps the catalog in the database directory `db_dir` (DESIGN.md § On
  // disk): loads the schemas, views and tables stored in the catalog store
  // `connection` names (catalog_store.h: empty for DBDIR/catalog.sqlite,
  // "postgresql://..." for a PostgreSQL catalog other processes share), each
  // table's rows from its Delta table (new ones go under
  // DBDIR/data/main/<schema>/<table>/), and from then on writes every change
  // there in the same call, before the in-memory change. Without it the
  // catalog lives in memory only.
  Status Open(const std::string& db_dir, const std::string& connection = "");

  // Catches up with changes other processes made to the store: when its
  // generation moved, re-reads every name (one query) and reconciles the maps:
  // opens tables that appeared, forgets dropped ones, renames renamed ones, and
  // keeps the Table objects of the rest. Otherwise one cheap query. In memory
  // it does nothing.
  Status Refresh();

  Status CreateSchema(const std::string& name, bool if_not_exists);
  Status DropSchema(const std::string& name, bool if_exists, bool cascade);
  bool SchemaExists(const std::string& name) const;
  std::vector<std::string> SchemaNames() const;

  // `layout` applies to stored tables (a database directory): partition
  // columns, table properties, and a LOCATION outside the directory, which
  // attaches the Delta table already there (the table's columns then come from
  // it) and is never deleted by DROP TABLE.
  Status CreateTable(std::shared_ptr<Table> table, bool if_not_exists, bool or_replace,
                     const TableLayout& layout = {});
  Status DropTable(const std::string& schema, const std::string& name, bool if_exists);
  Status RenameTable(const std::string& schema, const std::string& from, const std::string& to);
  // nullptr when absent.
  std::shared_ptr<Table> GetTable(const std::string& schema, const std::string& name) const;

  Status CreateView(ViewDef view, bool or_replace, bool if_not_exists);
  Status DropView(const std::string& schema, const std::string& name, bool if_exists);
  const ViewDef* GetView(const std::string& schema, const std::string& name) const;

  // (schema, name) of every table and view, sorted.
  std::vector<std::pair<std::string, std::string>> TableNames() const;
  std::vector<std::pair<std::string, std::string>> ViewNames() const;
  // Every table or view name, for "did you mean" suggestions.
  std::vector<std::string> AllObjectNames() const;

  // Import jobs (ingest/import_jobs.h) kept in the store, for every process
  // to read. Without a store (in memory) there is nowhere to keep them:
  // has_store() is false and the calls fail.
  bool has_store() const { return store_ != nullptr; }
  // Adds the job's row; returns the id the store gave it.
  Result<std::string> InsertImportJob(const ImportJobStatus& job);
  Status UpdateImportJob(const ImportJobStatus& job);
  // Every stored job, oldest first.
  Result<std::vector<ImportJobStatus>> ImportJobs() const;

 private:
  struct SchemaEntry {
    std::map<std::string, std::shared_ptr<Table>> tables;
    std::map<std::string, ViewDef> views;
    // With a store: each table's location as stored, by the same key.
    std::map<std::string, std::string> locations;
  };
  // The location, as the store keeps it, for a new table's Delta folder.
  Result<std::string> NewTableLocation(const std::string& schema_key, const std::string& name);
  // `location` as a path: stored relative to dir_, or absolute.
  std::string ResolveLocation(const std::string& location) const;
  // Whether `location` lies under the database's data folder (DROP deletes it)
  // rather than being an external LOCATION (DROP keeps it).
  bool IsManaged(const std::string& location) const;
  // Opens a stored table and loads its latest snapshot.
  Result<std::shared_ptr<Table>> OpenStoredTable(const std::string& schema, const std::string& name,
                                                 const std::string& location) const;
  // Refresh with mu_ held.
  Status RefreshLocked();
  mutable std::mutex mu_;
  std::map<std::string, SchemaEntry> schemas_;
  std::string dir_;
  std::unique_ptr<CatalogStore> store_;  // null: in memory
  int64_t generation_ = -1;              // of the store, when the maps were last read from it
};

// Lower-cases ASCII letters: catalog names compare case-insensitively.
std::string LowerName(const std::string& s);

}  // namespace alopex
