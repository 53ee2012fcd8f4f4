#include "storage/catalog.h"

#include <algorithm>
#include <cctype>

#include "io/file_system.h"
#include "storage/catalog_store.h"
#include "storage/delta_table_store.h"

namespace alopex {

std::string LowerName(const std::string& s) {
  std::string r = s;
  for (auto& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

namespace {
// "main" names the default schema too, as DuckDB users write main.t.
std::string SchemaKey(const std::string& name) {
  std::string key = LowerName(name);
  return key == "main" ? Catalog::kDefaultSchema : key;
}
}  // namespace

Catalog::Catalog() { schemas_[kDefaultSchema]; }
Catalog::~Catalog() = default;

Status Catalog::Open(const std::string& db_dir) {
  std::lock_guard<std::mutex> lock(mu_);
  ALOPEX_ASSIGN_OR_RETURN(FileSystem * fs, FileSystem::ForPath(db_dir));
  ALOPEX_RETURN_IF_ERROR(fs->CreateDirectories(JoinPath(db_dir, "data/main")));
  ALOPEX_ASSIGN_OR_RETURN(auto store, CatalogStore::Open(JoinPath(db_dir, "catalog.sqlite")));
  std::map<std::string, SchemaEntry> schemas;
  schemas[kDefaultSchema];
  ALOPEX_ASSIGN_OR_RETURN(auto schema_names, store->Schemas());
  for (const auto& name : schema_names) schemas[SchemaKey(name)];
  ALOPEX_ASSIGN_OR_RETURN(auto views, store->Views());
  for (auto& v : views) {
    std::string key = LowerName(v.name);
    schemas[SchemaKey(v.schema)].views[key] = std::move(v);
  }
  ALOPEX_ASSIGN_OR_RETURN(auto tables, store->Tables());
  for (const auto& t : tables) {
    std::string where = "table " + t.schema + "." + t.name + " (" + t.location + ")";
    auto delta = DeltaTableStore::Open(JoinPath(db_dir, t.location));
    if (!delta.ok()) return delta.status().WithContext("cannot open " + where + ": ");
    std::shared_ptr<TableStore> table_store = std::move(*delta);
    auto snap = table_store->Load(-1);
    if (!snap.ok()) return snap.status().WithContext("cannot load " + where + ": ");
    auto table = std::make_shared<Table>(t.schema, t.name, (*snap)->columns);
    table->AttachStore(table_store, std::move(*snap));
    schemas[SchemaKey(t.schema)].tables[LowerName(t.name)] = std::move(table);
  }
  schemas_ = std::move(schemas);
  dir_ = db_dir;
  store_ = std::move(store);
  return Status::OK();
}

Result<std::string> Catalog::NewTableLocation(const std::string& schema_key, const std::string& name) {
  ALOPEX_ASSIGN_OR_RETURN(auto tables, store_->Tables());
  std::string base = "data/main/" + schema_key + "/" + LowerName(name);
  std::string location = base;
  // A renamed table keeps its folder, so the plain name may be taken.
  for (int n = 1;; n++) {
    bool used = false;
    for (const auto& t : tables) used |= t.location == location;
    if (!used) break;
    location = base + "_" + std::to_string(n);
  }
  // A folder no catalog row names is left from a failed CREATE or DROP.
  std::string full = JoinPath(dir_, location);
  ALOPEX_ASSIGN_OR_RETURN(FileSystem * fs, FileSystem::ForPath(full));
  if (fs->Exists(full)) ALOPEX_RETURN_IF_ERROR(fs->DeleteRecursive(full));
  return location;
}

Status Catalog::CreateSchema(const std::string& name, bool if_not_exists) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = SchemaKey(name);
  if (schemas_.count(key)) {
    if (if_not_exists) return Status::OK();
    return Status::AlreadyExists("Schema with name \"" + name + "\" already exists");
  }
  if (store_) ALOPEX_RETURN_IF_ERROR(store_->PutSchema(key));
  schemas_[key];
  return Status::OK();
}

Status Catalog::DropSchema(const std::string& name, bool if_exists, bool cascade) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = SchemaKey(name);
  auto it = schemas_.find(key);
  if (it == schemas_.end()) {
    if (if_exists) return Status::OK();
    return Status::NotFound("Schema with name \"" + name + "\" does not exist");
  }
  if (key == kDefaultSchema) return Status::InvalidArgument("cannot drop schema \"" + name + "\"");
  if (!cascade && (!it->second.tables.empty() || !it->second.views.empty()))
    return Status::InvalidArgument("schema \"" + name + "\" is not empty; use DROP SCHEMA " + name + " CASCADE");
  if (store_) {
    ALOPEX_RETURN_IF_ERROR(store_->DeleteSchema(key));
    for (const auto& [_, t] : it->second.tables)
      if (auto ts = t->store()) (void)ts->Drop();  // an undeleted folder is reclaimed by the next CREATE
  }
  schemas_.erase(it);
  return Status::OK();
}

bool Catalog::SchemaExists(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  return schemas_.count(SchemaKey(name)) > 0;
}

std::vector<std::string> Catalog::SchemaNames() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> r;
  for (const auto& [k, v] : schemas_) r.push_back(k);
  return r;
}

