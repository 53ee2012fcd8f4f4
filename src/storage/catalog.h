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
#include "storage/table.h"

namespace alopex {

struct ViewDef {
  std::string schema;
  std::string name;
  std::string sql;  // the SELECT text
  std::vector<std::string> column_aliases;
};

class CatalogStore;

class Catalog {
 public:
  static constexpr const char* kDefaultCatalog = "main";
  static constexpr const char* kDefaultSchema = "public";

  Catalog();
  ~Catalog();

  // Keeps the catalog in the database directory `db_dir` (DESIGN.md § On
  // disk): loads the schemas, views and tables stored in catalog.sqlite (each
  // table's rows from its Delta table under data/main/<schema>/<table>/) and
  // from then on writes every change there in the same call, before the
  // in-memory change. Without it the catalog lives in memory only.
  Status Open(const std::string& db_dir);

  Status CreateSchema(const std::string& name, bool if_not_exists);
  Status DropSchema(const std::string& name, bool if_exists, bool cascade);
  bool SchemaExists(const std::string& name) const;
  std::vector<std::string> SchemaNames() const;

  Status CreateTable(std::shared_ptr<Table> table, bool if_not_exists, bool or_replace);
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

 private:
  struct SchemaEntry {
    std::map<std::string, std::shared_ptr<Table>> tables;
    std::map<std::string, ViewDef> views;
  };
  // The location (relative to dir_) for a new table's Delta folder.
  Result<std::string> NewTableLocation(const std::string& schema_key, const std::string& name);
  mutable std::mutex mu_;
  std::map<std::string, SchemaEntry> schemas_;
  std::string dir_;
  std::unique_ptr<CatalogStore> store_;  // null: in memory
};

// Lower-cases ASCII letters: catalog names compare case-insensitively.
std::string LowerName(const std::string& s);

}  // namespace alopex
