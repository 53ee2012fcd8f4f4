// Dates, times, timestamps and intervals: civil-calendar arithmetic, parsing
// from the text forms SQL users type and formatting exactly as DuckDB prints.
//
// Representations (DESIGN.md § Types):
//   DATE         int32 days since 1970-01-01 (proleptic Gregorian)
//   TIME         int64 microseconds since midnight
//   TIMESTAMP    int64 microseconds since 1970-01-01 00:00:00
//   TIMESTAMPTZ  the same, in UTC
//   INTERVAL     {months, days, micros}, kept apart because months and days
//                have no fixed length
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "alopex/status.h"
#include "alopex/value.h"

namespace alopex {

inline constexpr int64_t kMicrosPerMilli = 1000;
inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// ---------------------------------------------------------------- civil calendar

bool IsLeapYear(int64_t year);
int DaysInMonth(int64_t year, int month);  // month 1-12
// Days since 1970-01-01 of a civil date (month 1-12, day 1-31; not validated).
int64_t DaysFromCivil(int64_t year, int month, int day);
// The civil date of a day number.
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);
// True when year-month-day names a real date that fits DATE.
bool IsValidDate(int64_t year, int month, int day);

// Floor division and modulo (toward negative infinity), for splitting timestamps.
inline int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
inline int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

// Splits a timestamp into its day number and microseconds within the day.
inline void SplitTimestamp(int64_t ts, int64_t* days, int64_t* time_micros) {
  *days = FloorDiv(ts, kMicrosPerDay);
  *time_micros = ts - *days * kMicrosPerDay;
}

// ---------------------------------------------------------------- parsing
// The Try forms return false on malformed text and never allocate; callers
// build the error message (a cast names the value and the target type).

// 'YYYY-MM-DD' (also '/' or '.' separators, an optional ' (BC)' suffix, and a
// trailing time, which is ignored).
bool TryParseDate(std::string_view text, int32_t* out);
// 'HH:MM[:SS[.ffffff]]'.
bool TryParseTime(std::string_view text, int64_t* out);
// 'YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|+HH[:MM]|-HH[:MM]| UTC]'. An offset is
// applied: the result is the UTC instant (so TIMESTAMP and TIMESTAMPTZ parse alike).
bool TryParseTimestamp(std::string_view text, int64_t* out);
// '90 days', '1 year 2 months', '-3 hours', '1 day 02:30:00', '00:30:00',
// '2 weeks ago', '1.5 hours', ISO 8601 'P1Y2M3DT4H5M6S'.
bool TryParseInterval(std::string_view text, Interval* out);

Result<int32_t> ParseDate(std::string_view text);
Result<int64_t> ParseTime(std::string_view text);
Result<int64_t> ParseTimestamp(std::string_view text);
Result<Interval> ParseInterval(std::string_view text);

// ---------------------------------------------------------------- formatting
// Exactly as DuckDB prints: 2024-01-31, 12:34:56.789, 2024-01-31 12:34:56.789,
// 2024-01-31 12:34:56.789+00, '1 year 2 months 3 days 04:05:06'.

// Append forms write into `buf`, which must hold kMaxTemporalText bytes, and
// return the length written.
inline constexpr size_t kMaxTemporalText = 64;
size_t FormatDateTo(int32_t days, char* buf);
size_t FormatTimeTo(int64_t micros, char* buf);
size_t FormatTimestampTo(int64_t micros, char* buf);
size_t FormatTimestampTzTo(int64_t micros, char* buf);
size_t FormatIntervalTo(const Interval& iv, char* buf);

std::string FormatDate(int32_t days);
std::string FormatTime(int64_t micros);
std::string FormatTimestamp(int64_t micros);
std::string FormatTimestampTz(int64_t micros);
std::string FormatInterval(const Interval& iv);

// ---------------------------------------------------------------- arithmetic

// timestamp + interval: months first (the day clamped to the month's end, as
// 2024-01-31 + 1 month = 2024-02-29), then days, then micros. Fails on overflow.
bool TryAddInterval(int64_t ts, const Interval& iv, int64_t* out);
// date + months, the day clamped to the month's end.
bool TryAddMonthsToDate(int32_t date, int64_t months, int32_t* out);
// a - b as an interval of days and micros (no months), as DuckDB does.
Interval SubtractTimestamps(int64_t a, int64_t b);
// The interval's total length with a month as 30 days, in micros (for ordering).
int128_t IntervalToMicros(const Interval& iv);
// Ordering of intervals by that normalised length.
int CompareIntervals(const Interval& a, const Interval& b);

// ---------------------------------------------------------------- parts

enum class DatePart : uint8_t {
  kMillennium,
  kCentury,
  kDecade,
  kYear,
  kQuarter,
  kMonth,
  kWeek,  // ISO week
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond,
  kDow,     // 0 = Sunday
  kIsoDow,  // 1 = Monday .. 7 = Sunday
  kDoy,     // 1-366
  kIsoYear,
  kEpoch,   // seconds since 1970-01-01
};

// 'year', 'years', 'y', 'month', 'mon', 'day', 'dayofweek', 'dow', ... (case-insensitive).
bool TryParseDatePart(std::string_view name, DatePart* out);
Result<DatePart> ParseDatePart(std::string_view name);
const char* DatePartName(DatePart part);

// The part of a timestamp as an integer (second: whole seconds; millisecond:
// seconds * 1000 + ms, as DuckDB; epoch: whole seconds).
int64_t ExtractPart(DatePart part, int64_t ts);
// Epoch seconds with the fraction.
double ExtractEpoch(int64_t ts);
// The part of an interval (year = months / 12, month = months % 12, day, hour, ...).
int64_t ExtractIntervalPart(DatePart part, const Interval& iv);
// Truncates a timestamp to the start of the part (week: Monday).
int64_t TruncTimestamp(DatePart part, int64_t ts);

// Microseconds since the epoch now, UTC.
int64_t CurrentTimestampMicros();

// ---------------------------------------------------------------- strftime / strptime

// %Y %m %d %H %M %S %f (micros) %g (millis) %y %b %B %a %A %j %p %I %z %Z %%
// %e %w %u %V %G %n %T %D %F %s.
std::string Strftime(int64_t ts, std::string_view format);
// The same specifiers, reading; fails with a message naming text and format.
Result<int64_t> Strptime(std::string_view text, std::string_view format);

}  // namespace alopex
