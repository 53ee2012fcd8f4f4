#include "ingest/file_scan.h"

#include <gtest/gtest.h>

#include "exec/function.h"
#include "exec/plan.h"
#include "ingest/file_export.h"
#include "ingest/ingest_test_util.h"

namespace alopex {
namespace {

using testing::RunSource;
using testing::ScratchDir;
using testing::WriteText;
using Rows = std::vector<std::vector<std::string>>;

TableFunctionInput Call(const std::string& fn, Value path, std::vector<std::pair<std::string, Value>> named = {}) {
  TableFunctionInput in;
  in.name = fn;
  in.args.push_back(std::move(path));
  in.named_args = std::move(named);
  return in;
}

std::shared_ptr<TableFunctionSource> Bind(const TableFunctionInput& in) {
  auto s = BindFileScan(in);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : nullptr;
}

// A BIGINT comparison `column op constant` as the binder builds it.
BoundExprPtr Compare(const std::string& op, int column, const LogicalType& type, Value constant) {
  ScalarBindInput in;
  in.name = op;
  in.arg_types = {type, constant.type()};
  auto fn = FunctionRegistry::BuiltIns().Bind(in);
  EXPECT_TRUE(fn.ok()) << fn.status().ToString();
  auto e = std::make_unique<BoundExpr>(BoundExprKind::kFunction, LogicalType(TypeId::kBoolean));
  e->function = *fn;
  e->children.push_back(MakeColumnRef(column, type));
  e->children.push_back(MakeConstant(std::move(constant)));
  return e;
}

// Writes `rows` of (id BIGINT, name VARCHAR) as a Parquet file with small row
// groups.
void WriteParquet(const std::string& path, int64_t first, int64_t count, int64_t row_group_size = 10) {
  std::vector<std::string> names = {"id", "name"};
  std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kVarchar};
  auto r = WriteFiles(path, {{"row_group_size", Value::BigInt(row_group_size)}}, names, types, 0,
                      [&](const std::function<Status(const Batch&)>& sink) {
                        Batch b(types);
                        for (int64_t i = first; i < first + count; i++) {
                          b.columns[0].AppendValue(Value::BigInt(i));
                          b.columns[1].AppendValue(Value::Varchar("n" + std::to_string(i)));
                        }
                        b.num_rows = size_t(count);
                        return sink(b);
                      });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

TEST(FileScanTest, ReadsOneCsvFile) {
  ScratchDir dir;
  WriteText(dir / "a.csv", "id,name\n1,x\n2,y\n");
  auto src = Bind(Call("read_csv", Value::Varchar(dir / "a.csv")));
  ASSERT_TRUE(src);
  EXPECT_EQ(src->names(), (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(src->types()[0], LogicalType(TypeId::kBigInt));
  auto r = RunSource(*src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"1", "x"}, {"2", "y"}}));
}

TEST(FileScanTest, CsvOptions) {
  ScratchDir dir;
  WriteText(dir / "a.txt", "junk line\n1|NA\n2|b\n");
  auto src =
      Bind(Call("read_csv", Value::Varchar(dir / "a.txt"),
                {{"delim", Value::Varchar("|")},
                 {"header", Value::Boolean(false)},
                 {"skip", Value::BigInt(1)},
                 {"nullstr", Value::Varchar("NA")},
                 {"columns", Value::Nested(LogicalType::Struct({{"k", TypeId::kVarchar}, {"v", TypeId::kVarchar}}),
                                           {Value::Varchar("INTEGER"), Value::Varchar("VARCHAR")})}}));
  ASSERT_TRUE(src);
  EXPECT_EQ(src->names(), (std::vector<std::string>{"k", "v"}));
  EXPECT_EQ(src->types()[0], LogicalType(TypeId::kInteger));
  auto r = RunSource(*src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"1", "NULL"}, {"2", "b"}}));
}

TEST(FileScanTest, GlobWithTypedHivePartitionsAndPruning) {
  ScratchDir dir;
  WriteText(dir / "year=2023/month=01/a.csv", "id\n1\n2\n");
  WriteText(dir / "year=2024/month=02/b.csv", "id\n3\n");
  auto src = Bind(Call("read_csv", Value::Varchar(dir / "**/*.csv")));
  ASSERT_TRUE(src);
  EXPECT_EQ(src->names(), (std::vector<std::string>{"id", "year", "month"}));
  EXPECT_EQ(src->types()[1], LogicalType(TypeId::kBigInt));
  auto all = RunSource(*src);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->rows, (Rows{{"1", "2023", "1"}, {"2", "2023", "1"}, {"3", "2024", "2"}}));

  // year = 2024 over the projection [year, id] prunes the 2023 file.
  auto pruned = Bind(Call("read_csv", Value::Varchar(dir / "**/*.csv")));
  pruned->SetProjection({1, 0});
  auto filter = Compare("=", 0, TypeId::kBigInt, Value::BigInt(2024));
  pruned->SetFilters({filter.get()});
  auto r = RunSource(*pruned);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"2024", "3"}}));
}

