// Casts between logical types. Each source/target pair gets a tight loop over
// the column's physical layout; values that do not convert fail the whole cast
// with a Conversion Error naming the value and both types, or become NULL under
// TRY_CAST. NULL rows stay NULL and are never inspected for errors.
#include "common/cast.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "common/datetime.h"
#include "common/json_text.h"
#include "common/physical_dispatch.h"
#include "common/text.h"

namespace alopex {

namespace {

// ---------------------------------------------------------------- helpers

// Copies the validity of `in` to `out` (same row count).
void CopyValidity(const Column& in, Column* out) {
  if (!in.MayHaveNulls()) return;
  size_t words = (in.size() + 63) / 64;
  std::memcpy(out->mutable_validity(), in.validity(), words * sizeof(uint64_t));
}

// Rounds half away from zero, as DuckDB does for float -> integer casts.
template <typename F>
F RoundHalfAway(F v) {
  return std::round(v);
}

const int128_t* Pow10Table() {
  static const auto* table = [] {
    auto* t = new int128_t[39];
    t[0] = 1;
    for (int i = 1; i < 39; i++) t[i] = t[i - 1] * 10;
    return t;
  }();
  return table;
}
inline int128_t Pow10(int n) { return Pow10Table()[n]; }

// Divides by 10^n rounding half away from zero.
inline int128_t DivRound(int128_t v, int n) {
  if (n == 0) return v;
  int128_t p = Pow10(n);
  int128_t q = v / p, r = v % p;
  if (r < 0) r = -r;
  if (r * 2 >= p) q += v < 0 ? -1 : 1;
  return q;
}

inline bool DecimalFits(int128_t v, int width) {
  int128_t limit = Pow10(width);
  return v < limit && v > -limit;
}

// Parses a decimal number ("-12.345", "1e3", " 7 ") at `scale`; false when
// malformed or when it needs more than `width` digits.
bool ParseDecimalText(std::string_view text, int width, int scale, int128_t* out) {
  std::string_view s = TrimAsciiSpace(text);
  size_t p = 0;
  bool neg = false;
  if (p < s.size() && (s[p] == '-' || s[p] == '+')) {
    neg = s[p] == '-';
    p++;
  }
  int128_t digits = 0;
  int ndigits = 0, frac_digits = 0;
  bool any = false, dot = false;
  int dropped_first = -1;  // first digit that did not fit (for rounding)
  bool dropped_nonzero = false;
  for (; p < s.size(); p++) {
    char c = s[p];
    if (c >= '0' && c <= '9') {
      any = true;
      if (ndigits < 38) {
        if (digits != 0 || c != '0') ndigits++;
        digits = digits * 10 + (c - '0');
        if (dot) frac_digits++;
      } else {
        if (!dot) return false;  // integer part too long
        if (dropped_first < 0) dropped_first = c - '0';
        else if (c != '0') dropped_nonzero = true;
      }
    } else if (c == '.' && !dot) {
      dot = true;
    } else if (c == '_' && any) {
      continue;
    } else {
      break;
    }
  }
  if (!any) return false;
  int64_t exp = 0;
  if (p < s.size() && (s[p] == 'e' || s[p] == 'E')) {
    p++;
    bool eneg = false;
    if (p < s.size() && (s[p] == '-' || s[p] == '+')) {
      eneg = s[p] == '-';
      p++;
    }
    size_t st = p;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9' && exp < 10000) exp = exp * 10 + (s[p++] - '0');
    if (p == st) return false;
    if (eneg) exp = -exp;
  }
  if (p != s.size()) return false;
  (void)dropped_nonzero;
  // value = digits * 10^(exp - frac_digits); we want value * 10^scale.
  int64_t shift = exp - frac_digits + scale;
  int128_t v;
  if (shift >= 0) {
    if (shift > 38) {
      if (digits != 0) return false;
      v = 0;
    } else {
      int128_t p10 = Pow10(int(shift));
      if (digits != 0 && digits > std::numeric_limits<int128_t>::max() / p10) return false;
      v = digits * p10;
      if (dropped_first >= 5 && shift == 0) v += 1;
    }
  } else {
    if (-shift > 38) {
      v = 0;
    } else {
      v = DivRound(digits, int(-shift));
    }
  }
  if (neg) v = -v;
  if (!DecimalFits(v, width)) return false;
  *out = v;
  return true;
}

// Parses a double like strtod, after trimming; accepts inf/nan spellings.
bool ParseDoubleText(std::string_view text, double* out) {
  std::string_view s = TrimAsciiSpace(text);
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
    if (s.empty() || s[0] == '+' || s[0] == '-') return false;
  }
  double v;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec == std::errc::result_out_of_range) {
    // Denormal underflow or overflow: strtod gives the saturated value.
    v = std::strtod(std::string(s).c_str(), nullptr);
    if (std::isinf(v)) return false;
  } else if (r.ec != std::errc() || r.ptr != s.data() + s.size()) {
    return false;
  }
  *out = neg ? -v : v;
  return true;
}

template <typename T>
bool ParseIntegerText(std::string_view text, T* out) {
  std::string_view s = TrimAsciiSpace(text);
  if (s.empty()) return false;
  size_t p = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    p++;
  }
  if (p >= s.size()) return false;
  unsigned __int128 acc = 0;
  size_t start = p;
  for (; p < s.size(); p++) {
    char c = s[p];
    if (c >= '0' && c <= '9') {
      acc = acc * 10 + unsigned(c - '0');
      if (acc > (unsigned __int128)(std::numeric_limits<uint64_t>::max()) + 1) return false;
    } else if (c == '_' && p > start && p + 1 < s.size() && s[p + 1] >= '0' && s[p + 1] <= '9') {
      continue;
    } else {
      break;
    }
  }
  if (p < s.size()) {
    // "1.5", "1e3": parse as a number and round, as DuckDB does.
    char c = s[p];
    if (c != '.' && c != 'e' && c != 'E') return false;
    int128_t v;
    if (!ParseDecimalText(s, 38, 0, &v)) return false;
    if (v < int128_t(std::numeric_limits<T>::min()) || v > int128_t(std::numeric_limits<T>::max())) return false;
    *out = T(v);
    return true;
  }
  if (p == start) return false;
  int128_t v = neg ? -int128_t(acc) : int128_t(acc);
  if (v < int128_t(std::numeric_limits<T>::min()) || v > int128_t(std::numeric_limits<T>::max())) return false;
  *out = T(v);
  return true;
}

