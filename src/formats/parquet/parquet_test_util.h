// Helpers shared by the Parquet tests: locating the shared test data, a tiny
// JSON reader for EXPECTED.json and the DuckDB reference rows, and rendering
// Alopex values the way those references print them.
#pragma once

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/column.h"
#include "formats/parquet/parquet_reader.h"
#include "io/local_file_system.h"

namespace alopex::parquet_test {

// ALOPEX_TESTDATA, else <repo root>/../shared/testdata (the repo root is
// three folders above this file).
inline std::string TestDataDir() {
  if (const char* env = std::getenv("ALOPEX_TESTDATA")) return env;
  std::string f = __FILE__;
  for (int i = 0; i < 4; i++) {
    size_t p = f.rfind('/');
    if (p == std::string::npos) return "../shared/testdata";
    f = f.substr(0, p);
  }
  return f + "/../shared/testdata";
}

inline bool FileExists(const std::string& p) { return std::ifstream(p).good(); }

inline std::string ReadText(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------- JSON

struct Json {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
  bool b = false;
  double num = 0;
  std::string str;  // string value, or the number's text
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> fields;

  const Json* Get(const std::string& k) const {
    for (const auto& f : fields)
      if (f.first == k) return &f.second;
    return nullptr;
  }
};

class JsonParser {
 public:
  explicit JsonParser(const std::string& s) : s_(s) {}
  bool Parse(Json* out) {
    bool ok = Value(out);
    Ws();
    return ok;
  }

 private:
  void Ws() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) i_++;
  }
  bool Value(Json* out) {
    Ws();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') {
      out->kind = Json::kObject;
      i_++;
      Ws();
      if (i_ < s_.size() && s_[i_] == '}') {
        i_++;
        return true;
      }
      while (true) {
        Ws();
        std::string key;
        if (!String(&key)) return false;
        Ws();
        if (i_ >= s_.size() || s_[i_] != ':') return false;
        i_++;
        Json v;
        if (!Value(&v)) return false;
        out->fields.emplace_back(std::move(key), std::move(v));
        Ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          i_++;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          i_++;
          return true;
        }
        return false;
      }
    }
    if (c == '[') {
      out->kind = Json::kArray;
      i_++;
      Ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        i_++;
        return true;
      }
      while (true) {
        Json v;
        if (!Value(&v)) return false;
        out->items.push_back(std::move(v));
        Ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          i_++;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          i_++;
          return true;
        }
        return false;
      }
    }
    if (c == '"') {
      out->kind = Json::kString;
      return String(&out->str);
    }
    if (s_.compare(i_, 4, "null") == 0) {
      i_ += 4;
      out->kind = Json::kNull;
      return true;
    }
    if (s_.compare(i_, 4, "true") == 0) {
      i_ += 4;
      out->kind = Json::kBool;
      out->b = true;
      return true;
    }
    if (s_.compare(i_, 5, "false") == 0) {
      i_ += 5;
      out->kind = Json::kBool;
      return true;
    }
    size_t start = i_;
    while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || std::strchr("+-.eE", s_[i_]))) i_++;
    if (start == i_) return false;
    out->kind = Json::kNumber;
    out->str = s_.substr(start, i_ - start);
    out->num = std::strtod(out->str.c_str(), nullptr);
    return true;
  }
  bool String(std::string* out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    i_++;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      char e = s_[i_++];
      switch (e) {
        case 'n': out->push_back('\n'); break;
        case 't': out->push_back('\t'); break;
        case 'r': out->push_back('\r'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'u': {
          unsigned cp = unsigned(std::stoul(s_.substr(i_, 4), nullptr, 16));
          i_ += 4;
          if (cp >= 0xd800 && cp < 0xdc00 && s_.compare(i_, 2, "\\u") == 0) {
            unsigned lo = unsigned(std::stoul(s_.substr(i_ + 2, 4), nullptr, 16));
            i_ += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          if (cp < 0x80) {
            out->push_back(char(cp));
          } else if (cp < 0x800) {
            out->push_back(char(0xc0 | (cp >> 6)));
            out->push_back(char(0x80 | (cp & 0x3f)));
          } else if (cp < 0x10000) {
            out->push_back(char(0xe0 | (cp >> 12)));
            out->push_back(char(0x80 | ((cp >> 6) & 0x3f)));
            out->push_back(char(0x80 | (cp & 0x3f)));
          } else {
            out->push_back(char(0xf0 | (cp >> 18)));
            out->push_back(char(0x80 | ((cp >> 12) & 0x3f)));
            out->push_back(char(0x80 | ((cp >> 6) & 0x3f)));
            out->push_back(char(0x80 | (cp & 0x3f)));
          }
          break;
        }
        default: out->push_back(e);
      }
    }
    if (i_ >= s_.size()) return false;
    i_++;
    return true;
  }
  const std::string& s_;
  size_t i_ = 0;
};

