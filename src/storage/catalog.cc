#include "storage/catalog.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "common/text.h"
#include "io/file_system.h"
#include "storage/catalog_store.h"
#include "storage/delta_table_store.h"

namespace alopex {

std::string LowerName(const std::string& s) { return AsciiLower(s); }

namespace {
// "main" names the default schema too, as DuckDB users write main.t.
std::string SchemaKey(const std::string& name) {
  std::string key = LowerName(name);
  return key == "main" ? Catalog::kDefaultSchema : key;
}
}  // namespace

Catalog::Catalog() { schemas_[kDefaultSchema]; }
Catalog::~Catalog() = default;

Status Catalog::Open(const std::string& db_dir, const std::string& connection) {
  std::lock_guard<std::mutex> lock(mu_);
  ALOPEX_ASSIGN_OR_RETURN(FileSystem * fs, FileSystem::ForPath(db_dir));
  ALOPEX_RETURN_IF_ERROR(fs->CreateDirectories(JoinPath(db_dir, "data/main")));
  ALOPEX_ASSIGN_OR_RETURN(auto store, CatalogStore::Open(connection, JoinPath(db_dir, "catalog.sqlite")));
  std::string dir = db_dir;
  // Processes elsewhere resolve the locations a shared catalog stores.
  if (store->absolute_locations() && dir.find("://") == std::string::npos) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(dir, ec);
    if (ec) return Status::IOError("cannot resolve the database directory \"" + dir + "\": " + ec.message());
    dir = absolute.lexically_normal().string();
  }
  auto previous_store = std::move(store_);
  auto previous_schemas = std::move(schemas_);
  store_ = std::move(store);
  dir_ = dir;
  schemas_.clear();
  schemas_[kDefaultSchema];
  generation_ = -1;
  Status st = RefreshLocked();
  if (!st.ok()) {  // as it was
    store_ = std::move(previous_store);
    schemas_ = std::move(previous_schemas);
    dir_.clear();
  }
  return st;
}

std::string Catalog::ResolveLocation(const std::string& location) const {
  if (!location.empty() && (location[0] == '/' || location.find("://") != std::string::npos)) return location;
  return JoinPath(dir_, location);
}

bool Catalog::IsManaged(const std::string& location) const {
  return ResolveLocation(location).rfind(JoinPath(dir_, "data") + "/", 0) == 0;
}

Result<std::shared_ptr<Table>> Catalog::OpenStoredTable(const std::string& schema, const std::string& name,
                                                        const std::string& location) const {
  std::string where = "table " + schema + "." + name + " (" + location + ")";
  auto delta = DeltaTableStore::Open(ResolveLocation(location));
  if (!delta.ok()) return delta.status().WithContext("cannot open " + where + ": ");
  std::shared_ptr<TableStore> table_store = std::move(*delta);
  auto snap = table_store->Load(-1);
  if (!snap.ok()) return snap.status().WithContext("cannot load " + where + ": ");
  auto table = std::make_shared<Table>(schema, name, (*snap)->columns);
  table->AttachStore(table_store, std::move(*snap));
  return table;
}

Status Catalog::Refresh() {
  std::lock_guard<std::mutex> lock(mu_);
  return RefreshLocked();
}