bool ParseBoolText(std::string_view text, bool* out) {
  std::string_view s = TrimAsciiSpace(text);
  if (EqualsIgnoreCase(s, "true") || EqualsIgnoreCase(s, "t") || s == "1" || EqualsIgnoreCase(s, "yes") ||
      EqualsIgnoreCase(s, "y") || EqualsIgnoreCase(s, "on")) {
    *out = true;
    return true;
  }
  if (EqualsIgnoreCase(s, "false") || EqualsIgnoreCase(s, "f") || s == "0" || EqualsIgnoreCase(s, "no") ||
      EqualsIgnoreCase(s, "n") || EqualsIgnoreCase(s, "off")) {
    *out = false;
    return true;
  }
  return false;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// 32 hex digits, hyphens anywhere between groups, optional braces.
bool ParseUuidText(std::string_view text, Uuid* out) {
  std::string_view s = TrimAsciiSpace(text);
  if (s.size() >= 2 && s.front() == '{' && s.back() == '}') s = s.substr(1, s.size() - 2);
  uint64_t hi = 0, lo = 0;
  int n = 0;
  for (size_t i = 0; i < s.size(); i++) {
    char c = s[i];
    if (c == '-') {
      if (i == 0 || i + 1 == s.size() || s[i - 1] == '-') return false;
      continue;
    }
    int h = HexDigit(c);
    if (h < 0 || n >= 32) return false;
    if (n < 16)
      hi = (hi << 4) | uint64_t(h);
    else
      lo = (lo << 4) | uint64_t(h);
    n++;
  }
  if (n != 32) return false;
  out->hi = hi;
  out->lo = lo;
  return true;
}

// '\xAA' escapes become bytes; everything else is copied.
bool ParseBlobText(std::string_view s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '\\') {
      if (i + 3 >= s.size() || (s[i + 1] != 'x' && s[i + 1] != 'X')) return false;
      int a = HexDigit(s[i + 2]), b = HexDigit(s[i + 3]);
      if (a < 0 || b < 0) return false;
      out->push_back(char(a * 16 + b));
      i += 3;
    } else {
      out->push_back(s[i]);
    }
  }
  return true;
}

std::string TypeName(const LogicalType& t) { return t.ToString(); }

std::string Quote(std::string_view s) {
  std::string out = "'";
  out.append(s.data(), s.size());
  out += "'";
  return out;
}

// Converts one number; false when it does not fit D.
template <typename S, typename D>
inline bool ConvertNumber(S v, D* out) {
  if constexpr (std::is_integral_v<S> && std::is_integral_v<D>) {
    *out = D(v);
    return std::in_range<D>(v);
  } else if constexpr (std::is_floating_point_v<S> && std::is_integral_v<D>) {
    S r = RoundHalfAway(v);
    // The bounds are exact powers of two, so the comparisons are exact.
    constexpr S lo = S(std::numeric_limits<D>::min());
    constexpr S hi = S(std::numeric_limits<D>::max()) + S(1);
    if (!(r >= lo && r < hi)) {
      *out = D(0);
      return false;
    }
    *out = D(r);
    return true;
  } else if constexpr (std::is_same_v<S, double> && std::is_same_v<D, float>) {
    *out = float(v);
    return !(std::isfinite(v) && std::isinf(*out));
  } else {
    *out = D(v);
    return true;
  }
}

// ---------------------------------------------------------------- the caster

class Caster {
 public:
  Caster(const Column& in, const LogicalType& to, Column* out, bool try_cast)
      : in_(in), to_(to), out_(out), try_(try_cast), n_(in.size()) {}

  Status Run();
  size_t error_row() const { return error_row_; }

 private:
  // Handles a failing valid row: NULL under TRY_CAST, else the error. Returns
  // false when the cast must stop.
  template <typename Msg>
  bool Fail(size_t row, Msg&& msg) {
    if (try_) {
      out_->SetNull(row);
      return true;
    }
    error_ = Status::ConversionError(msg());
    error_row_ = row;
    return false;
  }
  std::string OutOfRangeMessage(size_t row) const {
    return "Type " + TypeName(in_.type()) + " with value " + FormatValue(in_, row) +
           " can't be cast because the value is out of range for the destination type " + TypeName(to_);
  }
  std::string BadStringMessage(size_t row) const {
    return "Could not convert string " + Quote(in_.GetStringView(row)) + " to " + TypeName(to_);
  }

  Status CastNumericToNumeric();
  Status CastToBoolean();
  Status CastBooleanToNumeric();
  Status CastToDecimal();
  Status CastDecimalToNumeric();
  Status CastToVarchar();
  Status CastToJson();
  Status CastFromText();
  Status CastTextToNested(const Column& text);
  Status CastTemporal();
  Status CastToUuid();
  Status CastListToList();
  Status CastToVector();
  Status CastVectorToList();
  Status CastStructToStruct();
  Status CastMapToMap();
  Status CastFromJson();

  const Column& in_;
  const LogicalType& to_;
  Column* out_;
  bool try_;
  size_t n_;
  Status error_;
  size_t error_row_ = 0;
};

Status Caster::CastNumericToNumeric() {
  CopyValidity(in_, out_);
  bool done = false;
  DispatchNumeric(in_.type().id(), [&](auto stag) {
    using S = typename decltype(stag)::type;
    DispatchNumeric(to_.id(), [&](auto dtag) {
      using D = typename decltype(dtag)::type;
      const S* src = in_.data<S>();
      D* dst = out_->data<D>();
      bool all_ok = true;
      for (size_t i = 0; i < n_; i++) all_ok &= ConvertNumber<S, D>(src[i], &dst[i]);
      done = true;
      if (all_ok) return;
      for (size_t i = 0; i < n_; i++) {
        D tmp;
        if (!ConvertNumber<S, D>(src[i], &tmp) && in_.IsValid(i) && !Fail(i, [&] { return OutOfRangeMessage(i); }))
          return;
      }
    });
  });
  if (!done) return Status::Internal("numeric cast dispatch failed");
  return error_;
}

Status Caster::CastToBoolean() {
  CopyValidity(in_, out_);
  uint8_t* dst = out_->data<uint8_t>();
  TypeId from = in_.type().id();
  if (from == TypeId::kDecimal) {
    for (size_t i = 0; i < n_; i++) dst[i] = ReadDecimal(in_, i) != 0;
    return Status::OK();
  }
  if (DispatchNumeric(from, [&](auto tag) {
        using S = typename decltype(tag)::type;
        const S* src = in_.data<S>();
        for (size_t i = 0; i < n_; i++) dst[i] = src[i] != 0;
      }))
    return Status::OK();
  return Status::Internal("unexpected boolean cast");
}