inline bool ParseJson(const std::string& s, Json* out) { return JsonParser(s).Parse(out); }

// ---------------------------------------------------------------- rendering

inline void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = unsigned(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t yy = int64_t(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yy + (*m <= 2);
}

inline std::string DateText(int64_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

inline std::string TimeText(int64_t micros) {
  int64_t s = micros / 1000000, f = micros % 1000000;
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                static_cast<long long>((s / 60) % 60), static_cast<long long>(s % 60));
  std::string out = buf;
  if (f) {
    char fb[16];
    std::snprintf(fb, sizeof(fb), ".%06lld", static_cast<long long>(f));
    std::string fs = fb;
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  return out;
}

inline std::string TimestampText(int64_t micros) {
  int64_t days = micros / 86400000000LL, rem = micros % 86400000000LL;
  if (rem < 0) {
    rem += 86400000000LL;
    days--;
  }
  return DateText(days) + " " + TimeText(rem);
}

inline std::string DecimalText(int128_t v, int scale) {
  bool neg = v < 0;
  unsigned __int128 a = neg ? (unsigned __int128)(-v) : (unsigned __int128)v;
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + int(a % 10)));
    a /= 10;
  } while (a);
  while (int(digits.size()) <= scale) digits.insert(digits.begin(), '0');
  if (scale > 0) digits.insert(digits.end() - scale, '.');
  return (neg ? "-" : "") + digits;
}

inline std::string BlobText(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 32 && c < 127 && c != '\'' && c != '"') {
      out.push_back(char(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

inline std::string UuidText(Uuid u) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%012llx", unsigned(u.hi >> 32), unsigned((u.hi >> 16) & 0xffff),
                unsigned(u.hi & 0xffff), unsigned(u.lo >> 48), static_cast<unsigned long long>(u.lo & 0xffffffffffffULL));
  return buf;
}

// Plain text of a scalar value (integers in decimal, strings raw).
inline std::string ScalarText(const Value& v) {
  if (v.is_null()) return "";
  switch (v.type().id()) {
    case TypeId::kBoolean: return v.GetBool() ? "true" : "false";
    case TypeId::kUBigInt: return std::to_string(v.GetUInt64());
    case TypeId::kFloat:
    case TypeId::kDouble: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.17g", v.GetDouble());
      return buf;
    }
    case TypeId::kDecimal: return DecimalText(v.GetInt128(), v.type().scale());
    case TypeId::kVarchar:
    case TypeId::kJson: return v.GetString();
    case TypeId::kBlob: return BlobText(v.GetString());
    case TypeId::kDate: return DateText(v.GetInt64());
    case TypeId::kTime: return TimeText(v.GetInt64());
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return TimestampText(v.GetInt64());
    case TypeId::kUuid: return UuidText(v.GetUuid());
    default:
      if (v.type().IsInteger()) return std::to_string(v.GetInt64());
      return "?";
  }
}

