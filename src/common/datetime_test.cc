#include "common/datetime.h"

#include <gtest/gtest.h>

namespace alopex {
namespace {

int32_t D(const char* s) { return *ParseDate(s); }
int64_t T(const char* s) { return *ParseTimestamp(s); }
Interval I(const char* s) { return *ParseInterval(s); }

TEST(DateTimeTest, CivilRoundTrip) {
  for (int64_t d = -800000; d <= 800000; d += 997) {
    int64_t y;
    int m, day;
    CivilFromDays(d, &y, &m, &day);
    EXPECT_EQ(DaysFromCivil(y, m, day), d);
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
}

TEST(DateTimeTest, ParseAndFormatDate) {
  EXPECT_EQ(FormatDate(D("2024-01-31")), "2024-01-31");
  EXPECT_EQ(FormatDate(D(" 1992-9-20 ")), "1992-09-20");
  EXPECT_EQ(FormatDate(D("2024-01-31 12:00:00")), "2024-01-31");
  EXPECT_EQ(FormatDate(D("0044-03-15 (BC)")), "0044-03-15 (BC)");
  int32_t d;
  EXPECT_FALSE(TryParseDate("2024-02-30", &d));
  EXPECT_FALSE(TryParseDate("2024-13-01", &d));
  EXPECT_FALSE(TryParseDate("hello", &d));
  EXPECT_FALSE(TryParseDate("2024-01-01x", &d));
  auto bad = ParseDate("2024-13-01");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kConversionError);
}

TEST(DateTimeTest, ParseAndFormatTimestamp) {
  EXPECT_EQ(FormatTimestamp(T("2024-01-31 12:34:56.789")), "2024-01-31 12:34:56.789");
  EXPECT_EQ(FormatTimestamp(T("2024-01-31T12:34:56")), "2024-01-31 12:34:56");
  EXPECT_EQ(FormatTimestamp(T("2024-01-31")), "2024-01-31 00:00:00");
  EXPECT_EQ(FormatTimestamp(T("2024-01-31 12:34:56.123456")), "2024-01-31 12:34:56.123456");
  EXPECT_EQ(FormatTimestamp(T("2024-01-31 12:00:00Z")), "2024-01-31 12:00:00");
  EXPECT_EQ(FormatTimestamp(T("2024-01-31 12:00:00+02:00")), "2024-01-31 10:00:00");
  EXPECT_EQ(FormatTimestamp(T("2024-01-31 12:00:00-0530")), "2024-01-31 17:30:00");
  EXPECT_EQ(FormatTimestampTz(T("2024-01-31 12:34:56.789")), "2024-01-31 12:34:56.789+00");
  EXPECT_EQ(FormatTimestamp(T("1969-12-31 23:59:59.5")), "1969-12-31 23:59:59.5");
  int64_t t;
  EXPECT_FALSE(TryParseTimestamp("2024-01-31 25:00:00", &t));
  EXPECT_FALSE(TryParseTimestamp("2024-01-31 12:00:00 junk", &t));
}

TEST(DateTimeTest, Time) {
  EXPECT_EQ(FormatTime(*ParseTime("12:34:56.5")), "12:34:56.5");
  EXPECT_EQ(FormatTime(*ParseTime("01:02")), "01:02:00");
  EXPECT_FALSE(ParseTime("1:99").ok());
}

TEST(DateTimeTest, Intervals) {
  EXPECT_EQ(FormatInterval(I("90 days")), "90 days");
  EXPECT_EQ(FormatInterval(I("1 year 2 months")), "1 year 2 months");
  EXPECT_EQ(FormatInterval(I("3 hours")), "03:00:00");
  EXPECT_EQ(FormatInterval(I("00:30:00")), "00:30:00");
  EXPECT_EQ(FormatInterval(I("1 year 2 months 3 days 04:05:06")), "1 year 2 months 3 days 04:05:06");
  EXPECT_EQ(FormatInterval(I("P1D")), "1 day");
  EXPECT_EQ(FormatInterval(I("P1Y2M3DT4H5M6S")), "1 year 2 months 3 days 04:05:06");
  EXPECT_EQ(FormatInterval(I("2 weeks")), "14 days");
  EXPECT_EQ(FormatInterval(I("1.5 hours")), "01:30:00");
  EXPECT_EQ(FormatInterval(I("-1 day")), "-1 day");
  EXPECT_EQ(FormatInterval(I("2 days ago")), "-2 days");
  EXPECT_EQ(FormatInterval(I("500 ms")), "00:00:00.5");
  EXPECT_EQ(FormatInterval(Interval{}), "00:00:00");
  EXPECT_EQ(FormatInterval(Interval{-14, 0, -3600000000LL}), "-1 year -2 months -01:00:00");
  EXPECT_FALSE(ParseInterval("3 fortnights").ok());
  EXPECT_FALSE(ParseInterval("").ok());
}

TEST(DateTimeTest, AddInterval) {
  int64_t r;
  ASSERT_TRUE(TryAddInterval(T("2024-01-31"), I("1 month"), &r));
  EXPECT_EQ(FormatTimestamp(r), "2024-02-29 00:00:00");
  ASSERT_TRUE(TryAddInterval(T("2024-01-31 10:00:00"), I("1 day 3 hours"), &r));
  EXPECT_EQ(FormatTimestamp(r), "2024-02-01 13:00:00");
  ASSERT_TRUE(TryAddInterval(T("2024-03-31"), I("-1 month"), &r));
  EXPECT_EQ(FormatTimestamp(r), "2024-02-29 00:00:00");
  EXPECT_EQ(FormatInterval(SubtractTimestamps(T("2024-03-01"), T("2024-01-01"))), "60 days");
  EXPECT_EQ(FormatInterval(SubtractTimestamps(T("2024-01-01 12:00"), T("2024-01-01"))), "12:00:00");
  EXPECT_LT(CompareIntervals(I("29 days"), I("1 month")), 0);
}

TEST(DateTimeTest, ExtractAndTrunc) {
  int64_t t = T("2024-02-29 13:45:30.250");
  EXPECT_EQ(ExtractPart(DatePart::kYear, t), 2024);
  EXPECT_EQ(ExtractPart(DatePart::kMonth, t), 2);
  EXPECT_EQ(ExtractPart(DatePart::kDay, t), 29);
  EXPECT_EQ(ExtractPart(DatePart::kHour, t), 13);
  EXPECT_EQ(ExtractPart(DatePart::kMinute, t), 45);
  EXPECT_EQ(ExtractPart(DatePart::kSecond, t), 30);
  EXPECT_EQ(ExtractPart(DatePart::kMillisecond, t), 30250);
  EXPECT_EQ(ExtractPart(DatePart::kMicrosecond, t), 30250000);
  EXPECT_EQ(ExtractPart(DatePart::kDow, t), 4);  // Thursday
  EXPECT_EQ(ExtractPart(DatePart::kIsoDow, t), 4);
  EXPECT_EQ(ExtractPart(DatePart::kDoy, t), 60);
  EXPECT_EQ(ExtractPart(DatePart::kQuarter, t), 1);
  EXPECT_EQ(ExtractPart(DatePart::kWeek, t), 9);
  EXPECT_EQ(ExtractPart(DatePart::kWeek, T("2021-01-01")), 53);  // ISO week of 2020
  EXPECT_EQ(ExtractPart(DatePart::kEpoch, T("1970-01-02")), 86400);
  EXPECT_DOUBLE_EQ(ExtractEpoch(T("1970-01-01 00:00:01.5")), 1.5);
  EXPECT_EQ(ExtractPart(DatePart::kCentury, t), 21);
  EXPECT_EQ(FormatTimestamp(TruncTimestamp(DatePart::kMonth, t)), "2024-02-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(TruncTimestamp(DatePart::kWeek, t)), "2024-02-26 00:00:00");
  EXPECT_EQ(FormatTimestamp(TruncTimestamp(DatePart::kQuarter, t)), "2024-01-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(TruncTimestamp(DatePart::kHour, t)), "2024-02-29 13:00:00");
  EXPECT_EQ(FormatTimestamp(TruncTimestamp(DatePart::kYear, t)), "2024-01-01 00:00:00");
  EXPECT_EQ(FormatTimestamp(TruncTimestamp(DatePart::kDay, T("1969-12-31 23:00"))), "1969-12-31 00:00:00");
  DatePart p;
  EXPECT_TRUE(TryParseDatePart("YEARS", &p));
  EXPECT_EQ(p, DatePart::kYear);
  EXPECT_FALSE(ParseDatePart("fortnight").ok());
}

TEST(DateTimeTest, StrftimeStrptime) {
  int64_t t = T("2024-03-05 07:08:09.123");
  EXPECT_EQ(Strftime(t, "%Y/%m/%d %H:%M:%S.%g"), "2024/03/05 07:08:09.123");
  EXPECT_EQ(Strftime(t, "%A %d %B %Y"), "Tuesday 05 March 2024");
  EXPECT_EQ(Strftime(t, "%j %I %p"), "065 07 AM");
  auto p = Strptime("05/03/2024 19:30", "%d/%m/%Y %H:%M");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(FormatTimestamp(*p), "2024-03-05 19:30:00");
  EXPECT_EQ(FormatTimestamp(*Strptime("Mar 5 2024 7:08 PM", "%b %d %Y %I:%M %p")), "2024-03-05 19:08:00");
  EXPECT_FALSE(Strptime("2024-03-05", "%d/%m/%Y").ok());
}

}  // namespace
}  // namespace alopex