Status Caster::CastBooleanToNumeric() {
  CopyValidity(in_, out_);
  const uint8_t* src = in_.data<uint8_t>();
  if (to_.id() == TypeId::kDecimal) {
    if (to_.width() - to_.scale() < 1) {
      for (size_t i = 0; i < n_; i++)
        if (in_.IsValid(i) && src[i] && !Fail(i, [&] { return OutOfRangeMessage(i); })) return error_;
    }
    for (size_t i = 0; i < n_; i++) WriteDecimal(out_, i, src[i] ? Pow10(to_.scale()) : 0);
    return error_;
  }
  DispatchNumeric(to_.id(), [&](auto tag) {
    using D = typename decltype(tag)::type;
    D* dst = out_->data<D>();
    for (size_t i = 0; i < n_; i++) dst[i] = D(src[i] != 0);
  });
  return Status::OK();
}

Status Caster::CastToDecimal() {
  CopyValidity(in_, out_);
  int width = to_.width(), scale = to_.scale();
  TypeId from = in_.type().id();
  if (from == TypeId::kDecimal) {
    int from_scale = in_.type().scale();
    for (size_t i = 0; i < n_; i++) {
      int128_t v = ReadDecimal(in_, i);
      bool ok = true;
      if (scale >= from_scale) {
        int128_t p = Pow10(scale - from_scale);
        int128_t limit = Pow10(38) / p;
        ok = v < limit && v > -limit;
        v = ok ? v * p : 0;
      } else {
        v = DivRound(v, from_scale - scale);
      }
      ok = ok && DecimalFits(v, width);
      if (!ok && in_.IsValid(i) && !Fail(i, [&] { return OutOfRangeMessage(i); })) return error_;
      WriteDecimal(out_, i, ok ? v : 0);
    }
    return error_;
  }
  bool handled = DispatchNumeric(from, [&](auto tag) {
    using S = typename decltype(tag)::type;
    const S* src = in_.data<S>();
    for (size_t i = 0; i < n_; i++) {
      int128_t v = 0;
      bool ok;
      if constexpr (std::is_floating_point_v<S>) {
        long double x = (long double)src[i] * (long double)std::pow(10.0L, scale);
        x = std::round(x);
        ok = std::isfinite(x) && std::fabs(x) < 1e38L;
        if (ok) v = int128_t(x);
      } else {
        v = int128_t(src[i]);
        ok = true;
        if (scale > 0) v *= Pow10(scale);
      }
      ok = ok && DecimalFits(v, width);
      if (!ok && in_.IsValid(i) && !Fail(i, [&] { return OutOfRangeMessage(i); })) return;
      WriteDecimal(out_, i, ok ? v : 0);
    }
  });
  if (!handled) return Status::Internal("unexpected decimal cast");
  return error_;
}

Status Caster::CastDecimalToNumeric() {
  CopyValidity(in_, out_);
  int scale = in_.type().scale();
  DispatchNumeric(to_.id(), [&](auto tag) {
    using D = typename decltype(tag)::type;
    D* dst = out_->data<D>();
    for (size_t i = 0; i < n_; i++) {
      int128_t v = ReadDecimal(in_, i);
      if constexpr (std::is_floating_point_v<D>) {
        dst[i] = D((long double)v / (long double)std::pow(10.0L, scale));
      } else {
        int128_t r = DivRound(v, scale);
        bool ok = r >= int128_t(std::numeric_limits<D>::min()) && r <= int128_t(std::numeric_limits<D>::max());
        dst[i] = ok ? D(r) : D(0);
        if (!ok && in_.IsValid(i) && !Fail(i, [&] { return OutOfRangeMessage(i); })) return;
      }
    }
  });
  return error_;
}

Status Caster::CastToVarchar() {
  CopyValidity(in_, out_);
  StringRef* dst = out_->data<StringRef>();
  TypeId from = in_.type().id();
  if (from == TypeId::kVarchar || from == TypeId::kJson) {
    std::memcpy(dst, in_.data<StringRef>(), n_ * sizeof(StringRef));
    out_->ShareHeapsFrom(in_);
    return Status::OK();
  }
  if (in_.type().IsInteger()) {
    bool done = DispatchNumeric(from, [&](auto tag) {
      using S = typename decltype(tag)::type;
      const S* src = in_.data<S>();
      char buf[32];
      for (size_t i = 0; i < n_; i++) {
        auto r = std::to_chars(buf, buf + sizeof(buf), src[i]);
        dst[i] = out_->AddString(std::string_view(buf, size_t(r.ptr - buf)));
      }
    });
    if (done) return Status::OK();
  }
  std::string text;
  for (size_t i = 0; i < n_; i++) {
    if (!in_.IsValid(i)) continue;
    text.clear();
    AppendValueText(in_, i, &text);
    dst[i] = out_->AddString(text);
  }
  return Status::OK();
}

Status Caster::CastToJson() {
  CopyValidity(in_, out_);
  StringRef* dst = out_->data<StringRef>();
  if (in_.type().id() == TypeId::kVarchar) {
    std::string err;
    for (size_t i = 0; i < n_; i++) {
      if (!in_.IsValid(i)) continue;
      std::string_view s = in_.GetStringView(i);
      if (!ValidateJson(s, &err)) {
        if (!Fail(i, [&] { return err; })) return error_;
        continue;
      }
      dst[i] = in_.data<StringRef>()[i];
    }
    out_->ShareHeapsFrom(in_);
    return error_;
  }
  std::string text;
  for (size_t i = 0; i < n_; i++) {
    if (!in_.IsValid(i)) continue;
    text.clear();
    AppendValueJson(in_, i, &text);
    dst[i] = out_->AddString(text);
  }
  return Status::OK();
}

Status Caster::CastFromJson() {
  // JSON strings cast by their content ('"2024-01-01"'::JSON::DATE); JSON null is NULL.
  Column text(TypeId::kVarchar, n_);
  text.Resize(n_);
  CopyValidity(in_, &text);
  text.ShareHeapsFrom(in_);
  StringRef* dst = text.data<StringRef>();
  std::string decoded;
  for (size_t i = 0; i < n_; i++) {
    if (!in_.IsValid(i)) continue;
    std::string_view s = TrimAsciiSpace(in_.GetStringView(i));
    JsonKind kind = JsonKindOf(s);
    if (kind == JsonKind::kNull) {
      text.SetNull(i);
    } else if (kind == JsonKind::kString && JsonUnquote(s, &decoded)) {
      dst[i] = text.AddString(decoded);
    } else {
      dst[i] = in_.data<StringRef>()[i];
    }
  }
  size_t row = 0;
  Status st = CastColumn(text, to_, out_, try_, &row);
  if (!st.ok()) {
    error_row_ = row;
    return Status::ConversionError("Could not convert JSON " + Quote(in_.GetStringView(row)) + " to " +
                                   TypeName(to_) + ": " + st.message());
  }
  return st;
}

