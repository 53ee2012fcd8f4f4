#include "ingest/file_export.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "ingest/file_scan.h"
#include "ingest/ingest_test_util.h"
#include "io/file_system.h"

namespace alopex {
namespace {

using testing::RunSource;
using testing::ScratchDir;
using Rows = std::vector<std::vector<std::string>>;
using Producer = std::function<Status(const std::function<Status(const Batch&)>&)>;

// (id BIGINT, name VARCHAR, category VARCHAR) rows; category cycles a, b, NULL.
const std::vector<std::string> kNames = {"id", "name", "category"};
const std::vector<LogicalType> kTypes = {TypeId::kBigInt, TypeId::kVarchar, TypeId::kVarchar};

Producer Rows3(int n) {
  return [n](const std::function<Status(const Batch&)>& sink) -> Status {
    Batch b(kTypes);
    for (int i = 0; i < n; i++) {
      b.columns[0].AppendValue(Value::BigInt(i));
      b.columns[1].AppendValue(Value::Varchar("name " + std::to_string(i)));
      b.columns[2].AppendValue(i % 3 == 2 ? Value::Null(TypeId::kVarchar) : Value::Varchar(i % 3 == 0 ? "a/x" : "b"));
    }
    b.num_rows = size_t(n);
    return sink(b);
  };
}

Result<testing::ScanResult> Read(const std::string& fn, const std::string& path,
                                 std::vector<std::pair<std::string, Value>> named = {}) {
  TableFunctionInput in;
  in.name = fn;
  in.args.push_back(Value::Varchar(path));
  in.named_args = std::move(named);
  ALOPEX_ASSIGN_OR_RETURN(auto src, BindFileScan(in));
  auto r = RunSource(*src);
  if (r.ok()) r->names = src->names();
  return r;
}

std::vector<std::string> FilesBelow(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(std::filesystem::relative(e.path(), dir).string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FileExportTest, RoundTripsEachFormat) {
  ScratchDir dir;
  for (std::string name : {"t.parquet", "t.csv", "t.json", "t.csv.gz", "t.json.gz"}) {
    auto w = WriteFiles(dir / name, {}, {"id", "name"}, {TypeId::kBigInt, TypeId::kVarchar}, 0,
                        [](const std::function<Status(const Batch&)>& sink) -> Status {
                          Batch b({TypeId::kBigInt, TypeId::kVarchar});
                          b.columns[0].AppendValue(Value::BigInt(1));
                          b.columns[1].AppendValue(Value::Varchar("a,\"b\""));
                          b.columns[0].AppendValue(Value::BigInt(2));
                          b.columns[1].AppendValue(Value::Null(TypeId::kVarchar));
                          b.num_rows = 2;
                          return sink(b);
                        });
    ASSERT_TRUE(w.ok()) << name << ": " << w.status().ToString();
    EXPECT_EQ(w->rows, 2);
    EXPECT_EQ(w->files, 1);
    EXPECT_GT(w->bytes, 0);
    auto r = Read("read_files", dir / name);
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().ToString();
    EXPECT_EQ(r->rows, (Rows{{"1", "a,\"b\""}, {"2", "NULL"}})) << name;
  }
  // No temporary files are left next to the results.
  EXPECT_EQ(FilesBelow(dir.path()).size(), 5u);
}

TEST(FileExportTest, CsvAndJsonOptions) {
  ScratchDir dir;
  auto w = WriteFiles(
      dir / "t.csv",
      {{"delimiter", Value::Varchar("|")}, {"header", Value::Boolean(false)}, {"nullstr", Value::Varchar("NA")}},
      kNames, kTypes, 0, Rows3(3));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto text = FileSystem::ForPath(dir / "t.csv").value()->ReadAll(dir / "t.csv");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "0|name 0|a/x\n1|name 1|b\n2|name 2|NA\n");

  auto j = WriteFiles(dir / "t.json", {{"array", Value::Boolean(true)}}, kNames, kTypes, 0, Rows3(2));
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  auto jt = FileSystem::ForPath(dir / "t.json").value()->ReadAll(dir / "t.json");
  ASSERT_TRUE(jt.ok());
  EXPECT_EQ(jt->front(), '[');
}

TEST(FileExportTest, UnknownAndMisappliedOptions) {
  ScratchDir dir;
  auto r = WriteFiles(dir / "t.parquet", {{"colour", Value::Varchar("red")}}, kNames, kTypes, 0, Rows3(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("colour"), std::string::npos);
  auto codec = WriteFiles(dir / "t.parquet", {{"compression", Value::Varchar("lzma")}}, kNames, kTypes, 0, Rows3(1));
  EXPECT_EQ(codec.status().code(), StatusCode::kInvalidArgument);
  auto header = WriteFiles(dir / "t.parquet", {{"header", Value::Boolean(true)}}, kNames, kTypes, 0, Rows3(1));
  EXPECT_EQ(header.status().code(), StatusCode::kInvalidArgument);
  auto ext = WriteFiles(dir / "t.xyz", {}, kNames, kTypes, 0, Rows3(1));
  EXPECT_EQ(ext.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(FilesBelow(dir.path()).empty());
}

TEST(FileExportTest, ParquetCodecsAndRowGroups) {
  ScratchDir dir;
  for (const char* codec : {"snappy", "zstd", "gzip", "uncompressed", "none"}) {
    std::string path = dir / (std::string("t_") + codec + ".parquet");
    auto w = WriteFiles(path, {{"compression", Value::Varchar(codec)}, {"row_group_size", Value::BigInt(4)}}, kNames,
                        kTypes, 0, Rows3(10));
    ASSERT_TRUE(w.ok()) << codec << ": " << w.status().ToString();
    auto r = Read("read_parquet", path);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->rows.size(), 10u);
    EXPECT_EQ(r->morsels, 3u);  // row groups of 4, 4, 2
  }
}

TEST(FileExportTest, ExistingFileNeedsOverwrite) {
  ScratchDir dir;
  ASSERT_TRUE(WriteFiles(dir / "t.csv", {}, kNames, kTypes, 0, Rows3(2)).ok());
  auto again = WriteFiles(dir / "t.csv", {}, kNames, kTypes, 0, Rows3(5));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find(dir / "t.csv"), std::string::npos);
  EXPECT_NE(again.status().message().find("overwrite"), std::string::npos);
  auto replaced = WriteFiles(dir / "t.csv", {{"overwrite", Value::Boolean(true)}}, kNames, kTypes, 0, Rows3(5));
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  auto r = Read("read_csv", dir / "t.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows.size(), 5u);
}

TEST(FileExportTest, FailureLeavesNothingBehind) {
  ScratchDir dir;
  ASSERT_TRUE(WriteFiles(dir / "keep.parquet", {}, kNames, kTypes, 0, Rows3(2)).ok());
  auto failing = [](const std::function<Status(const Batch&)>& sink) -> Status {
    ALOPEX_RETURN_IF_ERROR(Rows3(4)(sink));
    return Status::Cancelled("Interrupted");
  };
  auto r = WriteFiles(dir / "keep.parquet", {{"overwrite", Value::Boolean(true)}}, kNames, kTypes, 0, failing);
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  auto part = WriteFiles(dir / "parts/", {}, kNames, kTypes, 1, failing);
  EXPECT_FALSE(part.ok());
  EXPECT_EQ(FilesBelow(dir.path()), std::vector<std::string>{"keep.parquet"});
  auto kept = Read("read_parquet", dir / "keep.parquet");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->rows.size(), 2u);  // the old file survives
}

TEST(FileExportTest, PartitionedExportLayoutAndReadBack) {
  ScratchDir dir;
  auto w =
      WriteFiles(dir / "out/", {{"format", Value::Varchar("parquet")}, {"partition_by", Value::Varchar("category")}},
                 kNames, kTypes, 1, Rows3(9));
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->rows, 9);
  EXPECT_EQ(w->files, 3);
  EXPECT_EQ(FilesBelow(dir / "out"),
            (std::vector<std::string>{"category=__HIVE_DEFAULT_PARTITION__/data_0.parquet",
                                      "category=a%2Fx/data_0.parquet", "category=b/data_0.parquet"}));
  // Partition columns are not inside the files; hive partitioning brings them
  // back.
  auto inner =
      Read("read_parquet", dir / "out/category=b/data_0.parquet", {{"hive_partitioning", Value::Boolean(false)}});
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  EXPECT_EQ(inner->names, (std::vector<std::string>{"id", "name"}));
  auto all = Read("read_parquet", dir / "out/*/*.parquet");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->names, kNames);
  EXPECT_EQ(all->rows.size(), 9u);
  size_t nulls = 0, slashes = 0;
  for (const auto& row : all->rows) {
    nulls += row[2] == "NULL";
    slashes += row[2] == "a/x";
  }
  EXPECT_EQ(nulls, 3u);
  EXPECT_EQ(slashes, 3u);

