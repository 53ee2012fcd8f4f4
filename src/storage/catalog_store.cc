#include "storage/catalog_store.h"

#include <cctype>

#include "storage/delta/json_node.h"

namespace alopex {

namespace {

constexpr const char* kPostgresSchemes[] = {"postgresql://", "postgres://"};

// The newest jobs kept in the store; older finished ones are deleted.
constexpr int64_t kImportJobsKept = 10000;

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

Result<int64_t> ParseInt(const std::optional<std::string>& text, const char* what) {
  if (!text) return Status::Corruption(std::string("catalog: ") + what + " is NULL");
  try {
    size_t used = 0;
    int64_t v = std::stoll(*text, &used);
    if (used == text->size()) return v;
  } catch (...) {
  }
  return Status::Corruption(std::string("catalog: ") + what + " is not a number: \"" + *text + "\"");
}

std::optional<std::string> Text(int64_t v) { return std::to_string(v); }
std::optional<std::string> Text(uint64_t v) { return std::to_string(v); }
std::optional<std::string> Text(const std::optional<int64_t>& v) {
  return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
}

// "job_<n>" -> n.
Result<std::string> JobNumber(const std::string& job_id) {
  std::string n = job_id.rfind("job_", 0) == 0 ? job_id.substr(4) : "";
  if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos)
    return Status::InvalidArgument("import job id \"" + job_id + "\" is not one the catalog assigned (job_<n>)");
  return n;
}

}  // namespace

Result<std::unique_ptr<CatalogStore>> CatalogStore::Open(const std::string& connection,
                                                         const std::string& sqlite_path) {
  if (connection.empty()) return OpenSqliteCatalogStore(sqlite_path);
  for (const char* scheme : kPostgresSchemes)
    if (StartsWith(connection, scheme)) return OpenPostgresCatalogStore(connection);
  return Status::InvalidArgument("catalog \"" + RedactConnection(connection) +
                                 "\": expected a PostgreSQL connection URI (postgresql://user@host:port/dbname), or "
                                 "nothing for the embedded SQLite catalog");
}

std::string RedactConnection(const std::string& connection, std::vector<std::string>* secrets) {
  std::string out = connection;
  // URI userinfo: scheme://user:password@host...
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t start = scheme + 3;
    size_t end = out.find_first_of("/?#", start);
    if (end == std::string::npos) end = out.size();
    size_t at = out.rfind('@', end);
    if (at != std::string::npos && at >= start) {
      size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        if (secrets) secrets->push_back(out.substr(colon + 1, at - colon - 1));
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // password=... as a URI parameter or a keyword/value pair, quoted or not.
  for (size_t p = 0; (p = out.find("password", p)) != std::string::npos;) {
    size_t q = p + 8;
    bool word_start = p == 0 || !(std::isalnum(static_cast<unsigned char>(out[p - 1])) || out[p - 1] == '_');
    while (q < out.size() && out[q] == ' ') q++;
    if (!word_start || q >= out.size() || out[q] != '=') {
      p = q;
      continue;
    }
    q++;
    while (q < out.size() && out[q] == ' ') q++;
    size_t end = q;
    if (end < out.size() && out[end] == '\'') {
      for (end++; end < out.size() && out[end] != '\''; end++)
        if (out[end] == '\\') end++;
      end = std::min(out.size(), end + 1);
    } else {
      while (end < out.size() && out[end] != '&' && out[end] != ' ' && out[end] != '#') end++;
    }
    if (secrets) secrets->push_back(out.substr(q, end - q));
    out.replace(q, end - q, "***");
    p = q + 3;
  }
  return out;
}

std::string CatalogStore::Sql(const std::string& sql) const {
  std::string out;
  for (size_t i = 0; i < sql.size(); i++) {
    if (sql.compare(i, 3, "{p}") == 0) {
      out += prefix_;
      i += 2;
    } else {
      out += sql[i];
    }
  }
  return out;
}

template <typename Body>
Status CatalogStore::WriteNames(Body body) {
  std::lock_guard<std::mutex> lock(mu_);
  ALOPEX_RETURN_IF_ERROR(BeginWrite());
  Status st = body();
  if (st.ok()) st = Exec(Sql("UPDATE {p}catalog_generation SET n = n + 1 WHERE id = 1"), {});
  if (st.ok()) st = Exec("COMMIT", {});
  if (!st.ok()) (void)Exec("ROLLBACK", {});
  return st;
}

Result<int64_t> CatalogStore::Generation() {
  std::lock_guard<std::mutex> lock(mu_);
  ALOPEX_ASSIGN_OR_RETURN(auto rows, Query(Sql("SELECT n FROM {p}catalog_generation WHERE id = 1"), {}));
  if (rows.size() != 1) return Status::Corruption("catalog: the generation row is missing");
  return ParseInt(rows[0][0], "the generation");
}

Result<StoredCatalog> CatalogStore::Load() {
  std::vector<Row> rows;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // One statement, so one consistent read of everything.
    ALOPEX_ASSIGN_OR_RETURN(
        rows, Query(Sql("SELECT 0, CAST(n AS TEXT), NULL, NULL, NULL FROM {p}catalog_generation WHERE id = 1"
                        " UNION ALL SELECT 1, name, NULL, NULL, NULL FROM {p}schemas"
                        " UNION ALL SELECT 2, schema, name, location, NULL FROM {p}tables"
                        " UNION ALL SELECT 3, schema, name, sql, column_aliases FROM {p}views"),
                    {}));
  }
  StoredCatalog out;
  bool has_generation = false;
  for (auto& r : rows) {
    auto text = [&](size_t c) { return r[c] ? std::move(*r[c]) : std::string(); };
    int kind = r[0] ? std::atoi(r[0]->c_str()) : -1;
    if (kind == 0) {
      ALOPEX_ASSIGN_OR_RETURN(out.generation, ParseInt(r[1], "the generation"));
      has_generation = true;
    } else if (kind == 1) {
      out.schemas.push_back(text(1));
    } else if (kind == 2) {
      out.tables.push_back({text(1), text(2), text(3)});
    } else if (kind == 3) {
      ViewDef v{text(1), text(2), text(3), {}};
      ALOPEX_ASSIGN_OR_RETURN(JsonNode aliases, JsonNode::Parse(text(4)));
      for (const auto& a : aliases.items())
        if (a.is_string()) v.column_aliases.push_back(a.str());
      out.views.push_back(std::move(v));
    }
  }
  if (!has_generation) return Status::Corruption("catalog: the generation row is missing");
  return out;
}

