// Helpers shared by the Delta tests: scratch directories and small batches.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "common/column.h"
#include "io/file_system.h"
#include "storage/delta/delta_log.h"
#include "storage/delta/delta_scan.h"

namespace alopex::delta_test {

// A fresh directory under $TMPDIR, removed when the object goes away.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/alopex_delta_XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    char* made = ::mkdtemp(buf.data());
    path_ = made ? made : "";
  }
  ~ScratchDir() {
    if (path_.empty()) return;
    auto fs = FileSystem::ForPath(path_);
    if (fs.ok()) (void)(*fs)->DeleteRecursive(path_);
  }
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A batch of BIGINT ids [first, first + n) and VARCHAR names "name-<id>".
inline Batch IdNameBatch(int64_t first, size_t n) {
  Batch b({LogicalType(TypeId::kBigInt), LogicalType(TypeId::kVarchar)});
  b.SetRows(n);
  for (size_t i = 0; i < n; i++) {
    b.columns[0].data<int64_t>()[i] = first + int64_t(i);
    b.columns[1].SetString(i, "name-" + std::to_string(first + int64_t(i)));
  }
  return b;
}

// One batch as the vector WriteDataFiles takes (Batch is move-only).
inline std::vector<Batch> One(Batch b) {
  std::vector<Batch> v;
  v.push_back(std::move(b));
  return v;
}

// The columns of IdNameBatch.
inline const std::vector<std::string> kNames = {"id", "name"};
inline const std::vector<LogicalType> kTypes = {TypeId::kBigInt, TypeId::kVarchar};

inline std::vector<Action> AsActions(const std::vector<AddFile>& adds) { return {adds.begin(), adds.end()}; }

// Appends ids [first, first+n) to `t` as one file, committed at `ts` ms (0 =
// now); returns the committed version.
inline int64_t Append(DeltaTable& t, int64_t first, size_t n, int64_t ts = 0) {
  auto adds = WriteDataFiles(t.path(), kNames, kTypes, {}, One(IdNameBatch(first, n)));
  EXPECT_TRUE(adds.ok()) << adds.status().ToString();
  auto latest = t.LatestVersion();
  EXPECT_TRUE(latest.ok());
  CommitOptions o;
  o.timestamp_ms = ts;
  auto v = t.Commit(AsActions(*adds), *latest, o);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : -1;
}

}  // namespace alopex::delta_test
