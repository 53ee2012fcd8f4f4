#include "common/datetime.h"

#include "common/text.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

namespace alopex {

namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// DATE covers about +-5.8 million years; keep to a range whose micros fit int64.
constexpr int64_t kMaxYear = 294247;
constexpr int64_t kMinYear = -290307;

// Reads up to `max_digits` digits at s[*pos]; false when there is none.
bool ReadNumber(std::string_view s, size_t* pos, int64_t* out, int max_digits = 18) {
  size_t p = *pos;
  int64_t v = 0;
  int n = 0;
  while (p < s.size() && IsDigit(s[p]) && n < max_digits) {
    v = v * 10 + (s[p] - '0');
    p++;
    n++;
  }
  if (n == 0) return false;
  *pos = p;
  *out = v;
  return true;
}

// Parses 'YYYY-MM-DD' at s[*pos]; leaves *pos after the day.
bool ParseDatePart(std::string_view s, size_t* pos, int64_t* days_out) {
  size_t p = *pos;
  bool negative = false;
  if (p < s.size() && (s[p] == '-' || s[p] == '+')) {
    negative = s[p] == '-';
    p++;
  }
  int64_t year, month, day;
  if (!ReadNumber(s, &p, &year, 7)) return false;
  if (p >= s.size()) return false;
  char sep = s[p];
  if (sep != '-' && sep != '/' && sep != '.' && sep != ' ') return false;
  p++;
  if (!ReadNumber(s, &p, &month, 2)) return false;
  if (p >= s.size() || s[p] != sep) return false;
  p++;
  if (!ReadNumber(s, &p, &day, 2)) return false;
  if (negative) year = -year;
  // ' (BC)': year 1 BC is year 0.
  size_t q = p;
  while (q < s.size() && s[q] == ' ') q++;
  if (s.size() - q >= 4 && s.substr(q, 4) == "(BC)") {
    if (year <= 0) return false;
    year = 1 - year;
    p = q + 4;
  }
  if (!IsValidDate(year, int(month), int(day))) return false;
  *days_out = DaysFromCivil(year, int(month), int(day));
  *pos = p;
  return true;
}

// Parses 'HH:MM[:SS[.ffffff]]' at s[*pos].
bool ParseTimePart(std::string_view s, size_t* pos, int64_t* micros_out, bool allow_24 = true) {
  size_t p = *pos;
  int64_t h, m, sec = 0, frac = 0;
  if (!ReadNumber(s, &p, &h, 2)) return false;
  if (p >= s.size() || s[p] != ':') return false;
  p++;
  if (!ReadNumber(s, &p, &m, 2)) return false;
  if (p < s.size() && s[p] == ':') {
    p++;
    if (!ReadNumber(s, &p, &sec, 2)) return false;
    if (p < s.size() && s[p] == '.') {
      p++;
      int digits = 0;
      int64_t scale = 100000;
      size_t start = p;
      while (p < s.size() && IsDigit(s[p])) {
        if (digits < 6) frac += (s[p] - '0') * scale;
        scale /= 10;
        digits++;
        p++;
      }
      if (p == start) return false;
    }
  }
  if (m >= 60 || sec >= 60) return false;
  if (h > 24 || (h == 24 && (!allow_24 || m != 0 || sec != 0 || frac != 0))) return false;
  *micros_out = h * kMicrosPerHour + m * kMicrosPerMinute + sec * kMicrosPerSecond + frac;
  *pos = p;
  return true;
}

// '+HH', '+HHMM', '+HH:MM', 'Z', ' UTC'; seconds east of UTC.
bool ParseOffset(std::string_view s, size_t* pos, int64_t* offset_micros) {
  size_t p = *pos;
  while (p < s.size() && s[p] == ' ') p++;
  if (p >= s.size()) return false;
  if (s[p] == 'Z' || s[p] == 'z') {
    *offset_micros = 0;
    *pos = p + 1;
    return true;
  }
  if (s.size() - p >= 3 && EqualsIgnoreCase(s.substr(p, 3), "UTC")) {
    *offset_micros = 0;
    *pos = p + 3;
    return true;
  }
  if (s.size() - p >= 3 && EqualsIgnoreCase(s.substr(p, 3), "GMT")) {
    *offset_micros = 0;
    *pos = p + 3;
    return true;
  }
  if (s[p] != '+' && s[p] != '-') return false;
  bool neg = s[p] == '-';
  p++;
  size_t start = p;
  int64_t hh = 0, mm = 0;
  while (p < s.size() && IsDigit(s[p])) p++;
  size_t nd = p - start;
  if (nd == 1 || nd == 2) {
    hh = std::stoi(std::string(s.substr(start, nd)));
    if (p < s.size() && s[p] == ':') {
      p++;
      size_t ms = p;
      while (p < s.size() && IsDigit(s[p])) p++;
      if (p - ms != 2) return false;
      mm = (s[ms] - '0') * 10 + (s[ms + 1] - '0');
    }
  } else if (nd == 4) {
    hh = (s[start] - '0') * 10 + (s[start + 1] - '0');
    mm = (s[start + 2] - '0') * 10 + (s[start + 3] - '0');
  } else {
    return false;
  }
  if (hh > 15 || mm >= 60) return false;
  int64_t off = hh * kMicrosPerHour + mm * kMicrosPerMinute;
  *offset_micros = neg ? -off : off;
  *pos = p;
  return true;
}

size_t WriteDigits(char* buf, int64_t v, int width) {
  // v >= 0; zero-padded to `width`.
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = char('0' + v % 10);
    v /= 10;
  } while (v > 0);
  size_t len = 0;
  for (int i = n; i < width; i++) buf[len++] = '0';
  while (n > 0) buf[len++] = tmp[--n];
  return len;
}

// Fraction of a second without trailing zeros ("789" for 789000).
size_t WriteMicrosFraction(char* buf, int64_t micros) {
  char digits[6];
  int64_t v = micros;
  for (int i = 5; i >= 0; i--) {
    digits[i] = char('0' + v % 10);
    v /= 10;
  }
  int n = 6;
  while (n > 0 && digits[n - 1] == '0') n--;
  std::memcpy(buf, digits, n);
  return size_t(n);
}

}  // namespace