// Compares an Alopex value with the DuckDB reference JSON; fills `why` on mismatch.
inline bool MatchesJson(const Value& v, const Json& j, std::string* why) {
  auto fail = [&](const std::string& m) {
    *why = m;
    return false;
  };
  if (v.is_null() || j.kind == Json::kNull) {
    if (v.is_null() && j.kind == Json::kNull) return true;
    return fail(std::string("null mismatch: ours ") + (v.is_null() ? "NULL" : ScalarText(v)));
  }
  const LogicalType& t = v.type();
  switch (t.id()) {
    case TypeId::kList:
    case TypeId::kMap: {
      if (j.kind != Json::kArray) return fail("expected a non-list");
      const auto& items = v.children();
      if (items.size() != j.items.size())
        return fail("list length " + std::to_string(items.size()) + " vs " + std::to_string(j.items.size()));
      for (size_t i = 0; i < items.size(); i++)
        if (!MatchesJson(items[i], j.items[i], why)) return fail("[" + std::to_string(i) + "] " + *why);
      return true;
    }
    case TypeId::kVector: {
      if (j.kind != Json::kArray) return fail("expected a non-list");
      const auto& f = v.GetVector();
      if (f.size() != j.items.size()) return fail("vector length mismatch");
      for (size_t i = 0; i < f.size(); i++)
        if (j.items[i].kind != Json::kNumber || std::fabs(double(f[i]) - j.items[i].num) > 1e-6 * std::max(1.0, std::fabs(j.items[i].num)))
          return fail("vector element " + std::to_string(i));
      return true;
    }
    case TypeId::kStruct: {
      if (j.kind != Json::kObject) return fail("expected a non-struct");
      const auto& items = v.children();
      const auto& fields = t.fields();
      for (size_t i = 0; i < fields.size(); i++) {
        const Json* f = j.Get(fields[i].name);
        if (!f) return fail("missing field " + fields[i].name);
        if (!MatchesJson(items[i], *f, why)) return fail("." + fields[i].name + ": " + *why);
      }
      return true;
    }
    case TypeId::kBoolean:
      if (j.kind != Json::kBool || j.b != v.GetBool()) return fail("bool mismatch");
      return true;
    case TypeId::kFloat:
    case TypeId::kDouble: {
      double d = v.GetDouble();
      if (j.kind == Json::kString) {
        if (j.str == "NaN" && std::isnan(d)) return true;
        if ((j.str == "Infinity" && d > 0 && std::isinf(d)) || (j.str == "-Infinity" && d < 0 && std::isinf(d))) return true;
        return fail("float vs string " + j.str);
      }
      if (j.kind != Json::kNumber) return fail("float vs non-number");
      double tol = t.id() == TypeId::kFloat ? 1e-6 : 1e-12;
      if (std::fabs(d - j.num) > tol * std::max(1.0, std::fabs(j.num)))
        return fail("float " + ScalarText(v) + " vs " + j.str);
      return true;
    }
    default: {
      std::string ours = ScalarText(v);
      std::string theirs = j.kind == Json::kString ? j.str : j.str;
      if (j.kind == Json::kBool) theirs = j.b ? "true" : "false";
      if (t.id() == TypeId::kTimestampTz && theirs.size() > 3 && theirs.compare(theirs.size() - 3, 3, "+00") == 0)
        theirs.resize(theirs.size() - 3);
      if (ours != theirs) return fail("value " + ours + " vs " + theirs);
      return true;
    }
  }
}

// Reads every row of a file (all row groups, in order) into one batch per row group.
inline Status ReadAllBatches(ParquetReader& reader, const ParquetReadOptions& options, std::vector<Batch>* out) {
  for (int g = 0; g < reader.num_row_groups(); g++) {
    ALOPEX_RETURN_IF_ERROR(reader.ReadRowGroup(g, options, [&](Batch&& b) {
      out->push_back(std::move(b));
      return Status::OK();
    }));
  }
  return Status::OK();
}

}  // namespace alopex::parquet_test