  // A non-empty folder needs overwrite; overwrite replaces its files.
  auto again = WriteFiles(dir / "out/", {}, kNames, kTypes, 1, Rows3(1));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("overwrite"), std::string::npos);
  auto replaced = WriteFiles(dir / "out/", {{"overwrite", Value::Boolean(true)}}, kNames, kTypes, 1, Rows3(1));
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ(FilesBelow(dir / "out"), (std::vector<std::string>{"category=a%2Fx/data_0.parquet"}));
}

TEST(FileExportTest, TypedPartitionsAndSizeRolling) {
  ScratchDir dir;
  std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kDate};
  Producer dates = [&](const std::function<Status(const Batch&)>& sink) -> Status {
    for (int k = 0; k < 4; k++) {
      Batch b(types);
      for (int i = 0; i < 1000; i++) {
        b.columns[0].AppendValue(Value::BigInt(k * 1000 + i));
        b.columns[1].AppendValue(Value::Date(19723 + (i % 2)));  // 2024-01-01, 2024-01-02
      }
      b.num_rows = 1000;
      ALOPEX_RETURN_IF_ERROR(sink(b));
    }
    return Status::OK();
  };
  auto w = WriteFiles(dir / "d", {{"row_group_size", Value::BigInt(500)}, {"file_size_bytes", Value::BigInt(1)}},
                      {"id", "date"}, types, 1, dates);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto files = FilesBelow(dir / "d");
  ASSERT_GE(files.size(), 4u);
  EXPECT_EQ(files[0], "date=2024-01-01/data_0.parquet");
  EXPECT_EQ(files[1], "date=2024-01-01/data_1.parquet");
  auto r = Read("read_parquet", dir / "d/**/*.parquet");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 4000u);
  EXPECT_EQ(r->types[1], LogicalType(TypeId::kDate));  // typed hive column
}

TEST(FileExportTest, ManyPartitionsCloseLeastRecentlyUsedWriters) {
  ScratchDir dir;
  std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kBigInt};
  Producer many = [&](const std::function<Status(const Batch&)>& sink) -> Status {
    for (int round = 0; round < 2; round++) {
      Batch b(types);
      for (int p = 0; p < 100; p++) {
        b.columns[0].AppendValue(Value::BigInt(round));
        b.columns[1].AppendValue(Value::BigInt(p));
      }
      b.num_rows = 100;
      ALOPEX_RETURN_IF_ERROR(sink(b));
    }
    return Status::OK();
  };
  auto w = WriteFiles(dir / "m/", {{"format", Value::Varchar("csv")}}, {"round", "p"}, types, 1, many);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_GT(w->files,
            100);  // partitions evicted in round 0 continue in a second file
  auto r = Read("read_csv", dir / "m/*/*.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 200u);
}

}  // namespace
}  // namespace alopex
