#include "io/hive_partition.h"

#include <charconv>
#include <cstdlib>

namespace alopex {

namespace {

constexpr std::string_view kDefaultPartition = "__HIVE_DEFAULT_PARTITION__";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseInt64(std::string_view s, int64_t* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int32_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return int32_t(era * 146097 + int64_t(doe) - 719468);
}

bool ParseIsoDate(std::string_view s, int32_t* days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  unsigned m = unsigned((s[5] - '0') * 10 + (s[6] - '0'));
  unsigned d = unsigned((s[8] - '0') * 10 + (s[9] - '0'));
  static const unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return false;
  *days = DaysFromCivil(y, m, d);
  return true;
}

}  // namespace

std::string UrlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && HexDigit(s[i + 1]) >= 0 && HexDigit(s[i + 2]) >= 0) {
      out += char(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string UrlEncodePartitionValue(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool escape = c < 0x20 || c == 0x7f || c == '"' || c == '#' || c == '%' || c == '\'' || c == '*' || c == '/' ||
                  c == ':' || c == '=' || c == '?' || c == '\\' || c == '{' || c == '[' || c == ']' || c == '^' ||
                  c == ' ';
    if (escape) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += char(c);
    }
  }
  return out;
}

std::vector<HivePartition> ParseHivePartitions(std::string_view path) {
  std::vector<HivePartition> out;
  size_t scheme = path.find("://");
  if (scheme != std::string_view::npos) path.remove_prefix(scheme + 3);
  size_t last_slash = path.find_last_of('/');
  if (last_slash == std::string_view::npos) return out;
  path = path.substr(0, last_slash);
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    size_t eq = seg.find('=');
    if (eq != std::string_view::npos && eq > 0) {
      HivePartition p;
      p.key = UrlDecode(seg.substr(0, eq));
      std::string_view raw = seg.substr(eq + 1);
      if (raw != kDefaultPartition) p.value = UrlDecode(raw);
      bool replaced = false;
      for (auto& existing : out) {
        if (existing.key == p.key) {
          existing.value = p.value;
          replaced = true;
        }
      }
      if (!replaced) out.push_back(std::move(p));
    }
    i = j + 1;
  }
  return out;
}

LogicalType InferHivePartitionType(const std::vector<std::optional<std::string>>& values) {
  bool all_int = true, all_num = true, all_date = true, any = false;
  for (const auto& v : values) {
    if (!v) continue;
    any = true;
    int64_t i;
    double d;
    int32_t days;
    if (all_int && !ParseInt64(*v, &i)) all_int = false;
    if (all_num && !all_int && !ParseDouble(*v, &d)) all_num = false;
    if (all_date && !ParseIsoDate(*v, &days)) all_date = false;
    if (!all_num && !all_date) break;
  }
  if (!any) return TypeId::kVarchar;
  if (all_int) return TypeId::kBigInt;
  if (all_num) return TypeId::kDouble;
  if (all_date) return TypeId::kDate;
  return TypeId::kVarchar;
}

Result<Value> HivePartitionValue(const HivePartition& partition, const LogicalType& type) {
  if (!partition.value) return Value::Null(type);
  const std::string& s = *partition.value;
  auto bad = [&]() {
    return Status::ConversionError("partition " + partition.key + "=" + s + ": could not convert \"" + s + "\" to " +
                                   type.ToString());
  };
  switch (type.id()) {
    case TypeId::kBigInt: {
      int64_t i;
      if (!ParseInt64(s, &i)) return bad();
      return Value::BigInt(i);
    }
    case TypeId::kDouble: {
      double d;
      if (!ParseDouble(s, &d)) return bad();
      return Value::Double(d);
    }
    case TypeId::kDate: {
      int32_t days;
      if (!ParseIsoDate(s, &days)) return bad();
      return Value::Date(days);
    }
    case TypeId::kVarchar:
      return Value::Varchar(s);
    default:
      return Status::NotImplemented("partition " + partition.key + ": type " + type.ToString() + " is not supported");
  }
}

}  // namespace alopex
