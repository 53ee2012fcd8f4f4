#include "storage/delta/deletion_vector.h"

#include <gtest/gtest.h>

#include "storage/delta/delta_test_util.h"

namespace alopex {
namespace {

std::string Hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(char(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

TEST(DeletionVectorTest, Z85DecodesTheProtocolUuidExample) {
  DeletionVectorDescriptor dv;
  dv.storage_type = "u";
  dv.path_or_inline_dv = "IjB3V2d3#qUP%s94R0WF";
  auto p = DeletionVectorFilePath(dv, "/t");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*p, "/t/deletion_vector_899cef78-06b3-4c14-b024-03860e62cd40.bin");
  dv.path_or_inline_dv = "ab" + dv.path_or_inline_dv;
  EXPECT_EQ(*DeletionVectorFilePath(dv, "/t"), "/t/ab/deletion_vector_899cef78-06b3-4c14-b024-03860e62cd40.bin");
}

TEST(DeletionVectorTest, Z85RoundTripAndErrors) {
  std::string bytes = Hex("864a7f1c00ff0102");
  auto back = Z85Decode(Z85Encode(bytes));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  EXPECT_EQ(Z85Encode(Hex("864FD26FB559F75B")), "HelloWorld");  // the ZeroMQ spec's test vector
  EXPECT_FALSE(Z85Decode("abcd").ok());
  EXPECT_FALSE(Z85Decode("abc\"d").ok());
}

TEST(DeletionVectorTest, ParsesTheProtocolWorkedExample) {
  // basic-dv-no-checkpoint: rows 0 and 1 deleted (bitmap part of the DV file).
  std::string bitmap = Hex("D1D339640100000000000000000000003A30000001000000000001001000000000000100");
  auto rows = ParseRoaringBitmapArray(bitmap);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<uint64_t>{0, 1}));
}

TEST(DeletionVectorTest, RoundTripsArrayBitsetAndHighBuckets) {
  std::vector<uint64_t> rows;
  for (uint64_t i = 0; i < 5000; i++) rows.push_back(i * 2);  // a bitset container
  rows.push_back(70000);
  rows.push_back((uint64_t(3) << 32) | 17);  // another bucket
  auto parsed = ParseRoaringBitmapArray(SerializeRoaringBitmapArray(rows));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, rows);
}

TEST(DeletionVectorTest, ReadsRunContainers) {
  // Portable, one bucket; Roaring with runs: cookie 12347 | (1-1)<<16, run flags 0x01,
  // key 0, card-1 = 9, no offsets (< 4 containers), run container: 1 run [5, 5+9].
  std::string b = Hex("D1D33964") + Hex("0100000000000000") + Hex("00000000") + Hex("3B300000") + Hex("01") +
                  Hex("0000" "0900") + Hex("0100" "0500" "0900");
  auto rows = ParseRoaringBitmapArray(b);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 10u);
  EXPECT_EQ(rows->front(), 5u);
  EXPECT_EQ(rows->back(), 14u);
}

TEST(DeletionVectorTest, MalformedBitmapsAreErrorsNotCrashes) {
  std::string good = SerializeRoaringBitmapArray({1, 2, 3, 100000});
  for (size_t cut = 0; cut < good.size(); cut++) {
    auto r = ParseRoaringBitmapArray(good.substr(0, cut));
    EXPECT_FALSE(r.ok()) << cut;
  }
  EXPECT_FALSE(ParseRoaringBitmapArray(Hex("00000000")).ok());
}

TEST(DeletionVectorTest, InlineDescriptorLoads) {
  DeletionVectorDescriptor dv = MakeInlineDeletionVector({9, 3, 3, 4});
  EXPECT_EQ(dv.cardinality, 3);
  auto rows = LoadDeletionVector(dv, "/nowhere", nullptr);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<uint64_t>{3, 4, 9}));
  dv.cardinality = 5;
  EXPECT_FALSE(LoadDeletionVector(dv, "/nowhere", nullptr).ok());
}

TEST(DeletionVectorTest, OnDiskFileIsCheckedForSizeAndCrc) {
  delta_test::ScratchDir dir;
  // A DV file as Spark writes it: version byte, then size, bitmap, CRC (big-endian).
  std::string bitmap = Hex("D1D339640100000000000000000000003A30000001000000000001001000000000000100");
  std::string file = Hex("01") + Hex("00000024") + bitmap + Hex("E2BE924E");
  DeletionVectorDescriptor dv;
  dv.storage_type = "u";
  dv.path_or_inline_dv = "IjB3V2d3#qUP%s94R0WF";
  dv.offset = 1;
  dv.size_in_bytes = 36;
  dv.cardinality = 2;
  auto path = DeletionVectorFilePath(dv, dir.path());
  ASSERT_TRUE(path.ok());
  auto fs = FileSystem::ForPath(*path);
  ASSERT_TRUE(fs.ok());
  ASSERT_TRUE((*fs)->WriteAtomic(*path, file).ok());
  auto rows = LoadDeletionVector(dv, dir.path(), *fs);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<uint64_t>{0, 1}));

  std::string corrupt = file;
  corrupt[10] ^= 1;
  ASSERT_TRUE((*fs)->WriteAtomic(*path, corrupt).ok());
  auto bad = LoadDeletionVector(dv, dir.path(), *fs);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("CRC"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("deletion_vector_899cef78"), std::string::npos);
}

}  // namespace
}  // namespace alopex
