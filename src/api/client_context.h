// ClientContext: one connection's session (settings, interrupt flag, progress).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "alopex/database.h"
#include "common/progress.h"
#include "sql/ast.h"
#include "sql/binder/statements.h"

namespace alopex {

class ClientContext {
 public:
  explicit ClientContext(std::shared_ptr<DatabaseInstance> db);

  Result<QueryResult> Query(const std::string& sql, const std::vector<Value>& params);
  Result<QueryResult> Execute(const sql::Statement& stmt, const std::vector<Value>& params);
  Result<std::unique_ptr<PreparedStatement>> Prepare(const std::string& sql);
  void Interrupt() { interrupted_.store(true); }
  void SetProgressListener(std::shared_ptr<Progress> listener);

 private:
  std::shared_ptr<DatabaseInstance> db_;
  Settings settings_;
  std::atomic<bool> interrupted_{false};
  std::shared_ptr<Progress> listener_;
  std::mutex mu_;  // one statement at a time per connection
};

}  // namespace alopex
