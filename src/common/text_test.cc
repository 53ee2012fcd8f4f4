#include "common/text.h"

#include <gtest/gtest.h>

namespace alopex {
namespace {

TEST(TextTest, AsciiCaseAndSpace) {
  EXPECT_EQ(AsciiLower("MiXeD_1é"), "mixed_1é");
  EXPECT_TRUE(EqualsIgnoreCase("Infinity", "INFINITY"));
  EXPECT_FALSE(EqualsIgnoreCase("nan", "nano"));
  EXPECT_EQ(TrimAsciiSpace(" \t x y\n"), "x y");
}

TEST(TextTest, Utf8Encoding) {
  std::string s;
  for (uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) AppendUtf8(&s, cp);
  EXPECT_EQ(s, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(TextTest, ClosestNameWithinDistance) {
  EXPECT_EQ(EditDistance("kitten", "SITTING"), 3u);
  std::vector<std::string> names{"partition_filter", "partition_columns", "on_error"};
  EXPECT_EQ(ClosestName("partition_filtr", names, 2), "partition_filter");
  EXPECT_EQ(ClosestName("ON_EROR", names, 2), "on_error");
  EXPECT_EQ(ClosestName("nothing_alike", names, 2), "");
}

}  // namespace
}  // namespace alopex