Status CatalogStore::PutSchema(const std::string& key) {
  return WriteNames(
      [&] { return Exec(Sql("INSERT INTO {p}schemas(name) VALUES ($1) ON CONFLICT(name) DO NOTHING"), {key}); });
}

Status CatalogStore::DeleteSchema(const std::string& key) {
  return WriteNames([&] {
    ALOPEX_RETURN_IF_ERROR(Exec(Sql("DELETE FROM {p}tables WHERE schema = $1"), {key}));
    ALOPEX_RETURN_IF_ERROR(Exec(Sql("DELETE FROM {p}views WHERE schema = $1"), {key}));
    return Exec(Sql("DELETE FROM {p}schemas WHERE name = $1"), {key});
  });
}

Status CatalogStore::PutTable(const StoredTable& t, bool replace) {
  return WriteNames([&]() -> Status {
    std::vector<Param> params = {t.schema, t.name, LowerName(t.name), t.location};
    if (replace)
      return Exec(Sql("INSERT INTO {p}tables(schema, name, key, location) VALUES ($1, $2, $3, $4)"
                      " ON CONFLICT(schema, key) DO UPDATE SET name = excluded.name, location = excluded.location"),
                  params);
    ALOPEX_ASSIGN_OR_RETURN(auto rows, Query(Sql("INSERT INTO {p}tables(schema, name, key, location)"
                                                 " VALUES ($1, $2, $3, $4) ON CONFLICT(schema, key) DO NOTHING"
                                                 " RETURNING key"),
                                             params));
    if (rows.empty()) return Status::AlreadyExists("Table with name \"" + t.name + "\" already exists");
    return Status::OK();
  });
}

namespace {
Status ChangedElsewhere(const std::string& name) {
  return Status::Conflict("table \"" + name + "\" was changed by another process while this statement ran; retry it");
}
}  // namespace

Status CatalogStore::DeleteTable(const std::string& schema, const std::string& name, const std::string& location) {
  return WriteNames([&]() -> Status {
    ALOPEX_ASSIGN_OR_RETURN(auto rows, Query(Sql("DELETE FROM {p}tables WHERE schema = $1 AND key = $2"
                                                 " AND location = $3 RETURNING key"),
                                             {schema, LowerName(name), location}));
    return rows.empty() ? ChangedElsewhere(name) : Status::OK();
  });
}

Status CatalogStore::RenameTable(const std::string& schema, const std::string& from, const std::string& to,
                                 const std::string& location) {
  return WriteNames([&]() -> Status {
    ALOPEX_ASSIGN_OR_RETURN(auto rows, Query(Sql("UPDATE {p}tables SET name = $1, key = $2"
                                                 " WHERE schema = $3 AND key = $4 AND location = $5 RETURNING key"),
                                             {to, LowerName(to), schema, LowerName(from), location}));
    return rows.empty() ? ChangedElsewhere(from) : Status::OK();
  });
}