Status Caster::CastFromText() {
  TypeId to = to_.id();
  if (to == TypeId::kList || to == TypeId::kStruct || to == TypeId::kMap || to == TypeId::kVector)
    return CastTextToNested(in_);
  CopyValidity(in_, out_);
  auto loop = [&](auto parse) -> Status {
    for (size_t i = 0; i < n_; i++) {
      if (!in_.IsValid(i)) continue;
      if (!parse(i, in_.GetStringView(i)) && !Fail(i, [&] { return BadStringMessage(i); })) return error_;
    }
    return error_;
  };
  switch (to) {
    case TypeId::kBoolean: {
      uint8_t* dst = out_->data<uint8_t>();
      return loop([&](size_t i, std::string_view s) {
        bool b;
        if (!ParseBoolText(s, &b)) return false;
        dst[i] = b;
        return true;
      });
    }
    case TypeId::kFloat: case TypeId::kDouble: {
      if (to == TypeId::kFloat) {
        float* dst = out_->data<float>();
        return loop([&](size_t i, std::string_view s) {
          double d;
          if (!ParseDoubleText(s, &d)) return false;
          return ConvertNumber<double, float>(d, &dst[i]);
        });
      }
      double* dst = out_->data<double>();
      return loop([&](size_t i, std::string_view s) { return ParseDoubleText(s, &dst[i]); });
    }
    case TypeId::kDecimal: {
      int w = to_.width(), sc = to_.scale();
      return loop([&](size_t i, std::string_view s) {
        int128_t v;
        if (!ParseDecimalText(s, w, sc, &v)) return false;
        WriteDecimal(out_, i, v);
        return true;
      });
    }
    case TypeId::kVarchar: {
      std::memcpy(out_->data<StringRef>(), in_.data<StringRef>(), n_ * sizeof(StringRef));
      out_->ShareHeapsFrom(in_);
      return Status::OK();
    }
    case TypeId::kBlob: {
      StringRef* dst = out_->data<StringRef>();
      std::string bytes;
      return loop([&](size_t i, std::string_view s) {
        if (!ParseBlobText(s, &bytes)) return false;
        dst[i] = out_->AddString(bytes);
        return true;
      });
    }
    case TypeId::kJson: return CastToJson();
    case TypeId::kDate: {
      int32_t* dst = out_->data<int32_t>();
      return loop([&](size_t i, std::string_view s) { return TryParseDate(s, &dst[i]); });
    }
    case TypeId::kTime: {
      int64_t* dst = out_->data<int64_t>();
      return loop([&](size_t i, std::string_view s) { return TryParseTime(s, &dst[i]); });
    }
    case TypeId::kTimestamp: case TypeId::kTimestampTz: {
      int64_t* dst = out_->data<int64_t>();
      return loop([&](size_t i, std::string_view s) { return TryParseTimestamp(s, &dst[i]); });
    }
    case TypeId::kInterval: {
      Interval* dst = out_->data<Interval>();
      return loop([&](size_t i, std::string_view s) { return TryParseInterval(s, &dst[i]); });
    }
    case TypeId::kUuid: {
      Uuid* dst = out_->data<Uuid>();
      return loop([&](size_t i, std::string_view s) { return ParseUuidText(s, &dst[i]); });
    }
    default: break;
  }
  Status st;
  bool handled = DispatchNumeric(to, [&](auto tag) {
    using D = typename decltype(tag)::type;
    D* dst = out_->data<D>();
    st = loop([&](size_t i, std::string_view s) { return ParseIntegerText<D>(s, &dst[i]); });
  });
  if (!handled) return Status::ConversionError("Unimplemented cast from " + TypeName(in_.type()) + " to " + TypeName(to_));
  return st;
}

// ---------------------------------------------------------------- text -> nested

// Splits nested text ('[1, [2, 3], 'a,b']', '{'a': 1}', '{k=v}') into its
// top-level items; quotes and brackets nest.
struct NestedTextItem {
  std::string_view key;  // struct key / map key (raw), empty for lists
  std::string_view value;
};

// Unquotes 'text' / "text" ('' and \' escapes); returns false if not quoted.
bool UnquoteItem(std::string_view s, std::string* out) {
  if (s.size() < 2) return false;
  char q = s.front();
  if ((q != '\'' && q != '"') || s.back() != q) return false;
  out->clear();
  for (size_t i = 1; i + 1 < s.size(); i++) {
    char c = s[i];
    if (c == '\\' && i + 2 < s.size()) {
      out->push_back(s[++i]);
    } else if (c == q && i + 2 < s.size() && s[i + 1] == q) {
      out->push_back(q);
      i++;
    } else {
      out->push_back(c);
    }
  }
  return true;
}

// Finds the end of an item starting at p: the next top-level ',' or the closing bracket.
size_t ItemEnd(std::string_view s, size_t p, size_t end, const char* stops) {
  int depth = 0;
  char quote = 0;
  for (; p < end; p++) {
    char c = s[p];
    if (quote) {
      if (c == '\\') {
        p++;
        continue;
      }
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '[' || c == '{' || c == '(') {
      depth++;
    } else if (c == ']' || c == '}' || c == ')') {
      depth--;
    } else if (depth == 0 && std::strchr(stops, c)) {
      return p;
    }
  }
  return end;
}

// Parses '[a, b, ...]' (keyed = false) or '{k: v, k=v, ...}' (keyed = true),
// brackets required, into items; false when malformed.
bool SplitNestedText(std::string_view text, bool keyed, std::vector<NestedTextItem>* items) {
  std::string_view s = TrimAsciiSpace(text);
  items->clear();
  const char open = keyed ? '{' : '[', close = keyed ? '}' : ']';
  if (s.size() < 2 || s.front() != open || s.back() != close) return false;
  size_t p = 1, end = s.size() - 1;
  if (TrimAsciiSpace(s.substr(1, end - 1)).empty()) return true;
  while (p <= end) {
    size_t e = ItemEnd(s, p, end, ",");
    std::string_view item = s.substr(p, e - p);
    if (keyed) {
      size_t sep = ItemEnd(item, 0, item.size(), ":=");
      if (sep >= item.size()) return false;
      std::string_view k = TrimAsciiSpace(item.substr(0, sep)), v = TrimAsciiSpace(item.substr(sep + 1));
      if (k.empty() || v.empty()) return false;
      items->push_back({k, v});
    } else {
      std::string_view v = TrimAsciiSpace(item);
      if (v.empty()) return false;
      items->push_back({{}, v});
    }
    p = e + 1;
    if (e == end) break;
  }
  return true;
}