Status Catalog::RefreshLocked() {
  if (!store_) return Status::OK();
  ALOPEX_ASSIGN_OR_RETURN(int64_t generation, store_->Generation());
  if (generation == generation_) return Status::OK();
  ALOPEX_ASSIGN_OR_RETURN(StoredCatalog stored, store_->Load());

  // A location names one table for its whole life (a rename keeps it, a
  // replace gets a new one), so the tables held are matched by it.
  std::map<std::string, std::shared_ptr<Table>> held;
  for (const auto& [_, entry] : schemas_)
    for (const auto& [key, location] : entry.locations)
      if (auto it = entry.tables.find(key); it != entry.tables.end()) held[location] = it->second;

  // Everything is opened before anything changes, so a table that fails to
  // open leaves the catalog as it was.
  std::map<std::string, SchemaEntry> next;
  next[kDefaultSchema];
  for (const auto& name : stored.schemas) next[SchemaKey(name)];
  for (const auto& t : stored.tables) {
    std::shared_ptr<Table> table;
    if (auto it = held.find(t.location); it != held.end()) {
      table = it->second;
      if (table->name() != t.name) table->Rename(t.name);
    } else {
      ALOPEX_ASSIGN_OR_RETURN(table, OpenStoredTable(t.schema, t.name, t.location));
    }
    SchemaEntry& entry = next[SchemaKey(t.schema)];
    entry.tables[LowerName(t.name)] = std::move(table);
    entry.locations[LowerName(t.name)] = t.location;
  }
  for (auto& v : stored.views) {
    std::string key = LowerName(v.name);
    next[SchemaKey(v.schema)].views[key] = std::move(v);
  }

  // Reconciled in place: a ViewDef GetView handed out stays where it is
  // unless its view changed.
  for (auto it = schemas_.begin(); it != schemas_.end();)
    it = next.count(it->first) ? std::next(it) : schemas_.erase(it);
  for (auto& [key, fresh] : next) {
    SchemaEntry& entry = schemas_[key];
    entry.tables = std::move(fresh.tables);
    entry.locations = std::move(fresh.locations);
    for (auto it = entry.views.begin(); it != entry.views.end();)
      it = fresh.views.count(it->first) ? std::next(it) : entry.views.erase(it);
    for (auto& [name, view] : fresh.views) {
      auto it = entry.views.find(name);
      if (it == entry.views.end()) {
        entry.views.emplace(name, std::move(view));
      } else if (it->second.name != view.name || it->second.sql != view.sql ||
                 it->second.column_aliases != view.column_aliases) {
        it->second = std::move(view);
      }
    }
  }
  generation_ = stored.generation;
  return Status::OK();
}

