// The catalog in a PostgreSQL database that several Alopex processes share
// (DESIGN.md § What Alopex is: "a PostgreSQL catalog shared by several Alopex
// processes"). Its tables are named alopex_*, so the database may hold other
// things too. Errors name the server (host and port) and never the password.
#include <libpq-fe.h>

#include "storage/catalog_store.h"

namespace alopex {

namespace {

// Serializes creating the tables: two processes starting at once on an empty
// database would otherwise race in CREATE TABLE IF NOT EXISTS (which is not
// atomic against a concurrent create of the same name).
constexpr const char* kInitLockKey = "7416043281659347";  // any fixed number, the same in every process

constexpr const char* kSchemaSql =
    "CREATE TABLE IF NOT EXISTS alopex_schemas(name TEXT PRIMARY KEY);"
    "CREATE TABLE IF NOT EXISTS alopex_tables(schema TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL,"
    " location TEXT NOT NULL, PRIMARY KEY(schema, key));"
    "CREATE TABLE IF NOT EXISTS alopex_views(schema TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL,"
    " sql TEXT NOT NULL, column_aliases TEXT NOT NULL, PRIMARY KEY(schema, key));"
    "CREATE TABLE IF NOT EXISTS alopex_import_jobs(id BIGSERIAL PRIMARY KEY, status TEXT NOT NULL,"
    " files_total BIGINT NOT NULL, files_done BIGINT NOT NULL, rows_imported BIGINT NOT NULL,"
    " rows_rejected BIGINT NOT NULL, errors BIGINT NOT NULL, bytes_read BIGINT NOT NULL,"
    " started_at BIGINT NOT NULL, finished_at BIGINT, target_table TEXT NOT NULL, committed_version BIGINT,"
    " message TEXT);"
    "CREATE TABLE IF NOT EXISTS alopex_catalog_generation(id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
    "INSERT INTO alopex_catalog_generation(id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;";

// A connection attempt gives up after this long unless the URI says otherwise.
constexpr const char* kConnectTimeoutSeconds = "10";

std::string TrimEnd(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// `text` with every secret replaced by "***".
std::string Scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (size_t p = 0; (p = text.find(secret, p)) != std::string::npos; p += 3) text.replace(p, secret.size(), "***");
  }
  return text;
}

// "host:port" of the server `conn` talks (or tried to talk) to.
std::string ServerOf(const PGconn* conn) {
  const char* host = PQhost(conn);
  const char* port = PQport(conn);
  return std::string(host && *host ? host : "localhost") + ":" + (port && *port ? port : "5432");
}

class PostgresCatalogStore : public CatalogStore {
 public:
  PostgresCatalogStore(PGconn* conn, std::string shown, std::vector<std::string> secrets)
      : CatalogStore("alopex_"), conn_(conn), shown_(std::move(shown)), secrets_(std::move(secrets)) {}
  ~PostgresCatalogStore() override { PQfinish(conn_); }

  bool absolute_locations() const override { return true; }

  Status Initialize() {
    ALOPEX_RETURN_IF_ERROR(Run("BEGIN", {}, nullptr));
    Status st = Run(std::string("SELECT pg_advisory_xact_lock(") + kInitLockKey + ")", {}, nullptr);
    if (st.ok()) st = RunScript(kSchemaSql);
    if (st.ok()) st = Run("COMMIT", {}, nullptr);
    if (!st.ok()) {
      (void)Run("ROLLBACK", {}, nullptr);
      return st.WithContext("cannot initialize the catalog: ");
    }
    return Status::OK();
  }

 protected:
  Status BeginWrite() override { return Run("BEGIN", {}, nullptr); }

 private:
  // "PostgreSQL catalog 127.0.0.1:5432: <what went wrong>", scrubbed.
  Status Error(const std::string& what) const {
    return Status::IOError(
        Scrub("PostgreSQL catalog " + ServerOf(conn_) + " (" + shown_ + "): " + TrimEnd(what), secrets_));
  }

  // A connection lost between statements (server restart) is made again
  // once; inside a transaction the transaction is lost with it.
  void Reconnect() {
    if (PQstatus(conn_) == CONNECTION_BAD) PQreset(conn_);
  }

  // Several statements without parameters.
  Status RunScript(const char* sql) {
    PGresult* res = PQexec(conn_, sql);
    ExecStatusType status = PQresultStatus(res);
    std::string err = PQresultErrorMessage(res);
    PQclear(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Error(err);
    return Status::OK();
  }

  Status Run(const std::string& sql, const std::vector<Param>& params, std::vector<Row>* rows) override {
    if (PQtransactionStatus(conn_) != PQTRANS_INTRANS && PQtransactionStatus(conn_) != PQTRANS_INERROR) Reconnect();
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PGresult* res = PQexecParams(conn_, sql.c_str(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    ExecStatusType status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string err = res ? PQresultErrorMessage(res) : PQerrorMessage(conn_);
      PQclear(res);
      return Error(err + " in: " + sql);
    }
    if (rows) {
      int n = PQntuples(res), cols = PQnfields(res);
      for (int r = 0; r < n; r++) {
        Row row;
        for (int c = 0; c < cols; c++) {
          if (PQgetisnull(res, r, c))
            row.emplace_back(std::nullopt);
          else
            row.emplace_back(std::string(PQgetvalue(res, r, c), size_t(PQgetlength(res, r, c))));
        }
        rows->push_back(std::move(row));
      }
    }
    PQclear(res);
    return Status::OK();
  }

  PGconn* conn_;
  const std::string shown_;                 // the connection string, redacted
  const std::vector<std::string> secrets_;  // never shown
};

void IgnoreNotice(void*, const char*) {}

}  // namespace

Result<std::unique_ptr<CatalogStore>> OpenPostgresCatalogStore(const std::string& connection) {
  std::vector<std::string> secrets;
  std::string shown = RedactConnection(connection, &secrets);
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(connection.c_str(), &parse_error);
  if (!options) {
    std::string msg = parse_error ? TrimEnd(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return Status::InvalidArgument(
        Scrub("catalog \"" + shown + "\" is not a valid PostgreSQL connection URI: " + msg, secrets));
  }
  for (PQconninfoOption* o = options; o->keyword; o++)
    if (std::string(o->keyword) == "password" && o->val) secrets.push_back(o->val);  // as decoded
  PQconninfoFree(options);

  // The URI's own settings come after (and so override) these defaults.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {kConnectTimeoutSeconds, "alopex", connection.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (!conn) return Status::IOError("cannot connect to the PostgreSQL catalog " + shown + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string server = ServerOf(conn);
    std::string msg = TrimEnd(PQerrorMessage(conn));
    PQfinish(conn);
    return Status::IOError(
        Scrub("cannot connect to the PostgreSQL catalog at " + server + " (" + shown + "): " + msg, secrets));
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);  // "relation ... already exists, skipping"
  auto store = std::make_unique<PostgresCatalogStore>(conn, shown, secrets);
  ALOPEX_RETURN_IF_ERROR(store->Initialize());
  return std::unique_ptr<CatalogStore>(std::move(store));
}

}  // namespace alopex