bool SplitListText(std::string_view text, std::vector<NestedTextItem>* items) {
  return SplitNestedText(text, false, items);
}
bool SplitObjectText(std::string_view text, std::vector<NestedTextItem>* items) {
  return SplitNestedText(text, true, items);
}

// Appends an item's text as a row of a VARCHAR column: NULL for a bare NULL,
// unquoted content for a quoted string, the text otherwise.
void AppendItem(Column* col, std::string_view v, std::string* scratch) {
  size_t row = col->size();
  col->Resize(row + 1);
  if (EqualsIgnoreCase(v, "null")) {
    col->SetNull(row);
  } else if (UnquoteItem(v, scratch)) {
    col->SetString(row, *scratch);
  } else {
    col->SetString(row, v);
  }
}

Status Caster::CastTextToNested(const Column& text) {
  CopyValidity(text, out_);
  TypeId to = to_.id();
  std::vector<NestedTextItem> items;
  std::string scratch;
  if (to == TypeId::kVector) {
    // Hot for CSV imports of embeddings: parse floats straight into the row.
    int dim = to_.dimension();
    for (size_t i = 0; i < n_; i++) {
      if (!text.IsValid(i)) continue;
      float* row = out_->vector_row(i);
      if (!SplitListText(text.GetStringView(i), &items)) {
        if (!Fail(i, [&] { return "Could not convert string " + Quote(text.GetStringView(i)) + " to " + TypeName(to_); }))
          return error_;
        continue;
      }
      if (int(items.size()) != dim) {
        size_t got = items.size();
        if (!Fail(i, [&] {
              return TypeName(to_) + " expects " + std::to_string(dim) + " values, got " + std::to_string(got);
            }))
          return error_;
        continue;
      }
      for (int k = 0; k < dim; k++) {
        double d;
        if (!ParseDoubleText(items[k].value, &d) || !ConvertNumber<double, float>(d, &row[k])) {
          std::string_view bad = items[k].value;
          if (!Fail(i, [&] {
                return "Could not convert string " + Quote(bad) + " to FLOAT (element " + std::to_string(k + 1) +
                       " of " + TypeName(to_) + ")";
              }))
            return error_;
          break;
        }
      }
    }
    return error_;
  }
  if (to == TypeId::kList || to == TypeId::kMap) {
    // Items go to VARCHAR columns, then cast in bulk to the element types.
    bool is_map = to == TypeId::kMap;
    Column values(TypeId::kVarchar), keys(TypeId::kVarchar);
    std::vector<size_t> owner;  // parent row of each item, to report errors
    ListEntry* entries = out_->list_entries();
    for (size_t i = 0; i < n_; i++) {
      entries[i] = {values.size(), 0};
      if (!text.IsValid(i)) continue;
      std::string_view s = text.GetStringView(i);
      bool ok = is_map ? SplitObjectText(s, &items) : SplitListText(s, &items);
      if (!ok) {
        if (!Fail(i, [&] { return "Could not convert string " + Quote(s) + " to " + TypeName(to_); })) return error_;
        continue;
      }
      for (const auto& it : items) {
        if (is_map) AppendItem(&keys, it.key, &scratch);
        AppendItem(&values, it.value, &scratch);
        owner.push_back(i);
      }
      entries[i].length = items.size();
    }
    auto cast_child = [&](const Column& src, const LogicalType& type, Column* dst) -> Status {
      size_t bad = 0;
      Status st = CastColumn(src, type, dst, try_, &bad);
      if (!st.ok()) error_row_ = owner.empty() ? 0 : owner[bad];
      return st;
    };
    if (!is_map) return cast_child(values, to_.child(), &out_->child());
    Column k, v;
    ALOPEX_RETURN_IF_ERROR(cast_child(keys, to_.key_type(), &k));
    ALOPEX_RETURN_IF_ERROR(cast_child(values, to_.value_type(), &v));
    Column& kv = out_->child();
    kv.Resize(k.size());
    kv.child(0) = std::move(k);
    kv.child(1) = std::move(v);
    return Status::OK();
  }
  // STRUCT: one VARCHAR column per field, matched by key name.
  const auto& fields = to_.fields();
  std::vector<Column> field_text;
  for (size_t f = 0; f < fields.size(); f++) {
    field_text.emplace_back(TypeId::kVarchar, n_);
    field_text.back().Resize(n_);
    field_text.back().mutable_validity();
  }
  for (size_t i = 0; i < n_; i++) {
    for (auto& c : field_text) c.SetNull(i);
    if (!text.IsValid(i)) continue;
    std::string_view s = text.GetStringView(i);
    if (!SplitObjectText(s, &items)) {
      if (!Fail(i, [&] { return "Could not convert string " + Quote(s) + " to " + TypeName(to_); })) return error_;
      continue;
    }
    for (const auto& it : items) {
      std::string key(it.key);
      if (!UnquoteItem(it.key, &scratch)) scratch = key;
      size_t f = 0;
      while (f < fields.size() && !EqualsIgnoreCase(fields[f].name, scratch)) f++;
      if (f == fields.size()) {
        std::string name = scratch;
        if (!Fail(i, [&] {
              return "Could not convert string " + Quote(s) + " to " + TypeName(to_) + ": no field named \"" + name +
                     "\"";
            }))
          return error_;
        break;
      }
      if (!EqualsIgnoreCase(it.value, "null")) {
        field_text[f].SetNull(i, false);
        if (UnquoteItem(it.value, &scratch))
          field_text[f].SetString(i, scratch);
        else
          field_text[f].SetString(i, it.value);
      }
    }
  }
  for (size_t f = 0; f < fields.size(); f++) {
    size_t bad = 0;
    Status st = CastColumn(field_text[f], *fields[f].type, &out_->child(f), try_, &bad);
    if (!st.ok()) {
      error_row_ = bad;
      return st;
    }
  }
  // A NULL struct row has NULL fields.
  for (size_t i = 0; i < n_; i++)
    if (out_->IsNull(i))
      for (auto& c : out_->children()) c.SetNull(i);
  return Status::OK();
}

// ---------------------------------------------------------------- temporal

