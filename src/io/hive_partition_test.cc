#include "io/hive_partition.h"

#include <gtest/gtest.h>

namespace alopex {
namespace {

TEST(HivePartitionTest, ParsesFolderSegments) {
  auto parts = ParseHivePartitions("s3://bucket/t/year=2024/country=US%20East/part-0.parquet");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].key, "year");
  EXPECT_EQ(*parts[0].value, "2024");
  EXPECT_EQ(parts[1].key, "country");
  EXPECT_EQ(*parts[1].value, "US East");
}

TEST(HivePartitionTest, DefaultPartitionIsNull) {
  auto parts = ParseHivePartitions("/d/k=__HIVE_DEFAULT_PARTITION__/f.csv");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_FALSE(parts[0].value.has_value());
}

TEST(HivePartitionTest, IgnoresFileNameAndPlainFolders) {
  EXPECT_TRUE(ParseHivePartitions("/d/e/a=1.csv").empty());
  auto parts = ParseHivePartitions("/d/a=1/plain/b=/x.csv");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(*parts[1].value, "");
  auto dup = ParseHivePartitions("/a=1/b=2/a=3/x.csv");
  ASSERT_EQ(dup.size(), 2u);
  EXPECT_EQ(*dup[0].value, "3");
}

TEST(HivePartitionTest, UrlCoding) {
  EXPECT_EQ(UrlDecode("a%3Db%2Fc%zz"), "a=b/c%zz");
  EXPECT_EQ(UrlEncodePartitionValue("a=b/c d"), "a%3Db%2Fc%20d");
  EXPECT_EQ(UrlDecode(UrlEncodePartitionValue("2024-01-01 10:00:00")), "2024-01-01 10:00:00");
}

TEST(HivePartitionTest, InfersTypes) {
  using O = std::optional<std::string>;
  EXPECT_EQ(InferHivePartitionType({O("1"), O("-20"), std::nullopt}), LogicalType(TypeId::kBigInt));
  EXPECT_EQ(InferHivePartitionType({O("1"), O("2.5")}), LogicalType(TypeId::kDouble));
  EXPECT_EQ(InferHivePartitionType({O("2024-01-31"), O("2023-12-01")}), LogicalType(TypeId::kDate));
  EXPECT_EQ(InferHivePartitionType({O("2024-02-30")}), LogicalType(TypeId::kVarchar));
  EXPECT_EQ(InferHivePartitionType({O("1"), O("x")}), LogicalType(TypeId::kVarchar));
  EXPECT_EQ(InferHivePartitionType({std::nullopt}), LogicalType(TypeId::kVarchar));
  EXPECT_EQ(InferHivePartitionType({}), LogicalType(TypeId::kVarchar));
}

TEST(HivePartitionTest, Values) {
  HivePartition p{"d", std::string("1970-01-02")};
  auto v = HivePartitionValue(p, TypeId::kDate);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->GetInt64(), 1);
  HivePartition bad{"n", std::string("abc")};
  auto e = HivePartitionValue(bad, TypeId::kBigInt);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("abc"), std::string::npos);
  HivePartition null{"n", std::nullopt};
  EXPECT_TRUE(HivePartitionValue(null, TypeId::kBigInt)->is_null());
}

}  // namespace
}  // namespace alopex