Result<std::string> Catalog::NewTableLocation(const std::string& schema_key, const std::string& name) {
  ALOPEX_ASSIGN_OR_RETURN(StoredCatalog stored, store_->Load());
  std::string base = "data/main/" + schema_key + "/" + LowerName(name);
  if (store_->absolute_locations()) base = JoinPath(dir_, base);
  std::string location = base;
  for (int n = 1;; n++) {
    // A renamed table keeps its folder, so the plain name may be taken. A
    // folder no catalog row names may be another process's table being
    // created, or left from a failed CREATE or DROP: it is not touched.
    bool used = false;
    for (const auto& t : stored.tables) used |= t.location == location;
    if (!used) {
      std::string full = ResolveLocation(location);
      ALOPEX_ASSIGN_OR_RETURN(FileSystem * fs, FileSystem::ForPath(full));
      used = fs->Exists(full);
    }
    if (!used) break;
    location = base + "_" + std::to_string(n);
  }
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
    for (const auto& [k, t] : it->second.tables)  // an undeleted folder stays, and no CREATE reuses it
      if (auto ts = t->store(); ts && IsManaged(it->second.locations[k])) (void)ts->Drop();
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

Status Catalog::CreateTable(std::shared_ptr<Table> table, bool if_not_exists, bool or_replace,
                            const TableLayout& layout) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(table->schema_name()));
  if (sit == schemas_.end()) return Status::NotFound("Schema with name \"" + table->schema_name() + "\" does not exist");
  std::string key = LowerName(table->name());
  if (sit->second.tables.count(key) || sit->second.views.count(key)) {
    if (if_not_exists) return Status::OK();
    if (!or_replace || sit->second.views.count(key))
      return Status::AlreadyExists("Table with name \"" + table->name() + "\" already exists");
  }
  if (!store_ && (!layout.location.empty() || !layout.partition_columns.empty() || !layout.properties.empty()))
    return Status::InvalidArgument("table " + table->name() +
                                   ": LOCATION, PARTITIONED BY and table properties need a database directory "
                                   "(alopex DBDIR), not :memory:");
  if (store_) {
    std::shared_ptr<Table> replaced;
    if (auto old = sit->second.tables.find(key); old != sit->second.tables.end()) replaced = old->second;
    std::string location = layout.location;
    if (!location.empty() && location[0] != '/' && location.find("://") == std::string::npos) {
      std::error_code ec;
      auto absolute = std::filesystem::absolute(location, ec);
      if (!ec) location = absolute.lexically_normal().string();
    }
    if (location.empty()) {
      ALOPEX_ASSIGN_OR_RETURN(location, NewTableLocation(sit->first, table->name()));
    }
    ALOPEX_ASSIGN_OR_RETURN(auto snap, table->Snapshot());
    std::shared_ptr<TableStore> ts;
    bool attached = false;
    if (!layout.location.empty()) {
      auto existing = DeltaTableStore::Open(location);
      if (existing.ok()) {
        ts = std::move(*existing);
        attached = true;
      } else if (existing.status().code() != StatusCode::kNotFound) {
        return existing.status().WithContext("LOCATION '" + location + "': ");
      }
    }
    if (!ts) {
      if (snap->columns.empty() && !layout.location.empty())
        return Status::InvalidArgument("table " + table->name() + ": LOCATION '" + location +
                                       "' holds no Delta table, so the columns must be given");
      // Another process may create its table in the same free folder at the
      // same moment; the loser takes the next one.
      for (int attempt = 0; !ts; attempt++) {
        auto created = DeltaTableStore::Create(ResolveLocation(location), snap->columns, layout.partition_columns,
                                               layout.properties);
        if (created.ok()) {
          ts = std::move(*created);
        } else if (created.status().code() != StatusCode::kAlreadyExists || !layout.location.empty() || attempt == 8) {
          return created.status();
        } else {
          ALOPEX_ASSIGN_OR_RETURN(location, NewTableLocation(sit->first, table->name()));
        }
      }
    } else if (!snap->columns.empty() || snap->num_rows > 0) {
      return Status::AlreadyExists("table " + table->name() + ": LOCATION '" + location +
                                   "' already holds a Delta table; attach it with CREATE TABLE " + table->name() +
                                   " LOCATION '" + location + "' (no columns, no AS SELECT)");
    }
    auto next_or = ts->Load(-1);
    Status st = next_or.status();
    std::shared_ptr<const TableSnapshot> next;
    if (st.ok()) next = std::move(*next_or);
    if (st.ok() && snap->num_rows > 0) {  // CREATE TABLE AS: the rows are version 1
      std::vector<Batch> rows;
      for (const auto& b : snap->batches)
        if (b->num_rows > 0) rows.push_back(b->Clone());
      auto v = ts->Append(*next, rows);
      st = v.status();
      if (v.ok()) {
        auto loaded = ts->Load(*v);
        st = loaded.status();
        if (loaded.ok()) next = std::move(*loaded);
      }
    }
    // Not replacing: another process may have created the name meanwhile.
    if (st.ok()) st = store_->PutTable({sit->first, table->name(), location}, /*replace=*/replaced != nullptr);
    if (!st.ok()) {
      if (!attached) (void)ts->Drop();
      if (st.code() == StatusCode::kAlreadyExists && if_not_exists) return Status::OK();
      return st;
    }
    table->AttachStore(ts, std::move(next));
    if (replaced && replaced->store() && IsManaged(sit->second.locations[key])) (void)replaced->store()->Drop();
    sit->second.locations[key] = location;
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
    ALOPEX_RETURN_IF_ERROR(store_->DeleteTable(sit->first, name, sit->second.locations[it->first]));
    // An undeleted folder stays, and no CREATE reuses it; an external LOCATION is kept.
    if (auto ts = it->second->store(); ts && IsManaged(sit->second.locations[it->first])) (void)ts->Drop();
    sit->second.locations.erase(it->first);
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
  if (store_) {
    auto& locations = sit->second.locations;
    std::string location = locations[it->first];
    ALOPEX_RETURN_IF_ERROR(store_->RenameTable(sit->first, from, to, location));
    locations.erase(it->first);
    locations[LowerName(to)] = location;
  }
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

Result<std::string> Catalog::InsertImportJob(const ImportJobStatus& job) {
  if (!store_) return Status::InvalidArgument("an in-memory database keeps import jobs in the process only");
  return store_->InsertImportJob(job);
}

Status Catalog::UpdateImportJob(const ImportJobStatus& job) {
  if (!store_) return Status::InvalidArgument("an in-memory database keeps import jobs in the process only");
  return store_->UpdateImportJob(job);
}

Result<std::vector<ImportJobStatus>> Catalog::ImportJobs() const {
  if (!store_) return Status::InvalidArgument("an in-memory database keeps import jobs in the process only");
  return store_->ImportJobs();
}

std::vector<std::string> Catalog::AllObjectNames() const {
  std::vector<std::string> r;
  for (auto& [s, n] : TableNames()) r.push_back(n);
  for (auto& [s, n] : ViewNames()) r.push_back(n);
  return r;
}

}  // namespace alopex
