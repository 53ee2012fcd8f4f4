#include "io/glob.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "io/file_system.h"
#include "io/local_file_system.h"

namespace alopex {
namespace {

TEST(GlobMatchTest, Segments) {
  EXPECT_TRUE(GlobMatchSegment("*.csv", "a.csv"));
  EXPECT_FALSE(GlobMatchSegment("*.csv", "a.csv.gz"));
  EXPECT_TRUE(GlobMatchSegment("*.csv*", "a.csv.gz"));
  EXPECT_TRUE(GlobMatchSegment("part-?.parquet", "part-1.parquet"));
  EXPECT_FALSE(GlobMatchSegment("part-?.parquet", "part-12.parquet"));
  EXPECT_TRUE(GlobMatchSegment("data[0-9].csv", "data7.csv"));
  EXPECT_FALSE(GlobMatchSegment("data[0-9].csv", "datax.csv"));
  EXPECT_TRUE(GlobMatchSegment("data[!0-9].csv", "datax.csv"));
  EXPECT_FALSE(GlobMatchSegment("data[!0-9].csv", "data1.csv"));
  EXPECT_TRUE(GlobMatchSegment("data[^0-9].csv", "datax.csv"));
  EXPECT_TRUE(GlobMatchSegment("[abc]*", "banana"));
  EXPECT_FALSE(GlobMatchSegment("[abc]*", "dog"));
  EXPECT_TRUE(GlobMatchSegment("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatchSegment("a*b*c", "aXXbYY"));
  EXPECT_TRUE(GlobMatchSegment("*", "x"));
  EXPECT_TRUE(GlobMatchSegment("\\*", "*"));
  EXPECT_FALSE(GlobMatchSegment("\\*", "x"));
  EXPECT_TRUE(GlobMatchSegment("a[", "a["));  // an unclosed class is literal
  // Hidden names match only patterns that spell out their first character.
  EXPECT_FALSE(GlobMatchSegment("*", "_delta_log"));
  EXPECT_FALSE(GlobMatchSegment("*", ".hidden"));
  EXPECT_TRUE(GlobMatchSegment("_*", "_delta_log"));
}

TEST(GlobMatchTest, Paths) {
  EXPECT_TRUE(GlobMatchPath("**/*.csv", "a.csv"));
  EXPECT_TRUE(GlobMatchPath("**/*.csv", "x/y/a.csv"));
  EXPECT_TRUE(GlobMatchPath("x/**/a.csv", "x/a.csv"));
  EXPECT_TRUE(GlobMatchPath("x/**/a.csv", "x/1/2/a.csv"));
  EXPECT_FALSE(GlobMatchPath("x/**/a.csv", "y/1/a.csv"));
  EXPECT_FALSE(GlobMatchPath("**/*.json", "_delta_log/0.json"));
  EXPECT_TRUE(GlobMatchPath("**", "a/b/c"));
}

class ExpandGlobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = "/tmp/alopex_glob_test_" + std::to_string(::getpid());
    ASSERT_TRUE(fs_.DeleteRecursive(root_).ok());
    for (const char* f : {"a.csv", "b.csv", "c.json", "data1.csv", "data2.csv", "datax.csv", "sub/d.csv",
                          "sub/deep/e.csv", "sub/deep/f.json", "year=2023/m=1/p.parquet", "year=2024/m=2/q.parquet",
                          "_delta_log/00000.json", ".hidden/x.csv", "sub/_tmp.csv"}) {
      ASSERT_TRUE(fs_.WriteAtomic(JoinPath(root_, f), "x").ok());
    }
  }
  void TearDown() override { (void)fs_.DeleteRecursive(root_); }

  std::vector<std::string> Expand(const std::string& pattern) {
    auto r = ExpandGlob(pattern);
    std::vector<std::string> out;
    if (!r.ok()) {
      out.push_back("ERROR: " + r.status().ToString());
      return out;
    }
    for (const auto& f : *r) out.push_back(f.path.substr(root_.size() + 1));
    return out;
  }
  using V = std::vector<std::string>;

  LocalFileSystem fs_;
  std::string root_;
};

TEST_F(ExpandGlobTest, SingleFile) { EXPECT_EQ(Expand(root_ + "/a.csv"), V({"a.csv"})); }

TEST_F(ExpandGlobTest, FolderGivesAllVisibleFilesBelow) {
  EXPECT_EQ(Expand(root_ + "/sub"), V({"sub/d.csv", "sub/deep/e.csv", "sub/deep/f.json"}));
  V all = Expand(root_);
  EXPECT_EQ(all.size(), 11u);
  for (const auto& f : all) {
    EXPECT_EQ(f.find("_delta_log"), std::string::npos);
    EXPECT_EQ(f.find(".hidden"), std::string::npos);
  }
}

TEST_F(ExpandGlobTest, Star) {
  EXPECT_EQ(Expand(root_ + "/*.csv"), V({"a.csv", "b.csv", "data1.csv", "data2.csv", "datax.csv"}));
  EXPECT_EQ(Expand(root_ + "/*/*.csv"), V({"sub/d.csv"}));
  EXPECT_EQ(Expand(root_ + "/year=*/m=*/*.parquet"), V({"year=2023/m=1/p.parquet", "year=2024/m=2/q.parquet"}));
  auto uri = ExpandGlob("file://" + root_ + "/b*.csv");
  ASSERT_TRUE(uri.ok()) << uri.status().ToString();
  ASSERT_EQ(uri->size(), 1u);
  EXPECT_EQ((*uri)[0].path, "file://" + root_ + "/b.csv");
}

TEST_F(ExpandGlobTest, QuestionMarkAndClasses) {
  EXPECT_EQ(Expand(root_ + "/data?.csv"), V({"data1.csv", "data2.csv", "datax.csv"}));
  EXPECT_EQ(Expand(root_ + "/data[0-9].csv"), V({"data1.csv", "data2.csv"}));
  EXPECT_EQ(Expand(root_ + "/data[!0-9].csv"), V({"datax.csv"}));
  EXPECT_EQ(Expand(root_ + "/[ab].csv"), V({"a.csv", "b.csv"}));
}

TEST_F(ExpandGlobTest, DoubleStar) {
  EXPECT_EQ(Expand(root_ + "/**/*.csv"),
            V({"a.csv", "b.csv", "data1.csv", "data2.csv", "datax.csv", "sub/d.csv", "sub/deep/e.csv"}));
  EXPECT_EQ(Expand(root_ + "/sub/**/*.json"), V({"sub/deep/f.json"}));
  EXPECT_EQ(Expand(root_ + "/**/q.parquet"), V({"year=2024/m=2/q.parquet"}));
}

TEST_F(ExpandGlobTest, NoMatchIsNotFoundNamingThePattern) {
  auto r = ExpandGlob(root_ + "/*.xlsx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find(root_ + "/*.xlsx"), std::string::npos) << r.status().message();
  auto missing = ExpandGlob(root_ + "/nothere/*.csv");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto file = ExpandGlob(root_ + "/missing.csv");
  EXPECT_EQ(file.status().code(), StatusCode::kNotFound);
  EXPECT_NE(file.status().message().find("missing.csv"), std::string::npos);
}

TEST(ExpandGlobMemoryTest, MemoryPaths) {
  auto fs = *FileSystem::ForPath("mem://");
  ASSERT_TRUE(fs->WriteAtomic("mem://globtest/x/1.csv", "1").ok());
  ASSERT_TRUE(fs->WriteAtomic("mem://globtest/x/2.csv", "2").ok());
  ASSERT_TRUE(fs->WriteAtomic("mem://globtest/y/3.csv", "3").ok());
  auto r = ExpandGlob("mem://globtest/*/*.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].path, "mem://globtest/x/1.csv");
  EXPECT_EQ((*r)[2].path, "mem://globtest/y/3.csv");
  auto folder = ExpandGlob("mem://globtest/x");
  ASSERT_TRUE(folder.ok());
  EXPECT_EQ(folder->size(), 2u);
}

TEST(IsGlobTest, Detects) {
  EXPECT_TRUE(IsGlob("a/*.csv"));
  EXPECT_TRUE(IsGlob("a/?.csv"));
  EXPECT_TRUE(IsGlob("a/[ab].csv"));
  EXPECT_FALSE(IsGlob("a/b.csv"));
}

}  // namespace
}  // namespace alopex
