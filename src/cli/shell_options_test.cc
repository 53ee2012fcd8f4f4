#include "cli/shell_options.h"

#include <gtest/gtest.h>

namespace alopex::cli {
namespace {

TEST(ShellOptionsTest, DefaultsToInMemory) {
  auto o = ParseShellOptions({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->database, ":memory:");
  EXPECT_TRUE(o->commands.empty());
  EXPECT_FALSE(o->format.has_value());
}

TEST(ShellOptionsTest, OptionsBeforeAndAfterCommands) {
  auto o = ParseShellOptions({"-c", "SELECT 1", "--format", "jsonl", "mydb", "-f", "x.sql", "-c", "SELECT 2",
                              "--threads=4", "--catalog", "postgresql://h/db"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->database, "mydb");
  ASSERT_EQ(o->commands.size(), 3u);
  EXPECT_EQ(o->commands[0].text, "SELECT 1");
  EXPECT_EQ(o->commands[1].kind, ShellCommand::Kind::kFile);
  EXPECT_EQ(o->commands[1].text, "x.sql");
  EXPECT_EQ(o->commands[2].text, "SELECT 2");
  EXPECT_EQ(*o->format, OutputFormat::kJsonLines);
  EXPECT_EQ(o->threads, 4);
  EXPECT_EQ(o->catalog, "postgresql://h/db");
}

TEST(ShellOptionsTest, Errors) {
  EXPECT_FALSE(ParseShellOptions({"-c"}).ok());
  EXPECT_FALSE(ParseShellOptions({"--format", "xml"}).ok());
  EXPECT_FALSE(ParseShellOptions({"--threads", "many"}).ok());
  EXPECT_FALSE(ParseShellOptions({"--bogus"}).ok());
  EXPECT_FALSE(ParseShellOptions({"a", "b"}).ok());
  auto o = ParseShellOptions({"--nope"});
  EXPECT_NE(o.status().message().find("--nope"), std::string::npos);
}

TEST(ShellOptionsTest, HelpAndVersion) {
  EXPECT_TRUE(ParseShellOptions({"--help"})->help);
  EXPECT_TRUE(ParseShellOptions({"--version"})->version);
  EXPECT_TRUE(ParseShellOptions({"--readonly"})->read_only);
}

}  // namespace
}  // namespace alopex::cli