TEST(FileScanTest, HivePartitioningCanBeTurnedOff) {
  ScratchDir dir;
  WriteText(dir / "k=a/x.csv", "id\n1\n");
  auto src = Bind(Call("read_csv", Value::Varchar(dir / "*/*.csv"), {{"hive_partitioning", Value::Boolean(false)}}));
  ASSERT_TRUE(src);
  EXPECT_EQ(src->names(), (std::vector<std::string>{"id"}));
}

TEST(FileScanTest, ListOfJsonPathsWithFilename) {
  ScratchDir dir;
  WriteText(dir / "a.json", "{\"id\": 1, \"tag\": \"x\"}\n{\"id\": 2, \"tag\": \"y\"}\n");
  WriteText(dir / "b.jsonl", "{\"id\": 3, \"tag\": \"z\"}\n");
  Value paths = Value::List(TypeId::kVarchar, {Value::Varchar(dir / "a.json"), Value::Varchar(dir / "b.jsonl")});
  auto src = Bind(Call("read_json", paths, {{"filename", Value::Boolean(true)}}));
  ASSERT_TRUE(src);
  EXPECT_EQ(src->names(), (std::vector<std::string>{"id", "tag", "filename"}));
  auto r = RunSource(*src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"1", "x", dir / "a.json"}, {"2", "y", dir / "a.json"}, {"3", "z", dir / "b.jsonl"}}));
}

TEST(FileScanTest, JsonArrayFormatOption) {
  ScratchDir dir;
  WriteText(dir / "a.json", "[{\"a\": 1}, {\"a\": 2}]");
  auto src = Bind(Call("read_json", Value::Varchar(dir / "a.json"), {{"format", Value::Varchar("array")}}));
  ASSERT_TRUE(src);
  auto r = RunSource(*src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"1"}, {"2"}}));
}

TEST(FileScanTest, UnionByName) {
  ScratchDir dir;
  WriteText(dir / "a.csv", "id,name\n1,x\n");
  WriteText(dir / "b.csv", "id,score\n2,3.5\n");
  auto src = Bind(Call("read_csv", Value::Varchar(dir / "*.csv"), {{"union_by_name", Value::Boolean(true)}}));
  ASSERT_TRUE(src);
  EXPECT_EQ(src->names(), (std::vector<std::string>{"id", "name", "score"}));
  auto r = RunSource(*src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"1", "x", "NULL"}, {"2", "NULL", "3.5"}}));
}

TEST(FileScanTest, MismatchedSchemasNameTheFileAndColumn) {
  ScratchDir dir;
  WriteText(dir / "a.csv", "id,name\n1,x\n");
  WriteText(dir / "b.csv", "id,score\n2,3\n");
  auto src = Bind(Call("read_csv", Value::Varchar(dir / "*.csv")));
  ASSERT_TRUE(src);
  auto r = RunSource(*src);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("b.csv"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("name"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("union_by_name"), std::string::npos) << r.status().ToString();

  ScratchDir pq;
  WriteParquet(pq / "a.parquet", 0, 5);
  ASSERT_TRUE(WriteFiles(pq / "b.parquet", {}, {"id", "other"}, {TypeId::kBigInt, TypeId::kDouble}, 0, [](const auto&) {
                return Status::OK();
              }).ok());
  auto psrc = Bind(Call("read_parquet", Value::Varchar(pq / "*.parquet")));
  ASSERT_TRUE(psrc);
  auto pr = RunSource(*psrc);
  ASSERT_FALSE(pr.ok());
  EXPECT_NE(pr.status().message().find("b.parquet"), std::string::npos) << pr.status().ToString();
}

TEST(FileScanTest, ParquetProjectionAndRowGroupPruning) {
  ScratchDir dir;
  WriteParquet(dir / "t.parquet", 0, 100, 10);
  auto src = Bind(Call("read_parquet", Value::Varchar(dir / "t.parquet")));
  ASSERT_TRUE(src);
  ASSERT_TRUE(src->SupportsProjection());
  src->SetProjection({1});
  auto r = RunSource(*src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->morsels, 10u);
  ASSERT_EQ(r->rows.size(), 100u);
  EXPECT_EQ(r->rows[42], std::vector<std::string>{"n42"});

  auto filtered = Bind(Call("read_parquet", Value::Varchar(dir / "t.parquet")));
  auto f = Compare(">=", 0, TypeId::kBigInt, Value::BigInt(95));
  filtered->SetFilters({f.get()});
  auto fr = RunSource(*filtered);
  ASSERT_TRUE(fr.ok()) << fr.status().ToString();
  EXPECT_EQ(fr->morsels, 1u);  // only the last row group can hold id >= 95
  EXPECT_EQ(fr->rows.back(), (std::vector<std::string>{"99", "n99"}));
}

TEST(FileScanTest, CountOnlyProjectionOfPartitionColumn) {
  ScratchDir dir;
  WriteParquet(dir / "p=1/a.parquet", 0, 25, 10);
  auto src = Bind(Call("read_parquet", Value::Varchar(dir / "*/*.parquet")));
  ASSERT_TRUE(src);
  src->SetProjection({2});
  auto r = RunSource(*src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows.size(), 25u);
  EXPECT_EQ(r->rows[0], std::vector<std::string>{"1"});
}

TEST(FileScanTest, ParquetFloatListsStayListsUnlessVectorsIsSet) {
  ScratchDir dir;
  LogicalType list = LogicalType::List(TypeId::kFloat);
  auto w = WriteFiles(dir / "v.parquet", {}, {"emb"}, {list}, 0, [&](const std::function<Status(const Batch&)>& sink) {
    Batch b({list});
    for (int i = 0; i < 3; i++)
      b.columns[0].AppendValue(Value::List(TypeId::kFloat, {Value::Float(float(i)), Value::Float(1), Value::Float(2)}));
    b.num_rows = 3;
    return sink(b);
  });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto plain = Bind(Call("read_parquet", Value::Varchar(dir / "v.parquet")));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->types()[0], list);
  auto vec = Bind(Call("read_parquet", Value::Varchar(dir / "v.parquet"), {{"vectors", Value::Boolean(true)}}));
  ASSERT_TRUE(vec);
  EXPECT_EQ(vec->types()[0], LogicalType::Vector(3));
  auto r = RunSource(*vec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->types[0], LogicalType::Vector(3));
}

