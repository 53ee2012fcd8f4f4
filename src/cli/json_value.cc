#include "cli/json_value.h"

#include <charconv>
#include <cmath>

#include "common/json_text.h"

namespace alopex::cli {
namespace {

void AppendInt128(int128_t v, std::string* out) {
  if (v == 0) {
    *out += '0';
    return;
  }
  bool negative = v < 0;
  // Negate through unsigned so the minimum value does not overflow.
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  char buf[48];
  int n = 0;
  while (u > 0) {
    buf[n++] = char('0' + int(u % 10));
    u /= 10;
  }
  if (negative) *out += '-';
  while (n > 0) *out += buf[--n];
}

void AppendDecimal(int128_t unscaled, int scale, std::string* out) {
  std::string digits;
  AppendInt128(unscaled < 0 ? -unscaled : unscaled, &digits);
  if (unscaled < 0) *out += '-';
  if (scale <= 0) {
    *out += digits;
    return;
  }
  if (digits.size() <= size_t(scale)) digits.insert(0, size_t(scale) + 1 - digits.size(), '0');
  *out += digits.substr(0, digits.size() - size_t(scale));
  *out += '.';
  *out += digits.substr(digits.size() - size_t(scale));
}

// JSON has no literal for NaN or the infinities; they become strings.
template <typename Float>
void AppendFloat(Float f, std::string* out) {
  if (std::isnan(f)) {
    *out += "\"NaN\"";
  } else if (std::isinf(f)) {
    *out += f > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof(buf), f);
    out->append(buf, r.ptr);
  }
}

// Appends a scalar JSON knows a literal for; false for every other type.
bool AppendJsonLiteral(const Value& value, std::string* out) {
  const LogicalType& type = value.type();
  switch (type.id()) {
    case TypeId::kBoolean:
      *out += value.GetBool() ? "true" : "false";
      return true;
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInteger:
    case TypeId::kBigInt:
    case TypeId::kUTinyInt:
    case TypeId::kUSmallInt:
    case TypeId::kUInteger:
      *out += std::to_string(value.GetInt64());
      return true;
    case TypeId::kUBigInt:
      *out += std::to_string(value.GetUInt64());
      return true;
    case TypeId::kFloat:
      AppendFloat(static_cast<float>(value.GetDouble()), out);
      return true;
    case TypeId::kDouble:
      AppendFloat(value.GetDouble(), out);
      return true;
    case TypeId::kDecimal:
      AppendDecimal(value.GetInt128(), type.scale(), out);
      return true;
    case TypeId::kVarchar:
      alopex::AppendJsonString(out, value.GetString());
      return true;
    case TypeId::kJson:
      *out += value.GetString().empty() ? std::string_view("null") : std::string_view(value.GetString());
      return true;
    default:
      return false;
  }
}

}  // namespace

void AppendJsonValue(const Value& value, std::string* out) {
  if (value.is_null()) {
    *out += "null";
    return;
  }
  const LogicalType& type = value.type();
  switch (type.id()) {
    case TypeId::kNull:
      *out += "null";
      return;
    case TypeId::kVector: {
      *out += '[';
      const auto& v = value.GetVector();
      for (size_t i = 0; i < v.size(); i++) {
        if (i) *out += ',';
        AppendFloat(v[i], out);
      }
      *out += ']';
      return;
    }
    case TypeId::kList: {
      *out += '[';
      const auto& items = value.children();
      for (size_t i = 0; i < items.size(); i++) {
        if (i) *out += ',';
        AppendJsonValue(items[i], out);
      }
      *out += ']';
      return;
    }
    case TypeId::kStruct: {
      *out += '{';
      const auto& items = value.children();
      const auto& fields = type.fields();
      for (size_t i = 0; i < items.size(); i++) {
        if (i) *out += ',';
        alopex::AppendJsonString(out, i < fields.size() ? fields[i].name : std::to_string(i));
        *out += ':';
        AppendJsonValue(items[i], out);
      }
      *out += '}';
      return;
    }
    case TypeId::kMap: {
      // An object keyed by each key's text: what JSON consumers expect of a map.
      *out += '{';
      const auto& entries = value.children();
      for (size_t i = 0; i < entries.size(); i++) {
        if (i) *out += ',';
        const auto& kv = entries[i].children();
        const Value& key = kv.at(0);
        alopex::AppendJsonString(out, key.is_null()                          ? "null"
                                      : key.type().id() == TypeId::kVarchar ? key.GetString()
                                                                            : key.ToString());
        *out += ':';
        AppendJsonValue(kv.at(1), out);
      }
      *out += '}';
      return;
    }
    default:
      if (!AppendJsonLiteral(value, out)) alopex::AppendJsonString(out, value.ToString());
      return;
  }
}

void AppendJsonCell(const ResultView& result, size_t row, size_t col, std::string* out) {
  if (result.IsNull(row, col)) {
    *out += "null";
    return;
  }
  const LogicalType& type = result.type(col);
  switch (type.id()) {
    case TypeId::kVarchar:
      alopex::AppendJsonString(out, result.GetString(row, col));
      return;
    case TypeId::kJson: {
      std::string text = result.GetString(row, col);
      *out += text.empty() ? "null" : text;
      return;
    }
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kInterval:
    case TypeId::kUuid:
    case TypeId::kBlob:
      alopex::AppendJsonString(out, result.GetString(row, col));
      return;
    default:
      AppendJsonValue(result.GetValue(row, col), out);
      return;
  }
}

std::string JsonObjectForRow(const ResultView& result, size_t row) {
  std::string out = "{";
  for (size_t col = 0; col < result.num_columns(); col++) {
    if (col) out += ',';
    alopex::AppendJsonString(&out, result.name(col));
    out += ':';
    AppendJsonCell(result, row, col, &out);
  }
  out += '}';
  return out;
}

}  // namespace alopex::cli
