// CatalogStore: the catalog's names in DBDIR/catalog.sqlite (DESIGN.md § On
// disk): schemas, tables (schema, name, location of the Delta table) and views
// (schema, name, SELECT text, column aliases). Catalog writes here in the same
// call as its in-memory change, before it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "storage/catalog.h"

struct sqlite3;

namespace alopex {

struct StoredTable {
  std::string schema;
  std::string name;
  std::string location;  // relative to the database directory, or absolute
};

class CatalogStore {
 public:
  // Opens (creating when absent) the SQLite file at `path`.
  static Result<std::unique_ptr<CatalogStore>> Open(const std::string& path);
  ~CatalogStore();

  Result<std::vector<std::string>> Schemas();
  Result<std::vector<StoredTable>> Tables();
  Result<std::vector<ViewDef>> Views();

  Status PutSchema(const std::string& name);
  Status DeleteSchema(const std::string& name);  // with its tables and views
  Status PutTable(const StoredTable& table);     // replaces one of the same name
  Status DeleteTable(const std::string& schema, const std::string& name);
  Status RenameTable(const std::string& schema, const std::string& from, const std::string& to);
  Status PutView(const ViewDef& view);  // replaces one of the same name
  Status DeleteView(const std::string& schema, const std::string& name);

 private:
  CatalogStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // Runs `sql` with text parameters.
  Status Exec(const std::string& sql, const std::vector<std::string>& params = {});
  Result<std::vector<std::vector<std::string>>> Query(const std::string& sql);
  sqlite3* db_;
  std::string path_;
};

}  // namespace alopex
