// Fast text-to-value parsers for the CSV hot loop and the type sniffer. Each
// returns false on text that is not exactly one value of the type (surrounding
// spaces allowed for numbers); the caller builds the error message.
#pragma once

#include <charconv>
#include <cstdint>
#include <string_view>

#include "common/datetime.h"

namespace alopex {
namespace text_parse {

inline std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline bool ParseInt64(const char* p, size_t n, int64_t* out) {
  const char* end = p + n;
  while (p < end && *p == ' ') p++;
  while (end > p && end[-1] == ' ') end--;
  if (p == end) return false;
  bool neg = false;
  if (*p == '-' || *p == '+') {
    neg = *p == '-';
    if (++p == end) return false;
  }
  uint64_t v = 0;
  const char* start = p;
  for (; p < end; p++) {
    unsigned d = unsigned(uint8_t(*p) - '0');
    if (d > 9) return false;
    v = v * 10 + d;
    if (p - start >= 19) return false;  // more than 19 digits
  }
  if (neg) {
    if (v > uint64_t(INT64_MAX) + 1) return false;
    *out = int64_t(0 - v);
  } else {
    if (v > uint64_t(INT64_MAX)) return false;
    *out = int64_t(v);
  }
  return true;
}

inline bool ParseDouble(const char* p, size_t n, double* out) {
  const char* end = p + n;
  while (p < end && *p == ' ') p++;
  while (end > p && end[-1] == ' ') end--;
  if (p == end) return false;
  if (*p == '+') p++;
  auto r = std::from_chars(p, end, *out);
  if (r.ec == std::errc() && r.ptr == end) return true;
  if (r.ec == std::errc::result_out_of_range && r.ptr == end) return true;  // denormal / huge: from_chars leaves *out
  return false;
}

// true/false/t/f/yes/no/y/n/1/0, case-insensitive (DuckDB's BOOLEAN cast).
inline bool ParseBool(const char* p, size_t n, bool* out) {
  std::string_view s = TrimSpaces({p, n});
  auto eq = [&](std::string_view w) {
    if (s.size() != w.size()) return false;
    for (size_t i = 0; i < w.size(); i++)
      if ((s[i] | 0x20) != w[i]) return false;
    return true;
  };
  if (eq("true") || eq("t") || eq("1") || eq("yes") || eq("y")) {
    *out = true;
    return true;
  }
  if (eq("false") || eq("f") || eq("0") || eq("no") || eq("n")) {
    *out = false;
    return true;
  }
  return false;
}

inline int DaysInMonthFast(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2) return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28;
  return kDays[m - 1];
}

// Days since 1970-01-01 (Howard Hinnant's days_from_civil), inlined for the hot loop.
inline int64_t DaysFromCivilFast(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

inline bool Digits2(const char* p, int* out) {
  unsigned a = unsigned(uint8_t(p[0]) - '0'), b = unsigned(uint8_t(p[1]) - '0');
  if (a > 9 || b > 9) return false;
  *out = int(a * 10 + b);
  return true;
}

// Strict ISO 'YYYY-MM-DD' fast path, then the general date syntax.
inline bool ParseDate(const char* p, size_t n, int32_t* out) {
  if (n == 10 && p[4] == '-' && p[7] == '-') {
    int y1, y2, m, d;
    if (Digits2(p, &y1) && Digits2(p + 2, &y2) && Digits2(p + 5, &m) && Digits2(p + 8, &d)) {
      int y = y1 * 100 + y2;
      if (m >= 1 && m <= 12 && d >= 1 && d <= DaysInMonthFast(y, m)) {
        *out = int32_t(DaysFromCivilFast(y, m, d));
        return true;
      }
      return false;
    }
  }
  return TryParseDate(TrimSpaces({p, n}), out);
}

// 'YYYY-MM-DD HH:MM:SS' fast path, then the general timestamp syntax.
inline bool ParseTimestamp(const char* p, size_t n, int64_t* out) {
  if (n == 19 && p[4] == '-' && p[7] == '-' && (p[10] == ' ' || p[10] == 'T') && p[13] == ':' && p[16] == ':') {
    int y1, y2, mo, d, h, mi, s;
    if (Digits2(p, &y1) && Digits2(p + 2, &y2) && Digits2(p + 5, &mo) && Digits2(p + 8, &d) && Digits2(p + 11, &h) &&
        Digits2(p + 14, &mi) && Digits2(p + 17, &s)) {
      int y = y1 * 100 + y2;
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= DaysInMonthFast(y, mo) && h < 24 && mi < 60 && s < 60) {
        *out = DaysFromCivilFast(y, mo, d) * kMicrosPerDay + h * kMicrosPerHour + mi * kMicrosPerMinute +
               s * kMicrosPerSecond;
        return true;
      }
      return false;
    }
  }
  return TryParseTimestamp(TrimSpaces({p, n}), out);
}

}  // namespace text_parse
}  // namespace alopex
