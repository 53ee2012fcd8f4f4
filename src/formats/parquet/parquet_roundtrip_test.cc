// Writes every Alopex type with every codec, page format and dictionary
// setting, then reads the files back and compares value by value.
#include <gtest/gtest.h>

#include <cmath>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "formats/parquet/bloom_filter.h"
#include "formats/parquet/encodings.h"
#include "formats/parquet/parquet_test_util.h"
#include "formats/parquet/parquet_writer.h"
#include "formats/parquet/thrift_compact.h"
#include "io/local_file_system.h"

namespace alopex {
namespace {

std::string TempPath(const std::string& name) { return ::testing::TempDir() + "/alopex_pq_" + name + ".parquet"; }

LogicalType T(TypeId id) { return LogicalType(id); }

struct Table {
  std::vector<std::string> names;
  std::vector<LogicalType> types;
  std::vector<std::vector<Value>> rows;  // row-major
};

Value MakeValue(const LogicalType& t, int i, std::mt19937& rng, bool allow_null = true) {
  if (allow_null && i % 7 == 3) return Value::Null(t);
  int64_t r = int64_t(rng() % 100000) - 50000;
  switch (t.id()) {
    case TypeId::kBoolean: return Value::Boolean(r % 2 == 0);
    case TypeId::kTinyInt: return Value::TinyInt(int8_t(r % 100));
    case TypeId::kSmallInt: return Value::SmallInt(int16_t(r % 30000));
    case TypeId::kInteger: return Value::Integer(int32_t(r * 997));
    case TypeId::kBigInt: return Value::BigInt(r * 1000003LL * 1000);
    case TypeId::kUTinyInt: return Value::UTinyInt(uint8_t(rng() % 256));
    case TypeId::kUSmallInt: return Value::USmallInt(uint16_t(rng() % 65536));
    case TypeId::kUInteger: return Value::UInteger(uint32_t(rng()));
    case TypeId::kUBigInt: return Value::UBigInt((uint64_t(rng()) << 32) | rng());
    case TypeId::kFloat: return Value::Float(float(r) / 8.0f);
    case TypeId::kDouble: return Value::Double(double(r) / 3.0);
    case TypeId::kDecimal: {
      int128_t v = int128_t(r) * 12345;
      if (t.width() > 18) v = v * int128_t(1000000000000LL);
      if (t.width() <= 4) v = r % 1000;
      return Value::Decimal(v, t.width(), t.scale());
    }
    case TypeId::kVarchar: return Value::Varchar(i % 3 == 0 ? "short" + std::to_string(r % 10) : "a longer string value #" + std::to_string(r));
    case TypeId::kBlob: return Value::Blob(std::string("\x00\x01\xff", 3) + std::to_string(r));
    case TypeId::kJson: return Value::Json("{\"k\": " + std::to_string(r) + "}");
    case TypeId::kDate: return Value::Date(int32_t(r));
    case TypeId::kTime: return Value::Time((int64_t(rng()) % 86400000000LL + 86400000000LL) % 86400000000LL);
    case TypeId::kTimestamp: return Value::Timestamp(r * 1000000007LL);
    case TypeId::kTimestampTz: return Value::TimestampTz(r * 999999937LL);
    case TypeId::kInterval: return Value::FromInterval({int32_t(r % 24), int32_t(r % 31), (std::abs(r) % 100000) * 1000});
    case TypeId::kUuid: return Value::FromUuid({(uint64_t(rng()) << 32) | rng(), (uint64_t(rng()) << 32) | rng()});
    case TypeId::kVector: {
      std::vector<float> f(size_t(t.dimension()));
      for (size_t k = 0; k < f.size(); k++) f[k] = float(i) + float(k) / 4.0f;
      return Value::Vector(std::move(f));
    }
    case TypeId::kList: {
      if (i % 11 == 5) return Value::List(t.child(), {});
      std::vector<Value> items;
      int n = int(rng() % 4);
      for (int k = 0; k < n; k++) items.push_back(MakeValue(t.child(), i * 5 + k + 1, rng));
      return Value::List(t.child(), std::move(items));
    }
    case TypeId::kStruct: {
      std::vector<Value> items;
      for (size_t k = 0; k < t.fields().size(); k++) items.push_back(MakeValue(*t.fields()[k].type, i + int(k) + 1, rng));
      return Value::Nested(t, std::move(items));
    }
    case TypeId::kMap: {
      std::vector<Value> items;
      int n = int(rng() % 3);
      LogicalType entry = LogicalType::Struct({{"key", t.key_type()}, {"value", t.value_type()}});
      for (int k = 0; k < n; k++)
        items.push_back(Value::Nested(entry, {MakeValue(t.key_type(), i * 3 + k, rng, false),
                                               MakeValue(t.value_type(), i * 3 + k + 1, rng)}));
      return Value::Nested(t, std::move(items));
    }
    default: return Value::Null(t);
  }
}

Table MakeTable(const std::vector<std::pair<std::string, LogicalType>>& cols, int rows, unsigned seed = 1) {
  Table t;
  std::mt19937 rng(seed);
  for (const auto& [n, ty] : cols) {
    t.names.push_back(n);
    t.types.push_back(ty);
  }
  for (int i = 0; i < rows; i++) {
    std::vector<Value> row;
    for (const auto& ty : t.types) row.push_back(MakeValue(ty, i, rng));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::vector<Batch> ToBatches(const Table& t, size_t batch_rows) {
  std::vector<Batch> out;
  for (size_t start = 0; start < t.rows.size(); start += batch_rows) {
    size_t n = std::min(batch_rows, t.rows.size() - start);
    Batch b(t.types, n);
    for (auto& c : b.columns) c.Resize(0);
    for (size_t r = 0; r < n; r++)
      for (size_t c = 0; c < t.types.size(); c++) b.columns[c].AppendValue(t.rows[start + r][c]);
    b.num_rows = n;
    out.push_back(std::move(b));
  }
  return out;
}

Status WriteTable(const std::string& path, const Table& t, const ParquetWriteOptions& opt, size_t batch_rows = 1000,
                  std::unique_ptr<ParquetWriter>* keep = nullptr) {
  LocalFileSystem fs;
  ALOPEX_ASSIGN_OR_RETURN(auto w, ParquetWriter::Open(path, t.names, t.types, opt, &fs));
  for (const Batch& b : ToBatches(t, batch_rows)) ALOPEX_RETURN_IF_ERROR(w->Write(b));
  ALOPEX_RETURN_IF_ERROR(w->Close());
  if (keep) *keep = std::move(w);
  return Status::OK();
}

void ExpectReadsBack(const std::string& path, const Table& t, const ParquetReadOptions& ropt = {}) {
  LocalFileSystem fs;
  auto r = ParquetReader::Open(path, &fs);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ((*r)->column_names(), t.names);
  ASSERT_EQ((*r)->column_types().size(), t.types.size());
  for (size_t c = 0; c < t.types.size(); c++) EXPECT_EQ((*r)->column_types()[c], t.types[c]) << t.names[c];
  EXPECT_EQ((*r)->num_rows(), int64_t(t.rows.size()));
  std::vector<Batch> batches;
  Status st = parquet_test::ReadAllBatches(**r, ropt, &batches);
  ASSERT_TRUE(st.ok()) << st.ToString();
  size_t row = 0;
  int failures = 0;
  for (const Batch& b : batches) {
    for (size_t i = 0; i < b.num_rows && failures < 10; i++, row++) {
      ASSERT_LT(row, t.rows.size());
      for (size_t c = 0; c < t.types.size(); c++) {
        Value got = b.columns[c].GetValue(i);
        if (!(got == t.rows[row][c])) {
          std::string why;
          ADD_FAILURE() << path << " row " << row << " column " << t.names[c] << " ("
                        << t.types[c].ToString() << "): got " << (got.is_null() ? "NULL" : parquet_test::ScalarText(got))
                        << " expected "
                        << (t.rows[row][c].is_null() ? "NULL" : parquet_test::ScalarText(t.rows[row][c]));
          failures++;
        }
      }
    }
  }
  EXPECT_EQ(row, t.rows.size());
}

std::vector<std::pair<std::string, LogicalType>> AllScalarColumns() {
  return {{"b", T(TypeId::kBoolean)},
          {"i8", T(TypeId::kTinyInt)},
          {"i16", T(TypeId::kSmallInt)},
          {"i32", T(TypeId::kInteger)},
          {"i64", T(TypeId::kBigInt)},
          {"u8", T(TypeId::kUTinyInt)},
          {"u16", T(TypeId::kUSmallInt)},
          {"u32", T(TypeId::kUInteger)},
          {"u64", T(TypeId::kUBigInt)},
          {"f32", T(TypeId::kFloat)},
          {"f64", T(TypeId::kDouble)},
          {"d4", LogicalType::Decimal(4, 2)},
          {"d9", LogicalType::Decimal(9, 3)},
          {"d18", LogicalType::Decimal(18, 4)},
          {"d38", LogicalType::Decimal(38, 10)},
          {"s", T(TypeId::kVarchar)},
          {"blob", T(TypeId::kBlob)},
          {"json", T(TypeId::kJson)},
          {"date", T(TypeId::kDate)},
          {"time", T(TypeId::kTime)},
          {"ts", T(TypeId::kTimestamp)},
          {"tstz", T(TypeId::kTimestampTz)},
          {"iv", T(TypeId::kInterval)},
          {"uuid", T(TypeId::kUuid)},
          {"vec", LogicalType::Vector(8)}};
}

std::vector<std::pair<std::string, LogicalType>> NestedColumns() {
  return {{"li", LogicalType::List(T(TypeId::kInteger))},
          {"ls", LogicalType::List(T(TypeId::kVarchar))},
          {"lli", LogicalType::List(LogicalType::List(T(TypeId::kBigInt)))},
          {"st", LogicalType::Struct({{"a", T(TypeId::kInteger)},
                                      {"b", LogicalType::List(T(TypeId::kVarchar))},
                                      {"c", LogicalType::Struct({{"d", T(TypeId::kDouble)}})}})},
          {"m", LogicalType::Map(T(TypeId::kVarchar), T(TypeId::kInteger))},
          {"lst", LogicalType::List(LogicalType::Struct({{"x", T(TypeId::kInteger)}, {"y", T(TypeId::kVarchar)}}))},
          {"mv", LogicalType::Map(T(TypeId::kInteger), LogicalType::List(T(TypeId::kDouble)))},
          {"vec", LogicalType::Vector(4)}};
}

TEST(ParquetRoundTrip, EveryTypeEveryCodec) {
  Table t = MakeTable(AllScalarColumns(), 3000);
  for (const char* codec : {"none", "snappy", "gzip", "zstd", "lz4_raw", "brotli"}) {
    SCOPED_TRACE(codec);
    ParquetWriteOptions opt;
    opt.compression = codec;
    std::string path = TempPath(std::string("types_") + codec);
    Status st = WriteTable(path, t, opt);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ExpectReadsBack(path, t);
  }
}

TEST(ParquetRoundTrip, DictionaryOffPageV2SmallPages) {
  Table t = MakeTable(AllScalarColumns(), 2500, 7);
  for (int variant = 0; variant < 4; variant++) {
    SCOPED_TRACE(variant);
    ParquetWriteOptions opt;
    opt.dictionary = variant % 2 == 0;
    opt.data_page_version = variant / 2 == 0 ? 2 : 1;
    opt.page_size = 512;  // many pages
    opt.compression = "zstd";
    std::string path = TempPath("variant" + std::to_string(variant));
    Status st = WriteTable(path, t, opt, 333);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ExpectReadsBack(path, t);
  }
}

TEST(ParquetRoundTrip, NestedTypes) {
  Table t = MakeTable(NestedColumns(), 2000, 3);
  for (int v : {1, 2}) {
    ParquetWriteOptions opt;
    opt.data_page_version = v;
    opt.page_size = 2048;
    std::string path = TempPath("nested" + std::to_string(v));
    Status st = WriteTable(path, t, opt, 700);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ExpectReadsBack(path, t);
  }
}

TEST(ParquetRoundTrip, ManyRowGroupsAndStatistics) {
  Table t;
  t.names = {"id", "name", "val"};
  t.types = {T(TypeId::kBigInt), T(TypeId::kVarchar), T(TypeId::kDouble)};
  for (int i = 0; i < 10000; i++)
    t.rows.push_back({Value::BigInt(i), i % 10 == 0 ? Value::Null(TypeId::kVarchar) : Value::Varchar("name" + std::to_string(i % 50)),
                      Value::Double(i * 0.5)});
  ParquetWriteOptions opt;
  opt.row_group_size = 1000;
  std::string path = TempPath("rowgroups");
  std::unique_ptr<ParquetWriter> w;
  Status st = WriteTable(path, t, opt, 777, &w);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(w->rows_written(), 10000);
  const auto& fs = w->file_statistics();
  ASSERT_EQ(fs.size(), 3u);
  EXPECT_EQ(fs[0].min->GetInt64(), 0);
  EXPECT_EQ(fs[0].max->GetInt64(), 9999);
  EXPECT_EQ(fs[0].null_count, 0);
  EXPECT_EQ(fs[1].null_count, 1000);
  EXPECT_EQ(fs[1].min->GetString(), "name1");
  EXPECT_EQ(fs[1].max->GetString(), "name9");
  EXPECT_DOUBLE_EQ(fs[2].max->GetDouble(), 4999.5);
  ExpectReadsBack(path, t);

  LocalFileSystem lfs;
  auto r = ParquetReader::Open(path, &lfs);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)->num_row_groups(), 10);
  // Statistics prune row groups.
  ParquetReadOptions ropt;
  ropt.predicates.push_back({"id", ColumnPredicate::Op::kEq, Value::BigInt(4321), {}});
  EXPECT_EQ((*r)->SelectRowGroups(ropt), std::vector<int>{4});
  ropt.predicates = {{"id", ColumnPredicate::Op::kGe, Value::Integer(8500), {}}};
  EXPECT_EQ((*r)->SelectRowGroups(ropt), (std::vector<int>{8, 9}));
  ropt.predicates = {{"id", ColumnPredicate::Op::kIn, Value(), {Value::BigInt(5), Value::BigInt(2500)}}};
  EXPECT_EQ((*r)->SelectRowGroups(ropt), (std::vector<int>{0, 2}));
  ropt.predicates = {{"name", ColumnPredicate::Op::kIsNull, Value(), {}}};
  EXPECT_EQ((*r)->SelectRowGroups(ropt).size(), 10u);
  ropt.predicates = {{"id", ColumnPredicate::Op::kIsNull, Value(), {}}};
  EXPECT_TRUE((*r)->SelectRowGroups(ropt).empty());
  ropt.predicates = {{"val", ColumnPredicate::Op::kLt, Value::Double(100), {}}};
  EXPECT_EQ((*r)->SelectRowGroups(ropt), std::vector<int>{0});
  // Page index present and consistent.
  auto ci = (*r)->ReadColumnIndex(3, 0);
  ASSERT_TRUE(ci.ok() && ci->has_value());
  auto oi = (*r)->ReadOffsetIndex(3, 0);
  ASSERT_TRUE(oi.ok() && oi->has_value());
  EXPECT_EQ((*ci)->null_pages.size(), (*oi)->page_locations.size());
  EXPECT_EQ((*oi)->page_locations[0].first_row_index, 0);
  // Projection.
  ParquetReadOptions proj;
  proj.columns = {"val", "id"};
  std::vector<Batch> batches;
  ASSERT_TRUE((*r)->ReadRowGroup(2, proj, [&](Batch&& b) {
                     batches.push_back(std::move(b));
                     return Status::OK();
                   }).ok());
  ASSERT_EQ(batches[0].columns.size(), 2u);
  EXPECT_EQ(batches[0].columns[1].GetValue(0).GetInt64(), 2000);
  EXPECT_DOUBLE_EQ(batches[0].columns[0].GetValue(0).GetDouble(), 1000.0);
  proj.columns = {"nope"};
  EXPECT_FALSE((*r)->ReadRowGroup(0, proj, [](Batch&&) { return Status::OK(); }).ok());
}

TEST(ParquetRoundTrip, PageIndexSkipsPages) {
  Table t;
  t.names = {"id", "name", "tags"};
  t.types = {T(TypeId::kBigInt), T(TypeId::kVarchar), LogicalType::List(T(TypeId::kInteger))};
  for (int i = 0; i < 20000; i++)
    t.rows.push_back({Value::BigInt(i), Value::Varchar("name" + std::to_string(i)),
                      Value::List(T(TypeId::kInteger), {Value::Integer(i), Value::Integer(-i)})});
  ParquetWriteOptions opt;
  opt.page_size = 4096;
  std::string path = TempPath("pageindex");
  ASSERT_TRUE(WriteTable(path, t, opt).ok());
  LocalFileSystem fs;
  auto r = ParquetReader::Open(path, &fs);
  ASSERT_TRUE(r.ok());
  for (int64_t target : {0, 7777, 12345, 19999}) {
    ParquetReadOptions ropt;
    ropt.predicates = {{"id", ColumnPredicate::Op::kEq, Value::BigInt(target), {}}};
    size_t rows = 0;
    bool found = false;
    Status st = (*r)->ReadRowGroup(0, ropt, [&](Batch&& b) {
      for (size_t i = 0; i < b.num_rows; i++) {
        int64_t id = b.columns[0].GetValue(i).GetInt64();
        EXPECT_EQ(b.columns[1].GetValue(i).GetString(), "name" + std::to_string(id));
        Value tags = b.columns[2].GetValue(i);
        EXPECT_EQ(tags.children()[1].GetInt64(), -id);
        found |= id == target;
      }
      rows += b.num_rows;
      return Status::OK();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_TRUE(found) << target;
    EXPECT_LT(rows, 5000u) << target;
  }
  ParquetReadOptions none;
  none.predicates = {{"id", ColumnPredicate::Op::kGt, Value::BigInt(1000000), {}}};
  size_t rows = 0;
  ASSERT_TRUE((*r)->ReadRowGroup(0, none, [&](Batch&& b) {
                     rows += b.num_rows;
                     return Status::OK();
                   }).ok());
  EXPECT_EQ(rows, 0u);
}

TEST(ParquetRoundTrip, EmptyTableAndAllNulls) {
  Table t = MakeTable(AllScalarColumns(), 0);
  std::string path = TempPath("empty");
  ASSERT_TRUE(WriteTable(path, t, {}).ok());
  ExpectReadsBack(path, t);

  Table n;
  n.names = {"a", "b", "l"};
  n.types = {T(TypeId::kInteger), T(TypeId::kVarchar), LogicalType::List(T(TypeId::kInteger))};
  for (int i = 0; i < 100; i++)
    n.rows.push_back({Value::Null(n.types[0]), Value::Null(n.types[1]), Value::Null(n.types[2])});
  path = TempPath("allnull");
  ASSERT_TRUE(WriteTable(path, n, {}).ok());
  ExpectReadsBack(path, n);
}

TEST(ParquetRoundTrip, VectorsAsFloatLists) {
  // VECTOR(n) is an ordinary list<float> with the dimension in the metadata.
  Table t;
  t.names = {"id", "emb"};
  t.types = {T(TypeId::kInteger), LogicalType::Vector(16)};
  for (int i = 0; i < 5000; i++) {
    std::vector<float> f(16);
    for (int k = 0; k < 16; k++) f[size_t(k)] = float(i) * 0.5f - float(k);
    t.rows.push_back({Value::Integer(i), i % 100 == 7 ? Value::Null(t.types[1]) : Value::Vector(f)});
  }
  std::string path = TempPath("vectors");
  ASSERT_TRUE(WriteTable(path, t, {}).ok());
  ExpectReadsBack(path, t);
  LocalFileSystem fs;
  auto r = ParquetReader::Open(path, &fs);
  ASSERT_TRUE(r.ok());
  bool found = false;
  for (const auto& kv : (*r)->metadata().key_value_metadata)
    if (kv.key == "alopex.vector_dimension") {
      found = true;
      EXPECT_EQ(*kv.value, "{\"emb\": 16}");
    }
  EXPECT_TRUE(found);
  EXPECT_EQ((*r)->schema().columns[1].kind, parquet::ColumnNode::kList);

  // Without the metadata a float list reads as FLOAT[]; vectors_from_lists turns it into VECTOR(n).
  Table l;
  l.names = {"emb"};
  l.types = {LogicalType::List(T(TypeId::kFloat))};
  for (int i = 0; i < 3000; i++) {
    std::vector<Value> items;
    for (int k = 0; k < 12; k++) items.push_back(Value::Float(float(i + k)));
    l.rows.push_back({Value::List(T(TypeId::kFloat), items)});
  }
  path = TempPath("floatlists");
  ASSERT_TRUE(WriteTable(path, l, {}).ok());
  ExpectReadsBack(path, l);
  auto r2 = ParquetReader::Open(path, &fs);
  ASSERT_TRUE(r2.ok());
  ParquetReadOptions vopt;
  vopt.vectors_from_lists = true;
  std::vector<Batch> batches;
  ASSERT_TRUE(parquet_test::ReadAllBatches(**r2, vopt, &batches).ok());
  size_t row = 0;
  for (const Batch& b : batches) {
    ASSERT_EQ(b.columns[0].type(), LogicalType::Vector(12));
    for (size_t i = 0; i < b.num_rows; i++, row++)
      for (int k = 0; k < 12; k++) ASSERT_EQ(b.columns[0].vector_row(i)[k], float(int(row) + k));
  }
  EXPECT_EQ(row, 3000u);
}

TEST(ParquetRoundTrip, LargePagesAcrossReadWindows) {
  // Pages larger than the reader's 1 MiB window, long strings in uncompressed
  // pages (they point into the window buffers), and float/double lists with
  // NULL and empty lists (the writer's bulk list path) next to ones without.
  Table t;
  t.names = {"s", "f", "d"};
  t.types = {T(TypeId::kVarchar), LogicalType::List(T(TypeId::kFloat)), LogicalType::List(T(TypeId::kDouble))};
  for (int i = 0; i < 6000; i++) {
    std::string s = "row " + std::to_string(i) + " " + std::string(size_t(40 + i % 300), char('a' + i % 26));
    std::vector<Value> f, d;
    for (int k = 0; k < 100 + i % 7; k++) {
      f.push_back(Value::Float(float(i) * 0.25f - float(k)));
      d.push_back(Value::Double(double(i) / 3 + k));
    }
    Value fv = i % 97 == 5 ? Value::Null(t.types[1]) : Value::List(T(TypeId::kFloat), i % 89 == 3 ? std::vector<Value>{} : f);
    Value dv = i % 53 == 1 ? Value::List(T(TypeId::kDouble), {}) : Value::List(T(TypeId::kDouble), d);
    t.rows.push_back({Value::Varchar(s), fv, dv});
  }
  for (const char* codec : {"uncompressed", "zstd", "snappy"}) {
    for (int version : {1, 2}) {
      ParquetWriteOptions opt;
      opt.compression = codec;
      opt.page_size = 3 << 20;
      opt.row_group_size = 4000;
      opt.data_page_version = version;
      std::string path = TempPath(std::string("largepages_") + codec + std::to_string(version));
      ASSERT_TRUE(WriteTable(path, t, opt, 700).ok()) << codec;
      ExpectReadsBack(path, t);
    }
  }
}

TEST(ParquetRoundTrip, ParallelRowGroupReads) {
  Table t = MakeTable({{"s", T(TypeId::kVarchar)}, {"x", T(TypeId::kBigInt)}}, 20000, 5);
  ParquetWriteOptions opt;
  opt.row_group_size = 2500;
  std::string path = TempPath("parallel");
  ASSERT_TRUE(WriteTable(path, t, opt).ok());
  LocalFileSystem fs;
  auto r = ParquetReader::Open(path, &fs);
  ASSERT_TRUE(r.ok());
  std::vector<std::vector<Batch>> out(size_t((*r)->num_row_groups()));
  std::vector<std::thread> threads;
  std::vector<Status> sts(out.size());
  for (int g = 0; g < (*r)->num_row_groups(); g++)
    threads.emplace_back([&, g] {
      sts[size_t(g)] = (*r)->ReadRowGroup(g, {}, [&](Batch&& b) {
        out[size_t(g)].push_back(std::move(b));
        return Status::OK();
      });
    });
  for (auto& th : threads) th.join();
  size_t row = 0;
  for (size_t g = 0; g < out.size(); g++) {
    ASSERT_TRUE(sts[g].ok()) << sts[g].ToString();
    for (const Batch& b : out[g])
      for (size_t i = 0; i < b.num_rows; i++, row++) ASSERT_TRUE(b.columns[0].GetValue(i) == t.rows[row][0]);
  }
  EXPECT_EQ(row, 20000u);
}

TEST(ParquetRoundTrip, MetadataAndSchemaRows) {
  Table t = MakeTable({{"id", T(TypeId::kBigInt)}, {"s", T(TypeId::kVarchar)}}, 100);
  std::string path = TempPath("meta");
  ASSERT_TRUE(WriteTable(path, t, {}).ok());
  LocalFileSystem fs;
  auto rows = ParquetMetadataRows(path, &fs);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const Batch& b = (*rows)[0];
  EXPECT_EQ(b.num_rows, 2u);
  EXPECT_EQ(b.columns.size(), ParquetMetadataColumns().size());
  EXPECT_EQ(b.columns[8].GetValue(1).GetString(), "s");
  EXPECT_EQ(b.columns[9].GetValue(0).GetString(), "INT64");
  EXPECT_EQ(b.columns[16].GetValue(0).GetString(), "SNAPPY");
  auto schema = ParquetSchemaRows(path, &fs);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ((*schema)[0].num_rows, 3u);
  EXPECT_EQ((*schema)[0].columns[1].GetValue(2).GetString(), "s");
  EXPECT_EQ((*schema)[0].columns[6].GetValue(2).GetString(), "UTF8");
  auto r = ParquetReader::Open(path, &fs);
  EXPECT_EQ(*(*r)->metadata().created_by, "alopex version 0.1.0");
}

TEST(ParquetEncodings, RleHybridRoundTrip) {
  std::mt19937 rng(9);
  for (int bw : {0, 1, 2, 3, 5, 8, 13, 17, 32}) {
    std::vector<uint32_t> vals(5000);
    uint64_t maxv = bw == 0 ? 0 : (bw == 32 ? 0xffffffffull : (1ull << bw) - 1);
    for (size_t i = 0; i < vals.size(); i++) vals[i] = (i / 50) % 3 == 0 ? uint32_t(maxv) : uint32_t(rng() & maxv);
    parquet::RleBitPackedEncoder enc(bw);
    for (uint32_t v : vals) enc.Put(v);
    std::string out;
    enc.Finish(&out);
    parquet::RleBitPackedDecoder dec(reinterpret_cast<const uint8_t*>(out.data()), out.size(), bw);
    std::vector<uint32_t> got(vals.size());
    ASSERT_TRUE(dec.Get(got.data(), got.size())) << bw;
    EXPECT_EQ(got, vals) << bw;
  }
  // The spec's example: 0..7 bit-packed at width 3.
  const uint8_t packed[] = {0x03, 0x88, 0xC6, 0xFA};
  parquet::RleBitPackedDecoder dec(packed, sizeof(packed), 3);
  uint32_t v[8];
  ASSERT_TRUE(dec.Get(v, 8));
  for (uint32_t i = 0; i < 8; i++) EXPECT_EQ(v[i], i);
}

TEST(ParquetEncodings, XxHash64KnownValues) {
  EXPECT_EQ(parquet::XxHash64("", 0), 0xEF46DB3751D8E999ull);
  EXPECT_EQ(parquet::XxHash64("a", 1), 0xD24EC4F1A98C6E5Bull);
  EXPECT_EQ(parquet::XxHash64("abc", 3), 0x44BC2CF5AD770999ull);
  std::string s = "Nobody inspects the spammish repetition";
  EXPECT_EQ(parquet::XxHash64(s.data(), s.size()), 0xFBCEA83C8A378BF1ull);
}

TEST(ParquetEncodings, BloomFilterOfConformanceFile) {
  std::string path = parquet_test::TestDataDir() + "/parquet/data_index_bloom_encoding_stats.parquet";
  if (!parquet_test::FileExists(path)) GTEST_SKIP() << "conformance data not found";
  LocalFileSystem fs;
  auto r = ParquetReader::Open(path, &fs);
  ASSERT_TRUE(r.ok());
  auto yes = (*r)->BloomMayContain(0, 0, Value::Varchar("Hello"));
  ASSERT_TRUE(yes.ok());
  EXPECT_TRUE(*yes);
  int absent = 0;
  for (int i = 0; i < 50; i++) {
    auto no = (*r)->BloomMayContain(0, 0, Value::Varchar("not there " + std::to_string(i)));
    ASSERT_TRUE(no.ok());
    absent += !*no;
  }
  EXPECT_GT(absent, 40);
  ParquetReadOptions opt;
  opt.predicates = {{"String", ColumnPredicate::Op::kEq, Value::Varchar("Hello"), {}}};
  EXPECT_EQ((*r)->SelectRowGroups(opt).size(), 1u);
  opt.predicates = {{"String", ColumnPredicate::Op::kEq, Value::Varchar("Goodbye42"), {}}};
  EXPECT_EQ((*r)->SelectRowGroups(opt).size(), 0u);
}

TEST(ParquetThrift, RejectsHostileNesting) {
  std::string deep(200, char(0x1c));  // struct field headers, nested
  parquet::FileMetaData md;
  Status st = parquet::DecodeFileMetaData(reinterpret_cast<const uint8_t*>(deep.data()), deep.size(), 0, &md);
  EXPECT_FALSE(st.ok());
  std::string huge_list = {char(0x19), char(0xfc), char(0xff), char(0xff), char(0xff), char(0x0f)};
  st = parquet::DecodeFileMetaData(reinterpret_cast<const uint8_t*>(huge_list.data()), huge_list.size(), 0, &md);
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace alopex

namespace alopex {
namespace {

// Timing of the benchmark shapes (embeddings + strings); runs only with
// ALOPEX_PARQUET_BENCH=<rows>.
TEST(ParquetBench, EmbeddingsWriteAndScan) {
  const char* env = std::getenv("ALOPEX_PARQUET_BENCH");
  if (!env) GTEST_SKIP() << "set ALOPEX_PARQUET_BENCH=<rows> to run";
  size_t rows = std::strtoul(env, nullptr, 10);
  const int dim = 768;
  std::vector<LogicalType> types = {T(TypeId::kBigInt), T(TypeId::kVarchar), LogicalType::Vector(dim)};
  std::vector<std::string> names = {"id", "title", "emb"};
  std::vector<Batch> batches;
  for (size_t start = 0; start < rows; start += kBatchSize) {
    size_t n = std::min(kBatchSize, rows - start);
    Batch b(types, n);
    b.SetRows(n);
    for (size_t i = 0; i < n; i++) {
      b.columns[0].data<int64_t>()[i] = int64_t(start + i);
      b.columns[1].SetString(i, "document title number " + std::to_string((start + i) % 10007));
      float* f = b.columns[2].vector_row(i);
      for (int k = 0; k < dim; k++) f[k] = float((start + i) % 1000) * 0.001f + float(k) * 0.01f;
    }
    batches.push_back(std::move(b));
  }
  LocalFileSystem fs;
  for (const char* codec : {"zstd", "snappy"}) {
    ParquetWriteOptions opt;
    opt.compression = codec;
    std::string path = TempPath(std::string("bench_") + codec);
    auto t0 = std::chrono::steady_clock::now();
    auto w = ParquetWriter::Open(path, names, types, opt, &fs);
    ASSERT_TRUE(w.ok());
    for (const Batch& b : batches) ASSERT_TRUE((*w)->Write(b).ok());
    ASSERT_TRUE((*w)->Close().ok());
    auto t1 = std::chrono::steady_clock::now();
    auto r = ParquetReader::Open(path, &fs);
    ASSERT_TRUE(r.ok());
    size_t got = 0;
    double sum = 0;
    for (int g = 0; g < (*r)->num_row_groups(); g++)
      ASSERT_TRUE((*r)->ReadRowGroup(g, {}, [&](Batch&& b) {
                        got += b.num_rows;
                        sum += b.columns[2].vector_row(0)[1];
                        return Status::OK();
                      }).ok());
    auto t2 = std::chrono::steady_clock::now();
    ParquetReadOptions strings_only;
    strings_only.columns = {"title"};
    for (int g = 0; g < (*r)->num_row_groups(); g++)
      ASSERT_TRUE((*r)->ReadRowGroup(g, strings_only, [&](Batch&& b) { return Status::OK(); }).ok());
    auto t3 = std::chrono::steady_clock::now();
    EXPECT_EQ(got, rows);
    std::printf("%s: %zu rows, %.1f MB, write %.3f s, scan %.3f s, strings-only scan %.3f s\n", codec, rows,
                double((*w)->bytes_written()) / 1e6, std::chrono::duration<double>(t1 - t0).count(),
                std::chrono::duration<double>(t2 - t1).count(), std::chrono::duration<double>(t3 - t2).count());
  }
}

}  // namespace
}  // namespace alopex