Status Caster::CastTemporal() {
  CopyValidity(in_, out_);
  TypeId from = in_.type().id(), to = to_.id();
  auto ts_like = [](TypeId t) { return t == TypeId::kTimestamp || t == TypeId::kTimestampTz; };
  if (from == TypeId::kDate && ts_like(to)) {
    const int32_t* src = in_.data<int32_t>();
    int64_t* dst = out_->data<int64_t>();
    for (size_t i = 0; i < n_; i++) dst[i] = int64_t(src[i]) * kMicrosPerDay;
    return Status::OK();
  }
  if (ts_like(from) && to == TypeId::kDate) {
    const int64_t* src = in_.data<int64_t>();
    int32_t* dst = out_->data<int32_t>();
    for (size_t i = 0; i < n_; i++) dst[i] = int32_t(FloorDiv(src[i], kMicrosPerDay));
    return Status::OK();
  }
  if (ts_like(from) && to == TypeId::kTime) {
    const int64_t* src = in_.data<int64_t>();
    int64_t* dst = out_->data<int64_t>();
    for (size_t i = 0; i < n_; i++) dst[i] = FloorMod(src[i], kMicrosPerDay);
    return Status::OK();
  }
  if (ts_like(from) && ts_like(to)) {
    std::memcpy(out_->data<int64_t>(), in_.data<int64_t>(), n_ * sizeof(int64_t));
    return Status::OK();
  }
  return Status::ConversionError("Unimplemented cast from " + TypeName(in_.type()) + " to " + TypeName(to_));
}

Status Caster::CastToUuid() {
  CopyValidity(in_, out_);
  Uuid* dst = out_->data<Uuid>();
  if (in_.type().id() == TypeId::kBlob) {
    for (size_t i = 0; i < n_; i++) {
      if (!in_.IsValid(i)) continue;
      std::string_view b = in_.GetStringView(i);
      if (b.size() != 16) {
        if (!Fail(i, [&] { return "Could not convert BLOB of " + std::to_string(b.size()) + " bytes to UUID (16 expected)"; }))
          return error_;
        continue;
      }
      uint64_t hi = 0, lo = 0;
      for (int k = 0; k < 8; k++) hi = (hi << 8) | uint8_t(b[k]);
      for (int k = 8; k < 16; k++) lo = (lo << 8) | uint8_t(b[k]);
      dst[i] = {hi, lo};
    }
    return error_;
  }
  // Integers: the value in the low 64 bits (42 -> 00000000-0000-0000-0000-00000000002a).
  DispatchNumeric(in_.type().id(), [&](auto tag) {
    using S = typename decltype(tag)::type;
    if constexpr (std::is_integral_v<S>) {
      const S* src = in_.data<S>();
      for (size_t i = 0; i < n_; i++) {
        if (src[i] < 0 && in_.IsValid(i)) {
          if (!Fail(i, [&] { return "Could not convert negative value " + FormatValue(in_, i) + " to UUID"; })) return;
          continue;
        }
        dst[i] = {0, uint64_t(src[i])};
      }
    }
  });
  return error_;
}

// ---------------------------------------------------------------- nested

// Whether a list column's entries cover its child densely, in order.
bool DenseEntries(const Column& list) {
  const ListEntry* e = list.list_entries();
  uint64_t next = 0;
  for (size_t i = 0; i < list.size(); i++) {
    if (e[i].length == 0) continue;
    if (e[i].offset != next) return false;
    next += e[i].length;
  }
  return next == list.child().size();
}

// Row of `list` owning child row `child_row` (for error reports).
size_t OwnerRow(const Column& list, size_t child_row) {
  const ListEntry* e = list.list_entries();
  for (size_t i = 0; i < list.size(); i++)
    if (child_row >= e[i].offset && child_row < e[i].offset + e[i].length) return i;
  return 0;
}

// A copy of `list` whose child holds exactly the referenced rows, in order.
Column CompactList(const Column& list) {
  Column c(list.type(), list.size());
  c.CopyFrom(list, 0, 0, list.size());
  return c;
}

Status Caster::CastListToList() {
  const Column* src = &in_;
  Column compact;
  if (!DenseEntries(in_)) {
    compact = CompactList(in_);
    src = &compact;
  }
  CopyValidity(*src, out_);
  std::memcpy(out_->list_entries(), src->list_entries(), n_ * sizeof(ListEntry));
  size_t bad = 0;
  Status st = CastColumn(src->child(), to_.child(), &out_->child(), try_, &bad);
  if (!st.ok()) error_row_ = OwnerRow(*src, bad);
  return st;
}

Status Caster::CastMapToMap() {
  const Column* src = &in_;
  Column compact;
  if (!DenseEntries(in_)) {
    compact = CompactList(in_);
    src = &compact;
  }
  CopyValidity(*src, out_);
  std::memcpy(out_->list_entries(), src->list_entries(), n_ * sizeof(ListEntry));
  LogicalType kv = LogicalType::Struct({{"key", to_.key_type()}, {"value", to_.value_type()}});
  size_t bad = 0;
  Status st = CastColumn(src->child(), kv, &out_->child(), try_, &bad);
  if (!st.ok()) error_row_ = OwnerRow(*src, bad);
  return st;
}

Status Caster::CastToVector() {
  int dim = to_.dimension();
  CopyValidity(in_, out_);
  if (in_.type().id() == TypeId::kVector) {
    if (in_.type().dimension() == dim) {
      std::memcpy(out_->raw_data(), in_.raw_data(), n_ * size_t(dim) * sizeof(float));
      return Status::OK();
    }
    for (size_t i = 0; i < n_; i++)
      if (in_.IsValid(i) && !Fail(i, [&] {
            return TypeName(to_) + " expects " + std::to_string(dim) + " values, got " +
                   std::to_string(in_.type().dimension());
          }))
        return error_;
    return error_;
  }
  // LIST of numbers: cast the elements to FLOAT, then check each row's length.
  Column floats;
  const Column* child = &in_.child();
  if (child->type().id() != TypeId::kFloat) {
    size_t bad = 0;
    Status st = CastColumn(*child, TypeId::kFloat, &floats, false, &bad);
    if (!st.ok()) {
      error_row_ = OwnerRow(in_, bad);
      if (try_) {
        // Retry element-wise so only the offending rows become NULL.
        ALOPEX_RETURN_IF_ERROR(CastColumn(*child, TypeId::kFloat, &floats, true));
      } else {
        return st;
      }
    }
    child = &floats;
  }
  const ListEntry* entries = in_.list_entries();
  const float* values = child->data<float>();
  for (size_t i = 0; i < n_; i++) {
    if (!in_.IsValid(i)) continue;
    const ListEntry& e = entries[i];
    if (e.length != uint64_t(dim)) {
      if (!Fail(i, [&] {
            return TypeName(to_) + " expects " + std::to_string(dim) + " values, got " + std::to_string(e.length);
          }))
        return error_;
      continue;
    }
    bool has_null = false;
    if (child->MayHaveNulls())
      for (uint64_t k = 0; k < e.length; k++) has_null |= child->IsNull(e.offset + k);
    if (has_null) {
      if (!Fail(i, [&] { return TypeName(to_) + " cannot contain NULL elements"; })) return error_;
      continue;
    }
    std::memcpy(out_->vector_row(i), values + e.offset, size_t(dim) * sizeof(float));
  }
  return error_;
}

