// The shared state behind a Database: catalog, workers, functions.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "alopex/database.h"
#include "common/thread_pool.h"
#include "sql/binder/binder.h"
#include "storage/catalog.h"

namespace alopex {

class DatabaseInstance {
 public:
  static Result<std::shared_ptr<DatabaseInstance>> Open(const std::string& path, const DatabaseOptions& options);

  const std::string& path() const { return path_; }
  Catalog& catalog() { return catalog_; }
  ThreadPool& pool() { return *pool_; }
  const std::map<std::string, TableFunctionBinder>& table_functions() const { return table_functions_; }
  const DatabaseOptions& options() const { return options_; }

 private:
  std::string path_;
  DatabaseOptions options_;
  Catalog catalog_;
  std::unique_ptr<ThreadPool> pool_;
  std::map<std::string, TableFunctionBinder> table_functions_;
};

}  // namespace alopex