// ---------------------------------------------------------------- civil calendar

bool IsLeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Howard Hinnant's days_from_civil.
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *year = y + (m <= 2);
  *month = int(m);
  *day = int(d);
}

bool IsValidDate(int64_t year, int month, int day) {
  if (year < kMinYear || year > kMaxYear) return false;
  if (month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

// ---------------------------------------------------------------- parsing

bool TryParseDate(std::string_view text, int32_t* out) {
  std::string_view s = TrimAsciiSpace(text);
  size_t p = 0;
  int64_t days;
  if (!ParseDatePart(s, &p, &days)) {
    if (EqualsIgnoreCase(s, "epoch")) {
      *out = 0;
      return true;
    }
    return false;
  }
  if (p < s.size()) {
    // A trailing time (and offset) is accepted and dropped.
    if (s[p] != ' ' && s[p] != 'T') return false;
    p++;
    while (p < s.size() && s[p] == ' ') p++;
    int64_t t;
    if (!ParseTimePart(s, &p, &t)) return false;
    int64_t off;
    if (p < s.size() && !ParseOffset(s, &p, &off)) return false;
    if (p != s.size()) return false;
  }
  *out = int32_t(days);
  return true;
}

bool TryParseTime(std::string_view text, int64_t* out) {
  std::string_view s = TrimAsciiSpace(text);
  size_t p = 0;
  int64_t t;
  if (!ParseTimePart(s, &p, &t)) return false;
  if (p < s.size()) {
    int64_t off;
    if (!ParseOffset(s, &p, &off) || p != s.size()) return false;
  }
  *out = t;
  return true;
}

bool TryParseTimestamp(std::string_view text, int64_t* out) {
  std::string_view s = TrimAsciiSpace(text);
  size_t p = 0;
  int64_t days;
  if (!ParseDatePart(s, &p, &days)) {
    if (EqualsIgnoreCase(s, "epoch")) {
      *out = 0;
      return true;
    }
    return false;
  }
  int64_t t = 0;
  int64_t off = 0;
  if (p < s.size()) {
    if (s[p] == ' ' || s[p] == 'T' || s[p] == 't') {
      size_t q = p + 1;
      while (q < s.size() && s[q] == ' ') q++;
      if (q < s.size() && IsDigit(s[q])) {
        if (!ParseTimePart(s, &q, &t)) return false;
        p = q;
      }
    }
    if (p < s.size()) {
      if (!ParseOffset(s, &p, &off)) return false;
      while (p < s.size() && s[p] == ' ') p++;
      if (p != s.size()) return false;
    }
  }
  int128_t v = int128_t(days) * kMicrosPerDay + t - off;
  if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min()) return false;
  *out = int64_t(v);
  return true;
}

namespace {

enum class IntervalUnit { kMillennium, kCentury, kDecade, kYear, kQuarter, kMonth, kWeek, kDay, kHour, kMinute,
                          kSecond, kMillisecond, kMicrosecond };

bool ParseIntervalUnit(std::string_view u, IntervalUnit* out) {
  std::string w;
  for (char c : u) w += AsciiLower(c);
  struct Entry {
    const char* name;
    IntervalUnit unit;
  };
  static const Entry kUnits[] = {
      {"millennium", IntervalUnit::kMillennium}, {"millennia", IntervalUnit::kMillennium},
      {"millenniums", IntervalUnit::kMillennium}, {"mil", IntervalUnit::kMillennium},
      {"century", IntervalUnit::kCentury},        {"centuries", IntervalUnit::kCentury},
      {"c", IntervalUnit::kCentury},              {"cent", IntervalUnit::kCentury},
      {"decade", IntervalUnit::kDecade},          {"decades", IntervalUnit::kDecade},
      {"dec", IntervalUnit::kDecade},             {"year", IntervalUnit::kYear},
      {"years", IntervalUnit::kYear},             {"y", IntervalUnit::kYear},
      {"yr", IntervalUnit::kYear},                {"yrs", IntervalUnit::kYear},
      {"quarter", IntervalUnit::kQuarter},        {"quarters", IntervalUnit::kQuarter},
      {"month", IntervalUnit::kMonth},            {"months", IntervalUnit::kMonth},
      {"mon", IntervalUnit::kMonth},              {"mons", IntervalUnit::kMonth},
      {"week", IntervalUnit::kWeek},              {"weeks", IntervalUnit::kWeek},
      {"w", IntervalUnit::kWeek},                 {"day", IntervalUnit::kDay},
      {"days", IntervalUnit::kDay},               {"d", IntervalUnit::kDay},
      {"hour", IntervalUnit::kHour},              {"hours", IntervalUnit::kHour},
      {"h", IntervalUnit::kHour},                 {"hr", IntervalUnit::kHour},
      {"hrs", IntervalUnit::kHour},               {"minute", IntervalUnit::kMinute},
      {"minutes", IntervalUnit::kMinute},         {"m", IntervalUnit::kMinute},
      {"min", IntervalUnit::kMinute},             {"mins", IntervalUnit::kMinute},
      {"second", IntervalUnit::kSecond},          {"seconds", IntervalUnit::kSecond},
      {"s", IntervalUnit::kSecond},               {"sec", IntervalUnit::kSecond},
      {"secs", IntervalUnit::kSecond},            {"millisecond", IntervalUnit::kMillisecond},
      {"milliseconds", IntervalUnit::kMillisecond}, {"ms", IntervalUnit::kMillisecond},
      {"msec", IntervalUnit::kMillisecond},       {"msecs", IntervalUnit::kMillisecond},
      {"microsecond", IntervalUnit::kMicrosecond}, {"microseconds", IntervalUnit::kMicrosecond},
      {"us", IntervalUnit::kMicrosecond},         {"usec", IntervalUnit::kMicrosecond},
      {"usecs", IntervalUnit::kMicrosecond},
  };
  for (const auto& e : kUnits)
    if (w == e.name) {
      *out = e.unit;
      return true;
    }
  return false;
}

// Adds `value` (possibly fractional) units to the interval accumulators.
bool AddUnit(IntervalUnit unit, long double value, long double* months, long double* days, long double* micros) {
  switch (unit) {
    case IntervalUnit::kMillennium: *months += value * 12000; break;
    case IntervalUnit::kCentury: *months += value * 1200; break;
    case IntervalUnit::kDecade: *months += value * 120; break;
    case IntervalUnit::kYear: *months += value * 12; break;
    case IntervalUnit::kQuarter: *months += value * 3; break;
    case IntervalUnit::kMonth: *months += value; break;
    case IntervalUnit::kWeek: *days += value * 7; break;
    case IntervalUnit::kDay: *days += value; break;
    case IntervalUnit::kHour: *micros += value * kMicrosPerHour; break;
    case IntervalUnit::kMinute: *micros += value * kMicrosPerMinute; break;
    case IntervalUnit::kSecond: *micros += value * kMicrosPerSecond; break;
    case IntervalUnit::kMillisecond: *micros += value * kMicrosPerMilli; break;
    case IntervalUnit::kMicrosecond: *micros += value; break;
  }
  return true;
}

// Folds fractional months into days and fractional days into micros.
bool FinishInterval(long double months, long double days, long double micros, Interval* out) {
  long double whole_months = months < 0 ? std::ceil(months) : std::floor(months);
  days += (months - whole_months) * 30;
  long double whole_days = days < 0 ? std::ceil(days) : std::floor(days);
  micros += (days - whole_days) * kMicrosPerDay;
  long double m = std::nearbyint(micros);
  if (std::fabs(whole_months) > 2147483647.0L || std::fabs(whole_days) > 2147483647.0L ||
      std::fabs(m) > 9.2e18L)
    return false;
  out->months = int32_t(whole_months);
  out->days = int32_t(whole_days);
  out->micros = int64_t(m);
  return true;
}

bool ParseIsoInterval(std::string_view s, Interval* out) {
  // P[nY][nM][nW][nD][T[nH][nM][nS]]
  size_t p = 1;
  bool in_time = false;
  long double months = 0, days = 0, micros = 0;
  bool any = false;
  while (p < s.size()) {
    char c = s[p];
    if (c == 'T' || c == 't') {
      in_time = true;
      p++;
      continue;
    }
    size_t start = p;
    if (p < s.size() && (s[p] == '-' || s[p] == '+')) p++;
    while (p < s.size() && (IsDigit(s[p]) || s[p] == '.')) p++;
    if (p == start || p >= s.size()) return false;
    long double v = std::strtold(std::string(s.substr(start, p - start)).c_str(), nullptr);
    char u = char(std::toupper(static_cast<unsigned char>(s[p++])));
    any = true;
    if (!in_time) {
      if (u == 'Y') AddUnit(IntervalUnit::kYear, v, &months, &days, &micros);
      else if (u == 'M') AddUnit(IntervalUnit::kMonth, v, &months, &days, &micros);
      else if (u == 'W') AddUnit(IntervalUnit::kWeek, v, &months, &days, &micros);
      else if (u == 'D') AddUnit(IntervalUnit::kDay, v, &months, &days, &micros);
      else return false;
    } else {
      if (u == 'H') AddUnit(IntervalUnit::kHour, v, &months, &days, &micros);
      else if (u == 'M') AddUnit(IntervalUnit::kMinute, v, &months, &days, &micros);
      else if (u == 'S') AddUnit(IntervalUnit::kSecond, v, &months, &days, &micros);
      else return false;
    }
  }
  if (!any) return false;
  return FinishInterval(months, days, micros, out);
}

}  // namespace

bool TryParseInterval(std::string_view text, Interval* out) {
  std::string_view s = TrimAsciiSpace(text);
  if (s.empty()) return false;
  if ((s[0] == 'P' || s[0] == 'p') && s.size() > 1 && (IsDigit(s[1]) || s[1] == 'T' || s[1] == 't' || s[1] == '-'))
    return ParseIsoInterval(s, out);
  long double months = 0, days = 0, micros = 0;
  size_t p = 0;
  bool any = false;
  while (p < s.size()) {
    while (p < s.size() && (IsAsciiSpace(s[p]) || s[p] == ',')) p++;
    if (p >= s.size()) break;
    // "ago" negates everything so far.
    if (s.size() - p >= 3 && EqualsIgnoreCase(s.substr(p, 3), "ago") &&
        (s.size() - p == 3 || IsAsciiSpace(s[p + 3]))) {
      if (!any) return false;
      months = -months;
      days = -days;
      micros = -micros;
      p += 3;
      continue;
    }
    bool negative = false;
    if (s[p] == '-' || s[p] == '+') {
      negative = s[p] == '-';
      p++;
    }
    // A time "HH:MM[:SS[.f]]".
    size_t q = p;
    while (q < s.size() && IsDigit(s[q])) q++;
    if (q < s.size() && s[q] == ':' && q > p) {
      int64_t h, m, sec = 0;
      size_t r = p;
      ReadNumber(s, &r, &h, 10);
      r++;
      if (!ReadNumber(s, &r, &m, 2)) return false;
      long double frac = 0;
      if (r < s.size() && s[r] == ':') {
        r++;
        if (!ReadNumber(s, &r, &sec, 2)) return false;
        if (r < s.size() && s[r] == '.') {
          size_t fs = r;
          r++;
          while (r < s.size() && IsDigit(s[r])) r++;
          frac = std::strtold(std::string(s.substr(fs, r - fs)).c_str(), nullptr);
        }
      }
      if (m >= 60 || sec >= 60) return false;
      long double t = (long double)h * kMicrosPerHour + m * kMicrosPerMinute + sec * kMicrosPerSecond +
                      std::nearbyint(frac * kMicrosPerSecond);
      micros += negative ? -t : t;
      p = r;
      any = true;
      continue;
    }
    // A number, then a unit.
    size_t num_start = p;
    while (p < s.size() && (IsDigit(s[p]) || s[p] == '.')) p++;
    if (p == num_start) return false;
    long double v = std::strtold(std::string(s.substr(num_start, p - num_start)).c_str(), nullptr);
    if (negative) v = -v;
    while (p < s.size() && IsAsciiSpace(s[p])) p++;
    size_t us = p;
    while (p < s.size() && std::isalpha(static_cast<unsigned char>(s[p]))) p++;
    IntervalUnit unit;
    if (p == us) {
      // A bare number is seconds (as in INTERVAL '30').
      if (p < s.size()) return false;
      unit = IntervalUnit::kSecond;
    } else if (!ParseIntervalUnit(s.substr(us, p - us), &unit)) {
      return false;
    }
    AddUnit(unit, v, &months, &days, &micros);
    any = true;
  }
  if (!any) return false;
  return FinishInterval(months, days, micros, out);
}

Result<int32_t> ParseDate(std::string_view text) {
  int32_t d;
  if (!TryParseDate(text, &d))
    return Status::ConversionError("invalid date field format: \"" + std::string(text) +
                                   "\", expected format is (YYYY-MM-DD)");
  return d;
}

Result<int64_t> ParseTime(std::string_view text) {
  int64_t t;
  if (!TryParseTime(text, &t))
    return Status::ConversionError("invalid time field format: \"" + std::string(text) +
                                   "\", expected format is ([YYYY-MM-DD ]HH:MM:SS[.US])");
  return t;
}

Result<int64_t> ParseTimestamp(std::string_view text) {
  int64_t t;
  if (!TryParseTimestamp(text, &t))
    return Status::ConversionError("invalid timestamp field format: \"" + std::string(text) +
                                   "\", expected format is (YYYY-MM-DD HH:MM:SS[.US][±HH:MM| ZONE])");
  return t;
}

Result<Interval> ParseInterval(std::string_view text) {
  Interval iv;
  if (!TryParseInterval(text, &iv))
    return Status::ConversionError("Could not convert string '" + std::string(text) + "' to INTERVAL");
  return iv;
}

// ---------------------------------------------------------------- formatting

size_t FormatDateTo(int32_t days, char* buf) {
  int64_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  bool bc = y <= 0;
  if (bc) y = 1 - y;
  size_t n = WriteDigits(buf, y, 4);
  buf[n++] = '-';
  n += WriteDigits(buf + n, m, 2);
  buf[n++] = '-';
  n += WriteDigits(buf + n, d, 2);
  if (bc) {
    std::memcpy(buf + n, " (BC)", 5);
    n += 5;
  }
  return n;
}

size_t FormatTimeTo(int64_t micros, char* buf) {
  int64_t h = micros / kMicrosPerHour;
  micros -= h * kMicrosPerHour;
  int64_t m = micros / kMicrosPerMinute;
  micros -= m * kMicrosPerMinute;
  int64_t s = micros / kMicrosPerSecond;
  micros -= s * kMicrosPerSecond;
  size_t n = WriteDigits(buf, h, 2);
  buf[n++] = ':';
  n += WriteDigits(buf + n, m, 2);
  buf[n++] = ':';
  n += WriteDigits(buf + n, s, 2);
  if (micros != 0) {
    buf[n++] = '.';
    n += WriteMicrosFraction(buf + n, micros);
  }
  return n;
}

size_t FormatTimestampTo(int64_t ts, char* buf) {
  int64_t days, t;
  SplitTimestamp(ts, &days, &t);
  // Years BC put the marker after the time, as DuckDB does.
  int64_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  bool bc = y <= 0;
  size_t n;
  if (bc) {
    n = WriteDigits(buf, 1 - y, 4);
    buf[n++] = '-';
    n += WriteDigits(buf + n, m, 2);
    buf[n++] = '-';
    n += WriteDigits(buf + n, d, 2);
  } else {
    n = FormatDateTo(int32_t(days), buf);
  }
  buf[n++] = ' ';
  n += FormatTimeTo(t, buf + n);
  if (bc) {
    std::memcpy(buf + n, " (BC)", 5);
    n += 5;
  }
  return n;
}

size_t FormatTimestampTzTo(int64_t ts, char* buf) {
  size_t n = FormatTimestampTo(ts, buf);
  buf[n++] = '+';
  buf[n++] = '0';
  buf[n++] = '0';
  return n;
}

namespace {
size_t WriteIntervalValue(char* buf, size_t n, int64_t value, const char* name) {
  if (value == 0) return n;
  if (n != 0) buf[n++] = ' ';
  if (value < 0) {
    buf[n++] = '-';
    n += WriteDigits(buf + n, -value, 1);
  } else {
    n += WriteDigits(buf + n, value, 1);
  }
  size_t len = std::strlen(name);
  std::memcpy(buf + n, name, len);
  n += len;
  if (value != 1 && value != -1) buf[n++] = 's';
  return n;
}
}  // namespace

size_t FormatIntervalTo(const Interval& iv, char* buf) {
  size_t n = 0;
  if (iv.months != 0) {
    int64_t years = iv.months / 12;
    int64_t months = iv.months - years * 12;
    n = WriteIntervalValue(buf, n, years, " year");
    n = WriteIntervalValue(buf, n, months, " month");
  }
  if (iv.days != 0) n = WriteIntervalValue(buf, n, iv.days, " day");
  if (iv.micros != 0) {
    if (n != 0) buf[n++] = ' ';
    uint64_t micros;
    if (iv.micros < 0) {
      buf[n++] = '-';
      micros = uint64_t(0) - uint64_t(iv.micros);
    } else {
      micros = uint64_t(iv.micros);
    }
    uint64_t h = micros / kMicrosPerHour;
    micros -= h * kMicrosPerHour;
    uint64_t m = micros / kMicrosPerMinute;
    micros -= m * kMicrosPerMinute;
    uint64_t s = micros / kMicrosPerSecond;
    micros -= s * kMicrosPerSecond;
    n += WriteDigits(buf + n, int64_t(h), 2);
    buf[n++] = ':';
    n += WriteDigits(buf + n, int64_t(m), 2);
    buf[n++] = ':';
    n += WriteDigits(buf + n, int64_t(s), 2);
    if (micros != 0) {
      buf[n++] = '.';
      n += WriteMicrosFraction(buf + n, int64_t(micros));
    }
  } else if (n == 0) {
    std::memcpy(buf, "00:00:00", 8);
    return 8;
  }
  return n;
}

std::string FormatDate(int32_t days) {
  char buf[kMaxTemporalText];
  return std::string(buf, FormatDateTo(days, buf));
}
std::string FormatTime(int64_t micros) {
  char buf[kMaxTemporalText];
  return std::string(buf, FormatTimeTo(micros, buf));
}
std::string FormatTimestamp(int64_t micros) {
  char buf[kMaxTemporalText];
  return std::string(buf, FormatTimestampTo(micros, buf));
}
std::string FormatTimestampTz(int64_t micros) {
  char buf[kMaxTemporalText];
  return std::string(buf, FormatTimestampTzTo(micros, buf));
}
std::string FormatInterval(const Interval& iv) {
  char buf[kMaxTemporalText * 2];
  return std::string(buf, FormatIntervalTo(iv, buf));
}

// ---------------------------------------------------------------- arithmetic

bool TryAddMonthsToDate(int32_t date, int64_t months, int32_t* out) {
  int64_t y;
  int m, d;
  CivilFromDays(date, &y, &m, &d);
  int64_t total = y * 12 + (m - 1) + months;
  int64_t ny = FloorDiv(total, 12);
  int nm = int(FloorMod(total, 12)) + 1;
  if (ny < kMinYear || ny > kMaxYear) return false;
  int nd = std::min(d, DaysInMonth(ny, nm));
  *out = int32_t(DaysFromCivil(ny, nm, nd));
  return true;
}

bool TryAddInterval(int64_t ts, const Interval& iv, int64_t* out) {
  int64_t days, t;
  SplitTimestamp(ts, &days, &t);
  if (iv.months != 0) {
    int32_t nd;
    if (!TryAddMonthsToDate(int32_t(days), iv.months, &nd)) return false;
    days = nd;
  }
  int128_t v = (int128_t(days) + iv.days) * kMicrosPerDay + t + iv.micros;
  if (v > std::numeric_limits<int64_t>::max() || v < std::numeric_limits<int64_t>::min()) return false;
  *out = int64_t(v);
  return true;
}

Interval SubtractTimestamps(int64_t a, int64_t b) {
  int128_t delta = int128_t(a) - b;
  Interval iv;
  iv.days = int32_t(delta / kMicrosPerDay);
  iv.micros = int64_t(delta % kMicrosPerDay);
  return iv;
}

int128_t IntervalToMicros(const Interval& iv) {
  return (int128_t(iv.months) * 30 + iv.days) * kMicrosPerDay + iv.micros;
}

int CompareIntervals(const Interval& a, const Interval& b) {
  int128_t x = IntervalToMicros(a), y = IntervalToMicros(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

// ---------------------------------------------------------------- parts

bool TryParseDatePart(std::string_view name, DatePart* out) {
  std::string w;
  for (char c : TrimAsciiSpace(name)) w += AsciiLower(c);
  struct Entry {
    const char* name;
    DatePart part;
  };
  static const Entry kParts[] = {
      {"millennium", DatePart::kMillennium}, {"millennia", DatePart::kMillennium}, {"millenniums", DatePart::kMillennium},
      {"mil", DatePart::kMillennium},        {"century", DatePart::kCentury},      {"centuries", DatePart::kCentury},
      {"cent", DatePart::kCentury},          {"c", DatePart::kCentury},            {"decade", DatePart::kDecade},
      {"decades", DatePart::kDecade},        {"dec", DatePart::kDecade},           {"year", DatePart::kYear},
      {"years", DatePart::kYear},            {"y", DatePart::kYear},               {"yr", DatePart::kYear},
      {"yrs", DatePart::kYear},              {"quarter", DatePart::kQuarter},      {"quarters", DatePart::kQuarter},
      {"month", DatePart::kMonth},           {"months", DatePart::kMonth},         {"mon", DatePart::kMonth},
      {"mons", DatePart::kMonth},            {"week", DatePart::kWeek},            {"weeks", DatePart::kWeek},
      {"w", DatePart::kWeek},                {"weekofyear", DatePart::kWeek},      {"day", DatePart::kDay},
      {"days", DatePart::kDay},              {"d", DatePart::kDay},                {"dayofmonth", DatePart::kDay},
      {"hour", DatePart::kHour},             {"hours", DatePart::kHour},           {"h", DatePart::kHour},
      {"hr", DatePart::kHour},               {"hrs", DatePart::kHour},             {"minute", DatePart::kMinute},
      {"minutes", DatePart::kMinute},        {"m", DatePart::kMinute},             {"min", DatePart::kMinute},
      {"mins", DatePart::kMinute},           {"second", DatePart::kSecond},        {"seconds", DatePart::kSecond},
      {"s", DatePart::kSecond},              {"sec", DatePart::kSecond},           {"secs", DatePart::kSecond},
      {"millisecond", DatePart::kMillisecond}, {"milliseconds", DatePart::kMillisecond}, {"ms", DatePart::kMillisecond},
      {"msec", DatePart::kMillisecond},      {"msecs", DatePart::kMillisecond},    {"microsecond", DatePart::kMicrosecond},
      {"microseconds", DatePart::kMicrosecond}, {"us", DatePart::kMicrosecond},  {"usec", DatePart::kMicrosecond},
      {"usecs", DatePart::kMicrosecond},     {"dow", DatePart::kDow},              {"dayofweek", DatePart::kDow},
      {"weekday", DatePart::kDow},           {"isodow", DatePart::kIsoDow},        {"doy", DatePart::kDoy},
      {"dayofyear", DatePart::kDoy},         {"isoyear", DatePart::kIsoYear},      {"epoch", DatePart::kEpoch},
  };
  for (const auto& e : kParts)
    if (w == e.name) {
      *out = e.part;
      return true;
    }
  return false;
}

Result<DatePart> ParseDatePart(std::string_view name) {
  DatePart p;
  if (!TryParseDatePart(name, &p))
    return Status::InvalidArgument("unknown date part \"" + std::string(name) +
                                   "\"; expected one of year, quarter, month, week, day, hour, minute, second, "
                                   "millisecond, microsecond, dow, isodow, doy, isoyear, epoch, decade, century, "
                                   "millennium");
  return p;
}

const char* DatePartName(DatePart part) {
  switch (part) {
    case DatePart::kMillennium: return "millennium";
    case DatePart::kCentury: return "century";
    case DatePart::kDecade: return "decade";
    case DatePart::kYear: return "year";
    case DatePart::kQuarter: return "quarter";
    case DatePart::kMonth: return "month";
    case DatePart::kWeek: return "week";
    case DatePart::kDay: return "day";
    case DatePart::kHour: return "hour";
    case DatePart::kMinute: return "minute";
    case DatePart::kSecond: return "second";
    case DatePart::kMillisecond: return "millisecond";
    case DatePart::kMicrosecond: return "microsecond";
    case DatePart::kDow: return "dow";
    case DatePart::kIsoDow: return "isodow";
    case DatePart::kDoy: return "doy";
    case DatePart::kIsoYear: return "isoyear";
    case DatePart::kEpoch: return "epoch";
  }
  return "?";
}

namespace {

// ISO weekday 1 (Monday) .. 7 (Sunday) of a day number (1970-01-01 was a Thursday).
int IsoDow(int64_t days) { return int(FloorMod(days + 3, 7)) + 1; }

// ISO 8601 week number and week-based year.
void IsoWeek(int64_t days, int64_t* iso_year, int* week) {
  // The Thursday of this week decides the year.
  int64_t thursday = days - (IsoDow(days) - 1) + 3;
  int64_t y;
  int m, d;
  CivilFromDays(thursday, &y, &m, &d);
  int64_t jan1 = DaysFromCivil(y, 1, 1);
  *iso_year = y;
  *week = int((thursday - jan1) / 7) + 1;
}

}  // namespace

int64_t ExtractPart(DatePart part, int64_t ts) {
  int64_t days, t;
  SplitTimestamp(ts, &days, &t);
  int64_t y;
  int m, d;
  switch (part) {
    case DatePart::kHour: return t / kMicrosPerHour;
    case DatePart::kMinute: return (t / kMicrosPerMinute) % 60;
    case DatePart::kSecond: return (t / kMicrosPerSecond) % 60;
    case DatePart::kMillisecond: return (t % kMicrosPerMinute) / kMicrosPerMilli;
    case DatePart::kMicrosecond: return t % kMicrosPerMinute;
    case DatePart::kEpoch: return FloorDiv(ts, kMicrosPerSecond);
    case DatePart::kDow: return IsoDow(days) % 7;
    case DatePart::kIsoDow: return IsoDow(days);
    case DatePart::kWeek: {
      int64_t iy;
      int w;
      IsoWeek(days, &iy, &w);
      return w;
    }
    case DatePart::kIsoYear: {
      int64_t iy;
      int w;
      IsoWeek(days, &iy, &w);
      return iy;
    }
    default: break;
  }
  CivilFromDays(days, &y, &m, &d);
  switch (part) {
    case DatePart::kYear: return y;
    case DatePart::kMonth: return m;
    case DatePart::kDay: return d;
    case DatePart::kQuarter: return (m - 1) / 3 + 1;
    case DatePart::kDoy: return days - DaysFromCivil(y, 1, 1) + 1;
    case DatePart::kDecade: return FloorDiv(y, 10);
    case DatePart::kCentury: return y > 0 ? (y - 1) / 100 + 1 : -((-y) / 100 + 1);
    case DatePart::kMillennium: return y > 0 ? (y - 1) / 1000 + 1 : -((-y) / 1000 + 1);
    default: return 0;
  }
}

double ExtractEpoch(int64_t ts) { return double(ts) / double(kMicrosPerSecond); }

int64_t ExtractIntervalPart(DatePart part, const Interval& iv) {
  switch (part) {
    case DatePart::kMillennium: return iv.months / 12000;
    case DatePart::kCentury: return iv.months / 1200;
    case DatePart::kDecade: return iv.months / 120;
    case DatePart::kYear: case DatePart::kIsoYear: return iv.months / 12;
    case DatePart::kQuarter: return (iv.months % 12) / 3 + 1;
    case DatePart::kMonth: return iv.months % 12;
    case DatePart::kWeek: return iv.days / 7;
    case DatePart::kDay: return iv.days;
    case DatePart::kHour: return iv.micros / kMicrosPerHour;
    case DatePart::kMinute: return (iv.micros % kMicrosPerHour) / kMicrosPerMinute;
    case DatePart::kSecond: return (iv.micros % kMicrosPerMinute) / kMicrosPerSecond;
    case DatePart::kMillisecond: return (iv.micros % kMicrosPerMinute) / kMicrosPerMilli;
    case DatePart::kMicrosecond: return iv.micros % kMicrosPerMinute;
    case DatePart::kEpoch:
      return int64_t(IntervalToMicros(Interval{iv.months, iv.days, 0}) / kMicrosPerSecond) +
             iv.micros / kMicrosPerSecond;
    default: return 0;
  }
}

int64_t TruncTimestamp(DatePart part, int64_t ts) {
  int64_t days, t;
  SplitTimestamp(ts, &days, &t);
  int64_t y;
  int m, d;
  switch (part) {
    case DatePart::kMicrosecond: return ts;
    case DatePart::kMillisecond: return ts - FloorMod(ts, kMicrosPerMilli);
    case DatePart::kSecond: return ts - FloorMod(ts, kMicrosPerSecond);
    case DatePart::kMinute: return ts - FloorMod(ts, kMicrosPerMinute);
    case DatePart::kHour: return ts - FloorMod(ts, kMicrosPerHour);
    case DatePart::kDay: case DatePart::kDow: case DatePart::kIsoDow: case DatePart::kDoy:
      return days * kMicrosPerDay;
    case DatePart::kWeek: return (days - (IsoDow(days) - 1)) * kMicrosPerDay;
    case DatePart::kIsoYear: {
      int64_t iy;
      int w;
      IsoWeek(days, &iy, &w);
      int64_t monday = days - (IsoDow(days) - 1) - int64_t(w - 1) * 7;
      return monday * kMicrosPerDay;
    }
    case DatePart::kEpoch: return ts - FloorMod(ts, kMicrosPerSecond);
    default: break;
  }
  CivilFromDays(days, &y, &m, &d);
  switch (part) {
    case DatePart::kMonth: return DaysFromCivil(y, m, 1) * kMicrosPerDay;
    case DatePart::kQuarter: return DaysFromCivil(y, ((m - 1) / 3) * 3 + 1, 1) * kMicrosPerDay;
    case DatePart::kYear: return DaysFromCivil(y, 1, 1) * kMicrosPerDay;
    case DatePart::kDecade: return DaysFromCivil(FloorDiv(y, 10) * 10, 1, 1) * kMicrosPerDay;
    case DatePart::kCentury: {
      int64_t c = y > 0 ? ((y - 1) / 100) * 100 + 1 : -((-y) / 100) * 100 - 99;
      return DaysFromCivil(c, 1, 1) * kMicrosPerDay;
    }
    case DatePart::kMillennium: {
      int64_t c = y > 0 ? ((y - 1) / 1000) * 1000 + 1 : -((-y) / 1000) * 1000 - 999;
      return DaysFromCivil(c, 1, 1) * kMicrosPerDay;
    }
    default: return ts;
  }
}

int64_t CurrentTimestampMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

// ---------------------------------------------------------------- strftime / strptime

namespace {
const char* const kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
const char* const kDayNames[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

void Pad(std::string* out, int64_t v, int width, char fill = '0') {
  bool neg = v < 0;
  std::string s = std::to_string(neg ? -v : v);
  if (neg) out->push_back('-');
  for (int i = int(s.size()); i < width; i++) out->push_back(fill);
  *out += s;
}
}  // namespace

std::string Strftime(int64_t ts, std::string_view fmt) {
  int64_t days, t;
  SplitTimestamp(ts, &days, &t);
  int64_t y;
  int m, d;
  CivilFromDays(days, &y, &m, &d);
  int64_t hour = t / kMicrosPerHour, minute = (t / kMicrosPerMinute) % 60, sec = (t / kMicrosPerSecond) % 60;
  int64_t micros = t % kMicrosPerSecond;
  int dow = IsoDow(days) % 7;
  std::string out;
  for (size_t i = 0; i < fmt.size(); i++) {
    char c = fmt[i];
    if (c != '%' || i + 1 >= fmt.size()) {
      out.push_back(c);
      continue;
    }
    char spec = fmt[++i];
    // %-d style: no padding.
    bool no_pad = false;
    if (spec == '-' && i + 1 < fmt.size()) {
      no_pad = true;
      spec = fmt[++i];
    }
    int w2 = no_pad ? 1 : 2;
    switch (spec) {
      case 'Y': Pad(&out, y, no_pad ? 1 : 4); break;
      case 'y': Pad(&out, FloorMod(y, 100), w2); break;
      case 'm': Pad(&out, m, w2); break;
      case 'd': Pad(&out, d, w2); break;
      case 'e': Pad(&out, d, 2, ' '); break;
      case 'H': Pad(&out, hour, w2); break;
      case 'I': Pad(&out, hour % 12 == 0 ? 12 : hour % 12, w2); break;
      case 'M': Pad(&out, minute, w2); break;
      case 'S': Pad(&out, sec, w2); break;
      case 'f': Pad(&out, micros, 6); break;
      case 'g': Pad(&out, micros / 1000, 3); break;
      case 'n': Pad(&out, micros * 1000, 9); break;
      case 'p': out += hour < 12 ? "AM" : "PM"; break;
      case 'b': case 'h': out.append(kMonthNames[m - 1], 3); break;
      case 'B': out += kMonthNames[m - 1]; break;
      case 'a': out.append(kDayNames[dow], 3); break;
      case 'A': out += kDayNames[dow]; break;
      case 'w': Pad(&out, dow, 1); break;
      case 'u': Pad(&out, IsoDow(days), 1); break;
      case 'j': Pad(&out, days - DaysFromCivil(y, 1, 1) + 1, no_pad ? 1 : 3); break;
      case 'V': {
        int64_t iy;
        int w;
        IsoWeek(days, &iy, &w);
        Pad(&out, w, w2);
        break;
      }
      case 'G': {
        int64_t iy;
        int w;
        IsoWeek(days, &iy, &w);
        Pad(&out, iy, 4);
        break;
      }
      case 'U': {
        int64_t doy = days - DaysFromCivil(y, 1, 1);
        Pad(&out, (doy + 7 - dow) / 7, w2);
        break;
      }
      case 'W': {
        int64_t doy = days - DaysFromCivil(y, 1, 1);
        Pad(&out, (doy + 7 - (dow + 6) % 7) / 7, w2);
        break;
      }
      case 'z': out += "+00"; break;
      case 'Z': out += "UTC"; break;
      case 's': out += std::to_string(FloorDiv(ts, kMicrosPerSecond)); break;
      case 'F': out += FormatDate(int32_t(days)); break;
      case 'D': Pad(&out, m, 2); out += '/'; Pad(&out, d, 2); out += '/'; Pad(&out, FloorMod(y, 100), 2); break;
      case 'T': Pad(&out, hour, 2); out += ':'; Pad(&out, minute, 2); out += ':'; Pad(&out, sec, 2); break;
      case 'c': out += FormatTimestamp(ts - micros); break;
      case 'x': out += FormatDate(int32_t(days)); break;
      case 'X': Pad(&out, hour, 2); out += ':'; Pad(&out, minute, 2); out += ':'; Pad(&out, sec, 2); break;
      case '%': out.push_back('%'); break;
      default: out.push_back('%'); out.push_back(spec); break;
    }
  }
  return out;
}

Result<int64_t> Strptime(std::string_view text, std::string_view fmt) {
  auto fail = [&](const std::string& why) -> Status {
    return Status::InvalidArgument("Could not parse string \"" + std::string(text) + "\" according to format specifier \"" +
                                   std::string(fmt) + "\": " + why);
  };
  int64_t y = 1900, m = 1, d = 1, hour = 0, minute = 0, sec = 0, micros = 0, offset = 0;
  bool pm = false, has_ampm = false;
  int64_t epoch = 0;
  bool has_epoch = false;
  size_t p = 0;
  auto read_num = [&](int max_digits, int64_t* out) -> bool {
    bool neg = false;
    if (p < text.size() && (text[p] == '-' || text[p] == '+') && max_digits > 4) {
      neg = text[p] == '-';
      p++;
    }
    while (p < text.size() && text[p] == ' ' && max_digits <= 2) p++;
    if (!ReadNumber(text, &p, out, max_digits)) return false;
    if (neg) *out = -*out;
    return true;
  };
  for (size_t i = 0; i < fmt.size(); i++) {
    char c = fmt[i];
    if (c != '%' || i + 1 >= fmt.size()) {
      if (IsAsciiSpace(c)) {
        while (p < text.size() && IsAsciiSpace(text[p])) p++;
        continue;
      }
      if (p >= text.size() || text[p] != c)
        return fail("literal \"" + std::string(1, c) + "\" expected at position " + std::to_string(p));
      p++;
      continue;
    }
    char spec = fmt[++i];
    if (spec == '-' && i + 1 < fmt.size()) spec = fmt[++i];
    int64_t v = 0;
    switch (spec) {
      case 'Y': if (!read_num(6, &y)) return fail("year expected"); break;
      case 'G': if (!read_num(6, &y)) return fail("year expected"); break;
      case 'y':
        if (!read_num(2, &v)) return fail("year expected");
        y = v < 69 ? 2000 + v : 1900 + v;
        break;
      case 'm': if (!read_num(2, &m)) return fail("month expected"); break;
      case 'd': case 'e': if (!read_num(2, &d)) return fail("day expected"); break;
      case 'H': if (!read_num(2, &hour)) return fail("hour expected"); break;
      case 'I': if (!read_num(2, &hour)) return fail("hour expected"); break;
      case 'M': if (!read_num(2, &minute)) return fail("minute expected"); break;
      case 'S': if (!read_num(2, &sec)) return fail("second expected"); break;
      case 'j': {
        if (!read_num(3, &v)) return fail("day of year expected");
        m = 1;
        d = v;
        break;
      }
      case 'f': case 'g': case 'n': {
        size_t start = p;
        int64_t frac = 0, scale = 100000;
        while (p < text.size() && IsDigit(text[p])) {
          if (p - start < 6) frac += (text[p] - '0') * scale;
          scale /= 10;
          p++;
        }
        if (p == start) return fail("fraction expected");
        micros = frac;
        break;
      }
      case 'p': {
        if (text.size() - p < 2) return fail("AM/PM expected");
        std::string_view ap = text.substr(p, 2);
        if (EqualsIgnoreCase(ap, "PM")) pm = true;
        else if (!EqualsIgnoreCase(ap, "AM")) return fail("AM/PM expected");
        has_ampm = true;
        p += 2;
        break;
      }
      case 'b': case 'h': case 'B': {
        bool found = false;
        for (int k = 0; k < 12 && !found; k++) {
          std::string_view full = kMonthNames[k];
          if (text.size() - p >= full.size() && EqualsIgnoreCase(text.substr(p, full.size()), full)) {
            m = k + 1;
            p += full.size();
            found = true;
          } else if (text.size() - p >= 3 && EqualsIgnoreCase(text.substr(p, 3), full.substr(0, 3))) {
            m = k + 1;
            p += 3;
            found = true;
          }
        }
        if (!found) return fail("month name expected at position " + std::to_string(p));
        break;
      }
      case 'a': case 'A': {
        bool found = false;
        for (int k = 0; k < 7 && !found; k++) {
          std::string_view full = kDayNames[k];
          if (text.size() - p >= full.size() && EqualsIgnoreCase(text.substr(p, full.size()), full)) {
            p += full.size();
            found = true;
          } else if (text.size() - p >= 3 && EqualsIgnoreCase(text.substr(p, 3), full.substr(0, 3))) {
            p += 3;
            found = true;
          }
        }
        if (!found) return fail("weekday name expected at position " + std::to_string(p));
        break;
      }
      case 'z': {
        if (!ParseOffset(text, &p, &offset)) return fail("UTC offset expected at position " + std::to_string(p));
        break;
      }
      case 'Z': {
        while (p < text.size() && !IsAsciiSpace(text[p])) p++;
        break;
      }
      case 's': {
        if (!read_num(18, &epoch)) return fail("epoch seconds expected");
        has_epoch = true;
        break;
      }
      case 'F': {
        int64_t days;
        if (!ParseDatePart(text, &p, &days)) return fail("date expected");
        int mm, dd;
        CivilFromDays(days, &y, &mm, &dd);
        m = mm;
        d = dd;
        break;
      }
      case 'T': {
        int64_t tm;
        if (!ParseTimePart(text, &p, &tm)) return fail("time expected");
        hour = tm / kMicrosPerHour;
        minute = (tm / kMicrosPerMinute) % 60;
        sec = (tm / kMicrosPerSecond) % 60;
        micros = tm % kMicrosPerSecond;
        break;
      }
      case '%':
        if (p >= text.size() || text[p] != '%') return fail("'%' expected");
        p++;
        break;
      default:
        return fail(std::string("unsupported specifier %") + spec);
    }
  }
  if (p != text.size()) return fail("trailing characters at position " + std::to_string(p));
  if (has_epoch) return epoch * kMicrosPerSecond;
  if (has_ampm) {
    if (hour < 1 || hour > 12) return fail("hour out of range for %p");
    hour = hour % 12 + (pm ? 12 : 0);
  }
  int64_t base_days;
  if (m == 1 && d > 31) {  // %j
    if (d < 1 || d > (IsLeapYear(y) ? 366 : 365)) return fail("day of year out of range");
    base_days = DaysFromCivil(y, 1, 1) + d - 1;
  } else {
    if (!IsValidDate(y, int(m), int(d))) return fail("date out of range");
    base_days = DaysFromCivil(y, int(m), int(d));
  }
  if (hour > 23 || minute > 59 || sec > 59) return fail("time out of range");
  return base_days * kMicrosPerDay + hour * kMicrosPerHour + minute * kMicrosPerMinute + sec * kMicrosPerSecond +
         micros - offset;
}

}  // namespace alopex