TEST(FileScanTest, ReadFilesInfersTheFormat) {
  ScratchDir dir;
  WriteText(dir / "a.csv.gz", "");  // replaced below by a real gzip file
  auto w = WriteFiles(dir / "a.csv.gz", {{"overwrite", Value::Boolean(true)}}, {"x"}, {TypeId::kBigInt}, 0,
                      [&](const std::function<Status(const Batch&)>& sink) {
                        Batch b({TypeId::kBigInt});
                        b.columns[0].AppendValue(Value::BigInt(7));
                        b.num_rows = 1;
                        return sink(b);
                      });
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  auto src = Bind(Call("read_files", Value::Varchar(dir / "a.csv.gz")));
  ASSERT_TRUE(src);
  auto r = RunSource(*src);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"7"}}));

  WriteText(dir / "b.data", "x\n1\n");
  auto unknown = BindFileScan(Call("read_files", Value::Varchar(dir / "b.data")));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("format"), std::string::npos);
  auto csv = Bind(Call("read_files", Value::Varchar(dir / "b.data"), {{"format", Value::Varchar("csv")}}));
  ASSERT_TRUE(csv);
  auto wrong = BindFileScan(Call("read_files", Value::Varchar(dir / "b.data"),
                                 {{"format", Value::Varchar("csv")}, {"vectors", Value::Boolean(true)}}));
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
}

TEST(FileScanTest, UnknownOptionNamesOptionAndFunction) {
  ScratchDir dir;
  WriteText(dir / "a.csv", "id\n1\n");
  auto r = BindFileScan(Call("read_csv", Value::Varchar(dir / "a.csv"), {{"bogus", Value::BigInt(1)}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("bogus"), std::string::npos);
  EXPECT_NE(r.status().message().find("read_csv"), std::string::npos);
  auto bad = BindFileScan(Call("read_csv", Value::Varchar(dir / "a.csv"), {{"header", Value::Varchar("maybe")}}));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(FileScanTest, MissingFileIsNotFoundNamingThePath) {
  auto r = BindFileScan(Call("read_parquet", Value::Varchar("/tmp/alopex_no_such_dir/x.parquet")));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/tmp/alopex_no_such_dir/x.parquet"), std::string::npos);
  auto g = BindFileScan(Call("read_csv", Value::Varchar("/tmp/alopex_no_such_dir/*.csv")));
  EXPECT_EQ(g.status().code(), StatusCode::kNotFound);
}

TEST(FileScanTest, ParquetMetadataAndSchema) {
  ScratchDir dir;
  WriteParquet(dir / "a.parquet", 0, 30, 10);
  WriteParquet(dir / "b.parquet", 0, 10, 10);
  auto meta = Bind(Call("parquet_metadata", Value::Varchar(dir / "*.parquet")));
  ASSERT_TRUE(meta);
  auto r = RunSource(*meta);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->morsels, 2u);
  EXPECT_EQ(r->rows.size(), 8u);  // (3 + 1) row groups x 2 columns
  auto schema = Bind(Call("parquet_schema", Value::Varchar(dir / "a.parquet")));
  ASSERT_TRUE(schema);
  auto s = RunSource(*schema);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows.size(), 3u);  // root + 2 columns
}

TEST(FileScanTest, RegistersEveryName) {
  std::map<std::string, TableFunctionBinder> reg;
  RegisterFileTableFunctions(&reg);
  for (const char* n : {"read_parquet", "read_csv", "read_csv_auto", "read_json", "read_json_auto", "read_ndjson",
                        "read_files", "parquet_metadata", "parquet_schema"})
    EXPECT_TRUE(reg.count(n)) << n;
}

}  // namespace
}  // namespace alopex