Status Catalog::CreateTable(std::shared_ptr<Table> table, bool if_not_exists, bool or_replace) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(table->schema_name()));
  if (sit == schemas_.end()) return Status::NotFound("Schema with name \"" + table->schema_name() + "\" does not exist");
  std::string key = LowerName(table->name());
  if (sit->second.tables.count(key) || sit->second.views.count(key)) {
    if (if_not_exists) return Status::OK();
    if (!or_replace || sit->second.views.count(key))
      return Status::AlreadyExists("Table with name \"" + table->name() + "\" already exists");
  }
  if (store_) {
    std::shared_ptr<Table> replaced;
    if (auto old = sit->second.tables.find(key); old != sit->second.tables.end()) replaced = old->second;
    ALOPEX_ASSIGN_OR_RETURN(std::string location, NewTableLocation(sit->first, table->name()));
    ALOPEX_ASSIGN_OR_RETURN(auto snap, table->Snapshot());
    ALOPEX_ASSIGN_OR_RETURN(auto created, DeltaTableStore::Create(JoinPath(dir_, location), snap->columns));
    std::shared_ptr<TableStore> ts = std::move(created);
    auto next = std::make_shared<TableSnapshot>(*snap);
    next->version = 0;
    Status st;
    if (snap->num_rows > 0) {  // CREATE TABLE AS: the rows are version 1
      std::vector<Batch> rows;
      for (const auto& b : snap->batches)
        if (b->num_rows > 0) rows.push_back(b->Clone());
      auto v = ts->Append(*next, rows);
      if (v.ok()) next->version = *v;
      st = v.status();
    }
    if (st.ok()) st = store_->PutTable({sit->first, table->name(), location});
    if (!st.ok()) {
      (void)ts->Drop();
      return st;
    }
    table->AttachStore(ts, std::move(next));
    if (replaced && replaced->store()) (void)replaced->store()->Drop();
  }
  sit->second.tables[key] = std::move(table);
  return Status::OK();
}

Status Catalog::DropTable(const std::string& schema, const std::string& name, bool if_exists) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(schema));
  if (sit == schemas_.end() || !sit->second.tables.count(LowerName(name))) {
    if (if_exists) return Status::OK();
    return Status::NotFound("Table with name \"" + name + "\" does not exist");
  }
  auto it = sit->second.tables.find(LowerName(name));
  if (store_) {
    ALOPEX_RETURN_IF_ERROR(store_->DeleteTable(sit->first, name));
    if (auto ts = it->second->store()) (void)ts->Drop();  // an undeleted folder is reclaimed by the next CREATE
  }
  sit->second.tables.erase(it);
  return Status::OK();
}

Status Catalog::RenameTable(const std::string& schema, const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(schema));
  if (sit == schemas_.end()) return Status::NotFound("Schema with name \"" + schema + "\" does not exist");
  auto& tables = sit->second.tables;
  auto it = tables.find(LowerName(from));
  if (it == tables.end()) return Status::NotFound("Table with name \"" + from + "\" does not exist");
  if (tables.count(LowerName(to))) return Status::AlreadyExists("Table with name \"" + to + "\" already exists");
  if (store_) ALOPEX_RETURN_IF_ERROR(store_->RenameTable(sit->first, from, to));
  auto t = it->second;
  tables.erase(it);
  t->Rename(to);
  tables[LowerName(to)] = t;
  return Status::OK();
}

std::shared_ptr<Table> Catalog::GetTable(const std::string& schema, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(schema));
  if (sit == schemas_.end()) return nullptr;
  auto it = sit->second.tables.find(LowerName(name));
  return it == sit->second.tables.end() ? nullptr : it->second;
}

Status Catalog::CreateView(ViewDef view, bool or_replace, bool if_not_exists) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(view.schema));
  if (sit == schemas_.end()) return Status::NotFound("Schema with name \"" + view.schema + "\" does not exist");
  std::string key = LowerName(view.name);
  if (sit->second.tables.count(key)) return Status::AlreadyExists("Table with name \"" + view.name + "\" already exists");
  if (sit->second.views.count(key)) {
    if (if_not_exists) return Status::OK();
    if (!or_replace) return Status::AlreadyExists("View with name \"" + view.name + "\" already exists");
  }
  if (store_) {
    ViewDef stored = view;
    stored.schema = sit->first;
    ALOPEX_RETURN_IF_ERROR(store_->PutView(stored));
  }
  sit->second.views[key] = std::move(view);
  return Status::OK();
}

Status Catalog::DropView(const std::string& schema, const std::string& name, bool if_exists) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(schema));
  if (sit == schemas_.end() || !sit->second.views.count(LowerName(name))) {
    if (if_exists) return Status::OK();
    return Status::NotFound("View with name \"" + name + "\" does not exist");
  }
  if (store_) ALOPEX_RETURN_IF_ERROR(store_->DeleteView(sit->first, name));
  sit->second.views.erase(LowerName(name));
  return Status::OK();
}

const ViewDef* Catalog::GetView(const std::string& schema, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(schema));
  if (sit == schemas_.end()) return nullptr;
  auto it = sit->second.views.find(LowerName(name));
  return it == sit->second.views.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, std::string>> Catalog::TableNames() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, std::string>> r;
  for (const auto& [s, e] : schemas_)
    for (const auto& [t, _] : e.tables) r.emplace_back(s, e.tables.at(t)->name());
  return r;
}

std::vector<std::pair<std::string, std::string>> Catalog::ViewNames() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::pair<std::string, std::string>> r;
  for (const auto& [s, e] : schemas_)
    for (const auto& [v, def] : e.views) r.emplace_back(s, def.name);
  return r;
}

std::vector<std::string> Catalog::AllObjectNames() const {
  std::vector<std::string> r;
  for (auto& [s, n] : TableNames()) r.push_back(n);
  for (auto& [s, n] : ViewNames()) r.push_back(n);
  return r;
}

}  // namespace alopex
