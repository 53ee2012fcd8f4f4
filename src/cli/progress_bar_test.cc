#include "cli/progress_bar.h"

#include <gtest/gtest.h>

#include "cli/text_width.h"

namespace alopex::cli {
namespace {

TEST(ProgressBarTest, FormatsCountsAndDurations) {
  EXPECT_EQ(WithThousandsSeparators(0), "0");
  EXPECT_EQ(WithThousandsSeparators(999), "999");
  EXPECT_EQ(WithThousandsSeparators(1234567), "1,234,567");
  EXPECT_EQ(FormatDuration(7.9), "0:07");
  EXPECT_EQ(FormatDuration(754), "12:34");
  EXPECT_EQ(FormatDuration(3723), "1:02:03");
}

TEST(ProgressBarTest, KnownPercentShowsBarRateAndTimeLeft) {
  ProgressSnapshot s;
  s.rows_done = 1000000;
  s.work_done = 25;
  s.work_total = 100;
  std::string line = RenderProgressLine(s, 10.0, 120);
  EXPECT_NE(line.find(" 25%"), std::string::npos) << line;
  EXPECT_NE(line.find("1,000,000 rows"), std::string::npos) << line;
  EXPECT_NE(line.find("100,000 rows/s"), std::string::npos) << line;
  EXPECT_NE(line.find("0:10 elapsed"), std::string::npos) << line;
  EXPECT_NE(line.find("0:30 left"), std::string::npos) << line;
  EXPECT_NE(line.find("█"), std::string::npos) << line;
  EXPECT_LE(DisplayWidth(line), 120u);
}

TEST(ProgressBarTest, UnknownPercentShowsOperationAndRows) {
  ProgressSnapshot s;
  s.operation = "COPY FROM";
  s.rows_done = 5000;
  std::string line = RenderProgressLine(s, 2.0, 120);
  EXPECT_EQ(line, "COPY FROM │ 5,000 rows │ 2,500 rows/s │ 0:02 elapsed");
}

TEST(ProgressBarTest, NarrowTerminalDropsLeastUsefulParts) {
  ProgressSnapshot s;
  s.rows_done = 5000;
  s.bytes_done = 50;
  s.bytes_total = 100;
  std::string line = RenderProgressLine(s, 2.0, 30);
  EXPECT_LE(DisplayWidth(line), 30u) << line;
  EXPECT_NE(line.find("50%"), std::string::npos) << line;
  EXPECT_EQ(line.find("rows/s"), std::string::npos) << line;
}

TEST(ProgressBarTest, BarKeepsItsRoomOnAnOrdinaryTerminal) {
  ProgressSnapshot s;
  s.rows_done = 57882624;
  s.work_done = 2;
  s.work_total = 100;
  std::string line = RenderProgressLine(s, 3.3, 79);
  EXPECT_LE(DisplayWidth(line), 79u) << line;
  EXPECT_NE(line.find("░"), std::string::npos) << line;
  EXPECT_NE(line.find("  2%"), std::string::npos) << line;
}

}  // namespace
}  // namespace alopex::cli
