#include "storage/table_scan.h"

#include <gtest/gtest.h>

#include "storage/delta/delta_test_util.h"
#include "storage/delta_table_store.h"

namespace alopex {
namespace {

using delta_test::IdNameBatch;
using delta_test::ScratchDir;

// A stored table with one data file per Append: ids [0,100), [100,200), [200,300).
std::shared_ptr<Table> ThreeFiles(const ScratchDir& dir) {
  std::vector<ColumnDef> cols{{"id", LogicalType(TypeId::kBigInt)}, {"name", LogicalType(TypeId::kVarchar)}};
  auto store = DeltaTableStore::Create(dir.Sub("t"), cols);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  std::shared_ptr<TableStore> ts = std::move(*store);
  auto table = std::make_shared<Table>("public", "t", cols);
  table->AttachStore(ts, *ts->Load(-1));
  for (int64_t first : {0, 100, 200}) {
    std::vector<Batch> rows;
    rows.push_back(IdNameBatch(first, 100));
    EXPECT_TRUE(table->Append(std::move(rows)).ok());
  }
  return table;
}

size_t RowsRead(const TableScan& scan) {
  size_t n = 0;
  for (size_t m = 0; m < scan.num_morsels(); m++)
    EXPECT_TRUE(scan.Read(m, [&](Batch&& b) {
                      n += b.num_rows;
                      return Status::OK();
                    }).ok());
  return n;
}

TEST(TableScanTest, StatisticsSkipFiles) {
  ScratchDir dir;
  auto table = ThreeFiles(dir);
  auto snap = *table->Snapshot();
  EXPECT_EQ(snap->num_files, 3u);
  EXPECT_EQ(snap->num_rows, 300u);
  using Op = ColumnPredicate::Op;
  auto all = TableScan::Make(snap, {0, 1});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)->num_morsels(), 3u);
  EXPECT_EQ(RowsRead(**all), 300u);

  auto ge = TableScan::Make(snap, {0}, {ColumnPredicate{"id", Op::kGe, Value::BigInt(250), {}}});
  ASSERT_TRUE(ge.ok());
  EXPECT_EQ((*ge)->num_morsels(), 1u);
  EXPECT_EQ(RowsRead(**ge), 100u);

  auto eq = TableScan::Make(snap, {0}, {ColumnPredicate{"ID", Op::kEq, Value::BigInt(150), {}}});
  ASSERT_TRUE(eq.ok());
  EXPECT_EQ((*eq)->num_morsels(), 1u);

  auto none = TableScan::Make(snap, {0}, {ColumnPredicate{"id", Op::kLt, Value::BigInt(0), {}}});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)->num_morsels(), 0u);

  auto in = TableScan::Make(snap, {}, {ColumnPredicate{"id", Op::kIn, Value(), {Value::BigInt(5), Value::BigInt(205)}}});
  ASSERT_TRUE(in.ok());
  EXPECT_EQ((*in)->num_morsels(), 2u);
  EXPECT_EQ(RowsRead(**in), 200u);  // no columns: only row counts

  auto nulls = TableScan::Make(snap, {0}, {ColumnPredicate{"name", Op::kIsNull, Value(), {}}});
  ASSERT_TRUE(nulls.ok());
  EXPECT_EQ((*nulls)->num_morsels(), 0u);
}

TEST(TableScanTest, StreamingAppendCommitsOnceAndAbandonedAppendsLeaveNoRows) {
  ScratchDir dir;
  auto table = ThreeFiles(dir);
  int64_t before = (*table->Snapshot())->version;
  {
    auto appender = table->OpenAppender();
    ASSERT_TRUE(appender.ok());
    ASSERT_TRUE((*appender)->Write(IdNameBatch(1000, 10)).ok());
    // Dropped without Commit.
  }
  EXPECT_EQ((*table->Snapshot())->version, before);
  EXPECT_EQ((*table->Snapshot())->num_rows, 300u);
  auto appender = table->OpenAppender();
  ASSERT_TRUE(appender.ok());
  ASSERT_TRUE((*appender)->Write(IdNameBatch(1000, 10)).ok());
  ASSERT_TRUE((*appender)->Write(IdNameBatch(2000, 5)).ok());
  EXPECT_EQ((*appender)->rows_written(), 15u);
  CommitInfoExtra extra;
  extra.domains.push_back({"test.domain", "{\"a\":1}"});
  auto v = (*appender)->Commit(extra);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, before + 1);
  auto snap = *table->Snapshot();
  EXPECT_EQ(snap->num_rows, 315u);
  EXPECT_EQ(snap->domains.at("test.domain"), "{\"a\":1}");
  auto rows = ReadAllRows(*snap);
  ASSERT_TRUE(rows.ok());
  size_t n = 0;
  for (const auto& b : *rows) n += b.num_rows;
  EXPECT_EQ(n, 315u);
}

TEST(TableScanTest, OrderedWritesScanInSequenceOrder) {
  ScratchDir dir;
  std::vector<ColumnDef> cols{{"id", LogicalType(TypeId::kBigInt)}, {"name", LogicalType(TypeId::kVarchar)}};
  auto store = DeltaTableStore::Create(dir.Sub("o"), cols);
  ASSERT_TRUE(store.ok());
  std::shared_ptr<TableStore> ts = std::move(*store);
  auto table = std::make_shared<Table>("public", "o", cols);
  table->AttachStore(ts, *ts->Load(-1));
  auto memory = std::make_shared<Table>("public", "m", cols);
  for (auto& t : {table, memory}) {
    auto appender = t->OpenAppender();
    ASSERT_TRUE(appender.ok());
    // Sequences arrive out of order, as parallel workers finish them.
    for (uint64_t seq : {3u, 1u, 2u, 0u}) {
      ASSERT_TRUE((*appender)->WriteOrdered(seq, IdNameBatch(int64_t(seq) * 10, 5)).ok());
      ASSERT_TRUE((*appender)->WriteOrdered(seq, IdNameBatch(int64_t(seq) * 10 + 5, 5)).ok());
      ASSERT_TRUE((*appender)->EndSequence(seq).ok());
    }
    ASSERT_TRUE((*appender)->Commit().ok());
    auto rows = ReadAllRows(**t->Snapshot());
    ASSERT_TRUE(rows.ok());
    std::vector<int64_t> ids;
    for (const auto& b : *rows)
      for (size_t r = 0; r < b.num_rows; r++) ids.push_back(b.columns[0].data<int64_t>()[r]);
    ASSERT_EQ(ids.size(), 40u);
    for (size_t i = 0; i < ids.size(); i++) EXPECT_EQ(ids[i], int64_t(i)) << t->name();
  }
}

TEST(TableScanTest, NotNullIsCheckedOnStreamingWrites) {
  ScratchDir dir;
  std::vector<ColumnDef> cols{{"id", LogicalType(TypeId::kBigInt), true}, {"name", LogicalType(TypeId::kVarchar)}};
  auto store = DeltaTableStore::Create(dir.Sub("nn"), cols);
  ASSERT_TRUE(store.ok());
  std::shared_ptr<TableStore> ts = std::move(*store);
  auto table = std::make_shared<Table>("public", "nn", cols);
  table->AttachStore(ts, *ts->Load(-1));
  Batch b = IdNameBatch(0, 3);
  b.columns[0].SetNull(1);
  auto appender = table->OpenAppender();
  ASSERT_TRUE(appender.ok());
  Status st = (*appender)->Write(std::move(b));
  EXPECT_NE(st.message().find("NOT NULL constraint failed: nn.id"), std::string::npos) << st.ToString();
}

}  // namespace
}  // namespace alopex
