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
  // Where this process puts its spill files: DBDIR/tmp/<pid>/, removed when
  // the process's last database on DBDIR closes (or, after a crash, by the
  // next process to open DBDIR). Empty in memory.
  const std::string& spill_dir() const {
    static const std::string none;
    return spill_dir_ ? *spill_dir_ : none;
  }

 private:
  std::string path_;
  DatabaseOptions options_;
  std::shared_ptr<const std::string> spill_dir_;  // shared by this process's databases on DBDIR
  Catalog catalog_;
  std::unique_ptr<ThreadPool> pool_;
  std::map<std::string, TableFunctionBinder> table_functions_;
};

}  // namespace alopex
