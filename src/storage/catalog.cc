#include "storage/catalog.h"

#include <algorithm>
#include <cctype>

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

Status Catalog::CreateSchema(const std::string& name, bool if_not_exists) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string key = SchemaKey(name);
  if (schemas_.count(key)) {
    if (if_not_exists) return Status::OK();
    return Status::AlreadyExists("Schema with name \"" + name + "\" already exists");
  }
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
  sit->second.tables[key] = std::move(table);
  return Status::OK();
}

Status Catalog::DropTable(const std::string& schema, const std::string& name, bool if_exists) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(schema));
  if (sit == schemas_.end() || !sit->second.tables.erase(LowerName(name))) {
    if (if_exists) return Status::OK();
    return Status::NotFound("Table with name \"" + name + "\" does not exist");
  }
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
  sit->second.views[key] = std::move(view);
  return Status::OK();
}

Status Catalog::DropView(const std::string& schema, const std::string& name, bool if_exists) {
  std::lock_guard<std::mutex> lock(mu_);
  auto sit = schemas_.find(SchemaKey(schema));
  if (sit == schemas_.end() || !sit->second.views.erase(LowerName(name))) {
    if (if_exists) return Status::OK();
    return Status::NotFound("View with name \"" + name + "\" does not exist");
  }
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
