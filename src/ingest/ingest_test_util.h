// Helpers shared by the ingest tests: a scratch folder, file writing, and
// running a table-function source to completion.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "alopex/database.h"
#include "common/cast.h"
#include "common/thread_pool.h"
#include "exec/exec_context.h"
#include "exec/table_function.h"

namespace alopex::testing {

// A fresh folder under /tmp, removed at destruction.
class ScratchDir {
 public:
  ScratchDir() {
    char tmpl[] = "/tmp/alopex_ingest_XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

// Each row of `r` as "a|b|c" ("NULL" for NULL).
inline std::vector<std::string> ResultRows(const QueryResult& r) {
  std::vector<std::string> out;
  for (size_t i = 0; i < r.num_rows(); i++) {
    std::string row;
    for (size_t c = 0; c < r.num_columns(); c++) row += (c ? "|" : "") + (r.IsNull(i, c) ? "NULL" : r.GetString(i, c));
    out.push_back(row);
  }
  return out;
}

inline void WriteText(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

struct ScanResult {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::vector<std::vector<std::string>> rows;  // FormatValue text; "NULL" for NULL
  size_t morsels = 0;
};

// Prepares `source` and reads every morsel in order on one thread.
inline Result<ScanResult> RunSource(TableFunctionSource& source) {
  static ThreadPool pool(1);
  ProgressTracker progress;
  ExecContext ctx;
  ctx.pool = &pool;
  ctx.threads = 1;
  ctx.progress = &progress;
  ALOPEX_RETURN_IF_ERROR(source.Prepare(ctx));
  ScanResult r;
  r.morsels = source.NumMorsels();
  for (size_t m = 0; m < source.NumMorsels(); m++) {
    ALOPEX_RETURN_IF_ERROR(source.ReadMorsel(m, ctx, [&](Batch&& b) -> Status {
      if (r.types.empty())
        for (const auto& c : b.columns) r.types.push_back(c.type());
      for (size_t i = 0; i < b.num_rows; i++) {
        std::vector<std::string> row;
        for (const auto& c : b.columns) row.push_back(c.IsNull(i) ? "NULL" : FormatValue(c, i));
        r.rows.push_back(std::move(row));
      }
      return Status::OK();
    }));
  }
  return r;
}

}  // namespace alopex::testing
