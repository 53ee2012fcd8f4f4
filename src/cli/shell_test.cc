// The shell end to end against an in-memory database.
#include "cli/shell.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace alopex::cli {
namespace {

class ShellTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    shell_ = std::make_unique<Shell>(*db, out_, err_);
  }
  std::ostringstream out_, err_;
  std::unique_ptr<Shell> shell_;
};

TEST_F(ShellTest, JsonLines) {
  shell_->set_format(OutputFormat::kJsonLines);
  ASSERT_TRUE(shell_->RunCommand("SELECT 40 + 2 AS answer").ok());
  EXPECT_EQ(out_.str(), "{\"answer\":42}\n");
}

TEST_F(ShellTest, EveryStatementPrintsItsResult) {
  shell_->set_format(OutputFormat::kCsv);
  ASSERT_TRUE(shell_->RunCommand("SELECT 1 AS a; SELECT 'x' AS b;").ok());
  EXPECT_EQ(out_.str(), "a\n1\nb\nx\n");
}

TEST_F(ShellTest, SyntaxErrorShowsPosition) {
  Status st = shell_->RunCommand("SELEC 1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), StatusCode::kSyntaxError);
  EXPECT_NE(st.message().find("LINE 1"), std::string::npos) << st.message();
}

TEST_F(ShellTest, ScriptStopsAtFirstError) {
  shell_->set_format(OutputFormat::kCsv);
  std::istringstream script("SELECT 1 AS a;\nSELECT * FROM missing_table;\nSELECT 2 AS b;\n");
  EXPECT_FALSE(shell_->RunScript(script).ok());
  EXPECT_EQ(out_.str(), "a\n1\n");
}

TEST_F(ShellTest, MultiLineStatementsAndDotCommands) {
  std::istringstream script(".format csv\nSELECT\n  1 AS a\n;\n.mode jsonl\nSELECT 2 AS b -- no semicolon at the end\n");
  ASSERT_TRUE(shell_->RunScript(script).ok());
  EXPECT_EQ(out_.str(), "a\n1\n{\"b\":2}\n");
}

TEST_F(ShellTest, Timer) {
  shell_->set_format(OutputFormat::kCsv);
  ASSERT_TRUE(shell_->RunCommand(".timer on\nSELECT 1 AS a;").ok());
  EXPECT_NE(out_.str().find("Run Time: real "), std::string::npos) << out_.str();
}

TEST_F(ShellTest, TablesAndSchema) {
  ASSERT_TRUE(shell_->RunCommand("CREATE TABLE items(id INTEGER, name VARCHAR);").ok()) << err_.str();
  out_.str("");
  ASSERT_TRUE(shell_->RunCommand(".tables").ok());
  EXPECT_EQ(out_.str(), "items\n");
  out_.str("");
  ASSERT_TRUE(shell_->RunCommand(".schema items").ok());
  EXPECT_EQ(out_.str(), "CREATE TABLE items(id INTEGER, name VARCHAR);\n");
}

TEST_F(ShellTest, UnknownDotCommandFails) {
  Status st = shell_->RunCommand(".nonsense");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(".nonsense"), std::string::npos);
}

TEST_F(ShellTest, ReadRunsAFile) {
  std::string path = ::testing::TempDir() + "/shell_test_read.sql";
  {
    std::ofstream f(path);
    f << "SELECT 7 AS seven;\n";
  }
  shell_->set_format(OutputFormat::kCsv);
  ASSERT_TRUE(shell_->RunCommand(".read " + path).ok());
  EXPECT_EQ(out_.str(), "seven\n7\n");
  std::remove(path.c_str());
  EXPECT_FALSE(shell_->RunCommand(".read /nonexistent/file.sql").ok());
}

TEST_F(ShellTest, Quit) {
  std::istringstream script("SELECT 1;\n.quit\nSELECT * FROM missing_table;\n");
  EXPECT_TRUE(shell_->RunScript(script).ok());
  EXPECT_TRUE(shell_->quit_requested());
}

}  // namespace
}  // namespace alopex::cli
