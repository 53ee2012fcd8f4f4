#include "formats/csv/csv_writer.h"

#include <gtest/gtest.h>

#include "common/cast.h"
#include "formats/csv/csv_reader.h"

namespace alopex {
namespace {

TEST(CsvWriterTest, FormatsAndQuotesLikeDuckDB) {
  std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kDouble, TypeId::kVarchar, TypeId::kDate,
                                    TypeId::kBoolean, LogicalType::List(TypeId::kInteger)};
  Batch b(types);
  b.SetRows(3);
  for (int i = 0; i < 3; i++) {
    b.columns[0].data<int64_t>()[i] = i - 1;
    b.columns[3].data<int32_t>()[i] = 19753 + i;
    b.columns[4].data<uint8_t>()[i] = i % 2;
  }
  b.columns[1].data<double>()[0] = 2;
  b.columns[1].data<double>()[1] = 0.1;
  b.columns[1].SetNull(2);
  b.columns[2].SetString(0, "plain");
  b.columns[2].SetString(1, "has \"quotes\", commas\nand lines");
  b.columns[2].SetString(2, "");
  b.columns[5].SetValue(0, Value::List(TypeId::kInteger, {Value::Integer(1), Value::Integer(2)}));
  b.columns[5].SetValue(1, Value::List(TypeId::kInteger, {}));
  b.columns[5].SetNull(2);
  auto w = CsvWriter::Open("mem://csvwrite/out.csv", {"i", "d", "s", "day", "b", "l"}, types);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_TRUE((*w)->Write(b).ok());
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_EQ((*w)->rows_written(), 3u);
  auto text = (*FileSystem::ForPath("mem://"))->ReadAll("mem://csvwrite/out.csv");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            "i,d,s,day,b,l\n"
            "-1,2.0,plain,2024-01-31,false,\"[1, 2]\"\n"
            "0,0.1,\"has \"\"quotes\"\", commas\nand lines\",2024-02-01,true,[]\n"
            "1,,\"\",2024-02-02,false,\n");
}

TEST(CsvWriterTest, RoundTrip) {
  std::vector<LogicalType> types = {TypeId::kBigInt, TypeId::kDouble, TypeId::kVarchar, TypeId::kTimestamp};
  Batch b(types);
  const size_t n = 5000;
  b.SetRows(n);
  for (size_t i = 0; i < n; i++) {
    b.columns[0].data<int64_t>()[i] = int64_t(i) * 1000003 - 7;
    b.columns[1].data<double>()[i] = double(i) / 7.0;
    b.columns[2].SetString(i, i % 5 == 0 ? "x;y \"z\"\r\n" + std::to_string(i) : "s" + std::to_string(i));
    b.columns[3].data<int64_t>()[i] = int64_t(i) * 1000001;
    if (i % 11 == 0) b.columns[2].SetNull(i);
  }
  CsvWriteOptions o;
  o.delimiter = ';';
  auto w = CsvWriter::Open("mem://csvwrite/rt.csv", {"a", "b", "c", "d"}, types, o);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write(b).ok());
  ASSERT_TRUE((*w)->Close().ok());

  auto r = CsvReader::Open("mem://csvwrite/rt.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->dialect().delimiter, ';');
  ASSERT_EQ((*r)->column_types(), types);
  size_t row = 0;
  Status st = (*r)->ReadAll({}, [&](Batch&& got) {
    for (size_t i = 0; i < got.num_rows; i++, row++) {
      for (size_t c = 0; c < types.size(); c++) {
        EXPECT_EQ(got.columns[c].IsNull(i), b.columns[c].IsNull(row)) << "row " << row << " col " << c;
        if (!b.columns[c].IsNull(row)) {
          EXPECT_EQ(got.columns[c].GetValue(i), b.columns[c].GetValue(row)) << "row " << row << " col " << c;
        }
      }
    }
    return Status::OK();
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(row, n);
}

TEST(CsvWriterTest, NullStringAndNoHeader) {
  CsvWriteOptions o;
  o.header = false;
  o.null_string = "NULL";
  Batch b({TypeId::kVarchar});
  b.SetRows(3);
  b.columns[0].SetString(0, "NULL");
  b.columns[0].SetNull(1);
  b.columns[0].SetString(2, "");
  auto w = CsvWriter::Open("mem://csvwrite/nulls.csv", {"s"}, {TypeId::kVarchar}, o);
  ASSERT_TRUE((*w)->Write(b).ok());
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_EQ(*(*FileSystem::ForPath("mem://"))->ReadAll("mem://csvwrite/nulls.csv"), "\"NULL\"\nNULL\n\n");
}

TEST(CsvWriterTest, MismatchedBatchIsAnError) {
  auto w = CsvWriter::Open("mem://csvwrite/bad.csv", {"a"}, {TypeId::kBigInt});
  Batch b({TypeId::kBigInt, TypeId::kBigInt});
  EXPECT_FALSE((*w)->Write(b).ok());
  EXPECT_FALSE(CsvWriter::Open("mem://csvwrite/bad2.csv", {"a", "b"}, {TypeId::kBigInt}).ok());
}

}  // namespace
}  // namespace alopex