Status Caster::CastVectorToList() {
  int dim = in_.type().dimension();
  Column floats(LogicalType::List(TypeId::kFloat), n_);
  floats.Resize(n_);
  CopyValidity(in_, &floats);
  Column& child = floats.child();
  child.Resize(n_ * size_t(dim));
  std::memcpy(child.raw_data(), in_.raw_data(), n_ * size_t(dim) * sizeof(float));
  ListEntry* e = floats.list_entries();
  for (size_t i = 0; i < n_; i++) e[i] = {i * size_t(dim), in_.IsValid(i) ? uint64_t(dim) : 0};
  if (to_.child().id() == TypeId::kFloat) {
    *out_ = std::move(floats);
    return Status::OK();
  }
  size_t bad = 0;
  Status st = CastColumn(floats, to_, out_, try_, &bad);
  if (!st.ok()) error_row_ = bad;
  return st;
}

Status Caster::CastStructToStruct() {
  CopyValidity(in_, out_);
  const auto& from = in_.type().fields();
  const auto& to = to_.fields();
  // By name when every target field is in the source, otherwise by position.
  std::vector<size_t> map(to.size());
  bool by_name = true;
  for (size_t f = 0; f < to.size() && by_name; f++) {
    size_t k = 0;
    while (k < from.size() && !EqualsIgnoreCase(from[k].name, to[f].name)) k++;
    if (k == from.size()) by_name = false;
    map[f] = k;
  }
  if (!by_name) {
    if (from.size() != to.size())
      return Status::ConversionError("Cannot cast " + TypeName(in_.type()) + " to " + TypeName(to_) +
                                     ": the field names differ and so do the field counts");
    for (size_t f = 0; f < to.size(); f++) map[f] = f;
  }
  for (size_t f = 0; f < to.size(); f++) {
    size_t bad = 0;
    Status st = CastColumn(in_.child(map[f]), *to[f].type, &out_->child(f), try_, &bad);
    if (!st.ok()) {
      error_row_ = bad;
      return st;
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------- dispatch

Status Caster::Run() {
  const LogicalType& from = in_.type();
  TypeId f = from.id(), t = to_.id();
  *out_ = Column(to_, n_);
  out_->Resize(n_);
  if (f == TypeId::kNull) {
    if (n_) {
      uint64_t* v = out_->mutable_validity();
      std::memset(v, 0, ((n_ + 63) / 64) * sizeof(uint64_t));
      if (t == TypeId::kStruct)
        for (auto& c : out_->children()) {
          uint64_t* cv = c.mutable_validity();
          std::memset(cv, 0, ((n_ + 63) / 64) * sizeof(uint64_t));
        }
    }
    return Status::OK();
  }
  if (from == to_) {
    *out_ = in_.Clone();
    return Status::OK();
  }
  if (t == TypeId::kVarchar) return CastToVarchar();
  if (t == TypeId::kJson) return CastToJson();
  if (f == TypeId::kJson) return CastFromJson();
  if (f == TypeId::kVarchar) return CastFromText();
  bool fnum = from.IsNumeric(), tnum = to_.IsNumeric();
  if (fnum && tnum) {
    if (t == TypeId::kDecimal) return CastToDecimal();
    if (f == TypeId::kDecimal) return CastDecimalToNumeric();
    return CastNumericToNumeric();
  }
  if (t == TypeId::kBoolean && fnum) return CastToBoolean();
  if (f == TypeId::kBoolean && tnum) return CastBooleanToNumeric();
  if (t == TypeId::kBlob && f == TypeId::kUuid) {
    CopyValidity(in_, out_);
    const Uuid* src = in_.data<Uuid>();
    for (size_t i = 0; i < n_; i++) {
      char b[16];
      for (int k = 0; k < 8; k++) b[k] = char(src[i].hi >> (56 - 8 * k));
      for (int k = 0; k < 8; k++) b[8 + k] = char(src[i].lo >> (56 - 8 * k));
      out_->SetString(i, std::string_view(b, 16));
    }
    return Status::OK();
  }
  if (t == TypeId::kUuid && (f == TypeId::kBlob || from.IsInteger())) return CastToUuid();
  if (from.IsTemporal() && to_.IsTemporal()) return CastTemporal();
  if (t == TypeId::kVector && (f == TypeId::kList || f == TypeId::kVector)) return CastToVector();
  if (f == TypeId::kVector && t == TypeId::kList) return CastVectorToList();
  if (f == TypeId::kList && t == TypeId::kList) return CastListToList();
  if (f == TypeId::kMap && t == TypeId::kMap) return CastMapToMap();
  if (f == TypeId::kStruct && t == TypeId::kStruct) return CastStructToStruct();
  if (f == TypeId::kBlob && t == TypeId::kBlob) {
    *out_ = in_.Clone();
    return Status::OK();
  }
  return Status::ConversionError("Unimplemented type for cast (" + TypeName(from) + " -> " + TypeName(to_) + ")");
}

bool IsTemporalPairCastable(TypeId f, TypeId t) {
  auto ts = [](TypeId x) { return x == TypeId::kTimestamp || x == TypeId::kTimestampTz; };
  return (f == TypeId::kDate && ts(t)) || (ts(f) && (t == TypeId::kDate || t == TypeId::kTime || ts(t)));
}

int IntegerWidthRank(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: return 1;
    case TypeId::kSmallInt: return 2;
    case TypeId::kInteger: return 3;
    case TypeId::kBigInt: return 4;
    case TypeId::kUTinyInt: return 1;
    case TypeId::kUSmallInt: return 2;
    case TypeId::kUInteger: return 3;
    case TypeId::kUBigInt: return 4;
    default: return 0;
  }
}

int IntegerDigits(TypeId id) {
  switch (id) {
    case TypeId::kTinyInt: case TypeId::kUTinyInt: return 3;
    case TypeId::kSmallInt: case TypeId::kUSmallInt: return 5;
    case TypeId::kInteger: case TypeId::kUInteger: return 10;
    case TypeId::kBigInt: return 19;
    case TypeId::kUBigInt: return 20;
    default: return 38;
  }
}

}  // namespace

// ---------------------------------------------------------------- public

bool CanCast(const LogicalType& from, const LogicalType& to) {
  TypeId f = from.id(), t = to.id();
  if (from == to || f == TypeId::kNull) return true;
  if (t == TypeId::kVarchar || t == TypeId::kJson) return true;
  if (f == TypeId::kVarchar || f == TypeId::kJson) {
    if (t == TypeId::kNull) return false;
    if (t == TypeId::kList) return CanCast(TypeId::kVarchar, to.child());
    if (t == TypeId::kMap) return CanCast(TypeId::kVarchar, to.key_type()) && CanCast(TypeId::kVarchar, to.value_type());
    if (t == TypeId::kStruct) {
      for (const auto& fl : to.fields())
        if (!CanCast(TypeId::kVarchar, *fl.type)) return false;
    }
    return true;
  }
  bool fnum = from.IsNumeric() || f == TypeId::kBoolean, tnum = to.IsNumeric() || t == TypeId::kBoolean;
  if (fnum && tnum) return true;
  if (t == TypeId::kUuid && (from.IsInteger() || f == TypeId::kBlob)) return true;
  if (f == TypeId::kUuid && t == TypeId::kBlob) return true;
  if (IsTemporalPairCastable(f, t)) return true;
  if (t == TypeId::kVector) {
    if (f == TypeId::kVector) return true;
    if (f == TypeId::kList) {
      TypeId c = from.child().id();
      return from.child().IsNumeric() || c == TypeId::kNull || c == TypeId::kVarchar;
    }
    return false;
  }
  if (f == TypeId::kVector && t == TypeId::kList) return CanCast(TypeId::kFloat, to.child());
  if (f == TypeId::kList && t == TypeId::kList) return CanCast(from.child(), to.child());
  if (f == TypeId::kMap && t == TypeId::kMap)
    return CanCast(from.key_type(), to.key_type()) && CanCast(from.value_type(), to.value_type());
  if (f == TypeId::kStruct && t == TypeId::kStruct) {
    const auto& a = from.fields();
    const auto& b = to.fields();
    bool by_name = true;
    for (const auto& tf : b) {
      bool found = false;
      for (const auto& ff : a)
        if (EqualsIgnoreCase(ff.name, tf.name)) {
          found = true;
          if (!CanCast(*ff.type, *tf.type)) return false;
        }
      if (!found) by_name = false;
    }
    if (by_name) return true;
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++)
      if (!CanCast(*a[i].type, *b[i].type)) return false;
    return true;
  }
  return false;
}

