// Text forms of values: what the shell prints (DuckDB's formats), JSON, SQL
// literals. Value::ToString and Value::CastTo go through one-row columns so
// there is a single formatting and casting path.
#include <charconv>
#include <cmath>
#include <cstring>

#include "alopex/value.h"
#include "common/cast.h"
#include "common/column.h"
#include "common/datetime.h"
#include "common/json_text.h"

namespace alopex {

namespace {

template <typename F>
size_t FormatFloating(F v, char* buf) {
  if (std::isnan(v)) {
    std::memcpy(buf, "nan", 3);
    return 3;
  }
  if (std::isinf(v)) {
    if (v < 0) {
      std::memcpy(buf, "-inf", 4);
      return 4;
    }
    std::memcpy(buf, "inf", 3);
    return 3;
  }
  char tmp[48];
  auto r = std::to_chars(tmp, tmp + sizeof(tmp) - 1, v, std::chars_format::scientific);
  size_t len = size_t(r.ptr - tmp);
  *r.ptr = '\0';  // atoi below reads the exponent up to the terminator
  // tmp is [-]d[.ddd]e(+|-)XX
  size_t p = 0;
  bool neg = tmp[0] == '-';
  if (neg) p++;
  char digits[40];
  size_t nd = 0;
  while (p < len && tmp[p] != 'e') {
    if (tmp[p] != '.') digits[nd++] = tmp[p];
    p++;
  }
  int exp = std::atoi(tmp + p + 1);
  if (exp < -4 || exp >= 16) {
    std::memcpy(buf, tmp, len);
    return len;
  }
  size_t n = 0;
  if (neg) buf[n++] = '-';
  if (exp >= 0) {
    size_t int_digits = size_t(exp) + 1;
    for (size_t k = 0; k < int_digits; k++) buf[n++] = k < nd ? digits[k] : '0';
    buf[n++] = '.';
    if (nd > int_digits) {
      for (size_t k = int_digits; k < nd; k++) buf[n++] = digits[k];
    } else {
      buf[n++] = '0';
    }
  } else {
    buf[n++] = '0';
    buf[n++] = '.';
    for (int k = 0; k < -exp - 1; k++) buf[n++] = '0';
    for (size_t k = 0; k < nd; k++) buf[n++] = digits[k];
  }
  return n;
}

void AppendUuid(const Uuid& u, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  char buf[36];
  size_t n = 0;
  for (int k = 0; k < 32; k++) {
    if (k == 8 || k == 12 || k == 16 || k == 20) buf[n++] = '-';
    uint64_t half = k < 16 ? u.hi : u.lo;
    int shift = 60 - 4 * (k % 16);
    buf[n++] = kHex[(half >> shift) & 15];
  }
  out->append(buf, 36);
}

// Bytes printable as themselves in a BLOB's text; others print as \xNN.
inline bool IsRegularBlobChar(unsigned char c) { return c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"'; }

void AppendBlob(std::string_view b, std::string* out) {
  static const char kHex[] = "0123456789ABCDEF";
  for (char ch : b) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (IsRegularBlobChar(c)) {
      out->push_back(ch);
    } else {
      out->push_back('\\');
      out->push_back('x');
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    }
  }
}

template <typename T>
void AppendInt(T v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, size_t(r.ptr - buf));
}

void AppendDouble(double v, std::string* out) {
  char buf[48];
  out->append(buf, FormatDoubleTo(v, buf));
}

void AppendFloat(float v, std::string* out) {
  char buf[48];
  out->append(buf, FormatFloatTo(v, buf));
}

// Scalar text shared by text and JSON forms; false for nested types.
bool AppendScalarText(const Column& col, size_t row, std::string* out) {
  const LogicalType& t = col.type();
  char buf[kMaxTemporalText * 2];
  switch (t.id()) {
    case TypeId::kNull: *out += "NULL"; return true;
    case TypeId::kBoolean: *out += col.data<uint8_t>()[row] ? "true" : "false"; return true;
    case TypeId::kTinyInt: AppendInt(col.data<int8_t>()[row], out); return true;
    case TypeId::kSmallInt: AppendInt(col.data<int16_t>()[row], out); return true;
    case TypeId::kInteger: AppendInt(col.data<int32_t>()[row], out); return true;
    case TypeId::kBigInt: AppendInt(col.data<int64_t>()[row], out); return true;
    case TypeId::kUTinyInt: AppendInt(col.data<uint8_t>()[row], out); return true;
    case TypeId::kUSmallInt: AppendInt(col.data<uint16_t>()[row], out); return true;
    case TypeId::kUInteger: AppendInt(col.data<uint32_t>()[row], out); return true;
    case TypeId::kUBigInt: AppendInt(col.data<uint64_t>()[row], out); return true;
    case TypeId::kFloat: AppendFloat(col.data<float>()[row], out); return true;
    case TypeId::kDouble: AppendDouble(col.data<double>()[row], out); return true;
    case TypeId::kDecimal: {
      int128_t v = ReadDecimal(col, row);
      *out += FormatDecimal(v, t.scale());
      return true;
    }
    case TypeId::kVarchar: case TypeId::kJson: {
      std::string_view s = col.GetStringView(row);
      out->append(s.data(), s.size());
      return true;
    }
    case TypeId::kBlob: AppendBlob(col.GetStringView(row), out); return true;
    case TypeId::kDate: out->append(buf, FormatDateTo(col.data<int32_t>()[row], buf)); return true;
    case TypeId::kTime: out->append(buf, FormatTimeTo(col.data<int64_t>()[row], buf)); return true;
    case TypeId::kTimestamp: out->append(buf, FormatTimestampTo(col.data<int64_t>()[row], buf)); return true;
    case TypeId::kTimestampTz: out->append(buf, FormatTimestampTzTo(col.data<int64_t>()[row], buf)); return true;
    case TypeId::kInterval: out->append(buf, FormatIntervalTo(col.data<Interval>()[row], buf)); return true;
    case TypeId::kUuid: AppendUuid(col.data<Uuid>()[row], out); return true;
    default: return false;
  }
}

// An element of a list, struct or map is quoted when its text could be read
// back as something else: empty, NULL-like, padded, or holding a delimiter
// (DuckDB's rule), so [a, '', 'b,c', 'null'] round-trips through text.
bool NeedsQuotes(std::string_view t) {
  if (t.empty()) return true;
  if (t.front() == ' ' || t.back() == ' ' || t.front() == '\t' || t.back() == '\t') return true;
  if (t.size() == 4 && (t[0] | 32) == 'n' && (t[1] | 32) == 'u' && (t[2] | 32) == 'l' && (t[3] | 32) == 'l') return true;
  for (char c : t)
    if (c == ',' || c == '\'' || c == '"' || c == '[' || c == ']' || c == '{' || c == '}' || c == '(' ||
        c == ')' || c == ':' || c == '=')
      return true;
  return false;
}

void AppendChildText(const Column& col, size_t row, std::string* out) {
  if (col.IsNull(row)) {
    *out += "NULL";
    return;
  }
  if (col.type().IsNested() || col.type().id() == TypeId::kVector) {
    AppendValueText(col, row, out);
    return;
  }
  std::string text;
  AppendValueText(col, row, &text);
  if (!NeedsQuotes(text)) {
    *out += text;
    return;
  }
  out->push_back('\'');
  for (char c : text) {
    if (c == '\'') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('\'');
}

void AppendSqlLiteral(const Value& v, std::string* out);

}  // namespace

size_t FormatDoubleTo(double v, char* buf) { return FormatFloating(v, buf); }
size_t FormatFloatTo(float v, char* buf) { return FormatFloating(v, buf); }

std::string FormatDecimal(__int128 unscaled, int scale) {
  bool neg = unscaled < 0;
  unsigned __int128 u = neg ? (unsigned __int128)(-(unscaled + 1)) + 1 : (unsigned __int128)unscaled;
  char digits[48];
  int n = 0;
  do {
    digits[n++] = char('0' + int(u % 10));
    u /= 10;
  } while (u > 0);
  while (n <= scale) digits[n++] = '0';  // at least one integer digit
  std::string s;
  if (neg) s.push_back('-');
  for (int k = n - 1; k >= 0; k--) {
    s.push_back(digits[k]);
    if (k == scale && scale > 0) s.push_back('.');
  }
  return s;
}

void AppendValueText(const Column& col, size_t row, std::string* out) {
  if (AppendScalarText(col, row, out)) return;
  const LogicalType& t = col.type();
  switch (t.id()) {
    case TypeId::kVector: {
      const float* p = col.vector_row(row);
      out->push_back('[');
      for (int k = 0; k < t.dimension(); k++) {
        if (k) *out += ", ";
        AppendFloat(p[k], out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kList: {
      const ListEntry& e = col.list_entries()[row];
      out->push_back('[');
      for (uint64_t k = 0; k < e.length; k++) {
        if (k) *out += ", ";
        AppendChildText(col.child(), e.offset + k, out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kMap: {
      const ListEntry& e = col.list_entries()[row];
      const Column& kv = col.child();
      out->push_back('{');
      for (uint64_t k = 0; k < e.length; k++) {
        if (k) *out += ", ";
        AppendChildText(kv.child(0), e.offset + k, out);
        out->push_back('=');
        AppendChildText(kv.child(1), e.offset + k, out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kStruct: {
      out->push_back('{');
      const auto& fields = t.fields();
      for (size_t f = 0; f < fields.size(); f++) {
        if (f) *out += ", ";
        out->push_back('\'');
        *out += fields[f].name;
        *out += "': ";
        AppendChildText(col.child(f), row, out);
      }
      out->push_back('}');
      return;
    }
    default: return;
  }
}

void AppendValueJson(const Column& col, size_t row, std::string* out) {
  if (col.IsNull(row)) {
    *out += "null";
    return;
  }
  const LogicalType& t = col.type();
  switch (t.id()) {
    case TypeId::kNull: *out += "null"; return;
    case TypeId::kBoolean: case TypeId::kTinyInt: case TypeId::kSmallInt: case TypeId::kInteger:
    case TypeId::kBigInt: case TypeId::kUTinyInt: case TypeId::kUSmallInt: case TypeId::kUInteger:
    case TypeId::kUBigInt: case TypeId::kDecimal:
      AppendScalarText(col, row, out);
      return;
    case TypeId::kFloat: case TypeId::kDouble: {
      double d = t.id() == TypeId::kFloat ? double(col.data<float>()[row]) : col.data<double>()[row];
      if (!std::isfinite(d)) {
        *out += "null";
        return;
      }
      AppendScalarText(col, row, out);
      return;
    }
    case TypeId::kJson: {
      std::string_view s = col.GetStringView(row);
      out->append(s.data(), s.size());
      return;
    }
    case TypeId::kVarchar: AppendJsonString(out, col.GetStringView(row)); return;
    case TypeId::kVector: {
      const float* p = col.vector_row(row);
      out->push_back('[');
      for (int k = 0; k < t.dimension(); k++) {
        if (k) out->push_back(',');
        if (std::isfinite(p[k]))
          AppendFloat(p[k], out);
        else
          *out += "null";
      }
      out->push_back(']');
      return;
    }
    case TypeId::kList: {
      const ListEntry& e = col.list_entries()[row];
      out->push_back('[');
      for (uint64_t k = 0; k < e.length; k++) {
        if (k) out->push_back(',');
        AppendValueJson(col.child(), e.offset + k, out);
      }
      out->push_back(']');
      return;
    }
    case TypeId::kMap: {
      const ListEntry& e = col.list_entries()[row];
      const Column& kv = col.child();
      out->push_back('{');
      for (uint64_t k = 0; k < e.length; k++) {
        if (k) out->push_back(',');
        AppendJsonString(out, FormatValue(kv.child(0), e.offset + k));
        out->push_back(':');
        AppendValueJson(kv.child(1), e.offset + k, out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kStruct: {
      out->push_back('{');
      const auto& fields = t.fields();
      for (size_t f = 0; f < fields.size(); f++) {
        if (f) out->push_back(',');
        AppendJsonString(out, fields[f].name);
        out->push_back(':');
        AppendValueJson(col.child(f), row, out);
      }
      out->push_back('}');
      return;
    }
    default: {
      std::string text;
      AppendScalarText(col, row, &text);
      AppendJsonString(out, text);
      return;
    }
  }
}

namespace {

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('\'');
  for (char c : s) {
    if (c == '\'') out->push_back('\'');
    out->push_back(c);
  }
  out->push_back('\'');
}

void AppendSqlLiteral(const Value& v, std::string* out) {
  if (v.is_null()) {
    *out += "NULL";
    return;
  }
  const LogicalType& t = v.type();
  switch (t.id()) {
    case TypeId::kBoolean: case TypeId::kInteger: case TypeId::kBigInt: case TypeId::kDecimal:
      *out += v.ToString();
      return;
    case TypeId::kTinyInt: case TypeId::kSmallInt: case TypeId::kUTinyInt: case TypeId::kUSmallInt:
    case TypeId::kUInteger: case TypeId::kUBigInt:
      *out += v.ToString() + "::" + t.ToString();
      return;
    case TypeId::kVarchar: AppendQuoted(v.GetString(), out); return;
    case TypeId::kList: {
      out->push_back('[');
      const auto& items = v.children();
      for (size_t k = 0; k < items.size(); k++) {
        if (k) *out += ", ";
        AppendSqlLiteral(items[k], out);
      }
      out->push_back(']');
      if (items.empty()) *out += "::" + t.ToString();
      return;
    }
    case TypeId::kStruct: {
      out->push_back('{');
      const auto& items = v.children();
      for (size_t k = 0; k < items.size() && k < t.fields().size(); k++) {
        if (k) *out += ", ";
        AppendQuoted(t.fields()[k].name, out);
        *out += ": ";
        AppendSqlLiteral(items[k], out);
      }
      out->push_back('}');
      return;
    }
    case TypeId::kMap: {
      *out += "MAP {";
      const auto& items = v.children();
      for (size_t k = 0; k < items.size(); k++) {
        if (k) *out += ", ";
        const auto& kv = items[k].children();
        AppendSqlLiteral(kv[0], out);
        *out += ": ";
        AppendSqlLiteral(kv[1], out);
      }
      out->push_back('}');
      return;
    }
    default:
      AppendQuoted(v.ToString(), out);
      *out += "::" + t.ToString();
      return;
  }
}

}  // namespace

std::string Value::ToString() const {
  if (null_) return "NULL";
  Column c(type_, 1);
  c.AppendValue(*this);
  return FormatValue(c, 0);
}

std::string Value::ToSqlLiteral() const {
  std::string out;
  AppendSqlLiteral(*this, &out);
  return out;
}

Result<Value> Value::CastTo(const LogicalType& target) const { return CastValue(*this, target); }

}  // namespace alopex
