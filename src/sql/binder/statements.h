// Runs one parsed statement of any kind against a session.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "exec/exec_context.h"
#include "exec/plan.h"
#include "sql/ast.h"
#include "sql/binder/binder.h"

namespace alopex {

// Settings of a session: SET name = value / SHOW name.
class Settings {
 public:
  Settings();
  // Unknown names and bad values are errors naming the setting.
  Status Set(const std::string& name, const Value& value);
  Status Reset(const std::string& name);
  Result<Value> Get(const std::string& name) const;
  std::vector<std::pair<std::string, Value>> All() const;
  int threads() const;

 private:
  std::map<std::string, Value> values_;
  std::map<std::string, Value> defaults_;
};

struct Session {
  Catalog* catalog = nullptr;
  const FunctionRegistry* functions = nullptr;
  const std::map<std::string, TableFunctionBinder>* table_functions = nullptr;
  Settings* settings = nullptr;
  ExecContext exec;
};

struct StatementResult {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::shared_ptr<MaterializedData> data = std::make_shared<MaterializedData>();
  std::string message;  // "CREATE TABLE", "INSERT 5", ...
};

Result<StatementResult> ExecuteStatement(const sql::Statement& stmt, Session& session, const std::vector<Value>& params);

// Builds a result of constant rows (SHOW, DESCRIBE).
StatementResult MakeRowsResult(std::vector<std::string> names, std::vector<LogicalType> types,
                               const std::vector<std::vector<Value>>& rows);

// Parses memory sizes like '4GB', '512 MB', '1.5GiB' into bytes.
Result<int64_t> ParseMemorySize(const std::string& text);

}  // namespace alopex