bool CanImplicitlyCast(const LogicalType& from, const LogicalType& to) {
  TypeId f = from.id(), t = to.id();
  if (from == to || f == TypeId::kNull) return true;
  if (from.IsInteger()) {
    if (t == TypeId::kFloat || t == TypeId::kDouble) return true;
    if (t == TypeId::kDecimal) return to.width() - to.scale() >= IntegerDigits(f);
    if (to.IsInteger()) {
      int rf = IntegerWidthRank(f), rt = IntegerWidthRank(t);
      if (from.IsSigned() == to.IsSigned()) return rt > rf;
      return !from.IsSigned() && to.IsSigned() && rt > rf;  // unsigned into a wider signed
    }
    return false;
  }
  if (f == TypeId::kDecimal) {
    if (t == TypeId::kFloat || t == TypeId::kDouble) return true;
    if (t == TypeId::kDecimal) return to.scale() >= from.scale() && to.width() - to.scale() >= from.width() - from.scale();
    return false;
  }
  if (f == TypeId::kFloat) return t == TypeId::kDouble;
  // Text converts to the types it is commonly compared with; literals of any
  // type are handled by the binder before it asks.
  if (f == TypeId::kVarchar)
    return t == TypeId::kJson || t == TypeId::kBlob || to.IsTemporal() || t == TypeId::kUuid;
  if (f == TypeId::kJson) return t == TypeId::kVarchar;
  if (f == TypeId::kDate) return t == TypeId::kTimestamp || t == TypeId::kTimestampTz;
  if (f == TypeId::kTimestamp) return t == TypeId::kTimestampTz;
  if (f == TypeId::kList) {
    if (t == TypeId::kList) return CanImplicitlyCast(from.child(), to.child());
    if (t == TypeId::kVector) return from.child().IsNumeric() || from.child().id() == TypeId::kNull;
    return false;
  }
  if (f == TypeId::kVector) {
    if (t == TypeId::kList) return to.child().id() == TypeId::kFloat || to.child().id() == TypeId::kDouble;
    return false;
  }
  if (f == TypeId::kStruct && t == TypeId::kStruct) {
    if (from.fields().size() != to.fields().size()) return false;
    for (size_t i = 0; i < from.fields().size(); i++)
      if (!CanImplicitlyCast(*from.fields()[i].type, *to.fields()[i].type)) return false;
    return true;
  }
  return false;
}

Status CastColumn(const Column& in, const LogicalType& to, Column* out, bool try_cast, size_t* error_row) {
  if (!CanCast(in.type(), to))
    return Status::ConversionError("Unimplemented type for cast (" + in.type().ToString() + " -> " + to.ToString() +
                                   ")");
  Caster caster(in, to, out, try_cast);
  Status st = caster.Run();
  if (!st.ok() && error_row) *error_row = caster.error_row();
  return st;
}

Result<Value> CastValue(const Value& v, const LogicalType& to, bool try_cast) {
  if (v.is_null()) {
    if (!CanCast(v.type(), to))
      return Status::ConversionError("Unimplemented type for cast (" + v.type().ToString() + " -> " + to.ToString() +
                                     ")");
    return Value::Null(to);
  }
  if (v.type() == to) return v;
  Column in(v.type(), 1);
  in.AppendValue(v);
  Column out;
  ALOPEX_RETURN_IF_ERROR(CastColumn(in, to, &out, try_cast));
  return out.GetValue(0);
}

std::string FormatValue(const Column& col, size_t row) {
  if (col.IsNull(row)) return "NULL";
  std::string s;
  AppendValueText(col, row, &s);
  return s;
}

__int128 DecimalPow10(int n) { return Pow10Table()[n]; }

}  // namespace alopex
