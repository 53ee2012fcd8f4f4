// The embedded database: open a directory (or ":memory:"), connect, run SQL.
//
//   auto db = alopex::Database::Open("mydb");            // Result<std::shared_ptr<Database>>
//   alopex::Connection con(*db);
//   auto r = con.Query("SELECT $1 + 1 AS x", {alopex::Value::Integer(41)});
//   if (!r.ok()) std::cerr << r.status().ToString();
//   int64_t x = r->GetInt64(0, 0);
//
// No exception crosses this API: every fallible call returns Status or Result<T>.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "alopex/status.h"
#include "alopex/types.h"
#include "alopex/value.h"

namespace alopex {

class DatabaseInstance;   // internal
class ClientContext;      // internal: one per connection
struct Batch;             // internal columnar batch
class Progress;           // see common/progress.h

struct DatabaseOptions {
  // Worker threads for query execution; 0 = all cores.
  int threads = 0;
  // Catalog connection string: empty for the embedded SQLite catalog,
  // "postgresql://..." for a shared PostgreSQL catalog.
  std::string catalog;
  bool read_only = false;
};

// The rows a statement returned, fully materialized, with typed access.
// Statements without rows (CREATE, INSERT) return one column "Count" or none.
class QueryResult {
 public:
  QueryResult();
  ~QueryResult();
  QueryResult(QueryResult&&) noexcept;
  QueryResult& operator=(QueryResult&&) noexcept;

  size_t num_rows() const;
  size_t num_columns() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<LogicalType>& types() const { return types_; }
  const std::string& name(size_t col) const { return names_.at(col); }
  const LogicalType& type(size_t col) const { return types_.at(col); }

  // Typed access; `row` < num_rows(), `col` < num_columns(). Calling a getter
  // that does not fit the column's type converts as a CAST would (GetString
  // works on every type, formatted as the shell prints it).
  bool IsNull(size_t row, size_t col) const;
  Value GetValue(size_t row, size_t col) const;
  int64_t GetInt64(size_t row, size_t col) const;
  double GetDouble(size_t row, size_t col) const;
  bool GetBool(size_t row, size_t col) const;
  std::string GetString(size_t row, size_t col) const;
  std::vector<float> GetVector(size_t row, size_t col) const;

  // The statement kind's summary for the shell ("CREATE TABLE", "INSERT 0 5"), may be empty.
  const std::string& message() const { return message_; }

  // Internal: the columnar batches (for zero-copy consumers like the shell).
  const std::vector<Batch>& batches() const;

 private:
  friend class ClientContext;
  std::vector<std::string> names_;
  std::vector<LogicalType> types_;
  std::unique_ptr<std::vector<Batch>> batches_;
  std::vector<size_t> batch_starts_;  // first row index of each batch
  std::string message_;
  const Batch* Locate(size_t row, size_t* local) const;
};

class Database {
 public:
  // Opens (creating if needed) the database directory at `path`, or an in-memory
  // database for ":memory:" or "". Reopening after a crash recovers.
  static Result<std::shared_ptr<Database>> Open(const std::string& path, DatabaseOptions options = {});
  ~Database();
  DatabaseInstance& instance() { return *instance_; }
  std::shared_ptr<DatabaseInstance> instance_ptr() { return instance_; }
  const std::string& path() const;

 private:
  Database() = default;
  std::shared_ptr<DatabaseInstance> instance_;
};

class PreparedStatement;

class Connection {
 public:
  explicit Connection(Database& db);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs every statement in `sql` (separated by ';') and returns the last one's
  // result. `params` bind $1..$n.
  Result<QueryResult> Query(const std::string& sql, const std::vector<Value>& params = {});
  // Parses and binds one statement for repeated execution with different $n values.
  Result<std::unique_ptr<PreparedStatement>> Prepare(const std::string& sql);

  // Cancels the statement running on this connection (safe from a signal
  // handler or another thread); it fails with an Interrupted status.
  void Interrupt();

  // Receives progress of long statements (may be called from worker threads).
  // Pass nullptr to stop.
  void SetProgressListener(std::shared_ptr<Progress> listener);

  ClientContext& context() { return *context_; }

 private:
  std::unique_ptr<ClientContext> context_;
};

class PreparedStatement {
 public:
  ~PreparedStatement();
  // Number of $n parameters the statement takes.
  size_t num_params() const;
  Result<QueryResult> Execute(const std::vector<Value>& params = {});

 private:
  friend class ClientContext;
  PreparedStatement() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace alopex