Status CatalogStore::PutView(const ViewDef& v) {
  JsonNode aliases = JsonNode::Array();
  for (const auto& a : v.column_aliases) aliases.Push(JsonNode::String(a));
  return WriteNames([&] {
    return Exec(Sql("INSERT INTO {p}views(schema, name, key, sql, column_aliases) VALUES ($1, $2, $3, $4, $5)"
                    " ON CONFLICT(schema, key) DO UPDATE SET name = excluded.name, sql = excluded.sql,"
                    " column_aliases = excluded.column_aliases"),
                {v.schema, v.name, LowerName(v.name), v.sql, aliases.Serialize()});
  });
}

Status CatalogStore::DeleteView(const std::string& schema, const std::string& name) {
  return WriteNames([&] {
    return Exec(Sql("DELETE FROM {p}views WHERE schema = $1 AND key = $2"), {schema, LowerName(name)});
  });
}

namespace {
constexpr const char* kJobColumns =
    "status, files_total, files_done, rows_imported, rows_rejected, errors, bytes_read, started_at, finished_at,"
    " target_table, committed_version, message";

std::vector<std::optional<std::string>> JobParams(const ImportJobStatus& j) {
  return {ImportJobStateName(j.state), Text(j.files_total),
          Text(j.files_done),          Text(j.rows_imported),
          Text(j.rows_rejected),       Text(j.errors),
          Text(j.bytes_read),          Text(j.started_at),
          Text(j.finished_at),         j.target_table,
          Text(j.committed_version),   j.message.empty() ? std::nullopt : std::optional<std::string>(j.message)};
}
}  // namespace

Result<std::string> CatalogStore::InsertImportJob(const ImportJobStatus& job) {
  std::lock_guard<std::mutex> lock(mu_);
  ALOPEX_ASSIGN_OR_RETURN(auto rows, Query(Sql(std::string("INSERT INTO {p}import_jobs(") + kJobColumns +
                                               ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                                               " RETURNING id"),
                                           JobParams(job)));
  if (rows.size() != 1) return Status::Internal("catalog: inserting an import job returned no id");
  ALOPEX_ASSIGN_OR_RETURN(int64_t id, ParseInt(rows[0][0], "an import job id"));
  if (id > kImportJobsKept)
    (void)Exec(Sql("DELETE FROM {p}import_jobs WHERE id <= $1 AND status <> 'in_progress'"),
               {Text(id - kImportJobsKept)});
  return "job_" + std::to_string(id);
}

Status CatalogStore::UpdateImportJob(const ImportJobStatus& job) {
  ALOPEX_ASSIGN_OR_RETURN(std::string id, JobNumber(job.job_id));
  std::vector<Param> params = JobParams(job);
  params.push_back(id);
  std::lock_guard<std::mutex> lock(mu_);
  return Exec(Sql("UPDATE {p}import_jobs SET status = $1, files_total = $2, files_done = $3, rows_imported = $4,"
                  " rows_rejected = $5, errors = $6, bytes_read = $7, started_at = $8, finished_at = $9,"
                  " target_table = $10, committed_version = $11, message = $12 WHERE id = $13"),
              params);
}

Result<std::vector<ImportJobStatus>> CatalogStore::ImportJobs() {
  std::vector<Row> rows;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ALOPEX_ASSIGN_OR_RETURN(
        rows, Query(Sql(std::string("SELECT id, ") + kJobColumns + " FROM {p}import_jobs ORDER BY id"), {}));
  }
  std::vector<ImportJobStatus> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    ImportJobStatus j;
    ALOPEX_ASSIGN_OR_RETURN(int64_t id, ParseInt(r[0], "an import job id"));
    j.job_id = "job_" + std::to_string(id);
    auto state = r[1] ? ParseImportJobState(*r[1]) : std::nullopt;
    if (!state) return Status::Corruption("catalog: import job " + j.job_id + " has an unknown status");
    j.state = *state;
    uint64_t* counters[] = {&j.files_total,   &j.files_done, &j.rows_imported,
                            &j.rows_rejected, &j.errors,     &j.bytes_read};
    for (size_t c = 0; c < 6; c++) {
      ALOPEX_ASSIGN_OR_RETURN(int64_t v, ParseInt(r[2 + c], "an import job counter"));
      *counters[c] = uint64_t(v);
    }
    ALOPEX_ASSIGN_OR_RETURN(j.started_at, ParseInt(r[8], "an import job's start"));
    if (r[9]) {
      ALOPEX_ASSIGN_OR_RETURN(j.finished_at, ParseInt(r[9], "an import job's end"));
    }
    j.target_table = r[10].value_or("");
    if (r[11]) {
      ALOPEX_ASSIGN_OR_RETURN(j.committed_version, ParseInt(r[11], "an import job's version"));
    }
    j.message = r[12].value_or("");
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace alopex
